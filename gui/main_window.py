"""The main window: a shell holding the ward view and the patient page, the menus and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from core.cli import app_version
from gui import status_style as ss
from gui.context import AppContext
from gui.errors import show_exception
from gui.patient_page import PatientPage
from gui.settings import geometry_settings_path
from gui.ward_view import WardView
from gui.wizard import VitalsWizard


class MainWindow(QMainWindow):
    """Shell: switches between the ward and a patient, owns the menus and the status bar, nothing clinical."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.demo = ctx.demo or any(p.demo for p in ctx.bedside.patients())
        title = self.tr("CRS Bedside")
        demo_title = self.tr("DEMO WARD")
        self.setWindowTitle(f"{title} – {demo_title}" if self.demo else title)
        self.ward = WardView(ctx)
        self.patient = PatientPage(ctx)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ward)
        self.pages.addWidget(self.patient)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        self.demo_strip = QLabel()
        style = ss.demo_style()
        self.demo_strip.setText(f"{style.symbol}  {style.text}  {style.symbol}")
        self.demo_strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_strip.setStyleSheet(style.sheet())
        self.demo_strip.setAccessibleName(style.accessible)
        self.demo_strip.setVisible(self.demo)
        layout.addWidget(self.demo_strip)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.ward.patientActivated.connect(self.open_patient)
        self.patient.backRequested.connect(self.show_ward)
        self.patient.vitalsRequested.connect(lambda _mrn: self.record_vitals())
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        self.show_ward()

    # -- building -----------------------------------------------------------------------------------------------
    def _action(self, text: str, shortcut: QKeySequence | str | None, slot, menu) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, file_menu)
        patient_menu = bar.addMenu(self.tr("&Patient"))
        self.open_action = self._action(self.tr("&Open selected patient"), "Ctrl+O", self.ward.open_current,
                                        patient_menu)
        self.vitals_action = self._action(self.tr("Record &vitals…"), "Ctrl+R", self.record_vitals, patient_menu)
        self.correct_action = self._action(self.tr("Mark record &entered in error…"), "Ctrl+E",
                                           self._on_correct_triggered, patient_menu)
        self.back_action = self._action(self.tr("Back to the &ward"), "Esc", self.show_ward, patient_menu)
        view_menu = bar.addMenu(self.tr("&View"))
        self._action(self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self.refresh, view_menu)
        self._action(self.tr("&Trend"), "Ctrl+T", lambda: self._show_tab(self.patient.trend), view_menu)
        self._action(self.tr("Re&cords"), "Ctrl+L", lambda: self._show_tab(self.patient.records), view_menu)
        settings_menu = bar.addMenu(self.tr("&Settings"))
        unit_group = QActionGroup(self)
        for unit, text in (("C", self.tr("Temperature in °&C")), ("F", self.tr("Temperature in °&F"))):
            action = self._action(text, None, lambda _=False, u=unit: self.set_temperature_unit(u), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.temperature_unit == unit)
            unit_group.addAction(action)
        settings_menu.addSeparator()
        language_group = QActionGroup(self)
        for language, text in (("en", "&English"), ("es", "E&spañol")):
            action = self._action(text, None, lambda _=False, lang=language: self.set_language(lang), settings_menu)
            action.setCheckable(True)
            action.setChecked(self.ctx.settings.language == language)
            language_group.addAction(action)
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(self.tr("&Keyboard shortcuts"), "F1", self.show_shortcuts, help_menu)
        self._action(self.tr("&About CRS Bedside"), None, self.show_about, help_menu)

    def _build_status_bar(self) -> None:
        bedside = self.ctx.bedside
        protocol = bedside.protocol
        self.db_label = QLabel(self.tr("Database: %1").replace("%1", str(self.ctx.db_path)))
        self.user_label = QLabel(self.tr("User: %1").replace("%1", bedside.user or "?"))
        self.protocol_label = QLabel(self.tr("Protocol: %1 v%2").replace("%1", protocol.id).replace(
            "%2", protocol.version))
        self.protocol_label.setToolTip(protocol.name)
        for label in (self.db_label, self.user_label, self.protocol_label):
            label.setAccessibleName(label.text())
            self.statusBar().addPermanentWidget(label)
        if self.demo:
            demo_word = self.tr("DEMO")
            demo = QLabel(f"{ss.demo_style().symbol} {demo_word}")
            demo.setStyleSheet(ss.demo_style().sheet())
            demo.setAccessibleName(ss.demo_style().accessible)
            self.statusBar().addPermanentWidget(demo)

    def _geometry_store(self) -> QSettings:
        return QSettings(str(geometry_settings_path()), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        geometry = self._geometry_store().value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._geometry_store().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)

    # -- navigation ---------------------------------------------------------------------------------------------
    def show_ward(self) -> None:
        """The ward list, with the keyboard in the table."""
        self.pages.setCurrentWidget(self.ward)
        self.ward.refresh()
        self.ward.focus_table()
        self._update_actions()

    def open_patient(self, mrn: str) -> None:
        """A patient's page."""
        self.patient.set_patient(mrn)
        self.pages.setCurrentWidget(self.patient)
        self.patient.focus_default()
        self._update_actions()

    def current_mrn(self) -> str | None:
        """The patient shown, or highlighted on the ward."""
        if self.pages.currentWidget() is self.patient:
            return self.patient.mrn
        return self.ward.current_mrn()

    def _update_actions(self) -> None:
        on_patient = self.pages.currentWidget() is self.patient
        self.back_action.setEnabled(on_patient)
        self.correct_action.setEnabled(on_patient)
        self.open_action.setEnabled(not on_patient)

    def _show_tab(self, widget: QWidget) -> None:
        if self.pages.currentWidget() is self.patient:
            self.patient.tabs.setCurrentWidget(widget)

    def _on_correct_triggered(self) -> None:
        self._show_tab(self.patient.records)
        self.patient.records.mark_entered_in_error()

    def refresh(self) -> None:
        """Re-read everything shown."""
        self.ward.refresh()
        self.patient.refresh()

    # -- actions ------------------------------------------------------------------------------------------------
    def make_wizard(self, mrn: str) -> VitalsWizard:
        """The vitals wizard for a patient (not shown)."""
        return VitalsWizard(self.ctx, mrn, self)

    def record_vitals(self) -> None:
        """Open the vitals wizard for the patient shown (or highlighted on the ward)."""
        mrn = self.current_mrn()
        if not mrn:
            self.statusBar().showMessage(self.tr("Choose a patient first."), 5000)
            return
        try:
            wizard = self.make_wizard(mrn)
            if wizard.exec() == VitalsWizard.DialogCode.Accepted:
                message = self.tr("Vitals saved.")
                if wizard.warnings:
                    message += " " + " ".join(wizard.warnings)
                self.statusBar().showMessage(message, 10000)
                if self.pages.currentWidget() is self.ward:
                    self.open_patient(mrn)
        except Exception as exc:  # noqa: BLE001 - the one error path
            show_exception(self, exc)

    def set_temperature_unit(self, unit: str) -> None:
        """°C or °F on screen (the store keeps °C)."""
        self.ctx.settings.temperature_unit = unit  # type: ignore[assignment]
        self.ctx.save_settings()
        self.ctx.signals.settingsChanged.emit()

    def set_language(self, language: str) -> None:
        """Language of the next start."""
        self.ctx.settings.language = language  # type: ignore[assignment]
        self.ctx.save_settings()
        self.statusBar().showMessage(self.tr("The language changes the next time CRS Bedside starts."), 10000)

    def show_shortcuts(self) -> None:
        """The keyboard shortcuts."""
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.tr(
            "Ward: ↑/↓ choose a patient, Enter opens, F5 refreshes.\n"
            "Patient: Ctrl+R records vitals, Ctrl+T trend, Ctrl+L records, Ctrl+E marks a record entered in error, "
            "Esc back to the ward.\n"
            "Vitals: type a value, Tab to the next, Enter for the next step, Alt+← back, Enter on the review saves."))

    def show_about(self) -> None:
        """Version and purpose."""
        QMessageBox.about(self, self.tr("About CRS Bedside"), self.tr(
            "CRS Bedside %1\nSupports nursing observation and escalation for patients at risk of cytokine release "
            "syndrome. It recommends; it never orders.").replace("%1", app_version()))
