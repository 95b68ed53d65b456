// Round-trip check for the module printer: decode -> printModule -> assemble -> decode, then compare
// the two decoded modules section by section (function bodies byte for byte; the name section and
// the data-count section, which an assembler derives on its own, are not compared; nor are other
// custom sections, which the WebAssembly 2.0 text format cannot express: the printer lists them as
// comments). Constant expressions and bodies of `(module binary ...)` modules are compared
// instruction by instruction, since such binaries may pad their LEB128s.
//
// Assemblers: the project's own `assembleWat` (engine/wat/assembler.ts) and wabt's `wat2wasm` (used
// only if installed). Modules come from testsuite .wast files converted with wabt's `wast2json`.
//
// Also runnable as a development script after building:
//   node out/test/support/disasmRoundTrip.js [wast-name-filter...]

import { isMain } from './isMain';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { BlockKind, InstrReader } from '../../engine/core/instr';
import type { ConstExpr, ElemItem, Module } from '../../engine/core/module';
import { Imm, Op } from '../../engine/core/opcodes';
import { printModule } from '../../engine/disasm/printer';
import { assembleWat } from '../../engine/wat/assembler';

export const SUITE = process.env.WASM_SPEC_TESTSUITE ?? '/work/shared/wasm-spec-testsuite';
const WABT_FLAGS = ['--enable-tail-call'];

export type Assemble = (text: string) => Uint8Array;
export interface NamedAssembler {
  name: string;
  assemble: Assemble;
  /** Assemble many texts at once (one result or error per text); faster for an external tool. */
  assembleMany?: (texts: string[]) => (Uint8Array | Error)[];
}

function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
export const haveWat2wasm = hasTool('wat2wasm');
export const haveWast2json = hasTool('wast2json');

/** wabt's wat2wasm as an assembler (throws with its error output when it refuses the text). */
export function wat2wasm(text: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'disasm-w2w-'));
  try {
    const src = join(dir, 'm.wat');
    const out = join(dir, 'm.wasm');
    writeFileSync(src, text);
    try {
      execFileSync('wat2wasm', [...WABT_FLAGS, src, '-o', out], { stdio: 'pipe' });
    } catch (e) {
      const err = e as { stderr?: Buffer };
      throw new Error(`wat2wasm: ${err.stderr?.toString() ?? String(e)}`);
    }
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Many modules through one wast2json run (one process instead of one per module); if any text is
 *  refused, each is assembled on its own to tell which. */
export function wat2wasmMany(texts: string[]): (Uint8Array | Error)[] {
  if (texts.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'disasm-w2j-batch-'));
  try {
    const src = join(dir, 'all.wast');
    writeFileSync(src, texts.join('\n'));
    const json = join(dir, 'all.json');
    try {
      execFileSync('wast2json', [...WABT_FLAGS, src, '-o', json], { stdio: 'pipe' });
    } catch {
      return texts.map(t => {
        try { return wat2wasm(t); } catch (e) { return e instanceof Error ? e : new Error(String(e)); }
      });
    }
    const cmds = (JSON.parse(readFileSync(json, 'utf8')) as { commands: { type: string; filename?: string }[] }).commands
      .filter(c => c.type === 'module');
    if (cmds.length !== texts.length) throw new Error(`wast2json produced ${cmds.length} modules for ${texts.length} texts`);
    return cmds.map(c => new Uint8Array(readFileSync(join(dir, c.filename!))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The project's assembler (engine/wat/assembler.ts). */
export function projectAssembler(): Assemble {
  return text => assembleWat(text).binary;
}

export function availableAssemblers(): NamedAssembler[] {
  const list: NamedAssembler[] = [];
  list.push({ name: 'assembleWat', assemble: projectAssembler() });
  if (haveWat2wasm) list.push({ name: 'wat2wasm', assemble: wat2wasm, assembleMany: haveWast2json ? wat2wasmMany : undefined });
  return list;
}

// ---- comparison ----------------------------------------------------------------------------------

function slice(m: Module, e: ConstExpr): Uint8Array {
  return m.bytes.subarray(e.start, e.end);
}
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function hex(b: Uint8Array): string {
  return [...b].map(x => x.toString(16).padStart(2, '0')).join(' ');
}

/** An element item as comparable text: a legacy function index and a `ref.func i` expression are
 *  the same item (which encoding an assembler picks is its choice). */
function itemKey(m: Module, it: ElemItem): string {
  if (typeof it === 'number') return `func ${it}`;
  const r = new InstrReader(m.bytes, it.start, it.end);
  r.next();
  if (r.op === Op.ref_func) {
    const idx = r.idx;
    r.next();
    if (r.op === Op.end && r.pos === it.end) return `func ${idx}`;
  }
  return 'expr'; // compared instruction by instruction with the other constant expressions
}

/** Instruction-level comparison of two bodies (op and immediates), ignoring what the text format
 *  leaves to the assembler: LEB128 padding, and a block type given as a type index whose type has
 *  no parameters and at most one result (wabt and our assembler both encode `(type x)` of such a
 *  type in the short form). */
function sameInstrs(a: Module, ae: ConstExpr, b: Module, be: ConstExpr): boolean {
  const ra = new InstrReader(a.bytes, ae.start, ae.end);
  const rb = new InstrReader(b.bytes, be.start, be.end);
  while (ra.pos < ra.end && rb.pos < rb.end) {
    ra.next();
    rb.next();
    if (ra.op !== rb.op) return false;
    const ia = a.bytes.subarray(ra.offset, ra.pos), ib = b.bytes.subarray(rb.offset, rb.pos);
    if (!sameBytes(ia, ib) && immKey(a, ra) !== immKey(b, rb)) return false;
  }
  return ra.pos >= ra.end && rb.pos >= rb.end;
}
/** The immediates of the instruction just read, as comparable text (only the fields its kind uses:
 *  the reader's other fields keep values from earlier instructions). */
function immKey(m: Module, r: InstrReader): string {
  switch (r.info.imm) {
    case Imm.BlockType: {
      let kind: number = r.blockKind, value = r.blockValue;
      if (kind === BlockKind.TypeIndex) {
        const t = m.types[value];
        if (t && t.params.length === 0 && t.results.length <= 1) {
          kind = t.results.length ? BlockKind.Value : BlockKind.Empty;
          value = t.results.length ? t.results[0] : 0;
        }
      }
      return kind === BlockKind.Empty ? 'empty' : `${kind}:${value}`;
    }
    case Imm.BrTable: return `${r.brTargets.slice(0, r.brCount).join(',')};${r.brDefault}`;
    case Imm.CallIndirect: case Imm.TableInit: case Imm.TableCopy: return `${r.idx},${r.idx2}`;
    case Imm.MemArg: return `${r.align},${r.memOffset}`;
    case Imm.MemArgLane: return `${r.align},${r.memOffset},${r.lane}`;
    case Imm.I32: case Imm.F32: return String(r.i32);
    case Imm.I64: case Imm.F64: return `${r.i64[0]},${r.i64[1]}`;
    case Imm.V128: case Imm.Shuffle: return r.v128.join(',');
    case Imm.Lane: return String(r.lane);
    case Imm.RefType: return String(r.refType);
    case Imm.SelectT: return r.selectTypes.join(',');
    case Imm.None: case Imm.Memory: case Imm.MemCopy: case Imm.MemFill: return '';
    default: return String(r.idx); // one index
  }
}

export interface CompareResult {
  /** First difference found, or null when the modules are equal. */
  diff: string | null;
  /** Every function body is byte-identical (not just equal instruction by instruction). */
  exactCode: boolean;
}

export function compareModules(a: Module, b: Module): CompareResult {
  let exactCode = true;
  const d = (what: string, x: unknown, y: unknown): string | null =>
    JSON.stringify(x) === JSON.stringify(y) ? null : `${what}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
  const r = (diff: string | null): CompareResult => ({ diff, exactCode });
  let diff = d('types', a.types, b.types)
    ?? d('imports', a.imports.map(i => [i.module, i.name, i.desc]), b.imports.map(i => [i.module, i.name, i.desc]))
    ?? d('function count', a.funcs.length, b.funcs.length)
    ?? d('tables', a.tables, b.tables)
    ?? d('memories', a.memories, b.memories)
    ?? d('globals', a.globals.map(g => g.type), b.globals.map(g => g.type))
    ?? d('exports', a.exports.map(e => [e.name, e.kind, e.index]), b.exports.map(e => [e.name, e.kind, e.index]))
    ?? d('start', a.start, b.start)
    ?? d('elems', a.elems.map(s => [s.mode, s.table, s.offset !== null, s.type, s.items.map(i => itemKey(a, i))]),
      b.elems.map(s => [s.mode, s.table, s.offset !== null, s.type, s.items.map(i => itemKey(b, i))]))
    ?? d('datas', a.datas.map(s => [s.mode, s.memory, s.offset !== null, hex(s.data)]),
      b.datas.map(s => [s.mode, s.memory, s.offset !== null, hex(s.data)]))
    ?? null;
  if (diff) return r(diff);
  // constant expressions: equal instruction by instruction (a binary module may pad its LEBs)
  const exprs = (m: Module): ConstExpr[] => [
    ...m.globals.map(g => g.init),
    ...m.elems.flatMap(s => [...(s.offset ? [s.offset] : []), ...s.items.filter((i): i is ConstExpr => itemKey(m, i) === 'expr')]),
    ...m.datas.flatMap(s => (s.offset ? [s.offset] : [])),
  ];
  const ea = exprs(a), eb = exprs(b);
  if (ea.length !== eb.length) return r(`constant expression count: ${ea.length} vs ${eb.length}`);
  for (let i = 0; i < ea.length; i++) {
    if (!sameInstrs(a, ea[i], b, eb[i])) return r(`constant expression ${i}: ${hex(slice(a, ea[i]))} vs ${hex(slice(b, eb[i]))}`);
  }
  for (let i = 0; i < a.funcs.length; i++) {
    const fa = a.funcs[i], fb = b.funcs[i];
    diff = d(`func ${i} type`, fa.typeIndex, fb.typeIndex) ?? d(`func ${i} locals`, fa.locals, fb.locals);
    if (diff) return r(diff);
    const ba = a.bytes.subarray(fa.codeStart, fa.codeEnd), bb = b.bytes.subarray(fb.codeStart, fb.codeEnd);
    if (sameBytes(ba, bb)) continue;
    exactCode = false;
    if (!sameInstrs(a, { start: fa.codeStart, end: fa.codeEnd }, b, { start: fb.codeStart, end: fb.codeEnd })) {
      return r(`func ${i} code differs:\n  ${hex(ba)}\n  ${hex(bb)}`);
    }
  }
  return r(null);
}

/** Print `m`, assemble the text, decode, compare. */
export function roundTrip(m: Module, assemble: Assemble): CompareResult & { text: string } {
  const text = printModule(m);
  let binary: Uint8Array | Error;
  try {
    binary = assemble(text);
  } catch (e) {
    binary = e instanceof Error ? e : new Error(String(e));
  }
  return { ...compareAssembled(m, binary), text };
}

/** Compare `m` with the module assembled from its printed text (or the assembler's error). */
export function compareAssembled(m: Module, binary: Uint8Array | Error): CompareResult {
  if (binary instanceof Error) return { diff: `assembling the printed text failed: ${binary.message}`, exactCode: false };
  let m2: Module;
  try {
    m2 = decodeModule(binary);
  } catch (e) {
    return { diff: `decoding the assembled text failed: ${e instanceof Error ? e.message : String(e)}`, exactCode: false };
  }
  return compareModules(m, m2);
}

// ---- testsuite modules ---------------------------------------------------------------------------

export interface SuiteModule {
  /** `file.wast:line` */
  where: string;
  bytes: Uint8Array;
  /** Written in the .wast as `(module binary ...)` (its encoding may be non-canonical). */
  fromBinary: boolean;
}

/** Split a .wast text into its top-level S-expressions (strings and comments respected). */
function topLevelForms(src: string): { text: string; line: number }[] {
  const forms: { text: string; line: number }[] = [];
  let depth = 0, start = -1, line = 1, startLine = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') { line++; continue; }
    if (c === ';' && src[i + 1] === ';') { while (i + 1 < src.length && src[i + 1] !== '\n') i++; continue; }
    if (c === '(' && src[i + 1] === ';') {
      let d = 1;
      i += 2;
      while (i < src.length && d > 0) {
        if (src[i] === '\n') line++;
        if (src[i] === '(' && src[i + 1] === ';') { d++; i += 2; } else if (src[i] === ';' && src[i + 1] === ')') { d--; i += 2; } else i++;
      }
      i--;
      continue;
    }
    if (c === '"') { i++; while (i < src.length && src[i] !== '"') { if (src[i] === '\\') i++; i++; } continue; }
    if (c === '(') { if (depth === 0) { start = i; startLine = line; } depth++; }
    else if (c === ')') { depth--; if (depth === 0 && start >= 0) { forms.push({ text: src.slice(start, i + 1), line: startLine }); start = -1; } }
  }
  return forms;
}

interface Cmd { type: string; line: number; filename?: string }

function wast2json(path: string, dir: string, stem: string, flags: string[]): Cmd[] | null {
  const json = join(dir, `${stem}.json`);
  try {
    execFileSync('wast2json', [...WABT_FLAGS, ...flags, path, '-o', json], { stdio: 'pipe' });
  } catch {
    return null;
  }
  return (JSON.parse(readFileSync(json, 'utf8')) as { commands: Cmd[] }).commands;
}

/** Every `(module ...)` command of a testsuite file, as binaries (wast2json), or null when
 *  wast2json is missing. A file wast2json refuses as a whole is converted form by form (forms it
 *  still refuses are left out). Cached per file. */
const converted = new Map<string, SuiteModule[] | null>();
export function suiteModules(wastPath: string, debugNames = false): SuiteModule[] | null {
  const key = `${debugNames}:${wastPath}`;
  if (!converted.has(key)) converted.set(key, convertSuiteFile(wastPath, debugNames));
  return converted.get(key)!;
}

function convertSuiteFile(wastPath: string, debugNames: boolean): SuiteModule[] | null {
  const flags = debugNames ? ['--debug-names'] : [];
  if (!haveWast2json || !existsSync(wastPath)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'disasm-w2j-'));
  try {
    const text = readFileSync(wastPath, 'utf8');
    const src = text.split('\n');
    const out: SuiteModule[] = [];
    const collect = (cmds: Cmd[], lineBase: number): void => {
      for (const c of cmds) {
        if (c.type !== 'module' || !c.filename) continue;
        const line = c.line + lineBase;
        const head = src.slice(line - 1, line + 1).join(' ');
        out.push({
          where: `${basename(wastPath)}:${line}`,
          bytes: new Uint8Array(readFileSync(join(dir, c.filename))),
          fromBinary: /\(module\s+(\$\S+\s+)?binary\b/.test(head),
        });
      }
    };
    const whole = wast2json(wastPath, dir, 'all', flags);
    if (whole) collect(whole, 0);
    else {
      topLevelForms(text).forEach((f, i) => {
        if (!/^\(\s*module\b/.test(f.text)) return;
        const p = join(dir, `f${i}.wast`);
        writeFileSync(p, f.text);
        const cmds = wast2json(p, dir, `f${i}`, flags);
        if (cmds) collect(cmds, f.line - 1);
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SuiteCounts { modules: number; ok: number; exact: number; failures: string[] }

/** Round-trip every module of a testsuite file; `debugNames` converts with wabt's `--debug-names`
 *  so the modules carry a name section (the printer then prints `$names`). */
export function roundTripFile(wastPath: string, assembler: NamedAssembler, debugNames = false): SuiteCounts | null {
  const mods = suiteModules(wastPath, debugNames);
  if (!mods) return null;
  const counts: SuiteCounts = { modules: 0, ok: 0, exact: 0, failures: [] };
  const decoded: { sm: SuiteModule; m: Module; text: string }[] = [];
  for (const sm of mods) {
    try {
      const m = decodeModule(sm.bytes);
      decoded.push({ sm, m, text: printModule(m) });
    } catch {
      continue; // not a valid binary for this decoder (not the printer's business)
    }
  }
  const texts = decoded.map(d => d.text);
  const binaries = assembler.assembleMany ? assembler.assembleMany(texts) : texts.map(t => {
    try { return assembler.assemble(t); } catch (e) { return e instanceof Error ? e : new Error(String(e)); }
  });
  for (let i = 0; i < decoded.length; i++) {
    const { sm, m } = decoded[i];
    counts.modules++;
    const res = compareAssembled(m, binaries[i]);
    // text modules come out of wast2json canonically encoded, so their bodies must match byte for byte
    if (res.diff === null && (res.exactCode || sm.fromBinary)) counts.ok++;
    else counts.failures.push(`${sm.where}: ${res.diff ?? 'code not byte-identical'}`);
    if (res.diff === null && res.exactCode) counts.exact++;
  }
  return counts;
}

function main(): void {
  const filters = process.argv.slice(2);
  const assemblers = availableAssemblers();
  if (!assemblers.length) {
    console.log('no assembler available (neither engine/wat/assembler.ts nor wat2wasm)');
    return;
  }
  const files = readdirSync(SUITE).filter(f => f.endsWith('.wast')).sort()
    .concat(existsSync(join(SUITE, 'proposals/tail-call')) ? readdirSync(join(SUITE, 'proposals/tail-call')).map(f => 'proposals/tail-call/' + f) : [])
    .filter(f => !filters.length || filters.some(s => f.includes(s)));
  for (const a of assemblers) for (const debugNames of [false, true]) {
    let mods = 0, ok = 0, exact = 0, refused = 0;
    const fails: string[] = [];
    for (const f of files) {
      const c = roundTripFile(join(SUITE, f), a, debugNames);
      if (!c) { refused++; continue; }
      mods += c.modules; ok += c.ok; exact += c.exact;
      fails.push(...c.failures);
      if (c.failures.length) console.log(`${a.name} ${f}: ${c.ok}/${c.modules}`);
    }
    for (const f of fails.slice(0, 60)) console.log('FAIL', f.slice(0, 600));
    console.log(`${a.name}${debugNames ? ' (with names)' : ''}: ${ok}/${mods} modules round-trip (${exact} with byte-identical code), ${fails.length} failures, ${refused} files refused by wast2json`);
  }
}

if (isMain('disasmRoundTrip')) main();
