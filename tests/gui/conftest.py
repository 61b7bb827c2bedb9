"""GUI fixtures: a real database in tmp_path, a fixed clock, settings and geometry in a scratch config folder."""

from __future__ import annotations

import gc
from datetime import timedelta
from pathlib import Path

import pytest

from core.demo import demo_ward
from gui.context import AppContext, BedsideSignals
from gui.settings import Settings


@pytest.fixture(autouse=True)
def scratch_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs and QSettings write under tmp_path, never in the real home folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CRS_BEDSIDE_USER", raising=False)
    return tmp_path


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def ctx(bedside, clock, settings, tmp_path, db_path) -> AppContext:
    """The app context over the shared one-patient database (A100, bed 12, ward 7W)."""
    return AppContext(bedside=bedside, settings=settings, settings_file=tmp_path / "config" / "settings.json",
                      clock=clock, signals=BedsideSignals(), db_path=db_path)


@pytest.fixture
def demo_ctx(ctx, clock) -> AppContext:
    """The same context with the demo ward imported (times relative to the fixed clock)."""
    ctx.bedside.import_data(demo_ward(clock.now()))
    ctx.demo = True
    return ctx


def advance(clock, **delta) -> None:
    """Move the fixed clock forward."""
    clock.set(clock.now() + timedelta(**delta))


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The modal "discard the typed values?" question answers yes when a test closes a wizard (tests that check
    the question replace it on their wizard)."""
    from gui.wizard import VitalsWizard

    monkeypatch.setattr(VitalsWizard, "confirm_discard", lambda self: True)


@pytest.fixture(autouse=True)
def collect_qt_garbage(qapp):
    """After each test, with its widgets closed: the deferred deletions run and Python's cycle collector runs now,
    at a known moment, instead of at a random allocation inside the next test's Qt constructor (where freeing the
    wrappers of an earlier test's widgets crashed QMainWindow.__init__ about once in three runs of the GUI files)."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # What survives is moved out of the collector's reach (as the app does with its start-up objects,
    # gui.app.keep_start_up_objects), so the next test's collection scans only what that test made: a collection
    # of everything every earlier test left alive grew to most of each GUI test's time over a whole run.
    gc.freeze()
