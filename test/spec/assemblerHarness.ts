// Assembler conformance harness: `node scripts/build.mjs && node out/test/spec/assemblerHarness.js
// [filter] [-v] [--names]`. For every module of every .wast in the spec testsuite (top level,
// proposals/tail-call, proposals/extended-const) it
//  - assembles text/quote modules with assembleWat (names off; with --names, names on against wabt's
//    --debug-names) and compares them byte for byte with wabt's wast2json output (per-module wat2wasm
//    when wast2json rejects a whole file; modules wabt 1.0.32 cannot assemble at all are counted apart),
//  - checks that every `assert_malformed (module quote ...)` fails with a ParseError whose message
//    starts with the expected text,
//  - cross-checks with V8 (independent of wabt): `module`s validate, `assert_invalid` modules do not,
//  - compares every action and expected result of the script parser with wast2json's JSON.
// Needs wast2json/wat2wasm on PATH; exits 0 with a notice when they are missing.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../../engine/core/errors';
import { opByName } from '../../engine/core/opcodes';
import { ValType } from '../../engine/core/types';
import { assembleWat } from '../../engine/wat/assembler';
import { WasmValue } from '../../engine/runtime/values';
import { WastAction, WastCommand, WastModule, WastPattern, parseWast, wastModuleBinary } from '../../engine/wat/wast';

const SUITE = '/work/shared/wasm-spec-testsuite';
const NAMES = process.argv.includes('--names');
const CACHE = NAMES ? '/tmp/wat-harness-wast2json-names' : '/tmp/wat-harness-wast2json';
const WABT_FLAGS = ['--enable-tail-call', '--enable-extended-const', '--no-check', ...(NAMES ? ['--debug-names'] : [])];

function hasWast2json(): boolean {
  try { execFileSync('wast2json', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

interface JsonValue { type: string; value?: string | string[]; lane_type?: string }
interface JsonCommand {
  type: string; line: number; filename?: string; module_type?: string; text?: string;
  action?: { type: string; field: string; module?: string; args?: JsonValue[] }; expected?: JsonValue[];
}
const allJson = new Map<string, Map<number, JsonCommand[]>>();

function oracle(file: string, key: string): Map<number, JsonCommand> | null {
  const dir = join(CACHE, key);
  const json = join(dir, 'out.json');
  if (!existsSync(json)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('wast2json', [...WABT_FLAGS, file, '-o', json], { stdio: 'pipe' });
    } catch {
      return null;
    }
  }
  const cmds = (JSON.parse(readFileSync(json, 'utf8')) as { commands: JsonCommand[] }).commands;
  const m = new Map<number, JsonCommand>();
  const all = new Map<number, JsonCommand[]>();
  for (const c of cmds) {
    if (c.filename) m.set(c.line, c);
    const l = all.get(c.line);
    if (l) l.push(c); else all.set(c.line, [c]);
  }
  allJson.set(key, all);
  return m;
}

interface FileResult { file: string; noOracle: number; documented: string[]; v8: number; v8ok: number; actions: number; actionsOk: number; maps: number; mapsOk: number; modules: number; same: number; diff: string[]; malformed: number; malformedOk: number; errors: string[] }

/** Fallback oracle for modules of files wast2json rejects as a whole (wabt 1.0.32 lacks some newer
 *  syntax): wat2wasm on the module alone; null when wabt cannot assemble it either. */
function wat2wasm(m: WastModule, dir: string, line: number): Uint8Array | null {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `line${line}.wasm`);
  const fail = join(dir, `line${line}.fail`);
  if (existsSync(fail)) return null;
  if (!existsSync(out)) {
    const src = join(dir, `line${line}.wat`);
    if (m.kind === 'text') writeFileSync(src, m.text);
    else if (m.kind === 'quote') writeFileSync(src, m.source);
    else return null;
    try {
      execFileSync('wat2wasm', [...WABT_FLAGS, src, '-o', out], { stdio: 'pipe' });
    } catch {
      writeFileSync(fail, '');
      return null;
    }
  }
  return new Uint8Array(readFileSync(out));
}

/** wast2json's rendering of a constant/pattern: type and unsigned decimal bits (or nan:...). */
function jsonOfValue(v: WasmValue): JsonValue {
  switch (v.type) {
    case ValType.I32: return { type: 'i32', value: String(v.bits >>> 0) };
    case ValType.F32: return { type: 'f32', value: String(v.bits >>> 0) };
    case ValType.I64: return { type: 'i64', value: String(BigInt.asUintN(64, v.bits)) };
    case ValType.F64: return { type: 'f64', value: String(BigInt.asUintN(64, v.bits)) };
    case ValType.V128: {
      const lanes: string[] = [];
      for (let k = 0; k < 4; k++) {
        lanes.push(String((v.bytes[k * 4] | (v.bytes[k * 4 + 1] << 8) | (v.bytes[k * 4 + 2] << 16) | (v.bytes[k * 4 + 3] << 24)) >>> 0));
      }
      return { type: 'v128', lane_type: 'i32', value: lanes };
    }
    default: {
      const r = v.ref;
      return { type: v.type === ValType.FuncRef ? 'funcref' : 'externref', value: r === null ? 'null' : r.kind === 'extern' ? String(r.value) : String(r.addr) };
    }
  }
}
function jsonOfPattern(p: WastPattern): JsonValue | null {
  switch (p.kind) {
    case 'value': return jsonOfValue(p.value);
    case 'nan': return { type: p.type === ValType.F32 ? 'f32' : 'f64', value: `nan:${p.nan}` };
    case 'v128': {
      const lt = { i8x16: 'i8', i16x8: 'i16', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' }[p.shape]!;
      return { type: 'v128', lane_type: lt, value: p.lanes.map((l) => (l.kind === 'nan' ? `nan:${l.nan}` : l.bits.toString())) };
    }
    case 'refNull': return { type: p.type === ValType.ExternRef ? 'externref' : 'funcref', value: 'null' };
    case 'refExtern': return { type: 'externref', value: String(p.value) };
    default: return null; // ref.func / either: not rendered by wabt 1.0.32
  }
}
function normalizeV128(j: JsonValue): JsonValue {
  if (j.type !== 'v128' || !Array.isArray(j.value) || j.lane_type === 'i32') return j;
  // re-express any lane shape as i32 lanes (when no lane is a NaN pattern)
  if (j.value.some((x) => x.startsWith('nan'))) return j;
  const width = { i8: 1, i16: 2, i64: 8, f32: 4, f64: 8 }[j.lane_type as 'i8']!;
  const bytes = new Uint8Array(16);
  j.value.forEach((x, k) => { let b = BigInt(x); for (let i = 0; i < width; i++) { bytes[k * width + i] = Number(b & 0xffn); b >>= 8n; } });
  return jsonOfValue({ type: ValType.V128, bytes });
}
/** wabt 1.0.32 rounds f64 hex literals that are exactly halfway between the largest subnormal and
 *  the smallest normal (e.g. 0x1.fffffffffffffp-1023) down; round-to-nearest-even gives the normal.
 *  Map wabt's value to the correctly rounded one so the comparison documents that difference. */
function wabtSubnormalBug(j: JsonValue): JsonValue {
  const fix = (bits: bigint): bigint => ((bits & 0x7fffffffffffffffn) === 0xfffffffffffffn ? bits + 1n : bits);
  if (j.type === 'f64' && typeof j.value === 'string' && !j.value.startsWith('nan')) return { ...j, value: String(fix(BigInt(j.value))) };
  if (j.type === 'v128' && Array.isArray(j.value)) {
    const n = normalizeV128(j);
    if (!Array.isArray(n.value)) return j;
    const w = n.value.map((x) => BigInt(x));
    const lanes = [w[0] | (w[1] << 32n), w[2] | (w[3] << 32n)].map(fix);
    return { ...n, value: lanes.flatMap((x) => [String(x & 0xffffffffn), String(x >> 32n)]) };
  }
  return j;
}

function compareAction(c: WastCommand, j: JsonCommand): string | null {
  const a = (c as { action: WastAction }).action;
  if (!j.action) return `oracle has no action (${j.type})`;
  if (a.field !== j.action.field) return `field ${JSON.stringify(a.field)} vs ${JSON.stringify(j.action.field)}`;
  if ((a.module ?? undefined) !== j.action.module) return `module ${a.module} vs ${j.action.module}`;
  const args = a.kind === 'invoke' ? a.args.map(jsonOfValue) : [];
  const norm = (x: JsonValue[] | undefined) => JSON.stringify((x ?? []).map(normalizeV128));
  if (norm(args) !== norm(j.action.args) && norm(args) !== norm(j.action.args?.map(wabtSubnormalBug))) return `args ${norm(args)} vs ${norm(j.action.args)}`;
  if (c.type === 'assert_return') {
    const exp = c.expected.map(jsonOfPattern);
    if (exp.some((x) => x === null)) return null;
    if (norm(exp as JsonValue[]) !== norm(j.expected) && norm(exp as JsonValue[]) !== norm(j.expected?.map(wabtSubnormalBug))) return `expected ${norm(exp as JsonValue[])} vs ${norm(j.expected)}`;
  }
  return null;
}

/** Every source-map entry must point at the encoding of the instruction written at its text offset
 *  (the closing paren of a folded block or function maps to `end`), in byte order. */
function checkSourceMap(text: string): string | null {
  const { binary, sourceMap } = assembleWat(text, { names: false });
  let prev = -1;
  for (const loc of sourceMap.instructions) {
    if (loc.byteOffset < prev) return `not sorted at byte ${loc.byteOffset}`;
    prev = loc.byteOffset;
    const word = /^\(?([a-z0-9_.]*)/.exec(text.slice(loc.textOffset))![1];
    const info = word === '' ? opByName('end') : opByName(word);
    if (!info) return `no instruction "${word}" at text offset ${loc.textOffset}`;
    const b = binary[loc.byteOffset];
    const ok = word === 'select' ? b === opByName('select')!.code || b === opByName('select_t')!.code
      : b === (info.prefix || info.code);
    if (!ok) return `byte 0x${b?.toString(16)} at ${loc.byteOffset} is not ${word || 'end'} (line ${loc.line}:${loc.column})`;
    if (loc.endOffset <= loc.textOffset) return `empty range at ${loc.textOffset}`;
  }
  return null;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Deliberate, documented encoding differences from wabt 1.0.32 (both encodings are valid binaries
 *  of the same text; ours keep what the validator needs to give the testsuite's verdict):
 *  - a data count section of 0 is emitted when data.drop/memory.init occur without data segments
 *    (wabt drops it, which turns "unknown data segment" into "data count section required");
 *  - `select (result)` with an empty type list is encoded as select_t with vec[] (wabt emits plain
 *    `select`, losing the "invalid result arity" verdict). */
function documentedDifference(m: WastModule, ours: Uint8Array, theirs: Uint8Array): string | null {
  // strip an empty data count section (id 12, size 1, count 0)
  for (let i = 8; i + 3 <= ours.length;) {
    const id = ours[i];
    let size = 0, shift = 0, j = i + 1;
    for (;;) { const b = ours[j++]; size |= (b & 0x7f) << shift; shift += 7; if (!(b & 0x80)) break; }
    if (id === 12 && size === 1 && ours[j] === 0) {
      const stripped = new Uint8Array([...ours.subarray(0, i), ...ours.subarray(j + 1)]);
      if (same(stripped, theirs)) return 'empty data count section kept (documented)';
      break;
    }
    if (id === 10 || id === 11 || id === 0) break;
    i = j + size;
  }
  if (m.kind === 'text' && m.text.includes('(select (result)')) {
    try {
      const again = wastModuleBinary({ ...m, text: m.text.split('(select (result)').join('(select') }, NAMES);
      if (same(again, theirs)) return 'select (result) encoded as select_t vec[] (documented)';
    } catch { /* not this case */ }
  }
  return null;
}

function firstDiff(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte 0x${i.toString(16)} (ours ${a[i]}, wabt ${b[i]}), sizes ${a.length}/${b.length}`;
  return `sizes differ ${a.length}/${b.length}`;
}

function runFile(path: string, key: string): FileResult {
  const res: FileResult = { file: key, noOracle: 0, documented: [], v8: 0, v8ok: 0, actions: 0, actionsOk: 0, maps: 0, mapsOk: 0, modules: 0, same: 0, diff: [], malformed: 0, malformedOk: 0, errors: [] };
  const ref = oracle(path, key.replace(/\//g, '_'));
  const dir = join(CACHE, key.replace(/\//g, '_'));
  let cmds;
  try {
    cmds = parseWast(readFileSync(path, 'utf8'));
  } catch (e) {
    res.errors.push(`parseWast: ${String(e)}`);
    return res;
  }
  const all = allJson.get(key.replace(/\//g, '_'));
  for (const c of cmds) {
    if ('action' in c && all) {
      // wabt gives a multi-line command the line of its action; several commands may share a line
      const a = (c as { action: WastAction }).action;
      let j: JsonCommand | undefined;
      for (let l = c.line; l <= c.line + 3 && !j; l++) {
        const list = all.get(l) ?? [];
        const k = list.findIndex((x) => x.action?.field === a.field);
        if (k >= 0) j = list.splice(k, 1)[0];
      }
      res.actions++;
      const why = j ? compareAction(c, j) : 'no oracle command';
      if (why) res.errors.push(`line ${c.line}: ${c.type}: ${why}`); else res.actionsOk++;
    }
    if (!('module' in c)) continue;
    const m = c.module as WastModule;
    if (c.type === 'assert_malformed') {
      if (m.kind !== 'quote' && m.kind !== 'text') continue;
      res.malformed++;
      try {
        wastModuleBinary(m, false);
        res.errors.push(`line ${c.line}: expected malformed "${c.message}" but assembled`);
      } catch (e) {
        if (e instanceof ParseError && e.message.startsWith(c.message)) res.malformedOk++;
        else res.errors.push(`line ${c.line}: expected "${c.message}", got ${e instanceof ParseError ? `"${e.message}"` : String(e)}`);
      }
      continue;
    }
    if (m.kind === 'binary') continue;
    res.modules++;
    let ours: Uint8Array;
    try {
      ours = wastModuleBinary(m, NAMES);
    } catch (e) {
      res.errors.push(`line ${c.line}: ${c.type}: ${String(e)}`);
      continue;
    }
    if (m.kind === 'text') {
      res.maps++;
      const why = checkSourceMap(m.text);
      if (why) res.errors.push(`line ${c.line}: source map: ${why}`); else res.mapsOk++;
    }
    // second oracle, independent of wabt: V8's validator (top-level files only: Node 20 has the
    // tail-call and extended-const proposals behind flags)
    if (!key.startsWith('proposals/')) {
      if (c.type === 'module') { res.v8++; if (WebAssembly.validate(ours)) res.v8ok++; else res.errors.push(`line ${c.line}: V8 rejects the module`); }
      if (c.type === 'assert_invalid') { res.v8++; if (!WebAssembly.validate(ours)) res.v8ok++; else res.errors.push(`line ${c.line}: V8 accepts an assert_invalid module`); }
    }
    const j = ref?.get(c.line);
    let theirs: Uint8Array | null;
    if (j?.filename?.endsWith('.wasm')) theirs = new Uint8Array(readFileSync(join(dir, j.filename)));
    else theirs = wat2wasm(m, dir, c.line);
    if (!theirs) { res.noOracle++; continue; }
    if (same(ours, theirs)) res.same++;
    else {
      const why = documentedDifference(m, ours, theirs);
      if (why) { res.same++; res.documented.push(`line ${c.line}: ${why}`); }
      else res.diff.push(`line ${c.line}: ${firstDiff(ours, theirs)}`);
    }
  }
  return res;
}

function main(): void {
  if (!hasWast2json()) { console.log('assemblerHarness: wast2json not found, skipped'); return; }
  const filter = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
  const verbose = process.argv.includes('-v');
  const files: [string, string][] = [];
  for (const f of readdirSync(SUITE).sort()) if (f.endsWith('.wast')) files.push([join(SUITE, f), f]);
  for (const p of ['proposals/tail-call', 'proposals/extended-const']) {
    for (const f of readdirSync(join(SUITE, p)).sort()) if (f.endsWith('.wast')) files.push([join(SUITE, p, f), `${p}/${f}`]);
  }
  let tno = 0, tdoc = 0, tv8 = 0, tv8ok = 0, tact = 0, tactOk = 0, tmap = 0, tmapOk = 0;
  let tm = 0, ts = 0, tmal = 0, tmalOk = 0, terr = 0;
  for (const [path, key] of files) {
    if (filter && !key.includes(filter)) continue;
    const r = runFile(path, key);
    tno += r.noOracle;
    tv8 += r.v8; tv8ok += r.v8ok; tact += r.actions; tactOk += r.actionsOk; tmap += r.maps; tmapOk += r.mapsOk;
    tm += r.modules - r.noOracle; ts += r.same; tmal += r.malformed; tmalOk += r.malformedOk; terr += r.errors.length;
    const bad = r.modules - r.noOracle - r.same + r.malformed - r.malformedOk;
    console.log(`${bad ? 'FAIL' : 'ok  '} ${key}: modules ${r.same}/${r.modules - r.noOracle} identical${r.noOracle ? ` (+${r.noOracle} wabt cannot assemble)` : ''}, malformed ${r.malformedOk}/${r.malformed}`);
    if (bad || r.errors.length) {
      for (const d of r.diff.slice(0, verbose ? 1000 : 5)) console.log(`     diff ${d}`);
      for (const e of r.errors.slice(0, verbose ? 1000 : 5)) console.log(`     ${e}`);
    }
    if (verbose) for (const d of r.documented) console.log(`     ${d}`);
    tdoc += r.documented.length;
  }
  console.log(`TOTAL: modules ${ts}/${tm} identical to wast2json/wat2wasm (${tdoc} of them with a documented difference; ${tno} more that wabt 1.0.32 cannot assemble), assert_malformed ${tmalOk}/${tmal} rejected with the expected message, V8 validation verdicts ${tv8ok}/${tv8} as expected, script actions/expectations ${tactOk}/${tact} equal to wast2json's, source maps ${tmapOk}/${tmap} consistent, ${terr} errors`);
  if (ts !== tm || tmalOk !== tmal || tv8ok !== tv8 || tactOk !== tact || tmapOk !== tmap) process.exitCode = 1;
}

main();
