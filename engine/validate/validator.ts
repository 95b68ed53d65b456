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

// Module constants for everything the inner loop compares against: the build transpiles file by
// file, so const enums and `Op.x` of other files would be reads through CommonJS export getters.
const T_I32 = ValType.I32 as number, T_I64 = ValType.I64 as number, T_F32 = ValType.F32 as number;
const T_F64 = ValType.F64 as number, T_V128 = ValType.V128 as number, T_FUNCREF = ValType.FuncRef as number;
const T_EXTERNREF = ValType.ExternRef as number;
const BK_VALUE = BlockKind.Value as number, BK_TYPEINDEX = BlockKind.TypeIndex as number;

const EMPTY: readonly number[] = [];
const SINGLE: Record<number, readonly number[]> = {};
for (const t of [T_I32, T_I64, T_F32, T_F64, T_V128, T_FUNCREF, T_EXTERNREF]) SINGLE[t] = [t];

// Plain instruction signatures from the opcode table, as type codes.
const PLAIN_PARAMS: (readonly number[] | null)[] = [];
const PLAIN_RESULTS: (readonly number[] | null)[] = [];
/** For lane instructions: the number of lanes (lane index must be below it); 0 otherwise. */
const LANES = new Uint8Array(OPS.length);

// Extra checks of plain instructions, by immediate kind.
const X_NONE = 0, X_MEMARG = 1, X_MEMARG_LANE = 2, X_LANE = 3, X_SHUFFLE = 4, X_MEMORY = 5, X_MEMINIT = 6, X_DATA = 7;
const EXTRA = new Uint8Array(OPS.length);

// Hand-typed instructions: a dense code per opcode so the dispatch switch has literal cases.
const H_PLAIN = 0, H_UNREACHABLE = 1, H_BLOCK = 2, H_LOOP = 3, H_IF = 4, H_ELSE = 5, H_END = 6, H_BR = 7,
  H_BR_IF = 8, H_BR_TABLE = 9, H_RETURN = 10, H_CALL = 11, H_CALL_INDIRECT = 12, H_RETURN_CALL = 13,
  H_RETURN_CALL_INDIRECT = 14, H_DROP = 15, H_SELECT = 16, H_SELECT_T = 17, H_LOCAL_GET = 18,
  H_LOCAL_SET = 19, H_LOCAL_TEE = 20, H_GLOBAL_GET = 21, H_GLOBAL_SET = 22, H_TABLE_GET = 23,
  H_TABLE_SET = 24, H_TABLE_SIZE = 25, H_TABLE_GROW = 26, H_TABLE_FILL = 27, H_TABLE_COPY = 28,
  H_TABLE_INIT = 29, H_ELEM_DROP = 30, H_REF_NULL = 31, H_REF_IS_NULL = 32, H_REF_FUNC = 33, H_UNKNOWN = 255;
const HAND = new Uint8Array(OPS.length).fill(H_UNKNOWN);

for (const info of OPS) {
  const conv = (a: readonly string[] | null): number[] | null =>
    a === null ? null : a.map((s) => {
      const t = valTypeFromName(s);
      if (t === undefined) throw new Error(`opcode table: bad type ${s}`);
      return t as number;
    });
  PLAIN_PARAMS[info.id] = conv(info.params);
  PLAIN_RESULTS[info.id] = conv(info.results);
  if (info.params !== null) HAND[info.id] = H_PLAIN;
  switch (info.imm) {
    case Imm.Lane: {
      const shape = info.name.slice(0, info.name.indexOf('.'));
      LANES[info.id] = Number(shape.slice(shape.indexOf('x') + 1));
      EXTRA[info.id] = X_LANE;
      break;
    }
    case Imm.MemArgLane: LANES[info.id] = 16 / info.width; EXTRA[info.id] = X_MEMARG_LANE; break;
    case Imm.MemArg: EXTRA[info.id] = X_MEMARG; break;
    case Imm.Shuffle: EXTRA[info.id] = X_SHUFFLE; break;
    case Imm.Memory: case Imm.MemCopy: case Imm.MemFill: EXTRA[info.id] = X_MEMORY; break;
    case Imm.MemInit: EXTRA[info.id] = X_MEMINIT; break;
    case Imm.Data: EXTRA[info.id] = X_DATA; break;
    default: EXTRA[info.id] = X_NONE;
  }
}
const HAND_NAMES: [number, number][] = [
  [Op.unreachable, H_UNREACHABLE], [Op.block, H_BLOCK], [Op.loop, H_LOOP], [Op.if, H_IF], [Op.else, H_ELSE],
  [Op.end, H_END], [Op.br, H_BR], [Op.br_if, H_BR_IF], [Op.br_table, H_BR_TABLE], [Op.return, H_RETURN],
  [Op.call, H_CALL], [Op.call_indirect, H_CALL_INDIRECT], [Op.return_call, H_RETURN_CALL],
  [Op.return_call_indirect, H_RETURN_CALL_INDIRECT], [Op.drop, H_DROP], [Op.select, H_SELECT],
  [Op.select_t, H_SELECT_T], [Op.local_get, H_LOCAL_GET], [Op.local_set, H_LOCAL_SET], [Op.local_tee, H_LOCAL_TEE],
  [Op.global_get, H_GLOBAL_GET], [Op.global_set, H_GLOBAL_SET], [Op.table_get, H_TABLE_GET],
  [Op.table_set, H_TABLE_SET], [Op.table_size, H_TABLE_SIZE], [Op.table_grow, H_TABLE_GROW],
  [Op.table_fill, H_TABLE_FILL], [Op.table_copy, H_TABLE_COPY], [Op.table_init, H_TABLE_INIT],
  [Op.elem_drop, H_ELEM_DROP], [Op.ref_null, H_REF_NULL], [Op.ref_is_null, H_REF_IS_NULL], [Op.ref_func, H_REF_FUNC],
];
for (const [id, h] of HAND_NAMES) HAND[id] = h;

// Opcodes allowed in constant expressions.
const OP_END = Op.end, OP_I32_CONST = Op.i32_const, OP_I64_CONST = Op.i64_const, OP_F32_CONST = Op.f32_const;
const OP_F64_CONST = Op.f64_const, OP_V128_CONST = Op.v128_const, OP_REF_NULL = Op.ref_null, OP_REF_FUNC = Op.ref_func;
const OP_GLOBAL_GET = Op.global_get, OP_I32_ADD = Op.i32_add, OP_I64_ADD = Op.i64_add;
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
  /** Operand stack height at the start of the innermost frame (ctlHeight[nctl - 1]). */
  private height = 0;
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

    for (const g of m.globals) this.constExpr(g.init, g.type.type);

    for (const e of m.elems) {
      if (e.mode === 'active') {
        if (e.table >= m.allTables.length) fail(`unknown table ${e.table}`, e.byteOffset);
        if (m.allTables[e.table].elem !== e.type) fail('type mismatch', e.byteOffset);
        this.constExpr(e.offset!, T_I32);
      }
      for (const it of e.items) {
        if (typeof it === 'number') {
          if (it >= this.numFuncs) fail(`unknown function ${it}`, e.byteOffset);
        } else {
          this.constExpr(it, e.type);
        }
      }
    }
    for (const d of m.datas) {
      if (d.mode === 'active') {
        if (d.memory >= m.allMemories.length) fail(`unknown memory ${d.memory}`, d.byteOffset);
        this.constExpr(d.offset!, T_I32);
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
      if (ir.op === OP_REF_FUNC && ir.idx < this.numFuncs) this.declared[ir.idx] = 1;
    }
  }

  /** Validate a constant expression producing one value of type `want`. */
  private constExpr(e: ConstExpr, want: number): void {
    const m = this.m;
    const ir = this.ir;
    ir.pos = e.start;
    ir.end = e.end;
    let n = 0;
    const push = (t: number): void => {
      if (n === this.scratch.length) { const b = new Uint8Array(n * 2); b.set(this.scratch); this.scratch = b; }
      this.scratch[n++] = t;
    };
    for (;;) {
      ir.next();
      const op = ir.op;
      const at = ir.offset;
      if (op === OP_END) break;
      if (op === OP_I32_CONST) push(T_I32);
      else if (op === OP_I64_CONST) push(T_I64);
      else if (op === OP_F32_CONST) push(T_F32);
      else if (op === OP_F64_CONST) push(T_F64);
      else if (op === OP_V128_CONST) push(T_V128);
      else if (op === OP_REF_NULL) push(ir.refType);
      else if (op === OP_REF_FUNC) {
        if (ir.idx >= this.numFuncs) fail(`unknown function ${ir.idx}`, at);
        push(T_FUNCREF);
      } else if (op === OP_GLOBAL_GET) {
        // Wasm 2.0: constant expressions see only the imported globals (the testsuite expects
        // "unknown global" for defined ones in global inits and in elem/data offsets alike).
        if (ir.idx >= m.numImportedGlobals) fail(`unknown global ${ir.idx}`, at);
        const g = m.allGlobals[ir.idx];
        if (g.mutable) fail('constant expression required', at);
        push(g.type);
      } else if (op === OP_I32_ADD || op === OP_I32_SUB || op === OP_I32_MUL || op === OP_I64_ADD || op === OP_I64_SUB || op === OP_I64_MUL) {
        const t = op === OP_I32_ADD || op === OP_I32_SUB || op === OP_I32_MUL ? T_I32 : T_I64;
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
    // fast path: the expected type is on top, above the innermost frame's base
    const n = this.nvals;
    if (n > this.height && this.vals[n - 1] === expect) {
      this.nvals = n - 1;
      return expect;
    }
    const actual = this.popAny();
    if (actual !== expect && actual !== UNKNOWN && expect !== UNKNOWN) this.err('type mismatch');
    return actual;
  }

  private popVals(ts: readonly number[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popVal(ts[i]);
  }

  private pushVals(ts: readonly number[]): void {
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
    this.height = this.nvals;
    this.pushVals(start);
  }

  /** Pop the innermost frame, checking its results; returns its index (its data stays readable). */
  private popCtl(): number {
    const c = this.nctl - 1;
    this.popVals(this.ctlEnd[c]);
    if (this.nvals !== this.ctlHeight[c]) this.err('type mismatch');
    this.nctl = c;
    this.height = c > 0 ? this.ctlHeight[c - 1] : 0;
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
    if (kind === BK_TYPEINDEX) {
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
    while (this.nctl > 0) {
      const info = ir.next();
      const op = ir.op;
      const h = HAND[op];
      if (h === H_PLAIN) {
        // plain instruction, possibly with memory / lane immediates
        switch (EXTRA[op]) {
          case X_NONE:
            break;
          case X_MEMARG:
            this.memory(0);
            if (ir.align > info.align) this.err('alignment must not be larger than natural');
            break;
          case X_MEMARG_LANE:
            this.memory(0);
            if (ir.align > info.align) this.err('alignment must not be larger than natural');
            if (ir.lane >= LANES[op]) this.err('invalid lane index');
            break;
          case X_LANE:
            if (ir.lane >= LANES[op]) this.err('invalid lane index');
            break;
          case X_SHUFFLE:
            for (let k = 0; k < 16; k++) if (ir.v128[k] >= 32) this.err('invalid lane index');
            break;
          case X_MEMORY:
            this.memory(0);
            break;
          case X_MEMINIT:
            this.memory(0);
            this.dataSeg(ir.idx);
            break;
          case X_DATA:
            this.dataSeg(ir.idx);
            break;
        }
        this.popVals(PLAIN_PARAMS[op]!);
        this.pushVals(PLAIN_RESULTS[op]!);
        continue;
      }
      switch (h) {
        case H_UNREACHABLE:
          this.setUnreachable();
          break;
        case H_BLOCK: case H_LOOP: case H_IF: {
          const bt = this.blockTypes(ir.blockKind, ir.blockValue);
          if (h === H_IF) this.popVal(T_I32);
          let start: readonly number[] = EMPTY, end: readonly number[] = EMPTY;
          if (bt) { start = bt.params; end = bt.results; }
          else if (ir.blockKind === BK_VALUE) end = SINGLE[ir.blockValue];
          this.popVals(start);
          this.pushCtl(h === H_BLOCK ? F_BLOCK : h === H_LOOP ? F_LOOP : F_IF, start, end);
          break;
        }
        case H_ELSE: {
          const c = this.popCtl();
          this.pushCtl(F_ELSE, this.ctlStart[c], this.ctlEnd[c]);
          break;
        }
        case H_END: {
          const c = this.popCtl();
          if (this.ctlKind[c] === F_IF && !this.sameTypes(this.ctlStart[c], this.ctlEnd[c])) this.err('type mismatch');
          if (this.nctl > 0) this.pushVals(this.ctlEnd[c]);
          break;
        }
        case H_BR: {
          const c = this.label(ir.idx);
          this.popVals(this.labelTypes(c));
          this.setUnreachable();
          break;
        }
        case H_BR_IF: {
          const c = this.label(ir.idx);
          this.popVal(T_I32);
          const lt = this.labelTypes(c);
          this.popVals(lt);
          this.pushVals(lt);
          break;
        }
        case H_BR_TABLE: {
          this.popVal(T_I32);
          const dc = this.label(ir.brDefault);
          const arity = this.labelTypes(dc).length;
          for (let k = 0; k < ir.brCount; k++) {
            const c = this.label(ir.brTargets[k]);
            const lt = this.labelTypes(c);
            if (lt.length !== arity) this.err('type mismatch');
            // pop and push back the actual operand types (keeps "unknown" where it was)
            let popped = 0;
            for (let j = lt.length - 1; j >= 0; j--) {
              const t = this.popVal(lt[j]);
              if (popped === this.scratch.length) { const b = new Uint8Array(popped * 2); b.set(this.scratch); this.scratch = b; }
              this.scratch[popped++] = t;
            }
            for (let j = popped - 1; j >= 0; j--) this.pushVal(this.scratch[j]);
          }
          this.popVals(this.labelTypes(dc));
          this.setUnreachable();
          break;
        }
        case H_RETURN:
          this.popVals(fnResults);
          this.setUnreachable();
          break;
        case H_CALL: {
          const t = this.funcType(ir.idx);
          this.popVals(t.params);
          this.pushVals(t.results);
          break;
        }
        case H_CALL_INDIRECT: {
          const et = this.table(ir.idx2);
          const t = this.typeAt(ir.idx);
          if (et !== T_FUNCREF) this.err('type mismatch');
          this.popVal(T_I32);
          this.popVals(t.params);
          this.pushVals(t.results);
          break;
        }
        case H_RETURN_CALL: {
          const t = this.funcType(ir.idx);
          if (!this.sameTypes(t.results, fnResults)) this.err('type mismatch');
          this.popVals(t.params);
          this.setUnreachable();
          break;
        }
        case H_RETURN_CALL_INDIRECT: {
          const et = this.table(ir.idx2);
          const t = this.typeAt(ir.idx);
          if (et !== T_FUNCREF) this.err('type mismatch');
          if (!this.sameTypes(t.results, fnResults)) this.err('type mismatch');
          this.popVal(T_I32);
          this.popVals(t.params);
          this.setUnreachable();
          break;
        }
        case H_DROP:
          this.popAny();
          break;
        case H_SELECT: {
          this.popVal(T_I32);
          const t1 = this.popAny();
          const t2 = this.popAny();
          if (isRefType(t1) || isRefType(t2)) this.err('type mismatch');
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.err('type mismatch');
          this.pushVal(t1 === UNKNOWN ? t2 : t1);
          break;
        }
        case H_SELECT_T: {
          if (ir.selectTypes.length !== 1) this.err('invalid result arity');
          const t = ir.selectTypes[0];
          this.popVal(T_I32);
          this.popVal(t);
          this.popVal(t);
          this.pushVal(t);
          break;
        }
        case H_LOCAL_GET:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.pushVal(locals[ir.idx]);
          break;
        case H_LOCAL_SET:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.popVal(locals[ir.idx]);
          break;
        case H_LOCAL_TEE:
          if (ir.idx >= nlocals) this.err(`unknown local ${ir.idx}`);
          this.popVal(locals[ir.idx]);
          this.pushVal(locals[ir.idx]);
          break;
        case H_GLOBAL_GET:
          if (ir.idx >= m.allGlobals.length) this.err(`unknown global ${ir.idx}`);
          this.pushVal(m.allGlobals[ir.idx].type);
          break;
        case H_GLOBAL_SET: {
          if (ir.idx >= m.allGlobals.length) this.err(`unknown global ${ir.idx}`);
          const g = m.allGlobals[ir.idx];
          if (!g.mutable) this.err('global is immutable');
          this.popVal(g.type);
          break;
        }
        case H_TABLE_GET: {
          const et = this.table(ir.idx);
          this.popVal(T_I32);
          this.pushVal(et);
          break;
        }
        case H_TABLE_SET: {
          const et = this.table(ir.idx);
          this.popVal(et);
          this.popVal(T_I32);
          break;
        }
        case H_TABLE_SIZE:
          this.table(ir.idx);
          this.pushVal(T_I32);
          break;
        case H_TABLE_GROW: {
          const et = this.table(ir.idx);
          this.popVal(T_I32);
          this.popVal(et);
          this.pushVal(T_I32);
          break;
        }
        case H_TABLE_FILL: {
          const et = this.table(ir.idx);
          this.popVal(T_I32);
          this.popVal(et);
          this.popVal(T_I32);
          break;
        }
        case H_TABLE_COPY: {
          const dst = this.table(ir.idx);
          const src = this.table(ir.idx2);
          if (dst !== src) this.err('type mismatch');
          this.popVal(T_I32);
          this.popVal(T_I32);
          this.popVal(T_I32);
          break;
        }
        case H_TABLE_INIT: {
          const tt = this.table(ir.idx2);
          const et = this.elemSeg(ir.idx);
          if (et !== tt) this.err('type mismatch');
          this.popVal(T_I32);
          this.popVal(T_I32);
          this.popVal(T_I32);
          break;
        }
        case H_ELEM_DROP:
          this.elemSeg(ir.idx);
          break;
        case H_REF_NULL:
          this.pushVal(ir.refType);
          break;
        case H_REF_IS_NULL: {
          const t = this.popAny();
          if (t !== UNKNOWN && !isRefType(t)) this.err('type mismatch');
          this.pushVal(T_I32);
          break;
        }
        case H_REF_FUNC:
          this.funcType(ir.idx);
          if (!this.declared[ir.idx]) this.err('undeclared function reference');
          this.pushVal(T_FUNCREF);
          break;
        default:
          this.err(`unsupported instruction ${info.name}`);
      }
    }
    if (ir.pos !== f.codeEnd) this.err('type mismatch'); // cannot happen after the decoder's checks
  }
}

/** Validate a decoded module; throws ValidationError(message, byteOffset, funcIndex) if invalid. */
export function validateModule(m: Module): void {
  new Validator(m).validate();
}
