"""The label's neurological-toxicity rule, R-MOD-3, in one place (RULES.md §3.6; vignettes V22-V24): ICANS grade >= 3
withholds blinatumomab until grade <= 1 has lasted 3 days, then it restarts at the reduced dose; it is discontinued
permanently when the onset came at the restart dose or resolution to grade <= 1 took more than 7 days. The grades and
spans are the protocol's (``neuro.interrupt_icans_grade``, ``infusion.neuro_restart_after_minutes``,
``infusion.neuro_resolution_limit_minutes``, ``infusion.dose_tolerance_percent``).

- :func:`icans_withholds`: the one comparison "this ICANS grade withholds the infusion", used by the withhold prompt
  (core/rules/guidance.py ``icans_recommendations``), the infusion guard (core/rules/guard.py) and the event's onset;
- :func:`icans_discontinues`: R-MOD-4's one comparison, "this ICANS grade discontinues" (the grade now, in
  ``icans_recommendations``, and the highest of the course, in :func:`neuro_label_recommendations`);
- :func:`neuro_level`: where a grade stands (withholds, not resolved, resolved), for the tracker's facts
  (core/regimen.py ``InfusionTracker.note_icans_grade``, fed by the fold);
- :func:`neuro_hold`: the decision at a moment from the event's facts, the dosing and the protocol (a
  ``NeuroHold``, published in ``InfusionState.neuro`` and the ``status`` JSON's ``neuro`` block);
- :func:`withhold_prompt`, :func:`urgent_review` and :func:`neuro_label_recommendations`: the prompts (the last also
  R-MOD-4's discontinuation when the course reached grade 4, which reads the same event).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.protocol import Protocol
from core.regimen import DISCONTINUED, HELD, Dosing, InfusionState, NeuroEvent, NeuroHold, NeuroLevel, minutes_between
from core.rule_words import Sentence
from core.rules.codes import RecommendationCode
from core.rules.recommendation import Recommendation

#: The label's "resolved": ICANS grade <= 1 (R-MOD-3).
RESOLVED_GRADE = 1
#: The ICANS grade from which the label's neurological rule asks for an urgent medical review (R-MOD-3, "Neuro G3").
URGENT_REVIEW_GRADE = 3


def icans_withholds(grade: int | None, protocol: Protocol) -> bool:
    """R-MOD-3: an ICANS grade at or above the protocol's ``neuro.interrupt_icans_grade`` withholds the infusion."""
    return grade is not None and grade >= protocol.neuro.interrupt_icans_grade


def icans_discontinues(grade: int | None, protocol: Protocol) -> bool:
    """R-MOD-4: an ICANS grade at or above the protocol's ``neuro.discontinue_icans_grade`` (the label's 4) discontinues
    blinatumomab permanently: the grade assessed now, or the highest the course reached (kept after it falls)."""
    return grade is not None and grade >= protocol.neuro.discontinue_icans_grade


def neuro_level(grade: int, protocol: Protocol) -> NeuroLevel:
    """Where an assessed ICANS grade stands in R-MOD-3: it withholds the infusion (and opens an event), is above
    grade 1 (not resolved), or is at grade <= 1 (resolved)."""
    if icans_withholds(grade, protocol):
        return NeuroLevel.WITHHOLD
    return NeuroLevel.RESOLVED if grade <= RESOLVED_GRADE else NeuroLevel.UNRESOLVED


def neuro_hold(event: NeuroEvent | None, dosing: Dosing, protocol: Protocol, at: datetime) -> NeuroHold | None:
    """R-MOD-3 at ``at``: discontinue when the onset came at the restart dose (within the protocol's dose tolerance)
    or resolution takes > 7 days; otherwise restart is eligible after 3 days at grade <= 1."""
    if event is None:
        return None
    i = protocol.infusion
    tolerance = dosing.reduced_mcg_per_day * i.dose_tolerance_percent / 100
    at_restart_dose = event.dose_at_onset is not None and event.dose_at_onset <= dosing.reduced_mcg_per_day + tolerance
    took = minutes_between(event.onset, event.resolved_at or at)
    too_long = took > i.neuro_resolution_limit_minutes
    eligible = None
    if event.low_since is not None and not (at_restart_dose or too_long):
        eligible = event.low_since + timedelta(minutes=i.neuro_restart_after_minutes)
    return NeuroHold(event, at_restart_dose, too_long, eligible)


def withhold_prompt(grade: int, protocol: Protocol) -> Recommendation:
    """R-MOD-3: withhold blinatumomab until grade <= 1 for the protocol's restart span (for a grade that
    :func:`icans_withholds`)."""
    return Recommendation(RecommendationCode.INTERRUPT_INFUSION, Sentence.of(
        "icans_interrupt", grade=grade, span_restart=protocol.infusion.neuro_restart_after_minutes), "R-MOD-3")


def urgent_review(grade: int) -> Recommendation | None:
    """R-MOD-3: an urgent medical review from ICANS grade 3 (``None`` below it)."""
    if grade < URGENT_REVIEW_GRADE:
        return None
    return Recommendation(RecommendationCode.EMERGENCY_REVIEW, Sentence.of("icans_emergency_review", grade=grade),
                          "R-MOD-3")


def neuro_label_recommendations(inf: InfusionState, at: datetime, protocol: Protocol) -> list[Recommendation]:
    """Neurological toxicity (label): R-MOD-3 discontinue when grade >= 3 began at the restart dose or took more
    than 7 days to resolve, otherwise restart eligible after 3 days at grade <= 1; R-MOD-4 grade 4 -> discontinue
    (kept after the grade falls)."""
    neuro = inf.neuro
    if neuro is None or inf.state == DISCONTINUED:
        return []
    i = protocol.infusion
    discontinue = RecommendationCode.DISCONTINUE_PERMANENTLY
    recs = []
    if icans_discontinues(neuro.max_grade, protocol):
        recs.append(Recommendation(discontinue, Sentence.of("icans_course_discontinue", grade=neuro.max_grade),
                                   "R-MOD-4"))
    # the neurological event opens at the protocol's interrupt grade (icans_withholds)
    onset_grade = protocol.neuro.interrupt_icans_grade
    if neuro.at_restart_dose:
        recs.append(Recommendation(discontinue, Sentence.of(
            "icans_restart_dose_discontinue", grade=onset_grade, dose=neuro.dose_at_onset), "R-MOD-3"))
    if neuro.resolution_too_long:
        recs.append(Recommendation(discontinue, Sentence.of(
            "icans_slow_resolution_discontinue", grade=onset_grade, span_limit=i.neuro_resolution_limit_minutes),
            "R-MOD-3"))
    if neuro.restart_eligible_at is not None and inf.state == HELD and at >= neuro.restart_eligible_at:
        recs.append(Recommendation(RecommendationCode.RESTART_ELIGIBLE, Sentence.of(
            "icans_restart_eligible", span_restart=i.neuro_restart_after_minutes, dose=inf.restart_dose_mcg_per_day),
            "R-MOD-3"))
    return recs
