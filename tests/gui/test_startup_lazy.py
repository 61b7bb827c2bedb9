"""Start-up shows the ward and builds nothing else: the patient page (charts, infusion, records, audit), the lock
screen and the dialogs are imported and built the first time they are needed (build_scripts/bench.py measures the
start-up). Whatever is built later must work exactly as if it had been built at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

LATER = ["gui.patient_page", "gui.trend_chart", "gui.infusion_panel", "gui.records_view", "gui.audit_view",
         "gui.wizard", "gui.users_dialog", "gui.clinician_dialogs", "gui.printing", "PySide6.QtCharts"]

PROBE = """
import json, sys
from core.demo import demo_ward
from core.clock import SystemClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui.context import AppContext, BedsideSignals
from gui.settings import Settings
from PySide6.QtWidgets import QApplication
app = QApplication([])
clock = SystemClock()
store = Store.open(sys.argv[1])
bedside = Bedside(store, shipped_protocol(), clock, user="nurse.test")
bedside.import_data(demo_ward(clock.now()))
import gui.main_window
window = gui.main_window.MainWindow(AppContext(bedside=bedside, settings=Settings(), settings_file=None, clock=clock,
                                              signals=BedsideSignals(), db_path=sys.argv[1]))
window.show()
app.processEvents()
loaded = [name for name in json.loads(sys.argv[2]) if name in sys.modules]
rows = window.ward.model.rowCount()
window.stop_timers()
store.close()
print(json.dumps({"loaded": loaded, "rows": rows}))
"""


def test_start_up_builds_the_ward_and_imports_nothing_for_the_patient_page(tmp_path: Path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "ward.db"), json.dumps(LATER)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {"loaded": [], "rows": 8}


def test_the_patient_page_built_on_first_open_has_every_tab_and_the_role_checks(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    assert window._patient is None and window._lock_screen is None
    window.open_patient("DEMO-003")
    page = window.patient
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["&Trend", "&Audit", "&Infusion", "Re&cords"]
    assert window.pages.currentWidget() is page and page.mrn == "DEMO-003"
    assert page.vitals_button.isEnabled() and window.vitals_action.isEnabled()
    assert window.audit.model.rowCount() > 0
    window.show_ward()
    window.lock()
    assert window.is_locked() and window.screens.currentWidget() is window.lock_screen
    assert not window.vitals_action.isEnabled()           # while locked only quitting works
    window.stop_timers()
