"""The handover from the main window: the PDF saved from the File menu is the same document as the command line's."""

from __future__ import annotations

import subprocess

import pytest

from gui.main_window import MainWindow
from gui.printing import SeverityDialog


@pytest.fixture(autouse=True)
def accept_severities(monkeypatch):
    """The nurse accepts the suggested illness severities (the modal dialog before anything prints)."""
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_save_handover_pdf_of_the_patient_on_screen(qtbot, demo_ctx, tmp_path, monkeypatch):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.open_patient("DEMO-003")
    target = tmp_path / "bed3"
    monkeypatch.setattr(window.handover_actions, "ask_pdf_path", lambda: str(target))
    window.handover_pdf_action.trigger()
    with qtbot.waitSignal(window.handover().pdfSaved, timeout=30_000) as saved:
        pass
    assert saved.args == [str(target) + ".pdf"]
    text = _text(saved.args[0])
    assert "Jordan Demo-Lee" in text and "DEMO-003" in text
    assert "Quinn Demo-Adeyemi" not in text               # one patient, not the ward
    assert "not an order" in text
    window.handover().wait()
    window.stop_timers()


def test_the_ward_handover_from_the_ward_view_lists_every_patient(qtbot, demo_ctx, tmp_path, monkeypatch):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    target = tmp_path / "ward.pdf"
    monkeypatch.setattr(window.handover_actions, "ask_pdf_path", lambda: str(target))
    window.save_handover_pdf()
    with qtbot.waitSignal(window.handover().pdfSaved, timeout=60_000):
        pass
    text = _text(target)
    for mrn in ("DEMO-001", "DEMO-004", "DEMO-008"):
        assert mrn in text
    window.handover().wait()
    window.stop_timers()
