// Assembler conformance harness (run from out/: `node out/test/spec/assemblerHarness.js [filter]`).
// For every module of every .wast in the spec testsuite (top level, proposals/tail-call,
// proposals/extended-const) it assembles text modules with assembleWat (names off) and compares them
// with wabt's wast2json output (the development oracle), and checks that every
// `assert_malformed (module quote ...)` fails with a ParseError whose message starts with the
// expected text. Needs wast2json on PATH; exits 0 with a notice when it is missing.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../../engine/core/errors';
import { WastModule, parseWast, wastModuleBinary } from '../../engine/wat/wast';

const SUITE = '/work/shared/wasm-spec-testsuite';
const CACHE = '/tmp/wat-harness-wast2json';

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
      execFileSync('wast2json', ['--enable-tail-call', '--enable-extended-const', '--no-check', file, '-o', json], { stdio: 'pipe' });
    } catch {
      return null;
    }
  }
  const cmds = (JSON.parse(readFileSync(json, 'utf8')) as { commands: JsonCommand[] }).commands;
  const m = new Map<number, JsonCommand>();
  for (const c of cmds) if (c.filename) m.set(c.line, c);
  return m;
}

interface FileResult { file: string; modules: number; same: number; diff: string[]; malformed: number; malformedOk: number; errors: string[] }

function firstDiff(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte 0x${i.toString(16)} (ours ${a[i]}, wabt ${b[i]}), sizes ${a.length}/${b.length}`;
  return `sizes differ ${a.length}/${b.length}`;
}

function runFile(path: string, key: string): FileResult {
  const res: FileResult = { file: key, modules: 0, same: 0, diff: [], malformed: 0, malformedOk: 0, errors: [] };
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
      ours = wastModuleBinary(m, false);
    } catch (e) {
      res.errors.push(`line ${c.line}: ${c.type}: ${String(e)}`);
      continue;
    }
    const j = ref?.get(c.line);
    if (!j || !j.filename || !j.filename.endsWith('.wasm')) { res.errors.push(`line ${c.line}: no oracle module`); continue; }
    const theirs = new Uint8Array(readFileSync(join(dir, j.filename)));
    if (ours.length === theirs.length && ours.every((x, i) => x === theirs[i])) res.same++;
    else res.diff.push(`line ${c.line}: ${firstDiff(ours, theirs)}`);
  }
  return res;
}

function main(): void {
  if (!hasWast2json()) { console.log('assemblerHarness: wast2json not found, skipped'); return; }
  const filter = process.argv[2] ?? '';
  const verbose = process.argv.includes('-v');
  const files: [string, string][] = [];
  for (const f of readdirSync(SUITE).sort()) if (f.endsWith('.wast')) files.push([join(SUITE, f), f]);
  for (const p of ['proposals/tail-call', 'proposals/extended-const']) {
    for (const f of readdirSync(join(SUITE, p)).sort()) if (f.endsWith('.wast')) files.push([join(SUITE, p, f), `${p}/${f}`]);
  }
  let tm = 0, ts = 0, tmal = 0, tmalOk = 0, terr = 0;
  for (const [path, key] of files) {
    if (filter && filter !== '-v' && !key.includes(filter)) continue;
    const r = runFile(path, key);
    tm += r.modules; ts += r.same; tmal += r.malformed; tmalOk += r.malformedOk; terr += r.errors.length;
    const bad = r.modules - r.same + r.malformed - r.malformedOk;
    console.log(`${bad ? 'FAIL' : 'ok  '} ${key}: modules ${r.same}/${r.modules} identical, malformed ${r.malformedOk}/${r.malformed}`);
    if (bad || r.errors.length) {
      for (const d of r.diff.slice(0, verbose ? 1000 : 5)) console.log(`     diff ${d}`);
      for (const e of r.errors.slice(0, verbose ? 1000 : 5)) console.log(`     ${e}`);
    }
  }
  console.log(`TOTAL: modules ${ts}/${tm} identical to wast2json, assert_malformed ${tmalOk}/${tmal} rejected with the expected message, ${terr} errors`);
  if (ts !== tm || tmalOk !== tmal) process.exitCode = 1;
}

main();
