"""Logging without patient data: a rotating log file in the per-user data folder, and redacted crash reports.

What is logged: record ids, record types, sequence numbers, counts, outcomes (sign-in, backup, migration, audit
chain), exception *types* and where they happened. What is never logged: names, MRNs, birth dates, observed values,
free text, PINs, or an exception's message (messages name fields and values, e.g. ``records[3].temperature_c:
60.0 is outside ...``). The code that logs is written that way (see core/store.py, core/security.py); the crash
hook below drops exception messages; a test runs a whole scenario and searches the log for the patient's name and
MRN.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

ROOT_LOGGER = "crs_bedside"
LOG_FILE_NAME = "crs-bedside.log"
#: Environment variable that moves the log folder (tests, portable installs).
LOG_DIR_ENV = "CRS_BEDSIDE_LOG_DIR"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

_installed: dict[str, logging.Handler] = {}


def default_log_dir() -> Path:
    """``$CRS_BEDSIDE_LOG_DIR`` or ``logs`` in the per-user data folder."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    from core.paths import user_data_dir

    return user_data_dir() / "logs"


def setup_logging(log_dir: str | Path | None = None, level: int = logging.INFO) -> Path | None:
    """Send CRS Bedside's log to a rotating file; idempotent per folder.

    Returns:
        The log file, or ``None`` when the folder cannot be written (logging must never stop the ward).
    """
    folder = Path(log_dir) if log_dir is not None else default_log_dir()
    path = folder / LOG_FILE_NAME
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(level)
    if str(path) in _installed:
        return path
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    _installed[str(path)] = handler
    return path


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log, each file made readable by its owner only (0600)."""

    def _open(self) -> TextIOWrapper:
        os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        return super()._open()


def teardown_logging() -> None:
    """Remove the handlers :func:`setup_logging` installed (tests; end of process)."""
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in _installed.values():
        logger.removeHandler(handler)
        handler.close()
    _installed.clear()


def redacted_traceback(exc_type: type[BaseException], exc: BaseException,
                       tb: TracebackType | None) -> str:
    """A traceback with file names, line numbers and code lines, but no exception message and no local values.

    The GUI's crash dialog and the log both use this, so a crash report never carries what a nurse typed.
    """
    frames = traceback.format_list(traceback.extract_tb(tb))
    chained = exc.__cause__ or exc.__context__
    head = ""
    if chained is not None and chained is not exc:
        head = redacted_traceback(type(chained), chained, chained.__traceback__) + "\n(then)\n"
    return head + "Traceback (most recent call last):\n" + "".join(frames) + \
        f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld: it may hold patient data)"


def log_exception(exc: BaseException, where: str) -> None:
    """Log an unexpected failure, redacted (see :func:`redacted_traceback`)."""
    logging.getLogger(ROOT_LOGGER).error("unexpected failure in %s:\n%s", where,
                                         redacted_traceback(type(exc), exc, exc.__traceback__))


def install_crash_logging() -> None:
    """Log uncaught exceptions (main and worker threads) redacted, then let the previous hooks run."""
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logging.getLogger(ROOT_LOGGER).critical("crash:\n%s", redacted_traceback(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    sys.excepthook = hook
    previous_thread = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            logging.getLogger(ROOT_LOGGER).critical(
                "crash in a worker thread:\n%s", redacted_traceback(args.exc_type, args.exc_value, args.exc_traceback))
        previous_thread(args)

    threading.excepthook = thread_hook
