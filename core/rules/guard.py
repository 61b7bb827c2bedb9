"""Guard rails on starting or resuming the infusion (issue 13): the protocol says interrupt, or the therapy is
discontinued, so a start or restart is refused with the reason unless a clinician confirms it with a reason; a start
that needs premedication asks for it first.

Pure: the services pass in the patient's state just before the start and what the nurse entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.handover_words import premed_event_text
from core.protocol import Protocol
from core.regimen import DISCONTINUED
from core.rules import guidance

if TYPE_CHECKING:  # the fold is a layer above the rules: its type names the argument, it is not imported to run
    from core.state import PatientState

#: Record types a guard stops.
GUARDED_TYPES = frozenset({"infusion_started", "infusion_resumed"})

# Reason codes (the GUI has words for each in gui/words.py).
CRS_INTERRUPT = "crs_interrupt"                   # D2: CRS grade >= the protocol's interrupt grade
ICANS_INTERRUPT = "icans_interrupt"               # R-MOD-3: ICANS grade >= the protocol's interrupt grade (3)
DISCONTINUATION_OPEN = "discontinuation_open"     # a "discontinue permanently" prompt stands (R-MOD-2/3/4, R-ICN-6)
DISCONTINUED_THERAPY = "therapy_discontinued"     # the therapy was discontinued
PREMEDICATION_FIRST = "premedication_first"       # D2 / R-PREMED: premedication is due before this start


@dataclass(frozen=True)
class GuardReason:
    """Why a start or restart is stopped: a code, its words, and the rule behind it."""

    code: str
    text: str
    rule: str


def infusion_guard(state: PatientState, protocol: Protocol) -> list[GuardReason]:
    """The reasons a start or restart of the infusion must not go ahead on its own at this state.

    Args:
        state: The patient's :class:`core.state.PatientState` at the moment of the start (before it).
        protocol: The ward protocol (interrupt grades, D2).
    """
    reasons: list[GuardReason] = []
    crs_grade = state.crs.grade
    icans_grade = state.icans.grade
    infusion = state.infusion
    codes = {r.code for r in state.recommendations}
    if infusion.state == DISCONTINUED:
        reasons.append(GuardReason(DISCONTINUED_THERAPY, "Blinatumomab was discontinued for this patient.", "R-MOD-2"))
    elif guidance.DISCONTINUE_PERMANENTLY in codes:
        reasons.append(GuardReason(
            DISCONTINUATION_OPEN, "A permanent discontinuation is recommended and not yet decided.", "R-MOD-2"))
    if crs_grade >= protocol.actions.interrupt_crs_grade:
        reasons.append(GuardReason(
            CRS_INTERRUPT, f"CRS grade {crs_grade}: the protocol interrupts the infusion at grade "
                           f">= {protocol.actions.interrupt_crs_grade}.", "D2"))
    if icans_grade is not None and icans_grade >= protocol.neuro.interrupt_icans_grade:
        reasons.append(GuardReason(
            ICANS_INTERRUPT, f"ICANS grade {icans_grade}: the label withholds the infusion at grade "
                             f">= {protocol.neuro.interrupt_icans_grade}.", "R-MOD-3"))
    if infusion.premedication_due:
        reason = infusion.premedication_reason
        event = (premed_event_text(reason, protocol.infusion.premedication_hold_minutes) if reason
                 else "this start")
        reasons.append(GuardReason(
            PREMEDICATION_FIRST, f"Premedication is due before {event}: record it first.", "D2"))
    return reasons
