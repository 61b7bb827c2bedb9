"""Closing the loop on prompts (INTERFACE.md Additions, issue 13): which recommendations an ``escalation`` record
answers, and when a prompt left pending is escalated to the nurse in charge.

Pure: the fold passes in the recommendations at a moment, when each arose, and the escalation records so far.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.records import Escalation, EscalationResponse
from core.rule_words import Sentence
from core.rules import guidance
from core.rules.guidance import Recommendation


@dataclass(frozen=True)
class Acknowledgement:
    """Who answered a prompt, when, whom they called and what that person did."""

    at: datetime
    by: str | None
    to: str
    response: str
    name: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, object]:
        """INTERFACE.md Additions: ``{"at", "by", "to", "response"}`` (plus who was called and the note)."""
        return {"at": self.at.isoformat(), "by": self.by, "to": self.to, "response": self.response,
                "name": self.name, "note": self.note}


def acknowledgement(code: str, since: datetime, escalations: Sequence[Escalation]) -> Escalation | None:
    """The newest escalation that acknowledges ``code`` at or after the moment the recommendation arose."""
    for record in reversed(escalations):
        if code in record.acknowledges and record.at >= since:
            return record
    return None


def _expired_answer(code: str, escalations: Sequence[Escalation]) -> Escalation | None:
    for record in reversed(escalations):
        if code in record.acknowledges:
            return record
    return None


def still_pending(rec: Recommendation, since: datetime, answer: Escalation | None) -> datetime | None:
    """When the prompt's wait for an answer started, or ``None`` once it is answered.

    A call that found nobody (``no_response``) is shown as the answer, but the prompt is still waiting: the wait
    starts again at that call, so an unanswered call escalates like an unanswered prompt.
    """
    if answer is None:
        return since
    if answer.response is EscalationResponse.NO_RESPONSE:
        return answer.at
    return None


def close_the_loop(
    recs: Sequence[Recommendation], since: Mapping[str, datetime], escalations: Sequence[Escalation], at: datetime,
    unacknowledged_minutes: int, holds_hours: float,
) -> list[Recommendation]:
    """Each recommendation with its ``acknowledged``; plus ``escalate_unacknowledged`` when a prompt has waited for
    ``unacknowledged_minutes`` or more (the protocol's ``[escalation]``; 15 min in the shipped files).

    Args:
        recs: The recommendations at ``at``.
        since: When each code arose (the start of the run of states in which it has been present), at most
            ``holds_hours`` ago.
        escalations: The escalation records at or before ``at``, in time order.
        at: The moment.
        unacknowledged_minutes: The protocol's limit.
        holds_hours: How long an answer holds (the protocol's ``acknowledgement_holds_hours``): a prompt present
            longer than that is asked again, and waits for an answer from the moment the last one ran out.
    """
    limit = timedelta(minutes=unacknowledged_minutes)
    holds = timedelta(hours=holds_hours)
    out: list[Recommendation] = []
    overdue: list[tuple[datetime, Recommendation]] = []
    for rec in recs:
        arose = since.get(rec.code, at)
        answer = acknowledgement(rec.code, arose, escalations)
        ack = None if answer is None else Acknowledgement(
            answer.at, answer.by, answer.to.value, answer.response.value, answer.name, answer.note)
        out.append(replace(rec, acknowledged=ack, since=arose))
        waiting = still_pending(rec, arose, answer)
        if answer is None and arose <= at - holds:
            expired = _expired_answer(rec.code, escalations)
            if expired is not None:
                waiting = max(arose, expired.at + holds)
        if waiting is not None and at - waiting >= limit:
            overdue.append((waiting, rec))
    if overdue:
        arose = min(waiting for waiting, _ in overdue) + limit
        answer = acknowledgement(guidance.ESCALATE_UNACKNOWLEDGED, arose, escalations)
        ack = None if answer is None else Acknowledgement(
            answer.at, answer.by, answer.to.value, answer.response.value, answer.name, answer.note)
        codes = [rec.code for _, rec in sorted(overdue, key=lambda item: item[0])]
        words = Sentence.of("escalate_many" if len(codes) > 1 else "escalate_one", minutes=unacknowledged_minutes,
                            count=len(codes))
        out.append(Recommendation(guidance.ESCALATE_UNACKNOWLEDGED, words, "protocol escalation", acknowledged=ack,
                                  since=arose, about=tuple(codes)))
    return guidance.merge(out)
