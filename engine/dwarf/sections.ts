// Finding the DWARF custom sections of a decoded module and the base of wasm DWARF addresses.
//
// In WebAssembly DWARF (LLVM's convention, followed by clang and rustc), a code address is the
// offset from the start of the Code section's payload: the byte just after the section's size
// field, i.e. where the function count is. So module byte offset = codeBase + DWARF address.

import type { Module } from '../core/module';

export interface DebugSections {
  info: Uint8Array | null;
  abbrev: Uint8Array | null;
  line: Uint8Array | null;
  str: Uint8Array | null;
  lineStr: Uint8Array | null;
  strOffsets: Uint8Array | null;
  addr: Uint8Array | null;
  loc: Uint8Array | null;
  loclists: Uint8Array | null;
  ranges: Uint8Array | null;
  rnglists: Uint8Array | null;
  aranges: Uint8Array | null;
}

const NAMES: Record<string, keyof DebugSections> = {
  '.debug_info': 'info', '.debug_abbrev': 'abbrev', '.debug_line': 'line', '.debug_str': 'str',
  '.debug_line_str': 'lineStr', '.debug_str_offsets': 'strOffsets', '.debug_addr': 'addr', '.debug_loc': 'loc',
  '.debug_loclists': 'loclists', '.debug_ranges': 'ranges', '.debug_rnglists': 'rnglists', '.debug_aranges': 'aranges',
};

export function debugSections(module: Module): DebugSections {
  const s: DebugSections = {
    info: null, abbrev: null, line: null, str: null, lineStr: null, strOffsets: null, addr: null, loc: null,
    loclists: null, ranges: null, rnglists: null, aranges: null,
  };
  for (const c of module.customs) {
    const key = NAMES[c.name];
    if (key && !s[key]) s[key] = module.bytes.subarray(c.start, c.end);
  }
  return s;
}

/** True if the module has the sections needed for source-level debugging. */
export function hasDwarf(module: Module): boolean {
  return module.customs.some((c) => c.name === '.debug_info') && module.customs.some((c) => c.name === '.debug_abbrev');
}

/** Byte offset of the Code section's payload (-1 if the module has no Code section). */
export function codeSectionBase(module: Module): number {
  const b = module.bytes;
  let p = 8;
  const leb = (): number => {
    let v = 0, mul = 1;
    for (;;) {
      if (p >= b.length) return -1;
      const x = b[p++];
      v += (x & 0x7f) * mul; mul *= 128;
      if (!(x & 0x80)) return v;
    }
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    if (size < 0) return -1;
    if (id === 10) return p;
    p += size;
  }
  return -1;
}
