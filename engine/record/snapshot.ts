// The machine's "register file" at a point in time, without linear-memory contents: all frames
// (function address, return pc, frame base), the live part of the value stack, globals, table sizes
// and contents, memory sizes (pages), dropped data/element segments, and the run state. Capturing and
// restoring are O(live state), never O(memory). A state hash covers the same fields (and optionally
// memory contents) to detect divergence between a recording and its replay.
//
// API:
//   captureSnapshot(m: Machine): Snapshot
//   restoreSnapshot(m: Machine, s: Snapshot, pristine: PristineSegments): void   (memory sizes set;
//       contents kept up to the new size, new bytes zero)
//   pristineSegments(store: Store): PristineSegments       (take right after instantiation)
//   stateHash(m: Machine, withMemory = false): string      (16 hex digits)
//   encodeSnapshot(s): Uint8Array / decodeSnapshot(r: BinReader): Snapshot
//   setMemoryPages(mem: MemoryHandle, pages: number): void

import type { Machine, MachineState, Store, MemoryHandle, Instance, FuncHandle } from '../runtime/store';
import { PAGE_SIZE, ValType, slotCount } from '../core/types';
import { translate } from '../interp/translate';
import { StateHasher } from './hash';
import { I } from '../interp/iops.gen';
import { BinReader, BinWriter, RecordingFormatError, fUv } from './codec';

/** Fields of Machine that are private in store.ts but part of the register file. */
interface MachineInternals { entry: FuncHandle | null; entryW: number; skipBreak: number }
const internals = (m: Machine): MachineInternals => m as unknown as MachineInternals;

export interface TableState { size: number; elems: Int32Array }

export interface Snapshot {
  /** Machine.count at capture. */
  time: number;
  state: MachineState;
  /** Store address of the current function (-1: none). */
  cur: number;
  pc: number;
  fp2: number;
  fsp: number;
  fbase: number;
  entry: number;
  entryW: number;
  skipBreak: number;
  /** frames[0, fsp): (function address, return pc, frame base word) triples. */
  frames: Int32Array;
  /** Value stack words [0, extent). */
  stack: Int32Array;
  /** store.g32 words of all globals (4 per global). */
  globals: Int32Array;
  tables: TableState[];
  /** Pages of each store memory. */
  memPages: number[];
  /** Per instance (store order): one flag per data segment, then one per element segment: 1 = dropped/empty. */
  dropped: Uint8Array[];
}

/** The original (not yet dropped) segments of every instance, to restore a snapshot taken before a
 *  data.drop / elem.drop. */
export interface PristineSegments { datas: Uint8Array[][]; elems: Int32Array[][] }

function instancesOf(store: Store): Instance[] {
  const out: Instance[] = [];
  for (const f of store.funcs) if (f.inst !== null && !out.includes(f.inst)) out.push(f.inst);
  return out;
}

export function pristineSegments(store: Store): PristineSegments {
  const insts = instancesOf(store);
  return { datas: insts.map(i => i.datas.slice()), elems: insts.map(i => i.elems.slice()) };
}

/** End (in words) of the live part of the value stack: every frame below the innermost one ends where
 *  its callee's frame begins, and the innermost frame is live up to its locals plus the operand-stack
 *  height before the next instruction. Words above are dead (written before they are read again), so
 *  they are neither captured nor hashed. */
function canonicalGlobals(store: Store): Int32Array {
  const g = store.g32.slice(0, 4 * store.globals.length);
  store.globals.forEach((gl, i) => {
    const t = gl.type.type;
    if (t !== ValType.I64 && t !== ValType.F64 && t !== ValType.V128) { g[4 * i + 1] = 0; g[4 * i + 2] = 0; g[4 * i + 3] = 0; }
    else if (t !== ValType.V128) { g[4 * i + 2] = 0; g[4 * i + 3] = 0; }
  });
  return g;
}

function stackExtent(m: Machine): number {
  if (m.state === 'paused' || m.state === 'trapped') {
    const f = m.cur, tr = f.tr;
    if (tr === null || f.code === null) return 0;
    let pc = m.pc;
    while (pc >= 0 && pc < f.code.length && f.code[pc] === I.FUEL) pc += 2;
    const h = pc >= 0 && pc < tr.heights.length ? tr.heights[pc] : 0;
    return Math.min(m.stackWords, m.fp2 + 2 * (tr.numLocalSlots + h));
  }
  if (m.state === 'done') {
    let w = 0;
    const e = internals(m).entry;
    if (e) for (const t of e.type.results) w += 2 * slotCount(t);
    return internals(m).entryW + w;
  }
  return 0;
}

// ---- canonical form: the high word of a 32-bit value's slot (i32, f32, reference) is dead (32-bit
// operations write only the low word), so it is zeroed in snapshots; otherwise two equal states could
// differ in garbage left there by earlier, different histories. Slot types come from the function's
// locals and from the operand-stack types at the frame's pc (re-translation, cached).

const typeCache = new WeakMap<FuncHandle, Map<number, ValType[]>>();
function operandTypes(m: Machine, f: FuncHandle, pc: number): ValType[] {
  let byPc = typeCache.get(f);
  if (!byPc) { byPc = new Map(); typeCache.set(f, byPc); }
  let t = byPc.get(pc);
  if (!t) { t = translate(m.store.envOf(f), f.funcIndex, pc).capturedTypes ?? []; byPc.set(pc, t); }
  return t;
}
function zeroHighWords(stack: Int32Array, slot: number, types: readonly ValType[], limitSlot: number): void {
  let s = slot;
  for (const t of types) {
    if (s >= limitSlot) return;
    if (t !== ValType.I64 && t !== ValType.F64 && t !== ValType.V128 && 2 * s + 1 < stack.length) stack[2 * s + 1] = 0;
    s += slotCount(t);
  }
}
function canonicalStack(m: Machine, stack: Int32Array): Int32Array {
  if (m.state === 'done') {
    const e = internals(m).entry;
    if (e) zeroHighWords(stack, internals(m).entryW >> 1, e.type.results, Infinity);
    return stack;
  }
  if (m.state !== 'paused' && m.state !== 'trapped') return stack;
  const frame = (f: FuncHandle, fp2: number, pc: number, innermost: boolean): void => {
    const tr = f.tr;
    if (tr === null || f.code === null) return;
    const base = fp2 >> 1;
    tr.localTypes.forEach((t, i) => {
      if (t !== ValType.I64 && t !== ValType.F64 && t !== ValType.V128) { const w = 2 * (base + tr.localSlot[i]) + 1; if (w < stack.length) stack[w] = 0; }
    });
    let height = 0, typesPc = -1;
    if (innermost) {
      while (pc >= 0 && pc < f.code.length && f.code[pc] === I.FUEL) pc += 2;
      if (pc >= 0 && pc < tr.heights.length) { height = tr.heights[pc]; typesPc = pc; }
    } else {
      // pc is the return pc; the call instruction is found through its byte offset
      const off = tr.callSites.get(pc);
      const callPc = off === undefined ? undefined : tr.pcOfOffset.get(off);
      if (callPc !== undefined) {
        const op = f.code[callPc] === I.BREAK ? f.orig.get(callPc)! : f.code[callPc];
        const argw = op === I.CALL ? f.code[callPc + 2] : f.code[callPc + 3];
        height = argw / 2 - tr.numLocalSlots;
        typesPc = callPc;
      }
    }
    if (height > 0) zeroHighWords(stack, base + tr.numLocalSlots, operandTypes(m, f, typesPc), base + tr.numLocalSlots + height);
  };
  frame(m.cur, m.fp2, m.pc, true);
  const funcs = m.store.funcs;
  for (let j = m.fsp - 3; j >= 0; j -= 3) frame(funcs[m.frames[j]], m.frames[j + 2], m.frames[j + 1], false);
  return stack;
}

export function captureSnapshot(m: Machine): Snapshot {
  const store = m.store;
  const p = internals(m);
  const ext = stackExtent(m);
  return {
    time: m.count,
    state: m.state,
    cur: m.cur.addr,
    pc: m.pc,
    fp2: m.fp2,
    fsp: m.fsp,
    fbase: m.fbase,
    entry: p.entry ? p.entry.addr : -1,
    entryW: p.entryW,
    skipBreak: p.skipBreak,
    frames: m.frames.slice(0, m.fsp),
    stack: canonicalStack(m, m.I32.slice(0, ext)),
    globals: canonicalGlobals(store),
    tables: store.tables.map(t => ({ size: t.size, elems: t.elems.slice(0, t.size) })),
    memPages: store.memories.map(mm => mm.pages),
    dropped: instancesOf(store).map(i => {
      const d = new Uint8Array(i.datas.length + i.elems.length);
      i.datas.forEach((x, k) => { d[k] = x.length === 0 ? 1 : 0; });
      i.elems.forEach((x, k) => { d[i.datas.length + k] = x.length === 0 ? 1 : 0; });
      return d;
    }),
  };
}

/** Resize a memory to `pages` (shrinking is allowed: used when going back in time). */
export function setMemoryPages(mem: MemoryHandle, pages: number): void {
  if (mem.pages === pages) return;
  const buf = new ArrayBuffer(pages * PAGE_SIZE);
  const u8 = new Uint8Array(buf);
  u8.set(mem.u8.subarray(0, Math.min(mem.u8.length, u8.length)));
  mem.buf = buf; mem.u8 = u8; mem.dv = new DataView(buf);
}

/** Throws RecordingFormatError if `s` cannot belong to this machine's store (wrong shape, addresses
 *  out of range), so a damaged recording never makes the interpreter read out of bounds. */
export function checkSnapshotFits(m: Machine, s: Snapshot): void {
  const store = m.store;
  const bad = (what: string): never => { throw new RecordingFormatError(`checkpoint does not fit this module: ${what}`, -1); };
  if (s.globals.length !== 4 * store.globals.length) bad('global count');
  if (s.tables.length !== store.tables.length) bad('table count');
  if (s.memPages.length !== store.memories.length) bad('memory count');
  const nf = store.funcs.length;
  const isWasm = (a: number): boolean => a >= 0 && a < nf && store.funcs[a].inst !== null;
  if (s.cur !== -1 && !isWasm(s.cur)) bad('current function');
  if (s.entry !== -1 && !isWasm(s.entry)) bad('entry function');
  if (s.frames.length > m.frames.length || s.stack.length > m.stackWords) bad('stack size');
  for (let j = 0; j < s.frames.length; j += 3) if (!isWasm(s.frames[j])) bad('frame function');
  for (const t of s.tables) for (let i = 0; i < t.elems.length; i++) if (t.elems[i] < 0) bad('table element');
  s.memPages.forEach((p, i) => { if (p > store.memories[i].max) bad('memory size'); });
  if (s.state === 'paused') {
    if (s.cur === -1) bad('no current function');
    const f = store.funcs[s.cur];
    if (f.code === null) store.translateFunc(f);
    if (s.pc < 0 || s.pc >= f.code!.length || s.fp2 + f.frameWords > m.stackWords) bad('pc / frame');
    for (let j = 0; j < s.frames.length; j += 3) {
      const g = store.funcs[s.frames[j]];
      if (g.code === null) store.translateFunc(g);
      if (s.frames[j + 1] < 0 || s.frames[j + 1] >= g.code!.length || s.frames[j + 2] < 0) bad('return pc');
    }
  }
}

export function restoreSnapshot(m: Machine, s: Snapshot, pristine: PristineSegments): void {
  const store = m.store;
  checkSnapshotFits(m, s);
  const p = internals(m);
  m.state = s.state;
  m.count = s.time;
  if (s.cur >= 0) {
    const f = store.funcs[s.cur];
    if (f.code === null) store.translateFunc(f);
    m.cur = f; m.code = f.code!;
  }
  for (let j = 0; j < s.frames.length; j += 3) { const f = store.funcs[s.frames[j]]; if (f.code === null) store.translateFunc(f); }
  m.pc = s.pc; m.fp2 = s.fp2; m.fsp = s.fsp; m.fbase = s.fbase;
  p.entry = s.entry >= 0 ? store.funcs[s.entry] : null;
  p.entryW = s.entryW;
  p.skipBreak = s.skipBreak;
  m.frames.set(s.frames);
  m.I32.set(s.stack);
  m.results = null;
  m.trap = null;
  store.g32.set(s.globals);
  s.tables.forEach((t, i) => {
    const ti = store.tables[i];
    if (ti.elems.length < t.size) ti.elems = new Int32Array(Math.max(t.size, 4));
    ti.elems.fill(0);
    ti.elems.set(t.elems);
    ti.size = t.size;
  });
  s.memPages.forEach((n, i) => setMemoryPages(store.memories[i], n));
  instancesOf(store).forEach((inst, k) => {
    const d = s.dropped[k];
    if (!d) return;
    for (let j = 0; j < inst.datas.length; j++) inst.datas[j] = d[j] ? new Uint8Array(0) : pristine.datas[k][j];
    for (let j = 0; j < inst.elems.length; j++) inst.elems[j] = d[inst.datas.length + j] ? m.emptyElems : pristine.elems[k][j];
  });
}

const STATE_CODE: Record<MachineState, number> = { idle: 0, paused: 1, done: 2, trapped: 3 };
const CODE_STATE: MachineState[] = ['idle', 'paused', 'done', 'trapped'];

/** Hash of a snapshot's register file (memory contents not included). */
export function snapshotHash(s: Snapshot, memory?: Uint8Array[]): string {
  const h = new StateHasher();
  h.word(Math.floor(s.time / 0x100000000)).word(s.time | 0).word(STATE_CODE[s.state]);
  h.word(s.cur).word(s.pc).word(s.fp2).word(s.fsp).word(s.fbase).word(s.entry).word(s.entryW);
  h.words(s.frames).words(s.stack).words(s.globals);
  h.word(s.tables.length);
  for (const t of s.tables) h.word(t.size).words(t.elems);
  h.word(s.memPages.length);
  for (const p of s.memPages) h.word(p);
  for (const d of s.dropped) h.bytes(d);
  if (memory) for (const mem of memory) h.bytes(mem);
  return h.digest();
}

/** State hash of a machine now (register file; plus all memory contents if `withMemory`). */
export function stateHash(m: Machine, withMemory = false): string {
  return snapshotHash(captureSnapshot(m), withMemory ? m.store.memories.map(x => x.u8) : undefined);
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  const w = new BinWriter();
  const sub = (): BinWriter => new BinWriter();
  w.fieldUv(1, s.time).fieldUv(2, STATE_CODE[s.state]);
  w.field(3, sub().sv(s.cur).sv(s.pc).sv(s.fp2).sv(s.fsp).sv(s.fbase).sv(s.entry).sv(s.entryW).sv(s.skipBreak).finish());
  w.field(4, sub().words(s.frames).finish());
  w.field(5, sub().words(s.stack).finish());
  w.field(6, sub().words(s.globals).finish());
  const t = sub().uv(s.tables.length);
  for (const x of s.tables) t.uv(x.size).words(x.elems);
  w.field(7, t.finish());
  const mp = sub().uv(s.memPages.length);
  for (const p of s.memPages) mp.uv(p);
  w.field(8, mp.finish());
  const d = sub().uv(s.dropped.length);
  for (const x of s.dropped) d.blob(x);
  w.field(9, d.finish());
  return w.finish();
}

export function decodeSnapshot(r: BinReader): Snapshot {
  const f = r.fields();
  const need = (id: number, what: string): BinReader => { const x = f.get(id); if (!x) r.fail(`checkpoint: missing ${what}`); return x; };
  const time = fUv(f, 1, -1);
  if (time < 0) r.fail('checkpoint: missing time');
  const sc = fUv(f, 2, 1);
  if (sc >= CODE_STATE.length) r.fail(`checkpoint: bad state ${sc}`);
  const regs = need(3, 'registers');
  const cur = regs.sv(), pc = regs.sv(), fp2 = regs.sv(), fsp = regs.sv(), fbase = regs.sv(), entry = regs.sv(), entryW = regs.sv(), skipBreak = regs.sv();
  const fr = need(4, 'frames'); const frames = fr.words(); fr.done('frames');
  const st = need(5, 'stack'); const stack = st.words(); st.done('stack');
  const gl = need(6, 'globals'); const globals = gl.words(); gl.done('globals');
  const tr = need(7, 'tables');
  const tables: TableState[] = [];
  for (let n = tr.count(tr.left, 'table count'); n > 0; n--) { const size = tr.uv(); const elems = tr.words(); if (elems.length !== size) tr.fail('table size mismatch'); tables.push({ size, elems }); }
  tr.done('tables');
  const mr = need(8, 'memory sizes');
  const memPages: number[] = [];
  for (let n = mr.count(mr.left, 'memory count'); n > 0; n--) { const at = mr.pos; const p = mr.uv(); if (p > 65536) mr.fail(`memory of ${p} pages`, at); memPages.push(p); }
  mr.done('memory sizes');
  const dropped: Uint8Array[] = [];
  const dr = f.get(9);
  if (dr) { for (let n = dr.count(dr.left, 'instance count'); n > 0; n--) dropped.push(dr.blob()); dr.done('segments'); }
  if (fsp !== frames.length || fsp % 3 !== 0 || fp2 < 0 || cur < -1 || entry < -1) r.fail('checkpoint: inconsistent registers');
  return { time, state: CODE_STATE[sc], cur, pc, fp2, fsp, fbase, entry, entryW, skipBreak, frames, stack, globals, tables, memPages, dropped };
}
