"""The slow start-up checks run in the background once the window is up, and what they find is shown."""

from __future__ import annotations

from pathlib import Path

from core.backup import list_backups
from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui import window_status as window_status_module
from gui.context import AppContext, BedsideSignals
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.core.safety_helpers import make_ward, raw
from tests.scenario import T0

RESTORE_TRIGGER = ("CREATE TRIGGER records_no_update BEFORE UPDATE ON records "
                   "BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END")


def _window(qtbot, db: Path, tmp_path: Path) -> MainWindow:
    store = Store.open(db, defer_slow_checks=True)
    clock = FixedClock(T0)
    ctx = AppContext(bedside=Bedside(store, shipped_protocol(), clock, user="nurse.a"), settings=Settings(),
                     settings_file=tmp_path / "settings.json", clock=clock, signals=BedsideSignals(), db_path=db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    return window


def test_a_sound_file_is_checked_and_backed_up_in_the_background(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    make_ward(db, 4)
    window = _window(qtbot, db, tmp_path)
    shown = []
    monkeypatch.setattr(window_status_module, "show_error", lambda *a: shown.append(a))
    assert list_backups(db) == []                         # nothing slow happened while opening
    window.start_background_checks()
    with qtbot.waitSignal(window.status.startup_checks.checked, timeout=10_000) as blocker:
        pass
    assert blocker.args[0].ok and blocker.args[0].chain.entries_checked == 5
    assert [b.reason for b in list_backups(db)] == ["open"]
    assert window.backup_label.text().startswith("Last backup")
    assert shown == []
    window.stop_timers()
    window.ctx.bedside.store.close()


def test_an_old_edit_found_in_the_background_is_shown_and_stays_in_the_status_bar(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    make_ward(db, 4)
    with Store.open(db):
        pass                                              # a backup: the edit below is older than it
    raw(db, "DROP TRIGGER records_no_update")
    raw(db, "UPDATE records SET payload = replace(payload, '37.', '36.') WHERE seq = 1")
    raw(db, RESTORE_TRIGGER)
    window = _window(qtbot, db, tmp_path)                 # the quick check at open cannot see it
    shown = []
    monkeypatch.setattr(window_status_module, "show_error", lambda *a: shown.append(a))
    window.start_background_checks()
    with qtbot.waitSignal(window.status.startup_checks.checked, timeout=10_000):
        pass
    assert len(shown) == 1 and "background check" in shown[0][1]
    assert not window.tamper_label.isHidden() and window.tamper_label.text()
    window.stop_timers()
    window.ctx.bedside.store.close()
