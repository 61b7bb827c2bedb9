"""How a record's field is defined: its hard and soft limits and unit (RULES.md §5), the rounding of temperatures,
the plain-text check every text field passes, and the models' shared configuration; :func:`field_limits` reads
a field's limits back for messages and input widgets. Imported from :mod:`core.records` too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

from core.strict_input import text_problem


def _round_tenth_half_up(value: Any) -> Any:
    """RULES.md §0: temperatures are rounded half-up to 0.1 °C before any threshold is checked. Only numbers are
    rounded: text ("38.5") is left for the strict type check to refuse."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")):
        return value
    if isinstance(value, (int, float)) and round(value, 1) == value:
        return float(value)  # already at 0.1 °C (the common case): nothing to round
    try:
        return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    except ArithmeticError:
        return value


def _range(
    ge: float, le: float, unit: str, description: str, *, soft_min: float | None = None,
    soft_max: float | None = None, **extra: Any,
) -> Any:
    """A field with its hard range (reject) and soft range (confirm) from RULES.md §5."""
    schema_extra: dict[str, Any] = {"unit": unit}
    if soft_min is not None:
        schema_extra["soft_min"] = soft_min
    if soft_max is not None:
        schema_extra["soft_max"] = soft_max
    schema_extra.update(extra)
    return Field(None, ge=ge, le=le, description=description, json_schema_extra=schema_extra)


Temperature = Annotated[float, BeforeValidator(_round_tenth_half_up)]


#: Validation context of a record read back from the file: the checks added for new input (plain text, oxygen
#: device and flow) are not made again on what an older version stored, so its records stay readable.
STORED = {"stored": True}


def _stored(info: Any) -> bool:
    return bool(getattr(info, "context", None) and info.context.get("stored"))


#: Fields of free text, which may hold line breaks and tabs; every other text field (names, codes) holds one line.
FREE_TEXT_FIELDS = frozenset({"text", "note", "reason"})


class _Model(BaseModel):
    # Finite numbers only: NaN or Infinity is refused wherever a model is built (core/strict_input.py refuses
    # them in files first, naming the field). Each model's validator is built the first time it is used (defer_build):
    # start-up needs few of the record models, and building all of them cost about 35 ms of every start.
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False,
                              defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any, info: Any) -> Any:
        """Names and free text hold no control characters and no bidi overrides (core/strict_input.py)."""
        if _stored(info):
            return value
        if isinstance(value, str):
            texts: list[Any] = [value]
        elif isinstance(value, list):
            texts = [v for v in value if isinstance(v, str)]
        else:
            return value
        for text in texts:
            problem = text_problem(text, free_text=info.field_name in FREE_TEXT_FIELDS)
            if problem:
                raise ValueError(problem)
        return value


def field_limits(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The hard and soft limits and the unit of a numeric field, for messages and input widgets.

    Returns a dict with ``ge``, ``le`` (or ``gt``/``lt``), ``unit``, ``soft_min``, ``soft_max`` and ``decimals`` where
    the field defines them.
    """
    info = model.model_fields[name]
    limits: dict[str, Any] = {}
    for meta in info.metadata:
        for key in ("ge", "le", "gt", "lt"):
            value = getattr(meta, key, None)
            if value is not None:
                limits[key] = value
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    limits.update(extra)
    limits.setdefault("unit", "")
    return limits
