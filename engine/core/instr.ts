// Reads one instruction at a time from a function body or constant expression, driven by the opcode
// table. Decoder, validator, translator and disassembler all read code through this one class, so the
// encoding of immediates is known in exactly one place. Immediates land in reused fields (no
// allocation per instruction).

import { ByteReader } from './reader';
import { Imm, OPS, OP_BY_BYTE, OP_BY_FC, OP_BY_FD, type OpInfo } from './opcodes';
import { isValType, isRefType, type ValType } from './types';

// Module-level copies of the imported tables, enum values and helpers: the build transpiles file by
// file, so each `OPS[...]`, `Imm.X` or `isValType(...)` in next() would otherwise be a read through
// CommonJS export getters (measured: most of the decoder's and validator's time).
const OPS_ = OPS, BY_BYTE = OP_BY_BYTE, BY_FC = OP_BY_FC, BY_FD = OP_BY_FD;
const isValType_ = isValType, isRefType_ = isRefType;
const IMM_NONE = Imm.None, IMM_BLOCKTYPE = Imm.BlockType, IMM_LABEL = Imm.Label, IMM_FUNC = Imm.Func;
const IMM_LOCAL = Imm.Local, IMM_GLOBAL = Imm.Global, IMM_TABLE = Imm.Table, IMM_DATA = Imm.Data;
const IMM_ELEM = Imm.Elem, IMM_BRTABLE = Imm.BrTable, IMM_CALLINDIRECT = Imm.CallIndirect;
const IMM_MEMORY = Imm.Memory, IMM_MEMFILL = Imm.MemFill, IMM_MEMCOPY = Imm.MemCopy;
const IMM_MEMINIT = Imm.MemInit, IMM_TABLEINIT = Imm.TableInit, IMM_TABLECOPY = Imm.TableCopy;
const IMM_MEMARG = Imm.MemArg, IMM_MEMARGLANE = Imm.MemArgLane, IMM_I32 = Imm.I32, IMM_I64 = Imm.I64;
const IMM_F32 = Imm.F32, IMM_F64 = Imm.F64, IMM_V128 = Imm.V128, IMM_SHUFFLE = Imm.Shuffle;
const IMM_LANE = Imm.Lane, IMM_REFTYPE = Imm.RefType, IMM_SELECTT = Imm.SelectT;

export const enum BlockKind {
  Empty = 0,
  Value = 1, // blockValue is a ValType
  TypeIndex = 2, // blockValue is a type index
}

export class InstrReader extends ByteReader {
  /** Dense opcode id of the last instruction read (index into OPS). */
  op = 0;
  info: OpInfo = OPS_[0];
  /** Byte offset of the last instruction's first byte. */
  offset = 0;

  // Immediates (which are meaningful depends on info.imm).
  /** label / function / local / global / table / type / data / elem index; first index of pairs. */
  idx = 0;
  /** second index: table of call_indirect, memory of memory.init, table of table.init, source of table.copy. */
  idx2 = 0;
  blockKind: BlockKind = BlockKind.Empty;
  blockValue = 0;
  /** memarg: alignment exponent as encoded, offset (u32), memory index */
  align = 0;
  memOffset = 0;
  memIndex = 0;
  lane = 0;
  /** i32.const value, or f32.const bit pattern. */
  i32 = 0;
  /** i64.const / f64.const as [lo, hi] int32 halves (f64: raw bits). */
  readonly i64 = new Int32Array(2);
  /** v128.const bytes, or the 16 lane indices of i8x16.shuffle. */
  readonly v128 = new Uint8Array(16);
  /** br_table: targets (first `brCount` entries) and default. */
  brTargets: number[] = [];
  brCount = 0;
  brDefault = 0;
  /** select with types; ref.null heap type. */
  selectTypes: ValType[] = [];
  refType: ValType = 0x70 as ValType;

  /** Read the next instruction. Throws DecodeError on unknown opcodes or malformed immediates. */
  next(): OpInfo {
    this.offset = this.pos;
    const b = this.u8();
    let id: number;
    if (b === 0xfc) {
      const sub = this.u32();
      id = sub < BY_FC.length ? BY_FC[sub] : -1;
    } else if (b === 0xfd) {
      const sub = this.u32();
      id = sub < BY_FD.length ? BY_FD[sub] : -1;
    } else {
      id = BY_BYTE[b];
    }
    if (id < 0) this.fail('illegal opcode', this.offset);
    const info = OPS_[id];
    this.op = id;
    this.info = info;
    switch (info.imm) {
      case IMM_NONE:
        break;
      case IMM_BLOCKTYPE: {
        const p = this.pos;
        const t = this.bytes[p];
        if (p < this.end && t === 0x40) { this.pos++; this.blockKind = BlockKind.Empty; }
        else if (p < this.end && isValType_(t)) { this.pos++; this.blockKind = BlockKind.Value; this.blockValue = t; }
        else {
          const v = this.s33();
          if (v < 0) this.fail('malformed value type', p);
          this.blockKind = BlockKind.TypeIndex;
          this.blockValue = v;
        }
        break;
      }
      case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL: case IMM_TABLE:
      case IMM_DATA: case IMM_ELEM:
        this.idx = this.u32();
        break;
      case IMM_BRTABLE: {
        const n = this.u32();
        if (n > this.end - this.pos) this.fail('unexpected end of section or function');
        const t = this.brTargets;
        for (let i = 0; i < n; i++) t[i] = this.u32();
        this.brCount = n;
        this.brDefault = this.u32();
        break;
      }
      case IMM_CALLINDIRECT:
        this.idx = this.u32();
        this.idx2 = this.u32();
        break;
      case IMM_MEMORY: case IMM_MEMFILL:
        this.zeroByte();
        this.memIndex = 0;
        break;
      case IMM_MEMCOPY:
        this.zeroByte();
        this.zeroByte();
        break;
      case IMM_MEMINIT:
        this.idx = this.u32();
        this.zeroByte();
        break;
      case IMM_TABLEINIT: case IMM_TABLECOPY:
        this.idx = this.u32();
        this.idx2 = this.u32();
        break;
      case IMM_MEMARG: case IMM_MEMARGLANE: {
        const p = this.pos;
        const a = this.u32();
        // bit 6 would announce a memory index (multi-memory); not part of Wasm 2.0. Like the
        // reference decoder, alignment exponents 32..63 are malformed too (below: invalid).
        if (a >= 32) this.fail('malformed memop flags', p);
        this.align = a;
        this.memIndex = 0;
        this.memOffset = this.u32();
        if (info.imm === IMM_MEMARGLANE) this.lane = this.u8();
        break;
      }
      case IMM_I32:
        this.i32 = this.s32();
        break;
      case IMM_I64:
        this.s64(this.i64);
        break;
      case IMM_F32:
        this.i32 = this.bits32();
        break;
      case IMM_F64:
        this.i64[0] = this.bits32();
        this.i64[1] = this.bits32();
        break;
      case IMM_V128: case IMM_SHUFFLE:
        this.v128.set(this.bytesN(16));
        break;
      case IMM_LANE:
        this.lane = this.u8();
        break;
      case IMM_REFTYPE: {
        const p = this.pos;
        const t = this.u8();
        if (!isRefType_(t)) this.fail('malformed reference type', p);
        this.refType = t as ValType;
        break;
      }
      case IMM_SELECTT: {
        const n = this.u32();
        if (n > this.end - this.pos) this.fail('unexpected end of section or function');
        const ts = this.selectTypes;
        ts.length = 0;
        for (let i = 0; i < n; i++) {
          const p = this.pos;
          const t = this.u8();
          if (!isValType_(t)) this.fail('malformed value type', p);
          ts.push(t as ValType);
        }
        break;
      }
    }
    return info;
  }

  private zeroByte(): void {
    const p = this.pos;
    if (this.u8() !== 0) this.fail('zero byte expected', p);
  }
}
