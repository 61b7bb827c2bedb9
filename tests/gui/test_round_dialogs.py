"""The nurse's whole round in the window (issue 13), driven with the keyboard: admit from an empty ward, open a
patient by MRN, record what was done, answer a prompt, edit and transfer, import a file, and the guard rails of the
infusion form. Real SQLite files, real widgets; modal dialogs are driven where they open."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui.context import AppContext, BedsideSignals
from gui.settings import Settings
from tests.gui.test_main_window import _window
from tests.scenario import T0, Timeline, patient

MRN = "A100"


def shown(qtbot, dialog):
    """A dialog built by the window, shown (not modal) so that the keys reach it."""
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def empty_ctx(tmp_path: Path):
    clock = FixedClock(T0 + timedelta(days=1))
    store = Store.open(tmp_path / "empty.db")
    bedside = Bedside(store, shipped_protocol("default"), clock, user="nurse.test")
    yield AppContext(bedside=bedside, settings=Settings(), settings_file=tmp_path / "settings.json", clock=clock,
                     signals=BedsideSignals(), db_path=tmp_path / "empty.db")
    store.close()


def when_modal(qtbot, drive) -> list:
    """Drive the next modal dialog with ``drive(dialog)`` once it is open (exec() blocks the test)."""
    seen: list = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, attempt)
            return
        seen.append(dialog)
        drive(dialog)

    QTimer.singleShot(0, attempt)
    return seen


def press(action, shortcut: str) -> None:
    """The menu action bound to ``shortcut``: offscreen the window is never the active one, so the test checks the
    binding and triggers the action the key would (as tests/gui/test_main_window.py does)."""
    assert action.shortcut().toString() == shortcut and action.isEnabled(), action.toolTip()
    action.trigger()


def type_into(widget, text: str) -> None:
    QTest.keyClicks(widget, text)


def choose(combo: QComboBox, code: str) -> None:
    """Pick a choice with the keyboard: Home, then Down until the code is current."""
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == code:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{code} is not a choice")


# -- admit, edit, transfer, discharge ------------------------------------------------------------------------------

def test_an_empty_ward_says_how_to_add_patients_and_ctrl_n_admits_checking_every_limit(qtbot, empty_ctx):
    window = _window(qtbot, empty_ctx)
    assert window.ward.empty_hint.isVisible()
    assert [window.ward.ward_filter.itemText(i) for i in range(window.ward.ward_filter.count())] == ["All wards"]
    assert "Patient → Admit… (Ctrl+N)" in window.ward.empty_hint.text()
    assert "File → Import… (Ctrl+Shift+I)" in window.ward.empty_hint.text()
    assert window.ward.admit_button.isVisible() and window.ward.import_button.isVisible()
    messages: dict[str, str] = {}

    def drive(dialog) -> None:
        inputs = dialog.inputs
        type_into(inputs["mrn"], "N300")
        type_into(inputs["name"], "Synthetic Newcomer")
        type_into(inputs["birth_date"], "1975-11-30")
        type_into(inputs["weight_kg"], "301")
        messages["weight_301"] = dialog.messages["weight_kg"].text()
        QTest.keyClick(inputs["weight_kg"], Qt.Key.Key_Backspace)
        QTest.keyClick(inputs["weight_kg"], Qt.Key.Key_Backspace)
        QTest.keyClick(inputs["weight_kg"], Qt.Key.Key_Backspace)
        type_into(inputs["weight_kg"], "300")
        messages["weight_300"] = dialog.messages["weight_kg"].text()
        type_into(inputs["height_cm"], "251")
        messages["height_251"] = dialog.messages["height_cm"].text()
        inputs["height_cm"].clear()
        type_into(inputs["height_cm"], "170")
        choose(inputs["indication"], "mrd_positive")
        type_into(inputs["ward"], "7W")
        type_into(inputs["bed"], "5")
        QTest.keyClick(inputs["bed"], Qt.Key.Key_Return)

    when_modal(qtbot, drive)
    press(window.admit_action, "Ctrl+N")
    assert window.admit_action.shortcut().toString() == "Ctrl+N"
    assert messages == {"weight_301": "✖ 301.0 is outside 2–300 kg", "weight_300": "",
                        "height_251": "✖ 251.0 is outside 30–250 cm"}
    admitted = empty_ctx.bedside.patient("N300")
    assert (admitted.name, admitted.weight_kg, admitted.height_cm, admitted.indication.value, admitted.bed) == (
        "Synthetic Newcomer", 300.0, 170.0, "mrd_positive", "5")
    assert window.pages.currentWidget() is window.patient and window.patient.mrn == "N300"
    assert not window.ward.empty_hint.isVisibleTo(window.ward)


def test_admitting_a_known_mrn_is_refused_next_to_the_mrn(qtbot, ctx):
    window = _window(qtbot, ctx)
    dialog = shown(qtbot, window.make_patient_dialog("admit"))
    for name, text in (("mrn", MRN), ("name", "Someone Else"), ("birth_date", "1990-01-01")):
        type_into(dialog.inputs[name], text)
    QTest.keyClick(dialog.inputs["birth_date"], Qt.Key.Key_Return)
    assert dialog.messages["mrn"].text() == "✖ A100 is already a patient here (open them, or edit their details)"
    assert dialog.result() == 0


def test_transfer_by_keyboard_is_a_patient_updated_record_and_moves_the_bed(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)

    def drive(dialog) -> None:
        bed = dialog.inputs["bed"]
        bed.setFocus()
        QTest.keyClick(bed, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_into(bed, "14")
        QTest.keyClick(bed, Qt.Key.Key_Return)

    when_modal(qtbot, drive)
    press(window.transfer_action, "Ctrl+Shift+T")
    last = ctx.bedside.records(MRN)[-1].record
    assert (last.type, last.changes()) == ("patient_updated", {"bed": "14"})
    assert ctx.bedside.state(MRN).patient.bed == "14"
    assert ctx.bedside.patient(MRN).bed == "12"       # the admission is kept as it was (audit trail)


def test_edit_details_names_the_limit_inline_and_records_only_the_change(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    dialog = shown(qtbot, window.make_patient_dialog("edit"))
    weight = dialog.inputs["weight_kg"]
    assert weight.text() == "70"
    weight.clear()
    type_into(weight, "1")
    assert dialog.messages["weight_kg"].text() == "✖ 1.0 is outside 2–300 kg"
    type_into(weight, "2")          # 12 kg
    assert dialog.messages["weight_kg"].isHidden()
    QTest.keyClick(weight, Qt.Key.Key_Return)
    assert ctx.bedside.records(MRN)[-1].record.changes() == {"weight_kg": 12.0}


def test_discharge_from_the_patient_menu_takes_the_patient_off_the_ward(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    when_modal(qtbot, lambda d: (type_into(d.inputs["note"], "home with family"),
                                 QTest.keyClick(d.inputs["note"], Qt.Key.Key_Return)))
    press(window.discharge_action, "Ctrl+Shift+D")
    assert ctx.bedside.records(MRN)[-1].record.type == "discharged"
    assert ctx.bedside.ward_patients() == []


# -- the ward: MRN scanned ----------------------------------------------------------------------------------------

def test_an_mrn_typed_or_scanned_in_the_ward_and_enter_opens_the_patient(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.ward.focus_table()
    QTest.keyClicks(window.ward.table, "a100")           # a scanner types into whatever has the focus
    assert window.ward.mrn_edit.text() == "a100"
    QTest.keyClick(window.ward.mrn_edit, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.patient and window.patient.mrn == MRN


def test_an_unknown_mrn_says_so_and_stays_on_the_ward(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.ward.mrn_edit.setFocus()
    QTest.keyClicks(window.ward.mrn_edit, "Z999")
    QTest.keyClick(window.ward.mrn_edit, Qt.Key.Key_Return)
    assert window.ward.mrn_message.text() == "✖ No patient with MRN Z999 on the ward."
    assert window.pages.currentWidget() is window.ward


# -- record what was done -----------------------------------------------------------------------------------------

CASES = [
    ("fluid_bolus", "Ctrl+B", [("volume_ml", "1000")], {"type": "fluid_bolus", "volume_ml": 1000.0}),
    ("crs_treatment", "Ctrl+M", [("drug", "tocilizumab"), ("dose_mg", "560")],
     {"type": "medication_given", "drug": "tocilizumab", "dose_mg": 560.0, "purpose": "crs_treatment"}),
    ("vasopressor_started", "Ctrl+Shift+V", [("agent", "norepinephrine")],
     {"type": "vasopressor_started", "agent": "norepinephrine"}),
    ("vasopressor_stopped", "Ctrl+Alt+V", [("agent", "vasopressin")],
     {"type": "vasopressor_stopped", "agent": "vasopressin"}),
    ("oxygen", "Ctrl+Shift+O", [("oxygen_device", "venturi_mask"), ("fio2_percent", "35")],
     {"type": "vitals", "oxygen_device": "venturi_mask", "fio2_percent": 35}),
    ("lab_result", "Ctrl+Shift+R", [("test", "ferritin"), ("value", "12500"), ("unit", "ug/L")],
     {"type": "lab_result", "test": "ferritin", "value": 12500.0, "unit": "ug/L"}),
    ("neuro_assessment", "Ctrl+J", [("ice_score", "9"), ("arousal", "awakens_spontaneously")],
     {"type": "neuro_assessment", "ice_score": 9, "arousal": "awakens_spontaneously"}),
    ("symptom", "Ctrl+Y", [("name", "rash"), ("note", "trunk")], {"type": "symptom", "name": "rash", "note": "trunk"}),
    ("note", "Ctrl+Shift+N", [("text", "family visited")], {"type": "note", "text": "family visited"}),
    ("observations_not_done", "Ctrl+D", [("reason", "refused"), ("note", "asleep, asked to wait")],
     {"type": "observations_not_done", "reason": "refused", "note": "asleep, asked to wait"}),
]


def _fill(dialog, entries) -> None:
    for name, value in entries:
        widget = dialog.inputs[name]
        widget.setFocus()
        if isinstance(widget, QComboBox) and not widget.isEditable():
            choose(widget, value)
        elif isinstance(widget, QComboBox):
            widget.lineEdit().selectAll()
            type_into(widget, value)
        else:
            type_into(widget, value)
    QTest.keyClick(dialog.save_button if isinstance(dialog.inputs[entries[-1][0]], QComboBox)
                   else dialog.inputs[entries[-1][0]], Qt.Key.Key_Return)


@pytest.mark.parametrize("kind, shortcut, entries, expected", CASES, ids=[c[0] for c in CASES])
def test_each_record_is_entered_from_its_shortcut_with_the_keyboard(qtbot, ctx, kind, shortcut, entries, expected):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    when_modal(qtbot, lambda dialog: _fill(dialog, entries))
    press(window.record_actions[kind], shortcut)
    record = ctx.bedside.records(MRN)[-1].record
    dumped = record.model_dump(mode="json", exclude_none=True)
    assert {key: dumped.get(key) for key in expected} == expected
    assert record.at == ctx.clock.now() and record.by == "nurse.test"


def test_a_bad_value_is_named_next_to_its_field_and_nothing_is_written(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    before = len(ctx.bedside.records(MRN))
    dialog = shown(qtbot, window.make_record_dialog("fluid_bolus"))
    type_into(dialog.inputs["volume_ml"], "5001")
    QTest.keyClick(dialog.inputs["volume_ml"], Qt.Key.Key_Return)
    assert dialog.messages["volume_ml"].text() == "✖ 5001.0 is outside the range above 0 and at most 5000 mL"
    assert len(ctx.bedside.records(MRN)) == before


def test_other_reason_for_observations_not_done_needs_a_note(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    dialog = shown(qtbot, window.make_record_dialog("observations_not_done"))
    choose(dialog.inputs["reason"], "other")
    QTest.keyClick(dialog.save_button, Qt.Key.Key_Return)
    assert dialog.form_message.text() == "✖ a note is required when the reason is 'other'"


# -- close the loop -----------------------------------------------------------------------------------------------

def _fever(ctx, minutes_ago: int = 20) -> None:
    ctx.bedside.record(MRN, "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"},
                       ctx.clock.now() - timedelta(minutes=minutes_ago + 40))
    ctx.bedside.record(MRN, "infusion_started", {"dose_mcg": 9, "duration_h": 24},
                       ctx.clock.now() - timedelta(minutes=minutes_ago + 30))
    ctx.bedside.record(MRN, "vitals", {"temperature_c": 38.3}, ctx.clock.now() - timedelta(minutes=minutes_ago))


def test_a_prompt_unanswered_for_15_minutes_escalates_on_the_ward_and_the_banner(qtbot, ctx):
    _fever(ctx, minutes_ago=15)
    window = _window(qtbot, ctx)
    row = window.ward.visible_mrns().index(MRN)
    actions = window.ward.proxy.index(row, 7).data()
    assert actions.startswith("Not acknowledged in time: tell the nurse in charge.")
    window.open_patient(MRN)
    todo = window.patient.banner.todo.text()
    assert "Not acknowledged for 15 min (1 prompt waiting): tell the nurse in charge." in todo
    assert "<a href='answer:increase_observations'>Answer…</a>" in todo


def test_a_prompt_is_answered_from_ctrl_k_and_leaves_the_pending_list(qtbot, ctx):
    _fever(ctx)
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    seen = []

    def drive(dialog) -> None:
        seen.append([dialog.prompts.item(i).checkState() == Qt.CheckState.Checked
                     for i in range(dialog.prompts.count())])
        QTest.keyClick(dialog.prompts, Qt.Key.Key_Tab)             # to "Called"
        choose(dialog.inputs["to"], "prescriber")
        choose(dialog.inputs["response"], "attending")
        type_into(dialog.inputs["name"], "Dr Synthetic")
        type_into(dialog.inputs["note"], "coming in 10 min")
        QTest.keyClick(dialog.inputs["note"], Qt.Key.Key_Return)

    when_modal(qtbot, drive)
    press(window.answer_action, "Ctrl+K")
    assert seen == [[True, True]]                                      # both prompts pending, both ticked
    state = ctx.bedside.state(MRN)
    assert state.pending == ()
    record = ctx.bedside.records(MRN)[-1].record
    assert (record.type, record.to.value, record.response.value, record.name, sorted(record.acknowledges)) == (
        "escalation", "prescriber", "attending", "Dr Synthetic", ["escalate_unacknowledged", "increase_observations"])
    todo = window.patient.banner.todo.text()
    assert "✓ answered" in todo and "Dr Synthetic" in todo and "Answer…" not in todo
    window.show_ward()
    row = window.ward.visible_mrns().index(MRN)
    assert window.ward.proxy.index(row, 7).data() == "none"


def test_declining_needs_a_reason(qtbot, ctx):
    _fever(ctx, minutes_ago=5)
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    dialog = shown(qtbot, window.make_escalation_dialog("increase_observations"))
    choose(dialog.inputs["response"], "declined")
    QTest.keyClick(dialog.save_button, Qt.Key.Key_Return)
    assert dialog.form_message.text() == "✖ a note giving the reason is required when the response is 'declined'"
    assert ctx.bedside.records(MRN)[-1].record.type == "vitals"


def test_the_banner_link_opens_the_answer_for_that_prompt(qtbot, ctx):
    _fever(ctx, minutes_ago=5)
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    seen = when_modal(qtbot, lambda dialog: QTest.keyClick(dialog, Qt.Key.Key_Escape))
    window.patient.banner.todo.linkActivated.emit("answer:increase_observations")
    assert seen and seen[0].codes() == ["increase_observations"]


# -- the vitals wizard's bolus ------------------------------------------------------------------------------------

def test_a_bolus_ticked_in_the_wizard_becomes_a_fluid_bolus_record_with_its_volume(qtbot, ctx):
    window = _window(qtbot, ctx)
    wizard = window.make_wizard(MRN)
    qtbot.addWidget(wizard)
    wizard.show()
    QTest.keyClicks(wizard.temperature.edit, "38.4")
    wizard.fluids.setFocus()
    QTest.keyClick(wizard.fluids, Qt.Key.Key_Space)
    assert wizard.bolus_volume.isVisibleTo(wizard) or not wizard.fluids.isVisible()
    QTest.keyClicks(wizard.bolus_volume, "1000")
    wizard.save()
    kinds = [(s.record.type, getattr(s.record, "volume_ml", None), getattr(s.record, "fluid_bolus_given", None))
             for s in ctx.bedside.records(MRN)]
    assert kinds == [("vitals", None, True), ("fluid_bolus", 1000.0, None)]


# -- guard rails in the infusion form -----------------------------------------------------------------------------

def held_at_grade_2(b: Bedside) -> None:
    """Premedicated, started, CRS grade 2 (T 38.6, SBP 86) half an hour ago, stopped for CRS."""
    now = b.clock.now()
    b.record(MRN, "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"},
             now - timedelta(hours=3))
    b.record(MRN, "infusion_started", {"dose_mcg": 9, "duration_h": 24}, now - timedelta(hours=2, minutes=30))
    b.record(MRN, "vitals", {"temperature_c": 38.6, "systolic_bp": 86}, now - timedelta(minutes=30))
    b.record(MRN, "infusion_stopped", {"reason": "crs"}, now - timedelta(minutes=25))


def test_resuming_at_crs_grade_2_shows_why_and_takes_the_prescribers_order(qtbot, ctx):
    b = ctx.bedside
    held_at_grade_2(b)
    window = _window(qtbot, ctx)
    window.open_patient(MRN)
    dialog = window.patient.infusion.make_dialog("resume")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.guard.isVisible()
    assert dialog.guard.reasons.text() == "✖ CRS grade 2: the protocol interrupts the infusion at grade >= 2."
    QTest.keyClicks(dialog.inputs["dose_mcg"], "9")
    QTest.keyClicks(dialog.inputs["duration_h"], "24")
    QTest.keyClick(dialog.inputs["duration_h"], Qt.Key.Key_Return)
    assert b.records(MRN)[-1].record.type == "infusion_stopped"        # refused: nothing written
    assert dialog.guard.reasons.text().endswith("naming the prescriber who ordered it).")
    QTest.keyClicks(dialog.guard.override_reason, "CRS settling, prescriber reviewed")
    QTest.keyClicks(dialog.guard.ordered_by, "Dr Synthetic")
    QTest.keyClick(dialog.guard.ordered_by, Qt.Key.Key_Return)
    resumed = b.records(MRN)[-1].record
    assert (resumed.type, resumed.override_reason, resumed.ordered_by) == (
        "infusion_resumed", "CRS settling, prescriber reviewed", "Dr Synthetic")


# -- import --------------------------------------------------------------------------------------------------------

def test_file_import_previews_then_imports(qtbot, empty_ctx, tmp_path, monkeypatch):
    tl = Timeline("B200")
    tl.add(0, "vitals", temperature_c=37.1)
    tl.add(1, "note", text="settled")
    source = tmp_path / "from_clinic.json"
    source.write_text(json.dumps(tl.as_import([patient(mrn="B200", name="Imported Synthetic", bed="2")])),
                      encoding="utf-8")
    window = _window(qtbot, empty_ctx)
    monkeypatch.setattr(window.files, "ask_import_path", lambda: str(source))
    previews = []

    def drive(dialog) -> None:
        previews.append(dialog.preview.text().replace("\u200b", ""))   # where the path may wrap
        QTest.keyClick(dialog.import_button, Qt.Key.Key_Return)

    when_modal(qtbot, drive)
    press(window.import_action, "Ctrl+Shift+I")
    assert previews == [f"File: {source}\nNew patients: 1 · already here: 0\n"
                        "  • Imported Synthetic · B200 · 7W 2\n"
                        "New records: 2 · already stored: 0\n  • Note: 1\n  • Vitals: 1"]
    assert window.ward.visible_mrns() == ["B200"]
    assert window.statusBar().currentMessage() == "Imported: 1 patients, 2 records (0 already stored)."


def test_a_bad_import_file_is_named_and_nothing_is_written(qtbot, empty_ctx, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text('{"format": "crs-bedside/1", "patients": [], "records": [{"type": "vitals"}]}',
                      encoding="utf-8")
    window = _window(qtbot, empty_ctx)
    from gui.import_dialog import ImportDialog

    dialog = ImportDialog(empty_ctx, source, window)
    qtbot.addWidget(dialog)
    assert dialog.error.text().startswith("✖ records[0].")
    assert dialog.error.text().endswith("Nothing was written.")
    assert not dialog.import_button.isEnabled()
    assert empty_ctx.bedside.store.record_count() == 0


def test_the_banner_link_records_what_the_prompt_asks_for(qtbot, ctx):
    window = _window(qtbot, ctx)
    window.open_patient(MRN)                      # not started: premedication is due before the first dose
    assert "<a href='record:give_premedication'>Record it…</a>" in window.patient.banner.todo.text()

    def drive(dialog) -> None:
        QTest.keyClicks(dialog.inputs["dose_mg"], "20")
        QTest.keyClick(dialog.inputs["dose_mg"], Qt.Key.Key_Return)

    seen = when_modal(qtbot, drive)
    window.patient.banner.todo.linkActivated.emit("record:give_premedication")
    assert seen and seen[0].action == "premedication"
    given = ctx.bedside.records(MRN)[-1].record
    assert (given.type, given.drug.value, given.dose_mg, given.purpose.value) == (
        "medication_given", "dexamethasone", 20.0, "premedication")
    assert "give_premedication" not in [r.code for r in ctx.bedside.state(MRN).recommendations]


def test_the_records_list_says_what_each_round_record_holds(qtbot, ctx):
    from gui.record_text import record_details

    b = ctx.bedside
    _fever(ctx, minutes_ago=5)
    escalation = b.record(MRN, "escalation", {"to": "prescriber", "response": "no_response", "name": "Dr Synthetic",
                                              "acknowledges": ["increase_observations"], "note": "bleep x2"}).record
    not_done = b.record(MRN, "observations_not_done", {"reason": "off_ward", "note": "in radiology"}).record
    moved = b.update_patient(MRN, {"bed": "14", "ward": "8E"}).record
    assert record_details(escalation, "C", b.protocol) == ("Prescriber (Dr Synthetic): No response · answers: Increase "
                                               "observations; antipyretics and supportive care; notify per local "
                                               "policy. – bleep x2")
    assert record_details(not_done, "C", b.protocol) == "Off the ward – in radiology"
    assert record_details(moved, "C", b.protocol) == "ward: 8E · bed: 14"


def test_a_full_round_by_keyboard_admit_vitals_answer_handover(qtbot, empty_ctx, tmp_path, monkeypatch):
    """The round of the README, key by key: Ctrl+N, the patient's fields, Enter; Ctrl+R, the vitals, Enter at each
    step; the prompt waits 16 min and escalates; Ctrl+K answers it; Ctrl+Shift+S saves the handover, which says who
    was called and what they did."""
    from gui.printing import SeverityDialog
    from tests.gui.test_printing import pdf_pages

    window = _window(qtbot, empty_ctx)
    clock = empty_ctx.clock

    def admit(dialog) -> None:
        for name, text in (("mrn", "R500"), ("name", "Round Synthetic"), ("birth_date", "1970-02-03"),
                           ("weight_kg", "72"), ("height_cm", "175"), ("ward", "7W"), ("bed", "9")):
            type_into(dialog.inputs[name], text)
        QTest.keyClick(dialog.inputs["bed"], Qt.Key.Key_Return)

    when_modal(qtbot, admit)
    press(window.admit_action, "Ctrl+N")
    assert window.patient.mrn == "R500"

    def vitals(wizard) -> None:
        steps = [((wizard.temperature.edit, "38.6"), (wizard.heart_rate.edit, "96"),
                  (wizard.respiratory_rate.edit, "18")),
                 ((wizard.systolic.edit, "118"), (wizard.diastolic.edit, "70")), ((wizard.spo2.edit, "97"),), (), ()]
        for fields in steps:
            for edit, text in fields:
                type_into(edit, text)
            QTest.keyClick(wizard.primary, Qt.Key.Key_Return)

    when_modal(qtbot, vitals)
    press(window.vitals_action, "Ctrl+R")
    assert [r.record.type for r in empty_ctx.bedside.records("R500")] == ["vitals"]
    clock.set(clock.now() + timedelta(minutes=16))
    window.patient.refresh()
    assert "Not acknowledged for 15 min" in window.patient.banner.todo.text()

    def answer(dialog) -> None:
        choose(dialog.inputs["to"], "prescriber")
        choose(dialog.inputs["response"], "advice_given")
        type_into(dialog.inputs["name"], "Dr Synthetic")
        type_into(dialog.inputs["note"], "paracetamol 1 g, obs hourly")
        QTest.keyClick(dialog.inputs["note"], Qt.Key.Key_Return)

    when_modal(qtbot, answer)
    press(window.answer_action, "Ctrl+K")
    assert empty_ctx.bedside.state("R500").pending == ()
    out = tmp_path / "round.pdf"
    monkeypatch.setattr(window.handover_actions, "ask_pdf_path", lambda: str(out))
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.handover().pdfSaved, timeout=30000):
        press(window.handover_pdf_action, "Ctrl+Shift+S")
    window.handover().wait()
    text = " ".join(" ".join(pdf_pages(out)).split())
    assert "prescriber (Dr Synthetic) called about" in text
    assert "advice given - paracetamol 1 g, obs hourly" in text
    assert "Answered: prescriber (Dr Synthetic): advice given, by nurse.test - paracetamol 1 g, obs hourly" in text


def test_the_empty_wards_own_button_admits(qtbot, empty_ctx):
    window = _window(qtbot, empty_ctx)
    seen = when_modal(qtbot, lambda dialog: QTest.keyClick(dialog, Qt.Key.Key_Escape))
    window.ward.admit_button.setFocus()
    QTest.keyClick(window.ward.admit_button, Qt.Key.Key_Space)
    assert seen and seen[0].windowTitle() == "Admit a patient"


def test_a_clinician_confirms_a_guarded_restart_by_signing_with_the_pin(qtbot, tmp_path):
    from core.security import Accounts

    clock = FixedClock(T0 + timedelta(days=1))
    store = Store.open(tmp_path / "signed.db")
    try:
        accounts = Accounts(store, clock)
        admin = accounts.create_first_admin("admin.c", "Admin C", "975310")
        doctor = accounts.add_user(admin, "dr.b", "Dr B", ["clinician"], "135799")
        bedside = Bedside(store, shipped_protocol("default"), clock, user=doctor)
        bedside.admit({"mrn": MRN, "name": "Test Patient", "birth_date": "1981-03-02", "weight_kg": 70,
                       "indication": "relapsed_refractory", "ward": "7W", "bed": "12"})
        ctx = AppContext(bedside=bedside, settings=Settings(), settings_file=tmp_path / "s.json", clock=clock,
                         signals=BedsideSignals(), db_path=tmp_path / "signed.db")
        held_at_grade_2(bedside)
        window = _window(qtbot, ctx)
        window.open_patient(MRN)
        dialog = shown(qtbot, window.patient.infusion.make_dialog("resume"))
        assert dialog.guard.pin.isVisible()
        QTest.keyClicks(dialog.inputs["dose_mcg"], "9")
        QTest.keyClicks(dialog.inputs["duration_h"], "24")
        QTest.keyClicks(dialog.guard.override_reason, "CRS settling, reviewed at the bedside")
        QTest.keyClick(dialog.guard.override_reason, Qt.Key.Key_Return)
        assert dialog.form_message.text() == "✖ enter your PIN to sign (an electronic signature)"
        QTest.keyClicks(dialog.guard.pin, "135799")
        QTest.keyClick(dialog.guard.pin, Qt.Key.Key_Return)
        resumed = bedside.records(MRN)[-1].record
        assert (resumed.type, resumed.signature.username) == ("infusion_resumed", "dr.b")
        window.close()
    finally:
        store.close()


def test_on_a_short_screen_the_admit_form_scrolls_and_save_stays_in_view(qtbot, ctx):
    # Half the height the form asks for (a 700-px laptop, large text, messages showing): the fields scroll, Save and
    # Cancel stay on screen, and the keyboard still reaches each field (the focused one is scrolled into view).
    window = _window(qtbot, ctx)
    dialog = shown(qtbot, window.make_patient_dialog("admit"))
    QTest.keyClick(dialog.inputs["mrn"], Qt.Key.Key_Return)       # empty form: every required field says so
    assert dialog.result() == 0 and dialog.messages["mrn"].isVisible()
    short = dialog.height() // 2
    dialog.resize(dialog.width(), short)
    qtbot.waitUntil(lambda: dialog.form_scroll.verticalScrollBar().maximum() > 0)
    assert dialog.height() == short
    for button in (dialog.save_button, dialog.cancel_button):
        top_left = button.mapTo(dialog, button.rect().topLeft())
        assert dialog.rect().contains(top_left) and top_left.y() + button.height() <= dialog.height()
    last = list(dialog.inputs.values())[-1]
    for _ in range(3 * len(dialog.inputs)):                      # Tab from field to field down the form
        if dialog.focusWidget() is last:
            break
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is last and dialog.form_scroll.verticalScrollBar().value() > 0
    viewport = dialog.form_scroll.viewport()
    assert viewport.rect().contains(last.mapTo(viewport, last.rect().center()))
