"""What to do now, and why: management text for the CRS grade (the seed's table, RULES.md §0.1) and the
recommendations with the fixed codes of INTERFACE.md, each carrying the rule id that produced it (D3, D6).

The app recommends; it never orders (D6): every text is a prompt to the nurse or prescriber.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.protocol import Protocol
from core.rule_word_tables import DIFFERENTIAL as DIFFERENTIAL_WORDS
from core.rule_words import Sentence
from core.rules import neuro_label
from core.rules.codes import RecommendationCode
from core.rules.crs import FLAG_OTHER_CAUSES, CrsGrade
from core.rules.news2 import HIGH, LOW_MEDIUM, MEDIUM, News2
from core.rules.recommendation import Recommendation as Recommendation  # re-exported: the name the rules and gui use

# The fixed vocabulary (INTERFACE.md) as core/rules/codes.py's StrEnum; the names the rules have always used.
INTERRUPT_INFUSION = RecommendationCode.INTERRUPT_INFUSION
DISCONTINUE_PERMANENTLY = RecommendationCode.DISCONTINUE_PERMANENTLY
DISCONTINUATION_REVIEW = RecommendationCode.DISCONTINUATION_REVIEW
NEW_CYCLE_REQUIRED = RecommendationCode.NEW_CYCLE_REQUIRED
GIVE_PREMEDICATION = RecommendationCode.GIVE_PREMEDICATION
NOTIFY_PRESCRIBER = RecommendationCode.NOTIFY_PRESCRIBER
EMERGENCY_REVIEW = RecommendationCode.EMERGENCY_REVIEW
CONSIDER_ICU = RecommendationCode.CONSIDER_ICU
INCREASE_OBSERVATIONS = RecommendationCode.INCREASE_OBSERVATIONS
RECORD_FIO2 = RecommendationCode.RECORD_FIO2
CONSIDER_OTHER_CAUSES = RecommendationCode.CONSIDER_OTHER_CAUSES
STEP_UP_DUE = RecommendationCode.STEP_UP_DUE
RECURRENCE_REVIEW = RecommendationCode.RECURRENCE_REVIEW
PREMEDICATION_TIMING = RecommendationCode.PREMEDICATION_TIMING
CRP_UNRELIABLE = RecommendationCode.CRP_UNRELIABLE
POSSIBLE_HLH = RecommendationCode.POSSIBLE_HLH
BAG_CHANGE_DUE = RecommendationCode.BAG_CHANGE_DUE
NEW_CYCLE_BOUNDARY = RecommendationCode.NEW_CYCLE_BOUNDARY
DOSE_MISMATCH = RecommendationCode.DOSE_MISMATCH
CYCLE_INFUSION_COMPLETE = RecommendationCode.CYCLE_INFUSION_COMPLETE
RESTART_ELIGIBLE = RecommendationCode.RESTART_ELIGIBLE
ESCALATE_UNACKNOWLEDGED = RecommendationCode.ESCALATE_UNACKNOWLEDGED

#: Order of urgency, most urgent first; recommendations are listed in this order.
CODE_ORDER = (
    ESCALATE_UNACKNOWLEDGED, DISCONTINUE_PERMANENTLY, EMERGENCY_REVIEW, CONSIDER_ICU, INTERRUPT_INFUSION,
    NOTIFY_PRESCRIBER, DISCONTINUATION_REVIEW, NEW_CYCLE_REQUIRED, NEW_CYCLE_BOUNDARY, RECURRENCE_REVIEW, DOSE_MISMATCH,
    GIVE_PREMEDICATION, PREMEDICATION_TIMING, STEP_UP_DUE, CYCLE_INFUSION_COMPLETE, RESTART_ELIGIBLE, POSSIBLE_HLH,
    CONSIDER_OTHER_CAUSES, RECORD_FIO2, CRP_UNRELIABLE, BAG_CHANGE_DUE, INCREASE_OBSERVATIONS,
)

# The label's dexamethasone regimen for CRS grade 3-4 (RULES.md §3.6, R-MOD-1): shown as text, never computed.
LABEL_DEXAMETHASONE_MG = 8.0
LABEL_DEXAMETHASONE_MG_M2 = 5.0
LABEL_DEXAMETHASONE_EVERY_H = 8
LABEL_DEXAMETHASONE_DAYS = 3
LABEL_TAPER_DAYS = 4

#: Differential diagnoses to list when CRS-like features appear (RULES.md §8, seed §3.8): code -> English words
#: (every language in core/rule_word_tables.py).
DIFFERENTIAL_TEXT = DIFFERENTIAL_WORDS["en"]
DIFFERENTIAL = tuple(DIFFERENTIAL_TEXT.values())


def dexamethasone_regimen(weight_kg: float | None, protocol: Protocol) -> Sentence:
    """The label's dexamethasone regimen for CRS grade 3-4 (R-MOD-1, R-MOD-2), for the patient's weight band.

    Args:
        weight_kg: The patient's weight; ``None`` shows both bands.
        protocol: Gives the weight at which fixed dosing starts (R-DOSE-1).
    """
    limit = protocol.infusion.weight_fixed_dose_kg
    band = "both" if weight_kg is None else "adult" if weight_kg >= limit else "child"
    return Sentence.of(f"dexamethasone_{band}", mg=LABEL_DEXAMETHASONE_MG, mg_m2=LABEL_DEXAMETHASONE_MG_M2,
                       limit_kg=limit, every_h=LABEL_DEXAMETHASONE_EVERY_H, days=LABEL_DEXAMETHASONE_DAYS,
                       taper_days=LABEL_TAPER_DAYS)


def restart(weight_kg: float | None, protocol: Protocol) -> Sentence:
    """The label's restart and step-up after CRS grade 3 resolves (R-MOD-1, R-MOD-6)."""
    i = protocol.infusion
    limit = i.weight_fixed_dose_kg
    band = "both" if weight_kg is None else "fixed" if weight_kg >= limit else "bsa"
    return Sentence.of(f"restart_{band}", dose=i.restart_dose_mcg_per_day, full=i.full_dose_mcg_per_day,
                       dose_m2=i.restart_dose_mcg_m2_per_day, full_m2=i.full_dose_mcg_m2_per_day, limit_kg=limit,
                       step_up_days=i.step_up_after_days)


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
        dexamethasone = dexamethasone_regimen(weight_kg, protocol)
        if scales_differ:
            low, high = sorted((crs.astct.grade, crs.ctcae.grade))
            scale_hi = "CTCAE v5" if crs.ctcae.grade > crs.astct.grade else "ASTCT 2019"
            words = Sentence.of("crs_discontinue_scales_differ", low=low, high=high, scale=scale_hi,
                                discontinue_grade=a.discontinue_crs_grade, dexamethasone=dexamethasone)
        else:
            words = Sentence.of("crs_discontinue", grade=g, discontinue_grade=a.discontinue_crs_grade,
                                dexamethasone=dexamethasone)
        recs.append(Recommendation(DISCONTINUE_PERMANENTLY, words, "R-MOD-2"))
    if g >= a.interrupt_crs_grade and infusion_running is not False and g < a.discontinue_crs_grade:
        if g >= 3:
            words = Sentence.of("crs_interrupt_severe", grade=g, interrupt_grade=a.interrupt_crs_grade,
                                dexamethasone=dexamethasone_regimen(weight_kg, protocol),
                                restart=restart(weight_kg, protocol))
        else:
            words = Sentence.of("crs_interrupt", grade=g, interrupt_grade=a.interrupt_crs_grade)
        recs.append(Recommendation(INTERRUPT_INFUSION, words, "R-MOD-1" if g >= 3 else "D2"))
    if g >= a.emergency_crs_grade:
        recs.append(Recommendation(EMERGENCY_REVIEW, Sentence.of("crs_emergency_review", grade=g),
                                   "R-MOD-1" if g == 3 else "R-MOD-2"))
        recs.append(Recommendation(CONSIDER_ICU, Sentence.of("crs_consider_icu", grade=g), "D2"))
    if g >= 2:
        recs.append(Recommendation(NOTIFY_PRESCRIBER, Sentence.of("crs_notify", grade=g), "D2"))
    elif g == 1:
        recs.append(Recommendation(INCREASE_OBSERVATIONS, Sentence.of("crs_fever", grade=g), "R-AST-1"))
    if FLAG_OTHER_CAUSES in crs.flags:
        key = "other_causes_not_graded" if g == 0 else "other_causes_graded"
        recs.append(Recommendation(CONSIDER_OTHER_CAUSES, Sentence.of(key), "R-AST-6"))
    if crs.ctcae.at_least and fio2_device_sets_it:
        recs.append(Recommendation(RECORD_FIO2, Sentence.of("record_fio2"), "D5"))
    return recs


def news2_recommendations(score: News2) -> list[Recommendation]:
    """Clinical response to the NEWS2 trigger thresholds (RULES.md §4.2, NEWS2 chart 4).

    Nothing for an incomplete set (R-NEWS-1) or for a patient under 16 (NEWS2 does not apply).
    """
    if not score.complete:
        return []
    keys = {HIGH: ("news2_high_review", "news2_high_observe"), MEDIUM: ("news2_medium_notify", "news2_medium_observe"),
            LOW_MEDIUM: ("news2_red_notify", "news2_red_observe")}.get(score.risk or "")
    if keys is None:
        return []
    first = EMERGENCY_REVIEW if score.risk == HIGH else NOTIFY_PRESCRIBER
    return [Recommendation(first, Sentence.of(keys[0], score=score.score), "R-NEWS-2"),
            Recommendation(INCREASE_OBSERVATIONS, Sentence.of(keys[1], score=score.score), "R-NEWS-2")]


def icans_recommendations(grade: int | None, seizures: int, protocol: Protocol, *,
                          infusion_running: bool | None = None) -> list[Recommendation]:
    """Neurotoxicity prompts (R-ICN-5, R-ICN-6; R-MOD-4's discontinuation and R-MOD-3's withhold and urgent review
    decided in core/rules/neuro_label.py)."""
    recs: list[Recommendation] = []
    n = protocol.neuro
    if seizures >= n.seizures_discontinue:
        recs.append(Recommendation(DISCONTINUE_PERMANENTLY, Sentence.of("seizure_discontinue", seizures=seizures),
                                   "R-ICN-6"))
    if grade is None:
        return recs
    if neuro_label.icans_discontinues(grade, protocol):
        recs.append(Recommendation(DISCONTINUE_PERMANENTLY, Sentence.of("icans_discontinue", grade=grade), "R-MOD-4"))
    elif neuro_label.icans_withholds(grade, protocol) and infusion_running is not False:
        recs.append(neuro_label.withhold_prompt(grade, protocol))  # R-MOD-3
    review = neuro_label.urgent_review(grade)  # R-MOD-3
    if review is not None:
        recs.append(review)
    elif grade >= 1:
        recs.append(Recommendation(NOTIFY_PRESCRIBER, Sentence.of("icans_notify", grade=grade), "R-ICN-5"))
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
