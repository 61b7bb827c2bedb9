"""Start-up shows the ward and builds nothing else: the patient page (charts, infusion, records, audit), the lock
screen and the dialogs are imported and built the first time they are needed (build_scripts/bench.py measures the
start-up). Whatever is built later must work exactly as if it had been built at start."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from core.clock import SystemClock
from core.demo import demo_ward
from core.protocol import shipped_protocol
from core.records import RECORD_MODELS
from core.services import Bedside
from core.store import Store
from gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

LATER = ["gui.patient_page", "gui.trend_chart", "gui.infusion_panel", "gui.records_view", "gui.audit_view",
         "gui.wizard", "gui.users_dialog", "gui.clinician_dialogs", "gui.printing", "PySide6.QtCharts",
         # the handover (and its template engine) and any export are built when asked for, never at start-up
         "core.handover", "jinja2"]

PROBE = """
import importlib.metadata, json, sys
# Reading package metadata at start-up (the version, sqlite-utils' plugin search) scans every installed package.
metadata_reads = []
for name in ("version", "distribution", "distributions", "entry_points"):
    def spy(*args, _name=name, _real=getattr(importlib.metadata, name), **kwargs):
        metadata_reads.append(_name)
        return _real(*args, **kwargs)
    setattr(importlib.metadata, name, spy)
from core.clock import SystemClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui.context import AppContext, BedsideSignals
from gui.settings import Settings
from PySide6.QtWidgets import QApplication
app = QApplication([])
clock = SystemClock()
store = Store.open(sys.argv[1], create=False)
bedside = Bedside(store, shipped_protocol(), clock, user="nurse.test")
import gui.main_window
window = gui.main_window.MainWindow(AppContext(bedside=bedside, settings=Settings(), settings_file=None, clock=clock,
                                              signals=BedsideSignals(), db_path=sys.argv[1]))
window.show()
app.processEvents()
loaded = [name for name in json.loads(sys.argv[2]) if name in sys.modules]
# FHIR: the resource models and the mapping, export and push (the status line's outbox count is a plain query)
loaded += [name for name in sys.modules if name.endswith(".export") or (
    name.startswith(("fhir.", "core.fhir.")) and name != "core.fhir.outbox")]
from core.records import RECORD_MODELS
built = sorted(kind for kind, model in RECORD_MODELS.items() if model.__pydantic_complete__)
rows = window.ward.model.rowCount()
window.stop_timers()
store.close()
print(json.dumps({"loaded": loaded, "rows": rows, "metadata_reads": metadata_reads, "built": built}))
"""


def test_start_up_builds_the_ward_and_imports_nothing_for_the_patient_page(tmp_path: Path):
    clock = SystemClock()
    store = Store.open(tmp_path / "ward.db")
    Bedside(store, shipped_protocol(), clock, user="nurse.test").import_data(demo_ward(clock.now()))
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "ward.db"), json.dumps(LATER)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    # No handover, FHIR or export module, no package metadata read, and only the models of the records the start-up
    # read built (the others are built on first use: pydantic's defer_build). The demo's stays are too short for fold
    # snapshots, so here every record is read; on a real ward only the snapshots' vitals, labs and patients are.
    conn = sqlite3.connect(tmp_path / "ward.db")
    in_the_file = sorted(kind for (kind,) in conn.execute("SELECT DISTINCT type FROM records"))
    conn.close()
    assert len(in_the_file) < len(RECORD_MODELS)
    assert probe == {"loaded": [], "rows": 8, "metadata_reads": [], "built": in_the_file}


def test_the_patient_page_built_on_first_open_has_every_tab_and_the_role_checks(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    assert window._patient is None and window.session._lock_screen is None
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


GC_PROBE = """
import gc, json, sys
gc.collect()   # counting from here: what the interpreter's own start made is not start-up's
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
import gui.main
seen = {"collections_loading_core": len(collections)}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import gui.main_window as mw
def at_loop():
    seen["enabled_in_loop"] = gc.isenabled()
    QApplication.instance().quit()
original = mw.MainWindow.__init__
def patched(self, ctx, parent=None):
    seen["enabled_while_building"] = gc.isenabled()
    original(self, ctx, parent)
    seen["collections_opening_the_file_and_building_the_window"] = len(collections) - before_main
    QTimer.singleShot(0, at_loop)
mw.MainWindow.__init__ = patched
run_gui = gui.main._run_gui
def window_path(args):
    global before_main
    before_main = len(collections)
    return run_gui(args)
gui.main._run_gui = window_path
code = gui.main.main(["--db", sys.argv[1], "--user", "nurse.test"])
print(json.dumps({**seen, "code": code, "enabled_after": gc.isenabled(), "frozen": gc.get_freeze_count() > 0}))
"""


def test_start_up_makes_the_window_with_the_cycle_collector_off_and_turns_it_on_for_the_event_loop(tmp_path: Path):
    # Nothing start-up makes is garbage; collections walking it all as it was made cost about 40 ms of each start
    # (gui/main.py). The collector is on again, with start-up's objects frozen, once the window is up.
    clock = SystemClock()
    store = Store.open(tmp_path / "ward.db")
    Bedside(store, shipped_protocol(), clock, user="nurse.test").import_data(demo_ward(clock.now()))
    store.close()
    # with compiled bytecode cached, as an installed app has it (compiling a module is not start-up's work)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"))
    for _run in ("compiles", "measured"):
        result = subprocess.run([sys.executable, "-c", GC_PROBE, str(tmp_path / "ward.db")], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {"collections_loading_core": 0, "enabled_while_building": False,
                     "collections_opening_the_file_and_building_the_window": 0, "enabled_in_loop": True, "code": 0,
                     "enabled_after": True, "frozen": True}
