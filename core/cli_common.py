"""What every command of the command line (core/cli.py) shares: the exit statuses, the environment variables, who is
acting and the sign-in before a file opens, printing JSON, and the one plain line for a failure. No Qt.

Who is acting: ``--user NAME`` or ``$CRS_BEDSIDE_USER``. Once a database has accounts (core/security.py), every
command that opens it signs in: the PIN comes from ``$CRS_BEDSIDE_PIN`` or, in a terminal, a prompt (never from the
command line, where other users could see it). Before the first admin exists (open mode) no PIN is asked and records
are stamped with the given name, or the operating-system login.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from core.backup import DEFAULT_KEEP, BackupPolicy
from core.clock import Clock, SystemClock
from core.errors import BedsideError, InputError
from core.logging_setup import log_exception
from core.protocol import resolve_protocol
from core.security import USER_ENV, Accounts, AuthError, SignIn, User
from core.services import (
    Bedside,
    open_database,
)
from core.store import Store, needs_key
from core.strict_input import excerpt

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
#: The signing-in user's PIN (scripts); otherwise asked in a terminal.
PIN_ENV = "CRS_BEDSIDE_PIN"
#: The PIN of an account being created or reset by ``users add`` / ``users set-pin``.
NEW_PIN_ENV = "CRS_BEDSIDE_NEW_PIN"
#: The recovery key for ``users recover`` (else asked at the terminal; never a command-line option).
RECOVERY_ENV = "CRS_BEDSIDE_RECOVERY_KEY"
#: Routine backups kept (``--keep`` overrides).
KEEP_ENV = "CRS_BEDSIDE_BACKUPS_KEEP"


def _db_path(args: argparse.Namespace) -> Path:
    db = getattr(args, "db", None)
    if db is None:
        raise InputError(f"--db: the {args.command} command needs --db PATH")
    return Path(db)


def _policy(args: argparse.Namespace) -> BackupPolicy:
    """The backup policy a command opens the file with: the installation's depth ($CRS_BEDSIDE_BACKUPS_KEEP, set by
    clinic IT). ``--keep`` is not applied here: it prunes only after an admin has signed in (:func:`_backup`)."""
    text = os.environ.get(KEEP_ENV)
    try:
        keep = int(text) if text else DEFAULT_KEEP
    except ValueError:
        raise InputError(f"{KEEP_ENV}: {excerpt(text)} is not a whole number") from None
    if keep < 1:
        raise InputError(f"{KEEP_ENV}: {keep} is below 1 (at least one backup must be kept)")
    return BackupPolicy(keep=keep)


def _named_user(args: argparse.Namespace) -> str | None:
    return getattr(args, "user", None) or os.environ.get(USER_ENV) or None


def _os_login() -> str:
    try:
        return getpass.getuser()[:80]
    except (OSError, KeyError):
        return "unknown-os-user"


def _ask_pin(prompt: str, env: str) -> str:
    pin = os.environ.get(env)
    if pin:
        return pin
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise AuthError(f"No PIN given: set {env} or run the command in a terminal to be asked.")


def sign_in(args: argparse.Namespace, store: Store) -> str | User:
    """Who is acting: a signed-in account once the database has accounts, else the named (or OS) user.

    Raises:
        AuthError: accounts exist and no user was named, no PIN was given, or the PIN is wrong.
    """
    name = _named_user(args)
    if not store.has_users():
        return name or _os_login()
    accounts = Accounts(store, SystemClock())
    user = accounts.authenticate(_account_name(args), _ask_pin(f"PIN for {_account_name(args)}: ", PIN_ENV))
    _tell_encrypted(accounts, sys.stderr)
    return user


def _account_name(args: argparse.Namespace) -> str:
    name = _named_user(args)
    if not name:
        raise AuthError(f"This database has user accounts: name yourself with --user NAME (or {USER_ENV}) and give "
                        f"your PIN in {PIN_ENV} or at the prompt.")
    return name


def _tell_encrypted(accounts: Accounts, out: TextIO) -> None:
    """Say once that the file was just encrypted, with the recovery key clinic IT must keep."""
    if accounts.recovery_key is None:
        return
    out.write(f"The database is now encrypted. Recovery key (shown only now; clinic IT keeps it on paper, away from "
              f"this computer): {accounts.recovery_key}\n")
    if accounts.without_key:
        out.write(f"These accounts sign in again after an admin resets their PIN (users set-pin): "
                  f"{', '.join(accounts.without_key)}\n")


def open_signed_in(args: argparse.Namespace, *, create: bool, accept_tampered: bool = False,
                   backups: BackupPolicy | None = None) -> tuple[Store, str | User]:
    """Open the database and sign in: an encrypted file asks the name and PIN first (core.security.SignIn), a clear
    one is opened and then signed in to (or named, in open mode)."""
    db = _db_path(args)
    policy = backups or _policy(args)
    if needs_key(db):
        name = _account_name(args)
        gate = SignIn(db, SystemClock(), lambda key: open_database(db, create=False, backups=policy,
                                                                accept_tampered=accept_tampered, key=key))
        user = gate.authenticate(name, _ask_pin(f"PIN for {name}: ", PIN_ENV))
        assert gate.store is not None
        return gate.store, user
    store = open_database(db, create=create, backups=policy, accept_tampered=accept_tampered)
    try:
        return store, sign_in(args, store)
    except BaseException:
        store.close()
        raise


def open_bedside(args: argparse.Namespace, *, create: bool, accept_tampered: bool = False,
                 clock: Clock | None = None) -> Bedside:
    """Open the database of a command and sign in (once the file has accounts: ``--user``/``$CRS_BEDSIDE_USER``
    and the PIN from ``$CRS_BEDSIDE_PIN`` or a prompt; an encrypted file asks them before it can be read);
    every command that reads or writes patient data comes here.

    Raises:
        AuthError: the sign-in failed (the database is closed again, nothing written).
    """
    protocol = resolve_protocol(getattr(args, "protocol", None))
    store, who = open_signed_in(args, create=create, accept_tampered=accept_tampered)
    try:
        bedside = Bedside(store, protocol, clock or SystemClock(), who)
    except BaseException:
        store.close()
        raise
    for warning in store.warnings:   # e.g. the backup at open failed: said, not hidden (the command goes on)
        sys.stderr.write(f"crs-bedside: warning: {warning}\n")
    try:
        bedside.prune_routine_backups()   # signed in now: the open's backup joins the policy's rolling set
    except OSError as exc:
        sys.stderr.write(f"crs-bedside: warning: old backups could not be removed ({exc.strerror})\n")
    return bedside


def _print_json(doc: Any, out: TextIO) -> None:
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def report(exc: BaseException, err: TextIO | None = None) -> int:
    """Print one plain line for a failure and return the exit status (2 bad input, 1 otherwise)."""
    err = err if err is not None else sys.stderr
    if isinstance(exc, InputError):
        err.write(f"crs-bedside: {exc}\n")
        return EXIT_BAD_INPUT
    if isinstance(exc, BedsideError):
        err.write(f"crs-bedside: {exc}\n")
        return EXIT_FAILURE
    log_exception(exc, "command line")
    err.write(f"crs-bedside: unexpected failure: {type(exc).__name__}: {exc}\n")
    return EXIT_FAILURE
