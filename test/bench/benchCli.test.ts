// Checks of the benchmark's inputs and command line that need no long run: every program has its
// committed .wasm, which imports nothing and exports run(); bad options give one clear line and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

interface WasmModuleApi {
  Module: { new (bytes: Uint8Array): object; imports(m: object): unknown[]; exports(m: object): { name: string; kind: string }[] };
}
const WA = (globalThis as unknown as { WebAssembly: WasmModuleApi }).WebAssembly;

const programs = join(__dirname, '..', '..', '..', 'test', 'bench', 'programs');
const benchJs = join(__dirname, 'bench.js');

test('every benchmark program is built, imports nothing and exports run()', () => {
  const sources = readdirSync(programs).filter(f => f.endsWith('.c'));
  assert.ok(sources.length >= 7, `expected at least 7 programs, found ${sources.length}`);
  for (const c of sources) {
    const wasm = join(programs, c.replace(/\.c$/, '.wasm'));
    assert.ok(existsSync(wasm), `${c} has no .wasm (run scripts/build-bench.sh)`);
    const m = new WA.Module(new Uint8Array(readFileSync(wasm)));
    assert.deepEqual(WA.Module.imports(m), [], `${c}: imports`);
    assert.ok(WA.Module.exports(m).some(e => e.name === 'run' && e.kind === 'function'), `${c}: no run export`);
  }
});

for (const [args, message] of [
  [['--frob'], "bench: unknown option '--frob' (try --help)"],
  [['--runs', '0'], "bench: --runs needs a positive integer, got '0'"],
  [['--runs'], 'bench: --runs needs a value'],
  [['--only', 'nope'], 'bench: unknown program(s) nope; have '],
] as const) {
  test(`bench ${args.join(' ')} fails with a one-line message`, () => {
    const r = spawnSync(process.execPath, [benchJs, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(message), lines[0]);
  });
}
