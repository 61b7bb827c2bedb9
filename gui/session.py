"""The session of the main window: the lock screen (quick switch of user, auto-lock), who is signed in, and the
accounts (the admin's users dialog, or the creation of the first administrator)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from core.security import Permission, User
from gui.autolock import AutoLock
from gui.errors import show_exception
from gui.login import FirstAdminDialog, show_recovery_key, switch_user, user_text

if TYPE_CHECKING:
    from gui.login import LockScreen
    from gui.main_window import MainWindow
    from gui.users_dialog import UsersDialog

log = logging.getLogger("crs_bedside.gui")


class SessionController(QObject):
    """Locks and unlocks the window, shows who is signed in, and opens the accounts."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.accounts = self.ctx.bedside.accounts()
        self._lock_screen: LockScreen | None = None
        self.autolock = AutoLock(self.ctx.clock, self.ctx.settings.autolock_minutes, window)
        self.autolock.idleTimedOut.connect(self._on_autolock_idle_timed_out)

    @property
    def lock_screen(self) -> LockScreen:
        """The sign-in that hides the ward while locked, built at the first lock."""
        if self._lock_screen is None:
            from gui.login import LockScreen

            self._lock_screen = LockScreen(self.accounts, demo=self.window.demo)
            self._lock_screen.form.signedIn.connect(self._on_lock_signed_in)
            self.window.screens.addWidget(self._lock_screen)
        return self._lock_screen

    def is_locked(self) -> bool:
        """True while the lock screen hides the ward."""
        return self._lock_screen is not None and self.window.screens.currentWidget() is self._lock_screen

    def lock(self) -> None:
        """Hide every patient behind the sign-in (quick switch of user, or auto-lock); open dialogs are closed
        without saving."""
        if self.is_locked():
            return
        modal = QApplication.activeModalWidget()
        while isinstance(modal, QDialog) and modal is not self.window:
            modal.done(QDialog.DialogCode.Rejected)
            following = QApplication.activeModalWidget()
            if following is modal:
                break
            modal = following
        self.autolock.armed = False
        self.window.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.form.reset(self.ctx.bedside.user)
        self.window.status.user_label.setText(self.tr("Locked"))
        self.window.update_actions()
        log.info("session locked")

    def _on_autolock_idle_timed_out(self) -> None:
        log.info("auto-lock after %d minutes without input", self.autolock.minutes)
        self.lock()

    def _on_lock_signed_in(self, user: User | str) -> None:
        same = (user.username if isinstance(user, User) else user) == self.ctx.bedside.user
        if not same or isinstance(user, User):
            switch_user(self.ctx, user)
        window = self.window
        window.screens.setCurrentWidget(window.content)
        self.autolock.restart()
        window.preferences.apply_user_text_size()
        self.show_user()
        window.refresh()
        log.info("session unlocked same_user=%s", same)
        if window.on_patient_page():
            window.patient.focus_default()
        else:
            window.ward.focus_table()

    def show_user(self) -> None:
        """Who is signed in (status bar), whether the file is in clear, and a new recovery key once."""
        label = self.window.status.user_label
        label.setText(self.tr("User: %1").replace("%1", user_text(self.ctx.bedside)))
        label.setAccessibleName(label.text())
        self.window.status.unprotected_label.setVisible(not self.ctx.bedside.file_facts().encrypted)
        show_recovery_key(self.accounts, self.window)   # the file was just encrypted here: its recovery key, once

    def make_users_dialog(self) -> UsersDialog:
        """The admin's accounts dialog (not shown)."""
        from gui.users_dialog import UsersDialog

        assert isinstance(self.ctx.bedside.account, User)
        return UsersDialog(self.accounts, self.ctx.bedside.account, self.window)

    def make_first_admin_dialog(self) -> FirstAdminDialog:
        """First-run creation of the administrator from a session in open mode (not shown)."""
        return FirstAdminDialog(self.accounts, parent=self.window)

    def manage_users(self) -> None:
        """The accounts (admins), or, while the database has none, the creation of the administrator."""
        try:
            if self.accounts.needs_first_admin():
                dialog = self.make_first_admin_dialog()
                if dialog.exec() == QDialog.DialogCode.Accepted and dialog.user is not None:
                    switch_user(self.ctx, dialog.user)
                    self.show_user()
                    self.window.statusBar().showMessage(
                        self.tr("Administrator created: from now on everyone signs in."), 10000)
            else:
                self.ctx.bedside.require(Permission.MANAGE_USERS)
                self.make_users_dialog().exec()
        except Exception as exc:  # the one error path
            show_exception(self.window, exc)
        self.window.update_actions()
