"""What the FHIR and merge tests share: a ward holding every record type, the real FHIR engine of tests/fhir (Medplum's
validator and its FHIR router over the in-memory repository, behind a Node HTTP server on 127.0.0.1), and the
command line run as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import pytest

from core.demo import demo_ward

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "fhir"
NAMESPACE = uuid.UUID("6a0d8f5e-1b2c-4d3e-8f9a-0b1c2d3e4f50")


def require_node() -> str:
    """The ``node`` executable, with the FHIR test packages installed (bootstrap does both; never a skip)."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@medplum" / "fhir-router").is_dir():
        pytest.fail("the FHIR tests need Node.js and `npm ci` in tests/fhir: run python3 build_scripts/bootstrap.py "
                    "--test (it installs both)")
    return node


def every_type_ward(now: datetime) -> dict[str, Any]:
    """The demo ward plus one patient with a record of every type (corrections, a patient update, a hold and a
    restart, vasopressors, escalation...), as an import document."""
    doc = demo_ward(now)
    now = now.replace(second=0, microsecond=0)
    doc["patients"].append({"mrn": "FHIR-1", "name": "Jo Demo-Every", "birth_date": "1970-01-02", "sex": "other",
                            "weight_kg": 70.0, "height_cm": 172, "indication": "mrd_positive", "ward": "7W",
                            "bed": "9", "demo": True})
    counter = iter(range(1, 1000))

    def rec(hours_ago: float, kind: str, **fields: Any) -> str:
        record_id = str(uuid.uuid5(NAMESPACE, f"FHIR-1-{next(counter)}"))
        doc["records"].append({"id": record_id, "mrn": "FHIR-1", "at": (now - timedelta(hours=hours_ago)).isoformat(),
                               "type": kind, "by": "demo.nurse", **fields})
        return record_id

    rec(60, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    rec(59, "infusion_started", dose_mcg=9, duration_h=24, cycle=1)
    rec(50, "vitals", temperature_c=37.0, heart_rate=80, respiratory_rate=16, systolic_bp=120, diastolic_bp=70,
        spo2_percent=97, oxygen_device="room_air", consciousness="alert")
    rec(35, "bag_changed", dose_mcg=9, duration_h=24)
    wrong = rec(30, "vitals", temperature_c=39.9, heart_rate=130)
    rec(29.5, "entered_in_error", target_id=wrong, reason="wrong patient")
    rec(28, "vitals", temperature_c=38.9, heart_rate=118, respiratory_rate=24, systolic_bp=84, diastolic_bp=50,
        spo2_percent=91, oxygen_device="nasal_cannula", oxygen_flow_l_min=3.0, consciousness="new_confusion")
    rec(27.9, "fluid_bolus", volume_ml=500)
    rec(27.8, "symptom", name="rigors", note="shaking")
    rec(27.7, "lab_result", test="crp", value=85.0, unit="mg/L")
    rec(27.5, "infusion_stopped", reason="crs")
    rec(27.4, "medication_given", drug="paracetamol", dose_mg=1000, purpose="crs_treatment")
    rec(27.3, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    rec(27.2, "vasopressor_started", agent="norepinephrine")
    rec(27.1, "escalation", to="prescriber", response="attending", acknowledges=["interrupt_infusion"],
        name="Dr Demo")
    rec(27, "neuro_assessment", ice_score=8, arousal="awake")
    rec(26, "vitals", temperature_c=38.2, systolic_bp=95, oxygen_device="venturi_mask", fio2_percent=35,
        spo2_percent=95)
    rec(25, "vasopressor_stopped", agent="norepinephrine")
    rec(24, "grade_confirmed", grade=3, reason="on pressor at 27 h")
    rec(20, "observations_not_done", reason="asleep")
    rec(16, "crs_episode_closed", reason="resolved")
    rec(12, "patient_updated", bed="10", weight_kg=69.5)
    rec(10, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    rec(9, "infusion_resumed", dose_mcg=9, duration_h=24)
    rec(4, "note", text="settled, eating")
    rec(2, "vitals", temperature_c=36.9, heart_rate=84, respiratory_rate=16, systolic_bp=118, diastolic_bp=72,
        spo2_percent=97, oxygen_device="room_air", consciousness="alert")
    return doc


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``crs-bedside ARGS`` as a real process (the worktree's code first on the path)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "gui.main", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


class FhirServer:
    """tests/fhir/fhir_server.mjs as a real process on 127.0.0.1 (a port chosen by the OS)."""

    def __init__(self, *options: str):
        node = require_node()
        self.process = subprocess.Popen([node, str(NODE_DIR / "fhir_server.mjs"), *options], cwd=NODE_DIR,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: Queue[str] = Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.wait_for("listening")
        self.port = int(first.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 120) -> str:
        """The next line of the server's output that starts with ``prefix`` (the server says what it received)."""
        deadline = datetime.now() + timedelta(seconds=timeout)
        while True:
            remaining = (deadline - datetime.now()).total_seconds()
            if remaining <= 0:
                raise AssertionError(f"the FHIR server never printed {prefix!r}; it printed {self.seen}")
            try:
                line = self.lines.get(timeout=remaining)
            except Empty:
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def get(self, path: str, token: str | None = None) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.url}/{path}")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def count(self, resource_type: str, query: str = "") -> int:
        """How many resources of a type the server holds (a FHIR search, ``_count=0``: the total only)."""
        return int(self.get(f"{resource_type}?_count=0{'&' + query if query else ''}")["total"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> FhirServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
