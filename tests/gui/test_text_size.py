"""View → Text size (Ctrl++ / Ctrl+−, Ctrl+0): the whole window's text grows for reading at arm's length, and each
user's choice is remembered in the settings file (issue 14)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.settings import Settings
from gui.text_size import STEPS


@pytest.fixture
def base_size():
    app = QApplication.instance()
    font = app.font()
    yield font.pointSizeF()
    app.setFont(font)


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_ctrl_plus_and_minus_change_the_text_and_are_remembered_per_user(qtbot, ctx, base_size, tmp_path):
    window = _window(qtbot, ctx)
    assert window.larger_action.shortcut() == QKeySequence(QKeySequence.StandardKey.ZoomIn)
    assert window.smaller_action.shortcut() == QKeySequence(QKeySequence.StandardKey.ZoomOut)
    window.larger_action.trigger()
    window.larger_action.trigger()
    assert QApplication.instance().font().pointSizeF() == pytest.approx(base_size * STEPS[2])
    assert window.statusBar().currentMessage() == "Text size: 130 %"
    saved = json.loads(ctx.settings_file.read_text(encoding="utf-8"))
    assert saved["text_scales"] == {"nurse.test": STEPS[2]}
    window.smaller_action.trigger()
    assert Settings.load(ctx.settings_file).text_scales == {"nurse.test": STEPS[1]}
    # the next window for the same user opens at that size; another user keeps the normal size
    window.close()
    QApplication.instance().setFont(QApplication.instance().font())
    again = _window(qtbot, ctx)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(base_size * STEPS[1])
    ctx.bedside.user = "nurse.other"
    again.apply_user_text_size()
    assert QApplication.instance().font().pointSizeF() == pytest.approx(base_size)


def test_text_size_stays_within_its_steps(qtbot, ctx, base_size):
    window = _window(qtbot, ctx)
    for _ in range(len(STEPS) + 2):
        window.larger_action.trigger()
    assert ctx.settings.text_scales["nurse.test"] == STEPS[-1]
    for _ in range(len(STEPS) + 2):
        window.smaller_action.trigger()
    assert ctx.settings.text_scales["nurse.test"] == STEPS[0] == 1.0
