#!/usr/bin/env bash
# ctest fixture of the interop tests: installs node_modules here from
# package-lock.json with `npm ci`, once per lock (node_modules/.lock-sha256
# records the lock it was installed from). Needs the npm registry only when
# the lock changed; pathbridge itself never fetches anything.
# Without node or npm this fails, saying how to fix it. A developer may set
# PATHBRIDGE_SKIP_INTEROP=1 to skip the interop tests instead; CI (CI=true)
# ignores it, so they cannot pass there by being skipped.
set -euo pipefail
cd "$(dirname "$0")"

if [ -n "${PATHBRIDGE_SKIP_INTEROP:-}" ]; then
  if [ "${CI:-}" != true ]; then
    echo "interop: skipped (PATHBRIDGE_SKIP_INTEROP is set)"
    exit 77
  fi
  echo "interop: PATHBRIDGE_SKIP_INTEROP is ignored under CI=true" >&2
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "interop: FAILED: node and npm are required for the interop tests." >&2
  echo "  Run scripts/setup (installs Debian's nodejs and npm), or set" >&2
  echo "  PATHBRIDGE_SKIP_INTEROP=1 to skip them on a developer machine." >&2
  exit 1
fi

# Serialises concurrent runs (e.g. the release and asan trees).
exec 9>.npm-ci.lock
flock 9
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.lock-sha256 2>/dev/null)" = "$want" ]; then
  echo "interop: node_modules is up to date with package-lock.json ($(node --version))"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" >node_modules/.lock-sha256
