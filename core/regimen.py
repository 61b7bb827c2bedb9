"""The infusion as derived state: cycles, cycle days, bags and dose, holds and their clocks, premedication,
step-up, the neurological restart rules and the new-cycle / discontinuation limits (RULES.md §3, decisions D2
and D10).

:class:`InfusionTracker` is fed a patient's infusion-related records in time order (plus the CRS episodes and
ICANS grades the fold derives) and answers :meth:`InfusionTracker.state` for any moment at or after the last record
fed. It is pure: no clock, no I/O. :func:`label_doses` and :func:`label_premedication` are the label's
indication-, weight- and age-specific figures, shown as information (R-DOSE-1, R-PREMED-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.handover_words import premed_event_text, span_text
from core.infusion_state import (
    CLOCK_DISCONTINUATION_REVIEW,
    CLOCK_NEW_CYCLE,
    CLOCK_PREMEDICATION,
    HoldClock,
    HoldState,
    InfusionAnswers,
    InfusionState,
    NeuroEvent,
    NeuroHold,
    NeuroLevel,
    hold_clocks,
)
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
from core.regimen_dosing import (
    ADVERSE_REACTION_STOPS,
    BETWEEN_CYCLES,
    COMPLETED,
    DISCONTINUED,
    DOSE_BSA,
    DOSE_BSA_MISSING,
    DOSE_FIXED,
    DOSE_WEIGHT_MISSING,
    HELD,
    INFUSION_RECORD_TYPES,
    MINUTES_PER_DAY,
    NOT_STARTED,
    PREMED_FIRST_DOSE,
    PREMED_MISSING,
    PREMED_OUTSIDE_WINDOW,
    PREMED_RESTART,
    PREMED_STEP_UP,
    RUNNING,
    Dosing,
    dose_per_day,
    label_doses,
    minutes_between,
)


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


class InfusionTracker(InfusionAnswers):
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

    def note_icans_grade(self, at: datetime, grade: int, level: NeuroLevel) -> None:
        """An ICANS assessment graded ``grade``: opens, resolves or re-opens a neurological event (its facts,
        :meth:`neuro_event`). ``level`` is where the grade stands in the label's rule, as core/rules/neuro_label.py
        (``neuro_level``, R-MOD-3) classes it."""
        if level is NeuroLevel.WITHHOLD:
            self.neuro_max_grade = max(self.neuro_max_grade, grade)
            if self.neuro_onset is None or self.neuro_resolved_at is not None:
                self.neuro_onset = at
                self.neuro_dose = self.bag_dose_per_day if self.status in (RUNNING, HELD) else None
                self.neuro_resolved_at = None
                self.recurrences.append(at)
            self.neuro_low_since = None
        elif level is NeuroLevel.UNRESOLVED:
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

    def _label_premedication(self, event: str, cycle: int, at: datetime) -> LabelPremedication:
        """The label's premedication for this patient (:func:`label_premedication`), for :meth:`state`."""
        return label_premedication(self.patient, self.protocol, event, cycle, at)


# What core.regimen re-exports from the modules it is made of (core/regimen_dosing.py, core/infusion_state.py).
__all__ = [
    "ADVERSE_REACTION_STOPS", "BETWEEN_CYCLES", "CLOCK_DISCONTINUATION_REVIEW", "CLOCK_NEW_CYCLE",
    "CLOCK_PREMEDICATION", "COMPLETED", "DISCONTINUED", "DOSE_BSA", "DOSE_BSA_MISSING", "DOSE_FIXED",
    "DOSE_WEIGHT_MISSING", "HELD", "INFUSION_RECORD_TYPES", "MINUTES_PER_DAY", "NOT_STARTED", "PREMED_FIRST_DOSE",
    "PREMED_MISSING", "PREMED_OUTSIDE_WINDOW", "PREMED_RESTART", "PREMED_STEP_UP", "RUNNING", "Dosing", "HoldClock",
    "HoldState", "InfusionState", "NeuroEvent", "NeuroHold", "NeuroLevel", "dose_per_day", "hold_clocks",
    "label_doses", "minutes_between"
]
