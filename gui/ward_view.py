"""The ward list: one row per patient, most acute first, overdue observations standing out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.state import PatientState
from gui import fit
from gui import status_style as ss
from gui.context import AppContext
from gui.i18n import Round
from gui.lazy import RefreshWhenSeen
from gui.record_text import local_time
from gui.ward_model import (
    COL_ACTIONS,
    COL_BED,
    COL_CRS,
    COL_ICANS,
    COL_INFUSION,
    COL_NAME,
    COL_NEWS2,
    COL_NEXT_OBS,
    MRN_ROLE,
    WardProxyModel,
    WardTableModel,
)

# The columns and roles are the model's (gui/ward_model.py); tests and pages read them from here too.
__all__ = ["COL_ACTIONS", "COL_BED", "COL_CRS", "COL_ICANS", "COL_INFUSION", "COL_NAME", "COL_NEWS2", "COL_NEXT_OBS",
           "MRN_ROLE", "REFRESH_MS", "RESIZE_PRECISION_ROWS", "StatusCellDelegate", "WardView", "read_only_table"]

REFRESH_MS = 30_000


def read_only_table(model: Any, accessible_name: str) -> QTableView:
    """A keyboard-friendly, read-only table of whole rows (Tab leaves the table; arrows move in it)."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Size columns from the rows around the visible ones, not all of them: a patient's records list holds
    # thousands of rows, and measuring each one on every refresh made recording vitals slow (build_scripts/bench.py).
    table.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION_ROWS)
    return table


#: How many rows a table measures to size its columns (QHeaderView.setResizeContentsPrecision).
RESIZE_PRECISION_ROWS = 60


_NOT_SELECTED = ~QStyle.StateFlag.State_Selected


class StatusCellDelegate(QStyledItemDelegate):
    """Keeps the status colours on the selected row and shows the selection as a thick frame instead."""

    #: Size hints kept (a ward's cells in a few widths); the oldest half is dropped beyond this.
    SIZE_CACHE = 4096

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._sizes: dict[tuple[Any, ...], QSize] = {}

    # paint() and a thin sizeHint() only: sizing the columns asks for every cell's size hint, and a Python
    # initStyleOption() on that path made the ward slow to open (build_scripts/bench.py).
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # A cell's size follows from its words, font and icon at the column's width: measured once for each (the
        # rows in view are fitted after every minute refresh, where one cell of a row changes, not eight).
        font = index.data(Qt.ItemDataRole.FontRole)
        key = (index.data(Qt.ItemDataRole.DisplayRole), font.key() if isinstance(font, QFont) else None,
               index.data(Qt.ItemDataRole.DecorationRole) is not None, option.rect.width(), option.font.key(),
               option.decorationSize.width(), option.decorationSize.height())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= self.SIZE_CACHE:
                for old in list(self._sizes)[:self.SIZE_CACHE // 2]:
                    del self._sizes[old]
            # room above and below the wrapped text for the selection frame (3 px), so no line touches it
            size = self._sizes[key] = super().sizeHint(option, index) + QSize(0, 8)
        return QSize(size)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected and index.data(Qt.ItemDataRole.BackgroundRole) is None:
            painter.fillRect(option.rect, QColor("#D6E9F8"))
        if not selected:
            super().paint(painter, option, index)
            return
        painter.fillRect(option.rect, QColor("#FFFFFF"))   # under a hatch (a held infusion), not the selection
        unselected = QStyleOptionViewItem(option)
        unselected.state &= _NOT_SELECTED          # the cell keeps its status colours ...
        super().paint(painter, unselected, index)
        painter.save()
        painter.setPen(QPen(QColor(ss.FOCUS), 3))
        r = option.rect.adjusted(1, 1, -1, -2)
        painter.drawLine(r.topLeft(), r.topRight())
        painter.drawLine(r.bottomLeft(), r.bottomRight())
        if index.column() == 0:
            painter.drawLine(r.topLeft(), r.bottomLeft())
        if index.column() == index.model().columnCount() - 1:
            painter.drawLine(r.topRight(), r.bottomRight())
        painter.restore()


class WardView(RefreshWhenSeen, QWidget):
    """The ward page: a filter by ward, the patient table, a count line; Enter opens the patient."""

    patientActivated = Signal(str)
    admitRequested = Signal()       # the empty ward's own buttons (issue 13)
    importRequested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = WardTableModel(self, ctx.bedside.protocol)
        self._reading = 0        # the ward's states read so far: only the newest are shown
        self.proxy = WardProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.ward_filter = QComboBox()
        self.ward_filter.setAccessibleName(self.tr("Show ward"))
        self.ward_filter.currentIndexChanged.connect(self._on_ward_filter_changed)
        ward_label = QLabel(self.tr("&Ward:"))
        ward_label.setBuddy(self.ward_filter)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Ward summary"))
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the ward"))
        self.refresh_button.clicked.connect(self.refresh)

        self.table = read_only_table(self.proxy, self.tr("Patients on the ward, most acute first"))
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)
        self.table.setItemDelegate(StatusCellDelegate(self.table))
        icon = int(self.fontMetrics().height() * 1.5)
        self.table.setIconSize(QSize(icon, icon))
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 3.4))
        # each row as tall as its wrapped pending actions and hold badges (nothing cut), measured once per change
        # (ResizeToContents measured every cell again at each layout pass: 4,770 size hints, 0.9 s, at start-up)
        self.row_fit = fit.VisibleRowsFit(self.table)
        header = self.table.horizontalHeader()
        # the pending actions take the room left, never less than their heading (then the list scrolls sideways)
        header.setSectionResizeMode(COL_ACTIONS, QHeaderView.ResizeMode.Interactive)
        # Columns of a set width whose words wrap (rows grow to fit): the list fits a 1024-pixel window with room
        # for the pending actions, in Spanish too, instead of one long cell pushing the rest out of sight.
        chars = self.fontMetrics().averageCharWidth()
        for column, width in ((COL_NAME, 18), (COL_CRS, 18), (COL_ICANS, 14), (COL_NEWS2, 16), (COL_INFUSION, 26),
                              (COL_NEXT_OBS, 16)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            width = chars * width + (icon if column in (COL_CRS, COL_ICANS, COL_NEWS2, COL_INFUSION) else 0)
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))   # the heading fits
        header.setMinimumSectionSize(chars * 6)
        # rows follow a column the nurse widens or narrows (wrapped text needs more or fewer lines)
        header.sectionResized.connect(self._on_header_section_resized)
        self.table.sortByColumn(COL_CRS, Qt.SortOrder.DescendingOrder)
        self.table.activated.connect(self._on_table_activated)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)

        # Issue 13: a wristband scanner types like a keyboard: the MRN and Enter open the patient.
        self.mrn_edit = QLineEdit()
        self.mrn_edit.setAccessibleName(Round.tr("MRN (type or scan)"))
        self.mrn_edit.setPlaceholderText(Round.tr("type or scan, then Enter"))
        self.mrn_edit.setMinimumWidth(self.mrn_edit.fontMetrics().horizontalAdvance(
            self.mrn_edit.placeholderText()) + 3 * self.mrn_edit.fontMetrics().averageCharWidth())
        self.mrn_edit.returnPressed.connect(self._on_mrn_edit_return_pressed)
        mrn_label = QLabel(Round.tr("&MRN:"))
        mrn_label.setBuddy(self.mrn_edit)
        self.mrn_message = QLabel()
        self.mrn_message.setAccessibleName(Round.tr("MRN message"))
        self.mrn_message.hide()
        self.table.installEventFilter(self)
        self.empty_hint = QLabel(Round.tr(
            "No patients on the ward yet. Patient → Admit… (Ctrl+N) admits one; File → Import… (Ctrl+Shift+I) "
            "reads a file from another system (the same as the command crs-bedside import)."))
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAccessibleName(Round.tr("How to add patients"))
        self.admit_button = QPushButton(Round.tr("&Admit a patient…"))
        self.admit_button.clicked.connect(self.admitRequested.emit)
        self.import_button = QPushButton(Round.tr("&Import a file…"))
        self.import_button.clicked.connect(self.importRequested.emit)
        self.empty_box = QWidget()
        empty_row = QHBoxLayout(self.empty_box)
        empty_row.setContentsMargins(0, 0, 0, 0)
        empty_row.addWidget(self.empty_hint, 1)
        empty_row.addWidget(self.admit_button)
        empty_row.addWidget(self.import_button)
        self.empty_box.hide()

        top = QHBoxLayout()
        top.addWidget(mrn_label)
        top.addWidget(self.mrn_edit)
        top.addSpacing(16)
        top.addWidget(ward_label)
        top.addWidget(self.ward_filter)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mrn_message)
        layout.addWidget(self.empty_box)
        layout.addWidget(self.table, 1)
        hint = QLabel(self.tr("↑/↓ choose a patient · Enter opens · Ctrl+R records vitals · F5 refreshes"))
        hint.setAccessibleName(self.tr("Keyboard help"))
        layout.addWidget(hint)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        ctx.signals.recordsChanged.connect(self._on_records_changed)
        self.refresh()

    def _on_timer_timeout(self) -> None:
        """The minute refresh: the ward's states are read now and shown on the next turn of the event loop, so that
        reading 30 beds and then fitting and painting the changed cells are two short waits for the nurse's keys,
        not one long one (build_scripts/bench.py's longest stall of the minute refresh). Hidden: refreshed when
        shown."""
        if not self.isVisible():
            self.refresh_when_seen()
            return
        self._stale = False
        self._reading += 1
        reading, states = self._reading, self.ctx.bedside.ward()
        QTimer.singleShot(0, self, lambda: self._show(states) if reading == self._reading else None)

    def _on_records_changed(self, _mrn: str) -> None:
        self.refresh_when_seen()

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != COL_ACTIONS:
            self._fit_actions()
        self.table.resizeRowsToContents()

    def _fit_actions(self) -> None:
        """The pending actions column takes the width the other columns leave (at least its heading's)."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != COL_ACTIONS)
        room = self.table.viewport().width() - others
        width = max(room, header.sectionSizeHint(COL_ACTIONS))
        if header.sectionSize(COL_ACTIONS) != width:
            header.resizeSection(COL_ACTIONS, width)     # sectionResized re-measures the rows

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_actions)     # once the table has its new width

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_actions)

    def refresh(self) -> None:
        """Re-read the ward from core now (clocks move: overdue and hold clocks change without new records)."""
        self._reading += 1       # a minute refresh read before this one is not shown after it
        self._show(self.ctx.bedside.ward())

    def _show(self, states: list[PatientState]) -> None:
        current = self.current_mrn()
        if self.model.set_states(states):
            # new rows: all measured now, so that the pending actions take the width left beside the scroll bar
            # their heights call for; the minute refresh changes cells in place, and only the rows in view are
            # fitted after it (VisibleRowsFit): measuring every row at each refresh was most of its stall
            self.table.resizeRowsToContents()
        self._update_wards(states)
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())
        overdue = sum(1 for s in states if s.overdue)
        self.summary.setText(self.tr("%1 patients · %2 with observations overdue · updated %3").replace(
            "%1", str(len(states))).replace("%2", str(overdue)).replace("%3", local_time(self.ctx.clock.now())))
        self.empty_hint.setVisible(not states)
        self.empty_box.setVisible(not states)
        self.select_mrn(current)

    def _update_wards(self, states: list[PatientState]) -> None:
        wards = sorted({s.patient.ward for s in states if s.patient.ward})
        shown = [self.ward_filter.itemData(i) for i in range(1, self.ward_filter.count())]
        if self.ward_filter.count() and wards == shown:
            return   # the same wards (the minute refresh): the list and the choice stay as they are
        chosen = self.ward_filter.currentData()
        self.ward_filter.blockSignals(True)
        self.ward_filter.clear()
        self.ward_filter.addItem(self.tr("All wards"), "")
        for ward in wards:
            self.ward_filter.addItem(ward, ward)
        found = self.ward_filter.findData(chosen) if chosen else 0
        self.ward_filter.setCurrentIndex(max(0, found))
        self.ward_filter.blockSignals(False)

    def _on_ward_filter_changed(self, _index: int) -> None:
        self.proxy.set_ward(self.ward_filter.currentData() or "")

    def current_mrn(self) -> str | None:
        """The MRN of the highlighted row."""
        index = self.table.currentIndex()
        return index.data(MRN_ROLE) if index.isValid() else None

    def select_mrn(self, mrn: str | None) -> None:
        """Highlight a patient's row (the first row when ``mrn`` is not shown)."""
        row = 0
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(MRN_ROLE) == mrn:
                row = r
                break
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, COL_NAME))

    def visible_mrns(self) -> list[str]:
        """MRNs in the order shown."""
        return [self.proxy.index(r, 0).data(MRN_ROLE) for r in range(self.proxy.rowCount())]

    def open_current(self) -> None:
        """Open the highlighted patient."""
        mrn = self.current_mrn()
        if mrn:
            self.patientActivated.emit(mrn)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.patientActivated.emit(index.data(MRN_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A letter or digit typed in the table starts an MRN (a scanner types into whatever has the focus)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            text = event.text()  # type: ignore[attr-defined]  # a QKeyEvent
            held = event.modifiers()  # type: ignore[attr-defined]  # a QKeyEvent
            plain = not held & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            if plain and len(text) == 1 and text.isalnum():
                self.mrn_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self.mrn_edit.insert(text)
                return True
        return super().eventFilter(watched, event)

    def _on_mrn_edit_return_pressed(self) -> None:
        self.open_mrn(self.mrn_edit.text())

    def open_mrn(self, text: str) -> bool:
        """Open the patient with this MRN (exact, ignoring case and spaces around); say so when none matches."""
        wanted = text.strip().casefold()
        for state in self.model.states():
            if state.patient.mrn.casefold() == wanted:
                self.mrn_edit.clear()
                self.mrn_message.hide()
                self.patientActivated.emit(state.patient.mrn)
                return True
        self.mrn_message.setText("✖ " + Round.tr("No patient with MRN %1 on the ward.").replace("%1", text.strip()))
        self.mrn_message.show()
        self.mrn_edit.selectAll()
        return False

    def focus_table(self) -> None:
        """Put the keyboard in the table."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
