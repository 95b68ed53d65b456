// Numeric helpers of the interpreter loop that are too long to inline: i64 as lo/hi int32 pairs in a
// value-stack Int32Array (word index w: lo at I32[w], hi at I32[w + 1]), float <-> integer conversions
// with the spec's exact range checks, and round-half-to-even.
//
// NaN policy: arithmetic results are whatever the JS engine computes (always quiet NaNs, deterministic
// for a given binary on a given engine; where V8 passes a signaling NaN through unchanged, as
// Math.floor/ceil/trunc do on f64, the result is the input NaN quieted, as roundss/roundsd give); moves, loads, stores, abs/neg/copysign and reinterpretations
// copy bits and never change a NaN payload.

import { TrapCode } from '../core/errors';

const TWO32 = 4294967296;

const HOST_NAN64 = (() => { const z = new Float64Array(1); return new Int32Array(new Float64Array([z[0] / z[0]]).buffer); })();

/** NaN result of an f32 add/sub/mul/div (slots d, a, b of I32) as x86 gives it and V8 keeps it: the first
 *  operand's NaN quieted, else the second's, else the default NaN. Plain JS arithmetic leaves the choice
 *  between two NaN operands to the JIT, which may commute add and mul. */
export function nan2F32(I32: Int32Array, d: number, a: number, b: number): void {
  const x = I32[a], y = I32[b];
  if ((x & 0x7fffffff) > 0x7f800000) I32[d] = x | 0x400000;
  else if ((y & 0x7fffffff) > 0x7f800000) I32[d] = y | 0x400000;
  else I32[d] = (HOST_NAN64[1] & -0x80000000) | 0x7fc00000;
}
function isNaN64(lo: number, hi: number): boolean {
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0;
}
/** The same for f64 (word pairs at d, a, b). */
export function nan2F64(I32: Int32Array, d: number, a: number, b: number): void {
  const alo = I32[a], ahi = I32[a + 1], blo = I32[b], bhi = I32[b + 1];
  if (isNaN64(alo, ahi)) { I32[d] = alo; I32[d + 1] = ahi | 0x80000; }
  else if (isNaN64(blo, bhi)) { I32[d] = blo; I32[d + 1] = bhi | 0x80000; }
  else { I32[d] = HOST_NAN64[0]; I32[d + 1] = HOST_NAN64[1]; }
}
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function i64Rot(I32: Int32Array, d: number, a: number, n: number): void {
  // rotate left by n (0..63)
  let lo = I32[a], hi = I32[a + 1];
  if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
  if (n === 0) { I32[d] = lo; I32[d + 1] = hi; return; }
  I32[d + 1] = (hi << n) | (lo >>> (32 - n));
  I32[d] = (lo << n) | (hi >>> (32 - n));
}

function big(I32: Int32Array, w: number): bigint {
  return (BigInt(I32[w + 1]) << 32n) | BigInt(I32[w] >>> 0);
}
function bigU(I32: Int32Array, w: number): bigint {
  return (BigInt(I32[w + 1] >>> 0) << 32n) | BigInt(I32[w] >>> 0);
}
function putBig(I32: Int32Array, d: number, v: bigint): void {
  I32[d] = Number(BigInt.asIntN(32, v));
  I32[d + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
/** Write an integral double in [-2^63, 2^64) as a 64-bit two's-complement pair. */
function putNum(I32: Int32Array, d: number, t: number): void {
  const hi = Math.floor(t / TWO32);
  I32[d] = (t - hi * TWO32) | 0;
  I32[d + 1] = hi | 0;
}
/** Both operands fit in int32 (hi is the sign extension of lo). */
function small(I32: Int32Array, w: number): boolean {
  return I32[w + 1] === (I32[w] >> 31);
}

/** i64.div_s / div_u / rem_s / rem_u: returns a trap code (0 = none). */
export function i64DivS(I32: Int32Array, d: number, a: number, b: number): number {
  if (I32[b] === 0 && I32[b + 1] === 0) return TrapCode.IntegerDivideByZero;
  if (small(I32, a) && small(I32, b)) { putNum(I32, d, Math.trunc(I32[a] / I32[b])); return 0; }
  if (I32[a] === 0 && I32[a + 1] === -0x80000000 && I32[b] === -1 && I32[b + 1] === -1) return TrapCode.IntegerOverflow;
  putBig(I32, d, big(I32, a) / big(I32, b));
  return 0;
}
export function i64RemS(I32: Int32Array, d: number, a: number, b: number): number {
  if (I32[b] === 0 && I32[b + 1] === 0) return TrapCode.IntegerDivideByZero;
  if (small(I32, a) && small(I32, b)) { const r = I32[a] % I32[b]; I32[d] = r | 0; I32[d + 1] = r < 0 ? -1 : 0; return 0; }
  putBig(I32, d, big(I32, a) % big(I32, b));
  return 0;
}
export function i64DivU(I32: Int32Array, d: number, a: number, b: number): number {
  if (I32[b] === 0 && I32[b + 1] === 0) return TrapCode.IntegerDivideByZero;
  if (I32[a + 1] === 0 && I32[b + 1] === 0) {
    I32[d] = Math.floor((I32[a] >>> 0) / (I32[b] >>> 0)) | 0; I32[d + 1] = 0; return 0;
  }
  putBig(I32, d, bigU(I32, a) / bigU(I32, b));
  return 0;
}
export function i64RemU(I32: Int32Array, d: number, a: number, b: number): number {
  if (I32[b] === 0 && I32[b + 1] === 0) return TrapCode.IntegerDivideByZero;
  if (I32[a + 1] === 0 && I32[b + 1] === 0) {
    I32[d] = ((I32[a] >>> 0) % (I32[b] >>> 0)) | 0; I32[d + 1] = 0; return 0;
  }
  putBig(I32, d, bigU(I32, a) % bigU(I32, b));
  return 0;
}

// ---- float -> integer -------------------------------------------------------------------------------

/** i64.trunc_f*_s: trap code or 0. Valid iff -2^63 <= trunc(x) < 2^63. */
export function truncI64S(I32: Int32Array, d: number, x: number): number {
  if (x !== x) return TrapCode.InvalidConversion;
  if (!(x >= -TWO63 && x < TWO63)) return TrapCode.IntegerOverflow;
  putNum(I32, d, Math.trunc(x));
  return 0;
}
export function truncI64U(I32: Int32Array, d: number, x: number): number {
  if (x !== x) return TrapCode.InvalidConversion;
  if (!(x > -1 && x < TWO64)) return TrapCode.IntegerOverflow;
  putNum(I32, d, Math.trunc(x));
  return 0;
}
export function truncSatI64S(I32: Int32Array, d: number, x: number): void {
  if (x !== x) { I32[d] = 0; I32[d + 1] = 0; }
  else if (x < -TWO63) { I32[d] = 0; I32[d + 1] = -0x80000000; }
  else if (x >= TWO63) { I32[d] = -1; I32[d + 1] = 0x7fffffff; }
  else putNum(I32, d, Math.trunc(x));
}
export function truncSatI64U(I32: Int32Array, d: number, x: number): void {
  if (x !== x || x <= -1) { I32[d] = 0; I32[d + 1] = 0; }
  else if (x >= TWO64) { I32[d] = -1; I32[d + 1] = -1; }
  else putNum(I32, d, Math.trunc(x));
}
export function truncSatI32S(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return x | 0;
}
export function truncSatI32U(x: number): number {
  if (x !== x || x <= -1) return 0;
  if (x >= 4294967295) return -1;
  return (x >>> 0) | 0;
}

// ---- integer -> float -------------------------------------------------------------------------------

/** Unsigned 64-bit (lo, hi as int32) to the nearest f32, rounding once. A magnitude >= 2^53 is not
 *  exact in a double, and rounding to double and then to float can be wrong; collapsing the low 12 bits
 *  into one sticky bit makes the double exact (<= 53 significant bits) without changing the f32
 *  rounding (its round bit is at position >= 29 there). */
export function u64ToF32(lo: number, hi: number): number {
  hi >>>= 0;
  if (hi >= 0x200000) lo = (lo & ~0xfff) | ((lo & 0xfff) !== 0 ? 0x800 : 0);
  return Math.fround(hi * TWO32 + (lo >>> 0));
}
export function i64ToF32(lo: number, hi: number): number {
  if (hi >= 0) return u64ToF32(lo, hi);
  // magnitude of a negative value (two's complement negation)
  const nlo = (-lo) | 0;
  const nhi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  return -u64ToF32(nlo, nhi);
}

/** Round to nearest, ties to even (f32.nearest / f64.nearest); keeps the sign of zero. */
export function nearest(x: number): number {
  if (x !== x) return NaN; // a signaling NaN input must come out quiet
  let r = Math.round(x); // ties toward +inf; keeps -0 for (-0.5, -0]
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r === 0 && x < 0 ? -0 : r;
}
