// Recording and replay of executions (BugNet model).
//
// Time is Machine.count (retired wasm instructions). A recording is a sequence of intervals; each
// starts with a checkpoint of the register file (snapshot.ts, no memory contents) and carries the
// interval's first-load log (memlog.ts) and host-call log (results + every byte the host wrote).
// Replay restores a checkpoint into a fresh store whose memory starts unknown, re-executes with the
// RECORD loop filling memory from the first-load log and answering host calls from the host log
// (the host is never called), and checks the register-file hash at every interval end.
//
// API:
//   new Recorder(store, options?: RecorderOptions)
//     .attach() / .detach()            install / remove the memory hooks and the host-call boundary
//     .beginInterval()                 checkpoint now (machine paused)
//     .endInterval(): IntervalRecord   close the open interval (kept in .intervals, a ring bounded by
//                                      options.bufferBytes)
//     .intervals, .totalIntervals, .retainedBytes, .loggedBytes
//   recordRun(recorder, budget?): RunStatus    run the machine in intervals of options.intervalLength
//   trapInfo(machine): TrapInfo | null
//   new Replayer(recording)
//     .start(): positions at the oldest retained checkpoint (memory unknown)
//     .runInterval(): RunStatus        replays the current interval, verifies its end hash
//     .replayAll(): ReplayResult       every retained interval, to the recorded end (trap, exit, done)
//     .machine, .store, .memory, .known(addr, len)  (bytes not known from the logs are unknown)

import { Trap, TrapCode } from '../core/errors';
import { slotCount } from '../core/types';
import type { Module } from '../core/module';
import { decodeModule } from '../binary/decoder';
import { validateModule } from '../validate/validator';
import {
  MemInst, Store, type FuncHandle, type HostCallBoundary, type HostContext, type Instance, type Machine,
  type MemoryHandle, type RunStatus, type ExternValue,
} from '../runtime/store';
import type { WasmValue } from '../runtime/values';
import { WasiExit } from '../wasi/wasi';
import { FirstLoadRecorder, FirstLoadReplayer, ReplayDivergence } from './memlog';
import { captureSnapshot, checkSnapshotFits, pristineSegments, restoreSnapshot, snapshotHash, type PristineSegments } from './snapshot';
import type { HostCallRecord, IntervalRecord, Recording, StoreLayout, TrapInfo } from './format';

export { ReplayDivergence } from './memlog';

export interface RecorderOptions {
  /** Instructions per interval (default 2^20). */
  intervalLength?: number;
  /** Keep at most about this many bytes of intervals (oldest dropped first; default: keep all). */
  bufferBytes?: number;
  /** Called with a page index the first time the guest or host writes it in an interval. */
  onFirstPageWrite?: (page: number) => void;
}

function resultWords(f: FuncHandle, vals: WasmValue[], store: Store): Int32Array {
  let n = 0;
  for (const t of f.type.results) n += 2 * slotCount(t);
  const out = new Int32Array(n);
  let w = 0;
  vals.forEach((v, i) => { if (i < f.type.results.length) { store.writeValue(out, w, v); w += 2 * slotCount(f.type.results[i]); } });
  return out;
}

export function intervalBytes(iv: IntervalRecord): number {
  let n = 64 + iv.loads.length * 4 + iv.start.stack.length * 4 + iv.start.frames.length * 4 + iv.start.globals.length * 4;
  for (const t of iv.start.tables) n += t.elems.length * 4;
  for (const c of iv.host) { n += 32 + c.results.length * 4; for (const w of c.writes) n += 16 + w.bytes.length; }
  return n;
}

/** The memory a recording tracks: the store's only memory (an empty one if it has none). */
function trackedMemory(store: Store): MemoryHandle {
  if (store.memories.length > 1) throw new Error('recording supports at most one memory');
  return store.memories[0] ?? new MemInst({ limits: { min: 0, max: 0 } });
}

class RecordingBoundary implements HostCallBoundary {
  calls: HostCallRecord[] = [];
  private current: HostCallRecord | null = null;
  constructor(private readonly inner: HostCallBoundary, private readonly rec: Recorder) {}
  call(func: FuncHandle, args: WasmValue[], ctx: HostContext): WasmValue[] {
    const store = this.rec.store;
    const r: HostCallRecord = { time: store.machine.count, func: func.addr, results: new Int32Array(0), writes: [], trap: null };
    const outer = this.current;
    this.current = r;
    try {
      const res = this.inner.call(func, args, ctx);
      r.results = resultWords(func, res, store);
      return res;
    } catch (e) {
      if (e instanceof Trap) r.trap = { code: e.code, message: e.message, exitCode: e instanceof WasiExit ? e.exitCode : null };
      throw e;
    } finally {
      this.current = outer;
      if (outer === null) this.calls.push(r);
    }
  }
  memoryWrite(memory: MemoryHandle, addr: number, bytes: Uint8Array): void {
    if (bytes.length > 0 && this.current !== null) {
      if (memory === this.rec.memory) this.rec.hook.store(addr, bytes.length);
      this.current.writes.push({ mem: this.rec.store.memories.indexOf(memory), addr, bytes: bytes.slice() });
    }
    this.inner.memoryWrite(memory, addr, bytes);
  }
}

export class Recorder {
  readonly hook: FirstLoadRecorder;
  readonly memory: MemoryHandle;
  readonly intervalLength: number;
  readonly bufferBytes: number;
  /** Retained intervals, oldest first. */
  readonly intervals: IntervalRecord[] = [];
  totalIntervals = 0;
  retainedBytes = 0;
  /** First-load log bytes over all intervals. */
  loggedBytes = 0;
  private boundary: RecordingBoundary | null = null;
  private inner: HostCallBoundary | null = null;
  private openStart: ReturnType<typeof captureSnapshot> | null = null;
  private openHash = '';

  constructor(readonly store: Store, options: RecorderOptions = {}) {
    this.memory = trackedMemory(store);
    this.hook = new FirstLoadRecorder(this.memory);
    if (options.onFirstPageWrite) this.hook.onFirstPageWrite = options.onFirstPageWrite;
    this.intervalLength = options.intervalLength ?? (1 << 20);
    this.bufferBytes = options.bufferBytes ?? Infinity;
  }
  get machine(): Machine { return this.store.machine; }
  get isOpen(): boolean { return this.openStart !== null; }
  get openStartTime(): number { return this.openStart ? this.openStart.time : -1; }

  attach(): void {
    if (this.boundary !== null) return;
    this.inner = this.store.boundary;
    this.boundary = new RecordingBoundary(this.inner, this);
    this.store.boundary = this.boundary;
    this.machine.rec = this.hook;
  }
  detach(): void {
    if (this.boundary === null) return;
    this.store.boundary = this.inner!;
    this.machine.rec = null;
    this.boundary = null;
  }

  beginInterval(): void {
    if (this.openStart !== null) throw new Error('beginInterval: an interval is open');
    this.hook.take(); // new epoch, empty log
    this.boundary!.calls = [];
    this.openStart = captureSnapshot(this.machine);
    this.openHash = snapshotHash(this.openStart);
  }

  endInterval(): IntervalRecord {
    const start = this.openStart;
    if (start === null) throw new Error('endInterval: no open interval');
    const m = this.machine;
    const iv: IntervalRecord = {
      index: this.totalIntervals++, start, startHash: this.openHash, endTime: m.count,
      endHash: snapshotHash(captureSnapshot(m)), loads: this.hook.take(), host: this.boundary!.calls,
    };
    this.boundary!.calls = [];
    this.openStart = null;
    this.loggedBytes += iv.loads.length * 4;
    this.intervals.push(iv);
    this.retainedBytes += intervalBytes(iv);
    while (this.intervals.length > 1 && this.retainedBytes > this.bufferBytes) this.retainedBytes -= intervalBytes(this.intervals.shift()!);
    return iv;
  }
}

/** Runs the (paused) machine for up to `budget` instructions in intervals of the recorder's length.
 *  Returns the run status ('budget' when the budget is used up). */
export function recordRun(rec: Recorder, budget = Infinity): RunStatus {
  const m = rec.machine;
  const end = m.count + budget;
  for (;;) {
    const left = end - m.count;
    if (left <= 0) return 'budget';
    rec.beginInterval();
    let st: RunStatus;
    try {
      st = m.run(Math.min(rec.intervalLength, left));
    } finally {
      rec.endInterval();
    }
    if (st !== 'budget') return st;
  }
}

export function trapInfo(m: Machine): TrapInfo | null {
  const t = m.trap;
  if (m.state !== 'trapped' || t === null) return null;
  return { code: t.code, message: t.message, funcIndex: t.funcIndex, offset: t.offset, time: m.count, exitCode: t instanceof WasiExit ? t.exitCode : null };
}

// ---- replay --------------------------------------------------------------------------------------------

class ReplayBoundary implements HostCallBoundary {
  calls: HostCallRecord[] = [];
  pos = 0;
  constructor(private readonly r: Replayer) {}
  call(func: FuncHandle, _args: WasmValue[], _ctx: HostContext): WasmValue[] {
    const m = this.r.machine;
    if (this.pos >= this.calls.length) throw new ReplayDivergence(`host call of ${func.name} not in the host log`, m.count);
    const c = this.calls[this.pos++];
    if (c.func !== func.addr) throw new ReplayDivergence(`host log has a call of function ${c.func}, execution calls ${func.addr} (${func.name})`, m.count);
    if (c.time !== m.count) throw new ReplayDivergence(`host call logged at time ${c.time}`, m.count);
    const store = this.r.store;
    for (const w of c.writes) {
      const mem = store.memories[w.mem];
      if (!mem || w.addr + w.bytes.length > mem.u8.length) throw new ReplayDivergence('host write outside memory', m.count);
      if (mem === this.r.memory) this.r.hook.store(w.addr, w.bytes.length);
      mem.u8.set(w.bytes, w.addr);
    }
    if (c.trap !== null) throw c.trap.exitCode !== null ? new WasiExit(c.trap.exitCode) : new Trap(c.trap.code as TrapCode, c.trap.message);
    let n = 0;
    for (const t of func.type.results) n += 2 * slotCount(t);
    if (n !== c.results.length) throw new ReplayDivergence(`host log results of ${func.name} have the wrong size`, m.count);
    const out: WasmValue[] = [];
    let w = 0;
    for (const t of func.type.results) { out.push(store.readValue(c.results, w, t)); w += 2 * slotCount(t); }
    return out;
  }
  memoryWrite(): void { throw new Error('replay: the host is never called'); }
}

export interface ReplayResult {
  status: RunStatus;
  time: number;
  trap: Trap | null;
  /** Intervals replayed and verified. */
  intervals: number;
  /** Exit code if the run ended by proc_exit. */
  exitCode: number | null;
}

/** The function-address layout of a store with one instance (for StoreLayout in recordings). */
export function storeLayout(store: Store, instance: Instance): StoreLayout {
  const hostFuncs: StoreLayout['hostFuncs'] = [];
  for (const f of store.funcs) {
    if (f.host === null) break;
    hostFuncs.push({ name: f.name, params: [...f.type.params], results: [...f.type.results] });
  }
  for (let a = hostFuncs.length; a < store.funcs.length; a++) {
    if (store.funcs[a].inst !== instance) throw new Error('recording supports a store of host functions and one instance');
  }
  return { hostFuncs, imports: instance.funcs.slice(0, instance.module.numImportedFuncs).map(f => f.addr) };
}

/** Builds a store with the recording's module and inert imports (never called during replay),
 *  reproducing the recorded function addresses when a layout is given. */
export function replayStore(module: Module, layout: StoreLayout | null = null): { store: Store; instance: Instance } {
  const store = new Store();
  const m2: Module = { ...module, start: null };
  const inert = (name: string) => (): WasmValue[] => { throw new Error(`replay: host ${name} called`); };
  if (layout) for (const h of layout.hostFuncs) store.hostFunction({ params: h.params, results: h.results }, inert(h.name), h.name);
  let nextFuncImport = 0;
  const instance = store.instantiate(m2, (mod, name) => {
    const imp = module.imports.find(i => i.module === mod && i.name === name)!;
    const d = imp.desc;
    let ext: ExternValue;
    switch (d.kind) {
      case 'func': {
        const k = nextFuncImport++;
        if (layout && k < layout.imports.length && layout.imports[k] < store.funcs.length) { ext = { kind: 'func', func: store.funcs[layout.imports[k]] }; break; }
        ext = { kind: 'func', func: store.hostFunction(module.types[d.typeIndex], inert(`${mod}.${name}`), `${mod}.${name}`) };
        break;
      }
      case 'memory': ext = { kind: 'memory', memory: store.createMemory(d.type) }; break;
      case 'table': ext = { kind: 'table', table: store.createTable(d.type) }; break;
      default: ext = { kind: 'global', global: store.createGlobal(d.type, defaultValue(d.type.type)) }; break;
    }
    return ext;
  });
  return { store, instance };
}

function defaultValue(t: number): WasmValue {
  return store0.readValue(new Int32Array(4), 0, t);
}
const store0 = new Store({ valueStackSlots: 16, maxCallDepth: 4 });

export class Replayer {
  readonly module: Module;
  readonly store: Store;
  readonly instance: Instance;
  readonly memory: MemoryHandle;
  readonly hook: FirstLoadReplayer;
  private readonly boundary: ReplayBoundary;
  private readonly pristine: PristineSegments;
  /** Index of the interval to run next. */
  next = 0;

  constructor(readonly recording: Recording) {
    this.module = decodeModule(recording.module);
    validateModule(this.module);
    const { store, instance } = replayStore(this.module, recording.layout);
    this.store = store;
    this.instance = instance;
    this.pristine = pristineSegments(store);
    this.memory = trackedMemory(store);
    this.hook = new FirstLoadReplayer(this.memory);
    this.hook.now = () => this.store.machine.count;
    this.boundary = new ReplayBoundary(this);
    store.boundary = this.boundary;
  }
  get machine(): Machine { return this.store.machine; }

  /** Positions at the oldest retained checkpoint; memory contents unknown (zero). */
  start(): void {
    const iv = this.recording.intervals[0];
    if (!iv) throw new Error('recording has no intervals');
    checkSnapshotFits(this.machine, iv.start);
    restoreSnapshot(this.machine, iv.start, this.pristine);
    for (const mem of this.store.memories) mem.u8.fill(0);
    this.next = 0;
  }

  /** Replays interval `next` from the current state and checks its end hash. */
  runInterval(): RunStatus {
    const iv = this.recording.intervals[this.next];
    if (!iv) throw new Error('no more intervals');
    const m = this.machine;
    if (iv.startHash !== '' && snapshotHash(captureSnapshot(m)) !== iv.startHash) {
      // not continuous with the previous interval (or first): restore the checkpoint
      checkSnapshotFits(m, iv.start);
      restoreSnapshot(m, iv.start, this.pristine);
      if (snapshotHash(captureSnapshot(m)) !== iv.startHash) throw new ReplayDivergence(`checkpoint ${iv.index} does not match its hash`, m.count);
    }
    this.hook.begin(iv.loads);
    this.boundary.calls = iv.host;
    this.boundary.pos = 0;
    m.rec = this.hook;
    let st: RunStatus;
    try {
      // An interval that ends the run (trap, exit, return) gets one more instruction of budget: the
      // trapping instruction does not retire, so the recorded end time is before it.
      const last = this.next === this.recording.intervals.length - 1 && this.recording.summary !== null && this.recording.summary.status !== 'running';
      st = m.state === 'paused' ? m.run(iv.endTime - m.count + (last ? 1 : 0)) : (m.state === 'trapped' ? 'trap' : 'done');
    } finally {
      m.rec = null;
    }
    if (m.count !== iv.endTime) throw new ReplayDivergence(`interval ${iv.index} ended at ${m.count}, recorded ${iv.endTime}`, m.count);
    const h = snapshotHash(captureSnapshot(m));
    if (h !== iv.endHash) throw new ReplayDivergence(`state hash at the end of interval ${iv.index} differs (${h} != ${iv.endHash})`, m.count);
    if (!this.hook.finished()) throw new ReplayDivergence(`first-load log of interval ${iv.index} not fully used`, m.count);
    if (this.boundary.pos !== iv.host.length) throw new ReplayDivergence(`host log of interval ${iv.index} not fully used`, m.count);
    this.next++;
    return st;
  }

  replayAll(): ReplayResult {
    this.start();
    let st: RunStatus = 'budget';
    while (this.next < this.recording.intervals.length) st = this.runInterval();
    const m = this.machine;
    const trap = m.state === 'trapped' ? m.trap : null;
    const rt = this.recording.trap;
    if (rt !== null && (trap === null || trap.code !== rt.code || m.count !== rt.time)) {
      throw new ReplayDivergence(`recording ends with trap '${rt.message}' at ${rt.time}; replay ${trap ? `trapped with '${trap.message}'` : `is ${m.state}`} at ${m.count}`, m.count);
    }
    return { status: st, time: m.count, trap, intervals: this.next, exitCode: trap instanceof WasiExit ? trap.exitCode : null };
  }

  /** Memory bytes [addr, addr+len) with a mask: 1 = known from the logs / replay, 0 = unknown. */
  known(addr: number, len: number): { bytes: Uint8Array; known: Uint8Array } {
    const end = Math.min(this.memory.u8.length, addr + len);
    const bytes = this.memory.u8.slice(addr, end);
    return { bytes, known: this.hook.knownMask(addr, bytes.length) };
  }
}

