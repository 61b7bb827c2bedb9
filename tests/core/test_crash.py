"""Crash safety: the real program is killed with SIGKILL at random moments, many times; every record it acknowledged
is still there, no import is half-applied, and the file passes ``PRAGMA integrity_check`` and the audit chain."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from core.store import Store

ROOT = Path(__file__).resolve().parents[2]

#: The writer: appends one record at a time through the services (as the GUI does) and, every fifth step, imports a batch
#: of 1000 in one transaction. It prints what it is about to import ("intent"), then each id or batch only
#: after the commit returned ("ack").
WRITER = textwrap.dedent("""
    import sys, uuid
    from datetime import datetime, timedelta, timezone
    from core.backup import BackupPolicy
    from core.clock import SystemClock
    from core.protocol import shipped_protocol
    from core.services import Bedside
    from core.store import Store

    db = sys.argv[1]
    store = Store.open(db, backups=BackupPolicy(keep=2))
    bedside = Bedside(store, shipped_protocol("default"), SystemClock(), user="crash.test")
    patient = {"mrn": "C1", "name": "Crash Dummy", "birth_date": "1970-01-01", "indication": "mrd_positive"}
    bedside.import_data({"format": "crs-bedside/1", "patients": [patient], "records": []})
    print("ready", flush=True)
    step = 0
    while True:
        step += 1
        now = datetime.now(timezone.utc) - timedelta(minutes=1)
        if step % 5 == 0:
            batch = str(uuid.uuid4())
            ids = [str(uuid.uuid4()) for _ in range(1000)]
            print("intent", batch, " ".join(ids), flush=True)
            records = [{"id": rid, "mrn": "C1", "at": now.isoformat(), "type": "note", "text": f"batch {batch}"}
                       for rid in ids]
            bedside.import_data({"format": "crs-bedside/1", "patients": [patient], "records": records})
            print("batch", batch, flush=True)
        else:
            done = bedside.record_vitals("C1", {"heart_rate": 60 + step % 100}, at=now)
            print("ack", done.record.id, flush=True)
""")


def _read_lines(stream: Any, lines: list[str], importing: threading.Event) -> None:
    for line in stream:
        if not line.endswith("\n"):
            break  # cut off by the kill mid-line: an acknowledgement is only made by a whole line
        lines.append(line.rstrip("\n"))
        if line.startswith("intent"):
            importing.set()
    stream.close()


@pytest.mark.slow
def test_killing_the_writer_at_random_moments_loses_no_acknowledged_record(tmp_path: Path):
    db = tmp_path / "crash.db"
    rng = random.Random(20261124)
    acknowledged: set[str] = set()
    batches: dict[str, list[str]] = {}
    committed_batches: set[str] = set()
    kills = 0
    deadline = time.monotonic() + 45
    while kills < 40 and time.monotonic() < deadline:
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        importing = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(writer.stdout, lines, importing))
        reader.start()
        if kills % 2:
            # A random moment: during start-up (open, checks, backup at open) or while writing.
            time.sleep(rng.uniform(0.05, 1.2))
        else:
            # Just after an import announced itself: most likely inside its transaction.
            importing.wait(timeout=5)
            time.sleep(rng.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        reader.join()
        err = writer.stderr.read()
        writer.stderr.close()
        kills += 1
        assert writer.returncode == -signal.SIGKILL, err
        assert "Traceback" not in err, err
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "ack":
                acknowledged.add(rest)
            elif kind == "intent":
                batch, _, ids = rest.partition(" ")
                batches[batch] = ids.split()
            elif kind == "batch":
                committed_batches.add(rest)
    assert kills >= 15
    assert len(acknowledged) > 20, "the writer never got going: the kill window is too short for this machine"
    assert len(committed_batches) >= 3
    assert len(batches) - len(committed_batches) >= 3, "no import was interrupted: the test proved nothing"
    print(f"{kills} kills, {len(acknowledged)} records and {len(committed_batches)} batches acknowledged, "
          f"{len(batches) - len(committed_batches)} batches cut off")

    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM records")}
    finally:
        conn.close()
    assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged records were lost"
    for batch, ids in batches.items():
        present = [rid in stored for rid in ids]
        assert all(present) or not any(present), f"batch {batch} is half-applied: {sum(present)}/{len(ids)}"
        if batch in committed_batches:
            assert all(present)
    with Store.open(db) as store:  # the audit chain survived every crash, and the file opens normally
        assert store.chain_report.ok
        assert store.integrity_check() == "ok"
