"""The vitals wizard: keyboard only, limits from core, the grade before saving, nothing written on refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from core.records import OxygenDevice
from gui.patient_page import PatientPage
from gui.wizard import VitalsWizard

NORMAL_KEYS = [("36.8", "Tab", "78", "Tab", "16", "Enter"), ("122", "Tab", "76", "Enter"), ("Tab", "97", "Enter"),
               ("Enter",), ("Enter",)]


class Keyboard:
    """Types into whatever has the keyboard focus, as a nurse does, and counts the keys that are not digits."""

    KEYS: ClassVar[dict[str, Qt.Key]] = {"Tab": Qt.Key.Key_Tab, "Enter": Qt.Key.Key_Return, "Space": Qt.Key.Key_Space}

    def __init__(self):
        self.non_digits = 0

    def __call__(self, *strokes: str) -> None:
        for stroke in strokes:
            if stroke in self.KEYS:
                QTest.keyClick(QApplication.focusWidget(), self.KEYS[stroke])
                self.non_digits += 1
                continue
            for char in stroke:
                QTest.keyClick(QApplication.focusWidget(), char)
                self.non_digits += 0 if char.isdigit() else 1


@pytest.fixture
def wizard(qtbot, ctx):
    dialog = VitalsWizard(ctx, "A100")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    return dialog


def fill(wizard: VitalsWizard, *, temperature="36.8", pulse="78", rr="16", sbp="122", dbp="76", spo2="97") -> None:
    """Fill the first three steps and stop on step 4 (no keyboard; the keyboard test is separate)."""
    wizard.temperature.edit.setText(temperature)
    wizard.heart_rate.edit.setText(pulse)
    wizard.respiratory_rate.edit.setText(rr)
    wizard.advance()
    wizard.systolic.edit.setText(sbp)
    wizard.diastolic.edit.setText(dbp)
    wizard.advance()
    wizard.spo2.edit.setText(spo2)
    wizard.advance()


def test_a_normal_set_by_keyboard_alone_in_at_most_25_non_digit_keys(wizard, ctx, clock):
    keys = Keyboard()
    steps_seen = []
    for step in NORMAL_KEYS:
        steps_seen.append(wizard.step())
        keys(*step)
    assert steps_seen == [0, 1, 2, 3, 4]
    assert wizard.result() == QDialog.DialogCode.Accepted
    # Ctrl+R opens the wizard from the patient page: one more key
    assert keys.non_digits + 1 <= 25
    assert keys.non_digits + 1 == 11
    [stored] = ctx.bedside.records("A100")
    r = stored.record
    assert (r.temperature_c, r.heart_rate, r.respiratory_rate, r.systolic_bp, r.diastolic_bp, r.spo2_percent) == \
        (36.8, 78, 16, 122, 76, 97)
    assert r.oxygen_device is OxygenDevice.ROOM_AIR and r.consciousness.value == "alert"
    assert r.at == clock.now() and r.by == "nurse.test"


def test_each_step_in_order_and_back_keeps_the_values(wizard):
    assert wizard.step_label.text() == "Step 1 of 5 · Temperature, pulse, respiration"
    fill(wizard)
    assert wizard.step_label.text() == "Step 4 of 5 · Consciousness and symptoms"
    wizard.go_back()
    assert wizard.step() == 2 and wizard.spo2.edit.text() == "97"
    wizard.advance()
    wizard.advance()
    assert wizard.step_label.text() == "Step 5 of 5 · Review and save"
    assert wizard.primary.text() == "&Save"


def test_review_shows_the_grade_and_news2_before_saving(wizard, ctx):
    fill(wizard, temperature="38.4")
    wizard.advance()
    assert wizard.step() == 4
    chips = [wizard.grade_row.itemAt(i).widget().text() for i in range(wizard.grade_row.count())
             if wizard.grade_row.itemAt(i).widget() is not None]
    assert chips == ["▲ CRS grade 1", "● NEWS2 1, low risk"]
    assert wizard.scales.text() == "T 38.4 °C and SBP 122 mmHg → grade 1 on both scales\n" \
                                   "ASTCT 2019: grade 1 · CTCAE v5: grade 1"
    assert wizard.review_details.text() == ("For clinicians: grade rules R-AST-1, R-AST-6, R-CTC-1 · recommendation "
                                            "rules D2, R-AST-1 · protocol default v1")
    assert ctx.bedside.records("A100") == []           # graded, not written


def test_banner_changes_after_vitals_are_recorded_through_the_wizard(qtbot, ctx):
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    assert page.banner.crs_chip.text() == "○ CRS not assessed\nno vital signs recorded"
    wizard = VitalsWizard(ctx, "A100")
    qtbot.addWidget(wizard)
    fill(wizard, temperature="38.4")
    wizard.advance()
    wizard.advance()                                   # save
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert page.banner.crs_chip.text() == "▲ CRS grade 1"
    assert "T 38.4 °C" in page.banner.why.text()
    assert page.records.model.rowCount() == 1


@pytest.mark.parametrize(("field", "text", "message"), [
    ("temperature", "60", "60.0 is outside 25.0–45.0 °C"),
    ("temperature", "24.9", "24.9 is outside 25.0–45.0 °C"),
    ("heart_rate", "301", "301 is outside 20–300 /min"),
    ("heart_rate", "19", "19 is outside 20–300 /min"),
    ("respiratory_rate", "81", "81 is outside 2–80 /min"),
])
def test_hard_limit_stops_the_step_inline_naming_the_limit(wizard, ctx, field, text, message):
    item = getattr(wizard, field)
    item.edit.setText(text)
    wizard.advance()
    assert wizard.step() == 0
    assert item.message.isVisible()
    assert item.message.text() == "✖ " + message
    assert QApplication.focusWidget() is item.edit
    assert ctx.bedside.records("A100") == []


@pytest.mark.parametrize(("field", "text"), [("temperature", "25.0"), ("temperature", "45.0"),
                                             ("heart_rate", "20"), ("heart_rate", "300")])
def test_values_at_the_hard_limits_are_accepted_after_confirming(wizard, field, text):
    item = getattr(wizard, field)
    item.edit.setText(text)
    wizard.advance()
    assert wizard.step() == 0 and item.confirm.isVisible()   # outside the soft range: confirm first
    assert not item.message.text().startswith("✖")
    item.confirm.setChecked(True)
    wizard.advance()
    assert wizard.step() == 1


def test_soft_limit_asks_to_confirm_at_181_not_at_180(wizard):
    wizard.heart_rate.edit.setText("181")
    wizard.advance()
    assert wizard.step() == 0
    assert wizard.heart_rate.message.text() == "⚠ 181 /min is above 180 /min - please confirm"
    assert QApplication.focusWidget() is wizard.heart_rate.confirm
    QTest.keyClick(wizard.heart_rate.confirm, Qt.Key.Key_Space)    # keyboard: Space ticks, Enter goes on
    assert wizard.heart_rate.confirm.isChecked()
    wizard.advance()
    assert wizard.step() == 1
    wizard.go_back()
    wizard.heart_rate.edit.setText("180")
    wizard.heart_rate.edit.textEdited.emit("180")
    wizard.advance()
    assert wizard.step() == 1 and not wizard.heart_rate.confirm.isChecked()


def test_changing_a_confirmed_value_asks_again(wizard):
    wizard.heart_rate.edit.setText("181")
    wizard.advance()
    wizard.heart_rate.confirm.setChecked(True)
    QTest.keyClicks(wizard.heart_rate.edit, "5")                     # 1815 is refused by the validator: 181
    wizard.heart_rate.edit.setText("190")
    wizard.heart_rate.edit.textEdited.emit("190")
    assert not wizard.heart_rate.confirm.isChecked()
    wizard.advance()
    assert wizard.step() == 0 and wizard.heart_rate.message.text().startswith("⚠ 190 /min is above")


def test_fahrenheit_value_offers_the_conversion(wizard):
    wizard.temperature.edit.setText("101.3")
    wizard.advance()
    assert wizard.step() == 0
    assert wizard.temperature.message.text() == \
        "✖ 101.3 is outside 25.0–45.0 °C (did you mean 38.5 °C? 101.3 looks like °F)"
    assert wizard.temperature.offer.isVisible() and wizard.temperature.offer.text() == "Use 38.5 °C"
    wizard.temperature.offer.click()
    assert wizard.temperature.edit.text() == "38.5"
    assert not wizard.temperature.message.isVisible()


def test_temperature_in_fahrenheit_setting_is_stored_in_celsius(qtbot, ctx):
    ctx.settings.temperature_unit = "F"
    wizard = VitalsWizard(ctx, "A100")
    qtbot.addWidget(wizard)
    assert wizard.temperature.hint.text() == "°F   (77.0–113.0)"
    fill(wizard, temperature="101.3")
    wizard.advance()
    assert wizard.summary.text().startswith("T 101.3 °F")
    wizard.advance()
    [stored] = ctx.bedside.records("A100")
    assert stored.record.temperature_c == 38.5


def test_fahrenheit_setting_names_the_limit_in_fahrenheit(qtbot, ctx):
    ctx.settings.temperature_unit = "F"
    wizard = VitalsWizard(ctx, "A100")
    qtbot.addWidget(wizard)
    wizard.temperature.edit.setText("120")
    wizard.advance()
    assert wizard.temperature.message.text() == "✖ 120.0 is outside 77.0–113.0 °F"


def test_diastolic_not_below_systolic_is_refused_next_to_the_diastolic(wizard, ctx):
    wizard.advance()
    wizard.systolic.edit.setText("100")
    wizard.diastolic.edit.setText("100")
    wizard.advance()
    assert wizard.step() == 1
    assert wizard.diastolic.message.text() == "✖ 100 is not below systolic_bp 100 mmHg"


def test_low_blood_pressure_asks_for_a_repeat_and_fluids_then_keeps_both_readings(wizard, ctx):
    fill_first = wizard.advance
    fill_first()
    wizard.systolic.edit.setText("86")
    wizard.diastolic.edit.setText("50")
    wizard.advance()
    assert wizard.step() == 1                          # stopped once to ask
    assert wizard.low_bp.isVisible() and wizard.repeat_systolic.edit.isVisible()
    assert QApplication.focusWidget() is wizard.repeat_systolic.edit
    wizard.repeat_systolic.edit.setText("92")
    wizard.repeat_diastolic.edit.setText("60")
    wizard.fluids.setChecked(True)
    wizard.advance()
    assert wizard.step() == 2
    wizard.advance()
    wizard.advance()
    assert "First reading (kept): BP 86/50" in wizard.summary.text()
    wizard.advance()
    first, full = [s.record for s in ctx.bedside.records("A100")]
    assert (first.systolic_bp, first.diastolic_bp, first.temperature_c) == (86, 50, None)
    assert (full.systolic_bp, full.diastolic_bp, full.fluid_bolus_given) == (92, 60, True)
    assert first.at == full.at


def test_low_blood_pressure_without_a_repeat_goes_on_at_the_second_enter(wizard, ctx):
    wizard.advance()
    wizard.systolic.edit.setText("89")
    wizard.advance()
    assert wizard.step() == 1 and wizard.low_bp.isVisible()
    wizard.advance()
    assert wizard.step() == 2


def test_systolic_90_is_not_low(wizard):
    wizard.advance()
    wizard.systolic.edit.setText("90")
    wizard.advance()
    assert wizard.step() == 2 and not wizard.low_bp.isVisible()


def test_oxygen_fields_follow_the_device(wizard):
    fill(wizard)
    wizard.go_back()
    assert not wizard.flow.edit.isVisible() and not wizard.fio2.edit.isVisible()
    wizard.device.setCurrentIndex(wizard.device.findData("nasal_cannula"))
    assert wizard.flow.edit.isVisible() and not wizard.fio2.edit.isVisible()
    wizard.device.setCurrentIndex(wizard.device.findData("venturi_mask"))
    assert wizard.flow.edit.isVisible() and wizard.fio2.edit.isVisible()   # D5: the device sets an FiO2
    wizard.fio2.edit.setText("35")
    wizard.flow.edit.setText("8")
    wizard.advance()
    wizard.advance()
    assert wizard.preview_state.crs.computed.astct.grade == 0              # no fever: not CRS (D12)
    wizard.advance()


def test_fio2_typed_as_a_fraction_is_refused_with_the_hint(wizard):
    fill(wizard)
    wizard.go_back()
    wizard.device.setCurrentIndex(wizard.device.findData("venturi_mask"))
    wizard.fio2.edit.setText("0.4")
    wizard.advance()
    assert wizard.step() == 2
    assert "enter FiO2 as a percentage" in wizard.fio2.message.text()


def test_confusion_asks_for_an_ice_assessment_and_records_it(wizard, ctx):
    fill(wizard)
    assert not wizard.ice_box.isVisible()
    wizard.consciousness.setCurrentIndex(wizard.consciousness.findData("new_confusion"))
    assert wizard.ice_box.isVisible()
    wizard.ice_score.setText("6")
    wizard.symptoms["rash"].setChecked(True)
    wizard.advance()
    chips = [wizard.grade_row.itemAt(i).widget().text() for i in range(wizard.grade_row.count())
             if wizard.grade_row.itemAt(i).widget() is not None]
    assert "◆ ICANS grade 2" in chips                  # ICE 6 -> ICANS grade 2 (R-ICN-1)
    wizard.advance()
    kinds = [(s.record.type, getattr(s.record, "ice_score", None), getattr(s.record, "name", None))
             for s in ctx.bedside.records("A100")]
    assert kinds == [("vitals", None, None), ("neuro_assessment", 6, None), ("symptom", None, "rash")]


def test_back_dated_entry_is_stored_with_its_time(wizard, ctx, clock):
    fill(wizard)
    wizard.advance()
    earlier = clock.now() - timedelta(hours=3)
    wizard.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(earlier.timestamp())))
    wizard.advance()
    [stored] = ctx.bedside.records("A100")
    assert stored.record.at == earlier
    assert stored.recorded_at == clock.now()
    assert wizard.warnings == ("Entered 180 minutes after the event (late entry).",)


def test_future_time_is_refused_inline_and_nothing_is_written(wizard, ctx, clock):
    fill(wizard)
    wizard.advance()
    later = clock.now() + timedelta(minutes=10)
    wizard.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(later.timestamp())))
    assert wizard.time_message.isVisible()             # the preview already says so
    wizard.advance()
    assert wizard.result() != QDialog.DialogCode.Accepted
    assert wizard.time_message.isVisible()
    assert "is in the future" in wizard.time_message.text()
    assert "observations cannot be future-dated" in wizard.time_message.text()
    assert ctx.bedside.records("A100") == []


def test_five_minutes_ahead_is_clock_skew_and_accepted(wizard, ctx, clock):
    fill(wizard)
    wizard.advance()
    ahead = clock.now() + timedelta(minutes=5)
    wizard.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ahead.timestamp())))
    wizard.advance()
    assert [s.record.at for s in ctx.bedside.records("A100")] == [ahead]


def test_ice_score_above_10_is_refused_inline(wizard, ctx):
    fill(wizard)
    wizard.consciousness.setCurrentIndex(wizard.consciousness.findData("new_confusion"))
    wizard.ice_score.setText("11")
    wizard.advance()
    assert wizard.step() == 3
    assert wizard.ice_message.text() == "✖ 11 is outside 0–10 points"
    wizard.ice_score.setText("10")
    wizard.advance()
    assert wizard.step() == 4


def test_in_spanish_the_limits_and_the_future_time_are_explained_in_spanish(qtbot, ctx, clock):
    from gui.i18n import install_translators, remove_translators

    app = QApplication.instance()
    translators = install_translators(app, "es")
    try:
        wizard = VitalsWizard(ctx, "A100")
        qtbot.addWidget(wizard)
        assert wizard.step_label.text() == "Paso 1 de 5 · Temperatura, pulso, respiración"
        wizard.temperature.edit.setText("60")
        wizard.advance()
        assert wizard.temperature.message.text() == "✖ 60.0 está fuera de 25.0–45.0 °C"
        wizard.temperature.edit.setText("")
        wizard.heart_rate.edit.setText("181")
        wizard.advance()
        assert wizard.heart_rate.message.text() == \
            "⚠ Inusualmente alto: por encima de 180 /min. Compruébelo y confírmelo."
        # the field's own words (before, filed under a context Qt never looked up, they stayed English)
        assert wizard.heart_rate.confirm.text() == "El valor es correcto"
        wizard.temperature.edit.setText("100.4")
        wizard.advance()
        assert wizard.temperature.offer.text() == "Usar 38.0 °C"
        wizard.temperature.edit.setText("")
        fill(wizard)
        wizard.advance()
        later = clock.now() + timedelta(minutes=10)
        wizard.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(later.timestamp())))
        wizard.advance()
        assert wizard.time_message.text().endswith("es una hora futura: las constantes no pueden tener fecha futura")
        assert ctx.bedside.records("A100") == []
    finally:
        remove_translators(app, translators)


def test_the_wizard_works_without_being_shown(qtbot, ctx):
    """The self-test drives it offscreen without showing it: hidden-window visibility must not matter."""
    wizard = VitalsWizard(ctx, "A100")
    qtbot.addWidget(wizard)
    wizard.heart_rate.edit.setText("181")
    wizard.advance()
    wizard.heart_rate.confirm.setChecked(True)
    wizard.advance()
    assert wizard.step() == 1
    wizard.advance()
    wizard.device.setCurrentIndex(wizard.device.findData("nasal_cannula"))
    wizard.flow.edit.setText("2")
    wizard.comfort.setChecked(True)
    wizard.advance()
    wizard.consciousness.setCurrentIndex(wizard.consciousness.findData("new_confusion"))
    wizard.ice_score.setText("12")
    wizard.advance()
    assert wizard.step() == 3 and wizard.ice_message.text() == "✖ 12 is outside 0–10 points"
    wizard.ice_score.setText("9")
    wizard.advance()
    wizard.advance()
    vitals, neuro = [s.record for s in ctx.bedside.records("A100")]
    assert (vitals.heart_rate, vitals.oxygen_flow_l_min, vitals.oxygen_for_comfort_only) == (181, 2.0, True)
    assert neuro.ice_score == 9


def test_escape_asks_before_throwing_typed_values_away(wizard, monkeypatch):
    asked = []
    monkeypatch.setattr(wizard, "confirm_discard", lambda: asked.append(True) or False)   # the nurse says no
    wizard.temperature.edit.setText("38.4")
    QTest.keyClick(wizard.temperature.edit, Qt.Key.Key_Escape)
    assert asked == [True] and wizard.isVisible() and wizard.temperature.edit.text() == "38.4"
    monkeypatch.setattr(wizard, "confirm_discard", lambda: True)
    QTest.keyClick(wizard.temperature.edit, Qt.Key.Key_Escape)
    assert not wizard.isVisible() and wizard.result() == QDialog.DialogCode.Rejected


def test_escape_on_an_empty_wizard_closes_at_once(wizard, monkeypatch):
    monkeypatch.setattr(wizard, "confirm_discard", lambda: pytest.fail("asked"))
    QTest.keyClick(wizard.temperature.edit, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_a_blank_temperature_is_never_silently_carried_forward(qtbot, ctx, clock):
    from gui.record_text import local_time
    earlier = local_time(clock.now())
    ctx.bedside.record_vitals("A100", {"temperature_c": 38.3, "heart_rate": 90})
    clock.set(clock.now() + timedelta(hours=1))
    dialog = VitalsWizard(ctx, "A100")
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, temperature="")
    dialog.advance()
    assert dialog.step() == 4
    lines = dialog.summary.text().splitlines()
    assert lines[-1] == f"Not typed, carried forward from an earlier set: T 38.3 °C (from {earlier})"
    # the grade was set by the earlier set: the review says when
    assert dialog.scales.text().splitlines()[0] == f"At {earlier}: T 38.3 °C → grade 1 on both scales"


@pytest.mark.parametrize(("typed", "offer"), [("38.5", "101.3"), ("25", "77.0"), ("24.9", None), ("45", "113.0"),
                                              ("45.1", None)])
def test_in_fahrenheit_mode_a_celsius_value_offers_the_conversion(qtbot, ctx, typed, offer):
    ctx.settings.temperature_unit = "F"
    dialog = VitalsWizard(ctx, "A100")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.temperature.edit.setText(typed)
    dialog.advance()
    assert dialog.step() == 0 and dialog.temperature.message.text().startswith("✖ ")
    if offer is None:               # outside the °C range too: no guess
        assert not dialog.temperature.offer.isVisible()
        return
    assert dialog.temperature.offer.isVisible() and dialog.temperature.offer.text() == f"Use {offer} °F"
    dialog.temperature.offer.click()
    assert dialog.temperature.edit.text() == offer and not dialog.temperature.message.isVisible()


@pytest.mark.parametrize("sbp, asks", [
    pytest.param("81", True, id="R-AST-3-D4-child-6-81-below"),
    pytest.param("82", False, id="R-AST-3-D4-child-6-82-at"),
    pytest.param("83", False, id="R-AST-3-D4-child-6-83-above"),
])
def test_a_childs_low_blood_pressure_is_judged_by_the_childs_limit(qtbot, ctx, sbp, asks):
    # A child of 6: hypotension below 70 + 2 x 6 = 82 mmHg (R-AST-3(c)), not the adult 90 (core/assessment_draft.py).
    ctx.bedside.admit({"mrn": "C200", "name": "Test Child", "birth_date": "2015-06-01", "sex": "male",
                       "weight_kg": 20, "height_cm": 115, "indication": "relapsed_refractory", "ward": "7W",
                       "bed": "14"})
    dialog = VitalsWizard(ctx, "C200")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.temperature.edit)
    keys = Keyboard()
    keys("Enter")                                   # step 1 left empty
    keys(sbp, "Tab", "50", "Enter")
    assert (dialog.step() == 1 and dialog.low_bp.isVisible()) is asks
    if asks:
        assert QApplication.focusWidget() is dialog.repeat_systolic.edit
        keys("88", "Tab", "55", "Enter")
    assert dialog.step() == 2
    keys("Tab", "97", "Enter")
    keys("Enter")
    keys("Enter")                                   # the review saves
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = [(s.record.systolic_bp, s.record.diastolic_bp) for s in ctx.bedside.records("C200")]
    assert saved == ([(81, 50), (88, 55)] if asks else [(int(sbp), 50)])



def test_the_steps_are_built_without_the_auto_locks_filter_which_is_back_once_they_are(qtbot, ctx, clock, monkeypatch):
    """Issue 20: the steps' widgets are built without the application-wide auto-lock filter (their ~1,500 Qt events
    each cost a call into Python); the filter is back as soon as they are built, so a key pressed still counts."""
    import gui.wizard as wizard_module
    from gui.main_window import MainWindow
    from tests.gui.conftest import advance

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    autolock = window.autolock
    idle_inside: list[timedelta] = []
    original_build = wizard_module.build_steps

    def probing_build(wizard, fahrenheit):
        original_build(wizard, fahrenheit)
        QTest.keyClick(wizard.temperature.edit, "1")     # a key delivered inside the block (input never is)
        idle_inside.append(autolock.idle())

    monkeypatch.setattr(wizard_module, "build_steps", probing_build)
    advance(clock, minutes=3)
    assert autolock.idle() == timedelta(minutes=3)
    wizard = VitalsWizard(ctx, "A100", window)
    assert idle_inside == [timedelta(minutes=3)]         # not seen: the filter stood aside
    assert wizard.stack.count() == 5
    from PySide6.QtWidgets import QWidget
    unpolished = [w for w in [wizard, *wizard.findChildren(QWidget)]
                  if not w.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)]
    assert unpolished == []                              # polished in the block, not by posted events later
    QTest.keyClick(wizard.temperature.edit, "3")
    assert autolock.idle() == timedelta(0)               # seen: the filter is back
    window.stop_timers()
