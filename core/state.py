"""The fold: a patient's records, in time order, -> the patient's state at a moment (ARCHITECTURE.md).

``fold(patient, records, at, protocol)`` is pure. The same function answers "now" for the banner, "at 07:00" for
the handover and "after each record" for the chart and the tests (:func:`fold_history`).
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar, cast

from core.clock import utc
from core.handover_words import limit_text, premed_event_text, span_text
from core.protocol import Protocol
from core.records import (
    FIO2_SETTING_DEVICES,
    CrsEpisodeClosed,
    Drug,
    EnteredInError,
    Escalation,
    FluidBolus,
    GradeConfirmed,
    InfusionResumed,
    InfusionStarted,
    LabResult,
    MedicationGiven,
    NeuroAssessment,
    ObservationsNotDone,
    OxygenDevice,
    Patient,
    PatientUpdated,
    Purpose,
    RecordBase,
    Seizure,
    StoredRecord,
    Vasopressor,
    VasopressorStarted,
    VasopressorStopped,
    VitalsRecord,
)
from core.regimen import (
    COMPLETED,
    DISCONTINUED,
    HELD,
    PREMED_RESTART,
    RUNNING,
    InfusionState,
    InfusionTracker,
    label_doses,
)
from core.rules import guidance
from core.rules import labs as lab_rules
from core.rules.crs import FLAG_OTHER_CAUSES, CrsGrade, CrsInput, grade_crs
from core.rules.escalation import close_the_loop
from core.rules.guidance import Recommendation
from core.rules.icans import IcansGrade, grade_icans
from core.rules.news2 import PARAMETERS as NEWS2_PARAMETERS
from core.rules.news2 import News2, news2
from core.rules.status import StatusLevel, status_level

#: Vital-sign fields combined across sets for CRS grading (D11).
VITAL_FIELDS = ("temperature_c", "heart_rate", "respiratory_rate", "systolic_bp", "diastolic_bp", "spo2_percent",
                "oxygen_device", "oxygen_flow_l_min", "fio2_percent", "oxygen_for_comfort_only", "consciousness")
#: The vital signs without which a CRS grade rests on nothing current (INTERFACE.md ``crs.stale``).
STALE_FIELDS = ("temperature_c", "systolic_bp")
#: Record types that change the CRS assessment (D11: re-evaluated at each).
CRS_INPUT_TYPES = frozenset({"vitals", "fluid_bolus", "vasopressor_started", "vasopressor_stopped",
                             "medication_given", "grade_confirmed", "crs_episode_closed"})

RISK_HIGH_TUMOR_BURDEN = "high_tumor_burden"   # seed §3.8: marrow blasts >= the protocol's limit (50 %)
#: R-AST-9: the "Recurrent >= G2 CRS" flag is raised from the second episode of grade >= 2 (a rule, not a setting;
#: whether that also prompts a discontinuation review is the protocol's ``actions.recurrence_review_episodes``).
RECURRENCE_FLAG_EPISODES = 2
FLAG_RECURRENT_CRS = "recurrent_crs"
#: How far back a :class:`PatientFold` keeps the grades after each record (its trail): the handover's 24-hour trend
#: and lists (core/handover.py reads this number).
TRAIL_HOURS = 24


@dataclass(frozen=True)
class TrailPoint:
    """What a handover reads of the state after one record: the computed CRS grade on both scales (for the current
    episode's highest) and, for a record inside the trail window, the grade acted on, the ICANS grade and NEWS2."""

    at: datetime
    astct: int
    ctcae: int
    #: False for a point before the trail window (its other fields are then not filled in).
    window: bool = False
    crs_grade: int = 0
    icans_grade: int | None = None
    news2_complete: bool = False
    news2_score: int | None = None
    news2_as_of: datetime | None = None

    @classmethod
    def of_state(cls, state: PatientState) -> TrailPoint:
        """The point of a state built in full (:func:`fold_history`)."""
        return cls(state.at, state.crs.computed.astct.grade, state.crs.computed.ctcae.grade, True, state.crs.grade,
                   state.icans.grade, state.news2.complete, state.news2.score, state.news2_as_of)


@dataclass(frozen=True)
class Episode:
    """One CRS episode (D9): opens at the first assessment at grade >= 1, closes 24 h after the last one."""

    started: datetime
    ended: datetime | None
    max_grade: int
    treated: bool
    closed_by_clinician: bool = False
    cycle: int | None = None              # the infusion cycle when it opened (R-AST-9 counts per cycle too)
    max_reached_at: datetime | None = None  # when the episode first reached its maximum grade (R-AST-7)


@dataclass(frozen=True)
class ConfirmedGrade:
    """A clinician's confirmation or override of the computed grade (D6); both are kept."""

    grade: int
    reason: str
    by: str | None
    at: datetime
    computed_grade: int
    in_force: bool
    signature: str | None = None   # the clinician's electronic signature, in words (21 CFR Part 11 §11.50)


@dataclass(frozen=True)
class CrsTrigger:
    """The assessment at which the grade acted on reached its current value: the values that set it, each with the
    time it was taken (D11 combines the latest value of each vital, so some may come from an earlier set), and the
    interventions in force then. A later, reassuring set that leaves the grade unchanged does not replace it."""

    at: datetime
    grade: int
    astct_grade: int
    ctcae_grade: int
    values: dict[str, object]
    taken_at: dict[str, datetime]
    fluids_given: bool
    vasopressors: frozenset[Vasopressor]

    def to_json(self) -> dict[str, object]:
        """The trigger as the ``crs.trigger`` object of ``status``."""
        return {"at": self.at.isoformat(), "grade": self.grade,
                "astct_2019": self.astct_grade, "ctcae_v5": self.ctcae_grade,
                "values": {k: getattr(v, "value", v) for k, v in self.values.items()},
                "taken_at": {k: t.isoformat() for k, t in self.taken_at.items()},
                "fluid_bolus_given": self.fluids_given, "vasopressors": sorted(v.value for v in self.vasopressors)}


@dataclass(frozen=True)
class CrsState:
    grade: int
    computed: CrsGrade
    confirmed: ConfirmedGrade | None
    episode_open: bool
    episode_started: datetime | None
    episode_max_grade: int
    episodes_grade2_plus: int
    episodes: tuple[Episode, ...]
    as_of: datetime | None
    episodes_grade2_plus_this_cycle: int = 0
    recurrent: bool = False
    #: (when, grade) at each re-grading that changed the grade acted on: the grade over time, for the trend chart.
    grade_steps: tuple[tuple[datetime, int], ...] = ()
    #: INTERFACE.md Additions ``crs.stale``: no temperature or systolic BP inside the look-back window (D11), so the
    #: grade rests on no current vital signs and must never be shown as reassuring.
    stale: bool = True
    #: When the newest temperature or systolic BP was taken (the time a stale grade is shown with).
    last_vitals_at: datetime | None = None
    #: The assessment that set the grade shown (``None`` at grade 0, or when the grade now differs from it).
    trigger: CrsTrigger | None = None


@dataclass(frozen=True)
class IcansState:
    grade: int | None
    detail: IcansGrade | None
    ice_score: int | None
    seizures: int
    as_of: datetime | None
    ice_trend: tuple[tuple[datetime, int | None], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        """What the latest assessment lacked (D7)."""
        return self.detail.missing if self.detail else ()


@dataclass(frozen=True)
class LabValue:
    test: str
    value: float
    unit: str
    at: datetime
    badge: str | None = None


@dataclass(frozen=True)
class CurrentVitals:
    """The latest value of each vital within the look-back window (D11), with the time each was taken."""

    values: dict[str, object]
    taken_at: dict[str, datetime]
    latest_set: VitalsRecord | None
    fluids_given: bool
    vasopressors: frozenset[Vasopressor]


@dataclass(frozen=True)
class PatientState:
    """Everything derived about one patient at one moment."""

    patient: Patient
    at: datetime
    protocol: dict[str, str]
    crs: CrsState
    icans: IcansState
    news2: News2
    news2_as_of: datetime | None
    infusion: InfusionState
    vitals: CurrentVitals
    recommendations: tuple[Recommendation, ...]
    flags: tuple[str, ...]
    risk_factors: tuple[str, ...]
    labs: tuple[LabValue, ...]
    next_observations_due: datetime | None
    observation_interval_minutes: int
    superseded: frozenset[str] = field(default=frozenset())
    status_level: StatusLevel = field(default_factory=lambda: StatusLevel(0, ()))
    differential: tuple[str, ...] = ()
    #: The latest ``observations_not_done`` record (INTERFACE.md Additions), or ``None``.
    last_not_done: ObservationsNotDone | None = None
    #: Every ``escalation`` record so far, in time order (the handover lists them).
    escalations: tuple[Escalation, ...] = ()

    @property
    def pending(self) -> tuple[Recommendation, ...]:
        """The prompts nobody has answered yet (issue 13: they stay on the list until answered)."""
        return tuple(r for r in self.recommendations if r.acknowledged is None)

    @property
    def overdue(self) -> bool:
        """Observations are overdue when the next set was due before ``at``."""
        return self.next_observations_due is not None and self.next_observations_due < self.at

    def to_json(self) -> dict[str, object]:
        """This state as the INTERFACE.md ``status`` patient object (names exact; fields added)."""
        def iso(dt: datetime | None) -> str | None:
            return dt.isoformat() if dt else None
        c = self.crs
        confirmed = None
        if c.confirmed is not None:
            confirmed = {"grade": c.confirmed.grade, "reason": c.confirmed.reason, "by": c.confirmed.by,
                         "at": iso(c.confirmed.at), "computed_grade": c.confirmed.computed_grade,
                         "in_force": c.confirmed.in_force, "signature": c.confirmed.signature}
        return {
            "mrn": self.patient.mrn,
            "name": self.patient.name,
            "ward": self.patient.ward,
            "bed": self.patient.bed,
            "demo": self.patient.demo,
            "crs": {
                "grade": c.grade,
                "astct_2019": c.computed.astct.grade,
                "ctcae_v5": c.computed.ctcae.grade,
                "ctcae_at_least": c.computed.ctcae.at_least,
                "astct_at_least": c.computed.astct.at_least,
                "at_least": c.computed.at_least,
                "scales_differ": c.computed.scales_differ,
                "computed_grade": c.computed.grade,
                "confirmed": confirmed,
                "episode_open": c.episode_open,
                "episode_started": iso(c.episode_started),
                "episode_max_grade": c.episode_max_grade,
                "episodes_grade2_plus": c.episodes_grade2_plus,
                "episodes_grade2_plus_this_cycle": c.episodes_grade2_plus_this_cycle,
                "recurrent": c.recurrent,
                "fever_waived": c.computed.fever_waived,
                "rules": list(c.computed.rules),
                "flags": list(c.computed.flags),
                "missing": list(c.computed.missing),
                "as_of": iso(c.as_of),
                "stale": c.stale,
                "last_vitals_at": iso(c.last_vitals_at),
                "trigger": c.trigger.to_json() if c.trigger else None,
            },
            "icans": {"grade": self.icans.grade, "ice_score": self.icans.ice_score, "seizures": self.icans.seizures,
                      "as_of": iso(self.icans.as_of), "missing": list(self.icans.missing),
                      "notes": list(self.icans.detail.notes) if self.icans.detail else []},
            "news2": {"score": self.news2.score, "risk": self.news2.risk, "complete": self.news2.complete,
                      "red_parameter": self.news2.red_parameter, "missing": list(self.news2.missing),
                      "scale": self.news2.scale, "not_applicable": self.news2.not_applicable,
                      "as_of": iso(self.news2_as_of)},
            "status_level": self.status_level.to_json(),
            "differential": list(self.differential),
            "infusion": self.infusion.to_json(),
            "recommendations": [dict(r.to_json(), acknowledged=r.acknowledged.to_json() if r.acknowledged else None,
                                     since=iso(r.since)) for r in self.recommendations],
            "observations": {"last_not_done": None if self.last_not_done is None else {
                "at": iso(self.last_not_done.at), "reason": self.last_not_done.reason.value,
                "note": self.last_not_done.note, "by": self.last_not_done.by}},
            "flags": list(self.flags),
            "risk_factors": list(self.risk_factors),
            "labs": [{"test": lab.test, "value": lab.value, "unit": lab.unit, "at": iso(lab.at), "badge": lab.badge}
                     for lab in self.labs],
            "next_observations_due": iso(self.next_observations_due),
            "observations_overdue": self.overdue,
        }


def effective_records(records: Iterable[StoredRecord]) -> tuple[list[StoredRecord], frozenset[str]]:
    """Drop records superseded by ``entered_in_error`` (they stay in the file and in the records list)."""
    records = list(records)
    superseded = frozenset(str(r.record.target_id) for r in records if isinstance(r.record, EnteredInError))
    kept = [r for r in records if str(r.record.id) not in superseded and not isinstance(r.record, EnteredInError)]
    return kept, superseded


class _Folder:
    """The running state of the fold. Private: use :func:`fold` or :func:`fold_history`."""

    def __init__(self, patient: Patient, protocol: Protocol):
        self.patient = patient
        self.protocol = protocol
        self.latest: dict[str, tuple[object, datetime]] = {}
        self.latest_set: VitalsRecord | None = None
        self.latest_set_vasopressors: frozenset[Vasopressor] = frozenset()
        self.latest_flags: dict[str, tuple[bool, datetime]] = {}
        self.boluses: list[datetime] = []
        self.running_pressors: set[Vasopressor] = set()
        self.episodes: list[Episode] = []
        self.last_positive: datetime | None = None
        self.override: GradeConfirmed | None = None
        self.last_confirmation: tuple[GradeConfirmed, int] | None = None
        self.override_in_force = False
        self.death_recorded: GradeConfirmed | None = None
        self.as_of: datetime | None = None
        self.neuro: list[NeuroAssessment] = []
        self.seizures = 0
        self.labs: list[LabResult] = []
        self.tocilizumab: list[datetime] = []
        self.closed_at: datetime | None = None      # the last clinician close of an episode (D9)
        self.run_started_at: datetime | None = None  # the last infusion start or restart
        self.grade_steps: list[tuple[datetime, int]] = []
        self.trigger: CrsTrigger | None = None
        self.tracker = InfusionTracker(patient, protocol)
        self.admitted = patient                          # the details at admission (patient_updated changes them)
        self.details: dict[str, tuple[object, datetime]] = {}   # field -> (value, at) from patient_updated
        self.escalations: list[Escalation] = []
        self.last_not_done: ObservationsNotDone | None = None
        self.rec_since: dict[str, datetime] = {}         # code -> when it arose (closing the loop)
        self.tracked_at: datetime | None = None          # the last record's time, when rec_since was brought up to date
        self.track_from: datetime | None = None          # records before this are folded without tracking (speed)
        # The latest records a handover shows beside the trail (a PatientFold answers a handover without its records).
        self.full_set: VitalsRecord | None = None        # the latest set with every NEWS2 parameter
        self.last_given: dict[tuple[Drug, Purpose | None], MedicationGiven] = {}   # per drug and purpose
        self.pressor_started: dict[Vasopressor, VasopressorStarted] = {}         # the latest start of each agent
        self.trail: list[TrailPoint] | None = None       # None: no trail kept (fold, fold_history)
        self.trail_from: datetime | None = None          # records from this on get whole points (see _note)

    # -- the current assessment (D11) ---------------------------------------------------------------------------
    def _window_values(self, at: datetime) -> tuple[dict[str, object], dict[str, datetime]]:
        lookback = timedelta(hours=self.protocol.grading.vitals_lookback_hours)
        values: dict[str, object] = {}
        times: dict[str, datetime] = {}
        for name, (value, taken) in self.latest.items():
            # D9: after a clinician closes the episode, readings from before the close no longer count.
            if at - taken <= lookback and (self.closed_at is None or taken > self.closed_at):
                values[name] = value
                times[name] = taken
        return values, times

    def current_vitals(self, at: datetime) -> CurrentVitals:
        values, times = self._window_values(at)
        g = self.protocol.grading
        # D4: a bolus (a fluid_bolus record, or a vitals set marking one given) counts for the fluid window.
        fluids = any(timedelta(0) <= at - t <= timedelta(hours=g.fluid_window_hours) for t in self.boluses)
        pressors = frozenset(self.running_pressors)
        if self.latest_set is not None and at - self.latest_set.at <= timedelta(hours=g.vitals_lookback_hours):
            pressors = pressors | self.latest_set_vasopressors
        return CurrentVitals(values, times, self.latest_set, fluids, pressors)

    def episode_open(self) -> bool:
        return bool(self.episodes) and self.episodes[-1].ended is None

    def last_grading_vitals(self) -> datetime | None:
        """When the newest temperature or systolic BP was taken (the vital signs a CRS grade rests on)."""
        times = [self.latest[name][1] for name in STALE_FIELDS if name in self.latest]
        return max(times) if times else None

    def stale(self, at: datetime) -> bool:
        """INTERFACE.md ``crs.stale``: no temperature or systolic BP inside the look-back window at ``at`` (D11)."""
        last = self.last_grading_vitals()
        return last is None or at - last > timedelta(hours=self.protocol.grading.vitals_lookback_hours)

    def _episodes_at(self, at: datetime) -> list[Episode]:
        """The episodes as they stand at ``at``, without changing the fold: D9, the open episode ends when 24 h
        pass with no assessment at grade >= 1."""
        if self.episode_open() and self.last_positive is not None:
            end = self.last_positive + timedelta(hours=self.protocol.grading.episode_close_hours)
            if at >= end:
                return [*self.episodes[:-1], replace(self.episodes[-1], ended=end)]
        return self.episodes

    def _close_expired(self, at: datetime) -> None:
        """Move the fold to ``at``: close the episode if it expired (D9)."""
        self.episodes = self._episodes_at(at)

    def _cannot_grade(self, at: datetime) -> bool:
        """D12 / R-AST-6 / R-CTC-6: with no open episode and no fever, both scales grade 0 whatever else is present,
        so a quiet assessment needs no grading. A pure shortcut: the result is the same as grading it."""
        if self.episode_open() or self.override_in_force or self.death_recorded is not None:
            return False
        lookback = timedelta(hours=self.protocol.grading.vitals_lookback_hours)
        temperature = self.latest.get("temperature_c")
        if temperature is None or at - temperature[1] > lookback or (
                self.closed_at is not None and temperature[1] <= self.closed_at):
            return True
        if cast("float", temperature[0]) < self.protocol.grading.fever_c:  # a VitalsRecord's temperature_c
            return True
        other = self.latest_flags.get("fever_other_cause")
        return bool(other and other[0] and at - other[1] <= lookback
                    and (self.closed_at is None or other[1] > self.closed_at))

    def assess(self, at: datetime, episodes: Sequence[Episode] | None = None) -> CrsGrade:
        cv = self.current_vitals(at)
        v = cv.values
        g = self.protocol.grading
        flags = {name: value for name, (value, taken) in self.latest_flags.items()
                 if at - taken <= timedelta(hours=g.vitals_lookback_hours)
                 and (self.closed_at is None or taken > self.closed_at)}
        episodes = self.episodes if episodes is None else episodes
        episode = episodes[-1] if episodes and episodes[-1].ended is None else None
        inp = CrsInput(  # the values are a VitalsRecord's fields, of the types of VitalsFields
            temperature_c=cast("float | None", v.get("temperature_c")),
            systolic_bp=cast("int | None", v.get("systolic_bp")),
            oxygen_device=cast("OxygenDevice | None", v.get("oxygen_device")),
            oxygen_flow_l_min=cast("float | None", v.get("oxygen_flow_l_min")),
            fio2_percent=cast("int | None", v.get("fio2_percent")),
            oxygen_for_comfort_only=bool(v.get("oxygen_for_comfort_only")),
            fluid_bolus_given=cv.fluids_given,
            vasopressors=cv.vasopressors,
            life_threatening=bool(flags.get("life_threatening")),
            fever_other_cause=bool(flags.get("fever_other_cause")),
            crs_episode_open=episode is not None,
            crs_treatment_given=episode is not None and episode.treated,
            age_years=self.patient.age_years(at),
        )
        return grade_crs(inp, self.protocol)

    def evaluate(self, at: datetime, record: RecordBase | None) -> bool:
        """Re-grade at a record that changes the CRS inputs and move the episode along (D9, D11). False: nothing
        could be graded (D12's shortcut: both scales grade 0)."""
        self._close_expired(at)
        if self._cannot_grade(at):
            self._step(at, 0)
            return False  # grade 0: no episode opens, none is extended
        grade = self.assess(at)
        effective = grade.grade
        if self.override_in_force and self.override is not None:
            effective = self.override.grade
        if self.death_recorded is not None:
            effective = 5
        if self._step(at, effective):
            cv = self.current_vitals(at)
            self.trigger = CrsTrigger(at, effective, grade.astct.grade, grade.ctcae.grade, cv.values, cv.taken_at,
                                      cv.fluids_given, cv.vasopressors)
        if effective >= 1:
            if not self.episode_open():
                self.episodes.append(Episode(started=at, ended=None, max_grade=effective, treated=False,
                                             cycle=self.tracker.cycle, max_reached_at=at))
                self.tracker.note_crs_episode(at)
            else:
                e = self.episodes[-1]
                if effective > e.max_grade:  # R-AST-7
                    self.episodes[-1] = replace(e, max_grade=effective, max_reached_at=at)
            self.last_positive = at
        return True

    def _step(self, at: datetime, grade: int) -> bool:
        """Note the grade acted on at ``at``; True when it changed."""
        if not self.grade_steps or self.grade_steps[-1][1] != grade:
            self.grade_steps.append((at, grade))
            if grade == 0:
                self.trigger = None
            return True
        return False

    # -- feeding ------------------------------------------------------------------------------------------------
    def apply(self, stored: StoredRecord) -> None:
        r = stored.record
        at = r.at
        self._close_expired(at)  # the fold moves to this record's time first (D9)
        self.tracker.apply(r)
        if isinstance(r, VitalsRecord):
            for name in VITAL_FIELDS:
                value = getattr(r, name)
                if value is not None:
                    self.latest[name] = (value, at)
            for name in ("life_threatening", "fever_other_cause"):
                value = getattr(r, name)
                if value is not None:
                    self.latest_flags[name] = (value, at)
            if r.fluid_bolus_given:
                self.boluses.append(at)
            self.latest_set = r
            if all(getattr(r, name) is not None for name in NEWS2_PARAMETERS):
                self.full_set = r
            self.latest_set_vasopressors = frozenset(r.vasopressors or ())
            self.as_of = at
            self.override_in_force = False
        elif isinstance(r, FluidBolus):
            self.boluses.append(at)
            self.override_in_force = False
        elif isinstance(r, VasopressorStarted):
            self.running_pressors.add(r.agent)
            self.pressor_started[r.agent] = r
            self.override_in_force = False
        elif isinstance(r, VasopressorStopped):
            self.running_pressors.discard(r.agent)
            self.latest_set_vasopressors = self.latest_set_vasopressors - {r.agent}
            self.override_in_force = False
        elif isinstance(r, MedicationGiven):
            self.last_given[(r.drug, r.purpose)] = r
            if r.drug is Drug.TOCILIZUMAB:
                self.tocilizumab.append(at)
            crs_treatment = r.purpose is Purpose.CRS_TREATMENT or r.drug is Drug.TOCILIZUMAB
            if crs_treatment and r.purpose is not Purpose.PREMEDICATION and self.episode_open():
                # R-AST-2: treatment for CRS after the episode opened (premedication never counts).
                self.episodes[-1] = replace(self.episodes[-1], treated=True)
        elif isinstance(r, (InfusionStarted, InfusionResumed)):
            self.run_started_at = at
        elif isinstance(r, GradeConfirmed):
            # D6: keep what the app computed at that moment beside the clinician's grade.
            self._close_expired(at)
            computed = self.assess(at).grade
            self.override = r
            self.override_in_force = True
            self.last_confirmation = (r, computed)
            if r.grade == 5:
                self.death_recorded = r  # R-AST-8: grade 5 only by clinician entry
        elif isinstance(r, CrsEpisodeClosed):
            if self.episode_open():
                self.episodes[-1] = replace(self.episodes[-1], ended=at, closed_by_clinician=True)
            self.last_positive = None
            self.closed_at = at
        elif isinstance(r, NeuroAssessment):
            self._neuro(r)
        elif isinstance(r, LabResult):
            self.labs.append(r)
        elif isinstance(r, PatientUpdated):
            for name, value in r.changes().items():
                self.details[name] = (value, at)  # records come in time order: the newest ``at`` wins
            self.restore_details()
        elif isinstance(r, Escalation):
            self.escalations.append(r)
        elif isinstance(r, ObservationsNotDone):
            self.last_not_done = r
        ungraded = False
        if r.type in CRS_INPUT_TYPES and not isinstance(r, CrsEpisodeClosed):
            ungraded = not self.evaluate(at, r)
        if self.track_from is None or at >= self.track_from:
            self._track(at)
        if self.trail is not None:
            self._note(at, ungraded)

    def _note(self, at: datetime, ungraded: bool = False) -> None:
        """Add the point of the record just applied to the trail, then drop the points no later handover reads: a
        handover reads the last point outside the window of ``TRAIL_HOURS`` behind this record (its starting point)
        and every point after it, and the points of the last CRS episode (its highest grade on each scale)."""
        trail = self.trail
        assert trail is not None
        if self.trail_from is not None and at < self.trail_from:
            # Before the window only an episode's highest grades are read: a point grading 0 on both scales changes
            # no highest grade, so none is kept (D12's shortcut, taken by evaluate or here, spares the grading).
            if ungraded or self._cannot_grade(at):
                return
            computed = self.assess(at, self._episodes_at(at))
            if not (computed.astct.grade or computed.ctcae.grade):
                return
            trail.append(TrailPoint(at, computed.astct.grade, computed.ctcae.grade))
        else:
            computed = self.assess(at, self._episodes_at(at))
            score = self._news2(at)
            trail.append(TrailPoint(at, computed.astct.grade, computed.ctcae.grade, True,
                                    self._acted_grade(computed.grade), self._icans_state().grade, score.complete,
                                    score.score, self.latest_set.at if self.latest_set else None))
        outside = bisect.bisect_left(trail, at - timedelta(hours=TRAIL_HOURS), key=lambda p: p.at)
        if outside <= 1:
            return
        keep = trail[outside - 1].at
        episode = self.episodes[-1] if self.episodes else None
        if episode is not None and episode.ended is not None and episode.ended < keep:
            # a closed episode: the points between its end and the window are read by nobody
            del trail[bisect.bisect_right(trail, episode.ended, key=lambda p: p.at):outside - 1]
        if episode is not None:
            keep = min(keep, episode.started)
        drop = bisect.bisect_left(trail, keep, key=lambda p: p.at)
        if drop:
            del trail[:drop]

    def restore_details(self) -> None:
        """The patient's details now: the admission's, with the newest value of each field changed since (also
        called after a snapshot is loaded, since the patient is rebuilt rather than stored)."""
        if not self.details:
            return
        self.patient = self.admitted.model_copy(update={name: value for name, (value, _) in self.details.items()})
        self.tracker.patient = self.patient
        self.tracker.dosing = label_doses(self.patient, self.protocol)

    def _codes(self, at: datetime) -> set[str]:
        """The recommendation codes at ``at`` before the loop is closed."""
        return {r.code for r in self.state(at, frozenset(), close_loop=False).recommendations}

    def _track(self, at: datetime) -> None:
        """Bring ``rec_since`` up to this record: a code arises when it first appears and is forgotten when it goes."""
        codes = self._codes(at)
        for code in list(self.rec_since):
            if code not in codes:
                del self.rec_since[code]
        for code in codes:
            self.rec_since.setdefault(code, at)
        self.tracked_at = at

    def _arose(self, code: str, at: datetime) -> datetime:
        """When a code arose, as far as an answer can reach: an answer holds for the protocol's
        ``acknowledgement_holds_hours``, so a prompt present longer counts from that long ago (and is asked again).
        A code absent at the last record but present at ``at`` (the infusion's clock prompts: bag change, hold
        limits) arose at the first whole minute after the last record at which it is present."""
        since = self.rec_since.get(code)
        if since is not None:
            return max(since, at - timedelta(hours=self.protocol.escalation.acknowledgement_holds_hours))
        if self.tracked_at is None or at <= self.tracked_at:
            return at
        low, high = 0, int((at - self.tracked_at).total_seconds() // 60)
        if high == 0 or code not in self._codes(self.tracked_at + timedelta(minutes=high)):
            return at
        while high - low > 1:
            middle = (low + high) // 2
            if code in self._codes(self.tracked_at + timedelta(minutes=middle)):
                high = middle
            else:
                low = middle
        return self.tracked_at + timedelta(minutes=high)

    def _neuro(self, r: NeuroAssessment) -> None:
        self.neuro.append(r)
        if r.seizure is not Seizure.NONE:
            self.seizures += 1  # R-ICN-6
        g = grade_icans(ice_score=r.ice_score, arousal=r.arousal, seizure=r.seizure, motor_weakness=r.motor_weakness,
                        cerebral_edema=r.cerebral_edema, age_years=self.patient.age_years(r.at))
        self.tracker.note_icans_grade(r.at, g.grade)  # R-MOD-3/4: onset dose, resolution, restart eligibility

    # -- answering ----------------------------------------------------------------------------------------------
    def state(self, at: datetime, superseded: frozenset[str], close_loop: bool = True) -> PatientState:
        """The state at ``at`` (at or after the last record applied). Does not change the fold, so a cached fold
        can answer for any later moment. ``close_loop`` adds who answered each prompt and
        ``escalate_unacknowledged`` (core/rules/escalation.py)."""
        episodes: Sequence[Episode] = self._episodes_at(at)
        computed = self.assess(at, episodes)
        infusion = self.tracker.state(at)
        grade = self._acted_grade(computed.grade)
        confirmed = None
        if self.last_confirmation is not None:
            record, computed_then = self.last_confirmation
            signed = getattr(record, "signature", None)
            confirmed = ConfirmedGrade(record.grade, record.reason, record.by, record.at, computed_then,
                                       self._confirmation_in_force(), signed.text() if signed is not None else None)
        episodes = tuple(episodes)
        open_episode = episodes[-1] if episodes and episodes[-1].ended is None else None
        a = self.protocol.actions
        # R-AST-9: episodes of grade >= 2 in the course and in the current cycle.
        severe = [e for e in episodes if e.max_grade >= a.recurrence_min_grade]
        this_cycle = [e for e in severe if e.cycle is not None and e.cycle == self.tracker.cycle]
        crs = CrsState(
            grade=grade, computed=computed, confirmed=confirmed, episode_open=open_episode is not None,
            episode_started=open_episode.started if open_episode else None,
            episode_max_grade=open_episode.max_grade if open_episode else (episodes[-1].max_grade if episodes else 0),
            episodes_grade2_plus=len(severe), episodes=episodes, as_of=self.as_of,
            episodes_grade2_plus_this_cycle=len(this_cycle), recurrent=len(severe) >= RECURRENCE_FLAG_EPISODES,
            grade_steps=tuple(self.grade_steps), stale=self.stale(at), last_vitals_at=self.last_grading_vitals(),
            trigger=self.trigger if self.trigger is not None and self.trigger.grade == grade else None,
        )
        icans = self._icans_state()
        latest = self.latest_set
        score = self._news2(at)
        labs, lab_recs, lab_flags = self._labs(at)
        recs, flags = self._recommendations(crs, icans, score, infusion, at)
        level = status_level(crs_grade=crs.grade, icans_grade=icans.grade, news2=score, seizures=icans.seizures,
                             seizures_discontinue=self.protocol.neuro.seizures_discontinue)
        differential = self._differential(crs, lab_flags)
        infusion = replace(infusion, course_status=_course_status(infusion, recs))
        interval = self._observation_interval(crs.grade, score, icans.grade)
        next_due = (latest.at + timedelta(minutes=interval)) if latest else None
        risk = []
        if self.patient.marrow_blasts_percent is not None \
                and self.patient.marrow_blasts_percent >= self.protocol.labs.high_tumor_burden_blasts_percent:
            risk.append(RISK_HIGH_TUMOR_BURDEN)
        merged = guidance.merge(recs + lab_recs)
        if close_loop:
            merged = close_the_loop(merged, {r.code: self._arose(r.code, at) for r in merged}, self.escalations, at,
                                    self.protocol.escalation.unacknowledged_minutes,
                                    self.protocol.escalation.acknowledgement_holds_hours)
        return PatientState(
            patient=self.patient, at=at, protocol=self.protocol.stamp(), crs=crs, icans=icans, news2=score,
            news2_as_of=latest.at if latest else None, infusion=infusion, vitals=self.current_vitals(at),
            recommendations=tuple(merged), flags=tuple(dict.fromkeys(flags + lab_flags)),
            risk_factors=tuple(risk), labs=labs, next_observations_due=next_due, observation_interval_minutes=interval,
            superseded=superseded, status_level=level, differential=differential,
            last_not_done=self.last_not_done, escalations=tuple(self.escalations),
        )

    def _confirmation_in_force(self) -> bool:
        """Whether the last clinician-confirmed grade is the grade acted on (D6; grade 5 stays, R-AST-8)."""
        return self.last_confirmation is not None and (self.override_in_force or self.last_confirmation[0].grade == 5)

    def _acted_grade(self, computed: int) -> int:
        """The CRS grade acted on: the computed one, unless a confirmed grade is in force or a death recorded."""
        if self.death_recorded is not None:
            return 5
        if self._confirmation_in_force():
            assert self.last_confirmation is not None
            return self.last_confirmation[0].grade
        return computed

    def _news2(self, at: datetime) -> News2:
        """NEWS2 of the latest set of vitals (the patient's age at ``at``)."""
        latest = self.latest_set
        return news2(
            respiratory_rate=latest.respiratory_rate if latest else None,
            spo2_percent=latest.spo2_percent if latest else None,
            oxygen_device=latest.oxygen_device if latest else None,
            systolic_bp=latest.systolic_bp if latest else None,
            heart_rate=latest.heart_rate if latest else None,
            consciousness=latest.consciousness if latest else None,
            temperature_c=latest.temperature_c if latest else None,
            scale=self.patient.news2_scale, age_years=self.patient.age_years(at),
        )

    @staticmethod
    def _differential(crs: CrsState, lab_flags: list[str]) -> tuple[str, ...]:
        """RULES.md §8: the differential diagnoses (codes) to list when CRS-like features appear: a CRS grade,
        hypotension/hypoxia without fever, a CRP masked by tocilizumab (sepsis hides behind it), or possible HLH."""
        if crs.grade >= 1 or FLAG_OTHER_CAUSES in crs.computed.flags or lab_flags:
            return tuple(guidance.DIFFERENTIAL_TEXT)
        return ()

    def _icans_state(self) -> IcansState:
        if not self.neuro:
            return IcansState(None, None, None, self.seizures, None)
        last = self.neuro[-1]
        g = grade_icans(ice_score=last.ice_score, arousal=last.arousal, seizure=last.seizure,
                        motor_weakness=last.motor_weakness, cerebral_edema=last.cerebral_edema,
                        age_years=self.patient.age_years(last.at))
        trend = tuple((n.at, n.ice_score) for n in self.neuro[-3:])
        return IcansState(g.grade, g, last.ice_score, self.seizures, last.at, trend)

    def _labs(self, at: datetime) -> tuple[tuple[LabValue, ...], list[Recommendation], list[str]]:
        """R-LAB-1 (CRP unreliable after tocilizumab) and R-LAB-2 (ferritin: possible HLH/MAS/IEC-HS)."""
        values: list[LabValue] = []
        recs: list[Recommendation] = []
        flags: list[str] = []
        labs = [lab_rules.Lab(r.test, r.value, r.unit, r.at) for r in self.labs]
        for lab in labs:
            badge = lab_rules.BADGE_CRP_UNRELIABLE if lab_rules.crp_unreliable(lab, self.tocilizumab, self.protocol) \
                else None
            values.append(LabValue(lab.test, lab.value, lab.unit, lab.at, badge))
        latest_crp = next((v for v in reversed(values) if v.test.strip().lower() == "crp"), None)
        if latest_crp is not None and latest_crp.badge:
            recs.append(Recommendation(
                guidance.CRP_UNRELIABLE, "CRP unreliable after tocilizumab (IL-6 blockade): a falling or normal CRP "
                                         "is not reassurance; screen for sepsis.", "R-LAB-1"))
            flags.append(lab_rules.FLAG_CRP_UNRELIABLE)
        hlh = lab_rules.possible_hlh(labs, at, self.protocol)
        if hlh is not None:
            ferritin, support = hlh
            words = {lab_rules.LOW_FIBRINOGEN: "low fibrinogen", lab_rules.NEW_CYTOPENIA: "new cytopenia",
                     lab_rules.RISING_ALT: "rising ALT"}
            recs.append(Recommendation(
                guidance.POSSIBLE_HLH, f"Possible HLH/MAS/IEC-HS: ferritin {ferritin.value:g} {ferritin.unit} with "
                                       f"{', '.join(words[s] for s in support)} - notify the prescriber.", "R-LAB-2"))
            flags.append(lab_rules.FLAG_POSSIBLE_HLH)
        return tuple(values), recs, flags

    def _recommendations(
        self, crs: CrsState, icans: IcansState, score: News2, infusion: InfusionState, at: datetime,
    ) -> tuple[list[Recommendation], list[str]]:
        p = self.protocol
        running = infusion.state == RUNNING
        device = self.current_vitals(at).values.get("oxygen_device")
        recs = guidance.crs_recommendations(
            crs.computed, p, grade=crs.grade if crs.confirmed and crs.confirmed.in_force else None,
            infusion_running=running, fio2_device_sets_it=device in FIO2_SETTING_DEVICES,
            weight_kg=self.patient.weight_kg)
        flags = list(crs.computed.flags)
        # R-AST-7: dose-modification prompts use the episode maximum. An infusion still running since before the
        # episode reached an interrupting grade is prompted to stop even when the grade has since fallen; a
        # restart after that moment (the prescriber's decision) is not.
        open_episode = crs.episodes[-1] if crs.episode_open else None
        if running and open_episode is not None and open_episode.max_reached_at is not None \
                and p.actions.interrupt_crs_grade <= open_episode.max_grade < p.actions.discontinue_crs_grade \
                and crs.grade < p.actions.interrupt_crs_grade \
                and (self.run_started_at is None or self.run_started_at <= open_episode.max_reached_at):
            recs.append(Recommendation(
                guidance.INTERRUPT_INFUSION, f"This CRS episode reached grade {open_episode.max_grade}: interrupt the "
                                             "blinatumomab infusion (protocol: interrupt at grade "
                                             f">= {p.actions.interrupt_crs_grade}) and contact the prescriber.",
                "R-AST-7"))
        # D2 / R-MOD-2: a grade-4 episode means permanent discontinuation even after the grade falls.
        if crs.episode_max_grade >= p.actions.discontinue_crs_grade and crs.grade < p.actions.discontinue_crs_grade \
                and infusion.state != "discontinued":
            recs.append(Recommendation(
                guidance.DISCONTINUE_PERMANENTLY, f"This CRS episode reached grade {crs.episode_max_grade}: the "
                                                  "protocol discontinues blinatumomab permanently (prescriber "
                                                  "confirms).",
                "R-MOD-2"))
        # R-AST-9: the recurrence flag; D2: the default protocol asks for a discontinuation review (V37: the label
        # protocol, recurrence_review_episodes = 0, asks for nothing).
        if crs.recurrent:
            flags.append(FLAG_RECURRENT_CRS)
        if p.actions.recurrence_review_episodes and crs.episodes_grade2_plus >= p.actions.recurrence_review_episodes \
                and infusion.state != "discontinued":
            recs.append(Recommendation(
                guidance.DISCONTINUATION_REVIEW, f"Recurrent CRS of grade >= {p.actions.recurrence_min_grade} "
                                                 f"({crs.episodes_grade2_plus} episodes this course): discontinuation "
                                                 "review with the prescriber.", "R-AST-9"))
        recs += guidance.news2_recommendations(score)
        recs += guidance.icans_recommendations(icans.grade, icans.seizures, p, infusion_running=running)
        recs += self._neuro_label_rules(infusion, at)
        recs += self._infusion_recommendations(infusion, at)
        if infusion.state == DISCONTINUED:
            # The therapy is already stopped for good: prompts to stop it are moot (the clinical ones stay).
            moot = {guidance.DISCONTINUE_PERMANENTLY, guidance.INTERRUPT_INFUSION, guidance.DISCONTINUATION_REVIEW}
            recs = [r for r in recs if r.code not in moot]
        return recs, flags

    def _neuro_label_rules(self, inf: InfusionState, at: datetime) -> list[Recommendation]:
        """Neurological toxicity (label): R-MOD-3 discontinue when grade >= 3 began at the restart dose or took more
        than 7 days to resolve, otherwise restart eligible after 3 days at grade <= 1; R-MOD-4 grade 4 -> discontinue
        (kept after the grade falls)."""
        neuro = inf.neuro
        if neuro is None or inf.state == DISCONTINUED:
            return []
        i = self.protocol.infusion
        recs = []
        if neuro.max_grade >= self.protocol.neuro.discontinue_icans_grade:
            recs.append(Recommendation(
                guidance.DISCONTINUE_PERMANENTLY, f"ICANS reached grade {neuro.max_grade} in this course: the label "
                                                  "discontinues blinatumomab permanently (prescriber confirms).",
                "R-MOD-4"))
        if neuro.at_restart_dose:
            recs.append(Recommendation(
                guidance.DISCONTINUE_PERMANENTLY, f"ICANS grade >= 3 began at {neuro.dose_at_onset:g} mcg/day (the "
                                                  "restart dose): the label discontinues blinatumomab permanently.",
                "R-MOD-3"))
        if neuro.resolution_too_long:
            recs.append(Recommendation(
                guidance.DISCONTINUE_PERMANENTLY, f"ICANS grade >= 3 took more than "
                                                  f"{span_text(i.neuro_resolution_limit_minutes)} to resolve to "
                                                  "grade <= 1: the label discontinues blinatumomab permanently.",
                "R-MOD-3"))
        if neuro.restart_eligible_at is not None and inf.state == HELD and at >= neuro.restart_eligible_at:
            recs.append(Recommendation(
                guidance.RESTART_ELIGIBLE, f"ICANS grade <= 1 for "
                                           f"{span_text(i.neuro_restart_after_minutes)}: restart eligible at "
                                           f"{inf.restart_dose_mcg_per_day:g} mcg/day (prescriber decides).",
                "R-MOD-3"))
        return recs

    def _infusion_recommendations(self, inf: InfusionState, at: datetime) -> list[Recommendation]:
        """Prompts from the infusion's derived state (D2, D10, R-INT, R-PREMED, R-MOD-6, R-DOSE-3, RULES.md §3.5)."""
        if inf.state in (DISCONTINUED, COMPLETED):
            return []
        i = self.protocol.infusion
        recs = []
        hold = inf.hold
        days = span_text(i.new_cycle_hold_minutes)
        recent_restart = inf.last_restart is not None and at - inf.last_restart.at < timedelta(
            hours=i.restart_prompt_hours)
        if inf.state == HELD and inf.hold_beyond_discontinuation_limit:
            assert hold.current_hold_hours is not None  # beyond a limit only while a hold lasts
            label = ""
            if hold.current_hold_reason == "other_adverse_event":
                label = (f" Label (R-MOD-5): if the adverse reaction took more than "
                         f"{span_text(i.discontinuation_hold_minutes)} to resolve to grade <= 1, discontinue "
                         "permanently.")
            recs.append(Recommendation(
                guidance.DISCONTINUATION_REVIEW, f"Infusion held for {hold.current_hold_hours / 24:.1f} days (more "
                                                 f"than {span_text(i.discontinuation_hold_minutes)}): discontinuation "
                                                 f"review with the prescriber.{label}", "D2"))
        if inf.state == HELD and inf.restart_requires_new_cycle:
            recs.append(Recommendation(
                guidance.NEW_CYCLE_REQUIRED, f"Infusion held for more than {days}: a restart starts a new cycle "
                                             "- prescriber to confirm new-cycle dosing.", "R-INT-2"))
        elif inf.state == RUNNING and inf.new_cycle_after_long_hold and recent_restart:
            recs.append(Recommendation(
                guidance.NEW_CYCLE_REQUIRED, f"Restarted after a hold of more than {days}: this is cycle "
                                             f"{inf.cycle} - prescriber to confirm new-cycle dosing.", "R-INT-2"))
        if (inf.state == HELD and inf.near_new_cycle_boundary) or (
                inf.state == RUNNING and recent_restart and inf.last_restart is not None
                and inf.last_restart.near_new_cycle_boundary):
            recs.append(Recommendation(
                guidance.NEW_CYCLE_BOUNDARY, f"The hold is within {i.boundary_warning_minutes} min of the "
                                             f"{limit_text(i.new_cycle_hold_minutes)} "
                                             f"limit ({i.new_cycle_hold_minutes} min = same cycle, one minute more = "
                                             "new cycle): check the stop and restart times.", "R-INT-3"))
        if inf.premedication_due:
            assert inf.premedication_reason is not None  # due only for a reason (InfusionTracker._premedication_due)
            words = [f"Premedication due before "
                     f"{premed_event_text(inf.premedication_reason, i.premedication_hold_minutes)} (protocol: "
                     f"corticosteroid within {i.premedication_window_minutes} min before)."]
            if inf.premedication_label is not None:
                words.append(inf.premedication_label.describe())
            if inf.supervision_recommended:
                words.append("Supervision/hospitalisation recommended for "
                             + ("re-initiation." if inf.premedication_reason == PREMED_RESTART else "the cycle start."))
            recs.append(Recommendation(guidance.GIVE_PREMEDICATION, " ".join(words), "D2"))
        late = [w for w in inf.premedication_warnings if at - w.at < timedelta(hours=i.restart_prompt_hours)]
        if late:
            recs.append(Recommendation(guidance.PREMEDICATION_TIMING, f"{late[-1].text}.", "R-PREMED-3"))
        if inf.step_up_due_at is not None and inf.step_up_due_at <= at:
            if inf.step_up_suppressed:
                recs.append(Recommendation(
                    guidance.RECURRENCE_REVIEW, "Recurrence since the restart: step-up suppressed - prescriber "
                                                "review.", "R-MOD-6"))
            else:
                recs.append(Recommendation(
                    guidance.STEP_UP_DUE, f"Step-up to {inf.full_dose_mcg_per_day:g} mcg/day due (prescriber to "
                                          "confirm) with premedication.", "R-MOD-6"))
        if inf.state == RUNNING and inf.dose_mismatch:
            recs.append(Recommendation(
                guidance.DOSE_MISMATCH, f"Running dose {inf.current_dose_mcg_per_day:g} mcg/day differs from the "
                                        f"expected {inf.expected_dose_mcg_per_day:g} mcg/day: check the bag against "
                                        "the prescription.", "R-DOSE-3"))
        if inf.state == RUNNING and inf.cycle_infusion_complete:
            recs.append(Recommendation(
                guidance.CYCLE_INFUSION_COMPLETE, f"{i.cycle_infusion_days} days of infusion reached in cycle "
                                                  f"{inf.cycle}: end of the cycle's infusion (prescriber confirms).",
                "R-INT-2"))
        elif inf.bag_change_due is not None and inf.bag_change_due <= at:
            recs.append(Recommendation(
                guidance.BAG_CHANGE_DUE, f"Bag change due at {inf.bag_change_due.isoformat(timespec='minutes')} "
                                         "(hang time + labelled duration). Never flush the line.", "R-BAG-1"))
        return recs

    def _observation_interval(self, crs_grade: int, score: News2, icans_grade: int | None) -> int:
        """Minimum observation frequency: the shortest of the NEWS2 band and the CRS grade (RULES.md §4.2)."""
        o = self.protocol.observations
        options = [o.news2_zero_minutes]
        if score.complete and score.score is not None:
            if score.score >= 7:
                options.append(o.news2_high_minutes)
            elif score.score >= 5:
                options.append(o.news2_medium_minutes)
            elif score.red_parameter:
                options.append(o.news2_red_minutes)
            elif score.score >= 1:
                options.append(o.news2_low_minutes)
        elif score.red_parameter:
            options.append(o.news2_red_minutes)
        else:
            options.append(o.news2_low_minutes)  # incomplete set: do not relax to 12-hourly
        if crs_grade >= 2 or (icans_grade or 0) >= 2:
            options.append(o.crs_grade2_plus_minutes)
        elif crs_grade == 1 or (icans_grade or 0) == 1:
            options.append(o.crs_grade1_minutes)
        return min(options)


def _course_status(inf: InfusionState, recs: Sequence[Recommendation]) -> str:
    """The course as the prescriber must see it (R-MOD-2): discontinued, discontinuation recommended (a permanent
    discontinuation prompt is shown), discontinuation review, or active."""
    if inf.state == DISCONTINUED:
        return "discontinued"
    codes = {r.code for r in recs}
    if guidance.DISCONTINUE_PERMANENTLY in codes:
        return "discontinuation_recommended"
    if guidance.DISCONTINUATION_REVIEW in codes:
        return "discontinuation_review"
    return "active"


#: Records at the same moment (``at``), in the order they happen at the bedside: what was observed (rank 0), what
#: was given for it (a treatment given at the moment of the set that opened an episode treats that episode; a
#: vasopressor stopped then is off), what was done to the infusion (a start counts the premedication given at that
#: moment), then the clinician's decisions (a grade confirmed at the moment of a set confirms that set); records of
#: the same rank go by id.
SAME_MOMENT_RANK = {"medication_given": 1, "fluid_bolus": 1, "vasopressor_started": 1, "vasopressor_stopped": 1,
                    "infusion_started": 2, "infusion_resumed": 2, "bag_changed": 2, "infusion_stopped": 2,
                    "therapy_discontinued": 2, "grade_confirmed": 3, "crs_episode_closed": 3}


def fold_order(stored: StoredRecord) -> tuple[datetime, int, str]:
    """Where a record goes in the fold: by ``at``; records at the same moment by :data:`SAME_MOMENT_RANK`, then by
    id (the UUID's text) — never by the order they arrived in, so laptops that received the same records in
    different orders (issue 17's merge) fold them to the same state."""
    return record_order(stored.record)


def record_order(record: RecordBase) -> tuple[datetime, int, str]:
    """:func:`fold_order` of a record itself."""
    return utc(record.at), SAME_MOMENT_RANK.get(record.type, 0), str(record.id)


def _sorted(records: Iterable[StoredRecord]) -> list[StoredRecord]:
    return sorted(records, key=fold_order)


def fold(patient: Patient, records: Iterable[StoredRecord], at: datetime, protocol: Protocol) -> PatientState:
    """The patient's state at ``at`` from the records that happened at or before it.

    Args:
        patient: The patient.
        records: The patient's records, in any order; records after ``at`` are ignored.
        at: The moment (aware).
        protocol: The ward protocol.
    """
    at = utc(at)
    kept, superseded = effective_records(r for r in records if utc(r.record.at) <= at)
    folder = _Folder(patient, protocol)
    ordered = _sorted(kept)
    folder.track_from = _tracking_start(ordered, protocol)
    for stored in ordered:
        folder.apply(stored)
    return folder.state(at, superseded)


def _tracking_start(ordered: Sequence[StoredRecord], protocol: Protocol,
                    first_state_at: datetime | None = None) -> datetime | None:
    """Where a fold must start following when each prompt arose: at the last record before the answers' reach
    (``acknowledgement_holds_hours`` before the first state asked for: ``first_state_at``, or else the last record).
    Earlier arrivals make no difference to any state from then on (:meth:`_Folder._arose` clamps them), and
    skipping them keeps a long stay's fold fast."""
    if not ordered:
        return None
    end = utc(first_state_at) if first_state_at is not None else utc(ordered[-1].record.at)
    return _last_before(ordered, end - timedelta(hours=protocol.escalation.acknowledgement_holds_hours))


def _last_before(ordered: Sequence[StoredRecord], moment: datetime) -> datetime | None:
    """When the last record before ``moment`` happened (``None``: none is before it)."""
    start = None
    for stored in ordered:
        if utc(stored.record.at) >= moment:
            break
        start = stored.record.at
    return start


class PatientFold:
    """A patient's fold kept up to date: new records are applied as they arrive, and the state is answered for any
    moment at or after the last record. The cache is disposable: :meth:`PatientFold.state` always equals a fresh
    :func:`fold` of the same records (tests/core/test_fold_cache.py proves it).

    A record that arrives out of fold order (a back-dated entry, or one at the moment of the last record folded
    that :func:`fold_order` puts before it, as a merge may bring) or a correction (``entered_in_error``) cannot be
    applied on top: :meth:`can_extend` says so and the caller folds again from all the records.
    """

    def __init__(self, patient: Patient, protocol: Protocol):
        self._folder = _Folder(patient, protocol)
        self._folder.trail = []
        self.last_seq = 0
        self.last_at: datetime | None = None
        self.last_key: tuple[datetime, int, str] | None = None   # fold_order of the last record applied
        self.superseded: frozenset[str] = frozenset()

    @classmethod
    def of(cls, patient: Patient, records: Iterable[StoredRecord], protocol: Protocol) -> PatientFold:
        """Fold every record (corrections applied)."""
        records = list(records)
        fold_ = cls(patient, protocol)
        kept, fold_.superseded = effective_records(records)
        ordered = _sorted(kept)
        fold_._folder.track_from = _tracking_start(ordered, protocol)
        if ordered:  # whole trail points from the handover window's starting point (_Folder._note)
            fold_._folder.trail_from = _last_before(ordered, utc(ordered[-1].record.at) - timedelta(hours=TRAIL_HOURS))
        for stored in ordered:
            fold_._folder.apply(stored)
        if ordered:
            fold_.last_key = fold_order(ordered[-1])
            fold_.last_at = fold_.last_key[0]
        fold_.last_seq = max((r.seq for r in records), default=0)
        return fold_

    def can_extend(self, new: Sequence[StoredRecord]) -> bool:
        """Whether ``new`` (records entered after :attr:`last_seq`) can be applied on top of this fold."""
        return all(not isinstance(r.record, EnteredInError)
                   and (self.last_key is None or fold_order(r) > self.last_key) for r in new)

    def extend(self, new: Sequence[StoredRecord]) -> None:
        """Apply records entered since the fold was made (check :meth:`can_extend` first)."""
        for stored in _sorted(new):
            self._folder.apply(stored)
            self.last_key = fold_order(stored)
            self.last_at = self.last_key[0]
            self.last_seq = max(self.last_seq, stored.seq)

    def state(self, at: datetime) -> PatientState:
        """The state at ``at``, which must not be before the last record applied."""
        at = utc(at)
        if self.last_at is not None and at < self.last_at:
            raise ValueError(f"{at.isoformat()} is before the last record folded ({self.last_at.isoformat()})")
        return self._folder.state(at, self.superseded)

    def trail(self) -> tuple[TrailPoint, ...]:
        """The points after each record a handover at or after the last record reads: from the last point before the
        window of :data:`TRAIL_HOURS`, and all since the last CRS episode started (:class:`TrailPoint`)."""
        return tuple(self._folder.trail or ())

    def latest_records(self) -> tuple[RecordBase, ...]:
        """The latest records of the kinds a handover shows from before its window: the latest set of vitals and
        the latest complete one, the latest medicine given of each drug and purpose, the latest start of each
        vasopressor (corrected records left out)."""
        f = self._folder
        sets = [r for r in (f.latest_set, f.full_set) if r is not None]
        return tuple(sets + list(f.last_given.values()) + list(f.pressor_started.values()))

    def copy(self) -> PatientFold:
        """An independent copy to try records on (the wizard's preview) without changing this fold."""
        clone = _running_copy(self)
        clone._folder = _running_copy(self._folder)
        clone._folder.tracker = _running_copy(self._folder.tracker)
        return clone


_T = TypeVar("_T")


def _running_copy(obj: _T) -> _T:
    """A copy of a running fold object with its own lists, dicts and sets; what they hold (records, frozen
    dataclasses, tuples, datetimes) is immutable and shared."""
    clone = copy.copy(obj)
    for name, value in vars(obj).items():
        if isinstance(value, (list, dict, set)):
            setattr(clone, name, value.copy())
    return clone


def fold_history(patient: Patient, records: Iterable[StoredRecord], protocol: Protocol,
                 since: datetime | None = None) -> list[PatientState]:
    """The state after each record, in time order (for the handover and for scenario tests).

    Args:
        since: Only the states from this moment on, plus the last state before it (the starting point); the
            earlier records are still folded, their states are just not built.
    """
    return fold_history_and_grades(patient, records, protocol, since)[0]


def fold_history_and_grades(patient: Patient, records: Iterable[StoredRecord], protocol: Protocol,
                            since: datetime | None = None, grades_since: datetime | None = None,
                            ) -> tuple[list[PatientState], list[tuple[datetime, CrsGrade]]]:
    """:func:`fold_history`, and the computed CRS grade (both scales) after each record from ``grades_since`` up to
    the states' start: each equals the ``crs.computed`` of the state after that record, but only the grading is done
    (building whole states for a CRS episode of days made the handover slow)."""
    kept, superseded = effective_records(records)
    folder = _Folder(patient, protocol)
    history = []
    grades = []
    ordered = _sorted(kept)
    since = utc(since) if since is not None else None
    grades_since = utc(grades_since) if grades_since is not None else None
    if since is not None and ordered:
        # The first state built is the last one before ``since`` (the starting point), else the first at or after.
        before = [utc(stored.record.at) for stored in ordered if utc(stored.record.at) < since]
        folder.track_from = _tracking_start(ordered, protocol, before[-1] if before else since)
    for index, stored in enumerate(ordered):
        folder.apply(stored)
        at = utc(stored.record.at)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if since is None or at >= since or following is None or utc(following.record.at) >= since:
            history.append(folder.state(at, superseded))
        elif grades_since is not None and at >= grades_since:
            grades.append((at, folder.assess(at, folder._episodes_at(at))))
    return history, grades
