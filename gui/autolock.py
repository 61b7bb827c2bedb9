"""Auto-lock after inactivity: an application-wide event filter notes the last key, click or wheel turn, and a timer
compares it with the context's monotonic clock (a laptop clock put back or forward neither delays nor hastens the
lock), so that tests drive the time with a FixedClock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import shiboken6
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
#: The auto-locks watching the application's events now (see ``building_widgets``).
_WATCHING: set[AutoLock] = set()


@contextmanager
def building_widgets() -> Iterator[None]:
    """Build many widgets at once without the auto-lock's event filter: each widget made, placed and hidden sends
    Qt internal events (the vitals wizard about 1,500), and the application-wide filter costs each one a call into
    Python (about 7 µs: 11 of the wizard's 23 ms to open on the bench's ward file). None of them can be input: input
    is delivered by the event loop, which does not run inside the block, so no key or click goes unnoticed."""
    app = QApplication.instance()
    if app is None:
        yield
        return
    watching = [lock for lock in _WATCHING if shiboken6.isValid(lock)]
    for lock in watching:
        app.removeEventFilter(lock)
    try:
        yield
    finally:
        for lock in watching:
            if lock in _WATCHING and shiboken6.isValid(lock):
                app.installEventFilter(lock)


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
            _WATCHING.add(self)
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
        _WATCHING.discard(self)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
