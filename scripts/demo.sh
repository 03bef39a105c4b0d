#!/usr/bin/env bash
# The demo: a throwaway berth node runs the seed pod (examples/kubia-init.yaml)
# with the real kubectl, showing what `kubectl get pods -w` and
# `kubectl get events -w` show on a cluster, then the init containers' logs.
# Everything it starts is stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
node=node_modules/.bin/node
data=$(mktemp -d "${TMPDIR:-/tmp}/berth-demo-XXXXXX")
export KUBECONFIG="$data/kubeconfig"
kubectl=(kubectl --cache-dir "$data/kubectl-cache")
pids=()

cleanup() {
  set +e
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  # Deletes the pod, stops berth and containerd, unmounts and removes the data directory.
  $node src/cli/berth.js down --data-dir "$data" --purge --grace-period 2 >/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

echo "== starting berth (data in $data)"
$node src/cli/berth.js serve --detach --data-dir "$data" --port 0

echo
echo "== kubectl get pods -w  /  kubectl get events -w  (while kubectl apply -f examples/kubia-init.yaml)"
"${kubectl[@]}" get pods -w > "$data/pods.w" 2>&1 & pids+=($!)
"${kubectl[@]}" get events -w > "$data/events.w" 2>&1 & pids+=($!)
sleep 1
"${kubectl[@]}" apply -f examples/kubia-init.yaml
"${kubectl[@]}" wait --for=condition=Ready pod/kubia-init --timeout=120s >/dev/null
sleep 0.5
kill "${pids[@]}" 2>/dev/null; pids=()
cat "$data/pods.w"
echo
cat "$data/events.w"

echo
echo "== kubectl logs kubia-init -c init-demo"
"${kubectl[@]}" logs kubia-init -c init-demo
echo "== kubectl logs kubia-init -c network-check"
"${kubectl[@]}" logs kubia-init -c network-check
echo
echo "== kubectl get pods -o wide"
"${kubectl[@]}" get pods -o wide
