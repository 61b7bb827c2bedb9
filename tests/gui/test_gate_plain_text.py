"""Everything shown in the window is plain text (issue 15): markup typed into a name or a note is shown as typed and
never loads anything (an ``<img>`` in a name used to load a local file)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from core.protocol import shipped_protocol
from core.services import Bedside, open_database
from gui.context import AppContext, BedsideSignals
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.scenario import patient

MARKUP = "<img src='/etc/hostname'><b>Ann</b>"


def test_markup_in_a_name_a_reason_and_a_note_is_shown_as_typed(qtbot, tmp_path, clock):
    store = open_database(tmp_path / "w.db")
    store.append([patient(name=MARKUP)], [], recorded_by="setup", now=clock.now())
    bedside = Bedside(store, shipped_protocol("default"), clock, "nina")
    bedside.record("A100", "note", {"text": MARKUP}, at=clock.now() - timedelta(minutes=5))
    bedside.record("A100", "grade_confirmed", {"grade": 0, "reason": MARKUP})
    window = MainWindow(AppContext(bedside=bedside, settings=Settings(), settings_file=None, clock=clock,
                                   signals=BedsideSignals(), db_path=store.path))
    qtbot.addWidget(window)
    window.show()
    window.open_patient("A100")
    labels = [label for label in window.patient.findChildren(QLabel) if MARKUP in label.text()]
    assert {label.objectName() or label.accessibleName() for label in labels}   # the name and the reason are shown
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert window.patient.title.text() == f"Bed 12 · {MARKUP}"
    records = window.patient.records.model
    tooltips = [records.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                for row in range(records.rowCount()) for column in range(records.columnCount())]
    assert f"<p>{MARKUP.replace('<', '&lt;').replace('>', '&gt;')}</p>" in tooltips
    assert not any("<img" in str(tip) for tip in tooltips)
    window.stop_timers()
    store.close()
