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
    """Status of the whole ward in-process (first call and warm calls)."""
    store = Store.open(db, create=False)
    bedside = Bedside(store, shipped_protocol(), FixedClock(END), user="bench")
    started = time.perf_counter()
    states = bedside.ward(END)
    first = time.perf_counter() - started
    warm = []
    for minute in range(1, 6):
        started = time.perf_counter()
        bedside.ward(END + timedelta(minutes=minute))
        warm.append(time.perf_counter() - started)
    store.close()
    return {"db": label, "patients": len(states), "first_ms": round(first * 1000, 1), "warm_median_ms": median_ms(warm),
            "budget_ms": 100}


def bench_record_vitals(db: Path, label: str, n: int = 40) -> dict[str, Any]:
    """Record a set of vitals and get the patient's new state, n times; p95 (core path used by the GUI)."""
    store = Store.open(db, create=False)
    clock = FixedClock(END)
    bedside = Bedside(store, shipped_protocol(), clock, user="bench")
    mrn = bedside.ward(END)[0].patient.mrn
    samples = []
    for i in range(n):
        clock.set(END + timedelta(minutes=i + 1))
        started = time.perf_counter()
        bedside.record_vitals(mrn, {"temperature_c": 37.0 + (i % 20) / 10, "heart_rate": 80, "respiratory_rate": 16,
                                    "systolic_bp": 120, "diastolic_bp": 70, "spo2_percent": 97,
                                    "oxygen_device": "room_air", "consciousness": "alert"})
        samples.append(time.perf_counter() - started)
    store.close()
    return {"db": label, "n": n, "median_ms": median_ms(samples), "p95_ms": p95_ms(samples), "budget_p95_ms": 50}


def bench_bare_window() -> float:
    """Baseline: process start to a bare PySide6 window with a table painted."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget\n"
        "from PySide6.QtCore import QTimer\n"
        "app = QApplication(sys.argv)\n"
        "w = QMainWindow(); t = QTableWidget(30, 8); w.setCentralWidget(t); w.resize(1200, 800); w.show()\n"
        "QTimer.singleShot(0, app.quit)\n"
        "app.exec()\n"
    )
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=ENV, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    parser.add_argument("--quick", action="store_true", help="skip the five-year database")
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: a temporary folder)")
    args = parser.parse_args(argv)
    tmp = args.workdir or Path(tempfile.mkdtemp(prefix="crs-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "python": sys.version.split()[0]}
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
    results["record_vitals"] = [bench_record_vitals(dbs[size], size) for size in sizes]
    results["bare_window_ms"] = round(bench_bare_window() * 1000, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
