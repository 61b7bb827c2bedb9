#!/usr/bin/env python3
"""Set up CRS Bedside on a fresh Debian 12 / Ubuntu 22.04+ machine, then open the app or run the test suite.

    python3 build_scripts/bootstrap.py --demo     # install, then open the app on the synthetic demo ward
    python3 build_scripts/bootstrap.py --test     # install with the test extras, run the checkers (lint-imports,
                                                  # ruff check, mypy), then the whole suite
    python3 build_scripts/bootstrap.py --bench    # install, then measure the performance budgets (bench.py)

It installs the Debian libraries Qt needs when they are missing (apt-get, with sudo when not root), makes a
virtual environment in .venv, installs the project into it, and runs. The install is skipped, silently, while
pyproject.toml and the version installed in .venv are those of the last install (a stamp in .venv), so a second
``--demo`` goes straight to the window. For --test and --bench it also installs the FHIR test server's npm packages
(tests/fhir, `npm ci` from its lock file; Node.js 20 or newer). Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

#: What Qt needs even offscreen (../shared/design/PLATFORM.md), plus a font and poppler for the PDF tests.
QT_LIBRARIES = ["libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libxkbcommon0", "libglib2.0-0",
                "libdbus-1-3", "fonts-dejavu-core"]
#: What a real window needs (X11 / xcb), for opening the app on a desktop.
WINDOW_LIBRARIES = ["libx11-xcb1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
                    "libxcb-image0", "libxcb-render-util0", "libxcb-randr0", "libxcb-shape0", "libxcb-xfixes0",
                    "libxcb-xkb1"]
TEST_TOOLS = ["poppler-utils", "binutils"]  # binutils: PyInstaller needs objdump (tests/build/test_bundle.py)
#: The FHIR tests' npm project (a real FHIR engine: Medplum's validator and in-memory server), pinned by its lock file.
NODE_TESTS = ROOT / "tests" / "fhir"
#: Medplum 4.5 needs Node 20.19 or newer (5.x needs 22).
NODE_MAJOR = 20
#: Printing for real (tests/gui/test_printing_cups.py starts its own scheduler with a cups-pdf queue); libcups2 is
#: what Qt's print plugin loads.
PRINT_TEST_TOOLS = ["libcups2", "cups-daemon", "cups-client", "cups-filters", "printer-driver-cups-pdf", "ghostscript"]
#: Accessibility checked by machine (tests/gui/test_atspi.py): a screen, a session bus, AT-SPI and pyatspi for
#: the system's Python (the walker runs there; the app runs in .venv).
ATSPI_TEST_TOOLS = ["xvfb", "xauth", "dbus", "at-spi2-core", "python3-pyatspi", "gir1.2-atspi-2.0"]
#: A real keystore for the laptop binding of PIN wraps (tests/core/test_keystore.py): GNOME Keyring's Secret Service
#: in a D-Bus session the test starts.
KEYSTORE_TEST_TOOLS = ["dbus", "gnome-keyring"]
#: The Windows package definition compiled and read back on Linux (tests/build/test_msi.py).
MSI_TEST_TOOLS = ["wixl", "msitools"]


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def missing_debian_packages(packages: list[str]) -> list[str]:
    """The packages of ``packages`` that are not installed (one dpkg-query for all of them)."""
    if shutil.which("dpkg-query") is None:
        return []
    result = subprocess.run(["dpkg-query", "-W", "-f=${Package}:${Status}\n", *packages], capture_output=True,
                            text=True)
    installed = {line.split(":")[0] for line in result.stdout.splitlines() if line.endswith("install ok installed")}
    return [package for package in packages if package not in installed]


def install_debian_packages(packages: list[str]) -> None:
    missing = missing_debian_packages(packages)
    if not missing:
        return
    if shutil.which("apt-get") is None:
        say(f"please install these system libraries with your package manager: {' '.join(missing)}")
        return
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    say(f"installing system libraries: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], check=True,
                   env=env)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_script(name: str) -> Path:
    """A console script pip installed into .venv (``lint-imports``, ``ruff``, ``mypy``)."""
    return VENV / (f"Scripts/{name}.exe" if os.name == "nt" else f"bin/{name}")


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating the virtual environment {VENV}")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0:
        # Debian's python3 ships venv without ensurepip.
        install_debian_packages([f"python3.{sys.version_info.minor}-venv"])
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)


def stamp_path() -> Path:
    """Where the last install's fingerprint is kept (inside the virtual environment: a new .venv installs again)."""
    return VENV / "crs-bedside-install.stamp"


def installed_version() -> str:
    """The version of crs-bedside installed in .venv, or "" when it is not installed (or .venv cannot run)."""
    code = "from importlib.metadata import version; print(version('crs-bedside'))"
    try:
        result = subprocess.run([str(venv_python()), "-c", code], capture_output=True, text=True, timeout=120)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def fingerprint(extras: str) -> str:
    """What the install depends on: pyproject.toml (every dependency) and core/__init__.py (the version, which
    pyproject.toml reads there), the extras, where the source is, and the version .venv reports as installed."""
    sources = (ROOT / "pyproject.toml", ROOT / "core" / "__init__.py")
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources if path.is_file())).hexdigest()
    return json.dumps({"pyproject.toml": digest, "extras": extras, "source": str(ROOT),
                       "installed": installed_version()}, sort_keys=True)


def install_project(extras: str) -> bool:
    """Install the project into .venv when pyproject.toml or the installed version changed since the last install
    (the stamp); otherwise do nothing and say nothing. True when it installed."""
    stamp = stamp_path()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint(extras):
        return False
    python = str(venv_python())
    say(f"installing crs-bedside[{extras}] into {VENV}")
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade", "pip"],
                   check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e",
                    f"{ROOT}[{extras}]"], check=True)
    stamp.write_text(fingerprint(extras), encoding="utf-8")
    return True


def node_major() -> int | None:
    """The major version of the ``node`` on PATH, or ``None``."""
    if shutil.which("node") is None:
        return None
    result = subprocess.run(["node", "--version"], capture_output=True, text=True)
    try:
        return int(result.stdout.strip().lstrip("v").split(".")[0])
    except ValueError:
        return None


def install_node_tests() -> None:
    """``npm ci`` in tests/fhir (exactly the locked versions), when its packages are missing or older than the lock
    file. Installs Node.js with apt-get when there is none."""
    if node_major() is None or shutil.which("npm") is None:
        install_debian_packages(["nodejs", "npm"])
    major = node_major()
    if major is None or major < NODE_MAJOR:
        say(f"the FHIR tests need Node.js {NODE_MAJOR} or newer (found {major}); install it from nodejs.org or "
            "NodeSource, then run this again")
        return
    stamp = NODE_TESTS / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= (NODE_TESTS / "package-lock.json").stat().st_mtime:
        return
    say(f"installing the FHIR test server's npm packages in {NODE_TESTS} (npm ci)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_TESTS, check=True)


#: The checkers run before the suite, in this order, each a console script of the test extras configured in
#: pyproject.toml: what each checks, and its command. tests/test_checkers.py and tests/test_import_contracts.py run
#: the same commands.
CHECKERS = [
    ("the import contracts (lint-imports)", ["lint-imports", "--no-cache"]),
    ("the lint rule set (ruff check)", ["ruff", "check", "."]),
    # mypy's files are pyproject's [tool.mypy] files (core/, strict) and gui/ (not strict, every body checked)
    ("the types (mypy)", ["mypy", "core", "gui"]),
]


def run_tests(pytest_args: list[str]) -> int:
    """The checkers (import contracts, ruff, mypy), then the suite with pytest, Qt offscreen. A checker that finds
    something stops the run before pytest, its findings above. The exit status is the first that is not 0."""
    for what, (script, *arguments) in CHECKERS:
        say(f"checking {what}")
        checked = subprocess.run([str(venv_script(script)), *arguments], cwd=ROOT).returncode
        if checked != 0:
            say(f"{what}: findings above; the suite is not run")
            return checked
    say("running the test suite (Qt offscreen)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([str(venv_python()), "-m", "pytest", *pytest_args], cwd=ROOT, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--demo", action="store_true", help="install, then open the app on the demo ward")
    mode.add_argument("--app", action="store_true", help="install, then open the app on the default database")
    mode.add_argument("--test", action="store_true",
                      help="install with test extras, run the checkers (imports, lint, types), then the whole suite")
    mode.add_argument("--bench", action="store_true",
                      help="install, then run build_scripts/bench.py in the app's own environment")
    args, rest = parser.parse_known_args()
    if sys.version_info < (3, 11):  # noqa: UP036 - run by a fresh machine's python3 (3.10 on Ubuntu 22.04)
        say(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
        return 1
    # The tests need the window's libraries too: the .deb test checks every library the bundle links is one of
    # the package's dependencies, and the accessibility test opens real windows under Xvfb.
    tests = (TEST_TOOLS + PRINT_TEST_TOOLS + ATSPI_TEST_TOOLS + MSI_TEST_TOOLS + KEYSTORE_TEST_TOOLS
             if args.test else [])
    install_debian_packages(QT_LIBRARIES + WINDOW_LIBRARIES + tests)
    ensure_venv()
    install_project("test")
    python = str(venv_python())
    if args.test or args.bench:
        install_node_tests()
    if args.test:
        return run_tests(rest)
    if args.bench:
        say("measuring the performance budgets (Qt offscreen)")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return subprocess.run([python, str(ROOT / "build_scripts" / "bench.py"), *rest], cwd=ROOT, env=env).returncode
    command = [python, "-m", "gui.main"] + (["--demo"] if args.demo else []) + rest
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
