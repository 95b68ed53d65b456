// Damaged DWARF never crashes engine/dwarf: the debug sections of real modules are mutated a few
// thousand times; every query must return (possibly empty) or throw DwarfError, nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import type { Module } from '../../engine/core/module';
import { DwarfError, loadDwarf, ValueFormatter, type DisplayValue, type DwarfMachine } from '../../engine/dwarf';

const DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'dwarf');
const ITER = Number(process.env.DWARF_FUZZ_ITER ?? 3000);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

/** A machine with junk values and a small memory: formatting must cope with anything. */
const memory = new Uint8Array(1 << 16).map((_, i) => (i * 131) & 0xff);
const machine: DwarfMachine = {
  local: (i) => (i < 50 ? BigInt(i * 4096 + 100) : null),
  global: (i) => (i < 4 ? 60000n : null),
  operand: (i) => (i < 4 ? BigInt(i) : null),
  readMemory: (a, n) => (a >= 0 && n >= 0 && a + n <= memory.length ? memory.slice(a, a + n) : null),
};

function walk(v: DisplayValue, depth: number): number {
  let n = 1;
  if (v.children && depth > 0) for (const c of v.children().slice(0, 20)) n += walk(c, depth - 1);
  return n;
}

function exercise(m: Module, probes: number[]): void {
  const d = loadDwarf(m);
  if (!d) return;
  const lt = d.lines;
  lt.resolveLine('vars.c', 30);
  for (const off of probes) {
    lt.lookup(off);
    for (const f of d.framesAt(off)) {
      const fmt = new ValueFormatter(d, machine);
      for (const v of d.variables(f)) walk(fmt.variable(v, off), 3);
    }
    d.globals(off);
  }
}

const guarded = (f: () => void): string | null => {
  try { f(); return null; } catch (e) {
    if (e instanceof DwarfError) return null;
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
};

test('mutated debug sections: only DwarfError or empty results', () => {
  for (const name of ['vars.O0.wasm', 'vars.O1.wasm', 'classes.O0.wasm']) {
    const orig = new Uint8Array(fs.readFileSync(path.join(DIR, name)));
    const m0 = decodeModule(orig);
    const d0 = loadDwarf(m0)!;
    // probe offsets: every line-table row of the fixture's own source (few CUs get parsed)
    const probes = d0.lines.rows().filter((r) => /\/(vars\.c|classes\.cpp)$/.test(r.file)).map((r) => r.offset);
    const ranges = m0.customs.filter((c) => c.name.startsWith('.debug_'));
    // the parts of the sections our probes read: the fixture's CU is early in .debug_info
    const rnd = lcg(name.length * 7919);
    const failures: string[] = [];
    for (let it = 0; it < ITER / 3; it++) {
      const bytes = orig.slice();
      const nmut = 1 + (rnd() % 8);
      for (let k = 0; k < nmut; k++) {
        const sec = ranges[rnd() % ranges.length];
        const len = sec.end - sec.start;
        if (len <= 0) continue;
        // bias toward the start of each section (headers, first units)
        const pos = sec.start + (rnd() % 2 ? rnd() % Math.min(len, 4096) : rnd() % len);
        switch (rnd() % 4) {
          case 0: bytes[pos] = rnd() & 0xff; break;
          case 1: bytes[pos] ^= 1 << (rnd() % 8); break;
          case 2: bytes[pos] = [0, 0xff, 0x80, 0x7f][rnd() % 4]; break;
          default: for (let j = 0; j < 4 && pos + j < sec.end; j++) bytes[pos + j] = 0xff;
        }
      }
      const m: Module = { ...m0, bytes }; // same layout: only custom section payloads changed
      const err = guarded(() => exercise(m, [0, 1, 2].map(() => probes[rnd() % probes.length])));
      if (err && failures.length < 3) failures.push(`${name} #${it}: ${err}`);
    }
    assert.deepEqual(failures, []);
  }
});

test('truncated and missing sections', () => {
  const orig = new Uint8Array(fs.readFileSync(path.join(DIR, 'vars.O0.wasm')));
  const m0 = decodeModule(orig);
  const probes = loadDwarf(m0)!.lines.rows().filter((r) => r.file.endsWith('/vars.c')).map((r) => r.offset);
  for (const sec of m0.customs.filter((c) => c.name.startsWith('.debug_'))) {
    // truncate: rename the section so it is missing, or shorten its view
    for (const variant of ['missing', 'short']) {
      const customs = m0.customs.map((c) => (c !== sec ? c : variant === 'missing' ? { ...c, name: '.debug_gone' } : { ...c, end: c.start + ((c.end - c.start) >> 1) }));
      const m: Module = { ...m0, customs };
      const err = guarded(() => exercise(m, probes));
      assert.equal(err, null, `${sec.name} ${variant}`);
    }
  }
  // no DWARF at all
  assert.equal(loadDwarf({ ...m0, customs: [] }), null);
});

test('a cyclic type (member of its own struct type) formats without recursing forever', () => {
  const orig = new Uint8Array(fs.readFileSync(path.join(DIR, 'vars.O0.wasm')));
  const m0 = decodeModule(orig);
  const d0 = loadDwarf(m0)!;
  // find struct point's member "x" and point its DW_AT_type (ref4) at struct point itself
  const unit = d0.units.find((u) => u.root() && u.name.endsWith('vars.c'))!;
  const point = unit.tree().children.find((c) => c.tag === 0x13 && c.name === 'point')!;
  const x = point.children.find((c) => c.name === 'x')!;
  const typeAttr = x.attrs.find((a) => a.at === 0x49)!;
  assert.equal(typeAttr.form, 0x13); // DW_FORM_ref4
  // locate the ref4 bytes: scan x's DIE for the 4-byte value
  const info = m0.customs.find((c) => c.name === '.debug_info')!;
  const bytes = orig.slice();
  const want = typeAttr.value as number;
  let patched = false;
  for (let p = info.start + x.offset; p < info.start + x.offset + 32 && !patched; p++) {
    if (bytes[p] === (want & 0xff) && bytes[p + 1] === ((want >> 8) & 0xff) && bytes[p + 2] === 0 && bytes[p + 3] === 0) {
      const self = point.offset - unit.h.offset;
      bytes[p] = self & 0xff; bytes[p + 1] = (self >> 8) & 0xff; patched = true;
    }
  }
  assert.ok(patched);
  const m: Module = { ...m0, bytes };
  const d = loadDwarf(m)!;
  const row = d.lines.rows().find((r) => r.file.endsWith('/vars.c') && d.framesAt(r.offset)[0]?.name === 'main')!;
  const fmt = new ValueFormatter(d, machine);
  for (const v of d.variables(d.framesAt(row.offset)[0])) walk(fmt.variable(v, row.offset), 6);
  const pt = d.variables(d.framesAt(row.offset)[0]).find((v) => v.name === 'pt')!;
  assert.match(fmt.variable(pt, row.offset).value, /…/);
});
