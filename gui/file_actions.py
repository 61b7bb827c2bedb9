"""The File menu's work with files: scheduled and manual backups, importing a file, merging another laptop's export,
and the export for the EHR (FHIR R4) run off the UI thread. Each asks the services (``Bedside``) and reports in the
window's status bar; the modal file dialogs are methods of their own, so tests replace them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog

from core.errors import BedsideError
from gui.errors import show_error, show_exception
from gui.i18n import Round

if TYPE_CHECKING:
    from gui.interop import FhirExportWorker
    from gui.main_window import MainWindow

log = logging.getLogger("crs_bedside.gui")


class FileActions(QObject):
    """Backups, import, merge and the EHR export of the main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.fhir_export: FhirExportWorker | None = None   # the FHIR export running in the background, if any
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(self.ctx.settings.backup_interval_minutes * 60_000)
        self.backup_timer.timeout.connect(self.make_scheduled_backup)
        self.backup_timer.start()

    def _message(self, text: str, timeout: int = 0) -> None:
        self.window.statusBar().showMessage(text, timeout)

    # -- backups ------------------------------------------------------------------------------------------------
    def make_scheduled_backup(self) -> None:
        """A rolling backup (``Bedside.make_backup``); a failure stays in the status bar until one succeeds."""
        try:
            self.ctx.bedside.make_backup("scheduled")
        except BedsideError as exc:   # a full disk (StoreError) or nobody signed in (PermissionDenied)
            log.warning("scheduled backup failed")
            self.window.status.show_backup_problem(str(exc))
            return
        self.window.status.show_backup_made()

    # -- import -------------------------------------------------------------------------------------------------
    def ask_import_path(self) -> str:
        """The file to import (a file dialog; tests replace it)."""
        path, _ = QFileDialog.getOpenFileName(self.window, Round.tr("Import a file"), "",
                                              Round.tr("JSON files (*.json)"))
        return path

    def import_file(self) -> None:
        """File -> Import...: the preview, then the import (what `crs-bedside import` does)."""
        from gui.import_dialog import ImportDialog

        path = self.ask_import_path()
        if not path:
            return
        dialog = ImportDialog(self.ctx, path, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_counts is not None:
            r = dialog.result_counts
            self.window.ward.refresh()
            self._message(Round.tr("Imported: %1 patients, %2 records (%3 already stored).").replace(
                "%1", str(r.patients_added)).replace("%2", str(r.records_added)).replace(
                "%3", str(r.records_already_present)), 10000)

    # -- from one laptop to the ward (gui/interop.py) -----------------------------------------------------------
    def ask_merge_path(self) -> str:
        """Which export of another laptop to merge (tests replace the modal dialog)."""
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Merge from another laptop"), str(Path.home()),
                                              self.tr("CRS Bedside export (*.json)"))
        return path

    def confirm_merge(self, dialog: QDialog) -> bool:
        """Show the merge preview; True when the user chose Merge (tests replace the modal dialog)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def merge_from_laptop(self) -> None:
        """Merge another laptop's export after a preview (patients, records new / already here, differences)."""
        from core.services import read_json_file
        from gui.interop import MergePreviewDialog

        path = self.ask_merge_path()
        if not path:
            return
        bedside = self.ctx.bedside
        try:
            data = read_json_file(path)
            plan = bedside.merge_preview(data)
        except Exception as exc:  # the one error path; nothing was written
            show_exception(self.window, exc)
            return
        if not self.confirm_merge(MergePreviewDialog(plan, Path(path).name, self.window)):
            return
        try:
            result = bedside.import_data(data, source=Path(path).name)
        except Exception as exc:
            show_exception(self.window, exc)
            return
        message = self.tr("Merged. Patients added: %1 · records added: %2 · records already here: %3.").replace(
            "%1", str(result.patients_added)).replace("%2", str(result.records_added)).replace(
            "%3", str(result.records_already_present))
        if result.differences:
            message += " " + self.tr("Differences in patient details kept for review: %1.").replace(
                "%1", str(len(result.differences)))
        self._message(message, 15_000)
        self.window.refresh()

    # -- to the hospital ----------------------------------------------------------------------------------------
    def ask_ehr_path(self) -> str:
        """Where to write the FHIR R4 Bundle (tests replace the modal dialog)."""
        suggested = str(Path.home() / f"crs-bedside-fhir-{self.ctx.clock.now().astimezone():%Y%m%d-%H%M}.json")
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export for the EHR (FHIR R4)"), suggested,
                                              self.tr("FHIR R4 Bundle (*.json)"))
        return path

    def export_for_ehr(self) -> None:
        """Write everything as one FHIR R4 Bundle, off the UI thread."""
        from gui.interop import FhirExportWorker

        path = self.ask_ehr_path()
        if not path:
            return
        target = Path(path if path.lower().endswith(".json") else path + ".json")
        self.fhir_export = FhirExportWorker(self.ctx.bedside, target, self.window)
        self.fhir_export.exported.connect(self._on_fhir_export_exported)
        self.fhir_export.failed.connect(self._on_fhir_export_failed)
        self._message(self.tr("Exporting for the EHR…"))
        self.window.update_actions()
        self.fhir_export.start()

    def _on_fhir_export_exported(self, path: str, resources: int) -> None:
        self.fhir_export = None
        self._message(self.tr("Exported %1 FHIR resources to %2").replace("%1", str(resources)).replace("%2", path),
                      15_000)
        self.window.update_actions()

    def _on_fhir_export_failed(self, details: str) -> None:
        self.fhir_export = None
        self.window.statusBar().clearMessage()
        show_error(self.window, self.tr("The export for the EHR was not written."),
                   self.tr("Nothing in the database was changed."),
                   self.tr("Check that the folder can be written to and has space, then try again."), details)
        self.window.update_actions()
