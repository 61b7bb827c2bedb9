"""The infusion as derived state: cycles, cycle days, bags and dose, holds and their clocks, premedication,
step-up and the new-cycle / discontinuation limits (RULES.md §3, decisions D2 and D10).

:class:`InfusionTracker` is fed a patient's infusion-related records in time order and answers
:meth:`InfusionTracker.state` for any moment at or after the last record fed. It is pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.protocol import Protocol
from core.records import (
    CORTICOSTEROIDS, BagChanged, Indication, InfusionResumed, InfusionStarted, InfusionStopped, MedicationGiven,
    Patient, Purpose, RecordBase, StopReason, TherapyDiscontinued,
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

INFUSION_RECORD_TYPES = frozenset(
    {"infusion_started", "bag_changed", "infusion_stopped", "infusion_resumed", "therapy_discontinued"})


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes between two instants (D8: UTC arithmetic, never wall-clock)."""
    return (end - start).total_seconds() / 60.0


def dose_per_day(dose_mcg: float, duration_h: float) -> float:
    """INTERFACE.md: a dose per day is ``dose_mcg x 24 / duration_h``."""
    return round(dose_mcg * 24.0 / duration_h, 3)


@dataclass(frozen=True)
class Hold:
    """One interruption (D10): from a stop (any reason but cycle_complete) to the resume or discontinuation."""

    start: datetime
    end: datetime | None
    reason: StopReason
    cycle: int

    def minutes(self, at: datetime) -> float:
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
class HoldState:
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
    last_premedication_at: datetime | None
    premedication_warnings: tuple[str, ...]
    step_up_due_at: datetime | None
    step_up_suppressed: bool
    restart_dose_mcg_per_day: float | None
    full_dose_mcg_per_day: float | None
    new_cycle_after_long_hold: bool
    inpatient_period: bool
    cycle_infusion_complete: bool
    segments: tuple[Segment, ...] = field(default=())
    events: tuple[InfusionEvent, ...] = field(default=())
    holds: tuple[Hold, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        """The INTERFACE.md ``status.infusion`` object (plus added fields)."""
        def iso(dt: datetime | None) -> str | None:
            return dt.isoformat() if dt else None
        return {
            "state": self.state,
            "cycle": self.cycle,
            "cycle_day": self.cycle_day,
            "cycle_started": iso(self.cycle_started),
            "infused_hours_this_cycle": round(self.infused_hours_this_cycle, 2),
            "remaining_infusion_hours_this_cycle": (
                None if self.remaining_infusion_hours_this_cycle is None
                else round(self.remaining_infusion_hours_this_cycle, 2)),
            "current_dose_mcg_per_day": self.current_dose_mcg_per_day,
            "hold": {
                "count_this_cycle": self.hold.count_this_cycle,
                "current_hold_hours": (None if self.hold.current_hold_hours is None
                                       else round(self.hold.current_hold_hours, 2)),
                "total_held_hours_this_cycle": round(self.hold.total_held_hours_this_cycle, 2),
                "current_hold_started": iso(self.hold.current_hold_started),
                "current_hold_reason": self.hold.current_hold_reason,
                "new_cycle_limit_at": iso(self.new_cycle_limit_at),
                "discontinuation_limit_at": iso(self.discontinuation_limit_at),
                "near_new_cycle_boundary": self.near_new_cycle_boundary,
            },
            "restart_requires_new_cycle": self.restart_requires_new_cycle,
            "premedication_due": self.premedication_due,
            "premedication_reason": self.premedication_reason,
            "last_premedication_at": iso(self.last_premedication_at),
            "premedication_warnings": list(self.premedication_warnings),
            "bag_hung_at": iso(self.bag_hung_at),
            "bag_change_due": iso(self.bag_change_due),
            "step_up_due": iso(self.step_up_due_at),
            "step_up_suppressed": self.step_up_suppressed,
            "restart_dose_mcg_per_day": self.restart_dose_mcg_per_day,
            "full_dose_mcg_per_day": self.full_dose_mcg_per_day,
            "new_cycle_after_long_hold": self.new_cycle_after_long_hold,
            "inpatient_period": self.inpatient_period,
            "cycle_infusion_complete": self.cycle_infusion_complete,
        }


class InfusionTracker:
    """Folds infusion records (and premedication) in time order; see the module docstring."""

    def __init__(self, patient: Patient, protocol: Protocol):
        self.patient = patient
        self.protocol = protocol
        self.status = NOT_STARTED
        self.cycle: int | None = None
        self.cycle_started: datetime | None = None
        self.running_since: datetime | None = None
        self.infused_minutes_before_segment = 0.0  # running minutes this cycle before the current segment
        self.bag_dose_per_day: float | None = None
        self.bag_hung_at: datetime | None = None
        self.bag_duration_h: float | None = None
        self.holds: list[Hold] = []
        self.current_hold: Hold | None = None
        self.last_change_at: datetime | None = None   # when the status last changed (between_cycles since ...)
        self.premedications: list[datetime] = []
        self.warnings: list[str] = []
        self.low_dose_since: datetime | None = None
        self.low_dose_infused_before = 0.0            # low-dose running minutes before the current segment
        self.low_dose_from_restart = False            # R-MOD-6 applies to a restart after toxicity
        self.crs_episode_starts: list[datetime] = []
        self.new_cycle_after_long_hold = False
        self.segments: list[Segment] = []
        self.events: list[InfusionEvent] = []

    # -- dosing -------------------------------------------------------------------------------------------------
    def _doses(self) -> tuple[float, float]:
        """(restart / step-1 dose, full dose) per day for this patient (R-DOSE-1: BSA-based below 45 kg)."""
        i = self.protocol.infusion
        weight = self.patient.weight_kg
        if weight is not None and weight < i.weight_fixed_dose_kg and self.patient.bsa_m2:
            return (round(min(i.restart_dose_mcg_m2_per_day * self.patient.bsa_m2, i.restart_dose_mcg_per_day), 3),
                    round(min(i.full_dose_mcg_m2_per_day * self.patient.bsa_m2, i.full_dose_mcg_per_day), 3))
        return i.restart_dose_mcg_per_day, i.full_dose_mcg_per_day

    def _max_cycles(self) -> int:
        i = self.protocol.infusion
        return {
            Indication.RELAPSED_REFRACTORY: i.max_cycles_relapsed_refractory,
            Indication.MRD_POSITIVE: i.max_cycles_mrd_positive,
            Indication.CONSOLIDATION: i.max_cycles_consolidation,
        }[self.patient.indication]

    # -- feeding records ----------------------------------------------------------------------------------------
    def note_crs_episode(self, opened_at: datetime) -> None:
        """A CRS episode opened: a recurrence after a restart suppresses the step-up (R-MOD-6)."""
        self.crs_episode_starts.append(opened_at)

    def apply(self, record: RecordBase) -> None:
        """Feed one record (records of other types are ignored)."""
        if isinstance(record, MedicationGiven):
            if record.purpose is Purpose.PREMEDICATION and record.drug in CORTICOSTEROIDS:
                self.premedications.append(record.at)
                self.events.append(InfusionEvent("premedication", record.at, f"{record.drug.value} {record.dose_mg:g} mg"))
            return
        if isinstance(record, InfusionStarted):
            self._start(record)
        elif isinstance(record, BagChanged):
            self._bag(record.at, record.dose_mcg, record.duration_h)
            self.events.append(InfusionEvent("bag_changed", record.at, f"{record.dose_mcg:g} mcg / {record.duration_h:g} h"))
        elif isinstance(record, InfusionStopped):
            self._stop(record)
        elif isinstance(record, InfusionResumed):
            self._resume(record)
        elif isinstance(record, TherapyDiscontinued):
            self._close_running(record.at)
            self._end_hold(record.at)
            self._close_open_segment(record.at)
            self.status = DISCONTINUED
            self.last_change_at = record.at
            self.segments.append(Segment("discontinued", record.at, None, self.cycle or 0, reason=record.reason))
            self.events.append(InfusionEvent("discontinued", record.at, record.reason))

    def _check_premedication(self, at: datetime, reason: str, arose_at: datetime | None) -> None:
        """R-PREMED-3: warn when a start that needs premedication has none, or none within the window before it."""
        window = self.protocol.infusion.premedication_window_minutes
        given = [p for p in self.premedications if p <= at and (arose_at is None or p >= arose_at)]
        label = {PREMED_FIRST_DOSE: "first dose of the cycle", PREMED_RESTART: "restart after a hold of 4 h or more",
                 PREMED_STEP_UP: "step-up"}[reason]
        if not given:
            self.warnings.append(f"{at.isoformat()}: no premedication recorded before the {label}")
        elif minutes_between(given[-1], at) > window:
            self.warnings.append(
                f"{at.isoformat()}: premedication timing outside the {window}-minute window before the {label}")

    def _start(self, r: InfusionStarted) -> None:
        self._close_running(r.at)
        self._end_hold(r.at)
        self._close_open_segment(r.at)
        arose = self.last_change_at if self.status == BETWEEN_CYCLES else None
        self._check_premedication(r.at, PREMED_FIRST_DOSE, arose)
        self.cycle = r.cycle if r.cycle is not None else ((self.cycle or 0) + 1)
        self.cycle_started = r.at
        self.infused_minutes_before_segment = 0.0
        self.holds = []
        self.new_cycle_after_long_hold = False
        self.status = RUNNING
        self.running_since = r.at
        self.low_dose_since = None
        self.low_dose_infused_before = 0.0
        self.low_dose_from_restart = False
        self.events.append(InfusionEvent("cycle_started", r.at, f"cycle {self.cycle}"))
        self._bag(r.at, r.dose_mcg, r.duration_h)

    def _bag(self, at: datetime, dose_mcg: float, duration_h: float) -> None:
        new_dose = dose_per_day(dose_mcg, duration_h)
        _, full = self._doses()
        if self.status == RUNNING:
            last = self.segments[-1] if self.segments else None
            open_running = last is not None and last.end is None and last.kind == RUNNING
            if open_running and last is not None and last.dose_mcg_per_day != new_dose:
                old = last.dose_mcg_per_day or 0.0
                if new_dose > old and self.low_dose_since is not None:
                    self._check_premedication(at, PREMED_STEP_UP, None)
                self.events.append(InfusionEvent("dose_step", at, f"{old:g} -> {new_dose:g} mcg/day"))
                self._close_running(at)
                self.running_since = at
                open_running = False
            if not open_running:
                self._close_open_segment(at)
                self.segments.append(Segment(RUNNING, at, None, self.cycle or 0, new_dose))
        if new_dose < full:
            if self.low_dose_since is None:
                self.low_dose_since = at
                self.low_dose_infused_before = 0.0
        else:
            self.low_dose_since = None
            self.low_dose_infused_before = 0.0
        self.bag_dose_per_day = new_dose
        self.bag_hung_at = at
        self.bag_duration_h = duration_h

    def _close_running(self, at: datetime) -> None:
        """End the running segment at ``at`` and add its minutes to the cycle (and to the low-dose clock)."""
        if self.status != RUNNING or self.running_since is None:
            return
        minutes = max(0.0, minutes_between(self.running_since, at))
        self.infused_minutes_before_segment += minutes
        if self.low_dose_since is not None:
            self.low_dose_infused_before += minutes
        self.running_since = None
        self._close_open_segment(at)

    def _close_open_segment(self, at: datetime) -> None:
        if self.segments and self.segments[-1].end is None:
            s = self.segments[-1]
            self.segments[-1] = Segment(s.kind, s.start, at, s.cycle, s.dose_mcg_per_day, s.reason)

    def _end_hold(self, at: datetime) -> None:
        if self.current_hold is not None:
            h = self.current_hold
            ended = Hold(h.start, at, h.reason, h.cycle)
            self.holds[-1] = ended
            self.current_hold = None

    def _stop(self, r: InfusionStopped) -> None:
        if self.status != RUNNING:
            return
        self._close_running(r.at)
        self.last_change_at = r.at
        if r.reason is StopReason.CYCLE_COMPLETE:
            max_cycles = self._max_cycles()
            self.status = COMPLETED if max_cycles and (self.cycle or 0) >= max_cycles else BETWEEN_CYCLES
            self.segments.append(Segment(BETWEEN_CYCLES, r.at, None, self.cycle or 0, reason="cycle_complete"))
        else:
            self.status = HELD
            self.current_hold = Hold(r.at, None, r.reason, self.cycle or 0)
            self.holds.append(self.current_hold)
            self.segments.append(Segment(HELD, r.at, None, self.cycle or 0, reason=r.reason.value))

    def _resume(self, r: InfusionResumed) -> None:
        if self.status != HELD or self.current_hold is None:
            return
        hold = self.current_hold
        hold_minutes = minutes_between(hold.start, r.at)
        self._end_hold(r.at)
        self._close_open_segment(r.at)
        i = self.protocol.infusion
        if hold_minutes >= i.premedication_hold_minutes:
            self._check_premedication(r.at, PREMED_RESTART, hold.start)
        self.status = RUNNING
        self.running_since = r.at
        if hold_minutes > i.new_cycle_hold_minutes:
            # R-INT-2 / R-INT-3: a hold longer than 7 days (strictly) starts a new cycle at the restart.
            self.cycle = (self.cycle or 0) + 1
            self.cycle_started = r.at
            self.infused_minutes_before_segment = 0.0
            self.holds = []
            self.new_cycle_after_long_hold = True
            self.events.append(InfusionEvent("cycle_started", r.at, f"cycle {self.cycle} (after a hold of more than "
                                                                     f"{i.new_cycle_hold_minutes // 1440} days)"))
        self.low_dose_since = None
        self.low_dose_infused_before = 0.0
        self.bag_dose_per_day = None
        self._bag(r.at, r.dose_mcg, r.duration_h)
        self.low_dose_from_restart = self.low_dose_since is not None

    # -- answering ----------------------------------------------------------------------------------------------
    def dose_at_last_record(self) -> float | None:
        """The running dose per day, or ``None`` when not running."""
        return self.bag_dose_per_day if self.status == RUNNING else None

    def state(self, at: datetime) -> InfusionState:
        """The infusion at ``at`` (at or after the last record fed)."""
        i = self.protocol.infusion
        running_minutes = self.infused_minutes_before_segment
        low_minutes = self.low_dose_infused_before
        if self.status == RUNNING and self.running_since is not None:
            extra = max(0.0, minutes_between(self.running_since, at))
            running_minutes += extra
            if self.low_dose_since is not None:
                low_minutes += extra
        cycle_day = None
        if self.cycle_started is not None and self.status in (RUNNING, HELD):
            cycle_day = int(minutes_between(self.cycle_started, at) // 1440) + 1
        holds = list(self.holds)
        current_hold_minutes = self.current_hold.minutes(at) if self.current_hold else None
        total_held = sum(h.minutes(at) for h in holds)
        longest = max((h.minutes(at) for h in holds), default=0.0)
        restart_requires_new_cycle = current_hold_minutes is not None and current_hold_minutes > i.new_cycle_hold_minutes
        near_boundary = (current_hold_minutes is not None
                         and abs(current_hold_minutes - i.new_cycle_hold_minutes) <= i.boundary_warning_minutes)
        beyond_discontinuation = (current_hold_minutes is not None
                                  and current_hold_minutes > i.discontinuation_hold_minutes)
        new_cycle_limit_at = disc_limit_at = None
        if self.current_hold is not None:
            new_cycle_limit_at = self.current_hold.start + timedelta(minutes=i.new_cycle_hold_minutes)
            disc_limit_at = self.current_hold.start + timedelta(minutes=i.discontinuation_hold_minutes)

        low, full = self._doses()
        step_up_due_at = None
        suppressed = False
        if self.status == RUNNING and self.low_dose_since is not None and self.running_since is not None:
            needed = i.step_up_after_days * 1440 - self.low_dose_infused_before
            step_up_due_at = self.running_since + timedelta(minutes=max(0.0, needed))
            # R-MOD-6: a CRS recurrence since a restart suppresses the step-up.
            suppressed = self.low_dose_from_restart and any(
                start > self.low_dose_since for start in self.crs_episode_starts)

        premed_due, premed_reason = self._premedication_due(at, step_up_due_at, suppressed, current_hold_minutes)
        bag_change_due = None
        if self.status == RUNNING and self.bag_hung_at is not None and self.bag_duration_h is not None:
            bag_change_due = self.bag_hung_at + timedelta(hours=self.bag_duration_h)
        cycle_minutes = i.cycle_infusion_days * 1440
        remaining = None if self.cycle is None else max(0.0, cycle_minutes - running_minutes) / 60.0
        inpatient = False
        if cycle_day is not None:
            if self.cycle == 1:
                days = (i.inpatient_days_cycle1_relapsed_refractory
                        if self.patient.indication is Indication.RELAPSED_REFRACTORY else i.inpatient_days_cycle1_other)
                inpatient = cycle_day <= days
            elif self.cycle == 2:
                inpatient = cycle_day <= i.inpatient_days_cycle2
        segments = tuple(self.segments)
        return InfusionState(
            state=self.status,
            cycle=self.cycle,
            cycle_day=cycle_day,
            cycle_started=self.cycle_started,
            infused_hours_this_cycle=running_minutes / 60.0,
            remaining_infusion_hours_this_cycle=remaining,
            current_dose_mcg_per_day=self.bag_dose_per_day if self.status in (RUNNING, HELD) else None,
            bag_hung_at=self.bag_hung_at if self.status == RUNNING else None,
            bag_change_due=bag_change_due,
            hold=HoldState(
                count_this_cycle=len(holds),
                current_hold_hours=None if current_hold_minutes is None else current_hold_minutes / 60.0,
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
            last_premedication_at=self.premedications[-1] if self.premedications else None,
            premedication_warnings=tuple(self.warnings),
            step_up_due_at=step_up_due_at,
            step_up_suppressed=suppressed,
            restart_dose_mcg_per_day=low,
            full_dose_mcg_per_day=full,
            new_cycle_after_long_hold=self.new_cycle_after_long_hold,
            inpatient_period=inpatient,
            cycle_infusion_complete=running_minutes >= cycle_minutes,
            segments=segments,
            events=tuple(self.events),
            holds=tuple(holds),
        )

    def _premedication_due(
        self, at: datetime, step_up_due_at: datetime | None, step_up_suppressed: bool,
        current_hold_minutes: float | None,
    ) -> tuple[bool, str | None]:
        """D2 / D10: due before the first dose of each cycle, each step-up, and a restart after a hold >= 4 h;
        cleared by a corticosteroid recorded as premedication after the reason arose."""
        i = self.protocol.infusion

        def given_since(moment: datetime | None) -> bool:
            return any(p <= at and (moment is None or p >= moment) for p in self.premedications)

        if self.status == NOT_STARTED:
            return (not given_since(None), PREMED_FIRST_DOSE)
        if self.status == BETWEEN_CYCLES:
            return (not given_since(self.last_change_at), PREMED_FIRST_DOSE)
        if self.status == HELD and current_hold_minutes is not None:
            if current_hold_minutes >= i.premedication_hold_minutes:
                return (not given_since(self.current_hold.start if self.current_hold else None), PREMED_RESTART)
            return (False, None)
        if self.status == RUNNING and step_up_due_at is not None and not step_up_suppressed \
                and at >= step_up_due_at - timedelta(minutes=i.premedication_window_minutes):
            return (not given_since(step_up_due_at - timedelta(minutes=i.premedication_window_minutes)),
                    PREMED_STEP_UP)
        return (False, None)
