// The one opcode table. Decoder, validator, translator, disassembler, WAT assembler and the
// TextMate grammar's keyword list are all driven by it. Each entry gives the text name, the binary
// encoding (prefix byte 0 for single-byte opcodes, else 0xFC / 0xFD followed by a LEB128 u32), the
// kind of immediates, and for "plain" instructions the stack signature used by the validator.

/** Kinds of immediates an instruction carries (binary and text formats agree on the order). */
export const enum Imm {
  None,
  BlockType,      // block, loop, if
  Label,          // br, br_if
  BrTable,        // vec(labelidx) labelidx
  Func,           // call, return_call, ref.func
  CallIndirect,   // typeidx tableidx
  Local,
  Global,
  Table,          // table.get/set/grow/size/fill
  Memory,         // memory.size / memory.grow: memidx (a 0x00 byte in Wasm 2.0)
  MemArg,         // align offset
  MemArgLane,     // align offset laneidx
  I32,
  I64,
  F32,
  F64,
  V128,           // 16 bytes
  Lane,           // one laneidx byte
  Shuffle,        // 16 laneidx bytes
  RefType,        // ref.null: heap type
  SelectT,        // select with a vec(valtype)
  MemInit,        // dataidx memidx
  Data,           // data.drop
  MemCopy,        // memidx memidx
  MemFill,        // memidx
  TableInit,      // elemidx tableidx
  Elem,           // elem.drop
  TableCopy,      // tableidx tableidx
}

export interface OpInfo {
  /** Dense id: the index of this entry in OPS. */
  readonly id: number;
  readonly name: string;
  /** 0 for single-byte opcodes, 0xFC or 0xFD for prefixed ones. */
  readonly prefix: number;
  readonly code: number;
  readonly imm: Imm;
  /** Operand types popped (in push order) and results pushed, for plain instructions; null when the
   *  validator types the instruction by hand (control, variables, references, tables, calls). */
  readonly params: readonly string[] | null;
  readonly results: readonly string[] | null;
  /** For memory instructions: the log2 of the natural alignment (the largest valid align), and the
   *  access width in bytes. */
  readonly align: number;
  readonly width: number;
}

export const OPS: OpInfo[] = [];
const byName = new Map<string, OpInfo>();
/** Single-byte opcodes: code -> id (or -1). */
export const OP_BY_BYTE = new Int16Array(256).fill(-1);
/** 0xFC sub-opcodes -> id. */
export const OP_BY_FC = new Int16Array(32).fill(-1);
/** 0xFD sub-opcodes -> id. */
export const OP_BY_FD = new Int16Array(256).fill(-1);

function def(name: string, prefix: number, code: number, imm: Imm, sig: string | null, align = -1, width = 0): void {
  let params: string[] | null = null;
  let results: string[] | null = null;
  if (sig !== null) {
    const [p, r] = sig.split(':');
    params = p.trim() ? p.trim().split(/\s+/) : [];
    results = r.trim() ? r.trim().split(/\s+/) : [];
  }
  const info: OpInfo = { id: OPS.length, name, prefix, code, imm, params, results, align, width };
  OPS.push(info);
  byName.set(name, info);
  if (prefix === 0) OP_BY_BYTE[code] = info.id;
  else if (prefix === 0xfc) OP_BY_FC[code] = info.id;
  else OP_BY_FD[code] = info.id;
}

export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

// ---- Control -------------------------------------------------------------------------------------
def('unreachable', 0, 0x00, Imm.None, null);
def('nop', 0, 0x01, Imm.None, ':');
def('block', 0, 0x02, Imm.BlockType, null);
def('loop', 0, 0x03, Imm.BlockType, null);
def('if', 0, 0x04, Imm.BlockType, null);
def('else', 0, 0x05, Imm.None, null);
def('end', 0, 0x0b, Imm.None, null);
def('br', 0, 0x0c, Imm.Label, null);
def('br_if', 0, 0x0d, Imm.Label, null);
def('br_table', 0, 0x0e, Imm.BrTable, null);
def('return', 0, 0x0f, Imm.None, null);
def('call', 0, 0x10, Imm.Func, null);
def('call_indirect', 0, 0x11, Imm.CallIndirect, null);
def('return_call', 0, 0x12, Imm.Func, null);
def('return_call_indirect', 0, 0x13, Imm.CallIndirect, null);

// ---- Parametric ----------------------------------------------------------------------------------
def('drop', 0, 0x1a, Imm.None, null);
def('select', 0, 0x1b, Imm.None, null);
def('select_t', 0, 0x1c, Imm.SelectT, null); // text name is `select` with a (result t) annotation

// ---- Variables -----------------------------------------------------------------------------------
def('local.get', 0, 0x20, Imm.Local, null);
def('local.set', 0, 0x21, Imm.Local, null);
def('local.tee', 0, 0x22, Imm.Local, null);
def('global.get', 0, 0x23, Imm.Global, null);
def('global.set', 0, 0x24, Imm.Global, null);
def('table.get', 0, 0x25, Imm.Table, null);
def('table.set', 0, 0x26, Imm.Table, null);

// ---- Memory --------------------------------------------------------------------------------------
def('i32.load', 0, 0x28, Imm.MemArg, 'i32:i32', 2, 4);
def('i64.load', 0, 0x29, Imm.MemArg, 'i32:i64', 3, 8);
def('f32.load', 0, 0x2a, Imm.MemArg, 'i32:f32', 2, 4);
def('f64.load', 0, 0x2b, Imm.MemArg, 'i32:f64', 3, 8);
def('i32.load8_s', 0, 0x2c, Imm.MemArg, 'i32:i32', 0, 1);
def('i32.load8_u', 0, 0x2d, Imm.MemArg, 'i32:i32', 0, 1);
def('i32.load16_s', 0, 0x2e, Imm.MemArg, 'i32:i32', 1, 2);
def('i32.load16_u', 0, 0x2f, Imm.MemArg, 'i32:i32', 1, 2);
def('i64.load8_s', 0, 0x30, Imm.MemArg, 'i32:i64', 0, 1);
def('i64.load8_u', 0, 0x31, Imm.MemArg, 'i32:i64', 0, 1);
def('i64.load16_s', 0, 0x32, Imm.MemArg, 'i32:i64', 1, 2);
def('i64.load16_u', 0, 0x33, Imm.MemArg, 'i32:i64', 1, 2);
def('i64.load32_s', 0, 0x34, Imm.MemArg, 'i32:i64', 2, 4);
def('i64.load32_u', 0, 0x35, Imm.MemArg, 'i32:i64', 2, 4);
def('i32.store', 0, 0x36, Imm.MemArg, 'i32 i32:', 2, 4);
def('i64.store', 0, 0x37, Imm.MemArg, 'i32 i64:', 3, 8);
def('f32.store', 0, 0x38, Imm.MemArg, 'i32 f32:', 2, 4);
def('f64.store', 0, 0x39, Imm.MemArg, 'i32 f64:', 3, 8);
def('i32.store8', 0, 0x3a, Imm.MemArg, 'i32 i32:', 0, 1);
def('i32.store16', 0, 0x3b, Imm.MemArg, 'i32 i32:', 1, 2);
def('i64.store8', 0, 0x3c, Imm.MemArg, 'i32 i64:', 0, 1);
def('i64.store16', 0, 0x3d, Imm.MemArg, 'i32 i64:', 1, 2);
def('i64.store32', 0, 0x3e, Imm.MemArg, 'i32 i64:', 2, 4);
def('memory.size', 0, 0x3f, Imm.Memory, ':i32');
def('memory.grow', 0, 0x40, Imm.Memory, 'i32:i32');

// ---- Constants -----------------------------------------------------------------------------------
def('i32.const', 0, 0x41, Imm.I32, ':i32');
def('i64.const', 0, 0x42, Imm.I64, ':i64');
def('f32.const', 0, 0x43, Imm.F32, ':f32');
def('f64.const', 0, 0x44, Imm.F64, ':f64');

// ---- Numeric -------------------------------------------------------------------------------------
const CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const FCMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const IUN = ['clz', 'ctz', 'popcnt'];
const IBIN = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const FUN = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
const FBIN = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];

def('i32.eqz', 0, 0x45, Imm.None, 'i32:i32');
CMP.forEach((n, i) => def(`i32.${n}`, 0, 0x46 + i, Imm.None, 'i32 i32:i32'));
def('i64.eqz', 0, 0x50, Imm.None, 'i64:i32');
CMP.forEach((n, i) => def(`i64.${n}`, 0, 0x51 + i, Imm.None, 'i64 i64:i32'));
FCMP.forEach((n, i) => def(`f32.${n}`, 0, 0x5b + i, Imm.None, 'f32 f32:i32'));
FCMP.forEach((n, i) => def(`f64.${n}`, 0, 0x61 + i, Imm.None, 'f64 f64:i32'));
IUN.forEach((n, i) => def(`i32.${n}`, 0, 0x67 + i, Imm.None, 'i32:i32'));
IBIN.forEach((n, i) => def(`i32.${n}`, 0, 0x6a + i, Imm.None, 'i32 i32:i32'));
IUN.forEach((n, i) => def(`i64.${n}`, 0, 0x79 + i, Imm.None, 'i64:i64'));
IBIN.forEach((n, i) => def(`i64.${n}`, 0, 0x7c + i, Imm.None, 'i64 i64:i64'));
FUN.forEach((n, i) => def(`f32.${n}`, 0, 0x8b + i, Imm.None, 'f32:f32'));
FBIN.forEach((n, i) => def(`f32.${n}`, 0, 0x92 + i, Imm.None, 'f32 f32:f32'));
FUN.forEach((n, i) => def(`f64.${n}`, 0, 0x99 + i, Imm.None, 'f64:f64'));
FBIN.forEach((n, i) => def(`f64.${n}`, 0, 0xa0 + i, Imm.None, 'f64 f64:f64'));

def('i32.wrap_i64', 0, 0xa7, Imm.None, 'i64:i32');
def('i32.trunc_f32_s', 0, 0xa8, Imm.None, 'f32:i32');
def('i32.trunc_f32_u', 0, 0xa9, Imm.None, 'f32:i32');
def('i32.trunc_f64_s', 0, 0xaa, Imm.None, 'f64:i32');
def('i32.trunc_f64_u', 0, 0xab, Imm.None, 'f64:i32');
def('i64.extend_i32_s', 0, 0xac, Imm.None, 'i32:i64');
def('i64.extend_i32_u', 0, 0xad, Imm.None, 'i32:i64');
def('i64.trunc_f32_s', 0, 0xae, Imm.None, 'f32:i64');
def('i64.trunc_f32_u', 0, 0xaf, Imm.None, 'f32:i64');
def('i64.trunc_f64_s', 0, 0xb0, Imm.None, 'f64:i64');
def('i64.trunc_f64_u', 0, 0xb1, Imm.None, 'f64:i64');
def('f32.convert_i32_s', 0, 0xb2, Imm.None, 'i32:f32');
def('f32.convert_i32_u', 0, 0xb3, Imm.None, 'i32:f32');
def('f32.convert_i64_s', 0, 0xb4, Imm.None, 'i64:f32');
def('f32.convert_i64_u', 0, 0xb5, Imm.None, 'i64:f32');
def('f32.demote_f64', 0, 0xb6, Imm.None, 'f64:f32');
def('f64.convert_i32_s', 0, 0xb7, Imm.None, 'i32:f64');
def('f64.convert_i32_u', 0, 0xb8, Imm.None, 'i32:f64');
def('f64.convert_i64_s', 0, 0xb9, Imm.None, 'i64:f64');
def('f64.convert_i64_u', 0, 0xba, Imm.None, 'i64:f64');
def('f64.promote_f32', 0, 0xbb, Imm.None, 'f32:f64');
def('i32.reinterpret_f32', 0, 0xbc, Imm.None, 'f32:i32');
def('i64.reinterpret_f64', 0, 0xbd, Imm.None, 'f64:i64');
def('f32.reinterpret_i32', 0, 0xbe, Imm.None, 'i32:f32');
def('f64.reinterpret_i64', 0, 0xbf, Imm.None, 'i64:f64');
def('i32.extend8_s', 0, 0xc0, Imm.None, 'i32:i32');
def('i32.extend16_s', 0, 0xc1, Imm.None, 'i32:i32');
def('i64.extend8_s', 0, 0xc2, Imm.None, 'i64:i64');
def('i64.extend16_s', 0, 0xc3, Imm.None, 'i64:i64');
def('i64.extend32_s', 0, 0xc4, Imm.None, 'i64:i64');

// ---- Reference -----------------------------------------------------------------------------------
def('ref.null', 0, 0xd0, Imm.RefType, null);
def('ref.is_null', 0, 0xd1, Imm.None, null);
def('ref.func', 0, 0xd2, Imm.Func, null);

// ---- 0xFC: saturating truncation, bulk memory, tables -------------------------------------------
def('i32.trunc_sat_f32_s', 0xfc, 0, Imm.None, 'f32:i32');
def('i32.trunc_sat_f32_u', 0xfc, 1, Imm.None, 'f32:i32');
def('i32.trunc_sat_f64_s', 0xfc, 2, Imm.None, 'f64:i32');
def('i32.trunc_sat_f64_u', 0xfc, 3, Imm.None, 'f64:i32');
def('i64.trunc_sat_f32_s', 0xfc, 4, Imm.None, 'f32:i64');
def('i64.trunc_sat_f32_u', 0xfc, 5, Imm.None, 'f32:i64');
def('i64.trunc_sat_f64_s', 0xfc, 6, Imm.None, 'f64:i64');
def('i64.trunc_sat_f64_u', 0xfc, 7, Imm.None, 'f64:i64');
def('memory.init', 0xfc, 8, Imm.MemInit, 'i32 i32 i32:');
def('data.drop', 0xfc, 9, Imm.Data, ':');
def('memory.copy', 0xfc, 10, Imm.MemCopy, 'i32 i32 i32:');
def('memory.fill', 0xfc, 11, Imm.MemFill, 'i32 i32 i32:');
def('table.init', 0xfc, 12, Imm.TableInit, null);
def('elem.drop', 0xfc, 13, Imm.Elem, null);
def('table.copy', 0xfc, 14, Imm.TableCopy, null);
def('table.grow', 0xfc, 15, Imm.Table, null);
def('table.size', 0xfc, 16, Imm.Table, null);
def('table.fill', 0xfc, 17, Imm.Table, null);

// ---- 0xFD: 128-bit SIMD --------------------------------------------------------------------------
const V = 0xfd;
def('v128.load', V, 0, Imm.MemArg, 'i32:v128', 4, 16);
def('v128.load8x8_s', V, 1, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load8x8_u', V, 2, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load16x4_s', V, 3, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load16x4_u', V, 4, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load32x2_s', V, 5, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load32x2_u', V, 6, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.load8_splat', V, 7, Imm.MemArg, 'i32:v128', 0, 1);
def('v128.load16_splat', V, 8, Imm.MemArg, 'i32:v128', 1, 2);
def('v128.load32_splat', V, 9, Imm.MemArg, 'i32:v128', 2, 4);
def('v128.load64_splat', V, 10, Imm.MemArg, 'i32:v128', 3, 8);
def('v128.store', V, 11, Imm.MemArg, 'i32 v128:', 4, 16);
def('v128.const', V, 12, Imm.V128, ':v128');
def('i8x16.shuffle', V, 13, Imm.Shuffle, 'v128 v128:v128');
def('i8x16.swizzle', V, 14, Imm.None, 'v128 v128:v128');
def('i8x16.splat', V, 15, Imm.None, 'i32:v128');
def('i16x8.splat', V, 16, Imm.None, 'i32:v128');
def('i32x4.splat', V, 17, Imm.None, 'i32:v128');
def('i64x2.splat', V, 18, Imm.None, 'i64:v128');
def('f32x4.splat', V, 19, Imm.None, 'f32:v128');
def('f64x2.splat', V, 20, Imm.None, 'f64:v128');
def('i8x16.extract_lane_s', V, 21, Imm.Lane, 'v128:i32');
def('i8x16.extract_lane_u', V, 22, Imm.Lane, 'v128:i32');
def('i8x16.replace_lane', V, 23, Imm.Lane, 'v128 i32:v128');
def('i16x8.extract_lane_s', V, 24, Imm.Lane, 'v128:i32');
def('i16x8.extract_lane_u', V, 25, Imm.Lane, 'v128:i32');
def('i16x8.replace_lane', V, 26, Imm.Lane, 'v128 i32:v128');
def('i32x4.extract_lane', V, 27, Imm.Lane, 'v128:i32');
def('i32x4.replace_lane', V, 28, Imm.Lane, 'v128 i32:v128');
def('i64x2.extract_lane', V, 29, Imm.Lane, 'v128:i64');
def('i64x2.replace_lane', V, 30, Imm.Lane, 'v128 i64:v128');
def('f32x4.extract_lane', V, 31, Imm.Lane, 'v128:f32');
def('f32x4.replace_lane', V, 32, Imm.Lane, 'v128 f32:v128');
def('f64x2.extract_lane', V, 33, Imm.Lane, 'v128:f64');
def('f64x2.replace_lane', V, 34, Imm.Lane, 'v128 f64:v128');
const VV_V = 'v128 v128:v128';
const V_V = 'v128:v128';
CMP.forEach((n, i) => def(`i8x16.${n}`, V, 35 + i, Imm.None, VV_V));
CMP.forEach((n, i) => def(`i16x8.${n}`, V, 45 + i, Imm.None, VV_V));
CMP.forEach((n, i) => def(`i32x4.${n}`, V, 55 + i, Imm.None, VV_V));
FCMP.forEach((n, i) => def(`f32x4.${n}`, V, 65 + i, Imm.None, VV_V));
FCMP.forEach((n, i) => def(`f64x2.${n}`, V, 71 + i, Imm.None, VV_V));
def('v128.not', V, 77, Imm.None, V_V);
def('v128.and', V, 78, Imm.None, VV_V);
def('v128.andnot', V, 79, Imm.None, VV_V);
def('v128.or', V, 80, Imm.None, VV_V);
def('v128.xor', V, 81, Imm.None, VV_V);
def('v128.bitselect', V, 82, Imm.None, 'v128 v128 v128:v128');
def('v128.any_true', V, 83, Imm.None, 'v128:i32');
def('v128.load8_lane', V, 84, Imm.MemArgLane, 'i32 v128:v128', 0, 1);
def('v128.load16_lane', V, 85, Imm.MemArgLane, 'i32 v128:v128', 1, 2);
def('v128.load32_lane', V, 86, Imm.MemArgLane, 'i32 v128:v128', 2, 4);
def('v128.load64_lane', V, 87, Imm.MemArgLane, 'i32 v128:v128', 3, 8);
def('v128.store8_lane', V, 88, Imm.MemArgLane, 'i32 v128:', 0, 1);
def('v128.store16_lane', V, 89, Imm.MemArgLane, 'i32 v128:', 1, 2);
def('v128.store32_lane', V, 90, Imm.MemArgLane, 'i32 v128:', 2, 4);
def('v128.store64_lane', V, 91, Imm.MemArgLane, 'i32 v128:', 3, 8);
def('v128.load32_zero', V, 92, Imm.MemArg, 'i32:v128', 2, 4);
def('v128.load64_zero', V, 93, Imm.MemArg, 'i32:v128', 3, 8);
def('f32x4.demote_f64x2_zero', V, 94, Imm.None, V_V);
def('f64x2.promote_low_f32x4', V, 95, Imm.None, V_V);
def('i8x16.abs', V, 96, Imm.None, V_V);
def('i8x16.neg', V, 97, Imm.None, V_V);
def('i8x16.popcnt', V, 98, Imm.None, V_V);
def('i8x16.all_true', V, 99, Imm.None, 'v128:i32');
def('i8x16.bitmask', V, 100, Imm.None, 'v128:i32');
def('i8x16.narrow_i16x8_s', V, 101, Imm.None, VV_V);
def('i8x16.narrow_i16x8_u', V, 102, Imm.None, VV_V);
def('f32x4.ceil', V, 103, Imm.None, V_V);
def('f32x4.floor', V, 104, Imm.None, V_V);
def('f32x4.trunc', V, 105, Imm.None, V_V);
def('f32x4.nearest', V, 106, Imm.None, V_V);
def('i8x16.shl', V, 107, Imm.None, 'v128 i32:v128');
def('i8x16.shr_s', V, 108, Imm.None, 'v128 i32:v128');
def('i8x16.shr_u', V, 109, Imm.None, 'v128 i32:v128');
def('i8x16.add', V, 110, Imm.None, VV_V);
def('i8x16.add_sat_s', V, 111, Imm.None, VV_V);
def('i8x16.add_sat_u', V, 112, Imm.None, VV_V);
def('i8x16.sub', V, 113, Imm.None, VV_V);
def('i8x16.sub_sat_s', V, 114, Imm.None, VV_V);
def('i8x16.sub_sat_u', V, 115, Imm.None, VV_V);
def('f64x2.ceil', V, 116, Imm.None, V_V);
def('f64x2.floor', V, 117, Imm.None, V_V);
def('i8x16.min_s', V, 118, Imm.None, VV_V);
def('i8x16.min_u', V, 119, Imm.None, VV_V);
def('i8x16.max_s', V, 120, Imm.None, VV_V);
def('i8x16.max_u', V, 121, Imm.None, VV_V);
def('f64x2.trunc', V, 122, Imm.None, V_V);
def('i8x16.avgr_u', V, 123, Imm.None, VV_V);
def('i16x8.extadd_pairwise_i8x16_s', V, 124, Imm.None, V_V);
def('i16x8.extadd_pairwise_i8x16_u', V, 125, Imm.None, V_V);
def('i32x4.extadd_pairwise_i16x8_s', V, 126, Imm.None, V_V);
def('i32x4.extadd_pairwise_i16x8_u', V, 127, Imm.None, V_V);
def('i16x8.abs', V, 128, Imm.None, V_V);
def('i16x8.neg', V, 129, Imm.None, V_V);
def('i16x8.q15mulr_sat_s', V, 130, Imm.None, VV_V);
def('i16x8.all_true', V, 131, Imm.None, 'v128:i32');
def('i16x8.bitmask', V, 132, Imm.None, 'v128:i32');
def('i16x8.narrow_i32x4_s', V, 133, Imm.None, VV_V);
def('i16x8.narrow_i32x4_u', V, 134, Imm.None, VV_V);
def('i16x8.extend_low_i8x16_s', V, 135, Imm.None, V_V);
def('i16x8.extend_high_i8x16_s', V, 136, Imm.None, V_V);
def('i16x8.extend_low_i8x16_u', V, 137, Imm.None, V_V);
def('i16x8.extend_high_i8x16_u', V, 138, Imm.None, V_V);
def('i16x8.shl', V, 139, Imm.None, 'v128 i32:v128');
def('i16x8.shr_s', V, 140, Imm.None, 'v128 i32:v128');
def('i16x8.shr_u', V, 141, Imm.None, 'v128 i32:v128');
def('i16x8.add', V, 142, Imm.None, VV_V);
def('i16x8.add_sat_s', V, 143, Imm.None, VV_V);
def('i16x8.add_sat_u', V, 144, Imm.None, VV_V);
def('i16x8.sub', V, 145, Imm.None, VV_V);
def('i16x8.sub_sat_s', V, 146, Imm.None, VV_V);
def('i16x8.sub_sat_u', V, 147, Imm.None, VV_V);
def('f64x2.nearest', V, 148, Imm.None, V_V);
def('i16x8.mul', V, 149, Imm.None, VV_V);
def('i16x8.min_s', V, 150, Imm.None, VV_V);
def('i16x8.min_u', V, 151, Imm.None, VV_V);
def('i16x8.max_s', V, 152, Imm.None, VV_V);
def('i16x8.max_u', V, 153, Imm.None, VV_V);
def('i16x8.avgr_u', V, 155, Imm.None, VV_V);
def('i16x8.extmul_low_i8x16_s', V, 156, Imm.None, VV_V);
def('i16x8.extmul_high_i8x16_s', V, 157, Imm.None, VV_V);
def('i16x8.extmul_low_i8x16_u', V, 158, Imm.None, VV_V);
def('i16x8.extmul_high_i8x16_u', V, 159, Imm.None, VV_V);
def('i32x4.abs', V, 160, Imm.None, V_V);
def('i32x4.neg', V, 161, Imm.None, V_V);
def('i32x4.all_true', V, 163, Imm.None, 'v128:i32');
def('i32x4.bitmask', V, 164, Imm.None, 'v128:i32');
def('i32x4.extend_low_i16x8_s', V, 167, Imm.None, V_V);
def('i32x4.extend_high_i16x8_s', V, 168, Imm.None, V_V);
def('i32x4.extend_low_i16x8_u', V, 169, Imm.None, V_V);
def('i32x4.extend_high_i16x8_u', V, 170, Imm.None, V_V);
def('i32x4.shl', V, 171, Imm.None, 'v128 i32:v128');
def('i32x4.shr_s', V, 172, Imm.None, 'v128 i32:v128');
def('i32x4.shr_u', V, 173, Imm.None, 'v128 i32:v128');
def('i32x4.add', V, 174, Imm.None, VV_V);
def('i32x4.sub', V, 177, Imm.None, VV_V);
def('i32x4.mul', V, 181, Imm.None, VV_V);
def('i32x4.min_s', V, 182, Imm.None, VV_V);
def('i32x4.min_u', V, 183, Imm.None, VV_V);
def('i32x4.max_s', V, 184, Imm.None, VV_V);
def('i32x4.max_u', V, 185, Imm.None, VV_V);
def('i32x4.dot_i16x8_s', V, 186, Imm.None, VV_V);
def('i32x4.extmul_low_i16x8_s', V, 188, Imm.None, VV_V);
def('i32x4.extmul_high_i16x8_s', V, 189, Imm.None, VV_V);
def('i32x4.extmul_low_i16x8_u', V, 190, Imm.None, VV_V);
def('i32x4.extmul_high_i16x8_u', V, 191, Imm.None, VV_V);
def('i64x2.abs', V, 192, Imm.None, V_V);
def('i64x2.neg', V, 193, Imm.None, V_V);
def('i64x2.all_true', V, 195, Imm.None, 'v128:i32');
def('i64x2.bitmask', V, 196, Imm.None, 'v128:i32');
def('i64x2.extend_low_i32x4_s', V, 199, Imm.None, V_V);
def('i64x2.extend_high_i32x4_s', V, 200, Imm.None, V_V);
def('i64x2.extend_low_i32x4_u', V, 201, Imm.None, V_V);
def('i64x2.extend_high_i32x4_u', V, 202, Imm.None, V_V);
def('i64x2.shl', V, 203, Imm.None, 'v128 i32:v128');
def('i64x2.shr_s', V, 204, Imm.None, 'v128 i32:v128');
def('i64x2.shr_u', V, 205, Imm.None, 'v128 i32:v128');
def('i64x2.add', V, 206, Imm.None, VV_V);
def('i64x2.sub', V, 209, Imm.None, VV_V);
def('i64x2.mul', V, 213, Imm.None, VV_V);
def('i64x2.eq', V, 214, Imm.None, VV_V);
def('i64x2.ne', V, 215, Imm.None, VV_V);
def('i64x2.lt_s', V, 216, Imm.None, VV_V);
def('i64x2.gt_s', V, 217, Imm.None, VV_V);
def('i64x2.le_s', V, 218, Imm.None, VV_V);
def('i64x2.ge_s', V, 219, Imm.None, VV_V);
def('i64x2.extmul_low_i32x4_s', V, 220, Imm.None, VV_V);
def('i64x2.extmul_high_i32x4_s', V, 221, Imm.None, VV_V);
def('i64x2.extmul_low_i32x4_u', V, 222, Imm.None, VV_V);
def('i64x2.extmul_high_i32x4_u', V, 223, Imm.None, VV_V);
def('f32x4.abs', V, 224, Imm.None, V_V);
def('f32x4.neg', V, 225, Imm.None, V_V);
def('f32x4.sqrt', V, 227, Imm.None, V_V);
['add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].forEach((n, i) => def(`f32x4.${n}`, V, 228 + i, Imm.None, VV_V));
def('f64x2.abs', V, 236, Imm.None, V_V);
def('f64x2.neg', V, 237, Imm.None, V_V);
def('f64x2.sqrt', V, 239, Imm.None, V_V);
['add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].forEach((n, i) => def(`f64x2.${n}`, V, 240 + i, Imm.None, VV_V));
def('i32x4.trunc_sat_f32x4_s', V, 248, Imm.None, V_V);
def('i32x4.trunc_sat_f32x4_u', V, 249, Imm.None, V_V);
def('f32x4.convert_i32x4_s', V, 250, Imm.None, V_V);
def('f32x4.convert_i32x4_u', V, 251, Imm.None, V_V);
def('i32x4.trunc_sat_f64x2_s_zero', V, 252, Imm.None, V_V);
def('i32x4.trunc_sat_f64x2_u_zero', V, 253, Imm.None, V_V);
def('f64x2.convert_low_i32x4_s', V, 254, Imm.None, V_V);
def('f64x2.convert_low_i32x4_u', V, 255, Imm.None, V_V);

/** Dense ids of the opcodes every layer refers to by name (so nobody hard-codes a number). */
function id(name: string): number {
  const info = byName.get(name);
  if (!info) throw new Error(`opcode table has no ${name}`);
  return info.id;
}
export const Op = {
  unreachable: id('unreachable'), nop: id('nop'), block: id('block'), loop: id('loop'), if: id('if'),
  else: id('else'), end: id('end'), br: id('br'), br_if: id('br_if'), br_table: id('br_table'),
  return: id('return'), call: id('call'), call_indirect: id('call_indirect'),
  return_call: id('return_call'), return_call_indirect: id('return_call_indirect'),
  drop: id('drop'), select: id('select'), select_t: id('select_t'),
  local_get: id('local.get'), local_set: id('local.set'), local_tee: id('local.tee'),
  global_get: id('global.get'), global_set: id('global.set'),
  table_get: id('table.get'), table_set: id('table.set'),
  memory_size: id('memory.size'), memory_grow: id('memory.grow'),
  i32_const: id('i32.const'), i64_const: id('i64.const'), f32_const: id('f32.const'), f64_const: id('f64.const'),
  ref_null: id('ref.null'), ref_is_null: id('ref.is_null'), ref_func: id('ref.func'),
  memory_init: id('memory.init'), data_drop: id('data.drop'), memory_copy: id('memory.copy'),
  memory_fill: id('memory.fill'), table_init: id('table.init'), elem_drop: id('elem.drop'),
  table_copy: id('table.copy'), table_grow: id('table.grow'), table_size: id('table.size'),
  table_fill: id('table.fill'), v128_const: id('v128.const'),
  i32_add: id('i32.add'), i64_add: id('i64.add'),
  global_get_: id('global.get'),
} as const;

/** The text name of an instruction as written in WAT (select_t prints as `select`). */
export function textName(info: OpInfo): string {
  return info.id === Op.select_t ? 'select' : info.name;
}
