"""Rolling backups: their folder, names, listing, pruning, and the note of the newest one's chain head.

Backups are whole, consistent copies made with SQLite's backup API (``Store.make_backup``) into a folder beside the
database, ``<db>.backups/``, named ``<db>.<UTC time>.<reason>.bak`` so that name order is time order. They are made
when a changed file is opened, before any migration, on demand (the GUI calls ``Store.make_backup`` on a schedule;
``crs-bedside backup``), and before a restore. The newest ``keep`` routine backups are kept (a setting,
:class:`BackupPolicy`); backups made before a migration or a restore are never pruned.

Making a backup of an open file, copying or checking a file that is not open, and the restore (which never overwrites a
file that has not just been backed up, and swaps the file in atomically) are core/storage/backups.py's: they read the
database; this module never does.

Beside the backups, ``<db>.newest-backup.json`` notes the newest backup's chain head when it is made (sealed with a
key derived from the data key of an encrypted database), so that the check at every open need not open that backup
to read it. The note is only a shortcut: it is used only while it names the newest backup, with the size and time
it had when the note was written, and its seal holds; otherwise the open reads the backup itself, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import StoreError

#: Routine backups kept by default (settings may change it).
DEFAULT_KEEP = 10
#: Reasons whose backups are pruned to ``keep``; the others (pre-migration, pre-restore) are kept for good.
ROUTINE_REASONS = frozenset({"open", "manual", "scheduled", "restored", "tampered"})
_NAME = re.compile(r"^(?P<db>.+)\.(?P<stamp>\d{8}T\d{6}_\d{6}Z)\.(?P<reason>[a-z0-9_-]+)\.bak$")


@dataclass(frozen=True)
class BackupPolicy:
    """Where backups go and how many routine ones are kept.

    Attributes:
        keep: Routine backups kept (at least 1).
        folder: Backup folder; ``None`` means ``<db>.backups`` beside the database.
        at_open: Make a backup when a file that changed since its newest backup is opened.
    """

    keep: int = DEFAULT_KEEP
    folder: Path | None = None
    at_open: bool = True

    def __post_init__(self) -> None:
        if self.keep < 1:
            raise StoreError(f"backups.keep: {self.keep} is below 1 (at least one backup must be kept)")

    def folder_for(self, db_path: Path) -> Path:
        """The backup folder of a database."""
        return self.folder if self.folder is not None else db_path.with_name(db_path.name + ".backups")


@dataclass(frozen=True)
class BackupFile:
    """One backup on disk."""

    path: Path
    taken_at: datetime
    reason: str


def backup_name(db_path: Path, reason: str, now: datetime | None = None) -> str:
    """The file name of a new backup of ``db_path``."""
    now = now or datetime.now(UTC)
    return f"{db_path.name}.{now.astimezone(UTC):%Y%m%dT%H%M%S_%fZ}.{reason}.bak"


def list_backups(db_path: Path, policy: BackupPolicy | None = None) -> list[BackupFile]:
    """The backups of a database, oldest first."""
    folder = (policy or BackupPolicy()).folder_for(db_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and match["db"] == db_path.name and entry.is_file():
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S_%fZ").replace(tzinfo=UTC)
            found.append(BackupFile(entry, taken, match["reason"]))
    return sorted(found, key=lambda b: b.path.name)


def prune_backups(db_path: Path, policy: BackupPolicy) -> list[Path]:
    """Delete routine backups beyond the newest ``policy.keep``; return what was deleted."""
    routine = [b for b in list_backups(db_path, policy) if b.reason in ROUTINE_REASONS]
    removed = []
    for old in routine[:-policy.keep]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def _note_path(db_path: Path, policy: BackupPolicy) -> Path:
    return policy.folder_for(db_path) / f"{db_path.name}.newest-backup.json"


def _note_seal(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def _note_body(backup: Path, head: tuple[int, str], newest_rows: dict[str, str | None]) -> str:
    facts = backup.stat()
    return json.dumps([backup.name, facts.st_size, facts.st_mtime_ns, head[0], head[1], newest_rows],
                      separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class NotedHead:
    """What the note of the newest backup says: its chain head, and the key of the newest row of each chained table
    in it (``None`` for an empty table), which spare the check at open one index lookup per table."""

    head: tuple[int, str]
    newest_rows: dict[str, str | None]


def note_newest_backup_head(db_path: Path, policy: BackupPolicy, backup: Path, noted: NotedHead | None,
                            key: bytes) -> None:
    """Note the chain head and newest rows of the backup just made (``None``: it has no chain; any older note is
    removed), sealed with ``key`` (a key derived from an encrypted database's data key; empty for a clear file,
    which nothing protects). Best effort: without the note, the next open reads the backup itself."""
    note = _note_path(db_path, policy)
    with contextlib.suppress(OSError):
        if noted is None:
            note.unlink(missing_ok=True)
            return
        body = _note_body(backup, noted.head, noted.newest_rows)
        partial = note.with_name(f".{note.name}.partial")
        partial.unlink(missing_ok=True)
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
            json.dump({"body": body, "seal": _note_seal(key, body)}, out)
        os.replace(partial, note)


def noted_backup_head(db_path: Path, policy: BackupPolicy, newest: BackupFile, key: bytes) -> NotedHead | None:
    """What was noted when ``newest`` was made, or ``None`` when the note is missing or of an earlier version, names
    another backup (one made or planted since), the backup's size or time changed, or its seal does not hold
    (``key`` as for :func:`note_newest_backup_head`): the caller then reads the backup itself."""
    try:
        doc = json.loads(_note_path(db_path, policy).read_text(encoding="utf-8"))
        body, seal = doc["body"], doc["seal"]
        name, _size, _mtime, pos, digest, rows = json.loads(body)
        if not isinstance(rows, dict) or not all(isinstance(v, str | None) for v in rows.values()):
            return None
        newest_rows = {str(kind): value for kind, value in rows.items()}
        if name != newest.path.name or body != _note_body(newest.path, (pos, digest), newest_rows):
            return None
        if not isinstance(seal, str) or not hmac.compare_digest(seal, _note_seal(key, body)):
            return None
        return NotedHead((int(pos), str(digest)), newest_rows)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entry list, where the OS allows) to the disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_raw(source: Path, target: Path) -> None:
    """Byte copy of a file that SQLite cannot read (a damaged database), flushed to disk."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))   # the copy is its owner's only, like the database
    shutil.copyfile(source, target)
    fsync_path(target)
