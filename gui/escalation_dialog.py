"""Answer the prompts (issue 13): whom the nurse called about which prompts, what they did, and a note. Saving is one
``escalation`` record; the answered prompts leave the pending list and show who answered, when and how. Declining
needs the reason in the note (core refuses it otherwise, and the form says so)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from core.records import EscalatedTo, Escalation, EscalationResponse
from core.services import RecommendationCode as Code
from core.services import Recorded
from core.state import PatientState
from gui import words as w
from gui.context import AppContext
from gui.i18n import Round
from gui.record_dialogs import Field, RecordForm
from gui.record_text import local_time

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
#: A prompt answered by the record it asks for: the form that records it (an infusion action, or the vitals wizard).
PROMPT_RECORDS: dict[str, str] = {
    Code.GIVE_PREMEDICATION: "premedication", Code.INTERRUPT_INFUSION: "stop", Code.BAG_CHANGE_DUE: "bag",
    Code.INCREASE_OBSERVATIONS: "vitals", Code.RECORD_FIO2: "vitals",
}


def answered_text(ack: Any) -> str:
    """Who answered a prompt, when and how: "answered 10:05 by nurse.a: prescriber (Dr X) – coming"."""
    called = w.word(w.ESCALATED_TO, ack.to) + (f" ({ack.name})" if ack.name else "")
    text = Round.tr("answered %1 by %2: %3 – %4").replace("%1", local_time(ack.at)).replace(
        "%2", ack.by or "–").replace("%3", called).replace("%4", w.word(w.ESCALATION_RESPONSES, ack.response))
    return text + (f" ({ack.note})" if ack.note else "")


class EscalationDialog(RecordForm):
    """The prompts (pending ones ticked, or the one asked about), then who was called, the response and a note."""

    def __init__(self, ctx: AppContext, state: PatientState, code: str | None = None, parent: QWidget | None = None):
        self.mrn = state.patient.mrn
        self.recorded: Recorded | None = None
        p = state.patient
        fields = [Field("to", "choice", tuple(t.value for t in EscalatedTo), w.ESCALATED_TO),
                  Field("response", "choice", tuple(r.value for r in EscalationResponse), w.ESCALATION_RESPONSES),
                  Field("name", "text"), Field("note", "text")]
        title = Round.tr("Answer prompts – bed %1, %2").replace("%1", p.bed or "–").replace("%2", p.name)
        super().__init__(ctx, title, Escalation, fields, parent=parent,
                         intro=Round.tr("Tick the prompts this call answers (Space ticks), then say whom you called "
                                        "and what they did. Declining needs the reason in the note."))
        self.prompts = QListWidget()
        self.prompts.setAccessibleName(Round.tr("Prompts this answers"))
        self.prompts.setWordWrap(True)   # a long prompt wraps rather than being cut off
        self.prompts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.prompts.setResizeMode(QListWidget.ResizeMode.Adjust)
        for rec in state.recommendations:
            text = w.recommendation_text(rec)
            if rec.acknowledged is not None:
                text += "\n    " + answered_text(rec.acknowledged)
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, rec.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = rec.code == code if code else rec.acknowledged is None
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.prompts.addItem(item)
        self.prompts.setCurrentRow(0)
        self.body.insertWidget(1, self.prompts)
        self.messages["acknowledges"] = self._message(Round.tr("Message for the prompts"))
        self.body.insertWidget(2, self.messages["acknowledges"])
        self.inputs["acknowledges"] = self.prompts
        self.prompts.setFocus(Qt.FocusReason.OtherFocusReason)

    def label_for(self, name: str) -> str:
        if name == "name":
            return Round.tr("&Who was called (name)")
        return super().label_for(name)

    def codes(self) -> list[str]:
        """The ticked prompts' codes."""
        return [self.prompts.item(i).data(CODE_ROLE) for i in range(self.prompts.count())
                if self.prompts.item(i).checkState() == Qt.CheckState.Checked]

    def submit(self, values: dict[str, Any], when: datetime | None) -> None:
        fields = {k: v for k, v in values.items() if v is not None}
        fields["acknowledges"] = self.codes()
        self.recorded = self.ctx.bedside.record(self.mrn, "escalation", fields, when)
        self.ctx.signals.recordsChanged.emit(self.mrn)
