"""The one place that turns a validation failure into a plain sentence: the field (``records[12].temperature_c``),
a short escaped excerpt of the value and the limit, with a hint where a unit or a fraction was likely meant (°F for
°C, FiO2 0.4 for 40 %). Core's models (core/records.py, core/protocol.py), the services and the window's inline
messages use it; it sits above the errors, the strict input checks and the fields' definitions, and below the
records (no import circle, issue 18).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from core.errors import InputError
from core.record_fields import field_limits
from core.strict_input import excerpt, field_path


def fahrenheit_suggestion(value: float) -> float | None:
    """RULES.md §5 (V39): a value of 80–115 in a °C field is probably °F; return the °C it converts to."""
    if 80.0 <= value <= 115.0:
        return round((value - 32.0) * 5.0 / 9.0, 1)
    return None


def celsius_suggestion(value: float, low_c: float, high_c: float) -> float | None:
    """The mirror of :func:`fahrenheit_suggestion` for a °F field: a value inside the °C range of the field
    (``low_c``–``high_c``, the record's limits) was probably typed in °C; return the °F it converts to."""
    if low_c <= value <= high_c:
        return round(value * 9.0 / 5.0 + 32.0, 1)
    return None


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return str(value)


def _limit_text(limits: dict[str, Any]) -> str:
    lo = limits.get("ge", limits.get("gt"))
    hi = limits.get("le", limits.get("lt"))
    unit = f" {limits['unit']}" if limits.get("unit") else ""
    if lo is not None and hi is not None and ("gt" in limits or "lt" in limits):
        low = f"{'above' if 'gt' in limits else 'at least'} {_fmt_number(lo)}"
        high = f"{'below' if 'lt' in limits else 'at most'} {_fmt_number(hi)}"
        return f"the range {low} and {high}{unit}"
    if lo is not None and hi is not None:
        return f"{_fmt_number(lo)}–{_fmt_number(hi)}{unit}"
    if lo is not None:
        return f"{'above' if 'gt' in limits else 'at least'} {_fmt_number(lo)}{unit}"
    return f"{'below' if 'lt' in limits else 'at most'} {_fmt_number(hi)}{unit}"


def _fio2_hint(name: str, value: Any) -> str:
    # RULES.md §5: FiO2 0.21–1.0 is a fraction typed into a percentage field.
    if name == "fio2_percent" and isinstance(value, (int, float)) and 0 < value <= 1:
        return " (enter FiO2 as a percentage, e.g. 40, not as a fraction)"
    return ""


def _describe(model: type[BaseModel] | None, error: ErrorDetails) -> tuple[str, str]:
    """Return (field path, reason) for one pydantic error: the path names list items by index
    (``vasopressors[1]``), and the value is quoted as a short escaped excerpt (core/strict_input.py)."""
    loc = list(error.get("loc", ()))
    name = ""
    for part in loc:
        name = field_path(name, part if isinstance(part, int) else str(part))
    top = str(loc[-1]) if loc and not isinstance(loc[-1], int) else ""   # the field whose limits and unit apply
    kind = error.get("type", "")
    value = error.get("input")
    shown = excerpt(value)
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"} and model is not None \
            and top in model.model_fields:
        limits = field_limits(model, top)
        reason = f"{_fmt_number(value)} is outside {_limit_text(limits)}"
        if top == "temperature_c" and isinstance(value, (int, float)):
            celsius = fahrenheit_suggestion(float(value))
            if celsius is not None:
                reason += f" (did you mean {celsius:.1f} °C? {_fmt_number(value)} looks like °F)"
        return name, reason + _fio2_hint(top, value)
    if kind == "finite_number":
        return name, f"{shown} is not a finite number"
    if kind == "extra_forbidden":
        return name, "unknown field (check the spelling)"
    if kind == "missing":
        return name, "is required"
    if kind in {"int_from_float", "int_parsing", "int_type"}:
        limit = ""
        if model is not None and top in model.model_fields and isinstance(value, float):
            limits = field_limits(model, top)
            if any(key in limits for key in ("ge", "gt", "le", "lt")):
                limit = f" (allowed: {_limit_text(limits)})"
        return name, f"{shown} is not a whole number{limit}" + _fio2_hint(top, value)
    if kind == "string_type":
        return name, f"{shown} is not text (write it in quotes)"
    if kind == "bool_type" or kind == "bool_parsing":
        return name, f"{shown} is not true or false"
    if kind in {"float_parsing", "float_type"}:
        return name, f"{shown} is not a number"
    if kind in {"enum", "literal_error"}:
        expected = error.get("ctx", {}).get("expected", "")
        return name, f"{shown} is not one of {expected}"
    if kind == "timezone_aware":
        return name, f"{shown} has no UTC offset (write e.g. 2026-01-10T08:00:00+01:00)"
    if kind.startswith(("datetime", "date")):
        return name, f"{shown} is not a valid ISO 8601 {'date and time' if 'datetime' in kind else 'date'}"
    if kind in {"string_too_long", "string_too_short", "too_long", "too_short"}:
        return name, f"{shown} {str(error.get('msg', 'has the wrong length')).lower()}"
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error.get("msg", "")))
        if ": " in message and not name:
            name, message = message.split(": ", 1)
        return name, message
    return name, f"{shown}: {error.get('msg', 'invalid')}"


def _typos_first(exc: ValidationError) -> list[ErrorDetails]:
    """The errors, a missing field last: a misspelt name is reported as unknown (what the user typed) rather than as
    the missing field it was meant to be."""
    errors = exc.errors(include_url=False)
    return sorted(errors, key=lambda error: error["type"] == "missing")


def format_validation_error(exc: ValidationError, model: type[BaseModel] | None = None, prefix: str = "") -> str:
    """One plain line naming the field, the value and the limit, e.g.

    ``records[12].temperature_c: 60.0 is outside 25.0–45.0 °C``.

    Args:
        exc: The pydantic error.
        model: The model that was validated (its fields give the limits and units).
        prefix: Where the object sits in the input (``records[12]``).
    """
    errors = _typos_first(exc)
    name, reason = _describe(model, errors[0])
    path = ".".join(part for part in (prefix, name) if part)
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{path}: {reason}{more}" if path else f"{reason}{more}"


def field_errors(exc: ValidationError, model: type[BaseModel] | None = None) -> dict[str, str]:
    """Every problem of a validation, by field name (the first one per field): the value and the limit, for forms
    that show each message next to its field."""
    found: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        name, reason = _describe(model, error)
        found.setdefault(name, reason)
    return found


def validation_input_error(exc: ValidationError, model: type[BaseModel] | None = None, prefix: str = "") -> InputError:
    """An :class:`InputError` for a pydantic failure, with the field path kept for inline display."""
    errors = _typos_first(exc)
    name, _ = _describe(model, errors[0])
    return InputError(format_validation_error(exc, model, prefix), field=name or None)
