// Module validation (WebAssembly 2.0 + tail calls + extended constant expressions). Function bodies
// are checked with the operand/control stack algorithm of the spec's appendix, with an "unknown"
// operand type for unreachable code. The stacks are typed arrays reused across functions, so the
// inner loop allocates nothing. The validator only answers valid / invalid (ValidationError with the
// testsuite's message, the byte offset and the function index); it keeps no results for later layers.
// Block structure (else/end placement) is already guaranteed by the decoder.

import { ValidationError } from '../core/errors';
import { BlockKind, InstrReader } from '../core/instr';
import type { ConstExpr, Module } from '../core/module';
import { Imm, Op, OPS, opByName } from '../core/opcodes';
import { isRefType, MAX_PAGES, ValType, valTypeFromName, type FuncType, type Limits } from '../core/types';

/** The "unknown" operand type of unreachable code (matches every type). */
const UNKNOWN = 0;

const EMPTY: readonly number[] = [];
const SINGLE: Record<number, readonly number[]> = {};
for (const t of [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.ExternRef]) SINGLE[t] = [t];

// Plain instruction signatures from the opcode table, as type codes.
const PLAIN_PARAMS: (Uint8Array | null)[] = [];
const PLAIN_RESULTS: (Uint8Array | null)[] = [];
/** For lane instructions: the number of lanes (lane index must be below it); 0 otherwise. */
const LANES = new Uint8Array(OPS.length);
for (const info of OPS) {
  const conv = (a: readonly string[] | null): Uint8Array | null =>
    a === null ? null : Uint8Array.from(a.map((s) => {
      const t = valTypeFromName(s);
      if (t === undefined) throw new Error(`opcode table: bad type ${s}`);
      return t;
    }));
  PLAIN_PARAMS[info.id] = conv(info.params);
  PLAIN_RESULTS[info.id] = conv(info.results);
  if (info.imm === Imm.Lane) {
    const shape = info.name.slice(0, info.name.indexOf('.'));
    LANES[info.id] = Number(shape.slice(shape.indexOf('x') + 1));
  } else if (info.imm === Imm.MemArgLane) {
    LANES[info.id] = 16 / info.width;
  }
}
const OP_I32_SUB = opByName('i32.sub')!.id, OP_I32_MUL = opByName('i32.mul')!.id;
const OP_I64_SUB = opByName('i64.sub')!.id, OP_I64_MUL = opByName('i64.mul')!.id;

// Control frame kinds.
const F_BLOCK = 0, F_LOOP = 1, F_IF = 2, F_ELSE = 3, F_FUNC = 4;

function fail(message: string, offset = -1, funcIndex = -1): never {
  throw new ValidationError(message, offset, funcIndex);
}

class Validator {
  private readonly ir: InstrReader;
  // operand stack
  private vals = new Uint8Array(1024);
  private nvals = 0;
  // control stack
  private ctlKind = new Uint8Array(64);
  private ctlHeight = new Int32Array(64);
  private ctlUnreach = new Uint8Array(64);
  private ctlStart: (readonly number[])[] = [];
  private ctlEnd: (readonly number[])[] = [];
  private nctl = 0;
  private scratch = new Uint8Array(64);
  private funcIndex = -1;
  private readonly numFuncs: number;
  private readonly declared: Uint8Array;
  private locals: number[] = [];

  constructor(private readonly m: Module) {
    this.ir = new InstrReader(m.bytes);
    this.numFuncs = m.funcTypeIndices.length;
    this.declared = new Uint8Array(this.numFuncs);
  }

  validate(): void {
    const m = this.m;
    const ntypes = m.types.length;
    for (const im of m.imports) {
      switch (im.desc.kind) {
        case 'func': if (im.desc.typeIndex >= ntypes) fail(`unknown type ${im.desc.typeIndex}`, im.offset); break;
        case 'table': this.tableLimits(im.desc.type.limits, im.offset); break;
        case 'memory': this.memLimits(im.desc.type.limits, im.offset); break;
        case 'global': break;
      }
    }
    for (let i = 0; i < m.funcs.length; i++) {
      const f = m.funcs[i];
      if (f.typeIndex >= ntypes) fail(`unknown type ${f.typeIndex}`, f.entryOffset, m.numImportedFuncs + i);
    }
    for (const t of m.tables) this.tableLimits(t.limits, -1);
    if (m.allMemories.length > 1) fail('multiple memories');
    for (const mem of m.memories) this.memLimits(mem.limits, -1);

    // Declared function references (C.refs): everything referenced outside function bodies.
    for (const g of m.globals) this.scanRefs(g.init);
    for (const e of m.elems) {
      if (e.offset) this.scanRefs(e.offset);
      for (const it of e.items) {
        if (typeof it === 'number') { if (it < this.numFuncs) this.declared[it] = 1; }
        else this.scanRefs(it);
      }
    }
    for (const ex of m.exports) if (ex.kind === 'func' && ex.index < this.numFuncs) this.declared[ex.index] = 1;

    for (const g of m.globals) this.constExpr(g.init, g.type.type, true);

    for (const e of m.elems) {
      if (e.mode === 'active') {
        if (e.table >= m.allTables.length) fail(`unknown table ${e.table}`, e.byteOffset);
        if (m.allTables[e.table].elem !== e.type) fail('type mismatch', e.byteOffset);
        this.constExpr(e.offset!, ValType.I32, false);
      }
      for (const it of e.items) {
        if (typeof it === 'number') {
          if (it >= this.numFuncs) fail(`unknown function ${it}`, e.byteOffset);
        } else {
          this.constExpr(it, e.type, false);
        }
      }
    }
    for (const d of m.datas) {
      if (d.mode === 'active') {
        if (d.memory >= m.allMemories.length) fail(`unknown memory ${d.memory}`, d.byteOffset);
        this.constExpr(d.offset!, ValType.I32, false);
      }
    }

    for (let i = 0; i < m.funcs.length; i++) this.func(i);

    if (m.start !== null) {
      if (m.start >= this.numFuncs) fail(`unknown function ${m.start}`);
      const t = m.types[m.funcTypeIndices[m.start]];
      if (t.params.length !== 0 || t.results.length !== 0) fail('start function');
    }

    const seen = new Set<string>();
    for (const ex of m.exports) {
      let n = 0;
      switch (ex.kind) {
        case 'func': n = this.numFuncs; break;
        case 'table': n = m.allTables.length; break;
        case 'memory': n = m.allMemories.length; break;
        case 'global': n = m.allGlobals.length; break;
      }
      if (ex.index >= n) fail(`unknown ${ex.kind === 'func' ? 'function' : ex.kind} ${ex.index}`, ex.offset);
      if (seen.has(ex.name)) fail('duplicate export name', ex.offset);
      seen.add(ex.name);
    }
  }

  private tableLimits(l: Limits, offset: number): void {
    if (l.max !== null && l.min > l.max) fail('size minimum must not be greater than maximum', offset);
  }

  private memLimits(l: Limits, offset: number): void {
    if (l.min > MAX_PAGES || (l.max !== null && l.max > MAX_PAGES)) fail('memory size must be at most 65536 pages (4GiB)', offset);
    if (l.max !== null && l.min > l.max) fail('size minimum must not be greater than maximum', offset);
  }

  private scanRefs(e: ConstExpr): void {
    const ir = this.ir;
    ir.pos = e.start;
    ir.end = e.end;
    while (ir.pos < ir.end) {
      ir.next();
      if (ir.op === Op.ref_func && ir.idx < this.numFuncs) this.declared[ir.idx] = 1;
    }
  }

  /** Validate a constant expression producing one value of type `want`. */
  private constExpr(e: ConstExpr, want: number, globalInit: boolean): void {
    const m = this.m;
    const ir = this.ir;
    ir.pos = e.start;
    ir.end = e.end;
    const st = this.scratch;
    let n = 0;
    const push = (t: number): void => {
      if (n === st.length) { const b = new Uint8Array(n * 2); b.set(st); this.scratch = b; }
      this.scratch[n++] = t;
    };
    for (;;) {
      ir.next();
      const op = ir.op;
      const at = ir.offset;
      if (op === Op.end) break;
      if (op === Op.i32_const) push(ValType.I32);
      else if (op === Op.i64_const) push(ValType.I64);
      else if (op === Op.f32_const) push(ValType.F32);
      else if (op === Op.f64_const) push(ValType.F64);
      else if (op === Op.v128_const) push(ValType.V128);
      else if (op === Op.ref_null) push(ir.refType);
      else if (op === Op.ref_func) {
        if (ir.idx >= this.numFuncs) fail(`unknown function ${ir.idx}`, at);
        push(ValType.FuncRef);
      } else if (op === Op.global_get) {
        // Wasm 2.0: constant expressions see only the imported globals (the testsuite expects
        // "unknown global" for defined ones in global inits and in elem/data offsets alike).
        if (ir.idx >= m.numImportedGlobals) fail(`unknown global ${ir.idx}`, at);
        const g = m.allGlobals[ir.idx];
        if (g.mutable) fail('constant expression required', at);
        push(g.type);
      } else if (op === Op.i32_add || op === OP_I32_SUB || op === OP_I32_MUL || op === Op.i64_add || op === OP_I64_SUB || op === OP_I64_MUL) {
        const t = op === Op.i32_add || op === OP_I32_SUB || op === OP_I32_MUL ? ValType.I32 : ValType.I64;
        if (n < 2 || this.scratch[n - 1] !== t || this.scratch[n - 2] !== t) fail('type mismatch', at);
        n--;
      } else {
        fail('constant expression required', at);
      }
    }
    if (n !== 1 || this.scratch[0] !== want) fail('type mismatch', e.start);
  }

  // ---- function bodies ------------------------------------------------------------------------

  private err(message: string): never {
    fail(message, this.ir.offset, this.funcIndex);
  }

  private pushVal(t: number): void {
    if (this.nvals === this.vals.length) {
      const b = new Uint8Array(this.vals.length * 2);
      b.set(this.vals);
      this.vals = b;
    }
    this.vals[this.nvals++] = t;
  }

  private popAny(): number {
    const c = this.nctl - 1;
    if (this.nvals === this.ctlHeight[c]) {
      if (this.ctlUnreach[c]) return UNKNOWN;
      this.err('type mismatch');
    }
    return this.vals[--this.nvals];
  }

  private popVal(expect: number): number {
    const actual = this.popAny();
    if (actual !== expect && actual !== UNKNOWN && expect !== UNKNOWN) this.err('type mismatch');
    return actual;
  }

  private popVals(ts: readonly number[] | Uint8Array): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popVal(ts[i]);
  }

  private pushVals(ts: readonly number[] | Uint8Array): void {
    for (let i = 0; i < ts.length; i++) this.pushVal(ts[i]);
  }

  private pushCtl(kind: number, start: readonly number[], end: readonly number[]): void {
    const n = this.nctl;
    if (n === this.ctlKind.length) {
      const k = new Uint8Array(n * 2); k.set(this.ctlKind); this.ctlKind = k;
      const h = new Int32Array(n * 2); h.set(this.ctlHeight); this.ctlHeight = h;
      const u = new Uint8Array(n * 2); u.set(this.ctlUnreach); this.ctlUnreach = u;
    }
    this.ctlKind[n] = kind;
    this.ctlHeight[n] = this.nvals;
    this.ctlUnreach[n] = 0;
    this.ctlStart[n] = start;
    this.ctlEnd[n] = end;
    this.nctl = n + 1;
    this.pushVals(start);
  }

  /** Pop the innermost frame, checking its results; returns its index (its data stays readable). */
  private popCtl(): number {
    const c = this.nctl - 1;
    this.popVals(this.ctlEnd[c]);
    if (this.nvals !== this.ctlHeight[c]) this.err('type mismatch');
    this.nctl = c;
    return c;
  }

  private labelTypes(c: number): readonly number[] {
    return this.ctlKind[c] === F_LOOP ? this.ctlStart[c] : this.ctlEnd[c];
  }

  private setUnreachable(): void {
    const c = this.nctl - 1;
    this.nvals = this.ctlHeight[c];
    this.ctlUnreach[c] = 1;
  }

  private label(depth: number): number {
    if (depth >= this.nctl) this.err(`unknown label ${depth}`);
    return this.nctl - 1 - depth;
  }

  private blockTypes(kind: BlockKind, value: number): FuncType | null {
    if (kind === BlockKind.TypeIndex) {
      if (value >= this.m.types.length) this.err(`unknown type ${value}`);
      return this.m.types[value];
    }
    return null;
  }

  private table(idx: number): number {
    if (idx >= this.m.allTables.length) this.err(`unknown table ${idx}`);
    return this.m.allTables[idx].elem;
  }

  private memory(idx: number): void {
    if (idx >= this.m.allMemories.length) this.err(`unknown memory ${idx}`);
  }

  private dataSeg(idx: number): void {
    const n = this.m.dataCount ?? 0;
    if (idx >= n) this.err(`unknown data segment ${idx}`);
  }

  private elemSeg(idx: number): number {
    if (idx >= this.m.elems.length) this.err(`unknown elem segment ${idx}`);
    return this.m.elems[idx].type;
  }

  private funcType(idx: number): FuncType {
    if (idx >= this.numFuncs) this.err(`unknown function ${idx}`);
    return this.m.types[this.m.funcTypeIndices[idx]];
  }

  private typeAt(idx: number): FuncType {
    if (idx >= this.m.types.length) this.err(`unknown type ${idx}`);
    return this.m.types[idx];
  }

  private sameTypes(a: readonly number[], b: readonly number[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  private func(i: number): void {
    const m = this.m;
    const f = m.funcs[i];
    const ft = m.types[f.typeIndex];
    this.funcIndex = m.numImportedFuncs + i;
    const locals = this.locals;
    locals.length = 0;
    for (const t of ft.params) locals.push(t);
    for (const t of f.locals) locals.push(t);
    const nlocals = locals.length;
    this.nvals = 0;
    this.nctl = 0;
    this.pushCtl(F_FUNC, EMPTY, ft.results);
    const fnResults = ft.results;
    const ir = this.ir;
    ir.pos = f.codeStart;
    ir.end = f.codeEnd;
    const vals = (): Uint8Array => this.vals;
    while (this.nctl > 0) {
      const info = ir.next();
      const op = ir.op;
      const pp = PLAIN_PARAMS[op];
      if (pp !== null) {
        // plain instruction, possibly with memory / lane immediates
        switch (info.imm) {
          case Imm.MemArg:
            this.memory(0);
            if (ir.align > info.align) this.err('alignment must not be larger than natural');
            break;
          case Imm.MemArgLane:
            this.memory(0);
            if (ir.align > info.align) this.err('alignment must not be larger than natural');
            if (ir.lane >= LANES[op]) this.err('invalid lane index');
            break;
          case Imm.Lane:
            if (ir.lane >= LANES[op]) this.err('invalid lane index');
            break;
          case Imm.Shuffle:
            for (let k = 0; k < 16; k++) if (ir.v128[k] >= 32) this.err('invalid lane index');
            break;
          case Imm.Memory: case Imm.MemCopy: case Imm.MemFill:
            this.memory(0);
            break;
          case Imm.MemInit:
            this.memory(0);
            this.dataSeg(ir.idx);
            break;
          case Imm.Data:
            this.dataSeg(ir.idx);
            break;
        }
        this.popVals(pp);
        this.pushVals(PLAIN_RESULTS[op]!);
        continue;
      }
      switch (op) {
        case Op.unreachable:
          this.setUnreachable();
          break;
        case Op.block: case Op.loop: case Op.if: {
          const bt = this.blockTypes(ir.blockKind, ir.blockValue);
          if (op === Op.if) this.popVal(ValType.I32);
          let start: readonly number[] = EMPTY, end: readonly number[] = EMPTY;
          if (bt) { start = bt.params; end = bt.results; }
          else if (ir.blockKind === BlockKind.Value) end = SINGLE[ir.blockValue];
          this.popVals(start);
          this.pushCtl(op === Op.block ? F_BLOCK : op === Op.loop ? F_LOOP : F_IF, start, end);
          break;
        }
        case Op.else: {
          const c = this.popCtl();
          this.pushCtl(F_ELSE, this.ctlStart[c], this.ctlEnd[c]);
          break;
        }
        case Op.end: {
          const c = this.popCtl();
          if (this.ctlKind[c] === F_IF && !this.sameTypes(this.ctlStart[c], this.ctlEnd[c])) this.err('type mismatch');
          if (this.nctl > 0) this.pushVals(this.ctlEnd[c]);
          break;
        }
        case Op.br: {
          const c = this.label(ir.idx);
          this.popVals(this.labelTypes(c));
          this.setUnreachable();
          break;
        }
        case Op.br_if: {
          const c = this.label(ir.idx);
          this.popVal(ValType.I32);
          const lt = this.labelTypes(c);
          this.popVals(lt);
          this.pushVals(lt);
          break;
        }
        case Op.br_table: {
          this.popVal(ValType.I32);
          const dc = this.label(ir.brDefault);
          const arity = this.labelTypes(dc).length;
          for (let k = 0; k < ir.brCount; k++) {
            const c = this.label(ir.brTargets[k]);
            const lt = this.labelTypes(c);
            if (lt.length !== arity) this.err('type mismatch');
            // pop and push back the actual operand types (keeps "unknown" where it was)
            const base = this.nvals;
            let popped = 0;
            for (let j = lt.length - 1; j >= 0; j--) {
              const t = this.popVal(lt[j]);
              if (popped === this.scratch.length) { const b = new Uint8Array(popped * 2); b.set(this.scratch); this.scratch = b; }
              this.scratch[popped++] = t;
            }
            void base;
            for (let j = popped - 1; j >= 0; j--) this.pushVal(this.scratch[j]);
          }
          this.popVals(this.labelTypes(dc));
          this.setUnreachable();
          break;
        }
        case Op.return:
          this.popVals(fnResults);
          this.setUnreachable();
          break;
        case Op.call: {
          const t = this.funcType(ir.idx);
          this.popVals(t.params);
          this.pushVals(t.results);
          break;
        }
        case Op.call_indirect: {
          const et = this.table(ir.idx2);
          const t = this.typeAt(ir.idx);
          if (et !== ValType.FuncRef) this.err('type mismatch');
          this.popVal(ValType.I32);
          this.popVals(t.params);
          this.pushVals(t.results);
          break;
        }
        case Op.return_call: {
          const t = this.funcType(ir.idx);
          if (!this.sameTypes(t.results, fnResults)) this.err('type mismatch');
          this.popVals(t.params);
          this.setUnreachable();
          break;
        }
        case Op.return_call_indirect: {
          const et = this.table(ir.idx2);
          const t = this.typeAt(ir.idx);
          if (et !== ValType.FuncRef) this.err('type mismatch');
          if (!this.sameTypes(t.results, fnResults)) this.err('type mismatch');
          this.popVal(ValType.I32);
          this.popVals(t.params);
          this.setUnreachable();
          break;
        }
        case Op.drop:
          this.popAny();
          break;
        case Op.select: {
          this.popVal(ValType.I32);
          const t1 = this.popAny();
          const t2 = this.popAny();
          if (isRefType(t1) || isRefType(t2)) this.err('type mismatch');
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.err('type mismatch');
          this.pushVal(t1 === UNKNOWN ? t2 : t1);
          break;
        }
        case Op.select_t: {
          if (ir.selectTypes.length !== 1) this.err('invalid result arity');
          const t = ir.selectTypes[0];
          this.popVal(ValType.I32);
          this.popVal(t);
          this.popVal(t);
          this.pushVal(t);
          break;
        }
        case Op.local_get:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.pushVal(locals[ir.idx]);
          break;
        case Op.local_set:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.popVal(locals[ir.idx]);
          break;
        case Op.local_tee:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.popVal(locals[ir.idx]);
          this.pushVal(locals[ir.idx]);
          break;
        case Op.global_get:
          if (ir.idx >= m.allGlobals.length) this.err(`unknown global ${ir.idx}`);
          this.pushVal(m.allGlobals[ir.idx].type);
          break;
        case Op.global_set: {
          if (ir.idx >= m.allGlobals.length) this.err(`unknown global ${ir.idx}`);
          const g = m.allGlobals[ir.idx];
          if (!g.mutable) this.err('global is immutable');
          this.popVal(g.type);
          break;
        }
        case Op.table_get: {
          const et = this.table(ir.idx);
          this.popVal(ValType.I32);
          this.pushVal(et);
          break;
        }
        case Op.table_set: {
          const et = this.table(ir.idx);
          this.popVal(et);
          this.popVal(ValType.I32);
          break;
        }
        case Op.table_size:
          this.table(ir.idx);
          this.pushVal(ValType.I32);
          break;
        case Op.table_grow: {
          const et = this.table(ir.idx);
          this.popVal(ValType.I32);
          this.popVal(et);
          this.pushVal(ValType.I32);
          break;
        }
        case Op.table_fill: {
          const et = this.table(ir.idx);
          this.popVal(ValType.I32);
          this.popVal(et);
          this.popVal(ValType.I32);
          break;
        }
        case Op.table_copy: {
          const dst = this.table(ir.idx);
          const src = this.table(ir.idx2);
          if (dst !== src) this.err('type mismatch');
          this.popVal(ValType.I32);
          this.popVal(ValType.I32);
          this.popVal(ValType.I32);
          break;
        }
        case Op.table_init: {
          const tt = this.table(ir.idx2);
          const et = this.elemSeg(ir.idx);
          if (et !== tt) this.err('type mismatch');
          this.popVal(ValType.I32);
          this.popVal(ValType.I32);
          this.popVal(ValType.I32);
          break;
        }
        case Op.elem_drop:
          this.elemSeg(ir.idx);
          break;
        case Op.ref_null:
          this.pushVal(ir.refType);
          break;
        case Op.ref_is_null: {
          const t = this.popAny();
          if (t !== UNKNOWN && !isRefType(t)) this.err('type mismatch');
          this.pushVal(ValType.I32);
          break;
        }
        case Op.ref_func:
          this.funcType(ir.idx);
          if (!this.declared[ir.idx]) this.err('undeclared function reference');
          this.pushVal(ValType.FuncRef);
          break;
        default:
          this.err(`unsupported instruction ${info.name}`);
      }
    }
    void vals;
    if (ir.pos !== f.codeEnd) this.err('type mismatch'); // cannot happen after the decoder's checks
  }
}

/** Validate a decoded module; throws ValidationError(message, byteOffset, funcIndex) if invalid. */
export function validateModule(m: Module): void {
  new Validator(m).validate();
}
