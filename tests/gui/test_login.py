"""Signing in at start-up: first-run administrator, user name + PIN, inline failures, nothing in clear in the log,
tampered and in-use database files."""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox

from core.logging_setup import setup_logging, teardown_logging
from core.security import Accounts, Role, User
from core.store import Store, needs_key
from gui import app as app_module
from gui.app import StartCancelled, UserDialog, open_context, run_gui
from gui.login import FirstAdminDialog, LoginDialog, RecoveryKeyDialog
from gui.main_window import MainWindow
from gui.settings import Settings, settings_path
from tests.core.safety_helpers import insider_key
from tests.gui.safety_support import ADMIN_PIN, NURSE_PIN, context_for, ward_with_accounts
from tests.scenario import patient


def _args(**values) -> argparse.Namespace:
    return argparse.Namespace(**{"demo": False, "protocol": None, **values})


def _refuse(*args):
    raise AssertionError("this question must not be asked")


def test_first_run_creates_the_administrator_who_is_then_signed_in(qtbot, scratch_dirs, clock, tmp_path):
    created = {}

    def first_run(accounts: Accounts, last_user):
        dialog = FirstAdminDialog(accounts)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.username, "ada")
        qtbot.keyClicks(dialog.display_name, "Ada Admin")
        qtbot.keyClicks(dialog.pin, "first-pin-3391")
        qtbot.keyClicks(dialog.pin_again, "first-pin-3391")
        dialog.role_boxes[Role.CLINICIAN].setChecked(True)
        dialog.create_admin()
        created["result"] = dialog.result()
        created["pin_fields"] = (dialog.pin.text(), dialog.pin_again.text())
        return dialog.user

    shown = []

    def recovery(accounts: Accounts):          # the modal recovery-key dialog is mocked; what it gets is real
        shown.append((accounts.recovery_key, accounts.without_key))
        show_recovery_key_text.append(RecoveryKeyDialog(accounts.recovery_key, accounts.without_key))

    show_recovery_key_text: list[RecoveryKeyDialog] = []
    ctx = open_context(_args(db=tmp_path / "w.db"), Settings(), settings_path(), clock, ask=_refuse,
                       first_run=first_run, recovery=recovery)
    try:
        (key, without), = shown
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z] ){7}[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]",
                            key) and without == []
        dialog = show_recovery_key_text[0]
        qtbot.addWidget(dialog)
        assert dialog.key_label.text() == key and not dialog.ok.isEnabled()
        qtbot.keyClick(dialog.written, Qt.Key.Key_Space)
        assert dialog.ok.isEnabled()                        # OK only once the key is written down
        assert needs_key(tmp_path / "w.db")                 # the file is encrypted from its first admin on
        assert created == {"result": FirstAdminDialog.DialogCode.Accepted, "pin_fields": ("", "")}
        assert ctx.bedside.account == User("ada", "Ada Admin", frozenset({Role.ADMIN, Role.CLINICIAN}))
        assert ctx.bedside.user == "ada"
        assert not Accounts(ctx.bedside.store, clock).needs_first_admin()
        assert Settings.load(settings_path()).last_user == "ada"
    finally:
        ctx.bedside.store.close()


def test_first_run_with_two_different_pins_writes_nothing_and_says_so(qtbot, tmp_path, clock):
    with Store.open(tmp_path / "w.db") as store:
        accounts = Accounts(store, clock)
        dialog = FirstAdminDialog(accounts)
        qtbot.addWidget(dialog)
        dialog.username.setText("ada")
        dialog.display_name.setText("Ada Admin")
        dialog.pin.setText("first-pin-3391")
        dialog.pin_again.setText("first-pin-3392")
        dialog.create_admin()
        assert dialog.error.text() == "The two PINs differ; type them again."
        assert dialog.result() != FirstAdminDialog.DialogCode.Accepted
        dialog.pin.setText("abc")
        dialog.pin_again.setText("abc")
        dialog.create_admin()
        assert dialog.error.text() == "pin: a PIN must have 6–128 characters"
        assert accounts.needs_first_admin()


def test_a_ward_that_chooses_open_mode_records_under_the_typed_name(qtbot, tmp_path, clock):
    with Store.open(tmp_path / "w.db") as store:
        dialog = UserDialog("nurse.old", accounts=Accounts(store, clock))
        qtbot.addWidget(dialog)
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert any(t.startswith("This database has no user accounts yet. Either type your name to record under "
                                "it (open mode") for t in texts)
        assert dialog.create_button.text() == "Create the &administrator…"
        assert dialog.ok.text() == "Record under this &name"
        dialog.name.setText(" nurse.kim ")
        dialog.ok.click()
        assert dialog.chosen() == "nurse.kim"
        assert Accounts(store, clock).needs_first_admin()


def test_the_first_start_question_can_create_the_administrator(qtbot, tmp_path, clock, monkeypatch):
    with Store.open(tmp_path / "w.db") as store:
        dialog = UserDialog(None, accounts=Accounts(store, clock))
        qtbot.addWidget(dialog)

        def fill_and_create(admin_dialog: FirstAdminDialog) -> int:
            admin_dialog.username.setText("ada")
            admin_dialog.display_name.setText("Ada Admin")
            admin_dialog.pin.setText("first-pin-3391")
            admin_dialog.pin_again.setText("first-pin-3391")
            admin_dialog.create_admin()
            return admin_dialog.result()

        monkeypatch.setattr(FirstAdminDialog, "exec", fill_and_create)
        dialog.create_button.click()
        assert dialog.result() == UserDialog.DialogCode.Accepted
        assert dialog.chosen() == User("ada", "Ada Admin", frozenset({Role.ADMIN}))
        assert not Accounts(store, clock).needs_first_admin()


def test_with_accounts_the_user_option_only_fills_in_the_user_name(qtbot, scratch_dirs, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ward.store.close()
    asked = []

    def login(accounts, username, demo):
        dialog = LoginDialog(accounts, username, demo=demo)
        qtbot.addWidget(dialog)
        asked.append((dialog.form.username.text(), dialog.form.pin.text(), not dialog.form.pin.isHidden()))
        qtbot.keyClicks(dialog.form.pin, NURSE_PIN)
        qtbot.keyClick(dialog.form.pin, Qt.Key.Key_Return)
        return dialog.user

    ctx = open_context(_args(db=tmp_path / "w.db", user="nina"), Settings(), settings_path(), clock, ask=_refuse,
                       first_run=_refuse, login=login)
    try:
        assert asked == [("nina", "", True)]              # the name is filled in; the PIN is always typed
        assert ctx.bedside.account is not None and ctx.bedside.account.username == "nina"
        assert ctx.bedside.user == "nina"
    finally:
        ctx.bedside.store.close()


def test_quitting_the_sign_in_stops_the_start_and_releases_the_file(scratch_dirs, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ward.store.close()
    with pytest.raises(StartCancelled):
        open_context(_args(db=tmp_path / "w.db"), Settings(), settings_path(), clock, login=lambda *a: None)
    key = insider_key(tmp_path / "w.db", "ada", ADMIN_PIN)
    Store.open(tmp_path / "w.db", create=False, key=key).close()   # not held by the abandoned start


def test_the_pin_is_never_echoed_and_a_wrong_pin_is_said_inline(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    dialog = LoginDialog(ward.accounts, "nina")
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.pin.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(form.pin, "nurse-pin-0000")
    form.button.click()
    assert form.error.text() == "Wrong user name or PIN."
    assert form.pin.text() == "" and dialog.user is None and dialog.result() != LoginDialog.DialogCode.Accepted
    form.username.setText("nobody")
    qtbot.keyClicks(form.pin, NURSE_PIN)
    form.button.click()
    assert form.error.text() == "Wrong user name or PIN."     # an unknown name gets the same words
    form.username.setText("nina")
    qtbot.keyClicks(form.pin, NURSE_PIN)
    form.button.click()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert isinstance(dialog.user, User) and dialog.user.username == "nina" and form.pin.text() == ""
    ward.store.close()


def test_five_wrong_pins_lock_the_account_and_the_message_says_for_how_long(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    dialog = LoginDialog(ward.accounts, "nina")
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.form.pin.setText("wrong-pin-123")
        dialog.form.attempt()
        assert dialog.form.error.text() == "Wrong user name or PIN."
    dialog.form.pin.setText(NURSE_PIN)                      # even the right PIN now
    dialog.form.attempt()
    assert dialog.form.error.text() == ("The account nina is locked for 15 minutes after repeated wrong PINs; try "
                                        "later or ask an admin.")
    assert dialog.user is None
    ward.store.close()


def test_a_long_sign_in_message_is_shown_whole(qtbot, clock, tmp_path):
    """The dialog grows with the message (a locked account, a file of another laptop): every line is on screen."""
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    dialog = LoginDialog(ward.accounts, "nina")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    error = dialog.form.error
    for _ in range(6):
        qtbot.keyClicks(dialog.form.pin, "wrong-pin-123")
        qtbot.keyClick(dialog.form.pin, Qt.Key.Key_Return)
    assert error.text().startswith("The account nina is locked for 15 minutes")
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()) > 2 * error.fontMetrics().height())
    assert dialog.rect().contains(error.geometry().translated(error.parentWidget().mapTo(dialog, error.pos())
                                                              - error.pos()))
    ward.store.close()


def test_a_disabled_account_is_told_so(qtbot, clock, tmp_path):
    ward = ward_with_accounts(tmp_path / "w.db", clock)
    ward.accounts.set_active(ward.users["ada"], "nina", False)
    dialog = LoginDialog(ward.accounts, "nina")
    qtbot.addWidget(dialog)
    dialog.form.pin.setText(NURSE_PIN)
    dialog.form.attempt()
    assert dialog.form.error.text() == "The account nina is disabled; ask an admin."
    assert dialog.user is None
    ward.store.close()


def test_nothing_in_clear_reaches_the_log(qtbot, clock, tmp_path):
    log_file = setup_logging(tmp_path / "logs")
    try:
        ward = ward_with_accounts(tmp_path / "w.db", clock)
        dialog = LoginDialog(ward.accounts, "nina")
        qtbot.addWidget(dialog)
        for pin in ("typo-pin-5555", NURSE_PIN):
            dialog.form.pin.setText(pin)
            dialog.form.attempt()
        ctx = context_for(ward, "nina", clock, tmp_path)
        ctx.bedside.record("A100", "note", {"text": "Test Patient says the rash itches"})
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.open_patient("A100")
        window.lock()
        window.lock_screen.form.username.setText("nina")
        window.lock_screen.form.pin.setText("typo-pin-6666")
        window.lock_screen.form.attempt()
        window.stop_timers()
        ward.store.close()
    finally:
        teardown_logging()
    text = log_file.read_text(encoding="utf-8")
    assert "sign-in outcome=bad_pin" in text and "sign-in outcome=ok" in text and "session locked" in text
    for secret in ("typo-pin-5555", NURSE_PIN, "typo-pin-6666", "Test Patient", "A100", "1981-03-02", "rash"):
        assert secret not in text


def _one_patient_db(tmp_path: Path, clock) -> Path:
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.append([patient()], [], recorded_by="setup", now=clock.now())
    return db


def _tamper(db: Path) -> None:
    """Someone drops an append-only trigger with another tool."""
    conn = sqlite3.connect(str(db))
    conn.execute("DROP TRIGGER records_no_update")
    conn.commit()
    conn.close()


def test_a_tampered_file_is_opened_only_by_a_deliberate_choice_and_the_warning_stays(qtbot, scratch_dirs, clock,
                                                                                     tmp_path):
    db = _one_patient_db(tmp_path, clock)
    _tamper(db)
    before = db.read_bytes()
    seen = []
    with pytest.raises(StartCancelled):
        open_context(_args(db=db, user="nurse.kim"), Settings(), settings_path(), clock,
                     tampered=lambda exc: seen.append(exc.report.problems[0].what) or False)
    assert seen == ["the append-only protection records_no_update was removed"]
    assert db.read_bytes() == before                           # quitting leaves the file as it was
    ctx = open_context(_args(db=db, user="nurse.kim"), Settings(), settings_path(), clock, tampered=lambda exc: True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        assert not ctx.bedside.store.chain_report.ok
        assert window.tamper_label.text() == \
            "⚠ CHANGED OUTSIDE THE APP – check figures against the chart; call clinic IT"
        assert window.tamper_label.toolTip().startswith("This database has been changed outside CRS Bedside: the "
                                                        "append-only protection records_no_update was removed.")
        window.show()
        window.open_patient("A100")
        window.statusBar().showMessage("Vitals saved.", 10000)
        assert window.tamper_label.isVisible()                 # stays while the file is open, even under a message
    finally:
        window.stop_timers()
        ctx.bedside.store.close()


def test_the_tampered_warning_says_what_was_found_what_it_means_and_what_to_do(qtbot, clock, tmp_path,
                                                                              monkeypatch):
    db = _one_patient_db(tmp_path, clock)
    _tamper(db)
    shown = {}

    def fake_exec(box: QMessageBox) -> int:                  # the modal box is mocked; its content is real
        shown.update(text=box.text(), info=box.informativeText(), details=box.detailedText(),
                     buttons=[box.button(b).text() for b in (QMessageBox.StandardButton.Open,
                                                             QMessageBox.StandardButton.Close)],
                     default=box.defaultButton().text())
        return QMessageBox.StandardButton.Close.value

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert run_gui(_args(db=db, user="nurse.kim")) == 0       # "Quit" is a choice, not a failure
    assert shown["text"] == "This database has been changed outside CRS Bedside."
    assert shown["info"].startswith("Found: the append-only protection records_no_update was removed "
                                    "(0 more problem(s)).")
    assert "What to do: contact clinic IT and the ward manager now." in shown["info"]
    assert "restore it if records were lost" in shown["info"]
    assert shown["details"] == "schema records_no_update: the append-only protection records_no_update was removed"
    assert shown["buttons"] == ["&Open anyway, reading carefully", "&Quit"] and shown["default"] == "&Quit"


def test_a_database_open_in_another_window_is_refused_untouched(qtbot, scratch_dirs, clock, tmp_path, monkeypatch):
    db = _one_patient_db(tmp_path, clock)
    before = db.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from core.locking import DatabaseLock; "
         f"DatabaseLock(Path({str(db)!r})).acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout.readline().strip() == "held"
        shown = []
        monkeypatch.setattr(app_module, "show_error", lambda parent, *texts: shown.append(texts))
        assert run_gui(_args(db=db, user="nurse.kim")) == 1
    finally:
        holder.kill()
        holder.wait()
    [(what, meaning, todo, details)] = shown
    assert what == "This database is already open in another CRS Bedside window."
    assert "has not touched the file" in meaning
    assert todo.startswith("Switch to the other CRS Bedside window")
    assert f"(process {holder.pid})" in details
    assert db.read_bytes() == before


def test_the_sign_in_and_the_lock_screen_speak_spanish(qtbot, clock, tmp_path):
    from PySide6.QtWidgets import QApplication

    from gui.i18n import install_translators, remove_translators

    ward = ward_with_accounts(tmp_path / "w.db", clock)
    translators = install_translators(QApplication.instance(), "es")
    try:
        dialog = LoginDialog(ward.accounts, "nina")
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Iniciar sesión – CRS Bedside"
        assert dialog.form.heading.text() == "Iniciar sesión en CRS Bedside"
        assert dialog.form.button.text() == "&Iniciar sesión"
        window = MainWindow(context_for(ward, "nina", clock, tmp_path))
        qtbot.addWidget(window)
        assert window.grade_action.toolTip() == ("Solo los médicos confirman o modifican un grado de SLC; ha iniciado "
                                                 "sesión como Nina Nurse (nina; enfermería).")
        window.lock()
        assert window.user_label.text() == "Bloqueado"
        window.stop_timers()
    finally:
        remove_translators(QApplication.instance(), translators)
        ward.store.close()
