// Recording a WASI command: instantiate, bind memory, start `_start` paused, run in intervals.
//
// API:
//   startWasiCommand(store, module, wasi): Instance     (instantiated; machine paused at _start)
//   recordWasiCommand(module, moduleBytes, wasi, options): WasiRecordResult
//       records the whole run (options.bufferBytes bounds the retained intervals: a flight recorder)
//       and returns a Recording (module, retained intervals, trap, output tails, summary)

import type { Module } from '../core/module';
import { Store, type Instance } from '../runtime/store';
import { ContextGuestMemory } from '../wasi/memory';
import { WasiExit, type Wasi } from '../wasi/wasi';
import type { WasiStdio } from '../wasi/host';
import { Recorder, recordRun, storeLayout, trapInfo } from './recorder';
import { makeHeader, type Recording } from './format';

export function startWasiCommand(store: Store, module: Module, wasi: Wasi): Instance {
  const instance = store.instantiate(module, wasi.imports(store));
  const mem = instance.exports.get('memory');
  if (mem && mem.kind === 'memory') wasi.setMemory(new ContextGuestMemory(store.hostContext(mem.memory)));
  const start = instance.exports.get('_start');
  if (!start || start.kind !== 'func') throw new Error('not a WASI command: no exported function _start');
  store.machine.start(start.func, []);
  return instance;
}

/** Keeps the last `max` bytes written to a stream (and passes everything through). */
export class TailStdio implements WasiStdio {
  private out: Uint8Array[] = [];
  private err: Uint8Array[] = [];
  constructor(private readonly inner: WasiStdio, readonly max = 4096) {}
  readStdin(max: number): Uint8Array { return this.inner.readStdin(max); }
  writeStdout(b: Uint8Array): void { this.keep(this.out, b); this.inner.writeStdout(b); }
  writeStderr(b: Uint8Array): void { this.keep(this.err, b); this.inner.writeStderr(b); }
  private keep(list: Uint8Array[], b: Uint8Array): void {
    list.push(b.slice());
    const all = concat(list);
    list.length = 0;
    list.push(all.subarray(Math.max(0, all.length - this.max)));
  }
  get stdoutTail(): Uint8Array { return concat(this.out); }
  get stderrTail(): Uint8Array { return concat(this.err); }
}

function concat(list: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const b of list) n += b.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const b of list) { out.set(b, o); o += b.length; }
  return out;
}

export interface WasiRecordOptions {
  intervalLength?: number;
  /** Ring size in bytes (flight recorder); default: keep everything. */
  bufferBytes?: number;
  args?: string[];
  /** Output tails for the recording (wrap the WASI stdio with a TailStdio and pass it here). */
  tails?: TailStdio;
  store?: Store;
}

export interface WasiRecordResult {
  recording: Recording;
  /** 'done' (returned from _start), 'exit' (proc_exit), 'trapped' */
  status: 'done' | 'exit' | 'trapped';
  exitCode: number | null;
  recorder: Recorder;
}

export function recordWasiCommand(module: Module, moduleBytes: Uint8Array, wasi: Wasi, options: WasiRecordOptions = {}): WasiRecordResult {
  const store = options.store ?? new Store();
  const instance = startWasiCommand(store, module, wasi);
  const rec = new Recorder(store, { intervalLength: options.intervalLength, bufferBytes: options.bufferBytes });
  rec.attach();
  try { recordRun(rec); } finally { rec.detach(); }
  const m = store.machine;
  const trap = trapInfo(m);
  const status = m.state === 'done' ? 'done' : trap !== null && m.trap instanceof WasiExit ? 'exit' : 'trapped';
  const exitCode = status === 'done' ? 0 : status === 'exit' ? (m.trap as WasiExit).exitCode : null;
  const recording: Recording = {
    header: makeHeader(moduleBytes, rec.intervalLength, options.args ?? []),
    module: moduleBytes, modulePath: null,
    intervals: rec.intervals.slice(),
    trap,
    stdoutTail: options.tails?.stdoutTail ?? new Uint8Array(0),
    stderrTail: options.tails?.stderrTail ?? new Uint8Array(0),
    summary: { status, endTime: m.count, exitCode, totalIntervals: rec.totalIntervals },
    layout: storeLayout(store, instance),
  };
  return { recording, status, exitCode, recorder: rec };
}
