"""Auto-lock after inactivity: an application-wide event filter notes the last key, click or wheel turn, and a timer
compares it with the context's monotonic clock (a laptop clock put back or forward neither delays nor hastens the
lock), so that tests drive the time with a FixedClock."""

from __future__ import annotations

import time
from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from core.services import Clock

#: Input that counts as someone at the keyboard (a mouse merely moving over the window does not).
ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.Shortcut,
})
#: How often the idle time is checked.
CHECK_MS = 5_000


class AutoLock(QObject):
    """Emits ``idleTimedOut`` once when nobody has touched the application for ``minutes`` by the clock."""

    idleTimedOut = Signal()

    def __init__(self, clock: Clock, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.clock = clock
        self._monotonic = getattr(clock, "monotonic", time.monotonic)
        self.minutes = minutes
        self.last_activity: float = self._monotonic()
        self.armed = True
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self.last_activity = self._monotonic()
        return False

    def restart(self) -> None:
        """Someone signed in: count the idle time from now, and lock again when it runs out."""
        self.last_activity = self._monotonic()
        self.armed = True

    def set_minutes(self, minutes: int) -> None:
        """Change the idle limit (the setting)."""
        self.minutes = minutes

    def idle(self) -> timedelta:
        """How long nobody has touched the application."""
        return timedelta(seconds=self._monotonic() - self.last_activity)

    def check(self) -> None:
        """Lock when the idle time has reached the limit (exactly the setting's minutes, not before)."""
        if self.armed and self.idle() >= timedelta(minutes=self.minutes):
            self.armed = False
            self.idleTimedOut.emit()

    def stop(self) -> None:
        """Stop watching (the window closes)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
