"""From one laptop to the ward and to the hospital (issue 17): File > Merge from another laptop (a preview of what
the merge would do before anything is written), File > Export for the EHR (a FHIR R4 Bundle, written off the UI
thread), and the status-bar line of what waits to be sent to the EHR. Thin: core.merge and core.fhir do the work."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from core.services import Bedside, MergePlan
from gui.words import patient_field_text, patient_value_text


class MergePreviewDialog(QDialog):
    """What merging another laptop's export would do: its patients, records new and already here, and the patient
    differences no record explains (kept for review, never overwritten). Nothing is written before OK."""

    def __init__(self, plan: MergePlan, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge from another laptop"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Nothing has been written yet. Merging adds the records this laptop does not have; "
                               "records already here are skipped, and this laptop's patient details are never "
                               "overwritten."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.source = QLabel(plan.source or file_name)
        form.addRow(self.tr("From"), self.source)
        self.patients = QLabel(self.tr("new: %1 · already here: %2").replace("%1", str(len(plan.new_patients)))
                               .replace("%2", str(len(plan.patients_here))))
        form.addRow(self.tr("Patients"), self.patients)
        self.records = QLabel(self.tr("new: %1 · already here: %2").replace("%1", str(plan.records_new))
                              .replace("%2", str(plan.records_present)))
        form.addRow(self.tr("Records"), self.records)
        layout.addLayout(form)
        if plan.new_patients:
            layout.addWidget(QLabel(self.tr("New patients:")))
            self.new_patients = _wrapping_list()
            self.new_patients.setAccessibleName(self.tr("New patients"))
            for patient in plan.new_patients:
                self.new_patients.addItem(f"{patient.mrn}  {patient.name}  {patient_field_text('bed')} "
                                          f"{patient_value_text('bed', patient.bed)}")
            layout.addWidget(self.new_patients)
        self.differences = _wrapping_list()
        self.differences.setAccessibleName(self.tr("Differences kept for review"))
        heading = QLabel(self.tr("Differences no record explains (this laptop's details stay; the other version is "
                                 "kept for an admin or clinician to settle on the patient page):")
                         if plan.differences else self.tr("No differences in patient details."))
        heading.setWordWrap(True)
        layout.addWidget(heading)
        for difference in plan.differences:
            self.differences.addItem(self.tr("%1 %2: here %3, in the file %4").replace("%1", difference.mrn)
                                     .replace("%2", patient_field_text(difference.field))
                                     .replace("%3", patient_value_text(difference.field, difference.here))
                                     .replace("%4", patient_value_text(difference.field, difference.there)))
        self.differences.setVisible(bool(plan.differences))
        layout.addWidget(self.differences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.merge_button.setDefault(True)
        # The default button's frame takes room from its text: make room for the translated word.
        self.merge_button.setMinimumWidth(self.merge_button.fontMetrics().horizontalAdvance(
            self.merge_button.text().replace("&", "")) + 40)
        self.merge_button.setFocus()   # Enter merges, Escape cancels
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _wrapping_list() -> QListWidget:
    """A list whose long lines wrap instead of being cut off."""
    widget = QListWidget()
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class FhirExportWorker(QThread):
    """Writes the FHIR R4 Bundle of the whole file off the UI thread, on its own read-only connection."""

    exported = Signal(str, int)       # path, resources
    failed = Signal(str)

    def __init__(self, bedside: Bedside, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.bedside = bedside
        self.path = path

    def run(self) -> None:  # QThread override
        try:
            reader = self.bedside.open_reader()   # SQLite connections stay in their thread
            try:
                bundle = reader.fhir_bundle()
            finally:
                reader.close()
            partial = self.path.with_name(f".{self.path.name}.partial")
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(bundle, handle, ensure_ascii=False)
            os.replace(partial, self.path)
            self.exported.emit(str(self.path), len(bundle["entry"]))
        except Exception as exc:  # reported to the window, never lost
            self.failed.emit(f"{type(exc).__name__}: {exc}")
