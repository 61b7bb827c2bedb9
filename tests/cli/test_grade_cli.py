"""`crs-bedside grade` end to end (INTERFACE.md): ``python -m gui.main grade`` as a subprocess, JSON on stdin or
``--input FILE``; the exact output shape; bad input -> exit status 2 and ONE plain stderr line naming the field,
the value and the limit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "crs-bedside: "

V4 = {"temperature_c": 38.4, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 86, "diastolic_bp": 60,
      "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert", "fluid_bolus_given": True}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gui.main", "grade", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_grade_from_stdin_has_the_interface_shape():
    result = run(stdin=json.dumps(V4))
    assert (result.returncode, result.stderr) == (0, "")
    doc = json.loads(result.stdout)
    interface_keys = {"crs_grade", "scales", "scales_differ", "news2", "recommendations", "missing", "protocol"}
    assert interface_keys <= set(doc)
    assert doc["crs_grade"] == 2
    assert set(doc["scales"]) == {"ctcae_v5", "astct_2019"}
    ctcae, astct = doc["scales"]["ctcae_v5"], doc["scales"]["astct_2019"]
    assert {key: ctcae[key] for key in ("grade", "at_least", "rules")} == {
        "grade": 2, "at_least": False, "rules": ["R-CTC-1", "R-CTC-2"]}
    assert {key: astct[key] for key in ("grade", "rules")} == {
        "grade": 2, "rules": ["R-AST-1", "R-AST-3", "R-AST-4", "R-AST-6"]}
    assert doc["scales_differ"] is False
    assert {key: doc["news2"][key] for key in ("score", "complete", "risk", "red_parameter")} == {
        "score": 4, "complete": True, "risk": "low_medium", "red_parameter": True}
    assert [(r["code"], r["rule"]) for r in doc["recommendations"]] == [
        ("interrupt_infusion", "D2"), ("notify_prescriber", "D2"), ("increase_observations", "R-NEWS-2")]
    assert all(set(r) == {"code", "text", "rule"} and r["text"] for r in doc["recommendations"])
    assert doc["missing"] == []
    assert doc["protocol"] == {"id": "default", "version": "1"}
    assert doc["status_level"] == {"level": 2, "reasons": [
        {"code": "crs_grade_2", "level": 2, "rule": "D1"},
        {"code": "news2_red_parameter", "level": 1, "rule": "R-NEWS-2"}]}


def test_grade_from_input_file_with_label_protocol(tmp_path: Path):
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(V4), encoding="utf-8")
    result = run("--input", str(path), "--protocol", "label")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["protocol"] == {"id": "label", "version": "1"}
    assert [r["code"] for r in doc["recommendations"]] == ["notify_prescriber", "increase_observations"]


def test_missing_values_are_listed_and_news2_not_scored():
    result = run(stdin='{"temperature_c": 38.4}')
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["crs_grade"] == 1
    assert doc["news2"] == {**doc["news2"], "score": None, "complete": False, "risk": None}
    assert doc["missing"] == ["systolic_bp", "oxygen_device", "respiratory_rate", "spo2_percent", "heart_rate",
                              "consciousness"]


def test_time_with_offset_is_echoed():
    result = run(stdin='{"temperature_c": 37.0, "at": "2022-01-10T08:00:00-06:00"}')
    assert result.returncode == 0
    assert json.loads(result.stdout)["at"] == "2022-01-10T08:00:00-06:00"


@pytest.mark.parametrize("stdin, line", [
    pytest.param('{"temperature_c": 60.0}', "temperature_c: 60.0 is outside 25.0–45.0 °C", id="temperature-60"),
    pytest.param('{"temperature_c": 101.3}',
                 "temperature_c: 101.3 is outside 25.0–45.0 °C (did you mean 38.5 °C? 101.3 looks like °F)",
                 id="fahrenheit-V39"),
    pytest.param('{"fio2_percent": 0.4}',
                 "fio2_percent: 0.4 is not a whole number (allowed: 21–100 %) (enter FiO2 as a percentage, e.g. 40, "
                 "not as a fraction)", id="fio2-fraction"),
    pytest.param('{"systolic_bp": 80, "diastolic_bp": 85}', "diastolic_bp: 85 is not below systolic_bp 80 mmHg",
                 id="dbp-above-sbp-V40"),
    pytest.param('{"systolic_bp": 80, "diastolic_bp": 80}', "diastolic_bp: 80 is not below systolic_bp 80 mmHg",
                 id="dbp-equal-sbp"),
    pytest.param('{"temprature_c": 38.0}', "temprature_c: unknown field (check the spelling)", id="unknown-field"),
    pytest.param('{"temperature_c": 37.0, "at": "2022-01-10T08:00:00"}',
                 "at: '2022-01-10T08:00:00' has no UTC offset (write e.g. 2026-01-10T08:00:00+01:00)",
                 id="time-without-offset"),
    pytest.param('{"oxygen_device": "nasal_prongs"}',
                 "oxygen_device: 'nasal_prongs' is not one of 'room_air', 'blow_by', 'nasal_cannula', "
                 "'high_flow_nasal_cannula', 'simple_mask', 'venturi_mask', 'non_rebreather', 'cpap', 'bipap' or "
                 "'invasive_ventilation'", id="unknown-device"),
    pytest.param('{"heart_rate": 301}', "heart_rate: 301 is outside 20–300 /min", id="heart-rate-301"),
    pytest.param('{"temperature_c": 38.4,', "stdin: invalid JSON at line 1, column 24 (Expecting property name "
                 "enclosed in double quotes)", id="invalid-json"),
    pytest.param('[38.4]', "assessment: expected a JSON object, got list", id="not-an-object"),
])
def test_bad_input_exits_2_with_one_plain_line(stdin, line):
    result = run(stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr == PREFIX + line + "\n"


def test_unreadable_input_file_exits_2(tmp_path: Path):
    missing = tmp_path / "absent.json"
    result = run("--input", str(missing))
    assert result.returncode == 2
    assert result.stderr == f"{PREFIX}{missing}: cannot read the file (No such file or directory)\n"


def test_bad_protocol_file_exits_2_naming_the_setting(tmp_path: Path):
    protocol = tmp_path / "ward.toml"
    default = (ROOT / "resources" / "protocols" / "default.toml").read_text(encoding="utf-8")
    protocol.write_text(default.replace("hypotension_sbp_below = 90", "hypotension_sbp_below = 50"), encoding="utf-8")
    result = run("--protocol", str(protocol), stdin="{}")
    assert result.returncode == 2
    assert result.stderr == f"{PREFIX}{protocol}: grading.hypotension_sbp_below: 50 is outside 60–120\n"
