"""What the fold answers (ARCHITECTURE.md): a patient's state at a moment, :class:`PatientState`, and its parts.

Frozen dataclasses, built by the fold (core/fold/answer.py) and read by the services, the GUI, the handover and the
``status`` command (``PatientState.to_json``: INTERFACE.md). No rule is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.records import Escalation, ObservationsNotDone, Patient, Vasopressor, VitalsRecord
from core.regimen import InfusionState
from core.rules.crs import CrsGrade
from core.rules.episodes import Episode
from core.rules.guidance import Recommendation
from core.rules.icans import IcansGrade
from core.rules.labs import LabValue
from core.rules.news2 import News2
from core.rules.status import StatusLevel

__all__ = ["ConfirmedGrade", "CrsState", "CrsTrigger", "CurrentVitals", "Episode", "IcansState", "LabValue",
           "PatientState", "TrailPoint"]


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
