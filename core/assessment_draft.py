"""The records one bedside assessment makes, and what the trend draws from a patient's records.

The vitals wizard (gui/wizard.py) gathers plain values — numbers, enum values, ticks — into an
:class:`AssessmentEntry`; :func:`draft_records` decides which records they become (a vitals set, the first of a
repeated low blood pressure, an ICE assessment, symptoms, a fluid bolus). The same list is previewed (graded, nothing
written) and then recorded in one transaction by ``Bedside.preview`` / ``Bedside.record_many``.

The trend chart (gui/trend_chart.py) asks here which points and markers to draw (corrections left out) and where the
hypotension line is for the patient's age (R-AST-3), so no clinical choice is made in a Qt slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.protocol import Protocol
from core.records import (
    FIO2_SETTING_DEVICES,
    Consciousness,
    MedicationGiven,
    OxygenDevice,
    Purpose,
    RecordType,
    StoredRecord,
)
from core.rules.crs import CrsInput, hypotension_present, hypotension_sbp_limit
from core.state import PatientState

#: One record of a draft: its type and its fields, as ``Bedside.record_many`` and ``Bedside.preview`` take them.
DraftRecord = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class OxygenQuestions:
    """Which oxygen questions a device asks."""

    flow: bool      # the flow in l/min: any device other than room air
    fio2: bool      # the FiO2 set on the device (D5): only where the device sets one
    comfort: bool   # "oxygen for comfort only" (ASTCT footnote 7): only on oxygen


def oxygen_questions(device: str) -> OxygenQuestions:
    """The questions of the oxygen step for ``device`` (an ``OxygenDevice`` value).

    D5: the FiO2 is asked only for a device that sets it (``FIO2_SETTING_DEVICES``); on room air neither the flow
    nor the comfort question applies.
    """
    chosen = OxygenDevice(device)
    on_oxygen = chosen is not OxygenDevice.ROOM_AIR
    return OxygenQuestions(flow=on_oxygen, fio2=chosen in FIO2_SETTING_DEVICES, comfort=on_oxygen)


def asks_for_ice(consciousness: str) -> bool:
    """R-ICN-1: new confusion (ACVPU "C") asks for an ICE assessment now."""
    return Consciousness(consciousness) is Consciousness.NEW_CONFUSION


def low_bp_needs_repeat(systolic_bp: float | None, age_years: int | None, protocol: Protocol) -> bool:
    """D4 / R-AST-3: a systolic pressure below the limit for the age counts at once; the wizard asks for a repeat
    reading (and for fluids or vasopressors given). ``None`` (not typed) asks nothing."""
    if systolic_bp is None:
        return False
    return hypotension_present(CrsInput(systolic_bp=int(systolic_bp), age_years=age_years), protocol)


@dataclass(frozen=True)
class IceEntry:
    """The ICE assessment typed in the wizard (the score may be left empty when it cannot be done)."""

    ice_score: int | None
    arousal: str
    seizure: str


@dataclass(frozen=True)
class AssessmentEntry:
    """What the nurse typed and ticked in the vitals wizard, as plain values.

    ``measured`` holds the numeric fields the wizard showed (``temperature_c`` in °C, ``heart_rate``,
    ``respiratory_rate``, ``systolic_bp``, ``diastolic_bp``, ``oxygen_flow_l_min``, ``fio2_percent``,
    ``spo2_percent``), each ``None`` when left empty; a field the wizard did not show is absent.
    """

    measured: Mapping[str, float | int | None]
    oxygen_device: str
    consciousness: str
    oxygen_for_comfort_only: bool = False
    fluid_bolus_given: bool = False
    vasopressors: Sequence[str] = ()
    repeat_systolic_bp: float | int | None = None
    repeat_diastolic_bp: float | int | None = None
    ice: IceEntry | None = None
    symptoms: Sequence[str] = ()
    bolus_volume_ml: float | None = None
    age_years: int | None = None   # the patient's age on the day (the low blood pressure limit, R-AST-3)


def draft_records(entry: AssessmentEntry, protocol: Protocol) -> list[DraftRecord]:
    """The records this assessment makes, in the order they are recorded.

    - one ``vitals`` set with every measured value, the oxygen device (and comfort only when on oxygen), the
      consciousness, the fluid bolus tick and the vasopressors running;
    - D4 / R-AST-3: when the systolic pressure is low for the age and a repeat systolic was typed, the first (low)
      reading is kept as its own ``vitals`` record before the set, and the set carries the repeat — so the set stays
      complete for NEWS2 (R-NEWS-1) and the latest blood pressure is the repeated one (a repeat without its
      diastolic leaves the set without a diastolic);
    - a ``neuro_assessment`` (ICE score, arousal, seizure) when the consciousness is new confusion (R-ICN-1);
    - a ``symptom`` for each symptom ticked, in the order given;
    - a ``fluid_bolus`` with its volume when a bolus was ticked and its volume typed (issue 13).
    """
    vitals: dict[str, Any] = dict(entry.measured)
    vitals["oxygen_device"] = entry.oxygen_device
    if entry.oxygen_for_comfort_only and oxygen_questions(entry.oxygen_device).comfort:
        vitals["oxygen_for_comfort_only"] = True
    vitals["consciousness"] = entry.consciousness
    if entry.fluid_bolus_given:
        vitals["fluid_bolus_given"] = True
    if entry.vasopressors:
        vitals["vasopressors"] = list(entry.vasopressors)
    records: list[DraftRecord] = [("vitals", vitals)]
    systolic = vitals.get("systolic_bp")
    if entry.repeat_systolic_bp is not None and low_bp_needs_repeat(systolic, entry.age_years, protocol):
        first = {"systolic_bp": systolic, "diastolic_bp": vitals.get("diastolic_bp")}
        vitals["systolic_bp"] = entry.repeat_systolic_bp
        if entry.repeat_diastolic_bp is None:
            vitals.pop("diastolic_bp", None)
        else:
            vitals["diastolic_bp"] = entry.repeat_diastolic_bp
        records.insert(0, ("vitals", first))
    if entry.ice is not None and asks_for_ice(entry.consciousness):
        records.append(("neuro_assessment", {
            "ice_score": entry.ice.ice_score, "arousal": entry.ice.arousal, "seizure": entry.ice.seizure}))
    records.extend(("symptom", {"name": name}) for name in entry.symptoms)
    if entry.fluid_bolus_given and entry.bolus_volume_ml is not None:
        records.append(("fluid_bolus", {"volume_ml": float(entry.bolus_volume_ml)}))
    return records


# -- what the trend draws --------------------------------------------------------------------------------------------

#: The interventions the trend marks, by record type (a medicine only when given for CRS).
TREND_MARKER_TYPES: tuple[RecordType, ...] = ("fluid_bolus", "medication_given", "vasopressor_started",
                                            "infusion_stopped")


def vital_points(state: PatientState, records: Sequence[StoredRecord],
                 names: Sequence[str]) -> dict[str, list[tuple[datetime, float]]]:
    """The time and value of each vital named, from the vitals records not entered in error, in record order."""
    points: dict[str, list[tuple[datetime, float]]] = {name: [] for name in names}
    for stored in records:
        r = stored.record
        if r.type != "vitals" or str(r.id) in state.superseded:
            continue
        for name, found in points.items():
            value = getattr(r, name, None)
            if value is not None:
                found.append((r.at, float(value)))
    return points


def intervention_times(state: PatientState, records: Sequence[StoredRecord]) -> dict[RecordType, list[datetime]]:
    """When each marked intervention happened (``TREND_MARKER_TYPES``): records entered in error are left out, and
    a medicine counts only when it was given as CRS treatment."""
    times: dict[RecordType, list[datetime]] = {kind: [] for kind in TREND_MARKER_TYPES}
    for stored in records:   # the type first: the id of every record in text was most of a redraw's time
        r = stored.record
        if r.type in times and str(r.id) not in state.superseded and (
                not isinstance(r, MedicationGiven) or r.purpose is Purpose.CRS_TREATMENT):
            times[r.type].append(r.at)
    return times


def hypotension_line(state: PatientState, protocol: Protocol) -> float:
    """The systolic pressure below which a reading is hypotension for this patient at the state's moment
    (R-AST-3: the protocol's adult limit, or the paediatric limit for the child's age), drawn on the trend."""
    return float(hypotension_sbp_limit(state.patient.age_years(state.at), protocol))


__all__ = ["TREND_MARKER_TYPES", "AssessmentEntry", "DraftRecord", "IceEntry", "OxygenQuestions", "asks_for_ice",
           "draft_records", "hypotension_line", "intervention_times", "low_bp_needs_repeat", "oxygen_questions",
           "vital_points"]
