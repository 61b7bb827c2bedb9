"""`crs-bedside status --protocol <site file>`: the words of the premedication prompt carry the site's premedication
hold and window (issue 18: never a "4 h" or "1 h" typed into a sentence), and the prompt starts at the site's hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_status_infusion import UNACKNOWLEDGED, cli, seed_case
from tests.scenario import patient

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed case imported under a protocol copy with a 300-minute premedication hold and a 90-minute window."""
    tmp_path = tmp_path_factory.mktemp("site")
    text = (ROOT / "resources" / "protocols" / "default.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^premedication_hold_minutes = \d+", "premedication_hold_minutes = 300", text)
    text = re.sub(r"(?m)^premedication_window_minutes = \d+", "premedication_window_minutes = 90", text)
    protocol = tmp_path / "site.toml"
    protocol.write_text(text, encoding="utf-8")
    source = tmp_path / "seed.json"
    source.write_text(json.dumps(seed_case().as_import([patient()])), encoding="utf-8")
    db = tmp_path / "ward.db"
    result = cli("import", source, "--db", db, "--protocol", protocol)
    assert (result.returncode, result.stderr) == (0, "")
    return db, protocol


def _prompts(site: tuple[Path, Path], at: str) -> list[dict]:
    db, protocol = site
    result = cli("status", "--db", db, "--protocol", protocol, "--patient", "A100", "--at", at)
    assert (result.returncode, result.stderr) == (0, "")
    return [r for r in json.loads(result.stdout)["patients"][0]["recommendations"] if r["code"] != UNACKNOWLEDGED]


@pytest.mark.parametrize("at, due", [
    ("2022-01-16T15:14:00-06:00", False),   # held 299 min (stopped 10:15)
    ("2022-01-16T15:15:00-06:00", True),    # held 300 min: the site's hold
    ("2022-01-16T15:16:00-06:00", True),    # held 301 min
])
def test_the_premedication_prompt_says_the_sites_hold_and_window(site, at, due):
    premedication = [r["text"] for r in _prompts(site, at) if r["code"] == "give_premedication"]
    if not due:
        assert premedication == []
        return
    assert premedication == [(
        "Premedication due before the restart after a hold of 5 h or more (protocol: corticosteroid within 90 min "
        "before). "
        "Label: dexamethasone 20 mg IV 1 h 30 min before the restart after a hold of 5 h or more. "
        "Supervision/hospitalisation recommended for re-initiation.")]
