// The outside world as WASI sees it, besides files: clocks, randomness, standard streams. Each is an
// interface so the engine stays browser-safe and a replayer can substitute recorded answers.
// Implementations here use only what a browser also has; the Node ones are in engine/node/.

import { Clockid, Errno } from './abi';
import { WasiError } from './fs';

export interface WasiClock {
  /** Current time of clock `id` in ns (REALTIME: since the Unix epoch). EINVAL for an unknown id. */
  now(id: number): bigint;
  /** Resolution of clock `id` in ns. */
  resolution(id: number): bigint;
  /** Blocks for `ns` nanoseconds (poll_oneoff on a clock). May return early or do nothing (a
   *  virtual clock just advances). */
  sleep(ns: bigint): void;
}

export interface WasiRandom {
  /** Fills `buf` with random bytes. */
  fill(buf: Uint8Array): void;
}

export interface WasiStdio {
  /** Reads at most `max` bytes of standard input; an empty result means end of input. */
  readStdin(max: number): Uint8Array;
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
}

function checkClock(id: number): void {
  if (id !== Clockid.REALTIME && id !== Clockid.MONOTONIC && id !== Clockid.PROCESS_CPUTIME_ID &&
    id !== Clockid.THREAD_CPUTIME_ID) throw new WasiError(Errno.INVAL, `unknown clock ${id}`);
}

/**
 * A deterministic virtual clock: every clock starts at `start` (REALTIME at `epoch`) and advances by
 * `step` ns at each reading; `sleep` advances it. For tests and reproducible runs.
 */
export class VirtualClock implements WasiClock {
  private t: bigint;
  constructor(readonly epoch = 1_700_000_000_000_000_000n, readonly step = 1000n, start = 0n) {
    this.t = start;
  }
  now(id: number): bigint {
    checkClock(id);
    this.t += this.step;
    return id === Clockid.REALTIME ? this.epoch + this.t : this.t;
  }
  resolution(id: number): bigint { checkClock(id); return 1n; }
  sleep(ns: bigint): void { if (ns > 0n) this.t += ns; }
}

/** The platform clock through web-standard globals (`performance`, `Date`): works in browsers and
 *  Node. `sleep` busy-waits (a browser main thread cannot block), capped at `maxSleepMs`. */
export class PlatformClock implements WasiClock {
  private readonly origin: number;
  constructor(private readonly maxSleepMs = 1000) {
    const perf = (globalThis as { performance?: { timeOrigin?: number } }).performance;
    this.origin = perf?.timeOrigin ?? Date.now();
  }
  private perfNow(): number {
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    return perf ? perf.now() : Date.now() - this.origin;
  }
  now(id: number): bigint {
    checkClock(id);
    const ms = this.perfNow();
    const rel = BigInt(Math.round(ms * 1e6));
    return id === Clockid.REALTIME ? BigInt(Math.round(this.origin * 1e6)) + rel : rel;
  }
  resolution(id: number): bigint { checkClock(id); return 1000n; }
  sleep(ns: bigint): void {
    const ms = Math.min(Number(ns) / 1e6, this.maxSleepMs);
    const end = this.perfNow() + ms;
    while (this.perfNow() < end) { /* busy wait */ }
  }
}

/** Web Crypto randomness (`crypto.getRandomValues`, in browsers and Node >= 19). */
export class PlatformRandom implements WasiRandom {
  fill(buf: Uint8Array): void {
    const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
    if (!c) throw new WasiError(Errno.NOSYS, 'no crypto.getRandomValues');
    for (let i = 0; i < buf.length; i += 65536) c.getRandomValues(buf.subarray(i, Math.min(buf.length, i + 65536)));
  }
}

/** Deterministic pseudo-random bytes (xorshift32 from `seed`). For tests and reproducible runs. */
export class SeededRandom implements WasiRandom {
  private s: number;
  constructor(seed = 0x2545f491) { this.s = (seed | 0) || 1; }
  fill(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i++) {
      let x = this.s;
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      this.s = x;
      buf[i] = x & 0xff;
    }
  }
}

/** Standard streams in memory: stdin served from a buffer, stdout/stderr collected. */
export class BufferedStdio implements WasiStdio {
  private stdinPos = 0;
  private readonly out: Uint8Array[] = [];
  private readonly err: Uint8Array[] = [];
  private readonly stdin: Uint8Array;
  constructor(stdin: Uint8Array | string = new Uint8Array(0),
    private readonly echo?: { stdout?(b: Uint8Array): void; stderr?(b: Uint8Array): void }) {
    this.stdin = typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
  }
  readStdin(max: number): Uint8Array {
    const n = Math.min(max, this.stdin.length - this.stdinPos);
    const r = this.stdin.slice(this.stdinPos, this.stdinPos + n);
    this.stdinPos += n;
    return r;
  }
  writeStdout(bytes: Uint8Array): void { this.out.push(bytes.slice()); this.echo?.stdout?.(bytes); }
  writeStderr(bytes: Uint8Array): void { this.err.push(bytes.slice()); this.echo?.stderr?.(bytes); }
  stdoutBytes(): Uint8Array { return concat(this.out); }
  stderrBytes(): Uint8Array { return concat(this.err); }
  stdoutText(): string { return new TextDecoder().decode(this.stdoutBytes()); }
  stderrText(): string { return new TextDecoder().decode(this.stderrBytes()); }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const r = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { r.set(c, o); o += c.length; }
  return r;
}
