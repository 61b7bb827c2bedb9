"""The vitals wizard's five steps, built as pages of its stack: temperature/pulse/respiration, blood pressure (with
the repeat of a low reading, fluids and vasopressors, D4), oxygen, consciousness and symptoms (with the ICE
assessment on new confusion, R-ICN-1), and the review. The fields become attributes of the wizard, which wires them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from core.records import (
    Arousal,
    Consciousness,
    FluidBolus,
    NeuroAssessment,
    OxygenDevice,
    Seizure,
    Vasopressor,
    field_limits,
)
from gui import words as w
from gui.i18n import Wizard
from gui.wizard_inputs import ERROR_SHEET, WARNING_SHEET, NumberInput, _combo

if TYPE_CHECKING:
    from gui.wizard import VitalsWizard


def build_steps(wizard: VitalsWizard, fahrenheit: bool) -> None:
    """Add the five steps to ``wizard.stack``; rows stay together at the top of each, spare room goes below."""
    for build in (_vitals_step, _blood_pressure_step, _oxygen_step, _neuro_step, _review_step):
        page = build(wizard, fahrenheit)
        grid: QGridLayout = page.layout()  # type: ignore[assignment]  # every step is a grid
        grid.setRowStretch(grid.rowCount(), 1)
        grid.setColumnStretch(grid.columnCount(), 1)
        wizard.stack.addWidget(page)


def _page(inputs: list[NumberInput]) -> QWidget:
    page = QWidget()
    grid = QGridLayout(page)
    row = 0
    for item in inputs:
        row = item.add_to(grid, row)
    return page


def _vitals_step(wizard: VitalsWizard, fahrenheit: bool) -> QWidget:
    """Step 1: temperature, pulse, respiration."""
    wizard.temperature = NumberInput("temperature_c", Wizard.tr("&Temperature"), fahrenheit)
    wizard.heart_rate = NumberInput("heart_rate", Wizard.tr("&Pulse"))
    wizard.respiratory_rate = NumberInput("respiratory_rate", Wizard.tr("&Respiration rate"))
    return _page([wizard.temperature, wizard.heart_rate, wizard.respiratory_rate])


def _blood_pressure_step(wizard: VitalsWizard, fahrenheit: bool) -> QWidget:
    """Step 2: blood pressure (a low reading asks for a repeat and for fluids/pressors given, D4)."""
    wizard.systolic = NumberInput("systolic_bp", Wizard.tr("&Systolic BP"))
    wizard.diastolic = NumberInput("diastolic_bp", Wizard.tr("&Diastolic BP"))
    wizard.low_bp = QLabel()
    wizard.low_bp.setWordWrap(True)
    wizard.low_bp.setStyleSheet(WARNING_SHEET)
    wizard.low_bp.setAccessibleName(Wizard.tr("Low blood pressure prompt"))
    wizard.low_bp.hide()
    wizard.repeat_systolic = NumberInput("systolic_bp", Wizard.tr("Repeat s&ystolic"))
    wizard.repeat_diastolic = NumberInput("diastolic_bp", Wizard.tr("Repeat di&astolic"))
    wizard.fluids = QCheckBox(Wizard.tr("&Fluid bolus given for low blood pressure"))
    wizard.fluids.setAccessibleName(wizard.fluids.text().replace("&", ""))
    wizard.pressors = {agent: QCheckBox(w.word(w.VASOPRESSORS, agent)) for agent in Vasopressor}
    for box in wizard.pressors.values():
        box.setAccessibleName(Wizard.tr("Vasopressor running: %1").replace("%1", box.text()))
    bp_page = _page([wizard.systolic, wizard.diastolic])
    grid: QGridLayout = bp_page.layout()  # type: ignore[assignment]  # the page's grid
    row = grid.rowCount()
    grid.addWidget(wizard.low_bp, row, 0, 1, -1)
    row = wizard.repeat_systolic.add_to(grid, row + 1)
    row = wizard.repeat_diastolic.add_to(grid, row)
    wizard.repeat_systolic.set_visible(False)
    wizard.repeat_diastolic.set_visible(False)
    grid.addWidget(wizard.fluids, row, 0, 1, -1)
    pressor_row = QHBoxLayout()
    pressor_label = QLabel(Wizard.tr("Vasopressors running now:"))
    pressor_row.addWidget(pressor_label)
    for box in wizard.pressors.values():
        pressor_row.addWidget(box)
    pressor_row.addStretch(1)
    grid.addLayout(pressor_row, row + 1, 0, 1, -1)
    _bolus_volume(wizard, grid, row + 2)
    return bp_page


def _bolus_volume(wizard: VitalsWizard, grid: QGridLayout, row: int) -> None:
    """Issue 13: a ticked bolus becomes a fluid_bolus record with its volume (the chart and handover show it)."""
    wizard.bolus_volume = QLineEdit()
    wizard.bolus_volume.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,4}$"), wizard))
    limits = field_limits(FluidBolus, "volume_ml")
    wizard.bolus_unit = limits["unit"]
    label = QLabel(Wizard.tr("Bolus &volume"))
    label.setBuddy(wizard.bolus_volume)
    wizard.bolus_volume.setAccessibleName(Wizard.tr("Bolus volume"))
    hint = QLabel(Wizard.tr("%1 (up to %2); empty: volume not recorded").replace("%1", limits["unit"]).replace(
        "%2", f"{limits['le']:g}"))
    grid.addWidget(label, row, 0)
    grid.addWidget(wizard.bolus_volume, row, 1)
    grid.addWidget(hint, row, 2)
    wizard.bolus_widgets = (label, wizard.bolus_volume, hint)
    for widget in wizard.bolus_widgets:
        widget.setVisible(False)


def _oxygen_step(wizard: VitalsWizard, fahrenheit: bool) -> QWidget:
    """Step 3: oxygen (the device, its flow and FiO2, comfort only, SpO2)."""
    wizard.device, device_label = _combo(w.OXYGEN_DEVICES, OxygenDevice, Wizard.tr("Oxygen &device"))
    wizard.flow = NumberInput("oxygen_flow_l_min", Wizard.tr("&Flow"))
    wizard.fio2 = NumberInput("fio2_percent", Wizard.tr("Fi&O2 set on the device"))
    wizard.comfort = QCheckBox(Wizard.tr("Oxygen for &comfort only (not to correct low saturation)"))
    wizard.comfort.setAccessibleName(wizard.comfort.text().replace("&", ""))
    wizard.spo2 = NumberInput("spo2_percent", Wizard.tr("S&pO2"))
    o2_page = QWidget()
    grid = QGridLayout(o2_page)
    grid.addWidget(device_label, 0, 0)
    grid.addWidget(wizard.device, 0, 1, 1, 2)
    row = wizard.flow.add_to(grid, 1)
    row = wizard.fio2.add_to(grid, row)
    grid.addWidget(wizard.comfort, row, 0, 1, -1)
    wizard.spo2.add_to(grid, row + 1)
    return o2_page


def _neuro_step(wizard: VitalsWizard, fahrenheit: bool) -> QWidget:
    """Step 4: consciousness and symptoms (confusion asks for an ICE assessment, R-ICN-1)."""
    wizard.consciousness, acvpu_label = _combo(w.CONSCIOUSNESS, Consciousness, Wizard.tr("&Consciousness (ACVPU)"))
    wizard.ice_box = QFrame()
    wizard.ice_box.setFrameShape(QFrame.Shape.StyledPanel)
    wizard.ice_box.setAccessibleName(Wizard.tr("ICE assessment"))
    ice_grid = QGridLayout(wizard.ice_box)
    ice_title = QLabel(Wizard.tr("New confusion: do an ICE assessment now"))
    ice_title.setStyleSheet(WARNING_SHEET)
    ice_grid.addWidget(ice_title, 0, 0, 1, -1)
    wizard.ice_score = QLineEdit()
    wizard.ice_score.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,2}$"), wizard.ice_score))
    wizard.ice_score.setAccessibleName(Wizard.tr("ICE score, 0 to 10"))
    ice_label = QLabel(Wizard.tr("&ICE score"))
    ice_label.setBuddy(wizard.ice_score)
    ice_grid.addWidget(ice_label, 1, 0)
    ice_grid.addWidget(wizard.ice_score, 1, 1)
    ice_limits = field_limits(NeuroAssessment, "ice_score")
    ice_grid.addWidget(QLabel(Wizard.tr("points (%1–%2); leave empty if it cannot be done").replace(
        "%1", str(ice_limits["ge"])).replace("%2", str(ice_limits["le"]))), 1, 2)
    wizard.arousal, arousal_label = _combo(w.AROUSAL, Arousal, Wizard.tr("&Level of consciousness"))
    ice_grid.addWidget(arousal_label, 2, 0)
    ice_grid.addWidget(wizard.arousal, 2, 1, 1, 2)
    wizard.seizure, seizure_label = _combo(w.SEIZURE, Seizure, Wizard.tr("Sei&zure"))
    ice_grid.addWidget(seizure_label, 3, 0)
    ice_grid.addWidget(wizard.seizure, 3, 1, 1, 2)
    wizard.ice_message = QLabel()
    wizard.ice_message.setStyleSheet(ERROR_SHEET)
    wizard.ice_message.setAccessibleName(Wizard.tr("Message for the ICE score"))
    wizard.ice_message.hide()
    ice_grid.addWidget(wizard.ice_message, 4, 0, 1, -1)
    wizard.ice_box.hide()
    wizard.symptoms = {name: QCheckBox(w.word(w.SYMPTOMS, name)) for name in w.SYMPTOMS}
    for box in wizard.symptoms.values():
        box.setAccessibleName(Wizard.tr("Symptom: %1").replace("%1", box.text()))
    neuro_page = QWidget()
    grid = QGridLayout(neuro_page)
    grid.addWidget(acvpu_label, 0, 0)
    grid.addWidget(wizard.consciousness, 0, 1)
    grid.addWidget(wizard.ice_box, 1, 0, 1, -1)
    grid.addWidget(QLabel(Wizard.tr("New symptoms:")), 2, 0)
    symptom_row = QHBoxLayout()
    for box in wizard.symptoms.values():
        symptom_row.addWidget(box)
    symptom_row.addStretch(1)
    grid.addLayout(symptom_row, 2, 1, 1, 2)
    return neuro_page


def _review_step(wizard: VitalsWizard, fahrenheit: bool) -> QWidget:
    """Step 5: the review, graded by core before saving (gui/wizard_review.py fills it)."""
    wizard.summary = QLabel()
    wizard.summary.setWordWrap(True)
    wizard.summary.setAccessibleName(Wizard.tr("Values to be saved"))
    wizard.time_edit = QDateTimeEdit()
    wizard.time_edit.setDisplayFormat("dd MMM yyyy HH:mm")
    wizard.time_edit.setCalendarPopup(True)
    wizard.time_edit.setAccessibleName(Wizard.tr("Time the observations were taken"))
    time_label = QLabel(Wizard.tr("Taken &at"))
    time_label.setBuddy(wizard.time_edit)
    wizard.time_message = QLabel()
    wizard.time_message.setWordWrap(True)
    wizard.time_message.setStyleSheet(ERROR_SHEET)
    wizard.time_message.setAccessibleName(Wizard.tr("Message for the time"))
    wizard.time_message.hide()
    wizard.grade_row = QHBoxLayout()
    wizard.scales = QLabel()
    wizard.scales.setAccessibleName(Wizard.tr("Both CRS scales"))
    wizard.scales.setWordWrap(True)
    wizard.review_todo = QLabel()
    wizard.review_todo.setWordWrap(True)
    wizard.review_todo.setAccessibleName(Wizard.tr("What to do after saving"))
    wizard.review_details = QLabel()
    wizard.review_details.setWordWrap(True)
    wizard.review_details.setStyleSheet("color: #444444;")
    wizard.review_details.setAccessibleName(Wizard.tr("Details for clinicians"))
    review = QWidget()
    grid = QGridLayout(review)
    grid.addWidget(QLabel(Wizard.tr("Check before saving:")), 0, 0, 1, -1)
    grid.addWidget(wizard.summary, 1, 0, 1, -1)
    time_row = QHBoxLayout()
    time_row.addWidget(time_label)
    time_row.addWidget(wizard.time_edit)
    time_row.addStretch(1)
    grid.addLayout(time_row, 2, 0, 1, -1)
    grid.addWidget(wizard.time_message, 3, 0, 1, -1)
    grid.addLayout(wizard.grade_row, 4, 0, 1, -1)
    grid.addWidget(wizard.scales, 5, 0, 1, -1)
    grid.addWidget(wizard.review_todo, 6, 0, 1, -1)
    grid.addWidget(wizard.review_details, 7, 0, 1, -1)
    return review
