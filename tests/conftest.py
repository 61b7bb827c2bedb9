"""Shared fixtures. Qt runs offscreen: the platform is set here, before anything imports Qt."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Logs of the code under test go to a scratch folder, never the home folder (core/logging_setup.py).
os.environ.setdefault("CRS_BEDSIDE_LOG_DIR", tempfile.mkdtemp(prefix="crs-bedside-test-logs-"))
# The laptop's keystore (core/keystore.py) is never the developer's own: off, except where a test starts one
# (tests/core/test_keystore.py runs GNOME Keyring in a D-Bus session of its own).
os.environ["CRS_BEDSIDE_KEYSTORE"] = "off"

import pytest

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from tests.scenario import T0, Timeline, patient  # noqa: F401  (re-exported for tests that import from conftest)

#: What the quick everyday run (`pytest -m "not slow"`, CONTRIBUTING.md) leaves to CI, as if marked `slow`: a file
#: (or folder) or one test, each with why it costs seconds. CI (`.ci/run`) runs everything.
PIN = "PINs hashed at their real cost (scrypt, at least 0.25 s each)"
PROCESS = "the command line as real processes"
LEFT_TO_CI = {
    "tests/build/": "packages built and installed",
    "tests/cli/": f"{PROCESS} (some with a FHIR server)",
    "tests/core/test_encryption.py": PIN,
    "tests/core/test_security.py": PIN,
    "tests/core/test_keystore.py": f"a keyring daemon in a D-Bus session of its own, and {PIN}",
    "tests/core/test_fuzz.py": "thousands of generated inputs",
    "tests/gui/test_login.py": PIN,
    "tests/gui/test_roles.py": PIN,
    "tests/gui/test_autolock.py": PIN,
    "tests/gui/test_esignature.py": PIN,
    "tests/gui/test_gate_clock.py": f"{PIN}, and {PROCESS}",
    "tests/gui/test_selftest.py": PROCESS,
    "tests/gui/test_printing_cups.py": "a real CUPS server",
    "tests/gui/test_round_dialogs.py": "whole rounds through every dialog",
    "tests/gui/test_no_clipping.py": "every screen at every size",
    "tests/gui/test_audit_view.py::test_the_audit_model_passes_the_model_tester": PIN,
    "tests/gui/test_audit_view.py::test_a_correction_shows_who_what_when_and_what_it_struck_out": PIN,
    "tests/gui/test_printing.py::test_console_command_writes_a_pdf_and_refuses_an_unknown_patient": PROCESS,
    "tests/core/test_store.py::test_update_and_delete_of_records_and_patients_are_refused_by_the_file_itself": PIN,
    "tests/core/test_audit.py::test_changing_an_account_outside_the_app_is_caught": PIN,
    "tests/core/test_audit.py::test_verifying_a_large_file_is_quick": "a file of 20,000 records",
    "tests/core/test_gate_recording.py::test_an_assessment_needs_the_right_to_record_and_cannot_carry_a_signed_entry":
        PIN,
    "tests/core/test_round_services.py::test_a_clinician_confirms_with_a_reason_alone": PIN,
    "tests/core/test_round_services.py::test_a_nurse_overrides_only_by_naming_the_prescriber_a_clinician_with_a_reason":
        PIN,
    "tests/core/test_fold_cache.py::test_cached_fold_equals_a_fresh_fold_after_every_entry":
        "a fresh fold after every one of its entries",
    "tests/core/test_merge.py::test_after_exchanging_files_every_laptop_shows_the_same_status_at_every_moment":
        "every laptop's status at every moment",
    "tests/gui/test_startup_lazy.py::test_start_up_makes_the_window_with_the_cycle_collector_off_and_turns_it_on_for_the_"
    "event_loop": "the window started as a real process, twice, with its bytecode compiled first",
    "tests/gui/test_startup_checks.py::test_a_sound_file_is_checked_and_backed_up_in_the_background":
        "the background checks and a backup, waited for",
    "tests/gui/test_startup_checks.py::test_an_old_edit_found_in_the_background_is_shown_and_stays_in_the_status_bar":
        "the background checks, waited for",
}


@pytest.hookimpl(tryfirst=True)   # before `-m "not slow"` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what :data:`LEFT_TO_CI` names as slow; when the whole suite is collected, an entry that names no test
    (a test renamed or moved) is an error, so that it cannot silently join the quick run's list of the missing."""
    matched = set()
    for item in items:
        for entry in LEFT_TO_CI:
            if item.nodeid.startswith(entry) if entry.endswith("/") else \
                    item.nodeid == entry or item.nodeid.startswith((f"{entry}::", f"{entry}[")):
                item.add_marker(pytest.mark.slow)
                matched.add(entry)
    if not config.args or [Path(arg).resolve() for arg in config.args] == [Path(config.rootpath, "tests")]:
        stale = sorted(set(LEFT_TO_CI) - matched)
        if stale:
            raise pytest.UsageError(f"tests/conftest.py LEFT_TO_CI names no test: {', '.join(stale)}")


@pytest.fixture
def protocol():
    return shipped_protocol("default")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.db"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0 + timedelta(days=1))


@pytest.fixture
def bedside(db_path: Path, clock: FixedClock, protocol):
    store = Store.open(db_path)
    store.append([patient()], [], recorded_by="test", now=clock.now())
    service = Bedside(store, protocol, clock, user="nurse.test")
    yield service
    store.close()


@pytest.fixture
def us_central_local_time(monkeypatch):
    """US Central (UTC-06:00 in January, the scenarios' zone) as the computer's local time zone."""
    import time

    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
