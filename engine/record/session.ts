// Time travel in a live session: go to any earlier time, step and continue backwards, find the last
// write to a memory range, and run forward again (inside the recorded history host calls are answered
// from the log; past its end live execution and recording resume).
//
// How: execution at the frontier runs under a Recorder (RECORD loop; checkpoint intervals with
// first-load and host logs). In addition, before the first write to a memory page in an interval the
// page's previous contents are saved (an undo log of 64 KiB pre-images per interval). Going back to
// time t: undo the pages of every interval from the current one down to the interval containing t,
// restore that interval's checkpoint, and re-execute forward exactly t - start instructions (FAST loop,
// host calls from the log). Everything is deterministic, so the state equals the one first seen at t.
//
// API (times are Machine.count values: retired wasm instructions since the machine started):
//   new TimeTravelSession(store: Store, options?: { intervalLength?: number; bufferBytes?: number })
//       the store's machine must be paused at the program's entry (Machine.start done)
//   .now: number               current time
//   .start: number             earliest reachable time
//   .frontier: number          end of the recorded history (live execution continues from here)
//   .ended: boolean            the program finished or trapped at the frontier
//   .run(budget?): RunStatus   forward; stops at breakpoints (store.addBreakpoint), done, trap, budget
//   .step(): RunStatus         one instruction forward
//   .seek(t): void             go to time t (start <= t <= frontier); breakpoints ignored
//   .reverseStep(): boolean    one instruction back (false at the start)
//   .reverseContinue(): number | null   back to the last breakpoint hit before now (its time), or to
//                              the start (null)
//   .reverseToWrite(addr, len): number | null   back to just before the last instruction (or host
//                              call) that wrote any byte of [addr, addr+len) of memory 0; null: none
//                              (then at the start)
//   .toRecording(moduleBytes, instance, tails?): Recording   the retained intervals as a recording
//                              (flight-recorder dump; bounded by options.bufferBytes)
//   .undoBytes / .recorder     memory used by page pre-images; the underlying Recorder
// After any move the machine is paused at the new time (or done/trapped at the frontier); inspect it
// with Machine.frameList(), locals(), operands() and memory as usual. A position that is exactly at a
// breakpoint does not stop the next forward run there again.

import type { FuncHandle, HostCallBoundary, HostContext, Instance, Machine, MemoryAccessHook, MemoryHandle, RunStatus, Store } from '../runtime/store';
import { PAGE_SIZE, slotCount } from '../core/types';
import { Trap, TrapCode } from '../core/errors';
import type { WasmValue } from '../runtime/values';
import { WasiExit } from '../wasi/wasi';
import { Recorder, storeLayout, trapInfo } from './recorder';
import { ReplayDivergence } from './memlog';
import { captureSnapshot, pristineSegments, restoreSnapshot, setMemoryPages, type PristineSegments, type Snapshot } from './snapshot';
import { makeHeader, type HostCallRecord, type IntervalRecord, type Recording } from './format';

interface Interval {
  start: Snapshot;
  /** End time (exclusive of nothing: the state at `end` is the next interval's start). */
  end: number;
  host: HostCallRecord[];
  /** Pre-images of the pages first written in this interval. */
  undo: Map<number, Uint8Array>;
}

interface MachineInternals { skipBreak: number }

class HistoryBoundary implements HostCallBoundary {
  calls: HostCallRecord[] = [];
  pos = 0;
  watch: MemoryAccessHook | null = null;
  constructor(private readonly s: TimeTravelSession) {}
  call(func: FuncHandle, _args: WasmValue[], _ctx: HostContext): WasmValue[] {
    const m = this.s.machine;
    const c = this.calls[this.pos++];
    if (!c || c.func !== func.addr || c.time !== m.count) throw new ReplayDivergence(`host call of ${func.name} does not match the log`, m.count);
    const store = this.s.store;
    for (const w of c.writes) {
      const mem = store.memories[w.mem];
      if (this.watch !== null && w.mem === 0) this.watch.store(w.addr, w.bytes.length);
      mem.u8.set(w.bytes, w.addr);
    }
    if (c.trap !== null) throw c.trap.exitCode !== null ? new WasiExit(c.trap.exitCode) : new Trap(c.trap.code as TrapCode, c.trap.message);
    const out: WasmValue[] = [];
    let w = 0;
    for (const t of func.type.results) { out.push(store.readValue(c.results, w, t)); w += 2 * slotCount(t); }
    return out;
  }
  memoryWrite(): void { throw new Error('time travel: the host is not called inside the history'); }
}

/** Watches stores to a byte range (a MemoryAccessHook for the RECORD loop). */
class WriteWatch implements MemoryAccessHook {
  hit = false;
  constructor(readonly addr: number, readonly len: number) {}
  load(): void { /* loads do not matter */ }
  store(a: number, n: number): void { if (a < this.addr + this.len && this.addr < a + n) this.hit = true; }
}

export class TimeTravelSession {
  readonly recorder: Recorder;
  private readonly intervals: Interval[] = [];
  private readonly liveBoundary: HostCallBoundary;
  private readonly history: HistoryBoundary;
  private readonly pristine: PristineSegments;
  private readonly mem: MemoryHandle | null;
  private open: Interval | null = null;
  private frontierTime: number;
  private endState: 'done' | 'trapped' | null = null;
  readonly start: number;
  undoBytes = 0;

  constructor(readonly store: Store, options: { intervalLength?: number; bufferBytes?: number } = {}) {
    const m = store.machine;
    if (m.state !== 'paused') throw new Error('TimeTravelSession: the machine must be paused at the start of the program');
    this.mem = store.memories[0] ?? null;
    this.recorder = new Recorder(store, { intervalLength: options.intervalLength, bufferBytes: options.bufferBytes, onFirstPageWrite: (p) => this.savePage(p) });
    this.liveBoundary = store.boundary;
    this.history = new HistoryBoundary(this);
    this.pristine = pristineSegments(store);
    this.start = m.count;
    this.frontierTime = m.count;
  }

  get machine(): Machine { return this.store.machine; }
  get now(): number { return this.machine.count; }
  get frontier(): number { return this.frontierTime; }
  get ended(): boolean { return this.endState !== null; }

  private savePage(p: number): void {
    const iv = this.open;
    if (iv === null || this.mem === null || iv.undo.has(p)) return;
    const off = p * PAGE_SIZE;
    if (off >= this.mem.u8.length) return;
    iv.undo.set(p, this.mem.u8.slice(off, off + PAGE_SIZE));
    this.undoBytes += PAGE_SIZE;
  }

  // ---- live execution at the frontier ----

  private beginLive(): void {
    this.store.boundary = this.liveBoundary;
    this.recorder.attach();
  }
  private endLive(): void { this.recorder.detach(); }

  private closeOpen(): void {
    if (this.open === null) return;
    const rec: IntervalRecord = this.recorder.endInterval();
    this.open.end = rec.endTime;
    this.open.host = rec.host;
    this.open = null;
  }

  /** Runs live from the frontier for up to `budget` instructions. */
  private runLive(budget: number, stopAtBreakpoints: boolean): RunStatus {
    const m = this.machine;
    const end = m.count + budget;
    this.beginLive();
    try {
      for (;;) {
        if (m.count >= end) return 'budget';
        if (this.open === null) {
          this.recorder.beginInterval();
          this.open = { start: captureSnapshot(m), end: -1, host: [], undo: new Map() };
          this.intervals.push(this.open);
        }
        const ivEnd = this.open.start.time + this.recorder.intervalLength;
        let st: RunStatus;
        try {
          st = m.run(Math.min(end, ivEnd) - m.count);
        } finally {
          this.frontierTime = m.count;
        }
        if (st === 'done' || st === 'trap') { this.endState = st === 'done' ? 'done' : 'trapped'; this.closeOpen(); return st; }
        if (st === 'breakpoint' && stopAtBreakpoints) return st;
        if (m.count >= ivEnd) this.closeOpen();
      }
    } finally {
      this.endLive();
    }
  }

  // ---- re-execution inside the history ----

  private intervalAt(t: number): number {
    let lo = 0, hi = this.intervals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.intervals[mid].start.time <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** Forward from now to `target` (or a stop). Inside the history: host calls from the log. */
  private forward(target: number, stopAtBreakpoints: boolean, watch: WriteWatch | null = null): RunStatus {
    const m = this.machine;
    for (;;) {
      if (m.state !== 'paused') return m.state === 'done' ? 'done' : 'trap';
      if (m.count >= target) return 'budget';
      if (m.count >= this.frontierTime && this.open === null && !this.endState) {
        if (watch !== null) return 'budget';
        return this.runLive(target - m.count, stopAtBreakpoints);
      }
      if (this.open !== null && m.count >= this.open.start.time) return watch !== null ? 'budget' : this.runLive(target - m.count, stopAtBreakpoints);
      const k = this.intervalAt(m.count);
      const iv = this.intervals[k];
      const last = k === this.intervals.length - 1;
      const endsRun = last && this.endState !== null;
      this.history.calls = iv.host;
      let pos = 0;
      while (pos < iv.host.length && iv.host[pos].time <= m.count) pos++;
      this.history.pos = pos;
      this.history.watch = watch;
      this.store.boundary = this.history;
      m.rec = watch;
      let st: RunStatus;
      try {
        const stop = Math.min(target, iv.end);
        // the instruction that ended the run does not retire: allow one more to reproduce it
        st = m.run(stop - m.count + (endsRun && stop === iv.end ? 1 : 0));
      } finally {
        m.rec = null;
        this.history.watch = null;
        this.store.boundary = this.liveBoundary;
      }
      if (st === 'breakpoint') { if (stopAtBreakpoints) return st; continue; }
      if (st !== 'budget') return st;
    }
  }

  /** Restores the state at the start of interval k (memory via the undo logs). */
  private restoreInterval(k: number): void {
    this.closeOpen();
    const m = this.machine;
    const cur = Math.min(this.intervalAt(m.count), this.intervals.length - 1);
    const mem = this.mem;
    if (mem !== null) {
      for (let i = cur; i >= k; i--) {
        for (const [p, bytes] of this.intervals[i].undo) {
          const off = p * PAGE_SIZE;
          if (off + PAGE_SIZE <= mem.u8.length) mem.u8.set(bytes, off);
        }
      }
    }
    restoreSnapshot(m, this.intervals[k].start, this.pristine);
    if (mem !== null) setMemoryPages(mem, this.intervals[k].start.memPages[0]);
  }

  private settle(): void {
    const m = this.machine;
    if (m.state === 'paused') (m as unknown as MachineInternals).skipBreak = m.pc;
  }

  // ---- public moves ----

  run(budget = Infinity): RunStatus {
    const st = this.forward(this.now + budget, true);
    return st;
  }
  step(): RunStatus { return this.run(1); }

  seek(t: number): void {
    if (t < this.start || t > this.frontierTime) throw new RangeError(`seek: time ${t} outside [${this.start}, ${this.frontierTime}]`);
    const m = this.machine;
    if (t < m.count || m.state !== 'paused') {
      if (this.intervals.length === 0) return;
      this.restoreInterval(this.intervalAt(t));
    }
    this.forward(t, false);
    if (m.count !== t && !(m.state !== 'paused' && t === this.frontierTime)) throw new ReplayDivergence(`seek reached ${m.count}, not ${t}`, m.count);
    this.settle();
  }

  reverseStep(): boolean {
    if (this.now <= this.start) return false;
    this.seek(this.now - 1);
    return true;
  }

  /** Last breakpoint hit strictly before `now`. */
  reverseContinue(): number | null {
    const m = this.machine;
    const before = m.count;
    if (before <= this.start) return null;
    this.closeOpen();
    for (let k = this.intervalAt(before - 1); k >= 0; k--) {
      const iv = this.intervals[k];
      this.seekToIntervalStart(k);
      (m as unknown as MachineInternals).skipBreak = -1;
      let lastHit = -1;
      const stop = Math.min(before, iv.end);
      while (m.count < stop) {
        const st = this.forward(stop, true);
        if (st === 'breakpoint') { if (m.count < before) lastHit = m.count; else break; }
        else break;
      }
      if (m.state === 'paused' && m.count < stop && lastHit < 0) { /* stopped by end of run */ }
      if (lastHit >= 0) { this.seek(lastHit); return lastHit; }
    }
    this.seek(this.start);
    return null;
  }

  private seekToIntervalStart(k: number): void {
    this.restoreInterval(k);
  }

  reverseToWrite(addr: number, len: number): number | null {
    const m = this.machine;
    const before = m.count;
    if (before <= this.start) return null;
    this.closeOpen();
    const hitIn = (from: number, to: number): boolean => {
      this.seek(from);
      const w = new WriteWatch(addr, len);
      this.forward(to, false, w);
      return w.hit;
    };
    for (let k = this.intervalAt(before - 1); k >= 0; k--) {
      const iv = this.intervals[k];
      const a = iv.start.time, b = Math.min(before, iv.end);
      if (b <= a || !hitIn(a, b)) continue;
      // narrow [a, b) down to the last single instruction whose execution writes the range: one
      // forward pass per level over chunks of 1/16 of the span, remembering the last chunk with a hit
      let lo = a, hi = b;
      while (hi - lo > 1) {
        const chunk = Math.max(1, Math.ceil((hi - lo) / 16));
        this.seek(lo);
        let found = -1;
        for (let s = lo; s < hi; s += chunk) {
          const w = new WriteWatch(addr, len);
          this.forward(Math.min(hi, s + chunk), false, w);
          if (w.hit) found = s;
          if (m.state !== 'paused') break;
        }
        if (found < 0) break;
        hi = Math.min(hi, found + chunk); lo = found;
      }
      this.seek(lo);
      return lo;
    }
    this.seek(this.start);
    return null;
  }

  /** The retained intervals as a recording (flight-recorder dump; replay it with Replayer). Closes
   *  the interval in progress at the frontier. */
  toRecording(moduleBytes: Uint8Array, instance: Instance, tails?: { stdout: Uint8Array; stderr: Uint8Array }): Recording {
    this.closeOpen();
    const m = this.machine;
    const atFrontier = m.count === this.frontierTime;
    const trap = atFrontier ? trapInfo(m) : null;
    return {
      header: makeHeader(moduleBytes, this.recorder.intervalLength),
      module: moduleBytes, modulePath: null,
      intervals: this.recorder.intervals.slice(),
      trap,
      stdoutTail: tails?.stdout ?? new Uint8Array(0), stderrTail: tails?.stderr ?? new Uint8Array(0),
      summary: { status: this.endState === null ? 'running' : trap !== null && trap.exitCode !== null ? 'exit' : this.endState, endTime: this.frontierTime, exitCode: trap?.exitCode ?? (this.endState === 'done' ? 0 : null), totalIntervals: this.recorder.totalIntervals },
      layout: storeLayout(this.store, instance),
    };
  }
}
