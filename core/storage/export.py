"""What leaves the file: the export in the import format (with where each record was entered) and the FHIR push's
outbox (core/fhir/push.py): which records a server acknowledged, and the records entered after that."""

from __future__ import annotations

import json
from datetime import datetime

from core.records import RECORD_MODELS, StoredRecord
from core.storage.database import parse_utc, utc_text
from core.storage.rows import EntryOrigin
from core.storage.ward import Ward


class Export(Ward):
    """The export (its patients in bed order, as the ward lists them) and the FHIR outbox cursor."""

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
