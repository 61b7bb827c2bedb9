"""The headless command line (INTERFACE.md): ``grade``, ``import``, ``status``, ``export``, and the safety commands
``users``, ``verify``, ``audit``, ``backup``, ``restore``. No Qt.

Who is acting and the sign-in: core/cli_common.py; the safety commands: core/cli_safety.py. ``import`` needs a
clinician or admin account once accounts exist (clinician-only record types in the file need a clinician); ``grade``
touches no database and needs no one.

``gui.main`` is the console entry point: it parses with :func:`build_parser` and hands headless commands to
:func:`run`, so ``crs-bedside grade`` never loads Qt. Exit status: 0 success, 2 bad input (one plain line on
stderr naming the field and the reason, never a traceback), 1 other failures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from core import __version__
from core.backup import DEFAULT_KEEP
from core.cli_common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    KEEP_ENV,
    NEW_PIN_ENV,
    PIN_ENV,
    RECOVERY_ENV,
    _db_path,
    _print_json,
    open_bedside,
    open_signed_in,
    report,
    sign_in,
)
from core.cli_safety import SAFETY_COMMANDS
from core.clock import SystemClock
from core.errors import InputError
from core.locking import DatabaseInUseError, lock_path_for
from core.logging_setup import setup_logging
from core.protocol import resolve_protocol
from core.security import USER_ENV, Permission
from core.services import (
    EmptyWard,
    grade_assessment,
    parse_import,
    read_json_file,
    status_document,
    validate_import,
)
from core.strict_input import parse_json_text

EXPORT_FORMATS = ("crs-bedside", "fhir-r4")
HEADLESS_COMMANDS = ("grade", "import", "status", "export", "push", "users", "verify", "audit", "backup", "restore")


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


# What core.cli re-exports for gui/main.py, gui/app.py and the tests.
__all__ = [
    "EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "EXPORT_FORMATS", "HEADLESS_COMMANDS", "KEEP_ENV", "NEW_PIN_ENV",
    "PIN_ENV", "RECOVERY_ENV", "SAFETY_COMMANDS", "USER_ENV", "app_version", "build_parser", "main", "open_bedside",
    "open_signed_in", "parse_time", "report", "run", "sign_in",
]


if __name__ == "__main__":
    sys.exit(main())
