"""Accessibility: every control has a name, fonts follow the system, focus is always visible."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from gui.app import style_sheet
from gui.main_window import MainWindow
from gui.wizard import VitalsWizard

GUI = Path(__file__).resolve().parents[2] / "gui"


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for kind in (QLineEdit, QComboBox, QAbstractButton, QAbstractSpinBox):
        for widget in root.findChildren(kind):
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
                continue   # the edit inside a spin box or combo box: its owner carries the name
            if widget.objectName().startswith("qt_") or widget.objectName() == "ScrollLeftButton" \
                    or widget.objectName() == "ScrollRightButton":
                continue   # Qt's own helpers (table corner, tab scroll arrows, menu extension)
            text = widget.text().replace("&", "").strip() if isinstance(widget, QAbstractButton) else ""
            if not widget.accessibleName() and not text:
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_of_the_wizard_has_an_accessible_name(qtbot, ctx):
    wizard = VitalsWizard(ctx, "A100")
    qtbot.addWidget(wizard)
    assert _unnamed(wizard) == []


def test_every_control_of_the_main_window_has_an_accessible_name(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.open_patient("DEMO-003")
    assert _unnamed(window) == []


def test_no_pixel_font_sizes_anywhere_in_the_gui():
    offenders = [f"{path.name}: {m.group(0)}" for path in GUI.glob("*.py")
                 for m in re.finditer(r"font-size\s*:|setPointSize\(\s*\d|QFont\([^)]*,\s*\d", path.read_text())]
    assert offenders == []


def test_focus_is_always_visible():
    sheet = style_sheet()
    for selector in ("QLineEdit:focus", "QComboBox:focus", "QPushButton:focus", "QCheckBox:focus",
                     "QTableView:focus", "QDateTimeEdit:focus"):
        assert selector in sheet
    assert "border: 3px solid #0072B2" in sheet
