"""Take the README screenshots of the demo ward: ward.png, patient.png, infusion.png, wizard.png, audit.png,
login.png (this folder).

Run from the worktree root under Xvfb for a real window:
    xvfb-run -a -s "-screen 0 1440x900x24" python docs/screenshots/make_screenshots.py [--language es]
        [--size 1024x700] [--text-size 1.5] [--out DIR]
It uses a throw-away data and config folder, so no real database or setting is touched. The window (and the wizard,
never wider or taller than it) takes the size given, so each screen can be looked at as a small laptop shows it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", default="en")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--patient", default="DEMO-003")
    parser.add_argument("--infusion-patient", default="DEMO-005", help="a patient with a hold, for infusion.png")
    parser.add_argument("--size", default="1400x860", help="window width x height in pixels")
    parser.add_argument("--text-size", type=float, default=1.0, help="View > Text size (1.0 = the system font)")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="crs-shots-"))
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    sys.path.insert(0, str(HERE.parent.parent))

    from core.clock import SystemClock
    from gui.app import open_context, prepare_application
    from gui.settings import Settings, settings_path

    width, height = (int(n) for n in options.size.lower().split("x"))
    settings = Settings(language=options.language, text_scales={"nurse.kim": options.text_size})
    app, _translators = prepare_application(options.language)
    args = argparse.Namespace(demo=True, user="nurse.kim", protocol=None)
    ctx = open_context(args, settings, settings_path(), SystemClock())
    from PySide6.QtCore import QEvent

    from gui.main_window import MainWindow

    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()

    def settle() -> None:

        for _ in range(20):
            app.processEvents()
            # Outside app.exec() deleteLater is never run: replaced widgets would stay on the picture.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

    settle()
    options.out.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(options.out / "ward.png"))
    window.open_patient(options.patient)
    settle()
    window.grab().save(str(options.out / "patient.png"))
    window.open_patient(options.infusion_patient)
    window.patient.tabs.setCurrentWidget(window.patient.infusion)
    settle()
    window.grab().save(str(options.out / "infusion.png"))
    window.patient.tabs.setCurrentWidget(window.patient.trend)
    wizard = window.make_wizard("DEMO-002")
    wizard.resize(min(820, width), min(560, height))
    wizard.show()
    wizard.activateWindow()
    settle()
    for widget, text in ((wizard.temperature, "38.9"), (wizard.heart_rate, "112"), (wizard.respiratory_rate, "22")):
        widget.edit.setText(text)
    wizard.advance()
    wizard.systolic.edit.setText("86")
    wizard.diastolic.edit.setText("52")
    wizard.advance()   # the low reading asks for a repeat
    wizard.repeat_systolic.edit.setText("88")
    wizard.repeat_diastolic.edit.setText("54")
    wizard.fluids.setChecked(True)
    wizard.advance()
    wizard.spo2.edit.setText("95")
    wizard.advance()
    wizard.advance()
    settle()
    wizard.grab().save(str(options.out / "wizard.png"))
    wizard.done(0)   # close without the discard question
    shoot_audit(ctx, window, options.out, settle)
    window.close()
    shoot_login(ctx, options.out, settle)
    ctx.bedside.store.close()
    return 0


def shoot_audit(ctx, window, out: Path, settle) -> None:
    """audit.png: a patient's audit tab after a correction (made here, in the throw-away copy of the demo ward)."""
    mrn = "DEMO-002"
    wrong = [s for s in ctx.bedside.records(mrn) if s.record.type == "vitals"][-1]
    ctx.bedside.correct(mrn, str(wrong.record.id), "entered for the wrong bed")
    window.open_patient(mrn)
    window._show_tab(window.audit)
    settle()
    window.grab().save(str(out / "audit.png"))


def shoot_login(ctx, out: Path, settle) -> None:
    """login.png: the sign-in once the ward has accounts (made here, in the throw-away copy of the demo ward)."""
    from core.security import Accounts
    from gui.login import LoginDialog

    accounts = Accounts(ctx.bedside.store, ctx.clock)
    admin = accounts.create_first_admin("ward.admin", "Ward Admin", "screenshot-admin-1")
    accounts.add_user(admin, "kim.nurse", "Kim Nurse", ["nurse"], "screenshot-nurse-1")
    dialog = LoginDialog(accounts, "kim.nurse", demo=True)
    dialog.resize(560, 380)
    dialog.show()
    dialog.activateWindow()
    dialog.form.pin.setText("123456")
    dialog.form.pin.setFocus()
    settle()
    dialog.grab().save(str(out / "login.png"))
    dialog.done(0)


if __name__ == "__main__":
    sys.exit(main())
