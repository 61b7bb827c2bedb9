"""The record types of INTERFACE.md "Additions": patient_updated, escalation, observations_not_done."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.records import NotDoneReason, parse_record

BASE = {"id": "7d4c2b1e-0000-4000-8000-000000000001", "mrn": "A100", "at": "2022-01-10T08:00:00-06:00"}


def test_patient_updated_carries_only_the_fields_it_sets():
    record = parse_record({**BASE, "type": "patient_updated", "bed": "14", "ward": "8E"})
    assert record.changes() == {"bed": "14", "ward": "8E"}


def test_patient_updated_may_clear_an_optional_field():
    assert parse_record({**BASE, "type": "patient_updated", "bed": None}).changes() == {"bed": None}


@pytest.mark.parametrize("fields, message", [
    ({}, "record: at least one patient field is needed"),
    ({"name": None}, "record.name: None is not text"),
    ({"mrn2": "B1"}, "record.mrn2: unknown field"),
    ({"weight_kg": 300.1}, "record.weight_kg: 300.1 is outside 2–300 kg"),
    ({"weight_kg": 1.9}, "record.weight_kg: 1.9 is outside 2–300 kg"),
])
def test_patient_updated_refuses_what_the_patient_refuses(fields, message):
    with pytest.raises(InputError) as caught:
        parse_record({**BASE, "type": "patient_updated", **fields})
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("weight", [2, 300])
def test_patient_updated_weight_limits_are_the_patients(weight):
    assert parse_record({**BASE, "type": "patient_updated", "weight_kg": weight}).changes() == {"weight_kg": weight}


def test_escalation_needs_at_least_one_acknowledged_code():
    record = parse_record({**BASE, "type": "escalation", "to": "prescriber", "response": "attending",
                           "acknowledges": ["notify_prescriber"], "name": "Dr Synthetic"})
    assert (record.to.value, record.response.value, record.acknowledges) == (
        "prescriber", "attending", ["notify_prescriber"])
    with pytest.raises(InputError, match=r"record\.acknowledges"):
        parse_record({**BASE, "type": "escalation", "to": "prescriber", "response": "attending", "acknowledges": []})


def test_observations_not_done_other_needs_a_note():
    assert parse_record({**BASE, "type": "observations_not_done", "reason": "refused"}).reason is NotDoneReason.REFUSED
    assert parse_record({**BASE, "type": "observations_not_done", "reason": "other", "note": "in theatre"}).note
    with pytest.raises(InputError, match="a note is required when the reason is 'other'"):
        parse_record({**BASE, "type": "observations_not_done", "reason": "other"})
