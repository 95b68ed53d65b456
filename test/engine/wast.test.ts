import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../engine/core/errors';
import { ValType } from '../../engine/core/types';
import { f32, f32Bits, f64Bits, i32, v128 } from '../../engine/runtime/values';
import {
  WastCommand, formatWastAction, formatWastPattern, formatWastValue, matchWastPattern, parseWast, wastModuleBinary,
} from '../../engine/wat/wast';

const SCRIPT = `;; a script
(module $M1 (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(module binary "\\00asm" "\\01\\00\\00\\00")
(module quote "(func" " (export \\"q\\"))")
(register "m1" $M1)
(invoke "add" (i32.const 1) (i32.const -2))
(get $M1 "g")
(assert_return (invoke $M1 "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const -0x80000000))
(assert_return (invoke "f" (f32.const -nan:0x1) (f64.const 0x1p-1074))
  (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan:0x200000))
(assert_return (invoke "v" (v128.const i16x8 1 2 3 4 5 6 7 -1))
  (v128.const f32x4 nan:canonical 1.0 -0 nan:arithmetic) (v128.const i64x2 1 -1))
(assert_return (invoke "r" (ref.null extern) (ref.extern 7) (ref.null func))
  (ref.null func) (ref.extern 7) (ref.func) (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_malformed (module binary "\\00asm") "unexpected end")
(assert_unlinkable (module (import "m" "x" (func))) "unknown import")
(assert_uninstantiable (module (func $s unreachable) (start $s)) "unreachable")
`;

function byType<T extends WastCommand['type']>(cmds: WastCommand[], type: T): (WastCommand & { type: T })[] {
  return cmds.filter((c) => c.type === type) as (WastCommand & { type: T })[];
}

test('parses every command kind with 1-based lines', () => {
  const cmds = parseWast(SCRIPT);
  assert.deepEqual(cmds.map((c) => [c.type, c.line]), [
    ['module', 2], ['module', 3], ['module', 4], ['register', 5], ['action', 6], ['action', 7],
    ['assert_return', 8], ['assert_return', 9], ['assert_return', 11], ['assert_return', 13],
    ['assert_trap', 15], ['assert_trap_module', 16], ['assert_exhaustion', 17], ['assert_invalid', 18],
    ['assert_malformed', 19], ['assert_malformed', 20], ['assert_unlinkable', 21], ['assert_uninstantiable', 22],
  ]);
  const [text, bin, quote] = byType(cmds, 'module');
  assert.equal(text.module.kind, 'text');
  assert.equal(text.module.name, '$M1');
  assert.equal(bin.module.kind, 'binary');
  assert.deepEqual(Array.from(wastModuleBinary(bin.module)), [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.equal(quote.module.kind, 'quote');
  // text and quote modules assemble on demand
  const m1 = new WebAssembly.Instance(new WebAssembly.Module(wastModuleBinary(text.module))).exports as any;
  assert.equal(m1.add(2, 3), 5);
  assert.ok(new WebAssembly.Module(wastModuleBinary(quote.module)));
  const [reg] = byType(cmds, 'register');
  assert.deepEqual([reg.as, reg.name], ['m1', '$M1']);
  const [inv, get] = byType(cmds, 'action');
  assert.deepEqual(inv.action, { kind: 'invoke', module: null, field: 'add', args: [i32(1), i32(-2)] });
  assert.deepEqual(get.action, { kind: 'get', module: '$M1', field: 'g' });
});

test('constants keep exact bits; patterns cover NaN classes, lanes, references, either', () => {
  const cmds = byType(parseWast(SCRIPT), 'assert_return');
  assert.deepEqual(cmds[0].action, { kind: 'invoke', module: '$M1', field: 'add', args: [i32(0x7fffffff), i32(1)] });
  assert.deepEqual(cmds[0].expected, [{ kind: 'value', value: i32(-0x80000000) }]);
  const f = cmds[1];
  assert.equal(f.action.kind, 'invoke');
  if (f.action.kind === 'invoke') {
    assert.deepEqual(f.action.args, [f32Bits(0xff800001 | 0), f64Bits(1n)]);
  }
  assert.deepEqual(f.expected, [
    { kind: 'nan', type: ValType.F32, nan: 'canonical' },
    { kind: 'nan', type: ValType.F64, nan: 'arithmetic' },
    { kind: 'value', value: f32Bits(0xffa00000 | 0) },
  ]);
  const v = cmds[2];
  if (v.action.kind === 'invoke') {
    assert.deepEqual(Array.from((v.action.args[0] as { bytes: Uint8Array }).bytes),
      [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xff, 0xff]);
  }
  assert.equal(v.expected[0].kind, 'v128');
  const r = cmds[3];
  if (r.action.kind === 'invoke') {
    assert.deepEqual(r.action.args, [
      { type: ValType.ExternRef, ref: null },
      { type: ValType.ExternRef, ref: { kind: 'extern', value: 7 } },
      { type: ValType.FuncRef, ref: null },
    ]);
  }
  assert.deepEqual(r.expected.map((p) => p.kind), ['refNull', 'refExtern', 'refFunc', 'either']);
});

test('pattern matching', () => {
  const [, f, v, r] = byType(parseWast(SCRIPT), 'assert_return');
  assert.ok(matchWastPattern(f.expected[0], f32Bits(0x7fc00000)));
  assert.ok(matchWastPattern(f.expected[0], f32Bits(0xffc00000 | 0)), 'canonical NaN of either sign');
  assert.ok(!matchWastPattern(f.expected[0], f32Bits(0x7fc00001)));
  assert.ok(!matchWastPattern(f.expected[0], f32(1)));
  assert.ok(matchWastPattern(f.expected[1], f64Bits(0x7ff8000000000001n)));
  assert.ok(!matchWastPattern(f.expected[1], f64Bits(0x7ff0000000000001n)), 'signalling NaN is not arithmetic');
  assert.ok(matchWastPattern(f.expected[2], f32Bits(0xffa00000 | 0)));
  assert.ok(!matchWastPattern(f.expected[2], f32Bits(0x7fa00000)));
  // f32x4 nan:canonical 1.0 -0 nan:arithmetic
  const lanes = new Uint8Array(16);
  const dv = new DataView(lanes.buffer);
  dv.setUint32(0, 0x7fc00000, true);
  dv.setFloat32(4, 1, true);
  dv.setUint32(8, 0x80000000, true);
  dv.setUint32(12, 0xffc00123, true);
  assert.ok(matchWastPattern(v.expected[0], v128(lanes)));
  dv.setUint32(8, 0, true);
  assert.ok(!matchWastPattern(v.expected[0], v128(lanes)), '+0 is not -0');
  assert.ok(matchWastPattern(r.expected[0], { type: ValType.FuncRef, ref: null }));
  assert.ok(!matchWastPattern(r.expected[0], { type: ValType.ExternRef, ref: null }));
  assert.ok(matchWastPattern(r.expected[1], { type: ValType.ExternRef, ref: { kind: 'extern', value: 7 } }));
  assert.ok(!matchWastPattern(r.expected[1], { type: ValType.ExternRef, ref: { kind: 'extern', value: 8 } }));
  assert.ok(matchWastPattern(r.expected[2], { type: ValType.FuncRef, ref: { kind: 'func', addr: 3 } }));
  assert.ok(!matchWastPattern(r.expected[2], { type: ValType.FuncRef, ref: null }));
  assert.ok(matchWastPattern(r.expected[3], i32(2)));
  assert.ok(!matchWastPattern(r.expected[3], i32(3)));
});

test('assertion modules: malformed quote fails with ParseError, invalid text assembles', () => {
  const cmds = parseWast(SCRIPT);
  const [mq, mb] = byType(cmds, 'assert_malformed');
  assert.throws(() => wastModuleBinary(mq.module), (e: unknown) => e instanceof ParseError && e.message.startsWith(mq.message));
  assert.equal(mb.module.kind, 'binary');
  const [inv] = byType(cmds, 'assert_invalid');
  const bin = wastModuleBinary(inv.module);
  assert.equal(WebAssembly.validate(bin), false);
  const [trap] = byType(cmds, 'assert_trap_module');
  assert.ok(WebAssembly.validate(wastModuleBinary(trap.module)));
});

test('ParseErrors in text modules carry positions in the .wast file', () => {
  const cmds = parseWast(';; x\n(module\n  (func\n    (i32.cosnt 1)))\n');
  assert.throws(() => wastModuleBinary((cmds[0] as { module: any }).module), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.line, 4);
    assert.equal(e.column, 6);
    assert.equal(e.offset, ';; x\n(module\n  (func\n    ('.length);
    return true;
  });
  // on the first line of a module that starts mid-line, the column is shifted too
  const c2 = parseWast('  (module (func (bad)))');
  assert.throws(() => wastModuleBinary((c2[0] as { module: any }).module), (e: unknown) => e instanceof ParseError && e.column === 18);
});

test('malformed scripts throw ParseError', () => {
  assert.throws(() => parseWast('(assert_return (invoke "f" (i32.const 1.5)))'), ParseError);
  assert.throws(() => parseWast('(bogus)'), ParseError);
  assert.throws(() => parseWast('(module'), ParseError);
  assert.throws(() => parseWast('(assert_return (invoke "f" (i32.const nan:canonical)))'), ParseError);
});

test('printing values, patterns and actions', () => {
  assert.equal(formatWastValue(i32(-5)), '(i32.const -5)');
  assert.equal(formatWastValue(f32Bits(0x7fa00000)), '(f32.const nan:0x200000 (0x7fa00000))');
  assert.equal(formatWastValue({ type: ValType.ExternRef, ref: null }), '(ref.null extern)');
  const [, f, v] = byType(parseWast(SCRIPT), 'assert_return');
  assert.equal(formatWastPattern(f.expected[0]), '(f32.const nan:canonical)');
  assert.equal(formatWastPattern(v.expected[0]), '(v128.const f32x4 nan:canonical 1 -0 nan:arithmetic)');
  assert.equal(formatWastAction(f.action), '(invoke "f" (f32.const -nan:0x1 (0xff800001)) (f64.const 5e-324))');
});

test('a script of bare module fields is one module', () => {
  const cmds = parseWast('(func (export "f"))\n(memory 1)\n');
  assert.equal(cmds.length, 1);
  assert.equal(cmds[0].type, 'module');
  assert.ok(WebAssembly.validate(wastModuleBinary((cmds[0] as { module: any }).module)));
});
