"""The records list: corrections struck through with their reason, never removed."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from gui.patient_page import PatientPage
from gui.records_view import COL_DETAILS, COL_STATUS, COL_TYPE, SUPERSEDED_ROLE, RecordsTableModel

NORMAL = {"temperature_c": 38.4, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122, "diastolic_bp": 76,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def test_records_model_passes_the_model_tester(qtmodeltester, demo_ctx):
    model = RecordsTableModel()
    model.set_records(demo_ctx.bedside.records("DEMO-003"))
    assert model.rowCount() == 9       # premedication, start, 3 sets, bolus, stop, paracetamol, CRP
    qtmodeltester.check(model)


def test_records_are_listed_newest_first_in_words(qtbot, ctx, clock):
    ctx.bedside.record("A100", "fluid_bolus", {"volume_ml": 500}, at=clock.now() - timedelta(hours=1))
    ctx.bedside.record_vitals("A100", NORMAL)
    model = RecordsTableModel()
    model.set_records(ctx.bedside.records("A100"))
    assert [model.index(r, COL_TYPE).data() for r in range(2)] == ["Vitals", "Fluid bolus"]
    assert model.index(0, COL_DETAILS).data() == \
        "T 38.4 °C · P 78 · RR 16 · BP 122/76 · SpO2 97 % · Room air · Alert"
    model.set_records(ctx.bedside.records("A100"), unit="F")
    assert model.index(0, COL_DETAILS).data().startswith("T 101.1 °F")


def test_marking_a_record_entered_in_error_strikes_it_through_with_the_reason(qtbot, ctx, monkeypatch):
    ctx.bedside.record_vitals("A100", NORMAL)
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    assert page.banner.crs_chip.text() == "▲ CRS grade 1"
    view = page.records
    view.table.setCurrentIndex(view.model.index(0, COL_DETAILS))
    asked = []
    monkeypatch.setattr(view, "ask_reason", lambda summary: asked.append(summary) or "wrong patient")
    view.mark_entered_in_error()
    assert asked and "Vitals · T 38.4 °C" in asked[0]
    model = view.model
    assert model.rowCount() == 2                                   # the original stays, with the correction
    rows = {model.index(r, COL_TYPE).data(): r for r in range(2)}
    original = rows["Vitals"]
    assert model.index(original, COL_DETAILS).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert model.index(original, COL_DETAILS).data(SUPERSEDED_ROLE) is True
    assert model.index(original, COL_STATUS).data().startswith("Entered in error: wrong patient (nurse.test, ")
    assert model.index(original, COL_DETAILS).data(Qt.ItemDataRole.AccessibleTextRole).endswith(
        "(entered in error)")
    assert model.index(rows["Correction"], COL_STATUS).data() == "Correction"
    assert page.banner.crs_chip.text() == "● No CRS"                # the fold drops the corrected set
    assert view.message.text() == "Marked entered in error."


def test_a_correction_cannot_be_corrected_and_cancel_writes_nothing(qtbot, ctx, monkeypatch):
    ctx.bedside.record_vitals("A100", NORMAL)
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    view = page.records
    monkeypatch.setattr(view, "ask_reason", lambda summary: None)  # the nurse cancels
    view.table.setCurrentIndex(view.model.index(0, COL_DETAILS))
    view.mark_entered_in_error()
    assert len(ctx.bedside.records("A100")) == 1
    monkeypatch.setattr(view, "ask_reason", lambda summary: "typo")
    view.mark_entered_in_error()
    correction_row = [r for r in range(2) if view.model.index(r, COL_TYPE).data() == "Correction"][0]
    view.table.setCurrentIndex(view.model.index(correction_row, COL_DETAILS))
    view.mark_entered_in_error()
    assert view.message.text() == "This record is already a correction or already marked."
    assert len(ctx.bedside.records("A100")) == 2
