#!/usr/bin/env python3
"""Make the MSI package of CRS Bedside from a one-folder bundle (build_scripts/windows/crs-bedside.wxs).

    python build_scripts/windows/msi.py dist/crs-bedside            # -> dist/crs-bedside-<version>-x64.msi

It writes a WiX fragment listing every file of the bundle (component group "Payload", one component per file,
under INSTALLDIR), then compiles it with the product definition: with ``wixl`` (Debian's msitools) where it is
installed, otherwise with WiX Toolset 3 (``candle`` and ``light``, as on a Windows build machine). The product code
is derived from the version (the same version always gets the same code), printed, and written beside the MSI
(``.productcode``) for the deployment tool's detection rule. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[2]
WXS = Path(__file__).resolve().parent / "crs-bedside.wxs"
ICON = ROOT / "resources" / "icons" / "crs-bedside.ico"
#: Namespace of the per-version product codes (never change it: Intune rules name the codes it gives).
PRODUCT_NAMESPACE = uuid.UUID("3F0C7A52-8E61-4B7B-9A1D-2C4E5F607182")


def project_version() -> str:
    """The version of this source tree: the one in build.py (``core.__version__``, which pyproject.toml reads)."""
    sys.path.insert(0, str(ROOT / "build_scripts"))
    from build import project_version as version

    return version()


def product_code(version: str) -> str:
    """The MSI ProductCode of a version: fixed for that version, new for the next (MajorUpgrade needs both)."""
    return str(uuid.uuid5(PRODUCT_NAMESPACE, f"crs-bedside {version} x64")).upper()


def _id(kind: str, relative: str) -> str:
    return f"{kind}{hashlib.sha1(relative.encode('utf-8')).hexdigest()[:24].upper()}"


def payload_fragment(payload: Path, base: Path) -> str:
    """A WiX fragment installing every file under ``payload`` into INSTALLDIR, keeping the folder tree; sources are
    named relative to ``base`` (wixl finds files only relative to the folder of the .wxs)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">', "  <Fragment>",
             '    <DirectoryRef Id="INSTALLDIR">']
    components: list[str] = []

    def folder(path: Path, depth: int) -> None:
        pad = "  " * depth
        for child in sorted(path.iterdir(), key=lambda p: (p.is_dir(), p.name)):
            relative = child.relative_to(payload).as_posix()
            if child.is_dir():
                lines.append(f"{pad}<Directory Id={quoteattr(_id('D', relative))} Name={quoteattr(child.name)}>")
                folder(child, depth + 1)
                lines.append(f"{pad}</Directory>")
            elif child.is_file():
                component = _id("C", relative)
                components.append(component)
                lines.append(f'{pad}<Component Id={quoteattr(component)} Guid="*" Win64="yes">'
                             f"<File Id={quoteattr(_id('F', relative))} "
                             f"Source={quoteattr(os.path.relpath(child, base))} "
                             'KeyPath="yes"/></Component>')

    folder(payload, 3)
    lines += ["    </DirectoryRef>", "  </Fragment>", "  <Fragment>", '    <ComponentGroup Id="Payload">']
    lines += [f"      <ComponentRef Id={quoteattr(c)}/>" for c in components]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def build_msi(payload: Path, out: Path, version: str) -> Path:
    """Compile the MSI of ``payload`` (a folder holding crs-bedside.exe) into ``out``."""
    if not (payload / "crs-bedside.exe").is_file():
        raise SystemExit(f"msi.py: {payload} has no crs-bedside.exe (build the bundle on Windows first)")
    work = out.parent / f"{out.stem}.wix"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    fragment = work / "payload.wxs"
    fragment.write_text(payload_fragment(payload.resolve(), work), encoding="utf-8")
    product = work / WXS.name
    shutil.copyfile(WXS, product)
    defines = {"Version": version, "ProductCode": product_code(version), "IconFile": os.path.relpath(ICON, work)}
    if shutil.which("wixl"):
        subprocess.run(["wixl", "-a", "x64", *[a for k, v in defines.items() for a in ("-D", f"{k}={v}")],
                        "-o", str(out), product.name, fragment.name], check=True, cwd=work)
    elif shutil.which("candle") and shutil.which("light"):
        subprocess.run(["candle", "-nologo", "-arch", "x64", *[f"-d{k}={v}" for k, v in defines.items()],
                        product.name, fragment.name], check=True, cwd=work)
        subprocess.run(["light", "-nologo", "-out", str(out), f"{product.stem}.wixobj", "payload.wixobj"],
                       check=True, cwd=work)
    else:
        raise SystemExit("msi.py: install wixl (Debian: apt-get install wixl) or WiX Toolset 3 (candle, light)")
    shutil.rmtree(work)
    out.with_suffix(".productcode").write_text(defines["ProductCode"] + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", type=Path, help="the bundle folder (dist/crs-bedside)")
    parser.add_argument("--out", type=Path, help="the MSI (default: beside the bundle, crs-bedside-<version>-x64.msi)")
    parser.add_argument("--version", default=None, help="the product version (default: pyproject.toml's)")
    args = parser.parse_args(argv)
    version = args.version or project_version()
    out = (args.out or args.payload.parent / f"crs-bedside-{version}-x64.msi").resolve()
    build_msi(args.payload, out, version)
    print(f"msi: {out}")
    print(f"product code: {{{product_code(version)}}}")
    print(f"silent install: msiexec /i {out.name} /qn /norestart")
    return 0


if __name__ == "__main__":
    sys.exit(main())
