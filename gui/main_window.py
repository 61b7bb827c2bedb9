"""The main window: a shell holding the ward view and the patient page, the menus and the status bar; the session
(lock screen, quick switch of user, auto-lock), role-aware actions, and scheduled backups."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.cli import app_version
from core.errors import BedsideError
from core.security import Permission, User
from gui import status_style as ss
from gui import words as w
from gui.autolock import AutoLock
from gui.context import AppContext
from gui.errors import show_error, show_exception
from gui.i18n import Round
from gui.login import FirstAdminDialog, database_label, show_recovery_key, switch_user, user_text
from gui.record_text import local_datetime, local_time
from gui.settings import geometry_settings_path
from gui.text_size import apply_text_scale, next_step
from gui.ward_view import WardView

#: The Record menu (issue 13): each kind of record with its shortcut.
RECORD_SHORTCUTS = {
    "fluid_bolus": "Ctrl+B", "crs_treatment": "Ctrl+M", "vasopressor_started": "Ctrl+Shift+V",
    "vasopressor_stopped": "Ctrl+Alt+V", "oxygen": "Ctrl+Shift+O", "lab_result": "Ctrl+Shift+R",
    "neuro_assessment": "Ctrl+J", "symptom": "Ctrl+Y", "note": "Ctrl+Shift+N", "observations_not_done": "Ctrl+D",
}

# The patient page, the lock screen and the dialogs are imported and built when first needed: start-up shows the
# ward and nothing else (build_scripts/bench.py measures it).
if TYPE_CHECKING:
    from gui.audit_view import AuditView
    from gui.clinician_dialogs import ClinicianEntryDialog
    from gui.interop import FhirExportWorker
    from gui.login import LockScreen
    from gui.patient_page import PatientPage
    from gui.printing import HandoverController
    from gui.users_dialog import UsersDialog
    from gui.wizard import VitalsWizard

log = logging.getLogger("crs_bedside.gui")


class MainWindow(QMainWindow):
    """Shell: switches between the ward and a patient, owns the menus and the status bar, nothing clinical."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.apply_user_text_size()
        self.demo = ctx.demo or ctx.bedside.is_demo()
        title = self.tr("CRS Bedside")
        demo_title = self.tr("DEMO WARD")
        self.setWindowTitle(f"{title} – {demo_title}" if self.demo else title)
        self.ward = WardView(ctx)
        self._patient: PatientPage | None = None
        self._audit: AuditView | None = None
        self._lock_screen: LockScreen | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ward)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        self.demo_strip = QLabel()
        style = ss.demo_style()
        self.demo_strip.setText(f"{style.symbol}  {style.text}  {style.symbol}")
        self.demo_strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_strip.setStyleSheet(style.sheet())
        self.demo_strip.setAccessibleName(style.accessible)
        self.demo_strip.setVisible(self.demo)
        layout.addWidget(self.demo_strip)
        layout.addWidget(self.pages, 1)
        self.content = central
        self.accounts = ctx.bedside.accounts()
        self.screens = QStackedWidget()
        self.screens.addWidget(self.content)
        self.setCentralWidget(self.screens)

        self.ward.patientActivated.connect(self.open_patient)
        self.ward.admitRequested.connect(self.admit)
        self.ward.importRequested.connect(self.import_file)
        self._fhir_export: FhirExportWorker | None = None   # the FHIR export running in the background, if any
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        self.autolock = AutoLock(ctx.clock, ctx.settings.autolock_minutes, self)
        self.autolock.idleTimedOut.connect(self._on_autolock_idle_timed_out)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(ctx.settings.backup_interval_minutes * 60_000)
        self.backup_timer.timeout.connect(self.make_scheduled_backup)
        self.backup_timer.start()
        self.show_ward()

    # -- building -----------------------------------------------------------------------------------------------
    @property
    def patient(self) -> PatientPage:
        """The patient page with its tabs (trend, infusion, records, audit), built the first time it is needed."""
        if self._patient is None:
            from gui.audit_view import AuditView
            from gui.patient_page import PatientPage

            page = PatientPage(self.ctx)
            self._audit = AuditView(self.ctx)
            page.add_panel(self._audit, self.tr("&Audit"))
            page.backRequested.connect(self.show_ward)
            page.vitalsRequested.connect(lambda _mrn: self.record_vitals())
            page.banner.answerRequested.connect(self.answer_prompts)
            page.banner.recordRequested.connect(self.record_for_prompt)
            self.pages.addWidget(page)
            self._patient = page
            self._update_actions()
        return self._patient

    @property
    def audit(self) -> AuditView:
        """The patient's audit trail tab."""
        self.patient    # noqa: B018 - builds the page, which holds the tab
        assert self._audit is not None
        return self._audit

    @property
    def lock_screen(self) -> LockScreen:
        """The sign-in that hides the ward while locked, built at the first lock."""
        if self._lock_screen is None:
            from gui.login import LockScreen

            self._lock_screen = LockScreen(self.accounts, demo=self.demo)
            self._lock_screen.form.signedIn.connect(self._on_lock_signed_in)
            self.screens.addWidget(self._lock_screen)
        return self._lock_screen

    def _on_patient_page(self) -> bool:
        """True while a patient's page is the one shown."""
        return self._patient is not None and self.pages.currentWidget() is self._patient

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None, slot,
                menu) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.lock_action = self._action(self.tr("&Lock / switch user"), "Ctrl+Shift+L", self.lock, file_menu)
        self.users_action = self._action(self.tr("&Users…"), None, self.manage_users, file_menu)
        self.backup_action = self._action(self.tr("Make a &backup now"), None, self.make_scheduled_backup,
                                          file_menu)
        file_menu.addSeparator()
        self.merge_action = self._action(self.tr("&Merge from another laptop…"), None, self.merge_from_laptop,
                                         file_menu)
        self.ehr_export_action = self._action(self.tr("&Export for the EHR…"), None, self.export_for_ehr, file_menu)
        file_menu.addSeparator()
        self.handover_preview_action = self._action(self.tr("Handover: print pre&view…"), "Ctrl+P",
                                                    lambda: self.handover().preview(self._handover_mrns()), file_menu)
        self.handover_print_action = self._action(self.tr("Handover: &print…"), "Ctrl+Shift+P",
                                                  lambda: self.handover().print_(self._handover_mrns()), file_menu)
        self.handover_pdf_action = self._action(self.tr("Handover: save as P&DF…"), "Ctrl+Shift+S",
                                                self.save_handover_pdf, file_menu)
        file_menu.addSeparator()
        self.import_action = self._action(Round.tr("&Import…"), "Ctrl+Shift+I", self.import_file, file_menu)
        file_menu.addSeparator()
        self.quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, file_menu)
        patient_menu = bar.addMenu(self.tr("&Patient"))
        self.open_action = self._action(self.tr("&Open selected patient"), "Ctrl+O", self.ward.open_current,
                                        patient_menu)
        self.vitals_action = self._action(self.tr("Record &vitals…"), "Ctrl+R", self.record_vitals, patient_menu)
        self._build_round_menus(bar, patient_menu)
        self.correct_action = self._action(self.tr("Mark record &entered in error…"), "Ctrl+E",
                                           self._on_correct_triggered, patient_menu)
        patient_menu.addSeparator()
        self.grade_action = self._action(self.tr("Confirm/override CRS &grade…"), "Ctrl+G", self.confirm_grade,
                                         patient_menu)
        self.close_episode_action = self._action(self.tr("Close CRS e&pisode…"), None, self.close_episode,
                                                 patient_menu)
        patient_menu.addSeparator()
        self.back_action = self._action(self.tr("Back to the &ward"), "Esc", self.show_ward, patient_menu)
        view_menu = bar.addMenu(self.tr("&View"))
        self._action(self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self.refresh, view_menu)
        # (each tab is looked up only on a patient's page, where the page exists: no page is built for nothing)
        self._action(self.tr("&Trend"), "Ctrl+T",
                     lambda: self._show_tab_of(lambda: self.patient.trend), view_menu)
        self._action(self.tr("Re&cords"), "Ctrl+L",
                     lambda: self._show_tab_of(lambda: self.patient.records), view_menu)
        self._action(self.tr("&Infusion"), "Ctrl+I",
                     lambda: self._show_tab_of(lambda: self.patient.infusion), view_menu)
        self._action(self.tr("&Audit trail"), "Ctrl+U",
                     lambda: self._show_tab_of(lambda: self.audit), view_menu)
        size_menu = view_menu.addMenu(self.tr("Text si&ze"))
        self.larger_action = self._action(self.tr("&Larger text"), QKeySequence.StandardKey.ZoomIn,
                                          lambda: self.change_text_size(1), size_menu)
        self.smaller_action = self._action(self.tr("&Smaller text"), QKeySequence.StandardKey.ZoomOut,
                                           lambda: self.change_text_size(-1), size_menu)
        self._action(self.tr("&Normal text size"), "Ctrl+0", lambda: self.change_text_size(0), size_menu)
        settings_menu = bar.addMenu(self.tr("&Settings"))
        unit_group = QActionGroup(self)
        for unit, text in (("C", self.tr("Temperature in °&C")), ("F", self.tr("Temperature in °&F"))):
            action = self._action(text, None, lambda _=False, u=unit: self.set_temperature_unit(u), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.temperature_unit == unit)
            unit_group.addAction(action)
        settings_menu.addSeparator()
        language_group = QActionGroup(self)
        for language, text in (("en", "&English"), ("es", "E&spañol")):
            action = self._action(text, None, lambda _=False, lang=language: self.set_language(lang), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.language == language)
            language_group.addAction(action)
        for menu in (file_menu, patient_menu):
            menu.setToolTipsVisible(True)
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(self.tr("&Keyboard shortcuts"), "F1", self.show_shortcuts, help_menu)
        self._action(self.tr("&About CRS Bedside"), None, self.show_about, help_menu)

    def _build_status_bar(self) -> None:
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
            style = ss.tampered_style()
            self.tamper_label.setText(style.label)
            self.tamper_label.setStyleSheet(style.sheet())
            self.tamper_label.setAccessibleName(style.accessible)
            self.tamper_label.setToolTip(facts.chain.summary())
            # Permanent widgets: a temporary message ("Vitals saved.") never hides these warnings.
            self.statusBar().addPermanentWidget(self.tamper_label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.clock_label = QLabel()   # the laptop clock is behind the newest record (never hidden silently)
        self.clock_label.setAccessibleName(self.tr("Clock warning"))
        self.clock_label.setStyleSheet("font-weight: bold")
        self.clock_label.hide()
        self.statusBar().addPermanentWidget(self.clock_label)
        self._show_clock_warning()
        style = ss.unprotected_style()
        self.unprotected_label = QLabel(style.label)
        self.unprotected_label.setStyleSheet(style.sheet())
        self.unprotected_label.setAccessibleName(style.accessible)
        self.unprotected_label.setToolTip(self.tr(
            "This database has no user accounts, so it is stored in clear: anyone who can read the file can read "
            "the records. Creating the administrator encrypts it."))
        self.statusBar().addPermanentWidget(self.unprotected_label)
        self.unprotected_label.setVisible(not facts.encrypted)
        for label in (self.db_label, self.user_label, self.protocol_label):
            label.setAccessibleName(label.text())
            self.statusBar().addPermanentWidget(label)
        self.outbox_label = QLabel()
        self.outbox_label.hide()
        self.statusBar().addPermanentWidget(self.outbox_label)
        self._show_outbox()
        self._show_user()
        for warning in facts.warnings:
            self._show_backup_problem(warning)
        if self.demo:
            demo_word = self.tr("DEMO")
            demo = QLabel(f"{ss.demo_style().symbol} {demo_word}")
            demo.setStyleSheet(ss.demo_style().sheet())
            demo.setAccessibleName(ss.demo_style().accessible)
            self.statusBar().addPermanentWidget(demo)

    def _geometry_store(self) -> QSettings:
        return QSettings(str(geometry_settings_path()), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        geometry = self._geometry_store().value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._geometry_store().setValue("main/geometry", self.saveGeometry())
        self.stop_timers()
        super().closeEvent(event)

    def stop_timers(self) -> None:
        """Nothing runs after the window closes (the store is about to close): no auto-lock, backup or refresh."""
        self.autolock.stop()
        self.backup_timer.stop()
        self.ward.timer.stop()
        if self._patient is not None:
            self._patient.timer.stop()
            self._patient.infusion.timer.stop()
        checks = getattr(self, "startup_checks", None)
        if checks is not None:
            checks.wait()   # a background check still reading the file finishes before the store closes

    # -- navigation ---------------------------------------------------------------------------------------------
    def show_ward(self) -> None:
        """The ward list, with the keyboard in the table."""
        self.pages.setCurrentWidget(self.ward)   # the ward refreshes itself when shown if anything changed
        self.ward.focus_table()
        self._update_actions()

    def open_patient(self, mrn: str) -> None:
        """A patient's page."""
        self.patient.set_patient(mrn)
        self.audit.set_patient(mrn)
        self.pages.setCurrentWidget(self.patient)
        self.patient.focus_default()
        self._update_actions()

    def current_mrn(self) -> str | None:
        """The patient shown, or highlighted on the ward."""
        if self._on_patient_page():
            return self.patient.mrn
        return self.ward.current_mrn()

    def _update_actions(self) -> None:
        """Enable what the page and the signed-in role allow; a disabled action says why in its tooltip."""
        locked = self.is_locked()
        on_patient = self._on_patient_page() and not locked
        for menu_action in self.menuBar().actions():
            menu: QMenu | None = menu_action.menu()  # type: ignore[assignment]  # PySide6's stub says QObject
            for action in menu.actions() if menu is not None else ():
                # While locked only quitting works: a shortcut must not reach the hidden ward (Ctrl+R ...).
                action.setEnabled(not locked or action is self.quit_action)
        self.back_action.setEnabled(on_patient)
        self.open_action.setEnabled(not on_patient and not locked)
        record_ok = self._allow(self.vitals_action, Permission.RECORD, not locked)
        self._allow(self.correct_action, Permission.RECORD, on_patient)
        if self._patient is not None:
            self._patient.vitals_button.setEnabled(record_ok)
            self._patient.vitals_button.setToolTip(self.vitals_action.toolTip())
        self._allow(self.grade_action, Permission.CONFIRM_GRADE, on_patient)
        self._allow(self.merge_action, Permission.IMPORT, not locked)
        self._allow(self.ehr_export_action, Permission.READ, not locked and self._fhir_export is None)
        state = self.patient.state if on_patient else None
        if self._allow(self.close_episode_action, Permission.CLOSE_EPISODE, on_patient) and state is not None \
                and not state.crs.episode_open:
            self.close_episode_action.setEnabled(False)
            self.close_episode_action.setToolTip(self.tr("No CRS episode is open for this patient."))
        self._update_round_actions(locked)
        if self.accounts.needs_first_admin():
            self.users_action.setText(self.tr("Create the &administrator…"))
            self.users_action.setEnabled(not locked)
            self.users_action.setToolTip(self.tr("Create the first account, an admin: from then on everyone signs in."))
        else:
            self.users_action.setText(self.tr("&Users…"))
            self._allow(self.users_action, Permission.MANAGE_USERS, not locked)

    def _allow(self, action: QAction, permission: Permission, available: bool) -> bool:
        """Enable ``action`` when it is ``available`` here and the role allows it; otherwise say why."""
        allowed = self.ctx.bedside.can(permission)
        action.setEnabled(available and allowed)
        action.setToolTip(action.text().replace("&", "") if allowed else self.refusal(permission))
        action.setStatusTip("" if allowed else self.refusal(permission))
        return available and allowed

    def refusal(self, permission: Permission) -> str:
        """Why the signed-in person may not do this (for tooltips)."""
        texts = {
            Permission.RECORD: self.tr("Only nurses and clinicians enter records; you are signed in as %1."),
            Permission.CONFIRM_GRADE: self.tr(
                "Only clinicians confirm or override a CRS grade; you are signed in as %1."),
            Permission.CLOSE_EPISODE: self.tr("Only clinicians close a CRS episode; you are signed in as %1."),
            Permission.MANAGE_USERS: self.tr("Only admins manage user accounts; you are signed in as %1."),
            Permission.IMPORT: Round.tr("Only clinicians and admins import files; you are signed in as %1."),
            Permission.READ: self.tr("Sign in to export; you are signed in as %1."),
        }
        return texts[permission].replace("%1", user_text(self.ctx.bedside))

    def _show_tab(self, widget: QWidget) -> None:
        if self._on_patient_page():
            self.patient.tabs.setCurrentWidget(widget)

    def _show_tab_of(self, tab: Callable[[], QWidget]) -> None:
        """A tab of the patient's page, looked up only when on that page (no page is built for nothing)."""
        if self._on_patient_page():
            self._show_tab(tab())

    def _on_correct_triggered(self) -> None:
        self._show_tab(self.patient.records)
        self.patient.records.mark_entered_in_error()

    def _show_clock_warning(self) -> None:
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

    def refresh(self) -> None:
        """Re-read everything shown."""
        self._show_clock_warning()
        self._show_outbox()
        self.ward.refresh()
        if self._patient is not None:
            self._patient.refresh()
            self.audit.refresh()
        self._update_actions()

    # -- the session --------------------------------------------------------------------------------------------
    def is_locked(self) -> bool:
        """True while the lock screen hides the ward."""
        return self._lock_screen is not None and self.screens.currentWidget() is self._lock_screen

    def lock(self) -> None:
        """Hide every patient behind the sign-in (quick switch of user, or auto-lock); open dialogs are closed
        without saving."""
        if self.is_locked():
            return
        modal = QApplication.activeModalWidget()
        while isinstance(modal, QDialog) and modal is not self:
            modal.done(QDialog.DialogCode.Rejected)
            following = QApplication.activeModalWidget()
            if following is modal:
                break
            modal = following
        self.autolock.armed = False
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.form.reset(self.ctx.bedside.user)
        self.user_label.setText(self.tr("Locked"))
        self._update_actions()
        log.info("session locked")

    def _on_autolock_idle_timed_out(self) -> None:
        log.info("auto-lock after %d minutes without input", self.autolock.minutes)
        self.lock()

    def _on_lock_signed_in(self, user: User | str) -> None:
        same = (user.username if isinstance(user, User) else user) == self.ctx.bedside.user
        if not same or isinstance(user, User):
            switch_user(self.ctx, user)
        self.screens.setCurrentWidget(self.content)
        self.autolock.restart()
        self.apply_user_text_size()
        self._show_user()
        self.refresh()
        log.info("session unlocked same_user=%s", same)
        if self._on_patient_page():
            self.patient.focus_default()
        else:
            self.ward.focus_table()

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
        self.statusBar().showMessage(self.tr("Text size: %1 %").replace("%1", str(round(factor * 100))), 5000)

    def _show_user(self) -> None:
        self.user_label.setText(self.tr("User: %1").replace("%1", user_text(self.ctx.bedside)))
        self.user_label.setAccessibleName(self.user_label.text())
        self.unprotected_label.setVisible(not self.ctx.bedside.file_facts().encrypted)
        show_recovery_key(self.accounts, self)   # the file was just encrypted here: its recovery key, once

    def make_users_dialog(self) -> UsersDialog:
        """The admin's accounts dialog (not shown)."""
        from gui.users_dialog import UsersDialog

        assert isinstance(self.ctx.bedside.account, User)
        return UsersDialog(self.accounts, self.ctx.bedside.account, self)

    def make_first_admin_dialog(self) -> FirstAdminDialog:
        """First-run creation of the administrator from a session in open mode (not shown)."""
        return FirstAdminDialog(self.accounts, parent=self)

    def manage_users(self) -> None:
        """The accounts (admins), or, while the database has none, the creation of the administrator."""
        try:
            if self.accounts.needs_first_admin():
                dialog = self.make_first_admin_dialog()
                if dialog.exec() == QDialog.DialogCode.Accepted and dialog.user is not None:
                    switch_user(self.ctx, dialog.user)
                    self._show_user()
                    self.statusBar().showMessage(self.tr("Administrator created: from now on everyone signs in."),
                                                 10000)
            else:
                self.ctx.bedside.require(Permission.MANAGE_USERS)
                self.make_users_dialog().exec()
        except Exception as exc:  # the one error path
            show_exception(self, exc)
        self._update_actions()

    # -- handover (RULES.md §7; gui/printing.py renders what core/handover.py builds) ---------------------------
    def handover(self) -> HandoverController:
        """The one handover controller of this window (the PDF, the preview and the printout are one document)."""
        from gui.printing import HandoverController

        if getattr(self, "_handover", None) is None:
            self._handover = HandoverController(self.ctx, self)
            self._handover.pdfSaved.connect(
                lambda path: self.statusBar().showMessage(self.tr("Handover saved: %1").replace("%1", path), 10_000))
            self._handover.failed.connect(lambda message: show_error(
                self, self.tr("The handover could not be made."), self.tr("Nothing was printed or saved."),
                self.tr("Try again; if it fails again, tell clinic IT."), message))
        return self._handover

    def _handover_mrns(self) -> list[str] | None:
        """The patient on screen, or the whole ward from the ward list."""
        if self._on_patient_page() and self.patient.mrn:
            return [self.patient.mrn]
        return None

    def ask_pdf_path(self) -> str:
        """Where to save the handover PDF (tests replace the modal dialog)."""
        from PySide6.QtWidgets import QFileDialog

        suggested = str(Path.home() / f"handover-{self.ctx.clock.now().astimezone():%Y%m%d-%H%M}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the handover as PDF"), suggested, "PDF (*.pdf)")
        return path

    # -- from one laptop to the ward and to the hospital (gui/interop.py) ---------------------------------------
    def _show_outbox(self) -> None:
        """The status line of what waits to be sent to the EHR, when a FHIR server is configured."""
        from core.outbox import configured_url

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

    def ask_merge_path(self) -> str:
        """Which export of another laptop to merge (tests replace the modal dialog)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Merge from another laptop"), str(Path.home()),
                                              self.tr("CRS Bedside export (*.json)"))
        return path

    def confirm_merge(self, dialog: QDialog) -> bool:
        """Show the merge preview; True when the user chose Merge (tests replace the modal dialog)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def merge_from_laptop(self) -> None:
        """Merge another laptop's export after a preview (patients, records new / already here, differences)."""
        from core.services import read_json_file
        from gui.interop import MergePreviewDialog

        path = self.ask_merge_path()
        if not path:
            return
        bedside = self.ctx.bedside
        try:
            data = read_json_file(path)
            plan = bedside.merge_preview(data)
        except Exception as exc:  # the one error path; nothing was written
            show_exception(self, exc)
            return
        if not self.confirm_merge(MergePreviewDialog(plan, Path(path).name, self)):
            return
        try:
            result = bedside.import_data(data, source=Path(path).name)
        except Exception as exc:
            show_exception(self, exc)
            return
        message = self.tr("Merged: %1 patients and %2 records added, %3 already here.").replace(
            "%1", str(result.patients_added)).replace("%2", str(result.records_added)).replace(
            "%3", str(result.records_already_present))
        if result.differences:
            message += " " + self.tr("Differences in patient details kept for review: %1.").replace(
                "%1", str(len(result.differences)))
        self.statusBar().showMessage(message, 15_000)
        self.refresh()

    def ask_ehr_path(self) -> str:
        """Where to write the FHIR R4 Bundle (tests replace the modal dialog)."""
        from PySide6.QtWidgets import QFileDialog

        suggested = str(Path.home() / f"crs-bedside-fhir-{self.ctx.clock.now().astimezone():%Y%m%d-%H%M}.json")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export for the EHR (FHIR R4)"), suggested,
                                              self.tr("FHIR R4 Bundle (*.json)"))
        return path

    def export_for_ehr(self) -> None:
        """Write everything as one FHIR R4 Bundle, off the UI thread."""
        from gui.interop import FhirExportWorker

        path = self.ask_ehr_path()
        if not path:
            return
        target = Path(path if path.lower().endswith(".json") else path + ".json")
        self._fhir_export = FhirExportWorker(self.ctx.bedside, target, self)
        self._fhir_export.exported.connect(self._on_fhir_export_exported)
        self._fhir_export.failed.connect(self._on_fhir_export_failed)
        self.statusBar().showMessage(self.tr("Exporting for the EHR…"))
        self._update_actions()
        self._fhir_export.start()

    def _on_fhir_export_exported(self, path: str, resources: int) -> None:
        self._fhir_export = None
        self.statusBar().showMessage(self.tr("Exported %1 FHIR resources to %2").replace("%1", str(resources))
                                     .replace("%2", path), 15_000)
        self._update_actions()

    def _on_fhir_export_failed(self, details: str) -> None:
        self._fhir_export = None
        self.statusBar().clearMessage()
        show_error(self, self.tr("The export for the EHR was not written."),
                   self.tr("Nothing in the database was changed."),
                   self.tr("Check that the folder can be written to and has space, then try again."), details)
        self._update_actions()

    def save_handover_pdf(self) -> None:
        """Save the handover (this patient, or the ward) as a PDF, rendered off the UI thread."""
        path = self.ask_pdf_path()
        if path:
            self.handover().save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf", self._handover_mrns())

    # -- background checks -------------------------------------------------------------------------------------
    def start_background_checks(self) -> None:
        """The slow start-up checks (integrity, full audit chain, backup at open) in the background."""
        from gui.startup_checks import StartupChecks

        self.startup_checks = StartupChecks(self.ctx.bedside, self)
        self.startup_checks.checked.connect(self._on_startup_checks_checked)
        self.startup_checks.failed.connect(self._on_startup_checks_failed)
        self.startup_checks.start()

    def _on_startup_checks_checked(self, result: object) -> None:
        from core.services import DeferredChecks

        assert isinstance(result, DeferredChecks)
        if result.backup is not None:
            self._show_backup_made()
        if result.backup_problem:
            self._show_backup_problem(result.backup_problem)
        if result.ok:
            return
        style = ss.tampered_style()
        self.tamper_label.setText(style.label)
        self.tamper_label.setStyleSheet(style.sheet())
        self.tamper_label.setAccessibleName(style.accessible)
        details = result.chain.summary() if result.integrity == "ok" else result.integrity
        self.tamper_label.setToolTip(details)
        self.statusBar().addPermanentWidget(self.tamper_label)
        self.tamper_label.show()
        show_error(self, self.tr("The database failed its background check."),
                   self.tr("The file may have been damaged or changed outside CRS Bedside. Entries made now are "
                           "kept, but what was stored before cannot be trusted until it is checked."),
                   self.tr("Tell clinic IT and the ward manager now; run 'crs-bedside verify' and compare with the "
                           "latest backup (see docs/GUARANTEES.md)."), details)

    def _on_startup_checks_failed(self, message: str) -> None:
        self._show_backup_problem(self.tr("The background check could not run: %1").replace("%1", message))

    # -- backups ------------------------------------------------------------------------------------------------
    def _show_backup_made(self) -> None:
        self.backup_label.setText(self.tr("Last backup %1").replace("%1", local_time(self.ctx.clock.now())))
        self.backup_label.setStyleSheet("")
        self.backup_label.setToolTip(str(self.ctx.bedside.file_facts().backup_folder))
        self.backup_label.show()

    def make_scheduled_backup(self) -> None:
        """A rolling backup (``Bedside.make_backup``); a failure stays in the status bar until one succeeds."""
        try:
            self.ctx.bedside.make_backup("scheduled")
        except BedsideError as exc:   # a full disk (StoreError) or nobody signed in (PermissionDenied)
            log.warning("scheduled backup failed")
            self._show_backup_problem(str(exc))
            return
        self._show_backup_made()

    def _show_backup_problem(self, message: str) -> None:
        style = ss.backup_failed_style()
        self.backup_label.setText(style.label)
        self.backup_label.setStyleSheet(style.sheet())
        self.backup_label.setToolTip(message)
        self.backup_label.setAccessibleName(style.accessible)
        self.backup_label.show()

    # -- clinician entries (D6, D9) -----------------------------------------------------------------------------
    def _patient_text(self) -> str:
        state = self.patient.state
        if state is None:
            return self.patient.mrn or ""
        return self.tr("Bed %1 · %2").replace("%1", state.patient.bed or "–").replace("%2", state.patient.name)

    def make_grade_dialog(self) -> ClinicianEntryDialog:
        """Confirm or override the computed CRS grade (not shown)."""
        from gui.clinician_dialogs import ClinicianEntryDialog

        state = self.patient.state
        intro = self.tr("Confirm the computed CRS grade of %1, or override it. Give the reason: the computed grade "
                        "and yours are both kept.").replace("%1", self._patient_text())
        return ClinicianEntryDialog(self.tr("Confirm or override the CRS grade"), intro,
                                    computed_grade=state.crs.grade if state is not None else None, ask_grade=True,
                                    sign=self.ctx.bedside.account is not None, parent=self)

    def make_close_episode_dialog(self) -> ClinicianEntryDialog:
        """Close the open CRS episode (not shown)."""
        from gui.clinician_dialogs import ClinicianEntryDialog

        intro = self.tr("Close the open CRS episode of %1. From now on a new fever opens a new episode, and the fever "
                        "waiver after CRS treatment (R-AST-2) no longer applies.").replace("%1", self._patient_text())
        return ClinicianEntryDialog(self.tr("Close the CRS episode"), intro,
                                    sign=self.ctx.bedside.account is not None, parent=self)

    def _clinician_entry(self, dialog: ClinicianEntryDialog, kind: str, done: str) -> None:
        mrn = self.patient.mrn
        if mrn is None:
            return

        def save(d: ClinicianEntryDialog) -> None:
            fields: dict[str, object] = {"reason": d.reason_text()}
            if kind == "grade_confirmed":
                fields["grade"] = d.grade.value()
            self.ctx.bedside.record(mrn, kind, fields, pin=d.pin_text())

        dialog.save = save
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(done, 10000)
            self.ctx.signals.recordsChanged.emit(mrn)
        self._update_actions()

    def confirm_grade(self) -> None:
        """A clinician confirms or overrides the computed CRS grade with a reason (one grade_confirmed record)."""
        self._clinician_entry(self.make_grade_dialog(), "grade_confirmed", self.tr("CRS grade confirmation saved."))

    def close_episode(self) -> None:
        """A clinician closes the open CRS episode with a reason (one crs_episode_closed record)."""
        self._clinician_entry(self.make_close_episode_dialog(), "crs_episode_closed",
                              self.tr("CRS episode closed."))

    # -- the nurse's round (issue 13) ------------------------------------------------------------------------------
    def _build_round_menus(self, bar, patient_menu) -> None:
        """Patient: admit, edit, transfer, discharge, answer prompts; Record: what was done (each with a shortcut)."""
        patient_menu.addSeparator()
        self.admit_action = self._action(Round.tr("&Admit…"), "Ctrl+N", self.admit, patient_menu)
        self.edit_action = self._action(Round.tr("Edit &details…"), "Ctrl+Shift+E",
                                        lambda: self.patient_details("edit"), patient_menu)
        self.transfer_action = self._action(Round.tr("&Transfer…"), "Ctrl+Shift+T",
                                            lambda: self.patient_details("transfer"), patient_menu)
        self.discharge_action = self._action(Round.tr("Disc&harge…"), "Ctrl+Shift+D",
                                             lambda: self.record_kind("discharge"), patient_menu)
        patient_menu.addSeparator()
        self.answer_action = self._action(Round.tr("Answer prompts (&escalation)…"), "Ctrl+K",
                                          lambda: self.answer_prompts(None), patient_menu)
        record_menu = bar.addMenu(Round.tr("&Record"))
        record_menu.setToolTipsVisible(True)
        self.record_actions = {}
        for kind, shortcut in RECORD_SHORTCUTS.items():
            self.record_actions[kind] = self._action(w.word(w.RECORD_KINDS, kind) + "…", shortcut,
                                                     lambda _=False, k=kind: self.record_kind(k), record_menu)

    def _update_round_actions(self, locked: bool) -> None:
        """Admit and import need their role; the rest need a patient shown or highlighted, and the role to record."""
        has_patient = not locked and (self._on_patient_page() or self.ward.proxy.rowCount() > 0)
        self._allow(self.admit_action, Permission.RECORD, not locked)
        self._allow(self.import_action, Permission.IMPORT, not locked)
        for action in (self.edit_action, self.transfer_action, self.discharge_action, self.answer_action,
                       *self.record_actions.values()):
            self._allow(action, Permission.RECORD, has_patient)

    def _round_state(self):
        """The state of the patient shown or highlighted (a message in the status bar when there is none)."""
        mrn = self.current_mrn()
        if not mrn:
            self.statusBar().showMessage(self.tr("Choose a patient first."), 5000)
            return None
        return self.ctx.bedside.state(mrn)

    def _after_round_dialog(self, message: str, mrn: str, warnings: tuple[str, ...] = ()) -> None:
        self.statusBar().showMessage(" ".join([message, *warnings]), 10000)
        if self.pages.currentWidget() is self.ward:
            self.ward.refresh()
        else:
            self.patient.refresh()
        self._update_actions()

    def make_record_dialog(self, kind: str):
        """The form for one kind of record for the patient shown (not shown)."""
        from gui.record_dialogs import RecordDialog

        state = self._round_state()
        return None if state is None else RecordDialog(self.ctx, state, kind, self)

    def record_kind(self, kind: str) -> None:
        """Record what was done (Record menu), or discharge (Patient menu)."""
        dialog = self.make_record_dialog(kind)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Saved."), dialog.mrn, dialog.recorded.warnings)

    def make_escalation_dialog(self, code: str | None = None):
        """Answer prompts for the patient shown (not shown); ``code`` ticks only that prompt."""
        from gui.escalation_dialog import EscalationDialog

        state = self._round_state()
        return None if state is None else EscalationDialog(self.ctx, state, code, self)

    def answer_prompts(self, code: str | None) -> None:
        """Record whom the nurse called about the prompts and what they did (one escalation record)."""
        dialog = self.make_escalation_dialog(code)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Answer saved."), dialog.mrn, dialog.recorded.warnings)

    def record_for_prompt(self, code: str) -> None:
        """The record a prompt asks for: the premedication, the infusion stopped, the bag, a set of vitals."""
        from gui.escalation_dialog import PROMPT_RECORDS

        action = PROMPT_RECORDS.get(code)
        if action == "vitals":
            self.record_vitals()
        elif action is not None and self._on_patient_page():
            self.patient.tabs.setCurrentWidget(self.patient.infusion)
            self.patient.infusion.run_action(action)

    def make_patient_dialog(self, mode: str):
        """Admit (no patient needed), edit or transfer the patient shown (not shown)."""
        from gui.admit_dialog import PatientDialog

        if mode == "admit":
            return PatientDialog(self.ctx, "admit", parent=self)
        state = self._round_state()
        return None if state is None else PatientDialog(self.ctx, mode, state.patient, self)

    def admit(self) -> None:
        """Patient -> Admit... : the new patient's page opens once saved."""
        dialog = self.make_patient_dialog("admit")
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.admitted is not None:
            self.ward.refresh()
            self.open_patient(dialog.admitted.mrn)
            self.statusBar().showMessage(Round.tr("Patient admitted."), 10000)

    def patient_details(self, mode: str) -> None:
        """Edit the details or transfer: a patient_updated record of what changed."""
        dialog = self.make_patient_dialog(mode)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Details saved."), dialog.patient.mrn, dialog.recorded.warnings)

    def ask_import_path(self) -> str:
        """The file to import (a file dialog; tests replace it)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, Round.tr("Import a file"), "", Round.tr("JSON files (*.json)"))
        return path

    def import_file(self) -> None:
        """File -> Import...: the preview, then the import (what `crs-bedside import` does)."""
        from gui.import_dialog import ImportDialog

        path = self.ask_import_path()
        if not path:
            return
        dialog = ImportDialog(self.ctx, path, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_counts is not None:
            r = dialog.result_counts
            self.ward.refresh()
            self.statusBar().showMessage(Round.tr("Imported: %1 patients, %2 records (%3 already stored).").replace(
                "%1", str(r.patients_added)).replace("%2", str(r.records_added)).replace(
                "%3", str(r.records_already_present)), 10000)

    # -- actions ------------------------------------------------------------------------------------------------
    def make_wizard(self, mrn: str) -> VitalsWizard:
        """The vitals wizard for a patient (not shown)."""
        from gui.wizard import VitalsWizard

        return VitalsWizard(self.ctx, mrn, self)

    def record_vitals(self) -> None:
        """Open the vitals wizard for the patient shown (or highlighted on the ward)."""
        mrn = self.current_mrn()
        if not mrn:
            self.statusBar().showMessage(self.tr("Choose a patient first."), 5000)
            return
        try:
            wizard = self.make_wizard(mrn)
            if wizard.exec() == QDialog.DialogCode.Accepted:
                message = self.tr("Vitals saved.")
                if wizard.warnings:
                    message += " " + " ".join(wizard.warnings)
                self.statusBar().showMessage(message, 10000)
                if self.pages.currentWidget() is self.ward:
                    self.open_patient(mrn)
        except Exception as exc:  # the one error path
            show_exception(self, exc)

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
        self.statusBar().showMessage(self.tr("The language changes the next time CRS Bedside starts."))

    def show_shortcuts(self) -> None:
        """The keyboard shortcuts."""
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.shortcuts_text())

    def shortcuts_text(self) -> str:
        """The keyboard shortcuts in words."""
        return (self.tr(
            "Ward: ↑/↓ choose a patient, Enter opens, F5 refreshes.\n"
            "Patient: Ctrl+R records vitals, Ctrl+T trend, Ctrl+L records, Ctrl+U audit trail, Ctrl+E marks a record "
            "entered in error, Ctrl+G confirms or overrides the CRS grade (clinicians), Esc back to the ward.\n"
            "Ctrl+Shift+L locks the screen so that the next person signs in.\n"
            "Vitals: type a value, Tab to the next, Enter for the next step, Alt+← back, Enter on the review saves.")
            + "\n" + Round.tr(
            "Round: Ctrl+N admits, Ctrl+Shift+E edits the details, Ctrl+Shift+T transfers, Ctrl+Shift+D discharges; "
            "Ctrl+K answers prompts; Record menu: Ctrl+B bolus, Ctrl+M CRS treatment, Ctrl+Shift+V / Ctrl+Alt+V "
            "vasopressor started / stopped, Ctrl+Shift+O oxygen, Ctrl+Shift+R lab, Ctrl+J ICE/neuro, Ctrl+Y symptom, "
            "Ctrl+Shift+N note, Ctrl+D observations not done; Ctrl+Shift+I imports a file. On the ward, type or scan "
            "an MRN and press Enter."))

    def show_about(self) -> None:
        """Version and purpose."""
        QMessageBox.about(self, self.tr("About CRS Bedside"), self.tr(
            "CRS Bedside %1\nSupports nursing observation and escalation for patients at risk of cytokine release "
            "syndrome. It recommends; it never orders.").replace("%1", app_version()))
