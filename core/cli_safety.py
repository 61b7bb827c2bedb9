"""The safety commands of the command line (INTERFACE.md): ``users``, ``verify``, ``audit``, ``backup``, ``restore``,
and ``push`` (the FHIR send). :data:`SAFETY_COMMANDS` maps each name to its function; core/cli.py ``run`` calls it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from core.audit import TamperedError
from core.backup import BackupPolicy
from core.cli_common import (
    EXIT_FAILURE,
    EXIT_OK,
    NEW_PIN_ENV,
    RECOVERY_ENV,
    _ask_pin,
    _db_path,
    _policy,
    _print_json,
    _tell_encrypted,
    open_bedside,
    open_signed_in,
    sign_in,
)
from core.clock import SystemClock
from core.errors import InputError, StoreError
from core.locking import DatabaseInUseError
from core.security import Accounts, AuthError, Permission, SignIn, User, require
from core.services import (
    open_database,
)
from core.store import needs_key, restore_backup


def _push(args: argparse.Namespace, out: TextIO) -> int:
    from core.fhir.push import Pusher  # only here: start-up never imports fhir.resources
    from core.outbox import TOKEN_ENV, URL_ENV, configured_url

    url = args.url or configured_url()
    if not url:
        raise InputError(f"--url: no FHIR server given (use --url BASE or set ${URL_ENV})", "url")
    if args.timeout <= 0:
        raise InputError(f"--timeout: {args.timeout:g} is not above 0 seconds", "timeout")
    bedside = open_bedside(args, create=False)
    try:
        bedside.require(Permission.READ)
        pusher = Pusher(bedside.store, bedside.protocol, url, os.environ.get(TOKEN_ENV), now=bedside.clock.now,
                        batch=args.batch, timeout=args.timeout)
        out.write(pusher.push().line() + "\n")
    finally:
        bedside.close()
    return EXIT_OK


def _users(args: argparse.Namespace, out: TextIO) -> int:
    # The new PIN is asked first, so that a missing one leaves no new database behind.
    new_pin = _new_pin(args.username) if args.users_command in ("add", "set-pin", "recover") else ""
    if args.users_command == "recover":
        return _recover(args, new_pin, out)
    db = _db_path(args)
    store, actor = open_signed_in(args, create=args.users_command == "add") if needs_key(db) else \
        (open_database(db, create=args.users_command == "add", backups=_policy(args)), None)
    try:
        accounts = Accounts(store, SystemClock())
        if args.users_command == "add" and accounts.needs_first_admin():
            if "admin" not in args.role:
                raise InputError("--role: the first account of a database must be an admin (add --role admin)")
            user = accounts.create_first_admin(args.username, args.display_name or args.username, new_pin,
                                               args.role)
            out.write(f"created the first admin {user.username}; from now on every command must sign in\n")
            _tell_encrypted(accounts, out)
            return EXIT_OK
        if actor is None:
            actor = sign_in(args, store)
        if not isinstance(actor, User):
            raise AuthError("There are no accounts yet: create the first admin with "
                            "`crs-bedside users add NAME --role admin --db PATH`.")
        if args.users_command == "add":
            user = accounts.add_user(actor, args.username, args.display_name or args.username, args.role, new_pin)
            out.write(f"added {user.username} ({', '.join(sorted(r.value for r in user.roles))})\n")
        elif args.users_command == "list":
            _print_json([u.to_json() for u in accounts.list_users(actor)], out)
        elif args.users_command in ("disable", "enable"):
            user = accounts.set_active(actor, args.username, args.users_command == "enable")
            out.write(f"{user.username} is now {'enabled' if user.active else 'disabled'}\n")
        else:
            accounts.set_pin(actor, args.username, new_pin)
            out.write(f"the PIN of {args.username} was reset\n")
        return EXIT_OK
    finally:
        store.close()


def _recover(args: argparse.Namespace, new_pin: str, out: TextIO) -> int:
    """Every PIN lost: the recovery key gives an admin account a new PIN (core.security.SignIn.recover)."""
    db = _db_path(args)
    if not needs_key(db):
        raise InputError(f"--db: {db} is not an encrypted database; an admin resets PINs with users set-pin")
    policy = _policy(args)
    gate = SignIn(db, SystemClock(), lambda key: open_database(db, create=False, backups=policy, key=key))
    gate.recover(_ask_pin("Recovery key: ", RECOVERY_ENV), args.username, new_pin)
    assert gate.store is not None
    gate.store.close()
    out.write(f"the PIN of {args.username} was set with the recovery key; sign in with it now\n")
    return EXIT_OK


def _new_pin(username: str) -> str:
    pin = os.environ.get(NEW_PIN_ENV)
    if pin:
        return pin
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"New PIN for {username}: ")
        if getpass.getpass("Again: ") != first:
            raise InputError("pin: the two PINs differ; nothing was changed", "pin")
        return first
    raise AuthError(f"No new PIN given: set {NEW_PIN_ENV} or run the command in a terminal to be asked.")


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    bedside = open_bedside(args, create=False, accept_tampered=True)
    try:
        found = bedside.check_file()   # the full chain, every row (the open made only the quick check)
        report, unreadable = found.chain, found.unreadable
        out.write(f"integrity: {found.integrity}\n")
        out.write(f"audit chain: {'intact' if report.ok else 'BROKEN'} ({report.entries_checked} entries checked)\n")
        for problem in report.problems:
            out.write(f"problem: {problem.what}\n")
        out.write(f"records: {'all readable' if not unreadable else f'{len(unreadable)} cannot be read'}\n")
        for item in unreadable:
            out.write(f"problem: {item.message}\n")
        return EXIT_OK if found.ok else EXIT_FAILURE
    finally:
        bedside.close()


def _audit(args: argparse.Namespace, out: TextIO) -> int:
    bedside = open_bedside(args, create=False)
    try:
        _print_json([entry.to_json() for entry in bedside.audit(args.patient)], out)
        return EXIT_OK
    finally:
        bedside.close()


def _backup(args: argparse.Namespace, out: TextIO) -> int:
    bedside = open_bedside(args, create=False)
    try:
        bedside.require(Permission.READ)
        keep = getattr(args, "keep", None)
        if keep is not None and keep < 1:
            raise InputError(f"--keep: {keep} is below 1 (at least one backup must be kept)")
        out.write(f"{bedside.make_backup('manual', keep)}\n")
        return EXIT_OK
    finally:
        bedside.close()


def _restore(args: argparse.Namespace, out: TextIO) -> int:
    db = _db_path(args)
    key = None
    if db.exists() and needs_key(db):
        # An encrypted file: only an admin who signs in (the PIN unwraps the key the backups are encrypted with).
        store, who = open_signed_in(args, create=False, accept_tampered=True, backups=BackupPolicy(at_open=False))
        try:
            require(store, _as_account(who), who if isinstance(who, str) else who.username, Permission.RESTORE)
            key = store.data_key
        finally:
            store.close()
    elif db.exists():
        # A usable current file with accounts: only an admin may replace it. A damaged or tampered file cannot
        # vouch for anyone; restoring it is then a file-level repair (whoever can write the folder could do it).
        try:
            store = open_database(db, create=False, backups=BackupPolicy(at_open=False))
        except TamperedError:
            store = None
        except DatabaseInUseError:
            raise
        except StoreError:
            store = None
        if store is not None:
            try:
                who = sign_in(args, store)
                require(store, _as_account(who), who if isinstance(who, str) else who.username, Permission.RESTORE)
            finally:
                store.close()
    saved = restore_backup(args.backup, db, _policy(args), key=key)
    kept = f"; the previous file is saved as {saved}" if saved else " (there was no previous file)"
    out.write(f"restored {args.backup} to {db}{kept}\n")
    return EXIT_OK


def _as_account(who: str | User) -> User | None:
    return who if isinstance(who, User) else None


SAFETY_COMMANDS = {"push": _push, "users": _users, "verify": _verify, "audit": _audit, "backup": _backup,
                   "restore": _restore}
