"""The trend: temperature, pulse, systolic BP and SpO2 over the cycle, CRS grade bands behind them, holds shaded
and interventions marked. Drawn with QtCharts in software (setUseOpenGL stays off: offscreen it draws nothing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCharts import (
    QAreaSeries,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLegend,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.records import StoredRecord
from core.services import assessment_draft
from core.state import PatientState
from core.units import celsius_to_fahrenheit
from gui import status_style as ss
from gui.context import AppContext

#: Intervention markers: a shape and a colour each, so they differ without colour too.
MARKER_STYLES = (
    (QScatterSeries.MarkerShape.MarkerShapeTriangle, ss.SKY),
    (QScatterSeries.MarkerShape.MarkerShapeStar, ss.PURPLE),
    (QScatterSeries.MarkerShape.MarkerShapeRectangle, ss.BLACK),
    (QScatterSeries.MarkerShape.MarkerShapePentagon, ss.ORANGE),
)


def _round_step(step: float) -> bool:
    """Whether an axis step is a round number: 1, 2, 2.5 or 5 times a power of ten."""
    if step <= 0:
        return False
    exponent = math.floor(math.log10(step))
    mantissa = round(step / 10 ** exponent, 6)
    return mantissa in (1.0, 2.0, 2.5, 5.0, 10.0)


# The tick count the axis chose for nice numbers (the most labels it shows when there is room).
NICE_TICKS = "crs_bedside_nice_ticks"


@dataclass(frozen=True)
class Band:
    """A stretch of time shaded on every chart."""

    start: datetime
    end: datetime
    colour: str
    pattern: Qt.BrushStyle = Qt.BrushStyle.SolidPattern


#: The charts are redrawn this long after new data, so the status banner paints the new grade first.
CHART_REDRAW_DELAY_MS = 40


def _ms(at: datetime) -> float:
    return at.timestamp() * 1000.0


def grade_bands(steps: Sequence[tuple[datetime, int]], end: datetime) -> list[Band]:
    """Stretches at CRS grade >= 1 (core's grade steps: the grade at each re-grading), coloured by grade."""
    bands: list[Band] = []
    current: tuple[datetime, int] | None = None
    for at, grade in steps:
        if current is not None and grade == current[1]:
            continue
        if current is not None and current[1] >= 1:
            bands.append(Band(current[0], at, ss.level_colours(current[1])[0]))
        current = (at, grade)
    if current is not None and current[1] >= 1:
        bands.append(Band(current[0], end, ss.level_colours(current[1])[0]))
    return bands


def hold_bands(state: PatientState, end: datetime) -> list[Band]:
    """Infusion holds (D10), shaded with a hatch so they read without colour."""
    return [Band(s.start, s.end or end, "#666666", Qt.BrushStyle.BDiagPattern)
            for s in state.infusion.segments if s.kind == "held"]


def in_range(points: list[tuple[datetime, float]], start: datetime,
             end: datetime) -> list[tuple[datetime, float]]:
    """The points a chart of ``[start, end]`` shows, and the last one before ``start`` so that the line comes in from
    the left edge: a patient of weeks has hundreds of sets, and plotting them all made every redraw slow."""
    inside: list[tuple[datetime, float]] = []
    before: tuple[datetime, float] | None = None
    for point in points:       # one pass (this runs for four charts after every save)
        if point[0] < start:
            before = point if before is None or point > before else before
        elif point[0] <= end:
            inside.append(point)
    return ([before] if before is not None else []) + inside


class VitalChart(QChartView):
    """One vital sign against time, with the shared bands and an optional reference line."""

    def __init__(self, title: str, low: float, high: float, colour: str, parent: QWidget | None = None,
                 label_format: str = "%.0f"):
        super().__init__(parent)
        self.low, self.high, self.colour, self.label_format = low, high, colour, label_format
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_ = QChart()
        self.chart_.setTitle(title)
        self.chart_.legend().hide()
        self.chart_.setMargins(QMargins(4, 2, 4, 2))
        self.chart_.setBackgroundRoundness(0)
        self.setChart(self.chart_)
        self.setMinimumHeight(self.fontMetrics().height() * 9)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        self.fit_ticks()

    def fit_ticks(self) -> None:
        """As many value labels as the chart's height holds: squeezed labels are written "…" by QtCharts."""
        room = self.height() - self.fontMetrics().height() * 5      # title, time axis and margins
        fits = max(2, int(room // (self.fontMetrics().height() * 1.6)) + 1)
        for axis in self.chart_.axes(Qt.Orientation.Vertical):
            nice = axis.property(NICE_TICKS)
            if isinstance(axis, QValueAxis) and nice:
                span = axis.max() - axis.min()
                # the most labels that fit whose step is still a round number (a 1, 2, 2.5 or 5 times 10^k)
                counts = [n for n in range(2, int(nice) + 1) if n <= fits and _round_step(span / (n - 1))]
                axis.setTickCount(max(counts, default=2))

    def _build(self) -> None:
        """The axes and series, made at the first draw and then updated in place: rebuilding four charts' series
        after every save blocked the event loop for over 100 ms (build_scripts/bench.py measures the stalls)."""
        chart = self.chart_
        self.x_axis = QDateTimeAxis()
        self.x_axis.setTickCount(5)
        self.y_axis = QValueAxis()
        self.y_axis.setTickCount(5)
        self.y_axis.setLabelFormat(self.label_format)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.areas: list[QAreaSeries] = []
        self.reference = QLineSeries()
        self.reference.setPen(QPen(QColor("#333333"), 1, Qt.PenStyle.DashLine))
        self.line = QLineSeries()
        self.line.setPen(QPen(QColor(self.colour), 2))
        self.dots = QScatterSeries()
        self.dots.setMarkerSize(max(6.0, self.fontMetrics().height() * 0.5))
        self.dots.setColor(QColor(self.colour))
        self.dots.setBorderColor(QColor("#000000"))
        self.marks: list[QScatterSeries] = []
        for shape, colour in MARKER_STYLES:
            marks = QScatterSeries()
            marks.setMarkerShape(shape)
            marks.setMarkerSize(max(10.0, self.fontMetrics().height() * 0.9))
            marks.setColor(QColor(colour))
            marks.setBorderColor(QColor("#000000"))
            self.marks.append(marks)
        self._attach_front()
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        legend.setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)

    def _front(self) -> list:
        """The series drawn over the bands, in drawing order."""
        return [self.reference, self.line, self.dots, *self.marks]

    def _attach(self, series) -> None:
        self.chart_.addSeries(series)
        series.attachAxis(self.x_axis)
        series.attachAxis(self.y_axis)

    def _attach_front(self) -> None:
        for series in self._front():
            self._attach(series)

    def _band_areas(self, count: int) -> list[QAreaSeries]:
        """``count`` band areas, drawn behind the lines: more are made only when a range has more bands than any
        drawn before (the lines are then re-added on top)."""
        if count > len(self.areas):
            for series in self._front():
                self.chart_.removeSeries(series)
            while len(self.areas) < count:
                area = QAreaSeries()
                area.setUpperSeries(QLineSeries(area))    # the area does not own its edges: parent them
                area.setLowerSeries(QLineSeries(area))
                area.setPen(QPen(Qt.PenStyle.NoPen))
                self._attach(area)
                self.areas.append(area)
            self._attach_front()
        return self.areas

    def draw(self, points: list[tuple[datetime, float]], start: datetime, end: datetime, bands: list[Band],
             reference: float | None = None, markers: dict[str, list[datetime]] | None = None) -> None:
        """Show these points, bands, reference line and markers over ``[start, end]`` (the series are updated in
        place, never rebuilt)."""
        if not self.chart_.series():
            self._build()
        points = in_range(points, start, end)
        values = [v for t, v in points if t >= start]
        y_axis = self.y_axis
        self.x_axis.setFormat("HH:mm" if end - start <= timedelta(hours=24) else "dd MMM HH:mm")
        self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(_ms(start))),
                             QDateTime.fromMSecsSinceEpoch(int(_ms(end))))
        y_axis.setRange(min([self.low, *values]), max([self.high, *values]))
        y_axis.setTickCount(5)                 # fit_ticks may have lowered it for a short chart
        y_axis.applyNiceNumbers()
        y_axis.setProperty(NICE_TICKS, y_axis.tickCount())
        self.fit_ticks()
        low, high = y_axis.min(), y_axis.max()
        shown = [(max(band.start, start), min(band.end, end), band) for band in bands]
        shown = [(b0, b1, band) for b0, b1, band in shown if b1 > b0]
        areas = self._band_areas(len(shown))
        for area, (b0, b1, band) in zip(areas, shown, strict=False):
            area.upperSeries().replace([QPointF(_ms(b0), high), QPointF(_ms(b1), high)])
            area.lowerSeries().replace([QPointF(_ms(b0), low), QPointF(_ms(b1), low)])
            colour = QColor(band.colour)
            if band.pattern == Qt.BrushStyle.SolidPattern:
                colour.setAlpha(90)
            area.setBrush(QBrush(colour, band.pattern))
            area.setVisible(True)
        for area in areas[len(shown):]:
            area.setVisible(False)
        if reference is not None and low <= reference <= high:
            self.reference.replace([QPointF(_ms(start), reference), QPointF(_ms(end), reference)])
            self.reference.setVisible(True)
        else:
            self.reference.clear()
            self.reference.setVisible(False)
        plotted = [QPointF(_ms(at), value) for at, value in points]
        self.line.replace(plotted)
        self.dots.replace(plotted)
        named = list((markers or {}).items())
        for index, marks in enumerate(self.marks):
            name, times = named[index] if index < len(named) else ("", [])
            marks.setName(name)
            marks.replace([QPointF(_ms(at), high - (high - low) * 0.06) for at in times if start <= at <= end])
        self._show_named_markers()
        # A chart on screen re-shows every marker once its series are laid out again: hide the unnamed ones then.
        QTimer.singleShot(0, self, self._show_named_markers)

    def _show_named_markers(self) -> None:
        """Only the interventions that happened in the range get a legend entry."""
        legend = self.chart_.legend()
        shown = False
        for marker in legend.markers():
            series = marker.series()
            visible = bool(series.name()) and getattr(series, "count", lambda: 0)() > 0
            marker.setVisible(visible)
            shown = shown or visible
        legend.setVisible(shown)


class TrendChart(QWidget):
    """Four stacked charts sharing one time range, with a range chooser and a legend line."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.range_box = QComboBox()
        self.range_box.addItem(self.tr("Last 24 hours"), 24)
        self.range_box.addItem(self.tr("Last 3 days"), 72)
        self.range_box.addItem(self.tr("This cycle"), 0)
        self.range_box.setCurrentIndex(0)
        self.range_box.setAccessibleName(self.tr("Time range of the trend"))
        self.range_box.currentIndexChanged.connect(self._redraw)
        label = QLabel(self.tr("&Show:"))
        label.setBuddy(self.range_box)
        self.legend = QLabel(self.tr("Shading: CRS grade (colour as in the banner) · hatched = infusion held · "
                                     "dashed line = threshold"))
        self.legend.setWordWrap(True)
        self.temperature = VitalChart("", 35.0, 40.0, ss.BLUE, label_format="%.1f")
        self.pulse = VitalChart(self.tr("Pulse (/min)"), 50.0, 140.0, ss.VERMILLION)
        self.systolic = VitalChart(self.tr("Systolic blood pressure (mmHg)"), 70.0, 160.0, ss.BLACK)
        self.spo2 = VitalChart(self.tr("SpO2 (%)"), 85.0, 100.0, ss.GREEN)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.range_box)
        top.addWidget(self.legend, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        grid = QGridLayout()
        for index, chart in enumerate((self.temperature, self.pulse, self.systolic, self.spo2)):
            grid.addWidget(chart, index // 2, index % 2)
        layout.addLayout(grid, 1)
        self._data: tuple[PatientState, list[StoredRecord]] | None = None
        self._dirty = False
        self._pending: list[Callable[[], None]] = []   # the charts still to draw after a save, in order
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(CHART_REDRAW_DELAY_MS)
        self._redraw_timer.timeout.connect(self._on_redraw_timer_timeout)

    def set_data(self, state: PatientState, records: list[StoredRecord]) -> None:
        """Take a patient's state and records; the charts are redrawn just after (once, however many updates
        arrive together), so the status banner shows a new grade without waiting for four charts."""
        self._data = (state, records)
        self._dirty = True
        self._pending = []     # a redraw under way was of older data: this one follows in full
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def flush(self) -> None:
        """Redraw now if new data is waiting (tests, printing a screenshot): all four charts at once."""
        if self._dirty:
            self._redraw()

    def _on_redraw_timer_timeout(self) -> None:
        """After a save: one chart per turn of the event loop, each laid out and painted before the next is drawn,
        so that typing and the next save are never held for four charts at once (the whole redraw in one go was
        the longest event-loop stall after a save: build_scripts/bench.py)."""
        if self._dirty:
            self._pending = self._draw_steps()
            self._draw_next(self._pending)

    def _draw_next(self, steps: list[Callable[[], None]]) -> None:
        if steps is not self._pending or not steps:
            return      # replaced: newer data came, or everything was drawn at once
        steps.pop(0)()
        if steps:
            QTimer.singleShot(0, self, partial(self._draw_next, steps))
        else:
            self._dirty = False

    def series(self, name: str) -> list[tuple[datetime, float]]:
        """The plotted points of one vital (for tests and the accessible summary)."""
        return self._series((name,))[name]

    def _series(self, names: Sequence[str]) -> dict[str, list[tuple[datetime, float]]]:
        """The plotted points of these vitals, in one pass over the records (not one per chart)."""
        if self._data is None:
            return {name: [] for name in names}
        state, records = self._data
        return assessment_draft.vital_points(state, records, names)   # corrections left out (core)

    def _redraw(self) -> None:
        """All four charts now (a range chosen, a flush), in place of any redraw waiting or under way."""
        self._redraw_timer.stop()
        self._pending = []
        self._dirty = False
        for step in self._draw_steps():
            step()

    def _draw_steps(self) -> list[Callable[[], None]]:
        """Drawing the four charts from the data, one step per chart (the shared range, bands and points computed
        once, here)."""
        if self._data is None:
            return []
        state, records = self._data
        end = state.at
        hours = self.range_box.currentData()
        if hours:
            start = end - timedelta(hours=hours)
        else:
            first = min((s.record.at for s in records), default=end - timedelta(hours=24))
            start = state.infusion.cycle_started or first
        if end - start < timedelta(hours=1):
            start = end - timedelta(hours=1)
        bands = grade_bands(state.crs.grade_steps, end) + hold_bands(state, end)
        unit = self.ctx.settings.temperature_unit
        vitals = self._series(("temperature_c", "heart_rate", "systolic_bp", "spo2_percent"))
        temps = vitals["temperature_c"]
        fever = self.ctx.bedside.protocol.grading.fever_c
        if unit == "F":
            self.temperature.chart_.setTitle(self.tr("Temperature (°F)"))
            self.temperature.low, self.temperature.high = 95.0, 104.0
            temps = [(t, celsius_to_fahrenheit(v)) for t, v in temps]
            fever = celsius_to_fahrenheit(fever)
        else:
            self.temperature.chart_.setTitle(self.tr("Temperature (°C)"))
            self.temperature.low, self.temperature.high = 35.0, 40.0
        names = {"fluid_bolus": self.tr("Fluid bolus"), "medication_given": self.tr("CRS medication"),
                 "vasopressor_started": self.tr("Vasopressor"), "infusion_stopped": self.tr("Infusion stopped")}
        markers = {names[kind]: times for kind, times in assessment_draft.intervention_times(state, records).items()}
        # R-AST-3: the hypotension limit for the patient's age (a child's is lower than the adult 90 mmHg)
        hypotension = assessment_draft.hypotension_line(state, self.ctx.bedside.protocol)
        return [partial(self.temperature.draw, temps, start, end, bands, fever, markers),
                partial(self.pulse.draw, vitals["heart_rate"], start, end, bands),
                partial(self.systolic.draw, vitals["systolic_bp"], start, end, bands, hypotension),
                partial(self.spo2.draw, vitals["spo2_percent"], start, end, bands)]
