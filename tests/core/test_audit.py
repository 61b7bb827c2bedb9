"""Audit: corrections never erase, the audit trail shows who/what/when, and edits outside the app are caught at open
and reported — never repaired."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.audit import TamperedError, audit_trail
from core.clock import FixedClock
from core.errors import InputError
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from tests.core.safety_helpers import insider_key, make_ward, raw
from tests.scenario import T0

NOW = T0 + timedelta(days=1)
DROP_TRIGGERS = ("DROP TRIGGER records_no_update", "DROP TRIGGER records_no_delete",
                 "DROP TRIGGER chain_no_delete", "DROP TRIGGER patients_no_update")


def _tamper(path: Path, *statements: str, key: bytes | None = None) -> None:
    for sql in statements:
        raw(path, sql, key=key)


def test_a_correction_strikes_out_without_erasing_and_the_trail_shows_both(bedside, clock: FixedClock):
    first = bedside.record_vitals("A100", {"temperature_c": 39.9}, at=clock.now() - timedelta(minutes=30))
    clock.set(clock.now() + timedelta(minutes=5))
    fix = bedside.correct("A100", str(first.record.id), "typed 39.9 for 36.9")
    trail = audit_trail(bedside.store, "A100")
    assert [(e.type, e.entered_by) for e in trail] == [("vitals", "nurse.test"), ("entered_in_error", "nurse.test")]
    original, correction = trail
    assert original.fields == {"temperature_c": 39.9}
    assert original.occurred_at == (T0 + timedelta(days=1) - timedelta(minutes=30))
    assert original.recorded_at == T0 + timedelta(days=1)
    assert original.superseded_by == str(fix.record.id)
    assert original.correction_reason == "typed 39.9 for 36.9"
    assert correction.supersedes == str(first.record.id)
    assert correction.recorded_at == T0 + timedelta(days=1, minutes=5)
    assert bedside.store.record_count() == 2
    assert [e.to_json()["superseded_by"] for e in bedside.audit("A100")] == [str(fix.record.id), None]


def test_a_correction_needs_a_reason_and_a_real_target(bedside, clock: FixedClock):
    first = bedside.record_vitals("A100", {"temperature_c": 37.0})
    with pytest.raises(InputError, match="reason"):
        bedside.correct("A100", str(first.record.id), "")
    with pytest.raises(InputError, match="target_id: 00000000-0000-4000-8000-000000000000 is not a record of A100"):
        bedside.correct("A100", "00000000-0000-4000-8000-000000000000", "wrong patient")
    assert bedside.store.record_count() == 1


def test_an_untouched_file_verifies(db_path: Path):
    make_ward(db_path, 5)
    with Store.open(db_path) as store:
        report = store.chain_report
        assert report.ok
        assert report.entries_checked == 6  # one patient + five records
        assert "intact (6 entries checked)" in report.summary()


@pytest.mark.parametrize(("statements", "kind", "fragment"), [
    (("DROP TRIGGER records_no_update", "UPDATE records SET payload = replace(payload, '37.1', '36.1') WHERE seq = 2"),
     "record", "record #2 (vitals, id "),
    (("DROP TRIGGER records_no_delete", "DELETE FROM records WHERE seq = 2"), "record", "record #2 was removed"),
    (("DROP TRIGGER records_no_delete", "DROP TRIGGER chain_no_delete", "DELETE FROM records WHERE seq = 2",
      "DELETE FROM chain WHERE kind = 'record' AND ref = '2'"), "chain", "audit entry 3 was removed"),
    (("INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload) VALUES "
      "('x', 'A100', 'note', '2022-01-10T14:00:00.000000+00:00', '2022-01-10T14:00:00.000000+00:00', 'ghost', NULL,"
      " '{}')",), "record", "was added outside CRS Bedside"),
    (("DROP TRIGGER patients_no_update", "UPDATE patients SET payload = replace(payload, 'Test Patient', 'Other')"),
     "patient", "patient A100 does not match what was written"),
    (("DROP TRIGGER records_no_update",), "schema", "the append-only protection records_no_update was removed"),
])
def test_edits_made_outside_the_app_are_reported_at_open_and_the_file_is_left_as_it_is(
        db_path: Path, statements: tuple[str, ...], kind: str, fragment: str):
    make_ward(db_path, 3)
    _tamper(db_path, *statements)
    before = db_path.read_bytes()
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path)
    assert "changed outside CRS Bedside" in str(caught.value)
    assert "Nothing has been repaired" in str(caught.value)
    assert any(p.kind == kind and fragment in p.what for p in caught.value.report.problems), \
        caught.value.report.problems
    assert db_path.read_bytes() == before
    with pytest.raises(TamperedError):  # still reported the next time: nothing was "fixed"
        Store.open(db_path)


def test_a_tampered_file_can_be_opened_on_purpose_and_stays_reported_after_more_writes(db_path: Path):
    make_ward(db_path, 3)
    _tamper(db_path, "DROP TRIGGER records_no_update",
            "UPDATE records SET payload = replace(payload, '37.2', '35.2') WHERE seq = 3")
    with Store.open(db_path, accept_tampered=True) as store:
        assert not store.chain_report.ok
        bedside = Bedside(store, shipped_protocol("default"), FixedClock(NOW), user="nurse.test")
        bedside.record("A100", "note", {"text": "kept working"})
        backup = store.make_backup()
        assert backup.name.endswith(".tampered.bak")
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path)
    assert [p.ref for p in caught.value.report.problems if p.kind == "record"] == ["3"]


def test_removing_the_newest_records_and_their_chain_entries_is_caught_by_the_backup_check(db_path: Path):
    make_ward(db_path, 3)
    Store.open(db_path).close()  # backup at open holds all three records
    _tamper(db_path, "DROP TRIGGER records_no_delete", "DROP TRIGGER chain_no_delete",
            "DELETE FROM records WHERE seq = 3", "DELETE FROM chain WHERE pos = 4",
            "DELETE FROM sqlite_sequence WHERE name = 'chain'")
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path)
    problems = caught.value.report.problems
    assert any(p.kind == "backup" and "missing or different here (audit entry 4)" in p.what for p in problems)


def test_changing_an_account_outside_the_app_is_caught(db_path: Path):
    from core.security import Accounts

    make_ward(db_path, 1)
    with Store.open(db_path) as store:
        Accounts(store, FixedClock(NOW)).create_first_admin("boss", "Ward Admin", "admin-pin-1")
        Accounts(store, FixedClock(NOW)).add_user(
            Accounts(store, FixedClock(NOW)).authenticate("boss", "admin-pin-1"), "amy", "Amy", ["nurse"],
            "nurse-pin-1")
    key = insider_key(db_path, "boss", "admin-pin-1")   # the file is encrypted: an insider with a PIN and a shell
    _tamper(db_path, "DROP TRIGGER user_versions_no_update",
            "UPDATE user_versions SET roles = '[\"admin\", \"clinician\"]' WHERE username = 'amy'", key=key)
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path, key=key)
    assert any(p.kind == "user" and "(amy)" in p.what for p in caught.value.report.problems)


def test_verifying_a_large_file_is_quick(db_path: Path):
    import time

    make_ward(db_path, 0)
    with Store.open(db_path) as store:
        from core.records import parse_record
        from tests.core.safety_helpers import vitals

        records = [parse_record(vitals(hours=i / 100, heart_rate=60 + i % 50)) for i in range(5000)]
        store.append([], records, recorded_by="bulk", now=NOW)
        started = time.perf_counter()
        report = store.verify_chain()
        elapsed = time.perf_counter() - started
    assert report.ok and report.entries_checked == 5001
    assert elapsed < 2.0  # about 0.1 s here: well under a second per 10,000 records
