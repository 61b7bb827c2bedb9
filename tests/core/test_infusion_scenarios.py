"""Infusion scenarios end to end through the fold: the seed's regimen and case (RULES.md §3.8) and the infusion and
dosing vignettes of RULES.md §10 (V17-V33, V37, V38), with exact expected values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.protocol import shipped_protocol
from core.regimen import (
    BETWEEN_CYCLES,
    DOSE_BSA,
    DOSE_BSA_MISSING,
    DOSE_FIXED,
    HELD,
    PREMED_FIRST_DOSE,
    PREMED_RESTART,
    PREMED_STEP_UP,
    RUNNING,
    label_doses,
)
from core.rules.infusion import premedication_label
from core.state import PatientState, fold
from tests.scenario import Timeline, patient

DEFAULT = shipped_protocol("default")
LABEL = shipped_protocol("label")
CHILD = {"birth_date": "2011-06-01", "weight_kg": 35.0, "bsa_m2": 1.2}   # 10 years old in January 2022


def state_at(tl: Timeline, hours: float, minutes: float = 0, pt=None, protocol=DEFAULT) -> PatientState:
    return fold(pt or patient(), tl.records, tl.at(hours, minutes), protocol)


def codes(state: PatientState) -> dict[str, str]:
    return {r.code: r.rule for r in state.recommendations}


def text(state: PatientState, code: str) -> str:
    return next(r.text for r in state.recommendations if r.code == code)


def premed(tl: Timeline, hours: float, minutes: float = 0) -> None:
    tl.add(hours, "medication_given", minutes=minutes, drug="dexamethasone", dose_mg=20, purpose="premedication")


def grade2_vitals(tl: Timeline, hours: float) -> None:
    """ASTCT and CTCAE grade 2: fever with hypotension after a fluid bolus, no vasopressor."""
    tl.add(hours, "vitals", temperature_c=38.4, heart_rate=112, respiratory_rate=18, systolic_bp=86, diastolic_bp=50,
           spo2_percent=96, oxygen_device="room_air", consciousness="alert", fluid_bolus_given=True)


def normal_vitals(tl: Timeline, hours: float) -> None:
    tl.add(hours, "vitals", temperature_c=37.0, heart_rate=80, respiratory_rate=16, systolic_bp=120, diastolic_bp=75,
           spo2_percent=97, oxygen_device="room_air", consciousness="alert")


def cycle2_at_28(tl: Timeline, days: int = 28) -> None:
    """RULES.md §10 defaults: cycle 2 at 28 mcg/day, one 24-h bag a day."""
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)
    for day in range(1, days):
        tl.add(24 * day, "bag_changed", dose_mcg=28, duration_h=24)


# -- the seed ---------------------------------------------------------------------------------------------------

def seed_regimen(tl: Timeline) -> None:
    """18 mcg over 48 h on days 1, 3 and 5; 9 mcg over 24 h on day 7; 28 mcg over 24 h on days 8-28."""
    seed_regimen_first_week(tl)
    premed(tl, 167, 15)
    for day in range(8, 29):
        tl.add(24 * (day - 1), "bag_changed", dose_mcg=28, duration_h=24)
    tl.add(672, "infusion_stopped", reason="cycle_complete")


@pytest.mark.parametrize(("hours", "cycle_day", "dose", "bag_due_hours"), [
    (1, 1, 9.0, 48), (47, 2, 9.0, 48), (50, 3, 9.0, 96), (100, 5, 9.0, 144), (150, 7, 9.0, 168),
    (167.99, 7, 9.0, 168), (168, 8, 28.0, 192), (400, 17, 28.0, 408), (671, 28, 28.0, 672)])
def test_seed_regimen_gives_9_then_28_mcg_per_day(hours, cycle_day, dose, bag_due_hours):
    tl = Timeline()
    seed_regimen(tl)
    s = state_at(tl, hours)
    inf = s.infusion
    assert (inf.state, inf.cycle, inf.cycle_day, inf.current_dose_mcg_per_day) == (RUNNING, 1, cycle_day, dose)
    assert inf.infused_hours_this_cycle == pytest.approx(hours)
    assert inf.bag_change_due == tl.at(bag_due_hours)
    assert inf.expected_dose_mcg_per_day == dose
    assert inf.dose_mismatch is False
    assert inf.premedication_warnings == ()
    assert inf.inpatient_period is (cycle_day <= 9)
    assert not {"dose_mismatch", "premedication_timing", "step_up_due"} & set(codes(s))


def test_seed_regimen_step_up_on_day_8_is_premedicated_and_the_cycle_ends_after_672_hours():
    tl = Timeline()
    seed_regimen(tl)
    s = state_at(tl, 167, 30).infusion
    assert (s.step_up_due_at, s.premedication_reason, s.premedication_due) == (tl.at(168), PREMED_STEP_UP, False)
    s = state_at(tl, 673).infusion
    assert (s.state, s.cycle, s.cycle_day) == (BETWEEN_CYCLES, 1, 29)
    assert (s.infused_hours_this_cycle, s.remaining_infusion_hours_this_cycle) == (672.0, 0.0)
    assert (s.premedication_due, s.premedication_reason) == (True, PREMED_FIRST_DOSE)
    assert s.premedication_warnings == ()


def seed_case(tl: Timeline) -> None:
    """Grade 2 on day 7 -> stop; restart two days later at 9 mcg after dexamethasone; grade 2 again the next day."""
    seed_regimen_first_week(tl)
    grade2_vitals(tl, 146)
    tl.add(146, "infusion_stopped", minutes=15, reason="crs")
    normal_vitals(tl, 150)
    premed(tl, 194)
    tl.add(194, "infusion_resumed", minutes=30, dose_mcg=9, duration_h=24)
    normal_vitals(tl, 200)
    grade2_vitals(tl, 218)


def seed_regimen_first_week(tl: Timeline) -> None:
    """Days 1-7 of the seed's regimen: 9 mcg/day."""
    premed(tl, 0, -60)
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    tl.add(48, "bag_changed", dose_mcg=18, duration_h=48)
    tl.add(96, "bag_changed", dose_mcg=18, duration_h=48)
    tl.add(144, "bag_changed", dose_mcg=9, duration_h=24)


def test_seed_case_grade2_on_day_7_interrupts_then_premedication_is_due_for_the_restart():
    tl = Timeline()
    seed_case(tl)
    s = state_at(tl, 146)
    assert s.crs.grade == 2
    assert s.infusion.cycle_day == 7
    assert codes(s)["interrupt_infusion"] == "D2"
    s = state_at(tl, 170)
    inf = s.infusion
    assert (inf.state, inf.cycle_day, inf.current_dose_mcg_per_day) == (HELD, 8, 9.0)
    assert (inf.hold.count_this_cycle, inf.hold.current_hold_hours) == (1, 23.75)
    assert inf.infused_hours_this_cycle == 146.25
    assert (inf.premedication_due, inf.premedication_reason) == (True, PREMED_RESTART)
    assert codes(s)["give_premedication"] == "D2"
    assert "interrupt_infusion" not in codes(s)
    assert state_at(tl, 194, 10).infusion.premedication_due is False


def test_seed_case_restart_at_9_after_dexamethasone_then_grade2_again_means_discontinuation_review():
    tl = Timeline()
    seed_case(tl)
    s = state_at(tl, 194, 30).infusion
    assert (s.state, s.cycle, s.cycle_day, s.current_dose_mcg_per_day) == (RUNNING, 1, 9, 9.0)
    assert s.last_restart.to_json() == {
        "at": tl.at(194, 30).isoformat(), "hold_minutes": 2895.0, "hold_reason": "crs", "new_cycle": False,
        "near_new_cycle_boundary": False, "premedication_required": True,
        "label_premedication": {"event": PREMED_RESTART, "mandated": True, "drug": "dexamethasone", "dose_mg": 20.0,
                                "paediatric": False, "rule": "R-PREMED-1"},
        "supervision_recommended": True}
    assert s.premedication_warnings == ()
    assert s.step_up_due_at == tl.at(194, 30) + timedelta(days=7)
    assert s.inpatient_period is True
    before = state_at(tl, 217, 59)
    assert before.crs.episodes_grade2_plus == 1
    assert "discontinuation_review" not in codes(before)
    s = state_at(tl, 218)
    assert s.crs.episodes_grade2_plus == 2
    assert codes(s)["discontinuation_review"] == "R-AST-9"
    assert codes(s)["interrupt_infusion"] == "D2"
    inf = s.infusion
    assert (inf.cycle_day, inf.infused_hours_this_cycle, inf.inpatient_period) == (10, 169.75, False)
    assert (inf.hold.count_this_cycle, inf.hold.total_held_hours_this_cycle) == (1, 48.25)
    assert inf.step_up_suppressed is True
    assert inf.course_status == "discontinuation_review"


# -- V17-V21: holds after adverse reactions -----------------------------------------------------------------------

def g3_hold_after_240_hours(tl: Timeline, reason: str = "crs") -> None:
    cycle2_at_28(tl, days=10)
    if reason == "crs":
        tl.add(240, "vitals", temperature_c=38.3, heart_rate=110, respiratory_rate=22, systolic_bp=118,
               diastolic_bp=70, spo2_percent=93, oxygen_device="nasal_cannula", oxygen_flow_l_min=7.0,
               consciousness="alert")
    tl.add(240, "infusion_stopped", reason=reason)


def restart_after(tl: Timeline, hold_minutes: int) -> None:
    premed(tl, 240, hold_minutes - 30)
    tl.add(240, "infusion_resumed", minutes=hold_minutes, dose_mcg=9, duration_h=24)


def test_v17_restart_after_exactly_10080_minutes_continues_the_cycle():
    tl = Timeline()
    g3_hold_after_240_hours(tl)
    assert state_at(tl, 240).crs.grade == 3
    restart_after(tl, 10080)
    s = state_at(tl, 408)
    inf = s.infusion
    assert (inf.state, inf.cycle, inf.cycle_day) == (RUNNING, 2, 18)
    assert (inf.infused_hours_this_cycle, inf.remaining_infusion_hours_this_cycle) == (240.0, 432.0)
    assert (inf.restart_dose_mcg_per_day, inf.current_dose_mcg_per_day, inf.dose_mismatch) == (9.0, 9.0, False)
    assert inf.last_restart.new_cycle is False
    assert premedication_label(inf.last_restart.label_premedication, DEFAULT).text() == (
        "Label: dexamethasone 20 mg IV 1 h before the restart after a hold of 4 h or more.")
    assert inf.supervision_recommended is True
    assert inf.step_up_due_at == tl.at(408) + timedelta(days=7)
    assert "new_cycle_required" not in codes(s)
    assert codes(s)["new_cycle_boundary"] == "R-INT-3"


def test_v18_restart_after_11520_minutes_is_a_new_cycle():
    tl = Timeline()
    g3_hold_after_240_hours(tl)
    restart_after(tl, 11520)
    s = state_at(tl, 432)
    inf = s.infusion
    assert (inf.cycle, inf.cycle_day, inf.infused_hours_this_cycle, inf.hold.count_this_cycle) == (3, 1, 0.0, 0)
    assert inf.new_cycle_after_long_hold is True
    assert codes(s)["new_cycle_required"] == "R-INT-2"
    assert "prescriber to confirm new-cycle dosing" in text(s, "new_cycle_required")
    assert "new_cycle_boundary" not in codes(s)
    assert inf.last_restart.label_premedication.event == PREMED_FIRST_DOSE


def test_v19_restart_after_10081_minutes_is_a_new_cycle_with_a_boundary_warning():
    tl = Timeline()
    g3_hold_after_240_hours(tl)
    restart_after(tl, 10081)
    s = state_at(tl, 408, 1)
    assert (s.infusion.cycle, s.infusion.cycle_day) == (3, 1)
    assert s.infusion.last_restart.near_new_cycle_boundary is True
    assert codes(s)["new_cycle_required"] == "R-INT-2"
    assert codes(s)["new_cycle_boundary"] == "R-INT-3"


def test_v20_other_adverse_reaction_restart_at_20160_minutes_is_allowed_in_a_new_cycle():
    tl = Timeline()
    g3_hold_after_240_hours(tl, "other_adverse_event")
    held = state_at(tl, 240, 20160)
    assert held.infusion.restart_requires_new_cycle is True
    assert "discontinuation_review" not in codes(held)
    restart_after(tl, 20160)
    s = state_at(tl, 240, 20160).infusion
    assert (s.state, s.cycle, s.cycle_day, s.current_dose_mcg_per_day) == (RUNNING, 3, 1, 9.0)
    assert (s.expected_dose_mcg_per_day, s.dose_mismatch) == (9.0, False)


def test_v21_other_adverse_reaction_held_15_days_prompts_discontinuation_review():
    tl = Timeline()
    g3_hold_after_240_hours(tl, "other_adverse_event")
    s = state_at(tl, 240, 21600)
    assert s.infusion.hold.current_hold_hours == 360.0
    assert codes(s)["discontinuation_review"] == "D2"
    assert "R-MOD-5" in text(s, "discontinuation_review")
    assert s.infusion.course_status == "discontinuation_review"


# -- V22-V26: neurological toxicity -------------------------------------------------------------------------------

def neuro(tl: Timeline, hours: float, ice: int, seizure: str = "none") -> None:
    tl.add(hours, "neuro_assessment", ice_score=ice, arousal="awake", seizure=seizure)


def icans_g3_at_100_resolved_at_244() -> Timeline:
    """ICANS grade 3 (ICE 2) at 28 mcg/day at hour 100, withheld; grade 1 (ICE 8) 6 days later."""
    tl = Timeline()
    cycle2_at_28(tl, days=5)
    neuro(tl, 100, 2)
    tl.add(100, "infusion_stopped", reason="neurotoxicity")
    neuro(tl, 244, 8)
    return tl


def test_v22_icans_g3_at_28_resolved_in_6_days_is_eligible_for_restart_after_72_hours_at_grade_1():
    tl = icans_g3_at_100_resolved_at_244()
    for hours in (268, 292, 316):
        neuro(tl, hours, 10)
    assert state_at(tl, 100).icans.grade == 3
    s = state_at(tl, 315, 59)
    assert s.infusion.neuro.restart_eligible_at == tl.at(316)
    assert "restart_eligible" not in codes(s)
    s = state_at(tl, 316)
    assert codes(s)["restart_eligible"] == "R-MOD-3"
    assert "9 mcg/day" in text(s, "restart_eligible")
    assert "discontinue_permanently" not in codes(s)
    premed(tl, 320)
    tl.add(320, "infusion_resumed", minutes=30, dose_mcg=9, duration_h=24)
    s = state_at(tl, 321)
    assert (s.infusion.cycle, s.infusion.cycle_day, s.infusion.current_dose_mcg_per_day) == (3, 1, 9.0)
    assert s.infusion.step_up_due_at == tl.at(320, 30) + timedelta(days=7)
    assert "discontinue_permanently" not in codes(s)


def test_v22_a_grade_2_assessment_restarts_the_72_hour_clock():
    tl = icans_g3_at_100_resolved_at_244()
    neuro(tl, 260, 6)
    neuro(tl, 270, 9)
    assert state_at(tl, 316).infusion.neuro.restart_eligible_at == tl.at(342)


@pytest.mark.parametrize("restart_first", [False, True])
def test_v23_icans_g3_at_9_mcg_per_day_means_discontinue_permanently(restart_first):
    tl = Timeline()
    if restart_first:
        cycle2_at_28(tl, days=2)
        tl.add(40, "infusion_stopped", reason="crs")
        premed(tl, 60)
        tl.add(60, "infusion_resumed", minutes=30, dose_mcg=9, duration_h=24)
    else:
        premed(tl, 0, -30)
        tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    neuro(tl, 70, 2)
    s = state_at(tl, 70)
    assert s.infusion.neuro.at_restart_dose is True
    assert codes(s)["discontinue_permanently"] == "R-MOD-3"
    assert s.infusion.course_status == "discontinuation_recommended"


def test_v23_icans_g3_at_28_does_not_discontinue():
    tl = Timeline()
    cycle2_at_28(tl, days=4)
    neuro(tl, 70, 2)
    s = state_at(tl, 70)
    assert s.infusion.neuro.at_restart_dose is False
    assert "discontinue_permanently" not in codes(s)
    assert codes(s)["interrupt_infusion"] == "R-MOD-3"


@pytest.mark.parametrize(("resolution_minutes", "discontinue"), [(10079, False), (10080, False), (10081, True),
                                                                  (10140, True)])
def test_v24_icans_g3_taking_more_than_7_days_to_resolve_means_discontinue_permanently(resolution_minutes,
                                                                                        discontinue):
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    neuro(tl, 50, 2)
    tl.add(50, "infusion_stopped", reason="neurotoxicity")
    unresolved = state_at(tl, 50, resolution_minutes)
    assert unresolved.infusion.neuro.resolution_too_long is discontinue
    tl.add(50, "neuro_assessment", minutes=resolution_minutes, ice_score=8, arousal="awake", seizure="none")
    s = state_at(tl, 50, resolution_minutes + 24 * 60)
    assert s.infusion.neuro.resolved_at == tl.at(50, resolution_minutes)
    assert s.infusion.neuro.resolution_too_long is discontinue
    assert (codes(s).get("discontinue_permanently") == "R-MOD-3") is discontinue


def test_v25_first_seizure_is_icans_g3_withhold_without_discontinuation():
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    neuro(tl, 30, 8, seizure="resolved")
    s = state_at(tl, 30)
    assert (s.icans.grade, s.icans.seizures) == (3, 1)
    assert codes(s)["interrupt_infusion"] == "R-MOD-3"
    assert "discontinue_permanently" not in codes(s)


def test_v26_second_seizure_in_the_course_means_discontinue_permanently():
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    neuro(tl, 30, 8, seizure="resolved")
    neuro(tl, 31, 10)
    neuro(tl, 60, 9, seizure="resolved")
    s = state_at(tl, 60)
    assert s.icans.seizures == 2
    assert codes(s)["discontinue_permanently"] == "R-ICN-6"
    assert s.infusion.course_status == "discontinuation_recommended"


def test_icans_grade_4_keeps_the_discontinuation_prompt_after_it_improves():
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    tl.add(30, "neuro_assessment", arousal="unarousable", seizure="none")
    tl.add(30, "infusion_stopped", reason="neurotoxicity")
    neuro(tl, 40, 10)
    s = state_at(tl, 41)
    assert s.icans.grade == 0
    assert codes(s)["discontinue_permanently"] == "R-MOD-4"


# -- V27-V30: premedication on restart by indication and age -----------------------------------------------------

def technical_hold(tl: Timeline, hold_minutes: int, cycle: int = 2, dose: float = 28, restart: bool = True) -> None:
    """A technical interruption from hour 10; premedication 1 h before the restart."""
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=dose, duration_h=24, cycle=cycle)
    tl.add(10, "infusion_stopped", reason="technical")
    if restart:
        premed(tl, 10, hold_minutes - 60)
        tl.add(10, "infusion_resumed", minutes=hold_minutes, dose_mcg=dose, duration_h=24)


def test_v27_rr_adult_technical_interruption_of_240_minutes():
    tl = Timeline()
    technical_hold(tl, 240, restart=False)
    held = state_at(tl, 14)
    assert (held.infusion.premedication_due, held.infusion.premedication_label.dose_mg) == (True, 20.0)
    assert "Supervision/hospitalisation recommended" in text(held, "give_premedication")
    tl = Timeline()
    technical_hold(tl, 240)
    s = state_at(tl, 14).infusion
    assert (s.last_restart.premedication_required, s.last_restart.supervision_recommended) == (True, True)
    assert s.last_restart.label_premedication.to_json()["drug"] == "dexamethasone"
    assert s.premedication_warnings == ()


def test_v28_rr_adult_interruption_of_239_minutes_needs_no_premedication():
    tl = Timeline()
    technical_hold(tl, 239)
    held = state_at(tl, 13, 58)
    assert (held.infusion.premedication_due, held.infusion.premedication_reason) == (False, None)
    assert "give_premedication" not in codes(held)
    s = state_at(tl, 13, 59).infusion
    assert (s.last_restart.hold_minutes, s.last_restart.premedication_required) == (239.0, False)
    assert (s.last_restart.label_premedication, s.last_restart.supervision_recommended) == (None, False)
    assert s.premedication_warnings == ()


def test_v29_consolidation_adult_restart_is_not_label_mandated_but_the_protocol_asks_for_it():
    tl = Timeline()
    technical_hold(tl, 360)
    pt = patient(indication="consolidation")
    held = state_at(tl, 14, 30, pt=pt)
    assert held.infusion.premedication_due is True
    assert held.infusion.premedication_label.mandated is False
    assert ("Not label-mandated for this indication/cycle; follow local protocol. Supervision/hospitalisation "
            "recommended for re-initiation.") in text(held, "give_premedication")
    s = state_at(tl, 16, pt=pt).infusion
    assert (s.last_restart.label_premedication.mandated, s.last_restart.supervision_recommended) == (False, True)


@pytest.mark.parametrize(("cycle", "mandated", "dose_mg"), [(1, True, 6.0), (2, False, None)])
def test_v30_rr_child_premedication_is_5_mg_per_m2_in_cycle_1_only(cycle, mandated, dose_mg):
    tl = Timeline()
    technical_hold(tl, 300, cycle=cycle, dose=6.0 if cycle == 1 else 18.0)
    pt = patient(**CHILD)
    held = state_at(tl, 14, pt=pt).infusion
    assert held.premedication_label.to_json() == {
        "event": PREMED_RESTART, "mandated": mandated, "drug": "dexamethasone" if mandated else None,
        "dose_mg": dose_mg, "paediatric": True, "rule": "R-PREMED-1"}
    assert held.dose_mismatch is False


# -- V31-V33: doses by weight and BSA, inpatient period ------------------------------------------------------------

@pytest.mark.parametrize(("weight", "bsa", "basis", "reduced", "full", "uncapped", "capped"), [
    (44.9, 1.95, DOSE_BSA, 9.0, 28.0, (9.75, 29.25), True),       # V31
    (30.0, 1.05, DOSE_BSA, 5.25, 15.75, (5.25, 15.75), False),    # V31b
    (45.0, 1.95, DOSE_FIXED, 9.0, 28.0, (None, None), False),     # V32
    (40.0, None, DOSE_BSA_MISSING, 9.0, 28.0, (None, None), False),
])
def test_v31_v32_label_doses_by_weight_and_bsa(weight, bsa, basis, reduced, full, uncapped, capped):
    dosing = label_doses(patient(weight_kg=weight, bsa_m2=bsa), DEFAULT)
    assert dosing.to_json() == {"basis": basis, "reduced_mcg_per_day": reduced, "full_mcg_per_day": full,
                                "reduced_uncapped_mcg_per_day": uncapped[0], "full_uncapped_mcg_per_day": uncapped[1],
                                "capped": capped}


def test_v31b_child_under_45_kg_runs_5_25_then_15_75_without_mismatch():
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=10.5, duration_h=48)
    premed(tl, 167, 30)
    tl.add(168, "bag_changed", dose_mcg=15.75, duration_h=24)
    pt = patient(weight_kg=30.0, bsa_m2=1.05)
    early = state_at(tl, 24, pt=pt).infusion
    assert (early.current_dose_mcg_per_day, early.expected_dose_mcg_per_day, early.dose_mismatch) == (5.25, 5.25, False)
    late = state_at(tl, 170, pt=pt).infusion
    assert (late.current_dose_mcg_per_day, late.expected_dose_mcg_per_day, late.dose_mismatch) == (15.75, 15.75, False)
    assert (late.step_up_due_at, late.premedication_warnings) == (None, ())


@pytest.mark.parametrize(("indication", "cycle", "day", "inpatient"), [
    ("relapsed_refractory", 1, 9, True), ("relapsed_refractory", 1, 10, False),
    ("mrd_positive", 1, 3, True), ("mrd_positive", 1, 4, False),
    ("consolidation", 1, 3, True), ("consolidation", 1, 4, False),
    ("relapsed_refractory", 2, 2, True), ("relapsed_refractory", 2, 3, False),
    ("mrd_positive", 2, 2, True), ("mrd_positive", 2, 3, False),
    ("consolidation", 2, 2, True), ("consolidation", 2, 3, False),
    ("relapsed_refractory", 3, 1, False)])
def test_v33_inpatient_period_of_the_label(indication, cycle, day, inpatient):
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=cycle)
    pt = patient(indication=indication)
    last_minute = state_at(tl, 24 * day, -1, pt=pt).infusion
    assert (last_minute.cycle_day, last_minute.inpatient_period) == (day, inpatient)
    first_minute = state_at(tl, 24 * (day - 1), pt=pt).infusion
    assert (first_minute.cycle_day, first_minute.inpatient_period) == (day, inpatient)


# -- V37, V38 --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("protocol", "review"), [(DEFAULT, True), (LABEL, False)])
def test_v37_second_grade2_episode_in_the_course(protocol, review):
    tl = Timeline()
    cycle2_at_28(tl, days=6)
    grade2_vitals(tl, 20)
    normal_vitals(tl, 22)
    grade2_vitals(tl, 100)
    s = state_at(tl, 100, protocol=protocol)
    assert s.crs.episodes_grade2_plus == 2
    assert (codes(s).get("discontinuation_review") == "R-AST-9") is review
    assert s.infusion.course_status == ("discontinuation_review" if review else "active")


V38_START = datetime(2025, 2, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("recurrence", [False, True])
def test_v38_step_up_due_7_days_after_a_restart_at_9_unless_crs_recurred(recurrence):
    tl = Timeline(start=V38_START)
    cycle2_at_28(tl, days=7)
    tl.add(168, "infusion_stopped", reason="crs")
    premed(tl, 215, 30)
    tl.add(216, "infusion_resumed", dose_mcg=9, duration_h=24)
    assert tl.at(216) == datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
    for day in range(1, 8):
        tl.add(216 + 24 * day, "bag_changed", dose_mcg=9, duration_h=24)
    if recurrence:
        tl.add(260, "vitals", temperature_c=38.5, heart_rate=100, respiratory_rate=18, systolic_bp=118,
               diastolic_bp=72, spo2_percent=97, oxygen_device="room_air", consciousness="alert")
    due = datetime(2025, 3, 8, 10, 0, tzinfo=UTC)
    hour_before = state_at(tl, 383)
    assert hour_before.infusion.step_up_due_at == due
    assert hour_before.infusion.step_up_suppressed is recurrence
    assert hour_before.infusion.premedication_due is not recurrence
    assert ("give_premedication" in codes(hour_before)) is not recurrence
    s = state_at(tl, 384)
    if recurrence:
        assert codes(s)["recurrence_prescriber_review"] == "R-MOD-6"
        assert "step_up_due" not in codes(s)
    else:
        assert codes(s)["step_up_due"] == "R-MOD-6"
        assert "recurrence_prescriber_review" not in codes(s)
        assert premedication_label(s.infusion.premedication_label, DEFAULT).text() == (
            "Label: dexamethasone 20 mg IV 1 h before the dose step-up.")


@pytest.mark.parametrize(("indication", "due"), [("consolidation", False), ("relapsed_refractory", True)])
def test_v29_under_the_label_protocol_a_restart_needs_only_label_mandated_premedication(indication, due):
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)
    tl.add(10, "infusion_stopped", reason="technical")
    tl.add(16, "infusion_resumed", dose_mcg=28, duration_h=24)
    pt = patient(indication=indication)
    held = state_at(tl, 15, pt=pt, protocol=LABEL)
    assert (held.infusion.premedication_due, held.infusion.premedication_reason) == (due, PREMED_RESTART)
    assert ("give_premedication" in codes(held)) is due
    s = state_at(tl, 16, 30, pt=pt, protocol=LABEL).infusion
    assert s.last_restart.premedication_required is due
    assert [w.problem for w in s.premedication_warnings] == (["missing"] if due else [])


def test_crs_grade_4_means_discontinue_permanently_until_the_therapy_is_discontinued():
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    tl.add(30, "vitals", temperature_c=38.2, heart_rate=120, respiratory_rate=26, systolic_bp=100, diastolic_bp=60,
           spo2_percent=92, oxygen_device="bipap", fio2_percent=50, consciousness="alert")
    tl.add(30, "infusion_stopped", minutes=5, reason="crs")
    normal_vitals(tl, 40)
    s = state_at(tl, 30)
    assert (s.crs.grade, codes(s)["discontinue_permanently"]) == (4, "R-MOD-2")
    s = state_at(tl, 40)
    assert (s.crs.grade, s.crs.episode_max_grade, codes(s)["discontinue_permanently"]) == (0, 4, "R-MOD-2")
    assert s.infusion.course_status == "discontinuation_recommended"
    tl.add(41, "therapy_discontinued", reason="CRS grade 4 (synthetic)")
    s = state_at(tl, 42)
    assert (s.infusion.state, s.infusion.course_status) == ("discontinued", "discontinued")
    assert "discontinue_permanently" not in codes(s)


def test_after_therapy_is_discontinued_no_prompt_asks_to_stop_it_again():
    # A second seizure (R-ICN-6) prompts "discontinue permanently" until the therapy is discontinued; then it is moot
    # and only the clinical prompts stay.
    tl = Timeline()
    tl.add(-1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)
    tl.add(10, "neuro_assessment", ice_score=8, arousal="awake", seizure="resolved")
    tl.add(20, "neuro_assessment", ice_score=8, arousal="awake", seizure="resolved")
    s = state_at(tl, 20)
    assert "discontinue_permanently" in codes(s)
    tl.add(21, "infusion_stopped", reason="neurotoxicity")
    tl.add(22, "therapy_discontinued", reason="second seizure (synthetic)")
    s = state_at(tl, 22)
    assert s.infusion.state == "discontinued"
    assert not {"discontinue_permanently", "interrupt_infusion", "discontinuation_review"} & set(codes(s))
    assert "emergency_review" in codes(s)           # ICANS grade 3 still asks for an urgent review
