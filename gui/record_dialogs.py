"""Record what was done (issue 13): one small keyboard-first form per kind of record — fluid bolus, CRS treatment,
vasopressor started or stopped, oxygen changed, lab result, ICE/neuro assessment, symptom, note, observations not
done, discharge. Type, Tab, Enter saves; Esc cancels. Saving is ONE core call (``Bedside.record``); core's refusal
appears next to the field it names (the value and the limit) and nothing is written.

``RecordForm`` is the shared form (also used by the admission and escalation dialogs): the limits shown beside each
field are read from the record's pydantic fields (core/records.py), never typed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel
from PySide6.QtCore import QDateTime, QRegularExpression, Qt
from PySide6.QtGui import QFont, QFontMetrics, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
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

from core.errors import BedsideError, InputError
from core.records import (
    RECORD_MODELS,
    Arousal,
    CerebralEdema,
    Drug,
    NotDoneReason,
    OxygenDevice,
    Seizure,
    Vasopressor,
    VitalsRecord,
    field_limits,
)
from core.services import Recorded
from core.state import PatientState
from gui import fit
from gui import words as w
from gui.context import AppContext
from gui.errors import show_exception
from gui.i18n import Round
from gui.wizard_inputs import ERROR_SHEET, _strip_field

#: A number as a nurse types it: digits, one decimal mark (``.`` or ``,``); core checks the range.
NUMBER = QRegularExpression(r"^\d{0,5}([.,]\d{0,2})?$")


@dataclass(frozen=True)
class Field:
    """One input: the record field it fills, how it is entered, and (for choices) the codes and their words."""

    name: str
    kind: str                        # number, integer, text, choice, editable, check, date
    choices: tuple[str, ...] = ()
    table: dict[str, str] | None = None
    optional_choice: bool = False    # a choice that may stay empty (the first item is "–")


def fit_bold(button: QPushButton) -> None:
    """Room for the label in bold: the default button is drawn bold, and a longer word (Spanish) was clipped."""
    font = QFont(button.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    wanted = metrics.horizontalAdvance(button.text().replace("&", "")) + 4 * metrics.averageCharWidth()
    button.setMinimumWidth(max(button.sizeHint().width(), wanted))


def number(text: str, integer: bool) -> int | float | None:
    """The typed number (``,`` or ``.`` as the decimal mark); ``None`` when empty; ValueError when not a number
    (strict: "38.5" typed in a whole-number field is refused, never rounded)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    if integer:
        if not text.isdigit():
            raise ValueError(text)
        return int(text)
    return float(text)


class RecordForm(QDialog):
    """A form of fields with their limits and inline messages, an optional time, and Save/Cancel (Enter/Esc)."""

    def __init__(self, ctx: AppContext, title: str, model: type[BaseModel], fields: list[Field], *,
                 with_time: bool = True, intro: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self.fields = {f.name: f for f in fields}
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        # the intro, the fields and the messages scroll on a small screen; the buttons below stay in view
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        body.setLayout(self.body)
        self.form_scroll = fit.FormScroll(body)
        layout.addWidget(self.form_scroll, 1)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.body.addWidget(self.intro)
        self.grid = QGridLayout()
        self._row = 0
        for spec in fields:
            self._add(spec)
        self.time_edit: QDateTimeEdit | None = None
        if with_time:
            self.time_edit = QDateTimeEdit()
            self.time_edit.setDisplayFormat("dd MMM yyyy HH:mm")
            self.time_edit.setAccessibleName(Round.tr("Time it happened"))
            self.time_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ctx.clock.now().timestamp())))
            self._place(Round.tr("&Time"), self.time_edit, Round.tr("now, or earlier if it happened before"), "at")
        self.grid.setColumnStretch(1, 1)
        self.body.addLayout(self.grid)
        self.form_message = self._message(Round.tr("Message"))
        self.body.addWidget(self.form_message)
        self.body.addStretch(1)
        self.cancel_button = QPushButton(Round.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(Round.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(Round.tr("Save: %1").replace("%1", title))
        self.save_button.clicked.connect(self.save)
        fit_bold(self.save_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        if fields:
            self.inputs[fields[0].name].setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building -----------------------------------------------------------------------------------------------
    def label_for(self, name: str) -> str:
        """The field's label (words from gui/words.py where the field is a patient's; the model's description
        otherwise, translated through FIELD_LABELS)."""
        return field_labels().get(name, name)

    def hint_for(self, spec: Field) -> str:
        """The limits beside a number field, read from the model (one place for each limit)."""
        if spec.kind not in ("number", "integer"):
            return ""
        limits = field_limits(self.model, spec.name)
        low = limits.get("ge", limits.get("gt"))
        high = limits.get("le", limits.get("lt"))
        if low is None or high is None:
            return limits.get("unit", "")
        return Round.tr("%1–%2 %3").replace("%1", f"{low:g}").replace("%2", f"{high:g}").replace(
            "%3", limits.get("unit", "")).strip()

    def _message(self, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_SHEET)
        label.setAccessibleName(name)
        label.hide()
        return label

    def _widget(self, spec: Field) -> QWidget:
        if spec.kind in ("number", "integer"):
            edit = QLineEdit()
            edit.setValidator(QRegularExpressionValidator(NUMBER, edit))
            edit.returnPressed.connect(self.save)
            return edit
        if spec.kind in ("text", "date"):
            edit = QLineEdit()
            if spec.kind == "date":
                edit.setPlaceholderText(Round.tr("YYYY-MM-DD"))
            edit.returnPressed.connect(self.save)
            return edit
        if spec.kind == "check":
            return QCheckBox()
        combo = QComboBox()
        combo.setEditable(spec.kind == "editable")
        if spec.optional_choice:
            combo.addItem("–", None)
        for code in spec.choices:
            combo.addItem(w.word(spec.table or {}, code), code)
        return combo

    def _place(self, label_text: str, widget: QWidget, hint: str, name: str) -> None:
        label = QLabel(label_text)
        label.setBuddy(widget)
        widget.setAccessibleName(label_text.replace("&", ""))
        if isinstance(widget, QComboBox) and (line := widget.lineEdit()) is not None:   # an editable list: its text too
            line.setAccessibleName(label_text.replace("&", ""))
        if hint:
            widget.setAccessibleDescription(hint)
        self.grid.addWidget(label, self._row, 0)
        self.grid.addWidget(widget, self._row, 1)
        self.grid.addWidget(QLabel(hint), self._row, 2)
        message = self._message(Round.tr("Message for %1").replace("%1", widget.accessibleName()))
        self.grid.addWidget(message, self._row + 1, 1, 1, 2)
        self.messages[name] = message
        self._row += 2

    def _add(self, spec: Field) -> None:
        widget = self._widget(spec)
        self.inputs[spec.name] = widget
        self._place(self.label_for(spec.name), widget, self.hint_for(spec), spec.name)

    # -- reading ------------------------------------------------------------------------------------------------
    def when(self) -> datetime | None:
        """The time typed, as an aware UTC instant (``None`` for a form without a time)."""
        if self.time_edit is None:
            return None
        return datetime.fromtimestamp(self.time_edit.dateTime().toSecsSinceEpoch(), tz=UTC)

    def values(self) -> dict[str, Any]:
        """The fields as typed; empty ones are ``None``. Raises ValueError naming a field that is not a number."""
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            widget = self.inputs[name]
            if isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                if widget.isEditable():
                    text = widget.currentText().strip()
                    data = widget.currentData()
                    out[name] = data if data is not None and widget.itemText(widget.currentIndex()) == text \
                        else (text or None)
                else:
                    out[name] = widget.currentData()
            elif spec.kind in ("number", "integer"):
                try:
                    out[name] = number(cast(QLineEdit, widget).text(), spec.kind == "integer")
                except ValueError:
                    raise ValueError(name) from None
            else:
                out[name] = cast(QLineEdit, widget).text().strip() or None
        return out

    # -- messages -----------------------------------------------------------------------------------------------
    def clear_messages(self) -> None:
        for label in [*self.messages.values(), self.form_message]:
            label.clear()
            label.hide()

    def show_message(self, field: str | None, text: str) -> None:
        """A message next to the field it names (the form's own line when it names none of ours)."""
        label = self.messages.get(field or "", self.form_message)
        label.setText("✖ " + text)
        label.show()
        widget = self.inputs.get(field or "") or (self.time_edit if field == "at" else None)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self, values: dict[str, Any], when: datetime | None) -> None:
        """The one core call of this form (subclasses)."""
        raise NotImplementedError

    def save(self) -> None:
        """Gather, make the one core call, and close; on refusal the reason goes next to the field."""
        self.clear_messages()
        try:
            values = self.values()
        except ValueError as exc:
            self.show_message(str(exc), Round.tr("not a number"))
            return
        try:
            self.submit(values, self.when())
        except InputError as exc:
            self.show_message(exc.field, _strip_field(str(exc)))
            return
        except BedsideError as exc:
            show_exception(self, exc)
            return
        self.accept()


def field_labels() -> dict[str, str]:
    """Labels of every field the forms show (with their keyboard mnemonics), in the user's language."""
    return {
        "volume_ml": Round.tr("&Volume"),
        "drug": Round.tr("&Drug"),
        "dose_mg": Round.tr("D&ose"),
        "agent": Round.tr("&Agent"),
        "oxygen_device": Round.tr("Oxygen &device"),
        "oxygen_flow_l_min": Round.tr("&Flow"),
        "fio2_percent": Round.tr("F&iO2"),
        "oxygen_for_comfort_only": Round.tr("For &comfort only"),
        "test": Round.tr("T&est"),
        "value": Round.tr("&Value"),
        "unit": Round.tr("&Unit"),
        "ice_score": Round.tr("&ICE score"),
        "arousal": Round.tr("&Arousal"),
        "seizure": Round.tr("&Seizure"),
        "motor_weakness": Round.tr("&Motor weakness"),
        "cerebral_edema": Round.tr("Cerebral &oedema"),
        "name": Round.tr("&Name"),
        "note": Round.tr("N&ote"),
        "text": Round.tr("&Text"),
        "reason": Round.tr("&Reason"),
        "mrn": Round.tr("&MRN"),
        "birth_date": Round.tr("Date of &birth"),
        "sex": Round.tr("Se&x"),
        "weight_kg": Round.tr("&Weight"),
        "height_cm": Round.tr("&Height"),
        "indication": Round.tr("&Indication"),
        "diagnosis": Round.tr("Dia&gnosis"),
        "ward": Round.tr("W&ard"),
        "bed": Round.tr("&Bed"),
        "marrow_blasts_percent": Round.tr("Marrow b&lasts"),
        "to": Round.tr("&Called"),
        "response": Round.tr("&Response"),
    }


@dataclass(frozen=True)
class Kind:
    """One kind of record a nurse enters from the Record menu: its record type, fields and fixed values."""

    record_type: str
    fields: tuple[Field, ...]
    fixed: tuple[tuple[str, Any], ...] = ()


_CRS_DRUGS = (Drug.PARACETAMOL.value, Drug.TOCILIZUMAB.value, Drug.DEXAMETHASONE.value,
              Drug.METHYLPREDNISOLONE.value, Drug.PREDNISONE.value, Drug.OTHER.value)

#: Every kind of record the Record menu offers (the vitals set and the infusion have their own forms).
KINDS: dict[str, Kind] = {
    "fluid_bolus": Kind("fluid_bolus", (Field("volume_ml", "number"),)),
    "crs_treatment": Kind("medication_given", (Field("drug", "choice", _CRS_DRUGS, w.DRUGS),
                                               Field("dose_mg", "number")), (("purpose", "crs_treatment"),)),
    "vasopressor_started": Kind("vasopressor_started",
                                (Field("agent", "choice", tuple(v.value for v in Vasopressor), w.VASOPRESSORS),)),
    "vasopressor_stopped": Kind("vasopressor_stopped",
                                (Field("agent", "choice", tuple(v.value for v in Vasopressor), w.VASOPRESSORS),)),
    "oxygen": Kind("vitals", (Field("oxygen_device", "choice", tuple(d.value for d in OxygenDevice), w.OXYGEN_DEVICES),
                              Field("oxygen_flow_l_min", "number"), Field("fio2_percent", "integer"),
                              Field("oxygen_for_comfort_only", "check"))),
    "lab_result": Kind("lab_result", (Field("test", "editable", tuple(w.LAB_TESTS), w.LAB_TESTS),
                                      Field("value", "number"), Field("unit", "text"))),
    "neuro_assessment": Kind("neuro_assessment", (
        Field("ice_score", "integer"), Field("arousal", "choice", tuple(a.value for a in Arousal), w.AROUSAL),
        Field("seizure", "choice", tuple(s.value for s in Seizure), w.SEIZURE), Field("motor_weakness", "check"),
        Field("cerebral_edema", "choice", tuple(c.value for c in CerebralEdema), w.CEREBRAL_EDEMA))),
    "symptom": Kind("symptom", (Field("name", "editable", tuple(w.SYMPTOMS), w.SYMPTOMS), Field("note", "text"))),
    "note": Kind("note", (Field("text", "text"),)),
    "observations_not_done": Kind("observations_not_done", (
        Field("reason", "choice", tuple(r.value for r in NotDoneReason), w.NOT_DONE_REASONS), Field("note", "text"))),
    "discharge": Kind("discharged", (Field("note", "text"),)),
}


def kind_titles() -> dict[str, str]:
    """The name of each kind, as the menu and the dialog's title say it (gui/words.py)."""
    return {kind: w.word(w.RECORD_KINDS, kind) for kind in KINDS}


class RecordDialog(RecordForm):
    """One record of a kind for one patient; ``recorded`` holds what core returned."""

    def __init__(self, ctx: AppContext, state: PatientState, kind: str, parent: QWidget | None = None):
        self.kind = KINDS[kind]
        self.mrn = state.patient.mrn
        self.recorded: Recorded | None = None
        model = VitalsRecord if self.kind.record_type == "vitals" else RECORD_MODELS[self.kind.record_type]
        p = state.patient
        title = kind_titles()[kind] + " – " + Round.tr("bed %1, %2").replace("%1", p.bed or "–").replace(
            "%2", p.name)
        super().__init__(ctx, title, model, list(self.kind.fields), parent=parent)
        self.kind_name = kind

    def submit(self, values: dict[str, Any], when: datetime | None) -> None:
        fields = {k: v for k, v in values.items() if v not in (None, False) or k in ("motor_weakness",)}
        fields.update(dict(self.kind.fixed))
        self.recorded = self.ctx.bedside.record(self.mrn, self.kind.record_type, fields, when)
        self.ctx.signals.recordsChanged.emit(self.mrn)
