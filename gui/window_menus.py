"""The main window's menus (File, Patient, Record, View, Settings, Help) with their shortcuts, which of their actions
the page and the signed-in role allow (a disabled action says why in its tooltip), and the Help menu's texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox

from core import __version__
from core.security import Permission
from gui import words as w
from gui.i18n import Round
from gui.login import user_text

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The Record menu (issue 13): each kind of record with its shortcut.
RECORD_SHORTCUTS = {
    "fluid_bolus": "Ctrl+B", "crs_treatment": "Ctrl+M", "vasopressor_started": "Ctrl+Shift+V",
    "vasopressor_stopped": "Ctrl+Alt+V", "oxygen": "Ctrl+Shift+O", "lab_result": "Ctrl+Shift+R",
    "neuro_assessment": "Ctrl+J", "symptom": "Ctrl+Y", "note": "Ctrl+Shift+N", "observations_not_done": "Ctrl+D",
}


class WindowMenus(QObject):
    """Builds the menus of a MainWindow (its actions become the window's ``..._action`` attributes) and keeps them
    enabled as the page and the role allow."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self._build(window.menuBar())

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
                slot: Callable[..., object], menu: QMenu) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build(self, bar: QMenuBar) -> None:
        win, act = self.window, self._action
        files, handover, patients, session = win.files, win.handover_actions, win.patient_actions, win.session
        file_menu = bar.addMenu(self.tr("&File"))
        win.lock_action = act(self.tr("&Lock / switch user"), "Ctrl+Shift+L", win.lock, file_menu)
        win.users_action = act(self.tr("&Users…"), None, session.manage_users, file_menu)
        win.backup_action = act(self.tr("Make a &backup now"), None, files.make_scheduled_backup, file_menu)
        file_menu.addSeparator()
        win.merge_action = act(self.tr("&Merge from another laptop…"), None, files.merge_from_laptop, file_menu)
        win.ehr_export_action = act(self.tr("&Export for the EHR…"), None, files.export_for_ehr, file_menu)
        file_menu.addSeparator()
        win.handover_preview_action = act(self.tr("Handover: print pre&view…"), "Ctrl+P", handover.preview,
                                          file_menu)
        win.handover_print_action = act(self.tr("Handover: &print…"), "Ctrl+Shift+P", handover.print_, file_menu)
        win.handover_pdf_action = act(self.tr("Handover: save as P&DF…"), "Ctrl+Shift+S", win.save_handover_pdf,
                                      file_menu)
        file_menu.addSeparator()
        win.import_action = act(Round.tr("&Import…"), "Ctrl+Shift+I", win.import_file, file_menu)
        file_menu.addSeparator()
        win.quit_action = act(self.tr("&Quit"), QKeySequence.StandardKey.Quit, win.close, file_menu)
        patient_menu = bar.addMenu(self.tr("&Patient"))
        win.open_action = act(self.tr("&Open selected patient"), "Ctrl+O", win.ward.open_current, patient_menu)
        win.vitals_action = act(self.tr("Record &vitals…"), "Ctrl+R", win.record_vitals, patient_menu)
        self._build_round_menus(bar, patient_menu)
        win.correct_action = act(self.tr("Mark record &entered in error…"), "Ctrl+E", win.mark_entered_in_error,
                                 patient_menu)
        patient_menu.addSeparator()
        win.grade_action = act(self.tr("Confirm/override CRS &grade…"), "Ctrl+G", win.confirm_grade, patient_menu)
        win.close_episode_action = act(self.tr("Close CRS e&pisode…"), None, patients.close_episode, patient_menu)
        patient_menu.addSeparator()
        win.back_action = act(self.tr("Back to the &ward"), "Esc", win.show_ward, patient_menu)
        self._build_view_menu(bar)
        self._build_settings_menu(bar)
        for menu in (file_menu, patient_menu):
            menu.setToolTipsVisible(True)
        help_menu = bar.addMenu(self.tr("&Help"))
        act(self.tr("&Keyboard shortcuts"), "F1", self.show_shortcuts, help_menu)
        act(self.tr("&About CRS Bedside"), None, self.show_about, help_menu)

    def _build_view_menu(self, bar: QMenuBar) -> None:
        win, act = self.window, self._action
        view_menu = bar.addMenu(self.tr("&View"))
        act(self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, win.refresh, view_menu)
        # (each tab is looked up only on a patient's page, where the page exists: no page is built for nothing)
        act(self.tr("&Trend"), "Ctrl+T", lambda: win.show_tab_of(lambda: win.patient.trend), view_menu)
        act(self.tr("Re&cords"), "Ctrl+L", lambda: win.show_tab_of(lambda: win.patient.records), view_menu)
        act(self.tr("&Infusion"), "Ctrl+I", lambda: win.show_tab_of(lambda: win.patient.infusion), view_menu)
        act(self.tr("&Audit trail"), "Ctrl+U", lambda: win.show_tab_of(lambda: win.audit), view_menu)
        size_menu = view_menu.addMenu(self.tr("Text si&ze"))
        change = win.preferences.change_text_size
        win.larger_action = act(self.tr("&Larger text"), QKeySequence.StandardKey.ZoomIn, lambda: change(1),
                                size_menu)
        win.smaller_action = act(self.tr("&Smaller text"), QKeySequence.StandardKey.ZoomOut, lambda: change(-1),
                                 size_menu)
        act(self.tr("&Normal text size"), "Ctrl+0", lambda: change(0), size_menu)

    def _build_settings_menu(self, bar: QMenuBar) -> None:
        win, act = self.window, self._action
        settings_menu = bar.addMenu(self.tr("&Settings"))
        unit_group = QActionGroup(win)
        for unit, text in (("C", self.tr("Temperature in °&C")), ("F", self.tr("Temperature in °&F"))):
            action = act(text, None, lambda _=False, u=unit: win.set_temperature_unit(u), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.temperature_unit == unit)
            unit_group.addAction(action)
        settings_menu.addSeparator()
        language_group = QActionGroup(win)
        for language, text in (("en", "&English"), ("es", "E&spañol")):
            action = act(text, None, lambda _=False, lang=language: win.set_language(lang), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.language == language)
            language_group.addAction(action)

    def _build_round_menus(self, bar: QMenuBar, patient_menu: QMenu) -> None:
        """Patient: admit, edit, transfer, discharge, answer prompts; Record: what was done (each with a shortcut)."""
        win, act, patients = self.window, self._action, self.window.patient_actions
        patient_menu.addSeparator()
        win.admit_action = act(Round.tr("&Admit…"), "Ctrl+N", win.admit, patient_menu)
        win.edit_action = act(Round.tr("Edit &details…"), "Ctrl+Shift+E", lambda: patients.patient_details("edit"),
                              patient_menu)
        win.transfer_action = act(Round.tr("&Transfer…"), "Ctrl+Shift+T",
                                  lambda: patients.patient_details("transfer"), patient_menu)
        win.discharge_action = act(Round.tr("Disc&harge…"), "Ctrl+Shift+D",
                                   lambda: patients.record_kind("discharge"), patient_menu)
        patient_menu.addSeparator()
        win.answer_action = act(Round.tr("Answer prompts (&escalation)…"), "Ctrl+K",
                                lambda: win.answer_prompts(None), patient_menu)
        record_menu = bar.addMenu(Round.tr("&Record"))
        record_menu.setToolTipsVisible(True)
        win.record_actions = {}
        for kind, shortcut in RECORD_SHORTCUTS.items():
            win.record_actions[kind] = act(w.word(w.RECORD_KINDS, kind) + "…", shortcut,
                                           lambda _=False, k=kind: patients.record_kind(k), record_menu)

    # -- what is enabled ----------------------------------------------------------------------------------------
    def update(self) -> None:
        """Enable what the page and the signed-in role allow; a disabled action says why in its tooltip."""
        win = self.window
        locked = win.is_locked()
        on_patient = win.on_patient_page() and not locked
        for menu_action in win.menuBar().actions():
            menu: QMenu | None = menu_action.menu()  # type: ignore[assignment]  # PySide6's stub says QObject
            for action in menu.actions() if menu is not None else ():
                # While locked only quitting works: a shortcut must not reach the hidden ward (Ctrl+R ...).
                action.setEnabled(not locked or action is win.quit_action)
        win.back_action.setEnabled(on_patient)
        win.open_action.setEnabled(not on_patient and not locked)
        record_ok = self.allow(win.vitals_action, Permission.RECORD, not locked)
        self.allow(win.correct_action, Permission.RECORD, on_patient)
        if win.patient_page_built():
            win.patient.vitals_button.setEnabled(record_ok)
            win.patient.vitals_button.setToolTip(win.vitals_action.toolTip())
        self.allow(win.grade_action, Permission.CONFIRM_GRADE, on_patient)
        self.allow(win.merge_action, Permission.IMPORT, not locked)
        self.allow(win.ehr_export_action, Permission.READ, not locked and win.files.fhir_export is None)
        state = win.patient.state if on_patient else None
        if self.allow(win.close_episode_action, Permission.CLOSE_EPISODE, on_patient) and state is not None \
                and not state.crs.episode_open:
            win.close_episode_action.setEnabled(False)
            win.close_episode_action.setToolTip(self.tr("No CRS episode is open for this patient."))
        self._update_round_actions(locked)
        if win.session.accounts.needs_first_admin():
            win.users_action.setText(self.tr("Create the &administrator…"))
            win.users_action.setEnabled(not locked)
            win.users_action.setToolTip(self.tr("Create the first account, an admin: from then on everyone signs in."))
        else:
            win.users_action.setText(self.tr("&Users…"))
            self.allow(win.users_action, Permission.MANAGE_USERS, not locked)

    def _update_round_actions(self, locked: bool) -> None:
        """Admit and import need their role; the rest need a patient shown or highlighted, and the role to record."""
        win = self.window
        has_patient = not locked and (win.on_patient_page() or win.ward.proxy.rowCount() > 0)
        self.allow(win.admit_action, Permission.RECORD, not locked)
        self.allow(win.import_action, Permission.IMPORT, not locked)
        for action in (win.edit_action, win.transfer_action, win.discharge_action, win.answer_action,
                       *win.record_actions.values()):
            self.allow(action, Permission.RECORD, has_patient)

    def allow(self, action: QAction, permission: Permission, available: bool) -> bool:
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

    # -- Help -----------------------------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        """The keyboard shortcuts."""
        QMessageBox.information(self.window, self.tr("Keyboard shortcuts"), self.shortcuts_text())

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
        QMessageBox.about(self.window, self.tr("About CRS Bedside"), self.tr(
            "CRS Bedside %1\nSupports nursing observation and escalation for patients at risk of cytokine release "
            "syndrome. It recommends; it never orders.").replace("%1", __version__))
