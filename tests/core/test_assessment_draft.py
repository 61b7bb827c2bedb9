"""core/assessment_draft.py: the records one vitals assessment makes (D4 / R-AST-3 repeat of a low blood pressure,
R-NEWS-1 complete set, R-ICN-1 ICE on new confusion) and what the trend draws, with exact expected lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.assessment_draft import (
    AssessmentEntry,
    IceEntry,
    asks_for_ice,
    draft_records,
    hypotension_line,
    intervention_times,
    low_bp_needs_repeat,
    oxygen_questions,
    vital_points,
)
from core.records import EnteredInError, FluidBolus, MedicationGiven, VitalsRecord
from core.rules.crs import hypotension_sbp_limit
from core.state import fold
from tests.scenario import T0, patient

FULL = {"temperature_c": 38.4, "heart_rate": 112, "respiratory_rate": 22, "systolic_bp": 120, "diastolic_bp": 70,
        "spo2_percent": 96}


def entry(**changes) -> AssessmentEntry:
    values = {"measured": dict(FULL), "oxygen_device": "room_air", "consciousness": "alert", "age_years": 40}
    values.update(changes)
    return AssessmentEntry(**values)


def with_bp(systolic: int, diastolic: int = 50) -> dict[str, float | int | None]:
    return {**FULL, "systolic_bp": systolic, "diastolic_bp": diastolic}


def test_a_plain_set_is_one_vitals_record(protocol):
    assert draft_records(entry(), protocol) == [
        ("vitals", {**FULL, "oxygen_device": "room_air", "consciousness": "alert"})]


def test_every_kind_of_record_an_assessment_makes_in_order(protocol):
    made = draft_records(entry(
        measured={**FULL, "systolic_bp": 84, "diastolic_bp": 50, "oxygen_flow_l_min": 2.0},
        oxygen_device="nasal_cannula", oxygen_for_comfort_only=True, consciousness="new_confusion",
        fluid_bolus_given=True, vasopressors=("norepinephrine",), repeat_systolic_bp=88, repeat_diastolic_bp=52,
        ice=IceEntry(ice_score=7, arousal="awake", seizure="none"), symptoms=("headache", "tremor"),
        bolus_volume_ml=500), protocol)
    assert made == [
        ("vitals", {"systolic_bp": 84, "diastolic_bp": 50}),
        ("vitals", {**FULL, "systolic_bp": 88, "diastolic_bp": 52, "oxygen_flow_l_min": 2.0,
                    "oxygen_device": "nasal_cannula", "oxygen_for_comfort_only": True,
                    "consciousness": "new_confusion", "fluid_bolus_given": True, "vasopressors": ["norepinephrine"]}),
        ("neuro_assessment", {"ice_score": 7, "arousal": "awake", "seizure": "none"}),
        ("symptom", {"name": "headache"}),
        ("symptom", {"name": "tremor"}),
        ("fluid_bolus", {"volume_ml": 500.0}),
    ]


def adult_limit(protocol) -> int:
    return protocol.grading.hypotension_sbp_below


@pytest.mark.parametrize("age, offset, repeated", [
    pytest.param(40, -1, True, id="R-AST-3-D4-adult-below"),
    pytest.param(40, 0, False, id="R-AST-3-D4-adult-at"),
    pytest.param(40, 1, False, id="R-AST-3-D4-adult-above"),
    pytest.param(6, -1, True, id="R-AST-3-D4-child-6-below"),
    pytest.param(6, 0, False, id="R-AST-3-D4-child-6-at"),
    pytest.param(6, 1, False, id="R-AST-3-D4-child-6-above"),
])
def test_a_low_reading_repeated_keeps_the_first_as_its_own_record(protocol, age, offset, repeated):
    limit = adult_limit(protocol) if age == 40 else 70 + 2 * age
    assert hypotension_sbp_limit(age, protocol) == limit   # adult: the protocol's 90; a child of 6: 82 (R-AST-3(c))
    systolic = limit + offset
    made = draft_records(entry(measured=with_bp(systolic), age_years=age, repeat_systolic_bp=systolic + 6,
                               repeat_diastolic_bp=55), protocol)
    assert low_bp_needs_repeat(systolic, age, protocol) is repeated
    if repeated:
        assert made == [
            ("vitals", {"systolic_bp": systolic, "diastolic_bp": 50}),
            ("vitals", {**with_bp(systolic + 6, 55), "oxygen_device": "room_air", "consciousness": "alert"}),
        ]
    else:   # not low: the set keeps the reading typed first; a stray repeat is not recorded
        assert made == [("vitals", {**with_bp(systolic), "oxygen_device": "room_air", "consciousness": "alert"})]


def test_the_adult_limit_is_not_applied_to_a_child(protocol):
    # 85 mmHg is low for an adult (< 90) but not for a child of 6 (limit 82): no repeat record for the child.
    assert low_bp_needs_repeat(85, 40, protocol) is True
    assert low_bp_needs_repeat(85, 6, protocol) is False
    assert len(draft_records(entry(measured=with_bp(85), age_years=6, repeat_systolic_bp=90), protocol)) == 1
    assert len(draft_records(entry(measured=with_bp(85), age_years=40, repeat_systolic_bp=90), protocol)) == 2


def test_a_repeat_without_its_diastolic_leaves_the_set_without_one(protocol):
    made = draft_records(entry(measured=with_bp(80, 45), repeat_systolic_bp=86), protocol)
    assert made == [
        ("vitals", {"systolic_bp": 80, "diastolic_bp": 45}),
        ("vitals", {key: value for key, value in {**with_bp(86), "oxygen_device": "room_air",
                                                   "consciousness": "alert"}.items() if key != "diastolic_bp"}),
    ]


def test_a_low_reading_not_repeated_is_one_set(protocol):
    made = draft_records(entry(measured=with_bp(80, 45)), protocol)
    assert made == [("vitals", {**with_bp(80, 45), "oxygen_device": "room_air", "consciousness": "alert"})]


def test_ice_only_on_new_confusion_and_comfort_only_on_oxygen(protocol):
    ice = IceEntry(ice_score=None, arousal="voice", seizure="resolved")
    assert asks_for_ice("new_confusion") and not asks_for_ice("voice") and not asks_for_ice("alert")
    made = draft_records(entry(consciousness="voice", ice=ice, oxygen_for_comfort_only=True), protocol)
    assert made == [("vitals", {**FULL, "oxygen_device": "room_air", "consciousness": "voice"})]
    made = draft_records(entry(consciousness="new_confusion", ice=ice), protocol)
    assert made[1:] == [("neuro_assessment", {"ice_score": None, "arousal": "voice", "seizure": "resolved"})]


def test_a_bolus_ticked_without_a_volume_is_only_the_tick(protocol):
    made = draft_records(entry(fluid_bolus_given=True), protocol)
    assert made == [("vitals", {**FULL, "oxygen_device": "room_air", "consciousness": "alert",
                                "fluid_bolus_given": True})]


@pytest.mark.parametrize("device, flow, fio2", [
    ("room_air", False, False), ("nasal_cannula", True, False), ("venturi_mask", True, True),
    ("high_flow_nasal_cannula", True, True), ("simple_mask", True, False),
])
def test_the_oxygen_questions_of_each_device(device, flow, fio2):
    asked = oxygen_questions(device)
    assert (asked.flow, asked.fio2, asked.comfort) == (flow, fio2, flow)   # D5


# -- the trend ------------------------------------------------------------------------------------------------------

def child(age: int):
    born = (T0 - timedelta(days=365 * age + 30)).date()
    return patient(mrn="CHILD-1", birth_date=born)


def test_the_hypotension_line_is_the_childs_limit_for_a_child_and_the_protocols_for_an_adult(protocol):
    kid = child(6)
    assert kid.age_years(T0) == 6
    assert hypotension_line(fold(kid, [], T0, protocol), protocol) == 82.0
    adult = patient(birth_date=date(1970, 1, 1))
    assert hypotension_line(fold(adult, [], T0, protocol), protocol) == float(protocol.grading.hypotension_sbp_below)


def test_the_trend_leaves_out_corrections_and_medicines_not_for_crs(protocol):
    from core.records import StoredRecord

    p = patient()
    kept = VitalsRecord(mrn=p.mrn, at=T0, systolic_bp=100, heart_rate=90)
    wrong = VitalsRecord(mrn=p.mrn, at=T0 + timedelta(minutes=5), systolic_bp=60, heart_rate=150)
    correction = EnteredInError(mrn=p.mrn, at=T0 + timedelta(minutes=6), target_id=wrong.id, reason="wrong bed")
    bolus = FluidBolus(mrn=p.mrn, at=T0 + timedelta(minutes=7), volume_ml=500)
    crs_drug = MedicationGiven(mrn=p.mrn, at=T0 + timedelta(minutes=8), drug="tocilizumab", dose_mg=560,
                               purpose="crs_treatment")
    premed = MedicationGiven(mrn=p.mrn, at=T0 + timedelta(minutes=9), drug="dexamethasone", dose_mg=20,
                             purpose="premedication")
    records = [StoredRecord(r, seq, T0, "test") for seq, r in
               enumerate([kept, wrong, correction, bolus, crs_drug, premed], start=1)]
    state = fold(p, records, T0 + timedelta(minutes=10), protocol)
    assert vital_points(state, records, ("systolic_bp", "heart_rate", "spo2_percent")) == {
        "systolic_bp": [(T0, 100.0)], "heart_rate": [(T0, 90.0)], "spo2_percent": []}
    assert intervention_times(state, records) == {
        "fluid_bolus": [T0 + timedelta(minutes=7)], "medication_given": [T0 + timedelta(minutes=8)],
        "vasopressor_started": [], "infusion_stopped": []}
