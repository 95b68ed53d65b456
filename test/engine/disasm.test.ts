// Disassembler and module printer: golden texts for hand-built modules (names, shadowed labels,
// invalid and duplicate names, every kind of immediate), exact float round-trips through the
// project's literal parser, the offset -> line map, and the round trip
// decode -> printModule -> assemble -> decode over testsuite modules (with the project's assembler
// and/or wabt's wat2wasm, whichever exist), including checks that a wrong printer is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { OPS, Imm, textName } from '../../engine/core/opcodes';
import {
  disassembleFunction, functionAtOffset, lineForOffset, printModule, printModuleWithMap, formatF32, formatF64, formatI64,
} from '../../engine/disasm';
import { parseF32, parseF64 } from '../../engine/wat/numbers';
import {
  availableAssemblers, compareModules, haveWast2json, roundTrip, roundTripFile, SUITE, suiteModules,
} from '../support/disasmRoundTrip';
import { fuzzGenerator } from '../support/fuzzModules';
import {
  body, code, custom, F32, F64, functype, I32, I64, oneFunc, S, s32, section, str, u32, vec, wasm, type Bytes,
} from '../support/wasmBytes';

/** A name-section subsection. */
function sub(id: number, payload: Bytes): Bytes {
  return [id, ...u32(payload.length), ...payload];
}
function nameMap(entries: [number, string][]): Bytes {
  return vec(entries.map(([i, n]) => [...u32(i), ...str(n)]));
}
function indirectNameMap(entries: [number, [number, string][]][]): Bytes {
  return vec(entries.map(([i, m]) => [...u32(i), ...nameMap(m)]));
}

// Module A: names (valid, invalid, duplicate), shadowed labels, memory, global, table, exports,
// elem and data segments.
const moduleA = wasm(
  section(S.type, vec([functype([I32], [I32]), functype([], [])])),
  section(S.import, vec([[...str('env'), ...str('f'), 0x00, ...u32(1)]])),
  section(S.func, vec([u32(0), u32(1)])),
  section(S.table, vec([[0x70, 0x00, ...u32(2)]])),
  section(S.memory, vec([[0x01, ...u32(1), ...u32(2)]])),
  section(S.global, vec([[I32, 0x01, ...code('i32.const', s32(42), 'end')]])),
  section(S.export, vec([[...str('fib'), 0x00, ...u32(1)], [...str('mem'), 0x02, ...u32(0)]])),
  section(S.elem, vec([[...u32(0), ...code('i32.const', s32(0), 'end'), ...vec([u32(1), u32(2)])]])),
  section(S.code, vec([
    body([[1, I32], [2, I64]], code(
      'block', 0x40,
      'loop', 0x40,
      'local.get', u32(0),
      'br_if', u32(1),
      'block', I32,
      'i32.const', s32(-7),
      'br', u32(0),
      'end',
      'local.get', u32(2),
      'drop',
      'drop',
      'br', u32(0),
      'end',
      'end',
      'local.get', u32(0),
      'i32.load', u32(0), u32(4),
      'local.set', u32(1),
      'global.get', u32(0),
      'i32.const', s32(1),
      'i32.add',
      'global.set', u32(0),
      'call', u32(0),
      'call', u32(2),
      'local.get', u32(3),
      'drop',
      'local.get', u32(1),
      'end',
    )),
    body([], code('nop', 'end')),
  ])),
  section(S.data, vec([[...u32(0), ...code('i32.const', s32(8), 'end'), ...u32(4), 0x68, 0x69, 0x0a, 0x22]])),
  custom('name', [
    ...sub(0, str('A')),
    ...sub(1, nameMap([[0, 'imp'], [1, 'fib'], [2, 'fib']])),
    ...sub(2, indirectNameMap([[1, [[0, 'n'], [1, 'acc'], [2, 'bad name'], [3, 'acc']]]])),
    ...sub(3, indirectNameMap([[1, [[0, 'outer'], [1, 'outer']]]])),
    ...sub(4, nameMap([[0, 'x y'], [1, 'x_y']])),
    ...sub(7, nameMap([[0, 'g']])),
  ]),
  custom('producers', [0]),
);

const goldenA = `(module $A
  (type (;0;) (func (param i32) (result i32)))
  (type $x_y (func))
  (import "env" "f" (func $imp (type $x_y)))
  (func $fib (type 0) (param $n i32) (result i32)
    (local $acc i32) (local $bad_name i64) (local i64)
    block $outer
      loop $outer
        local.get $n
        br_if 1 (;@1;)
        block (;@3;) (result i32)
          i32.const -7
          br 0 (;@3;)
        end
        local.get $bad_name
        drop
        drop
        br $outer
      end
    end
    local.get $n
    i32.load offset=4 align=1
    local.set $acc
    global.get $g
    i32.const 1
    i32.add
    global.set $g
    call $imp
    call 2
    local.get 3
    drop
    local.get $acc
  )
  (func (;2;) (type $x_y)
    nop
  )
  (table (;0;) 2 funcref)
  (memory (;0;) 1 2)
  (global $g (mut i32) (i32.const 42))
  (export "fib" (func $fib))
  (export "mem" (memory 0))
  (elem (;0;) (i32.const 0) func $fib 2)
  (data (;0;) (i32.const 8) "hi\\0a\\22")
  ;; custom section "producers", 1 bytes
)
`;

test('printModule: golden text for a module with names, shadowed labels and segments', () => {
  const m = decodeModule(moduleA);
  assert.equal(printModule(m), goldenA);
});

test('disassembleFunction: offsets, depths and texts', () => {
  const m = decodeModule(moduleA);
  assert.deepEqual(disassembleFunction(m, 0), [], 'imported functions have no lines');
  const lines = disassembleFunction(m, 1);
  const b = m.funcs[0].codeStart;
  assert.deepEqual(lines.slice(0, 8), [
    { offset: b, depth: 0, text: 'block $outer' },
    { offset: b + 2, depth: 1, text: 'loop $outer' },
    { offset: b + 4, depth: 2, text: 'local.get $n' },
    { offset: b + 6, depth: 2, text: 'br_if 1 (;@1;)' },
    { offset: b + 8, depth: 2, text: 'block (;@3;) (result i32)' },
    { offset: b + 10, depth: 3, text: 'i32.const -7' },
    { offset: b + 12, depth: 3, text: 'br 0 (;@3;)' },
    { offset: b + 14, depth: 2, text: 'end' },
  ]);
  const last = lines[lines.length - 1];
  assert.deepEqual(last, { offset: m.funcs[0].codeEnd - 1, depth: 0, text: 'end' });
  assert.equal(lines.length, 27);
  for (let i = 1; i < lines.length; i++) assert.ok(lines[i].offset > lines[i - 1].offset);
  assert.deepEqual(disassembleFunction(m, 2), [
    { offset: m.funcs[1].codeStart, depth: 0, text: 'nop' },
    { offset: m.funcs[1].codeStart + 1, depth: 0, text: 'end' },
  ]);
});

test('printModuleWithMap: every instruction offset maps to the line that prints it', () => {
  const m = decodeModule(moduleA);
  const { text, lines } = printModuleWithMap(m);
  assert.equal(text, goldenA);
  const textLines = text.split('\n');
  let checked = 0;
  for (let f = m.numImportedFuncs; f < m.funcTypeIndices.length; f++) {
    const dis = disassembleFunction(m, f);
    dis.forEach((d, i) => {
      const entry = lines.find(l => l.offset === d.offset);
      assert.ok(entry, `offset ${d.offset} is mapped`);
      const printed = textLines[entry.line - 1].trim();
      assert.equal(printed, i === dis.length - 1 ? ')' : d.text, `line ${entry.line}`);
      checked++;
    });
  }
  assert.equal(checked, 29);
  // constant expressions (global init, elem and data offsets) are mapped too
  assert.equal(lines.length, checked + 6);
  assert.equal(textLines[lines.find(l => l.offset === m.globals[0].init.start)!.line - 1], '  (global $g (mut i32) (i32.const 42))');
  for (let i = 1; i < lines.length; i++) assert.ok(lines[i].offset > lines[i - 1].offset, 'sorted by offset');
  // lookups
  const f1 = m.funcs[0];
  assert.equal(lineForOffset(lines, f1.codeStart), 7);
  assert.equal(textLines[lineForOffset(lines, f1.codeStart + 1)! - 1], '    block $outer', 'inside an instruction: its line');
  assert.equal(lineForOffset(lines, 0), undefined);
  assert.equal(functionAtOffset(m, f1.codeStart), 1);
  assert.equal(functionAtOffset(m, f1.entryOffset), 1);
  assert.equal(functionAtOffset(m, f1.codeEnd - 1), 1);
  assert.equal(functionAtOffset(m, m.funcs[1].codeStart), 2);
  assert.equal(functionAtOffset(m, f1.entryOffset - 1), -1);
  assert.equal(functionAtOffset(m, m.funcs[1].codeEnd), -1);
});

const assemblers = availableAssemblers();
// assembleWat always; wabt's wat2wasm as a second, independent oracle when installed

test('golden module A assembles back to the same module', () => {
  const m = decodeModule(moduleA);
  for (const a of assemblers) {
    const r = roundTrip(m, a.assemble);
    assert.equal(r.diff, null, `${a.name}: ${r.diff}`);
    assert.ok(r.exactCode, `${a.name}: code byte-identical`);
  }
});

function s64(v: bigint): Bytes {
  const out: Bytes = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}
function le32(bits: number): Bytes {
  return [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24];
}
const lanes16 = Array.from({ length: 16 }, (_, i) => i);

/** [instruction (without the final end), expected text] */
const INSTR_CASES: [Bytes, string][] = [
  [code('i32.const', s32(-2147483648)), 'i32.const -2147483648'],
  [code('i64.const', s64(-9223372036854775808n)), 'i64.const -9223372036854775808'],
  [code('i64.const', s64(9007199254740993n)), 'i64.const 9007199254740993'],
  [code('i64.const', s64(-4294967296n)), 'i64.const -4294967296'],
  [code('f32.const', le32(0x80000000)), 'f32.const -0'],
  [code('f32.const', le32(0x7fc00000)), 'f32.const nan'],
  [code('f32.const', le32(0xff800001)), 'f32.const -nan:0x1'],
  [code('f32.const', le32(0x7f800000)), 'f32.const inf'],
  [code('f32.const', le32(0x3dcccccd)), 'f32.const 0.1'],
  [code('f32.const', le32(0x7f7fffff)), 'f32.const 3.4028235e+38'],
  [code('f64.const', [...le32(0), ...le32(0x7ff80000)]), 'f64.const nan'],
  [code('f64.const', [...le32(1), ...le32(0xfff00000)]), 'f64.const -nan:0x1'],
  [code('f64.const', [...le32(0), ...le32(0xfff00000)]), 'f64.const -inf'],
  [code('f64.const', [...le32(1), ...le32(0)]), 'f64.const 5e-324'],
  [code('f64.const', [...le32(0x9999999a), ...le32(0x3fb99999)]), 'f64.const 0.1'],
  [code('v128.const', lanes16), 'v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c'],
  [code('i8x16.shuffle', lanes16.map(i => 31 - i)), 'i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16'],
  [code('i8x16.extract_lane_s', [15]), 'i8x16.extract_lane_s 15'],
  [code('f64x2.replace_lane', [1]), 'f64x2.replace_lane 1'],
  [code('v128.load', u32(4), u32(0)), 'v128.load'],
  [code('v128.load', u32(0), u32(0xffffffff)), 'v128.load offset=4294967295 align=1'],
  [code('v128.load8_lane', u32(0), u32(0), [3]), 'v128.load8_lane 3'],
  [code('v128.store32_lane', u32(1), u32(16), [1]), 'v128.store32_lane offset=16 align=2 1'],
  [code('i64.store32', u32(2), u32(8)), 'i64.store32 offset=8'],
  [code('i64.load', u32(31), u32(0)), 'i64.load align=2147483648'],
  [code('memory.size', [0]), 'memory.size'],
  [code('memory.grow', [0]), 'memory.grow'],
  [code('memory.init', u32(1), [0]), 'memory.init 1'],
  [code('data.drop', u32(0)), 'data.drop 0'],
  [code('memory.copy', [0, 0]), 'memory.copy'],
  [code('memory.fill', [0]), 'memory.fill'],
  [code('table.init', u32(2), u32(1)), 'table.init 1 2'],
  [code('table.init', u32(2), u32(0)), 'table.init 2'],
  [code('elem.drop', u32(3)), 'elem.drop 3'],
  [code('table.copy', u32(1), u32(0)), 'table.copy 1 0'],
  [code('table.copy', u32(0), u32(0)), 'table.copy'],
  [code('table.get', u32(0)), 'table.get 0'],
  [code('table.grow', u32(1)), 'table.grow 1'],
  [code('table.size', u32(0)), 'table.size 0'],
  [code('table.fill', u32(0)), 'table.fill 0'],
  [code('ref.null', [0x70]), 'ref.null func'],
  [code('ref.null', [0x6f]), 'ref.null extern'],
  [code('ref.func', u32(0)), 'ref.func 0'],
  [code('ref.is_null'), 'ref.is_null'],
  [code('select'), 'select'],
  [code('select_t', vec([[I32]])), 'select (result i32)'],
  [code('call_indirect', u32(0), u32(1)), 'call_indirect 1 (type 0)'],
  [code('return_call_indirect', u32(0), u32(0)), 'return_call_indirect (type 0)'],
  [code('return_call', u32(0)), 'return_call 0'],
  [code('br_table', vec([]), u32(0)), 'br_table 0 (;@0;)'],
  [code('br_table', vec([u32(0), u32(7)]), u32(0)), 'br_table 0 (;@0;) 7 0 (;@0;)'],
  [code('block', s32(0)), 'block (;@1;) (type 0)'],
  [code('if', F64), 'if (;@1;) (result f64)'],
  [code('local.tee', u32(5)), 'local.tee 5'],
  [code('global.set', u32(2)), 'global.set 2'],
  [code('i32.trunc_sat_f64_u'), 'i32.trunc_sat_f64_u'],
  [code('i16x8.extmul_high_i8x16_u'), 'i16x8.extmul_high_i8x16_u'],
];

/** One function [] -> [] with the given body, and two passive data segments. */
function funcModule(instrs: Bytes): Uint8Array {
  return wasm(
    section(S.type, vec([functype([], [])])),
    section(S.func, vec([u32(0)])),
    section(S.datacount, u32(2)),
    section(S.code, vec([body([], instrs)])),
    section(S.data, vec([[0x01, ...u32(0)], [0x01, ...u32(0)]])),
  );
}

test('instruction texts for every kind of immediate', () => {
  for (const [instr, expected] of INSTR_CASES) {
    const opensBlock = expected.startsWith('block') || expected.startsWith('if');
    const m = decodeModule(funcModule([...instr, ...code(...(opensBlock ? ['end', 'end'] : ['end']))]));
    const lines = disassembleFunction(m, 0);
    assert.equal(lines[0].text, expected);
    assert.equal(lines[0].offset, m.funcs[0].codeStart);
  }
});

test('every opcode of the table disassembles to its text name', () => {
  const immBytes = (imm: Imm): Bytes => {
    switch (imm) {
      case Imm.None: return [];
      case Imm.BlockType: return [0x40];
      case Imm.BrTable: return [0, 0];
      case Imm.CallIndirect: case Imm.TableInit: case Imm.TableCopy: case Imm.MemCopy: return [0, 0];
      case Imm.MemArgLane: return [0, 0, 0];
      case Imm.MemArg: return [0, 0];
      case Imm.I64: case Imm.I32: return [0];
      case Imm.F32: return [0, 0, 0, 0];
      case Imm.F64: return [0, 0, 0, 0, 0, 0, 0, 0];
      case Imm.V128: case Imm.Shuffle: return new Array(16).fill(0);
      case Imm.RefType: return [0x70];
      case Imm.SelectT: return [1, I32];
      case Imm.MemInit: return [0, 0];
      default: return [0];
    }
  };
  let n = 0;
  for (const info of OPS) {
    const instr = [...code(info.name), ...immBytes(info.imm)];
    const opens = info.name === 'block' || info.name === 'loop' || info.name === 'if';
    const pre = info.name === 'else' ? code('if', 0x40) : [];
    const tail = opens || info.name === 'else' ? code('end', 'end') : info.name === 'end' ? [] : code('end');
    const m = decodeModule(funcModule([...pre, ...instr, ...tail]));
    const first = disassembleFunction(m, 0)[pre.length ? 1 : 0].text;
    assert.ok(first === textName(info) || first.startsWith(textName(info) + ' '), `${info.name}: ${first}`);
    n++;
  }
  assert.ok(n > 400);
});

test('float constants read back bit for bit (project literal parser)', () => {
  let x = 0x12345678;
  const rnd = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  const f32s = [0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0x3f800000, 0x3f800001, 0x4b800001, 0x3eaaaaab];
  for (let i = 0; i < 20000; i++) f32s.push(rnd());
  // values with few significant bits, where short decimals are most likely to sit near midpoints
  for (let e = 1; e < 254; e++) for (const mant of [0, 1, 0x400000, 0x7fffff, 0x000fff]) f32s.push((e << 23) | mant);
  for (const bits of f32s) {
    const text = formatF32(bits);
    assert.equal(parseF32(text), bits | 0, `f32 ${bits.toString(16)} -> ${text}`);
  }
  const f64s: [number, number][] = [[0, 0], [0, 0x80000000], [1, 0], [0xffffffff, 0x7fefffff], [0, 0x7ff00000],
    [0, 0x7ff80000], [0, 0xfff80000], [1, 0x7ff00000], [0xffffffff, 0x7ff7ffff], [0, 0x00100000], [0xffffffff, 0x000fffff]];
  for (let i = 0; i < 20000; i++) f64s.push([rnd(), rnd()]);
  for (const [lo, hi] of f64s) {
    const text = formatF64(lo, hi);
    const expect = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    assert.equal(parseF64(text), expect, `f64 ${hi.toString(16)}:${lo.toString(16)} -> ${text}`);
  }
  assert.equal(formatF32(0x3dcccccd), '0.1');
  assert.equal(formatF64(0, 0x3ff00000), '1');
  assert.equal(formatI64(-1, -1), '-1');
  assert.equal(formatI64(0, 0x80000000 | 0), '-9223372036854775808');
  assert.equal(formatI64(-1, 0x7fffffff), '9223372036854775807');
});

// ---- round trip over testsuite modules -----------------------------------------------------------

/** The files the round trip covers (DISASM_ALL=1: every file of the testsuite). */
const CORE_FILES = ['i32', 'i64', 'f32', 'f64', 'br_table', 'call_indirect', 'memory', 'simd_const', 'elem', 'data'];
const MORE_FILES = ['names', 'global', 'imports', 'select', 'bulk', 'table_copy', 'table_init', 'table_grow',
  'table_fill', 'table_get', 'table_set', 'table_size', 'ref_func', 'ref_null', 'memory_init', 'simd_lane',
  'simd_load', 'simd_store', 'simd_address', 'binary-leb128', 'labels', 'block', 'loop', 'if', 'br', 'float_literals',
  'const', 'start', 'exports', 'custom', 'func', 'proposals/tail-call/return_call_indirect'];

/** Failures that are the oracle's, not the printer's: wabt 1.0.32 rejects element expressions
 *  other than ref.null / ref.func, although `global.get` is a constant expression in Wasm 2.0. */
const KNOWN_ORACLE_FAILURES = new Set(['wat2wasm elem.wast:682']);

function roundTripFiles(): string[] {
  if (!process.env.DISASM_ALL) return CORE_FILES.concat(MORE_FILES).map(f => `${f}.wast`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  return readdirSync(SUITE).filter(f => f.endsWith('.wast')).sort();
}

const noSuite = !haveWast2json ? 'skipped: wabt wast2json is not installed (apt-get install wabt)' : false;

for (const a of assemblers) {
  for (const debugNames of [false, true]) {
    test(`round trip through ${a.name}: testsuite modules${debugNames ? ' with names' : ''}`, { skip: noSuite }, () => {
      let modules = 0, ok = 0, exact = 0, files = 0;
      const failures: string[] = [];
      for (const f of roundTripFiles()) {
        const c = roundTripFile(join(SUITE, f), a, debugNames);
        if (!c) continue;
        files++;
        modules += c.modules; ok += c.ok; exact += c.exact;
        for (const fail of c.failures) {
          if (!KNOWN_ORACLE_FAILURES.has(`${a.name} ${fail.slice(0, fail.indexOf(': '))}`)) failures.push(fail);
          else ok++;
        }
      }
      console.log(`disasm round trip (${a.name}${debugNames ? ', names' : ''}): ${ok}/${modules} modules from ${files} files, ${exact} with byte-identical code`);
      assert.ok(modules > 400, `too few modules (${modules})`);
      assert.deepEqual(failures.slice(0, 20).map(s => s.slice(0, 400)), []);
    });
  }
}

test('round trip catches a wrong printer', { skip: noSuite }, () => {
  const mods = ['i32', 'memory', 'f32', 'data', 'address', 'float_literals'].flatMap(f => suiteModules(join(SUITE, `${f}.wast`)) ?? []);
  const a = assemblers[0];
  // deliberately wrong printers: each mutation of the correct text must be detected
  const mutations: [string, (t: string) => string][] = [
    ['i32.add -> i32.sub', t => t.replace('i32.add', 'i32.sub')],
    ['drop an align=', t => t.replace(/ align=\d+/, '')],
    ['offset + 1', t => t.replace(/ offset=(\d+)/, (_, n) => ` offset=${Number(n) + 1}`)],
    ['local index', t => t.replace('local.get 1', 'local.get 0')],
    ['f32 constant off by a little', t => t.replace(/f32\.const (-?\d+\.\d{3,}(e[-+]\d+)?)\b/, (_, v) => `f32.const ${Number(v) * (1 + 1e-6)}`)],
    ['data byte', t => t.replace(/(\(data .*")([a-z])/, (_, p, c) => p + (c === 'a' ? 'b' : 'a'))],
  ];
  for (const [what, mutate] of mutations) {
    let applied = 0, caught = 0;
    for (const sm of mods) {
      const m = decodeModule(sm.bytes);
      const good = printModule(m);
      const bad = mutate(good);
      if (bad === good) continue;
      applied++;
      let m2;
      try {
        m2 = decodeModule(a.assemble(bad));
      } catch {
        caught++; // refused text is a caught failure too
        continue;
      }
      if (compareModules(m, m2).diff !== null) caught++;
    }
    assert.ok(applied > 0, `mutation "${what}" never applied`);
    assert.equal(caught, applied, `mutation "${what}" caught in ${caught}/${applied} modules`);
  }
});

// Module B: imports of every kind, segments in every mode and encoding, exports, start, long data.
const EXTERNREF_T = 0x6f, FUNCREF_T = 0x70;
const i32c = (v: number): Bytes => code('i32.const', s32(v), 'end');
const moduleB = wasm(
  section(S.type, vec([functype([], [])])),
  section(S.import, vec([
    [...str('t'), ...str('tab'), 0x01, FUNCREF_T, 0x00, ...u32(1)],
    [...str('g'), ...str('x'), 0x03, I64, 0x00],
    [...str('m'), ...str('mem'), 0x02, 0x01, ...u32(1), ...u32(3)],
  ])),
  section(S.func, vec([u32(0)])),
  section(S.table, vec([[EXTERNREF_T, 0x01, ...u32(0), ...u32(5)]])),
  section(S.global, vec([
    [FUNCREF_T, 0x00, ...code('ref.func', u32(0), 'end')],
    [F32, 0x01, ...code('f32.const', le32(0x3fc00000), 'end')],
  ])),
  section(S.export, vec([
    [...str('t'), 0x01, ...u32(1)], [...str('g'), 0x03, ...u32(0)], [...str('f'), 0x00, ...u32(0)],
    [...str('m'), 0x02, ...u32(0)], [...str('\u00e9\n"'), 0x03, ...u32(2)],
  ])),
  section(S.start, u32(0)),
  section(S.elem, vec([
    [...u32(1), 0x00, ...vec([u32(0)])],
    [...u32(2), ...u32(0), ...i32c(1), 0x00, ...vec([u32(0)])],
    [...u32(3), 0x00, ...vec([u32(0)])],
    [...u32(4), ...i32c(0), ...vec([code('ref.func', u32(0), 'end'), code('ref.null', [FUNCREF_T], 'end')])],
    [...u32(5), EXTERNREF_T, ...vec([code('ref.null', [EXTERNREF_T], 'end')])],
    [...u32(6), ...u32(1), ...i32c(0), EXTERNREF_T, ...vec([code('ref.null', [EXTERNREF_T], 'end')])],
    [...u32(7), FUNCREF_T, ...vec([code('ref.func', u32(0), 'end')])],
  ])),
  section(S.datacount, u32(3)),
  section(S.code, vec([body([], code('nop', 'end'))])),
  section(S.data, vec([
    [...u32(0), ...i32c(0), ...str('abc')],
    [...u32(1), ...u32(100), ...Array.from({ length: 100 }, (_, i) => i)],
    [...u32(2), ...u32(0), ...i32c(5), ...u32(0)],
  ])),
  custom('name', [
    ...sub(0, str('with space')),
    ...sub(1, nameMap([[0, 'f']])),
    ...sub(4, nameMap([[0, 't0']])),
    ...sub(5, nameMap([[1, 'ext']])),
    ...sub(6, nameMap([[0, 'mem']])),
    ...sub(7, nameMap([[2, 'g2']])),
    ...sub(8, nameMap([[1, 'e1']])),
    ...sub(9, nameMap([[2, 'd2']])),
  ]),
);

const hexRun = (from: number, to: number): string =>
  Array.from({ length: to - from }, (_, i) => from + i).map(c => (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c
    ? String.fromCharCode(c) : '\\' + c.toString(16).padStart(2, '0'))).join('');

const goldenB = `(module $with_space
  (type $t0 (func))
  (import "t" "tab" (table (;0;) 1 funcref))
  (import "g" "x" (global (;0;) i64))
  (import "m" "mem" (memory $mem 1 3))
  (func $f (type $t0)
    nop
  )
  (table $ext 0 5 externref)
  (global (;1;) funcref (ref.func $f))
  (global $g2 (mut f32) (f32.const 1.5))
  (export "t" (table $ext))
  (export "g" (global 0))
  (export "f" (func $f))
  (export "m" (memory $mem))
  (export "\u00e9\\0a\\"" (global $g2))
  (start $f)
  (elem (;0;) func $f)
  (elem $e1 (table 0) (i32.const 1) func $f)
  (elem (;2;) declare func $f)
  (elem (;3;) (i32.const 0) funcref (ref.func $f) (ref.null func))
  (elem (;4;) externref (ref.null extern))
  (elem (;5;) (table $ext) (i32.const 0) externref (ref.null extern))
  (elem (;6;) declare funcref (ref.func $f))
  (data (;0;) (i32.const 0) "abc")
  (data (;1;)
    "${hexRun(0, 64)}"
    "${hexRun(64, 100)}"
  )
  (data $d2 (memory $mem) (i32.const 5) "")
)
`;

test('printModule: golden text for imports, exports and segments in every mode', () => {
  const m = decodeModule(moduleB);
  assert.equal(printModule(m), goldenB);
});

test('golden module B assembles back to the same module', () => {
  const m = decodeModule(moduleB);
  for (const a of assemblers) {
    const r = roundTrip(m, a.assemble);
    assert.equal(r.diff, null, `${a.name}: ${r.diff}`);
  }
});

test('round trip of binaryen translate-to-fuzz modules', (t) => {
  const gen = fuzzGenerator();
  const count = Number(process.env.DISASM_FUZZ_SEEDS ?? (gen.kind === 'native' ? 30 : 5));
  const failures: string[] = [];
  let modules = 0;
  try {
    for (let seed = 1; seed <= count; seed++) {
      let bytes: Uint8Array;
      try { bytes = gen.generate(seed); } catch { continue; }
      const m = decodeModule(bytes);
      modules++;
      for (const a of assemblers) {
        const r = roundTrip(m, a.assemble);
        if (r.diff !== null || !r.exactCode) failures.push(`${a.name} seed ${seed}: ${(r.diff ?? 'code not byte-identical').slice(0, 300)}`);
      }
    }
  } finally {
    gen.dispose();
  }
  if (modules === 0) { t.skip('wasm-opt unavailable'); return; }
  console.log(`disasm fuzz round trip: ${modules} modules x ${assemblers.map(a => a.name).join(', ')}, ${failures.length} failures`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('block types given as type indices round-trip (short types are the assembler\'s choice)', () => {
  const types = section(S.type, vec([functype([], [I32]), functype([], []), functype([I32, I64], [I64, I32])]));
  // [i32 i64] -> [i64 i32] needs the type index encoding; the text must keep it
  const multi = decodeModule(wasm(types, section(S.func, vec([u32(1)])), section(S.code, vec([body([], code(
    'i32.const', s32(1), 'i64.const', s32(2), 'block', s32(2), 'drop', 'drop', 'i64.const', s32(3), 'i32.const', s32(4), 'end',
    'drop', 'drop', 'end'))]))));
  assert.equal(disassembleFunction(multi, 0)[2].text, 'block (;@1;) (type 2)');
  // [] -> [i32] written as a type index: both assemblers encode `(type 0)` in the short form
  const short = decodeModule(wasm(types, section(S.func, vec([u32(1)])), section(S.code, vec([body([], code(
    'block', s32(0), 'i32.const', s32(1), 'end', 'drop', 'end'))]))));
  for (const a of assemblers) {
    const r1 = roundTrip(multi, a.assemble);
    assert.equal(r1.diff, null, `${a.name}: ${r1.diff}`);
    assert.ok(r1.exactCode, `${a.name}: type index kept`);
    const r2 = roundTrip(short, a.assemble);
    assert.equal(r2.diff, null, `${a.name}: ${r2.diff}`);
  }
});

test('printing never throws on any module the decoder accepts (mutated testsuite binaries)', { skip: haveWast2json ? false : 'skipped: wabt wast2json is not installed' }, () => {
  let x = 99;
  const rnd = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  let decoded = 0;
  for (const f of ['i32', 'memory', 'elem', 'data', 'simd_const', 'call_indirect', 'br_table', 'bulk']) {
    for (const sm of suiteModules(join(SUITE, `${f}.wast`), true) ?? []) {
      for (let k = 0; k < 10; k++) {
        const b = sm.bytes.slice();
        for (let j = 0; j < 3; j++) b[8 + rnd() % (b.length - 8)] = rnd() & 0xff;
        let m;
        try { m = decodeModule(b); } catch { continue; }
        decoded++;
        printModuleWithMap(m);
        for (let i = 0; i < m.funcTypeIndices.length; i++) disassembleFunction(m, i);
      }
    }
  }
  assert.ok(decoded > 100, `only ${decoded} mutated modules decoded`);
});

test('disassembleFunction takes a few microseconds per instruction', () => {
  // one function of 52000 instructions: locals, constants of every kind, loads, branches
  const chunk = code(
    'block', 0x40, 'local.get', u32(0), 'br_if', u32(0), 'end',
    'local.get', u32(0), 'i32.load', u32(2), u32(16), 'local.set', u32(0),
    'f64.const', [0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f], 'drop',
    'f32.const', le32(0x3eaaaaab), 'drop',
    'i64.const', s64(-1234567890123n), 'drop',
  );
  const instrs: Bytes = [];
  for (let i = 0; i < 4000; i++) instrs.push(...chunk);
  instrs.push(...code('end'));
  const bytes = wasm(
    section(S.type, vec([functype([I32], [])])), section(S.func, vec([u32(0)])),
    section(S.memory, vec([[0x00, 1]])), section(S.code, vec([body([], instrs)])),
  );
  const m = decodeModule(bytes);
  disassembleFunction(m, 0); // warm up
  const t0 = performance.now();
  const n = disassembleFunction(m, 0).length;
  const perInstr = (performance.now() - t0) * 1000 / n;
  assert.equal(n, 13 * 4000 + 1);
  console.log(`disassembleFunction: ${perInstr.toFixed(2)} us per instruction`);
  assert.ok(perInstr < 10, `${perInstr.toFixed(2)} us per instruction`);
});
