// Assembler conformance harness (run from out/: `node out/test/spec/assemblerHarness.js [filter]`).
// For every module of every .wast in the spec testsuite (top level, proposals/tail-call,
// proposals/extended-const) it assembles text modules with assembleWat (names off) and compares them
// with wabt's wast2json output (the development oracle), and checks that every
// `assert_malformed (module quote ...)` fails with a ParseError whose message starts with the
// expected text. With --names, compares with the name section on against `--debug-names`.
// Needs wast2json on PATH; exits 0 with a notice when it is missing.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../../engine/core/errors';
import { WastModule, parseWast, wastModuleBinary } from '../../engine/wat/wast';

const SUITE = '/work/shared/wasm-spec-testsuite';
const NAMES = process.argv.includes('--names');
const CACHE = NAMES ? '/tmp/wat-harness-wast2json-names' : '/tmp/wat-harness-wast2json';
const WABT_FLAGS = ['--enable-tail-call', '--enable-extended-const', '--no-check', ...(NAMES ? ['--debug-names'] : [])];

function hasWast2json(): boolean {
  try { execFileSync('wast2json', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

interface JsonCommand { type: string; line: number; filename?: string; module_type?: string; text?: string }

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
  for (const c of cmds) if (c.filename) m.set(c.line, c);
  return m;
}

interface FileResult { file: string; noOracle: number; documented: string[]; v8: number; v8ok: number; modules: number; same: number; diff: string[]; malformed: number; malformedOk: number; errors: string[] }

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
  const res: FileResult = { file: key, noOracle: 0, documented: [], v8: 0, v8ok: 0, modules: 0, same: 0, diff: [], malformed: 0, malformedOk: 0, errors: [] };
  const ref = oracle(path, key.replace(/\//g, '_'));
  const dir = join(CACHE, key.replace(/\//g, '_'));
  let cmds;
  try {
    cmds = parseWast(readFileSync(path, 'utf8'));
  } catch (e) {
    res.errors.push(`parseWast: ${String(e)}`);
    return res;
  }
  for (const c of cmds) {
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
  let tno = 0, tdoc = 0, tv8 = 0, tv8ok = 0;
  let tm = 0, ts = 0, tmal = 0, tmalOk = 0, terr = 0;
  for (const [path, key] of files) {
    if (filter && !key.includes(filter)) continue;
    const r = runFile(path, key);
    tno += r.noOracle;
    tv8 += r.v8; tv8ok += r.v8ok;
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
  console.log(`TOTAL: modules ${ts}/${tm} identical to wast2json/wat2wasm (${tdoc} of them with a documented difference; ${tno} more that wabt 1.0.32 cannot assemble), assert_malformed ${tmalOk}/${tmal} rejected with the expected message, V8 validation verdicts ${tv8ok}/${tv8} as expected, ${terr} errors`);
  if (ts !== tm || tmalOk !== tmal || tv8ok !== tv8) process.exitCode = 1;
}

main();
