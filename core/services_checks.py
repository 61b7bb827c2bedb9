"""The checks a new record passes before it is written, whether typed in the window or imported (INTERFACE.md
"Import rules"): one place for the services' recording (core/services_recording.py) and the import
(core/services_import.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Protocol as TypingProtocol

from core.clock import Clock, utc
from core.errors import InputError
from core.records import EnteredInError, Patient, RecordBase, StoredRecord
from core.security import RECORD_TYPE_PERMISSIONS, Permission

#: RULES.md §5: observations dated more than 5 minutes in the future are rejected (clock skew).
FUTURE_SKEW = timedelta(minutes=5)
#: RULES.md §5: warn when an entry is more than 2 hours late.
LATE_ENTRY = timedelta(hours=2)

class RecordLookup(TypingProtocol):
    """What the checks of new records read from the ward (the store is one; :class:`EmptyWard` another)."""

    def patient(self, mrn: str) -> Patient | None: ...

    def record_by_id(self, record_id: str) -> StoredRecord | None: ...


class EmptyWard:
    """The ward of a database file that does not exist yet: an import into a new path is checked against it before
    any file is made, so a refused import leaves nothing behind."""

    def patient(self, mrn: str) -> Patient | None:
        return None

    def record_by_id(self, record_id: str) -> StoredRecord | None:
        return None


def check_time(at: datetime, now: datetime, field: str = "at") -> list[str]:
    """RULES.md §5: a time more than 5 minutes in the future is refused; a late entry is a warning."""
    if utc(at) > now + FUTURE_SKEW:
        raise InputError(
            f"{field}: {at.isoformat(timespec='minutes')} is in the future (now is "
            f"{now.isoformat(timespec='minutes')}); observations cannot be future-dated", field)
    if now - utc(at) > LATE_ENTRY:
        return [f"Entered {int((now - utc(at)).total_seconds() // 60)} minutes after the event (late entry)."]
    return []


def check_patient(patient: Patient, today: date, prefix: str) -> None:
    """A patient from outside: born no later than today."""
    if patient.birth_date > today:
        raise InputError(f"{prefix}.birth_date: {patient.birth_date.isoformat()} is in the future (today is "
                         f"{today.isoformat()})", "birth_date")


def check_new_record(
    record: RecordBase, prefix: str, *, lookup: RecordLookup, clock: Clock,
    require: Callable[[Permission], None], patients: Mapping[str, Patient] | None = None,
    pending: Mapping[uuid.UUID, RecordBase] | None = None,
) -> list[str]:
    """The checks a new record passes before it is written, whether typed in the window or imported (one place:
    INTERFACE.md "Import rules"): the account may enter this type (D6) and, for a correction, the type it strikes
    out; the patient is known; the time is not in the future nor before the patient's birth; a correction targets a
    record that exists and belongs to the same patient.

    Args:
        prefix: Where the record sits in the input (``records[3]``), or empty for the window.
        lookup: The ward (the store, or :class:`EmptyWard` for a file not yet made).
        patients: Patients given alongside (the import file's); they win over the ward's.
        pending: Records given alongside (the rest of the import file), which a correction may target.

    Returns:
        Warnings (a late entry).

    Raises:
        InputError: naming ``prefix.field`` and the reason. PermissionDenied: the account may not enter it.
    """
    def name(field: str) -> str:
        return f"{prefix}.{field}" if prefix else field

    permission = RECORD_TYPE_PERMISSIONS.get(record.type)
    if permission is not None:
        require(permission)
    patient = (patients or {}).get(record.mrn) or lookup.patient(record.mrn)
    if patient is None:
        raise InputError(f"{name('mrn')}: {record.mrn} is not a known patient", "mrn")
    now = clock.now()
    warnings = check_time(record.at, now, name("at"))
    if record.at.date() < patient.birth_date:
        raise InputError(f"{name('at')}: {record.at.isoformat(timespec='minutes')} is before the patient's birth "
                         f"({patient.birth_date.isoformat()})", "at")
    birth = getattr(record, "birth_date", None)
    if isinstance(birth, date) and birth > now.date():
        raise InputError(f"{name('birth_date')}: {birth.isoformat()} is in the future (today is "
                         f"{now.date().isoformat()})", "birth_date")
    if isinstance(record, EnteredInError):
        target = (pending or {}).get(record.target_id)
        if target is None:
            stored = lookup.record_by_id(str(record.target_id))
            target = stored.record if stored is not None else None
        if target is None or target.mrn != record.mrn:
            raise InputError(f"{name('target_id')}: {record.target_id} is not a record of {record.mrn}",
                             "target_id")
        # Striking out a clinician's entry needs the clinician's permission (D6).
        require(RECORD_TYPE_PERMISSIONS.get(target.type, Permission.RECORD))
    return warnings
