"""The shell: ward and patient pages by keyboard, the status bar, the demo made unmistakable, settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.main_window import MainWindow
from gui.settings import Settings
from gui.wizard import VitalsWizard


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def test_status_bar_names_the_database_the_user_the_protocol_and_demo(qtbot, demo_ctx, db_path):
    window = _window(qtbot, demo_ctx)
    texts = [label.text() for label in (window.db_label, window.user_label, window.protocol_label)]
    assert texts == [f"Database: {db_path.name}", "User: nurse.test", "Protocol: default v1"]
    # the whole path, which would not fit a status bar, is in the tooltip and read out
    assert window.db_label.toolTip() == window.db_label.accessibleDescription() == f"Database: {db_path}"
    assert window.demo_strip.isVisible()
    assert window.demo_strip.text() == "⚠  DEMO WARD – synthetic patients, not for clinical use  ⚠"
    assert window.windowTitle() == "CRS Bedside – DEMO WARD"


def test_a_real_ward_shows_no_demo_marks(qtbot, ctx):
    window = _window(qtbot, ctx)
    assert not window.demo_strip.isVisible()
    assert window.windowTitle() == "CRS Bedside"


def test_keyboard_round_ward_enter_patient_escape_ward(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    assert window.pages.currentWidget() is window.ward
    QTest.keyClick(window.ward.table, Qt.Key.Key_Down)           # from the most acute to the next
    assert window.ward.current_mrn() == "DEMO-008"
    QTest.keyClick(window.ward.table, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.patient and window.patient.mrn == "DEMO-008"
    assert window.patient.title.text() == "Bed 8 · Quinn Demo-Adeyemi"
    window.back_action.trigger()                                   # Esc
    assert window.back_action.shortcut().toString() == "Esc"
    assert window.pages.currentWidget() is window.ward and window.ward.current_mrn() == "DEMO-008"


def test_ctrl_r_opens_the_wizard_for_the_patient_and_shows_the_result(qtbot, demo_ctx, monkeypatch):
    window = _window(qtbot, demo_ctx)
    window.open_patient("DEMO-001")
    opened = []

    def fake_exec(wizard: VitalsWizard) -> int:                  # the modal loop is mocked, not the wizard
        opened.append(wizard.mrn)
        wizard.temperature.edit.setText("38.4")
        for _ in range(5):
            wizard.advance()
        return wizard.result()

    monkeypatch.setattr(VitalsWizard, "exec", fake_exec)
    assert window.vitals_action.shortcut().toString() == "Ctrl+R"
    window.vitals_action.trigger()
    assert opened == ["DEMO-001"]
    assert window.patient.banner.crs_chip.text() == "▲ CRS grade 1"
    assert window.statusBar().currentMessage() == "Vitals saved."


def test_temperature_unit_setting_changes_the_screen_and_is_saved(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    window.open_patient("DEMO-002")
    assert "T 38.4 °C" in window.patient.banner.why.text()
    window.set_temperature_unit("F")
    assert "T 101.1 °F" in window.patient.banner.why.text()
    assert Settings.load(demo_ctx.settings_file).temperature_unit == "F"
    window.set_language("es")
    assert Settings.load(demo_ctx.settings_file).language == "es"
    assert window.statusBar().currentMessage() == "The language changes the next time CRS Bedside starts."
