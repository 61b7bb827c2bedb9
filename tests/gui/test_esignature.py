"""Clinician acts are electronic signatures (21 CFR Part 11 §11.50/§11.200, issue 15): confirming or overriding a
grade and closing an episode ask for the PIN again, core checks it, and the record states what the signature means;
the audit trail and the handover show it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from core.handover import build_handover, patient_html
from gui.clinician_dialogs import ClinicianEntryDialog
from gui.main_window import MainWindow
from gui.record_text import local_datetime
from tests.gui.safety_support import CLINICIAN_PIN, context_for, ward_with_accounts


@pytest.fixture
def ward(tmp_path, clock):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    yield ward
    ward.store.close()


@pytest.fixture
def window(qtbot, ward, clock, tmp_path):
    ctx = context_for(ward, "carl", clock, tmp_path)
    ctx.bedside.record_vitals("A100", {"temperature_c": 38.6}, at=clock.now() - timedelta(minutes=30))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient("A100")
    yield window
    window.stop_timers()


def _type_and_ok(qtbot, dialog: ClinicianEntryDialog, reason: str, pin: str, grade: int | None = None) -> None:
    if grade is not None:
        dialog.grade.setValue(grade)
    qtbot.keyClicks(dialog.reason, reason)
    qtbot.keyClicks(dialog.pin, pin)
    dialog.show()
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)   # Enter presses OK (the dialog's default button)


def test_the_grade_dialog_asks_for_the_pin_and_a_wrong_one_saves_nothing(qtbot, window, ward, clock):
    dialog = window.make_grade_dialog()
    qtbot.addWidget(dialog)
    assert dialog.pin.isVisibleTo(dialog) and dialog.pin.echoMode() == dialog.pin.EchoMode.Password
    dialog.save = lambda d: window.ctx.bedside.record("A100", "grade_confirmed",
                                                     {"grade": d.grade.value(), "reason": d.reason_text()},
                                                     pin=d.pin_text())
    _type_and_ok(qtbot, dialog, "fever only", "wrong-pin-0000")
    assert dialog.error.text() == "pin: Wrong user name or PIN. Nothing was signed or saved."
    assert dialog.pin.text() == "" and dialog.result() == 0
    assert [s.record.type for s in ward.store.records("A100")] == ["vitals"]
    assert ward.store.auth_outcomes("carl", clock.now() - timedelta(minutes=1))[0] == "bad_pin"


def test_confirming_with_the_pin_stores_the_signature_and_its_meaning(qtbot, window, ward, clock, monkeypatch):
    def fake_exec(dialog: ClinicianEntryDialog) -> int:
        _type_and_ok(qtbot, dialog, "fever only", CLINICIAN_PIN)
        return dialog.result()

    monkeypatch.setattr(ClinicianEntryDialog, "exec", fake_exec)
    window.confirm_grade()
    stored = ward.store.records("A100")[-1].record
    assert stored.type == "grade_confirmed" and stored.grade == 1
    assert (stored.signature.username, stored.signature.name, stored.signature.meaning, stored.signature.signed_at) \
        == ("carl", "Carl Clinician", "confirms the computed CRS grade 1", clock.now())
    window.show()
    window.patient.tabs.setCurrentWidget(window.audit)
    details = [window.audit.model.data(window.audit.model.index(row, column))
               for row in range(window.audit.model.rowCount()) for column in range(window.audit.model.columnCount())]
    assert "grade 1: fever only · e-signature of Carl Clinician (carl), " \
        f"{local_datetime(clock.now())}: confirms the computed CRS grade 1" in details
    handover = build_handover(window.ctx.bedside, mrns=["A100"], app_version="test")
    html = patient_html(handover.patients[0], handover.info)
    assert "signed electronically by Carl Clinician (carl)" in html and "confirms the computed CRS grade 1" in html


def test_an_override_and_a_closed_episode_say_so(qtbot, window, ward, monkeypatch):
    bedside = window.ctx.bedside
    bedside.record("A100", "grade_confirmed", {"grade": 3, "reason": "pressor started"}, pin=CLINICIAN_PIN)
    bedside.record("A100", "crs_episode_closed", {"reason": "line infection"}, pin=CLINICIAN_PIN)
    meanings = [s.record.signature.meaning for s in ward.store.records("A100")[1:]]
    assert meanings == ["overrides the computed CRS grade 1 with grade 3", "closes the open CRS episode"]
    with pytest.raises(Exception, match="pin: enter your PIN to sign"):
        bedside.record("A100", "grade_confirmed", {"grade": 2, "reason": "x"})
    assert len(ward.store.records("A100")) == 3
