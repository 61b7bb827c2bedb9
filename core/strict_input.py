"""Strict reading of outside input (import files, ``grade``, the window's fields) before pydantic sees it.

- JSON is parsed with limits: at most :data:`MAX_DEPTH` levels of nesting and :data:`MAX_NUMBER_CHARS` characters
  per number; NaN, Infinity and numbers too large for a float (``1e309``) are refused, naming the field
  (``records[3].value: NaN is not a finite number``). Nothing is guessed and nothing fails with "unexpected failure".
- :func:`excerpt` is the one way a value from outside is quoted in a message: short, escaped, never a control
  character or a bidi override that could rewrite the terminal or the screen.
- :func:`text_problem` is the one rule for names and free text: no control characters (free text may hold line
  breaks and tabs) and no bidi overrides (``"Ann \\u202eesreveR"`` would print reversed).
- :func:`json_compatible` turns the window's Python values (enums, dates, UUIDs) into the JSON the strict models
  validate, so a typed field and an imported one pass the very same checks.
"""

from __future__ import annotations

import enum
import json
import math
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from core.errors import InputError

#: Levels of nesting an input document may have (an import file needs 4: file, records, record, a list field).
MAX_DEPTH = 20
#: Characters a number may have in input (a 64-bit float needs at most 24).
MAX_NUMBER_CHARS = 40
#: Characters of a value quoted in a message.
EXCERPT_CHARS = 40
#: Bidirectional embeddings, overrides and isolates (Unicode TR 9): they reorder the text around them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
#: Line breaks and tabs allowed in free text (notes, reasons); names and codes take none.
FREE_TEXT_WHITESPACE = frozenset("\n\t")


class _Refused:
    """A value the parser met but refuses, kept in place so the walk can name the field it sits in."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A value quoted for a message: at most ``limit`` characters, escaped (``repr``), never a raw control or bidi
    character; objects and lists are described, not dumped."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        cut = value[:limit]
        text = repr(cut)
        if any(ch in BIDI_CONTROLS for ch in cut):   # repr leaves some format characters as they are
            text = "".join(f"\\u{ord(ch):04x}" if ch in BIDI_CONTROLS else ch for ch in text)
        return text + ("…" if len(value) > limit else "")
    if isinstance(value, enum.Enum):
        return excerpt(value.value, limit)
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")   # as JSON writes them
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def text_problem(value: str, *, free_text: bool = False) -> str | None:
    """Why a name or text may not be stored (a control or bidi-override character), or ``None`` when it may."""
    if (_CONTROL_BUT_LINES if free_text else _ANY_CONTROL).search(value) is None:
        return None   # the common case, at C speed
    for index, ch in enumerate(value):
        if ch in BIDI_CONTROLS:
            return f"character {index + 1} is a bidi override (U+{ord(ch):04X}), which reorders the text; remove it"
        if (ord(ch) < 32 or 127 <= ord(ch) < 160) and not (free_text and ch in FREE_TEXT_WHITESPACE):
            return f"character {index + 1} is a control character (U+{ord(ch):04X}); remove it"
    return None


def _number(text: str, kind: type) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return _Refused(f"a number of {len(text)} characters is longer than {MAX_NUMBER_CHARS}")
    value = kind(text)
    if isinstance(value, float) and not math.isfinite(value):
        return _Refused(f"{excerpt(text)} is not a finite number (too large)")
    return value


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a finite number")


def field_path(prefix: str, part: str | int) -> str:
    """``records[3]`` + ``value`` -> ``records[3].value``; an index -> ``vasopressors[1]``; an odd key is escaped."""
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    name = part if part.isidentifier() else excerpt(part)
    return f"{prefix}.{name}" if prefix else name


def _walk(value: Any, path: str, depth: int) -> None:
    if isinstance(value, _Refused):
        raise InputError(f"{path or 'value'}: {value.reason}", path or None)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{path or 'value'}: {excerpt(value)} is not a finite number", path or None)
    if isinstance(value, (dict, list)):
        if depth >= MAX_DEPTH:
            raise InputError(f"{path or 'document'}: nested more than {MAX_DEPTH} levels deep", path or None)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            _walk(item, field_path(path, key), depth + 1)


def check_input_value(value: Any, prefix: str = "") -> None:
    """Refuse non-finite numbers and too deep nesting anywhere in an input value, naming the field.

    Raises:
        InputError: ``records[3].value: NaN is not a finite number``.
    """
    _walk(value, prefix, 0)


def parse_json_text(text: str, source: str) -> Any:
    """Parse JSON from outside with the limits above; a syntax error names its line and column.

    Raises:
        InputError: invalid JSON, too deep, a number too long or not finite (naming the field).
    """
    try:
        data = json.loads(text, parse_float=lambda s: _number(s, float), parse_int=lambda s: _number(s, int),
                          parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{source}: nested more than {MAX_DEPTH} levels deep") from None
    check_input_value(data)
    return data


def json_compatible(value: Any) -> Any:
    """The window's Python values as the JSON the strict models read (enum -> value, time -> ISO 8601, UUID -> text);
    numbers, booleans and text stay exactly what they are, so nothing is guessed."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):   # a time without an offset is refused by the model, naming the field
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {key: json_compatible(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_compatible(item) for item in value]
    return value


def strict_json(value: Any) -> str:
    """JSON text of an input value for strict validation."""
    # NaN/Infinity from the window reach the model, which refuses them naming the field (allow_inf_nan=False).
    return json.dumps(json_compatible(value), ensure_ascii=False)
