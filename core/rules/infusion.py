"""The infusion's prompts (RULES.md §3): what the derived infusion state (core/regimen.py, ``InfusionState``) asks
of the nurse and the prescriber now. Pure functions of that state, the moment and the protocol.

- :func:`infusion_recommendations`: holds and new cycles (D2, R-INT-2, R-INT-3, R-MOD-5), premedication (D2,
  R-PREMED-3), step-up (R-MOD-6), dose mismatch (R-DOSE-3), the cycle's end and bag changes (R-BAG-1);
- :func:`course_status`: the course as the prescriber must see it (R-MOD-2).

The holds, clocks and doses themselves are worked out by ``core.regimen.InfusionTracker``; the label's
neurological-toxicity rule (R-MOD-3) and its prompts are in core/rules/neuro_label.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.protocol import Protocol
from core.regimen import (
    COMPLETED,
    DISCONTINUED,
    HELD,
    PREMED_MISSING,
    PREMED_RESTART,
    RUNNING,
    InfusionState,
    LabelPremedication,
    PremedicationWarning,
)
from core.rule_words import Sentence
from core.rules import guidance
from core.rules.guidance import Recommendation


def premedication_label(label: LabelPremedication, protocol: Protocol) -> Sentence:
    """What the label says about premedication for this event (R-PREMED-1/2), with the protocol's doses."""
    i = protocol.infusion
    if not label.mandated:
        return Sentence.of("premedication_label_not_mandated")
    if label.dose_mg is None:
        return Sentence.of("premedication_label_bsa", drug=label.drug, mg_m2=i.premedication_dexamethasone_mg_m2,
                           max_mg=i.premedication_dexamethasone_max_mg, span_window=label.window_minutes,
                           event=label.event, hold_minutes=label.hold_minutes)
    return Sentence.of("premedication_label", drug=label.drug, dose_mg=label.dose_mg, span_window=label.window_minutes,
                       event=label.event, hold_minutes=label.hold_minutes)


def _premedication_timing(warning: PremedicationWarning) -> Sentence:
    """R-PREMED-3: a start that needed premedication had none, or had it outside the window."""
    if warning.problem == PREMED_MISSING:
        return Sentence.of("premedication_missing", at=warning.at.isoformat(), event=warning.event,
                           hold_minutes=warning.hold_minutes)
    return Sentence.of("premedication_outside_window", at=warning.at.isoformat(), minutes_before=warning.minutes_before,
                       event=warning.event, hold_minutes=warning.hold_minutes)


def infusion_recommendations(inf: InfusionState, at: datetime, protocol: Protocol) -> list[Recommendation]:
    """Prompts from the infusion's derived state (D2, D10, R-INT, R-PREMED, R-MOD-6, R-DOSE-3, RULES.md §3.5)."""
    if inf.state in (DISCONTINUED, COMPLETED):
        return []
    i = protocol.infusion
    recs = []
    hold = inf.hold
    recent_restart = inf.last_restart is not None and at - inf.last_restart.at < timedelta(
        hours=i.restart_prompt_hours)
    if inf.state == HELD and inf.hold_beyond_discontinuation_limit:
        assert hold.current_hold_hours is not None  # beyond a limit only while a hold lasts
        key = "hold_discontinuation_review_adverse" if hold.current_hold_reason == "other_adverse_event" \
            else "hold_discontinuation_review"
        recs.append(Recommendation(guidance.DISCONTINUATION_REVIEW, Sentence.of(
            key, days=hold.current_hold_hours / 24, span_limit=i.discontinuation_hold_minutes), "D2"))
    if inf.state == HELD and inf.restart_requires_new_cycle:
        recs.append(Recommendation(guidance.NEW_CYCLE_REQUIRED, Sentence.of(
            "new_cycle_held", span_new_cycle=i.new_cycle_hold_minutes), "R-INT-2"))
    elif inf.state == RUNNING and inf.new_cycle_after_long_hold and recent_restart:
        recs.append(Recommendation(guidance.NEW_CYCLE_REQUIRED, Sentence.of(
            "new_cycle_restarted", span_new_cycle=i.new_cycle_hold_minutes, cycle=inf.cycle), "R-INT-2"))
    if (inf.state == HELD and inf.near_new_cycle_boundary) or (
            inf.state == RUNNING and recent_restart and inf.last_restart is not None
            and inf.last_restart.near_new_cycle_boundary):
        recs.append(Recommendation(guidance.NEW_CYCLE_BOUNDARY, Sentence.of(
            "new_cycle_boundary", boundary_minutes=i.boundary_warning_minutes,
            limit_new_cycle=i.new_cycle_hold_minutes, new_cycle_minutes=i.new_cycle_hold_minutes), "R-INT-3"))
    if inf.premedication_due:
        assert inf.premedication_reason is not None  # due only for a reason (InfusionTracker._premedication_due)
        more = []
        if inf.premedication_label is not None:
            more.append(premedication_label(inf.premedication_label, protocol))
        if inf.supervision_recommended:
            more.append(Sentence.of("supervision_restart" if inf.premedication_reason == PREMED_RESTART
                                    else "supervision_cycle_start"))
        recs.append(Recommendation(guidance.GIVE_PREMEDICATION, Sentence.of(
            "premedication_due", event=inf.premedication_reason, hold_minutes=i.premedication_hold_minutes,
            window_minutes=i.premedication_window_minutes, more=tuple(more)), "D2"))
    late = [w for w in inf.premedication_warnings if at - w.at < timedelta(hours=i.restart_prompt_hours)]
    if late:
        recs.append(Recommendation(guidance.PREMEDICATION_TIMING, _premedication_timing(late[-1]), "R-PREMED-3"))
    if inf.step_up_due_at is not None and inf.step_up_due_at <= at:
        if inf.step_up_suppressed:
            recs.append(Recommendation(guidance.RECURRENCE_REVIEW, Sentence.of("recurrence_review"), "R-MOD-6"))
        else:
            recs.append(Recommendation(guidance.STEP_UP_DUE, Sentence.of(
                "step_up_due", dose=inf.full_dose_mcg_per_day), "R-MOD-6"))
    if inf.state == RUNNING and inf.dose_mismatch:
        recs.append(Recommendation(guidance.DOSE_MISMATCH, Sentence.of(
            "dose_mismatch", dose=inf.current_dose_mcg_per_day, expected=inf.expected_dose_mcg_per_day), "R-DOSE-3"))
    if inf.state == RUNNING and inf.cycle_infusion_complete:
        recs.append(Recommendation(guidance.CYCLE_INFUSION_COMPLETE, Sentence.of(
            "cycle_infusion_complete", days=i.cycle_infusion_days, cycle=inf.cycle), "R-INT-2"))
    elif inf.bag_change_due is not None and inf.bag_change_due <= at:
        recs.append(Recommendation(guidance.BAG_CHANGE_DUE, Sentence.of(
            "bag_change_due", at=inf.bag_change_due.isoformat(timespec="minutes")), "R-BAG-1"))
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
