"""The headless command line (INTERFACE.md): ``grade``, ``import``, ``status``, ``export``, and the safety commands
``users``, ``verify``, ``audit``, ``backup``, ``restore``. No Qt.

Who is acting: ``--user NAME`` or ``$CRS_BEDSIDE_USER``. Once a database has accounts (core/security.py), every
command that opens it signs in: the PIN comes from ``$CRS_BEDSIDE_PIN`` or, in a terminal, a prompt (never from the
command line, where other users could see it). Before the first admin exists (open mode) no PIN is asked and records
are stamped with the given name, or the operating-system login. ``import`` needs a clinician or admin account once
accounts exist (clinician-only record types in the file need a clinician); ``grade`` touches no database and needs
no one.

``gui.main`` is the console entry point: it parses with :func:`build_parser` and hands headless commands to
:func:`run`, so ``crs-bedside grade`` never loads Qt. Exit status: 0 success, 2 bad input (one plain line on
stderr naming the field and the reason, never a traceback), 1 other failures.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from core import __version__
from core.audit import TamperedError
from core.backup import DEFAULT_KEEP, BackupPolicy, restore_backup
from core.clock import Clock, SystemClock
from core.errors import BedsideError, InputError, StoreError
from core.locking import DatabaseInUseError, lock_path_for
from core.logging_setup import log_exception, setup_logging
from core.protocol import resolve_protocol
from core.security import Accounts, AuthError, Permission, SignIn, User, require
from core.services import (
    Bedside,
    EmptyWard,
    grade_assessment,
    open_database,
    parse_import,
    read_json_file,
    status_document,
    validate_import,
)
from core.store import Store, needs_key
from core.strict_input import excerpt, parse_json_text

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

EXPORT_FORMATS = ("crs-bedside", "fhir-r4")
HEADLESS_COMMANDS = ("grade", "import", "status", "export", "push", "users", "verify", "audit", "backup", "restore")
USER_ENV = "CRS_BEDSIDE_USER"
#: The signing-in user's PIN (scripts); otherwise asked in a terminal.
PIN_ENV = "CRS_BEDSIDE_PIN"
#: The PIN of an account being created or reset by ``users add`` / ``users set-pin``.
NEW_PIN_ENV = "CRS_BEDSIDE_NEW_PIN"
#: The recovery key for ``users recover`` (else asked at the terminal; never a command-line option).
RECOVERY_ENV = "CRS_BEDSIDE_RECOVERY_KEY"
#: Routine backups kept (``--keep`` overrides).
KEEP_ENV = "CRS_BEDSIDE_BACKUPS_KEEP"


def app_version() -> str:
    """The version of CRS Bedside (``core.__version__``, a constant: no package metadata is read)."""
    return __version__


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one plain line with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def parse_time(text: str, option: str = "--at") -> datetime:
    """An ISO 8601 time with a UTC offset (INTERFACE.md: a time without an offset is an error)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {text!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise InputError(f"{option}: {text!r} has no UTC offset (write e.g. 2026-01-17T09:00:00-06:00)")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, GUI options included."""
    common = _Parser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    common.add_argument("--protocol", default=argparse.SUPPRESS,
                        help="ward protocol: 'default', 'label', or the path of a protocol file")
    common.add_argument("--user", default=argparse.SUPPRESS,
                        help=f"who is recording (default: ${USER_ENV})")

    parser = _Parser(prog="crs-bedside", description="CRS Bedside: CRS/ICANS bedside assistant for ward nurses.",
                     parents=[common])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--demo", action="store_true", help="open the GUI on the synthetic demo ward")
    parser.add_argument("--self-test", action="store_true", help="headless check of this installation")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("grade", parents=[common], help="grade one assessment (JSON) and print the result")
    p.add_argument("--input", type=Path, help="assessment JSON file (default: standard input)")

    p = sub.add_parser("import", parents=[common], help="validate a file, then append all of it")
    p.add_argument("file", type=Path)

    p = sub.add_parser("status", parents=[common], help="print the derived state of the ward as JSON")
    p.add_argument("--patient", metavar="MRN")
    p.add_argument("--at", metavar="TIME", help="ISO 8601 time with offset (default: now)")
    p.add_argument("--all", action="store_true", help="include discharged patients")

    p = sub.add_parser("export", parents=[common], help="print everything in the database in the import format")
    p.add_argument("--format", dest="export_format", choices=EXPORT_FORMATS, default=EXPORT_FORMATS[0],
                   help="crs-bedside (the import format, default) or fhir-r4 (one FHIR R4 collection Bundle)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")

    p = sub.add_parser("push", parents=[common],
                       help="send every record not yet acknowledged to a FHIR R4 server (transaction Bundles)")
    p.add_argument("--url", metavar="BASE", help="the server's FHIR base URL (default: $CRS_BEDSIDE_FHIR_URL); the "
                                                 "bearer token is read from $CRS_BEDSIDE_FHIR_TOKEN")
    p.add_argument("--batch", type=int, default=8, metavar="N",
                   help="entries per transaction (default 8, what Medplum accepts with conditional creates)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for each answer (default 60)")

    p = sub.add_parser("users", parents=[common], help="manage user accounts (admin; the first one on first run)")
    users = p.add_subparsers(dest="users_command", parser_class=_Parser, required=True)
    q = users.add_parser("add", parents=[common], help=f"add an account (its PIN from ${NEW_PIN_ENV} or a prompt)")
    q.add_argument("username")
    q.add_argument("--role", action="append", required=True, choices=["nurse", "clinician", "admin"],
                   help="repeat for several roles; the first account must be an admin")
    q.add_argument("--name", dest="display_name", help="full name as shown on records (default: the user name)")
    users.add_parser("list", parents=[common], help="list the accounts (JSON)")
    for verb, text in (("disable", "disable an account (it is never deleted)"), ("enable", "re-enable an account"),
                       ("set-pin", f"reset an account's PIN (from ${NEW_PIN_ENV} or a prompt)"),
                       ("recover", f"every PIN lost: give an admin account a new PIN with the recovery key (from "
                                   f"${RECOVERY_ENV} or a prompt)")):
        q = users.add_parser(verb, parents=[common], help=text)
        q.add_argument("username")

    sub.add_parser("verify", parents=[common],
                   help="check the file: integrity and the audit chain (exit 1 if it was changed outside the app)")

    p = sub.add_parser("audit", parents=[common], help="print a patient's audit trail as JSON")
    p.add_argument("--patient", metavar="MRN", required=True)

    p = sub.add_parser("backup", parents=[common], help="make a backup now (SQLite backup API), keeping the newest N")
    p.add_argument("--keep", type=int, metavar="N",
                   help=f"routine backups kept (default ${KEEP_ENV} or {DEFAULT_KEEP})")

    p = sub.add_parser("restore", parents=[common],
                       help="replace the database with a backup (the current file is backed up first)")
    p.add_argument("backup", type=Path, metavar="BACKUP")

    p = sub.add_parser("handover", parents=[common], help="write the handover summary PDF, or print it")
    p.add_argument("--pdf", type=Path, metavar="OUT", help="write the handover to this PDF file")
    p.add_argument("--print", action="store_true",
                   help="send the handover to a printer (instead of, or as well as, --pdf)")
    p.add_argument("--printer", metavar="NAME", help="the printer for --print (default: the system default)")
    p.add_argument("--patient", metavar="MRN")
    p.add_argument("--at", metavar="TIME")
    p.add_argument("--language", choices=("en", "es"), default="en", help="the handover's language (default en)")
    p.add_argument("--unit", choices=("c", "f"), default="c", help="temperatures in °C or °F (default c)")
    return parser


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


@contextmanager
def _new_file_removed_on_failure(db: Path) -> Iterator[None]:
    """A command that makes a new database and then fails (full disk, a check only the open file can make) leaves
    nothing behind: the files it made (the database, its journal and its lock) are removed again."""
    made = [side for side in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                              lock_path_for(db)) if not os.path.lexists(side)]
    try:
        yield
    except DatabaseInUseError:
        raise   # another program made it meanwhile and holds it: its files, not ours
    except BaseException:
        if made and made[0] == db:
            for side in made:
                with suppress(OSError):  # nothing more can be done; the message below still says what failed
                    side.unlink(missing_ok=True)
        raise


def _print_json(doc: Any, out: TextIO) -> None:
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a headless command. Raises :class:`BedsideError` for the caller to report."""
    out = out if out is not None else sys.stdout  # looked up now, so redirected streams are honoured
    if args.command == "grade":
        protocol = resolve_protocol(getattr(args, "protocol", None))
        data = read_json_file(args.input) if args.input is not None else parse_json_text(sys.stdin.read(), "stdin")
        _print_json(grade_assessment(data, protocol), out)
        return EXIT_OK
    if args.command == "import":
        # Read and validate the file before touching any database: a bad file never even creates one.
        data = read_json_file(args.file)
        db = _db_path(args)
        parsed = parse_import(data)   # a bad file is refused before any database is opened
        if not os.path.lexists(db):
            # Every check against an empty ward first: a refused file never even creates a database (or its lock).
            validate_import(data, lookup=EmptyWard(), clock=SystemClock(), require=lambda _permission: None,
                            parsed=parsed)
        with _new_file_removed_on_failure(db):
            bedside = open_bedside(args, create=True)
            try:
                result = bedside.import_data(data, parsed=parsed, source=args.file.name)
            finally:
                bedside.close()
        kept = (f"; {len(result.differences)} patient details differ with no record to settle them, this laptop's "
                f"kept for review: {'; '.join(result.differences)}" if result.differences else "")
        out.write(f"imported {result.patients_added} patients and {result.records_added} records "
                  f"({result.records_already_present} already present){kept}\n")
        return EXIT_OK
    if args.command in SAFETY_COMMANDS:
        return SAFETY_COMMANDS[args.command](args, out)
    if args.command == "status":
        at = parse_time(args.at) if args.at else None
        bedside = open_bedside(args, create=False)
        try:
            at = at or bedside.clock.now()
            states = ([bedside.state(args.patient, at)] if args.patient
                      else bedside.ward(at, include_discharged=args.all))
            document = status_document(states, at, bedside.protocol, bedside)
            for warning in document.get("warnings", ()):
                sys.stderr.write(f"crs-bedside: warning: {warning}\n")
            _print_json(document, out)
        finally:
            bedside.close()
        return EXIT_OK
    if args.command == "export":
        return _export(args, out)
    raise InputError(f"{args.command}: not a headless command")


def _export(args: argparse.Namespace, out: TextIO) -> int:
    bedside = open_bedside(args, create=False)
    try:
        bedside.require(Permission.READ)
        if bedside.account is not None:   # a file with accounts (encrypted): its export is not
            sys.stderr.write("crs-bedside: the export is in clear (not encrypted) and holds patient data: keep it only "
                             "where patient records may be kept, and delete it when done\n")
        if args.export_format == "fhir-r4":
            from core.fhir.export import export_bundle  # only here: start-up never imports fhir.resources

            doc = export_bundle(bedside.store, bedside.protocol, bedside.clock.now())
        else:
            doc = bedside.export()
    finally:
        bedside.close()
    if args.out is None:
        _print_json(doc, out)
        return EXIT_OK
    _write_json_file(doc, args.out)
    out.write(f"wrote {args.out}\n")
    return EXIT_OK


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


def _write_json_file(doc: Any, path: Path) -> None:
    """Write JSON next to its final name, then rename: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(doc, handle, ensure_ascii=False)
            handle.write("\n")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"--out: cannot write {path} ({exc.strerror or exc})", "out") from None


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


def main(argv: list[str] | None = None) -> int:
    """Headless entry (``python -m core.cli``): the commands that need no display."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"crs-bedside {app_version()}")
        return EXIT_OK
    if args.command not in HEADLESS_COMMANDS:
        parser.error(f"this entry point runs only {', '.join(HEADLESS_COMMANDS)}")
    setup_logging()
    try:
        return run(args)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # any failure: one plain line, never a traceback
        return report(exc)


if __name__ == "__main__":
    sys.exit(main())
