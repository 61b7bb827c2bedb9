"""Encryption at rest and integrity with a key (issue 16): a file with accounts is encrypted under a data key that only
a PIN (or the recovery key) unwraps; nothing readable is left in the database, its WAL, the key file, the backups or
the log; each forgery of the issue is refused or found at open; the files are their owner's only."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from core.audit import TamperedError
from core.backup import list_backups
from core.clock import FixedClock
from core.errors import StoreError
from core.keys import (
    PIN_KDF,
    KeyFile,
    SignInRequired,
    UnlockError,
    key_path_for,
    new_recovery_key,
    parse_recovery_key,
)
from core.logging_setup import setup_logging, teardown_logging
from core.protocol import shipped_protocol
from core.security import Accounts, AuthError, SignIn
from core.services import Bedside
from core.snapshot import load_fold
from core.state import fold
from core.store import MIGRATIONS, SCHEMA_VERSION, Store, is_encrypted_file
from tests.core.safety_helpers import insider_key, make_ward, raw
from tests.scenario import T0, patient

NOW = T0 + timedelta(days=1)
SECRET_NAME = "Zelda Quixote-Marsh"
SECRET_MRN = "QZX-7731"
ADMIN_PIN = "admin-pin-8642"
NURSE_PIN = "nurse-pin-1357"


def _open(db: Path, clock: FixedClock, name: str = "boss", pin: str = ADMIN_PIN, **options) -> tuple[Store, object]:
    """Sign in to an encrypted file as the app does (the PIN unwraps the key, then the store opens)."""
    gate = SignIn(db, clock, lambda key: Store.open(db, create=False, key=key, **options))
    user = gate.authenticate(name, pin)
    assert gate.store is not None
    return gate.store, user


def _ward(db: Path, clock: FixedClock, n_records: int = 3) -> Accounts:
    """A ward file with the secret patient, an admin (boss) and a nurse (amy), records entered by amy; closed."""
    with Store.open(db) as store:
        accounts = Accounts(store, clock)
        boss = accounts.create_first_admin("boss", "Ward Admin", ADMIN_PIN)
        accounts.add_user(boss, "amy", "Amy Nurse", ["nurse"], NURSE_PIN)
        person = patient(mrn=SECRET_MRN, name=SECRET_NAME, birth_date="1977-07-17")
        Bedside(store, shipped_protocol("default"), clock, boss).import_data(
            {"format": "crs-bedside/1", "patients": [person.model_dump(mode="json", exclude_none=True)],
             "records": []})
        nurse = Bedside(store, shipped_protocol("default"), clock, accounts.authenticate("amy", NURSE_PIN))
        for i in range(n_records):
            nurse.record_vitals(SECRET_MRN, {"temperature_c": 38.1, "heart_rate": 101 + i},
                                at=clock.now() - timedelta(minutes=30 - i))
    return accounts


# -- confidentiality --------------------------------------------------------------------------------------------
def test_nothing_readable_in_the_database_its_wal_the_key_file_the_backups_or_the_log(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    log_file = setup_logging(tmp_path / "logs")
    try:
        accounts = _ward(db, clock)
        store, _boss = _open(db, clock)
        pin_hashes = [str(row["pin_hash"]) for row in store.users()]
        nurse = Bedside(store, shipped_protocol("default"), clock,
                        Accounts(store, clock).authenticate("amy", NURSE_PIN))
        nurse.record(SECRET_MRN, "note", {"text": f"{SECRET_NAME} asked for her daughter"})
        store.make_backup("manual")
        wal = db.with_name(db.name + "-wal")
        assert wal.stat().st_size > 0                       # the newest writes are in the WAL while the file is open
        files = {"database": db, "WAL": wal, "key file": key_path_for(db), "log": log_file,
                 **{f"backup {b.path.name}": b.path for b in list_backups(db)}}
        contents = {what: path.read_bytes() for what, path in files.items()}
        store.close()
    finally:
        teardown_logging()
    assert accounts.recovery_key is not None
    assert len(files) >= 6                                  # db, WAL, key file, log, pre-encrypt and manual backups
    secrets_ = [SECRET_NAME, SECRET_MRN, "1977-07-17", "Zelda", ADMIN_PIN, NURSE_PIN, "asked for her daughter",
                accounts.recovery_key, *pin_hashes]
    for what, content in contents.items():
        for secret in secrets_:
            assert secret.encode() not in content, f"{secret!r} found in the {what}"
            assert secret.encode("utf-16-le") not in content, f"{secret!r} found in the {what}"
    for path in [db, *(b.path for b in list_backups(db))]:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            sqlite3.connect(str(path)).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_a_wrong_pin_or_a_wrong_key_does_not_open_it(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    before = db.read_bytes()
    with pytest.raises(SignInRequired, match="this database is encrypted: sign in with your user name and PIN"):
        Store.open(db)
    gate = SignIn(db, clock, lambda key: Store.open(db, create=False, key=key))
    for name, pin in (("amy", "nurse-pin-1358"), ("nobody", NURSE_PIN), ("boss", NURSE_PIN)):
        with pytest.raises(AuthError, match=r"^Wrong user name or PIN\.$"):
            gate.authenticate(name, pin)
    assert gate.store is None
    with pytest.raises(StoreError, match=r"does not open with the key your PIN unlocked.*left as it is"):
        Store.open(db, create=False, key=bytes(32))
    assert db.read_bytes() == before
    store, _user = _open(db, clock, "amy", NURSE_PIN)
    try:
        assert [(n, o) for n, _, o in store.auth_events(4)] == [     # the failures came in, chained, at sign-in
            ("amy", "ok"), ("boss", "bad_pin"), ("nobody", "unknown_user"), ("amy", "bad_pin")]
        assert store.verify_chain().ok
    finally:
        store.close()


def test_five_wrong_pins_before_the_file_opens_lock_the_account(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    gate = SignIn(db, clock, lambda key: Store.open(db, create=False, key=key))
    for _ in range(4):
        with pytest.raises(AuthError, match="Wrong user name or PIN"):
            gate.authenticate("amy", "wrong-pin-0000")
    store, _ = _open(db, clock, "amy", NURSE_PIN)              # four wrong, then right: in
    store.close()
    for _ in range(5):
        with pytest.raises(AuthError, match="Wrong user name or PIN"):
            gate.authenticate("amy", "wrong-pin-0000")
    with pytest.raises(AuthError, match="The account amy is locked for 15 minutes"):
        gate.authenticate("amy", NURSE_PIN)                    # five wrong: the right PIN is refused
    clock.set(NOW + timedelta(minutes=14, seconds=59))
    with pytest.raises(AuthError, match="locked"):
        gate.authenticate("amy", NURSE_PIN)
    clock.set(NOW + timedelta(minutes=30, seconds=1))        # the newest wrong PIN is more than 15 minutes old
    store, _ = _open(db, clock, "amy", NURSE_PIN)
    store.close()


# -- the key file -----------------------------------------------------------------------------------------------
def test_the_pin_wrap_costs_at_least_what_the_issue_asks_and_its_parameters_are_stored(tmp_path: Path):
    db = tmp_path / "w.db"
    _ward(db, FixedClock(NOW), n_records=0)
    doc = json.loads(key_path_for(db).read_text())
    assert set(doc["wraps"]) == {"recovery", "user:boss", "user:amy"} and doc["state"] == "encrypted"
    assert {k: doc["wraps"]["user:amy"]["kdf"][k] for k in ("name", "n", "r", "p")} == PIN_KDF
    assert PIN_KDF["n"] * PIN_KDF["r"] * 128 == 128 * 2 ** 20      # 128 MiB per guess (0.44 s measured here)


def test_a_key_file_changed_by_hand_is_refused(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    path = key_path_for(db)
    doc = json.loads(path.read_text())
    # a wrap moved to another name does not open (its associated data names it)
    doc["wraps"]["user:mallory"] = doc["wraps"]["user:amy"]
    path.write_text(json.dumps(doc))
    with pytest.raises(AuthError, match="Wrong user name or PIN"):
        SignIn(db, clock, lambda key: Store.open(db, create=False, key=key)).authenticate("mallory", NURSE_PIN)
    # a wrap removed, or the state flipped, breaks the key file's seal
    doc = json.loads(path.read_text())
    del doc["wraps"]["user:mallory"]
    del doc["wraps"]["user:boss"]
    path.write_text(json.dumps(doc))
    with pytest.raises(StoreError, match="the key file was changed outside CRS Bedside"):
        KeyFile.load(path).unlock_with_pin("amy", NURSE_PIN)


def test_pin_changes_rewrap_disabling_deletes_the_wrap_and_an_admin_reset_uses_the_admins_key(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    store, boss = _open(db, clock)
    try:
        accounts = Accounts(store, clock)
        accounts.change_own_pin("amy", NURSE_PIN, "amy-new-pin-42")
        keys = KeyFile.load(key_path_for(db))
        with pytest.raises(UnlockError):
            keys.unlock_with_pin("amy", NURSE_PIN)
        assert keys.unlock_with_pin("amy", "amy-new-pin-42") == store.data_key
        accounts.set_active(boss, "amy", False)
        assert not KeyFile.load(key_path_for(db)).has_pin_wrap("amy")
        accounts.set_active(boss, "amy", True)
        accounts.set_pin(boss, "amy", "amy-reset-pin-77")      # the admin's session key wraps it again
        assert KeyFile.load(key_path_for(db)).unlock_with_pin("amy", "amy-reset-pin-77") == store.data_key
    finally:
        store.close()
    with pytest.raises(AuthError):
        _open(db, clock, "amy", "amy-new-pin-42")
    store, _user = _open(db, clock, "amy", "amy-reset-pin-77")
    store.close()


def test_a_disabled_account_cannot_open_the_file(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    store, boss = _open(db, clock)
    Accounts(store, clock).set_active(boss, "amy", False)
    store.close()
    with pytest.raises(AuthError, match=r"^Wrong user name or PIN\.$"):
        _open(db, clock, "amy", NURSE_PIN)


def test_the_recovery_key_restores_access_when_every_pin_is_lost(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    accounts = _ward(db, clock)
    recovery = accounts.recovery_key
    assert recovery is not None
    gate = SignIn(db, clock, lambda key: Store.open(db, create=False, key=key))
    wrong_group = recovery[:7] + ("0" if recovery[7] != "0" else "1") + recovery[8:]   # group 2's first character
    with pytest.raises(UnlockError, match=r"recovery key: group 2 \(.*\) does not check"):
        gate.recover(wrong_group, "boss", "boss-new-pin-99")
    with pytest.raises(UnlockError, match="this is not the recovery key of this database"):
        gate.recover(new_recovery_key(), "boss", "boss-new-pin-99")
    with pytest.raises(Exception, match="username: amy is not an active admin"):
        gate.recover(recovery, "amy", "amy-new-pin-99")
    user = gate.recover(recovery.lower().replace(" ", ""), "boss", "boss-new-pin-99")   # case and spaces do not matter
    assert user.username == "boss"
    gate.store.close()
    with pytest.raises(AuthError):
        _open(db, clock, "boss", ADMIN_PIN)
    store, _ = _open(db, clock, "boss", "boss-new-pin-99")
    try:
        assert len(store.records(SECRET_MRN)) == 3             # every record is still there
        assert store.user_history("boss")[-1]["changed_by"] == "recovery"
        assert store.verify_chain().ok
    finally:
        store.close()


def test_the_recovery_key_is_printable_groups_each_with_a_check_character():
    key = new_recovery_key()
    groups = key.split(" ")
    assert len(groups) == 8 and all(len(g) == 6 and g[4] == "-" for g in groups)
    assert len(parse_recovery_key(key)) == 32
    with pytest.raises(UnlockError, match=r"expected 8 groups of 4 characters and a check character each \(40 "
                                          r"characters\), got 39"):
        parse_recovery_key(key[:-1])


# -- file modes -------------------------------------------------------------------------------------------------
def test_every_file_and_folder_the_app_makes_is_its_owners_only(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    log_file = setup_logging(tmp_path / "logs")
    try:
        _ward(db, clock)
        store, _ = _open(db, clock)
        store.make_backup("manual")
        made = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), key_path_for(db),
                db.with_name(db.name + ".lock"), log_file, *(b.path for b in list_backups(db))]
        modes = {path.name: stat.S_IMODE(os.stat(path).st_mode) for path in made}
        folders = {path.name: stat.S_IMODE(os.stat(path).st_mode) for path in (log_file.parent,
                                                                               db.with_name(db.name + ".backups"))}
        store.close()
    finally:
        teardown_logging()
    assert modes == dict.fromkeys(modes, 0o600) and len(modes) >= 8
    assert folders == {"logs": 0o700, "w.db.backups": 0o700}


# -- integrity with a key: the forgeries of the issue -------------------------------------------------------------
FORGERIES = {
    "forged record": "INSERT INTO records (id, mrn, type, occurred_at, recorded_at, recorded_by, payload) VALUES "
                     "('f0', 'QZX-7731', 'vitals', '2022-01-11T13:00:00.000000+00:00', "
                     "'2022-01-11T13:00:00.000000+00:00', 'amy', '{}')",
    "forged account version": "INSERT INTO user_versions (username, display_name, roles, active, kdf, pin_hash, "
                              "changed_at) VALUES ('amy', 'Amy', '[\"admin\"]', 1, '{}', 'x', 'now')",
    "inserted sign-in event": "INSERT INTO auth_events (username, at, outcome) VALUES ('amy', 'now', 'ok')",
    "edited snapshot": "UPDATE fold_snapshots SET payload = '{}'",
    "edited ward list": "UPDATE ward_list SET mrns = '[]'",
    "deleted newest records": "DELETE FROM chain WHERE pos = (SELECT max(pos) FROM chain)",
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_without_a_pin_no_tool_can_write_the_file_and_it_is_left_byte_identical(tmp_path: Path, forgery: str):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=1)
    before = db.read_bytes()
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        raw(db, FORGERIES[forgery])                       # the sqlite3 shell, or SQLCipher with a guessed key:
    with pytest.raises(Exception, match="file is not a database"):
        raw(db, FORGERIES[forgery], key=os.urandom(32))
    assert db.read_bytes() == before


@pytest.mark.parametrize("where", ["first page", "a middle page", "the last page"])
def test_a_page_changed_without_the_key_fails_to_open_with_a_plain_message_and_stays_byte_identical(
        tmp_path: Path, where: str):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=20)
    content = bytearray(db.read_bytes())
    pages = len(content) // 4096
    page = {"first page": 0, "a middle page": pages // 2, "the last page": pages - 1}[where]
    content[page * 4096 + 2000] ^= 0x01                   # one bit of one page (a record, an account, a chain entry)
    db.write_bytes(bytes(content))
    with pytest.raises(StoreError, match=r"does not open with the key your PIN unlocked: it was changed by a "
                                         r"program other than CRS Bedside.*left as it is"):
        _open(db, clock)                                  # the command line's open reads every page
    assert db.read_bytes() == bytes(content)
    # The window's open leaves the whole-file read to its background check, which then finds it (a page the open
    # reads is refused there and then, the file left as it is).
    try:
        store, _ = _open(db, clock, defer_slow_checks=True)
    except StoreError as exc:
        assert "does not open with the key your PIN unlocked" in str(exc)
        assert db.read_bytes() == bytes(content)
    else:
        try:
            checks = store.run_deferred_checks()
            assert not checks.ok and checks.backup is None
        finally:
            store.close()


def test_a_planted_backup_is_found_at_open(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    store, _ = _open(db, clock)
    store.close()
    # someone without a PIN makes a clear file with a recomputed chain and plants it as the newest backup
    fake = tmp_path / "fake.db"
    make_ward(fake, 1)
    newest = list_backups(db)[-1]
    planted = newest.path.with_name(newest.path.name.replace(newest.taken_at.strftime("%Y%m%dT%H%M%S"),
                                                             "20991231T235959"))
    shutil.copyfile(fake, planted)
    before = db.read_bytes()
    with pytest.raises(TamperedError) as caught:
        _open(db, clock)
    assert any(p.kind == "backup" and "does not open with this database's key" in p.what
               for p in caught.value.report.problems)
    assert db.read_bytes() == before


def test_the_open_reads_the_newest_backups_head_from_its_sealed_note_and_never_trusts_an_edited_note(
        tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    store, _ = _open(db, clock)                             # the backup at open, and the note of its chain head
    store.close()
    newest = list_backups(db)[-1]
    note = newest.path.with_name("w.db.newest-backup.json")
    assert json.loads(json.loads(note.read_text())["body"])[0] == newest.path.name
    # The backup's bytes replaced, its size and time kept: the open does not read the backup (the note vouches for
    # its head, and the file's chain since that head checks out), and the full check in the background, which
    # always reads the backup itself, finds it.
    facts = newest.path.stat()
    newest.path.write_bytes(os.urandom(facts.st_size))
    os.utime(newest.path, ns=(facts.st_atime_ns, facts.st_mtime_ns))
    store, _ = _open(db, clock, defer_slow_checks=True)
    try:
        checks = store.run_deferred_checks()
        assert [p.what for p in checks.chain.problems if p.kind == "backup"] == [
            f"the newest backup ({newest.taken_at:%Y-%m-%d %H:%M} UTC) does not open with this database's key: it "
            "was not made by CRS Bedside from this file"]
    finally:
        store.close()
    # A note edited without the key (its seal no longer holds) is not used: the open reads the backup, and finds it.
    doc = json.loads(note.read_text())
    body = json.loads(doc["body"])
    body[3] -= 1
    note.write_text(json.dumps({"body": json.dumps(body, separators=(",", ":")), "seal": doc["seal"]}))
    with pytest.raises(TamperedError) as caught:
        _open(db, clock)
    assert [p.kind for p in caught.value.report.problems] == ["backup"]


def test_deleting_the_newest_records_with_a_pin_and_a_shell_is_found_by_the_backup_check(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    store, _ = _open(db, clock)                            # the backup at open anchors the chain head
    store.close()
    key = insider_key(db, "boss", ADMIN_PIN)
    raw(db, "DROP TRIGGER records_no_delete", key=key)
    raw(db, "DROP TRIGGER chain_no_delete", key=key)
    raw(db, "DELETE FROM chain WHERE kind = 'record' AND ref = (SELECT max(seq) FROM records)", key=key)
    raw(db, "DELETE FROM records WHERE seq = (SELECT max(seq) FROM records)", key=key)
    with pytest.raises(TamperedError) as caught:
        _open(db, clock)
    assert any(p.kind == "backup" for p in caught.value.report.problems)


def test_an_inserted_sign_in_event_is_found_at_open(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    key = insider_key(db, "boss", ADMIN_PIN)                  # even with a PIN and an SQLCipher shell
    raw(db, "INSERT INTO auth_events (username, at, outcome) VALUES ('amy', '2022-01-11T14:00:00.000000+00:00', "
            "'ok')", key=key)
    ((inserted,),) = raw(db, "SELECT max(pos) FROM auth_events", key=key)
    before = db.read_bytes()
    with pytest.raises(TamperedError) as caught:
        _open(db, clock)
    assert [p.what for p in caught.value.report.problems if p.kind == "auth"] == [
        f"sign-in event #{inserted} (amy, ok) was added outside CRS Bedside"]
    assert db.read_bytes() == before


def test_an_edited_snapshot_is_thrown_away_and_the_ward_shows_the_records(tmp_path: Path):
    clock = FixedClock(T0 + timedelta(days=2))
    db = tmp_path / "w.db"
    make_ward(db, 210, clock.now())                      # long enough for a fold snapshot
    with Store.open(db) as store:
        accounts = Accounts(store, clock)
        accounts.create_first_admin("boss", "Ward Admin", ADMIN_PIN)
    store, boss = _open(db, clock)
    bedside = Bedside(store, shipped_protocol("default"), clock, boss)
    honest = bedside.state("A100").to_json()
    stored = store.fold_snapshot("A100")
    assert stored is not None and stored[0] == 210
    store.close()
    # an insider with a PIN and a shell rewrites the snapshot: a CRS episode of grade 2 the records never had
    key = insider_key(db, "boss", ADMIN_PIN)
    ((payload,),) = raw(db, "SELECT payload FROM fold_snapshots WHERE mrn = 'A100'", key=key)
    forged = payload.replace('"max_grade":1', '"max_grade":2')
    shown = load_fold(forged, patient(), shipped_protocol("default")).state(clock.now()).to_json()
    assert (honest["crs"]["episode_max_grade"], shown["crs"]["episode_max_grade"]) == (1, 2)   # it would show
    raw(db, "UPDATE fold_snapshots SET payload = ? WHERE mrn = 'A100'", (forged,), key=key)
    store, boss = _open(db, clock)
    try:
        assert store.fold_snapshot("A100") is None             # checked against its records, refused, deleted
        assert raw(db, "SELECT count(*) FROM fold_snapshots", key=key) == [(0,)]
        bedside = Bedside(store, shipped_protocol("default"), clock, boss)
        assert bedside.state("A100").to_json() == honest
        records = store.records("A100")
        assert bedside.state("A100").to_json() == fold(patient(), records, clock.now(),
                                                       shipped_protocol("default")).to_json()
        assert store.fold_snapshot("A100") is not None         # folded afresh and sealed again
    finally:
        store.close()


def test_a_snapshot_no_longer_matching_its_records_is_refused(tmp_path: Path):
    clock = FixedClock(T0 + timedelta(days=2))
    db = tmp_path / "w.db"
    make_ward(db, 210, clock.now())
    with Store.open(db) as store:
        bedside = Bedside(store, shipped_protocol("default"), clock, "nurse.test")
        bedside.state("A100")
        assert store.fold_snapshot("A100") is not None
    # open mode (clear file): a covered record removed with its chain entry, the snapshot left as it was
    raw(db, "DROP TRIGGER records_no_delete")
    raw(db, "DROP TRIGGER chain_no_delete")
    raw(db, "DELETE FROM chain WHERE kind = 'record' AND ref = '5'")
    raw(db, "DELETE FROM records WHERE seq = 5")
    with Store.open(db, accept_tampered=True) as store:
        assert store.fold_snapshot("A100") is None


# -- migration of a clear file with accounts ------------------------------------------------------------------
def _clear_schema_3_file_with_accounts(db: Path, clock: FixedClock) -> None:
    """What an earlier version left: schema 3, in clear, with accounts (admin boss, nurse amy) and records."""
    from sqlite_utils import Database

    from core.security import hash_pin

    make_ward(db, 5, clock.now())
    with Store.open(db) as store:
        for name, roles, pin in (("boss", ["admin"], ADMIN_PIN), ("amy", ["nurse"], NURSE_PIN)):
            kdf, digest = hash_pin(pin)
            store.add_user_version(username=name, display_name=name.title(), roles=roles, active=True, kdf=kdf,
                                   pin_hash=digest, now=clock.now(), changed_by=None)
    # back to schema 3 as that version wrote it: no chained sign-in events, no FHIR outbox, no merge tables
    raw(db, "DROP TRIGGER chain_no_delete")
    raw(db, "DELETE FROM chain WHERE kind = 'auth'")
    raw(db, "CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, "
            "'chain is append-only'); END")
    for table in ("fhir_acknowledged", "laptop", "record_origins", "patient_conflicts", "ward_list"):
        raw(db, f"DROP TABLE {table}")
    raw(db, "DROP INDEX records_patient_seq")
    raw(db, "DELETE FROM _sqlite_migrations WHERE name IN ('0004_fhir_outbox', '0005_merge_between_laptops', "
            "'0006_chain_auth_events', '0007_ward_list')")
    raw(db, "INSERT INTO auth_events (username, at, outcome) VALUES ('amy', '2022-01-11T09:00:00.000000+00:00', "
            "'bad_pin')")
    shutil.rmtree(db.with_name(db.name + ".backups"))
    assert len(list(MIGRATIONS.applied(Database(sqlite3.connect(str(db)))))) == 3


def test_a_clear_schema_3_file_with_accounts_is_encrypted_at_the_first_admin_sign_in_with_nothing_lost(
        tmp_path: Path):
    clock = FixedClock(T0 + timedelta(days=2))
    db = tmp_path / "w.db"
    _clear_schema_3_file_with_accounts(db, clock)
    before = {table: raw(db, f"SELECT * FROM {table} ORDER BY rowid")
              for table in ("patients", "records", "user_versions", "auth_events")}
    # a nurse signing in does not encrypt it (only an admin's PIN may become the file's first key)
    with Store.open(db) as store:
        Accounts(store, clock).authenticate("amy", NURSE_PIN)
        assert store.data_key is None and store.schema_version == SCHEMA_VERSION
    assert not is_encrypted_file(db)
    with Store.open(db) as store:
        accounts = Accounts(store, clock)
        accounts.authenticate("boss", ADMIN_PIN)
        assert store.data_key is not None and accounts.recovery_key is not None
        assert accounts.without_key == ["amy"]
        assert len(store.records("A100")) == 5             # the same store keeps working, now on the encrypted file
    assert is_encrypted_file(db) and not db.with_name(db.name + "-wal").exists()
    backups = list_backups(db)
    reasons = [b.reason for b in backups]
    assert reasons[0] == "pre-0004-fhir-outbox" and reasons[-1] == "pre-encrypt"
    assert all(is_encrypted_file(b.path) for b in backups)    # the clear backups were encrypted too
    key = insider_key(db, "boss", ADMIN_PIN)
    for table, rows in before.items():                       # nothing lost
        assert raw(db, f"SELECT * FROM {table} ORDER BY rowid", key=key)[:len(rows)] == rows
    assert raw(backups[-1].path, "SELECT count(*) FROM records", key=key) == [(5,)]
    store, _ = _open(db, clock)
    try:
        assert store.verify_chain().ok and store.integrity_check() == "ok"
    finally:
        store.close()
    # amy has no wrap yet: she signs in once on an open session (the lock screen), which wraps the key for her
    with pytest.raises(AuthError):
        _open(db, clock, "amy", NURSE_PIN)
    store, _ = _open(db, clock)
    Accounts(store, clock).authenticate("amy", NURSE_PIN)
    store.close()
    store, _user = _open(db, clock, "amy", NURSE_PIN)
    store.close()


def test_a_clear_file_put_in_place_of_an_encrypted_one_is_refused(tmp_path: Path):
    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock, n_records=0)
    make_ward(tmp_path / "fake.db", 1)
    shutil.copyfile(tmp_path / "fake.db", db)
    before = db.read_bytes()
    for attempt in (lambda: Store.open(db), lambda: Store.open(db, key=insider_key(db, "boss", ADMIN_PIN))):
        with pytest.raises(StoreError, match=r"should be encrypted .* but the file is in clear: it was replaced"):
            attempt()
    assert db.read_bytes() == before


def test_open_mode_stays_clear(tmp_path: Path):
    db = tmp_path / "w.db"
    make_ward(db, 2)
    assert not is_encrypted_file(db) and not key_path_for(db).exists()
    assert raw(db, "SELECT count(*) FROM records") == [(2,)]
    with Store.open(db) as store:
        assert store.data_key is None


def test_the_database_and_its_backups_use_the_file_formats_cipher_settings(tmp_path: Path):
    """Every encrypted file the app writes (the database made by sqlcipher_export, its backups) uses
    core.keys.SQLCIPHER_SETTINGS: it opens with them and not with SQLCipher's defaults alone."""
    from sqlcipher3 import dbapi2

    from core.keys import SQLCIPHER_SETTINGS, sqlcipher_key

    clock = FixedClock(NOW)
    db = tmp_path / "w.db"
    _ward(db, clock)
    store, _ = _open(db, clock)
    store.make_backup("manual")
    store.close()
    key = insider_key(db, "boss", ADMIN_PIN)
    assert SQLCIPHER_SETTINGS == (("cipher_hmac_algorithm", "HMAC_SHA256"),)
    for path in (db, *(b.path for b in list_backups(db))):
        assert raw(path, "SELECT count(*) > 0 FROM sqlite_master", key=key) == [(1,)]
        defaults_only = dbapi2.connect(str(path))
        defaults_only.execute(f"PRAGMA key = {sqlcipher_key(key)}")
        with pytest.raises(dbapi2.DatabaseError, match="file is not a database"):
            defaults_only.execute("SELECT count(*) FROM sqlite_master").fetchall()
        defaults_only.close()
