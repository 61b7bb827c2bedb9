"""The infusion panel of the patient page: the timeline, the hold counter with its live countdowns (R-INT-5), the
infusion prompts core raised, and the actions that append infusion records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.errors import InputError
from core.security import Permission
from core.state import PatientState
from gui import status_style as ss
from gui import words as w
from gui.context import AppContext
from gui.infusion_dialog import InfusionActionDialog
from gui.infusion_timeline import InfusionTimeline
from gui.lazy import timer_while_shown
from gui.record_text import local_datetime
from gui.status_banner import chip
from gui.ward_model import clock_lines

#: The hold counter and its countdowns move every minute.
COUNTDOWN_MS = 60_000
ACTIONS = ("start", "stop", "resume", "bag", "premedication", "discontinue")
#: What each infusion state (core: ``infusion.state``) allows. Not a clinical decision: which record can follow.
ALLOWED_ACTIONS = {
    "not_started": frozenset({"start", "premedication"}),
    "running": frozenset({"stop", "bag", "premedication", "discontinue"}),
    "held": frozenset({"resume", "premedication", "discontinue"}),
    "between_cycles": frozenset({"start", "premedication", "discontinue"}),
    "discontinued": frozenset(),
    "completed": frozenset(),
}


def hours_minutes(hours: float) -> str:
    """R-INT-5's hh:mm (hours may pass 24): ``166:40``."""
    minutes = round(hours * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class InfusionPanel(QWidget):
    """Timeline, hold counter, infusion prompts and infusion actions for one patient."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mrn: str | None = None
        self.state: PatientState | None = None
        self.setAccessibleName(self.tr("Infusion"))

        self.state_chip = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Infusion summary"))
        self.hold_counter = QLabel()
        self.hold_counter.setWordWrap(True)
        self.hold_counter.setAccessibleName(self.tr("Hold counter"))
        self.hold_counter.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.hold_counter.font()
        bold.setBold(True)
        self.hold_counter.setFont(bold)
        self.timeline = InfusionTimeline()

        self.prompts_box = QFrame()
        self.prompts_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.prompts_box.setAccessibleName(self.tr("Infusion prompts"))
        self.prompts = QGridLayout(self.prompts_box)
        self.prompts.setColumnStretch(2, 1)
        self.course = QLabel()
        self.course.setAccessibleName(self.tr("Course status"))
        self.prompt_texts: list[str] = []

        self.buttons: dict[str, QPushButton] = {}
        texts = self.action_texts()
        row = QGridLayout()   # two rows of three: six Spanish labels in one row made the window wider than 1024 px
        for index, action in enumerate(ACTIONS):
            button = QPushButton(texts[action])
            button.setAccessibleName(texts[action].replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            self.buttons[action] = button
            row.addWidget(button, index // 3, index % 3)
        row.setColumnStretch(3, 1)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Last saved"))
        self.notice.hide()

        top = QHBoxLayout()
        top.addWidget(self.state_chip)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hold_counter)
        layout.addWidget(self.timeline)
        layout.addWidget(self.prompts_box)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addStretch(1)

        self.timer = timer_while_shown(self, COUNTDOWN_MS, self.refresh)

    def action_texts(self) -> dict[str, str]:
        """The buttons' words (with their Alt keys)."""
        return {"start": self.tr("&Start infusion…"), "stop": self.tr("St&op infusion…"),
                "resume": self.tr("&Resume infusion…"), "bag": self.tr("Change &bag…"),
                "premedication": self.tr("Give pre&medication…"), "discontinue": self.tr("&Discontinue therapy…")}

    # -- showing ------------------------------------------------------------------------------------------------
    def set_patient(self, mrn: str) -> None:
        """Show a patient (read from core now)."""
        self.mrn = mrn
        self.refresh()

    def refresh(self) -> None:
        """Re-read the patient's state at the clock's now (the timer calls this every minute)."""
        if self.mrn is None:
            return
        try:
            state = self.ctx.bedside.state(self.mrn)
        except InputError:
            return
        self.show_state(state)

    def show_state(self, state: PatientState) -> None:
        """Show a state core derived (the patient page passes the one it has just read)."""
        self.state = state
        self.mrn = state.patient.mrn
        inf = state.infusion
        style = ss.infusion_style(inf.state)
        self.state_chip.setText(style.label)
        self.state_chip.setStyleSheet(style.sheet())
        self.state_chip.setAccessibleName(style.accessible)
        self.summary.setText(self.summary_text(state))
        self.hold_counter.setText(self.hold_text(state))
        self.timeline.set_state(state)
        self._show_prompts(state)
        self._enable_actions(inf.state)

    def summary_text(self, state: PatientState) -> str:
        """Cycle and day, infused time, dose, bag and step-up times, in one line."""
        inf = state.infusion
        parts = []
        if inf.cycle is not None and inf.cycle_day is not None:
            parts.append(self.tr("Cycle %1, day %2").replace("%1", str(inf.cycle)).replace("%2", str(inf.cycle_day)))
        if inf.cycle is not None:
            parts.append(self.tr("infused %1 h this cycle").replace("%1", hours_minutes(inf.infused_hours_this_cycle)))
        if inf.current_dose_mcg_per_day is not None:
            dose = f"{inf.current_dose_mcg_per_day:g}"
            parts.append(self.tr("%1 mcg/day").replace("%1", dose) if inf.state == "running"
                         else self.tr("was %1 mcg/day").replace("%1", dose))
        if inf.bag_change_due is not None:
            parts.append(self.tr("bag change due %1").replace("%1", local_datetime(inf.bag_change_due)))
        if inf.step_up_due_at is not None and inf.step_up_due_at > state.at and not inf.step_up_suppressed:
            parts.append(self.tr("step-up due %1").replace("%1", local_datetime(inf.step_up_due_at)))
        if inf.inpatient_period:
            parts.append(self.tr("inpatient period (label)"))
        if inf.supervision_recommended:
            parts.append(self.tr("supervision recommended for the (re)start"))
        return " · ".join(parts) if parts else self.tr("No infusion recorded yet.")

    def hold_text(self, state: PatientState) -> str:
        """R-INT-5: "Holds this cycle: n; total held: hh:mm; current hold: hh:mm (started …); new cycle after …;
        review after …", the limits with the time left until them."""
        inf = state.infusion
        hold = inf.hold
        parts = [self.tr("Holds this cycle: %1").replace("%1", str(hold.count_this_cycle)),
                 self.tr("total held: %1").replace("%1", hours_minutes(hold.total_held_hours_this_cycle))]
        limits = []
        if hold.current_hold_hours is not None and hold.current_hold_started is not None:
            parts.append(self.tr("current hold: %1 (started %2)").replace(
                "%1", hours_minutes(hold.current_hold_hours)).replace("%2", local_datetime(hold.current_hold_started)))
            limits = clock_lines(state, self.ctx.bedside.protocol)
        # The limits on their own line: the countdown is what a nurse looks for.
        return "; ".join(parts) + (";\n" + "; ".join(limits) if limits else "")

    def _show_prompts(self, state: PatientState) -> None:
        """The infusion prompts core raised (codes and rule ids), each with its icon, words and rule."""
        while self.prompts.count():
            item = self.prompts.takeAt(0)
            prompt = item.widget() if item is not None else None
            if prompt is not None and prompt is not self.course:
                prompt.hide()   # at once: deleteLater waits for the event loop
                prompt.deleteLater()
        self.prompt_texts = []
        recs = [r for r in state.recommendations if r.code in ss.INFUSION_ALERT_CODES]
        self.course.setText(self.tr("Course: %1").replace("%1", self.course_words(state.infusion.course_status)))
        self.course.setVisible(state.infusion.course_status != "active")
        self.prompts.addWidget(self.course, 0, 0, 1, 3)
        for row, rec in enumerate(recs, start=1):
            style = ss.infusion_alert_style(rec.code)
            size = self.fontMetrics().height() + 4
            icon = QLabel()
            icon.setPixmap(style.icon(size).pixmap(size, size))
            icon.setAccessibleName(style.accessible)
            words = w.recommendation_text(rec)
            text = QLabel(words)
            text.setWordWrap(True)
            text.setToolTip(self.tr("For clinicians: rule %1").replace("%1", rec.rule))
            text.setAccessibleName(f"{style.text}: {words}")
            self.prompts.addWidget(icon, row, 0)
            self.prompts.addWidget(chip(style), row, 1)
            self.prompts.addWidget(text, row, 2)
            self.prompt_texts.append(f"{style.text}: {words}")
        if not recs:
            none = QLabel(self.tr("No infusion prompts."))
            none.setAccessibleName(none.text())
            self.prompts.addWidget(none, 1, 0, 1, 3)

    def course_words(self, status: str) -> str:
        """The course status core derived (R-MOD-2) in words."""
        return {"discontinued": self.tr("discontinued"),
                "discontinuation_recommended": self.tr("discontinuation recommended (prescriber confirms)"),
                "discontinuation_review": self.tr("discontinuation review"),
                "active": self.tr("active")}.get(status, status)

    def _enable_actions(self, infusion_state: str) -> None:
        allowed = ALLOWED_ACTIONS.get(infusion_state, frozenset())
        may_record = self.ctx.bedside.can(Permission.RECORD)
        state_words = ss.infusion_style(infusion_state).text
        texts = self.action_texts()
        for action, button in self.buttons.items():
            enabled = may_record and action in allowed
            button.setEnabled(enabled)
            name = texts[action].replace("&", "").rstrip("…")
            if enabled:
                button.setToolTip(name)
            elif not may_record:
                button.setToolTip(self.tr("%1: your role cannot enter records").replace("%1", name))
            else:
                button.setToolTip(self.tr("%1: not available while the infusion is %2").replace(
                    "%1", name).replace("%2", state_words))

    # -- actions ------------------------------------------------------------------------------------------------
    def make_dialog(self, action: str) -> InfusionActionDialog:
        """The form for an action (not shown); once it has saved, the panel shows the new state."""
        assert self.state is not None
        dialog = InfusionActionDialog(self.ctx, self.state, action, self)
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog))
        return dialog

    def run_action(self, action: str) -> None:
        """Open the form for an action (the page follows recordsChanged after a save)."""
        if self.state is None or not self.buttons[action].isEnabled():
            return
        self.make_dialog(action).exec()

    def _on_dialog_accepted(self, dialog: InfusionActionDialog) -> None:
        recorded = dialog.recorded
        if recorded is None:
            return
        self.show_state(recorded.state)
        text = self.tr("Saved: %1 at %2.").replace("%1", dialog.titles()[dialog.action]).replace(
            "%2", local_datetime(recorded.record.at))
        self.notice.setText(" ".join([text, *recorded.warnings]))
        self.notice.show()
