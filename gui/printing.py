"""Handover printing: core's handover HTML laid out with QTextDocument on pages, with a painted header and footer
on every page, to a PDF file, the printer or the print preview; and the headless ``crs-bedside handover`` command.

Every path (command line, main window, self-test) goes through :func:`render_handover_pdf` (or, for the printer
and the preview, the same :func:`paint_handover`), so the PDF from the command line and from the GUI is one
document. Each patient is laid out as its own document so that the page header always names the patient on that
page, and "page x of y" counts the whole handover.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core import __version__, cli
from core.errors import BedsideError, InputError
from core.handover import (
    SEVERITIES,
    Handover,
    apply_severities,
    build_handover,
)
from core.security import Permission
from core.services import Bedside, Clock
from gui.handover_layout import (
    TREND_SIZE,
    Section,
    draw_trend_strip,
    paint_handover,
    prepare_sections,
    render_handover_pdf,
)
from gui.printers import (
    Printers,
    PrinterUnavailable,
    _printer,
    print_handover,
    print_sections,
    printer_names,
    ready_printer,
)

__all__ = ["TREND_SIZE", "HandoverController", "PrinterUnavailable", "Printers", "SeverityDialog", "draw_trend_strip",
           "prepare_sections", "print_handover", "printer_names", "ready_printer", "render_handover_pdf",
           "run_handover_command", "write_handover_pdf"]


def write_handover_pdf(bedside: Bedside, out_path: str | Path, mrns: Sequence[str] | None = None,
                       at: datetime | None = None, severities: dict[str, str] | None = None,
                       progress: Callable[[int, int], None] | None = None, language: str = "en",
                       unit: str = "C") -> Path:
    """The handover PDF of the ward (or of ``mrns``) at ``at`` (default: now). Used by the command line, the main
    window and the self-test, so all three make the same document. Needs a QGuiApplication.

    Raises:
        InputError: an unknown MRN, an invalid severity, or an output that cannot be written.
    """
    handover = build_handover(bedside, mrns=mrns, at=at, app_version=__version__, severities=severities,
                              language=language, unit=unit)
    return render_handover_pdf(handover, out_path, progress)


def run_handover_command(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """``crs-bedside handover --db PATH --pdf OUT [--patient MRN] [--at TIME] [--language en|es] [--unit c|f]``
    (INTERFACE.md), and with ``--print [--printer NAME]`` to a printer instead of, or as well as, the PDF
    (:func:`print_handover`).

    Exit status 0 when written; 2 for bad input (a missing database, an unknown MRN, a time without an offset, an
    output folder that does not exist), with one plain line on stderr.
    """
    try:
        at = cli.parse_time(args.at) if getattr(args, "at", None) else None
        db = getattr(args, "db", None)
        if db is None:
            raise InputError("--db: the handover command needs --db PATH")
        if not Path(db).is_file():
            raise InputError(f"--db: {db} does not exist")
        # Signed in like every command that reads patient data (--user / $CRS_BEDSIDE_USER and the PIN); a refused
        # sign-in writes nothing.
        bedside = cli.open_bedside(args, create=False, clock=clock)
        try:
            mrns = [bedside.patient(args.patient).mrn] if getattr(args, "patient", None) else None
            if mrns is None:
                bedside.require(Permission.READ)
            # A QApplication (not only a QGuiApplication): a window made later in the same process (tests that
            # run the command in-process, then open the GUI) needs one, and Qt aborts otherwise.
            QApplication.instance() or QApplication([])
            language, unit = getattr(args, "language", "en"), getattr(args, "unit", "c").upper()
            if getattr(args, "printer", None) is not None and not getattr(args, "print", False):
                raise InputError(f"--printer: {args.printer} is used only with --print")
            if getattr(args, "print", False):
                printer = ready_printer(getattr(args, "printer", None))  # before any work: nothing half done
                handover = build_handover(bedside, mrns=mrns, at=at, app_version=__version__,
                                          language=language, unit=unit)
                if args.pdf is not None:
                    print(f"wrote {render_handover_pdf(handover, args.pdf)}")
                pages = print_handover(handover, printer)
                print(f"sent {pages} page{'' if pages == 1 else 's'} to the printer {printer.printerName()}")
                return cli.EXIT_OK
            if args.pdf is None:
                raise InputError("--pdf: the handover command needs --pdf OUT, --print, or both")
            path = write_handover_pdf(bedside, args.pdf, mrns, at, language=language, unit=unit)
        finally:
            bedside.close()
        print(f"wrote {path}")
        return cli.EXIT_OK
    except Exception as exc:  # one plain line, never a traceback
        return cli.report(exc, sys.stderr)


# -- the main window's API ----------------------------------------------------------------------------------------
_SEVERITY_WORDS = {"stable": "Stable", "watcher": "Watcher", "unstable": "Unstable"}


class SeverityDialog(QDialog):
    """Lets the nurse confirm or change the suggested illness severity of each patient before printing."""

    def __init__(self, handover: Handover, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handover: illness severity"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("The app suggests a severity from the grades and NEWS2. Change it where "
                               "your judgement differs; the page prints your choice and the suggestion."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self._combos: dict[str, QComboBox] = {}
        for h in handover.patients:
            combo = QComboBox()
            for value in SEVERITIES:
                combo.addItem(self.tr(_SEVERITY_WORDS[value]), value)
            combo.setCurrentIndex(SEVERITIES.index(h.severity.selected))
            combo.setAccessibleName(self.tr("Illness severity of %1").replace("%1", h.patient.name))
            suggested = self.tr("suggested: %1").replace("%1", self.tr(_SEVERITY_WORDS[h.severity.suggested]))
            label = QLabel(f"{h.patient.bed or '—'} · {h.patient.name} ({h.patient.mrn}) — {suggested}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(label, combo)
            self._combos[h.patient.mrn] = combo
        scroll_body = QWidget()
        scroll_body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(scroll_body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def severities(self) -> dict[str, str]:
        """The chosen severity of every patient, by MRN."""
        return {mrn: combo.currentData() for mrn, combo in self._combos.items()}


class _WorkerSignals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(int, object)
    failed = Signal(int, str)


class _Worker(QRunnable):
    """Runs one handover job off the UI thread on its own database connection (SQLite connections stay in the
    thread that opened them)."""

    def __init__(self, token: int, job: Callable[[Bedside, Callable[[int, int], None]], object], bedside: Bedside):
        super().__init__()
        self.signals = _WorkerSignals()
        self._token = token
        self._job = job
        self._bedside = bedside

    def run(self) -> None:
        try:
            # The signed-in person's own services on a read-only connection of this thread.
            reader = self._bedside.open_reader()
            try:
                result = self._job(reader, self.signals.progressed.emit)
            finally:
                reader.close()
        except Exception as exc:  # reported to the user in one sentence
            message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            self.signals.failed.emit(self._token, message)
        else:
            self.signals.succeeded.emit(self._token, result)


class HandoverController(QObject):
    """The main window's handover actions: preview, print and save as PDF, for one patient or the whole ward.

    The slow part (folding every patient's records and drawing the pages) runs on a worker thread with progress;
    the nurse confirms the illness severities in :class:`SeverityDialog` before anything is printed.
    """

    progressChanged = Signal(int, int)
    pdfSaved = Signal(str)
    failed = Signal(str)

    def __init__(self, context_or_bedside: object, parent_widget: QWidget | None = None):
        super().__init__(parent_widget)
        self._bedside = cast(Bedside, getattr(context_or_bedside, "bedside", context_or_bedside))
        settings = getattr(context_or_bedside, "settings", None)   # the window's language and unit (issue 14)
        self._words = (settings.language, settings.temperature_unit) if settings is not None else ("en", "C")
        self._parent = parent_widget
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._progress: QProgressDialog | None = None
        self._pending: dict[int, tuple[_Worker, Callable[[object], None]]] = {}
        self._next_token = 0

    # -- public slots -------------------------------------------------------------------------------------------
    @Slot()
    def preview(self, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then open the print preview."""
        self._build(mrns, self._show_preview)

    @Slot()
    def print_(self, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then print it through the print dialog."""
        self._build(mrns, self._print)

    @Slot(str)
    def save_pdf(self, path: str | Path, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then write the PDF off the UI thread
        (``pdfSaved`` with the path when done, ``failed`` with a message otherwise)."""
        self._build(mrns, lambda handover: self._save(handover, Path(path)))

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the worker thread (for tests and for closing the window)."""
        return self._pool.waitForDone(msecs)

    # -- steps --------------------------------------------------------------------------------------------------
    def _start(self, job: Callable[[Bedside, Callable[[int, int], None]], object],
               done: Callable[[object], None], label: str) -> None:
        self._next_token += 1
        worker = _Worker(self._next_token, job, self._bedside)
        worker.setAutoDelete(False)  # kept in self._pending until its result is handled
        self._pending[self._next_token] = (worker, done)
        self._show_progress(label)
        # Bound slots of this UI-thread object: the worker's signals arrive queued on the UI thread.
        worker.signals.progressed.connect(self._on_worker_progressed)
        worker.signals.succeeded.connect(self._on_worker_succeeded)
        worker.signals.failed.connect(self._on_worker_failed)
        self._pool.start(worker)

    def _build(self, mrns: Sequence[str] | None, then: Callable[[Handover], None]) -> None:
        at = self._bedside.clock.now().astimezone()  # shown in the machine's local time (D8)
        version = __version__
        mrn_list = list(mrns) if mrns is not None else None

        language, unit = self._words

        def job(bedside: Bedside, progress: Callable[[int, int], None]) -> Handover:
            return build_handover(bedside, mrns=mrn_list, at=at, app_version=version, progress=progress,
                                  language=language, unit=unit)

        def built(result: object) -> None:
            dialog = SeverityDialog(result, self._parent)  # type: ignore[arg-type]  # the job's Handover
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            then(apply_severities(result, dialog.severities()))  # type: ignore[arg-type]  # the job's Handover

        self._start(job, built, self.tr("Preparing the handover…"))

    def _save(self, handover: Handover, path: Path) -> None:
        def job(_bedside: Bedside, progress: Callable[[int, int], None]) -> Path:
            return render_handover_pdf(handover, path, progress)

        self._start(job, lambda result: self.pdfSaved.emit(str(result)), self.tr("Writing the handover PDF…"))

    def _sections_then(self, handover: Handover, then: Callable[[list[Section]], None]) -> None:
        def job(_bedside: Bedside, progress: Callable[[int, int], None]) -> list[Section]:
            return prepare_sections(handover)

        self._start(job, then, self.tr("Drawing the handover pages…"))  # type: ignore[arg-type]  # gets the job's list

    def _show_preview(self, handover: Handover) -> None:
        def show(sections: list[Section]) -> None:
            printer = _printer()
            dialog = QPrintPreviewDialog(printer, self._parent)
            dialog.setWindowTitle(self.tr("Handover preview"))
            dialog.paintRequested.connect(lambda device: paint_handover(sections, device))
            dialog.exec()

        self._sections_then(handover, show)

    def _print(self, handover: Handover) -> None:
        def show(sections: list[Section]) -> None:
            try:
                printer = ready_printer(None, any_printer=True)
            except PrinterUnavailable as exc:
                QMessageBox.warning(self._parent, self.tr("Handover"), str(exc))
                return
            dialog = QPrintDialog(printer, self._parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            try:
                print_sections(sections, printer)
            except BedsideError as exc:
                QMessageBox.warning(self._parent, self.tr("Handover"), str(exc))

        self._sections_then(handover, show)

    # -- progress and results -----------------------------------------------------------------------------------
    def _show_progress(self, label: str) -> None:
        if self._progress is None:
            self._progress = QProgressDialog(self._parent)
            self._progress.setCancelButton(None)
            self._progress.setMinimumDuration(300)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setLabelText(label)
        self._progress.setRange(0, 0)
        self._progress.setValue(0)

    @Slot(int, int)
    def _on_worker_progressed(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setRange(0, total)
            self._progress.setValue(done)
        self.progressChanged.emit(done, total)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()

    @Slot(int, object)
    def _on_worker_succeeded(self, token: int, result: object) -> None:
        _worker, done = self._pending.pop(token)
        self._close_progress()
        done(result)

    @Slot(int, str)
    def _on_worker_failed(self, token: int, message: str) -> None:
        self._pending.pop(token, None)
        self._close_progress()
        self.failed.emit(message)
        QMessageBox.warning(self._parent, self.tr("Handover"),
                            self.tr("The handover could not be made: %1").replace("%1", message))
