// Disassembler: one line of WAT (flat syntax) per instruction, addressed by the instruction's byte
// offset in the module. Driven only by the opcode table (`textName`, `info.imm`) and reading only
// through InstrReader. Names come from the name section (see names.ts).

import { InstrReader, BlockKind } from '../core/instr';
import { Imm, Op, textName } from '../core/opcodes';
import type { Module } from '../core/module';
import { valTypeName } from '../core/types';
import { formatF32, formatF64, formatI64 } from './floats';
import { moduleNames, ref, type ModuleNames } from './names';

export interface DisasmLine {
  /** Byte offset of the instruction in m.bytes. */
  offset: number;
  /** Block nesting (0 = function body level) for indentation. */
  depth: number;
  /** The instruction in WAT flat syntax, e.g. `i32.load offset=8 align=2`, `br 1 (;@2;)`. */
  text: string;
}

interface Label {
  /** `$name` when the name section names this label. */
  readonly id: string | undefined;
  /** Nesting level, 1 for the outermost block of the body (0 is the function itself). */
  readonly level: number;
}

function hex8(n: number): string {
  const s = (n >>> 0).toString(16);
  return '0x' + '00000000'.slice(s.length) + s;
}

/** Formats instructions of one function body (or one constant expression, funcIndex -1), keeping
 *  the label stack so branches and indentation are right. */
export class InstrFormatter {
  private readonly labels: Label[] = [];
  private labelCount = 0;
  private readonly localIds: (string | undefined)[];
  private readonly labelIds: (string | undefined)[];
  /** Depth of the line of the last formatted instruction. */
  depth = 0;

  constructor(readonly m: Module, readonly names: ModuleNames, readonly funcIndex: number) {
    if (funcIndex >= 0 && funcIndex >= m.numImportedFuncs) {
      const body = m.funcs[funcIndex - m.numImportedFuncs];
      const t = m.types[m.funcTypeIndices[funcIndex]];
      const count = (t ? t.params.length : 0) + (body ? body.locals.length : 0);
      this.localIds = names.localIds(funcIndex, count);
      this.labelIds = names.labelNames(funcIndex);
    } else {
      this.localIds = [];
      this.labelIds = [];
    }
  }

  /** Current block nesting. */
  get nesting(): number {
    return this.labels.length;
  }

  private labelRef(l: number): string {
    const ls = this.labels;
    const n = ls.length;
    if (l < n) {
      const target = ls[n - 1 - l];
      const id = target.id;
      if (id !== undefined) {
        let shadowed = false;
        for (let k = n - l; k < n; k++) if (ls[k].id === id) { shadowed = true; break; }
        if (!shadowed) return id;
      }
      return `${l} (;@${target.level};)`;
    }
    if (l === n) return `${l} (;@0;)`;
    return String(l);
  }

  private blockType(r: InstrReader): string {
    switch (r.blockKind) {
      case BlockKind.Empty: return '';
      case BlockKind.Value: return ` (result ${valTypeName(r.blockValue)})`;
      default: return ` (type ${ref(this.names.type, r.blockValue)})`;
    }
  }

  private memarg(r: InstrReader): string {
    let s = '';
    if (r.memOffset !== 0) s += ` offset=${r.memOffset}`;
    if (r.align !== r.info.align) s += ` align=${r.align < 31 ? 1 << r.align : (1n << BigInt(r.align)).toString()}`;
    return s;
  }

  /** Text of the instruction last read by `r`; sets `depth` for its line. */
  format(r: InstrReader): string {
    const info = r.info;
    const op = r.op;
    const names = this.names;
    const name = textName(info);
    this.depth = this.labels.length;
    switch (info.imm) {
      case Imm.None:
        if (op === Op.end || op === Op.else) {
          if (this.labels.length > 0) this.depth--;
          if (op === Op.end) this.labels.pop();
        }
        return name;
      case Imm.BlockType: {
        const level = this.labels.length + 1;
        const id = this.labelIds[this.labelCount++];
        this.labels.push({ id, level });
        return `${name} ${id ?? `(;@${level};)`}${this.blockType(r)}`;
      }
      case Imm.Label:
        return `${name} ${this.labelRef(r.idx)}`;
      case Imm.BrTable: {
        let s = name;
        for (let i = 0; i < r.brCount; i++) s += ' ' + this.labelRef(r.brTargets[i]);
        return s + ' ' + this.labelRef(r.brDefault);
      }
      case Imm.Func:
        return `${name} ${ref(names.func, r.idx)}`;
      case Imm.CallIndirect:
        return `${name} ${r.idx2 !== 0 ? ref(names.table, r.idx2) + ' ' : ''}(type ${ref(names.type, r.idx)})`;
      case Imm.Local:
        return `${name} ${ref(this.localIds, r.idx)}`;
      case Imm.Global:
        return `${name} ${ref(names.global, r.idx)}`;
      case Imm.Table:
        return `${name} ${ref(names.table, r.idx)}`;
      case Imm.Memory: case Imm.MemCopy: case Imm.MemFill:
        return name;
      case Imm.MemArg:
        return name + this.memarg(r);
      case Imm.MemArgLane:
        return `${name}${this.memarg(r)} ${r.lane}`;
      case Imm.I32:
        return `${name} ${r.i32}`;
      case Imm.I64:
        return `${name} ${formatI64(r.i64[0], r.i64[1])}`;
      case Imm.F32:
        return `${name} ${formatF32(r.i32)}`;
      case Imm.F64:
        return `${name} ${formatF64(r.i64[0], r.i64[1])}`;
      case Imm.V128: {
        const b = r.v128;
        let s = name + ' i32x4';
        for (let i = 0; i < 16; i += 4) s += ' ' + hex8(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
        return s;
      }
      case Imm.Shuffle: {
        let s = name;
        for (let i = 0; i < 16; i++) s += ' ' + r.v128[i];
        return s;
      }
      case Imm.Lane:
        return `${name} ${r.lane}`;
      case Imm.RefType:
        return `${name} ${r.refType === 0x6f ? 'extern' : 'func'}`;
      case Imm.SelectT: {
        let s = name + ' (result';
        for (const t of r.selectTypes) s += ' ' + valTypeName(t);
        return s + ')';
      }
      case Imm.MemInit: case Imm.Data:
        return `${name} ${ref(names.data, r.idx)}`;
      case Imm.Elem:
        return `${name} ${ref(names.elem, r.idx)}`;
      case Imm.TableInit:
        return r.idx2 === 0
          ? `${name} ${ref(names.elem, r.idx)}`
          : `${name} ${ref(names.table, r.idx2)} ${ref(names.elem, r.idx)}`;
      case Imm.TableCopy:
        return r.idx === 0 && r.idx2 === 0 ? name : `${name} ${ref(names.table, r.idx)} ${ref(names.table, r.idx2)}`;
    }
    return name;
  }
}

/** One line per instruction of function `funcIndex` (function index space; [] for imports). The
 *  final `end` of the body is included (depth 0). A malformed body ends with a `;;` comment line. */
export function disassembleFunction(m: Module, funcIndex: number): DisasmLine[] {
  const lines: DisasmLine[] = [];
  const body = m.funcs[funcIndex - m.numImportedFuncs];
  if (funcIndex < m.numImportedFuncs || !body) return lines;
  const fmt = new InstrFormatter(m, moduleNames(m), funcIndex);
  const r = new InstrReader(m.bytes, body.codeStart, body.codeEnd);
  try {
    while (r.pos < r.end) {
      r.next();
      const text = fmt.format(r);
      lines.push({ offset: r.offset, depth: fmt.depth, text });
    }
  } catch (e) {
    lines.push({ offset: r.offset, depth: fmt.nesting, text: `;; ${e instanceof Error ? e.message : String(e)}` });
  }
  return lines;
}

/** Index (function index space) of the defined function whose body holds byte `offset`: from its
 *  code entry (size field) to the end of its body. -1 when no function body contains it. */
export function functionAtOffset(m: Module, offset: number): number {
  const fs = m.funcs;
  let lo = 0, hi = fs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fs[mid];
    if (offset < f.entryOffset) hi = mid - 1;
    else if (offset >= f.codeEnd) lo = mid + 1;
    else return m.numImportedFuncs + mid;
  }
  return -1;
}
