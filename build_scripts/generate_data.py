#!/usr/bin/env python3
"""Synthetic ward data for benchmarks, at three sizes (issue 9). No real patient data: names are generated.

    python build_scripts/generate_data.py ward  OUT.json   # 30 patients, a full 28-day cycle of hourly vitals
    python build_scripts/generate_data.py year  OUT.json   # a year of a 30-bed ward
    python build_scripts/generate_data.py five  OUT.json   # five years (about a million records)

Every stay is one patient's 28-day cycle: premedication, infusion start, a bag every 48 h (step-up to 28 mcg/day on
day 8), hourly vitals, a CRS episode with a fever, a bolus and a hold in about a third of the stays, a discharge at the
end. The output is an import file (INTERFACE.md, format crs-bedside/1), written as a stream so a million records
need little memory. Deterministic for a given size and start.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NAMESPACE = uuid.UUID("0c5e7f1a-2b3d-4e5f-8a9b-c0d1e2f3a4b5")
BEDS = 30
CYCLE_DAYS = 28
GAP_DAYS = 14
SIZES = {"ward": 0, "year": 365, "five": 5 * 365}
FIRST = ["Alex", "Sam", "Jordan", "Casey", "Robin", "Taylor", "Morgan", "Quinn", "Avery", "Riley", "Jamie", "Drew"]
LAST = ["Synth", "Sample", "Fixture", "Mock", "Dummy", "Proxy", "Model", "Replica"]


def stays(size: str, end: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(bed, stay number, admission time) of every stay; the ``ward`` size is one current cycle per bed."""
    if size == "ward":
        for bed in range(1, BEDS + 1):
            yield bed, 0, end - timedelta(days=CYCLE_DAYS) + timedelta(hours=bed)
        return
    start = end - timedelta(days=SIZES[size])
    period = timedelta(days=CYCLE_DAYS + GAP_DAYS)
    for bed in range(1, BEDS + 1):
        admitted = start + timedelta(hours=7 * bed)
        number = 0
        while admitted + timedelta(days=CYCLE_DAYS) <= end + timedelta(days=CYCLE_DAYS):
            if admitted > end:
                break
            yield bed, number, admitted
            number += 1
            admitted += period


def stay_records(bed: int, number: int, admitted: datetime,
                 end: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One patient and the records of their stay (up to ``end``)."""
    rng = random.Random(f"{bed}-{number}")
    mrn = f"SYN-{bed:02d}-{number:04d}"
    patient = {
        "mrn": mrn, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}-{bed:02d}{number:04d}",
        "birth_date": f"{rng.randint(1945, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "sex": rng.choice(["female", "male"]), "weight_kg": round(rng.uniform(48, 105), 1), "height_cm": 170,
        "indication": rng.choice(["relapsed_refractory", "mrd_positive", "consolidation"]),
        "diagnosis": "B-ALL (synthetic)", "ward": "7W", "bed": str(bed),
        "marrow_blasts_percent": rng.choice([5, 20, 40, 60, 85]),
    }
    records: list[dict[str, Any]] = []
    counter = 0

    def add(at: datetime, kind: str, **fields: Any) -> None:
        nonlocal counter
        if at > end:
            return
        counter += 1
        records.append({"id": str(uuid.uuid5(NAMESPACE, f"{mrn}-{counter}")), "mrn": mrn,
                        "at": at.isoformat(timespec="seconds"), "type": kind, "by": "synthetic.nurse", **fields})

    add(admitted - timedelta(hours=1), "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    add(admitted, "infusion_started", dose_mcg=18, duration_h=48)
    crs_day = rng.randint(1, 9) if rng.random() < 0.35 else None
    hold_hours = rng.choice([2, 6, 30]) if crs_day else 0
    stopped_at = resumed_at = None
    for hour in range(CYCLE_DAYS * 24):
        at = admitted + timedelta(hours=hour, minutes=5)
        day = hour // 24 + 1
        fever = crs_day is not None and crs_day * 24 <= hour < crs_day * 24 + 10
        vitals = {
            "temperature_c": round(rng.uniform(38.2, 39.4), 1) if fever else round(rng.uniform(36.3, 37.4), 1),
            "heart_rate": rng.randint(95, 125) if fever else rng.randint(62, 92),
            "respiratory_rate": rng.randint(14, 20),
            "systolic_bp": rng.randint(84, 98) if fever else rng.randint(105, 140),
            "diastolic_bp": rng.randint(50, 60) if fever else rng.randint(62, 88), "spo2_percent": rng.randint(94, 99),
            "oxygen_device": "room_air", "consciousness": "alert",
        }
        add(at, "vitals", **vitals)
        if fever and hour == crs_day * 24 + 1:
            add(at + timedelta(minutes=10), "fluid_bolus", volume_ml=500)
            stopped_at = at + timedelta(minutes=15)
            add(stopped_at, "infusion_stopped", reason="crs")
            add(at + timedelta(minutes=20), "medication_given", drug="paracetamol", dose_mg=1000,
                purpose="crs_treatment")
            resumed_at = stopped_at + timedelta(hours=hold_hours)
            if hold_hours >= 4:
                add(resumed_at - timedelta(minutes=50), "medication_given", drug="dexamethasone", dose_mg=20,
                    purpose="premedication")
            add(resumed_at, "infusion_resumed", dose_mcg=9 if day <= 7 else 28, duration_h=24)
        if hour % 48 == 0 and hour > 0 and not (stopped_at and stopped_at <= at <= (resumed_at or at)):
            if day == 7:
                add(at, "bag_changed", dose_mcg=9, duration_h=24)
            elif day >= 8:
                if day == 8 or day == 9:
                    add(at - timedelta(minutes=55), "medication_given", drug="dexamethasone", dose_mg=20,
                        purpose="premedication")
                add(at, "bag_changed", dose_mcg=56, duration_h=48)
            else:
                add(at, "bag_changed", dose_mcg=18, duration_h=48)
        if hour % 24 == 8:
            add(at + timedelta(minutes=20), "lab_result", test="crp", value=round(rng.uniform(2, 40), 1), unit="mg/L")
    add(admitted + timedelta(days=CYCLE_DAYS), "infusion_stopped", reason="cycle_complete")
    add(admitted + timedelta(days=CYCLE_DAYS, hours=3), "discharged", note="Cycle complete; home (synthetic).")
    return patient, records


def write(size: str, out: Path, end: datetime) -> tuple[int, int]:
    """Write the import file; return (patients, records)."""
    n_patients = n_records = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write('{"format": "crs-bedside/1",\n"patients": [\n')
        all_records: list[list[dict[str, Any]]] = []
        first = True
        for bed, number, admitted in stays(size, end):
            patient, records = stay_records(bed, number, admitted, end)
            fh.write(("" if first else ",\n") + json.dumps(patient))
            first = False
            n_patients += 1
            all_records.append(records)
        fh.write('\n],\n"records": [\n')
        first = True
        for records in all_records:
            for record in records:
                fh.write(("" if first else ",\n") + json.dumps(record))
                first = False
                n_records += 1
        fh.write("\n]}\n")
    return n_patients, n_records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("out", type=Path)
    parser.add_argument("--end", default="2026-11-20T12:00:00+00:00", help="the moment the data ends (ISO 8601)")
    args = parser.parse_args(argv)
    end = datetime.fromisoformat(args.end).astimezone(UTC)
    patients, records = write(args.size, args.out, end)
    print(f"{args.out}: {patients} patients, {records} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
