"""`crs-bedside handover --language es --unit f` (INTERFACE.md Additions): a Spanish, °F handover of the demo ward
has Spanish months and severities and temperatures in °F, times in the computer's local time (issue 14)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.demo import demo_ward

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 1, 14, 15, 0, tzinfo=UTC)          # 09:00 in US Central (UTC-06:00, winter)


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TZ": "America/Chicago"}
    return subprocess.run([sys.executable, "-m", "gui.main", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    source = tmp / "demo.json"
    source.write_text(json.dumps(demo_ward(AT), default=str), encoding="utf-8")
    db = tmp / "demo.db"
    result = cli("import", source, "--db", db)
    assert (result.returncode, result.stderr) == (0, "")
    return db


def test_a_spanish_fahrenheit_handover_of_the_demo_ward(demo_db, tmp_path):
    out = tmp_path / "es.pdf"
    result = cli("handover", "--db", demo_db, "--pdf", out, "--at", AT.isoformat(), "--language", "es", "--unit", "f")
    assert (result.returncode, result.stderr) == (0, "")
    text = pdf_text(out)
    # Spanish months (January is "ene") in the local time of the computer (US Central: 09:00, not 15:00 UTC)
    assert "datos hasta 14 ene 09:00" in text
    assert " Jan " not in text
    # Spanish severities, section headings and column headers
    assert "INESTABLE" in text and "VIGILAR" in text
    for english in ("UNSTABLE", "WATCHER", "Illness severity", "Ward handover"):
        assert english not in text
    assert "Relevo de la planta" in text and "I · Gravedad de la enfermedad" in text
    # temperatures in °F: every vitals line and the fever threshold of the if/then lines (38.0 °C = 100.4 °F)
    vitals = re.findall(r"T (\d+\.\d) °([CF])", text)
    assert vitals and {unit for _, unit in vitals} == {"F"}
    assert all(95.0 <= float(value) <= 106.0 for value, _ in vitals)
    assert "T >= 100.4 °F" in text


def test_english_celsius_stays_the_default(demo_db, tmp_path):
    out = tmp_path / "en.pdf"
    result = cli("handover", "--db", demo_db, "--pdf", out, "--at", AT.isoformat())
    assert (result.returncode, result.stderr) == (0, "")
    text = pdf_text(out)
    assert "data up to 14 Jan 09:00" in text and "UNSTABLE" in text
    assert {unit for _, unit in re.findall(r"T (\d+\.\d) °([CF])", text)} == {"C"}


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--language", "fr", "argument --language: invalid choice: 'fr' (choose from 'en', 'es')"),
    ("--unit", "k", "argument --unit: invalid choice: 'k' (choose from 'c', 'f')"),
])
def test_an_unknown_language_or_unit_is_refused(demo_db, tmp_path, option, value, message):
    result = cli("handover", "--db", demo_db, "--pdf", tmp_path / "x.pdf", option, value)
    assert result.returncode == 2
    assert result.stderr == f"crs-bedside handover: {message} (see --help)\n"
    assert not (tmp_path / "x.pdf").exists()
