"""The ward list: discharged patients leave it (and `status`) until a later record brings them back; nothing is
removed, and `status --all` still shows everyone."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tests.scenario import T0, patient

ROOT = Path(__file__).resolve().parents[2]


def _mrns(states):
    return [s.patient.mrn for s in states]


def test_a_discharged_patient_leaves_the_ward_and_a_new_admission_brings_them_back(bedside, clock):
    store = bedside.store
    store.append([patient(mrn="B200", bed="13")], [], recorded_by="nurse.test", now=clock.now())
    now = clock.now()
    bedside.record("A100", "vitals", {"temperature_c": 36.9}, at=now - timedelta(hours=3))
    discharge = bedside.record("A100", "discharged", {"note": "home"}, at=now - timedelta(hours=2))
    assert _mrns(bedside.ward(now)) == ["B200"]
    assert _mrns(bedside.ward(now, include_discharged=True)) == ["A100", "B200"]
    # a note after the discharge does not re-admit; a clinical record does
    bedside.record("A100", "note", {"text": "phone call"}, at=now - timedelta(hours=1))
    assert _mrns(bedside.ward(now)) == ["B200"]
    bedside.record("A100", "medication_given", {"drug": "dexamethasone", "dose_mg": 20, "purpose": "premedication"},
                   at=now - timedelta(minutes=30))
    bedside.record("A100", "infusion_started", {"dose_mcg": 28, "duration_h": 24, "cycle": 2}, at=now)
    assert _mrns(bedside.ward(now)) == ["A100", "B200"]
    # a discharge entered in error does not count
    store.append([patient(mrn="C300", bed="14")], [], recorded_by="nurse.test", now=clock.now())
    wrong = bedside.record("C300", "discharged", {}, at=now)
    assert "C300" not in _mrns(bedside.ward(now))
    bedside.correct("C300", str(wrong.record.id), "wrong patient")
    assert "C300" in _mrns(bedside.ward(now))
    assert discharge.record.type == "discharged"


def test_status_lists_the_ward_and_all_lists_everyone(tmp_path):
    at = T0 + timedelta(days=1)
    doc = {"format": "crs-bedside/1",
           "patients": [patient().model_dump(mode="json", exclude_none=True),
                        patient(mrn="B200", bed="13").model_dump(mode="json", exclude_none=True)],
           "records": [{"id": "9b0c1d2e-0000-4000-8000-000000000001", "mrn": "A100", "type": "discharged",
                        "at": T0.isoformat()}]}
    source = tmp_path / "ward.json"
    source.write_text(json.dumps(doc))
    db = tmp_path / "ward.db"

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "gui.main", *args], cwd=ROOT, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "CRS_BEDSIDE_USER": "it.admin", "HOME": str(tmp_path),
                                   "CRS_BEDSIDE_LOG_DIR": str(tmp_path)})

    assert cli("import", str(source), "--db", str(db)).returncode == 0
    ward = json.loads(cli("status", "--db", str(db), "--at", at.isoformat()).stdout)
    everyone = json.loads(cli("status", "--db", str(db), "--at", at.isoformat(), "--all").stdout)
    assert [p["mrn"] for p in ward["patients"]] == ["B200"]
    assert [p["mrn"] for p in everyone["patients"]] == ["A100", "B200"]


def _discharge_queries(store, look) -> int:
    """How many times ``look()`` worked the ward out from the discharges in the records (the statement that looks at
    every patient ever discharged)."""
    seen: list[str] = []
    store._db.conn.set_trace_callback(seen.append)
    try:
        look()
    finally:
        store._db.conn.set_trace_callback(None)
    return sum("d.type = 'discharged'" in statement for statement in seen)


def test_the_kept_ward_list_serves_until_something_added_could_change_it(tmp_path, clock, protocol):
    from core.services import Bedside
    from core.store import Store

    db, now = tmp_path / "w.db", clock.now()
    store = Store.open(db)
    store.append([patient(), patient(mrn="B200", bed="13")], [], recorded_by="nurse.test", now=now)
    bedside = Bedside(store, protocol, clock, user="nurse.test")
    bedside.record("A100", "discharged", {"note": "home"}, at=now - timedelta(hours=2))
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 1            # worked out, then kept
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 0            # the kept list, same answer
    assert _mrns(bedside.ward(now)) == ["B200"]
    bedside.record_vitals("B200", {"temperature_c": 38.2}, at=now)               # a patient on the ward: kept
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 0
    assert _mrns(bedside.ward(now)) == ["B200"]
    store.append([patient(mrn="C300", bed="14")], [], recorded_by="nurse.test", now=now)
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 1            # a new patient: afresh
    assert _mrns(bedside.ward(now)) == ["B200", "C300"]
    discharge = bedside.record("B200", "discharged", {}, at=now)
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 1            # a discharge: afresh
    assert _mrns(bedside.ward(now)) == ["C300"]
    bedside.correct("B200", str(discharge.record.id), "wrong patient")
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 1            # a correction: afresh
    assert _mrns(bedside.ward(now)) == ["B200", "C300"]
    bedside.record("A100", "note", {"text": "phone call"}, at=now)              # a patient not on the list: afresh
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 1
    bedside.record_vitals("C300", {"temperature_c": 37.2}, at=now)
    assert _mrns(bedside.ward(now)) == ["B200", "C300"]
    store.close()                                                                # kept in the file for the next start
    store = Store.open(db)
    bedside = Bedside(store, protocol, clock, user="nurse.test")
    assert _discharge_queries(store, lambda: bedside.ward(now)) == 0
    assert _mrns(bedside.ward(now)) == ["B200", "C300"]
    store.close()


def test_a_kept_ward_list_changed_outside_the_app_is_not_used(tmp_path, clock, protocol):
    from core.services import Bedside
    from core.store import Store
    from tests.core.safety_helpers import raw

    db, now = tmp_path / "w.db", clock.now()
    with Store.open(db) as store:
        store.append([patient(), patient(mrn="B200", bed="13")], [], recorded_by="nurse.test", now=now)
        assert _mrns(Bedside(store, protocol, clock, user="nurse.test").ward(now)) == ["A100", "B200"]
    # someone with a shell hides a patient from the ward (a blank screen for a patient in CRS is the harm)
    raw(db, "UPDATE ward_list SET mrns = '[\"B200\"]'")
    with Store.open(db) as store:
        bedside = Bedside(store, protocol, clock, user="nurse.test")
        assert _discharge_queries(store, lambda: bedside.ward(now)) == 1        # the seal fails: from the records
        assert _mrns(bedside.ward(now)) == ["A100", "B200"]
    assert raw(db, "SELECT mrns FROM ward_list") == [('["A100", "B200"]',)]     # and kept again, sealed
