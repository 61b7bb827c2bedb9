"""The installer recipes for the systems this Linux machine cannot build for, checked as far as it allows.

The spec is executed with PyInstaller's build steps replaced by recorders, once as on each system, so its macOS
and Windows branches run; the Inno Setup script and the desktop entry are read for the files they name.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_support import ROOT

from core import __version__

SPEC = ROOT / "build_scripts" / "crs-bedside.spec"
ISS = ROOT / "build_scripts" / "windows" / "crs-bedside.iss"
ICONS = ROOT / "resources" / "icons"
VERSION = __version__            # the one place the version is written (pyproject.toml reads it)

#: Destinations PyInstaller gives Qt files on Linux, Windows and macOS, and whether the spec must keep them.
QT_FILES = {
    "PySide6/Qt/lib/libQt6Core.so.6": True,
    "PySide6/Qt/lib/libQt6Widgets.so.6": True,
    "PySide6/Qt/lib/libQt6Charts.so.6": True,
    "PySide6/Qt/lib/libQt6OpenGL.so.6": True,
    "PySide6/Qt/lib/libQt6PrintSupport.so.6": True,
    "PySide6/Qt/lib/libQt6Svg.so.6": True,
    "PySide6/Qt/lib/libQt6DBus.so.6": True,
    "PySide6/Qt/lib/libQt6XcbQpa.so.6": True,
    "PySide6/Qt/lib/libicudata.so.73": True,
    "PySide6/Qt/lib/libQt6Quick.so.6": False,
    "PySide6/Qt/lib/libQt6Qml.so.6": False,
    "PySide6/Qt/lib/libQt6Network.so.6": False,
    "PySide6/Qt/lib/libQt6WaylandClient.so.6": False,
    "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6": False,
    "PySide6/Qt/lib/libQt6WebEngineCore.so.6": False,
    "PySide6/Qt/plugins/platforms/libqoffscreen.so": True,
    "PySide6/Qt/plugins/platforms/libqxcb.so": True,
    "PySide6/Qt/plugins/platforms/libqminimal.so": True,
    "PySide6/Qt/plugins/platforms/libqwayland.so": False,
    "PySide6/Qt/plugins/platforms/libqeglfs.so": False,
    "PySide6/Qt/plugins/platforms/libqvnc.so": False,
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so": False,
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so": True,
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so": True,
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so": True,
    "PySide6/Qt/plugins/imageformats/libqsvg.so": True,
    "PySide6/Qt/plugins/imageformats/libqico.so": True,
    "PySide6/Qt/plugins/imageformats/libqjpeg.so": True,
    "PySide6/Qt/plugins/imageformats/libqgif.so": True,
    "PySide6/Qt/plugins/imageformats/libqtiff.so": False,
    "PySide6/Qt/plugins/imageformats/libqwebp.so": False,
    "PySide6/Qt/plugins/imageformats/libqpdf.so": False,
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so": True,
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": False,
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so": True,
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so": False,
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so": False,
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so": False,
    "PySide6/Qt/plugins/tls/libqopensslbackend.so": False,
    "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so": False,
    "PySide6/Qt/translations/qt_de.qm": True,
    "PySide6/Qt/translations/qtbase_de.qm": True,
    "PySide6/Qt/translations/qt_help_de.qm": False,
    "PySide6/Qt/translations/qtdeclarative_de.qm": False,
    "PySide6/Qt/translations/qtmultimedia_de.qm": False,
    "PySide6/QtWidgets.abi3.so": True,
    "PySide6/QtQml.abi3.so": False,
    # Windows
    "PySide6/Qt6Core.dll": True,
    "PySide6/Qt6Charts.dll": True,
    "PySide6/Qt6Quick.dll": False,
    "PySide6/Qt6Network.dll": False,
    "PySide6/plugins/platforms/qwindows.dll": True,
    "PySide6/plugins/platforms/qdirect2d.dll": False,
    "PySide6/plugins/styles/qmodernwindowsstyle.dll": True,
    "PySide6/QtNetwork.pyd": False,
    # macOS
    "PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore": True,
    "PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts": True,
    "PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick": False,
    "PySide6/Qt/lib/QtQml.framework/Versions/A/Resources/Info.plist": False,
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib": True,
    "PySide6/Qt/plugins/styles/libqmacstyle.dylib": True,
    # Ours and Python's
    "resources/protocols/default.toml": True,
    "resources/icons/crs-bedside.svg": True,
    "libpython3.11.so.1.0": True,
    "python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so": True,
}


class Recorder:
    """Stands in for one PyInstaller build step and remembers its arguments."""

    def __init__(self, calls: dict, kind: str):
        self.calls, self.kind = calls, kind

    def __call__(self, *args, **kwargs):
        self.calls[self.kind] = (args, kwargs)
        return self


class FakeAnalysis:
    """What Analysis gives the spec: every QT_FILES entry as a binary; ``pure`` and ``scripts`` empty."""

    def __init__(self, calls: dict):
        self.calls = calls

    def __call__(self, scripts, **kwargs):
        self.calls["Analysis"] = ((scripts,), kwargs)
        self.binaries = [(dest, f"/src/{dest}", "BINARY") for dest in QT_FILES]
        self.datas = list(kwargs["datas"])
        self.pure, self.scripts = [], []
        return self


def run_spec(platform_name: str, tmp_path: Path, monkeypatch) -> dict:
    """Execute the spec as PyInstaller would on ``platform_name``, with recorders instead of build steps."""
    calls: dict = {}
    monkeypatch.setattr(sys, "platform", platform_name)
    namespace = {"SPECPATH": str(SPEC.parent), "DISTPATH": str(tmp_path / "dist"), "workpath": str(tmp_path),
                 "SPEC": str(SPEC), "specnm": "crs-bedside", "__file__": str(SPEC),
                 "Analysis": FakeAnalysis(calls), "PYZ": Recorder(calls, "PYZ"), "EXE": Recorder(calls, "EXE"),
                 "COLLECT": Recorder(calls, "COLLECT"), "BUNDLE": Recorder(calls, "BUNDLE")}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    calls["namespace"] = namespace
    return calls


@pytest.mark.parametrize("platform_name", ["darwin", "win32"])
def test_the_spec_keeps_exactly_the_qt_files_the_app_needs(platform_name, tmp_path, monkeypatch):
    calls = run_spec(platform_name, tmp_path, monkeypatch)
    kept = {entry[0] for entry in calls["COLLECT"][0][1]}
    assert {dest: dest in kept for dest in QT_FILES} == QT_FILES


def test_the_spec_macos_branch_makes_the_app_with_existing_icon_and_the_project_version(tmp_path, monkeypatch):
    calls = run_spec("darwin", tmp_path, monkeypatch)
    (collected,), bundle = calls["BUNDLE"][0], calls["BUNDLE"][1]
    assert collected is calls["namespace"]["coll"]
    assert bundle["name"] == "CRS Bedside.app"
    assert bundle["version"] == VERSION
    assert bundle["info_plist"]["CFBundleShortVersionString"] == VERSION
    assert Path(bundle["icon"]) == ICONS / "crs-bedside.icns"
    assert Path(calls["EXE"][1]["icon"]).is_file()
    assert calls["EXE"][1]["strip"] is False


def test_the_spec_windows_branch_hides_its_own_console_and_uses_the_ico(tmp_path, monkeypatch):
    calls = run_spec("win32", tmp_path, monkeypatch)
    exe = calls["EXE"][1]
    assert (exe["name"], exe["console"], exe["hide_console"], exe["upx"]) == ("crs-bedside", True, "hide-early", False)
    assert Path(exe["icon"]) == ICONS / "crs-bedside.ico"
    assert "BUNDLE" not in calls


def test_the_spec_ships_all_of_resources_every_gui_and_core_module_and_the_version(tmp_path, monkeypatch):
    calls = run_spec("win32", tmp_path, monkeypatch)
    (scripts,), analysis = calls["Analysis"]
    assert scripts == [str(ROOT / "gui" / "main.py")]
    hidden = set(analysis["hiddenimports"])
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for package in ("core", "gui") for p in (ROOT / package).rglob("*.py")}
    assert modules <= hidden
    assert {"core.store", "core.cli", "gui.main", "PySide6.QtCharts", "PySide6.QtPrintSupport",
            "PySide6.QtSvg"} <= hidden
    shipped = {Path(src).relative_to(ROOT).as_posix() for src, _dest in analysis["datas"]
               if Path(src).is_relative_to(ROOT)}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts}
    assert shipped == on_disk
    metadata = tmp_path / f"crs_bedside-{VERSION}.dist-info" / "METADATA"
    assert metadata.read_text(encoding="utf-8") == f"Metadata-Version: 2.1\nName: crs-bedside\nVersion: {VERSION}\n"


def _iss_defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'#define (\w+) "([^"]*)"', text))


def test_the_inno_setup_script_names_files_that_exist_and_the_project_version():
    text = ISS.read_text(encoding="utf-8")
    defines = _iss_defines(text)
    assert defines["AppVersion"] == VERSION
    assert re.search(r'#define IconFile AddBackslash\(SourcePath\) \+ "([^"]+)"', text).group(1) \
        == r"..\..\resources\icons\crs-bedside.ico"
    assert (ISS.parent / "../../resources/icons/crs-bedside.ico").resolve() == ICONS / "crs-bedside.ico"
    assert (ICONS / "crs-bedside.ico").is_file()
    # The installer takes the whole bundle folder the spec makes (dist/crs-bedside) and starts crs-bedside.exe.
    assert r'Source: "{#DistDir}\crs-bedside\*"; DestDir: "{app}"' in text
    assert re.search(r'#define DistDir AddBackslash\(SourcePath\) \+ "([^"]+)"', text).group(1) == r"..\..\dist"
    assert defines["AppExe"] == "crs-bedside.exe"
    # Upgrades replace the program folder only; nothing deletes the user's data folder.
    assert "LOCALAPPDATA" not in text.split("[Setup]", 1)[1]
    assert "[UninstallDelete]" not in text


def test_the_icons_hold_the_sizes_each_system_asks_for():
    ico = (ICONS / "crs-bedside.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    sizes = sorted(struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count))
    assert (reserved, kind, sizes) == (0, 1, [16, 24, 32, 48, 64, 128, 256])
    icns = (ICONS / "crs-bedside.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    kinds, offset = [], 8
    while offset < len(icns):
        kinds.append(icns[offset:offset + 4])
        offset += struct.unpack_from(">I", icns, offset + 4)[0]
    assert kinds == [b"ic07", b"ic08", b"ic09", b"ic10"]
    png = (ICONS / "crs-bedside.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack_from(">II", png, 16) == (256, 256)


def test_the_desktop_entry_names_the_executable_and_icon_the_archive_installs():
    entry = dict(line.split("=", 1) for line in
                 (ROOT / "build_scripts" / "linux" / "crs-bedside.desktop").read_text(encoding="utf-8").splitlines()
                 if "=" in line)
    assert (entry["Type"], entry["Exec"], entry["Icon"], entry["Terminal"]) == (
        "Application", "crs-bedside", "crs-bedside", "false")
    assert (ICONS / f"{entry['Icon']}.svg").is_file() and (ICONS / f"{entry['Icon']}.png").is_file()
    assert entry["Categories"] == "Science;MedicalSoftware;"


@pytest.mark.parametrize("script", ["linux/install.sh", "linux/uninstall.sh", "macos/build_app.sh"])
def test_the_shell_scripts_parse(script):
    result = subprocess.run(["sh", "-n", str(ROOT / "build_scripts" / script)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
