"""Issue 18: fold snapshots with an explicit, versioned schema (core/snapshot.py). Every attribute of the running fold
and of its infusion tracker is named in the schema; a fold built from a varied record history survives a snapshot
field for field and answers the same states; a snapshot of another schema version is refused and the patient folded
afresh."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from core.fold.folder import _Folder
from core.protocol import shipped_protocol
from core.regimen import InfusionTracker
from core.snapshot import (
    FOLDER_REBUILT,
    FOLDER_SCHEMA,
    FORMAT,
    TRACKER_REBUILT,
    TRACKER_SCHEMA,
    SnapshotError,
    dump_fold,
    load_fold,
    snapshot_key,
)
from core.state import PatientFold, fold
from tests.scenario import Timeline, patient

PROTOCOL = shipped_protocol("default")
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
ORDERED = {"override_reason": "ordered (snapshot test)", "ordered_by": "Dr Synthetic"}
DEX = {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"}


def varied_history() -> Timeline:
    """Vitals, neuro, labs, infusion start/stop/resume, bags, premedication, confirmations, corrections, a transfer,
    an escalation, observations not done: every attribute of the fold and the tracker gets a value."""
    tl = Timeline()
    tl.add(0, "medication_given", minutes=-30, **DEX)
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24, **ORDERED)
    tl.add(1, "vitals", **NORMAL)
    tl.add(20, "vitals", **{**NORMAL, "temperature_c": 38.6, "heart_rate": 112, "fever_other_cause": False})
    tl.add(20.2, "fluid_bolus", volume_ml=500)
    tl.add(21, "vitals", **{**NORMAL, "temperature_c": 38.9, "systolic_bp": 84, "diastolic_bp": 48,
                            "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 4.0, "life_threatening": False})
    tl.add(21.1, "vasopressor_started", agent="norepinephrine")
    tl.add(21.2, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(21.3, "infusion_stopped", reason="crs")
    tl.add(21.5, "escalation", to="prescriber", response="attending", acknowledges=["notify_prescriber"],
           name="Dr Synthetic")
    tl.add(22, "grade_confirmed", grade=3, reason="clinical picture (synthetic)")
    tl.add(23, "neuro_assessment", ice_score=6, arousal="awake", seizure="resolved")
    tl.add(24, "lab_result", test="CRP", value=180.0, unit="mg/L")
    tl.add(24, "lab_result", test="ferritin", value=12500, unit="ug/L")
    tl.add(24, "lab_result", test="fibrinogen", value=1.0, unit="g/L")
    tl.add(26, "vasopressor_stopped", agent="norepinephrine")
    tl.add(27, "observations_not_done", reason="asleep")
    tl.add(28, "patient_updated", bed="14", weight_kg=68.0)
    typo = tl.add(30, "vitals", **{**NORMAL, "temperature_c": 39.9})
    tl.add(30.5, "entered_in_error", target_id=str(typo.record.id), reason="wrong patient")
    tl.add(40, "vitals", **NORMAL)
    tl.add(41, "neuro_assessment", ice_score=10, arousal="awake", seizure="none")
    tl.add(44, "crs_episode_closed", reason="resolved (synthetic)")
    tl.add(50, "medication_given", minutes=-90, **DEX)   # R-PREMED-3: outside the window, a warning
    tl.add(50, "infusion_resumed", dose_mcg=9, duration_h=24, **ORDERED)
    tl.add(60, "bag_changed", dose_mcg=9, duration_h=24)
    tl.add(65, "vasopressor_started", agent="phenylephrine")
    tl.add(70, "vitals", **{**NORMAL, "temperature_c": 38.2, "vasopressors": ["phenylephrine"]})
    return tl


def assert_same_value(a, b, path: str) -> None:
    """Equal, and of the same types all the way down (an enum must not come back as its string)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    assert a == b, path
    if isinstance(a, (list, tuple)):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same_value(x, y, f"{path}[{index}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            assert_same_value(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, (set, frozenset)):
        assert sorted(map(repr, a)) == sorted(map(repr, b)), path
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        for f in dataclasses.fields(a):
            assert_same_value(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")


def test_every_attribute_of_the_fold_and_the_tracker_is_in_the_schema():
    # Adding an attribute to _Folder or InfusionTracker without adding it to the schema fails here (before it
    # silently changes what a snapshot holds).
    folder = _Folder(patient(), PROTOCOL)
    assert set(vars(folder)) == set(FOLDER_SCHEMA) | FOLDER_REBUILT
    assert set(vars(folder.tracker)) == set(TRACKER_SCHEMA) | TRACKER_REBUILT
    assert not set(FOLDER_SCHEMA) & FOLDER_REBUILT and not set(TRACKER_SCHEMA) & TRACKER_REBUILT
    # ... and none appears later, as records are applied
    cached = PatientFold.of(patient(), varied_history().records, PROTOCOL)
    assert set(vars(cached._folder)) == set(FOLDER_SCHEMA) | FOLDER_REBUILT
    assert set(vars(cached._folder.tracker)) == set(TRACKER_SCHEMA) | TRACKER_REBUILT
    assert isinstance(cached._folder.tracker, InfusionTracker)


def test_a_varied_fold_round_trips_field_for_field_and_answers_the_same_states():
    tl = varied_history()
    cached = PatientFold.of(patient(), tl.records, PROTOCOL)
    fresh = _Folder(patient(), PROTOCOL)
    # The history gives (almost) every field a value of its own, so a field lost on the way would show.
    unchanged = {name for name in FOLDER_SCHEMA if getattr(cached._folder, name) == getattr(fresh, name)}
    assert unchanged == {"death_recorded", "override_in_force"}, unchanged   # tested below and elsewhere
    tracker = cached._folder.tracker
    unchanged = {name for name in TRACKER_SCHEMA if getattr(tracker, name) == getattr(fresh.tracker, name)}
    # no hold now, none long enough for a new cycle, the reduced phase not yet left (other tests of regimen.py)
    assert unchanged == {"current_hold", "new_cycle_after_long_hold", "reduced_infused_before"}, unchanged
    restored = load_fold(dump_fold(cached), patient(), PROTOCOL)
    for name in FOLDER_SCHEMA:
        assert_same_value(getattr(restored._folder, name), getattr(cached._folder, name), f"folder.{name}")
    for name in TRACKER_SCHEMA:
        assert_same_value(getattr(restored._folder.tracker, name), getattr(cached._folder.tracker, name),
                          f"tracker.{name}")
    assert restored._folder.patient == cached._folder.patient   # rebuilt: the transfer and the new weight
    assert (restored._folder.patient.bed, restored._folder.patient.weight_kg) == ("14", 68.0)
    assert restored._folder.tracker.dosing == cached._folder.tracker.dosing
    assert (restored.last_seq, restored.last_key, restored.last_at, restored.superseded) == (
        cached.last_seq, cached.last_key, cached.last_at, cached.superseded)
    for hours in (70, 71.5, 96):
        at = tl.at(hours)
        assert restored.state(at) == cached.state(at)
        assert restored.state(at).to_json() == cached.state(at).to_json() == fold(
            patient(), tl.records, at, PROTOCOL).to_json()
    assert restored.trail() == cached.trail() and restored.latest_records() == cached.latest_records()
    # and records after the snapshot extend both alike
    more = Timeline()
    more.records = list(tl.records)
    new = more.add(80, "vitals", **{**NORMAL, "temperature_c": 39.0, "systolic_bp": 88, "diastolic_bp": 50})
    restored.extend([new])
    cached.extend([new])
    assert restored.state(more.at(81)).to_json() == cached.state(more.at(81)).to_json()


def test_a_death_recorded_and_a_discontinuation_round_trip():
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24, **ORDERED)
    tl.add(2, "vitals", **{**NORMAL, "temperature_c": 39.0, "systolic_bp": 80, "diastolic_bp": 45})
    tl.add(3, "therapy_discontinued", reason="CRS grade 4 (synthetic)")
    tl.add(4, "grade_confirmed", grade=5, reason="death attributed to CRS (synthetic)")
    cached = PatientFold.of(patient(), tl.records, PROTOCOL)
    assert cached._folder.death_recorded is not None
    restored = load_fold(dump_fold(cached), patient(), PROTOCOL)
    for name in FOLDER_SCHEMA:
        assert_same_value(getattr(restored._folder, name), getattr(cached._folder, name), f"folder.{name}")
    assert restored.state(tl.at(5)).to_json() == cached.state(tl.at(5)).to_json()
    assert restored.state(tl.at(5)).crs.grade == 5


@pytest.mark.parametrize("change", [
    pytest.param(lambda doc: doc.update(format=FORMAT - 1), id="older-schema"),
    pytest.param(lambda doc: doc.update(format=FORMAT + 1), id="unknown-schema"),
    pytest.param(lambda doc: doc.pop("format"), id="no-schema"),
    pytest.param(lambda doc: doc["folder"].pop("seizures"), id="field-missing"),
    pytest.param(lambda doc: doc["folder"].update(queue=[]), id="field-unknown"),
    pytest.param(lambda doc: doc["tracker"].update(cycle="1"), id="field-of-the-wrong-type"),
    pytest.param(lambda doc: doc["folder"].update(seizures=True), id="a-bool-for-an-int"),
])
def test_a_snapshot_of_another_schema_is_refused(change):
    doc = json.loads(dump_fold(PatientFold.of(patient(), varied_history().records, PROTOCOL)))
    change(doc)
    with pytest.raises(SnapshotError):
        load_fold(json.dumps(doc), patient(), PROTOCOL)


def test_the_schema_version_is_in_the_key():
    assert snapshot_key(patient(), PROTOCOL).startswith(f"{FORMAT}:")


def test_a_stored_snapshot_of_an_older_schema_is_never_shown(bedside, clock):
    # Written by older code: its key names schema 2, and its payload says so too. The state comes from the records.
    now = clock.now()
    start = now - timedelta(hours=30)
    bedside.record("A100", "vitals", NORMAL, at=start)
    bedside.record("A100", "vitals", {**NORMAL, "temperature_c": 38.7}, at=start + timedelta(hours=1))
    truth = bedside.state("A100", now).to_json()
    other = Timeline()
    other.add(0, "vitals", **{**NORMAL, "temperature_c": 39.5, "systolic_bp": 80, "diastolic_bp": 40})
    wrong = PatientFold.of(patient(), other.records, PROTOCOL)   # a fold that would show grade 2
    wrong.last_seq = 10 ** 6
    assert wrong.state(now).to_json() != truth   # what showing it would show
    payload = json.loads(dump_fold(wrong))
    payload["format"] = FORMAT - 1
    key = snapshot_key(patient(), PROTOCOL)
    old_key = f"{FORMAT - 1}:{key.split(':', 1)[1]}"
    for stored_key, text in ((old_key, dump_fold(wrong)), (key, json.dumps(payload))):
        bedside._folds.clear()
        bedside.store.save_fold_snapshot("A100", 2, stored_key, text)
        assert bedside._load_snapshot(bedside.patient("A100")) is None
        assert bedside.state("A100", now).to_json() == truth
