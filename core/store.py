"""The store: one SQLite file, records appended and never changed. The only module with SQL in it.

- WAL journal and ``synchronous=FULL``: an acknowledged append survives a crash or a power cut.
- Schema migrations (sqlite-utils 4 ``Migrations``); the file is backed up with SQLite's backup API before any
  migration, and a file written by a newer version is refused, never downgraded.
- Triggers refuse UPDATE and DELETE on records and patients; a correction is an ``entered_in_error`` record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.errors import InputError, StoreError
from core.records import RECORD_MODELS, Patient, RecordBase, StoredRecord

MIGRATIONS = Migrations("crs_bedside")


@MIGRATIONS(name="0001_initial")
def _m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE patients (
            mrn TEXT PRIMARY KEY,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            mrn TEXT NOT NULL REFERENCES patients(mrn),
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            supersedes TEXT,
            payload TEXT NOT NULL
        );
        CREATE INDEX records_patient_time ON records (mrn, occurred_at, seq);
        CREATE TRIGGER records_no_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER records_no_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER patients_no_update BEFORE UPDATE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        CREATE TRIGGER patients_no_delete BEFORE DELETE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        """
    )


SCHEMA_VERSION = len(MIGRATIONS._migrations)


def utc_text(dt: datetime) -> str:
    """A UTC instant as fixed-width ISO 8601 text, so that text order is time order."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class AppendResult:
    """What an import or append wrote: counts of new patients and records, and of records already present."""

    patients_added: int
    records_added: int
    records_already_present: int


class Store:
    """An open CRS Bedside database. Use :meth:`open`; close with :meth:`close` or as a context manager."""

    def __init__(self, db: Database, path: Path):
        self._db = db
        self.path = path

    # -- opening ------------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> "Store":
        """Open (and if asked, create) a database file, check it, and migrate it to this version's schema.

        Raises:
            StoreError: the file is missing (and ``create`` is false), damaged, not a database, or newer than this
                version. The file is left exactly as it was.
        """
        path = Path(path)
        existed = path.exists()
        if not existed and not create:
            raise StoreError(f"{path}: no such database file")
        if not existed and not path.parent.is_dir():
            raise StoreError(f"{path.parent}: the folder does not exist")
        try:
            conn = sqlite3.connect(str(path), timeout=5.0)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from None
        db = Database(conn)
        store = cls(db, path)
        try:
            store._check_and_prepare(existed)
        except BaseException:
            conn.close()
            raise
        return store

    def _check_and_prepare(self, existed: bool) -> None:
        conn = self._db.conn
        try:
            if existed:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise StoreError(
                        f"{self.path}: the database file is damaged ({result}). It has been left as it is; "
                        "restore the latest backup or contact clinic IT.")
            with self._db.ensure_autocommit_on():
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA busy_timeout=5000")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: this file cannot be used as a CRS Bedside database ({exc}). It has been left as it is.")\
                from None
        applied = [m.name for m in MIGRATIONS.applied(self._db)]
        known = [m.name for m in MIGRATIONS._migrations]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer version of CRS Bedside (schema "
                f"{len(applied)}; this version understands schema {SCHEMA_VERSION}). Install the newer version; "
                "the file has not been changed.")
        if existed and self._db.table_names() and not applied:
            raise StoreError(f"{self.path}: this SQLite file is not a CRS Bedside database. It has been left as it is.")
        pending = MIGRATIONS.pending(self._db)
        if pending:
            if applied:
                self.backup(self.path.with_name(
                    f"{self.path.name}.pre-{pending[0].name}.{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.bak"))
            try:
                MIGRATIONS.apply(self._db)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: the database could not be prepared ({exc})") from None

    @property
    def schema_version(self) -> int:
        """How many schema migrations this file has had."""
        return len(MIGRATIONS.applied(self._db))

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup(self, target: str | Path) -> Path:
        """Copy the whole database, consistently, to ``target`` with SQLite's backup API."""
        target = Path(target)
        dest = sqlite3.connect(str(target))
        try:
            self._db.conn.backup(dest)
        finally:
            dest.close()
        return target

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound file."""
        return self._db.conn.execute("PRAGMA integrity_check").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user intent = one transaction: everything inside commits together or not at all."""
        with self._db.atomic():
            yield

    # -- patients -----------------------------------------------------------------------------------------------
    def patients(self) -> list[Patient]:
        """Every patient, in bed order."""
        rows = self._db.execute("SELECT payload FROM patients ORDER BY mrn").fetchall()
        patients = [Patient.model_validate_json(row[0]) for row in rows]
        return sorted(patients, key=lambda p: (p.ward or "", _bed_key(p.bed), p.mrn))

    def patient(self, mrn: str) -> Patient | None:
        """One patient by MRN, or ``None``."""
        row = self._db.execute("SELECT payload FROM patients WHERE mrn = ?", [mrn]).fetchone()
        return Patient.model_validate_json(row[0]) if row else None

    # -- records ------------------------------------------------------------------------------------------------
    def records(self, mrn: str, *, since: datetime | None = None, until: datetime | None = None) -> list[StoredRecord]:
        """A patient's records in time order (then order of entry), optionally within ``[since, until]``."""
        sql = "SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE mrn = ?"
        params: list[object] = [mrn]
        if since is not None:
            sql += " AND occurred_at >= ?"
            params.append(utc_text(since))
        if until is not None:
            sql += " AND occurred_at <= ?"
            params.append(utc_text(until))
        sql += " ORDER BY occurred_at, seq"
        return [
            StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq, _parse_utc(recorded_at), by)
            for seq, kind, recorded_at, by, payload in self._db.execute(sql, params).fetchall()
        ]

    def record_count(self) -> int:
        """How many records the file holds."""
        return self._db.execute("SELECT count(*) FROM records").fetchone()[0]

    def append(
        self, patients: Iterable[Patient], records: Iterable[RecordBase], *, recorded_by: str | None,
        now: datetime, prefixes: tuple[str, str] = ("patients", "records"),
    ) -> AppendResult:
        """Append patients and records in one transaction; everything or nothing is written.

        A patient or record already stored with identical content is skipped (re-importing a file adds nothing);
        one stored with different content is an error.

        Raises:
            InputError: naming ``patients[i]`` / ``records[i]`` and the reason; nothing is written.
        """
        patients = list(patients)
        records = list(records)
        recorded_at = utc_text(now)
        added_patients = added_records = already = 0
        try:
            with self._db.atomic():
                for index, patient in enumerate(patients):
                    payload = patient.model_dump_json(exclude_none=True)
                    row = self._db.execute("SELECT payload FROM patients WHERE mrn = ?", [patient.mrn]).fetchone()
                    if row is None:
                        self._db.execute(
                            "INSERT INTO patients (mrn, payload, created_at) VALUES (?, ?, ?)",
                            [patient.mrn, payload, recorded_at])
                        added_patients += 1
                    elif Patient.model_validate_json(row[0]) != patient:
                        raise InputError(
                            f"{prefixes[0]}[{index}].mrn: {patient.mrn} is already on the ward with different details",
                            "mrn")
                for index, record in enumerate(records):
                    payload = record.model_dump_json(exclude_none=True)
                    row = self._db.execute(
                        "SELECT payload, mrn FROM records WHERE id = ?", [str(record.id)]).fetchone()
                    if row is not None:
                        if RECORD_MODELS[record.type].model_validate_json(row[0]) != record:
                            raise InputError(
                                f"{prefixes[1]}[{index}].id: {record.id} is already stored with different content",
                                "id")
                        already += 1
                        continue
                    if self._db.execute("SELECT 1 FROM patients WHERE mrn = ?", [record.mrn]).fetchone() is None:
                        raise InputError(f"{prefixes[1]}[{index}].mrn: {record.mrn} is not a known patient", "mrn")
                    supersedes = str(getattr(record, "target_id", "") or "") or None
                    self._db.execute(
                        "INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [str(record.id), record.mrn, record.type, utc_text(record.at), recorded_at,
                         record.by or recorded_by, supersedes, payload])
                    added_records += 1
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: nothing was written ({exc})") from None
        return AppendResult(added_patients, added_records, already)

    def record_by_id(self, record_id: str) -> StoredRecord | None:
        """One record by its id, or ``None``."""
        row = self._db.execute(
            "SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE id = ?", [record_id]).fetchone()
        if row is None:
            return None
        seq, kind, recorded_at, by, payload = row
        return StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq, _parse_utc(recorded_at), by)

    def export(self) -> dict[str, object]:
        """Everything in the file in the import format (``crs-bedside/1``)."""
        patients = [json.loads(p.model_dump_json(exclude_none=True)) for p in self.patients()]
        rows = self._db.execute("SELECT payload FROM records ORDER BY occurred_at, seq").fetchall()
        return {"format": "crs-bedside/1", "patients": patients, "records": [json.loads(r[0]) for r in rows]}


def _bed_key(bed: str | None) -> tuple[int, str]:
    """Beds sort as numbers where they are numbers (2 before 10)."""
    if bed is None:
        return (1 << 30, "")
    digits = "".join(ch for ch in bed if ch.isdigit())
    return (int(digits) if digits else 1 << 29, bed)
