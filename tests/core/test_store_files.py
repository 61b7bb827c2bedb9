"""File trouble: damaged, held by another instance, read-only, full disk, lost; and rolling backups and restore.

Each case gets a plain StoreError saying what to do, the file is left as it was, and no empty database ever takes
its place.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from core.backup import BackupPolicy, list_backups
from core.clock import FixedClock
from core.errors import StoreError
from core.locking import DatabaseInUseError, lock_path_for
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store, check_file, restore_backup
from tests.core.safety_helpers import count_records, make_ward
from tests.scenario import T0

ROOT = Path(__file__).resolve().parents[2]
NOW = T0 + timedelta(days=1)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith(".lock")}


# -- damaged files ------------------------------------------------------------------------------------------------
def test_a_damaged_file_is_refused_and_left_byte_identical(db_path: Path):
    make_ward(db_path, 40)
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page + 100: 2 * page - 100] = b"\xa5" * (page - 200)  # scribble over the second page
    db_path.write_bytes(bytes(data))
    before = _snapshot(db_path.parent)
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    assert "damaged" in str(caught.value)
    assert "restore the latest backup (crs-bedside restore)" in str(caught.value)
    assert _snapshot(db_path.parent) == before


def test_a_file_that_is_not_a_database_is_refused_unchanged(db_path: Path):
    db_path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"cannot be used as a CRS Bedside database.*left as it is"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_a_lost_database_with_backups_is_never_replaced_by_an_empty_one(db_path: Path):
    make_ward(db_path, 2)
    Store.open(db_path).close()  # the changed file is backed up at open
    assert [b.reason for b in list_backups(db_path)] == ["open"]
    db_path.unlink()
    with pytest.raises(StoreError, match=r"missing, but backups of it exist.*crs-bedside restore BACKUP"):
        Store.open(db_path)
    assert not db_path.exists()
    db_path.write_bytes(b"")
    with pytest.raises(StoreError, match=r"the database file is empty, but backups of it exist"):
        Store.open(db_path)
    assert db_path.read_bytes() == b""
    db_path.unlink()
    assert restore_backup(list_backups(db_path)[-1].path, db_path) is None  # the way out the message names
    with Store.open(db_path) as store:
        assert store.record_count() == 2 and store.chain_report.ok


# -- one instance at a time ---------------------------------------------------------------------------------------
def test_stores_in_one_process_share_the_lock_and_the_last_close_frees_it(db_path: Path):
    make_ward(db_path, 1)
    first = Store.open(db_path)
    second = Store.open(db_path)  # the same program (e.g. a worker); SQLite serialises their writes
    bedside = Bedside(second, shipped_protocol("default"), FixedClock(NOW), user="n.t")
    bedside.record("A100", "note", {"text": "from the second store"})
    second.close()
    assert first.record_count() == 2 and first.verify_chain().ok
    assert _other_process_can_open(db_path) is False  # the first store still holds the OS lock
    first.close()
    assert _other_process_can_open(db_path) is True


def _other_process_can_open(db_path: Path) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            from core.locking import DatabaseInUseError
            from core.store import Store
            try:
                Store.open({str(db_path)!r}).close()
                print("opened")
            except DatabaseInUseError:
                print("refused")
        """)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() in ("opened", "refused"), result.stderr
    return result.stdout.strip() == "opened"


def test_a_database_held_by_another_running_process_is_refused_and_freed_when_it_is_killed(db_path: Path):
    make_ward(db_path, 1)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from core.store import Store
            store = Store.open({str(db_path)!r})
            print("open", flush=True)
            time.sleep(60)
        """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = _snapshot(db_path.parent)
        with pytest.raises(DatabaseInUseError) as caught:
            Store.open(db_path)
        assert f"(process {holder.pid})" in str(caught.value)
        assert "close the other one" in str(caught.value)
        assert _snapshot(db_path.parent) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with Store.open(db_path) as store:  # the OS dropped the lock with the dead process
        assert store.record_count() == 1
    assert lock_path_for(db_path).exists()


# -- read-only ----------------------------------------------------------------------------------------------------
def _make_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
            pytest.skip("running as root without chattr: a read-only file cannot be simulated")
    else:
        path.chmod(0o444)


def _make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    path.chmod(0o644)


def test_a_read_only_database_file_gets_a_plain_message_and_is_left_unchanged(db_path: Path):
    make_ward(db_path, 2)
    before = db_path.read_bytes()
    _make_read_only(db_path)
    try:
        with pytest.raises(StoreError, match=r"read-only.*Move it to a folder you can write to.*has not been changed"):
            Store.open(db_path)
        assert db_path.read_bytes() == before
    finally:
        _make_writable(db_path)
    assert count_records(db_path) == 2


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


TINY_FS_SCRIPT = """
set -e
mount -t tmpfs -o size={size} tmpfs {mnt}
cd {root}
{python} - <<'PY'
{code}
PY
"""


def _in_tiny_fs(tmp_path: Path, size: str, code: str) -> subprocess.CompletedProcess:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = TINY_FS_SCRIPT.format(size=size, mnt=mnt, root=ROOT, python=sys.executable,
                                   code=textwrap.dedent(code).replace("MNT", str(mnt)))
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not _unshare_works(), reason="needs a private mount namespace (unshare -rm)")
def test_a_read_only_file_system_gets_a_plain_message_and_the_file_is_unchanged(tmp_path: Path):
    result = _in_tiny_fs(tmp_path, "4m", """
        import hashlib, subprocess
        from pathlib import Path
        from tests.core.safety_helpers import make_ward
        from core.store import Store
        from core.errors import StoreError
        db = Path("MNT") / "ward.db"
        make_ward(db, 3)
        Store.open(db).close()
        digest = hashlib.sha256(db.read_bytes()).hexdigest()
        names = sorted(p.name for p in Path("MNT").iterdir())
        subprocess.run(["mount", "-o", "remount,ro", "MNT"], check=True)
        try:
            Store.open(db)
        except StoreError as exc:
            print("ERROR:", exc)
        print("SAME:", hashlib.sha256(db.read_bytes()).hexdigest() == digest)
        print("FILES:", sorted(p.name for p in Path("MNT").iterdir()) == names)
    """)
    assert result.returncode == 0, result.stderr
    assert "ERROR:" in result.stdout and "read-only" in result.stdout
    assert "SAME: True" in result.stdout
    assert "FILES: True" in result.stdout
    assert "Traceback" not in result.stderr


# -- full disk ----------------------------------------------------------------------------------------------------
def test_a_full_database_refuses_the_write_with_a_plain_message_and_loses_nothing(db_path: Path):
    make_ward(db_path, 2)
    store = Store.open(db_path)
    try:
        bedside = Bedside(store, shipped_protocol("default"), FixedClock(NOW), user="nurse.test")
        pages = store._db.conn.execute("PRAGMA page_count").fetchone()[0]
        store._db.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
        with pytest.raises(StoreError) as caught:
            for _ in range(50):
                bedside.record("A100", "note", {"text": "x" * 4000})
        assert "the disk is full, so nothing was written" in str(caught.value)
        written = store.record_count()
        assert store.verify_chain().ok
        store._db.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
        bedside.record("A100", "note", {"text": "after freeing space"})
        assert store.record_count() == written + 1
        assert store.integrity_check() == "ok"
    finally:
        store.close()


@pytest.mark.skipif(not _unshare_works(), reason="needs a private mount namespace (unshare -rm)")
def test_a_really_full_disk_refuses_writes_and_keeps_every_acknowledged_record(tmp_path: Path):
    result = _in_tiny_fs(tmp_path, "600k", """
        from datetime import timedelta
        from pathlib import Path
        from core.clock import FixedClock
        from core.errors import StoreError
        from core.protocol import shipped_protocol
        from core.services import Bedside
        from core.store import Store
        from core.backup import BackupPolicy
        from tests.scenario import T0
        from tests.core.safety_helpers import make_ward
        db = Path("MNT") / "ward.db"
        make_ward(db, 1)
        acknowledged = []
        store = Store.open(db, backups=BackupPolicy(at_open=False))
        bedside = Bedside(store, shipped_protocol("default"), FixedClock(T0 + timedelta(days=1)), user="n.t")
        try:
            for i in range(2000):
                acknowledged.append(str(bedside.record("A100", "note", {"text": "y" * 3000}).record.id))
        except StoreError as exc:
            print("ERROR:", exc)
        store.close()
        import sqlite3
        conn = sqlite3.connect(str(db))
        ids = {row[0] for row in conn.execute("SELECT id FROM records")}
        print("ACK:", len(acknowledged), "ALL:", set(acknowledged) <= ids)
        print("CHECK:", conn.execute("PRAGMA integrity_check").fetchone()[0])
    """)
    assert result.returncode == 0, result.stderr
    assert "ERROR:" in result.stdout and "the disk is full, so nothing was written" in result.stdout
    assert "ALL: True" in result.stdout
    assert "CHECK: ok" in result.stdout
    ack = int(result.stdout.split("ACK: ")[1].split()[0])
    assert 5 < ack < 2000


# -- backups ------------------------------------------------------------------------------------------------------
def test_opening_a_changed_file_backs_it_up_and_an_unchanged_one_is_not_backed_up_again(db_path: Path):
    make_ward(db_path, 2)
    Store.open(db_path).close()
    Store.open(db_path).close()
    backups = list_backups(db_path)
    assert [b.reason for b in backups] == ["open"]
    check = check_file(backups[0].path)
    assert check.usable, check.problem
    assert count_records(backups[0].path) == 2


def test_backups_are_kept_n_deep_and_migration_backups_are_never_pruned(db_path: Path):
    make_ward(db_path, 1)
    policy = BackupPolicy(keep=3)
    with Store.open(db_path, backups=policy) as store:
        made = [store.make_backup("scheduled") for _ in range(5)]
    kept = list_backups(db_path, policy)
    assert [b.path for b in kept] == made[-3:]
    assert all(b.reason == "scheduled" for b in kept)
    with pytest.raises(StoreError, match=r"backups\.keep: 0 is below 1"):
        BackupPolicy(keep=0)


def test_a_backup_that_cannot_be_written_leaves_no_partial_file_and_the_database_works(db_path: Path, tmp_path: Path):
    make_ward(db_path, 1)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    with Store.open(db_path, backups=BackupPolicy(folder=blocker)) as store:
        assert store.warnings and "the backup was not made" in store.warnings[0]
        with pytest.raises(StoreError, match="the backup was not made"):
            store.make_backup()
        assert store.record_count() == 1
    assert blocker.read_text() == "a file where the backup folder should be"


def test_restore_backs_up_the_current_file_first_and_swaps_the_backup_in(db_path: Path):
    make_ward(db_path, 2)
    with Store.open(db_path) as store:
        old_backup = store.make_backup()
        Bedside(store, shipped_protocol("default"), FixedClock(NOW), user="n.t").record(
            "A100", "note", {"text": "written after the backup"})
    current = db_path.read_bytes()
    saved = restore_backup(old_backup, db_path)
    assert saved.name.endswith(".pre-restore.bak")
    assert count_records(saved) == 3
    with Store.open(db_path) as store:  # no false alarm: a 'restored' backup anchors the restored file
        assert store.record_count() == 2
        assert store.chain_report.ok
    assert db_path.read_bytes() != current


def test_restore_over_a_damaged_file_keeps_its_bytes(db_path: Path):
    make_ward(db_path, 2)
    with Store.open(db_path) as store:
        good = store.make_backup()
    db_path.write_bytes(b"garbage" * 1000)
    saved = restore_backup(good, db_path)
    assert saved.read_bytes() == b"garbage" * 1000
    assert count_records(db_path) == 2


def test_restore_is_refused_while_the_database_is_open_and_changes_nothing(db_path: Path):
    make_ward(db_path, 1)
    with Store.open(db_path) as store:
        backup = store.make_backup()
        before = _snapshot(db_path.parent)
        with pytest.raises(DatabaseInUseError):
            restore_backup(backup, db_path)
        assert _snapshot(db_path.parent) == before


def test_a_damaged_backup_is_not_restored(db_path: Path, tmp_path: Path):
    make_ward(db_path, 1)
    bad = tmp_path / "bad.bak"
    bad.write_bytes(b"\x00" * 5000)
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"cannot restore this backup.*The database was not changed"):
        restore_backup(bad, db_path)
    assert db_path.read_bytes() == before


def test_the_lock_is_released_on_close_even_after_a_failed_open(db_path: Path):
    db_path.write_bytes(b"not a database" * 300)
    with pytest.raises(StoreError):
        Store.open(db_path)
    db_path.unlink()
    Store.open(db_path).close()


def test_a_reader_for_a_worker_thread_shares_the_lock_and_cannot_write(db_path: Path):
    import threading

    from core.store import sqlite3  # the store's SQLite is SQLCipher's build

    make_ward(db_path, 2)
    seen: list[object] = []
    with Store.open(db_path) as store:
        def work() -> None:
            reader = store.open_reader()
            try:
                seen.append(len(reader.records("A100")))
                try:
                    reader._db.execute("INSERT INTO auth_events (username, at, outcome) VALUES ('x', 'y', 'z')")
                except sqlite3.OperationalError as exc:
                    seen.append(str(exc))
            finally:
                reader.close()

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert store._lock is not None and store._lock.held  # closing the reader did not free the owner's lock
        store.record_count()
    assert seen == [2, "attempt to write a readonly database"]
    store_after = Store.open(db_path)
    store_after.close()
    with pytest.raises(StoreError, match="open the database before asking for a reader"):
        store_after.open_reader()


def test_restore_refuses_to_overwrite_when_the_current_file_cannot_be_backed_up(db_path: Path, tmp_path: Path):
    make_ward(db_path, 2)
    with Store.open(db_path) as store:
        good = store.make_backup()
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the backup folder should be")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"cannot create the backup folder .*nothing was restored"):
        restore_backup(good, db_path, BackupPolicy(folder=blocker))
    assert db_path.read_bytes() == before
