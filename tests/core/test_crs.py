"""CRS grading on both scales (RULES.md §1.6 R-AST, §1.7 R-CTC, decisions D1, D4, D5, D12): every threshold at,
below and above its value, with exact grades, lower bounds, flags and rule ids."""

from __future__ import annotations

from typing import Any

import pytest

from core.protocol import Protocol, shipped_protocol
from core.records import Assessment, OxygenDevice, Vasopressor
from core.rules.crs import (
    FLAG_ANGIOTENSIN_CONFIRM,
    FLAG_DEVICE_FLOW_MISMATCH,
    FLAG_FEVER_OTHER_CAUSE,
    FLAG_FEVER_WAIVED,
    FLAG_FIO2_NOT_RECORDED,
    FLAG_OTHER_CAUSES,
    CrsGrade,
    CrsInput,
    grade_crs,
    hypotension_sbp_limit,
)

DEFAULT = shipped_protocol("default")
FEVER = 38.5


def crs(protocol: Protocol = DEFAULT, **fields: Any) -> CrsGrade:
    """Grade an assessment given with INTERFACE.md values (strings for enums, a list of vasopressors)."""
    if "oxygen_device" in fields:
        fields["oxygen_device"] = OxygenDevice(fields["oxygen_device"])
    fields["vasopressors"] = frozenset(Vasopressor(v) for v in fields.get("vasopressors", ()))
    return grade_crs(CrsInput(**fields), protocol)


def with_grading(**changes: Any) -> Protocol:
    return DEFAULT.model_copy(update={"grading": DEFAULT.grading.model_copy(update=changes)})


# -- R-AST-1 fever ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("temperature, fever, grade", [
    pytest.param(37.9, False, 0, id="R-AST-1-below-37.9"),
    pytest.param(38.0, True, 1, id="R-AST-1-at-38.0"),
    pytest.param(38.1, True, 1, id="R-AST-1-above-38.1"),
])
def test_r_ast_1_fever_threshold(temperature, fever, grade):
    result = crs(temperature_c=temperature)
    assert result.fever is fever
    assert (result.astct.grade, result.ctcae.grade, result.grade) == (grade, grade, grade)
    assert ("R-AST-1" in result.astct.rules) is fever
    assert ("R-CTC-1" in result.ctcae.rules) is fever


@pytest.mark.parametrize("entered, stored", [
    pytest.param(37.94, 37.9, id="rounds-down"), pytest.param(37.95, 38.0, id="rounds-half-up-to-fever"),
    pytest.param(38.05, 38.1, id="half-up-38.05"),
])
def test_temperature_rounded_half_up_before_the_threshold(entered, stored):
    # RULES.md §0: rounded half-up to 0.1 °C before any threshold is checked.
    assessment = Assessment(temperature_c=entered)
    assert assessment.temperature_c == stored
    assert crs(temperature_c=assessment.temperature_c).fever is (stored >= 38.0)


def test_r_ast_1_fever_attributed_to_another_cause_does_not_count():
    result = crs(temperature_c=39.2, fever_other_cause=True)
    assert (result.fever, result.astct.grade, result.ctcae.grade) == (False, 0, 0)
    assert FLAG_FEVER_OTHER_CAUSE in result.flags


# -- R-AST-3 / D4 hypotension -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sbp, grade", [
    pytest.param(89, 2, id="R-AST-3-adult-89-below"), pytest.param(90, 1, id="R-AST-3-adult-90-at"),
    pytest.param(91, 1, id="R-AST-3-adult-91-above"),
])
def test_r_ast_3_adult_single_reading_below_90_is_hypotension(sbp, grade):
    result = crs(temperature_c=FEVER, systolic_bp=sbp)
    assert result.hypotension is (sbp < 90)
    assert (result.astct.grade, result.ctcae.grade) == (grade, grade)


@pytest.mark.parametrize("age, limit", [
    pytest.param(0, 70, id="under-1-extends-formula"), pytest.param(1, 72, id="age-1"),
    pytest.param(5, 80, id="age-5"), pytest.param(10, 90, id="age-10"), pytest.param(11, 90, id="age-11-adult"),
    pytest.param(40, 90, id="adult"), pytest.param(None, 90, id="age-unknown-adult"),
])
def test_r_ast_3_hypotension_limit_by_age(age, limit):
    assert hypotension_sbp_limit(age, DEFAULT) == limit


@pytest.mark.parametrize("age, sbp, hypotension", [
    pytest.param(5, 79, True, id="R-AST-3c-age5-79"), pytest.param(5, 80, False, id="R-AST-3c-age5-80"),
    pytest.param(5, 81, False, id="R-AST-3c-age5-81"),
    pytest.param(10, 89, True, id="R-AST-3c-age10-89"), pytest.param(10, 90, False, id="R-AST-3c-age10-90"),
    pytest.param(11, 89, True, id="R-AST-3b-age11-89"), pytest.param(11, 90, False, id="R-AST-3b-age11-90"),
    pytest.param(3, 85, False, id="R-AST-3c-child-85-is-normal"),
])
def test_r_ast_3_paediatric_formula(age, sbp, hypotension):
    result = crs(temperature_c=FEVER, systolic_bp=sbp, age_years=age)
    assert result.hypotension is hypotension
    assert result.astct.grade == (2 if hypotension else 1)


def test_r_ast_3_site_threshold_comes_from_the_protocol():
    site = with_grading(hypotension_sbp_below=95)
    assert crs(site, temperature_c=FEVER, systolic_bp=94).astct.grade == 2
    assert crs(site, temperature_c=FEVER, systolic_bp=95).astct.grade == 1


@pytest.mark.parametrize("fields", [
    pytest.param({"fluid_bolus_given": True, "systolic_bp": 104}, id="D4-bolus-responds"),
    pytest.param({"fluid_bolus_given": True}, id="D4-bolus-no-bp"),
])
def test_d4_fluid_bolus_is_hypotension_that_responds_to_fluids(fields):
    result = crs(temperature_c=FEVER, **fields)
    assert (result.hypotension, result.hypotension_tier) == (True, 2)
    assert (result.astct.grade, result.ctcae.grade) == (2, 2)
    assert "R-CTC-2" in result.ctcae.rules
    assert {"R-AST-3", "R-AST-4"} <= set(result.astct.rules)


# -- R-AST-4 vasopressors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("agents, astct, ctcae", [
    pytest.param([], 0, 1, id="R-AST-4-none"),
    pytest.param(["vasopressin"], 3, 3, id="R-AST-4-vasopressin-alone-tier3"),
    pytest.param(["norepinephrine"], 3, 3, id="R-AST-4-one-agent-tier3"),
    pytest.param(["norepinephrine", "vasopressin"], 3, 4, id="R-AST-4-vasopressin-not-counted"),
    pytest.param(["norepinephrine", "phenylephrine"], 4, 4, id="R-AST-4-two-agents-tier4"),
    pytest.param(["norepinephrine", "phenylephrine", "vasopressin"], 4, 4, id="R-AST-4-three-agents"),
    pytest.param(["angiotensin_ii", "norepinephrine"], 4, 4, id="R-AST-4-angiotensin-counted"),
])
def test_r_ast_4_and_r_ctc_3_4_vasopressor_tiers(agents, astct, ctcae):
    result = crs(temperature_c=FEVER, vasopressors=agents)
    assert result.astct.grade == max(1, astct)
    assert result.ctcae.grade == ctcae
    assert result.grade == max(astct, ctcae, 1)


def test_r_ast_4_angiotensin_ii_is_counted_and_flagged_to_confirm():
    result = crs(temperature_c=FEVER, vasopressors=["angiotensin_ii"])
    assert result.hypotension_tier == 3
    assert FLAG_ANGIOTENSIN_CONFIRM in result.flags


# -- R-AST-5 oxygen ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("device, flow, tier", [
    pytest.param("room_air", None, 0, id="R-AST-5-room-air"),
    pytest.param("blow_by", None, 2, id="R-AST-5-blow-by"),
    pytest.param("nasal_cannula", 5.9, 2, id="R-AST-5-nc-5.9-low-flow"),
    pytest.param("nasal_cannula", 6.0, 2, id="R-AST-5-nc-6.0-low-flow"),
    pytest.param("nasal_cannula", 6.1, 3, id="R-AST-5-nc-6.1-high-flow"),
    pytest.param("high_flow_nasal_cannula", 6.5, 3, id="R-AST-5-hfnc"),
    pytest.param("simple_mask", None, 3, id="R-AST-5-simple-mask"),
    pytest.param("venturi_mask", None, 3, id="R-AST-5-venturi"),
    pytest.param("non_rebreather", None, 3, id="R-AST-5-non-rebreather"),
    pytest.param("cpap", None, 4, id="R-AST-5-cpap"),
    pytest.param("bipap", None, 4, id="R-AST-5-bipap"),
    pytest.param("invasive_ventilation", None, 4, id="R-AST-5-ventilation"),
])
def test_r_ast_5_hypoxia_tier_by_device(device, flow, tier):
    result = crs(temperature_c=FEVER, oxygen_device=device, oxygen_flow_l_min=flow)
    assert result.hypoxia_tier == tier
    assert result.astct.grade == max(1, tier)
    assert FLAG_DEVICE_FLOW_MISMATCH not in result.flags


@pytest.mark.parametrize("flow, flagged", [
    pytest.param(5.0, True, id="R-AST-5-hfnc-5-mismatch"), pytest.param(6.0, True, id="R-AST-5-hfnc-6-mismatch"),
    pytest.param(6.1, False, id="R-AST-5-hfnc-6.1-no-flag"),
])
def test_r_ast_5_high_flow_cannula_at_low_flow_is_tier_3_and_flagged(flow, flagged):
    result = crs(temperature_c=FEVER, oxygen_device="high_flow_nasal_cannula", oxygen_flow_l_min=flow)
    assert result.astct.grade == 3
    assert (FLAG_DEVICE_FLOW_MISMATCH in result.flags) is flagged


def test_r_ast_5_site_low_flow_limit_from_the_protocol():
    site = with_grading(low_flow_max_l_min=5.0)
    assert crs(site, temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=5.0).astct.grade == 2
    assert crs(site, temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=5.5).astct.grade == 3


def test_r_ast_5_oxygen_for_comfort_only_is_no_hypoxia():
    result = crs(temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=2.0,
                 oxygen_for_comfort_only=True)
    assert (result.hypoxia_tier, result.astct.grade, result.ctcae.grade) == (0, 1, 1)
    assert "fio2_percent" not in result.missing


def test_d7_nasal_cannula_without_flow_is_a_lower_bound_on_astct():
    result = crs(temperature_c=FEVER, oxygen_device="nasal_cannula", fio2_percent=30)
    assert (result.astct.grade, result.astct.at_least) == (2, True)
    assert (result.ctcae.grade, result.ctcae.at_least) == (2, False)
    assert result.at_least is True
    assert "oxygen_flow_l_min" in result.missing


# -- R-AST-6 grade, R-AST-2 waiver, D12 --------------------------------------------------------------------------

def test_r_ast_6_grade_is_the_more_severe_of_hypotension_and_hypoxia():
    result = crs(temperature_c=FEVER, vasopressors=["norepinephrine"], oxygen_device="nasal_cannula",
                 oxygen_flow_l_min=3.0)
    assert (result.hypotension_tier, result.hypoxia_tier, result.astct.grade) == (3, 2, 3)


@pytest.mark.parametrize("fields", [
    pytest.param({"systolic_bp": 85, "fluid_bolus_given": True}, id="hypotension"),
    pytest.param({"oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 3.0}, id="hypoxia"),
    pytest.param({"vasopressors": ["norepinephrine"]}, id="vasopressor"),
])
def test_d12_no_fever_outside_an_episode_is_no_crs_on_either_scale(fields):
    result = crs(temperature_c=37.4, **fields)
    assert (result.astct.grade, result.ctcae.grade, result.grade) == (0, 0, 0)
    assert FLAG_OTHER_CAUSES in result.flags
    assert result.ctcae.rules == ("R-CTC-6", "D12")
    assert "R-AST-6" in result.astct.rules


def test_r_ast_2_waiver_needs_an_open_episode_and_treatment():
    base = {"temperature_c": 37.1, "systolic_bp": 84, "fluid_bolus_given": True}
    waived = crs(crs_episode_open=True, crs_treatment_given=True, **base)
    assert (waived.astct.grade, waived.fever_waived) == (2, True)
    assert "R-AST-2" in waived.astct.rules and FLAG_FEVER_WAIVED in waived.flags
    no_treatment = crs(crs_episode_open=True, crs_treatment_given=False, **base)
    assert (no_treatment.astct.grade, no_treatment.fever_waived) == (0, False)
    assert FLAG_OTHER_CAUSES in no_treatment.flags
    no_episode = crs(crs_episode_open=False, crs_treatment_given=True, **base)
    assert (no_episode.astct.grade, no_episode.fever_waived) == (0, False)


def test_r_ast_6_exception_waiver_without_features_is_grade_0():
    result = crs(temperature_c=36.9, systolic_bp=120, oxygen_device="room_air", crs_episode_open=True,
                 crs_treatment_given=True)
    assert (result.astct.grade, result.ctcae.grade, result.fever_waived) == (0, 0, True)


def test_r_ast_6_febrile_patient_with_waiver_and_no_features_is_still_grade_1():
    result = crs(temperature_c=38.2, systolic_bp=120, oxygen_device="room_air", crs_episode_open=True,
                 crs_treatment_given=True)
    assert (result.astct.grade, result.ctcae.grade) == (1, 1)


def test_r_ctc_6_inside_an_open_episode_ctcae_needs_no_fever():
    result = crs(temperature_c=37.2, systolic_bp=85, crs_episode_open=True)
    assert (result.astct.grade, result.ctcae.grade, result.grade) == (0, 2, 2)
    assert "R-CTC-6" in result.ctcae.rules
    assert result.scales_differ is True


# -- R-CTC-2..5, D5 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fio2, grade, rule", [
    pytest.param(39, 2, "R-CTC-2", id="R-CTC-2-fio2-39"), pytest.param(40, 3, "R-CTC-3", id="R-CTC-3-fio2-40"),
    pytest.param(41, 3, "R-CTC-3", id="R-CTC-3-fio2-41"),
])
def test_r_ctc_fio2_threshold(fio2, grade, rule):
    result = crs(temperature_c=FEVER, oxygen_device="venturi_mask", fio2_percent=fio2)
    assert (result.ctcae.grade, result.ctcae.at_least) == (grade, False)
    assert rule in result.ctcae.rules
    assert result.astct.grade == 3


@pytest.mark.parametrize("device", ["cpap", "bipap", "invasive_ventilation"])
def test_r_ctc_4_positive_pressure_is_grade_4(device):
    result = crs(temperature_c=FEVER, oxygen_device=device)
    assert (result.ctcae.grade, result.ctcae.at_least, result.astct.grade) == (4, False, 4)
    assert "fio2_percent" not in result.missing


def test_r_ctc_4_clinician_marks_life_threatening():
    result = crs(temperature_c=FEVER, life_threatening=True)
    assert (result.ctcae.grade, result.astct.grade, result.grade) == (4, 1, 4)
    assert "R-CTC-4" in result.ctcae.rules


def test_r_ctc_5_oxygen_without_fio2_is_at_least_2_and_never_estimated_from_flow():
    for flow in (2.0, 6.0, 15.0):
        result = crs(temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=flow)
        assert (result.ctcae.grade, result.ctcae.at_least) == (2, True)
        assert "R-CTC-5" in result.ctcae.rules and FLAG_FIO2_NOT_RECORDED in result.flags
        assert "fio2_percent" in result.missing


def test_r_ctc_5_lower_bound_disappears_when_a_pressor_already_gives_grade_3():
    result = crs(temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=2.0,
                 vasopressors=["norepinephrine"])
    assert (result.ctcae.grade, result.ctcae.at_least) == (3, False)


def test_r_ctc_fio2_above_air_without_a_device_still_counts_for_ctcae():
    result = crs(temperature_c=FEVER, fio2_percent=45)
    assert (result.ctcae.grade, result.astct.grade) == (3, 1)
    assert "oxygen_device" in result.missing


# -- D1 displayed grade, scales differ -------------------------------------------------------------------------

def test_d1_displayed_grade_is_the_higher_scale_and_scales_differ():
    result = crs(temperature_c=38.6, oxygen_device="venturi_mask", fio2_percent=35)
    assert (result.astct.grade, result.ctcae.grade, result.grade, result.scales_differ) == (3, 2, 3, True)


def test_d5_lower_bound_met_by_the_other_scale_does_not_differ():
    result = crs(temperature_c=38.3, oxygen_device="nasal_cannula", oxygen_flow_l_min=7.0)
    assert (result.astct.grade, result.ctcae.grade, result.ctcae.at_least) == (3, 2, True)
    assert (result.grade, result.scales_differ, result.at_least) == (3, False, False)


@pytest.mark.parametrize("scales, grade", [
    pytest.param("both", 4, id="D1-both"), pytest.param("astct_2019", 3, id="D1-astct-only"),
    pytest.param("ctcae_v5", 4, id="D1-ctcae-only"),
])
def test_d1_a_site_may_choose_a_single_scale(scales, grade):
    result = crs(with_grading(scales=scales), temperature_c=39.0, vasopressors=["norepinephrine", "vasopressin"])
    assert (result.astct.grade, result.ctcae.grade) == (3, 4)
    assert result.grade == grade
    assert result.scales_used == scales
    assert result.scales_differ is (scales == "both")


def test_r_ast_8_grading_never_returns_grade_5():
    result = crs(temperature_c=41.0, vasopressors=["norepinephrine", "epinephrine", "phenylephrine"],
                 oxygen_device="invasive_ventilation", life_threatening=True)
    assert (result.astct.grade, result.ctcae.grade, result.grade) == (4, 4, 4)


def test_d7_missing_inputs_are_listed():
    result = crs()
    assert result.missing == ("temperature_c", "systolic_bp", "oxygen_device")
    assert result.grade == 0
