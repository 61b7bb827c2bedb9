"""The import contracts of pyproject.toml ([tool.importlinter]) hold, checked by the real `lint-imports` command;
and they bite: a copy of the code with a Qt import in core, a store import in gui, SQLite outside the storage layer
or an import up core's layers is refused, the offending import named (issue 18; docs/ARCHITECTURE.md draws the
layers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The console script pip installs beside the interpreter (bin/ on Linux and macOS, Scripts/ on Windows).
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports.exe" if os.name == "nt" else "lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` run in ``cwd`` on the code found there (``cwd`` first on the path, never the installed copy),
    with its cache kept out of the folder."""
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_the_contracts_refuse_qt_in_core_the_store_in_gui_and_an_import_up_the_layers(tmp_path):
    for folder in ("core", "gui"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "core" / "chart_maths.py").write_text("from PySide6.QtCore import QPointF\n", encoding="utf-8")
    (tmp_path / "gui" / "quick_count.py").write_text("from core.store import Store\nimport sqlite3\n",
                                                     encoding="utf-8")
    (tmp_path / "core" / "rules" / "shortcut.py").write_text("from core.services import Bedside\n",
                                                             encoding="utf-8")
    # SQL outside the storage layer (core/store.py and core/storage/), even below the services
    (tmp_path / "core" / "ward_count.py").write_text("from sqlcipher3 import dbapi2\n", encoding="utf-8")

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "Contracts: 0 kept, 4 broken." in result.stdout
    assert "core.chart_maths -> PySide6 (l.1)" in result.stdout
    assert "gui.quick_count -> core.store (l.1)" in result.stdout
    assert "gui.quick_count -> sqlite3 (l.2)" in result.stdout
    assert "core.rules.shortcut -> core.services (l.1)" in result.stdout
    assert "core.ward_count -> sqlcipher3 (l.1)" in result.stdout
