"""The gate, part 2: a read never dies of one record, and ``verify`` checks the whole chain (issue 15)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from pypdf import PdfReader

from core.clock import FixedClock
from core.records import LabResult, OxygenDevice, VitalsRecord
from core.store import Store
from tests.cli.test_gate_import import RECENT, process, record, write
from tests.cli.test_safety_cli import run
from tests.core.safety_helpers import import_doc, raw
from tests.scenario import patient


def _ward_with_an_unreadable_record(tmp_path, monkeypatch):
    """Two patients; A100 also holds a lab value an older version stored as null (NaN), with an intact chain."""
    db = tmp_path / "ward.db"
    other = patient(mrn="B200", name="Other Patient", bed="14")
    doc = import_doc([record(temperature_c=38.4), record(mrn="B200", temperature_c=37.0)], [patient(), other])
    assert run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db), "--user", "x"], monkeypatch)[0] == 0
    # An id with "ff": the one that failed CI when the PDF printed it as one ligature glyph (U+FB00).
    bad = LabResult.model_construct(id=uuid.UUID("f7f4ffad-72c7-48b1-8871-5f38ce67a2a7"), mrn="A100", at=RECENT,
                                    by=None, type="lab_result", test="crp",
                                    value=float("nan"), unit="mg/L")
    with Store.open(db) as store:
        store.append([], [bad], recorded_by="old.version", now=RECENT)
    assert raw(db, "SELECT json_extract(payload, '$.value') IS NULL FROM records WHERE type = 'lab_result'") == [(1,)]
    return db, raw(db, "SELECT seq FROM records WHERE type = 'lab_result'")[0][0], str(bad.id)


def test_status_reports_the_unreadable_record_for_its_patient_and_shows_the_whole_ward(tmp_path, monkeypatch):
    db, seq, record_id = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    result = process("status", "--db", str(db), "--user", "x")
    assert (result.returncode, result.stderr) == (0, "")
    patients = {p["mrn"]: p for p in json.loads(result.stdout)["patients"]}
    assert sorted(patients) == ["A100", "B200"]
    assert patients["A100"]["problems"] == [
        f"record #{seq} (lab_result, id {record_id}) of A100 cannot be read: call clinic IT"]
    assert "problems" not in patients["B200"]
    assert patients["A100"]["crs"]["grade"] == 1   # the readable records still grade (38.4 °C)


def test_verify_names_the_unreadable_record_and_exits_1(tmp_path, monkeypatch):
    db, seq, record_id = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    result = process("verify", "--db", str(db), "--user", "x")
    assert result.returncode == 1
    assert result.stdout == (
        "integrity: ok\naudit chain: intact (5 entries checked)\nrecords: 1 cannot be read\n"
        f"problem: record #{seq} (lab_result, id {record_id}) of A100 cannot be read: call clinic IT\n")


def test_the_handover_prints_every_patient_and_the_problem(tmp_path, monkeypatch):
    db, seq, record_id = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    pdf = tmp_path / "handover.pdf"
    result = process("handover", "--db", str(db), "--user", "x", "--pdf", str(pdf))
    assert (result.returncode, result.stderr) == (0, "")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Other Patient" in text and "Test Patient" in text
    assert "Ward summary, most acute first" in text   # no ligature glyphs: the PDF's text is the text printed
    assert f"record #{seq} (lab_result, id {record_id}) of A100 cannot be read: call clinic IT" in text


def test_the_window_services_open_the_ward_despite_the_unreadable_record(tmp_path, monkeypatch):
    from core.protocol import shipped_protocol
    from core.services import Bedside

    db, _seq, _ = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    with Store.open(db) as store:
        bedside = Bedside(store, shipped_protocol("default"), FixedClock(RECENT + timedelta(hours=1)), "x")
        assert [s.patient.mrn for s in bedside.ward()] == ["A100", "B200"]
        assert [r.record.type for r in bedside.records("A100")] == ["vitals"]
        assert len(bedside.read_problems("A100")) == 1 and bedside.read_problems("B200") == ()


def test_a_record_an_older_version_stored_stays_readable_though_new_input_is_stricter(tmp_path, monkeypatch):
    # A nasal cannula at 0 L/min was accepted before issue 15; such a stored record is still read (not "lost").
    db, _, _ = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    old = VitalsRecord.model_construct(id=uuid.uuid4(), mrn="B200", at=RECENT, by=None, type="vitals",
                                       oxygen_device=OxygenDevice.NASAL_CANNULA, oxygen_flow_l_min=0.0)
    with Store.open(db) as store:
        store.append([], [old], recorded_by="old.version", now=RECENT)
    with Store.open(db) as store:
        assert [r.record.type for r in store.records("B200")] == ["vitals", "vitals"]


def test_verify_runs_the_full_chain_check_in_a_real_process(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    doc = import_doc([record(temperature_c=37.0)])
    assert run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db), "--user", "x"], monkeypatch)[0] == 0
    assert run(["backup", "--db", str(db), "--user", "x"], monkeypatch)[0] == 0   # the quick check's anchor
    # An old row changed behind the app's back, and the protection put back: only the full check sees it.
    raw(db, "DROP TRIGGER records_no_update")
    raw(db, "UPDATE records SET payload = replace(payload, '37.0', '36.0')")
    raw(db, "CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, "
            "'records are append-only: enter a correction instead'); END")
    result = process("verify", "--db", str(db), "--user", "x")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == ["integrity: ok", "audit chain: BROKEN (2 entries checked)"]
    assert lines[2].startswith("problem: record #1 (vitals, id ") and "does not match what was written" in lines[2]


def test_the_patient_page_says_which_record_cannot_be_read(qtbot, tmp_path, monkeypatch):
    from core.protocol import shipped_protocol
    from core.services import Bedside
    from gui.context import AppContext, BedsideSignals
    from gui.main_window import MainWindow
    from gui.settings import Settings

    db, seq, record_id = _ward_with_an_unreadable_record(tmp_path, monkeypatch)
    store = Store.open(db)
    clock = FixedClock(RECENT + timedelta(hours=1))
    window = MainWindow(AppContext(bedside=Bedside(store, shipped_protocol("default"), clock, "x"),
                                   settings=Settings(), settings_file=None, clock=clock, signals=BedsideSignals(),
                                   db_path=db))
    qtbot.addWidget(window)
    window.show()
    assert window.ward.model.rowCount() == 2
    window.open_patient("A100")
    assert window.patient.details.text().endswith(
        f"\n⚠ record #{seq} (lab_result, id {record_id}) of A100 cannot be read: call clinic IT")
    window.stop_timers()
    store.close()
