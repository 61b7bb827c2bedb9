"""Issue 18: the rules that moved out of the fold (core/rules/news2.py observation_interval, core/rules/episodes.py),
tested as pure functions at their boundaries, and the grade acted on, which the fold's re-grading and its state now
take from one function (core/rules/episodes.py acted_grade)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.protocol import shipped_protocol
from core.records import Drug, Purpose
from core.rules.crs import treats_crs
from core.rules.episodes import Episode, acted_grade, confirmation_in_force, recurrence
from core.rules.news2 import HIGH, LOW, LOW_MEDIUM, MEDIUM, News2, observation_interval
from core.state import fold
from tests.scenario import Timeline, patient

DEFAULT = shipped_protocol("default")
#: Distinct minutes for each band, so that each band is seen (the shipped file has red = medium = 60).
PROTOCOL = DEFAULT.model_copy(update={"observations": DEFAULT.observations.model_copy(update={
    "news2_zero_minutes": 720, "news2_low_minutes": 240, "news2_red_minutes": 90, "news2_medium_minutes": 60,
    "news2_high_minutes": 15, "crs_grade1_minutes": 120, "crs_grade2_plus_minutes": 30})})
NORMAL = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
T = datetime(2026, 1, 1, tzinfo=UTC)


def score(total: int | None, risk: str | None, red: bool = False) -> News2:
    return News2(total, total is not None, risk, red, {}, () if total is not None else ("heart_rate",))


@pytest.mark.parametrize("news, crs, icans, minutes", [
    pytest.param(score(0, LOW), 0, None, 720, id="RULES-4.2-news2-0"),
    pytest.param(score(1, LOW), 0, None, 240, id="RULES-4.2-news2-1"),
    pytest.param(score(4, LOW), 0, None, 240, id="RULES-4.2-news2-4"),
    pytest.param(score(3, LOW_MEDIUM, red=True), 0, None, 90, id="RULES-4.2-red-parameter"),
    pytest.param(score(5, MEDIUM), 0, None, 60, id="RULES-4.2-news2-5"),
    pytest.param(score(6, MEDIUM, red=True), 0, None, 60, id="RULES-4.2-news2-6-red"),
    pytest.param(score(7, HIGH), 0, None, 15, id="RULES-4.2-news2-7"),
    pytest.param(score(None, None), 0, None, 240, id="RULES-4.2-incomplete-not-relaxed"),
    pytest.param(score(None, None, red=True), 0, None, 90, id="RULES-4.2-incomplete-red"),
    pytest.param(score(0, LOW), 1, None, 120, id="RULES-4.2-crs-1"),
    pytest.param(score(0, LOW), 2, None, 30, id="RULES-4.2-crs-2"),
    pytest.param(score(0, LOW), 0, 1, 120, id="RULES-4.2-icans-1"),
    pytest.param(score(0, LOW), 0, 2, 30, id="RULES-4.2-icans-2"),
    pytest.param(score(7, HIGH), 2, None, 15, id="RULES-4.2-shortest-wins"),
])
def test_observation_interval_is_the_shortest_of_the_news2_band_and_the_grades(news, crs, icans, minutes):
    assert observation_interval(crs, news, icans, PROTOCOL) == minutes


@pytest.mark.parametrize("confirmed, in_force, death, expected", [
    pytest.param(None, False, False, 2, id="D6-none-confirmed"),
    pytest.param(3, True, False, 3, id="D6-confirmed-in-force"),
    pytest.param(3, False, False, 2, id="D6-confirmed-no-longer-in-force"),
    pytest.param(1, True, True, 5, id="R-AST-8-death-wins"),
])
def test_the_grade_acted_on(confirmed, in_force, death, expected):
    assert acted_grade(2, confirmed, in_force, death) == expected


@pytest.mark.parametrize("confirmed, override_in_force, expected", [
    pytest.param(None, True, False, id="D6-nothing-confirmed"),
    pytest.param(3, True, True, id="D6-until-the-next-crs-input"),
    pytest.param(3, False, False, id="D6-after-the-next-crs-input"),
    pytest.param(5, False, True, id="R-AST-8-grade-5-stays"),
])
def test_a_confirmation_in_force(confirmed, override_in_force, expected):
    assert confirmation_in_force(confirmed, override_in_force) is expected


@pytest.mark.parametrize("grades, cycles, expected", [
    pytest.param([2], [1], (1, 1, False), id="R-AST-9-one-episode-g2"),
    pytest.param([2, 1], [1, 1], (1, 1, False), id="R-AST-9-second-episode-g1"),
    pytest.param([2, 2], [1, 1], (2, 2, True), id="R-AST-9-second-episode-g2"),
    pytest.param([3, 2], [1, 2], (2, 1, True), id="R-AST-9-per-cycle"),
])
def test_recurrence(grades, cycles, expected):
    episodes = [Episode(T + timedelta(days=i), T + timedelta(days=i, hours=30), g, False, cycle=c)
                for i, (g, c) in enumerate(zip(grades, cycles, strict=True))]
    assert recurrence(episodes, 2 if cycles[-1] == 2 else 1, DEFAULT) == expected


def test_the_regrading_and_the_state_act_on_the_same_confirmed_grade():
    # evaluate (grade_steps, the trigger, the episode maximum) and state() once decided the grade acted on apart.
    tl = Timeline()
    tl.add(0, "vitals", **{**NORMAL, "temperature_c": 38.6, "systolic_bp": 86, "diastolic_bp": 50})   # grade 2
    tl.add(1, "grade_confirmed", grade=3, reason="clinical picture (synthetic)")
    state = fold(patient(), tl.records, tl.at(1), DEFAULT)
    assert (state.crs.grade, state.crs.computed.grade, state.crs.grade_steps[-1][1]) == (3, 2, 3)
    assert state.crs.episode_max_grade == 3
    tl.add(2, "vitals", **{**NORMAL, "temperature_c": 38.6, "systolic_bp": 86, "diastolic_bp": 50})
    state = fold(patient(), tl.records, tl.at(2), DEFAULT)
    assert (state.crs.grade, state.crs.grade_steps[-1][1]) == (2, 2)          # the next set ends the override
    tl.add(3, "grade_confirmed", grade=5, reason="death attributed to CRS (synthetic)")
    tl.add(4, "vitals", **NORMAL)
    state = fold(patient(), tl.records, tl.at(4), DEFAULT)
    assert (state.crs.grade, state.crs.grade_steps[-1][1], state.crs.episode_max_grade) == (5, 5, 5)


@pytest.mark.parametrize("drug, purpose, treats", [
    pytest.param(Drug.TOCILIZUMAB, Purpose.CRS_TREATMENT, True, id="R-AST-2-tocilizumab-for-crs"),
    pytest.param(Drug.TOCILIZUMAB, None, True, id="R-AST-2-tocilizumab-no-purpose"),
    pytest.param(Drug.TOCILIZUMAB, Purpose.OTHER, True, id="R-AST-2-tocilizumab-other"),
    pytest.param(Drug.TOCILIZUMAB, Purpose.PREMEDICATION, False, id="R-AST-2-tocilizumab-premedication"),
    pytest.param(Drug.DEXAMETHASONE, Purpose.CRS_TREATMENT, True, id="R-AST-2-dexamethasone-for-crs"),
    pytest.param(Drug.DEXAMETHASONE, Purpose.PREMEDICATION, False, id="R-AST-2-dexamethasone-premedication"),
    pytest.param(Drug.PARACETAMOL, Purpose.CRS_TREATMENT, True, id="R-AST-2-antipyretic-for-crs"),
    pytest.param(Drug.PARACETAMOL, Purpose.OTHER, False, id="R-AST-2-antipyretic-other"),
])
def test_what_treats_crs(drug, purpose, treats):
    assert treats_crs(drug, purpose) is treats
