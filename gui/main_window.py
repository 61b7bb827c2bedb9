"""The main window: a shell holding the ward view and the patient page, wired to small controllers — the menus
(gui/window_menus.py), the status bar and background checks (gui/window_status.py), the session and accounts
(gui/session.py), the files (gui/file_actions.py), the handover (gui/handover_actions.py), the patient's dialogs
(gui/patient_actions.py) and the settings (gui/preferences.py). Nothing clinical is decided here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from gui import status_style as ss
from gui.context import AppContext
from gui.file_actions import FileActions
from gui.handover_actions import HandoverActions
from gui.patient_actions import PatientActions
from gui.preferences import Preferences
from gui.session import SessionController
from gui.settings import geometry_settings_path
from gui.ward_view import WardView
from gui.window_menus import RECORD_SHORTCUTS, WindowMenus
from gui.window_status import WindowStatusBar

# The patient page, the lock screen and the dialogs are imported and built when first needed: start-up shows the
# ward and nothing else (build_scripts/bench.py measures it).
if TYPE_CHECKING:
    from gui.admit_dialog import PatientDialog
    from gui.audit_view import AuditView
    from gui.clinician_dialogs import ClinicianEntryDialog
    from gui.escalation_dialog import EscalationDialog
    from gui.login import FirstAdminDialog, LockScreen
    from gui.patient_page import PatientPage
    from gui.printing import HandoverController
    from gui.record_dialogs import RecordDialog
    from gui.wizard import VitalsWizard

__all__ = ["RECORD_SHORTCUTS", "MainWindow"]


class MainWindow(QMainWindow):
    """Shell: switches between the ward and a patient, holds the menus and the status bar, nothing clinical."""

    # The menus' actions (built by WindowMenus), named here for readers and the type checker.
    lock_action: QAction
    users_action: QAction
    backup_action: QAction
    merge_action: QAction
    ehr_export_action: QAction
    handover_preview_action: QAction
    handover_print_action: QAction
    handover_pdf_action: QAction
    import_action: QAction
    quit_action: QAction
    open_action: QAction
    vitals_action: QAction
    correct_action: QAction
    grade_action: QAction
    close_episode_action: QAction
    back_action: QAction
    larger_action: QAction
    smaller_action: QAction
    admit_action: QAction
    edit_action: QAction
    transfer_action: QAction
    discharge_action: QAction
    answer_action: QAction
    record_actions: dict[str, QAction]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preferences = Preferences(self)
        self.preferences.apply_user_text_size()
        self.demo = ctx.demo or ctx.bedside.is_demo()
        title = self.tr("CRS Bedside")
        demo_title = self.tr("DEMO WARD")
        self.setWindowTitle(f"{title} – {demo_title}" if self.demo else title)
        self.ward = WardView(ctx)
        self._patient: PatientPage | None = None
        self._audit: AuditView | None = None
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
        self.screens = QStackedWidget()
        self.screens.addWidget(self.content)
        self.setCentralWidget(self.screens)
        self.session = SessionController(self)
        self.accounts = self.session.accounts
        self.autolock = self.session.autolock
        self.files = FileActions(self)
        self.backup_timer = self.files.backup_timer
        self.handover_actions = HandoverActions(self)
        self.patient_actions = PatientActions(self)
        self.ward.patientActivated.connect(self.open_patient)
        self.ward.admitRequested.connect(self.admit)
        self.ward.importRequested.connect(self.import_file)
        self.menus = WindowMenus(self)
        self.status = WindowStatusBar(self)
        status = self.status   # its labels, by the names tests and the accessibility walk read
        self.db_label, self.user_label, self.protocol_label = status.db_label, status.user_label, status.protocol_label
        self.backup_label, self.tamper_label, self.clock_label = status.backup_label, status.tamper_label, \
            status.clock_label
        self.unprotected_label, self.outbox_label = status.unprotected_label, status.outbox_label
        self.session.show_user()
        self._restore_geometry()
        self.show_ward()

    # -- the pages ----------------------------------------------------------------------------------------------
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
            page.banner.recordRequested.connect(self.patient_actions.record_for_prompt)
            self.pages.addWidget(page)
            self._patient = page
            self.update_actions()
        return self._patient

    def patient_page_built(self) -> bool:
        """Whether the patient page exists yet (it is built the first time a patient is opened)."""
        return self._patient is not None

    @property
    def audit(self) -> AuditView:
        """The patient's audit trail tab."""
        self.patient    # noqa: B018 - builds the page, which holds the tab
        assert self._audit is not None
        return self._audit

    @property
    def lock_screen(self) -> LockScreen:
        """The sign-in that hides the ward while locked, built at the first lock."""
        return self.session.lock_screen

    def on_patient_page(self) -> bool:
        """True while a patient's page is the one shown."""
        return self._patient is not None and self.pages.currentWidget() is self._patient

    def show_ward(self) -> None:
        """The ward list, with the keyboard in the table."""
        self.pages.setCurrentWidget(self.ward)   # the ward refreshes itself when shown if anything changed
        self.ward.focus_table()
        self.update_actions()

    def open_patient(self, mrn: str) -> None:
        """A patient's page."""
        self.patient.set_patient(mrn)
        self.audit.set_patient(mrn)
        self.pages.setCurrentWidget(self.patient)
        self.patient.focus_default()
        self.update_actions()

    def current_mrn(self) -> str | None:
        """The patient shown, or highlighted on the ward."""
        if self.on_patient_page():
            return self.patient.mrn
        return self.ward.current_mrn()

    def _show_tab(self, widget: QWidget) -> None:
        if self.on_patient_page():
            self.patient.tabs.setCurrentWidget(widget)

    def show_tab_of(self, tab: Callable[[], QWidget]) -> None:
        """A tab of the patient's page, looked up only when on that page (no page is built for nothing)."""
        if self.on_patient_page():
            self._show_tab(tab())

    def mark_entered_in_error(self) -> None:
        """Patient -> Mark record entered in error: the records tab, with the correction dialog."""
        self._show_tab(self.patient.records)
        self.patient.records.mark_entered_in_error()

    def refresh(self) -> None:
        """Re-read everything shown."""
        self.status.refresh()
        self.ward.refresh()
        if self._patient is not None:
            self._patient.refresh()
            self.audit.refresh()
        self.update_actions()

    def update_actions(self) -> None:
        """Enable what the page and the signed-in role allow (gui/window_menus.py)."""
        self.menus.update()

    # -- the window ---------------------------------------------------------------------------------------------
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
        self.status.wait_for_checks()

    # -- what the menus, the pages and the tests call, kept here by name (each is one controller's) ---------------
    def is_locked(self) -> bool:
        """True while the lock screen hides the ward (gui/session.py)."""
        return self.session.is_locked()

    def lock(self) -> None:
        """Hide every patient behind the sign-in (gui/session.py)."""
        self.session.lock()

    def make_first_admin_dialog(self) -> FirstAdminDialog:
        """First-run creation of the administrator (not shown; gui/session.py)."""
        return self.session.make_first_admin_dialog()

    def text_size(self) -> float:
        """The signed-in user's text size (gui/preferences.py)."""
        return self.preferences.text_size()

    def apply_user_text_size(self) -> None:
        """Set the application font to the signed-in user's text size (gui/preferences.py)."""
        self.preferences.apply_user_text_size()

    def set_temperature_unit(self, unit: str) -> None:
        """°C or °F on screen (gui/preferences.py)."""
        self.preferences.set_temperature_unit(unit)

    def set_language(self, language: str) -> None:
        """Language of the next start (gui/preferences.py)."""
        self.preferences.set_language(language)

    def shortcuts_text(self) -> str:
        """The keyboard shortcuts in words (gui/window_menus.py)."""
        return self.menus.shortcuts_text()

    def start_background_checks(self) -> None:
        """The slow start-up checks in the background (gui/window_status.py)."""
        self.status.start_background_checks()

    def import_file(self) -> None:
        """File -> Import... (gui/file_actions.py)."""
        self.files.import_file()

    def handover(self) -> HandoverController:
        """The one handover controller of this window (gui/handover_actions.py)."""
        return self.handover_actions.controller()

    def save_handover_pdf(self) -> None:
        """Save the handover as a PDF (gui/handover_actions.py)."""
        self.handover_actions.save_pdf()

    def make_wizard(self, mrn: str) -> VitalsWizard:
        """The vitals wizard for a patient (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_wizard(mrn)

    def record_vitals(self) -> None:
        """Open the vitals wizard for the patient shown or highlighted (gui/patient_actions.py)."""
        self.patient_actions.record_vitals()

    def make_grade_dialog(self) -> ClinicianEntryDialog:
        """Confirm or override the computed CRS grade (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_grade_dialog()

    def make_close_episode_dialog(self) -> ClinicianEntryDialog:
        """Close the open CRS episode (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_close_episode_dialog()

    def confirm_grade(self) -> None:
        """A clinician confirms or overrides the computed CRS grade (gui/patient_actions.py)."""
        self.patient_actions.confirm_grade()

    def close_episode(self) -> None:
        """A clinician closes the open CRS episode (gui/patient_actions.py)."""
        self.patient_actions.close_episode()

    def make_record_dialog(self, kind: str) -> RecordDialog | None:
        """The form for one kind of record for the patient shown (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_record_dialog(kind)

    def make_escalation_dialog(self, code: str | None = None) -> EscalationDialog | None:
        """Answer prompts for the patient shown (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_escalation_dialog(code)

    def answer_prompts(self, code: str | None) -> None:
        """Record whom the nurse called about the prompts (gui/patient_actions.py)."""
        self.patient_actions.answer_prompts(code)

    def make_patient_dialog(self, mode: str) -> PatientDialog | None:
        """Admit, edit or transfer (not shown; gui/patient_actions.py)."""
        return self.patient_actions.make_patient_dialog(mode)

    def admit(self) -> None:
        """Patient -> Admit... (gui/patient_actions.py)."""
        self.patient_actions.admit()
