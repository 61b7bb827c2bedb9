"""Audit: the hash chain that makes edits outside the app visible, and the per-patient audit trail.

The chain: every row the app writes (patient, record, user version) gets an entry in the ``chain`` table whose hash
covers the previous entry's hash and the row's full content. Changing, removing or slipping in a row with another
tool (for example the sqlite3 shell after dropping the append-only triggers) breaks the chain, and the break is
reported when the file is opened (:class:`ChainReport`, :class:`TamperedError`); it is never repaired silently.

Limits, stated honestly: the chain is a checksum, not a signature. Someone who deletes only the newest rows *and*
their chain entries, or recomputes the whole chain, is caught only by comparing with a backup: at open the store
checks that the newest backup's chain head is still in the file (see ``Store.open``).

No SQL here (the store holds it); this module hashes and shapes data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TypedDict

from core.errors import StoreError

#: The "previous hash" of the first entry.
GENESIS = "0" * 64
#: Kinds of rows the chain covers.
CHAIN_KINDS = ("patient", "record", "user")


def chain_hash(previous: str, kind: str, content: Sequence[object]) -> str:
    """SHA-256 over the previous entry's hash, the kind of row, and the row's columns as canonical JSON."""
    body = json.dumps([kind, list(content)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """One place where the file differs from what the app wrote.

    Attributes:
        kind: ``patient``, ``record``, ``user``, ``schema`` or ``backup``.
        ref: The row's key (record sequence number, MRN, user version) or a name.
        what: A plain sentence for staff (shown in the GUI and on the command line; never logged).
    """

    kind: str
    ref: str
    what: str


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the hash chain of a file.

    Attributes:
        entries_checked: How many chain entries were verified.
        problems: Every difference found, first one first; empty for an untouched file.
    """

    entries_checked: int
    problems: tuple[ChainProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when the file is exactly what the app wrote."""
        return not self.problems

    def summary(self) -> str:
        """One paragraph for staff: what was found and what to do."""
        if self.ok:
            return f"The audit chain is intact ({self.entries_checked} entries checked)."
        first = self.problems[0].what
        more = len(self.problems) - 1
        extra = f" ({more} more problem{'s' if more != 1 else ''})" if more else ""
        return (f"This database has been changed outside CRS Bedside: {first}{extra}. Nothing has been repaired. "
                "Tell clinic IT and the ward manager; compare with the latest backup (crs-bedside verify --db "
                "FILE lists every problem) and restore a backup if records were lost.")


class TamperedError(StoreError):
    """The file was edited outside the app; carries the :class:`ChainReport` for the GUI and CLI to show."""

    def __init__(self, path: str, report: ChainReport):
        super().__init__(f"{path}: {report.summary()}")
        self.report = report


@dataclass(frozen=True)
class AuditEntry:
    """One line of a patient's audit trail, in order of entry.

    Attributes:
        seq: Order of entry in the file.
        record_id: The record's UUID.
        type: Record type (``vitals``, ``grade_confirmed``, ``entered_in_error``, ...).
        occurred_at: When it happened (UTC).
        recorded_at: When it was entered (UTC).
        entered_by: The account (or command-line user) that entered it.
        by: Who the record says did it (may differ for imported records), or ``None``.
        fields: The record's own fields (values as entered).
        supersedes: For a correction, the id of the record it marks entered in error.
        superseded_by: The id of the correction that struck this record out, if any.
        correction_reason: The reason given in that correction.
        origin: For a record merged from another laptop's export: ``laptop`` (where it was entered),
            ``entered_at`` and ``entered_by`` (there), ``arrived_from`` (the laptop or file it came in); it arrived
            here at ``recorded_at``. ``None`` for a record entered on this laptop.
    """

    seq: int
    record_id: str
    type: str
    occurred_at: datetime
    recorded_at: datetime
    entered_by: str | None
    by: str | None
    fields: dict[str, Any]
    supersedes: str | None
    superseded_by: str | None = None
    correction_reason: str | None = None
    origin: dict[str, str | None] | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON-ready data (``crs-bedside audit``)."""
        return {"seq": self.seq, "id": self.record_id, "type": self.type,
                "occurred_at": self.occurred_at.isoformat(), "recorded_at": self.recorded_at.isoformat(),
                "entered_by": self.entered_by, "by": self.by, "fields": self.fields,
                "supersedes": self.supersedes, "superseded_by": self.superseded_by,
                "correction_reason": self.correction_reason, "origin": self.origin}


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


class RecordOrigin(NamedTuple):
    """Where a merged record was entered (table ``record_origins``): the laptop, when and by whom there, and the laptop
    or file it arrived from."""

    laptop: str | None
    entered_at: str | None
    entered_by: str | None
    arrived_from: str | None


class AuditSource(Protocol):
    """What the audit trail reads from an open file (:class:`core.store.Store` is one)."""

    def audit_rows(self, mrn: str) -> list[AuditRow]: ...

    def origins(self) -> dict[str, RecordOrigin]: ...


_BASE_FIELDS = {"id", "mrn", "at", "type", "by"}


def _origin(row: RecordOrigin | None) -> dict[str, str | None] | None:
    if row is None:
        return None
    laptop, entered_at, entered_by, arrived_from = row
    return {"laptop": laptop, "entered_at": entered_at, "entered_by": entered_by, "arrived_from": arrived_from}


def audit_trail(store: AuditSource, mrn: str) -> list[AuditEntry]:
    """Every record of a patient in order of entry: who, what, when entered, when it happened, superseded by.

    Corrections (``entered_in_error``) are listed themselves and also fill ``superseded_by`` and
    ``correction_reason`` of the record they strike out; nothing is hidden.
    """
    rows = store.audit_rows(mrn)
    origins = store.origins()
    corrections: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["type"] == "entered_in_error" and row["supersedes"]:
            corrections.setdefault(row["supersedes"], (row["id"], json.loads(row["payload"]).get("reason", "")))
    entries = []
    for row in rows:
        payload = json.loads(row["payload"])
        correction = corrections.get(row["id"])
        entries.append(AuditEntry(
            seq=row["seq"], record_id=row["id"], type=row["type"],
            occurred_at=datetime.fromisoformat(row["occurred_at"]),
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            entered_by=row["recorded_by"], by=payload.get("by"),
            fields={k: v for k, v in payload.items() if k not in _BASE_FIELDS},
            supersedes=row["supersedes"],
            superseded_by=correction[0] if correction else None,
            correction_reason=correction[1] if correction else None,
            origin=_origin(origins.get(row["id"])),
        ))
    return entries
