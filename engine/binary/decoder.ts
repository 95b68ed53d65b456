// Binary decoder: turns a .wasm byte array into the `Module` model. It checks everything the binary
// format itself requires (section order, sizes, counts, encodings, instruction encodings and block
// nesting); typing is the validator's job. Every failure is a DecodeError carrying the byte offset.
// Function bodies and constant expressions stay byte ranges into `bytes`.

import { DecodeError } from '../core/errors';
import { InstrReader } from '../core/instr';
import { Op } from '../core/opcodes';
import { ByteReader } from '../core/reader';
import {
  emptyNames, type ConstExpr, type CustomSection, type DataSegment, type ElemItem, type ElemSegment,
  type Export, type ExternKind, type FuncBody, type Global, type Import, type Module, type NameSection,
} from '../core/module';
import {
  isRefType, isValType, ValType, type FuncType, type GlobalType, type Limits, type MemType, type TableType,
} from '../core/types';

/** Implementation limit on the declared locals of one function (the web's limit); the format's own
 *  limit (2^32-1) is checked first so the testsuite's "too many locals" cases report that. */
export const MAX_LOCALS = 50000;

const SEC_CUSTOM = 0, SEC_TYPE = 1, SEC_IMPORT = 2, SEC_FUNC = 3, SEC_TABLE = 4, SEC_MEMORY = 5,
  SEC_GLOBAL = 6, SEC_EXPORT = 7, SEC_START = 8, SEC_ELEM = 9, SEC_CODE = 10, SEC_DATA = 11,
  SEC_DATACOUNT = 12;
/** Position of each known section id in the required order (data count sits between elem and code). */
const SECTION_RANK = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

// Opcode ids as module constants: the build transpiles file by file, so `Op.x` / const enums of other
// files would be property reads through CommonJS export getters in the hot loop.
const OP_BLOCK = Op.block, OP_LOOP = Op.loop, OP_IF = Op.if, OP_ELSE = Op.else, OP_END = Op.end;
const OP_MEMORY_INIT = Op.memory_init, OP_DATA_DROP = Op.data_drop;
const FUNCREF = ValType.FuncRef;

const EXTERN_KINDS: ExternKind[] = ['func', 'table', 'memory', 'global'];

// Block kinds on the decoder's nesting stack.
const K_BLOCK = 0, K_IF = 1, K_ELSE = 2;

class Decoder {
  readonly r: ByteReader;
  readonly ir: InstrReader;
  types: FuncType[] = [];
  imports: Import[] = [];
  funcTypeIdx: number[] = []; // defined functions' type indices (function section)
  funcs: FuncBody[] = [];
  tables: TableType[] = [];
  memories: MemType[] = [];
  globals: Global[] = [];
  exports: Export[] = [];
  start: number | null = null;
  elems: ElemSegment[] = [];
  datas: DataSegment[] = [];
  dataCount: number | null = null;
  customs: CustomSection[] = [];
  names: NameSection = emptyNames();
  /** Payload offsets of the function, code, data and data count sections (-1 when absent). */
  funcSectionAt = -1;
  codeSectionAt = -1;
  dataSectionAt = -1;
  dataCountAt = -1;
  /** Offset of the first memory.init / data.drop seen without a data count section, or -1. */
  usesDataIndex = -1;
  /** Nesting stack scratch for body decoding. */
  private nest = new Uint8Array(64);

  constructor(readonly bytes: Uint8Array) {
    this.r = new ByteReader(bytes);
    this.ir = new InstrReader(bytes);
  }

  decode(): Module {
    const r = this.r;
    const b = this.bytes;
    if (b.length < 4) r.fail('unexpected end', 0);
    if (b[0] !== 0x00 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) r.fail('magic header not detected', 0);
    if (b.length < 8) r.fail('unexpected end', 4);
    if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) r.fail('unknown binary version', 4);
    r.pos = 8;
    let lastRank = 0;
    while (r.pos < b.length) {
      const idPos = r.pos;
      const id = r.u8();
      if (id > SEC_DATACOUNT) r.fail('malformed section id', idPos);
      const size = r.u32();
      const start = r.pos;
      if (size > b.length - start) r.fail('length out of bounds', start);
      const end = start + size;
      if (id !== SEC_CUSTOM) {
        const rank = SECTION_RANK[id];
        if (rank <= lastRank) r.fail('unexpected content after last section', idPos);
        lastRank = rank;
      }
      // Like the reference decoder, reads inside a section are bounded by the module, not by the
      // section: an overrun shows as "section size mismatch" (or as the error the overrun hits).
      r.end = id === SEC_CUSTOM ? end : b.length;
      try {
        this.section(id, start, end);
      } catch (e) {
        // Inside a section, running out of bytes is "unexpected end of section or function" (the
        // reader says "unexpected end" when the section happens to end at the end of the module).
        if (e instanceof DecodeError && e.message === 'unexpected end') throw new DecodeError('unexpected end of section or function', e.offset);
        throw e;
      }
      if (r.pos !== end) r.fail('section size mismatch', r.pos);
      r.end = b.length;
    }
    if (this.funcTypeIdx.length !== this.funcs.length) {
      r.fail('function and code section have inconsistent lengths', this.codeSectionAt >= 0 ? this.codeSectionAt : this.funcSectionAt);
    }
    // memory.init / data.drop need the data count section. A module without any data segment is
    // left to the validator ("unknown data segment"), which is what the testsuite expects of such
    // modules written in the text format (their binaries, as wabt writes them, have no data count).
    if (this.usesDataIndex >= 0 && this.datas.length > 0) r.fail('data count section required', this.usesDataIndex);
    if (this.dataCount !== null && this.dataCount !== this.datas.length) {
      r.fail('data count and data section have inconsistent lengths', this.dataSectionAt >= 0 ? this.dataSectionAt : this.dataCountAt);
    }
    return this.build();
  }

  private build(): Module {
    const funcTypeIndices: number[] = [];
    const allTables: TableType[] = [];
    const allMemories: MemType[] = [];
    const allGlobals: GlobalType[] = [];
    let nf = 0, nt = 0, nm = 0, ng = 0;
    for (const im of this.imports) {
      switch (im.desc.kind) {
        case 'func': funcTypeIndices.push(im.desc.typeIndex); nf++; break;
        case 'table': allTables.push(im.desc.type); nt++; break;
        case 'memory': allMemories.push(im.desc.type); nm++; break;
        case 'global': allGlobals.push(im.desc.type); ng++; break;
      }
    }
    for (const f of this.funcs) funcTypeIndices.push(f.typeIndex);
    for (const t of this.tables) allTables.push(t);
    for (const m of this.memories) allMemories.push(m);
    for (const g of this.globals) allGlobals.push(g.type);
    return {
      bytes: this.bytes, types: this.types, imports: this.imports, funcs: this.funcs, tables: this.tables,
      memories: this.memories, globals: this.globals, exports: this.exports, start: this.start,
      elems: this.elems, datas: this.datas, dataCount: this.dataCount, customs: this.customs,
      names: this.names, numImportedFuncs: nf, numImportedTables: nt, numImportedMemories: nm,
      numImportedGlobals: ng, funcTypeIndices, allTables, allMemories, allGlobals,
    };
  }

  private section(id: number, start: number, end: number): void {
    const r = this.r;
    switch (id) {
      case SEC_CUSTOM: {
        const name = r.name();
        const payload = r.pos;
        this.customs.push({ name, start: payload, end });
        if (name === 'name') this.nameSection(payload, end);
        r.pos = end;
        return;
      }
      case SEC_TYPE: {
        const n = this.count();
        for (let i = 0; i < n; i++) {
          const p = r.pos;
          const form = r.u8();
          // the form is an s7 LEB128 in the reference decoder: a continuation bit (e.g. a padded
          // -0x20) is "integer representation too long"
          if (form & 0x80) r.fail('integer representation too long', p);
          if (form !== 0x60) r.fail('malformed functype', p);
          const params = this.valTypes();
          const results = this.valTypes();
          this.types.push({ params, results });
        }
        return;
      }
      case SEC_IMPORT: {
        const n = this.count();
        for (let i = 0; i < n; i++) {
          const offset = r.pos;
          const module = r.name();
          const name = r.name();
          const kp = r.pos;
          const kind = r.u8();
          let desc: Import['desc'] | undefined;
          switch (kind) {
            case 0: desc = { kind: 'func', typeIndex: r.u32() }; break;
            case 1: desc = { kind: 'table', type: this.tableType() }; break;
            case 2: desc = { kind: 'memory', type: { limits: this.limits() } }; break;
            case 3: desc = { kind: 'global', type: this.globalType() }; break;
            default: r.fail('malformed import kind', kp);
          }
          this.imports.push({ module, name, desc: desc!, offset });
        }
        return;
      }
      case SEC_FUNC: {
        this.funcSectionAt = start;
        const n = this.count();
        for (let i = 0; i < n; i++) this.funcTypeIdx.push(r.u32());
        return;
      }
      case SEC_TABLE: {
        const n = this.count();
        for (let i = 0; i < n; i++) this.tables.push(this.tableType());
        return;
      }
      case SEC_MEMORY: {
        const n = this.count();
        for (let i = 0; i < n; i++) this.memories.push({ limits: this.limits() });
        return;
      }
      case SEC_GLOBAL: {
        const n = this.count();
        for (let i = 0; i < n; i++) {
          const type = this.globalType();
          this.globals.push({ type, init: this.constExpr() });
        }
        return;
      }
      case SEC_EXPORT: {
        const n = this.count();
        for (let i = 0; i < n; i++) {
          const offset = r.pos;
          const name = r.name();
          const kp = r.pos;
          const kind = r.u8();
          if (kind > 3) r.fail('malformed export kind', kp);
          this.exports.push({ name, kind: EXTERN_KINDS[kind], index: r.u32(), offset });
        }
        return;
      }
      case SEC_START:
        this.start = r.u32();
        return;
      case SEC_ELEM: {
        const n = this.count();
        for (let i = 0; i < n; i++) this.elems.push(this.elemSegment());
        return;
      }
      case SEC_CODE: {
        this.codeSectionAt = start;
        const n = this.count();
        for (let i = 0; i < n; i++) this.funcs.push(this.code(i < this.funcTypeIdx.length ? this.funcTypeIdx[i] : 0, end));
        return;
      }
      case SEC_DATA: {
        this.dataSectionAt = start;
        const n = this.count();
        if (this.dataCount !== null && n !== this.dataCount) r.fail('data count and data section have inconsistent lengths', start);
        for (let i = 0; i < n; i++) this.datas.push(this.dataSegment());
        return;
      }
      case SEC_DATACOUNT:
        this.dataCountAt = start;
        this.dataCount = r.u32();
        return;
    }
  }

  /** A vector length; each element takes at least one byte, so a count beyond the section is malformed. */
  private count(): number {
    const r = this.r;
    const p = r.pos;
    const n = r.u32();
    if (n > r.end - r.pos) r.fail(r.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end', p);
    return n;
  }

  private valType(): ValType {
    const r = this.r;
    const p = r.pos;
    const t = r.u8();
    if (!isValType(t)) r.fail('malformed value type', p);
    return t as ValType;
  }

  private valTypes(): ValType[] {
    const n = this.count();
    const out: ValType[] = [];
    for (let i = 0; i < n; i++) out.push(this.valType());
    return out;
  }

  private refType(): ValType {
    const r = this.r;
    const p = r.pos;
    const t = r.u8();
    if (!isRefType(t)) r.fail('malformed reference type', p);
    return t as ValType;
  }

  /** A 1-bit flag field encoded as a LEB128 (limits flags). */
  private flag(): number {
    const r = this.r;
    const p = r.pos;
    const b = r.u8();
    if (b & 0x80) r.fail('integer representation too long', p);
    if (b > 1) r.fail('integer too large', p);
    return b;
  }

  private limits(): Limits {
    const hasMax = this.flag();
    const min = this.r.u32();
    const max = hasMax ? this.r.u32() : null;
    return { min, max };
  }

  private tableType(): TableType {
    const elem = this.refType();
    return { elem, limits: this.limits() };
  }

  private globalType(): GlobalType {
    const type = this.valType();
    const r = this.r;
    const p = r.pos;
    const m = r.u8();
    if (m > 1) r.fail('malformed mutability', p);
    return { type, mutable: m === 1 };
  }

  /** A constant expression: scan to its `end` (nesting-aware); its typing is the validator's job. */
  private constExpr(): ConstExpr {
    const r = this.r;
    const ir = this.ir;
    ir.pos = r.pos;
    ir.end = r.end;
    const start = r.pos;
    let depth = 0;
    for (;;) {
      if (ir.pos >= ir.end) ir.fail(ir.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end');
      ir.next();
      const op = ir.op;
      if (op === OP_BLOCK || op === OP_LOOP || op === OP_IF) depth++;
      else if (op === OP_END) {
        if (depth === 0) break;
        depth--;
      } else if ((op === OP_MEMORY_INIT || op === OP_DATA_DROP) && this.dataCount === null && this.usesDataIndex < 0) {
        this.usesDataIndex = ir.offset;
      }
    }
    r.pos = ir.pos;
    return { start, end: ir.pos };
  }

  private elemKind(): ValType {
    const r = this.r;
    const p = r.pos;
    if (r.u8() !== 0) r.fail('malformed element kind', p);
    return FUNCREF;
  }

  private elemSegment(): ElemSegment {
    const r = this.r;
    const byteOffset = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', byteOffset);
    const passiveOrDecl = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const exprs = (flags & 4) !== 0;
    const mode = passiveOrDecl ? (explicitTable ? 'declarative' : 'passive') : 'active';
    let table = 0;
    let offset: ConstExpr | null = null;
    if (!passiveOrDecl) {
      if (explicitTable) table = r.u32();
      offset = this.constExpr();
    }
    let type: ValType = FUNCREF;
    if (passiveOrDecl || explicitTable) type = exprs ? this.refType() : this.elemKind();
    const n = this.count();
    const items: ElemItem[] = [];
    for (let i = 0; i < n; i++) items.push(exprs ? this.constExpr() : r.u32());
    return { mode, table, offset, type, items, byteOffset };
  }

  private dataSegment(): DataSegment {
    const r = this.r;
    const byteOffset = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail('malformed data segment kind', byteOffset);
    let memory = 0;
    let offset: ConstExpr | null = null;
    if (flags !== 1) {
      if (flags === 2) memory = r.u32();
      offset = this.constExpr();
    }
    const p = r.pos;
    const len = r.u32();
    if (len > r.end - r.pos) r.fail('unexpected end of section or function', p);
    const data = r.bytesN(len);
    return { mode: flags === 1 ? 'passive' : 'active', memory, offset, data, byteOffset };
  }

  private code(typeIndex: number, sectionEnd: number): FuncBody {
    const r = this.r;
    const entryOffset = r.pos;
    const size = r.u32();
    const bodyStart = r.pos;
    if (size > sectionEnd - bodyStart) r.fail('unexpected end of section or function', entryOffset);
    const bodyEnd = bodyStart + size;
    const savedEnd = r.end;
    r.end = bodyEnd;
    // Locals: validate the total before expanding anything.
    const ngroups = this.count();
    const groupsAt = r.pos;
    let total = 0;
    for (let i = 0; i < ngroups; i++) {
      total += r.u32();
      this.valType();
    }
    if (total > 0xffffffff) r.fail('too many locals', groupsAt);
    if (total > MAX_LOCALS) r.fail('too many locals', groupsAt);
    const locals: ValType[] = [];
    r.pos = groupsAt;
    for (let i = 0; i < ngroups; i++) {
      const c = r.u32();
      const t = r.u8() as ValType;
      for (let j = 0; j < c; j++) locals.push(t);
    }
    const codeStart = r.pos;
    this.body(codeStart, bodyEnd, sectionEnd);
    r.pos = bodyEnd;
    r.end = savedEnd;
    return { typeIndex, locals, entryOffset, codeStart, codeEnd: bodyEnd };
  }

  /** Decode one function body fully: instruction encodings and block structure. */
  private body(start: number, end: number, sectionEnd: number): void {
    const ir = this.ir;
    ir.pos = start;
    ir.end = end;
    let nest = this.nest;
    let depth = 0;
    const needDataCount = this.dataCount === null;
    for (;;) {
      if (ir.pos >= end) {
        if (end < sectionEnd) ir.fail('END opcode expected', end);
        if (sectionEnd < this.bytes.length) ir.fail('section size mismatch', end);
        ir.fail('unexpected end of section or function', end);
      }
      ir.next();
      const op = ir.op;
      if (op === OP_BLOCK || op === OP_LOOP || op === OP_IF) {
        if (depth === nest.length) {
          const bigger = new Uint8Array(nest.length * 2);
          bigger.set(nest);
          this.nest = nest = bigger;
        }
        nest[depth++] = op === OP_IF ? K_IF : K_BLOCK;
      } else if (op === OP_END) {
        if (depth === 0) {
          if (ir.pos !== end) ir.fail('section size mismatch', ir.pos);
          return;
        }
        depth--;
      } else if (op === OP_ELSE) {
        if (depth === 0 || nest[depth - 1] !== K_IF) ir.fail('END opcode expected', ir.offset);
        nest[depth - 1] = K_ELSE;
      } else if (needDataCount && (op === OP_MEMORY_INIT || op === OP_DATA_DROP) && this.usesDataIndex < 0) {
        this.usesDataIndex = ir.offset;
      }
    }
  }

  // ---- name section (custom: errors never fail the module) ------------------------------------

  private nameSection(start: number, end: number): void {
    const names = this.names;
    const r = new ByteReader(this.bytes, start, end);
    try {
      let lastId = -1;
      while (r.pos < end) {
        const id = r.u8();
        const size = r.u32();
        if (size > end - r.pos) return;
        const subEnd = r.pos + size;
        if (id <= lastId) { r.pos = subEnd; continue; } // out of order or repeated: ignored
        lastId = id;
        const sr = new ByteReader(this.bytes, r.pos, subEnd);
        r.pos = subEnd;
        switch (id) {
          case 0: names.moduleName = sr.name(); break;
          case 1: nameMap(sr, names.funcNames); break;
          case 2: indirectNameMap(sr, names.localNames); break;
          case 3: indirectNameMap(sr, names.labelNames); break;
          case 4: nameMap(sr, names.typeNames); break;
          case 5: nameMap(sr, names.tableNames); break;
          case 6: nameMap(sr, names.memoryNames); break;
          case 7: nameMap(sr, names.globalNames); break;
          case 8: nameMap(sr, names.elemNames); break;
          case 9: nameMap(sr, names.dataNames); break;
          default: break;
        }
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // malformed name section: keep what was decoded before the error
    }
  }
}

function nameMap(r: ByteReader, into: Map<number, string>): void {
  const n = r.u32();
  for (let i = 0; i < n && r.pos < r.end; i++) {
    const idx = r.u32();
    into.set(idx, r.name());
  }
}

function indirectNameMap(r: ByteReader, into: Map<number, Map<number, string>>): void {
  const n = r.u32();
  for (let i = 0; i < n && r.pos < r.end; i++) {
    const idx = r.u32();
    let m = into.get(idx);
    if (!m) into.set(idx, (m = new Map()));
    nameMap(r, m);
  }
}

/** Decode a binary module. Throws DecodeError (with the byte offset) on any malformed input. */
export function decodeModule(bytes: Uint8Array): Module {
  try {
    return new Decoder(bytes).decode();
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // Defensive: no other exception may escape on any input.
    throw new DecodeError(`malformed module (${e instanceof Error ? e.message : String(e)})`, 0);
  }
}
