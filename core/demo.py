"""The synthetic demo ward: eight patients in varied states, as an import document (no real patient data).

Times are relative to ``now`` so that the ward looks current when it is made; it is loaded through the same
import path as any file.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

DEMO_NAMESPACE = uuid.UUID("5f2b9a4e-6c1d-4f57-9c3a-0d1e2f3a4b5c")


def demo_ward(now: datetime) -> dict[str, Any]:
    """The demo ward's import document with times relative to ``now`` (aware)."""
    now = now.replace(second=0, microsecond=0)
    patients: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    counter = iter(range(1, 100000))

    def add_patient(mrn: str, name: str, bed: str, birth: str, sex: str, weight: float, indication: str,
                    diagnosis: str, blasts: float | None = None, bsa: float | None = None) -> None:
        patient = {"mrn": mrn, "name": name, "birth_date": birth, "sex": sex, "weight_kg": weight,
                   "height_cm": 170, "indication": indication, "diagnosis": diagnosis, "ward": "7W", "bed": bed,
                   "demo": True}
        if blasts is not None:
            patient["marrow_blasts_percent"] = blasts
        if bsa is not None:
            patient["bsa_m2"] = bsa
        patients.append(patient)

    def rec(mrn: str, hours_ago: float, kind: str, **fields: Any) -> None:
        at = now - timedelta(hours=hours_ago)
        records.append({"id": str(uuid.uuid5(DEMO_NAMESPACE, f"{mrn}-{next(counter)}")), "mrn": mrn,
                        "at": at.isoformat(), "type": kind, "by": "demo.nurse", **fields})

    def normal_vitals(mrn: str, hours_ago: float, **changes: Any) -> None:
        fields = {"temperature_c": 36.8, "heart_rate": 78, "respiratory_rate": 16, "systolic_bp": 122,
                  "diastolic_bp": 76, "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
        fields.update(changes)
        rec(mrn, hours_ago, "vitals", **fields)

    def start_cycle(mrn: str, hours_ago: float, dose: float = 18, duration: float = 48,
                    cycle: int | None = None) -> None:
        rec(mrn, hours_ago + 1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
        extra = {"cycle": cycle} if cycle else {}
        rec(mrn, hours_ago, "infusion_started", dose_mcg=dose, duration_h=duration, **extra)

    # Bed 1: cycle 1 day 3, no CRS.
    add_patient("DEMO-001", "Alex Demo-Rivera", "1", "1978-04-12", "female", 68, "relapsed_refractory",
                "Ph-negative B-ALL (synthetic)", blasts=20)
    start_cycle("DEMO-001", 50)
    rec("DEMO-001", 2, "bag_changed", dose_mcg=18, duration_h=48)
    for h in (26, 14, 6, 1):
        normal_vitals("DEMO-001", h)

    # Bed 2: CRS grade 1 (fever) on day 2 of cycle 1.
    add_patient("DEMO-002", "Sam Demo-Okafor", "2", "1965-09-30", "male", 82, "relapsed_refractory",
                "B-ALL, second relapse (synthetic)", blasts=35)
    start_cycle("DEMO-002", 30)
    normal_vitals("DEMO-002", 8)
    normal_vitals("DEMO-002", 0.5, temperature_c=38.4, heart_rate=104)
    rec("DEMO-002", 0.4, "symptom", name="rigors")

    # Bed 3: CRS grade 2 (fever + hypotension after a bolus): infusion held 2 h.
    add_patient("DEMO-003", "Jordan Demo-Lee", "3", "1959-01-17", "female", 59, "relapsed_refractory",
                "Ph-negative B-ALL (synthetic)", blasts=62)
    start_cycle("DEMO-003", 40)
    normal_vitals("DEMO-003", 6)
    normal_vitals("DEMO-003", 2.5, temperature_c=38.9, heart_rate=118, systolic_bp=86, diastolic_bp=50)
    rec("DEMO-003", 2.2, "fluid_bolus", volume_ml=500)
    rec("DEMO-003", 2.1, "infusion_stopped", reason="crs")
    rec("DEMO-003", 2.0, "medication_given", drug="paracetamol", dose_mg=1000, purpose="crs_treatment")
    normal_vitals("DEMO-003", 0.75, temperature_c=38.6, heart_rate=112, systolic_bp=94, diastolic_bp=58,
                  respiratory_rate=20, fluid_bolus_given=True)
    rec("DEMO-003", 0.7, "lab_result", test="crp", value=148, unit="mg/L")

    # Bed 4: CRS grade 3 (nasal cannula 7 L/min), held.
    add_patient("DEMO-004", "Casey Demo-Novak", "4", "1971-06-05", "male", 90, "relapsed_refractory",
                "B-ALL, refractory (synthetic)", blasts=80)
    start_cycle("DEMO-004", 60)
    normal_vitals("DEMO-004", 10)
    normal_vitals("DEMO-004", 3, temperature_c=39.2, heart_rate=124, respiratory_rate=24, spo2_percent=91,
                  systolic_bp=102, diastolic_bp=60, oxygen_device="nasal_cannula", oxygen_flow_l_min=4.0)
    rec("DEMO-004", 2.9, "infusion_stopped", reason="crs")
    rec("DEMO-004", 2.5, "medication_given", drug="tocilizumab", dose_mg=720, purpose="crs_treatment")
    rec("DEMO-004", 2.4, "medication_given", drug="dexamethasone", dose_mg=8, purpose="crs_treatment")
    normal_vitals("DEMO-004", 0.3, temperature_c=38.3, heart_rate=116, respiratory_rate=26, spo2_percent=93,
                  systolic_bp=104, diastolic_bp=62, oxygen_device="nasal_cannula", oxygen_flow_l_min=7.0)

    # Bed 5: infusion held 6 days 20 h for another adverse event: close to the 7-day new-cycle limit.
    add_patient("DEMO-005", "Robin Demo-Haddad", "5", "1984-11-23", "female", 55, "mrd_positive",
                "B-ALL in CR1, MRD-positive (synthetic)")
    start_cycle("DEMO-005", 24 * 12, dose=28, duration=24)
    rec("DEMO-005", 24 * 6 + 20, "infusion_stopped", reason="other_adverse_event")
    rec("DEMO-005", 24 * 6 + 19, "note", text="Infusion held for grade 3 ALT rise (synthetic).")
    normal_vitals("DEMO-005", 5)

    # Bed 6: between cycles (cycle 1 complete 5 days ago).
    add_patient("DEMO-006", "Taylor Demo-Costa", "6", "1990-02-14", "male", 74, "consolidation",
                "Ph-negative B-ALL, consolidation (synthetic)")
    start_cycle("DEMO-006", 24 * 33, dose=28, duration=24)
    rec("DEMO-006", 24 * 5, "infusion_stopped", reason="cycle_complete")
    normal_vitals("DEMO-006", 3)

    # Bed 7: MRD+ cycle 2 day 10, stable, observations overdue.
    add_patient("DEMO-007", "Morgan Demo-Ito", "7", "1969-08-08", "female", 63, "mrd_positive",
                "B-ALL in CR2, MRD-positive (synthetic)")
    start_cycle("DEMO-007", 24 * 9 + 3, dose=28, duration=24, cycle=2)
    rec("DEMO-007", 20, "bag_changed", dose_mcg=28, duration_h=24)
    normal_vitals("DEMO-007", 14)

    # Bed 8: ICANS grade 2 (ICE 5) after CRS treated with tocilizumab: fever waived, hypotension.
    add_patient("DEMO-008", "Quinn Demo-Adeyemi", "8", "1955-12-01", "male", 77, "relapsed_refractory",
                "B-ALL, relapsed (synthetic)", blasts=55)
    start_cycle("DEMO-008", 72)
    normal_vitals("DEMO-008", 12, temperature_c=38.8, heart_rate=110)
    rec("DEMO-008", 11.5, "infusion_stopped", reason="crs")
    rec("DEMO-008", 11, "medication_given", drug="tocilizumab", dose_mg=616, purpose="crs_treatment")
    rec("DEMO-008", 2, "neuro_assessment", ice_score=5, arousal="awake", seizure="none")
    normal_vitals("DEMO-008", 1, temperature_c=37.3, heart_rate=98, systolic_bp=88, diastolic_bp=52,
                  respiratory_rate=18, consciousness="new_confusion", fluid_bolus_given=True)
    return {"format": "crs-bedside/1", "patients": patients, "records": records}
