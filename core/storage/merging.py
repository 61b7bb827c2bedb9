"""What merging another laptop's export needs of the file (core/merge.py decides): this laptop's name, which records
are already here, where merged records were entered, and the patient differences kept for a person to settle."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from core.audit import RecordOrigin
from core.records import RECORD_MODELS, StoredRecord
from core.storage.database import StoreFile, parse_utc, utc_text
from core.storage.rows import ConflictRow


class Merging(StoreFile):
    """This laptop's name, records' origins and kept patient differences."""

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
