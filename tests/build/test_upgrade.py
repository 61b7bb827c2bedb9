"""Upgrades never lose data, proved through the command line (core/store.py does the work; docs/INSTALL.md).

- An older version refuses a file written by a newer one, with one plain line, and leaves it byte-identical.
- A newer version backs the file up (SQLite backup API) before it migrates it, and every record survives.

"A newer version" is this source tree with one more schema migration registered before the CLI runs: the same
code path a real upgrade takes, without waiting for a real second migration to exist.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_support import (
    FUTURE_MIGRATION,
    ROOT,
    WARD_IMPORTED,
    applied_migrations,
    mark_written_by_future_version,
    newer_file_refusal,
    row_counts,
    run_command,
    run_source_cli,
)
from sqlite_utils import Database

from core.backup import list_backups
from core.store import MIGRATIONS, SCHEMA_VERSION

SHIPPED_MIGRATIONS = [migration.name for migration in MIGRATIONS._migrations]
AT = "2022-01-11T08:00:00-06:00"

#: This source tree plus one schema migration: what the next release of CRS Bedside looks like to a file.
NEWER_VERSION = f"""
import sys
from core.store import MIGRATIONS

@MIGRATIONS(name={FUTURE_MIGRATION!r})
def _future(db):
    db.execute("CREATE TABLE future_shift_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")

from gui.main import main
sys.exit(main(sys.argv[1:]))
"""


def run_newer_version(*args: str) -> subprocess.CompletedProcess:
    return run_command([sys.executable, "-c", NEWER_VERSION], *args, cwd=ROOT, PYTHONPATH=str(ROOT))


def imported_ward(tmp_path: Path, ward_file: Path) -> Path:
    db = tmp_path / "ward.db"
    result = run_source_cli("import", str(ward_file), "--db", str(db))
    assert (result.returncode, result.stdout, result.stderr) == (0, WARD_IMPORTED, "")
    return db


def exported(db: Path, runner=run_source_cli) -> dict:
    result = runner("export", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def pre_migration_backups(db: Path) -> list:
    """The backups the store made before a schema migration (core/backup.py names them pre-<migration>)."""
    return [b for b in list_backups(db) if b.reason.startswith("pre-")]


def test_an_older_version_refuses_a_newer_file_and_leaves_it_byte_identical(tmp_path, ward_file):
    db = imported_ward(tmp_path, ward_file)
    mark_written_by_future_version(db)
    before = db.read_bytes()
    listing = sorted(os.listdir(tmp_path))

    for args in (["status", "--db", str(db), "--at", AT], ["import", str(ward_file), "--db", str(db)],
                 ["export", "--db", str(db)]):
        result = run_source_cli(*args)
        assert result.returncode == 1, args
        assert result.stderr == newer_file_refusal(db, SCHEMA_VERSION + 1)
        assert result.stdout == ""
        assert db.read_bytes() == before, args
        assert sorted(os.listdir(tmp_path)) == listing, args
    assert row_counts(db) == (2, 5)
    assert applied_migrations(db) == [*SHIPPED_MIGRATIONS, FUTURE_MIGRATION]


def test_a_newer_version_backs_the_file_up_then_migrates_it_keeping_every_record(tmp_path, ward_file):
    db = imported_ward(tmp_path, ward_file)
    ward_before = exported(db)
    assert len(ward_before["records"]) == 5

    result = run_newer_version("status", "--db", str(db), "--at", AT)
    assert result.returncode == 0, result.stderr
    assert [p["mrn"] for p in json.loads(result.stdout)["patients"]] == ["P900", "P901"]

    backups = pre_migration_backups(db)
    assert [b.reason for b in backups] == [f"pre-{FUTURE_MIGRATION.replace('_', '-')}"]
    backups = [b.path for b in backups]
    # The backup is the file as it was: the shipped schema and every row.
    assert applied_migrations(backups[0]) == SHIPPED_MIGRATIONS
    assert row_counts(backups[0]) == (2, 5)
    # The live file is migrated and still holds every row.
    assert applied_migrations(db) == [*SHIPPED_MIGRATIONS, FUTURE_MIGRATION]
    assert row_counts(db) == (2, 5)
    assert exported(db, run_newer_version) == ward_before
    # Opening it again migrates nothing and makes no second backup.
    assert run_newer_version("status", "--db", str(db), "--at", AT).returncode == 0
    assert len(pre_migration_backups(db)) == 1

    # Going back to the older version is refused, and the migrated file stays as it is.
    migrated = db.read_bytes()
    refused = run_source_cli("status", "--db", str(db), "--at", AT)
    assert (refused.returncode, refused.stderr) == (1, newer_file_refusal(db, SCHEMA_VERSION + 1))
    assert db.read_bytes() == migrated

    # Restoring the backup (what docs/INSTALL.md tells IT to do after a downgrade) gives back the whole ward.
    restored = tmp_path / "restored.db"
    shutil.copyfile(backups[0], restored)
    assert exported(restored) == ward_before


def test_a_file_at_an_older_shipped_schema_is_backed_up_before_migration(tmp_path):
    if SCHEMA_VERSION < 2:
        pytest.skip(f"core/store.py ships {SCHEMA_VERSION} schema migration ({', '.join(SHIPPED_MIGRATIONS)}): "
                    "no older released schema exists to build a file at; the simulated upgrade test covers the "
                    "backup until a second migration ships")
    db = tmp_path / "old.db"
    old = Database(sqlite3.connect(db))
    # A file written at schema 1 (before the hash chain), then upgraded by each released version in turn up to the
    # one before the newest: the rows are chained by 0002 as a real upgrade would chain them.
    MIGRATIONS.apply(old, stop_before=SHIPPED_MIGRATIONS[1])
    # The tables of 0001_initial, which records and patients are never taken out of (append-only).
    old.execute("INSERT INTO patients (mrn, payload, created_at) VALUES (?, ?, ?)",
                ["P900", json.dumps({"mrn": "P900", "name": "Synthetic Patient One", "birth_date": "1975-06-01",
                                     "indication": "relapsed_refractory"}), "2022-01-10T14:00:00.000000+00:00"])
    old.conn.commit()
    MIGRATIONS.apply(old, stop_before=SHIPPED_MIGRATIONS[-1])
    old.close()

    result = run_source_cli("status", "--db", str(db), "--at", AT)
    assert result.returncode == 0, result.stderr
    backups = [b.path for b in pre_migration_backups(db)]
    assert len(backups) == 1
    assert applied_migrations(backups[0]) == SHIPPED_MIGRATIONS[:-1]
    assert applied_migrations(db) == SHIPPED_MIGRATIONS
    assert [p["mrn"] for p in json.loads(result.stdout)["patients"]] == ["P900"]
