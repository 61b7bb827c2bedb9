"""Pydantic models of every record type and of the patient: the shared vocabulary of CRS Bedside.

Every field carries its unit and its plausible range (RULES.md §5) in its definition, so a limit lives in one
place: the validator, the command line's error message and the GUI's input widgets all read it from here.
Unknown fields are rejected (INTERFACE.md: they are usually typos).

The closed sets of values are in core/record_enums.py and the way a field is defined (limits, units, rounding,
the plain-text check) in core/record_fields.py; every name is imported from here too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    create_model,
    model_validator,
)

from core.errors import InputError
from core.record_enums import (
    CORTICOSTEROIDS,
    FIO2_SETTING_DEVICES,
    FLOW_DEVICES,
    POSITIVE_PRESSURE_DEVICES,
    ROOM_AIR_FIO2,
    Arousal,
    CerebralEdema,
    Consciousness,
    Drug,
    EscalatedTo,
    EscalationResponse,
    Indication,
    NotDoneReason,
    OxygenDevice,
    Purpose,
    Seizure,
    Sex,
    StopReason,
    Vasopressor,
)
from core.record_fields import (
    FREE_TEXT_FIELDS,
    STORED,
    Temperature,
    _Model,
    _range,
    _stored,
    field_limits,
)
from core.strict_input import excerpt, strict_json
from core.validation_messages import validation_input_error


class VitalsFields(_Model):
    """The fields of a set of vitals (INTERFACE.md "Assessment"). All optional (D7)."""

    temperature_c: Temperature | None = _range(
        25.0, 45.0, "°C", "Body temperature", soft_min=34.0, soft_max=41.0, decimals=1)
    heart_rate: int | None = _range(20, 300, "/min", "Pulse", soft_min=40, soft_max=180)
    respiratory_rate: int | None = _range(2, 80, "/min", "Respiration rate", soft_min=6, soft_max=40)
    systolic_bp: int | None = _range(40, 300, "mmHg", "Systolic blood pressure", soft_min=70, soft_max=220)
    diastolic_bp: int | None = _range(10, 200, "mmHg", "Diastolic blood pressure", soft_min=35, soft_max=130)
    spo2_percent: int | None = _range(50, 100, "%", "Oxygen saturation (SpO2)", soft_min=80)
    oxygen_device: OxygenDevice | None = Field(None, description="Oxygen delivery device")
    oxygen_flow_l_min: float | None = _range(0.0, 80.0, "L/min", "Oxygen flow", decimals=1)
    fio2_percent: int | None = _range(21, 100, "%", "Inspired oxygen (FiO2), as a percentage")
    oxygen_for_comfort_only: bool | None = Field(None, description="Oxygen not needed to correct hypoxia")
    consciousness: Consciousness | None = Field(None, description="ACVPU")
    fluid_bolus_given: bool | None = Field(None, description="A fluid bolus was given for low blood pressure")
    vasopressors: list[Vasopressor] | None = Field(None, description="Vasopressor agents running now")
    life_threatening: bool | None = Field(None, description="Clinician marks life-threatening consequences")
    fever_other_cause: bool | None = Field(None, description="Clinician attributes the fever to another cause")
    age_years: int | None = _range(0, 130, "years", "Age, for paediatric thresholds")

    @model_validator(mode="after")
    def _diastolic_below_systolic(self) -> VitalsFields:
        # RULES.md §5: reject DBP >= SBP (V40).
        if self.systolic_bp is not None and self.diastolic_bp is not None and self.diastolic_bp >= self.systolic_bp:
            raise ValueError(
                f"diastolic_bp: {self.diastolic_bp} is not below systolic_bp {self.systolic_bp} mmHg")
        return self

    @model_validator(mode="after")
    def _oxygen_matches_device(self, info: Any) -> VitalsFields:
        """The flow and FiO2 must fit the device: room air has no flow and an FiO2 of 21 % only; a device that
        delivers oxygen by flow has a flow above 0 (a cannula at 0 L/min would grade as oxygen, ASTCT 2)."""
        if _stored(info):
            return self
        device, flow, fio2 = self.oxygen_device, self.oxygen_flow_l_min, self.fio2_percent
        if device is OxygenDevice.ROOM_AIR:
            if flow is not None and flow != 0:
                raise ValueError(f"oxygen_flow_l_min: {flow} L/min is given, but room air has no oxygen flow "
                                 "(choose the device that delivers it)")
            if fio2 is not None and fio2 != ROOM_AIR_FIO2:
                raise ValueError(f"fio2_percent: {fio2} % is given, but room air is {ROOM_AIR_FIO2} % "
                                 "(choose the device that delivers the oxygen)")
        if device in FLOW_DEVICES and flow is not None and flow <= 0:
            raise ValueError(f"oxygen_flow_l_min: {flow} L/min is not above 0 L/min, which a "
                             f"{device.value} needs (choose room air if no oxygen is given)")
        return self


class Assessment(VitalsFields):
    """Input of `crs-bedside grade`: the vitals fields plus two that a database derives itself."""

    crs_episode_open: bool | None = Field(None, description="A CRS episode is already open")
    crs_treatment_given: bool | None = Field(
        None, description="Antipyretic, tocilizumab or a corticosteroid was given for CRS in this episode")


# ---------------------------------------------------------------------------------------------------------------
# Records


#: Every record's ``type`` (INTERFACE.md); each record model below sets its own as a ``Literal`` default, and
#: tests/core/test_record_types.py checks that this list and ``RECORD_MODELS`` name the same types.
RecordType = Literal[
    "vitals", "infusion_started", "bag_changed", "infusion_stopped", "infusion_resumed", "therapy_discontinued",
    "medication_given", "fluid_bolus", "vasopressor_started", "vasopressor_stopped", "symptom", "neuro_assessment",
    "lab_result", "grade_confirmed", "note", "entered_in_error", "crs_episode_closed", "discharged", "escalation",
    "observations_not_done", "patient_updated",
]


class RecordBase(_Model):
    """What every record has: a UUID, the patient, when it happened and who recorded it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, description="Record identifier")
    mrn: str = Field(min_length=1, max_length=32, description="Patient identifier (MRN)")
    at: AwareDatetime = Field(description="When it happened, with a UTC offset")
    by: str | None = Field(None, max_length=80, description="Who recorded it")
    if TYPE_CHECKING:
        # Declared for the type checker only: a field here would move ``type`` in every record's stored JSON.
        type: RecordType


class VitalsRecord(RecordBase, VitalsFields):
    type: Literal["vitals"] = "vitals"


_DOSE_MCG = Field(gt=0, le=1000, description="Blinatumomab in the bag", json_schema_extra={"unit": "mcg"})
_DURATION_H = Field(gt=0, le=240, description="Labelled duration of the bag", json_schema_extra={"unit": "h"})


class ESignature(_Model):
    """A clinician's electronic signature on a record (21 CFR Part 11 §11.50): who signed (user name and printed
    name), when, and what the signature means. Made by ``core.services.Bedside.electronic_signature`` after the
    signer re-enters the PIN (§11.200); a record carrying one was signed, a record without one was not."""

    username: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    meaning: str = Field(min_length=1, max_length=200)
    signed_at: AwareDatetime

    def text(self) -> str:
        """One line for the audit trail and the handover."""
        return (f"signed electronically by {self.name} ({self.username}) at "
                f"{self.signed_at.astimezone().strftime('%Y-%m-%d %H:%M %z')}: {self.meaning}")


class _GuardOverride(RecordBase):
    """A start or restart that a guard rail stopped (core/rules/guard.py) goes ahead only with a clinician's reason:
    signed in as a clinician, or with the prescriber who ordered it named (issue 13)."""

    override_reason: str | None = Field(
        None, min_length=1, max_length=500, description="Why the clinician confirms the start despite the guard")
    ordered_by: str | None = Field(None, min_length=1, max_length=120, description="The prescriber who ordered it")
    signature: ESignature | None = Field(
        None, description="The clinician's electronic signature on the confirmation (21 CFR Part 11)")


class InfusionStarted(_GuardOverride):
    type: Literal["infusion_started"] = "infusion_started"
    dose_mcg: float = _DOSE_MCG
    duration_h: float = _DURATION_H
    cycle: int | None = Field(None, ge=1, le=20, description="Starts this cycle")


class BagChanged(RecordBase):
    type: Literal["bag_changed"] = "bag_changed"
    dose_mcg: float = _DOSE_MCG
    duration_h: float = _DURATION_H


class InfusionStopped(RecordBase):
    type: Literal["infusion_stopped"] = "infusion_stopped"
    reason: StopReason


class InfusionResumed(_GuardOverride):
    type: Literal["infusion_resumed"] = "infusion_resumed"
    dose_mcg: float = _DOSE_MCG
    duration_h: float = _DURATION_H


class TherapyDiscontinued(RecordBase):
    type: Literal["therapy_discontinued"] = "therapy_discontinued"
    reason: str = Field(min_length=1, max_length=500)


class MedicationGiven(RecordBase):
    type: Literal["medication_given"] = "medication_given"
    drug: Drug
    dose_mg: float = Field(gt=0, le=5000, json_schema_extra={"unit": "mg"})
    purpose: Purpose


class FluidBolus(RecordBase):
    type: Literal["fluid_bolus"] = "fluid_bolus"
    volume_ml: float = Field(gt=0, le=5000, json_schema_extra={"unit": "mL"})


class VasopressorStarted(RecordBase):
    type: Literal["vasopressor_started"] = "vasopressor_started"
    agent: Vasopressor


class VasopressorStopped(RecordBase):
    type: Literal["vasopressor_stopped"] = "vasopressor_stopped"
    agent: Vasopressor


class Symptom(RecordBase):
    type: Literal["symptom"] = "symptom"
    name: str = Field(min_length=1, max_length=80)
    note: str | None = Field(None, max_length=1000)


class NeuroAssessment(RecordBase):
    type: Literal["neuro_assessment"] = "neuro_assessment"
    ice_score: int | None = Field(
        None, ge=0, le=10, description="ICE score; absent when the patient cannot be assessed",
        json_schema_extra={"unit": "points"})
    arousal: Arousal = Arousal.AWAKE
    seizure: Seizure = Seizure.NONE
    motor_weakness: bool = False
    cerebral_edema: CerebralEdema = CerebralEdema.NONE


class LabResult(RecordBase):
    type: Literal["lab_result"] = "lab_result"
    test: str = Field(min_length=1, max_length=40)
    value: float
    unit: str = Field(min_length=1, max_length=20)


class GradeConfirmed(RecordBase):
    type: Literal["grade_confirmed"] = "grade_confirmed"
    grade: int = Field(ge=0, le=5)
    reason: str = Field(min_length=1, max_length=500)
    signature: ESignature | None = Field(None, description="The clinician's electronic signature (21 CFR Part 11)")


class Note(RecordBase):
    type: Literal["note"] = "note"
    text: str = Field(min_length=1, max_length=4000)


class EnteredInError(RecordBase):
    type: Literal["entered_in_error"] = "entered_in_error"
    target_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=500)


class CrsEpisodeClosed(RecordBase):
    """A clinician closes the open CRS episode (D9). An extension of INTERFACE.md."""

    type: Literal["crs_episode_closed"] = "crs_episode_closed"
    reason: str = Field(min_length=1, max_length=500)
    signature: ESignature | None = Field(None, description="The clinician's electronic signature (21 CFR Part 11)")


class Discharged(RecordBase):
    """The patient leaves the ward (an extension of INTERFACE.md). The ward list leaves them out until a later
    record (a new admission for the next cycle) brings them back; nothing about them is removed."""

    type: Literal["discharged"] = "discharged"
    note: str | None = Field(None, max_length=1000)


class Escalation(RecordBase):
    """The nurse answers one or more prompts: whom she called and what they said (INTERFACE.md Additions)."""

    type: Literal["escalation"] = "escalation"
    to: EscalatedTo
    response: EscalationResponse
    acknowledges: list[str] = Field(min_length=1, max_length=20, description="Recommendation codes it answers")
    name: str | None = Field(None, min_length=1, max_length=120, description="Who was called")
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _declined_needs_a_reason(self) -> Escalation:
        # Issue 13 (as e-obs systems require): a prompt is declined only with the reason written down.
        if self.response is EscalationResponse.DECLINED and not (self.note or "").strip():
            raise ValueError("a note giving the reason is required when the response is 'declined'")
        return self


class ObservationsNotDone(RecordBase):
    """A due set of observations was not done, and why (INTERFACE.md Additions)."""

    type: Literal["observations_not_done"] = "observations_not_done"
    reason: NotDoneReason
    note: str | None = Field(None, min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _other_needs_a_note(self) -> ObservationsNotDone:
        if self.reason is NotDoneReason.OTHER and not self.note:
            raise ValueError("a note is required when the reason is 'other'")
        return self


Record = (
    VitalsRecord | InfusionStarted | BagChanged | InfusionStopped | InfusionResumed | TherapyDiscontinued
    | MedicationGiven | FluidBolus | VasopressorStarted | VasopressorStopped | Symptom | NeuroAssessment
    | LabResult | GradeConfirmed | Note | EnteredInError | CrsEpisodeClosed | Discharged | Escalation
    | ObservationsNotDone
)

RECORD_MODELS: dict[str, type[RecordBase]] = {
    model.model_fields["type"].default: model
    for model in (
        VitalsRecord, InfusionStarted, BagChanged, InfusionStopped, InfusionResumed, TherapyDiscontinued,
        MedicationGiven, FluidBolus, VasopressorStarted, VasopressorStopped, Symptom, NeuroAssessment,
        LabResult, GradeConfirmed, Note, EnteredInError, CrsEpisodeClosed, Discharged, Escalation,
        ObservationsNotDone,
    )
}


class Patient(_Model):
    """A patient on the ward (INTERFACE.md import file)."""

    mrn: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=120)
    birth_date: date
    sex: Sex = Sex.UNKNOWN
    weight_kg: float | None = Field(None, ge=2, le=300, json_schema_extra={"unit": "kg"})
    height_cm: float | None = Field(None, ge=30, le=250, json_schema_extra={"unit": "cm"})
    indication: Indication
    diagnosis: str | None = Field(None, max_length=200)
    ward: str | None = Field(None, max_length=40)
    bed: str | None = Field(None, max_length=20)
    marrow_blasts_percent: float | None = Field(None, ge=0, le=100, json_schema_extra={"unit": "%"})
    bsa_m2: float | None = Field(
        None, ge=0.1, le=3.5, description="Body surface area from pharmacy (R-DOSE-1)",
        json_schema_extra={"unit": "m²"})
    news2_scale: Literal[1, 2] = Field(
        1, description="SpO2 scale 2 only for documented hypercapnic respiratory failure (RULES.md §4.1)")
    demo: bool = Field(False, description="Synthetic demo patient")

    def age_years(self, at: datetime | date) -> int:
        """Age in whole years on the given day."""
        day = at.date() if isinstance(at, datetime) else at
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


#: Patient fields a ``patient_updated`` record may change (all but the MRN; INTERFACE.md Additions).
PATIENT_UPDATABLE_FIELDS = ("name", "birth_date", "sex", "weight_kg", "height_cm", "indication", "diagnosis", "ward",
                            "bed", "marrow_blasts_percent")


class _PatientUpdatedBase(RecordBase):
    type: Literal["patient_updated"] = "patient_updated"

    @model_validator(mode="after")
    def _at_least_one_field(self) -> _PatientUpdatedBase:
        if not self.changes():
            raise ValueError(f"at least one patient field is needed ({', '.join(PATIENT_UPDATABLE_FIELDS)})")
        return self

    def changes(self) -> dict[str, Any]:
        """The patient fields this record sets (a field given as null clears an optional field)."""
        return {name: getattr(self, name) for name in PATIENT_UPDATABLE_FIELDS if name in self.model_fields_set}


def _updatable_field(name: str) -> tuple[Any, Any]:
    """The patient field's own type and limits (one place for each limit), absent by default."""
    from pydantic.fields import FieldInfo

    info = Patient.model_fields[name]
    return info.annotation, FieldInfo.merge_field_infos(info, default=None)


#: A patient's details change after admission (edit, transfer): the newest ``at`` wins per field, and every earlier
#: value stays in the audit trail (INTERFACE.md Additions). Its fields are the patient's own, with the same limits.
# (type, FieldInfo) per field; typed Any as create_model's **field_definitions are (its options are keywords too)
_PATIENT_FIELDS: dict[str, Any] = {name: _updatable_field(name) for name in PATIENT_UPDATABLE_FIELDS}
PatientUpdated: type[_PatientUpdatedBase] = create_model(
    "PatientUpdated", __base__=_PatientUpdatedBase, __module__=__name__, **_PATIENT_FIELDS)
RECORD_MODELS["patient_updated"] = PatientUpdated


_M = TypeVar("_M", bound=BaseModel)


class StoredRecord:
    """A record as the store holds it: the validated record plus who entered it, when, and its order of entry."""

    __slots__ = ("record", "recorded_at", "recorded_by", "seq")

    def __init__(self, record: RecordBase, seq: int, recorded_at: datetime, recorded_by: str | None):
        self.record = record
        self.seq = seq
        self.recorded_at = recorded_at
        self.recorded_by = recorded_by

    def __repr__(self) -> str:
        return f"StoredRecord(seq={self.seq}, type={self.record.type!r}, at={self.record.at.isoformat()})"


def parse_record(data: Any, prefix: str = "record", *, require_id: bool = False) -> RecordBase:
    """Validate one record from outside (a file, the window, a command), choosing its model by ``type``.

    Strict (INTERFACE.md "Import rules"): a number given as text, ``"yes"`` for a boolean, ``true`` for a number,
    NaN or Infinity are refused, naming the field (``records[0].vasopressors[1]``); the window's Python values pass
    through the same JSON check (core/strict_input.py), so a typed field and an imported one meet the same rules.

    Args:
        require_id: Refuse a record without its ``id`` (an import file: a record without one would get a new id each
            time, and importing the file twice would double it).

    Raises:
        InputError: naming ``prefix.field``, a short escaped excerpt of the value and the limit.
    """
    if not isinstance(data, dict):
        raise InputError(f"{prefix}: expected an object, got {type(data).__name__}")
    kind = data.get("type")
    model = RECORD_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InputError(
            f"{prefix}.type: {excerpt(kind)} is not a record type (one of {', '.join(sorted(RECORD_MODELS))})",
            "type")
    if require_id and data.get("id") is None:
        raise InputError(f"{prefix}.id: is required (every imported record carries its own id, a UUID)", "id")
    return validate_strict(model, data, prefix)


def validate_strict(model: type[_M], data: Any, prefix: str = "") -> _M:
    """Validate outside input against a model in pydantic's strict mode (JSON types only: no text for numbers, no
    ``"yes"`` for a boolean, no ``true`` for a number).

    Raises:
        InputError: naming ``prefix.field`` (list items with their index), the value (a short escaped excerpt) and
            the limit.
    """
    from pydantic import ValidationError

    try:
        return model.model_validate_json(strict_json(data), strict=True)
    except ValidationError as exc:
        raise validation_input_error(exc, model, prefix) from None


# What core.records re-exports from core/record_enums.py and core/record_fields.py (tests, gui and core import them
# from here).
__all__ = [
    "CORTICOSTEROIDS", "FIO2_SETTING_DEVICES", "FLOW_DEVICES", "FREE_TEXT_FIELDS", "POSITIVE_PRESSURE_DEVICES",
    "ROOM_AIR_FIO2", "STORED", "Arousal", "CerebralEdema", "Consciousness", "Drug", "EscalatedTo",
    "EscalationResponse", "Indication", "NotDoneReason", "OxygenDevice", "Purpose", "Seizure", "Sex", "StopReason",
    "Temperature", "Vasopressor", "field_limits"
]
