"""Scenario helpers shared by the tests: a synthetic patient and a timeline of records (import as ``scenario``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from core.records import Patient, StoredRecord, parse_record

T0 = datetime(2022, 1, 10, 8, 0, tzinfo=timezone(timedelta(hours=-6)))


def patient(**changes: Any) -> Patient:
    """A synthetic adult R/R patient, 70 kg (RULES.md §10 defaults)."""
    fields: dict[str, Any] = {"mrn": "A100", "name": "Test Patient", "birth_date": "1981-03-02", "sex": "female",
                              "weight_kg": 70.0, "height_cm": 165, "indication": "relapsed_refractory",
                              "ward": "7W", "bed": "12"}
    fields.update(changes)
    return Patient.model_validate(fields)


class Timeline:
    """Builds a scenario as stored records: ``tl.add(hours, "vitals", temperature_c=38.4)``."""

    def __init__(self, mrn: str = "A100", start: datetime = T0):
        self.mrn = mrn
        self.start = start
        self.records: list[StoredRecord] = []

    def at(self, hours: float = 0, minutes: float = 0) -> datetime:
        return self.start + timedelta(hours=hours, minutes=minutes)

    def add(self, hours: float, kind: str, *, minutes: float = 0, **fields: Any) -> StoredRecord:
        data = {"id": str(uuid.uuid4()), "mrn": self.mrn, "at": self.at(hours, minutes).isoformat(), "type": kind,
                **fields}
        stored = StoredRecord(parse_record(data), len(self.records) + 1, self.at(hours, minutes), "test")
        self.records.append(stored)
        return stored

    def as_import(self, patients: list[Patient]) -> dict[str, Any]:
        return {"format": "crs-bedside/1",
                "patients": [p.model_dump(mode="json", exclude_none=True) for p in patients],
                "records": [r.record.model_dump(mode="json", exclude_none=True) for r in self.records]}


