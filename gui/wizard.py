"""The vitals wizard: keyboard-first entry of one set of observations, graded by core before it is saved.

Type a value, Tab to the next, Enter for the next step; Enter on the review saves. Limits come from the record
fields (core.records.field_limits); core validates every value and its message is shown inline next to the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QDateTime, QRegularExpression, Qt
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError, celsius_suggestion, fahrenheit_suggestion, validation_input_error
from core.records import (
    Arousal,
    Consciousness,
    NeuroAssessment,
    OxygenDevice,
    Seizure,
    Vasopressor,
    VitalsFields,
    field_limits,
)
from core.rules.plausibility import soft_limit_warnings
from core.services import assessment_draft
from core.state import PatientState
from core.units import celsius_to_fahrenheit, fahrenheit_to_celsius
from gui import status_style as ss
from gui import why
from gui import words as w
from gui.context import AppContext
from gui.record_text import vitals_text
from gui.status_banner import chip

NUMBER_PATTERN = QRegularExpression(r"^\d{0,3}([.,]\d{0,2})?$")
ERROR_SHEET = f"color: #000000; background-color: #FBE3D6; border-left: 4px solid {ss.VERMILLION}; padding: 2px;"
WARNING_SHEET = f"color: #000000; background-color: #FDF6C3; border-left: 4px solid {ss.ORANGE}; padding: 2px;"
STEPS = 5


def _strip_field(message: str) -> str:
    """Core names the field first (``temperature_c: ...``); next to the field the name is not needed."""
    head, sep, rest = message.partition(": ")
    return rest if sep and " " not in head else message


def _number_text(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() or isinstance(value, int) else f"{value:.1f}"


def _combo(table: dict[str, str], enumeration: Any, label_text: str) -> tuple[QComboBox, QLabel]:
    """A combo box of an enumeration in words (the first value preselected), with its label as buddy and name."""
    combo = QComboBox()
    for member in enumeration:
        combo.addItem(w.word(table, member), member.value)
    combo.setAccessibleName(label_text.replace("&", ""))
    label = QLabel(label_text)
    label.setBuddy(combo)
    return combo, label


class NumberInput:
    """One numeric field of VitalsFields: the edit, its unit and range, the inline message, the soft-limit
    confirmation and (for temperature) the °F conversion offer."""

    def __init__(self, wizard: VitalsWizard, name: str, label: str, unit_f: bool = False):
        self.wizard = wizard
        self.name = name
        self.limits = field_limits(VitalsFields, name)
        self.fahrenheit = unit_f
        self.is_int = "decimals" not in self.limits
        self.label = QLabel(label)
        self.edit = QLineEdit()
        self.edit.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, self.edit))
        self.edit.setAccessibleName(label.replace("&", ""))
        self.edit.setMaxLength(7)
        self.edit.setMaximumWidth(self.edit.fontMetrics().averageCharWidth() * 12)
        self.label.setBuddy(self.edit)
        lo, hi = self.limits.get("ge"), self.limits.get("le")
        unit = self.limits.get("unit", "")
        if unit_f and lo is not None and hi is not None:
            lo, hi, unit = celsius_to_fahrenheit(lo), celsius_to_fahrenheit(hi), "°F"
        self.hint = QLabel(f"{unit}   ({_number_text(lo)}–{_number_text(hi)})" if lo is not None and hi is not None
                           else unit)
        self.hint.setAccessibleName(wizard.tr("Range of %1").replace("%1", self.edit.accessibleName()))
        self.edit.setAccessibleDescription(self.hint.text())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(wizard.tr("Message for %1").replace("%1", self.edit.accessibleName()))
        self.message.hide()
        self.confirm = QCheckBox(wizard.tr("The value is correct"))
        self.confirm.setAccessibleName(wizard.tr("Confirm the unusual %1").replace("%1", self.edit.accessibleName()))
        self.confirm.hide()
        self.offer = QPushButton()
        self.offer.setAccessibleName(wizard.tr("Use the converted value"))
        self.offer.setAutoDefault(False)
        self.offer.hide()
        self.offer.clicked.connect(self._on_offer_clicked)
        self._offer_value: float | None = None
        self.edit.textEdited.connect(self._on_edit_text_edited)

    def add_to(self, grid: QGridLayout, row: int) -> int:
        """Place the field in a grid; returns the next free row."""
        grid.addWidget(self.label, row, 0)
        grid.addWidget(self.edit, row, 1)
        grid.addWidget(self.hint, row, 2)
        extra = QHBoxLayout()
        extra.addWidget(self.message, 1)
        extra.addWidget(self.confirm)
        extra.addWidget(self.offer)
        grid.addLayout(extra, row + 1, 1, 1, -1)
        return row + 2

    def set_visible(self, visible: bool) -> None:
        """Show or hide the field (hidden fields are not recorded)."""
        for widget in (self.label, self.edit, self.hint):
            widget.setVisible(visible)
        if not visible:
            self.clear_message()

    def visible(self) -> bool:
        """Whether the field is in use."""
        return not self.edit.isHidden()

    def _on_edit_text_edited(self, _text: str) -> None:
        self.clear_message()
        self.confirm.setChecked(False)

    def _on_offer_clicked(self) -> None:
        if self._offer_value is not None:
            self.edit.setText(f"{self._offer_value:.1f}")
            self.clear_message()
            self.edit.setFocus()

    def clear_message(self) -> None:
        """Hide the message, the confirmation and the offer."""
        self.message.hide()
        self.message.clear()
        self.confirm.hide()
        self.offer.hide()
        self._offer_value = None

    def show_error(self, text: str) -> None:
        """A value that core refuses: the message next to the field."""
        self.message.setText("✖ " + text)
        self.message.setStyleSheet(ERROR_SHEET)
        self.message.show()

    def show_warning(self, text: str) -> None:
        """A value outside the soft range: confirm to go on."""
        self.message.setText("⚠ " + text)
        self.message.setStyleSheet(WARNING_SHEET)
        self.message.show()
        self.confirm.show()

    def show_offer(self, value: float, unit: str) -> None:
        """Offer the conversion (RULES.md §5, V39): a °F value in °C mode as °C, a °C value in °F mode as °F."""
        self._offer_value = value
        self.offer.setText(self.wizard.tr("Use %1 %2").replace("%1", f"{value:.1f}").replace("%2", unit))
        self.offer.setAccessibleName(self.offer.text())
        self.offer.show()

    def raw(self) -> float | int | None:
        """The typed number (°F converted to °C), ``None`` when empty. Raises ValueError for a partial number."""
        text = self.edit.text().strip().replace(",", ".")
        if not text or not self.visible():
            return None
        if text == ".":
            raise ValueError(text)
        value: float | int = float(text) if ("." in text or not self.is_int) else int(text)
        if self.fahrenheit:
            value = fahrenheit_to_celsius(float(value))
        return value


class VitalsWizard(QDialog):
    """Five steps: temperature/pulse/respiration, blood pressure, oxygen, consciousness and symptoms, review."""

    def __init__(self, ctx: AppContext, mrn: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn = mrn
        self.patient = ctx.bedside.patient(mrn)
        self.preview_state: PatientState | None = None
        self.saved_state: PatientState | None = None
        self.warnings: tuple[str, ...] = ()
        self._low_bp_prompted = False
        self.setWindowTitle(self.tr("Record vitals – bed %1, %2").replace("%1", self.patient.bed or "–").replace(
            "%2", self.patient.name))
        self.setAccessibleName(self.windowTitle())
        fahrenheit = ctx.settings.temperature_unit == "F"

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

        # Step 1: temperature, pulse, respiration
        self.temperature = NumberInput(self, "temperature_c", self.tr("&Temperature"), fahrenheit)
        self.heart_rate = NumberInput(self, "heart_rate", self.tr("&Pulse"))
        self.respiratory_rate = NumberInput(self, "respiratory_rate", self.tr("&Respiration rate"))
        self.stack.addWidget(self._page([self.temperature, self.heart_rate, self.respiratory_rate]))

        # Step 2: blood pressure (a low reading asks for a repeat and for fluids/pressors given, D4)
        self.systolic = NumberInput(self, "systolic_bp", self.tr("&Systolic BP"))
        self.diastolic = NumberInput(self, "diastolic_bp", self.tr("&Diastolic BP"))
        self.low_bp = QLabel()
        self.low_bp.setWordWrap(True)
        self.low_bp.setStyleSheet(WARNING_SHEET)
        self.low_bp.setAccessibleName(self.tr("Low blood pressure prompt"))
        self.low_bp.hide()
        self.repeat_systolic = NumberInput(self, "systolic_bp", self.tr("Repeat s&ystolic"))
        self.repeat_diastolic = NumberInput(self, "diastolic_bp", self.tr("Repeat di&astolic"))
        self.fluids = QCheckBox(self.tr("&Fluid bolus given for low blood pressure"))
        self.fluids.setAccessibleName(self.fluids.text().replace("&", ""))
        self.pressors = {agent: QCheckBox(w.word(w.VASOPRESSORS, agent)) for agent in Vasopressor}
        for box in self.pressors.values():
            box.setAccessibleName(self.tr("Vasopressor running: %1").replace("%1", box.text()))
        bp_page = self._page([self.systolic, self.diastolic])
        grid: QGridLayout = bp_page.layout()  # type: ignore[assignment]  # the page's grid
        row = grid.rowCount()
        grid.addWidget(self.low_bp, row, 0, 1, -1)
        row = self.repeat_systolic.add_to(grid, row + 1)
        row = self.repeat_diastolic.add_to(grid, row)
        self.repeat_systolic.set_visible(False)
        self.repeat_diastolic.set_visible(False)
        grid.addWidget(self.fluids, row, 0, 1, -1)
        pressor_row = QHBoxLayout()
        pressor_label = QLabel(self.tr("Vasopressors running now:"))
        pressor_row.addWidget(pressor_label)
        for box in self.pressors.values():
            pressor_row.addWidget(box)
        pressor_row.addStretch(1)
        grid.addLayout(pressor_row, row + 1, 0, 1, -1)
        self._add_bolus_volume(grid, row + 2)
        self.stack.addWidget(bp_page)

        # Step 3: oxygen
        self.device, device_label = _combo(w.OXYGEN_DEVICES, OxygenDevice, self.tr("Oxygen &device"))
        self.device.currentIndexChanged.connect(self._on_device_changed)
        self.flow = NumberInput(self, "oxygen_flow_l_min", self.tr("&Flow"))
        self.fio2 = NumberInput(self, "fio2_percent", self.tr("Fi&O2 set on the device"))
        self.comfort = QCheckBox(self.tr("Oxygen for &comfort only (not to correct low saturation)"))
        self.comfort.setAccessibleName(self.comfort.text().replace("&", ""))
        self.spo2 = NumberInput(self, "spo2_percent", self.tr("S&pO2"))
        o2_page = QWidget()
        grid = QGridLayout(o2_page)
        grid.addWidget(device_label, 0, 0)
        grid.addWidget(self.device, 0, 1, 1, 2)
        row = self.flow.add_to(grid, 1)
        row = self.fio2.add_to(grid, row)
        grid.addWidget(self.comfort, row, 0, 1, -1)
        self.spo2.add_to(grid, row + 1)
        self.stack.addWidget(o2_page)

        # Step 4: consciousness and symptoms (confusion asks for an ICE assessment, R-ICN-1)
        self.consciousness, acvpu_label = _combo(w.CONSCIOUSNESS, Consciousness, self.tr("&Consciousness (ACVPU)"))
        self.consciousness.currentIndexChanged.connect(self._on_consciousness_changed)
        self.ice_box = QFrame()
        self.ice_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.ice_box.setAccessibleName(self.tr("ICE assessment"))
        ice_grid = QGridLayout(self.ice_box)
        ice_title = QLabel(self.tr("New confusion: do an ICE assessment now"))
        ice_title.setStyleSheet(WARNING_SHEET)
        ice_grid.addWidget(ice_title, 0, 0, 1, -1)
        self.ice_score = QLineEdit()
        self.ice_score.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,2}$"), self.ice_score))
        self.ice_score.setAccessibleName(self.tr("ICE score, 0 to 10"))
        ice_label = QLabel(self.tr("&ICE score"))
        ice_label.setBuddy(self.ice_score)
        ice_grid.addWidget(ice_label, 1, 0)
        ice_grid.addWidget(self.ice_score, 1, 1)
        ice_limits = field_limits(NeuroAssessment, "ice_score")
        ice_grid.addWidget(QLabel(self.tr("points (%1–%2); leave empty if it cannot be done").replace(
            "%1", str(ice_limits["ge"])).replace("%2", str(ice_limits["le"]))), 1, 2)
        self.arousal, arousal_label = _combo(w.AROUSAL, Arousal, self.tr("&Level of consciousness"))
        ice_grid.addWidget(arousal_label, 2, 0)
        ice_grid.addWidget(self.arousal, 2, 1, 1, 2)
        self.seizure, seizure_label = _combo(w.SEIZURE, Seizure, self.tr("Sei&zure"))
        ice_grid.addWidget(seizure_label, 3, 0)
        ice_grid.addWidget(self.seizure, 3, 1, 1, 2)
        self.ice_message = QLabel()
        self.ice_message.setStyleSheet(ERROR_SHEET)
        self.ice_message.setAccessibleName(self.tr("Message for the ICE score"))
        self.ice_message.hide()
        ice_grid.addWidget(self.ice_message, 4, 0, 1, -1)
        self.ice_box.hide()
        self.symptoms = {name: QCheckBox(w.word(w.SYMPTOMS, name)) for name in w.SYMPTOMS}
        for box in self.symptoms.values():
            box.setAccessibleName(self.tr("Symptom: %1").replace("%1", box.text()))
        neuro_page = QWidget()
        grid = QGridLayout(neuro_page)
        grid.addWidget(acvpu_label, 0, 0)
        grid.addWidget(self.consciousness, 0, 1)
        grid.addWidget(self.ice_box, 1, 0, 1, -1)
        grid.addWidget(QLabel(self.tr("New symptoms:")), 2, 0)
        symptom_row = QHBoxLayout()
        for box in self.symptoms.values():
            symptom_row.addWidget(box)
        symptom_row.addStretch(1)
        grid.addLayout(symptom_row, 2, 1, 1, 2)
        self.stack.addWidget(neuro_page)

        # Step 5: review, graded before saving
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Values to be saved"))
        self.time_edit = QDateTimeEdit()
        self.time_edit.setDisplayFormat("dd MMM yyyy HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setAccessibleName(self.tr("Time the observations were taken"))
        self.time_edit.dateTimeChanged.connect(self._on_time_changed)
        time_label = QLabel(self.tr("Taken &at"))
        time_label.setBuddy(self.time_edit)
        self.time_message = QLabel()
        self.time_message.setWordWrap(True)
        self.time_message.setStyleSheet(ERROR_SHEET)
        self.time_message.setAccessibleName(self.tr("Message for the time"))
        self.time_message.hide()
        self.grade_row = QHBoxLayout()
        self.scales = QLabel()
        self.scales.setAccessibleName(self.tr("Both CRS scales"))
        self.scales.setWordWrap(True)
        self.review_todo = QLabel()
        self.review_todo.setWordWrap(True)
        self.review_todo.setAccessibleName(self.tr("What to do after saving"))
        self.review_details = QLabel()
        self.review_details.setWordWrap(True)
        self.review_details.setStyleSheet("color: #444444;")
        self.review_details.setAccessibleName(self.tr("Details for clinicians"))
        review = QWidget()
        grid = QGridLayout(review)
        grid.addWidget(QLabel(self.tr("Check before saving:")), 0, 0, 1, -1)
        grid.addWidget(self.summary, 1, 0, 1, -1)
        time_row = QHBoxLayout()
        time_row.addWidget(time_label)
        time_row.addWidget(self.time_edit)
        time_row.addStretch(1)
        grid.addLayout(time_row, 2, 0, 1, -1)
        grid.addWidget(self.time_message, 3, 0, 1, -1)
        grid.addLayout(self.grade_row, 4, 0, 1, -1)
        grid.addWidget(self.scales, 5, 0, 1, -1)
        grid.addWidget(self.review_todo, 6, 0, 1, -1)
        grid.addWidget(self.review_details, 7, 0, 1, -1)
        self.stack.addWidget(review)
        for index in range(self.stack.count()):   # rows stay together at the top; spare room goes below
            page_grid: QGridLayout = self.stack.widget(index).layout()  # type: ignore[union-attr, assignment]  # a grid
            page_grid.setRowStretch(page_grid.rowCount(), 1)
            page_grid.setColumnStretch(page_grid.columnCount(), 1)

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

    # -- layout helpers -----------------------------------------------------------------------------------------
    def _page(self, inputs: list[NumberInput]) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        row = 0
        for item in inputs:
            row = item.add_to(grid, row)
        return page

    def _inputs(self, step: int) -> list[NumberInput]:
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
            self._update_review()
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

    def _on_consciousness_changed(self, _index: int = 0) -> None:
        self.ice_box.setVisible(assessment_draft.asks_for_ice(self.consciousness.currentData()))   # R-ICN-1

    def _on_time_changed(self, _value: QDateTime) -> None:
        self.time_message.hide()
        if self.step() == STEPS - 1:
            self._update_review()

    # -- navigation ---------------------------------------------------------------------------------------------
    def has_entries(self) -> bool:
        """Whether anything has been typed (Esc then asks before throwing it away)."""
        edits = [item.edit for step in range(3) for item in self._inputs(step)] + [self.ice_score]
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
        if not self._check_step(step):
            return
        self._show_step(step + 1)

    def _check_step(self, step: int) -> bool:
        """Hard limits (refuse, with core's message), soft limits (confirm), °F offer, low BP prompt."""
        if step == 3:
            return self._check_ice()
        first_problem: QWidget | None = None
        values: dict[str, Any] = {}
        for item in self._inputs(step):
            if not item.visible():
                continue
            item.message.hide()
            try:
                value = item.raw()
            except ValueError:
                item.show_error(self.tr("%1 is not a number").replace("%1", item.edit.text()))
                first_problem = first_problem or item.edit
                continue
            if value is None:
                continue
            try:
                VitalsFields.model_validate({item.name: value})
            except ValidationError as exc:
                message = _strip_field(str(validation_input_error(exc, VitalsFields)))
                item.show_error(self._range_message(item, value, message))
                if item.name == "temperature_c" and not item.fahrenheit:
                    celsius = fahrenheit_suggestion(float(value))
                    if celsius is not None:
                        item.show_offer(celsius, "°C")
                elif item.name == "temperature_c":      # °F mode: a °C value typed by habit
                    typed = float(item.edit.text().replace(",", "."))
                    fahrenheit = celsius_suggestion(typed, item.limits["ge"], item.limits["le"])
                    if fahrenheit is not None:
                        item.show_offer(fahrenheit, "°F")
                first_problem = first_problem or item.edit
                continue
            values[item.name if item not in (self.repeat_systolic, self.repeat_diastolic) else
                   "repeat_" + item.name] = value
        if first_problem is None and step == 1:
            first_problem = self._check_pair(self.systolic, self.diastolic, values.get("systolic_bp"),
                                             values.get("diastolic_bp"))
            first_problem = first_problem or self._check_pair(
                self.repeat_systolic, self.repeat_diastolic, values.get("repeat_systolic_bp"),
                values.get("repeat_diastolic_bp"))
        if first_problem is None:
            first_problem = self._check_soft(step, values)
        if first_problem is None and step == 1:
            first_problem = self._check_low_bp(values.get("systolic_bp"))
        if first_problem is not None:
            first_problem.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    def _check_ice(self) -> bool:
        """The ICE score through core's record model (0–10), shown next to the score."""
        self.ice_message.hide()
        if self.ice_box.isHidden() or not self.ice_score.text().strip():
            return True
        try:
            NeuroAssessment.model_validate({"mrn": self.mrn, "at": self.ctx.clock.now(),
                                            "ice_score": int(self.ice_score.text())})
        except ValidationError as exc:
            self.ice_message.setText("✖ " + _strip_field(str(validation_input_error(exc, NeuroAssessment))))
            self.ice_message.show()
            self.ice_score.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    def _range_message(self, item: NumberInput, value: float, core_message: str) -> str:
        """Core's message; ours (same words, filled from the field's limits) when translated or in °F."""
        lo, hi = item.limits.get("ge"), item.limits.get("le")
        if lo is None or hi is None or lo <= value <= hi:
            return core_message
        source = "%1 is outside %2–%3 %4"
        text = self.tr("%1 is outside %2–%3 %4")
        unit = item.limits.get("unit", "")
        if item.fahrenheit:
            value, lo, hi, unit = float(item.edit.text().replace(",", ".")), celsius_to_fahrenheit(lo), \
                celsius_to_fahrenheit(hi), "°F"
        elif text == source:
            return core_message
        return text.replace("%1", _number_text(value)).replace("%2", _number_text(lo)).replace(
            "%3", _number_text(hi)).replace("%4", unit)

    def _check_pair(self, systolic: NumberInput, diastolic: NumberInput, sbp: Any, dbp: Any) -> QWidget | None:
        """RULES.md §5 (V40): the diastolic must be below the systolic (core's model says so)."""
        if sbp is None or dbp is None:
            return None
        try:
            VitalsFields.model_validate({"systolic_bp": sbp, "diastolic_bp": dbp})
        except ValidationError as exc:
            core_message = _strip_field(str(validation_input_error(exc, VitalsFields)))
            source = "%1 is not below the systolic %2 mmHg"
            text = self.tr("%1 is not below the systolic %2 mmHg")
            message = core_message if text == source else text.replace("%1", str(dbp)).replace("%2", str(sbp))
            diastolic.show_error(message)
            return diastolic.edit
        return None

    def _check_soft(self, step: int, values: dict[str, Any]) -> QWidget | None:
        """Soft limits (core.rules.plausibility): the nurse confirms an unusual value before going on."""
        checked = {k: v for k, v in values.items() if not k.startswith("repeat_")}
        if step == 2:
            checked["oxygen_device"] = self.device.currentData()
        first: QWidget | None = None
        by_name = {item.name: item for item in self._inputs(step) if item.visible()
                   and item not in (self.repeat_systolic, self.repeat_diastolic)}
        for warning in soft_limit_warnings(checked):
            item = by_name.get(warning.field)
            if item is None or (item.confirm.isChecked() and not item.confirm.isHidden()):
                continue
            unit = item.limits.get("unit", "")
            limit, value = warning.limit, warning.value
            if item.fahrenheit:
                limit, value, unit = celsius_to_fahrenheit(limit), celsius_to_fahrenheit(value), "°F"
            above = value > limit
            source_above, source_below = ("Unusually high: above %1 %2. Check, then confirm.",
                                          "Unusually low: below %1 %2. Check, then confirm.")
            text = self.tr("Unusually high: above %1 %2. Check, then confirm.") if above else \
                self.tr("Unusually low: below %1 %2. Check, then confirm.")
            source = source_above if above else source_below
            if text == source:
                message = _strip_field(warning.message) if not item.fahrenheit else text.replace(
                    "%1", f"{limit:g}").replace("%2", unit)
            else:
                message = text.replace("%1", f"{limit:g}").replace("%2", unit)
            item.show_warning(message)
            first = first or item.confirm
        return first

    def _check_low_bp(self, systolic: Any) -> QWidget | None:
        """D4: a low reading counts at once; the wizard asks for a repeat and for fluids/pressors given."""
        if systolic is None:
            return None
        age = self.patient.age_years(self.ctx.clock.now())
        low = assessment_draft.low_bp_needs_repeat(systolic, age, self.ctx.bedside.protocol)
        self.repeat_systolic.set_visible(low)
        self.repeat_diastolic.set_visible(low)
        if not low:
            self.low_bp.hide()
            return None
        self.low_bp.setText(self.tr("Low blood pressure: it counts now. Repeat the reading and enter it below, and "
                                    "tick any fluid bolus or vasopressor given. Enter goes on."))
        self.low_bp.show()
        if self._low_bp_prompted:
            return None
        self._low_bp_prompted = True
        return self.repeat_systolic.edit

    def _add_bolus_volume(self, grid: QGridLayout, row: int) -> None:
        """Issue 13: a ticked bolus becomes a fluid_bolus record with its volume (the chart and handover show it)."""
        from PySide6.QtCore import QRegularExpression
        from PySide6.QtGui import QRegularExpressionValidator

        from core.records import FluidBolus, field_limits

        self.bolus_volume = QLineEdit()
        self.bolus_volume.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,4}$"), self))
        limits = field_limits(FluidBolus, "volume_ml")
        self.bolus_unit = limits["unit"]
        label = QLabel(self.tr("Bolus &volume"))
        label.setBuddy(self.bolus_volume)
        self.bolus_volume.setAccessibleName(self.tr("Bolus volume"))
        hint = QLabel(self.tr("%1 (up to %2); empty: volume not recorded").replace("%1", limits["unit"]).replace(
            "%2", f"{limits['le']:g}"))
        grid.addWidget(label, row, 0)
        grid.addWidget(self.bolus_volume, row, 1)
        grid.addWidget(hint, row, 2)
        self.bolus_widgets = (label, self.bolus_volume, hint)
        for widget in self.bolus_widgets:
            widget.setVisible(False)
        self.fluids.toggled.connect(lambda ticked: [widget.setVisible(ticked) for widget in self.bolus_widgets])

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

    def _update_review(self) -> None:
        """Grade the draft with core before saving (nothing is written)."""
        unit = self.ctx.settings.temperature_unit
        items = self.draft()
        main = next(fields for kind, fields in reversed(items) if kind == "vitals")
        lines = [vitals_text(main, unit) or self.tr("No values entered.")]
        for kind, fields in items:
            if fields is main:
                continue
            if kind == "vitals":
                lines.append(self.tr("First reading (kept): %1").replace("%1", vitals_text(fields, unit)))
            else:
                lines.append(f"{w.word(w.RECORD_TYPES, kind)}: " + ", ".join(
                    f"{v:g} {self.bolus_unit}" if k == "volume_ml" else
                    w.word(w.SYMPTOMS, v) if k == "name" else w.word(w.AROUSAL, v) if k == "arousal" else
                    w.word(w.SEIZURE, v) if k == "seizure" else f"ICE {v}" for k, v in fields.items()
                    if v is not None))
        self.summary.setText("\n".join(lines))
        while self.grade_row.count():
            item = self.grade_row.takeAt(0)
            shown = item.widget() if item is not None else None
            if shown is not None:
                shown.deleteLater()
        self.preview_state = None
        try:
            state = self.ctx.bedside.preview(self.mrn, items, self.taken_at())
        except InputError as exc:
            self._show_input_error(exc)
            self.scales.clear()
            self.review_todo.clear()
            self.review_details.clear()
            return
        self.preview_state = state
        earlier = why.carried_forward(state.vitals, self.taken_at(), unit)
        if earlier:   # a blank field is graded with an earlier value (D11): say which, and when it was taken
            lines.append(self.tr("Not typed, carried forward from an earlier set: %1").replace("%1", earlier))
            self.summary.setText("\n".join(lines))
        c = state.crs
        at_least = c.computed.ctcae.at_least and c.computed.ctcae.grade >= c.grade
        self.grade_row.addWidget(chip(ss.crs_style(c.grade, at_least=at_least), 1.5))
        if c.computed.scales_differ:
            self.grade_row.addWidget(chip(ss.scales_differ_style(), 1.1))
        n = state.news2
        self.grade_row.addWidget(chip(ss.news2_style(n.score, n.risk, n.complete), 1.1))
        if state.icans.grade is not None:
            self.grade_row.addWidget(chip(ss.icans_style(state.icans.grade), 1.1))
        self.grade_row.addStretch(1)
        ctcae = f"{'≥' if c.computed.ctcae.at_least else ''}{c.computed.ctcae.grade}"
        self.scales.setText(why.trigger_sentence(state, unit) + "\n" + self.tr(
            "ASTCT 2019: grade %1 · CTCAE v5: grade %2").replace("%1", str(c.computed.astct.grade)).replace(
            "%2", ctcae))
        self.review_details.setText(why.rules_details(state))
        todo = [f"• {w.recommendation_text(r.code, r.text, self.ctx.bedside.protocol)}" for r in state.recommendations]
        self.review_todo.setText("\n".join(todo) if todo else self.tr("Nothing pending after this set."))

    def _show_input_error(self, exc: InputError) -> None:
        message = _strip_field(str(exc))
        source = "%1 is in the future: observations cannot be future-dated"
        text = self.tr("%1 is in the future: observations cannot be future-dated")
        if exc.field == "at" and text != source:   # translated; in English core's own words are shown
            message = text.replace("%1", self.time_edit.text())
        if exc.field == "at":
            self.time_message.setText("✖ " + message)
            self.time_message.show()
        else:
            self.form_message.setText("✖ " + str(exc))
            self.form_message.show()

    def save(self) -> None:
        """Record the assessment in one transaction; on refusal, say why next to the field and write nothing."""
        try:
            result = self.ctx.bedside.record_many(self.mrn, self.draft(), self.taken_at())
        except InputError as exc:
            self._show_input_error(exc)
            (self.time_edit if exc.field == "at" else self.primary).setFocus()
            return
        self.saved_state = result.state
        self.warnings = result.warnings
        self.ctx.signals.recordsChanged.emit(self.mrn)
        self.accept()
