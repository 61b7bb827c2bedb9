"""The laptop binding of PIN wraps (issue 16, core/keystore.py): where the operating system has a keystore, each PIN
wrap also needs a secret kept in it, so a copy of the database and its key file taken off the laptop does not open
with a PIN (nor can its PINs be searched offline); the recovery key still opens it anywhere; without a keystore
nothing is bound and nothing breaks. The keystore is a real one: GNOME Keyring's Secret Service in a D-Bus session
this test starts (bootstrap installs dbus and gnome-keyring)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.keys import KeyFile, key_path_for
from core.keystore import SERVICE, SWITCH_ENV, laptop_mark, laptop_secret
from core.security import Accounts, AuthError, SignIn
from core.store import Store
from tests.scenario import T0

NOW = T0 + timedelta(days=1)
ADMIN_PIN = "admin-pin-8642"
NURSE_PIN = "nurse-pin-1357"
NEW_PIN = "new-admin-pin-9753"


class Keystore:
    """GNOME Keyring (Secret Service) in a D-Bus session of its own, unlocked, for this process's keyring."""

    def __init__(self, home: Path):
        self.home = home
        home.mkdir()
        self.env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                    "XDG_RUNTIME_DIR": str(home)}
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1",
                                     f"--address=unix:path={home / 'bus'}"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env)
        self.address = self.bus.stdout.readline().decode().strip()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        self.daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=self.env)
        self.daemon.stdin.write(b"keystore-test-password")
        self.daemon.stdin.close()

    def use(self, monkeypatch) -> None:
        """Make it this process's keystore (as a desktop session's would be) and wait until it answers."""
        import keyring
        from keyring.backends import SecretService

        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", self.address)
        monkeypatch.delenv(SWITCH_ENV, raising=False)
        keyring.set_keyring(SecretService.Keyring())
        deadline = time.monotonic() + 30
        while True:
            try:
                keyring.set_password(SERVICE, "ready", "yes")
                if keyring.get_password(SERVICE, "ready") == "yes":
                    return
            except Exception:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    def stop(self) -> None:
        for process in (self.daemon, self.bus):
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def keystore(tmp_path: Path, monkeypatch):
    import keyring
    from keyring.backends import fail

    store = Keystore(tmp_path / "keystore")
    try:
        store.use(monkeypatch)
        yield store
    finally:
        keyring.set_keyring(fail.Keyring())
        store.stop()


def _ward(db: Path, clock: FixedClock) -> str:
    """A file with an admin (boss) and a nurse (amy): encrypted when the admin is made; returns the recovery key."""
    with Store.open(db) as store:
        accounts = Accounts(store, clock)
        boss = accounts.create_first_admin("boss", "Ward Admin", ADMIN_PIN)
        recovery = accounts.recovery_key
        accounts.add_user(boss, "amy", "Amy Nurse", ["nurse"], NURSE_PIN)
    assert recovery is not None
    return recovery


def _sign_in(db: Path, clock: FixedClock, name: str, pin: str):
    gate = SignIn(db, clock, lambda key: Store.open(db, create=False, key=key))
    user = gate.authenticate(name, pin)
    gate.store.close()
    return user


def test_with_a_keystore_the_pins_open_the_file_only_on_this_laptop_and_the_recovery_key_anywhere(
        tmp_path: Path, keystore: Keystore):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    recovery = _ward(db, clock)
    keys = KeyFile.load(key_path_for(db))
    assert {name: "laptop" in wrap["kdf"] for name, wrap in keys.wraps.items()} == {
        "user:boss": True, "user:amy": True, "recovery": False}
    secret = laptop_secret(keys.file_id, create=False)               # kept in the keystore, under the file's id
    assert secret is not None and keys.wraps["user:amy"]["kdf"]["laptop"] == laptop_mark(secret)
    assert _sign_in(db, clock, "amy", NURSE_PIN).username == "amy"   # on this laptop: as before

    # The same files on another laptop (its keystore has no secret of this file): the right PIN does not open it.
    other = tmp_path / "other-laptop"
    other.mkdir()
    for path in (db, key_path_for(db)):
        shutil.copy2(path, other / path.name)
    copy = other / db.name
    import keyring
    keyring.delete_password(SERVICE, f"laptop secret of database {keys.file_id}")
    with pytest.raises(AuthError, match=r"^The PIN of amy opens this database only on the laptop where it was set: "
                                        r"that laptop's keystore holds the other half of the key"):
        _sign_in(copy, clock, "amy", NURSE_PIN)
    # Clinic IT opens it with the recovery key; the admin's new PIN is bound to this laptop; amy's waits for hers.
    gate = SignIn(copy, clock, lambda key: Store.open(copy, create=False, key=key))
    assert gate.recover(recovery, "boss", NEW_PIN).username == "boss"
    gate.store.close()
    assert _sign_in(copy, clock, "boss", NEW_PIN).username == "boss"
    new_secret = laptop_secret(keys.file_id, create=False)
    assert new_secret not in (None, secret)
    assert KeyFile.load(key_path_for(copy)).wraps["user:boss"]["kdf"]["laptop"] == laptop_mark(new_secret)
    with pytest.raises(AuthError, match="only on the laptop where it was set"):
        _sign_in(copy, clock, "amy", NURSE_PIN)


def test_a_binding_removed_from_the_key_file_opens_nothing(tmp_path: Path, keystore: Keystore):
    """Someone with the key file strips the laptop mark from a wrap, hoping the PIN alone then opens it."""
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    path = key_path_for(db)
    doc = json.loads(path.read_text())
    del doc["wraps"]["user:amy"]["kdf"]["laptop"]
    path.write_text(json.dumps(doc))
    with pytest.raises(AuthError, match=r"^Wrong user name or PIN\.$"):
        _sign_in(db, clock, "amy", NURSE_PIN)


def test_without_a_keystore_nothing_is_bound_and_the_pins_open_the_file(tmp_path: Path):
    assert os.environ[SWITCH_ENV] == "off"                            # the suite's default; also clinic IT's switch
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    keys = KeyFile.load(key_path_for(db))
    assert ["laptop" in wrap["kdf"] for wrap in keys.wraps.values()] == [False, False, False]
    assert laptop_secret(keys.file_id, create=True) is None
    assert _sign_in(db, clock, "amy", NURSE_PIN).username == "amy"
