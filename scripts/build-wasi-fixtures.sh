#!/usr/bin/env bash
# Rebuilds the WASI test corpus test/fixtures/wasi/*.wasm from its C and Rust sources with Debian's
# toolchain: clang + lld + wasi-libc + libclang-rt-dev-wasm32 (C), rustc + libstd-rust-dev-wasm32
# (Rust). Compile and link are separate steps; -g keeps DWARF (.debug_* sections), which the script
# checks is still there after linking. (Rust: LTO keeps only the DWARF of the std code used, ~1 MB.)
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32 rustc libstd-rust-dev-wasm32 wabt
set -euo pipefail
cd "$(dirname "$0")/../test/fixtures/wasi"

CLANG=${CLANG:-clang}
RUSTC=${RUSTC:-/usr/bin/rustc}

# Debian splits wasi-libc into /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi; clang wants one
# sysroot holding include/wasm32-wasi and lib/wasm32-wasi (and nothing of the host's /usr/include).
# The temporary sysroot is mapped to /wasi-sysroot in DWARF so that rebuilds are byte-identical.
SYSROOT=$(mktemp -d)
trap 'rm -rf "$SYSROOT"' EXIT
mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"

check_dwarf() {
  if command -v wasm-objdump >/dev/null; then
    wasm-objdump -h "$1" | grep -q '"\.debug_info"' || { echo "error: $1 has no DWARF" >&2; exit 1; }
  fi
}

for src in *.c; do
  name=${src%.c}
  "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -g -O1 -Wall -fdebug-prefix-map="$SYSROOT"=/wasi-sysroot \
    -c "$src" -o "$SYSROOT/$name.o"
  "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" "$SYSROOT/$name.o" -o "$name.wasm"
  check_dwarf "$name.wasm"
  echo "built $name.wasm"
done

for src in *.rs; do
  name=${src%.rs}
  "$RUSTC" --target wasm32-wasi -g -C panic=abort -C lto -C opt-level=1 --edition 2018 "$src" -o "$name.wasm"
  check_dwarf "$name.wasm"
  echo "built $name.wasm"
done
