#!/bin/sh
# Install (or upgrade) CRS Bedside from this unpacked archive. Works offline; needs no package manager.
#
#   ./install.sh            for the current user: ~/.local/opt/crs-bedside, ~/.local/bin/crs-bedside,
#                           the menu entry in ~/.local/share/applications
#   sudo ./install.sh --system
#                           for every user: /opt/crs-bedside, /usr/local/bin/crs-bedside, /usr/share/applications
#
# An upgrade replaces only the program folder. The database is never in it: it lives in each user's data folder
# (~/.local/share/crs-bedside/crs-bedside.db) or wherever --db points, and the new version backs it up before
# it changes its format (docs/INSTALL.md).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mode=user
case "${1:-}" in
    --system) mode=system ;;
    ""|--user) ;;
    *) echo "usage: $0 [--user|--system]" >&2; exit 2 ;;
esac

if [ "$mode" = system ]; then
    prefix=/opt/crs-bedside
    bindir=/usr/local/bin
    appdir=/usr/share/applications
    icondir=/usr/share/icons/hicolor
else
    prefix="$HOME/.local/opt/crs-bedside"
    bindir="$HOME/.local/bin"
    appdir="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
    icondir="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
fi

if [ ! -x "$here/crs-bedside/crs-bedside" ]; then
    echo "install.sh: $here/crs-bedside/crs-bedside is missing; unpack the whole archive first" >&2
    exit 1
fi

# Copy the new program beside the old one, then swap, so a failed copy leaves the old version working.
mkdir -p "$(dirname "$prefix")" "$bindir" "$appdir" "$icondir/256x256/apps" "$icondir/scalable/apps"
rm -rf "$prefix.new"
cp -R "$here/crs-bedside" "$prefix.new"
if [ -e "$prefix" ]; then
    rm -rf "$prefix.old"
    mv "$prefix" "$prefix.old"
fi
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

ln -sf "$prefix/crs-bedside" "$bindir/crs-bedside"
cp "$here/crs-bedside.png" "$icondir/256x256/apps/crs-bedside.png"
cp "$here/crs-bedside.svg" "$icondir/scalable/apps/crs-bedside.svg"
sed "s|^Exec=.*|Exec=\"$prefix/crs-bedside\"|" "$here/crs-bedside.desktop" > "$appdir/crs-bedside.desktop"
chmod 644 "$appdir/crs-bedside.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$appdir" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icondir" || true

echo "installed $("$prefix/crs-bedside" --version) in $prefix"
echo "command: $bindir/crs-bedside    menu entry: $appdir/crs-bedside.desktop"
