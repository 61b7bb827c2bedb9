"""The audit chain in the file: every row written gets its chain entry (:func:`chain_row`, inside the writer's
transaction), and :class:`AuditChain` checks the chain: in full (every row: the ``verify`` command and the background
check) or quickly at every open, from the newest trusted backup's chain head (the anchor) on. The hashing itself, and
what a problem is, are core/audit.py's.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from core.audit import GENESIS, ChainProblem, ChainReport, chain_hash
from core.backup import BackupFile, NotedHead, list_backups, noted_backup_head
from core.storage.database import StoreFile, connect, is_encrypted_file, opens_with
from core.storage.schema import CHAIN_KEYS, CHAIN_SOURCES, NEWEST_ROW, PROTECTING_TRIGGERS

log = logging.getLogger("crs_bedside.store")


def chain_row(db: Database, kind: str, ref: str | int) -> None:
    """Add the chain entry of a row just written (inside the caller's transaction)."""
    head = chain_head(db.conn)
    row = db.execute(f"{CHAIN_SOURCES[kind]} WHERE {CHAIN_KEYS[kind]} = ?", [ref]).fetchone()
    digest = chain_hash(head[1] if head else GENESIS, kind, row[1:])
    db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", [kind, str(ref), digest])


def chain_head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT pos, hash FROM chain ORDER BY pos DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def read_head(path: Path, key: bytes | None = None) -> tuple[int, str] | None:
    """The chain head of a backup file, or ``None`` if it has no chain (or cannot be read, with ``key`` when the
    database is encrypted)."""
    if key is not None and not is_encrypted_file(path):
        return None   # a clear file beside an encrypted database was not made from it
    try:
        conn = connect(path, key)
    except sqlite3.Error:
        return None
    try:
        return chain_head(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def newest_rows(conn: sqlite3.Connection) -> dict[str, str | None]:
    """The key of the newest row of each chained table (``None`` for an empty one), as the check at open compares
    them (:data:`NEWEST_ROW`)."""
    out: dict[str, str | None] = {}
    for kind, sql in NEWEST_ROW.items():
        row = conn.execute(sql).fetchone()
        out[kind] = str(row[0]) if row is not None and row[0] is not None else None
    return out


def read_anchor(path: Path, key: bytes | None = None) -> NotedHead | None:
    """The chain head and the newest rows of a backup file (what its note keeps), or ``None`` as for
    :func:`read_head`."""
    if key is not None and not is_encrypted_file(path):
        return None
    try:
        conn = connect(path, key)
    except sqlite3.Error:
        return None
    try:
        head = chain_head(conn)
        return NotedHead(head, newest_rows(conn)) if head is not None else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def describe_row(kind: str, ref: str, content: tuple[object, ...] | None) -> str:
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



class AuditChain(StoreFile):
    """Checking the file's hash chain: quickly at every open (anchored on the newest backup's chain head), in full on
    demand; and whether the chain moved on since that backup."""

    def verify_chain_quick(self) -> ChainReport:
        """The check made at every open: the protecting triggers, the newest trusted backup's chain head still in
        the file, every entry written since that backup recomputed, and the newest row of each table chained.

        Rows written before the newest backup are covered by :meth:`verify_chain` (the ``verify`` command, and the
        full check the window starts in the background). Falls back to the full check when there is no backup to
        anchor on, or when anything here does not add up, so that problems are always pinpointed.
        """
        if "chain" not in set(self._db.table_names()):
            return ChainReport(0)
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        noted = self._noted(newest[-1]) if newest else None
        anchor = noted.head if noted is not None else read_head(newest[-1].path, self.data_key) if newest else None
        if anchor is None:
            return self.verify_chain()
        triggers = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        stored_anchor = self._db.execute("SELECT hash FROM chain WHERE pos = ?", [anchor[0]]).fetchone()
        if any(name not in triggers for name in PROTECTING_TRIGGERS) \
                or stored_anchor is None or stored_anchor[0] != anchor[1]:
            return self.verify_chain()
        previous, checked, since_anchor = anchor[1], 0, {}
        for _pos, kind, ref, stored in self._db.execute(
                "SELECT pos, kind, ref, hash FROM chain WHERE pos > ? ORDER BY pos", [anchor[0]]).fetchall():
            checked += 1
            row = self._db.execute(f"{CHAIN_SOURCES[kind]} WHERE {CHAIN_KEYS[kind]} = ?", [ref]).fetchone() \
                if kind in CHAIN_SOURCES else None
            if row is None or chain_hash(previous, kind, row[1:]) != stored:
                return self.verify_chain()
            previous, since_anchor[kind] = stored, ref
        if not self._every_row_chained(noted.newest_rows if noted is not None else None, since_anchor):
            return self.verify_chain()
        return ChainReport(checked)

    def _every_row_chained(self, at_anchor: dict[str, str | None] | None, since_anchor: dict[str, str]) -> bool:
        """The newest row of each table has its chain entry, in time independent of the file's size (the quick check
        runs at every open): with the no-delete triggers in place rows are only ever added, records, account versions
        and sign-in events are numbered in order and patients keep their order of admission (``rowid``), so a row
        added outside the app is the newest of its table until the app writes the next one. A row slipped in while
        the app had the file open, with the app's own rows after it, is left to the full check (docs/GUARANTEES.md):
        counting every row of a kind read every sign-in event of the file's life at every open, and walking back to
        the newest record entry read every sign-in since the last record.

        Args:
            at_anchor: The newest rows the note of the newest backup names (``None``: no usable note); a table
                whose newest row is the noted one, or the newest chained since the anchor, needs no index lookup.
            since_anchor: The newest key of each kind among the entries written since the anchor (just checked).
        """
        for kind in ("record", "patient", "user", "auth") if self._auth_chained() else ("record", "patient", "user"):
            row = self._db.execute(NEWEST_ROW[kind]).fetchone()
            newest = str(row[0]) if row is not None and row[0] is not None else None
            if at_anchor is not None and kind in at_anchor:
                if newest != since_anchor.get(kind, at_anchor[kind]):
                    return False
            elif newest is not None and self._db.execute(
                    "SELECT 1 FROM chain WHERE kind = ? AND ref = ?", [kind, newest]).fetchone() is None:
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
                    for kind, sql in CHAIN_SOURCES.items() if kind != "auth" or self._auth_chained()}
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
                problems.append(ChainProblem(kind, ref, f"{describe_row(kind, ref, None)} was removed"))
            elif chain_hash(previous, kind, content) != stored:
                problems.append(ChainProblem(
                    kind, ref, f"{describe_row(kind, ref, content)} does not match what was written (it, or the "
                    "entry before it, was changed or removed)"))
            previous = stored
        for kind, left in contents.items():
            for ref, content in left.items():
                problems.append(ChainProblem(kind, ref, f"{describe_row(kind, ref, content)} was added outside "
                                                        "CRS Bedside"))
        if against_backups:
            problems.extend(self._backup_anchor_problems())
        return ChainReport(checked, tuple(problems))

    def _auth_chained(self) -> bool:
        """Sign-in events are chained from schema 5 on; an earlier file has its events chained by the migration."""
        return "0006_chain_auth_events" in self.applied_migrations()

    def _changed_since_last_backup(self) -> bool:
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        head = chain_head(self._db.conn)
        if not newest:
            return head is not None
        return self._backup_head(newest[-1]) != head

    def _noted(self, newest: BackupFile) -> NotedHead | None:
        """What the note of the newest backup says (core/backup.py), if it still names that backup and its seal
        holds."""
        return noted_backup_head(self.path, self.backup_policy, newest, self._seal_key("newest-backup-head"))

    def _backup_head(self, newest: BackupFile) -> tuple[int, str] | None:
        """The newest backup's chain head: as noted when it was made (core/backup.py), else read from the backup."""
        noted = self._noted(newest)
        return noted.head if noted is not None else read_head(newest.path, self.data_key)

    def _backup_anchor_problems(self) -> list[ChainProblem]:
        """The newest trusted backup's chain head must still be in the file (catches removed newest rows)."""
        newest = [b for b in list_backups(self.path, self.backup_policy) if b.reason != "tampered"]
        if not newest:
            return []
        head = read_head(newest[-1].path, self.data_key)
        if head is None:
            if self.data_key is None or opens_with(newest[-1].path, self.data_key):
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
