#!/usr/bin/env python3
"""Benchmarks of CRS Bedside against its budgets (issue 9), each beside a baseline measured in the same run.

    python build_scripts/bench.py [--out bench-results/bench.json] [--quick]

Makes synthetic databases (build_scripts/generate_data.py) of three sizes — a 30-patient ward with a full 28-day
cycle of hourly vitals (about 20,000 records), a year of a ward, and five years (about a million records) — then
measures and prints a table, and writes the figures as JSON. ``--quick`` skips the five-year database (for a smoke run).

Budgets: start-up to the ward view painted (5-year db) <= 2x a bare PySide6 window with a table; record a set of
vitals to the new state shown <= 50 ms at the 95th percentile (5-year db); status of the 30-patient ward <= 100 ms
in-process; import of the 20,000-record file <= 5 s; handover PDF of 30 patients <= 3 s; peak memory with the
5-year db open <= 250 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

import generate_data  # noqa: E402

from core.backup import BackupPolicy  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.protocol import shipped_protocol  # noqa: E402
from core.services import Bedside, parse_import  # noqa: E402
from core.store import Store  # noqa: E402

END = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[max(0, int(round(0.95 * len(ordered))) - 1)] * 1000, 1)


def data_end(db: Path) -> datetime:
    """The newest moment in the file, at least END: "now" for every measurement, so that none of them asks for a
    state before records already in the file (which folds afresh: a different, slower path)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        latest = conn.execute("SELECT max(occurred_at) FROM records").fetchone()[0]
    finally:
        conn.close()
    return max(END, datetime.fromisoformat(latest)) if latest else END


def scratch_copy(db: Path) -> Path:
    """A copy of ``db`` for a benchmark that writes, so that every run measures the same file."""
    copy = db.with_name(f"{db.stem}.scratch.db")
    for leftover in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    return copy


#: Opening a scratch copy makes no backup of it (the copy is thrown away).
NO_BACKUP = BackupPolicy(at_open=False)


def build_db(size: str, path: Path) -> tuple[int, float]:
    """Make a database of ``size`` through the import path, in chunks of stays; return (records, seconds)."""
    store = Store.open(path)
    clock = FixedClock(END + timedelta(minutes=1))
    bedside = Bedside(store, shipped_protocol(), clock, user="bench")
    total = 0
    started = time.perf_counter()
    chunk_patients: list[dict[str, Any]] = []
    chunk_records: list[dict[str, Any]] = []
    for bed, number, admitted in generate_data.stays(size, END):
        patient, records = generate_data.stay_records(bed, number, admitted, END)
        chunk_patients.append(patient)
        chunk_records.extend(records)
        if len(chunk_records) >= 50_000:
            total += bedside.import_data({"format": "crs-bedside/1", "patients": chunk_patients,
                                          "records": chunk_records}).records_added
            chunk_patients, chunk_records = [], []
    if chunk_records or chunk_patients:
        total += bedside.import_data({"format": "crs-bedside/1", "patients": chunk_patients,
                                      "records": chunk_records}).records_added
    seconds = time.perf_counter() - started
    store.close()
    return total, seconds


def bench_import_file(tmp: Path) -> dict[str, Any]:
    """Import of the ~20,000-record ward file through the command line's code path."""
    ward_file = tmp / "ward.json"
    generate_data.write("ward", ward_file, END)
    samples = []
    count = 0
    for run in range(3):
        db = tmp / f"import-{run}.db"
        for leftover in tmp.glob(f"import-{run}.db*"):      # a fresh file each run: a re-import adds nothing
            if leftover.is_dir():
                import shutil
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        store = Store.open(db)
        bedside = Bedside(store, shipped_protocol(), FixedClock(END + timedelta(minutes=1)), user="bench")
        started = time.perf_counter()
        count = bedside.import_file(ward_file).records_added
        samples.append(time.perf_counter() - started)
        store.close()
    # baseline: parsing and validating the same file without writing it
    base = []
    for _ in range(3):
        started = time.perf_counter()
        parse_import(json.loads(ward_file.read_text()))
        base.append(time.perf_counter() - started)
    return {"records": count, "median_ms": median_ms(samples), "baseline_validate_only_ms": median_ms(base),
            "budget_ms": 5000}


def bench_status(db: Path, label: str) -> dict[str, Any]:
    """Status of the whole ward in-process: opening the file and the first call (fold snapshots in the file), the
    next calls (folds in memory), and every patient folded from all their records."""
    now = data_end(db)
    store = Store.open(db, create=False)
    bedside = Bedside(store, shipped_protocol(), FixedClock(now), user="bench")
    started = time.perf_counter()
    states = bedside.ward(now)
    first = time.perf_counter() - started
    warm = []
    for minute in range(1, 6):
        started = time.perf_counter()
        bedside.ward(now + timedelta(minutes=minute))
        warm.append(time.perf_counter() - started)
    # cold: every patient folded from all their records (no fold in memory, no snapshot in the file)
    from core.state import fold
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        for state in states:
            fold(state.patient, store.records(state.patient.mrn, until=now), now, shipped_protocol())
        cold.append(time.perf_counter() - started)
    # baseline: reading the same records' rows from SQLite without validating or folding them
    base = []
    for _ in range(3):
        started = time.perf_counter()
        for state in states:
            store._db.execute("SELECT payload FROM records WHERE mrn = ? AND occurred_at <= ?",
                              [state.patient.mrn, now.isoformat()]).fetchall()
        base.append(time.perf_counter() - started)
    store.close()
    return {"db": label, "patients": len(states), "first_ms": round(first * 1000, 1), "warm_median_ms": median_ms(warm),
            "cold_fold_ms": median_ms(cold), "baseline_read_rows_ms": median_ms(base), "budget_ms": 100}


def bench_record_vitals(db: Path, label: str, n: int = 40) -> dict[str, Any]:
    """Record a set of vitals and get the patient's new state, n times; p95 (core path used by the GUI)."""
    db = scratch_copy(db)
    now = data_end(db)
    store = Store.open(db, create=False, backups=NO_BACKUP)
    clock = FixedClock(now)
    bedside = Bedside(store, shipped_protocol(), clock, user="bench")
    mrn = bedside.ward(now)[0].patient.mrn
    samples = []
    for i in range(n):
        clock.set(now + timedelta(minutes=i + 1))
        started = time.perf_counter()
        bedside.record_vitals(mrn, {"temperature_c": 37.0 + (i % 20) / 10, "heart_rate": 80, "respiratory_rate": 16,
                                    "systolic_bp": 120, "diastolic_bp": 70, "spo2_percent": 97,
                                    "oxygen_device": "room_air", "consciousness": "alert"})
        samples.append(time.perf_counter() - started)
    store.close()
    db.unlink()                                # the scratch copy
    return {"db": label, "n": n, "median_ms": median_ms(samples), "p95_ms": p95_ms(samples), "budget_p95_ms": 50}


def print_table(r: dict[str, Any]) -> None:
    """The figures beside their baselines and budgets."""
    rows = [("figure", "db", "measured", "baseline (same run)", "budget", "ok")]
    imp = r["import_ward_file"]
    rows.append(("import of the ward file", f"{imp['records']} records", f"{imp['median_ms']:.0f} ms",
                 f"validate only {imp['baseline_validate_only_ms']:.0f} ms", "5000 ms", imp["median_ms"] <= 5000))
    for st in r["status"]:
        rows.append(("status of the ward, in-process (open + first call)", st["db"], f"{st['first_ms']:.1f} ms",
                     f"read rows {st['baseline_read_rows_ms']:.0f} ms", "100 ms", st["first_ms"] <= 100))
        rows.append(("status of the ward, every record folded (no cache)", st["db"], f"{st['cold_fold_ms']:.0f} ms",
                     "", "", ""))
        rows.append(("status of the ward, in-process (next calls)", st["db"], f"{st['warm_median_ms']:.1f} ms", "",
                     "100 ms", st["warm_median_ms"] <= 100))
    su = r["startup"]
    for size in su["sizes"]:
        rows.append(("start-up to the ward view painted", size["db"], f"{size['median_ms']:.0f} ms "
                     f"(first open {size['first_open_ms']:.0f} ms)", f"bare window {su['bare_window_ms']:.0f} ms; "
                     f"with pydantic + sqlite-utils {su['bare_window_with_fixed_libraries_ms']:.0f} ms",
                     f"<= 2x ({size['ratio_to_bare']}x)", size["ratio_to_bare"] <= 2.0))
        rows.append(("peak memory with the db open", size["db"], f"{size['peak_rss_mb']} MB",
                     f"bare window {su['bare_window_peak_rss_mb']} MB", "250 MB", size["peak_rss_mb"] <= 250))
    for v in r["record_vitals_gui"]:
        rows.append(("vitals through the wizard to the state shown (p95)", v["db"], f"{v['p95_ms']:.1f} ms "
                     f"(median {v['median_ms']:.1f}; charts {v['charts_redrawn_median_ms']:.0f})",
                     f"insert+commit {v['baseline_sqlite_insert_commit_ms']} ms", "50 ms", v["p95_ms"] <= 50))
    for v in r["record_vitals_core"]:
        rows.append(("vitals, core service only (p95)", v["db"], f"{v['p95_ms']:.1f} ms", "", "", ""))
    h = r["handover_pdf"]
    rows.append(("handover PDF of 30 patients", "ward", f"{h['median_ms']:.0f} ms ({h['pages']} pages)",
                 f"plain document {h['baseline_plain_document_ms']:.0f} ms", "3000 ms", h["median_ms"] <= 3000))
    widths = [max(len(str(row[i])) for row in rows) for i in range(6)]
    for row in rows:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
    db = r["databases"]
    print("databases: " + "; ".join(f"{k}: {v['records']} records, {v['file_mb']} MB, built in {v['build_s']} s"
                                     for k, v in db.items()))


#: Quits the application when the widget it watches is first painted (both start-up measurements use it).
FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.instance().quit)
            obj.removeEventFilter(self)
        return False
"""

#: Runs the real start-up (gui.main.main, as the ``crs-bedside`` command does: the entry point first, then Qt) and
#: quits when the ward table is first painted; prints peak RSS (KB). Importing PySide6 before the entry point would
#: be slower than the real command: PySide6 reads the source of every module imported after it (its __feature__
#: hook), and crs-bedside imports core before Qt.
STARTUP_APP = "from gui.main import main\n" + FIRST_PAINT + """
import gui.main_window as mw

original = mw.MainWindow.__init__
def patched(self, ctx, parent=None):
    original(self, ctx, parent)
    self._bench_filter = FirstPaint(self)
    self.ward.table.viewport().installEventFilter(self._bench_filter)
mw.MainWindow.__init__ = patched
code = main(["--db", sys.argv[1], "--user", "bench"])
print("maxrss_kb", [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
sys.exit(code)
"""

#: The baseline: a bare PySide6 window with a 30 x 8 table, quit when the table is first painted.
STARTUP_BARE = FIRST_PAINT + """
from PySide6.QtWidgets import QMainWindow, QTableWidget

app = QApplication(sys.argv[:1])
w = QMainWindow(); t = QTableWidget(30, 8); w.setCentralWidget(t); w.resize(1200, 800)
f = FirstPaint(); t.viewport().installEventFilter(f)
w.show()
app.exec()
print("maxrss_kb", [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
"""


#: A second reference: the bare window after importing the libraries the project must use (pydantic, sqlite-utils:
#: fixed choices) and nothing of ours - the floor any start-up of this stack stands on.
STARTUP_FLOOR = "from pydantic import BaseModel\nimport sqlite_utils\n" + STARTUP_BARE


def _timed_process(code: str, *args: str, runs: int = 5) -> tuple[list[float], int]:
    """Wall time of whole processes (start to exit) and the peak RSS reported by the last one."""
    samples = []
    rss = 0
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code, *args], env=ENV, cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        samples.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        rss = int(result.stdout.split("maxrss_kb")[-1].split()[0])
    return samples, rss


def bench_startup(dbs: dict[str, Path]) -> dict[str, Any]:
    """Process start to the ward view painted, per database size, against the bare window (same run)."""
    bare, bare_rss = _timed_process(STARTUP_BARE)
    floor, _ = _timed_process(STARTUP_FLOOR)
    out: dict[str, Any] = {"bare_window_ms": median_ms(bare), "bare_window_peak_rss_mb": round(bare_rss / 1024, 1),
                           "bare_window_with_fixed_libraries_ms": median_ms(floor),
                           "budget_ratio": 2.0, "sizes": []}
    for size, db in dbs.items():
        first, _ = _timed_process(STARTUP_APP, str(db), runs=1)      # the first open after the import
        warm, rss = _timed_process(STARTUP_APP, str(db))
        out["sizes"].append({"db": size, "first_open_ms": median_ms(first), "median_ms": median_ms(warm),
                             "ratio_to_bare": round(statistics.median(warm) / statistics.median(bare), 2),
                             "peak_rss_mb": round(rss / 1024, 1), "budget_rss_mb": 250})
    return out


def bench_gui_vitals(db: Path, label: str, n: int = 40) -> dict[str, Any]:
    """Record a set of vitals through the wizard to the new state shown on the patient page, in-process, offscreen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from gui.context import AppContext, BedsideSignals
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from gui.wizard import VitalsWizard

    app = QApplication.instance() or QApplication([])
    db = scratch_copy(db)
    now = data_end(db)
    store = Store.open(db, create=False, backups=NO_BACKUP)
    clock = FixedClock(now)
    bedside = Bedside(store, shipped_protocol(), clock, user="bench")
    # the fixed clock moves a minute per set: keep the auto-lock (5 minutes by default) out of the measurement
    ctx = AppContext(bedside=bedside, settings=Settings(autolock_minutes=60), settings_file=db.with_suffix(".settings.json"),
                     clock=clock,
                     signals=BedsideSignals(), db_path=db)
    window = MainWindow(ctx)
    window.show()
    mrn = bedside.ward(now)[0].patient.mrn
    window.open_patient(mrn)
    app.processEvents()
    from PySide6.QtCore import QEvent, QObject

    painted: list[float] = []

    class BannerPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                painted.append(time.perf_counter())
            return False

    watcher = BannerPaint()
    window.patient.banner.installEventFilter(watcher)
    samples: list[float] = []
    charts: list[float] = []
    for i in range(n):
        clock.set(now + timedelta(minutes=i + 1))
        wizard = VitalsWizard(ctx, mrn)
        wizard.temperature.edit.setText(f"{37.0 + (i % 10) / 10:.1f}")
        wizard.heart_rate.edit.setText("80")
        wizard.respiratory_rate.edit.setText("16")
        wizard.advance()
        wizard.systolic.edit.setText("120")
        wizard.diastolic.edit.setText("70")
        wizard.advance()
        wizard.spo2.edit.setText("97")
        wizard.advance()
        wizard.advance()
        painted.clear()
        started = time.perf_counter()
        wizard.advance()                       # the review's Enter: save, signal, the page and ward refresh
        deadline = started + 5
        while not painted and time.perf_counter() < deadline:
            app.processEvents()                # until the status banner has painted the new state
        samples.append((painted[0] if painted else time.perf_counter()) - started)
        window.patient.trend.flush()           # the trend charts follow (just after, on a short timer) ...
        app.processEvents()
        charts.append(time.perf_counter() - started)   # ... done before the next set, as at a real bedside
        if wizard.saved_state is None:
            raise RuntimeError("the wizard did not save")
    window.patient.banner.removeEventFilter(watcher)
    window.stop_timers()
    window.close()
    window.deleteLater()
    app.processEvents()
    store.close()
    db.unlink()                                # the scratch copy
    # baseline: one bare SQLite insert + commit with synchronous=FULL on the same disk
    conn = sqlite3.connect(str(db.with_suffix(".baseline.db")))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    base = []
    for _ in range(n):
        started = time.perf_counter()
        with conn:
            conn.execute("INSERT INTO t VALUES (?)", ["x" * 300])
        base.append(time.perf_counter() - started)
    conn.close()
    return {"db": label, "n": n, "median_ms": median_ms(samples), "p95_ms": p95_ms(samples), "budget_p95_ms": 50,
            "charts_redrawn_median_ms": median_ms(charts), "baseline_sqlite_insert_commit_ms": median_ms(base)}


def bench_handover(db: Path) -> dict[str, Any]:
    """Handover PDF of the 30-patient ward through the one printing path, against a plain two-page QTextDocument."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    from gui.printing import write_handover_pdf

    QApplication.instance() or QApplication([])
    store = Store.open(db, create=False)
    bedside = Bedside(store, shipped_protocol(), FixedClock(END), user="bench")
    samples = []
    pages = 0
    for run in range(3):
        started = time.perf_counter()
        pdf = write_handover_pdf(bedside, db.with_name(f"handover-{run}.pdf"), at=END)
        samples.append(time.perf_counter() - started)
        pages = pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type /Page")
    store.close()
    base = []
    html = "<h1>Baseline</h1>" + "<p>" + "Lorem ipsum dolor sit amet. " * 40 + "</p>" * 1 + (
        "<table border=1>" + "<tr><td>cell</td><td>cell</td><td>cell</td></tr>" * 60 + "</table>")
    for run in range(3):
        started = time.perf_counter()
        writer = QPdfWriter(str(db.with_name(f"baseline-{run}.pdf")))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        doc = QTextDocument()
        doc.setHtml(html)
        doc.print_(writer)
        base.append(time.perf_counter() - started)
    return {"patients": 30, "pages": pages, "median_ms": median_ms(samples), "budget_ms": 3000,
            "baseline_plain_document_ms": median_ms(base)}


def numpy_importable() -> bool:
    """Whether this interpreter can import numpy (it adds ~100 ms to every start-up that imports sqlite-utils)."""
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    parser.add_argument("--quick", action="store_true", help="skip the five-year database")
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: a temporary folder)")
    args = parser.parse_args(argv)
    tmp = args.workdir or Path(tempfile.mkdtemp(prefix="crs-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "python": sys.version.split()[0], "numpy_importable": numpy_importable()}
    results["import_ward_file"] = bench_import_file(tmp)
    sizes = ["ward", "year"] + ([] if args.quick else ["five"])
    dbs: dict[str, Path] = {}
    results["databases"] = {}
    for size in sizes:
        db = tmp / f"{size}.db"
        if not db.exists():
            records, seconds = build_db(size, db)
            results["databases"][size] = {"records": records, "build_s": round(seconds, 1),
                                          "file_mb": round(db.stat().st_size / 1e6, 1)}
        dbs[size] = db
    results["status"] = [bench_status(dbs[size], size) for size in sizes]
    results["record_vitals_core"] = [bench_record_vitals(dbs[size], size) for size in sizes]
    results["startup"] = bench_startup(dbs)
    results["record_vitals_gui"] = [bench_gui_vitals(dbs[size], size) for size in sizes]
    results["handover_pdf"] = bench_handover(dbs["ward"])
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"python {sys.executable}; numpy importable: {numpy_importable()} (sqlite-utils imports it when present; "
          "the app's own environment and the frozen bundle have none)")
    print(f"\nJSON written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
