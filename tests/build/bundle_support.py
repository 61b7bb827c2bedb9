"""Helpers of the packaging tests: a synthetic ward file, the CLI from source and frozen, a database from the future."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Two synthetic patients and five records (INTERFACE.md import format).
WARD = {
    "format": "crs-bedside/1",
    "patients": [
        {"mrn": "P900", "name": "Synthetic Patient One", "birth_date": "1975-06-01", "sex": "female",
         "weight_kg": 64.0, "height_cm": 162, "indication": "relapsed_refractory", "ward": "7W", "bed": "3"},
        {"mrn": "P901", "name": "Synthetic Patient Two", "birth_date": "1990-11-20", "sex": "male",
         "weight_kg": 81.0, "height_cm": 180, "indication": "mrd_positive", "ward": "7W", "bed": "4"},
    ],
    "records": [
        {"id": "5b0a8a52-6f0e-4c55-9d6e-0f3a1c2b9a01", "mrn": "P900", "at": "2022-01-10T08:00:00-06:00",
         "type": "infusion_started", "dose_mcg": 9.0, "duration_h": 24},
        {"id": "5b0a8a52-6f0e-4c55-9d6e-0f3a1c2b9a02", "mrn": "P900", "at": "2022-01-10T14:00:00-06:00",
         "type": "vitals", "temperature_c": 38.6, "heart_rate": 112, "systolic_bp": 118, "diastolic_bp": 70,
         "respiratory_rate": 20, "spo2_percent": 96, "oxygen_device": "room_air", "consciousness": "alert"},
        {"id": "5b0a8a52-6f0e-4c55-9d6e-0f3a1c2b9a03", "mrn": "P901", "at": "2022-01-10T09:00:00-06:00",
         "type": "infusion_started", "dose_mcg": 9.0, "duration_h": 24},
        {"id": "5b0a8a52-6f0e-4c55-9d6e-0f3a1c2b9a04", "mrn": "P901", "at": "2022-01-10T13:00:00-06:00",
         "type": "vitals", "temperature_c": 36.9, "heart_rate": 80, "systolic_bp": 124, "diastolic_bp": 78,
         "respiratory_rate": 14, "spo2_percent": 98, "oxygen_device": "room_air", "consciousness": "alert"},
        {"id": "5b0a8a52-6f0e-4c55-9d6e-0f3a1c2b9a05", "mrn": "P901", "at": "2022-01-10T13:05:00-06:00",
         "type": "note", "text": "Synthetic note for the upgrade test"},
    ],
}
#: What ``import`` prints for WARD into an empty database.
WARD_IMPORTED = "imported 2 patients and 5 records (0 already present)\n"
#: The name of the migration a "future version" applied.
FUTURE_MIGRATION = "9999_written_by_a_future_version"


def clean_env(**extra: str) -> dict[str, str]:
    """A minimal environment: no PYTHONPATH, Qt offscreen, a known user."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR", "CRS_BEDSIDE_LOG_DIR")
           if key in os.environ}   # the log goes to the test run's scratch folder, never the home folder
    env.update(QT_QPA_PLATFORM="offscreen", CRS_BEDSIDE_USER="nurse.packaging", **extra)
    return env


def run_command(command: list[str], *args: str, cwd: Path, input: str | None = None,
                **env: str) -> subprocess.CompletedProcess:
    """Run ``command ARGS`` with the clean environment and capture its text output."""
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, input=input,
                          env=clean_env(**env), timeout=300)


def run_source_cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """``crs-bedside ARGS`` from this source tree (``python -m gui.main``)."""
    return run_command([sys.executable, "-m", "gui.main"], *args, cwd=ROOT, input=input, PYTHONPATH=str(ROOT))


def mark_written_by_future_version(db: Path) -> None:
    """Record, with the sqlite3 module, a schema migration this version does not know."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                     ["crs_bedside", FUTURE_MIGRATION, "2031-01-01 00:00:00.000000+00:00"])
    conn.close()
    assert not Path(f"{db}-wal").exists()


def applied_migrations(db: Path) -> list[str]:
    """The names in ``_sqlite_migrations``, in the order they were applied."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        conn.close()


def row_counts(db: Path) -> tuple[int, int]:
    """(patients, records) in a database file, read with the sqlite3 module."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (conn.execute("SELECT count(*) FROM patients").fetchone()[0],
                conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def newer_file_refusal(db: Path, schema: int) -> str:
    """The one line an older version prints for a file at ``schema`` (core/store.py)."""
    from core.store import SCHEMA_VERSION

    return (f"crs-bedside: {db}: this database was written by a newer version of CRS Bedside (schema {schema}; "
            f"this version understands schema {SCHEMA_VERSION}). Install the newer version; the file has not been "
            "changed.\n")

