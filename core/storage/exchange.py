"""What passes between this file and others: the export in the import format (with where each record was entered),
what merging another laptop's export needs (core/merge.py decides: this laptop's name, which records are already
here, where merged records were entered, the patient differences kept for a person to settle), and the FHIR push's
outbox (core/fhir/push.py: which records a server acknowledged, and the records entered after that)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from core.audit import RecordOrigin
from core.records import RECORD_MODELS, StoredRecord
from core.storage.database import parse_utc, utc_text
from core.storage.rows import ConflictRow, EntryOrigin
from core.storage.ward import Ward


class Exchange(Ward):
    """The export (its patients in bed order, as the ward lists them), the merge's bookkeeping and the FHIR outbox
    cursor."""

    # -- the FHIR push's outbox (core/fhir/push.py) ----------------------------------------------------------------
    def fhir_cursor(self, server: str) -> int:
        """The entry number up to which ``server`` acknowledged every record (0: nothing yet)."""
        row = self._db.execute("SELECT max(last_seq) FROM fhir_acknowledged WHERE server = ?", [server]).fetchone()
        return int(row[0] or 0)

    def fhir_acknowledge(self, server: str, last_seq: int, records: int, resources: int, now: datetime) -> None:
        """Note that ``server`` acknowledged every record up to entry ``last_seq`` (one transaction, synced)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO fhir_acknowledged (server, last_seq, records, resources, acknowledged_at) "
                "VALUES (?, ?, ?, ?, ?)", [server, last_seq, records, resources, utc_text(now)])

    def records_entered_after(self, seq: int, limit: int) -> list[StoredRecord]:
        """Up to ``limit`` records entered after entry number ``seq``, in order of entry (the append-only log)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE seq > ? ORDER BY seq "
               "LIMIT ?")
        return [
            StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq_, parse_utc(recorded_at), by)
            for seq_, kind, recorded_at, by, payload in self._db.execute(sql, [seq, limit]).fetchall()
        ]

    def records_entered_count(self, seq: int) -> int:
        """How many records were entered after entry number ``seq``."""
        return int(self._db.execute("SELECT count(*) FROM records WHERE seq > ?", [seq]).fetchone()[0])

    def export(self) -> dict[str, object]:
        """Everything in the file in the import format (``crs-bedside/1``)."""
        patients = [json.loads(p.model_dump_json(exclude_none=True)) for p in self.patients()]
        rows = self._db.execute("SELECT payload FROM records ORDER BY occurred_at, seq").fetchall()
        return {"format": "crs-bedside/1", "patients": patients, "records": [json.loads(r[0]) for r in rows]}

    def entry_origins(self, laptop: str) -> list[EntryOrigin]:
        """Where each record was entered, for an export that another laptop merges: the origin a merged record
        arrived with, else this laptop, its entry time and who entered it."""
        rows = self._db.execute(
            "SELECT r.id, coalesce(o.laptop, ?), coalesce(o.entered_at, r.recorded_at), "
            "coalesce(o.entered_by, r.recorded_by) FROM records r LEFT JOIN record_origins o ON o.record_id = r.id "
            "ORDER BY r.seq", [laptop]).fetchall()
        return [EntryOrigin(id=row[0], laptop=row[1], entered_at=row[2], entered_by=row[3]) for row in rows]

    # -- merging between laptops (core/merge.py) -----------------------------------------------------------------
    def laptop_name(self, default: str) -> str:
        """This file's laptop name (set once, the first time it is asked for, to ``default``)."""
        row = self._db.execute("SELECT name FROM laptop ORDER BY rowid DESC LIMIT 1").fetchone()
        if row is not None:
            return str(row[0])
        with self.transaction():
            self._db.execute("INSERT INTO laptop (name, named_at) VALUES (?, ?)",
                             [default, utc_text(datetime.now(UTC))])
        return default

    def existing_record_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these record ids the file already holds."""
        ids = list(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(f"SELECT id FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def patient_updates(self, mrn: str) -> list[StoredRecord]:
        """A patient's ``patient_updated`` records and the corrections of records of the patient (settling
        differences needs no more)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE mrn = ? "
               "AND type IN ('patient_updated', 'entered_in_error') ORDER BY seq")
        return [
            StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq_, parse_utc(recorded_at), by)
            for seq_, kind, recorded_at, by, payload in self._db.execute(sql, [mrn]).fetchall()
        ]

    def add_origins(self, origins: Iterable[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        """Where merged records were entered: (record id, laptop, entered at, entered by, arrived from); inside the
        caller's transaction. A record already described keeps its first description."""
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO record_origins (record_id, laptop, entered_at, entered_by, arrived_from) "
            "VALUES (?, ?, ?, ?, ?)", list(origins))

    def origins(self) -> dict[str, RecordOrigin]:
        """Every merged record's origin: id -> (laptop, entered at, entered by, arrived from)."""
        rows = self._db.execute("SELECT record_id, laptop, entered_at, entered_by, arrived_from FROM record_origins")
        return {row[0]: RecordOrigin(row[1], row[2], row[3], row[4]) for row in rows}

    def add_conflict(self, mrn: str, field: str, here: str, there: str, source: str, now: datetime,
                     by: str | None) -> bool:
        """Keep a patient difference no record explains (inside the caller's transaction); ``False`` when the same
        difference is already kept."""
        if self._db.execute("SELECT 1 FROM patient_conflicts WHERE mrn = ? AND field = ? AND there = ?",
                            [mrn, field, there]).fetchone():
            return False
        self._db.execute(
            "INSERT INTO patient_conflicts (mrn, field, here, there, source, found_at, found_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [mrn, field, here, there, source, utc_text(now), by])
        return True

    def conflicts(self, mrn: str | None = None) -> list[ConflictRow]:
        """Kept patient differences (every one; core/merge.py says which are settled), oldest first."""
        sql = "SELECT pos, mrn, field, here, there, source, found_at, found_by FROM patient_conflicts"
        cursor = self._db.execute(sql + (" WHERE mrn = ? ORDER BY pos" if mrn else " ORDER BY pos"),
                                  [mrn] if mrn else [])
        return [ConflictRow(pos=pos, mrn=row_mrn, field=field, here=here, there=there, source=source,
                            found_at=found_at, found_by=found_by)
                for pos, row_mrn, field, here, there, source, found_at, found_by in cursor.fetchall()]
