"""Helpers shared by the safety tests (store, audit, crash, fuzz, CLI): synthetic data only."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.store import Store
from tests.scenario import T0, patient


def vitals(mrn: str = "A100", hours: float = 0, **fields: Any) -> dict[str, Any]:
    """One vitals record dict in the import format."""
    return {"id": str(uuid.uuid4()), "mrn": mrn, "at": (T0 + timedelta(hours=hours)).isoformat(), "type": "vitals",
            **fields}


def import_doc(records: list[dict[str, Any]], patients: list[Any] | None = None) -> dict[str, Any]:
    """An import document holding the default synthetic patient (or the given ones) and the records."""
    patients = patients if patients is not None else [patient()]
    return {"format": "crs-bedside/1",
            "patients": [p.model_dump(mode="json", exclude_none=True) for p in patients], "records": records}


def raw(path: Path, sql: str, params: tuple = (), key: bytes | None = None) -> list[tuple]:
    """Run SQL on the file as an outside tool would (the sqlite3 shell), committing it; an encrypted file with its
    data ``key`` (an insider holding a PIN and an SQLCipher shell, see :func:`insider_key`)."""
    if key is not None:
        from sqlcipher3 import dbapi2

        from core.keys import sqlcipher_setup

        conn = dbapi2.connect(str(path))
        for statement in sqlcipher_setup(key):   # the key and the file format's settings, as a shell user would type
            conn.execute(statement)
    else:
        conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def insider_key(path: Path, username: str, pin: str) -> bytes:
    """The data key of an encrypted file, as someone holding an account's PIN can get it (core/keys.py)."""
    from core.keys import KeyFile, key_path_for

    return KeyFile.load(key_path_for(path)).unlock_with_pin(username, pin)


def count_records(path: Path, key: bytes | None = None) -> int:
    """How many records the file holds, read without the app (an encrypted file with its data ``key``)."""
    return raw(path, "SELECT count(*) FROM records", key=key)[0][0]


def make_ward(path: Path, n_records: int = 3, clock_now: Any = None) -> list[str]:
    """A closed database with the synthetic patient and ``n_records`` vitals; returns the record ids."""
    from core.clock import FixedClock
    from core.protocol import shipped_protocol
    from core.services import Bedside

    clock = FixedClock(clock_now or T0 + timedelta(days=1))
    with Store.open(path) as store:
        bedside = Bedside(store, shipped_protocol("default"), clock, user="nurse.test")
        records = [vitals(hours=i / 10, temperature_c=round(37.0 + (i % 30) / 10, 1)) for i in range(n_records)]
        bedside.import_data(import_doc(records))
    return [r["id"] for r in records]
