"""The infusion at one moment: what :meth:`core.regimen.InfusionTracker.state` answers (cycle day, dose, holds and
their limits, premedication due, step-up, the neurological restart rules, R-HOSP-1), and the clocks of a current hold.

:class:`InfusionAnswers` is the answering half of the tracker: it reads what the tracker's feeding half
(core/regimen.py) has folded and writes nothing. Pure: no clock, no I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.protocol import Protocol
from core.records import Indication, Patient
from core.regimen_dosing import (
    ADVERSE_REACTION_STOPS,
    BETWEEN_CYCLES,
    HELD,
    MINUTES_PER_DAY,
    NOT_STARTED,
    PREMED_FIRST_DOSE,
    PREMED_RESTART,
    PREMED_STEP_UP,
    RUNNING,
    Dosing,
    minutes_between,
)

if TYPE_CHECKING:  # the timeline pieces the tracker keeps (core/regimen.py, the layer above): annotations only
    from core.regimen import Hold, InfusionEvent, LabelPremedication, PremedicationWarning, Restart, Segment


class NeuroLevel(enum.StrEnum):
    """Where one ICANS grade stands in the label's neurological rule (R-MOD-3), as core/rules/neuro_label.py
    (``neuro_level``) classes it for the tracker: it withholds the infusion, is not yet resolved, or is resolved."""

    WITHHOLD = "withhold"
    UNRESOLVED = "unresolved"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class NeuroEvent:
    """The facts of the current neurological event (R-MOD-3, R-MOD-4), as the tracker keeps them; what the label
    decides from them is a :class:`NeuroHold` (core/rules/neuro_label.py).

    Attributes:
        onset: The first assessment of this event at a grade that withholds the infusion (grade >= 3).
        dose_at_onset: The infusion's dose per day then (running or held bag), if any.
        resolved_at: The first assessment at grade <= 1 after the onset (time to resolution).
        low_since: Start of the current unbroken run of assessments at grade <= 1.
        max_grade: The highest ICANS grade in the course (grade 4 -> discontinue permanently, R-MOD-4).
    """

    onset: datetime
    dose_at_onset: float | None
    resolved_at: datetime | None
    low_since: datetime | None
    max_grade: int


@dataclass(frozen=True)
class NeuroHold:
    """Neurological toxicity of grade >= 3 and the label's restart rules (R-MOD-3, R-MOD-4; V22-V24): the event's
    facts and what core/rules/neuro_label.py (``neuro_hold``) decided from them at a moment.

    Attributes:
        event: The facts (onset, dose at onset, resolution, grade <= 1 since, highest grade).
        at_restart_dose: The onset came at the restart dose (9 mcg/day or 5 mcg/m2/day): discontinue.
        resolution_too_long: Onset to grade <= 1 took (or has taken) more than 7 days: discontinue.
        restart_eligible_at: Grade <= 1 for 3 days (72 h) is reached then (when neither rule applies).
    """

    event: NeuroEvent
    at_restart_dose: bool
    resolution_too_long: bool
    restart_eligible_at: datetime | None

    @property
    def onset(self) -> datetime:
        return self.event.onset

    @property
    def dose_at_onset(self) -> float | None:
        return self.event.dose_at_onset

    @property
    def resolved_at(self) -> datetime | None:
        return self.event.resolved_at

    @property
    def low_since(self) -> datetime | None:
        return self.event.low_since

    @property
    def max_grade(self) -> int:
        return self.event.max_grade

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


class InfusionAnswers:
    """The answers of :class:`core.regimen.InfusionTracker` at a moment, from the attributes its feeding methods keep
    (declared here for the type checker; :meth:`core.regimen.InfusionTracker.__init__` sets them)."""

    patient: Patient
    protocol: Protocol
    dosing: Dosing
    status: str
    cycle: int | None
    cycle_started: datetime | None
    running_since: datetime | None
    infused_minutes_before_segment: float
    bag_dose_per_day: float | None
    bag_hung_at: datetime | None
    bag_duration_h: float | None
    holds: list[Hold]
    current_hold: Hold | None
    last_change_at: datetime | None
    premedications: list[datetime]
    warnings: list[PremedicationWarning]
    reduced_phase: bool
    reduced_since: datetime | None
    reduced_infused_before: float
    reduced_from_restart: bool
    recurrences: list[datetime]
    new_cycle_after_long_hold: bool
    last_restart: Restart | None
    neuro_onset: datetime | None
    neuro_dose: float | None
    neuro_resolved_at: datetime | None
    neuro_low_since: datetime | None
    neuro_max_grade: int
    segments: list[Segment]
    events: list[InfusionEvent]

    def _label_premedication(self, event: str, cycle: int, at: datetime) -> LabelPremedication:
        """The label's premedication for this patient (core/regimen.py ``label_premedication``)."""
        raise NotImplementedError  # InfusionTracker (core/regimen.py) makes the label's premedication

    def _premedication_required(self, label: LabelPremedication) -> bool:
        """D2: the default protocol asks for premedication at every such event; a site on the label's rules only
        where the label mandates it (RULES.md §3.4)."""
        return self.protocol.infusion.premedication_rule == "protocol" or label.mandated

    def _full_dose_floor(self) -> float:
        """The lowest dose per day that still counts as the full dose (R-DOSE-3 tolerance)."""
        return self.dosing.full_mcg_per_day * (1 - self.protocol.infusion.dose_tolerance_percent / 100)

    def state(self, at: datetime, neuro: NeuroHold | None) -> InfusionState:
        """The infusion at ``at`` (at or after the last record fed).

        Args:
            neuro: The label's neurological hold at ``at``: what core/rules/neuro_label.py (``neuro_hold``, a layer
                above) decides from :meth:`neuro_event` (R-MOD-3); published as it is.
        """
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
            premed_label = self._label_premedication(event, upcoming_cycle, at)
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
            neuro=neuro,
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

    def neuro_event(self) -> NeuroEvent | None:
        """The facts of the current neurological event (R-MOD-3, R-MOD-4), if one has opened."""
        if self.neuro_onset is None:
            return None
        return NeuroEvent(self.neuro_onset, self.neuro_dose, self.neuro_resolved_at, self.neuro_low_since,
                          self.neuro_max_grade)

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
