// Semantics tests of the runtime and interpreter: tricky numeric ops (differentially against V8's own
// WebAssembly on edge values), traps, memory and table edges, deep recursion, tail calls, exact
// instruction counts, run(budget) and breakpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleWat } from '../../engine/wat/assembler';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type Instance, type ImportResolver, type ExternValue } from '../../engine/runtime/store';
import { Trap, TrapCode } from '../../engine/core/errors';
import { OPS, Imm } from '../../engine/core/opcodes';
import { ValType } from '../../engine/core/types';
import { i32, i64, f32Value, f64Value, type WasmValue } from '../../engine/runtime/values';

function compile(wat: string): { bytes: Uint8Array; module: ReturnType<typeof decodeModule> } {
  const bytes = assembleWat(wat).binary;
  const module = decodeModule(bytes);
  validateModule(module);
  return { bytes, module };
}
function instantiate(wat: string, store = new Store(), imports: ImportResolver = () => undefined): { store: Store; inst: Instance; bytes: Uint8Array } {
  const { bytes, module } = compile(wat);
  return { store, inst: store.instantiate(module, imports), bytes };
}
function fn(inst: Instance, name: string) {
  const e = inst.exports.get(name);
  assert.ok(e && e.kind === 'func', `export ${name}`);
  return e.func;
}
function call(store: Store, inst: Instance, name: string, ...args: WasmValue[]): WasmValue[] {
  return store.invoke(fn(inst, name), args);
}
function trapOf(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof Trap) return e.message; throw e; }
  return 'no trap';
}

// ---- differential numeric check against V8 ---------------------------------------------------------

const I32S = [0, 1, -1, 2, 31, 32, 33, 63, 64, -2147483648, 2147483647, 0x12345678, -0x12345678, 0x7fff, 0x8000, 0xff, 0x80];
const I64S = [0n, 1n, -1n, 2n, 63n, 64n, 65n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 32n, 2n ** 32n - 1n, -(2n ** 32n), 2n ** 31n,
  0x123456789abcdef0n, -0x123456789abcdef0n, 2n ** 53n + 1n, 2n ** 53n - 1n, 0x7fffff4000000001n, 0x7fffff4000000000n,
  0x0020000020000001n, 0x0020000020000000n, -0x0020000020000001n, 0xffffffff80000000n - 2n ** 64n, 0x7fffffffffffff7fn];
const FS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, NaN, Infinity, -Infinity, 2147483647, 2147483648, -2147483648,
  -2147483649, 4294967295, 4294967296, 4294967295.5, 9223372036854775807, 9223372036854775808, -9223372036854775808,
  18446744073709551615, 18446744073709551616, 1e-45, 3.4e38, 3.5e38, 0.49999999999999994, 1e300, -1e-300, 0.1, -0.9999];

const JS_T: Record<string, ValType> = { i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64 };
function toEngine(t: string, x: number | bigint): WasmValue {
  switch (t) {
    case 'i32': return i32(Number(x));
    case 'i64': return i64(BigInt(x));
    case 'f32': { const b = new Float32Array([Number(x)]); return { type: ValType.F32, bits: new Int32Array(b.buffer)[0] }; }
    default: { const b = new Float64Array([Number(x)]); return { type: ValType.F64, bits: new BigInt64Array(b.buffer)[0] }; }
  }
}
function fromEngine(v: WasmValue): number | bigint {
  switch (v.type) {
    case ValType.I32: return v.bits;
    case ValType.I64: return v.bits;
    case ValType.F32: return f32Value(v.bits);
    case ValType.F64: return f64Value(v.bits);
    default: throw new Error('unexpected');
  }
}
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}
function valuesFor(t: string): (number | bigint)[] {
  return t === 'i32' ? I32S : t === 'i64' ? I64S : FS;
}

test('numeric ops agree with V8 on edge values (results and traps)', () => {
  const ops = OPS.filter((o) => o.params !== null && o.results !== null && o.imm === Imm.None && o.prefix !== 0xfd &&
    o.params.length >= 1 && o.results.length === 1 && o.params.every((p) => p in JS_T) && o.results[0] in JS_T);
  assert.ok(ops.length > 120, `${ops.length} ops`);
  const funcs = ops.map((o, k) => `(func (export "f${k}") (param ${o.params!.join(' ')}) (result ${o.results![0]}) ${o.params!.map((_, i) => `local.get ${i}`).join(' ')} ${o.name})`);
  const { store, inst, bytes } = instantiate(`(module ${funcs.join('\n')})`);
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, (...a: unknown[]) => unknown>;
  const failures: string[] = [];
  let checked = 0;
  ops.forEach((o, k) => {
    const ps = o.params!;
    const lists = ps.map(valuesFor);
    const combos: (number | bigint)[][] = ps.length === 1 ? lists[0].map((x) => [x]) : lists[0].flatMap((x) => lists[1].map((y) => [x, y]));
    for (const args of combos) {
      let want: unknown, wantTrap = false;
      try { want = v8[`f${k}`](...args.map((x, i) => (ps[i] === 'i64' ? BigInt(x) : Number(x)))); } catch { wantTrap = true; }
      let got: unknown, gotTrap = false;
      try { got = fromEngine(call(store, inst, `f${k}`, ...args.map((x, i) => toEngine(ps[i], x)))[0]); } catch (e) { if (!(e instanceof Trap)) throw e; gotTrap = true; }
      if (o.results![0] === 'f32' && typeof want === 'number') want = Math.fround(want);
      if (o.results![0] === 'i64' && typeof want === 'bigint') want = BigInt.asIntN(64, want);
      checked++;
      if (wantTrap !== gotTrap || (!wantTrap && !same(want, got))) failures.push(`${o.name}(${args.join(', ')}): V8 ${wantTrap ? 'trap' : String(want)}, engine ${gotTrap ? 'trap' : String(got)}`);
    }
  });
  assert.ok(checked > 10000);
  assert.deepEqual(failures.slice(0, 20), []);
});

test('integer traps carry the testsuite messages', () => {
  const { store, inst } = instantiate(`(module
    (func (export "div_s") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
    (func (export "rem_s") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_s)
    (func (export "div64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_s)
    (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
    (func (export "trunc64u") (param f32) (result i64) local.get 0 i64.trunc_f32_u)
    (func (export "unreachable") unreachable))`);
  assert.equal(trapOf(() => call(store, inst, 'div_s', i32(1), i32(0))), 'integer divide by zero');
  assert.equal(trapOf(() => call(store, inst, 'div_s', i32(-2147483648), i32(-1))), 'integer overflow');
  assert.deepEqual(call(store, inst, 'rem_s', i64(-(2n ** 63n)), i64(-1n)), [i64(0n)]);
  assert.equal(trapOf(() => call(store, inst, 'div64', i64(-(2n ** 63n)), i64(-1n))), 'integer overflow');
  assert.equal(trapOf(() => call(store, inst, 'div64', i64(5n), i64(0n))), 'integer divide by zero');
  assert.equal(trapOf(() => call(store, inst, 'trunc', toEngine('f64', NaN))), 'invalid conversion to integer');
  assert.equal(trapOf(() => call(store, inst, 'trunc', toEngine('f64', 2147483648))), 'integer overflow');
  assert.deepEqual(call(store, inst, 'trunc', toEngine('f64', -2147483648.9)), [i32(-2147483648)]);
  assert.equal(trapOf(() => call(store, inst, 'trunc64u', toEngine('f32', -1))), 'integer overflow');
  assert.deepEqual(call(store, inst, 'trunc64u', toEngine('f32', -0.75)), [i64(0n)]);
  assert.equal(trapOf(() => call(store, inst, 'unreachable')), 'unreachable');
});

test('i64 -> f32 conversion rounds once (no double rounding)', () => {
  const { store, inst } = instantiate(`(module
    (func (export "s") (param i64) (result f32) local.get 0 f32.convert_i64_s)
    (func (export "u") (param i64) (result f32) local.get 0 f32.convert_i64_u))`);
  // 2^53 + 2^29 + 1: to double rounds to 2^53 + 2^29 (a tie for f32, which then goes to even = 2^53);
  // the exact value is above the tie, so the correct f32 is 2^53 + 2^30.
  const bits = (v: WasmValue) => (v as { bits: number }).bits;
  const f = (x: number) => bits(toEngine('f32', x));
  assert.equal(bits(call(store, inst, 's', i64(0x0020000020000001n))[0]), f(2 ** 53 + 2 ** 30));
  assert.equal(bits(call(store, inst, 's', i64(-0x0020000020000001n))[0]), f(-(2 ** 53 + 2 ** 30)));
  assert.equal(bits(call(store, inst, 'u', i64(0x0020000020000001n))[0]), f(2 ** 53 + 2 ** 30));
  assert.equal(bits(call(store, inst, 'u', i64(-1n))[0]), f(2 ** 64));
  assert.equal(bits(call(store, inst, 's', i64(0x7fffff4000000001n))[0]), f(0x7fffff8000000000)); // just above a tie
  assert.equal(bits(call(store, inst, 's', i64(0x7fffff4000000000n))[0]), f(0x7fffff0000000000));
});

test('float min/max/nearest edge cases and NaN-preserving moves', () => {
  const { store, inst } = instantiate(`(module
    (func (export "min") (param f64 f64) (result f64) local.get 0 local.get 1 f64.min)
    (func (export "max") (param f32 f32) (result f32) local.get 0 local.get 1 f32.max)
    (func (export "nearest") (param f64) (result f64) local.get 0 f64.nearest)
    (func (export "id32") (param f32) (result f32) (local f32) local.get 0 local.set 1 local.get 1)
    (func (export "neg") (param f64) (result f64) local.get 0 f64.neg))`);
  const r = (name: string, ...a: WasmValue[]) => fromEngine(call(store, inst, name, ...a)[0]) as number;
  assert.ok(Object.is(r('min', toEngine('f64', 0), toEngine('f64', -0)), -0));
  assert.ok(Object.is(r('max', toEngine('f32', -0), toEngine('f32', 0)), 0));
  assert.ok(Number.isNaN(r('min', toEngine('f64', NaN), toEngine('f64', 1))));
  assert.ok(Object.is(r('nearest', toEngine('f64', -0.5)), -0));
  assert.equal(r('nearest', toEngine('f64', 2.5)), 2);
  assert.equal(r('nearest', toEngine('f64', -3.5)), -4);
  assert.equal(r('nearest', toEngine('f64', 4503599627370497)), 4503599627370497);
  // a signaling NaN payload survives local moves bit-exactly; neg flips only the sign bit
  const snan = { type: ValType.F32, bits: 0x7fa00001 } as WasmValue;
  assert.deepEqual(call(store, inst, 'id32', snan), [snan]);
  const snan64 = { type: ValType.F64, bits: 0x7ff4000000000001n } as WasmValue;
  assert.deepEqual(call(store, inst, 'neg', snan64), [{ type: ValType.F64, bits: BigInt.asIntN(64, 0xfff4000000000001n) }]);
});

test('memory: bounds at the edge, grow with max, bulk copy overlap and fill', () => {
  const { store, inst } = instantiate(`(module (memory (export "mem") 1 3)
    (func (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func (export "load_off") (param i32) (result i32) local.get 0 i32.load offset=0xfffffff0)
    (func (export "store64") (param i32 i64) local.get 0 local.get 1 i64.store)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "size") (result i32) memory.size)
    (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
    (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill))`);
  assert.deepEqual(call(store, inst, 'load', i32(65532)), [i32(0)]);
  assert.equal(trapOf(() => call(store, inst, 'load', i32(65533))), 'out of bounds memory access');
  assert.equal(trapOf(() => call(store, inst, 'load', i32(-1))), 'out of bounds memory access');
  assert.equal(trapOf(() => call(store, inst, 'load_off', i32(0x20))), 'out of bounds memory access');
  assert.equal(trapOf(() => call(store, inst, 'store64', i32(65529), i64(1n))), 'out of bounds memory access');
  call(store, inst, 'store64', i32(65528), i64(0x0102030405060708n));
  assert.deepEqual(call(store, inst, 'grow', i32(1)), [i32(1)]);
  assert.deepEqual(call(store, inst, 'size'), [i32(2)]);
  assert.deepEqual(call(store, inst, 'load', i32(65532)), [i32(0x01020304)]);
  assert.deepEqual(call(store, inst, 'load', i32(65536 * 2 - 4)), [i32(0)]);
  assert.deepEqual(call(store, inst, 'grow', i32(2)), [i32(-1)]);
  assert.deepEqual(call(store, inst, 'grow', i32(0x10000)), [i32(-1)]);
  assert.deepEqual(call(store, inst, 'grow', i32(1)), [i32(2)]);
  const mem = (inst.exports.get('mem') as Extract<ExternValue, { kind: 'memory' }>).memory;
  for (let i = 0; i < 8; i++) mem.bytes()[100 + i] = i + 1;
  call(store, inst, 'copy', i32(102), i32(100), i32(6)); // overlapping, forward
  assert.deepEqual([...mem.bytes().subarray(100, 108)], [1, 2, 1, 2, 3, 4, 5, 6]);
  call(store, inst, 'copy', i32(100), i32(102), i32(6)); // overlapping, backward
  assert.deepEqual([...mem.bytes().subarray(100, 108)], [1, 2, 3, 4, 5, 6, 5, 6]);
  // out of bounds: nothing is written
  assert.equal(trapOf(() => call(store, inst, 'fill', i32(3 * 65536 - 2), i32(0xaa), i32(3))), 'out of bounds memory access');
  assert.equal(mem.bytes()[3 * 65536 - 2], 0);
  call(store, inst, 'fill', i32(3 * 65536), i32(0xaa), i32(0)); // zero length at the end is fine
});

test('call_indirect traps and cross-instance calls', () => {
  const a = instantiate(`(module (memory (export "m") 1)
    (func (export "peek") (result i32) i32.const 0 i32.load)
    (func (export "poke") (param i32) i32.const 0 local.get 0 i32.store))`);
  const b = instantiate(`(module
    (import "a" "peek" (func $peek (result i32)))
    (import "a" "poke" (func $poke (param i32)))
    (memory 1)
    (type $v_i (func (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $peek $f64)
    (func $f64 (result f64) f64.const 1)
    (func (export "via") (param i32) (result i32) local.get 0 call_indirect (type $v_i))
    (func (export "setpeek") (result i32) i32.const 77 call $poke call $peek))`, a.store,
  (m, n) => (m === 'a' ? a.inst.exports.get(n) : undefined));
  const s = a.store;
  assert.deepEqual(call(s, b.inst, 'setpeek'), [i32(77)]);
  assert.deepEqual(call(s, b.inst, 'via', i32(0)), [i32(77)]);
  assert.equal(trapOf(() => call(s, b.inst, 'via', i32(1))), 'indirect call type mismatch');
  assert.equal(trapOf(() => call(s, b.inst, 'via', i32(2))), 'uninitialized element 2');
  assert.equal(trapOf(() => call(s, b.inst, 'via', i32(4))), 'undefined element');
  assert.equal(trapOf(() => call(s, b.inst, 'via', i32(-1))), 'undefined element');
});

test('deep recursion traps with "call stack exhausted"; a 1e6-deep tail-call loop runs', () => {
  const { store, inst } = instantiate(`(module
    (func $r (export "runaway") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $r)
    (func $t (export "tail") (param i64 i64) (result i64)
      local.get 0 i64.eqz if (result i64) local.get 1 else
      local.get 0 i64.const 1 i64.sub local.get 1 local.get 0 i64.add return_call $t end)
    (func $c (export "count") (param i32) (result i32)
      local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $c i32.const 1 i32.add end))`);
  let err: unknown = null;
  try { call(store, inst, 'runaway', i32(0)); } catch (e) { err = e; }
  assert.ok(err instanceof Trap, `expected a Trap, got ${String(err)}`);
  assert.equal((err as Trap).message, 'call stack exhausted');
  assert.deepEqual(call(store, inst, 'tail', i64(1000000n), i64(0n)), [i64(500000500000n)]);
  assert.deepEqual(call(store, inst, 'count', i32(50000)), [i32(50000)]); // deep but legal
  // the store is still usable after the trap
  assert.deepEqual(call(store, inst, 'count', i32(3)), [i32(3)]);
});

const SUM = `(module (func (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1)))`;

test('instruction count is exact for a known program', () => {
  const { store, inst } = instantiate(SUM);
  const c0 = store.instructionCount;
  assert.deepEqual(call(store, inst, 'sum', i32(10)), [i32(55)]);
  // block + loop (2), 10 iterations of 12, the exit (local.get, i32.eqz, br_if), local.get + end = 127
  assert.equal(store.instructionCount - c0, 2 + 10 * 12 + 3 + 2);
  const { store: s2, inst: i2 } = instantiate(`(module
    (func $id (param i32) (result i32) local.get 0)
    (func (export "f") (result i32) i32.const 5 call $id if (result i32) i32.const 1 else i32.const 2 end))`);
  // caller: i32.const, call, [callee: local.get, end], if, i32.const, else, end(func) = 8
  call(s2, i2, 'f');
  assert.equal(s2.instructionCount, 8);
  // a trapping instruction does not retire
  const { store: s3, inst: i3 } = instantiate(`(module (func (export "t") (result i32) i32.const 1 i32.const 0 i32.div_u))`);
  trapOf(() => call(s3, i3, 't'));
  assert.equal(s3.instructionCount, 2);
});

test('run(budget) stops exactly at the budget and resumes to the same result', () => {
  const { store: ref, inst: refInst } = instantiate(SUM);
  call(ref, refInst, 'sum', i32(37));
  const total = ref.instructionCount;
  for (const budget of [1, 2, 3, 5, 11, 12, 13, 100]) {
    const { store, inst } = instantiate(SUM);
    store.start(fn(inst, 'sum'), [i32(37)]);
    let st;
    for (;;) {
      const before = store.instructionCount;
      st = store.run(budget);
      if (st !== 'budget') break;
      assert.equal(store.instructionCount - before, budget);
    }
    assert.equal(st, 'done');
    assert.equal(store.instructionCount, total);
    assert.deepEqual(store.machine.results, [i32(703)]);
  }
});

test('breakpoints stop before the instruction and resume', () => {
  const { store, inst, bytes } = instantiate(SUM);
  void bytes;
  const f = fn(inst, 'sum');
  const module = f.inst!.module;
  // find the byte offset of the i32.add (opcode 0x6a) in the body
  const body = module.funcs[0];
  let addOff = -1;
  for (let p = body.codeStart; p < body.codeEnd; p++) if (module.bytes[p] === 0x6a) { addOff = p; break; }
  assert.ok(addOff > 0);
  store.addBreakpoint(module, f.funcIndex, addOff);
  store.start(f, [i32(3)]);
  const seen: string[] = [];
  let st;
  while ((st = store.run()) === 'breakpoint') {
    const [frame] = store.machine.frameList();
    assert.equal(frame.offset, addOff);
    const ops = store.machine.operands(frame, true).map((v) => (v as { bits: number }).bits);
    const locals = store.machine.locals(frame).map((v) => (v as { bits: number }).bits);
    seen.push(`${store.instructionCount}:${ops.join(',')}:${locals.join(',')}`);
  }
  assert.equal(st, 'done');
  assert.deepEqual(store.machine.results, [i32(6)]);
  // stops before i32.add: 2 + 5 retired in the first iteration, then 12 per iteration
  assert.deepEqual(seen, ['7:0,3:3,0', '19:3,2:2,3', '31:5,1:1,5']);
  store.removeBreakpoint(module, f.funcIndex, addOff);
  assert.deepEqual(call(store, inst, 'sum', i32(3)), [i32(6)]);
});

test('host functions: arguments, results, memory writes through the context, nested invoke', () => {
  const store = new Store();
  const log: string[] = [];
  let inner: Instance | null = null;
  const host = store.hostFunction({ params: [ValType.I32, ValType.I64], results: [ValType.I32] }, (args, ctx) => {
    log.push(`host ${(args[0] as { bits: number }).bits} ${(args[1] as { bits: bigint }).bits}`);
    ctx.write(8, new Uint8Array([42]));
    const r = store.invoke(fn(inner!, 'double'), [args[0]]);
    return r;
  }, 'host');
  const { inst } = instantiate(`(module (import "env" "h" (func $h (param i32 i64) (result i32))) (memory 1)
    (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
    (func (export "go") (result i32) (local i32) i32.const 7 local.set 0 i32.const 21 i64.const -5 call $h
      i32.const 8 i32.load8_u i32.add local.get 0 i32.add))`, store, (m, n) => (m === 'env' && n === 'h' ? { kind: 'func', func: host } : undefined));
  inner = inst;
  assert.deepEqual(call(store, inst, 'go'), [i32(42 + 42 + 7)]);
  assert.deepEqual(log, ['host 21 -5']);
  const trapping = store.hostFunction({ params: [], results: [] }, () => { throw new Trap(TrapCode.HostError, 'host says no'); });
  const { inst: i2 } = instantiate(`(module (import "env" "t" (func $t)) (func (export "go") call $t))`, store,
    () => ({ kind: 'func', func: trapping }));
  assert.equal(trapOf(() => call(store, i2, 'go')), 'host says no');
});

test('instantiation: link errors and segment traps', () => {
  const store = new Store();
  assert.throws(() => instantiate(`(module (import "x" "y" (func)))`, store), /unknown import/);
  const g = store.createGlobal({ type: ValType.I32, mutable: false }, i32(1));
  assert.throws(() => instantiate(`(module (import "x" "y" (global (mut i32))))`, store, () => ({ kind: 'global', global: g })), /incompatible import type/);
  const mem = store.createMemory({ limits: { min: 1, max: null } });
  assert.throws(() => instantiate(`(module (import "x" "y" (memory 1 2)))`, store, () => ({ kind: 'memory', memory: mem })), /incompatible import type/);
  // an active data segment out of bounds traps; earlier segments' writes persist
  assert.throws(() => instantiate(`(module (import "x" "y" (memory 1)) (data (i32.const 0) "a") (data (i32.const 65536) "b"))`, store,
    () => ({ kind: 'memory', memory: mem })), /out of bounds memory access/);
  assert.equal(mem.bytes()[0], 97);
  const six = store.createGlobal({ type: ValType.I32, mutable: false }, i32(6));
  const { inst } = instantiate(`(module (import "x" "six" (global $a i32)) (global (export "g") i32 (i32.mul (global.get $a) (i32.const 7))))`, store,
    () => ({ kind: 'global', global: six }));
  assert.deepEqual((inst.exports.get('g') as Extract<ExternValue, { kind: 'global' }>).global.get(), i32(42));
});

test('host <-> wasm re-entry that overflows the JS stack is a Trap, not a RangeError', () => {
  const store = new Store();
  let f: ReturnType<typeof fn> | null = null;
  const host = store.hostFunction({ params: [], results: [] }, () => store.invoke(f!, []));
  const { inst } = instantiate(`(module (import "env" "h" (func $h)) (func (export "f") call $h))`, store, () => ({ kind: 'func', func: host }));
  f = fn(inst, 'f');
  assert.equal(trapOf(() => call(store, inst, 'f')), 'call stack exhausted');
});
