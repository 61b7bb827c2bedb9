"""Merging another laptop's export (INTERFACE.md "Additions", Import rules).

An import is a merge: records are keyed by ``id`` (those already here are skipped); after admission a patient's
details change only through ``patient_updated`` records, so two laptops that exchange files agree (the newest ``at``
wins for each field, in the fold). A difference between the details a patient was admitted with here and in the
other file is *settled* when the union of the records holds a ``patient_updated`` record for that field; a
difference no record explains is a *conflict*: the rest of the file is imported, this laptop's details stay, and the
other version is kept in the file for an admin or clinician to settle with a ``patient_updated`` record (the patient
page shows it; the import line reports it). Nothing is silently chosen, and a file is never refused because of it.

The same validation, role and correction checks as any import run before (core/services.py ``import_data``);
this module only plans the merge and describes where merged records were entered.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import InputError
from core.records import EnteredInError, Patient, PatientUpdated, RecordBase
from core.store import Store

#: This laptop's name in exports (default: the computer's host name); set once per database file.
LAPTOP_ENV = "CRS_BEDSIDE_LAPTOP"
#: Patient fields compared between laptops (all but the MRN, which identifies the patient).
COMPARED_FIELDS = tuple(name for name in Patient.model_fields if name != "mrn")


def laptop_name(store: Store) -> str:
    """The name this database's exports carry (``$CRS_BEDSIDE_LAPTOP`` or the host name, fixed the first time)."""
    default = (os.environ.get(LAPTOP_ENV) or socket.gethostname() or "laptop").strip()[:80]
    return store.laptop_name(default)


@dataclass(frozen=True)
class Difference:
    """One patient field whose admission value differs here and in the other file, with no record settling it."""

    mrn: str
    field: str
    here: Any
    there: Any

    def text(self) -> str:
        return f"{self.mrn} {self.field} (here {_shown(self.here)}, in the file {_shown(self.there)})"


def _shown(value: Any) -> str:
    return "none" if value is None else str(value)


@dataclass(frozen=True)
class Origin:
    """Where a record was entered: the laptop, when, and by whom (from the export that brought it)."""

    laptop: str | None
    entered_at: str | None
    entered_by: str | None


@dataclass(frozen=True)
class MergePlan:
    """What merging a file would do, before anything is written (the window's preview shows it).

    Attributes:
        source: The other laptop's name (from the file), or ``None`` for a file without one.
        new_patients: Patients not here yet (added as the file has them).
        patients_here: MRNs of the file's patients already here (their details here stay).
        settled: MRNs whose admission details differ but ``patient_updated`` records settle every difference.
        differences: Differences no record explains (kept for review).
        records_new: Records to add.
        records_present: Records already here (skipped).
        origins: Where each record of the file was entered, by id.
        present_ids: The ids of the records already here.
    """

    source: str | None
    new_patients: tuple[Patient, ...]
    patients_here: tuple[str, ...]
    settled: tuple[str, ...]
    differences: tuple[Difference, ...]
    records_new: int
    records_present: int
    origins: dict[str, Origin]
    present_ids: frozenset[str] = frozenset()


def _value(patient: Patient, field: str) -> Any:
    return patient.model_dump(mode="json")[field]


def _settled_fields(records: list[RecordBase]) -> set[str]:
    """The fields that ``patient_updated`` records (not struck out) set."""
    struck = {str(r.target_id) for r in records if isinstance(r, EnteredInError)}
    fields: set[str] = set()
    for record in records:
        if isinstance(record, PatientUpdated) and str(record.id) not in struck:
            fields.update(record.changes())
    return fields


def plan_merge(store: Store, patients: list[Patient], records: list[RecordBase], data: dict[str, Any]) -> MergePlan:
    """Plan the merge of a validated import document (``patients``, ``records``) into ``store``; writes nothing.

    Raises:
        InputError: the document's ``laptop`` or ``origins`` is malformed (naming the field).
    """
    source, origins = parse_origins(data)
    present = store.existing_record_ids(str(r.id) for r in records)
    new_patients: list[Patient] = []
    here_mrns: list[str] = []
    settled: list[str] = []
    differences: list[Difference] = []
    for patient in patients:
        here = store.patient(patient.mrn)
        if here is None:
            new_patients.append(patient)
            continue
        here_mrns.append(patient.mrn)
        differing = [f for f in COMPARED_FIELDS if _value(here, f) != _value(patient, f)]
        if not differing:
            continue
        union = [r.record for r in store.patient_updates(patient.mrn)] + [
            r for r in records if r.mrn == patient.mrn and r.type in ("patient_updated", "entered_in_error")]
        explained = _settled_fields(union)
        open_fields = [f for f in differing if f not in explained]
        if not open_fields:
            settled.append(patient.mrn)
        differences.extend(Difference(patient.mrn, f, _value(here, f), _value(patient, f)) for f in open_fields)
    return MergePlan(source, tuple(new_patients), tuple(here_mrns), tuple(settled), tuple(differences),
                     len(records) - len(present), len(present), origins, frozenset(present))


def parse_origins(data: dict[str, Any]) -> tuple[str | None, dict[str, Origin]]:
    """The optional ``laptop`` (a name) and ``origins`` (``[{"id", "laptop", "entered_at", "entered_by"}]``) of an
    export, with strict types.

    Raises:
        InputError: naming ``laptop`` or ``origins[i].field`` and the reason.
    """
    source = data.get("laptop")
    if source is not None and (not isinstance(source, str) or not source.strip() or len(source) > 80):
        raise InputError(f"laptop: {source!r} is not a laptop name (text of 1–80 characters)", "laptop")
    raw = data.get("origins", [])
    if not isinstance(raw, list):
        raise InputError("origins: must be a list", "origins")
    origins: dict[str, Origin] = {}
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(f"origins[{index}]: expected an object, got {type(item).__name__}", "origins")
        unknown = sorted(set(item) - {"id", "laptop", "entered_at", "entered_by"})
        if unknown:
            raise InputError(f"origins[{index}].{unknown[0]}: unknown field (check the spelling)", "origins")
        for key in ("id", "laptop", "entered_at", "entered_by"):
            value = item.get(key)
            if key == "id" and not isinstance(value, str):
                raise InputError(f"origins[{index}].id: {value!r} is not a record id", "origins")
            if value is not None and (not isinstance(value, str) or len(value) > 80):
                raise InputError(f"origins[{index}].{key}: {value!r} is not text of at most 80 characters", "origins")
        if item.get("entered_at") is not None:
            try:
                when = datetime.fromisoformat(item["entered_at"])
            except ValueError:
                when = None
            if when is None or when.tzinfo is None:
                raise InputError(f"origins[{index}].entered_at: {item['entered_at']!r} is not an ISO 8601 time "
                                 "with a UTC offset", "origins")
        origins[item["id"]] = Origin(item.get("laptop"), item.get("entered_at"), item.get("entered_by"))
    return source, origins


@dataclass(frozen=True)
class OpenConflict:
    """A kept difference not yet settled by a ``patient_updated`` record of its field."""

    mrn: str
    field: str
    here: Any
    there: Any
    source: str
    found_at: str
    found_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {"mrn": self.mrn, "field": self.field, "here": self.here, "there": self.there, "source": self.source,
                "found_at": self.found_at, "found_by": self.found_by}


def open_conflicts(store: Store, mrn: str | None = None) -> list[OpenConflict]:
    """The kept differences of a patient (or of every patient) that no ``patient_updated`` record has settled."""
    rows = store.conflicts(mrn)
    settled: dict[str, set[str]] = {}
    found = []
    for row in rows:
        key = str(row["mrn"])
        if key not in settled:
            settled[key] = _settled_fields([r.record for r in store.patient_updates(key)])
        if row["field"] in settled[key]:
            continue
        found.append(OpenConflict(key, str(row["field"]), json.loads(str(row["here"])),
                                  json.loads(str(row["there"])), str(row["source"]), str(row["found_at"]),
                                  row["found_by"]))
    return found


def keep_differences(store: Store, plan: MergePlan, now: datetime, by: str | None, file_name: str) -> int:
    """Keep the plan's unexplained differences (inside the caller's transaction); how many were new."""
    source = plan.source or file_name
    return sum(store.add_conflict(d.mrn, d.field, json.dumps(d.here), json.dumps(d.there), source, now, by)
               for d in plan.differences)


def keep_origins(store: Store, plan: MergePlan, records: list[RecordBase], file_name: str) -> None:
    """Note where each record the merge adds was entered and which laptop (or file) it came from (inside the
    caller's transaction)."""
    arrived_from = plan.source or file_name
    store.add_origins((str(r.id), *_origin_tuple(plan.origins.get(str(r.id)), plan.source), arrived_from)
                      for r in records if str(r.id) not in plan.present_ids)


def _origin_tuple(origin: Origin | None, source: str | None) -> tuple[str | None, str | None, str | None]:
    if origin is None:
        return (source, None, None)
    return (origin.laptop, origin.entered_at, origin.entered_by)
