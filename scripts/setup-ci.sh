#!/usr/bin/env bash
# Installs the Debian packages that tests use as oracles: wabt (wat2wasm, wast2json, wasm-interp) and
# binaryen (a native wasm-opt, so the differential test can generate 200 fuzz modules quickly instead of
# 25 with the npm package's slow-starting build). Idempotent and quiet; never fails the build: tests that need a missing
# tool skip with a message. Called by .ci/run when CI=true; `npm test` itself never installs anything.
set -uo pipefail

packages=(wabt binaryen)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "setup-ci: not root and no sudo; not installing ${missing[*]} (tests needing them will skip)" >&2
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; then
  echo "setup-ci: installed ${missing[*]}"
else
  echo "setup-ci: could not install ${missing[*]} (tests needing them will skip)" >&2
fi
exit 0
