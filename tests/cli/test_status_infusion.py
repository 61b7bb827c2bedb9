"""`crs-bedside import` and `status` as a ward's IT would run them: the `infusion` block and the recommendations
for imported timelines (INTERFACE.md), re-import, and a bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import Store
from tests.scenario import Timeline, patient

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "gui.main", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


#: Prompts left pending also escalate (tests/core/test_escalation.py); these tests look at the prompts themselves.
UNACKNOWLEDGED = "escalate_unacknowledged"


def status(db: Path, at: str, mrn: str = "A100") -> dict:
    result = cli("status", "--db", db, "--patient", mrn, "--at", at)
    assert (result.returncode, result.stderr) == (0, "")
    return json.loads(result.stdout)["patients"][0]


def premed(tl: Timeline, hours: float, minutes: float = 0) -> None:
    tl.add(hours, "medication_given", minutes=minutes, drug="dexamethasone", dose_mg=20, purpose="premedication")


def grade2(tl: Timeline, hours: float) -> None:
    tl.add(hours, "vitals", temperature_c=38.4, heart_rate=112, respiratory_rate=18, systolic_bp=86, diastolic_bp=50,
           spo2_percent=96, oxygen_device="room_air", consciousness="alert", fluid_bolus_given=True)


def seed_case() -> Timeline:
    """The seed: 9 mcg/day in week 1, CRS grade 2 on day 7 -> stop; restart 2 days later at 9 mcg after
    dexamethasone; grade 2 again the next day."""
    tl = Timeline()
    premed(tl, 0, -60)
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    tl.add(48, "bag_changed", dose_mcg=18, duration_h=48)
    tl.add(96, "bag_changed", dose_mcg=18, duration_h=48)
    tl.add(144, "bag_changed", dose_mcg=9, duration_h=24)
    grade2(tl, 146)
    tl.add(146, "infusion_stopped", minutes=15, reason="crs")
    tl.add(150, "vitals", temperature_c=37.0, heart_rate=80, respiratory_rate=16, systolic_bp=120, diastolic_bp=75,
           spo2_percent=97, oxygen_device="room_air", consciousness="alert")
    premed(tl, 194)
    tl.add(194, "infusion_resumed", minutes=30, dose_mcg=9, duration_h=24)
    grade2(tl, 218)
    return tl


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Timeline]:
    """The seed case imported once for the module (the tests only read it or fail to write to it)."""
    tmp_path = tmp_path_factory.mktemp("seed")
    tl = seed_case()
    source = tmp_path / "seed.json"
    source.write_text(json.dumps(tl.as_import([patient()])), encoding="utf-8")
    db = tmp_path / "ward.db"
    result = cli("import", source, "--db", db)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"imported 1 patients and {len(tl.records)} records (0 already present)\n"
    return source, db, tl


def test_status_while_held_two_days_after_grade_2(imported):
    _, db, _tl = imported
    p = status(db, "2022-01-17T10:00:00-06:00")      # hour 170: held 23 h 45 min
    assert p["infusion"] == {
        "state": "held", "cycle": 1, "cycle_day": 8, "cycle_started": "2022-01-10T08:00:00-06:00",
        "infused_hours_this_cycle": 146.25, "remaining_infusion_hours_this_cycle": 525.75,
        "current_dose_mcg_per_day": 9.0,
        "hold": {"count_this_cycle": 1, "current_hold_hours": 23.75, "total_held_hours_this_cycle": 23.75,
                 "longest_hold_hours_this_cycle": 23.75, "current_hold_started": "2022-01-16T10:15:00-06:00",
                 "current_hold_reason": "crs", "new_cycle_limit_at": "2022-01-23T10:15:00-06:00",
                 "discontinuation_limit_at": "2022-01-30T10:15:00-06:00", "near_new_cycle_boundary": False,
                 "beyond_discontinuation_limit": False},
        "restart_requires_new_cycle": False, "premedication_due": True, "premedication_reason": "restart_after_hold",
        "premedication_label": {"event": "restart_after_hold", "mandated": True, "drug": "dexamethasone",
                                "dose_mg": 20.0, "paediatric": False, "rule": "R-PREMED-1"},
        "last_premedication_at": "2022-01-10T07:00:00-06:00", "premedication_warnings": [],
        "supervision_recommended": True, "bag_hung_at": None, "bag_change_due": None, "step_up_due": None,
        "step_up_suppressed": False, "restart_dose_mcg_per_day": 9.0, "full_dose_mcg_per_day": 28.0,
        "dosing": {"basis": "fixed", "reduced_mcg_per_day": 9.0, "full_mcg_per_day": 28.0,
                   "reduced_uncapped_mcg_per_day": None, "full_uncapped_mcg_per_day": None, "capped": False},
        "expected_dose_mcg_per_day": 9.0, "dose_mismatch": False, "new_cycle_after_long_hold": False,
        "last_restart": None, "neuro": None, "inpatient_period": True, "cycle_infusion_complete": False,
        "course_status": "active"}
    assert [(r["code"], r["rule"]) for r in p["recommendations"]
            if r["code"] != UNACKNOWLEDGED] == [("give_premedication", "D2")]
    assert p["recommendations"][-1]["text"] == (
        "Premedication due before the restart after a hold of 4 h or more (protocol: corticosteroid within 60 min "
        "before). "
        "Label: dexamethasone 20 mg IV 1 h before the restart after a hold of 4 h or more. "
        "Supervision/hospitalisation recommended for re-initiation.")


def test_status_after_the_second_grade_2_episode_asks_for_a_discontinuation_review(imported):
    _, db, _ = imported
    p = status(db, "2022-01-19T10:00:00-06:00")      # hour 218
    inf = p["infusion"]
    assert {k: inf[k] for k in ("state", "cycle", "cycle_day", "infused_hours_this_cycle", "current_dose_mcg_per_day",
                                "restart_requires_new_cycle", "premedication_due", "bag_change_due", "step_up_due",
                                "step_up_suppressed", "inpatient_period", "course_status")} == {
        "state": "running", "cycle": 1, "cycle_day": 10, "infused_hours_this_cycle": 169.75,
        "current_dose_mcg_per_day": 9.0, "restart_requires_new_cycle": False, "premedication_due": False,
        "bag_change_due": "2022-01-19T10:30:00-06:00", "step_up_due": "2022-01-25T10:30:00-06:00",
        "step_up_suppressed": True, "inpatient_period": False, "course_status": "discontinuation_review"}
    assert inf["hold"] == {
        "count_this_cycle": 1, "current_hold_hours": None, "total_held_hours_this_cycle": 48.25,
        "longest_hold_hours_this_cycle": 48.25, "current_hold_started": None, "current_hold_reason": None,
        "new_cycle_limit_at": None, "discontinuation_limit_at": None, "near_new_cycle_boundary": False,
        "beyond_discontinuation_limit": False}
    assert inf["last_restart"] == {
        "at": "2022-01-18T10:30:00-06:00", "hold_minutes": 2895.0, "hold_reason": "crs", "new_cycle": False,
        "near_new_cycle_boundary": False, "premedication_required": True,
        "label_premedication": {"event": "restart_after_hold", "mandated": True, "drug": "dexamethasone",
                                "dose_mg": 20.0, "paediatric": False, "rule": "R-PREMED-1"},
        "supervision_recommended": True}
    assert p["crs"]["episodes_grade2_plus"] == 2
    assert [(r["code"], r["rule"]) for r in p["recommendations"] if r["code"] != UNACKNOWLEDGED] == [
        ("interrupt_infusion", "D2"), ("notify_prescriber", "D2"), ("discontinuation_review", "R-AST-9"),
        ("increase_observations", "R-NEWS-2")]


@pytest.fixture(scope="module")
def long_hold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MRD+ adult, cycle 2, held from hour 2 for another adverse reaction, premedicated during the hold."""
    tmp_path = tmp_path_factory.mktemp("hold")
    tl = Timeline(mrn="B200")
    premed(tl, 0, -30)
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24, cycle=2)
    tl.add(2, "infusion_stopped", reason="other_adverse_event")
    premed(tl, 3)
    source = tmp_path / "hold.json"
    source.write_text(json.dumps(tl.as_import([patient(mrn="B200", indication="mrd_positive")])), encoding="utf-8")
    db = tmp_path / "ward.db"
    assert cli("import", source, "--db", db).returncode == 0
    return db


@pytest.mark.parametrize(("at", "new_cycle", "near", "codes"), [
    ("2022-01-17T08:59:00-06:00", False, False, []),                                     # 10,019 min
    ("2022-01-17T09:00:00-06:00", False, True, [("new_cycle_boundary", "R-INT-3")]),      # 10,020 min
    ("2022-01-17T10:00:00-06:00", False, True, [("new_cycle_boundary", "R-INT-3")]),      # 10,080 min
    ("2022-01-17T10:01:00-06:00", True, True, [("new_cycle_required", "R-INT-2"), ("new_cycle_boundary", "R-INT-3")]),
    ("2022-01-24T10:00:00-06:00", True, False, [("new_cycle_required", "R-INT-2")]),      # 20,160 min
    ("2022-01-24T10:01:00-06:00", True, False, [("discontinuation_review", "D2"), ("new_cycle_required", "R-INT-2")]),
])
def test_status_of_a_long_hold_at_the_7_and_14_day_limits(long_hold, at, new_cycle, near, codes):
    p = status(long_hold, at, "B200")
    inf = p["infusion"]
    assert (inf["state"], inf["restart_requires_new_cycle"], inf["hold"]["near_new_cycle_boundary"]) == (
        "held", new_cycle, near)
    # The label asks for premedication (prednisone) only before the first dose of a cycle (MRD+ adult).
    assert (inf["premedication_due"], inf["premedication_label"]["mandated"]) == (False, new_cycle)
    assert inf["premedication_label"]["drug"] == ("prednisone" if new_cycle else None)
    assert [(r["code"], r["rule"]) for r in p["recommendations"] if r["code"] != UNACKNOWLEDGED] == codes


def test_reimporting_the_same_file_adds_nothing(imported):
    source, db, tl = imported
    before = status(db, "2022-01-19T10:00:00-06:00")
    result = cli("import", source, "--db", db)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"imported 0 patients and 0 records ({len(tl.records)} already present)\n"
    assert status(db, "2022-01-19T10:00:00-06:00") == before
    with Store.open(db, create=False) as store:
        assert store.record_count() == len(tl.records)


@pytest.mark.parametrize("existing", [False, True])
def test_an_invalid_record_is_refused_with_one_line_and_nothing_is_written(tmp_path, imported, existing):
    _, db, tl = imported
    if not existing:
        db = tmp_path / "fresh.db"
    bad = Timeline(mrn="A100")
    premed(bad, 300)
    bad.add(301, "infusion_resumed", dose_mcg=9, duration_h=24)
    document = bad.as_import([patient()])
    document["records"][1]["duration_h"] = 0
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import", source, "--db", db)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("crs-bedside: records[1].duration_h: ")
    with Store.open(db) as store:
        assert store.record_count() == (len(tl.records) if existing else 0)
        assert len(store.patients()) == (1 if existing else 0)
