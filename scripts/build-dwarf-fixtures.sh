#!/usr/bin/env bash
# Rebuilds the DWARF test corpus test/fixtures/dwarf/*.wasm (C, C++, Rust at -O0 and -O1; DWARF 4
# and 5) and the oracle files *.expect.json made from llvm-dwarfdump's output (line table rows and
# subprogram address ranges), which test/engine/dwarf.test.ts compares with engine/dwarf.
#   apt-get install -y clang lld llvm wasi-libc libclang-rt-dev-wasm32 rustc libstd-rust-dev-wasm32
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT/test/fixtures/dwarf"

CLANG=${CLANG:-clang}
RUSTC=${RUSTC:-/usr/bin/rustc}
DWARFDUMP=${DWARFDUMP:-llvm-dwarfdump}

# One sysroot with include/wasm32-wasi and lib/wasm32-wasi (see build-wasi-fixtures.sh), mapped to
# /wasi-sysroot in DWARF so that rebuilds are byte-identical.
SYSROOT=$(mktemp -d)
trap 'rm -rf "$SYSROOT"' EXIT
mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"
CFLAGS=(--target=wasm32-wasi --sysroot="$SYSROOT" -Wall -fdebug-prefix-map="$SYSROOT"=/wasi-sysroot -fdebug-prefix-map="$PWD"=/fixtures)

build_c() { # src out opt dwarf-version compiler extra...
  local src=$1 out=$2 opt=$3 ver=$4 cc=$5; shift 5
  "$cc" "${CFLAGS[@]}" -g -gdwarf-"$ver" "$opt" "$@" -c "$src" -o "$SYSROOT/$out.o"
  # Debian has no libc++ for wasm32: C++ fixtures use no C++ library (-fno-exceptions -fno-rtti)
  "$cc" "${CFLAGS[@]}" $([[ $cc == *++ ]] && echo -nostdlib++) "$SYSROOT/$out.o" -o "$out.wasm"
  echo "built $out.wasm"
}

build_c vars.c vars.O0 -O0 4 "$CLANG"
build_c vars.c vars.O1 -O1 5 "$CLANG"
build_c vars.c vars.O0.dwarf5 -O0 5 "$CLANG"
build_c classes.cpp classes.O0 -O0 4 "${CLANG}++" -fno-exceptions -fno-rtti
build_c classes.cpp classes.O1 -O1 5 "${CLANG}++" -fno-exceptions -fno-rtti

# LTO keeps only the DWARF of the std code used (~1.5 MB instead of ~7 MB)
for opt in 0 1; do
  "$RUSTC" --target wasm32-wasi -g -C panic=abort -C lto -C opt-level=$opt --edition 2018 \
    --remap-path-prefix="$PWD"=/fixtures rusty.rs -o rusty.O$opt.wasm
  echo "built rusty.O$opt.wasm"
done

for w in *.wasm; do
  node "$ROOT/scripts/dwarfdump-expect.mjs" "$DWARFDUMP" "$w" > "${w%.wasm}.expect.json"
done
