"""Merging between laptops (INTERFACE.md Additions, Import rules): properties over generated wards of two or three
laptops entering records, infusion actions and edits for the same patients (often at the same moment), the order of
records at the same moment, and the audit trail and conflicts of a merge."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.backup import BackupPolicy
from core.clock import FixedClock
from core.merge import open_conflicts
from core.protocol import shipped_protocol
from core.rules.guard import PREMEDICATION_FIRST
from core.services import Bedside
from core.store import Store, utc_text
from tests.scenario import T0, patient

PROTOCOL = shipped_protocol("default")
NOW = T0 + timedelta(days=3)
MRNS = ("A100", "B200")


class Laptop:
    """One laptop: its own database file, clock and nurse."""

    def __init__(self, folder: Path, number: int):
        self.name = f"laptop-{number}"
        self.clock = FixedClock(NOW)
        self.store = Store.open(folder / f"{self.name}.db", backups=BackupPolicy(at_open=False))
        self.store.laptop_name(self.name)
        self.bedside = Bedside(self.store, PROTOCOL, self.clock, user=f"nurse-{number}")

    def export(self) -> dict[str, Any]:
        return json.loads(json.dumps(self.bedside.export()))

    def merge(self, other: Laptop) -> None:
        self.clock.set(self.clock.now() + timedelta(minutes=1))
        self.bedside.import_data(other.export(), source=f"{other.name}.json")

    def statuses(self, moments: list) -> list[dict[str, Any]]:
        return [self.bedside.state(mrn, at).to_json() for mrn in MRNS for at in moments]

    def close(self) -> None:
        self.store.close()


#: Infusion actions (issue 17: the merge properties cover the infusion state and its clocks). A start or restart
#: is entered as at the bedside: premedication first, at the same moment (D2), so the guard rails accept it.
INFUSION_ACTIONS = ("start", "bag", "hold", "resume", "stop", "discontinue")
EVENT = st.tuples(
    st.integers(0, 2),                  # which laptop enters it
    st.integers(0, 1),                  # which patient
    st.sampled_from(["vitals", "vitals", "vitals", "patient_updated", "patient_updated", "fluid_bolus", "correction",
                     "symptom", *INFUSION_ACTIONS, "start", "resume"]),
    st.integers(0, 10_000),             # a value to draw the fields from
)
PREMEDICATION = {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"}
#: A start or restart that the guard rails still stop (a CRS grade that interrupts the infusion, a discontinuation
#: prompt) goes ahead as the prescriber ordered it, as the window lets a nurse record it.
ORDERED = {"override_reason": "ordered by the prescriber (merge test)", "ordered_by": "Dr Synthetic"}
#: Bags as the ward hangs them: (mcg in the bag, hours it runs).
BAGS = ((9.0, 24.0), (18.0, 48.0), (28.0, 24.0), (56.0, 48.0), (112.0, 96.0))
HOLD_REASONS = ("crs", "neurotoxicity", "other_adverse_event", "technical")


def fields_for(kind: str, seed: int) -> dict[str, Any]:
    if kind == "vitals":
        return {"temperature_c": 36.0 + (seed % 50) / 10, "heart_rate": 60 + seed % 90,
                "systolic_bp": 75 + seed % 60, "respiratory_rate": 12 + seed % 16, "spo2_percent": 88 + seed % 12,
                "oxygen_device": "room_air", "consciousness": "alert"}
    if kind == "patient_updated":
        return {"bed": str(1 + seed % 20)} if seed % 2 else {"weight_kg": 50.0 + seed % 40}
    if kind == "fluid_bolus":
        return {"volume_ml": 250.0 + seed % 4 * 250}
    if kind == "symptom":
        return {"name": ("rash", "rigors", "headache")[seed % 3]}
    if kind in ("start", "resume", "bag"):
        dose, hours = BAGS[seed % len(BAGS)]
        return {"dose_mcg": dose, "duration_h": hours}
    if kind == "hold":
        return {"reason": HOLD_REASONS[seed % len(HOLD_REASONS)]}
    if kind == "stop":
        return {"reason": "cycle_complete"}
    if kind == "discontinue":
        return {"reason": ("recurrent grade 3 CRS", "patient's choice")[seed % 2]}
    raise AssertionError(kind)


RECORD_TYPES = {"start": "infusion_started", "resume": "infusion_resumed", "bag": "bag_changed",
                "hold": "infusion_stopped", "stop": "infusion_stopped", "discontinue": "therapy_discontinued"}


def enter_one(laptop: Laptop, mrn: str, kind: str, seed: int, at: Any) -> list[str]:
    """Enter one generated event on a laptop as the window would; the ids of the records it made."""
    fields = fields_for(kind, seed)
    made = []
    if kind in ("start", "resume"):
        made.append(str(laptop.bedside.record(mrn, "medication_given", dict(PREMEDICATION), at).record.id))
        reasons = {reason.code for reason in laptop.bedside.guard(mrn, at)}
        assert PREMEDICATION_FIRST not in reasons          # the premedication at that moment counts for the start
        if reasons:
            fields.update(ORDERED)
    made.append(str(laptop.bedside.record(mrn, RECORD_TYPES.get(kind, kind), fields, at).record.id))
    return made


def enter(laptops: list[Laptop], events: list[tuple[int, int, str, int]], slots: list[int]) -> list:
    """Each laptop records its events (on a quarter-hour grid, so records of a patient often share a moment); a
    correction strikes out the laptop's own previous record of that patient. Returns the moments at which records
    happened."""
    moments = []
    own: dict[tuple[int, str], list[str]] = {}
    for (number, which, kind, seed), slot in zip(events, slots, strict=False):
        laptop = laptops[number % len(laptops)]
        mrn = MRNS[which]
        at = T0 + timedelta(minutes=15 * slot)
        if kind == "correction":
            mine = own.get((number % len(laptops), mrn))
            if not mine:
                continue
            laptop.bedside.record(mrn, "entered_in_error", {"target_id": mine.pop(), "reason": "wrong set"}, at)
        else:
            own.setdefault((number % len(laptops), mrn), []).extend(enter_one(laptop, mrn, kind, seed, at))
        moments.append(at)
    return [*sorted(set(moments)), NOW]


def admit_everywhere(laptops: list[Laptop]) -> None:
    """The patients are admitted on the first laptop; the others receive them with its export."""
    laptops[0].bedside.import_data({"format": "crs-bedside/1", "patients": [
        json.loads(patient(mrn=mrn, bed=str(i + 1)).model_dump_json(exclude_none=True)) for i, mrn in enumerate(MRNS)],
        "records": []}, source="admission.json")
    for other in laptops[1:]:
        other.merge(laptops[0])


WARD = {
    "count": st.integers(2, 3),
    "events": st.lists(EVENT, min_size=1, max_size=14),
    "slots": st.lists(st.integers(0, 3 * 24 * 4 - 1), min_size=14, max_size=14),   # quarter hours over 3 days
    "order": st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=8),
}


@settings(max_examples=20, deadline=None)
@given(**WARD)
def test_after_exchanging_files_every_laptop_shows_the_same_status_at_every_moment(count, events, slots, order):
    with tempfile.TemporaryDirectory() as folder:
        laptops = [Laptop(Path(folder), n) for n in range(count)]
        try:
            admit_everywhere(laptops)
            moments = enter(laptops, events, slots)
            # Exchanges in a generated order, then whatever is needed so that every laptop has every record.
            for source, target in order:
                if source % count != target % count:
                    laptops[target % count].merge(laptops[source % count])
            for other in laptops[1:]:
                laptops[0].merge(other)
            for other in laptops[1:]:
                other.merge(laptops[0])
            expected = laptops[0].statuses(moments)
            for other in laptops[1:]:
                assert other.statuses(moments) == expected
                assert other.store.record_count() == laptops[0].store.record_count()
            # The merged status equals one file that received every record directly.
            single = Laptop(Path(folder), 9)
            try:
                everything = laptops[0].export()
                everything.pop("origins")
                everything["records"].sort(key=lambda r: r["id"])
                single.bedside.import_data(everything, source="everything.json")
                assert single.statuses(moments) == expected
            finally:
                single.close()
            assert all(not open_conflicts(laptop.store) for laptop in laptops)
        finally:
            for laptop in laptops:
                laptop.close()


@settings(max_examples=15, deadline=None)
@given(**WARD)
def test_merging_a_file_twice_adds_nothing(count, events, slots, order):
    with tempfile.TemporaryDirectory() as folder:
        laptops = [Laptop(Path(folder), n) for n in range(count)]
        try:
            admit_everywhere(laptops)
            moments = enter(laptops, events, slots)
            laptops[0].merge(laptops[1])
            before = (laptops[0].store.record_count(), laptops[0].store.conflicts(), laptops[0].statuses(moments))
            result = laptops[0].bedside.import_data(laptops[1].export(), source="again.json")
            assert (result.patients_added, result.records_added, result.differences_kept) == (0, 0, 0)
            assert (laptops[0].store.record_count(), laptops[0].store.conflicts(),
                    laptops[0].statuses(moments)) == before
        finally:
            for laptop in laptops:
                laptop.close()


def two_laptops(folder: Path) -> tuple[Laptop, Laptop]:
    a, b = Laptop(folder, 1), Laptop(folder, 2)
    admit_everywhere([a, b])
    return a, b


def test_the_audit_trail_of_a_merged_record_says_who_entered_it_where_and_when_it_arrived(tmp_path):
    a, b = two_laptops(tmp_path)
    try:
        b.clock.set(NOW - timedelta(hours=2))
        entered = b.bedside.record("A100", "vitals", {"temperature_c": 38.4}, T0 + timedelta(hours=5)).record
        a.clock.set(NOW + timedelta(hours=1))
        result = a.bedside.import_data(b.export(), source="laptop-2.json")
        assert (result.patients_added, result.records_added) == (0, 1)
        (entry,) = [e for e in a.bedside.audit("A100") if e.record_id == str(entered.id)]
        assert entry.by == "nurse-2"
        assert entry.recorded_at == NOW + timedelta(hours=1)            # when it arrived here
        assert entry.entered_by == "nurse-1"                            # who merged it here
        assert entry.origin == {"laptop": "laptop-2", "entered_by": "nurse-2", "arrived_from": "laptop-2",
                                "entered_at": utc_text(NOW - timedelta(hours=2))}
        assert entry.to_json()["origin"]["laptop"] == "laptop-2"
        # Passed on to a third laptop, the record still says where it was entered.
        c = Laptop(tmp_path, 3)
        try:
            c.merge(a)
            (passed,) = [e for e in c.bedside.audit("A100") if e.record_id == str(entered.id)]
            assert passed.origin["laptop"] == "laptop-2" and passed.origin["arrived_from"] == "laptop-1"
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def test_a_difference_no_record_explains_is_kept_for_review_and_settled_by_a_patient_update(tmp_path):
    a, b = Laptop(tmp_path, 1), Laptop(tmp_path, 2)
    try:
        for laptop, bed in ((a, "12"), (b, "14")):   # admitted separately, with different beds
            laptop.bedside.import_data({"format": "crs-bedside/1", "patients": [
                json.loads(patient(bed=bed).model_dump_json(exclude_none=True))], "records": []},
                source="admission.json")
        b.bedside.record("A100", "vitals", {"temperature_c": 37.2}, T0 + timedelta(hours=1))
        result = a.bedside.import_data(b.export(), source="laptop-2.json")
        assert (result.records_added, result.differences_kept) == (1, 1)
        assert result.differences == ("A100 bed (here 12, in the file 14)",)
        assert a.store.patient("A100").bed == "12"                      # never overwritten
        (conflict,) = open_conflicts(a.store, "A100")
        assert (conflict.field, conflict.here, conflict.there, conflict.source) == ("bed", "12", "14", "laptop-2")
        again = a.bedside.import_data(b.export(), source="laptop-2.json")
        assert again.differences_kept == 0 and len(a.store.conflicts()) == 1
        a.bedside.record("A100", "patient_updated", {"bed": "14"}, T0 + timedelta(hours=2))
        assert open_conflicts(a.store, "A100") == []
    finally:
        a.close()
        b.close()


def test_a_difference_that_a_patient_update_explains_is_no_conflict(tmp_path):
    a, b = Laptop(tmp_path, 1), Laptop(tmp_path, 2)
    try:
        for laptop, bed in ((a, "12"), (b, "14")):
            laptop.bedside.import_data({"format": "crs-bedside/1", "patients": [
                json.loads(patient(bed=bed).model_dump_json(exclude_none=True))], "records": []},
                source="admission.json")
        b.bedside.record("A100", "patient_updated", {"bed": "15"}, T0 + timedelta(hours=1))
        result = a.bedside.import_data(b.export(), source="laptop-2.json")
        assert (result.records_added, result.differences) == (1, ())
        assert open_conflicts(a.store) == [] and a.store.conflicts() == []
    finally:
        a.close()
        b.close()


def test_a_merge_still_refuses_a_file_with_a_bad_record_and_writes_nothing(tmp_path):
    a, b = two_laptops(tmp_path)
    try:
        b.bedside.record("A100", "vitals", {"temperature_c": 37.2}, T0 + timedelta(hours=1))
        doc = b.export()
        doc["records"][0]["temperature_c"] = 60.0
        before = a.store.record_count()
        try:
            a.bedside.import_data(doc, source="bad.json")
        except Exception as exc:   # the message is what is checked
            assert str(exc) == "records[0].temperature_c: 60.0 is outside 25.0–45.0 °C"
        else:
            raise AssertionError("a bad record was merged")
        assert a.store.record_count() == before
        doc = b.export()
        doc["origins"][0]["laptop"] = 7
        try:
            a.bedside.import_data(doc, source="bad.json")
        except Exception as exc:
            assert str(exc) == "origins[0].laptop: 7 is not text of at most 80 characters"
        else:
            raise AssertionError("a bad origin was merged")
        assert a.store.record_count() == before
    finally:
        a.close()
        b.close()


# -- records at the same moment: ordered by id, never by arrival (so every laptop folds them alike) -------------------
SAME = T0 + timedelta(hours=2)
LOW_ID = "00000000-0000-4000-8000-000000000001"
HIGH_ID = "ffffffff-0000-4000-8000-000000000002"
FEVER = {"temperature_c": 38.6, "heart_rate": 112, "systolic_bp": 86, "diastolic_bp": 50}
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 70,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def one_record(record_id: str, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A file from another laptop holding one record of A100 at :data:`SAME`."""
    return {"format": "crs-bedside/1", "patients": [],
            "records": [{"id": record_id, "mrn": "A100", "at": SAME.isoformat(), "type": kind, **fields}]}


def receive_in_both_orders(folder: Path, files: list[dict[str, Any]]) -> tuple[Laptop, Laptop]:
    """Two laptops receive the same files, one in the given order and one in the reverse order; each shows the
    patient after every file (so the second record is applied to a cached fold, as on a ward)."""
    a, b = two_laptops(folder)
    for laptop, order in ((a, files), (b, files[::-1])):
        for index, doc in enumerate(order):
            laptop.bedside.import_data(doc, source=f"file-{index}.json")
            laptop.bedside.state("A100", NOW)
    return a, b


@pytest.mark.parametrize("low_bed, high_bed", [("15", "16"), ("16", "15")])
def test_two_bed_changes_at_the_same_moment_settle_on_the_higher_id_whatever_the_order_they_arrive(
        tmp_path, low_bed, high_bed):
    a, b = receive_in_both_orders(tmp_path, [one_record(LOW_ID, "patient_updated", {"bed": low_bed}),
                                             one_record(HIGH_ID, "patient_updated", {"bed": high_bed})])
    try:
        for laptop in (a, b):
            assert laptop.bedside.state("A100", NOW).patient.bed == high_bed
            assert laptop.bedside.state("A100", SAME).patient.bed == high_bed
            assert {s.patient.mrn: s.patient.bed for s in laptop.bedside.ward(NOW)} == {"A100": high_bed, "B200": "2"}
        assert a.statuses([SAME, NOW]) == b.statuses([SAME, NOW])
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("fever_id, normal_id, grade, level, news2_score", [
    (HIGH_ID, LOW_ID, 2, 2, None),   # the fever set counts as the latest: 38.6 °C with 86 mmHg is grade 2
    (LOW_ID, HIGH_ID, 0, 0, 0),      # the normal set counts as the latest: NEWS2 0, no CRS
])
def test_two_vitals_sets_at_the_same_minute_give_the_same_status_whatever_the_order_they_arrive(
        tmp_path, fever_id, normal_id, grade, level, news2_score):
    a, b = receive_in_both_orders(tmp_path, [one_record(fever_id, "vitals", FEVER),
                                             one_record(normal_id, "vitals", NORMAL)])
    try:
        for laptop in (a, b):
            status = laptop.bedside.state("A100", SAME + timedelta(minutes=1)).to_json()
            assert (status["crs"]["grade"], status["status_level"]["level"], status["news2"]["score"]) == (
                grade, level, news2_score)
        assert a.statuses([SAME, SAME + timedelta(minutes=1), NOW]) == b.statuses([SAME, SAME + timedelta(minutes=1),
                                                                                   NOW])
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("premed_id, start_id", [(LOW_ID, HIGH_ID), (HIGH_ID, LOW_ID)])
def test_premedication_given_at_the_moment_of_the_start_counts_for_it_whatever_the_ids(tmp_path, premed_id, start_id):
    # Same moment: what was given comes before what was done to the infusion (core/state.py SAME_MOMENT_RANK), so
    # the start finds its premedication whichever id sorts first.
    a, b = receive_in_both_orders(tmp_path, [
        one_record(premed_id, "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"}),
        one_record(start_id, "infusion_started", {"dose_mcg": 18, "duration_h": 48})])
    try:
        for laptop in (a, b):
            status = laptop.bedside.state("A100", SAME + timedelta(hours=1)).to_json()
            assert (status["infusion"]["state"], status["infusion"]["premedication_warnings"],
                    status["infusion"]["last_premedication_at"]) == ("running", [], SAME.isoformat())
            assert [r["code"] for r in status["recommendations"]] == []
        assert a.statuses([SAME, NOW]) == b.statuses([SAME, NOW])
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("vitals_id, confirmed_id", [(LOW_ID, HIGH_ID), (HIGH_ID, LOW_ID)])
def test_a_grade_confirmed_at_the_moment_of_a_vitals_set_confirms_that_set_whatever_the_ids(
        tmp_path, vitals_id, confirmed_id):
    a, b = receive_in_both_orders(tmp_path, [
        one_record(vitals_id, "vitals", FEVER),
        one_record(confirmed_id, "grade_confirmed", {"grade": 3, "reason": "escalating oxygen need at the bedside"})])
    try:
        for laptop in (a, b):
            crs = laptop.bedside.state("A100", SAME + timedelta(minutes=1)).to_json()["crs"]
            assert (crs["grade"], crs["confirmed"]["grade"], crs["confirmed"]["computed_grade"],
                    crs["confirmed"]["in_force"]) == (3, 3, 2, True)
        assert a.statuses([SAME, NOW]) == b.statuses([SAME, NOW])
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("first_id, second_id", [(LOW_ID, HIGH_ID), (HIGH_ID, LOW_ID)])
def test_the_handover_prints_the_same_latest_full_set_on_every_laptop(tmp_path, first_id, second_id):
    from core.handover import build_handover

    cooler = {**NORMAL, "temperature_c": 37.4}
    a, b = receive_in_both_orders(tmp_path, [one_record(first_id, "vitals", NORMAL),
                                             one_record(second_id, "vitals", cooler)])
    try:
        printed = [build_handover(laptop.bedside, mrns=["A100"], at=SAME + timedelta(minutes=1),
                                  app_version="test").patients[0] for laptop in (a, b)]
        expected = 37.4 if second_id == HIGH_ID else 36.8   # the set with the higher id is the latest one
        assert [(p.last_full_vitals.at, p.last_full_vitals.temperature_c, p.later_partial_vitals) for p in printed] \
            == [(SAME, expected, None)] * 2
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("vitals_id, treatment_id", [(LOW_ID, HIGH_ID), (HIGH_ID, LOW_ID)])
def test_tocilizumab_given_at_the_moment_of_the_set_that_opens_an_episode_treats_it_whatever_the_ids(
        tmp_path, vitals_id, treatment_id):
    a, b = receive_in_both_orders(tmp_path, [
        one_record(vitals_id, "vitals", FEVER),
        one_record(treatment_id, "medication_given", {"drug": "tocilizumab", "dose_mg": 560,
                                                      "purpose": "crs_treatment"})])
    try:
        for laptop in (a, b):
            crs = laptop.bedside.state("A100", SAME + timedelta(minutes=1)).crs
            assert [(e.started, e.max_grade, e.treated) for e in crs.episodes] == [(SAME, 2, True)]
        assert a.statuses([SAME, NOW]) == b.statuses([SAME, NOW])
    finally:
        a.close()
        b.close()
