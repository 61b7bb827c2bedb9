"""Dialogs as tall as their wrapped text (issue 14): when a dialog is narrower than it asked to be (a small screen,
large text), Qt keeps the height it computed for the wider size and cuts word-wrapped labels. One event filter on
the application gives every dialog, present and future, the height its layout needs at the width it got."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QWidget,
)


class DialogHeightFit(QObject):
    """On a dialog's Show: height = what its layout needs at its width (within the screen)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            fit_height(watched)
        return False


def fit_height(dialog: QDialog) -> None:
    """Grow ``dialog`` to the height its layout needs at its present width (never beyond the screen)."""
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalHeightForWidth(dialog.width())
    screen = dialog.screen().availableGeometry().height() if dialog.screen() is not None else needed
    if needed > dialog.height():
        dialog.resize(dialog.width(), min(needed, screen))


def install(app: QApplication) -> DialogHeightFit:
    """Install the filter on the application (keep the returned object alive)."""
    fit = DialogHeightFit(app)
    app.installEventFilter(fit)
    return fit


#: A zero-width space: where a long word (a file's path) may wrap; it shows nothing and a screen reader skips it.
BREAK = "\u200b"


def breakable_path(path: object) -> str:
    """A file's path that may wrap after each folder separator (a path has no space to wrap at)."""
    return re.sub(r"([/\\])", r"\1" + BREAK, str(path))


def fit_widest_word(label: QLabel, *, whole_lines: bool = False) -> None:
    """A word-wrapped label at least as wide as its widest word (between spaces or ``BREAK``s) — or, with
    ``whole_lines``, its widest line unwrapped — never wider than the screen: the dialog grows to show the whole
    word (or line) instead of cutting it, and wraps it at a ``BREAK`` only when the screen is narrower."""
    text = label.text()
    parts = text.replace(BREAK, "").split("\n") if whole_lines else re.split(rf"[\s{BREAK}]+", text)
    widest = max((label.fontMetrics().horizontalAdvance(part) for part in parts), default=0)
    margins = label.contentsMargins()
    wanted = widest + margins.left() + margins.right() + 2 * label.margin() + 2
    screen = label.screen() or QApplication.primaryScreen()
    if screen is not None:
        wanted = min(wanted, screen.availableGeometry().width() - 48)
    label.setMinimumWidth(max(label.minimumWidth(), wanted))


class VisibleRowsFit(QObject):
    """The rows of a long table as tall as their wrapped text, measured only where they are on screen.

    ``ResizeToContents`` on a table's vertical header measures every row of the model whenever anything changes:
    on a patient with a thousand records that was a second's freeze after each save (bench.py's stall). Here the
    rows in view (and a few beyond) are fitted after each change, scroll or resize, in one pass queued on the event
    loop; a row scrolled into view is fitted before it is painted. Nothing on screen is ever cut (issue 14)."""

    MARGIN_ROWS = 4

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._queued = False
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged,
                       model.layoutChanged):
            signal.connect(self.queue)
        table.verticalScrollBar().valueChanged.connect(self.fit)   # fitted before the newly shown rows paint
        table.horizontalHeader().sectionResized.connect(self.queue)
        table.viewport().installEventFilter(self)
        table.installEventFilter(self)   # a new text size (font) or style changes every row's height

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.queue()
        return False

    def queue(self, *_: object) -> None:
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self.fit)   # with this object as context: dropped if the table goes first

    def fit(self, *_: object) -> None:
        """Fit the rows in view now (a fitted row may pull more rows into view: repeat until none changes)."""
        self._queued = False
        table = self.table
        rows = table.model().rowCount()
        if not rows or not table.isVisible():   # a hidden tab: its rows are fitted when it is shown
            return
        for _attempt in range(8):
            first = max(table.rowAt(0), 0)
            last = table.rowAt(table.viewport().height() - 1)
            last = rows - 1 if last < 0 else last
            changed = False
            for row in range(max(first - self.MARGIN_ROWS, 0), min(last + self.MARGIN_ROWS, rows - 1) + 1):
                before = table.rowHeight(row)
                table.resizeRowToContents(row)
                changed = changed or table.rowHeight(row) != before
            if not changed:
                return


class FormScroll(QScrollArea):
    """A form's fields in a frameless scroll area that asks for the whole form's height: on a screen tall enough the
    dialog shows everything with no scroll bar; on a small one (a 700-px laptop, large text, every message showing)
    the fields scroll and the Save and Cancel buttons below stay on screen."""

    def __init__(self, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.body = body
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # the fields wrap instead
        body.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.body and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self.grow_window)   # a message shown: the form asks for more room
        return False

    def grow_window(self) -> None:
        """Grow the dialog to show the whole form, as far as the screen allows (then the fields scroll)."""
        self.updateGeometry()
        window = self.window()
        needed = window.sizeHint().height()
        screen = window.screen()
        room = screen.availableGeometry().height() if screen is not None else needed
        if window.isVisible() and needed > window.height() and window.height() < room:
            window.resize(window.width(), min(needed, room))

    def sizeHint(self) -> QSize:  # Qt override
        body = self.body
        hint = body.sizeHint()
        width = max(hint.width(), self.viewport().width())
        height = body.heightForWidth(width) if body.hasHeightForWidth() else hint.height()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), max(height, hint.height()))

    def minimumSizeHint(self) -> QSize:  # Qt override
        # as narrow as the fields allow, and at least a few lines tall: the rest scrolls
        return QSize(self.body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width(),
                     self.fontMetrics().height() * 6)
