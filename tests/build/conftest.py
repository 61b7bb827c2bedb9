"""Fixtures for the packaging tests (helpers are in bundle_support.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_support import ROOT, WARD


@dataclass(frozen=True)
class Build:
    """One run of ``build.py --deb`` for the whole test session: the bundle, the .tar.gz and the .deb in ``dist``."""

    dist: Path
    seconds: float
    output: str


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    """The bundle is built once per session (minutes on a cold cache) and shared by every packaging test."""
    base = tmp_path_factory.mktemp("frozen")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_scripts" / "build.py"), "--deb", "--dist", str(base / "dist"),
         "--work", str(base / "work")], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"\nbuild + archive + deb: {seconds:.1f} s; {result.stdout.strip()}")
    return Build(base / "dist", seconds, result.stdout)


@pytest.fixture
def ward_file(tmp_path: Path) -> Path:
    """The synthetic ward as an import file."""
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(WARD, indent=1), encoding="utf-8")
    return path
