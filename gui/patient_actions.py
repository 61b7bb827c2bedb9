"""The Patient and Record menus: the vitals wizard, the nurse's round (admit, edit, transfer, discharge, answer
prompts, record what was done; issue 13) and the clinician's entries (confirm or override the CRS grade, close the
episode; D6, D9). Each opens its dialog for the patient shown or highlighted; the dialog calls the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from core.state import PatientState
from gui.errors import show_exception
from gui.i18n import Round

if TYPE_CHECKING:
    from gui.admit_dialog import PatientDialog
    from gui.clinician_dialogs import ClinicianEntryDialog
    from gui.escalation_dialog import EscalationDialog
    from gui.main_window import MainWindow
    from gui.record_dialogs import RecordDialog
    from gui.wizard import VitalsWizard


class PatientActions(QObject):
    """Opens the patient's dialogs from the menus and reports what was saved in the status bar."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx

    def _message(self, text: str, timeout: int) -> None:
        self.window.statusBar().showMessage(text, timeout)

    # -- vitals -------------------------------------------------------------------------------------------------
    def make_wizard(self, mrn: str) -> VitalsWizard:
        """The vitals wizard for a patient (not shown)."""
        from gui.wizard import VitalsWizard

        return VitalsWizard(self.ctx, mrn, self.window)

    def record_vitals(self) -> None:
        """Open the vitals wizard for the patient shown (or highlighted on the ward)."""
        window = self.window
        mrn = window.current_mrn()
        if not mrn:
            self._message(self.tr("Choose a patient first."), 5000)
            return
        try:
            wizard = window.make_wizard(mrn)
            if wizard.exec() == QDialog.DialogCode.Accepted:
                message = self.tr("Vitals saved.")
                if wizard.warnings:
                    message += " " + " ".join(wizard.warnings)
                self._message(message, 10000)
                if window.pages.currentWidget() is window.ward:
                    window.open_patient(mrn)
        except Exception as exc:  # the one error path
            show_exception(window, exc)

    # -- clinician entries (D6, D9) -----------------------------------------------------------------------------
    def _patient_text(self) -> str:
        state = self.window.patient.state
        if state is None:
            return self.window.patient.mrn or ""
        return self.tr("Bed %1 · %2").replace("%1", state.patient.bed or "–").replace("%2", state.patient.name)

    def make_grade_dialog(self) -> ClinicianEntryDialog:
        """Confirm or override the computed CRS grade (not shown)."""
        from gui.clinician_dialogs import ClinicianEntryDialog

        state = self.window.patient.state
        intro = self.tr("Confirm the computed CRS grade of %1, or override it. Give the reason: the computed grade "
                        "and yours are both kept.").replace("%1", self._patient_text())
        return ClinicianEntryDialog(self.tr("Confirm or override the CRS grade"), intro,
                                    computed_grade=state.crs.grade if state is not None else None, ask_grade=True,
                                    sign=self.ctx.bedside.account is not None, parent=self.window)

    def make_close_episode_dialog(self) -> ClinicianEntryDialog:
        """Close the open CRS episode (not shown)."""
        from gui.clinician_dialogs import ClinicianEntryDialog

        intro = self.tr("Close the open CRS episode of %1. From now on a new fever opens a new episode, and the fever "
                        "waiver after CRS treatment (R-AST-2) no longer applies.").replace("%1", self._patient_text())
        return ClinicianEntryDialog(self.tr("Close the CRS episode"), intro,
                                    sign=self.ctx.bedside.account is not None, parent=self.window)

    def _clinician_entry(self, dialog: ClinicianEntryDialog, kind: str, done: str) -> None:
        mrn = self.window.patient.mrn
        if mrn is None:
            return

        def save(d: ClinicianEntryDialog) -> None:
            fields: dict[str, object] = {"reason": d.reason_text()}
            if kind == "grade_confirmed":
                fields["grade"] = d.grade.value()
            self.ctx.bedside.record(mrn, kind, fields, pin=d.pin_text())

        dialog.save = save
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._message(done, 10000)
            self.ctx.signals.recordsChanged.emit(mrn)
        self.window.update_actions()

    def confirm_grade(self) -> None:
        """A clinician confirms or overrides the computed CRS grade with a reason (one grade_confirmed record)."""
        self._clinician_entry(self.window.make_grade_dialog(), "grade_confirmed",
                              self.tr("CRS grade confirmation saved."))

    def close_episode(self) -> None:
        """A clinician closes the open CRS episode with a reason (one crs_episode_closed record)."""
        self._clinician_entry(self.window.make_close_episode_dialog(), "crs_episode_closed",
                              self.tr("CRS episode closed."))

    # -- the nurse's round (issue 13) ------------------------------------------------------------------------------
    def _round_state(self) -> PatientState | None:
        """The state of the patient shown or highlighted (a message in the status bar when there is none)."""
        mrn = self.window.current_mrn()
        if not mrn:
            self._message(self.tr("Choose a patient first."), 5000)
            return None
        return self.ctx.bedside.state(mrn)

    def _after_round_dialog(self, message: str, warnings: tuple[str, ...] = ()) -> None:
        window = self.window
        self._message(" ".join([message, *warnings]), 10000)
        if window.pages.currentWidget() is window.ward:
            window.ward.refresh()
        else:
            window.patient.refresh()
        window.update_actions()

    def make_record_dialog(self, kind: str) -> RecordDialog | None:
        """The form for one kind of record for the patient shown (not shown)."""
        from gui.record_dialogs import RecordDialog

        state = self._round_state()
        return None if state is None else RecordDialog(self.ctx, state, kind, self.window)

    def record_kind(self, kind: str) -> None:
        """Record what was done (Record menu), or discharge (Patient menu)."""
        dialog = self.window.make_record_dialog(kind)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Saved."), dialog.recorded.warnings)

    def make_escalation_dialog(self, code: str | None = None) -> EscalationDialog | None:
        """Answer prompts for the patient shown (not shown); ``code`` ticks only that prompt."""
        from gui.escalation_dialog import EscalationDialog

        state = self._round_state()
        return None if state is None else EscalationDialog(self.ctx, state, code, self.window)

    def answer_prompts(self, code: str | None) -> None:
        """Record whom the nurse called about the prompts and what they did (one escalation record)."""
        dialog = self.window.make_escalation_dialog(code)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Answer saved."), dialog.recorded.warnings)

    def record_for_prompt(self, code: str) -> None:
        """The record a prompt asks for: the premedication, the infusion stopped, the bag, a set of vitals."""
        from gui.escalation_dialog import PROMPT_RECORDS

        action = PROMPT_RECORDS.get(code)
        window = self.window
        if action == "vitals":
            window.record_vitals()
        elif action is not None and window.on_patient_page():
            window.patient.tabs.setCurrentWidget(window.patient.infusion)
            window.patient.infusion.run_action(action)

    def make_patient_dialog(self, mode: str) -> PatientDialog | None:
        """Admit (no patient needed), edit or transfer the patient shown (not shown)."""
        from gui.admit_dialog import PatientDialog

        if mode == "admit":
            return PatientDialog(self.ctx, "admit", parent=self.window)
        state = self._round_state()
        return None if state is None else PatientDialog(self.ctx, mode, state.patient, self.window)

    def admit(self) -> None:
        """Patient -> Admit... : the new patient's page opens once saved."""
        dialog = self.window.make_patient_dialog("admit")
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.admitted is not None:
            self.window.ward.refresh()
            self.window.open_patient(dialog.admitted.mrn)
            self._message(Round.tr("Patient admitted."), 10000)

    def patient_details(self, mode: str) -> None:
        """Edit the details or transfer: a patient_updated record of what changed."""
        dialog = self.window.make_patient_dialog(mode)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded:
            self._after_round_dialog(Round.tr("Details saved."), dialog.recorded.warnings)
