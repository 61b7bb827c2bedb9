"""The handover of the ward or of some patients (:func:`build_handover`), and the ward summary's lines, most acute
first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from core.clock import utc
from core.errors import InputError
from core.handover.content import TREND_HOURS, DocumentInfo, Handover, PatientHandover, WardLine
from core.handover.patient import _patient_handover
from core.handover.severity import SEVERITIES, STABLE, UNSTABLE, WATCHER
from core.handover_words import (
    LANGUAGES,
    UNITS,
    limit_text,
    name,
    span_text,
    words,
)
from core.protocol import Protocol
from core.regimen import HELD
from core.state import effective_records, record_order

if TYPE_CHECKING:  # the services are the layer above: named for the type checker, not imported to run
    from core.services import Bedside
#: How many prompts the ward summary line shows.
WARD_PROMPTS = 3


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
