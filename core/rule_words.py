"""The rules' words, made at the edge (issue 18): a rule returns a :class:`Sentence` — a sentence key and the
parameters it took from the protocol and the records at rule time — and the edge (the GUI in the window's language,
the handover in its own, the command line in English) renders it in a language of
:data:`core.handover_word_tables.LANGUAGES` from the templates of core/rule_word_tables.py.

Rendering a parameter, by its name:

- ``span_*``: minutes as a span (:func:`core.handover_words.span_text`: ``4 h``, ``3 days`` / ``3 días``);
- ``limit_*``: minutes as a limit (:func:`core.handover_words.limit_text`: ``7-day`` / ``de 7 días``);
- ``event``: a premedication event, with the hold of the ``hold_minutes`` parameter;
- ``drug``: a drug's code, by its name in the language;
- ``findings``: R-LAB-2 findings (codes), joined by commas;
- ``more``: further sentences, each after a space;
- a nested :class:`Sentence` is rendered in the same language; anything else goes in as it is (numbers are formatted
  by the template, ``{dose:g}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Union

from core.handover_words import limit_text, name, premed_event_text, span_text
from core.protocol import Protocol
from core.rule_word_tables import CODE_SENTENCES, DIFFERENTIAL, FINDINGS, MANAGEMENT, SENTENCES

#: Spanish contracts "de el" and "a el" ("antes de" + "el reinicio" is "antes del reinicio").
_CONTRACTIONS = re.compile(r"\b(de|a) el\b")
#: What a sentence's parameter may be.
Param = Union[int, float, str, None, "Sentence", tuple["Sentence", ...], tuple[str, ...]]


@dataclass(frozen=True)
class Sentence:
    """A sentence key of :data:`core.rule_word_tables.SENTENCES` and its parameters (in the order given)."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, key: str, **params: Param) -> Sentence:
        """``Sentence.of("crs_notify", grade=2)``."""
        if key not in SENTENCES["en"]:
            raise KeyError(f"no sentence {key!r} in core/rule_word_tables.py")
        return cls(key, tuple(params.items()))

    @property
    def values(self) -> dict[str, Param]:
        """The parameters by name."""
        return dict(self.params)

    def text(self, language: str = "en") -> str:
        """The sentence in ``language`` (``en`` or ``es``)."""
        values = self.values
        rendered = {key: _render(key, value, values, language) for key, value in values.items()}
        return contracted(SENTENCES[language][self.key].format(**rendered), language)


def contracted(text: str, language: str) -> str:
    """``text`` with the contractions of ``language`` made where words were put together (Spanish "de el" is "del",
    "a el" is "al"); other languages as they are."""
    return _CONTRACTIONS.sub(r"\1l", text) if language == "es" else text


def _render(key: str, value: Param, values: Mapping[str, Param], language: str) -> object:
    if isinstance(value, Sentence):
        return value.text(language)
    if key == "more":
        return "".join(f" {part.text(language)}" for part in value if isinstance(part, Sentence)) \
            if isinstance(value, tuple) else ""
    if key == "findings" and isinstance(value, tuple):
        return ", ".join(FINDINGS[language][str(code)] for code in value)
    if key.startswith("span_") and isinstance(value, int):
        return span_text(value, language)
    if key.startswith("limit_") and isinstance(value, int):
        return limit_text(value, language)
    if key == "event" and isinstance(value, str):
        hold = values.get("hold_minutes")
        return premed_event_text(value, hold if isinstance(hold, int) else 0, language)
    if key == "drug" and isinstance(value, str):
        return name(language, "drug", value)
    return value


def code_text(code: str, protocol: Protocol, language: str = "en") -> str:
    """The short sentence of a recommendation code (the ward list), with the protocol's premedication window; the
    code itself for a code without one."""
    text = CODE_SENTENCES[language].get(str(code))
    if text is None:
        return str(code)
    return text.format(span_window=span_text(protocol.infusion.premedication_window_minutes, language))


def management_text(grade: int, language: str = "en", *, sbp_limit: int) -> str:
    """The seed table's management for a CRS grade (RULES.md §0.1), its blood-pressure target the patient's own
    hypotension limit (``core.rules.crs.hypotension_sbp_limit``: the protocol's adult limit, 70 + 2 x age for a
    child); empty for a grade it lacks."""
    return MANAGEMENT[language].get(grade, "").format(sbp=sbp_limit)


def differential_text(code: str, language: str = "en") -> str:
    """A differential diagnosis (RULES.md §8) in words."""
    return DIFFERENTIAL[language][code]


def premed_reason_text(reason: str | None, protocol: Protocol, language: str = "en") -> str:
    """Why premedication is due, with the protocol's own hold length (empty without a reason)."""
    return name(language, "premed_reason", reason).format(
        hold=span_text(protocol.infusion.premedication_hold_minutes, language)) if reason else ""
