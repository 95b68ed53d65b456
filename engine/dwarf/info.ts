// The DIE tree of .debug_info: unit headers are read eagerly (with each unit's root DIE), the DIEs
// of a unit only when something in it is needed. Attribute values are kept raw (form + value) and
// resolved by the Unit (strings, references, addresses need the unit's bases).

import { AT, FORM, TAG } from './consts';
import { DwarfError, DwarfReader, strAt } from './reader';
import type { DebugSections } from './sections';

interface AbbrevAttr { at: number; form: number; implicit: number }
export interface Abbrev {
  tag: number; children: boolean; attrs: AbbrevAttr[];
}

export type AttrValue = number | bigint | string | Uint8Array;

export interface Attr { readonly at: number; readonly form: number; readonly value: AttrValue }

const NO_CHILDREN: Die[] = [];

export class Die {
  readonly children: Die[];
  private decoded: Attr[] | null = null;
  /** `attrsAt`: offset of the attribute values in .debug_info; they are decoded on first use. */
  constructor(readonly unit: Unit, readonly offset: number, readonly abbrev: Abbrev, private readonly attrsAt: number,
    readonly parent: Die | null) {
    this.children = abbrev.children ? [] : NO_CHILDREN;
  }

  get tag(): number { return this.abbrev.tag; }
  get attrs(): Attr[] {
    if (this.decoded) return this.decoded;
    try {
      this.decoded = this.unit.decodeAttrs(this.attrsAt, this.abbrev);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.decoded = [];
      this.unit.dwarf.errors.push(e);
    }
    return this.decoded;
  }

  attr(at: number): Attr | undefined {
    for (const a of this.attrs) if (a.at === at) return a;
    return undefined;
  }
  has(at: number): boolean { return this.attr(at) !== undefined; }
  /** A numeric attribute (constants, flags, offsets), or undefined. */
  num(at: number): number | undefined {
    const a = this.attr(at);
    if (!a) return undefined;
    return typeof a.value === 'number' ? a.value : typeof a.value === 'bigint' ? Number(a.value) : undefined;
  }
  /** A string attribute resolved through the string sections. */
  str(at: number): string | undefined {
    const a = this.attr(at);
    return a ? this.unit.resolveString(a) : undefined;
  }
  /** A reference attribute resolved to its DIE (possibly in another unit). */
  ref(at: number): Die | null {
    const a = this.attr(at);
    return a ? this.unit.resolveRef(a) : null;
  }
  /** Name, following abstract_origin / specification. */
  get name(): string | undefined {
    let d: Die | null = this;
    for (let i = 0; d && i < 8; i++) {
      const n = d.str(AT.name);
      if (n !== undefined) return n;
      d = d.ref(AT.abstract_origin) ?? d.ref(AT.specification);
    }
    return undefined;
  }
  /** Name with enclosing namespaces / types ("geo::Rect", "alloc::string::String") in C++ and Rust. */
  get qualifiedName(): string | undefined {
    let d: Die | null = this;
    for (let i = 0; d && i < 8 && !d.has(AT.name); i++) d = d.ref(AT.abstract_origin) ?? d.ref(AT.specification);
    const name = d?.str(AT.name);
    if (name === undefined || !d || !(this.unit.isCpp || this.unit.isRust)) return name ?? this.name;
    const parts = [name];
    for (let p = d.parent; p && parts.length < 32; p = p.parent) {
      if (p.tag !== TAG.namespace && p.tag !== TAG.structure_type && p.tag !== TAG.class_type && p.tag !== TAG.union_type
        && p.tag !== TAG.enumeration_type && p.tag !== TAG.subprogram) break;
      const n = p.str(AT.name);
      if (n === undefined) { if (p.tag === TAG.namespace) { parts.unshift('(anonymous namespace)'); continue; } break; }
      parts.unshift(n);
    }
    return parts.join('::');
  }
  /** An attribute here or on the abstract origin / specification. */
  inherited(at: number): Die | null {
    let d: Die | null = this;
    for (let i = 0; d && i < 8; i++) {
      if (d.has(at)) return d;
      d = d.ref(AT.abstract_origin) ?? d.ref(AT.specification);
    }
    return null;
  }
  /** Type DIE (following abstract_origin), null for void. */
  get type(): Die | null { return this.inherited(AT.type)?.ref(AT.type) ?? null; }
}

export interface UnitHeader {
  readonly offset: number;
  readonly version: number;
  readonly unitType: number;
  readonly offsetSize: number;
  readonly addrSize: number;
  readonly abbrevOffset: number;
  /** Offset of the first DIE and of the end of the unit in .debug_info. */
  readonly dieStart: number;
  readonly end: number;
}

export class Unit {
  /** Every DIE of the unit in offset order (binary-searched by offset). */
  private dies: Die[] | null = null;
  rootDie: Die | null = null;
  strOffsetsBase = 8;
  addrBase = 8;
  rnglistsBase = 0;
  loclistsBase = 0;
  /** DWARF base address of the unit (its low_pc), as a DWARF address. */
  baseAddress = 0;
  language = 0;
  compDir = '';
  name = '';

  constructor(readonly dwarf: DwarfContext, readonly h: UnitHeader) {}

  /** The root DIE only (cheap). */
  root(): Die {
    if (this.rootDie) return this.rootDie;
    const r = new DwarfReader(this.dwarf.sec.info!, '.debug_info', this.h.dieStart, this.h.end);
    const code = r.uleb();
    const ab = this.dwarf.abbrevs(this.h.abbrevOffset).get(code);
    if (!ab) throw new DwarfError(`unknown abbreviation ${code}`, '.debug_info', r.pos);
    const die = new Die(this, this.h.dieStart, ab, r.pos, null);
    this.readAttrs(r, ab); // checks that the root's attributes are readable
    this.rootDie = die;
    // bases first: string / address resolution needs them
    this.strOffsetsBase = die.num(AT.str_offsets_base) ?? 8;
    this.addrBase = die.num(AT.addr_base) ?? 8;
    this.rnglistsBase = die.num(AT.rnglists_base) ?? 0;
    this.loclistsBase = die.num(AT.loclists_base) ?? 0;
    const low = die.attr(AT.low_pc);
    this.baseAddress = low ? this.resolveAddr(low) : 0;
    this.language = die.num(AT.language) ?? 0;
    this.compDir = die.str(AT.comp_dir) ?? '';
    this.name = die.str(AT.name) ?? '';
    return die;
  }

  /** All DIEs, parsed on first use. Returns the root with its children filled in. */
  tree(): Die {
    if (this.dies) return this.rootDie!;
    const root = this.root();
    const dies: Die[] = [root];
    const abbrevs = this.dwarf.abbrevs(this.h.abbrevOffset);
    const r = new DwarfReader(this.dwarf.sec.info!, '.debug_info', this.h.dieStart, this.h.end);
    // skip the root's attributes
    const rootAb = this.abbrevOf(abbrevs, r);
    this.skipAttrs(r, rootAb);
    const stack: Die[] = rootAb.children ? [root] : [];
    try {
      while (stack.length > 0 && r.pos < this.h.end) {
        const off = r.pos;
        const code = r.uleb();
        if (code === 0) { stack.pop(); continue; }
        const ab = abbrevs.get(code);
        if (!ab) throw new DwarfError(`unknown abbreviation ${code}`, '.debug_info', off);
        const parent = stack[stack.length - 1];
        const die = new Die(this, off, ab, r.pos, parent);
        this.skipAttrs(r, ab);
        parent.children.push(die);
        dies.push(die);
        if (ab.children) stack.push(die);
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.dwarf.errors.push(e); // keep what was read before the damage
    }
    this.dies = dies;
    return root;
  }

  dieAt(offset: number): Die | null {
    this.tree();
    const d = this.dies!;
    let lo = 0, hi = d.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, o = d[mid].offset;
      if (o === offset) return d[mid];
      if (o < offset) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }

  private abbrevOf(abbrevs: Map<number, Abbrev>, r: DwarfReader): Abbrev {
    const code = r.uleb();
    const ab = abbrevs.get(code);
    if (!ab) throw new DwarfError(`unknown abbreviation ${code}`, '.debug_info', r.pos);
    return ab;
  }

  /** Decodes a DIE's attributes at `at` (see Die.attrs). */
  decodeAttrs(at: number, ab: Abbrev): Attr[] {
    return this.readAttrs(new DwarfReader(this.dwarf.sec.info!, '.debug_info', at, this.h.end), ab);
  }

  private fixedSizeOf(form: number): number {
    switch (form) {
      case FORM.addr: return this.h.addrSize;
      case FORM.data1: case FORM.ref1: case FORM.flag: case FORM.strx1: case FORM.addrx1: return 1;
      case FORM.data2: case FORM.ref2: case FORM.strx2: case FORM.addrx2: return 2;
      case FORM.strx3: case FORM.addrx3: return 3;
      case FORM.data4: case FORM.ref4: case FORM.ref_sup4: case FORM.strx4: case FORM.addrx4: return 4;
      case FORM.data8: case FORM.ref8: case FORM.ref_sig8: case FORM.ref_sup8: return 8;
      case FORM.data16: return 16;
      case FORM.strp: case FORM.line_strp: case FORM.sec_offset: case FORM.strp_sup: case FORM.GNU_strp_alt: case FORM.GNU_ref_alt:
        return this.h.offsetSize;
      case FORM.ref_addr: return this.h.version <= 2 ? this.h.addrSize : this.h.offsetSize;
      case FORM.flag_present: case FORM.implicit_const: return 0;
      default: return -1;
    }
  }

  private readonly fixedCache = new Map<Abbrev, number>();

  /** Moves past a DIE's attributes without decoding them. */
  private skipAttrs(r: DwarfReader, ab: Abbrev): void {
    let fixed = this.fixedCache.get(ab);
    if (fixed === undefined) {
      fixed = 0;
      for (const a of ab.attrs) { const n = this.fixedSizeOf(a.form); if (n < 0) { fixed = -1; break; } fixed += n; }
      this.fixedCache.set(ab, fixed);
    }
    if (fixed >= 0) { r.skip(fixed); return; }
    for (const a of ab.attrs) {
      const n = this.fixedSizeOf(a.form);
      if (n >= 0) { r.skip(n); continue; }
      switch (a.form) {
        case FORM.string: { const b = r.buf; let p = r.pos; while (p < r.end && b[p] !== 0) p++; if (p >= r.end) r.fail('unterminated string'); r.pos = p + 1; break; }
        case FORM.block1: r.skip(r.u8()); break;
        case FORM.block2: r.skip(r.u16()); break;
        case FORM.block4: r.skip(r.u32()); break;
        case FORM.block: case FORM.exprloc: r.skip(r.uleb()); break;
        default: this.readForm(r, a.form, a.implicit, 0);
      }
    }
  }

  private readAttrs(r: DwarfReader, ab: Abbrev): Attr[] {
    const out: Attr[] = [];
    for (const a of ab.attrs) {
      const v = this.readForm(r, a.form, a.implicit, 0);
      out.push({ at: a.at, form: v.form, value: v.value });
    }
    return out;
  }

  private readForm(r: DwarfReader, form: number, implicit: number, depth: number): { form: number; value: AttrValue } {
    const os = this.h.offsetSize;
    let value: AttrValue;
    switch (form) {
      case FORM.addr: value = r.uN(this.h.addrSize); break;
      case FORM.block2: value = r.bytes(r.u16()); break;
      case FORM.block4: value = r.bytes(r.u32()); break;
      case FORM.data2: value = r.u16(); break;
      case FORM.data4: value = r.u32(); break;
      case FORM.data8: value = r.u64big(); break;
      case FORM.data16: value = r.bytes(16); break;
      case FORM.string: value = r.cstr(); break;
      case FORM.block: case FORM.exprloc: value = r.bytes(r.uleb()); break;
      case FORM.block1: value = r.bytes(r.u8()); break;
      case FORM.data1: case FORM.flag: value = r.u8(); break;
      case FORM.sdata: value = r.sleb(); break;
      case FORM.udata: value = r.uleb(); break;
      case FORM.strp: case FORM.line_strp: case FORM.sec_offset: case FORM.strp_sup: case FORM.GNU_strp_alt:
      case FORM.ref_addr: case FORM.GNU_ref_alt:
        value = r.uN(this.h.version <= 2 && form === FORM.ref_addr ? this.h.addrSize : os); break;
      case FORM.ref1: value = r.u8(); break;
      case FORM.ref2: value = r.u16(); break;
      case FORM.ref4: case FORM.ref_sup4: value = r.u32(); break;
      case FORM.ref8: case FORM.ref_sup8: case FORM.ref_sig8: value = r.u64(); break;
      case FORM.ref_udata: case FORM.strx: case FORM.addrx: case FORM.loclistx: case FORM.rnglistx:
      case FORM.GNU_addr_index: case FORM.GNU_str_index:
        value = r.uleb(); break;
      case FORM.indirect: {
        if (depth > 4) r.fail('nested DW_FORM_indirect');
        return this.readForm(r, r.uleb(), implicit, depth + 1);
      }
      case FORM.flag_present: value = 1; break;
      case FORM.implicit_const: value = implicit; break;
      case FORM.strx1: case FORM.addrx1: value = r.u8(); break;
      case FORM.strx2: case FORM.addrx2: value = r.u16(); break;
      case FORM.strx3: case FORM.addrx3: value = r.u24(); break;
      case FORM.strx4: case FORM.addrx4: value = r.u32(); break;
      default: r.fail(`unsupported attribute form 0x${form.toString(16)}`);
    }
    return { form, value };
  }

  resolveString(a: Attr): string | undefined {
    const sec = this.dwarf.sec;
    switch (a.form) {
      case FORM.string: return a.value as string;
      case FORM.strp: return strAt(sec.str, a.value as number, '.debug_str');
      case FORM.line_strp: return strAt(sec.lineStr, a.value as number, '.debug_line_str');
      case FORM.strx: case FORM.strx1: case FORM.strx2: case FORM.strx3: case FORM.strx4: case FORM.GNU_str_index: {
        if (!sec.strOffsets) throw new DwarfError('DW_FORM_strx without .debug_str_offsets');
        const os = this.h.offsetSize;
        const off = new DwarfReader(sec.strOffsets, '.debug_str_offsets', this.strOffsetsBase + (a.value as number) * os).uN(os);
        return strAt(sec.str, off, '.debug_str');
      }
      default: return undefined;
    }
  }

  resolveRef(a: Attr): Die | null {
    switch (a.form) {
      case FORM.ref1: case FORM.ref2: case FORM.ref4: case FORM.ref8: case FORM.ref_udata:
        return this.dieAt(this.h.offset + (a.value as number));
      case FORM.ref_addr:
        return this.dwarf.dieAt(a.value as number);
      default: return null;
    }
  }

  /** A DWARF address (not yet a module offset) from an address-class attribute. */
  resolveAddr(a: Attr): number {
    switch (a.form) {
      case FORM.addr: return a.value as number;
      case FORM.addrx: case FORM.addrx1: case FORM.addrx2: case FORM.addrx3: case FORM.addrx4: case FORM.GNU_addr_index:
        return this.addrx(a.value as number);
      default: return typeof a.value === 'number' ? a.value : 0;
    }
  }

  addrx(index: number): number {
    const sec = this.dwarf.sec.addr;
    if (!sec) throw new DwarfError('DW_FORM_addrx without .debug_addr');
    return new DwarfReader(sec, '.debug_addr', this.addrBase + index * this.h.addrSize).uN(this.h.addrSize);
  }

  /** Address ranges of a DIE as DWARF addresses [start, end); tombstoned ranges are dropped. */
  ranges(die: Die): Array<[number, number]> {
    const low = die.attr(AT.low_pc);
    const out: Array<[number, number]> = [];
    const ra = die.attr(AT.ranges);
    if (ra) this.rangeList(ra, out);
    else if (low) {
      const lo = this.resolveAddr(low);
      const high = die.attr(AT.high_pc);
      if (!high) { out.push([lo, lo + 1]); }
      else {
        const hi = high.form === FORM.addr || high.form >= FORM.addrx1 && high.form <= FORM.addrx4 || high.form === FORM.addrx
          ? this.resolveAddr(high) : lo + Number(high.value);
        out.push([lo, hi]);
      }
    }
    return out.filter(([s, e]) => e > s && s !== 0 && s < 0xfffffffe);
  }

  private rangeList(a: Attr, out: Array<[number, number]>): void {
    const sec = this.dwarf.sec;
    const base0 = this.root() === null ? 0 : this.baseAddress;
    if (this.h.version < 5) {
      if (!sec.ranges) throw new DwarfError('DW_AT_ranges without .debug_ranges');
      const r = new DwarfReader(sec.ranges, '.debug_ranges', a.value as number);
      const as = this.h.addrSize, max = as === 8 ? 2 ** 64 - 1 : 0xffffffff;
      let base = base0;
      for (let i = 0; i < 100000; i++) {
        const s = r.uN(as), e = r.uN(as);
        if (s === 0 && e === 0) return;
        if (s === max) { base = e; continue; }
        out.push([base + s, base + e]);
      }
      return;
    }
    if (!sec.rnglists) throw new DwarfError('DW_AT_ranges without .debug_rnglists');
    let off: number;
    if (a.form === FORM.rnglistx) {
      const os = this.h.offsetSize;
      off = this.rnglistsBase + new DwarfReader(sec.rnglists, '.debug_rnglists', this.rnglistsBase + (a.value as number) * os).uN(os);
    } else off = a.value as number;
    const r = new DwarfReader(sec.rnglists, '.debug_rnglists', off);
    const as = this.h.addrSize;
    let base = base0;
    for (let i = 0; i < 100000; i++) {
      const k = r.u8();
      switch (k) {
        case 0: return; // end_of_list
        case 1: base = this.addrx(r.uleb()); break; // base_addressx
        case 2: { const s = this.addrx(r.uleb()); const e = this.addrx(r.uleb()); out.push([s, e]); break; } // startx_endx
        case 3: { const s = this.addrx(r.uleb()); out.push([s, s + r.uleb()]); break; } // startx_length
        case 4: { const s = r.uleb(), e = r.uleb(); out.push([base + s, base + e]); break; } // offset_pair
        case 5: base = r.uN(as); break; // base_address
        case 6: { const s = r.uN(as), e = r.uN(as); out.push([s, e]); break; } // start_end
        case 7: { const s = r.uN(as); out.push([s, s + r.uleb()]); break; } // start_length
        default: r.fail(`unknown range list entry ${k}`);
      }
    }
  }

  /** The expression of a location-list attribute in effect at DWARF address `pc`, or null. */
  locationAt(a: Attr, pc: number): Uint8Array | null {
    if (a.value instanceof Uint8Array) return a.value;
    const sec = this.dwarf.sec;
    this.root();
    if (this.h.version < 5) {
      if (!sec.loc) throw new DwarfError('location list without .debug_loc');
      const r = new DwarfReader(sec.loc, '.debug_loc', a.value as number);
      const as = this.h.addrSize, max = as === 8 ? 2 ** 64 - 1 : 0xffffffff;
      let base = this.baseAddress;
      for (let i = 0; i < 100000; i++) {
        const s = r.uN(as), e = r.uN(as);
        if (s === 0 && e === 0) return null;
        if (s === max) { base = e; continue; }
        const expr = r.bytes(r.u16());
        if (pc >= base + s && pc < base + e) return expr;
      }
      return null;
    }
    if (!sec.loclists) throw new DwarfError('location list without .debug_loclists');
    let off: number;
    if (a.form === FORM.loclistx) {
      const os = this.h.offsetSize;
      off = this.loclistsBase + new DwarfReader(sec.loclists, '.debug_loclists', this.loclistsBase + (a.value as number) * os).uN(os);
    } else off = a.value as number;
    const r = new DwarfReader(sec.loclists, '.debug_loclists', off);
    const as = this.h.addrSize;
    let base = this.baseAddress;
    for (let i = 0; i < 100000; i++) {
      const k = r.u8();
      let s = 0, e = 0;
      switch (k) {
        case 0: return null;
        case 1: base = this.addrx(r.uleb()); continue;
        case 2: s = this.addrx(r.uleb()); e = this.addrx(r.uleb()); break;
        case 3: s = this.addrx(r.uleb()); e = s + r.uleb(); break;
        case 4: s = base + r.uleb(); e = base + r.uleb(); break;
        case 5: { const expr = r.bytes(r.uleb()); return expr; } // default_location
        case 6: base = r.uN(as); continue;
        case 7: s = r.uN(as); e = r.uN(as); break;
        case 8: s = r.uN(as); e = s + r.uleb(); break;
        default: r.fail(`unknown location list entry ${k}`);
      }
      const expr = r.bytes(r.uleb());
      if (pc >= s && pc < e) return expr;
    }
    return null;
  }

  get isRust(): boolean { this.root(); return this.language === 0x1c; }
  get isCpp(): boolean { this.root(); return [0x04, 0x19, 0x1a, 0x21, 0x2b].includes(this.language); }
}

/** What units need from the whole: sections, abbreviation tables, cross-unit DIE lookup. */
export class DwarfContext {
  readonly units: Unit[] = [];
  readonly errors: DwarfError[] = [];
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();

  constructor(readonly sec: DebugSections) {
    const info = sec.info;
    if (!info) return;
    const r = new DwarfReader(info, '.debug_info');
    try {
      while (r.pos < info.length) {
        const offset = r.pos;
        const [len, offsetSize] = r.initialLength();
        const end = r.pos + len;
        if (end > info.length) r.fail('unit extends past .debug_info', offset);
        const version = r.u16();
        if (version < 2 || version > 5) r.fail(`unsupported DWARF version ${version}`, offset);
        let unitType = 1, addrSize: number, abbrevOffset: number;
        if (version >= 5) {
          unitType = r.u8(); addrSize = r.u8(); abbrevOffset = r.uN(offsetSize);
          if (unitType === 4 || unitType === 5) r.skip(8); // skeleton / split: dwo id
          else if (unitType === 2 || unitType === 6) r.skip(8 + offsetSize); // type units
        } else { abbrevOffset = r.uN(offsetSize); addrSize = r.u8(); }
        if (addrSize !== 4 && addrSize !== 8) r.fail(`unsupported address size ${addrSize}`, offset);
        this.units.push(new Unit(this, { offset, version, unitType, offsetSize, addrSize, abbrevOffset, dieStart: r.pos, end }));
        r.pos = end;
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.errors.push(e);
    }
  }

  abbrevs(offset: number): Map<number, Abbrev> {
    let m = this.abbrevCache.get(offset);
    if (m) return m;
    if (!this.sec.abbrev) throw new DwarfError('missing section .debug_abbrev');
    m = new Map();
    const r = new DwarfReader(this.sec.abbrev, '.debug_abbrev', offset);
    for (;;) {
      const code = r.uleb();
      if (code === 0) break;
      const tag = r.uleb();
      const children = r.u8() !== 0;
      const attrs: AbbrevAttr[] = [];
      for (;;) {
        const at = r.uleb(), form = r.uleb();
        if (at === 0 && form === 0) break;
        const implicit = form === FORM.implicit_const ? r.sleb() : 0;
        attrs.push({ at, form, implicit });
      }
      m.set(code, { tag, children, attrs });
    }
    this.abbrevCache.set(offset, m);
    return m;
  }

  unitAtOffset(offset: number): Unit | null {
    const u = this.units;
    let lo = 0, hi = u.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (u[mid].h.end <= offset) lo = mid + 1;
      else if (u[mid].h.offset > offset) hi = mid - 1;
      else return u[mid];
    }
    return null;
  }

  dieAt(offset: number): Die | null {
    return this.unitAtOffset(offset)?.dieAt(offset) ?? null;
  }
}

export const SCOPE_TAGS = new Set<number>([TAG.lexical_block, TAG.inlined_subroutine]);
