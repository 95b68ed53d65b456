#!/usr/bin/env bash
# Compiles the WASI benchmark programs (test/bench/wasi/*.c) to .wasm with Debian's clang, wasm-ld and
# wasi-libc, at -O2 without debug info. Compile and link are separate steps. The .wasm files are
# committed, so `npm run bench` needs no compiler; rerun this after editing a .c.
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")/../test/bench/wasi"

CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "build-bench-wasi: $CLANG not found (apt-get install -y clang lld)" >&2; exit 1; }
command -v wasm-ld >/dev/null || { echo "build-bench-wasi: wasm-ld not found (apt-get install -y lld)" >&2; exit 1; }
[ -d /usr/include/wasm32-wasi ] || { echo "build-bench-wasi: wasi-libc not found (apt-get install -y wasi-libc)" >&2; exit 1; }

# Debian splits wasi-libc into /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi; clang wants one
# sysroot holding both (and nothing of the host's /usr/include).
SYSROOT=$(mktemp -d)
trap 'rm -rf "$SYSROOT"' EXIT
mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"

for src in *.c; do
  name=${src%.c}
  "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wextra -c "$src" -o "$SYSROOT/$name.o"
  "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wl,--strip-all "$SYSROOT/$name.o" -o "$name.wasm"
  echo "built $name.wasm ($(stat -c %s "$name.wasm") bytes)"
done
