// Runs the official WebAssembly testsuite (.wast scripts) against the engine and prints a per-file table
// of passed/failed assertions, ending with `spec: N passed, M failed`.
//
// Every command counts: module definitions, registrations, actions and assertions. An assertion that
// expects an error passes when the right kind of error is raised (DecodeError/ParseError for malformed,
// ValidationError for invalid, LinkError for unlinkable, Trap for traps) AND its message starts with the
// testsuite's text; a right kind with another message is a failure too (listed as such).
import { isMain } from '../support/isMain';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseWast, wastModuleBinary, matchWastPattern, formatWastValue, formatWastPattern, formatWastAction,
  type WastAction, type WastCommand, type WastModule } from '../../engine/wat/wast';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type ExternValue, type Instance } from '../../engine/runtime/store';
import { DecodeError, LinkError, ParseError, Trap, TrapCode, ValidationError } from '../../engine/core/errors';
import type { WasmValue } from '../../engine/runtime/values';
import { createSpectest } from './spectest';

export const SUITE_DIR = resolve(__dirname, '..', '..', '..', '..', 'shared', 'wasm-spec-testsuite');

export interface FileResult {
  readonly file: string;
  passed: number;
  failed: number;
  readonly failures: string[];
  ms: number;
}

export function suiteFiles(dir = SUITE_DIR): string[] {
  const files: string[] = [];
  const add = (d: string) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.wast')) files.push(join(d, f));
  };
  add(dir);
  add(join(dir, 'proposals', 'tail-call'));
  add(join(dir, 'proposals', 'extended-const'));
  return files;
}

class ScriptRunner {
  private readonly store = new Store();
  private readonly registry = new Map<string, Map<string, ExternValue>>();
  private readonly named = new Map<string, Instance>();
  private current: Instance | null = null;

  constructor(readonly result: FileResult) {
    this.registry.set('spectest', createSpectest(this.store));
  }

  private pass(): void { this.result.passed++; }
  private fail(cmd: WastCommand, why: string): void {
    this.result.failed++;
    this.result.failures.push(`line ${cmd.line}: ${cmd.type}: ${why}`);
  }

  private compile(m: WastModule) {
    const bytes = wastModuleBinary(m);
    const module = decodeModule(bytes);
    validateModule(module);
    return module;
  }

  private instantiate(m: WastModule): Instance {
    const module = this.compile(m);
    return this.store.instantiate(module, (mod, name) => this.registry.get(mod)?.get(name));
  }

  private instanceFor(name: string | null): Instance {
    const inst = name === null ? this.current : this.named.get(name);
    if (!inst) throw new Error(name === null ? 'no current module' : `unknown module ${name}`);
    return inst;
  }

  private perform(a: WastAction): WasmValue[] {
    const inst = this.instanceFor(a.module);
    const ext = inst.exports.get(a.field);
    if (!ext) throw new Error(`unknown export "${a.field}"`);
    if (a.kind === 'get') {
      if (ext.kind !== 'global') throw new Error(`export "${a.field}" is not a global`);
      return [ext.global.get()];
    }
    if (ext.kind !== 'func') throw new Error(`export "${a.field}" is not a function`);
    return this.store.invoke(ext.func, a.args);
  }

  private expectError(cmd: WastCommand, e: unknown, kinds: Function[], message: string): void {
    if (!kinds.some((k) => e instanceof k)) {
      this.fail(cmd, `expected ${kinds.map((k) => k.name).join('/')} "${message}", got ${describe(e)}`);
    } else if (!(e as Error).message.startsWith(message)) {
      this.fail(cmd, `expected message "${message}", got ${describe(e)}`);
    } else this.pass();
  }

  run(cmd: WastCommand): void {
    switch (cmd.type) {
      case 'module': {
        try {
          const inst = this.instantiate(cmd.module);
          this.current = inst;
          if (cmd.module.name) this.named.set(cmd.module.name, inst);
          this.pass();
        } catch (e) {
          this.current = null;
          this.fail(cmd, `module failed: ${describe(e)}`);
        }
        return;
      }
      case 'register': {
        try {
          const inst = this.instanceFor(cmd.name);
          this.registry.set(cmd.as, inst.exports);
          this.pass();
        } catch (e) { this.fail(cmd, describe(e)); }
        return;
      }
      case 'action': {
        try { this.perform(cmd.action); this.pass(); } catch (e) { this.fail(cmd, `${formatWastAction(cmd.action)}: ${describe(e)}`); }
        return;
      }
      case 'assert_return': {
        let got: WasmValue[];
        try { got = this.perform(cmd.action); } catch (e) {
          this.fail(cmd, `${formatWastAction(cmd.action)}: ${describe(e)}`);
          return;
        }
        const ok = got.length === cmd.expected.length && cmd.expected.every((p, i) => matchWastPattern(p, got[i]));
        if (ok) this.pass();
        else this.fail(cmd, `${formatWastAction(cmd.action)}: expected ${cmd.expected.map(formatWastPattern).join(' ')}, got ${got.map(formatWastValue).join(' ')}`);
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        try {
          const got = this.perform(cmd.action);
          this.fail(cmd, `${formatWastAction(cmd.action)}: expected trap "${cmd.message}", returned ${got.map(formatWastValue).join(' ')}`);
        } catch (e) {
          if (cmd.type === 'assert_exhaustion' && e instanceof Trap && e.code !== TrapCode.CallStackExhausted) {
            this.fail(cmd, `expected stack exhaustion, got ${describe(e)}`);
          } else this.expectError(cmd, e, [Trap], cmd.message);
        }
        return;
      }
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        try {
          const inst = this.instantiate(cmd.module);
          void inst;
          this.fail(cmd, `expected trap "${cmd.message}" at instantiation`);
        } catch (e) { this.expectError(cmd, e, [Trap], cmd.message); }
        return;
      }
      case 'assert_unlinkable': {
        try {
          this.instantiate(cmd.module);
          this.fail(cmd, `expected link error "${cmd.message}"`);
        } catch (e) { this.expectError(cmd, e, [LinkError], cmd.message); }
        return;
      }
      case 'assert_invalid': {
        try {
          this.compile(cmd.module);
          this.fail(cmd, `expected invalid "${cmd.message}", module validated`);
        } catch (e) { this.expectError(cmd, e, [ValidationError], cmd.message); }
        return;
      }
      case 'assert_malformed': {
        try {
          this.compile(cmd.module);
          this.fail(cmd, `expected malformed "${cmd.message}", module accepted`);
        } catch (e) { this.expectError(cmd, e, [DecodeError, ParseError], cmd.message); }
        return;
      }
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return String(e);
}

export function runWastFile(path: string): FileResult {
  const result: FileResult = { file: relative(SUITE_DIR, path), passed: 0, failed: 0, failures: [], ms: 0 };
  const t0 = performance.now();
  let commands: WastCommand[];
  try {
    commands = parseWast(readFileSync(path, 'utf8'));
  } catch (e) {
    result.failed++;
    result.failures.push(`script does not parse: ${describe(e)}`);
    return result;
  }
  const runner = new ScriptRunner(result);
  for (const cmd of commands) {
    try { runner.run(cmd); } catch (e) {
      result.failed++;
      result.failures.push(`line ${cmd.line}: ${cmd.type}: runner error ${describe(e)}`);
    }
  }
  result.ms = performance.now() - t0;
  return result;
}

export function runSuite(files = suiteFiles(), log: (s: string) => void = console.log, verbose = false): FileResult[] {
  const results: FileResult[] = [];
  log(`${'file'.padEnd(44)} ${'passed'.padStart(7)} ${'failed'.padStart(7)} ${'ms'.padStart(7)}`);
  for (const f of files) {
    const r = runWastFile(f);
    results.push(r);
    log(`${r.file.padEnd(44)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${r.ms.toFixed(0).padStart(7)}`);
    if (verbose) for (const x of r.failures.slice(0, 20)) log(`    ${x}`);
  }
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  log(`spec: ${passed} passed, ${failed} failed`);
  return results;
}

if (isMain('runSpec')) {
  const args = process.argv.slice(2);
  const verbose = args.includes('-v') || args.includes('--verbose');
  const filters = args.filter((a) => !a.startsWith('-'));
  if (!existsSync(SUITE_DIR)) {
    console.error(`spec: testsuite not found at ${SUITE_DIR} (expected ../shared/wasm-spec-testsuite beside the checkout)`);
    process.exit(2);
  }
  const files = suiteFiles().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  const results = runSuite(files, console.log, verbose);
  process.exitCode = results.some((r) => r.failed > 0) ? 1 : 0;
}
