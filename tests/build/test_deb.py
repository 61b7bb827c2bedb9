"""The Debian package made by ``build.py --deb``: what it holds, what it depends on, and a real install and removal.

The package is installed with ``dpkg --root`` into a scratch root (its own dpkg database; the machine's packages
and /opt are never touched), the command on its PATH runs the self-test, and ``dpkg --purge`` removes it again,
leaving the nurse's database exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_support import ROOT, WARD_IMPORTED, clean_env, run_source_cli

from core import __version__

sys.path.insert(0, str(ROOT / "build_scripts"))
from build import DEB_DEPENDS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="the .deb is built and tested on Debian")]

VERSION = __version__            # the one place the version is written (pyproject.toml reads it)


@pytest.fixture(scope="module")
def deb(build) -> Path:
    found = sorted(build.dist.glob(f"crs-bedside_{VERSION}_*.deb"))
    assert len(found) == 1, build.output
    print(f"\n.deb: {found[0].name}, {found[0].stat().st_size / (1 << 20):.1f} MB")
    return found[0]


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True, check=True).stdout


def test_the_package_installs_under_opt_with_a_command_a_menu_entry_and_icons(deb):
    listing = dpkg_deb("--contents", str(deb))
    assert re.search(r"^-rwxr-xr-x root/root .* \./opt/crs-bedside/crs-bedside$", listing, re.M)
    assert re.search(r"^lrwxrwxrwx root/root .* \./usr/bin/crs-bedside -> \.\./\.\./opt/crs-bedside/crs-bedside$",
                     listing, re.M)
    for path in ("./usr/share/applications/crs-bedside.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/crs-bedside.png",
                 "./usr/share/icons/hicolor/scalable/apps/crs-bedside.svg",
                 "./opt/crs-bedside/_internal/PySide6/Qt/plugins/printsupport/libcupsprintersupport.so"):
        assert re.search(rf" {re.escape(path)}$", listing, re.M), path
    assert "/home/" not in listing and ".db" not in listing.replace(".desktop", "")


def test_control_names_the_package_and_its_dependencies(deb):
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", dpkg_deb("--field", str(deb)), re.M))
    assert (fields["Package"], fields["Version"]) == ("crs-bedside", VERSION)
    assert fields["Depends"] == ", ".join(DEB_DEPENDS)
    for needed in ("libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libxcb1", "libxcb-cursor0", "libcups2"):
        assert needed in [d.split(" ")[0] for d in DEB_DEPENDS]


def _needed(binary: Path) -> list[str]:
    result = subprocess.run(["objdump", "-p", str(binary)], capture_output=True, text=True)
    return re.findall(r"^\s+NEEDED\s+(\S+)$", result.stdout, re.M) if result.returncode == 0 else []


def _system_library_packages(sonames: set[str]) -> dict[str, str]:
    """soname -> Debian package, for each of ``sonames`` that ldconfig knows on this machine."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths = dict(re.findall(r"^\s+(\S+) \(libc6,x86-64[^)]*\) => (\S+)$", cache, re.M))
    owners: dict[str, str] = {}
    for soname, path in paths.items():
        if soname not in sonames:
            continue
        found = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if found.returncode != 0:
            found = subprocess.run(["dpkg", "-S", str(Path(path).resolve())], capture_output=True, text=True)
        if found.returncode == 0:
            owners[soname] = found.stdout.split(":")[0]
    return owners


@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) reads the libraries' needs")
def test_every_library_the_bundle_links_from_the_system_is_a_dependency(build):
    bundle = build.dist / "crs-bedside"
    inside = {path.name for path in bundle.rglob("*.so*")}
    outside: dict[str, set[str]] = {}
    for binary in [bundle / "crs-bedside", *bundle.rglob("*.so*")]:
        if binary.is_file() and not binary.is_symlink():
            for soname in _needed(binary):
                if soname not in inside:
                    outside.setdefault(soname, set()).add(binary.name)
    owners = _system_library_packages(set(outside))
    depends = {d.split(" ")[0] for d in DEB_DEPENDS}
    unknown = {soname: sorted(users)[:3] for soname, users in outside.items() if soname not in owners}
    missing = {soname: owners[soname] for soname in outside if soname in owners and owners[soname] not in depends}
    # A library no package on this machine provides is linked only by a Qt plugin the spec keeps for other
    # set-ups; name it so that it is a decision, not an accident.
    assert missing == {}, f"add to DEB_DEPENDS: {missing}"
    assert unknown == {}, f"not on this machine, so not checked: {unknown}"


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (the database, its backups) with its SHA-256."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _dpkg(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["dpkg", f"--root={root}", "--log=/dev/null", *args], capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg installs the package")
def test_install_run_self_test_and_remove_leaves_the_database(deb, tmp_path, ward_file):
    # The nurse's database, in her data folder, before the package ever arrives.
    home = tmp_path / "home"
    data = home / ".local/share/crs-bedside"
    data.mkdir(parents=True)
    db = data / "crs-bedside.db"
    imported = run_source_cli("import", str(ward_file), "--db", str(db))
    assert (imported.returncode, imported.stdout) == (0, WARD_IMPORTED), imported.stderr

    root = tmp_path / "root"
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / folder).mkdir(parents=True)
    for file in ("var/lib/dpkg/status", "var/lib/dpkg/available"):
        (root / file).touch()
    # The scratch root has no other packages: its dependencies are the machine's own libraries.
    installed = _dpkg(root, "--force-depends", "--force-script-chrootless", "-i", str(deb))
    assert installed.returncode == 0, installed.stderr
    status = _dpkg(root, "-s", "crs-bedside")
    assert re.search(r"^Status: install ok installed$", status.stdout, re.M)
    assert f"Version: {VERSION}" in status.stdout

    command = root / "usr/bin/crs-bedside"
    env = clean_env(HOME=str(home))
    env["PATH"] = f"{command.parent}:{env['PATH']}"
    version = subprocess.run(["crs-bedside", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path,
                             timeout=120)
    assert (version.returncode, version.stdout) == (0, f"crs-bedside {VERSION}\n")
    selftest = subprocess.run(["crs-bedside", "--self-test"], capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=300)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "FAIL" not in selftest.stdout
    status_out = subprocess.run(["crs-bedside", "status", "--db", str(db), "--at", "2022-01-11T08:00:00-06:00"],
                                capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert status_out.returncode == 0, status_out.stderr
    assert [p["mrn"] for p in json.loads(status_out.stdout)["patients"]] == ["P900", "P901"]

    before = files(data)
    assert "crs-bedside.db" in before
    removed = _dpkg(root, "--force-script-chrootless", "--purge", "crs-bedside")
    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt/crs-bedside").exists() and not command.is_symlink()
    assert not (root / "usr/share/applications/crs-bedside.desktop").exists()
    assert files(data) == before
