"""The CRS course (RULES.md §1.6, D6, D9): episodes, the grade acted on, the episode maximum's prompts and
recurrence. Pure functions of the episodes the fold keeps and the protocol.

- :class:`Episode`: one CRS episode (D9);
- :func:`confirmation_in_force`, :func:`acted_grade`: a clinician's confirmed grade (D6) and a recorded death
  (R-AST-8) over the computed one;
- :func:`recurrence`: episodes of grade >= 2 in the course and in the cycle, and the recurrence flag (R-AST-9);
- :func:`episode_recommendations`: the prompts that follow the episode's maximum rather than the grade now
  (R-AST-7, R-MOD-2) and the discontinuation review after recurrence (R-AST-9, D2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.protocol import Protocol
from core.rule_words import Sentence
from core.rules import guidance
from core.rules.guidance import Recommendation

#: R-AST-9: the "Recurrent >= G2 CRS" flag is raised from the second episode of grade >= 2 (a rule, not a setting;
#: whether that also prompts a discontinuation review is the protocol's ``actions.recurrence_review_episodes``).
RECURRENCE_FLAG_EPISODES = 2
FLAG_RECURRENT_CRS = "recurrent_crs"
#: The grade a clinician records for a death attributed to CRS (R-AST-8: never computed).
DEATH_GRADE = 5


@dataclass(frozen=True)
class Episode:
    """One CRS episode (D9): opens at the first assessment at grade >= 1, closes 24 h after the last one."""

    started: datetime
    ended: datetime | None
    max_grade: int
    treated: bool
    closed_by_clinician: bool = False
    cycle: int | None = None              # the infusion cycle when it opened (R-AST-9 counts per cycle too)
    max_reached_at: datetime | None = None  # when the episode first reached its maximum grade (R-AST-7)


def confirmation_in_force(confirmed_grade: int | None, override_in_force: bool) -> bool:
    """Whether the last clinician-confirmed grade is the grade acted on (D6): until the next record that changes
    the CRS inputs; a grade 5 stays (R-AST-8).

    Args:
        confirmed_grade: The last confirmed grade (``None``: none was confirmed).
        override_in_force: No record changing the CRS inputs came after that confirmation.
    """
    return confirmed_grade is not None and (override_in_force or confirmed_grade == DEATH_GRADE)


def acted_grade(computed: int, confirmed_grade: int | None, in_force: bool, death_recorded: bool) -> int:
    """The CRS grade acted on: the computed one, unless a confirmed grade is in force (D6) or a death recorded
    (R-AST-8)."""
    if death_recorded:
        return DEATH_GRADE
    if in_force and confirmed_grade is not None:
        return confirmed_grade
    return computed


def recurrence(episodes: Sequence[Episode], cycle: int | None, protocol: Protocol) -> tuple[int, int, bool]:
    """R-AST-9: the episodes of grade >= ``actions.recurrence_min_grade`` in the course and in the current cycle,
    and whether the recurrence flag is raised (:data:`RECURRENCE_FLAG_EPISODES`)."""
    severe = [e for e in episodes if e.max_grade >= protocol.actions.recurrence_min_grade]
    this_cycle = [e for e in severe if e.cycle is not None and e.cycle == cycle]
    return len(severe), len(this_cycle), len(severe) >= RECURRENCE_FLAG_EPISODES


def episode_recommendations(
    *, grade: int, open_episode: Episode | None, episode_max_grade: int, episodes_grade2_plus: int,
    running: bool, discontinued: bool, run_started_at: datetime | None, protocol: Protocol,
) -> list[Recommendation]:
    """The prompts of the episode's course rather than of the grade now.

    Args:
        grade: The grade acted on now.
        open_episode: The open episode, if any.
        episode_max_grade: The open episode's maximum, else the last episode's.
        episodes_grade2_plus: Episodes of grade >= 2 in the course (:func:`recurrence`).
        running: The infusion is running.
        discontinued: The therapy is discontinued.
        run_started_at: The last infusion start or restart.
    """
    p = protocol
    recs = []
    # R-AST-7: dose-modification prompts use the episode maximum. An infusion still running since before the
    # episode reached an interrupting grade is prompted to stop even when the grade has since fallen; a
    # restart after that moment (the prescriber's decision) is not.
    if running and open_episode is not None and open_episode.max_reached_at is not None \
            and p.actions.interrupt_crs_grade <= open_episode.max_grade < p.actions.discontinue_crs_grade \
            and grade < p.actions.interrupt_crs_grade \
            and (run_started_at is None or run_started_at <= open_episode.max_reached_at):
        recs.append(Recommendation(guidance.INTERRUPT_INFUSION, Sentence.of(
            "episode_interrupt", grade=open_episode.max_grade, interrupt_grade=p.actions.interrupt_crs_grade),
            "R-AST-7"))
    # D2 / R-MOD-2: a grade-4 episode means permanent discontinuation even after the grade falls.
    if episode_max_grade >= p.actions.discontinue_crs_grade and grade < p.actions.discontinue_crs_grade \
            and not discontinued:
        recs.append(Recommendation(guidance.DISCONTINUE_PERMANENTLY, Sentence.of(
            "episode_discontinue", grade=episode_max_grade), "R-MOD-2"))
    # R-AST-9 / D2: the default protocol asks for a discontinuation review (V37: the label protocol,
    # recurrence_review_episodes = 0, asks for nothing).
    if p.actions.recurrence_review_episodes and episodes_grade2_plus >= p.actions.recurrence_review_episodes \
            and not discontinued:
        recs.append(Recommendation(guidance.DISCONTINUATION_REVIEW, Sentence.of(
            "recurrence_discontinuation_review", grade=p.actions.recurrence_min_grade, episodes=episodes_grade2_plus),
            "R-AST-9"))
    return recs
