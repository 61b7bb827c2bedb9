"""``crs-bedside --self-test``: every check passes on a sound installation, one line per check."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ["qt", "resources", "database", "main window", "vitals", "handover", "close", "encryption"]


def test_self_test_runs_every_check_through_the_gui_code_paths(qapp, tmp_path, monkeypatch):
    from gui.selftest import run_self_test

    monkeypatch.setenv("CRS_BEDSIDE_LOG_DIR", str(tmp_path))
    out = io.StringIO()
    assert run_self_test(out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith(("PASS", "FAIL"))] == [
        f"PASS {name}" for name in CHECKS]
    assert "PASS vitals: recorded through the wizard: CRS grade 1, NEWS2 2" in lines
    assert any(line.startswith("PASS encryption: SQLCipher 4.") for line in lines)   # the build has SQLCipher
    assert lines[-1] == "self-test passed"


def test_self_test_command_exits_0_offscreen(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRS_BEDSIDE_LOG_DIR=str(tmp_path), HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-m", "gui.main", "--self-test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "self-test passed"
    assert "Traceback" not in result.stderr
