"""Never a reassuring green on no current vital signs (INTERFACE.md ``crs.stale``) or next to overdue observations:
the ward list and the banner show the neutral style with the time of the last set or the overdue mark (issue 14)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui import status_style as ss
from gui.patient_page import PatientPage
from gui.record_text import local_time
from gui.ward_view import COL_CRS, COL_NEWS2, WardView
from tests.gui.conftest import advance

NORMAL = {"temperature_c": 36.8, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122, "diastolic_bp": 76,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
#: CRS 0 (no fever) but NEWS2 5 (respiration 25 -> 3, pulse 115 -> 2): hourly observations, so they fall overdue
#: while the temperature is still inside the 4-hour look-back window.
HOURLY = {**NORMAL, "respiratory_rate": 25, "heart_rate": 115}


def _cell(view: WardView, column: int, role=Qt.ItemDataRole.DisplayRole):
    return view.proxy.index(view.visible_mrns().index("A100"), column).data(role)


def _background(view: WardView, column: int) -> str:
    return _cell(view, column, Qt.ItemDataRole.BackgroundRole).color().name().upper()


def _after(qtbot, ctx, clock, vitals: dict, minutes: int) -> tuple[str, WardView, PatientPage]:
    """Record ``vitals`` now, move the clock ``minutes`` on, open the ward and the patient page: (taken, both)."""
    taken = local_time(clock.now())
    ctx.bedside.record_vitals("A100", vitals)
    advance(clock, minutes=minutes)
    view = WardView(ctx)
    qtbot.addWidget(view)
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    return taken, view, page


@pytest.mark.parametrize(("minutes", "stale"), [(4 * 60 - 1, False), (4 * 60, False), (4 * 60 + 1, True)])
def test_a_normal_set_turns_neutral_once_it_leaves_the_lookback_window(qtbot, ctx, clock, minutes, stale):
    taken, view, page = _after(qtbot, ctx, clock, NORMAL, minutes)
    if stale:
        text = f"CRS unknown\nno current vital signs (last set {taken})"
        assert (_cell(view, COL_CRS), _background(view, COL_CRS)) == (text, ss.NEUTRAL)
        assert page.banner.crs_chip.text() == f"○ {text}"
        assert ss.GREEN not in page.banner.crs_chip.styleSheet() and ss.NEUTRAL in page.banner.crs_chip.styleSheet()
        assert ss.NEUTRAL in page.banner.stripe.styleSheet()
        # NEWS2 0 of that old set is no reassurance either
        assert _cell(view, COL_NEWS2) == f"0, low risk\nno current vital signs (last set {taken})"
        assert _background(view, COL_NEWS2) == ss.NEUTRAL
    else:
        assert (_cell(view, COL_CRS), _background(view, COL_CRS)) == ("No CRS", ss.GREEN)
        assert page.banner.crs_chip.text() == "● No CRS"
        assert ss.GREEN in page.banner.stripe.styleSheet()
        assert (_cell(view, COL_NEWS2), _background(view, COL_NEWS2)) == ("0, low risk", ss.GREEN)


@pytest.mark.parametrize(("minutes", "overdue"), [(59, False), (60, False), (61, True)])
def test_overdue_but_normal_carries_the_overdue_mark_not_green(qtbot, ctx, clock, minutes, overdue):
    taken, view, page = _after(qtbot, ctx, clock, HOURLY, minutes)
    assert page.state.crs.stale is False and page.state.overdue is overdue
    if overdue:
        text = f"No CRS\n⚠ observations overdue (last set {taken})"
        assert (_cell(view, COL_CRS), _background(view, COL_CRS)) == (text, ss.NEUTRAL)
        assert page.banner.crs_chip.text() == f"○ {text}"
        assert ss.GREEN not in page.banner.stripe.styleSheet()
    else:
        assert (_cell(view, COL_CRS), _background(view, COL_CRS)) == ("No CRS", ss.GREEN)
        assert page.banner.crs_chip.text() == "● No CRS"
    # NEWS2 medium is not a reassuring colour: it keeps its level colour either way
    assert (_cell(view, COL_NEWS2), _background(view, COL_NEWS2)) == ("5, medium risk", ss.ORANGE)


def test_a_stale_grade_2_is_neutral_too_and_keeps_its_number(qtbot, ctx, clock):
    taken, view, _ = _after(qtbot, ctx, clock, {**NORMAL, "temperature_c": 38.6, "systolic_bp": 84,
                                                "diastolic_bp": 52, "fluid_bolus_given": True}, 4 * 60 + 1)
    assert view.model.state_at(0).crs.grade == 2          # the bolus still counts, no vital sign does
    assert _cell(view, COL_CRS) == f"CRS grade 2\nno current vital signs (last set {taken})"
    assert _background(view, COL_CRS) == ss.NEUTRAL
    assert _cell(view, COL_CRS, Qt.ItemDataRole.AccessibleTextRole) == \
        f"CRS: CRS grade 2 – no current vital signs (last set {taken})"


# -- the "why": the values that set the grade, carried values with their time, rule ids apart ----------------------

def test_why_names_the_trigger_not_the_reassuring_repeat(qtbot, ctx, clock):
    first = local_time(clock.now())
    ctx.bedside.record_vitals("A100", {**NORMAL, "temperature_c": 38.7, "systolic_bp": 84, "diastolic_bp": 52,
                                       "fluid_bolus_given": True})
    advance(clock, minutes=30)
    ctx.bedside.record_vitals("A100", {**NORMAL, "temperature_c": 38.7, "systolic_bp": 103, "diastolic_bp": 61})
    advance(clock, minutes=5)
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    lines = page.banner.why.text().splitlines()
    assert lines[0] == f"At {first}: T 38.7 °C and SBP 84 mmHg needing fluids → grade 2 on both scales"
    assert lines[1].startswith("Values now: T 38.7 °C · P 78 · RR 16 · BP 103/61")
    assert lines[-1].startswith("For clinicians: grade rules R-AST-1")
    # no rule id and no reference to a specification in the nurse's sentences
    nurse_text = "\n".join(lines[:-1]) + page.banner.todo.text() + page.banner.management.text()
    for token in ("§", "RULES", "[D2]", "R-INT", "R-AST"):
        assert token not in nurse_text


def test_why_and_review_mark_a_temperature_carried_from_an_earlier_set(qtbot, ctx, clock):
    first = local_time(clock.now())
    ctx.bedside.record_vitals("A100", {**NORMAL, "temperature_c": 38.3})
    advance(clock, hours=1)
    later = {k: v for k, v in NORMAL.items() if k != "temperature_c"}
    ctx.bedside.record_vitals("A100", {**later, "systolic_bp": 84, "diastolic_bp": 52, "fluid_bolus_given": True})
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    lines = page.banner.why.text().splitlines()
    assert lines[0] == f"T 38.3 °C (from {first}) and SBP 84 mmHg needing fluids → grade 2 on both scales"
    assert f"From an earlier set: T 38.3 °C (from {first})" in lines
