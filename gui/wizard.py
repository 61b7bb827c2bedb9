"""The vitals wizard: keyboard-first entry of one set of observations, graded by core before it is saved.

Type a value, Tab to the next, Enter for the next step; Enter on the review saves. Limits come from the record
fields (core.records.field_limits); core validates every value and its message is shown inline next to the field.
The steps are built by gui/wizard_pages.py, checked by gui/wizard_checks.py and reviewed by gui/wizard_review.py;
which records the assessment makes is core's decision (core/assessment_draft.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.records import Vasopressor
from core.services import assessment_draft
from core.state import PatientState
from gui.autolock import building_widgets
from gui.context import AppContext
from gui.wizard_checks import check_step
from gui.wizard_inputs import ERROR_SHEET, NumberInput
from gui.wizard_pages import build_steps
from gui.wizard_review import show_input_error, update_review

STEPS = 5


class VitalsWizard(QDialog):
    """Five steps: temperature/pulse/respiration, blood pressure, oxygen, consciousness and symptoms, review."""

    # The fields of the steps (built by gui/wizard_pages.py), named here for readers and the type checker.
    temperature: NumberInput
    heart_rate: NumberInput
    respiratory_rate: NumberInput
    systolic: NumberInput
    diastolic: NumberInput
    low_bp: QLabel
    repeat_systolic: NumberInput
    repeat_diastolic: NumberInput
    fluids: QCheckBox
    pressors: dict[Vasopressor, QCheckBox]
    bolus_volume: QLineEdit
    bolus_unit: str
    bolus_widgets: tuple[QWidget, ...]
    device: QComboBox
    flow: NumberInput
    fio2: NumberInput
    comfort: QCheckBox
    spo2: NumberInput
    consciousness: QComboBox
    ice_box: QFrame
    ice_score: QLineEdit
    arousal: QComboBox
    seizure: QComboBox
    ice_message: QLabel
    symptoms: dict[str, QCheckBox]
    summary: QLabel
    time_edit: QDateTimeEdit
    time_message: QLabel
    grade_row: QHBoxLayout
    scales: QLabel
    review_todo: QLabel
    review_details: QLabel

    def __init__(self, ctx: AppContext, mrn: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn = mrn
        self.patient = ctx.bedside.patient(mrn)
        self.preview_state: PatientState | None = None
        self.saved_state: PatientState | None = None
        self.warnings: tuple[str, ...] = ()
        self.low_bp_prompted = False   # D4: the repeat of a low reading is asked for once
        self.setWindowTitle(self.tr("Record vitals – bed %1, %2").replace("%1", self.patient.bed or "–").replace(
            "%2", self.patient.name))
        self.setAccessibleName(self.windowTitle())
        fahrenheit = ctx.settings.temperature_unit == "F"
        with building_widgets():   # its hundred-odd widgets, without a call into Python for each of their Qt events
            self._build(fahrenheit)
            self.ensurePolished()   # polished here, not by as many posted events on the next turn of the loop

    def _build(self, fahrenheit: bool) -> None:
        """The patient's line, the five steps, the buttons, and their wiring."""
        self.who = QLabel(self.tr("Bed %1 · %2 · %3").replace("%1", self.patient.bed or "–").replace(
            "%2", self.patient.name).replace("%3", self.patient.mrn))
        self.who.setTextFormat(Qt.TextFormat.PlainText)   # the name as typed, never rich text
        self.who.setAccessibleName(self.tr("Patient"))
        who_font = self.who.font()
        who_font.setBold(True)
        who_font.setPointSizeF(who_font.pointSizeF() * 1.2)
        self.who.setFont(who_font)
        self.step_label = QLabel()
        self.step_label.setAccessibleName(self.tr("Step"))
        self.stack = QStackedWidget()
        build_steps(self, fahrenheit)
        self.fluids.toggled.connect(self._on_fluids_toggled)
        self.device.currentIndexChanged.connect(self._on_device_changed)
        self.consciousness.currentIndexChanged.connect(self._on_consciousness_changed)
        self.time_edit.dateTimeChanged.connect(self._on_time_changed)

        self.back_button = QPushButton(self.tr("‹ &Back"))
        self.back_button.setAutoDefault(False)
        self.back_button.setAccessibleName(self.tr("Previous step"))
        self.back_button.clicked.connect(self.go_back)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setAccessibleName(self.tr("Cancel without saving"))
        self.cancel_button.clicked.connect(self.reject)
        self.primary = QPushButton()
        self.primary.setDefault(True)
        self.primary.clicked.connect(self.advance)
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        self.form_message.setStyleSheet(ERROR_SHEET)
        self.form_message.setAccessibleName(self.tr("Message"))
        self.form_message.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.primary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.form_message)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.go_back)
        self.reset_time()
        self._on_device_changed()
        self._show_step(0)

    # -- the steps -----------------------------------------------------------------------------------------
    def inputs(self, step: int) -> list[NumberInput]:
        """The numeric fields of a step (0–2; the others have none)."""
        return {0: [self.temperature, self.heart_rate, self.respiratory_rate],
                1: [self.systolic, self.diastolic, self.repeat_systolic, self.repeat_diastolic],
                2: [self.flow, self.fio2, self.spo2]}.get(step, [])

    def _titles(self) -> tuple[str, ...]:
        return (self.tr("Temperature, pulse, respiration"), self.tr("Blood pressure"), self.tr("Oxygen"),
                self.tr("Consciousness and symptoms"), self.tr("Review and save"))

    def step(self) -> int:
        """The current step, 0–4."""
        return self.stack.currentIndex()

    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.step_label.setText(self.tr("Step %1 of %2 · %3").replace("%1", str(step + 1)).replace(
            "%2", str(STEPS)).replace("%3", self._titles()[step]))
        self.back_button.setEnabled(step > 0)
        self.primary.setText(self.tr("&Save") if step == STEPS - 1 else self.tr("&Next ›"))
        self.primary.setAccessibleName(self.tr("Save the observations") if step == STEPS - 1 else self.tr("Next step"))
        self.form_message.hide()
        first = {0: self.temperature.edit, 1: self.systolic.edit, 2: self.device, 3: self.consciousness,
                 4: self.primary}[step]
        if step == STEPS - 1:
            update_review(self)
        first.setFocus(Qt.FocusReason.TabFocusReason)

    def reset_time(self) -> None:
        """Taken at: now (it may be changed to an earlier time)."""
        now = self.ctx.clock.now()
        self.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp())))

    def taken_at(self) -> datetime:
        """The time in the time field as an aware UTC instant."""
        return datetime.fromtimestamp(self.time_edit.dateTime().toSecsSinceEpoch(), tz=UTC)

    # -- reactions ----------------------------------------------------------------------------------------------
    def _on_device_changed(self, _index: int = 0) -> None:
        asked = assessment_draft.oxygen_questions(self.device.currentData())   # D5: FiO2 where the device sets one
        self.flow.set_visible(asked.flow)
        self.fio2.set_visible(asked.fio2)
        self.comfort.setVisible(asked.comfort)

    def _on_fluids_toggled(self, ticked: bool) -> None:
        for widget in self.bolus_widgets:   # the bolus volume is asked for once a bolus is ticked (issue 13)
            widget.setVisible(ticked)

    def _on_consciousness_changed(self, _index: int = 0) -> None:
        self.ice_box.setVisible(assessment_draft.asks_for_ice(self.consciousness.currentData()))   # R-ICN-1

    def _on_time_changed(self, _value: QDateTime) -> None:
        self.time_message.hide()
        if self.step() == STEPS - 1:
            update_review(self)

    # -- navigation ---------------------------------------------------------------------------------------------
    def has_entries(self) -> bool:
        """Whether anything has been typed (Esc then asks before throwing it away)."""
        edits = [item.edit for step in range(3) for item in self.inputs(step)] + [self.ice_score]
        return any(edit.text().strip() for edit in edits)

    def confirm_discard(self) -> bool:
        """The modal question "discard what you typed?" (tests replace it)."""
        answer = QMessageBox.question(
            self, self.tr("Discard the values?"),
            self.tr("The values you typed have not been saved. Close without saving them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        """Esc or Cancel: nothing typed is thrown away without asking."""
        if self.result() != QDialog.DialogCode.Accepted and self.has_entries() and not self.confirm_discard():
            return
        super().reject()

    def go_back(self) -> None:
        """One step back (values are kept)."""
        if self.step() > 0:
            self._show_step(self.step() - 1)

    def advance(self) -> None:
        """Enter: check this step and go on; on the review, save."""
        step = self.step()
        if step == STEPS - 1:
            self.save()
            return
        if not check_step(self, step):
            return
        self._show_step(step + 1)

    # -- the draft ----------------------------------------------------------------------------------------------
    def entry(self) -> assessment_draft.AssessmentEntry:
        """What was typed and ticked, as plain values for core (the fields shown, the ticks, the ICE answers)."""
        ice_text = self.ice_score.text().strip()
        volume = self.bolus_volume.text().strip()
        return assessment_draft.AssessmentEntry(
            measured={item.name: item.raw() for item in (
                self.temperature, self.heart_rate, self.respiratory_rate, self.systolic, self.diastolic, self.flow,
                self.fio2, self.spo2) if item.visible()},
            oxygen_device=self.device.currentData(), consciousness=self.consciousness.currentData(),
            oxygen_for_comfort_only=self.comfort.isChecked(), fluid_bolus_given=self.fluids.isChecked(),
            vasopressors=[agent.value for agent, box in self.pressors.items() if box.isChecked()],
            repeat_systolic_bp=self.repeat_systolic.raw(), repeat_diastolic_bp=self.repeat_diastolic.raw(),
            ice=assessment_draft.IceEntry(ice_score=int(ice_text) if ice_text else None,
                                          arousal=self.arousal.currentData(), seizure=self.seizure.currentData()),
            symptoms=[name for name, box in self.symptoms.items() if box.isChecked()],
            bolus_volume_ml=float(volume) if volume else None,
            age_years=self.patient.age_years(self.ctx.clock.now()))

    def draft(self) -> list[tuple[str, dict[str, Any]]]:
        """The records this assessment makes (core decides: the vitals set, a repeated low BP, ICE, symptoms,
        a fluid bolus; core/assessment_draft.py)."""
        return assessment_draft.draft_records(self.entry(), self.ctx.bedside.protocol)

    def save(self) -> None:
        """Record the assessment in one transaction; on refusal, say why next to the field and write nothing."""
        try:
            result = self.ctx.bedside.record_many(self.mrn, self.draft(), self.taken_at())
        except InputError as exc:
            show_input_error(self, exc)
            (self.time_edit if exc.field == "at" else self.primary).setFocus()
            return
        self.saved_state = result.state
        self.warnings = result.warnings
        self.ctx.signals.recordsChanged.emit(self.mrn)
        self.accept()
