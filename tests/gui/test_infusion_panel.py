"""The infusion panel: every action appends one record through core and the page follows; the hold counter counts
down to the 7- and 14-day limits at exact minutes; bad input is refused inline with nothing written; actions follow
the infusion state; the timeline says in words what it draws."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, QPointF, Qt

from core.records import Drug, Purpose, StopReason
from gui.infusion_dialog import InfusionActionDialog
from gui.infusion_panel import COUNTDOWN_MS, InfusionPanel
from gui.patient_page import PatientPage
from gui.record_text import local_datetime

MRN = "A100"


def _page(qtbot, ctx) -> PatientPage:
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient(MRN)
    return page


def _record(ctx, kind: str, hours_ago: float, **fields):
    return ctx.bedside.record(MRN, kind, fields, ctx.clock.now() - timedelta(hours=hours_ago))


def _records(ctx):
    return [s.record for s in ctx.bedside.records(MRN)]


def _form(qtbot, panel: InfusionPanel, action: str) -> InfusionActionDialog:
    dialog = panel.make_dialog(action)
    qtbot.addWidget(dialog)
    dialog.show()   # Enter reaches the default button only on a shown dialog
    return dialog


def _type(qtbot, dialog: InfusionActionDialog, **values: str) -> None:
    for name, text in values.items():
        qtbot.keyClicks(dialog.inputs[name], text)


def _enter(qtbot, dialog: InfusionActionDialog, field: str) -> None:
    qtbot.keyClick(dialog.inputs[field], Qt.Key.Key_Return)


def _enabled(panel: InfusionPanel) -> set[str]:
    return {action for action, button in panel.buttons.items() if button.isEnabled()}


def _premedicated(ctx, hours_ago: float = 0.5) -> None:
    """The premedication a first start asks for first (core/rules/guard.py)."""
    _record(ctx, "medication_given", hours_ago, drug="dexamethasone", dose_mg=20, purpose="premedication")


def _running(ctx, hours_ago: float = 50, dose: str = "18", duration: str = "48") -> None:
    _record(ctx, "medication_given", hours_ago + 1, drug="dexamethasone", dose_mg=20, purpose="premedication")
    _record(ctx, "infusion_started", hours_ago, dose_mcg=float(dose), duration_h=float(duration))


# -- every action --------------------------------------------------------------------------------------------------

def test_start_infusion_appends_the_start_and_the_panel_and_banner_follow(qtbot, ctx, clock):
    _premedicated(ctx)
    page = _page(qtbot, ctx)
    panel = page.infusion
    assert page.tabs.tabText(page.tabs.indexOf(panel)) == "&Infusion"
    assert panel.state_chip.text() == "○ Not started"
    dialog = _form(qtbot, panel, "start")
    _type(qtbot, dialog, dose_mcg="18", duration_h="48")
    assert dialog.per_day.text() == "= 9 mcg/day · label: 9 mcg/day reduced, 28 mcg/day full"
    _enter(qtbot, dialog, "duration_h")
    assert dialog.result() == InfusionActionDialog.DialogCode.Accepted
    started = _records(ctx)[-1]
    assert (started.type, started.dose_mcg, started.duration_h, started.cycle, started.at, started.by) == \
        ("infusion_started", 18.0, 48.0, None, clock.now(), "nurse.test")
    assert panel.state_chip.text() == "▶ Running"
    assert panel.summary.text().startswith("Cycle 1, day 1 · infused 0:00 h this cycle · 9 mcg/day · bag change due ")
    assert page.banner.infusion.text() == "Infusion: ▶ Running · cycle 1 day 1 · 9 mcg/day"
    assert panel.notice.text().startswith(f"Saved: Start infusion at {local_datetime(clock.now())}.")
    assert _enabled(panel) == {"stop", "bag", "premedication", "discontinue"}


def test_start_infusion_with_a_cycle_number(qtbot, ctx):
    _premedicated(ctx)
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "start")
    _type(qtbot, dialog, dose_mcg="28", duration_h="24", cycle="2")
    _enter(qtbot, dialog, "cycle")
    started = _records(ctx)[-1]
    assert (started.type, started.dose_mcg, started.duration_h, started.cycle) == ("infusion_started", 28.0, 24.0, 2)
    assert page.banner.infusion.text() == "Infusion: ▶ Running · cycle 2 day 1 · 28 mcg/day"


def test_stop_with_a_reason_opens_a_hold(qtbot, ctx, clock):
    _running(ctx)
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "stop")
    combo = dialog.inputs["reason"]
    assert [combo.itemData(i) for i in range(combo.count())] == [r.value for r in StopReason]
    combo.setCurrentIndex(combo.findData("crs"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    stopped = _records(ctx)[-1]
    assert (stopped.type, stopped.reason, stopped.at) == ("infusion_stopped", StopReason.CRS, clock.now())
    assert page.infusion.state_chip.text() == "❚❚ HELD"
    assert page.banner.infusion.text() == \
        "Infusion: ❚❚ HELD 0 min · cycle 1 day 3 · was 9 mcg/day · holds this cycle: 1"
    assert _enabled(page.infusion) == {"resume", "premedication", "discontinue"}


def test_resume_ends_the_hold_at_the_typed_dose(qtbot, ctx, clock):
    _running(ctx)
    _record(ctx, "infusion_stopped", 2, reason="technical")
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "resume")
    assert dialog.per_day.text() == "expected now: 9 mcg/day"
    _type(qtbot, dialog, dose_mcg="9", duration_h="24")
    _enter(qtbot, dialog, "duration_h")
    resumed = _records(ctx)[-1]
    assert (resumed.type, resumed.dose_mcg, resumed.duration_h, resumed.at) == \
        ("infusion_resumed", 9.0, 24.0, clock.now())
    assert page.banner.infusion.text() == "Infusion: ▶ Running · cycle 1 day 3 · 9 mcg/day · holds this cycle: 1"
    assert page.infusion.hold_counter.text() == "Holds this cycle: 1; total held: 2:00"


def test_change_bag_records_the_new_bag_and_the_dose_step(qtbot, ctx, clock):
    _running(ctx, hours_ago=24 * 8)
    _record(ctx, "medication_given", 1, drug="dexamethasone", dose_mg=20, purpose="premedication")
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "bag")
    _type(qtbot, dialog, dose_mcg="56", duration_h="48")
    assert dialog.per_day.text() == "= 28 mcg/day · expected now: 9 mcg/day"
    _enter(qtbot, dialog, "duration_h")
    bag = _records(ctx)[-1]
    assert (bag.type, bag.dose_mcg, bag.duration_h, bag.at) == ("bag_changed", 56.0, 48.0, clock.now())
    assert page.banner.infusion.text() == "Infusion: ▶ Running · cycle 1 day 9 · 28 mcg/day"
    assert f"Dose step at {local_datetime(clock.now())}: 9 → 28 mcg/day." in page.infusion.timeline.description()


def test_give_premedication_clears_premedication_due(qtbot, ctx, clock):
    page = _page(qtbot, ctx)
    panel = page.infusion
    assert [t.split(":")[0] for t in panel.prompt_texts] == ["Premedication due"]
    dialog = _form(qtbot, panel, "premedication")
    drugs = dialog.inputs["drug"]
    assert [drugs.itemData(i) for i in range(drugs.count())] == ["dexamethasone", "prednisone",
                                                                 "methylprednisolone"]
    assert drugs.currentData() == "dexamethasone"          # the label's drug for R/R adults
    _type(qtbot, dialog, dose_mg="20")
    _enter(qtbot, dialog, "dose_mg")
    given = _records(ctx)[-1]
    assert (given.type, given.drug, given.dose_mg, given.purpose, given.at) == \
        ("medication_given", Drug.DEXAMETHASONE, 20.0, Purpose.PREMEDICATION, clock.now())
    assert panel.prompt_texts == []
    assert "premedication due" not in page.banner.infusion.text()
    assert f"Premedication at {local_datetime(clock.now())}: dexamethasone 20 mg." in panel.timeline.description()


def test_discontinue_therapy_records_the_reason_and_leaves_no_action(qtbot, ctx, clock):
    _running(ctx)
    _record(ctx, "infusion_stopped", 3, reason="crs")
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "discontinue")
    _type(qtbot, dialog, reason="Second grade 3 CRS; prescriber decision")
    _enter(qtbot, dialog, "reason")
    done = _records(ctx)[-1]
    assert (done.type, done.reason, done.at) == \
        ("therapy_discontinued", "Second grade 3 CRS; prescriber decision", clock.now())
    assert page.infusion.state_chip.text() == "■ Discontinued"
    assert page.banner.infusion.text().startswith("Infusion: ■ Discontinued")
    assert _enabled(page.infusion) == set()


def test_the_button_opens_the_form_for_the_patient_shown(qtbot, ctx, monkeypatch):
    _running(ctx)
    page = _page(qtbot, ctx)
    opened = []

    def fake_exec(dialog):   # the modal loop is the one thing replaced
        opened.append(dialog.action)
        dialog.inputs["reason"].setCurrentIndex(dialog.inputs["reason"].findData("neurotoxicity"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(InfusionActionDialog, "exec", fake_exec)
    page.infusion.buttons["stop"].click()
    assert opened == ["stop"]
    assert _records(ctx)[-1].reason is StopReason.NEUROTOXICITY
    assert page.infusion.state_chip.text() == "❚❚ HELD"
    page.infusion.buttons["stop"].click()            # disabled now: no form opens
    assert opened == ["stop"]


def test_a_back_dated_entry_is_recorded_at_its_time_with_the_late_entry_warning(qtbot, ctx, clock):
    _running(ctx)
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "stop")
    earlier = clock.now() - timedelta(hours=3)
    dialog.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(earlier.timestamp())))
    dialog.save()
    assert _records(ctx)[-1].at == earlier
    assert page.infusion.hold_counter.text().startswith("Holds this cycle: 1; total held: 3:00; current hold: 3:00")
    assert page.infusion.notice.text().endswith("Entered 180 minutes after the event (late entry).")


# -- inline refusals, nothing written ------------------------------------------------------------------------------

@pytest.mark.parametrize(("action", "values", "field", "message"), [
    ("start", {"dose_mcg": "0", "duration_h": "24"}, "dose_mcg",
     "✖ 0 is outside the range above 0 and at most 1000 mcg"),
    ("start", {"dose_mcg": "1001", "duration_h": "24"}, "dose_mcg",
     "✖ 1001 is outside the range above 0 and at most 1000 mcg"),
    ("start", {"dose_mcg": "18", "duration_h": "500"}, "duration_h",
     "✖ 500 is outside the range above 0 and at most 240 h"),
    ("start", {"dose_mcg": "18", "duration_h": "241"}, "duration_h",
     "✖ 241 is outside the range above 0 and at most 240 h"),
    ("start", {"duration_h": "24"}, "dose_mcg", "✖ is required"),
    ("start", {"dose_mcg": ".", "duration_h": "24"}, "dose_mcg", "✖ not a number"),
    ("start", {"dose_mcg": "18", "duration_h": "24", "cycle": "21"}, "cycle", "✖ 21 is outside 1–20"),
    ("premedication", {"dose_mg": "0"}, "dose_mg", "✖ 0 is outside the range above 0 and at most 5000 mg"),
    ("discontinue", {}, "reason", "✖ is required"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_written(qtbot, ctx, action, values, field, message):
    page = _page(qtbot, ctx)
    before = len(_records(ctx))
    dialog = _form(qtbot, page.infusion, action if action != "discontinue" else "start")
    if action == "discontinue":
        _running(ctx)
        page.refresh()
        before = len(_records(ctx))
        dialog = _form(qtbot, page.infusion, "discontinue")
    _type(qtbot, dialog, **values)
    dialog.save()
    assert dialog.messages[field].text() == message
    assert dialog.messages[field].isVisible()
    assert dialog.result() != InfusionActionDialog.DialogCode.Accepted
    assert len(_records(ctx)) == before


def test_the_edge_values_are_accepted(qtbot, ctx):
    _premedicated(ctx)
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "start")
    _type(qtbot, dialog, dose_mcg="1000", duration_h="240", cycle="20")
    dialog.save()
    started = _records(ctx)[-1]
    assert (started.dose_mcg, started.duration_h, started.cycle) == (1000.0, 240.0, 20)


def test_a_future_time_is_refused_inline_and_five_minutes_ahead_is_allowed(qtbot, ctx, clock):
    _running(ctx)
    page = _page(qtbot, ctx)
    dialog = _form(qtbot, page.infusion, "stop")
    ahead = clock.now() + timedelta(minutes=6)
    dialog.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ahead.timestamp())))
    before = len(_records(ctx))
    dialog.save()
    assert dialog.messages["at"].text().startswith(
        f"✖ {ahead.astimezone(clock.now().tzinfo).isoformat(timespec='minutes')} is in the future")
    assert len(_records(ctx)) == before
    dialog.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int((clock.now() + timedelta(minutes=5)).timestamp())))
    assert not dialog.messages["at"].isVisible()
    dialog.save()
    assert len(_records(ctx)) == before + 1


# -- the hold counter and its countdowns ----------------------------------------------------------------------------

def _held_panel(qtbot, ctx, clock) -> tuple[PatientPage, object]:
    _running(ctx, hours_ago=72)
    stop = _record(ctx, "infusion_stopped", 2, reason="other_adverse_event").record.at
    return _page(qtbot, ctx), stop


def _tick(page: PatientPage, clock, **delta) -> str:
    clock.set(clock.now() + timedelta(**delta))
    page.infusion.timer.timeout.emit()
    return page.infusion.hold_counter.text()


def test_the_hold_counter_states_r_int_5_and_counts_down_every_minute(qtbot, ctx, clock):
    page, stop = _held_panel(qtbot, ctx, clock)
    panel = page.infusion
    page.show()
    page.tabs.setCurrentWidget(panel)
    assert panel.timer.interval() == COUNTDOWN_MS == 60_000 and panel.timer.isActive()
    started = local_datetime(stop)
    new_cycle = local_datetime(stop + timedelta(days=7))
    review = local_datetime(stop + timedelta(days=14))
    premed = local_datetime(stop + timedelta(hours=4))
    assert panel.hold_counter.text() == (
        f"Holds this cycle: 1; total held: 2:00; current hold: 2:00 (started {started});\n"
        f"restart needs premedication from {premed} (in 2 h); "
        f"new cycle after {new_cycle} (in 6 d 22 h); review after {review} (in 13 d 22 h)")
    assert _tick(page, clock, minutes=1) == (
        f"Holds this cycle: 1; total held: 2:01; current hold: 2:01 (started {started});\n"
        f"restart needs premedication from {premed} (in 1 h 59 min); "
        f"new cycle after {new_cycle} (in 6 d 21 h); review after {review} (in 13 d 21 h)")


@pytest.mark.parametrize(("minutes", "clock_text"), [
    (119, "restart needs premedication from {premed} (in 1 min)"),
    (120, "restart needs premedication (hold longer than 4 h)"),
    (121, "restart needs premedication (hold longer than 4 h)")])
def test_the_premedication_clock_at_4_hours_exactly_and_one_minute_either_side(qtbot, ctx, clock, minutes,
                                                                                clock_text):
    page, stop = _held_panel(qtbot, ctx, clock)                      # held 2 h: 4 h is 120 min away
    text = _tick(page, clock, minutes=minutes)
    assert clock_text.replace("{premed}", local_datetime(stop + timedelta(hours=4))) in text


def test_the_new_cycle_limit_at_7_days_exactly_and_one_minute_either_side(qtbot, ctx, clock):
    page, stop = _held_panel(qtbot, ctx, clock)
    new_cycle = local_datetime(stop + timedelta(days=7))
    text = _tick(page, clock, minutes=7 * 1440 - 120 - 1)            # hold 10,079 min
    assert text.startswith("Holds this cycle: 1; total held: 167:59; current hold: 167:59")
    assert f"new cycle after {new_cycle} (in 1 min)" in text
    text = _tick(page, clock, minutes=1)                             # 10,080 min: still the same cycle (R-INT-3)
    assert f"new cycle after {new_cycle} (in 0 min)" in text
    assert "New cycle required" not in " ".join(page.infusion.prompt_texts)
    assert any(t.startswith("Near the new-cycle limit") for t in page.infusion.prompt_texts)
    text = _tick(page, clock, minutes=1)                             # 10,081 min: a restart is a new cycle
    assert f"new cycle required (limit passed {new_cycle})" in text
    assert any(t.startswith("New cycle required: ") and "R-INT-2" not in t for t in page.infusion.prompt_texts)


def test_the_discontinuation_review_limit_at_14_days_exactly_and_one_minute_after(qtbot, ctx, clock):
    page, stop = _held_panel(qtbot, ctx, clock)
    review = local_datetime(stop + timedelta(days=14))
    text = _tick(page, clock, minutes=14 * 1440 - 120)               # hold 20,160 min
    assert text.endswith(f"review after {review} (in 0 min)")
    assert not any(t.startswith("Discontinuation review") for t in page.infusion.prompt_texts)
    assert page.infusion.course.isHidden()
    text = _tick(page, clock, minutes=1)                             # 20,161 min
    assert text.endswith(f"discontinuation review due (limit passed {review})")
    assert any(t.startswith("Discontinuation review: ") and "D2" not in t for t in page.infusion.prompt_texts)
    assert page.infusion.course.text() == "Course: discontinuation review"
    assert not page.infusion.course.isHidden()


# -- actions follow the state ---------------------------------------------------------------------------------------

def _between_cycles(ctx):
    _running(ctx, hours_ago=24 * 29)
    _record(ctx, "infusion_stopped", 24, reason="cycle_complete")


def _discontinued(ctx):
    _running(ctx)
    _record(ctx, "therapy_discontinued", 1, reason="prescriber decision")


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda ctx: None, {"start", "premedication"}),
    (_running, {"stop", "bag", "premedication", "discontinue"}),
    (lambda ctx: (_running(ctx), _record(ctx, "infusion_stopped", 1, reason="crs")),
     {"resume", "premedication", "discontinue"}),
    (_between_cycles, {"start", "premedication", "discontinue"}),
    (_discontinued, set()),
])
def test_only_the_actions_that_fit_the_infusion_state_are_enabled(qtbot, ctx, setup, expected):
    setup(ctx)
    page = _page(qtbot, ctx)
    assert _enabled(page.infusion) == expected


def test_a_disabled_action_says_why(qtbot, ctx):
    _running(ctx)
    page = _page(qtbot, ctx)
    assert page.infusion.buttons["resume"].toolTip() == \
        "Resume infusion: not available while the infusion is Running"
    assert page.infusion.buttons["stop"].toolTip() == "Stop infusion"


# -- the timeline ---------------------------------------------------------------------------------------------------

def test_the_timeline_describes_holds_dose_steps_bags_and_premedication_in_words(qtbot, ctx, clock):
    now = clock.now()
    _running(ctx, hours_ago=24 * 8)                                   # 18 mcg / 48 h = 9 mcg/day
    _record(ctx, "medication_given", 25, drug="dexamethasone", dose_mg=20, purpose="premedication")
    _record(ctx, "bag_changed", 24, dose_mcg=56, duration_h=48)       # step-up to 28 mcg/day
    _record(ctx, "infusion_stopped", 6, reason="crs")
    _record(ctx, "infusion_resumed", 4, dose_mcg=18, duration_h=48)
    page = _page(qtbot, ctx)
    timeline = page.infusion.timeline
    text = timeline.description()

    def at(hours: int) -> str:
        return local_datetime(now - timedelta(hours=hours))

    assert timeline.accessibleName() == "Infusion timeline"
    assert text.splitlines()[1] == f"Cycle 1 started {at(24 * 8)}."
    assert f"Running at 9 mcg/day from {at(24 * 8)} to {at(24)}, 7 d 0 h." in text
    assert f"Dose step at {at(24)}: 9 → 28 mcg/day." in text
    assert f"Bag changed at {at(24)}: 56 mcg / 48 h." in text
    assert f"Running at 28 mcg/day from {at(24)} to {at(6)}, 18 h." in text
    assert f"Held for CRS from {at(6)} to {at(4)}, 2 h." in text
    assert f"Running at 9 mcg/day from {at(4)} to now (ongoing), 4 h." in text
    assert f"Premedication at {at(25)}: dexamethasone 20 mg." in text
    assert "Hold limit" not in text                                  # no hold now


def test_the_timeline_draws_each_element_with_its_tooltip_and_the_limits_of_a_current_hold(qtbot, ctx, clock):
    _running(ctx, hours_ago=48)
    stop = _record(ctx, "infusion_stopped", 3, reason="technical").record.at
    page = _page(qtbot, ctx)
    timeline = page.infusion.timeline
    timeline.resize(1000, timeline.sizeHint().height())
    rects = timeline.element_rects()
    tips = [tip for _, tip in rects]
    hold_tip = f"Held for technical from {local_datetime(stop)} to now (ongoing), 3 h"
    assert hold_tip in tips
    hold_rect = next(rect for rect, tip in rects if tip == hold_tip)
    assert timeline.tooltip_at(hold_rect.center()) == hold_tip
    assert f"Hold limit (new cycle) at {local_datetime(stop + timedelta(days=7))}" in tips
    assert f"Hold limit (review) at {local_datetime(stop + timedelta(days=14))}" in tips
    assert f"Now: {local_datetime(clock.now())}" in tips
    assert timeline.tooltip_at(QPointF(1, 1)) == ""
    assert f"Hold limit (new cycle) at {local_datetime(stop + timedelta(days=7))}." in timeline.description()


def test_a_patient_without_infusion_has_an_empty_strip_that_says_so(qtbot, ctx):
    page = _page(qtbot, ctx)
    assert page.infusion.timeline.description() == "No infusion recorded yet."
    assert page.infusion.summary.text() == "supervision recommended for the (re)start"
    assert page.infusion.hold_counter.text() == "Holds this cycle: 0; total held: 0:00"


def test_the_demo_patient_on_hold_shows_its_crs_episode_and_hold(qtbot, demo_ctx):
    page = PatientPage(demo_ctx)
    qtbot.addWidget(page)
    page.set_patient("DEMO-003")
    text = page.infusion.timeline.description()
    assert "CRS episode, highest grade 2, from " in text and "to now (open)." in text
    assert "Held for CRS from " in text
    assert page.infusion.hold_counter.text().startswith(
        "Holds this cycle: 1; total held: 2:06; current hold: 2:06 (started ")


def test_the_panel_and_its_refusals_speak_spanish(qtbot, ctx, clock):
    from PySide6.QtWidgets import QApplication

    from gui.i18n import install_translators, remove_translators

    app = QApplication.instance()
    translators = install_translators(app, "es")
    try:
        page, _stop = _held_panel(qtbot, ctx, clock)
        assert page.infusion.hold_counter.text().startswith(
            "Interrupciones en este ciclo: 1; total interrumpido: 2:00; interrupción actual: 2:00 (desde ")
        dialog = _form(qtbot, page.infusion, "resume")
        _type(qtbot, dialog, dose_mcg="0", duration_h="24")
        dialog.save()
        assert dialog.messages["dose_mcg"].text() == \
            "✖ 0 está fuera del intervalo permitido (mcg, más de 0 y como máximo 1000)"
    finally:
        remove_translators(app, translators)


@pytest.mark.parametrize("action", ["start", "stop", "resume", "bag", "premedication", "discontinue"])
def test_every_control_of_the_panel_and_its_forms_has_an_accessible_name(qtbot, ctx, action):
    from test_accessibility import _unnamed

    page = _page(qtbot, ctx)
    assert _unnamed(page.infusion) == []
    dialog = _form(qtbot, page.infusion, action)
    assert _unnamed(dialog) == []
    assert dialog.focusWidget() is dialog.inputs[next(iter(dialog.inputs))]   # keyboard starts on the first field


def test_a_role_that_cannot_record_gets_no_infusion_action(qtbot, ctx, clock):
    from core.security import Accounts
    from core.services import Bedside

    admin = Accounts(ctx.bedside.store, clock).create_first_admin("boss", "Ward Admin", "admin-pin-1")
    ctx.bedside = Bedside(ctx.bedside.store, ctx.bedside.protocol, clock, admin)   # signed in as an admin only
    page = _page(qtbot, ctx)
    assert _enabled(page.infusion) == set()
    assert page.infusion.buttons["start"].toolTip() == "Start infusion: your role cannot enter records"
