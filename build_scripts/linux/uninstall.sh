#!/bin/sh
# Remove CRS Bedside installed by install.sh (same --user / --system choice). The databases are NOT removed:
# they are in each user's data folder (~/.local/share/crs-bedside/) or wherever --db pointed.
set -eu

case "${1:-}" in
    --system) prefix=/opt/crs-bedside; bindir=/usr/local/bin; appdir=/usr/share/applications
              icondir=/usr/share/icons/hicolor ;;
    ""|--user) prefix="$HOME/.local/opt/crs-bedside"; bindir="$HOME/.local/bin"
               appdir="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
               icondir="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor" ;;
    *) echo "usage: $0 [--user|--system]" >&2; exit 2 ;;
esac

rm -rf "$prefix"
[ -L "$bindir/crs-bedside" ] && rm -f "$bindir/crs-bedside"
rm -f "$appdir/crs-bedside.desktop" "$icondir/256x256/apps/crs-bedside.png" "$icondir/scalable/apps/crs-bedside.svg"
echo "removed CRS Bedside from $prefix; the databases were left where they are"
