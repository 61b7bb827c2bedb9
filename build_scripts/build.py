#!/usr/bin/env python3
"""Build the CRS Bedside bundle and, on Linux, its installable archive. One command, no network.

    python build_scripts/build.py                  # dist/crs-bedside/ + dist/crs-bedside-<version>-linux-<arch>.tar.gz
    python build_scripts/build.py --no-archive     # the bundle only (no .tar.gz / setup.exe)
    python build_scripts/build.py --deb            # also dist/crs-bedside_<version>_<arch>.deb (Debian, Ubuntu)
    python build_scripts/build.py --icons          # redraw resources/icons/*.png, .ico, .icns from the SVG

The bundle is built from the committed spec build_scripts/crs-bedside.spec with PyInstaller (``pip install
.[build]``). PyInstaller's cache of analysed binaries (~/.cache/pyinstaller) is reused between builds; no UPX.
The bundle must stay within ``--max-mb`` (175 MB by default); the build fails when it grows past it. Encryption at rest
(issue 16) brought 21 MB: SQLCipher in ``sqlcipher3`` and the key wraps' ``cryptography``, each with its own copy of
OpenSSL linked in (the wheels are built that way); the budget was 150 MB before.
On Windows it then runs Inno Setup on build_scripts/windows/crs-bedside.iss when installed; on macOS the spec makes
``dist/CRS Bedside.app`` (see build_scripts/macos/README.md). docs/INSTALL.md explains all of it for clinic IT.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_scripts" / "crs-bedside.spec"
LINUX = ROOT / "build_scripts" / "linux"
WINDOWS_ISS = ROOT / "build_scripts" / "windows" / "crs-bedside.iss"
ICONS = ROOT / "resources" / "icons"
NAME = "crs-bedside"
MAX_MB = 175


def project_version() -> str:
    """The version of this source tree, ``core.__version__`` (pyproject.toml reads it there; the bundle reports it
    with --version)."""
    sys.path.insert(0, str(ROOT))
    try:
        from core import __version__
    finally:
        sys.path.remove(str(ROOT))
    return __version__


def folder_mb(folder: Path) -> int:
    """Size of a folder in MB as ``du -sm`` counts it (disk blocks); by file sizes where there is no du."""
    if shutil.which("du"):
        return int(subprocess.run(["du", "-sm", str(folder)], capture_output=True, text=True, check=True)
                   .stdout.split()[0])
    total = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    return -(-total // (1 << 20))


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> None:
    """Run PyInstaller on the committed spec; the bundle lands in ``dist/crs-bedside``."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    subprocess.run(command, cwd=ROOT, check=True)


def _add_file(tar: tarfile.TarFile, source: Path, name: str, mode: int) -> None:
    info = tar.gettarinfo(str(source), arcname=name)
    info.mode = mode
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    with source.open("rb") as handle:
        tar.addfile(info, handle)


def make_linux_archive(bundle: Path, dist: Path, version: str) -> Path:
    """Pack the bundle with its desktop entry, icons and install/uninstall scripts into a .tar.gz.

    Layout: ``crs-bedside-<version>/{crs-bedside/, crs-bedside.desktop, crs-bedside.svg, crs-bedside.png,
    install.sh, uninstall.sh}``; executables keep their mode, owners are reset to root.
    """
    top = f"{NAME}-{version}"
    archive = dist / f"{top}-linux-{platform.machine()}.tar.gz"
    extras = [(LINUX / "crs-bedside.desktop", 0o644), (ICONS / "crs-bedside.svg", 0o644),
              (ICONS / "crs-bedside.png", 0o644), (LINUX / "install.sh", 0o755), (LINUX / "uninstall.sh", 0o755)]
    partial = archive.with_suffix(".partial")
    # compresslevel 6: about as small as 9 at a third of the time.
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        for source, mode in extras:
            _add_file(tar, source, f"{top}/{source.name}", mode)
        for path in sorted(bundle.rglob("*")):
            name = f"{top}/{NAME}/{path.relative_to(bundle).as_posix()}"
            if path.is_symlink() or path.is_dir():
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                tar.addfile(info)
            else:
                _add_file(tar, path, name, path.stat().st_mode & 0o777)
    partial.replace(archive)
    return archive


#: What the bundle needs from the system (tests/build/test_deb.py checks every library a binary of the bundle
#: links that is not inside it comes from one of these): glibc, OpenGL/EGL, fontconfig/FreeType, X11 and the xcb
#: set of the window, D-Bus (accessibility), libcups2 (Qt's print plugin) and a font.
DEB_DEPENDS = [
    "libc6 (>= 2.36)", "libgcc-s1", "libstdc++6", "zlib1g", "libgl1", "libegl1", "libopengl0", "libglx0",
    "libfontconfig1", "libfreetype6", "libxkbcommon0", "libxkbcommon-x11-0", "libglib2.0-0", "libdbus-1-3",
    "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
    "libxcb-render-util0", "libxcb-randr0", "libxcb-render0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1",
    "libxcb-xfixes0", "libxcb-xkb1", "libxcb-util1", "libxcb-glx0", "libcups2", "fontconfig", "fonts-dejavu-core",
]
DEB_PREFIX = "opt/crs-bedside"


def _deb_architecture() -> str:
    """Debian's name for this machine's architecture (amd64, arm64, ...)."""
    if shutil.which("dpkg"):
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def make_deb(bundle: Path, dist: Path, version: str) -> Path:
    """A Debian package of the bundle, built with ``dpkg-deb``: the program under /opt/crs-bedside, the command
    ``/usr/bin/crs-bedside`` (a relative link to it), the menu entry and the icons. No maintainer scripts: removing
    the package removes exactly its files, never a database (those live in each user's data folder)."""
    arch = _deb_architecture()
    root = dist / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / DEB_PREFIX, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin" / NAME).symlink_to(Path("../..") / DEB_PREFIX / NAME)
    desktop = (LINUX / "crs-bedside.desktop").read_text(encoding="utf-8")
    applications = root / "usr/share/applications"
    applications.mkdir(parents=True)
    (applications / "crs-bedside.desktop").write_text(desktop, encoding="utf-8")
    for source, target in ((ICONS / "crs-bedside.png", "256x256/apps/crs-bedside.png"),
                           (ICONS / "crs-bedside.svg", "scalable/apps/crs-bedside.svg")):
        path = root / "usr/share/icons/hicolor" / target
        path.parent.mkdir(parents=True)
        shutil.copyfile(source, path)
    installed_kb = -(-sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024)
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {NAME}\nVersion: {version}\nArchitecture: {arch}\nSection: science\nPriority: optional\n"
        f"Maintainer: CRS Bedside clinic IT <crs-bedside@localhost>\nInstalled-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\n"
        "Description: CRS/ICANS bedside assistant for ward nurses\n"
        " Records vital signs, grades cytokine release syndrome (ASTCT and CTCAE), ICANS and NEWS2,\n"
        " tracks the infusion and prints handovers. Works offline on one SQLite file per ward;\n"
        " the databases live in each user's data folder and are never touched by the package.\n",
        encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or path.stat().st_mode & 0o111 else 0o644)
    deb = dist / f"{NAME}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return deb


def find_iscc() -> str | None:
    """Inno Setup's compiler: on PATH, or in its default install folder."""
    found = shutil.which("iscc")
    if found:
        return found
    for folder in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(folder or "") / "Inno Setup 6" / "ISCC.exe"
        if folder and candidate.is_file():
            return str(candidate)
    return None


def make_windows_installer(dist: Path, version: str) -> Path | None:
    """Run Inno Setup on build_scripts/windows/crs-bedside.iss; ``None`` when Inno Setup is not installed."""
    iscc = find_iscc()
    if iscc is None:
        return None
    subprocess.run([iscc, "/Q", f"/DAppVersion={version}", f"/DDistDir={dist}", str(WINDOWS_ISS)], check=True)
    return dist / f"{NAME}-{version}-windows-setup.exe"


# -- icons ------------------------------------------------------------------------------------------------------
def _render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at size x size pixels as PNG bytes (Qt offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def _ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def _icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images (types ic07-ic10: 128, 256, 512, 1024 pixels)."""
    kinds = {128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
    body = b"".join(kinds[size] + struct.pack(">I", 8 + len(png)) + png
                    for size, png in sorted(pngs.items()) if size in kinds)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def draw_icons() -> list[Path]:
    """Draw the PNG, ICO and ICNS icons from resources/icons/crs-bedside.svg."""
    svg = ICONS / "crs-bedside.svg"
    pngs = {size: _render_png(svg, size) for size in (16, 24, 32, 48, 64, 128, 256, 512, 1024)}
    written = {ICONS / "crs-bedside.png": pngs[256],
               ICONS / "crs-bedside.ico": _ico({s: pngs[s] for s in (16, 24, 32, 48, 64, 128, 256)}),
               ICONS / "crs-bedside.icns": _icns({s: pngs[s] for s in (128, 256, 512, 1024)})}
    for path, data in written.items():
        path.write_bytes(data)
    return list(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (default: build/pyinstaller/)")
    parser.add_argument("--no-archive", action="store_true",
                        help="build the bundle only: no .tar.gz (Linux), no setup.exe (Windows)")
    parser.add_argument("--deb", action="store_true", help="also make a Debian package (Linux, needs dpkg-deb)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first (slower)")
    parser.add_argument("--max-mb", type=int, default=MAX_MB, help=f"size budget of the bundle (default {MAX_MB})")
    parser.add_argument("--icons", action="store_true", help="redraw the raster icons from the SVG and exit")
    args = parser.parse_args(argv)

    if args.icons:
        for path in draw_icons():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0

    version = project_version()
    dist, work = args.dist.resolve(), args.work.resolve()
    started = time.monotonic()
    run_pyinstaller(dist, work, args.clean)
    built = time.monotonic() - started
    bundle = dist / NAME
    size = folder_mb(bundle)
    print(f"bundle: {bundle} ({size} MB, built in {built:.0f} s)")
    if sys.platform.startswith("linux") and not args.no_archive:
        archive = make_linux_archive(bundle, dist, version)
        print(f"archive: {archive} ({archive.stat().st_size / (1 << 20):.0f} MB, "
              f"packed in {time.monotonic() - started - built:.0f} s)")
    if args.deb:
        packed = time.monotonic()
        deb = make_deb(bundle, dist, version)
        print(f"deb: {deb} ({deb.stat().st_size / (1 << 20):.0f} MB, packed in {time.monotonic() - packed:.0f} s)")
    if sys.platform == "win32" and not args.no_archive:
        installer = make_windows_installer(dist, version)
        print(f"installer: {installer}" if installer else
              f"installer: install Inno Setup 6, then run  iscc /DAppVersion={version} {WINDOWS_ISS}")
    elif sys.platform == "darwin":
        print(f"app: {dist / 'CRS Bedside.app'}  (see build_scripts/macos/README.md to make a .dmg)")
    if size > args.max_mb:
        print(f"build.py: the bundle is {size} MB, over the {args.max_mb} MB budget; look at "
              f"{work / NAME / 'dropped-from-bundle.txt'} and the spec's DROPPED list", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
