"""The plan on a patient's handover page: the timed to-do list with the prompts (RULES.md §7 item 5) and the
if/then contingencies from the active rules with this protocol's thresholds (RULES.md §7 item 6).
"""

from __future__ import annotations

from datetime import timedelta

from core.handover.content import Action, Contingency
from core.handover.severity import _news2_threshold
from core.handover_words import (
    limit_text,
    name,
    span_text,
    temperature_text,
    words,
)
from core.protocol import Protocol
from core.records import (
    Arousal,
)
from core.regimen import HELD, RUNNING
from core.rule_words import premed_reason_text
from core.rules import guidance
from core.rules.crs import CrsInput, hypotension_present
from core.rules.escalation import Acknowledgement
from core.rules.icans import ice_tier
from core.rules.news2 import HIGH, MEDIUM
from core.rules.news2 import MIN_AGE_YEARS as NEWS2_MIN_AGE_YEARS
from core.state import PatientState

#: RULES.md §2.1: the ICE score is for patients aged 12 and over (CAPD below 12).
ICE_MIN_AGE_YEARS = 12


def _sbp_limit(protocol: Protocol, age: int) -> int:
    """The systolic BP below which this patient counts as hypotensive (R-AST-3, adult or paediatric), read from
    crs.hypotension_present so the rule lives in one place."""
    return next(sbp for sbp in range(20, 301) if not hypotension_present(CrsInput(systolic_bp=sbp, age_years=age),
                                                                          protocol))


def _ice_max_for_tier(tier: int) -> int:
    """The highest ICE score that gives at least ``tier`` (R-ICN-1), read from icans.ice_tier."""
    return max(score for score in range(11) if ice_tier(score, Arousal.AWAKE) >= tier)


def _interval_text(minutes: int, language: str) -> str:
    w = words(language)
    if minutes % 60 == 0:
        hours = minutes // 60
        return w["hourly"] if hours == 1 else w["every_h"].format(n=hours)
    return w["every_min"].format(n=minutes)


def _prompt_text(rec: guidance.Recommendation, language: str) -> str:
    """A prompt in ``language``: the rule's sentence with the values it took from the protocol and the records."""
    return rec.words.text(language)


def _actions(state: PatientState, protocol: Protocol, language: str = "en") -> tuple[Action, ...]:
    """The timed to-do list (RULES.md §7 item 5): observations, bag, premedication, step-up, hold limits, then the
    recommendations (prescriber decisions and prompts, due now)."""
    inf = state.infusion
    w = words(language)
    i = protocol.infusion
    timed: list[Action] = []
    if state.next_observations_due is not None:
        timed.append(Action(
            state.next_observations_due,
            w["act_observations"].format(interval=_interval_text(state.observation_interval_minutes, language))
            + (f" - {w['overdue']}" if state.overdue else ""), "R-OBS-1", "observations", state.overdue))
    if inf.bag_change_due is not None:
        timed.append(Action(inf.bag_change_due, w["act_bag"], "R-BAG-1", "bag_change"))
    if inf.premedication_due:
        due = None
        if inf.premedication_reason == "step_up" and inf.step_up_due_at is not None:
            due = inf.step_up_due_at - timedelta(minutes=i.premedication_window_minutes)
        timed.append(Action(
            due, w["act_premedication"].format(reason=premed_reason_text(inf.premedication_reason, protocol, language),
                                               window=span_text(i.premedication_window_minutes, language)),
            "D2 / R-PREMED-1", guidance.GIVE_PREMEDICATION))
    if inf.step_up_due_at is not None and not inf.step_up_suppressed and inf.step_up_due_at > state.at:
        timed.append(Action(inf.step_up_due_at, w["act_step_up"].format(dose=f"{inf.full_dose_mcg_per_day:g}"),
                            "R-MOD-6", "step_up"))
    if inf.state == HELD:
        if inf.new_cycle_limit_at is not None and inf.new_cycle_limit_at > state.at:
            timed.append(Action(inf.new_cycle_limit_at, w["act_new_cycle_limit"].format(
                limit=limit_text(i.new_cycle_hold_minutes, language)), "R-INT-2", "hold_limit"))
        if inf.discontinuation_limit_at is not None and inf.discontinuation_limit_at > state.at:
            timed.append(Action(inf.discontinuation_limit_at, w["act_discontinuation_limit"].format(
                limit=limit_text(i.discontinuation_hold_minutes, language)), "D2", "hold_limit"))
    timed.sort(key=lambda a: (a.due is not None, a.due or state.at))
    # The timed premedication line replaces the recommendation with the same code.
    skip = {a.kind for a in timed}
    prompts = [Action(None, _prompt_text(r, language), r.rule, r.code, pending=r.acknowledged is None,
                      answered=_answer_text(r.acknowledged, language))
               for r in state.recommendations if r.code not in skip]
    return tuple(prompts + timed)


def _answer_text(ack: Acknowledgement | None, language: str = "en") -> str | None:
    """How a prompt was answered: whom the nurse called, when, and what they did (core/rules/escalation.py)."""
    if ack is None:
        return None
    w = words(language)
    called = name(language, "escalated_to", ack.to)
    if ack.name:
        called += f" ({ack.name})"
    response = name(language, "response", ack.response)
    text = w["answer"].format(called=called, response=response)
    if ack.by:
        text += w["answer_by"].format(by=ack.by)
    return text + (f" - {ack.note}" if ack.note else "")


def _contingencies(state: PatientState, protocol: Protocol, unit: str = "C",
                   language: str = "en") -> tuple[Contingency, ...]:
    """If/then lines from the active rules with this protocol's thresholds (RULES.md §7 item 6)."""
    g, a, i, n = protocol.grading, protocol.actions, protocol.infusion, protocol.neuro
    w = words(language)
    out: list[Contingency] = []

    def crs_response(grade: int) -> str:
        if grade >= a.discontinue_crs_grade:
            return w["crs_discontinue"]
        parts = []
        if grade >= a.interrupt_crs_grade:
            parts.append(w["crs_interrupt"].format(grade=a.interrupt_crs_grade))
        if grade >= a.emergency_crs_grade:
            parts.append(w["crs_emergency"])
        parts.append(w["crs_notify"] if grade >= 2 else w["crs_increase"])
        return "; ".join(parts)

    def crs_then(grade: int) -> str:
        return w["then_crs_grade"].format(grade=grade, response=crs_response(grade))

    c = state.crs
    age = state.patient.age_years(state.at)
    if c.computed.fever_waived:
        out.append(Contingency(w["if_fever_waived"], w["then_fever_waived"], "R-AST-2"))
    out.append(Contingency(w["if_fever"].format(temperature=temperature_text(g.fever_c, unit)),
                           w["then_fever"].format(response=crs_response(1)), "R-AST-1"))
    out.append(Contingency(w["if_grade2"].format(flow=f"{g.low_flow_max_l_min:g}", sbp=_sbp_limit(protocol, age)),
                           crs_then(2), "R-AST-3, R-AST-5, D2"))
    out.append(Contingency(w["if_grade3"].format(flow=f"{g.low_flow_max_l_min:g}", fio2=g.fio2_high_percent),
                           crs_then(3), "R-AST-4, R-AST-5, R-CTC-3, R-MOD-1"))
    out.append(Contingency(w["if_grade4"], crs_then(4), "R-AST-4, R-AST-5, R-MOD-2"))
    if a.recurrence_review_episodes and c.episodes_grade2_plus == a.recurrence_review_episodes - 1:
        out.append(Contingency(
            w["if_recurrence"].format(grade=a.recurrence_min_grade),
            w["then_recurrence"].format(episode=a.recurrence_review_episodes, grade=a.recurrence_min_grade),
            "R-AST-9"))
    seizure_then = w["then_seizure"]
    if state.icans.seizures == n.seizures_discontinue - 1:
        seizure_then = w["then_last_seizure"].format(n=n.seizures_discontinue)
    if age >= ICE_MIN_AGE_YEARS:
        out.append(Contingency(w["if_ice2"].format(ice=_ice_max_for_tier(2)), w["then_ice2"], "R-ICN-1, R-ICN-2"))
        out.append(Contingency(w["if_ice3"].format(ice=_ice_max_for_tier(3)), seizure_then,
                               "R-ICN-1, R-ICN-3, R-MOD-3, R-ICN-6"))
    else:
        out.append(Contingency(w["if_child"].format(age=ICE_MIN_AGE_YEARS),
                               w["then_child"].format(age=ICE_MIN_AGE_YEARS, seizure=seizure_then),
                               "R-CAPD-1, R-ICN-3, R-ICN-6"))
    if age >= NEWS2_MIN_AGE_YEARS:
        out.append(Contingency(w["if_news2_medium"].format(score=_news2_threshold(MEDIUM)), w["then_news2_medium"],
                               "R-NEWS-2"))
        out.append(Contingency(w["if_news2_high"].format(score=_news2_threshold(HIGH)), w["then_news2_high"],
                               "R-NEWS-2"))
    inf = state.infusion
    if inf.state == HELD and inf.hold.current_hold_started is not None:
        start = inf.hold.current_hold_started
        premed_at = start + timedelta(minutes=i.premedication_hold_minutes)
        hold = span_text(i.premedication_hold_minutes, language)
        if premed_at > state.at:
            premed = w["premed_needed_at"].format(at=premed_at.isoformat(), hold=hold)
        else:
            premed = w["premed_over"].format(window=span_text(i.premedication_window_minutes, language), hold=hold)
        out.append(Contingency(w["if_restart"], w["then_restart"].format(
            premedication=premed, dose=f"{inf.restart_dose_mcg_per_day:g}"), "R-PREMED-1, R-MOD-1"))
    if inf.state == RUNNING and inf.step_up_due_at is not None and not inf.step_up_suppressed:
        out.append(Contingency(w["if_step_up_recurrence"], w["then_step_up_recurrence"], "R-MOD-6"))
    return tuple(out)
