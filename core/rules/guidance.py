"""What to do now, and why: management text for the CRS grade (the seed's table, RULES.md §0.1) and the
recommendations with the fixed codes of INTERFACE.md, each carrying the rule id that produced it (D3, D6).

The app recommends; it never orders (D6): every text is a prompt to the nurse or prescriber.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.protocol import Protocol
from core.rules.crs import FLAG_OTHER_CAUSES, CrsGrade
from core.rules.news2 import HIGH, LOW_MEDIUM, MEDIUM, News2

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

#: Order of urgency, most urgent first; recommendations are listed in this order.
CODE_ORDER = (
    DISCONTINUE_PERMANENTLY, EMERGENCY_REVIEW, CONSIDER_ICU, INTERRUPT_INFUSION, NOTIFY_PRESCRIBER,
    DISCONTINUATION_REVIEW, NEW_CYCLE_REQUIRED, NEW_CYCLE_BOUNDARY, RECURRENCE_REVIEW, DOSE_MISMATCH,
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

#: Differential diagnoses to keep in mind when CRS-like features appear (RULES.md §8, seed §3.8).
DIFFERENTIAL = (
    "sepsis or febrile neutropenia", "infusion reaction", "capillary leak syndrome", "HLH/MAS/IEC-HS", "DIC",
    "tumour lysis syndrome", "hypovolaemia or bleeding", "drug or transfusion reaction",
    "adrenal insufficiency after steroids", "cardiac causes", "pulmonary embolism", "disease progression",
)


@dataclass(frozen=True)
class Recommendation:
    """One prompt: a code from the fixed vocabulary, its words, and the rule that produced it."""

    code: str
    text: str
    rule: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "rule": self.rule}


def crs_recommendations(
    crs: CrsGrade, protocol: Protocol, *, grade: int | None = None, infusion_running: bool | None = None,
    fio2_device_sets_it: bool = False,
) -> list[Recommendation]:
    """Recommendations for the displayed CRS grade under the protocol.

    Args:
        crs: The graded assessment.
        protocol: The ward protocol (interrupt and discontinue grades, D2).
        grade: The grade acted on, if a clinician overrode the computed one (D6); defaults to ``crs.grade``.
        infusion_running: ``False`` when the infusion is not running (no "interrupt" prompt); ``None`` if unknown.
        fio2_device_sets_it: The oxygen device sets an FiO2 the nurse can read (D5: ask for it).
    """
    g = crs.grade if grade is None else grade
    a = protocol.actions
    recs: list[Recommendation] = []
    if g >= a.discontinue_crs_grade:
        if crs.scales_differ and grade is None:
            low, high = sorted((crs.astct.grade, crs.ctcae.grade))
            scale_hi = "CTCAE v5" if crs.ctcae.grade > crs.astct.grade else "ASTCT 2019"
            text = (f"CRS grade {high} on {scale_hi} only (the other scale says grade {low}): the protocol "
                    f"discontinues blinatumomab permanently at grade {a.discontinue_crs_grade}. The scales differ "
                    f"(G{low} vs G{high}) - the prescriber decides. Contact the prescriber now.")
        else:
            text = (f"CRS grade {g}: the protocol discontinues blinatumomab permanently. Stop the infusion and "
                    "contact the prescriber now; corticosteroids per prescriber.")
        recs.append(Recommendation(DISCONTINUE_PERMANENTLY, text, "D2"))
    if g >= a.interrupt_crs_grade and infusion_running is not False and g < a.discontinue_crs_grade:
        recs.append(Recommendation(
            INTERRUPT_INFUSION,
            f"CRS grade {g}: interrupt the blinatumomab infusion (protocol: interrupt at grade "
            f">= {a.interrupt_crs_grade}) and contact the prescriber.", "D2"))
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
        recs.append(Recommendation(
            CONSIDER_OTHER_CAUSES, "Hypotension/hypoxia without fever: consider other causes (sepsis, bleeding, "
                                   "cardiac, pulmonary embolism) - not graded as CRS.", "R-AST-6"))
    if crs.ctcae.at_least and fio2_device_sets_it:
        recs.append(Recommendation(
            RECORD_FIO2, "Record the FiO2 set on the oxygen device: CTCAE can only say grade >= 2 without it.", "D5"))
    return recs


def news2_recommendations(score: News2) -> list[Recommendation]:
    """Clinical response to the NEWS2 trigger thresholds (RULES.md §4.2)."""
    if not score.complete:
        return []
    if score.risk == HIGH:
        return [Recommendation(
            EMERGENCY_REVIEW, f"NEWS2 {score.score}: emergency assessment by a critical-care-competent team; "
                              "continuous monitoring; consider level 2/3 care.", "R-NEWS-2")]
    if score.risk == MEDIUM:
        return [Recommendation(
            NOTIFY_PRESCRIBER, f"NEWS2 {score.score}: inform the medical team immediately; urgent clinical review; "
                               "at least hourly observations.", "R-NEWS-2")]
    if score.risk == LOW_MEDIUM:
        return [Recommendation(
            NOTIFY_PRESCRIBER, f"NEWS2 {score.score} with a red parameter (score 3): inform the medical team; "
                               "at least hourly observations.", "R-NEWS-2")]
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
            INTERRUPT_INFUSION, f"ICANS grade {grade}: withhold blinatumomab until grade <= 1 for at least 3 days "
                                "(label); contact the prescriber.", "R-MOD-3"))
    if grade >= 3:
        recs.append(Recommendation(EMERGENCY_REVIEW, f"ICANS grade {grade}: urgent medical review.", "R-MOD-3"))
    elif grade >= 1:
        recs.append(Recommendation(
            NOTIFY_PRESCRIBER, f"ICANS grade {grade}: notify the prescriber; repeat ICE assessment.", "R-ICN-5"))
    return recs


def merge(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Keep the first recommendation of each code, ordered by urgency."""
    seen: dict[str, Recommendation] = {}
    for rec in recommendations:
        seen.setdefault(rec.code, rec)
    order = {code: index for index, code in enumerate(CODE_ORDER)}
    return sorted(seen.values(), key=lambda rec: order.get(rec.code, len(order)))
