"""The gate, part 5: backups (issue 15). How many backups are kept is an admin's choice made after a sign-in; a
backup or restore killed half-way leaves nothing behind; a full disk still lets the ward be read and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid

import pytest

from core.backup import ROUTINE_REASONS, list_backups
from core.store import Store
from tests.cli.test_gate_import import PREFIX, ROOT, process, record, write
from tests.cli.test_gate_signin import ward_with_accounts  # noqa: F401  (a fixture)
from tests.cli.test_safety_cli import run
from tests.core.safety_helpers import import_doc, insider_key
from tests.core.test_store_files import _in_tiny_fs, _unshare_works


@pytest.fixture
def ward(ward_with_accounts, monkeypatch):  # noqa: F811 - the imported fixture, asked for by name
    for _ in range(3):
        assert run(["backup", "--db", str(ward_with_accounts)], monkeypatch, CRS_BEDSIDE_USER="amy",
                   CRS_BEDSIDE_PIN="nurse-pin-1")[0] == 0
    return ward_with_accounts


def test_keep_prunes_only_for_an_admin_after_sign_in(ward, monkeypatch):
    before = [b.path.name for b in list_backups(ward)]
    assert len(before) >= 4
    code, out, err = run(["backup", "--db", str(ward), "--keep", "1"], monkeypatch)
    assert (code, out) == (1, "") and "This database has user accounts" in err
    code, out, err = run(["backup", "--db", str(ward), "--keep", "1"], monkeypatch, CRS_BEDSIDE_USER="amy",
                         CRS_BEDSIDE_PIN="nurse-pin-1")
    assert (code, out, err) == (1, "", f"{PREFIX}Only an admin may change how many backups are kept; amy is signed "
                                       "in as nurse.\n")
    assert [b.path.name for b in list_backups(ward)] == before
    code, out, err = run(["backup", "--db", str(ward), "--keep", "1"], monkeypatch, CRS_BEDSIDE_USER="boss",
                         CRS_BEDSIDE_PIN="admin-pin-1")
    assert code == 0, err
    kept = list_backups(ward)
    # The newest routine backup stays; the one made before the file was encrypted is kept for good, like one made
    # before a migration (it is encrypted too, see tests/core/test_encryption.py).
    assert [b.path.name for b in kept if b.reason in ROUTINE_REASONS] == [out.strip().rsplit("/", 1)[1]]
    assert [b.reason for b in kept if b.reason not in ROUTINE_REASONS] == ["pre-encrypt"]


def test_a_backup_killed_half_way_leaves_no_partial_after_the_next_open(ward):
    folder = ward.with_name(ward.name + ".backups")
    # What a backup killed half-way leaves: its .partial copy and that copy's journal; a restore's temporary file.
    for leftover in (folder / f".{ward.name}.20260101T000000_000000Z.manual.bak.partial",
                     folder / f".{ward.name}.20260101T000000_000000Z.manual.bak.partial-journal",
                     ward.with_name(f".{ward.name}.restoring")):
        leftover.write_bytes(b"half")
    result = process("status", "--db", str(ward), "--user", "amy", CRS_BEDSIDE_PIN="nurse-pin-1")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir() if "partial" in p.name) == []
    assert not ward.with_name(f".{ward.name}.restoring").exists()


def test_a_backup_really_killed_half_way_leaves_nothing_after_the_next_open(tmp_path, ward):
    key = insider_key(ward, "boss", "admin-pin-1")
    # A real process killed while it writes the copy (the copy is slowed down so the kill lands inside it).
    code = textwrap.dedent(f"""
        import sqlite3, time
        import core.storage.backups
        import core.store
        from core.backup import BackupPolicy
        def slow(source, target, key=None):
            dest = sqlite3.connect(str(target))   # the copy begun: the .partial file and its journal exist
            dest.execute("BEGIN IMMEDIATE")
            dest.execute("CREATE TABLE t (x)")
            print("copying", flush=True)
            time.sleep(60)
        core.storage.backups.backup_connection = slow
        core.store.Store.open({str(ward)!r}, backups=BackupPolicy(at_open=False),
                              key=bytes.fromhex({key.hex()!r})).make_backup("manual")
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "copying\n"
    folder = ward.with_name(ward.name + ".backups")
    assert any(p.name.endswith(".partial") for p in folder.iterdir())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Store.open(ward, key=key):
        pass
    assert [p.name for p in folder.iterdir() if "partial" in p.name] == []


@pytest.mark.skipif(not _unshare_works(), reason="needs a private mount namespace (unshare -rm)")
def test_on_a_full_disk_status_still_reads_and_the_backup_says_the_disk_is_full(tmp_path):
    result = _in_tiny_fs(tmp_path, "1m", """
        import json, subprocess, sys
        from datetime import datetime, timedelta, timezone
        from pathlib import Path
        from tests.core.safety_helpers import make_ward
        db = Path("MNT") / "ward.db"
        make_ward(db, 5, datetime.now(timezone.utc))
        subprocess.run([sys.executable, "-m", "gui.main", "backup", "--db", str(db), "--user", "x"], check=True,
                       capture_output=True)
        import os
        filler = os.open(Path("MNT") / "filler", os.O_WRONLY | os.O_CREAT)   # fill the disk to the last byte
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(filler, b"x" * size)
            except OSError:
                pass
        os.close(filler)
        for argv in (["status"], ["backup"]):
            done = subprocess.run([sys.executable, "-m", "gui.main", *argv, "--db", str(db), "--user", "x"],
                                  capture_output=True, text=True)
            print("RESULT", json.dumps([argv[0], done.returncode, done.stdout[:200], done.stderr]))
    """)
    assert result.returncode == 0, result.stderr
    results = {doc[0]: doc[1:] for doc in (json.loads(line.split(" ", 1)[1]) for line in result.stdout.splitlines()
                                           if line.startswith("RESULT "))}
    code, out, err = results["status"]
    assert code == 0, err
    assert out.startswith('{\n  "at":')
    assert "crs-bedside: warning: " in err and "the disk is full, so the ward can be read but nothing can be entered" \
        in err
    code, out, err = results["backup"]
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[-1] == (f"crs-bedside: {tmp_path / 'mnt' / 'ward.db'}: the disk is full, so nothing was "
                                    f"written. Free some space on the drive that holds {tmp_path / 'mnt'} (or move "
                                    "the database to another drive), then enter it again.")


def test_a_failed_backup_at_open_is_reported_on_the_command_line(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    doc = import_doc([record(temperature_c=37.0)])
    assert run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db), "--user", "x"], monkeypatch)[0] == 0
    folder = db.with_name(db.name + ".backups")
    assert not folder.exists()
    folder.write_text("not a folder", encoding="utf-8")   # the backup folder cannot be made
    result = process("status", "--db", str(db), "--user", "x")
    assert result.returncode == 0
    assert json.loads(result.stdout)["patients"][0]["mrn"] == "A100"
    assert result.stderr.startswith(f"{PREFIX}warning: {folder}: the backup was not made (")


def test_every_command_keeps_the_rolling_backups_to_the_policys_depth(tmp_path, monkeypatch):
    """Each command's open makes a backup; after the sign-in they are pruned to the policy's depth, so a ward whose
    commands run every minute does not fill its disk (before, none of them was ever removed)."""
    from core.backup import DEFAULT_KEEP, BackupPolicy

    db = tmp_path / "ward.db"
    source = tmp_path / "ward.json"
    patient = {"mrn": "A100", "name": "Test Patient", "birth_date": "1981-03-02", "indication": "mrd_positive"}
    for n in range(DEFAULT_KEEP + 3):   # each import changes the file, so the next open backs it up
        note = {"id": str(uuid.uuid4()), "mrn": "A100", "at": "2022-01-10T08:00:00-06:00", "type": "note",
                "text": f"note {n}"}
        source.write_text(json.dumps({"format": "crs-bedside/1", "patients": [patient], "records": [note]}),
                          encoding="utf-8")
        assert run(["import", str(source), "--db", str(db)], monkeypatch)[0] == 0
    assert run(["status", "--db", str(db)], monkeypatch)[0] == 0
    routine = [b for b in list_backups(db, BackupPolicy()) if b.reason == "open"]
    assert len(routine) == DEFAULT_KEEP
