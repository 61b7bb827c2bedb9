"""The patient's status banner: the grade on both scales, what to do now, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.protocol import Protocol
from core.services import assessment_draft
from core.state import PatientState
from gui import status_style as ss
from gui import why
from gui import words as w
from gui.record_text import local_time, vitals_text
from gui.ward_model import crs_display_style, infusion_text, news2_display_style


def chip(style: ss.Style, scale: float = 1.0) -> QLabel:
    """A label in a status style: colour, symbol and words, with its accessible name."""
    label = QLabel(style.label)
    label.setStyleSheet(style.sheet())
    label.setAccessibleName(style.accessible)
    label.setToolTip(style.accessible)
    if scale != 1.0:
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(True)
        label.setFont(font)
    return label


class StatusBanner(QFrame):
    """Grade, scales, ICANS, NEWS2, infusion; recommendations and management; the values and rules behind them."""

    answerRequested = Signal(str)   # the "Answer…" link of a pending prompt (its code)
    recordRequested = Signal(str)   # the "Record it…" link: the record the prompt asks for (its code)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Patient status"))
        self.stripe = QFrame()
        self.stripe.setFixedWidth(self.fontMetrics().height())
        self.chips = QHBoxLayout()
        self.scales = QLabel()
        self.scales.setWordWrap(True)
        self.scales.setAccessibleName(self.tr("Both CRS scales"))
        self.infusion = QLabel()
        self.infusion.setWordWrap(True)
        self.infusion.setAccessibleName(self.tr("Infusion"))
        self.todo_title = QLabel(self.tr("What to do now"))
        bold = QFont(self.todo_title.font())
        bold.setBold(True)
        self.todo_title.setFont(bold)
        self.todo = QLabel()
        self.todo.setWordWrap(True)
        self.todo.setTextFormat(Qt.TextFormat.RichText)
        self.todo.setAccessibleName(self.tr("What to do now"))
        self.todo.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.todo.linkActivated.connect(self._on_todo_link_activated)
        self.management = QLabel()
        self.management.setWordWrap(True)
        self.management.setAccessibleName(self.tr("Management for this grade"))
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setAccessibleName(self.tr("Why: the values and rules behind the grade"))
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        body = QVBoxLayout()
        row = QHBoxLayout()
        row.addLayout(self.chips)
        row.addStretch(1)
        body.addLayout(row)
        body.addWidget(self.scales)
        body.addWidget(self.infusion)
        grid = QGridLayout()
        grid.addWidget(self.todo_title, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.todo, 0, 1)
        self.management_title = QLabel(self.tr("Management"))
        self.management_title.setFont(bold)
        grid.addWidget(self.management_title, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.management, 1, 1)
        self.why_title = QLabel(self.tr("Why"))
        self.why_title.setFont(bold)
        grid.addWidget(self.why_title, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.why, 2, 1)
        grid.setColumnStretch(1, 1)
        body.addLayout(grid)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 6, 6)
        outer.addWidget(self.stripe)
        outer.addLayout(body, 1)
        self.crs_chip: QLabel | None = None

    def _on_todo_link_activated(self, link: str) -> None:
        kind, _, code = link.partition(":")
        (self.recordRequested if kind == "record" else self.answerRequested).emit(code)

    def _clear_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            chip = item.widget() if item is not None else None
            if chip is not None:
                chip.hide()          # gone from the screen now, not when the event loop gets to it
                chip.deleteLater()

    def show_state(self, state: PatientState, unit: str, protocol: Protocol) -> None:
        """Show a patient's state (temperatures in ``unit``)."""
        c = state.crs
        computed = c.computed
        crs = crs_display_style(state)
        self._clear_chips()
        self.crs_chip = chip(crs, 1.6)
        # a stale or overdue note (its own line) wraps in a narrow window instead of being cut
        self.crs_chip.setWordWrap("\n" in crs.text)
        self.chips.addWidget(self.crs_chip)
        if computed.scales_differ:
            self.chips.addWidget(chip(ss.scales_differ_style(), 1.2))
        self.chips.addWidget(chip(ss.icans_style(state.icans.grade), 1.2))
        news2_style = news2_display_style(state)
        news2 = chip(news2_style, 1.2)
        news2.setWordWrap("\n" in news2_style.text)
        self.chips.addWidget(news2)
        self.stripe.setStyleSheet(f"background-color: {crs.background}; border: 1px solid #333333;")
        self.stripe.setAccessibleName(crs.accessible)

        ctcae = f"{'≥' if computed.ctcae.at_least else ''}{computed.ctcae.grade}"
        scales = self.tr("ASTCT 2019: grade %1 · CTCAE v5: grade %2 · the higher is shown").replace(
            "%1", str(computed.astct.grade)).replace("%2", ctcae)
        if c.confirmed is not None and c.confirmed.in_force:
            scales += " · " + self.tr("set by a clinician to grade %1 (computed %2): %3").replace(
                "%1", str(c.confirmed.grade)).replace("%2", str(computed.grade)).replace("%3", c.confirmed.reason)
        if c.as_of is not None:
            scales += " · " + self.tr("assessed %1").replace("%1", local_time(c.as_of))
        if state.news2_as_of is not None:
            scales += " · " + self.tr("NEWS2 from the set of %1").replace("%1", local_time(state.news2_as_of))
        for label in (self.scales, self.infusion, self.management, self.why):   # a clinician's reason is shown as typed
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.scales.setText(scales)
        self.infusion.setText(self.tr("Infusion: %1").replace("%1", infusion_text(state)))

        sentences = [w.recommendation_text(r) for r in state.recommendations]
        if sentences:
            items = "".join(f"<li>{_escape(sentence)}{prompt_answer_html(r)}</li>"
                            for sentence, r in zip(sentences, state.recommendations, strict=True))
            self.todo.setText(f"<ul style='margin:0; -qt-list-indent:1'>{items}</ul>")
        else:
            sentences = [self.tr("Nothing pending: continue observations as scheduled.")]
            self.todo.setText(sentences[0])
        self.management_title.setText(self.tr("Management (grade %1)").replace("%1", str(c.grade)))
        self.management.setText(w.management_text(c.grade, int(assessment_draft.hypotension_line(state, protocol))))
        self.why.setText(self._why(state, unit))
        # A screen reader reads what a sighted nurse reads: the heading and the sentences under it (issue 14).
        _speak(self.todo, self.todo_title.text(), " ".join(sentences))
        _speak(self.management, self.management_title.text(), self.management.text())
        _speak(self.why, self.why_title.text(), self.why.text().replace("\n", ". "))

    def _why(self, state: PatientState, unit: str) -> str:
        cv = state.vitals
        parts = [why.trigger_sentence(state, unit)]
        values = vitals_text(dict(cv.values), unit)
        if values:
            newest = max(cv.taken_at.values())
            parts.append(self.tr("Values now: %1 (taken %2)").replace("%1", values).replace("%2", local_time(newest)))
            earlier = why.carried_forward(cv, newest, unit)
            if earlier:
                parts.append(self.tr("From an earlier set: %1").replace("%1", earlier))
        else:
            parts.append(self.tr("No vital signs in the last hours."))
        if cv.fluids_given:
            parts.append(self.tr("fluid bolus within the window"))
        if cv.vasopressors:
            parts.append(self.tr("vasopressors running: %1").replace(
                "%1", ", ".join(w.word(w.VASOPRESSORS, v) for v in sorted(a.value for a in cv.vasopressors))))
        flags = [w.word(w.FLAGS, f) for f in state.flags] + [w.word(w.FLAGS, f) for f in state.risk_factors]
        if flags:
            parts.append(self.tr("Notes: %1").replace("%1", "; ".join(flags)))
        missing = list(dict.fromkeys(list(state.crs.computed.missing) + list(state.news2.missing)))
        if missing:
            parts.append(self.tr("Missing: %1").replace("%1", ", ".join(w.word(w.MISSING, m) for m in missing)))
        parts.append(why.rules_details(state))
        return "\n".join(parts)


def _speak(label: QLabel, heading: str, sentences: str) -> None:
    """The label's accessible name is its heading with the sentences; the description is the sentences alone."""
    label.setAccessibleName(f"{heading}: {sentences}")
    label.setAccessibleDescription(sentences)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def prompt_answer_html(rec: object) -> str:
    """Issue 13: a pending prompt links to its answer (Enter on the link opens the escalation form); an answered one
    says who answered, when and how."""
    from gui.escalation_dialog import PROMPT_RECORDS, answered_text
    from gui.i18n import Round

    ack = getattr(rec, "acknowledged", None)
    code = getattr(rec, "code", "")
    if ack is None:
        answer_words = _escape(Round.tr("Answer…"))
        record_words = _escape(Round.tr("Record it…"))
        record = f" · <a href='record:{code}'>{record_words}</a>" if code in PROMPT_RECORDS else ""
        return f" <a href='answer:{code}'>{answer_words}</a>{record}"
    return f"<br><span style='color:#333333'>✓ {_escape(answered_text(ack))}</span>"
