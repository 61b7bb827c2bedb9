"""What the fold follows over time beside the state (core/fold/folder.py calls these after each record):

- when each prompt arose (:func:`track`, :func:`arose`), so that an answer closes the loop on the right prompt and
  an unanswered one is escalated after the protocol's minutes (core/rules/escalation.py);
- the handover's trail (:func:`note_trail`): the grades after each record of the last ``TRAIL_HOURS`` and the
  highest grades of the last CRS episode (core/fold/types.py ``TrailPoint``).
"""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.fold.types import TrailPoint

if TYPE_CHECKING:
    from core.fold.folder import _Folder

#: How far back a ``PatientFold`` keeps the grades after each record (its trail): the handover's 24-hour trend
#: and lists (core/handover.py reads this number).
TRAIL_HOURS = 24


def codes_at(folder: _Folder, at: datetime) -> set[str]:
    """The recommendation codes at ``at`` before the loop is closed."""
    return {r.code for r in folder.state(at, frozenset(), close_loop=False).recommendations}

def track(folder: _Folder, at: datetime) -> None:
    """Bring ``rec_since`` up to this record: a code arises when it first appears and is forgotten when it goes."""
    codes = codes_at(folder, at)
    for code in list(folder.rec_since):
        if code not in codes:
            del folder.rec_since[code]
    for code in codes:
        folder.rec_since.setdefault(code, at)
    folder.tracked_at = at

def arose(folder: _Folder, code: str, at: datetime) -> datetime:
    """When a code arose, as far as an answer can reach: an answer holds for the protocol's
    ``acknowledgement_holds_hours``, so a prompt present longer counts from that long ago (and is asked again).
    A code absent at the last record but present at ``at`` (the infusion's clock prompts: bag change, hold
    limits) arose at the first whole minute after the last record at which it is present; one present already
    when an answer last reached (``acknowledgement_holds_hours`` ago) counts from then, as above, so the search
    spans at most that window, however long ago the last record was (a ward file opened after weeks)."""
    reach = at - timedelta(hours=folder.protocol.escalation.acknowledgement_holds_hours)
    since = folder.rec_since.get(code)
    if since is not None:
        return max(since, reach)
    if folder.tracked_at is None or at <= folder.tracked_at:
        return at
    low, high = 0, int((at - folder.tracked_at).total_seconds() // 60)
    searched = reach > folder.tracked_at         # the window of an answer, not the whole gap
    if searched and code in codes_at(folder, reach):
        return reach
    if high == 0 or code not in codes_at(folder, folder.tracked_at + timedelta(minutes=high)):
        return at
    if searched:
        low = int((reach - folder.tracked_at).total_seconds() // 60)
    while high - low > 1:
        middle = (low + high) // 2
        if code in codes_at(folder, folder.tracked_at + timedelta(minutes=middle)):
            high = middle
        else:
            low = middle
    return folder.tracked_at + timedelta(minutes=high)


def note_trail(folder: _Folder, at: datetime, ungraded: bool = False) -> None:
    """Add the point of the record just applied to the trail, then drop the points no later handover reads: a
    handover reads the last point outside the window of ``TRAIL_HOURS`` behind this record (its starting point)
    and every point after it, and the points of the last CRS episode (its highest grade on each scale)."""
    trail = folder.trail
    assert trail is not None
    if folder.trail_from is not None and at < folder.trail_from:
        # Before the window only an episode's highest grades are read: a point grading 0 on both scales changes
        # no highest grade, so none is kept (D12's shortcut, taken by evaluate or here, spares the grading).
        if ungraded or folder.cannot_grade(at):
            return
        computed = folder.assess(at, folder._episodes_at(at))
        if not (computed.astct.grade or computed.ctcae.grade):
            return
        trail.append(TrailPoint(at, computed.astct.grade, computed.ctcae.grade))
    else:
        computed = folder.assess(at, folder._episodes_at(at))
        score = folder.news2_score(at)
        trail.append(TrailPoint(at, computed.astct.grade, computed.ctcae.grade, True,
                                folder.acted_grade(computed.grade), folder.icans_state().grade, score.complete,
                                score.score, folder.latest_set.at if folder.latest_set else None))
    outside = bisect.bisect_left(trail, at - timedelta(hours=TRAIL_HOURS), key=lambda p: p.at)
    if outside <= 1:
        return
    keep = trail[outside - 1].at
    episode = folder.episodes[-1] if folder.episodes else None
    if episode is not None and episode.ended is not None and episode.ended < keep:
        # a closed episode: the points between its end and the window are read by nobody
        del trail[bisect.bisect_right(trail, episode.ended, key=lambda p: p.at):outside - 1]
    if episode is not None:
        keep = min(keep, episode.started)
    drop = bisect.bisect_left(trail, keep, key=lambda p: p.at)
    if drop:
        del trail[:drop]
