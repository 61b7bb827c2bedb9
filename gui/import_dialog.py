"""File -> Import... (issue 13): what ``crs-bedside import`` does, in the window. The file is validated whole and a
preview says what it will add; nothing is written until the nurse presses Import, and a bad file is named inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from core.errors import BedsideError, InputError
from core.services import AppendResult, read_json_file
from gui import words as w
from gui.context import AppContext
from gui.errors import show_exception
from gui.fit import breakable_path, fit_widest_word
from gui.i18n import Round
from gui.record_dialogs import fit_bold
from gui.wizard_inputs import ERROR_SHEET


class ImportDialog(QDialog):
    """The preview of one file and the Import button."""

    def __init__(self, ctx: AppContext, path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path(path)
        self.data: Any = None
        self.result_counts: AppendResult | None = None
        self.setWindowTitle(Round.tr("Import %1").replace("%1", self.path.name))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(Round.tr("What the file will add"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_SHEET)
        self.error.setAccessibleName(Round.tr("Why the file cannot be imported"))
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(Round.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        fit_bold(self.import_button)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._read()
        fit_widest_word(self.preview, whole_lines=True)    # the file's path on one line when the screen has room
        fit_widest_word(self.error)

    def _fail(self, message: str) -> None:
        self.error.setText("✖ " + message + "\n" + Round.tr("Nothing was written."))
        self.error.show()
        fit_widest_word(self.error)
        self.import_button.setEnabled(False)

    def _read(self) -> None:
        try:
            self.data = read_json_file(self.path)
            preview = self.ctx.bedside.import_preview(self.data)
        except InputError as exc:
            self.preview.setText(Round.tr("File: %1").replace("%1", breakable_path(self.path)))
            self._fail(str(exc))
            return
        except BedsideError as exc:
            self.preview.setText(Round.tr("File: %1").replace("%1", breakable_path(self.path)))
            self._fail(str(exc))
            return
        lines = [Round.tr("File: %1").replace("%1", breakable_path(self.path))]
        lines.append(Round.tr("New patients: %1 · already here: %2").replace(
            "%1", str(len(preview.new_patients))).replace("%2", str(preview.known_patients)))
        for p in preview.new_patients:
            lines.append(f"  • {p.name} · {p.mrn} · {p.ward or '–'} {p.bed or '–'}")
        lines.append(Round.tr("New records: %1 · already stored: %2").replace(
            "%1", str(preview.new_records)).replace("%2", str(preview.known_records)))
        for kind, count in sorted(preview.new_by_type.items()):
            lines.append(f"  • {w.word(w.RECORD_TYPES, kind)}: {count}")
        if not preview.new_patients and not preview.new_records:
            lines.append(Round.tr("Everything in this file is already here: importing adds nothing."))
        self.preview.setText("\n".join(lines))
        self.import_button.setFocus()

    def _on_buttons_accepted(self) -> None:
        try:
            self.result_counts = self.ctx.bedside.import_data(self.data)
        except InputError as exc:
            self._fail(str(exc))
            return
        except BedsideError as exc:
            show_exception(self, exc)
            return
        for mrn in {r.get("mrn") for r in self.data.get("records", []) if isinstance(r, dict)} | {
                p.get("mrn") for p in self.data.get("patients", []) if isinstance(p, dict)}:
            if mrn:
                self.ctx.signals.recordsChanged.emit(mrn)
        self.accept()
