"""The session: auto-lock after exactly the setting's minutes, the lock screen hides patients, a quick switch stamps
the next records with the next person, and scheduled backups are made (or their failure shown)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from core.backup import list_backups
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.gui.conftest import advance
from tests.gui.safety_support import NURSE_PIN, SECOND_NURSE_PIN, context_for, ward_with_accounts


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_patient("A100")
    return window


def _locks_exactly_after(window: MainWindow, clock, idle: timedelta) -> None:
    """Idle until one second before ``idle``: still open; one more second: locked."""
    advance(clock, seconds=idle.total_seconds() - 1)
    window.autolock.check()
    assert not window.is_locked()
    advance(clock, seconds=1)
    window.autolock.check()
    assert window.is_locked()


def test_the_screen_locks_after_exactly_the_settings_minutes(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    window = _window(qtbot, context_for(ward, "nina", clock, tmp_path, Settings(autolock_minutes=5)))
    advance(clock, minutes=4)
    window.autolock.check()
    assert not window.is_locked()                             # one minute before: still open
    _locks_exactly_after(window, clock, timedelta(minutes=1))  # 5 min 00 s without input
    assert not window.patient.isVisible() and not window.ward.isVisible()     # no patient data on screen
    assert window.lock_screen.isVisible() and window.user_label.text() == "Locked"
    assert window.lock_screen.form.username.text() == "nina" and window.lock_screen.form.pin.text() == ""
    assert not window.vitals_action.isEnabled() and not window.open_action.isEnabled()   # shortcuts are dead
    assert window.quit_action.isEnabled()
    window.stop_timers()
    ward.store.close()


def test_a_key_pressed_restarts_the_idle_time(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    window = _window(qtbot, context_for(ward, "nina", clock, tmp_path, Settings(autolock_minutes=10)))
    advance(clock, minutes=9)
    qtbot.keyClick(window.patient, Qt.Key.Key_Down)
    _locks_exactly_after(window, clock, timedelta(minutes=10))
    window.stop_timers()
    ward.store.close()


def test_a_quick_switch_stamps_the_next_records_with_the_next_person(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ctx = context_for(ward, "nina", clock, tmp_path)
    window = _window(qtbot, ctx)
    ctx.bedside.record_vitals("A100", {"temperature_c": 37.1})
    window.lock_action.trigger()                              # Ctrl+Shift+L
    assert window.is_locked()
    form = window.lock_screen.form
    form.username.setText("bea")
    form.pin.setText("bea-wrong-000")
    form.attempt()
    assert form.error.text() == "Wrong user name or PIN." and window.is_locked()
    qtbot.keyClicks(form.pin, SECOND_NURSE_PIN)
    qtbot.keyClick(form.pin, Qt.Key.Key_Return)
    assert not window.is_locked() and window.patient.isVisible()
    assert window.user_label.text() == "User: Bea Nurse (bea; nurse)"
    ctx.bedside.record_vitals("A100", {"temperature_c": 37.4})
    assert [s.recorded_by for s in ward.store.records("A100")] == ["nina", "bea"]
    assert window.ctx.settings.last_user == "bea"
    window.stop_timers()
    ward.store.close()


def test_after_an_auto_lock_the_same_person_carries_on_and_is_locked_again_later(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    window = _window(qtbot, context_for(ward, "nina", clock, tmp_path, Settings(autolock_minutes=5)))
    advance(clock, minutes=5)
    window.autolock.check()
    window.lock_screen.form.pin.setText(NURSE_PIN)
    window.lock_screen.form.attempt()
    assert not window.is_locked()
    _locks_exactly_after(window, clock, timedelta(minutes=5))
    window.stop_timers()
    ward.store.close()


def test_open_mode_and_the_demo_ward_lock_too_and_show_the_demo_strip(qtbot, demo_ctx, clock):
    window = _window(qtbot, demo_ctx)
    window.lock()
    assert window.lock_screen.form.demo_strip.isVisible()
    assert window.lock_screen.form.demo_strip.text() == \
        "⚠  DEMO WARD – synthetic patients, not for clinical use  ⚠"
    assert window.lock_screen.form.pin.isHidden()              # no accounts: a name is enough
    window.lock_screen.form.username.setText("nurse.other")
    window.lock_screen.form.attempt()
    assert not window.is_locked() and demo_ctx.bedside.user == "nurse.other"
    window.stop_timers()


def test_a_scheduled_backup_is_made_and_a_failure_stays_in_the_status_bar(qtbot, ctx, clock, tmp_path):
    ctx.settings.backup_interval_minutes = 30
    window = _window(qtbot, ctx)
    assert window.backup_timer.interval() == 30 * 60_000 and window.backup_timer.isActive()
    window.backup_timer.timeout.emit()
    assert [b.reason for b in list_backups(ctx.db_path)] == ["scheduled"]
    assert window.backup_label.text().startswith("Last backup ")
    folder = ctx.bedside.store.backup_policy.folder_for(ctx.db_path)
    for backup in folder.iterdir():
        backup.unlink()
    folder.rmdir()
    folder.write_text("a file where the backup folder should be", encoding="utf-8")
    window.backup_timer.timeout.emit()
    assert window.backup_label.text() == "⚠ BACKUP FAILED – see the reason; tell clinic IT"
    assert window.backup_label.isVisible()
    assert "the backup was not made" in window.backup_label.toolTip()
    advance(clock, minutes=1)
    window.statusBar().showMessage("Vitals saved.", 10000)
    window.refresh()
    assert window.backup_label.text() == "⚠ BACKUP FAILED – see the reason; tell clinic IT"   # never dropped
    assert window.backup_label.isVisible()
    window.stop_timers()


def test_the_auto_lock_setting_has_limits():
    assert Settings().autolock_minutes == 5
    assert Settings.model_validate({"autolock_minutes": 1}).autolock_minutes == 1
    assert Settings.model_validate({"autolock_minutes": 60}).autolock_minutes == 60
    for bad in (0, 61):
        try:
            Settings.model_validate({"autolock_minutes": bad})
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")
    assert timedelta(minutes=Settings().autolock_minutes) == timedelta(seconds=300)


def test_locking_closes_an_open_wizard_without_saving(qtbot, ctx, clock):
    window = _window(qtbot, ctx)
    wizard = window.make_wizard("A100")
    wizard.setModal(True)
    wizard.show()
    wizard.temperature.edit.setText("38.9")
    assert wizard.isVisible()
    window.lock()
    assert not wizard.isVisible() and window.is_locked()
    assert ctx.bedside.records("A100") == []                 # nothing half-typed was saved
    window.stop_timers()


def test_closing_the_window_stops_every_timer_before_the_store_closes(qtbot, ctx):
    window = _window(qtbot, ctx)
    timers = [window.autolock.timer, window.backup_timer, window.ward.timer, window.patient.timer]
    assert all(t.isActive() for t in timers)
    window.close()
    assert not any(t.isActive() for t in timers)
