"""The vitals wizard's checks of a step before it goes on: hard limits refused with core's message, soft limits to
confirm (core.rules.plausibility), the °F/°C conversion offer, the diastolic below the systolic, the ICE score's
range, and the low blood pressure prompt (D4; core decides, core/assessment_draft.py). Each message is shown next to
its field; the first field with a problem takes the focus."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from core.records import NeuroAssessment, VitalsFields
from core.services import assessment_draft, soft_limit_warnings
from core.units import celsius_to_fahrenheit
from core.validation_messages import celsius_suggestion, fahrenheit_suggestion, validation_input_error
from gui.i18n import Wizard
from gui.wizard_inputs import NumberInput, _number_text, _strip_field
from gui.words import window_language

if TYPE_CHECKING:
    from gui.wizard import VitalsWizard


def check_step(wizard: VitalsWizard, step: int) -> bool:
    """Hard limits (refuse, with core's message), soft limits (confirm), °F offer, low BP prompt."""
    if step == 3:
        return _check_ice(wizard)
    first_problem: QWidget | None = None
    values: dict[str, Any] = {}
    for item in wizard.inputs(step):
        if not item.visible():
            continue
        item.message.hide()
        try:
            value = item.raw()
        except ValueError:
            item.show_error(Wizard.tr("%1 is not a number").replace("%1", item.edit.text()))
            first_problem = first_problem or item.edit
            continue
        if value is None:
            continue
        try:
            VitalsFields.model_validate({item.name: value})
        except ValidationError as exc:
            message = _strip_field(str(validation_input_error(exc, VitalsFields)))
            item.show_error(_range_message(item, value, message))
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
        values[item.name if item not in (wizard.repeat_systolic, wizard.repeat_diastolic) else
               "repeat_" + item.name] = value
    if first_problem is None and step == 1:
        first_problem = _check_pair(wizard.systolic, wizard.diastolic, values.get("systolic_bp"),
                                    values.get("diastolic_bp"))
        first_problem = first_problem or _check_pair(
            wizard.repeat_systolic, wizard.repeat_diastolic, values.get("repeat_systolic_bp"),
            values.get("repeat_diastolic_bp"))
    if first_problem is None:
        first_problem = _check_soft(wizard, step, values)
    if first_problem is None and step == 1:
        first_problem = _check_low_bp(wizard, values.get("systolic_bp"))
    if first_problem is not None:
        first_problem.setFocus(Qt.FocusReason.OtherFocusReason)
        return False
    return True


def _check_ice(wizard: VitalsWizard) -> bool:
    """The ICE score through core's record model (0–10), shown next to the score."""
    wizard.ice_message.hide()
    if wizard.ice_box.isHidden() or not wizard.ice_score.text().strip():
        return True
    try:
        NeuroAssessment.model_validate({"mrn": wizard.mrn, "at": wizard.ctx.clock.now(),
                                        "ice_score": int(wizard.ice_score.text())})
    except ValidationError as exc:
        wizard.ice_message.setText("✖ " + _strip_field(str(validation_input_error(exc, NeuroAssessment))))
        wizard.ice_message.show()
        wizard.ice_score.setFocus(Qt.FocusReason.OtherFocusReason)
        return False
    return True


def _range_message(item: NumberInput, value: float, core_message: str) -> str:
    """Core's message; ours (same words, filled from the field's limits) when translated or in °F."""
    lo, hi = item.limits.get("ge"), item.limits.get("le")
    if lo is None or hi is None or lo <= value <= hi:
        return core_message
    text = Wizard.tr("%1 is outside %2–%3 %4")
    unit = item.limits.get("unit", "")
    if item.fahrenheit:
        value, lo, hi, unit = float(item.edit.text().replace(",", ".")), celsius_to_fahrenheit(lo), \
            celsius_to_fahrenheit(hi), "°F"
    elif window_language() == "en":
        return core_message
    return text.replace("%1", _number_text(value)).replace("%2", _number_text(lo)).replace(
        "%3", _number_text(hi)).replace("%4", unit)


def _check_pair(systolic: NumberInput, diastolic: NumberInput, sbp: Any, dbp: Any) -> QWidget | None:
    """RULES.md §5 (V40): the diastolic must be below the systolic (core's model says so)."""
    if sbp is None or dbp is None:
        return None
    try:
        VitalsFields.model_validate({"systolic_bp": sbp, "diastolic_bp": dbp})
    except ValidationError as exc:
        core_message = _strip_field(str(validation_input_error(exc, VitalsFields)))
        text = Wizard.tr("%1 is not below the systolic %2 mmHg")
        message = core_message if window_language() == "en" else text.replace("%1", str(dbp)).replace("%2", str(sbp))
        diastolic.show_error(message)
        return diastolic.edit
    return None


def _check_soft(wizard: VitalsWizard, step: int, values: dict[str, Any]) -> QWidget | None:
    """Soft limits (core.rules.plausibility): the nurse confirms an unusual value before going on."""
    checked = {k: v for k, v in values.items() if not k.startswith("repeat_")}
    if step == 2:
        checked["oxygen_device"] = wizard.device.currentData()
    first: QWidget | None = None
    by_name = {item.name: item for item in wizard.inputs(step) if item.visible()
               and item not in (wizard.repeat_systolic, wizard.repeat_diastolic)}
    for warning in soft_limit_warnings(checked):
        item = by_name.get(warning.field)
        if item is None or (item.confirm.isChecked() and not item.confirm.isHidden()):
            continue
        unit = item.limits.get("unit", "")
        limit, value = warning.limit, warning.value
        if item.fahrenheit:
            limit, value, unit = celsius_to_fahrenheit(limit), celsius_to_fahrenheit(value), "°F"
        above = value > limit
        text = Wizard.tr("Unusually high: above %1 %2. Check, then confirm.") if above else \
            Wizard.tr("Unusually low: below %1 %2. Check, then confirm.")
        if window_language() == "en":
            message = _strip_field(warning.message) if not item.fahrenheit else text.replace(
                "%1", f"{limit:g}").replace("%2", unit)
        else:
            message = text.replace("%1", f"{limit:g}").replace("%2", unit)
        item.show_warning(message)
        first = first or item.confirm
    return first


def _check_low_bp(wizard: VitalsWizard, systolic: Any) -> QWidget | None:
    """D4: a low reading counts at once; the wizard asks for a repeat and for fluids/pressors given."""
    if systolic is None:
        return None
    age = wizard.patient.age_years(wizard.ctx.clock.now())
    low = assessment_draft.low_bp_needs_repeat(systolic, age, wizard.ctx.bedside.protocol)
    wizard.repeat_systolic.set_visible(low)
    wizard.repeat_diastolic.set_visible(low)
    if not low:
        wizard.low_bp.hide()
        return None
    wizard.low_bp.setText(Wizard.tr("Low blood pressure: it counts now. Repeat the reading and enter it below, and "
                                "tick any fluid bolus or vasopressor given. Enter goes on."))
    wizard.low_bp.show()
    if wizard.low_bp_prompted:
        return None
    wizard.low_bp_prompted = True
    return wizard.repeat_systolic.edit
