"""NEWS2 (RULES.md §4, RCP 2017): every band edge at, below and above, scale 2, risk bands, R-NEWS-1 (complete
set only), R-NEWS-2 (separate from the CRS grade) and the under-16 rule."""

from __future__ import annotations

from typing import Any

import pytest

from core.records import Consciousness, OxygenDevice
from core.rules.news2 import (
    HIGH,
    LOW,
    LOW_MEDIUM,
    MEDIUM,
    consciousness_score,
    news2,
    pulse_score,
    respiratory_rate_score,
    risk_band,
    spo2_scale1_score,
    spo2_scale2_score,
    systolic_bp_score,
    temperature_score,
)

#: RULES.md §10 defaults: RR 16, SpO2 97 % on air, SBP 120, HR 80, Alert, T 37.0 -> NEWS2 0.
NORMAL = {"respiratory_rate": 16, "spo2_percent": 97, "oxygen_device": OxygenDevice.ROOM_AIR, "systolic_bp": 120,
          "heart_rate": 80, "consciousness": Consciousness.ALERT, "temperature_c": 37.0}


def score(**changes: Any):
    return news2(**{**NORMAL, **changes})


@pytest.mark.parametrize("rr, points", [
    (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (2, 3), (80, 3),
])
def test_respiratory_rate_bands(rr, points):
    assert respiratory_rate_score(rr) == points


@pytest.mark.parametrize("spo2, points", [(91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0), (50, 3)])
def test_spo2_scale_1_bands(spo2, points):
    assert spo2_scale1_score(spo2) == points


@pytest.mark.parametrize("spo2, on_oxygen, points", [
    (83, True, 3), (84, True, 2), (85, True, 2), (86, True, 1), (87, True, 1), (88, True, 0), (92, True, 0),
    (93, True, 1), (94, True, 1), (95, True, 2), (96, True, 2), (97, True, 3), (100, True, 3),
    (93, False, 0), (97, False, 0), (87, False, 1), (83, False, 3),
])
def test_spo2_scale_2_bands(spo2, on_oxygen, points):
    assert spo2_scale2_score(spo2, on_oxygen) == points


@pytest.mark.parametrize("sbp, points", [
    (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3), (40, 3),
])
def test_systolic_bp_bands(sbp, points):
    assert systolic_bp_score(sbp) == points


@pytest.mark.parametrize("hr, points", [
    (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3),
])
def test_pulse_bands(hr, points):
    assert pulse_score(hr) == points


@pytest.mark.parametrize("t, points", [
    (35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2), (25.0, 3), (45.0, 2),
])
def test_temperature_bands_continuous(t, points):
    assert temperature_score(t) == points


@pytest.mark.parametrize("level, points", [
    (Consciousness.ALERT, 0), (Consciousness.NEW_CONFUSION, 3), (Consciousness.VOICE, 3), (Consciousness.PAIN, 3),
    (Consciousness.UNRESPONSIVE, 3),
])
def test_consciousness_acvpu(level, points):
    assert consciousness_score(level) == points


@pytest.mark.parametrize("total, red, risk", [
    pytest.param(0, False, LOW, id="0-low"), pytest.param(4, False, LOW, id="4-low"),
    pytest.param(3, True, LOW_MEDIUM, id="red-low-medium"), pytest.param(4, True, LOW_MEDIUM, id="4-red"),
    pytest.param(5, False, MEDIUM, id="5-medium"), pytest.param(6, True, MEDIUM, id="6-medium"),
    pytest.param(7, False, HIGH, id="7-high"), pytest.param(20, True, HIGH, id="20-high"),
])
def test_risk_bands(total, red, risk):
    assert risk_band(total, red) == risk


def test_normal_set_scores_zero_and_low():
    result = score()
    assert (result.score, result.complete, result.risk, result.red_parameter) == (0, True, LOW, False)


def test_oxygen_adds_two_whatever_the_device():
    for device in (OxygenDevice.NASAL_CANNULA, OxygenDevice.VENTURI_MASK, OxygenDevice.BIPAP):
        result = score(oxygen_device=device)
        assert result.parameter_scores["oxygen_device"] == 2
        assert result.score == 2


@pytest.mark.parametrize("missing", [
    "respiratory_rate", "spo2_percent", "oxygen_device", "systolic_bp", "heart_rate", "consciousness",
    "temperature_c",
])
def test_r_news_1_incomplete_set_has_no_score(missing):
    result = score(**{missing: None})
    assert (result.score, result.complete, result.risk) == (None, False, None)
    assert result.missing == (missing,)


def test_r_news_1_red_parameter_still_known_in_an_incomplete_set():
    result = score(systolic_bp=88, temperature_c=None)
    assert (result.score, result.red_parameter) == (None, True)


@pytest.mark.parametrize("age, applies", [(15, False), (16, True), (17, True), (None, True)])
def test_news2_is_not_computed_under_16(age, applies):
    result = score(age_years=age)
    assert result.complete is applies
    assert result.not_applicable == (None if applies else "under_16")
    assert result.score == (0 if applies else None)


def test_v35_news2_nine_is_high():
    result = score(respiratory_rate=22, spo2_percent=95, oxygen_device=OxygenDevice.NASAL_CANNULA,
                   systolic_bp=105, heart_rate=115, temperature_c=38.5)
    assert result.parameter_scores == {"respiratory_rate": 2, "spo2_percent": 1, "oxygen_device": 2,
                                       "systolic_bp": 1, "heart_rate": 2, "consciousness": 0, "temperature_c": 1}
    assert (result.score, result.risk, result.red_parameter) == (9, HIGH, False)


def test_v36_scale_2_on_oxygen_and_on_air():
    on_o2 = score(spo2_percent=93, oxygen_device=OxygenDevice.NASAL_CANNULA, scale=2)
    assert (on_o2.parameter_scores["spo2_percent"], on_o2.parameter_scores["oxygen_device"]) == (1, 2)
    assert on_o2.score == 3
    on_air = score(spo2_percent=93, scale=2)
    assert (on_air.parameter_scores["spo2_percent"], on_air.score) == (0, 0)
    assert score(spo2_percent=93).parameter_scores["spo2_percent"] == 2  # scale 1 for comparison


def test_r_news_2_divergences_from_the_crs_grade():
    # T 38.0 is CRS fever but scores 0; SBP 90 is a NEWS2 red score but not hypotension (SBP < 90).
    result = score(temperature_c=38.0, systolic_bp=90)
    assert result.parameter_scores["temperature_c"] == 0
    assert result.parameter_scores["systolic_bp"] == 3
    assert (result.score, result.risk) == (3, LOW_MEDIUM)


def test_maximum_total_is_twenty():
    result = score(respiratory_rate=30, spo2_percent=85, oxygen_device=OxygenDevice.NASAL_CANNULA, systolic_bp=80,
                   heart_rate=140, consciousness=Consciousness.PAIN, temperature_c=34.0)
    assert result.score == 20
