"""Handover printing: core's handover HTML laid out with QTextDocument on pages, with a painted header and footer
on every page, to a PDF file, the printer or the print preview; and the headless ``crs-bedside handover`` command.

Every path (command line, main window, self-test) goes through :func:`render_handover_pdf` (or, for the printer
and the preview, the same :func:`paint_handover`), so the PDF from the command line and from the GUI is one
document. Each patient is laid out as its own document so that the page header always names the patient on that
page, and "page x of y" counts the whole handover.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QCoreApplication,
    QLineF,
    QMarginsF,
    QObject,
    QPointF,
    QRectF,
    QRunnable,
    QSizeF,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
    Slot,
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
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core import cli
from core.errors import BedsideError, InputError
from core.handover import (
    SEVERITIES,
    Handover,
    PageFrame,
    TrendStrip,
    apply_severities,
    build_handover,
    page_frame,
    patient_html,
    trend_in_unit,
    ward_html,
)
from core.handover_words import words
from core.security import Permission
from core.services import Bedside, Clock

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
    writer.setCreator(f"CRS Bedside {cli.app_version()}")
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


def write_handover_pdf(bedside: Bedside, out_path: str | Path, mrns: Sequence[str] | None = None,
                       at: datetime | None = None, severities: dict[str, str] | None = None,
                       progress: Callable[[int, int], None] | None = None, language: str = "en",
                       unit: str = "C") -> Path:
    """The handover PDF of the ward (or of ``mrns``) at ``at`` (default: now). Used by the command line, the main
    window and the self-test, so all three make the same document. Needs a QGuiApplication.

    Raises:
        InputError: an unknown MRN, an invalid severity, or an output that cannot be written.
    """
    handover = build_handover(bedside, mrns=mrns, at=at, app_version=cli.app_version(), severities=severities,
                              language=language, unit=unit)
    return render_handover_pdf(handover, out_path, progress)


def run_handover_command(args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """``crs-bedside handover --db PATH --pdf OUT [--patient MRN] [--at TIME] [--language en|es] [--unit c|f]``
    (INTERFACE.md), and with ``--print [--printer NAME]`` to a printer instead of, or as well as, the PDF
    (:func:`print_handover`).

    Exit status 0 when written; 2 for bad input (a missing database, an unknown MRN, a time without an offset, an
    output folder that does not exist), with one plain line on stderr.
    """
    try:
        at = cli.parse_time(args.at) if getattr(args, "at", None) else None
        db = getattr(args, "db", None)
        if db is None:
            raise InputError("--db: the handover command needs --db PATH")
        if not Path(db).is_file():
            raise InputError(f"--db: {db} does not exist")
        # Signed in like every command that reads patient data (--user / $CRS_BEDSIDE_USER and the PIN); a refused
        # sign-in writes nothing.
        bedside = cli.open_bedside(args, create=False, clock=clock)
        try:
            mrns = [bedside.patient(args.patient).mrn] if getattr(args, "patient", None) else None
            if mrns is None:
                bedside.require(Permission.READ)
            # A QApplication (not only a QGuiApplication): a window made later in the same process (tests that
            # run the command in-process, then open the GUI) needs one, and Qt aborts otherwise.
            QApplication.instance() or QApplication([])
            language, unit = getattr(args, "language", "en"), getattr(args, "unit", "c").upper()
            if getattr(args, "printer", None) is not None and not getattr(args, "print", False):
                raise InputError(f"--printer: {args.printer} is used only with --print")
            if getattr(args, "print", False):
                printer = ready_printer(getattr(args, "printer", None))  # before any work: nothing half done
                handover = build_handover(bedside, mrns=mrns, at=at, app_version=cli.app_version(),
                                          language=language, unit=unit)
                if args.pdf is not None:
                    print(f"wrote {render_handover_pdf(handover, args.pdf)}")
                pages = print_handover(handover, printer)
                print(f"sent {pages} page{'' if pages == 1 else 's'} to the printer {printer.printerName()}")
                return cli.EXIT_OK
            if args.pdf is None:
                raise InputError("--pdf: the handover command needs --pdf OUT, --print, or both")
            path = write_handover_pdf(bedside, args.pdf, mrns, at, language=language, unit=unit)
        finally:
            bedside.close()
        print(f"wrote {path}")
        return cli.EXIT_OK
    except Exception as exc:  # one plain line, never a traceback
        return cli.report(exc, sys.stderr)


# -- the main window's API ----------------------------------------------------------------------------------------
_SEVERITY_WORDS = {"stable": "Stable", "watcher": "Watcher", "unstable": "Unstable"}


class SeverityDialog(QDialog):
    """Lets the nurse confirm or change the suggested illness severity of each patient before printing."""

    def __init__(self, handover: Handover, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handover: illness severity"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("The app suggests a severity from the grades and NEWS2. Change it where "
                               "your judgement differs; the page prints your choice and the suggestion."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self._combos: dict[str, QComboBox] = {}
        for h in handover.patients:
            combo = QComboBox()
            for value in SEVERITIES:
                combo.addItem(self.tr(_SEVERITY_WORDS[value]), value)
            combo.setCurrentIndex(SEVERITIES.index(h.severity.selected))
            combo.setAccessibleName(self.tr("Illness severity of %1").replace("%1", h.patient.name))
            suggested = self.tr("suggested: %1").replace("%1", self.tr(_SEVERITY_WORDS[h.severity.suggested]))
            label = QLabel(f"{h.patient.bed or '—'} · {h.patient.name} ({h.patient.mrn}) — {suggested}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(label, combo)
            self._combos[h.patient.mrn] = combo
        scroll_body = QWidget()
        scroll_body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(scroll_body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def severities(self) -> dict[str, str]:
        """The chosen severity of every patient, by MRN."""
        return {mrn: combo.currentData() for mrn, combo in self._combos.items()}


class _WorkerSignals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(int, object)
    failed = Signal(int, str)


class _Worker(QRunnable):
    """Runs one handover job off the UI thread on its own database connection (SQLite connections stay in the
    thread that opened them)."""

    def __init__(self, token: int, job: Callable[[Bedside, Callable[[int, int], None]], object], bedside: Bedside):
        super().__init__()
        self.signals = _WorkerSignals()
        self._token = token
        self._job = job
        self._bedside = bedside

    def run(self) -> None:
        try:
            # The signed-in person's own services on a read-only connection of this thread.
            reader = self._bedside.open_reader()
            try:
                result = self._job(reader, self.signals.progressed.emit)
            finally:
                reader.close()
        except Exception as exc:  # reported to the user in one sentence
            message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            self.signals.failed.emit(self._token, message)
        else:
            self.signals.succeeded.emit(self._token, result)


class HandoverController(QObject):
    """The main window's handover actions: preview, print and save as PDF, for one patient or the whole ward.

    The slow part (folding every patient's records and drawing the pages) runs on a worker thread with progress;
    the nurse confirms the illness severities in :class:`SeverityDialog` before anything is printed.
    """

    progressChanged = Signal(int, int)
    pdfSaved = Signal(str)
    failed = Signal(str)

    def __init__(self, context_or_bedside: object, parent_widget: QWidget | None = None):
        super().__init__(parent_widget)
        self._bedside = cast(Bedside, getattr(context_or_bedside, "bedside", context_or_bedside))
        settings = getattr(context_or_bedside, "settings", None)   # the window's language and unit (issue 14)
        self._words = (settings.language, settings.temperature_unit) if settings is not None else ("en", "C")
        self._parent = parent_widget
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._progress: QProgressDialog | None = None
        self._pending: dict[int, tuple[_Worker, Callable[[object], None]]] = {}
        self._next_token = 0

    # -- public slots -------------------------------------------------------------------------------------------
    @Slot()
    def preview(self, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then open the print preview."""
        self._build(mrns, self._show_preview)

    @Slot()
    def print_(self, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then print it through the print dialog."""
        self._build(mrns, self._print)

    @Slot(str)
    def save_pdf(self, path: str | Path, mrns: Sequence[str] | None = None) -> None:
        """Build the handover, let the nurse confirm severities, then write the PDF off the UI thread
        (``pdfSaved`` with the path when done, ``failed`` with a message otherwise)."""
        self._build(mrns, lambda handover: self._save(handover, Path(path)))

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the worker thread (for tests and for closing the window)."""
        return self._pool.waitForDone(msecs)

    # -- steps --------------------------------------------------------------------------------------------------
    def _start(self, job: Callable[[Bedside, Callable[[int, int], None]], object],
               done: Callable[[object], None], label: str) -> None:
        self._next_token += 1
        worker = _Worker(self._next_token, job, self._bedside)
        worker.setAutoDelete(False)  # kept in self._pending until its result is handled
        self._pending[self._next_token] = (worker, done)
        self._show_progress(label)
        # Bound slots of this UI-thread object: the worker's signals arrive queued on the UI thread.
        worker.signals.progressed.connect(self._on_worker_progressed)
        worker.signals.succeeded.connect(self._on_worker_succeeded)
        worker.signals.failed.connect(self._on_worker_failed)
        self._pool.start(worker)

    def _build(self, mrns: Sequence[str] | None, then: Callable[[Handover], None]) -> None:
        at = self._bedside.clock.now().astimezone()  # shown in the machine's local time (D8)
        version = cli.app_version()
        mrn_list = list(mrns) if mrns is not None else None

        language, unit = self._words

        def job(bedside: Bedside, progress: Callable[[int, int], None]) -> Handover:
            return build_handover(bedside, mrns=mrn_list, at=at, app_version=version, progress=progress,
                                  language=language, unit=unit)

        def built(result: object) -> None:
            dialog = SeverityDialog(result, self._parent)  # type: ignore[arg-type]  # the job's Handover
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            then(apply_severities(result, dialog.severities()))  # type: ignore[arg-type]  # the job's Handover

        self._start(job, built, self.tr("Preparing the handover…"))

    def _save(self, handover: Handover, path: Path) -> None:
        def job(_bedside: Bedside, progress: Callable[[int, int], None]) -> Path:
            return render_handover_pdf(handover, path, progress)

        self._start(job, lambda result: self.pdfSaved.emit(str(result)), self.tr("Writing the handover PDF…"))

    def _sections_then(self, handover: Handover, then: Callable[[list[Section]], None]) -> None:
        def job(_bedside: Bedside, progress: Callable[[int, int], None]) -> list[Section]:
            return prepare_sections(handover)

        self._start(job, then, self.tr("Drawing the handover pages…"))  # type: ignore[arg-type]  # gets the job's list

    def _show_preview(self, handover: Handover) -> None:
        def show(sections: list[Section]) -> None:
            printer = _printer()
            dialog = QPrintPreviewDialog(printer, self._parent)
            dialog.setWindowTitle(self.tr("Handover preview"))
            dialog.paintRequested.connect(lambda device: paint_handover(sections, device))
            dialog.exec()

        self._sections_then(handover, show)

    def _print(self, handover: Handover) -> None:
        def show(sections: list[Section]) -> None:
            try:
                printer = ready_printer(None, any_printer=True)
            except PrinterUnavailable as exc:
                QMessageBox.warning(self._parent, self.tr("Handover"), str(exc))
                return
            dialog = QPrintDialog(printer, self._parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            try:
                print_sections(sections, printer)
            except BedsideError as exc:
                QMessageBox.warning(self._parent, self.tr("Handover"), str(exc))

        self._sections_then(handover, show)

    # -- progress and results -----------------------------------------------------------------------------------
    def _show_progress(self, label: str) -> None:
        if self._progress is None:
            self._progress = QProgressDialog(self._parent)
            self._progress.setCancelButton(None)
            self._progress.setMinimumDuration(300)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setLabelText(label)
        self._progress.setRange(0, 0)
        self._progress.setValue(0)

    @Slot(int, int)
    def _on_worker_progressed(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setRange(0, total)
            self._progress.setValue(done)
        self.progressChanged.emit(done, total)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()

    @Slot(int, object)
    def _on_worker_succeeded(self, token: int, result: object) -> None:
        _worker, done = self._pending.pop(token)
        self._close_progress()
        done(result)

    @Slot(int, str)
    def _on_worker_failed(self, token: int, message: str) -> None:
        self._pending.pop(token, None)
        self._close_progress()
        self.failed.emit(message)
        QMessageBox.warning(self._parent, self.tr("Handover"),
                            self.tr("The handover could not be made: %1").replace("%1", message))


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setDocName(PDF_TITLE)
    return printer


# -- printers -----------------------------------------------------------------------------------------------------
class PrinterUnavailable(BedsideError):
    """The printer cannot take the handover now (none set up, unknown, stopped, or not accepting jobs)."""


class Printers:
    """Translation context of the printer messages (the command line, with no translator installed, prints English)."""

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("Printers", text)


class _CupsOption(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


class _CupsDest(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("instance", ctypes.c_char_p), ("is_default", ctypes.c_int),
                ("num_options", ctypes.c_int), ("options", ctypes.POINTER(_CupsOption))]


@lru_cache(maxsize=1)
def _libcups() -> ctypes.CDLL | None:
    """The system's CUPS library (the one Qt's print plugin uses); ``None`` where there is none (Windows)."""
    name = ctypes.util.find_library("cups")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.cupsGetNamedDest.restype = ctypes.POINTER(_CupsDest)
    lib.cupsGetNamedDest.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.cupsFreeDests.restype = None
    lib.cupsFreeDests.argtypes = [ctypes.c_int, ctypes.POINTER(_CupsDest)]
    return lib


def cups_queue(name: str) -> dict[str, str]:
    """The CUPS attributes of the queue ``name`` (``printer-state``, ``printer-is-accepting-jobs``, ...), as the
    scheduler reports them now; empty where CUPS is not used or does not know the queue."""
    lib = _libcups()
    if lib is None:
        return {}
    dest = lib.cupsGetNamedDest(None, name.encode(), None)
    if not dest:
        return {}
    try:
        options = dest.contents.options
        return {options[i].name.decode(errors="replace"): (options[i].value or b"").decode(errors="replace")
                for i in range(dest.contents.num_options)}
    finally:
        lib.cupsFreeDests(1, dest)


def printer_names() -> list[str]:
    """The printers this computer can print to, as the print dialog lists them."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def check_printer(name: str) -> None:
    """Refuse a queue that would not print now: stopped (CUPS ``printer-state`` 5, paused in the printer settings)
    or not accepting jobs (rejecting). One plain sentence each, naming the printer and what to do."""
    queue = cups_queue(name)
    stopped = queue.get("printer-state") == "5" if queue else \
        QPrinterInfo.printerInfo(name).state() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)
    if queue.get("printer-is-accepting-jobs") == "false":
        raise PrinterUnavailable(Printers.tr(
            "The printer %1 is not accepting jobs, so nothing was printed. Ask IT to let it accept jobs again "
            "(cupsaccept %1), or save the handover as a PDF.").replace("%1", name))
    if stopped:
        raise PrinterUnavailable(Printers.tr(
            "The printer %1 is paused, so nothing was printed. Resume it in the printer settings (cupsenable %1), "
            "or save the handover as a PDF.").replace("%1", name))


def ready_printer(name: str | None, *, any_printer: bool = False) -> QPrinter:
    """A printer set up for the handover (A4, full page): the one named, else the system default (else, with
    ``any_printer``, the first one, for the print dialog to start from). Checks it can print now.

    Raises:
        PrinterUnavailable: no printer is set up, or none is the default, or the printer cannot print now.
        InputError: no printer has that name (exit status 2 on the command line).
    """
    names = printer_names()
    if not names:
        raise PrinterUnavailable(Printers.tr(
            "No printer is set up on this computer, so nothing was printed. Ask IT to add one, or save the "
            "handover as a PDF."))
    if name is None:
        name = QPrinterInfo.defaultPrinterName() or (names[0] if any_printer else None)
        if name is None:
            raise PrinterUnavailable(Printers.tr(
                "No printer is the default on this computer, so nothing was printed. Name one of these with "
                "--printer: %1.").replace("%1", ", ".join(names)))
    elif name not in names:
        raise InputError(Printers.tr(
            "--printer: there is no printer named %1 on this computer, so nothing was printed. The printers "
            "are: %2.").replace("%1", name).replace("%2", ", ".join(names)))
    if not any_printer:
        check_printer(name)
    printer = _printer()
    printer.setPrinterName(name)
    return printer


def print_sections(sections: Sequence[Section], printer: QPrinter,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Paint the handover's pages on ``printer`` (after checking its queue again); the number of pages sent.
    The print dialog's "print to file" is written as the PDF it names."""
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        check_printer(printer.printerName())
    return paint_handover(sections, printer, progress)


def print_handover(handover: Handover, printer: QPrinter,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Send a built handover to a printer from :func:`ready_printer`; the number of pages. The command line's
    ``--print`` and the window's Print both end here (:func:`print_sections`)."""
    return print_sections(prepare_sections(handover), printer, progress)
