"""The nurse's round through the services (issue 13), on real SQLite files: admission, edits and transfers as
patient_updated records, and the guard rails on starting or resuming the infusion, at their boundaries."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.errors import GuardRefused, InputError
from core.protocol import shipped_protocol
from core.security import Accounts, Role, User
from core.services import Bedside
from core.store import Store
from tests.scenario import T0

ADMISSION = {"mrn": "N200", "name": "Synthetic Admission", "birth_date": "1979-05-04", "sex": "male",
             "weight_kg": 80.0, "height_cm": 180, "indication": "relapsed_refractory", "ward": "7W", "bed": "4"}
NURSE = User("nurse.a", "Nurse A", frozenset({Role.NURSE}))
CLINICIAN = User("dr.b", "Dr B", frozenset({Role.CLINICIAN}))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "ward.db") as opened:
        yield opened


def with_accounts(store: Store, clock: FixedClock) -> None:
    """Accounts in the file: the roles are read from it (core/security.py)."""
    accounts = Accounts(store, clock)
    admin = accounts.create_first_admin("admin.c", "Admin C", "975310")
    accounts.add_user(admin, NURSE.username, NURSE.display_name, NURSE.roles, "246802")
    accounts.add_user(admin, CLINICIAN.username, CLINICIAN.display_name, CLINICIAN.roles, "135799")


def as_(store: Store, clock: FixedClock, user: User | str = "nurse.open") -> Bedside:
    return Bedside(store, shipped_protocol("default"), clock, user=user)


def test_admit_writes_the_patient_and_a_known_mrn_is_refused(store, clock):
    bedside = as_(store, clock)
    assert bedside.admit(ADMISSION).bed == "4"
    assert [p.mrn for p in bedside.ward_patients()] == ["N200"]
    with pytest.raises(InputError) as caught:
        bedside.admit(ADMISSION)
    assert str(caught.value) == "mrn: N200 is already a patient here (open them, or edit their details)"


@pytest.mark.parametrize("field, value, message", [
    ("weight_kg", 300.1, "weight_kg: 300.1 is outside 2–300 kg"),
    ("weight_kg", 1.9, "weight_kg: 1.9 is outside 2–300 kg"),
    ("height_cm", 250.5, "height_cm: 250.5 is outside 30–250 cm"),
    ("mrn", "", "mrn: '' string should have at least 1 character"),
])
def test_admit_names_the_field_the_value_and_the_limit_and_writes_nothing(store, clock, field, value, message):
    bedside = as_(store, clock)
    with pytest.raises(InputError) as caught:
        bedside.admit({**ADMISSION, field: value})
    assert str(caught.value).startswith(message)
    assert bedside.patients() == []


@pytest.mark.parametrize("weight", [2, 300])
def test_admit_accepts_the_limits_themselves(store, clock, weight):
    assert as_(store, clock).admit({**ADMISSION, "weight_kg": weight}).weight_kg == weight


def test_a_transfer_is_a_record_and_moves_the_bed_in_the_ward_order(store, clock):
    bedside = as_(store, clock)
    bedside.admit(ADMISSION)
    bedside.admit({**ADMISSION, "mrn": "N201", "bed": "7"})
    assert [s.patient.mrn for s in bedside.ward()] == ["N200", "N201"]
    clock.set(T0 + timedelta(minutes=30))
    moved = bedside.update_patient("N200", {"bed": "9", "ward": "7W", "name": "Synthetic Admission"})
    assert moved.record.changes() == {"bed": "9"}                       # only what changed is recorded
    assert [(s.patient.mrn, s.patient.bed) for s in bedside.ward()] == [("N201", "7"), ("N200", "9")]
    assert bedside.patient("N200").bed == "4"                            # the admission stays as it was
    assert [e.type for e in bedside.audit("N200")][-1:] == ["patient_updated"]
    with pytest.raises(InputError, match="patient: nothing changed"):
        bedside.update_patient("N200", {"bed": "9"})


def test_an_edit_may_clear_an_optional_detail(store, clock):
    bedside = as_(store, clock)
    bedside.admit(ADMISSION)
    assert bedside.update_patient("N200", {"bed": None}).state.patient.bed is None


# -- guard rails -------------------------------------------------------------------------------------------------

def running_patient(bedside: Bedside, clock: FixedClock) -> None:
    bedside.admit(ADMISSION)
    bedside.record("N200", "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"})
    clock.set(T0 + timedelta(minutes=30))
    bedside.record("N200", "infusion_started", {"dose_mcg": 9, "duration_h": 24})


def hold_at_grade(bedside: Bedside, clock: FixedClock, sbp: int | None, temperature: float = 38.6) -> None:
    clock.set(T0 + timedelta(hours=2))
    bedside.record("N200", "vitals", {"temperature_c": temperature, "systolic_bp": sbp})
    bedside.record("N200", "infusion_stopped", {"reason": "crs"})
    clock.set(T0 + timedelta(hours=2, minutes=30))


@pytest.mark.parametrize("sbp, temperature, refused", [
    (120, 38.6, False),   # grade 1: below the default protocol's interrupt grade 2
    (89, 38.6, True),     # grade 2 (SBP < 90): at the interrupt grade
    (90, 38.6, False),    # SBP 90 is not hypotension: grade 1
])
def test_resuming_at_the_interrupt_grade_is_refused_with_the_reason(store, clock, sbp, temperature, refused):
    bedside = as_(store, clock)
    running_patient(bedside, clock)
    hold_at_grade(bedside, clock, sbp, temperature)
    resume = {"dose_mcg": 9, "duration_h": 24}
    if not refused:
        assert bedside.record("N200", "infusion_resumed", resume).state.infusion.state == "running"
        return
    before = len(bedside.records("N200"))
    with pytest.raises(GuardRefused) as caught:
        bedside.record("N200", "infusion_resumed", resume)
    assert [r.code for r in caught.value.reasons] == ["crs_interrupt"]
    assert str(caught.value) == (
        "infusion_resumed: not recorded. CRS grade 2: the protocol interrupts the infusion at grade >= 2. A clinician "
        "must confirm the start with a reason (signed in as a clinician, or naming the prescriber who ordered it).")
    assert len(bedside.records("N200")) == before


def test_a_nurse_overrides_only_by_naming_the_prescriber_a_clinician_with_a_reason(store, clock):
    with_accounts(store, clock)
    nurse = as_(store, clock, NURSE)
    running_patient(nurse, clock)
    hold_at_grade(nurse, clock, 86)
    resume = {"dose_mcg": 9, "duration_h": 24, "override_reason": "prescriber reviewed: CRS settling"}
    with pytest.raises(GuardRefused) as caught:
        nurse.record("N200", "infusion_resumed", resume)
    assert str(caught.value).startswith("ordered_by: nurse.a is not a clinician: name the prescriber who ordered")
    recorded = nurse.record("N200", "infusion_resumed", {**resume, "ordered_by": "Dr Synthetic"})
    assert (recorded.record.ordered_by, recorded.state.infusion.state) == ("Dr Synthetic", "running")


def test_a_clinician_confirms_with_a_reason_alone(store, clock):
    with_accounts(store, clock)
    bedside = as_(store, clock, CLINICIAN)
    running_patient(bedside, clock)
    hold_at_grade(bedside, clock, 86)
    with pytest.raises(GuardRefused):
        bedside.record("N200", "infusion_resumed", {"dose_mcg": 9, "duration_h": 24})
    confirm = {"dose_mcg": 9, "duration_h": 24, "override_reason": "CRS settling on tocilizumab"}
    before = len(bedside.records("N200"))
    with pytest.raises(InputError) as caught:       # a clinician act is an electronic signature: the PIN again
        bedside.record("N200", "infusion_resumed", confirm)
    assert str(caught.value) == "pin: enter your PIN to sign (an electronic signature)"
    with pytest.raises(InputError, match=r"^pin: "):
        bedside.record("N200", "infusion_resumed", confirm, pin="000000")
    assert len(bedside.records("N200")) == before
    recorded = bedside.record("N200", "infusion_resumed", confirm, pin="135799")
    assert recorded.record.override_reason == "CRS settling on tocilizumab"
    assert (recorded.record.signature.username, recorded.record.signature.meaning) == (
        "dr.b", "confirms the infusion resumed despite: crs_interrupt")
    stored = bedside.records("N200")[-1].record
    assert stored.signature == recorded.record.signature                # kept in the file


@pytest.mark.parametrize("ice, refused", [(3, False), (2, True)])   # ICE 3-6 = ICANS 2, ICE 0-2 = ICANS 3
def test_resuming_at_icans_grade_3_is_refused(store, clock, ice, refused):
    bedside = as_(store, clock)
    running_patient(bedside, clock)
    clock.set(T0 + timedelta(hours=2))
    bedside.record("N200", "neuro_assessment", {"ice_score": ice})
    bedside.record("N200", "infusion_stopped", {"reason": "neurotoxicity"})
    clock.set(T0 + timedelta(hours=2, minutes=30))
    codes = [r.code for r in bedside.guard("N200")]
    assert ("icans_interrupt" in codes) is refused


def test_after_discontinuation_a_start_is_refused(store, clock):
    bedside = as_(store, clock)
    running_patient(bedside, clock)
    clock.set(T0 + timedelta(hours=1))
    bedside.record("N200", "infusion_stopped", {"reason": "other_adverse_event"})
    bedside.record("N200", "therapy_discontinued", {"reason": "prescriber decision"})
    with pytest.raises(GuardRefused) as caught:
        bedside.record("N200", "infusion_started", {"dose_mcg": 9, "duration_h": 24})
    assert next(r.code for r in caught.value.reasons) == "therapy_discontinued"


@pytest.mark.parametrize("hold_minutes, premedication_first", [(239, False), (240, True)])
def test_a_restart_after_4_hours_asks_for_the_premedication_first(store, clock, hold_minutes, premedication_first):
    bedside = as_(store, clock)
    running_patient(bedside, clock)
    clock.set(T0 + timedelta(hours=1))
    bedside.record("N200", "infusion_stopped", {"reason": "technical"})
    clock.set(T0 + timedelta(hours=1, minutes=hold_minutes))
    codes = [r.code for r in bedside.guard("N200")]
    assert codes == (["premedication_first"] if premedication_first else [])
    if premedication_first:
        bedside.record("N200", "medication_given", {"drug": "dexamethasone", "dose_mg": 20,
                                                    "purpose": "premedication"})
        assert bedside.guard("N200") == []
        assert bedside.record("N200", "infusion_resumed", {"dose_mcg": 9, "duration_h": 24}).state.infusion.state \
            == "running"


def test_the_first_start_of_a_cycle_without_premedication_is_stopped(store, clock):
    bedside = as_(store, clock)
    bedside.admit(ADMISSION)
    with pytest.raises(GuardRefused) as caught:
        bedside.record("N200", "infusion_started", {"dose_mcg": 9, "duration_h": 24})
    assert [r.code for r in caught.value.reasons] == ["premedication_first"]
    assert caught.value.reasons[0].text == "Premedication is due before the first dose of the cycle: record it first."
