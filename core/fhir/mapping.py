"""Records as FHIR R4 resources, built and validated with ``fhir.resources`` (its R4B models, pydantic v2).

One patient at a time: :class:`PatientResources` reads the patient's records once (the fold's history gives the
NEWS2, CRS and ICANS results after each record; the infusion records give the segments and their status) and answers
:meth:`PatientResources.for_record`, the resources one record stands for, each with the search that finds it again on
a server (the record's UUID under :data:`core.fhir.codes.RECORD_ID_SYSTEM`), so that a push can create it only if
it is absent (``ifNoneExist``) or update it when a later record changes it (:meth:`PatientResources.affected_by`).

The mapping (docs/INSTALL.md has the table): vital signs as ``Observation`` (LOINC, UCUM, the R4 vital-signs
profiles); ACVPU and NEWS2 (SNOMED CT, sub-scores as components, ``derivedFrom`` the vital signs of the set); the CRS
grade as one ``Observation`` per scale and ICANS with its ICE score, under the product's code system; infusion
segments, medicines, fluids and vasopressors as ``MedicationAdministration`` (never ``MedicationRequest``: the app
does not order); a corrected record's resources with status ``entered-in-error``; who entered each record as a
``Provenance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.provenance import Provenance
from pydantic import BaseModel

from core.clock import utc
from core.fhir import codes as c
from core.fhir.patient_facts import SEGMENT_STARTS, PatientFacts, entry_url, patient_url
from core.records import (
    BagChanged,
    CrsEpisodeClosed,
    Discharged,
    EnteredInError,
    Escalation,
    FluidBolus,
    GradeConfirmed,
    InfusionResumed,
    InfusionStarted,
    LabResult,
    MedicationGiven,
    NeuroAssessment,
    Note,
    ObservationsNotDone,
    StoredRecord,
    Symptom,
    VasopressorStarted,
    VitalsRecord,
)

#: The shapes (nested keys and value types) already validated by their ``fhir.resources`` model in this process.
_VALIDATED_SHAPES: set[object] = set()


def _shape(value: Any) -> object:
    if isinstance(value, dict):
        return tuple((key, _shape(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(dict.fromkeys(_shape(item) for item in value))
    return type(value).__name__


def checked(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` once its ``fhir.resources`` model accepted a resource of the same shape.

    The model's validation costs about 1.3 ms a resource (a month of a ward is 240,000 resources): each distinct
    shape (the nested elements present and the types of their values) is validated the first time it occurs; the
    values themselves come from validated records. The test suite validates every resource of an exported ward
    against the R4 StructureDefinitions (tests/cli/test_fhir_export.py).

    Raises:
        pydantic.ValidationError: the resource does not conform to its model (a mapping defect).
    """
    key = (model, _shape(data))
    if key not in _VALIDATED_SHAPES:
        model.model_validate(data)
        _VALIDATED_SHAPES.add(key)
    return data


@dataclass(frozen=True)
class Built:
    """One resource made from a record.

    Attributes:
        resource: The resource as FHIR JSON, checked by its ``fhir.resources`` model (:func:`checked`).
        full_url: The entry's ``urn:uuid`` (stable: derived from the record's UUID and ``key``).
        search: The conditional search that finds this resource on a server (``ifNoneExist`` / conditional update).
        record_id: The record it stands for (its identifier).
    """

    resource: dict[str, Any]
    full_url: str
    search: str
    record_id: str

    @property
    def resource_type(self) -> str:
        return str(self.resource["resourceType"])

    def json(self) -> dict[str, Any]:
        """The resource as FHIR JSON."""
        return self.resource


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(system: str, pair: tuple[str, str], text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [_coding(system, pair[0], pair[1])]}
    if text:
        concept["text"] = text
    return concept


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": c.UCUM, "code": unit}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [_coding(c.OBSERVATION_CATEGORY, code, display)]}]


VITAL_SIGNS_CATEGORY = _category("vital-signs", "Vital Signs")
SURVEY_CATEGORY = _category("survey", "Survey")
EXAM_CATEGORY = _category("exam", "Exam")
LAB_CATEGORY = _category("laboratory", "Laboratory")


def _iso(dt: datetime) -> str:
    return dt.isoformat()

class PatientResources(PatientFacts):
    """The FHIR resources of one patient's records (the facts they are built from: :class:`PatientFacts`,
    core/fhir/patient_facts.py).

    Args:
        patient: The patient as admitted.
        records: Every record of the patient (any order), corrections and corrected ones included.
        protocol: The ward protocol (the derived grades are the app's own).
    """

    # -- resources ----------------------------------------------------------------------------------------------
    def patient_resource(self) -> Built:
        """The patient (details as the records leave them), identified by the MRN."""
        p = self.patient
        data: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [{"use": "usual", "type": _concept(c.V2_IDENTIFIER_TYPE, ("MR", "Medical record number")),
                            "system": c.MRN_SYSTEM, "value": p.mrn}],
            "name": [{"text": p.name}],
            "gender": c.GENDER[p.sex.value],
            "birthDate": p.birth_date.isoformat(),
        }
        if p.demo:
            data["meta"] = {"tag": [_coding(c.LOCAL_SYSTEM, "synthetic", "Synthetic demo patient")]}
        return Built(checked(FhirPatient, data), patient_url(p.mrn), f"identifier={c.MRN_SYSTEM}|{p.mrn}", "")

    def for_record(self, stored: StoredRecord) -> list[Built]:
        """The resources this record stands for, its ``Provenance`` last. A correction stands for its target's
        resources (now ``entered-in-error``) and the Provenance of the correction; a stop, a restart or a
        discontinuation for the segment it ends."""
        record = stored.record
        if isinstance(record, EnteredInError):
            target = self.by_id.get(str(record.target_id))
            built = [b for b in self._own(target) if b.resource_type != "Provenance"] if target else []
            return [*built, self._provenance(stored, built)]
        if record.type == "patient_updated":
            own = [self.patient_resource()]
        else:
            own = self._own(stored) or [
                b for rid in self.affected_by(str(record.id)) for b in self._own(self.by_id[rid])]
        return [*own, self._provenance(stored, own)]

    def _own(self, stored: StoredRecord) -> list[Built]:
        record = stored.record
        builder = _BUILDERS.get(type(record))
        if builder is None:
            return []
        return builder(self, stored, str(record.id) in self.superseded)

    def _observation(self, stored: StoredRecord, key: str, code: dict[str, Any], system_code: str,
                     corrected: bool, category: list[dict[str, Any]], profile: str | None = None,
                     status: str = "final", **fields: Any) -> Built:
        url, data = self._base(stored, key)
        data.update({"resourceType": "Observation", "status": "entered-in-error" if corrected else status,
                     "category": category, "code": code, "effectiveDateTime": _iso(stored.record.at)})
        if profile:
            data["meta"] = {"profile": [c.PROFILE + profile]}
        data.update(fields)
        record_id = str(stored.record.id)
        return Built(checked(Observation, data), url,
                     f"identifier={c.RECORD_ID_SYSTEM}|{record_id}&code={system_code}", record_id)

    def _vitals(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, VitalsRecord)  # _BUILDERS chose this builder by the record's model
        built: list[Built] = []
        for field, (code, display, unit, profile) in c.VITAL_SIGNS.items():
            value = getattr(record, field)
            if value is None:
                continue
            built.append(self._observation(
                stored, field, _concept(c.LOINC, (code, display)), f"{c.LOINC}|{code}", corrected,
                VITAL_SIGNS_CATEGORY, profile, valueQuantity=_quantity(value, unit)))
        if record.systolic_bp is not None or record.diastolic_bp is not None:
            components = []
            for pair, value in ((c.SYSTOLIC, record.systolic_bp), (c.DIASTOLIC, record.diastolic_bp)):
                component: dict[str, Any] = {"code": _concept(c.LOINC, pair)}
                if value is None:
                    component["dataAbsentReason"] = {"coding": [_coding(c.DATA_ABSENT_REASON, "not-performed")]}
                else:
                    component["valueQuantity"] = _quantity(value, "mm[Hg]")
                components.append(component)
            built.append(self._observation(
                stored, "blood_pressure", _concept(c.LOINC, c.BP_PANEL), f"{c.LOINC}|{c.BP_PANEL[0]}", corrected,
                VITAL_SIGNS_CATEGORY, "bp", component=components))
        if record.spo2_percent is not None:
            spo2_code = {"coding": [_coding(c.LOINC, *c.SPO2), _coding(c.LOINC, *c.SPO2_PULSE_OXIMETRY)]}
            built.append(self._observation(
                stored, "spo2_percent", spo2_code, f"{c.LOINC}|{c.SPO2[0]}", corrected, VITAL_SIGNS_CATEGORY,
                "oxygensat", valueQuantity=_quantity(record.spo2_percent, "%")))
        if record.consciousness is not None:
            built.append(self._observation(
                stored, "consciousness", _concept(c.SNOMED, c.ACVPU), f"{c.SNOMED}|{c.ACVPU[0]}", corrected,
                EXAM_CATEGORY, valueCodeableConcept=_concept(c.SNOMED, c.ACVPU_ANSWERS[record.consciousness.value])))
        measured = [{"reference": b.full_url} for b in built]
        state = self.state_after(stored)
        derived: dict[str, Any] = {"derivedFrom": measured} if measured else {}
        score = state.news2
        if score.score is not None and state.news2_as_of is not None and utc(state.news2_as_of) == utc(record.at):
            components = [{"code": _concept(c.LOCAL_SYSTEM, c.NEWS2_SUBSCORES[name]), "valueInteger": value}
                          for name, value in score.parameter_scores.items() if name in c.NEWS2_SUBSCORES]
            built.append(self._observation(
                stored, "news2", _concept(c.SNOMED, c.NEWS2), f"{c.SNOMED}|{c.NEWS2[0]}", corrected, SURVEY_CATEGORY,
                valueInteger=score.score, component=components, **derived))
        grades = {"astct_2019": state.crs.computed.astct.grade, "ctcae_v5": state.crs.computed.ctcae.grade}
        for scale, (code, display, method, method_display) in c.CRS_SCALES.items():
            built.append(self._observation(
                stored, f"crs_{scale}", _concept(c.LOCAL_SYSTEM, (code, display)), f"{c.LOCAL_SYSTEM}|{code}",
                corrected, SURVEY_CATEGORY, valueInteger=grades[scale],
                method=_concept(c.LOCAL_SYSTEM, (method, method_display)), **derived))
        return built

    def _neuro(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, NeuroAssessment)  # _BUILDERS chose this builder by the record's model
        state = self.state_after(stored)
        fields: dict[str, Any] = {}
        if state.icans.grade is not None:
            fields["valueInteger"] = state.icans.grade
        else:
            fields["dataAbsentReason"] = {"coding": [_coding(c.DATA_ABSENT_REASON, "not-performed")]}
        if record.ice_score is not None:
            fields["component"] = [{"code": _concept(c.LOCAL_SYSTEM, c.ICE_SCORE), "valueInteger": record.ice_score}]
        return [self._observation(stored, "icans", _concept(c.LOCAL_SYSTEM, c.ICANS), f"{c.LOCAL_SYSTEM}|{c.ICANS[0]}",
                                  corrected, SURVEY_CATEGORY,
                                  method=_concept(c.LOCAL_SYSTEM, c.CRS_SCALES["astct_2019"][2:]), **fields)]

    def _administration(self, stored: StoredRecord, key: str, corrected: bool, medication: dict[str, Any],
                        status: str, **fields: Any) -> Built:
        url, data = self._base(stored, key)
        data.update({"resourceType": "MedicationAdministration",
                     "status": "entered-in-error" if corrected else status,
                     "medicationCodeableConcept": medication})
        data.update(fields)
        record_id = str(stored.record.id)
        return Built(checked(MedicationAdministration, data), url,
                     f"identifier={c.RECORD_ID_SYSTEM}|{record_id}", record_id)

    def _segment(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, SEGMENT_STARTS)  # _BUILDERS chose this builder by the record's model
        status, reason, end = self._segments.get(str(record.id), ("entered-in-error", None, None))
        per_day = record.dose_mcg * 24 / record.duration_h
        period: dict[str, Any] = {"start": _iso(record.at)}
        if end is not None:
            period["end"] = _iso(end)
        fields: dict[str, Any] = {
            "effectivePeriod": period,
            "dosage": {"text": f"{record.dose_mcg:g} ug over {record.duration_h:g} h",
                       "route": {"text": "intravenous"},
                       "dose": _quantity(record.dose_mcg, "ug"),
                       "rateQuantity": _quantity(round(per_day, 3), "ug/d")},
        }
        if reason is not None:
            fields["statusReason"] = [_concept(c.LOCAL_SYSTEM, c.STOP_REASONS[reason])]
        return [self._administration(stored, "segment", corrected, _concept(c.ATC, c.BLINATUMOMAB), status, **fields)]

    def _medication(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, MedicationGiven)  # _BUILDERS chose this builder by the record's model
        drug = c.DRUGS.get(record.drug.value)
        medication = _concept(c.ATC, drug) if drug else {"text": "other medicine"}
        return [self._administration(
            stored, "medication", corrected, medication, "completed", effectiveDateTime=_iso(record.at),
            reasonCode=[_concept(c.LOCAL_SYSTEM, c.PURPOSES[record.purpose.value])],
            dosage={"dose": _quantity(record.dose_mg, "mg")})]

    def _fluid(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, FluidBolus)  # _BUILDERS chose this builder by the record's model
        return [self._administration(
            stored, "fluid", corrected, _concept(c.LOCAL_SYSTEM, ("fluid-bolus", "Intravenous fluid bolus")),
            "completed", effectiveDateTime=_iso(record.at), dosage={"dose": _quantity(record.volume_ml, "mL")})]

    def _vasopressor(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, VasopressorStarted)  # _BUILDERS chose this builder by the record's model
        stop = self._vasopressor_stops.get(str(record.id))
        period: dict[str, Any] = {"start": _iso(record.at)}
        if stop is not None:
            period["end"] = _iso(stop.record.at)
        return [self._administration(
            stored, "vasopressor", corrected, _concept(c.ATC, c.VASOPRESSORS[record.agent.value]),
            "completed" if stop is not None else "in-progress", effectivePeriod=period)]

    def _local(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        code = c.LOCAL_OBSERVATIONS[record.type]
        category = EXAM_CATEGORY
        fields: dict[str, Any] = {}
        if isinstance(record, Symptom):
            fields["valueCodeableConcept"] = {"text": record.name}
            if record.note:
                fields["note"] = [{"text": record.note}]
        elif isinstance(record, Note):
            fields["valueString"] = record.text
        elif isinstance(record, GradeConfirmed):
            fields.update(valueInteger=record.grade, note=[{"text": record.reason}], category=SURVEY_CATEGORY)
        elif isinstance(record, CrsEpisodeClosed):
            fields.update(valueString=record.reason)
        elif isinstance(record, Discharged):
            fields["valueString"] = record.note or "discharged"
        elif isinstance(record, LabResult):
            category = LAB_CATEGORY
            fields["valueQuantity"] = {"value": record.value, "unit": record.unit}
            code = (f"lab-{record.test}", record.test)
        category = fields.pop("category", category)
        return [self._observation(stored, record.type, _concept(c.LOCAL_SYSTEM, code), f"{c.LOCAL_SYSTEM}|{code[0]}",
                                  corrected, category, **fields)]

    def _not_done(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, ObservationsNotDone)  # _BUILDERS chose this builder by the record's model
        absent = "asked-declined" if record.reason.value == "refused" else "not-performed"
        text = record.reason.value + (f": {record.note}" if record.note else "")
        return [self._observation(
            stored, "not_done", _concept(c.LOINC, c.VITAL_SIGNS_PANEL), f"{c.LOINC}|{c.VITAL_SIGNS_PANEL[0]}",
            corrected, VITAL_SIGNS_CATEGORY, status="cancelled",
            dataAbsentReason={"coding": [_coding(c.DATA_ABSENT_REASON, absent)], "text": text})]

    def _escalation(self, stored: StoredRecord, corrected: bool) -> list[Built]:
        record = stored.record
        assert isinstance(record, Escalation)  # _BUILDERS chose this builder by the record's model
        url, data = self._base(stored, "escalation")
        who = record.to.value + (f" ({record.name})" if record.name else "")
        text = (f"Escalated to {who}: {record.response.value}; answers {', '.join(record.acknowledges)}"
                + (f". {record.note}" if record.note else ""))
        data.update({"resourceType": "Communication", "status": "entered-in-error" if corrected else "completed",
                     "sent": _iso(record.at), "recipient": [{"display": who}],
                     "payload": [{"contentString": text}]})
        record_id = str(record.id)
        return [Built(checked(Communication, data), url, f"identifier={c.RECORD_ID_SYSTEM}|{record_id}",
                      record_id)]

    def _provenance(self, stored: StoredRecord, targets: list[Built]) -> Built:
        """Who entered the record, when it happened and when it was entered (Provenance has no identifier: the
        record's UUID is its tag, the search key of a conditional create)."""
        record = stored.record
        record_id = str(record.id)
        who = record.by or stored.recorded_by or "unknown"
        data: dict[str, Any] = {
            "resourceType": "Provenance",
            "meta": {"tag": [_coding(c.RECORD_ID_SYSTEM, record_id)]},
            "target": [{"reference": b.full_url} for b in targets] or [{"reference": patient_url(record.mrn)}],
            "occurredDateTime": _iso(record.at),
            "recorded": _iso(stored.recorded_at),
            "agent": [{"type": _concept(c.PROVENANCE_PARTICIPANT, ("author", "Author")), "who": {"display": who}}],
            "entity": [{"role": "source", "what": {"identifier": {"system": c.RECORD_ID_SYSTEM, "value": record_id},
                                                   "display": f"CRS Bedside record {record.type}"}}],
        }
        if isinstance(record, EnteredInError):
            data["reason"] = [{"text": f"entered in error: {record.reason}"}]
        return Built(checked(Provenance, data), entry_url(f"{record_id}/provenance"),
                     f"_tag={c.RECORD_ID_SYSTEM}|{record_id}", record_id)


_BUILDERS = {
    VitalsRecord: PatientResources._vitals,
    NeuroAssessment: PatientResources._neuro,
    InfusionStarted: PatientResources._segment,
    BagChanged: PatientResources._segment,
    InfusionResumed: PatientResources._segment,
    MedicationGiven: PatientResources._medication,
    FluidBolus: PatientResources._fluid,
    VasopressorStarted: PatientResources._vasopressor,
    Symptom: PatientResources._local,
    Note: PatientResources._local,
    GradeConfirmed: PatientResources._local,
    CrsEpisodeClosed: PatientResources._local,
    Discharged: PatientResources._local,
    LabResult: PatientResources._local,
    ObservationsNotDone: PatientResources._not_done,
    Escalation: PatientResources._escalation,
}
