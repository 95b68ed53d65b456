// Semantics of the 236 SIMD (0xFD-prefixed) instructions for the interpreter.
//
// The interpreter's value stack is one ArrayBuffer; a v128 occupies 16 bytes (two 8-byte slots), lanes
// little-endian. The functions here receive BYTE offsets into that buffer. Every operand is first
// copied into module-level scratch vectors (so the result may overwrite an operand), the result is
// computed into a scratch vector and then copied to the destination. Floats are only ever moved as
// integer bits, so NaN payloads survive splat/extract/replace/abs/neg/pmin/pmax.
//
// Dispatch: the dense opcode id (engine/core/opcodes.ts) is mapped to a local index `K` through a
// table built from the opcode names. execSimd then calls a small per-instruction function from a table
// indexed by K (execSimdMem, with only 22 cases, uses one switch). Measured on Node 20: one function
// with a 236-case switch took ~1 s to optimize in TurboFan and was deoptimized (and recompiled) each
// time a not-yet-seen instruction first ran; a program introducing instructions gradually ran ~4x
// slower than with the table, where each small function is optimized once and independently.

import { OPS } from '../core/opcodes';

/** Views over the interpreter's value-stack buffer. Build it with `makeSimdViews`. */
export interface SimdViews {
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly dv: DataView;
}

export function makeSimdViews(buf: ArrayBuffer): SimdViews {
  return {
    u8: new Uint8Array(buf),
    i32: new Int32Array(buf, 0, buf.byteLength >> 2),
    f32: new Float32Array(buf, 0, buf.byteLength >> 2),
    f64: new Float64Array(buf, 0, buf.byteLength >> 3),
    dv: new DataView(buf),
  };
}

/** Local indices of the SIMD instructions; each member is the opcode name with '.' replaced by '_'. */
enum K {
  v128_load, v128_load8x8_s, v128_load8x8_u, v128_load16x4_s, v128_load16x4_u, v128_load32x2_s,
  v128_load32x2_u, v128_load8_splat, v128_load16_splat, v128_load32_splat, v128_load64_splat, v128_store,
  v128_const, i8x16_shuffle, i8x16_swizzle, i8x16_splat, i16x8_splat, i32x4_splat, i64x2_splat, f32x4_splat,
  f64x2_splat, i8x16_extract_lane_s, i8x16_extract_lane_u, i8x16_replace_lane, i16x8_extract_lane_s,
  i16x8_extract_lane_u, i16x8_replace_lane, i32x4_extract_lane, i32x4_replace_lane, i64x2_extract_lane,
  i64x2_replace_lane, f32x4_extract_lane, f32x4_replace_lane, f64x2_extract_lane, f64x2_replace_lane,
  i8x16_eq, i8x16_ne, i8x16_lt_s, i8x16_lt_u, i8x16_gt_s, i8x16_gt_u, i8x16_le_s, i8x16_le_u, i8x16_ge_s,
  i8x16_ge_u, i16x8_eq, i16x8_ne, i16x8_lt_s, i16x8_lt_u, i16x8_gt_s, i16x8_gt_u, i16x8_le_s, i16x8_le_u,
  i16x8_ge_s, i16x8_ge_u, i32x4_eq, i32x4_ne, i32x4_lt_s, i32x4_lt_u, i32x4_gt_s, i32x4_gt_u, i32x4_le_s,
  i32x4_le_u, i32x4_ge_s, i32x4_ge_u, f32x4_eq, f32x4_ne, f32x4_lt, f32x4_gt, f32x4_le, f32x4_ge, f64x2_eq,
  f64x2_ne, f64x2_lt, f64x2_gt, f64x2_le, f64x2_ge, v128_not, v128_and, v128_andnot, v128_or, v128_xor,
  v128_bitselect, v128_any_true, v128_load8_lane, v128_load16_lane, v128_load32_lane, v128_load64_lane,
  v128_store8_lane, v128_store16_lane, v128_store32_lane, v128_store64_lane, v128_load32_zero,
  v128_load64_zero, f32x4_demote_f64x2_zero, f64x2_promote_low_f32x4, i8x16_abs, i8x16_neg, i8x16_popcnt,
  i8x16_all_true, i8x16_bitmask, i8x16_narrow_i16x8_s, i8x16_narrow_i16x8_u, f32x4_ceil, f32x4_floor,
  f32x4_trunc, f32x4_nearest, i8x16_shl, i8x16_shr_s, i8x16_shr_u, i8x16_add, i8x16_add_sat_s,
  i8x16_add_sat_u, i8x16_sub, i8x16_sub_sat_s, i8x16_sub_sat_u, f64x2_ceil, f64x2_floor, i8x16_min_s,
  i8x16_min_u, i8x16_max_s, i8x16_max_u, f64x2_trunc, i8x16_avgr_u, i16x8_extadd_pairwise_i8x16_s,
  i16x8_extadd_pairwise_i8x16_u, i32x4_extadd_pairwise_i16x8_s, i32x4_extadd_pairwise_i16x8_u, i16x8_abs,
  i16x8_neg, i16x8_q15mulr_sat_s, i16x8_all_true, i16x8_bitmask, i16x8_narrow_i32x4_s, i16x8_narrow_i32x4_u,
  i16x8_extend_low_i8x16_s, i16x8_extend_high_i8x16_s, i16x8_extend_low_i8x16_u, i16x8_extend_high_i8x16_u,
  i16x8_shl, i16x8_shr_s, i16x8_shr_u, i16x8_add, i16x8_add_sat_s, i16x8_add_sat_u, i16x8_sub,
  i16x8_sub_sat_s, i16x8_sub_sat_u, f64x2_nearest, i16x8_mul, i16x8_min_s, i16x8_min_u, i16x8_max_s,
  i16x8_max_u, i16x8_avgr_u, i16x8_extmul_low_i8x16_s, i16x8_extmul_high_i8x16_s, i16x8_extmul_low_i8x16_u,
  i16x8_extmul_high_i8x16_u, i32x4_abs, i32x4_neg, i32x4_all_true, i32x4_bitmask, i32x4_extend_low_i16x8_s,
  i32x4_extend_high_i16x8_s, i32x4_extend_low_i16x8_u, i32x4_extend_high_i16x8_u, i32x4_shl, i32x4_shr_s,
  i32x4_shr_u, i32x4_add, i32x4_sub, i32x4_mul, i32x4_min_s, i32x4_min_u, i32x4_max_s, i32x4_max_u,
  i32x4_dot_i16x8_s, i32x4_extmul_low_i16x8_s, i32x4_extmul_high_i16x8_s, i32x4_extmul_low_i16x8_u,
  i32x4_extmul_high_i16x8_u, i64x2_abs, i64x2_neg, i64x2_all_true, i64x2_bitmask, i64x2_extend_low_i32x4_s,
  i64x2_extend_high_i32x4_s, i64x2_extend_low_i32x4_u, i64x2_extend_high_i32x4_u, i64x2_shl, i64x2_shr_s,
  i64x2_shr_u, i64x2_add, i64x2_sub, i64x2_mul, i64x2_eq, i64x2_ne, i64x2_lt_s, i64x2_gt_s, i64x2_le_s,
  i64x2_ge_s, i64x2_extmul_low_i32x4_s, i64x2_extmul_high_i32x4_s, i64x2_extmul_low_i32x4_u,
  i64x2_extmul_high_i32x4_u, f32x4_abs, f32x4_neg, f32x4_sqrt, f32x4_add, f32x4_sub, f32x4_mul, f32x4_div,
  f32x4_min, f32x4_max, f32x4_pmin, f32x4_pmax, f64x2_abs, f64x2_neg, f64x2_sqrt, f64x2_add, f64x2_sub,
  f64x2_mul, f64x2_div, f64x2_min, f64x2_max, f64x2_pmin, f64x2_pmax, i32x4_trunc_sat_f32x4_s,
  i32x4_trunc_sat_f32x4_u, f32x4_convert_i32x4_s, f32x4_convert_i32x4_u, i32x4_trunc_sat_f64x2_s_zero,
  i32x4_trunc_sat_f64x2_u_zero, f64x2_convert_low_i32x4_s, f64x2_convert_low_i32x4_u,
}

/** Dense opcode id -> K (or -1 when not a SIMD instruction). */
const LOCAL = new Int16Array(OPS.length).fill(-1);
/** K -> number of v128 operands to preload into A, B, C (0..3). */
const VARGS = new Uint8Array(256);
for (const info of OPS) {
  if (info.prefix !== 0xfd) continue;
  const k = (K as unknown as Record<string, number | undefined>)[info.name.replace(/\./g, '_')];
  if (k === undefined) throw new Error(`simd.ts has no semantics for ${info.name}`);
  LOCAL[info.id] = k;
  let n = 0;
  for (const p of info.params ?? []) if (p === 'v128') n++;
  VARGS[k] = n;
}

/** True when `op` is a SIMD instruction known to this module (for the translator's assertions). */
export function isSimdOp(op: number): boolean {
  return op >= 0 && op < LOCAL.length && LOCAL[op] >= 0;
}

// ---- scratch vectors ----------------------------------------------------------------------------
const A32 = new Int32Array(4), AU32 = new Uint32Array(A32.buffer);
const A8 = new Int8Array(A32.buffer), AU8 = new Uint8Array(A32.buffer);
const A16 = new Int16Array(A32.buffer), AU16 = new Uint16Array(A32.buffer);
const AF32 = new Float32Array(A32.buffer), AF64 = new Float64Array(A32.buffer);
const B32 = new Int32Array(4), BU32 = new Uint32Array(B32.buffer);
const B8 = new Int8Array(B32.buffer), BU8 = new Uint8Array(B32.buffer);
const B16 = new Int16Array(B32.buffer), BU16 = new Uint16Array(B32.buffer);
const BF32 = new Float32Array(B32.buffer), BF64 = new Float64Array(B32.buffer);
const C32 = new Int32Array(4);
const R32 = new Int32Array(4), RU32 = new Uint32Array(R32.buffer);
const R8 = new Int8Array(R32.buffer), RU8 = new Uint8Array(R32.buffer);
const R16 = new Int16Array(R32.buffer), RU16 = new Uint16Array(R32.buffer);
const RF32 = new Float32Array(R32.buffer), RF64 = new Float64Array(R32.buffer);

const POPCNT8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCNT8[i] = (i & 1) + POPCNT8[i >> 1];

const TWO32 = 4294967296;

// ---- scalar helpers -----------------------------------------------------------------------------
function satS8(x: number): number { return x < -128 ? -128 : x > 127 ? 127 : x; }
function satU8(x: number): number { return x < 0 ? 0 : x > 255 ? 255 : x; }
function satS16(x: number): number { return x < -32768 ? -32768 : x > 32767 ? 32767 : x; }
function satU16(x: number): number { return x < 0 ? 0 : x > 65535 ? 65535 : x; }

/** The host's default NaN: what the CPU produces for an invalid operation (x86-64: negative, 0xFFF8…;
 *  AArch64: positive, 0x7FF8…), computed at load from typed-array operands so it cannot be folded.
 *  V8's own SIMD min/max return exactly this NaN, and the scalar paths (plain JS arithmetic) produce it
 *  too, so every NaN the engine makes up is the same one on a given host. */
const HOST_NAN = (() => { const z = new Float64Array(1); return z[0] / z[0]; })();
/** NaN results must be quiet ("arithmetic") NaNs; Math.ceil & co. pass a signalling NaN through. */
function q(x: number): number { return x === x ? x : HOST_NAN; }
/** x86 hosts (default NaN negative): V8's f32x4/f64x2 max merges maxps/maxpd in both operand orders and
 *  a subtraction, so a NaN lane comes out canonical with the OR of the operands' signs (min always gives
 *  the default NaN). Elsewhere the NaN is the host's default one. */
const NAN_SIGN_OR = (() => { const f = new Float64Array([HOST_NAN]); return new Int32Array(f.buffer)[1] < 0; })();
/** NaN lanes of the rounding ops (roundps/roundpd, frint*): the input NaN quieted, sign and payload kept.
 *  Done on the integer view: `x + 0` could be folded away once the compiler knows x is NaN. */
function rnd32(r: number, i: number): void { if (r === r) RF32[i] = r; else R32[i] = A32[i] | 0x400000; }
function rnd64(r: number, i: number): void {
  if (r === r) RF64[i] = r; else { R32[2 * i] = A32[2 * i]; R32[2 * i + 1] = A32[2 * i + 1] | 0x80000; }
}
/** NaN lanes of add/sub/mul/div as x86 gives them: the first operand's NaN quieted, else the second's, else
 *  the default NaN. JS arithmetic leaves the choice between two NaN operands to the JIT (it may commute). */
function bin32(r: number, i: number): void {
  if (r === r) RF32[i] = r;
  else if (AF32[i] !== AF32[i]) R32[i] = A32[i] | 0x400000;
  else if (BF32[i] !== BF32[i]) R32[i] = B32[i] | 0x400000;
  else RF32[i] = HOST_NAN;
}
function bin64(r: number, i: number): void {
  if (r === r) RF64[i] = r;
  else if (AF64[i] !== AF64[i]) { R32[2 * i] = A32[2 * i]; R32[2 * i + 1] = A32[2 * i + 1] | 0x80000; }
  else if (BF64[i] !== BF64[i]) { R32[2 * i] = B32[2 * i]; R32[2 * i + 1] = B32[2 * i + 1] | 0x80000; }
  else RF64[i] = HOST_NAN;
}

/** Round to nearest integer, ties to even; keeps the sign of zero; NaN and infinities pass through. */
function nearest(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return x;
  const f = Math.floor(x);
  const d = x - f; // exact: the fractional part of a double is representable
  let r: number;
  if (d < 0.5) r = f;
  else if (d > 0.5) r = f + 1;
  else r = f % 2 === 0 ? f : f + 1;
  return r === 0 && x < 0 ? -0 : r;
}

function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return Math.trunc(x) | 0;
}
function truncSatU32(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

/** Unsigned 32x32 -> 64-bit product of `a` and `b` (any int32/uint32 bit patterns) into out[i], out[i+1]. */
function umul64(a: number, b: number, out: Int32Array, i: number): void {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const mid = a1 * b0 + a0 * b1;                  // < 2^33, exact
  const low = a0 * b0 + (mid & 0xffff) * 65536;   // < 2^33, exact
  out[i] = low;                                   // stored modulo 2^32
  out[i + 1] = a1 * b1 + Math.floor(mid / 65536) + Math.floor(low / TWO32);
}

/** Signed 32x32 -> 64-bit product. */
function smul64(a: number, b: number, out: Int32Array, i: number): void {
  umul64(a, b, out, i);
  let hi = out[i + 1];
  if (a < 0) hi -= b;
  if (b < 0) hi -= a;
  out[i + 1] = hi;
}

/** Low 64 bits of a 64x64 product: (alo, ahi) * (blo, bhi) into out[i], out[i+1]. */
function mul64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array, i: number): void {
  umul64(alo, blo, out, i);
  out[i + 1] = out[i + 1] + Math.imul(alo, bhi) + Math.imul(ahi, blo);
}

/** 64-bit signed less-than on (lo, hi) int32 pairs. */
function lt64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi < bhi || (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

function shl64(lo: number, hi: number, n: number, out: Int32Array, i: number): void {
  if (n === 0) { out[i] = lo; out[i + 1] = hi; }
  else if (n < 32) { out[i] = lo << n; out[i + 1] = (hi << n) | (lo >>> (32 - n)); }
  else { out[i] = 0; out[i + 1] = lo << (n - 32); }
}
function shrS64(lo: number, hi: number, n: number, out: Int32Array, i: number): void {
  if (n === 0) { out[i] = lo; out[i + 1] = hi; }
  else if (n < 32) { out[i] = (lo >>> n) | (hi << (32 - n)); out[i + 1] = hi >> n; }
  else { out[i] = hi >> (n - 32); out[i + 1] = hi >> 31; }
}
function shrU64(lo: number, hi: number, n: number, out: Int32Array, i: number): void {
  if (n === 0) { out[i] = lo; out[i + 1] = hi; }
  else if (n < 32) { out[i] = (lo >>> n) | (hi << (32 - n)); out[i + 1] = hi >>> n; }
  else { out[i] = hi >>> (n - 32); out[i + 1] = 0; }
}

// ---- non-memory instructions --------------------------------------------------------------------

/** Per-instruction implementations, indexed by K. Arguments: the stack's Int32Array, the destination
 *  as an int32 index, the byte offsets of the first two operands (for scalar operands), and the
 *  immediates. v128 operands are preloaded into A/B/C; a v128 result is left in R (see VRES). */
type SimdFn = (i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number) => void;

function v128_const(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = imm[p]; R32[1] = imm[p + 1]; R32[2] = imm[p + 2]; R32[3] = imm[p + 3];
}
function i8x16_shuffle(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, l = 0;
  for (i = 0; i < 16; i++) {
    l = (imm[p + (i >> 2)] >>> ((i & 3) << 3)) & 31;
    RU8[i] = l < 16 ? AU8[l] : BU8[l - 16];
  }
}
function i8x16_swizzle(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, l = 0;
  for (i = 0; i < 16; i++) { l = BU8[i]; RU8[i] = l < 16 ? AU8[l] : 0; }
}

// splat
function i8x16_splat(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = i32[a >> 2] & 0xff;
  x |= x << 8; x |= x << 16;
  R32[0] = R32[1] = R32[2] = R32[3] = x;
}
function i16x8_splat(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = i32[a >> 2] & 0xffff;
  x |= x << 16;
  R32[0] = R32[1] = R32[2] = R32[3] = x;
}
function i32x4_splat(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = R32[1] = R32[2] = R32[3] = i32[a >> 2];
}
function i64x2_splat(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = R32[2] = i32[a >> 2];
  R32[1] = R32[3] = i32[(a >> 2) + 1];
}

// lanes
function i8x16_extract_lane_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = A8[imm[p] & 15];
}
function i8x16_extract_lane_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = AU8[imm[p] & 15];
}
function i16x8_extract_lane_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = A16[imm[p] & 7];
}
function i16x8_extract_lane_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = AU16[imm[p] & 7];
}
function i32x4_extract_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = A32[imm[p] & 3];
}
function i64x2_extract_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let l = (imm[p] & 1) << 1;
  i32[d] = A32[l]; i32[d + 1] = A32[l + 1];
}
function i8x16_replace_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  AU8[imm[p] & 15] = i32[b >> 2];
  i32[d] = A32[0]; i32[d + 1] = A32[1]; i32[d + 2] = A32[2]; i32[d + 3] = A32[3];
}
function i16x8_replace_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  AU16[imm[p] & 7] = i32[b >> 2];
  i32[d] = A32[0]; i32[d + 1] = A32[1]; i32[d + 2] = A32[2]; i32[d + 3] = A32[3];
}
function i32x4_replace_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  A32[imm[p] & 3] = i32[b >> 2];
  i32[d] = A32[0]; i32[d + 1] = A32[1]; i32[d + 2] = A32[2]; i32[d + 3] = A32[3];
}
function i64x2_replace_lane(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let l = (imm[p] & 1) << 1;
  A32[l] = i32[b >> 2]; A32[l + 1] = i32[(b >> 2) + 1];
  i32[d] = A32[0]; i32[d + 1] = A32[1]; i32[d + 2] = A32[2]; i32[d + 3] = A32[3];
}

// i8x16 comparisons
function i8x16_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] === B8[i] ? -1 : 0;
}
function i8x16_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] !== B8[i] ? -1 : 0;
}
function i8x16_lt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] < B8[i] ? -1 : 0;
}
function i8x16_lt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = AU8[i] < BU8[i] ? -1 : 0;
}
function i8x16_gt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] > B8[i] ? -1 : 0;
}
function i8x16_gt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = AU8[i] > BU8[i] ? -1 : 0;
}
function i8x16_le_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] <= B8[i] ? -1 : 0;
}
function i8x16_le_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = AU8[i] <= BU8[i] ? -1 : 0;
}
function i8x16_ge_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] >= B8[i] ? -1 : 0;
}
function i8x16_ge_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = AU8[i] >= BU8[i] ? -1 : 0;
}

// i16x8 comparisons
function i16x8_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] === B16[i] ? -1 : 0;
}
function i16x8_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] !== B16[i] ? -1 : 0;
}
function i16x8_lt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] < B16[i] ? -1 : 0;
}
function i16x8_lt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU16[i] < BU16[i] ? -1 : 0;
}
function i16x8_gt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] > B16[i] ? -1 : 0;
}
function i16x8_gt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU16[i] > BU16[i] ? -1 : 0;
}
function i16x8_le_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] <= B16[i] ? -1 : 0;
}
function i16x8_le_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU16[i] <= BU16[i] ? -1 : 0;
}
function i16x8_ge_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] >= B16[i] ? -1 : 0;
}
function i16x8_ge_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU16[i] >= BU16[i] ? -1 : 0;
}

// i32x4 comparisons
function i32x4_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] === B32[i] ? -1 : 0;
}
function i32x4_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] !== B32[i] ? -1 : 0;
}
function i32x4_lt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] < B32[i] ? -1 : 0;
}
function i32x4_lt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU32[i] < BU32[i] ? -1 : 0;
}
function i32x4_gt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] > B32[i] ? -1 : 0;
}
function i32x4_gt_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU32[i] > BU32[i] ? -1 : 0;
}
function i32x4_le_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] <= B32[i] ? -1 : 0;
}
function i32x4_le_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU32[i] <= BU32[i] ? -1 : 0;
}
function i32x4_ge_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] >= B32[i] ? -1 : 0;
}
function i32x4_ge_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU32[i] >= BU32[i] ? -1 : 0;
}

// f32x4 comparisons
function f32x4_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] === BF32[i] ? -1 : 0;
}
function f32x4_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] !== BF32[i] ? -1 : 0;
}
function f32x4_lt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] < BF32[i] ? -1 : 0;
}
function f32x4_gt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] > BF32[i] ? -1 : 0;
}
function f32x4_le(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] <= BF32[i] ? -1 : 0;
}
function f32x4_ge(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] >= BF32[i] ? -1 : 0;
}

// f64x2 comparisons
function f64x2_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] === BF64[i] ? -1 : 0;
}
function f64x2_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] !== BF64[i] ? -1 : 0;
}
function f64x2_lt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] < BF64[i] ? -1 : 0;
}
function f64x2_gt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] > BF64[i] ? -1 : 0;
}
function f64x2_le(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] <= BF64[i] ? -1 : 0;
}
function f64x2_ge(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 2; i++) R32[2 * i] = R32[2 * i + 1] = AF64[i] >= BF64[i] ? -1 : 0;
}

// bitwise
function v128_not(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = ~A32[i];
}
function v128_and(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] & B32[i];
}
function v128_andnot(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] & ~B32[i];
}
function v128_or(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] | B32[i];
}
function v128_xor(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] ^ B32[i];
}
function v128_bitselect(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = (A32[i] & C32[i]) | (B32[i] & ~C32[i]);
}
function v128_any_true(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = (A32[0] | A32[1] | A32[2] | A32[3]) !== 0 ? 1 : 0;
}

// float conversions between shapes
function f32x4_demote_f64x2_zero(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  // cvtpd2ps: a NaN keeps its sign and the top 22 bits of its payload, quiet bit set
  let i = 0, x = 0;
  for (i = 0; i < 2; i++) {
    x = AF64[i];
    if (x === x) RF32[i] = x;
    else R32[i] = (A32[2 * i + 1] & -0x80000000) | 0x7fc00000 | ((A32[2 * i + 1] & 0xfffff) << 3) | (A32[2 * i] >>> 29);
  }
  R32[2] = 0; R32[3] = 0;
}
function f64x2_promote_low_f32x4(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  // cvtps2pd: a NaN keeps its sign and payload (shifted up), quiet bit set
  let x = AF32[0], y = 0;
  y = AF32[1];
  if (x === x) RF64[0] = x; else { R32[0] = A32[0] << 29; R32[1] = (A32[0] & -0x80000000) | 0x7ff80000 | ((A32[0] & 0x7fffff) >>> 3); }
  if (y === y) RF64[1] = y; else { R32[2] = A32[1] << 29; R32[3] = (A32[1] & -0x80000000) | 0x7ff80000 | ((A32[1] & 0x7fffff) >>> 3); }
}

// i8x16 arithmetic
function i8x16_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 16; i++) { x = A8[i]; R8[i] = x < 0 ? -x : x; }
}
function i8x16_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = -A8[i];
}
function i8x16_popcnt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = POPCNT8[AU8[i]];
}
function i8x16_all_true(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 1;
  for (i = 0; i < 16; i++) if (AU8[i] === 0) { x = 0; break; }
  i32[d] = x;
}
function i8x16_bitmask(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 16; i++) if (A8[i] < 0) x |= 1 << i;
  i32[d] = x;
}
function i8x16_narrow_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) { R8[i] = satS8(A16[i]); R8[i + 8] = satS8(B16[i]); }
}
function i8x16_narrow_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) { RU8[i] = satU8(A16[i]); RU8[i + 8] = satU8(B16[i]); }
}
function i8x16_shl(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 7;
  for (i = 0; i < 16; i++) R8[i] = A8[i] << x;
}
function i8x16_shr_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 7;
  for (i = 0; i < 16; i++) R8[i] = A8[i] >> x;
}
function i8x16_shr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 7;
  for (i = 0; i < 16; i++) RU8[i] = AU8[i] >>> x;
}
function i8x16_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] + B8[i];
}
function i8x16_add_sat_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = satS8(A8[i] + B8[i]);
}
function i8x16_add_sat_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = satU8(AU8[i] + BU8[i]);
}
function i8x16_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] - B8[i];
}
function i8x16_sub_sat_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = satS8(A8[i] - B8[i]);
}
function i8x16_sub_sat_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = satU8(AU8[i] - BU8[i]);
}
function i8x16_min_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] < B8[i] ? A8[i] : B8[i];
}
function i8x16_min_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = AU8[i] < BU8[i] ? AU8[i] : BU8[i];
}
function i8x16_max_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) R8[i] = A8[i] > B8[i] ? A8[i] : B8[i];
}
function i8x16_max_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = AU8[i] > BU8[i] ? AU8[i] : BU8[i];
}
function i8x16_avgr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 16; i++) RU8[i] = (AU8[i] + BU8[i] + 1) >>> 1;
}

// i16x8 arithmetic
function i16x8_extadd_pairwise_i8x16_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A8[2 * i] + A8[2 * i + 1];
}
function i16x8_extadd_pairwise_i8x16_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU8[2 * i] + AU8[2 * i + 1];
}
function i16x8_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 8; i++) { x = A16[i]; R16[i] = x < 0 ? -x : x; }
}
function i16x8_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = -A16[i];
}
function i16x8_q15mulr_sat_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = satS16((A16[i] * B16[i] + 0x4000) >> 15);
}
function i16x8_all_true(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 1;
  for (i = 0; i < 8; i++) if (AU16[i] === 0) { x = 0; break; }
  i32[d] = x;
}
function i16x8_bitmask(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 8; i++) if (A16[i] < 0) x |= 1 << i;
  i32[d] = x;
}
function i16x8_narrow_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) { R16[i] = satS16(A32[i]); R16[i + 4] = satS16(B32[i]); }
}
function i16x8_narrow_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) { RU16[i] = satU16(A32[i]); RU16[i + 4] = satU16(B32[i]); }
}
function i16x8_extend_low_i8x16_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A8[i];
}
function i16x8_extend_high_i8x16_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A8[i + 8];
}
function i16x8_extend_low_i8x16_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU8[i];
}
function i16x8_extend_high_i8x16_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = AU8[i + 8];
}
function i16x8_shl(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 15;
  for (i = 0; i < 8; i++) R16[i] = A16[i] << x;
}
function i16x8_shr_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 15;
  for (i = 0; i < 8; i++) R16[i] = A16[i] >> x;
}
function i16x8_shr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 15;
  for (i = 0; i < 8; i++) RU16[i] = AU16[i] >>> x;
}
function i16x8_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] + B16[i];
}
function i16x8_add_sat_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = satS16(A16[i] + B16[i]);
}
function i16x8_add_sat_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = satU16(AU16[i] + BU16[i]);
}
function i16x8_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] - B16[i];
}
function i16x8_sub_sat_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = satS16(A16[i] - B16[i]);
}
function i16x8_sub_sat_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = satU16(AU16[i] - BU16[i]);
}
function i16x8_mul(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = Math.imul(A16[i], B16[i]);
}
function i16x8_min_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] < B16[i] ? A16[i] : B16[i];
}
function i16x8_min_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = AU16[i] < BU16[i] ? AU16[i] : BU16[i];
}
function i16x8_max_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A16[i] > B16[i] ? A16[i] : B16[i];
}
function i16x8_max_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = AU16[i] > BU16[i] ? AU16[i] : BU16[i];
}
function i16x8_avgr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = (AU16[i] + BU16[i] + 1) >>> 1;
}
function i16x8_extmul_low_i8x16_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A8[i] * B8[i];
}
function i16x8_extmul_high_i8x16_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) R16[i] = A8[i + 8] * B8[i + 8];
}
function i16x8_extmul_low_i8x16_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = AU8[i] * BU8[i];
}
function i16x8_extmul_high_i8x16_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 8; i++) RU16[i] = AU8[i + 8] * BU8[i + 8];
}

// i32x4 arithmetic
function i32x4_extadd_pairwise_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[2 * i] + A16[2 * i + 1];
}
function i32x4_extadd_pairwise_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU16[2 * i] + AU16[2 * i + 1];
}
function i32x4_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 4; i++) { x = A32[i]; R32[i] = x < 0 ? -x : x; }
}
function i32x4_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = -A32[i];
}
function i32x4_all_true(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = A32[0] !== 0 && A32[1] !== 0 && A32[2] !== 0 && A32[3] !== 0 ? 1 : 0;
}
function i32x4_bitmask(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = (A32[0] >>> 31) | ((A32[1] >>> 31) << 1) | ((A32[2] >>> 31) << 2) | ((A32[3] >>> 31) << 3);
}
function i32x4_extend_low_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[i];
}
function i32x4_extend_high_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[i + 4];
}
function i32x4_extend_low_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU16[i];
}
function i32x4_extend_high_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU16[i + 4];
}
function i32x4_shl(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 31;
  for (i = 0; i < 4; i++) R32[i] = A32[i] << x;
}
function i32x4_shr_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 31;
  for (i = 0; i < 4; i++) R32[i] = A32[i] >> x;
}
function i32x4_shr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = i32[b >> 2] & 31;
  for (i = 0; i < 4; i++) R32[i] = A32[i] >>> x;
}
function i32x4_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] + B32[i];
}
function i32x4_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] - B32[i];
}
function i32x4_mul(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = Math.imul(A32[i], B32[i]);
}
function i32x4_min_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] < B32[i] ? A32[i] : B32[i];
}
function i32x4_min_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RU32[i] = AU32[i] < BU32[i] ? AU32[i] : BU32[i];
}
function i32x4_max_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] > B32[i] ? A32[i] : B32[i];
}
function i32x4_max_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RU32[i] = AU32[i] > BU32[i] ? AU32[i] : BU32[i];
}
function i32x4_dot_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[2 * i] * B16[2 * i] + A16[2 * i + 1] * B16[2 * i + 1];
}
function i32x4_extmul_low_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[i] * B16[i];
}
function i32x4_extmul_high_i16x8_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A16[i + 4] * B16[i + 4];
}
function i32x4_extmul_low_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU16[i] * BU16[i];
}
function i32x4_extmul_high_i16x8_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AU16[i + 4] * BU16[i + 4];
}

// i64x2 arithmetic (lanes as lo/hi int32 pairs)
function i64x2_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0, y = 0;
  for (i = 0; i < 4; i += 2) {
    x = A32[i]; y = A32[i + 1];
    if (y < 0) { R32[i] = -x; R32[i + 1] = ~y + (x === 0 ? 1 : 0); }
    else { R32[i] = x; R32[i + 1] = y; }
  }
}
function i64x2_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 4; i += 2) { x = A32[i]; R32[i] = -x; R32[i + 1] = ~A32[i + 1] + (x === 0 ? 1 : 0); }
}
function i64x2_all_true(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = (A32[0] | A32[1]) !== 0 && (A32[2] | A32[3]) !== 0 ? 1 : 0;
}
function i64x2_bitmask(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  i32[d] = (A32[1] >>> 31) | ((A32[3] >>> 31) << 1);
}
function i64x2_extend_low_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[0]; R32[1] = A32[0] >> 31; R32[2] = A32[1]; R32[3] = A32[1] >> 31;
}
function i64x2_extend_high_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[2]; R32[1] = A32[2] >> 31; R32[2] = A32[3]; R32[3] = A32[3] >> 31;
}
function i64x2_extend_low_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[0]; R32[1] = 0; R32[2] = A32[1]; R32[3] = 0;
}
function i64x2_extend_high_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[2]; R32[1] = 0; R32[2] = A32[3]; R32[3] = 0;
}
function i64x2_shl(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = i32[b >> 2] & 63;
  shl64(A32[0], A32[1], x, R32, 0); shl64(A32[2], A32[3], x, R32, 2);
}
function i64x2_shr_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = i32[b >> 2] & 63;
  shrS64(A32[0], A32[1], x, R32, 0); shrS64(A32[2], A32[3], x, R32, 2);
}
function i64x2_shr_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = i32[b >> 2] & 63;
  shrU64(A32[0], A32[1], x, R32, 0); shrU64(A32[2], A32[3], x, R32, 2);
}
function i64x2_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 4; i += 2) {
    x = AU32[i] + BU32[i];
    R32[i] = x;
    R32[i + 1] = A32[i + 1] + B32[i + 1] + (x >= TWO32 ? 1 : 0);
  }
}
function i64x2_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, x = 0;
  for (i = 0; i < 4; i += 2) {
    x = AU32[i] - BU32[i];
    R32[i] = x;
    R32[i + 1] = A32[i + 1] - B32[i + 1] - (x < 0 ? 1 : 0);
  }
}
function i64x2_mul(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  mul64(A32[0], A32[1], B32[0], B32[1], R32, 0); mul64(A32[2], A32[3], B32[2], B32[3], R32, 2);
}
function i64x2_eq(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = A32[i] === B32[i] && A32[i + 1] === B32[i + 1] ? -1 : 0;
}
function i64x2_ne(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = A32[i] !== B32[i] || A32[i + 1] !== B32[i + 1] ? -1 : 0;
}
function i64x2_lt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = lt64(A32[i], A32[i + 1], B32[i], B32[i + 1]) ? -1 : 0;
}
function i64x2_gt_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = lt64(B32[i], B32[i + 1], A32[i], A32[i + 1]) ? -1 : 0;
}
function i64x2_le_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = lt64(B32[i], B32[i + 1], A32[i], A32[i + 1]) ? 0 : -1;
}
function i64x2_ge_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i += 2) R32[i] = R32[i + 1] = lt64(A32[i], A32[i + 1], B32[i], B32[i + 1]) ? 0 : -1;
}
function i64x2_extmul_low_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  smul64(A32[0], B32[0], R32, 0); smul64(A32[1], B32[1], R32, 2);
}
function i64x2_extmul_high_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  smul64(A32[2], B32[2], R32, 0); smul64(A32[3], B32[3], R32, 2);
}
function i64x2_extmul_low_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  umul64(A32[0], B32[0], R32, 0); umul64(A32[1], B32[1], R32, 2);
}
function i64x2_extmul_high_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  umul64(A32[2], B32[2], R32, 0); umul64(A32[3], B32[3], R32, 2);
}

// f32x4 arithmetic (each lane computed in double, rounded to f32 by the Float32Array store)
function f32x4_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] & 0x7fffffff;
}
function f32x4_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = A32[i] ^ -0x80000000;
}
function f32x4_sqrt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RF32[i] = Math.sqrt(AF32[i]);
}
function f32x4_ceil(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) rnd32(Math.ceil(AF32[i]), i);
}
function f32x4_floor(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) rnd32(Math.floor(AF32[i]), i);
}
function f32x4_trunc(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) rnd32(Math.trunc(AF32[i]), i);
}
function f32x4_nearest(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) rnd32(nearest(AF32[i]), i);
}
function f32x4_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) bin32(AF32[i] + BF32[i], i);
}
function f32x4_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) bin32(AF32[i] - BF32[i], i);
}
function f32x4_mul(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) bin32(AF32[i] * BF32[i], i);
}
function f32x4_div(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) bin32(AF32[i] / BF32[i], i);
}
function f32x4_min(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RF32[i] = q(Math.min(AF32[i], BF32[i]));
}
function f32x4_max(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  let r = 0;
  for (i = 0; i < 4; i++) {
    r = Math.max(AF32[i], BF32[i]);
    if (r === r) RF32[i] = r;
    else if (NAN_SIGN_OR) R32[i] = ((A32[i] | B32[i]) & -0x80000000) | 0x7fc00000;
    else RF32[i] = HOST_NAN;
  }
}
function f32x4_pmin(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = BF32[i] < AF32[i] ? B32[i] : A32[i];
}
function f32x4_pmax(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = AF32[i] < BF32[i] ? B32[i] : A32[i];
}

// f64x2 arithmetic
function f64x2_abs(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[0]; R32[1] = A32[1] & 0x7fffffff; R32[2] = A32[2]; R32[3] = A32[3] & 0x7fffffff;
}
function f64x2_neg(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  R32[0] = A32[0]; R32[1] = A32[1] ^ -0x80000000; R32[2] = A32[2]; R32[3] = A32[3] ^ -0x80000000;
}
function f64x2_sqrt(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  RF64[0] = Math.sqrt(AF64[0]); RF64[1] = Math.sqrt(AF64[1]);
}
function f64x2_ceil(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  rnd64(Math.ceil(AF64[0]), 0); rnd64(Math.ceil(AF64[1]), 1);
}
function f64x2_floor(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  rnd64(Math.floor(AF64[0]), 0); rnd64(Math.floor(AF64[1]), 1);
}
function f64x2_trunc(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  rnd64(Math.trunc(AF64[0]), 0); rnd64(Math.trunc(AF64[1]), 1);
}
function f64x2_nearest(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  rnd64(nearest(AF64[0]), 0); rnd64(nearest(AF64[1]), 1);
}
function f64x2_add(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  bin64(AF64[0] + BF64[0], 0); bin64(AF64[1] + BF64[1], 1);
}
function f64x2_sub(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  bin64(AF64[0] - BF64[0], 0); bin64(AF64[1] - BF64[1], 1);
}
function f64x2_mul(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  bin64(AF64[0] * BF64[0], 0); bin64(AF64[1] * BF64[1], 1);
}
function f64x2_div(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  bin64(AF64[0] / BF64[0], 0); bin64(AF64[1] / BF64[1], 1);
}
function f64x2_min(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  RF64[0] = q(Math.min(AF64[0], BF64[0])); RF64[1] = q(Math.min(AF64[1], BF64[1]));
}
function f64x2_max(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, r = 0;
  for (i = 0; i < 2; i++) {
    r = Math.max(AF64[i], BF64[i]);
    if (r === r) RF64[i] = r;
    else if (NAN_SIGN_OR) { R32[2 * i] = 0; R32[2 * i + 1] = ((A32[2 * i + 1] | B32[2 * i + 1]) & -0x80000000) | 0x7ff80000; }
    else RF64[i] = HOST_NAN;
  }
}
function f64x2_pmin(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, l = 0;
  for (i = 0; i < 2; i++) {
    l = 2 * i;
    if (BF64[i] < AF64[i]) { R32[l] = B32[l]; R32[l + 1] = B32[l + 1]; } else { R32[l] = A32[l]; R32[l + 1] = A32[l + 1]; }
  }
}
function f64x2_pmax(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0, l = 0;
  for (i = 0; i < 2; i++) {
    l = 2 * i;
    if (AF64[i] < BF64[i]) { R32[l] = B32[l]; R32[l + 1] = B32[l + 1]; } else { R32[l] = A32[l]; R32[l + 1] = A32[l + 1]; }
  }
}

// int <-> float conversions
function i32x4_trunc_sat_f32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = truncSatS32(AF32[i]);
}
function i32x4_trunc_sat_f32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) R32[i] = truncSatU32(AF32[i]);
}
function f32x4_convert_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RF32[i] = A32[i];
}
function f32x4_convert_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let i = 0;
  for (i = 0; i < 4; i++) RF32[i] = AU32[i];
}
function i32x4_trunc_sat_f64x2_s_zero(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = truncSatS32(AF64[0]), y = 0;
  y = truncSatS32(AF64[1]); R32[0] = x; R32[1] = y; R32[2] = 0; R32[3] = 0;
}
function i32x4_trunc_sat_f64x2_u_zero(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = truncSatU32(AF64[0]), y = 0;
  y = truncSatU32(AF64[1]); R32[0] = x; R32[1] = y; R32[2] = 0; R32[3] = 0;
}
function f64x2_convert_low_i32x4_s(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = A32[0], y = 0;
  y = A32[1]; RF64[0] = x; RF64[1] = y;
}
function f64x2_convert_low_i32x4_u(i32: Int32Array, d: number, a: number, b: number, imm: Int32Array, p: number): void {
  let x = AU32[0], y = 0;
  y = AU32[1]; RF64[0] = x; RF64[1] = y;
}

const FNS: SimdFn[] = [];
/** K -> 1 when the result is a v128 left in R for execSimd to copy out. */
const VRES = new Uint8Array(256);
function impl(k: K, fn: SimdFn, vres: boolean): void { FNS[k] = fn; VRES[k] = vres ? 1 : 0; }
impl(K.v128_const, v128_const, true);
impl(K.i8x16_shuffle, i8x16_shuffle, true);
impl(K.i8x16_swizzle, i8x16_swizzle, true);
impl(K.i8x16_splat, i8x16_splat, true);
impl(K.i16x8_splat, i16x8_splat, true);
impl(K.i32x4_splat, i32x4_splat, true);
impl(K.f32x4_splat, i32x4_splat, true);
impl(K.i64x2_splat, i64x2_splat, true);
impl(K.f64x2_splat, i64x2_splat, true);
impl(K.i8x16_extract_lane_s, i8x16_extract_lane_s, false);
impl(K.i8x16_extract_lane_u, i8x16_extract_lane_u, false);
impl(K.i16x8_extract_lane_s, i16x8_extract_lane_s, false);
impl(K.i16x8_extract_lane_u, i16x8_extract_lane_u, false);
impl(K.i32x4_extract_lane, i32x4_extract_lane, false);
impl(K.f32x4_extract_lane, i32x4_extract_lane, false);
impl(K.i64x2_extract_lane, i64x2_extract_lane, false);
impl(K.f64x2_extract_lane, i64x2_extract_lane, false);
impl(K.i8x16_replace_lane, i8x16_replace_lane, false);
impl(K.i16x8_replace_lane, i16x8_replace_lane, false);
impl(K.i32x4_replace_lane, i32x4_replace_lane, false);
impl(K.f32x4_replace_lane, i32x4_replace_lane, false);
impl(K.i64x2_replace_lane, i64x2_replace_lane, false);
impl(K.f64x2_replace_lane, i64x2_replace_lane, false);
impl(K.i8x16_eq, i8x16_eq, true);
impl(K.i8x16_ne, i8x16_ne, true);
impl(K.i8x16_lt_s, i8x16_lt_s, true);
impl(K.i8x16_lt_u, i8x16_lt_u, true);
impl(K.i8x16_gt_s, i8x16_gt_s, true);
impl(K.i8x16_gt_u, i8x16_gt_u, true);
impl(K.i8x16_le_s, i8x16_le_s, true);
impl(K.i8x16_le_u, i8x16_le_u, true);
impl(K.i8x16_ge_s, i8x16_ge_s, true);
impl(K.i8x16_ge_u, i8x16_ge_u, true);
impl(K.i16x8_eq, i16x8_eq, true);
impl(K.i16x8_ne, i16x8_ne, true);
impl(K.i16x8_lt_s, i16x8_lt_s, true);
impl(K.i16x8_lt_u, i16x8_lt_u, true);
impl(K.i16x8_gt_s, i16x8_gt_s, true);
impl(K.i16x8_gt_u, i16x8_gt_u, true);
impl(K.i16x8_le_s, i16x8_le_s, true);
impl(K.i16x8_le_u, i16x8_le_u, true);
impl(K.i16x8_ge_s, i16x8_ge_s, true);
impl(K.i16x8_ge_u, i16x8_ge_u, true);
impl(K.i32x4_eq, i32x4_eq, true);
impl(K.i32x4_ne, i32x4_ne, true);
impl(K.i32x4_lt_s, i32x4_lt_s, true);
impl(K.i32x4_lt_u, i32x4_lt_u, true);
impl(K.i32x4_gt_s, i32x4_gt_s, true);
impl(K.i32x4_gt_u, i32x4_gt_u, true);
impl(K.i32x4_le_s, i32x4_le_s, true);
impl(K.i32x4_le_u, i32x4_le_u, true);
impl(K.i32x4_ge_s, i32x4_ge_s, true);
impl(K.i32x4_ge_u, i32x4_ge_u, true);
impl(K.f32x4_eq, f32x4_eq, true);
impl(K.f32x4_ne, f32x4_ne, true);
impl(K.f32x4_lt, f32x4_lt, true);
impl(K.f32x4_gt, f32x4_gt, true);
impl(K.f32x4_le, f32x4_le, true);
impl(K.f32x4_ge, f32x4_ge, true);
impl(K.f64x2_eq, f64x2_eq, true);
impl(K.f64x2_ne, f64x2_ne, true);
impl(K.f64x2_lt, f64x2_lt, true);
impl(K.f64x2_gt, f64x2_gt, true);
impl(K.f64x2_le, f64x2_le, true);
impl(K.f64x2_ge, f64x2_ge, true);
impl(K.v128_not, v128_not, true);
impl(K.v128_and, v128_and, true);
impl(K.v128_andnot, v128_andnot, true);
impl(K.v128_or, v128_or, true);
impl(K.v128_xor, v128_xor, true);
impl(K.v128_bitselect, v128_bitselect, true);
impl(K.v128_any_true, v128_any_true, false);
impl(K.f32x4_demote_f64x2_zero, f32x4_demote_f64x2_zero, true);
impl(K.f64x2_promote_low_f32x4, f64x2_promote_low_f32x4, true);
impl(K.i8x16_abs, i8x16_abs, true);
impl(K.i8x16_neg, i8x16_neg, true);
impl(K.i8x16_popcnt, i8x16_popcnt, true);
impl(K.i8x16_all_true, i8x16_all_true, false);
impl(K.i8x16_bitmask, i8x16_bitmask, false);
impl(K.i8x16_narrow_i16x8_s, i8x16_narrow_i16x8_s, true);
impl(K.i8x16_narrow_i16x8_u, i8x16_narrow_i16x8_u, true);
impl(K.i8x16_shl, i8x16_shl, true);
impl(K.i8x16_shr_s, i8x16_shr_s, true);
impl(K.i8x16_shr_u, i8x16_shr_u, true);
impl(K.i8x16_add, i8x16_add, true);
impl(K.i8x16_add_sat_s, i8x16_add_sat_s, true);
impl(K.i8x16_add_sat_u, i8x16_add_sat_u, true);
impl(K.i8x16_sub, i8x16_sub, true);
impl(K.i8x16_sub_sat_s, i8x16_sub_sat_s, true);
impl(K.i8x16_sub_sat_u, i8x16_sub_sat_u, true);
impl(K.i8x16_min_s, i8x16_min_s, true);
impl(K.i8x16_min_u, i8x16_min_u, true);
impl(K.i8x16_max_s, i8x16_max_s, true);
impl(K.i8x16_max_u, i8x16_max_u, true);
impl(K.i8x16_avgr_u, i8x16_avgr_u, true);
impl(K.i16x8_extadd_pairwise_i8x16_s, i16x8_extadd_pairwise_i8x16_s, true);
impl(K.i16x8_extadd_pairwise_i8x16_u, i16x8_extadd_pairwise_i8x16_u, true);
impl(K.i16x8_abs, i16x8_abs, true);
impl(K.i16x8_neg, i16x8_neg, true);
impl(K.i16x8_q15mulr_sat_s, i16x8_q15mulr_sat_s, true);
impl(K.i16x8_all_true, i16x8_all_true, false);
impl(K.i16x8_bitmask, i16x8_bitmask, false);
impl(K.i16x8_narrow_i32x4_s, i16x8_narrow_i32x4_s, true);
impl(K.i16x8_narrow_i32x4_u, i16x8_narrow_i32x4_u, true);
impl(K.i16x8_extend_low_i8x16_s, i16x8_extend_low_i8x16_s, true);
impl(K.i16x8_extend_high_i8x16_s, i16x8_extend_high_i8x16_s, true);
impl(K.i16x8_extend_low_i8x16_u, i16x8_extend_low_i8x16_u, true);
impl(K.i16x8_extend_high_i8x16_u, i16x8_extend_high_i8x16_u, true);
impl(K.i16x8_shl, i16x8_shl, true);
impl(K.i16x8_shr_s, i16x8_shr_s, true);
impl(K.i16x8_shr_u, i16x8_shr_u, true);
impl(K.i16x8_add, i16x8_add, true);
impl(K.i16x8_add_sat_s, i16x8_add_sat_s, true);
impl(K.i16x8_add_sat_u, i16x8_add_sat_u, true);
impl(K.i16x8_sub, i16x8_sub, true);
impl(K.i16x8_sub_sat_s, i16x8_sub_sat_s, true);
impl(K.i16x8_sub_sat_u, i16x8_sub_sat_u, true);
impl(K.i16x8_mul, i16x8_mul, true);
impl(K.i16x8_min_s, i16x8_min_s, true);
impl(K.i16x8_min_u, i16x8_min_u, true);
impl(K.i16x8_max_s, i16x8_max_s, true);
impl(K.i16x8_max_u, i16x8_max_u, true);
impl(K.i16x8_avgr_u, i16x8_avgr_u, true);
impl(K.i16x8_extmul_low_i8x16_s, i16x8_extmul_low_i8x16_s, true);
impl(K.i16x8_extmul_high_i8x16_s, i16x8_extmul_high_i8x16_s, true);
impl(K.i16x8_extmul_low_i8x16_u, i16x8_extmul_low_i8x16_u, true);
impl(K.i16x8_extmul_high_i8x16_u, i16x8_extmul_high_i8x16_u, true);
impl(K.i32x4_extadd_pairwise_i16x8_s, i32x4_extadd_pairwise_i16x8_s, true);
impl(K.i32x4_extadd_pairwise_i16x8_u, i32x4_extadd_pairwise_i16x8_u, true);
impl(K.i32x4_abs, i32x4_abs, true);
impl(K.i32x4_neg, i32x4_neg, true);
impl(K.i32x4_all_true, i32x4_all_true, false);
impl(K.i32x4_bitmask, i32x4_bitmask, false);
impl(K.i32x4_extend_low_i16x8_s, i32x4_extend_low_i16x8_s, true);
impl(K.i32x4_extend_high_i16x8_s, i32x4_extend_high_i16x8_s, true);
impl(K.i32x4_extend_low_i16x8_u, i32x4_extend_low_i16x8_u, true);
impl(K.i32x4_extend_high_i16x8_u, i32x4_extend_high_i16x8_u, true);
impl(K.i32x4_shl, i32x4_shl, true);
impl(K.i32x4_shr_s, i32x4_shr_s, true);
impl(K.i32x4_shr_u, i32x4_shr_u, true);
impl(K.i32x4_add, i32x4_add, true);
impl(K.i32x4_sub, i32x4_sub, true);
impl(K.i32x4_mul, i32x4_mul, true);
impl(K.i32x4_min_s, i32x4_min_s, true);
impl(K.i32x4_min_u, i32x4_min_u, true);
impl(K.i32x4_max_s, i32x4_max_s, true);
impl(K.i32x4_max_u, i32x4_max_u, true);
impl(K.i32x4_dot_i16x8_s, i32x4_dot_i16x8_s, true);
impl(K.i32x4_extmul_low_i16x8_s, i32x4_extmul_low_i16x8_s, true);
impl(K.i32x4_extmul_high_i16x8_s, i32x4_extmul_high_i16x8_s, true);
impl(K.i32x4_extmul_low_i16x8_u, i32x4_extmul_low_i16x8_u, true);
impl(K.i32x4_extmul_high_i16x8_u, i32x4_extmul_high_i16x8_u, true);
impl(K.i64x2_abs, i64x2_abs, true);
impl(K.i64x2_neg, i64x2_neg, true);
impl(K.i64x2_all_true, i64x2_all_true, false);
impl(K.i64x2_bitmask, i64x2_bitmask, false);
impl(K.i64x2_extend_low_i32x4_s, i64x2_extend_low_i32x4_s, true);
impl(K.i64x2_extend_high_i32x4_s, i64x2_extend_high_i32x4_s, true);
impl(K.i64x2_extend_low_i32x4_u, i64x2_extend_low_i32x4_u, true);
impl(K.i64x2_extend_high_i32x4_u, i64x2_extend_high_i32x4_u, true);
impl(K.i64x2_shl, i64x2_shl, true);
impl(K.i64x2_shr_s, i64x2_shr_s, true);
impl(K.i64x2_shr_u, i64x2_shr_u, true);
impl(K.i64x2_add, i64x2_add, true);
impl(K.i64x2_sub, i64x2_sub, true);
impl(K.i64x2_mul, i64x2_mul, true);
impl(K.i64x2_eq, i64x2_eq, true);
impl(K.i64x2_ne, i64x2_ne, true);
impl(K.i64x2_lt_s, i64x2_lt_s, true);
impl(K.i64x2_gt_s, i64x2_gt_s, true);
impl(K.i64x2_le_s, i64x2_le_s, true);
impl(K.i64x2_ge_s, i64x2_ge_s, true);
impl(K.i64x2_extmul_low_i32x4_s, i64x2_extmul_low_i32x4_s, true);
impl(K.i64x2_extmul_high_i32x4_s, i64x2_extmul_high_i32x4_s, true);
impl(K.i64x2_extmul_low_i32x4_u, i64x2_extmul_low_i32x4_u, true);
impl(K.i64x2_extmul_high_i32x4_u, i64x2_extmul_high_i32x4_u, true);
impl(K.f32x4_abs, f32x4_abs, true);
impl(K.f32x4_neg, f32x4_neg, true);
impl(K.f32x4_sqrt, f32x4_sqrt, true);
impl(K.f32x4_ceil, f32x4_ceil, true);
impl(K.f32x4_floor, f32x4_floor, true);
impl(K.f32x4_trunc, f32x4_trunc, true);
impl(K.f32x4_nearest, f32x4_nearest, true);
impl(K.f32x4_add, f32x4_add, true);
impl(K.f32x4_sub, f32x4_sub, true);
impl(K.f32x4_mul, f32x4_mul, true);
impl(K.f32x4_div, f32x4_div, true);
impl(K.f32x4_min, f32x4_min, true);
impl(K.f32x4_max, f32x4_max, true);
impl(K.f32x4_pmin, f32x4_pmin, true);
impl(K.f32x4_pmax, f32x4_pmax, true);
impl(K.f64x2_abs, f64x2_abs, true);
impl(K.f64x2_neg, f64x2_neg, true);
impl(K.f64x2_sqrt, f64x2_sqrt, true);
impl(K.f64x2_ceil, f64x2_ceil, true);
impl(K.f64x2_floor, f64x2_floor, true);
impl(K.f64x2_trunc, f64x2_trunc, true);
impl(K.f64x2_nearest, f64x2_nearest, true);
impl(K.f64x2_add, f64x2_add, true);
impl(K.f64x2_sub, f64x2_sub, true);
impl(K.f64x2_mul, f64x2_mul, true);
impl(K.f64x2_div, f64x2_div, true);
impl(K.f64x2_min, f64x2_min, true);
impl(K.f64x2_max, f64x2_max, true);
impl(K.f64x2_pmin, f64x2_pmin, true);
impl(K.f64x2_pmax, f64x2_pmax, true);
impl(K.i32x4_trunc_sat_f32x4_s, i32x4_trunc_sat_f32x4_s, true);
impl(K.i32x4_trunc_sat_f32x4_u, i32x4_trunc_sat_f32x4_u, true);
impl(K.f32x4_convert_i32x4_s, f32x4_convert_i32x4_s, true);
impl(K.f32x4_convert_i32x4_u, f32x4_convert_i32x4_u, true);
impl(K.i32x4_trunc_sat_f64x2_s_zero, i32x4_trunc_sat_f64x2_s_zero, true);
impl(K.i32x4_trunc_sat_f64x2_u_zero, i32x4_trunc_sat_f64x2_u_zero, true);
impl(K.f64x2_convert_low_i32x4_s, f64x2_convert_low_i32x4_s, true);
impl(K.f64x2_convert_low_i32x4_u, f64x2_convert_low_i32x4_u, true);

/** Execute SIMD instruction `op` (dense id, OPS[op].prefix === 0xfd) that does not access memory.
 *  a, b, c: byte offsets of the operands in push order (unused ones ignored); dst: byte offset of the
 *  result (may equal a). Immediates: lane index at imm[immPos]; v128.const and i8x16.shuffle: 16 bytes
 *  packed little-endian in imm[immPos .. immPos+3]. */
export function execSimd(op: number, s: SimdViews, dst: number, a: number, b: number, c: number,
                         imm: Int32Array, immPos: number): void {
  const k = LOCAL[op];
  const fn = FNS[k];
  if (fn === undefined) throw new Error(`execSimd: not a non-memory SIMD instruction: ${OPS[op]?.name ?? op}`);
  const i32 = s.i32;
  const n = VARGS[k];
  if (n !== 0) {
    let p = a >> 2;
    A32[0] = i32[p]; A32[1] = i32[p + 1]; A32[2] = i32[p + 2]; A32[3] = i32[p + 3];
    if (n > 1) {
      p = b >> 2;
      B32[0] = i32[p]; B32[1] = i32[p + 1]; B32[2] = i32[p + 2]; B32[3] = i32[p + 3];
      if (n > 2) {
        p = c >> 2;
        C32[0] = i32[p]; C32[1] = i32[p + 1]; C32[2] = i32[p + 2]; C32[3] = i32[p + 3];
      }
    }
  }
  const d = dst >> 2;
  fn(i32, d, a, b, imm, immPos);
  if (VRES[k] !== 0) { i32[d] = R32[0]; i32[d + 1] = R32[1]; i32[d + 2] = R32[2]; i32[d + 3] = R32[3]; }
}

// ---- memory instructions ------------------------------------------------------------------------

/** Execute a SIMD memory instruction. `addr` is the effective address, already bounds-checked for
 *  OPS[op].width bytes. Loads write the v128 result at byte offset `dst`; v128.store and store*_lane read
 *  the v128 operand at `a`; load*_lane reads the v128 operand at `a` and writes the result at `dst`. */
export function execSimdMem(op: number, s: SimdViews, dst: number, a: number,
                            mem: Uint8Array, memDv: DataView, addr: number, lane: number): void {
  const k = LOCAL[op];
  const i32 = s.i32;
  const d = dst >> 2;
  let i = 0, x = 0, y = 0;
  switch (k) {
    case K.v128_load:
      i32[d] = memDv.getInt32(addr, true); i32[d + 1] = memDv.getInt32(addr + 4, true);
      i32[d + 2] = memDv.getInt32(addr + 8, true); i32[d + 3] = memDv.getInt32(addr + 12, true);
      return;
    case K.v128_load8x8_s: for (i = 0; i < 8; i++) R16[i] = (mem[addr + i] << 24) >> 24; break;
    case K.v128_load8x8_u: for (i = 0; i < 8; i++) R16[i] = mem[addr + i]; break;
    case K.v128_load16x4_s: for (i = 0; i < 4; i++) R32[i] = memDv.getInt16(addr + 2 * i, true); break;
    case K.v128_load16x4_u: for (i = 0; i < 4; i++) R32[i] = memDv.getUint16(addr + 2 * i, true); break;
    case K.v128_load32x2_s:
      x = memDv.getInt32(addr, true); y = memDv.getInt32(addr + 4, true);
      R32[0] = x; R32[1] = x >> 31; R32[2] = y; R32[3] = y >> 31; break;
    case K.v128_load32x2_u:
      x = memDv.getInt32(addr, true); y = memDv.getInt32(addr + 4, true);
      R32[0] = x; R32[1] = 0; R32[2] = y; R32[3] = 0; break;
    case K.v128_load8_splat:
      x = mem[addr]; x |= x << 8; x |= x << 16; R32[0] = R32[1] = R32[2] = R32[3] = x; break;
    case K.v128_load16_splat:
      x = memDv.getUint16(addr, true); x |= x << 16; R32[0] = R32[1] = R32[2] = R32[3] = x; break;
    case K.v128_load32_splat:
      R32[0] = R32[1] = R32[2] = R32[3] = memDv.getInt32(addr, true); break;
    case K.v128_load64_splat:
      R32[0] = R32[2] = memDv.getInt32(addr, true); R32[1] = R32[3] = memDv.getInt32(addr + 4, true); break;
    case K.v128_load32_zero:
      R32[0] = memDv.getInt32(addr, true); R32[1] = 0; R32[2] = 0; R32[3] = 0; break;
    case K.v128_load64_zero:
      R32[0] = memDv.getInt32(addr, true); R32[1] = memDv.getInt32(addr + 4, true); R32[2] = 0; R32[3] = 0; break;
    case K.v128_store: {
      const u8 = s.u8;
      for (i = 0; i < 16; i++) mem[addr + i] = u8[a + i];
      return;
    }
    case K.v128_load8_lane:
    case K.v128_load16_lane:
    case K.v128_load32_lane:
    case K.v128_load64_lane: {
      x = a >> 2;
      R32[0] = i32[x]; R32[1] = i32[x + 1]; R32[2] = i32[x + 2]; R32[3] = i32[x + 3];
      const w = k === K.v128_load8_lane ? 1 : k === K.v128_load16_lane ? 2 : k === K.v128_load32_lane ? 4 : 8;
      const base = (lane & (16 / w - 1)) * w;
      for (i = 0; i < w; i++) RU8[base + i] = mem[addr + i];
      break;
    }
    case K.v128_store8_lane:
    case K.v128_store16_lane:
    case K.v128_store32_lane:
    case K.v128_store64_lane: {
      const w = k === K.v128_store8_lane ? 1 : k === K.v128_store16_lane ? 2 : k === K.v128_store32_lane ? 4 : 8;
      const base = a + (lane & (16 / w - 1)) * w;
      const u8 = s.u8;
      for (i = 0; i < w; i++) mem[addr + i] = u8[base + i];
      return;
    }
    default:
      throw new Error(`execSimdMem: not a SIMD memory instruction: ${OPS[op]?.name ?? op}`);
  }
  i32[d] = R32[0]; i32[d + 1] = R32[1]; i32[d + 2] = R32[2]; i32[d + 3] = R32[3];
}
