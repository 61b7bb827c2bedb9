"""``crs-bedside --self-test``: a headless check of an installed or frozen build.

It builds the main window offscreen on a temporary database, records a set of vitals through the vitals wizard (the
same code path as a nurse's), reads the new grade back, renders a handover PDF through the one printing path, and
prints one line per check. Exit 0 only if every check passes. Synthetic data only; nothing outside a temporary
folder is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

SELF_TEST_USER = "self-test"
SELF_TEST_MRN = "SELFTEST-1"


class _Checks:
    """Runs named checks, printing ``PASS``/``FAIL`` lines; remembers whether all passed."""

    def __init__(self, out: TextIO):
        self.out = out
        self.ok = True

    def run(self, name: str, check: Callable[[], str]) -> bool:
        try:
            detail = check()
        except Exception as exc:  # a self-test reports every failure and goes on
            self.ok = False
            self.out.write(f"FAIL {name}: {type(exc).__name__}: {exc}\n")
            if os.environ.get("CRS_BEDSIDE_SELFTEST_TRACE"):
                traceback.print_exc(file=self.out)
            return False
        self.out.write(f"PASS {name}: {detail}\n")
        return True


def run_self_test(out: TextIO | None = None) -> int:
    """Run the checks; 0 when all pass, 1 otherwise."""
    out = out or sys.stdout
    checks = _Checks(out)
    with tempfile.TemporaryDirectory(prefix="crs-bedside-selftest-") as folder:
        os.environ.setdefault("CRS_BEDSIDE_LOG_DIR", folder)
        _run(checks, Path(folder))
    out.write("self-test passed\n" if checks.ok else "self-test FAILED\n")
    return 0 if checks.ok else 1


def _run(checks: _Checks, folder: Path) -> None:
    state: dict[str, Any] = {}   # what each step made (the app, the bedside, the window) for the next

    def qt() -> str:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([sys.argv[0], "-platform", os.environ.get(
            "QT_QPA_PLATFORM", "offscreen")])
        state["app"] = app
        return f"Qt {__import__('PySide6').__version__} on the {QApplication.platformName()} platform"

    def resources() -> str:
        from core.paths import resources_dir
        from core.protocol import SHIPPED_PROTOCOLS, shipped_protocol

        loaded = [shipped_protocol(name).stamp() for name in SHIPPED_PROTOCOLS]
        return f"{resources_dir()} with protocols {', '.join(p['id'] + ' v' + p['version'] for p in loaded)}"

    def database() -> str:
        from core.clock import SystemClock
        from core.protocol import shipped_protocol
        from core.services import Bedside, open_database

        db = folder / "self-test.db"
        store = open_database(db)
        bedside = Bedside(store, shipped_protocol(), SystemClock(), user=SELF_TEST_USER)
        now = SystemClock().now()
        bedside.import_data({"format": "crs-bedside/1", "patients": [{
            "mrn": SELF_TEST_MRN, "name": "Self Test (synthetic)", "birth_date": "1980-01-01", "sex": "unknown",
            "weight_kg": 70, "indication": "relapsed_refractory", "ward": "TEST", "bed": "1", "demo": True}],
            "records": [{"id": "00000000-0000-4000-8000-000000000001", "mrn": SELF_TEST_MRN, "type": "infusion_started",
                         "at": (now - timedelta(hours=2)).isoformat(), "dose_mcg": 18, "duration_h": 48}]})
        state["bedside"] = bedside
        state["db"] = db
        return f"{db.name} opened at schema {store.schema_version}, integrity {store.integrity_check()}"

    def window() -> str:
        from core.clock import SystemClock
        from gui.context import AppContext, BedsideSignals
        from gui.main_window import MainWindow
        from gui.settings import Settings

        ctx = AppContext(bedside=state["bedside"], settings=Settings(), settings_file=folder / "settings.json",
                         clock=SystemClock(), signals=BedsideSignals(), db_path=state["db"])
        win = MainWindow(ctx)
        win.show()
        state["app"].processEvents()
        state["ctx"], state["window"] = ctx, win
        rows = win.ward.model.rowCount() if hasattr(win, "ward") else ctx.bedside.ward().__len__()
        return f"main window built ({win.windowTitle()}), ward rows {rows}"

    def vitals() -> str:
        from gui.wizard import VitalsWizard

        wizard = VitalsWizard(state["ctx"], SELF_TEST_MRN)
        wizard.temperature.edit.setText("38.4")
        wizard.heart_rate.edit.setText("96")
        wizard.respiratory_rate.edit.setText("16")
        wizard.advance()
        wizard.systolic.edit.setText("120")
        wizard.diastolic.edit.setText("75")
        wizard.advance()
        wizard.spo2.edit.setText("97")
        for _ in range(3):
            wizard.advance()
        saved = wizard.saved_state
        if saved is None:
            raise RuntimeError(f"the wizard did not save (step {wizard.step()})")
        if saved.crs.grade != 1:
            raise RuntimeError(f"expected CRS grade 1 for T 38.4 °C, got {saved.crs.grade}")
        if saved.news2.score != 2:
            raise RuntimeError(f"expected NEWS2 2 (T 38.4: 1, pulse 96: 1), got {saved.news2.score}")
        return f"recorded through the wizard: CRS grade {saved.crs.grade}, NEWS2 {saved.news2.score}"

    def handover() -> str:
        from gui.printing import write_handover_pdf

        pdf = write_handover_pdf(state["bedside"], folder / "handover.pdf")
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF") or len(data) < 2000:
            raise RuntimeError(f"{pdf} is not a plausible PDF ({len(data)} bytes)")
        return f"handover PDF written ({len(data) // 1024} KB)"

    def close() -> str:
        window = state.get("window")
        if window is not None:
            window.close()
        state["bedside"].close()
        return "closed cleanly"

    def encryption() -> str:
        from core.clock import SystemClock
        from core.security import Accounts, SignIn
        from core.services import open_database

        db = folder / "self-test-encrypted.db"
        pin = "self-test-pin-2468"   # synthetic: this file lives only in the temporary folder
        with open_database(db) as store:
            Accounts(store, SystemClock()).create_first_admin("selftest.admin", "Self Test", pin)
        if db.read_bytes()[:16] == b"SQLite format 3\x00":
            raise RuntimeError(f"{db.name} is still in clear after its first administrator")
        gate = SignIn(db, SystemClock(), lambda key: open_database(db, create=False, key=key))
        user = gate.authenticate("selftest.admin", pin)
        if gate.store is None:
            raise RuntimeError("the PIN did not open the encrypted file")
        with gate.store as store:
            version = store.cipher_version()
        return f"SQLCipher {version}: a file with an administrator is encrypted and opens with {user.username}'s PIN"

    for name, check in (("qt", qt), ("resources", resources), ("database", database), ("main window", window),
                        ("vitals", vitals), ("handover", handover), ("close", close), ("encryption", encryption)):
        if not checks.run(name, check) and name in ("qt", "database"):
            checks.out.write("stopping: later checks need this one\n")
            return


def main(argv: list[str] | None = None) -> int:
    """``python -m gui.selftest``."""
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return run_self_test()


if __name__ == "__main__":
    sys.exit(main())
