"""The audit tab of a patient: every record in order of entry, who entered it, when it happened, what struck it out
(core.audit.audit_trail through ``Bedside.audit``); a thin Qt model over core's entries."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from core.protocol import Protocol
from core.records import parse_record
from core.services import AuditEntry
from gui import fit
from gui import words as w
from gui.context import AppContext
from gui.lazy import RefreshWhenSeen
from gui.record_text import local_datetime, plain_tooltip, record_details
from gui.ward_view import read_only_table

COL_ENTERED, COL_ENTERED_BY, COL_WHAT, COL_HAPPENED, COL_DETAILS, COL_SUPERSEDED = range(6)
COLUMNS = 6


class AuditTableModel(QAbstractTableModel):
    """Rows = a patient's audit entries in order of entry (oldest first); struck-out rows in a struck font."""

    def __init__(self, protocol: Protocol, parent: Any = None):
        super().__init__(parent)
        self.protocol = protocol    # the protocol's numbers inside the prompts' words
        self._entries: list[AuditEntry] = []
        self._mrn = ""
        self._unit = "C"
        self._short: dict[str, str] = {}

    def set_entries(self, mrn: str, entries: list[AuditEntry], unit: str = "C") -> None:
        """Show these entries."""
        self.beginResetModel()
        self._mrn = mrn
        self._entries = list(entries)
        self._unit = unit
        self._short = {e.record_id: f"#{e.seq}" for e in self._entries}
        self.endResetModel()

    def entry(self, row: int) -> AuditEntry:
        """The entry shown in a row."""
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.header_text(section)
        return None

    def header_text(self, section: int) -> str | None:
        """A column's translated title."""
        titles = {
            COL_ENTERED: self.tr("Entered"),
            COL_ENTERED_BY: self.tr("Entered by"),
            COL_WHAT: self.tr("What"),
            COL_HAPPENED: self.tr("Happened"),
            COL_DETAILS: self.tr("Details"),
            COL_SUPERSEDED: self.tr("Superseded by"),
        }
        return titles.get(section)

    def details(self, entry: AuditEntry) -> str:
        """The record's values in words (as the records list shows them)."""
        if entry.type == "entered_in_error":
            target = self._short.get(str(entry.supersedes), str(entry.supersedes))
            return self.tr("strikes out %1: %2").replace("%1", target).replace(
                "%2", str(entry.fields.get("reason", "")))
        try:
            record = parse_record({"id": entry.record_id, "mrn": self._mrn, "at": entry.occurred_at,
                                   "type": entry.type, **entry.fields})
        except Exception:  # a stored record always parses; show the raw fields if it ever does not
            return ", ".join(f"{k}={v}" for k, v in entry.fields.items())
        return record_details(record, self._unit, self.protocol)

    def entered_by(self, entry: AuditEntry) -> str:
        """The account that entered it, and who the record names when that differs (imports)."""
        who = entry.entered_by or "?"
        if entry.by and entry.by != entry.entered_by:
            who += " " + self.tr("(record says %1)").replace("%1", entry.by)
        return who

    def superseded(self, entry: AuditEntry) -> str:
        """The correction that struck this record out, with its reason; empty when it stands."""
        if entry.superseded_by is None:
            return ""
        return self.tr("%1 – %2").replace("%1", self._short.get(entry.superseded_by, entry.superseded_by)).replace(
            "%2", entry.correction_reason or "")

    def _display(self, entry: AuditEntry, column: int) -> str:
        if column == COL_ENTERED:
            return f"#{entry.seq} · {local_datetime(entry.recorded_at)}"
        if column == COL_ENTERED_BY:
            return self.entered_by(entry)
        if column == COL_WHAT:
            return w.word(w.RECORD_TYPES, entry.type)
        if column == COL_HAPPENED:
            return local_datetime(entry.occurred_at)
        if column == COL_DETAILS:
            return self.details(entry)
        return self.superseded(entry)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._display(entry, index.column())
            if entry.superseded_by is not None:
                text += "\n" + self.tr("Struck out: entered in error (it stays visible).")
            return plain_tooltip(text)   # a tooltip would render a note's markup: always plain text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(entry, index.column())
            if entry.superseded_by is not None:
                text += " " + self.tr("(struck out)")
            return w.column_cell_text(self.header_text(index.column()) or "", text)
        if role == Qt.ItemDataRole.FontRole and entry.superseded_by is not None:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


class AuditView(RefreshWhenSeen, QWidget):
    """The patient's audit trail (read-only): who, what, when entered, when it happened, superseded by."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn: str | None = None
        self.model = AuditTableModel(ctx.bedside.protocol, self)
        self.table = read_only_table(self.model, self.tr("Audit trail, in order of entry"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        # details wrap in the stretched column: each row on screen as tall as its text (never cut)
        self.row_fit = fit.VisibleRowsFit(self.table)
        self.note = QLabel(self.tr("Every entry in the order it was made. Nothing is ever changed or deleted: a "
                                   "correction is a new entry, and the entry it strikes out stays here, struck "
                                   "through."))
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        ctx.signals.recordsChanged.connect(self._on_records_changed)

    def set_patient(self, mrn: str | None) -> None:
        """Show a patient's trail (``None`` empties it, e.g. when the screen locks)."""
        self.mrn = mrn
        self.refresh()

    def _on_records_changed(self, mrn: str) -> None:
        if mrn == self.mrn:
            self.refresh_when_seen()

    def refresh(self) -> None:
        """Re-read the trail from core."""
        if self.mrn is None:
            self.model.set_entries("", [])
            return
        self.model.set_entries(self.mrn, self.ctx.bedside.audit(self.mrn), self.ctx.settings.temperature_unit)
        self.table.horizontalHeader().setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
