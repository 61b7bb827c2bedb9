"""`crs-bedside status` after the round's records (INTERFACE.md Additions): each recommendation's `acknowledged`,
`escalate_unacknowledged`, `observations.last_not_done`, and a bed moved by `patient_updated` — real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_status_infusion import cli, status
from tests.scenario import Timeline, patient


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Timeline]:
    tl = Timeline()
    tl.add(-0.75, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(-0.5, "infusion_started", dose_mcg=9, duration_h=24)
    tl.add(0, "vitals", temperature_c=38.3)                                       # CRS grade 1 at 08:00
    tl.add(0, "escalation", minutes=20, to="nurse_in_charge", response="advice_given",
           acknowledges=["increase_observations", "escalate_unacknowledged"], name="Sister Synthetic",
           by="nurse.a")
    tl.add(1, "patient_updated", ward="8E", bed="3")
    tl.add(2, "observations_not_done", reason="off_ward", note="in radiology", by="nurse.a")
    folder = tmp_path_factory.mktemp("round")
    source = folder / "round.json"
    source.write_text(json.dumps(tl.as_import([patient()])), encoding="utf-8")
    db = folder / "ward.db"
    result = cli("import", str(source), "--db", db, "--user", "it.admin")
    assert (result.returncode, result.stderr) == (0, "")
    return db, tl


@pytest.mark.parametrize("minutes, codes", [
    (14, [("increase_observations", None)]),
    (15, [("escalate_unacknowledged", None), ("increase_observations", None)]),
    (16, [("escalate_unacknowledged", None), ("increase_observations", None)]),
    (20, [("increase_observations", "nurse_in_charge")]),     # answered: it no longer escalates
])
def test_status_shows_acknowledged_and_escalates_at_15_minutes(ward, minutes, codes):
    db, tl = ward
    p = status(db, tl.at(minutes=minutes).isoformat())
    assert [(r["code"], r["acknowledged"] and r["acknowledged"]["to"]) for r in p["recommendations"]] == codes


def test_status_acknowledged_is_exactly_the_interface_object(ward):
    db, tl = ward
    p = status(db, tl.at(minutes=30).isoformat())
    ack = p["recommendations"][-1]["acknowledged"]
    assert {k: ack[k] for k in ("at", "by", "to", "response")} == {
        "at": "2022-01-10T08:20:00-06:00", "by": "nurse.a", "to": "nurse_in_charge", "response": "advice_given"}
    assert ack["name"] == "Sister Synthetic"


def test_patient_updated_moves_the_bed_and_observations_not_done_is_reported(ward):
    db, tl = ward
    before = status(db, tl.at(0.5).isoformat())
    after = status(db, tl.at(2.5).isoformat())
    assert (before["ward"], before["bed"]) == ("7W", "12")
    assert (after["ward"], after["bed"]) == ("8E", "3")
    assert before["observations"] == {"last_not_done": None}
    assert after["observations"] == {"last_not_done": {"at": "2022-01-10T10:00:00-06:00", "reason": "off_ward",
                                                       "note": "in radiology", "by": "nurse.a"}}
