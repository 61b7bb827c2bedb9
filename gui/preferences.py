"""The Settings menu and the text size: °C or °F, the language of the next start, and each user's text size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from gui.text_size import apply_text_scale, next_step

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class Preferences(QObject):
    """Changes the settings the menus offer, saves them, and tells the pages to redraw."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx

    def set_temperature_unit(self, unit: str) -> None:
        """°C or °F on screen (the store keeps °C)."""
        self.ctx.settings.temperature_unit = unit  # type: ignore[assignment]  # the menu's C or F
        self.ctx.save_settings()
        self.ctx.signals.settingsChanged.emit()

    def set_language(self, language: str) -> None:
        """Language of the next start."""
        self.ctx.settings.language = language  # type: ignore[assignment]  # the menu's en or es
        self.ctx.save_settings()
        # stays until the next message: a nurse who looked away still reads it
        self.window.statusBar().showMessage(self.tr("The language changes the next time CRS Bedside starts."))

    def text_size(self) -> float:
        """The signed-in user's text size (1.0 = the system font)."""
        return self.ctx.settings.text_scales.get(self.ctx.bedside.user or "", 1.0)

    def apply_user_text_size(self) -> None:
        """Set the application font to the signed-in user's text size."""
        apply_text_scale(QApplication.instance(), self.text_size())  # type: ignore[arg-type]  # a QApplication

    def change_text_size(self, direction: int) -> None:
        """One step larger (1), smaller (-1) or back to normal (0), remembered for the signed-in user."""
        factor = next_step(self.text_size(), direction) if direction else 1.0
        self.ctx.settings.text_scales[self.ctx.bedside.user or ""] = factor
        self.ctx.save_settings()
        self.apply_user_text_size()
        self.ctx.signals.settingsChanged.emit()    # pages redraw their chips and titles at the new size
        self.window.statusBar().showMessage(self.tr("Text size: %1 %").replace("%1", str(round(factor * 100))), 5000)
