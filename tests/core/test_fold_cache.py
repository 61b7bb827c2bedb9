"""The cached, incrementally updated fold always equals a fresh fold of the same records (ARCHITECTURE.md: the cache
is disposable). Driven through Bedside, the path the GUI and the command line use."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.records import StoredRecord
from core.state import _Folder, fold
from tests.scenario import T0, patient

VITALS = [
    {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 70,
     "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"},
    {"temperature_c": 38.6, "heart_rate": 112, "systolic_bp": 86, "diastolic_bp": 50},
    {"temperature_c": 37.2, "systolic_bp": 84, "diastolic_bp": 48, "oxygen_device": "nasal_cannula",
     "oxygen_flow_l_min": 7.0},
    {"temperature_c": 39.1, "oxygen_device": "venturi_mask", "fio2_percent": 35, "spo2_percent": 93},
]
#: These tests are about the cache, not the guard rails (tests/core/test_round_services.py): every start and
#: restart here is one the prescriber ordered.
ORDERED = {"override_reason": "ordered (cache test)", "ordered_by": "Dr Synthetic"}
EVENTS = [
    ("fluid_bolus", {"volume_ml": 500}),
    ("medication_given", {"drug": "tocilizumab", "dose_mg": 560, "purpose": "crs_treatment"}),
    ("medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"}),
    ("vasopressor_started", {"agent": "norepinephrine"}),
    ("vasopressor_stopped", {"agent": "norepinephrine"}),
    ("infusion_stopped", {"reason": "crs"}),
    ("infusion_resumed", {"dose_mcg": 9, "duration_h": 24, **ORDERED}),
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


def assert_preview_is_the_full_fold(bedside, mrn, items, at):
    """The wizard's preview (the cached fold extended by the draft, on a copy) equals folding every stored record
    plus the draft, and leaves the cache as it was."""
    before = bedside.state(mrn, bedside.clock.now()).to_json()
    preview = bedside.preview(mrn, items, at)
    drafts = bedside._drafts(bedside.patient(mrn), items, at)
    stored = bedside.store.records(mrn, until=at)
    seq = max((r.seq for r in stored), default=0)
    unsaved = [StoredRecord(record, seq + i + 1, bedside.clock.now(), bedside.user) for i, record in enumerate(drafts)]
    full = fold(bedside.patient(mrn), stored + unsaved, at, bedside.protocol)
    assert preview.to_json() == full.to_json()
    assert preview.crs.episodes == full.crs.episodes and preview.infusion.segments == full.infusion.segments
    assert bedside.state(mrn, bedside.clock.now()).to_json() == before
    assert_same(bedside, mrn, bedside.clock.now())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VITALS) + len(EVENTS) - 1), st.integers(-180, 600),
                          st.booleans()), min_size=1, max_size=14),
       st.integers(0, 2 ** 16))
def test_cached_fold_equals_a_fresh_fold_after_every_entry(tmp_path_factory, steps, seed):
    from core.clock import FixedClock
    from core.protocol import shipped_protocol
    from core.services import Bedside
    from core.store import Store
    db = tmp_path_factory.mktemp("cache") / "ward.db"
    clock = FixedClock(T0)
    store = Store.open(db)
    bedside = Bedside(store, shipped_protocol(), clock, user="nurse.cache")
    try:
        store.append([patient()], [], recorded_by="nurse.cache", now=clock.now())
        bedside.record("A100", "infusion_started", {"dose_mcg": 18, "duration_h": 48, **ORDERED}, at=T0)
        rng = random.Random(seed)
        now = T0
        stored_ids = []
        for index, minutes, back_dated in steps:
            now += timedelta(minutes=minutes if minutes > 0 else 30)
            clock.set(now)
            at = now - timedelta(minutes=rng.randint(30, 300)) if back_dated else now
            kind, fields = ("vitals", VITALS[index]) if index < len(VITALS) else EVENTS[index - len(VITALS)]
            assert_preview_is_the_full_fold(bedside, "A100", [(kind, dict(fields))], at)
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


def _long_stay(bedside, clock, hours=240):
    """A synthetic stay long enough to be worth a snapshot: hourly vitals, a fever with a bolus and a hold."""
    start = clock.now() - timedelta(hours=hours + 1)
    bedside.record("A100", "infusion_started", {"dose_mcg": 18, "duration_h": 48, **ORDERED}, at=start)
    for hour in range(hours):
        fields = dict(VITALS[1] if 100 <= hour < 104 else VITALS[0])
        bedside.record("A100", "vitals", fields, at=start + timedelta(hours=hour, minutes=5))
        if hour == 100:
            bedside.record("A100", "fluid_bolus", {"volume_ml": 500}, at=start + timedelta(hours=hour, minutes=10))
            bedside.record("A100", "infusion_stopped", {"reason": "crs"}, at=start + timedelta(hours=hour, minutes=15))
        if hour == 106:
            bedside.record("A100", "infusion_resumed", {"dose_mcg": 9, "duration_h": 24, **ORDERED},
                           at=start + timedelta(hours=hour))


def _reopen(db_path, clock, protocol):
    from core.services import Bedside
    from core.store import Store

    return Bedside(Store.open(db_path), protocol, clock, user="nurse.test")


def test_a_snapshot_in_the_file_gives_the_same_state_as_folding_every_record(bedside, clock, db_path, protocol):
    _long_stay(bedside, clock)
    now = clock.now()
    bedside.state("A100", now)                           # a long fold: its snapshot is written
    assert bedside.store.fold_snapshot("A100") is not None
    bedside.store.close()
    again = _reopen(db_path, clock, protocol)
    try:
        assert again._load_snapshot(again.patient("A100")) is not None
        assert_same(again, "A100", now)
        # records entered after the snapshot are applied on top of it
        again.record("A100", "vitals", VITALS[3], at=now)
        assert_same(again, "A100", now + timedelta(minutes=1))
    finally:
        again.store.close()


def test_a_snapshot_for_another_protocol_or_a_damaged_one_is_not_used(bedside, clock, db_path, protocol):
    from core.protocol import shipped_protocol
    from core.services import Bedside
    from core.snapshot import SnapshotError, load_fold
    from core.store import Store

    _long_stay(bedside, clock, hours=210)
    now = clock.now()
    bedside.state("A100", now)
    _last_seq, _key, payload = bedside.store.fold_snapshot("A100")
    bedside.store.close()
    label = Bedside(Store.open(db_path), shipped_protocol("label"), clock, user="nurse.test")
    try:
        assert label._load_snapshot(label.patient("A100")) is None       # key names the default protocol
        assert_same(label, "A100", now)
    finally:
        label.store.close()
    with pytest.raises(SnapshotError):
        load_fold(payload.replace('"$c":["Episode"', '"$c":["Popen"', 1) if '"Episode"' in payload
                  else payload.replace('"$t"', '"$x"', 1), patient(), protocol)


def test_history_since_a_moment_is_the_tail_of_the_whole_history(bedside, clock, protocol):
    from core.state import fold_history

    _long_stay(bedside, clock, hours=60)
    records = bedside.store.records("A100")
    whole = fold_history(bedside.patient("A100"), records, protocol)
    since = whole[40].at
    tail = fold_history(bedside.patient("A100"), records, protocol, since=since)
    assert [s.to_json() for s in tail] == [s.to_json() for s in whole[39:]]   # one state before `since`, then all


def test_an_import_leaves_snapshots_so_the_first_status_after_it_folds_nothing(bedside, clock, db_path, protocol):
    # The ward just imported: before, the first status folded every record (300 ms for a 30-patient ward);
    # now the import writes the snapshots of the patients on the ward, and they equal a fresh fold.
    from tests.core.safety_helpers import import_doc

    start = clock.now() - timedelta(hours=230)
    records = [{"id": f"00000000-0000-4000-8000-{hour:012d}", "mrn": "A100", "type": "vitals",
                "at": (start + timedelta(hours=hour)).isoformat(), **VITALS[0 if hour % 50 else 1]}
               for hour in range(220)]
    assert bedside.store.fold_snapshot("A100") is None
    bedside.import_data(import_doc(records))
    stored = bedside.store.fold_snapshot("A100")
    assert stored is not None and stored[0] == bedside.store.records("A100")[-1].seq
    bedside.store.close()
    again = _reopen(db_path, clock, protocol)
    try:
        assert again._load_snapshot(again.patient("A100")) is not None
        assert_same(again, "A100", clock.now())
    finally:
        again.store.close()


def test_the_preview_of_a_long_stay_applies_only_the_draft_to_a_copy_of_the_cached_fold(bedside, clock, monkeypatch):
    _long_stay(bedside, clock, hours=60)
    now = clock.now()
    bedside.state("A100", now)                          # the patient page has shown the state: the fold is cached
    applied = []
    real_apply = _Folder.apply
    monkeypatch.setattr(_Folder, "apply", lambda self, stored: (applied.append(stored.record.type),
                                                                real_apply(self, stored))[1])
    items = [("vitals", dict(VITALS[1])), ("neuro_assessment", {"ice_score": 10, "arousal": "awake",
                                                                "seizure": "none"})]
    preview = bedside.preview("A100", items, now)
    assert sorted(applied) == ["neuro_assessment", "vitals"]   # not the stay's 60 sets again (same moment: by id)
    assert preview.crs.grade == 2                          # the draft's fever with hypotension (38.6 °C, 86 mmHg)
    assert bedside.state("A100", now).crs.grade == 0       # the cache itself is unchanged
    monkeypatch.undo()
    assert_preview_is_the_full_fold(bedside, "A100", items, now)
    # a draft before the last record is folded afresh (every stored record up to it, then the draft)
    applied.clear()
    monkeypatch.setattr(_Folder, "apply", lambda self, stored: (applied.append(stored.record.type),
                                                                real_apply(self, stored))[1])
    bedside.preview("A100", items, now - timedelta(hours=3))
    assert len(applied) > 50


@pytest.mark.parametrize("arriving_id, grade", [
    ("00000000-0000-4000-0000-000000000000", 0),   # sorts before the last record: the snapshot cannot be extended
    ("ffffffff-ffff-4fff-bfff-ffffffffffff", 2),   # sorts after it: applied on top of the snapshot
])
def test_a_merged_record_at_the_moment_of_the_last_one_lands_where_a_full_fold_puts_it(
        bedside, clock, db_path, protocol, arriving_id, grade):
    # Issue 17: records at the same moment go by id. The ward's snapshot ends with a normal set at 219 h; another
    # laptop's fever set at the same moment arrives after the snapshot was written.
    from tests.core.safety_helpers import import_doc

    start = clock.now() - timedelta(hours=230)
    last_at = start + timedelta(hours=219)
    bedside.import_data(import_doc([{"id": f"00000000-0000-4000-8000-{hour:012d}", "mrn": "A100", "type": "vitals",
                                     "at": (start + timedelta(hours=hour)).isoformat(), **VITALS[0]}
                                    for hour in range(220)]))
    assert bedside.store.fold_snapshot("A100") is not None
    bedside.store.close()
    again = _reopen(db_path, clock, protocol)
    try:
        assert again._load_snapshot(again.patient("A100")) is not None
        again.import_data(import_doc([{"id": arriving_id, "mrn": "A100", "type": "vitals", "at": last_at.isoformat(),
                                       **VITALS[1]}]))
        assert_same(again, "A100", clock.now())
        assert again.state("A100", last_at + timedelta(minutes=1)).crs.grade == grade
        assert_same(again, "A100", last_at + timedelta(minutes=1))
    finally:
        again.store.close()
