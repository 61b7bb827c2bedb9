"""The infusion as derived state: cycles, cycle days, bags and dose, holds and their clocks, premedication,
step-up, the neurological restart rules and the new-cycle / discontinuation limits (RULES.md §3, decisions D2
and D10).

:class:`InfusionTracker` is fed a patient's infusion-related records in time order (plus the CRS episodes and
ICANS grades the fold derives) and answers :meth:`InfusionTracker.state` for any moment at or after the last record
fed. It is pure: no clock, no I/O. :func:`label_doses` and :func:`label_premedication` are the label's
indication-, weight- and age-specific figures, shown as information (R-DOSE-1, R-PREMED-1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.handover_words import premed_event_text, span_text
from core.protocol import Protocol
from core.records import (
    CORTICOSTEROIDS,
    BagChanged,
    Indication,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    MedicationGiven,
    Patient,
    Purpose,
    RecordBase,
    StopReason,
    TherapyDiscontinued,
)

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


@dataclass(frozen=True)
class LabelPremedication:
    """What the label says about premedication for one event (R-PREMED-1/2, RULES.md §3.4).

    The default protocol asks for premedication at every such event (D2) whatever the label says; this is the
    label's view, shown as information. ``dose_mg`` is ``None`` when the label dose needs a BSA that is missing.
    """

    event: str
    mandated: bool
    drug: str | None
    dose_mg: float | None
    paediatric: bool
    #: The protocol's premedication hold and window (minutes), for the words.
    hold_minutes: int
    window_minutes: int

    def to_json(self) -> dict[str, object]:
        """This as JSON (the ``status`` command)."""
        return {"event": self.event, "mandated": self.mandated, "drug": self.drug, "dose_mg": self.dose_mg,
                "paediatric": self.paediatric, "rule": "R-PREMED-1"}

    def describe(self) -> str:
        """One line for a prompt."""
        if not self.mandated:
            return "Not label-mandated for this indication/cycle; follow local protocol."
        dose = f"{self.dose_mg:g} mg" if self.dose_mg is not None else "5 mg/m2 (max 20 mg; BSA needed)"
        return (f"Label: {self.drug} {dose} IV {span_text(self.window_minutes)} before "
                f"{premed_event_text(self.event, self.hold_minutes)}.")


def label_premedication(patient: Patient, protocol: Protocol, event: str, cycle: int, at: datetime
                        ) -> LabelPremedication:
    """The label's premedication for ``event`` in ``cycle`` (RULES.md §3.4; V27-V30).

    Adults: R/R dexamethasone 20 mg before the first dose of each cycle, each step dose and a restart after >= 4 h;
    MRD+ prednisone 100 mg and consolidation dexamethasone 20 mg before the first dose of each cycle only.
    Children: dexamethasone 5 mg/m2 (max 20 mg) in cycle 1 only, before the first dose, a step dose (R/R) and a
    restart after >= 4 h.
    """
    i = protocol.infusion
    times = (i.premedication_hold_minutes, i.premedication_window_minutes)
    paediatric = patient.age_years(at) < i.adult_age_years
    rr = patient.indication is Indication.RELAPSED_REFRACTORY
    if paediatric:
        mandated = cycle == 1 and (event != PREMED_STEP_UP or rr)
        dose = None
        if patient.bsa_m2:
            dose = round(min(i.premedication_dexamethasone_mg_m2 * patient.bsa_m2,
                             i.premedication_dexamethasone_max_mg), 2)
        return LabelPremedication(event, mandated, "dexamethasone" if mandated else None,
                                  dose if mandated else None, True, *times)
    if rr:
        return LabelPremedication(event, True, "dexamethasone", i.premedication_dexamethasone_mg, False, *times)
    if event != PREMED_FIRST_DOSE:
        return LabelPremedication(event, False, None, None, False, *times)
    if patient.indication is Indication.MRD_POSITIVE:
        return LabelPremedication(event, True, "prednisone", i.premedication_prednisone_mg, False, *times)
    return LabelPremedication(event, True, "dexamethasone", i.premedication_dexamethasone_mg, False, *times)


# -- timeline pieces ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hold:
    """One interruption (D10): from a stop (any reason but cycle_complete) to the resume or discontinuation."""

    start: datetime
    end: datetime | None
    reason: StopReason
    cycle: int

    def minutes(self, at: datetime) -> float:
        """Length of the hold, or of its part up to ``at`` while it lasts."""
        return minutes_between(self.start, self.end or at)


@dataclass(frozen=True)
class Segment:
    """A stretch of the infusion timeline: running (with its dose per day), held, or between cycles."""

    kind: str
    start: datetime
    end: datetime | None
    cycle: int
    dose_mcg_per_day: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class InfusionEvent:
    """A point on the timeline: bag hung, dose step, premedication, cycle start."""

    kind: str
    at: datetime
    detail: str = ""


@dataclass(frozen=True)
class PremedicationWarning:
    """R-PREMED-3: a start, restart or step-up that needed premedication had none before it (``missing``), or
    the last one was more than the window before it (``outside_window``, ``minutes_before`` set)."""

    at: datetime
    event: str
    problem: str
    #: The protocol's ``premedication_hold_minutes`` (the words of a restart).
    hold_minutes: int
    minutes_before: float | None = None

    @property
    def text(self) -> str:
        """One line for the nurse."""
        if self.problem == PREMED_MISSING:
            return f"{self.at.isoformat()}: no premedication recorded before {self.event_text}"
        return (f"{self.at.isoformat()}: premedication {self.minutes_before:g} min before "
                f"{self.event_text} (outside the premedication window)")

    @property
    def event_text(self) -> str:
        """The event it came before, in words."""
        return premed_event_text(self.event, self.hold_minutes)

    def to_json(self) -> dict[str, object]:
        """This as JSON (the ``status`` command)."""
        return {"at": self.at.isoformat(), "event": self.event, "problem": self.problem,
                "minutes_before": self.minutes_before, "text": self.text, "rule": "R-PREMED-3"}


@dataclass(frozen=True)
class Restart:
    """The latest restart after a hold (R-INT-2/3, R-PREMED-1)."""

    at: datetime
    hold_minutes: float
    hold_reason: StopReason
    new_cycle: bool
    near_new_cycle_boundary: bool
    premedication_required: bool
    label_premedication: LabelPremedication | None
    supervision_recommended: bool

    def to_json(self) -> dict[str, object]:
        """This as JSON (the ``status`` command)."""
        return {"at": self.at.isoformat(), "hold_minutes": round(self.hold_minutes, 2),
                "hold_reason": self.hold_reason.value, "new_cycle": self.new_cycle,
                "near_new_cycle_boundary": self.near_new_cycle_boundary,
                "premedication_required": self.premedication_required,
                "label_premedication": self.label_premedication.to_json() if self.label_premedication else None,
                "supervision_recommended": self.supervision_recommended}


@dataclass(frozen=True)
class NeuroHold:
    """Neurological toxicity of grade >= 3 and the label's restart rules (R-MOD-3, R-MOD-4; V22-V24).

    Attributes:
        onset: The first assessment at grade >= 3 of this event.
        dose_at_onset: The infusion's dose per day then (running or held bag), if any.
        resolved_at: The first assessment at grade <= 1 after the onset (time to resolution).
        low_since: Start of the current unbroken run of assessments at grade <= 1.
        at_restart_dose: The onset came at the restart dose (9 mcg/day or 5 mcg/m2/day): discontinue.
        resolution_too_long: Onset to grade <= 1 took (or has taken) more than 7 days: discontinue.
        restart_eligible_at: Grade <= 1 for 3 days (72 h) is reached then (when neither rule applies).
        max_grade: The highest ICANS grade in the course (grade 4 -> discontinue permanently, R-MOD-4).
    """

    onset: datetime
    dose_at_onset: float | None
    resolved_at: datetime | None
    low_since: datetime | None
    at_restart_dose: bool
    resolution_too_long: bool
    restart_eligible_at: datetime | None
    max_grade: int = 3

    @property
    def discontinue(self) -> bool:
        """R-MOD-3: the label discontinues blinatumomab permanently."""
        return self.at_restart_dose or self.resolution_too_long

    def to_json(self) -> dict[str, object]:
        """This as JSON (the ``status`` command)."""
        def iso(dt: datetime | None) -> str | None:
            return dt.isoformat() if dt else None
        return {"onset": iso(self.onset), "dose_at_onset_mcg_per_day": self.dose_at_onset,
                "resolved_at": iso(self.resolved_at), "at_restart_dose": self.at_restart_dose,
                "resolution_too_long": self.resolution_too_long, "discontinue": self.discontinue,
                "restart_eligible_at": iso(self.restart_eligible_at), "max_grade": self.max_grade}


@dataclass(frozen=True)
class HoldState:
    """Hold counters (R-INT-5, D10): this cycle's holds and the current one."""

    count_this_cycle: int
    current_hold_hours: float | None
    total_held_hours_this_cycle: float
    current_hold_started: datetime | None = None
    current_hold_reason: str | None = None
    longest_hold_hours_this_cycle: float = 0.0


@dataclass(frozen=True)
class InfusionState:
    """The infusion at one moment (INTERFACE.md ``status.infusion``, with extensions)."""

    state: str
    cycle: int | None
    cycle_day: int | None
    cycle_started: datetime | None
    infused_hours_this_cycle: float
    remaining_infusion_hours_this_cycle: float | None
    current_dose_mcg_per_day: float | None
    bag_hung_at: datetime | None
    bag_change_due: datetime | None
    hold: HoldState
    restart_requires_new_cycle: bool
    new_cycle_limit_at: datetime | None
    discontinuation_limit_at: datetime | None
    near_new_cycle_boundary: bool
    hold_beyond_discontinuation_limit: bool
    premedication_due: bool
    premedication_reason: str | None
    premedication_label: LabelPremedication | None
    last_premedication_at: datetime | None
    premedication_warnings: tuple[PremedicationWarning, ...]
    supervision_recommended: bool
    step_up_due_at: datetime | None
    step_up_suppressed: bool
    restart_dose_mcg_per_day: float
    full_dose_mcg_per_day: float
    dosing: Dosing
    expected_dose_mcg_per_day: float | None
    dose_mismatch: bool
    new_cycle_after_long_hold: bool
    last_restart: Restart | None
    neuro: NeuroHold | None
    inpatient_period: bool
    cycle_infusion_complete: bool
    course_status: str = "active"
    segments: tuple[Segment, ...] = field(default=())
    events: tuple[InfusionEvent, ...] = field(default=())
    holds: tuple[Hold, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        """The INTERFACE.md ``status.infusion`` object (names exact, plus added fields)."""
        def iso(dt: datetime | None) -> str | None:
            return dt.isoformat() if dt else None

        def hours(value: float | None) -> float | None:
            return None if value is None else round(value, 2)
        return {
            "state": self.state,
            "cycle": self.cycle,
            "cycle_day": self.cycle_day,
            "cycle_started": iso(self.cycle_started),
            "infused_hours_this_cycle": round(self.infused_hours_this_cycle, 2),
            "remaining_infusion_hours_this_cycle": hours(self.remaining_infusion_hours_this_cycle),
            "current_dose_mcg_per_day": self.current_dose_mcg_per_day,
            "hold": {
                "count_this_cycle": self.hold.count_this_cycle,
                "current_hold_hours": hours(self.hold.current_hold_hours),
                "total_held_hours_this_cycle": round(self.hold.total_held_hours_this_cycle, 2),
                "longest_hold_hours_this_cycle": round(self.hold.longest_hold_hours_this_cycle, 2),
                "current_hold_started": iso(self.hold.current_hold_started),
                "current_hold_reason": self.hold.current_hold_reason,
                "new_cycle_limit_at": iso(self.new_cycle_limit_at),
                "discontinuation_limit_at": iso(self.discontinuation_limit_at),
                "near_new_cycle_boundary": self.near_new_cycle_boundary,
                "beyond_discontinuation_limit": self.hold_beyond_discontinuation_limit,
            },
            "restart_requires_new_cycle": self.restart_requires_new_cycle,
            "premedication_due": self.premedication_due,
            "premedication_reason": self.premedication_reason,
            "premedication_label": self.premedication_label.to_json() if self.premedication_label else None,
            "last_premedication_at": iso(self.last_premedication_at),
            "premedication_warnings": [w.to_json() for w in self.premedication_warnings],
            "supervision_recommended": self.supervision_recommended,
            "bag_hung_at": iso(self.bag_hung_at),
            "bag_change_due": iso(self.bag_change_due),
            "step_up_due": iso(self.step_up_due_at),
            "step_up_suppressed": self.step_up_suppressed,
            "restart_dose_mcg_per_day": self.restart_dose_mcg_per_day,
            "full_dose_mcg_per_day": self.full_dose_mcg_per_day,
            "dosing": self.dosing.to_json(),
            "expected_dose_mcg_per_day": self.expected_dose_mcg_per_day,
            "dose_mismatch": self.dose_mismatch,
            "new_cycle_after_long_hold": self.new_cycle_after_long_hold,
            "last_restart": self.last_restart.to_json() if self.last_restart else None,
            "neuro": self.neuro.to_json() if self.neuro else None,
            "inpatient_period": self.inpatient_period,
            "cycle_infusion_complete": self.cycle_infusion_complete,
            "course_status": self.course_status,
        }


class InfusionTracker:
    """Folds infusion records (and premedication, CRS episodes, ICANS grades) in time order; see the module
    docstring."""

    def __init__(self, patient: Patient, protocol: Protocol):
        self.patient = patient
        self.protocol = protocol
        self.dosing = label_doses(patient, protocol)
        self.status = NOT_STARTED
        self.cycle: int | None = None
        self.cycle_started: datetime | None = None
        self.running_since: datetime | None = None
        self.infused_minutes_before_segment = 0.0  # running minutes this cycle before the current running stretch
        self.bag_dose_per_day: float | None = None
        self.bag_hung_at: datetime | None = None
        self.bag_duration_h: float | None = None
        self.holds: list[Hold] = []
        self.current_hold: Hold | None = None
        self.last_change_at: datetime | None = None   # when the status last changed (between_cycles since ...)
        self.premedications: list[datetime] = []
        self.warnings: list[PremedicationWarning] = []
        # The reduced-dose phase: R/R cycle 1 before the step-up (R-DOSE-2), or after a restart following an
        # adverse reaction (R-MOD-1/3/6). Its clock counts infused minutes only.
        self.reduced_phase = False
        self.reduced_since: datetime | None = None
        self.reduced_infused_before = 0.0
        self.reduced_from_restart = False
        self.recurrences: list[datetime] = []          # CRS episodes and ICANS >= grade 3 onsets (R-MOD-6)
        self.new_cycle_after_long_hold = False
        self.last_restart: Restart | None = None
        self.last_start_at: datetime | None = None     # the last start or restart (premedication belongs to it)
        self.neuro_onset: datetime | None = None
        self.neuro_dose: float | None = None
        self.neuro_resolved_at: datetime | None = None
        self.neuro_low_since: datetime | None = None
        self.neuro_max_grade = 0
        self.segments: list[Segment] = []
        self.events: list[InfusionEvent] = []

    # -- feeding records ----------------------------------------------------------------------------------------
    def note_crs_episode(self, opened_at: datetime) -> None:
        """A CRS episode opened: a recurrence after a restart suppresses the step-up (R-MOD-6)."""
        self.recurrences.append(opened_at)

    def note_icans_grade(self, at: datetime, grade: int) -> None:
        """An ICANS assessment graded ``grade`` (R-MOD-3): opens, resolves or re-opens a neurological event."""
        n = self.protocol.neuro
        if grade >= n.interrupt_icans_grade:
            self.neuro_max_grade = max(self.neuro_max_grade, grade)
            if self.neuro_onset is None or self.neuro_resolved_at is not None:
                self.neuro_onset = at
                self.neuro_dose = self.bag_dose_per_day if self.status in (RUNNING, HELD) else None
                self.neuro_resolved_at = None
                self.recurrences.append(at)
            self.neuro_low_since = None
        elif grade > 1:
            self.neuro_low_since = None
        elif self.neuro_onset is not None:
            self.neuro_resolved_at = self.neuro_resolved_at or at
            self.neuro_low_since = self.neuro_low_since or at

    def apply(self, record: RecordBase) -> None:
        """Feed one record (records of other types are ignored)."""
        if isinstance(record, MedicationGiven):
            if record.purpose is Purpose.PREMEDICATION and record.drug in CORTICOSTEROIDS:
                self.premedications.append(record.at)
                self.events.append(InfusionEvent("premedication", record.at,
                                                 f"{record.drug.value} {record.dose_mg:g} mg"))
        elif isinstance(record, InfusionStarted):
            if self.status == HELD and record.cycle in (None, self.cycle):
                # A start recorded during a hold is the restart (D10: the hold ends at the next (re)start).
                self._resume(record.at, record.dose_mcg, record.duration_h)
            else:
                self._start(record)
        elif isinstance(record, BagChanged):
            self._bag(record.at, record.dose_mcg, record.duration_h)
            self.events.append(InfusionEvent("bag_changed", record.at,
                                             f"{record.dose_mcg:g} mcg / {record.duration_h:g} h"))
        elif isinstance(record, InfusionStopped):
            self._stop(record)
        elif isinstance(record, InfusionResumed):
            self._resume(record.at, record.dose_mcg, record.duration_h)
        elif isinstance(record, TherapyDiscontinued):
            self._close_running(record.at)
            self._end_hold(record.at)
            self._close_open_segment(record.at)
            self.status = DISCONTINUED
            self.last_change_at = record.at
            self.segments.append(Segment(DISCONTINUED, record.at, None, self.cycle or 0, reason=record.reason))
            self.events.append(InfusionEvent(DISCONTINUED, record.at, record.reason))

    def _premedication_required(self, label: LabelPremedication) -> bool:
        """D2: the default protocol asks for premedication at every such event; a site on the label's rules only
        where the label mandates it (RULES.md §3.4)."""
        return self.protocol.infusion.premedication_rule == "protocol" or label.mandated

    def _check_premedication(self, at: datetime, event: str, arose_at: datetime | None, cycle: int
                             ) -> LabelPremedication:
        """R-PREMED-3: record a warning when a start that needs premedication has none since the reason arose, or
        the last one was more than the window before it. Returns the label's premedication for the event."""
        label = label_premedication(self.patient, self.protocol, event, cycle, at)
        if not self._premedication_required(label):
            return label
        window = self.protocol.infusion.premedication_window_minutes
        given = [p for p in self.premedications if p <= at and (arose_at is None or p >= arose_at)]
        if not given:
            self.warnings.append(
                PremedicationWarning(at, event, PREMED_MISSING, self.protocol.infusion.premedication_hold_minutes))
            return label
        before = minutes_between(given[-1], at)
        if before > window:
            self.warnings.append(PremedicationWarning(
                at, event, PREMED_OUTSIDE_WINDOW, self.protocol.infusion.premedication_hold_minutes, round(before, 2)))
        return label

    def _new_cycle(self, at: datetime, cycle: int) -> None:
        self.cycle = cycle
        self.cycle_started = at
        self.infused_minutes_before_segment = 0.0
        self.holds = []
        # R-DOSE-2: R/R cycle 1 starts at the reduced dose and steps up after 7 days of infusion.
        self.reduced_phase = self.patient.indication is Indication.RELAPSED_REFRACTORY and cycle == 1
        self.reduced_since = at if self.reduced_phase else None
        self.reduced_infused_before = 0.0
        self.reduced_from_restart = False

    def _start(self, r: InfusionStarted) -> None:
        self._close_running(r.at)
        self._end_hold(r.at)
        self._close_open_segment(r.at)
        arose = self.last_change_at if self.status in (BETWEEN_CYCLES, HELD) else None
        cycle = r.cycle if r.cycle is not None else (self.cycle or 0) + 1
        self._check_premedication(r.at, PREMED_FIRST_DOSE, arose, cycle)
        self._new_cycle(r.at, cycle)
        self.new_cycle_after_long_hold = False
        self.last_restart = None
        self.status = RUNNING
        self.running_since = r.at
        self.last_start_at = r.at
        self.bag_dose_per_day = None
        self.events.append(InfusionEvent("cycle_started", r.at, f"cycle {self.cycle}"))
        self._bag(r.at, r.dose_mcg, r.duration_h)

    def _bag(self, at: datetime, dose_mcg: float, duration_h: float, *, premedication_checked: bool = False) -> None:
        new_dose = dose_per_day(dose_mcg, duration_h)
        if self.status == RUNNING:
            old = self.bag_dose_per_day
            if old is not None and new_dose != old:
                if new_dose > old:
                    # D2: premedication before each step-up (and any dose increase, RULES.md §3.4 note).
                    if not premedication_checked:
                        # Premedication before the last (re)start belonged to that start, not to this step.
                        self._check_premedication(at, PREMED_STEP_UP, self.last_start_at, self.cycle or 1)
                    if self.reduced_phase and new_dose >= self._full_dose_floor():
                        self.reduced_phase = False
                        self.events.append(InfusionEvent("step_up", at, f"{old:g} -> {new_dose:g} mcg/day"))
                self.events.append(InfusionEvent("dose_step", at, f"{old:g} -> {new_dose:g} mcg/day"))
                self._close_running(at)
                self.running_since = at
            last = self.segments[-1] if self.segments else None
            if last is None or last.end is not None or last.kind != RUNNING:
                self._close_open_segment(at)
                self.segments.append(Segment(RUNNING, at, None, self.cycle or 0, new_dose))
        self.bag_dose_per_day = new_dose
        self.bag_hung_at = at
        self.bag_duration_h = duration_h

    def _full_dose_floor(self) -> float:
        """The lowest dose per day that still counts as the full dose (R-DOSE-3 tolerance)."""
        return self.dosing.full_mcg_per_day * (1 - self.protocol.infusion.dose_tolerance_percent / 100)

    def _close_running(self, at: datetime) -> None:
        """End the running stretch at ``at`` and add its minutes to the cycle (and to the reduced-dose clock)."""
        if self.status != RUNNING or self.running_since is None:
            return
        minutes = max(0.0, minutes_between(self.running_since, at))
        self.infused_minutes_before_segment += minutes
        if self.reduced_phase:
            self.reduced_infused_before += minutes
        self.running_since = None
        self._close_open_segment(at)

    def _close_open_segment(self, at: datetime) -> None:
        if self.segments and self.segments[-1].end is None:
            s = self.segments[-1]
            self.segments[-1] = Segment(s.kind, s.start, at, s.cycle, s.dose_mcg_per_day, s.reason)

    def _end_hold(self, at: datetime) -> None:
        if self.current_hold is not None:
            h = self.current_hold
            self.holds[-1] = Hold(h.start, at, h.reason, h.cycle)
            self.current_hold = None

    def _stop(self, r: InfusionStopped) -> None:
        if r.reason is StopReason.CYCLE_COMPLETE and self.status in (RUNNING, HELD):
            self._close_running(r.at)
            self._end_hold(r.at)
            self._close_open_segment(r.at)
            self.last_change_at = r.at
            max_cycles = self._max_cycles()
            self.status = COMPLETED if max_cycles and (self.cycle or 0) >= max_cycles else BETWEEN_CYCLES
            self.segments.append(Segment(BETWEEN_CYCLES, r.at, None, self.cycle or 0, reason=r.reason.value))
            return
        if self.status != RUNNING:
            return
        self._close_running(r.at)
        self.last_change_at = r.at
        self.status = HELD
        self.current_hold = Hold(r.at, None, r.reason, self.cycle or 0)
        self.holds.append(self.current_hold)
        self.segments.append(Segment(HELD, r.at, None, self.cycle or 0, reason=r.reason.value))

    def _resume(self, at: datetime, dose_mcg: float, duration_h: float) -> None:
        if self.status != HELD or self.current_hold is None:
            return
        i = self.protocol.infusion
        hold = self.current_hold
        hold_minutes = minutes_between(hold.start, at)
        self._end_hold(at)
        self._close_open_segment(at)
        # R-INT-2 / R-INT-3: a hold longer than 7 days (strictly: 10,081 min) starts a new cycle at the restart.
        new_cycle = hold_minutes > i.new_cycle_hold_minutes
        needs_premed = hold_minutes >= i.premedication_hold_minutes or new_cycle
        cycle = (self.cycle or 0) + 1 if new_cycle else (self.cycle or 1)
        label = None
        if needs_premed:
            label = self._check_premedication(at, PREMED_FIRST_DOSE if new_cycle else PREMED_RESTART, hold.start,
                                              cycle)
            needs_premed = self._premedication_required(label)
        if new_cycle:
            self._new_cycle(at, cycle)
            self.events.append(InfusionEvent("cycle_started", at, f"cycle {cycle} (after a hold of more than "
                                                                  f"{span_text(i.new_cycle_hold_minutes)})"))
        self.new_cycle_after_long_hold = new_cycle
        if hold.reason in ADVERSE_REACTION_STOPS:
            # R-MOD-1/3/6: restart at the reduced dose; step up 7 days (of infusion) later if no recurrence.
            self.reduced_phase = True
            self.reduced_since = at
            self.reduced_infused_before = 0.0
            self.reduced_from_restart = True
        self.last_restart = Restart(
            at=at, hold_minutes=hold_minutes, hold_reason=hold.reason, new_cycle=new_cycle,
            near_new_cycle_boundary=abs(hold_minutes - i.new_cycle_hold_minutes) <= i.boundary_warning_minutes,
            premedication_required=needs_premed, label_premedication=label,
            supervision_recommended=hold_minutes >= i.premedication_hold_minutes)
        self.status = RUNNING
        self.running_since = at
        self.last_start_at = at
        self.events.append(InfusionEvent("restarted", at, f"after {hold_minutes:g} min"))
        self._bag(at, dose_mcg, duration_h, premedication_checked=label is not None)

    def _max_cycles(self) -> int:
        i = self.protocol.infusion
        return {
            Indication.RELAPSED_REFRACTORY: i.max_cycles_relapsed_refractory,
            Indication.MRD_POSITIVE: i.max_cycles_mrd_positive,
            Indication.CONSOLIDATION: i.max_cycles_consolidation,
        }[self.patient.indication]

    # -- answering ----------------------------------------------------------------------------------------------
    def state(self, at: datetime) -> InfusionState:
        """The infusion at ``at`` (at or after the last record fed)."""
        i = self.protocol.infusion
        running_minutes = self.infused_minutes_before_segment
        reduced_minutes = self.reduced_infused_before
        if self.status == RUNNING and self.running_since is not None:
            extra = max(0.0, minutes_between(self.running_since, at))
            running_minutes += extra
            if self.reduced_phase:
                reduced_minutes += extra
        cycle_day = None
        if self.cycle_started is not None and self.status in (RUNNING, HELD, BETWEEN_CYCLES):
            # D10 / INTERFACE.md: cycle day N is the N-th 24-hour period since the cycle's first start.
            cycle_day = int(minutes_between(self.cycle_started, at) // MINUTES_PER_DAY) + 1
        holds = list(self.holds)
        hold_minutes = self.current_hold.minutes(at) if self.current_hold else None
        total_held = sum(h.minutes(at) for h in holds)
        longest = max((h.minutes(at) for h in holds), default=0.0)
        # R-INT-2/3 strict: 10,080 min is the same cycle, 10,081 a new one; warn within +/- 60 min.
        restart_requires_new_cycle = hold_minutes is not None and hold_minutes > i.new_cycle_hold_minutes
        near_boundary = (hold_minutes is not None
                         and abs(hold_minutes - i.new_cycle_hold_minutes) <= i.boundary_warning_minutes)
        beyond_discontinuation = hold_minutes is not None and hold_minutes > i.discontinuation_hold_minutes
        new_cycle_limit_at = disc_limit_at = None
        if self.current_hold is not None:
            new_cycle_limit_at = self.current_hold.start + timedelta(minutes=i.new_cycle_hold_minutes)
            disc_limit_at = self.current_hold.start + timedelta(minutes=i.discontinuation_hold_minutes)

        dose = self.bag_dose_per_day if self.status in (RUNNING, HELD) else None
        step_up_due_at = None
        suppressed = False
        stepping = self.reduced_phase and dose is not None and dose < self._full_dose_floor()
        if self.status == RUNNING and stepping and self.running_since is not None:
            needed = i.step_up_after_days * MINUTES_PER_DAY - self.reduced_infused_before
            step_up_due_at = self.running_since + timedelta(minutes=max(0.0, needed))
            # R-MOD-6: a recurrence since a restart after toxicity suppresses the step-up.
            suppressed = self.reduced_from_restart and any(
                t > self.reduced_since for t in self.recurrences if self.reduced_since is not None)

        premed_due, premed_reason = self._premedication_due(at, step_up_due_at, suppressed, hold_minutes)
        premed_label = None
        if premed_reason is not None:
            upcoming_cycle = (self.cycle or 0) + 1 if (
                self.status in (NOT_STARTED, BETWEEN_CYCLES) or restart_requires_new_cycle) else (self.cycle or 1)
            event = PREMED_FIRST_DOSE if upcoming_cycle != self.cycle else premed_reason
            premed_label = label_premedication(self.patient, self.protocol, event, upcoming_cycle, at)
            premed_due = premed_due and self._premedication_required(premed_label)
        # RULES.md §3.3: any cycle start, and a re-initiation after >= 4 h, under supervision or in hospital.
        supervision = (self.status == HELD and hold_minutes is not None
                       and hold_minutes >= i.premedication_hold_minutes) or (
            self.status in (NOT_STARTED, BETWEEN_CYCLES)) or (
            self.status == RUNNING and self.last_restart is not None and self.last_restart.supervision_recommended
            and at - self.last_restart.at < timedelta(hours=i.restart_prompt_hours))

        bag_change_due = None
        if self.status == RUNNING and self.bag_hung_at is not None and self.bag_duration_h is not None:
            # RULES.md §3.5: bag change due = hang time + labelled duration (from the pharmacy label).
            bag_change_due = self.bag_hung_at + timedelta(hours=self.bag_duration_h)
        cycle_minutes = i.cycle_infusion_days * MINUTES_PER_DAY
        remaining = None if self.cycle is None else max(0.0, cycle_minutes - running_minutes) / 60.0
        expected = None
        mismatch = False
        if self.status in (RUNNING, HELD):
            # While held after an adverse reaction, the expected dose is that of the restart (R-MOD-1/3).
            reduced = self.reduced_phase or (
                self.current_hold is not None and self.current_hold.reason in ADVERSE_REACTION_STOPS)
            expected = self.dosing.reduced_mcg_per_day if reduced else self.dosing.full_mcg_per_day
            if dose is not None and self.status == RUNNING:
                mismatch = abs(dose - expected) > expected * i.dose_tolerance_percent / 100
        return InfusionState(
            state=self.status,
            cycle=self.cycle,
            cycle_day=cycle_day,
            cycle_started=self.cycle_started,
            infused_hours_this_cycle=running_minutes / 60.0,
            remaining_infusion_hours_this_cycle=remaining,
            current_dose_mcg_per_day=dose,
            bag_hung_at=self.bag_hung_at if self.status == RUNNING else None,
            bag_change_due=bag_change_due,
            hold=HoldState(
                count_this_cycle=len(holds),
                current_hold_hours=None if hold_minutes is None else hold_minutes / 60.0,
                total_held_hours_this_cycle=total_held / 60.0,
                current_hold_started=self.current_hold.start if self.current_hold else None,
                current_hold_reason=self.current_hold.reason.value if self.current_hold else None,
                longest_hold_hours_this_cycle=longest / 60.0,
            ),
            restart_requires_new_cycle=restart_requires_new_cycle,
            new_cycle_limit_at=new_cycle_limit_at,
            discontinuation_limit_at=disc_limit_at,
            near_new_cycle_boundary=near_boundary,
            hold_beyond_discontinuation_limit=beyond_discontinuation,
            premedication_due=premed_due,
            premedication_reason=premed_reason,
            premedication_label=premed_label,
            last_premedication_at=self.premedications[-1] if self.premedications else None,
            premedication_warnings=tuple(self.warnings),
            supervision_recommended=supervision,
            step_up_due_at=step_up_due_at,
            step_up_suppressed=suppressed,
            restart_dose_mcg_per_day=self.dosing.reduced_mcg_per_day,
            full_dose_mcg_per_day=self.dosing.full_mcg_per_day,
            dosing=self.dosing,
            expected_dose_mcg_per_day=expected,
            dose_mismatch=mismatch,
            new_cycle_after_long_hold=self.new_cycle_after_long_hold,
            last_restart=self.last_restart,
            neuro=self._neuro_hold(at),
            inpatient_period=self._inpatient(cycle_day),
            cycle_infusion_complete=running_minutes >= cycle_minutes,
            segments=tuple(self.segments),
            events=tuple(self.events),
            holds=tuple(holds),
        )

    def _inpatient(self, cycle_day: int | None) -> bool:
        """R-HOSP-1: R/R cycle 1 days 1-9, MRD+ and consolidation cycle 1 days 1-3, any cycle 2 days 1-2."""
        i = self.protocol.infusion
        if cycle_day is None or self.status not in (RUNNING, HELD):
            return False
        if self.cycle == 1:
            days = (i.inpatient_days_cycle1_relapsed_refractory
                    if self.patient.indication is Indication.RELAPSED_REFRACTORY else i.inpatient_days_cycle1_other)
            return cycle_day <= days
        return self.cycle == 2 and cycle_day <= i.inpatient_days_cycle2

    def _neuro_hold(self, at: datetime) -> NeuroHold | None:
        """R-MOD-3 at ``at``: discontinue when the onset came at the restart dose or resolution takes > 7 days;
        otherwise restart is eligible after 3 days at grade <= 1."""
        if self.neuro_onset is None:
            return None
        i = self.protocol.infusion
        tolerance = self.dosing.reduced_mcg_per_day * i.dose_tolerance_percent / 100
        at_restart_dose = self.neuro_dose is not None and self.neuro_dose <= self.dosing.reduced_mcg_per_day + tolerance
        took = minutes_between(self.neuro_onset, self.neuro_resolved_at or at)
        too_long = took > i.neuro_resolution_limit_minutes
        eligible = None
        if self.neuro_low_since is not None and not (at_restart_dose or too_long):
            eligible = self.neuro_low_since + timedelta(minutes=i.neuro_restart_after_minutes)
        return NeuroHold(self.neuro_onset, self.neuro_dose, self.neuro_resolved_at, self.neuro_low_since,
                         at_restart_dose, too_long, eligible, self.neuro_max_grade)

    def _premedication_due(
        self, at: datetime, step_up_due_at: datetime | None, step_up_suppressed: bool,
        hold_minutes: float | None,
    ) -> tuple[bool, str | None]:
        """D2 / D10: due before the first dose of each cycle, each step-up, and a restart after a hold >= 4 h;
        cleared by a corticosteroid recorded as premedication after the reason arose.

        Returns:
            (due, reason): the reason is set whenever the next (re)start calls for premedication, even when the
            premedication has already been given (due is then false).
        """
        i = self.protocol.infusion

        def given_since(moment: datetime | None) -> bool:
            return any(p <= at and (moment is None or p >= moment) for p in self.premedications)

        if self.status == NOT_STARTED:
            return (not given_since(None), PREMED_FIRST_DOSE)
        if self.status == BETWEEN_CYCLES:
            return (not given_since(self.last_change_at), PREMED_FIRST_DOSE)
        if self.status == HELD and hold_minutes is not None and self.current_hold is not None:
            if hold_minutes >= i.premedication_hold_minutes:
                return (not given_since(self.current_hold.start), PREMED_RESTART)
            return (False, None)
        if self.status == RUNNING and step_up_due_at is not None and not step_up_suppressed:
            arises = step_up_due_at - timedelta(minutes=i.premedication_window_minutes)
            if at >= arises:
                return (not given_since(arises), PREMED_STEP_UP)
        return (False, None)


#: The clocks of a hold (D2, R-PREMED-1, R-INT-2, R-MOD-5), in the order they pass.
CLOCK_PREMEDICATION = "premedication_on_restart"
CLOCK_NEW_CYCLE = "new_cycle"
CLOCK_DISCONTINUATION_REVIEW = "discontinuation_review"


@dataclass(frozen=True)
class HoldClock:
    """One clock of the current hold: what happens at ``at`` (a code above) and whether it has passed."""

    code: str
    at: datetime
    passed: bool
    rule: str

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes until the clock passes (0 once it has)."""
        return max(0, int((self.at - now).total_seconds() // 60))

    def warning(self, now: datetime, protocol: Protocol) -> bool:
        """Inside the protocol's warning window (``infusion.clock_warning_minutes``) and not yet passed."""
        return not self.passed and (self.at - now) <= timedelta(minutes=protocol.infusion.clock_warning_minutes)


def hold_clocks(inf: InfusionState, protocol: Protocol, now: datetime) -> tuple[HoldClock, ...]:
    """The three clocks of a current hold from the protocol's values: a restart needs premedication after
    ``premedication_hold_minutes``, starts a new cycle after ``new_cycle_hold_minutes``, and a hold longer than
    ``discontinuation_hold_minutes`` calls for a discontinuation review. Empty when the infusion is not held."""
    start = inf.hold.current_hold_started
    if inf.state != HELD or start is None:
        return ()
    premed_at = start + timedelta(minutes=protocol.infusion.premedication_hold_minutes)
    clocks = [HoldClock(CLOCK_PREMEDICATION, premed_at, now >= premed_at, "R-PREMED-1")]
    if inf.new_cycle_limit_at is not None:
        clocks.append(HoldClock(CLOCK_NEW_CYCLE, inf.new_cycle_limit_at, inf.restart_requires_new_cycle, "R-INT-2"))
    if inf.discontinuation_limit_at is not None:
        clocks.append(HoldClock(CLOCK_DISCONTINUATION_REVIEW, inf.discontinuation_limit_at,
                                inf.hold_beyond_discontinuation_limit, "D2"))
    return tuple(clocks)
