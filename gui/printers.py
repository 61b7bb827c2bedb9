"""Printers for the handover: the printer chosen or the default, checked with CUPS before any work (stopped, not
accepting jobs, unknown), and the laid-out sections sent to it. The command line's ``--print`` and the window's
Print both end in :func:`print_sections`."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Sequence
from functools import lru_cache

from PySide6.QtCore import (
    QCoreApplication,
    QMarginsF,
)
from PySide6.QtGui import (
    QPageLayout,
    QPageSize,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from core.errors import BedsideError, InputError
from core.handover import (
    Handover,
)
from gui.handover_layout import PDF_TITLE, Section, paint_handover, prepare_sections


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setDocName(PDF_TITLE)
    return printer


# -- printers -----------------------------------------------------------------------------------------------------
class PrinterUnavailable(BedsideError):
    """The printer cannot take the handover now (none set up, unknown, stopped, or not accepting jobs)."""


class Printers:
    """Translation context of the printer messages (the command line, with no translator installed, prints English)."""

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("Printers", text)


class _CupsOption(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


class _CupsDest(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("instance", ctypes.c_char_p), ("is_default", ctypes.c_int),
                ("num_options", ctypes.c_int), ("options", ctypes.POINTER(_CupsOption))]


@lru_cache(maxsize=1)
def _libcups() -> ctypes.CDLL | None:
    """The system's CUPS library (the one Qt's print plugin uses); ``None`` where there is none (Windows)."""
    name = ctypes.util.find_library("cups")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.cupsGetNamedDest.restype = ctypes.POINTER(_CupsDest)
    lib.cupsGetNamedDest.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.cupsFreeDests.restype = None
    lib.cupsFreeDests.argtypes = [ctypes.c_int, ctypes.POINTER(_CupsDest)]
    return lib


def cups_queue(name: str) -> dict[str, str]:
    """The CUPS attributes of the queue ``name`` (``printer-state``, ``printer-is-accepting-jobs``, ...), as the
    scheduler reports them now; empty where CUPS is not used or does not know the queue."""
    lib = _libcups()
    if lib is None:
        return {}
    dest = lib.cupsGetNamedDest(None, name.encode(), None)
    if not dest:
        return {}
    try:
        options = dest.contents.options
        return {options[i].name.decode(errors="replace"): (options[i].value or b"").decode(errors="replace")
                for i in range(dest.contents.num_options)}
    finally:
        lib.cupsFreeDests(1, dest)


def printer_names() -> list[str]:
    """The printers this computer can print to, as the print dialog lists them."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def check_printer(name: str) -> None:
    """Refuse a queue that would not print now: stopped (CUPS ``printer-state`` 5, paused in the printer settings)
    or not accepting jobs (rejecting). One plain sentence each, naming the printer and what to do."""
    queue = cups_queue(name)
    stopped = queue.get("printer-state") == "5" if queue else \
        QPrinterInfo.printerInfo(name).state() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)
    if queue.get("printer-is-accepting-jobs") == "false":
        raise PrinterUnavailable(Printers.tr(
            "The printer %1 is not accepting jobs, so nothing was printed. Ask IT to let it accept jobs again "
            "(cupsaccept %1), or save the handover as a PDF.").replace("%1", name))
    if stopped:
        raise PrinterUnavailable(Printers.tr(
            "The printer %1 is paused, so nothing was printed. Resume it in the printer settings (cupsenable %1), "
            "or save the handover as a PDF.").replace("%1", name))


def ready_printer(name: str | None, *, any_printer: bool = False) -> QPrinter:
    """A printer set up for the handover (A4, full page): the one named, else the system default (else, with
    ``any_printer``, the first one, for the print dialog to start from). Checks it can print now.

    Raises:
        PrinterUnavailable: no printer is set up, or none is the default, or the printer cannot print now.
        InputError: no printer has that name (exit status 2 on the command line).
    """
    names = printer_names()
    if not names:
        raise PrinterUnavailable(Printers.tr(
            "No printer is set up on this computer, so nothing was printed. Ask IT to add one, or save the "
            "handover as a PDF."))
    if name is None:
        name = QPrinterInfo.defaultPrinterName() or (names[0] if any_printer else None)
        if name is None:
            raise PrinterUnavailable(Printers.tr(
                "No printer is the default on this computer, so nothing was printed. Name one of these with "
                "--printer: %1.").replace("%1", ", ".join(names)))
    elif name not in names:
        raise InputError(Printers.tr(
            "--printer: there is no printer named %1 on this computer, so nothing was printed. The printers "
            "are: %2.").replace("%1", name).replace("%2", ", ".join(names)))
    if not any_printer:
        check_printer(name)
    printer = _printer()
    printer.setPrinterName(name)
    return printer


def print_sections(sections: Sequence[Section], printer: QPrinter,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Paint the handover's pages on ``printer`` (after checking its queue again); the number of pages sent.
    The print dialog's "print to file" is written as the PDF it names."""
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        check_printer(printer.printerName())
    return paint_handover(sections, printer, progress)


def print_handover(handover: Handover, printer: QPrinter,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Send a built handover to a printer from :func:`ready_printer`; the number of pages. The command line's
    ``--print`` and the window's Print both end here (:func:`print_sections`)."""
    return print_sections(prepare_sections(handover), printer, progress)
