#!/usr/bin/env bash
# Prints the path of a program that the tests use from a Debian package (promtool and prometheus from
# `prometheus`, for example), fetching it first when this machine does not have it.
#
#   scripts/debian-tool.sh PACKAGE PROGRAM
#
# Order: PROGRAM on the PATH; else a copy unpacked earlier under $STRETCH_TOOLS_DIR (default
# ~/.cache/stretch-tools/PACKAGE); else the package is downloaded with `apt-get download` (no root needed,
# nothing is installed system-wide) and unpacked there with `dpkg-deb -x`. Only when apt has no package
# lists yet, and only as root, does it run `apt-get update` first. Used by the test suite, so that
# `mvn -B verify` passes on a fresh machine by itself.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 PACKAGE PROGRAM" >&2
  exit 2
fi
pkg=$1
prog=$2
if found=$(command -v "$prog" 2>/dev/null); then
  echo "$found"
  exit 0
fi
root=${STRETCH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stretch-tools}/$pkg
for dir in usr/bin usr/sbin bin sbin; do
  if [ -x "$root/$dir/$prog" ]; then
    echo "$root/$dir/$prog"
    exit 0
  fi
done
mkdir -p "$root"
exec 9>"$root.lock"
flock 9 # one download at a time when several test JVMs ask at once
for dir in usr/bin usr/sbin bin sbin; do
  if [ -x "$root/$dir/$prog" ]; then
    echo "$root/$dir/$prog"
    exit 0
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get download -q "$pkg" >/dev/null 2>"$work/apt.err"); }
if ! download; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
  fi
  if ! download; then
    echo "could not download Debian package '$pkg' for '$prog':" >&2
    cat "$work/apt.err" >&2
    exit 1
  fi
fi
deb=$(ls "$work"/*.deb | head -1)
dpkg-deb -x "$deb" "$root"
for dir in usr/bin usr/sbin bin sbin; do
  if [ -x "$root/$dir/$prog" ]; then
    echo "$root/$dir/$prog"
    exit 0
  fi
done
echo "Debian package '$pkg' has no program '$prog'" >&2
exit 1
