"""Accessibility checked by machine: the app's screens under Xvfb, read over AT-SPI as a screen reader reads them.

A session bus of its own (dbus-run-session), Xvfb, the AT-SPI bus and Qt with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``;
the ward, the patient page (each tab), the vitals wizard at each step and every dialog are opened side by side
(a11y_harness.py) and their trees walked with pyatspi (atspi_walk.py, in the system's Python). Fails on a focusable
control without a name or named only by a number, and on a table cell whose text lacks its column ("4" for a bed).
A window of known faults is walked along with them, so a walk that sees nothing cannot pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _missing() -> str | None:
    for tool in ("dbus-run-session", "Xvfb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (bootstrap.py --test installs dbus, xvfb)"
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core is not installed"
    if subprocess.run(["/usr/bin/python3", "-c", "import pyatspi"], capture_output=True).returncode != 0:
        return "python3-pyatspi is not installed for /usr/bin/python3"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]

#: The windows walked, each with at least this many focusable controls and table cells checked.
EXPECTED = {
    "a11y: ward": (3, 8), "a11y: patient page": (5, 0), "a11y: patient records": (5, 4),
    "a11y: patient audit": (5, 4), "a11y: patient infusion": (8, 0), "Record vitals": (4, 0),
    "Start infusion": (4, 0), "a11y: grade confirmation": (3, 0), "a11y: close episode": (2, 0),
    "a11y: correction": (2, 0), "a11y: who is recording": (3, 0), "a11y: sign in": (3, 0),
    "a11y: add account": (5, 0), "a11y: first administrator": (5, 0), "Locked": (2, 0), "a11y: users": (5, 4),
    "a11y: handover severities": (2, 0),
}


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> dict:
    scratch = tmp_path_factory.mktemp("atspi")
    result = subprocess.run(["dbus-run-session", "--", sys.executable, str(HERE / "atspi_session.py"), str(scratch),
                             "--canary"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    walked = json.loads(result.stdout)
    walked["opened"] = [line[len("window "):] for line in (scratch / "harness.out").read_text().splitlines()
                        if line.startswith("window ")]
    return walked


def test_every_screen_and_dialog_was_walked(walked):
    windows = walked["windows"]
    for prefix, (controls, cells) in EXPECTED.items():
        found = {title: counts for title, counts in windows.items() if title.startswith(prefix)}
        assert found, f"{prefix} was not walked: {sorted(windows)}"
        for title, counts in found.items():
            assert counts["controls"] >= controls and counts["cells"] >= cells, (title, counts)
    assert sum(1 for title in windows if title.startswith("Record vitals")) == 5   # the wizard at each step
    assert len(windows) == len(walked["opened"])      # every window the harness opened (each record form too)


def test_the_walk_catches_each_kind_of_fault(walked):
    caught = sorted((p["role"], p["name"], p["problem"]) for p in walked["problems"] if p["window"] == "a11y: canary")
    assert caught == [("push button", "4", "name is only a number"),
                      ("table", "", "focusable control without a name"),
                      ("table cell", "4", "cell text lacks its column 'Bed'"),
                      ("text", "", "focusable control without a name")]


def test_no_control_or_cell_of_the_app_lacks_a_name(walked):
    problems = [p for p in walked["problems"] if p["window"] != "a11y: canary"]
    assert problems == []
