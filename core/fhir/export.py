"""``crs-bedside export --format fhir-r4``: everything in the file as one FHIR R4 ``Bundle`` of type ``collection``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from core.fhir import codes as c
from core.fhir.mapping import Built, PatientResources
from core.protocol import Protocol
from core.store import Store


def patient_contexts(store: Store, protocol: Protocol) -> dict[str, PatientResources]:
    """Every patient's records, ready to be mapped (discharged patients included)."""
    return {p.mrn: PatientResources(p, store.records(p.mrn), protocol) for p in store.patients()}


def collection_entries(contexts: dict[str, PatientResources]) -> list[Built]:
    """Each patient and the resources of every record, each resource once (a resource that later records changed,
    such as an infusion segment, appears as the records now leave it)."""
    entries: dict[str, Built] = {}
    for context in contexts.values():
        patient = context.patient_resource()
        entries[patient.full_url] = patient
        for stored in context.records:
            for built in context.for_record(stored):
                entries[built.full_url] = built
    return list(entries.values())


def export_bundle(store: Store, protocol: Protocol, now: datetime) -> dict[str, Any]:
    """The whole file as a FHIR R4 ``collection`` Bundle (JSON), every resource validated by its model."""
    entries = collection_entries(patient_contexts(store, protocol))
    shell = Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection", "timestamp": now.isoformat(),
        "identifier": {"system": c.RECORD_ID_SYSTEM, "value": str(uuid.uuid4())},
    })
    bundle = shell.model_dump(mode="json", exclude_none=True)
    bundle["entry"] = [{"fullUrl": b.full_url, "resource": b.json()} for b in entries]
    return bundle
