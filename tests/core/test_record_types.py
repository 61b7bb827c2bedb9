"""``RecordType`` (the type checker's list of record types) names exactly the record models, and declaring it on
``RecordBase`` leaves every record's fields, and so its stored JSON, in the order they had."""

from __future__ import annotations

import json
import typing

from core.records import RECORD_MODELS, InfusionStopped, RecordBase, RecordType, VitalsRecord


def test_record_type_names_every_record_model_and_no_other():
    assert sorted(typing.get_args(RecordType)) == sorted(RECORD_MODELS)


def test_record_base_has_no_type_field_of_its_own():
    assert list(RecordBase.model_fields) == ["id", "mrn", "at", "by"]


def test_a_records_type_stays_after_its_base_fields_in_the_stored_json():
    record = InfusionStopped.model_validate(
        {"id": "7d4c2b1e-0000-4000-8000-000000000001", "mrn": "A100", "at": "2022-01-10T08:00:00-06:00",
         "reason": "crs"})
    assert list(json.loads(record.model_dump_json(exclude_none=True))) == ["id", "mrn", "at", "type", "reason"]
    assert list(VitalsRecord.model_fields)[-5:] == ["id", "mrn", "at", "by", "type"]
