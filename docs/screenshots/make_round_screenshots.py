"""Take the screenshots of the nurse's round (issue 13): the empty ward, each new dialog (admit, edit, transfer,
discharge, the Record forms, answer prompts, import preview, the infusion guard) and the patient page with an
answered prompt, on a screen of each size, in the chosen language.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_round_screenshots.py --language es --size 1024x700 \
        --out docs/screenshots/round/es

Each dialog is drawn centred over the window at that screen size, as a nurse sees it. A throw-away copy of the demo
ward and a throw-away config folder are used: no real database or setting is touched. Synthetic data only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", default="en")
    parser.add_argument("--size", default="1024x700")
    parser.add_argument("--out", type=Path, default=HERE / "round")
    options = parser.parse_args()
    width, height = (int(v) for v in options.size.split("x"))
    scratch = Path(tempfile.mkdtemp(prefix="crs-round-shots-"))
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    sys.path.insert(0, str(HERE.parent.parent))

    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QPainter

    from core.clock import SystemClock
    from gui.app import open_context, prepare_application
    from gui.main_window import MainWindow
    from gui.settings import Settings, settings_path

    settings = Settings(language=options.language)
    app, _translators = prepare_application(options.language)
    out = options.out
    out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(20):
            app.processEvents()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

    def shoot(window, name: str, dialog=None) -> None:
        """The window at the screen size, with the dialog (at its own size, at most the screen's) over its middle."""
        window.resize(width, height)
        settle()
        picture = window.grab()
        if dialog is not None:
            hint = dialog.sizeHint()
            dialog.resize(min(max(hint.width(), 520), width - 40), min(hint.height(), height - 40))
            dialog.show()
            settle()
            front = dialog.grab()
            painter = QPainter(picture)
            painter.drawPixmap(QPoint((width - front.width()) // 2, (height - front.height()) // 2), front)
            painter.end()
            dialog.done(0)
        picture.save(str(out / f"{name}.png"))

    # The empty ward of a fresh install, and the import preview over it.
    empty = argparse.Namespace(demo=False, user="nurse.kim", protocol=None, db=str(scratch / "empty.db"))
    ctx = open_context(empty, settings, settings_path(), SystemClock())
    window = MainWindow(ctx)
    window.show()
    shoot(window, "empty_ward")
    shoot(window, "admit", window.make_patient_dialog("admit"))
    admit = window.make_patient_dialog("admit")
    for name, text in (("mrn", "N300"), ("name", "Synthetic Newcomer"), ("birth_date", "1975-11-30"),
                       ("weight_kg", "301")):
        admit.inputs[name].setText(text)
        admit.check(name)
    shoot(window, "admit_limit", admit)
    source = scratch / "from_clinic.json"
    source.write_text(json.dumps(_import_file()), encoding="utf-8")
    from gui.import_dialog import ImportDialog

    shoot(window, "import_preview", ImportDialog(ctx, source, window))
    window.close()
    ctx.bedside.store.close()

    # The demo ward: a patient with prompts, the round's forms, an answered prompt.
    demo = argparse.Namespace(demo=True, user="nurse.kim", protocol=None)
    ctx = open_context(demo, settings, settings_path(), SystemClock())
    window = MainWindow(ctx)
    window.show()
    mrn = "DEMO-004"
    window.open_patient(mrn)
    shoot(window, "patient_pending")
    shoot(window, "answer_prompts", window.make_escalation_dialog(None))
    for kind in ("fluid_bolus", "crs_treatment", "oxygen", "lab_result", "neuro_assessment", "symptom",
                 "observations_not_done", "discharge"):
        shoot(window, f"record_{kind}", window.make_record_dialog(kind))
    shoot(window, "edit_details", window.make_patient_dialog("edit"))
    shoot(window, "transfer", window.make_patient_dialog("transfer"))
    state = ctx.bedside.state(mrn)
    codes = [r.code for r in state.pending]
    ctx.bedside.record(mrn, "escalation", {"to": "prescriber", "response": "attending", "acknowledges": codes,
                                           "name": "Dr Synthetic", "note": "coming in 10 min"})
    window.open_patient(mrn)
    shoot(window, "patient_answered")
    held = "DEMO-003"      # held for CRS: the guard on resuming
    window.open_patient(held)
    window.patient.tabs.setCurrentWidget(window.patient.infusion)
    shoot(window, "infusion_guard", window.patient.infusion.make_dialog("resume"))
    window.show_ward()
    window.ward.mrn_edit.setText("Z999")
    window.ward.open_mrn("Z999")
    shoot(window, "ward_mrn_unknown")
    window.close()
    ctx.bedside.store.close()
    return 0


def _import_file() -> dict:
    from tests.scenario import Timeline, patient

    tl = Timeline("B200")
    tl.add(0, "vitals", temperature_c=37.1, heart_rate=82)
    tl.add(1, "note", text="settled overnight")
    return tl.as_import([patient(mrn="B200", name="Imported Synthetic", bed="2")])


if __name__ == "__main__":
    raise SystemExit(main())
