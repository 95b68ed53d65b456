// Language analysis of WebAssembly text, free of `vscode` and of the LSP libraries so it can be unit
// tested directly: diagnostics (from the engine's assembler, then its validator through the
// assembler's source map), symbols and their references ($names and numeric indices in every index
// space), hover text for instructions, and document symbols. Positions are 0-based text offsets;
// the language server (server.ts) converts them to LSP positions.
//
// The symbol pass has its own tolerant tokenizer and S-expression reader (the engine's lexer throws
// at the first error, while an editor wants names resolved in half-typed text too).
import { ParseError, ValidationError, DecodeError } from '../../engine/core/errors';
import { Imm, OPS, OpInfo, opByName, textName } from '../../engine/core/opcodes';
import { assembleWat, SourceMapIndex } from '../../engine/wat/assembler';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { parseWast } from '../../engine/wat/wast';

// ---- Diagnostics ---------------------------------------------------------------------------------

export interface WatDiagnostic {
  start: number;
  end: number;
  message: string;
  /** 'syntax' (assembler ParseError), 'validation' (validator), 'decode' (should not happen). */
  kind: 'syntax' | 'validation' | 'decode' | 'internal';
}

/** Assemble, decode and validate `text`; at most one diagnostic (the engine stops at the first error). */
export function diagnose(text: string): WatDiagnostic[] {
  let result;
  try {
    result = assembleWat(text);
  } catch (e) {
    if (e instanceof ParseError) return syntaxOnly(text, e);
    return [{ start: 0, end: lineEnd(text, 0), message: `assembler failed: ${(e as Error).message}`, kind: 'internal' }];
  }
  try {
    validateModule(decodeModule(result.binary));
  } catch (e) {
    if (e instanceof ValidationError) {
      const [start, end] = validationRange(text, result.sourceMap, e);
      return [{ start, end, message: e.message, kind: 'validation' }];
    }
    if (e instanceof DecodeError) {
      return [{ start: 0, end: lineEnd(text, 0), message: `assembled binary does not decode: ${e.message}`, kind: 'decode' }];
    }
    return [{ start: 0, end: lineEnd(text, 0), message: `validator failed: ${(e as Error).message}`, kind: 'internal' }];
  }
  return [];
}

type SourceMap = ReturnType<typeof assembleWat>['sourceMap'];

/** Text range for a validation error: the instruction at its byte offset when that instruction
 *  belongs to the failing function, else the function's header line, else the module's first line. */
function validationRange(text: string, map: SourceMap, e: ValidationError): [number, number] {
  const func = e.funcIndex >= 0 ? map.funcs.find(f => f.funcIndex === e.funcIndex) : undefined;
  if (e.offset >= 0) {
    const loc = new SourceMapIndex(map).locate(e.offset);
    if (loc && (!func || (loc.textOffset >= func.textOffset && loc.textOffset < func.endOffset))
      && (func || e.funcIndex < 0 && insideAnyFunc(map, loc.textOffset) && codeOffsetPlausible(map, e.offset))) {
      return [loc.textOffset, Math.max(loc.endOffset, tokenEnd(text, loc.textOffset))];
    }
  }
  if (func) return [func.textOffset, lineEnd(text, func.textOffset)];
  const m = /\(\s*module\b/.exec(text);
  const at = m ? m.index : firstNonBlank(text);
  return [at, lineEnd(text, at)];
}
function insideAnyFunc(map: SourceMap, textOffset: number): boolean {
  return map.funcs.some(f => f.textOffset <= textOffset && textOffset < f.endOffset);
}
/** A byte offset belongs to code when it is not past the last instruction of the source map. */
function codeOffsetPlausible(map: SourceMap, offset: number): boolean {
  const a = map.instructions;
  return a.length > 0 && offset >= a[0].byteOffset && offset <= a[a.length - 1].byteOffset + 16;
}
function tokenEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !/[\s()]/.test(text[i])) i++;
  return i > at ? i : Math.min(at + 1, text.length);
}
function lineEnd(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
}
function firstNonBlank(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}

/** Diagnostics of a .wast script: its syntax (the script parser), then each top-level text module
 *  assembled and validated like a .wat file (modules inside assertions are left alone: an
 *  assert_invalid module is meant to be invalid). */
export function diagnoseScript(text: string): WatDiagnostic[] {
  let commands;
  try {
    commands = parseWast(text);
  } catch (e) {
    if (e instanceof ParseError) return syntaxOnly(text, e);
    return [{ start: 0, end: lineEnd(text, 0), message: `script parser failed: ${(e as Error).message}`, kind: 'internal' }];
  }
  const out: WatDiagnostic[] = [];
  for (const c of commands) {
    if (c.type !== 'module' || c.module.kind !== 'text') continue;
    const m = c.module;
    if (text.slice(m.offset, m.offset + m.text.length) !== m.text) continue;
    for (const d of diagnose(m.text)) out.push({ ...d, start: d.start + m.offset, end: d.end + m.offset });
  }
  return out;
}
/** The range of a ParseError; one at the end of the text (e.g. "unexpected end") marks the last
 *  character that is not blank. */
function syntaxOnly(text: string, e: ParseError): WatDiagnostic[] {
  let start = e.offset;
  let end = e.endOffset > e.offset ? e.endOffset : tokenEnd(text, e.offset);
  if (end <= start) {
    const m = /\S\s*$/.exec(text);
    if (m) { start = m.index; end = m.index + 1; }
  }
  return [{ start, end, message: e.message, kind: 'syntax' }];
}

// ---- Tolerant reader -----------------------------------------------------------------------------

export type TokKind = 'lparen' | 'rparen' | 'atom' | 'id' | 'string';
export interface Token { kind: TokKind; start: number; end: number; text: string }
export interface SNode { start: number; end: number; items: (SNode | Token)[]; head: string | null }

const IDCHAR_RE = /[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]/;

/** Tokens of WAT text, never throwing: comments and annotations are skipped, unknown characters too. */
export function lexTolerant(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') { i++; continue; }
    if (c === ';' && text[i + 1] === ';') { while (i < n && text[i] !== '\n') i++; continue; }
    if (c === '(' && text[i + 1] === ';') {
      let depth = 0;
      while (i < n) {
        if (text[i] === '(' && text[i + 1] === ';') { depth++; i += 2; continue; }
        if (text[i] === ';' && text[i + 1] === ')') { depth--; i += 2; if (depth === 0) break; continue; }
        i++;
      }
      continue;
    }
    if (c === '(' && text[i + 1] === '@') {
      // annotation: skip to the matching paren (strings and nested parens respected)
      let depth = 0;
      while (i < n) {
        const d = text[i];
        if (d === '"') { i++; while (i < n && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1; i++; continue; }
        if (d === '(') depth++;
        else if (d === ')') { depth--; if (depth === 0) { i++; break; } }
        i++;
      }
      continue;
    }
    if (c === '(') { out.push({ kind: 'lparen', start: i, end: i + 1, text: c }); i++; continue; }
    if (c === ')') { out.push({ kind: 'rparen', start: i, end: i + 1, text: c }); i++; continue; }
    if (c === '"') {
      const s = i;
      i++;
      while (i < n && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (i < n && text[i] === '"') i++;
      out.push({ kind: 'string', start: s, end: i, text: text.slice(s, i) });
      continue;
    }
    if (IDCHAR_RE.test(c)) {
      const s = i;
      while (i < n && IDCHAR_RE.test(text[i])) i++;
      const t = text.slice(s, i);
      out.push({ kind: t.length > 1 && t[0] === '$' ? 'id' : 'atom', start: s, end: i, text: t });
      continue;
    }
    i++;
  }
  return out;
}

/** Reads tokens into nested lists; unclosed lists end at the end of the text, stray `)` are ignored. */
export function readTree(text: string, toks: Token[] = lexTolerant(text)): SNode {
  const root: SNode = { start: 0, end: text.length, items: [], head: null };
  const stack: SNode[] = [root];
  for (const t of toks) {
    const top = stack[stack.length - 1];
    if (t.kind === 'lparen') {
      const node: SNode = { start: t.start, end: text.length, items: [], head: null };
      top.items.push(node);
      stack.push(node);
    } else if (t.kind === 'rparen') {
      if (stack.length > 1) { top.end = t.end; stack.pop(); }
    } else {
      if (top !== root && top.items.length === 0 && t.kind === 'atom') top.head = t.text;
      top.items.push(t);
    }
  }
  return root;
}

function isNode(x: SNode | Token): x is SNode {
  return (x as SNode).items !== undefined;
}

// ---- Symbols -------------------------------------------------------------------------------------

export type Space = 'func' | 'table' | 'memory' | 'global' | 'type' | 'elem' | 'data' | 'local' | 'label';

export interface SymbolDef {
  space: Space;
  /** `$name` or null for an anonymous definition (still counted in its index space). */
  name: string | null;
  /** Index in its space (for locals: in the function's locals; for labels: -1). */
  index: number;
  /** Range of the `$name` token, or of the defining keyword when anonymous. */
  nameStart: number;
  nameEnd: number;
  /** Range of the whole defining form (for document symbols). */
  start: number;
  end: number;
  /** Enclosing function definition for locals and labels. */
  scope: SymbolDef | null;
  imported: boolean;
  /** Which module of the file (a .wast script has several), counted from 0. */
  module: number;
  /** For functions and types: the number of parameters, when known from the text. */
  paramCount?: number;
  /** For functions: `(type $t)` reference of its type use. */
  typeRef?: string;
  /** Short description, e.g. the signature text. */
  detail: string;
}

export interface SymbolRef {
  space: Space;
  /** `$name` or a decimal/hex index as written. */
  text: string;
  start: number;
  end: number;
  scope: SymbolDef | null;
  /** The definition, when it resolves. */
  def: SymbolDef | null;
}

export interface ExportInfo { name: string; space: Space; start: number; end: number; target: SymbolRef | null }

export interface WatAnalysis {
  text: string;
  defs: SymbolDef[];
  refs: SymbolRef[];
  exports: ExportInfo[];
  /** Instruction tokens with their opcode table entry (for hover). */
  instrs: { start: number; end: number; op: OpInfo }[];
}

const MODULE_SPACES: Record<string, Space> = {
  func: 'func', table: 'table', memory: 'memory', global: 'global', type: 'type', elem: 'elem', data: 'data',
};
const VALTYPE_NAMES = new Set(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref']);
const BLOCK_OPS = new Set(['block', 'loop', 'if']);

function isIndexToken(t: Token): boolean {
  return t.kind === 'id' || (t.kind === 'atom' && /^(?:0x[0-9A-Fa-f_]+|[0-9][0-9_]*)$/.test(t.text));
}
function indexValue(t: string): number {
  const s = t.replace(/_/g, '');
  return s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10);
}

/** Which index spaces the immediates of an instruction refer to, given how many index tokens follow. */
function immediateSpaces(op: OpInfo, count: number): Space[] {
  switch (op.imm) {
    case Imm.Local: return ['local'];
    case Imm.Global: return ['global'];
    case Imm.Func: return ['func'];
    case Imm.Label: return ['label'];
    case Imm.BrTable: return Array(Math.max(count, 1)).fill('label');
    case Imm.Table: return ['table'];
    case Imm.Memory: case Imm.MemArg: case Imm.MemArgLane: case Imm.MemFill: return ['memory'];
    case Imm.CallIndirect: return ['table'];
    case Imm.MemInit: return count >= 2 ? ['memory', 'data'] : ['data'];
    case Imm.Data: return ['data'];
    case Imm.MemCopy: return ['memory', 'memory'];
    case Imm.TableInit: return count >= 2 ? ['table', 'elem'] : ['elem'];
    case Imm.Elem: return ['elem'];
    case Imm.TableCopy: return ['table', 'table'];
    default: return [];
  }
}

class Analyzer {
  readonly defs: SymbolDef[] = [];
  readonly refs: SymbolRef[] = [];
  readonly exports: ExportInfo[] = [];
  readonly instrs: { start: number; end: number; op: OpInfo }[] = [];
  private readonly counts = new Map<Space, number>();
  private func: SymbolDef | null = null;
  private localCount = 0;
  private labels: SymbolDef[] = [];
  private module = 0;
  private readonly refModule = new Map<SymbolRef, number>();

  constructor(readonly text: string) {}

  run(root: SNode): void {
    // A file is either `(module ...)` forms, bare module fields, or a .wast script of commands.
    for (const item of root.items) if (isNode(item)) this.topLevel(item);
    this.resolve();
  }

  private topLevel(n: SNode): void {
    if (n.head === 'module') {
      if (this.defs.length || this.refs.length) { this.module++; this.counts.clear(); }
      for (const f of n.items) if (isNode(f)) this.field(f);
    } else if (n.head !== null && n.head in MODULE_SPACES || n.head === 'import' || n.head === 'export' || n.head === 'start') {
      this.field(n);
    } else {
      // .wast commands: look for nested modules
      for (const f of n.items) if (isNode(f) && f.head === 'module') this.topLevel(f);
    }
  }

  private next(space: Space): number {
    const k = this.counts.get(space) ?? 0;
    this.counts.set(space, k + 1);
    return k;
  }

  private addDef(space: Space, n: SNode, nameTok: Token | null, keyword: Token, imported: boolean, scope: SymbolDef | null, index: number): SymbolDef {
    const def: SymbolDef = {
      space, name: nameTok ? nameTok.text : null, index,
      nameStart: (nameTok ?? keyword).start, nameEnd: (nameTok ?? keyword).end,
      start: n.start, end: n.end, scope, imported, module: this.module, detail: headerText(this.text, n),
    };
    this.defs.push(def);
    return def;
  }

  private addRef(space: Space, t: Token, scope: SymbolDef | null = null): SymbolRef {
    const r: SymbolRef = { space, text: t.text, start: t.start, end: t.end, scope, def: null };
    this.refs.push(r);
    this.refModule.set(r, this.module);
    return r;
  }

  /** A module field. */
  private field(n: SNode): void {
    const head = n.head;
    const kw = n.items[0] as Token;
    if (head === null) return;
    if (head === 'import') {
      // (import "m" "n" (func $f typeuse)) etc.
      for (const d of n.items) if (isNode(d) && d.head !== null && d.head in MODULE_SPACES) this.definition(d, true);
      return;
    }
    if (head === 'export') {
      const name = n.items.find(x => !isNode(x) && x.kind === 'string') as Token | undefined;
      const desc = n.items.find(x => isNode(x)) as SNode | undefined;
      let target: SymbolRef | null = null;
      let space: Space = 'func';
      if (desc && desc.head && desc.head in MODULE_SPACES) {
        space = MODULE_SPACES[desc.head];
        const idx = desc.items.find(x => !isNode(x) && isIndexToken(x)) as Token | undefined;
        if (idx) target = this.addRef(space, idx);
      }
      if (name) this.exports.push({ name: unquote(name.text), space, start: n.start, end: n.end, target });
      return;
    }
    if (head === 'start') {
      const idx = n.items.find(x => !isNode(x) && isIndexToken(x)) as Token | undefined;
      if (idx) this.addRef('func', idx);
      return;
    }
    if (head in MODULE_SPACES) { this.definition(n, false); return; }
    void kw;
  }

  /** A func/table/memory/global/type/elem/data definition (or an imported one). */
  private definition(n: SNode, imported: boolean): void {
    const space = MODULE_SPACES[n.head!];
    const kw = n.items[0] as Token;
    const second = n.items[1];
    const nameTok = second && !isNode(second) && second.kind === 'id' ? second : null;
    // inline (import ...) marks it imported; inline (export "x") are exports of this definition
    const isImported = imported || n.items.some(x => isNode(x) && x.head === 'import');
    const def = this.addDef(space, n, nameTok, kw, isImported, null, this.next(space));
    for (const x of n.items) {
      if (isNode(x) && x.head === 'export') {
        const s = x.items.find(y => !isNode(y) && y.kind === 'string') as Token | undefined;
        if (s) this.exports.push({ name: unquote(s.text), space, start: x.start, end: x.end, target: { space, text: def.name ?? String(def.index), start: def.nameStart, end: def.nameEnd, scope: null, def } });
      }
    }
    const rest = n.items.slice(nameTok ? 2 : 1);
    switch (space) {
      case 'func': this.funcBody(def, rest); break;
      case 'type': {
        const fn = rest.find(x => isNode(x) && x.head === 'func') as SNode | undefined;
        if (fn) def.paramCount = countTypes(fn.items.filter(isNode).filter(p => p.head === 'param'));
        break;
      }
      case 'global': case 'table': case 'memory': case 'data': case 'elem':
        this.moduleExprs(space, rest);
        break;
    }
  }

  /** Constant expressions, element lists and (memory $m)/(table $t) uses of non-function fields. */
  private moduleExprs(space: Space, items: (SNode | Token)[]): void {
    let afterFuncKeyword = false;
    let sawOffset = false;
    for (const x of items) {
      if (isNode(x)) {
        if (x.head === 'memory' && space === 'data' || x.head === 'table' && space === 'elem') {
          const idx = x.items.find(y => !isNode(y) && isIndexToken(y)) as Token | undefined;
          if (idx) this.addRef(x.head === 'memory' ? 'memory' : 'table', idx);
        } else if (x.head === 'offset' || x.head === 'item') {
          this.instructions(x.items.slice(1));
          sawOffset = true;
        } else if (x.head === 'elem' && space === 'table') {
          // (table funcref (elem $f $g)) inline segment
          for (const y of x.items.slice(1)) if (!isNode(y) && isIndexToken(y)) this.addRef('func', y);
          this.instructions(x.items.slice(1).filter(isNode));
        } else if (x.head !== 'export' && x.head !== 'import' && x.head !== 'mut' && x.head !== 'ref') {
          // a folded instruction: constant expression or offset abbreviation
          this.instructions([x]);
          sawOffset = true;
        }
      } else if (x.kind === 'atom' && x.text === 'func') {
        afterFuncKeyword = true;
      } else if (space === 'elem' && isIndexToken(x) && (afterFuncKeyword || sawOffset)) {
        this.addRef('func', x);
      } else if (space === 'global' && x.kind === 'atom' && opByName(x.text)) {
        this.instructions([x]);
      }
    }
  }

  private funcBody(def: SymbolDef, items: (SNode | Token)[]): void {
    this.func = def;
    this.localCount = 0;
    this.labels = [];
    let params = 0;
    let sawParams = false;
    let bodyStart = items.length;
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      if (!isNode(x)) { bodyStart = i; break; }
      if (x.head === 'type') {
        const idx = x.items.find(y => !isNode(y) && isIndexToken(y)) as Token | undefined;
        if (idx) { this.addRef('type', idx); def.typeRef = idx.text; }
      } else if (x.head === 'param' || x.head === 'local') {
        const kwTok = x.items[0] as Token;
        const nm = x.items[1];
        if (nm && !isNode(nm) && nm.kind === 'id') {
          if (x.head === 'local' && !sawParams) { sawParams = true; this.localCount = Math.max(this.localCount, params); }
          this.addDef('local', x, nm, kwTok, false, def, this.localCount++);
          if (x.head === 'param') params++;
        } else {
          if (x.head === 'local' && !sawParams) { sawParams = true; this.localCount = Math.max(this.localCount, params); }
          const k = countTypes([x]);
          for (let j = 0; j < k; j++) this.addDef('local', x, null, kwTok, false, def, this.localCount++);
          if (x.head === 'param') params += k;
        }
      } else if (x.head === 'export' || x.head === 'import' || x.head === 'result') {
        continue;
      } else { bodyStart = i; break; }
    }
    def.paramCount = params;
    this.instructions(items.slice(bodyStart));
    this.func = null;
  }

  /** A sequence of instructions, flat or folded. */
  private instructions(items: (SNode | Token)[]): void {
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      if (isNode(x)) { this.folded(x); continue; }
      if (x.kind !== 'atom') continue;
      i = this.plain(items, i);
    }
  }

  /** A plain instruction at items[i] (with its immediates); returns the index of its last token. */
  private plain(items: (SNode | Token)[], i: number): number {
    const t = items[i] as Token;
    if (t.text === 'end') {
      const lbl = items[i + 1];
      if (lbl && !isNode(lbl) && lbl.kind === 'id') { this.labelRef(lbl, true); i++; }
      this.labels.pop();
      return i;
    }
    if (t.text === 'else' || t.text === 'then') {
      const lbl = items[i + 1];
      if (lbl && !isNode(lbl) && lbl.kind === 'id') { this.labelRef(lbl, true); i++; }
      return i;
    }
    const op = opByName(t.text);
    if (!op) return i;
    this.instrs.push({ start: t.start, end: t.end, op });
    if (BLOCK_OPS.has(t.text)) {
      const lbl = items[i + 1];
      const named = lbl && !isNode(lbl) && lbl.kind === 'id' ? lbl : null;
      this.pushLabel(named, t, items, i);
      if (named) i++;
      // block type (type $t) use
      const bt = items[i + 1];
      if (bt && isNode(bt) && bt.head === 'type') {
        const idx = bt.items.find(y => !isNode(y) && isIndexToken(y)) as Token | undefined;
        if (idx) this.addRef('type', idx);
      }
      return i;
    }
    // immediates: consecutive index tokens (ids or plain integers) after the instruction
    let j = i + 1;
    const imms: Token[] = [];
    const wantsIndex = immediateSpaces(op, 0).length > 0;
    if (wantsIndex) {
      while (j < items.length) {
        const y = items[j];
        if (isNode(y)) {
          if ((op.imm === Imm.CallIndirect) && y.head === 'type') {
            const idx = y.items.find(z => !isNode(z) && isIndexToken(z)) as Token | undefined;
            if (idx) this.addRef('type', idx);
            j++;
            continue;
          }
          break;
        }
        if (!isIndexToken(y)) {
          // memarg keywords (offset=, align=) may follow a memory index; stop at anything else
          if (y.kind === 'atom' && /^(offset|align)=/.test(y.text)) { j++; continue; }
          break;
        }
        // only ids count as memory indices of loads/stores (a plain number would be the lane index)
        if ((op.imm === Imm.MemArg || op.imm === Imm.MemArgLane) && y.kind !== 'id') break;
        imms.push(y);
        j++;
        if (op.imm !== Imm.BrTable && imms.length >= 2) break;
      }
      const spaces = immediateSpaces(op, imms.length);
      imms.forEach((tok, k) => {
        const sp = spaces[Math.min(k, spaces.length - 1)];
        if (sp === 'label') this.labelRef(tok, false);
        else this.addRef(sp, tok, sp === 'local' ? this.func : null);
      });
      return Math.max(i, i + imms.length);
    }
    return i;
  }

  private folded(n: SNode): void {
    const head = n.items[0];
    if (!head || isNode(head)) { this.instructions(n.items); return; }
    if (head.text === 'then' || head.text === 'else') { this.instructions(n.items.slice(1)); return; }
    const op = opByName(head.text);
    if (!op) { this.instructions(n.items.slice(1)); return; }
    const depth = this.labels.length;
    if (BLOCK_OPS.has(head.text)) {
      this.instrs.push({ start: head.start, end: head.end, op });
      const lbl = n.items[1];
      const named = lbl && !isNode(lbl) && lbl.kind === 'id' ? lbl : null;
      this.pushLabel(named, head, n.items, 0, n);
      const body: (SNode | Token)[] = [];
      for (const x of n.items.slice(named ? 2 : 1)) {
        if (isNode(x) && x.head === 'type') {
          const idx = x.items.find(y => !isNode(y) && isIndexToken(y)) as Token | undefined;
          if (idx) this.addRef('type', idx);
        } else if (!(isNode(x) && (x.head === 'param' || x.head === 'result'))) {
          body.push(x); // folded operands/branches and flat instructions inside the folded block
        }
      }
      this.instructions(body);
      this.labels.length = depth;
      return;
    }
    // (op immediates... operands...)
    const last = this.plain(n.items, 0);
    this.instructions(n.items.slice(last + 1));
    this.labels.length = Math.min(this.labels.length, depth);
  }

  private pushLabel(named: Token | null, kw: Token, _items: (SNode | Token)[], _i: number, node?: SNode): void {
    const n: SNode = node ?? { start: kw.start, end: kw.end, items: [], head: kw.text };
    const def: SymbolDef = {
      space: 'label', name: named ? named.text : null, index: -1,
      nameStart: (named ?? kw).start, nameEnd: (named ?? kw).end, start: n.start, end: n.end,
      scope: this.func, imported: false, module: this.module, detail: `${kw.text}${named ? ' ' + named.text : ''}`,
    };
    if (named) this.defs.push(def);
    this.labels.push(def);
  }

  /** A label reference resolves now, against the labels in scope (innermost first). */
  private labelRef(tok: Token, restatement: boolean): void {
    const r = this.addRef('label', tok, this.func);
    const stack = this.labels;
    if (tok.kind === 'id') {
      for (let k = stack.length - 1; k >= 0; k--) if (stack[k].name === tok.text) { r.def = stack[k]; break; }
    } else if (!restatement) {
      const depth = indexValue(tok.text);
      const target = stack[stack.length - 1 - depth];
      if (target && target.name !== null) r.def = target;
    }
  }

  /** Resolves every non-label reference against the definitions of its space (and scope). */
  private resolve(): void {
    // A function typed only by `(type $t)` has the type's parameters first in its locals.
    for (const f of this.defs) {
      if (f.space !== 'func' || f.typeRef === undefined || f.paramCount !== 0) continue;
      const t = this.defs.find(d => d.space === 'type' && d.module === f.module
        && (f.typeRef!.startsWith('$') ? d.name === f.typeRef : d.index === indexValue(f.typeRef!)));
      if (!t?.paramCount) continue;
      f.paramCount = t.paramCount;
      for (const d of this.defs) if (d.space === 'local' && d.scope === f) d.index += t.paramCount;
    }
    const byName = new Map<string, SymbolDef>();
    const byIndex = new Map<string, SymbolDef>();
    const key = (m: number, space: Space, scope: SymbolDef | null, k: string): string => `${m}|${space}|${scope ? scope.nameStart : -1}|${k}`;
    for (const d of this.defs) {
      if (d.space === 'label') continue;
      const kn = key(d.module, d.space, d.scope, d.name ?? '');
      if (d.name !== null && !byName.has(kn)) byName.set(kn, d);
      if (d.index >= 0) byIndex.set(key(d.module, d.space, d.scope, String(d.index)), d);
    }
    for (const r of this.refs) {
      if (r.space === 'label' || r.def) continue;
      const m = this.refModule.get(r) ?? 0;
      r.def = r.text.startsWith('$')
        ? byName.get(key(m, r.space, r.scope, r.text)) ?? null
        : byIndex.get(key(m, r.space, r.scope, String(indexValue(r.text)))) ?? null;
    }
  }
}

function countTypes(nodes: SNode[]): number {
  let k = 0;
  for (const p of nodes) {
    const named = p.items[1] && !isNode(p.items[1]) && (p.items[1] as Token).kind === 'id';
    if (named) { k++; continue; }
    for (const x of p.items.slice(1)) if (isNode(x) || VALTYPE_NAMES.has(x.text)) k++;
  }
  return k;
}

function unquote(s: string): string {
  return s.length >= 2 && s.endsWith('"') ? s.slice(1, -1) : s.slice(1);
}

/** The defining form's text up to its first nested body (one line, collapsed whitespace). */
function headerText(text: string, n: SNode): string {
  let end = n.end;
  for (const x of n.items) {
    if (isNode(x) && !['param', 'result', 'type', 'export', 'import', 'mut', 'local'].includes(x.head ?? '')) { end = x.start; break; }
    if (!isNode(x) && x.kind === 'atom' && opByName(x.text)) { end = x.start; break; }
  }
  let s = text.slice(n.start, end).replace(/\(;[\s\S]*?;\)|;;[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  if (end !== n.end) s += ' …';
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
}

export function analyze(text: string): WatAnalysis {
  const a = new Analyzer(text);
  a.run(readTree(text));
  return { text, defs: a.defs, refs: a.refs, exports: a.exports, instrs: a.instrs };
}

// ---- Queries -------------------------------------------------------------------------------------

/** The definition a position refers to: the definition itself when on a `$name` definition. */
export function definitionAt(an: WatAnalysis, offset: number): SymbolDef | null {
  for (const r of an.refs) if (r.start <= offset && offset <= r.end) return r.def;
  for (const d of an.defs) if (d.name !== null && d.nameStart <= offset && offset <= d.nameEnd) return d;
  return null;
}

/** Every occurrence (definition first, then references in text order) of the symbol at `offset`. */
export function referencesAt(an: WatAnalysis, offset: number, includeDeclaration = true): { start: number; end: number }[] {
  const def = definitionAt(an, offset);
  if (!def) return [];
  const out: { start: number; end: number }[] = [];
  if (includeDeclaration && def.name !== null) out.push({ start: def.nameStart, end: def.nameEnd });
  for (const r of an.refs) if (r.def === def) out.push({ start: r.start, end: r.end });
  return out;
}

export type DocSymbolKind = 'function' | 'global' | 'type' | 'memory' | 'table' | 'export' | 'elem' | 'data';
export interface DocSymbol { name: string; kind: DocSymbolKind; detail: string; start: number; end: number; selStart: number; selEnd: number }

/** Module-level symbols in text order: functions, globals, types, memories, tables, element and data
 *  segments (named by `$name` or `kind[index]`), and exports (by their string name). */
export function documentSymbols(an: WatAnalysis): DocSymbol[] {
  const out: DocSymbol[] = [];
  const kinds: Partial<Record<Space, DocSymbolKind>> = {
    func: 'function', global: 'global', type: 'type', memory: 'memory', table: 'table', elem: 'elem', data: 'data',
  };
  for (const d of an.defs) {
    const kind = kinds[d.space];
    if (!kind) continue;
    out.push({
      name: d.name ?? `${d.space}[${d.index}]`, kind, detail: (d.imported ? 'imported ' : '') + d.detail,
      start: d.start, end: d.end, selStart: d.nameStart, selEnd: d.nameEnd,
    });
  }
  for (const e of an.exports) {
    out.push({
      name: `"${e.name}"`, kind: 'export', detail: `export ${e.space} ${e.target?.def?.name ?? e.target?.text ?? ''}`.trim(),
      start: e.start, end: e.end, selStart: e.start, selEnd: e.end,
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

// ---- Hover ---------------------------------------------------------------------------------------

/** The instruction token at `offset`, if any. */
export function instructionAt(an: WatAnalysis, offset: number): { start: number; end: number; op: OpInfo } | null {
  for (const i of an.instrs) if (i.start <= offset && offset <= i.end) return i;
  // Instructions outside any function (e.g. in a half-typed file) still get hovers.
  const m = wordAt(an.text, offset);
  if (m) {
    const op = opByName(m.word);
    if (op) return { start: m.start, end: m.end, op };
    if (m.word === 'select') return { start: m.start, end: m.end, op: opByName('select')! };
  }
  return null;
}

export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | null {
  let s = offset, e = offset;
  while (s > 0 && IDCHAR_RE.test(text[s - 1])) s--;
  while (e < text.length && IDCHAR_RE.test(text[e])) e++;
  return e > s ? { word: text.slice(s, e), start: s, end: e } : null;
}

/** Hover text (Markdown) for a position: an instruction's signature and description, or a symbol's
 *  definition. */
export function hoverAt(an: WatAnalysis, offset: number): { start: number; end: number; markdown: string } | null {
  const ins = instructionAt(an, offset);
  if (ins) return { start: ins.start, end: ins.end, markdown: instructionDoc(ins.op) };
  const def = definitionAt(an, offset);
  if (def) {
    const ref = an.refs.find(r => r.start <= offset && offset <= r.end);
    const where = ref ?? { start: def.nameStart, end: def.nameEnd };
    const what = def.space === 'local' ? (def.detail.startsWith('(param') ? 'parameter' : 'local') : def.space;
    const idx = def.index >= 0 ? ` ${def.index}` : '';
    return { start: where.start, end: where.end, markdown: `**${what}${idx}** \`${def.name ?? ''}\`\n\n\`\`\`wat\n${def.detail}\n\`\`\`` };
  }
  return null;
}

/** Markdown documentation of an instruction: signature, encoding and a one-line description. */
export function instructionDoc(op: OpInfo): string {
  const name = textName(op);
  const sig = instructionSignature(op);
  const enc = op.prefix === 0 ? `0x${hex2(op.code)}` : `0x${hex2(op.prefix)} ${op.code}`;
  const lines = [`\`\`\`wat\n${name}${immediateText(op)}${sig ? ` : ${sig}` : ''}\n\`\`\``, describeInstruction(name)];
  if (op.align >= 0) lines.push(`Accesses ${op.width} byte${op.width === 1 ? '' : 's'}; natural alignment ${1 << op.align} (align= at most ${1 << op.align}).`);
  lines.push(`Encoding: \`${enc}\``);
  return lines.join('\n\n');
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** `[params] -> [results]` from the opcode table, or a hand-written one for instructions the table
 *  types by hand (null params). */
export function instructionSignature(op: OpInfo): string {
  if (op.params && op.results) return `[${op.params.join(' ')}] -> [${op.results.join(' ')}]`;
  const special: Record<string, string> = {
    unreachable: '[t1*] -> [t2*]', block: '[t1*] -> [t2*]', loop: '[t1*] -> [t2*]', if: '[t1* i32] -> [t2*]',
    else: '', end: '', br: '[t1* t*] -> [t2*]', br_if: '[t* i32] -> [t*]', br_table: '[t1* t* i32] -> [t2*]',
    return: '[t1* t*] -> [t2*]', call: '[t1*] -> [t2*]', call_indirect: '[t1* i32] -> [t2*]',
    return_call: '[t3* t1*] -> [t4*]', return_call_indirect: '[t3* t1* i32] -> [t4*]',
    drop: '[t] -> []', select: '[t t i32] -> [t]', select_t: '[t t i32] -> [t]',
    'local.get': '[] -> [t]', 'local.set': '[t] -> []', 'local.tee': '[t] -> [t]',
    'global.get': '[] -> [t]', 'global.set': '[t] -> []',
    'table.get': '[i32] -> [ref]', 'table.set': '[i32 ref] -> []',
    'ref.null': '[] -> [ref]', 'ref.is_null': '[ref] -> [i32]', 'ref.func': '[] -> [funcref]',
    'table.init': '[i32 i32 i32] -> []', 'elem.drop': '[] -> []', 'table.copy': '[i32 i32 i32] -> []',
    'table.grow': '[ref i32] -> [i32]', 'table.size': '[] -> [i32]', 'table.fill': '[i32 ref i32] -> []',
  };
  return special[op.name] ?? '';
}

function immediateText(op: OpInfo): string {
  switch (op.imm) {
    case Imm.BlockType: return ' label? blocktype';
    case Imm.Label: return ' label';
    case Imm.BrTable: return ' label* label';
    case Imm.Func: return ' funcidx';
    case Imm.CallIndirect: return ' tableidx? typeuse';
    case Imm.Local: return ' localidx';
    case Imm.Global: return ' globalidx';
    case Imm.Table: return ' tableidx?';
    case Imm.Memory: return ' memidx?';
    case Imm.MemArg: return ' memidx? offset=? align=?';
    case Imm.MemArgLane: return ' memidx? offset=? align=? laneidx';
    case Imm.I32: return ' i32';
    case Imm.I64: return ' i64';
    case Imm.F32: return ' f32';
    case Imm.F64: return ' f64';
    case Imm.V128: return ' shape lanes';
    case Imm.Lane: return ' laneidx';
    case Imm.Shuffle: return ' laneidx×16';
    case Imm.RefType: return ' heaptype';
    case Imm.SelectT: return ' (result t)';
    case Imm.MemInit: return ' memidx? dataidx';
    case Imm.Data: return ' dataidx';
    case Imm.MemCopy: return ' memidx? memidx?';
    case Imm.MemFill: return ' memidx?';
    case Imm.TableInit: return ' tableidx? elemidx';
    case Imm.Elem: return ' elemidx';
    case Imm.TableCopy: return ' tableidx? tableidx?';
    default: return '';
  }
}

const EXACT: Record<string, string> = {
  unreachable: 'Traps unconditionally.',
  nop: 'Does nothing.',
  block: 'Begins a block; a branch to its label jumps to its end.',
  loop: 'Begins a loop; a branch to its label jumps back to its start.',
  if: 'Pops an i32 and runs the then-branch if it is non-zero, else the else-branch.',
  else: 'Starts the else-branch of an if.',
  end: 'Ends a block, loop, if or function body.',
  br: 'Branches unconditionally to a label (out of a block, or back to a loop\'s start).',
  br_if: 'Pops an i32 and branches to a label if it is non-zero.',
  br_table: 'Pops an i32 index and branches to the label it selects, or to the default (last) label when out of range.',
  return: 'Returns from the current function.',
  call: 'Calls a function by index.',
  call_indirect: 'Pops a table index and calls the function stored there, trapping unless its type matches.',
  return_call: 'Tail call: calls a function and returns its results, replacing the current frame.',
  return_call_indirect: 'Tail call through a table, replacing the current frame.',
  drop: 'Discards the top operand.',
  select: 'Pops a condition and two values; pushes the first if the condition is non-zero, else the second.',
  'local.get': 'Pushes the value of a local variable or parameter.',
  'local.set': 'Pops a value into a local variable or parameter.',
  'local.tee': 'Stores the top operand into a local, leaving it on the stack.',
  'global.get': 'Pushes the value of a global.',
  'global.set': 'Pops a value into a mutable global.',
  'table.get': 'Pushes the reference stored at an index of a table.',
  'table.set': 'Stores a reference at an index of a table.',
  'table.size': 'Pushes the current number of elements of a table.',
  'table.grow': 'Grows a table by n elements filled with a value; pushes the old size, or -1 on failure.',
  'table.fill': 'Sets a range of table elements to one reference.',
  'table.copy': 'Copies a range of elements between tables (ranges may overlap).',
  'table.init': 'Copies a range of a passive element segment into a table.',
  'elem.drop': 'Drops a passive element segment (it becomes empty).',
  'memory.size': 'Pushes the current memory size in 64 KiB pages.',
  'memory.grow': 'Grows memory by n pages; pushes the old size in pages, or -1 on failure.',
  'memory.fill': 'Sets a range of memory bytes to one value.',
  'memory.copy': 'Copies a range of memory bytes (ranges may overlap).',
  'memory.init': 'Copies a range of a passive data segment into memory.',
  'data.drop': 'Drops a passive data segment (it becomes empty).',
  'ref.null': 'Pushes a null reference of the given heap type.',
  'ref.is_null': 'Pops a reference; pushes 1 if it is null, else 0.',
  'ref.func': 'Pushes a reference to a function.',
  'v128.const': 'Pushes a 128-bit vector constant.',
  'v128.not': 'Bitwise NOT of a vector.',
  'v128.and': 'Bitwise AND of two vectors.',
  'v128.andnot': 'Bitwise AND of the first vector with the complement of the second.',
  'v128.or': 'Bitwise OR of two vectors.',
  'v128.xor': 'Bitwise XOR of two vectors.',
  'v128.bitselect': 'Selects bits from the first vector where the mask (third) is 1, else from the second.',
  'v128.any_true': 'Pushes 1 if any bit of the vector is set.',
  'i8x16.shuffle': 'Builds a vector from lanes of two vectors chosen by 16 immediate lane indices.',
  'i8x16.swizzle': 'Builds a vector from lanes of the first chosen by the second\'s lanes (0 when out of range).',
  'i16x8.q15mulr_sat_s': 'Lane-wise Q15 fixed-point multiplication with rounding and saturation.',
  'i32x4.dot_i16x8_s': 'Multiplies signed 16-bit lanes and adds adjacent pairs into 32-bit lanes.',
};

const WORDS: Record<string, string> = {
  s: 'signed', u: 'unsigned', eq: 'equal to', ne: 'not equal to', lt: 'less than', gt: 'greater than', le: 'less or equal', ge: 'greater or equal',
};

/** One line about an instruction, by exact name or by family (the part after the type prefix). */
export function describeInstruction(name: string): string {
  if (EXACT[name]) return EXACT[name];
  const dot = name.indexOf('.');
  const prefix = dot < 0 ? '' : name.slice(0, dot);
  const op = dot < 0 ? name : name.slice(dot + 1);
  const vec = /x\d+$/.test(prefix);
  const lanes = vec ? 'Lane-wise: ' : '';
  const family: [RegExp, string][] = [
    [/^const$/, `Pushes a constant ${prefix}.`],
    [/^load$/, `Loads a ${prefix} from memory at the popped address plus offset.`],
    [/^store$/, `Stores a ${prefix} to memory at the popped address plus offset.`],
    [/^load(8|16|32)_([su])$/, `Loads $1 bits from memory and extends them ($2) to ${prefix}.`],
    [/^store(8|16|32)$/, `Stores the low $1 bits of a ${prefix} to memory.`],
    [/^load(8x8|16x4|32x2)_([su])$/, 'Loads 64 bits and extends each lane to twice its width.'],
    [/^load(8|16|32|64)_splat$/, 'Loads one $1-bit value and replicates it into every lane.'],
    [/^load(32|64)_zero$/, 'Loads a $1-bit value into the lowest lane and zeroes the others.'],
    [/^load(8|16|32|64)_lane$/, 'Loads a $1-bit value into one lane of a vector.'],
    [/^store(8|16|32|64)_lane$/, 'Stores one $1-bit lane of a vector to memory.'],
    [/^eqz$/, 'Pushes 1 if the operand is zero, else 0.'],
    [/^(eq|ne|lt|gt|le|ge)(?:_([su]))?$/, vec
      ? 'Lane-wise: all ones where the first operand is $1 the second ($2), else zero.'
      : 'Pushes 1 if the first operand is $1 the second ($2), else 0.'],
    [/^clz$/, 'Counts leading zero bits.'],
    [/^ctz$/, 'Counts trailing zero bits.'],
    [/^popcnt$/, `${lanes}counts the bits set to 1.`],
    [/^add$/, `${lanes}addition${prefix.startsWith('i') ? ' (wraps around)' : ''}.`],
    [/^sub$/, `${lanes}subtraction${prefix.startsWith('i') ? ' (wraps around)' : ''}.`],
    [/^mul$/, `${lanes}multiplication${prefix.startsWith('i') ? ' (wraps around, low bits)' : ''}.`],
    [/^div_([su])$/, 'Integer division ($1), rounding toward zero; traps on division by zero or signed overflow.'],
    [/^rem_([su])$/, 'Integer remainder ($1); traps on division by zero.'],
    [/^div$/, `${lanes}IEEE 754 division.`],
    [/^(and|or|xor)$/, 'Bitwise $1.'],
    [/^shl$/, `${lanes}shift left (the count is taken modulo the bit width).`],
    [/^shr_([su])$/, `${lanes}shift right, $1 (the count is taken modulo the bit width).`],
    [/^rotl$/, 'Rotates left.'],
    [/^rotr$/, 'Rotates right.'],
    [/^abs$/, `${lanes}absolute value.`],
    [/^neg$/, `${lanes}negation.`],
    [/^(ceil|floor|trunc|nearest)$/, `${lanes}rounds to an integral value ($1).`],
    [/^sqrt$/, `${lanes}square root.`],
    [/^(min|max)(?:_([su]))?$/, `${lanes}$1imum of the two operands ($2).`],
    [/^p(min|max)$/, `${lanes}pseudo-$1imum (b < a ? b : a style, as in C).`],
    [/^copysign$/, 'The first operand with the sign of the second.'],
    [/^wrap_i64$/, 'Keeps the low 32 bits of an i64.'],
    [/^trunc_(f32|f64)_([su])$/, `Converts a $1 to ${prefix} ($2), rounding toward zero; traps on NaN or overflow.`],
    [/^trunc_sat_(f32|f64)_([su])$/, `Converts a $1 to ${prefix} ($2), rounding toward zero and saturating (NaN gives 0).`],
    [/^extend_i32_([su])$/, 'Extends an i32 to an i64 ($1).'],
    [/^extend(8|16|32)_s$/, 'Sign-extends the low $1 bits.'],
    [/^convert_(i32|i64)_([su])$/, `Converts an integer $1 ($2) to ${prefix}, rounding to nearest.`],
    [/^demote_f64$/, 'Rounds an f64 to f32.'],
    [/^promote_f32$/, 'Converts an f32 to f64 exactly.'],
    [/^reinterpret_(\w+)$/, `Reinterprets the bits of a $1 as ${prefix}.`],
    [/^splat$/, `Creates a ${prefix} vector with every lane set to the operand.`],
    [/^extract_lane(?:_([su]))?$/, 'Pushes one lane of the vector (by immediate index).'],
    [/^replace_lane$/, 'Replaces one lane of the vector (by immediate index).'],
    [/^all_true$/, 'Pushes 1 if every lane is non-zero.'],
    [/^bitmask$/, 'Pushes an i32 whose bits are the lanes\' sign bits.'],
    [/^narrow_\w+_([su])$/, 'Narrows two vectors into one with lanes of half the width, saturating ($1).'],
    [/^extend_(low|high)_\w+_([su])$/, 'Extends the $1 half of the lanes to twice their width ($2).'],
    [/^extmul_(low|high)_\w+_([su])$/, 'Multiplies the $1 halves of the lanes, widening ($2).'],
    [/^extadd_pairwise_\w+_([su])$/, 'Adds adjacent lane pairs into lanes of twice the width ($1).'],
    [/^(add|sub)_sat_([su])$/, 'Lane-wise saturating $1 ($2).'],
    [/^avgr_u$/, 'Lane-wise unsigned rounding average.'],
    [/^trunc_sat_f\w+$/, 'Lane-wise saturating conversion of floats to integers.'],
    [/^convert_\w+$/, 'Lane-wise conversion of integers to floats.'],
    [/^demote_f64x2_zero$/, 'Rounds both f64 lanes to f32; the upper two lanes are zero.'],
    [/^promote_low_f32x4$/, 'Converts the low two f32 lanes to f64.'],
  ];
  for (const [re, text] of family) {
    const m = re.exec(op);
    if (m) {
      const line = text.replace(/\$(\d)/g, (_s, k) => {
        const v = m[Number(k)] ?? '';
        return WORDS[v] ?? v;
      }).replace(/ \(\)/g, '');
      return line[0].toUpperCase() + line.slice(1);
    }
  }
  return `${name}.`;
}

/** All instruction names (for completion and tests). */
export function allInstructionNames(): string[] {
  return [...new Set(OPS.map(textName))];
}
