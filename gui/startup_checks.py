"""The slow start-up checks, run in the background once the window is up: SQLite's integrity check, the full audit
chain and the backup at open (``Bedside.run_deferred_checks``). The window opens in a fraction of a second on a file
of years; a problem found here is shown at once, prominently, and stays in the status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from core.services import Bedside, DeferredChecks

log = logging.getLogger("crs_bedside.gui")

#: How long after the window is shown the checks start (the nurse's first look is not slowed).
START_DELAY_MS = 1500


class _Worker(QThread):
    """Runs the checks on its own connection (SQLite connections stay in their thread)."""

    finishedChecks = Signal(object)
    failedChecks = Signal(str)

    def __init__(self, bedside: Bedside, parent: QObject | None = None):
        super().__init__(parent)
        self.bedside = bedside

    def run(self) -> None:  # QThread override
        try:
            self.finishedChecks.emit(self.bedside.run_deferred_checks())
        except Exception as exc:  # reported to the window, never lost
            self.failedChecks.emit(f"{type(exc).__name__}: {exc}")


class StartupChecks(QObject):
    """Starts the deferred checks shortly after start-up and reports what they found."""

    checked = Signal(object)      # DeferredChecks
    failed = Signal(str)

    def __init__(self, bedside: Bedside, parent: QObject | None = None, delay_ms: int = START_DELAY_MS):
        super().__init__(parent)
        self.bedside = bedside
        self.result: DeferredChecks | None = None
        self._worker: _Worker | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Run the checks after the delay (only for a store opened with ``defer_slow_checks``)."""
        if self.bedside.file_facts().deferred_checks:
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        self._worker = _Worker(self.bedside, self)
        self._worker.finishedChecks.connect(self._on_worker_finished)
        self._worker.failedChecks.connect(self.failed)
        self._worker.start()

    def _on_worker_finished(self, result: DeferredChecks) -> None:
        self.result = result
        if not result.ok:
            log.error("deferred checks found problems: integrity_ok=%s chain_problems=%d",
                      result.integrity == "ok", len(result.chain.problems))
        self.checked.emit(result)

    def wait(self, msecs: int = 60_000) -> bool:
        """Wait for a running check to finish (closing the window, tests)."""
        self._timer.stop()
        return self._worker.wait(msecs) if self._worker is not None else True
