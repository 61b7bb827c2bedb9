"""The printed handover's words in each language, keyed by code (one place; core cannot use Qt's tr). The GUI passes
the window's language and temperature unit, the command line takes ``--language en|es --unit c|f`` (INTERFACE.md
Additions). Numbers and limits inside the words come from the protocol where the handover builds them.

The word tables themselves are in core/handover_word_tables.py (imported from here too)."""

from __future__ import annotations

from datetime import date, datetime

from core.handover_word_tables import _MONTHS, _WEEKDAYS, LANGUAGES, NAMES, SENTENCES, UNITS, WORDS
from core.units import celsius_to_fahrenheit


def words(language: str) -> dict[str, str]:
    """The catalogue of ``language`` (``en`` or ``es``)."""
    return WORDS[language]


def patients(language: str, n: int) -> str:
    """``patient`` or ``patients`` for ``n`` in ``language``."""
    return WORDS[language]["patient_one" if n == 1 else "patient_many"]


def month(language: str, number: int) -> str:
    """The short month name (1 = January) in ``language``."""
    return _MONTHS[language][number - 1]


def weekday(language: str, number: int) -> str:
    """The short weekday name (0 = Monday) in ``language``."""
    return _WEEKDAYS[language][number]


def date_time_text(language: str, value: datetime) -> str:
    """``11 Jan 08:00`` / ``11 ene 08:00`` (the value as given; the caller puts it in local time)."""
    return f"{value.day:02d} {month(language, value.month)} {value:%H:%M}"


def date_text(language: str, value: date) -> str:
    """``02 Mar 1981`` / ``02 mar 1981``."""
    return f"{value.day:02d} {month(language, value.month)} {value.year}"


def temperature_text(celsius: float | None, unit: str) -> str:
    """A stored °C value in the unit of the handover: ``38.4 °C`` or ``101.1 °F``; ``—`` when absent."""
    if celsius is None:
        return "—"
    if unit == "F":
        return f"{celsius_to_fahrenheit(celsius):.1f} °F"
    return f"{celsius:.1f} °C"


_DAY = {"en": ("day", "days"), "es": ("día", "días")}
_LIMIT = {"en": ("{n}-day", "{n}-hour", "{n}-minute"), "es": ("de {n} días", "de {n} h", "de {n} min")}


def span_text(minutes: int, language: str = "en") -> str:
    """A protocol duration in words, from the protocol's value: whole days, else whole hours, else hours and minutes
    (``5 days`` / ``5 días``, ``4 h``, ``1 h 30 min``)."""
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} {_DAY[language][0 if days == 1 else 1]}"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return duration_text(minutes / 60)


def limit_text(minutes: int, language: str = "en") -> str:
    """A hold limit as an adjective, from the protocol's value: ``7-day`` (a ``7-day limit``), ``de 7 días`` (a
    ``límite de 7 días``); N-hour or N-minute when the value is not whole days."""
    day, hour, minute = _LIMIT[language]
    if minutes % 1440 == 0:
        return day.format(n=minutes // 1440)
    if minutes % 60 == 0:
        return hour.format(n=minutes // 60)
    return minute.format(n=minutes)


def duration_text(hours: float | None) -> str:
    """Hours as days and hours ("3 d 5 h"), hours and minutes ("2 h 20 min") or minutes ("45 min"), the same in
    both languages: a time gone or left, never a protocol value (those are :func:`span_text`)."""
    if hours is None:
        return "—"
    minutes = round(hours * 60)
    days, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    if days:
        return f"{days} d {h} h"
    if h:
        return f"{h} h {m:02d} min" if m else f"{h} h"
    return f"{m} min"


def name(language: str, table: str, code: object) -> str:
    """The printed name of ``code`` (an enumeration value or a string) in a table of :data:`NAMES`; the code itself
    when the table has no entry (a drug name in English, a code added later)."""
    key = str(getattr(code, "value", code))
    return NAMES[language].get(table, {}).get(key, key)


def premed_event_text(event: str, hold_minutes: int, language: str = "en") -> str:
    """The event premedication comes before, with the protocol's hold length (``the restart after a hold of 4 h or
    more`` at 240 minutes)."""
    return NAMES[language]["premed_event"][event].format(hold=span_text(hold_minutes, language))


# What core.handover_words re-exports from core/handover_word_tables.py.
__all__ = ["LANGUAGES", "NAMES", "SENTENCES", "UNITS", "WORDS"]
