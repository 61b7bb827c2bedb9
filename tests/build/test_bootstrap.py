"""``bootstrap.py --demo`` installs the project only when pyproject.toml or the installed version changed.

The virtual environment is a stand-in: its ``python`` is a script that reports an installed version and records
every pip call, so the test sees exactly when bootstrap would install, without the network or minutes of pip.
"""

from __future__ import annotations

import importlib.util
import stat
from pathlib import Path

import pytest
from bundle_support import ROOT


@pytest.fixture
def bootstrap(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "build_scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = tmp_path / "source"
    source.mkdir()
    (source / "pyproject.toml").write_text('[project]\nname = "crs-bedside"\nversion = "0.1.0"\n', encoding="utf-8")
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (tmp_path / "version").write_text("0.1.0", encoding="utf-8")
    python = venv / "bin" / "python"
    python.write_text(f"""#!/bin/sh
if [ "$1" = "-c" ]; then cat {tmp_path / 'version'}; echo; exit 0; fi
echo "$@" >> {tmp_path / 'pip.log'}
""", encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(module, "ROOT", source)
    monkeypatch.setattr(module, "VENV", venv)
    module.pip_calls = lambda: (tmp_path / "pip.log").read_text().splitlines() if (tmp_path / "pip.log").exists() \
        else []
    module.tmp = tmp_path
    return module


def test_the_first_launch_installs_and_the_second_is_silent(bootstrap, capsys):
    assert bootstrap.install_project("test") is True
    assert [call.split()[-1] for call in bootstrap.pip_calls()] == ["pip", f"{bootstrap.ROOT}[test]"]
    assert capsys.readouterr().out == f"[bootstrap] installing crs-bedside[test] into {bootstrap.VENV}\n"
    assert bootstrap.install_project("test") is False
    assert len(bootstrap.pip_calls()) == 2
    assert capsys.readouterr().out == ""


def test_a_changed_pyproject_installs_again(bootstrap):
    bootstrap.install_project("test")
    pyproject = bootstrap.ROOT / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'dependencies = ["sqlite-utils>=4,<5"]\n', encoding="utf-8")
    assert bootstrap.install_project("test") is True
    assert bootstrap.install_project("test") is False


def test_a_changed_installed_version_installs_again(bootstrap):
    bootstrap.install_project("test")
    (bootstrap.tmp / "version").write_text("0.0.9", encoding="utf-8")   # someone installed another version
    assert bootstrap.install_project("test") is True


def test_a_new_virtual_environment_installs_again(bootstrap):
    bootstrap.install_project("test")
    bootstrap.stamp_path().unlink()
    assert bootstrap.install_project("test") is True


# -- --test: the checkers first (import contracts, ruff, mypy), then the suite (issue 18) ------------------------------
def stand_in_script(path: Path, log: Path, exit_status: int) -> None:
    """A console script of the stand-in .venv that logs its name and arguments and exits with ``exit_status``."""
    path.write_text(f'#!/bin/sh\necho "{path.name} $@" >> {log}\nexit {exit_status}\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


#: Each checker's console script, the command line it gets, and the line bootstrap says before it.
CHECKERS = [("lint-imports", "lint-imports --no-cache", "checking the import contracts (lint-imports)"),
            ("ruff", "ruff check .", "checking the lint rule set (ruff check)"),
            ("mypy", "mypy core gui", "checking the types (mypy)")]


@pytest.mark.parametrize("suite", [0, 1])
def test_the_test_run_runs_the_checkers_in_order_before_pytest(bootstrap, capsys, suite):
    log = bootstrap.tmp / "runs.log"
    for script, _command, _said in CHECKERS:
        stand_in_script(bootstrap.VENV / "bin" / script, log, 0)
    stand_in_script(bootstrap.VENV / "bin" / "python", log, suite)

    assert bootstrap.run_tests(["-m", "not slow"]) == suite

    assert log.read_text().splitlines() == [command for _, command, _ in CHECKERS] + ["python -m pytest -m not slow"]
    assert capsys.readouterr().out == "".join(f"[bootstrap] {said}\n" for _, _, said in CHECKERS) + (
        "[bootstrap] running the test suite (Qt offscreen)\n")


@pytest.mark.parametrize("failing", [0, 1, 2], ids=[script for script, _, _ in CHECKERS])
def test_a_checker_with_findings_fails_the_test_run_without_running_pytest(bootstrap, capsys, failing):
    log = bootstrap.tmp / "runs.log"
    for index, (script, _command, _said) in enumerate(CHECKERS):
        stand_in_script(bootstrap.VENV / "bin" / script, log, 2 if index == failing else 0)
    stand_in_script(bootstrap.VENV / "bin" / "python", log, 0)

    assert bootstrap.run_tests([]) == 2

    ran = CHECKERS[:failing + 1]
    assert log.read_text().splitlines() == [command for _, command, _ in ran]      # the later ones and pytest: not run
    what = ran[-1][2].removeprefix("checking ")
    assert capsys.readouterr().out == "".join(f"[bootstrap] {said}\n" for _, _, said in ran) + (
        f"[bootstrap] {what}: findings above; the suite is not run\n")
