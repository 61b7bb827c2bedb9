"""The handover on pages: core's handover HTML laid out with QTextDocument, one document per patient, with a painted
header and footer on every page and the trend strip painted as vectors; rendered to a PDF file or any paged device
(the printer and the preview use the same :func:`paint_handover`)."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QLineF,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
    QTextDocument,
)

from core import __version__
from core.errors import InputError
from core.handover import (
    Handover,
    PageFrame,
    TrendStrip,
    page_frame,
    patient_html,
    trend_in_unit,
    ward_html,
)
from core.handover_words import words

#: Page margins (mm): the header and footer live in the top and bottom margins.
MARGIN_SIDE_MM = 12.0
MARGIN_TOP_MM = 19.0
MARGIN_BOTTOM_MM = 16.0
HEADER_TOP_MM = 6.0
FOOTER_GAP_MM = 3.0
#: The trend strip in CSS pixels (1/96 inch) as laid out in the page (it fits A4 and Letter between the margins).
TREND_SIZE = (700, 124)
#: The image resource that holds the strip's place in the laid-out page; the strip itself is painted over it as
#: vectors (sharp on paper, a small PDF, and its labels are real text). A QPyTextObject handler would be simpler,
#: but PySide6 6.12 loses a reference to None on every call of its overrides, which ends in a crash.
TREND_URL = "crs-bedside:trend-strip"
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Arial", "Helvetica"]
PDF_TITLE = "CRS Bedside handover"


#: The fonts made by :func:`_font`, one cache per thread: a QFont is reentrant, not thread-safe (its engine data
#: changes as it is used), and the handover is laid out on a worker thread while the window draws with its own.
_fonts = threading.local()


def _font(point_size: float, bold: bool = False) -> QFont:
    """A sans-serif font without ligatures (cached for this thread: never modify the font returned).

    Without ligatures, text copied or extracted from the PDF is the text printed: a record id with "ff" or the word
    "first" searches and pastes as typed, never as one ligature glyph.
    """
    cache: dict[tuple[float, bool], QFont] = _fonts.__dict__.setdefault("cache", {})
    font = cache.get((point_size, bold))
    if font is None:
        font = cache[(point_size, bold)] = _new_font(point_size, bold)
    return font


def _new_font(point_size: float, bold: bool) -> QFont:
    font = QFont()
    for feature in ("liga", "clig"):
        font.setFeature(QFont.Tag.fromString(feature), 0)
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


# -- the trend strip ----------------------------------------------------------------------------------------------
#: Plot ranges that always show at least this much of each vital (so a flat line is not magnified into alarm).
_MIN_SPAN = {"temperature_c": 2.0, "heart_rate": 40.0, "systolic_bp": 40.0, "spo2_percent": 8.0}
_INK = QColor("#1a1a1a")
_GRID = QColor("#c8c8c8")
_BAND = QColor("#f0f0f0")
_DOT = QPen(_INK, 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)


def draw_trend_strip(painter: QPainter, rect: QRectF, strip: TrendStrip, tz: tzinfo | None) -> None:
    """Draw the 24-hour strip (four vital signs, then the CRS grade as steps) into ``rect`` as vectors.

    Coordinates inside are CSS pixels (:data:`TREND_SIZE`), scaled to ``rect``; point sizes are corrected for the
    device's resolution so the text is the same size on paper whatever the device. Lines and points go to Qt in
    one call each (PySide6 6.12 on Python 3.11 loses a reference to None on every void call: keep them few).
    """
    width, height = TREND_SIZE
    scale = rect.width() / width   # device pixels per CSS pixel
    w = words(strip.language)

    def font(point_size: float, bold: bool = False) -> QFont:
        return _font(point_size / scale, bold)

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / width, rect.height() / height)
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    left, right, axis = 100.0, 4.0, 12.0
    rows = len(strip.series) + 1
    row_h = (height - axis) / rows
    plot_w = width - left - right
    span_s = max(1.0, (strip.end - strip.start).total_seconds())

    def x_of(at: datetime) -> float:
        return left + plot_w * (at - strip.start).total_seconds() / span_s

    small = font(5.5)
    label = font(6.0, bold=True)
    for index, series in enumerate(strip.series):
        top = index * row_h
        if index % 2 == 0:
            painter.fillRect(QRectF(left, top, plot_w, row_h), _BAND)
        values = [p.value for p in series.points]
        reference = [series.reference] if series.reference is not None else []
        low = min(values + reference) if values or reference else 0.0
        high = max(values + reference) if values or reference else 1.0
        span = max(high - low, _MIN_SPAN.get(series.key, 1.0))
        middle = (high + low) / 2
        low, high = middle - span * 0.6, middle + span * 0.6

        def y_of(value: float, top: float = top, low: float = low, high: float = high) -> float:
            return top + row_h - (value - low) / (high - low) * row_h

        painter.setPen(_INK)
        painter.setFont(label)
        painter.drawText(QRectF(2, top, left - 6, row_h / 2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         f"{series.label} {series.unit}")
        painter.setFont(small)
        last = w["trend_last"].format(value=f"{values[-1]:g}", low=f"{min(values):g}", high=f"{max(values):g}") \
            if values else w["trend_none"]
        painter.drawText(QRectF(2, top + row_h / 2, left - 6, row_h / 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, last)
        if series.reference is not None:
            y = y_of(series.reference)
            painter.setPen(QPen(_INK, 0.6, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(left, y), QPointF(left + plot_w, y))
            # above the line, but never above its own row (a reference at the top of the range)
            painter.drawText(QRectF(left + 2, max(top, y - 9), 40, 8),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, f"{series.reference:g}")
        if values:
            line = QPolygonF([QPointF(x_of(point.at), y_of(point.value)) for point in series.points])
            painter.setPen(QPen(_INK, 1.0))
            painter.drawPolyline(line)
            painter.setPen(_DOT)
            painter.drawPoints(line)
    # The CRS grade (solid steps, labelled) and the ICANS grade (dashed), 0-4.
    top = (rows - 1) * row_h
    painter.fillRect(QRectF(left, top, plot_w, row_h), _BAND if (rows - 1) % 2 == 0 else QColor("white"))
    painter.setPen(_INK)
    painter.setFont(label)
    painter.drawText(QRectF(2, top, left - 6, row_h / 2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                     w["trend_crs"])
    painter.setFont(small)
    if strip.icans_grade_steps:
        painter.drawText(QRectF(2, top + row_h / 2, left - 6, row_h / 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, w["trend_icans"])

    def grade_y(grade: float) -> float:
        return top + row_h - 2 - grade / 4.0 * (row_h - 6)

    solid, dashed = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine
    for steps, style in ((strip.crs_grade_steps, solid), (strip.icans_grade_steps, dashed)):
        if not steps:
            continue
        corners = []
        for n, step in enumerate(steps):
            x1 = x_of(steps[n + 1].at) if n + 1 < len(steps) else left + plot_w
            corners += [QPointF(x_of(step.at), grade_y(step.value)), QPointF(x1, grade_y(step.value))]
        painter.setPen(QPen(_INK, 1.4 if style == Qt.PenStyle.SolidLine else 0.9, style))
        painter.drawPolyline(QPolygonF(corners))
        if style == Qt.PenStyle.SolidLine:
            for step in steps:
                label_x = min(x_of(step.at) + 1, left + plot_w - 14)
                painter.drawText(QRectF(label_x, grade_y(step.value) - 9, 14, 8), Qt.AlignmentFlag.AlignLeft,
                                 f"G{step.value:g}")
    # Hour grid every 4 hours, labelled in local time.
    painter.setFont(small)
    first_hour = strip.start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    ticks = [first_hour + timedelta(hours=n) for n in range(int(span_s // 3600) + 2)]
    ticks = [t for t in ticks if strip.start <= t <= strip.end and t.hour % 4 == 0]
    painter.setPen(QPen(_GRID, 0.5))
    painter.drawLines([QLineF(x_of(t), 0, x_of(t), height - axis) for t in ticks])
    painter.setPen(_INK)
    for t in ticks:
        painter.drawText(QRectF(x_of(t) - 20, height - axis + 1, 40, axis - 2), Qt.AlignmentFlag.AlignCenter,
                         t.strftime("%H:%M"))
    painter.setPen(QPen(_INK, 0.6))
    painter.drawRect(QRectF(left, 0, plot_w, height - axis))
    painter.setFont(label)
    hours = round((strip.end - strip.start).total_seconds() / 3600)
    painter.drawText(QRectF(2, height - axis, left - 4, axis),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     w["trend_hours"].format(hours=hours))
    painter.restore()


# -- sections and pages -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """One run of pages: its header/footer text, its HTML and the trend strip that goes in it (if any)."""

    frame: PageFrame
    html: str
    trend: TrendStrip | None = None
    frame_tz: tzinfo | None = None


def prepare_sections(handover: Handover) -> list[Section]:
    """The ward summary (for a ward handover) and one section per patient. Safe off the UI thread."""
    info = handover.info
    sections = []
    if handover.include_ward_summary:
        sections.append(Section(page_frame(info, None, ward_count=len(handover.patients),
                                           any_demo=handover.any_demo), ward_html(handover)))
    for h in handover.patients:
        trend = trend_in_unit(h.trend, info.unit) if h.trend is not None else None
        sections.append(Section(page_frame(info, h.patient), patient_html(h, info, TREND_URL, TREND_SIZE), trend,
                                info.tz))
    return sections


def _mm(device: QPagedPaintDevice, mm: float) -> float:
    return mm / 25.4 * device.logicalDpiY()


def _content_rect(device: QPagedPaintDevice) -> QRectF:
    side, top, bottom = _mm(device, MARGIN_SIDE_MM), _mm(device, MARGIN_TOP_MM), _mm(device, MARGIN_BOTTOM_MM)
    return QRectF(side, top, device.width() - 2 * side, device.height() - top - bottom)


def _layout(section: Section, device: QPagedPaintDevice, size: QSizeF) -> tuple[QTextDocument, QRectF | None]:
    """The section's document laid out for the device, and where its trend strip goes (document coordinates)."""
    doc = QTextDocument()
    # Lay the text out for the device itself, so point sizes are true on paper (PLATFORM.md).
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(_font(8))
    if section.trend is not None:
        blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        blank.fill(Qt.GlobalColor.transparent)
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(TREND_URL), blank)
    doc.setPageSize(size)  # before the HTML: set after it, the whole document was laid out twice
    doc.setHtml(section.html)
    doc.pageCount()  # the layout is lazy: finish it before asking where things are
    return doc, (_image_rect(doc, TREND_URL, device.logicalDpiX() / 96.0) if section.trend is not None else None)


def _image_rect(doc: QTextDocument, url: str, scale: float) -> QRectF | None:
    """Where the image ``url`` was laid out, in document coordinates (``scale``: device pixels per CSS pixel)."""
    block = doc.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name() == url:
                image = fmt.toImageFormat()
                layout = block.layout()
                offset = fragment.position() - block.position()
                line = layout.lineForTextPosition(offset)
                if not line.isValid():
                    return None
                x, _ = cast(tuple[float, int], line.cursorToX(offset))   # PySide6's stub says object
                width, height = image.width() * scale, image.height() * scale
                top = layout.position().y() + line.y() + line.ascent() - height
                return QRectF(layout.position().x() + x, top, width, height)
            iterator += 1
        block = block.next()
    return None


def _fit_font(text: str, start: float, smallest: float, width: float, device: QPagedPaintDevice,
              bold: bool = False) -> QFont:
    """The largest font from ``start`` down to ``smallest`` points in which ``text`` fits ``width``."""
    size = start
    while size > smallest:
        font = _font(size, bold)
        if QFontMetricsF(font, device).horizontalAdvance(text) <= width:
            return font
        size -= 0.5
    return _font(smallest, bold)


def _paint_frame(painter: QPainter, device: QPagedPaintDevice, frame: PageFrame, page: int, pages: int) -> None:
    """The header (name and identifiers, never cut: the font shrinks, then the text wraps) and the footer."""
    side = _mm(device, MARGIN_SIDE_MM)
    width = device.width() - 2 * side
    top = _mm(device, HEADER_TOP_MM)
    header_h = _mm(device, MARGIN_TOP_MM) - top - _mm(device, 2)
    wrap = Qt.TextFlag.TextWordWrap
    demo_w = 0.0
    painter.setPen(QColor("black"))
    if frame.demo:
        demo_font = _font(9, bold=True)
        painter.setFont(demo_font)
        metrics = QFontMetricsF(demo_font, device)
        demo_w = metrics.horizontalAdvance(frame.demo_mark) + _mm(device, 4)
        box = QRectF(side + width - demo_w, top, demo_w, metrics.height() + _mm(device, 2))
        painter.setPen(QPen(QColor("black"), _mm(device, 0.5)))
        painter.drawRect(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, frame.demo_mark)
        demo_w += _mm(device, 3)
    name_w = width - demo_w
    name_font = _fit_font(frame.title, 13, 8, name_w, device, bold=True)
    painter.setFont(name_font)
    name_rect = painter.boundingRect(QRectF(side, top, name_w, header_h), int(wrap), frame.title)
    painter.drawText(QRectF(side, top, name_w, name_rect.height()), int(wrap), frame.title)
    ident_font = _fit_font(frame.identifier, 9, 6.5, name_w, device)
    painter.setFont(ident_font)
    ident_top = top + name_rect.height()
    painter.drawText(QRectF(side, ident_top, name_w, header_h - name_rect.height() + _mm(device, 2)), int(wrap),
                     frame.identifier)
    line_y = _mm(device, MARGIN_TOP_MM) - _mm(device, 1.5)
    painter.setPen(QPen(QColor("black"), _mm(device, 0.3)))
    painter.drawLine(QPointF(side, line_y), QPointF(side + width, line_y))
    # Footer.
    foot_top = device.height() - _mm(device, MARGIN_BOTTOM_MM) + _mm(device, FOOTER_GAP_MM) - _mm(device, 1.5)
    painter.drawLine(QPointF(side, foot_top), QPointF(side + width, foot_top))
    page_font = _font(9, bold=True)
    page_text = frame.page_words.format(page=page, pages=pages)
    page_w = QFontMetricsF(page_font, device).horizontalAdvance(page_text) + _mm(device, 2)
    painter.setFont(page_font)
    painter.drawText(QRectF(side + width - page_w, foot_top + _mm(device, 1), page_w, _mm(device, 6)),
                     Qt.AlignmentFlag.AlignRight, page_text)
    painter.setFont(_font(6))
    painter.drawText(QRectF(side, foot_top + _mm(device, 1), width - page_w - _mm(device, 2),
                            _mm(device, MARGIN_BOTTOM_MM) - _mm(device, FOOTER_GAP_MM)), int(wrap),
                     "\n".join(frame.footer))


def paint_handover(sections: Sequence[Section], device: QPagedPaintDevice,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Lay out and paint every section on a PDF writer or printer; return the number of pages.

    Each page is painted by hand: the header and footer, then the page's slice of the section's document,
    translated into the content rectangle (never ``doc.setPageSize(writer.width(), writer.height())``).
    """
    content = _content_rect(device)
    laid_out = [_layout(section, device, content.size()) for section in sections]
    total = sum(doc.pageCount() for doc, _ in laid_out)
    painter = QPainter()
    if not painter.begin(device):
        raise InputError("handover: cannot write to the output (is the file open elsewhere or the folder read-only?)")
    try:
        page = 0
        for number, (section, (doc, trend_rect)) in enumerate(zip(sections, laid_out, strict=False)):
            for index in range(doc.pageCount()):
                if page:
                    device.newPage()
                page += 1
                _paint_frame(painter, device, section.frame, page, total)
                painter.save()
                painter.translate(content.left(), content.top() - index * content.height())
                visible = QRectF(0, index * content.height(), content.width(), content.height())
                doc.drawContents(painter, visible)
                if trend_rect is not None and section.trend is not None and visible.contains(trend_rect.center()):
                    draw_trend_strip(painter, trend_rect, section.trend, section.frame_tz)
                painter.restore()
            if progress is not None:
                progress(number + 1, len(laid_out))
    finally:
        painter.end()
    return total


def _pdf_writer(path: Path) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setResolution(300)
    writer.setTitle(PDF_TITLE)
    writer.setCreator(f"CRS Bedside {__version__}")
    return writer


def render_handover_pdf(handover: Handover, out_path: str | Path,
                        progress: Callable[[int, int], None] | None = None) -> Path:
    """Write a built handover as a PDF (written beside the target, then moved into place: never half a file).

    Raises:
        InputError: the output folder does not exist or cannot be written.
    """
    out = Path(out_path)
    if not out.parent.is_dir():
        raise InputError(f"--pdf: the folder {out.parent} does not exist")
    sections = prepare_sections(handover)
    fd, tmp_name = tempfile.mkstemp(prefix=".handover-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer = _pdf_writer(tmp)
        paint_handover(sections, writer, progress)
        del writer  # flush and close the file
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"--pdf: cannot write {out} ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return out
