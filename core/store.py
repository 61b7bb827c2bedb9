"""The store: one SQLite file, records appended and never changed. :class:`Store` is the open file: it opens and
checks it here, and does the rest through its jobs, one module each in core/storage/ (the only SQL; the package's
docstring lists them): records, the audit chain, accounts and sign-in events, backups, encryption, the ward list,
fold snapshots, the export and merging.

- WAL journal and ``synchronous=FULL``: an acknowledged append survives a crash or a power cut.
- Schema migrations (sqlite-utils 4 ``Migrations``); the file is backed up with SQLite's backup API before any
  migration, and a file written by a newer version is refused, never downgraded. No sqlite-utils plugin runs on our
  connection (``execute_plugins=False``: looking for plugins reads every installed package's metadata at each open).
- Triggers refuse UPDATE and DELETE on records and patients; a correction is an ``entered_in_error`` record.
- Every row written is covered by a hash chain (core/audit.py); a file edited outside the app is reported at open
  (:class:`core.audit.TamperedError`), never repaired silently.
- One instance per database: an OS lock on ``<db>.lock`` (core/locking.py) from open to close.
- Rolling backups with SQLite's backup API (core/backup.py): at open when the file changed, on demand, before a
  migration; a file that vanished or was emptied while backups exist is refused, never replaced by an empty one.
- Encryption at rest (SQLCipher 4 through ``sqlcipher3``): a database with accounts is encrypted under its data key
  (core/keys.py), given as a raw key; its WAL and its backups are encrypted with the same key, and a page changed by
  anyone without the key fails SQLCipher's per-page HMAC, so the file refuses to open. A database without accounts
  (open mode) stays clear. Files the app makes here are readable by their owner only (0600; folders 0700).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from core.audit import ChainReport, TamperedError
from core.backup import BackupPolicy, list_backups
from core.errors import StoreError
from core.keys import STATE_ENCRYPTED, KeyFile, SignInRequired, key_path_for
from core.locking import DatabaseLock, disk_full_message
from core.storage.accounts import Accounts
from core.storage.backups import Backups, check_file, copy_database, remove_leftovers, restore_backup
from core.storage.chain import AuditChain
from core.storage.database import (
    connect,
    create_private_file,
    disk_full,
    is_encrypted_file,
    needs_key,
    sqlite_problem,
    utc_text,
)
from core.storage.encryption import Encryption
from core.storage.exchange import Exchange
from core.storage.fold_snapshots import FoldSnapshots
from core.storage.records import RecordLog
from core.storage.rows import (
    AppendResult,
    AuthEvent,
    ConflictRow,
    DeferredChecks,
    EntryOrigin,
    FileCheck,
    SnapshotRow,
    UnreadableRecord,
    UserRow,
)
from core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from core.storage.ward import Ward, bed_order

#: What other modules take from here: the store, and the names of its jobs' modules they used to find in this one.
__all__ = [
    "MIGRATIONS", "SCHEMA_VERSION", "AppendResult", "AuthEvent", "ConflictRow", "DeferredChecks", "EntryOrigin",
    "FileCheck", "SnapshotRow", "Store", "UnreadableRecord", "UserRow", "bed_order", "check_file", "copy_database",
    "is_encrypted_file", "needs_key", "restore_backup", "sqlite3", "utc_text",
]

log = logging.getLogger("crs_bedside.store")


class Store(RecordLog, Exchange, Ward, FoldSnapshots, Accounts, AuditChain, Encryption, Backups):
    """An open CRS Bedside database. Use :meth:`open`; close with :meth:`close` or as a context manager.

    Its methods are its jobs' (each base class is one, in its own module of core/storage/, working on the connection
    they share, :class:`core.storage.database.StoreFile`); this class opens the file, checks and migrates it, and
    hands out a read-only second connection. Callers use one object and call each method by its name.

    Attributes:
        path: The database file.
        backup_policy: Where backups go and how many are kept.
        chain_report: The audit-chain check made at open (``ok`` unless opened with ``accept_tampered``).
        warnings: Things the user should know that did not stop the open (e.g. a backup that failed).
    """

    # -- opening ------------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, backups: BackupPolicy | None = None,
             accept_tampered: bool = False, defer_slow_checks: bool = False, key: bytes | None = None) -> Store:
        """Open (and if asked, create) a database file, check it, and migrate it to this version's schema.

        Args:
            path: The database file.
            create: Make a new database if there is no file (never when backups of a lost file exist).
            backups: Backup folder and depth; the default keeps 10 beside the database.
            accept_tampered: Open a file whose audit chain is broken (to view, export or keep working); the
                problems stay in :attr:`chain_report` and are found again at every open.
            defer_slow_checks: Leave the checks whose time grows with the file (SQLite's ``quick_check``, the full
                chain, the backup at open) to :meth:`run_deferred_checks`, which the window runs in the background
                right after start-up; the quick chain check still runs here.
            key: The data key of an encrypted file (core/keys.py; the sign-in unwraps it). A new file made with a
                key is encrypted from the start; a clear file is opened clear whatever the key.

        Raises:
            StoreError: the file is missing (and ``create`` is false), damaged, not a database, newer than this
                version, read-only, held by another instance, or lost while its backups remain. The file is left
                exactly as it was and no empty database is put in its place.
            TamperedError: the audit chain shows edits made outside the app (unless ``accept_tampered``).
            SignInRequired: the file is encrypted and no key was given.
        """
        path = Path(path)
        policy = backups or BackupPolicy()
        if path.is_dir():
            raise StoreError(f"{path}: this is a folder, not a database file")
        existed = path.exists()
        if not existed and not create:
            raise StoreError(f"{path}: no such database file")
        if not existed and not path.parent.is_dir():
            raise StoreError(f"{path.parent}: the folder does not exist")
        if (not existed or path.stat().st_size == 0) and list_backups(path, policy):
            raise StoreError(
                f"{path}: the database file is {'missing' if not existed else 'empty'}, but backups of it exist in "
                f"{policy.folder_for(path)}. It may have been lost or damaged: restore the newest backup with "
                f"`crs-bedside restore BACKUP --db {path}`. No new empty database was made (to start a new ward "
                "database on purpose, move that backup folder away first).")
        encrypted = existed and is_encrypted_file(path) and (key is not None or key_path_for(path).exists())
        if encrypted and key is None:
            raise SignInRequired(f"{path}: this database is encrypted: sign in with your user name and PIN to open "
                                 "it.")
        if existed and not encrypted and key_path_for(path).exists() \
                and KeyFile.load(key_path_for(path)).state == STATE_ENCRYPTED:
            raise StoreError(f"{path}: this database should be encrypted (its key file says so) but the file is in "
                             "clear: it was replaced from outside CRS Bedside. It has been left as it is; tell clinic "
                             "IT and restore the latest backup.")
        lock = DatabaseLock(path)
        lock.acquire()
        try:
            remove_leftovers(path, policy)
            if existed and not os.access(path, os.R_OK | os.W_OK):
                raise StoreError(sqlite_problem(path, sqlite3.OperationalError("readonly"), "it cannot be used"))
            if not existed:
                create_private_file(path)
            conn = connect(path, key if (encrypted or not existed) else None)
        except OSError as exc:
            lock.release()
            raise StoreError(f"{path}: cannot create the database ({exc.strerror or exc})") from None
        except sqlite3.Error as exc:
            lock.release()
            raise StoreError(f"{path}: cannot open the database ({exc})") from None
        except BaseException:
            lock.release()
            raise
        store = cls(Database(conn, execute_plugins=False), path, lock, policy)
        store.data_key = key if (encrypted or not existed) else None
        try:
            store._check_and_prepare(existed, accept_tampered, defer_slow_checks)
        except sqlite3.DatabaseError as exc:   # a page read after the first checks (an encrypted file's HMAC)
            store.close()
            raise StoreError(store._unreadable(exc)) from None
        except StoreError:
            if not (existed and disk_full(path)):
                store.close()
                raise
            store._db.close()   # the lock stays: the file is opened again, to read only
            store = cls._open_to_read(path, lock, policy, accept_tampered, store.data_key)
        except BaseException:
            store.close()
            raise
        log.info("store opened schema=%s entries=%s chain_ok=%s", store.schema_version,
                 store.chain_report.entries_checked, store.chain_report.ok)
        return store

    @classmethod
    def _open_to_read(cls, path: Path, lock: DatabaseLock, policy: BackupPolicy, accept_tampered: bool,
                      key: bytes | None = None) -> Store:
        """On a full disk SQLite cannot make the files it needs to open a WAL database for writing: open it to read
        only (``immutable``: safe, since this program holds the one-instance lock and the journal was folded into
        the file at the last close). Every write then says the disk is full."""
        wal = path.with_name(path.name + "-wal")
        try:
            if wal.exists() and wal.stat().st_size > 0:
                raise StoreError(f"{disk_full_message(path)} The last entries are still in {wal.name}, so the ward "
                                 "cannot even be read until space is freed.")
            conn = connect(f"{path.resolve().as_uri()}?immutable=1", key, uri=True)
            store = cls(Database(conn, execute_plugins=False), path, lock, policy)
            store.data_key = key
            store.read_only_reason = disk_full_message(path)
            report = store.verify_chain_quick()
            if not report.ok and not accept_tampered:
                raise TamperedError(str(path), report)
        except sqlite3.Error as exc:
            lock.release()
            raise StoreError(sqlite_problem(path, exc, "it cannot be read")) from None
        except BaseException:
            lock.release()
            raise
        store.chain_report = report
        store.warnings.append(f"{path}: the disk is full, so the ward can be read but nothing can be entered. Free "
                              f"some space on the drive that holds {path.parent}, then open it again.")
        log.warning("store opened to read only: the disk is full")
        return store

    def _check_and_prepare(self, existed: bool, accept_tampered: bool, defer: bool = False) -> None:
        conn = self._db.conn
        self.deferred_checks = defer and existed
        try:
            if existed and not defer:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    log.error("store damaged: quick_check failed")
                    raise StoreError(
                        f"{self.path}: the database file is damaged ({result}). It has been left as it is; "
                        "restore the latest backup (crs-bedside restore) or contact clinic IT.")
            applied = list(self.applied_migrations())
            foreign = existed and bool(self._db.table_names()) and not applied
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "readonly" in text or "full" in text:
                raise StoreError(sqlite_problem(self.path, exc, "it cannot be used")) from None
            if self.data_key is not None:
                raise StoreError(self._unreadable(exc)) from None
            missing_key = f" (an encrypted database also needs its key file, {key_path_for(self.path).name})" \
                if is_encrypted_file(self.path) else ""
            raise StoreError(
                f"{self.path}: this file cannot be used as a CRS Bedside database ({exc}){missing_key}. It has been "
                "left as it is.") from None
        known = [m.name for m in MIGRATIONS._migrations]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer version of CRS Bedside (schema "
                f"{len(applied)}; this version understands schema {SCHEMA_VERSION}). Install the newer version; "
                "the file has not been changed.")
        if foreign:
            raise StoreError(f"{self.path}: this SQLite file is not a CRS Bedside database. It has been left as it is.")
        # Only now, with the file known to be ours, may anything be written to it (WAL mode is a header change).
        try:
            self._use_wal()
        except sqlite3.DatabaseError as exc:
            raise StoreError(sqlite_problem(self.path, exc, "it cannot be used")) from None
        report = self.verify_chain_quick()
        if not report.ok:
            log.warning("audit chain broken: %d problem(s), kinds=%s", len(report.problems),
                        sorted({p.kind for p in report.problems}))
            if not accept_tampered:
                raise TamperedError(str(self.path), report)
        self.chain_report = report
        pending = [m for m in MIGRATIONS._migrations if m.name not in applied]
        if pending:
            if applied:
                self.make_backup(f"pre-{pending[0].name.replace('_', '-')}")
            try:
                MIGRATIONS.apply(self._db)
                self._applied = None
            except sqlite3.Error as exc:
                raise StoreError(sqlite_problem(self.path, exc, "the database could not be prepared")) from None
            log.info("store migrated to schema %d", SCHEMA_VERSION)
        elif existed and report.ok and self.backup_policy.at_open and not defer and self._changed_since_last_backup():
            try:
                self.make_backup("open", prune=False)
            except StoreError as exc:
                self.warnings.append(str(exc))
                log.warning("backup at open failed")

    def _unreadable(self, exc: sqlite3.DatabaseError) -> str:
        """The plain message for a file SQLite cannot read: for an encrypted file, a page whose HMAC fails."""
        if self.data_key is None:
            return sqlite_problem(self.path, exc, "it cannot be used")
        log.error("store: the encrypted file does not open with its key")
        return (f"{self.path}: this encrypted database does not open with the key your PIN unlocked: it was changed "
                "by a program other than CRS Bedside, or it is damaged, or it is not the database of this key file. "
                "It has been left as it is; tell clinic IT and restore the latest backup (crs-bedside restore).")
    def run_deferred_checks(self) -> DeferredChecks:
        """The slow checks an open with ``defer_slow_checks`` left out: SQLite's ``quick_check`` and the full chain
        on a read-only connection, then the backup at open if the file changed since its newest backup. Call it in
        a worker thread (it opens its own connection there); it never changes the records.
        """
        reader = self.open_reader()
        try:
            integrity = reader._db.execute("PRAGMA quick_check").fetchone()[0]
            chain = reader.verify_chain() if integrity == "ok" else ChainReport(0)
            backup: Path | None = None
            problem = None
            if integrity == "ok" and chain.ok and self.backup_policy.at_open and reader._changed_since_last_backup():
                try:
                    backup = reader.make_backup("open", prune=False)
                except StoreError as exc:
                    problem = str(exc)
        except sqlite3.DatabaseError as exc:
            integrity, chain, backup, problem = str(exc), ChainReport(0), None, None
        finally:
            reader.close()
        log.info("deferred checks: integrity=%s chain_ok=%s backup=%s", integrity == "ok", chain.ok, bool(backup))
        return DeferredChecks(integrity, chain, backup, problem)

    def open_reader(self) -> Store:
        """A second, read-only connection to this already-open file, for work off the UI thread (a ward PDF, an
        export). Call it in the thread that will use it (SQLite connections stay in their thread). It shares this
        store's one-instance lock instead of taking its own, so close it before (or with) this store; it can never
        write (``PRAGMA query_only``).

        Raises:
            StoreError: this store is closed.
        """
        if self._lock is None or not self._lock.held:
            raise StoreError(f"{self.path}: open the database before asking for a reader")
        conn = connect(self.path, self.data_key)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        reader = Store(Database(conn, execute_plugins=False), self.path, None, self.backup_policy)
        reader.chain_report = self.chain_report
        reader.data_key = self.data_key
        return reader
    def close(self) -> None:
        """Close the file and release the one-instance lock; the ward list as last checked is kept for the next start
        (best effort)."""
        try:
            if self._ward_memo is not None and self._lock is not None:
                kept = self._db.execute("SELECT last_seq, last_patient FROM ward_list").fetchone()
                if kept is None or tuple(kept) != self._ward_memo[0]:
                    self._keep_ward_list(*self._ward_memo)
        except sqlite3.Error:
            pass   # the list is only a shortcut; the next start works it out
        try:
            self._db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
