"""The Qt Linguist pipeline: extract every tr() string of gui/ into resources/translations/*.ts (pyside6-lupdate),
then compile the .ts files to the .qm catalogues the app loads (pyside6-lrelease).

    python build_scripts/translations.py            # update the .ts files and build the .qm files
    python build_scripts/translations.py --check    # also fail when a message has no translation
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("es",)
CATALOGUE = "crs_bedside"


def tool(name: str) -> str:
    """The PySide6 tool on PATH (shipped with PySide6-Essentials)."""
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name}: not found (install PySide6-Essentials)")
    return found


def sources() -> list[Path]:
    """Every Python file of the GUI."""
    return sorted((ROOT / "gui").glob("*.py"))


def unfinished(ts_file: Path) -> list[str]:
    """Source texts with no finished translation."""
    missing = []
    for message in ET.parse(ts_file).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished",) or not (translation.text or "").strip():
            if translation is not None and translation.get("type") in ("obsolete", "vanished"):
                continue
            missing.append(message.findtext("source") or "")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a translation is missing")
    args = parser.parse_args(argv)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    files = [str(path.relative_to(ROOT)) for path in sources()]
    status = 0
    for language in LANGUAGES:
        ts_file = TRANSLATIONS / f"{CATALOGUE}_{language}.ts"
        subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none", *files,
                        "-ts", str(ts_file.relative_to(ROOT))], cwd=ROOT, check=True)
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm",
                        str(ts_file.with_suffix(".qm"))], cwd=ROOT, check=True)
        missing = unfinished(ts_file)
        print(f"{ts_file.name}: {len(missing)} message(s) without a translation")
        if missing and args.check:
            for text in missing:
                print(f"  missing: {text!r}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
