// The module-level view: line table, compile-unit index, functions, inlined frames and variables at
// a module byte offset. All offsets in and out are module byte offsets.

import type { Module } from '../core/module';
import { AT, TAG } from './consts';
import { type DwarfMachine, type EvalContext, evaluateLocation, LocationError, readSlot, type LocationPiece, leToBig } from './expr';
import { Die, DwarfContext, type Unit } from './info';
import { LineTable, LineTableBuilder } from './lines';
import { DwarfError } from './reader';
import { codeSectionBase, debugSections, type DebugSections } from './sections';

export interface InlinedFrame {
  /** Function name (of the inlined function for inlined frames). */
  readonly name: string;
  /** The DW_TAG_subprogram or DW_TAG_inlined_subroutine DIE. */
  readonly die: Die;
  readonly inlined: boolean;
  /** The concrete (out-of-line) subprogram the code belongs to: frame base comes from it. */
  readonly subprogram: Die;
  /** Source position in this frame: the line row for the innermost frame, the call site otherwise. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The lexical scopes (this frame's DIE, then nested blocks) that contain the offset. */
  readonly scopes: readonly Die[];
}

export interface Variable {
  readonly name: string;
  readonly die: Die;
  readonly type: Die | null;
  readonly isParameter: boolean;
  readonly frame: InlinedFrame | null;
}

interface FuncEntry { start: number; end: number; die: Die }

export class DwarfInfo {
  readonly ctx: DwarfContext;
  readonly codeBase: number;
  private lt: LineTable | null = null;
  private cuIndex: Array<{ start: number; end: number; unit: Unit }> | null = null;
  private readonly funcIndex = new Map<Unit, FuncEntry[]>();
  private readonly funcStarts: Float64Array;
  private readonly funcEnds: Float64Array;
  readonly errors: DwarfError[];

  constructor(readonly module: Module, sec: DebugSections = debugSections(module)) {
    this.codeBase = codeSectionBase(module);
    this.ctx = new DwarfContext(sec);
    this.errors = this.ctx.errors;
    this.funcStarts = Float64Array.from(module.funcs, (f) => f.entryOffset);
    this.funcEnds = Float64Array.from(module.funcs, (f) => f.codeEnd);
    // DWARF's function start: just after the body's size field (where the local declarations begin)
    this.bodyStarts = Float64Array.from(module.funcs, (f) => {
      let p = f.entryOffset;
      while (p < f.codeStart && module.bytes[p] & 0x80) p++;
      return p + 1;
    });
  }

  private readonly bodyStarts: Float64Array;

  /** True if `offset` is where DWARF says a function begins (just past its body size). */
  isFunctionStart(offset: number): boolean {
    const f = this.funcAt(offset);
    return f >= 0 && this.bodyStarts[f] === offset;
  }

  /** True if [start, end) is a whole function or within one, starting at its beginning (not dead code). */
  private liveFunctionRange(start: number, end: number): boolean {
    const f = this.funcAt(start);
    return f >= 0 && this.bodyStarts[f] === start && end <= this.funcEnds[f];
  }

  get units(): readonly Unit[] { return this.ctx.units; }

  /** Index of the defined function (0-based among module.funcs) whose code entry contains `offset`, or -1. */
  funcAt(offset: number): number {
    const s = this.funcStarts;
    let lo = 0, hi = s.length - 1, f = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (s[mid] <= offset) { f = mid; lo = mid + 1; } else hi = mid - 1; }
    return f >= 0 && offset < this.funcEnds[f] ? f : -1;
  }

  /** Module byte offset of a DWARF code address. */
  toOffset(addr: number): number { return this.codeBase + addr; }
  /** DWARF code address of a module byte offset. */
  toAddress(offset: number): number { return offset - this.codeBase; }

  /** The whole module's line table (built on first use). */
  get lines(): LineTable {
    if (this.lt) return this.lt;
    const b = new LineTableBuilder(this.ctx.sec, this.codeBase, (o) => this.isFunctionStart(o));
    for (const u of this.ctx.units) {
      try {
        const root = u.root();
        const stmt = root.num(AT.stmt_list);
        if (stmt === undefined) continue;
        b.addProgram(stmt, u.compDir, u.strOffsetsBase);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.errors.push(e);
      }
    }
    this.lt = b.build();
    return this.lt;
  }

  private cus(): Array<{ start: number; end: number; unit: Unit }> {
    if (this.cuIndex) return this.cuIndex;
    const out: Array<{ start: number; end: number; unit: Unit }> = [];
    for (const u of this.ctx.units) {
      try {
        for (const [s, e] of u.ranges(u.root())) out.push({ start: this.toOffset(s), end: this.toOffset(e), unit: u });
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.errors.push(e);
      }
    }
    out.sort((a, b) => a.start - b.start);
    this.cuIndex = out;
    return out;
  }

  /** The compile unit whose code contains `offset`. */
  unitAt(offset: number): Unit | null {
    for (const c of this.cus()) if (offset >= c.start && offset < c.end) return c.unit;
    return null;
  }

  private functions(u: Unit): FuncEntry[] {
    let l = this.funcIndex.get(u);
    if (l) return l;
    l = [];
    const walk = (d: Die, depth: number): void => {
      for (const c of d.children) {
        if (c.tag === TAG.subprogram) {
          try {
            for (const [s, e] of u.ranges(c)) {
              const start = this.toOffset(s), end = this.toOffset(e);
              // ranges of dead functions (tombstone addresses) may land anywhere: keep only those that
              // start where a function body starts
              if (this.liveFunctionRange(start, end)) l!.push({ start, end, die: c });
            }
          } catch (e) { if (!(e instanceof DwarfError)) throw e; this.errors.push(e); }
        }
        if (depth < 32 && (c.tag === TAG.namespace || c.tag === TAG.structure_type || c.tag === TAG.class_type
          || c.tag === TAG.union_type)) walk(c, depth + 1);
      }
    };
    try { walk(u.tree(), 0); } catch (e) { if (!(e instanceof DwarfError)) throw e; this.errors.push(e); }
    l.sort((a, b) => a.start - b.start);
    this.funcIndex.set(u, l);
    return l;
  }

  /** The out-of-line subprogram DIE containing `offset`. */
  subprogramAt(offset: number): Die | null {
    const u = this.unitAt(offset);
    if (!u) return null;
    let best: FuncEntry | null = null;
    for (const f of this.functions(u)) {
      if (f.start > offset) break;
      if (offset < f.end && (!best || f.start >= best.start)) best = f;
    }
    return best?.die ?? null;
  }

  /** A readable function name for a subprogram / inlined subroutine DIE. */
  functionName(d: Die): string {
    return d.qualifiedName ?? d.inherited(AT.linkage_name)?.str(AT.linkage_name) ?? '<unknown>';
  }

  private contains(d: Die, offset: number): boolean {
    try {
      const addr = this.toAddress(offset);
      for (const [s, e] of d.unit.ranges(d)) if (addr >= s && addr < e) return true;
    } catch (e) { if (!(e instanceof DwarfError)) throw e; }
    return false;
  }

  /** The frames at `offset`, innermost first: inlined subroutines, then the containing subprogram. */
  framesAt(offset: number): InlinedFrame[] {
    const sub = this.subprogramAt(offset);
    if (!sub) return [];
    // walk down: chains of scopes; a new frame starts at each inlined_subroutine
    const groups: Array<{ die: Die; scopes: Die[] }> = [{ die: sub, scopes: [sub] }];
    let cur = sub;
    for (let depth = 0; depth < 200; depth++) {
      let next: Die | null = null;
      for (const c of cur.children) {
        if ((c.tag === TAG.lexical_block || c.tag === TAG.inlined_subroutine) && this.contains(c, offset)) { next = c; break; }
      }
      if (!next) break;
      if (next.tag === TAG.inlined_subroutine) groups.push({ die: next, scopes: [next] });
      else groups[groups.length - 1].scopes.push(next);
      cur = next;
    }
    const row = this.lines.lookup(offset);
    const out: InlinedFrame[] = [];
    let file = row?.file ?? '', line = row?.line ?? 0, column = row?.column ?? 0;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      out.push({ name: this.functionName(g.die), die: g.die, inlined: g.die.tag === TAG.inlined_subroutine, subprogram: sub, file, line, column, scopes: g.scopes });
      if (g.die.tag === TAG.inlined_subroutine) {
        file = this.fileName(g.die.unit, g.die.num(AT.call_file) ?? 0);
        line = g.die.num(AT.call_line) ?? 0;
        column = g.die.num(AT.call_column) ?? 0;
      }
    }
    return out;
  }

  private fileTables = new Map<Unit, string[]>();
  /** Path of file number `index` of a unit's line table (decl_file / call_file). */
  fileName(u: Unit, index: number): string {
    let t = this.fileTables.get(u);
    if (!t) {
      t = [];
      try {
        const stmt = u.root().num(AT.stmt_list);
        if (stmt !== undefined) {
          const b = new LineTableBuilder(this.ctx.sec, this.codeBase, () => false);
          const ids = b.addProgram(stmt, u.compDir, u.strOffsetsBase);
          t = ids.map((id) => (id >= 0 ? b.fileNames[id] : ''));
        }
      } catch (e) { if (!(e instanceof DwarfError)) throw e; }
      this.fileTables.set(u, t);
    }
    return t[index] ?? '';
  }

  /** Parameters and local variables visible in a frame (innermost scope last), without globals. */
  variables(frame: InlinedFrame): Variable[] {
    const out: Variable[] = [];
    for (const s of frame.scopes) {
      for (const c of s.children) {
        if (c.tag !== TAG.formal_parameter && c.tag !== TAG.variable) continue;
        const name = c.name;
        if (name === undefined) continue;
        out.push({ name, die: c, type: c.type, isParameter: c.tag === TAG.formal_parameter, frame });
      }
    }
    return out;
  }

  /** Global variables of the unit containing `offset` (those with a location). */
  globals(offset: number): Variable[] {
    const u = this.unitAt(offset);
    if (!u) return [];
    const out: Variable[] = [];
    const walk = (d: Die, depth: number): void => {
      for (const c of d.children) {
        if (c.tag === TAG.variable) {
          const def = c.has(AT.location) ? c : null;
          const name = c.name;
          if (def && name !== undefined) out.push({ name, die: c, type: c.type, isParameter: false, frame: null });
        } else if (c.tag === TAG.namespace && depth < 32) walk(c, depth + 1);
      }
    };
    walk(u.tree(), 0);
    return out;
  }

  /** Evaluates the location of a variable at `offset`; [] = optimized out / not available here. */
  locate(v: Variable, offset: number, machine: DwarfMachine): LocationPiece[] {
    const d = v.die;
    const a = d.attr(AT.location);
    if (!a) {
      const cv = d.attr(AT.const_value) ?? d.inherited(AT.const_value)?.attr(AT.const_value);
      if (!cv) return [];
      if (cv.value instanceof Uint8Array) return [{ kind: 'bytes', bytes: cv.value, size: cv.value.length }];
      if (typeof cv.value === 'number' || typeof cv.value === 'bigint') return [{ kind: 'value', value: BigInt(cv.value), size: null }];
      return [];
    }
    const expr = d.unit.locationAt(a, this.toAddress(offset));
    if (!expr) return [];
    return evaluateLocation(expr, this.evalContext(d.unit, v.frame?.subprogram ?? null, offset, machine));
  }

  evalContext(u: Unit, sub: Die | null, offset: number, machine: DwarfMachine): EvalContext {
    return {
      machine, addrSize: u.h.addrSize, addrx: (i) => u.addrx(i),
      frameBase: () => {
        const fb = sub?.attr(AT.frame_base);
        if (!sub || !fb) throw new LocationError('no frame base');
        const expr = sub.unit.locationAt(fb, this.toAddress(offset));
        if (!expr) throw new LocationError('frame base not available here');
        const pieces = evaluateLocation(expr, { machine, addrSize: u.h.addrSize });
        const p = pieces[0];
        if (!p) throw new LocationError('frame base optimized out');
        if (p.kind === 'wasm') return readSlot(machine, p.space, p.index) & 0xffffffffn;
        if (p.kind === 'value') return p.value;
        if (p.kind === 'memory') return BigInt(p.address);
        if (p.kind === 'bytes') return leToBig(p.bytes);
        throw new LocationError('frame base undefined');
      },
    };
  }
}

/** Loads the DWARF of a module; null if it has none. Never throws on damaged DWARF (see `errors`). */
export function loadDwarf(module: Module): DwarfInfo | null {
  const sec = debugSections(module);
  if (!sec.info || !sec.abbrev) return null;
  return new DwarfInfo(module, sec);
}
