"""The infusion regimen's vocabulary and the label's doses: the infusion states, why premedication is due, what was
wrong with it, how the label dose was worked out (R-DOSE-1), and the arithmetic of minutes and doses per day. Pure; the
names are also imported from :mod:`core.regimen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.protocol import Protocol
from core.records import Patient, StopReason

NOT_STARTED = "not_started"
RUNNING = "running"
HELD = "held"
BETWEEN_CYCLES = "between_cycles"
DISCONTINUED = "discontinued"
COMPLETED = "completed"

# Why premedication is due (D2 / R-PREMED-1).
PREMED_FIRST_DOSE = "first_dose_of_cycle"
PREMED_RESTART = "restart_after_hold"
PREMED_STEP_UP = "step_up"

# R-PREMED-3: what was wrong with the premedication before a start, restart or step-up.
PREMED_MISSING = "missing"
PREMED_OUTSIDE_WINDOW = "outside_window"

# R-DOSE-1: how the label dose was worked out.
DOSE_FIXED = "fixed"
DOSE_BSA = "bsa"
DOSE_BSA_MISSING = "bsa_missing"
DOSE_WEIGHT_MISSING = "weight_missing"

#: Holds after an adverse reaction: the restart is at the reduced dose and the step-up clock starts again
#: (R-MOD-1, R-MOD-3, R-MOD-6). A technical hold continues the step-up clock (R-DOSE-2, R-INT-4).
ADVERSE_REACTION_STOPS = frozenset({StopReason.CRS, StopReason.NEUROTOXICITY, StopReason.OTHER_ADVERSE_EVENT})

INFUSION_RECORD_TYPES = frozenset(
    {"infusion_started", "bag_changed", "infusion_stopped", "infusion_resumed", "therapy_discontinued"})

MINUTES_PER_DAY = 1440


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes between two instants (D8: UTC arithmetic, never wall-clock)."""
    return (end - start).total_seconds() / 60.0


def dose_per_day(dose_mcg: float, duration_h: float) -> float:
    """INTERFACE.md: a dose per day is ``dose_mcg x 24 / duration_h``."""
    return round(dose_mcg * 24.0 / duration_h, 3)


# -- label figures (information) --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dosing:
    """The label's doses for a patient (R-DOSE-1): fixed at >= 45 kg, BSA-based and capped below.

    Attributes:
        basis: ``fixed``, ``bsa``, ``bsa_missing`` (< 45 kg without a BSA: fixed doses shown, pharmacy to supply
            the BSA) or ``weight_missing``.
        reduced_mcg_per_day: Step-1 and restart dose (9 mcg/day, or 5 mcg/m2/day capped at 9).
        full_mcg_per_day: Full dose (28 mcg/day, or 15 mcg/m2/day capped at 28).
        reduced_uncapped: BSA x 5 mcg/m2 before the cap (BSA basis only).
        full_uncapped: BSA x 15 mcg/m2 before the cap (BSA basis only).
    """

    basis: str
    reduced_mcg_per_day: float
    full_mcg_per_day: float
    reduced_uncapped: float | None = None
    full_uncapped: float | None = None

    def to_json(self) -> dict[str, object]:
        """This as JSON (the ``status`` command)."""
        return {"basis": self.basis, "reduced_mcg_per_day": self.reduced_mcg_per_day,
                "full_mcg_per_day": self.full_mcg_per_day, "reduced_uncapped_mcg_per_day": self.reduced_uncapped,
                "full_uncapped_mcg_per_day": self.full_uncapped,
                "capped": self.reduced_uncapped is not None and (
                    self.reduced_uncapped > self.reduced_mcg_per_day
                    or (self.full_uncapped or 0) > self.full_mcg_per_day)}


def label_doses(patient: Patient, protocol: Protocol) -> Dosing:
    """The label doses for ``patient`` (R-DOSE-1; V31, V31b, V32).

    At ``weight_kg >= 45.0`` the fixed doses apply and BSA is ignored; below, BSA (from pharmacy) x mcg/m2/day,
    capped at the fixed doses.
    """
    i = protocol.infusion
    weight = patient.weight_kg
    if weight is None:
        return Dosing(DOSE_WEIGHT_MISSING, i.restart_dose_mcg_per_day, i.full_dose_mcg_per_day)
    if weight >= i.weight_fixed_dose_kg:
        return Dosing(DOSE_FIXED, i.restart_dose_mcg_per_day, i.full_dose_mcg_per_day)
    if not patient.bsa_m2:
        return Dosing(DOSE_BSA_MISSING, i.restart_dose_mcg_per_day, i.full_dose_mcg_per_day)
    reduced = round(i.restart_dose_mcg_m2_per_day * patient.bsa_m2, 3)
    full = round(i.full_dose_mcg_m2_per_day * patient.bsa_m2, 3)
    return Dosing(DOSE_BSA, min(reduced, i.restart_dose_mcg_per_day), min(full, i.full_dose_mcg_per_day),
                  reduced, full)
