"""The handover summary (RULES.md §7): I-PASS sections with SBAR content, built as data, then as HTML. No Qt.

Two steps (ARCHITECTURE.md, STYLE.md practice 13): :func:`build_handover` folds every patient's records into the
structured content of the printed handover (pure data: grades, scores, times, rule ids); :func:`patient_html`
and :func:`ward_html` turn that content into HTML through Jinja2 templates in ``resources/templates``. gui/printing
lays the HTML out on pages, paints the page header and footer, and draws the 24-hour trend strip from
:class:`TrendStrip`.

Jinja2 is used (rather than ``string.Template``) because the pages need loops, conditionals and escaping of every
value: with ``autoescape`` on, a patient called ``<b>O'Neil & Co</b>`` is printed as written, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

import jinja2

from core.clock import utc
from core.errors import InputError
from core.handover_words import (
    LANGUAGES,
    UNITS,
    date_text,
    date_time_text,
    duration_text,
    limit_text,
    name,
    patients,
    premed_event_text,
    span_text,
    temperature_text,
    words,
)
from core.paths import resource
from core.protocol import Protocol
from core.records import (
    CORTICOSTEROIDS,
    Arousal,
    Drug,
    Escalation,
    FluidBolus,
    MedicationGiven,
    Note,
    ObservationsNotDone,
    OxygenDevice,
    Patient,
    Purpose,
    RecordBase,
    StoredRecord,
    Symptom,
    VasopressorStarted,
    VasopressorStopped,
    VitalsRecord,
)
from core.regimen import HELD, PREMED_MISSING, RUNNING, PremedicationWarning
from core.rules import guidance
from core.rules.crs import CrsGrade, CrsInput, hypotension_present
from core.rules.escalation import Acknowledgement
from core.rules.icans import ice_tier
from core.rules.news2 import HIGH, MEDIUM, PARAMETERS, News2, risk_band
from core.rules.news2 import MIN_AGE_YEARS as NEWS2_MIN_AGE_YEARS
from core.state import TRAIL_HOURS, LabValue, PatientState, TrailPoint, effective_records, fold_order, record_order
from core.units import celsius_to_fahrenheit

if TYPE_CHECKING:  # the services are the layer above: named for the type checker, not imported to run
    from core.services import Bedside

# -- illness severity (RULES.md §7 item 1) ------------------------------------------------------------------------
STABLE = "stable"
WATCHER = "watcher"
UNSTABLE = "unstable"
SEVERITIES = (STABLE, WATCHER, UNSTABLE)
#: RULES.md §7 item 1: the app suggests Watcher at CRS or ICANS grade >= 1 (or NEWS2 >= 5, the "medium" band) and
#: Unstable at CRS or ICANS grade >= 3 (or NEWS2 >= 7, the "high" band). NEWS2 thresholds are those of news2.py.
WATCHER_MIN_GRADE = 1
UNSTABLE_MIN_GRADE = 3
_WATCHER_NEWS2_RISKS = frozenset({MEDIUM, HIGH})
_UNSTABLE_NEWS2_RISKS = frozenset({HIGH})

#: RULES.md §2.1: the ICE score is for patients aged 12 and over (CAPD below 12).
ICE_MIN_AGE_YEARS = 12
TREND_HOURS = TRAIL_HOURS
#: The latest few values shown as a trend in the text (ICE, NEWS2, CRP, ferritin).
TREND_TEXT_POINTS = 4
#: The series of the strip: the record field, its label's key in core/handover_words.py and its unit.
TREND_SERIES = (
    ("temperature_c", "trend_temp", "°C"),
    ("heart_rate", "trend_pulse", "/min"),
    ("systolic_bp", "trend_sbp", "mmHg"),
    ("spo2_percent", "trend_spo2", "%"),
)
#: Labs shown with a trend; any other test is shown with its latest value.
TREND_LABS = ("crp", "ferritin")

DISCLAIMER = words("en")["disclaimer"]
DEMO_MARK = words("en")["demo_mark"]
SCALES_TEXT = words("en")["scales"]

#: How many prompts the ward summary line shows.
WARD_PROMPTS = 3


def premed_reason_text(reason: str | None, protocol: Protocol, language: str = "en") -> str:
    """Why premedication is due, with the protocol's own hold length."""
    return name(language, "premed_reason", reason).format(
        hold=span_text(protocol.infusion.premedication_hold_minutes, language)) if reason else ""


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


# -- building -----------------------------------------------------------------------------------------------------
def suggest_severity(crs_grade: int, icans_grade: int | None, news2_risk: str | None,
                     news2_score: float | None = None, language: str = "en") -> tuple[str, tuple[str, ...]]:
    """RULES.md §7 item 1: Watcher if CRS >= G1, ICANS >= G1 or NEWS2 >= 5; Unstable if CRS >= G3, ICANS >= G3 or
    NEWS2 >= 7 (the NEWS2 "medium" and "high" bands of news2.py).

    Returns:
        The suggested severity and the reasons behind it (empty for Stable).
    """
    icans = icans_grade or 0
    w = words(language)
    unstable, watcher = [], []
    for scale, grade in ((w["crs"], crs_grade), ("ICANS", icans)):
        if grade >= UNSTABLE_MIN_GRADE:
            unstable.append(w["sev_reason"].format(scale=scale, grade=grade))
        elif grade >= WATCHER_MIN_GRADE:
            watcher.append(w["sev_reason"].format(scale=scale, grade=grade))
    if news2_risk in _UNSTABLE_NEWS2_RISKS:
        unstable.append(f"NEWS2 {news2_score}")
    elif news2_risk in _WATCHER_NEWS2_RISKS:
        watcher.append(f"NEWS2 {news2_score}")
    if unstable:
        return UNSTABLE, tuple(unstable + watcher)
    if watcher:
        return WATCHER, tuple(watcher)
    return STABLE, ()


def severity_rule_text(language: str = "en") -> str:
    """The suggestion rule in words, with its thresholds (printed under the severity)."""
    return words(language)["severity_rule"].format(watcher=WATCHER_MIN_GRADE, medium=_news2_threshold(MEDIUM),
                                                   unstable=UNSTABLE_MIN_GRADE, high=_news2_threshold(HIGH))


def _news2_threshold(band: str) -> int:
    """The lowest NEWS2 total in a risk band, read from news2.risk_band so the number lives in one place."""
    return next(score for score in range(21) if risk_band(score, False) == band)


def _sbp_limit(protocol: Protocol, age: int) -> int:
    """The systolic BP below which this patient counts as hypotensive (R-AST-3, adult or paediatric), read from
    crs.hypotension_present so the rule lives in one place."""
    return next(sbp for sbp in range(20, 301) if not hypotension_present(CrsInput(systolic_bp=sbp, age_years=age),
                                                                          protocol))


def _ice_max_for_tier(tier: int) -> int:
    """The highest ICE score that gives at least ``tier`` (R-ICN-1), read from icans.ice_tier."""
    return max(score for score in range(11) if ice_tier(score, Arousal.AWAKE) >= tier)


def _oxygen_text(device: object, flow: object, fio2: object, comfort: object, language: str) -> str:
    if device is None:
        return words(language)["not_recorded"]
    if not isinstance(device, OxygenDevice):
        return str(device)
    text = name(language, "device", device)
    if flow is not None:
        text += f" {flow:g} L/min"
    if fio2 is not None:
        text += f", FiO2 {fio2} %"
    if comfort:
        text += words(language)["for_comfort"]
    return text


def _vital_set(r: VitalsRecord, language: str) -> VitalSet:
    complete = all(getattr(r, name) is not None for name in PARAMETERS)
    return VitalSet(
        at=r.at, temperature_c=r.temperature_c, heart_rate=r.heart_rate, respiratory_rate=r.respiratory_rate,
        systolic_bp=r.systolic_bp, diastolic_bp=r.diastolic_bp, spo2_percent=r.spo2_percent,
        oxygen=None if r.oxygen_device is None else _oxygen_text(
            r.oxygen_device, r.oxygen_flow_l_min, r.fio2_percent, r.oxygen_for_comfort_only, language),
        consciousness=None if r.consciousness is None else name(language, "acvpu", r.consciousness), by=r.by,
        complete=complete)


def _given_text(r: MedicationGiven, language: str) -> str:
    return f"{name(language, 'drug', r.drug)} {r.dose_mg:g} mg {name(language, 'purpose', r.purpose)}".strip()


def _direction(values: Sequence[TimedValue]) -> str | None:
    numbers = [v.value for v in values if v.value is not None]
    if len(numbers) < 2:
        return None
    if numbers[-1] > numbers[-2]:
        return "rising"
    if numbers[-1] < numbers[-2]:
        return "falling"
    return "steady"


def _history_in(history: Sequence[TrailPoint], start: datetime, end: datetime) -> list[TrailPoint]:
    return [s for s in history if start <= s.at <= end]


def _trend(history: Sequence[TrailPoint], vitals: Sequence[VitalsRecord], at: datetime,
           protocol: Protocol, language: str = "en") -> TrendStrip:
    start = at - timedelta(hours=TREND_HOURS)
    window = [r for r in vitals if start <= r.at <= at]
    references = {"temperature_c": protocol.grading.fever_c,
                  "systolic_bp": float(protocol.grading.hypotension_sbp_below)}
    series = tuple(
        TrendSeries(key, words(language)[label], unit, tuple(TrendPoint(r.at, float(getattr(r, key))) for r in window
                                            if getattr(r, key) is not None), references.get(key))
        for key, label, unit in TREND_SERIES)
    before = [s for s in history if s.at < start and s.window]
    inside = [s for s in _history_in(history, start, at) if s.window]
    crs_steps: list[TrendPoint] = [TrendPoint(start, float(before[-1].crs_grade if before else 0))]
    icans_steps: list[TrendPoint] = []
    first_icans = before[-1].icans_grade if before else None
    if first_icans is not None:
        icans_steps.append(TrendPoint(start, float(first_icans)))
    for s in inside:
        if s.crs_grade != crs_steps[-1].value:
            crs_steps.append(TrendPoint(s.at, float(s.crs_grade)))
        if s.icans_grade is not None and (not icans_steps or s.icans_grade != icans_steps[-1].value):
            icans_steps.append(TrendPoint(s.at, float(s.icans_grade)))
    return TrendStrip(start, at, series, tuple(crs_steps), tuple(icans_steps), language)


def _crs_summary(state: PatientState, history: Sequence[TrailPoint], records: Sequence[RecordBase],
                 language: str = "en") -> CrsSummary:
    c = state.crs
    episode = c.episodes[-1] if c.episodes else None
    max_astct = max_ctcae = 0
    treatment: tuple[Given, ...] = ()
    if episode is not None:
        end = episode.ended or state.at
        in_episode = _history_in(history, episode.started, end)
        max_astct = max((point.astct for point in in_episode), default=0)
        max_ctcae = max((point.ctcae for point in in_episode), default=0)
        treatment = tuple(
            Given(r.at, _given_text(r, language)) for r in records
            if isinstance(r, MedicationGiven) and episode.started <= r.at <= end
            and r.purpose is not Purpose.PREMEDICATION
            and (r.purpose is Purpose.CRS_TREATMENT or r.drug is Drug.TOCILIZUMAB))
    confirmed = None
    if c.confirmed is not None:
        k = c.confirmed
        w = words(language)
        confirmed = (w["confirmed"].format(grade=k.grade, by=k.by or w["a_clinician"],
                                           status=w["in_force"] if k.in_force else w["superseded"],
                                           computed=k.computed_grade, reason=k.reason)
                     + f"; {k.signature or w['not_signed']}")
    return CrsSummary(
        grade=c.grade, astct=c.computed.astct.grade, ctcae=c.computed.ctcae.grade,
        ctcae_at_least=c.computed.ctcae.at_least, scales_differ=c.computed.scales_differ,
        computed_grade=c.computed.grade, confirmed=confirmed, episode_open=c.episode_open,
        episode_started=episode.started if episode else None, episode_max_grade=c.episode_max_grade,
        episode_max_astct=max_astct, episode_max_ctcae=max_ctcae, episodes_grade2_plus=c.episodes_grade2_plus,
        fever_waived=c.computed.fever_waived, crs_treatment=treatment, rules=c.computed.rules, stale=c.stale,
        last_vitals_at=c.last_vitals_at)


def _news2_summary(state: PatientState, history: Sequence[TrailPoint], at: datetime) -> News2Summary:
    start = at - timedelta(hours=TREND_HOURS)
    seen: dict[datetime, TimedValue] = {}
    for s in _history_in(history, start, at):
        if s.window and s.news2_complete and s.news2_as_of is not None:
            seen[s.news2_as_of] = TimedValue(s.news2_as_of, s.news2_score)
    trend = tuple(sorted(seen.values(), key=lambda v: v.at))[-TREND_TEXT_POINTS:]
    n = state.news2
    return News2Summary(
        score=n.score, risk=n.risk, complete=n.complete, red_parameter=n.red_parameter, missing=n.missing,
        as_of=state.news2_as_of, trend=trend, direction=_direction(trend), not_applicable=n.not_applicable)


def _labs(state: PatientState, tocilizumab: Sequence[datetime], protocol: Protocol) -> tuple[LabLine, ...]:
    by_test: dict[str, list[LabValue]] = {}
    for lab in state.labs:
        by_test.setdefault(lab.test.lower(), []).append(lab)
    lines = []
    window = timedelta(days=protocol.labs.tocilizumab_crp_days)
    for test in sorted(by_test, key=lambda t: (TREND_LABS.index(t) if t in TREND_LABS else len(TREND_LABS), t)):
        values = by_test[test]
        shown = values[-TREND_TEXT_POINTS:] if test in TREND_LABS else values[-1:]
        toci = None
        if test == "crp" and tocilizumab and state.at - tocilizumab[-1] <= window:
            # R-LAB-1: CRP falls after IL-6 blockade whatever the cause; a normal CRP is not reassurance.
            toci = tocilizumab[-1]
        lines.append(LabLine(
            test=test, unit=values[-1].unit,
            values=tuple(TimedValue(v.at, v.value, "unreliable" if v.badge == "crp_unreliable" else None)
                         for v in shown),
            tocilizumab_at=toci, unreliable_until=toci + window if toci else None))
    return tuple(lines)


def _flag_text(flag: str, protocol: Protocol, language: str) -> str:
    """A flag the rules return, in words, with the protocol's thresholds."""
    return name(language, "flag", flag).format(flow=f"{protocol.grading.low_flow_max_l_min:g}",
                                               grade=protocol.actions.recurrence_min_grade)


def _warning_text(warning: PremedicationWarning, language: str) -> str:
    """R-PREMED-3's warning line in ``language`` (its time in ISO, made local by the template)."""
    w = words(language)
    event = premed_event_text(warning.event, warning.hold_minutes, language)
    if warning.problem == PREMED_MISSING:
        return w["warning_missing"].format(at=warning.at.isoformat(), event=event)
    return w["warning_window"].format(at=warning.at.isoformat(), minutes=f"{warning.minutes_before:g}", event=event)


def _infusion_summary(state: PatientState, premeds: Sequence[MedicationGiven], language: str) -> InfusionSummary:
    inf = state.infusion
    last_premed = premeds[-1] if premeds else None
    return InfusionSummary(
        state=inf.state, cycle=inf.cycle, cycle_day=inf.cycle_day, cycle_started=inf.cycle_started,
        dose_mcg_per_day=inf.current_dose_mcg_per_day, infused_hours=inf.infused_hours_this_cycle,
        remaining_hours=inf.remaining_infusion_hours_this_cycle, bag_hung_at=inf.bag_hung_at,
        bag_change_due=inf.bag_change_due, hold_count=inf.hold.count_this_cycle,
        holds=tuple(HoldLine(h.start, h.end, h.reason.value, h.minutes(state.at) / 60.0) for h in inf.holds),
        total_held_hours=inf.hold.total_held_hours_this_cycle, current_hold_hours=inf.hold.current_hold_hours,
        current_hold_reason=inf.hold.current_hold_reason, new_cycle_limit_at=inf.new_cycle_limit_at,
        discontinuation_limit_at=inf.discontinuation_limit_at,
        restart_requires_new_cycle=inf.restart_requires_new_cycle, premedication_due=inf.premedication_due,
        premedication_reason=inf.premedication_reason,
        last_premedication=(Given(last_premed.at,
                                  f"{name(language, 'drug', last_premed.drug)} {last_premed.dose_mg:g} mg")
                            if last_premed else None),
        step_up_due_at=inf.step_up_due_at, step_up_suppressed=inf.step_up_suppressed,
        restart_dose_mcg_per_day=inf.restart_dose_mcg_per_day, full_dose_mcg_per_day=inf.full_dose_mcg_per_day,
        inpatient_period=inf.inpatient_period,
        warnings=tuple(_warning_text(w, language) for w in inf.premedication_warnings))


def _interval_text(minutes: int, language: str) -> str:
    w = words(language)
    if minutes % 60 == 0:
        hours = minutes // 60
        return w["hourly"] if hours == 1 else w["every_h"].format(n=hours)
    return w["every_min"].format(n=minutes)


def _prompt_text(rec: guidance.Recommendation, protocol: Protocol, language: str) -> str:
    """A prompt in ``language``: English prints the rule's own sentence (with its figures), another language the
    code's sentence from the catalogue, with the protocol's numbers."""
    if language == "en":
        return rec.text
    sentence = name(language, "prompt", rec.code)
    if sentence == rec.code:
        return rec.text
    return sentence.format(window=span_text(protocol.infusion.premedication_window_minutes, language))


def _actions(state: PatientState, protocol: Protocol, language: str = "en") -> tuple[Action, ...]:
    """The timed to-do list (RULES.md §7 item 5): observations, bag, premedication, step-up, hold limits, then the
    recommendations (prescriber decisions and prompts, due now)."""
    inf = state.infusion
    w = words(language)
    i = protocol.infusion
    timed: list[Action] = []
    if state.next_observations_due is not None:
        timed.append(Action(
            state.next_observations_due,
            w["act_observations"].format(interval=_interval_text(state.observation_interval_minutes, language))
            + (f" - {w['overdue']}" if state.overdue else ""), "R-OBS-1", "observations", state.overdue))
    if inf.bag_change_due is not None:
        timed.append(Action(inf.bag_change_due, w["act_bag"], "R-BAG-1", "bag_change"))
    if inf.premedication_due:
        due = None
        if inf.premedication_reason == "step_up" and inf.step_up_due_at is not None:
            due = inf.step_up_due_at - timedelta(minutes=i.premedication_window_minutes)
        timed.append(Action(
            due, w["act_premedication"].format(reason=premed_reason_text(inf.premedication_reason, protocol, language),
                                               window=span_text(i.premedication_window_minutes, language)),
            "D2 / R-PREMED-1", guidance.GIVE_PREMEDICATION))
    if inf.step_up_due_at is not None and not inf.step_up_suppressed and inf.step_up_due_at > state.at:
        timed.append(Action(inf.step_up_due_at, w["act_step_up"].format(dose=f"{inf.full_dose_mcg_per_day:g}"),
                            "R-MOD-6", "step_up"))
    if inf.state == HELD:
        if inf.new_cycle_limit_at is not None and inf.new_cycle_limit_at > state.at:
            timed.append(Action(inf.new_cycle_limit_at, w["act_new_cycle_limit"].format(
                limit=limit_text(i.new_cycle_hold_minutes, language)), "R-INT-2", "hold_limit"))
        if inf.discontinuation_limit_at is not None and inf.discontinuation_limit_at > state.at:
            timed.append(Action(inf.discontinuation_limit_at, w["act_discontinuation_limit"].format(
                limit=limit_text(i.discontinuation_hold_minutes, language)), "D2", "hold_limit"))
    timed.sort(key=lambda a: (a.due is not None, a.due or state.at))
    # The timed premedication line replaces the recommendation with the same code.
    skip = {a.kind for a in timed}
    prompts = [Action(None, _prompt_text(r, protocol, language), r.rule, r.code, pending=r.acknowledged is None,
                      answered=_answer_text(r.acknowledged, language))
               for r in state.recommendations if r.code not in skip]
    return tuple(prompts + timed)


def _answer_text(ack: Acknowledgement | None, language: str = "en") -> str | None:
    """How a prompt was answered: whom the nurse called, when, and what they did (core/rules/escalation.py)."""
    if ack is None:
        return None
    w = words(language)
    called = name(language, "escalated_to", ack.to)
    if ack.name:
        called += f" ({ack.name})"
    response = name(language, "response", ack.response)
    text = w["answer"].format(called=called, response=response)
    if ack.by:
        text += w["answer_by"].format(by=ack.by)
    return text + (f" - {ack.note}" if ack.note else "")


def _round_lines(kept: Sequence[RecordBase], at: datetime, language: str = "en") -> tuple[RoundLine, ...]:
    """What was done on the round in the last 24 h, in time order (issue 13: the handover carries the round)."""
    w = words(language)
    lines = []
    for r in kept:
        if at - r.at > timedelta(hours=TREND_HOURS):
            continue
        if isinstance(r, MedicationGiven) and (r.purpose is Purpose.CRS_TREATMENT or r.drug is Drug.TOCILIZUMAB):
            lines.append(RoundLine(r.at, "crs_medicine", _given_text(r, language)))
        elif isinstance(r, VasopressorStarted):
            lines.append(RoundLine(r.at, "vasopressor", w["round_pressor_started"].format(
                agent=name(language, "vasopressor", r.agent))))
        elif isinstance(r, VasopressorStopped):
            lines.append(RoundLine(r.at, "vasopressor", w["round_pressor_stopped"].format(
                agent=name(language, "vasopressor", r.agent))))
        elif isinstance(r, Symptom):
            lines.append(RoundLine(r.at, "symptom", r.name + (f" - {r.note}" if r.note else "")))
        elif isinstance(r, Note):
            lines.append(RoundLine(r.at, "note", r.text))
        elif isinstance(r, Escalation):
            about = "; ".join(name(language, "code_short", code) for code in r.acknowledges)
            called = name(language, "escalated_to", r.to) + (f" ({r.name})" if r.name else "")
            lines.append(RoundLine(r.at, "escalation", w["round_escalation"].format(
                called=called, about=about, response=name(language, "response", r.response))
                + (f" - {r.note}" if r.note else "")))
        elif isinstance(r, ObservationsNotDone):
            lines.append(RoundLine(r.at, "observations_not_done", w["round_not_done"].format(
                reason=name(language, "not_done", r.reason)) + (f" - {r.note}" if r.note else "")))
    return tuple(lines)


def _contingencies(state: PatientState, protocol: Protocol, unit: str = "C",
                   language: str = "en") -> tuple[Contingency, ...]:
    """If/then lines from the active rules with this protocol's thresholds (RULES.md §7 item 6)."""
    g, a, i, n = protocol.grading, protocol.actions, protocol.infusion, protocol.neuro
    w = words(language)
    out: list[Contingency] = []

    def crs_response(grade: int) -> str:
        if grade >= a.discontinue_crs_grade:
            return w["crs_discontinue"]
        parts = []
        if grade >= a.interrupt_crs_grade:
            parts.append(w["crs_interrupt"].format(grade=a.interrupt_crs_grade))
        if grade >= a.emergency_crs_grade:
            parts.append(w["crs_emergency"])
        parts.append(w["crs_notify"] if grade >= 2 else w["crs_increase"])
        return "; ".join(parts)

    def crs_then(grade: int) -> str:
        return w["then_crs_grade"].format(grade=grade, response=crs_response(grade))

    c = state.crs
    age = state.patient.age_years(state.at)
    if c.computed.fever_waived:
        out.append(Contingency(w["if_fever_waived"], w["then_fever_waived"], "R-AST-2"))
    out.append(Contingency(w["if_fever"].format(temperature=temperature_text(g.fever_c, unit)),
                           w["then_fever"].format(response=crs_response(1)), "R-AST-1"))
    out.append(Contingency(w["if_grade2"].format(flow=f"{g.low_flow_max_l_min:g}", sbp=_sbp_limit(protocol, age)),
                           crs_then(2), "R-AST-3, R-AST-5, D2"))
    out.append(Contingency(w["if_grade3"].format(flow=f"{g.low_flow_max_l_min:g}", fio2=g.fio2_high_percent),
                           crs_then(3), "R-AST-4, R-AST-5, R-CTC-3, R-MOD-1"))
    out.append(Contingency(w["if_grade4"], crs_then(4), "R-AST-4, R-AST-5, R-MOD-2"))
    if a.recurrence_review_episodes and c.episodes_grade2_plus == a.recurrence_review_episodes - 1:
        out.append(Contingency(
            w["if_recurrence"].format(grade=a.recurrence_min_grade),
            w["then_recurrence"].format(episode=a.recurrence_review_episodes, grade=a.recurrence_min_grade),
            "R-AST-9"))
    seizure_then = w["then_seizure"]
    if state.icans.seizures == n.seizures_discontinue - 1:
        seizure_then = w["then_last_seizure"].format(n=n.seizures_discontinue)
    if age >= ICE_MIN_AGE_YEARS:
        out.append(Contingency(w["if_ice2"].format(ice=_ice_max_for_tier(2)), w["then_ice2"], "R-ICN-1, R-ICN-2"))
        out.append(Contingency(w["if_ice3"].format(ice=_ice_max_for_tier(3)), seizure_then,
                               "R-ICN-1, R-ICN-3, R-MOD-3, R-ICN-6"))
    else:
        out.append(Contingency(w["if_child"].format(age=ICE_MIN_AGE_YEARS),
                               w["then_child"].format(age=ICE_MIN_AGE_YEARS, seizure=seizure_then),
                               "R-CAPD-1, R-ICN-3, R-ICN-6"))
    if age >= NEWS2_MIN_AGE_YEARS:
        out.append(Contingency(w["if_news2_medium"].format(score=_news2_threshold(MEDIUM)), w["then_news2_medium"],
                               "R-NEWS-2"))
        out.append(Contingency(w["if_news2_high"].format(score=_news2_threshold(HIGH)), w["then_news2_high"],
                               "R-NEWS-2"))
    inf = state.infusion
    if inf.state == HELD and inf.hold.current_hold_started is not None:
        start = inf.hold.current_hold_started
        premed_at = start + timedelta(minutes=i.premedication_hold_minutes)
        hold = span_text(i.premedication_hold_minutes, language)
        if premed_at > state.at:
            premed = w["premed_needed_at"].format(at=premed_at.isoformat(), hold=hold)
        else:
            premed = w["premed_over"].format(window=span_text(i.premedication_window_minutes, language), hold=hold)
        out.append(Contingency(w["if_restart"], w["then_restart"].format(
            premedication=premed, dose=f"{inf.restart_dose_mcg_per_day:g}"), "R-PREMED-1, R-MOD-1"))
    if inf.state == RUNNING and inf.step_up_due_at is not None and not inf.step_up_suppressed:
        out.append(Contingency(w["if_step_up_recurrence"], w["then_step_up_recurrence"], "R-MOD-6"))
    return tuple(out)


def build_patient_handover(
    state: PatientState, history: Sequence[PatientState], records: Sequence[StoredRecord], protocol: Protocol,
    severity: str | None = None, grades: Sequence[tuple[datetime, CrsGrade]] = (), unit: str = "C",
    language: str = "en",
) -> PatientHandover:
    """The printed content for one patient at ``state.at`` (pure).

    Args:
        state: The patient's state at the handover moment.
        history: The state after each record up to that moment (:func:`core.state.fold_history`).
        records: The patient's records up to that moment.
        protocol: The ward protocol.
        severity: The nurse's choice of illness severity; ``None`` prints the app's suggestion.
        grades: The computed CRS grades after the records of the current episode before ``history`` starts
            (:func:`core.state.fold_history_and_grades`): the episode's highest grade on each scale.
        unit: ``C`` or ``F``: the temperatures inside the if/then sentences.
        language: ``en`` or ``es``: the words of the sentences (core/handover_words.py).

    Raises:
        InputError: ``severity`` is not one of stable, watcher, unstable.
    """
    at = state.at
    kept, _ = effective_records(records)
    # The fold's order (records at the same moment by id, not by arrival): every laptop prints the same latest set.
    done = [r.record for r in sorted((r for r in kept if utc(r.record.at) <= at), key=fold_order)]
    trail = sorted([TrailPoint(t, computed.astct.grade, computed.ctcae.grade) for t, computed in grades]
                   + [TrailPoint.of_state(s) for s in history if s.at <= at], key=lambda p: p.at)
    return _patient_handover(state, trail, done, protocol, severity, unit, language)


def _patient_handover(state: PatientState, history: Sequence[TrailPoint], kept: Sequence[RecordBase],
                      protocol: Protocol, severity: str | None, unit: str, language: str) -> PatientHandover:
    """:func:`build_patient_handover` from the trail of the fold (:meth:`core.state.PatientFold.trail`) and the
    records it shows, corrections applied, in the fold's order up to ``state.at``: those of its time window and the
    latest of each kind before it (:meth:`core.state.PatientFold.latest_records`)."""
    at = state.at
    w = words(language)
    vitals = [r for r in kept if isinstance(r, VitalsRecord)]
    full = next((r for r in reversed(vitals) if all(getattr(r, p) is not None for p in PARAMETERS)), None)
    later = vitals[-1] if vitals and full is not None and vitals[-1] is not full else None
    if full is None and vitals:
        later = vitals[-1]

    news2_summary = _news2_summary(state, history, at)
    # The suggestion uses the latest complete NEWS2 within the vitals look-back (D11), never an older one.
    lookback = timedelta(hours=protocol.grading.vitals_lookback_hours)
    recent = [v for v in news2_summary.trend if at - v.at <= lookback]
    news2_for_severity: News2 | None = state.news2 if state.news2.complete else None
    score = news2_for_severity.score if news2_for_severity else (recent[-1].value if recent else None)
    risk = news2_for_severity.risk if news2_for_severity else (
        risk_band(int(score), False) if score is not None else None)
    suggested, reasons = suggest_severity(state.crs.grade, state.icans.grade, risk, score, language)
    if severity is not None and severity not in SEVERITIES:
        raise InputError(f"severity: {severity!r} is not one of {', '.join(SEVERITIES)}", "severity")

    meds = [r for r in kept if isinstance(r, MedicationGiven)]
    premeds = [m for m in meds if m.purpose is Purpose.PREMEDICATION and m.drug in CORTICOSTEROIDS]
    tocilizumab = [m.at for m in meds if m.drug is Drug.TOCILIZUMAB]
    window = timedelta(hours=TREND_HOURS)
    boluses = [r for r in kept if isinstance(r, FluidBolus) and at - r.at <= window]
    # A bolus ticked on a set of vitals with no fluid_bolus record beside it: given, volume not recorded.
    ticked = [r for r in kept if isinstance(r, VitalsRecord) and r.fluid_bolus_given
              and at - r.at <= window and all(b.at != r.at for b in boluses)]
    pressor_starts: dict[object, datetime] = {}
    for r in kept:
        if isinstance(r, VasopressorStarted):
            pressor_starts[r.agent] = r.at
    v = state.vitals
    last_bolus = max([b.at for b in boluses] + [t.at for t in ticked], default=None)
    circulation = Circulation(
        oxygen=_oxygen_text(v.values.get("oxygen_device"), v.values.get("oxygen_flow_l_min"),
                            v.values.get("fio2_percent"), v.values.get("oxygen_for_comfort_only"), language),
        oxygen_at=v.taken_at.get("oxygen_device"),
        vasopressors=tuple(Given(pressor_starts.get(agent, at), name(language, "vasopressor", agent))
                           for agent in sorted(v.vasopressors, key=lambda a: a.value)),
        fluids_24h=tuple(sorted([Given(b.at, w["bolus"].format(volume=f"{b.volume_ml:g}")) for b in boluses]
                                + [Given(t.at, w["bolus_no_volume"]) for t in ticked], key=lambda g: g.at)),
        fluids_total_ml=sum(b.volume_ml for b in boluses),
        fluids_count_until=(last_bolus + timedelta(hours=protocol.grading.fluid_window_hours)
                            if last_bolus is not None and v.fluids_given else None),
    )
    return PatientHandover(
        patient=state.patient, at=at, age_years=state.patient.age_years(at),
        severity=Severity(suggested, reasons, severity or suggested),
        risk_factors=state.risk_factors, latest_record_at=kept[-1].at if kept else None,
        crs=_crs_summary(state, history, kept, language),
        icans=IcansSummary(state.icans.grade, tuple(TimedValue(t, s) for t, s in state.icans.ice_trend),
                           state.icans.seizures, state.icans.as_of),
        news2=news2_summary,
        last_full_vitals=_vital_set(full, language) if full else None,
        later_partial_vitals=_vital_set(later, language) if later else None,
        circulation=circulation, labs=_labs(state, tocilizumab, protocol),
        flags=tuple(_flag_text(f, protocol, language) for f in state.flags),
        infusion=_infusion_summary(state, premeds, language), actions=_actions(state, protocol, language),
        contingencies=_contingencies(state, protocol, unit, language),
        trend=_trend(history, vitals, at, protocol, language),
        next_observations_due=state.next_observations_due,
        observation_interval_minutes=state.observation_interval_minutes, observations_overdue=state.overdue,
        round_24h=_round_lines(kept, at, language))


_SEVERITY_RANK = {UNSTABLE: 0, WATCHER: 1, STABLE: 2}


def _infusion_line(h: PatientHandover, language: str) -> str:
    inf = h.infusion
    text = words(language)["held_state" if inf.state == HELD else inf.state]
    if inf.cycle is not None:
        text += f" C{inf.cycle}" + (f" D{inf.cycle_day}" if inf.cycle_day else "")
    return text


def ward_lines(patients: Iterable[PatientHandover], language: str = "en") -> tuple[WardLine, ...]:
    """One line per patient, most acute first: severity, then CRS grade, ICANS grade, NEWS2, then bed."""
    answered = words(language)["answered_mark"]
    lines = []
    for h in patients:
        now = [a for a in h.actions if a.due is None]
        lines.append(WardLine(
            bed=h.patient.bed, name=h.patient.name, mrn=h.patient.mrn, demo=h.patient.demo,
            severity=h.severity.selected, crs_grade=h.crs.grade, episode_max_grade=h.crs.episode_max_grade,
            icans_grade=h.icans.grade, news2_score=h.news2.score, infusion=_infusion_line(h, language),
            dose_mcg_per_day=h.infusion.dose_mcg_per_day, held_hours=h.infusion.current_hold_hours,
            hold_count=h.infusion.hold_count, next_observations_due=h.next_observations_due,
            observations_overdue=h.observations_overdue,
            prompts=tuple(name(language, "code_short", a.kind) + ("" if a.pending or a.answered is None else answered)
                          for a in now[:WARD_PROMPTS]), crs_stale=h.crs.stale, last_vitals_at=h.crs.last_vitals_at))
    return tuple(sorted(lines, key=lambda w: (
        _SEVERITY_RANK[w.severity], -w.crs_grade, -(w.icans_grade or 0), -(w.news2_score or 0),
        not w.observations_overdue,
        _bed_number(w.bed), w.mrn)))


def apply_severities(handover: Handover, severities: dict[str, str]) -> Handover:
    """The same handover with the nurse's illness severity for some patients (RULES.md §7 item 1: the app
    suggests, the nurse selects); the ward summary is re-sorted.

    Raises:
        InputError: an MRN not in the handover, or a severity that is not stable, watcher or unstable.
    """
    mrns = {p.patient.mrn for p in handover.patients}
    for mrn, severity in severities.items():
        if mrn not in mrns:
            raise InputError(f"severities: {mrn} is not a patient in this handover", "severities")
        if severity not in SEVERITIES:
            raise InputError(f"severity: {severity!r} is not one of {', '.join(SEVERITIES)}", "severity")
    patients = tuple(
        replace(p, severity=replace(p.severity, selected=severities.get(p.patient.mrn, p.severity.selected)))
        for p in handover.patients)
    return replace(handover, patients=patients, ward_lines=ward_lines(patients, handover.info.language))


def _bed_number(bed: str | None) -> tuple[int, str]:
    digits = "".join(ch for ch in bed or "" if ch.isdigit())
    return (int(digits) if digits else 1 << 30, bed or "")


def build_handover(
    bedside: Bedside, *, mrns: Sequence[str] | None = None, at: datetime | None = None, app_version: str,
    severities: dict[str, str] | None = None, tz: tzinfo | None = None,
    progress: Callable[[int, int], None] | None = None, language: str = "en", unit: str = "C",
) -> Handover:
    """The handover of the ward (``mrns`` is ``None``) or of some patients, at ``at`` (default: the clock's now).

    Args:
        bedside: A ``core.services.Bedside`` (its store, protocol and clock are read).
        mrns: The patients to include, in this order for the pages; ``None`` for the whole ward.
        at: The handover moment (aware); records after it are left out.
        app_version: Printed on every page.
        severities: The nurse's illness severity per MRN (RULES.md §7 item 1); others print the suggestion.
        tz: The time zone the times are shown in (D8); default: the computer's local time at each moment
            (daylight saving aware), as the window shows it.
        language: ``en`` or ``es`` (core/handover_words.py).
        unit: ``C`` or ``F`` for temperatures.
        progress: Called with (patients done, patients in all) after each patient.

    Raises:
        InputError: an unknown MRN or an invalid severity.
    """
    clock = bedside.clock
    protocol: Protocol = bedside.protocol
    now = clock.now()
    if language not in LANGUAGES:
        raise InputError(f"--language: {language!r} is not one of {', '.join(LANGUAGES)}", "language")
    if unit not in UNITS:
        raise InputError(f"--unit: {unit!r} is not one of c, f", "unit")
    at = utc(at) if at is not None else now
    patients = bedside.ward_patients() if mrns is None else [bedside.patient(mrn) for mrn in mrns]
    built = []
    for index, patient in enumerate(patients):
        # The service's fold of every record up to the handover (its cached fold when that is current): the state,
        # the trail of the last 24 h and of the current CRS episode, and the latest records of each kind. Only the
        # records of the window are read: the last 24 h, the current episode and the moment of the last record.
        fold_ = bedside.fold_at(patient.mrn, at)
        state = fold_.state(at)
        since = at - timedelta(hours=TREND_HOURS)
        if fold_.last_at is not None:
            since = min(since, fold_.last_at)
        read = bedside.records(patient.mrn, since=since, until=at)
        episode = state.crs.episodes[-1] if state.crs.episodes else None
        if episode is not None and episode.started < since:   # the episode's CRS treatment
            read += bedside.records(patient.mrn, since=episode.started,
                                    until=min(since, episode.ended or since), kinds=("medication_given",))
        shown = {str(r.id): r for r in fold_.latest_records()}
        kept, _ = effective_records(read)
        shown.update((str(r.record.id), r.record) for r in kept if str(r.record.id) not in fold_.superseded)
        printed = _patient_handover(state, fold_.trail(), sorted(shown.values(), key=record_order), protocol, None,
                                    unit, language)
        problems = bedside.read_problems(patient.mrn)
        built.append(replace(printed, flags=printed.flags + problems) if problems else printed)
        if progress is not None:
            progress(index + 1, len(patients))
    info = DocumentInfo(
        printed_at=now.astimezone(tz), data_up_to=at.astimezone(tz), protocol_id=protocol.id,
        protocol_version=protocol.version, protocol_name=protocol.name, app_version=app_version, tz=tz,
        language=language, unit=unit,
        new_cycle_limit=limit_text(protocol.infusion.new_cycle_hold_minutes, language),
        discontinuation_limit=limit_text(protocol.infusion.discontinuation_hold_minutes, language),
        premedication_hold=span_text(protocol.infusion.premedication_hold_minutes, language),
        disclaimer=words(language)["disclaimer"], scales=words(language)["scales"])
    if mrns is None:  # the pages follow in the bed order of the details now (after transfers)
        built.sort(key=lambda h: (h.patient.ward or "", _bed_number(h.patient.bed), h.patient.mrn))
    wards = tuple(dict.fromkeys(h.patient.ward for h in built if h.patient.ward))
    handover = Handover(info, tuple(built), ward_lines(built, language), include_ward_summary=mrns is None, wards=wards)
    return apply_severities(handover, severities) if severities else handover


def trend_in_unit(strip: TrendStrip, unit: str) -> TrendStrip:
    """The strip with temperatures in ``unit`` (``F``: values, the fever line and the label in °F)."""
    if unit != "F":
        return strip

    def convert(series: TrendSeries) -> TrendSeries:
        if series.key != "temperature_c":
            return series
        points = tuple(TrendPoint(p.at, celsius_to_fahrenheit(p.value)) for p in series.points)
        reference = celsius_to_fahrenheit(series.reference) if series.reference is not None else None
        return TrendSeries(series.key, series.label, "°F", points, reference)
    return replace(strip, series=tuple(convert(s) for s in strip.series))


# -- HTML ---------------------------------------------------------------------------------------------------------
def _fmt_time(tz: tzinfo | None, language: str = "en") -> Callable[[datetime | None], str]:
    def fmt(value: datetime | None) -> str:
        if value is None:
            return "—"
        return date_time_text(language, value.astimezone(tz))   # tz None: local time at that moment (DST)
    return fmt


def _until(at: datetime, language: str = "en") -> Callable[[datetime | None], str]:
    """ "in 3 h 20 min" / "2 h ago" relative to the handover moment."""
    w = words(language)

    def until(value: datetime | None) -> str:
        if value is None:
            return ""
        hours = (value - at).total_seconds() / 3600.0
        return w["in"].format(d=duration_text(hours)) if hours >= 0 else w["ago"].format(d=duration_text(-hours))
    return until


def _num(value: float | int | None, fmt: str = "g") -> str:
    if value is None:
        return "—"
    return format(value, fmt)


def _iso_to_local(tz: tzinfo | None, language: str = "en") -> Callable[[str], str]:
    """Rewrite the ISO times inside rule texts (e.g. premedication warnings) in local time."""
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)")
    fmt = _fmt_time(tz, language)

    def convert(text: str) -> str:
        return pattern.sub(lambda m: fmt(datetime.fromisoformat(m.group(0).replace("Z", "+00:00"))), text)
    return convert


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["duration"] = duration_text
    env.globals.update(
        TREND_HOURS=TREND_HOURS, DEMO_MARK=DEMO_MARK)
    return env


def _context(info: DocumentInfo, at: datetime) -> dict[str, object]:
    language = info.language
    return {"info": info, "t": _fmt_time(info.tz, language), "until": _until(at, language),
            "local": _iso_to_local(info.tz, language), "w": words(language),
            "temp": lambda c: temperature_text(c, info.unit), "patients": lambda n: patients(language, n),
            "name": lambda table, code: name(language, table, code), "severity_rule": severity_rule_text(language),
            "premed_reason": lambda reason: name(language, "premed_reason", reason).format(
                hold=info.premedication_hold) if reason else "",
            "day": lambda d: date_text(language, d) if isinstance(d, date) else "—"}


def patient_html(handover: PatientHandover, info: DocumentInfo, trend_url: str | None = None,
                 trend_size: tuple[int, int] = (0, 0)) -> str:
    """The HTML of one patient's handover (template ``handover_patient.html``).

    Args:
        handover: The patient's content.
        info: The document's stamp (time zone, protocol, version).
        trend_url: The image resource that holds the place of the trend strip the GUI draws; ``None`` leaves it out.
        trend_size: The strip's width and height in CSS pixels.
    """
    template = _environment().get_template("handover_patient.html")
    return template.render(h=handover, trend_url=trend_url, trend_size=trend_size, **_context(info, handover.at))


def ward_html(handover: Handover) -> str:
    """The HTML of the one-page ward summary (template ``handover_ward.html``)."""
    template = _environment().get_template("handover_ward.html")
    return template.render(lines=handover.ward_lines, wards=handover.wards, **_context(handover.info,
                                                                                       handover.info.data_up_to))


@dataclass(frozen=True)
class PageFrame:
    """The text of a page's header and footer (gui/printing paints it on every page, with "page x of y")."""

    title: str
    identifier: str
    demo: bool
    footer: tuple[str, ...]
    #: "Page {page} of {pages}" and the demo mark in the handover's language.
    page_words: str = words("en")["page"]
    demo_mark: str = DEMO_MARK


def _offset_text(dt: datetime) -> str:
    offset = dt.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds() // 60))
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def page_frame(info: DocumentInfo, patient: Patient | None, *, ward_count: int = 0,
               any_demo: bool = False) -> PageFrame:
    """Header and footer text: the patient's name and identifiers (or the ward), printed at / data up to, protocol
    id and version, app version and "decision support — not an order" (D3, RULES.md §7 footer)."""
    fmt = _fmt_time(info.tz, info.language)
    w = words(info.language)
    footer = (
        w["printed"].format(printed=fmt(info.printed_at), upto=fmt(info.data_up_to),
                            offset=_offset_text(info.data_up_to.astimezone(info.tz))),
        w["footer_protocol"].format(id=info.protocol_id, version=info.protocol_version, name=info.protocol_name,
                                    app=info.app_version, scales=info.scales),
        w["footer_disclaimer"].format(disclaimer=info.disclaimer),
    )
    if patient is None:
        return PageFrame(w["ward_title"].format(n=ward_count, patients=patients(info.language, ward_count)),
                         w["ward_ident"], any_demo, footer, w["page"], w["demo_mark"])
    ident = f"{w['mrn']} {patient.mrn}"
    if patient.bed:
        ident += " · " + w["ident_bed"].format(bed=patient.bed)
    if patient.ward:
        ident += f" · {patient.ward}"
    ident += " · " + w["ident_dob"].format(dob=date_text(info.language, patient.birth_date))
    return PageFrame(patient.name, ident, patient.demo, footer, w["page"], w["demo_mark"])
