"""The gate, fuzzed (issue 15): generated and mutated import files and ``grade`` inputs through the command line.

The promises checked on every example: exit status 0 or 2 only, never a traceback, one plain line for a refusal;
a refused file writes nothing (no record, no patient, and no file at all on a new path); after every accepted file
``status`` and the handover work for every patient. Seeds are fixed. The default run is short; the full count
(10,000 files and inputs together) runs under the ``slow`` marker, which CI runs. Examples go through the command
line's entry function in this process (fast); a handful go through real processes too.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from core.clock import FixedClock
from core.handover import build_handover
from core.protocol import shipped_protocol
from core.services import Bedside, open_database
from gui.main import main as cli_main
from tests.scenario import patient

#: The in-process handover makes the Qt application it needs; the one made first must be the QApplication that the
#: window tests of the same run need (a QGuiApplication made here first aborted them).
pytestmark = pytest.mark.usefixtures("qapp")

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(UTC).replace(microsecond=0)
SHORT_IMPORTS, SHORT_GRADES = 120, 120
FULL_IMPORTS, FULL_GRADES = 4000, 6000   # 10,000 in all (an import case costs ten grade cases)


def _at(minutes: int) -> str:
    return (NOW - timedelta(minutes=minutes)).isoformat()


def valid_doc() -> dict[str, Any]:
    """A valid import file with two patients and one record of most types (mutated below)."""
    a, b = patient(), patient(mrn="B200", name="Other Patient", bed="14", birth_date="2010-06-01")
    first = str(uuid.uuid4())

    def rec(kind: str, minutes: int, mrn: str = "A100", **fields: Any) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "mrn": mrn, "at": _at(minutes), "type": kind, **fields}

    records = [
        {"id": first, "mrn": "A100", "at": _at(300), "type": "vitals", "temperature_c": 38.4, "heart_rate": 104,
         "systolic_bp": 112, "diastolic_bp": 70, "respiratory_rate": 20, "spo2_percent": 95,
         "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": 2.0, "consciousness": "alert",
         "vasopressors": ["norepinephrine"]},
        rec("infusion_started", 290, dose_mcg=28.0, duration_h=24.0),
        rec("lab_result", 280, test="crp", value=45.5, unit="mg/L"),
        rec("neuro_assessment", 270, ice_score=9, arousal="awake", seizure="none"),
        rec("medication_given", 260, drug="dexamethasone", dose_mg=8.0, purpose="premedication"),
        rec("symptom", 250, name="rigors", note="short"),
        rec("note", 240, text="line one\nline two"),
        rec("grade_confirmed", 230, grade=1, reason="reviewed"),
        rec("entered_in_error", 220, target_id=first, reason="wrong arm"),
        rec("infusion_stopped", 210, reason="crs"),
        rec("vitals", 200, mrn="B200", temperature_c=37.1, oxygen_device="room_air", age_years=15),
        rec("fluid_bolus", 190, mrn="B200", volume_ml=500.0),
        rec("escalation", 180, to="prescriber", response="attending", acknowledges=["interrupt_infusion"]),
        rec("observations_not_done", 170, mrn="B200", reason="asleep"),
        rec("patient_updated", 160, bed="15", weight_kg=71.0),
    ]
    return {"format": "crs-bedside/1",
            "patients": [p.model_dump(mode="json", exclude_none=True) for p in (a, b)], "records": records}


odd_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 20, max_value=10 ** 20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["38.5", "yes", "true", "", "2022-01-10T08:00:00", "room_air", "A100", "B200", "\u202e",
                     "\x1b[31m", "nasal_cannula", "NaN", str(uuid.uuid4()), "9" * 60]),
)
odd_values = st.recursive(odd_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)
#: Raw-text mutations that JSON values cannot express: non-finite numbers, huge numbers, nesting, truncation.
RAW_LITERALS = ["NaN", "Infinity", "-Infinity", "1e309", "-1e400", "9" * 5000, "[" * 50 + "]" * 50, "1.5e-400",
                "0.1e1", "-0", "true"]


@st.composite
def mutated_files(draw: Any) -> str:
    """An import file: the valid one with a few mutations (values, keys, records, raw text)."""
    doc = valid_doc()
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["value", "drop", "add", "dup", "mrn", "time", "target", "patient", "type"]))
        records = doc["records"]
        index = draw(st.integers(0, len(records) - 1)) if records else 0
        if not records:
            break
        item = records[index]
        if kind == "value":
            key = draw(st.sampled_from(sorted(item)))
            item[key] = draw(odd_values)
        elif kind == "drop":
            item.pop(draw(st.sampled_from(sorted(item))), None)
        elif kind == "add":
            item[draw(st.one_of(st.text(max_size=8), st.sampled_from(["temperature_c", "by", "cycle"])))] = \
                draw(odd_values)
        elif kind == "dup":
            records.append(dict(item) if draw(st.booleans()) else {**item, "id": str(uuid.uuid4())})
        elif kind == "mrn":
            item["mrn"] = draw(st.sampled_from(["A100", "B200", "Z999", ""]))
        elif kind == "time":
            item["at"] = draw(st.sampled_from([_at(-60), _at(10 ** 7), "1981-03-01T00:00:00+00:00", _at(5),
                                               "2022-01-10T08:00:00"]))
        elif kind == "target":
            item.update(type="entered_in_error", reason="x",
                        target_id=draw(st.sampled_from([str(uuid.uuid4())] + [r["id"] for r in records
                                                                               if "id" in r])))
        elif kind == "patient":
            p = doc["patients"][draw(st.integers(0, 1))]
            p[draw(st.sampled_from([*sorted(p), "name", "birth_date"]))] = draw(odd_values)
        else:
            item["type"] = draw(st.one_of(st.text(max_size=10), st.sampled_from(["vitals", "lab_result", "note"])))
    text = json.dumps(doc)
    if draw(st.integers(0, 4)) == 0:   # a raw-text mutation in one in five files
        marker = draw(st.sampled_from(['"temperature_c": 38.4', '"value": 45.5', '"dose_mg": 8.0', '"grade": 1']))
        text = text.replace(marker, marker.split(":")[0] + ": " + draw(st.sampled_from(RAW_LITERALS)))
    if draw(st.integers(0, 19)) == 0:  # one in twenty truncated
        text = text[: draw(st.integers(0, len(text)))]
    return text


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(argv)
    return code, out.getvalue(), err.getvalue()


def _refusal_is_plain(code: int, out: str, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "unexpected failure" not in err
    if code == 2:
        assert out == "" and err.startswith("crs-bedside: ") and err.count("\n") == 1 and len(err) < 600


def _ward_still_reads(db: Path, handover_pdf: Path | None) -> None:
    code, out, err = _cli(["status", "--db", str(db), "--user", "fuzz", "--all"])
    assert (code, err) == (0, ""), err
    mrns = [p["mrn"] for p in json.loads(out)["patients"]]
    with open_database(db, create=False) as store:
        bedside = Bedside(store, shipped_protocol("default"), FixedClock(NOW + timedelta(minutes=1)), "fuzz")
        handover = build_handover(bedside, mrns=mrns, app_version="fuzz")
        assert [h.patient.mrn for h in handover.patients] == mrns
    if handover_pdf is not None:
        code, _, err = _cli(["handover", "--db", str(db), "--user", "fuzz", "--pdf", str(handover_pdf)])
        assert (code, err) == (0, ""), err


def _counts(db: Path) -> tuple[int, int]:
    import sqlite3

    conn = sqlite3.connect(str(db))
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("patients", "records"))
    finally:
        conn.close()


class ImportFuzz:
    """One ward per run: accepted files accumulate in it, refused ones must leave it as it was."""

    #: A fresh ward after this many accepted files: the accepted ones pile up in it, and a ward of thousands of
    #: fuzzed records made every later check slower and slower (the full run never ended) without testing more.
    WARD_TURNOVER = 100

    def __init__(self, folder: Path):
        self.folder = folder
        self.db = folder / "ward.db"
        self.accepted = 0
        self.in_ward = 0
        self.n = 0

    def check(self, text: str, new_path: bool) -> None:
        self.n += 1
        source = self.folder / "in.json"
        source.write_text(text, encoding="utf-8")
        db = self.folder / f"new{self.n}.db" if new_path else self.db
        before = _counts(db) if db.exists() else None
        code, out, err = _cli(["import", str(source), "--db", str(db), "--user", "fuzz"])
        _refusal_is_plain(code, out, err)
        if code == 2:
            event("refused")
            if before is None:
                assert sorted(p.name for p in self.folder.iterdir() if p.name.startswith(db.name)) == []
            else:
                assert _counts(db) == before
            return
        event("accepted")
        self.accepted += 1
        if db == self.db:
            self.in_ward += 1
            if self.in_ward % self.WARD_TURNOVER == 0:
                shutil.rmtree(self.folder / f"{self.db.name}.backups", ignore_errors=True)
                self.db = self.folder / f"ward{self.in_ward}.db"
        # The PDF itself for every tenth accepted file (the content is built for every one).
        _ward_still_reads(db, self.folder / "handover.pdf" if self.accepted % 10 == 1 else None)


def _import_fuzz(examples: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        fuzz = ImportFuzz(Path(folder))

        @seed(15)
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(mutated_files(), st.integers(0, 3))
        def run(text: str, where: int) -> None:
            fuzz.check(text, new_path=where == 0)

        run()
        assert fuzz.n >= examples and fuzz.accepted > 0


assessment_values = st.fixed_dictionaries({}, optional={
    "temperature_c": st.one_of(st.floats(20, 50), odd_scalars), "heart_rate": st.one_of(st.integers(0, 400),
                                                                                        odd_scalars),
    "systolic_bp": st.one_of(st.integers(0, 400), odd_scalars), "diastolic_bp": st.integers(0, 300),
    "oxygen_device": st.one_of(st.sampled_from(["room_air", "nasal_cannula", "venturi_mask", "cpap"]), odd_scalars),
    "oxygen_flow_l_min": st.one_of(st.floats(-1, 90), odd_scalars), "fio2_percent": st.one_of(st.integers(0, 120),
                                                                                             odd_scalars),
    "vasopressors": st.one_of(st.lists(st.sampled_from(["norepinephrine", "vasopressin", "x"]), max_size=3),
                              odd_values),
    "age_years": st.one_of(st.integers(-1, 140), odd_scalars), "fluid_bolus_given": odd_scalars,
    "at": st.one_of(st.just("2022-01-10T08:00:00-06:00"), odd_scalars), "unknown": odd_values,
})


def _grade_fuzz(examples: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "assessment.json"

        @seed(15)
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(assessment_values, st.sampled_from([None, *RAW_LITERALS]))
        def run(assessment: dict[str, Any], raw: str | None) -> None:
            text = json.dumps(assessment)
            if raw is not None:
                text = text[:-1] + (", " if assessment else "") + f'"temperature_c": {raw}' + "}"
            source.write_text(text, encoding="utf-8")
            code, out, err = _cli(["grade", "--input", str(source)])
            _refusal_is_plain(code, out, err)
            if code == 0:
                assert json.loads(out)["crs_grade"] in range(6)
            event("accepted" if code == 0 else "refused")

        run()
        assert list(Path(folder).iterdir()) == [source]   # grade writes nothing


def test_mutated_import_files_short_run(qapp):   # qapp: the handover's PDF needs the application pytest-qt makes
    _import_fuzz(SHORT_IMPORTS)


def test_mutated_grade_inputs_short_run():
    _grade_fuzz(SHORT_GRADES)


@pytest.mark.slow
def test_ten_thousand_mutated_import_files_and_grade_inputs(qapp):
    _import_fuzz(FULL_IMPORTS)
    _grade_fuzz(FULL_GRADES)


@pytest.mark.parametrize("literal", ["NaN", "1e309", "9" * 5000])
def test_a_handful_through_real_processes(tmp_path, literal):
    db = tmp_path / "ward.db"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(valid_doc()), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(valid_doc()).replace('"value": 45.5', f'"value": {literal}'), encoding="utf-8")

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gui.main", *argv, "--db", str(db), "--user", "fuzz"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    result = cli("import", str(bad))
    assert result.returncode == 2 and result.stderr.startswith("crs-bedside: records[2].value: ")
    assert not db.exists()
    assert cli("import", str(good)).returncode == 0
    assert cli("import", str(bad)).returncode == 2
    status = cli("status", "--all")
    assert status.returncode == 0 and len(json.loads(status.stdout)["patients"]) == 2
    assert cli("handover", "--pdf", str(tmp_path / "h.pdf")).returncode == 0
