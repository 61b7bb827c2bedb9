"""The running fold (ARCHITECTURE.md): :class:`_Folder` keeps a patient's state from their records, applied in
fold order, and calls the rules of core/rules/ to answer a moment. It decides no rule itself; the state it answers is
assembled in core/fold/answer.py. Private: use ``core.state.fold``, ``PatientFold`` or ``fold_history``.

Every attribute set in ``_Folder.__init__`` is part of the fold snapshot's schema (core/snapshot.py): add a new
one there too (tests/core/test_snapshot_schema.py fails until you do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import cast

from core.fold.answer import build_state
from core.fold.tracking import note_trail, track
from core.fold.types import CrsTrigger, CurrentVitals, IcansState, PatientState, TrailPoint
from core.protocol import Protocol
from core.records import (
    CrsEpisodeClosed,
    Drug,
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
from core.regimen import InfusionTracker, label_doses
from core.rules.crs import CrsGrade, CrsInput, grade_crs, has_fever, treats_crs
from core.rules.episodes import Episode, acted_grade, confirmation_in_force
from core.rules.icans import icans_of
from core.rules.neuro_label import neuro_level
from core.rules.news2 import PARAMETERS as NEWS2_PARAMETERS
from core.rules.news2 import News2, news2_of

#: Vital-sign fields combined across sets for CRS grading (D11).
VITAL_FIELDS = ("temperature_c", "heart_rate", "respiratory_rate", "systolic_bp", "diastolic_bp", "spo2_percent",
                "oxygen_device", "oxygen_flow_l_min", "fio2_percent", "oxygen_for_comfort_only", "consciousness")
#: The vital signs without which a CRS grade rests on nothing current (INTERFACE.md ``crs.stale``).
STALE_FIELDS = ("temperature_c", "systolic_bp")
#: Record types that change the CRS assessment (D11: re-evaluated at each).
CRS_INPUT_TYPES = frozenset({"vitals", "fluid_bolus", "vasopressor_started", "vasopressor_stopped",
                             "medication_given", "grade_confirmed", "crs_episode_closed"})


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
        self.trail_from: datetime | None = None          # records from this on get whole points (tracking.note_trail)

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

    def cannot_grade(self, at: datetime) -> bool:
        """D12 / R-AST-6 / R-CTC-6: with no open episode and no fever, both scales grade 0 whatever else is present,
        so a quiet assessment needs no grading. A pure shortcut: the result is the same as grading it."""
        if self.episode_open() or self.override_in_force or self.death_recorded is not None:
            return False
        lookback = timedelta(hours=self.protocol.grading.vitals_lookback_hours)

        def current(entry: tuple[object, datetime] | None) -> object:
            """The value if taken inside the look-back window and after a clinician's close (D9, D11)."""
            if entry is None or at - entry[1] > lookback or (self.closed_at is not None and entry[1] <= self.closed_at):
                return None
            return entry[0]

        temperature = cast("float | None", current(self.latest.get("temperature_c")))  # a VitalsRecord's
        other = bool(current(self.latest_flags.get("fever_other_cause")))
        return not has_fever(CrsInput(temperature_c=temperature, fever_other_cause=other), self.protocol)  # R-AST-1

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
        if self.cannot_grade(at):
            self._step(at, 0)
            return False  # grade 0: no episode opens, none is extended
        grade = self.assess(at)
        effective = self.acted_grade(grade.grade)  # the grade acted on, as the state shows it (D6, R-AST-8)
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
            if treats_crs(r.drug, r.purpose) and self.episode_open():  # R-AST-2: after the episode opened
                self.episodes[-1] = replace(self.episodes[-1], treated=True)
        elif isinstance(r, (InfusionStarted, InfusionResumed)):
            self.run_started_at = at
        elif isinstance(r, GradeConfirmed):
            # D6: keep what the app computed at that moment beside the clinician's grade.
            self._close_expired(at)
            computed = self.assess(at).grade
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
            track(self, at)
        if self.trail is not None:
            note_trail(self, at, ungraded)

    def restore_details(self) -> None:
        """The patient's details now: the admission's, with the newest value of each field changed since (also
        called after a snapshot is loaded, since the patient is rebuilt rather than stored)."""
        if not self.details:
            return
        self.patient = self.admitted.model_copy(update={name: value for name, (value, _) in self.details.items()})
        self.tracker.patient = self.patient
        self.tracker.dosing = label_doses(self.patient, self.protocol)

    def _neuro(self, r: NeuroAssessment) -> None:
        self.neuro.append(r)
        if r.seizure is not Seizure.NONE:
            self.seizures += 1  # R-ICN-6
        g = icans_of(r, self.patient.age_years(r.at))
        # R-MOD-3/4: the event's onset, dose at onset and resolution (core/rules/neuro_label.py classes the grade)
        self.tracker.note_icans_grade(r.at, g.grade, neuro_level(g.grade, self.protocol))

    # -- answering ----------------------------------------------------------------------------------------------
    def state(self, at: datetime, superseded: frozenset[str], close_loop: bool = True) -> PatientState:
        """The state at ``at`` (at or after the last record applied). Does not change the fold, so a cached fold
        can answer for any later moment. ``close_loop`` adds who answered each prompt and
        ``escalate_unacknowledged`` (core/rules/escalation.py)."""
        return build_state(self, at, superseded, close_loop)

    def confirmation_in_force(self) -> bool:
        """Whether the last clinician-confirmed grade is the grade acted on (D6; grade 5 stays, R-AST-8)."""
        confirmed = self.last_confirmation[0].grade if self.last_confirmation is not None else None
        return confirmation_in_force(confirmed, self.override_in_force)

    def acted_grade(self, computed: int) -> int:
        """The CRS grade acted on: the computed one, unless a confirmed grade is in force or a death recorded."""
        confirmed = self.last_confirmation[0].grade if self.last_confirmation is not None else None
        return acted_grade(computed, confirmed, self.confirmation_in_force(), self.death_recorded is not None)

    def news2_score(self, at: datetime) -> News2:
        """NEWS2 of the latest set of vitals (the patient's age at ``at``)."""
        return news2_of(self.latest_set, scale=self.patient.news2_scale, age_years=self.patient.age_years(at))

    def icans_state(self) -> IcansState:
        """The ICANS grade of the latest neurological assessment, the seizures of the course and the ICE trend."""
        if not self.neuro:
            return IcansState(None, None, None, self.seizures, None)
        last = self.neuro[-1]
        g = icans_of(last, self.patient.age_years(last.at))
        trend = tuple((n.at, n.ice_score) for n in self.neuro[-3:])
        return IcansState(g.grade, g, last.ice_score, self.seizures, last.at, trend)
