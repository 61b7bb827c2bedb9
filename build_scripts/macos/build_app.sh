#!/bin/sh
# Build "CRS Bedside.app" and a drag-to-Applications disk image on macOS 11+ (Apple silicon or Intel: the app is
# built for the architecture of the Python that runs it). Offline once the Python packages are installed.
#
#   python3 -m pip install '.[build]'
#   sh build_scripts/macos/build_app.sh            -> dist/CRS Bedside.app, dist/crs-bedside-<version>-macos.dmg
#
# Optional: CODESIGN_IDENTITY="Developer ID Application: ..." signs the app before the disk image is made.
set -eu
cd "$(dirname "$0")/../.."

python3 build_scripts/build.py --no-archive
app="dist/CRS Bedside.app"
version=$(python3 -c 'import sys; sys.path.insert(0, "build_scripts"); from build import project_version; print(project_version())')

# The frozen app checks itself offscreen before it is packed.
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/crs-bedside" --version
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/crs-bedside" --self-test

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
    codesign --verify --deep --strict "$app"
fi

staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
dmg="dist/crs-bedside-$version-macos.dmg"
rm -f "$dmg"
hdiutil create -volname "CRS Bedside $version" -srcfolder "$staging" -format UDZO -ov "$dmg"
rm -rf "$staging"
echo "disk image: $dmg"
