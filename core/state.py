"""The fold: a patient's records, in time order, -> the patient's state at a moment (ARCHITECTURE.md).

``fold(patient, records, at, protocol)`` is pure. The same function answers "now" for the banner, "at 07:00" for
the handover and "after each record" for the chart and the tests (:func:`fold_history`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from core.clock import utc
from core.fold.folder import CRS_INPUT_TYPES, STALE_FIELDS, VITAL_FIELDS, _Folder
from core.fold.tracking import TRAIL_HOURS
from core.fold.types import (
    ConfirmedGrade,
    CrsState,
    CrsTrigger,
    CurrentVitals,
    Episode,
    IcansState,
    LabValue,
    PatientState,
    TrailPoint,
)
from core.protocol import Protocol
from core.records import EnteredInError, Patient, RecordBase, StoredRecord
from core.rules.crs import CrsGrade
from core.rules.episodes import FLAG_RECURRENT_CRS, RECURRENCE_FLAG_EPISODES
from core.rules.labs import RISK_HIGH_TUMOR_BURDEN

#: The names other modules and the tests take from here (the fold's parts now live in core/fold/).
__all__ = [
    "CRS_INPUT_TYPES", "FLAG_RECURRENT_CRS", "RECURRENCE_FLAG_EPISODES", "RISK_HIGH_TUMOR_BURDEN", "STALE_FIELDS",
    "TRAIL_HOURS", "VITAL_FIELDS", "ConfirmedGrade", "CrsState", "CrsTrigger", "CurrentVitals", "Episode",
    "IcansState", "LabValue", "PatientFold", "PatientState", "TrailPoint", "_Folder", "effective_records", "fold",
    "fold_history", "fold_history_and_grades", "fold_order", "record_order",
]


def effective_records(records: Iterable[StoredRecord]) -> tuple[list[StoredRecord], frozenset[str]]:
    """Drop records superseded by ``entered_in_error`` (they stay in the file and in the records list)."""
    records = list(records)
    superseded = frozenset(str(r.record.target_id) for r in records if isinstance(r.record, EnteredInError))
    kept = [r for r in records if str(r.record.id) not in superseded and not isinstance(r.record, EnteredInError)]
    return kept, superseded


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
    Earlier arrivals make no difference to any state from then on (core/fold/tracking.py ``arose`` clamps them), and
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
        if ordered:  # whole trail points from the handover window's starting point (core/fold/tracking.py note_trail)
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
