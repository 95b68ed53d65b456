// Text for float constants that round-trips exactly through any correctly rounding WAT parser:
// the shortest decimal that reads back as the same value, `-0`, `inf`, and NaNs as `nan` (canonical
// payload) or `nan:0x...` (any other payload), with the sign as written.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new Uint32Array(f64.buffer); // [lo, hi] on little-endian hosts (checked below)
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE ? 0 : 1;
const HI = LITTLE ? 1 : 0;

function f32FromBits(bits: number): number {
  u32[0] = bits;
  return f32[0];
}
function f32Bits(v: number): number {
  f32[0] = v;
  return u32[0];
}

/** True when `d` (a double) lies exactly halfway between two adjacent f32 values. Such a decimal
 *  would be rounded twice (to f64, then ties-to-even to f32) by a naive reader, so avoid it. */
function isF32Midpoint(d: number): boolean {
  const f = Math.fround(d);
  if (f === d || !isFinite(f)) return false;
  const b = f32Bits(f);
  // next f32 away from f in the direction of d (magnitude grows when |d| > |f|)
  const other = f32FromBits(Math.abs(d) > Math.abs(f) ? b + 1 : b - 1);
  return d - f === (other - f) / 2;
}

/** f32 constant from its bit pattern (int32 or uint32). */
export function formatF32(bits: number): string {
  bits >>>= 0;
  const sign = bits >>> 31 ? '-' : '';
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign + 'inf';
    if (mant === 0x400000) return sign + 'nan';
    return sign + 'nan:0x' + mant.toString(16);
  }
  const v = f32FromBits(bits);
  if (v === 0) return sign + '0';
  // The value's own shortest double text is exact; when it is short it is also the readable choice
  // (0.5, 3890, 1.25e-7).
  const own = String(v);
  if (significantDigits(own) <= 6) return own;
  // Otherwise the fewest significant digits that read back as this f32, found by bisection: more
  // digits are never farther from the value, so reading back is (all but at binade edges) monotone
  // in the digit count; every answer is checked, and 9 digits always suffice.
  let lo = 1, hi = 9, best = '';
  while (lo <= hi) {
    const p = (lo + hi) >> 1;
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v && !isF32Midpoint(d)) { best = String(d); hi = p - 1; } else lo = p + 1;
  }
  return best !== '' ? best : own;
}

/** Number of significant digits in a JS number's text (`1.25e-7` -> 3, `3890` -> 3). */
function significantDigits(s: string): number {
  let n = 0, started = false, trailingZeros = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x65 /* e */) break;
    if (c < 0x30 || c > 0x39) continue;
    if (c === 0x30) {
      if (started) { n++; trailingZeros++; }
      continue;
    }
    started = true;
    n++;
    trailingZeros = 0;
  }
  return s.includes('.') ? n : n - trailingZeros;
}

/** f64 constant from its bit pattern as int32 halves. */
export function formatF64(lo: number, hi: number): string {
  hi >>>= 0;
  lo >>>= 0;
  const sign = hi >>> 31 ? '-' : '';
  const exp = (hi >>> 20) & 0x7ff;
  const mhi = hi & 0xfffff;
  if (exp === 0x7ff) {
    if (mhi === 0 && lo === 0) return sign + 'inf';
    if (mhi === 0x80000 && lo === 0) return sign + 'nan';
    const mant = BigInt(mhi) * 0x100000000n + BigInt(lo);
    return sign + 'nan:0x' + mant.toString(16);
  }
  u64[LO] = lo;
  u64[HI] = hi;
  const v = f64[0];
  if (v === 0) return sign + '0';
  return String(v); // shortest decimal that reads back as exactly v
}

/** i64 constant from int32 halves, as a signed decimal. */
export function formatI64(lo: number, hi: number): string {
  if (hi === (lo >> 31)) return String(lo | 0);
  // |v| < 2^53: exact as a double
  if ((hi >= 0 && hi < 0x200000) || (hi < 0 && hi >= -0x200000)) return String(hi * 4294967296 + (lo >>> 0));
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0)).toString();
}
