"""The main window's status bar: the database, user and protocol, and the warnings that never hide behind a passing
message (tampered file, failed backup, clock behind the records, file in clear, what waits for the EHR); the slow
start-up checks that run in the background and report here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from core.security import Permission
from gui import status_style as ss
from gui.errors import show_error
from gui.login import database_label
from gui.record_text import local_datetime, local_time

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.startup_checks import StartupChecks


class WindowStatusBar(QObject):
    """Builds the permanent labels of the window's status bar and keeps them up to date."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.startup_checks: StartupChecks | None = None
        bar = window.statusBar()
        bedside = self.ctx.bedside
        protocol = bedside.protocol
        self.db_label = database_label(self.tr("Database: %1"), self.ctx.db_path)
        self.user_label = QLabel()
        self.protocol_label = QLabel(self.tr("Protocol: %1 v%2").replace("%1", protocol.id).replace(
            "%2", protocol.version))
        self.protocol_label.setToolTip(protocol.name)
        self.backup_label = QLabel()
        self.backup_label.setAccessibleName(self.tr("Backups"))
        self.backup_label.hide()
        self.tamper_label = QLabel()
        facts = bedside.file_facts()
        if not facts.chain.ok:
            self._show_tampered(facts.chain.summary())
        bar.addPermanentWidget(self.backup_label)
        self.clock_label = QLabel()   # the laptop clock is behind the newest record (never hidden silently)
        self.clock_label.setAccessibleName(self.tr("Clock warning"))
        self.clock_label.setStyleSheet("font-weight: bold")
        self.clock_label.hide()
        bar.addPermanentWidget(self.clock_label)
        self.show_clock_warning()
        style = ss.unprotected_style()
        self.unprotected_label = QLabel(style.label)
        self.unprotected_label.setStyleSheet(style.sheet())
        self.unprotected_label.setAccessibleName(style.accessible)
        self.unprotected_label.setToolTip(self.tr(
            "This database has no user accounts, so it is stored in clear: anyone who can read the file can read "
            "the records. Creating the administrator encrypts it."))
        bar.addPermanentWidget(self.unprotected_label)
        self.unprotected_label.setVisible(not facts.encrypted)
        for label in (self.db_label, self.user_label, self.protocol_label):
            label.setAccessibleName(label.text())
            bar.addPermanentWidget(label)
        self.outbox_label = QLabel()
        self.outbox_label.hide()
        bar.addPermanentWidget(self.outbox_label)
        self.show_outbox()
        for warning in facts.warnings:
            self.show_backup_problem(warning)
        if window.demo:
            demo_word = self.tr("DEMO")
            demo = QLabel(f"{ss.demo_style().symbol} {demo_word}")
            demo.setStyleSheet(ss.demo_style().sheet())
            demo.setAccessibleName(ss.demo_style().accessible)
            bar.addPermanentWidget(demo)

    def _show_tampered(self, details: str) -> None:
        style = ss.tampered_style()
        self.tamper_label.setText(style.label)
        self.tamper_label.setStyleSheet(style.sheet())
        self.tamper_label.setAccessibleName(style.accessible)
        self.tamper_label.setToolTip(details)
        # Permanent widgets: a temporary message ("Vitals saved.") never hides these warnings.
        self.window.statusBar().addPermanentWidget(self.tamper_label)

    def refresh(self) -> None:
        """Re-read the clock warning and the EHR outbox (the window's refresh)."""
        self.show_clock_warning()
        self.show_outbox()

    def show_clock_warning(self) -> None:
        """Warn while the laptop clock is behind the newest record: what happened after the clock's time is not
        shown as now (core Bedside.clock_behind)."""
        behind = self.ctx.bedside.clock_behind() if self.ctx.bedside.can(Permission.READ) else None
        if behind is None:
            self.clock_label.hide()
            return
        # Short in the status bar (it shares the line with the database path); the whole warning in the tooltip.
        self.clock_label.setText(self.tr("⚠ Clock behind records (%1)").replace("%1", local_datetime(behind)))
        self.clock_label.setToolTip(self.tr("The laptop clock is behind the newest record: entries dated after the "
                                            "laptop's clock are not shown as now. Ask clinic IT to set the clock "
                                            "right."))
        self.clock_label.show()

    def show_outbox(self) -> None:
        """The status line of what waits to be sent to the EHR, when a FHIR server is configured."""
        from core.services import configured_url

        url = configured_url(self.ctx.settings.fhir_server_url)
        if not url:
            self.outbox_label.hide()
            return
        try:
            count = self.ctx.bedside.fhir_waiting(url)
        except Exception:  # a bad URL setting: the line says so instead of a count
            self.outbox_label.setText(self.tr("EHR server address not usable: %1").replace("%1", url))
        else:
            self.outbox_label.setText(self.tr("EHR: %1 to send").replace("%1", str(count))
                                      if count else self.tr("EHR: everything sent"))
        self.outbox_label.setAccessibleName(self.tr("Records waiting to be sent to the EHR"))
        self.outbox_label.setToolTip(url)
        self.outbox_label.show()

    def show_backup_made(self) -> None:
        """The time of the last backup, and where backups go."""
        self.backup_label.setText(self.tr("Last backup %1").replace("%1", local_time(self.ctx.clock.now())))
        self.backup_label.setStyleSheet("")
        self.backup_label.setToolTip(str(self.ctx.bedside.file_facts().backup_folder))
        self.backup_label.show()

    def show_backup_problem(self, message: str) -> None:
        """A backup failed: the warning stays until one succeeds."""
        style = ss.backup_failed_style()
        self.backup_label.setText(style.label)
        self.backup_label.setStyleSheet(style.sheet())
        self.backup_label.setToolTip(message)
        self.backup_label.setAccessibleName(style.accessible)
        self.backup_label.show()

    # -- background checks -------------------------------------------------------------------------------------
    def start_background_checks(self) -> None:
        """The slow start-up checks (integrity, full audit chain, backup at open) in the background."""
        from gui.startup_checks import StartupChecks

        self.startup_checks = StartupChecks(self.ctx.bedside, self.window)
        self.startup_checks.checked.connect(self._on_startup_checks_checked)
        self.startup_checks.failed.connect(self._on_startup_checks_failed)
        self.startup_checks.start()

    def wait_for_checks(self) -> None:
        """A background check still reading the file finishes before the store closes."""
        if self.startup_checks is not None:
            self.startup_checks.wait()

    def _on_startup_checks_checked(self, result: object) -> None:
        from core.services import DeferredChecks

        assert isinstance(result, DeferredChecks)
        if result.backup is not None:
            self.show_backup_made()
        if result.backup_problem:
            self.show_backup_problem(result.backup_problem)
        if result.ok:
            return
        details = result.chain.summary() if result.integrity == "ok" else result.integrity
        self._show_tampered(details)
        self.tamper_label.show()
        show_error(self.window, self.tr("The database failed its background check."),
                   self.tr("The file may have been damaged or changed outside CRS Bedside. Entries made now are "
                           "kept, but what was stored before cannot be trusted until it is checked."),
                   self.tr("Tell clinic IT and the ward manager now; run 'crs-bedside verify' and compare with the "
                           "latest backup (see docs/GUARANTEES.md)."), details)

    def _on_startup_checks_failed(self, message: str) -> None:
        self.show_backup_problem(self.tr("The background check could not run: %1").replace("%1", message))
