"""Guard rails on starting or resuming the infusion (issue 13): the protocol says interrupt, or the therapy is
discontinued, so a start or restart is refused with the reason unless a clinician confirms it with a reason; a start
that needs premedication asks for it first.

Pure: the services pass in the patient's state just before the start and what the nurse entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.protocol import Protocol
from core.regimen import DISCONTINUED
from core.rule_words import Sentence
from core.rules import guidance
from core.rules.codes import GuardCode
from core.rules.neuro_label import icans_withholds

if TYPE_CHECKING:  # the fold is a layer above the rules: its type names the argument, it is not imported to run
    from core.state import PatientState

#: Record types a guard stops.
GUARDED_TYPES = frozenset({"infusion_started", "infusion_resumed"})

# Reason codes (core/rules/codes.py; their words in core/rule_word_tables.py), by the names the GUI imports.
CRS_INTERRUPT = GuardCode.CRS_INTERRUPT
ICANS_INTERRUPT = GuardCode.ICANS_INTERRUPT
DISCONTINUATION_OPEN = GuardCode.DISCONTINUATION_OPEN
DISCONTINUED_THERAPY = GuardCode.DISCONTINUED_THERAPY
PREMEDICATION_FIRST = GuardCode.PREMEDICATION_FIRST


@dataclass(frozen=True)
class GuardReason:
    """Why a start or restart is stopped: a code, its words (a sentence key with the protocol's values, rendered at
    the edge), and the rule behind it."""

    code: GuardCode
    words: Sentence
    rule: str

    @property
    def text(self) -> str:
        """The reason in English (the command line's message)."""
        return self.words.text("en")


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
        reasons.append(GuardReason(DISCONTINUED_THERAPY, Sentence.of("guard_discontinued"), "R-MOD-2"))
    elif guidance.DISCONTINUE_PERMANENTLY in codes:
        reasons.append(GuardReason(DISCONTINUATION_OPEN, Sentence.of("guard_discontinuation_open"), "R-MOD-2"))
    if crs_grade >= protocol.actions.interrupt_crs_grade:
        reasons.append(GuardReason(CRS_INTERRUPT, Sentence.of(
            "guard_crs", grade=crs_grade, interrupt_grade=protocol.actions.interrupt_crs_grade), "D2"))
    if icans_grade is not None and icans_withholds(icans_grade, protocol):  # R-MOD-3, as the withhold prompt
        reasons.append(GuardReason(ICANS_INTERRUPT, Sentence.of(
            "guard_icans", grade=icans_grade, interrupt_grade=protocol.neuro.interrupt_icans_grade), "R-MOD-3"))
    if infusion.premedication_due:
        reason = infusion.premedication_reason
        words = Sentence.of("guard_premedication", event=reason,
                            hold_minutes=protocol.infusion.premedication_hold_minutes) if reason \
            else Sentence.of("guard_premedication_start")
        reasons.append(GuardReason(PREMEDICATION_FIRST, words, "D2"))
    return reasons
