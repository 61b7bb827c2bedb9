"""The admin's "Users" dialog: the accounts and their roles; add an account, set roles, reset a PIN, disable or
enable. Every change goes through core's ``Accounts`` (an admin check, a new chained version of the account)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.security import Accounts, PermissionDenied, Role, User
from gui.errors import show_exception
from gui.login import AccountDialog, message_label, role_word
from gui.words import column_cell_text


class UsersDialog(QDialog):
    """The accounts of this database (admins only): list, add, roles, PIN reset, disable/enable."""

    def __init__(self, accounts: Accounts, admin: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.accounts = accounts
        self.admin = admin
        self.setWindowTitle(self.tr("Users – CRS Bedside"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Roles"),
                                              self.tr("Status")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAccessibleName(self.tr("User accounts"))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.message = message_label(self.tr("Users message"))
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add user…"))
        self.roles_button = QPushButton(self.tr("Set &roles…"))
        self.pin_button = QPushButton(self.tr("Reset &PIN…"))
        self.active_button = QPushButton(self.tr("&Disable"))
        close = QPushButton(self.tr("&Close"))
        for button in (self.add_button, self.roles_button, self.pin_button, self.active_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_user)
        self.roles_button.clicked.connect(self.set_roles)
        self.pin_button.clicked.connect(self.reset_pin)
        self.active_button.clicked.connect(self.toggle_active)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.users: list[User] = []
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Re-read the accounts from core."""
        self.users = self.accounts.list_users(self.admin)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            roles = ", ".join(role_word(r) for r in sorted(user.roles, key=lambda r: r.value))
            status = self.tr("active") if user.active else self.tr("disabled")
            for column, text in enumerate((user.username, user.display_name, roles, status)):
                item = QTableWidgetItem(text)
                header = self.table.horizontalHeaderItem(column).text()  # type: ignore[union-attr]  # set in __init__
                item.setData(Qt.ItemDataRole.AccessibleTextRole, column_cell_text(header, text))
                self.table.setItem(row, column, item)
            if user.username == select:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def selected(self) -> User | None:
        """The account highlighted."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.users[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.roles_button, self.pin_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText(self.tr("&Enable") if user is not None and not user.active else self.tr("&Disable"))

    def run_account_dialog(self, dialog: AccountDialog, apply) -> bool:
        """Show a dialog; its OK applies the change through core, and a refusal stays inline in the dialog."""
        def on_ok() -> None:
            try:
                done = apply(dialog)
            except InputError as exc:
                dialog.error.setText(str(exc))
                return
            except PermissionDenied as exc:
                dialog.reject()
                show_exception(self, exc)
                return
            if done:
                dialog.accept()

        dialog.buttons.accepted.connect(on_ok)
        return self.exec_dialog(dialog) == QDialog.DialogCode.Accepted

    def exec_dialog(self, dialog: QDialog) -> int:
        """Show a sub-dialog modally (tests drive it instead)."""
        return dialog.exec()

    def add_user(self) -> None:
        """Add an account: user name, full name, roles, PIN."""
        dialog = AccountDialog(self.tr("Add a user"), ask_name=True, ask_roles=True, ask_pin=True,
                               roles=frozenset({Role.NURSE}), parent=self)

        def apply(d: AccountDialog) -> bool:
            pin = d.take_pin()
            if pin is None:
                return False
            user = self.accounts.add_user(self.admin, d.username.text().strip(), d.display_name.text(),
                                          d.chosen_roles(), pin)
            self.refresh(select=user.username)
            self.message.setText(self.tr("Account %1 added.").replace("%1", user.username))
            return True

        self.run_account_dialog(dialog, apply)

    def set_roles(self) -> None:
        """Change the highlighted account's roles."""
        user = self.selected()
        if user is None:
            return
        dialog = AccountDialog(self.tr("Roles of %1").replace("%1", user.username), username=user.username,
                               roles=user.roles, ask_roles=True, parent=self)

        def apply(d: AccountDialog) -> bool:
            self.accounts.set_roles(self.admin, user.username, d.chosen_roles())
            self.refresh(select=user.username)
            self.message.setText(self.tr("Roles of %1 changed.").replace("%1", user.username))
            return True

        self.run_account_dialog(dialog, apply)

    def reset_pin(self) -> None:
        """Give the highlighted account a new PIN (for someone who forgot theirs)."""
        user = self.selected()
        if user is None:
            return
        dialog = AccountDialog(self.tr("New PIN for %1").replace("%1", user.username), username=user.username,
                               ask_pin=True, parent=self)

        def apply(d: AccountDialog) -> bool:
            pin = d.take_pin()
            if pin is None:
                return False
            self.accounts.set_pin(self.admin, user.username, pin)
            self.message.setText(self.tr("The PIN of %1 was reset.").replace("%1", user.username))
            return True

        self.run_account_dialog(dialog, apply)

    def toggle_active(self) -> None:
        """Disable the highlighted account (its records keep its name), or enable it again."""
        user = self.selected()
        if user is None:
            return
        try:
            self.accounts.set_active(self.admin, user.username, not user.active)
        except InputError as exc:
            self.message.setText(str(exc))
            return
        except PermissionDenied as exc:
            show_exception(self, exc)
            return
        self.refresh(select=user.username)
        text = self.tr("Account %1 enabled.") if not user.active else self.tr("Account %1 disabled.")
        self.message.setText(text.replace("%1", user.username))
