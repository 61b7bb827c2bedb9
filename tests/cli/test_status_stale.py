"""`crs-bedside status` says `crs.stale` exactly as INTERFACE.md "Additions" describes: true when no temperature or
systolic BP lies inside the look-back window (D11, the protocol's `vitals_lookback_hours`, 4 h by default)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.protocol import shipped_protocol as load_protocol
from core.state import fold
from tests.cli.test_status_infusion import cli
from tests.scenario import Timeline, patient

LOOKBACK_H = load_protocol().grading.vitals_lookback_hours


def _timeline() -> Timeline:
    tl = Timeline()
    tl.add(0, "vitals", temperature_c=38.7, heart_rate=104, systolic_bp=84, diastolic_bp=52, fluid_bolus_given=True)
    tl.add(1, "vitals", heart_rate=98, respiratory_rate=18)      # no temperature, no SBP: does not refresh
    return tl


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("stale")
    source = tmp / "stale.json"
    source.write_text(json.dumps(_timeline().as_import([patient()])), encoding="utf-8")
    db = tmp / "ward.db"
    result = cli("import", source, "--db", db)
    assert (result.returncode, result.stderr) == (0, "")
    return db


@pytest.mark.parametrize(("minutes", "stale"), [
    (LOOKBACK_H * 60 - 1, False), (LOOKBACK_H * 60, False), (LOOKBACK_H * 60 + 1, True)])
def test_status_stale_at_the_lookback_boundary(db, minutes, stale):
    at = _timeline().at(0, minutes).isoformat()
    result = cli("status", "--db", db, "--patient", "A100", "--at", at)
    assert (result.returncode, result.stderr) == (0, "")
    crs = json.loads(result.stdout)["patients"][0]["crs"]
    assert crs["stale"] is stale
    assert crs["last_vitals_at"] == "2022-01-10T08:00:00-06:00"
    # grade 2 still stands after the window closes (the episode is open, the bolus counts for 6 h): the grade
    # shown then rests on no current vital signs, which is what `stale` says
    assert crs["grade"] == 2


def test_no_vitals_at_all_is_stale():
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=9, duration_h=24)
    state = fold(patient(), tl.records, tl.at(0, 1), load_protocol())
    assert (state.crs.stale, state.crs.last_vitals_at) == (True, None)
    assert state.to_json()["crs"]["stale"] is True


@pytest.mark.parametrize("field", ["temperature_c", "systolic_bp"])
def test_either_temperature_or_systolic_bp_alone_keeps_it_current(field):
    value = {"temperature_c": 37.0, "systolic_bp": 120}[field]
    tl = Timeline()
    tl.add(0, "vitals", heart_rate=80)
    tl.add(2, "vitals", **{field: value})
    protocol = load_protocol()
    assert fold(patient(), tl.records, tl.at(2 + LOOKBACK_H), protocol).crs.stale is False
    assert fold(patient(), tl.records, tl.at(2 + LOOKBACK_H, 1), protocol).crs.stale is True
    # a heart rate alone never makes the grade current
    assert fold(patient(), tl.records[:1], tl.at(0), protocol).crs.stale is True
