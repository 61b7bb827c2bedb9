"""Typed errors of CRS Bedside (the bottom of the domain: it imports nothing of the project).

The command line maps :class:`InputError` to exit status 2, any other :class:`BedsideError` to exit status 1; the
GUI shows the same message inline next to the field. core/validation_messages.py turns a validation failure into
the plain sentence an :class:`InputError` carries.
"""

from __future__ import annotations

from typing import Any


class BedsideError(Exception):
    """Base class of every error CRS Bedside reports to a person."""


class InputError(BedsideError):
    """Bad input: an unreadable file, invalid JSON, a field out of range, an unknown patient.

    Attributes:
        field: The dotted path of the offending field (``records[12].temperature_c``), or ``None``.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class GuardRefused(InputError):
    """A start or restart of the infusion stopped by a guard rail (core/rules/guard.py); nothing was written.

    Attributes:
        reasons: The :class:`core.rules.guard.GuardReason` list; the GUI offers the clinician's override.
    """

    def __init__(self, message: str, reasons: list[Any], field: str | None = "override_reason"):
        super().__init__(message, field)
        self.reasons = reasons


class StoreError(BedsideError):
    """The database file cannot be used as it is (damaged, locked, newer schema, read-only, disk full)."""
