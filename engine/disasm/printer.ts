// Module printer: a decoded module as WAT text (flat instruction syntax) that assembles back to the
// same module, plus a map from every instruction's byte offset to the line it is printed on (the
// debugger steps through this generated text when a .wasm has no sources).

import { InstrReader } from '../core/instr';
import { ByteReader } from '../core/reader';
import type { ConstExpr, Module } from '../core/module';
import { valTypeName, type FuncType, type GlobalType, type Limits, type TableType, type ValType } from '../core/types';
import { InstrFormatter } from './disassembler';
import { defId, moduleNames, ref, type ModuleNames } from './names';

export interface OffsetLine {
  /** Byte offset of an instruction in m.bytes. */
  offset: number;
  /** 1-based line of the generated text where it is printed. */
  line: number;
}

export interface PrintedModule {
  text: string;
  /** One entry per instruction (function bodies and constant expressions), in offset order. */
  lines: OffsetLine[];
}

const INDENT = '  ';

const indents: string[] = [''];
function indent(n: number): string {
  while (indents.length <= n) indents.push(indents[indents.length - 1] + INDENT);
  return indents[n];
}

/** A WAT string literal for raw bytes: printable ASCII as is, everything else as `\hh`. */
export function bytesString(b: Uint8Array, start = 0, end = b.length): string {
  let s = '"';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c);
    else s += '\\' + (c < 16 ? '0' : '') + c.toString(16);
  }
  return s + '"';
}

/** A WAT string literal for a name: printable characters as is, control characters (and a few
 *  invisible ones) as their UTF-8 bytes in `\hh` form. */
export function nameString(name: string): string {
  let s = '"';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22 || c === 0x5c) s += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) s += ch;
    else if (c >= 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029 && !(c >= 0xd800 && c < 0xe000)) s += ch;
    else {
      for (const byte of new TextEncoder().encode(ch)) s += '\\' + (byte < 16 ? '0' : '') + byte.toString(16);
    }
  }
  return s + '"';
}

function limits(l: Limits): string {
  return l.max === null ? `${l.min}` : `${l.min} ${l.max}`;
}

function globalType(g: GlobalType): string {
  return g.mutable ? `(mut ${valTypeName(g.type)})` : valTypeName(g.type);
}

function tableType(t: TableType): string {
  return `${limits(t.limits)} ${valTypeName(t.elem)}`;
}

/** ` (param i32 i64) (result f32)` for a function type (empty parts omitted). */
function signature(t: FuncType): string {
  let s = '';
  if (t.params.length) s += ` (param ${t.params.map(valTypeName).join(' ')})`;
  if (t.results.length) s += ` (result ${t.results.map(valTypeName).join(' ')})`;
  return s;
}

/** `(type $t) (param ...) (result ...)` (the inline part omitted when the type index is invalid). */
function typeUse(m: Module, names: ModuleNames, typeIndex: number): string {
  const t = m.types[typeIndex];
  return `(type ${ref(names.type, typeIndex)})${t ? signature(t) : ''}`;
}

/** Named declarations (`(param $x i32)`) one by one, unnamed runs grouped (`(local i32 i64)`). */
function declList(kw: string, types: readonly ValType[], ids: (string | undefined)[], base: number): string {
  let s = '';
  let run: string[] = [];
  const flush = () => {
    if (run.length) s += ` (${kw} ${run.join(' ')})`;
    run = [];
  };
  for (let i = 0; i < types.length; i++) {
    const id = ids[base + i];
    if (id === undefined) run.push(valTypeName(types[i]));
    else {
      flush();
      s += ` (${kw} ${id} ${valTypeName(types[i])})`;
    }
  }
  flush();
  return s;
}

class Printer {
  private readonly out: string[] = [];
  readonly map: OffsetLine[] = [];
  private readonly names: ModuleNames;

  constructor(readonly m: Module) {
    this.names = moduleNames(m);
  }

  private line(depth: number, text: string): void {
    this.out.push(indent(depth) + text);
  }

  /** A constant expression in folded form, `(i32.const 0)` or `(global.get 0) (i32.const 1) ...`,
   *  recording the current line for each instruction. */
  private constExpr(e: ConstExpr, wrap: 'offset' | 'item' | null): string {
    const fmt = new InstrFormatter(this.m, this.names, -1);
    const r = new InstrReader(this.m.bytes, e.start, e.end);
    const parts: string[] = [];
    const line = this.out.length + 1;
    while (r.pos < r.end) {
      r.next();
      const text = fmt.format(r);
      this.map.push({ offset: r.offset, line });
      if (r.pos >= r.end && text === 'end') break; // the terminating end is implicit in the text
      parts.push(`(${text})`);
    }
    if (wrap !== null && parts.length !== 1) return `(${wrap}${parts.length ? ' ' + parts.join(' ') : ''})`;
    return parts.join(' ');
  }

  print(): string {
    const m = this.m;
    const n = this.names;
    this.line(0, n.module ? `(module ${n.module}` : '(module');

    m.types.forEach((t, i) => this.line(1, `(type ${defId(n.type, i)} (func${signature(t)}))`));

    let fi = 0, ti = 0, mi = 0, gi = 0;
    for (const imp of m.imports) {
      const head = `(import ${nameString(imp.module)} ${nameString(imp.name)} `;
      const d = imp.desc;
      switch (d.kind) {
        case 'func': this.line(1, `${head}(func ${defId(n.func, fi++)} ${typeUse(m, n, d.typeIndex)}))`); break;
        case 'table': this.line(1, `${head}(table ${defId(n.table, ti++)} ${tableType(d.type)}))`); break;
        case 'memory': this.line(1, `${head}(memory ${defId(n.memory, mi++)} ${limits(d.type.limits)}))`); break;
        case 'global': this.line(1, `${head}(global ${defId(n.global, gi++)} ${globalType(d.type)}))`); break;
      }
    }

    for (let i = 0; i < m.funcs.length; i++) this.func(m.numImportedFuncs + i);

    m.tables.forEach((t, i) => this.line(1, `(table ${defId(n.table, m.numImportedTables + i)} ${tableType(t)})`));
    m.memories.forEach((t, i) => this.line(1, `(memory ${defId(n.memory, m.numImportedMemories + i)} ${limits(t.limits)})`));
    m.globals.forEach((g, i) => {
      const head = `(global ${defId(n.global, m.numImportedGlobals + i)} ${globalType(g.type)} `;
      this.line(1, head + this.constExpr(g.init, null) + ')');
    });

    for (const e of m.exports) {
      const space = e.kind === 'func' ? n.func : e.kind === 'table' ? n.table : e.kind === 'memory' ? n.memory : n.global;
      this.line(1, `(export ${nameString(e.name)} (${e.kind} ${ref(space, e.index)}))`);
    }

    if (m.start !== null) this.line(1, `(start ${ref(n.func, m.start)})`);

    m.elems.forEach((seg, i) => {
      // the segment's flags field (0..7) tells which of the equivalent encodings the binary used:
      // bit 1 on an active segment = explicit table index, bit 2 = items as expressions; the text
      // keeps the same choices
      const flags = new ByteReader(m.bytes, seg.byteOffset).u32();
      let s = `(elem ${defId(n.elem, i)}`;
      if (seg.mode === 'declarative') s += ' declare';
      else if (seg.mode === 'active') {
        if (seg.table !== 0 || (flags & 2)) s += ` (table ${ref(n.table, seg.table)})`;
        s += ' ' + (seg.offset ? this.constExpr(seg.offset, 'offset') : '(offset)');
      }
      const legacy = !(flags & 4) && seg.type === 0x70 && seg.items.every(it => typeof it === 'number');
      if (legacy) {
        s += ' func';
        for (const it of seg.items) s += ' ' + ref(n.func, it as number);
      } else {
        s += ' ' + valTypeName(seg.type);
        for (const it of seg.items) {
          s += ' ' + (typeof it === 'number' ? `(ref.func ${ref(n.func, it)})` : this.constExpr(it, 'item'));
        }
      }
      this.line(1, s + ')');
    });

    m.datas.forEach((seg, i) => {
      let s = `(data ${defId(n.data, i)}`;
      if (seg.mode === 'active') {
        const flags = new ByteReader(m.bytes, seg.byteOffset).u32(); // 2: explicit memory index
        if (seg.memory !== 0 || flags === 2) s += ` (memory ${ref(n.memory, seg.memory)})`;
        s += ' ' + (seg.offset ? this.constExpr(seg.offset, 'offset') : '(offset)');
      }
      const d = seg.data;
      if (d.length <= 64) this.line(1, `${s} ${bytesString(d)})`);
      else {
        this.line(1, s);
        for (let p = 0; p < d.length; p += 64) this.line(2, bytesString(d, p, Math.min(d.length, p + 64)));
        this.line(1, ')');
      }
    });

    for (const c of m.customs) {
      if (c.name === 'name') continue;
      this.line(1, `;; custom section ${nameString(c.name)}, ${c.end - c.start} bytes`);
    }

    this.line(0, ')');
    return this.out.join('\n') + '\n';
  }

  private func(funcIndex: number): void {
    const m = this.m;
    const n = this.names;
    const body = m.funcs[funcIndex - m.numImportedFuncs];
    const typeIndex = m.funcTypeIndices[funcIndex];
    const t = m.types[typeIndex];
    const fmt = new InstrFormatter(m, n, funcIndex);
    const localCount = (t ? t.params.length : 0) + body.locals.length;
    const ids = n.localIds(funcIndex, localCount);
    let head = `(func ${defId(n.func, funcIndex)} (type ${ref(n.type, typeIndex)})`;
    if (t) {
      head += declList('param', t.params, ids, 0);
      if (t.results.length) head += ` (result ${t.results.map(valTypeName).join(' ')})`;
    }
    this.line(1, head);
    if (body.locals.length) this.line(2, declList('local', body.locals, ids, t ? t.params.length : 0).slice(1));
    const r = new InstrReader(m.bytes, body.codeStart, body.codeEnd);
    try {
      while (r.pos < r.end) {
        r.next();
        const text = fmt.format(r);
        if (r.pos >= r.end && fmt.nesting === 0 && text === 'end') {
          this.map.push({ offset: r.offset, line: this.out.length + 1 });
          this.line(1, ')');
          return;
        }
        this.map.push({ offset: r.offset, line: this.out.length + 1 });
        this.line(2 + fmt.depth, text);
      }
    } catch (e) {
      this.line(2 + fmt.nesting, `;; ${e instanceof Error ? e.message : String(e)}`);
    }
    this.line(1, ')');
  }
}

/** The whole module as WAT text. */
export function printModule(m: Module): string {
  return new Printer(m).print();
}

/** The module as WAT text, with the 1-based line of every instruction's byte offset. */
export function printModuleWithMap(m: Module): PrintedModule {
  const p = new Printer(m);
  const text = p.print();
  p.map.sort((a, b) => a.offset - b.offset);
  return { text, lines: p.map };
}

/** The line of the instruction at `offset` in a map from printModuleWithMap (sorted by offset), or of
 *  the closest instruction before it; undefined when `offset` precedes every instruction. */
export function lineForOffset(lines: readonly OffsetLine[], offset: number): number | undefined {
  let lo = 0, hi = lines.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].offset <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found < 0 ? undefined : lines[found].line;
}
