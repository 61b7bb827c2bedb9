"""The trend's dashed hypotension line is the patient's own limit (R-AST-3): a child's from their age, an adult's the
protocol's — never the adult 90 mmHg drawn for a child."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.rules.crs import hypotension_sbp_limit
from gui.patient_page import PatientPage

SET = {"temperature_c": 37.0, "heart_rate": 100, "respiratory_rate": 18, "systolic_bp": 95, "diastolic_bp": 60,
       "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def _reference_line(qtbot, ctx, mrn: str) -> list[float]:
    ctx.bedside.record_vitals(mrn, SET, at=ctx.clock.now() - timedelta(minutes=30))
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient(mrn)
    page.trend.flush()
    line = page.trend.systolic.reference
    assert line.isVisible()
    return [point.y() for point in line.points()]


@pytest.mark.parametrize("born, age, expected", [
    pytest.param("2015-06-01", 6, 82.0, id="R-AST-3-child-6-years-82"),
    pytest.param("2020-06-01", 1, 72.0, id="R-AST-3-child-1-year-72"),
])
def test_a_childs_chart_draws_the_childs_hypotension_limit(qtbot, ctx, born, age, expected):
    ctx.bedside.admit({"mrn": "C200", "name": "Test Child", "birth_date": born, "sex": "male", "weight_kg": 20,
                       "height_cm": 115, "indication": "relapsed_refractory", "ward": "7W", "bed": "14"})
    assert ctx.bedside.patient("C200").age_years(ctx.clock.now()) == age
    assert hypotension_sbp_limit(age, ctx.bedside.protocol) == expected   # 70 + 2 x age (paediatric CARTOX)
    assert _reference_line(qtbot, ctx, "C200") == [expected, expected]


def test_an_adults_chart_draws_the_protocols_hypotension_limit(qtbot, ctx):
    limit = float(ctx.bedside.protocol.grading.hypotension_sbp_below)
    assert limit == 90.0
    assert _reference_line(qtbot, ctx, "A100") == [limit, limit]


def test_a_childs_banner_targets_the_childs_blood_pressure_in_the_management(qtbot, ctx):
    # The seed table's grade-2 management ("keep SBP >= 90 mmHg") names the adult limit: a child of 6 gets 82.
    ctx.bedside.admit({"mrn": "C200", "name": "Test Child", "birth_date": "2015-06-01", "sex": "male",
                       "weight_kg": 20, "height_cm": 115, "indication": "relapsed_refractory", "ward": "7W",
                       "bed": "14"})
    ctx.bedside.record_vitals("C200", {**SET, "temperature_c": 38.4, "systolic_bp": 74, "diastolic_bp": 40},
                              at=ctx.clock.now() - timedelta(minutes=30))
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("C200")
    assert page.banner.management_title.text() == "Management (grade 2)"
    assert page.banner.management.text().startswith("IV fluid bolus to keep SBP >= 82 mmHg; oxygen to keep SpO2 > 90 %")
