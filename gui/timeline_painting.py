"""The infusion timeline painted: lane titles, the day axis, the stretches and point events, the hold limits and the
"now" line, the legend; where each element lands is kept for its tooltip (gui/infusion_timeline.py shows it)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen

from gui import status_style as ss
from gui.i18n import Timeline
from gui.record_text import local_datetime

if TYPE_CHECKING:
    from gui.infusion_timeline import InfusionTimeline, TimelineItem

#: One day on the axis.
DAY = timedelta(days=1)
STRETCHES = ("running", "held", "between_cycles", "discontinued")
LANE_CRS, LANE_INFUSION, LANE_EVENTS = range(3)


class TimelinePainter:
    """Paints one InfusionTimeline with a QPainter; ``hits`` holds each element's rectangle and tooltip."""

    def __init__(self, timeline: InfusionTimeline):
        self.timeline = timeline
        self.hits: list[tuple[QRectF, str]] = []
        self.beside: list[tuple[QRectF, str, QFont, str]] = []

    def _metrics(self) -> dict[str, Any]:   # floats, and the lanes' heights under "rows"
        fh = float(self.timeline.fontMetrics().height())
        left = max(self.timeline.fontMetrics().horizontalAdvance(t) for t in self._lane_titles()) + 12
        rows = {"top": fh * 1.3, "crs": fh * 1.5, "infusion": fh * 2.4, "events": fh * 2.6, "axis": fh * 1.5}
        y = 2.0
        out: dict[str, Any] = {"fh": fh, "left": float(left), "right": float(self.timeline.width() - 12)}
        for name, height in rows.items():
            out[name] = y
            y += height
        out["legend"] = y + fh * 0.3
        out["rows"] = rows
        return out

    def _lane_titles(self) -> tuple[str, str, str, str]:
        return (Timeline.tr("CRS"), Timeline.tr("Infusion"), Timeline.tr("Events"), Timeline.tr("Day"))

    def _x(self, at: datetime, m: dict[str, float]) -> float:
        assert self.timeline.start is not None and self.timeline.end is not None
        span = (self.timeline.end - self.timeline.start).total_seconds()
        frac = (at - self.timeline.start).total_seconds() / span if span > 0 else 0.0
        return m["left"] + max(0.0, min(1.0, frac)) * (m["right"] - m["left"])

    def _legend_entries(self) -> list[tuple[str, ss.MarkStyle]]:
        return [(kind, ss.timeline_style(kind)) for kind in ss.TIMELINE_KINDS]

    def paint(self, painter: QPainter) -> None:
        """Draw the lanes, the axis, the stretches and points, the limits and the legend."""
        m = self._metrics()
        rows = m["rows"]
        painter.setPen(QColor(ss.BLACK))
        for title, key in zip(self._lane_titles(), ("crs", "infusion", "events", "axis"), strict=True):
            painter.drawText(QRectF(2, m[key], m["left"] - 6, rows[key]),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, title)
        if self.timeline.start is None or self.timeline.end is None or self.timeline.now is None:
            painter.drawText(QRectF(m["left"], m["infusion"], m["right"] - m["left"], rows["infusion"]),
                             Qt.AlignmentFlag.AlignCenter, Timeline.tr("No infusion recorded yet."))
            self._paint_legend(painter, m)
            return
        self._paint_axis(painter, m)
        self.beside = []
        for item in self.timeline.items:
            if item.end is not None:
                self._paint_stretch(painter, item, m)
        for rect, label, font, tooltip in self.beside:
            self._draw_label(painter, rect, label, font, True)
            self.hits.append((rect, tooltip))
        last_right = -1e9
        for item in sorted((i for i in self.timeline.items if i.end is None), key=lambda i: i.start):
            last_right = self._paint_point(painter, item, m, last_right)
        self._paint_limits(painter, m)
        self._paint_legend(painter, m)

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
        font = QFont(self.timeline.font())
        font.setBold(item.kind in ("held", "crs_episode"))
        width = QFontMetrics(font).horizontalAdvance(label) + 10
        if width <= rect.width():
            text_rect = QRectF(rect.center().x() - width / 2, rect.top() + 2, width, rect.height() - 4)
        elif rect.right() + width + 4 <= m["right"]:   # too short to hold its words: beside it, never unlabelled
            text_rect = QRectF(rect.right() + 4, rect.top() + 2, width, rect.height() - 4)
        else:
            text_rect = QRectF(max(m["left"], rect.left() - width - 4), rect.top() + 2, width, rect.height() - 4)
        self.hits.append((rect, item.tooltip))
        if rect.contains(text_rect):
            self._draw_label(painter, text_rect, label, font, style.pattern != Qt.BrushStyle.SolidPattern)
        else:   # drawn after every stretch, so that a neighbour does not paint over it
            self.beside.append((text_rect, label, font, item.tooltip))

    def _draw_label(self, painter: QPainter, rect: QRectF, label: str, font: QFont, clear: bool) -> None:
        if clear:
            painter.fillRect(rect, QColor("#FFFFFF"))
        painter.setPen(QColor(ss.BLACK))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.timeline.font())

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
        label_width = self.timeline.fontMetrics().horizontalAdvance(item.label)
        label_rect = QRectF(max(m["left"], min(x - label_width / 2, m["right"] - label_width)), top + fh,
                            label_width, fh * 1.2)
        if label_rect.left() > last_right + 4 and label_rect.right() <= m["right"] + 10:
            painter.setPen(QColor(ss.BLACK))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, item.label)
            hit = hit.united(label_rect)
            last_right = label_rect.right()
        self.hits.append((hit.adjusted(-2, -2, 2, 2), item.tooltip))
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
        assert self.timeline.start is not None and self.timeline.end is not None
        top, height = m["axis"], m["rows"]["axis"]
        bottom_of_lanes = m["axis"]
        px_per_day = (m["right"] - m["left"]) / max(1e-9, (self.timeline.end - self.timeline.start) / DAY)
        widest_text = Timeline.tr("C%1 D%2").replace("%1", "9").replace("%2", "99")
        widest = self.timeline.fontMetrics().horizontalAdvance(widest_text) + 6
        every = max(1, math.ceil(widest / max(1.0, px_per_day)))
        painter.setPen(QPen(QColor("#333333"), 1))
        painter.drawLine(QPointF(m["left"], top), QPointF(m["right"], top))
        bounds = [t for _, t in self.timeline.cycle_starts[1:]] + [self.timeline.end]
        for (cycle, cycle_start), next_start in zip(self.timeline.cycle_starts, bounds, strict=False):
            day = 0
            tick = cycle_start
            while tick < min(next_start, self.timeline.end):
                x = self._x(tick, m)
                first = day == 0
                painter.setPen(QPen(QColor("#333333" if first else "#999999"), 2 if first else 1,
                                    Qt.PenStyle.SolidLine if first else Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x, m["crs"]), QPointF(x, bottom_of_lanes + height * 0.3))
                if day % every == 0:
                    text = Timeline.tr("C%1 D%2").replace("%1", str(cycle)).replace("%2", str(day + 1)) if first \
                        else Timeline.tr("D%1").replace("%1", str(day + 1))
                    middle = self._x(min(tick + DAY / 2, self.timeline.end), m)
                    painter.setPen(QColor(ss.BLACK))
                    font = QFont(self.timeline.font())
                    font.setBold(first)
                    painter.setFont(font)
                    painter.drawText(QRectF(middle - widest / 2, top + 1, widest, height - 2),
                                     Qt.AlignmentFlag.AlignCenter, text)
                    painter.setFont(self.timeline.font())
                tick += DAY
                day += 1

    def _paint_limits(self, painter: QPainter, m: dict) -> None:
        """The hold limits as dashed lines (or ▸ at the right edge when beyond the strip) and the "now" line; their
        labels share the top row, laid out from the right so that none covers another."""
        assert self.timeline.end is not None and self.timeline.now is not None
        limit = ss.timeline_style("limit")
        now_style = ss.timeline_style("now")
        labels: list[tuple[float, str, str, datetime]] = []   # (preferred right edge, words, tooltip, when)
        for name, at in self.timeline.limits:
            tooltip = Timeline.tr("Hold limit (%1) at %2").replace("%1", name).replace("%2", local_datetime(at))
            if at <= self.timeline.end:
                x = self._x(at, m)
                painter.setPen(QPen(QColor(limit.outline), 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, m["top"]), QPointF(x, m["axis"]))
                labels.append((x - 3, f"{name} {local_datetime(at)} {limit.symbol}", tooltip, at))
            else:
                labels.append((m["right"], f"{name} {local_datetime(at)} ▸", tooltip, at))
        x = self._x(self.timeline.now, m)
        painter.setPen(QPen(QColor(now_style.outline), 3))
        painter.drawLine(QPointF(x, m["crs"]), QPointF(x, m["axis"]))
        now_words = Timeline.tr("Now: %1").replace("%1", local_datetime(self.timeline.now))
        now_text = Timeline.tr("now %1").replace("%1", local_datetime(self.timeline.now)[-5:])
        now_right = x + self.timeline.fontMetrics().horizontalAdvance(now_text) / 2 + 4
        labels.append((now_right, now_text, now_words, self.timeline.now))
        self.hits.append((QRectF(x - 4, m["crs"], 8, m["axis"] - m["crs"]), now_words))
        left_edge = m["right"] + 1e6
        painter.setPen(QColor(ss.BLACK))
        # From the right; labels sharing an anchor keep time order left to right.
        for right, text, tooltip, _at in sorted(labels, key=lambda item: (-item[0], -item[3].timestamp())):
            width = self.timeline.fontMetrics().horizontalAdvance(text) + 8
            right = min(right, m["right"], left_edge - 6)
            rect = QRectF(max(m["left"], right - width), m["top"], width, m["rows"]["top"])
            painter.fillRect(rect, QColor("#FFFFFF"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            self.hits.append((rect, tooltip))
            left_edge = rect.left()

    def _paint_legend(self, painter: QPainter, m: dict) -> None:
        fh = m["fh"]
        x, y = m["left"], m["legend"]
        for kind, style in self._legend_entries():
            width = fh * 1.6 + self.timeline.fontMetrics().horizontalAdvance(style.text) + fh
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
        if needed > self.timeline.height():
            self.timeline.setFixedHeight(needed)
