"""The facts of one patient's handover page, gathered from the patient's fold: vitals, CRS, ICANS, NEWS2, labs,
circulation, the infusion, the round of the last 24 h and the trend strip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from core.clock import utc
from core.errors import InputError
from core.handover.content import (
    TREND_HOURS,
    Circulation,
    CrsSummary,
    Given,
    HoldLine,
    IcansSummary,
    InfusionSummary,
    LabLine,
    News2Summary,
    PatientHandover,
    RoundLine,
    Severity,
    TimedValue,
    TrendPoint,
    TrendSeries,
    TrendStrip,
    VitalSet,
)
from core.handover.plan import _actions, _contingencies
from core.handover.severity import SEVERITIES, suggest_severity
from core.handover_words import (
    name,
    premed_event_text,
    words,
)
from core.protocol import Protocol
from core.records import (
    CORTICOSTEROIDS,
    Drug,
    Escalation,
    FluidBolus,
    MedicationGiven,
    Note,
    ObservationsNotDone,
    OxygenDevice,
    Purpose,
    RecordBase,
    StoredRecord,
    Symptom,
    VasopressorStarted,
    VasopressorStopped,
    VitalsRecord,
)
from core.regimen import PREMED_MISSING, PremedicationWarning
from core.rule_words import contracted
from core.rules.crs import CrsGrade
from core.rules.news2 import PARAMETERS, News2, risk_band
from core.state import LabValue, PatientState, TrailPoint, effective_records, fold_order
from core.units import celsius_to_fahrenheit

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
        return contracted(w["warning_missing"].format(at=warning.at.isoformat(), event=event), language)
    return contracted(w["warning_window"].format(at=warning.at.isoformat(), minutes=f"{warning.minutes_before:g}",
                                                 event=event), language)


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
