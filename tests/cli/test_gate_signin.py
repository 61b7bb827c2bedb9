"""The gate, part 3: every command that reads or writes patient data signs in first, and a refused command writes
nothing (issue 15). The handover through real processes: it used to print the whole ward for anyone."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.security import PermissionDenied
from core.services import Bedside, open_database
from tests.cli.test_gate_import import PREFIX, process, record, write
from tests.cli.test_safety_cli import _with_accounts, run
from tests.core.safety_helpers import import_doc, insider_key
from tests.scenario import T0

NO_USER = ("crs-bedside: This database has user accounts: name yourself with --user NAME (or CRS_BEDSIDE_USER) and "
           "give your PIN in CRS_BEDSIDE_PIN or at the prompt.\n")


@pytest.fixture
def ward_with_accounts(tmp_path, monkeypatch):
    db = tmp_path / "ward.db"
    _with_accounts(db, monkeypatch)
    doc = import_doc([record(temperature_c=38.4)])
    assert run(["import", str(write(tmp_path / "in.json", doc)), "--db", str(db)], monkeypatch,
               CRS_BEDSIDE_USER="dr.lee", CRS_BEDSIDE_PIN="doctor-pin-1")[0] == 0
    return db


def test_handover_without_a_sign_in_writes_no_pdf_in_a_real_process(tmp_path, ward_with_accounts):
    pdf = tmp_path / "handover.pdf"
    result = process("handover", "--db", str(ward_with_accounts), "--pdf", str(pdf))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", NO_USER)
    assert not pdf.exists()
    result = process("handover", "--db", str(ward_with_accounts), "--pdf", str(pdf), "--user", "amy",
                     CRS_BEDSIDE_PIN="wrong-pin-9")
    assert result.returncode == 1 and result.stderr.startswith(PREFIX) and result.stderr.count("\n") == 1
    assert not pdf.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or ".pdf" in p.name) == []


def test_handover_with_a_sign_in_prints_the_ward_in_a_real_process(tmp_path, ward_with_accounts):
    pdf = tmp_path / "handover.pdf"
    result = process("handover", "--db", str(ward_with_accounts), "--pdf", str(pdf), "--user", "amy",
                     CRS_BEDSIDE_PIN="nurse-pin-1")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"wrote {pdf}\n", "")
    assert "Test Patient" in " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("argv", [["status"], ["export"], ["audit", "--patient", "A100"], ["verify"], ["backup"]])
def test_every_command_on_patient_data_signs_in(ward_with_accounts, monkeypatch, argv):
    code, out, err = run([*argv, "--db", str(ward_with_accounts)], monkeypatch)
    assert (code, out, err) == (1, "", NO_USER)


def test_a_refused_command_creates_no_file(tmp_path, monkeypatch):
    missing = tmp_path / "absent.db"
    for argv in (["status"], ["export"], ["backup"], ["verify"]):
        code, _, err = run([*argv, "--db", str(missing)], monkeypatch)
        assert code == 1 and err == f"{PREFIX}{missing}: no such database file\n"
    result = process("handover", "--db", str(missing), "--pdf", str(tmp_path / "h.pdf"))
    assert (result.returncode, result.stderr) == (2, f"{PREFIX}--db: {missing} does not exist\n")
    assert list(tmp_path.iterdir()) == []


def test_is_demo_and_the_ward_list_need_a_sign_in(ward_with_accounts):
    # Even someone who got the data key (an insider with a PIN, tests/core/test_encryption.py) and opens the file
    # through the services reads nothing there without a sign-in.
    key = insider_key(ward_with_accounts, "amy", "nurse-pin-1")
    with open_database(ward_with_accounts, key=key) as store:
        named_only = Bedside(store, shipped_protocol("default"), FixedClock(T0), "amy")  # a name is not a sign-in
        for read in (named_only.is_demo, named_only.ward_patients):
            with pytest.raises(PermissionDenied, match="Sign in to view patient data"):
                read()
