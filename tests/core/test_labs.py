"""Laboratory rules through the fold (RULES.md §8): R-LAB-1 (CRP unreliable for 14 days after tocilizumab) and
R-LAB-2 (possible HLH/MAS/IEC-HS), V41 and V42."""

from __future__ import annotations

import pytest

from core.protocol import shipped_protocol
from core.state import fold
from tests.scenario import Timeline, patient

PROTOCOL = shipped_protocol("default")
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def state_at(tl: Timeline, hours: float, minutes: float = 0):
    return fold(patient(), tl.records, tl.at(hours, minutes), PROTOCOL)


def recs(state) -> dict[str, str]:
    return {r.code: r.rule for r in state.recommendations}


def lab(tl: Timeline, hours: float, test: str, value: float, unit: str, minutes: float = 0):
    return tl.add(hours, "lab_result", minutes=minutes, test=test, value=value, unit=unit)


@pytest.mark.parametrize("minutes_after, badged", [
    pytest.param(-1, False, id="R-LAB-1-before-tocilizumab"),
    pytest.param(0, True, id="R-LAB-1-same-time"),
    pytest.param(14 * 1440, True, id="R-LAB-1-exactly-14-days"),
    pytest.param(14 * 1440 + 1, False, id="R-LAB-1-14-days-1-min"),
])
def test_r_lab_1_crp_window_after_tocilizumab(minutes_after, badged):
    tl = Timeline()
    tl.add(0, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    lab(tl, 0, "crp", 40.0, "mg/L", minutes=minutes_after)
    state = state_at(tl, 0, minutes_after + 1)
    assert [v.badge for v in state.labs] == (["crp_unreliable"] if badged else [None])
    assert ("crp_unreliable" in recs(state)) is badged
    assert ("crp_unreliable" in state.flags) is badged
    if badged:
        assert recs(state)["crp_unreliable"] == "R-LAB-1"


def test_v41_crp_after_tocilizumab_sepsis_in_differential_news2_normal():
    tl = Timeline()
    tl.add(0, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    lab(tl, 6, "CRP", 180.0, "mg/L")
    lab(tl, 46, "CRP", 12.0, "mg/L")
    tl.add(48, "vitals", **{**NORMAL, "temperature_c": 37.6, "heart_rate": 118})
    state = state_at(tl, 48)
    assert [(v.value, v.badge) for v in state.labs] == [(180.0, "crp_unreliable"), (12.0, "crp_unreliable")]
    assert recs(state)["crp_unreliable"] == "R-LAB-1"
    assert "sepsis" in state.differential
    assert (state.news2.score, state.news2.risk, state.news2.complete) == (2, "low", True)
    assert state.crs.grade == 0


def _hlh_timeline(ferritin: float, *, fibrinogen: float | None = 1.2, fibrinogen_unit: str = "g/L",
                  platelets: tuple[float, ...] = (), ferritin_before: tuple[float, float] | None = None) -> Timeline:
    tl = Timeline()
    if ferritin_before is not None:
        hours_before, value = ferritin_before
        lab(tl, 48 - hours_before, "ferritin", value, "ug/L")
    for index, count in enumerate(platelets):
        lab(tl, 10 + index * 30, "platelets", count, "10^9/L")
    lab(tl, 48, "ferritin", ferritin, "µg/L")
    if fibrinogen is not None:
        lab(tl, 48, "fibrinogen", fibrinogen, fibrinogen_unit)
    return tl


def test_v42_possible_hlh_with_low_fibrinogen_and_new_thrombocytopenia():
    tl = _hlh_timeline(12500, platelets=(150, 60))
    state = state_at(tl, 49)
    assert recs(state)["possible_hlh"] == "R-LAB-2"
    text = next(r.text for r in state.recommendations if r.code == "possible_hlh")
    assert text == ("Possible HLH/MAS/IEC-HS: ferritin 12500 µg/L with low fibrinogen, new cytopenia - notify the "
                    "prescriber.")
    assert "possible_hlh" in state.flags
    assert "hlh_mas" in state.differential


@pytest.mark.parametrize("ferritin, flagged", [
    pytest.param(9999, False, id="R-LAB-2-9999"), pytest.param(10000, True, id="R-LAB-2-10000"),
    pytest.param(10001, True, id="R-LAB-2-10001"),
])
def test_r_lab_2_ferritin_threshold(ferritin, flagged):
    assert ("possible_hlh" in recs(state_at(_hlh_timeline(ferritin), 49))) is flagged


def test_r_lab_2_needs_a_supporting_finding():
    assert "possible_hlh" not in recs(state_at(_hlh_timeline(25000, fibrinogen=None), 49))
    assert "possible_hlh" not in recs(state_at(_hlh_timeline(25000, fibrinogen=2.5), 49))


@pytest.mark.parametrize("before, flagged", [
    pytest.param((24, 3000), True, id="R-LAB-2-doubled-in-24h"),
    pytest.param((48, 3000), True, id="R-LAB-2-doubled-in-48h"),
    pytest.param((49, 3000), False, id="R-LAB-2-doubled-in-49h"),
    pytest.param((24, 3001), False, id="R-LAB-2-less-than-double"),
])
def test_r_lab_2_ferritin_doubling_within_48_hours(before, flagged):
    state = state_at(_hlh_timeline(6000, ferritin_before=before), 49)
    assert ("possible_hlh" in recs(state)) is flagged


@pytest.mark.parametrize("value, unit, low", [
    pytest.param(149, "mg/dL", True, id="mg/dL-149-low"), pytest.param(150, "mg/dL", False, id="mg/dL-150-not-low"),
    pytest.param(1.49, "g/L", True, id="g/L-1.49-low"), pytest.param(1.5, "g/L", False, id="g/L-1.5-not-low"),
    pytest.param(1.2, "furlongs", False, id="unknown-unit-not-guessed"),
])
def test_r_lab_2_fibrinogen_units(value, unit, low):
    state = state_at(_hlh_timeline(12000, fibrinogen=value, fibrinogen_unit=unit), 49)
    assert ("possible_hlh" in recs(state)) is low


@pytest.mark.parametrize("counts, new", [
    pytest.param((150, 60), True, id="new-thrombocytopenia"),
    pytest.param((60,), True, id="first-count-low"),
    pytest.param((40, 30), False, id="pre-existing-not-new"),
    pytest.param((150, 100), False, id="100-not-below-limit"),
    pytest.param((150, 99), True, id="99-below-limit"),
])
def test_r_lab_2_new_cytopenia(counts, new):
    state = state_at(_hlh_timeline(12000, fibrinogen=None, platelets=counts), 49)
    assert ("possible_hlh" in recs(state)) is new


def test_r_lab_2_anc_in_cells_per_microlitre_and_rising_alt():
    tl = Timeline()
    lab(tl, 0, "anc", 1800, "cells/uL")
    lab(tl, 40, "anc", 500, "cells/µL")
    lab(tl, 48, "ferritin", 11000, "ng/mL")
    state = state_at(tl, 49)
    assert "new cytopenia" in next(r.text for r in state.recommendations if r.code == "possible_hlh")
    tl2 = Timeline()
    lab(tl2, 0, "alt", 40, "U/L")
    lab(tl2, 30, "alt", 120, "U/L")
    lab(tl2, 48, "ferritin", 11000, "ug/L")
    state2 = state_at(tl2, 49)
    assert next(r.text for r in state2.recommendations if r.code == "possible_hlh").endswith(
        "with rising ALT - notify the prescriber.")


def test_labs_without_findings_add_nothing():
    tl = Timeline()
    lab(tl, 0, "crp", 12.0, "mg/L")
    lab(tl, 0, "ferritin", 800, "ug/L")
    state = state_at(tl, 1)
    assert [v.badge for v in state.labs] == [None, None]
    assert "possible_hlh" not in recs(state) and "crp_unreliable" not in recs(state)
    assert state.differential == ()
