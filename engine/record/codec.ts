// Byte-level encoding for .rewind files: a growable little-endian writer and a bounds-checked reader
// whose every failure is a RecordingFormatError carrying the absolute byte offset. Structured payloads
// are "field lists": (field id: varint, byte length: varint, bytes)*; readers take the fields they
// know and skip the rest, and a missing field means its default, so fields can be added in later
// format versions without breaking older readers.

/** A .rewind file (or an in-memory recording) is corrupt, truncated, from a future format version, or
 *  belongs to another module. `offset` is the byte offset in the file where the problem was found
 *  (-1 if not tied to a position). */
export class RecordingFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
    this.name = 'RecordingFormatError';
  }
}

export class BinWriter {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  length = 0;
  private need(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  u8(x: number): this { this.need(1); this.buf[this.length++] = x; return this; }
  u16(x: number): this { this.need(2); this.dv.setUint16(this.length, x, true); this.length += 2; return this; }
  u32(x: number): this { this.need(4); this.dv.setUint32(this.length, x >>> 0, true); this.length += 4; return this; }
  i32(x: number): this { this.need(4); this.dv.setInt32(this.length, x | 0, true); this.length += 4; return this; }
  /** Unsigned varint (LEB128) of a non-negative integer up to 2^53. */
  uv(x: number): this {
    if (!(x >= 0) || !Number.isSafeInteger(x)) throw new Error(`varint out of range: ${x}`);
    this.need(8);
    while (x >= 0x80) { this.buf[this.length++] = (x % 0x80) | 0x80; x = Math.floor(x / 0x80); }
    this.buf[this.length++] = x;
    return this;
  }
  /** Signed int32 as zigzag varint. */
  sv(x: number): this { return this.uv(((x << 1) ^ (x >> 31)) >>> 0); }
  bytes(b: Uint8Array): this { this.need(b.length); this.buf.set(b, this.length); this.length += b.length; return this; }
  /** Length-prefixed bytes. */
  blob(b: Uint8Array): this { return this.uv(b.length).bytes(b); }
  str(s: string): this { return this.blob(new TextEncoder().encode(s)); }
  /** Int32 words, length-prefixed (count), little-endian. */
  words(a: Int32Array): this {
    this.uv(a.length);
    this.need(4 * a.length);
    for (let i = 0; i < a.length; i++) { this.dv.setInt32(this.length, a[i], true); this.length += 4; }
    return this;
  }
  field(id: number, payload: Uint8Array): this { return this.uv(id).blob(payload); }
  fieldUv(id: number, x: number): this { return this.field(id, new BinWriter().uv(x).finish()); }
  fieldStr(id: number, s: string): this { return this.field(id, new TextEncoder().encode(s)); }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}

export class BinReader {
  pos: number;
  private readonly dv: DataView;
  /** `base`: absolute file offset of data[0], for error messages. */
  constructor(readonly data: Uint8Array, readonly base = 0, start = 0, readonly end = data.length) {
    this.pos = start;
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  fail(msg: string, at = this.pos): never { throw new RecordingFormatError(msg, this.base + at); }
  get left(): number { return this.end - this.pos; }
  private need(n: number, what: string): void { if (n > this.end - this.pos) this.fail(`truncated ${what}`); }
  u8(): number { this.need(1, 'byte'); return this.data[this.pos++]; }
  u16(): number { this.need(2, 'u16'); const x = this.dv.getUint16(this.pos, true); this.pos += 2; return x; }
  u32(): number { this.need(4, 'u32'); const x = this.dv.getUint32(this.pos, true); this.pos += 4; return x; }
  i32(): number { this.need(4, 'i32'); const x = this.dv.getInt32(this.pos, true); this.pos += 4; return x; }
  uv(): number {
    const at = this.pos;
    let x = 0, mul = 1;
    for (let i = 0; ; i++) {
      if (i >= 8) this.fail('varint too long', at);
      const b = this.u8();
      x += (b & 0x7f) * mul;
      if (!Number.isSafeInteger(x)) this.fail('varint too large', at);
      if ((b & 0x80) === 0) return x;
      mul *= 0x80;
    }
  }
  /** A varint that must be <= max (counts and lengths). */
  count(max: number, what: string): number {
    const at = this.pos;
    const n = this.uv();
    if (n > max) this.fail(`${what} ${n} exceeds ${max}`, at);
    return n;
  }
  sv(): number { const at = this.pos; const u = this.uv(); if (u > 0xffffffff) this.fail('zigzag int32 too large', at); return (u >>> 1) ^ -(u & 1); }
  bytes(n: number): Uint8Array { this.need(n, 'bytes'); const b = this.data.slice(this.pos, this.pos + n); this.pos += n; return b; }
  blob(): Uint8Array { return this.bytes(this.count(this.left, 'byte length')); }
  str(): string {
    const at = this.pos;
    const b = this.blob();
    try { return new TextDecoder('utf-8', { fatal: true }).decode(b); } catch { this.fail('invalid UTF-8 string', at); }
  }
  words(): Int32Array {
    const n = this.count(Math.floor(this.left / 4), 'word count');
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) { a[i] = this.dv.getInt32(this.pos, true); this.pos += 4; }
    return a;
  }
  /** Reads a field list until `end`: id -> sub-reader over the field's bytes (later duplicates win). */
  fields(): Map<number, BinReader> {
    const m = new Map<number, BinReader>();
    while (this.pos < this.end) {
      const id = this.uv();
      const len = this.count(this.left, 'field length');
      m.set(id, new BinReader(this.data, this.base, this.pos, this.pos + len));
      this.pos += len;
    }
    return m;
  }
  /** The field reader must have been consumed exactly. */
  done(what: string): void { if (this.pos !== this.end) this.fail(`${this.end - this.pos} stray bytes in ${what}`); }
}

/** Helpers over a field map. */
export function fUv(f: Map<number, BinReader>, id: number, def: number): number {
  const r = f.get(id); if (!r) return def; const x = r.uv(); r.done('field'); return x;
}
export function fStr(f: Map<number, BinReader>, id: number, def: string): string {
  const r = f.get(id); if (!r) return def;
  try { return new TextDecoder('utf-8', { fatal: true }).decode(r.bytes(r.left)); } catch { return r.fail('invalid UTF-8 string'); }
}
export function fBytes(f: Map<number, BinReader>, id: number): Uint8Array | null {
  const r = f.get(id); return r ? r.bytes(r.left) : null;
}
export function fRequire(f: Map<number, BinReader>, id: number, what: string, r: BinReader): BinReader {
  const x = f.get(id);
  if (!x) r.fail(`missing ${what}`);
  return x;
}
