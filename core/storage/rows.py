"""The typed rows and results the storage layer hands out: what was appended, an unreadable record, a file check,
the deferred checks, an account version, a sign-in event, a kept fold snapshot, a merged record's origin, a kept
patient difference. (A patient's records as stored for the audit view, :class:`core.audit.AuditRow`, and a merged
record's origin, :class:`core.audit.RecordOrigin`, are core/audit.py's, which reads them.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, TypedDict

from core.audit import ChainReport


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


class AuthEvent(NamedTuple):
    """A sign-in attempt (table ``auth_events``), as :meth:`Store.auth_events` gives it, newest first."""

    username: str
    at: datetime
    outcome: str


class SnapshotRow(NamedTuple):
    """A patient's fold snapshot as kept (table ``fold_snapshots``), its seal checked: the entry number it reaches,
    its key (core/snapshot.py ``snapshot_key``) and the fold's state as JSON."""

    last_seq: int
    key: str
    payload: str


class EntryOrigin(TypedDict):
    """Where a record was entered, for an export that another laptop merges (:meth:`Store.entry_origins`)."""

    id: str
    laptop: str
    entered_at: str
    entered_by: str | None
