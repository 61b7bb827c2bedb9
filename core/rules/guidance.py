"""What to do now, and why: management text for the CRS grade (the seed's table, RULES.md §0.1) and the
recommendations with the fixed codes of INTERFACE.md, each carrying the rule id that produced it (D3, D6).

The app recommends; it never orders (D6): every text is a prompt to the nurse or prescriber.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.handover_words import span_text
from core.protocol import Protocol
from core.rules.crs import FLAG_OTHER_CAUSES, CrsGrade
from core.rules.news2 import HIGH, LOW_MEDIUM, MEDIUM, News2

if TYPE_CHECKING:
    from core.rules.escalation import Acknowledgement

# The fixed vocabulary (INTERFACE.md). Add codes, never reuse one for another meaning.
INTERRUPT_INFUSION = "interrupt_infusion"
DISCONTINUE_PERMANENTLY = "discontinue_permanently"
DISCONTINUATION_REVIEW = "discontinuation_review"
NEW_CYCLE_REQUIRED = "new_cycle_required"
GIVE_PREMEDICATION = "give_premedication"
NOTIFY_PRESCRIBER = "notify_prescriber"
EMERGENCY_REVIEW = "emergency_review"
CONSIDER_ICU = "consider_icu"
INCREASE_OBSERVATIONS = "increase_observations"
RECORD_FIO2 = "record_fio2"
CONSIDER_OTHER_CAUSES = "consider_other_causes"
# Added codes.
STEP_UP_DUE = "step_up_due"
RECURRENCE_REVIEW = "recurrence_prescriber_review"
PREMEDICATION_TIMING = "premedication_timing"
CRP_UNRELIABLE = "crp_unreliable"
POSSIBLE_HLH = "possible_hlh"
BAG_CHANGE_DUE = "bag_change_due"
NEW_CYCLE_BOUNDARY = "new_cycle_boundary"
DOSE_MISMATCH = "dose_mismatch"
CYCLE_INFUSION_COMPLETE = "cycle_infusion_complete"
RESTART_ELIGIBLE = "restart_eligible"
#: INTERFACE.md Additions: a prompt pending past the protocol's ``[escalation] unacknowledged_minutes``.
ESCALATE_UNACKNOWLEDGED = "escalate_unacknowledged"

#: Order of urgency, most urgent first; recommendations are listed in this order.
CODE_ORDER = (
    ESCALATE_UNACKNOWLEDGED, DISCONTINUE_PERMANENTLY, EMERGENCY_REVIEW, CONSIDER_ICU, INTERRUPT_INFUSION,
    NOTIFY_PRESCRIBER, DISCONTINUATION_REVIEW, NEW_CYCLE_REQUIRED, NEW_CYCLE_BOUNDARY, RECURRENCE_REVIEW, DOSE_MISMATCH,
    GIVE_PREMEDICATION, PREMEDICATION_TIMING, STEP_UP_DUE, CYCLE_INFUSION_COMPLETE, RESTART_ELIGIBLE, POSSIBLE_HLH,
    CONSIDER_OTHER_CAUSES, RECORD_FIO2, CRP_UNRELIABLE, BAG_CHANGE_DUE, INCREASE_OBSERVATIONS,
)

#: Management shown to the nurse for each CRS grade: the seed's grading table (RULES.md §0.1).
MANAGEMENT = {
    0: "No CRS features: continue routine observations.",
    1: "Antipyretics, antihistamines, analgesics, maintenance IV fluids.",
    2: "IV fluid bolus to keep SBP >= 90 mmHg; oxygen to keep SpO2 > 90 %; consider steroids for high-risk "
       "patients (advanced age, cardiorespiratory disease).",
    3: "Consider ICU; fluids and oxygen to the grade-2 targets; low-dose pressor; steroids +/- tocilizumab.",
    4: "ICU; mechanical ventilation; multiple high-dose pressors; steroids +/- tocilizumab.",
    5: "Death attributed to CRS recorded by a clinician.",
}

# The label's dexamethasone regimen for CRS grade 3-4 (RULES.md §3.6, R-MOD-1): shown as text, never computed.
LABEL_DEXAMETHASONE_MG = 8.0
LABEL_DEXAMETHASONE_MG_M2 = 5.0
LABEL_DEXAMETHASONE_DAYS = 3
LABEL_TAPER_DAYS = 4

#: Differential diagnoses to list when CRS-like features appear (RULES.md §8, seed §3.8): code -> words.
DIFFERENTIAL_TEXT = {
    "sepsis": "sepsis or febrile neutropenia",
    "infusion_reaction": "infusion reaction",
    "capillary_leak": "capillary leak syndrome",
    "hlh_mas": "HLH/MAS/IEC-HS",
    "dic": "DIC",
    "tumour_lysis": "tumour lysis syndrome",
    "hypovolaemia_bleeding": "hypovolaemia or bleeding",
    "drug_transfusion_reaction": "drug or transfusion reaction",
    "adrenal_insufficiency": "adrenal insufficiency after steroids",
    "cardiac": "cardiac causes",
    "pulmonary_embolism": "pulmonary embolism",
    "disease_progression": "disease progression",
}
DIFFERENTIAL = tuple(DIFFERENTIAL_TEXT.values())


@dataclass(frozen=True)
class Recommendation:
    """One prompt: a code from the fixed vocabulary, its words, and the rule that produced it."""

    code: str
    text: str
    rule: str
    #: Who answered it (core/rules/escalation.py); ``None`` while pending or where nothing asks (``grade``).
    acknowledged: Acknowledgement | None = None
    #: When it arose (the fold's states have carried this code since then).
    since: datetime | None = None
    #: For ``escalate_unacknowledged``: the codes left pending too long.
    about: tuple[str, ...] = ()

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "rule": self.rule}


def dexamethasone_regimen_text(weight_kg: float | None, protocol: Protocol) -> str:
    """The label's dexamethasone regimen for CRS grade 3-4 (R-MOD-1, R-MOD-2), for the patient's weight band.

    Args:
        weight_kg: The patient's weight; ``None`` shows both bands.
        protocol: Gives the weight at which fixed dosing starts (R-DOSE-1).
    """
    limit = protocol.infusion.weight_fixed_dose_kg
    adult = f"{LABEL_DEXAMETHASONE_MG:g} mg"
    child = f"{LABEL_DEXAMETHASONE_MG_M2:g} mg/m2 (max {LABEL_DEXAMETHASONE_MG:g} mg)"
    course = (f"every 8 h IV/PO for up to {LABEL_DEXAMETHASONE_DAYS} days, then taper over "
              f"{LABEL_TAPER_DAYS} days")
    if weight_kg is None:
        return f"Label: dexamethasone {adult} ({limit:g} kg or more) or {child} (under {limit:g} kg) {course}."
    return f"Label: dexamethasone {adult if weight_kg >= limit else child} {course}."


def restart_text(weight_kg: float | None, protocol: Protocol) -> str:
    """The label's restart and step-up after CRS grade 3 resolves (R-MOD-1, R-MOD-6)."""
    i = protocol.infusion
    fixed = f"{i.restart_dose_mcg_per_day:g} mcg/day, step up to {i.full_dose_mcg_per_day:g} mcg/day"
    by_bsa = f"{i.restart_dose_mcg_m2_per_day:g} mcg/m2/day, step up to {i.full_dose_mcg_m2_per_day:g} mcg/m2/day"
    after = f"after {i.step_up_after_days:g} days without recurrence (prescriber to confirm)"
    limit = i.weight_fixed_dose_kg
    if weight_kg is None:
        dose = f"{fixed} ({limit:g} kg or more) or {by_bsa} (under {limit:g} kg)"
    else:
        dose = fixed if weight_kg >= limit else by_bsa
    return f"When CRS resolves, restart at {dose} {after}."


def crs_recommendations(
    crs: CrsGrade, protocol: Protocol, *, grade: int | None = None, infusion_running: bool | None = None,
    fio2_device_sets_it: bool = False, weight_kg: float | None = None,
) -> list[Recommendation]:
    """Recommendations for the displayed CRS grade under the protocol.

    Args:
        crs: The graded assessment.
        protocol: The ward protocol (interrupt and discontinue grades, D2).
        grade: The grade acted on, if a clinician overrode the computed one (D6); defaults to ``crs.grade``.
        infusion_running: ``False`` when the infusion is not running (no "interrupt" prompt); ``None`` if unknown.
        fio2_device_sets_it: The oxygen device sets an FiO2 the nurse can read (D5: ask for it).
        weight_kg: The patient's weight, for the label's dexamethasone and restart doses; ``None``: both bands.
    """
    g = crs.grade if grade is None else grade
    a = protocol.actions
    recs: list[Recommendation] = []
    scales_differ = crs.scales_differ and grade is None
    if g >= a.discontinue_crs_grade:
        if scales_differ:
            low, high = sorted((crs.astct.grade, crs.ctcae.grade))
            scale_hi = "CTCAE v5" if crs.ctcae.grade > crs.astct.grade else "ASTCT 2019"
            text = (f"CRS G{low} vs G{high} - prescriber decides: grade {high} on {scale_hi} only, and the protocol "
                    f"discontinues blinatumomab permanently at grade {a.discontinue_crs_grade}. Stop the infusion "
                    "and contact the prescriber now.")
        else:
            text = (f"CRS grade {g}: label: discontinue blinatumomab permanently (protocol: at grade "
                    f">= {a.discontinue_crs_grade}). Stop the infusion and contact the prescriber now.")
        recs.append(Recommendation(
            DISCONTINUE_PERMANENTLY, f"{text} {dexamethasone_regimen_text(weight_kg, protocol)}", "R-MOD-2"))
    if g >= a.interrupt_crs_grade and infusion_running is not False and g < a.discontinue_crs_grade:
        text = (f"CRS grade {g}: interrupt the blinatumomab infusion (protocol: interrupt at grade "
                f">= {a.interrupt_crs_grade}) and contact the prescriber.")
        if g >= 3:
            text += (f" {dexamethasone_regimen_text(weight_kg, protocol)} {restart_text(weight_kg, protocol)}")
        recs.append(Recommendation(INTERRUPT_INFUSION, text, "R-MOD-1" if g >= 3 else "D2"))
    if g >= a.emergency_crs_grade:
        recs.append(Recommendation(
            EMERGENCY_REVIEW, f"CRS grade {g}: emergency medical review now.", "R-MOD-1" if g == 3 else "R-MOD-2"))
        recs.append(Recommendation(CONSIDER_ICU, f"CRS grade {g}: consider ICU (seed table).", "D2"))
    if g >= 2:
        recs.append(Recommendation(NOTIFY_PRESCRIBER, f"CRS grade {g}: notify the prescriber now.", "D2"))
    elif g == 1:
        recs.append(Recommendation(
            INCREASE_OBSERVATIONS, "CRS grade 1 (fever): increase observations; antipyretics and supportive care; "
                                   "notify per local policy.", "R-AST-1"))
    if FLAG_OTHER_CAUSES in crs.flags:
        if g == 0:
            text = ("Hypotension/hypoxia without fever: consider other causes (sepsis, bleeding, cardiac, pulmonary "
                    "embolism) - not graded as CRS.")
        else:
            text = ("Hypotension/hypoxia without fever: ASTCT needs fever (no treatment for CRS yet in this "
                    "episode); consider other causes (sepsis, bleeding, cardiac, pulmonary embolism) as well.")
        recs.append(Recommendation(CONSIDER_OTHER_CAUSES, text, "R-AST-6"))
    if crs.ctcae.at_least and fio2_device_sets_it:
        recs.append(Recommendation(
            RECORD_FIO2, "Record the FiO2 set on the oxygen device: CTCAE can only say grade >= 2 without it.", "D5"))
    return recs


def news2_recommendations(score: News2) -> list[Recommendation]:
    """Clinical response to the NEWS2 trigger thresholds (RULES.md §4.2, NEWS2 chart 4).

    Nothing for an incomplete set (R-NEWS-1) or for a patient under 16 (NEWS2 does not apply).
    """
    if not score.complete:
        return []
    if score.risk == HIGH:
        return [
            Recommendation(
                EMERGENCY_REVIEW, f"NEWS2 {score.score}: inform the medical team immediately; emergency assessment by "
                                  "a critical-care-competent team; consider level 2/3 care.", "R-NEWS-2"),
            Recommendation(
                INCREASE_OBSERVATIONS, f"NEWS2 {score.score} (emergency threshold): continuous monitoring of vital "
                                       "signs.", "R-NEWS-2"),
        ]
    if score.risk == MEDIUM:
        return [
            Recommendation(
                NOTIFY_PRESCRIBER, f"NEWS2 {score.score}: inform the medical team immediately; urgent review by a "
                                   "clinician competent in acute illness; monitored environment.", "R-NEWS-2"),
            Recommendation(
                INCREASE_OBSERVATIONS, f"NEWS2 {score.score} (urgent threshold): observations at least hourly.",
                "R-NEWS-2"),
        ]
    if score.risk == LOW_MEDIUM:
        return [
            Recommendation(
                NOTIFY_PRESCRIBER, f"NEWS2 {score.score} with a red parameter (score 3): inform the medical team, "
                                   "who review and decide on escalation.", "R-NEWS-2"),
            Recommendation(
                INCREASE_OBSERVATIONS, f"NEWS2 {score.score} with a red parameter: observations at least hourly.",
                "R-NEWS-2"),
        ]
    return []


def icans_recommendations(grade: int | None, seizures: int, protocol: Protocol, *,
                          infusion_running: bool | None = None) -> list[Recommendation]:
    """Neurotoxicity prompts (R-MOD-3, R-MOD-4, R-ICN-6)."""
    recs: list[Recommendation] = []
    n = protocol.neuro
    if seizures >= n.seizures_discontinue:
        recs.append(Recommendation(
            DISCONTINUE_PERMANENTLY, f"Seizure number {seizures} in this course: the label discontinues "
                                     "blinatumomab permanently. Contact the prescriber now.", "R-ICN-6"))
    if grade is None:
        return recs
    if grade >= n.discontinue_icans_grade:
        recs.append(Recommendation(
            DISCONTINUE_PERMANENTLY, f"ICANS grade {grade}: the label discontinues blinatumomab permanently. "
                                     "Contact the prescriber now.", "R-MOD-4"))
    elif grade >= n.interrupt_icans_grade and infusion_running is not False:
        recs.append(Recommendation(
            INTERRUPT_INFUSION, f"ICANS grade {grade}: withhold blinatumomab until grade <= 1 for at least "
                                f"{span_text(protocol.infusion.neuro_restart_after_minutes)} "
                                "(label); contact the prescriber.", "R-MOD-3"))
    if grade >= 3:
        recs.append(Recommendation(EMERGENCY_REVIEW, f"ICANS grade {grade}: urgent medical review.", "R-MOD-3"))
    elif grade >= 1:
        recs.append(Recommendation(
            NOTIFY_PRESCRIBER, f"ICANS grade {grade}: notify the prescriber; repeat ICE assessment.", "R-ICN-5"))
    return recs


def assessment_recommendations(
    crs: CrsGrade, score: News2, protocol: Protocol, *, grade: int | None = None, infusion_running: bool | None = None,
    fio2_device_sets_it: bool = False, weight_kg: float | None = None,
) -> list[Recommendation]:
    """The prompts of one assessment, its CRS grade (:func:`crs_recommendations`, same arguments) and its NEWS2
    (:func:`news2_recommendations`): the one path the fold and the ``grade`` command both take."""
    return crs_recommendations(crs, protocol, grade=grade, infusion_running=infusion_running,
                               fio2_device_sets_it=fio2_device_sets_it, weight_kg=weight_kg) \
        + news2_recommendations(score)


def differential(crs_grade: int, crs_flags: Sequence[str], lab_flags: Sequence[str] = ()) -> tuple[str, ...]:
    """RULES.md §8: the differential diagnoses (codes of :data:`DIFFERENTIAL_TEXT`) to list when CRS-like features
    appear: a CRS grade, hypotension/hypoxia without fever (R-AST-6), a CRP masked by tocilizumab (sepsis hides
    behind it, R-LAB-1) or possible HLH (R-LAB-2)."""
    if crs_grade >= 1 or FLAG_OTHER_CAUSES in crs_flags or lab_flags:
        return tuple(DIFFERENTIAL_TEXT)
    return ()


def merge(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Keep the first recommendation of each code, ordered by urgency."""
    seen: dict[str, Recommendation] = {}
    for rec in recommendations:
        seen.setdefault(rec.code, rec)
    order = {code: index for index, code in enumerate(CODE_ORDER)}
    return sorted(seen.values(), key=lambda rec: order.get(rec.code, len(order)))
