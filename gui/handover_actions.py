"""The handover from the File menu (RULES.md §7): the patient on screen or the whole ward, previewed, printed or
saved as a PDF through the one HandoverController of the window (gui/printing.py renders what core/handover.py
builds)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from gui.errors import show_error

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.printing import HandoverController


class HandoverActions(QObject):
    """Preview, print and save the handover of the patient shown, or of the ward."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self._controller: HandoverController | None = None

    def controller(self) -> HandoverController:
        """The one handover controller of this window (the PDF, the preview and the printout are one document)."""
        from gui.printing import HandoverController

        if self._controller is None:
            window = self.window
            self._controller = HandoverController(self.ctx, window)
            self._controller.pdfSaved.connect(lambda path: window.statusBar().showMessage(
                self.tr("Handover saved: %1").replace("%1", path), 10_000))
            self._controller.failed.connect(lambda message: show_error(
                window, self.tr("The handover could not be made."), self.tr("Nothing was printed or saved."),
                self.tr("Try again; if it fails again, tell clinic IT."), message))
        return self._controller

    def mrns(self) -> list[str] | None:
        """The patient on screen, or the whole ward from the ward list."""
        if self.window.on_patient_page() and self.window.patient.mrn:
            return [self.window.patient.mrn]
        return None

    def preview(self) -> None:
        """Handover: print preview."""
        self.controller().preview(self.mrns())

    def print_(self) -> None:
        """Handover: print."""
        self.controller().print_(self.mrns())

    def ask_pdf_path(self) -> str:
        """Where to save the handover PDF (tests replace the modal dialog)."""
        suggested = str(Path.home() / f"handover-{self.ctx.clock.now().astimezone():%Y%m%d-%H%M}.pdf")
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the handover as PDF"), suggested,
                                              "PDF (*.pdf)")
        return path

    def save_pdf(self) -> None:
        """Save the handover (this patient, or the ward) as a PDF, rendered off the UI thread."""
        path = self.ask_pdf_path()
        if path:
            self.controller().save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf", self.mrns())
