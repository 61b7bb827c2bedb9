"""The services' base: the open file, the signed-in person and their permissions, the patients and their records,
and each patient's state from a cached fold (in memory, else its snapshot in the file; ARCHITECTURE.md).

:class:`core.services.Bedside` is this class with the parts that write (core/services_recording.py), import
(core/services_import.py) and look after the file (core/services_files.py).
"""

from __future__ import annotations

from datetime import datetime

from core.audit import AuditEntry, audit_trail
from core.clock import Clock, utc
from core.errors import InputError
from core.protocol import Protocol
from core.records import Patient, StoredRecord
from core.security import Permission, PermissionDenied, User, require
from core.services_checks import FUTURE_SKEW
from core.snapshot import SnapshotError, dump_fold, load_fold, snapshot_key
from core.state import PatientFold, PatientState, fold_history
from core.store import Store, bed_order

#: A fold of at least this many records (or that many new since the last snapshot) is worth a snapshot.
SNAPSHOT_MIN_RECORDS = 200


class ReadingServices:
    """The base of :class:`core.services.Bedside` (its docstring says what ``user`` is): the open file, the role
    checks, reading patients and records, and each patient's state from the cached fold."""

    def __init__(self, store: Store, protocol: Protocol, clock: Clock, user: str | User | None = None):
        self.store = store
        self.protocol = protocol
        self.clock = clock
        self.account = user if isinstance(user, User) else None
        self.user = user.username if isinstance(user, User) else user
        self._folds: dict[str, PatientFold] = {}   # disposable cache of derived state (ARCHITECTURE.md)
        self._snapshot_seq: dict[str, int] = {}    # the entry number each patient's stored snapshot reaches

    def require(self, permission: Permission) -> None:
        """Raise :class:`core.security.PermissionDenied` unless the current user may do this."""
        require(self.store, self.account, self.user, permission)

    def can(self, permission: Permission) -> bool:
        """Whether the current user may do this (for enabling buttons)."""
        try:
            self.require(permission)
        except PermissionDenied:
            return False
        return True

    # -- reading ------------------------------------------------------------------------------------------------
    def patients(self) -> list[Patient]:
        """Every patient on the ward."""
        self.require(Permission.READ)
        return self.store.patients()

    def is_demo(self) -> bool:
        """True for a demo database (it holds synthetic demo patients)."""
        self.require(Permission.READ)
        return self.store.has_demo_patients()

    def ward_patients(self) -> list[Patient]:
        """The patients on the ward (not discharged), in bed order."""
        self.require(Permission.READ)
        return self.store.ward_patients()

    def patient(self, mrn: str) -> Patient:
        """One patient.

        Raises:
            InputError: the MRN is unknown.
        """
        self.require(Permission.READ)
        patient = self.store.patient(mrn)
        if patient is None:
            raise InputError(f"patient: {mrn} is not a known patient", "mrn")
        return patient

    def records(self, mrn: str, *, since: datetime | None = None, until: datetime | None = None,
                kinds: tuple[str, ...] | None = None) -> list[StoredRecord]:
        """Every record of a patient in time order (from ``since``, up to ``until``; of the types ``kinds`` only),
        corrections and corrected records included."""
        self.require(Permission.READ)
        return self.store.records(mrn, since=since, until=until, kinds=kinds)

    def has_records_after(self, mrn: str, at: datetime) -> bool:
        """Whether any record of the patient happened after ``at`` (a correction included)."""
        self.require(Permission.READ)
        return self.store.has_records_after(mrn, at)

    def records_after(self, mrn: str, seq: int) -> list[StoredRecord]:
        """A patient's records entered after entry number ``seq``, in time order (a view keeping its list up to
        date reads only these)."""
        self.require(Permission.READ)
        return self.store.records_after(mrn, seq)

    def state(self, mrn: str, at: datetime | None = None) -> PatientState:
        """The patient's state at ``at`` (default: now)."""
        at = utc(at) if at is not None else self.clock.now()
        return self._state(self.patient(mrn), at)

    def ward(self, at: datetime | None = None, *, include_discharged: bool = False) -> list[PatientState]:
        """The state of every patient on the ward at ``at`` (default: now), in bed order; discharged patients too
        when asked."""
        self.require(Permission.READ)
        at = utc(at) if at is not None else self.clock.now()
        patients = self.store.patients() if include_discharged else self.store.ward_patients()
        states = [self._state(p, at) for p in patients]
        # In the bed order of the details now (a transfer is a patient_updated record, not a new admission).
        return sorted(states, key=lambda s: (s.patient.ward or "", bed_order(s.patient.bed), s.patient.mrn))

    def _state(self, patient: Patient, at: datetime) -> PatientState:
        """Answer from the patient's cached fold (in memory, else the snapshot in the file), bringing it up to date
        with the records entered since; fold afresh for a moment before the last record, or when a record arrived
        out of order or was corrected."""
        return self._fold_until(patient, at).state(at)

    def fold_at(self, mrn: str, at: datetime) -> PatientFold:
        """The patient's fold of every record up to ``at`` (the handover reads its state, trail and latest records):
        the cached fold when it is current (see :meth:`_state`). Read it; never extend it (it may be the cache)."""
        return self._fold_until(self.patient(mrn), utc(at))

    def _fold_until(self, patient: Patient, at: datetime) -> PatientFold:
        """A fold of the patient's records up to ``at``: the cached one when it is current (see :meth:`_state`)."""
        cached = self._extended_fold(patient, at)
        if cached is not None:
            if cached.last_at is None or at >= cached.last_at:
                return cached
            return PatientFold.of(patient, self.store.records(patient.mrn, until=at), self.protocol)
        records = self.store.records(patient.mrn)
        if records and max(utc(r.record.at) for r in records) > at:
            return PatientFold.of(patient, [r for r in records if utc(r.record.at) <= at], self.protocol)
        fresh = PatientFold.of(patient, records, self.protocol)
        self._folds[patient.mrn] = fresh
        self._keep_snapshot(patient, fresh, len(records))
        return fresh

    def _extended_fold(self, patient: Patient, at: datetime) -> PatientFold | None:
        """The patient's cached fold (in memory, else the snapshot in the file) brought up to date with the records
        entered since; ``None`` when there is none, or a new record is out of order, a correction or after ``at``."""
        cached = self._folds.get(patient.mrn)
        if cached is None:
            cached = self._load_snapshot(patient)
        if cached is None:
            return None
        new = self.store.records_after(patient.mrn, cached.last_seq)
        if not (cached.can_extend(new) and all(utc(r.record.at) <= at for r in new)):
            return None
        cached.extend(new)
        self._folds[patient.mrn] = cached
        self._keep_snapshot(patient, cached, len(new))
        return cached

    def _load_snapshot(self, patient: Patient) -> PatientFold | None:
        stored = self.store.fold_snapshot(patient.mrn)
        if stored is None or stored[1] != snapshot_key(patient, self.protocol):
            return None
        try:
            fold_ = load_fold(stored[2], patient, self.protocol)
        except SnapshotError:
            return None
        self._snapshot_seq[patient.mrn] = stored[0]
        return fold_

    def _keep_snapshot(self, patient: Patient, fold_: PatientFold, folded: int) -> None:
        """Write the fold's snapshot when it saves real work next time: a long fold, or many records since the
        last snapshot (core/snapshot.py)."""
        since = fold_.last_seq - self._snapshot_seq.get(patient.mrn, 0)
        if folded < SNAPSHOT_MIN_RECORDS and since < SNAPSHOT_MIN_RECORDS:
            return
        if self.store.save_fold_snapshot(patient.mrn, fold_.last_seq, snapshot_key(patient, self.protocol),
                                         dump_fold(fold_)):
            self._snapshot_seq[patient.mrn] = fold_.last_seq

    def clock_behind(self) -> datetime | None:
        """When the laptop clock is behind the newest record (more than the allowed skew): that record's time, else
        ``None``. A record later than "now" is left out of the state at now, so the window and ``status`` say so
        rather than hide it silently."""
        self.require(Permission.READ)
        newest = self.store.newest_record_time()
        return newest if newest is not None and newest > self.clock.now() + FUTURE_SKEW else None

    def read_problems(self, mrn: str) -> tuple[str, ...]:
        """What could not be read for this patient: stored records this version cannot read ("record … cannot be
        read: call clinic IT"). They are left out of the state; the rest of the ward goes on (``verify`` names them
        all)."""
        return tuple(u.message for u in sorted(self.store.unreadable.values(), key=lambda u: u.seq) if u.mrn == mrn)

    def audit(self, mrn: str) -> list[AuditEntry]:
        """The patient's audit trail (who, what, when entered, when it happened, superseded by): core/audit.py."""
        self.patient(mrn)
        return audit_trail(self.store, mrn)

    def history(self, mrn: str) -> list[PatientState]:
        """The patient's state after each record."""
        return fold_history(self.patient(mrn), self.store.records(mrn), self.protocol)
