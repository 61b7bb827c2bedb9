"""The gate, part 4: what is done to the laptop's files (issue 15). The lock is keyed on the real file, a planted
lock symlink is never followed, and a file deleted or replaced under a running program stops its writes. Real
processes: one holds the database as the window would, the other is the command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli.test_gate_import import PREFIX, ROOT, process, record, write
from tests.cli.test_safety_cli import run
from tests.core.safety_helpers import count_records, import_doc

HOLDER = textwrap.dedent("""
    import sys
    from core.clock import SystemClock
    from core.protocol import shipped_protocol
    from core.services import Bedside, open_database
    from core.errors import BedsideError
    bedside = Bedside(open_database(sys.argv[1], create=False), shipped_protocol("default"), SystemClock(), "holder")
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            bedside.record_vitals("A100", {"temperature_c": float(line)})
            print("recorded", flush=True)
        except BedsideError as exc:
            print(f"refused: {exc}", flush=True)
""")


@pytest.fixture
def ward(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "ward.db"
    doc = import_doc([record(temperature_c=37.0)])
    assert run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db), "--user", "x"], monkeypatch)[0] == 0
    return db


@pytest.fixture
def holder(ward):
    """A running program that has the ward open (as the window would) and records a temperature per line."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(ward)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    yield proc
    proc.stdin.close()
    proc.wait(timeout=60)


def _record(proc: subprocess.Popen, value: float) -> str:
    proc.stdin.write(f"{value}\n")
    proc.stdin.flush()
    return proc.stdout.readline()


def test_the_same_file_through_a_symlink_is_in_use(tmp_path, ward, holder):
    link_dir = tmp_path / "elsewhere"
    link_dir.mkdir()
    (link_dir / "alias.db").symlink_to(ward)
    result = process("status", "--db", str(link_dir / "alias.db"), "--user", "x")
    assert result.returncode == 1
    assert "this database is open in another CRS Bedside window or command" in result.stderr
    linked_folder = tmp_path / "linked"
    linked_folder.symlink_to(tmp_path)
    result = process("status", "--db", str(linked_folder / "ward.db"), "--user", "x")
    assert result.returncode == 1 and "open in another CRS Bedside" in result.stderr
    assert _record(holder, 37.5) == "recorded\n"


def test_a_planted_lock_symlink_is_not_followed(tmp_path, ward):
    victim = tmp_path / "precious.txt"
    victim.write_text("do not truncate me\n", encoding="utf-8")
    lock = ward.with_name(ward.name + ".lock")
    lock.unlink()
    lock.symlink_to(victim)
    result = process("status", "--db", str(ward), "--user", "x")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"{PREFIX}{ward}: the lock file {lock} is a symbolic link, which CRS Bedside never "
                             "follows (it could point at another file and damage it). Ask clinic IT to remove the "
                             "link; the database has not been changed.\n")
    assert victim.read_text(encoding="utf-8") == "do not truncate me\n"


def test_a_file_deleted_under_a_running_program_stops_its_writes(ward, holder):
    assert _record(holder, 37.5) == "recorded\n"
    for side in ward.parent.glob(ward.name + "*"):
        if side.is_file():
            side.unlink()
    answer = _record(holder, 38.5)
    assert answer == (f"refused: {ward}: the database file was deleted or replaced while CRS Bedside had it open, so "
                      "nothing was written. Close CRS Bedside and open it again; if the file is gone, restore the "
                      "newest backup (crs-bedside restore) or call clinic IT.\n")


def test_a_file_replaced_under_a_running_program_stops_its_writes(tmp_path, ward, holder):
    copy = tmp_path / "copy.db"
    shutil.copyfile(ward, copy)
    os.replace(copy, ward)
    assert _record(holder, 38.5).startswith(f"refused: {ward}: the database file was deleted or replaced")
    holder.stdin.close()
    holder.wait(timeout=60)
    assert count_records(ward) == 1
