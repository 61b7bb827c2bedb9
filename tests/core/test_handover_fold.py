"""The handover from the service's cached fold (issue 20): it reads the fold's state, its trail and only the records
of its window, and prints exactly what a handover built from every record and every state after each record prints."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.clock import FixedClock
from core.handover import build_handover, build_patient_handover, patient_html
from core.protocol import shipped_protocol
from core.services import Bedside
from core.state import fold, fold_history
from core.store import Store
from tests.scenario import Timeline, patient

pytestmark = pytest.mark.usefixtures("us_central_local_time")

ORDERED = {"override_reason": "ordered (handover fold test)", "ordered_by": "Dr Synthetic"}


def normal(**changes):
    fields = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
              "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
    fields.update(changes)
    return fields


def eventful_stay() -> Timeline:
    """Five days: premedication and start, a CRS episode of days (its highest grade and its first treatment more
    than 24 h before a handover in it) with a bolus, vasopressors, tocilizumab, a confirmed grade and a hold, labs,
    neuro checks, a partial set, notes, escalations and corrections on both sides of the last 24 h."""
    tl = Timeline("A100")
    tl.add(-1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24)
    for hours in range(2, 120, 4):
        tl.add(hours, "vitals", **normal())
    tl.add(3, "lab_result", test="crp", value=12, unit="mg/L")
    tl.add(5, "vasopressor_started", agent="norepinephrine")      # grade 3 at the fever, then stopped
    tl.add(24, "bag_changed", dose_mcg=9, duration_h=24)
    tl.add(30, "vitals", **normal(temperature_c=38.6, heart_rate=108))
    tl.add(31, "fluid_bolus", volume_ml=500)
    tl.add(31.5, "vitals", **normal(temperature_c=38.9, heart_rate=112, systolic_bp=84, diastolic_bp=48))
    tl.add(31.6, "infusion_stopped", reason="crs")
    tl.add(32, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(33, "grade_confirmed", grade=2, reason="hypotension after the bolus")
    tl.add(33.2, "medication_given", drug="dexamethasone", dose_mg=10, purpose="crs_treatment")
    tl.add(34, "vasopressor_stopped", agent="norepinephrine")
    tl.add(40.5, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(46, "medication_given", drug="dexamethasone", dose_mg=10, purpose="crs_treatment")
    tl.add(34, "neuro_assessment", ice_score=9)
    tl.add(36, "lab_result", test="ferritin", value=900, unit="ug/L")
    wrong = tl.add(40, "vitals", **normal(temperature_c=39.9))
    tl.add(41, "entered_in_error", target_id=str(wrong.record.id), reason="wrong patient")
    tl.add(47, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(48, "infusion_resumed", dose_mcg=9, duration_h=24, **ORDERED)
    for hours in (44, 52, 60):                                     # the episode goes on for days
        tl.add(hours + 1, "vitals", **normal(temperature_c=38.3))
    tl.add(70, "vasopressor_started", agent="norepinephrine")     # started long before the last windows, running
    tl.add(72, "lab_result", test="crp", value=40, unit="mg/L")
    tl.add(80, "neuro_assessment", ice_score=10)
    tl.add(96, "note", text="settled overnight")
    tl.add(97, "symptom", name="rash", note="trunk")
    tl.add(98, "vitals", temperature_c=37.9, heart_rate=90)        # a partial set after the last full one
    tl.add(99, "escalation", to="prescriber", response="advice_given", acknowledges=["notify_prescriber"])
    tl.add(100, "observations_not_done", reason="refused")
    tl.add(101, "lab_result", test="crp", value=35, unit="mg/L")
    late = tl.add(110, "vitals", **normal(heart_rate=130))
    tl.add(111, "entered_in_error", target_id=str(late.record.id), reason="wrong set")
    tl.add(112, "vasopressor_stopped", agent="norepinephrine")
    tl.add(113, "vasopressor_started", agent="norepinephrine")
    tl.add(115, "neuro_assessment", ice_score=8)
    return tl


def oracle_html(tl: Timeline, at: datetime, protocol, info, language: str) -> str:
    """The patient's page built the way it was before: every record folded, a whole state after each record."""
    records = [r for r in tl.records if r.record.at <= at]
    h = build_patient_handover(fold(patient(), records, at, protocol), fold_history(patient(), records, protocol),
                               records, protocol, language=language)
    return patient_html(h, info)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_handover_from_the_cached_fold_prints_what_a_full_fold_prints(tmp_path, monkeypatch, language):
    monkeypatch.setattr("core.services_reading.SNAPSHOT_MIN_RECORDS", 1)   # a snapshot of this short stay too
    protocol = shipped_protocol()
    tl = eventful_stay()
    store = Store.open(tmp_path / "ward.db")
    store.append([patient()], [], recorded_by="test", now=tl.at(0))
    bedside = Bedside(store, protocol, FixedClock(tl.at(118)), "nurse.test")
    stored: set[str] = set()
    checked = 0
    for hours in (20, 32.5, 41.5, 49, 61, 97.5, 111.5, 118):   # in the episode, after corrections, at the end
        at = tl.at(hours)
        new = [r.record for r in tl.records if r.record.at <= at and str(r.record.id) not in stored]
        store.append([], new, recorded_by="test", now=at)
        stored.update(str(r.id) for r in new)
        bedside.ward(at)          # the cached fold, brought up to date with each step's records, and its snapshot
        assert store.fold_snapshot("A100") is not None
        cold = Bedside(Store.open(tmp_path / "ward.db", create=False), protocol, FixedClock(at), "nurse.test")
        for source in (bedside, cold):   # the fold in memory, and the snapshot read back from the file
            h = build_handover(source, mrns=["A100"], at=at, app_version="test", language=language)
            assert patient_html(h.patients[0], h.info) == oracle_html(tl, at, protocol, h.info, language)
            checked += 1
        cold.close()
    # a handover at a moment before the last record folds the records up to it afresh: the same pages
    for hours in (31.7, 60, 100.5):
        at = tl.at(hours)
        h = build_handover(bedside, mrns=["A100"], at=at, app_version="test", language=language)
        assert patient_html(h.patients[0], h.info) == oracle_html(tl, at, protocol, h.info, language)
        checked += 1
    assert checked == 2 * 8 + 3
    store.close()


def test_a_handover_reads_only_its_window_of_a_long_stay_whose_snapshot_is_current(tmp_path, monkeypatch):
    # Issue 20: the ward's handover read, validated and folded every record of every stay again. From the fold's
    # snapshot it reads the records of its last 24 h, and of the last CRS episode's days only the medicines given
    # (its CRS treatment), and prints the same page.
    protocol = shipped_protocol()
    tl = Timeline("A100")
    tl.add(-1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24)
    for hours in range(1, 300):
        tl.add(hours, "vitals", **normal(heart_rate=70 + hours % 20, temperature_c=38.6 if hours == 10 else 36.8))
    toci = tl.add(10.5, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    at = tl.at(300)
    path = tmp_path / "ward.db"
    store = Store.open(path)
    store.append([patient()], [r.record for r in tl.records], recorded_by="test", now=at)
    Bedside(store, protocol, FixedClock(at), "nurse.test").ward(at)       # the fold's snapshot is written
    store.close()
    read: list[int] = []
    real = Store._read_record
    monkeypatch.setattr(Store, "_read_record", lambda self, seq, *rest: (read.append(seq), real(self, seq, *rest))[1])
    bedside = Bedside(Store.open(path, create=False), protocol, FixedClock(at), "nurse.test")
    h = build_handover(bedside, at=at, app_version="test")
    window = [r.seq for r in tl.records if r.record.at >= at - timedelta(hours=24)]
    assert len(tl.records) == 302 and len(window) == 24
    assert h.patients[0].crs.episode_started == tl.at(10) and not h.patients[0].crs.episode_open
    assert sorted(read) == sorted([toci.seq, *window])
    assert patient_html(h.patients[0], h.info) == oracle_html(tl, at, protocol, h.info, "en")
    bedside.close()
