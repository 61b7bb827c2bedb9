"""The codes the rules return (issue 18: StrEnums, not bare strings): what a prompt asks for
(:class:`RecommendationCode`, the fixed vocabulary of INTERFACE.md plus the codes core added) and why a start or
restart of the infusion is stopped (:class:`GuardCode`).

A code is its string value everywhere it leaves core (the CLI's JSON, an escalation's ``acknowledges``), so a member
compares and hashes equal to that string; a snapshot keeps the member (core/snapshot.py). Add codes, never reuse one
for another meaning. The words for each code, in each language, are in core/rule_word_tables.py.
"""

from __future__ import annotations

import enum


class RecommendationCode(enum.StrEnum):
    """What a recommendation asks for (INTERFACE.md fixed vocabulary; the added codes after it)."""

    INTERRUPT_INFUSION = "interrupt_infusion"
    DISCONTINUE_PERMANENTLY = "discontinue_permanently"
    DISCONTINUATION_REVIEW = "discontinuation_review"
    NEW_CYCLE_REQUIRED = "new_cycle_required"
    GIVE_PREMEDICATION = "give_premedication"
    NOTIFY_PRESCRIBER = "notify_prescriber"
    EMERGENCY_REVIEW = "emergency_review"
    CONSIDER_ICU = "consider_icu"
    INCREASE_OBSERVATIONS = "increase_observations"
    RECORD_FIO2 = "record_fio2"
    CONSIDER_OTHER_CAUSES = "consider_other_causes"
    # Added codes.
    STEP_UP_DUE = "step_up_due"
    RECURRENCE_REVIEW = "recurrence_prescriber_review"
    PREMEDICATION_TIMING = "premedication_timing"
    CRP_UNRELIABLE = "crp_unreliable"
    POSSIBLE_HLH = "possible_hlh"
    BAG_CHANGE_DUE = "bag_change_due"
    NEW_CYCLE_BOUNDARY = "new_cycle_boundary"
    DOSE_MISMATCH = "dose_mismatch"
    CYCLE_INFUSION_COMPLETE = "cycle_infusion_complete"
    RESTART_ELIGIBLE = "restart_eligible"
    #: INTERFACE.md Additions: a prompt pending past the protocol's ``[escalation] unacknowledged_minutes``.
    ESCALATE_UNACKNOWLEDGED = "escalate_unacknowledged"


class GuardCode(enum.StrEnum):
    """Why a start or restart of the infusion is stopped (core/rules/guard.py)."""

    CRS_INTERRUPT = "crs_interrupt"                   # D2: CRS grade >= the protocol's interrupt grade
    ICANS_INTERRUPT = "icans_interrupt"               # R-MOD-3: ICANS grade >= the protocol's interrupt grade
    DISCONTINUATION_OPEN = "discontinuation_open"     # a "discontinue permanently" prompt stands (R-MOD-2/3/4, R-ICN-6)
    DISCONTINUED_THERAPY = "therapy_discontinued"     # the therapy was discontinued
    PREMEDICATION_FIRST = "premedication_first"       # D2 / R-PREMED: premedication is due before this start
