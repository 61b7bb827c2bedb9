"""The app's screens, opened side by side for the AT-SPI walk (tests/gui/test_atspi.py); not a test itself.

    python tests/gui/a11y_harness.py SCRATCH_FOLDER [--canary]

Run under Xvfb with a session bus and ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``. It opens, each as its own window and
none of them modal: the main window on the demo ward, a patient page, the vitals wizard, and every dialog the app
has, each with the title the walker reports; with ``--canary`` also a window of known faults. It prints one line
per window (``window <title>``), then ``ready``, and runs until it is terminated.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.clock import FixedClock
from core.demo import demo_ward
from core.protocol import shipped_protocol
from core.security import Accounts, Role
from core.services import Bedside
from core.store import Store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def canary_window() -> QWidget:
    """What the walker must catch (the test checks it does): a button named "4", an edit with no name, and a
    table whose cell reads a bare "4" under "Bed" (the table itself unnamed too)."""
    from PySide6.QtWidgets import QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout

    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QPushButton("4"))
    layout.addWidget(QLineEdit())
    table = QTableWidget(1, 1)
    table.setHorizontalHeaderLabels(["Bed"])
    table.setItem(0, 0, QTableWidgetItem("4"))
    layout.addWidget(table)
    return window


def main(scratch: Path, canary: bool) -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("crs-bedside-a11y")
    from core.handover import build_handover
    from gui.app import UserDialog
    from gui.context import AppContext, BedsideSignals
    from gui.infusion_dialog import InfusionActionDialog
    from gui.login import AccountDialog, FirstAdminDialog, LockScreen, LoginDialog
    from gui.main_window import MainWindow
    from gui.printing import SeverityDialog
    from gui.records_view import CorrectionDialog
    from gui.settings import Settings
    from gui.users_dialog import UsersDialog
    from gui.wizard import VitalsWizard

    clock = FixedClock(NOW)
    store = Store.open(scratch / "ward.db")
    bedside = Bedside(store, shipped_protocol("default"), clock, "nurse.a11y")
    bedside.import_data(demo_ward(NOW))
    ctx = AppContext(bedside=bedside, settings=Settings(), settings_file=scratch / "settings.json", clock=clock,
                     signals=BedsideSignals(), db_path=scratch / "ward.db", demo=True)
    mrn = "DEMO-003"

    accounts_store = Store.open(scratch / "accounts.db")
    accounts = Accounts(accounts_store, clock)
    admin = accounts.create_first_admin("admin.a11y", "Admin A11y", "482619", [Role.ADMIN])

    windows: list[tuple[str, QWidget]] = []

    def keep(title: str, widget: QWidget) -> None:
        widget.show()
        widget.setWindowTitle(title)   # after show(): some windows name themselves as they are shown
        windows.append((title, widget))

    ward = MainWindow(ctx)
    keep("a11y: ward", ward)
    page = MainWindow(ctx)
    page.open_patient(mrn)
    keep("a11y: patient page", page)
    records = MainWindow(ctx)
    records.open_patient(mrn)
    records.patient.tabs.setCurrentWidget(records.patient.records)
    keep("a11y: patient records", records)
    audit = MainWindow(ctx)
    audit.open_patient(mrn)
    audit.patient.tabs.setCurrentIndex(audit.patient.tabs.count() - 1)
    keep("a11y: patient audit", audit)
    infusion = MainWindow(ctx)
    infusion.open_patient(mrn)
    infusion.patient.tabs.setCurrentWidget(infusion.patient.infusion)
    keep("a11y: patient infusion", infusion)
    for step in range(5):
        wizard = VitalsWizard(ctx, mrn)
        wizard._show_step(step)   # each step as the nurse reaches it (the walk needs every page showing)
        keep(f"a11y: wizard step {step + 1}", wizard)
    state = page.patient.state
    keep("a11y: infusion action", InfusionActionDialog(ctx, state, "start"))
    keep("a11y: grade confirmation", page.make_grade_dialog())
    keep("a11y: close episode", page.make_close_episode_dialog())
    from gui.record_dialogs import KINDS
    for kind in KINDS:
        keep(f"a11y: record {kind}", page.make_record_dialog(kind))
    keep("a11y: escalation", page.make_escalation_dialog())
    for mode in ("admit", "edit", "transfer"):
        keep(f"a11y: patient {mode}", page.make_patient_dialog(mode))
    keep("a11y: correction", CorrectionDialog("Vitals at 08:00: temperature 38.4 °C"))
    keep("a11y: who is recording", UserDialog(None, accounts=Accounts(Store.open(scratch / "open.db"), clock)))
    keep("a11y: sign in", LoginDialog(accounts, "admin.a11y"))
    keep("a11y: first administrator", FirstAdminDialog(Accounts(Store.open(scratch / "first.db"), clock)))
    keep("a11y: lock screen", LockScreen(accounts))
    keep("a11y: add account", AccountDialog("Add a user", ask_name=True, ask_roles=True, ask_pin=True))
    keep("a11y: users", UsersDialog(accounts, admin))
    keep("a11y: handover severities",
         SeverityDialog(build_handover(bedside, mrns=[mrn], at=NOW, app_version="a11y")))
    if canary:
        keep("a11y: canary", canary_window())
    for title, _widget in windows:
        print(f"window {title}", flush=True)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "--canary" in sys.argv[2:]))
