"""The status level of a patient (RULES.md §9): 0–4 from the CRS grade, ICANS, NEWS2 and seizures.

Returns meaning only: the level number and the reasons behind it, each with the rule it comes from (§9: every
alert records its rule id). gui/ maps the level to colour, icon and words (0 green "No CRS/ICANS features",
1 yellow, 2 orange, 3 red, 4 purple), always with text.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.rules.news2 import HIGH, MEDIUM, News2

MAX_LEVEL = 4

# Reason codes.
CRS_GRADE = "crs_grade"                  # + the grade: "crs_grade_2"
ICANS_GRADE = "icans_grade"              # + the grade: "icans_grade_3"
NEWS2_RED = "news2_red_parameter"        # a single NEWS2 parameter scores 3 -> level 1
NEWS2_MEDIUM = "news2_medium"            # NEWS2 5–6 -> level 2
NEWS2_HIGH = "news2_high"                # NEWS2 >= 7 -> level 3
SEIZURE = "seizure"                      # a first seizure in the course -> level 3
SEIZURE_DISCONTINUE = "second_seizure"   # the seizure that discontinues (R-ICN-6) -> level 4


@dataclass(frozen=True)
class StatusReason:
    """One trigger of the status level: a code, the level it sets, and its rule id."""

    code: str
    level: int
    rule: str

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "level": self.level, "rule": self.rule}


@dataclass(frozen=True)
class StatusLevel:
    """The status level (0–4) and every trigger at level 1 or above, highest first."""

    level: int
    reasons: tuple[StatusReason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes, highest level first."""
        return tuple(reason.code for reason in self.reasons)

    def to_json(self) -> dict[str, object]:
        return {"level": self.level, "reasons": [reason.to_json() for reason in self.reasons]}


def news2_level(score: News2 | None) -> StatusReason | None:
    """The NEWS2 part of §9: >= 7 -> 3, 5–6 -> 2, a red parameter -> 1 (also in an incomplete set: a single score
    of 3 is known even when another parameter is missing), otherwise nothing."""
    if score is None:
        return None
    if score.complete and score.risk == HIGH:
        return StatusReason(NEWS2_HIGH, 3, "R-NEWS-2")
    if score.complete and score.risk == MEDIUM:
        return StatusReason(NEWS2_MEDIUM, 2, "R-NEWS-2")
    if score.red_parameter:
        return StatusReason(NEWS2_RED, 1, "R-NEWS-2")
    return None


def status_level(
    *, crs_grade: int, icans_grade: int | None = None, news2: News2 | None = None, seizures: int = 0,
    seizures_discontinue: int = 2,
) -> StatusLevel:
    """RULES.md §9: the level is the highest of the CRS grade (the grade acted on, D1/D6), the ICANS grade, the
    NEWS2 mapping and the seizure count of the course, capped at 4 (a clinician-recorded grade 5 shows as 4).

    Args:
        crs_grade: The CRS grade the app acts on (the higher scale, or the clinician's, 0–5).
        icans_grade: The current ICANS grade, or ``None`` if never assessed.
        news2: The current NEWS2 result.
        seizures: Seizures recorded in the course (R-ICN-6).
        seizures_discontinue: The seizure count that discontinues therapy (protocol ``neuro.seizures_discontinue``).
    """
    reasons: list[StatusReason] = []
    if crs_grade >= 1:
        reasons.append(StatusReason(f"{CRS_GRADE}_{crs_grade}", min(crs_grade, MAX_LEVEL), "D1"))
    if icans_grade:
        reasons.append(StatusReason(f"{ICANS_GRADE}_{icans_grade}", min(icans_grade, MAX_LEVEL), "R-ICN-5"))
    news = news2_level(news2)
    if news is not None:
        reasons.append(news)
    if seizures >= seizures_discontinue:
        reasons.append(StatusReason(SEIZURE_DISCONTINUE, 4, "R-ICN-6"))
    elif seizures >= 1:
        reasons.append(StatusReason(SEIZURE, 3, "R-ICN-6"))
    reasons.sort(key=lambda reason: -reason.level)
    return StatusLevel(max((reason.level for reason in reasons), default=0), tuple(reasons))
