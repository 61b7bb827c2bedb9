"""The audit tab: who entered what, when, when it happened, and what struck it out; a tested Qt model."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from gui.audit_view import COL_DETAILS, COL_ENTERED_BY, COL_SUPERSEDED, COL_WHAT, AuditTableModel
from gui.main_window import MainWindow
from gui.record_text import local_datetime
from tests.gui.conftest import advance
from tests.gui.safety_support import context_for, ward_with_accounts


def _scenario(ward, clock, tmp_path):
    """nina records vitals (for 30 min ago) and a note; carl strikes the vitals out as the wrong patient."""
    nina = context_for(ward, "nina", clock, tmp_path)
    vitals = nina.bedside.record_vitals("A100", {"temperature_c": 38.4, "heart_rate": 104},
                                        at=clock.now() - timedelta(minutes=30)).record
    advance(clock, minutes=2)
    nina.bedside.record("A100", "note", {"text": "Patient comfortable"})
    advance(clock, minutes=5)
    carl = context_for(ward, "carl", clock, tmp_path)
    carl.bedside.correct("A100", str(vitals.id), "wrong patient")
    return carl


def test_the_audit_model_passes_the_model_tester(qtmodeltester, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ctx = _scenario(ward, clock, tmp_path)
    model = AuditTableModel(ctx.bedside.protocol)
    model.set_entries("A100", ctx.bedside.audit("A100"))
    qtmodeltester.check(model)
    model.set_entries("A100", [])
    qtmodeltester.check(model)
    ward.store.close()


def test_a_correction_shows_who_what_when_and_what_it_struck_out(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    start = clock.now()
    ctx = _scenario(ward, clock, tmp_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient("A100")
    window._show_tab(window.audit)
    assert window.patient.tabs.currentWidget() is window.audit
    assert window.patient.tabs.tabText(window.patient.tabs.indexOf(window.audit)) == "&Audit"
    model = window.audit.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == \
        ["Entered", "Entered by", "What", "Happened", "Details", "Superseded by"]
    assert rows == [
        ["#1 · " + local_datetime(start), "nina", "Vitals", local_datetime(start - timedelta(minutes=30)),
         "T 38.4 °C · P 104", "#3 – wrong patient"],
        ["#2 · " + local_datetime(start + timedelta(minutes=2)), "nina", "Note",
         local_datetime(start + timedelta(minutes=2)), "Patient comfortable", ""],
        ["#3 · " + local_datetime(start + timedelta(minutes=7)), "carl", "Correction",
         local_datetime(start + timedelta(minutes=7)), "strikes out #1: wrong patient", ""],
    ]
    struck = model.index(0, COL_WHAT).data(Qt.ItemDataRole.FontRole)
    assert struck is not None and struck.strikeOut()
    assert model.index(1, COL_WHAT).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, COL_DETAILS).data(Qt.ItemDataRole.AccessibleTextRole).endswith("(struck out)")
    assert model.index(0, COL_SUPERSEDED).data(Qt.ItemDataRole.ToolTipRole).endswith(
        "Struck out: entered in error (it stays visible).</p>")   # plain text, made safe for a tooltip
    window.stop_timers()
    ward.store.close()


def test_the_audit_tab_follows_new_records_and_names_who_the_import_said(qtbot, ctx, clock):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient("A100")
    assert window.audit.model.rowCount() == 0
    ctx.bedside.record("A100", "note", {"text": "seen by the night team", "by": "night.nurse"})
    ctx.signals.recordsChanged.emit("A100")
    assert window.audit.model.rowCount() == 0              # a hidden tab waits (recording stays quick) ...
    window.show()
    window.patient.tabs.setCurrentWidget(window.audit)
    assert window.audit.model.rowCount() == 1              # ... and is up to date the moment it is shown
    assert window.audit.model.index(0, COL_ENTERED_BY).data() == "nurse.test (record says night.nurse)"
    window.stop_timers()
