"""One patient's records read once for the FHIR mapping (core/fhir/mapping.py): the records in the fold's order, the
state after each (the fold's history), corrections and what they strike out, the infusion segments with their status
and end, the vasopressor starts with their stops, and which earlier records a record changes; and the stable
``urn:uuid`` addresses of the bundle's entries.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.clock import utc
from core.fhir import codes as c
from core.protocol import Protocol
from core.records import (
    BagChanged,
    EnteredInError,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    Patient,
    StoredRecord,
    TherapyDiscontinued,
    VasopressorStarted,
    VasopressorStopped,
)
from core.state import PatientState, effective_records, fold, fold_history, fold_order

#: Namespace of the entries' ``urn:uuid`` full URLs (derived from the record's UUID, never equal to it).
ENTRY_NAMESPACE = uuid.UUID("0b8e4f0e-52a4-4c1b-9a8e-1f7e3d2c6b5a")
SEGMENT_STARTS = (InfusionStarted, BagChanged, InfusionResumed)
SEGMENT_EVENTS = (*SEGMENT_STARTS, InfusionStopped, TherapyDiscontinued)


def entry_url(key: str) -> str:
    """A stable ``urn:uuid`` for a bundle entry (a UUID derived from ``key``)."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, key)}"


def patient_url(mrn: str) -> str:
    return entry_url(f"patient/{mrn}")


class PatientFacts:
    """What the FHIR resources of one patient's records are built from (:class:`core.fhir.mapping.PatientResources`
    is this class with the resources).

    Args:
        patient: The patient as admitted.
        records: Every record of the patient (any order), corrections and corrected ones included.
        protocol: The ward protocol (the derived grades are the app's own).
    """

    def __init__(self, patient: Patient, records: Iterable[StoredRecord], protocol: Protocol):
        self.protocol = protocol
        self.admitted = patient
        self.records = sorted(records, key=fold_order)   # the fold's order: zipped with fold_history below
        self.by_id = {str(r.record.id): r for r in self.records}
        kept, self.superseded = effective_records(self.records)
        self.corrections = {str(r.record.target_id): r for r in self.records if isinstance(r.record, EnteredInError)}
        history = fold_history(patient, self.records, protocol)
        self.states: dict[str, PatientState] = {str(s.record.id): state for s, state in zip(kept, history, strict=True)}
        self.patient = history[-1].patient if history else patient
        self._segments = self._segment_statuses(list(kept))
        self._vasopressor_stops = self._vasopressor_pairs(kept)
        self._affects: dict[str, list[str]] = {}
        for start_id, (end, after) in self._segment_ends.items():
            for event in (end, after):
                if event is not None:
                    self._affects.setdefault(str(event.record.id), []).append(start_id)
        for start_id, stop in self._vasopressor_stops.items():
            self._affects.setdefault(str(stop.record.id), []).append(start_id)

    # -- derived facts ------------------------------------------------------------------------------------------
    def _segment_statuses(self, kept: list[StoredRecord]) -> dict[str, tuple[str, str | None, datetime | None]]:
        """Infusion segments (a start, bag change or restart until the next infusion event): status, status reason,
        end. Ended by the next bag or a completed cycle: completed; interrupted (a hold): on-hold until a restart
        or a discontinuation makes it stopped; still running: in-progress."""
        events = [r for r in kept if isinstance(r.record, SEGMENT_EVENTS)]
        statuses: dict[str, tuple[str, str | None, datetime | None]] = {}
        self._segment_ends: dict[str, tuple[StoredRecord | None, StoredRecord | None]] = {}
        for index, stored in enumerate(events):
            if not isinstance(stored.record, SEGMENT_STARTS):
                continue
            end = events[index + 1] if index + 1 < len(events) else None
            after = events[index + 2] if index + 2 < len(events) else None
            key = str(stored.record.id)
            self._segment_ends[key] = (end, None)
            if end is None:
                statuses[key] = ("in-progress", None, None)
            elif isinstance(end.record, SEGMENT_STARTS):
                statuses[key] = ("completed", None, end.record.at)
            elif isinstance(end.record, TherapyDiscontinued):
                statuses[key] = ("stopped", "therapy_discontinued", end.record.at)
            else:
                stop = end.record
                assert isinstance(stop, InfusionStopped)  # the one other kind of SEGMENT_EVENTS
                if stop.reason.value == "cycle_complete":
                    statuses[key] = ("completed", "cycle_complete", stop.at)
                else:
                    self._segment_ends[key] = (end, after)
                    statuses[key] = ("on-hold" if after is None else "stopped", stop.reason.value, stop.at)
        return statuses

    @staticmethod
    def _vasopressor_pairs(kept: list[StoredRecord]) -> dict[str, StoredRecord]:
        """Each vasopressor start -> the stop of the same agent that ended it."""
        running: dict[str, StoredRecord] = {}
        pairs: dict[str, StoredRecord] = {}
        for stored in kept:
            record = stored.record
            if isinstance(record, VasopressorStarted):
                running.setdefault(record.agent.value, stored)
            elif isinstance(record, VasopressorStopped) and record.agent.value in running:
                pairs[str(running.pop(record.agent.value).record.id)] = stored
        return pairs

    def state_after(self, stored: StoredRecord) -> PatientState:
        """The patient's state right after this record (for a corrected record: at its time, without it)."""
        state = self.states.get(str(stored.record.id))
        if state is None:
            state = fold(self.admitted, self.records, utc(stored.record.at), self.protocol)
        return state

    def affected_by(self, record_id: str) -> list[str]:
        """The earlier records whose resources this record changes (a segment's end and status, a vasopressor's
        stop, a correction's target)."""
        stored = self.by_id.get(record_id)
        if stored is not None and isinstance(stored.record, EnteredInError):
            return [str(stored.record.target_id)]
        return list(self._affects.get(record_id, []))

    def _base(self, stored: StoredRecord, key: str) -> tuple[str, dict[str, Any]]:
        record_id = str(stored.record.id)
        return entry_url(f"{record_id}/{key}"), {
            "identifier": [{"system": c.RECORD_ID_SYSTEM, "value": record_id}],
            "subject": {"reference": patient_url(self.admitted.mrn)},
        }
