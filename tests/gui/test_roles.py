"""Roles in the GUI: what a role may not do is disabled with the reason; clinicians confirm grades and close CRS
episodes (one record each); admins manage accounts; a refusal from core still reaches the one error path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.security import PermissionDenied, Role
from gui import clinician_dialogs
from gui.clinician_dialogs import ClinicianEntryDialog
from gui.errors import explain
from gui.main_window import MainWindow
from gui.users_dialog import AccountDialog, UsersDialog
from tests.gui.safety_support import CLINICIAN_PIN, context_for, ward_with_accounts


@pytest.fixture
def ward(tmp_path, clock):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    yield ward
    ward.store.close()


def _window(qtbot, ward, user, clock, tmp_path) -> MainWindow:
    window = MainWindow(context_for(ward, user, clock, tmp_path))
    qtbot.addWidget(window)
    window.open_patient("A100")
    return window


def _fill_and_ok(grade: int | None, reason: str, pin: str = CLINICIAN_PIN):
    """Replace the modal exec: type the reason (and grade) and the PIN that signs, press OK, return what the dialog
    ended with."""
    def fake_exec(dialog: ClinicianEntryDialog) -> int:
        if grade is not None:
            dialog.grade.setValue(grade)
        dialog.reason.setText(reason)
        dialog.pin.setText(pin)
        dialog.ok.click()
        return dialog.result()
    return fake_exec


def test_a_nurse_cannot_confirm_a_grade_and_is_told_why(qtbot, ward, clock, tmp_path):
    window = _window(qtbot, ward, "nina", clock, tmp_path)
    assert not window.grade_action.isEnabled()
    assert window.grade_action.toolTip() == ("Only clinicians confirm or override a CRS grade; you are signed in as "
                                             "Nina Nurse (nina; nurse).")
    assert not window.close_episode_action.isEnabled()
    assert window.close_episode_action.toolTip() == ("Only clinicians close a CRS episode; you are signed in as "
                                                     "Nina Nurse (nina; nurse).")
    assert window.vitals_action.isEnabled() and window.patient.vitals_button.isEnabled()
    window.stop_timers()


def test_if_forced_the_core_refusal_is_shown_through_the_one_error_path(qtbot, ward, clock, tmp_path, monkeypatch):
    window = _window(qtbot, ward, "nina", clock, tmp_path)
    shown = []
    monkeypatch.setattr(clinician_dialogs, "show_exception", lambda parent, exc: shown.append(exc))
    monkeypatch.setattr(ClinicianEntryDialog, "exec", _fill_and_ok(3, "looks like grade 3 to me"))
    window.confirm_grade()                                    # the disabled action triggered anyway
    [refusal] = shown
    assert isinstance(refusal, PermissionDenied)
    assert str(refusal) == "Only a clinician may confirm or override a CRS grade; nina is signed in as nurse."
    assert explain(refusal)[0] == "Your role does not allow this action."
    assert [s.record.type for s in ward.store.records("A100")] == []        # nothing written
    window.stop_timers()


def test_a_clinician_confirms_a_grade_with_one_record(qtbot, ward, clock, tmp_path, monkeypatch):
    window = _window(qtbot, ward, "carl", clock, tmp_path)
    assert window.grade_action.isEnabled()
    assert window.grade_action.toolTip() == "Confirm/override CRS grade…"
    monkeypatch.setattr(ClinicianEntryDialog, "exec", _fill_and_ok(2, "hypotension responded to one bolus"))
    window.confirm_grade()
    [stored] = ward.store.records("A100")
    assert (stored.record.type, stored.record.grade, stored.record.reason, stored.recorded_by) == \
        ("grade_confirmed", 2, "hypotension responded to one bolus", "carl")
    assert window.statusBar().currentMessage() == "CRS grade confirmation saved."
    window.show()
    window.patient.tabs.setCurrentWidget(window.audit)
    assert window.audit.model.rowCount() == 1                 # the audit tab follows once shown
    window.stop_timers()


def test_the_grade_dialog_starts_at_the_computed_grade_and_needs_a_reason(qtbot, ward, clock, tmp_path):
    ctx = context_for(ward, "carl", clock, tmp_path)
    ctx.bedside.record_vitals("A100", {"temperature_c": 38.6})
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient("A100")
    dialog = window.make_grade_dialog()
    qtbot.addWidget(dialog)
    assert dialog.grade.value() == 1 and (dialog.grade.minimum(), dialog.grade.maximum()) == (0, 5)
    assert dialog.reason.maxLength() == 500                   # GradeConfirmed.reason's limit
    assert not dialog.ok.isEnabled()
    dialog.reason.setText("   ")
    assert not dialog.ok.isEnabled()
    dialog.reason.setText("fever only")
    assert dialog.ok.isEnabled()
    window.stop_timers()


def test_close_episode_needs_an_open_episode_and_a_clinician(qtbot, ward, clock, tmp_path, monkeypatch):
    window = _window(qtbot, ward, "carl", clock, tmp_path)
    assert not window.close_episode_action.isEnabled()
    assert window.close_episode_action.toolTip() == "No CRS episode is open for this patient."
    window.ctx.bedside.record_vitals("A100", {"temperature_c": 38.6}, at=clock.now() - timedelta(minutes=30))
    window.ctx.signals.recordsChanged.emit("A100")
    window.refresh()
    assert window.patient.state.crs.episode_open
    assert window.close_episode_action.isEnabled()
    monkeypatch.setattr(ClinicianEntryDialog, "exec", _fill_and_ok(None, "fever from a line infection"))
    window.close_episode()
    records = ward.store.records("A100")
    assert [(s.record.type, s.recorded_by) for s in records] == [("vitals", "carl"), ("crs_episode_closed", "carl")]
    assert records[1].record.reason == "fever from a line infection"
    assert not window.patient.state.crs.episode_open
    assert not window.close_episode_action.isEnabled()
    window.stop_timers()


def test_only_admins_manage_users_and_an_admin_alone_does_not_record(qtbot, ward, clock, tmp_path):
    nurse = _window(qtbot, ward, "nina", clock, tmp_path)
    assert not nurse.users_action.isEnabled()
    assert nurse.users_action.toolTip() == ("Only admins manage user accounts; you are signed in as Nina Nurse "
                                            "(nina; nurse).")
    nurse.stop_timers()
    admin = _window(qtbot, ward, "ada", clock, tmp_path)
    assert admin.users_action.isEnabled()
    assert not admin.vitals_action.isEnabled() and not admin.patient.vitals_button.isEnabled()
    assert admin.vitals_action.toolTip() == ("Only nurses and clinicians enter records; you are signed in as Ada "
                                             "Admin (ada; admin).")
    assert not admin.grade_action.isEnabled()
    admin.stop_timers()


def _drive(fill):
    """Replace the users dialog's modal sub-dialog: fill it, press OK, report how it ended."""
    def exec_dialog(self, dialog: AccountDialog) -> int:
        fill(dialog)
        dialog.buttons.accepted.emit()
        return dialog.result()
    return exec_dialog


def test_the_users_dialog_adds_sets_roles_resets_a_pin_and_disables(qtbot, ward, clock, tmp_path, monkeypatch):
    dialog = UsersDialog(ward.accounts, ward.users["ada"])
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["ada", "bea", "carl", "nina"]
    assert [dialog.table.item(r, 2).text() for r in range(4)] == ["admin", "nurse", "clinician", "nurse"]

    def new_user(d: AccountDialog) -> None:
        d.username.setText("otto")
        d.display_name.setText("Otto Nurse")
        d.role_boxes[Role.CLINICIAN].setChecked(True)
        d.pin.setText("otto-pin-5151")
        d.pin_again.setText("otto-pin-5151")

    monkeypatch.setattr(UsersDialog, "exec_dialog", _drive(new_user))
    dialog.add_user()
    assert dialog.message.text() == "Account otto added."
    assert ward.accounts.authenticate("otto", "otto-pin-5151").roles == frozenset({Role.NURSE, Role.CLINICIAN})
    assert dialog.selected().username == "otto"

    def nurse_only(d: AccountDialog) -> None:
        d.role_boxes[Role.CLINICIAN].setChecked(False)

    monkeypatch.setattr(UsersDialog, "exec_dialog", _drive(nurse_only))
    dialog.set_roles()
    assert ward.store.user("otto")["roles"] == ["nurse"]

    def new_pin(d: AccountDialog) -> None:
        d.pin.setText("otto-new-7272")
        d.pin_again.setText("otto-new-7272")

    monkeypatch.setattr(UsersDialog, "exec_dialog", _drive(new_pin))
    dialog.reset_pin()
    assert dialog.message.text() == "The PIN of otto was reset."
    assert ward.accounts.authenticate("otto", "otto-new-7272").username == "otto"

    assert dialog.active_button.text() == "&Disable"
    dialog.toggle_active()
    assert dialog.message.text() == "Account otto disabled." and not ward.store.user("otto")["active"]
    assert dialog.active_button.text() == "&Enable"
    dialog.toggle_active()
    assert ward.store.user("otto")["active"]


def test_a_refused_account_change_stays_inline_and_writes_nothing(qtbot, ward, clock, tmp_path, monkeypatch):
    dialog = UsersDialog(ward.accounts, ward.users["ada"])
    qtbot.addWidget(dialog)
    ended = []

    def taken_name(d: AccountDialog) -> None:
        d.username.setText("nina")
        d.display_name.setText("Another Nina")
        d.pin.setText("nina-two-8181")
        d.pin_again.setText("nina-two-8181")

    def exec_dialog(self, d: AccountDialog) -> int:
        taken_name(d)
        d.buttons.accepted.emit()
        ended.append((d.result(), d.error.text()))
        return d.result()

    monkeypatch.setattr(UsersDialog, "exec_dialog", exec_dialog)
    versions = len(ward.store.user_history("nina"))
    dialog.add_user()
    assert ended == [(0, "username: nina already exists")]
    assert len(ward.store.user_history("nina")) == versions
    dialog.table.selectRow(0)                                 # ada, the last admin
    dialog.toggle_active()
    assert dialog.message.text() == "username: ada is the last active admin; make another admin first"
    assert ward.store.user("ada")["active"]
