"""Laboratory rules (RULES.md §8): R-LAB-1, CRP unreliable after tocilizumab, and R-LAB-2, possible
HLH/MAS/IEC-HS from ferritin with a supporting finding. Pure functions over lab values and medication times.

Lab results arrive with free-text test names and units; the few units that matter here are converted to one
reference unit each, and a value in a unit not recognised is left out of the rule rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.protocol import Protocol
from core.rule_words import Sentence
from core.rules import guidance
from core.rules.guidance import Recommendation

BADGE_CRP_UNRELIABLE = "crp_unreliable"     # R-LAB-1
FLAG_CRP_UNRELIABLE = "crp_unreliable"      # R-LAB-1
FLAG_POSSIBLE_HLH = "possible_hlh"          # R-LAB-2
#: Seed §3.8: marrow blasts >= the protocol's ``labs.high_tumor_burden_blasts_percent`` (50 %).
RISK_HIGH_TUMOR_BURDEN = "high_tumor_burden"

# R-LAB-2 supporting findings (codes).
LOW_FIBRINOGEN = "low_fibrinogen"
NEW_CYTOPENIA = "new_cytopenia"
RISING_ALT = "rising_alt"

#: Multipliers to the reference unit of each test (ferritin ug/L, fibrinogen g/L, counts 10^9/L).
_UNITS: dict[str, dict[str, float]] = {
    "ferritin": {"ug/l": 1.0, "mcg/l": 1.0, "ng/ml": 1.0},
    "fibrinogen": {"g/l": 1.0, "mg/dl": 0.01, "mg/l": 0.001},
    "platelets": {"10^9/l": 1.0, "x10^9/l": 1.0, "10*9/l": 1.0, "10e9/l": 1.0, "g/l": 1.0, "10^3/ul": 1.0,
                  "x10^3/ul": 1.0, "10*3/ul": 1.0, "k/ul": 1.0, "/ul": 0.001, "cells/ul": 0.001, "/mm3": 0.001},
}
_UNITS["anc"] = _UNITS["platelets"]
#: R-LAB-2 "window" in which a supporting finding must lie, around the ferritin value.
SUPPORT_WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class Lab:
    """One lab value as recorded (test name and unit as entered)."""

    test: str
    value: float
    unit: str
    at: datetime

    @property
    def name(self) -> str:
        """The test name in lower case."""
        return self.test.strip().lower()


@dataclass(frozen=True)
class LabValue:
    """A lab value as the state shows it: with the R-LAB-1 badge when it cannot be trusted."""

    test: str
    value: float
    unit: str
    at: datetime
    badge: str | None = None


def normalise_unit(unit: str) -> str:
    """Lower case, no spaces, micro sign and Greek mu as ``u``, multiplication sign as ``x``."""
    return unit.strip().lower().replace(" ", "").replace("µ", "u").replace("μ", "u").replace("×", "x")


def in_reference_unit(lab: Lab) -> float | None:
    """The value in the test's reference unit, or ``None`` when the unit is not one this module knows."""
    factor = _UNITS.get(lab.name, {}).get(normalise_unit(lab.unit))
    return None if factor is None else lab.value * factor


def crp_unreliable(lab: Lab, tocilizumab_times: Sequence[datetime], protocol: Protocol) -> bool:
    """R-LAB-1: a CRP taken within ``labs.tocilizumab_crp_days`` (14) days after tocilizumab is unreliable."""
    window = timedelta(days=protocol.labs.tocilizumab_crp_days)
    return lab.name == "crp" and any(timedelta(0) <= lab.at - given <= window for given in tocilizumab_times)


def _series(labs: Sequence[Lab], name: str) -> list[tuple[Lab, float]]:
    return [(lab, value) for lab in labs if lab.name == name
            for value in (in_reference_unit(lab),) if value is not None]


def hlh_support(labs: Sequence[Lab], around: datetime, at: datetime, protocol: Protocol) -> list[str]:
    """R-LAB-2 supporting findings taken within 48 h of ``around`` (the ferritin), up to ``at``: low fibrinogen,
    a new cytopenia (the latest count below its limit when the one before it was not, or there was none
    before), rising ALT (the latest ALT above the one before)."""
    cfg = protocol.labs
    labs = [lab for lab in labs if lab.at <= at]
    recent = [lab for lab in labs if abs(lab.at - around) <= SUPPORT_WINDOW]
    support = []
    if any(value < cfg.fibrinogen_low_g_l for _, value in _series(recent, "fibrinogen")):
        support.append(LOW_FIBRINOGEN)
    for name, limit in (("platelets", cfg.platelets_low_10e9_l), ("anc", cfg.anc_low_10e9_l)):
        series = _series(labs, name)
        if series and abs(series[-1][0].at - around) <= SUPPORT_WINDOW and series[-1][1] < limit \
                and (len(series) == 1 or series[-2][1] >= limit):
            support.append(NEW_CYTOPENIA)
            break
    alts = [lab for lab in labs if lab.name == "alt"]
    if len(alts) >= 2 and abs(alts[-1].at - around) <= SUPPORT_WINDOW and alts[-1].value > alts[-2].value:
        support.append(RISING_ALT)
    return support


def possible_hlh(labs: Sequence[Lab], at: datetime, protocol: Protocol) -> tuple[Lab, list[str]] | None:
    """R-LAB-2: the latest ferritin >= ``labs.ferritin_hlh_ug_l`` (10,000 ug/L) or at least double a ferritin of
    the previous ``labs.ferritin_doubling_hours`` (48 h), plus one supporting finding (:func:`hlh_support`), as
    known at ``at``. Returns the ferritin and the findings, or ``None``."""
    cfg = protocol.labs
    labs = [lab for lab in labs if lab.at <= at]
    ferritins = _series(labs, "ferritin")
    if not ferritins:
        return None
    last, value = ferritins[-1]
    window = timedelta(hours=cfg.ferritin_doubling_hours)
    doubled = any(timedelta(0) < last.at - lab.at <= window and value >= 2 * earlier
                  for lab, earlier in ferritins[:-1])
    if value < cfg.ferritin_hlh_ug_l and not doubled:
        return None
    support = hlh_support(labs, last.at, at, protocol)
    return (last, support) if support else None


def lab_findings(labs: Sequence[Lab], tocilizumab_times: Sequence[datetime], at: datetime, protocol: Protocol,
                 ) -> tuple[tuple[LabValue, ...], list[Recommendation], list[str]]:
    """The lab values with their badges, and the prompts and flags of R-LAB-1 (CRP unreliable after tocilizumab) and
    R-LAB-2 (ferritin: possible HLH/MAS/IEC-HS), as known at ``at``."""
    values: list[LabValue] = []
    recs: list[Recommendation] = []
    flags: list[str] = []
    for lab in labs:
        badge = BADGE_CRP_UNRELIABLE if crp_unreliable(lab, tocilizumab_times, protocol) \
            else None
        values.append(LabValue(lab.test, lab.value, lab.unit, lab.at, badge))
    latest_crp = next((v for v in reversed(values) if v.test.strip().lower() == "crp"), None)
    if latest_crp is not None and latest_crp.badge:
        recs.append(Recommendation(guidance.CRP_UNRELIABLE, Sentence.of("crp_unreliable"), "R-LAB-1"))
        flags.append(FLAG_CRP_UNRELIABLE)
    hlh = possible_hlh(labs, at, protocol)
    if hlh is not None:
        ferritin, support = hlh
        recs.append(Recommendation(guidance.POSSIBLE_HLH, Sentence.of(
            "possible_hlh", value=ferritin.value, unit=ferritin.unit, findings=tuple(support)), "R-LAB-2"))
        flags.append(FLAG_POSSIBLE_HLH)
    return tuple(values), recs, flags


def risk_factors(marrow_blasts_percent: float | None, protocol: Protocol) -> tuple[str, ...]:
    """The patient's CRS risk factors (codes): a high tumour burden (seed §3.8)."""
    if marrow_blasts_percent is not None and marrow_blasts_percent >= protocol.labs.high_tumor_burden_blasts_percent:
        return (RISK_HIGH_TUMOR_BURDEN,)
    return ()
