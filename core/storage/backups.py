"""Backups of an open file (:class:`Backups`, with SQLite's backup API: at open when the file changed, on demand,
before a migration), and the work on files that are not open: a consistent copy, a check without taking the file
into use, and the restore of a backup. Names, listing and pruning of backups are core/backup.py's.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from contextlib import suppress
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from core.backup import (
    BackupPolicy,
    backup_name,
    copy_raw,
    fsync_path,
    note_newest_backup_head,
    prune_backups,
)
from core.errors import StoreError
from core.locking import DatabaseLock, disk_full_message
from core.storage.chain import AuditChain, read_anchor
from core.storage.database import (
    FOLDER_MODE,
    StoreFile,
    connect,
    create_private_file,
    is_encrypted_file,
    sqlite_problem,
)
from core.storage.rows import FileCheck
from core.storage.schema import MIGRATIONS

log = logging.getLogger("crs_bedside.store")


class Backups(StoreFile):
    """Backups of the open file, into its backup folder."""

    def backup(self, target: str | Path) -> Path:
        """Copy the whole database, consistently, to ``target`` with SQLite's backup API (a self-contained file)."""
        target = Path(target)
        backup_connection(self._db.conn, target, self.data_key)
        return target

    def prune_routine_backups(self) -> list[Path]:
        """Delete the routine backups beyond the policy's depth (the services call this after a sign-in)."""
        return prune_backups(self.path, self.backup_policy)

    def make_backup(self, reason: str = "manual", *, prune: bool = True, keep: int | None = None) -> Path:
        """A rolling backup in the backup folder (the GUI calls this on a schedule), pruned to the policy's depth.

        A file whose audit chain is broken is backed up under the reason ``tampered``, which the backup check at
        open ignores, so a backup never makes a tampered file look clean.

        Raises:
            StoreError: the backup could not be written (full disk, read-only folder); the database is unchanged.
        """
        if not self.chain_report.ok:
            reason = "tampered"
        folder = self.backup_policy.folder_for(self.path)
        target = folder / backup_name(self.path, reason)
        partial = folder / f".{target.name}.partial"
        try:
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            backup_connection(self._db.conn, partial, self.data_key)
            os.replace(partial, target)
            fsync_path(folder)
            if reason != "tampered":   # the check at open then need not open the backup to read its chain head
                note_newest_backup_head(self.path, self.backup_policy, target, read_anchor(target, self.data_key),
                                        self._seal_key("newest-backup-head"))
            if prune:   # only after a sign-in (the services and the window call this; the open does not prune)
                policy = self.backup_policy if keep is None else BackupPolicy(keep, self.backup_policy.folder,
                                                                             self.backup_policy.at_open)
                prune_backups(self.path, policy)
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):  # nothing was made there (e.g. the folder itself could not be made)
                partial.unlink(missing_ok=True)
            message = sqlite_problem(self.path, exc, "the backup was not made") if isinstance(exc, sqlite3.Error) \
                else disk_full_message(self.path).replace("nothing was written", "the backup was not made") \
                if exc.errno == errno.ENOSPC \
                else f"{folder}: the backup was not made ({exc.strerror or exc}); the database is unchanged"
            raise StoreError(message) from None
        log.info("backup made reason=%s", reason)
        return target



def backup_connection(source: sqlite3.Connection, target: Path, key: bytes | None = None) -> None:
    """SQLite backup API copy into ``target`` (encrypted with ``key``, the source's own data key, when given; mode
    0600), switched to a rollback journal so the copy is one self-contained file, and flushed to disk."""
    if not target.exists():
        create_private_file(target)
    dest = connect(target, key)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    fsync_path(target)


def remove_leftovers(db_path: Path, policy: BackupPolicy) -> list[Path]:
    """Remove what a backup or restore killed half-way left (``.<backup>.partial`` and its journal, the restore's
    ``.<db>.restoring`` and its journal). Called with the database lock held, so no backup or restore of this file
    is running."""
    patterns = [(policy.folder_for(db_path), f".{db_path.name}.*.partial*"),
                (db_path.parent, f".{db_path.name}.restoring*")]
    removed = []
    for folder, pattern in patterns:
        if not folder.is_dir():
            continue
        for leftover in folder.glob(pattern):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass   # left for the next open; it is never read
    if removed:
        log.warning("removed %d leftover file(s) of an interrupted backup or restore", len(removed))
    return removed


def copy_database(source: Path, target: Path, key: bytes | None = None) -> None:
    """Consistent copy of a database file (SQLite backup API) that is not open in this process; an encrypted source
    is read with ``key`` and copied encrypted with it.

    Raises:
        StoreError: the source cannot be read or the target cannot be written.
    """
    key = key if is_encrypted_file(source) else None
    try:
        conn = connect(source, key)
    except sqlite3.Error as exc:
        raise StoreError(f"{source}: cannot read it ({exc})") from None
    try:
        backup_connection(conn, target, key)
    except sqlite3.Error as exc:
        raise StoreError(sqlite_problem(target, exc, "the copy was not made")) from None
    finally:
        conn.close()


def check_file(path: Path, key: bytes | None = None) -> FileCheck:
    """Check a database or backup file without taking it into use: integrity, schema, audit chain (an encrypted
    file with ``key``, the data key of its database).

    Reading never changes the file.
    """
    encrypted = is_encrypted_file(path)
    if encrypted and key is None:
        return FileCheck(False, False, "it is encrypted: sign in to the database it belongs to first")
    try:
        conn = connect(path, key if encrypted else None)
    except sqlite3.Error as exc:
        return FileCheck(False, False, f"SQLite cannot open it ({exc})")
    try:
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return FileCheck(False, False, f"it is not a readable database ({exc})")
        if result != "ok":
            return FileCheck(False, False, f"it is damaged ({result})")
        store = AuditChain(Database(conn, execute_plugins=False), path)
        store.data_key = key if encrypted else None
        applied = [m.name for m in MIGRATIONS.applied(store._db)]
        known = {m.name for m in MIGRATIONS._migrations}
        if not applied:
            return FileCheck(True, False, "it is not a CRS Bedside database")
        if any(name not in known for name in applied):
            return FileCheck(True, False, "it was written by a newer version of CRS Bedside")
        report = store.verify_chain(against_backups=False)
        if not report.ok:
            return FileCheck(True, False, report.problems[0].what)
        return FileCheck(True, True)
    finally:
        conn.close()


def restore_backup(backup: str | Path, db_path: str | Path, policy: BackupPolicy | None = None, *,
                   key: bytes | None = None) -> Path | None:
    """Put a backup in place of a database, after backing the current file up (an encrypted database and its
    backups with ``key``, its data key).

    Steps: check the backup is a sound CRS Bedside file (integrity, known schema, intact chain); take the database
    lock (refused while another instance has the file open); back up the current file (with SQLite's backup API,
    or as raw bytes if it is damaged) and refuse to go on if that fails; copy the backup to a temporary file beside
    the database and swap it in with an atomic rename; make a ``restored`` backup so the next open's backup check
    starts from the restored file.

    Returns:
        The backup made of the file that was replaced, or ``None`` if there was no file to replace.

    Raises:
        StoreError: with what to do; the current file is left as it was.
    """
    backup = Path(backup)
    db_path = Path(db_path)
    policy = policy or BackupPolicy()
    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    if backup.resolve() == db_path.resolve():
        raise StoreError(f"{backup}: this is the database itself, not a backup")
    check = check_file(backup, key)
    if not check.usable:
        raise StoreError(f"{backup}: cannot restore this backup: {check.problem}. The database was not changed.")
    folder = policy.folder_for(db_path)
    lock = DatabaseLock(db_path, exclusive=True)
    lock.acquire()
    try:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the backup folder ({exc.strerror}); nothing was restored") \
                from None
        saved: Path | None = None
        if db_path.exists():
            saved = folder / backup_name(db_path, "pre-restore")
            try:
                if check_file(db_path, key).readable:
                    copy_database(db_path, saved, key)
                else:
                    copy_raw(db_path, saved)
                for suffix in ("-wal", "-shm"):
                    side = db_path.with_name(db_path.name + suffix)
                    if side.exists():
                        copy_raw(side, saved.with_name(saved.name + suffix))
            except (OSError, StoreError) as exc:
                with contextlib.suppress(OSError):
                    saved.unlink(missing_ok=True)  # nothing was written there
                raise StoreError(
                    f"{db_path}: the current file could not be backed up first ({exc}), so it was not "
                    "overwritten. Free some space or copy it somewhere safe, then try again.") from None
        temp = db_path.with_name(f".{db_path.name}.restoring")
        try:
            copy_database(backup, temp, key)
            for suffix in ("-wal", "-shm"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            os.replace(temp, db_path)
            fsync_path(db_path.parent)
            copy_database(db_path, folder / backup_name(db_path, "restored"), key)
        except (OSError, StoreError) as exc:
            temp.unlink(missing_ok=True)
            kept = f"; the previous file is saved as {saved}" if saved else ""
            raise StoreError(f"{db_path}: the restore failed ({exc}){kept}") from None
        return saved
    finally:
        lock.release()
