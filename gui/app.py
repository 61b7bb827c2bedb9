"""Application start-up: settings, language, the database (tampered or in-use files stop here with a plain
message), who is using it (sign-in, or first-run creation of the administrator), then the main window."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.clock import SystemClock
from core.demo import demo_ward
from core.errors import BedsideError, InputError, StoreError
from core.logging_setup import redacted_traceback
from core.paths import default_db_path, demo_db_path
from core.protocol import resolve_protocol
from core.security import USER_ENV, Accounts, SignIn, User
from core.services import Bedside, Clock, DatabaseInUseError, Store, TamperedError, needs_key, open_database
from gui import fit
from gui import status_style as ss
from gui.context import AppContext, BedsideSignals
from gui.errors import show_error, show_exception
from gui.i18n import Errors, install_translators, remove_translators
from gui.login import FirstAdminDialog, show_recovery_key, sign_in
from gui.settings import Settings, settings_path

log = logging.getLogger("crs_bedside.gui")


class StartCancelled(Exception):
    """The user closed the start-up question: quit quietly."""


class UserDialog(QDialog):
    """"Who is recording?": the name stamped on every record of this session (open mode). On a database without
    accounts (``accounts`` given) it also offers to create the administrator, which ends open mode."""

    def __init__(self, last_user: str | None, parent: QWidget | None = None, accounts: Accounts | None = None):
        super().__init__(parent)
        self.accounts = accounts
        self.admin: User | None = None
        self.setWindowTitle(self.tr("Who is recording?"))
        layout = QVBoxLayout(self)
        if accounts is not None:
            explanation = QLabel(self.tr(
                "This database has no user accounts yet. Either type your name to record under it (open mode: "
                "anyone at this computer can use any name), or create the administrator account now, after which "
                "everyone signs in with a user name and PIN and the clinician-only actions are checked."))
            explanation.setWordWrap(True)
            layout.addWidget(explanation)
        label = QLabel(self.tr("Your &name or staff ID (stamped on every entry you make):"))
        self.name = QLineEdit(last_user or "")
        self.name.setMaxLength(80)
        self.name.selectAll()
        self.name.setAccessibleName(self.tr("Name or staff ID"))
        label.setBuddy(self.name)
        layout.addWidget(label)
        layout.addWidget(self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(bool(self.name.text().strip()))
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.create_button = None
        if accounts is not None:
            self.ok.setText(self.tr("Record under this &name"))
            self.create_button = buttons.addButton(self.tr("Create the &administrator…"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
            self.create_button.clicked.connect(self.create_admin)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def user(self) -> str:
        """The name typed."""
        return self.name.text().strip()

    def make_first_admin_dialog(self) -> FirstAdminDialog:
        """The creation of the administrator (not shown)."""
        assert self.accounts is not None
        return FirstAdminDialog(self.accounts, parent=self)

    def create_admin(self) -> None:
        """Create the administrator; on success the administrator is the one signed in."""
        dialog = self.make_first_admin_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.user is not None:
            self.admin = dialog.user
            self.accept()

    def chosen(self) -> User | str | None:
        """The administrator just created, else the name typed (``None`` when empty)."""
        return self.admin or self.user() or None


def ask_user(last_user: str | None) -> str | None:
    """Ask who is recording (modal); ``None`` when cancelled."""
    dialog = UserDialog(last_user)
    return dialog.user() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.user() else None


def ask_first_run(accounts: Accounts, last_user: str | None) -> User | str | None:
    """First start on a database without accounts (modal): a name (open mode) or the new administrator."""
    dialog = UserDialog(last_user, accounts=accounts)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def database_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """(the database file, whether it is the demo ward): ``--demo``, ``--db PATH`` or the default."""
    if getattr(args, "demo", False):
        return demo_db_path(), True
    db = getattr(args, "db", None)
    if db is not None:
        return Path(db), False
    return default_db_path(), False


def open_store(path: Path, tampered: Callable[[TamperedError], bool] | None = None,
               key: bytes | None = None) -> Store:
    """Open the database (an encrypted one with the data key a sign-in unwrapped); a file changed outside the app is
    opened only after a deliberate choice.

    Raises:
        TamperedError: the audit chain is broken and nobody chose to open it anyway (``tampered`` is ``None``).
        StartCancelled: the user chose to quit at the tampered-file warning.
        StoreError: any other problem (damaged, in use, read-only ...); the file is left as it was.
    """
    try:
        # The checks whose time grows with the file run in the background once the window is up (gui/startup_checks)
        return open_database(path, create=True, defer_slow_checks=True, key=key)
    except TamperedError as exc:
        if tampered is None:
            raise
        log.warning("start-up: audit chain broken, asking whether to open read-carefully")
        if not tampered(exc):
            raise StartCancelled() from None
        store = open_database(path, create=False, accept_tampered=True, defer_slow_checks=True, key=key)
        log.warning("start-up: opened with a broken audit chain on the user's choice")
        return store


def open_context(args: argparse.Namespace, settings: Settings, settings_file: Path, clock: Clock,
                 ask: Callable[[str | None], str | None] = ask_user, *,
                 first_run: Callable[[Accounts, str | None], User | str | None] | None = None,
                 login: Callable[[Accounts | SignIn, str | None, bool], User | str | None] = sign_in,
                 tampered: Callable[[TamperedError], bool] | None = None,
                 recovery: Callable[[Accounts], None] = show_recovery_key) -> AppContext:
    """Open the database (making the demo ward on first use) and choose who is using it.

    - With accounts: the sign-in (``login``); ``--user`` (or ``$CRS_BEDSIDE_USER``) only fills in the user name.
    - An encrypted file (it has accounts): the sign-in comes first, since the PIN unwraps the key that opens it
      (core.security.SignIn); ``login`` is then given the SignIn instead of the Accounts.
    - A file just encrypted (its first administrator, or an admin's first sign-in to a clear file with accounts):
      ``recovery`` shows its recovery key, once.
    - Without accounts (open mode, GUARANTEES.md): a name given with ``--user`` is used as it is; otherwise
      ``first_run`` offers to create the administrator or to record under a typed name (``ask`` when no
      ``first_run`` is given, and always on the demo ward, which stays usable without accounts).

    Raises:
        StoreError: the file cannot be used; nothing is created in its place.
        TamperedError: the file was changed outside the app and ``tampered`` is ``None``.
        InputError: the protocol file is invalid.
        StartCancelled: the user closed the question, the sign-in or the tampered-file warning.
    """
    protocol = resolve_protocol(getattr(args, "protocol", None))
    path, demo = database_path(args)
    if demo or getattr(args, "db", None) is None:
        path.parent.mkdir(parents=True, exist_ok=True)   # the per-user data folder
    named = getattr(args, "user", None) or os.environ.get(USER_ENV) or None
    user: User | str | None = None
    if needs_key(path):
        # The PIN unwraps the key before the file can be read (core/security.py SignIn): sign in first.
        def open_keyed(key: bytes) -> Store:
            try:
                return open_store(path, tampered, key)
            except StartCancelled:   # quit at the tampered-file warning: close the sign-in too
                dialog = QApplication.activeModalWidget()
                if isinstance(dialog, QDialog):
                    dialog.reject()
                raise StoreError(f"{path}: not opened, as you chose.") from None

        gate = SignIn(path, clock, open_keyed)
        user = login(gate, named or settings.last_user, demo)
        if not user or gate.store is None:
            raise StartCancelled()
        store = gate.store
    else:
        store = open_store(path, tampered)
    try:
        accounts = Accounts(store, clock)
        if user is None and not accounts.needs_first_admin():
            user = login(accounts, named or settings.last_user, demo)
        elif user is None and named is not None:
            user = named
        elif user is None and first_run is not None and not demo:
            user = first_run(accounts, settings.last_user)
        elif user is None:
            user = ask(settings.last_user)
        if not user:
            raise StartCancelled()
        recovery(accounts)
        bedside = Bedside(store, protocol, clock, user)
        if demo and not bedside.patients():
            bedside.import_data(demo_ward(clock.now()))   # the same import path as any file
    except BaseException:
        store.close()
        raise
    if settings.last_user != bedside.user:
        settings.last_user = bedside.user
        settings.save(settings_file)
    return AppContext(bedside=bedside, settings=settings, settings_file=settings_file, clock=clock,
                      signals=BedsideSignals(), db_path=path, demo=demo)


def tampered_box(exc: TamperedError) -> QMessageBox:
    """The warning for a file changed outside the app: what was found, what it means, what to do, the choice."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(Errors.tr("CRS Bedside – the database was changed outside the app"))
    what = Errors.tr("This database has been changed outside CRS Bedside.")
    box.setText(what)
    box.setAccessibleName(what)
    found = exc.report.problems[0].what if exc.report.problems else ""
    more = len(exc.report.problems) - 1
    box.setInformativeText(
        Errors.tr("Found: %1 (%2 more problem(s)).").replace("%1", found).replace("%2", str(more)) + "\n\n"
        + Errors.tr("What it means: records may have been changed, added or removed by another program. Nothing "
                    "has been repaired, and nothing was changed by opening it.") + "\n\n"
        + Errors.tr("What to do: contact clinic IT and the ward manager now. They compare the file with the latest "
                    "backup and restore it if records were lost. If you must keep working meanwhile, open it and "
                    "check every figure against the paper chart; the warning stays in the status bar."))
    box.setDetailedText("\n".join(f"{p.kind} {p.ref}: {p.what}" for p in exc.report.problems))
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close)
    box.button(QMessageBox.StandardButton.Open).setText(Errors.tr("&Open anyway, reading carefully"))
    box.button(QMessageBox.StandardButton.Close).setText(Errors.tr("&Quit"))
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    return box


def ask_open_tampered(exc: TamperedError) -> bool:
    """The modal tampered-file warning; True when the user deliberately opens the file anyway."""
    return tampered_box(exc).exec() == QMessageBox.StandardButton.Open


def show_in_use(exc: DatabaseInUseError) -> None:
    """The database is open in another window: say so, change nothing."""
    show_error(None, Errors.tr("This database is already open in another CRS Bedside window."),
               Errors.tr("Only one window or command may use a database at a time. CRS Bedside has not touched the "
                         "file and has not started."),
               Errors.tr("Switch to the other CRS Bedside window (it may be behind others, or on another user's "
                         "session on this computer), or wait for the command to finish, then start again."),
               str(exc))


def style_sheet() -> str:
    """Focus always visible (a thick blue frame); colours only, fonts follow the system (a bold default button
    was sized for its regular text and cut it: "Guardar", "Acepta"). A thicker border takes its width from the
    padding, so a focused or default button keeps the room its text was measured for."""
    focus = ss.FOCUS
    return f"""
    QLineEdit, QComboBox, QDateTimeEdit {{ border: 1px solid #767676; border-radius: 3px; padding: 3px; }}
    QLineEdit:focus, QComboBox:focus, QDateTimeEdit:focus {{ border: 3px solid {focus}; padding: 1px; }}
    QPushButton {{ border: 1px solid #767676; border-radius: 4px; padding: 4px 14px; background: #F2F2F2; }}
    QPushButton:default {{ border: 2px solid #333333; padding: 3px 13px; }}
    QPushButton:focus {{ border: 3px solid {focus}; padding: 2px 12px; }}
    QPushButton:pressed {{ background: #DDDDDD; }}
    QPushButton:disabled {{ color: #8A8A8A; border-color: #BBBBBB; }}
    QCheckBox, QRadioButton {{ border: 2px solid transparent; }}
    QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {focus}; }}
    QTableView:focus {{ border: 3px solid {focus}; }}
    QTableView {{ selection-background-color: #1F4E79; selection-color: #FFFFFF; }}
    QTabBar::tab:focus {{ border: 2px solid {focus}; }}
    """


def prepare_application(language: str) -> tuple[QApplication, list[QTranslator]]:
    """The QApplication (reused when one exists), its names and style, and the translators installed in it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CRS Bedside")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("crs-bedside")
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    app.setProperty("crs_bedside_dialog_fit", fit.install(app))
    return app, install_translators(app, language)


def keep_start_up_objects() -> None:
    """Take what start-up made (modules, the protocol, the models' schemas, the window) out of the cycle collector's
    reach: none of it ever becomes garbage, and each full collection walking it all held the window for 20 to 70 ms
    at a random moment, such as just after a save (build_scripts/bench.py's longest stall). What is made later is
    collected as before: the collector, off while start-up made it all (gui/main.py), is on from here."""
    gc.freeze()
    gc.enable()


def run_gui(args: argparse.Namespace, clock: Clock | None = None) -> int:
    """Start the GUI; returns the exit status (1 when the database cannot be opened)."""
    from gui.main_window import MainWindow  # after the translators, so the window is built translated

    settings_file = settings_path()
    settings = Settings.load(settings_file)
    app, translators = prepare_application(settings.language)
    try:
        ctx = open_context(args, settings, settings_file, clock or SystemClock(), first_run=ask_first_run,
                           tampered=ask_open_tampered)
    except StartCancelled:
        remove_translators(app, translators)
        return 0
    except InputError as exc:   # at start-up: the protocol named by --protocol
        show_error(None, Errors.tr("The ward protocol cannot be used."),
                   Errors.tr("CRS Bedside has not started; nothing was recorded."),
                   Errors.tr("Check the --protocol option and the protocol file named below, or ask clinic IT for "
                             "the signed-off protocol."), str(exc))
        remove_translators(app, translators)
        return 1
    except DatabaseInUseError as exc:
        show_in_use(exc)
        remove_translators(app, translators)
        return 1
    except BedsideError as exc:
        show_exception(None, exc)
        remove_translators(app, translators)
        return 1
    window = MainWindow(ctx)
    window.show()
    window.start_background_checks()
    keep_start_up_objects()
    previous_hook = sys.excepthook

    def crash_hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("crash:\n%s", redacted_traceback(kind, exc, tb))
        show_exception(window, exc.with_traceback(tb))

    sys.excepthook = crash_hook
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        window.stop_timers()
        ctx.bedside.close()
        remove_translators(app, translators)
