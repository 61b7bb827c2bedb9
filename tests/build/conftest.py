"""Fixtures for the packaging tests (helpers are in bundle_support.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bundle_support import WARD


@pytest.fixture
def ward_file(tmp_path: Path) -> Path:
    """The synthetic ward as an import file."""
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(WARD, indent=1), encoding="utf-8")
    return path
