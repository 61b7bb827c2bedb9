"""A generic walker that finds text that does not fit: every visible label, button, message and table cell of any
top-level widget is compared with its room (issue 14). Add a new screen or dialog to tests/gui/test_no_clipping.py by
one line; nothing here knows the app's widgets.

What counts as not fitting:
- a label without word wrap whose widest line is wider than its contents rect, or whose lines are taller;
- a word-wrapped label whose ``heightForWidth`` at its width is more than its height, or with one word wider than
  the label (a word cannot wrap);
- a rich-text label (lists, bold) laid out by QTextDocument at the label's width that is taller or wider;
- a button whose text (with its icon and the style's margins) is wider than the button;
- a table cell or header section whose text is wider than the cell's room (the view would elide it with "…"), or
  taller once wrapped; only cells inside the viewport (the others are scrolled away, not cut).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QIcon, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

#: Pixels of slack for rounding in font metrics (fractional advances are summed differently by the layout).
SLACK = 1


@dataclass(frozen=True)
class Clipped:
    """One text that does not fit: where, what, how much room it has and how much it needs."""

    where: str
    text: str
    room: QSize
    needed: QSize

    def __str__(self) -> str:
        return (f"{self.where}: {self.text!r} needs {self.needed.width()}×{self.needed.height()} "
                f"in {self.room.width()}×{self.room.height()}")


def _name(widget: QWidget) -> str:
    parts = []
    w: QWidget | None = widget
    while w is not None and len(parts) < 3:
        parts.append(w.objectName() or w.accessibleName() or type(w).__name__)
        w = w.parentWidget()
    return " < ".join(parts)


def _plain(text: str) -> str:
    """A button's or buddy label's text without its mnemonic ampersands (``&&`` is a literal ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _words(text: str) -> list[str]:
    """What cannot wrap: the text between spaces and zero-width spaces (where a file's path may wrap)."""
    return re.split(r"[\s\u200b]+", text)


def _lines_size(fm: QFontMetrics, text: str) -> QSize:
    lines = text.split("\n")
    return QSize(max(fm.horizontalAdvance(line) for line in lines), fm.lineSpacing() * (len(lines) - 1) + fm.height())


def _rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText:
        return True
    return fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text())


def _label(label: QLabel) -> Clipped | None:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if label.indent() > 0:
        room.adjust(label.indent(), 0, 0, 0)
    fm = label.fontMetrics()
    if _rich(label):
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(room.width())
        needed = QSize(int(doc.idealWidth()) if label.wordWrap() else int(doc.size().width()),
                       int(doc.size().height()))
        if needed.width() > room.width() + SLACK or needed.height() > room.height() + SLACK:
            return Clipped(_name(label), doc.toPlainText(), room.size(), needed)
        return None
    if label.buddy() is not None:
        text = _plain(text)
    if label.wordWrap():
        widest_word = max((fm.horizontalAdvance(word) for word in _words(text)), default=0)
        height = label.heightForWidth(label.width())
        if height > label.height() + SLACK or widest_word > room.width() + SLACK:
            return Clipped(_name(label), text, label.size(), QSize(widest_word, height))
        return None
    needed = _lines_size(fm, text)
    if needed.width() > room.width() + SLACK or needed.height() > room.height() + SLACK:
        return Clipped(_name(label), text, room.size(), needed)
    return None


def _button(button: QAbstractButton) -> Clipped | None:
    text = _plain(button.text())
    if not text.strip():
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        needed = button.sizeHint()
        if needed.width() > button.width() + SLACK:
            return Clipped(_name(button), text, button.size(), needed)
        return None
    fm = button.fontMetrics()
    size = _lines_size(fm, text)
    icon = button.icon()
    if isinstance(icon, QIcon) and not icon.isNull():
        size.setWidth(size.width() + button.iconSize().width() + 4)
    style = button.style()
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        # the style's own margins, padding and border (the app's style sheet included)
        needed = style.sizeFromContents(QStyle.ContentsType.CT_PushButton, option, size, button)
        if button.menu() is not None:
            needed.setWidth(needed.width() + style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option,
                                                                button))
    elif isinstance(button, QToolButton):
        needed = QSize(size.width() + 6, size.height())
    else:
        needed = size
    if needed.width() > button.width() + SLACK:
        return Clipped(_name(button), text, button.size(), needed)
    return None


def _combo(combo: QComboBox) -> Clipped | None:
    text = combo.currentText()
    if not text.strip() or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    needed = combo.fontMetrics().horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        needed += combo.iconSize().width() + 4
    if needed > field.width() + SLACK:
        return Clipped(_name(combo), text, field.size(), QSize(needed, field.height()))
    return None


def _cell_problem(view: QAbstractItemView, index: QModelIndex, rect: QRect, where: str) -> Clipped | None:
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if text is None or not str(text).strip():
        return None
    text = str(text)
    # The rectangle the delegate draws the text in, as the style lays the cell out (icon, margins, font).
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = rect
    delegate = view.itemDelegateForIndex(index)
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    style = view.style()
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    width = room.width() - 2 * margin
    fm = QFontMetrics(option.font)
    if option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
        widest_word = max((fm.horizontalAdvance(word) for word in text.split()), default=0)
        height = fm.boundingRect(QRect(0, 0, max(1, width), 100_000), Qt.TextFlag.TextWordWrap, text).height()
        if widest_word > width + SLACK or height > room.height() + SLACK:
            return Clipped(where, text, QSize(width, room.height()), QSize(widest_word, height))
        return None
    needed = _lines_size(fm, text)
    if needed.width() > width + SLACK or needed.height() > room.height() + SLACK:
        return Clipped(where, text, QSize(width, room.height()), needed)
    return None


def _view(view: QAbstractItemView) -> list[Clipped]:
    model = view.model()
    if model is None:
        return []
    found = []
    viewport = view.viewport().rect()
    columns = 1 if isinstance(view, QListView) else model.columnCount()   # a list's model hides its columnCount
    for row in range(model.rowCount()):
        for column in range(columns):
            index = model.index(row, column)
            rect = view.visualRect(index)
            if rect.isEmpty() or not viewport.contains(rect):
                continue   # scrolled away (or partly): the view scrolls, nothing is cut
            problem = _cell_problem(view, index, rect, f"{_name(view)} cell ({row}, {column})")
            if problem is not None:
                found.append(problem)
    if isinstance(view, QTableView) and view.horizontalHeader().isVisible():
        found += _header(view.horizontalHeader(), model)
    return found


def _header(header: QHeaderView, model) -> list[Clipped]:
    found = []
    fm = header.fontMetrics()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        x = header.sectionViewportPosition(section)
        size = header.sectionSize(section)
        if x < 0 or x + size > header.viewport().width():
            continue
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        lines = _lines_size(fm, str(text))          # a heading on two lines is as wide as its wider line
        needed = lines.width() + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        if needed > size + SLACK or lines.height() > header.height():
            found.append(Clipped(f"{_name(header)} header {section}", str(text), QSize(size, header.height()),
                                 QSize(needed, lines.height())))
    return found


def clipped_texts(top: QWidget) -> list[Clipped]:
    """Every visible text of ``top`` (and its children) that does not fit its room."""
    found: list[Clipped] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        if isinstance(widget, QLabel):
            problem = _label(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button(widget)
        elif isinstance(widget, QComboBox):
            problem = _combo(widget)
        elif isinstance(widget, QAbstractItemView):
            found += _view(widget)
            continue
        else:
            continue
        if problem is not None:
            found.append(problem)
    return found
