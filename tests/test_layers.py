"""core/ never imports Qt (STYLE.md practice 1): checked in a fresh interpreter. In the source the import contracts
of pyproject.toml check it (`lint-imports`, tests/test_import_contracts.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "core").rglob("*.py") if path.name != "__init__.py")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    assert len(modules) >= 10


def test_headless_commands_do_not_load_qt():
    code = (
        "import sys, io\n"
        "from gui.main import main\n"
        "sys.stdin = io.StringIO('{\"temperature_c\": 38.4}')\n"
        "code = main(['grade'])\n"
        "assert code == 0, code\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


# -- the services are the only way in (issue 15) ---------------------------------------------------------------------
#: core's services/store layer: the only modules that open the file, run SQL or hand the store around.
STORE_LAYER = {"core/store.py", "core/services.py", "core/security.py", "core/audit.py", "core/backup.py",
               "core/snapshot.py", "core/locking.py",
               # the parts of class Bedside (core/services.py)
               "core/services_reading.py", "core/services_recording.py", "core/services_import.py",
               "core/services_files.py",
               # FHIR interop (issue 17) reads the store and keeps its outbox cursor there; it is handed the store
               # only by core/cli.py's export and push, after open_bedside has signed in and checked READ.
               "core/fhir/export.py", "core/fhir/push.py"} \
    | {f"core/storage/{path.name}" for path in (ROOT / "core" / "storage").glob("*.py")}   # the store's jobs (issue 18)
#: What the rest may ask of an open store: the file itself (its path, the chain check made at open, warnings, the
#: backup folder, a backup, closing it), never a patient's data.
FILE_LEVEL = {"path", "chain_report", "warnings", "backup_policy", "make_backup", "close", "run_deferred_checks",
              "deferred_checks", "schema_version", "integrity_check", "encrypted"}
#: The places that make a Bedside, each right after a sign-in (core/cli_common.py sign_in, gui/login.py,
#: gui/app.py) or on a file of its own (the self-test's scratch database).
BEDSIDE_MAKERS = {"core/cli_common.py", "gui/app.py", "gui/login.py", "gui/selftest.py"}


def store_layer_offences(path: Path, relative: str) -> list[str]:
    """Ways a module outside the store layer touches the store: SQL, opening the file, a store's data, a Bedside
    made without a sign-in."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in ("sqlite3", "sqlite_utils"):
                    found.append(f"{relative}:{line} imports {name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "Store") or \
                    (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "Store"):
                found.append(f"{relative}:{line} opens the store itself (use core.services.open_database)")
            if isinstance(func, ast.Name) and func.id == "Bedside" and relative not in BEDSIDE_MAKERS:
                found.append(f"{relative}:{line} makes a Bedside without signing in")
        elif isinstance(node, ast.Attribute):
            if node.attr == "_db":
                found.append(f"{relative}:{line} reaches into the store's connection")
            if isinstance(node.value, ast.Attribute) and node.value.attr == "store" and node.attr not in FILE_LEVEL:
                found.append(f"{relative}:{line} reads .store.{node.attr} (ask the Bedside instead)")
    return found


def test_nothing_outside_the_services_and_store_layer_touches_the_store():
    offences = []
    for path in sorted(list((ROOT / "core").rglob("*.py")) + list((ROOT / "gui").rglob("*.py"))):
        relative = str(path.relative_to(ROOT))
        if relative not in STORE_LAYER:
            offences += store_layer_offences(path, relative)
    assert offences == []


def test_the_layer_test_catches_what_the_handover_command_did(tmp_path):
    # The handover command of before issue 15 opened the file beside the services, without a sign-in.
    before = tmp_path / "printing.py"
    before.write_text("from core.store import Store\nfrom core.services import Bedside\n"
                      "with Store.open(db, create=False) as store:\n"
                      "    bedside = Bedside(store, protocol, clock, args.user)\n"
                      "    rows = bedside.store.records('A100')\n", encoding="utf-8")
    assert store_layer_offences(before, "gui/printing.py") == [
        "gui/printing.py:3 opens the store itself (use core.services.open_database)",
        "gui/printing.py:4 makes a Bedside without signing in",
        "gui/printing.py:5 reads .store.records (ask the Bedside instead)",
    ]
