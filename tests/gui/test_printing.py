"""Handover PDFs: the text a nurse reads on each page (extracted with pdftotext), the command line, and the GUI path."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from core.clock import FixedClock
from core.handover import DEMO_MARK
from core.services import Bedside
from core.store import Store
from gui import handover_layout, printers, printing
from gui.printing import HandoverController, SeverityDialog, run_handover_command, write_handover_pdf
from tests.core.test_handover import crs_grade2_held as scenario
from tests.core.test_handover import normal
from tests.scenario import T0, Timeline, patient

ROOT = Path(__file__).resolve().parents[2]
AT = T0 + timedelta(hours=33)
AT_TEXT = AT.isoformat()
PRINTED = AT + timedelta(minutes=5)

# The handover prints the computer's local time at each moment (issue 14): the scenarios' zone is made local.
pytestmark = pytest.mark.usefixtures("us_central_local_time")

def make_db(path: Path, patients) -> Path:
    """A ward database: each (patient, timeline) pair appended as records."""
    with Store.open(path) as store:
        store.append([p for p, _ in patients], [r.record for _, tl in patients for r in tl.records],
                     recorded_by="test", now=AT)
    return path


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pdftotext extracts it."""
    count = len(PdfReader(str(path)).pages)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, count + 1)]


def command(db: Path, out: Path, *extra: str) -> argparse.Namespace:
    from core.cli import build_parser

    return build_parser().parse_args(["handover", "--db", str(db), "--pdf", str(out), *extra])


@pytest.fixture
def one_patient_db(tmp_path):
    return make_db(tmp_path / "ward.db", [(patient(mrn="A100", name="Test Patient", bed="12"), scenario("A100"))])


def test_cli_patient_pdf_carries_grade_news2_holds_and_stamp(qapp, one_patient_db, tmp_path, capsys):
    out = tmp_path / "handover.pdf"
    code = run_handover_command(command(one_patient_db, out, "--patient", "A100", "--at", AT_TEXT),
                                clock=FixedClock(PRINTED))
    assert code == 0, capsys.readouterr().err
    pages = pdf_pages(out)
    text = "\n".join(pages)
    assert len(pages) >= 1
    for n, page in enumerate(pages, start=1):
        assert "Test Patient" in page and "MRN A100" in page
        assert f"Page {n} of {len(pages)}" in page
        assert ("Printed at 11 Jan 17:05 with data up to 11 Jan 17:00 (local time, UTC-06:00)") in page
        assert "Protocol default version 1" in page
        assert "decision support — not an order" in page
        assert DEMO_MARK not in page
    flat = re.sub(r"\s+", " ", text)
    assert "G2 (ASTCT G2 · CTCAE G2)" in flat
    assert "5 (medium risk, red parameter) at 11 Jan 15:30" in flat
    assert "WATCHER" in flat
    assert re.search(r"Holds this cycle 1 \(total 1 h 24 min\)", flat)
    assert "7-day limit 18 Jan 15:36 (in 6 d 22 h)" in flat
    assert "T >= 38.0 °C" in flat
    assert "Receiving nurse (name):" in flat and "Read-back done" in flat


def test_bad_input_exits_2_with_one_plain_line(qapp, one_patient_db, tmp_path, capsys):
    out = tmp_path / "h.pdf"
    cases = [
        (command(one_patient_db, out, "--patient", "NOPE"), "crs-bedside: patient: NOPE is not a known patient\n"),
        (command(one_patient_db, out, "--at", "2022-01-11T17:00:00"),
         "crs-bedside: --at: '2022-01-11T17:00:00' has no UTC offset (write e.g. 2026-01-17T09:00:00-06:00)\n"),
        (command(tmp_path / "missing.db", out), f"crs-bedside: --db: {tmp_path / 'missing.db'} does not exist\n"),
        (command(one_patient_db, tmp_path / "no-folder" / "h.pdf"),
         f"crs-bedside: --pdf: the folder {tmp_path / 'no-folder'} does not exist\n"),
    ]
    for args, message in cases:
        assert run_handover_command(args) == 2
        captured = capsys.readouterr()
        assert captured.err == message
    assert not out.exists() and not (tmp_path / "missing.db").exists()
    assert list(tmp_path.glob(".handover-*")) == []


def test_console_command_writes_a_pdf_and_refuses_an_unknown_patient(one_patient_db, tmp_path):
    out = tmp_path / "cli.pdf"
    ok = subprocess.run([sys.executable, "-m", "gui.main", "handover", "--db", str(one_patient_db), "--pdf", str(out),
                         "--at", AT_TEXT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "Test Patient" in pdf_pages(out)[0]
    bad = subprocess.run([sys.executable, "-m", "gui.main", "handover", "--db", str(one_patient_db), "--pdf",
                          str(tmp_path / "x.pdf"), "--patient", "B200"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert (bad.returncode, bad.stderr) == (2, "crs-bedside: patient: B200 is not a known patient\n")
    assert not (tmp_path / "x.pdf").exists()


def test_demo_patient_is_marked_on_every_page(qapp, tmp_path):
    db = make_db(tmp_path / "demo.db", [(patient(mrn="DEMO-1", name="Demo Person", demo=True), scenario("DEMO-1"))])
    out = tmp_path / "demo.pdf"
    assert run_handover_command(command(db, out, "--at", AT_TEXT), clock=FixedClock(PRINTED)) == 0
    pages = pdf_pages(out)
    assert len(pages) >= 2                       # the ward summary, then the patient
    assert all(DEMO_MARK in page for page in pages)
    assert "Ward handover — 1 patient" in pages[0]


@pytest.mark.slow
def test_thirty_patient_ward_every_page_names_its_patient(qapp, tmp_path):
    """A long name is never cut off: the header shrinks the font, then wraps."""
    long_name = "Maximiliana Alexandrina Featherstonehaugh-Cholmondeley-Worcestershire von Hohenzollern-Sigmaringen"
    pairs = []
    for n in range(1, 31):
        mrn = f"W{n:03d}"
        name = long_name if n == 7 else f"Ward Patient {n:02d}"
        pairs.append((patient(mrn=mrn, name=name, bed=str(n)), scenario(mrn) if n % 3 == 0 else _stable(mrn)))
    db = make_db(tmp_path / "ward30.db", pairs)
    out = tmp_path / "ward30.pdf"
    started = time.perf_counter()
    with Store.open(db, create=False) as store:
        from core.protocol import shipped_protocol

        write_handover_pdf(Bedside(store, shipped_protocol("default"), FixedClock(PRINTED)), out, at=AT)
    elapsed = time.perf_counter() - started
    pages = pdf_pages(out)
    assert "Ward handover — 30 patients" in pages[0]
    summary = re.sub(r"\s+", " ", pages[0])
    assert all(f"W{n:03d}" in summary for n in range(1, 31))           # the summary is one page
    seen = set()
    for n, page in enumerate(pages[1:], start=2):
        header = page.strip().splitlines()[:4]
        joined = re.sub(r"\s+", " ", " ".join(header))
        mrn = re.search(r"MRN (W\d{3})", joined)
        assert mrn, f"page {n} has no MRN in its header: {header}"
        number = int(mrn.group(1)[1:])
        expected = long_name if number == 7 else f"Ward Patient {number:02d}"
        assert expected in joined, f"page {n}: {joined}"
        assert f"Page {n} of {len(pages)}" in page
        seen.add(mrn.group(1))
    assert len(seen) == 30
    assert elapsed < 30, f"30-patient ward took {elapsed:.1f} s"


def _stable(mrn: str) -> Timeline:
    tl = Timeline(mrn)
    tl.add(-1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    for hours in (10, 20, 30):
        tl.add(hours, "vitals", **normal())
    return tl


def test_gui_path_writes_the_same_document_as_the_command_line(qtbot, qapp, one_patient_db, tmp_path, monkeypatch):
    # The GUI prints in the machine's local time; make it the scenario's zone (US Central, UTC-06:00 in January).
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    cli_out, gui_out = tmp_path / "cli.pdf", tmp_path / "gui.pdf"
    assert run_handover_command(command(one_patient_db, cli_out, "--at", AT_TEXT), clock=FixedClock(PRINTED)) == 0
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)
    from core.protocol import shipped_protocol

    store = Store.open(one_patient_db, create=False)
    try:
        bedside = Bedside(store, shipped_protocol("default"), _ClockAt(AT, PRINTED), "nurse.test")
        controller = HandoverController(bedside, None)
        with qtbot.waitSignal(controller.pdfSaved, timeout=30000) as saved:
            controller.save_pdf(str(gui_out))
        assert saved.args == [str(gui_out)]
        controller.wait()
    finally:
        store.close()
    monkeypatch.undo()
    time.tzset()
    assert pdf_pages(gui_out) == pdf_pages(cli_out)


class _ClockAt(FixedClock):
    """The GUI prints "now": first the handover moment, then (for "printed at") five minutes later, like the CLI
    run with --at and a clock five minutes on."""

    def __init__(self, at, printed):
        super().__init__(at)
        self._calls = 0
        self._printed = printed

    def now(self):
        self._calls += 1
        return super().now() if self._calls == 1 else self._printed


def test_severity_dialog_choice_is_printed(qtbot, qapp, one_patient_db, tmp_path, monkeypatch):
    def choose_unstable(self):
        combo = self._combos["A100"]
        assert combo.currentData() == "watcher"          # the app's suggestion is preselected
        combo.setCurrentIndex(combo.findData("unstable"))
        return SeverityDialog.DialogCode.Accepted

    monkeypatch.setattr(SeverityDialog, "exec", choose_unstable)
    from core.protocol import shipped_protocol

    out = tmp_path / "chosen.pdf"
    store = Store.open(one_patient_db, create=False)
    try:
        controller = HandoverController(Bedside(store, shipped_protocol("default"), FixedClock(AT)), None)
        progress = []
        controller.progressChanged.connect(lambda done, total: progress.append((done, total)))
        with qtbot.waitSignal(controller.pdfSaved, timeout=30000):
            controller.save_pdf(str(out), ["A100"])
        controller.wait()
    finally:
        store.close()
    assert progress == [(1, 1), (1, 1)]          # the patient built, then the patient's pages drawn
    flat = re.sub(r"\s+", " ", "\n".join(pdf_pages(out)))
    assert "UNSTABLE Selected by the nurse; the app suggested Watcher (CRS grade 2, NEWS2 5)" in flat


def test_cancelled_severity_dialog_writes_nothing(qtbot, qapp, one_patient_db, tmp_path, monkeypatch):
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Rejected)
    from core.protocol import shipped_protocol

    out = tmp_path / "none.pdf"
    store = Store.open(one_patient_db, create=False)
    try:
        controller = HandoverController(Bedside(store, shipped_protocol("default"), FixedClock(AT)), None)
        controller.save_pdf(str(out))
        assert controller.wait()
        qtbot.wait(50)
    finally:
        store.close()
    assert not out.exists()


def test_trend_strip_is_drawn_with_its_labels(qapp, protocol, one_patient_db, tmp_path):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from core.handover import build_patient_handover
    from core.state import fold, fold_history

    tl = scenario("A100")
    pat = patient()
    h = build_patient_handover(fold(pat, tl.records, AT, protocol), fold_history(pat, tl.records, protocol),
                               tl.records, protocol)
    width, height = printing.TREND_SIZE
    image = QImage(width * 2, height * 2, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    printing.draw_trend_strip(painter, QRectF(0, 0, width * 2, height * 2), h.trend, AT.tzinfo)
    painter.end()
    plot = [image.pixelColor(x, y).lightness() for x in range(220, width * 2, 3) for y in range(0, height * 2 - 30, 3)]
    assert sum(1 for value in plot if value < 100) > 100          # lines and dots, not an empty frame
    # In the PDF the strip is vectors: its labels are text a reader (and a test) can find.
    out = tmp_path / "trend.pdf"
    assert run_handover_command(command(one_patient_db, out, "--at", AT_TEXT), clock=FixedClock(PRINTED)) == 0
    page = re.sub(r"\s+", " ", pdf_pages(out)[1])
    for text in ("Temp °C", "last 38.4 (36.8–38.4)", "Systolic BP mmHg", "last 86 (86–120)", "CRS grade", "G2",
                 "Last 24 h", "20:00", "16:00"):
        assert text in page, text


def _controller(store):
    from core.protocol import shipped_protocol

    return HandoverController(Bedside(store, shipped_protocol("default"), FixedClock(AT)), None)


def _to_pdf(printer, path: Path) -> None:
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))


def test_print_preview_and_print_paint_the_same_pages(qtbot, qapp, one_patient_db, tmp_path, monkeypatch):
    monkeypatch.setattr(SeverityDialog, "exec", lambda self: SeverityDialog.DialogCode.Accepted)
    preview_pdf, printed_pdf = tmp_path / "preview.pdf", tmp_path / "printed.pdf"

    def preview_exec(dialog):
        _to_pdf(dialog.printer(), preview_pdf)
        dialog.paintRequested.emit(dialog.printer())
        return 0

    def print_exec(dialog):
        _to_pdf(dialog.printer(), printed_pdf)
        return printing.QDialog.DialogCode.Accepted

    monkeypatch.setattr(printing.QPrintPreviewDialog, "exec", preview_exec)
    monkeypatch.setattr(printing.QPrintDialog, "exec", print_exec)
    # A printer is set up (the window says so when none is: test_printing_cups.py); the dialog prints to a file.
    monkeypatch.setattr(printers, "printer_names", lambda: ["ward-pdf"])
    store = Store.open(one_patient_db, create=False)
    try:
        controller = _controller(store)
        controller.preview(["A100"])
        qtbot.waitUntil(preview_pdf.exists, timeout=30000)
        controller.print_(["A100"])
        qtbot.waitUntil(printed_pdf.exists, timeout=30000)
        controller.wait()
    finally:
        store.close()
    preview_pages, printed_pages = pdf_pages(preview_pdf), pdf_pages(printed_pdf)
    assert preview_pages == printed_pages
    assert "Test Patient" in preview_pages[0] and f"Page 1 of {len(preview_pages)}" in preview_pages[0]
    assert "Temp °C" in preview_pages[0] and "last 38.4 (36.8–38.4)" in preview_pages[0]     # the trend strip


def test_each_section_is_laid_out_once_at_its_page_size(qapp, one_patient_db, tmp_path, monkeypatch):
    # Setting the page size after the HTML laid the whole document out twice (issue 20: a fifth of the ward's
    # rendering time); the pages are the same either way.
    from PySide6.QtGui import QTextDocument

    calls: list[str] = []

    class Recording(QTextDocument):
        def setHtml(self, html):  # Qt name
            calls.append("html")
            super().setHtml(html)

        def setPageSize(self, size):  # Qt name
            calls.append("page size")
            super().setPageSize(size)

    monkeypatch.setattr(handover_layout, "QTextDocument", Recording)
    out = tmp_path / "once.pdf"
    assert run_handover_command(command(one_patient_db, out, "--at", AT_TEXT), clock=FixedClock(PRINTED)) == 0
    assert calls == ["page size", "html"] * 2          # the ward summary, then the patient
    assert "Test Patient" in " ".join(pdf_pages(out))
