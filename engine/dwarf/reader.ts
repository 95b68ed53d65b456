// Bounds-checked little-endian reading of DWARF sections. Every read past the end (or any other
// malformed input) throws DwarfError, which the public API turns into an empty result or a typed
// error: damaged debug info never crashes the debugger.

export class DwarfError extends Error {
  constructor(message: string, readonly section: string = '', readonly offset = -1) {
    super(offset >= 0 ? `${message} (${section} at 0x${offset.toString(16)})` : message);
    this.name = 'DwarfError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class DwarfReader {
  pos: number;
  constructor(readonly buf: Uint8Array, readonly section: string, pos = 0, public end = buf.length) {
    this.pos = pos;
    if (end > buf.length) this.end = buf.length;
  }

  fail(msg: string, at = this.pos): never { throw new DwarfError(msg, this.section, at); }
  get done(): boolean { return this.pos >= this.end; }
  private need(n: number): void { if (this.pos + n > this.end || this.pos < 0) this.fail('unexpected end of section'); }

  u8(): number { this.need(1); return this.buf[this.pos++]; }
  u16(): number { this.need(2); const b = this.buf, p = this.pos; this.pos += 2; return b[p] | (b[p + 1] << 8); }
  u24(): number { this.need(3); const b = this.buf, p = this.pos; this.pos += 3; return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16); }
  u32(): number {
    this.need(4); const b = this.buf, p = this.pos; this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }
  /** 64-bit value as a number (exact below 2^53; larger values lose precision, fine for offsets). */
  u64(): number { const lo = this.u32(); const hi = this.u32(); return hi * 0x100000000 + lo; }
  u64big(): bigint { const lo = this.u32(); const hi = this.u32(); return (BigInt(hi) << 32n) | BigInt(lo); }
  /** Unsigned of `size` bytes (1, 2, 4, 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: return this.fail(`unsupported size ${size}`);
    }
  }
  uleb(): number {
    let result = 0, mul = 1;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i < 8) result += (b & 0x7f) * mul; // beyond 56 bits: ignore (not meaningful as a number)
      mul *= 128;
      if ((b & 0x80) === 0) return result;
      if (i > 20) this.fail('LEB128 too long');
    }
  }
  sleb(): number {
    let result = 0, mul = 1, b = 0;
    for (let i = 0; ; i++) {
      b = this.u8();
      if (i < 8) result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) break;
      if (i > 20) this.fail('LEB128 too long');
    }
    if (b & 0x40 && mul <= 2 ** 56) result -= mul;
    return result;
  }
  ulebBig(): bigint {
    let result = 0n, shift = 0n;
    for (let i = 0; ; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift; shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      if (i > 20) this.fail('LEB128 too long');
    }
  }
  slebBig(): bigint {
    let result = 0n, shift = 0n, b = 0;
    for (let i = 0; ; i++) {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift; shift += 7n;
      if ((b & 0x80) === 0) break;
      if (i > 20) this.fail('LEB128 too long');
    }
    if (b & 0x40) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }
  cstr(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end && this.buf[p] !== 0) p++;
    if (p >= this.end) this.fail('unterminated string');
    this.pos = p + 1;
    return utf8.decode(this.buf.subarray(start, p));
  }
  bytes(n: number): Uint8Array {
    if (n < 0) this.fail('negative length');
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(n: number): void { this.need(n); this.pos += n; }
  /** Reads a unit length; returns [length, offsetSize]. */
  initialLength(): [number, number] {
    const l = this.u32();
    if (l === 0xffffffff) return [this.u64(), 8];
    if (l >= 0xfffffff0) this.fail('reserved unit length');
    return [l, 4];
  }
}

/** C string at `offset` in a string section. */
export function strAt(sec: Uint8Array | null, offset: number, name: string): string {
  if (!sec) throw new DwarfError(`missing section ${name}`);
  if (offset < 0 || offset >= sec.length) throw new DwarfError('string offset out of range', name, offset);
  return new DwarfReader(sec, name, offset).cstr();
}
