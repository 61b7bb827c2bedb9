"""The cached, incrementally updated fold always equals a fresh fold of the same records (ARCHITECTURE.md: the cache
is disposable). Driven through Bedside, the path the GUI and the command line use."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.state import fold
from tests.scenario import T0

VITALS = [
    {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 70,
     "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"},
    {"temperature_c": 38.6, "heart_rate": 112, "systolic_bp": 86, "diastolic_bp": 50},
    {"temperature_c": 37.2, "systolic_bp": 84, "diastolic_bp": 48, "oxygen_device": "nasal_cannula",
     "oxygen_flow_l_min": 7.0},
    {"temperature_c": 39.1, "oxygen_device": "venturi_mask", "fio2_percent": 35, "spo2_percent": 93},
]
EVENTS = [
    ("fluid_bolus", {"volume_ml": 500}),
    ("medication_given", {"drug": "tocilizumab", "dose_mg": 560, "purpose": "crs_treatment"}),
    ("medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"}),
    ("vasopressor_started", {"agent": "norepinephrine"}),
    ("vasopressor_stopped", {"agent": "norepinephrine"}),
    ("infusion_stopped", {"reason": "crs"}),
    ("infusion_resumed", {"dose_mcg": 9, "duration_h": 24}),
    ("bag_changed", {"dose_mcg": 28, "duration_h": 24}),
    ("neuro_assessment", {"ice_score": 6, "arousal": "awake", "seizure": "none"}),
    ("lab_result", {"test": "ferritin", "value": 12000, "unit": "ug/L"}),
]


def assert_same(bedside, mrn, at):
    cached = bedside.state(mrn, at)
    fresh = fold(bedside.patient(mrn), bedside.store.records(mrn, until=at), at, bedside.protocol)
    assert cached.to_json() == fresh.to_json()
    assert cached.crs.episodes == fresh.crs.episodes
    assert cached.infusion.segments == fresh.infusion.segments


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VITALS) + len(EVENTS) - 1), st.integers(-180, 600),
                          st.booleans()), min_size=1, max_size=14),
       st.integers(0, 2 ** 16))
def test_cached_fold_equals_a_fresh_fold_after_every_entry(tmp_path_factory, steps, seed):
    from core.clock import FixedClock
    from core.protocol import shipped_protocol
    from core.services import Bedside
    from core.store import Store
    from tests.scenario import patient

    db = tmp_path_factory.mktemp("cache") / "ward.db"
    clock = FixedClock(T0)
    store = Store.open(db)
    bedside = Bedside(store, shipped_protocol(), clock, user="nurse.cache")
    try:
        store.append([patient()], [], recorded_by="nurse.cache", now=clock.now())
        bedside.record("A100", "infusion_started", {"dose_mcg": 18, "duration_h": 48}, at=T0)
        rng = random.Random(seed)
        now = T0
        stored_ids = []
        for index, minutes, back_dated in steps:
            now += timedelta(minutes=minutes if minutes > 0 else 30)
            clock.set(now)
            at = now - timedelta(minutes=rng.randint(30, 300)) if back_dated else now
            kind, fields = ("vitals", VITALS[index]) if index < len(VITALS) else EVENTS[index - len(VITALS)]
            try:
                result = bedside.record("A100", kind, dict(fields), at=at)
                stored_ids.append(str(result.record.id))
            except Exception as exc:  # a refused entry (e.g. resume when not held is accepted; bad order is not)
                pytest.fail(f"{kind} at {at}: {exc}")
            if stored_ids and rng.random() < 0.15:
                bedside.correct("A100", rng.choice(stored_ids), "entered on the wrong patient (test)")
            assert_same(bedside, "A100", now)
            assert_same(bedside, "A100", now + timedelta(hours=rng.choice([1, 7, 25, 200])))
    finally:
        store.close()


def test_a_back_dated_entry_refolds_and_a_moment_before_the_last_record_is_answered_afresh(bedside, clock):
    now = clock.now()
    bedside.record("A100", "vitals", VITALS[0], at=now - timedelta(hours=1))
    first = bedside.state("A100", now)
    assert first.crs.grade == 0
    bedside.record("A100", "vitals", VITALS[1], at=now - timedelta(hours=2))   # back-dated fever + hypotension
    assert_same(bedside, "A100", now)
    # the latest set (1 h ago, 36.8 °C) is what counts now; the back-dated fever opened an episode 2 h ago
    assert bedside.state("A100", now).crs.episode_open is True
    assert bedside.state("A100", now - timedelta(minutes=90)).crs.grade == 2   # before the later normal set
    assert_same(bedside, "A100", now - timedelta(minutes=90))
