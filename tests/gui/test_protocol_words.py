"""The GUI's premedication words carry the site protocol's hold and window, in English and in Spanish (issue 18:
"1 h before" and "4 h or more" were typed into the sentences)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from core.paths import resource
from core.protocol import load_protocol_text
from gui.i18n import install_translators, remove_translators
from gui.ward_view import COL_ACTIONS, WardView
from gui.words import premedication_reason_text, recommendation_short
from tests.gui.test_ward_view import _cell


def _site(hold_minutes: int, window_minutes: int):
    text = resource("protocols", "default.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^premedication_hold_minutes = \d+", f"premedication_hold_minutes = {hold_minutes}", text)
    text = re.sub(r"(?m)^premedication_window_minutes = \d+", f"premedication_window_minutes = {window_minutes}", text)
    return load_protocol_text(text, "site.toml")


@pytest.fixture
def protocol():
    """The GUI fixtures' bedside runs on a site copy: premedication hold 300 min, window 90 min."""
    return _site(300, 90)


@pytest.fixture(autouse=True)
def english(qtbot):
    """English, as the app starts when the settings say so (the locale too: another test may leave Spanish)."""
    assert install_translators(QApplication.instance(), "en") == []


@pytest.fixture
def spanish(english):
    app = QApplication.instance()
    translators = install_translators(app, "es")
    yield
    remove_translators(app, translators)
    install_translators(app, "en")


def test_the_ward_list_prints_the_sites_premedication_window(qtbot, ctx):
    view = WardView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert _cell(view, "A100", COL_ACTIONS) == \
        "Premedication due: dexamethasone per protocol, 1 h 30 min before (prescriber's order)."


def test_the_ward_list_prints_the_sites_premedication_window_in_spanish(qtbot, ctx, spanish):
    view = WardView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert _cell(view, "A100", COL_ACTIONS) == \
        "Premedicación pendiente: dexametasona según protocolo, 1 h 30 min antes (según prescripción)."


@pytest.mark.parametrize("hold, window, reason, short", [
    (240, 60, "before the restart (hold of 4 h or more)",
     "Premedication due: dexamethasone per protocol, 1 h before (prescriber's order)."),     # the shipped values
    (300, 90, "before the restart (hold of 5 h or more)",
     "Premedication due: dexamethasone per protocol, 1 h 30 min before (prescriber's order)."),
    (2880, 120, "before the restart (hold of 2 days or more)",
     "Premedication due: dexamethasone per protocol, 2 h before (prescriber's order)."),
])
def test_premedication_words_follow_the_protocol(qtbot, hold, window, reason, short):
    site = _site(hold, window)
    assert premedication_reason_text("restart_after_hold", site) == reason
    assert recommendation_short("give_premedication", site) == short


@pytest.mark.parametrize("hold, window, reason, short", [
    (240, 60, "antes del reinicio (interrupción de 4 h o más)",
     "Premedicación pendiente: dexametasona según protocolo, 1 h antes (según prescripción)."),
    (2880, 90, "antes del reinicio (interrupción de 2 días o más)",
     "Premedicación pendiente: dexametasona según protocolo, 1 h 30 min antes (según prescripción)."),
])
def test_premedication_words_follow_the_protocol_in_spanish(qtbot, spanish, hold, window, reason, short):
    site = _site(hold, window)
    assert premedication_reason_text("restart_after_hold", site) == reason
    assert recommendation_short("give_premedication", site) == short
