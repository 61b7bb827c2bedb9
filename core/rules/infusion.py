"""The infusion's prompts (RULES.md §3): what the derived infusion state (core/regimen.py, ``InfusionState``) asks
of the nurse and the prescriber now. Pure functions of that state, the moment and the protocol.

- :func:`neuro_label_recommendations`: the label's neurological-toxicity rules on the course (R-MOD-3, R-MOD-4);
- :func:`infusion_recommendations`: holds and new cycles (D2, R-INT-2, R-INT-3, R-MOD-5), premedication (D2,
  R-PREMED-3), step-up (R-MOD-6), dose mismatch (R-DOSE-3), the cycle's end and bag changes (R-BAG-1);
- :func:`course_status`: the course as the prescriber must see it (R-MOD-2).

The holds, clocks and doses themselves are worked out by ``core.regimen.InfusionTracker``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.handover_words import limit_text, premed_event_text, span_text
from core.protocol import Protocol
from core.regimen import COMPLETED, DISCONTINUED, HELD, PREMED_RESTART, RUNNING, InfusionState
from core.rules import guidance
from core.rules.guidance import Recommendation


def neuro_label_recommendations(inf: InfusionState, at: datetime, protocol: Protocol) -> list[Recommendation]:
    """Neurological toxicity (label): R-MOD-3 discontinue when grade >= 3 began at the restart dose or took more
    than 7 days to resolve, otherwise restart eligible after 3 days at grade <= 1; R-MOD-4 grade 4 -> discontinue
    (kept after the grade falls)."""
    neuro = inf.neuro
    if neuro is None or inf.state == DISCONTINUED:
        return []
    i = protocol.infusion
    recs = []
    if neuro.max_grade >= protocol.neuro.discontinue_icans_grade:
        recs.append(Recommendation(
            guidance.DISCONTINUE_PERMANENTLY, f"ICANS reached grade {neuro.max_grade} in this course: the label "
                                              "discontinues blinatumomab permanently (prescriber confirms).",
            "R-MOD-4"))
    if neuro.at_restart_dose:
        recs.append(Recommendation(
            guidance.DISCONTINUE_PERMANENTLY, f"ICANS grade >= 3 began at {neuro.dose_at_onset:g} mcg/day (the "
                                              "restart dose): the label discontinues blinatumomab permanently.",
            "R-MOD-3"))
    if neuro.resolution_too_long:
        recs.append(Recommendation(
            guidance.DISCONTINUE_PERMANENTLY, f"ICANS grade >= 3 took more than "
                                              f"{span_text(i.neuro_resolution_limit_minutes)} to resolve to "
                                              "grade <= 1: the label discontinues blinatumomab permanently.",
            "R-MOD-3"))
    if neuro.restart_eligible_at is not None and inf.state == HELD and at >= neuro.restart_eligible_at:
        recs.append(Recommendation(
            guidance.RESTART_ELIGIBLE, f"ICANS grade <= 1 for "
                                       f"{span_text(i.neuro_restart_after_minutes)}: restart eligible at "
                                       f"{inf.restart_dose_mcg_per_day:g} mcg/day (prescriber decides).",
            "R-MOD-3"))
    return recs

def infusion_recommendations(inf: InfusionState, at: datetime, protocol: Protocol) -> list[Recommendation]:
    """Prompts from the infusion's derived state (D2, D10, R-INT, R-PREMED, R-MOD-6, R-DOSE-3, RULES.md §3.5)."""
    if inf.state in (DISCONTINUED, COMPLETED):
        return []
    i = protocol.infusion
    recs = []
    hold = inf.hold
    days = span_text(i.new_cycle_hold_minutes)
    recent_restart = inf.last_restart is not None and at - inf.last_restart.at < timedelta(
        hours=i.restart_prompt_hours)
    if inf.state == HELD and inf.hold_beyond_discontinuation_limit:
        assert hold.current_hold_hours is not None  # beyond a limit only while a hold lasts
        label = ""
        if hold.current_hold_reason == "other_adverse_event":
            label = (f" Label (R-MOD-5): if the adverse reaction took more than "
                     f"{span_text(i.discontinuation_hold_minutes)} to resolve to grade <= 1, discontinue "
                     "permanently.")
        recs.append(Recommendation(
            guidance.DISCONTINUATION_REVIEW, f"Infusion held for {hold.current_hold_hours / 24:.1f} days (more "
                                             f"than {span_text(i.discontinuation_hold_minutes)}): discontinuation "
                                             f"review with the prescriber.{label}", "D2"))
    if inf.state == HELD and inf.restart_requires_new_cycle:
        recs.append(Recommendation(
            guidance.NEW_CYCLE_REQUIRED, f"Infusion held for more than {days}: a restart starts a new cycle "
                                         "- prescriber to confirm new-cycle dosing.", "R-INT-2"))
    elif inf.state == RUNNING and inf.new_cycle_after_long_hold and recent_restart:
        recs.append(Recommendation(
            guidance.NEW_CYCLE_REQUIRED, f"Restarted after a hold of more than {days}: this is cycle "
                                         f"{inf.cycle} - prescriber to confirm new-cycle dosing.", "R-INT-2"))
    if (inf.state == HELD and inf.near_new_cycle_boundary) or (
            inf.state == RUNNING and recent_restart and inf.last_restart is not None
            and inf.last_restart.near_new_cycle_boundary):
        recs.append(Recommendation(
            guidance.NEW_CYCLE_BOUNDARY, f"The hold is within {i.boundary_warning_minutes} min of the "
                                         f"{limit_text(i.new_cycle_hold_minutes)} "
                                         f"limit ({i.new_cycle_hold_minutes} min = same cycle, one minute more = "
                                         "new cycle): check the stop and restart times.", "R-INT-3"))
    if inf.premedication_due:
        assert inf.premedication_reason is not None  # due only for a reason (InfusionTracker._premedication_due)
        words = [f"Premedication due before "
                 f"{premed_event_text(inf.premedication_reason, i.premedication_hold_minutes)} (protocol: "
                 f"corticosteroid within {i.premedication_window_minutes} min before)."]
        if inf.premedication_label is not None:
            words.append(inf.premedication_label.describe())
        if inf.supervision_recommended:
            words.append("Supervision/hospitalisation recommended for "
                         + ("re-initiation." if inf.premedication_reason == PREMED_RESTART else "the cycle start."))
        recs.append(Recommendation(guidance.GIVE_PREMEDICATION, " ".join(words), "D2"))
    late = [w for w in inf.premedication_warnings if at - w.at < timedelta(hours=i.restart_prompt_hours)]
    if late:
        recs.append(Recommendation(guidance.PREMEDICATION_TIMING, f"{late[-1].text}.", "R-PREMED-3"))
    if inf.step_up_due_at is not None and inf.step_up_due_at <= at:
        if inf.step_up_suppressed:
            recs.append(Recommendation(
                guidance.RECURRENCE_REVIEW, "Recurrence since the restart: step-up suppressed - prescriber "
                                            "review.", "R-MOD-6"))
        else:
            recs.append(Recommendation(
                guidance.STEP_UP_DUE, f"Step-up to {inf.full_dose_mcg_per_day:g} mcg/day due (prescriber to "
                                      "confirm) with premedication.", "R-MOD-6"))
    if inf.state == RUNNING and inf.dose_mismatch:
        recs.append(Recommendation(
            guidance.DOSE_MISMATCH, f"Running dose {inf.current_dose_mcg_per_day:g} mcg/day differs from the "
                                    f"expected {inf.expected_dose_mcg_per_day:g} mcg/day: check the bag against "
                                    "the prescription.", "R-DOSE-3"))
    if inf.state == RUNNING and inf.cycle_infusion_complete:
        recs.append(Recommendation(
            guidance.CYCLE_INFUSION_COMPLETE, f"{i.cycle_infusion_days} days of infusion reached in cycle "
                                              f"{inf.cycle}: end of the cycle's infusion (prescriber confirms).",
            "R-INT-2"))
    elif inf.bag_change_due is not None and inf.bag_change_due <= at:
        recs.append(Recommendation(
            guidance.BAG_CHANGE_DUE, f"Bag change due at {inf.bag_change_due.isoformat(timespec='minutes')} "
                                     "(hang time + labelled duration). Never flush the line.", "R-BAG-1"))
    return recs


def course_status(inf: InfusionState, recs: Sequence[Recommendation]) -> str:
    """The course as the prescriber must see it (R-MOD-2): discontinued, discontinuation recommended (a permanent
    discontinuation prompt is shown), discontinuation review, or active."""
    if inf.state == DISCONTINUED:
        return "discontinued"
    codes = {r.code for r in recs}
    if guidance.DISCONTINUE_PERMANENTLY in codes:
        return "discontinuation_recommended"
    if guidance.DISCONTINUATION_REVIEW in codes:
        return "discontinuation_review"
    return "active"


def drop_moot(recs: list[Recommendation], infusion_state: str) -> list[Recommendation]:
    """The therapy is already stopped for good: prompts to stop it are moot (the clinical ones stay)."""
    if infusion_state != DISCONTINUED:
        return recs
    moot = {guidance.DISCONTINUE_PERMANENTLY, guidance.INTERRUPT_INFUSION, guidance.DISCONTINUATION_REVIEW}
    return [r for r in recs if r.code not in moot]
