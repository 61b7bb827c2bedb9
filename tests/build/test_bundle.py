"""The frozen app, built by build_scripts/build.py, works where clinic IT puts it (issue 8).

One build per run (about 20 s with PyInstaller's cache warm, 30-40 s cold), into a temporary folder. The Linux
archive is unpacked elsewhere and the app run from there, with a clean environment and no source tree on the path,
so a file missing from the bundle or the archive fails here rather than on a ward laptop.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from bundle_support import (
    ROOT,
    WARD_IMPORTED,
    mark_written_by_future_version,
    newer_file_refusal,
    run_command,
    run_source_cli,
)

from core import __version__
from core.store import SCHEMA_VERSION

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle test runs on Linux")]

VERSION = __version__            # the one place the version is written (pyproject.toml reads it)
from build_scripts.build import MAX_MB  # noqa: E402  (the build's own budget: one place)

AT = "2022-01-11T08:00:00-06:00"
ASSESSMENT = {"temperature_c": 38.4, "heart_rate": 112, "respiratory_rate": 22, "systolic_bp": 104,
              "diastolic_bp": 62, "spo2_percent": 95, "oxygen_device": "room_air", "consciousness": "alert"}


class Frozen:
    """The built bundle, its archive, and the app unpacked from the archive."""

    def __init__(self, dist: Path, unpacked: Path, build_seconds: float):
        self.dist = dist
        self.bundle = dist / "crs-bedside"
        self.archive = dist / f"crs-bedside-{VERSION}-linux-{platform.machine()}.tar.gz"
        self.unpacked = unpacked
        self.executable = unpacked / f"crs-bedside-{VERSION}" / "crs-bedside" / "crs-bedside"
        self.build_seconds = build_seconds

    def run(self, *args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
        return run_command([str(self.executable)], *args, cwd=cwd, input=input)


@pytest.fixture(scope="module")
def frozen(build, tmp_path_factory) -> Frozen:
    built = Frozen(build.dist, tmp_path_factory.mktemp("unpacked"), build.seconds)
    with tarfile.open(built.archive) as tar:
        # Extraction filters exist from Python 3.11.4; Debian 12's 3.11.2 may lack them.
        tar.extractall(built.unpacked, **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
    return built


def test_the_bundle_is_within_the_size_budget(frozen):
    size = int(subprocess.run(["du", "-sm", str(frozen.bundle)], capture_output=True, text=True, check=True)
               .stdout.split()[0])
    print(f"\nbundle: {size} MB")
    assert size <= MAX_MB


def test_version_prints_the_version_of_the_source_it_was_built_from(frozen, tmp_path):
    result = frozen.run("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"crs-bedside {VERSION}\n", "")


def test_grade_reads_json_on_stdin_and_answers_as_the_source_does(frozen, tmp_path):
    text = json.dumps(ASSESSMENT)
    result = frozen.run("grade", cwd=tmp_path, input=text)
    assert result.returncode == 0, result.stderr
    graded = json.loads(result.stdout)
    assert graded["crs_grade"] == 1
    assert graded["protocol"]["id"] == "default"
    assert graded == json.loads(run_source_cli("grade", input=text).stdout)


def test_the_shipped_protocols_and_a_site_file_are_found(frozen, tmp_path):
    label = frozen.run("grade", "--protocol", "label", cwd=tmp_path, input=json.dumps(ASSESSMENT))
    assert label.returncode == 0, label.stderr
    assert json.loads(label.stdout)["protocol"]["id"] == "label"
    site = tmp_path / "site.toml"
    shutil.copyfile(ROOT / "resources" / "protocols" / "default.toml", site)
    from_file = frozen.run("grade", "--protocol", str(site), cwd=tmp_path, input=json.dumps(ASSESSMENT))
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(from_file.stdout)["protocol"] == json.loads(
        run_source_cli("grade", "--protocol", str(site), input=json.dumps(ASSESSMENT)).stdout)["protocol"]


def test_headless_commands_load_no_qt_library(frozen, tmp_path):
    # glibc's loader names every library it initialises; the bundle's runtime hook must not import QtCore.
    result = run_command([str(frozen.executable)], "grade", cwd=tmp_path, input=json.dumps(ASSESSMENT),
                         LD_DEBUG="libs")
    assert result.returncode == 0
    loaded = [line for line in result.stderr.splitlines() if "calling init:" in line]
    assert any("libpython3" in line for line in loaded)
    assert [line for line in loaded if "Qt" in line] == []


def test_bad_input_gets_one_plain_line_and_status_2(frozen, tmp_path):
    result = frozen.run("grade", cwd=tmp_path, input='{"temperature_c": 60.0}')
    source = run_source_cli("grade", input='{"temperature_c": 60.0}')
    assert result.returncode == 2
    assert result.stderr == source.stderr
    assert result.stderr.startswith("crs-bedside: temperature_c: 60.0")
    assert "Traceback" not in result.stderr


def test_import_then_status_on_a_temporary_database(frozen, tmp_path, ward_file):
    db = tmp_path / "ward.db"
    imported = frozen.run("import", str(ward_file), "--db", str(db), cwd=tmp_path)
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, WARD_IMPORTED, "")
    again = frozen.run("import", str(ward_file), "--db", str(db), cwd=tmp_path)
    assert again.stdout == "imported 0 patients and 0 records (5 already present)\n"

    status = frozen.run("status", "--db", str(db), "--at", AT, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    assert [(p["mrn"], p["bed"]) for p in doc["patients"]] == [("P900", "3"), ("P901", "4")]
    assert doc["patients"][0]["infusion"]["state"] == "running"
    assert doc == json.loads(run_source_cli("status", "--db", str(db), "--at", AT).stdout)


def test_the_frozen_app_exports_fhir_as_the_source_does(frozen, tmp_path, ward_file):
    """fhir.resources (imported only by the export and push paths) is in the bundle."""
    db = tmp_path / "ward.db"
    assert frozen.run("import", str(ward_file), "--db", str(db), cwd=tmp_path).returncode == 0
    exported = frozen.run("export", "--db", str(db), "--format", "fhir-r4", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    source = json.loads(run_source_cli("export", "--db", str(db), "--format", "fhir-r4").stdout)
    assert json.loads(exported.stdout)["entry"] == source["entry"]
    assert len(source["entry"]) > 5


def test_the_frozen_app_refuses_a_database_from_a_newer_version(frozen, tmp_path, ward_file):
    db = tmp_path / "ward.db"
    assert frozen.run("import", str(ward_file), "--db", str(db), cwd=tmp_path).returncode == 0
    mark_written_by_future_version(db)
    before = db.read_bytes()
    result = frozen.run("status", "--db", str(db), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, newer_file_refusal(db, SCHEMA_VERSION + 1))
    assert db.read_bytes() == before


def test_self_test_passes_offscreen(frozen, tmp_path):
    if not (ROOT / "gui" / "selftest.py").exists():
        pytest.skip("gui/selftest.py (run_self_test, written by the integrator) is not in this tree yet")
    result = frozen.run("--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_archive_carries_the_desktop_entry_icons_and_install_scripts(frozen):
    top = frozen.unpacked / f"crs-bedside-{VERSION}"
    assert sorted(p.name for p in top.iterdir()) == [
        "crs-bedside", "crs-bedside.desktop", "crs-bedside.png", "crs-bedside.svg", "install.sh", "uninstall.sh"]
    entry = (top / "crs-bedside.desktop").read_text(encoding="utf-8").splitlines()
    assert {"Name=CRS Bedside", "Exec=crs-bedside", "Icon=crs-bedside", "Terminal=false"} <= set(entry)
    for name in ("install.sh", "uninstall.sh", "crs-bedside/crs-bedside"):
        assert (top / name).stat().st_mode & 0o111 == 0o111, name
    resources = top / "crs-bedside" / "_internal" / "resources"
    for name in ("protocols/default.toml", "protocols/label.toml", "icons/crs-bedside.svg", "icons/crs-bedside.png"):
        assert (resources / name).is_file(), name


def test_install_script_installs_for_a_user_and_upgrades_in_place(frozen, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script = frozen.unpacked / f"crs-bedside-{VERSION}" / "install.sh"
    for _ in range(2):  # the second run is an upgrade over the first
        result = run_command(["sh", str(script)], cwd=tmp_path, HOME=str(home), XDG_DATA_HOME="")
        assert result.returncode == 0, result.stderr
    prefix = home / ".local" / "opt" / "crs-bedside"
    assert result.stdout.splitlines()[0] == f"installed crs-bedside {VERSION} in {prefix}"
    entry = (home / ".local" / "share" / "applications" / "crs-bedside.desktop").read_text(encoding="utf-8")
    assert f'Exec="{prefix}/crs-bedside"' in entry.splitlines()
    assert (home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "crs-bedside.png").is_file()
    linked = run_command([str(home / ".local" / "bin" / "crs-bedside"), "--version"], cwd=tmp_path)
    assert linked.stdout == f"crs-bedside {VERSION}\n"
    assert sorted(p.name for p in prefix.parent.iterdir()) == ["crs-bedside"]

