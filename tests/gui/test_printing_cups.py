"""Printing for real: the handover through a CUPS scheduler of the test's own with a cups-pdf queue.

The command line (``handover --print``) and the window's Print both go through gui.printing's one print path; the
job's PDF, as cups-pdf wrote it after the scheduler, the filters and Ghostscript, is checked for its page count and
page size (pdfinfo) and drawn with pdftoppm (cups-pdf output carries Type 3 fonts, so its text cannot be
extracted). A missing printer, a paused (stopped) queue and a queue that rejects jobs each get one plain message and
print nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QComboBox, QMessageBox

from core.clock import FixedClock
from core.demo import demo_ward
from core.protocol import shipped_protocol
from core.services import Bedside
from core.store import Store
from gui.main_window import MainWindow
from gui.printing import SeverityDialog, write_handover_pdf
from tests.cups_daemon import CupsDaemon, reset_libcups_server, unavailable
from tests.scenario import T0

pytestmark = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")

ROOT = Path(__file__).resolve().parents[2]
NOW = T0 + timedelta(days=1)
#: The demo ward's patients: the handover has the ward summary, then at least a page for each.
DEMO_PATIENTS = 8
A4_POINTS = "595 x 842 pts (A4)"


@pytest.fixture(scope="module")
def cups():
    daemon = CupsDaemon().start()
    yield daemon
    daemon.stop()


@pytest.fixture
def cups_env(cups, monkeypatch):
    """This process (Qt's print plugin, libcups) talks to the test's scheduler; the queue starts ready."""
    cups.ready()
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    reset_libcups_server()
    yield cups
    monkeypatch.undo()
    reset_libcups_server()


@pytest.fixture
def demo_db(tmp_path) -> Path:
    path = tmp_path / "ward.db"
    with Store.open(path) as store:
        Bedside(store, shipped_protocol("default"), FixedClock(NOW), "test").import_data(demo_ward(NOW))
    return path


def pdfinfo(path: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def ink(path: Path, page: int) -> float:
    """The share of dark pixels on a page drawn at 40 dpi in grey (pdftoppm), from 0 to 1."""
    pgm = subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), str(path)],
                         capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert header, pgm[:40]
    pixels = pgm[header.end():]
    return sum(1 for value in pixels if value < 128) / len(pixels)


def handover_cli(db: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gui.main", "handover", "--db", str(db),
                           "--at", NOW.isoformat(), *extra],
                          cwd=ROOT, env=dict(env, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
                          timeout=300)


def test_cli_prints_the_ward_handover_on_the_default_printer(cups_env, demo_db, tmp_path):
    before = set(cups_env.out.glob("*.pdf"))
    pdf = tmp_path / "same.pdf"
    result = handover_cli(demo_db, cups_env.env, "--print", "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr + cups_env.error_log()
    # The printed job is the same handover as the PDF written by the same command, page for page.
    written = pdfinfo(pdf)
    pages = int(written["Pages"])
    assert pages >= 1 + DEMO_PATIENTS and written["Page size"] == A4_POINTS
    assert result.stdout.splitlines() == [f"wrote {pdf}", f"sent {pages} pages to the printer ward-pdf"]
    jobs = cups_env.printed(before)
    assert len(jobs) == 1, cups_env.error_log()
    printed = pdfinfo(jobs[0])
    assert (printed["Pages"], printed["Page size"]) == (str(pages), A4_POINTS)
    for page in (1, pages):                           # the ward summary and the last patient's page
        on_paper, on_screen = ink(jobs[0], page), ink(pdf, page)
        assert on_paper > 0.01                        # not a blank page
        # The same ink as the PDF drawn directly, within a quarter (Ghostscript's Type 3 glyphs come out a
        # little bolder; on a sparse page, within half a percent of the page).
        assert abs(on_paper - on_screen) < max(0.25 * on_screen, 0.005), (page, on_paper, on_screen)


def test_cli_prints_on_the_printer_named(cups_env, demo_db):
    before = set(cups_env.out.glob("*.pdf"))
    result = handover_cli(demo_db, cups_env.env, "--print", "--printer", "ward-pdf", "--patient", "DEMO-003")
    assert (result.returncode, result.stdout, result.stderr) == (0, "sent 2 pages to the printer ward-pdf\n", "")
    jobs = cups_env.printed(before)
    assert [pdfinfo(job)["Pages"] for job in jobs] == ["2"]


def test_an_unknown_printer_name_is_bad_input_and_prints_nothing(cups_env, demo_db):
    before = set(cups_env.out.glob("*.pdf"))
    result = handover_cli(demo_db, cups_env.env, "--print", "--printer", "ward-4")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("crs-bedside: --printer: there is no printer named ward-4 on this computer, so nothing "
                             "was printed. The printers are: ward-pdf.\n")
    assert cups_env.printed(before) == []


def test_printer_without_print_is_refused(cups_env, demo_db, tmp_path):
    result = handover_cli(demo_db, cups_env.env, "--pdf", str(tmp_path / "x.pdf"), "--printer", "ward-pdf")
    assert (result.returncode, result.stderr) == (2, "crs-bedside: --printer: ward-pdf is used only with --print\n")
    assert not (tmp_path / "x.pdf").exists()


#: What the command line and the window say when the queue cannot print now, after each CUPS command.
QUEUE_MESSAGES = {
    "cupsdisable": "The printer ward-pdf is paused, so nothing was printed. Resume it in the printer settings "
                   "(cupsenable ward-pdf), or save the handover as a PDF.",
    "cupsreject": "The printer ward-pdf is not accepting jobs, so nothing was printed. Ask IT to let it accept jobs "
                  "again (cupsaccept ward-pdf), or save the handover as a PDF.",
}


@pytest.mark.parametrize("tool", QUEUE_MESSAGES)
def test_a_paused_or_rejecting_queue_gets_one_plain_message_and_nothing_is_queued(cups_env, demo_db, tool):
    cups_env.lp(tool, cups_env.queue)
    result = handover_cli(demo_db, cups_env.env, "--print")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"crs-bedside: {QUEUE_MESSAGES[tool]}\n")
    assert cups_env.pending_jobs() == ""


def test_no_printer_at_all_gets_one_plain_message(cups_env, demo_db):
    cups_env.remove_queue()
    try:
        result = handover_cli(demo_db, cups_env.env, "--print")
    finally:
        cups_env.add_queue()
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("crs-bedside: No printer is set up on this computer, so nothing was printed. Ask IT to "
                             "add one, or save the handover as a PDF.\n")


# -- the window ---------------------------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, demo_ctx, monkeypatch):
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    yield win
    win.handover().wait()
    win.stop_timers()


def test_the_window_lists_the_queue_and_prints_the_ward_through_it(cups_env, window, qtbot, monkeypatch,
                                                                     tmp_path):
    listed: list[list[str]] = []

    def choose_and_print(dialog: QPrintDialog) -> int:
        combo = next(c for c in dialog.findChildren(QComboBox) if c.objectName() == "printers")
        listed.append([combo.itemText(i) for i in range(combo.count())])
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_and_print)
    before = set(cups_env.out.glob("*.pdf"))
    window.handover_print_action.trigger()
    qtbot.waitUntil(lambda: bool(listed), timeout=60_000)
    assert "ward-pdf" in listed[0]
    jobs = cups_env.printed(before)
    assert len(jobs) == 1, cups_env.error_log()
    # The same handover as the window's own PDF of the ward (the demo ward and the fixtures' patient A100).
    same = write_handover_pdf(window.ctx.bedside, tmp_path / "same.pdf", at=window.ctx.clock.now())
    pages = pdfinfo(same)["Pages"]
    assert int(pages) >= 2 + DEMO_PATIENTS
    assert (pdfinfo(jobs[0])["Pages"], pdfinfo(jobs[0])["Page size"]) == (pages, A4_POINTS)
    assert ink(jobs[0], 1) > 0.01


@pytest.mark.parametrize("tool", QUEUE_MESSAGES)
def test_the_window_says_when_the_queue_cannot_print(cups_env, window, qtbot, monkeypatch, tool):
    shown: list[str] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QPrintDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    cups_env.lp(tool, cups_env.queue)
    window.handover_print_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert shown == [QUEUE_MESSAGES[tool]]
    assert cups_env.pending_jobs() == ""


def test_the_window_says_when_there_is_no_printer(cups_env, window, qtbot, monkeypatch):
    shown: list[str] = []
    opened: list[bool] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: opened.append(True) or 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    cups_env.remove_queue()
    try:
        window.handover_print_action.trigger()
        qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    finally:
        cups_env.add_queue()
    assert shown == ["No printer is set up on this computer, so nothing was printed. Ask IT to add one, or save "
                     "the handover as a PDF."]
    assert opened == []
