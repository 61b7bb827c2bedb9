"""The infusion action dialog: one small keyboard-first form per action (start, stop, resume, change bag,
premedication, discontinue). Saving is ONE core call (``Bedside.record``); core's refusal is shown inline next to the
field it names (the value and the limit), and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import QDateTime, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import BedsideError, GuardRefused, InputError
from core.records import CORTICOSTEROIDS, RECORD_MODELS, Drug, StopReason, field_limits
from core.regimen import dose_per_day
from core.security import Permission
from core.services import GUARDED_TYPES, PREMEDICATION_FIRST, Recorded
from core.state import PatientState
from gui import words as w
from gui.context import AppContext
from gui.errors import show_exception
from gui.wizard_inputs import ERROR_SHEET, _strip_field

#: Up to four digits and two decimals: bag doses reach 1000 mcg, drug doses 5000 mg (core refuses what is beyond).
NUMBER_PATTERN = QRegularExpression(r"^\d{0,4}([.,]\d{0,2})?$")

#: Action -> the record type it appends.
ACTION_KINDS = {
    "start": "infusion_started",
    "stop": "infusion_stopped",
    "resume": "infusion_resumed",
    "bag": "bag_changed",
    "premedication": "medication_given",
    "discontinue": "therapy_discontinued",
}
#: Action -> its fields, in the order typed.
ACTION_FIELDS = {
    "start": ("dose_mcg", "duration_h", "cycle"),
    "stop": ("reason",),
    "resume": ("dose_mcg", "duration_h"),
    "bag": ("dose_mcg", "duration_h"),
    "premedication": ("drug", "dose_mg"),
    "discontinue": ("reason",),
}


def _number(text: str) -> float | int | None:
    """The typed number (``,`` or ``.`` as the decimal mark); ``None`` when empty; ValueError when not a number."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    return float(text) if "." in text else int(text)


class InfusionActionDialog(QDialog):
    """A small form for one infusion action; Enter saves, Esc cancels."""

    def __init__(self, ctx: AppContext, state: PatientState, action: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.state = state
        self.mrn = state.patient.mrn
        self.action = action
        self.kind = ACTION_KINDS[action]
        self.model = RECORD_MODELS[self.kind]
        self.recorded: Recorded | None = None
        p = state.patient
        self.setWindowTitle(self.titles()[action] + " – " + self.tr("bed %1, %2").replace(
            "%1", p.bed or "–").replace("%2", p.name))
        self.setAccessibleName(self.windowTitle())
        who = QLabel(self.tr("Bed %1 · %2 · %3").replace("%1", p.bed or "–").replace("%2", p.name).replace(
            "%3", p.mrn))
        who.setTextFormat(Qt.TextFormat.PlainText)   # the name as typed, never rich text
        bold = who.font()
        bold.setBold(True)
        who.setFont(bold)
        who.setAccessibleName(self.tr("Patient"))

        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        grid = QGridLayout()
        row = 0
        for name in ACTION_FIELDS[action]:
            widget, label_text, hint = self._field(name)
            label = QLabel(label_text)
            label.setBuddy(widget)
            widget.setAccessibleName(label_text.replace("&", ""))
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            hint_label = QLabel(hint)
            hint_label.setAccessibleName(self.tr("Hint for %1").replace("%1", widget.accessibleName()))
            if hint:
                widget.setAccessibleDescription(hint)
            grid.addWidget(hint_label, row, 2)
            message = self._message_label(self.tr("Message for %1").replace("%1", widget.accessibleName()))
            grid.addWidget(message, row + 1, 1, 1, 2)
            self.inputs[name] = widget
            self.messages[name] = message
            row += 2
        self.per_day = QLabel()
        self.per_day.setAccessibleName(self.tr("Dose per day"))
        if "dose_mcg" in self.inputs:
            grid.addWidget(self.per_day, row, 1, 1, 2)
            row += 1
            for name in ("dose_mcg", "duration_h"):
                cast(QLineEdit, self.inputs[name]).textEdited.connect(self._on_bag_edited)
            self._on_bag_edited()
        self.time_edit = QDateTimeEdit()
        self.time_edit.setDisplayFormat("dd MMM yyyy HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setAccessibleName(self.tr("Time it happened"))
        now = ctx.clock.now()
        self.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp())))
        self.time_edit.dateTimeChanged.connect(lambda _v: self.messages["at"].hide())
        time_label = QLabel(self.tr("&Time"))
        time_label.setBuddy(self.time_edit)
        grid.addWidget(time_label, row, 0)
        grid.addWidget(self.time_edit, row, 1)
        grid.addWidget(QLabel(self.tr("now, or earlier if it happened before")), row, 2)
        self.messages["at"] = self._message_label(self.tr("Message for the time"))
        grid.addWidget(self.messages["at"], row + 1, 1, 1, 2)
        grid.setColumnStretch(2, 1)
        self.form_message = self._message_label(self.tr("Message"))
        self.guard = GuardBox(self)   # issue 13: a start the protocol stops says why and takes a clinician's reason

        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setAccessibleName(self.tr("Cancel without saving"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(self.tr("Save: %1").replace("%1", self.titles()[action]))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(grid)
        layout.addWidget(self.form_message)
        layout.addWidget(self.guard)
        layout.addStretch(1)
        layout.addLayout(buttons)
        first = self.inputs[ACTION_FIELDS[action][0]]
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.kind in GUARDED_TYPES:
            self.guard.show_reasons(ctx.bedside.guard(self.mrn))

    def titles(self) -> dict[str, str]:
        """Each action's name."""
        return {"start": self.tr("Start infusion"), "stop": self.tr("Stop infusion"),
                "resume": self.tr("Resume infusion"), "bag": self.tr("Change bag"),
                "premedication": self.tr("Give premedication"), "discontinue": self.tr("Discontinue therapy")}

    # -- building -----------------------------------------------------------------------------------------------
    def _message_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_SHEET)
        label.setAccessibleName(name)
        label.hide()
        return label

    def _limits_hint(self, name: str, unit_words: str) -> str:
        limits = field_limits(self.model, name)
        low = limits.get("gt", limits.get("ge"))
        high = limits.get("le", limits.get("lt"))
        source = self.tr("%1, more than %2 and at most %3") if "gt" in limits else self.tr("%1, %2 to %3")
        return source.replace("%1", unit_words).replace("%2", f"{low:g}").replace("%3", f"{high:g}")

    def _number_edit(self, pattern: QRegularExpression = NUMBER_PATTERN) -> QLineEdit:
        edit = QLineEdit()
        edit.setValidator(QRegularExpressionValidator(pattern, edit))
        edit.setMaxLength(8)
        edit.setMaximumWidth(edit.fontMetrics().averageCharWidth() * 12)
        return edit

    def _field(self, name: str) -> tuple[QWidget, str, str]:
        """(widget, label, hint) of one field."""
        inf = self.state.infusion
        if name == "dose_mcg":
            return self._number_edit(), self.tr("&Dose in the bag"), self._limits_hint(
                name, self.tr("mcg blinatumomab (pharmacy label)"))
        if name == "duration_h":
            return self._number_edit(), self.tr("D&uration of the bag"), self._limits_hint(
                name, self.tr("hours (pharmacy label)"))
        if name == "cycle":
            edit = self._number_edit(QRegularExpression(r"^\d{0,2}$"))
            hint = self.tr("empty: the next cycle") + " · " + self._limits_hint(name, self.tr("cycle number"))
            return edit, self.tr("C&ycle"), hint
        if name == "reason" and self.action == "stop":
            combo = QComboBox()
            for reason in StopReason:
                combo.addItem(w.word(w.STOP_REASONS, reason), reason.value)
            return combo, self.tr("&Reason"), self.tr("every reason but 'cycle complete' starts a hold")
        if name == "reason":
            edit = QLineEdit()
            edit.setMaxLength(500)
            edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 40)
            return edit, self.tr("&Reason"), self.tr("as the prescriber documented it")
        if name == "drug":
            combo = QComboBox()
            for drug in Drug:
                if drug in CORTICOSTEROIDS:
                    combo.addItem(w.word(w.DRUGS, drug), drug.value)
            label = inf.premedication_label
            hint = ""
            if label is not None and label.drug:
                combo.setCurrentIndex(max(0, combo.findData(label.drug)))
                if label.dose_mg is not None:
                    hint = self.tr("label: %1 %2 mg").replace("%1", w.word(w.DRUGS, label.drug)).replace(
                        "%2", f"{label.dose_mg:g}")
            return combo, self.tr("D&rug"), hint
        # dose_mg
        return self._number_edit(), self.tr("D&ose given"), self._limits_hint(name, self.tr("mg"))

    def _on_bag_edited(self, _text: str = "") -> None:
        """Show the dose per day the bag gives (core's formula), beside the expected dose."""
        inf = self.state.infusion
        expected = inf.expected_dose_mcg_per_day
        if expected is None or self.action == "start":
            expected_text = self.tr("label: %1 mcg/day reduced, %2 mcg/day full").replace(
                "%1", f"{inf.restart_dose_mcg_per_day:g}").replace("%2", f"{inf.full_dose_mcg_per_day:g}")
        else:
            expected_text = self.tr("expected now: %1 mcg/day").replace("%1", f"{expected:g}")
        try:
            dose = _number(cast(QLineEdit, self.inputs["dose_mcg"]).text())
            hours = _number(cast(QLineEdit, self.inputs["duration_h"]).text())
        except ValueError:
            dose = hours = None
        if dose and hours:
            per_day = self.tr("= %1 mcg/day").replace("%1", f"{dose_per_day(dose, hours):g}")
            self.per_day.setText(f"{per_day} · {expected_text}")
        else:
            self.per_day.setText(expected_text)

    # -- saving -------------------------------------------------------------------------------------------------
    def when(self) -> datetime:
        """The time in the time field as an aware UTC instant."""
        return datetime.fromtimestamp(self.time_edit.dateTime().toSecsSinceEpoch(), tz=UTC)

    def values(self) -> dict[str, Any]:
        """The fields as typed (numbers parsed; empty ones left out). Raises ValueError naming a non-number."""
        fields: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                fields[name] = widget.currentData()
                continue
            text = cast(QLineEdit, widget).text()
            if name == "reason":
                fields[name] = text.strip() or None
                continue
            try:
                fields[name] = _number(text)
            except ValueError:
                raise ValueError(name) from None
        if self.action == "premedication":
            fields["purpose"] = "premedication"
        fields.update(self.guard.values())
        return fields

    def _clear_messages(self) -> None:
        for label in [*self.messages.values(), self.form_message]:
            label.hide()
            label.clear()

    def show_message(self, field: str | None, text: str) -> None:
        """Core's message next to the field it names (the form's line when it names none of ours)."""
        label = self.messages.get(field or "", self.form_message)
        label.setText("✖ " + text)
        label.show()
        widget = self.time_edit if field == "at" else self.inputs.get(field or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _input_message(self, exc: InputError) -> str:
        """Core's words in English; in another language, the same facts in the window's language."""
        message = _strip_field(str(exc))
        name = exc.field or ""
        english = w.window_language() == "en"
        if name == "at":
            return message if english else self.tr("%1 is in the future: it cannot be recorded ahead of time").replace(
                "%1", self.time_edit.text())
        if name not in self.inputs or name not in self.model.model_fields:
            return message
        value = self.values().get(name)
        if value is None:
            return message if english else self.tr("is required")
        limits = field_limits(self.model, name)
        if english or not any(key in limits for key in ("gt", "ge", "le", "lt")):
            return message
        unit = limits.get("unit", "")
        return self.tr("%1 is outside the allowed range (%2)").replace("%1", f"{value:g}").replace(
            "%2", self._limits_hint(name, unit))

    def save(self) -> None:
        """ONE core call; on refusal the reason goes next to the field and nothing is written."""
        self._clear_messages()
        try:
            fields = self.values()
        except ValueError as exc:
            self.show_message(str(exc), self.tr("not a number"))
            return
        try:
            self.recorded = self.ctx.bedside.record(self.mrn, self.kind, fields, self.when(),
                                                    pin=self.guard.pin_text())
        except GuardRefused as exc:
            self.guard.show_reasons(exc.reasons, refused=True, field=exc.field)
            return
        except InputError as exc:
            self.show_message(exc.field, self._input_message(exc))
            return
        except BedsideError as exc:
            show_exception(self, exc)
            return
        self.ctx.signals.recordsChanged.emit(self.mrn)
        self.accept()


class GuardBox(QWidget):
    """Why the protocol stops this start or restart (core/rules/guard.py), and the clinician's confirmation: a reason,
    and the prescriber who ordered it when the signed-in account is not a clinician's. Hidden when nothing stops it."""

    def __init__(self, dialog: InfusionActionDialog):
        super().__init__(dialog)
        self.dialog = dialog
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet(ERROR_SHEET)
        self.reasons.setAccessibleName(self.tr("Why this start is stopped"))
        self.override_reason = QLineEdit()
        self.override_reason.setAccessibleName(self.tr("Clinician's reason to go ahead"))
        self.ordered_by = QLineEdit()
        self.ordered_by.setAccessibleName(self.tr("Prescriber who ordered it"))
        for name, edit in (("override_reason", self.override_reason), ("ordered_by", self.ordered_by)):
            edit.setMaxLength(field_limits_max(name))
        # A clinician's confirmation is an electronic signature (the PIN again, as for every clinician act).
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("Your PIN, to sign the confirmation"))
        self.signs = dialog.ctx.bedside.account is not None and dialog.ctx.bedside.can(Permission.CONFIRM_GRADE)
        self.premedication = QPushButton(self.tr("Record the &premedication first…"))
        self.premedication.clicked.connect(self._on_premedication_clicked)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.reasons, 0, 0, 1, 2)
        reason_label = QLabel(self.tr("Clinician's &reason to go ahead"))
        reason_label.setBuddy(self.override_reason)
        grid.addWidget(reason_label, 1, 0)
        grid.addWidget(self.override_reason, 1, 1)
        ordered_label = QLabel(self.tr("&Ordered by (prescriber)"))
        ordered_label.setBuddy(self.ordered_by)
        grid.addWidget(ordered_label, 2, 0)
        grid.addWidget(self.ordered_by, 2, 1)
        pin_label = QLabel(self.tr("Your P&IN (signs it)"))
        pin_label.setBuddy(self.pin)
        grid.addWidget(pin_label, 3, 0)
        grid.addWidget(self.pin, 3, 1)
        pin_label.setVisible(self.signs)
        self.pin.setVisible(self.signs)
        grid.addWidget(self.premedication, 4, 1)
        self.hide()

    def show_reasons(self, reasons: list, *, refused: bool = False, field: str | None = None) -> None:
        """List the reasons (their words from gui/words.py) and ask for the confirmation."""
        if not reasons:
            self.hide()
            return
        lines = [w.guard_text(r) for r in reasons]
        if refused:
            lines.append(self.tr("Not saved: a clinician confirms with a reason (signed in as a clinician, or naming "
                                 "the prescriber who ordered it)."))
        self.reasons.setText("✖ " + "\n✖ ".join(lines))
        self.premedication.setVisible(any(r.code == PREMEDICATION_FIRST for r in reasons))
        self.show()
        focus = self.ordered_by if field == "ordered_by" else self.override_reason
        if refused:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def pin_text(self) -> str | None:
        """The clinician's PIN typed to sign the confirmation (``None`` when not asked)."""
        return self.pin.text() or None if self.signs and not self.isHidden() else None

    def values(self) -> dict[str, Any]:
        """The confirmation typed (nothing when the box is hidden)."""
        if self.isHidden():
            return {}
        return {"override_reason": self.override_reason.text().strip() or None,
                "ordered_by": self.ordered_by.text().strip() or None}

    def _on_premedication_clicked(self) -> None:
        dialog = InfusionActionDialog(self.dialog.ctx, self.dialog.state, "premedication", self.dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.dialog.state = dialog.recorded.state if dialog.recorded else self.dialog.state
            self.show_reasons(self.dialog.ctx.bedside.guard(self.dialog.mrn))


def field_limits_max(name: str) -> int:
    """The longest text core accepts for a confirmation field (core/records.py holds the limit)."""
    from annotated_types import MaxLen

    from core.records import InfusionResumed

    return next(m.max_length for m in InfusionResumed.model_fields[name].metadata if isinstance(m, MaxLen))
