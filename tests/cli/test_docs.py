"""The README and docs/ are complete on their own and say what the code does: every file they point to is in the
repository, ``crs-bedside --help`` lists every command, and docs/INSTALL.md names backups as the code writes them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from core.backup import ROUTINE_REASONS
from core.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL = (ROOT / "docs" / "INSTALL.md").read_text(encoding="utf-8")
INTERFACE = (ROOT / "docs" / "INTERFACE.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    """Every command the parser knows."""
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return list(action.choices)


def crs_bedside(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CRS_BEDSIDE_USER="nurse.docs")
    return subprocess.run([sys.executable, "-m", "gui.main", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_readme_points_only_inside_the_repository():
    assert "../shared" not in README and "shared/design" not in README
    linked = re.findall(r"\]\(([^)#]+)\)", README)
    named = re.findall(r"`((?:docs|build_scripts|tests|\.github|resources)/[^`\s]+)`", README)
    assert "docs/INTERFACE.md" in linked
    for path in linked + named:
        if "<" not in path and "*" not in path:
            assert (ROOT / path).exists(), path


def test_the_readme_explains_the_first_run_question_and_where_the_command_is():
    assert '"Who is recording?"' in README
    assert "Create the\nadministrator…" in README or "Create the administrator…" in README
    assert "`.venv/bin/crs-bedside`" in README


def test_help_lists_every_command_with_what_it_does():
    result = crs_bedside("--help")
    assert result.returncode == 0
    listed = dict(re.findall(r"^    ([a-z-]+)\s{2,}(\S.*)$", result.stdout, re.M))
    assert sorted(listed) == sorted(commands())
    assert all(listed.values())
    for option in ("--db", "--protocol", "--user", "--version", "--demo", "--self-test"):
        assert option in result.stdout


def test_every_command_is_in_the_repository_s_copy_of_the_contract():
    for command in commands():
        assert f"`crs-bedside {command}" in INTERFACE, command
    assert "## Additions" in INTERFACE and "--print [--printer NAME]" in INTERFACE


def test_the_handover_print_options_are_in_the_help():
    result = crs_bedside("handover", "--help")
    assert result.returncode == 0
    assert "--print" in result.stdout and "--printer NAME" in result.stdout


def test_install_md_names_backups_where_and_as_the_code_writes_them(tmp_path):
    db = tmp_path / "crs-bedside.db"
    empty = tmp_path / "empty.json"
    empty.write_text('{"format": "crs-bedside/1", "patients": [], "records": []}', encoding="utf-8")
    assert crs_bedside("import", str(empty), "--db", str(db)).returncode == 0
    made = crs_bedside("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    # docs/INSTALL.md: "in the folder `<database>.backups/` ... named `<database name>.<UTC time>.<reason>.bak`"
    assert "`<database>.backups/`" in INSTALL and "`<database name>.<UTC time>.<reason>.bak`" in INSTALL
    assert backup.parent == tmp_path / "crs-bedside.db.backups"
    assert re.fullmatch(r"crs-bedside\.db\.\d{8}T\d{6}_\d{6}Z\.manual\.bak", backup.name)
    example = re.search(r"`(crs-bedside\.db\.\d{8}T\d{6}_\d{6}Z\.manual\.bak)`", INSTALL)
    assert example, "INSTALL.md shows an example backup name"
    assert "`YYYYMMDDTHHMMSS_microsecondsZ`" in INSTALL
    for reason in [*sorted(ROUTINE_REASONS), "pre-<migration>", "pre-restore"]:
        assert f"`{reason}`" in INSTALL, reason
    assert "crs-bedside.db.pre-" not in INSTALL        # the old, wrong name beside the database
