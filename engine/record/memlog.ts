// Memory-access tracking for recording and replay (BugNet-style first-load logging).
//
// Granularity is the aligned 4-byte word. Each word carries the epoch (interval number) in which it
// was last "touched" (loaded or stored); starting an interval is `epoch++` — O(1), never O(memory).
// The per-word array grows lazily with the memory.
//
//  - FirstLoadRecorder (recording): the first load of an untouched word logs its current value; a
//    store marks words touched, but a partial store to an untouched word first logs the word (its other
//    bytes could be loaded later). Consecutive untouched words of one access form one run in the log:
//    (word index, count, words...)*.
//  - FirstLoadReplayer (replay): the same walk, but an untouched word is *filled* from the next log run
//    (checked: same word index, same count, and equal to the value already known from an earlier
//    interval, if any). Words never filled or stored stay "unknown" (`known` map).
// Both also track pages first written in the current epoch (for undo snapshots of live sessions).

import type { MemoryAccessHook, MemoryHandle } from '../runtime/store';

export class ReplayDivergence extends Error {
  constructor(message: string, readonly time: number) {
    super(`replay diverged at time ${time}: ${message}`);
    this.name = 'ReplayDivergence';
  }
}

abstract class WordTracker implements MemoryAccessHook {
  epoch = 1;
  protected ep: Int32Array = new Int32Array(0);
  protected pg: Int32Array = new Int32Array(0);
  protected w32: Int32Array = new Int32Array(0);
  private buf: ArrayBuffer | null = null;
  constructor(readonly mem: MemoryHandle) {}
  /** Start a new interval: every word becomes untouched. */
  newEpoch(): void { this.epoch++; }
  protected sync(): void {
    const mem = this.mem;
    if (mem.buf !== this.buf) {
      this.buf = mem.buf;
      this.w32 = new Int32Array(mem.buf);
      const words = this.w32.length;
      if (words > this.ep.length) { const e = new Int32Array(words); e.set(this.ep); this.ep = e; }
      const pages = words >>> 14;
      if (pages > this.pg.length) { const p = new Int32Array(pages); p.set(this.pg); this.pg = p; }
    }
  }
  /** The page `p` is about to be written for the first time in this epoch. */
  protected firstPageWrite(p: number): void { this.pg[p] = this.epoch; }
  /** Untouched word `w` (and following untouched words up to `end`) meet a load: returns the first word index not handled. */
  protected abstract untouched(w: number, end: number): number;
  /** One untouched word before a partial store. */
  protected abstract untouchedOne(w: number): void;

  load(a: number, n: number): void {
    if (n === 0) return;
    if (this.mem.buf !== this.buf) this.sync();
    const ep = this.ep, cur = this.epoch;
    let w = a >>> 2;
    const last = (a + n - 1) >>> 2;
    if (w === last) { if (ep[w] !== cur) this.untouched(w, w + 1); return; }
    while (w <= last) {
      if (ep[w] === cur) { w++; continue; }
      w = this.untouched(w, last + 1);
    }
  }

  store(a: number, n: number): void {
    if (n === 0) return;
    if (this.mem.buf !== this.buf) this.sync();
    const ep = this.ep, cur = this.epoch, pg = this.pg;
    const w0 = a >>> 2;
    const last = (a + n - 1) >>> 2;
    if (pg[a >>> 16] !== cur) this.firstPageWrite(a >>> 16);
    if (w0 === last) {
      if (ep[w0] !== cur) { if (n !== 4) this.untouchedOne(w0); ep[w0] = cur; }
      return;
    }
    for (let p = (a >>> 16) + 1, pe = (a + n - 1) >>> 16; p <= pe; p++) if (pg[p] !== cur) this.firstPageWrite(p);
    if ((a & 3) !== 0 && ep[w0] !== cur) this.untouchedOne(w0);
    if (((a + n) & 3) !== 0 && ep[last] !== cur) this.untouchedOne(last);
    ep.fill(cur, w0, last + 1);
  }
}

/** Recording side: builds the first-load log of the current interval. */
export class FirstLoadRecorder extends WordTracker {
  private log: Int32Array = new Int32Array(1024);
  private len = 0;
  /** Start of the last run in the log (-1: none). */
  private lastRun = -1;
  /** Called with a page index the first time it is written in an epoch, before the write. */
  onFirstPageWrite: ((page: number) => void) | null = null;

  private reserve(k: number): void {
    if (this.len + k <= this.log.length) return;
    let c = this.log.length * 2;
    while (c < this.len + k) c *= 2;
    const l = new Int32Array(c); l.set(this.log.subarray(0, this.len)); this.log = l;
  }
  protected override firstPageWrite(p: number): void {
    if (this.onFirstPageWrite !== null) this.onFirstPageWrite(p);
    this.pg[p] = this.epoch;
  }
  /** Appends words [w, e) (marking them touched); a run continuing the previous one extends it. */
  private append(w: number, e: number): void {
    const ep = this.ep, cur = this.epoch, w32 = this.w32;
    const k = e - w;
    this.reserve(k + 2);
    const log = this.log;
    let j = this.len;
    if (this.lastRun >= 0 && log[this.lastRun] + log[this.lastRun + 1] === w) log[this.lastRun + 1] += k;
    else { this.lastRun = j; log[j++] = w; log[j++] = k; }
    for (let i = w; i < e; i++) { log[j++] = w32[i]; ep[i] = cur; }
    this.len = j;
  }
  protected untouched(w: number, end: number): number {
    const ep = this.ep, cur = this.epoch;
    let e = w + 1;
    while (e < end && ep[e] !== cur) e++;
    this.append(w, e);
    return e;
  }
  protected untouchedOne(w: number): void { this.append(w, w + 1); }
  /** Bytes logged so far in this interval. */
  get logBytes(): number { return this.len * 4; }
  /** Ends the interval's log: returns it and starts a new epoch. */
  take(): Int32Array {
    const out = this.log.slice(0, this.len);
    this.len = 0;
    this.lastRun = -1;
    this.newEpoch();
    return out;
  }
}

/** Replay side: fills memory from a first-load log; tracks which words are known. */
export class FirstLoadReplayer extends WordTracker {
  private log: Int32Array = new Int32Array(0);
  private pos = 0;
  private knownMap: Uint8Array = new Uint8Array(0);
  /** Current time, for divergence messages. */
  now: () => number = () => -1;

  protected override sync(): void {
    super.sync();
    if (this.w32.length > this.knownMap.length) { const k = new Uint8Array(this.w32.length); k.set(this.knownMap); this.knownMap = k; }
  }
  /** Starts an interval's log (new epoch). */
  begin(log: Int32Array): void {
    this.log = log; this.pos = 0; this.runLeft = 0; this.newEpoch();
    this.sync();
  }
  /** All of the interval's log was consumed. */
  finished(): boolean { return this.pos === this.log.length && this.runLeft === 0; }
  private fail(msg: string): never { throw new ReplayDivergence(msg, this.now()); }
  /** Words left in the current run and the next word it supplies. */
  private runLeft = 0;
  private runWord = 0;
  /** Fills untouched word w from the log (runs are consumed word by word). */
  private take(w: number): void {
    const log = this.log;
    if (this.runLeft === 0) {
      if (this.pos + 2 > log.length) this.fail(`first-load log exhausted at word ${w}`);
      this.runWord = log[this.pos]; this.runLeft = log[this.pos + 1];
      if (this.runLeft < 1 || this.pos + 2 + this.runLeft > log.length) this.fail('malformed first-load log');
      this.pos += 2;
    }
    if (this.runWord !== w) this.fail(`first-load log expects word ${this.runWord}, execution loads word ${w}`);
    if (w >= this.w32.length) this.fail('first-load log outside memory');
    const v = log[this.pos++];
    if (this.knownMap[w] !== 0 && this.w32[w] !== v) this.fail(`word ${w} (byte ${w * 4}) logged as ${v >>> 0}, replay has ${this.w32[w] >>> 0}`);
    this.w32[w] = v; this.knownMap[w] = 1; this.ep[w] = this.epoch;
    this.runWord++; this.runLeft--;
  }
  protected untouched(w: number, end: number): number {
    const ep = this.ep, cur = this.epoch;
    let e = w;
    while (e < end && ep[e] !== cur) { this.take(e); e++; }
    return e;
  }
  protected untouchedOne(w: number): void { this.take(w); }
  override store(a: number, n: number): void {
    super.store(a, n);
    if (n > 0) this.knownMap.fill(1, a >>> 2, ((a + n - 1) >>> 2) + 1);
  }
  /** Is the byte at `addr` known (loaded from the log or written during replay)? */
  isKnown(addr: number): boolean { this.sync(); return this.knownMap[addr >>> 2] === 1; }
  /** Known-byte mask for [addr, addr+len): 1 known, 0 unknown. */
  knownMask(addr: number, len: number): Uint8Array {
    this.sync();
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.knownMap[(addr + i) >>> 2] ?? 0;
    return out;
  }
  /** Number of known bytes of memory. */
  knownBytes(): number { this.sync(); let n = 0; for (let i = 0; i < this.w32.length; i++) n += this.knownMap[i]; return 4 * n; }
}
