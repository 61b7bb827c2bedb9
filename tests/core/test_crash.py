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

import pytest

from core.keys import new_data_key
from core.storage.database import connect as store_connect
from core.store import Store

ROOT = Path(__file__).resolve().parents[2]

#: The writer: appends one record at a time through the services (as the GUI does) and, every fifth step, imports a
#: batch of 1000 in one transaction. It prints what it is about to import ("intent"), then each id or batch only
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
    key = bytes.fromhex(sys.argv[2]) if len(sys.argv) > 2 else None   # an encrypted file's data key
    store = Store.open(db, backups=BackupPolicy(keep=2), key=key)
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


class _Writer:
    """One run of the writer, its output read line by line as it comes, with events for the moments to kill at."""

    def __init__(self, db: Path, key: bytes | None = None):
        key_args = [key.hex()] if key is not None else []
        self.process = subprocess.Popen([sys.executable, "-c", WRITER, str(db), *key_args], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.importing = threading.Event()
        self.committed = threading.Event()
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill mid-line: an acknowledgement is only made by a whole line
            self.lines.append(line.rstrip("\n"))
            if line.startswith("ready"):
                self.ready.set()
            elif line.startswith("intent"):
                self.importing.set()
            elif line.startswith("batch"):
                self.committed.set()
        self.process.stdout.close()

    def kill(self) -> str:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.reader.join()
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        self.process.stderr.close()
        return err


#: Enough kills of each kind to prove something; the loop runs until they are reached, however slow the machine.
MIN_KILLS, MIN_COMMITTED_BATCHES, MIN_CUT_BATCHES, MIN_ACKNOWLEDGED = 30, 3, 3, 20
#: A runaway guard only (a writer that never gets going fails on its own wait): not a pace requirement.
MAX_KILLS = 400
#: How long the harness waits for the writer to reach a moment; a generous bound on a loaded machine.
WAIT_S = 120


@pytest.mark.slow
@pytest.mark.parametrize("encrypted", [False, True], ids=["clear", "encrypted"])
def test_killing_the_writer_at_random_moments_loses_no_acknowledged_record(tmp_path: Path, encrypted: bool):
    """The assertions are about outcomes (nothing acknowledged lost, no half import, integrity, chain) and about
    having killed enough times at each kind of moment; when the kills land is chosen from the writer's own output,
    so a slow or busy machine takes longer but tests the same thing."""
    db = tmp_path / "crash.db"
    key = new_data_key() if encrypted else None   # an encrypted file (SQLCipher) is killed the same way
    rng = random.Random(20261124)
    acknowledged: set[str] = set()
    batches: dict[str, list[str]] = {}
    committed_batches: set[str] = set()
    kills = 0

    def enough() -> bool:
        return (kills >= MIN_KILLS and len(committed_batches) >= MIN_COMMITTED_BATCHES
                and len(batches) - len(committed_batches) >= MIN_CUT_BATCHES and len(acknowledged) > MIN_ACKNOWLEDGED)

    while not enough():
        assert kills < MAX_KILLS, "the kills never reached every kind of moment"
        writer = _Writer(db, key)
        moment = kills % 4
        if moment == 3:
            # Just after an import was acknowledged: the next writes are under way (and a committed batch is seen
            # however long an import of 1000 records takes on this machine).
            assert writer.committed.wait(timeout=WAIT_S), "the writer never finished an import"
            time.sleep(rng.uniform(0.0, 0.05))
        elif moment == 0:
            # Just after an import announced itself: most likely inside its transaction.
            assert writer.importing.wait(timeout=WAIT_S), "the writer never reached an import"
            time.sleep(rng.uniform(0.0, 0.05))
        elif moment == 1:
            # While writing records one by one (or importing), at a random moment after start-up.
            assert writer.ready.wait(timeout=WAIT_S), "the writer never finished starting"
            time.sleep(rng.uniform(0.0, 0.5))
        else:
            # A random moment from the start: during start-up (open, checks, backup at open) or while writing.
            time.sleep(rng.uniform(0.0, 1.0))
        err = writer.kill()
        kills += 1
        assert writer.process.returncode == -signal.SIGKILL, err
        assert "Traceback" not in err, err
        for line in writer.lines:
            kind, _, rest = line.partition(" ")
            if kind == "ack":
                acknowledged.add(rest)
            elif kind == "intent":
                batch, _, ids = rest.partition(" ")
                batches[batch] = ids.split()
            elif kind == "batch":
                committed_batches.add(rest)
    print(f"{kills} kills, {len(acknowledged)} records and {len(committed_batches)} batches acknowledged, "
          f"{len(batches) - len(committed_batches)} batches cut off")

    if encrypted:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            sqlite3.connect(str(db)).execute("SELECT count(*) FROM records").fetchone()
    conn = store_connect(db, key)   # SQLCipher's SQLite, with the key of an encrypted file
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
    with Store.open(db, key=key) as store:  # the audit chain survived every crash, and the file opens normally
        assert store.chain_report.ok
        assert store.integrity_check() == "ok"
