"""Signing in: the log-in form (start-up dialog and lock screen), first-run creation of the administrator, and the
switch of the session's user. The PIN field never echoes and is cleared after every attempt; a PIN is never kept,
logged or written anywhere but through core's hash (core/security.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError, StoreError
from core.security import PIN_MAX_LENGTH, Accounts, AuthError, Role, SignIn, User
from core.services import Bedside
from gui import status_style as ss
from gui import words as w
from gui.context import AppContext


def database_label(template: str, path: object) -> QLabel:
    """``Database: ward.db``: the file's name fits any width; the whole path is in the tooltip and the accessible
    description (a long folder path cannot wrap and would be cut)."""
    name = Path(str(path)).name
    label = QLabel(template.replace("%1", name))
    label.setToolTip(template.replace("%1", str(path)))
    label.setAccessibleDescription(label.toolTip())
    return label


def demo_strip(visible: bool) -> QLabel:
    """The orange demo-ward strip (the same words as the main window's)."""
    style = ss.demo_style()
    strip = QLabel(f"{style.symbol}  {style.text}  {style.symbol}")
    strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
    strip.setStyleSheet(style.sheet())
    strip.setAccessibleName(style.accessible)
    strip.setVisible(visible)
    return strip


def pin_edit(accessible: str) -> QLineEdit:
    """A PIN field: never echoed, never remembered by the system's input methods."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
                             | Qt.InputMethodHint.ImhNoPredictiveText)
    edit.setMaxLength(PIN_MAX_LENGTH)
    edit.setAccessibleName(accessible)
    return edit


def message_label(name: str) -> QLabel:
    """An inline message (errors next to the fields, never a modal box)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet(f"color: {ss.VERMILLION}; font-weight: bold;")
    return label


class SignInForm(QWidget):
    """User name + PIN (or, in open mode, just a name); emits the signed-in account or the typed name."""

    signedIn = Signal(object)   # a core.security.User, or a name (str) in open mode

    def __init__(self, accounts: Accounts | SignIn, username: str | None = None, *, demo: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.accounts = accounts
        layout = QVBoxLayout(self)
        self.demo_strip = demo_strip(demo)
        layout.addWidget(self.demo_strip)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        # Room for two wrapped lines even where a layout sizes the form by its hint (the centred lock screen).
        self.explanation.setMinimumHeight(self.explanation.fontMetrics().lineSpacing() * 2 + 4)
        layout.addWidget(self.explanation)
        form = QFormLayout()
        self.username = QLineEdit(username or "")
        self.username.setMaxLength(80)
        self.username.setAccessibleName(self.tr("User name"))
        self.pin = pin_edit(self.tr("PIN (hidden)"))
        self.username_label = QLabel(self.tr("&User name:"))
        self.username_label.setBuddy(self.username)
        self.pin_label = QLabel(self.tr("&PIN:"))
        self.pin_label.setBuddy(self.pin)
        form.addRow(self.username_label, self.username)
        form.addRow(self.pin_label, self.pin)
        layout.addLayout(form)
        self.error = message_label(self.tr("Sign-in message"))
        layout.addWidget(self.error)
        self.button = QPushButton(self.tr("&Sign in"))
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        bold = QFont(self.button.font())
        bold.setBold(True)                                   # the style sheet draws the default button bold
        self.button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(self.button.text().replace("&", "")) + 40)
        self.button.clicked.connect(self.attempt)
        self.username.returnPressed.connect(self._on_username_return_pressed)
        self.pin.returnPressed.connect(self.attempt)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh_mode()

    def open_mode(self) -> bool:
        """No accounts exist: a name is enough (core's open mode)."""
        return self.accounts.needs_first_admin()

    def refresh_mode(self) -> None:
        """Show the PIN field only when the database has accounts."""
        open_mode = self.open_mode()
        self.heading.setText(self.tr("Who is recording?") if open_mode else self.tr("Sign in to CRS Bedside"))
        self.explanation.setText(
            self.tr("This database has no user accounts: type your name or staff ID. It is stamped on every entry "
                    "you make.") if open_mode else
            self.tr("Type your user name and PIN. The PIN is not shown and is never stored."))
        self.username_label.setText(self.tr("Your &name or staff ID:") if open_mode else self.tr("&User name:"))
        self.pin.setVisible(not open_mode)
        self.pin_label.setVisible(not open_mode)

    def reset(self, username: str | None = None) -> None:
        """Empty the PIN and the message; optionally put a user name in."""
        self.pin.clear()
        self.error.clear()
        if username is not None:
            self.username.setText(username)
        self.refresh_mode()
        self.focus()

    def focus(self) -> None:
        """The keyboard goes where typing is needed: the user name, or the PIN when the name is filled in."""
        target = self.pin if self.username.text().strip() and self.pin.isVisible() else self.username
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_username_return_pressed(self) -> None:
        if self.pin.isVisible() and not self.pin.text():
            self.pin.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.attempt()

    def attempt(self) -> None:
        """Check the name and PIN with core; a failure is shown inline and the PIN is emptied."""
        name = self.username.text().strip()
        pin = self.pin.text()
        self.pin.clear()
        if not name:
            self.error.setText(self.tr("Type your user name first.") if not self.open_mode()
                               else self.tr("Type your name or staff ID first."))
            self.username.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.open_mode():
            self.error.clear()
            self.signedIn.emit(name)
            return
        try:
            user = self.accounts.authenticate(name, pin)
        except (AuthError, StoreError) as exc:   # StoreError: an encrypted file that the key did not open
            self.error.setText(str(exc))
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error.clear()
        self.signedIn.emit(user)


class LoginDialog(QDialog):
    """The start-up sign-in (modal): the form, the database named, the demo strip when it is the demo ward."""

    def __init__(self, accounts: Accounts | SignIn, username: str | None, *, demo: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in – CRS Bedside"))
        # Wide enough for a message of several sentences (a locked account, a file of another laptop) to read well.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.user: User | str | None = None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)   # grows with a long message, never cuts it
        self.form = SignInForm(accounts, username, demo=demo)
        self.form.signedIn.connect(self._on_form_signed_in)
        layout.addWidget(self.form)
        layout.addWidget(database_label(self.tr("Database: %1"), accounts.path))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.form.focus()

    def _on_form_signed_in(self, user: User | str) -> None:
        self.user = user
        self.accept()


def sign_in(accounts: Accounts | SignIn, username: str | None, demo: bool = False) -> User | str | None:
    """Ask for a user name and PIN (modal); the account, or ``None`` when the user quits."""
    dialog = LoginDialog(accounts, username, demo=demo)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


class AccountDialog(QDialog):
    """Add an account, or change one account's roles or PIN (only the fields the task needs are shown)."""

    def __init__(self, title: str, *, username: str | None = None, roles: frozenset[Role] = frozenset(),
                 ask_name: bool = False, ask_roles: bool = False, ask_pin: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.username = QLineEdit(username or "")
        self.username.setMaxLength(40)
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setPlaceholderText(self.tr("e.g. amy.lee (lower case)"))
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(80)
        self.display_name.setAccessibleName(self.tr("Full name"))
        if ask_name:
            form.addRow(self.tr("&User name:"), self.username)
            form.addRow(self.tr("&Full name:"), self.display_name)
        elif username:
            form.addRow(self.tr("Account:"), QLabel(username))
        self.role_boxes: dict[Role, QCheckBox] = {}
        if ask_roles:
            for role, text in ((Role.NURSE, self.tr("&Nurse (records observations)")),
                               (Role.CLINICIAN, self.tr("&Clinician (confirms grades, closes CRS episodes)")),
                               (Role.ADMIN, self.tr("&Admin (manages accounts)"))):
                box = QCheckBox(text)
                box.setChecked(role in roles)
                self.role_boxes[role] = box
                form.addRow("", box)
        self.pin = pin_edit(self.tr("New PIN (hidden)"))
        self.pin_again = pin_edit(self.tr("New PIN again (hidden)"))
        if ask_pin:
            form.addRow(self.tr("&PIN (6 or more characters):"), self.pin)
            form.addRow(self.tr("PIN &again:"), self.pin_again)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            caption = label.widget() if label is not None else None
            buddy = field.widget() if field is not None else None
            if isinstance(caption, QLabel) and buddy is not None:
                caption.setBuddy(buddy)
        layout.addLayout(form)
        self.error = message_label(self.tr("Account message"))
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.ask_pin = ask_pin

    def chosen_roles(self) -> list[Role]:
        """The roles ticked."""
        return [role for role, box in self.role_boxes.items() if box.isChecked()]

    def take_pin(self) -> str | None:
        """The new PIN when both fields agree (then both are emptied); ``None`` with an inline message if not."""
        pin, again = self.pin.text(), self.pin_again.text()
        self.pin.clear()
        self.pin_again.clear()
        if pin != again:
            self.error.setText(self.tr("The two PINs differ; type them again."))
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return pin


class FirstAdminDialog(AccountDialog):
    """First run: create the administrator account, which ends open mode for this database."""

    def __init__(self, accounts: Accounts, username: str | None = None, parent: QWidget | None = None):
        super().__init__("", username=username, roles=frozenset({Role.ADMIN}), ask_name=True, ask_roles=True,
                         ask_pin=True, parent=parent)
        self.accounts = accounts
        self.user: User | None = None
        self.setWindowTitle(self.tr("Create the administrator – CRS Bedside"))
        self.intro.setText(self.tr(
            "The administrator adds the ward's accounts (nurses, clinicians) and resets forgotten PINs. From now on "
            "everyone signs in with a user name and PIN, and every entry carries the account that made it. This "
            "cannot be undone for this database."))
        self.intro.show()
        self.role_boxes[Role.ADMIN].setEnabled(False)      # the first account is always an admin
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Create administrator"))
        self.buttons.accepted.connect(self.create_admin)

    def create_admin(self) -> None:
        """Create the account through core; a problem is shown inline and nothing is written."""
        pin = self.take_pin()
        if pin is None:
            return
        try:
            self.user = self.accounts.create_first_admin(self.username.text().strip(), self.display_name.text(),
                                                         pin, self.chosen_roles())
        except InputError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def switch_user(ctx: AppContext, user: User | str) -> None:
    """Make ``user`` the session's user: every record from now on is stamped with them (same store and clock)."""
    old = ctx.bedside
    ctx.bedside = old.as_user(user)
    if ctx.settings.last_user != ctx.bedside.user:
        ctx.settings.last_user = ctx.bedside.user
        ctx.save_settings()


def user_text(bedside: Bedside) -> str:
    """How the signed-in person is named in the status bar: full name, user name and roles."""
    account = bedside.account
    if account is None:
        return bedside.user or "?"
    roles = ", ".join(sorted(role_word(r) for r in account.roles))
    return f"{account.display_name} ({account.username}; {roles})"


def role_word(role: Role) -> str:
    """A role in words."""
    return w.word(w.ROLES, role)


class LockScreen(QWidget):
    """Shown instead of the ward while the session is locked: no patient data, only the sign-in form."""

    def __init__(self, accounts: Accounts, *, demo: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Locked"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.notice = QLabel(self.tr("CRS Bedside is locked. Patient data is hidden until someone signs in. "
                                     "Entries already saved are safe."))
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.notice)
        self.form = SignInForm(accounts, demo=demo)
        self.form.setFixedWidth(600)   # a fixed width lets the wrapped explanation take the height it needs
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class RecoveryKeyDialog(QDialog):
    """The recovery key of a database just encrypted, shown this once: clinic IT keeps it on paper, away from the
    computer. With it, access comes back when every PIN is lost (``crs-bedside users recover``)."""

    def __init__(self, recovery_key: str, without_key: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery key – CRS Bedside"))
        self.setMinimumWidth(640)   # the key on one line, and room for every language's button
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("The database is now encrypted. Write down its recovery key."))
        heading.setWordWrap(True)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        explanation = QLabel(self.tr("This key is shown only now. Give it to clinic IT to keep on paper, away from "
                                     "this computer. If every PIN is lost, it is the only way back into the "
                                     "records."))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.key_label = QLabel(recovery_key)
        key_font = QFont("monospace")
        key_font.setStyleHint(QFont.StyleHint.Monospace)
        key_font.setPointSizeF(heading.font().pointSizeF() * 1.3)
        self.key_label.setFont(key_font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        layout.addWidget(self.key_label)
        self.accounts_label = QLabel(self.tr("These accounts sign in once on an open session (or an admin resets "
                                             "their PIN) before they can start CRS Bedside: %1")
                                     .replace("%1", ", ".join(without_key)))
        self.accounts_label.setWordWrap(True)
        self.accounts_label.setVisible(bool(without_key))
        layout.addWidget(self.accounts_label)
        self.written = QCheckBox(self.tr("I have &written the recovery key down"))
        layout.addWidget(self.written)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.ok.setMinimumWidth(self.ok.fontMetrics().horizontalAdvance(self.ok.text()) + 40)
        self.written.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def show_recovery_key(accounts: Accounts, parent: QWidget | None = None) -> None:
    """Show the recovery key once, if ``accounts`` has just encrypted the file, then forget it."""
    if accounts.recovery_key is None:
        return
    dialog = RecoveryKeyDialog(accounts.recovery_key, accounts.without_key, parent)
    accounts.recovery_key = None
    dialog.exec()
