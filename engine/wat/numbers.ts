// Numeric literals of the text format: integers (decimal/hex, `_` separators, signs) and floats
// (decimal, hex, inf, nan, nan:0x...), rounded exactly (round-to-nearest-even) with BigInt
// arithmetic so f32 literals do not suffer double rounding. Functions return null when the token
// is not a number of that shape, and throw RangeError('constant out of range') when it is one but
// does not fit.

const DEC = /^[0-9](?:_?[0-9])*$/;
const HEX = /^[0-9a-fA-F](?:_?[0-9a-fA-F])*$/;

export class OutOfRange extends Error {
  constructor() { super('constant out of range'); }
}

/** Unsigned/signed integer literal -> BigInt, or null when not an integer literal. */
export function parseIntLiteral(s: string): { value: bigint; signed: boolean } | null {
  let i = 0;
  let neg = false, signed = false;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; signed = true; i = 1; }
  let body = s.slice(i);
  let v: bigint;
  if (body.startsWith('0x')) {
    body = body.slice(2);
    if (!HEX.test(body)) return null;
    v = BigInt('0x' + body.replace(/_/g, ''));
  } else {
    if (!DEC.test(body)) return null;
    v = BigInt(body.replace(/_/g, ''));
  }
  return { value: neg ? -v : v, signed };
}

/** A u32 (indices, offsets, limits). Null when not a plain unsigned literal; OutOfRange if too big. */
export function parseU32(s: string): number | null {
  const r = parseIntLiteral(s);
  if (r === null || r.signed) return null;
  if (r.value > 0xffffffffn) throw new OutOfRange();
  return Number(r.value);
}

/** An N-bit integer constant (accepts -2^(N-1) .. 2^N-1), returned as a wrapped BigInt (unsigned). */
export function parseIntN(s: string, bits: number): bigint | null {
  const r = parseIntLiteral(s);
  if (r === null) return null;
  const v = r.value;
  const lim = 1n << BigInt(bits);
  if (r.signed) {
    if (v < -(lim >> 1n) || v >= (lim >> 1n)) throw new OutOfRange();
  } else if (v >= lim) throw new OutOfRange();
  return BigInt.asUintN(bits, v);
}

interface FloatFormat { mbits: number; emin: number; emax: number; bias: number; ebits: number }
const F32: FloatFormat = { mbits: 23, emin: -126, emax: 127, bias: 127, ebits: 8 };
const F64: FloatFormat = { mbits: 52, emin: -1022, emax: 1023, bias: 1023, ebits: 11 };

function bitLen(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Round num/den * 2^shift (num, den > 0) to the format; returns the bits without the sign. */
function roundRational(num: bigint, den: bigint, shift: number, f: FloatFormat): bigint {
  if (shift > 0) num <<= BigInt(shift); else if (shift < 0) den <<= BigInt(-shift);
  // e0 = floor(log2(num/den))
  let e0 = bitLen(num) - bitLen(den);
  if (e0 >= 0 ? num < (den << BigInt(e0)) : (num << BigInt(-e0)) < den) e0--;
  const E = Math.max(e0, f.emin) - f.mbits;
  let n = num, d = den;
  if (E >= 0) d <<= BigInt(E); else n <<= BigInt(-E);
  let m = n / d;
  const r2 = (n - m * d) * 2n;
  if (r2 > d || (r2 === d && (m & 1n) === 1n)) m++;
  let exp = E;
  if (m === 1n << BigInt(f.mbits + 1)) { m >>= 1n; exp++; }
  if (exp + f.mbits > f.emax) throw new OutOfRange();
  if (m < 1n << BigInt(f.mbits)) return m; // subnormal (or zero)
  return (BigInt(exp + f.mbits + f.bias) << BigInt(f.mbits)) | (m - (1n << BigInt(f.mbits)));
}

const DEC_FLOAT = /^([0-9](?:_?[0-9])*)(?:\.((?:[0-9](?:_?[0-9])*)?))?(?:[eE]([+-]?[0-9](?:_?[0-9])*))?$/;
const HEX_FLOAT = /^0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?(?:[pP]([+-]?[0-9](?:_?[0-9])*))?$/;

function parseFloatBits(s: string, f: FloatFormat): bigint | null {
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; body = s.slice(1); }
  const signBit = neg ? 1n << BigInt(f.mbits + f.ebits) : 0n;
  const expAll = ((1n << BigInt(f.ebits)) - 1n) << BigInt(f.mbits);
  if (body === 'inf') return signBit | expAll;
  if (body === 'nan') return signBit | expAll | (1n << BigInt(f.mbits - 1));
  if (body.startsWith('nan:0x')) {
    const h = body.slice(6);
    if (!HEX.test(h)) return null;
    const p = BigInt('0x' + h.replace(/_/g, ''));
    if (p === 0n || p >= 1n << BigInt(f.mbits)) throw new OutOfRange();
    return signBit | expAll | p;
  }
  let num: bigint, den = 1n, shift = 0;
  let m = HEX_FLOAT.exec(body);
  if (m) {
    const ip = m[1].replace(/_/g, ''), fp = (m[2] ?? '').replace(/_/g, '');
    num = BigInt('0x' + ip + fp);
    const e = m[3] ? clampExp(m[3]) : 0;
    shift = e - 4 * fp.length;
  } else {
    m = DEC_FLOAT.exec(body);
    if (!m) return null;
    const ip = m[1].replace(/_/g, ''), fp = (m[2] ?? '').replace(/_/g, '');
    num = BigInt(ip + fp);
    let e = (m[3] ? clampExp(m[3]) : 0) - fp.length;
    if (num !== 0n) {
      // quick bounds so huge exponents cannot make giant BigInts
      const digits = (ip + fp).replace(/^0+/, '').length;
      if (e + digits > 400) throw new OutOfRange();
      if (e + digits < -400) return signBit;
    }
    if (e >= 0) num *= 10n ** BigInt(e); else den = 10n ** BigInt(-e);
    e = 0;
  }
  if (num === 0n) return signBit;
  if (shift !== 0) {
    const bl = bitLen(num) + shift;
    if (bl > f.emax + 2) throw new OutOfRange();
    if (bl < f.emin - f.mbits - 2) return signBit;
  }
  return signBit | roundRational(num, den, shift, f);
}

function clampExp(s: string): number {
  const v = Number(s.replace(/_/g, ''));
  return Math.max(-1e6, Math.min(1e6, v));
}

/** f32 literal -> raw bits (int32), or null if not a float literal. */
export function parseF32(s: string): number | null {
  const b = parseFloatBits(s, F32);
  return b === null ? null : Number(BigInt.asIntN(32, b));
}
/** f64 literal -> raw bits (signed BigInt), or null if not a float literal. */
export function parseF64(s: string): bigint | null {
  const b = parseFloatBits(s, F64);
  return b === null ? null : BigInt.asIntN(64, b);
}
