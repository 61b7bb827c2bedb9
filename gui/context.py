"""The explicit context handed to windows and pages (STYLE.md practice 7): no module-level singletons."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core.services import Bedside, Clock
from gui.settings import Settings


class BedsideSignals(QObject):
    """Events between pages: past-tense signals."""

    recordsChanged = Signal(str)      # a patient's records changed (MRN)
    settingsChanged = Signal()        # the user changed a setting shown on screen (temperature unit)


@dataclass
class AppContext:
    """The open database and its services, the user's settings, the clock and the signals."""

    bedside: Bedside
    settings: Settings
    settings_file: Path
    clock: Clock
    signals: BedsideSignals
    db_path: Path
    demo: bool = False

    def save_settings(self) -> None:
        """Write the settings file."""
        self.settings.save(self.settings_file)
