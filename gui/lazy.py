"""Refresh when seen: a page asked to refresh while hidden waits until it is shown (a nurse recording vitals should
not wait for a list or a tab she is not looking at)."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent


class RefreshWhenSeen:
    """Mixin for a QWidget with a ``refresh()`` method (list it before QWidget among the bases)."""

    _stale = False

    def refresh_when_seen(self) -> None:
        """Refresh now if on screen, otherwise as soon as the widget is shown."""
        if self.isVisible():  # type: ignore[attr-defined]
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]
        super().showEvent(event)  # type: ignore[misc]
