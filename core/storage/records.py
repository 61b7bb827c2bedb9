"""The records: appending patients and records (one transaction, each row chained), and reading them back (a
patient's records in time order, since or until a moment, of some kinds; by id; entered after an entry number).
Records are never changed or deleted: a correction is an ``entered_in_error`` record.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime

from sqlcipher3 import dbapi2 as sqlite3

from core.audit import AuditRow
from core.errors import InputError, StoreError
from core.records import Patient, RecordBase, StoredRecord
from core.storage.chain import chain_row
from core.storage.database import StoreFile, parse_utc, sqlite_problem, utc_text
from core.storage.rows import AppendResult, UnreadableRecord

log = logging.getLogger("crs_bedside.store")


def record_payload(record: RecordBase) -> str:
    """The stored JSON of a record: absent fields left out, except a patient detail a ``patient_updated`` record
    clears on purpose (an explicit null)."""
    payload = record.model_dump_json(exclude_none=True)
    cleared = [name for name, value in getattr(record, "changes", dict)().items() if value is None]
    if not cleared:
        return payload
    data = json.loads(payload)
    data.update(dict.fromkeys(cleared))
    return json.dumps(data, separators=(",", ":"))



class RecordLog(StoreFile):
    """A ward's records and patients, appended and read back."""

    # -- records ------------------------------------------------------------------------------------------------
    def records(self, mrn: str, *, since: datetime | None = None, until: datetime | None = None,
                kinds: tuple[str, ...] | None = None) -> list[StoredRecord]:
        """A patient's records in time order (then order of entry), optionally within ``[since, until]`` and of
        the record types ``kinds`` only."""
        sql = "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE mrn = ?"
        params: list[object] = [mrn]
        if kinds is not None:
            sql += f" AND type IN ({', '.join('?' for _ in kinds)})"
            params.extend(kinds)
        if since is not None:
            sql += " AND occurred_at >= ?"
            params.append(utc_text(since))
        if until is not None:
            sql += " AND occurred_at <= ?"
            params.append(utc_text(until))
        sql += " ORDER BY occurred_at, seq"
        return self._read_records(self._db.execute(sql, params).fetchall())

    def records_after(self, mrn: str, seq: int) -> list[StoredRecord]:
        """A patient's records entered after entry number ``seq``, in time order (for keeping a fold up to date)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE seq > ? AND mrn = ? "
               "ORDER BY occurred_at, seq")
        return self._read_records(self._db.execute(sql, [seq, mrn]).fetchall())

    def has_records_after(self, mrn: str, at: datetime) -> bool:
        """Whether any record of the patient happened after ``at`` (a correction included)."""
        return self._db.execute("SELECT 1 FROM records WHERE mrn = ? AND occurred_at > ? LIMIT 1",
                                [mrn, utc_text(at)]).fetchone() is not None

    def newest_record_time(self) -> datetime | None:
        """When the newest record happened (by ``at``), over every patient; each patient's newest through the index."""
        row = self._db.execute(
            "SELECT max((SELECT max(occurred_at) FROM records r WHERE r.mrn = p.mrn)) FROM patients p").fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def record_count(self) -> int:
        """How many records the file holds."""
        return int(self._db.execute("SELECT count(*) FROM records").fetchone()[0])

    def append(
        self, patients: Iterable[Patient], records: Iterable[RecordBase], *, recorded_by: str | None,
        now: datetime, prefixes: tuple[str, str] = ("patients", "records"),
    ) -> AppendResult:
        """Append patients and records in one transaction; everything or nothing is written.

        A patient or record already stored with identical content is skipped (re-importing a file adds nothing);
        one stored with different content is an error. ``recorded_by`` (the signed-in account) is stamped on every
        new record; a record's own ``by`` is used only when no account is given.

        Raises:
            InputError: naming ``patients[i]`` / ``records[i]`` and the reason; nothing is written.
        """
        self.check_same_file()
        patients = list(patients)
        records = list(records)
        recorded_at = utc_text(now)
        added_patients = added_records = already = 0
        written: list[tuple[int, str, str]] = []
        try:
            with self._db.atomic():
                for index, patient in enumerate(patients):
                    payload = patient.model_dump_json(exclude_none=True)
                    row = self._db.execute("SELECT payload FROM patients WHERE mrn = ?", [patient.mrn]).fetchone()
                    if row is None:
                        self._db.execute(
                            "INSERT INTO patients (mrn, payload, created_at) VALUES (?, ?, ?)",
                            [patient.mrn, payload, recorded_at])
                        chain_row(self._db, "patient", patient.mrn)
                        added_patients += 1
                    elif self._read_patient(row[0], patient.mrn) != patient:
                        raise InputError(
                            f"{prefixes[0]}[{index}].mrn: {patient.mrn} is already on the ward with different details",
                            "mrn")
                for index, record in enumerate(records):
                    payload = record_payload(record)
                    row = self._db.execute(
                        "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE id = ?",
                        [str(record.id)]).fetchone()
                    if row is not None:
                        stored = self._read_record(*row)
                        if stored is None or stored.record != record:
                            raise InputError(
                                f"{prefixes[1]}[{index}].id: {record.id} is already stored with different content",
                                "id")
                        already += 1
                        continue
                    if self._db.execute("SELECT 1 FROM patients WHERE mrn = ?", [record.mrn]).fetchone() is None:
                        raise InputError(f"{prefixes[1]}[{index}].mrn: {record.mrn} is not a known patient", "mrn")
                    supersedes = str(getattr(record, "target_id", "") or "") or None
                    cursor = self._db.execute(
                        "INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, "
                        "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [str(record.id), record.mrn, record.type, utc_text(record.at), recorded_at,
                         recorded_by or record.by, supersedes, payload])
                    assert cursor.lastrowid is not None  # the row the INSERT just made
                    chain_row(self._db, "record", cursor.lastrowid)
                    written.append((cursor.lastrowid, str(record.id), record.type))
                    added_records += 1
        except sqlite3.Error as exc:
            log.error("append failed: %s", type(exc).__name__)
            raise StoreError(sqlite_problem(self.path, exc, "nothing was written")) from None
        for seq, record_id, kind in written:
            log.info("record appended seq=%s id=%s type=%s", seq, record_id, kind)
        return AppendResult(added_patients, added_records, already)

    def record_by_id(self, record_id: str) -> StoredRecord | None:
        """One record by its id, or ``None``."""
        row = self._db.execute(
            "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE id = ?",
            [record_id]).fetchone()
        return self._read_record(*row) if row is not None else None

    def unreadable_records(self) -> list[UnreadableRecord]:
        """Every stored record this version cannot read (the ``verify`` command; reads the whole file)."""
        for row in self._db.execute(
                "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records ORDER BY seq"):
            self._read_record(*row)
        return [self.unreadable[seq] for seq in sorted(self.unreadable)]

    # -- audit view ---------------------------------------------------------------------------------------------
    def audit_rows(self, mrn: str) -> list[AuditRow]:
        """A patient's records as stored, in order of entry (for core.audit.audit_trail)."""
        cursor = self._db.execute(
            "SELECT seq, id, type, occurred_at, recorded_at, recorded_by, supersedes, payload FROM records"
            " WHERE mrn = ? ORDER BY seq", [mrn])
        return [AuditRow(seq=seq, id=record_id, type=kind, occurred_at=occurred_at, recorded_at=recorded_at,
                         recorded_by=recorded_by, supersedes=supersedes, payload=payload)
                for seq, record_id, kind, occurred_at, recorded_at, recorded_by, supersedes, payload
                in cursor.fetchall()]
