"""CRS episodes and the current assessment through the fold: D9 (open, close after 24 h, clinician close), R-AST-2
(fever waiver only inside an episode after treatment; premedication never), V14, V15, D4 (fluid window), D11
(look-back, vasopressor started after the vitals), D6 (clinician confirmation/override, both kept), R-AST-7,
R-AST-8 (grade 5 only by a clinician), R-AST-9 (recurrence per cycle and per course), §9 status level."""

from __future__ import annotations

import pytest

from core.protocol import shipped_protocol
from core.state import fold, fold_history
from tests.scenario import Timeline, patient

PROTOCOL = shipped_protocol("default")
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def vitals(tl: Timeline, hours: float, minutes: float = 0, **changes):
    return tl.add(hours, "vitals", minutes=minutes, **{**NORMAL, **changes})


def state_at(tl: Timeline, hours: float, minutes: float = 0, protocol=PROTOCOL):
    return fold(patient(), tl.records, tl.at(hours, minutes), protocol)


def codes(state) -> dict[str, str]:
    return {r.code: r.rule for r in state.recommendations}


# -- D9 ---------------------------------------------------------------------------------------------------------

def test_d9_episode_opens_at_the_first_assessment_at_grade_1():
    tl = Timeline()
    vitals(tl, 0)
    assert state_at(tl, 0).crs.episodes == ()
    vitals(tl, 1, temperature_c=38.2)
    state = state_at(tl, 1)
    assert (state.crs.episode_open, state.crs.episode_started, state.crs.episode_max_grade) == (True, tl.at(1), 1)


@pytest.mark.parametrize("hours, minutes, still_open", [
    pytest.param(24, 59, True, id="D9-23h59-after-open"),
    pytest.param(25, 0, False, id="D9-exactly-24h-closed"),
    pytest.param(25, 1, False, id="D9-24h01-closed"),
])
def test_d9_episode_closes_after_24_hours_without_grade_1(hours, minutes, still_open):
    tl = Timeline()
    vitals(tl, 1, temperature_c=38.2)         # last assessment at grade >= 1
    vitals(tl, 5)                              # grade 0 does not extend the episode
    state = state_at(tl, hours, minutes)
    assert state.crs.episode_open is still_open
    episode = state.crs.episodes[-1]
    assert episode.ended == (None if still_open else tl.at(25))
    assert episode.closed_by_clinician is False


def test_d9_a_later_grade_1_assessment_extends_the_episode():
    tl = Timeline()
    vitals(tl, 1, temperature_c=38.2)
    vitals(tl, 20, temperature_c=38.1)
    assert state_at(tl, 43, 59).crs.episode_open is True
    assert state_at(tl, 44).crs.episode_open is False


def test_d9_clinician_closes_the_episode_and_earlier_readings_cannot_reopen_it():
    tl = Timeline()
    vitals(tl, 1, temperature_c=38.4)
    tl.add(1, "crs_episode_closed", minutes=30, reason="fever attributed to line infection")
    tl.add(1, "fluid_bolus", minutes=40, volume_ml=250)   # re-evaluates with the 38.4 of 40 min before the close
    state = state_at(tl, 1, 45)
    assert state.crs.episode_open is False
    [episode] = state.crs.episodes
    assert (episode.ended, episode.closed_by_clinician) == (tl.at(1, 30), True)
    assert state.crs.grade == 0
    vitals(tl, 3, temperature_c=38.6)          # a new fever after the close opens a new episode
    state = state_at(tl, 3)
    assert (len(state.crs.episodes), state.crs.episode_open, state.crs.episode_started) == (2, True, tl.at(3))


# -- R-AST-2 waiver ---------------------------------------------------------------------------------------------

def test_v14_fever_waived_after_tocilizumab_in_an_open_episode():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.6, systolic_bp=86, diastolic_bp=50, fluid_bolus_given=True)   # G2
    tl.add(2, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    vitals(tl, 8, temperature_c=37.1, systolic_bp=84, diastolic_bp=50, fluid_bolus_given=True)
    state = state_at(tl, 8)
    assert state.crs.episode_max_grade == 2
    assert state.crs.computed.fever_waived is True
    assert (state.crs.computed.astct.grade, state.crs.grade) == (2, 2)   # not 0
    assert "R-AST-2" in state.crs.computed.astct.rules


@pytest.mark.parametrize("drug, purpose, waived", [
    pytest.param("paracetamol", "crs_treatment", True, id="R-AST-2-antipyretic-for-crs"),
    pytest.param("dexamethasone", "crs_treatment", True, id="R-AST-2-steroid-for-crs"),
    pytest.param("tocilizumab", "other", True, id="R-AST-2-tocilizumab-any-purpose"),
    pytest.param("dexamethasone", "premedication", False, id="R-AST-2-premedication-never"),
    pytest.param("tocilizumab", "premedication", False, id="R-AST-2-premedication-tocilizumab-never"),
    pytest.param("paracetamol", "other", False, id="R-AST-2-not-for-crs"),
])
def test_r_ast_2_which_medication_sets_the_waiver(drug, purpose, waived):
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.5)
    tl.add(1, "medication_given", drug=drug, dose_mg=20, purpose=purpose)
    vitals(tl, 2, temperature_c=37.0, systolic_bp=85, diastolic_bp=50)
    state = state_at(tl, 2)
    assert state.crs.computed.fever_waived is waived
    assert state.crs.computed.astct.grade == (2 if waived else 0)
    assert state.crs.computed.ctcae.grade == 2     # R-CTC-6: inside the episode CTCAE needs no fever
    assert state.crs.grade == 2


def test_r_ast_2_treatment_before_the_episode_opened_is_no_waiver():
    tl = Timeline()
    tl.add(0, "medication_given", drug="paracetamol", dose_mg=1000, purpose="crs_treatment")
    vitals(tl, 1, temperature_c=38.5)
    vitals(tl, 2, temperature_c=37.0, systolic_bp=85, diastolic_bp=50)
    state = state_at(tl, 2)
    assert (state.crs.computed.fever_waived, state.crs.computed.astct.grade) == (False, 0)


def test_r_ast_2_waiver_ends_with_the_episode():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.5)
    tl.add(1, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    vitals(tl, 30, temperature_c=37.0, systolic_bp=85, diastolic_bp=50, fluid_bolus_given=True)
    state = state_at(tl, 30)
    assert state.crs.episode_open is False
    assert (state.crs.computed.fever_waived, state.crs.grade) == (False, 0)


def test_v15_premedication_is_no_waiver_and_hypotension_without_fever_is_not_crs():
    tl = Timeline()
    tl.add(0, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    vitals(tl, 2, temperature_c=37.4, systolic_bp=85, diastolic_bp=50, fluid_bolus_given=True)
    state = state_at(tl, 2)
    c = state.crs.computed
    assert (c.astct.grade, c.ctcae.grade, state.crs.grade, c.fever_waived) == (0, 0, 0, False)
    assert "hypotension_hypoxia_without_fever" in c.flags
    assert state.crs.episodes == ()
    assert (state.news2.parameter_scores["systolic_bp"], state.news2.red_parameter) == (3, True)
    assert codes(state)["consider_other_causes"] == "R-AST-6"
    assert state.status_level.level == 1


# -- D4 / D11 -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hours, minutes, grade", [
    pytest.param(6, 0, 2, id="D4-bolus-6h-ago-counts"), pytest.param(6, 1, 1, id="D4-bolus-6h01-ago-not"),
])
def test_d4_fluid_bolus_counts_for_6_hours(hours, minutes, grade):
    tl = Timeline()
    tl.add(0, "fluid_bolus", volume_ml=500)
    vitals(tl, 5, temperature_c=38.4, systolic_bp=104, diastolic_bp=60)
    assert state_at(tl, hours, minutes).crs.grade == grade


@pytest.mark.parametrize("hours, minutes, grade", [
    pytest.param(4, 0, 1, id="D11-4h-lookback-in"), pytest.param(4, 1, 0, id="D11-4h01-out"),
])
def test_d11_vitals_look_back_4_hours(hours, minutes, grade):
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.4)
    assert state_at(tl, hours, minutes).crs.computed.grade == grade


def test_d11_vasopressor_started_after_the_vitals_raises_the_grade_at_once():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.9, systolic_bp=86, diastolic_bp=50)
    assert state_at(tl, 0).crs.grade == 2
    tl.add(0, "vasopressor_started", minutes=20, agent="norepinephrine")
    history = fold_history(patient(), tl.records, PROTOCOL)
    assert [s.crs.grade for s in history] == [2, 3]
    assert history[-1].crs.episode_max_grade == 3
    tl.add(0, "vasopressor_started", minutes=40, agent="phenylephrine")
    assert state_at(tl, 0, 40).crs.grade == 4
    tl.add(1, "vasopressor_stopped", agent="phenylephrine")
    tl.add(1, "vasopressor_stopped", minutes=1, agent="norepinephrine")
    state = state_at(tl, 1, 1)
    assert state.crs.grade == 2        # SBP 86 still in the look-back window
    assert state.crs.episode_max_grade == 4


# -- D6, R-AST-8 ------------------------------------------------------------------------------------------------

def test_d6_clinician_override_is_kept_beside_the_computed_grade():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.4, systolic_bp=86, diastolic_bp=50, fluid_bolus_given=True)
    tl.add(0, "grade_confirmed", minutes=10, grade=3, reason="escalating oxygen need at the bedside", by="dr.a")
    state = state_at(tl, 0, 10)
    assert (state.crs.grade, state.crs.computed.grade) == (3, 2)
    confirmed = state.crs.confirmed
    assert (confirmed.grade, confirmed.computed_grade, confirmed.in_force, confirmed.by) == (3, 2, True, "dr.a")
    assert confirmed.reason == "escalating oxygen need at the bedside"
    assert state.crs.episode_max_grade == 3
    doc = state.to_json()["crs"]
    assert (doc["grade"], doc["computed_grade"], doc["confirmed"]["grade"], doc["confirmed"]["computed_grade"]) \
        == (3, 2, 3, 2)
    # New vitals: the app grades again; the override is kept on record but no longer in force.
    vitals(tl, 1, temperature_c=38.4, systolic_bp=95, diastolic_bp=55)
    state = state_at(tl, 1)
    assert (state.crs.grade, state.crs.confirmed.grade, state.crs.confirmed.in_force) == (2, 3, False)


def test_d6_clinician_confirmation_of_the_computed_grade():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.4)
    tl.add(0, "grade_confirmed", minutes=5, grade=1, reason="agree")
    confirmed = state_at(tl, 0, 5).crs.confirmed
    assert (confirmed.grade, confirmed.computed_grade, confirmed.in_force) == (1, 1, True)


def test_r_ast_8_grade_5_only_by_clinician_and_it_stays():
    tl = Timeline()
    vitals(tl, 0, temperature_c=39.5, vasopressors=["norepinephrine", "epinephrine"], oxygen_device="bipap",
           spo2_percent=85)
    state = state_at(tl, 0)
    assert (state.crs.computed.grade, state.crs.grade) == (4, 4)
    tl.add(2, "grade_confirmed", grade=5, reason="death attributed to CRS")
    vitals(tl, 3, temperature_c=36.0)
    state = state_at(tl, 3)
    assert (state.crs.grade, state.crs.computed.grade) == (5, 0)
    assert state.crs.confirmed.in_force is True
    assert state.status_level.level == 4


# -- R-AST-7 / R-AST-9 ------------------------------------------------------------------------------------------

def test_r_ast_7_interrupt_prompt_follows_the_episode_maximum_until_a_restart():
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24)
    vitals(tl, 1, temperature_c=38.9, vasopressors=["norepinephrine"], systolic_bp=92, diastolic_bp=50)
    assert codes(state_at(tl, 1))["interrupt_infusion"] == "R-MOD-1"
    vitals(tl, 2, temperature_c=38.3)           # grade 1 now, episode maximum 3, infusion never stopped
    state = state_at(tl, 2)
    assert (state.crs.grade, state.crs.episode_max_grade) == (1, 3)
    assert codes(state)["interrupt_infusion"] == "R-AST-7"
    tl.add(2, "infusion_stopped", minutes=10, reason="crs")
    assert "interrupt_infusion" not in codes(state_at(tl, 2, 10))
    tl.add(8, "infusion_resumed", dose_mcg=9, duration_h=24)
    vitals(tl, 9, temperature_c=38.1)
    assert "interrupt_infusion" not in codes(state_at(tl, 9))


def test_r_ast_9_recurrence_counted_per_cycle_and_per_course():
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24, cycle=1)
    vitals(tl, 10, temperature_c=38.4, systolic_bp=86, diastolic_bp=50)        # episode 1: G2, cycle 1
    vitals(tl, 60, temperature_c=38.2)                                          # episode 2: G1
    tl.add(100, "infusion_stopped", reason="cycle_complete")
    tl.add(400, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)
    vitals(tl, 410, temperature_c=38.9, vasopressors=["norepinephrine"])        # episode 3: G3, cycle 2
    state = state_at(tl, 411)
    assert [e.max_grade for e in state.crs.episodes] == [2, 1, 3]
    assert [e.cycle for e in state.crs.episodes] == [1, 1, 2]
    assert (state.crs.episodes_grade2_plus, state.crs.episodes_grade2_plus_this_cycle) == (2, 1)
    assert state.crs.recurrent is True
    assert codes(state)["discontinuation_review"] == "R-AST-9"
    doc = state.to_json()["crs"]
    assert (doc["episodes_grade2_plus"], doc["episodes_grade2_plus_this_cycle"], doc["recurrent"]) == (2, 1, True)


def test_r_ast_9_one_severe_episode_is_not_recurrence():
    tl = Timeline()
    vitals(tl, 0, temperature_c=38.4, systolic_bp=86, diastolic_bp=50)
    vitals(tl, 30, temperature_c=38.2)
    state = state_at(tl, 31)
    assert (state.crs.episodes_grade2_plus, state.crs.recurrent) == (1, False)
    assert "discontinuation_review" not in codes(state)
    assert "recurrent_crs" not in state.flags


# -- §9 status level through the fold ---------------------------------------------------------------------------

def test_status_level_with_seizures_r_icn_6():
    tl = Timeline()
    vitals(tl, 0)
    tl.add(1, "neuro_assessment", ice_score=8, seizure="resolved")     # V25: first seizure -> ICANS G3
    state = state_at(tl, 1)
    assert (state.icans.grade, state.icans.seizures) == (3, 1)
    assert state.status_level.level == 3
    assert state.status_level.codes == ("icans_grade_3", "seizure")
    tl.add(5, "neuro_assessment", ice_score=10)
    state = state_at(tl, 5)
    assert (state.icans.grade, state.status_level.codes) == (0, ("seizure",))
    tl.add(30, "neuro_assessment", ice_score=9, seizure="resolved")    # V26: second seizure
    state = state_at(tl, 30)
    assert state.status_level.level == 4
    assert state.status_level.codes[0] == "second_seizure"
    assert codes(state)["discontinue_permanently"] == "R-ICN-6"
    assert state.to_json()["status_level"] == {"level": 4, "reasons": [
        {"code": "second_seizure", "level": 4, "rule": "R-ICN-6"},
        {"code": "icans_grade_3", "level": 3, "rule": "R-ICN-5"}]}


@pytest.mark.parametrize("weight, dexamethasone, restart", [
    pytest.param(70.0, "dexamethasone 8 mg every 8 h", "restart at 9 mcg/day, step up to 28 mcg/day",
                 id="R-MOD-1-45kg-or-more"),
    pytest.param(44.9, "dexamethasone 5 mg/m2 (max 8 mg) every 8 h",
                 "restart at 5 mcg/m2/day, step up to 15 mcg/m2/day", id="R-MOD-1-under-45kg"),
])
def test_r_mod_1_texts_follow_the_patients_weight(weight, dexamethasone, restart):
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24)
    vitals(tl, 1, temperature_c=38.9, vasopressors=["norepinephrine"], systolic_bp=92, diastolic_bp=50)
    state = fold(patient(weight_kg=weight, bsa_m2=1.4), tl.records, tl.at(1), PROTOCOL)
    text = next(r.text for r in state.recommendations if r.code == "interrupt_infusion")
    assert f"Label: {dexamethasone} IV/PO for up to 3 days, then taper over 4 days." in text
    assert f"When CRS resolves, {restart} after 7 days without recurrence (prescriber to confirm)." in text
