"""ICANS grading (ASTCT 2019, adults and children >= 12 years), RULES.md §2, rules R-ICN-1..5.

Pure functions: they return the grade, each domain's tier, what was missing and the rules that fired.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.records import Arousal, CerebralEdema, NeuroAssessment, Seizure

#: The ICE score is validated from age 12; younger children are assessed with CAPD (RULES.md §2.1, [S17, S18]).
ICE_MIN_AGE_YEARS = 12

# Notes (codes) the GUI words.
NOTE_ICE_NOT_DONE = "ice_not_done"              # D7: awake, no ICE score -> the ICE domain is missing
NOTE_ICE_UNDER_12 = "ice_not_valid_under_12"    # §2.1: use CAPD; the ICE domain is not graded


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
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def ice_tier(ice_score: int | None, arousal: Arousal) -> int:
    """R-ICN-1: 10 -> 0; 7–9 -> 1; 3–6 -> 2; 0–2 -> 3 (ICE 0 awake with global aphasia = G3); cannot be done
    because unarousable -> 4. An ICE not done in a patient who could do it scores 0 here and is reported missing."""
    if ice_score is None:
        return 4 if arousal is Arousal.UNAROUSABLE else 0
    if ice_score == 10:
        return 0
    if ice_score >= 7:
        return 1
    if ice_score >= 3:
        return 2
    return 3


_LOC_TIER = {Arousal.AWAKE: 0, Arousal.AWAKENS_SPONTANEOUSLY: 1, Arousal.VOICE: 2, Arousal.TOUCH: 3,  # R-ICN-2
             Arousal.UNAROUSABLE: 4}
_SEIZURE_TIER = {Seizure.NONE: 0, Seizure.RESOLVED: 3, Seizure.PROLONGED_OR_REPEATED: 4}      # R-ICN-3
_EDEMA_TIER = {CerebralEdema.NONE: 0, CerebralEdema.FOCAL: 3, CerebralEdema.DIFFUSE: 4}      # R-ICN-4


def grade_icans(
    *, ice_score: int | None, arousal: Arousal = Arousal.AWAKE, seizure: Seizure = Seizure.NONE,
    motor_weakness: bool = False, cerebral_edema: CerebralEdema = CerebralEdema.NONE, age_years: int | None = None,
) -> IcansGrade:
    """R-ICN-5: the ICANS grade is the most severe domain.

    Args:
        ice_score: ICE score 0–10, or ``None`` when not done (unarousable: R-ICN-1 tier 4).
        arousal: Level of consciousness (R-ICN-2).
        seizure: Seizure finding (R-ICN-3).
        motor_weakness: Deep focal motor weakness (R-ICN-4).
        cerebral_edema: Oedema on imaging (R-ICN-4).
        age_years: Under 12 the ICE domain is not graded (CAPD applies, RULES.md §2.2); the other domains are.
    """
    notes: list[str] = []
    missing: list[str] = []
    if age_years is not None and age_years < ICE_MIN_AGE_YEARS:
        ice = 4 if arousal is Arousal.UNAROUSABLE else 0
        notes.append(NOTE_ICE_UNDER_12)
    else:
        ice = ice_tier(ice_score, arousal)
        if ice_score is None and arousal is not Arousal.UNAROUSABLE:
            missing.append("ice_score")
            notes.append(NOTE_ICE_NOT_DONE)
    motor = 4 if motor_weakness else 0
    tiers = {
        "R-ICN-1": ice,
        "R-ICN-2": _LOC_TIER[arousal],
        "R-ICN-3": _SEIZURE_TIER[seizure],
        "R-ICN-4": max(motor, _EDEMA_TIER[cerebral_edema]),
    }
    grade = max(tiers.values())
    rules = (*(rule for rule, tier in tiers.items() if tier > 0), "R-ICN-5")
    return IcansGrade(
        grade=grade, ice_tier=ice, loc_tier=tiers["R-ICN-2"], seizure_tier=tiers["R-ICN-3"],
        motor_tier=motor, edema_tier=_EDEMA_TIER[cerebral_edema], rules=rules, missing=tuple(missing),
        notes=tuple(notes),
    )


def icans_of(assessment: NeuroAssessment, age_years: int | None) -> IcansGrade:
    """:func:`grade_icans` of one recorded neurological assessment (the patient's age then)."""
    a = assessment
    return grade_icans(ice_score=a.ice_score, arousal=a.arousal, seizure=a.seizure, motor_weakness=a.motor_weakness,
                       cerebral_edema=a.cerebral_edema, age_years=age_years)
