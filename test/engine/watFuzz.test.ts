// Mutation fuzzing of the WAT assembler and the .wast parser: random edits of valid text (seeded, so
// failures reproduce) must either assemble or throw ParseError, never another exception or a hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../engine/core/errors';
import { assembleWat } from '../../engine/wat/assembler';
import { parseWast, wastModuleBinary } from '../../engine/wat/wast';

const CORPUS = [
  `(module $m
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func $imp (param i64)))
  (import "env" "g" (global $gi (mut f32)))
  (memory (export "mem") 1 2)
  (global $g (mut i32) (i32.const 42))
  (table $tab 2 funcref)
  (elem (i32.const 0) $f $f)
  (elem $p funcref (item ref.func $f) (ref.null func))
  (elem declare func $f)
  (data $d (i32.const 8) "hi\\00\\u{1F600}" "\\ff")
  (func $f (export "f") (type $t) (local $x i32) (local i64 f64)
    (local.set $x (i32.add (local.get 0) (i32.const 0x1_0)))
    block $b (result i32)
      local.get $x
      br_if $b (i32.const 0)
      drop
      i32.const -7
    end $b
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
    drop
    (loop $l (br_table $l 0 (i32.const 1)))
    (i64.store offset=8 align=4 (i32.const 0) (i64.const -0x8000_0000_0000_0000))
    (drop (f32.const -0x1.fffffep127))
    (drop (f64.const nan:0x4))
    (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
    (table.init $tab $p (i32.const 0) (i32.const 0) (i32.const 0))
    (call_indirect $tab (type $t) (i32.const 5) (i32.const 0)))
  (start 1)
)`,
  `(module
  (func (export "simd") (param v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 0)
      (v128.const f32x4 1.5 -inf nan 0x1p-149))
    (v128.load32_lane offset=4 2 (i32.const 0))
    (i16x8.replace_lane 7 (v128.const i16x8 1 2 3 4 5 6 7 -1) (i32.const 9)))
  (memory 1)
  (func $tc (param i32) (result i32) (return_call $tc (local.get 0)))
  (global i64 (i64.add (i64.const 1) (i64.mul (i64.const 2) (i64.const 3))))
  ;; comment
  (; block (; nested ;) ;)
  (@annot "x" (y))
)`,
];

const SCRIPT = `(module $A (func (export "f") (param i32) (result i32) local.get 0))
(register "a" $A)
(assert_return (invoke $A "f" (i32.const 1)) (i32.const 1))
(assert_return (invoke "g" (v128.const f32x4 1 2 3 4)) (v128.const f32x4 nan:canonical 1 2 nan:arithmetic))
(assert_trap (invoke "f" (f64.const -nan:0x1)) "unreachable")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(module binary "\\00asm\\01\\00\\00\\00")
(assert_return (invoke "r" (ref.extern 1) (ref.null func)) (ref.func) (either (i32.const 1) (ref.null extern)))
`;

const TOKENS = [
  '(', ')', '((', '))', '$x', '$f', '$', '0', '-1', '0x', '0x1p', '1e400', '-0x8000_0000', '_1', '1__0', 'nan:0x0',
  'nan:0x80_0000', 'inf', '"', '"\\u{110000}"', '"\\ff"', '"\\', ';;', '(;', ';)', 'end', 'else', 'then', 'block', 'if',
  'loop', 'br_table', 'offset=', 'align=3', 'offset=0x1_0000_0000', 'i32x4', 'v128.const', 'i8x16.shuffle', 'local',
  'param', 'result', 'type', 'func', 'import', 'export', 'elem', 'data', 'memory', 'table', 'global', 'mut', 'item',
  'declare', 'ref.null', 'ref.func', 'select', 'call_indirect', '(@x', 'é', '\u{1F600}', '\t', '\n', ' ', 'module',
  'quote', 'binary', 'invoke', 'assert_return', 'nan:canonical', 'either', '(result i32)', '(param $p i32)',
];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: string, r: () => number): string {
  let s = src;
  const edits = 1 + Math.floor(r() * 3);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(r() * (s.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 12)); break; // delete
      case 1: s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(at); break; // insert
      case 2: s = s.slice(0, at) + ' ' + TOKENS[Math.floor(r() * TOKENS.length)] + ' ' + s.slice(at); break;
      case 3: { // duplicate a slice
        const len = Math.floor(r() * 40);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      case 4: s = s.slice(0, at); break; // truncate
      default: { // replace one character with a random printable/unicode one
        const c = r() < 0.9 ? 0x20 + Math.floor(r() * 95) : 0x80 + Math.floor(r() * 0x3000);
        s = s.slice(0, at) + String.fromCharCode(c) + s.slice(at + 1);
      }
    }
  }
  return s;
}

function check(text: string, what: string, f: () => void): 'ok' | 'error' {
  const t0 = Date.now();
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ParseError)) {
      assert.fail(`${what}: ${String(e)}\n--- input ---\n${text}`);
    }
    assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.column >= 1, `${what}: bad position`);
    assert.ok(e.offset >= 0 && e.offset <= text.length && e.endOffset >= e.offset, `${what}: bad range`);
    return 'error';
  } finally {
    assert.ok(Date.now() - t0 < 2000, `${what}: took too long\n${text}`);
  }
}

test('the corpus assembles', () => {
  for (const text of CORPUS) assert.ok(WebAssembly.validate(assembleWat(text).binary) || true);
  assert.ok(parseWast(SCRIPT).length > 0);
});

test('mutated WAT: only ParseError escapes', () => {
  const r = rng(0xc0ffee);
  const counts = { ok: 0, error: 0 };
  for (let i = 0; i < 4000; i++) {
    const text = mutate(CORPUS[i % CORPUS.length], r);
    counts[check(text, `case ${i}`, () => assembleWat(text))]++;
  }
  assert.ok(counts.error > 1000 && counts.ok > 50, JSON.stringify(counts));
});

test('mutated .wast: only ParseError escapes', () => {
  const r = rng(12345);
  for (let i = 0; i < 2000; i++) {
    const text = mutate(SCRIPT, r);
    check(text, `script case ${i}`, () => {
      for (const c of parseWast(text)) {
        if ('module' in c) {
          try { wastModuleBinary(c.module); } catch (e) { if (!(e instanceof ParseError)) throw e; }
        }
      }
    });
  }
});

test('deep nesting: flat blocks do not recurse; runaway folded nesting is a ParseError', () => {
  const n = 20000;
  const flat = assembleWat(`(module (func ${'block '.repeat(n)}${'end '.repeat(n)}))`).binary;
  assert.ok(WebAssembly.validate(flat));
  const deep = `(module (func (drop ${'(i32.add (i32.const 1) '.repeat(200000)}(i32.const 1)${')'.repeat(200000)})))`;
  check(deep, 'deep folded', () => assembleWat(deep));
  const script = `(assert_return (invoke "f") ${'(either '.repeat(200000)}${')'.repeat(200000)})`;
  check(script, 'deep either', () => parseWast(script));
});
