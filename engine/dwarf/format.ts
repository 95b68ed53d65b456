// Display values for source-level variables: a tree of { name, type, value text, lazy children }.
// Knows C/C++ scalars, pointers, arrays, structs/classes/unions, enums, bitfields, C strings, and the
// Rust standard shapes (&str, slices, String, Vec, enums with variant parts such as Option).

import { AT, ATE, TAG } from './consts';
import type { DwarfInfo, Variable } from './dwarf';
import { type DwarfMachine, leToBig, type LocationPiece, readSlot, bigToLe, LocationError } from './expr';
import type { Die } from './info';
import { DwarfError } from './reader';

export interface DisplayValue {
  readonly name: string;
  /** Source-language type name ('' when unknown). */
  readonly type: string;
  readonly value: string;
  /** Address in linear memory when the value lives there (for "watch memory"), else null. */
  readonly address: number | null;
  /** Children (struct members, array elements, pointee), computed on demand; null = not expandable. */
  readonly children: (() => DisplayValue[]) | null;
}

export interface FormatOptions {
  /** Longest string shown (bytes). Default 200. */
  maxString?: number;
  /** Most array elements listed as children. Default 1000. */
  maxElements?: number;
}

/** Where a value's bytes are: linear memory or bytes already at hand (registers, constants). */
export type ValueSource = { address: number } | { bytes: Uint8Array };
type Source = ValueSource;

const INHERITANCE = 0x1c;
const dec = new TextDecoder('utf-8', { fatal: false });
const f32 = new Float32Array(1), f32u = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1), f64u = new Uint8Array(f64.buffer);

export class ValueFormatter {
  private readonly maxString: number;
  private readonly maxElements: number;

  constructor(readonly dwarf: DwarfInfo, readonly machine: DwarfMachine, options: FormatOptions = {}) {
    this.maxString = options.maxString ?? 200;
    this.maxElements = options.maxElements ?? 1000;
  }

  /** Formats a variable as seen at module byte offset `offset`. Never throws on bad DWARF. */
  variable(v: Variable, offset: number): DisplayValue {
    const tn = safe(() => this.typeName(v.type), '?');
    let pieces: LocationPiece[];
    try {
      pieces = this.dwarf.locate(v, offset, this.machine);
    } catch (e) {
      if (e instanceof DwarfError) return leaf(v.name, tn, `<${e.message}>`);
      throw e;
    }
    if (pieces.length === 0) return leaf(v.name, tn, '<optimized out>');
    let src: Source;
    try {
      src = this.source(pieces, v.type);
    } catch (e) {
      if (e instanceof DwarfError) return leaf(v.name, tn, `<${e.message}>`);
      throw e;
    }
    return this.value(v.name, v.type, src);
  }

  private source(pieces: LocationPiece[], type: Die | null): Source {
    if (pieces.length === 1 && pieces[0].kind === 'memory') return { address: pieces[0].address };
    const size = this.sizeOf(type) ?? 8;
    const parts: Uint8Array[] = [];
    for (const p of pieces) {
      const n = p.size ?? (pieces.length === 1 ? size : 8);
      switch (p.kind) {
        case 'memory': {
          const b = this.machine.readMemory(p.address, n);
          if (!b) throw new LocationError(`cannot read memory at ${p.address}`);
          parts.push(b);
          break;
        }
        case 'wasm': parts.push(bigToLe(readSlot(this.machine, p.space, p.index), n)); break;
        case 'value': parts.push(bigToLe(p.value, n)); break;
        case 'bytes': parts.push(p.bytes.subarray(0, n)); break;
        case 'undefined': parts.push(new Uint8Array(n)); break;
      }
    }
    let total = 0;
    for (const p of parts) total += p.length;
    const out = new Uint8Array(Math.max(total, size));
    let k = 0;
    for (const p of parts) { out.set(p, k); k += p.length; }
    return { bytes: out };
  }

  private read(src: Source, off: number, len: number): Uint8Array | null {
    if ('address' in src) return this.machine.readMemory(src.address + off, len);
    if (off < 0 || off + len > src.bytes.length) return null;
    return src.bytes.subarray(off, off + len);
  }

  private at(src: Source, off: number): Source {
    return 'address' in src ? { address: src.address + off } : { bytes: src.bytes.subarray(Math.min(off, src.bytes.length)) };
  }

  // ---- types ----

  /** Strips typedefs and qualifiers. */
  strip(t: Die | null): Die | null {
    for (let i = 0; t && i < 32; i++) {
      if (t.tag === TAG.typedef || t.tag === TAG.const_type || t.tag === TAG.volatile_type || t.tag === TAG.restrict_type || t.tag === TAG.atomic_type) t = t.type;
      else return t;
    }
    return t;
  }

  sizeOf(t: Die | null, depth = 0): number | null {
    if (!t || depth > 32) return null;
    const bs = t.num(AT.byte_size);
    if (bs !== undefined) return bs;
    switch (t.tag) {
      case TAG.typedef: case TAG.const_type: case TAG.volatile_type: case TAG.restrict_type: case TAG.atomic_type:
        return this.sizeOf(t.type, depth + 1);
      case TAG.pointer_type: case TAG.reference_type: case TAG.rvalue_reference_type: case TAG.ptr_to_member_type:
        return t.unit.h.addrSize;
      case TAG.array_type: {
        const el = this.sizeOf(t.type, depth + 1);
        if (el === null) return null;
        let n = 1;
        for (const d of this.dims(t)) n *= d;
        return el * n;
      }
      default: return null;
    }
  }

  private dims(t: Die): number[] {
    const out: number[] = [];
    for (const c of t.children) {
      if (c.tag !== TAG.subrange_type) continue;
      const count = c.num(AT.count);
      if (count !== undefined) { out.push(count); continue; }
      const ub = c.num(AT.upper_bound);
      const lb = c.num(AT.lower_bound) ?? 0;
      out.push(ub === undefined || ub >= 0xffffffff ? 0 : Math.max(0, ub - lb + 1));
    }
    return out;
  }

  typeName(t: Die | null, depth = 0): string {
    if (!t) return 'void';
    if (depth > 16) return '…';
    const named = t.tag === TAG.base_type ? t.name : t.qualifiedName;
    const cpp = t.unit.isCpp, rust = t.unit.isRust;
    switch (t.tag) {
      case TAG.base_type: case TAG.typedef: case TAG.unspecified_type: return named ?? '?';
      case TAG.structure_type: case TAG.class_type: case TAG.union_type: case TAG.enumeration_type: {
        const kw = t.tag === TAG.structure_type ? 'struct' : t.tag === TAG.class_type ? 'class' : t.tag === TAG.union_type ? 'union' : 'enum';
        if (named === undefined) return `${kw} <anonymous>`;
        return cpp || rust ? named : `${kw} ${named}`;
      }
      case TAG.pointer_type: return named ?? `${this.typeName(t.type, depth + 1)} *`;
      case TAG.reference_type: return named ?? `${this.typeName(t.type, depth + 1)} &`;
      case TAG.rvalue_reference_type: return named ?? `${this.typeName(t.type, depth + 1)} &&`;
      case TAG.const_type: return `const ${this.typeName(t.type, depth + 1)}`;
      case TAG.volatile_type: return `volatile ${this.typeName(t.type, depth + 1)}`;
      case TAG.restrict_type: return `${this.typeName(t.type, depth + 1)} restrict`;
      case TAG.atomic_type: return `_Atomic ${this.typeName(t.type, depth + 1)}`;
      case TAG.array_type: return `${this.typeName(t.type, depth + 1)}${this.dims(t).map((d) => `[${d}]`).join('')}`;
      case TAG.subroutine_type: return `${this.typeName(t.type, depth + 1)} (…)`;
      default: return named ?? '?';
    }
  }

  // ---- values ----

  /** Formats the value of type `type` found at `src`. */
  value(name: string, type: Die | null, src: Source): DisplayValue {
    const tn = safe(() => this.typeName(type), '?');
    try {
      return this.valueOf(name, type, tn, src);
    } catch (e) {
      if (e instanceof DwarfError) return leaf(name, tn, `<${e.message}>`);
      throw e;
    }
  }

  private addr(src: Source): number | null { return 'address' in src ? src.address : null; }

  private valueOf(name: string, type: Die | null, tn: string, src: Source): DisplayValue {
    const t = this.strip(type);
    if (!t) return leaf(name, tn, 'void');
    switch (t.tag) {
      case TAG.base_type: {
        const size = t.num(AT.byte_size) ?? 0;
        const b = this.read(src, 0, size);
        if (!b) return leaf(name, tn, '<unreadable>', this.addr(src));
        return leaf(name, tn, this.scalar(t.num(AT.encoding) ?? 0, b), this.addr(src));
      }
      case TAG.enumeration_type: {
        const size = t.num(AT.byte_size) ?? 4;
        const b = this.read(src, 0, size);
        if (!b) return leaf(name, tn, '<unreadable>', this.addr(src));
        return leaf(name, tn, this.enumText(t, b), this.addr(src));
      }
      case TAG.pointer_type: case TAG.reference_type: case TAG.rvalue_reference_type:
        return this.pointer(name, t, tn, src);
      case TAG.array_type: return this.array(name, t, tn, src, this.dims(t), t.type);
      case TAG.structure_type: case TAG.class_type: case TAG.union_type:
        return this.struct(name, t, tn, src);
      case TAG.subroutine_type: return leaf(name, tn, '<function>', this.addr(src));
      default: return leaf(name, tn, '<unsupported type>', this.addr(src));
    }
  }

  private scalar(enc: number, b: Uint8Array): string {
    const size = b.length;
    const u = leToBig(b);
    const s = size > 0 && size <= 8 ? BigInt.asIntN(size * 8, u) : u;
    switch (enc) {
      case ATE.boolean: return u === 0n ? 'false' : 'true';
      case ATE.float:
        if (size === 4) { f32u.set(b); return fmtFloat(f32[0]); }
        if (size === 8) { f64u.set(b); return fmtFloat(f64[0]); }
        return `0x${u.toString(16)}`;
      case ATE.signed: return s.toString();
      case ATE.unsigned: case ATE.address: return u.toString();
      case ATE.signed_char: return `${s} ${charLit(Number(u))}`;
      case ATE.unsigned_char: return `${u} ${charLit(Number(u))}`;
      case ATE.UTF: return size >= 4 ? charLit(Number(u), true) : `${u} ${charLit(Number(u))}`;
      default: return u.toString();
    }
  }

  private enumText(t: Die, b: Uint8Array): string {
    const u = leToBig(b);
    const s = BigInt.asIntN(b.length * 8, u);
    for (const c of t.children) {
      if (c.tag !== TAG.enumerator) continue;
      const a = c.attr(AT.const_value);
      if (!a) continue;
      const v = typeof a.value === 'bigint' ? a.value : typeof a.value === 'number' ? BigInt(a.value) : null;
      if (v === null) continue;
      if (BigInt.asUintN(b.length * 8, v) === u) return c.name ?? String(v);
    }
    return s.toString();
  }

  private pointer(name: string, t: Die, tn: string, src: Source): DisplayValue {
    const size = t.num(AT.byte_size) ?? t.unit.h.addrSize;
    const b = this.read(src, 0, size);
    if (!b) return leaf(name, tn, '<unreadable>', this.addr(src));
    const p = Number(leToBig(b));
    const target = t.type;
    const st = this.strip(target);
    const isRef = t.tag !== TAG.pointer_type;
    let text = `0x${p.toString(16).padStart(8, '0')}`;
    if (p === 0) return leaf(name, tn, isRef ? '<null reference>' : 'NULL', this.addr(src));
    if (st && st.tag === TAG.base_type && (st.num(AT.byte_size) ?? 0) === 1 && isCharEnc(st.num(AT.encoding) ?? 0)) {
      text += ` ${this.cString(p)}`;
    }
    if (!st || st.tag === TAG.subroutine_type || (st.tag === TAG.base_type && st.name === '()')) {
      return leaf(name, tn, text, this.addr(src));
    }
    const pointee = (): DisplayValue => this.value(`*${name}`, target, { address: p });
    if (isRef) {
      // references read as their referent
      const v = pointee();
      return { name, type: tn, value: v.value, address: p, children: v.children };
    }
    return { name, type: tn, value: text, address: this.addr(src), children: () => [pointee()] };
  }

  /** Bounded, escaped C string at `p`. */
  cString(p: number, maxLen = this.maxString): string {
    const bytes: number[] = [];
    for (let i = 0; i < maxLen; i++) {
      const b = this.machine.readMemory(p + i, 1);
      if (!b) return bytes.length ? quote(bytes) + '…' : '<unreadable>';
      if (b[0] === 0) return quote(bytes);
      bytes.push(b[0]);
    }
    return quote(bytes) + '…';
  }

  private array(name: string, t: Die | null, tn: string, src: Source, dims: number[], elemType: Die | null): DisplayValue {
    const n = dims[0] ?? 0;
    const rest = dims.slice(1);
    const elSize = this.sizeOf(elemType) ?? 0;
    let stride = elSize;
    for (const d of rest) stride *= d;
    const el = this.strip(elemType);
    // char arrays: show as text
    if (rest.length === 0 && el && el.tag === TAG.base_type && elSize === 1 && isCharEnc(el.num(AT.encoding) ?? 0)) {
      const b = this.read(src, 0, Math.min(n, this.maxString));
      if (b) {
        const end = b.indexOf(0);
        const text = quote(Array.from(end >= 0 ? b.subarray(0, end) : b)) + (end < 0 && n > this.maxString ? '…' : '');
        return { name, type: tn, value: text, address: this.addr(src), children: n > 0 ? () => this.elements(src, n, stride, rest, elemType) : null };
      }
    }
    const summary = this.summary(() => this.elements(src, Math.min(n, 8), stride, rest, elemType), n > 8);
    return { name, type: tn, value: `[${summary}]`, address: this.addr(src), children: n > 0 ? () => this.elements(src, n, stride, rest, elemType) : null };
  }

  private elements(src: Source, n: number, stride: number, rest: number[], elemType: Die | null): DisplayValue[] {
    const out: DisplayValue[] = [];
    const subName = rest.length ? this.typeName(elemType) + rest.map((d) => `[${d}]`).join('') : '';
    for (let i = 0; i < Math.min(n, this.maxElements); i++) {
      const s = this.at(src, i * stride);
      if (rest.length) out.push(this.array(`[${i}]`, null, subName, s, rest, elemType));
      else out.push(this.value(`[${i}]`, elemType, s));
    }
    return out;
  }

  /** Nesting of summaries being computed (a summary formats children, which summarize theirs). */
  private summaryDepth = 0;

  private summary(items: () => DisplayValue[], more: boolean, named = false): string {
    // bounded: deep nesting shows '…' (and a cyclic type from damaged DWARF cannot recurse forever)
    if (this.summaryDepth >= 4) return '…';
    this.summaryDepth++;
    try {
      return this.summaryOf(items, more, named);
    } finally {
      this.summaryDepth--;
    }
  }

  private summaryOf(items: () => DisplayValue[], more: boolean, named: boolean): string {
    const parts: string[] = [];
    let len = 0;
    for (const v of items()) {
      const text = v.children && !v.value.startsWith('"') && !/^(Some|None|0x)/.test(v.value) && v.value.length > 40 ? '…' : v.value;
      const item = named ? `${v.name}: ${text}` : text;
      len += item.length;
      if (len > 100) { parts.push('…'); return parts.join(', '); }
      parts.push(item);
    }
    if (more) parts.push('…');
    return parts.join(', ');
  }

  private members(t: Die): Die[] {
    return t.children.filter((c) => (c.tag === TAG.member || c.tag === INHERITANCE) && !c.has(AT.declaration)
      && c.attr(AT.data_member_location)?.value !== undefined || (c.tag === TAG.member && t.tag === TAG.union_type && !c.has(AT.declaration)));
  }

  private memberOffset(m: Die): number {
    const a = m.attr(AT.data_member_location);
    if (!a) return 0;
    if (typeof a.value === 'number') return a.value;
    if (typeof a.value === 'bigint') return Number(a.value);
    if (a.value instanceof Uint8Array) {
      // old-style: DW_OP_plus_uconst N
      const e = a.value;
      if (e[0] === 0x23) { let v = 0, mul = 1; for (let i = 1; i < e.length; i++) { v += (e[i] & 0x7f) * mul; mul *= 128; if (!(e[i] & 0x80)) break; } return v; }
    }
    return 0;
  }

  private member(m: Die, src: Source): DisplayValue {
    const off = this.memberOffset(m);
    const name = m.tag === INHERITANCE ? `<base ${this.typeName(m.type)}>` : (m.name ?? '<anonymous>');
    const bitSize = m.num(AT.bit_size);
    if (bitSize !== undefined) {
      const tn = this.typeName(m.type);
      let bitOff = m.num(AT.data_bit_offset);
      const byteSize = this.sizeOf(m.type) ?? 4;
      let base = 0;
      if (bitOff === undefined) {
        // DWARF 2-3 style: bit_offset from the most significant bit of the storage unit
        const bo = m.num(AT.bit_offset) ?? 0;
        bitOff = off * 8 + byteSize * 8 - bo - bitSize;
      } else base = 0;
      const first = Math.floor(bitOff / 8) + base;
      const nbytes = Math.ceil(((bitOff % 8) + bitSize) / 8);
      const b = this.read(src, first, nbytes);
      if (!b) return leaf(name, tn, '<unreadable>');
      let v = leToBig(b) >> BigInt(bitOff % 8);
      v &= (1n << BigInt(bitSize)) - 1n;
      const st = this.strip(m.type);
      const enc = st?.num(AT.encoding) ?? ATE.unsigned;
      if ((enc === ATE.signed || enc === ATE.signed_char) && v >> BigInt(bitSize - 1)) v -= 1n << BigInt(bitSize);
      if (st && st.tag === TAG.enumeration_type) return leaf(name, tn, this.enumText(st, bigToLe(v, byteSize)));
      return leaf(name, tn, enc === ATE.boolean ? (v ? 'true' : 'false') : v.toString());
    }
    return this.value(name, m.type, this.at(src, off));
  }

  private struct(name: string, t: Die, tn: string, src: Source): DisplayValue {
    const address = this.addr(src);
    if (t.unit.isRust) {
      const r = this.rust(name, t, tn, src);
      if (r) return r;
    }
    const vp = t.children.find((c) => c.tag === TAG.variant_part);
    if (vp) return this.variantPart(name, t, tn, src, vp);
    const ms = this.members(t);
    const children = (): DisplayValue[] => ms.map((m) => this.member(m, src));
    if (ms.length === 0) return leaf(name, tn, '{}', address);
    if (t.unit.isRust && (t.name ?? '').startsWith('(') && ms.every((m) => /^__\d+$/.test(m.name ?? ''))) {
      return { name, type: tn, value: `(${this.summary(() => children().slice(0, 8), ms.length > 8)})`, address, children }; // tuple
    }
    return { name, type: tn, value: `{${this.summary(() => children().slice(0, 6), ms.length > 6, true)}}`, address, children };
  }

  private variantPart(name: string, t: Die, tn: string, src: Source, vp: Die): DisplayValue {
    const address = this.addr(src);
    const discr = vp.ref(AT.discr);
    let value: bigint | null = null;
    if (discr) {
      const size = this.sizeOf(discr.type) ?? 4;
      const b = this.read(src, this.memberOffset(discr), size);
      if (b) value = leToBig(b);
    }
    let chosen: Die | null = null, fallback: Die | null = null;
    for (const v of vp.children) {
      if (v.tag !== TAG.variant) continue;
      const dv = v.attr(AT.discr_value);
      if (!dv) { fallback = v; continue; }
      const want = typeof dv.value === 'bigint' ? dv.value : typeof dv.value === 'number' ? BigInt(dv.value) : null;
      if (want !== null && value !== null) {
        const size = this.sizeOf(discr?.type ?? null) ?? 8;
        if (BigInt.asUintN(size * 8, want) === value) { chosen = v; break; }
      }
    }
    chosen = chosen ?? fallback;
    const m = chosen?.children.find((c) => c.tag === TAG.member);
    if (!m) return leaf(name, tn, value !== null ? `<discriminant ${value}>` : '<unknown variant>', address);
    const vname = m.name ?? '?';
    const vt = this.strip(m.type);
    const vsrc = this.at(src, this.memberOffset(m));
    const fields = vt ? this.members(vt) : [];
    if (fields.length === 0) return leaf(name, tn, vname, address);
    const children = (): DisplayValue[] => fields.map((f) => this.member(f, vsrc));
    const tuple = fields.every((f) => /^__\d+$/.test(f.name ?? ''));
    const inner = this.summary(() => children().slice(0, 4), fields.length > 4, !tuple);
    return { name, type: tn, value: tuple ? `${vname}(${inner})` : `${vname} {${inner}}`, address, children };
  }

  /** Rust standard shapes; null if not one of them. */
  private rust(name: string, t: Die, tn: string, src: Source): DisplayValue | null {
    const address = this.addr(src);
    const field = (d: Die, n: string): Die | undefined => d.children.find((c) => c.tag === TAG.member && c.name === n);
    const readPtr = (s: Source): number | null => { const b = this.read(s, 0, t.unit.h.addrSize); return b ? Number(leToBig(b)) : null; };
    const readUsize = (s: Source, m: Die): number | null => { const b = this.read(s, this.memberOffset(m), this.sizeOf(m.type) ?? 4); return b ? Number(leToBig(b)) : null; };
    const tname = t.name ?? '';
    // &str, &[T], &mut ...: { data_ptr, length }
    const dp = field(t, 'data_ptr'), len = field(t, 'length');
    if (dp && len) {
      const p = readPtr(this.at(src, this.memberOffset(dp)));
      const n = readUsize(src, len);
      if (p === null || n === null) return leaf(name, tn, '<unreadable>', address);
      const elemT = this.strip(dp.type)?.type ?? null;
      if (/str$/.test(tname)) return leaf(name, tn, this.utf8(p, n), address);
      return this.sequence(name, tn, address, p, n, elemT);
    }
    // Vec<T> / String: find the buffer pointer and len
    const isString = tname === 'String';
    const vecT = isString ? this.strip(field(t, 'vec')?.type ?? null) : t;
    if (vecT && (vecT.name ?? '').startsWith('Vec<')) {
      const vsrc = isString ? this.at(src, this.memberOffset(field(t, 'vec')!)) : src;
      const lenM = field(vecT, 'len');
      const found = this.findPointer(vecT, 0, 0);
      if (lenM && found) {
        const n = readUsize(vsrc, lenM);
        const p = readPtr(this.at(vsrc, found.offset));
        if (n === null || p === null) return leaf(name, tn, '<unreadable>', address);
        if (isString) return leaf(name, tn, this.utf8(p, n), address);
        return this.sequence(name, tn, address, p, n, found.ptr.type);
      }
    }
    return null;
  }

  private findPointer(t: Die, off: number, depth: number): { offset: number; ptr: Die } | null {
    if (depth > 6) return null;
    for (const m of this.members(t)) {
      const mt = this.strip(m.type);
      if (!mt) continue;
      const o = off + this.memberOffset(m);
      if (mt.tag === TAG.pointer_type) return { offset: o, ptr: mt };
      if (mt.tag === TAG.structure_type) { const r = this.findPointer(mt, o, depth + 1); if (r) return r; }
    }
    return null;
  }

  private sequence(name: string, tn: string, address: number | null, p: number, n: number, elemT: Die | null): DisplayValue {
    const size = this.sizeOf(elemT) ?? 0;
    const children = (): DisplayValue[] => {
      const out: DisplayValue[] = [];
      for (let i = 0; i < Math.min(n, this.maxElements); i++) out.push(this.value(`[${i}]`, elemT, { address: p + i * size }));
      return out;
    };
    const s = this.summary(() => children().slice(0, 8), n > 8);
    return { name, type: tn, value: `len=${n} [${s}]`, address, children: n > 0 ? children : null };
  }

  private utf8(p: number, n: number): string {
    const len = Math.min(n, this.maxString);
    const b = len > 0 ? this.machine.readMemory(p, len) : new Uint8Array(0);
    if (!b) return '<unreadable>';
    return JSON.stringify(dec.decode(b)) + (n > len ? '…' : '');
  }
}

function leaf(name: string, type: string, value: string, address: number | null = null): DisplayValue {
  return { name, type, value, address, children: null };
}

function safe<T>(f: () => T, fallback: T): T {
  try { return f(); } catch (e) { if (e instanceof DwarfError) return fallback; throw e; }
}

function isCharEnc(enc: number): boolean { return enc === ATE.signed_char || enc === ATE.unsigned_char || enc === ATE.UTF; }

function fmtFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(1);
  return String(x);
}

function charLit(c: number, unicode = false): string {
  if (c === 39) return "'\\''";
  if (c === 92) return "'\\\\'";
  if (c >= 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  if (c === 10) return "'\\n'";
  if (c === 0) return "'\\0'";
  if (unicode && c <= 0x10ffff && !(c >= 0xd800 && c < 0xe000)) return `'${String.fromCodePoint(c)}'`;
  return `'\\x${c.toString(16).padStart(2, '0')}'`;
}

function quote(bytes: number[]): string {
  return JSON.stringify(dec.decode(Uint8Array.from(bytes)));
}
