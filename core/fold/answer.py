"""The fold's answer at a moment: :func:`build_state` asks the rules of core/rules/ about the state a
:class:`~core.fold.folder._Folder` keeps and assembles a :class:`~core.fold.types.PatientState`. It decides no rule:

- CRS: the grade (core/rules/crs.py, via the folder's ``assess``), the grade acted on, recurrence and the episode's
  prompts (core/rules/episodes.py), the grade's and NEWS2's prompts (core/rules/guidance.py);
- ICANS: the grade (core/rules/icans.py) and its prompts (guidance); NEWS2 and the observation interval
  (core/rules/news2.py); labs and risk factors (core/rules/labs.py); the label's neurological hold and its prompts
  (core/rules/neuro_label.py, R-MOD-3); the infusion's prompts and the course status (core/rules/infusion.py); the
  status level (core/rules/status.py); who answered each prompt (core/rules/escalation.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.fold.tracking import arose
from core.fold.types import ConfirmedGrade, CrsState, PatientState
from core.records import FIO2_SETTING_DEVICES
from core.regimen import DISCONTINUED, RUNNING
from core.rules import guidance, neuro_label
from core.rules import infusion as infusion_rules
from core.rules import labs as lab_rules
from core.rules.episodes import FLAG_RECURRENT_CRS, Episode, episode_recommendations, recurrence
from core.rules.escalation import close_the_loop
from core.rules.news2 import observation_interval
from core.rules.status import status_level

if TYPE_CHECKING:
    from core.fold.folder import _Folder


def build_state(folder: _Folder, at: datetime, superseded: frozenset[str], close_loop: bool = True) -> PatientState:
    """The state at ``at`` (at or after the last record applied); changes nothing in ``folder``.

    Args:
        close_loop: Add who answered each prompt and ``escalate_unacknowledged`` (core/rules/escalation.py).
    """
    f = folder
    p = f.protocol
    episodes: Sequence[Episode] = f._episodes_at(at)
    computed = f.assess(at, episodes)
    # R-MOD-3: the label's neurological hold at ``at``, decided from the tracker's facts (core/rules/neuro_label.py)
    infusion = f.tracker.state(at, neuro_label.neuro_hold(f.tracker.neuro_event(), f.tracker.dosing, p, at))
    grade = f.acted_grade(computed.grade)
    confirmed = None
    if f.last_confirmation is not None:
        record, computed_then = f.last_confirmation
        signed = getattr(record, "signature", None)
        confirmed = ConfirmedGrade(record.grade, record.reason, record.by, record.at, computed_then,
                                   f.confirmation_in_force(), signed.text() if signed is not None else None)
    episodes = tuple(episodes)
    open_episode = episodes[-1] if episodes and episodes[-1].ended is None else None
    severe, this_cycle, recurrent = recurrence(episodes, f.tracker.cycle, p)  # R-AST-9
    crs = CrsState(
        grade=grade, computed=computed, confirmed=confirmed, episode_open=open_episode is not None,
        episode_started=open_episode.started if open_episode else None,
        episode_max_grade=open_episode.max_grade if open_episode else (episodes[-1].max_grade if episodes else 0),
        episodes_grade2_plus=severe, episodes=episodes, as_of=f.as_of,
        episodes_grade2_plus_this_cycle=this_cycle, recurrent=recurrent,
        grade_steps=tuple(f.grade_steps), stale=f.stale(at), last_vitals_at=f.last_grading_vitals(),
        trigger=f.trigger if f.trigger is not None and f.trigger.grade == grade else None,
    )
    icans = f.icans_state()
    latest = f.latest_set
    score = f.news2_score(at)
    labs, lab_recs, lab_flags = lab_rules.lab_findings(
        [lab_rules.Lab(r.test, r.value, r.unit, r.at) for r in f.labs], f.tocilizumab, at, p)
    running = infusion.state == RUNNING
    recs = guidance.assessment_recommendations(
        crs.computed, score, p, grade=crs.grade if crs.confirmed and crs.confirmed.in_force else None,
        infusion_running=running,
        fio2_device_sets_it=f.current_vitals(at).values.get("oxygen_device") in FIO2_SETTING_DEVICES,
        weight_kg=f.patient.weight_kg)
    recs += episode_recommendations(
        grade=crs.grade, open_episode=open_episode if crs.episode_open else None,
        episode_max_grade=crs.episode_max_grade, episodes_grade2_plus=crs.episodes_grade2_plus, running=running,
        discontinued=infusion.state == DISCONTINUED, run_started_at=f.run_started_at, protocol=p)
    recs += guidance.icans_recommendations(icans.grade, icans.seizures, p, infusion_running=running)
    recs += neuro_label.neuro_label_recommendations(infusion, at, p)
    recs += infusion_rules.infusion_recommendations(infusion, at, p)
    recs = infusion_rules.drop_moot(recs, infusion.state)
    flags = list(crs.computed.flags) + ([FLAG_RECURRENT_CRS] if crs.recurrent else [])
    level = status_level(crs_grade=crs.grade, icans_grade=icans.grade, news2=score, seizures=icans.seizures,
                         seizures_discontinue=p.neuro.seizures_discontinue)
    differential = guidance.differential(crs.grade, crs.computed.flags, lab_flags)
    infusion = replace(infusion, course_status=infusion_rules.course_status(infusion, recs))
    interval = observation_interval(crs.grade, score, icans.grade, p)
    next_due = (latest.at + timedelta(minutes=interval)) if latest else None
    merged = guidance.merge(recs + lab_recs)
    if close_loop:
        merged = close_the_loop(merged, {r.code: arose(f, r.code, at) for r in merged}, f.escalations, at,
                                p.escalation.unacknowledged_minutes, p.escalation.acknowledgement_holds_hours)
    return PatientState(
        patient=f.patient, at=at, protocol=p.stamp(), crs=crs, icans=icans, news2=score,
        news2_as_of=latest.at if latest else None, infusion=infusion, vitals=f.current_vitals(at),
        recommendations=tuple(merged), flags=tuple(dict.fromkeys(flags + lab_flags)),
        risk_factors=lab_rules.risk_factors(f.patient.marrow_blasts_percent, p), labs=labs,
        next_observations_due=next_due, observation_interval_minutes=interval,
        superseded=superseded, status_level=level, differential=differential,
        last_not_done=f.last_not_done, escalations=tuple(f.escalations),
    )
