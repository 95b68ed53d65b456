// engine/dwarf against llvm-dwarfdump (oracle JSON committed by scripts/build-dwarf-fixtures.sh) and
// against the programs themselves: each fixture runs in our engine to a marked line and the formatted
// variables must be what the source implies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { loadDwarf, type DisplayValue } from '../../engine/dwarf';
import { expand, markerLine, runToLine } from '../support/dwarfRun';

const DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'dwarf');
const fixture = (n: string): string => path.join(DIR, n);
const SRC: Record<string, string> = { vars: 'vars.c', classes: 'classes.cpp', rusty: 'rusty.rs' };
const FIXTURES = ['vars.O0', 'vars.O0.dwarf5', 'vars.O1', 'classes.O0', 'classes.O1', 'rusty.O0', 'rusty.O1'];

interface Expect {
  rows: Array<{ address: number; line: number; column: number; isStmt: boolean; end: boolean }>;
  functions: Array<{ name: string; low: number; high: number }>;
  variables: Array<{ name: string; type: string }>;
}

for (const name of FIXTURES) {
  test(`line table and functions match llvm-dwarfdump: ${name}`, () => {
    const m = decodeModule(new Uint8Array(fs.readFileSync(fixture(`${name}.wasm`))));
    const d = loadDwarf(m)!;
    const exp = JSON.parse(fs.readFileSync(fixture(`${name}.expect.json`), 'utf8')) as Expect;
    const src = SRC[name.split('.')[0]];
    const mine = d.lines.rows().filter((r) => r.file.endsWith(`/${src}`));
    const theirs = exp.rows.filter((r) => !r.end);
    assert.ok(theirs.length > 10);
    assert.deepEqual(mine.map((r) => [d.toAddress(r.offset), r.line, r.column, r.isStmt]),
      theirs.map((r) => [r.address, r.line, r.column, r.isStmt]));
    assert.deepEqual(d.errors, []);
    // functions: every live subprogram is found at its low_pc with its range
    let checked = 0;
    for (const f of exp.functions) {
      if (!d.isFunctionStart(d.toOffset(f.low))) continue; // dead code (tombstone address)
      const sub = d.subprogramAt(d.toOffset(f.low));
      assert.ok(sub, `${f.name} at ${f.low}`);
      const ranges = sub.unit.ranges(sub);
      assert.ok(ranges.some(([s, e]) => s === f.low && e === f.high), `${f.name} range ${f.low}-${f.high}: ${JSON.stringify(ranges)} ${d.functionName(sub)}`);
      checked++;
    }
    assert.ok(checked >= 2);
  });
}

test('type names match llvm-dwarfdump (C prefixes struct/union/enum)', async () => {
  const { ValueFormatter } = await import('../../engine/dwarf');
  for (const name of ['vars.O0', 'classes.O0', 'rusty.O0']) {
    const m = decodeModule(new Uint8Array(fs.readFileSync(fixture(`${name}.wasm`))));
    const d = loadDwarf(m)!;
    const exp = JSON.parse(fs.readFileSync(fixture(`${name}.expect.json`), 'utf8')) as Expect;
    const fmt = new ValueFormatter(d, { local: () => null, global: () => null, operand: () => null, readMemory: () => null });
    const src = SRC[name.split('.')[0]];
    const unit = d.units.find((u) => u.root() && (u.name === src || u.name.startsWith(`${src}/@/`)))!;
    const seen = new Map<string, Set<string>>();
    const walk = (die: import('../../engine/dwarf').Die): void => {
      for (const c of die.children) {
        if ((c.tag === 0x34 || c.tag === 0x05) && c.str(0x03) !== undefined && c.has(0x49)) {
          const n = c.str(0x03)!;
          if (!seen.has(n)) seen.set(n, new Set());
          seen.get(n)!.add(fmt.typeName(c.type).replace(/^(const )?(struct|union|enum) /, '$1'));
        }
        walk(c);
      }
    };
    walk(unit.tree());
    let n = 0;
    for (const v of exp.variables) {
      // llvm-dwarfdump names pointers "T *" even where rustc names them "&T" / "&mut T"
      const alt = v.type.endsWith(' *') ? [`&${v.type.slice(0, -2)}`, `&mut ${v.type.slice(0, -2)}`] : [];
      assert.ok(seen.get(v.name)?.has(v.type) || alt.some((a) => seen.get(v.name)?.has(a)), `${name}: ${v.name}: ${v.type} not in ${[...(seen.get(v.name) ?? [])]}`);
      n++;
    }
    assert.ok(n >= 8);
  }
});

const src = (n: string): string => fs.readFileSync(fixture(n), 'utf8');
const at = (wasm: string, marker: string): ReturnType<typeof runToLine> => {
  const s = SRC[wasm.split('.')[0]];
  return runToLine(fixture(`${wasm}.wasm`), s, markerLine(src(s), marker));
};
const val = (v: DisplayValue | undefined): unknown => (v ? expand(v, 3) : undefined);

for (const wasm of ['vars.O0', 'vars.O0.dwarf5']) {
  test(`C locals, structs, arrays, unions, bitfields, strings at a breakpoint: ${wasm}`, () => {
    const s = at(wasm, 'BREAK_MAIN');
    assert.deepEqual(s.frames, ['main']);
    const v = (n: string): unknown => val(s.vars.get(n));
    assert.deepEqual(v('arr'), { _: '[1, 2, 3, 4]', '[0]': '1', '[1]': '2', '[2]': '3', '[3]': '4' });
    assert.deepEqual(v('pt'), { _: '{x: 3, y: -7}', x: '3', y: '-7' });
    assert.equal(s.vars.get('pt')!.type, 'struct point');
    const sh = v('s') as Record<string, unknown>;
    assert.equal(s.vars.get('s')!.type, 'shape');
    assert.deepEqual(sh.p, { _: '[{x: 1, y: 2}, {x: 3, y: 4}]', '[0]': { _: '{x: 1, y: 2}', x: '1', y: '2' }, '[1]': { _: '{x: 3, y: 4}', x: '3', y: '4' } });
    assert.match((sh.name as Record<string, string>)._, /^0x[0-9a-f]{8} "tri"$/);
    assert.equal(sh.weight, '2.5');
    assert.equal(sh.c, 'BLUE');
    assert.equal(sh.flags, '5');
    assert.equal(sh.mode, '-3');
    assert.deepEqual(v('un'), { _: '{i: 1069547520, f: 1.5}', i: '1069547520', f: '1.5' });
    assert.equal(v('ch'), "65 'A'");
    assert.equal(v('ok'), 'true');
    assert.equal(v('big'), '-1234567890123');
    assert.equal(v('us'), '65535');
    assert.equal(v('fl'), '0.25');
    assert.match((v('msg') as Record<string, string>)._, /^0x[0-9a-f]{8} "hello dwarf"$/);
    assert.equal((v('pa') as Record<string, string>)['*pa'], '2');
    assert.equal(s.vars.get('pa')!.value, `0x${(s.vars.get('arr')!.address! + 4).toString(16).padStart(8, '0')}`);
    assert.deepEqual(v('grid'), {
      _: '[[1, 2, 3], [4, 5, 6]]', '[0]': { _: '[1, 2, 3]', '[0]': '1', '[1]': '2', '[2]': '3' },
      '[1]': { _: '[4, 5, 6]', '[0]': '4', '[1]': '5', '[2]': '6' },
    });
    assert.equal(s.vars.get('name')!.value, '"abc"');
    assert.equal(v('r'), '-32');
    assert.equal(v('counter'), '42');
    assert.deepEqual(v('origin'), { _: '{x: 10, y: 20}', x: '10', y: '20' });
  });

  test(`C parameters and pointers in a callee: ${wasm}`, () => {
    const s = at(wasm, 'BREAK_SUM');
    assert.deepEqual(s.frames, ['sum']);
    assert.equal(val(s.vars.get('n')), '4');
    assert.equal(val(s.vars.get('total')), '10');
    assert.equal((val(s.vars.get('a')) as Record<string, string>)['*a'], '1');
    assert.equal(s.vars.get('a')!.type, 'const int *');
    const a = at(wasm, 'BREAK_AREA');
    assert.equal(val(a.vars.get('w')), '6');
    assert.deepEqual((val(a.vars.get('p')) as Record<string, unknown>)['*p'], { _: '{x: 3, y: -7}', x: '3', y: '-7' });
  });
}

test('C at -O1: values are right or reported optimized out', () => {
  const s = at('vars.O1', 'BREAK_AREA');
  assert.deepEqual(s.frames, ['area']);
  assert.deepEqual((val(s.vars.get('p')) as Record<string, unknown>)['*p'], { _: '{x: 3, y: -7}', x: '3', y: '-7' });
  assert.ok(['6', '<optimized out>'].includes(s.vars.get('w')!.value));
  assert.equal(s.vars.get('counter')!.value, '42'); // DW_OP_addrx (DWARF 5)
  const m = at('vars.O1', 'BREAK_SUM');
  for (const [n, want] of [['n', '4'], ['total', '10']]) assert.ok([want, '<optimized out>'].includes(m.vars.get(n)!.value), n);
});

test('C++ classes, base classes, references, templates, enum class', () => {
  const s = at('classes.O0', 'BREAK_MAIN');
  const rect = val(s.vars.get('rect')) as Record<string, unknown>;
  assert.equal(s.vars.get('rect')!.type, 'geo::Rect');
  assert.equal((rect['<base geo::Shape>'] as Record<string, string>).id, '7');
  assert.equal(rect.w, '2.0');
  assert.equal(rect.h, '3.5');
  assert.deepEqual(val(s.vars.get('buf')), { _: '{items: [10, -20, 30], used: 2}', items: { _: '[10, -20, 30]', '[0]': '10', '[1]': '-20', '[2]': '30' }, used: '2' });
  assert.equal(s.vars.get('buf')!.type, 'geo::Buf<short, 3>');
  assert.equal(s.vars.get('mode')!.value, 'Auto');
  assert.equal(s.vars.get('flag')!.value, 'true');
  assert.equal(s.vars.get('d')!.value, '14.0');
  assert.equal(s.vars.get('sp')!.value, `0x${s.vars.get('rect')!.address!.toString(16).padStart(8, '0')}`);
  const c = at('classes.O0', 'BREAK_SCALE');
  assert.equal(c.vars.get('r')!.type, 'const geo::Rect &');
  assert.match(c.vars.get('r')!.value, /w: 2\.0, h: 3\.5/);
  assert.equal(c.vars.get('k')!.value, '2.0');
  assert.equal(c.vars.get('a')!.value, '14.0');
  const o1 = at('classes.O1', 'BREAK_SCALE');
  assert.ok(['2.0', '<optimized out>'].includes(o1.vars.get('k')!.value));
});

test('Rust String, &str, Vec, slices, Option, enums, tuples', () => {
  const s = at('rusty.O0', 'BREAK_MAIN');
  assert.deepEqual(s.frames, ['rusty::main']);
  const v = (n: string): string => s.vars.get(n)!.value;
  assert.equal(v('s'), '"héllo"');
  assert.equal(s.vars.get('s')!.type, 'alloc::string::String');
  assert.equal(v('st'), '"static str"');
  assert.equal(v('v'), 'len=5 [3, 1, 4, 1, 5]');
  assert.equal(v('some'), 'Some(7)');
  assert.equal(v('none'), 'None');
  assert.equal(v('p'), '{x: -3, y: 1099511627776}');
  assert.match(v('boxed'), /^Some\(0x[0-9a-f]{8}\)$/);
  assert.deepEqual((val(s.vars.get('boxed')) as Record<string, Record<string, unknown>>).__0['*__0'], { _: '{x: -3, y: 1099511627776}', x: '-3', y: '1099511627776' });
  assert.equal(v('sh'), 'Square {side: 9}');
  assert.equal(v('ci'), 'Circle(1.5)');
  assert.equal(v('em'), 'Empty');
  assert.equal(v('tup'), "(1, 'z', true)");
  assert.equal(v('t'), '14');
  const t = at('rusty.O0', 'BREAK_TOTAL');
  assert.equal(t.vars.get('v')!.value, 'len=5 [3, 1, 4, 1, 5]');
  assert.equal(t.vars.get('v')!.type, '&[u16]');
});

test('inlined frames: the chain at an offset inside an inlined call, with call sites', () => {
  const s = at('vars.O0', 'BREAK_TWICE');
  assert.deepEqual(s.frames, ['twice', 'area']);
  const frames = s.dwarf.framesAt(s.offset);
  assert.equal(frames[0].inlined, true);
  assert.equal(frames[0].line, markerLine(src('vars.c'), 'BREAK_TWICE'));
  assert.equal(frames[1].line, markerLine(src('vars.c'), 'int w = twice(p->x)'));
  assert.ok(frames[1].file.endsWith('/vars.c'));
  assert.equal(s.vars.get('v')!.value, '3');
  // variables of the outer frame
  const outer = s.dwarf.variables(frames[1]).map((v) => v.name);
  assert.deepEqual(outer, ['p', 'w']);
});

test('inlined subroutines of Rust -O1 match llvm-dwarfdump', () => {
  const m = decodeModule(new Uint8Array(fs.readFileSync(fixture('rusty.O1.wasm'))));
  const d = loadDwarf(m)!;
  const exp = JSON.parse(fs.readFileSync(fixture('rusty.O1.expect.json'), 'utf8')) as { inlined: Array<{ name: string; low?: number; high?: number; callLine: number }> };
  let n = 0;
  for (const e of exp.inlined) {
    if (e.low === undefined || e.high === undefined || e.high <= e.low || d.funcAt(d.toOffset(e.low)) < 0 || !d.subprogramAt(d.toOffset(e.low))) continue;
    const frames = d.framesAt(d.toOffset(e.low));
    const i = frames.findIndex((f) => f.inlined && (f.die.inherited(0x6e)?.str(0x6e) === e.name || f.die.name === e.name));
    assert.ok(i >= 0, `${e.name} at ${e.low}`);
    assert.equal(frames[i + 1].line, e.callLine, `${e.name}: call line`);
    n++;
  }
  assert.ok(n >= 5, `${n} inlined subroutines checked`);
});

test('breakpoint lines: statement rows, next line with code, unknown files', () => {
  const m = decodeModule(new Uint8Array(fs.readFileSync(fixture('vars.O0.wasm'))));
  const d = loadDwarf(m)!;
  const c = src('vars.c');
  const sumLine = markerLine(c, 'BREAK_SUM');
  const r = d.lines.resolveLine('vars.c', sumLine)!;
  assert.equal(r.line, sumLine);
  assert.equal(r.offsets.length, 1);
  const row = d.lines.lookup(r.offsets[0])!;
  assert.equal(row.line, sumLine);
  assert.equal(row.isStmt, true);
  // a comment line moves to the next line that has code; full paths match by suffix
  const blank = markerLine(c, 'struct point { int x');
  const moved = d.lines.resolveLine('/somewhere/else/fixtures/vars.c', blank)!;
  assert.ok(moved.line > blank);
  assert.equal(d.lines.resolveLine('nosuchfile.c', 3), null);
  // the fixture's DWARF says /fixtures/vars.c: the checked-out path still finds it by base name
  assert.deepEqual(d.lines.resolveLine(fixture('vars.c'), sumLine), r);
  // the for-loop line has several pieces of code (init, condition, increment)
  const loop = d.lines.resolveLine('vars.c', markerLine(c, 'for (int i = 0'))!;
  assert.ok(loop.offsets.length >= 2);
  // offsets outside any code: no row
  assert.equal(d.lines.lookup(0), null);
  // stepping granularity: rows of one line are the same statement, other lines are not
  const rows = d.lines.rows().filter((x) => x.file.endsWith('/vars.c'));
  const a = rows.find((x) => x.line === sumLine)!;
  assert.ok(d.lines.sameLine(a.offset, a.offset + 1));
  assert.ok(!d.lines.sameLine(a.offset, r.offsets[0] - 1) || d.lines.lookup(r.offsets[0] - 1)!.line === sumLine);
  const other = rows.find((x) => x.line !== sumLine && x.line !== 0)!;
  assert.equal(d.lines.sameLine(a.offset, other.offset), false);
  assert.equal(d.lines.sameLine(0, a.offset), false);
});
