"""The handover carries the round (issue 13): bolus volumes, CRS medicines, symptoms, escalations with their
responses, observations not done with the reason, pending prompts marked — read back from real PDFs with pdftotext."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from core.clock import FixedClock
from gui.printing import run_handover_command
from tests.cli.test_status_infusion import seed_case
from tests.gui.test_printing import command, make_db, pdf_pages
from tests.scenario import patient


def flat(pages: list[str]) -> str:
    """The PDF's words in reading order with the layout's runs of spaces and line breaks made single spaces."""
    return re.sub(r"\s+", " ", " ".join(pages))


def handover_text(tmp_path: Path, tl, at, mrn: str = "A100") -> str:
    db = make_db(tmp_path / "ward.db", [(patient(mrn=mrn), tl)])
    out = tmp_path / "handover.pdf"
    assert run_handover_command(command(db, out, "--patient", mrn, "--at", at.isoformat()),
                                clock=FixedClock(at + timedelta(minutes=5))) == 0
    return flat(pdf_pages(out))


def test_seed_case_handover_carries_the_one_litre_boluses_and_the_rash_of_day_10(qapp, tmp_path):
    tl = seed_case()                        # grade 2 again at hour 218 (cycle day 10)
    tl.add(218, "fluid_bolus", volume_ml=1000)
    tl.add(219, "fluid_bolus", volume_ml=1000)
    tl.add(219, "symptom", minutes=10, name="rash", note="maculopapular, trunk")
    tl.add(219, "medication_given", minutes=20, drug="paracetamol", dose_mg=1000, purpose="crs_treatment")
    text = handover_text(tmp_path, tl, tl.at(220))
    assert "1000 mL bolus" in text and "(total 2000 mL)" in text
    assert "rash - maculopapular, trunk" in text
    assert "paracetamol 1000 mg for CRS" in text
    assert "Fluid boluses (24 h): none" not in text


def test_a_bolus_ticked_without_a_volume_is_not_printed_as_none(qapp, tmp_path):
    tl = seed_case()
    text = handover_text(tmp_path, tl, tl.at(219))
    assert "bolus (volume not recorded)" in text


def test_escalation_scenario_carries_who_was_called_the_response_and_observations_not_done(qapp, tmp_path):
    tl = seed_case()
    tl.add(218, "escalation", minutes=5, to="prescriber", response="attending", name="Dr Synthetic",
           acknowledges=["notify_prescriber", "interrupt_infusion"], note="will review in 10 min", by="nurse.a")
    tl.add(219, "observations_not_done", reason="refused", note="asleep after paracetamol, asked to be left")
    text = handover_text(tmp_path, tl, tl.at(219, 30))
    assert ("prescriber (Dr Synthetic) called about notify prescriber; interrupt infusion: attending - will review "
            "in 10 min") in text
    assert "Observations not done: patient refused - asleep after paracetamol, asked to be left" in text
    assert "Answered: prescriber (Dr Synthetic): attending, by nurse.a - will review in 10 min" in text
    # The prompts nobody answered are marked as such; the answered ones are not.
    assert "PENDING (not answered) NEWS2 6 (urgent threshold)" in text
    assert "PENDING (not answered) CRS grade 2: notify" not in text


def test_unanswered_prompts_are_printed_pending_and_escalated(qapp, tmp_path):
    tl = seed_case()
    text = handover_text(tmp_path, tl, tl.at(218, 20))
    assert "PENDING (not answered) Not acknowledged for 15 min" in text
    assert "tell the nurse in charge" in text
