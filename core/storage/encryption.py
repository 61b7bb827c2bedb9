"""Encryption at rest: a clear file (and its backups) turned into one encrypted under its data key, each step safe
to interrupt. The key file is core/keys.py's; SQLCipher's settings are applied on every connection
(core/storage/database.py ``connect``)."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from core.backup import fsync_path, list_backups
from core.errors import StoreError
from core.keys import SQLCIPHER_SETTINGS, KeyFile, sqlcipher_key
from core.storage.backups import Backups
from core.storage.chain import AuditChain, chain_head
from core.storage.database import connect, create_private_file, file_identity, is_encrypted_file

log = logging.getLogger("crs_bedside.store")


class Encryption(Backups):
    """Encrypting the open file and its backups (a backup is made first)."""

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
            export_encrypted(self._db, temp, data_key)
            check_same_content(self._db.conn, temp, data_key)
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
            overwrite_with_zeros(clear)
        finally:
            os.close(clear)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        self._db = Database(connect(path, data_key), execute_plugins=False)
        self.data_key = data_key
        if self._identity is not None:
            self._identity = file_identity(path)   # this program swapped the file in itself
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
            source = Database(connect(item.path, None), execute_plugins=False)
            try:
                temp.unlink(missing_ok=True)
                export_encrypted(source, temp, self.data_key)
                check_same_content(source.conn, temp, self.data_key)
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
                overwrite_with_zeros(clear)
            finally:
                os.close(clear)
        fsync_path(self.backup_policy.folder_for(self.path))
        keys.mark_encrypted(self.data_key)



def export_encrypted(source: Database, target: Path, key: bytes) -> None:
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


def check_same_content(source: sqlite3.Connection, copy: Path, key: bytes) -> None:
    """The encrypted copy opens with the key, passes SQLite's integrity check and the whole audit chain, and has the
    same rows in every table and the same chain head as the source.

    Raises:
        StoreError: naming what differs.
    """
    conn = connect(copy, key)
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
        if chain_head(source) != chain_head(conn):
            raise StoreError("the encrypted copy does not end with the same audit entry")
        report = AuditChain(Database(conn, execute_plugins=False), copy).verify_chain(against_backups=False)
        if not report.ok:
            raise StoreError(f"the encrypted copy's audit chain does not check ({report.problems[0].what})")
    finally:
        conn.close()


def overwrite_with_zeros(fd: int) -> None:
    """Overwrite a file's bytes with zeros and flush (the clear copy of a file just encrypted; on SSDs and
    copy-on-write file systems old blocks may survive: full-disk encryption covers those, docs/INSTALL.md)."""
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * 65536
    written = 0
    while written < size:
        written += os.write(fd, block[:min(len(block), size - written)])
    os.fsync(fd)
