// The `wasm-rewind run` command: results, exit codes, and clear errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, TRAP_EXIT } from '../../engine/node/cli';

const root = join(__dirname, '..', '..', '..');
const fixture = (p: string) => join(root, p);
const dir = mkdtempSync(join(tmpdir(), 'rewind-cli-'));
function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('invokes an export of a .wat module with typed arguments', () => {
  const p = file('add.wat', '(module (func (export "add") (param i32 i64) (result i64) local.get 1 local.get 0 i64.extend_i32_s i64.add))');
  const r = run('run', p, '--invoke', 'add', '-5', '0x7fffffffffffffff');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '9223372036854775802:i64');
});

test('float arguments and results keep their values', () => {
  const p = file('f.wat', '(module (func (export "h") (param f32 f64) (result f64 f32) local.get 1 local.get 0))');
  const r = run('run', p, '--invoke', 'h', '1.5', '-0');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '-0:f64\n1.5:f32');
});

test('runs a benchmark module export', () => {
  const r = run('run', fixture('test/bench/programs/sieve.wasm'), '--invoke', 'run');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^-?\d+:i32$/);
});

test('a trap exits with 134 and names the trap', () => {
  const p = file('trap.wat', '(module (func (export "boom") (result i32) i32.const 1 i32.const 0 i32.div_s))');
  const r = run('run', p, '--invoke', 'boom');
  assert.equal(r.code, TRAP_EXIT);
  assert.match(r.err, /trap: integer divide by zero/);
});

test('a WASI command gets argv and env and its exit code is returned', () => {
  const r = run('run', fixture('test/fixtures/wasi/exit3.wasm'));
  assert.equal(r.code, 3);
});

test('bad input gives a clear error and exit code, never a stack trace', () => {
  const cases: [string[], number, RegExp][] = [
    [['run', join(dir, 'missing.wasm')], 1, /no such file/],
    [['run', file('bad.wat', '(module\n  (func (i32.cnst 1)))')], 1, /bad\.wat:2:10: error: unknown operator/],
    [['run', file('trunc.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5]))], 1, /malformed module at byte 0x\w+: /],
    [['run', file('notwasm.wasm', 'hello world')], 1, /magic header not detected/],
    [['run', file('invalid.wat', '(module (func (result i32) i32.const 1 i32.add))')], 1, /invalid module \(function 0, byte 0x\w+\): type mismatch/],
    [['run', file('imp.wat', '(module (import "env" "f" (func)))')], 1, /link error: unknown import: "env" "f"/],
    [['run', file('ok.wat', '(module (func (export "f")))'), '--invoke', 'nope'], 1, /no exported function 'nope' \(exports: f\)/],
    [['run', file('ok2.wat', '(module (func (export "f") (param i32)))'), '--invoke', 'f'], 2, /takes 1 argument/],
    [['run', file('ok3.wat', '(module (func (export "f") (param i32)))'), '--invoke', 'f', 'x1'], 2, /not an i32/],
    [['run', file('ok4.wat', '(module)'), '--dir', join(dir, 'nodir')], 2, /no such directory/],
    [['run'], 2, /missing module file/],
    [['frobnicate'], 2, /unknown command/],
  ];
  for (const [argv, code, pattern] of cases) {
    const r = run(...argv);
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern, argv.join(' '));
    assert.doesNotMatch(r.err, /internal error|\n\s+at /, argv.join(' '));
  }
});
