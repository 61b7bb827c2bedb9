"""Recording in the window goes through the checks an import makes (issue 15): the wizard's assessment
(``record_many``) and one record (``record``) alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.errors import InputError
from core.security import PermissionDenied
from tests.core.test_security import _as, ward  # noqa: F401  (a fixture)


def test_an_assessment_before_the_patients_birth_is_refused(bedside):
    before_birth = datetime(1981, 3, 1, 12, 0, tzinfo=UTC)
    for call in (lambda: bedside.record_many("A100", [("vitals", {"temperature_c": 37.0})], before_birth),
                 lambda: bedside.record("A100", "vitals", {"temperature_c": 37.0}, before_birth)):
        with pytest.raises(InputError, match=r"^at: 1981-03-01T12:00\+00:00 is before the patient's birth "
                                             r"\(1981-03-02\)$"):
            call()
    assert bedside.store.record_count() == 0


def test_the_window_fields_are_strict_too(bedside):
    with pytest.raises(InputError, match=r"^vitals.temperature_c: '38.5' is not a number$"):
        bedside.record_many("A100", [("vitals", {"temperature_c": "38.5"})])
    with pytest.raises(InputError, match=r"^vitals.heart_rate: 98.0 is not a whole number"):
        bedside.record_many("A100", [("vitals", {"heart_rate": 98.0})])
    with pytest.raises(InputError, match=r"^vitals.temperature_c: NaN is not a finite number$"):
        bedside.record_many("A100", [("vitals", {"temperature_c": float("nan")})])
    assert bedside.store.record_count() == 0


def test_an_assessment_needs_the_right_to_record_and_cannot_carry_a_signed_entry(ward):  # noqa: F811 - the fixture
    store, _, _ = ward
    with pytest.raises(PermissionDenied, match="Only a clinician or a nurse may enter records; boss"):
        _as(ward, "boss").record_many("A100", [("vitals", {"temperature_c": 37.0})])
    with pytest.raises(InputError, match=r"^type: grade_confirmed is signed electronically"):
        _as(ward, "dr.lee").record_many("A100", [("grade_confirmed", {"grade": 1, "reason": "x"})])
    assert store.record_count() == 0


def test_admitting_a_patient_is_strict_too(bedside):
    fields = {"mrn": "C300", "name": "New Patient", "birth_date": "1990-05-05", "sex": "male",
              "indication": "relapsed_refractory", "weight_kg": "70"}
    with pytest.raises(InputError, match=r"^weight_kg: '70' is not a number$"):
        bedside.admit(fields)
    with pytest.raises(InputError, match=r"^name: character 4 is a bidi override \(U\+202E\)"):
        bedside.admit({**fields, "weight_kg": 70, "name": "New\u202eTneitaP"})
    assert bedside.admit({**fields, "weight_kg": 70}).weight_kg == 70.0
