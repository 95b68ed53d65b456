// A growable byte buffer with the LEB128 and little-endian writers the binary encoder needs.

export class ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  bytes(b: Uint8Array | readonly number[]): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  u32(v: number): void {
    this.ensure(5);
    v = v >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.len++] = b;
    } while (v !== 0);
  }
  s32(v: number): void {
    this.ensure(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.buf[this.len++] = b; return; }
      this.buf[this.len++] = b | 0x80;
    }
  }
  /** Signed LEB128 of a BigInt (i64 constants, s33 block type indices). */
  sbig(v: bigint): void {
    this.ensure(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { this.buf[this.len++] = b; return; }
      this.buf[this.len++] = b | 0x80;
    }
  }
  u32le(v: number): void {
    this.ensure(4);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 24) & 0xff;
  }
  u64le(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.u32le(Number(u & 0xffffffffn));
    this.u32le(Number(u >> 32n));
  }
  /** vec(byte) */
  name(b: Uint8Array): void {
    this.u32(b.length);
    this.bytes(b);
  }
  /** Append another writer's content as a length-prefixed blob (sections, bodies). */
  blob(w: ByteWriter): void {
    this.u32(w.len);
    this.bytes(w.buf.subarray(0, w.len));
  }
  toArray(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
