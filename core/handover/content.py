"""The structured content of the printed handover (pure data: grades, scores, times, rule ids), one dataclass per
part of a patient's page, the ward summary's line and the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from core.handover_words import (
    words,
)
from core.records import (
    Patient,
)
from core.state import TRAIL_HOURS

TREND_HOURS = TRAIL_HOURS

DISCLAIMER = words("en")["disclaimer"]
DEMO_MARK = words("en")["demo_mark"]
SCALES_TEXT = words("en")["scales"]


# -- the structured content ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Severity:
    """The illness severity: the app's suggestion with its reasons, and the one printed (nurse-selected)."""

    suggested: str
    reasons: tuple[str, ...]
    selected: str

    @property
    def changed_by_nurse(self) -> bool:
        return self.selected != self.suggested


@dataclass(frozen=True)
class TrendPoint:
    at: datetime
    value: float


@dataclass(frozen=True)
class TrendSeries:
    """One vital sign over the strip's window, with its reference line from the protocol (if any)."""

    key: str
    label: str
    unit: str
    points: tuple[TrendPoint, ...]
    reference: float | None = None


@dataclass(frozen=True)
class TrendStrip:
    """The 24-hour trend strip (drawn by gui/printing): four vital signs and the CRS/ICANS grade as steps."""

    start: datetime
    end: datetime
    series: tuple[TrendSeries, ...]
    crs_grade_steps: tuple[TrendPoint, ...]
    icans_grade_steps: tuple[TrendPoint, ...]
    #: The language of its words (core/handover_words.py).
    language: str = "en"


@dataclass(frozen=True)
class VitalSet:
    """One set of vitals as printed."""

    at: datetime
    temperature_c: float | None
    heart_rate: int | None
    respiratory_rate: int | None
    systolic_bp: int | None
    diastolic_bp: int | None
    spo2_percent: int | None
    oxygen: str | None
    consciousness: str | None
    by: str | None
    complete: bool


@dataclass(frozen=True)
class TimedValue:
    at: datetime
    value: float | int | None
    note: str | None = None


@dataclass(frozen=True)
class LabLine:
    test: str
    unit: str
    values: tuple[TimedValue, ...]
    tocilizumab_at: datetime | None = None
    unreliable_until: datetime | None = None


@dataclass(frozen=True)
class Given:
    """A medicine, bolus or vasopressor start as printed."""

    at: datetime
    what: str


@dataclass(frozen=True)
class CrsSummary:
    grade: int
    astct: int
    ctcae: int
    ctcae_at_least: bool
    scales_differ: bool
    computed_grade: int
    confirmed: str | None
    episode_open: bool
    episode_started: datetime | None
    episode_max_grade: int
    episode_max_astct: int
    episode_max_ctcae: int
    episodes_grade2_plus: int
    fever_waived: bool
    crs_treatment: tuple[Given, ...]
    rules: tuple[str, ...]
    #: INTERFACE.md ``crs.stale``: the grade rests on no current vital signs (printed with the last set's time).
    stale: bool = False
    last_vitals_at: datetime | None = None


@dataclass(frozen=True)
class IcansSummary:
    grade: int | None
    ice_trend: tuple[TimedValue, ...]
    seizures: int
    as_of: datetime | None


@dataclass(frozen=True)
class News2Summary:
    score: int | None
    risk: str | None
    complete: bool
    red_parameter: bool
    missing: tuple[str, ...]
    as_of: datetime | None
    trend: tuple[TimedValue, ...]
    direction: str | None
    not_applicable: str | None


@dataclass(frozen=True)
class Circulation:
    """Oxygen, vasopressors and fluids in force (D4, D11)."""

    oxygen: str
    oxygen_at: datetime | None
    vasopressors: tuple[Given, ...]
    fluids_24h: tuple[Given, ...]
    fluids_total_ml: float
    fluids_count_until: datetime | None


@dataclass(frozen=True)
class HoldLine:
    start: datetime
    end: datetime | None
    reason: str
    hours: float


@dataclass(frozen=True)
class InfusionSummary:
    state: str
    cycle: int | None
    cycle_day: int | None
    cycle_started: datetime | None
    dose_mcg_per_day: float | None
    infused_hours: float
    remaining_hours: float | None
    bag_hung_at: datetime | None
    bag_change_due: datetime | None
    hold_count: int
    holds: tuple[HoldLine, ...]
    total_held_hours: float
    current_hold_hours: float | None
    current_hold_reason: str | None
    new_cycle_limit_at: datetime | None
    discontinuation_limit_at: datetime | None
    restart_requires_new_cycle: bool
    premedication_due: bool
    premedication_reason: str | None
    last_premedication: Given | None
    step_up_due_at: datetime | None
    step_up_suppressed: bool
    restart_dose_mcg_per_day: float | None
    full_dose_mcg_per_day: float | None
    inpatient_period: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    """One line of the action list: when (``None`` = now), what, and the rule behind it."""

    due: datetime | None
    text: str
    rule: str
    kind: str
    overdue: bool = False
    #: A prompt nobody has answered yet (issue 13), and how an answered one was answered.
    pending: bool = False
    answered: str | None = None


@dataclass(frozen=True)
class RoundLine:
    """One thing done on the round in the last 24 h: a CRS medicine, a vasopressor started or stopped, a symptom,
    a note, an escalation with its response, observations not done with the reason."""

    at: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class Contingency:
    """One if/then line (RULES.md §7 item 6), with the protocol's thresholds written in."""

    condition: str
    response: str
    rules: str


@dataclass(frozen=True)
class PatientHandover:
    """Everything printed for one patient (RULES.md §7)."""

    patient: Patient
    at: datetime
    age_years: int
    severity: Severity
    risk_factors: tuple[str, ...]
    latest_record_at: datetime | None
    crs: CrsSummary
    icans: IcansSummary
    news2: News2Summary
    last_full_vitals: VitalSet | None
    later_partial_vitals: VitalSet | None
    circulation: Circulation
    labs: tuple[LabLine, ...]
    #: The flags in words (with the protocol's thresholds), then any record that cannot be read.
    flags: tuple[str, ...]
    infusion: InfusionSummary
    actions: tuple[Action, ...]
    contingencies: tuple[Contingency, ...]
    trend: TrendStrip
    next_observations_due: datetime | None
    observation_interval_minutes: int
    observations_overdue: bool
    round_24h: tuple[RoundLine, ...] = ()


@dataclass(frozen=True)
class WardLine:
    """One line of the ward summary."""

    bed: str | None
    name: str
    mrn: str
    demo: bool
    severity: str
    crs_grade: int
    episode_max_grade: int
    icans_grade: int | None
    news2_score: int | None
    infusion: str
    dose_mcg_per_day: float | None
    held_hours: float | None
    hold_count: int
    next_observations_due: datetime | None
    observations_overdue: bool
    prompts: tuple[str, ...]
    crs_stale: bool = False
    last_vitals_at: datetime | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What every page carries (printed at, data up to, protocol, app version, the disclaimer)."""

    printed_at: datetime
    data_up_to: datetime
    protocol_id: str
    protocol_version: str
    protocol_name: str
    app_version: str
    tz: tzinfo | None
    #: The protocol's hold limits in words (see limit_text and span_text), built from its values: a site whose
    #: new-cycle limit is five days prints five, never a number typed into the text.
    new_cycle_limit: str
    discontinuation_limit: str
    premedication_hold: str
    disclaimer: str = DISCLAIMER
    scales: str = SCALES_TEXT
    #: The language and temperature unit of the words (core/handover_words.py); ``tz`` None: each time in the
    #: computer's local time at that moment, daylight saving included, as the window shows it.
    language: str = "en"
    unit: str = "C"


@dataclass(frozen=True)
class Handover:
    """A whole handover document: the ward summary (when more than one patient) and one section per patient."""

    info: DocumentInfo
    patients: tuple[PatientHandover, ...]
    ward_lines: tuple[WardLine, ...]
    include_ward_summary: bool
    wards: tuple[str, ...] = field(default=())

    @property
    def any_demo(self) -> bool:
        return any(p.patient.demo for p in self.patients)
