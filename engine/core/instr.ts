// Reads one instruction at a time from a function body or constant expression, driven by the opcode
// table. Decoder, validator, translator and disassembler all read code through this one class, so the
// encoding of immediates is known in exactly one place. Immediates land in reused fields (no
// allocation per instruction).

import { ByteReader } from './reader';
import { Imm, OPS, OP_BY_BYTE, OP_BY_FC, OP_BY_FD, type OpInfo } from './opcodes';
import { isValType, isRefType, type ValType } from './types';

export const enum BlockKind {
  Empty = 0,
  Value = 1, // blockValue is a ValType
  TypeIndex = 2, // blockValue is a type index
}

export class InstrReader extends ByteReader {
  /** Dense opcode id of the last instruction read (index into OPS). */
  op = 0;
  info: OpInfo = OPS[0];
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
      id = sub < OP_BY_FC.length ? OP_BY_FC[sub] : -1;
    } else if (b === 0xfd) {
      const sub = this.u32();
      id = sub < OP_BY_FD.length ? OP_BY_FD[sub] : -1;
    } else {
      id = OP_BY_BYTE[b];
    }
    if (id < 0) this.fail('illegal opcode', this.offset);
    const info = OPS[id];
    this.op = id;
    this.info = info;
    switch (info.imm) {
      case Imm.None:
        break;
      case Imm.BlockType: {
        const p = this.pos;
        const t = this.bytes[p];
        if (p < this.end && t === 0x40) { this.pos++; this.blockKind = BlockKind.Empty; }
        else if (p < this.end && isValType(t)) { this.pos++; this.blockKind = BlockKind.Value; this.blockValue = t; }
        else {
          const v = this.s33();
          if (v < 0) this.fail('malformed value type', p);
          this.blockKind = BlockKind.TypeIndex;
          this.blockValue = v;
        }
        break;
      }
      case Imm.Label: case Imm.Func: case Imm.Local: case Imm.Global: case Imm.Table:
      case Imm.Data: case Imm.Elem:
        this.idx = this.u32();
        break;
      case Imm.BrTable: {
        const n = this.u32();
        if (n > this.end - this.pos) this.fail('unexpected end of section or function');
        const t = this.brTargets;
        for (let i = 0; i < n; i++) t[i] = this.u32();
        this.brCount = n;
        this.brDefault = this.u32();
        break;
      }
      case Imm.CallIndirect:
        this.idx = this.u32();
        this.idx2 = this.u32();
        break;
      case Imm.Memory: case Imm.MemFill:
        this.zeroByte();
        this.memIndex = 0;
        break;
      case Imm.MemCopy:
        this.zeroByte();
        this.zeroByte();
        break;
      case Imm.MemInit:
        this.idx = this.u32();
        this.zeroByte();
        break;
      case Imm.TableInit: case Imm.TableCopy:
        this.idx = this.u32();
        this.idx2 = this.u32();
        break;
      case Imm.MemArg: case Imm.MemArgLane: {
        const p = this.pos;
        const a = this.u32();
        // bit 6 would announce a memory index (multi-memory); not part of Wasm 2.0. Like the
        // reference decoder, alignment exponents 32..63 are malformed too (below: invalid).
        if (a >= 32) this.fail('malformed memop flags', p);
        this.align = a;
        this.memIndex = 0;
        this.memOffset = this.u32();
        if (info.imm === Imm.MemArgLane) this.lane = this.u8();
        break;
      }
      case Imm.I32:
        this.i32 = this.s32();
        break;
      case Imm.I64:
        this.s64(this.i64);
        break;
      case Imm.F32:
        this.i32 = this.bits32();
        break;
      case Imm.F64:
        this.i64[0] = this.bits32();
        this.i64[1] = this.bits32();
        break;
      case Imm.V128: case Imm.Shuffle:
        this.v128.set(this.bytesN(16));
        break;
      case Imm.Lane:
        this.lane = this.u8();
        break;
      case Imm.RefType: {
        const p = this.pos;
        const t = this.u8();
        if (!isRefType(t)) this.fail('malformed reference type', p);
        this.refType = t as ValType;
        break;
      }
      case Imm.SelectT: {
        const n = this.u32();
        if (n > this.end - this.pos) this.fail('unexpected end of section or function');
        const ts = this.selectTypes;
        ts.length = 0;
        for (let i = 0; i < n; i++) {
          const p = this.pos;
          const t = this.u8();
          if (!isValType(t)) this.fail('malformed value type', p);
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
