"""Console entry point ``crs-bedside``: headless commands go to core.cli without loading Qt; the rest starts Qt."""

from __future__ import annotations

import gc
import os
import sys

# Start-up makes a few hundred thousand objects (modules, classes, the models' schemas, the protocol, the window) and
# none of them becomes garbage; the cycle collector walking them again and again as they were made cost about 40 ms of
# each start-up (build_scripts/bench.py). It is off while they are made: here while the modules load, and in main()
# until the window is up (gui.app.keep_start_up_objects freezes them and turns it on).
_COLLECTING = gc.isenabled()
gc.disable()
import argparse  # noqa: E402 - loaded with the cycle collector off (above), as is everything below

from core import cli  # noqa: E402 - loaded with the cycle collector off (above)
from core.logging_setup import install_crash_logging, setup_logging  # noqa: E402 - as argparse

gc.freeze()   # what they made is never garbage: later collections need not walk it again
if _COLLECTING:
    gc.enable()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the GUI, the self-test, the handover or a headless command."""
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    if getattr(sys.excepthook, "__module__", None) != "core.logging_setup":   # once per process, not per call
        install_crash_logging()
    if args.version:
        print(f"crs-bedside {cli.app_version()}")
        return cli.EXIT_OK
    try:
        if args.command in cli.HEADLESS_COMMANDS:
            return cli.run(args)
        if args.command == "handover":
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from gui.printing import run_handover_command

            return run_handover_command(args)
        if args.self_test:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from gui.selftest import run_self_test

            return run_self_test()
        return _run_gui(args)
    except BrokenPipeError:
        return cli.EXIT_OK
    except Exception as exc:  # one plain line, never a traceback
        return cli.report(exc)


def _run_gui(args: argparse.Namespace) -> int:
    """The window, with the cycle collector off until it is up (see above); as it was after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from gui.app import run_gui

        return run_gui(args)
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
