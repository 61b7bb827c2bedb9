"""The store: one SQLite file, records appended and never changed. The only module with SQL in it.

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

import errno
import functools
import hashlib
import hmac
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

# SQLite as built into SQLCipher (sqlcipher3 ships it statically linked): the same DB-API as the standard library's
# sqlite3, and a clear file is an ordinary SQLite file. Every connection of the store goes through it.
from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.audit import GENESIS, ChainProblem, ChainReport, TamperedError, chain_hash
from core.backup import (
    BackupFile,
    BackupPolicy,
    backup_name,
    fsync_path,
    list_backups,
    note_newest_backup_head,
    noted_backup_head,
    prune_backups,
)
from core.errors import InputError, StoreError
from core.keys import (
    SQLCIPHER_SETTINGS,
    STATE_ENCRYPTED,
    KeyFile,
    SignInRequired,
    derived_key,
    key_path_for,
    sqlcipher_key,
    sqlcipher_setup,
)
from core.locking import DatabaseLock, disk_full_message
from core.records import RECORD_MODELS, STORED, Patient, RecordBase, StoredRecord

log = logging.getLogger("crs_bedside.store")
# Library practice: without a configured handler, warnings must not leak to stderr (core/logging_setup.py
# configures the real one); the command line prints its own one-line messages.
logging.getLogger("crs_bedside").addHandler(logging.NullHandler())

MIGRATIONS = Migrations("crs_bedside")
#: What starts every clear SQLite file; an encrypted file starts with random bytes (its salt).
SQLITE_HEADER = b"SQLite format 3\x00"
#: Files the app makes beside the database are its owner's only.
FILE_MODE = 0o600
FOLDER_MODE = 0o700
# SQLCipher writes its own diagnostics to stderr (a wrong key, a changed page); the store says it in words instead.
_quiet = sqlite3.connect(":memory:")
_quiet.execute("PRAGMA cipher_log_level = NONE")
_quiet.close()


def is_encrypted_file(path: Path) -> bool:
    """True for a non-empty file that is not clear SQLite (an SQLCipher file starts with its random salt)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def needs_key(path: Path) -> bool:
    """True for an encrypted CRS Bedside database: not clear SQLite, with its key file beside it (sign in first)."""
    return is_encrypted_file(path) and key_path_for(path).exists()


def _connect(path: Path | str, key: bytes | None, *, timeout: float = 5.0, uri: bool = False) -> sqlite3.Connection:
    """A connection to a clear file (``key`` is ``None``) or to an encrypted one, keyed before anything is read."""
    conn = sqlite3.connect(str(path), timeout=timeout, uri=uri)
    if key is not None:
        for statement in sqlcipher_setup(key):
            conn.execute(statement)
    return conn


def create_private_file(path: Path) -> None:
    """Make an empty file readable and writable by its owner only (SQLite then gives its WAL and SHM the same mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


@MIGRATIONS(name="0001_initial")
def _m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE patients (
            mrn TEXT PRIMARY KEY,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            mrn TEXT NOT NULL REFERENCES patients(mrn),
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            supersedes TEXT,
            payload TEXT NOT NULL
        );
        CREATE INDEX records_patient_time ON records (mrn, occurred_at, seq);
        CREATE TRIGGER records_no_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER records_no_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER patients_no_update BEFORE UPDATE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        CREATE TRIGGER patients_no_delete BEFORE DELETE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        """
    )


#: The SELECT that gives the hashed content of each kind of chained row, keyed by the chain's ``ref``.
_CHAIN_SOURCES = {
    "patient": "SELECT mrn, mrn, payload, created_at FROM patients",
    "record": "SELECT seq, seq, id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload FROM records",
    "user": "SELECT pos, pos, username, display_name, roles, active, kdf, pin_hash, changed_at, changed_by"
            " FROM user_versions",
    "auth": "SELECT pos, pos, username, at, outcome FROM auth_events",
}
_CHAIN_KEYS = {"patient": "mrn", "record": "seq", "user": "pos", "auth": "pos"}
_CHAIN_TABLES = {"patient": "patients", "record": "records", "user": "user_versions", "auth": "auth_events"}
#: The triggers that keep the file append-only; a missing one means someone dropped it.
PROTECTING_TRIGGERS = (
    "records_no_update", "records_no_delete", "patients_no_update", "patients_no_delete",
    "user_versions_no_update", "user_versions_no_delete", "auth_events_no_update", "auth_events_no_delete",
    "chain_no_update", "chain_no_delete",
)


@MIGRATIONS(name="0002_users_chain")
def _m0002_users_chain(db: Database) -> None:
    """Accounts (append-only versions), sign-in events, and the hash chain over every row written so far.

    Statements run one by one (not ``executescript``, which would commit the migration's transaction early).
    """
    statements = [
        """CREATE TABLE user_versions (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            roles TEXT NOT NULL,
            active INTEGER NOT NULL,
            kdf TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT
        )""",
        "CREATE INDEX user_versions_name ON user_versions (username, pos)",
        """CREATE TABLE auth_events (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL
        )""",
        "CREATE INDEX auth_events_name ON auth_events (username, pos)",
        """CREATE TABLE chain (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (kind, ref)
        )""",
    ]
    for table in ("user_versions", "auth_events", "chain"):
        for verb in ("update", "delete"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    for sql in statements:
        db.execute(sql)
    previous = GENESIS
    for kind, order in (("patient", "rowid"), ("record", "seq")):
        for row in db.execute(f"{_CHAIN_SOURCES[kind]} ORDER BY {order}").fetchall():
            previous = chain_hash(previous, kind, row[1:])
            db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", [kind, str(row[0]), previous])


@MIGRATIONS(name="0003_ward_indexes")
def _m0003_ward_indexes(db: Database) -> None:
    """What keeps the ward fast however many years the file holds: indexes for discharges by patient and for the
    corrections that supersede a record, and a table of fold snapshots (derived state, disposable)."""
    for statement in (
        "CREATE INDEX records_type_patient ON records (type, mrn, occurred_at)",
        "CREATE INDEX records_supersedes ON records (supersedes) WHERE supersedes IS NOT NULL",
        # Derived state, disposable (core/snapshot.py): not records, not chained, replaced freely.
        "CREATE TABLE fold_snapshots (mrn TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, key TEXT NOT NULL, "
        "payload TEXT NOT NULL)",
    ):
        db.execute(statement)


@MIGRATIONS(name="0004_fhir_outbox")
def _m0004_fhir_outbox(db: Database) -> None:
    """The FHIR push's outbox cursor (core/fhir/push.py): an append-only log of what each server acknowledged, up
    to which entry number. Nothing is ever marked as sent that a server did not acknowledge."""
    for statement in (
        "CREATE TABLE fhir_acknowledged (pos INTEGER PRIMARY KEY AUTOINCREMENT, server TEXT NOT NULL, "
        "last_seq INTEGER NOT NULL, records INTEGER NOT NULL, resources INTEGER NOT NULL, "
        "acknowledged_at TEXT NOT NULL)",
        "CREATE INDEX fhir_acknowledged_server ON fhir_acknowledged (server, last_seq)",
        "CREATE TRIGGER fhir_acknowledged_no_update BEFORE UPDATE ON fhir_acknowledged "
        "BEGIN SELECT RAISE(ABORT, 'fhir_acknowledged is append-only'); END",
        "CREATE TRIGGER fhir_acknowledged_no_delete BEFORE DELETE ON fhir_acknowledged "
        "BEGIN SELECT RAISE(ABORT, 'fhir_acknowledged is append-only'); END",
    ):
        db.execute(statement)


@MIGRATIONS(name="0005_merge_between_laptops")
def _m0005_merge(db: Database) -> None:
    """Merging another laptop's export (core/merge.py): this laptop's name, where each merged record was entered
    (laptop, when, by whom; when it arrived is its ``recorded_at``), and the patient differences no record explains,
    kept for a person to settle. All append-only."""
    statements = [
        "CREATE TABLE laptop (name TEXT NOT NULL, named_at TEXT NOT NULL)",
        "CREATE TABLE record_origins (record_id TEXT PRIMARY KEY, laptop TEXT, entered_at TEXT, entered_by TEXT, "
        "arrived_from TEXT)",
        "CREATE TABLE patient_conflicts (pos INTEGER PRIMARY KEY AUTOINCREMENT, mrn TEXT NOT NULL, "
        "field TEXT NOT NULL, here TEXT NOT NULL, there TEXT NOT NULL, source TEXT NOT NULL, found_at TEXT NOT NULL, "
        "found_by TEXT)",
        "CREATE INDEX patient_conflicts_mrn ON patient_conflicts (mrn, field)",
    ]
    for table in ("laptop", "record_origins", "patient_conflicts"):
        for verb in ("update", "delete"):
            statements.append(f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                              f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0006_chain_auth_events")
def _m0006_chain_auth_events(db: Database) -> None:
    """Sign-in events join the hash chain (an inserted "ok" would otherwise lift a lockout unseen): the events
    already in the file are chained now, in order, after every entry already there."""
    head = db.execute("SELECT hash FROM chain ORDER BY pos DESC LIMIT 1").fetchone()
    previous = head[0] if head else GENESIS
    for row in db.execute(f"{_CHAIN_SOURCES['auth']} ORDER BY pos").fetchall():
        previous = chain_hash(previous, "auth", row[1:])
        db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", ["auth", str(row[0]), previous])


@MIGRATIONS(name="0007_ward_list")
def _m0007_ward_list(db: Database) -> None:
    """What keeps opening the ward cheap however many years the file holds (each page read of an encrypted file is
    also decrypted and its HMAC checked):

    - who is on the ward, kept (derived state, disposable, like the fold snapshots): finding it from the records
      looks at every patient ever discharged; the list is sealed to the newest record and patient it was made from,
      and made afresh whenever either changed (:meth:`Store.ward_patients`);
    - a patient's records by entry number: a fold snapshot's check counts the records it covers, and the records
      entered since it are found, without reading the patient's whole history (:meth:`Store.fold_snapshot`)."""
    db.execute("CREATE TABLE ward_list (one INTEGER PRIMARY KEY CHECK (one = 1), last_seq INTEGER NOT NULL, "
               "last_patient INTEGER NOT NULL, mrns TEXT NOT NULL, seal TEXT NOT NULL)")
    db.execute("CREATE INDEX records_patient_seq ON records (mrn, seq)")


SCHEMA_VERSION = len(MIGRATIONS._migrations)


def utc_text(dt: datetime) -> str:
    """A UTC instant as fixed-width ISO 8601 text, so that text order is time order."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class DeferredChecks:
    """What :meth:`Store.run_deferred_checks` found: SQLite's verdict (``"ok"``), the full chain report, the backup
    made (if any) and a backup problem (if any)."""

    integrity: str
    chain: ChainReport
    backup: Path | None
    backup_problem: str | None

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.chain.ok


@dataclass(frozen=True)
class UnreadableRecord:
    """A stored record this version cannot read (damaged, or written by a version whose rules differ): it is left
    out of the patient's state and reported, and the rest of the ward goes on."""

    seq: int
    record_id: str
    mrn: str
    type: str
    problem: str

    @property
    def message(self) -> str:
        return (f"record #{self.seq} ({self.type}, id {self.record_id}) of {self.mrn} cannot be read: call clinic "
                "IT")


@dataclass(frozen=True)
class AppendResult:
    """What an import or append wrote: counts of new patients and records, and of records already present; for a
    merge, the patient differences no record explains (kept for review) and how many of them were new."""

    patients_added: int
    records_added: int
    records_already_present: int
    differences: tuple[str, ...] = ()
    differences_kept: int = 0


@dataclass(frozen=True)
class FileCheck:
    """What :func:`check_file` found in a file, without opening it for use.

    Attributes:
        readable: SQLite can read the file and its integrity check passes.
        usable: It is a CRS Bedside database of a schema this version knows, with an intact audit chain.
        problem: Why it is not usable (empty when usable).
    """

    readable: bool
    usable: bool
    problem: str = ""


class UserRow(TypedDict):
    """One version of an account (table ``user_versions``), as :meth:`Store.users` and :meth:`Store.user` give it."""

    pos: int
    username: str
    display_name: str
    roles: list[str]
    active: bool
    kdf: dict[str, Any]
    pin_hash: str
    changed_at: datetime
    changed_by: str | None


class AuditRow(TypedDict):
    """A record as stored (table ``records``), for core.audit.audit_trail: times as stored text, the record's JSON."""

    seq: int
    id: str
    type: str
    occurred_at: str
    recorded_at: str
    recorded_by: str | None
    supersedes: str | None
    payload: str


class ConflictRow(TypedDict):
    """A kept patient difference (table ``patient_conflicts``): both values as JSON text, when and by whom found."""

    pos: int
    mrn: str
    field: str
    here: str
    there: str
    source: str
    found_at: str
    found_by: str | None


def _sqlite_problem(path: Path, exc: sqlite3.Error, what: str) -> str:
    """A plain message for an SQLite failure: full disk, read-only file, locked, damaged, or other."""
    text = str(exc).lower()
    if "full" in text:
        return disk_full_message(path)
    if "readonly" in text or "read-only" in text:
        return (f"{path}: the database file or its folder is read-only, so {what}. Move it to a folder you can "
                "write to, or ask clinic IT for write access. The file has not been changed.")
    if "locked" in text or "busy" in text:
        return (f"{path}: the database is busy in another program, so {what}. Close the other program and try "
                "again.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (f"{path}: the database file is damaged, so {what}. It has been left as it is; restore the latest "
                "backup (crs-bedside restore) or contact clinic IT.")
    return f"{path}: {what} ({exc})"


class Store:
    """An open CRS Bedside database. Use :meth:`open`; close with :meth:`close` or as a context manager.

    Attributes:
        path: The database file.
        backup_policy: Where backups go and how many are kept.
        chain_report: The audit-chain check made at open (``ok`` unless opened with ``accept_tampered``).
        warnings: Things the user should know that did not stop the open (e.g. a backup that failed).
    """

    def __init__(self, db: Database, path: Path, lock: DatabaseLock | None = None,
                 backup_policy: BackupPolicy | None = None):
        self._db = db
        self.path = path
        self._lock = lock
        self.backup_policy = backup_policy or BackupPolicy()
        self.chain_report = ChainReport(0)
        self.warnings: list[str] = []
        #: Stored records met while reading that this version cannot read, by entry number.
        self.unreadable: dict[int, UnreadableRecord] = {}
        self._identity = _file_identity(path) if lock is not None else None
        #: Why nothing may be written (the disk is full), or empty.
        self.read_only_reason = ""
        #: The data key of an encrypted file (``None``: a clear file in open mode, or not yet encrypted).
        self.data_key: bytes | None = None
        #: The ward list last worked out or checked, with the newest record and patient it was made from.
        self._ward_memo: tuple[tuple[int, int], list[str]] | None = None

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
                raise StoreError(_sqlite_problem(path, sqlite3.OperationalError("readonly"), "it cannot be used"))
            if not existed:
                create_private_file(path)
            conn = _connect(path, key if (encrypted or not existed) else None)
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
            if not (existed and _disk_full(path)):
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
            conn = _connect(f"{path.resolve().as_uri()}?immutable=1", key, uri=True)
            store = cls(Database(conn, execute_plugins=False), path, lock, policy)
            store.data_key = key
            store.read_only_reason = disk_full_message(path)
            report = store.verify_chain_quick()
            if not report.ok and not accept_tampered:
                raise TamperedError(str(path), report)
        except sqlite3.Error as exc:
            lock.release()
            raise StoreError(_sqlite_problem(path, exc, "it cannot be read")) from None
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
            applied = [m.name for m in MIGRATIONS.applied(self._db)]
            foreign = existed and bool(self._db.table_names()) and not applied
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "readonly" in text or "full" in text:
                raise StoreError(_sqlite_problem(self.path, exc, "it cannot be used")) from None
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
            raise StoreError(_sqlite_problem(self.path, exc, "it cannot be used")) from None
        report = self.verify_chain_quick()
        if not report.ok:
            log.warning("audit chain broken: %d problem(s), kinds=%s", len(report.problems),
                        sorted({p.kind for p in report.problems}))
            if not accept_tampered:
                raise TamperedError(str(self.path), report)
        self.chain_report = report
        pending = MIGRATIONS.pending(self._db)
        if pending:
            if applied:
                self.make_backup(f"pre-{pending[0].name.replace('_', '-')}")
            try:
                MIGRATIONS.apply(self._db)
            except sqlite3.Error as exc:
                raise StoreError(_sqlite_problem(self.path, exc, "the database could not be prepared")) from None
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
            return _sqlite_problem(self.path, exc, "it cannot be used")
        log.error("store: the encrypted file does not open with its key")
        return (f"{self.path}: this encrypted database does not open with the key your PIN unlocked: it was changed "
                "by a program other than CRS Bedside, or it is damaged, or it is not the database of this key file. "
                "It has been left as it is; tell clinic IT and restore the latest backup (crs-bedside restore).")

    def _use_wal(self) -> None:
        conn = self._db.conn
        with self._db.ensure_autocommit_on():
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")

    # -- encryption -------------------------------------------------------------------------------------------------
    def encrypt(self, data_key: bytes, keys: KeyFile) -> None:
        """Turn this clear file into one encrypted under ``data_key`` (when it gets its first administrator, or at
        the first open by an admin of a clear file with accounts); ``keys`` already holds the wraps of the key.

        Steps, each safe to interrupt: a backup of the clear file (reason ``pre-encrypt``); an encrypted copy made
        beside it with ``sqlcipher_export`` and checked (SQLite's integrity check, the whole audit chain, the same
        number of rows in every table, the same chain head); the key file written (state ``encrypting``); the copy
        swapped in with an atomic rename, and the clear file's bytes overwritten with zeros through a handle held
        across the rename; then :meth:`finish_encryption`. A failure before the swap leaves the clear file as it
        was; after it, the next sign-in finishes the job.

        Raises:
            StoreError: the copy could not be made or did not check; the clear file is left as it was.
        """
        path = self.path
        self.make_backup("pre-encrypt")
        temp = path.with_name(f".{path.name}.encrypting")
        try:
            temp.unlink(missing_ok=True)
            _export_encrypted(self._db, temp, data_key)
            _check_same_content(self._db.conn, temp, data_key)
        except (OSError, sqlite3.Error, StoreError) as exc:
            temp.unlink(missing_ok=True)
            log.error("encryption failed before the swap: %s", type(exc).__name__)
            detail = exc if isinstance(exc, StoreError) else type(exc).__name__
            raise StoreError(f"{path}: the database could not be encrypted ({detail}); it was left as it was, in "
                             "clear, with a backup made first") from None
        keys.save()
        self._db.close()
        clear = os.open(path, os.O_RDWR)
        try:
            os.replace(temp, path)
            fsync_path(path.parent)
            _overwrite_with_zeros(clear)
        finally:
            os.close(clear)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        self._db = Database(_connect(path, data_key), execute_plugins=False)
        self.data_key = data_key
        if self._identity is not None:
            self._identity = _file_identity(path)   # this program swapped the file in itself
        self._use_wal()
        log.info("database encrypted")
        self.finish_encryption(keys)

    def finish_encryption(self, keys: KeyFile) -> None:
        """Encrypt every clear backup of this (encrypted) file the same way (copy, check, swap, zeros over the clear
        bytes), then mark the key file ``encrypted``: from then on a clear file in this place is refused."""
        if self.data_key is None:
            raise StoreError(f"{self.path}: the database is not encrypted")
        for item in list_backups(self.path, self.backup_policy):
            if is_encrypted_file(item.path):
                continue
            temp = item.path.with_name(f".{item.path.name}.encrypting")
            source = Database(_connect(item.path, None), execute_plugins=False)
            try:
                temp.unlink(missing_ok=True)
                _export_encrypted(source, temp, self.data_key)
                _check_same_content(source.conn, temp, self.data_key)
            except (OSError, sqlite3.Error, StoreError) as exc:
                temp.unlink(missing_ok=True)
                self.warnings.append(f"{item.path}: this backup could not be encrypted ({exc}); it is still in clear")
                log.warning("a backup could not be encrypted: %s", type(exc).__name__)
                continue
            finally:
                source.close()
            clear = os.open(item.path, os.O_RDWR)
            try:
                os.replace(temp, item.path)
                _overwrite_with_zeros(clear)
            finally:
                os.close(clear)
        fsync_path(self.backup_policy.folder_for(self.path))
        keys.mark_encrypted(self.data_key)

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
        conn = _connect(self.path, self.data_key)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        reader = Store(Database(conn, execute_plugins=False), self.path, None, self.backup_policy)
        reader.chain_report = self.chain_report
        reader.data_key = self.data_key
        return reader

    @property
    def encrypted(self) -> bool:
        """True for a file encrypted under its data key (a database with accounts); ``False`` in open mode."""
        return self.data_key is not None

    def cipher_version(self) -> str:
        """The SQLCipher library's version (``PRAGMA cipher_version``): the self-test shows the build has it."""
        return str(self._db.execute("PRAGMA cipher_version").fetchone()[0])

    @property
    def schema_version(self) -> int:
        """How many schema migrations this file has had."""
        return len(MIGRATIONS.applied(self._db))

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

    # -- backups ------------------------------------------------------------------------------------------------
    def backup(self, target: str | Path) -> Path:
        """Copy the whole database, consistently, to ``target`` with SQLite's backup API (a self-contained file)."""
        target = Path(target)
        _backup_connection(self._db.conn, target, self.data_key)
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
            _backup_connection(self._db.conn, partial, self.data_key)
            os.replace(partial, target)
            fsync_path(folder)
            if reason != "tampered":   # the check at open then need not open the backup to read its chain head
                note_newest_backup_head(self.path, self.backup_policy, target, _read_head(target, self.data_key),
                                        self._seal_key("newest-backup-head"))
            if prune:   # only after a sign-in (the services and the window call this; the open does not prune)
                policy = self.backup_policy if keep is None else BackupPolicy(keep, self.backup_policy.folder,
                                                                             self.backup_policy.at_open)
                prune_backups(self.path, policy)
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):  # nothing was made there (e.g. the folder itself could not be made)
                partial.unlink(missing_ok=True)
            message = _sqlite_problem(self.path, exc, "the backup was not made") if isinstance(exc, sqlite3.Error) \
                else disk_full_message(self.path).replace("nothing was written", "the backup was not made") \
                if exc.errno == errno.ENOSPC \
                else f"{folder}: the backup was not made ({exc.strerror or exc}); the database is unchanged"
            raise StoreError(message) from None
        log.info("backup made reason=%s", reason)
        return target

    def _chain_head(self) -> tuple[int, str] | None:
        return _chain_head(self._db.conn)

    def _changed_since_last_backup(self) -> bool:
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        head = self._chain_head()
        if not newest:
            return head is not None
        return self._backup_head(newest[-1]) != head

    def _seal_key(self, purpose: str) -> bytes:
        """The key that seals what this file keeps outside its records (ward list, fold snapshots, the note of the
        newest backup's head): derived from the data key; empty for a clear file, which nothing protects."""
        return _derived_key(self.data_key, purpose) if self.data_key is not None else b""

    def _backup_head(self, newest: BackupFile) -> tuple[int, str] | None:
        """The newest backup's chain head: as noted when it was made (core/backup.py), else read from the backup."""
        noted = noted_backup_head(self.path, self.backup_policy, newest, self._seal_key("newest-backup-head"))
        return noted if noted is not None else _read_head(newest.path, self.data_key)

    def _backup_anchor_problems(self) -> list[ChainProblem]:
        """The newest trusted backup's chain head must still be in the file (catches removed newest rows)."""
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        if not newest:
            return []
        head = _read_head(newest[-1].path, self.data_key)
        if head is None:
            if self.data_key is None or _opens_with(newest[-1].path, self.data_key):
                return []
            return [ChainProblem("backup", newest[-1].path.name,
                                 f"the newest backup ({newest[-1].taken_at:%Y-%m-%d %H:%M} UTC) does not open with "
                                 "this database's key: it was not made by CRS Bedside from this file")]
        row = self._db.execute("SELECT hash FROM chain WHERE pos = ?", [head[0]]).fetchone()
        if row is not None and row[0] == head[1]:
            return []
        return [ChainProblem("backup", newest[-1].path.name,
                             f"entries present in the backup of {newest[-1].taken_at:%Y-%m-%d %H:%M} UTC are "
                             f"missing or different here (audit entry {head[0]})")]

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound file."""
        return str(self._db.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- audit chain --------------------------------------------------------------------------------------------
    def verify_chain_quick(self) -> ChainReport:
        """The check made at every open: the protecting triggers, one chain entry for every row (counts), the newest
        trusted backup's chain head still in the file, and every entry written since that backup recomputed.

        Rows written before the newest backup are covered by :meth:`verify_chain` (the ``verify`` command, and the
        full check the window starts in the background). Falls back to the full check when there is no backup to
        anchor on, or when anything here does not add up, so that problems are always pinpointed.
        """
        if "chain" not in set(self._db.table_names()):
            return ChainReport(0)
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        anchor = self._backup_head(newest[-1]) if newest else None
        if anchor is None:
            return self.verify_chain()
        triggers = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        stored_anchor = self._db.execute("SELECT hash FROM chain WHERE pos = ?", [anchor[0]]).fetchone()
        if any(name not in triggers for name in PROTECTING_TRIGGERS) or not self._every_row_chained() \
                or stored_anchor is None or stored_anchor[0] != anchor[1]:
            return self.verify_chain()
        previous, checked = anchor[1], 0
        for _pos, kind, ref, stored in self._db.execute(
                "SELECT pos, kind, ref, hash FROM chain WHERE pos > ? ORDER BY pos", [anchor[0]]).fetchall():
            checked += 1
            row = self._db.execute(f"{_CHAIN_SOURCES[kind]} WHERE {_CHAIN_KEYS[kind]} = ?", [ref]).fetchone() \
                if kind in _CHAIN_SOURCES else None
            if row is None or chain_hash(previous, kind, row[1:]) != stored:
                return self.verify_chain()
            previous = stored
        return ChainReport(checked)

    def _every_row_chained(self) -> bool:
        """One chain entry for every row, in time independent of the file's size (the quick check runs at every
        open): with the no-delete triggers in place rows are only ever added, and records are numbered in order, so
        the newest record must be the newest chained one; patients and accounts are few and counted."""
        newest = self._db.execute("SELECT max(seq) FROM records").fetchone()[0]
        chained = self._db.execute(   # "+kind": walk back from the newest entry, not through the kind index
            "SELECT ref FROM chain WHERE +kind = 'record' ORDER BY pos DESC LIMIT 1").fetchone()
        if (str(newest) if newest is not None else None) != (chained[0] if chained else None):
            return False
        for kind in ("patient", "user", "auth") if self._auth_chained() else ("patient", "user"):
            rows = self._db.execute(f"SELECT count(*) FROM {_CHAIN_TABLES[kind]}").fetchone()[0]
            entries = self._db.execute("SELECT count(*) FROM chain WHERE kind = ?", [kind]).fetchone()[0]
            if rows != entries:
                return False
        return True

    def verify_chain(self, *, against_backups: bool = True) -> ChainReport:
        """Recompute the hash chain over every row and compare (core/audit.py); never changes the file."""
        tables = set(self._db.table_names())
        if "chain" not in tables:
            return ChainReport(0)
        problems: list[ChainProblem] = []
        triggers = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for name in PROTECTING_TRIGGERS:
            if name not in triggers:
                problems.append(ChainProblem("schema", name, f"the append-only protection {name} was removed"))
        contents = {kind: {str(row[0]): row[1:] for row in self._db.execute(sql)}
                    for kind, sql in _CHAIN_SOURCES.items() if kind != "auth" or self._auth_chained()}
        previous, expected_pos, checked = GENESIS, 1, 0
        for pos, kind, ref, stored in self._db.execute("SELECT pos, kind, ref, hash FROM chain ORDER BY pos"):
            checked += 1
            if pos != expected_pos:
                gap = f"entry {expected_pos} was" if pos - 1 == expected_pos else \
                    f"entries {expected_pos}–{pos - 1} were"
                problems.append(ChainProblem("chain", str(expected_pos), f"audit {gap} removed"))
            expected_pos = pos + 1
            content = contents.get(kind, {}).pop(ref, None)
            if content is None:
                problems.append(ChainProblem(kind, ref, f"{_describe_row(kind, ref, None)} was removed"))
            elif chain_hash(previous, kind, content) != stored:
                problems.append(ChainProblem(
                    kind, ref, f"{_describe_row(kind, ref, content)} does not match what was written (it, or the "
                    "entry before it, was changed or removed)"))
            previous = stored
        for kind, left in contents.items():
            for ref, content in left.items():
                problems.append(ChainProblem(kind, ref, f"{_describe_row(kind, ref, content)} was added outside "
                                                        "CRS Bedside"))
        if against_backups:
            problems.extend(self._backup_anchor_problems())
        return ChainReport(checked, tuple(problems))

    def _auth_chained(self) -> bool:
        """Sign-in events are chained from schema 5 on; an earlier file has its events chained by the migration."""
        return "0006_chain_auth_events" in {m.name for m in MIGRATIONS.applied(self._db)}

    def _chain(self, kind: str, ref: str | int) -> None:
        """Add the chain entry of a row just written (inside the caller's transaction)."""
        head = self._chain_head()
        row = self._db.execute(f"{_CHAIN_SOURCES[kind]} WHERE {_CHAIN_KEYS[kind]} = ?", [ref]).fetchone()
        digest = chain_hash(head[1] if head else GENESIS, kind, row[1:])
        self._db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", [kind, str(ref), digest])

    def check_same_file(self) -> None:
        """Before every write: the file at :attr:`path` is still the one opened (same device and inode).

        Raises:
            StoreError: the file was deleted or replaced while open; nothing is written into the void.
        """
        if self.read_only_reason:
            raise StoreError(self.read_only_reason)
        if self._identity is not None and _file_identity(self.path) != self._identity:
            log.error("database file deleted or replaced while open")
            raise StoreError(
                f"{self.path}: the database file was deleted or replaced while CRS Bedside had it open, so nothing "
                "was written. Close CRS Bedside and open it again; if the file is gone, restore the newest backup "
                "(crs-bedside restore) or call clinic IT.")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user intent = one transaction: everything inside commits together or not at all."""
        self.check_same_file()
        try:
            with self._db.atomic():
                yield
        except sqlite3.Error as exc:
            raise StoreError(_sqlite_problem(self.path, exc, "nothing was written")) from None

    # -- accounts -----------------------------------------------------------------------------------------------
    def has_users(self) -> bool:
        """True once any account exists (from then on, every command must sign in)."""
        return self._db.execute("SELECT 1 FROM user_versions LIMIT 1").fetchone() is not None

    def users(self) -> list[UserRow]:
        """The current version of every account, by user name."""
        rows = self._db.execute(
            "SELECT * FROM user_versions WHERE pos IN (SELECT max(pos) FROM user_versions GROUP BY username)"
            " ORDER BY username").fetchall()
        return [_user_row(row) for row in rows]

    def user(self, username: str) -> UserRow | None:
        """The current version of one account, or ``None``."""
        row = self._db.execute(
            "SELECT * FROM user_versions WHERE username = ? ORDER BY pos DESC LIMIT 1", [username]).fetchone()
        return _user_row(row) if row else None

    def user_history(self, username: str) -> list[UserRow]:
        """Every version of one account, oldest first (who changed what, when)."""
        rows = self._db.execute("SELECT * FROM user_versions WHERE username = ? ORDER BY pos", [username]).fetchall()
        return [_user_row(row) for row in rows]

    def add_user_version(self, *, username: str, display_name: str, roles: list[str], active: bool,
                         kdf: dict[str, object], pin_hash: str, now: datetime, changed_by: str | None) -> None:
        """Append a new version of an account (accounts are never edited in place), chained for audit."""
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO user_versions (username, display_name, roles, active, kdf, pin_hash, changed_at,"
                " changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [username, display_name, json.dumps(sorted(roles)), int(active), json.dumps(kdf, sort_keys=True),
                 pin_hash, utc_text(now), changed_by])
            assert cursor.lastrowid is not None  # the row the INSERT just made
            self._chain("user", cursor.lastrowid)

    def add_auth_event(self, username: str, outcome: str, now: datetime) -> None:
        """Record a sign-in attempt (``ok``, ``bad_pin``, ``unknown_user``, ``inactive``, ``locked``)."""
        with self.transaction():
            cursor = self._db.execute("INSERT INTO auth_events (username, at, outcome) VALUES (?, ?, ?)",
                                      [username, utc_text(now), outcome])
            assert cursor.lastrowid is not None  # the row the INSERT just made
            self._chain("auth", cursor.lastrowid)

    def auth_outcomes(self, username: str, since: datetime) -> list[str]:
        """Sign-in outcomes of one user name since a time, newest first."""
        rows = self._db.execute("SELECT outcome FROM auth_events WHERE username = ? AND at >= ? ORDER BY pos DESC",
                                [username, utc_text(since)]).fetchall()
        return [row[0] for row in rows]

    def auth_events(self, limit: int = 200) -> list[tuple[str, datetime, str]]:
        """The newest sign-in attempts: (user name, when, outcome), newest first."""
        rows = self._db.execute("SELECT username, at, outcome FROM auth_events ORDER BY pos DESC LIMIT ?",
                                [limit]).fetchall()
        return [(name, _parse_utc(at), outcome) for name, at, outcome in rows]

    # -- audit view ---------------------------------------------------------------------------------------------
    def audit_rows(self, mrn: str) -> list[AuditRow]:
        """A patient's records as stored, in order of entry (for core.audit.audit_trail)."""
        cursor = self._db.execute(
            "SELECT seq, id, type, occurred_at, recorded_at, recorded_by, supersedes, payload FROM records"
            " WHERE mrn = ? ORDER BY seq", [mrn])
        return [AuditRow(seq=seq, id=record_id, type=kind, occurred_at=occurred_at, recorded_at=recorded_at,
                         recorded_by=recorded_by, supersedes=supersedes, payload=payload)
                for seq, record_id, kind, occurred_at, recorded_at, recorded_by, supersedes, payload
                in cursor.fetchall()]

    # -- patients -----------------------------------------------------------------------------------------------
    def patients(self) -> list[Patient]:
        """Every patient, in bed order."""
        rows = self._db.execute("SELECT payload, mrn FROM patients ORDER BY mrn").fetchall()
        patients = [p for p in (self._read_patient(*row) for row in rows) if p is not None]
        return sorted(patients, key=lambda p: (p.ward or "", _bed_key(p.bed), p.mrn))

    def has_demo_patients(self) -> bool:
        """True when the file holds a synthetic demo patient (a demo database: the window says DEMO everywhere)."""
        return self._db.execute(
            "SELECT 1 FROM patients WHERE json_extract(payload, '$.demo') = 1 LIMIT 1").fetchone() is not None

    def ward_patients(self) -> list[Patient]:
        """The patients on the ward, in bed order: every patient but those whose latest clinical record is a
        discharge (a correction of the discharge, or any later record but a note, brings them back).

        Working that out from the records looks at every patient ever discharged, which grows with the years, so
        the list is kept (in memory, and sealed in the ``ward_list`` table for the next start) with the newest
        record and patient it was made from. A kept list whose seal holds serves as long as nothing added since
        could change it: no new patient, and only records of patients on it that are neither a discharge nor a
        correction (:meth:`_still_the_ward`). Anything else, and it is worked out afresh from the records."""
        anchor = self._ward_list_anchor()
        kept = self._ward_memo or self._kept_ward_list()
        if kept is not None and self._still_the_ward(kept, anchor):
            mrns = kept[1]
        else:
            mrns = [row[0] for row in self._db.execute(
                """SELECT p.mrn FROM patients p WHERE NOT EXISTS (
                       SELECT 1 FROM records d
                       WHERE d.type = 'discharged' AND d.mrn = p.mrn
                         AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = d.id)
                         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.mrn = p.mrn AND r.occurred_at > d.occurred_at
                                         AND r.type NOT IN ('entered_in_error', 'note', 'discharged')))
                   ORDER BY p.mrn""").fetchall()]
            self._keep_ward_list(anchor, mrns)
        self._ward_memo = (anchor, mrns)
        rows = self._db.execute("SELECT payload, mrn FROM patients WHERE mrn IN (SELECT value FROM json_each(?))",
                                [json.dumps(mrns)]).fetchall()
        patients = [p for p in (self._read_patient(*row) for row in rows) if p is not None]
        return sorted(patients, key=lambda p: (p.ward or "", _bed_key(p.bed), p.mrn))

    def _ward_list_anchor(self) -> tuple[int, int]:
        """What a ward list is made from: the newest record's entry number and the newest patient's row (both tables
        only grow: their triggers refuse UPDATE and DELETE)."""
        last_seq = self._db.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0]
        last_patient = self._db.execute("SELECT coalesce(max(rowid), 0) FROM patients").fetchone()[0]
        return int(last_seq), int(last_patient)

    def _still_the_ward(self, kept: tuple[tuple[int, int], list[str]], anchor: tuple[int, int]) -> bool:
        """True when the records and patients added since ``kept`` was made cannot have changed who is on the ward:
        no new patient, and every new record is of a patient on the list, neither a discharge nor a correction."""
        (kept_seq, kept_patient), mrns = kept
        if kept_patient != anchor[1] or kept_seq > anchor[0]:
            return False
        if kept_seq == anchor[0]:
            return True
        changing = self._db.execute(
            "SELECT 1 FROM records WHERE seq > ? AND (type IN ('discharged', 'entered_in_error') "
            "OR supersedes IS NOT NULL OR mrn NOT IN (SELECT value FROM json_each(?))) LIMIT 1",
            [kept_seq, json.dumps(mrns)]).fetchone()
        return changing is None

    def _ward_list_seal(self, anchor: tuple[int, int], mrns_text: str) -> str:
        """HMAC-SHA256 (a key derived from the data key; a plain checksum on a clear file, like the fold snapshots')
        of a kept ward list, what it was made from and the chain hash of that newest record."""
        head = self._db.execute("SELECT hash FROM chain WHERE kind = 'record' AND ref = ?", [str(anchor[0])]).fetchone()
        secret = self._seal_key("ward-list")
        body = json.dumps([*anchor, head[0] if head else GENESIS, mrns_text], separators=(",", ":"))
        return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def _kept_ward_list(self) -> tuple[tuple[int, int], list[str]] | None:
        """The ward list kept in the file, with what it was made from, when its seal holds; else ``None``."""
        row = self._db.execute("SELECT last_seq, last_patient, mrns, seal FROM ward_list WHERE one = 1").fetchone()
        if row is None:
            return None
        anchor = (int(row[0]), int(row[1]))
        if not hmac.compare_digest(str(row[3]), self._ward_list_seal(anchor, str(row[2]))):
            log.warning("kept ward list does not match its seal: discarded, worked out from the records")
            return None
        return anchor, [str(mrn) for mrn in json.loads(row[2])]

    def _keep_ward_list(self, anchor: tuple[int, int], mrns: list[str]) -> None:
        """Keep a ward list in the file (derived state; best effort, like :meth:`save_fold_snapshot`: a read-only,
        busy or full file just works it out again next time)."""
        mrns_text = json.dumps(mrns)
        try:
            self.check_same_file()
            with self._db.atomic():
                self._db.execute(
                    "INSERT INTO ward_list (one, last_seq, last_patient, mrns, seal) VALUES (1, ?, ?, ?, ?) "
                    "ON CONFLICT(one) DO UPDATE SET last_seq = excluded.last_seq, "
                    "last_patient = excluded.last_patient, mrns = excluded.mrns, seal = excluded.seal",
                    [*anchor, mrns_text, self._ward_list_seal(anchor, mrns_text)])
        except (sqlite3.Error, StoreError):
            pass

    def patient(self, mrn: str) -> Patient | None:
        """One patient by MRN, or ``None``."""
        row = self._db.execute("SELECT payload, mrn FROM patients WHERE mrn = ?", [mrn]).fetchone()
        return self._read_patient(*row) if row else None

    def _read_patient(self, payload: str, mrn: str) -> Patient | None:
        try:
            return Patient.model_validate_json(payload, context=STORED)
        except ValueError as exc:   # pydantic's ValidationError is a ValueError
            log.error("stored patient cannot be read: %s", type(exc).__name__)
            self.warnings.append(f"patient {mrn} cannot be read: call clinic IT")
            return None

    def _read_record(self, seq: int, kind: str, recorded_at: str, by: str | None, payload: str, record_id: str,
                     mrn: str) -> StoredRecord | None:
        """A stored record, or ``None`` (noted in :attr:`unreadable`) when this version cannot read it."""
        try:
            return StoredRecord(RECORD_MODELS[kind].model_validate_json(payload, context=STORED), seq,
                                _parse_utc(recorded_at), by)
        except (KeyError, ValueError) as exc:   # an unknown type; pydantic's ValidationError is a ValueError
            log.error("stored record cannot be read seq=%s type=%s: %s", seq, kind, type(exc).__name__)
            self.unreadable[seq] = UnreadableRecord(seq, record_id, mrn, kind, type(exc).__name__)
            return None

    def _read_records(self, rows: Iterable[tuple[Any, ...]]) -> list[StoredRecord]:
        return [r for r in (self._read_record(*row) for row in rows) if r is not None]

    def unreadable_records(self) -> list[UnreadableRecord]:
        """Every stored record this version cannot read (the ``verify`` command; reads the whole file)."""
        for row in self._db.execute(
                "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records ORDER BY seq"):
            self._read_record(*row)
        return [self.unreadable[seq] for seq in sorted(self.unreadable)]

    # -- records ------------------------------------------------------------------------------------------------
    def records(self, mrn: str, *, since: datetime | None = None, until: datetime | None = None,
                kinds: tuple[str, ...] | None = None) -> list[StoredRecord]:
        """A patient's records in time order (then order of entry), optionally within ``[since, until]`` and of
        the record types ``kinds`` only."""
        sql = "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE mrn = ?"
        params: list[object] = [mrn]
        if kinds is not None:
            sql += f" AND type IN ({', '.join('?' for _ in kinds)})"
            params.extend(kinds)
        if since is not None:
            sql += " AND occurred_at >= ?"
            params.append(utc_text(since))
        if until is not None:
            sql += " AND occurred_at <= ?"
            params.append(utc_text(until))
        sql += " ORDER BY occurred_at, seq"
        return self._read_records(self._db.execute(sql, params).fetchall())

    def records_after(self, mrn: str, seq: int) -> list[StoredRecord]:
        """A patient's records entered after entry number ``seq``, in time order (for keeping a fold up to date)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE seq > ? AND mrn = ? "
               "ORDER BY occurred_at, seq")
        return self._read_records(self._db.execute(sql, [seq, mrn]).fetchall())

    def has_records_after(self, mrn: str, at: datetime) -> bool:
        """Whether any record of the patient happened after ``at`` (a correction included)."""
        return self._db.execute("SELECT 1 FROM records WHERE mrn = ? AND occurred_at > ? LIMIT 1",
                                [mrn, utc_text(at)]).fetchone() is not None

    def fold_snapshot(self, mrn: str) -> tuple[int, str, str] | None:
        """The stored fold snapshot of a patient, checked against the records it covers: (last entry number, key,
        payload), or ``None``.

        A snapshot is sealed when written (:meth:`_snapshot_seal`) over the patient, the entry number it reaches, how
        many of the patient's records it covers, the chain hash of its last record, its key and its payload. One that
        does not match what the records say now (a snapshot edited, or records behind it removed or slipped in) is
        deleted and ``None`` returned, so the caller folds afresh from the records; it is never used.
        """
        row = self._db.execute("SELECT last_seq, key, payload FROM fold_snapshots WHERE mrn = ?", [mrn]).fetchone()
        if row is None:
            return None
        last_seq, sealed_key, payload = row
        key, _, seal = str(sealed_key).rpartition("#")
        if not hmac.compare_digest(seal, self._snapshot_seal(mrn, int(last_seq), key, str(payload))):
            log.warning("fold snapshot does not match its records: discarded, folding afresh")
            try:
                with self._db.atomic():
                    self._db.execute("DELETE FROM fold_snapshots WHERE mrn = ?", [mrn])
            except sqlite3.Error:
                pass  # a read-only file keeps the bad snapshot, which is refused again next time
            return None
        return (last_seq, key, payload)

    def _snapshot_seal(self, mrn: str, last_seq: int, key: str, payload: str) -> str:
        """HMAC-SHA256 (under a key derived from the data key; a plain checksum on a clear file) binding a snapshot to
        the records it covers: their count and the chain hash of the last one."""
        count = self._db.execute("SELECT count(*) FROM records WHERE mrn = ? AND seq <= ?",
                                 [mrn, last_seq]).fetchone()[0]
        head = self._db.execute("SELECT hash FROM chain WHERE kind = 'record' AND ref = ?", [str(last_seq)]).fetchone()
        secret = self._seal_key("fold-snapshot")
        body = json.dumps([mrn, last_seq, count, head[0] if head else GENESIS, key, payload], separators=(",", ":"))
        return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def save_fold_snapshot(self, mrn: str, last_seq: int, key: str, payload: str) -> bool:
        """Keep a fold snapshot (derived state). Best effort: ``False`` when the file cannot be written now (read-only,
        busy, full, or no longer the file opened); the snapshot is only a shortcut and nothing depends on it."""
        try:
            self.check_same_file()
            with self._db.atomic():
                self._db.execute(
                    "INSERT INTO fold_snapshots (mrn, last_seq, key, payload) VALUES (?, ?, ?, ?) ON CONFLICT(mrn) "
                    "DO UPDATE SET last_seq = excluded.last_seq, key = excluded.key, payload = excluded.payload",
                    [mrn, last_seq, f"{key}#{self._snapshot_seal(mrn, last_seq, key, payload)}", payload])
        except (sqlite3.Error, StoreError):
            return False
        return True

    def newest_record_time(self) -> datetime | None:
        """When the newest record happened (by ``at``), over every patient; each patient's newest through the index."""
        row = self._db.execute(
            "SELECT max((SELECT max(occurred_at) FROM records r WHERE r.mrn = p.mrn)) FROM patients p").fetchone()
        return _parse_utc(row[0]) if row and row[0] else None

    def record_count(self) -> int:
        """How many records the file holds."""
        return int(self._db.execute("SELECT count(*) FROM records").fetchone()[0])

    def append(
        self, patients: Iterable[Patient], records: Iterable[RecordBase], *, recorded_by: str | None,
        now: datetime, prefixes: tuple[str, str] = ("patients", "records"),
    ) -> AppendResult:
        """Append patients and records in one transaction; everything or nothing is written.

        A patient or record already stored with identical content is skipped (re-importing a file adds nothing);
        one stored with different content is an error. ``recorded_by`` (the signed-in account) is stamped on every
        new record; a record's own ``by`` is used only when no account is given.

        Raises:
            InputError: naming ``patients[i]`` / ``records[i]`` and the reason; nothing is written.
        """
        self.check_same_file()
        patients = list(patients)
        records = list(records)
        recorded_at = utc_text(now)
        added_patients = added_records = already = 0
        written: list[tuple[int, str, str]] = []
        try:
            with self._db.atomic():
                for index, patient in enumerate(patients):
                    payload = patient.model_dump_json(exclude_none=True)
                    row = self._db.execute("SELECT payload FROM patients WHERE mrn = ?", [patient.mrn]).fetchone()
                    if row is None:
                        self._db.execute(
                            "INSERT INTO patients (mrn, payload, created_at) VALUES (?, ?, ?)",
                            [patient.mrn, payload, recorded_at])
                        self._chain("patient", patient.mrn)
                        added_patients += 1
                    elif self._read_patient(row[0], patient.mrn) != patient:
                        raise InputError(
                            f"{prefixes[0]}[{index}].mrn: {patient.mrn} is already on the ward with different details",
                            "mrn")
                for index, record in enumerate(records):
                    payload = _record_payload(record)
                    row = self._db.execute(
                        "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE id = ?",
                        [str(record.id)]).fetchone()
                    if row is not None:
                        stored = self._read_record(*row)
                        if stored is None or stored.record != record:
                            raise InputError(
                                f"{prefixes[1]}[{index}].id: {record.id} is already stored with different content",
                                "id")
                        already += 1
                        continue
                    if self._db.execute("SELECT 1 FROM patients WHERE mrn = ?", [record.mrn]).fetchone() is None:
                        raise InputError(f"{prefixes[1]}[{index}].mrn: {record.mrn} is not a known patient", "mrn")
                    supersedes = str(getattr(record, "target_id", "") or "") or None
                    cursor = self._db.execute(
                        "INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, "
                        "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [str(record.id), record.mrn, record.type, utc_text(record.at), recorded_at,
                         recorded_by or record.by, supersedes, payload])
                    assert cursor.lastrowid is not None  # the row the INSERT just made
                    self._chain("record", cursor.lastrowid)
                    written.append((cursor.lastrowid, str(record.id), record.type))
                    added_records += 1
        except sqlite3.Error as exc:
            log.error("append failed: %s", type(exc).__name__)
            raise StoreError(_sqlite_problem(self.path, exc, "nothing was written")) from None
        for seq, record_id, kind in written:
            log.info("record appended seq=%s id=%s type=%s", seq, record_id, kind)
        return AppendResult(added_patients, added_records, already)

    def record_by_id(self, record_id: str) -> StoredRecord | None:
        """One record by its id, or ``None``."""
        row = self._db.execute(
            "SELECT seq, type, recorded_at, recorded_by, payload, id, mrn FROM records WHERE id = ?",
            [record_id]).fetchone()
        return self._read_record(*row) if row is not None else None

    # -- the FHIR push's outbox (core/fhir/push.py) ----------------------------------------------------------------
    def fhir_cursor(self, server: str) -> int:
        """The entry number up to which ``server`` acknowledged every record (0: nothing yet)."""
        row = self._db.execute("SELECT max(last_seq) FROM fhir_acknowledged WHERE server = ?", [server]).fetchone()
        return int(row[0] or 0)

    def fhir_acknowledge(self, server: str, last_seq: int, records: int, resources: int, now: datetime) -> None:
        """Note that ``server`` acknowledged every record up to entry ``last_seq`` (one transaction, synced)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO fhir_acknowledged (server, last_seq, records, resources, acknowledged_at) "
                "VALUES (?, ?, ?, ?, ?)", [server, last_seq, records, resources, utc_text(now)])

    def records_entered_after(self, seq: int, limit: int) -> list[StoredRecord]:
        """Up to ``limit`` records entered after entry number ``seq``, in order of entry (the append-only log)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE seq > ? ORDER BY seq "
               "LIMIT ?")
        return [
            StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq_, _parse_utc(recorded_at), by)
            for seq_, kind, recorded_at, by, payload in self._db.execute(sql, [seq, limit]).fetchall()
        ]

    def records_entered_count(self, seq: int) -> int:
        """How many records were entered after entry number ``seq``."""
        return int(self._db.execute("SELECT count(*) FROM records WHERE seq > ?", [seq]).fetchone()[0])

    # -- merging between laptops (core/merge.py) -----------------------------------------------------------------
    def laptop_name(self, default: str) -> str:
        """This file's laptop name (set once, the first time it is asked for, to ``default``)."""
        row = self._db.execute("SELECT name FROM laptop ORDER BY rowid DESC LIMIT 1").fetchone()
        if row is not None:
            return str(row[0])
        with self.transaction():
            self._db.execute("INSERT INTO laptop (name, named_at) VALUES (?, ?)",
                             [default, utc_text(datetime.now(UTC))])
        return default

    def existing_record_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these record ids the file already holds."""
        ids = list(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(f"SELECT id FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def patient_updates(self, mrn: str) -> list[StoredRecord]:
        """A patient's ``patient_updated`` records and the corrections of records of the patient (settling
        differences needs no more)."""
        sql = ("SELECT seq, type, recorded_at, recorded_by, payload FROM records WHERE mrn = ? "
               "AND type IN ('patient_updated', 'entered_in_error') ORDER BY seq")
        return [
            StoredRecord(RECORD_MODELS[kind].model_validate_json(payload), seq_, _parse_utc(recorded_at), by)
            for seq_, kind, recorded_at, by, payload in self._db.execute(sql, [mrn]).fetchall()
        ]

    def add_origins(self, origins: Iterable[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        """Where merged records were entered: (record id, laptop, entered at, entered by, arrived from); inside the
        caller's transaction. A record already described keeps its first description."""
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO record_origins (record_id, laptop, entered_at, entered_by, arrived_from) "
            "VALUES (?, ?, ?, ?, ?)", list(origins))

    def origins(self) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
        """Every merged record's origin: id -> (laptop, entered at, entered by, arrived from)."""
        rows = self._db.execute("SELECT record_id, laptop, entered_at, entered_by, arrived_from FROM record_origins")
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}

    def add_conflict(self, mrn: str, field: str, here: str, there: str, source: str, now: datetime,
                     by: str | None) -> bool:
        """Keep a patient difference no record explains (inside the caller's transaction); ``False`` when the same
        difference is already kept."""
        if self._db.execute("SELECT 1 FROM patient_conflicts WHERE mrn = ? AND field = ? AND there = ?",
                            [mrn, field, there]).fetchone():
            return False
        self._db.execute(
            "INSERT INTO patient_conflicts (mrn, field, here, there, source, found_at, found_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [mrn, field, here, there, source, utc_text(now), by])
        return True

    def conflicts(self, mrn: str | None = None) -> list[ConflictRow]:
        """Kept patient differences (every one; core/merge.py says which are settled), oldest first."""
        sql = "SELECT pos, mrn, field, here, there, source, found_at, found_by FROM patient_conflicts"
        cursor = self._db.execute(sql + (" WHERE mrn = ? ORDER BY pos" if mrn else " ORDER BY pos"),
                                  [mrn] if mrn else [])
        return [ConflictRow(pos=pos, mrn=row_mrn, field=field, here=here, there=there, source=source,
                            found_at=found_at, found_by=found_by)
                for pos, row_mrn, field, here, there, source, found_at, found_by in cursor.fetchall()]

    def export(self) -> dict[str, object]:
        """Everything in the file in the import format (``crs-bedside/1``)."""
        patients = [json.loads(p.model_dump_json(exclude_none=True)) for p in self.patients()]
        rows = self._db.execute("SELECT payload FROM records ORDER BY occurred_at, seq").fetchall()
        return {"format": "crs-bedside/1", "patients": patients, "records": [json.loads(r[0]) for r in rows]}

    def entry_origins(self, laptop: str) -> list[dict[str, object]]:
        """Where each record was entered, for an export that another laptop merges: the origin a merged record
        arrived with, else this laptop, its entry time and who entered it."""
        rows = self._db.execute(
            "SELECT r.id, coalesce(o.laptop, ?), coalesce(o.entered_at, r.recorded_at), "
            "coalesce(o.entered_by, r.recorded_by) FROM records r LEFT JOIN record_origins o ON o.record_id = r.id "
            "ORDER BY r.seq", [laptop]).fetchall()
        return [{"id": row[0], "laptop": row[1], "entered_at": row[2], "entered_by": row[3]} for row in rows]


def _disk_full(path: Path) -> bool:
    """Too little room left beside the database for SQLite to open it for writing (its journal and index files)."""
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


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


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of a file (``None`` when it is gone)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _bed_key(bed: str | None) -> tuple[int, str]:
    """Beds sort as numbers where they are numbers (2 before 10)."""
    if bed is None:
        return (1 << 30, "")
    digits = "".join(ch for ch in bed if ch.isdigit())
    return (int(digits) if digits else 1 << 29, bed)


def _record_payload(record: RecordBase) -> str:
    """The stored JSON of a record: absent fields left out, except a patient detail a ``patient_updated`` record
    clears on purpose (an explicit null)."""
    payload = record.model_dump_json(exclude_none=True)
    cleared = [name for name, value in getattr(record, "changes", dict)().items() if value is None]
    if not cleared:
        return payload
    data = json.loads(payload)
    data.update(dict.fromkeys(cleared))
    return json.dumps(data, separators=(",", ":"))


#: The ward's bed order, for lists sorted outside the store (the ward after transfers).
bed_order = _bed_key


def _describe_row(kind: str, ref: str, content: tuple[object, ...] | None) -> str:
    """Staff-facing name of a chained row (record number, id and type; the MRN for a patient)."""
    if kind == "record":
        return f"record #{ref}" + (f" ({content[3]}, id {content[1]})" if content else "")
    if kind == "patient":
        return f"patient {ref}"
    if kind == "user":
        return f"account version #{ref}" + (f" ({content[1]})" if content else "")
    if kind == "auth":
        return f"sign-in event #{ref}" + (f" ({content[1]}, {content[3]})" if content else "")
    return f"{kind} {ref}"


def _user_row(row: tuple[Any, ...]) -> UserRow:
    pos, username, display_name, roles, active, kdf, pin_hash, changed_at, changed_by = row
    return {"pos": pos, "username": username, "display_name": display_name, "roles": json.loads(str(roles)),
            "active": bool(active), "kdf": json.loads(str(kdf)), "pin_hash": pin_hash,
            "changed_at": _parse_utc(str(changed_at)), "changed_by": changed_by}


def _chain_head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT pos, hash FROM chain ORDER BY pos DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


@functools.lru_cache(maxsize=8)
def _derived_key(data_key: bytes, purpose: str) -> bytes:
    """:func:`core.keys.derived_key`, worked out once per key and purpose (an HKDF at every seal cost the open)."""
    return derived_key(data_key, purpose)


def _read_head(path: Path, key: bytes | None = None) -> tuple[int, str] | None:
    """The chain head of a backup file, or ``None`` if it has no chain (or cannot be read, with ``key`` when the
    database is encrypted)."""
    if key is not None and not is_encrypted_file(path):
        return None   # a clear file beside an encrypted database was not made from it
    try:
        conn = _connect(path, key)
    except sqlite3.Error:
        return None
    try:
        return _chain_head(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _export_encrypted(source: Database, target: Path, key: bytes) -> None:
    """Write an encrypted copy of a clear database into a new file (SQLCipher's ``sqlcipher_export``, mode 0600)."""
    conn = source.conn
    create_private_file(target)
    with source.ensure_autocommit_on():
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {sqlcipher_key(key)}", [str(target)])
        try:
            for name, value in SQLCIPHER_SETTINGS:
                conn.execute(f"PRAGMA encrypted.{name} = {value}")
            conn.execute("SELECT sqlcipher_export('encrypted')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        finally:
            conn.execute("DETACH DATABASE encrypted")
    fsync_path(target)


def _check_same_content(source: sqlite3.Connection, copy: Path, key: bytes) -> None:
    """The encrypted copy opens with the key, passes SQLite's integrity check and the whole audit chain, and has the
    same rows in every table and the same chain head as the source.

    Raises:
        StoreError: naming what differs.
    """
    conn = _connect(copy, key)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise StoreError(f"the encrypted copy fails SQLite's integrity check ({integrity})")
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') ORDER BY name")]
        copied = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') ORDER BY name")]
        if tables != copied:
            raise StoreError("the encrypted copy does not have the same tables, indexes and triggers")
        for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            sql = f'SELECT * FROM "{name}" ORDER BY rowid'   # names come from the file's own schema
            digests = []
            for connection in (source, conn):
                digest = hashlib.sha256()
                for row in connection.execute(sql):
                    digest.update(repr(row).encode("utf-8"))
                digests.append(digest.digest())
            if digests[0] != digests[1]:
                raise StoreError(f"the encrypted copy does not hold the same rows of {name}")
        if _chain_head(source) != _chain_head(conn):
            raise StoreError("the encrypted copy does not end with the same audit entry")
        report = Store(Database(conn, execute_plugins=False), copy).verify_chain(against_backups=False)
        if not report.ok:
            raise StoreError(f"the encrypted copy's audit chain does not check ({report.problems[0].what})")
    finally:
        conn.close()


def _overwrite_with_zeros(fd: int) -> None:
    """Overwrite a file's bytes with zeros and flush (the clear copy of a file just encrypted; on SSDs and
    copy-on-write file systems old blocks may survive: full-disk encryption covers those, docs/INSTALL.md)."""
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * 65536
    written = 0
    while written < size:
        written += os.write(fd, block[:min(len(block), size - written)])
    os.fsync(fd)


def _opens_with(path: Path, key: bytes) -> bool:
    """True when an encrypted file opens with ``key`` (SQLCipher checks the first page's HMAC)."""
    if not is_encrypted_file(path):
        return False
    try:
        conn = _connect(path, key)
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _backup_connection(source: sqlite3.Connection, target: Path, key: bytes | None = None) -> None:
    """SQLite backup API copy into ``target`` (encrypted with ``key``, the source's own data key, when given; mode
    0600), switched to a rollback journal so the copy is one self-contained file, and flushed to disk."""
    if not target.exists():
        create_private_file(target)
    dest = _connect(target, key)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    fsync_path(target)


def copy_database(source: Path, target: Path, key: bytes | None = None) -> None:
    """Consistent copy of a database file (SQLite backup API) that is not open in this process; an encrypted source
    is read with ``key`` and copied encrypted with it.

    Raises:
        StoreError: the source cannot be read or the target cannot be written.
    """
    key = key if is_encrypted_file(source) else None
    try:
        conn = _connect(source, key)
    except sqlite3.Error as exc:
        raise StoreError(f"{source}: cannot read it ({exc})") from None
    try:
        _backup_connection(conn, target, key)
    except sqlite3.Error as exc:
        raise StoreError(_sqlite_problem(target, exc, "the copy was not made")) from None
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
        conn = _connect(path, key if encrypted else None)
    except sqlite3.Error as exc:
        return FileCheck(False, False, f"SQLite cannot open it ({exc})")
    try:
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return FileCheck(False, False, f"it is not a readable database ({exc})")
        if result != "ok":
            return FileCheck(False, False, f"it is damaged ({result})")
        store = Store(Database(conn, execute_plugins=False), path)
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
