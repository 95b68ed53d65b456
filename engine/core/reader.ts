// A cursor over binary module bytes: LEB128 integers (padded encodings accepted, over-long or
// out-of-range ones refused with the testsuite's texts), floats as raw bits, names as UTF-8.

import { DecodeError } from './errors';

// ignoreBOM: a leading U+FEFF is part of the name (names "\u{feff}" and "" are distinct).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  constructor(readonly bytes: Uint8Array, public pos = 0, public end = bytes.length) {}

  get eof(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, at = this.pos): never {
    throw new DecodeError(message, at);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end');
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 4) {
        if (b & 0x80) this.fail('integer representation too long', start);
        if (b & 0x70) this.fail('integer too large', start);
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return result >>> 0;
      shift += 7;
    }
  }

  /** Signed LEB128, at most 32 bits; returns an int32. */
  s32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 4) {
        if (b & 0x80) this.fail('integer representation too long', start);
        // bits 3..6 must all equal the sign bit (bit 3)
        const hi = b & 0x78;
        if (hi !== 0 && hi !== 0x78) this.fail('integer too large', start);
        return result | (b << 28);
      }
      result |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (b & 0x40 && shift < 32) result |= -1 << shift;
        return result;
      }
    }
  }

  /** Signed LEB128 of 33 bits (block types); returns a JS number (exact). */
  s33(): number {
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 4) {
        if (b & 0x80) this.fail('integer representation too long', start);
        const hi = b & 0x70; // bits 4..6 must equal the sign bit (bit 4)... bit 32 is bit 4 here
        if (hi !== 0 && hi !== 0x70) this.fail('integer too large', start);
        result += (b & 0x1f) * mul;
        if (b & 0x10) result -= 2 ** 33;
        return result;
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (!(b & 0x80)) {
        if (b & 0x40) result -= mul;
        return result;
      }
    }
  }

  /** Signed LEB128 of 64 bits, into `out` as [lo, hi] int32 halves. */
  s64(out: Int32Array): void {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      const v = b & 0x7f;
      if (i === 9) {
        if (b & 0x80) this.fail('integer representation too long', start);
        // only bit 0 is payload (bit 63); bits 1..6 must equal it
        const rest = b & 0x7e;
        if ((b & 1) ? rest !== 0x7e : rest !== 0) this.fail('integer too large', start);
        hi |= (b & 1) << 31;
        out[0] = lo; out[1] = hi;
        return;
      }
      if (shift < 28) lo |= v << shift;
      else if (shift === 28) { lo |= v << 28; hi |= v >>> 4; }
      else hi |= v << (shift - 32);
      shift += 7;
      if (!(b & 0x80)) {
        if (b & 0x40) {
          if (shift < 32) { lo |= -1 << shift; hi = -1; }
          else if (shift < 64) hi |= -1 << (shift - 32);
        }
        out[0] = lo; out[1] = hi;
        return;
      }
    }
  }

  /** 4 raw little-endian bytes as an int32 (f32 bit pattern). */
  bits32(): number {
    if (this.pos + 4 > this.end) { this.pos = this.end; this.u8(); }
    const b = this.bytes, p = this.pos;
    this.pos += 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  bytesN(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end');
    const r = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const start = this.pos;
    const len = this.u32();
    if (len > this.end - this.pos) this.fail('length out of bounds', start);
    const b = this.bytesN(len);
    try {
      return utf8.decode(b);
    } catch {
      this.fail('malformed UTF-8 encoding', start);
    }
  }
}
