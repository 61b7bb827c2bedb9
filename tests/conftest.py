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
