"""Input plausibility (RULES.md §5): hard limits reject with field, value and limit; soft limits ask to confirm;
nothing is clipped; °F in a °C field and FiO2 as a fraction get a hint (V39); DBP >= SBP is rejected (V40)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.records import VitalsFields
from core.rules.plausibility import soft_limit_warnings, temperature_hint
from core.validation_messages import format_validation_error


def rejection(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        VitalsFields(**fields)
    return format_validation_error(caught.value, VitalsFields)


@pytest.mark.parametrize("field, low, high, unit", [
    ("temperature_c", 25.0, 45.0, "°C"), ("heart_rate", 20, 300, "/min"), ("respiratory_rate", 2, 80, "/min"),
    ("systolic_bp", 40, 300, "mmHg"), ("diastolic_bp", 10, 200, "mmHg"), ("spo2_percent", 50, 100, "%"),
    ("fio2_percent", 21, 100, "%"), ("oxygen_flow_l_min", 0.0, 80.0, "L/min"),
])
def test_hard_limits_accept_at_the_limit_and_reject_outside(field, low, high, unit):
    assert getattr(VitalsFields(**{field: low}), field) == low
    assert getattr(VitalsFields(**{field: high}), field) == high
    step = 0.1 if isinstance(low, float) else 1
    below = round(low - step, 1) if isinstance(low, float) else low - step
    above = round(high + step, 1) if isinstance(high, float) else high + step

    def fmt(value):
        return f"{value:.1f}" if isinstance(value, float) and value.is_integer() else str(value)

    limit = f"{fmt(low)}–{fmt(high)} {unit}"
    assert rejection(**{field: below}).startswith(f"{field}: {fmt(below)} is outside {limit}")
    assert rejection(**{field: above}).startswith(f"{field}: {fmt(above)} is outside {limit}")


def test_temperature_outside_range_is_rejected_not_clipped():
    assert rejection(temperature_c=60.0) == "temperature_c: 60.0 is outside 25.0–45.0 °C"


def test_v39_fahrenheit_in_celsius_field_gets_the_conversion():
    assert rejection(temperature_c=101.3) == (
        "temperature_c: 101.3 is outside 25.0–45.0 °C (did you mean 38.5 °C? 101.3 looks like °F)")
    assert temperature_hint(101.3) == "101.3 looks like °F: did you mean 38.5 °C?"


@pytest.mark.parametrize("value, hint", [(79.9, False), (80.0, True), (115.0, True), (115.1, False)])
def test_fahrenheit_hint_only_for_80_to_115(value, hint):
    assert (temperature_hint(value) is not None) is hint
    assert ("looks like °F" in rejection(temperature_c=value)) is hint


def test_fio2_as_a_fraction_is_rejected_with_a_hint():
    assert rejection(fio2_percent=0.4) == (
        "fio2_percent: 0.4 is not a whole number (allowed: 21–100 %) (enter FiO2 as a percentage, e.g. 40, not as "
        "a fraction)")
    assert rejection(fio2_percent=1) == (
        "fio2_percent: 1 is outside 21–100 % (enter FiO2 as a percentage, e.g. 40, not as a fraction)")


@pytest.mark.parametrize("sbp, dbp, ok", [
    pytest.param(80, 85, False, id="V40-80/85"), pytest.param(80, 80, False, id="equal"),
    pytest.param(80, 79, True, id="below"),
])
def test_v40_diastolic_must_be_below_systolic(sbp, dbp, ok):
    if ok:
        assert VitalsFields(systolic_bp=sbp, diastolic_bp=dbp).diastolic_bp == dbp
    else:
        assert rejection(systolic_bp=sbp, diastolic_bp=dbp) == (
            f"diastolic_bp: {dbp} is not below systolic_bp {sbp} mmHg")


def test_unknown_field_is_rejected():
    assert rejection(temprature_c=38.0) == "temprature_c: unknown field (check the spelling)"


@pytest.mark.parametrize("field, value, warned, limit", [
    ("temperature_c", 33.9, True, 34.0), ("temperature_c", 34.0, False, None), ("temperature_c", 41.0, False, None),
    ("temperature_c", 41.1, True, 41.0),
    ("heart_rate", 39, True, 40), ("heart_rate", 40, False, None), ("heart_rate", 180, False, None),
    ("heart_rate", 181, True, 180),
    ("respiratory_rate", 5, True, 6), ("respiratory_rate", 6, False, None), ("respiratory_rate", 40, False, None),
    ("respiratory_rate", 41, True, 40),
    ("systolic_bp", 69, True, 70), ("systolic_bp", 70, False, None), ("systolic_bp", 220, False, None),
    ("systolic_bp", 221, True, 220),
    ("diastolic_bp", 34, True, 35), ("diastolic_bp", 35, False, None), ("diastolic_bp", 130, False, None),
    ("diastolic_bp", 131, True, 130),
    ("spo2_percent", 79, True, 80), ("spo2_percent", 80, False, None), ("spo2_percent", 100, False, None),
])
def test_soft_limits_ask_to_confirm(field, value, warned, limit):
    warnings = soft_limit_warnings({field: value})
    assert len(warnings) == (1 if warned else 0)
    if warned:
        w = warnings[0]
        assert (w.field, w.value, w.limit) == (field, value, limit)
        assert w.message.startswith(f"{field}: {value:g}")
        assert w.message.endswith("please confirm")


def test_soft_limit_message_is_exact():
    [warning] = soft_limit_warnings({"heart_rate": 190})
    assert warning.message == "heart_rate: 190 /min is above 180 /min - please confirm"


@pytest.mark.parametrize("device, flow, warned", [
    ("nasal_cannula", 15.0, False), ("nasal_cannula", 15.5, True), ("high_flow_nasal_cannula", 40.0, False),
])
def test_nasal_cannula_above_15_l_min_asks_to_confirm(device, flow, warned):
    warnings = soft_limit_warnings({"oxygen_device": device, "oxygen_flow_l_min": flow})
    assert [w.field for w in warnings] == (["oxygen_flow_l_min"] if warned else [])


def test_soft_limits_skip_missing_and_non_numeric_values():
    assert soft_limit_warnings({"temperature_c": None, "consciousness": "alert", "fluid_bolus_given": True}) == []
