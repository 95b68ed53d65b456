// The runtime: a Store holds every function, table, memory and global instance (by store-wide
// address), instantiates modules (Wasm 2.0 linking, segment initialisation, start function) and runs
// code on one resumable Machine. All execution state lives in heap data (the value-stack buffer, the
// frame stack, the registers below); wasm calls never recurse on the JS stack.
//
// Host calls leave the interpreter loop; the Machine performs them through the store's single
// HostCallBoundary, which sees the function, its arguments and results, and every byte the host
// writes into linear memory (through HostContext.write). A recorder wraps that boundary; a replayer
// replaces it. References inside the engine are int32 handles: 0 null, function address + 1,
// extern handle (index + 1 in the store's extern table).
//
// API summary (engine/index.ts re-exports it):
//   new Store({ maxCallDepth?, valueStackSlots? })
//   store.instantiate(module, resolver) -> Instance          LinkError / Trap (segments, start)
//   store.invoke(func, args) -> results                      to completion; throws Trap
//   store.hostFunction(type, impl, name?) / createMemory / createTable / createGlobal
//   store.instructionCount                                   retired wasm instructions, exact
//   store.boundary                                           the HostCallBoundary (PassThroughBoundary)
//   debugger: store.start(func, args); store.run(budget) -> 'done' | 'trap' | 'budget' | 'breakpoint';
//     store.machine.{state, results, trap, frameList(), locals(frame), operands(frame, innermost),
//     reset()}; store.addBreakpoint / removeBreakpoint / clearBreakpoints (module, funcIndex, offset);
//     globals / tables / memories through Instance.globals / tables / memories (handles).
// Time: run(budget) stops exactly when `budget` more instructions have retired, even inside a basic
// block (the FAST loop charges whole blocks; the rest of a block that does not fit is executed one
// instruction at a time by the EXACT loop). Every wasm instruction counts 1 (block, loop, nop, end,
// else and the function's final end included; a branch out of a block skips its end; a branch to the
// function's own label executes the final end); a trapping instruction does not retire; a call
// retires when it transfers control.

import { LinkError, Trap, TrapCode, TRAP_MESSAGES } from '../core/errors';
import { InstrReader } from '../core/instr';
import { Op } from '../core/opcodes';
import { ValType, funcTypeEquals, slotCount, MAX_PAGES, PAGE_SIZE, type FuncType, type GlobalType, type MemType, type TableType, type Limits } from '../core/types';
import type { ConstExpr, Module } from '../core/module';
import { type WasmValue, type RefValue } from './values';
import { translate, type Translated, type TranslateEnv } from '../interp/translate';
import { I } from '../interp/iops.gen';
import { runFast, runExact, runRecord } from '../interp/loop.gen';
import { makeSimdViews, type SimdViews } from '../interp/simd';

// ---- handles ------------------------------------------------------------------------------------

export type HostImpl = (args: WasmValue[], ctx: HostContext) => WasmValue[];

/** A function instance (wasm or host). `addr` is its store-wide address. */
export class FuncInst {
  code: Int32Array | null = null;
  tr: Translated | null = null;
  localWords = 0;
  frameWords = 0;
  readonly paramWords: number;
  /** Breakpoints patched into `code`: pc -> original op. */
  readonly orig = new Map<number, number>();
  constructor(readonly store: Store, readonly addr: number, readonly type: FuncType, readonly typeId: number,
    readonly inst: Instance | null, readonly funcIndex: number, readonly host: HostImpl | null, readonly name: string) {
    let w = 0;
    for (const t of type.params) w += 2 * slotCount(t);
    this.paramWords = w;
  }
}
export type FuncHandle = FuncInst;

export class MemInst {
  buf: ArrayBuffer;
  u8: Uint8Array;
  dv: DataView;
  constructor(readonly type: MemType) {
    this.buf = new ArrayBuffer(type.limits.min * PAGE_SIZE);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }
  get pages(): number { return this.u8.length / PAGE_SIZE; }
  get max(): number { return this.type.limits.max ?? MAX_PAGES; }
  /** The current bytes (a view that is replaced when the memory grows). */
  bytes(): Uint8Array { return this.u8; }
  /** memory.grow: the old size in pages, or -1. */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) return old;
    if (old + delta > this.max) return -1;
    let buf: ArrayBuffer;
    try { buf = new ArrayBuffer((old + delta) * PAGE_SIZE); } catch { return -1; }
    const u8 = new Uint8Array(buf);
    u8.set(this.u8);
    this.buf = buf; this.u8 = u8; this.dv = new DataView(buf);
    return old;
  }
  /** Current limits (min = current size) for import matching. */
  limits(): Limits { return { min: this.pages, max: this.type.limits.max }; }
}
export type MemoryHandle = MemInst;

export class TableInst {
  elems: Int32Array;
  size: number;
  readonly addr: number;
  constructor(readonly store: Store, readonly type: TableType, init = 0) {
    this.addr = store.tables.length;
    this.size = type.limits.min;
    this.elems = new Int32Array(Math.max(this.size, 4));
    if (init !== 0) this.elems.fill(init, 0, this.size);
  }
  get max(): number { return this.type.limits.max ?? 0xffffffff; }
  get(i: number): WasmValue {
    if (i >= this.size) throw new Trap(TrapCode.TableOutOfBounds);
    return this.store.refValue(this.type.elem, this.elems[i]);
  }
  set(i: number, v: WasmValue): void {
    if (i >= this.size) throw new Trap(TrapCode.TableOutOfBounds);
    this.elems[i] = this.store.refHandle(v);
  }
  /** table.grow with an element handle: the old size or -1. */
  grow(n: number, init: number): number {
    const old = this.size;
    if (old + n > this.max || old + n > 10000000) return -1;
    if (old + n > this.elems.length) {
      const e = new Int32Array(Math.max(old + n, this.elems.length * 2));
      e.set(this.elems.subarray(0, old));
      this.elems = e;
    }
    this.elems.fill(init, old, old + n);
    this.size = old + n;
    return old;
  }
  fill(i: number, v: number, n: number): number {
    if (i + n > this.size) return TrapCode.TableOutOfBounds;
    this.elems.fill(v, i, i + n);
    return 0;
  }
  limits(): Limits { return { min: this.size, max: this.type.limits.max }; }
}
export type TableHandle = TableInst;

export class GlobalInst {
  constructor(readonly store: Store, readonly type: GlobalType, readonly word: number) {}
  get(): WasmValue { return this.store.readValue(this.store.g32, this.word, this.type.type); }
  set(v: WasmValue): void { this.store.writeValue(this.store.g32, this.word, v); }
}
export type GlobalHandle = GlobalInst;

export type ExternValue =
  | { readonly kind: 'func'; readonly func: FuncHandle }
  | { readonly kind: 'memory'; readonly memory: MemoryHandle }
  | { readonly kind: 'table'; readonly table: TableHandle }
  | { readonly kind: 'global'; readonly global: GlobalHandle };

export type ImportResolver = (module: string, name: string) => ExternValue | undefined;

/** What a host function sees of its caller. Hosts must write linear memory through `write` so the
 *  boundary (recorder / replayer) sees every byte. */
export interface HostContext {
  readonly store: Store;
  /** The calling instance's memory 0, if any (null when called from the API or without memory). */
  readonly memory: MemoryHandle | null;
  read(addr: number, len: number): Uint8Array;
  write(addr: number, bytes: Uint8Array): void;
}

/** The one place where execution crosses into the host. */
export interface HostCallBoundary {
  call(func: FuncHandle, args: WasmValue[], ctx: HostContext): WasmValue[];
  /** The host writes `bytes` at `addr` of `memory` (already bounds-checked by the caller). */
  memoryWrite(memory: MemoryHandle, addr: number, bytes: Uint8Array): void;
}

export class PassThroughBoundary implements HostCallBoundary {
  call(func: FuncHandle, args: WasmValue[], ctx: HostContext): WasmValue[] {
    return func.host!(args, ctx);
  }
  memoryWrite(memory: MemoryHandle, addr: number, bytes: Uint8Array): void {
    memory.u8.set(bytes, addr);
  }
}

// ---- instances ------------------------------------------------------------------------------------

export class Instance {
  readonly exports = new Map<string, ExternValue>();
  readonly funcs: FuncInst[] = [];
  readonly tables: TableInst[] = [];
  readonly memories: MemInst[] = [];
  readonly globals: GlobalInst[] = [];
  /** Data segments (dropped: empty). */
  readonly datas: Uint8Array[] = [];
  /** Element segments as handles (dropped: empty). */
  readonly elems: Int32Array[] = [];
  mem0: MemInst | null = null;
  readonly typeIds: number[] = [];
  constructor(readonly store: Store, readonly module: Module) {}
}

// ---- the machine ----------------------------------------------------------------------------------

export const enum Status { Done = 0, Trap = 1, Fuel = 2, Host = 3, Break = 4, Step = 5 }
/** Memory-access hooks of the RECORD loop (and of EXACT when set): called after the bounds check,
 *  before the access, with the byte address and length in the current instance's memory 0. */
export interface MemoryAccessHook {
  load(addr: number, len: number): void;
  store(addr: number, len: number): void;
}

export type RunStatus = 'done' | 'trap' | 'budget' | 'breakpoint';
export type MachineState = 'idle' | 'paused' | 'done' | 'trapped';

export interface FrameInfo {
  readonly func: FuncHandle;
  readonly instance: Instance | null;
  /** Function index in its module. */
  readonly funcIndex: number;
  /** Byte offset in the module binary of the next instruction (innermost frame) or of the call in
   *  progress (callers). -1 if unknown. */
  readonly offset: number;
  /** Frame base (slot index in the value stack). */
  readonly fp: number;
  /** Translated pc (internal). */
  readonly pc: number;
}

interface Saved {
  code: Int32Array; pc: number; fp2: number; fsp: number; fbase: number; cur: FuncInst; state: MachineState;
  entry: FuncInst | null; entryW: number; skipBreak: number; results: WasmValue[] | null; trap: Trap | null;
}

const NO_CODE = new Int32Array([I.NOP]);
const CHUNK = 0x3fffffff;

export class Machine {
  readonly buf: ArrayBuffer;
  readonly I32: Int32Array;
  readonly F32: Float32Array;
  readonly F64: Float64Array;
  readonly simd: SimdViews;
  readonly stackWords: number;
  readonly frames: Int32Array;
  readonly frameLimit: number;
  readonly emptyElems = new Int32Array(0);

  // registers (read/written by the loops)
  code: Int32Array = NO_CODE;
  pc = 0;
  fp2 = 0;
  fsp = 0;
  fbase = 0;
  cur: FuncInst;
  fuelLeft = 0;
  trapCode = 0;
  /** Extra trap detail (the element index of "uninitialized element"). */
  trapArg = 0;
  hostFunc = 0;
  hostArgW = 0;
  hostTail = false;
  /** Memory-access hooks; non-null selects the RECORD loop (recording / replay). */
  rec: MemoryAccessHook | null = null;

  /** Retired wasm instructions (exact). */
  count = 0;
  state: MachineState = 'idle';
  results: WasmValue[] | null = null;
  trap: Trap | null = null;
  private entry: FuncInst | null = null;
  private entryW = 0;
  private skipBreak = -1;

  constructor(readonly store: Store, valueStackSlots: number, maxCallDepth: number) {
    this.buf = new ArrayBuffer(valueStackSlots * 8);
    this.I32 = new Int32Array(this.buf);
    this.F32 = new Float32Array(this.buf);
    this.F64 = new Float64Array(this.buf);
    this.simd = makeSimdViews(this.buf);
    this.stackWords = valueStackSlots * 2;
    this.frames = new Int32Array(maxCallDepth * 3 + 3);
    this.frameLimit = maxCallDepth * 3;
    this.cur = new FuncInst(store, -1, { params: [], results: [] }, -1, null, -1, null, '<none>');
  }

  // ---- called from the loops ----
  translate(f: FuncInst): void { this.store.translateFunc(f); }
  originalOp(f: FuncInst, pc: number): number { return f.orig.get(pc)!; }
  memoryInit(inst: Instance, seg: number, d: number, s: number, n: number): number {
    const data = inst.datas[seg];
    const mem = inst.mem0!;
    if (s + n > data.length || d + n > mem.u8.length) return TrapCode.MemoryOutOfBounds;
    mem.u8.set(data.subarray(s, s + n), d);
    return 0;
  }
  tableCopy(dt: number, st: number, d: number, s: number, n: number): number {
    const a = this.store.tables[dt], b = this.store.tables[st];
    if (s + n > b.size || d + n > a.size) return TrapCode.TableOutOfBounds;
    if (a === b) a.elems.copyWithin(d, s, s + n);
    else a.elems.set(b.elems.subarray(s, s + n), d);
    return 0;
  }
  tableInit(inst: Instance, t: number, seg: number, d: number, s: number, n: number): number {
    const e = inst.elems[seg];
    const tab = this.store.tables[t];
    if (s + n > e.length || d + n > tab.size) return TrapCode.TableOutOfBounds;
    tab.elems.set(e.subarray(s, s + n), d);
    return 0;
  }

  // ---- starting and running ----

  /** Prepare a call of `func` with `args` (a wasm function) at the bottom of the stack. */
  start(func: FuncHandle, args: WasmValue[]): void {
    if (func.host !== null) throw new Error('start: host functions cannot be debugged');
    this.fsp = 0;
    this.setup(func, args, 0);
  }

  private setup(f: FuncInst, args: WasmValue[], baseW: number): void {
    if (args.length !== f.type.params.length) throw new Error(`expected ${f.type.params.length} arguments, got ${args.length}`);
    const store = this.store;
    if (f.code === null) store.translateFunc(f);
    let w = baseW;
    for (const a of args) { store.writeValue(this.I32, w, a); w += 2 * slotCount(a.type); }
    this.entry = f;
    this.entryW = baseW;
    this.fbase = this.fsp;
    this.results = null;
    this.trap = null;
    this.skipBreak = -1;
    this.state = 'paused';
    if (baseW + f.frameWords > this.stackWords) { this.failTrap(TrapCode.CallStackExhausted, f, -1); return; }
    this.I32.fill(0, baseW + f.paramWords, baseW + f.localWords);
    this.cur = f; this.code = f.code!; this.pc = 0; this.fp2 = baseW;
  }

  /** Abandon the current execution (debugger terminate / restart). */
  reset(): void {
    this.state = 'idle';
    this.fsp = 0; this.fbase = 0; this.pc = 0; this.fp2 = 0; this.code = NO_CODE;
    this.results = null; this.trap = null; this.skipBreak = -1; this.entry = null;
  }

  /** Run until done, trap, breakpoint, or `budget` more instructions have retired (exactly). */
  run(budget = Infinity): RunStatus {
    if (this.state !== 'paused') throw new Error(`run: machine is ${this.state}`);
    return this.drive(this.count + budget);
  }

  private drive(target: number): RunStatus {
    for (;;) {
      const remaining = target - this.count;
      if (remaining <= 0) return 'budget';
      let st: number;
      const code = this.code, pc = this.pc;
      if (this.skipBreak < 0 && code[pc] === I.FUEL && code[pc + 1] <= remaining) {
        const give = remaining > CHUNK ? CHUNK : remaining;
        st = this.rec === null ? runFast(this, give) : runRecord(this, give);
        let used = give - this.fuelLeft;
        if (st === Status.Trap || st === Status.Break) used -= this.cur.tr!.rem[this.pc];
        this.count += used;
      } else {
        const sb = this.skipBreak;
        this.skipBreak = -1;
        st = runExact(this, sb);
        if (st === Status.Step || st === Status.Done || st === Status.Host) this.count += 1;
        if (st === Status.Step) continue;
      }
      switch (st) {
        case Status.Done: this.finish(); return 'done';
        case Status.Fuel: continue;
        case Status.Host:
          if (!this.hostCall()) return 'trap';
          if (this.state === 'done') return 'done';
          continue;
        case Status.Break: this.skipBreak = this.pc; return 'breakpoint';
        case Status.Trap:
          this.failTrap(this.trapCode, this.cur, this.pc,
            this.trapCode === TrapCode.UninitializedElement ? `${TRAP_MESSAGES[TrapCode.UninitializedElement]} ${this.trapArg}` : undefined);
          return 'trap';
      }
    }
  }

  private finish(): void {
    const f = this.entry!;
    const out: WasmValue[] = [];
    let w = this.entryW;
    for (const t of f.type.results) { out.push(this.store.readValue(this.I32, w, t)); w += 2 * slotCount(t); }
    this.results = out;
    this.state = 'done';
  }

  private failTrap(code: number, f: FuncInst, pc: number, message?: string): void {
    let offset = -1;
    if (pc >= 0 && f.tr !== null) {
      offset = f.tr.offsets[pc];
      if (offset < 0) { const c = f.tr.callSites.get(pc); if (c !== undefined) offset = c; } // callSites: continuation pc -> call's byte offset
    }
    this.trap = new Trap(code, message ?? TRAP_MESSAGES[code], f.funcIndex, offset);
    this.state = 'trapped';
  }

  /** Perform the pending host call; false if it trapped (state set). Non-trap exceptions propagate. */
  private hostCall(): boolean {
    const store = this.store;
    const f = store.funcs[this.hostFunc];
    const args: WasmValue[] = [];
    let w = this.hostArgW;
    for (const t of f.type.params) { args.push(store.readValue(this.I32, w, t)); w += 2 * slotCount(t); }
    const callerInst = this.cur.inst;
    let results: WasmValue[];
    try {
      results = store.boundary.call(f, args, store.hostContext(callerInst ? callerInst.mem0 : null));
    } catch (e) {
      this.count -= 1; // the call did not retire
      if (e instanceof Trap) {
        this.trap = e;
        this.state = 'trapped';
        return false;
      }
      // Any other exception is the host's failure: the machine stops as trapped ("host error") and
      // the original exception propagates to the caller of run()/invoke().
      this.trap = new Trap(TrapCode.HostError, `host error: ${e instanceof Error ? e.message : String(e)}`, this.cur.funcIndex);
      this.state = 'trapped';
      throw e;
    }
    if (results.length !== f.type.results.length) throw new Error(`host function ${f.name} returned ${results.length} values, expected ${f.type.results.length}`);
    w = this.hostArgW;
    for (let i = 0; i < results.length; i++) {
      if (results[i].type !== f.type.results[i]) throw new Error(`host function ${f.name} returned a ${results[i].type} for a ${f.type.results[i]}`);
      store.writeValue(this.I32, w, results[i]);
      w += 2 * slotCount(results[i].type);
    }
    if (this.hostTail) {
      // the return_call* frame returns now: results are at its base already
      if (this.fsp === this.fbase) { this.finish(); this.pc = -1; this.code = NO_CODE; }
      else {
        this.fsp -= 3;
        const fs = this.fsp;
        this.cur = store.funcs[this.frames[fs]];
        this.pc = this.frames[fs + 1];
        this.fp2 = this.frames[fs + 2];
        this.code = this.cur.code!;
      }
    }
    return true;
  }

  private save(): Saved {
    return { code: this.code, pc: this.pc, fp2: this.fp2, fsp: this.fsp, fbase: this.fbase, cur: this.cur, state: this.state,
      entry: this.entry, entryW: this.entryW, skipBreak: this.skipBreak, results: this.results, trap: this.trap };
  }
  private restore(s: Saved): void {
    this.code = s.code; this.pc = s.pc; this.fp2 = s.fp2; this.fsp = s.fsp; this.fbase = s.fbase; this.cur = s.cur;
    this.state = s.state; this.entry = s.entry; this.entryW = s.entryW; this.skipBreak = s.skipBreak;
    this.results = s.results; this.trap = s.trap;
  }

  /** Call `func` to completion (nested above any execution in progress); throws Trap. */
  invoke(func: FuncHandle, args: WasmValue[]): WasmValue[] {
    if (func.host !== null) {
      if (args.length !== func.type.params.length) throw new Error(`expected ${func.type.params.length} arguments, got ${args.length}`);
      return this.store.boundary.call(func, args, this.store.hostContext(null));
    }
    const nested = this.state === 'paused';
    const saved = this.save();
    const base = nested ? this.fp2 + this.cur.frameWords : 0;
    if (!nested) this.fsp = 0;
    try {
      this.setup(func, args, base);
      const st = this.state === 'trapped' ? 'trap' : this.drive(Infinity);
      if (st === 'trap') throw this.trap!;
      return this.results!;
    } catch (e) {
      // Wasm calls never recurse in JS, but host -> wasm -> host ... re-entry does: report JS stack
      // overflow there as the wasm trap.
      if (e instanceof RangeError && e.message.indexOf('call stack') >= 0) throw new Trap(TrapCode.CallStackExhausted);
      throw e;
    } finally {
      this.restore(saved);
    }
  }

  // ---- inspection ----

  /** Frames, innermost first. */
  frameList(): FrameInfo[] {
    const out: FrameInfo[] = [];
    if (this.state !== 'paused' && this.state !== 'trapped') return out;
    const funcs = this.store.funcs;
    let pc = this.pc;
    const cur = this.cur;
    if (cur.tr !== null) {
      while (pc >= 0 && pc < cur.code!.length && this.code[pc] === I.FUEL) pc += 2;
      out.push({ func: cur, instance: cur.inst, funcIndex: cur.funcIndex, offset: pc < cur.tr.offsets.length ? cur.tr.offsets[pc] : -1, fp: this.fp2 >> 1, pc });
    }
    for (let j = this.fsp - 3; j >= 0; j -= 3) {
      const f = funcs[this.frames[j]];
      const rpc = this.frames[j + 1];
      const callOffset = f.tr!.callSites.get(rpc) ?? -1; // continuation pc -> the call's byte offset
      const callPc = callOffset >= 0 ? f.tr!.pcOfOffset.get(callOffset) ?? -1 : -1;
      out.push({ func: f, instance: f.inst, funcIndex: f.funcIndex, offset: callOffset, fp: this.frames[j + 2] >> 1, pc: callPc });
    }
    return out;
  }

  /** Locals of a frame (parameters first) with their types. */
  locals(frame: FrameInfo): WasmValue[] {
    const tr = frame.func.tr!;
    return tr.localTypes.map((t, i) => this.store.readValue(this.I32, 2 * (frame.fp + tr.localSlot[i]), t));
  }

  /** The operand stack of a frame (bottom first). For callers: the values below the call's arguments. */
  operands(frame: FrameInfo, innermost: boolean): WasmValue[] {
    const f = frame.func, tr = f.tr!;
    if (frame.pc < 0) return [];
    let height: number;
    if (innermost) height = tr.heights[frame.pc];
    else {
      const op = f.code![frame.pc] === I.BREAK ? f.orig.get(frame.pc)! : f.code![frame.pc];
      const argw = op === I.CALL ? f.code![frame.pc + 2] : f.code![frame.pc + 3];
      height = argw / 2 - tr.numLocalSlots;
    }
    if (height <= 0) return [];
    const again = translate(this.store.envOf(f), f.funcIndex, frame.pc);
    const types = again.capturedTypes ?? [];
    const out: WasmValue[] = [];
    let s = tr.numLocalSlots;
    for (const t of types) {
      if (s - tr.numLocalSlots >= height) break;
      out.push(this.store.readValue(this.I32, 2 * (frame.fp + s), t));
      s += slotCount(t);
    }
    return out;
  }
}

// ---- the store --------------------------------------------------------------------------------------

export interface StoreOptions {
  maxCallDepth?: number;
  valueStackSlots?: number;
}

export class Store {
  readonly funcs: FuncInst[] = [];
  readonly tables: TableInst[] = [];
  readonly memories: MemInst[] = [];
  readonly globals: GlobalInst[] = [];
  /** Globals' values: 4 words (16 bytes) per global. */
  g32 = new Int32Array(64);
  private nGlobals = 0;
  private readonly externs: unknown[] = [];
  private readonly externIds = new Map<unknown, number>();
  private readonly typeIdMap = new Map<string, number>();
  boundary: HostCallBoundary = new PassThroughBoundary();
  readonly machine: Machine;
  /** Breakpoints: module -> function index -> byte offsets. */
  private readonly breakpoints = new Map<Module, Map<number, Set<number>>>();

  constructor(options: StoreOptions = {}) {
    this.machine = new Machine(this, options.valueStackSlots ?? (1 << 21), options.maxCallDepth ?? 100000);
  }

  get instructionCount(): number { return this.machine.count; }

  // ---- types and values ----
  typeId(t: FuncType): number {
    const key = `${t.params.join(',')}>${t.results.join(',')}`;
    let id = this.typeIdMap.get(key);
    if (id === undefined) { id = this.typeIdMap.size; this.typeIdMap.set(key, id); }
    return id;
  }

  refHandle(v: WasmValue): number {
    if (v.type !== ValType.FuncRef && v.type !== ValType.ExternRef) throw new Error('not a reference value');
    const r = v.ref;
    if (r === null) return 0;
    if (r.kind === 'func') return r.addr + 1;
    let id = this.externIds.get(r.value);
    if (id === undefined) { this.externs.push(r.value); id = this.externs.length; this.externIds.set(r.value, id); }
    return id;
  }
  refValue(t: ValType, h: number): WasmValue {
    let ref: RefValue = null;
    if (h !== 0) ref = t === ValType.FuncRef ? { kind: 'func', addr: h - 1 } : { kind: 'extern', value: this.externs[h - 1] };
    return { type: t as ValType.FuncRef | ValType.ExternRef, ref };
  }

  readValue(a: Int32Array, w: number, t: ValType): WasmValue {
    switch (t) {
      case ValType.I32: return { type: t, bits: a[w] };
      case ValType.F32: return { type: t, bits: a[w] };
      case ValType.I64: case ValType.F64:
        return { type: t, bits: (BigInt(a[w + 1]) << 32n) | BigInt(a[w] >>> 0) };
      case ValType.V128: {
        const b = new Uint8Array(16);
        new Int32Array(b.buffer).set(a.subarray(w, w + 4));
        return { type: t, bytes: b };
      }
      default: return this.refValue(t, a[w]);
    }
  }
  writeValue(a: Int32Array, w: number, v: WasmValue): void {
    switch (v.type) {
      case ValType.I32: case ValType.F32: a[w] = v.bits; a[w + 1] = 0; break;
      case ValType.I64: case ValType.F64: a[w] = Number(BigInt.asIntN(32, v.bits)); a[w + 1] = Number(BigInt.asIntN(32, v.bits >> 32n)); break;
      case ValType.V128: {
        const c = new Uint8Array(16); c.set(v.bytes.subarray(0, 16));
        a.set(new Int32Array(c.buffer), w);
        break;
      }
      default: a[w] = this.refHandle(v); a[w + 1] = 0;
    }
  }

  hostContext(memory: MemInst | null): HostContext {
    const store = this;
    return {
      store, memory,
      read(addr: number, len: number): Uint8Array {
        if (memory === null || addr + len > memory.u8.length) throw new Trap(TrapCode.MemoryOutOfBounds);
        return memory.u8.slice(addr, addr + len);
      },
      write(addr: number, bytes: Uint8Array): void {
        if (memory === null || addr + bytes.length > memory.u8.length) throw new Trap(TrapCode.MemoryOutOfBounds);
        store.boundary.memoryWrite(memory, addr, bytes);
      },
    };
  }

  // ---- creating instances of each kind ----
  hostFunction(type: FuncType, impl: HostImpl, name = 'host'): FuncHandle {
    const f = new FuncInst(this, this.funcs.length, type, this.typeId(type), null, -1, impl, name);
    this.funcs.push(f);
    return f;
  }
  createMemory(type: MemType): MemoryHandle {
    const m = new MemInst(type);
    this.memories.push(m);
    return m;
  }
  createTable(type: TableType, init: WasmValue | null = null): TableHandle {
    const t = new TableInst(this, type, init === null ? 0 : this.refHandle(init));
    this.tables.push(t);
    return t;
  }
  /** Store address of a table. */
  tableAddr(t: TableInst): number { return t.addr; }
  createGlobal(type: GlobalType, value: WasmValue): GlobalHandle {
    const n = this.nGlobals++;
    if (4 * this.nGlobals > this.g32.length) {
      const g = new Int32Array(this.g32.length * 2);
      g.set(this.g32);
      this.g32 = g;
    }
    const gl = new GlobalInst(this, type, 4 * n);
    this.writeValue(this.g32, 4 * n, value);
    this.globals.push(gl);
    return gl;
  }

  // ---- translation ----
  envOf(f: FuncInst): TranslateEnv {
    const inst = f.inst!;
    const store = this;
    return {
      module: inst.module,
      funcAddr: (i) => inst.funcs[i].addr,
      globalWord: (i) => inst.globals[i].word,
      tableAddr: (i) => store.tableAddr(inst.tables[i]),
      typeId: (i) => inst.typeIds[i],
      funcParamSlots: (a) => store.funcs[a].paramWords >> 1,
    };
  }
  translateFunc(f: FuncInst): void {
    if (f.inst === null) throw new Error('translateFunc: host function');
    const tr = translate(this.envOf(f), f.funcIndex);
    f.tr = tr;
    f.code = tr.code;
    f.localWords = tr.localWords;
    f.frameWords = tr.frameWords;
    const bps = this.breakpoints.get(f.inst.module)?.get(f.funcIndex);
    if (bps) for (const off of bps) this.patchBreak(f, off);
  }

  // ---- breakpoints: by (module, function index, byte offset of the instruction) ----
  // A breakpoint patches the op of that instruction with BREAK in every translated copy (the original
  // op is kept in FuncInst.orig), so the plain loop pays nothing when none are set. Resuming executes
  // the original op once in the EXACT loop.
  private patchBreak(f: FuncInst, off: number): boolean {
    const pc = f.tr!.pcOfOffset.get(off);
    if (pc === undefined) return false;
    if (!f.orig.has(pc)) { f.orig.set(pc, f.code![pc]); f.code![pc] = I.BREAK; }
    return true;
  }
  /** Set a breakpoint; returns false if no reachable instruction starts at that offset (when known). */
  addBreakpoint(module: Module, funcIndex: number, offset: number): boolean {
    let byFunc = this.breakpoints.get(module);
    if (!byFunc) { byFunc = new Map(); this.breakpoints.set(module, byFunc); }
    let set = byFunc.get(funcIndex);
    if (!set) { set = new Set(); byFunc.set(funcIndex, set); }
    set.add(offset);
    let ok = true;
    for (const f of this.funcs) if (f.inst !== null && f.inst.module === module && f.funcIndex === funcIndex && f.tr !== null) ok = this.patchBreak(f, offset) && ok;
    return ok;
  }
  removeBreakpoint(module: Module, funcIndex: number, offset: number): void {
    this.breakpoints.get(module)?.get(funcIndex)?.delete(offset);
    for (const f of this.funcs) {
      if (f.inst === null || f.inst.module !== module || f.funcIndex !== funcIndex || f.tr === null) continue;
      const pc = f.tr.pcOfOffset.get(offset);
      if (pc !== undefined && f.orig.has(pc)) { f.code![pc] = f.orig.get(pc)!; f.orig.delete(pc); }
    }
  }
  clearBreakpoints(): void {
    for (const [module, byFunc] of this.breakpoints) for (const [fi, set] of byFunc) for (const off of [...set]) this.removeBreakpoint(module, fi, off);
    this.breakpoints.clear();
  }

  // ---- execution API ----
  invoke(func: FuncHandle, args: WasmValue[]): WasmValue[] { return this.machine.invoke(func, args); }
  start(func: FuncHandle, args: WasmValue[]): void { this.machine.start(func, args); }
  run(budget = Infinity): RunStatus { return this.machine.run(budget); }

  // ---- instantiation ----
  instantiate(module: Module, imports: ImportResolver): Instance {
    const inst = new Instance(this, module);
    for (const t of module.types) inst.typeIds.push(this.typeId(t));
    for (const imp of module.imports) {
      const ext = imports(imp.module, imp.name);
      if (ext === undefined) throw new LinkError('unknown import', imp.module, imp.name);
      const bad = (detail: string): never => { throw new LinkError('incompatible import type', imp.module, imp.name, detail); };
      const d = imp.desc;
      if (ext.kind !== d.kind) bad(`expected a ${d.kind}, got a ${ext.kind}`);
      switch (d.kind) {
        case 'func': {
          const f = (ext as { func: FuncInst }).func;
          if (!funcTypeEquals(f.type, module.types[d.typeIndex])) bad('function type mismatch');
          inst.funcs.push(f);
          break;
        }
        case 'table': {
          const t = (ext as { table: TableInst }).table;
          if (t.type.elem !== d.type.elem || !limitsMatch(t.limits(), d.type.limits)) bad('table type mismatch');
          inst.tables.push(t);
          break;
        }
        case 'memory': {
          const mm = (ext as { memory: MemInst }).memory;
          if (!limitsMatch(mm.limits(), d.type.limits)) bad('memory type mismatch');
          inst.memories.push(mm);
          break;
        }
        case 'global': {
          const g = (ext as { global: GlobalInst }).global;
          if (g.type.type !== d.type.type || g.type.mutable !== d.type.mutable) bad('global type mismatch');
          inst.globals.push(g);
          break;
        }
      }
    }
    for (let i = 0; i < module.funcs.length; i++) {
      const fi = module.numImportedFuncs + i;
      const type = module.types[module.funcs[i].typeIndex];
      const name = module.names.funcNames.get(fi) ?? `func${fi}`;
      const f = new FuncInst(this, this.funcs.length, type, inst.typeIds[module.funcs[i].typeIndex], inst, fi, null, name);
      this.funcs.push(f);
      inst.funcs.push(f);
    }
    for (const t of module.tables) inst.tables.push(this.createTable(t));
    for (const mt of module.memories) inst.memories.push(this.createMemory(mt));
    inst.mem0 = inst.memories[0] ?? null;
    for (const g of module.globals) inst.globals.push(this.createGlobal(g.type, this.evalConst(inst, g.init, g.type.type)));
    // table initial values (a table's type has no init expression in Wasm 2.0): null
    for (const e of module.exports) {
      switch (e.kind) {
        case 'func': inst.exports.set(e.name, { kind: 'func', func: inst.funcs[e.index] }); break;
        case 'table': inst.exports.set(e.name, { kind: 'table', table: inst.tables[e.index] }); break;
        case 'memory': inst.exports.set(e.name, { kind: 'memory', memory: inst.memories[e.index] }); break;
        case 'global': inst.exports.set(e.name, { kind: 'global', global: inst.globals[e.index] }); break;
      }
    }
    for (const seg of module.elems) {
      const h = new Int32Array(seg.items.length);
      seg.items.forEach((it, i) => {
        h[i] = typeof it === 'number' ? inst.funcs[it].addr + 1 : this.refHandle(this.evalConst(inst, it, seg.type));
      });
      inst.elems.push(h);
    }
    for (const seg of module.datas) inst.datas.push(seg.data);
    const m = this.machine;
    module.elems.forEach((seg, i) => {
      if (seg.mode === 'active') {
        const off = this.evalConst(inst, seg.offset!, ValType.I32) as { bits: number };
        const t = m.tableInit(inst, this.tableAddr(inst.tables[seg.table]), i, off.bits >>> 0, 0, inst.elems[i].length);
        if (t !== 0) throw new Trap(t);
        inst.elems[i] = m.emptyElems;
      } else if (seg.mode === 'declarative') inst.elems[i] = m.emptyElems;
    });
    module.datas.forEach((seg, i) => {
      if (seg.mode === 'active') {
        const off = this.evalConst(inst, seg.offset!, ValType.I32) as { bits: number };
        const mem = inst.memories[seg.memory];
        const d = off.bits >>> 0;
        if (d + seg.data.length > mem.u8.length) throw new Trap(TrapCode.MemoryOutOfBounds);
        mem.u8.set(seg.data, d);
        inst.datas[i] = new Uint8Array(0);
      }
    });
    if (module.start !== null) this.invoke(inst.funcs[module.start], []);
    return inst;
  }

  /** Evaluate a constant expression (Wasm 2.0 + extended-const). */
  evalConst(inst: Instance, e: ConstExpr, type: ValType): WasmValue {
    const r = new InstrReader(inst.module.bytes, e.start, e.end);
    const st: WasmValue[] = [];
    for (;;) {
      r.next();
      const op = r.op;
      if (op === Op.end) break;
      switch (op) {
        case Op.i32_const: st.push({ type: ValType.I32, bits: r.i32 }); break;
        case Op.f32_const: st.push({ type: ValType.F32, bits: r.i32 }); break;
        case Op.i64_const: st.push({ type: ValType.I64, bits: (BigInt(r.i64[1]) << 32n) | BigInt(r.i64[0] >>> 0) }); break;
        case Op.f64_const: st.push({ type: ValType.F64, bits: (BigInt(r.i64[1]) << 32n) | BigInt(r.i64[0] >>> 0) }); break;
        case Op.v128_const: st.push({ type: ValType.V128, bytes: Uint8Array.from(r.v128) }); break;
        case Op.ref_null: st.push({ type: r.refType as ValType.FuncRef, ref: null }); break;
        case Op.ref_func: st.push({ type: ValType.FuncRef, ref: { kind: 'func', addr: inst.funcs[r.idx].addr } }); break;
        case Op.global_get: st.push(inst.globals[r.idx].get()); break;
        default: {
          const b = st.pop()!, a = st.pop()!;
          const name = r.info.name;
          if (a.type === ValType.I32 && b.type === ValType.I32) {
            const x = a.bits, y = b.bits;
            const v = name === 'i32.add' ? x + y : name === 'i32.sub' ? x - y : Math.imul(x, y);
            st.push({ type: ValType.I32, bits: v | 0 });
          } else if (a.type === ValType.I64 && b.type === ValType.I64) {
            const x = a.bits, y = b.bits;
            const v = name === 'i64.add' ? x + y : name === 'i64.sub' ? x - y : x * y;
            st.push({ type: ValType.I64, bits: BigInt.asIntN(64, v) });
          } else throw new Error(`constant expression: unsupported ${name}`);
        }
      }
    }
    const v = st.pop()!;
    void type;
    return v;
  }
}

function limitsMatch(actual: Limits, declared: Limits): boolean {
  if (actual.min < declared.min) return false;
  if (declared.max !== null) {
    if (actual.max === null || actual.max > declared.max) return false;
  }
  return true;
}
