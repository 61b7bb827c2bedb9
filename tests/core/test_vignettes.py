"""The grading vignettes of RULES.md §10 (V1–V16, V34–V36, V39–V44) with exact expected values: ASTCT, CTCAE,
``at_least``, NEWS2 score and risk, the §9 status level and the recommendation codes (default protocol).

Single assessments go through ``grade_assessment`` (the ``grade`` command's core); vignettes that need history
(labs, neuro, NEWS2 scale 2) go through the fold. The infusion vignettes (V17–V33, V37 infusion, V38) are tested
with the infusion engine."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import InputError
from core.protocol import shipped_protocol
from core.services import grade_assessment
from core.state import fold
from tests.scenario import Timeline, patient

DEFAULT = shipped_protocol("default")
LABEL = shipped_protocol("label")

#: RULES.md §10 defaults: adult, Alert, RR 16, HR 80, SBP 120/75, SpO2 97 % on air (temperature 37.0).
BASE: dict[str, Any] = {"temperature_c": 37.0, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120,
                        "diastolic_bp": 75, "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
EPISODE_TREATED = {"crs_episode_open": True, "crs_treatment_given": True}

G2_RECS = ["interrupt_infusion", "notify_prescriber"]
G3_RECS = ["emergency_review", "consider_icu", "interrupt_infusion", "notify_prescriber"]
G4_RECS = ["discontinue_permanently", "emergency_review", "consider_icu", "notify_prescriber"]

# id, changes, (ASTCT, CTCAE, CTCAE at_least), (NEWS2 score, risk), status level, recommendation codes
VIGNETTES = [
    ("V1", {"temperature_c": 38.0, "heart_rate": 96}, (1, 1, False), (1, "low"), 1, ["increase_observations"]),
    ("V2", {"temperature_c": 37.9}, (0, 0, False), (0, "low"), 0, []),
    ("V3", {"temperature_c": 38.1, "systolic_bp": 90, "diastolic_bp": 60, "heart_rate": 88}, (1, 1, False),
     (4, "low_medium"), 1, ["notify_prescriber", "increase_observations"]),
    ("V4", {"temperature_c": 38.4, "systolic_bp": 86, "fluid_bolus_given": True}, (2, 2, False),
     (4, "low_medium"), 2, [*G2_RECS, "increase_observations"]),
    ("V5", {"temperature_c": 38.3, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 6.0}, (2, 2, True),
     (3, "low"), 2, G2_RECS),
    ("V6", {"temperature_c": 38.3, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 7.0}, (3, 2, True),
     (3, "low"), 3, G3_RECS),
    ("V7", {"temperature_c": 38.6, "oxygen_device": "venturi_mask", "fio2_percent": 40}, (3, 3, False),
     (3, "low"), 3, G3_RECS),
    ("V8", {"temperature_c": 38.6, "oxygen_device": "venturi_mask", "fio2_percent": 35}, (3, 2, False),
     (3, "low"), 3, G3_RECS),
    ("V9", {"temperature_c": 38.6, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 4.0, "fio2_percent": 40},
     (2, 3, False), (3, "low"), 3, G3_RECS),
    ("V10", {"temperature_c": 38.9, "vasopressors": ["norepinephrine"], "systolic_bp": 92, "diastolic_bp": 60},
     (3, 3, False), (3, "low"), 3, G3_RECS),
    ("V11", {"temperature_c": 39.0, "vasopressors": ["norepinephrine", "vasopressin"]}, (3, 4, False),
     (1, "low"), 4, G4_RECS),
    ("V12", {"temperature_c": 39.0, "vasopressors": ["norepinephrine", "phenylephrine"]}, (4, 4, False),
     (1, "low"), 4, G4_RECS),
    ("V13", {"temperature_c": 38.2, "oxygen_device": "bipap"}, (4, 4, False), (3, "low"), 4, G4_RECS),
    ("V14", {**EPISODE_TREATED, "temperature_c": 37.1, "systolic_bp": 84, "fluid_bolus_given": True},
     (2, 2, False), (3, "low_medium"), 2, [*G2_RECS, "increase_observations"]),
    ("V15", {"temperature_c": 37.4, "systolic_bp": 85, "fluid_bolus_given": True}, (0, 0, False),
     (3, "low_medium"), 1, ["notify_prescriber", "consider_other_causes", "increase_observations"]),
    ("V16", {**EPISODE_TREATED, "temperature_c": 36.8, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 3.0,
             "vasopressors": ["norepinephrine"]}, (3, 3, False), (2, "low"), 3, G3_RECS),
    ("V35", {"respiratory_rate": 22, "spo2_percent": 95, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 2.0,
             "systolic_bp": 105, "heart_rate": 115, "temperature_c": 38.5}, (2, 2, True), (9, "high"), 3,
     ["emergency_review", "interrupt_infusion", "notify_prescriber", "increase_observations"]),
    ("V43", {"oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 2.0, "oxygen_for_comfort_only": True,
             "spo2_percent": 98}, (0, 0, False), (2, "low"), 0, []),
    ("V44", {"temperature_c": 38.5, "oxygen_device": "high_flow_nasal_cannula", "oxygen_flow_l_min": 5.0},
     (3, 2, True), (3, "low"), 3, [*G3_RECS, "record_fio2"]),
]


def grade(changes: dict[str, Any], protocol=DEFAULT) -> dict[str, Any]:
    return grade_assessment({**BASE, **changes}, protocol)


@pytest.mark.parametrize("changes, scales, news, level, recs",
                         [pytest.param(*v[1:], id=v[0]) for v in VIGNETTES])
def test_grading_vignette(changes, scales, news, level, recs):
    result = grade(changes)
    astct, ctcae, at_least = scales
    assert result["scales"]["astct_2019"]["grade"] == astct
    assert result["scales"]["ctcae_v5"]["grade"] == ctcae
    assert result["scales"]["ctcae_v5"]["at_least"] is at_least
    assert result["crs_grade"] == max(astct, ctcae)
    assert (result["news2"]["score"], result["news2"]["risk"], result["news2"]["complete"]) == (*news, True)
    assert result["status_level"]["level"] == level
    assert [r["code"] for r in result["recommendations"]] == recs
    assert result["protocol"] == {"id": "default", "version": "1"}


@pytest.mark.parametrize("vignette, differ", [
    ("V1", False), ("V5", False), ("V6", False), ("V7", False), ("V8", True), ("V9", True), ("V11", True),
    ("V12", False),
])
def test_scales_differ_badge(vignette, differ):
    changes = next(v[1] for v in VIGNETTES if v[0] == vignette)
    assert grade(changes)["scales_differ"] is differ


def test_v4_label_protocol_does_not_interrupt_at_grade_2():
    result = grade(VIGNETTES[3][1], LABEL)
    assert result["crs_grade"] == 2
    assert [r["code"] for r in result["recommendations"]] == ["notify_prescriber", "increase_observations"]


def test_v5_news2_adds_two_for_oxygen_and_fio2_is_missing():
    result = grade(VIGNETTES[4][1])
    assert result["news2"]["parameter_scores"]["oxygen_device"] == 2
    assert result["missing"] == ["fio2_percent"]
    assert "fio2_not_recorded" in result["flags"]


def test_v6_r_mod_1_prompts_interrupt_dexamethasone_and_restart_dose():
    result = grade(VIGNETTES[5][1])
    interrupt = next(r for r in result["recommendations"] if r["code"] == "interrupt_infusion")
    assert interrupt["rule"] == "R-MOD-1"
    assert "dexamethasone 8 mg (45 kg or more)" in interrupt["text"]
    assert "every 8 h IV/PO for up to 3 days, then taper over 4 days" in interrupt["text"]
    assert "restart at 9 mcg/day, step up to 28 mcg/day" in interrupt["text"]


def test_v11_label_prompt_is_g3_vs_g4_prescriber_decides():
    result = grade(VIGNETTES[10][1])
    discontinue = result["recommendations"][0]
    assert discontinue["code"] == "discontinue_permanently"
    assert discontinue["text"].startswith("CRS G3 vs G4 - prescriber decides")


def test_v12_r_mod_2_discontinue_with_dexamethasone_text():
    discontinue = grade(VIGNETTES[11][1])["recommendations"][0]
    assert (discontinue["code"], discontinue["rule"]) == ("discontinue_permanently", "R-MOD-2")
    assert discontinue["text"].startswith(
        "CRS grade 4: label: discontinue blinatumomab permanently (protocol: at grade >= 4). Stop the infusion")
    assert "Label: dexamethasone 8 mg" in discontinue["text"]


def test_v15_flag_and_rule():
    result = grade(VIGNETTES[14][1])
    assert "hypotension_hypoxia_without_fever" in result["flags"]
    other = next(r for r in result["recommendations"] if r["code"] == "consider_other_causes")
    assert other["rule"] == "R-AST-6"
    assert other["text"].endswith("not graded as CRS.")


def test_v44_device_flow_mismatch_flag():
    result = grade(VIGNETTES[-1][1])
    assert "device_flow_mismatch" in result["flags"]


@pytest.mark.parametrize("ice, arousal, edema, grade_", [
    pytest.param(10, "awake", "none", 0, id="V34-ice10"), pytest.param(7, "awake", "none", 1, id="V34-ice7"),
    pytest.param(6, "awake", "none", 2, id="V34-ice6"), pytest.param(3, "voice", "none", 2, id="V34-ice3-voice"),
    pytest.param(2, "awake", "none", 3, id="V34-ice2"), pytest.param(0, "awake", "none", 3, id="V34-ice0-awake"),
    pytest.param(None, "unarousable", "none", 4, id="V34-unarousable"),
    pytest.param(9, "awake", "focal", 3, id="V34-ice9-focal-oedema"),
])
def test_v34_icans_through_the_fold(ice, arousal, edema, grade_):
    tl = Timeline()
    fields = {"arousal": arousal, "cerebral_edema": edema}
    if ice is not None:
        fields["ice_score"] = ice
    tl.add(0, "neuro_assessment", **fields)
    state = fold(patient(), tl.records, tl.at(0), DEFAULT)
    assert state.icans.grade == grade_
    assert state.status_level.level == grade_


def test_v36_scale_2_patient_through_the_fold():
    tl = Timeline()
    tl.add(0, "vitals", **{**BASE, "spo2_percent": 93, "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 1.0})
    on_o2 = fold(patient(news2_scale=2), tl.records, tl.at(0), DEFAULT)
    assert (on_o2.news2.parameter_scores["spo2_percent"], on_o2.news2.score, on_o2.news2.scale) == (1, 3, 2)
    tl.add(1, "vitals", **{**BASE, "spo2_percent": 93})
    on_air = fold(patient(news2_scale=2), tl.records, tl.at(1), DEFAULT)
    assert (on_air.news2.parameter_scores["spo2_percent"], on_air.news2.score) == (0, 0)


@pytest.mark.parametrize("changes, message", [
    pytest.param({"temperature_c": 101.3},
                 "temperature_c: 101.3 is outside 25.0–45.0 °C (did you mean 38.5 °C? 101.3 looks like °F)",
                 id="V39"),
    pytest.param({"systolic_bp": 80, "diastolic_bp": 85}, "diastolic_bp: 85 is not below systolic_bp 80 mmHg",
                 id="V40"),
])
def test_bad_input_vignettes(changes, message):
    with pytest.raises(InputError) as caught:
        grade(changes)
    assert str(caught.value) == message


def test_v41_crp_unreliable_sepsis_listed_news2_normal():
    tl = Timeline()
    tl.add(0, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(6, "lab_result", test="crp", value=180, unit="mg/L")
    tl.add(47, "lab_result", test="crp", value=12, unit="mg/L")
    tl.add(48, "vitals", **{**BASE, "temperature_c": 37.6, "heart_rate": 118})
    state = fold(patient(), tl.records, tl.at(48), DEFAULT)
    assert [lab.badge for lab in state.labs] == ["crp_unreliable", "crp_unreliable"]
    assert "sepsis" in state.differential
    assert (state.news2.score, state.news2.risk) == (2, "low")


def test_v42_possible_hlh():
    tl = Timeline()
    tl.add(0, "lab_result", test="platelets", value=160, unit="10^9/L")
    tl.add(40, "lab_result", test="platelets", value=45, unit="10^9/L")
    tl.add(40, "lab_result", test="fibrinogen", value=1.1, unit="g/L")
    tl.add(40, "lab_result", test="ferritin", value=12500, unit="ug/L")
    state = fold(patient(), tl.records, tl.at(41), DEFAULT)
    assert {r.code: r.rule for r in state.recommendations}["possible_hlh"] == "R-LAB-2"
