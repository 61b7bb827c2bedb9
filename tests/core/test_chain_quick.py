"""The quick check made at every open, and what it leaves to the full check (docs/GUARANTEES.md).

An outside edit that removes the append-only protection, adds or removes rows, or touches anything written since
the newest backup is found at open. An edit that restores the protection afterwards and touches only rows written
before the newest backup is found by the full check (`crs-bedside verify`, and the check the window starts in the
background) — the quick check keeps start-up fast on a file of years.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.audit import TamperedError
from core.backup import BackupPolicy, list_backups
from core.store import Store
from tests.core.safety_helpers import make_ward, raw

RESTORE_TRIGGER = ("CREATE TRIGGER records_no_update BEFORE UPDATE ON records "
                   "BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END")


def _edit_record(db: Path, seq: int, restore_trigger: bool) -> None:
    raw(db, "DROP TRIGGER records_no_update")
    raw(db, "UPDATE records SET payload = replace(payload, '\"temperature_c\":37.', '\"temperature_c\":36.') "
            "WHERE seq = ?", (seq,))
    if restore_trigger:
        raw(db, RESTORE_TRIGGER)


def test_an_untouched_file_opens_with_the_quick_check_of_only_the_newest_entries(db_path: Path):
    make_ward(db_path, 30)
    with Store.open(db_path) as store:           # the open backs the file up (changed since no backup)
        pass
    make_ward(db_path, 3)                         # three more records after that backup (same patient: re-import)
    with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
        report = store.verify_chain_quick()
        assert report.ok
        assert report.entries_checked == 3        # only what was written after the newest backup
        assert store.verify_chain().ok and store.verify_chain().entries_checked == 34


def test_an_edit_after_the_newest_backup_is_found_at_open_even_with_the_protection_put_back(db_path: Path):
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass
    make_ward(db_path, 2)
    newest_seq = raw(db_path, "SELECT max(seq) FROM records")[0][0]
    _edit_record(db_path, newest_seq, restore_trigger=True)
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path, backups=BackupPolicy(at_open=False))
    assert any(p.kind == "record" for p in caught.value.report.problems)


def test_an_old_edit_with_the_protection_put_back_is_left_to_the_full_check(db_path: Path):
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass                                      # backup: rows 1-5 and the patient are behind it
    _edit_record(db_path, 1, restore_trigger=True)
    with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
        assert store.verify_chain_quick().ok      # the documented limit of the quick check
        full = store.verify_chain()
        assert not full.ok
        assert [p.kind for p in full.problems] == ["record"]


def test_removing_the_protection_makes_the_open_run_the_full_check(db_path: Path):
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass
    _edit_record(db_path, 1, restore_trigger=False)
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path, backups=BackupPolicy(at_open=False))
    kinds = sorted({p.kind for p in caught.value.report.problems})
    assert kinds == ["record", "schema"]


@pytest.mark.parametrize("outside_insert, kind", [
    ("INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload) "
     "SELECT 'outside-1', mrn, type, occurred_at, recorded_at, recorded_by, NULL, payload FROM records LIMIT 1",
     "record"),
    ("INSERT INTO patients (mrn, payload, created_at) SELECT 'OUTSIDE-9', payload, created_at FROM patients LIMIT 1",
     "patient"),
    ("INSERT INTO chain (kind, ref, hash) VALUES ('record', '999999', 'f00d')", "record"),
    ("INSERT INTO auth_events (username, at, outcome) VALUES ('amy', 'now', 'ok')", "auth"),
    ("INSERT INTO user_versions (username, display_name, roles, active, kdf, pin_hash, changed_at) "
     "VALUES ('amy', 'Amy', '[\"admin\"]', 1, '{}', 'x', 'now')", "user"),
])
@pytest.mark.parametrize("note", ["kept", "removed"])
def test_a_row_or_entry_added_outside_with_the_protection_in_place_is_found_at_open(
        db_path: Path, outside_insert: str, kind: str, note: str):
    # The no-delete triggers only stop removals: an added row has no chain entry, an added entry no row. With the
    # note of the newest backup the newest rows are compared with the noted ones, without it looked up in the chain.
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass                                      # backup: everything so far is behind it
    if note == "removed":
        (db_path.parent / f"{db_path.name}.backups" / f"{db_path.name}.newest-backup.json").unlink()
    raw(db_path, outside_insert)
    with pytest.raises(TamperedError) as caught:
        Store.open(db_path, backups=BackupPolicy(at_open=False))
    assert [p.kind for p in caught.value.report.problems] == [kind]


def test_the_quick_check_never_reads_through_the_records_or_the_chain(db_path: Path):
    # A count(*) reads every page of a table: on a file of five years that was 70-150 ms of every start-up.
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass
    with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
        statements: list[str] = []
        store._db.conn.set_trace_callback(statements.append)
        assert store.verify_chain_quick().ok
        store._db.conn.set_trace_callback(None)
        plans = [" ".join(str(row[-1]) for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
                 for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    whole_reads = [plan for plan in plans if "SCAN records" in plan or "SCAN chain USING" in plan]
    assert plans and whole_reads == []


def _quick_check_steps(db: Path) -> int:
    """How many SQLite virtual-machine steps the quick check takes on ``db`` with everything behind the newest backup
    (a count of work, not a time)."""
    with Store.open(db):
        pass                                      # backup: every row so far is behind it
    with Store.open(db, backups=BackupPolicy(at_open=False)) as store:
        steps = 0

        def step() -> int:
            nonlocal steps
            steps += 1
            return 0

        store._db.conn.set_progress_handler(step, 1)
        report = store.verify_chain_quick()
        store._db.conn.set_progress_handler(None, 1)
        assert report.ok and report.entries_checked == 0
    return steps


def test_the_quick_check_does_the_same_work_whatever_the_number_of_sign_ins_accounts_and_records(tmp_path: Path):
    # Counting the rows of each kind read every sign-in event of the file's life at every open: a laptop that locks
    # itself when idle writes thousands a year, and each of their pages costs a decryption.
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    make_ward(small, 5)
    make_ward(large, 60)
    when = datetime(2022, 1, 12, 8, 0, tzinfo=UTC)
    for db, sign_ins, accounts in ((small, 1, 1), (large, 400, 30)):
        with Store.open(db, backups=BackupPolicy(at_open=False)) as store:
            for n in range(sign_ins):
                store.add_auth_event("nurse.test", "bad_pin" if n % 4 == 3 else "ok", when + timedelta(minutes=n))
            for n in range(accounts):
                store.add_user_version(username=f"nurse{n}", display_name=f"Nurse {n}", roles=["nurse"], active=True,
                                       kdf={"name": "test"}, pin_hash="x", now=when, changed_by=None)
    assert raw(large, "SELECT count(*) FROM auth_events")[0][0] == 400
    assert _quick_check_steps(small) == _quick_check_steps(large)


def test_with_the_note_of_the_newest_backup_the_open_looks_up_no_chain_entry_and_without_it_one_per_table(
        db_path: Path):
    # The note keeps the newest row of each table at the backup: a table whose newest row is still that one, or
    # the newest chained since, needs no lookup (each lookup reads and decrypts pages of the chain's index).
    make_ward(db_path, 5)
    with Store.open(db_path) as store:
        store.add_auth_event("nurse.test", "ok", datetime(2022, 1, 12, 8, 0, tzinfo=UTC))
    with Store.open(db_path):
        pass                                      # the backup at open, and its note
    make_ward(db_path, 2)                         # two more records since: the newest record is after the anchor
    note = db_path.parent / f"{db_path.name}.backups" / f"{db_path.name}.newest-backup.json"
    lookups = {}
    for case in ("note", "no note"):
        if case == "no note":
            note.unlink()
        with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
            statements: list[str] = []
            store._db.conn.set_trace_callback(statements.append)
            report = store.verify_chain_quick()
            store._db.conn.set_trace_callback(None)
        assert report.ok and report.entries_checked == 2
        lookups[case] = sorted(sql.split("kind = '")[1].split("'")[0] for sql in statements if "AND ref = " in sql)
    assert lookups == {"note": [], "no note": ["auth", "patient", "record"]}   # no account: nothing to look up


def test_a_sign_in_event_slipped_in_while_the_app_writes_is_left_to_the_full_check(db_path: Path):
    # The quick check looks at the newest row of each table: an outside row is the newest at the next open (found,
    # test above), unless the app wrote a row of the same kind after it while it had the file open.
    make_ward(db_path, 5)
    when = datetime(2022, 1, 12, 8, 0, tzinfo=UTC)
    with Store.open(db_path) as store:
        store.add_auth_event("nurse.test", "ok", when)
        store._db.execute("INSERT INTO auth_events (username, at, outcome) VALUES ('amy', 'now', 'ok')")
        store.add_auth_event("nurse.test", "ok", when + timedelta(minutes=1))
    with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
        assert store.verify_chain_quick().ok      # the documented limit of the quick check
        full = store.verify_chain()
        assert [(p.kind, p.ref) for p in full.problems] == [("auth", "2")]


def test_deferred_checks_find_what_the_fast_open_leaves_out_and_make_the_backup(db_path: Path):
    from core.backup import list_backups

    make_ward(db_path, 5)
    with Store.open(db_path):
        pass                                          # backup at open (rows 1-5 behind it)
    make_ward(db_path, 2)                             # changed since that backup
    before = len(list_backups(db_path))
    with Store.open(db_path, defer_slow_checks=True) as store:
        assert store.deferred_checks is True
        assert len(list_backups(db_path)) == before   # no backup during the fast open
        checks = store.run_deferred_checks()
        assert (checks.ok, checks.integrity, checks.backup_problem) == (True, "ok", None)
        assert checks.chain.entries_checked == 8      # the full chain: the patient and 7 records
        assert checks.backup is not None and len(list_backups(db_path)) == before + 1
    _edit_record(db_path, 1, restore_trigger=True)    # an old row, protection put back
    with Store.open(db_path, defer_slow_checks=True, backups=BackupPolicy(at_open=False)) as store:
        checks = store.run_deferred_checks()
        assert not checks.ok and [p.kind for p in checks.chain.problems] == ["record"]
        assert checks.backup is None                  # never back up a file whose chain is broken


def test_the_open_takes_the_newest_backups_head_from_its_note_while_the_note_names_that_backup(db_path: Path):
    make_ward(db_path, 5)
    with Store.open(db_path):
        pass                                      # the backup at open, and the note of its chain head
    newest = list_backups(db_path)[-1]
    facts = newest.path.stat()
    newest.path.write_bytes(b"\0" * facts.st_size)  # unreadable now, with its size and time kept
    os.utime(newest.path, ns=(facts.st_atime_ns, facts.st_mtime_ns))
    with Store.open(db_path, backups=BackupPolicy(at_open=False)) as store:
        report = store.verify_chain_quick()      # the note gave the head (the backup was not opened): nothing
        assert report.ok and report.entries_checked == 0   # written since it, where the full check reads all 6
    os.utime(newest.path, ns=(facts.st_atime_ns, facts.st_mtime_ns + 1_000_000_000))
    _edit_record(db_path, 5, restore_trigger=True)   # the newest record changed, with the protection put back
    with pytest.raises(TamperedError) as caught:      # the note no longer matches the backup: the backup is read,
        Store.open(db_path, backups=BackupPolicy(at_open=False))   # no head there: the full check finds the edit
    assert [p.kind for p in caught.value.report.problems] == ["record"]
