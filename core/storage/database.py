"""The database file itself: connections (SQLCipher's SQLite, keyed before anything is read), the file modes, SQLite's
failures in plain words, and :class:`StoreFile`, the open file every job of the store works on.

``core/store.py`` combines the jobs (``core/storage/*.py``, each a subclass of :class:`StoreFile`) into
:class:`core.store.Store`; :class:`StoreFile` holds what they share: the connection, the check that the file is still
the one opened, one transaction per user intent, the connection's settings (WAL, ``synchronous=FULL``) and the
reading of stored rows into typed objects.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# SQLite as built into SQLCipher (sqlcipher3 ships it statically linked): the same DB-API as the standard library's
# sqlite3, and a clear file is an ordinary SQLite file. Every connection of the store goes through it.
from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from core.audit import ChainReport
from core.backup import BackupPolicy
from core.errors import StoreError
from core.keys import derived_key, key_path_for, sqlcipher_setup
from core.locking import DatabaseLock, disk_full_message
from core.records import RECORD_MODELS, STORED, Patient, StoredRecord
from core.storage.rows import UnreadableRecord
from core.storage.schema import MIGRATIONS

log = logging.getLogger("crs_bedside.store")
# Library practice: without a configured handler, warnings must not leak to stderr (core/logging_setup.py
# configures the real one); the command line prints its own one-line messages.
logging.getLogger("crs_bedside").addHandler(logging.NullHandler())
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


def connect(path: Path | str, key: bytes | None, *, timeout: float = 5.0, uri: bool = False) -> sqlite3.Connection:
    """A connection to a clear file (``key`` is ``None``) or to an encrypted one, keyed before anything is read."""
    conn = sqlite3.connect(str(path), timeout=timeout, uri=uri)
    if key is not None:
        for statement in sqlcipher_setup(key):
            conn.execute(statement)
    return conn


def create_private_file(path: Path) -> None:
    """Make an empty file readable and writable by its owner only (SQLite then gives its WAL and SHM the same mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))



def utc_text(dt: datetime) -> str:
    """A UTC instant as fixed-width ISO 8601 text, so that text order is time order."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)

def sqlite_problem(path: Path, exc: sqlite3.Error, what: str) -> str:
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

def disk_full(path: Path) -> bool:
    """Too little room left beside the database for SQLite to open it for writing (its journal and index files)."""
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False



def file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of a file (``None`` when it is gone)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)



def opens_with(path: Path, key: bytes) -> bool:
    """True when an encrypted file opens with ``key`` (SQLCipher checks the first page's HMAC)."""
    if not is_encrypted_file(path):
        return False
    try:
        conn = connect(path, key)
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()



@functools.lru_cache(maxsize=8)
def _derived_key(data_key: bytes, purpose: str) -> bytes:
    """:func:`core.keys.derived_key`, worked out once per key and purpose (an HKDF at every seal cost the open)."""
    return derived_key(data_key, purpose)


class StoreFile:
    """An open database file, as each job of the store works on it (:class:`core.store.Store` combines the jobs).

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
        self._applied: tuple[str, ...] | None = None
        self.warnings: list[str] = []
        #: Stored records met while reading that this version cannot read, by entry number.
        self.unreadable: dict[int, UnreadableRecord] = {}
        self._identity = file_identity(path) if lock is not None else None
        #: Why nothing may be written (the disk is full), or empty.
        self.read_only_reason = ""
        #: The data key of an encrypted file (``None``: a clear file in open mode, or not yet encrypted).
        self.data_key: bytes | None = None

    # -- the file and its transactions ---------------------------------------------------------------------------
    def check_same_file(self) -> None:
        """Before every write: the file at :attr:`path` is still the one opened (same device and inode).

        Raises:
            StoreError: the file was deleted or replaced while open; nothing is written into the void.
        """
        if self.read_only_reason:
            raise StoreError(self.read_only_reason)
        if self._identity is not None and file_identity(self.path) != self._identity:
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
            raise StoreError(sqlite_problem(self.path, exc, "nothing was written")) from None

    def _use_wal(self) -> None:
        conn = self._db.conn
        with self._db.ensure_autocommit_on():
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")

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
        return len(self.applied_migrations())

    def applied_migrations(self) -> tuple[str, ...]:
        """The names of the schema migrations this file has had: read once per connection (an open asks four times;
        the one-instance lock keeps another program from migrating it meanwhile), forgotten when more are applied."""
        if self._applied is None:
            self._applied = tuple(m.name for m in MIGRATIONS.applied(self._db))
        return self._applied

    def _seal_key(self, purpose: str) -> bytes:
        """The key that seals what this file keeps outside its records (ward list, fold snapshots, the note of the
        newest backup's head): derived from the data key; empty for a clear file, which nothing protects."""
        return _derived_key(self.data_key, purpose) if self.data_key is not None else b""

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound file."""
        return str(self._db.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- reading stored rows ------------------------------------------------------------------------------------
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
                                parse_utc(recorded_at), by)
        except (KeyError, ValueError) as exc:   # an unknown type; pydantic's ValidationError is a ValueError
            log.error("stored record cannot be read seq=%s type=%s: %s", seq, kind, type(exc).__name__)
            self.unreadable[seq] = UnreadableRecord(seq, record_id, mrn, kind, type(exc).__name__)
            return None

    def _read_records(self, rows: Iterable[tuple[Any, ...]]) -> list[StoredRecord]:
        return [r for r in (self._read_record(*row) for row in rows) if r is not None]
