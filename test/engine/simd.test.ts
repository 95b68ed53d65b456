// Direct tests of engine/interp/simd.ts: the calling contract (every SIMD entry of the opcode table is
// handled), operand aliasing, and the edge cases of each instruction family. The broad checks are in
// simdOracle.test.ts (V8) and simdSpec.test.ts (the official testsuite's expectations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPS, Imm, opByName } from '../../engine/core/opcodes';
import { execSimd, execSimdMem, isSimdOp, makeSimdViews } from '../../engine/interp/simd';

const buf = new ArrayBuffer(256);
const views = makeSimdViews(buf);
const U8 = new Uint8Array(buf);
const DV = new DataView(buf);

function id(name: string): number {
  const info = opByName(name);
  if (!info) throw new Error(`no opcode ${name}`);
  return info.id;
}

// Operands are placed at byte offsets 0, 16, 32; results are read at 64.
type Operand = Uint8Array | { i32: number } | { i64: bigint } | { f32bits: number } | { f64: number };
const A = 0, B = 16, C = 32, D = 64;

function put(off: number, v: Operand): void {
  if (v instanceof Uint8Array) U8.set(v, off);
  else if ('i32' in v) DV.setInt32(off, v.i32, true);
  else if ('i64' in v) DV.setBigInt64(off, BigInt.asIntN(64, v.i64), true);
  else if ('f32bits' in v) DV.setUint32(off, v.f32bits, true);
  else DV.setFloat64(off, v.f64, true);
}

/** Run a non-memory instruction on the operands; returns the 16 result bytes at D. */
function run(name: string, ops: Operand[], imm: number[] = [0, 0, 0, 0]): Uint8Array {
  U8.fill(0xcc);
  ops.forEach((v, i) => put(16 * i, v));
  execSimd(id(name), views, D, A, B, C, Int32Array.from(imm), 0);
  return U8.slice(D, D + 16);
}

// Vector builders and readers (little-endian lanes).
function vec(bytesPerLane: 1 | 2 | 4 | 8, lanes: Array<number | bigint>): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  lanes.forEach((x, i) => {
    const o = i * bytesPerLane;
    if (bytesPerLane === 1) dv.setUint8(o, Number(x) & 0xff);
    else if (bytesPerLane === 2) dv.setUint16(o, Number(x) & 0xffff, true);
    else if (bytesPerLane === 4) dv.setUint32(o, Number(x) >>> 0, true);
    else dv.setBigUint64(o, BigInt.asUintN(64, BigInt(x)), true);
  });
  return out;
}
const i8 = (...l: number[]) => vec(1, l.length === 1 ? Array(16).fill(l[0]) : l);
const i16 = (...l: number[]) => vec(2, l.length === 1 ? Array(8).fill(l[0]) : l);
const i32 = (...l: number[]) => vec(4, l.length === 1 ? Array(4).fill(l[0]) : l);
const i64 = (...l: bigint[]) => vec(8, l.length === 1 ? [l[0], l[0]] : l);
function f32(...l: number[]): Uint8Array {
  const v = new Float32Array(l.length === 1 ? [l[0], l[0], l[0], l[0]] : l);
  return new Uint8Array(v.buffer);
}
function f32bits(...l: number[]): Uint8Array { return i32(...l); }
function f64(...l: number[]): Uint8Array { return new Uint8Array(new Float64Array(l.length === 1 ? [l[0], l[0]] : l).buffer); }

const s8 = (u: Uint8Array) => [...new Int8Array(u.buffer, u.byteOffset, 16)];
const u8 = (u: Uint8Array) => [...u];
const s16 = (u: Uint8Array) => [...new Int16Array(u.slice().buffer)];
const u16 = (u: Uint8Array) => [...new Uint16Array(u.slice().buffer)];
const s32 = (u: Uint8Array) => [...new Int32Array(u.slice().buffer)];
const u32 = (u: Uint8Array) => [...new Uint32Array(u.slice().buffer)];
const s64 = (u: Uint8Array) => [...new BigInt64Array(u.slice().buffer)];
const rf32 = (u: Uint8Array) => [...new Float32Array(u.slice().buffer)];
const rf64 = (u: Uint8Array) => [...new Float64Array(u.slice().buffer)];
const scalar = (u: Uint8Array) => new DataView(u.buffer).getInt32(0, true);

// ---- contract -------------------------------------------------------------------------------------

test('contract: every SIMD entry of OPS is handled by execSimd or execSimdMem', () => {
  const simd = OPS.filter((o) => o.prefix === 0xfd);
  assert.equal(simd.length, 236);
  const mem = new Uint8Array(64);
  const memDv = new DataView(mem.buffer);
  let memOps = 0, plainOps = 0;
  for (const info of simd) {
    assert.ok(isSimdOp(info.id), info.name);
    const isMem = info.imm === Imm.MemArg || info.imm === Imm.MemArgLane;
    if (isMem) {
      assert.doesNotThrow(() => execSimdMem(info.id, views, D, A, mem, memDv, 8, 0), info.name);
      // The other entry point rejects it (its default branch is reachable).
      assert.throws(() => execSimd(info.id, views, D, A, B, C, new Int32Array(4), 0), /not a non-memory/, info.name);
      memOps++;
    } else {
      assert.doesNotThrow(() => execSimd(info.id, views, D, A, B, C, new Int32Array(4), 0), info.name);
      assert.throws(() => execSimdMem(info.id, views, D, A, mem, memDv, 8, 0), /not a SIMD memory/, info.name);
      plainOps++;
    }
  }
  assert.equal(memOps, 22);
  assert.equal(plainOps, 214);
  assert.equal(isSimdOp(id('i32.add')), false);
  assert.equal(isSimdOp(-1), false);
});

test('result may overwrite the first operand (operands are read first)', () => {
  U8.fill(0);
  put(A, i32(1, 2, 3, 4)); put(B, i32(10, 20, 30, 40));
  execSimd(id('i32x4.sub'), views, A, A, B, C, new Int32Array(4), 0);
  assert.deepEqual(s32(U8.slice(A, A + 16)), [-9, -18, -27, -36]);
  // swizzle reads lanes of A by index while writing: must not see partial results
  put(A, i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)); put(B, i8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  execSimd(id('i8x16.swizzle'), views, A, A, B, C, new Int32Array(4), 0);
  assert.deepEqual(u8(U8.slice(A, A + 16)), [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  // extract lane into the operand's own slot
  put(A, i64(0x1122334455667788n, -2n));
  execSimd(id('i64x2.extract_lane'), views, A, A, B, C, Int32Array.of(1), 0);
  assert.equal(DV.getBigInt64(A, true), -2n);
  // immediates at a non-zero position
  execSimd(id('v128.const'), views, D, A, B, C, Int32Array.of(7, 7, 1, 2, 3, 4), 2);
  assert.deepEqual(s32(U8.slice(D, D + 16)), [1, 2, 3, 4]);
});

// ---- integer families -------------------------------------------------------------------------------

test('saturating add/sub at the bounds', () => {
  assert.deepEqual(s8(run('i8x16.add_sat_s', [i8(127, -128, 100, -100, 5), i8(1, -1, 100, -100, -6)])).slice(0, 5), [127, -128, 127, -128, -1]);
  assert.deepEqual(u8(run('i8x16.add_sat_u', [i8(255, 200, 1), i8(1, 100, 2)])).slice(0, 3), [255, 255, 3]);
  assert.deepEqual(s8(run('i8x16.sub_sat_s', [i8(-128, 127), i8(1, -1)])).slice(0, 2), [-128, 127]);
  assert.deepEqual(u8(run('i8x16.sub_sat_u', [i8(0, 5), i8(1, 3)])).slice(0, 2), [0, 2]);
  assert.deepEqual(s16(run('i16x8.add_sat_s', [i16(32767, -32768), i16(1, -1)])).slice(0, 2), [32767, -32768]);
  assert.deepEqual(u16(run('i16x8.add_sat_u', [i16(65535), i16(1)]))[0], 65535);
  assert.deepEqual(s16(run('i16x8.sub_sat_s', [i16(-32768, 32767), i16(1, -1)])).slice(0, 2), [-32768, 32767]);
  assert.deepEqual(u16(run('i16x8.sub_sat_u', [i16(0), i16(1)]))[0], 0);
  // wrapping variants wrap
  assert.equal(s8(run('i8x16.add', [i8(127), i8(1)]))[0], -128);
  assert.equal(s16(run('i16x8.sub', [i16(-32768), i16(1)]))[0], 32767);
  assert.equal(s32(run('i32x4.add', [i32(0x7fffffff), i32(1)]))[0], -0x80000000);
});

test('narrow saturates signed input to signed/unsigned range', () => {
  assert.deepEqual(s8(run('i8x16.narrow_i16x8_s', [i16(300, -300, 127, -128, 128, -129, 0, 1), i16(-1)])),
    [127, -128, 127, -128, 127, -128, 0, 1, -1, -1, -1, -1, -1, -1, -1, -1]);
  assert.deepEqual(u8(run('i8x16.narrow_i16x8_u', [i16(300, -300, 255, 256, -1, 0, 1, 128), i16(0)])).slice(0, 8),
    [255, 0, 255, 255, 0, 0, 1, 128]);
  assert.deepEqual(s16(run('i16x8.narrow_i32x4_s', [i32(40000, -40000, 32767, -32768), i32(7)])),
    [32767, -32768, 32767, -32768, 7, 7, 7, 7]);
  assert.deepEqual(u16(run('i16x8.narrow_i32x4_u', [i32(70000, -1, 65535, 65536), i32(0)])).slice(0, 4),
    [65535, 0, 65535, 65535]);
});

test('extend, extmul, extadd_pairwise, dot, q15mulr, avgr, popcnt, abs/neg', () => {
  const a = i8(-1, -128, 127, 5, 0, 0, 0, 0, -2, 3, -4, 5, -6, 7, -8, 9);
  assert.deepEqual(s16(run('i16x8.extend_low_i8x16_s', [a])), [-1, -128, 127, 5, 0, 0, 0, 0]);
  assert.deepEqual(s16(run('i16x8.extend_low_i8x16_u', [a])), [255, 128, 127, 5, 0, 0, 0, 0]);
  assert.deepEqual(s16(run('i16x8.extend_high_i8x16_s', [a])), [-2, 3, -4, 5, -6, 7, -8, 9]);
  assert.deepEqual(s32(run('i32x4.extend_high_i16x8_u', [i16(0, 0, 0, 0, -1, 1, -32768, 2)])), [65535, 1, 32768, 2]);
  assert.deepEqual(s64(run('i64x2.extend_low_i32x4_s', [i32(-1, 5, 0, 0)])), [-1n, 5n]);
  assert.deepEqual(s64(run('i64x2.extend_high_i32x4_u', [i32(0, 0, -1, 0x80000000)])), [0xffffffffn, 0x80000000n]);
  assert.deepEqual(s16(run('i16x8.extmul_low_i8x16_s', [i8(-128), i8(-128)])), Array(8).fill(16384));
  assert.deepEqual(u16(run('i16x8.extmul_high_i8x16_u', [i8(255), i8(255)])), Array(8).fill(65025));
  assert.deepEqual(u32(run('i32x4.extmul_low_i16x8_u', [i16(-1), i16(-1)])), Array(4).fill(0xfffe0001));
  assert.deepEqual(s32(run('i32x4.extmul_high_i16x8_s', [i16(-32768), i16(-32768)])), Array(4).fill(0x40000000));
  assert.deepEqual(s64(run('i64x2.extmul_low_i32x4_s', [i32(-1, 0x7fffffff, 0, 0), i32(0x7fffffff, -0x80000000, 0, 0)])),
    [-0x7fffffffn, -0x3fffffff80000000n]);
  assert.deepEqual(s64(run('i64x2.extmul_high_i32x4_u', [i32(0, 0, -1, 3), i32(0, 0, -1, -1)])),
    [BigInt.asIntN(64, 0xfffffffe00000001n), 3n * 0xffffffffn]);
  assert.deepEqual(s16(run('i16x8.extadd_pairwise_i8x16_s', [i8(-128)])), Array(8).fill(-256));
  assert.deepEqual(s16(run('i16x8.extadd_pairwise_i8x16_u', [i8(255)])), Array(8).fill(510));
  assert.deepEqual(s32(run('i32x4.extadd_pairwise_i16x8_u', [i16(-1)])), Array(4).fill(131070));
  assert.deepEqual(s32(run('i32x4.extadd_pairwise_i16x8_s', [i16(-32768)])), Array(4).fill(-65536));
  assert.deepEqual(s32(run('i32x4.dot_i16x8_s', [i16(-32768), i16(-32768)])), Array(4).fill(-0x80000000)); // wraps
  assert.deepEqual(s32(run('i32x4.dot_i16x8_s', [i16(1, 2, 3, 4, 5, 6, 7, 8), i16(-1)])), [-3, -7, -11, -15]);
  assert.deepEqual(s16(run('i16x8.q15mulr_sat_s', [i16(-32768, 16384, -16384, 1, 32767, 0, 0, 0), i16(-32768, 16384, 16384, 16384, 32767, 0, 0, 0)])),
    [32767, 8192, -8192, 1, 32766, 0, 0, 0]);
  assert.deepEqual(u8(run('i8x16.avgr_u', [i8(255, 0, 1, 2), i8(255, 1, 2, 2)])).slice(0, 4), [255, 1, 2, 2]);
  assert.deepEqual(u16(run('i16x8.avgr_u', [i16(65535, 0), i16(65535, 1)])).slice(0, 2), [65535, 1]);
  assert.deepEqual(u8(run('i8x16.popcnt', [i8(0, 1, 255, 0x80, 0x55, 7)])).slice(0, 6), [0, 1, 8, 1, 4, 3]);
  assert.deepEqual(s8(run('i8x16.abs', [i8(-128, -1, 1, 0)])).slice(0, 4), [-128, 1, 1, 0]);
  assert.deepEqual(s16(run('i16x8.neg', [i16(-32768, 1)])).slice(0, 2), [-32768, -1]);
  assert.deepEqual(s32(run('i32x4.abs', [i32(-0x80000000, -5, 5, 0)])), [-0x80000000, 5, 5, 0]);
  assert.deepEqual(s64(run('i64x2.abs', [i64(-0x8000000000000000n, -5n)])), [-0x8000000000000000n, 5n]);
  assert.deepEqual(s64(run('i64x2.neg', [i64(0x100000000n, 0n)])), [-0x100000000n, 0n]);
  assert.deepEqual(s64(run('i64x2.neg', [i64(1n, -0x8000000000000000n)])), [-1n, -0x8000000000000000n]);
});

test('min/max, mul, i64 arithmetic against BigInt', () => {
  assert.deepEqual(s8(run('i8x16.min_s', [i8(-1, 5), i8(1, -5)])).slice(0, 2), [-1, -5]);
  assert.deepEqual(u8(run('i8x16.min_u', [i8(255, 5), i8(1, 6)])).slice(0, 2), [1, 5]);
  assert.deepEqual(u32(run('i32x4.max_u', [i32(-1, 0, 5, 0x80000000), i32(1, 0, 6, 0x7fffffff)])), [0xffffffff, 0, 6, 0x80000000]);
  assert.deepEqual(s32(run('i32x4.min_s', [i32(-1, 0, 5, 0x80000000), i32(1, 0, 6, 0x7fffffff)])), [-1, 0, 5, -0x80000000]);
  assert.deepEqual(s16(run('i16x8.mul', [i16(-32768, 300), i16(-1, 300)])).slice(0, 2), [-32768, (90000 << 16) >> 16]);
  assert.deepEqual(s32(run('i32x4.mul', [i32(0x7fffffff, 65536), i32(0x7fffffff, 65536)])).slice(0, 2), [1, 0]);
  const vals = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdefn, -0x0fedcba987654321n, 3n];
  for (const x of vals) for (const y of vals) {
    const w = (z: bigint) => BigInt.asIntN(64, z);
    assert.deepEqual(s64(run('i64x2.mul', [i64(x, y), i64(y, x)])), [w(x * y), w(y * x)], `mul ${x} ${y}`);
    assert.deepEqual(s64(run('i64x2.add', [i64(x, y), i64(y, y)])), [w(x + y), w(y + y)], `add ${x} ${y}`);
    assert.deepEqual(s64(run('i64x2.sub', [i64(x, y), i64(y, x)])), [w(x - y), w(y - x)], `sub ${x} ${y}`);
    const m = (c: boolean) => (c ? -1n : 0n);
    assert.deepEqual(s64(run('i64x2.lt_s', [i64(x, y), i64(y, x)])), [m(x < y), m(y < x)]);
    assert.deepEqual(s64(run('i64x2.le_s', [i64(x, y), i64(y, x)])), [m(x <= y), m(y <= x)]);
    assert.deepEqual(s64(run('i64x2.gt_s', [i64(x, y), i64(y, x)])), [m(x > y), m(y > x)]);
    assert.deepEqual(s64(run('i64x2.ge_s', [i64(x, y), i64(y, x)])), [m(x >= y), m(y >= x)]);
    assert.deepEqual(s64(run('i64x2.eq', [i64(x, y), i64(y, x)])), [m(x === y), m(y === x)]);
    assert.deepEqual(s64(run('i64x2.ne', [i64(x, y), i64(y, x)])), [m(x !== y), m(y !== x)]);
  }
});

test('shifts take the count modulo the lane width', () => {
  assert.deepEqual(s8(run('i8x16.shl', [i8(1, -1, 0x40), { i32: 9 }])).slice(0, 3), [2, -2, -128]);
  assert.deepEqual(s8(run('i8x16.shr_s', [i8(-128, 64), { i32: 7 }])).slice(0, 2), [-1, 0]);
  assert.deepEqual(u8(run('i8x16.shr_u', [i8(0x80, 0xff), { i32: -1 }])).slice(0, 2), [1, 1]);
  assert.deepEqual(s16(run('i16x8.shl', [i16(1), { i32: 16 }]))[0], 1);
  assert.deepEqual(s16(run('i16x8.shr_s', [i16(-32768), { i32: 31 }]))[0], -1);
  assert.deepEqual(u16(run('i16x8.shr_u', [i16(-32768), { i32: 15 }]))[0], 1);
  assert.deepEqual(s32(run('i32x4.shl', [i32(1), { i32: 33 }]))[0], 2);
  assert.deepEqual(u32(run('i32x4.shr_u', [i32(-1), { i32: 32 }]))[0], 0xffffffff);
  assert.deepEqual(s32(run('i32x4.shr_s', [i32(-8), { i32: 0x7fffffe1 }]))[0], -4);
  const x = -0x123456789abcdefn;
  for (const n of [0, 1, 31, 32, 33, 63, 64, 65, 127, -1]) {
    const k = BigInt(n & 63);
    assert.deepEqual(s64(run('i64x2.shl', [i64(x, 1n), { i32: n }])), [BigInt.asIntN(64, x << k), BigInt.asIntN(64, 1n << k)], `shl ${n}`);
    assert.deepEqual(s64(run('i64x2.shr_s', [i64(x, 1n), { i32: n }])), [x >> k, 1n >> k], `shr_s ${n}`);
    assert.deepEqual(s64(run('i64x2.shr_u', [i64(x, 1n), { i32: n }])), [BigInt.asIntN(64, BigInt.asUintN(64, x) >> k), 1n >> k], `shr_u ${n}`);
  }
});

test('comparisons give all-ones / zero lanes', () => {
  assert.deepEqual(s8(run('i8x16.lt_s', [i8(-1, 1), i8(1, -1)])).slice(0, 2), [-1, 0]);
  assert.deepEqual(s8(run('i8x16.lt_u', [i8(-1, 1), i8(1, -1)])).slice(0, 2), [0, -1]);
  assert.deepEqual(s16(run('i16x8.ge_u', [i16(0x8000, 1), i16(0x7fff, 1)])).slice(0, 2), [-1, -1]);
  assert.deepEqual(s32(run('i32x4.gt_s', [i32(0x80000000, 1, 0, 0), i32(0x7fffffff, 0, 0, 0)])), [0, -1, 0, 0]);
  assert.deepEqual(s32(run('f32x4.eq', [f32(NaN, 0, -0, 1), f32(NaN, -0, 0, 2)])), [0, -1, -1, 0]);
  assert.deepEqual(s32(run('f32x4.ne', [f32(NaN, 0, 1, 1), f32(NaN, -0, 1, 2)])), [-1, 0, 0, -1]);
  assert.deepEqual(s64(run('f64x2.le', [f64(NaN, -Infinity), f64(1, -Infinity)])), [0n, -1n]);
  assert.deepEqual(s64(run('f64x2.gt', [f64(2, 0), f64(1, -0)])), [-1n, 0n]);
});

test('bitmask, all_true, any_true, bitwise ops', () => {
  assert.equal(scalar(run('i8x16.bitmask', [i8(-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5)])), 0b1000000000000101);
  assert.equal(scalar(run('i16x8.bitmask', [i16(-1, 0, 0, 0, 0, 0, 0, -32768)])), 0x81);
  assert.equal(scalar(run('i32x4.bitmask', [i32(0, -1, 0x7fffffff, 0x80000000)])), 0b1010);
  assert.equal(scalar(run('i64x2.bitmask', [i64(-1n, 0x7fffffffffffffffn)])), 1);
  assert.equal(scalar(run('i8x16.all_true', [i8(1)])), 1);
  assert.equal(scalar(run('i8x16.all_true', [i8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)])), 0);
  assert.equal(scalar(run('i16x8.all_true', [i16(0x100)])), 1);
  assert.equal(scalar(run('i32x4.all_true', [i32(0x10000, 1, 1, 0)])), 0);
  assert.equal(scalar(run('i64x2.all_true', [i64(0x100000000n, 1n)])), 1);
  assert.equal(scalar(run('i64x2.all_true', [i64(0n, 1n)])), 0);
  assert.equal(scalar(run('v128.any_true', [i8(0)])), 0);
  assert.equal(scalar(run('v128.any_true', [i8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)])), 1);
  assert.deepEqual(u32(run('v128.andnot', [i32(0xff00ff00), i32(0x0ff00ff0)])), Array(4).fill(0xf000f000));
  assert.deepEqual(u32(run('v128.bitselect', [i32(0xaaaaaaaa), i32(0x55555555), i32(0xffff0000)])), Array(4).fill(0xaaaa5555));
  assert.deepEqual(u32(run('v128.not', [i32(0, -1, 1, 0x80000000)])), [0xffffffff, 0, 0xfffffffe, 0x7fffffff]);
});

test('splat, extract/replace lane with sign/zero extension', () => {
  assert.deepEqual(u8(run('i8x16.splat', [{ i32: 0x1ff }])), Array(16).fill(0xff));
  assert.deepEqual(u16(run('i16x8.splat', [{ i32: 0x18001 }])), Array(8).fill(0x8001));
  assert.deepEqual(s64(run('i64x2.splat', [{ i64: -3n }])), [-3n, -3n]);
  assert.deepEqual(u32(run('f32x4.splat', [{ f32bits: 0x7fa00001 }])), Array(4).fill(0x7fa00001)); // sNaN bits kept
  assert.deepEqual(rf64(run('f64x2.splat', [{ f64: -0 }])).map((x) => Object.is(x, -0)), [true, true]);
  const v = i8(0, 0xff, 0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe);
  assert.equal(scalar(run('i8x16.extract_lane_s', [v], [1])), -1);
  assert.equal(scalar(run('i8x16.extract_lane_u', [v], [1])), 255);
  assert.equal(scalar(run('i8x16.extract_lane_s', [v], [2])), -128);
  assert.equal(scalar(run('i8x16.extract_lane_u', [v], [15])), 254);
  const w = i16(0, 0, 0, 0, 0, 0, 0, 0x8000);
  assert.equal(scalar(run('i16x8.extract_lane_s', [w], [7])), -32768);
  assert.equal(scalar(run('i16x8.extract_lane_u', [w], [7])), 32768);
  assert.equal(scalar(run('f32x4.extract_lane', [f32bits(0, 0, 0x7f800001, 0)], [2])) >>> 0, 0x7f800001);
  assert.deepEqual(s8(run('i8x16.replace_lane', [i8(0), { i32: 0x17f }], [15])), [...Array(15).fill(0), 127]);
  assert.deepEqual(s16(run('i16x8.replace_lane', [i16(1), { i32: -2 }], [3])), [1, 1, 1, -2, 1, 1, 1, 1]);
  assert.deepEqual(s64(run('i64x2.replace_lane', [i64(1n), { i64: -0x123456789n }], [1])), [1n, -0x123456789n]);
  assert.deepEqual(u32(run('f32x4.replace_lane', [i32(0), { f32bits: 0xffc00001 }], [0])), [0xffc00001, 0, 0, 0]);
  const r = run('f64x2.replace_lane', [f64(1, 2), { f64: 0.5 }], [0]);
  assert.deepEqual(rf64(r), [0.5, 2]);
});

test('swizzle (out-of-range index gives 0) and shuffle', () => {
  const a = i8(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
  assert.deepEqual(u8(run('i8x16.swizzle', [a, i8(0, 15, 16, 255, 128, 17, 1, 31, 32, 2, 3, 4, 5, 6, 7, 8)])),
    [10, 25, 0, 0, 0, 0, 11, 0, 0, 12, 13, 14, 15, 16, 17, 18]);
  const b = i8(30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45);
  // lanes: 0, 16, 31, 15, then 1..12 alternating
  const lanes = [0, 16, 31, 15, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22];
  const imm = [0, 0, 0, 0];
  lanes.forEach((l, i) => { imm[i >> 2] |= l << (8 * (i & 3)); });
  assert.deepEqual(u8(run('i8x16.shuffle', [a, b], imm)), [10, 30, 45, 25, 11, 31, 12, 32, 13, 33, 14, 34, 15, 35, 16, 36]);
});

// ---- floats ----------------------------------------------------------------------------------------

const isQuietNaN32 = (bits: number) => (bits & 0x7f800000) === 0x7f800000 && (bits & 0x00400000) !== 0;

test('float min/max propagate NaN and order -0 < +0; pmin/pmax select operands bit-exactly', () => {
  const mn = run('f32x4.min', [f32(-0, 0, NaN, 1), f32(0, -0, 1, NaN)]);
  assert.ok(Object.is(rf32(mn)[0], -0) && Object.is(rf32(mn)[1], -0));
  assert.ok(isQuietNaN32(u32(mn)[2]) && isQuietNaN32(u32(mn)[3]));
  const mx = run('f32x4.max', [f32(-0, 0, NaN, -Infinity), f32(0, -0, 1, -3)]);
  assert.ok(Object.is(rf32(mx)[0], 0) && Object.is(rf32(mx)[1], 0) && Number.isNaN(rf32(mx)[2]) && rf32(mx)[3] === -3);
  const mn64 = rf64(run('f64x2.min', [f64(-0, NaN), f64(0, 1)]));
  assert.ok(Object.is(mn64[0], -0) && Number.isNaN(mn64[1]));
  // pmin = b < a ? b : a; pmax = a < b ? b : a — a NaN operand in `a` is returned with its payload
  assert.deepEqual(u32(run('f32x4.pmin', [f32bits(0x7fa00001, 0x80000000, 0x3f800000, 0), f32bits(0x3f800000, 0, 0x7fc00000, 0x80000000)])),
    [0x7fa00001, 0x80000000, 0x3f800000, 0]);
  assert.deepEqual(u32(run('f32x4.pmax', [f32bits(0x7fa00001, 0, 0x3f800000, 0x80000000), f32bits(0x3f800000, 0x80000000, 0xffc00005, 0)])),
    [0x7fa00001, 0, 0x3f800000, 0x80000000]);
  const pmx = run('f64x2.pmax', [f64(1, -0), f64(2, 0)]);
  assert.equal(rf64(pmx)[0], 2); assert.ok(Object.is(rf64(pmx)[1], -0));
});

test('abs/neg are sign-bit operations (NaN payloads kept)', () => {
  assert.deepEqual(u32(run('f32x4.neg', [f32bits(0x7fa00001, 0, 0xffc00000, 0x3f800000)])), [0xffa00001, 0x80000000, 0x7fc00000, 0xbf800000]);
  assert.deepEqual(u32(run('f32x4.abs', [f32bits(0xffa00001, 0x80000000, 0xff800000, 1)])), [0x7fa00001, 0, 0x7f800000, 1]);
  assert.deepEqual(u32(run('f64x2.neg', [i32(5, 0x7ff00000, 0, 0)])), [5, 0xfff00000, 0, 0x80000000]);
  assert.deepEqual(u32(run('f64x2.abs', [i32(5, 0xfff00000, 0, 0x80000000)])), [5, 0x7ff00000, 0, 0]);
});

test('rounding: ceil/floor/trunc/nearest (ties to even, sign of zero kept)', () => {
  const inp = [2.5, -2.5, 3.5, -0.5, 0.5, -0, 1.4999999, 8388609];
  const near = [2, -2, 4, -0, 0, -0, 1, 8388609];
  for (let i = 0; i < inp.length; i += 4) {
    const r = rf32(run('f32x4.nearest', [f32(...inp.slice(i, i + 4))]));
    r.forEach((x, j) => assert.ok(Object.is(x, near[i + j]), `nearest(${inp[i + j]}) = ${x}`));
  }
  const r64 = rf64(run('f64x2.nearest', [f64(4503599627370495.5, -4503599627370494.5)]));
  assert.deepEqual(r64, [4503599627370496, -4503599627370494]);
  assert.ok(Object.is(rf32(run('f32x4.ceil', [f32(-0.5)]))[0], -0));
  assert.ok(Object.is(rf32(run('f32x4.trunc', [f32(-0.9)]))[0], -0));
  assert.equal(rf32(run('f32x4.floor', [f32(-0.5)]))[0], -1);
  assert.ok(Object.is(rf64(run('f64x2.floor', [f64(-0)]))[0], -0));
  assert.ok(Object.is(rf64(run('f64x2.ceil', [f64(-0.2)]))[0], -0));
  assert.equal(rf64(run('f64x2.trunc', [f64(-1.9)]))[0], -1);
  // a signalling NaN comes out quiet
  assert.ok(isQuietNaN32(u32(run('f32x4.ceil', [f32bits(0x7f800001)]))[0]));
  const q64 = u32(run('f64x2.floor', [i32(1, 0x7ff00000, 1, 0xfff00000)]));
  assert.ok((q64[1] & 0x00080000) !== 0 && (q64[3] & 0x00080000) !== 0);
});

test('f32 arithmetic is rounded to single precision; sqrt; division by zero', () => {
  assert.equal(rf32(run('f32x4.add', [f32(16777216), f32(1)]))[0], 16777216);
  assert.equal(rf32(run('f32x4.mul', [f32(3.4028234663852886e38), f32(2)]))[0], Infinity);
  assert.equal(u32(run('f32x4.div', [f32(1), f32(3)]))[0], 0x3eaaaaab);
  assert.deepEqual(rf32(run('f32x4.div', [f32(1, -1, 0, 1), f32(0, 0, 0, -0)])).map(String), ['Infinity', '-Infinity', 'NaN', '-Infinity']);
  assert.equal(u32(run('f32x4.sqrt', [f32(2)]))[0], 0x3fb504f3);
  assert.ok(isQuietNaN32(u32(run('f32x4.sqrt', [f32(-1)]))[0]));
  assert.equal(rf64(run('f64x2.sub', [f64(0.3), f64(0.1)]))[0], 0.3 - 0.1);
  assert.ok(Object.is(rf64(run('f64x2.sqrt', [f64(-0)]))[0], -0));
});

test('conversions: trunc_sat, convert, demote/promote, *_zero, convert_low', () => {
  assert.deepEqual(s32(run('i32x4.trunc_sat_f32x4_s', [f32(NaN, 3e9, -3e9, -1.9)])), [0, 0x7fffffff, -0x80000000, -1]);
  assert.deepEqual(u32(run('i32x4.trunc_sat_f32x4_u', [f32(NaN, 4.3e9, -0.9, 4294967040)])), [0, 0xffffffff, 0, 4294967040]);
  assert.deepEqual(u32(run('i32x4.trunc_sat_f32x4_u', [f32(-Infinity, Infinity, 2147483648, 1.9)])), [0, 0xffffffff, 0x80000000, 1]);
  assert.deepEqual(s32(run('i32x4.trunc_sat_f64x2_s_zero', [f64(2147483647.9, -2147483648.9)])), [0x7fffffff, -0x80000000, 0, 0]);
  assert.deepEqual(u32(run('i32x4.trunc_sat_f64x2_u_zero', [f64(4294967295.9, NaN)])), [0xffffffff, 0, 0, 0]);
  assert.deepEqual(rf32(run('f32x4.convert_i32x4_s', [i32(16777217, -16777219, 0x7fffffff, -1)])), [16777216, -16777220, 2147483648, -1]);
  assert.deepEqual(rf32(run('f32x4.convert_i32x4_u', [i32(-1, 0x80000001, 16777217, 0)])), [4294967296, 2147483648, 16777216, 0]);
  assert.deepEqual(rf64(run('f64x2.convert_low_i32x4_s', [i32(-1, 0x80000000, 9, 9)])), [-1, -2147483648]);
  assert.deepEqual(rf64(run('f64x2.convert_low_i32x4_u', [i32(-1, 0x80000000, 9, 9)])), [4294967295, 2147483648]);
  const dem = run('f32x4.demote_f64x2_zero', [f64(1e300, 1 + 2 ** -24)]);
  assert.deepEqual(rf32(dem), [Infinity, 1, 0, 0]); // ties-to-even
  assert.equal(rf32(run('f32x4.demote_f64x2_zero', [f64(1 + 2 ** -24 + 2 ** -50, -0)]))[0], 1 + 2 ** -23);
  assert.ok(Object.is(rf32(run('f32x4.demote_f64x2_zero', [f64(1, -0)]))[1], -0));
  const pro = run('f64x2.promote_low_f32x4', [f32bits(0x7f800001, 0x3f800000, 0, 0)]);
  assert.ok(Number.isNaN(rf64(pro)[0]) && (u32(pro)[1] & 0x00080000) !== 0);
  assert.equal(rf64(pro)[1], 1);
});

// ---- memory -----------------------------------------------------------------------------------------

test('memory instructions: extending loads, splats, zero loads, lanes, stores', () => {
  const mem = new Uint8Array(64);
  const memDv = new DataView(mem.buffer);
  for (let i = 0; i < 64; i++) mem[i] = (0x80 + i * 7) & 0xff;
  const load = (name: string, addr: number, lane = 0, prev?: Uint8Array) => {
    U8.fill(0xcc);
    if (prev) U8.set(prev, A);
    execSimdMem(id(name), views, D, A, mem, memDv, addr, lane);
    return U8.slice(D, D + 16);
  };
  assert.deepEqual(u8(load('v128.load', 3)), [...mem.slice(3, 19)]);
  assert.deepEqual(s16(load('v128.load8x8_s', 0)), [...new Int8Array(mem.buffer, 0, 8)]);
  assert.deepEqual(s16(load('v128.load8x8_u', 0)), [...mem.slice(0, 8)]);
  assert.deepEqual(s32(load('v128.load16x4_s', 1)), [0, 1, 2, 3].map((i) => memDv.getInt16(1 + 2 * i, true)));
  assert.deepEqual(s32(load('v128.load16x4_u', 1)), [0, 1, 2, 3].map((i) => memDv.getUint16(1 + 2 * i, true)));
  assert.deepEqual(s64(load('v128.load32x2_s', 4)), [0, 1].map((i) => BigInt(memDv.getInt32(4 + 4 * i, true))));
  assert.deepEqual(s64(load('v128.load32x2_u', 4)), [0, 1].map((i) => BigInt(memDv.getUint32(4 + 4 * i, true))));
  assert.deepEqual(u8(load('v128.load8_splat', 5)), Array(16).fill(mem[5]));
  assert.deepEqual(u16(load('v128.load16_splat', 5)), Array(8).fill(memDv.getUint16(5, true)));
  assert.deepEqual(u32(load('v128.load32_splat', 5)), Array(4).fill(memDv.getUint32(5, true)));
  assert.deepEqual(s64(load('v128.load64_splat', 5)), Array(2).fill(memDv.getBigInt64(5, true)));
  assert.deepEqual(u32(load('v128.load32_zero', 9)), [memDv.getUint32(9, true), 0, 0, 0]);
  assert.deepEqual(s64(load('v128.load64_zero', 9)), [memDv.getBigInt64(9, true), 0n]);
  const prev = i8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
  const l8 = u8(load('v128.load8_lane', 20, 15, prev));
  assert.deepEqual(l8, [...prev.slice(0, 15), mem[20]]);
  const l16 = load('v128.load16_lane', 20, 3, prev);
  assert.deepEqual(u8(l16), [...prev.slice(0, 6), mem[20], mem[21], ...prev.slice(8)]);
  const l32 = load('v128.load32_lane', 20, 1, prev);
  assert.deepEqual(u8(l32), [...prev.slice(0, 4), ...mem.slice(20, 24), ...prev.slice(8)]);
  const l64 = load('v128.load64_lane', 20, 1, prev);
  assert.deepEqual(u8(l64), [...prev.slice(0, 8), ...mem.slice(20, 28)]);
  // load lane in place (dst === operand)
  U8.set(prev, A);
  execSimdMem(id('v128.load32_lane'), views, A, A, mem, memDv, 20, 0);
  assert.deepEqual(u8(U8.slice(A, A + 16)), [...mem.slice(20, 24), ...prev.slice(4)]);

  const store = (name: string, addr: number, lane = 0) => {
    mem.fill(0);
    U8.set(prev, A);
    execSimdMem(id(name), views, D, A, mem, memDv, addr, lane);
    return [...mem.slice(0, 32)];
  };
  const z = (n: number) => Array(n).fill(0);
  assert.deepEqual(store('v128.store', 7), [...z(7), ...prev, ...z(9)]);
  assert.deepEqual(store('v128.store8_lane', 7, 15), [...z(7), 16, ...z(24)]);
  assert.deepEqual(store('v128.store16_lane', 7, 7), [...z(7), 15, 16, ...z(23)]);
  assert.deepEqual(store('v128.store32_lane', 7, 2), [...z(7), 9, 10, 11, 12, ...z(21)]);
  assert.deepEqual(store('v128.store64_lane', 7, 1), [...z(7), 9, 10, 11, 12, 13, 14, 15, 16, ...z(17)]);
});
