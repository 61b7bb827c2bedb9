"""Application start-up: settings, language, the database, who is recording, then the main window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.cli import USER_ENV, app_version
from core.clock import SystemClock
from core.demo import demo_ward
from core.errors import BedsideError, InputError
from core.paths import default_db_path, demo_db_path
from core.protocol import resolve_protocol
from core.services import Bedside, Clock
from core.store import Store
from gui import status_style as ss
from gui.context import AppContext, BedsideSignals
from gui.errors import show_error, show_exception
from gui.i18n import Errors, install_translators, remove_translators
from gui.settings import Settings, settings_path


class StartCancelled(Exception):
    """The user closed the start-up question: quit quietly."""


class UserDialog(QDialog):
    """"Who is recording?": the name stamped on every record of this session."""

    def __init__(self, last_user: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Who is recording?"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Your &name or staff ID (stamped on every entry you make):"))
        self.name = QLineEdit(last_user or "")
        self.name.setMaxLength(80)
        self.name.selectAll()
        self.name.setAccessibleName(self.tr("Name or staff ID"))
        label.setBuddy(self.name)
        layout.addWidget(label)
        layout.addWidget(self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))
        self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def user(self) -> str:
        """The name typed."""
        return self.name.text().strip()


def ask_user(last_user: str | None) -> str | None:
    """Ask who is recording (modal); ``None`` when cancelled."""
    dialog = UserDialog(last_user)
    return dialog.user() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.user() else None


def database_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """(the database file, whether it is the demo ward): ``--demo``, ``--db PATH`` or the default."""
    if getattr(args, "demo", False):
        return demo_db_path(), True
    db = getattr(args, "db", None)
    if db is not None:
        return Path(db), False
    return default_db_path(), False


def open_context(args: argparse.Namespace, settings: Settings, settings_file: Path, clock: Clock,
                 ask: Callable[[str | None], str | None] = ask_user) -> AppContext:
    """Open the database (making the demo ward on first use) and choose the user.

    Raises:
        StoreError: the file cannot be used; nothing is created in its place.
        InputError: the protocol file is invalid.
        StartCancelled: the user closed "Who is recording?".
    """
    protocol = resolve_protocol(getattr(args, "protocol", None))
    path, demo = database_path(args)
    if demo or getattr(args, "db", None) is None:
        path.parent.mkdir(parents=True, exist_ok=True)   # the per-user data folder
    store = Store.open(path, create=True)
    try:
        user = getattr(args, "user", None) or os.environ.get(USER_ENV) or None
        if user is None:
            user = ask(settings.last_user)
            if not user:
                raise StartCancelled()
        bedside = Bedside(store, protocol, clock, user)
        if demo and not store.patients():
            bedside.import_data(demo_ward(clock.now()))   # the same import path as any file
    except BaseException:
        store.close()
        raise
    if settings.last_user != user:
        settings.last_user = user
        settings.save(settings_file)
    return AppContext(bedside=bedside, settings=settings, settings_file=settings_file, clock=clock,
                      signals=BedsideSignals(), db_path=path, demo=demo)


def style_sheet() -> str:
    """Focus always visible (a thick blue frame); colours only, fonts follow the system."""
    focus = ss.FOCUS
    return f"""
    QLineEdit, QComboBox, QDateTimeEdit {{ border: 1px solid #767676; border-radius: 3px; padding: 3px; }}
    QLineEdit:focus, QComboBox:focus, QDateTimeEdit:focus {{ border: 3px solid {focus}; padding: 1px; }}
    QPushButton {{ border: 1px solid #767676; border-radius: 4px; padding: 4px 14px; background: #F2F2F2; }}
    QPushButton:default {{ border: 2px solid #333333; font-weight: bold; }}
    QPushButton:focus {{ border: 3px solid {focus}; }}
    QPushButton:pressed {{ background: #DDDDDD; }}
    QPushButton:disabled {{ color: #8A8A8A; border-color: #BBBBBB; }}
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
    app.setApplicationVersion(app_version())
    app.setOrganizationName("crs-bedside")
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    return app, install_translators(app, language)


def run_gui(args: argparse.Namespace, clock: Clock | None = None) -> int:
    """Start the GUI; returns the exit status (1 when the database cannot be opened)."""
    from gui.main_window import MainWindow  # after the translators, so the window is built translated

    settings_file = settings_path()
    settings = Settings.load(settings_file)
    app, translators = prepare_application(settings.language)
    try:
        ctx = open_context(args, settings, settings_file, clock or SystemClock())
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
    except BedsideError as exc:
        show_exception(None, exc)
        remove_translators(app, translators)
        return 1
    window = MainWindow(ctx)
    window.show()
    sys.excepthook = lambda kind, exc, tb: show_exception(window, exc.with_traceback(tb))
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        ctx.bedside.store.close()
        remove_translators(app, translators)
