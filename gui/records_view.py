"""The patient's records list: newest first, corrections struck through with their reason, never removed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.protocol import Protocol
from core.records import StoredRecord
from gui import fit
from gui import words as w
from gui.context import AppContext
from gui.errors import show_exception
from gui.record_text import local_datetime, plain_tooltip, record_details
from gui.ward_view import read_only_table

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUPERSEDED_ROLE = Qt.ItemDataRole.UserRole + 2

COL_TIME, COL_TYPE, COL_DETAILS, COL_BY, COL_STATUS = range(5)


class RecordsTableModel(QAbstractTableModel):
    """A thin adapter over a patient's stored records; superseded ones carry the correction's reason."""

    def __init__(self, protocol: Protocol, parent: Any = None):
        super().__init__(parent)
        self.protocol = protocol    # the protocol's numbers inside the prompts' words
        self._rows: list[StoredRecord] = []
        self._corrections: dict[str, StoredRecord] = {}
        self._unit = "C"

    def set_records(self, records: list[StoredRecord], unit: str = "C") -> None:
        """Show these records (any order; shown newest first)."""
        self.beginResetModel()
        self._rows = sorted(records, key=lambda s: (s.record.at, s.seq), reverse=True)
        self._corrections = {str(s.record.target_id): s for s in records  # type: ignore[attr-defined]  # corrections (below)
                              if s.record.type == "entered_in_error"}
        self._unit = unit
        self.endResetModel()

    def add_records(self, new: list[StoredRecord]) -> None:
        """Add records entered since the last call: newer ones go on top as inserted rows (the rest of the list,
        the selection and the scroll position stay); a back-dated one re-sorts the list."""
        if not new:
            return
        ordered = sorted(new, key=lambda s: (s.record.at, s.seq), reverse=True)
        if self._rows and (ordered[-1].record.at, ordered[-1].seq) < (self._rows[0].record.at, self._rows[0].seq):
            self.set_records(self._rows + new, self._unit)
            return
        self.beginInsertRows(QModelIndex(), 0, len(ordered) - 1)
        self._rows[:0] = ordered
        self.endInsertRows()
        row_of = None
        for stored in new:
            if stored.record.type != "entered_in_error":
                continue
            target = str(stored.record.target_id)  # type: ignore[attr-defined]  # a correction
            self._corrections[target] = stored
            row_of = row_of or {str(s.record.id): row for row, s in enumerate(self._rows)}
            if target in row_of:
                self.dataChanged.emit(self.index(row_of[target], 0), self.index(row_of[target], 4))

    def stored_at(self, row: int) -> StoredRecord:
        """The stored record behind a row."""
        return self._rows[row]

    def correction_of(self, record_id: str) -> StoredRecord | None:
        """The ``entered_in_error`` record that supersedes ``record_id``, if any."""
        return self._corrections.get(record_id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return (self.tr("When"), self.tr("What"), self.tr("Details"), self.tr("Recorded by"),
                    self.tr("Status"))[section]
        return None

    def _status(self, stored: StoredRecord) -> str:
        correction = self._corrections.get(str(stored.record.id))
        if correction is not None:
            return self.tr("Entered in error: %1 (%2, %3)").replace(
                "%1", correction.record.reason).replace(  # type: ignore[attr-defined]  # a correction
                "%2", correction.recorded_by or "?").replace("%3", local_datetime(correction.recorded_at))
        if stored.record.type == "entered_in_error":
            return self.tr("Correction")
        # RULES.md §5: an entry made more than 2 h after the event says when it was entered
        later = (stored.recorded_at - stored.record.at).total_seconds() > 2 * 3600
        return self.tr("entered %1").replace("%1", local_datetime(stored.recorded_at)) if later else ""

    def _display(self, stored: StoredRecord, column: int) -> str:
        if column == COL_TIME:
            return local_datetime(stored.record.at)
        if column == COL_TYPE:
            return w.word(w.RECORD_TYPES, stored.record.type)
        if column == COL_DETAILS:
            return record_details(stored.record, self._unit, self.protocol)
        if column == COL_BY:
            return stored.record.by or stored.recorded_by or ""
        return self._status(stored)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        stored = self._rows[index.row()]
        superseded = str(stored.record.id) in self._corrections
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(stored, column)
        if role == Qt.ItemDataRole.ToolTipRole:   # a tooltip would render a note's markup: always plain text
            return plain_tooltip(self._display(stored, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(stored, column)
            return w.column_cell_text(self.headerData(column, Qt.Orientation.Horizontal),
                                    self.tr("%1 (entered in error)").replace("%1", text)
                                    if superseded and column != COL_STATUS else text)
        if role == RECORD_ID_ROLE:
            return str(stored.record.id)
        if role == SUPERSEDED_ROLE:
            return superseded
        if role == Qt.ItemDataRole.FontRole and (superseded or stored.record.type == "entered_in_error"):
            font = QFont()
            if superseded and column != COL_STATUS:
                font.setStrikeOut(True)
            else:
                font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and superseded and column != COL_STATUS:
            return QBrush(QColor("#555555"))
        return None


class CorrectionDialog(QDialog):
    """Asks why a record was entered in error (a reason is required)."""

    def __init__(self, summary: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mark entered in error"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("This record stays in the list, struck through, with your reason:")))
        shown = QLabel(summary)
        shown.setWordWrap(True)
        layout.addWidget(shown)
        label = QLabel(self.tr("&Reason:"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason the record is wrong"))
        self.reason.setMaxLength(500)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Mark entered in error"))
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout.addWidget(self.buttons)

    def reason_text(self) -> str:
        """The reason typed."""
        return self.reason.text().strip()


class RecordsView(QWidget):
    """The records tab: the list and the "mark entered in error" action."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn: str | None = None
        self.model = RecordsTableModel(ctx.bedside.protocol, self)
        self.table = read_only_table(self.model, self.tr("Records, newest first"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        # details wrap in the stretched column: each row on screen as tall as its text (never cut)
        self.row_fit = fit.VisibleRowsFit(self.table)
        self.correct_button = QPushButton(self.tr("Mark &entered in error…"))
        self.correct_button.setAccessibleName(self.tr("Mark the selected record entered in error"))
        self.correct_button.clicked.connect(self.mark_entered_in_error)
        self.message = QLabel()
        self.message.setAccessibleName(self.tr("Records message"))
        row = QHBoxLayout()
        row.addWidget(self.correct_button)
        row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def set_patient(self, mrn: str, records: list[StoredRecord]) -> None:
        """Show a patient's records."""
        self.mrn = mrn
        self.model.set_records(records, self.ctx.settings.temperature_unit)
        self._select_first()

    def add_records(self, new: list[StoredRecord]) -> None:
        """Show records entered since (the same patient)."""
        self.model.add_records(new)
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, COL_DETAILS))

    def ask_reason(self, summary: str) -> str | None:
        """The modal question (tests replace it)."""
        dialog = CorrectionDialog(summary, self)
        return dialog.reason_text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def mark_entered_in_error(self) -> None:
        """Mark the highlighted record entered in error, with a reason; it stays visible, struck through."""
        index = self.table.currentIndex()
        if self.mrn is None or not index.isValid():
            self.message.setText(self.tr("Choose a record first."))
            return
        stored = self.model.stored_at(index.row())
        if stored.record.type == "entered_in_error" or index.data(SUPERSEDED_ROLE):
            self.message.setText(self.tr("This record is already a correction or already marked."))
            return
        details = record_details(stored.record, self.ctx.settings.temperature_unit, self.ctx.bedside.protocol)
        summary = f"{local_datetime(stored.record.at)} · {w.word(w.RECORD_TYPES, stored.record.type)} · {details}"
        reason = self.ask_reason(summary)
        if not reason:
            return
        try:
            self.ctx.bedside.correct(self.mrn, str(stored.record.id), reason)
        except InputError as exc:
            self.message.setText(str(exc))
            return
        except Exception as exc:  # the one error path
            show_exception(self, exc)
            return
        self.message.setText(self.tr("Marked entered in error."))
        self.ctx.signals.recordsChanged.emit(self.mrn)
