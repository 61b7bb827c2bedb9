"""Admit, edit, transfer (issue 13): every patient field checked as it is typed, with the limit named (the limits are
the pydantic fields of core.records.Patient). Admission writes the patient; an edit or a transfer is a
``patient_updated`` record of what changed, never an overwrite (the old value stays in the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pydantic import ValidationError
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from core.records import PATIENT_UPDATABLE_FIELDS, Indication, Patient, Sex
from core.services import Recorded
from core.validation_messages import field_errors
from gui import words as w
from gui.context import AppContext
from gui.i18n import Round
from gui.record_dialogs import Field, RecordForm

#: The form's fields, in the order typed (every field of the patient a nurse enters).
PATIENT_FORM = (
    Field("mrn", "text"), Field("name", "text"), Field("birth_date", "date"),
    Field("sex", "choice", tuple(s.value for s in Sex), w.SEXES),
    Field("weight_kg", "number"), Field("height_cm", "number"),
    Field("indication", "choice", tuple(i.value for i in Indication), w.INDICATIONS),
    Field("diagnosis", "text"), Field("ward", "text"), Field("bed", "text"), Field("marrow_blasts_percent", "number"),
)
MODES = ("admit", "edit", "transfer")


class PatientDialog(RecordForm):
    """Admit (every field), edit (every field but the MRN) or transfer (ward and bed) one patient."""

    def __init__(self, ctx: AppContext, mode: str, patient: Patient | None = None, parent: QWidget | None = None):
        assert mode in MODES
        self.mode = mode
        self.patient = patient
        self.recorded: Recorded | None = None
        self.admitted: Patient | None = None
        if mode == "admit":
            fields = list(PATIENT_FORM)
            title = Round.tr("Admit a patient")
        elif mode == "edit":
            fields = [f for f in PATIENT_FORM if f.name in PATIENT_UPDATABLE_FIELDS]
            title = Round.tr("Edit details – %1").replace("%1", patient.name if patient else "")
        else:
            fields = [f for f in PATIENT_FORM if f.name in ("ward", "bed")]
            title = Round.tr("Transfer – %1").replace("%1", patient.name if patient else "")
        super().__init__(ctx, title, Patient, fields, with_time=mode != "admit", parent=parent)
        if patient is not None:
            self._fill(patient)
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, n=name: self.check(n))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self.check(n))

    def hint_for(self, spec: Field) -> str:
        if spec.name == "mrn":
            return Round.tr("letters, digits, . _ - (at most 32)")
        if spec.name == "birth_date":
            return Round.tr("YYYY-MM-DD")
        return super().hint_for(spec)

    def _fill(self, p: Patient) -> None:
        for name, widget in self.inputs.items():
            value = getattr(p, name)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(getattr(value, "value", value))))
            elif isinstance(value, float):
                cast(QLineEdit, widget).setText(f"{value:g}")
            elif value is not None:
                cast(QLineEdit, widget).setText(value.isoformat() if hasattr(value, "isoformat") else str(value))

    def _details(self, values: dict[str, Any]) -> dict[str, Any]:
        """The whole patient as it would be: the current details with the typed fields over them."""
        base = self.patient.model_dump(mode="json") if self.patient is not None else {}
        base.update(values)
        return {k: v for k, v in base.items() if v is not None}

    def check(self, name: str) -> None:
        """Check one field as it is typed: the value and the limit next to it, or nothing when it is right."""
        label = self.messages[name]
        try:
            values = self.values()
        except ValueError as exc:
            if str(exc) == name:
                label.setText("✖ " + Round.tr("not a number"))
                label.show()
            return
        try:
            Patient.model_validate(self._details(values))
        except ValidationError as exc:
            problems = field_errors(exc, Patient)
            if name in problems and values.get(name) is not None:
                label.setText("✖ " + problems[name])
                label.show()
                return
        label.clear()
        label.hide()

    def submit(self, values: dict[str, Any], when: datetime | None) -> None:
        if self.mode == "admit":
            self.admitted = self.ctx.bedside.admit(values)
            self.ctx.signals.recordsChanged.emit(self.admitted.mrn)
            return
        assert self.patient is not None
        self.recorded = self.ctx.bedside.update_patient(self.patient.mrn, values, when)
        self.ctx.signals.recordsChanged.emit(self.patient.mrn)
