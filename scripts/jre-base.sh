#!/usr/bin/env bash
# Assembles a Java 17 runtime base image from Debian's packages, for machines where no registry serves base images:
# the JRE and the C libraries it loads, a non-root user (65532, "nonroot", as in distroless images) and /tmp —
# no shell, no package manager, no compiler. The packages are fetched with `apt-get download` (no root needed) and
# unpacked with dpkg-deb; the root filesystem is imported with `podman import` (or docker).
#
#   scripts/jre-base.sh [--engine podman|docker] [--tag localhost/stretch-jre-base:17] [--rootfs DIR]
#
# Prints the image name. Used by scripts/build-images.sh --local-base and by the image tests.
set -euo pipefail
ENGINE=podman
TAG=localhost/stretch-jre-base:17
ROOTFS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) ENGINE="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --rootfs) ROOTFS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
# What `java -jar` loads on Linux: the JRE, glibc, libgcc, zlib. The JRE's AWT/sound/smart-card libraries are not
# loaded by a headless server and their packages are left out, as distroless does.
PACKAGES=(openjdk-17-jre-headless libc6 libgcc-s1 zlib1g libstdc++6 ca-certificates)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ROOTFS=${ROOTFS:-$work/rootfs}
# the packages are kept between runs, like scripts/debian-tool.sh keeps its programs
DEBS=${STRETCH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stretch-tools}/jre-base-debs
mkdir -p "$ROOTFS" "$DEBS"
exec 9>"$DEBS.lock"
flock 9
download() { (cd "$DEBS" && rm -f ./*.deb && apt-get download -q "${PACKAGES[@]}" >/dev/null 2>"$work/apt.err"); }
if [ "$(ls "$DEBS"/*.deb 2>/dev/null | wc -l)" -ne "${#PACKAGES[@]}" ]; then
  if ! download; then
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
    download || { echo "jre-base: apt-get download failed:" >&2; cat "$work/apt.err" >&2; exit 1; }
  fi
fi
for deb in "$DEBS"/*.deb; do
  dpkg-deb -x "$deb" "$ROOTFS"
done
# what the packages' maintainer scripts would do: the java command, the trust store
jvm=$(cd "$ROOTFS" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)
mkdir -p "$ROOTFS/usr/bin"
ln -sf "/$jvm/bin/java" "$ROOTFS/usr/bin/java"
if [ -f /etc/ssl/certs/java/cacerts ]; then
  mkdir -p "$ROOTFS/etc/ssl/certs/java"
  cp /etc/ssl/certs/java/cacerts "$ROOTFS/etc/ssl/certs/java/cacerts"
fi
# no documentation, no manual pages, no package database
rm -rf "$ROOTFS/usr/share/doc" "$ROOTFS/usr/share/man" "$ROOTFS/usr/share/lintian" "$ROOTFS/usr/share/info"
mkdir -p "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/home/nonroot"
chmod 1777 "$ROOTFS/tmp"
cat > "$ROOTFS/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$ROOTFS/etc/group" <<GROUP
root:x:0:
nonroot:x:65532:
GROUP
chown 65532:65532 "$ROOTFS/home/nonroot" 2>/dev/null || true
tar --numeric-owner -C "$ROOTFS" -c . | "$ENGINE" import \
  --change 'USER 65532:65532' --change 'ENV JAVA_HOME=/'"$jvm" --change 'ENV PATH=/usr/bin' - "$TAG" >/dev/null
echo "$TAG"
