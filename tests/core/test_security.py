"""Accounts, PINs and roles: nobody anonymous, PINs never in clear, only clinicians confirm grades (D6) or close
episodes (D9), only admins manage accounts."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.errors import InputError
from core.protocol import shipped_protocol
from core.security import (
    LOCKOUT_FAILURES,
    Accounts,
    AuthError,
    Permission,
    PermissionDenied,
    Role,
    User,
    hash_pin,
    verify_pin,
)
from core.services import Bedside
from core.store import Store
from tests.core.safety_helpers import import_doc, insider_key, raw, vitals
from tests.scenario import T0, patient

NOW = T0 + timedelta(days=1)
ADMIN_PIN = "admin-pin-1"
PINS = {"amy": "nurse-pin-1", "dr.lee": "doctor-pin-1", "boss": ADMIN_PIN}


@pytest.fixture
def ward(db_path: Path):
    """A database with the synthetic patient and three accounts: an admin, a nurse and a clinician."""
    clock = FixedClock(NOW)
    store = Store.open(db_path)
    store.append([patient()], [], recorded_by="setup", now=clock.now())
    accounts = Accounts(store, clock)
    admin = accounts.create_first_admin("boss", "Ward Admin", ADMIN_PIN)
    accounts.add_user(admin, "amy", "Amy Nurse", ["nurse"], PINS["amy"])
    accounts.add_user(admin, "dr.lee", "Dr Lee", ["clinician"], PINS["dr.lee"])
    yield store, accounts, clock
    store.close()


def _as(ward, username: str) -> Bedside:
    store, accounts, clock = ward
    return Bedside(store, shipped_protocol("default"), clock, accounts.authenticate(username, PINS[username]))


# -- PIN hashing --------------------------------------------------------------------------------------------------
def test_a_pin_is_hashed_with_scrypt_a_fresh_salt_and_stored_parameters():
    kdf_a, hash_a = hash_pin("246810")
    kdf_b, hash_b = hash_pin("246810")
    assert kdf_a["name"] == "scrypt" and kdf_a["n"] == 2 ** 14 and kdf_a["r"] == 8 and kdf_a["p"] == 1
    assert kdf_a["salt"] != kdf_b["salt"] and hash_a != hash_b
    assert verify_pin("246810", kdf_a, hash_a)
    assert not verify_pin("246811", kdf_a, hash_a)
    cheap = dict(kdf_a, n=2 ** 10)
    assert not verify_pin("246810", cheap, hash_a)  # the stored parameters are the ones used


def test_pins_are_never_stored_in_clear(ward, db_path: Path):
    store, _, _ = ward
    store.close()
    content = b"".join(p.read_bytes() for p in db_path.parent.rglob("*") if p.is_file())
    for pin in PINS.values():
        assert pin.encode() not in content
    rows = raw(db_path, "SELECT kdf, pin_hash FROM user_versions", key=insider_key(db_path, "boss", ADMIN_PIN))
    assert all(len(pin_hash) == 64 and json.loads(kdf)["name"] == "scrypt" for kdf, pin_hash in rows)


def test_pin_policy_names_the_rule_never_the_pin(ward):
    _, accounts, _ = ward
    admin = accounts.authenticate("boss", ADMIN_PIN)
    with pytest.raises(InputError, match="pin: a PIN must have 6–128 characters") as caught:
        accounts.add_user(admin, "bob", "Bob", ["nurse"], "12345")
    assert "12345" not in str(caught.value)
    with pytest.raises(InputError, match="one character repeated"):
        accounts.add_user(admin, "bob", "Bob", ["nurse"], "111111")
    accounts.add_user(admin, "bob", "Bob", ["nurse"], "123456")  # six is enough
    with pytest.raises(InputError, match="username: 'Bob Smith' must be 2–40 lower-case"):
        accounts.add_user(admin, "Bob Smith", "Bob", ["nurse"], "123456")
    with pytest.raises(InputError, match="username: bob already exists"):
        accounts.add_user(admin, "bob", "Bob", ["nurse"], "123456")
    with pytest.raises(InputError, match="role: 'doctor' is not one of nurse, clinician, admin"):
        accounts.add_user(admin, "carl", "Carl", ["doctor"], "123456")


# -- signing in ---------------------------------------------------------------------------------------------------
def test_wrong_pin_and_unknown_user_get_the_same_message_and_similar_time(ward):
    _, accounts, _ = ward
    timings: dict[str, float] = {}
    for name in ("amy", "nobody", "amy", "nobody"):
        started = time.perf_counter()
        with pytest.raises(AuthError, match=r"^Wrong user name or PIN\.$"):
            accounts.authenticate(name, "wrong-pin-9")
        timings[name] = min(timings.get(name, 1e9), time.perf_counter() - started)
    assert timings["nobody"] > 0.3 * timings["amy"]  # the dummy scrypt runs for unknown names too
    assert accounts.authenticate("amy", PINS["amy"]) == User("amy", "Amy Nurse", frozenset({Role.NURSE}))


def test_five_wrong_pins_lock_the_account_for_fifteen_minutes(ward):
    _, accounts, clock = ward
    for _ in range(LOCKOUT_FAILURES - 1):
        with pytest.raises(AuthError, match="Wrong user name or PIN"):
            accounts.authenticate("amy", "wrong-pin-9")
    assert accounts.authenticate("amy", PINS["amy"]).username == "amy"  # 4 failures: not locked; success resets
    for _ in range(LOCKOUT_FAILURES):
        with pytest.raises(AuthError, match="Wrong user name or PIN"):
            accounts.authenticate("amy", "wrong-pin-9")
    with pytest.raises(AuthError, match="locked for 15 minutes"):
        accounts.authenticate("amy", PINS["amy"])
    clock.set(clock.now() + timedelta(minutes=15, seconds=1))
    assert accounts.authenticate("amy", PINS["amy"]).username == "amy"


def test_a_disabled_account_cannot_sign_in_or_keep_working(ward):
    store, accounts, _ = ward
    nurse = _as(ward, "amy")
    admin = accounts.authenticate("boss", ADMIN_PIN)
    accounts.set_active(admin, "amy", False)
    with pytest.raises(AuthError, match="amy is disabled"):
        accounts.authenticate("amy", PINS["amy"])
    with pytest.raises(PermissionDenied, match="amy is disabled"):
        nurse.record_vitals("A100", {"temperature_c": 37.0})
    assert store.record_count() == 0


def test_the_last_admin_cannot_be_disabled_or_demoted(ward):
    _, accounts, _ = ward
    admin = accounts.authenticate("boss", ADMIN_PIN)
    with pytest.raises(InputError, match="boss is the last active admin"):
        accounts.set_active(admin, "boss", False)
    with pytest.raises(InputError, match="boss is the last active admin"):
        accounts.set_roles(admin, "boss", ["clinician"])


def test_first_admin_only_once_and_only_admins_manage_accounts(ward):
    _, accounts, _ = ward
    assert not accounts.needs_first_admin()
    with pytest.raises(PermissionDenied, match="administrator already exists"):
        accounts.create_first_admin("eve", "Eve", "eve-pin-12")
    nurse = accounts.authenticate("amy", PINS["amy"])
    with pytest.raises(PermissionDenied,
                       match=r"^Only an admin may manage user accounts; amy is signed in as nurse\.$"):
        accounts.add_user(nurse, "eve", "Eve", ["admin"], "eve-pin-12")
    with pytest.raises(PermissionDenied):
        accounts.list_users(nurse)
    admin = accounts.authenticate("boss", ADMIN_PIN)
    assert [u.username for u in accounts.list_users(admin)] == ["amy", "boss", "dr.lee"]


def test_account_changes_are_versions_with_who_and_when(ward):
    _, accounts, clock = ward
    admin = accounts.authenticate("boss", ADMIN_PIN)
    clock.set(clock.now() + timedelta(hours=1))
    accounts.set_roles(admin, "amy", ["nurse", "clinician"])
    history = accounts.history(admin, "amy")
    assert [(h["roles"], h["changed_by"]) for h in history] == [(["nurse"], "boss"), (["clinician", "nurse"], "boss")]
    assert history[1]["changed_at"] == "2022-01-11T15:00:00+00:00"
    assert all("pin_hash" not in h and "kdf" not in h for h in history)


def test_an_admin_resets_a_pin_and_anyone_changes_their_own(ward):
    _, accounts, _ = ward
    admin = accounts.authenticate("boss", ADMIN_PIN)
    accounts.set_pin(admin, "amy", "fresh-pin-2")
    with pytest.raises(AuthError):
        accounts.authenticate("amy", PINS["amy"])
    accounts.change_own_pin("amy", "fresh-pin-2", "my-own-pin-3")
    assert accounts.authenticate("amy", "my-own-pin-3").username == "amy"


# -- roles in the services ----------------------------------------------------------------------------------------
def test_only_a_clinician_confirms_or_overrides_a_grade(ward):
    store, _, _ = ward
    nurse = _as(ward, "amy")
    with pytest.raises(PermissionDenied) as caught:
        nurse.record("A100", "grade_confirmed", {"grade": 2, "reason": "looks like 2"})
    assert str(caught.value) == ("Only a clinician may confirm or override a CRS grade; amy is signed in as "
                                 "nurse.")
    assert caught.value.permission is Permission.CONFIRM_GRADE
    assert store.record_count() == 0
    done = _as(ward, "dr.lee").record("A100", "grade_confirmed", {"grade": 2, "reason": "agree"}, pin=PINS["dr.lee"])
    assert store.records("A100")[0].recorded_by == "dr.lee"
    assert done.record.by == "dr.lee"


def test_only_a_clinician_closes_an_episode_or_strikes_out_a_clinician_entry(ward):
    store, _, _ = ward
    nurse, doctor = _as(ward, "amy"), _as(ward, "dr.lee")
    with pytest.raises(PermissionDenied, match="Only a clinician may close a CRS episode"):
        nurse.record("A100", "crs_episode_closed", {"reason": "resolved"})
    confirmed = doctor.record("A100", "grade_confirmed", {"grade": 1, "reason": "fever only"}, pin=PINS["dr.lee"])
    with pytest.raises(PermissionDenied, match="Only a clinician may confirm or override a CRS grade"):
        nurse.correct("A100", str(confirmed.record.id), "wrong patient")
    doctor.record("A100", "crs_episode_closed", {"reason": "afebrile 24 h"}, pin=PINS["dr.lee"])
    assert [r.record.type for r in store.records("A100")] == ["grade_confirmed", "crs_episode_closed"]


def test_nurses_record_and_correct_their_observations_and_admins_do_not_chart(ward):
    store, _, _ = ward
    nurse = _as(ward, "amy")
    first = nurse.record_vitals("A100", {"temperature_c": 38.2})
    nurse.correct("A100", str(first.record.id), "wrong arm")
    assert [r.recorded_by for r in store.records("A100")] == ["amy", "amy"]
    admin = _as(ward, "boss")
    with pytest.raises(PermissionDenied,
                       match="Only a clinician or a nurse may enter records; boss is signed in as admin"):
        admin.record_vitals("A100", {"temperature_c": 37.0})
    assert admin.can(Permission.MANAGE_PROTOCOLS) and not nurse.can(Permission.MANAGE_PROTOCOLS)
    assert nurse.can(Permission.RECORD) and not nurse.can(Permission.CONFIRM_GRADE)


def test_a_database_with_accounts_refuses_anyone_not_signed_in(ward):
    store, _, clock = ward
    named_only = Bedside(store, shipped_protocol("default"), clock, "amy")  # a name is not a sign-in
    with pytest.raises(PermissionDenied, match="Sign in to enter records: this database has user accounts"):
        named_only.record_vitals("A100", {"temperature_c": 37.0})
    with pytest.raises(PermissionDenied, match="Sign in to view patient data"):
        named_only.ward()
    assert store.record_count() == 0


def test_import_needs_a_clinician_or_admin_and_a_clinician_for_clinician_records(ward):
    store, _, _ = ward
    plain = import_doc([vitals(temperature_c=37.4)])
    with pytest.raises(PermissionDenied, match="Only an admin or a clinician may import a file; amy is signed in"):
        _as(ward, "amy").import_data(plain)
    assert _as(ward, "boss").import_data(plain).records_added == 1
    assert store.records("A100")[0].recorded_by == "boss"
    graded = import_doc([dict(vitals(hours=1), type="grade_confirmed", grade=1, reason="x")])
    graded["records"][0].pop("temperature_c", None)
    with pytest.raises(PermissionDenied, match="Only a clinician may confirm or override a CRS grade; boss"):
        _as(ward, "boss").import_data(graded)
    assert _as(ward, "dr.lee").import_data(graded).records_added == 1


def test_open_mode_stamps_the_given_name_and_refuses_an_anonymous_write(bedside):
    bedside.record_vitals("A100", {"temperature_c": 37.0})
    assert bedside.store.records("A100")[0].recorded_by == "nurse.test"
    anonymous = Bedside(bedside.store, bedside.protocol, bedside.clock, None)
    with pytest.raises(PermissionDenied, match="Nobody is named as the person who wants to enter records"):
        anonymous.record_vitals("A100", {"temperature_c": 37.0})
    assert [s.patient.mrn for s in anonymous.ward()] == ["A100"]  # reading needs no name before accounts exist
    assert bedside.store.record_count() == 1


def test_sign_in_attempts_are_recorded_without_pins(ward, db_path: Path):
    _store, accounts, _ = ward
    with pytest.raises(AuthError):
        accounts.authenticate("amy", "wrong-pin-9")
    accounts.authenticate("amy", PINS["amy"])
    rows = raw(db_path, "SELECT username, outcome FROM auth_events ORDER BY pos",
               key=insider_key(db_path, "boss", ADMIN_PIN))
    assert rows[-2:] == [("amy", "bad_pin"), ("amy", "ok")]
    admin = accounts.authenticate("boss", ADMIN_PIN)
    assert accounts.sign_in_log(admin, limit=3) == [
        {"username": "boss", "at": "2022-01-11T14:00:00+00:00", "outcome": "ok"},
        {"username": "amy", "at": "2022-01-11T14:00:00+00:00", "outcome": "ok"},
        {"username": "amy", "at": "2022-01-11T14:00:00+00:00", "outcome": "bad_pin"}]
    with pytest.raises(PermissionDenied):
        accounts.sign_in_log(accounts.authenticate("amy", PINS["amy"]))
