"""The store's foundation promises: append-only, migrations, reopen keeps everything, imports all-or-nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher_dbapi
from sqlite_utils import Database

from core.backup import list_backups
from core.clock import FixedClock
from core.errors import InputError, StoreError
from core.records import parse_record
from core.security import Accounts
from core.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.core.safety_helpers import import_doc, insider_key, make_ward, raw, vitals
from tests.scenario import T0, patient

NOW = T0 + timedelta(days=1)


def test_update_and_delete_of_records_and_patients_are_refused_by_the_file_itself(db_path: Path):
    make_ward(db_path, 2)
    with Store.open(db_path) as store:
        accounts = Accounts(store, FixedClock(NOW))
        accounts.create_first_admin("boss", "Ward Admin", "admin-pin-1")
        accounts.authenticate("boss", "admin-pin-1")
    for sql in ("UPDATE records SET payload = '{}'", "DELETE FROM records",
                "UPDATE patients SET payload = '{}'", "DELETE FROM patients",
                "DELETE FROM chain", "UPDATE chain SET hash = 'x'", "DELETE FROM user_versions",
                "DELETE FROM auth_events"):
        with pytest.raises(sqlcipher_dbapi.IntegrityError, match="append-only"):
            raw(db_path, sql, key=insider_key(db_path, "boss", "admin-pin-1"))   # the file is encrypted now
    assert raw(db_path, "SELECT count(*) FROM records", key=insider_key(db_path, "boss", "admin-pin-1")) == [(2,)]
    with Store.open(db_path, key=insider_key(db_path, "boss", "admin-pin-1")) as store:
        assert store.verify_chain().ok


def test_reopen_keeps_every_patient_record_and_stamp(db_path: Path):
    ids = make_ward(db_path, 3)
    with Store.open(db_path) as store:
        records = store.records("A100")
        assert [str(r.record.id) for r in records] == ids
        assert [r.record.temperature_c for r in records] == [37.0, 37.1, 37.2]
        assert {r.recorded_by for r in records} == {"nurse.test"}
        assert store.patient("A100") == patient()
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS._migrations) == 7


def test_reimporting_the_same_file_adds_nothing(bedside):
    doc = import_doc([vitals(temperature_c=38.1), vitals(hours=1, heart_rate=99)])
    first = bedside.import_data(doc)
    again = bedside.import_data(doc)
    assert (first.patients_added, first.records_added, first.records_already_present) == (0, 2, 0)
    assert (again.patients_added, again.records_added, again.records_already_present) == (0, 0, 2)
    assert bedside.store.record_count() == 2


def test_an_invalid_record_anywhere_in_an_import_writes_nothing(bedside):
    good = [vitals(hours=i, temperature_c=37.0) for i in range(5)]
    bad = vitals(hours=6, temperature_c=60.0)
    new_patient = patient(mrn="B200", bed="3")
    with pytest.raises(InputError, match=r"records\[5\]\.temperature_c: 60\.0 is outside 25\.0–45\.0 °C"):
        bedside.import_data(import_doc([*good, bad], [patient(), new_patient]))
    assert bedside.store.record_count() == 0
    assert bedside.store.patient("B200") is None


def test_a_record_id_reused_with_other_content_is_refused_and_nothing_is_written(bedside):
    first = vitals(temperature_c=38.0)
    bedside.import_data(import_doc([first]))
    changed = dict(first, temperature_c=39.0)
    with pytest.raises(InputError, match=r"records\[1\]\.id: .* already stored with different content"):
        bedside.import_data(import_doc([vitals(hours=2), changed]))
    assert bedside.store.record_count() == 1


def _schema_one_file(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    db = Database(conn)
    MIGRATIONS.apply(db, stop_before="0002_users_chain")
    conn.execute("INSERT INTO patients (mrn, payload, created_at) VALUES (?, ?, ?)",
                 ["A100", patient().model_dump_json(exclude_none=True), "2022-01-10T14:00:00.000000+00:00"])
    record = vitals(temperature_c=38.5)
    conn.execute("INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload)"
                 " VALUES (?, 'A100', 'vitals', '2022-01-10T14:00:00.000000+00:00',"
                 " '2022-01-10T14:05:00.000000+00:00', 'nurse.old', NULL, ?)",
                 [record["id"], json.dumps({"id": record["id"], "mrn": "A100", "at": "2022-01-10T08:00:00-06:00",
                                            "type": "vitals", "temperature_c": 38.5})])
    conn.commit()
    conn.close()


def test_a_schema_1_file_is_backed_up_then_migrated_and_chained(db_path: Path):
    _schema_one_file(db_path)
    before = db_path.read_bytes()
    with Store.open(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [r.record.temperature_c for r in store.records("A100")] == [38.5]
        report = store.verify_chain()
        assert report.ok and report.entries_checked == 2
    backups = list_backups(db_path)
    assert [b.reason for b in backups] == ["pre-0002-users-chain"]
    conn = sqlite3.connect(str(backups[0].path))
    try:
        assert conn.execute("SELECT name FROM _sqlite_migrations").fetchall() == [("0001_initial",)]
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    finally:
        conn.close()
    assert before != db_path.read_bytes()


def test_a_file_from_a_newer_version_is_refused_and_left_byte_identical(db_path: Path):
    make_ward(db_path, 1)
    raw(db_path, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES "
                 "('crs_bedside', '0099_from_the_future', '2030-01-01')")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=rf"newer version of CRS Bedside \(schema {SCHEMA_VERSION + 1}; this version "
                                         rf"understands schema {SCHEMA_VERSION}\)\. Install the newer version; the "
                                         r"file has not been changed"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_opening_a_missing_file_without_create_makes_nothing(tmp_path: Path):
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="no such database file"):
        Store.open(path, create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_sqlite_file_is_refused_unchanged(db_path: Path):
    raw(db_path, "CREATE TABLE other (x)")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="not a CRS Bedside database"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_recorded_by_is_the_signed_in_user_even_when_the_file_names_someone(bedside):
    bedside.import_data(import_doc([dict(vitals(temperature_c=37.2), by="someone.else")]))
    stored = bedside.store.records("A100")[0]
    assert stored.recorded_by == "nurse.test"
    assert stored.record.by == "someone.else"


def test_transaction_rolls_back_everything_inside_it(bedside, clock: FixedClock):
    store = bedside.store
    with pytest.raises(RuntimeError), store.transaction():
        bedside.record_vitals("A100", {"temperature_c": 37.5}, at=clock.now())
        raise RuntimeError("abandon")
    assert store.record_count() == 0
    assert store.verify_chain().ok


def test_utc_text_keeps_time_order(db_path: Path):
    make_ward(db_path, 0)
    with Store.open(db_path) as store:
        clock_now = datetime(2022, 1, 11, tzinfo=UTC)
        store.append([], [parse_record(vitals(hours=5, temperature_c=37.0)),
                          parse_record(vitals(hours=1, temperature_c=38.0))], recorded_by="x", now=clock_now)
        assert [r.record.temperature_c for r in store.records("A100")] == [38.0, 37.0]
