"""One language and one unit on every screen and page (issue 14): months follow the window's language (QLocale),
and the handover the window prints is in the window's language and temperature unit."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication

from gui.i18n import install_translators, remove_translators
from gui.printing import HandoverController, SeverityDialog
from gui.record_text import local_datetime


def test_months_follow_the_language(qapp):
    january = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    translators = install_translators(qapp, "es")
    try:
        assert " ene " in local_datetime(january)
    finally:
        remove_translators(qapp, translators)
    translators = install_translators(qapp, "en")
    try:
        assert " Jan " in local_datetime(january)
    finally:
        remove_translators(qapp, translators)


def test_the_window_prints_the_handover_in_its_language_and_unit(qtbot, demo_ctx, tmp_path, monkeypatch):
    demo_ctx.settings.language = "es"
    demo_ctx.settings.temperature_unit = "F"
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)
    controller = HandoverController(demo_ctx, None)
    out = tmp_path / "handover.pdf"
    with qtbot.waitSignal(controller.pdfSaved, timeout=60000):
        controller.save_pdf(str(out))
    controller.wait()
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Relevo de la planta" in text and "INESTABLE" in text and "Ward handover" not in text
    assert "°F" in text and "T >= 100.4 °F" in text
    QApplication.processEvents()
