"""File > Merge from another laptop (a preview before anything is written), File > Export for the EHR (a FHIR R4
Bundle written off the UI thread), and the status-bar line of what waits to be sent to the EHR."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from core.backup import BackupPolicy
from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui.interop import MergePreviewDialog
from gui.main_window import MainWindow
from tests.scenario import T0, patient


@pytest.fixture
def other_laptop_file(tmp_path, clock):
    """Another laptop's export: the same patient admitted there in bed 14, and one set of vitals."""
    store = Store.open(tmp_path / "other.db", backups=BackupPolicy(at_open=False))
    store.laptop_name("nurse-in-charge")
    other = Bedside(store, shipped_protocol(), FixedClock(clock.now()), user="nurse.other")
    other.import_data({"format": "crs-bedside/1", "patients": [
        json.loads(patient(bed="14").model_dump_json(exclude_none=True))], "records": []})
    other.record("A100", "vitals", {"temperature_c": 38.6, "heart_rate": 112}, T0 + timedelta(hours=3))
    path = tmp_path / "from-nic.json"
    path.write_text(json.dumps(other.export()))
    store.close()
    return path


def merge_dialog_answer(qtbot, key, seen: dict):
    """Stands in for the modal preview: shows it, records what it says and what the file holds meanwhile, then
    presses ``key`` on it (Enter merges, Escape cancels)."""
    def answer(window, dialog: MergePreviewDialog) -> bool:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        seen["source"] = dialog.source.text()
        seen["patients"] = dialog.patients.text()
        seen["records"] = dialog.records.text()
        seen["differences"] = [dialog.differences.item(i).text() for i in range(dialog.differences.count())]
        seen["records_in_file"] = window.ctx.bedside.store.record_count()
        qtbot.keyClick(dialog.focusWidget() or dialog, key)
        return dialog.result() == MergePreviewDialog.DialogCode.Accepted
    return answer


def merge_with_key(qtbot, ctx, path, monkeypatch, key) -> tuple[MainWindow, dict, int]:
    """File > Merge from another laptop on ``path``, answering the preview with ``key``."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    seen: dict = {}
    before = ctx.bedside.store.record_count()
    monkeypatch.setattr(window.files, "ask_merge_path", lambda: str(path))
    monkeypatch.setattr(window.files, "confirm_merge",
                        lambda dialog: merge_dialog_answer(qtbot, key, seen)(window, dialog))
    window.merge_action.trigger()
    return window, seen, before


def test_merge_from_another_laptop_shows_a_preview_then_merges(qtbot, ctx, other_laptop_file, monkeypatch):
    window, seen, before = merge_with_key(qtbot, ctx, other_laptop_file, monkeypatch, Qt.Key.Key_Return)
    assert seen == {"source": "nurse-in-charge", "patients": "new: 0 · already here: 1",
                    "records": "new: 1 · already here: 0",
                    "differences": ["A100 bed: here 12, in the file 14"], "records_in_file": before}
    assert ctx.bedside.store.record_count() == before + 1
    assert ctx.bedside.patient("A100").bed == "12"
    assert window.statusBar().currentMessage() == ("Merged. Patients added: 0 · records added: 1 · records already "
                                                   "here: 0. "
                                                   "Differences in patient details kept for review: 1.")
    (conflict,) = ctx.bedside.open_conflicts("A100")
    assert (conflict.field, conflict.here, conflict.there) == ("bed", "12", "14")
    window.open_patient("A100")
    page = window.patient
    assert not page.differences.isHidden()
    assert page.differences.text() == ("⚠ Details differ from another laptop, not yet settled: bed here 12, on "
                                       "nurse-in-charge 14. An admin or clinician settles them by editing the patient.")
    ctx.bedside.record("A100", "patient_updated", {"bed": "14"}, T0 + timedelta(hours=4))
    page.refresh()
    assert page.differences.isHidden()
    window.stop_timers()


def test_cancelling_the_merge_preview_writes_nothing(qtbot, ctx, other_laptop_file, monkeypatch):
    window, seen, before = merge_with_key(qtbot, ctx, other_laptop_file, monkeypatch, Qt.Key.Key_Escape)
    assert seen["records"] == "new: 1 · already here: 0"
    assert ctx.bedside.store.record_count() == before
    assert ctx.bedside.store.conflicts() == []
    window.stop_timers()


def test_export_for_the_ehr_writes_a_fhir_bundle_in_the_background(qtbot, demo_ctx, tmp_path, monkeypatch):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    target = tmp_path / "for-ehr"
    monkeypatch.setattr(window.files, "ask_ehr_path", lambda: str(target))
    window.ehr_export_action.trigger()
    assert not window.ehr_export_action.isEnabled()       # one export at a time
    with qtbot.waitSignal(window.files.fhir_export.exported, timeout=120_000) as done:
        pass
    bundle = json.loads((tmp_path / "for-ehr.json").read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert done.args == [str(tmp_path / "for-ehr.json"), len(bundle["entry"])]
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} >= {"Patient", "Observation", "Provenance",
                                                                        "MedicationAdministration"}
    assert window.statusBar().currentMessage() == f"Exported {len(bundle['entry'])} FHIR resources to " \
                                                  f"{tmp_path / 'for-ehr.json'}"
    assert window.ehr_export_action.isEnabled()
    window.stop_timers()


def test_the_status_bar_says_what_waits_to_be_sent_when_a_server_is_configured(qtbot, ctx, monkeypatch):
    monkeypatch.delenv("CRS_BEDSIDE_FHIR_URL", raising=False)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.outbox_label.isHidden()
    window.stop_timers()
    ctx.settings.fhir_server_url = "https://ehr.example/fhir"
    ctx.bedside.record("A100", "vitals", {"temperature_c": 37.1}, T0 + timedelta(hours=1))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.outbox_label.isHidden()
    assert window.outbox_label.text() == "EHR: 1 to send"
    assert window.outbox_label.toolTip() == "https://ehr.example/fhir"
    ctx.bedside.record("A100", "vitals", {"temperature_c": 37.2}, T0 + timedelta(hours=2))
    window.refresh()
    assert window.outbox_label.text() == "EHR: 2 to send"
    window.stop_timers()
