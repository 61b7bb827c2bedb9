"""Issue 18: one grading path. The ``grade`` command (core.services.grade_assessment), the fold (core/fold/answer.py)
and the wizard's preview (Bedside.preview, which folds the draft) grade an assessment with the same rules: the same
CRS grades on both scales, the same NEWS2, the same prompts for the grade and NEWS2, the same differential."""

from __future__ import annotations

import pytest

from core.protocol import shipped_protocol
from core.services import grade_assessment
from core.state import fold
from tests.scenario import Timeline, patient

PROTOCOL = shipped_protocol("default")
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


@pytest.mark.parametrize("changes, grade", [
    pytest.param({}, 0, id="normal"),
    pytest.param({"temperature_c": 38.0}, 1, id="R-AST-1-fever-at-38.0"),
    pytest.param({"temperature_c": 37.9}, 0, id="R-AST-1-no-fever-at-37.9"),
    pytest.param({"temperature_c": 38.6, "systolic_bp": 89, "diastolic_bp": 50}, 2, id="R-AST-3-sbp-89"),
    pytest.param({"temperature_c": 38.6, "systolic_bp": 90, "diastolic_bp": 50}, 1, id="R-AST-3-sbp-90"),
    pytest.param({"systolic_bp": 85, "diastolic_bp": 50}, 0, id="R-AST-6-no-fever"),
    pytest.param({"temperature_c": 38.5, "respiratory_rate": 22, "spo2_percent": 95, "oxygen_device": "nasal_cannula",
                  "oxygen_flow_l_min": 2.0, "systolic_bp": 105, "diastolic_bp": 60, "heart_rate": 115}, 2,
                 id="V35-news2-9"),
    pytest.param({"temperature_c": 38.5, "oxygen_device": "venturi_mask", "fio2_percent": 35, "spo2_percent": 94}, 3,
                 id="R-AST-5-venturi"),
])
def test_grade_command_and_fold_grade_alike(changes, grade):
    values = {**NORMAL, **changes}
    tl = Timeline()
    tl.add(0, "vitals", **values)
    state = fold(patient(), tl.records, tl.at(0), PROTOCOL)
    result = grade_assessment({**values, "age_years": patient().age_years(tl.at(0))}, PROTOCOL)
    assert (result["crs_grade"], state.crs.grade) == (grade, grade)
    assert result["scales"]["astct_2019"]["grade"] == state.crs.computed.astct.grade
    assert result["scales"]["ctcae_v5"]["grade"] == state.crs.computed.ctcae.grade
    assert (result["news2"]["score"], result["news2"]["risk"]) == (state.news2.score, state.news2.risk)
    assert result["differential"] == list(state.differential)
    # The grade's and NEWS2's prompts, word for word. Only "interrupt the infusion" differs by design: the command
    # knows of no infusion (it may be running), the fold knows this one is not.
    fold_prompts = {r.code: r.text for r in state.recommendations}
    for rec in result["recommendations"]:
        if rec["code"] != "interrupt_infusion":
            assert fold_prompts[rec["code"]] == rec["text"]


def test_the_wizard_preview_is_the_fold_and_grades_as_the_command(bedside, clock):
    # The wizard's review step calls Bedside.preview (gui/wizard.py): it folds the draft, so what it shows before
    # saving is the state after saving, and its grade is the grade command's.
    now = clock.now()
    values = {**NORMAL, "temperature_c": 38.6, "systolic_bp": 88, "diastolic_bp": 50, "heart_rate": 118}
    preview = bedside.preview("A100", [("vitals", values)], now)
    bedside.record_many("A100", [("vitals", values)], now)
    saved = bedside.state("A100", now)
    assert preview.to_json() == saved.to_json()
    age = bedside.patient("A100").age_years(now)
    result = grade_assessment({**values, "age_years": age}, PROTOCOL)
    assert (preview.crs.grade, result["crs_grade"]) == (2, 2)
    assert (preview.news2.score, preview.news2.risk) == (result["news2"]["score"], result["news2"]["risk"])
