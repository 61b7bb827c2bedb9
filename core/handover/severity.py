"""The illness severity the handover suggests (RULES.md §7 item 1: the app suggests, the nurse selects)."""

from __future__ import annotations

from core.handover_words import (
    words,
)
from core.rules.news2 import HIGH, MEDIUM, risk_band

# -- illness severity (RULES.md §7 item 1) ------------------------------------------------------------------------
STABLE = "stable"
WATCHER = "watcher"
UNSTABLE = "unstable"
SEVERITIES = (STABLE, WATCHER, UNSTABLE)
#: RULES.md §7 item 1: the app suggests Watcher at CRS or ICANS grade >= 1 (or NEWS2 >= 5, the "medium" band) and
#: Unstable at CRS or ICANS grade >= 3 (or NEWS2 >= 7, the "high" band). NEWS2 thresholds are those of news2.py.
WATCHER_MIN_GRADE = 1
UNSTABLE_MIN_GRADE = 3
_WATCHER_NEWS2_RISKS = frozenset({MEDIUM, HIGH})
_UNSTABLE_NEWS2_RISKS = frozenset({HIGH})


# -- building -----------------------------------------------------------------------------------------------------
def suggest_severity(crs_grade: int, icans_grade: int | None, news2_risk: str | None,
                     news2_score: float | None = None, language: str = "en") -> tuple[str, tuple[str, ...]]:
    """RULES.md §7 item 1: Watcher if CRS >= G1, ICANS >= G1 or NEWS2 >= 5; Unstable if CRS >= G3, ICANS >= G3 or
    NEWS2 >= 7 (the NEWS2 "medium" and "high" bands of news2.py).

    Returns:
        The suggested severity and the reasons behind it (empty for Stable).
    """
    icans = icans_grade or 0
    w = words(language)
    unstable, watcher = [], []
    for scale, grade in ((w["crs"], crs_grade), ("ICANS", icans)):
        if grade >= UNSTABLE_MIN_GRADE:
            unstable.append(w["sev_reason"].format(scale=scale, grade=grade))
        elif grade >= WATCHER_MIN_GRADE:
            watcher.append(w["sev_reason"].format(scale=scale, grade=grade))
    if news2_risk in _UNSTABLE_NEWS2_RISKS:
        unstable.append(f"NEWS2 {news2_score}")
    elif news2_risk in _WATCHER_NEWS2_RISKS:
        watcher.append(f"NEWS2 {news2_score}")
    if unstable:
        return UNSTABLE, tuple(unstable + watcher)
    if watcher:
        return WATCHER, tuple(watcher)
    return STABLE, ()


def severity_rule_text(language: str = "en") -> str:
    """The suggestion rule in words, with its thresholds (printed under the severity)."""
    return words(language)["severity_rule"].format(watcher=WATCHER_MIN_GRADE, medium=_news2_threshold(MEDIUM),
                                                   unstable=UNSTABLE_MIN_GRADE, high=_news2_threshold(HIGH))


def _news2_threshold(band: str) -> int:
    """The lowest NEWS2 total in a risk band, read from news2.risk_band so the number lives in one place."""
    return next(score for score in range(21) if risk_band(score, False) == band)
