// DWARF line programs (versions 2 to 5) decoded into one address-sorted table for the whole module.
// Addresses are module byte offsets (see sections.ts); sequences whose start is not inside a
// function body (dead code dropped by the linker: tombstone 0 / -1 / -2) are discarded.

import { DwarfError, DwarfReader, strAt } from './reader';
import type { DebugSections } from './sections';

export interface LineRow {
  /** Module byte offset. */
  readonly offset: number;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly prologueEnd: boolean;
}

/** One decoded line-program row, before sorting. */
interface RawSeq { addr: number[]; line: number[]; col: number[]; file: number[]; flags: number[] }

const F_STMT = 1, F_END = 2, F_PROLOGUE = 4;

const DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b, DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06,
  DW_FORM_data8 = 0x07, DW_FORM_data16 = 0x1e, DW_FORM_string = 0x08, DW_FORM_strp = 0x0e, DW_FORM_line_strp = 0x1f,
  DW_FORM_udata = 0x0f, DW_FORM_strx = 0x1a, DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28;

export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Builds line tables from line programs; one builder collects every CU's program. */
export class LineTableBuilder {
  private readonly seqs: RawSeq[] = [];
  private readonly fileIds = new Map<string, number>();
  readonly fileNames: string[] = [];
  errors: DwarfError[] = [];

  constructor(private readonly sec: DebugSections, private readonly codeBase: number,
    private readonly inCode: (offset: number) => boolean) {}

  private fileId(path: string): number {
    let id = this.fileIds.get(path);
    if (id === undefined) { id = this.fileNames.length; this.fileNames.push(path); this.fileIds.set(path, id); }
    return id;
  }

  /** Decodes the line program at `offset` of .debug_line; returns its file table (module ids by DWARF file index). */
  addProgram(offset: number, compDir: string, strOffsetsBase = 0): number[] {
    const sec = this.sec;
    if (!sec.line) throw new DwarfError('missing section .debug_line');
    const r = new DwarfReader(sec.line, '.debug_line', offset);
    const [len, offSize] = r.initialLength();
    const end = r.pos + len;
    if (end > sec.line.length) r.fail('line program extends past the section');
    r.end = end;
    const version = r.u16();
    if (version < 2 || version > 5) r.fail(`unsupported line table version ${version}`);
    let addrSize = 4;
    if (version >= 5) { addrSize = r.u8(); r.u8(); }
    const headerLen = r.uN(offSize);
    const progStart = r.pos + headerLen;
    const minInst = r.u8() || 1;
    if (version >= 4) r.u8(); // max ops per instruction (VLIW only)
    const defaultStmt = r.u8() !== 0;
    const lineBase = (r.u8() << 24) >> 24;
    const lineRange = r.u8();
    if (lineRange === 0) r.fail('line_range is 0');
    const opcodeBase = r.u8();
    const stdLens: number[] = [0];
    for (let i = 1; i < opcodeBase; i++) stdLens.push(r.u8());

    const dirs: string[] = [];
    const files: number[] = []; // DWARF file index -> module file id
    if (version < 5) {
      dirs.push(compDir);
      for (;;) { const d = r.cstr(); if (d === '') break; dirs.push(joinPath(compDir, d)); }
      files.push(-1); // file 0 is not used before v5
      for (;;) {
        const name = r.cstr(); if (name === '') break;
        const di = r.uleb(); r.uleb(); r.uleb();
        files.push(this.fileId(joinPath(dirs[di] ?? compDir, name)));
      }
    } else {
      const readEntries = (): Array<{ path: string; dir: number }> => {
        const fmtCount = r.u8();
        const fmt: Array<[number, number]> = [];
        for (let i = 0; i < fmtCount; i++) fmt.push([r.uleb(), r.uleb()]);
        const n = r.uleb();
        const out: Array<{ path: string; dir: number }> = [];
        for (let i = 0; i < n; i++) {
          let path = '', dir = 0;
          for (const [ct, form] of fmt) {
            let num = 0, str: string | null = null;
            switch (form) {
              case DW_FORM_string: str = r.cstr(); break;
              case DW_FORM_line_strp: str = strAt(sec.lineStr, r.uN(offSize), '.debug_line_str'); break;
              case DW_FORM_strp: str = strAt(sec.str, r.uN(offSize), '.debug_str'); break;
              case DW_FORM_strx: case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3: case DW_FORM_strx4: {
                const idx = form === DW_FORM_strx ? r.uleb() : form === DW_FORM_strx1 ? r.u8() : form === DW_FORM_strx2 ? r.u16() : form === DW_FORM_strx3 ? r.u24() : r.u32();
                if (!sec.strOffsets) throw new DwarfError('strx without .debug_str_offsets');
                const so = new DwarfReader(sec.strOffsets, '.debug_str_offsets', strOffsetsBase + idx * offSize).uN(offSize);
                str = strAt(sec.str, so, '.debug_str');
                break;
              }
              case DW_FORM_udata: num = r.uleb(); break;
              case DW_FORM_data1: num = r.u8(); break;
              case DW_FORM_data2: num = r.u16(); break;
              case DW_FORM_data4: num = r.u32(); break;
              case DW_FORM_data8: num = r.u64(); break;
              case DW_FORM_data16: r.skip(16); break;
              case DW_FORM_block: r.skip(r.uleb()); break;
              case DW_FORM_block1: r.skip(r.u8()); break;
              default: r.fail(`unsupported form 0x${form.toString(16)} in line table header`);
            }
            if (ct === 1 && str !== null) path = str;
            else if (ct === 2) dir = num;
          }
          out.push({ path, dir });
        }
        return out;
      };
      for (const d of readEntries()) dirs.push(dirs.length === 0 ? joinPath(compDir, d.path) : joinPath(dirs[0] ?? compDir, d.path));
      for (const f of readEntries()) files.push(this.fileId(joinPath(dirs[f.dir] ?? compDir, f.path)));
    }

    // the program
    r.pos = progStart;
    let addr = 0, file = 1, line = 1, col = 0, stmt = defaultStmt, prologue = false;
    let seq: RawSeq = { addr: [], line: [], col: [], file: [], flags: [] };
    const emit = (end: boolean): void => {
      seq.addr.push(addr); seq.line.push(line); seq.col.push(col);
      seq.file.push(files[file] ?? -1);
      seq.flags.push((stmt ? F_STMT : 0) | (end ? F_END : 0) | (prologue ? F_PROLOGUE : 0));
    };
    const reset = (): void => { addr = 0; file = 1; line = 1; col = 0; stmt = defaultStmt; prologue = false; };
    while (r.pos < end) {
      const op = r.u8();
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        addr += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        emit(false); prologue = false;
        continue;
      }
      switch (op) {
        case 0: {
          const n = r.uleb();
          const next = r.pos + n;
          if (n === 0) break;
          const ext = r.u8();
          if (ext === 1) { emit(true); this.finish(seq); seq = { addr: [], line: [], col: [], file: [], flags: [] }; reset(); }
          else if (ext === 2) addr = n - 1 === 8 ? r.u64() : r.uN(n - 1 || addrSize);
          r.pos = next;
          break;
        }
        case 1: emit(false); prologue = false; break;
        case 2: addr += r.uleb() * minInst; break;
        case 3: line += r.sleb(); break;
        case 4: file = r.uleb(); break;
        case 5: col = r.uleb(); break;
        case 6: stmt = !stmt; break;
        case 7: break;
        case 8: addr += Math.floor((255 - opcodeBase) / lineRange) * minInst; break;
        case 9: addr += r.u16(); break;
        case 10: prologue = true; break;
        case 11: break;
        case 12: r.uleb(); break;
        default: for (let i = 0; i < stdLens[op]; i++) r.uleb();
      }
    }
    return files;
  }

  private finish(seq: RawSeq): void {
    if (seq.addr.length < 2) return;
    const start = seq.addr[0];
    if (start === 0 || start >= 0xfffffffe || !this.inCode(start + this.codeBase)) return;
    this.seqs.push(seq);
  }

  build(): LineTable {
    this.seqs.sort((a, b) => a.addr[0] - b.addr[0]);
    let n = 0;
    for (const s of this.seqs) n += s.addr.length;
    const addr = new Float64Array(n), line = new Uint32Array(n), col = new Uint32Array(n), file = new Int32Array(n), flags = new Uint8Array(n);
    let k = 0;
    let lastEnd = -1;
    for (const s of this.seqs) {
      // overlapping sequences (should not happen after linking): keep the first
      if (s.addr[0] + this.codeBase < lastEnd) continue;
      for (let i = 0; i < s.addr.length; i++, k++) {
        addr[k] = s.addr[i] + this.codeBase; line[k] = s.line[i]; col[k] = s.col[i]; file[k] = s.file[i]; flags[k] = s.flags[i];
      }
      lastEnd = addr[k - 1];
    }
    return new LineTable(addr.subarray(0, k), line.subarray(0, k), col.subarray(0, k), file.subarray(0, k), flags.subarray(0, k), this.fileNames);
  }
}

/** The module's line table, sorted by address. Queries are binary searches. */
export class LineTable {
  private byFile: Map<number, { lines: Uint32Array; offs: Float64Array }> | null = null;

  constructor(private readonly addr: Float64Array, private readonly line: Uint32Array, private readonly col: Uint32Array,
    private readonly file: Int32Array, private readonly flags: Uint8Array, readonly files: readonly string[]) {}

  get size(): number { return this.addr.length; }

  /** The row in effect at a module byte offset, or null if the offset has no line information. */
  lookup(offset: number): LineRow | null {
    const a = this.addr;
    let lo = 0, hi = a.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0 || this.flags[found] & F_END) return null;
    return this.row(found);
  }

  private row(i: number): LineRow {
    const f = this.file[i];
    return {
      offset: this.addr[i], file: f >= 0 ? this.files[f] : '', line: this.line[i], column: this.col[i],
      isStmt: (this.flags[i] & F_STMT) !== 0, prologueEnd: (this.flags[i] & F_PROLOGUE) !== 0,
    };
  }

  /** All rows (for tests and dumps). */
  rows(): LineRow[] {
    const out: LineRow[] = [];
    for (let i = 0; i < this.addr.length; i++) if (!(this.flags[i] & F_END)) out.push(this.row(i));
    return out;
  }

  /** Module file ids whose path matches `path`: the shorter path's components are a suffix of the
   *  longer's (so "vars.c", "src/vars.c" and "/home/me/src/vars.c" all match "/build/src/vars.c");
   *  failing that, files with the same base name if they are all in one directory. */
  matchFiles(path: string): number[] {
    const comps = (p: string): string[] => p.replace(/\\/g, '/').split('/').filter((c) => c !== '' && c !== '.');
    const want = comps(path);
    const out: number[] = [];
    this.files.forEach((f, i) => {
      const have = comps(f);
      const n = Math.min(want.length, have.length);
      if (n === 0) return;
      for (let k = 1; k <= n; k++) if (want[want.length - k] !== have[have.length - k]) return;
      out.push(i);
    });
    if (out.length > 0 || want.length === 0) return out;
    // no suffix match (the build directory was remapped or moved): the same base name, if only one
    // directory has it
    const base = want[want.length - 1];
    const dirs = new Set<string>();
    this.files.forEach((f, i) => {
      const have = comps(f);
      if (have[have.length - 1] === base) { out.push(i); dirs.add(have.slice(0, -1).join('/')); }
    });
    return dirs.size === 1 ? out : [];
  }

  private index(): Map<number, { lines: Uint32Array; offs: Float64Array }> {
    if (this.byFile) return this.byFile;
    // breakpoint locations: is_stmt rows that begin a run of their line (the previous row in the
    // same sequence has another line or file), per file, sorted by (line, offset)
    const tmp = new Map<number, Array<[number, number]>>();
    for (let i = 0; i < this.addr.length; i++) {
      const fl = this.flags[i];
      if (fl & F_END || !(fl & F_STMT) || this.line[i] === 0) continue;
      const prevSame = i > 0 && !(this.flags[i - 1] & F_END) && this.line[i - 1] === this.line[i] && this.file[i - 1] === this.file[i];
      if (prevSame) continue;
      // the same address twice (several rows at one offset): keep the last (what lookup returns)
      if (i + 1 < this.addr.length && this.addr[i + 1] === this.addr[i] && !(this.flags[i + 1] & F_END)) continue;
      let l = tmp.get(this.file[i]);
      if (!l) tmp.set(this.file[i], l = []);
      l.push([this.line[i], this.addr[i]]);
    }
    this.byFile = new Map();
    for (const [f, l] of tmp) {
      l.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      this.byFile.set(f, { lines: Uint32Array.from(l, (e) => e[0]), offs: Float64Array.from(l, (e) => e[1]) });
    }
    return this.byFile;
  }

  /**
   * Breakpoint locations for `file:line`: the first offset of each run of statement rows of that
   * line (one per inlined copy / loop part). If the line has no code, the next line that has code
   * (in the same file) is used; `line` in the result says which.
   */
  resolveLine(path: string, line: number): { line: number; offsets: number[] } | null {
    const idx = this.index();
    let best: { line: number; offsets: number[] } | null = null;
    for (const f of this.matchFiles(path)) {
      const e = idx.get(f);
      if (!e) continue;
      let lo = 0, hi = e.lines.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (e.lines[mid] < line) lo = mid + 1; else hi = mid; }
      if (lo >= e.lines.length) continue;
      const l = e.lines[lo];
      if (best && best.line < l) continue;
      if (!best || l < best.line) best = { line: l, offsets: [] };
      for (let i = lo; i < e.lines.length && e.lines[i] === l; i++) best.offsets.push(e.offs[i]);
    }
    if (best) best.offsets.sort((a, b) => a - b);
    return best;
  }

  private rowIndex(offset: number): number {
    const a = this.addr;
    let lo = 0, hi = a.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (a[mid] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    if (found < 0 || this.flags[found] & F_END) return -1;
    // line 0 ("no source line", compiler-generated code) belongs to the line before it in the sequence
    while (found > 0 && this.line[found] === 0 && !(this.flags[found - 1] & F_END)) found--;
    return found;
  }

  /** For stepping: true if both offsets have line information and are on the same file and line
   *  (rows with line 0 count as the line before them). */
  sameLine(a: number, b: number): boolean {
    const i = this.rowIndex(a), j = this.rowIndex(b);
    if (i < 0 || j < 0) return false;
    return this.line[i] === this.line[j] && this.file[i] === this.file[j];
  }

  /** The address range [start, end) of the row containing `offset` (for "same statement" stepping). */
  rangeAt(offset: number): { start: number; end: number } | null {
    const a = this.addr;
    let lo = 0, hi = a.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (a[mid] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    if (found < 0 || this.flags[found] & F_END || found + 1 >= a.length) return null;
    return { start: a[found], end: a[found + 1] };
  }
}
