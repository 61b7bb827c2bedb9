"""The records list: corrections struck through with their reason, never removed."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from gui.patient_page import PatientPage
from gui.records_view import COL_DETAILS, COL_STATUS, COL_TYPE, SUPERSEDED_ROLE, RecordsTableModel

NORMAL = {"temperature_c": 38.4, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122, "diastolic_bp": 76,
          "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}


def test_records_model_passes_the_model_tester(qtmodeltester, demo_ctx):
    model = RecordsTableModel(demo_ctx.bedside.protocol)
    model.set_records(demo_ctx.bedside.records("DEMO-003"))
    assert model.rowCount() == 9       # premedication, start, 3 sets, bolus, stop, paracetamol, CRP
    qtmodeltester.check(model)


def test_records_are_listed_newest_first_in_words(qtbot, ctx, clock):
    ctx.bedside.record("A100", "fluid_bolus", {"volume_ml": 500}, at=clock.now() - timedelta(hours=1))
    ctx.bedside.record_vitals("A100", NORMAL)
    model = RecordsTableModel(ctx.bedside.protocol)
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
    # the fold drops the corrected set: no vital signs are left, so the grade is not shown as a reassuring "No CRS"
    assert page.banner.crs_chip.text() == "○ CRS not assessed\nno vital signs recorded"
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
    correction_row = next(r for r in range(2) if view.model.index(r, COL_TYPE).data() == "Correction")
    view.table.setCurrentIndex(view.model.index(correction_row, COL_DETAILS))
    view.mark_entered_in_error()
    assert view.message.text() == "This record is already a correction or already marked."
    assert len(ctx.bedside.records("A100")) == 2


def _ids(model: RecordsTableModel) -> list[str]:
    from gui.records_view import RECORD_ID_ROLE
    return [model.index(r, 0).data(RECORD_ID_ROLE) for r in range(model.rowCount())]


def test_a_new_set_goes_on_top_and_the_highlighted_record_stays_highlighted(qtbot, ctx, clock):
    ctx.bedside.record("A100", "fluid_bolus", {"volume_ml": 500}, at=clock.now() - timedelta(hours=2))
    ctx.bedside.record_vitals("A100", NORMAL, at=clock.now() - timedelta(hours=1))
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    view = page.records
    view.table.setCurrentIndex(view.model.index(1, COL_DETAILS))          # the bolus
    assert view.model.index(view.table.currentIndex().row(), COL_TYPE).data() == "Fluid bolus"
    ctx.bedside.record_vitals("A100", dict(NORMAL, temperature_c=39.1))
    ctx.signals.recordsChanged.emit("A100")
    assert [view.model.index(r, COL_TYPE).data() for r in range(3)] == ["Vitals", "Vitals", "Fluid bolus"]
    assert view.model.index(0, COL_DETAILS).data().startswith("T 39.1 °C")
    assert view.model.index(view.table.currentIndex().row(), COL_TYPE).data() == "Fluid bolus"


def test_the_list_kept_up_to_date_always_equals_a_fresh_read(qtbot, qtmodeltester, ctx, clock):
    # New sets, a back-dated one, a correction of an old row, a change of unit: each step the page's list (read
    # incrementally) equals the list read afresh, row for row and cell for cell.
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.set_patient("A100")
    qtmodeltester.check(page.records.model)
    steps = [
        lambda: ctx.bedside.record_vitals("A100", NORMAL, at=clock.now() - timedelta(hours=3)),
        lambda: ctx.bedside.record_vitals("A100", dict(NORMAL, temperature_c=37.2)),
        lambda: ctx.bedside.record("A100", "fluid_bolus", {"volume_ml": 250}, at=clock.now() - timedelta(hours=5)),
        lambda: ctx.bedside.correct("A100", ctx.bedside.records("A100")[0].record.id.__str__(), "wrong set"),
        lambda: setattr(ctx.settings, "temperature_unit", "F"),
        lambda: ctx.bedside.record_vitals("A100", dict(NORMAL, temperature_c=38.0)),
    ]
    for step in steps:
        clock.set(clock.now() + timedelta(minutes=10))
        step()
        ctx.signals.recordsChanged.emit("A100")
        fresh = RecordsTableModel(ctx.bedside.protocol)
        fresh.set_records(ctx.bedside.records("A100"), unit=ctx.settings.temperature_unit)
        shown = page.records.model
        assert _ids(shown) == _ids(fresh)
        for role in (Qt.ItemDataRole.DisplayRole, SUPERSEDED_ROLE):
            assert [[shown.index(r, c).data(role) for c in range(5)] for r in range(shown.rowCount())] == \
                [[fresh.index(r, c).data(role) for c in range(5)] for r in range(fresh.rowCount())]
    assert page.records.model.rowCount() == 5        # 3 sets, the bolus, the correction


def test_rows_in_view_are_as_tall_as_their_wrapped_text_and_only_those_are_measured(qtbot, ctx, clock):
    # A long stay: measuring every row after each save froze the window for a second (issue 20); the rows a nurse
    # sees are still never cut (issue 14), wherever she scrolls.
    from PySide6.QtTest import QTest

    note = "Patient asked about the evening dose and the plan for tomorrow; family updated at the bedside. " * 2
    ctx.bedside.record_many("A100", [("note", {"text": f"{note}#{i}"}) for i in range(120)],
                            at=clock.now() - timedelta(hours=1))
    page = PatientPage(ctx)
    qtbot.addWidget(page)
    page.resize(640, 600)
    page.show()
    page.set_patient("A100")
    page.tabs.setCurrentWidget(page.records)
    table = page.records.table
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0) > table.fontMetrics().height() * 1.5)

    def in_view() -> range:
        last = table.rowAt(table.viewport().height() - 1)
        return range(max(table.rowAt(0), 0), (last if last >= 0 else table.model().rowCount() - 1) + 1)

    assert all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in in_view())
    default = table.verticalHeader().defaultSectionSize()
    assert table.rowHeight(110) == default              # far below the view: not measured yet
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: table.rowAt(0) > 60)
    qtbot.wait(10)
    assert all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in in_view())
    assert table.rowHeight(110) > default
