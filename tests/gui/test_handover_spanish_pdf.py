"""`crs-bedside handover --language es`: the sentences core builds (actions, prompts, contingencies, flags, the
round, the infusion and its hold clocks, the trend strip and the page frame) are printed in Spanish, with the
protocol's numbers; no English sentence of the same handover in English is left (read back with pdftotext)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.clock import FixedClock
from core.handover_words import NAMES, WORDS
from core.rule_word_tables import SENTENCES
from gui.printing import run_handover_command
from tests.cli.test_status_infusion import seed_case
from tests.gui.test_printing import command, make_db, pdf_pages
from tests.scenario import patient


def _scenario():
    """The seed case (grade 2 again at hour 218, cycle day 10) with a bolus, paracetamol for CRS, an escalation that
    answers two prompts, the infusion held again and observations not done."""
    tl = seed_case()
    tl.add(218, "fluid_bolus", volume_ml=1000)
    tl.add(218, "medication_given", minutes=2, drug="paracetamol", dose_mg=1000, purpose="crs_treatment")
    tl.add(218, "escalation", minutes=5, to="prescriber", response="attending", name="Dr Synthetic",
           acknowledges=["notify_prescriber", "interrupt_infusion"], note="will review", by="nurse.a")
    tl.add(218, "infusion_stopped", minutes=10, reason="crs")
    tl.add(219, "observations_not_done", reason="refused")
    return tl


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, qapp) -> dict[str, str]:
    """The same handover in English and in Spanish, as flat text (runs of spaces and line breaks made one space)."""
    tmp = tmp_path_factory.mktemp("spanish")
    tl = _scenario()
    at = tl.at(220)
    texts = {}
    for language in ("en", "es"):
        db = make_db(tmp / f"ward-{language}.db", [(patient(), tl)])
        out = tmp / f"handover-{language}.pdf"
        assert run_handover_command(command(db, out, "--patient", "A100", "--at", at.isoformat(), "--language",
                                            language), clock=FixedClock(at + timedelta(minutes=5))) == 0
        texts[language] = re.sub(r"\s+", " ", " ".join(pdf_pages(out)))
    return texts


@pytest.mark.parametrize("sentence", [
    # the round
    "19 ene 16:02 paracetamol 1000 mg para el SLC",
    "prescriptor (Dr Synthetic), avisado por: avisar al prescriptor; interrumpir la infusión; respuesta:",
    "19 ene 17:00 Controles no realizados: el paciente se niega",
    # the actions: prompts, the answer, the timed lines with the protocol's hold limits
    # the prompts: the rule's full sentence with its figures (core/rule_words.py), as in English
    "PENDIENTE (sin respuesta) Sin respuesta en 15 min (2 avisos pendientes): avise a la enfermera",
    "SLC grado 2: avise ya al prescriptor.",
    "SLC recurrente de grado >= 2 (2 episodios en este tratamiento): valore",
    "NEWS2 6 (umbral urgente): constantes al menos cada hora.",
    "Respondido: prescriptor (Dr Synthetic): acude, por nurse.a - will review",
    "Controles cada 15 min (NEWS2 / grado de SLC) - ATRASADO",
    "26 ene 16:10 Límite de interrupción de 7 días: un reinicio posterior inicia un ciclo nuevo",
    "02 feb 16:10 Límite de interrupción de 14 días: revisar la suspensión",
    # contingencies
    "NEWS2 >= 5, o un parámetro con 3 puntos",
    "ICE 6 o menos, o solo despierta con la voz",
    "El prescriptor ordena reiniciar",
    "hace falta premedicación si el reinicio es a partir de 19 ene 20:10",
    # the flag, the circulation, the infusion and its hold clocks
    "SLC recurrente de grado >= 2 en este tratamiento (R-AST-9)",
    "Bolos de líquidos (24 h): bolo de 1000 mL 19 ene 16:00",
    "INTERRUMPIDA · ciclo 1 día 10 · 9 mcg/día",
    "Interrumpida desde hace 1 h 50 min (SLC). Límite de 7 días 26 ene 16:10 (dentro de 6 d 22 h): un reinicio",
    "Límite de 14 días 02 feb 16:10 (dentro de 13 d 22 h): revisar la suspensión (D2).",
    "última: dexametasona 20 mg 18 ene 16:00",
    # the severity, the trend strip and the page frame
    "Sugerida por la aplicación (SLC grado 2, NEWS2 6). Vigilar: SLC o ICANS >= G1 o NEWS2 >= 5;",
    "Grado de SLC", "Últimas 24 h", "Página 1 de 2",
    "CRS Bedside es ayuda a la decisión, no una orden: avisos para enfermería y para el prescriptor;",
])
def test_the_spanish_handover_prints_these_sentences(pdfs, sentence):
    assert sentence in pdfs["es"]


@pytest.mark.parametrize("sentence", [
    "Observations not done: patient refused",
    "26 Jan 16:10 7-day hold limit: a restart after this starts a new cycle",
    "recurrent CRS of grade >= 2 this course (R-AST-9)",
    "HELD · cycle 1 day 10 · 9 mcg/day",
    "Page 1 of 2",
])
def test_the_english_handover_keeps_its_sentences(pdfs, sentence):
    assert sentence in pdfs["en"]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]{3,}", text)}


def test_no_english_word_of_the_english_handover_is_left_in_the_spanish_one(pdfs):
    """Every word of three letters or more that the English handover prints and the Spanish one prints too is a
    Spanish word of the catalogue, or one of these: the patient's name and the nurse's notes as typed, the protocol's
    own name, rule ids, month names shared by both languages and the unit names."""
    spanish = set()
    for text in WORDS["es"].values():
        spanish |= _words(text)
    for table in NAMES["es"].values():
        for text in table.values():
            spanish |= _words(text)
    for text in SENTENCES["es"].values():                                  # the rules' words (core/rule_words.py)
        spanish |= _words(text)
    left = (_words(pdfs["es"]) & _words(pdfs["en"])) - spanish
    assert left == {
        "test", "patient", "synthetic", "nurse", "will", "review",             # as typed: name, escalation note, user
        "default", "ward", "protocol", "seed", "case", "report",              # the protocol file's own name
        "ctc", "icn", "obs", "premed", "escalation",   # rule ids (R-CTC-1, "protocol escalation")
        "feb", "mar", "acvpu", "utc"}                                          # months shared by both, scale, offset
