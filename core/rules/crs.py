"""CRS grading on two scales: ASTCT 2019 (R-AST) and CTCAE v5 as the seed's BiTE table (R-CTC), and decision D1.

Pure functions of one :class:`CrsInput` and the protocol. They return meaning (grades, tiers, flags and the ids
of the rules that fired); words and colours belong to the callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from core.protocol import Protocol
from core.records import POSITIVE_PRESSURE_DEVICES, Drug, OxygenDevice, Purpose, Vasopressor

ASTCT = "astct_2019"
CTCAE = "ctcae_v5"

# Flags (codes; the GUI and reports word them).
FLAG_OTHER_CAUSES = "hypotension_hypoxia_without_fever"   # R-AST-6 / D12
FLAG_DEVICE_FLOW_MISMATCH = "device_flow_mismatch"        # R-AST-5: HFNC at <= 6 L/min
FLAG_ANGIOTENSIN_CONFIRM = "angiotensin_ii_confirm"       # R-AST-4
FLAG_FIO2_NOT_RECORDED = "fio2_not_recorded"              # R-CTC-5 / D5
FLAG_FEVER_WAIVED = "fever_waived"                        # R-AST-2
FLAG_FEVER_OTHER_CAUSE = "fever_other_cause"              # R-AST-1

#: Hypoxia tier of each device with its flow ignored (R-AST-5); nasal cannula depends on flow.
_DEVICE_TIER = {
    OxygenDevice.ROOM_AIR: 0,
    OxygenDevice.BLOW_BY: 2,
    OxygenDevice.HIGH_FLOW_NASAL_CANNULA: 3,
    OxygenDevice.SIMPLE_MASK: 3,
    OxygenDevice.VENTURI_MASK: 3,
    OxygenDevice.NON_REBREATHER: 3,
    OxygenDevice.CPAP: 4,
    OxygenDevice.BIPAP: 4,
    OxygenDevice.INVASIVE_VENTILATION: 4,
}


@dataclass(frozen=True)
class CrsInput:
    """Everything CRS grading looks at: the current assessment with the interventions in force (D11)."""

    temperature_c: float | None = None
    systolic_bp: int | None = None
    oxygen_device: OxygenDevice | None = None
    oxygen_flow_l_min: float | None = None
    fio2_percent: int | None = None
    oxygen_for_comfort_only: bool = False
    fluid_bolus_given: bool = False
    vasopressors: frozenset[Vasopressor] = frozenset()
    life_threatening: bool = False
    fever_other_cause: bool = False
    crs_episode_open: bool = False
    crs_treatment_given: bool = False
    age_years: int | None = None


@dataclass(frozen=True)
class ScaleGrade:
    """One scale's grade, whether it is only a lower bound (D5), and the rules that fired."""

    grade: int
    rules: tuple[str, ...]
    at_least: bool = False

    def compatible_with(self, other: ScaleGrade) -> bool:
        """Whether the two grades can describe the same patient: equal, or one is a lower bound (D5) that the
        other meets or exceeds."""
        if self.grade == other.grade:
            return True
        return (self if self.grade < other.grade else other).at_least


@dataclass(frozen=True)
class CrsGrade:
    """Both scales and the grade the app displays and acts on (D1)."""

    grade: int
    astct: ScaleGrade
    ctcae: ScaleGrade
    scales_differ: bool
    fever: bool
    fever_waived: bool
    hypotension: bool
    hypotension_tier: int
    hypoxia_tier: int
    flags: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())
    scales_used: str = "both"

    @property
    def at_least(self) -> bool:
        """The displayed grade is only a lower bound: a scale that gives it is itself a lower bound (D5, D7)."""
        if self.scales_used == ASTCT:
            return self.astct.at_least
        if self.scales_used == CTCAE:
            return self.ctcae.at_least
        return any(s.at_least and s.grade == self.grade for s in (self.astct, self.ctcae))

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule id behind this grade, in order, without repeats."""
        return tuple(dict.fromkeys(self.astct.rules + self.ctcae.rules))


def has_fever(i: CrsInput, protocol: Protocol) -> bool:
    """R-AST-1: T >= 38.0 °C (protocol) and not attributed to another cause."""
    return i.temperature_c is not None and i.temperature_c >= protocol.grading.fever_c and not i.fever_other_cause


def treats_crs(drug: Drug, purpose: Purpose | None) -> bool:
    """R-AST-2: a medicine that, given after a CRS episode opened, waives the fever requirement in that episode: one
    given for CRS, or tocilizumab; premedication never counts (RULES.md §1.4)."""
    return (purpose is Purpose.CRS_TREATMENT or drug is Drug.TOCILIZUMAB) and purpose is not Purpose.PREMEDICATION


def hypotension_sbp_limit(age_years: int | None, protocol: Protocol) -> int:
    """The systolic pressure below which a single reading is hypotension (D4, R-AST-3).

    Adults and children older than ``paediatric_max_age_years`` (10): SBP < 90 mmHg (protocol). Ages 1–10:
    SBP < 70 + 2 x age (paediatric CARTOX, R-AST-3(c)). Under 1 year the same formula gives 70 mmHg, the usual
    infant limit; RULES.md names no limit under 1 year, so the formula is extended downwards rather than applying
    the adult 90 mmHg, which would call a normal infant pressure hypotension (design decision, confirm locally).
    """
    g = protocol.grading
    if age_years is not None and 0 <= age_years <= g.paediatric_max_age_years:
        return 70 + 2 * age_years
    return g.hypotension_sbp_below


def hypotension_present(i: CrsInput, protocol: Protocol) -> bool:
    """R-AST-3 / D4: a fluid bolus or vasopressor for low blood pressure, or SBP below the limit for the age.

    D4 overrides R-AST-3(b): a single reading below the limit counts (the wizard asks for a repeat).
    """
    if i.fluid_bolus_given or i.vasopressors:
        return True
    if i.systolic_bp is None:
        return False
    return i.systolic_bp < hypotension_sbp_limit(i.age_years, protocol)


def oxygen_needed(i: CrsInput) -> bool:
    """Supplemental oxygen given to correct hypoxia (ASTCT footnote 7: oxygen for comfort does not count)."""
    return (i.oxygen_device is not None and i.oxygen_device is not OxygenDevice.ROOM_AIR
            and not i.oxygen_for_comfort_only)


def ctcae_oxygen_needed(i: CrsInput) -> bool:
    """CTCAE reads oxygen by FiO2 (R-CTC-2/3): an FiO2 above air (21 %) recorded without a device still counts."""
    if oxygen_needed(i):
        return True
    return (i.oxygen_device is None and i.fio2_percent is not None and i.fio2_percent > 21
            and not i.oxygen_for_comfort_only)


def astct_hypotension_tier(i: CrsInput, protocol: Protocol) -> tuple[int, list[str]]:
    """R-AST-4: 4 with >= 2 distinct non-vasopressin vasopressors; 3 with any vasopressor; 2 with hypotension."""
    flags: list[str] = []
    if Vasopressor.ANGIOTENSIN_II in i.vasopressors:
        flags.append(FLAG_ANGIOTENSIN_CONFIRM)
    non_vasopressin = {agent for agent in i.vasopressors if agent is not Vasopressor.VASOPRESSIN}
    if len(non_vasopressin) >= 2:
        return 4, flags
    if i.vasopressors:
        return 3, flags
    return (2 if hypotension_present(i, protocol) else 0), flags


def astct_hypoxia_tier(i: CrsInput, protocol: Protocol) -> tuple[int, list[str]]:
    """R-AST-5: the tier of the oxygen device (nasal cannula by flow: <= 6 L/min low-flow, > 6 high-flow)."""
    device = i.oxygen_device
    if device is None or not oxygen_needed(i):
        return 0, []
    low_flow_max = protocol.grading.low_flow_max_l_min
    if device is OxygenDevice.NASAL_CANNULA:
        if i.oxygen_flow_l_min is not None and i.oxygen_flow_l_min > low_flow_max:
            return 3, []
        return 2, []
    if device is OxygenDevice.HIGH_FLOW_NASAL_CANNULA and i.oxygen_flow_l_min is not None \
            and i.oxygen_flow_l_min <= low_flow_max:
        return 3, [FLAG_DEVICE_FLOW_MISMATCH]  # conservative (V44)
    return _DEVICE_TIER[device], []


class AstctDetail(TypedDict):
    """The working behind an ASTCT grade: fever, its waiver (R-AST-2), the two tiers and the flags raised."""

    fever: bool
    waived: bool
    hypotension_tier: int
    hypoxia_tier: int
    flags: list[str]


def grade_astct(i: CrsInput, protocol: Protocol) -> tuple[ScaleGrade, AstctDetail]:
    """ASTCT 2019 grade (R-AST-1..6) with the working behind it."""
    rules: list[str] = []
    fever = has_fever(i, protocol)
    if fever:
        rules.append("R-AST-1")
    waived = i.crs_episode_open and i.crs_treatment_given  # R-AST-2: only inside an open episode after treatment
    if waived and not fever:
        rules.append("R-AST-2")
    hypo_tier, flags = astct_hypotension_tier(i, protocol)
    hypox_tier, hypox_flags = astct_hypoxia_tier(i, protocol)
    flags += hypox_flags
    if hypo_tier:
        rules += ["R-AST-3", "R-AST-4"]  # present (R-AST-3), then its tier (R-AST-4)
    if hypox_tier:
        rules.append("R-AST-5")
    # D7: a nasal cannula with no flow recorded is read as low-flow (tier 2); more than 6 L/min would be tier 3,
    # so the grade is only a lower bound until the flow is recorded.
    flow_unknown = (oxygen_needed(i) and i.oxygen_device is OxygenDevice.NASAL_CANNULA
                    and i.oxygen_flow_l_min is None)
    if not (fever or waived):
        grade = 0
        if hypo_tier or hypox_tier:
            flags.append(FLAG_OTHER_CAUSES)
            rules += ["R-AST-6", "D12"]
    else:
        grade = max(1 if fever else 0, hypo_tier, hypox_tier)
        rules.append("R-AST-6")
    detail: AstctDetail = {"fever": fever, "waived": waived, "hypotension_tier": hypo_tier, "hypoxia_tier": hypox_tier,
              "flags": flags}
    at_least = flow_unknown and grade == 2
    return ScaleGrade(grade, tuple(dict.fromkeys(rules)), at_least), detail


def grade_ctcae(i: CrsInput, protocol: Protocol) -> tuple[ScaleGrade, list[str]]:
    """CTCAE v5 grade by the interpretive mapping R-CTC-1..6 (the seed's BiTE table, RULES.md §0.1, §1.7)."""
    rules: list[str] = []
    flags: list[str] = []
    fever = has_fever(i, protocol)
    hypotension = hypotension_present(i, protocol)
    o2 = ctcae_oxygen_needed(i)
    fio2_missing = False
    grade = 0
    if fever:
        grade = 1
        rules.append("R-CTC-1")
    # Hypotension (R-CTC-2..4): vasopressin counts as an agent here.
    if len(i.vasopressors) >= 2:
        grade = max(grade, 4)
        rules.append("R-CTC-4")
    elif len(i.vasopressors) == 1:
        grade = max(grade, 3)
        rules.append("R-CTC-3")
    elif hypotension:
        grade = max(grade, 2)
        rules.append("R-CTC-2")
    # Hypoxia (R-CTC-2..5): by FiO2, never estimated from flow (D5); positive pressure is grade 4.
    if o2:
        if i.oxygen_device in POSITIVE_PRESSURE_DEVICES:
            grade = max(grade, 4)
            rules.append("R-CTC-4")
        elif i.fio2_percent is None:
            grade = max(grade, 2)
            fio2_missing = True
            rules.append("R-CTC-5")
            flags.append(FLAG_FIO2_NOT_RECORDED)
        elif i.fio2_percent >= protocol.grading.fio2_high_percent:
            grade = max(grade, 3)
            rules.append("R-CTC-3")
        else:
            grade = max(grade, 2)
            rules.append("R-CTC-2")
    if i.life_threatening:
        grade = max(grade, 4)
        rules.append("R-CTC-4")
    # D12 / R-CTC-6: outside an open episode, no CRS grade without fever; inside one, grades 2-4 need no fever.
    if not fever and not i.crs_episode_open and grade > 0:
        return ScaleGrade(0, ("R-CTC-6", "D12")), flags
    if not fever and i.crs_episode_open and grade > 0:
        rules.append("R-CTC-6")
    # D5: an unknown FiO2 could still be >= 40 %, so the grade is only a lower bound below grade 3.
    at_least = fio2_missing and grade < 3
    return ScaleGrade(grade, tuple(dict.fromkeys(rules)), at_least), flags


def grade_crs(i: CrsInput, protocol: Protocol) -> CrsGrade:
    """Grade one assessment on both scales; the displayed grade is the higher (D1) unless the protocol picks one.

    ``scales_differ`` is true when the two scales disagree; a lower bound (``at_least``, D5) that the other scale
    meets or exceeds does not disagree with it (CTCAE ">= 2, FiO2 not recorded" next to ASTCT grade 3). With a
    single scale chosen in the protocol, the other is still computed and shown, and ``scales_differ`` stays false.
    Grade 5 is never computed: only a clinician records it (R-AST-8).
    """
    astct, detail = grade_astct(i, protocol)
    ctcae, ctcae_flags = grade_ctcae(i, protocol)
    scales = protocol.grading.scales
    if scales == ASTCT:
        grade = astct.grade
    elif scales == CTCAE:
        grade = ctcae.grade
    else:
        grade = max(astct.grade, ctcae.grade)  # D1
    flags = list(detail["flags"]) + ctcae_flags
    if detail["waived"] and not detail["fever"]:
        flags.append(FLAG_FEVER_WAIVED)
    if i.fever_other_cause and i.temperature_c is not None and i.temperature_c >= protocol.grading.fever_c:
        flags.append(FLAG_FEVER_OTHER_CAUSE)
    missing = [name for name, value in (("temperature_c", i.temperature_c), ("systolic_bp", i.systolic_bp),
                                        ("oxygen_device", i.oxygen_device)) if value is None]
    if i.oxygen_device is OxygenDevice.NASAL_CANNULA and i.oxygen_flow_l_min is None:
        missing.append("oxygen_flow_l_min")
    if ctcae_oxygen_needed(i) and i.fio2_percent is None and i.oxygen_device not in POSITIVE_PRESSURE_DEVICES:
        missing.append("fio2_percent")
    return CrsGrade(
        grade=grade, astct=astct, ctcae=ctcae,
        scales_differ=scales == "both" and not astct.compatible_with(ctcae),
        fever=bool(detail["fever"]), fever_waived=bool(detail["waived"]),
        hypotension=hypotension_present(i, protocol), hypotension_tier=int(detail["hypotension_tier"]),
        hypoxia_tier=int(detail["hypoxia_tier"]), flags=tuple(dict.fromkeys(flags)),
        missing=tuple(missing), scales_used=scales,
    )
