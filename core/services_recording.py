"""The services that write a patient's records: one record, one bedside assessment of several, the wizard's preview
of the state before saving, admitting and editing a patient, corrections, the infusion guard and the clinician's
electronic signature."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from core.clock import utc
from core.errors import GuardRefused, InputError
from core.records import (
    RECORD_MODELS,
    ESignature,
    GradeConfirmed,
    Patient,
    RecordBase,
    StoredRecord,
    parse_record,
    validate_strict,
)
from core.rules.guard import GUARDED_TYPES, GuardReason, infusion_guard
from core.security import RECORD_TYPE_PERMISSIONS, Accounts, AuthError, Permission
from core.services_checks import check_new_record, check_patient, check_time
from core.services_reading import ReadingServices
from core.state import PatientState, fold
from core.validation_messages import validation_input_error

#: Record types that are a clinician's electronic signature (21 CFR Part 11): the PIN is entered again.
SIGNED_RECORD_TYPES = frozenset({"grade_confirmed", "crs_episode_closed"})

@dataclass(frozen=True)
class Recorded:
    """What recording returned: the stored record and the patient's new state, plus any warnings."""

    record: RecordBase
    state: PatientState
    warnings: tuple[str, ...] = ()


class RecordingServices(ReadingServices):
    """The writing part of :class:`core.services.Bedside`."""

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
