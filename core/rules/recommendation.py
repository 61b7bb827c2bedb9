"""One prompt of the rules (D3, D6): :class:`Recommendation`, a code of the fixed vocabulary (core/rules/codes.py),
its words and the rule id that produced it. Its own module so that every rule module can make one without importing
another (core/rules/guidance.py re-exports it by the name the rest of the code uses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.rule_words import Sentence
from core.rules.codes import RecommendationCode

if TYPE_CHECKING:
    from core.rules.escalation import Acknowledgement


@dataclass(frozen=True)
class Recommendation:
    """One prompt: a code from the fixed vocabulary, its words (a sentence key with the parameters the rule took
    from the protocol and the records; rendered at the edge in the reader's language), and the rule that produced
    it."""

    code: RecommendationCode
    words: Sentence
    rule: str
    #: Who answered it (core/rules/escalation.py); ``None`` while pending or where nothing asks (``grade``).
    acknowledged: Acknowledgement | None = None
    #: When it arose (the fold's states have carried this code since then).
    since: datetime | None = None
    #: For ``escalate_unacknowledged``: the codes left pending too long.
    about: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The sentence in English (the command line's JSON; :meth:`Sentence.text` for another language)."""
        return self.words.text("en")

    def to_json(self) -> dict[str, str]:
        return {"code": str(self.code), "text": self.text, "rule": self.rule}
