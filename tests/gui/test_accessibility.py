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


def test_the_banner_reads_out_what_to_do_the_management_and_why_with_their_sentences(qtbot, demo_ctx):
    """AT-SPI reads a label's accessible name and description (QAccessibleInterface.text): the sentences a sighted
    nurse reads, not only the headings (issue 14)."""
    from PySide6.QtGui import QAccessible

    from gui.patient_page import PatientPage

    page = PatientPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.set_patient("DEMO-004")
    banner = page.banner

    def spoken(label) -> tuple[str, str]:
        face = QAccessible.queryAccessibleInterface(label)
        return face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description)

    name, description = spoken(banner.todo)
    assert name.startswith("What to do now: ") and "CRS grade 3: emergency medical review now." in name
    assert description == name.removeprefix("What to do now: ")
    name, description = spoken(banner.management)
    assert name == f"Management (grade 3): {banner.management.text()}" and description == banner.management.text()
    name, description = spoken(banner.why)
    assert name.startswith("Why: T 38.3 °C, SBP 104 mmHg and on nasal cannula 7 L/min → grade 3")
    assert "For clinicians: grade rules" in description
