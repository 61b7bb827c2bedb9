"""Refresh when seen: a page asked to refresh while hidden waits until it is shown (a nurse recording vitals should
not wait for a list or a tab she is not looking at)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class RefreshWhenSeen:
    """Mixin for a QWidget with a ``refresh()`` method (list it before QWidget among the bases)."""

    _stale = False

    def refresh_when_seen(self) -> None:
        """Refresh now if on screen, otherwise as soon as the widget is shown."""
        if self.isVisible():  # type: ignore[attr-defined]  # the QWidget this is mixed into
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]  # the QWidget this is mixed into
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        if self._stale:
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]  # the QWidget this is mixed into
        super().showEvent(event)  # type: ignore[misc]  # QWidget's, next in the method order


class _RunWhileShown(QObject):
    """Starts its timer when the watched widget is shown and stops it when the widget is hidden or closed."""

    def __init__(self, widget: QWidget, timer: QTimer, slot: Callable[[], None]):
        super().__init__(widget)
        self.timer, self.slot = timer, slot
        self.missed = False  # hidden after having been on screen: what it shows may have aged
        widget.installEventFilter(self)
        if widget.isVisible():
            timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Show and not self.timer.isActive():
            if self.missed:
                self.missed = False
                self.slot()  # shown again: bring the clocks up to now at once, not at the next tick
            self.timer.start()
        elif event.type() in (QEvent.Type.Hide, QEvent.Type.Close) and self.timer.isActive():
            self.timer.stop()
            self.missed = True
        return False


def timer_while_shown(widget: QWidget, interval_ms: int, slot: Callable[[], None]) -> QTimer:
    """A repeating timer that calls ``slot`` only while ``widget`` is on screen: a page the nurse cannot see does not
    re-read the file every minute, and a closed page never touches a database that has since been closed."""
    timer = QTimer(widget)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    _RunWhileShown(widget, timer, slot)
    return timer
