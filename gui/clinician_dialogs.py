"""The clinician's entries (D6, D9): confirm or override the computed CRS grade with a reason, and close a CRS
episode with a reason. Each OK appends one record through one core call; a refusal is shown inline (bad input) or
through the one error path (a role refused by core)."""

from __future__ import annotations

from collections.abc import Callable

from annotated_types import MaxLen
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.records import GradeConfirmed, field_limits
from gui import status_style as ss
from gui.errors import show_exception
from gui.login import message_label


class ClinicianEntryDialog(QDialog):
    """A reason (always) and a CRS grade (for a confirmation); OK calls ``save`` and closes only when it worked."""

    def __init__(self, title: str, intro: str, *, computed_grade: int | None = None, ask_grade: bool = False,
                 sign: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.save: Callable[[ClinicianEntryDialog], None] | None = None
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.grade = QSpinBox()
        limits = field_limits(GradeConfirmed, "grade")
        self.grade.setRange(int(limits["ge"]), int(limits["le"]))
        self.grade.setAccessibleName(self.tr("CRS grade"))
        if ask_grade:
            computed = ss.crs_style(computed_grade).label
            form.addRow(self.tr("Computed now:"), QLabel(computed))
            self.grade.setValue(computed_grade or 0)
            grade_label = QLabel(self.tr("&Grade (0–5):"))
            grade_label.setBuddy(self.grade)
            form.addRow(grade_label, self.grade)
        self.reason = QLineEdit()
        self.reason.setMaxLength(next(m.max_length for m in GradeConfirmed.model_fields["reason"].metadata
                                      if isinstance(m, MaxLen)))   # the limit lives in core/records.py
        self.reason.setAccessibleName(self.tr("Reason"))
        reason_label = QLabel(self.tr("&Reason (required):"))
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        # An electronic signature (21 CFR Part 11 §11.200): the clinician enters the PIN again; core checks it.
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("PIN to sign"))
        self.pin_label = QLabel(self.tr("&PIN (your electronic signature):"))
        self.pin_label.setBuddy(self.pin)
        if sign:
            form.addRow(self.pin_label, self.pin)
        else:
            self.pin.hide()
            self.pin_label.hide()
        layout.addLayout(form)
        self.error = message_label(self.tr("Entry message"))
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda value: self.ok.setEnabled(bool(value.strip())))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.grade if ask_grade else self.reason).setFocus(Qt.FocusReason.OtherFocusReason)

    def reason_text(self) -> str:
        """The reason typed."""
        return self.reason.text().strip()

    def pin_text(self) -> str | None:
        """The PIN typed to sign (``None`` when the dialog does not ask for one)."""
        return self.pin.text() if not self.pin.isHidden() else None

    def _on_buttons_accepted(self) -> None:
        if self.save is None:
            self.accept()
            return
        try:
            self.save(self)
        except InputError as exc:
            self.error.setText(str(exc))
            if exc.field == "pin":
                self.pin.clear()
                self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except Exception as exc:  # the one error path (PermissionDenied included)
            self.reject()
            show_exception(self.parentWidget(), exc)
            return
        self.accept()

