// Development harness for the decoder and validator against the official testsuite, with wabt's
// `wast2json` as the converter: valid modules must decode and validate, `assert_malformed` binaries
// must throw DecodeError and `assert_invalid` modules ValidationError, with the testsuite's message
// (the actual message must start with the expected text, as the reference runners check).
// Text-format malformed modules (.wat) are the assembler's business and are skipped.
//
// Run from the repository root after building:  node out/test/spec/decodeValidateHarness.js [filter]
// Files wast2json refuses as a whole are split into top-level commands and converted one by one;
// commands it still refuses are counted as "refused".

import { isMain } from '../support/isMain';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { DecodeError, ValidationError } from '../../engine/core/errors';
import { validateModule } from '../../engine/validate/validator';

const SUITE = process.env.WASM_SPEC_TESTSUITE ?? '/work/shared/wasm-spec-testsuite';
const FLAGS = ['--enable-tail-call', '--enable-extended-const'];

interface Counts { valid: number; malformed: number; invalid: number; failures: number; refused: number; skipped: number; artifacts: number; rewritten: number }

/** Commands whose wast2json binary does not say what the .wast says (wabt 1.0.32 encodes
 *  `(select (result) ...)` as the untyped select 0x1B, so the arity error cannot be seen). */
const WABT_ARTIFACTS = new Set(['select.wast:324']);
interface Command { type: string; filename?: string; text?: string; module_type?: string; line: number }

function wastFiles(): string[] {
  const out: string[] = [];
  for (const dir of [SUITE, join(SUITE, 'proposals/tail-call'), join(SUITE, 'proposals/extended-const')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.wast')) out.push(join(dir, f));
  }
  return out;
}

function convert(wast: string, dir: string, stem: string): Command[] | null {
  const json = join(dir, `${stem}.json`);
  try {
    execFileSync('wast2json', [...FLAGS, wast, '-o', json], { stdio: 'pipe' });
  } catch {
    return null;
  }
  return (JSON.parse(readFileSync(json, 'utf8')) as { commands: Command[] }).commands;
}

/** Split a .wast text into its top-level S-expressions (strings and comments respected). */
function topLevelForms(src: string): string[] {
  const forms: string[] = [];
  let depth = 0, start = -1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === ';' && src[i + 1] === ';') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '(' && src[i + 1] === ';') {
      let d = 1; i += 2;
      while (i < src.length && d > 0) {
        if (src[i] === '(' && src[i + 1] === ';') { d++; i += 2; } else if (src[i] === ';' && src[i + 1] === ')') { d--; i += 2; } else i++;
      }
      i--; continue;
    }
    if (c === '"') { i++; while (i < src.length && src[i] !== '"') { if (src[i] === '\\') i++; i++; } continue; }
    if (c === '(') { if (depth === 0) start = i; depth++; }
    else if (c === ')') { depth--; if (depth === 0 && start >= 0) { forms.push(src.slice(start, i + 1)); start = -1; } }
  }
  return forms;
}

function check(dir: string, cmd: Command, counts: Counts, fails: string[], where: string): void {
  const file = cmd.filename;
  const isModuleCheck = cmd.type === 'module' || cmd.type === 'assert_uninstantiable' || cmd.type === 'assert_unlinkable'
    || (cmd.type === 'assert_trap' && file !== undefined) || (cmd.type === 'assert_exhaustion' && file !== undefined);
  if (!file || (!isModuleCheck && cmd.type !== 'assert_malformed' && cmd.type !== 'assert_invalid')) return;
  if (!file.endsWith('.wasm')) { counts.skipped++; return; }
  if (WABT_ARTIFACTS.has(`${where}:${cmd.line}`)) { counts.artifacts++; return; }
  const bytes = new Uint8Array(readFileSync(join(dir, file)));
  const fail = (msg: string): void => { counts.failures++; fails.push(`${where}:${cmd.line} ${cmd.type}: ${msg}`); };
  let phase = 'decode';
  try {
    const m = decodeModule(bytes);
    phase = 'validate';
    validateModule(m);
    phase = 'ok';
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (cmd.type === 'assert_malformed') {
      if (e instanceof DecodeError && e.message.startsWith(cmd.text!)) counts.malformed++;
      else fail(`expected malformed "${cmd.text}", got ${msg}`);
    } else if (cmd.type === 'assert_invalid') {
      if (e instanceof ValidationError && e.message.startsWith(cmd.text!)) counts.invalid++;
      else fail(`expected invalid "${cmd.text}", got ${msg} (${phase})`);
    } else {
      fail(`expected valid, got ${msg}`);
    }
    return;
  }
  if (cmd.type === 'assert_malformed' || cmd.type === 'assert_invalid') fail(`expected "${cmd.text}", but the module is valid`);
  else counts.valid++;
}

export interface HarnessResult { total: Counts; failures: string[]; perFile: string[] }

/** Run the harness over the testsuite files whose path contains `filter` (all when undefined). */
export function runHarness(filter?: string): HarnessResult {
  const perFile: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'dv-harness-'));
  const total: Counts = { valid: 0, malformed: 0, invalid: 0, failures: 0, refused: 0, skipped: 0, artifacts: 0, rewritten: 0 };
  const allFails: string[] = [];
  try {
    for (const wast of wastFiles()) {
      const rel = wast.slice(SUITE.length + 1);
      if (filter && !rel.includes(filter)) continue;
      const stem = rel.replace(/[/.]/g, '_');
      const counts: Counts = { valid: 0, malformed: 0, invalid: 0, failures: 0, refused: 0, skipped: 0, artifacts: 0, rewritten: 0 };
      const fails: string[] = [];
      const cmds = convert(wast, tmp, stem);
      if (cmds) {
        for (const c of cmds) check(tmp, c, counts, fails, rel);
      } else {
        const forms = topLevelForms(readFileSync(wast, 'utf8'));
        forms.forEach((form, i) => {
          const head = /^\(\s*([a-z_]+)/.exec(form)?.[1] ?? '';
          if (!['module', 'assert_malformed', 'assert_invalid', 'assert_unlinkable', 'assert_uninstantiable', 'assert_trap'].includes(head)) return;
          if (head !== 'module' && !/^\(\s*[a-z_]+\s*\(\s*module\b/.test(form)) return; // an action, not a module
          const src = join(tmp, `${stem}_f${i}.wast`);
          writeFileSync(src, form);
          let sub = convert(src, tmp, `${stem}_f${i}`);
          if (!sub) {
            // wabt 1.0.32 wants an explicit table index on table.get/set/size/grow/fill; 0 is what
            // the omitted index means, so adding it keeps the module's meaning.
            const fixed = form.replace(/\b(table\.(?:get|set|size|grow|fill))(?=\s*[()])/g, '$1 0');
            if (fixed !== form) {
              writeFileSync(src, fixed);
              sub = convert(src, tmp, `${stem}_f${i}`);
              if (sub) counts.rewritten++;
            }
          }
          if (!sub) { counts.refused++; return; }
          for (const c of sub) check(tmp, c, counts, fails, `${rel}[form ${i}]`);
        });
      }
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += counts[k];
      allFails.push(...fails);
      perFile.push(`${rel.padEnd(44)} valid ${counts.valid}  malformed ${counts.malformed}  invalid ${counts.invalid}  failures ${counts.failures}${counts.refused ? `  refused ${counts.refused}` : ''}${counts.rewritten ? `  (${counts.rewritten} forms with explicit table index)` : ''}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { total, failures: allFails, perFile };
}

/** Whether the harness can run here (wast2json installed, testsuite present). */
export function harnessAvailable(): boolean {
  if (!existsSync(SUITE)) return false;
  try { execFileSync('wast2json', ['--version'], { stdio: 'pipe' }); return true; } catch { return false; }
}

function main(): void {
  const { total, failures, perFile } = runHarness(process.argv[2]);
  for (const line of perFile) console.log(line);
  for (const f of failures.slice(0, 200)) console.log(`FAIL ${f}`);
  console.log(`TOTAL valid ok ${total.valid}, malformed ok ${total.malformed}, invalid ok ${total.invalid}, failures ${total.failures}, refused by wast2json ${total.refused} (after adding table indices to ${total.rewritten}), wabt artifacts ${total.artifacts}, text-format skipped ${total.skipped}`);
  process.exitCode = total.failures > 0 ? 1 : 0;
}

if (isMain('decodeValidateHarness')) main();
