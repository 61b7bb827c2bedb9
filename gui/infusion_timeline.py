"""The infusion timeline: the days of the current cycle (and the previous one when it ended less than a week ago)
as a horizontal strip drawn with QPainter. Running stretches carry their dose per day, holds are hatched and name
their reason, bag changes, dose steps, premedication and CRS episodes are marked, with day ticks, a "now" line, the
hold limits, a legend, a tooltip per element and an accessible description in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.state import PatientState
from gui import status_style as ss
from gui import words as w
from gui.record_text import local_datetime

DAY = timedelta(days=1)
#: The previous cycle is drawn too while the current one is younger than this (a long hold shows before it).
PREVIOUS_CYCLE_WITHIN = timedelta(days=7)
#: Premedication given this long before the first start still belongs on the strip.
LEAD_IN = timedelta(hours=3)
#: Room after "now" so the next hours (bag change, limits) are on the strip.
LOOK_AHEAD = timedelta(hours=12)
STRETCHES = ("running", "held", "between_cycles", "discontinued")
LANE_CRS, LANE_INFUSION, LANE_EVENTS = range(3)


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
        self._beside: list[tuple[QRectF, str, QFont, str]] = []

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

    # -- geometry -----------------------------------------------------------------------------------------------
    def _metrics(self) -> dict[str, Any]:   # floats, and the lanes' heights under "rows"
        fh = float(self.fontMetrics().height())
        left = max(self.fontMetrics().horizontalAdvance(t) for t in self._lane_titles()) + 12
        rows = {"top": fh * 1.3, "crs": fh * 1.5, "infusion": fh * 2.4, "events": fh * 2.6, "axis": fh * 1.5}
        y = 2.0
        out: dict[str, Any] = {"fh": fh, "left": float(left), "right": float(self.width() - 12)}
        for name, height in rows.items():
            out[name] = y
            y += height
        out["legend"] = y + fh * 0.3
        out["rows"] = rows
        return out

    def _lane_titles(self) -> tuple[str, str, str, str]:
        return (self.tr("CRS"), self.tr("Infusion"), self.tr("Events"), self.tr("Day"))

    def _x(self, at: datetime, m: dict[str, float]) -> float:
        assert self.start is not None and self.end is not None
        span = (self.end - self.start).total_seconds()
        frac = (at - self.start).total_seconds() / span if span > 0 else 0.0
        return m["left"] + max(0.0, min(1.0, frac)) * (m["right"] - m["left"])

    def _legend_entries(self) -> list[tuple[str, ss.MarkStyle]]:
        return [(kind, ss.timeline_style(kind)) for kind in ss.TIMELINE_KINDS]

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
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        self._hits = []
        m = self._metrics()
        rows = m["rows"]
        painter.setPen(QColor(ss.BLACK))
        for title, key in zip(self._lane_titles(), ("crs", "infusion", "events", "axis"), strict=True):
            painter.drawText(QRectF(2, m[key], m["left"] - 6, rows[key]),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, title)
        if self.start is None or self.end is None or self.now is None:
            painter.drawText(QRectF(m["left"], m["infusion"], m["right"] - m["left"], rows["infusion"]),
                             Qt.AlignmentFlag.AlignCenter, self.tr("No infusion recorded yet."))
            self._paint_legend(painter, m)
            painter.end()
            return
        self._paint_axis(painter, m)
        self._beside = []
        for item in self.items:
            if item.end is not None:
                self._paint_stretch(painter, item, m)
        for rect, label, font, tooltip in self._beside:
            self._draw_label(painter, rect, label, font, True)
            self._hits.append((rect, tooltip))
        last_right = -1e9
        for item in sorted((i for i in self.items if i.end is None), key=lambda i: i.start):
            last_right = self._paint_point(painter, item, m, last_right)
        self._paint_limits(painter, m)
        self._paint_legend(painter, m)
        painter.end()

    def _brush(self, style: ss.MarkStyle) -> QBrush:
        return QBrush(QColor(style.fill), style.pattern)

    def _paint_stretch(self, painter: QPainter, item: TimelineItem, m: dict) -> None:
        style = ss.timeline_style(item.kind, item.grade)
        key = "crs" if item.lane == LANE_CRS else "infusion"
        height = m["rows"][key]
        x0, x1 = self._x(item.start, m), self._x(item.end, m)  # type: ignore[arg-type]  # a stretch: end is set
        rect = QRectF(x0, m[key] + 2, max(2.0, x1 - x0), height - 4)
        if style.pattern != Qt.BrushStyle.SolidPattern:
            painter.fillRect(rect, QColor("#FFFFFF"))
        painter.setPen(QPen(QColor(style.outline), 1))
        painter.setBrush(self._brush(style))
        painter.drawRect(rect)
        label = item.label if item.lane == LANE_INFUSION else f"{style.symbol} {item.label}"
        font = QFont(self.font())
        font.setBold(item.kind in ("held", "crs_episode"))
        width = QFontMetrics(font).horizontalAdvance(label) + 10
        if width <= rect.width():
            text_rect = QRectF(rect.center().x() - width / 2, rect.top() + 2, width, rect.height() - 4)
        elif rect.right() + width + 4 <= m["right"]:   # too short to hold its words: beside it, never unlabelled
            text_rect = QRectF(rect.right() + 4, rect.top() + 2, width, rect.height() - 4)
        else:
            text_rect = QRectF(max(m["left"], rect.left() - width - 4), rect.top() + 2, width, rect.height() - 4)
        self._hits.append((rect, item.tooltip))
        if rect.contains(text_rect):
            self._draw_label(painter, text_rect, label, font, style.pattern != Qt.BrushStyle.SolidPattern)
        else:   # drawn after every stretch, so that a neighbour does not paint over it
            self._beside.append((text_rect, label, font, item.tooltip))

    def _draw_label(self, painter: QPainter, rect: QRectF, label: str, font: QFont, clear: bool) -> None:
        if clear:
            painter.fillRect(rect, QColor("#FFFFFF"))
        painter.setPen(QColor(ss.BLACK))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    def _paint_point(self, painter: QPainter, item: TimelineItem, m: dict, last_right: float) -> float:
        style = ss.timeline_style(item.kind)
        x = self._x(item.start, m)
        fh = m["fh"]
        top = m["events"]
        painter.setPen(QPen(QColor(style.fill), 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, m["infusion"] + 2), QPointF(x, top + 2))
        painter.setPen(QColor(style.fill if item.kind != "premedication" else ss.BLACK))
        symbol_rect = QRectF(x - fh / 2, top, fh, fh)
        painter.setPen(QColor(ss.BLACK))
        painter.setBrush(QBrush(QColor(style.fill)))
        self._paint_symbol(painter, item.kind, symbol_rect)
        hit = QRectF(symbol_rect)
        label_width = self.fontMetrics().horizontalAdvance(item.label)
        label_rect = QRectF(max(m["left"], min(x - label_width / 2, m["right"] - label_width)), top + fh,
                            label_width, fh * 1.2)
        if label_rect.left() > last_right + 4 and label_rect.right() <= m["right"] + 10:
            painter.setPen(QColor(ss.BLACK))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, item.label)
            hit = hit.united(label_rect)
            last_right = label_rect.right()
        self._hits.append((hit.adjusted(-2, -2, 2, 2), item.tooltip))
        return last_right

    @staticmethod
    def _paint_symbol(painter: QPainter, kind: str, rect: QRectF) -> None:
        """Each point event has its own shape: bag = upright bar, dose step = triangle, premedication = diamond."""
        c = rect.center()
        r = rect.width() / 2 - 1
        if kind == "bag_changed":
            painter.drawRect(QRectF(c.x() - r * 0.35, c.y() - r, r * 0.7, r * 2))
        elif kind == "dose_step":
            painter.drawPolygon([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y() + r),
                                 QPointF(c.x() - r, c.y() + r)])
        else:
            painter.drawPolygon([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r),
                                 QPointF(c.x() - r, c.y())])

    def _paint_axis(self, painter: QPainter, m: dict) -> None:
        assert self.start is not None and self.end is not None
        top, height = m["axis"], m["rows"]["axis"]
        bottom_of_lanes = m["axis"]
        px_per_day = (m["right"] - m["left"]) / max(1e-9, (self.end - self.start) / DAY)
        widest = self.fontMetrics().horizontalAdvance(self.tr("C%1 D%2").replace("%1", "9").replace("%2", "99")) + 6
        every = max(1, math.ceil(widest / max(1.0, px_per_day)))
        painter.setPen(QPen(QColor("#333333"), 1))
        painter.drawLine(QPointF(m["left"], top), QPointF(m["right"], top))
        bounds = [t for _, t in self.cycle_starts[1:]] + [self.end]
        for (cycle, cycle_start), next_start in zip(self.cycle_starts, bounds, strict=False):
            day = 0
            tick = cycle_start
            while tick < min(next_start, self.end):
                x = self._x(tick, m)
                first = day == 0
                painter.setPen(QPen(QColor("#333333" if first else "#999999"), 2 if first else 1,
                                    Qt.PenStyle.SolidLine if first else Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x, m["crs"]), QPointF(x, bottom_of_lanes + height * 0.3))
                if day % every == 0:
                    text = self.tr("C%1 D%2").replace("%1", str(cycle)).replace("%2", str(day + 1)) if first \
                        else self.tr("D%1").replace("%1", str(day + 1))
                    middle = self._x(min(tick + DAY / 2, self.end), m)
                    painter.setPen(QColor(ss.BLACK))
                    font = QFont(self.font())
                    font.setBold(first)
                    painter.setFont(font)
                    painter.drawText(QRectF(middle - widest / 2, top + 1, widest, height - 2),
                                     Qt.AlignmentFlag.AlignCenter, text)
                    painter.setFont(self.font())
                tick += DAY
                day += 1

    def _paint_limits(self, painter: QPainter, m: dict) -> None:
        """The hold limits as dashed lines (or ▸ at the right edge when beyond the strip) and the "now" line; their
        labels share the top row, laid out from the right so that none covers another."""
        assert self.end is not None and self.now is not None
        limit = ss.timeline_style("limit")
        now_style = ss.timeline_style("now")
        labels: list[tuple[float, str, str, datetime]] = []   # (preferred right edge, words, tooltip, when)
        for name, at in self.limits:
            tooltip = self.tr("Hold limit (%1) at %2").replace("%1", name).replace("%2", local_datetime(at))
            if at <= self.end:
                x = self._x(at, m)
                painter.setPen(QPen(QColor(limit.outline), 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, m["top"]), QPointF(x, m["axis"]))
                labels.append((x - 3, f"{name} {local_datetime(at)} {limit.symbol}", tooltip, at))
            else:
                labels.append((m["right"], f"{name} {local_datetime(at)} ▸", tooltip, at))
        x = self._x(self.now, m)
        painter.setPen(QPen(QColor(now_style.outline), 3))
        painter.drawLine(QPointF(x, m["crs"]), QPointF(x, m["axis"]))
        now_words = self.tr("Now: %1").replace("%1", local_datetime(self.now))
        now_text = self.tr("now %1").replace("%1", local_datetime(self.now)[-5:])
        labels.append((x + self.fontMetrics().horizontalAdvance(now_text) / 2 + 4, now_text, now_words, self.now))
        self._hits.append((QRectF(x - 4, m["crs"], 8, m["axis"] - m["crs"]), now_words))
        left_edge = m["right"] + 1e6
        painter.setPen(QColor(ss.BLACK))
        # From the right; labels sharing an anchor keep time order left to right.
        for right, text, tooltip, _at in sorted(labels, key=lambda item: (-item[0], -item[3].timestamp())):
            width = self.fontMetrics().horizontalAdvance(text) + 8
            right = min(right, m["right"], left_edge - 6)
            rect = QRectF(max(m["left"], right - width), m["top"], width, m["rows"]["top"])
            painter.fillRect(rect, QColor("#FFFFFF"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            self._hits.append((rect, tooltip))
            left_edge = rect.left()

    def _paint_legend(self, painter: QPainter, m: dict) -> None:
        fh = m["fh"]
        x, y = m["left"], m["legend"]
        for kind, style in self._legend_entries():
            width = fh * 1.6 + self.fontMetrics().horizontalAdvance(style.text) + fh
            if x + width > m["right"] and x > m["left"]:
                x, y = m["left"], y + fh * 1.5
            swatch = QRectF(x, y + fh * 0.15, fh * 1.3, fh * 0.9)
            painter.setPen(QPen(QColor(style.outline), 1))
            if kind in STRETCHES or kind == "crs_episode":
                painter.fillRect(swatch, QColor("#FFFFFF"))
                painter.setBrush(self._brush(style))
                painter.drawRect(swatch)
            elif kind in ("now", "limit"):
                pen = QPen(QColor(style.outline), 3 if kind == "now" else 2,
                           Qt.PenStyle.SolidLine if kind == "now" else Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QPointF(swatch.center().x(), swatch.top()),
                                 QPointF(swatch.center().x(), swatch.bottom()))
            else:
                painter.setPen(QColor(ss.BLACK))
                painter.setBrush(QBrush(QColor(style.fill)))
                side = swatch.height()
                self._paint_symbol(painter, kind, QRectF(swatch.center().x() - side / 2, swatch.top(), side, side))
            painter.setPen(QColor(ss.BLACK))
            painter.drawText(QRectF(x + fh * 1.6, y, width, fh * 1.2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, style.text)
            x += width
        needed = int(y + fh * 1.5)
        if needed > self.height():
            self.setFixedHeight(needed)
