"""Input plausibility (RULES.md §5): soft limits the nurse must confirm, and the hints that go with hard limits.

Hard limits live in the record models (`core.records`) and reject; soft limits live beside them in the same field
definitions (``soft_min`` / ``soft_max``) and are returned here as warnings to confirm. Nothing is ever clipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from core.records import OxygenDevice, VitalsFields, field_limits
from core.validation_messages import fahrenheit_suggestion

#: RULES.md §5: more than 15 L/min on a nasal cannula (unless high-flow) is asked to confirm.
NASAL_CANNULA_SOFT_MAX_L_MIN = 15.0


@dataclass(frozen=True)
class PlausibilityWarning:
    """A value inside the hard range but outside the soft range: accepted only after the user confirms."""

    field: str
    value: Any
    limit: float
    message: str


def soft_limit_warnings(values: dict[str, Any], model: type[BaseModel] = VitalsFields) -> list[PlausibilityWarning]:
    """Warnings for every value outside its soft range (values already inside the hard range).

    Args:
        values: Field name -> value, as entered (``None`` values are skipped).
        model: The record model whose fields carry the limits.
    """
    warnings: list[PlausibilityWarning] = []
    for name, value in values.items():
        if value is None or isinstance(value, bool) or name not in model.model_fields:
            continue
        if not isinstance(value, (int, float)):
            continue
        limits = field_limits(model, name)
        unit = f" {limits['unit']}" if limits.get("unit") else ""
        soft_min = limits.get("soft_min")
        soft_max = limits.get("soft_max")
        if soft_min is not None and value < soft_min:
            warnings.append(PlausibilityWarning(
                name, value, soft_min, f"{name}: {value:g}{unit} is below {soft_min:g}{unit} - please confirm"))
        elif soft_max is not None and value > soft_max:
            warnings.append(PlausibilityWarning(
                name, value, soft_max, f"{name}: {value:g}{unit} is above {soft_max:g}{unit} - please confirm"))
    device = values.get("oxygen_device")
    flow = values.get("oxygen_flow_l_min")
    if device in (OxygenDevice.NASAL_CANNULA, OxygenDevice.NASAL_CANNULA.value) and isinstance(flow, (int, float)) \
            and flow > NASAL_CANNULA_SOFT_MAX_L_MIN:
        warnings.append(PlausibilityWarning(
            "oxygen_flow_l_min", flow, NASAL_CANNULA_SOFT_MAX_L_MIN,
            f"oxygen_flow_l_min: {flow:g} L/min is above {NASAL_CANNULA_SOFT_MAX_L_MIN:g} L/min on a nasal cannula "
            "- high-flow? please confirm"))
    return warnings


def temperature_hint(value: float) -> str | None:
    """V39: a Celsius field holding a Fahrenheit value gets the conversion offered."""
    celsius = fahrenheit_suggestion(value)
    if celsius is None:
        return None
    return f"{value:g} looks like °F: did you mean {celsius:.1f} °C?"
