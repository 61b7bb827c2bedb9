"""The headless command line (INTERFACE.md): ``grade``, ``import``, ``status``, ``export``. No Qt.

``gui.main`` is the console entry point: it parses with :func:`build_parser` and hands headless commands to
:func:`run`, so ``crs-bedside grade`` never loads Qt. Exit status: 0 success, 2 bad input (one plain line on
stderr naming the field and the reason, never a traceback), 1 other failures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NoReturn, TextIO

from core.clock import SystemClock
from core.errors import BedsideError, InputError
from core.protocol import resolve_protocol
from core.services import Bedside, grade_assessment, parse_json_text, read_json_file, status_document
from core.store import Store

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

HEADLESS_COMMANDS = ("grade", "import", "status", "export")
USER_ENV = "CRS_BEDSIDE_USER"


def app_version() -> str:
    """The installed version of CRS Bedside."""
    try:
        return version("crs-bedside")
    except PackageNotFoundError:
        return "0.1.0+source"


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
    common = argparse.ArgumentParser(add_help=False)
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

    p = sub.add_parser("export", parents=[common], help="print everything in the database in the import format")

    p = sub.add_parser("handover", parents=[common], help="write the handover summary PDF")
    p.add_argument("--pdf", type=Path, required=True, metavar="OUT")
    p.add_argument("--patient", metavar="MRN")
    p.add_argument("--at", metavar="TIME")
    return parser


def _open_bedside(args: argparse.Namespace, *, create: bool) -> Bedside:
    db = getattr(args, "db", None)
    if db is None:
        raise InputError(f"--db: the {args.command} command needs --db PATH")
    protocol = resolve_protocol(getattr(args, "protocol", None))
    user = getattr(args, "user", None) or os.environ.get(USER_ENV) or None
    return Bedside(Store.open(db, create=create), protocol, SystemClock(), user)


def _print_json(doc: Any, out: TextIO) -> None:
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run a headless command. Raises :class:`BedsideError` for the caller to report."""
    if args.command == "grade":
        protocol = resolve_protocol(getattr(args, "protocol", None))
        if args.input is not None:
            data = read_json_file(args.input)
        else:
            data = parse_json_text(sys.stdin.read(), "stdin")
        _print_json(grade_assessment(data, protocol), out)
        return EXIT_OK
    if args.command == "import":
        bedside = _open_bedside(args, create=True)
        try:
            result = bedside.import_file(args.file)
        finally:
            bedside.store.close()
        out.write(f"imported {result.patients_added} patients and {result.records_added} records "
                  f"({result.records_already_present} already present)\n")
        return EXIT_OK
    if args.command == "status":
        at = parse_time(args.at) if args.at else None
        bedside = _open_bedside(args, create=False)
        try:
            at = at or bedside.clock.now()
            states = [bedside.state(args.patient, at)] if args.patient else bedside.ward(at)
            _print_json(status_document(states, at, bedside.protocol), out)
        finally:
            bedside.store.close()
        return EXIT_OK
    if args.command == "export":
        bedside = _open_bedside(args, create=False)
        try:
            _print_json(bedside.store.export(), out)
        finally:
            bedside.store.close()
        return EXIT_OK
    raise InputError(f"{args.command}: not a headless command")


def report(exc: BaseException, err: TextIO = sys.stderr) -> int:
    """Print one plain line for a failure and return the exit status (2 bad input, 1 otherwise)."""
    if isinstance(exc, InputError):
        err.write(f"crs-bedside: {exc}\n")
        return EXIT_BAD_INPUT
    if isinstance(exc, BedsideError):
        err.write(f"crs-bedside: {exc}\n")
        return EXIT_FAILURE
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
        parser.error("this entry point runs only grade, import, status and export")
    try:
        return run(args)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - one plain line, never a traceback
        return report(exc)


if __name__ == "__main__":
    sys.exit(main())
