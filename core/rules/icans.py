"""ICANS grading (ASTCT 2019, adults and children >= 12 years), RULES.md §2, rules R-ICN-1..5."""

from __future__ import annotations

from dataclasses import dataclass

from core.records import Arousal, CerebralEdema, Seizure


@dataclass(frozen=True)
class IcansGrade:
    """The ICANS grade, each domain's tier, and the rules that fired."""

    grade: int
    ice_tier: int
    loc_tier: int
    seizure_tier: int
    motor_tier: int
    edema_tier: int
    rules: tuple[str, ...]


def ice_tier(ice_score: int | None, arousal: Arousal) -> int:
    """R-ICN-1: 10 -> 0; 7–9 -> 1; 3–6 -> 2; 0–2 -> 3 (ICE 0 awake with global aphasia = G3); cannot be done
    because unarousable -> 4."""
    if ice_score is None:
        return 4 if arousal is Arousal.UNAROUSABLE else 0
    if ice_score == 10:
        return 0
    if ice_score >= 7:
        return 1
    if ice_score >= 3:
        return 2
    return 3


_LOC_TIER = {Arousal.AWAKE: 0, Arousal.VOICE: 2, Arousal.TOUCH: 3, Arousal.UNAROUSABLE: 4}   # R-ICN-2
_SEIZURE_TIER = {Seizure.NONE: 0, Seizure.RESOLVED: 3, Seizure.PROLONGED_OR_REPEATED: 4}      # R-ICN-3
_EDEMA_TIER = {CerebralEdema.NONE: 0, CerebralEdema.FOCAL: 3, CerebralEdema.DIFFUSE: 4}      # R-ICN-4


def grade_icans(
    *, ice_score: int | None, arousal: Arousal = Arousal.AWAKE, seizure: Seizure = Seizure.NONE,
    motor_weakness: bool = False, cerebral_edema: CerebralEdema = CerebralEdema.NONE,
) -> IcansGrade:
    """R-ICN-5: the ICANS grade is the most severe domain."""
    tiers = {
        "R-ICN-1": ice_tier(ice_score, arousal),
        "R-ICN-2": _LOC_TIER[arousal],
        "R-ICN-3": _SEIZURE_TIER[seizure],
        "R-ICN-4": max(4 if motor_weakness else 0, _EDEMA_TIER[cerebral_edema]),
    }
    grade = max(tiers.values())
    rules = tuple(rule for rule, tier in tiers.items() if tier > 0) + ("R-ICN-5",)
    return IcansGrade(
        grade=grade, ice_tier=tiers["R-ICN-1"], loc_tier=tiers["R-ICN-2"], seizure_tier=tiers["R-ICN-3"],
        motor_tier=4 if motor_weakness else 0, edema_tier=_EDEMA_TIER[cerebral_edema], rules=rules,
    )
