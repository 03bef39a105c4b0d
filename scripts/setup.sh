#!/usr/bin/env bash
# berth's setup: brings everything a fresh Debian machine lacks. Idempotent and
# quick when nothing is missing, so `npm test` and `npm run demo` run it first.
#   1. Debian packages: containerd, runc, containernetworking-plugins (CNI),
#      busybox-static and catatonit (the seed images), iproute2, iptables;
#      for the tests only: docker-registry and apache2-utils (htpasswd), a
#      local image registry with and without auth; gcc and libc6-dev, which
#      build the static raw-socket probe of the network hardening e2e test;
#      python3-kubernetes, the official Python client the client
#      conformance suite (test/conformance/) drives berth with.
#   2. npm dependencies, with Node 24 from the npm registry (the `node`
#      dev dependency; npm scripts find it on PATH). Skipped when
#      node_modules already matches package-lock.json.
#   3. The seed image archives in images/, built from the Debian binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet=false
[ "${1:-}" = "--quiet" ] && quiet=true
say() { $quiet || echo "setup: $*"; }

packages=(containerd runc containernetworking-plugins busybox-static catatonit iproute2 iptables docker-registry apache2-utils gcc libc6-dev python3-kubernetes)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present"
fi

stamp=node_modules/.berth-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing npm dependencies (Node 24 among them)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  say "npm dependencies up to date"
fi
node_modules/.bin/node --version | grep -q '^v2[4-9]\|^v[3-9][0-9]' || { echo "setup: Node >= 24 is required" >&2; exit 1; }

if $quiet; then
  node_modules/.bin/node scripts/build-seed-images.ts >/dev/null
else
  node_modules/.bin/node scripts/build-seed-images.ts
fi

command -v kubectl >/dev/null || echo "setup: note: kubectl is not on PATH; berth is driven by the real kubectl (https://kubernetes.io/docs/tasks/tools/)" >&2
say "ready"
