"""THE one place that maps clinical meaning to colour, shape and words (STYLE.md practice 2, RULES.md §9).

Core returns meaning (grades, risk bands, infusion states, "overdue"); this module alone turns it into a colour
from a colour-blind-safe palette (Okabe–Ito), a shape, a number and words, so that nothing relies on colour
alone. Every :class:`Style` carries a short text, a symbol, a shape for icons and an accessible name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from core.handover_words import duration_text as core_duration_text
from core.services import RecommendationCode as Code
from gui.i18n import QT_TRANSLATE_NOOP, Status

if TYPE_CHECKING:
    from core.state import PatientState

# Okabe & Ito (2008) colour-universal-design palette; each level also has its own shape and number.
GREEN = "#009E73"       # bluish green
YELLOW = "#F0E442"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"      # reddish purple
BLUE = "#0072B2"
SKY = "#56B4E9"
BLACK = "#000000"
GREY = "#BBBBBB"
LIGHT_GREY = "#E4E4E4"
DEMO = ORANGE           # the demo strip
FOCUS = BLUE            # focus frames
# Three visual languages that never share a colour (issue 14): the CRS/ICANS/NEWS2 level takes the Okabe–Ito
# grade colours of LEVELS; timeliness (observations overdue) is a blue band with a warning mark; the infusion state
# is white or grey with its own symbol, and a hold is a hatch pattern with a dashed frame, never a grade's colour.
OVERDUE = BLUE
NEUTRAL = LIGHT_GREY    # a grade or score resting on nothing current: never the reassuring green
HOLD_HATCH = "#777777"  # the hatch lines of a held infusion

#: Level (RULES.md §9: 0 none ... 4 life-threatening, 5 death) -> (background, foreground, shape, symbol).
LEVELS = {
    0: (GREEN, BLACK, "circle", "●"),
    1: (YELLOW, BLACK, "triangle", "▲"),
    2: (ORANGE, BLACK, "diamond", "◆"),
    3: (VERMILLION, BLACK, "square", "■"),
    4: (PURPLE, BLACK, "hexagon", "⬢"),
    5: (BLACK, "#FFFFFF", "cross", "✝"),
}
UNKNOWN = (GREY, BLACK, "ring", "○")

_CRS_TEXT = {
    0: QT_TRANSLATE_NOOP("Status", "No CRS"),
    1: QT_TRANSLATE_NOOP("Status", "CRS grade 1"),
    2: QT_TRANSLATE_NOOP("Status", "CRS grade 2"),
    3: QT_TRANSLATE_NOOP("Status", "CRS grade 3"),
    4: QT_TRANSLATE_NOOP("Status", "CRS grade 4"),
    5: QT_TRANSLATE_NOOP("Status", "CRS grade 5 (death)"),
}
_ICANS_TEXT = {
    0: QT_TRANSLATE_NOOP("Status", "No ICANS"),
    1: QT_TRANSLATE_NOOP("Status", "ICANS grade 1"),
    2: QT_TRANSLATE_NOOP("Status", "ICANS grade 2"),
    3: QT_TRANSLATE_NOOP("Status", "ICANS grade 3"),
    4: QT_TRANSLATE_NOOP("Status", "ICANS grade 4"),
}
#: NEWS2 risk band (RULES.md §4.2) -> (level for colour, words).
_NEWS2 = {
    "low": (0, QT_TRANSLATE_NOOP("Status", "low risk")),
    "low_medium": (1, QT_TRANSLATE_NOOP("Status", "low–medium risk (a red score)")),
    "medium": (2, QT_TRANSLATE_NOOP("Status", "medium risk")),
    "high": (3, QT_TRANSLATE_NOOP("Status", "high risk")),
}
#: Infusion state (INTERFACE.md) -> (background, foreground, shape, symbol, words).
_INFUSION = {
    "not_started": (LIGHT_GREY, BLACK, "ring", "○", QT_TRANSLATE_NOOP("Status", "Not started")),
    "running": (SKY, BLACK, "play", "▶", QT_TRANSLATE_NOOP("Status", "Running")),
    "held": ("#FFFFFF", BLACK, "pause", "❚❚", QT_TRANSLATE_NOOP("Status", "HELD")),
    "between_cycles": (LIGHT_GREY, BLACK, "ring", "○", QT_TRANSLATE_NOOP("Status", "Between cycles")),
    "discontinued": (BLACK, "#FFFFFF", "square", "■", QT_TRANSLATE_NOOP("Status", "Discontinued")),
    "completed": (LIGHT_GREY, BLACK, "circle", "✓", QT_TRANSLATE_NOOP("Status", "Course completed")),
}


@dataclass(frozen=True)
class Style:
    """How one piece of meaning looks: colours, shape, symbol, number, short text and accessible name."""

    background: str
    foreground: str
    shape: str
    symbol: str
    text: str
    accessible: str
    number: str = ""
    level: int | None = None
    # Drawn as a hatch pattern with a dashed frame (a held infusion), not as a colour.
    hatched: bool = False

    @property
    def label(self) -> str:
        """Symbol and text together, e.g. ``◆ CRS grade 2``: readable without the colour."""
        return f"{self.symbol} {self.text}"

    def icon(self, size: int = 24) -> QIcon:
        """The shape, filled with the colour and outlined, with the number inside."""
        return QIcon(shape_pixmap(self.shape, self.background, self.foreground, self.number, size))

    def sheet(self, bold: bool = True) -> str:
        """A style sheet for a chip label in this style (colours and border only: fonts follow the system)."""
        weight = "font-weight: bold;" if bold else ""
        border = "2px dashed #000000" if self.hatched else "1px solid #333333"
        return (f"background-color: {self.background}; color: {self.foreground}; {weight}"
                f"border: {border}; border-radius: 4px; padding: 2px 6px;")

    def brush(self) -> QBrush:
        """The background of a table cell in this style: the colour, or the hatch of a held infusion."""
        if self.hatched:
            return QBrush(QColor(HOLD_HATCH), Qt.BrushStyle.BDiagPattern)
        return QBrush(QColor(self.background))


def level_colours(level: int | None) -> tuple[str, str, str, str]:
    """(background, foreground, shape, symbol) of a level 0–5; grey ring when unknown."""
    return LEVELS.get(level, UNKNOWN) if level is not None else UNKNOWN


def crs_style(grade: int | None, *, at_least: bool = False) -> Style:
    """The CRS grade (D1: the grade acted on)."""
    bg, fg, shape, symbol = level_colours(grade)
    if grade is None:
        text = Status.tr("CRS not assessed")
        return Style(bg, fg, shape, symbol, text, text, "?", None)
    text = Status.tr(_CRS_TEXT[grade])
    if at_least:
        text = Status.tr("%1 or higher").replace("%1", text)
    accessible = Status.tr("CRS: %1").replace("%1", text)
    return Style(bg, fg, shape, symbol, text, accessible, str(grade), grade)


def not_current_style(base: Style, note: str) -> Style:
    """``base`` (a grade or score) when it rests on no current vital signs or the observations are overdue: neutral
    grey, never the level's colour, with ``note`` saying why (INTERFACE.md ``crs.stale``; issue 14)."""
    text = f"{base.text}\n{note}"      # the note on its own line: a narrow column wraps it, never cuts it
    return Style(NEUTRAL, BLACK, "ring", "○", text, f"{base.accessible} – {note}", base.number, None)


def stale_crs_style(grade: int, last_set: str | None) -> Style:
    """A CRS grade resting on no temperature or systolic BP inside the look-back window (INTERFACE.md
    ``crs.stale``): neutral, with the time of the last set (``None``: never any)."""
    if last_set is None:
        return not_current_style(crs_style(None), Status.tr("no vital signs recorded"))
    base = crs_style(grade) if grade else Style(NEUTRAL, BLACK, "ring", "○", Status.tr("CRS unknown"),
                                                Status.tr("CRS unknown"), "?", None)
    return not_current_style(base, Status.tr("no current vital signs (last set %1)").replace("%1", last_set))


def overdue_note(last_set: str) -> str:
    """The overdue mark beside a reassuring grade or score: ``⚠ observations overdue (last set 08:00)``."""
    return "⚠ " + Status.tr("observations overdue (last set %1)").replace("%1", last_set)


def icans_style(grade: int | None) -> Style:
    """The ICANS grade (RULES.md §2); ``None`` when no ICE assessment is recorded."""
    bg, fg, shape, symbol = level_colours(grade)
    if grade is None:
        text = Status.tr("ICANS not assessed")
        return Style(LIGHT_GREY, fg, shape, symbol, text, text, "–", None)
    text = Status.tr(_ICANS_TEXT[grade])
    return Style(bg, fg, shape, symbol, text, Status.tr("ICANS: %1").replace("%1", text), str(grade), grade)


def news2_style(score: int | None, risk: str | None, complete: bool) -> Style:
    """NEWS2 score and risk band (RULES.md §4.2); an incomplete set has no score (R-NEWS-1)."""
    if not complete or score is None or risk is None:
        text = Status.tr("NEWS2 incomplete")
        return Style(LIGHT_GREY, BLACK, "ring", "○", text, Status.tr("NEWS2: no score, the set is incomplete"), "–")
    level, words = _NEWS2[risk]
    bg, fg, shape, symbol = level_colours(level)
    text = Status.tr("NEWS2 %1, %2").replace("%1", str(score)).replace("%2", Status.tr(words))
    return Style(bg, fg, shape, symbol, text, text, str(score), level)


def news2_risk_words(risk: str) -> str:
    """The words of a NEWS2 risk band."""
    return Status.tr(_NEWS2[risk][1])


def infusion_style(state: str) -> Style:
    """The infusion state (INTERFACE.md ``infusion.state``)."""
    bg, fg, shape, symbol, words = _INFUSION[state]
    text = Status.tr(words)
    return Style(bg, fg, shape, symbol, text, Status.tr("Infusion: %1").replace("%1", text), hatched=state == "held")


def overdue_style(minutes_late: int) -> Style:
    """Observations overdue by ``minutes_late`` minutes: stands out in the timeliness blue (never a grade's colour),
    with a warning sign and words."""
    text = Status.tr("OVERDUE by %1").replace("%1", duration_text(minutes_late))
    return Style(OVERDUE, "#FFFFFF", "warning", "⚠", text, Status.tr("Observations %1").replace("%1", text))


def due_style(minutes_left: int) -> Style:
    """Observations due in ``minutes_left`` minutes (not yet overdue)."""
    text = Status.tr("due in %1").replace("%1", duration_text(minutes_left))
    return Style("#FFFFFF", BLACK, "clock", "◷", text, Status.tr("Observations %1").replace("%1", text))


#: Hold clocks (core.regimen.hold_clocks codes) -> words ahead (%1 the time, %2 the time left) and once passed.
_CLOCKS = {
    "premedication_on_restart": (QT_TRANSLATE_NOOP("Status", "restart needs premedication from %1 (in %2)"),
                                 QT_TRANSLATE_NOOP("Status", "restart needs premedication (hold longer than %1)")),
    "new_cycle": (QT_TRANSLATE_NOOP("Status", "new cycle after %1 (in %2)"),
                  QT_TRANSLATE_NOOP("Status", "new cycle required (limit passed %1)")),
    "discontinuation_review": (QT_TRANSLATE_NOOP("Status", "review after %1 (in %2)"),
                               QT_TRANSLATE_NOOP("Status", "discontinuation review due (limit passed %1)")),
}
_CLOCK_BADGES = {
    "premedication_on_restart": QT_TRANSLATE_NOOP("Status", "premedication needed in %1"),
    "new_cycle": QT_TRANSLATE_NOOP("Status", "new cycle in %1"),
    "discontinuation_review": QT_TRANSLATE_NOOP("Status", "discontinuation review in %1"),
}
CLOCK_SYMBOL = "◴"   # a clock face the shipped fonts have (⏱ is missing from DejaVu Sans)


def clock_text(code: str, passed: bool, when: str, minutes_left: int, passed_detail: str = "") -> str:
    """A hold clock in words: ``new cycle after 18 Jan 10:15 (in 3 h 46 min)`` or, once passed, ``new cycle
    required (limit passed 18 Jan 10:15)``; the premedication clock says the hold length (``passed_detail``)."""
    ahead, behind = _CLOCKS[code]
    if passed:
        return Status.tr(behind).replace("%1", passed_detail or when)
    return Status.tr(ahead).replace("%1", when).replace("%2", duration_text(minutes_left))


def clock_badge(code: str, minutes_left: int) -> str:
    """The ward list's countdown badge of a hold clock inside the warning window: ``◴ new cycle in 3 h 46 min``."""
    return f"{CLOCK_SYMBOL} " + Status.tr(_CLOCK_BADGES[code]).replace("%1", duration_text(minutes_left))


def demo_style() -> Style:
    """The demo ward: unmistakable on every screen."""
    text = Status.tr("DEMO WARD – synthetic patients, not for clinical use")
    return Style(DEMO, BLACK, "warning", "⚠", text, text)


def tampered_style() -> Style:
    """The database's audit chain is broken (opened on purpose): stays in the status bar while the file is open."""
    text = Status.tr("CHANGED OUTSIDE THE APP – check figures against the chart; call clinic IT")
    return Style(VERMILLION, BLACK, "warning", "⚠", text,
                 Status.tr("Warning: this database was changed outside CRS Bedside"))


def unprotected_style() -> Style:
    """A database without accounts (open mode): in clear on the disk, readable by anyone who has the file."""
    text = Status.tr("UNPROTECTED FILE – not encrypted")
    return Style("#FFFFFF", BLACK, "warning", "⚠", text,
                 Status.tr("Warning: this database is not encrypted and anyone with the file can read it"))


def backup_failed_style() -> Style:
    """The last scheduled backup failed (the reason is in the tooltip)."""
    text = Status.tr("BACKUP FAILED – see the reason; tell clinic IT")
    return Style(VERMILLION, BLACK, "warning", "⚠", text, Status.tr("Warning: the last backup failed"))


def scales_differ_style() -> Style:
    """The "scales differ" badge (D1)."""
    text = Status.tr("Scales differ")
    return Style("#FFFFFF", BLACK, "warning", "≠", text, Status.tr("The two CRS scales give different grades"))


def duration_text(minutes: int) -> str:
    """A time gone or left, in whole minutes, as core writes it in both languages (one formatter for the window and
    the handover: core.handover_words.duration_text); never negative."""
    return core_duration_text(max(0, int(minutes)) / 60)


def acuity_key(state: PatientState) -> tuple:
    """Sort key, most acute first when sorted descending.

    Orders by core's status level (RULES.md §9), then by the values core gives: CRS grade, ICANS grade, NEWS2
    score, observations overdue. No threshold lives here.
    """
    level = state.status_level.level
    crs = state.crs.grade
    icans = state.icans.grade if state.icans.grade is not None else -1
    news = state.news2.score if state.news2.score is not None else -1
    return (level, crs, icans, news, bool(state.overdue))


def _polygon(points: list[tuple[float, float]], rect: QRectF) -> QPolygonF:
    return QPolygonF([QPointF(rect.left() + x * rect.width(), rect.top() + y * rect.height()) for x, y in points])


@lru_cache(maxsize=256)
def shape_pixmap(shape: str, background: str, foreground: str, number: str, size: int) -> QPixmap:
    """Draw one status shape (cached): filled with the colour, outlined dark, the number inside."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    painter.setPen(QPen(QColor("#222222"), 1.5))
    painter.setBrush(QBrush(QColor(background)))
    path = QPainterPath()
    if shape == "circle" or shape == "ring" or shape == "clock":
        path.addEllipse(rect)
    elif shape == "triangle":
        path.addPolygon(_polygon([(0.5, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.0)], rect))
    elif shape == "diamond":
        path.addPolygon(_polygon([(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5), (0.5, 0.0)], rect))
    elif shape == "hexagon":
        path.addPolygon(_polygon([(0.25, 0.0), (0.75, 0.0), (1.0, 0.5), (0.75, 1.0), (0.25, 1.0), (0.0, 0.5),
                                  (0.25, 0.0)], rect))
    elif shape == "warning":
        path.addPolygon(_polygon([(0.5, 0.0), (1.0, 0.95), (0.0, 0.95), (0.5, 0.0)], rect))
    elif shape == "play":
        path.addPolygon(_polygon([(0.1, 0.0), (1.0, 0.5), (0.1, 1.0), (0.1, 0.0)], rect))
    elif shape == "pause":
        path.addRect(QRectF(rect.left(), rect.top(), rect.width() * 0.38, rect.height()))
        path.addRect(QRectF(rect.left() + rect.width() * 0.62, rect.top(), rect.width() * 0.38, rect.height()))
    else:  # square, cross
        path.addRect(rect)
    painter.drawPath(path)
    if shape == "cross":
        painter.setPen(QPen(QColor(foreground), max(2.0, size / 8)))
        painter.drawLine(QPointF(size / 2, size * 0.18), QPointF(size / 2, size * 0.82))
        painter.drawLine(QPointF(size * 0.28, size * 0.38), QPointF(size * 0.72, size * 0.38))
    elif number:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(6, int(size * (0.5 if shape == "triangle" else 0.6))))  # scales with the icon itself
        painter.setFont(font)
        painter.setPen(QColor(foreground))
        text_rect = QRectF(rect)
        if shape == "triangle":
            text_rect.setTop(rect.top() + rect.height() * 0.3)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, number)
    painter.end()
    return pixmap


# -- the infusion panel ----------------------------------------------------------------------------------------

#: Infusion prompts (core recommendation codes) -> (background, foreground, shape, symbol, short words). The panel
#: shows core's sentence beside the chip; the chip says what kind of prompt it is without relying on the colour.
_INFUSION_ALERTS: dict[str, tuple[str, str, str, str, str]] = {
    Code.DISCONTINUE_PERMANENTLY: (PURPLE, BLACK, "hexagon", "⬢", QT_TRANSLATE_NOOP("Status", "Discontinue")),
    Code.INTERRUPT_INFUSION: (VERMILLION, BLACK, "square", "■", QT_TRANSLATE_NOOP("Status", "Interrupt")),
    Code.DISCONTINUATION_REVIEW: (VERMILLION, BLACK, "square", "■",
                                  QT_TRANSLATE_NOOP("Status", "Discontinuation review")),
    Code.NEW_CYCLE_REQUIRED: (ORANGE, BLACK, "diamond", "◆", QT_TRANSLATE_NOOP("Status", "New cycle required")),
    Code.NEW_CYCLE_BOUNDARY: (ORANGE, BLACK, "warning", "⚠", QT_TRANSLATE_NOOP("Status", "Near the new-cycle limit")),
    Code.RECURRENCE_REVIEW: (ORANGE, BLACK, "diamond", "◆", QT_TRANSLATE_NOOP("Status", "Step-up suppressed")),
    Code.DOSE_MISMATCH: (VERMILLION, BLACK, "warning", "⚠", QT_TRANSLATE_NOOP("Status", "Dose differs")),
    Code.GIVE_PREMEDICATION: (YELLOW, BLACK, "triangle", "▲", QT_TRANSLATE_NOOP("Status", "Premedication due")),
    Code.PREMEDICATION_TIMING: (YELLOW, BLACK, "warning", "⚠", QT_TRANSLATE_NOOP("Status", "Premedication timing")),
    Code.STEP_UP_DUE: (SKY, BLACK, "play", "⬆", QT_TRANSLATE_NOOP("Status", "Step-up due")),
    Code.CYCLE_INFUSION_COMPLETE: (GREEN, BLACK, "circle", "✓", QT_TRANSLATE_NOOP("Status", "Cycle infusion complete")),
    Code.RESTART_ELIGIBLE: (GREEN, BLACK, "play", "▶", QT_TRANSLATE_NOOP("Status", "Restart eligible")),
    Code.BAG_CHANGE_DUE: (SKY, BLACK, "clock", "◷", QT_TRANSLATE_NOOP("Status", "Bag change due")),
}
INFUSION_ALERT_CODES = frozenset(_INFUSION_ALERTS)


def infusion_alert_style(code: str) -> Style:
    """An infusion prompt (a core recommendation code of :data:`INFUSION_ALERT_CODES`)."""
    bg, fg, shape, symbol, words = _INFUSION_ALERTS[code]
    text = Status.tr(words)
    return Style(bg, fg, shape, symbol, text, Status.tr("Infusion prompt: %1").replace("%1", text))


@dataclass(frozen=True)
class MarkStyle:
    """How one kind of thing is drawn on the infusion timeline: fill, hatch, outline, symbol and legend words."""

    fill: str
    pattern: Qt.BrushStyle
    outline: str
    symbol: str
    text: str


#: Timeline element -> (fill, hatch, outline, symbol, legend words). Holds are hatched and the stretches differ in
#: pattern as well as colour; point events differ in symbol.
_TIMELINE = {
    "running": (SKY, Qt.BrushStyle.SolidPattern, BLACK, "▶", QT_TRANSLATE_NOOP("Status", "Running (dose per day)")),
    "held": (HOLD_HATCH, Qt.BrushStyle.BDiagPattern, BLACK, "❚❚", QT_TRANSLATE_NOOP("Status", "Held (reason)")),
    "between_cycles": (GREY, Qt.BrushStyle.Dense6Pattern, BLACK, "○", QT_TRANSLATE_NOOP("Status", "Between cycles")),
    "discontinued": (BLACK, Qt.BrushStyle.DiagCrossPattern, BLACK, "■", QT_TRANSLATE_NOOP("Status", "Discontinued")),
    "bag_changed": (BLUE, Qt.BrushStyle.SolidPattern, BLACK, "▮", QT_TRANSLATE_NOOP("Status", "Bag change")),
    "dose_step": (BLACK, Qt.BrushStyle.SolidPattern, BLACK, "▲", QT_TRANSLATE_NOOP("Status", "Dose step")),
    "premedication": (PURPLE, Qt.BrushStyle.SolidPattern, BLACK, "◆", QT_TRANSLATE_NOOP("Status", "Premedication")),
    "crs_episode": (ORANGE, Qt.BrushStyle.SolidPattern, BLACK, "◆", QT_TRANSLATE_NOOP("Status", "CRS episode (grade)")),
    "now": (VERMILLION, Qt.BrushStyle.SolidPattern, VERMILLION, "│", QT_TRANSLATE_NOOP("Status", "Now")),
    "limit": (BLACK, Qt.BrushStyle.NoBrush, BLACK, "┆", QT_TRANSLATE_NOOP("Status", "Hold limits (new cycle, review)")),
}
TIMELINE_KINDS = tuple(_TIMELINE)


def timeline_style(kind: str, crs_grade: int | None = None) -> MarkStyle:
    """The look of a timeline element; a CRS episode takes the colour of its grade (its text says the grade)."""
    fill, pattern, outline, symbol, words = _TIMELINE[kind]
    if kind == "crs_episode" and crs_grade is not None:
        fill, _, _, symbol = level_colours(crs_grade)
    return MarkStyle(fill, pattern, outline, symbol, Status.tr(words))
