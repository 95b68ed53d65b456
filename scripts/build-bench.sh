#!/usr/bin/env bash
# Compiles the benchmark programs (test/bench/programs/*.c) to .wasm with Debian's clang and wasm-ld.
# The .wasm files are committed, so `npm run bench` needs no compiler; rerun this after editing a .c.
# Needs: clang, lld (apt-get install -y clang lld).
set -euo pipefail
cd "$(dirname "$0")/../test/bench/programs"

for tool in clang wasm-ld; do
  command -v "$tool" >/dev/null || { echo "build-bench: $tool not found (apt-get install -y clang lld)" >&2; exit 1; }
done

for src in *.c; do
  name="${src%.c}"
  obj="$(mktemp --suffix=.o)"
  # -ffreestanding/-fno-builtin: no libc, so no memset/memcpy calls may be synthesised.
  clang --target=wasm32 -O2 -nostdlib -ffreestanding -fno-builtin -c "$src" -o "$obj"
  wasm-ld --no-entry --export=run --strip-all -o "$name.wasm" "$obj"
  rm -f "$obj"
  echo "built $name.wasm ($(stat -c %s "$name.wasm") bytes)"
done
