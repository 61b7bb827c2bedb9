"""The vitals wizard's fields: a numeric field of the vitals record with its unit, range, inline message, soft-limit
confirmation and °F conversion offer; a combo box of an enumeration in words; the message sheets the forms share."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from core.records import VitalsFields, field_limits
from core.units import celsius_to_fahrenheit, fahrenheit_to_celsius
from gui import status_style as ss
from gui import words as w
from gui.i18n import Wizard

NUMBER_PATTERN = QRegularExpression(r"^\d{0,3}([.,]\d{0,2})?$")
ERROR_SHEET = f"color: #000000; background-color: #FBE3D6; border-left: 4px solid {ss.VERMILLION}; padding: 2px;"
WARNING_SHEET = f"color: #000000; background-color: #FDF6C3; border-left: 4px solid {ss.ORANGE}; padding: 2px;"



def _strip_field(message: str) -> str:
    """Core names the field first (``temperature_c: ...``); next to the field the name is not needed."""
    head, sep, rest = message.partition(": ")
    return rest if sep and " " not in head else message


def _number_text(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() or isinstance(value, int) else f"{value:.1f}"


def _combo(table: dict[str, str], enumeration: Any, label_text: str) -> tuple[QComboBox, QLabel]:
    """A combo box of an enumeration in words (the first value preselected), with its label as buddy and name."""
    combo = QComboBox()
    for member in enumeration:
        combo.addItem(w.word(table, member), member.value)
    combo.setAccessibleName(label_text.replace("&", ""))
    label = QLabel(label_text)
    label.setBuddy(combo)
    return combo, label


class NumberInput:
    """One numeric field of VitalsFields: the edit, its unit and range, the inline message, the soft-limit
    confirmation and (for temperature) the °F conversion offer."""

    def __init__(self, name: str, label: str, unit_f: bool = False):
        self.name = name
        self.limits = field_limits(VitalsFields, name)
        self.fahrenheit = unit_f
        self.is_int = "decimals" not in self.limits
        self.label = QLabel(label)
        self.edit = QLineEdit()
        self.edit.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, self.edit))
        self.edit.setAccessibleName(label.replace("&", ""))
        self.edit.setMaxLength(7)
        self.edit.setMaximumWidth(self.edit.fontMetrics().averageCharWidth() * 12)
        self.label.setBuddy(self.edit)
        lo, hi = self.limits.get("ge"), self.limits.get("le")
        unit = self.limits.get("unit", "")
        if unit_f and lo is not None and hi is not None:
            lo, hi, unit = celsius_to_fahrenheit(lo), celsius_to_fahrenheit(hi), "°F"
        self.hint = QLabel(f"{unit}   ({_number_text(lo)}–{_number_text(hi)})" if lo is not None and hi is not None
                           else unit)
        self.hint.setAccessibleName(Wizard.tr("Range of %1").replace("%1", self.edit.accessibleName()))
        self.edit.setAccessibleDescription(self.hint.text())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(Wizard.tr("Message for %1").replace("%1", self.edit.accessibleName()))
        self.message.hide()
        self.confirm = QCheckBox(Wizard.tr("The value is correct"))
        self.confirm.setAccessibleName(Wizard.tr("Confirm the unusual %1").replace("%1", self.edit.accessibleName()))
        self.confirm.hide()
        self.offer = QPushButton()
        self.offer.setAccessibleName(Wizard.tr("Use the converted value"))
        self.offer.setAutoDefault(False)
        self.offer.hide()
        self.offer.clicked.connect(self._on_offer_clicked)
        self._offer_value: float | None = None
        self.edit.textEdited.connect(self._on_edit_text_edited)

    def add_to(self, grid: QGridLayout, row: int) -> int:
        """Place the field in a grid; returns the next free row."""
        grid.addWidget(self.label, row, 0)
        grid.addWidget(self.edit, row, 1)
        grid.addWidget(self.hint, row, 2)
        extra = QHBoxLayout()
        extra.addWidget(self.message, 1)
        extra.addWidget(self.confirm)
        extra.addWidget(self.offer)
        grid.addLayout(extra, row + 1, 1, 1, -1)
        return row + 2

    def set_visible(self, visible: bool) -> None:
        """Show or hide the field (hidden fields are not recorded)."""
        for widget in (self.label, self.edit, self.hint):
            widget.setVisible(visible)
        if not visible:
            self.clear_message()

    def visible(self) -> bool:
        """Whether the field is in use."""
        return not self.edit.isHidden()

    def _on_edit_text_edited(self, _text: str) -> None:
        self.clear_message()
        self.confirm.setChecked(False)

    def _on_offer_clicked(self) -> None:
        if self._offer_value is not None:
            self.edit.setText(f"{self._offer_value:.1f}")
            self.clear_message()
            self.edit.setFocus()

    def clear_message(self) -> None:
        """Hide the message, the confirmation and the offer."""
        self.message.hide()
        self.message.clear()
        self.confirm.hide()
        self.offer.hide()
        self._offer_value = None

    def show_error(self, text: str) -> None:
        """A value that core refuses: the message next to the field."""
        self.message.setText("✖ " + text)
        self.message.setStyleSheet(ERROR_SHEET)
        self.message.show()

    def show_warning(self, text: str) -> None:
        """A value outside the soft range: confirm to go on."""
        self.message.setText("⚠ " + text)
        self.message.setStyleSheet(WARNING_SHEET)
        self.message.show()
        self.confirm.show()

    def show_offer(self, value: float, unit: str) -> None:
        """Offer the conversion (RULES.md §5, V39): a °F value in °C mode as °C, a °C value in °F mode as °F."""
        self._offer_value = value
        self.offer.setText(Wizard.tr("Use %1 %2").replace("%1", f"{value:.1f}").replace("%2", unit))
        self.offer.setAccessibleName(self.offer.text())
        self.offer.show()

    def raw(self) -> float | int | None:
        """The typed number (°F converted to °C), ``None`` when empty. Raises ValueError for a partial number."""
        text = self.edit.text().strip().replace(",", ".")
        if not text or not self.visible():
            return None
        if text == ".":
            raise ValueError(text)
        value: float | int = float(text) if ("." in text or not self.is_int) else int(text)
        if self.fahrenheit:
            value = fahrenheit_to_celsius(float(value))
        return value
