"""The MSI definition (build_scripts/windows/crs-bedside.wxs) compiles with wixl on a stand-in payload.

This Linux machine cannot build the Windows bundle, so the payload is three small files laid out as the bundle is
(crs-bedside.exe, _internal/...). What is checked is the package itself, read back with msitools: per-machine,
the upgrade that replaces an older version (MajorUpgrade), the product code of the version, the Start menu entry,
and every payload file under C:\\Program Files\\CRS Bedside. Installing it (msiexec) needs Windows: the CI workflow
.github/workflows/installers.yml does that on a Windows runner.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bundle_support import ROOT

sys.path.insert(0, str(ROOT / "build_scripts" / "windows"))
import msi

pytestmark = pytest.mark.skipif(shutil.which("wixl") is None or shutil.which("msiinfo") is None,
                                reason="wixl and msitools compile and read the MSI (bootstrap.py --test installs them)")

UPGRADE_CODE = "{6B1E0D5C-3C52-4E1A-9D43-5D7A0C2B9F11}"
PAYLOAD = {"crs-bedside.exe": b"MZ stand-in", "_internal/python311.dll": b"stand-in library",
           "_internal/resources/protocols/default.toml": b'id = "default"\n'}


def table(path: Path, name: str) -> list[list[str]]:
    """The rows of an MSI table (msiinfo export: two header lines, then tab-separated rows)."""
    text = subprocess.run(["msiinfo", "export", str(path), name], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in text.splitlines()[3:]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("msi")
    payload = base / "crs-bedside"
    for relative, data in PAYLOAD.items():
        (payload / relative).parent.mkdir(parents=True, exist_ok=True)
        (payload / relative).write_bytes(data)
    result = subprocess.run([sys.executable, str(ROOT / "build_scripts" / "windows" / "msi.py"), str(payload),
                             "--version", "1.2.3"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = base / "crs-bedside-1.2.3-x64.msi"
    assert result.stdout.splitlines() == [f"msi: {out}", f"product code: {{{msi.product_code('1.2.3')}}}",
                                          f"silent install: msiexec /i {out.name} /qn /norestart"]
    return out


def test_the_product_is_per_machine_with_a_fixed_code_for_the_version(built):
    properties = dict(row[:2] for row in table(built, "Property"))
    assert properties["ALLUSERS"] == "1"
    assert properties["ProductVersion"] == "1.2.3"
    assert properties["ProductCode"] == f"{{{msi.product_code('1.2.3')}}}"
    assert properties["UpgradeCode"] == UPGRADE_CODE
    assert built.with_suffix(".productcode").read_text() == msi.product_code("1.2.3") + "\n"
    # One code per version, and a new one for the next (the major upgrade replaces the old product).
    assert msi.product_code("1.2.3") == str(uuid.uuid5(msi.PRODUCT_NAMESPACE, "crs-bedside 1.2.3 x64")).upper()
    assert msi.product_code("1.2.4") != msi.product_code("1.2.3")


def test_a_newer_version_replaces_an_older_one_and_an_older_one_is_refused(built):
    upgrades = sorted((row[0], row[1], row[2], row[6]) for row in table(built, "Upgrade"))
    assert upgrades == [(UPGRADE_CODE, "", "1.2.3", "WIX_UPGRADE_DETECTED"),
                        (UPGRADE_CODE, "1.2.3", "", "WIX_DOWNGRADE_DETECTED")]
    sequence = {row[0]: row[2] for row in table(built, "InstallExecuteSequence")}
    assert sequence["RemoveExistingProducts"] == "1401"          # right after InstallValidate
    assert table(built, "LaunchCondition") == [["NOT WIX_DOWNGRADE_DETECTED",
                                                 "A newer version of CRS Bedside is already installed."]]


def test_every_payload_file_and_the_start_menu_entry_are_installed(built, tmp_path):
    files = sorted(row[2] for row in table(built, "File"))
    assert files == sorted(Path(relative).name for relative in PAYLOAD)
    shortcut = table(built, "Shortcut")[0]
    assert (shortcut[1], shortcut[2], shortcut[4]) == ("ProgramMenuFolder", "CRS Bedside",
                                                       "[INSTALLDIR]crs-bedside.exe")
    directories = {row[0]: row for row in table(built, "Directory")}
    assert directories["INSTALLDIR"][1:] == ["ProgramFiles64Folder", "CRS Bedside"]
    subprocess.run(["msiextract", "-C", str(tmp_path), str(built)], capture_output=True, check=True)
    for relative, data in PAYLOAD.items():
        assert (tmp_path / "CRS Bedside" / relative).read_bytes() == data


def test_the_ci_workflow_builds_installs_and_self_tests_on_windows_and_macos():
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    windows, macos = workflow.split("\n  windows:\n")[1].split("\n  macos:\n")
    assert "runs-on: windows-" in windows and "runs-on: macos-" in macos
    for step in ("python build_scripts/build.py --no-archive", r"dist\crs-bedside\crs-bedside.exe --self-test",
                 "python build_scripts/windows/msi.py dist/crs-bedside", "/qn /norestart",
                 r'"C:\Program Files\CRS Bedside\crs-bedside.exe" --self-test', "signtool"):
        assert step in windows, step
    for step in ("sh build_scripts/macos/build_app.sh", 'crs-bedside" --self-test', "CODESIGN_IDENTITY="):
        assert step in macos, step
    assert "if (-not $env:SIGN_PFX_BASE64)" in windows and 'if [ -z "$CODESIGN_CERT_BASE64" ]' in macos
