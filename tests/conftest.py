"""Shared fixtures. Qt runs offscreen: the platform is set here, before anything imports Qt."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.records import Patient, StoredRecord, parse_record
from core.services import Bedside
from core.store import Store

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


@pytest.fixture
def protocol():
    return shipped_protocol("default")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.db"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0 + timedelta(days=1))


@pytest.fixture
def bedside(db_path: Path, clock: FixedClock, protocol):
    store = Store.open(db_path)
    store.append([patient()], [], recorded_by="test", now=clock.now())
    service = Bedside(store, protocol, clock, user="nurse.test")
    yield service
    store.close()
