// Parser for the spec testsuite's script language (.wast). Text modules are kept as source slices
// and assembled on demand (`wastModuleBinary`), so a runner can observe ParseErrors per command
// (assert_malformed with `module quote`, and text modules that must assemble but fail validation).

import { ParseError } from '../core/errors';
import { ValType } from '../core/types';
import { WasmValue, f32Bits, f32Value, f64Bits, f64Value, formatValue, i32, i64 } from '../runtime/values';
import { assembleWat, encodeV128 } from './assembler';
import { LineIndex, Tok, Tokens, stringBytes, tokenize } from './lexer';
import { OutOfRange, parseF32, parseF64, parseIntN } from './numbers';

// Token kinds as module-local constants (cross-module const enum access is a getter call in CJS).
const T_LPAREN = 1 as Tok, T_RPAREN = 2 as Tok, T_ATOM = 3 as Tok, T_ID = 4 as Tok, T_STRING = 5 as Tok, T_EOF = 6 as Tok;

export type WastModule =
  /** A `(module ...)` in the text format: `text` is its source (from `(module` to the closing paren),
   *  starting at 0-based `offset`, 1-based `line`/`column` of the .wast file. */
  | { kind: 'text'; name: string | null; text: string; offset: number; line: number; column: number }
  /** `(module binary "...")`: the concatenated bytes. */
  | { kind: 'binary'; name: string | null; bytes: Uint8Array; line: number }
  /** `(module quote "...")`: the concatenated strings, as bytes (they need not be valid UTF-8). */
  | { kind: 'quote'; name: string | null; source: Uint8Array; line: number };

export type WastAction =
  | { kind: 'invoke'; module: string | null; field: string; args: WasmValue[] }
  | { kind: 'get'; module: string | null; field: string };

export type WastLanePattern =
  | { kind: 'bits'; bits: bigint }
  | { kind: 'nan'; nan: 'canonical' | 'arithmetic' };

export type WastPattern =
  /** Exact value (floats compare by bits). */
  | { kind: 'value'; value: WasmValue }
  | { kind: 'nan'; type: ValType.F32 | ValType.F64; nan: 'canonical' | 'arithmetic' }
  /** v128 with a lane shape, each lane exact bits or a NaN class. */
  | { kind: 'v128'; shape: string; lanes: WastLanePattern[] }
  | { kind: 'refNull'; type: ValType.FuncRef | ValType.ExternRef | null }
  /** `ref.extern N` (host reference N), or any non-null extern reference when `value` is null. */
  | { kind: 'refExtern'; value: number | null }
  /** `ref.func`: any non-null function reference. */
  | { kind: 'refFunc' }
  | { kind: 'either'; options: WastPattern[] };

interface Base { line: number }
export type WastCommand =
  | Base & { type: 'module'; module: WastModule }
  | Base & { type: 'register'; as: string; name: string | null }
  | Base & { type: 'action'; action: WastAction }
  | Base & { type: 'assert_return'; action: WastAction; expected: WastPattern[] }
  | Base & { type: 'assert_trap'; action: WastAction; message: string }
  | Base & { type: 'assert_trap_module'; module: WastModule; message: string }
  | Base & { type: 'assert_exhaustion'; action: WastAction; message: string }
  | Base & { type: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'; module: WastModule; message: string };

/** The binary of a script module: assembles text/quote modules (throws ParseError, with positions
 *  in the .wast file for text modules) or returns binary bytes. `names` defaults to true. */
export function wastModuleBinary(m: WastModule, names = true): Uint8Array {
  switch (m.kind) {
    case 'binary': return m.bytes;
    case 'quote': {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(m.source);
      } catch {
        throw new ParseError('malformed UTF-8 encoding', 0, 1, 1);
      }
      return assembleWat(text, { names }).binary;
    }
    case 'text':
      try {
        return assembleWat(m.text, { names }).binary;
      } catch (e) {
        if (e instanceof ParseError) {
          const line = m.line + e.line - 1;
          const column = e.line === 1 ? m.column + e.column - 1 : e.column;
          throw new ParseError(e.message, e.offset + m.offset, line, column, e.endOffset + m.offset);
        }
        throw e;
      }
  }
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data']);

class WastParser {
  pos = 0;
  constructor(readonly text: string, readonly t: Tokens, readonly lines: LineIndex) {}
  kind(i = this.pos): Tok { return this.t.kind[i] as Tok; }
  str(i = this.pos): string { return this.text.slice(this.t.start[i], this.t.end[i]); }
  isAtom(kw: string, i = this.pos): boolean { return this.kind(i) === T_ATOM && this.str(i) === kw; }
  peekForm(kw: string): boolean { return this.kind() === T_LPAREN && this.isAtom(kw, this.pos + 1); }
  err(msg: string, i = this.pos): ParseError {
    return this.lines.error(msg, this.t.start[i], this.t.end[i]);
  }
  expect(k: Tok): number {
    if (this.kind() !== k) throw this.err(this.kind() === T_EOF ? 'unexpected end' : 'unexpected token');
    return this.pos++;
  }
  keyword(kw: string): void {
    if (!this.isAtom(kw)) throw this.err('unexpected token');
    this.pos++;
  }
  bytes(): Uint8Array {
    const i = this.expect(T_STRING);
    return stringBytes(this.text, this.t.start[i], this.t.end[i], this.lines);
  }
  string(): string { return decoder.decode(this.bytes()); }
  optId(): string | null { return this.kind() === T_ID ? this.str(this.pos++) : null; }
  line(i = this.pos): number { return this.lines.line(this.t.start[i]); }
  skipToClose(): void {
    let depth = 0;
    for (;;) {
      const k = this.kind();
      if (k === T_EOF) throw this.err('unexpected end');
      if (k === T_LPAREN) depth++;
      else if (k === T_RPAREN) { if (depth === 0) return; depth--; }
      this.pos++;
    }
  }

  commands(): WastCommand[] {
    const out: WastCommand[] = [];
    // a script that starts with a module field is one inline module (the fields of an implicit module)
    if (this.kind() === T_LPAREN && this.kind(1) === T_ATOM && MODULE_FIELDS.has(this.str(1))) {
      return [{ type: 'module', line: this.line(), module: { kind: 'text', name: null, text: this.text, offset: 0, line: 1, column: 1 } }];
    }
    while (this.kind() !== T_EOF) out.push(this.command());
    return out;
  }

  command(): WastCommand {
    const line = this.line();
    if (this.peekForm('module')) return { type: 'module', line, module: this.module() };
    this.expect(T_LPAREN);
    if (this.kind() !== T_ATOM) throw this.err('unexpected token');
    const kw = this.str();
    let cmd: WastCommand;
    switch (kw) {
      case 'register': {
        this.pos++;
        const as = this.string();
        cmd = { type: 'register', line, as, name: this.optId() };
        break;
      }
      case 'invoke': case 'get':
        this.pos--;
        return { type: 'action', line, action: this.action() };
      case 'assert_return': {
        this.pos++;
        const action = this.action();
        const expected: WastPattern[] = [];
        while (this.kind() === T_LPAREN) expected.push(this.pattern());
        cmd = { type: 'assert_return', line, action, expected };
        break;
      }
      case 'assert_trap': {
        this.pos++;
        if (this.peekForm('module')) {
          const module = this.module();
          cmd = { type: 'assert_trap_module', line, module, message: this.string() };
        } else {
          const action = this.action();
          cmd = { type: 'assert_trap', line, action, message: this.string() };
        }
        break;
      }
      case 'assert_exhaustion': {
        this.pos++;
        const action = this.action();
        cmd = { type: 'assert_exhaustion', line, action, message: this.string() };
        break;
      }
      case 'assert_invalid': case 'assert_malformed': case 'assert_unlinkable': case 'assert_uninstantiable': {
        this.pos++;
        const module = this.module();
        cmd = { type: kw, line, module, message: this.string() };
        break;
      }
      default:
        throw this.err(`unknown command ${kw}`);
    }
    this.expect(T_RPAREN);
    return cmd;
  }

  module(): WastModule {
    const open = this.pos;
    const line = this.line();
    this.expect(T_LPAREN);
    this.keyword('module');
    const name = this.optId();
    if (this.isAtom('binary') || this.isAtom('quote')) {
      const quote = this.isAtom('quote');
      this.pos++;
      const parts: Uint8Array[] = [];
      while (this.kind() === T_STRING) parts.push(this.bytes());
      this.expect(T_RPAREN);
      if (quote) {
        const n = parts.reduce((s, p) => s + p.length + 1, 0);
        const source = new Uint8Array(Math.max(0, n - 1));
        let o = 0;
        parts.forEach((p, k) => { if (k) source[o++] = 0x20; source.set(p, o); o += p.length; });
        return { kind: 'quote', name, source, line };
      }
      const n = parts.reduce((s, p) => s + p.length, 0);
      const bytes = new Uint8Array(n);
      let o = 0;
      for (const p of parts) { bytes.set(p, o); o += p.length; }
      return { kind: 'binary', name, bytes, line };
    }
    this.skipToClose();
    const close = this.pos++;
    const offset = this.t.start[open];
    return {
      kind: 'text', name, text: this.text.slice(offset, this.t.end[close]), offset, line,
      column: this.lines.column(offset),
    };
  }

  action(): WastAction {
    this.expect(T_LPAREN);
    if (this.isAtom('invoke')) {
      this.pos++;
      const module = this.optId();
      const field = this.string();
      const args: WasmValue[] = [];
      while (this.kind() === T_LPAREN) args.push(this.constant());
      this.expect(T_RPAREN);
      return { kind: 'invoke', module, field, args };
    }
    if (this.isAtom('get')) {
      this.pos++;
      const module = this.optId();
      const field = this.string();
      this.expect(T_RPAREN);
      return { kind: 'get', module, field };
    }
    throw this.err('unexpected token');
  }

  num<T>(f: (s: string) => T | null): T {
    if (this.kind() !== T_ATOM) throw this.err('unexpected token');
    let v: T | null;
    try { v = f(this.str()); } catch (e) {
      if (e instanceof OutOfRange) throw this.err('constant out of range');
      throw e;
    }
    if (v === null) throw this.err('unexpected token');
    this.pos++;
    return v;
  }

  constant(): WasmValue {
    const p = this.pattern(false);
    if (p.kind === 'value') return p.value;
    throw this.err('unexpected token');
  }

  /** A result pattern (or, with allowPatterns false, a constant). */
  pattern(allowPatterns = true): WastPattern {
    const open = this.pos;
    this.expect(T_LPAREN);
    if (this.kind() !== T_ATOM) throw this.err('unexpected token');
    const op = this.str();
    this.pos++;
    let p: WastPattern;
    const nanClass = (): 'canonical' | 'arithmetic' | null => {
      if (!allowPatterns) return null;
      if (this.isAtom('nan:canonical')) { this.pos++; return 'canonical'; }
      if (this.isAtom('nan:arithmetic')) { this.pos++; return 'arithmetic'; }
      return null;
    };
    switch (op) {
      case 'i32.const': p = { kind: 'value', value: i32(Number(BigInt.asIntN(32, this.num((s) => parseIntN(s, 32))))) }; break;
      case 'i64.const': p = { kind: 'value', value: i64(BigInt.asIntN(64, this.num((s) => parseIntN(s, 64)))) }; break;
      case 'f32.const': {
        const n = nanClass();
        p = n ? { kind: 'nan', type: ValType.F32, nan: n } : { kind: 'value', value: f32Bits(this.num(parseF32)) };
        break;
      }
      case 'f64.const': {
        const n = nanClass();
        p = n ? { kind: 'nan', type: ValType.F64, nan: n } : { kind: 'value', value: f64Bits(this.num(parseF64)) };
        break;
      }
      case 'v128.const': {
        if (this.kind() !== T_ATOM) throw this.err('unexpected token');
        const shape = this.str();
        const count = ({ i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 } as Record<string, number>)[shape];
        if (count === undefined) throw this.err('unexpected token');
        this.pos++;
        const lanes: WastLanePattern[] = [];
        for (let k = 0; k < count; k++) {
          const n = shape[0] === 'f' ? nanClass() : null;
          if (n) { lanes.push({ kind: 'nan', nan: n }); continue; }
          let bits: bigint;
          if (shape === 'f32x4') bits = BigInt(this.num(parseF32) >>> 0);
          else if (shape === 'f64x2') bits = BigInt.asUintN(64, this.num(parseF64));
          else bits = this.num((s) => parseIntN(s, 128 / count));
          lanes.push({ kind: 'bits', bits });
        }
        if (lanes.every((l) => l.kind === 'bits')) {
          const bytes = encodeV128(shape, (k) => (lanes[k] as { bits: bigint }).bits);
          p = allowPatterns ? { kind: 'v128', shape, lanes } : { kind: 'value', value: { type: ValType.V128, bytes } };
        } else p = { kind: 'v128', shape, lanes };
        break;
      }
      case 'ref.null': {
        let type: ValType.FuncRef | ValType.ExternRef | null = null;
        if (this.isAtom('func')) { type = ValType.FuncRef; this.pos++; }
        else if (this.isAtom('extern')) { type = ValType.ExternRef; this.pos++; }
        else if (!allowPatterns) throw this.err('unexpected token');
        p = allowPatterns ? { kind: 'refNull', type } : { kind: 'value', value: { type: type!, ref: null } };
        break;
      }
      case 'ref.extern': {
        let v: number | null = null;
        if (this.kind() === T_ATOM) v = Number(this.num((s) => parseIntN(s, 32)));
        else if (!allowPatterns) throw this.err('unexpected token');
        p = allowPatterns ? { kind: 'refExtern', value: v }
          : { kind: 'value', value: { type: ValType.ExternRef, ref: { kind: 'extern', value: v } } };
        break;
      }
      case 'ref.func': {
        if (!allowPatterns) throw this.err('unexpected token', open + 1);
        if (this.kind() === T_ATOM || this.kind() === T_ID) this.pos++;
        p = { kind: 'refFunc' };
        break;
      }
      case 'either': {
        if (!allowPatterns) throw this.err('unexpected token', open + 1);
        const options: WastPattern[] = [];
        while (this.kind() === T_LPAREN) options.push(this.pattern());
        p = { kind: 'either', options };
        break;
      }
      default:
        throw this.err('unexpected token', open + 1);
    }
    this.expect(T_RPAREN);
    return p;
  }
}

/** Parse a .wast script. Throws ParseError for malformed scripts (not for malformed modules inside
 *  assertions: those are only parsed when `wastModuleBinary` is called). */
export function parseWast(text: string): WastCommand[] {
  const lines = new LineIndex(text);
  const toks = tokenize(text, lines);
  const p = new WastParser(text, toks, lines);
  try {
    return p.commands();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw p.err('nesting too deep', Math.min(p.pos, toks.count - 1));
    throw e;
  }
}

// ---- matching and printing ------------------------------------------------------------------------

const F32_CANON = 0x7fc00000;
function f32NanClass(bits: number): 'canonical' | 'arithmetic' | null {
  if ((bits & 0x7f800000) !== 0x7f800000 || (bits & 0x7fffff) === 0) return null;
  return (bits & 0x7fffffff) === F32_CANON ? 'canonical' : (bits & 0x400000) !== 0 ? 'arithmetic' : null;
}
function f64NanClass(bits: bigint): 'canonical' | 'arithmetic' | null {
  const u = BigInt.asUintN(64, bits);
  if ((u & 0x7ff0000000000000n) !== 0x7ff0000000000000n || (u & 0xfffffffffffffn) === 0n) return null;
  return (u & 0x7fffffffffffffffn) === 0x7ff8000000000000n ? 'canonical' : (u & 0x8000000000000n) !== 0n ? 'arithmetic' : null;
}
function nanMatches(cls: 'canonical' | 'arithmetic' | null, want: 'canonical' | 'arithmetic'): boolean {
  return cls !== null && (want === 'arithmetic' || cls === 'canonical');
}

/** Does a result value match an expected pattern? `externValue` maps a host reference to its N. */
export function matchWastPattern(p: WastPattern, v: WasmValue): boolean {
  switch (p.kind) {
    case 'value': {
      const e = p.value;
      if (e.type !== v.type) return false;
      switch (e.type) {
        case ValType.I32: case ValType.F32: return e.bits === (v as typeof e).bits;
        case ValType.I64: case ValType.F64: return e.bits === (v as typeof e).bits;
        case ValType.V128: {
          const b = (v as typeof e).bytes;
          return e.bytes.every((x, k) => x === b[k]);
        }
        default: {
          const r = (v as typeof e).ref;
          if (e.ref === null || r === null) return e.ref === r;
          if (e.ref.kind === 'extern' && r.kind === 'extern') return e.ref.value === r.value;
          return e.ref.kind === 'func' && r.kind === 'func' && e.ref.addr === r.addr;
        }
      }
    }
    case 'nan':
      if (v.type !== p.type) return false;
      return nanMatches(p.type === ValType.F32 ? f32NanClass(v.bits as number) : f64NanClass(v.bits as bigint), p.nan);
    case 'v128': {
      if (v.type !== ValType.V128) return false;
      const n = p.lanes.length, width = 16 / n;
      for (let k = 0; k < n; k++) {
        let bits = 0n;
        for (let b = width - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(v.bytes[k * width + b]);
        const l = p.lanes[k];
        if (l.kind === 'bits') { if (bits !== l.bits) return false; }
        else if (!nanMatches(width === 4 ? f32NanClass(Number(BigInt.asIntN(32, bits))) : f64NanClass(bits), l.nan)) return false;
      }
      return true;
    }
    case 'refNull':
      return (v.type === ValType.FuncRef || v.type === ValType.ExternRef) && v.ref === null && (p.type === null || p.type === v.type);
    case 'refExtern':
      return v.type === ValType.ExternRef && v.ref !== null && v.ref.kind === 'extern' && (p.value === null || v.ref.value === p.value);
    case 'refFunc':
      return v.type === ValType.FuncRef && v.ref !== null;
    case 'either':
      return p.options.some((o) => matchWastPattern(o, v));
  }
}

const TYPE_NAMES: Record<number, string> = {
  [ValType.I32]: 'i32', [ValType.I64]: 'i64', [ValType.F32]: 'f32', [ValType.F64]: 'f64', [ValType.V128]: 'v128',
  [ValType.FuncRef]: 'funcref', [ValType.ExternRef]: 'externref',
};

/** Render a value in script syntax, e.g. `(f32.const nan:0x200000)` or `(i32.const 5)`. */
export function formatWastValue(v: WasmValue): string {
  switch (v.type) {
    case ValType.I32: return `(i32.const ${v.bits})`;
    case ValType.I64: return `(i64.const ${v.bits})`;
    case ValType.F32: return `(f32.const ${floatText(f32Value(v.bits), formatValue(v), v.bits >>> 0, 8)})`;
    case ValType.F64: return `(f64.const ${floatText(f64Value(v.bits), formatValue(v), BigInt.asUintN(64, v.bits), 16)})`;
    case ValType.V128: {
      const words: string[] = [];
      for (let k = 0; k < 4; k++) {
        const x = (v.bytes[k * 4] | (v.bytes[k * 4 + 1] << 8) | (v.bytes[k * 4 + 2] << 16) | (v.bytes[k * 4 + 3] << 24)) >>> 0;
        words.push(`0x${x.toString(16).padStart(8, '0')}`);
      }
      return `(v128.const i32x4 ${words.join(' ')})`;
    }
    default: {
      const r = v.ref;
      const heap = v.type === ValType.FuncRef ? 'func' : 'extern';
      if (r === null) return `(ref.null ${heap})`;
      return r.kind === 'func' ? `(ref.func ${r.addr})` : `(ref.extern ${String(r.value)})`;
    }
  }
}
function floatText(x: number, formatted: string, bits: number | bigint, hexDigits: number): string {
  return Number.isNaN(x) ? `${formatted} (0x${bits.toString(16).padStart(hexDigits, '0')})` : formatted;
}

export function formatWastPattern(p: WastPattern): string {
  switch (p.kind) {
    case 'value': return formatWastValue(p.value);
    case 'nan': return `(${TYPE_NAMES[p.type]}.const nan:${p.nan})`;
    case 'v128': {
      const w = p.shape === 'f32x4' ? 4 : p.shape === 'f64x2' ? 8 : 0;
      return `(v128.const ${p.shape} ${p.lanes.map((l) => {
        if (l.kind === 'nan') return `nan:${l.nan}`;
        if (w === 4) return formatValue(f32Bits(Number(BigInt.asIntN(32, l.bits))));
        if (w === 8) return formatValue(f64Bits(l.bits));
        return l.bits.toString();
      }).join(' ')})`;
    }
    case 'refNull': return `(ref.null${p.type === null ? '' : p.type === ValType.FuncRef ? ' func' : ' extern'})`;
    case 'refExtern': return `(ref.extern${p.value === null ? '' : ` ${p.value}`})`;
    case 'refFunc': return '(ref.func)';
    case 'either': return `(either ${p.options.map(formatWastPattern).join(' ')})`;
  }
}

export function formatWastAction(a: WastAction): string {
  const m = a.module ? `${a.module} ` : '';
  if (a.kind === 'get') return `(get ${m}${JSON.stringify(a.field)})`;
  return `(invoke ${m}${JSON.stringify(a.field)}${a.args.map((x) => ` ${formatWastValue(x)}`).join('')})`;
}

export { f32Value, f64Value };
