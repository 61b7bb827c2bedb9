"""The gate, part 1: an import is held to every check recording makes, types are strict, and a refused file writes
nothing (issue 15). Real processes where a command's behaviour is the point; in-process for the many variants."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_safety_cli import _with_accounts, run
from tests.core.safety_helpers import count_records, import_doc, insider_key
from tests.scenario import patient

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "crs-bedside: "
RECENT = datetime.now(UTC) - timedelta(hours=1)


def record(kind: str = "vitals", at: datetime = RECENT, mrn: str = "A100", **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "mrn": mrn, "at": at.isoformat(), "type": kind, **fields}


def write(path: Path, doc: Any) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def process(*argv: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("CRS_BEDSIDE_") or k.endswith("LOG_DIR")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "gui.main", *argv], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=120, env=environment)


def files_beside(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name))


# -- non-finite numbers (the lab value that bricked the ward) --------------------------------------------------------
@pytest.mark.parametrize("literal, shown", [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
                                            ("1e309", "'1e309'")])
def test_a_non_finite_lab_value_is_refused_in_a_real_process_and_no_file_is_made(tmp_path, literal, shown):
    text = json.dumps(import_doc([record("lab_result", test="crp", value=0.0, unit="mg/L")]))
    text = text.replace('"value": 0.0', f'"value": {literal}')
    db = tmp_path / "ward.db"
    result = process("import", str(write(tmp_path / "in.json", text)), "--db", str(db), "--user", "it.loader")
    assert result.returncode == 2
    suffix = " (too large)" if literal == "1e309" else ""
    assert result.stderr == f"{PREFIX}records[0].value: {shown} is not a finite number{suffix}\n"
    assert files_beside(db) == []


def test_a_non_finite_value_into_an_existing_ward_writes_nothing_and_status_still_works(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    good = write(tmp_path / "good.json", import_doc([record(temperature_c=37.2)]))
    assert run(["import", str(good), "--db", str(db), "--user", "it.loader"], monkeypatch)[0] == 0
    bad = json.dumps(import_doc([record(temperature_c=37.3), record("lab_result", test="crp", value=1.0,
                                                                   unit="mg/L")])).replace('"value": 1.0',
                                                                                           '"value": NaN')
    code, out, err = run(["import", str(write(tmp_path / "bad.json", bad)), "--db", str(db), "--user", "x"],
                         monkeypatch)
    assert (code, out, err) == (2, "", f"{PREFIX}records[1].value: NaN is not a finite number\n")
    assert count_records(db) == 1
    code, out, _ = run(["status", "--db", str(db), "--user", "x"], monkeypatch)
    assert code == 0 and [p["mrn"] for p in json.loads(out)["patients"]] == ["A100"]


# -- import = recording ------------------------------------------------------------------------------------------
def test_a_record_without_an_id_is_refused_and_a_reimport_adds_nothing(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    no_id = record("neuro_assessment", ice_score=10, seizure="resolved")
    del no_id["id"]
    code, _, err = run(["import", str(write(tmp_path / "a.json", import_doc([no_id]))), "--db", str(db), "--user",
                        "x"], monkeypatch)
    assert (code, err) == (2, f"{PREFIX}records[0].id: is required (every imported record carries its own id, a "
                              "UUID)\n")
    assert not db.exists()
    seizure = write(tmp_path / "b.json", import_doc([record("neuro_assessment", ice_score=10, seizure="resolved")]))
    assert run(["import", str(seizure), "--db", str(db), "--user", "x"], monkeypatch)[1] == \
        "imported 1 patients and 1 records (0 already present)\n"
    assert run(["import", str(seizure), "--db", str(db), "--user", "x"], monkeypatch)[1] == \
        "imported 0 patients and 0 records (1 already present)\n"
    status = json.loads(run(["status", "--db", str(db), "--user", "x"], monkeypatch)[1])
    assert status["patients"][0]["icans"]["seizures"] == 1


def test_a_correction_must_target_an_existing_record_of_the_same_patient(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    other = patient(mrn="B200", name="Other Patient", bed="14")
    first = record(temperature_c=37.0)
    theirs = record(mrn="B200", temperature_c=37.1)
    assert run(["import", str(write(tmp_path / "a.json", import_doc([first, theirs], [patient(), other]))), "--db",
                str(db), "--user", "x"], monkeypatch)[0] == 0
    missing = str(uuid.uuid4())
    for target, n in ((missing, 1), (theirs["id"], 2)):
        fix = record("entered_in_error", target_id=target, reason="wrong patient")
        code, out, err = run(["import", str(write(tmp_path / f"fix{n}.json", import_doc([fix]))), "--db", str(db),
                              "--user", "x"], monkeypatch)
        assert (code, out, err) == (2, "", f"{PREFIX}records[0].target_id: {target} is not a record of A100\n")
    # A correction of a record earlier in the same file is allowed (the whole file is checked as one).
    later = record(temperature_c=38.0)
    fix = record("entered_in_error", target_id=later["id"], reason="wrong arm")
    assert run(["import", str(write(tmp_path / "c.json", import_doc([later, fix]))), "--db", str(db), "--user",
                "x"], monkeypatch)[0] == 0
    assert count_records(db) == 4


def test_an_admin_may_not_strike_out_a_clinicians_grade_by_import(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    _with_accounts(db, monkeypatch)
    grade = record("grade_confirmed", grade=1, reason="reviewed")
    assert run(["import", str(write(tmp_path / "g.json", import_doc([grade]))), "--db", str(db)], monkeypatch,
               CRS_BEDSIDE_USER="dr.lee", CRS_BEDSIDE_PIN="doctor-pin-1")[0] == 0
    strike = write(tmp_path / "s.json", import_doc([record("entered_in_error", target_id=grade["id"], reason="x")]))
    code, _, err = run(["import", str(strike), "--db", str(db)], monkeypatch, CRS_BEDSIDE_USER="boss",
                       CRS_BEDSIDE_PIN="admin-pin-1")
    assert code == 1 and err.startswith(f"{PREFIX}Only a clinician may confirm or override a CRS grade; boss")
    assert count_records(db, key=insider_key(db, "boss", "admin-pin-1")) == 1


# -- strict types -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fields, line", [
    ({"temperature_c": "38.5"}, "records[0].temperature_c: '38.5' is not a number"),
    ({"fluid_bolus_given": "yes"}, "records[0].fluid_bolus_given: 'yes' is not true or false"),
    ({"age_years": True}, "records[0].age_years: True is not a whole number"),
    ({"heart_rate": 80.5}, "records[0].heart_rate: 80.5 is not a whole number (allowed: 20–300 /min)"),
    ({"vasopressors": ["norepinephrine", 7]}, "records[0].vasopressors[1]: 7 is not one of 'norepinephrine', "
     "'epinephrine', 'phenylephrine', 'dopamine', 'vasopressin' or 'angiotensin_ii'"),
    ({"oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 0}, "records[0].oxygen_flow_l_min: 0.0 L/min is not "
     "above 0 L/min, which a nasal_cannula needs (choose room air if no oxygen is given)"),
    ({"oxygen_device": "room_air", "oxygen_flow_l_min": 2}, "records[0].oxygen_flow_l_min: 2.0 L/min is given, but "
     "room air has no oxygen flow (choose the device that delivers it)"),
    ({"oxygen_device": "room_air", "fio2_percent": 22}, "records[0].fio2_percent: 22 % is given, but room air is "
     "21 % (choose the device that delivers the oxygen)"),
])
def test_lax_and_inconsistent_values_are_refused_naming_the_field(tmp_path, monkeypatch, fields, line):
    db = tmp_path / "ward.db"
    code, out, err = run(["import", str(write(tmp_path / "in.json", import_doc([record(**fields)]))), "--db",
                          str(db), "--user", "x"], monkeypatch)
    assert (code, out, err) == (2, "", PREFIX + line + "\n")
    assert files_beside(db) == []


@pytest.mark.parametrize("fields", [{"oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 0.5},
                                    {"oxygen_device": "room_air", "fio2_percent": 21},
                                    {"oxygen_device": "room_air", "oxygen_flow_l_min": 0}])
def test_values_at_the_device_limits_are_accepted(tmp_path, monkeypatch, fields):
    db = tmp_path / "ward.db"
    assert run(["import", str(write(tmp_path / "in.json", import_doc([record(**fields)]))), "--db", str(db),
                "--user", "x"], monkeypatch)[0] == 0


def test_grade_is_strict_too_in_a_real_process():
    result = process("grade", stdin='{"temperature_c": "38.5", "age_years": 40}')
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"{PREFIX}temperature_c: '38.5' is not a "
                                                                          "number\n")
    result = process("grade", stdin='{"temperature_c": NaN}')
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}temperature_c: NaN is not a finite number\n")


# -- files built to break the parser or the terminal --------------------------------------------------------------
def test_deep_nesting_and_long_numbers_are_plain_bad_input_in_a_real_process(tmp_path):
    db = tmp_path / "ward.db"
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    result = process("import", str(deep), "--db", str(db))
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}{deep}: nested more than 20 levels deep\n")
    nested = write(tmp_path / "nested.json", '{"format": ' + "[" * 30 + "]" * 30 + "}")
    result = process("import", str(nested), "--db", str(db))
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}format[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
                                                     "[0][0][0][0]: nested more than 20 levels deep\n")
    digits = json.dumps(import_doc([record("lab_result", test="crp", value=1, unit="mg/L")]))
    long = write(tmp_path / "long.json", digits.replace('"value": 1', '"value": ' + "9" * 5000))
    result = process("import", str(long), "--db", str(db))
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}records[0].value: a number of 5000 characters is "
                                                     "longer than 40\n")
    assert files_beside(db) == []


def test_control_characters_are_escaped_and_a_huge_value_is_cut_in_a_real_process(tmp_path):
    db = tmp_path / "ward.db"
    evil = record(**{"temp\x1b]0;owned\x07": 1})
    result = process("import", str(write(tmp_path / "esc.json", import_doc([evil]))), "--db", str(db))
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}records[0].'temp\\x1b]0;owned\\x07': unknown field "
                                                     "(check the spelling)\n")
    huge = record("note", text="x" * 20_000_000)
    result = process("import", str(write(tmp_path / "huge.json", import_doc([huge]))), "--db", str(db))
    assert result.returncode == 2
    assert result.stderr == f"{PREFIX}records[0].text: '{'x' * 40}'… string should have at most 4000 characters\n"
    assert files_beside(db) == []


@pytest.mark.parametrize("name, line", [
    ("Ann \u202eesreveR", "patients[0].name: character 5 is a bidi override (U+202E), which reorders the text; "
                          "remove it"),
    ("Ann\x1b[2J", "patients[0].name: character 4 is a control character (U+001B); remove it"),
    ("Ann\nSmith", "patients[0].name: character 4 is a control character (U+000A); remove it"),
])
def test_names_with_control_or_bidi_characters_are_refused(tmp_path, monkeypatch, name, line):
    doc = import_doc([])
    doc["patients"][0]["name"] = name
    db = tmp_path / "ward.db"
    code, out, err = run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db), "--user", "x"],
                         monkeypatch)
    assert (code, out, err) == (2, "", PREFIX + line + "\n")


def test_a_note_may_hold_line_breaks_but_no_escape_sequence(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    ok = write(tmp_path / "ok.json", import_doc([record("note", text="line one\nline two\tend")]))
    assert run(["import", str(ok), "--db", str(db), "--user", "x"], monkeypatch)[0] == 0
    bad = write(tmp_path / "bad.json", import_doc([record("note", text="red \x1b[31m")]))
    assert run(["import", str(bad), "--db", str(db), "--user", "x"], monkeypatch)[2] == \
        f"{PREFIX}records[0].text: character 5 is a control character (U+001B); remove it\n"


def test_birth_in_the_future_and_observations_before_birth_are_refused(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    tomorrow = date.today() + timedelta(days=2)
    doc = import_doc([])
    doc["patients"][0]["birth_date"] = tomorrow.isoformat()
    code, _, err = run(["import", str(write(tmp_path / "a.json", doc)), "--db", str(db), "--user", "x"], monkeypatch)
    assert code == 2 and err.startswith(f"{PREFIX}patients[0].birth_date: {tomorrow.isoformat()} is in the future")
    early = record(at=datetime(1981, 3, 1, 23, 0, tzinfo=UTC), temperature_c=37.0)
    code, _, err = run(["import", str(write(tmp_path / "b.json", import_doc([early]))), "--db", str(db), "--user",
                        "x"], monkeypatch)
    assert (code, err) == (2, f"{PREFIX}records[0].at: 1981-03-01T23:00+00:00 is before the patient's birth "
                              "(1981-03-02)\n")
    on_the_day = record(at=datetime(1981, 3, 2, 0, 0, tzinfo=UTC), temperature_c=37.0)
    assert run(["import", str(write(tmp_path / "c.json", import_doc([on_the_day]))), "--db", str(db), "--user",
                "x"], monkeypatch)[0] == 0


def test_a_refused_import_into_a_new_path_leaves_no_file_and_no_lock(tmp_path):
    db = tmp_path / "new.db"
    fix = record("entered_in_error", target_id=str(uuid.uuid4()), reason="x")
    result = process("import", str(write(tmp_path / "in.json", import_doc([fix]))), "--db", str(db))
    assert result.returncode == 2 and "is not a record of A100" in result.stderr
    assert files_beside(db) == []
