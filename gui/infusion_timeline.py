"""The infusion timeline: the days of the current cycle (and the previous one when it ended less than a week ago)
as a horizontal strip drawn with QPainter. Running stretches carry their dose per day, holds are hatched and name
their reason, bag changes, dose steps, premedication and CRS episodes are marked, with day ticks, a "now" line, the
hold limits, a legend, a tooltip per element and an accessible description in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QHelpEvent, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.state import PatientState
from gui import status_style as ss
from gui import words as w
from gui.record_text import local_datetime
from gui.timeline_painting import DAY, LANE_CRS, LANE_EVENTS, LANE_INFUSION, STRETCHES, TimelinePainter

#: The previous cycle is drawn too while the current one is younger than this (a long hold shows before it).
PREVIOUS_CYCLE_WITHIN = timedelta(days=7)
#: Premedication given this long before the first start still belongs on the strip.
LEAD_IN = timedelta(hours=3)
#: Room after "now" so the next hours (bag change, limits) are on the strip.
LOOK_AHEAD = timedelta(hours=12)


@dataclass(frozen=True)
class TimelineItem:
    """One thing on the strip: a stretch (``end`` set) or a point, in a lane, with its words."""

    kind: str
    lane: int
    start: datetime
    end: datetime | None
    label: str
    tooltip: str
    grade: int | None = None


def _span(start: datetime, end: datetime) -> str:
    return ss.duration_text(int((end - start).total_seconds() // 60))


class InfusionTimeline(QWidget):
    """The strip: lanes for CRS episodes, the infusion and point events, day ticks and a legend."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Infusion timeline"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.items: list[TimelineItem] = []
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.now: datetime | None = None
        self.cycle_starts: list[tuple[int, datetime]] = []
        self.limits: list[tuple[str, datetime]] = []
        self._hits: list[tuple[QRectF, str]] = []

    # -- content ------------------------------------------------------------------------------------------------
    def set_state(self, state: PatientState) -> None:
        """Build the strip from core's derived state (segments, events, holds, CRS episodes) at ``state.at``."""
        inf = state.infusion
        now = state.at
        self.now = now
        self.items = []
        self.limits = []
        segments = list(inf.segments)
        if not segments and not inf.events:
            self.start = self.end = None
            self.cycle_starts = []
            self._describe()
            self.update()
            return
        starts: dict[int, datetime] = {}
        for s in segments:
            if s.kind == "running":
                starts.setdefault(s.cycle, s.start)
        current = [s for s in segments if s.cycle == inf.cycle] or segments
        # Before the first start only premedication can be on the strip: it starts with the first event.
        start = min(s.start for s in current) if current else min(e.at for e in inf.events)
        previous = [s for s in segments if inf.cycle is not None and s.cycle == inf.cycle - 1]
        if previous and now - start < PREVIOUS_CYCLE_WITHIN:
            start = min(s.start for s in previous)
        start -= LEAD_IN
        anchor = starts.get(inf.cycle or 0, start + LEAD_IN)
        days = max(2, math.ceil((now + LOOK_AHEAD - anchor) / DAY))
        self.start, self.end = start, max(anchor + days * DAY, now + LOOK_AHEAD)
        self.cycle_starts = sorted(((c, t) for c, t in starts.items() if t >= start), key=lambda item: item[1])
        for s in segments:
            end = s.end or now
            if end <= start or s.kind not in STRETCHES:
                continue
            self.items.append(self._stretch(s.kind, s.start, end, s.end is None, s.dose_mcg_per_day, s.reason))
        for e in inf.events:
            if e.kind in w.INFUSION_EVENTS and e.at >= start:
                self.items.append(self._point(e.kind, e.at, e.detail))
        for episode in state.crs.episodes:
            end = episode.ended or now
            if end > start:
                self.items.append(self._episode(episode.started, end, episode.ended is None, episode.max_grade))
        if inf.new_cycle_limit_at is not None:
            self.limits.append((self.tr("new cycle"), inf.new_cycle_limit_at))
        if inf.discontinuation_limit_at is not None:
            self.limits.append((self.tr("review"), inf.discontinuation_limit_at))
        self._describe()
        self.update()

    def _stretch(self, kind: str, start: datetime, end: datetime, ongoing: bool, dose: float | None,
                 reason: str | None) -> TimelineItem:
        style = ss.timeline_style(kind)
        until = self.tr("now (ongoing)") if ongoing else local_datetime(end)
        when = self.tr("from %1 to %2, %3").replace("%1", local_datetime(start)).replace("%2", until).replace(
            "%3", _span(start, end))
        if kind == "running":
            label = self.tr("%1 mcg/day").replace("%1", f"{dose:g}") if dose is not None else style.text
            text = self.tr("Running at %1").replace("%1", label)
        elif kind == "held":
            label = self.tr("HELD: %1").replace("%1", w.word(w.STOP_REASONS, reason or ""))
            text = self.tr("Held for %1").replace("%1", w.word(w.STOP_REASONS, reason or ""))
        elif kind == "discontinued":
            label = style.text
            text = self.tr("Discontinued: %1").replace("%1", reason or "")
        else:
            label = text = style.text
        return TimelineItem(kind, LANE_INFUSION, start, end, label, f"{text} {when}")

    def _point(self, kind: str, at: datetime, detail: str) -> TimelineItem:
        if kind == "premedication":
            drug, _, dose = detail.partition(" ")
            detail = f"{w.word(w.DRUGS, drug)} {dose}"
        detail = detail.replace("->", "→")
        name = w.word(w.INFUSION_EVENTS, kind)
        return TimelineItem(kind, LANE_EVENTS, at, None, detail,
                            self.tr("%1 at %2: %3").replace("%1", name).replace("%2", local_datetime(at)).replace(
                                "%3", detail))

    def _episode(self, start: datetime, end: datetime, ongoing: bool, grade: int) -> TimelineItem:
        label = self.tr("CRS G%1").replace("%1", str(grade))
        until = self.tr("now (open)") if ongoing else local_datetime(end)
        tooltip = self.tr("CRS episode, highest grade %1, from %2 to %3").replace("%1", str(grade)).replace(
            "%2", local_datetime(start)).replace("%3", until)
        return TimelineItem("crs_episode", LANE_CRS, start, end, label, tooltip, grade)

    def _describe(self) -> None:
        """The accessible description: the whole strip in words, in time order."""
        if self.start is None or self.end is None or self.now is None:
            self.setAccessibleDescription(self.tr("No infusion recorded yet."))
            return
        lines = [self.tr("From %1 to %2; now %3.").replace("%1", local_datetime(self.start)).replace(
            "%2", local_datetime(self.end)).replace("%3", local_datetime(self.now))]
        for cycle, at in self.cycle_starts:
            lines.append(self.tr("Cycle %1 started %2.").replace("%1", str(cycle)).replace("%2", local_datetime(at)))
        lines += [f"{item.tooltip}." for item in sorted(self.items, key=lambda i: (i.start, i.lane))]
        for name, at in self.limits:
            lines.append(self.tr("Hold limit (%1) at %2.").replace("%1", name).replace("%2", local_datetime(at)))
        self.setAccessibleDescription("\n".join(lines))

    def description(self) -> str:
        """The strip in words (its accessible description)."""
        return self.accessibleDescription()


    def sizeHint(self) -> QSize:
        fh = self.fontMetrics().height()
        return QSize(800, int(fh * 12.5))

    def minimumSizeHint(self) -> QSize:
        return QSize(400, int(self.fontMetrics().height() * 12.5))

    # -- tooltips -----------------------------------------------------------------------------------------------
    def tooltip_at(self, pos: QPointF) -> str:
        """The words of the element under ``pos`` (the last drawn wins), or ``""``."""
        if not self._hits:
            self.grab()   # lays the strip out at the current size
        for rect, text in reversed(self._hits):
            if rect.contains(pos):
                return text
        return ""

    def element_rects(self) -> list[tuple[QRectF, str]]:
        """Where each element was drawn and its tooltip (for tests and tooltips)."""
        self.grab()
        return list(self._hits)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- drawing ------------------------------------------------------------------------------------------------

    # -- drawing (gui/timeline_painting.py) ----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        drawn = TimelinePainter(self)
        self._hits = drawn.hits   # filled as the strip is drawn
        drawn.paint(painter)
        painter.end()
