"""The patient page: who, the status banner, and tabs (trend, records; an infusion panel is added beside them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.records import StoredRecord
from core.state import PatientState
from gui import status_style as ss
from gui import words as w
from gui.context import AppContext
from gui.infusion_panel import InfusionPanel
from gui.lazy import timer_while_shown
from gui.records_view import RecordsView
from gui.status_banner import StatusBanner
from gui.trend_chart import TrendChart
from gui.ward_view import REFRESH_MS


class PatientPage(QWidget):
    """One patient's page; refreshes when the patient's records change and as the clock moves."""

    backRequested = Signal()
    vitalsRequested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn: str | None = None
        self.state: PatientState | None = None
        #: The shown patient's records, kept up to date by reading only those entered since (``_last_seq``).
        self._records: list[StoredRecord] = []
        self._last_seq = 0
        self._unit = ctx.settings.temperature_unit
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName(self.tr("Patient"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("Patient details"))
        self.back_button = QPushButton(self.tr("← &Ward"))
        self.back_button.setAccessibleName(self.tr("Back to the ward list"))
        self.back_button.setToolTip(self.tr("Back to the ward (Esc)"))
        self.back_button.clicked.connect(self.backRequested)
        self.vitals_button = QPushButton(self.tr("Record &vitals…"))
        self.vitals_button.setAccessibleName(self.tr("Record a set of vitals"))
        self.vitals_button.setToolTip(self.tr("Record vitals (Ctrl+R)"))
        self.vitals_button.clicked.connect(lambda: self.vitalsRequested.emit(self.mrn or ""))
        self.demo_tag = QLabel()
        self.differences = QLabel()   # details another laptop has otherwise, kept by a merge (core/merge.py)
        self.differences.setWordWrap(True)
        self.differences.setAccessibleName(self.tr("Differences from another laptop, not yet settled"))
        self.differences.hide()
        self.banner = StatusBanner()
        self.trend = TrendChart(ctx)
        self.records = RecordsView(ctx)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Patient views"))
        self.tabs.addTab(self.trend, self.tr("&Trend"))
        self.tabs.addTab(self.records, self.tr("Re&cords"))

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title)
        header.addWidget(self.demo_tag)
        header.addStretch(1)
        header.addWidget(self.vitals_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details)
        layout.addWidget(self.differences)
        # The banner scrolls rather than cut its sentences when the window is small or the text large; the split
        # lets the nurse give the banner or the tabs more room.
        self.banner_area = QScrollArea()
        self.banner_area.setWidget(self.banner)
        self.banner_area.setWidgetResizable(True)
        self.banner_area.setFrameShape(QFrame.Shape.NoFrame)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.banner_area)
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        layout.addWidget(self.split, 1)
        self.infusion = InfusionPanel(ctx)
        self.add_panel(self.infusion, self.tr("&Infusion"))

        ctx.signals.recordsChanged.connect(self._on_records_changed)
        ctx.signals.settingsChanged.connect(self.refresh)
        self.timer = timer_while_shown(self, REFRESH_MS, self.refresh)

    def add_panel(self, widget: QWidget, title: str) -> int:
        """Add a tab beside the trend and the records (the infusion panel goes here); returns its index."""
        return self.tabs.insertTab(1, widget, title)

    def set_patient(self, mrn: str) -> None:
        """Show a patient."""
        self.mrn = mrn
        self._records, self._last_seq = [], 0
        self.refresh()
        self.fit_banner()
        QTimer.singleShot(0, self.fit_banner)   # again once the page is laid out at its size

    #: The banner takes at most this share of the split at first; the nurse can drag the handle for more.
    BANNER_SHARE = 0.6

    def fit_banner(self) -> None:
        """Give the banner the height its sentences need (within :attr:`BANNER_SHARE`), the tabs the rest."""
        total = self.split.height()
        if total <= 0:
            return
        width = self.banner_area.viewport().width() or self.split.width()
        needed = self.banner.heightForWidth(width) if self.banner.hasHeightForWidth() else \
            self.banner.sizeHint().height()
        # the tabs keep the height their charts need to label their axes (squeezed, QtCharts writes "…")
        room = max(total - self.tabs.minimumSizeHint().height(), self.fontMetrics().height() * 4)
        banner = min(needed + 2, int(total * self.BANNER_SHARE), room)
        self.split.setSizes([banner, total - banner])

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_banner)

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        self.fit_banner()

    def _on_records_changed(self, mrn: str) -> None:
        if mrn == self.mrn:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the patient's state and records from core."""
        if self.mrn is None:
            return
        bedside = self.ctx.bedside
        try:
            state = bedside.state(self.mrn)
        except InputError:
            return
        self.state = state
        changed = self._read_new_records()
        p = state.patient
        for label in (self.title, self.details):   # patient fields are shown as typed, never as rich text
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setText(self.tr("Bed %1 · %2").replace("%1", p.bed or "–").replace("%2", p.name))
        facts = [p.mrn, self.tr("%1 years").replace("%1", str(p.age_years(state.at))), w.word(w.SEXES, p.sex)]
        if p.weight_kg is not None:
            facts.append(f"{p.weight_kg:g} kg")
        facts.append(w.word(w.INDICATIONS, p.indication))
        if p.diagnosis:
            facts.append(p.diagnosis)
        if state.risk_factors:
            facts.append(self.tr("risk: %1").replace("%1", ", ".join(w.word(w.FLAGS, r) for r in state.risk_factors)))
        # Stored records this version cannot read are said here, not hidden (core Bedside.read_problems).
        problems = "".join(f"\n⚠ {problem}" for problem in bedside.read_problems(p.mrn))
        self.details.setText(" · ".join(facts) + problems)
        self._show_differences()
        if p.demo:
            style = ss.demo_style()
            demo_word = self.tr("DEMO")
            self.demo_tag.setText(f"{style.symbol} {demo_word}")
            self.demo_tag.setStyleSheet(style.sheet())
            self.demo_tag.setAccessibleName(style.accessible)
            self.demo_tag.show()
        else:
            self.demo_tag.hide()
        unit = self.ctx.settings.temperature_unit
        self.banner.show_state(state, unit, self.ctx.bedside.protocol)
        self.infusion.show_state(state)
        if changed is None or unit != self._unit:
            self.records.set_patient(self.mrn, self._records)
        elif changed:
            self.records.add_records(changed)
        self._unit = unit
        self.trend.set_data(state, self._records)

    def _show_differences(self) -> None:
        """The patient's details that another laptop has otherwise and no record has settled yet."""
        conflicts = self.ctx.bedside.open_conflicts(self.mrn)
        self.differences.setVisible(bool(conflicts))
        if conflicts:
            items = "; ".join(self.tr("%1 here %2, on %3 %4").replace("%1", w.patient_field_text(c.field))
                              .replace("%2", w.patient_value_text(c.field, c.here)).replace("%3", c.source)
                              .replace("%4", w.patient_value_text(c.field, c.there)) for c in conflicts)
            self.differences.setText("⚠ " + self.tr("Details differ from another laptop, not yet settled: %1. An "
                                                    "admin or clinician settles them by editing the patient.")
                                     .replace("%1", items))

    def _read_new_records(self) -> list[StoredRecord] | None:
        """Bring the record list up to date; returns the records just read, or ``None`` for a first read."""
        assert self.mrn is not None
        first = self._last_seq == 0
        new = self.ctx.bedside.records_after(self.mrn, self._last_seq)
        if new:
            self._records = sorted(self._records + new, key=lambda s: (s.record.at, s.seq))
            self._last_seq = max(s.seq for s in new)
        return None if first else new

    def focus_default(self) -> None:
        """Keyboard focus on the main action."""
        self.vitals_button.setFocus(Qt.FocusReason.OtherFocusReason)

