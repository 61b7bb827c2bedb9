"""The ward list's data: one row per patient's state, its columns' words, colours, tooltips and sort keys
(WardTableModel, a thin Qt adapter over core's PatientState), and the ward filter and acuity sort (WardProxyModel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics

from core.protocol import Protocol
from core.regimen import CLOCK_PREMEDICATION, hold_clocks
from core.state import PatientState
from gui import status_style as ss
from gui.i18n import Status
from gui.record_text import local_datetime, local_time
from gui.why import rules_details
from gui.words import column_cell_text, premedication_reason_text, recommendation_short, recommendation_text, span_words

MRN_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
WARD_ROLE = Qt.ItemDataRole.UserRole + 3
STYLE_ROLE = Qt.ItemDataRole.UserRole + 4

COL_BED, COL_NAME, COL_CRS, COL_ICANS, COL_NEWS2, COL_INFUSION, COL_NEXT_OBS, COL_ACTIONS = range(8)

def crs_tooltip(state: PatientState) -> str:
    """Both scales (D1) and the rules behind the grade."""
    c = state.crs
    astct = c.computed.astct
    ctcae = c.computed.ctcae
    lines = [
        ss.crs_style(c.grade).text,
        Status.tr("ASTCT 2019: grade %1").replace("%1", str(astct.grade)),
        Status.tr("CTCAE v5: grade %1").replace("%1", f"{'≥' if ctcae.at_least else ''}{ctcae.grade}"),
    ]
    if c.computed.scales_differ:
        lines.append(ss.scales_differ_style().text)
    if c.confirmed is not None and c.confirmed.in_force:
        lines.append(Status.tr("Grade set by a clinician: %1").replace("%1", c.confirmed.reason))
    lines.append(rules_details(state))
    return "\n".join(lines)


def infusion_text(state: PatientState, symbol: bool = True, compact: bool = False) -> str:
    """State, cycle/day, dose and the hold counter in one line (the symbol left out where an icon shows it;
    ``compact`` leaves out the dose a held infusion ran at, for the ward list)."""
    inf = state.infusion
    style = ss.infusion_style(inf.state)
    parts = [style.label if symbol else style.text]
    if inf.state == "held" and inf.hold.current_hold_hours is not None:
        parts[0] += " " + ss.duration_text(round(inf.hold.current_hold_hours * 60))
    if inf.cycle is not None and inf.cycle_day is not None:
        parts.append(Status.tr("cycle %1 day %2").replace("%1", str(inf.cycle)).replace("%2", str(inf.cycle_day)))
    elif inf.cycle is not None:
        parts.append(Status.tr("cycle %1").replace("%1", str(inf.cycle)))
    if inf.current_dose_mcg_per_day is not None and (inf.state == "running" or (inf.state == "held" and not compact)):
        dose = f"{inf.current_dose_mcg_per_day:g}"
        parts.append(Status.tr("%1 mcg/day").replace("%1", dose) if inf.state == "running"
                     else Status.tr("was %1 mcg/day").replace("%1", dose))
    if inf.hold.count_this_cycle:
        parts.append(Status.tr("holds this cycle: %1").replace("%1", str(inf.hold.count_this_cycle)))
    if inf.premedication_due:
        parts.append(Status.tr("premedication due"))
    return " · ".join(parts)


def clock_lines(state: PatientState, protocol: Protocol) -> list[str]:
    """The three clocks of a current hold with their live countdowns (the infusion tab, the tooltip)."""
    premed_hold = span_words(protocol.infusion.premedication_hold_minutes)
    return [ss.clock_text(c.code, c.passed, local_datetime(c.at), c.minutes_left(state.at),
                          premed_hold if c.code == CLOCK_PREMEDICATION else "")
            for c in hold_clocks(state.infusion, protocol, state.at)]


def clock_badges(state: PatientState, protocol: Protocol) -> list[str]:
    """Countdown badges of the hold clocks inside the protocol's warning window (``clock_warning_minutes``)."""
    return [ss.clock_badge(c.code, c.minutes_left(state.at)) for c in hold_clocks(state.infusion, protocol, state.at)
            if c.warning(state.at, protocol)]


def infusion_tooltip(state: PatientState, protocol: Protocol) -> str:
    """The infusion summary with the hold clocks and premedication reason."""
    inf = state.infusion
    lines = [infusion_text(state)]
    if inf.hold.total_held_hours_this_cycle:
        lines.append(Status.tr("Held this cycle: %1").replace(
            "%1", ss.duration_text(round(inf.hold.total_held_hours_this_cycle * 60))))
    lines += clock_lines(state, protocol)
    if inf.premedication_due and inf.premedication_reason:
        lines.append(Status.tr("Premedication %1").replace(
            "%1", premedication_reason_text(inf.premedication_reason, protocol)))
    return "\n".join(lines)


def not_current_note(state: PatientState) -> str | None:
    """Why a reassuring grade or score must not look reassuring: the observations are overdue (the overdue mark and
    the last set), or no current vital signs (``crs.stale``); ``None`` when the data is current."""
    last = state.crs.last_vitals_at or state.news2_as_of
    if state.overdue and last is not None:
        return ss.overdue_note(local_time(last))
    if state.crs.stale:
        if last is None:
            return Status.tr("no vital signs recorded")
        return Status.tr("no current vital signs (last set %1)").replace("%1", local_time(last))
    return None


def crs_display_style(state: PatientState) -> ss.Style:
    """The CRS grade as the ward and the banner show it: neutral with the time of the last set when it rests on no
    current vital signs (``crs.stale``), neutral with the overdue mark when a reassuring grade is overdue."""
    c = state.crs
    if c.stale:
        return ss.stale_crs_style(c.grade, local_time(c.last_vitals_at) if c.last_vitals_at else None)
    style = ss.crs_style(c.grade, at_least=c.computed.ctcae.at_least and c.computed.ctcae.grade >= c.grade)
    note = not_current_note(state)
    return ss.not_current_style(style, note) if style.level == 0 and note else style


def news2_display_style(state: PatientState) -> ss.Style:
    """The NEWS2 score and band, never the reassuring colour when the set is not current or the next is overdue."""
    n = state.news2
    style = ss.news2_style(n.score, n.risk, n.complete)
    note = not_current_note(state)
    return ss.not_current_style(style, note) if style.level == 0 and note else style


def next_obs_style(state: PatientState) -> ss.Style | None:
    """Overdue (vermillion, ⚠) or due-in style for the next observations; ``None`` when none were ever taken."""
    due = state.next_observations_due
    if due is None:
        return None
    minutes = int((state.at - due).total_seconds() // 60)
    if state.overdue:
        return ss.overdue_style(max(1, minutes))
    return ss.due_style(-minutes)


#: The roles the ward's cells answer (WardTableModel._cell); any other is None without looking at the state.
_ROLES_ANSWERED = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.DecorationRole, MRN_ROLE, WARD_ROLE, SORT_ROLE, STYLE_ROLE))


#: The roles a nurse sees change in a cell (its words; its colours, shape and font follow its style) or that move or
#: filter its row (the sort value, the ward): a minute refresh signals a cell only when one of these changed.
_SHOWN_ROLES = (int(Qt.ItemDataRole.DisplayRole), int(STYLE_ROLE), int(SORT_ROLE), int(WARD_ROLE))
#: Roles asked again after every refresh even where those did not change (a hold clock counts down in its tooltip).
_RECOMPUTED_ROLES = frozenset((int(Qt.ItemDataRole.ToolTipRole),))


class WardTableModel(QAbstractTableModel):
    """A thin adapter over the ward's PatientStates."""

    HEADERS = ("Bed", "Patient", "CRS", "ICANS", "NEWS2", "Infusion", "Next observations", "Pending actions")

    def __init__(self, parent: Any, protocol: Protocol):
        super().__init__(parent)
        self.protocol = protocol    # for the hold clocks' countdown badges
        self._states: list[PatientState] = []
        self._cache: dict[tuple[int, int, int], Any] = {}

    def set_states(self, states: list[PatientState]) -> bool:
        """Replace the rows (the ward after a refresh). The same patients as before (the minute refresh) signal only
        the cells whose words, look or sort value changed (a due-in countdown, a hold clock's badge): a reset, or one
        change over the whole table, made the view measure, lay out and paint every cell again (issue 20's stall).
        Returns whether the rows were replaced (other patients: a reset)."""
        same = [s.patient.mrn for s in states] == [s.patient.mrn for s in self._states]
        if same and states:
            old_states, old = self._states, self._cache
            self._states = list(states)
            self._cache = {}

            kept: dict[tuple[int, int], list[tuple[tuple[int, int, int], Any]]] = {}
            for key, value in old.items():
                if key[2] not in _RECOMPUTED_ROLES:
                    kept.setdefault(key[:2], []).append((key, value))

            def before(row: int, column: int, role: int) -> Any:
                key = (row, column, role)
                return old[key] if key in old else self._cell(old_states[row], column, role)

            # one signal per column, over the rows changed in it: each signal makes the header measure its
            # column fitted to contents again (30 signals, one per cell, cost 90 ms)
            for column in range(len(self.HEADERS)):
                rows = []
                for row in range(len(states)):
                    if any(self._seen(row, column, role) != before(row, column, role) for role in _SHOWN_ROLES):
                        rows.append(row)
                    else:   # the same words and style: the same colours, icon and font (the tooltip may count down)
                        self._cache.update(kept.get((row, column), ()))
                if rows:
                    self.dataChanged.emit(self.index(rows[0], column), self.index(rows[-1], column))
            return False
        self.beginResetModel()
        self._states = list(states)
        self._cache = {}
        self.endResetModel()
        return True

    def _seen(self, row: int, column: int, role: int) -> Any:
        """A cell's value for a role, cached (the views ask again when they paint)."""
        key = (row, column, role)
        if key not in self._cache:
            self._cache[key] = self._cell(self._states[row], column, role)
        return self._cache[key]

    def state_at(self, row: int) -> PatientState:
        """The state behind a row."""
        return self._states[row]

    def states(self) -> list[PatientState]:
        """Every row's state."""
        return list(self._states)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._states)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._header(section, shown=True)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self._header(section)
        return None

    def _header(self, section: int, shown: bool = False) -> str:
        """A column's heading: as shown (a long one on two lines where the translation breaks it, so that the list
        fits a 1024-pixel window: "Próximas / constantes"), or on one line (what a screen reader says)."""
        text = (self.tr("Bed"), self.tr("Patient"), self.tr("CRS"), self.tr("ICANS"), self.tr("NEWS2"),
                self.tr("Infusion"), self.tr("Next observations"), self.tr("Pending actions"))[section]
        return text if shown else " ".join(text.split())

    def _style(self, state: PatientState, column: int) -> ss.Style | None:
        if column == COL_CRS:
            return crs_display_style(state)
        if column == COL_ICANS:
            return ss.icans_style(state.icans.grade)
        if column == COL_NEWS2:
            return news2_display_style(state)
        if column == COL_INFUSION:
            return ss.infusion_style(state.infusion.state)
        if column == COL_NEXT_OBS:
            return next_obs_style(state)
        return None

    def _display(self, state: PatientState, column: int) -> str:
        p = state.patient
        if column == COL_BED:
            return p.bed or "–"
        if column == COL_NAME:
            return f"{p.name}\n{p.mrn}"
        if column == COL_ICANS:   # the header says ICANS; the cell says the grade
            grade = state.icans.grade
            return self.tr("not assessed") if grade is None else self.tr("grade %1").replace("%1", str(grade))
        if column == COL_NEWS2:
            n = state.news2
            if not n.complete or n.score is None or n.risk is None:
                return self.tr("incomplete")
            text = self.tr("%1, %2").replace("%1", str(n.score)).replace("%2", ss.news2_risk_words(n.risk))
            note = not_current_note(state)
            return f"{text}\n{note}" if note and news2_display_style(state).level is None else text
        if column == COL_INFUSION:
            text = infusion_text(state, symbol=False, compact=True)
            badges = clock_badges(state, self.protocol)
            return "\n".join([text, *badges])
        if column == COL_NEXT_OBS:
            style = next_obs_style(state)
            if style is None or state.next_observations_due is None:
                return self.tr("none recorded")
            return f"{style.symbol} {local_time(state.next_observations_due)}\n{style.text}"
        if column == COL_ACTIONS:   # the prompts nobody answered yet (issue 13: answered ones leave the list)
            recs = [recommendation_short(r.code, self.protocol) for r in state.pending]
            return " · ".join(recs) if recs else self.tr("none")
        style = self._style(state, column)
        return style.text if style else ""

    def _tooltip(self, state: PatientState, column: int) -> str:
        if column == COL_CRS:
            return crs_tooltip(state)
        if column == COL_INFUSION:
            return infusion_tooltip(state, self.protocol)
        if column == COL_ACTIONS:
            lines = [f"• {recommendation_text(r)}" for r in state.pending]
            return "\n".join([*lines, rules_details(state)]) if lines else self._display(state, column)
        if column == COL_NEWS2 and state.news2_as_of is not None:
            return Status.tr("Set taken at %1").replace("%1", local_datetime(state.news2_as_of))
        if column == COL_NEXT_OBS and state.next_observations_due is not None:
            return Status.tr("Observations every %1; next due %2").replace(
                "%1", ss.duration_text(state.observation_interval_minutes)).replace(
                "%2", local_datetime(state.next_observations_due))
        return self._display(state, column)

    def _sort_value(self, state: PatientState, column: int) -> Any:
        if column == COL_BED:
            digits = "".join(ch for ch in (state.patient.bed or "") if ch.isdigit())
            return (int(digits) if digits else 1 << 30, state.patient.bed or "")
        if column == COL_CRS:
            return ss.acuity_key(state)
        if column == COL_ICANS:
            return state.icans.grade if state.icans.grade is not None else -1
        if column == COL_NEWS2:
            return state.news2.score if state.news2.score is not None else -1
        if column == COL_NEXT_OBS:
            due = state.next_observations_due
            return due.timestamp() if due is not None else float("inf")
        return self._display(state, column)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if int(role) not in _ROLES_ANSWERED or not index.isValid() or not (0 <= index.row() < len(self._states)):
            return None   # views ask for a dozen roles per cell when they measure and paint it; most have no answer
        # views ask for the same cells many times; the rows change only on refresh
        return self._seen(index.row(), index.column(), int(role))

    def _cell(self, state: PatientState, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(state, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(state, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            style = self._style(state, column)
            text = style.accessible if style is not None and column != COL_NEXT_OBS else self._display(state, column)
            return column_cell_text(self._header(column), text)
        if role == MRN_ROLE:
            return state.patient.mrn
        if role == WARD_ROLE:
            return state.patient.ward or ""
        if role == SORT_ROLE:
            return self._sort_value(state, column)
        if role == Qt.ItemDataRole.FontRole and column == COL_BED:
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.3)
            return font
        style = self._style(state, column)
        if style is None:
            return None
        if role == STYLE_ROLE:
            return style
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.brush()
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.foreground))
        if role == Qt.ItemDataRole.DecorationRole and column != COL_NEXT_OBS:
            return style.icon(int(QFontMetrics(QFont()).height() * 1.5))
        if role == Qt.ItemDataRole.FontRole and column in (COL_CRS, COL_NEXT_OBS) and (
                column == COL_CRS or state.overdue):
            font = QFont()
            font.setBold(True)
            return font
        return None


class WardProxyModel(QSortFilterProxyModel):
    """Sorts by the model's sort values (most acute first by default) and filters by ward."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._ward = ""
        self.setSortRole(SORT_ROLE)

    def set_ward(self, ward: str) -> None:
        """Show only this ward ("" = every ward)."""
        self.beginFilterChange()
        self._ward = ward
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._ward:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return self.sourceModel().data(index, WARD_ROLE) == self._ward

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a = self.sourceModel().data(left, SORT_ROLE)
        b = self.sourceModel().data(right, SORT_ROLE)
        if a == b:
            # ties: bed order, whichever way the column sorts
            bed_a = self.sourceModel().data(left.sibling(left.row(), COL_BED), SORT_ROLE)
            bed_b = self.sourceModel().data(right.sibling(right.row(), COL_BED), SORT_ROLE)
            return (bed_a > bed_b) if self.sortOrder() == Qt.SortOrder.DescendingOrder else (bed_a < bed_b)
        return a < b
