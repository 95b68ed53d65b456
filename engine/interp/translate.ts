// Translates one function body (validated) into the interpreter's flat code: an Int32Array of internal
// opcodes (engine/interp/iops.gen.ts) each followed by its operands. Done once per function and
// instance, lazily at first call, so store addresses (functions, globals, tables) are embedded.
//
// Slots: local i is slot localSlot[i]; the operand-stack entry at height h (in slots) is slot
// numLocalSlots + h; a v128 takes two slots. Operands are encoded as word offsets (2 * slot) from the
// frame base, so `i32.add` becomes `I32_ADD dst a b`. A callee's frame starts at the caller's slot of
// its first argument; results are written at the callee's frame base.
//
// Every reachable wasm instruction becomes exactly one counted op, so the debugger can stop before any
// instruction; unreachable code (after br/return/unreachable...) emits nothing. Control flow:
//   block/loop/nop/drop/end -> NOP; if -> BR_UNLESS; else -> BR (jump over the else arm);
//   the function's final end and `return` -> RETURN (copies results to the frame base);
//   a branch to the function's own label jumps to its final `end` (which then executes and counts).
// Instruction counting: code is cut into basic blocks, each starting with `FUEL n` (n = the counted ops
// of the block). Blocks start at the function entry, at every branch target, and after every call
// (the callee runs in between). Conditional branches (br_if, if) carry a refund: the count of the ops
// after them in their block, given back when the branch is taken. Side tables per pc: `rem` (counted
// ops from this op to the end of its block, inclusive: the overcharge when execution stops before this
// op), `offsets` (byte offset of the wasm instruction in the module) and `heights` (operand stack
// height in slots before the op).

import { InstrReader, BlockKind } from '../core/instr';
import { OPS, Op, Imm } from '../core/opcodes';
import { ValType, slotCount, type FuncType } from '../core/types';
import type { Module } from '../core/module';
import { I } from './iops.gen';

export interface Translated {
  readonly code: Int32Array;
  readonly rem: Int32Array;
  readonly offsets: Int32Array;
  readonly heights: Int32Array;
  /** Continuation pc (the FUEL op after a call) -> byte offset of the call instruction. */
  readonly callSites: Map<number, number>;
  /** Byte offset of a reachable instruction -> its pc. */
  readonly pcOfOffset: Map<number, number>;
  readonly localTypes: readonly ValType[];
  readonly localSlot: readonly number[];
  readonly numLocalSlots: number;
  readonly paramWords: number;
  readonly localWords: number;
  readonly frameWords: number;
  /** When translate() was asked for the operand types at a pc: the types there (bottom first). */
  readonly capturedTypes: ValType[] | null;
}

/** What the translator needs to know about the instance (store addresses of its index spaces). */
export interface TranslateEnv {
  readonly module: Module;
  funcAddr(i: number): number;
  /** Word index of global i in the store's global buffer. */
  globalWord(i: number): number;
  tableAddr(i: number): number;
  /** Store-wide id of the structural function type with this type index. */
  typeId(typeIndex: number): number;
  funcParamSlots(addr: number): number;
}

const TYPE_OF: Record<string, ValType> = { i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, v128: ValType.V128 };

const ALIAS: Record<string, string> = {
  'i32.load': 'LD_I32', 'i64.load': 'LD_I64', 'f32.load': 'LD_I32', 'f64.load': 'LD_I64',
  'i32.load8_s': 'LD_I32_8S', 'i32.load8_u': 'LD_I32_8U', 'i32.load16_s': 'LD_I32_16S', 'i32.load16_u': 'LD_I32_16U',
  'i64.load8_s': 'LD_I64_8S', 'i64.load8_u': 'LD_I64_8U', 'i64.load16_s': 'LD_I64_16S', 'i64.load16_u': 'LD_I64_16U',
  'i64.load32_s': 'LD_I64_32S', 'i64.load32_u': 'LD_I64_32U',
  'i32.store': 'ST_I32', 'i64.store': 'ST_I64', 'f32.store': 'ST_I32', 'f64.store': 'ST_I64',
  'i32.store8': 'ST_8', 'i64.store8': 'ST_8', 'i32.store16': 'ST_16', 'i64.store16': 'ST_16', 'i64.store32': 'ST_I32',
  'i32.wrap_i64': 'MOV', 'i32.reinterpret_f32': 'MOV', 'i64.reinterpret_f64': 'MOV', 'f32.reinterpret_i32': 'MOV',
  'f64.reinterpret_i64': 'MOV', 'i64.extend_i32_s': 'I64_EXTEND32_S',
};

/** Internal opcode of each "plain" OPS entry (by dense id), -1 if none. */
const PLAIN = new Int32Array(OPS.length).fill(-1);
for (const info of OPS) {
  if (info.params === null || info.prefix === 0xfd) continue;
  const name = ALIAS[info.name] ?? info.name.toUpperCase().replace('.', '_');
  const v = (I as Record<string, number>)[name];
  if (v !== undefined) PLAIN[info.id] = v;
}

interface Ctrl {
  kind: number; // 0 block, 1 loop, 2 if, 3 else, 4 function
  height: number; // slot height below the block's params
  tdepth: number; // type stack depth below the params
  params: readonly ValType[];
  results: readonly ValType[];
  fixups: number[]; // code positions to patch with the label's target pc
  loopPc: number;
  elseFix: number; // if: position of BR_UNLESS's target operand, -1 once patched
}

/** The move op for a value of type t: 32-bit values copy one word (the high word of an i32/f32/ref
 *  slot is never read), 64-bit values two, v128 four. */
function movOp(t: ValType): number {
  return t === ValType.V128 ? I.MOV128 : t === ValType.I64 || t === ValType.F64 ? I.MOV : I.MOV32;
}

const K_BLOCK = 0, K_LOOP = 1, K_IF = 2, K_ELSE = 3, K_FUNC = 4;

export function translate(env: TranslateEnv, funcIndex: number, captureAt = -1): Translated {
  const m = env.module;
  const body = m.funcs[funcIndex - m.numImportedFuncs];
  const type: FuncType = m.types[body.typeIndex];
  const localTypes: ValType[] = [...type.params, ...body.locals];
  const localSlot: number[] = [];
  let nls = 0;
  for (const t of localTypes) { localSlot.push(nls); nls += slotCount(t); }
  let paramSlots = 0;
  for (const t of type.params) paramSlots += slotCount(t);
  const L = nls;

  const code: number[] = [];
  const offsets: number[] = [];
  const heights: number[] = [];
  const rem: number[] = [];
  const callSites = new Map<number, number>();
  const pcOfOffset = new Map<number, number>();
  let capturedTypes: ValType[] | null = null;

  // operand stack model
  const ts: ValType[] = [];
  let h = 0;
  let maxH = 0;
  const push = (t: ValType): number => { const s = L + h; ts.push(t); h += slotCount(t); if (h > maxH) maxH = h; return 2 * s; };
  let lastPopped: ValType = ValType.I32;
  const pop = (): number => { const t = ts.pop()!; lastPopped = t; h -= slotCount(t); return 2 * (L + h); };

  // basic-block bookkeeping
  let fuelPos = -1; // position of the open block's FUEL count
  let count = 0;
  let blockOps: number[] = []; // pc, countBefore pairs
  let refunds: number[] = []; // pos, countAfter pairs
  const openBlock = (): number => {
    const pc = code.length;
    code.push(I.FUEL, 0);
    fuelPos = pc + 1;
    count = 0;
    return pc;
  };
  const closeBlock = (): void => {
    if (fuelPos < 0) return;
    code[fuelPos] = count;
    for (let i = 0; i < blockOps.length; i += 2) rem[blockOps[i]] = count - blockOps[i + 1];
    for (let i = 0; i < refunds.length; i += 2) code[refunds[i]] = count - refunds[i + 1];
    blockOps = []; refunds = [];
    fuelPos = -1;
  };
  let curOffset = 0;
  /** Start a counted op for the current wasm instruction. */
  const begin = (iop: number): number => {
    if (fuelPos < 0) throw new Error('translate: op outside a basic block');
    const pc = code.length;
    offsets[pc] = curOffset;
    heights[pc] = h;
    blockOps.push(pc, count);
    count++;
    pcOfOffset.set(curOffset, pc);
    if (pc === captureAt) capturedTypes = ts.slice();
    code.push(iop);
    return pc;
  };
  /** The op word and operands of a move (packed when both offsets fit in 16 bits), after begin(). */
  const emitMoveAt = (t: ValType, d: number, s: number): void => {
    if (t !== ValType.V128 && d < 0x10000 && s < 0x10000) {
      code.push(t === ValType.I64 || t === ValType.F64 ? I.MOVP : I.MOV32P, d | (s << 16));
    } else code.push(movOp(t), d, s);
  };
  /** Reserve a refund operand for a conditional branch just begun. */
  const refund = (): void => { refunds.push(code.length, count); code.push(0); };

  const blockSig = (r: InstrReader): [readonly ValType[], readonly ValType[]] => {
    if (r.blockKind === BlockKind.Empty) return [[], []];
    if (r.blockKind === BlockKind.Value) return [[], [r.blockValue as ValType]];
    const ft = m.types[r.blockValue];
    return [ft.params, ft.results];
  };
  const slotsOf = (types: readonly ValType[]): number => { let n = 0; for (const t of types) n += slotCount(t); return n; };

  const ctrls: Ctrl[] = [{ kind: K_FUNC, height: 0, tdepth: 0, params: [], results: type.results, fixups: [], loopPc: -1, elseFix: -1 }];

  /** Emit the copies for a branch to ctrl `c` (n, then dst/src word pairs); returns nothing. */
  const emitCopies = (c: Ctrl): void => {
    const types = c.kind === K_LOOP ? c.params : c.results;
    const n = slotsOf(types);
    const src = h - n, dst = c.height;
    if (src === dst) { code.push(0); return; }
    code.push(n);
    for (let i = 0; i < n; i++) code.push(2 * (L + dst + i), 2 * (L + src + i));
  };
  const needsCopy = (c: Ctrl): boolean => {
    const types = c.kind === K_LOOP ? c.params : c.results;
    return h - slotsOf(types) !== c.height;
  };
  /** Push the label target operand for ctrl `c` (patched later for forward labels). */
  const target = (c: Ctrl): void => {
    if (c.kind === K_LOOP) code.push(c.loopPc);
    else { c.fixups.push(code.length); code.push(-1); }
  };
  const emitReturn = (): void => {
    // RETURN n src_0 .. src_{n-1}: results from the stack top to slots 0..
    const n = slotsOf(type.results);
    code.push(n);
    const base = h - n;
    for (let i = 0; i < n; i++) code.push(2 * (L + base + i));
  };

  openBlock();
  const r = new InstrReader(m.bytes, body.codeStart, body.codeEnd);
  let dead = false;
  let deadDepth = 0;
  while (ctrls.length > 0) {
    const info = r.next();
    const op = r.op;
    curOffset = r.offset;
    if (dead) {
      if (op === Op.block || op === Op.loop || op === Op.if) { deadDepth++; continue; }
      if (op === Op.end) { if (deadDepth > 0) { deadDepth--; continue; } }
      else if (op === Op.else) { if (deadDepth > 0) continue; }
      else continue;
    }
    switch (op) {
      case Op.nop: begin(I.NOP); break;
      case Op.drop: begin(I.NOP); pop(); break;
      case Op.block: case Op.loop: {
        const [params, results] = blockSig(r);
        begin(I.NOP);
        const ps = slotsOf(params);
        const c: Ctrl = { kind: op === Op.block ? K_BLOCK : K_LOOP, height: h - ps, tdepth: ts.length - params.length, params, results, fixups: [], loopPc: -1, elseFix: -1 };
        if (op === Op.loop) { closeBlock(); c.loopPc = openBlock(); }
        ctrls.push(c);
        break;
      }
      case Op.if: {
        const [params, results] = blockSig(r);
        begin(I.BR_UNLESS);
        const cond = pop();
        code.push(cond);
        const ps = slotsOf(params);
        const c: Ctrl = { kind: K_IF, height: h - ps, tdepth: ts.length - params.length, params, results, fixups: [], loopPc: -1, elseFix: code.length };
        code.push(-1);
        refund();
        ctrls.push(c);
        break;
      }
      case Op.else: {
        const c = ctrls[ctrls.length - 1];
        if (!dead) {
          begin(I.BR);
          c.fixups.push(code.length); code.push(-1);
          closeBlock();
        }
        const pc = openBlock();
        code[c.elseFix] = pc;
        c.elseFix = -1;
        c.kind = K_ELSE;
        ts.length = c.tdepth; h = c.height;
        for (const t of c.params) push(t);
        dead = false;
        break;
      }
      case Op.end: {
        const c = ctrls[ctrls.length - 1];
        if (c.kind === K_FUNC) {
          if (c.fixups.length > 0) {
            closeBlock();
            const pc = openBlock();
            for (const f of c.fixups) code[f] = pc;
            dead = false;
            ts.length = 0; h = 0;
            for (const t of type.results) push(t);
          }
          if (!dead) { begin(I.RETURN); emitReturn(); }
          closeBlock();
          ctrls.pop();
          break;
        }
        if (!dead) begin(I.NOP);
        if (c.fixups.length > 0 || c.elseFix >= 0) {
          closeBlock();
          const pc = openBlock();
          for (const f of c.fixups) code[f] = pc;
          if (c.elseFix >= 0) code[c.elseFix] = pc;
          dead = false;
        }
        ts.length = c.tdepth; h = c.height;
        for (const t of c.results) push(t);
        ctrls.pop();
        break;
      }
      case Op.br: {
        const c = ctrls[ctrls.length - 1 - r.idx];
        if (needsCopy(c)) { begin(I.BR_COPY); target(c); emitCopies(c); }
        else { begin(I.BR); target(c); }
        closeBlock(); dead = true;
        break;
      }
      case Op.br_if: {
        const c = ctrls[ctrls.length - 1 - r.idx];
        const pcOp = begin(I.BR_IF);
        const cond = pop();
        code.push(cond);
        target(c);
        refund();
        if (needsCopy(c)) { code[pcOp] = I.BR_IF_COPY; emitCopies(c); }
        break;
      }
      case Op.br_table: {
        begin(I.BR_TABLE);
        const idx = pop();
        const n = r.brCount;
        code.push(idx, n);
        const recSlots = code.length;
        for (let i = 0; i <= n; i++) code.push(0);
        for (let i = 0; i <= n; i++) {
          const depth = i < n ? r.brTargets[i] : r.brDefault;
          const c = ctrls[ctrls.length - 1 - depth];
          code[recSlots + i] = code.length;
          target(c);
          emitCopies(c);
        }
        closeBlock(); dead = true;
        break;
      }
      case Op.return: begin(I.RETURN); emitReturn(); closeBlock(); dead = true; break;
      case Op.unreachable: begin(I.UNREACHABLE); closeBlock(); dead = true; break;
      case Op.call: case Op.return_call: {
        const ft = m.types[m.funcTypeIndices[r.idx]];
        const tail = op === Op.return_call;
        begin(tail ? I.RETURN_CALL : I.CALL);
        for (let i = 0; i < ft.params.length; i++) pop();
        code.push(env.funcAddr(r.idx), 2 * (L + h));
        closeBlock();
        if (tail) { dead = true; break; }
        for (const t of ft.results) push(t);
        const pc = openBlock();
        callSites.set(pc, curOffset);
        break;
      }
      case Op.call_indirect: case Op.return_call_indirect: {
        const ft = m.types[r.idx];
        const tail = op === Op.return_call_indirect;
        begin(tail ? I.RETURN_CALL_INDIRECT : I.CALL_INDIRECT);
        const idx = pop();
        for (let i = 0; i < ft.params.length; i++) pop();
        code.push(env.typeId(r.idx), env.tableAddr(r.idx2), 2 * (L + h), idx);
        closeBlock();
        if (tail) { dead = true; break; }
        for (const t of ft.results) push(t);
        const pc = openBlock();
        callSites.set(pc, curOffset);
        break;
      }
      case Op.select: case Op.select_t: {
        const pc = begin(I.SELECT);
        const c = pop(), b = pop(), a = pop();
        code.push(0, a, b, c);
        const t = lastPopped as ValType;
        code[pc + 1] = push(t);
        if (t === ValType.V128) code[pc] = I.SELECT128;
        break;
      }
      case Op.local_get: {
        const t = localTypes[r.idx];
        const pc = begin(movOp(t));
        code.length = pc;
        emitMoveAt(t, push(t), 2 * localSlot[r.idx]);
        break;
      }
      case Op.local_set: case Op.local_tee: {
        const t = localTypes[r.idx];
        const pc = begin(movOp(t));
        const s = op === Op.local_set ? pop() : 2 * (L + h - slotCount(t));
        code.length = pc; // re-emit (begin already recorded the op's side-table entries)
        emitMoveAt(t, 2 * localSlot[r.idx], s);
        break;
      }
      case Op.global_get: {
        const t = m.allGlobals[r.idx].type;
        begin(t === ValType.V128 ? I.GLOBAL_GET128 : I.GLOBAL_GET);
        code.push(push(t), env.globalWord(r.idx));
        break;
      }
      case Op.global_set: {
        const t = m.allGlobals[r.idx].type;
        begin(t === ValType.V128 ? I.GLOBAL_SET128 : I.GLOBAL_SET);
        const s = pop();
        code.push(env.globalWord(r.idx), s);
        break;
      }
      case Op.table_get: {
        begin(I.TABLE_GET);
        const i = pop();
        code.push(push(m.allTables[r.idx].elem), i, env.tableAddr(r.idx));
        break;
      }
      case Op.table_set: {
        begin(I.TABLE_SET);
        const v = pop(), i = pop();
        code.push(env.tableAddr(r.idx), i, v);
        break;
      }
      case Op.table_size: begin(I.TABLE_SIZE); code.push(push(ValType.I32), env.tableAddr(r.idx)); break;
      case Op.table_grow: {
        begin(I.TABLE_GROW);
        const n = pop(), v = pop();
        code.push(push(ValType.I32), v, n, env.tableAddr(r.idx));
        break;
      }
      case Op.table_fill: {
        begin(I.TABLE_FILL);
        const n = pop(), v = pop(), i = pop();
        code.push(env.tableAddr(r.idx), i, v, n);
        break;
      }
      case Op.table_copy: {
        begin(I.TABLE_COPY);
        const n = pop(), s = pop(), d = pop();
        code.push(env.tableAddr(r.idx), env.tableAddr(r.idx2), d, s, n);
        break;
      }
      case Op.table_init: {
        begin(I.TABLE_INIT);
        const n = pop(), s = pop(), d = pop();
        code.push(env.tableAddr(r.idx2), r.idx, d, s, n);
        break;
      }
      case Op.elem_drop: begin(I.ELEM_DROP); code.push(r.idx); break;
      case Op.memory_size: begin(I.MEMORY_SIZE); code.push(push(ValType.I32)); break;
      case Op.memory_grow: { begin(I.MEMORY_GROW); const n = pop(); code.push(push(ValType.I32), n); break; }
      case Op.memory_init: {
        begin(I.MEMORY_INIT);
        const n = pop(), s = pop(), d = pop();
        code.push(r.idx, d, s, n);
        break;
      }
      case Op.data_drop: begin(I.DATA_DROP); code.push(r.idx); break;
      case Op.memory_copy: { begin(I.MEMORY_COPY); const n = pop(), s = pop(), d = pop(); code.push(d, s, n); break; }
      case Op.memory_fill: { begin(I.MEMORY_FILL); const n = pop(), v = pop(), d = pop(); code.push(d, v, n); break; }
      case Op.i32_const: case Op.f32_const:
        begin(I.CONST32); code.push(push(op === Op.i32_const ? ValType.I32 : ValType.F32), r.i32); break;
      case Op.i64_const: case Op.f64_const:
        begin(I.CONST64); code.push(push(op === Op.i64_const ? ValType.I64 : ValType.F64), r.i64[0], r.i64[1]); break;
      case Op.v128_const: {
        begin(I.CONST128);
        const b = r.v128;
        code.push(push(ValType.V128));
        for (let i = 0; i < 16; i += 4) code.push(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
        break;
      }
      case Op.ref_null: begin(I.CONST64); code.push(push(r.refType), 0, 0); break;
      case Op.ref_is_null: { begin(I.I32_EQZ); const a = pop(); code.push(push(ValType.I32), a); break; }
      case Op.ref_func: begin(I.REF_FUNC); code.push(push(ValType.FuncRef), env.funcAddr(r.idx) + 1); break;
      default: {
        if (info.prefix === 0xfd) { emitSimd(); break; }
        const iop = PLAIN[op];
        if (iop < 0 || info.params === null || info.results === null) throw new Error(`translate: no internal op for ${info.name}`);
        begin(iop);
        if (info.imm === Imm.MemArg) {
          if (info.results.length === 1) { const a = pop(); code.push(push(TYPE_OF[info.results[0]]), a, r.memOffset); }
          else { const v = pop(), a = pop(); code.push(a, v, r.memOffset); }
        } else {
          const np = info.params.length;
          const b = np === 2 ? pop() : 0;
          const a = pop();
          const d = push(TYPE_OF[info.results[0]]);
          if (np === 2) code.push(d, a, b); else code.push(d, a);
        }
      }
    }
  }

  function emitSimd(): void {
    const info = OPS[r.op];
    const params = info.params!, results = info.results!;
    if (info.imm === Imm.MemArg || info.imm === Imm.MemArgLane) {
      begin(I.SIMD_MEM);
      // params: i32 address, then (lane ops / stores) a v128
      const a = params.length === 2 ? pop() : 0;
      const addr = pop();
      const d = results.length === 1 ? push(ValType.V128) : 0;
      code.push(r.op, d, a, addr, r.memOffset, info.width, r.lane);
      return;
    }
    begin(I.SIMD);
    const ops = [0, 0, 0];
    for (let i = params.length - 1; i >= 0; i--) ops[i] = pop();
    const d = results.length === 1 ? push(TYPE_OF[results[0]]) : 0;
    code.push(r.op, d, ops[0], ops[1], ops[2]);
    if (info.imm === Imm.Lane) code.push(r.lane, 0, 0, 0);
    else if (info.imm === Imm.Shuffle || info.imm === Imm.V128) {
      const b = r.v128;
      for (let i = 0; i < 16; i += 4) code.push(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    } else code.push(0, 0, 0, 0);
  }

  const n = code.length;
  const out = Int32Array.from(code);
  const remA = new Int32Array(n).fill(-1);
  const offA = new Int32Array(n).fill(-1);
  const hA = new Int32Array(n).fill(-1);
  for (const k in rem) remA[+k] = rem[+k];
  for (const k in offsets) offA[+k] = offsets[+k];
  for (const k in heights) hA[+k] = heights[+k];
  return {
    code: out, rem: remA, offsets: offA, heights: hA, callSites, pcOfOffset, localTypes, localSlot,
    numLocalSlots: L, paramWords: 2 * paramSlots, localWords: 2 * L, frameWords: 2 * (L + maxH + 2),
    capturedTypes,
  };
}
