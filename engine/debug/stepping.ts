// Forward stepping for debuggers, in engine terms: frame depths, functions and byte offsets.
//
//   BreakpointTable                 user and temporary breakpoints sharing the store's patches
//   currentLocation(machine)        { module, funcIndex, offset } of the next instruction, or null
//   frameDepth(machine)             number of frames (1 = only the entry function)
//   debugFrames(machine)            frames innermost first, callers at their call instruction
//   new StepRun(store, table, mode, sameStatement?, runner?)   one continue / step in / over / out
//                                   (runner: a ForwardRunner, e.g. a recording session; default the Machine)
//     .advance(budget)              runs at most ~budget instructions; null = not finished yet,
//                                   'breakpoint' = stopped at a user breakpoint (advance() again
//                                   resumes the same step), 'step' | 'done' | 'trap' = finished
//     .cancel()                     drops the temporary breakpoints (pause, terminate)
//
// Statement granularity is given by the caller as `sameStatement(a, b)` (e.g. "same source line");
// without it every instruction is its own statement. Stepping over a call and stepping out run at
// full speed with a temporary breakpoint at the caller's continuation (the instruction after the
// call), accepted only at the right frame depth (recursion).

import { InstrReader } from '../core/instr';
import type { Module } from '../core/module';
import { I } from '../interp/iops.gen';
import type { FrameInfo, Machine, RunStatus, Store } from '../runtime/store';

/** What executes instructions forward: the store's Machine by default, or a recorder / time-travel
 *  session with the same contract (run(budget) stops at store breakpoints, done, trap or budget). */
export interface ForwardRunner {
  run(budget: number): RunStatus;
}

export interface CodeLocation {
  readonly module: Module;
  readonly funcIndex: number;
  /** Byte offset of the instruction in module.bytes. */
  readonly offset: number;
}

export type StepMode = 'continue' | 'into' | 'over' | 'out';
export type StepOutcome = 'step' | 'breakpoint' | 'done' | 'trap';

interface Entry { user: number; temp: number }

/** Breakpoints by (module, function index, byte offset), reference-counted so a temporary
 *  breakpoint never removes a user one at the same instruction. */
export class BreakpointTable {
  private readonly byModule = new Map<Module, Map<string, Entry>>();
  constructor(private readonly store: Store) {}

  private entry(module: Module, funcIndex: number, offset: number, create: boolean): Entry | undefined {
    let m = this.byModule.get(module);
    if (!m) { if (!create) return undefined; m = new Map(); this.byModule.set(module, m); }
    const key = `${funcIndex}:${offset}`;
    let e = m.get(key);
    if (!e && create) { e = { user: 0, temp: 0 }; m.set(key, e); }
    return e;
  }

  /** Adds a breakpoint; false if no reachable instruction starts there (the breakpoint is kept). */
  add(module: Module, funcIndex: number, offset: number, temp = false): boolean {
    const e = this.entry(module, funcIndex, offset, true)!;
    if (temp) e.temp++; else e.user++;
    return this.store.addBreakpoint(module, funcIndex, offset);
  }

  remove(module: Module, funcIndex: number, offset: number, temp = false): void {
    const e = this.entry(module, funcIndex, offset, false);
    if (!e) return;
    if (temp) e.temp = Math.max(0, e.temp - 1); else e.user = Math.max(0, e.user - 1);
    if (e.user + e.temp === 0) {
      this.byModule.get(module)!.delete(`${funcIndex}:${offset}`);
      this.store.removeBreakpoint(module, funcIndex, offset);
    }
  }

  /** Removes every user breakpoint (temporary ones stay). */
  clearUser(): void {
    for (const [module, m] of this.byModule) {
      for (const [key, e] of [...m]) {
        if (e.user === 0) continue;
        const [f, o] = key.split(':').map(Number);
        e.user = 1;
        this.remove(module, f, o);
      }
    }
  }

  isUser(loc: CodeLocation): boolean {
    const e = this.entry(loc.module, loc.funcIndex, loc.offset, false);
    return e !== undefined && e.user > 0;
  }
}

/** The next instruction to execute (innermost frame), or null when nothing is running. */
export function currentLocation(m: Machine): CodeLocation | null {
  if (m.state !== 'paused' && m.state !== 'trapped') return null;
  const cur = m.cur;
  const tr = cur.tr;
  if (tr === null || cur.inst === null) return null;
  let pc = m.pc;
  while (pc >= 0 && pc < m.code.length && m.code[pc] === I.FUEL) pc += 2;
  const offset = pc >= 0 && pc < tr.offsets.length ? tr.offsets[pc] : -1;
  return { module: cur.inst.module, funcIndex: cur.funcIndex, offset };
}

/** The frames, innermost first, like Machine.frameList() but with callers located at their call
 *  instruction: `offset` is the call's byte offset and `pc` the call op's pc (Translated.callSites
 *  maps a continuation pc to the call's byte offset). */
export function debugFrames(m: Machine): FrameInfo[] {
  const list = m.frameList();
  if (list.length <= 1) return list;
  const out: FrameInfo[] = [list[0]];
  let k = 1;
  for (let j = m.fsp - 3; j >= 0 && k < list.length; j -= 3, k++) {
    const f = m.store.funcs[m.frames[j]];
    const tr = f.tr!;
    const offset = tr.callSites.get(m.frames[j + 1]) ?? -1;
    const pc = offset >= 0 ? tr.pcOfOffset.get(offset) ?? -1 : -1;
    out.push({ ...list[k], offset, pc });
  }
  return out;
}

/** Number of active frames (1 while only the entry function runs). */
export function frameDepth(m: Machine): number {
  return m.fsp / 3 + 1;
}

/** Byte offset of the instruction following the one at `offset`. */
export function nextInstructionOffset(module: Module, offset: number): number {
  const r = new InstrReader(module.bytes, offset, module.bytes.length);
  r.next();
  return r.pos;
}

/** The continuation of the frame at `depth` (1-based, 1 = entry function) while a callee of it runs. */
function continuationOf(m: Machine, depth: number): CodeLocation | null {
  const j = (depth - 1) * 3;
  if (j < 0 || j + 3 > m.fsp) return null;
  const f = m.store.funcs[m.frames[j]];
  if (f.tr === null || f.inst === null) return null;
  const callOffset = f.tr.callSites.get(m.frames[j + 1]);
  if (callOffset === undefined) return null;
  return { module: f.inst.module, funcIndex: f.funcIndex, offset: nextInstructionOffset(f.inst.module, callOffset) };
}

function sameLoc(a: CodeLocation | null, b: CodeLocation | null): boolean {
  return a !== null && b !== null && a.module === b.module && a.funcIndex === b.funcIndex && a.offset === b.offset;
}

/** One resumable execution request (see the header). */
export class StepRun {
  private readonly m: Machine;
  private sliceEnd = 0;
  private readonly plan: Generator<StepOutcome | undefined, StepOutcome, void>;
  private temps: CodeLocation[] = [];
  private finished: StepOutcome | null = null;
  private readonly runner: ForwardRunner;

  constructor(store: Store, private readonly table: BreakpointTable, readonly mode: StepMode,
    private readonly sameStatement?: (a: CodeLocation, b: CodeLocation) => boolean,
    runner?: ForwardRunner) {
    this.m = store.machine;
    this.runner = runner ?? store.machine;
    this.plan = this.run();
  }

  /** Runs at most about `budget` instructions. null: not finished (call again); 'breakpoint': at a
   *  user breakpoint (call again to go on with the same request); otherwise finished. */
  advance(budget: number): StepOutcome | null {
    if (this.finished !== null) return this.finished;
    this.sliceEnd = this.m.count + budget;
    let r: IteratorResult<StepOutcome | undefined, StepOutcome>;
    try {
      r = this.plan.next();
    } catch (e) {
      this.cancel();
      throw e;
    }
    if (r.done) { this.cancel(); this.finished = r.value; return r.value; }
    return r.value ?? null;
  }

  cancel(): void {
    for (const t of this.temps) this.table.remove(t.module, t.funcIndex, t.offset, true);
    this.temps = [];
  }

  private status(): StepOutcome | null {
    const s = this.m.state;
    return s === 'done' ? 'done' : s === 'trapped' ? 'trap' : null;
  }

  /** Executes exactly one instruction (stepping over a breakpoint at the current one). */
  private stepOne(): StepOutcome | null {
    let st = this.runner.run(1);
    if (st === 'breakpoint') st = this.runner.run(1);
    if (st === 'done') return 'done';
    if (st === 'trap') return 'trap';
    return null;
  }

  /** Full speed until the machine stops; yields undefined at slice ends. */
  private *runFree(): Generator<StepOutcome | undefined, StepOutcome, void> {
    for (;;) {
      const left = this.sliceEnd - this.m.count;
      if (left <= 0) { yield undefined; continue; }
      const st = this.runner.run(left);
      if (st === 'budget') continue;
      return st === 'done' ? 'done' : st === 'trap' ? 'trap' : 'breakpoint';
    }
  }

  private atUserBreakpoint(): boolean {
    const loc = currentLocation(this.m);
    return loc !== null && this.table.isUser(loc);
  }

  private same(a: CodeLocation, b: CodeLocation | null): boolean {
    if (b === null) return false;
    if (this.sameStatement) return a.module === b.module && a.funcIndex === b.funcIndex && this.sameStatement(a, b);
    return sameLoc(a, b);
  }

  /** Runs until the frame at `depth` is the innermost one again (at its call's continuation).
   *  Returns null when there, or how execution ended. User breakpoints on the way are yielded. */
  private *returnTo(depth: number): Generator<StepOutcome | undefined, StepOutcome | null, void> {
    const cont = continuationOf(this.m, depth);
    if (cont === null) return null;
    this.table.add(cont.module, cont.funcIndex, cont.offset, true);
    this.temps.push(cont);
    try {
      for (;;) {
        const st = yield* this.runFree();
        if (st !== 'breakpoint') return st;
        const here = currentLocation(this.m);
        if (frameDepth(this.m) === depth && sameLoc(here, cont)) return null;
        if (this.atUserBreakpoint()) yield 'breakpoint';
      }
    } finally {
      this.table.remove(cont.module, cont.funcIndex, cont.offset, true);
      this.temps = this.temps.filter(t => t !== cont);
    }
  }

  private *run(): Generator<StepOutcome | undefined, StepOutcome, void> {
    const m = this.m;
    const ended = this.status();
    if (ended !== null) return ended;
    switch (this.mode) {
      case 'continue':
      case 'out': {
        // The first instruction is executed on its own (it may carry the breakpoint we stopped at).
        const d0 = frameDepth(m);
        const first = this.stepOne();
        if (first !== null) return first;
        if (this.mode === 'out' && frameDepth(m) < d0) return 'step';
        if (this.mode === 'out' && d0 > 1) {
          const r = yield* this.returnTo(d0 - 1);
          return r ?? 'step';
        }
        for (;;) {
          const st = yield* this.runFree();
          if (st !== 'breakpoint') return st;
          yield 'breakpoint';
        }
      }
      case 'into':
      case 'over': {
        const d0 = frameDepth(m);
        const start = currentLocation(m);
        if (start === null) return this.status() ?? 'done';
        for (;;) {
          const r = this.stepOne();
          if (r !== null) return r;
          let d = frameDepth(m);
          if (d > d0 && this.mode === 'over') {
            const rr = yield* this.returnTo(d0);
            if (rr !== null) return rr;
            d = frameDepth(m);
          }
          const here = currentLocation(m);
          if (d !== d0 || !this.same(start, here)) {
            if (this.atUserBreakpoint()) yield 'breakpoint';
            return 'step';
          }
          if (this.atUserBreakpoint()) yield 'breakpoint';
          if (m.count >= this.sliceEnd) yield undefined;
        }
      }
    }
  }
}
