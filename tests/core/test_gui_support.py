"""The small pure helpers core offers the GUI: the draft preview, one-transaction assessments, °C/°F."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import InputError
from core.units import celsius_to_fahrenheit, fahrenheit_to_celsius

NORMAL = {"temperature_c": 36.8, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122, "diastolic_bp": 76,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


@pytest.mark.parametrize(("celsius", "fahrenheit"), [(38.5, 101.3), (38.0, 100.4), (37.0, 98.6), (25.0, 77.0),
                                                     (45.0, 113.0)])
def test_temperature_conversions_round_trip_to_a_tenth(celsius, fahrenheit):
    assert celsius_to_fahrenheit(celsius) == fahrenheit
    assert fahrenheit_to_celsius(fahrenheit) == celsius


def test_fahrenheit_to_celsius_rounds_half_up():
    # 100.49 °F = 38.0500 °C -> 38.1 (half-up, RULES.md §0), not 38.0
    assert fahrenheit_to_celsius(100.49) == 38.1
    assert fahrenheit_to_celsius(100.48) == 38.0


def test_preview_grades_the_draft_without_writing(bedside):
    before = bedside.store.record_count()
    state = bedside.preview("A100", [("vitals", {**NORMAL, "temperature_c": 38.4})])
    assert state.crs.grade == 1
    assert state.news2.score == 1
    assert bedside.store.record_count() == before
    assert bedside.state("A100").crs.grade == 0


def test_preview_folds_the_draft_with_the_stored_records(bedside, clock):
    bedside.record("A100", "fluid_bolus", {"volume_ml": 500}, at=clock.now() - timedelta(hours=1))
    state = bedside.preview("A100", [("vitals", {**NORMAL, "temperature_c": 38.4})])
    # D4: a bolus within 6 h counts as hypotension treated with fluids -> grade 2 with the fever
    assert state.crs.grade == 2


def test_preview_refuses_a_future_time_and_a_bad_value(bedside, clock):
    # RULES.md §5: up to 5 minutes ahead is clock skew; beyond is refused
    assert bedside.preview("A100", [("vitals", NORMAL)], at=clock.now() + timedelta(minutes=5)).crs.grade == 0
    with pytest.raises(InputError, match="future"):
        bedside.preview("A100", [("vitals", NORMAL)], at=clock.now() + timedelta(minutes=5, seconds=1))
    with pytest.raises(InputError, match=r"60.0 is outside 25.0–45.0 °C"):
        bedside.preview("A100", [("vitals", {"temperature_c": 60.0})])


def test_record_many_writes_everything_in_one_transaction(bedside, clock):
    at = clock.now() - timedelta(minutes=30)
    result = bedside.record_many("A100", [("vitals", NORMAL), ("vitals", {"systolic_bp": 118, "diastolic_bp": 70}),
                                          ("symptom", {"name": "rash"})], at=at)
    records = bedside.records("A100")
    assert [r.record.type for r in records] == ["vitals", "vitals", "symptom"]
    assert all(r.record.at == at for r in records)
    # One moment: the fold takes its records by id, and the ids were drawn in the order entered (issue 17).
    assert [str(r.record.id) for r in records] == sorted(str(r.record.id) for r in records)
    assert all(r.record.by == "nurse.test" for r in records)
    assert result.record.type == "vitals"
    assert result.state.vitals.values["systolic_bp"] == 118


def test_record_many_writes_nothing_when_one_record_is_bad(bedside):
    with pytest.raises(InputError, match="ice_score"):
        bedside.record_many("A100", [("vitals", NORMAL), ("neuro_assessment", {"ice_score": 11})])
    assert bedside.records("A100") == []


def test_record_many_refuses_corrections(bedside):
    with pytest.raises(InputError, match="correct"):
        bedside.record_many("A100", [("entered_in_error", {"target_id": "x", "reason": "r"})])
