// The one door between WASI and the guest's linear memory. Every byte WASI reads from or writes to
// the guest goes through a `GuestMemory`, so a recorder can log exactly the bytes the host wrote
// (and a replayer can serve them again). A bad pointer raises `MemoryFault`, which the WASI layer
// turns into EFAULT: never a JS RangeError.

/** Thrown by a `GuestMemory` on an out-of-bounds access; the WASI layer answers EFAULT. */
export class MemoryFault extends Error {
  constructor(readonly addr: number, readonly length: number) {
    super(`guest memory access out of bounds: [${addr}, +${length})`);
    this.name = 'MemoryFault';
  }
}

export interface GuestMemory {
  /** Current size in bytes. */
  size(): number;
  /** A copy of `len` bytes at `addr`. */
  read(addr: number, len: number): Uint8Array;
  /** Writes `bytes` at `addr` (all or nothing: bounds are checked first). */
  write(addr: number, bytes: Uint8Array): void;
  u8(addr: number): number;
  u16(addr: number): number;
  u32(addr: number): number;
  u64(addr: number): bigint;
  setU8(addr: number, v: number): void;
  setU16(addr: number, v: number): void;
  setU32(addr: number, v: number): void;
  setU64(addr: number, v: bigint): void;
}

/** Observer of the bytes the host writes into guest memory (for recording). */
export type MemoryWriteListener = (addr: number, bytes: Uint8Array) => void;

/**
 * A `GuestMemory` over a byte array obtained on each access from `bytes()` (linear memory may be
 * replaced when it grows). Little-endian. All writes funnel through `write`, which notifies
 * `onWrite` with the exact bytes written.
 */
export class ArrayGuestMemory implements GuestMemory {
  onWrite: MemoryWriteListener | null = null;
  constructor(private readonly bytes: () => Uint8Array) {}

  size(): number { return this.bytes().length; }

  private check(addr: number, len: number): Uint8Array {
    const b = this.bytes();
    if (!Number.isInteger(addr) || !Number.isInteger(len) || addr < 0 || len < 0 || addr + len > b.length) {
      throw new MemoryFault(addr, len);
    }
    return b;
  }

  read(addr: number, len: number): Uint8Array {
    const b = this.check(addr, len);
    return b.slice(addr, addr + len);
  }
  write(addr: number, bytes: Uint8Array): void {
    const b = this.check(addr, bytes.length);
    b.set(bytes, addr);
    if (this.onWrite) this.onWrite(addr, bytes.slice());
  }
  u8(addr: number): number { return this.check(addr, 1)[addr]; }
  u16(addr: number): number {
    const b = this.check(addr, 2);
    return b[addr] | (b[addr + 1] << 8);
  }
  u32(addr: number): number {
    const b = this.check(addr, 4);
    return (b[addr] | (b[addr + 1] << 8) | (b[addr + 2] << 16) | (b[addr + 3] << 24)) >>> 0;
  }
  u64(addr: number): bigint {
    this.check(addr, 8);
    return BigInt(this.u32(addr)) | (BigInt(this.u32(addr + 4)) << 32n);
  }
  setU8(addr: number, v: number): void { this.write(addr, Uint8Array.of(v & 0xff)); }
  setU16(addr: number, v: number): void { this.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff)); }
  setU32(addr: number, v: number): void {
    this.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  }
  setU64(addr: number, v: bigint): void {
    const out = new Uint8Array(8);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
    this.write(addr, out);
  }
}

/** What a runtime host call offers of the caller's memory (engine/runtime/store.ts `HostContext`
 *  has this shape): the current bytes, and read/write going through the store's host-call boundary
 *  (so a recorder sees, and a replayer supplies, every byte). */
export interface HostMemoryAccess {
  readonly memory: { bytes(): Uint8Array } | null;
  read(addr: number, len: number): Uint8Array;
  write(addr: number, bytes: Uint8Array): void;
}

/** A `GuestMemory` over a runtime host context: bounds are checked here (MemoryFault), then reads
 *  and writes go through the context. */
export class ContextGuestMemory implements GuestMemory {
  constructor(private readonly ctx: HostMemoryAccess) {}
  size(): number { return this.ctx.memory ? this.ctx.memory.bytes().length : 0; }
  private check(addr: number, len: number): void {
    if (!Number.isInteger(addr) || !Number.isInteger(len) || addr < 0 || len < 0 || addr + len > this.size()) {
      throw new MemoryFault(addr, len);
    }
  }
  read(addr: number, len: number): Uint8Array { this.check(addr, len); return this.ctx.read(addr, len); }
  write(addr: number, bytes: Uint8Array): void { this.check(addr, bytes.length); this.ctx.write(addr, bytes); }
  private bytesAt(addr: number, len: number): Uint8Array {
    this.check(addr, len);
    return this.ctx.memory!.bytes().subarray(addr, addr + len);
  }
  u8(addr: number): number { return this.bytesAt(addr, 1)[0]; }
  u16(addr: number): number { const b = this.bytesAt(addr, 2); return b[0] | (b[1] << 8); }
  u32(addr: number): number {
    const b = this.bytesAt(addr, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
  u64(addr: number): bigint { this.check(addr, 8); return BigInt(this.u32(addr)) | (BigInt(this.u32(addr + 4)) << 32n); }
  setU8(addr: number, v: number): void { this.write(addr, Uint8Array.of(v & 0xff)); }
  setU16(addr: number, v: number): void { this.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff)); }
  setU32(addr: number, v: number): void {
    this.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  }
  setU64(addr: number, v: bigint): void {
    const out = new Uint8Array(8);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
    this.write(addr, out);
  }
}
