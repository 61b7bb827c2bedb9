"""The infusion tracker rule by rule (RULES.md §3, D2, D10): each threshold at the value and on both sides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.protocol import shipped_protocol
from core.regimen import (
    BETWEEN_CYCLES,
    COMPLETED,
    DISCONTINUED,
    HELD,
    NOT_STARTED,
    PREMED_FIRST_DOSE,
    PREMED_MISSING,
    PREMED_OUTSIDE_WINDOW,
    PREMED_RESTART,
    PREMED_STEP_UP,
    RUNNING,
    dose_per_day,
)
from core.state import PatientState, fold
from tests.scenario import Timeline, patient

DEFAULT = shipped_protocol("default")


def state_at(tl: Timeline, hours: float, minutes: float = 0, pt=None, protocol=DEFAULT) -> PatientState:
    return fold(pt or patient(), tl.records, tl.at(hours, minutes), protocol)


def codes(state: PatientState) -> dict[str, str]:
    return {r.code: r.rule for r in state.recommendations}


def premed(tl: Timeline, hours: float, minutes: float = 0, purpose: str = "premedication", drug="dexamethasone"):
    tl.add(hours, "medication_given", minutes=minutes, drug=drug, dose_mg=20, purpose=purpose)


def running_cycle2(tl: Timeline) -> None:
    """Cycle 2 at 28 mcg/day (no step-up), premedicated."""
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)


# -- dose per day, cycle day, infused time, bag -------------------------------------------------------------------

@pytest.mark.parametrize(("dose_mcg", "duration_h", "per_day"), [
    (18, 48, 9.0), (9, 24, 9.0), (28, 24, 28.0), (56, 48, 28.0), (112, 96, 28.0), (196, 168, 28.0),
    (10.5, 48, 5.25), (15.75, 24, 15.75),
])
def test_dose_per_day_is_dose_times_24_over_duration(dose_mcg, duration_h, per_day):
    assert dose_per_day(dose_mcg, duration_h) == per_day


@pytest.mark.parametrize(("minutes", "day"), [(0, 1), (1439, 1), (1440, 2), (1441, 2), (2879, 2), (2880, 3),
                                              (7 * 1440 - 1, 7), (7 * 1440, 8)])
def test_cycle_day_is_the_nth_24_hour_period_since_the_first_start(minutes, day):
    tl = Timeline()
    running_cycle2(tl)
    assert state_at(tl, 0, minutes).infusion.cycle_day == day


def test_cycle_day_counts_held_time_but_infused_hours_do_not():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    tl.add(13, "infusion_resumed", dose_mcg=28, duration_h=24)
    tl.add(30, "infusion_stopped", reason="crs")
    s = state_at(tl, 32).infusion
    assert (s.state, s.cycle, s.cycle_day) == (HELD, 2, 2)
    assert s.infused_hours_this_cycle == 27.0          # 10 h + 17 h, the 3 h and 2 h holds excluded
    assert s.remaining_infusion_hours_this_cycle == 672.0 - 27.0
    assert s.hold.count_this_cycle == 2
    assert s.hold.current_hold_hours == 2.0
    assert s.hold.total_held_hours_this_cycle == 5.0
    assert s.hold.longest_hold_hours_this_cycle == 3.0
    assert s.hold.current_hold_reason == "crs"
    assert s.current_dose_mcg_per_day == 28.0       # the bag's dose while held


def test_bag_change_due_is_hang_time_plus_labelled_duration():
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    assert state_at(tl, 1).infusion.bag_change_due == tl.at(48)
    tl.add(40, "bag_changed", dose_mcg=9, duration_h=24)
    s = state_at(tl, 41)
    assert s.infusion.bag_change_due == tl.at(64)
    assert "bag_change_due" not in codes(s)
    assert "bag_change_due" not in codes(state_at(tl, 63, 59))
    assert codes(state_at(tl, 64))["bag_change_due"] == "R-BAG-1"
    tl.add(50, "infusion_stopped", reason="technical")
    assert state_at(tl, 51).infusion.bag_change_due is None


def test_cycle_complete_stop_opens_no_hold_and_the_next_start_is_the_next_cycle():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(672, "infusion_stopped", reason="cycle_complete")
    s = state_at(tl, 700).infusion
    assert (s.state, s.cycle, s.cycle_day, s.hold.count_this_cycle) == (BETWEEN_CYCLES, 2, 30, 0)
    assert s.infused_hours_this_cycle == 672.0
    assert s.premedication_due is True and s.premedication_reason == PREMED_FIRST_DOSE
    premed(tl, 1007)
    assert state_at(tl, 1007, 30).infusion.premedication_due is False
    tl.add(1008, "infusion_started", dose_mcg=28, duration_h=24)
    s = state_at(tl, 1009).infusion
    assert (s.state, s.cycle, s.cycle_day, s.infused_hours_this_cycle) == (RUNNING, 3, 1, 1.0)


def test_last_cycle_of_the_indication_completes_the_course():
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=4)
    tl.add(672, "infusion_stopped", reason="cycle_complete")
    s = state_at(tl, 673, pt=patient(indication="mrd_positive")).infusion
    assert (s.state, s.premedication_due) == (COMPLETED, False)


def test_28_days_of_infusion_prompts_the_end_of_the_cycle():
    tl = Timeline()
    running_cycle2(tl)
    for day in range(1, 28):
        tl.add(24 * day, "bag_changed", dose_mcg=28, duration_h=24)
    before = state_at(tl, 671, 59)
    assert before.infusion.cycle_infusion_complete is False
    assert "cycle_infusion_complete" not in codes(before)
    at_end = state_at(tl, 672)
    assert at_end.infusion.cycle_infusion_complete is True
    assert at_end.infusion.remaining_infusion_hours_this_cycle == 0.0
    assert codes(at_end)["cycle_infusion_complete"] == "R-INT-2"
    assert "bag_change_due" not in codes(at_end)


def test_therapy_discontinued_ends_the_hold_and_silences_infusion_prompts():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="crs")
    tl.add(30, "therapy_discontinued", reason="CRS grade 4 (synthetic)")
    s = state_at(tl, 24 * 20)
    assert s.infusion.state == DISCONTINUED
    assert s.infusion.hold.current_hold_hours is None
    assert s.infusion.hold.total_held_hours_this_cycle == 20.0
    assert s.infusion.premedication_due is False
    assert s.infusion.course_status == "discontinued"
    assert not {"discontinuation_review", "new_cycle_required", "give_premedication"} & set(codes(s))


def test_a_start_recorded_during_a_hold_is_the_restart():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    tl.add(11, "infusion_started", dose_mcg=28, duration_h=24)
    s = state_at(tl, 12).infusion
    assert (s.state, s.cycle, s.hold.count_this_cycle, s.hold.total_held_hours_this_cycle) == (RUNNING, 2, 1, 1.0)
    assert s.infused_hours_this_cycle == 11.0


# -- premedication (D2, D10, R-PREMED-1/2/3) --------------------------------------------------------------------

def test_first_dose_of_a_cycle_needs_premedication_before_the_start():
    tl = Timeline()
    s = state_at(tl, 0).infusion
    assert (s.state, s.premedication_due, s.premedication_reason) == (NOT_STARTED, True, PREMED_FIRST_DOSE)
    assert (s.cycle, s.cycle_day, s.supervision_recommended, s.bag_change_due) == (None, None, True, None)
    assert s.premedication_label.to_json() == {"event": PREMED_FIRST_DOSE, "mandated": True,
                                               "drug": "dexamethasone", "dose_mg": 20.0, "paediatric": False,
                                               "rule": "R-PREMED-1"}
    prompt = next(r for r in state_at(tl, 0).recommendations if r.code == "give_premedication")
    assert (prompt.rule, prompt.text) == ("D2", (
        "Premedication due before the first dose of the cycle (protocol: corticosteroid within 60 min before). "
        "Label: dexamethasone 20 mg IV 1 h before the first dose of the cycle. "
        "Supervision/hospitalisation recommended for the cycle start."))
    premed(tl, 0, -60)
    assert state_at(tl, 0, -59).infusion.premedication_due is False


@pytest.mark.parametrize(("hold_minutes", "due"), [(239, False), (240, True), (241, True)])
def test_premedication_due_from_a_hold_of_240_minutes(hold_minutes, due):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    s = state_at(tl, 10, hold_minutes)
    assert s.infusion.premedication_due is due
    assert s.infusion.premedication_reason == (PREMED_RESTART if due else None)
    assert s.infusion.supervision_recommended is due
    assert ("give_premedication" in codes(s)) is due


def test_premedication_due_clears_only_with_a_corticosteroid_premedication_given_after_the_hold_began():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="crs")
    tl.add(11, "medication_given", drug="dexamethasone", dose_mg=8, purpose="crs_treatment")
    tl.add(12, "medication_given", drug="paracetamol", dose_mg=1000, purpose="premedication")
    assert state_at(tl, 15).infusion.premedication_due is True
    premed(tl, 15)
    s = state_at(tl, 15).infusion
    assert (s.premedication_due, s.premedication_reason, s.last_premedication_at) == (False, PREMED_RESTART,
                                                                                      tl.at(15))


@pytest.mark.parametrize(("premed_before_restart", "problem"), [(59, None), (60, None), (61, PREMED_OUTSIDE_WINDOW)])
def test_restart_more_than_60_minutes_after_premedication_warns(premed_before_restart, problem):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    premed(tl, 20, -premed_before_restart)
    tl.add(20, "infusion_resumed", dose_mcg=28, duration_h=24)
    s = state_at(tl, 20, 5)
    warnings = s.infusion.premedication_warnings
    if problem is None:
        assert warnings == ()
        assert "premedication_timing" not in codes(s)
    else:
        assert [(w.at, w.event, w.problem, w.minutes_before) for w in warnings] == [
            (tl.at(20), PREMED_RESTART, problem, float(premed_before_restart))]
        assert codes(s)["premedication_timing"] == "R-PREMED-3"


def test_restart_before_the_premedication_warns_premedication_missing():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    tl.add(20, "infusion_resumed", dose_mcg=28, duration_h=24)
    premed(tl, 20, 10)
    s = state_at(tl, 21)
    assert [(w.event, w.problem) for w in s.infusion.premedication_warnings] == [(PREMED_RESTART, PREMED_MISSING)]
    assert codes(s)["premedication_timing"] == "R-PREMED-3"
    # The prompt stays for the protocol's 24 h, the warning stays in the record of the cycle.
    assert "premedication_timing" in codes(state_at(tl, 43, 59))
    assert "premedication_timing" not in codes(state_at(tl, 44))
    assert len(state_at(tl, 44).infusion.premedication_warnings) == 1


def test_restart_after_239_minutes_needs_no_premedication_and_logs_no_warning():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    tl.add(10, "infusion_resumed", minutes=239, dose_mcg=28, duration_h=24)
    s = state_at(tl, 14).infusion
    assert s.premedication_warnings == ()
    assert s.last_restart.premedication_required is False
    assert s.last_restart.supervision_recommended is False


# -- step-up (R-DOSE-2, R-MOD-6) --------------------------------------------------------------------------------

def start_cycle1(tl: Timeline) -> None:
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)


def test_cycle1_step_up_is_due_after_168_infused_hours_and_needs_premedication_from_1_h_before():
    tl = Timeline()
    start_cycle1(tl)
    s = state_at(tl, 100).infusion
    assert (s.step_up_due_at, s.expected_dose_mcg_per_day, s.dose_mismatch) == (tl.at(168), 9.0, False)
    assert (s.premedication_due, s.premedication_reason) == (False, None)
    s = state_at(tl, 166, 59).infusion
    assert (s.premedication_due, s.premedication_reason) == (False, None)
    s = state_at(tl, 167)
    assert (s.infusion.premedication_due, s.infusion.premedication_reason) == (True, PREMED_STEP_UP)
    assert "step_up_due" not in codes(s)
    assert codes(state_at(tl, 168))["step_up_due"] == "R-MOD-6"


def test_technical_hold_in_week_one_moves_the_step_up_by_the_time_held():
    tl = Timeline()
    start_cycle1(tl)
    tl.add(50, "infusion_stopped", reason="technical")
    tl.add(55, "infusion_resumed", dose_mcg=9, duration_h=24)
    assert state_at(tl, 60).infusion.step_up_due_at == tl.at(173)


def test_step_up_without_premedication_is_warned():
    tl = Timeline()
    start_cycle1(tl)
    tl.add(168, "bag_changed", dose_mcg=28, duration_h=24)
    s = state_at(tl, 169)
    assert [(w.event, w.problem) for w in s.infusion.premedication_warnings] == [(PREMED_STEP_UP, PREMED_MISSING)]
    assert s.infusion.step_up_due_at is None
    assert (s.infusion.expected_dose_mcg_per_day, s.infusion.dose_mismatch) == (28.0, False)


@pytest.mark.parametrize(("reason", "expected"), [("crs", 9.0), ("neurotoxicity", 9.0), ("other_adverse_event", 9.0),
                                                ("technical", 28.0)])
def test_while_held_the_expected_dose_is_the_restart_dose_after_an_adverse_reaction(reason, expected):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(100, "infusion_stopped", reason=reason)
    s = state_at(tl, 101).infusion
    assert (s.current_dose_mcg_per_day, s.expected_dose_mcg_per_day, s.dose_mismatch) == (28.0, expected, False)


def test_restart_after_an_adverse_reaction_restarts_the_step_up_clock():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(100, "infusion_stopped", reason="crs")
    premed(tl, 130)
    tl.add(130, "infusion_resumed", minutes=30, dose_mcg=9, duration_h=24)
    s = state_at(tl, 131)
    assert s.infusion.step_up_due_at == tl.at(130, 30) + timedelta(days=7)
    assert (s.infusion.expected_dose_mcg_per_day, s.infusion.dose_mismatch) == (9.0, False)
    assert s.infusion.restart_dose_mcg_per_day == 9.0


def test_restart_at_full_dose_after_an_adverse_reaction_is_a_dose_mismatch():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(100, "infusion_stopped", reason="crs")
    premed(tl, 130)
    tl.add(130, "infusion_resumed", minutes=30, dose_mcg=28, duration_h=24)
    s = state_at(tl, 131)
    assert (s.infusion.expected_dose_mcg_per_day, s.infusion.dose_mismatch) == (9.0, True)
    assert codes(s)["dose_mismatch"] == "R-DOSE-3"


def test_cycle1_relapsed_refractory_started_at_28_is_a_dose_mismatch_but_mrd_is_not():
    tl = Timeline()
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24)
    assert state_at(tl, 1).infusion.dose_mismatch is True
    assert state_at(tl, 1, pt=patient(indication="mrd_positive")).infusion.dose_mismatch is False


# -- new cycle after 7 days (R-INT-2/3) and discontinuation review after 14 days (D2) --------------------------

@pytest.mark.parametrize(("hold_minutes", "new_cycle", "near"), [
    (10019, False, False), (10020, False, True), (10079, False, True), (10080, False, True), (10081, True, True),
    (10140, True, True), (10141, True, False)])
def test_restart_requires_new_cycle_strictly_after_10080_minutes(hold_minutes, new_cycle, near):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="crs")
    s = state_at(tl, 10, hold_minutes)
    assert s.infusion.restart_requires_new_cycle is new_cycle
    assert s.infusion.near_new_cycle_boundary is near
    assert s.infusion.new_cycle_limit_at == tl.at(10, 10080)
    assert ("new_cycle_required" in codes(s)) is new_cycle
    assert ("new_cycle_boundary" in codes(s)) is near


@pytest.mark.parametrize(("hold_minutes", "cycle", "cycle_day", "infused"), [
    (10080, 2, 8, 11.0), (10081, 3, 1, 1.0)])
def test_restart_after_10080_minutes_continues_the_cycle_and_after_10081_starts_a_new_one(
        hold_minutes, cycle, cycle_day, infused):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="technical")
    premed(tl, 10, hold_minutes - 30)
    tl.add(10, "infusion_resumed", minutes=hold_minutes, dose_mcg=28, duration_h=24)
    s = state_at(tl, 11, hold_minutes)
    assert (s.infusion.cycle, s.infusion.cycle_day, s.infusion.infused_hours_this_cycle) == (cycle, cycle_day, infused)
    assert s.infusion.new_cycle_after_long_hold is (cycle == 3)
    assert s.infusion.hold.count_this_cycle == (1 if cycle == 2 else 0)
    assert s.infusion.last_restart.near_new_cycle_boundary is True
    assert codes(s)["new_cycle_boundary"] == "R-INT-3"
    assert ("new_cycle_required" in codes(s)) is (cycle == 3)


@pytest.mark.parametrize(("hold_minutes", "review"), [(20159, False), (20160, False), (20161, True)])
def test_discontinuation_review_after_a_hold_of_more_than_20160_minutes(hold_minutes, review):
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="crs")
    s = state_at(tl, 10, hold_minutes)
    assert s.infusion.hold_beyond_discontinuation_limit is review
    assert s.infusion.discontinuation_limit_at == tl.at(10, 20160)
    assert (codes(s).get("discontinuation_review") == "D2") is review
    assert s.infusion.course_status == ("discontinuation_review" if review else "active")


def test_first_start_without_premedication_warns_premedication_missing():
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    s = state_at(tl, 1)
    assert [(w.at, w.event, w.problem) for w in s.infusion.premedication_warnings] == [
        (tl.at(0), PREMED_FIRST_DOSE, PREMED_MISSING)]
    assert codes(s)["premedication_timing"] == "R-PREMED-3"


def test_explicit_start_of_the_next_cycle_during_a_hold_ends_the_hold():
    tl = Timeline()
    running_cycle2(tl)
    tl.add(10, "infusion_stopped", reason="other_adverse_event")
    premed(tl, 100)
    tl.add(100, "infusion_started", minutes=30, dose_mcg=28, duration_h=24, cycle=3)
    s = state_at(tl, 101).infusion
    assert (s.state, s.cycle, s.cycle_day, s.hold.count_this_cycle) == (RUNNING, 3, 1, 0)
    assert (s.infused_hours_this_cycle, s.premedication_warnings) == (0.5, ())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3000), st.integers(1, 3000),
                          st.sampled_from(["crs", "technical", "neurotoxicity", "other_adverse_event"])),
                min_size=1, max_size=6))
def test_infused_and_held_time_add_up_to_the_time_since_the_cycle_started(stretches):
    """D10: within a cycle (holds shorter than 7 days), every minute is either infused or held."""
    tl = Timeline()
    running_cycle2(tl)
    minute = 0
    for run, hold, reason in stretches:
        minute += run
        tl.add(0, "infusion_stopped", minutes=minute, reason=reason)
        minute += hold
        tl.add(0, "infusion_resumed", minutes=minute, dose_mcg=28, duration_h=24)
    s = state_at(tl, 0, minute + 1).infusion
    assert (s.state, s.cycle, s.hold.count_this_cycle) == (RUNNING, 2, len(stretches))
    assert s.infused_hours_this_cycle * 60 == pytest.approx(sum(r for r, _, _ in stretches) + 1)
    assert s.hold.total_held_hours_this_cycle * 60 == pytest.approx(sum(h for _, h, _ in stretches))
    assert s.cycle_day == (minute + 1) // 1440 + 1


def test_a_stop_entered_in_error_is_not_a_hold():
    tl = Timeline()
    running_cycle2(tl)
    stop = tl.add(10, "infusion_stopped", reason="crs")
    tl.add(11, "entered_in_error", target_id=str(stop.record.id), reason="wrong patient")
    s = state_at(tl, 20).infusion
    assert (s.state, s.hold.count_this_cycle, s.infused_hours_this_cycle) == (RUNNING, 0, 20.0)
