"""Services: one method per user intent. Each validates, appends inside one transaction, and returns the new state.

The GUI and the command line call these and nothing below them, so both behave the same.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol as TypingProtocol

from pydantic import AwareDatetime, BaseModel, ValidationError

from core.audit import AuditEntry, audit_trail
from core.clock import utc
from core.errors import InputError, validation_input_error
from core.protocol import Protocol
from core.records import (
    RECORD_MODELS, Assessment, EnteredInError, Patient, RecordBase, StoredRecord, VitalsRecord, parse_record,
)
from core.rules.crs import FLAG_OTHER_CAUSES, CrsInput, grade_crs
from core.rules.guidance import DIFFERENTIAL_TEXT, MANAGEMENT, crs_recommendations, merge, news2_recommendations
from core.rules.news2 import news2
from core.rules.status import status_level
from core.records import FIO2_SETTING_DEVICES
from core.security import RECORD_TYPE_PERMISSIONS, Permission, PermissionDenied, User, require
from core.snapshot import SnapshotError, dump_fold, load_fold, snapshot_key
from core.state import PatientFold, PatientState, fold, fold_history
from core.store import AppendResult, Store

IMPORT_FORMAT = "crs-bedside/1"
#: A fold of at least this many records (or that many new since the last snapshot) is worth a snapshot.
SNAPSHOT_MIN_RECORDS = 200
#: RULES.md §5: observations dated more than 5 minutes in the future are rejected (clock skew).
FUTURE_SKEW = timedelta(minutes=5)
#: RULES.md §5: warn when an entry is more than 2 hours late.
LATE_ENTRY = timedelta(hours=2)


class Clock(TypingProtocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Recorded:
    """What recording returned: the stored record and the patient's new state, plus any warnings."""

    record: RecordBase
    state: PatientState
    warnings: tuple[str, ...] = ()


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
        return self.store.has_demo_patients()

    def ward_patients(self) -> list[Patient]:
        """The patients on the ward (not discharged), in bed order."""
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

    def records(self, mrn: str) -> list[StoredRecord]:
        """Every record of a patient in time order, corrections and corrected records included."""
        self.require(Permission.READ)
        return self.store.records(mrn)

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
        return [self._state(p, at) for p in patients]

    def _state(self, patient: Patient, at: datetime) -> PatientState:
        """Answer from the patient's cached fold (in memory, else the snapshot in the file), bringing it up to date
        with the records entered since; fold afresh for a moment before the last record, or when a record arrived
        out of order or was corrected."""
        cached = self._folds.get(patient.mrn)
        if cached is None:
            cached = self._load_snapshot(patient)
        if cached is not None:
            new = self.store.records_after(patient.mrn, cached.last_seq)
            if cached.can_extend(new) and all(utc(r.record.at) <= at for r in new):
                cached.extend(new)
                self._folds[patient.mrn] = cached
                self._keep_snapshot(patient, cached, len(new))
                if cached.last_at is None or at >= cached.last_at:
                    return cached.state(at)
                return fold(patient, self.store.records(patient.mrn, until=at), at, self.protocol)
        records = self.store.records(patient.mrn)
        if records and max(utc(r.record.at) for r in records) > at:
            return fold(patient, [r for r in records if utc(r.record.at) <= at], at, self.protocol)
        fresh = PatientFold.of(patient, records, self.protocol)
        self._folds[patient.mrn] = fresh
        self._keep_snapshot(patient, fresh, len(records))
        return fresh.state(at)

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

    def audit(self, mrn: str) -> list[AuditEntry]:
        """The patient's audit trail (who, what, when entered, when it happened, superseded by): core/audit.py."""
        self.patient(mrn)
        return audit_trail(self.store, mrn)

    def history(self, mrn: str) -> list[PatientState]:
        """The patient's state after each record."""
        return fold_history(self.patient(mrn), self.store.records(mrn), self.protocol)

    # -- writing ------------------------------------------------------------------------------------------------
    def _check_time(self, at: datetime, field: str = "at") -> list[str]:
        now = self.clock.now()
        if utc(at) > now + FUTURE_SKEW:
            raise InputError(
                f"{field}: {at.isoformat(timespec='minutes')} is in the future (now is "
                f"{now.isoformat(timespec='minutes')}); observations cannot be future-dated", field)
        if now - utc(at) > LATE_ENTRY:
            return [f"Entered {int((now - utc(at)).total_seconds() // 60)} minutes after the event (late entry)."]
        return []

    def record(self, mrn: str, kind: str, fields: dict[str, Any], at: datetime | None = None) -> Recorded:
        """Validate and append one record of any type for a patient; return it with the new state.

        Raises:
            InputError: naming the field, the value and the limit; nothing is written.
        """
        self.require(RECORD_TYPE_PERMISSIONS.get(kind, Permission.RECORD))
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        data = {k: v for k, v in fields.items() if v is not None}
        data.update({"id": str(uuid.uuid4()), "mrn": patient.mrn, "at": at, "type": kind})
        if self.user and "by" not in data:
            data["by"] = self.user
        # An unknown type must not become the message's prefix (found by tests/core/test_fuzz.py: a newline).
        record = parse_record(data, kind if kind in RECORD_MODELS else "record")
        warnings = self._check_time(record.at)
        if isinstance(record, EnteredInError):
            target = self.store.record_by_id(str(record.target_id))
            if target is None or target.record.mrn != patient.mrn:
                raise InputError(f"target_id: {record.target_id} is not a record of {patient.mrn}", "target_id")
            # Striking out a clinician's entry needs the clinician's permission (D6).
            self.require(RECORD_TYPE_PERMISSIONS.get(target.record.type, Permission.RECORD))
        with self.store.transaction():
            self.store.append([], [record], recorded_by=self.user, now=self.clock.now())
        return Recorded(record, self.state(mrn), tuple(warnings))

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
        for kind, fields in items:
            if kind == "entered_in_error":
                raise InputError("type: a correction is entered with correct(), not with an assessment", "type")
            data = {key: value for key, value in fields.items() if value is not None}
            data.update({"id": str(uuid.uuid4()), "mrn": patient.mrn, "at": at, "type": kind})
            if self.user:
                data.setdefault("by", self.user)
            drafts.append(parse_record(data, kind))
        return drafts

    def preview(self, mrn: str, items: list[tuple[str, dict[str, Any]]], at: datetime | None = None) -> PatientState:
        """The patient's state at ``at`` if these unsaved records were added: the grade shown before saving.

        Folds the stored records up to ``at`` plus the draft (``[(type, fields), ...]``) without writing anything.

        Raises:
            InputError: a draft field is invalid, or ``at`` is in the future (RULES.md §5); nothing is written.
        """
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        drafts = self._drafts(patient, items, at)
        self._check_time(at)
        stored = self.store.records(mrn, until=at)
        seq = max((s.seq for s in stored), default=0)
        now = self.clock.now()
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
        patient = self.patient(mrn)
        at = at if at is not None else self.clock.now()
        drafts = self._drafts(patient, items, at)
        warnings = self._check_time(at)
        with self.store.transaction():
            self.store.append([], drafts, recorded_by=self.user, now=self.clock.now())
        return Recorded(drafts[0], self.state(mrn), tuple(warnings))

    def import_data(self, data: Any) -> AppendResult:
        """Validate a whole import file (INTERFACE.md), then append all of it in one transaction.

        Raises:
            InputError: naming ``records[i].field`` and the reason; nothing is written.
        """
        self.require(Permission.IMPORT)
        patients, records = parse_import(data)
        for kind in sorted({record.type for record in records} & set(RECORD_TYPE_PERMISSIONS)):
            self.require(RECORD_TYPE_PERMISSIONS[kind])
        for index, record in enumerate(records):
            self._check_time(record.at, f"records[{index}].at")
        result = self.store.append(patients, records, recorded_by=self.user, now=self.clock.now())
        self._prepare_folds({record.mrn for record in records})
        return result

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
        return self.import_data(read_json_file(path))


def read_json_file(path: str | Path) -> Any:
    """Read JSON from a file, with a plain message for an unreadable file or invalid JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    return parse_json_text(text, str(path))


def parse_json_text(text: str, source: str) -> Any:
    """Parse JSON text, naming the line and column of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None


def parse_import(data: Any) -> tuple[list[Patient], list[RecordBase]]:
    """Validate the whole import document; the first problem raises an :class:`InputError`."""
    if not isinstance(data, dict):
        raise InputError("import: the file must hold a JSON object with format, patients and records")
    unknown = sorted(set(data) - {"format", "patients", "records"})
    if unknown:
        raise InputError(f"{unknown[0]}: unknown field (check the spelling)", unknown[0])
    if data.get("format") != IMPORT_FORMAT:
        raise InputError(f"format: {data.get('format')!r} is not {IMPORT_FORMAT!r}", "format")
    raw_patients = data.get("patients", [])
    raw_records = data.get("records", [])
    if not isinstance(raw_patients, list):
        raise InputError("patients: must be a list", "patients")
    if not isinstance(raw_records, list):
        raise InputError("records: must be a list", "records")
    patients = []
    for index, item in enumerate(raw_patients):
        try:
            patients.append(Patient.model_validate(item))
        except ValidationError as exc:
            raise validation_input_error(exc, Patient, f"patients[{index}]") from None
    seen_mrns: set[str] = set()
    for index, patient in enumerate(patients):
        if patient.mrn in seen_mrns:
            raise InputError(f"patients[{index}].mrn: {patient.mrn} appears twice in the file", "mrn")
        seen_mrns.add(patient.mrn)
    records = [parse_record(item, f"records[{index}]") for index, item in enumerate(raw_records)]
    seen_ids: dict[uuid.UUID, int] = {}
    for index, record in enumerate(records):
        if record.id in seen_ids:
            raise InputError(f"records[{index}].id: {record.id} is also records[{seen_ids[record.id]}]", "id")
        seen_ids[record.id] = index
    return patients, records


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
    fields = dict(data)
    at = _assessment_time(fields.pop("at", None))
    try:
        a = Assessment.model_validate(fields)
    except ValidationError as exc:
        raise validation_input_error(exc, Assessment) from None
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
    try:
        return _AssessmentTime.model_validate({"at": value}).at
    except ValidationError as exc:
        raise validation_input_error(exc, _AssessmentTime) from None


def status_document(states: list[PatientState], at: datetime, protocol: Protocol) -> dict[str, Any]:
    """The ``status`` command's JSON (INTERFACE.md "Status")."""
    return {"at": at.isoformat(), "protocol": protocol.stamp(), "patients": [s.to_json() for s in states]}


__all__ = ["Bedside", "Recorded", "grade_assessment", "parse_import", "read_json_file", "status_document",
           "VitalsRecord"]
