"""Unit conversions for display (the store keeps °C, RULES.md §0). Pure helpers, no Qt."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _tenth(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def celsius_to_fahrenheit(celsius: float) -> float:
    """°C -> °F, rounded half-up to 0.1 (for display)."""
    return _tenth(celsius * 9.0 / 5.0 + 32.0)


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    """°F -> °C, rounded half-up to 0.1 as every stored temperature is (RULES.md §0)."""
    return _tenth((fahrenheit - 32.0) * 5.0 / 9.0)
