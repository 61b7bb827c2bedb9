"""Console entry point ``crs-bedside``: headless commands go to core.cli without loading Qt; the rest starts Qt."""

from __future__ import annotations

import os
import sys

from core import cli
from core.logging_setup import install_crash_logging, setup_logging


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
        from gui.app import run_gui

        return run_gui(args)
    except BrokenPipeError:
        return cli.EXIT_OK
    except Exception as exc:  # one plain line, never a traceback
        return cli.report(exc)


if __name__ == "__main__":
    sys.exit(main())
