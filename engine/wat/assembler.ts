// WAT -> Wasm binary assembler with a source map.
//
// Two passes over the token stream. Pass 1 reads every module field, registers names in the index
// spaces and records where function bodies and constant expressions start (their tokens are skipped).
// Pass 2 walks the fields in text order, resolves type uses (creating implicit types in order of
// appearance) and encodes bodies/constant expressions with all names known. Sections are then laid
// out in the binary order. Instruction names, immediate kinds and encodings come from the opcode
// table (engine/core/opcodes.ts).

import { ParseError } from '../core/errors';
import { Imm, OpInfo, Op, OPS, opByName } from '../core/opcodes';
import { ValType } from '../core/types';
import { LineIndex, Tok, Tokens, isValidUtf8, stringBytes, tokenize } from './lexer';
import { OutOfRange, parseF32, parseF64, parseIntN, parseU32 } from './numbers';
import { ByteWriter } from './writer';

// Token kinds as module-local constants (cross-module const enum access is a getter call in CJS).
// Immediate kinds and opcode ids as module-local values (avoids CJS export getters in hot loops).
const I_BlockType = Imm.BlockType as Imm, I_BrTable = Imm.BrTable as Imm, I_CallIndirect = Imm.CallIndirect as Imm, I_Data = Imm.Data as Imm, I_Elem = Imm.Elem as Imm, I_F32 = Imm.F32 as Imm, I_F64 = Imm.F64 as Imm, I_Func = Imm.Func as Imm, I_Global = Imm.Global as Imm, I_I32 = Imm.I32 as Imm, I_I64 = Imm.I64 as Imm, I_Label = Imm.Label as Imm, I_Lane = Imm.Lane as Imm, I_Local = Imm.Local as Imm, I_MemArg = Imm.MemArg as Imm, I_MemArgLane = Imm.MemArgLane as Imm, I_MemCopy = Imm.MemCopy as Imm, I_MemFill = Imm.MemFill as Imm, I_MemInit = Imm.MemInit as Imm, I_Memory = Imm.Memory as Imm, I_None = Imm.None as Imm, I_RefType = Imm.RefType as Imm, I_Shuffle = Imm.Shuffle as Imm, I_Table = Imm.Table as Imm, I_TableCopy = Imm.TableCopy as Imm, I_TableInit = Imm.TableInit as Imm, I_V128 = Imm.V128 as Imm;
const OPID = Op;
const OPTAB = OPS;
const T_LPAREN = 1 as Tok, T_RPAREN = 2 as Tok, T_ATOM = 3 as Tok, T_ID = 4 as Tok, T_STRING = 5 as Tok, T_EOF = 6 as Tok;

export interface WatInstrLocation {
  byteOffset: number;
  textOffset: number;
  line: number;
  column: number;
  endOffset: number;
}
export interface WatFuncLocation {
  funcIndex: number;
  name: string | null;
  textOffset: number;
  endOffset: number;
  line: number;
}
export interface WatSourceMap {
  instructions: WatInstrLocation[];
  funcs: WatFuncLocation[];
}
export interface WatResult {
  binary: Uint8Array;
  sourceMap: WatSourceMap;
}
export interface WatOptions {
  /** Emit a `name` custom section (default true). */
  names?: boolean;
}

/** Assemble a module in the text format. Throws ParseError for malformed text. */
export function assembleWat(text: string, options: WatOptions = {}): WatResult {
  const lines = new LineIndex(text);
  const toks = tokenize(text, lines);
  const a = new Assembler(text, toks, lines, options.names !== false);
  return a.assemble();
}

/** Byte offset -> location and line -> byte offsets look-ups over a source map. */
export class SourceMapIndex {
  private readonly byLine = new Map<number, number[]>();
  constructor(readonly map: WatSourceMap) {
    for (const e of map.instructions) {
      let l = this.byLine.get(e.line);
      if (!l) this.byLine.set(e.line, (l = []));
      l.push(e.byteOffset);
    }
  }
  /** The instruction whose encoding starts at or most recently before `byteOffset`. */
  locate(byteOffset: number): WatInstrLocation | null {
    const a = this.map.instructions;
    let lo = 0, hi = a.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid].byteOffset <= byteOffset) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best < 0 ? null : a[best];
  }
  /** Byte offsets of the instructions starting on a 1-based line (ascending). */
  offsetsOnLine(line: number): number[] {
    return this.byLine.get(line) ?? [];
  }
  funcAt(textOffset: number): WatFuncLocation | null {
    for (const f of this.map.funcs) if (f.textOffset <= textOffset && textOffset < f.endOffset) return f;
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------

const VALTYPES: Record<string, ValType> = {
  i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, v128: ValType.V128,
  funcref: ValType.FuncRef, externref: ValType.ExternRef,
};

/** Keywords of the text format that are not instructions (an unknown atom elsewhere is an
 *  "unknown operator"; a known keyword in the wrong place is an "unexpected token"). */
const KEYWORDS = new Set([
  'module', 'type', 'func', 'param', 'result', 'local', 'global', 'table', 'memory', 'elem', 'data',
  'import', 'export', 'start', 'offset', 'item', 'declare', 'mut', 'then', 'else', 'end', 'funcref',
  'externref', 'extern', 'i32', 'i64', 'f32', 'f64', 'v128', 'i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4',
  'f64x2', 'binary', 'quote', 'ref', 'null', 'register', 'invoke', 'get', 'assert_return',
  'assert_trap', 'assert_exhaustion', 'assert_invalid', 'assert_malformed', 'assert_unlinkable',
  'assert_uninstantiable', 'script', 'nan:canonical', 'nan:arithmetic', 'input', 'output', 'definition', 'instance',
]);

/** Words of the "duplicate X" messages (the testsuite's spelling). */
const DUP_NAMES: Record<string, string> = { function: 'func', 'elem segment': 'elem', 'data segment': 'data' };

interface Ref { name: string | null; num: number; tok: number }
interface TypeUseAst {
  ref: Ref | null;
  params: ValType[] | null;
  paramNames: (string | null)[];
  results: ValType[] | null;
  tok: number;
}
interface FuncType { params: ValType[]; results: ValType[] }
/** A constant expression or body: tokens from `start`; `single` means one folded instruction. */
interface ExprRange { start: number; single: boolean }

interface FuncField {
  name: string | null;
  typeUse: TypeUseAst;
  imported: boolean;
  localTypes: ValType[];
  localNames: (string | null)[];
  localToks: number[];
  body: number; // token index of the first body token
  startTok: number;
  endTok: number;
  typeIdx: number;
  params: ValType[];
}
interface TableField { name: string | null; elem: ValType; min: number; max: number | null; imported: boolean }
interface MemField { name: string | null; min: number; max: number | null; imported: boolean }
interface GlobalField { name: string | null; type: ValType; mutable: boolean; imported: boolean; init: ExprRange | null }
interface ImportField { module: Uint8Array; field: Uint8Array; kind: number; index: number }
interface ExportField { name: Uint8Array; kind: number; ref: Ref }
interface ElemField {
  name: string | null;
  mode: 'active' | 'passive' | 'declare';
  table: Ref | null;
  offset: ExprRange | null;
  elemType: ValType;
  funcs: Ref[] | null;
  exprs: ExprRange[];
}
interface DataField { name: string | null; mode: 'active' | 'passive'; mem: Ref | null; offset: ExprRange | null; bytes: Uint8Array }

/** An index space with names. */
class Space {
  readonly names = new Map<string, number>();
  readonly list: (string | null)[] = [];
  constructor(readonly what: string) {}
  get count(): number { return this.list.length; }
}

type Step =
  | { kind: 'func'; index: number }
  | { kind: 'importfunc'; index: number };

class Assembler {
  private pos = 0;
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly explicitTypes = new Space('type');
  private readonly funcs = new Space('function');
  private readonly tables = new Space('table');
  private readonly mems = new Space('memory');
  private readonly globals = new Space('global');
  private readonly elems = new Space('elem segment');
  private readonly datas = new Space('data segment');
  private readonly typeNames: (string | null)[] = [];
  private readonly funcFields: FuncField[] = [];
  private readonly tableFields: TableField[] = [];
  private readonly memFields: MemField[] = [];
  private readonly globalFields: GlobalField[] = [];
  private readonly imports: ImportField[] = [];
  private readonly exports: ExportField[] = [];
  private readonly elemFields: ElemField[] = [];
  private readonly dataFields: DataField[] = [];
  private start: Ref | null = null;
  private moduleName: string | null = null;
  private firstDef: string | null = null;
  private usesDataCount = false;
  // pass 2 state
  private w = new ByteWriter();
  private labels: (string | null)[] = [];
  private localNames = new Map<string, number>();
  /** Instruction locations of the body being encoded: (byteOffset, textOffset, endOffset) triples. */
  private instrs: number[] = [];

  constructor(readonly text: string, readonly t: Tokens, readonly lines: LineIndex, readonly names: boolean) {}

  // ---- token helpers ------------------------------------------------------------------------------
  private kind(i = this.pos): Tok { return this.t.kind[i] as Tok; }
  private str(i = this.pos): string { return this.text.slice(this.t.start[i], this.t.end[i]); }
  private isAtom(kw: string, i = this.pos): boolean {
    return this.t.kind[i] === T_ATOM && this.t.end[i] - this.t.start[i] === kw.length && this.text.startsWith(kw, this.t.start[i]);
  }
  /** `( kw` at the cursor. */
  private peekForm(kw: string): boolean {
    return this.t.kind[this.pos] === T_LPAREN && this.isAtom(kw, this.pos + 1);
  }
  private err(msg: string, i = this.pos): ParseError {
    const s = this.t.start[Math.min(i, this.t.count - 1)];
    const e = this.t.end[Math.min(i, this.t.count - 1)];
    return this.lines.error(msg, s, e);
  }
  /** The error for an unexpected token at `i`: unknown atoms are "unknown operator". */
  private unexpected(i = this.pos): ParseError {
    const k = this.kind(i);
    if (k === T_EOF) return this.err('unexpected end', i);
    if (k === T_ATOM) {
      const s = this.str(i);
      if (!KEYWORDS.has(s) && !opByName(s) && !isNumberLike(s)) return this.err(`unknown operator ${s}`, i);
    }
    return this.err('unexpected token', i);
  }
  private expect(k: Tok): number {
    if (this.kind() !== k) throw this.unexpected();
    return this.pos++;
  }
  private lparen(): void { this.expect(T_LPAREN); }
  private rparen(): void { this.expect(T_RPAREN); }
  private keyword(kw: string): void {
    if (!this.isAtom(kw)) throw this.unexpected();
    this.pos++;
  }
  private optId(): string | null {
    if (this.kind() === T_ID) return this.str(this.pos++).slice(1);
    return null;
  }
  private string(): Uint8Array {
    const i = this.expect(T_STRING);
    return stringBytes(this.text, this.t.start[i], this.t.end[i], this.lines);
  }
  private nameString(): Uint8Array {
    const i = this.pos;
    const b = this.string();
    if (!isValidUtf8(b)) throw this.err('malformed UTF-8 encoding', i);
    return b;
  }
  private u32(what = 'i32 constant'): number {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    const s = this.str();
    let v: number | null;
    try { v = parseU32(s); } catch (e) { if (e instanceof OutOfRange) throw this.err(`${what} out of range`); throw e; }
    if (v === null) throw this.unexpected();
    this.pos++;
    return v;
  }
  private isNat(i = this.pos): boolean {
    return this.kind(i) === T_ATOM && /^(?:[0-9]|0x[0-9a-fA-F])[0-9a-fA-F_x]*$/.test(this.str(i)) && /^[0-9]/.test(this.str(i));
  }
  private ref(): Ref {
    const i = this.pos;
    if (this.kind() === T_ID) { this.pos++; return { name: this.str(i).slice(1), num: -1, tok: i }; }
    return { name: null, num: this.u32(), tok: i };
  }
  private optRef(): Ref | null {
    if (this.kind() === T_ID || this.isNat()) return this.ref();
    return null;
  }
  /** Skip a balanced sequence up to (not including) the `)` closing the current form. */
  private skipToClose(): void {
    let depth = 0;
    for (;;) {
      const k = this.kind();
      if (k === T_EOF) throw this.err('unexpected end');
      if (k === T_LPAREN) depth++;
      else if (k === T_RPAREN) { if (depth === 0) return; depth--; }
      this.pos++;
    }
  }
  private skipForm(): void {
    this.lparen();
    this.skipToClose();
    this.pos++;
  }
  private valType(): ValType {
    if (this.kind() === T_ATOM) {
      const v = VALTYPES[this.str()];
      if (v !== undefined) { this.pos++; return v; }
    }
    throw this.unexpected();
  }
  private isValType(): boolean {
    return this.kind() === T_ATOM && VALTYPES[this.str()] !== undefined;
  }
  private refType(): ValType {
    if (this.isAtom('funcref')) { this.pos++; return ValType.FuncRef; }
    if (this.isAtom('externref')) { this.pos++; return ValType.ExternRef; }
    throw this.unexpected();
  }

  private define(space: Space, name: string | null, tok: number): number {
    const idx = space.list.length;
    if (name !== null) {
      if (space.names.has(name)) throw this.err(`duplicate ${DUP_NAMES[space.what] ?? space.what} $${name}`, tok);
      space.names.set(name, idx);
    }
    space.list.push(name);
    return idx;
  }
  private resolve(space: Space, r: Ref): number {
    if (r.name === null) return r.num;
    const v = space.names.get(r.name);
    if (v === undefined && this.lenient) return 0;
    if (v === undefined) throw this.err(`unknown ${space.what} $${r.name}`, r.tok);
    return v;
  }

  // ---- pass 1: module fields -----------------------------------------------------------------------
  assemble(): WatResult {
    try {
      try {
        this.pass1();
      } catch (e) {
        if (e instanceof ParseError) throw this.earlierBodyError(e);
        throw e;
      }
      return this.pass2();
    } catch (e) {
      // folded instructions nest by recursion: report a stack overflow as a malformed input
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw this.err('nesting too deep', Math.min(this.pos, this.t.count - 1));
      throw e;
    }
  }

  /** Pass 1 skips bodies, so an error it finds may come after a malformed instruction: report the
   *  first error in text order (bodies before `e` are parsed leniently, ignoring unknown names). */
  private lenient = false;
  private earlierBodyError(e: ParseError): ParseError {
    this.lenient = true;
    for (const f of this.funcFields) {
      if (f.imported || f.body === 0 || this.t.start[f.body] >= e.offset) continue;
      try {
        this.w = new ByteWriter();
        this.instrs = [];
        this.labels = [];
        this.scratchDepth = 0;
      this.flatStack = [];
        this.localNames = new Map();
        this.pos = f.body;
        this.instrList();
      } catch (e2) {
        if (e2 instanceof ParseError && e2.offset < e.offset) return e2;
        if (!(e2 instanceof ParseError)) throw e2;
      }
    }
    return e;
  }

  private pass1(): void {
    if (this.peekForm('module')) {
      this.pos += 2;
      const n = this.optId();
      this.moduleName = n;
      if (this.kind() === T_ATOM && (this.isAtom('binary') || this.isAtom('quote'))) throw this.unexpected();
      this.fields();
      this.rparen();
    } else {
      this.fields();
    }
    if (this.kind() !== T_EOF) throw this.unexpected();
  }

  private fields(): void {
    const order: Step[] = [];
    this.steps = order;
    while (this.kind() === T_LPAREN) {
      const start = this.pos;
      this.pos++;
      if (this.kind() !== T_ATOM) throw this.unexpected();
      const kw = this.str();
      this.pos++;
      switch (kw) {
        case 'type': this.typeField(); break;
        case 'import': this.importField(); break;
        case 'func': this.funcField(start); break;
        case 'table': this.tableField(); break;
        case 'memory': this.memoryField(); break;
        case 'global': this.globalField(); break;
        case 'export': this.exportField(); break;
        case 'start': {
          if (this.start) throw this.err('multiple start sections', start);
          this.start = this.ref();
          break;
        }
        case 'elem': this.elemField(); break;
        case 'data': this.dataField(); break;
        default: throw this.unexpected(this.pos - 1);
      }
      this.rparen();
    }
  }
  private steps: Step[] = [];

  private funcSig(): FuncType & { names: (string | null)[] } {
    const params: ValType[] = [], results: ValType[] = [], names: (string | null)[] = [];
    while (this.peekForm('param')) {
      this.pos += 2;
      const id = this.optId();
      if (id !== null) { params.push(this.valType()); names.push(id); }
      else while (this.kind() !== T_RPAREN) { params.push(this.valType()); names.push(null); }
      this.rparen();
    }
    while (this.peekForm('result')) {
      this.pos += 2;
      while (this.kind() !== T_RPAREN) results.push(this.valType());
      this.rparen();
    }
    return { params, results, names };
  }

  private typeField(): void {
    const tok = this.pos;
    const name = this.optId();
    this.lparen();
    this.keyword('func');
    const sig = this.funcSig();
    this.rparen();
    this.define(this.explicitTypes, name, tok);
    this.typeNames.push(name);
    const idx = this.types.length;
    this.types.push({ params: sig.params, results: sig.results });
    const key = typeKey(sig.params, sig.results);
    if (!this.typeKeys.has(key)) this.typeKeys.set(key, idx);
  }

  private typeUse(): TypeUseAst {
    const tok = this.pos;
    let ref: Ref | null = null;
    if (this.peekForm('type')) {
      this.pos += 2;
      ref = this.ref();
      this.rparen();
    }
    const hasParams = this.peekForm('param'), hasResults = this.peekForm('result');
    const sig = this.funcSig();
    if (this.peekForm('param') || this.peekForm('type')) throw this.unexpected(this.pos + 1);
    return {
      ref, tok,
      params: hasParams || hasResults || !ref ? sig.params : null,
      results: hasParams || hasResults || !ref ? sig.results : null,
      paramNames: sig.names,
    };
  }

  private noteImport(tok: number): void {
    if (this.firstDef) throw this.err(`import after ${this.firstDef}`, tok);
  }
  private noteDef(what: string): void {
    if (!this.firstDef) this.firstDef = what;
  }

  /** Inline `(export "name")*` and `(import "m" "n")?` of a func/table/memory/global. */
  private inlineExportsImport(kind: number, indexOf: () => number): { imported: boolean; mod?: Uint8Array; field?: Uint8Array; tok: number } {
    const exps: Uint8Array[] = [];
    while (this.peekForm('export')) {
      this.pos += 2;
      exps.push(this.nameString());
      this.rparen();
    }
    const tok = this.pos;
    let imported = false, mod: Uint8Array | undefined, field: Uint8Array | undefined;
    if (this.peekForm('import')) {
      this.pos += 2;
      mod = this.nameString();
      field = this.nameString();
      this.rparen();
      imported = true;
    }
    const idx = indexOf();
    for (const e of exps) this.exports.push({ name: e, kind, ref: { name: null, num: idx, tok } });
    return { imported, mod, field, tok };
  }

  private funcField(startTok: number): void {
    const nameTok = this.pos;
    const name = this.optId();
    const idx = this.funcs.count;
    const imp = this.inlineExportsImport(0, () => idx);
    if (imp.imported) {
      this.noteImport(imp.tok);
      this.imports.push({ module: imp.mod!, field: imp.field!, kind: 0, index: idx });
    } else this.noteDef('function');
    this.define(this.funcs, name, nameTok);
    const typeUse = this.typeUse();
    const f: FuncField = {
      name, typeUse, imported: imp.imported, localTypes: [], localNames: [], localToks: [], body: 0,
      startTok, endTok: 0, typeIdx: -1, params: [],
    };
    this.funcFields.push(f);
    this.steps.push({ kind: imp.imported ? 'importfunc' : 'func', index: this.funcFields.length - 1 });
    if (!imp.imported) {
      while (this.peekForm('local')) {
        this.pos += 2;
        const tok = this.pos;
        const id = this.optId();
        if (id !== null) { f.localTypes.push(this.valType()); f.localNames.push(id); f.localToks.push(tok); }
        else while (this.kind() !== T_RPAREN) { f.localToks.push(this.pos); f.localTypes.push(this.valType()); f.localNames.push(null); }
        this.rparen();
      }
      f.body = this.pos;
      this.skipToClose();
    }
    f.endTok = this.pos;
  }

  private limits(): { min: number; max: number | null } {
    const min = this.u32('i32 constant');
    const max = this.isNat() ? this.u32('i32 constant') : null;
    return { min, max };
  }

  private tableField(): void {
    const nameTok = this.pos;
    const name = this.optId();
    const idx = this.tables.count;
    const imp = this.inlineExportsImport(1, () => idx);
    this.define(this.tables, name, nameTok);
    if (imp.imported) {
      this.noteImport(imp.tok);
      this.imports.push({ module: imp.mod!, field: imp.field!, kind: 1, index: idx });
      const lim = this.limits();
      this.tableFields.push({ name, elem: this.refType(), ...lim, imported: true });
      return;
    }
    this.noteDef('table');
    if (this.isAtom('funcref') || this.isAtom('externref')) {
      // (table reftype (elem ...))
      const elemType = this.refType();
      this.lparen();
      this.keyword('elem');
      const seg: ElemField = {
        name: null, mode: 'active', table: { name: null, num: idx, tok: nameTok }, offset: null, elemType,
        funcs: null, exprs: [],
      };
      let n: number;
      if (this.kind() === T_LPAREN) {
        while (this.kind() === T_LPAREN) seg.exprs.push(this.elemExpr());
        n = seg.exprs.length;
      } else {
        seg.funcs = [];
        while (this.kind() !== T_RPAREN) seg.funcs.push(this.ref());
        n = seg.funcs.length;
      }
      this.rparen();
      this.tableFields.push({ name, elem: elemType, min: n, max: n, imported: false });
      this.define(this.elems, null, nameTok);
      this.elemFields.push(seg);
      return;
    }
    const lim = this.limits();
    this.tableFields.push({ name, elem: this.refType(), ...lim, imported: false });
  }

  private memoryField(): void {
    const nameTok = this.pos;
    const name = this.optId();
    const idx = this.mems.count;
    const imp = this.inlineExportsImport(2, () => idx);
    this.define(this.mems, name, nameTok);
    if (imp.imported) {
      this.noteImport(imp.tok);
      this.imports.push({ module: imp.mod!, field: imp.field!, kind: 2, index: idx });
      this.memFields.push({ name, ...this.limits(), imported: true });
      return;
    }
    this.noteDef('memory');
    if (this.peekForm('data')) {
      this.pos += 2;
      const parts: Uint8Array[] = [];
      while (this.kind() === T_STRING) parts.push(this.string());
      this.rparen();
      const bytes = concat(parts);
      const pages = Math.ceil(bytes.length / 65536);
      this.memFields.push({ name, min: pages, max: pages, imported: false });
      this.define(this.datas, null, nameTok);
      this.dataFields.push({ name: null, mode: 'active', mem: { name: null, num: idx, tok: nameTok }, offset: null, bytes });
      return;
    }
    this.memFields.push({ name, ...this.limits(), imported: false });
  }

  private globalField(): void {
    const nameTok = this.pos;
    const name = this.optId();
    const idx = this.globals.count;
    const imp = this.inlineExportsImport(3, () => idx);
    this.define(this.globals, name, nameTok);
    let mutable = false;
    let type: ValType;
    if (this.peekForm('mut')) {
      this.pos += 2;
      type = this.valType();
      this.rparen();
      mutable = true;
    } else type = this.valType();
    if (imp.imported) {
      this.noteImport(imp.tok);
      this.imports.push({ module: imp.mod!, field: imp.field!, kind: 3, index: idx });
      this.globalFields.push({ name, type, mutable, imported: true, init: null });
      return;
    }
    this.noteDef('global');
    const init: ExprRange = { start: this.pos, single: false };
    this.skipToClose();
    this.globalFields.push({ name, type, mutable, imported: false, init });
  }

  private importField(): void {
    const tok = this.pos - 2;
    const mod = this.nameString();
    const field = this.nameString();
    this.noteImport(tok);
    this.lparen();
    if (this.kind() !== T_ATOM) throw this.unexpected();
    const kw = this.str();
    this.pos++;
    const nameTok = this.pos;
    const name = this.optId();
    switch (kw) {
      case 'func': {
        const idx = this.define(this.funcs, name, nameTok);
        const typeUse = this.typeUse();
        this.funcFields.push({
          name, typeUse, imported: true, localTypes: [], localNames: [], localToks: [], body: 0,
          startTok: tok, endTok: this.pos, typeIdx: -1, params: [],
        });
        this.steps.push({ kind: 'importfunc', index: this.funcFields.length - 1 });
        this.imports.push({ module: mod, field, kind: 0, index: idx });
        break;
      }
      case 'table': {
        const idx = this.define(this.tables, name, nameTok);
        const lim = this.limits();
        this.tableFields.push({ name, elem: this.refType(), ...lim, imported: true });
        this.imports.push({ module: mod, field, kind: 1, index: idx });
        break;
      }
      case 'memory': {
        const idx = this.define(this.mems, name, nameTok);
        this.memFields.push({ name, ...this.limits(), imported: true });
        this.imports.push({ module: mod, field, kind: 2, index: idx });
        break;
      }
      case 'global': {
        const idx = this.define(this.globals, name, nameTok);
        let mutable = false, type: ValType;
        if (this.peekForm('mut')) { this.pos += 2; type = this.valType(); this.rparen(); mutable = true; }
        else type = this.valType();
        this.globalFields.push({ name, type, mutable, imported: true, init: null });
        this.imports.push({ module: mod, field, kind: 3, index: idx });
        break;
      }
      default: throw this.unexpected(this.pos - 1);
    }
    this.rparen();
  }

  private exportField(): void {
    const name = this.nameString();
    this.lparen();
    const kinds: Record<string, number> = { func: 0, table: 1, memory: 2, global: 3 };
    const k = this.kind() === T_ATOM ? kinds[this.str()] : undefined;
    if (k === undefined) throw this.unexpected();
    this.pos++;
    const ref = this.ref();
    this.rparen();
    this.exports.push({ name, kind: k, ref });
  }

  /** `(offset instr*)` or one folded instruction. */
  private offsetExpr(): ExprRange {
    if (this.peekForm('offset')) {
      this.pos += 2;
      const r = { start: this.pos, single: false };
      this.skipToClose();
      this.rparen();
      return r;
    }
    const r = { start: this.pos, single: true };
    this.skipForm();
    return r;
  }
  /** `(item instr*)` or one folded instruction. */
  private elemExpr(): ExprRange {
    if (this.peekForm('item')) {
      this.pos += 2;
      const r = { start: this.pos, single: false };
      this.skipToClose();
      this.rparen();
      return r;
    }
    const r = { start: this.pos, single: true };
    this.skipForm();
    return r;
  }

  private elemField(): void {
    const nameTok = this.pos;
    const name = this.optId();
    this.define(this.elems, name, nameTok);
    const seg: ElemField = { name, mode: 'passive', table: null, offset: null, elemType: ValType.FuncRef, funcs: null, exprs: [] };
    if (this.isAtom('declare')) { this.pos++; seg.mode = 'declare'; }
    else if (this.kind() === T_LPAREN) {
      seg.mode = 'active';
      if (this.peekForm('table')) {
        this.pos += 2;
        seg.table = this.ref();
        this.rparen();
      }
      seg.offset = this.offsetExpr();
      // legacy abbreviation: function indices right after the offset (only without a table use)
      if (!seg.table && (this.kind() === T_ID || this.isNat() || this.kind() === T_RPAREN)) {
        seg.funcs = [];
        while (this.kind() !== T_RPAREN) seg.funcs.push(this.ref());
        this.fieldEndCheck();
        this.elemFields.push(seg);
        return;
      }
    }
    if (this.isAtom('func')) {
      this.pos++;
      seg.funcs = [];
      while (this.kind() !== T_RPAREN) seg.funcs.push(this.ref());
    } else {
      seg.elemType = this.refType();
      while (this.kind() === T_LPAREN) seg.exprs.push(this.elemExpr());
    }
    this.fieldEndCheck();
    this.elemFields.push(seg);
  }
  private fieldEndCheck(): void {
    if (this.kind() !== T_RPAREN) throw this.unexpected();
  }

  private dataField(): void {
    const nameTok = this.pos;
    const name = this.optId();
    this.define(this.datas, name, nameTok);
    const seg: DataField = { name, mode: 'passive', mem: null, offset: null, bytes: new Uint8Array(0) };
    if (this.kind() === T_LPAREN) {
      seg.mode = 'active';
      if (this.peekForm('memory')) {
        this.pos += 2;
        seg.mem = this.ref();
        this.rparen();
      }
      seg.offset = this.offsetExpr();
    }
    const parts: Uint8Array[] = [];
    while (this.kind() === T_STRING) parts.push(this.string());
    seg.bytes = concat(parts);
    this.fieldEndCheck();
    this.dataFields.push(seg);
  }

  // ---- pass 2: types, bodies, sections ------------------------------------------------------------
  private findOrAddType(params: ValType[], results: ValType[]): number {
    const key = typeKey(params, results);
    const found = this.typeKeys.get(key);
    if (found !== undefined) return found;
    const idx = this.types.length;
    this.types.push({ params, results });
    this.typeNames.push(null);
    this.typeKeys.set(key, idx);
    return idx;
  }

  private resolveTypeUse(tu: TypeUseAst): { idx: number; params: ValType[]; results: ValType[] } {
    if (tu.ref) {
      const idx = this.resolve(this.explicitTypes, tu.ref);
      const def = this.types[idx] as FuncType | undefined;
      if (tu.params !== null) {
        if (!def && this.lenient) return { idx, params: tu.params, results: tu.results! };
        if (!def) throw this.err('unknown type', tu.ref.tok);
        if (typeKey(def.params, def.results) !== typeKey(tu.params, tu.results!)) throw this.err('inline function type', tu.tok);
        return { idx, params: tu.params, results: tu.results! };
      }
      return { idx, params: def ? def.params : [], results: def ? def.results : [] };
    }
    return { idx: this.findOrAddType(tu.params!, tu.results!), params: tu.params!, results: tu.results! };
  }

  private pass2(): WatResult {
    const nFuncImports = this.imports.filter((i) => i.kind === 0).length;
    const code = new ByteWriter();
    const mapEntries: number[] = []; // (byteOffset, textOffset, endOffset) triples
    const funcLocs: WatFuncLocation[] = [];
    // funcs: fields in text order (steps)
    let defined = 0;
    for (const step of this.steps) {
      const f = this.funcFields[step.index];
      const r = this.resolveTypeUse(f.typeUse);
      f.typeIdx = r.idx;
      f.params = r.params;
      // imports precede definitions (else "import after ..."), so field order is index order
      const funcIndex = step.kind === 'importfunc' ? step.index : nFuncImports + defined++;
      funcLocs.push({
        funcIndex, name: f.name, textOffset: this.t.start[f.startTok], endOffset: this.t.end[f.endTok],
        line: this.lines.line(this.t.start[f.startTok]),
      });
      if (step.kind === 'importfunc') continue;
      // locals
      this.localNames = new Map();
      const nParams = r.params.length;
      const pnames = f.typeUse.params !== null ? f.typeUse.paramNames : [];
      pnames.forEach((n, i) => {
        if (n === null) return;
        if (this.localNames.has(n)) throw this.err('duplicate local', f.typeUse.tok);
        this.localNames.set(n, i);
      });
      f.localNames.forEach((n, i) => {
        if (n === null) return;
        if (this.localNames.has(n)) throw this.err('duplicate local', f.localToks[i]);
        this.localNames.set(n, nParams + i);
      });
      this.w = new ByteWriter();
      this.instrs = [];
      // local declarations, grouped runs
      const lt = f.localTypes;
      let groups = 0;
      for (let i = 0; i < lt.length; i++) if (i === 0 || lt[i] !== lt[i - 1]) groups++;
      this.w.u32(groups);
      for (let i = 0; i < lt.length;) {
        let j = i;
        while (j < lt.length && lt[j] === lt[i]) j++;
        this.w.u32(j - i);
        this.w.u8(lt[i]);
        i = j;
      }
      this.labels = [];
      this.scratchDepth = 0;
      this.flatStack = [];
      this.pos = f.body;
      this.instrList();
      if (this.kind() !== T_RPAREN) throw this.unexpected();
      this.mark(this.pos, this.pos + 1);
      this.w.u8(OPTAB[OPID.end].code);
      code.u32(this.w.len);
      const base = code.len;
      code.bytes(this.w.buf.subarray(0, this.w.len));
      const ins = this.instrs;
      for (let k = 0; k < ins.length; k += 3) mapEntries.push(base + ins[k], ins[k + 1], ins[k + 2]);
    }
    // constant expressions (globals, elem, data) are encoded into their own writers
    const constMap: number[] = []; // (section, byteOffset, textOffset, endOffset)
    const constExpr = (r: ExprRange, out: ByteWriter, sec: number): void => {
      this.w = new ByteWriter();
      this.instrs = [];
      this.labels = [];
      this.scratchDepth = 0;
      this.flatStack = [];
      this.localNames = new Map();
      this.pos = r.start;
      if (r.single) this.instr();
      else {
        this.instrList();
        if (this.kind() !== T_RPAREN) throw this.unexpected();
      }
      this.w.u8(OPTAB[OPID.end].code);
      const base = out.len;
      out.bytes(this.w.buf.subarray(0, this.w.len));
      const ins = this.instrs;
      for (let k = 0; k < ins.length; k += 3) constMap.push(sec, base + ins[k], ins[k + 1], ins[k + 2]);
    };

    const out = new ByteWriter();
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const sectionStart = new Map<number, number>();
    const section = (id: number, body: ByteWriter): void => {
      out.u8(id);
      out.u32(body.len);
      sectionStart.set(id, out.len);
      out.bytes(body.buf.subarray(0, body.len));
    };

    // globals/elems/datas first (they may add nothing to types, but must be encoded before layout)
    const globalSec = new ByteWriter();
    const defGlobals = this.globalFields.filter((g) => !g.imported);
    if (defGlobals.length) {
      globalSec.u32(defGlobals.length);
      for (const g of defGlobals) {
        globalSec.u8(g.type);
        globalSec.u8(g.mutable ? 1 : 0);
        constExpr(g.init!, globalSec, 6);
      }
    }
    const elemSec = new ByteWriter();
    if (this.elemFields.length) {
      elemSec.u32(this.elemFields.length);
      for (const e of this.elemFields) this.encodeElem(e, elemSec, constExpr);
    }
    const dataSec = new ByteWriter();
    if (this.dataFields.length) {
      dataSec.u32(this.dataFields.length);
      for (const d of this.dataFields) {
        if (d.mode === 'passive') dataSec.u8(1);
        else {
          const mem = d.mem ? this.resolve(this.mems, d.mem) : 0;
          if (mem !== 0) { dataSec.u8(2); dataSec.u32(mem); } else dataSec.u8(0);
          if (d.offset) constExpr(d.offset, dataSec, 11);
          else { dataSec.u8(OPTAB[OPID.i32_const].code); dataSec.s32(0); dataSec.u8(OPTAB[OPID.end].code); }
        }
        dataSec.name(d.bytes);
      }
    }
    // exports, start
    const exportSec = new ByteWriter();
    if (this.exports.length) {
      exportSec.u32(this.exports.length);
      const spaces = [this.funcs, this.tables, this.mems, this.globals];
      for (const e of this.exports) {
        exportSec.name(e.name);
        exportSec.u8(e.kind);
        exportSec.u32(this.resolve(spaces[e.kind], e.ref));
      }
    }
    const startIdx = this.start ? this.resolve(this.funcs, this.start) : -1;

    // ---- layout ----
    if (this.types.length) {
      const s = new ByteWriter();
      s.u32(this.types.length);
      for (const ty of this.types) {
        s.u8(0x60);
        s.u32(ty.params.length);
        for (const p of ty.params) s.u8(p);
        s.u32(ty.results.length);
        for (const p of ty.results) s.u8(p);
      }
      section(1, s);
    }
    if (this.imports.length) {
      const s = new ByteWriter();
      s.u32(this.imports.length);
      for (const im of this.imports) {
        s.name(im.module);
        s.name(im.field);
        s.u8(im.kind);
        switch (im.kind) {
          case 0: s.u32(this.funcFields[im.index].typeIdx); break;
          case 1: { const tb = this.tableFields[im.index]; s.u8(tb.elem); writeLimits(s, tb.min, tb.max); break; }
          case 2: { const m = this.memFields[im.index]; writeLimits(s, m.min, m.max); break; }
          case 3: { const g = this.globalFields[im.index]; s.u8(g.type); s.u8(g.mutable ? 1 : 0); break; }
        }
      }
      section(2, s);
    }
    const defFuncs = this.funcFields.filter((f) => !f.imported);
    if (defFuncs.length) {
      const s = new ByteWriter();
      s.u32(defFuncs.length);
      for (const f of defFuncs) s.u32(f.typeIdx);
      section(3, s);
    }
    const defTables = this.tableFields.filter((x) => !x.imported);
    if (defTables.length) {
      const s = new ByteWriter();
      s.u32(defTables.length);
      for (const tb of defTables) { s.u8(tb.elem); writeLimits(s, tb.min, tb.max); }
      section(4, s);
    }
    const defMems = this.memFields.filter((x) => !x.imported);
    if (defMems.length) {
      const s = new ByteWriter();
      s.u32(defMems.length);
      for (const m of defMems) writeLimits(s, m.min, m.max);
      section(5, s);
    }
    if (defGlobals.length) section(6, globalSec);
    if (this.exports.length) section(7, exportSec);
    if (startIdx >= 0) { const s = new ByteWriter(); s.u32(startIdx); section(8, s); }
    if (this.elemFields.length) section(9, elemSec);
    if (this.usesDataCount) { const s = new ByteWriter(); s.u32(this.dataFields.length); section(12, s); }
    const instructions: WatInstrLocation[] = [];
    const pushLoc = (byteOffset: number, textOffset: number, endOffset: number): void => {
      const line = this.lines.line(textOffset);
      instructions.push({ byteOffset, textOffset, line, column: this.lines.column(textOffset, line), endOffset });
    };
    const constLocs = (sec: number): void => {
      const base = sectionStart.get(sec);
      if (base === undefined) return;
      for (let k = 0; k < constMap.length; k += 4) if (constMap[k] === sec) pushLoc(base + constMap[k + 1], constMap[k + 2], constMap[k + 3]);
    };
    constLocs(6);
    constLocs(9);
    if (defFuncs.length) {
      const s = new ByteWriter();
      s.u32(defFuncs.length);
      const shift = s.len;
      s.bytes(code.buf.subarray(0, code.len));
      section(10, s);
      const base = sectionStart.get(10)! + shift;
      for (let k = 0; k < mapEntries.length; k += 3) pushLoc(base + mapEntries[k], mapEntries[k + 1], mapEntries[k + 2]);
    }
    if (this.dataFields.length) section(11, dataSec);
    constLocs(11);
    if (this.names) this.nameSection(out);
    funcLocs.sort((x, y) => x.funcIndex - y.funcIndex);
    return { binary: out.toArray(), sourceMap: { instructions, funcs: funcLocs } };
  }

  /** The function of an element expression that is exactly `ref.func x` (such segments are encoded
   *  with function indices, as wabt does), else null. */
  private refFuncOnly(r: ExprRange): Ref | null {
    const i = r.start;
    const isRef = (k: number): boolean => this.kind(k) === T_ID || this.isNat(k);
    const at = (k: number): Ref => { this.pos = k; return this.ref(); };
    // `(ref.func x)` as a single folded expression, or `(item (ref.func x))`
    if (this.kind(i) === T_LPAREN && this.isAtom('ref.func', i + 1) && isRef(i + 2) && this.kind(i + 3) === T_RPAREN
      && (r.single || this.kind(i + 4) === T_RPAREN)) return at(i + 2);
    // `(item ref.func x)`
    if (!r.single && this.isAtom('ref.func', i) && isRef(i + 1) && this.kind(i + 2) === T_RPAREN) return at(i + 1);
    return null;
  }

  private encodeElem(e: ElemField, s: ByteWriter, constExpr: (r: ExprRange, out: ByteWriter, sec: number) => void): void {
    if (e.funcs === null && e.elemType === ValType.FuncRef) {
      const refs = e.exprs.map((x) => this.refFuncOnly(x));
      if (refs.every((x) => x !== null)) e.funcs = refs as Ref[];
    }
    const useExprs = e.funcs === null;
    let table = 0;
    if (e.mode === 'active') table = e.table ? this.resolve(this.tables, e.table) : 0;
    const explicit = e.mode === 'active' && (table !== 0 || (useExprs && e.elemType !== ValType.FuncRef));
    let flags = e.mode === 'passive' ? 1 : e.mode === 'declare' ? 3 : explicit ? 2 : 0;
    if (useExprs) flags |= 4;
    s.u8(flags);
    if (e.mode === 'active') {
      if (explicit) s.u32(table);
      if (e.offset) constExpr(e.offset, s, 9);
      else { s.u8(OPTAB[OPID.i32_const].code); s.s32(0); s.u8(OPTAB[OPID.end].code); }
    }
    if (flags !== 0 && flags !== 4) {
      if (useExprs) s.u8(e.elemType); else s.u8(0x00);
    }
    if (useExprs) {
      s.u32(e.exprs.length);
      for (const x of e.exprs) constExpr(x, s, 9);
    } else {
      s.u32(e.funcs!.length);
      for (const f of e.funcs!) s.u32(this.resolve(this.funcs, f));
    }
  }

  private nameSection(out: ByteWriter): void {
    const enc = new TextEncoder();
    const body = new ByteWriter();
    body.name(enc.encode('name'));
    const sub = (id: number, w: ByteWriter): void => { body.u8(id); body.blob(w); };
    if (this.moduleName !== null) {
      const w = new ByteWriter();
      w.name(enc.encode(this.moduleName));
      sub(0, w);
    }
    const nameMap = (list: (string | null)[]): ByteWriter | null => {
      const named = list.map((n, i) => [i, n] as const).filter(([, n]) => n !== null);
      if (!named.length) return null;
      const w = new ByteWriter();
      w.u32(named.length);
      for (const [i, n] of named) { w.u32(i); w.name(enc.encode(n!)); }
      return w;
    };
    const fn = nameMap(this.funcs.list);
    if (fn) sub(1, fn);
    // locals
    const locals: [number, ByteWriter][] = [];
    const emptyMap = new ByteWriter();
    emptyMap.u32(0);
    this.funcFields.forEach((f, i) => {
      const all: (string | null)[] = [];
      const pn = f.typeUse.params !== null ? f.typeUse.paramNames : [];
      for (let k = 0; k < f.params.length; k++) all.push(pn[k] ?? null);
      if (!f.imported) all.push(...f.localNames);
      // like wabt, every function gets an entry (possibly with no names)
      const m = nameMap(all) ?? emptyMap;
      locals.push([i, m]);
    });
    {
      const w = new ByteWriter(); // like wabt, the local names subsection is always present
      w.u32(locals.length);
      for (const [i, m] of locals) { w.u32(i); w.bytes(m.buf.subarray(0, m.len)); }
      sub(2, w);
    }
    const others: [number, (string | null)[]][] = [
      [4, this.typeNames], [5, this.tables.list], [6, this.mems.list], [7, this.globals.list],
      [8, this.elems.list], [9, this.datas.list],
    ];
    for (const [id, list] of others) {
      const m = nameMap(list);
      if (m) sub(id, m);
    }
    out.u8(0);
    out.blob(body);
  }

  // ---- instructions --------------------------------------------------------------------------------
  private mark(textStart: number, textEndTok: number): void {
    this.instrs.push(this.w.len, this.t.start[textStart], this.t.end[textEndTok - 1]);
  }

  private emitOp(info: OpInfo): void {
    if (info.prefix === 0) this.w.u8(info.code);
    else { this.w.u8(info.prefix); this.w.u32(info.code); }
  }

  /** Flat blocks opened by the instruction lists being parsed (kept on an explicit stack, so deeply
   *  nested flat code, e.g. a big br_table dispatch, does not recurse). */
  private flatStack: { label: string | null; isIf: boolean; sawElse: boolean }[] = [];

  /** Instructions until `)`, EOF, or an `end`/`else` that closes a block opened outside this list. */
  private instrList(): void {
    const stack = this.flatStack;
    const base = stack.length;
    for (;;) {
      const k = this.kind();
      if (k === T_RPAREN || k === T_EOF) {
        if (stack.length > base) throw this.unexpected();
        return;
      }
      if (k === T_ATOM) {
        const isEnd = this.isAtom('end');
        if (isEnd || this.isAtom('else')) {
          if (stack.length === base) return;
          const top = stack[stack.length - 1];
          const et = this.pos;
          if (!isEnd) {
            if (!top.isIf || top.sawElse) throw this.unexpected();
            top.sawElse = true;
            this.pos++;
            this.endLabel(top.label);
            // like wabt, an empty else arm is not encoded
            if (!this.isAtom('end')) {
              this.mark(et, this.pos);
              this.w.u8(OPTAB[OPID.else].code);
            }
            continue;
          }
          this.pos++;
          this.endLabel(top.label);
          this.mark(et, this.pos);
          this.w.u8(OPTAB[OPID.end].code);
          this.labels.pop();
          stack.pop();
          continue;
        }
        const info = this.opAt();
        if (info.imm === I_BlockType) {
          const startTok = this.pos++;
          const label = this.optId();
          const markAt = this.w.len;
          this.emitOp(info);
          this.blockType();
          this.instrs.push(markAt, this.t.start[startTok], this.t.end[this.pos - 1]);
          this.labels.push(label);
          stack.push({ label, isIf: info.id === OPID.if, sawElse: false });
          continue;
        }
      }
      this.instr();
    }
  }

  private opAt(): OpInfo {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    const s = this.str();
    const info = opByName(s);
    if (!info || info.id === OPID.select_t || info.id === OPID.else || info.id === OPID.end) {
      if (KEYWORDS.has(s) || isNumberLike(s)) throw this.err('unexpected token');
      throw this.err(`unknown operator ${s}`);
    }
    return info;
  }

  private instr(): void {
    if (this.kind() === T_LPAREN) { this.folded(); return; }
    const startTok = this.pos;
    const info = this.opAt();
    this.pos++;
    if (info.imm === I_BlockType) throw this.err('unexpected token', startTok); // flat blocks: see instrList
    const markAt = this.w.len;
    this.plain(info);
    this.instrs.push(markAt, this.t.start[startTok], this.t.end[this.pos - 1]);
  }

  private endLabel(label: string | null): void {
    if (this.kind() === T_ID) {
      const s = this.str().slice(1);
      if (s !== label) throw this.err('mismatching label');
      this.pos++;
    }
  }

  private folded(): void {
    this.pos++;
    const startTok = this.pos;
    const info = this.opAt();
    this.pos++;
    if (info.imm === I_BlockType) {
      const label = this.optId();
      const markAt = this.w.len;
      if (info.id === OPID.if) {
        const btStart = this.pos;
        // parse the block type to find where conditions start, but emit after the condition
        const saved = this.w;
        const tmp = this.scratchWriter();
        this.w = tmp;
        this.blockType();
        this.w = saved;
        const headEnd = this.pos;
        this.scratchDepth++;
        while (this.kind() === T_LPAREN && !this.peekForm('then')) this.folded();
        this.scratchDepth--;
        const ifAt = this.w.len;
        this.emitOp(info);
        this.w.bytes(tmp.buf.subarray(0, tmp.len));
        this.instrs.push(ifAt, this.t.start[startTok], this.t.end[Math.max(headEnd, btStart) - 1]);
        this.labels.push(label);
        if (!this.peekForm('then')) throw this.unexpected();
        this.pos += 2;
        this.instrList();
        this.rparen();
        if (this.peekForm('else')) {
          const et = this.pos + 1;
          this.pos += 2;
          if (this.kind() !== T_RPAREN) {
            this.mark(et, et + 1);
            this.w.u8(OPTAB[OPID.else].code);
            this.instrList();
          }
          this.rparen();
        }
      } else {
        this.emitOp(info);
        this.blockType();
        this.instrs.push(markAt, this.t.start[startTok], this.t.end[this.pos - 1]);
        this.labels.push(label);
        this.instrList();
      }
      if (this.kind() !== T_RPAREN) throw this.unexpected();
      this.mark(this.pos, this.pos + 1);
      this.w.u8(OPTAB[OPID.end].code);
      this.pos++;
      this.labels.pop();
      return;
    }
    // plain: parse immediates into a temp buffer, then operands, then emit
    const saved = this.w;
    const tmp = this.scratchWriter();
    this.w = tmp;
    this.plain(info);
    this.w = saved;
    const headEnd = this.pos;
    this.scratchDepth++;
    while (this.kind() === T_LPAREN) this.folded();
    this.scratchDepth--;
    if (this.kind() !== T_RPAREN) throw this.unexpected();
    this.pos++;
    this.instrs.push(this.w.len, this.t.start[startTok], this.t.end[headEnd - 1]);
    this.w.bytes(tmp.buf.subarray(0, tmp.len));
  }

  /** Reusable buffers for the immediates of folded instructions (one per nesting depth). */
  private readonly scratch: ByteWriter[] = [];
  private scratchDepth = 0;
  private scratchWriter(): ByteWriter {
    let w = this.scratch[this.scratchDepth];
    if (!w) this.scratch[this.scratchDepth] = w = new ByteWriter(32);
    w.len = 0;
    return w;
  }

  private blockType(): void {
    const tu = this.typeUse();
    if (tu.ref === null && tu.paramNames.some((n) => n !== null)) throw this.err('unexpected token', tu.tok);
    if (tu.ref === null && tu.params!.length === 0 && tu.results!.length <= 1) {
      if (tu.results!.length === 0) this.w.u8(0x40);
      else this.w.u8(tu.results![0]);
      return;
    }
    const r = this.resolveTypeUse(tu);
    // like wabt, a type use whose type has no params and at most one result uses the short form
    if (r.params.length === 0 && r.results.length <= 1 && this.types[r.idx]) {
      this.w.u8(r.results.length ? r.results[0] : 0x40);
      return;
    }
    this.w.sbig(BigInt(r.idx));
  }

  private labelRef(): number {
    const r = this.ref();
    if (r.name === null) return r.num;
    for (let i = this.labels.length - 1; i >= 0; i--) if (this.labels[i] === r.name) return this.labels.length - 1 - i;
    throw this.err(`unknown label $${r.name}`, r.tok);
  }
  private localRef(): number {
    const r = this.ref();
    if (r.name === null) return r.num;
    const v = this.localNames.get(r.name);
    if (v === undefined && this.lenient) return 0;
    if (v === undefined) throw this.err(`unknown local $${r.name}`, r.tok);
    return v;
  }

  /** Encode a non-block instruction (opcode + immediates) at the cursor (after the name). */
  private plain(info: OpInfo): void {
    const w = this.w;
    switch (info.imm) {
      case I_None: {
        if (info.id === OPID.select && this.peekForm('result')) {
          const types: ValType[] = [];
          while (this.peekForm('result')) {
            this.pos += 2;
            while (this.kind() !== T_RPAREN) types.push(this.valType());
            this.rparen();
          }
          this.emitOp(OPTAB[OPID.select_t]);
          w.u32(types.length);
          for (const ty of types) w.u8(ty);
          return;
        }
        this.emitOp(info);
        return;
      }
      case I_Label: { const l = this.labelRef(); this.emitOp(info); w.u32(l); return; }
      case I_BrTable: {
        const ls: number[] = [];
        while (this.kind() === T_ID || this.isNat()) ls.push(this.labelRef());
        if (ls.length === 0) throw this.unexpected();
        this.emitOp(info);
        w.u32(ls.length - 1);
        for (const l of ls) w.u32(l);
        return;
      }
      case I_Func: { const f = this.resolve(this.funcs, this.ref()); this.emitOp(info); w.u32(f); return; }
      case I_CallIndirect: {
        const tr = this.optRef();
        const table = tr ? this.resolve(this.tables, tr) : 0;
        const tu = this.typeUse();
        if (tu.paramNames.some((n) => n !== null)) throw this.err('unexpected token', tu.tok);
        const r = this.resolveTypeUse(tu);
        this.emitOp(info);
        w.u32(r.idx);
        w.u32(table);
        return;
      }
      case I_Local: { const l = this.localRef(); this.emitOp(info); w.u32(l); return; }
      case I_Global: { const g = this.resolve(this.globals, this.ref()); this.emitOp(info); w.u32(g); return; }
      case I_Table: {
        const tr = this.optRef();
        const tb = tr ? this.resolve(this.tables, tr) : 0;
        this.emitOp(info);
        w.u32(tb);
        return;
      }
      case I_Memory: { this.emitOp(info); w.u8(0); return; }
      case I_MemArg:
      case I_MemArgLane: {
        let offset = 0;
        let align = info.align;
        if (this.kind() === T_ATOM && this.str().startsWith('offset=')) {
          offset = this.memArgValue(7, 'i32 constant');
        }
        if (this.kind() === T_ATOM && this.str().startsWith('align=')) {
          const tok = this.pos;
          const a = this.memArgValue(6, 'alignment');
          if (a === 0 || (a & (a - 1)) !== 0) throw this.err('alignment must be a power of two', tok);
          align = 31 - Math.clz32(a);
        }
        let lane = -1;
        if (info.imm === I_MemArgLane) lane = this.laneIdx();
        this.emitOp(info);
        w.u32(align);
        w.u32(offset);
        if (lane >= 0) w.u8(lane);
        return;
      }
      case I_I32: {
        const v = this.intLit(32);
        this.emitOp(info);
        w.s32(Number(BigInt.asIntN(32, v)));
        return;
      }
      case I_I64: {
        const v = this.intLit(64);
        this.emitOp(info);
        w.sbig(BigInt.asIntN(64, v));
        return;
      }
      case I_F32: { const b = this.f32Lit(); this.emitOp(info); w.u32le(b); return; }
      case I_F64: { const b = this.f64Lit(); this.emitOp(info); w.u64le(b); return; }
      case I_V128: { const bytes = this.v128Lit(); this.emitOp(info); w.bytes(bytes); return; }
      case I_Lane: { const l = this.laneIdx(); this.emitOp(info); w.u8(l); return; }
      case I_Shuffle: {
        const lanes: number[] = [];
        while (this.kind() === T_ATOM && lanes.length < 17) {
          const s = this.str();
          if (!isNumberLike(s)) break;
          if (!/^(?:[0-9]+|0x[0-9a-fA-F]+)$/.test(s.replace(/_/g, ''))) throw this.err('malformed lane index');
          lanes.push(this.laneIdx());
        }
        if (lanes.length !== 16) throw this.err('invalid lane length');
        this.emitOp(info);
        w.bytes(lanes);
        return;
      }
      case I_RefType: {
        let ht: number;
        if (this.isAtom('func')) ht = ValType.FuncRef;
        else if (this.isAtom('extern')) ht = ValType.ExternRef;
        else throw this.unexpected();
        this.pos++;
        this.emitOp(info);
        w.u8(ht);
        return;
      }
      case I_MemInit: {
        const d = this.resolve(this.datas, this.ref());
        this.usesDataCount = true;
        this.emitOp(info); w.u32(d); w.u8(0);
        return;
      }
      case I_Data: {
        const d = this.resolve(this.datas, this.ref());
        this.usesDataCount = true;
        this.emitOp(info); w.u32(d);
        return;
      }
      case I_MemCopy: { this.emitOp(info); w.u8(0); w.u8(0); return; }
      case I_MemFill: { this.emitOp(info); w.u8(0); return; }
      case I_TableInit: {
        const a = this.ref();
        const b = this.optRef();
        let table = 0, elem: number;
        if (b) { table = this.resolve(this.tables, a); elem = this.resolve(this.elems, b); }
        else elem = this.resolve(this.elems, a);
        this.emitOp(info); w.u32(elem); w.u32(table);
        return;
      }
      case I_Elem: { const e = this.resolve(this.elems, this.ref()); this.emitOp(info); w.u32(e); return; }
      case I_TableCopy: {
        const a = this.optRef();
        let dst = 0, src = 0;
        if (a) {
          dst = this.resolve(this.tables, a);
          const b = this.optRef();
          if (!b) throw this.unexpected();
          src = this.resolve(this.tables, b);
        }
        this.emitOp(info); w.u32(dst); w.u32(src);
        return;
      }
      default:
        throw this.unexpected();
    }
  }

  private memArgValue(prefixLen: number, what: string): number {
    const s = this.str().slice(prefixLen);
    let v: number | null;
    try { v = parseU32(s); } catch (e) {
      if (e instanceof OutOfRange) throw this.err(what === 'alignment' ? 'alignment out of range' : `${what} out of range`);
      throw e;
    }
    if (v === null) throw this.err(`unknown operator ${this.str()}`);
    this.pos++;
    return v;
  }

  private laneIdx(): number {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    let v: number | null;
    try { v = parseU32(this.str()); } catch { throw this.err('malformed lane index'); }
    if (v === null) throw this.unexpected();
    if (v > 255) throw this.err('malformed lane index');
    this.pos++;
    return v;
  }

  private intLit(bits: number): bigint {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    let v: bigint | null;
    try { v = parseIntN(this.str(), bits); } catch (e) {
      if (e instanceof OutOfRange) throw this.err('constant out of range');
      throw e;
    }
    if (v === null) throw this.unexpected();
    this.pos++;
    return v;
  }
  private f32Lit(): number {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    let v: number | null;
    try { v = parseF32(this.str()); } catch (e) {
      if (e instanceof OutOfRange) throw this.err('constant out of range');
      throw e;
    }
    if (v === null) throw this.unexpected();
    this.pos++;
    return v;
  }
  private f64Lit(): bigint {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    let v: bigint | null;
    try { v = parseF64(this.str()); } catch (e) {
      if (e instanceof OutOfRange) throw this.err('constant out of range');
      throw e;
    }
    if (v === null) throw this.unexpected();
    this.pos++;
    return v;
  }

  private v128Lit(): Uint8Array {
    if (this.kind() !== T_ATOM) throw this.unexpected();
    const shape = this.str();
    const lanesBy: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };
    const n = lanesBy[shape];
    if (n === undefined) throw this.unexpected();
    this.pos++;
    const first = this.pos;
    let count = 0;
    // lane literals: number-like atoms (a flat instruction may follow)
    while (this.kind(first + count) === T_ATOM && !opByName(this.str(first + count)) && !KEYWORDS.has(this.str(first + count))) count++;
    if (count !== n) throw this.err('wrong number of lane literals', count > n ? first + n : first + count);
    return encodeV128(shape, () => {
      switch (shape) {
        case 'f32x4': return BigInt(this.f32Lit() >>> 0);
        case 'f64x2': return BigInt.asUintN(64, this.f64Lit());
        default: return this.intLit(128 / n);
      }
    });
  }
}

/** Encode a v128 from a shape and a lane supplier (unsigned lane bits). */
export function encodeV128(shape: string, lane: (k: number) => bigint): Uint8Array {
  const n = ({ i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 } as Record<string, number>)[shape];
  const width = 16 / n;
  const out = new Uint8Array(16);
  for (let k = 0; k < n; k++) {
    let v = lane(k);
    for (let b = 0; b < width; b++) {
      out[k * width + b] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return out;
}

function writeLimits(s: ByteWriter, min: number, max: number | null): void {
  if (max === null) { s.u8(0); s.u32(min); } else { s.u8(1); s.u32(min); s.u32(max); }
}

function typeKey(params: readonly ValType[], results: readonly ValType[]): string {
  return `${params.join(',')}:${results.join(',')}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function isNumberLike(s: string): boolean {
  return /^[+-]?(?:[0-9]|inf$|nan)/.test(s) && (parseSafe(s));
}
function parseSafe(s: string): boolean {
  try { return parseF64(s) !== null || parseIntN(s, 64) !== null; } catch { return true; }
}
