"""The ward list: a thin model over core's states, most acute first, overdue observations standing out."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from gui import status_style as ss
from gui.i18n import install_translators, remove_translators
from gui.ward_view import (
    COL_ACTIONS,
    COL_CRS,
    COL_ICANS,
    COL_INFUSION,
    COL_NEWS2,
    COL_NEXT_OBS,
    MRN_ROLE,
    WardView,
)
from tests.gui.conftest import advance
from tests.scenario import patient

NORMAL = {"temperature_c": 36.8, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122, "diastolic_bp": 76,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def _row(view: WardView, mrn: str) -> int:
    return view.visible_mrns().index(mrn)


def _cell(view: WardView, mrn: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return view.proxy.index(_row(view, mrn), column).data(role)


def minute_refresh(view: WardView) -> None:
    """The view's minute timer: the ward is read now and shown on the next turn of the event loop."""
    view.timer.timeout.emit()
    QApplication.processEvents()


def test_the_models_pass_the_model_tester(qtbot, qtmodeltester, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_sorted_by_acuity_most_acute_first(qtbot, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    # CRS 3; CRS 2 + ICANS 2; CRS 2; CRS 1; then grade 0 by NEWS2 and overdue; A100 has no observations at all
    assert view.visible_mrns() == ["DEMO-004", "DEMO-008", "DEMO-003", "DEMO-002", "DEMO-007", "DEMO-001",
                                   "DEMO-005", "DEMO-006", "A100"]


def test_each_status_cell_carries_colour_shape_number_and_words(qtbot, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    assert _cell(view, "DEMO-004", COL_CRS) == "CRS grade 3"
    assert _cell(view, "DEMO-004", COL_CRS, Qt.ItemDataRole.BackgroundRole).color().name().upper() == ss.VERMILLION
    assert not _cell(view, "DEMO-004", COL_CRS, Qt.ItemDataRole.DecorationRole).isNull()
    assert _cell(view, "DEMO-004", COL_CRS, Qt.ItemDataRole.AccessibleTextRole) == "CRS: CRS grade 3"
    tooltip = _cell(view, "DEMO-004", COL_CRS, Qt.ItemDataRole.ToolTipRole)
    assert "ASTCT 2019: grade 3" in tooltip and "CTCAE v5: grade" in tooltip
    assert _cell(view, "DEMO-008", COL_ICANS) == "grade 2"
    assert _cell(view, "DEMO-001", COL_ICANS) == "not assessed"
    assert _cell(view, "DEMO-008", COL_ICANS, Qt.ItemDataRole.AccessibleTextRole) == "ICANS: ICANS grade 2"
    assert _cell(view, "DEMO-004", COL_NEWS2) == "11, high risk"
    assert _cell(view, "A100", COL_NEWS2) == "incomplete"
    assert _cell(view, "DEMO-002", COL_CRS) == "CRS grade 1"
    assert _cell(view, "DEMO-002", COL_CRS, Qt.ItemDataRole.BackgroundRole).color().name().upper() == ss.YELLOW


def test_infusion_column_shows_state_cycle_day_and_hold_counter(qtbot, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    # held 2 h 06 min: the 4-hour premedication clock is inside the 4-hour warning window, so it is a badge
    assert _cell(view, "DEMO-003", COL_INFUSION) == ("HELD 2 h 06 min · cycle 1 day 2 · holds this cycle: 1\n"
                                                      "◴ premedication needed in 1 h 54 min")
    assert _cell(view, "DEMO-001", COL_INFUSION) == "Running · cycle 1 day 3 · 9 mcg/day"
    assert _cell(view, "DEMO-006", COL_INFUSION).startswith("Between cycles · cycle 1")


def test_overdue_observations_stand_out(qtbot, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    # DEMO-007: last set 14 h ago, 12-hourly -> overdue by 2 h
    text = _cell(view, "DEMO-007", COL_NEXT_OBS)
    assert text.endswith("OVERDUE by 2 h") and text.startswith("⚠")
    assert _cell(view, "DEMO-007", COL_NEXT_OBS, Qt.ItemDataRole.BackgroundRole).color().name().upper() == \
        ss.OVERDUE
    assert isinstance(_cell(view, "DEMO-007", COL_NEXT_OBS, Qt.ItemDataRole.FontRole), QFont)
    assert _cell(view, "DEMO-001", COL_NEXT_OBS).endswith("due in 11 h")
    assert _cell(view, "DEMO-001", COL_NEXT_OBS, Qt.ItemDataRole.BackgroundRole).color().name().upper() == "#FFFFFF"
    assert "4 with observations overdue" in view.summary.text()


def _due_in_12_hours(qtbot, ctx) -> WardView:
    ctx.bedside.record_vitals("A100", NORMAL)          # NEWS2 0 -> next set in 12 h
    view = WardView(ctx)
    qtbot.addWidget(view)
    view.show()
    return view


def test_overdue_flag_at_the_due_time_and_one_minute_after(qtbot, ctx, clock):
    view = _due_in_12_hours(qtbot, ctx)
    advance(clock, hours=12)
    minute_refresh(view)                               # the timer refresh: clocks move without new records
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("due in 0 min")
    advance(clock, minutes=1)
    minute_refresh(view)
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("OVERDUE by 1 min")


def test_the_minute_refresh_reads_the_ward_now_and_shows_it_on_the_next_turn(qtbot, ctx, clock):
    # Reading 30 beds, then fitting and painting the changed cells, in one go was the minute refresh's longest
    # stall (issue 20): the timer reads now and the cells change on the next turn of the event loop; a refresh
    # made in between (a record saved) is never overwritten by the older reading.
    view = _due_in_12_hours(qtbot, ctx)
    advance(clock, hours=12)
    view.timer.timeout.emit()
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("due in 12 h")   # read, not yet shown
    QApplication.processEvents()
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("due in 0 min")
    advance(clock, minutes=1)
    view.timer.timeout.emit()                          # reads "OVERDUE by 1 min" at 12:01
    advance(clock, minutes=1)
    view.refresh()                                     # at 12:02, shown at once
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("OVERDUE by 2 min")
    QApplication.processEvents()                       # the 12:01 reading is dropped
    assert _cell(view, "A100", COL_NEXT_OBS).endswith("OVERDUE by 2 min")


def test_refreshes_when_records_change(qtbot, ctx):
    view = WardView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert _cell(view, "A100", COL_CRS) == "CRS not assessed\nno vital signs recorded"
    premedication = "Premedication due: dexamethasone per protocol, 1 h before (prescriber's order)."
    assert _cell(view, "A100", COL_ACTIONS) == premedication      # not started yet: first dose needs it
    ctx.bedside.record_vitals("A100", {**NORMAL, "temperature_c": 38.4})
    ctx.signals.recordsChanged.emit("A100")
    assert _cell(view, "A100", COL_CRS) == "CRS grade 1"
    assert _cell(view, "A100", COL_ACTIONS) == \
        premedication + " · Increase observations; antipyretics and supportive care; notify per local policy."


def test_a_hidden_ward_refreshes_when_it_is_shown_again(qtbot, ctx):
    view = WardView(ctx)
    qtbot.addWidget(view)
    assert _cell(view, "A100", COL_CRS) == "CRS not assessed\nno vital signs recorded"
    ctx.bedside.record_vitals("A100", {**NORMAL, "temperature_c": 38.4})
    ctx.signals.recordsChanged.emit("A100")          # the nurse is on the patient page: the list waits
    assert _cell(view, "A100", COL_CRS) == "CRS not assessed\nno vital signs recorded"
    view.show()
    assert _cell(view, "A100", COL_CRS) == "CRS grade 1"


def test_filter_by_ward(qtbot, demo_ctx, clock):
    demo_ctx.bedside.import_data({"format": "crs-bedside/1", "patients": [
        {"mrn": "B200", "name": "Other Ward", "birth_date": "1970-01-01", "indication": "consolidation",
         "ward": "5E", "bed": "1"}], "records": []})
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    assert [view.ward_filter.itemText(i) for i in range(view.ward_filter.count())] == ["All wards", "5E", "7W"]
    view.ward_filter.setCurrentIndex(1)
    assert view.visible_mrns() == ["B200"]
    view.ward_filter.setCurrentIndex(2)
    assert "B200" not in view.visible_mrns() and len(view.visible_mrns()) == 9
    view.refresh()                                      # the choice survives a refresh
    assert view.ward_filter.currentText() == "7W"


def test_enter_and_double_click_open_the_patient(qtbot, demo_ctx):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.select_mrn("DEMO-003")
    view.focus_table()
    with qtbot.waitSignal(view.patientActivated) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == ["DEMO-003"]
    index = view.proxy.index(_row(view, "DEMO-002"), 1)
    with qtbot.waitSignal(view.patientActivated) as opened:
        view.table.activated.emit(index)
    assert opened.args == ["DEMO-002"]
    assert index.data(MRN_ROLE) == "DEMO-002"


def test_selection_is_kept_across_refreshes(qtbot, demo_ctx, clock):
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.select_mrn("DEMO-005")
    advance(clock, minutes=5)
    view.refresh()
    assert view.current_mrn() == "DEMO-005"


def test_other_columns_sort_by_their_values(qtbot, demo_ctx):
    from gui.ward_view import COL_BED

    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.table.sortByColumn(COL_BED, Qt.SortOrder.AscendingOrder)
    assert view.visible_mrns() == ["DEMO-001", "DEMO-002", "DEMO-003", "DEMO-004", "DEMO-005", "DEMO-006",
                                   "DEMO-007", "DEMO-008", "A100"]          # beds 1..8, then bed 12
    view.table.sortByColumn(COL_NEXT_OBS, Qt.SortOrder.AscendingOrder)
    assert view.visible_mrns()[:4] == ["DEMO-007", "DEMO-008", "DEMO-003", "DEMO-004"]   # longest overdue first
    assert view.visible_mrns()[-1] == "A100"                               # never observed: no due time


def test_the_minute_refresh_changes_the_cells_in_place_and_asks_the_state_only_for_roles_it_answers(
        qtbot, demo_ctx, clock):
    # A model reset made the view lay out and measure every cell again at every refresh (issue 20: the ward's
    # minute refresh must not stall the window).
    from gui.ward_model import _ROLES_ANSWERED

    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.select_mrn("DEMO-005")
    resets, changed, asked, relaid = [], [], set(), []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.layoutChanged.connect(lambda: relaid.append("model"))
    view.proxy.layoutChanged.connect(lambda: relaid.append("proxy"))
    view.model.dataChanged.connect(lambda first, last, roles: changed.append(
        (first.column(), last.column(), first.row(), last.row())))
    real_cell = view.model._cell
    view.model._cell = lambda state, column, role: (asked.add(int(role)), real_cell(state, column, role))[1]
    advance(clock, minutes=1)
    minute_refresh(view)
    view.grab()                                        # paint every cell
    # only the cells whose words changed, one signal per column (a signal per cell made the header measure its
    # column again for each): the four held infusions' time held and every due-in countdown (A100 has no
    # observations: its "none recorded" stays); the rows keep their places
    row = {view.model.state_at(r).patient.mrn: r for r in range(view.model.rowCount())}
    held = [row[mrn] for mrn in ("DEMO-003", "DEMO-004", "DEMO-005", "DEMO-008")]
    counting = [r for mrn, r in row.items() if mrn != "A100"]
    assert resets == [] and relaid == []
    assert changed == [(COL_INFUSION, COL_INFUSION, min(held), max(held)),
                       (COL_NEXT_OBS, COL_NEXT_OBS, min(counting), max(counting))]
    assert _cell(view, "DEMO-001", COL_NEXT_OBS).endswith("due in 10 h 59 min")
    assert view.current_mrn() == "DEMO-005"
    assert Qt.ItemDataRole.DisplayRole.value in asked and asked <= _ROLES_ANSWERED
    # the same minute again: nothing changed, nothing is signalled
    changed.clear()
    view.refresh()
    assert changed == [] and resets == [] and relaid == []
    # a patient admitted or discharged changes the rows: then the model is reset
    demo_ctx.bedside.store.append([patient(mrn="A200", bed="14")], [], recorded_by="test", now=clock.now())
    view.refresh()
    assert resets == [1] and "A200" in view.visible_mrns()


def _held(ctx, clock, minutes_ago: int) -> None:
    from core.records import StopReason
    stop = clock.now() - timedelta(minutes=minutes_ago)
    ctx.bedside.record("A100", "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"},
                       at=stop - timedelta(hours=21))
    ctx.bedside.record("A100", "infusion_started", {"dose_mcg": 9, "duration_h": 24}, at=stop - timedelta(hours=20))
    ctx.bedside.record("A100", "infusion_stopped", {"reason": StopReason.TECHNICAL.value}, at=stop)


@pytest.mark.parametrize(("held_minutes", "badge"), [
    (7 * 1440 - 241, None),                         # 241 min before the new-cycle limit: outside the window
    (7 * 1440 - 240, "◴ new cycle in 4 h"),  # 240 min: the window opens
    (7 * 1440 - 226, "◴ new cycle in 3 h 46 min"),
    (7 * 1440, "◴ new cycle in 0 min"),             # at the limit: still the same cycle
    (7 * 1440 + 1, None),                           # passed: a prompt now, not a countdown
])
def test_a_hold_clock_is_a_countdown_badge_inside_the_protocols_warning_window(qtbot, ctx, clock, held_minutes,
                                                                               badge):
    _held(ctx, clock, held_minutes)
    view = WardView(ctx)
    qtbot.addWidget(view)
    lines = _cell(view, "A100", COL_INFUSION).splitlines()
    assert [line for line in lines if line.startswith("◴")] == ([badge] if badge else [])


def test_a_patient_moved_to_another_ward_leaves_the_filtered_list_at_the_next_refresh(qtbot, demo_ctx, clock):
    # the minute refresh signals only the cells that changed: a ward moved is one of them (the filter re-reads it)
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.ward_filter.setCurrentIndex(1)
    assert view.ward_filter.currentText() == "7W" and "DEMO-002" in view.visible_mrns()
    demo_ctx.bedside.update_patient("DEMO-002", {"ward": "5E"})
    advance(clock, minutes=1)
    view.refresh()
    assert [view.ward_filter.itemText(i) for i in range(view.ward_filter.count())] == ["All wards", "5E", "7W"]
    assert view.ward_filter.currentText() == "7W" and "DEMO-002" not in view.visible_mrns()
    view.ward_filter.setCurrentIndex(1)
    assert view.visible_mrns() == ["DEMO-002"]
    # the same patients in the same order, one moved back: the rows change in place, and the filter follows
    states = view.model.states()
    row = [s.patient.mrn for s in states].index("DEMO-002")
    states[row] = dataclasses.replace(states[row], patient=states[row].patient.model_copy(update={"ward": "7W"}))
    resets = []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.set_states(states)
    assert resets == [] and view.visible_mrns() == []


def test_a_row_is_measured_again_when_a_hold_badge_appears_at_the_minute_refresh_and_unchanged_cells_are_not(
        qtbot, ctx, clock, monkeypatch):
    # The refresh no longer measures every row: the rows in view are fitted after the cells changed, and the
    # delegate measures a cell again only when its words, font or icon or its column's width changed.
    from PySide6.QtWidgets import QStyledItemDelegate

    _held(ctx, clock, 7 * 1440 - 241)                  # one minute before the new-cycle badge
    view = WardView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)                                     # the rows in view fitted
    before = view.table.rowHeight(0)
    measured = []
    real = QStyledItemDelegate.sizeHint
    monkeypatch.setattr(QStyledItemDelegate, "sizeHint",
                        lambda self, option, index: (measured.append(index.column()), real(self, option, index))[1])
    view.refresh()                                     # the same minute: nothing to measure
    qtbot.wait(20)
    assert measured == [] and view.table.rowHeight(0) == before
    advance(clock, minutes=1)
    view.refresh()
    qtbot.wait(20)
    assert _cell(view, "A100", COL_INFUSION).splitlines()[-1] == "◴ new cycle in 4 h"
    assert set(measured) <= {COL_INFUSION, COL_NEXT_OBS} and COL_INFUSION in measured
    fresh = WardView(ctx)                              # the badge's line has room: the height measured from nothing
    qtbot.addWidget(fresh)
    fresh.resize(1200, 600)
    fresh.show()
    qtbot.waitExposed(fresh)
    qtbot.wait(20)
    assert fresh.table.rowHeight(0) == view.table.rowHeight(0)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1024, 560), (1900, 940)])
def test_the_pending_actions_fit_beside_the_scroll_bar_with_nothing_scrolled_sideways(qtbot, demo_ctx, size,
                                                                                      language):
    # The rows are measured when the patients change, before the pending actions take the width left: measured
    # later, the rows grew, the vertical scroll bar came and the actions ran on under it (a sideways scroll bar).
    # In Spanish too: its longer headings once left the actions a column narrower than their own heading.
    app = QApplication.instance()
    translators = install_translators(app, language) if language != "en" else []
    try:
        _fits_beside_the_scroll_bar(qtbot, demo_ctx, size)
    finally:
        remove_translators(app, translators)


def _fits_beside_the_scroll_bar(qtbot, demo_ctx, size) -> None:
    view = WardView(demo_ctx)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(50)
    header = view.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= view.table.viewport().width()
    assert not view.table.horizontalScrollBar().isVisible()
