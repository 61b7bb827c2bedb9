"""Time (issue 15): a record later than the laptop clock is never hidden silently, and auto-lock follows the
monotonic clock, so putting the laptop clock back neither delays nor hastens the lock."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.services import Bedside, open_database
from gui.main_window import MainWindow
from gui.record_text import local_datetime
from gui.settings import Settings
from tests.cli.test_gate_import import ROOT
from tests.gui.safety_support import context_for, ward_with_accounts
from tests.scenario import patient


def test_status_warns_when_the_clock_is_behind_the_newest_record_in_a_real_process(tmp_path):
    db = tmp_path / "ward.db"
    ahead = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    with open_database(db) as store:
        store.append([patient()], [], recorded_by="setup", now=ahead)
        # Entered while the laptop clock was an hour ahead; then the clock was put right (back).
        Bedside(store, shipped_protocol("default"), FixedClock(ahead), "nina").record_vitals(
            "A100", {"temperature_c": 39.5, "systolic_bp": 85})
    result = subprocess.run([sys.executable, "-m", "gui.main", "status", "--db", str(db), "--user", "x"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    [warning] = doc["warnings"]
    assert warning.startswith("the laptop clock (") and warning.endswith(
        f") is behind the newest record ({ahead.isoformat(timespec='minutes')}): what happened after the clock's "
        "time is not shown as now. Check the clock (clinic IT) before relying on this status.")
    assert result.stderr == f"crs-bedside: warning: {warning}\n"


def test_status_has_no_warning_within_the_allowed_skew(tmp_path, clock):
    with open_database(tmp_path / "ward.db") as store:
        store.append([patient()], [], recorded_by="setup", now=clock.now())
        Bedside(store, shipped_protocol("default"), FixedClock(clock.now() + timedelta(minutes=5)), "n") \
            .record_vitals("A100", {"temperature_c": 37.0})
        bedside = Bedside(store, shipped_protocol("default"), clock, "n")
        assert bedside.clock_behind() is None                      # exactly 5 minutes ahead: allowed skew
        Bedside(store, shipped_protocol("default"), FixedClock(clock.now() + timedelta(minutes=5, seconds=1)),
                "n").record_vitals("A100", {"temperature_c": 37.1})
        assert bedside.clock_behind() == clock.now() + timedelta(minutes=5, seconds=1)


def test_the_window_warns_that_the_clock_is_behind(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ahead = clock.now() + timedelta(hours=1)
    ctx = context_for(ward, "nina", FixedClock(ahead), tmp_path)
    ctx.bedside.record_vitals("A100", {"temperature_c": 39.5})
    window = MainWindow(context_for(ward, "nina", clock, tmp_path))
    qtbot.addWidget(window)
    window.show()
    assert window.clock_label.isVisible()
    assert window.clock_label.text() == f"⚠ Clock behind records ({local_datetime(ahead)})"
    assert window.clock_label.toolTip().startswith("The laptop clock is behind the newest record")
    clock.set(ahead)
    window.refresh()
    assert not window.clock_label.isVisible()
    window.stop_timers()
    ward.store.close()


def test_auto_lock_follows_the_monotonic_clock_when_the_laptop_clock_is_put_back(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    window = MainWindow(context_for(ward, "nina", clock, tmp_path, Settings(autolock_minutes=15)))
    qtbot.addWidget(window)
    window.show()
    window.open_patient("A100")
    clock.set(clock.now() - timedelta(hours=1))                   # the laptop clock is put back an hour
    clock.advance(timedelta(minutes=14, seconds=59))
    window.autolock.check()
    assert not window.is_locked()
    clock.advance(timedelta(seconds=1))                           # 15 minutes without input, whatever the clock says
    window.autolock.check()
    assert window.is_locked()
    window.stop_timers()
    ward.store.close()
