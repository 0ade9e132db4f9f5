#!/usr/bin/env bash
# Runs the STRETCH operator from its jar, on this machine, against the cluster of the current kubeconfig context
# (kind, k3d, minikube or any other cluster):
#
#   1. builds the operator (unless --no-build),
#   2. applies the StreamJob CRD (crds/streamjobs.stretch.dev-v1.yml),
#   3. creates the namespace and applies the generated least-privilege RBAC (ServiceAccount stretch-operator, its
#      ClusterRole bound in that namespace by a RoleBinding, and the CRD-reading ClusterRole/Binding) taken from
#      operator/target/kubernetes/kubernetes.yml,
#   4. runs java -jar operator/target/quarkus-app/quarkus-run.jar (prod profile: leader election, server-side
#      apply) watching that namespace, impersonating the ServiceAccount, so the run also proves the RBAC is
#      enough. --as-current-user runs with your own credentials instead (needed when you may not impersonate).
#
# Then, in another terminal:  kubectl -n stretch-system apply -f my-job.yaml ; kubectl -n stretch-system get sj -w
# Pods need the runtime image (spec.image, default ghcr.io/stretch-dev/stretch:0.1.0) to be pullable by the
# cluster; with kind:  kind load docker-image <image>.  The operator asks each ready pod for GET /v1/status on its
# pod IP; from outside the cluster that usually fails, and the status then lists the pods as unreachable
# (everything else works).
#
# Usage: operator/scripts/run-against-cluster.sh [-n|--namespace NS] [--context CTX] [--no-build]
#                                                [--as-current-user] [--setup-only] [--delete]
set -euo pipefail

NAMESPACE=stretch-system
CONTEXT=""
BUILD=1
IMPERSONATE=1
RUN=1
DELETE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--namespace) NAMESPACE="$2"; shift 2 ;;
    --context) CONTEXT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --as-current-user) IMPERSONATE=0; shift ;;
    --setup-only) RUN=0; shift ;;
    --delete) DELETE=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CRD="$ROOT/crds/streamjobs.stretch.dev-v1.yml"
MANIFESTS="$ROOT/operator/target/kubernetes/kubernetes.yml"
JAR="$ROOT/operator/target/quarkus-app/quarkus-run.jar"
GENERATED_NAMESPACE=stretch-system   # quarkus.kubernetes.namespace in operator/src/main/resources/application.properties
SERVICE_ACCOUNT=stretch-operator

die() { echo "run-against-cluster: $*" >&2; exit 1; }
command -v kubectl >/dev/null || die "kubectl is not on the PATH"
command -v java >/dev/null || die "java (17+) is not on the PATH"
KUBECTL=(kubectl)
if [[ -n "$CONTEXT" ]]; then KUBECTL+=(--context "$CONTEXT"); fi

"${KUBECTL[@]}" version --request-timeout=5s >/dev/null 2>&1 \
  || die "no cluster reachable from the kubeconfig context '${CONTEXT:-$(kubectl config current-context 2>/dev/null || echo none)}'"

# The RBAC documents of the generated manifests, moved to $NAMESPACE.
rbac() {
  awk -v ns="$NAMESPACE" -v gen="$GENERATED_NAMESPACE" '
    function flush() { if (doc != "" && keep) printf "---\n%s", doc; doc = ""; keep = 0 }
    /^---/ { flush(); next }
    /^kind: (ServiceAccount|Role|ClusterRole|RoleBinding|ClusterRoleBinding)$/ { keep = 1 }
    { line = $0; if (line ~ /^ *namespace: /) sub("namespace: " gen "$", "namespace: " ns, line); doc = doc line "\n" }
    END { flush() }
  ' "$MANIFESTS"
}

if [[ "$DELETE" == 1 ]]; then
  [[ -f "$MANIFESTS" ]] || die "$MANIFESTS is missing: build the operator first"
  rbac | "${KUBECTL[@]}" delete --ignore-not-found -f -
  echo "RBAC removed. The CRD (and with it every StreamJob) stays; remove it with: kubectl delete -f $CRD"
  exit 0
fi

if [[ "$BUILD" == 1 ]]; then
  echo ">> building the operator"
  (cd "$ROOT" && mvn -q -B -pl operator -am package -DskipTests)
fi
[[ -f "$JAR" && -f "$MANIFESTS" ]] || die "$JAR or $MANIFESTS is missing: build without --no-build"

echo ">> CRD"
"${KUBECTL[@]}" apply -f "$CRD"
"${KUBECTL[@]}" wait --for condition=established --timeout=60s crd/streamjobs.stretch.dev

echo ">> namespace $NAMESPACE and RBAC"
"${KUBECTL[@]}" create namespace "$NAMESPACE" --dry-run=client -o yaml | "${KUBECTL[@]}" apply -f -
rbac | "${KUBECTL[@]}" apply -f -

[[ "$RUN" == 1 ]] || { echo "set up; not running the operator (--setup-only)"; exit 0; }

JAVA_ARGS=(
  "-Dkubernetes.namespace=$NAMESPACE"   # Fabric8's default namespace: where the leader lease lives
  "-Dquarkus.operator-sdk.controllers.streamjob.namespaces=$NAMESPACE"
  "-Dquarkus.http.port=${STRETCH_OPERATOR_HTTP_PORT:-8089}"   # health endpoints; keep 8080 free for local pods
)
if [[ -n "$CONTEXT" ]]; then
  # Fabric8 follows the kubeconfig's current context: hand it a kubeconfig of just that context
  KUBECONFIG_FILE="$(mktemp)"
  trap 'rm -f "$KUBECONFIG_FILE"' EXIT
  kubectl config view --minify --flatten --context "$CONTEXT" >"$KUBECONFIG_FILE"
  export KUBECONFIG="$KUBECONFIG_FILE"
fi
if [[ "$IMPERSONATE" == 1 ]]; then
  # every API call made as the operator's ServiceAccount: a missing verb shows up as a 403 here, not in production
  JAVA_ARGS+=("-Dkubernetes.impersonate.username=system:serviceaccount:$NAMESPACE:$SERVICE_ACCOUNT")
  "${KUBECTL[@]}" auth can-i list streamjobs.stretch.dev -n "$NAMESPACE" \
    --as "system:serviceaccount:$NAMESPACE:$SERVICE_ACCOUNT" >/dev/null \
    || die "cannot act as system:serviceaccount:$NAMESPACE:$SERVICE_ACCOUNT (impersonation not allowed?); retry with --as-current-user"
fi
echo ">> running the operator in namespace $NAMESPACE (Ctrl-C stops it)"
# QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMJOB_NAMESPACES would override the -D above: make sure it is not inherited
env -u QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMJOB_NAMESPACES java "${JAVA_ARGS[@]}" ${JAVA_OPTS:-} -jar "$JAR"
