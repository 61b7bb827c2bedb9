"""Services: one method per user intent. Each validates, appends inside one transaction, and returns the new state.

The GUI and the command line call these and nothing below them, so both behave the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from typing import Protocol as TypingProtocol

from pydantic import AwareDatetime, BaseModel, ValidationError

from core.audit import AuditEntry, ChainReport, audit_trail
from core.clock import Clock, utc
from core.errors import GuardRefused, InputError, validation_input_error
from core.merge import MergePlan, OpenConflict, keep_differences, keep_origins, laptop_name, open_conflicts, plan_merge
from core.protocol import Protocol
from core.records import (
    FIO2_SETTING_DEVICES,
    RECORD_MODELS,
    Assessment,
    EnteredInError,
    ESignature,
    GradeConfirmed,
    Patient,
    RecordBase,
    StoredRecord,
    VitalsRecord,
    parse_record,
    validate_strict,
)
from core.rules.crs import FLAG_OTHER_CAUSES, CrsInput, grade_crs
from core.rules.guard import GUARDED_TYPES, GuardReason, infusion_guard
from core.rules.guidance import DIFFERENTIAL_TEXT, MANAGEMENT, crs_recommendations, merge, news2_recommendations
from core.rules.news2 import news2
from core.rules.status import status_level
from core.security import (
    RECORD_TYPE_PERMISSIONS,
    Accounts,
    AuthError,
    Permission,
    PermissionDenied,
    User,
    require,
)
from core.snapshot import SnapshotError, dump_fold, load_fold, snapshot_key
from core.state import PatientFold, PatientState, fold, fold_history

# AppendResult, AuditEntry, DeferredChecks and MergePlan are what the services return: the window imports them from
# here, never from the storage modules (the import contract gui-data-through-services, pyproject.toml).
from core.store import AppendResult, DeferredChecks, Store, UnreadableRecord, bed_order
from core.strict_input import check_input_value, excerpt, field_path, parse_json_text

IMPORT_FORMAT = "crs-bedside/1"
#: Record types that are a clinician's electronic signature (21 CFR Part 11): the PIN is entered again.
SIGNED_RECORD_TYPES = frozenset({"grade_confirmed", "crs_episode_closed"})
#: A fold of at least this many records (or that many new since the last snapshot) is worth a snapshot.
SNAPSHOT_MIN_RECORDS = 200
#: RULES.md §5: observations dated more than 5 minutes in the future are rejected (clock skew).
FUTURE_SKEW = timedelta(minutes=5)
#: RULES.md §5: warn when an entry is more than 2 hours late.
LATE_ENTRY = timedelta(hours=2)


@dataclass(frozen=True)
class FileReport:
    """What :meth:`Bedside.check_file` found: SQLite's verdict, the full chain report, unreadable records."""

    integrity: str
    chain: ChainReport
    unreadable: tuple[UnreadableRecord, ...]

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.chain.ok and not self.unreadable


def open_database(path: str | Path, **options: Any) -> Store:
    """Open a database file (core/store.py ``Store.open``, same options). The one door to a file outside the
    services: the window and the commands open here, then sign in (core/security.py) before a :class:`Bedside`
    reads anything; tests/test_layers.py keeps everything else away from the store."""
    return Store.open(path, **options)


@dataclass(frozen=True)
class FileFacts:
    """What the window shows about the open file, read through the services (issue 15: nothing else in the window
    touches the store): the audit chain as checked at open, whether the file is encrypted, warnings from the open,
    the backup folder, and whether the slow checks were left to :meth:`Bedside.run_deferred_checks`."""

    chain: ChainReport
    encrypted: bool
    warnings: tuple[str, ...]
    backup_folder: Path
    deferred_checks: bool


@dataclass(frozen=True)
class Recorded:
    """What recording returned: the stored record and the patient's new state, plus any warnings."""

    record: RecordBase
    state: PatientState
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    """What an import file would add (File -> Import... shows it before anything is written)."""

    new_patients: tuple[Patient, ...]
    known_patients: int
    new_records: int
    known_records: int
    new_by_type: dict[str, int]


class Bedside:
    """The services of one open database: the explicit context handed to windows, pages and commands.

    ``user`` is the signed-in :class:`core.security.User` (from ``Accounts.authenticate``), or in open mode (a
    database without accounts) just a name. Every record written is stamped with it; role checks
    (core/security.py) raise :class:`core.security.PermissionDenied` before anything is validated or written.
    """

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

    def export(self) -> dict[str, Any]:
        """Everything in the file in the import format (``crs-bedside export``), with this laptop's name and where
        each record was entered (another laptop merges it; INTERFACE.md "Additions", core/merge.py)."""
        self.require(Permission.READ)
        doc = self.store.export()
        name = laptop_name(self.store)
        doc["laptop"] = name
        doc["origins"] = self.store.entry_origins(name)
        return doc

    def check_file(self) -> FileReport:
        """The ``verify`` command's full check: SQLite's integrity check, the whole audit chain (every row, not the
        quick check made at open) and every stored record read back."""
        self.require(Permission.READ)
        integrity = self.store.integrity_check()
        return FileReport(integrity, self.store.verify_chain(), tuple(self.store.unreadable_records()))

    def make_backup(self, reason: str = "manual", keep: int | None = None) -> Path:
        """A backup now, then the routine backups pruned to the policy's depth, or to ``keep`` (an admin's choice:
        how many backups are kept is never a nurse's or an anonymous caller's, issue 15).

        Raises:
            PermissionDenied: ``keep`` was given by someone who is not an admin. StoreError: no backup was made.
        """
        self.require(Permission.READ)
        if keep is not None:
            self.require(Permission.MANAGE_BACKUPS)
        return self.store.make_backup(reason, keep=keep)

    def file_facts(self) -> FileFacts:
        """What the window's status bar says about the open file (no patient data: no sign-in needed)."""
        store = self.store
        return FileFacts(store.chain_report, store.encrypted, tuple(store.warnings),
                         store.backup_policy.folder_for(store.path), bool(getattr(store, "deferred_checks", False)))

    def run_deferred_checks(self) -> DeferredChecks:
        """The slow checks an open with ``defer_slow_checks`` left out (core/store.py): SQLite's check, the full audit
        chain, the backup at open. Safe in a worker thread: they run on a connection of their own and read no patient
        data for anyone."""
        return self.store.run_deferred_checks()

    def accounts(self) -> Accounts:
        """The accounts of this file (sign-in, lock screen, the admin's users dialog), on the same connection."""
        return Accounts(self.store, self.clock)

    def as_user(self, user: str | User) -> Bedside:
        """The same file's services for another signed-in person (switching user at the lock screen)."""
        return Bedside(self.store, self.protocol, self.clock, user)

    def prune_routine_backups(self) -> list[Path]:
        """Once someone has signed in: the routine backups (those made at each open among them) pruned to the
        policy's depth. The open itself never prunes (issue 15), so without this every command's open added a
        backup that nothing ever removed."""
        self.require(Permission.READ)
        return self.store.prune_routine_backups()

    def open_reader(self) -> Bedside:
        """The same signed-in person's services on a second, read-only connection, for work off the UI thread (a
        ward handover). Call it in the thread that uses it; close it with :meth:`close`."""
        reader = Bedside(self.store.open_reader(), self.protocol, self.clock, self.account or self.user)
        try:
            reader.require(Permission.READ)   # on the reader's own connection (this thread's)
        except BaseException:
            reader.close()
            raise
        return reader

    def close(self) -> None:
        """Close the database (and release its lock)."""
        self.store.close()

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

    # -- writing ------------------------------------------------------------------------------------------------
    def _check_time(self, at: datetime, field: str = "at") -> list[str]:
        return check_time(at, self.clock.now(), field)

    def electronic_signature(self, pin: str | None, meaning: str) -> ESignature | None:
        """Sign electronically (21 CFR Part 11 §11.200(a)(1)): the signed-in person re-enters the PIN, core verifies
        it (every attempt recorded, the lockout applies) and returns the signature with its meaning (§11.50), to be
        stored in the record it signs. Any record type may carry one (:data:`SIGNED_RECORD_TYPES` must).

        Returns:
            The signature, or ``None`` in open mode (a database without accounts has no PINs: nobody can sign).

        Raises:
            InputError: no PIN, or a wrong one (``pin: …``, shown beside the PIN field); nothing is written.
        """
        if self.account is None:
            return None
        if not pin:
            raise InputError("pin: enter your PIN to sign (an electronic signature)", "pin")
        try:
            signer = Accounts(self.store, self.clock).authenticate(self.account.username, pin)
        except AuthError as exc:
            raise InputError(f"pin: {exc} Nothing was signed or saved.", "pin") from None
        return ESignature(username=signer.username, name=signer.display_name, meaning=meaning,
                          signed_at=self.clock.now())

    def _signature_meaning(self, record: RecordBase) -> str:
        """What a clinician's signature on this record means, in words (stored with it)."""
        if isinstance(record, GradeConfirmed):
            computed = self.state(record.mrn, record.at).crs.computed.grade
            if computed == record.grade:
                return f"confirms the computed CRS grade {computed}"
            return f"overrides the computed CRS grade {computed} with grade {record.grade}"
        if record.type == "crs_episode_closed":
            return "closes the open CRS episode"
        return f"signs this {record.type.replace('_', ' ')} record"

    def record(self, mrn: str, kind: str, fields: dict[str, Any], at: datetime | None = None, *,
               pin: str | None = None) -> Recorded:
        """Validate and append one record of any type for a patient; return it with the new state.

        The checks are :func:`check_new_record`'s, the very ones an import makes (INTERFACE.md "Import rules").
        A record of :data:`SIGNED_RECORD_TYPES` (confirming or overriding a grade, closing an episode) is an
        electronic signature once the file has accounts: ``pin`` is the clinician's PIN, entered again.

        Raises:
            InputError: naming the field, the value and the limit (``pin`` for a missing or wrong PIN); nothing
                is written.
        """
        self.require(RECORD_TYPE_PERMISSIONS.get(kind, Permission.RECORD))
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        # A patient_updated record may clear an optional detail (null); elsewhere an empty field is simply absent.
        data = {k: v for k, v in fields.items() if v is not None or kind == "patient_updated"}
        data.update({"id": str(uuid.uuid4()), "mrn": patient.mrn, "at": at, "type": kind})
        if self.user and "by" not in data:
            data["by"] = self.user
        # An unknown type must not become the message's prefix (found by tests/core/test_fuzz.py: a newline).
        record = parse_record(data, kind if kind in RECORD_MODELS else "record")
        warnings = check_new_record(record, "", lookup=self.store, clock=self.clock, require=self.require,
                                    patients={patient.mrn: patient})
        signature = self._guard([record], pin)
        if signature is not None:
            record = record.model_copy(update={"signature": signature})
        if kind in SIGNED_RECORD_TYPES:
            signature = self.electronic_signature(pin, self._signature_meaning(record))
            if signature is not None:
                record = record.model_copy(update={"signature": signature})
        with self.store.transaction():
            self.store.append([], [record], recorded_by=self.user, now=self.clock.now())
        return Recorded(record, self.state(mrn), tuple(warnings))

    def guard(self, mrn: str, at: datetime | None = None) -> list[GuardReason]:
        """What stops a start or restart of the infusion at ``at`` (default: now): core/rules/guard.py."""
        at = utc(at) if at is not None else self.clock.now()
        return infusion_guard(self.state(mrn, at), self.protocol)

    def _guard(self, records: list[RecordBase], pin: str | None = None) -> ESignature | None:
        """Refuse a guarded start or restart (issue 13) unless a clinician confirms it with a reason: signed in as a
        clinician, who signs the confirmation electronically (the PIN again, as for every clinician act), or naming
        the prescriber who ordered it. Nothing is written when refused.

        Returns:
            The clinician's signature on the confirmation, to be stored in the record; ``None`` when none is needed.

        Raises:
            GuardRefused: naming every reason and what would let it go ahead.
            InputError: the clinician's PIN is missing or wrong (``pin: …``).
        """
        signature = None
        for record in records:
            if record.type not in GUARDED_TYPES:
                continue
            reasons = self.guard(record.mrn, record.at)
            if not reasons:
                continue
            words = " ".join(reason.text for reason in reasons)
            reason = getattr(record, "override_reason", None)
            clinician = self.account is not None and self.can(Permission.CONFIRM_GRADE)
            if reason is None:
                raise GuardRefused(
                    f"{record.type}: not recorded. {words} A clinician must confirm the start with a reason (signed "
                    "in as a clinician, or naming the prescriber who ordered it).", reasons)
            if not clinician and not getattr(record, "ordered_by", None):
                raise GuardRefused(
                    f"ordered_by: {self.user or 'this account'} is not a clinician: name the prescriber who ordered "
                    f"the start. {words}", reasons, "ordered_by")
            if clinician and not getattr(record, "ordered_by", None):
                signature = self.electronic_signature(
                    pin, f"confirms the {record.type.replace('_', ' ')} despite: "
                         f"{'; '.join(r.code for r in reasons)}"[:200])
        return signature

    def admit(self, fields: dict[str, Any]) -> Patient:
        """Admit a new patient (Patient -> Admit...): every field checked against the patient's limits.

        Raises:
            InputError: naming the field, the value and the limit, or an MRN already known; nothing is written.
        """
        self.require(Permission.RECORD)
        # Strict, as every field from outside (a weight typed as text is refused, not guessed).
        patient = validate_strict(Patient, {k: v for k, v in fields.items() if v is not None})
        check_patient(patient, self.clock.now().date(), "patient")   # the import's own checks (born by today)
        if self.store.patient(patient.mrn) is not None:
            raise InputError(f"mrn: {patient.mrn} is already a patient here (open them, or edit their details)", "mrn")
        self.store.append([patient], [], recorded_by=self.user, now=self.clock.now())
        return patient

    def update_patient(self, mrn: str, fields: dict[str, Any], at: datetime | None = None) -> Recorded:
        """Edit or transfer: a ``patient_updated`` record of the fields that differ from the details now (the old
        values stay in the audit trail; nothing is overwritten).

        Raises:
            InputError: nothing differs, or a field is out of its limits; nothing is written.
        """
        current = self.state(mrn, at).patient
        try:  # compare as the patient's own types (a date typed as text equals the date it names)
            merged = Patient.model_validate({**current.model_dump(), **fields})
        except ValidationError as exc:
            raise validation_input_error(exc, Patient) from None
        changes = {name: value for name, value in fields.items() if getattr(current, name) != getattr(merged, name)}
        if not changes:
            raise InputError("patient: nothing changed")
        return self.record(mrn, "patient_updated", changes, at)

    def record_vitals(self, mrn: str, fields: dict[str, Any], at: datetime | None = None) -> Recorded:
        """Record a set of vitals (the vitals wizard's one call)."""
        return self.record(mrn, "vitals", fields, at)

    def correct(self, mrn: str, target_id: str, reason: str) -> Recorded:
        """Mark a record entered in error; it stays visible, struck out, with the reason."""
        return self.record(mrn, "entered_in_error", {"target_id": target_id, "reason": reason})

    # -- drafts (the vitals wizard) ------------------------------------------------------------------------------
    def _drafts(self, patient: Patient, items: list[tuple[str, dict[str, Any]]], at: datetime) -> list[RecordBase]:
        """Validate the records of one bedside assessment, all at ``at``; nothing is written."""
        drafts: list[RecordBase] = []
        # The records share one moment, and the fold takes a moment's records by id (core/state.py fold_order): the
        # ids are drawn in the order entered, so a repeat blood pressure comes after the first on every laptop.
        ids = sorted(str(uuid.uuid4()) for _ in items)
        for (kind, fields), record_id in zip(items, ids, strict=True):
            if kind == "entered_in_error":
                raise InputError("type: a correction is entered with correct(), not with an assessment", "type")
            if kind in SIGNED_RECORD_TYPES:
                raise InputError(f"type: {kind} is signed electronically, with record() and the PIN", "type")
            data = {key: value for key, value in fields.items() if value is not None}
            data.update({"id": record_id, "mrn": patient.mrn, "at": at, "type": kind})
            if self.user:
                data.setdefault("by", self.user)
            drafts.append(parse_record(data, kind))
        return drafts

    def preview(self, mrn: str, items: list[tuple[str, dict[str, Any]]], at: datetime | None = None) -> PatientState:
        """The patient's state at ``at`` if these unsaved records were added: the grade shown before saving.

        Applies the draft (``[(type, fields), ...]``) to a copy of the patient's cached fold, or, for a moment before
        a stored record, folds the stored records up to ``at`` plus the draft; nothing is written either way.

        Raises:
            InputError: a draft field is invalid, or ``at`` is in the future (RULES.md §5); nothing is written.
        """
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        drafts = self._drafts(patient, items, at)
        self._check_time(at)
        now = self.clock.now()
        # Every stored record at or before ``at`` (a correction entered later would not count yet): then the cached
        # fold is the fold of the stored records up to ``at``, and only the draft needs folding.
        cached = None if self.store.has_records_after(mrn, at) else self._extended_fold(patient, utc(at))
        if cached is not None:
            unsaved = [StoredRecord(record, cached.last_seq + index + 1, now, self.user)
                       for index, record in enumerate(drafts)]
            if cached.can_extend(unsaved):
                trial = cached.copy()
                trial.extend(unsaved)
                return trial.state(utc(at))
        stored = self.store.records(mrn, until=at)
        seq = max((s.seq for s in stored), default=0)
        unsaved = [StoredRecord(record, seq + index + 1, now, self.user) for index, record in enumerate(drafts)]
        return fold(patient, stored + unsaved, utc(at), self.protocol)

    def record_many(self, mrn: str, items: list[tuple[str, dict[str, Any]]], at: datetime | None = None) -> Recorded:
        """Record one bedside assessment made of several records (vitals, a repeat blood pressure, symptoms, an ICE
        assessment), all at ``at``, in one transaction: everything or nothing is written.

        Returns:
            The first record, the new state and any warnings (late entry).

        Raises:
            InputError: naming the field, the value and the limit; nothing is written.
        """
        if not items:
            raise InputError("records: nothing to record")
        self.require(Permission.RECORD)
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        drafts = self._drafts(patient, items, at)
        warnings: list[str] = []
        for draft in drafts:   # the checks recording and import make (check_new_record)
            warnings = check_new_record(draft, "", lookup=self.store, clock=self.clock, require=self.require,
                                        patients={patient.mrn: patient})
        self._guard(drafts)
        with self.store.transaction():
            self.store.append([], drafts, recorded_by=self.user, now=self.clock.now())
        return Recorded(drafts[0], self.state(mrn), tuple(warnings))

    def import_data(self, data: Any, *, parsed: tuple[list[Patient], list[RecordBase]] | None = None,
                    source: str = "the import file") -> AppendResult:
        """Validate a whole import file (:func:`validate_import`: the checks recording makes), then merge all of it
        in one transaction (core/merge.py): records already here are skipped, a patient's differing details are
        settled by ``patient_updated`` records or kept as a difference for review, never overwritten.

        Raises:
            InputError: naming ``records[i].field`` and the reason; nothing is written.
            PermissionDenied: the account may not import, or may not enter a record type the file holds.
        """
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require, parsed=parsed)
        result = self._merge(plan_merge(self.store, plan.patients, plan.records, data), plan.records, source)
        self._prepare_folds({record.mrn for record in plan.records})
        return result

    def import_preview(self, data: Any) -> ImportPreview:
        """What :meth:`import_data` would add, without writing: the whole file is validated first.

        Raises:
            InputError: naming ``records[i].field`` and the reason.
        """
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require)
        patients, records = plan.patients, plan.records
        new_patients = [p for p in patients if self.store.patient(p.mrn) is None]
        new_records = [r for r in records if self.store.record_by_id(str(r.id)) is None]
        types: dict[str, int] = {}
        for record in new_records:
            types[record.type] = types.get(record.type, 0) + 1
        return ImportPreview(tuple(new_patients), len(patients) - len(new_patients), len(new_records),
                             len(records) - len(new_records), types)

    def merge_preview(self, data: Any) -> MergePlan:
        """What importing (merging) this document would do, after every check of an import; writes nothing."""
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require)
        return plan_merge(self.store, plan.patients, plan.records, data)

    def _merge(self, plan: MergePlan, records: list[RecordBase], source: str) -> AppendResult:
        """Append what the plan adds, keep its unexplained differences and where each record was entered: one
        transaction."""
        now = self.clock.now()
        with self.store.transaction():
            result = self.store.append(plan.new_patients, records, recorded_by=self.user, now=now)
            kept = keep_differences(self.store, plan, now, self.user, source)
            keep_origins(self.store, plan, records, source)
        return AppendResult(result.patients_added, result.records_added, result.records_already_present,
                            tuple(d.text() for d in plan.differences), kept)

    def fhir_waiting(self, url: str) -> int:
        """How many records wait to be sent to the FHIR server at ``url`` (the window's status line)."""
        self.require(Permission.READ)
        from core.outbox import waiting

        return waiting(self.store, url)

    def fhir_bundle(self) -> dict[str, Any]:
        """Everything as one FHIR R4 ``collection`` Bundle (File > Export for the EHR; core/fhir/export.py)."""
        self.require(Permission.READ)
        from core.fhir.export import export_bundle  # only here: start-up never imports fhir.resources

        return export_bundle(self.store, self.protocol, self.clock.now())

    def open_conflicts(self, mrn: str | None = None) -> list[OpenConflict]:
        """Patient differences kept by merges and not yet settled by a ``patient_updated`` record."""
        self.require(Permission.READ)
        return open_conflicts(self.store, mrn)

    def _prepare_folds(self, mrns: set[str]) -> None:
        """Fold the imported patients who are on the ward now and keep their snapshots (derived state, written
        after the import has committed), so the first status after an import reads snapshots instead of folding
        every record (build_scripts/bench.py: 300 ms for a ward just imported)."""
        now = self.clock.now()
        for patient in self.store.ward_patients():
            if patient.mrn in mrns:
                self._state(patient, now)

    def import_file(self, path: str | Path) -> AppendResult:
        """Read and import a file (see :meth:`import_data`)."""
        return self.import_data(read_json_file(path), source=Path(path).name)


def read_json_file(path: str | Path) -> Any:
    """Read JSON from a file with the limits of core/strict_input.py, with a plain message for an unreadable file or
    invalid JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    return parse_json_text(text, str(path))


def parse_import(data: Any) -> tuple[list[Patient], list[RecordBase]]:
    """Validate the shape and the types of a whole import document (strict, every record with its ``id``); the
    first problem raises an :class:`InputError`. :func:`validate_import` adds the checks against the ward."""
    if not isinstance(data, dict):
        raise InputError("import: the file must hold a JSON object with format, patients and records")
    unknown = sorted(set(data) - {"format", "patients", "records", "laptop", "origins"}, key=str)
    if unknown:
        raise InputError(f"{field_path('', str(unknown[0]))}: unknown field (check the spelling)", str(unknown[0]))
    if data.get("format") != IMPORT_FORMAT:
        raise InputError(f"format: {excerpt(data.get('format'))} is not {IMPORT_FORMAT!r}", "format")
    raw_patients = data.get("patients", [])
    raw_records = data.get("records", [])
    if not isinstance(raw_patients, list):
        raise InputError("patients: must be a list", "patients")
    if not isinstance(raw_records, list):
        raise InputError("records: must be a list", "records")
    patients = [validate_strict(Patient, item, f"patients[{index}]") for index, item in enumerate(raw_patients)]
    seen_mrns: set[str] = set()
    for index, patient in enumerate(patients):
        if patient.mrn in seen_mrns:
            raise InputError(f"patients[{index}].mrn: {patient.mrn} appears twice in the file", "mrn")
        seen_mrns.add(patient.mrn)
    records = [parse_record(item, f"records[{index}]", require_id=True) for index, item in enumerate(raw_records)]
    seen_ids: dict[uuid.UUID, int] = {}
    for index, record in enumerate(records):
        if record.id in seen_ids:
            raise InputError(f"records[{index}].id: {record.id} is also records[{seen_ids[record.id]}]", "id")
        seen_ids[record.id] = index
    return patients, records


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


@dataclass(frozen=True)
class ImportPlan:
    """An import file that passed every check: what :meth:`Bedside.import_data` appends in one transaction."""

    patients: list[Patient]
    records: list[RecordBase]


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


def validate_import(data: Any, *, lookup: RecordLookup, clock: Clock, require: Callable[[Permission], None],
                    parsed: tuple[list[Patient], list[RecordBase]] | None = None) -> ImportPlan:
    """Every check of an import file, in one place, before anything is written (INTERFACE.md "Import rules"): strict
    types and every record's ``id`` (:func:`parse_import`), the account may import and may enter each record type
    (D6), patients born by today, and each record passes :func:`check_new_record` (the checks of recording). A merge
    builds on this function.

    Raises:
        InputError: the first problem, naming ``records[i].field``. PermissionDenied: a role check failed.
    """
    require(Permission.IMPORT)
    patients, records = parsed if parsed is not None else parse_import(data)   # parsed: parse_import(data) already
    today = clock.now().date()
    for index, patient in enumerate(patients):
        check_patient(patient, today, f"patients[{index}]")
    in_file = {patient.mrn: patient for patient in patients}
    pending = {record.id: record for record in records}
    for index, record in enumerate(records):
        check_new_record(record, f"records[{index}]", lookup=lookup, clock=clock, require=require,
                         patients=in_file, pending=pending)
    return ImportPlan(patients, records)


def grade_assessment(data: Any, protocol: Protocol) -> dict[str, Any]:
    """Grade one assessment (the ``grade`` command): INTERFACE.md "Grade result". Touches no database.

    The input is an INTERFACE.md "Assessment"; an optional ``at`` (ISO 8601 with a UTC offset) is echoed back. The
    result has the INTERFACE.md fields plus: ``scales_used``, ``astct_2019.at_least``, the NEWS2 parameter scores,
    ``flags``, ``management`` (the seed table, RULES.md §0.1), ``status_level`` (RULES.md §9, without ICANS, which
    an assessment does not carry) and ``differential`` (RULES.md §8).

    Raises:
        InputError: naming the field, the value and the limit.
    """
    if not isinstance(data, dict):
        raise InputError(f"assessment: expected a JSON object, got {type(data).__name__}")
    check_input_value(data)
    fields = dict(data)
    at = _assessment_time(fields.pop("at", None))
    a = validate_strict(Assessment, fields)
    crs = grade_crs(CrsInput(
        temperature_c=a.temperature_c, systolic_bp=a.systolic_bp, oxygen_device=a.oxygen_device,
        oxygen_flow_l_min=a.oxygen_flow_l_min, fio2_percent=a.fio2_percent,
        oxygen_for_comfort_only=bool(a.oxygen_for_comfort_only), fluid_bolus_given=bool(a.fluid_bolus_given),
        vasopressors=frozenset(a.vasopressors or ()), life_threatening=bool(a.life_threatening),
        fever_other_cause=bool(a.fever_other_cause), crs_episode_open=bool(a.crs_episode_open),
        crs_treatment_given=bool(a.crs_treatment_given), age_years=a.age_years,
    ), protocol)
    score = news2(
        respiratory_rate=a.respiratory_rate, spo2_percent=a.spo2_percent, oxygen_device=a.oxygen_device,
        systolic_bp=a.systolic_bp, heart_rate=a.heart_rate, consciousness=a.consciousness,
        temperature_c=a.temperature_c, age_years=a.age_years,
    )
    recs = merge(crs_recommendations(crs, protocol, fio2_device_sets_it=a.oxygen_device in FIO2_SETTING_DEVICES)
                 + news2_recommendations(score))
    missing = list(dict.fromkeys(list(crs.missing) + list(score.missing)))
    level = status_level(crs_grade=crs.grade, news2=score)
    result: dict[str, Any] = {"at": at.isoformat()} if at is not None else {}
    result.update({
        "crs_grade": crs.grade,
        "scales": {
            "ctcae_v5": {"grade": crs.ctcae.grade, "at_least": crs.ctcae.at_least, "rules": list(crs.ctcae.rules)},
            "astct_2019": {"grade": crs.astct.grade, "at_least": crs.astct.at_least, "rules": list(crs.astct.rules)},
        },
        "scales_differ": crs.scales_differ,
        "scales_used": crs.scales_used,
        "news2": {"score": score.score, "complete": score.complete, "risk": score.risk,
                  "red_parameter": score.red_parameter, "parameter_scores": score.parameter_scores,
                  "not_applicable": score.not_applicable},
        "flags": list(crs.flags),
        "management": MANAGEMENT[crs.grade],
        "recommendations": [r.to_json() for r in recs],
        "status_level": level.to_json(),
        "differential": list(DIFFERENTIAL_TEXT) if crs.grade >= 1 or FLAG_OTHER_CAUSES in crs.flags else [],
        "missing": missing,
        "protocol": protocol.stamp(),
    })
    return result


class _AssessmentTime(BaseModel):
    at: AwareDatetime


def _assessment_time(value: Any) -> datetime | None:
    """The optional ``at`` of a graded assessment: ISO 8601 with a UTC offset (INTERFACE.md)."""
    if value is None:
        return None
    return validate_strict(_AssessmentTime, {"at": value}).at


def status_document(states: list[PatientState], at: datetime, protocol: Protocol,
                    bedside: Bedside | None = None) -> dict[str, Any]:
    """The ``status`` command's JSON (INTERFACE.md "Status"). With the ``bedside`` that read the states, a patient
    with stored records that cannot be read gets ``problems``: one plain line each."""
    patients = []
    warnings = []
    behind = bedside.clock_behind() if bedside is not None else None
    if behind is not None and bedside is not None:
        warnings.append(clock_behind_text(bedside.clock.now(), behind))
    for state in states:
        doc = state.to_json()
        problems = bedside.read_problems(state.patient.mrn) if bedside is not None else ()
        if problems:
            doc["problems"] = list(problems)
        patients.append(doc)
    document: dict[str, Any] = {"at": at.isoformat(), "protocol": protocol.stamp(), "patients": patients}
    if warnings:
        document["warnings"] = warnings
    return document


def clock_behind_text(now: datetime, newest: datetime) -> str:
    """The warning when the laptop clock is behind the newest record."""
    return (f"the laptop clock ({now.isoformat(timespec='minutes')}) is behind the newest record "
            f"({newest.isoformat(timespec='minutes')}): what happened after the clock's time is not shown as now. "
            "Check the clock (clinic IT) before relying on this status.")


__all__ = ["Bedside", "Recorded", "VitalsRecord", "grade_assessment", "parse_import", "read_json_file",
           "status_document"]
