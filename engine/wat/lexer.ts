// Tokenizer for the WebAssembly text format (and the .wast script language, which shares it).
// Tokens are stored in parallel typed arrays (kind, start, end) so multi-MB inputs lex quickly;
// token text is sliced on demand. Line/column are computed from a table of line starts.

import { ParseError } from '../core/errors';

export const enum Tok {
  LParen = 1,
  RParen = 2,
  /** keyword, number or reserved token (any run of idchars not starting with `$`) */
  Atom = 3,
  /** `$name` identifier */
  Id = 4,
  String = 5,
  Eof = 6,
}

/** Printable ASCII characters allowed in keywords, numbers and identifiers. */
const IDCHAR = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) IDCHAR[c] = 1;
for (const ch of ' "\'(),;[]{}') IDCHAR[ch.charCodeAt(0)] = 0;

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    // Line breaks as editors count them: LF, CR LF, and a lone CR.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  /** 1-based line of a 0-based offset. */
  line(offset: number): number {
    const s = this.starts;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }
  /** 1-based column of a 0-based offset. */
  column(offset: number, line = this.line(offset)): number {
    return offset - this.starts[line - 1] + 1;
  }
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  error(message: string, offset: number, endOffset = offset): ParseError {
    const line = this.line(offset);
    return new ParseError(message, offset, line, this.column(offset, line), endOffset);
  }
}

export class Tokens {
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  count = 0;
  constructor(readonly text: string, readonly lines: LineIndex) {
    const cap = Math.max(16, text.length >> 2);
    this.kind = new Uint8Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
  }
  push(kind: Tok, start: number, end: number): void {
    if (this.count === this.kind.length) {
      const n = this.count * 2;
      const k = new Uint8Array(n); k.set(this.kind); this.kind = k;
      const s = new Int32Array(n); s.set(this.start); this.start = s;
      const e = new Int32Array(n); e.set(this.end); this.end = e;
    }
    this.kind[this.count] = kind;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }
  text_(i: number): string {
    return this.text.slice(this.start[i], this.end[i]);
  }
}

/** Tokenize `text`. Comments (`;; ...`, nested `(; ... ;)`) and annotations `(@name ...)` are
 *  skipped. A trailing Eof token is always present. */
export function tokenize(text: string, lines = new LineIndex(text)): Tokens {
  const toks = new Tokens(text, lines);
  const n = text.length;
  let i = 0;
  let annotDepth = 0; // >0 while inside an annotation (its tokens are dropped)
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) { i++; continue; }
    if (c === 0x3b /* ; */) {
      if (text.charCodeAt(i + 1) === 0x3b) {
        // a line comment ends at a newline: LF, CR or CR LF (the text format's `newline`)
        while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
        continue;
      }
      throw lines.error('unexpected character', i, i + 1);
    }
    if (c === 0x28 /* ( */) {
      const c2 = text.charCodeAt(i + 1);
      if (c2 === 0x3b /* ; */) { i = skipBlockComment(text, i, lines); continue; }
      if (c2 === 0x40 /* @ */ && i + 2 < n && text.charCodeAt(i + 2) < 128 && IDCHAR[text.charCodeAt(i + 2)]) {
        // annotation: skip the id, then everything up to the matching paren
        annotDepth++;
        i += 2;
        while (i < n && text.charCodeAt(i) < 128 && IDCHAR[text.charCodeAt(i)]) i++;
        continue;
      }
      if (annotDepth > 0) annotDepth++; else toks.push(Tok.LParen, i, i + 1);
      i++;
      continue;
    }
    if (c === 0x29 /* ) */) {
      if (annotDepth > 0) annotDepth--; else toks.push(Tok.RParen, i, i + 1);
      i++;
      continue;
    }
    if (c === 0x22 /* " */) {
      const s = i;
      i++;
      for (;;) {
        if (i >= n) throw lines.error('unexpected end of input: unterminated string', s, n);
        const d = text.charCodeAt(i);
        if (d === 0x22) { i++; break; }
        if (d === 0x0a) throw lines.error('unterminated string', s, i);
        if (d === 0x5c) { i += 2; continue; }
        if (d < 0x20 || d === 0x7f) throw lines.error('malformed string: control character', i, i + 1);
        i++;
      }
      // a string glued to another token (e.g. `"a""b"`) is a reserved token
      if (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x22 || (d < 128 && IDCHAR[d])) {
          i = skipReserved(text, i);
          if (annotDepth === 0) toks.push(Tok.Atom, s, i);
          continue;
        }
      }
      if (annotDepth === 0) toks.push(Tok.String, s, i);
      continue;
    }
    if (c < 128 && IDCHAR[c]) {
      const s = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < 128 && IDCHAR[d]) i++;
        else break;
      }
      // a token must be followed by whitespace, a paren, a comment or EOF
      if (i < n) {
        const d = text.charCodeAt(i);
        if (!(d === 0x20 || d === 0x0a || d === 0x09 || d === 0x0d || d === 0x28 || d === 0x29 || d === 0x3b && text.charCodeAt(i + 1) === 0x3b)) {
          // a reserved token glued to something else (e.g. `0"a"`): consume as one unknown token
          i = skipReserved(text, i);
          if (annotDepth === 0) toks.push(Tok.Atom, s, i); // reserved: never a valid keyword/number
          continue;
        }
      }
      if (annotDepth === 0) {
        toks.push(c === 0x24 /* $ */ && i > s + 1 ? Tok.Id : Tok.Atom, s, i);
      }
      continue;
    }
    if (annotDepth > 0) { i++; continue; }
    throw lines.error(c >= 128 ? 'malformed UTF-8 encoding' : 'unexpected character', i, i + 1);
  }
  if (annotDepth > 0) throw lines.error('unexpected end of input: unclosed annotation', n, n);
  toks.push(Tok.Eof, n, n);
  return toks;
}

/** Consume the rest of a reserved token: idchars and whole strings, up to whitespace or a paren. */
function skipReserved(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const e = text.charCodeAt(i);
    if (e === 0x22) {
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      if (i < n && text.charCodeAt(i) === 0x22) i++;
      continue;
    }
    if (e < 128 && IDCHAR[e]) { i++; continue; }
    break;
  }
  return i;
}

function skipBlockComment(text: string, i: number, lines: LineIndex): number {
  const s = i;
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x28 && text.charCodeAt(i + 1) === 0x3b) { depth++; i += 2; continue; }
    if (c === 0x3b && text.charCodeAt(i + 1) === 0x29) {
      depth--; i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  throw lines.error('unexpected end of input: unclosed comment', s, n);
}

/** Decode a string token (with quotes) to bytes: characters as UTF-8, escapes as given. */
export function stringBytes(text: string, start: number, end: number, lines: LineIndex): Uint8Array {
  const out: number[] = [];
  let i = start + 1;
  const stop = end - 1;
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c) {
      if (c < 0x80) { out.push(c); i++; continue; }
      const cp = text.codePointAt(i)!;
      if (cp >= 0xd800 && cp <= 0xdfff) throw lines.error('malformed UTF-8 encoding', i, i + 1);
      pushUtf8(out, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text.charCodeAt(i + 1);
    const escStart = i;
    i += 2;
    switch (e) {
      case 0x6e: out.push(0x0a); break; // n
      case 0x74: out.push(0x09); break; // t
      case 0x72: out.push(0x0d); break; // r
      case 0x22: out.push(0x22); break;
      case 0x27: out.push(0x27); break;
      case 0x5c: out.push(0x5c); break;
      case 0x75: { // u{hex}
        if (text.charCodeAt(i) !== 0x7b) throw lines.error('malformed escape', escStart, i);
        const close = text.indexOf('}', i);
        if (close < 0 || close > stop) throw lines.error('malformed escape', escStart, i);
        const hex = text.slice(i + 1, close);
        if (!/^[0-9a-fA-F](_?[0-9a-fA-F])*$/.test(hex)) throw lines.error('malformed escape', escStart, close + 1);
        const cp = parseInt(hex.replace(/_/g, ''), 16);
        if (hex.replace(/_/g, '').length > 8 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
          throw lines.error('malformed UTF-8 encoding', escStart, close + 1);
        }
        pushUtf8(out, cp);
        i = close + 1;
        break;
      }
      default: {
        const h1 = hexVal(e), h2 = hexVal(text.charCodeAt(i));
        if (h1 < 0 || h2 < 0 || i >= stop) throw lines.error('malformed escape', escStart, Math.min(i + 1, end));
        out.push(h1 * 16 + h2);
        i++;
      }
    }
  }
  return Uint8Array.from(out);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

export function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points > 0x10FFFF). */
export function isValidUtf8(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number, min: number, cp: number;
    if ((c & 0xe0) === 0xc0) { n = 1; min = 0x80; cp = c & 0x1f; }
    else if ((c & 0xf0) === 0xe0) { n = 2; min = 0x800; cp = c & 0x0f; }
    else if ((c & 0xf8) === 0xf0) { n = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (i + n >= b.length + 0 && i + n > b.length - 1 + 1) return false;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}
