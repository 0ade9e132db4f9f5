#!/usr/bin/env bash
# Builds the two STRETCH images from the Dockerfile at the repository root, named and tagged as the Helm chart says
# (helm/stretch/values.yaml image repositories, helm/stretch/Chart.yaml appVersion: the one place that defines them),
# and optionally saves them as OCI archives or loads them into a kind / k3d cluster.
#
#   scripts/build-images.sh [--engine podman|docker] [--local-base] [--base IMAGE] [--no-maven]
#                           [--save DIR] [--kind CLUSTER | --k3d CLUSTER]
#
#   --local-base   assemble the Java base from Debian's packages (scripts/jre-base.sh) instead of pulling it
#   --base IMAGE   any other Java 17 base with a non-root user (default: the Dockerfile's, distroless java17)
#   --no-maven     use the jars already built (runtime-image/target/stretch.jar, operator/target/quarkus-app/)
#   --save DIR     write DIR/stretch-runtime.oci.tar and DIR/stretch-operator.oci.tar (podman: OCI archives)
#
# Prints the two image names on its last two lines.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE=""
BASE=""
LOCAL_BASE=0
MAVEN=1
SAVE=""
KIND=""
K3D=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) ENGINE="$2"; shift 2 ;;
    --local-base) LOCAL_BASE=1; shift ;;
    --base) BASE="$2"; shift 2 ;;
    --no-maven) MAVEN=0; shift ;;
    --save) SAVE="$2"; shift 2 ;;
    --kind) KIND="$2"; shift 2 ;;
    --k3d) K3D="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "build-images: $*" >&2; exit 1; }
if [[ -z "$ENGINE" ]]; then
  if command -v podman >/dev/null 2>&1; then ENGINE=podman; elif command -v docker >/dev/null 2>&1; then ENGINE=docker;
  else die "neither podman nor docker is installed"; fi
fi

# the names, from the chart
yaml_value() { # FILE KEY-PATH (two levels at most, e.g. runtimeImage.repository)
  awk -v path="$2" '
    BEGIN { n = split(path, p, ".") }
    /^[^ #]/ { top = $1; sub(":.*", "", top) }
    {
      line = $0; sub(/#.*/, "", line)
      if (n == 1 && line ~ "^" p[1] ":") { v = line; sub("^[^:]*:[ ]*", "", v); print v; exit }
      if (n == 2 && top == p[1] && line ~ "^  " p[2] ":") { v = line; sub("^[^:]*:[ ]*", "", v); print v; exit }
    }' "$1" | tr -d '"'"'" | sed 's/[[:space:]]*$//'
}
APP_VERSION=$(yaml_value "$ROOT/helm/stretch/Chart.yaml" appVersion)
RUNTIME_REPO=$(yaml_value "$ROOT/helm/stretch/values.yaml" runtimeImage.repository)
RUNTIME_TAG=$(yaml_value "$ROOT/helm/stretch/values.yaml" runtimeImage.tag)
OPERATOR_REPO=$(yaml_value "$ROOT/helm/stretch/values.yaml" image.repository)
OPERATOR_TAG=$(yaml_value "$ROOT/helm/stretch/values.yaml" image.tag)
[[ -n "$APP_VERSION" && -n "$RUNTIME_REPO" && -n "$OPERATOR_REPO" ]] || die "cannot read image names from helm/stretch"
RUNTIME_IMAGE="$RUNTIME_REPO:${RUNTIME_TAG:-$APP_VERSION}"
OPERATOR_IMAGE="$OPERATOR_REPO:${OPERATOR_TAG:-$APP_VERSION}"

if [[ "$MAVEN" == 1 ]]; then
  (cd "$ROOT" && mvn -q -B -pl runtime-image,operator -am package -DskipTests)
fi
[[ -f "$ROOT/runtime-image/target/stretch.jar" ]] || die "runtime-image/target/stretch.jar is missing: build without --no-maven"
[[ -f "$ROOT/operator/target/quarkus-app/quarkus-run.jar" ]] || die "operator/target/quarkus-app/ is missing: build without --no-maven"

ARGS=()
if [[ "$LOCAL_BASE" == 1 ]]; then
  BASE=$("$ROOT/scripts/jre-base.sh" --engine "$ENGINE")
fi
if [[ -n "$BASE" ]]; then ARGS+=(--build-arg "JRE_IMAGE=$BASE"); fi
"$ENGINE" build -q "${ARGS[@]}" --target runtime -t "$RUNTIME_IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >/dev/null
"$ENGINE" build -q "${ARGS[@]}" --target operator -t "$OPERATOR_IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >/dev/null

if [[ -n "$SAVE" ]]; then
  mkdir -p "$SAVE"
  rm -f "$SAVE/stretch-runtime.oci.tar" "$SAVE/stretch-operator.oci.tar"
  if [[ "$ENGINE" == podman ]]; then
    podman save --format oci-archive -o "$SAVE/stretch-runtime.oci.tar" "$RUNTIME_IMAGE"
    podman save --format oci-archive -o "$SAVE/stretch-operator.oci.tar" "$OPERATOR_IMAGE"
  else
    docker save -o "$SAVE/stretch-runtime.oci.tar" "$RUNTIME_IMAGE"
    docker save -o "$SAVE/stretch-operator.oci.tar" "$OPERATOR_IMAGE"
  fi
fi
if [[ -n "$KIND" ]]; then
  for image in "$RUNTIME_IMAGE" "$OPERATOR_IMAGE"; do
    if [[ "$ENGINE" == podman ]]; then
      archive=$(mktemp --suffix=.tar); podman save -o "$archive" "$image"; kind load image-archive "$archive" --name "$KIND"; rm -f "$archive"
    else
      kind load docker-image "$image" --name "$KIND"
    fi
  done
fi
if [[ -n "$K3D" ]]; then
  k3d image import "$RUNTIME_IMAGE" "$OPERATOR_IMAGE" -c "$K3D"
fi
echo "$RUNTIME_IMAGE"
echo "$OPERATOR_IMAGE"
