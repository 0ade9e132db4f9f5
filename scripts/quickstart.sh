#!/usr/bin/env bash
# STRETCH on a local kind or k3d cluster, start to finish: builds the two images and loads them into the cluster,
# installs the Helm chart (CRD, operator, RBAC), applies an example job and waits until it runs.
#
#   scripts/quickstart.sh [--kind CLUSTER | --k3d CLUSTER] [--namespace NS] [--example FILE] [--monitoring]
#                         [--no-build] [--delete]
#
#   --kind / --k3d  the cluster to load the images into (default: kind, cluster "kind")
#   --namespace     where the job runs (default: default); the operator runs in stretch-system and watches all
#   --example       a StreamJob file (default: k8s-examples/word-count.yaml)
#   --monitoring    also install the operator's ServiceMonitor, the alert rules and the Grafana dashboards
#                   (needs the Prometheus Operator's CRDs, e.g. from kube-prometheus-stack)
#   --delete        remove the example job and the release (the CRD stays, as Helm leaves CRDs)
#
# Needs: kubectl, helm, kind or k3d, and docker or podman. Then: kubectl get sj -w ; kubectl logs <job>-0
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIND=kind
K3D=""
NS=default
EXAMPLE="$ROOT/k8s-examples/word-count.yaml"
BUILD=1
DELETE=0
MONITORING=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kind) KIND="$2"; K3D=""; shift 2 ;;
    --k3d) K3D="$2"; KIND=""; shift 2 ;;
    --namespace) NS="$2"; shift 2 ;;
    --example) EXAMPLE="$2"; shift 2 ;;
    --monitoring) MONITORING=(--set metrics.serviceMonitor.enabled=true --set prometheusRule.enabled=true
                              --set dashboards.enabled=true); shift ;;
    --no-build) BUILD=0; shift ;;
    --delete) DELETE=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "quickstart: $*" >&2; exit 1; }
for tool in kubectl helm; do command -v "$tool" >/dev/null || die "$tool is not on the PATH"; done
kubectl version --request-timeout=5s >/dev/null 2>&1 || die "no cluster reachable from the current kubeconfig context"
JOB=$(awk '/^metadata:/ {m=1} m && /^  name:/ {print $2; exit}' "$EXAMPLE")

if [[ "$DELETE" == 1 ]]; then
  kubectl delete -n "$NS" -f "$EXAMPLE" --ignore-not-found
  helm uninstall stretch -n stretch-system || true
  exit 0
fi

if [[ "$BUILD" == 1 ]]; then
  echo ">> building the images and loading them into the cluster"
  if [[ -n "$K3D" ]]; then "$ROOT/scripts/build-images.sh" --k3d "$K3D"; else "$ROOT/scripts/build-images.sh" --kind "$KIND"; fi
fi

echo ">> installing the chart (release stretch, namespace stretch-system)"
helm upgrade --install stretch "$ROOT/helm/stretch" -n stretch-system --create-namespace \
  --set image.pullPolicy=IfNotPresent "${MONITORING[@]}" --wait --timeout 5m

echo ">> applying $EXAMPLE in namespace $NS"
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n "$NS" -f "$EXAMPLE"
kubectl wait -n "$NS" --for=jsonpath='{.status.phase}'=Running "streamjob/$JOB" --timeout=5m
kubectl get streamjobs -n "$NS"
echo
echo "watch it:  kubectl get sj -n $NS -w    records:  kubectl logs -n $NS $JOB-0 -f"
