// Differential tests over the WASI corpus (test/fixtures/wasi: C with wasi-libc, and Rust): each
// program runs under Node's own node:wasi (the oracle) and
//   1. under V8 with our WASI layer as the imports (tests the WASI layer alone),
//   2. in our engine (interpreter) with our WASI layer,
// and must give the same stdout, stderr, exit code or trap, and the same files in the sandbox.
// Rebuild the corpus with scripts/build-wasi-fixtures.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  runNodeWasi, runOurWasiOnEngine, runOurWasiOnV8, type WasiRunSpec, type WasiRunResult,
} from '../support/wasiHarness';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store } from '../../engine/runtime/store';
import { LinkError } from '../../engine/core/errors';
import { assembleWat } from '../../engine/wat/assembler';
import { createWasi, WasiExit } from '../../engine/wasi/wasi';
import { MemoryFileSystem } from '../../engine/wasi/memfs';
import { BufferedStdio, SeededRandom, VirtualClock } from '../../engine/wasi/host';
import { Errno } from '../../engine/wasi/abi';
import { runWasiCommand } from '../../engine/node/wasiRun';
import { NodeStdio } from '../../engine/node/nodeWasiFs';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'wasi');
const fx = (name: string) => path.join(FIXTURES, name);

// node:wasi prints an ExperimentalWarning once; it is not ours to report.
process.removeAllListeners('warning');

const CASES: [string, WasiRunSpec][] = [
  ['hello: printf + stdin echo', { wasm: fx('hello.wasm'), stdin: 'line one\nline two, longer\n\nlast without newline' }],
  ['args: argv and environ', { wasm: fx('args.wasm'), args: ['a', 'b c', 'ünïcødé', ''], env: { GREETING: 'hi there', EMPTY: '', PATH: '/bin' } }],
  ['exit3: exit(3) after writing both streams', { wasm: fx('exit3.wasm') }],
  ['clocks: clocks, nanosleep (poll_oneoff), getentropy', { wasm: fx('clocks.wasm') }],
  ['crash abort: unreachable trap', { wasm: fx('crash.wasm'), args: ['abort'] }],
  ['crash oob: out-of-bounds store trap', { wasm: fx('crash.wasm'), args: ['oob'] }],
  ['crash null: a null-pointer write is ordinary memory', { wasm: fx('crash.wasm'), args: ['null'] }],
  ['files: create/write/append/seek/stat/list/rename/symlink/truncate/delete', { wasm: fx('files.wasm') }],
  ['sandbox: escapes refused', {
    wasm: fx('sandbox.wasm'),
    sandbox: { 'a/': '', 'inside.txt': 'inside\n', 'planted@': '../sentinel.txt' },
  }],
  ['rust: prints, std::fs in the sandbox, then panics', { wasm: fx('panic.wasm'), args: ['--flag', 'value'] }],
];

function check(name: string, ours: WasiRunResult, node: WasiRunResult): void {
  assert.equal(ours.stdout, node.stdout, `${name}: stdout`);
  assert.equal(ours.stderr, node.stderr, `${name}: stderr`);
  assert.equal(ours.exitCode, node.exitCode, `${name}: exit code`);
  assert.equal(ours.trap, node.trap, `${name}: trap`);
  assert.deepEqual(ours.files, node.files, `${name}: files in the sandbox`);
}

const oracle = new Map<string, WasiRunResult>();
function nodeResult(name: string, spec: WasiRunSpec): WasiRunResult {
  let r = oracle.get(name);
  if (!r) { r = runNodeWasi(spec); oracle.set(name, r); }
  return r;
}

for (const [name, spec] of CASES) {
  test(`corpus vs node:wasi, our WASI on V8: ${name}`, () => {
    check(name, runOurWasiOnV8(spec), nodeResult(name, spec));
  });
  test(`corpus vs node:wasi, our engine + WASI: ${name}`, () => {
    check(name, runOurWasiOnEngine(spec), nodeResult(name, spec));
  });
}

test('the corpus results are meaningful (the oracle ran the programs)', () => {
  const get = (n: string) => nodeResult(n, CASES.find(c => c[0] === n)![1]);
  assert.match(get('hello: printf + stdin echo').stdout, /^Hello, WASI! 2 \+ 3 = 5\n[^]*4: last without newline/);
  assert.equal(get('exit3: exit(3) after writing both streams').exitCode, 3);
  assert.equal(get('crash abort: unreachable trap').trap, 'unreachable');
  assert.equal(get('crash oob: out-of-bounds store trap').trap, 'out of bounds memory access');
  assert.match(get('rust: prints, std::fs in the sandbox, then panics').stderr, /panicked at 'index out of bounds/);
  assert.equal(get('rust: prints, std::fs in the sandbox, then panics').files['rust/nested/b.txt'], 'written by rust\nappended\n');
  assert.match(get('rust: prints, std::fs in the sandbox, then panics').stdout, /escape: true/);
  assert.deepEqual(Object.keys(get('files: create/write/append/seek/stat/list/rename/symlink/truncate/delete').files),
    ['kept/', 'kept/note.txt', 'result.txt']);
  assert.doesNotMatch(get('sandbox: escapes refused').stdout, /OPENED \(read \d+ bytes: [^i]|CREATED/);
  assert.doesNotMatch(get('clocks: clocks, nanosleep (poll_oneoff), getentropy').stdout, /: no/);
});

test('abi.wasm: every import answers; same errnos as node:wasi except two documented uvwasi quirks', () => {
  const ours = runOurWasiOnEngine({ wasm: fx('abi.wasm') });
  const node = runNodeWasi({ wasm: fx('abi.wasm') });
  assert.equal(ours.exitCode, 0);
  const lines = (s: string) => new Map(s.trim().split('\n').map(l => { const m = /^(.*\S)\s+(-?\d+)$/.exec(l)!; return [m[1], Number(m[2])]; }));
  const o = lines(ours.stdout), n = lines(node.stdout);
  assert.equal(o.size, 45);
  // uvwasi answers ENOTSUP for sock_shutdown whatever the fd (we: EBADF for a bad fd), and EINVAL for
  // environ_get with an empty environment (we: success, nothing to write).
  assert.equal(o.get('sock_shutdown'), Errno.BADF);
  assert.equal(n.get('sock_shutdown'), Errno.NOTSUP);
  assert.equal(o.get('environ_get'), 0);
  for (const [k, v] of o) if (k !== 'sock_shutdown' && k !== 'environ_get') assert.equal(v, n.get(k), k);
});

test('the engine with an in-memory file system: same output and files as node:wasi on disk', () => {
  const spec = CASES.find(c => c[0].startsWith('files:'))![1];
  const node = nodeResult(CASES.find(c => c[0].startsWith('files:'))![0], spec);
  const mfs = new MemoryFileSystem();
  const stdio = new BufferedStdio();
  const wasi = createWasi({
    args: ['files.wasm'], stdio, clock: new VirtualClock(), random: new SeededRandom(),
    preopens: [{ guestPath: '/sandbox', fs: mfs }],
  });
  const module = decodeModule(new Uint8Array(fs.readFileSync(spec.wasm)));
  validateModule(module);
  const store = new Store();
  const code = wasi.start(store, store.instantiate(module, wasi.imports(store)));
  assert.equal(code, 0);
  assert.equal(stdio.stdoutText(), node.stdout);
  assert.deepEqual(mfs.list(), Object.keys(node.files).sort());
  assert.equal(new TextDecoder().decode(mfs.readFile('result.txt')), node.files['result.txt']);
  assert.deepEqual(wasi.hostErrors, []);
});

test('deterministic runs: virtual clock + seeded random give identical output twice', () => {
  const run = () => {
    const stdio = new BufferedStdio();
    const wasi = createWasi({ args: ['clocks.wasm'], stdio, clock: new VirtualClock(), random: new SeededRandom(1) });
    const module = decodeModule(new Uint8Array(fs.readFileSync(fx('clocks.wasm'))));
    const store = new Store();
    const inst = store.instantiate(module, wasi.imports(store));
    const code = wasi.start(store, inst);
    return { code, out: stdio.stdoutText() };
  };
  const a = run(), b = run();
  assert.deepEqual(a, b);
  assert.match(a.out, /waited at least 20ms: yes/);
  assert.doesNotMatch(a.out, /: no/);
});

test('every byte WASI writes into linear memory goes through the store boundary (recordable)', () => {
  const module = decodeModule(new Uint8Array(fs.readFileSync(fx('args.wasm'))));
  const store = new Store();
  const writes: { addr: number; bytes: number[] }[] = [];
  const inner = store.boundary;
  store.boundary = {
    call: (f, a, ctx) => inner.call(f, a, ctx),
    memoryWrite: (m, addr, bytes) => { writes.push({ addr, bytes: [...bytes] }); inner.memoryWrite(m, addr, bytes); },
  };
  const stdio = new BufferedStdio();
  const wasi = createWasi({ args: ['args.wasm', 'xyz'], env: { GREETING: 'g' }, stdio });
  assert.equal(wasi.start(store, store.instantiate(module, wasi.imports(store))), 0);
  assert.match(stdio.stdoutText(), /argv\[1\]="xyz"/);
  const written = writes.map(w => String.fromCharCode(...w.bytes)).join('|');
  assert.ok(written.includes('xyz\0'), 'args_get wrote the argument strings through the boundary');
  assert.ok(written.includes('GREETING=g\0'));
});

test('a wrong import signature is a LinkError "incompatible import type"; unknown WASI names are "unknown import"', () => {
  const wrong = assembleWat(`(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32) (result i32)))
    (memory (export "memory") 1) (func (export "_start")))`).binary;
  const store = new Store();
  const wasi = createWasi({ stdio: new BufferedStdio() });
  assert.throws(() => store.instantiate(decodeModule(wrong), wasi.imports(store)),
    (e: unknown) => e instanceof LinkError && e.message === 'incompatible import type' && e.field === 'fd_write');
  const unknown = assembleWat(`(module (import "wasi_snapshot_preview1" "fd_frob" (func (param i32) (result i32))))`).binary;
  assert.throws(() => store.instantiate(decodeModule(unknown), wasi.imports(store)),
    (e: unknown) => e instanceof LinkError && e.message === 'unknown import');
});

test('a hand-written module: proc_exit from a nested call, fd_write through the engine', () => {
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hi from wat\\n")
    (func $inner (call $exit (i32.const 42)) (unreachable))
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 12))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      ;; a bad iovec pointer: EFAULT (21) returned, no trap
      (if (i32.ne (call $fd_write (i32.const 1) (i32.const 0xfffffff0) (i32.const 1) (i32.const 8)) (i32.const 21))
        (then unreachable))
      (call $inner)))`;
  const module = decodeModule(assembleWat(wat).binary);
  validateModule(module);
  const store = new Store();
  const stdio = new BufferedStdio();
  const wasi = createWasi({ stdio });
  const inst = store.instantiate(module, wasi.imports(store));
  assert.equal(wasi.start(store, inst), 42);
  assert.equal(stdio.stdoutText(), 'hi from wat\n');
  assert.equal(wasi.exitCode, 42);
  assert.ok(new WasiExit(1) instanceof Error);
});

test('closing fd 1 and 2 in the guest never closes the host\'s real output (NodeStdio on host fds)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-stdio-'));
  const outPath = path.join(dir, 'out'), errPath = path.join(dir, 'err');
  const outFd = fs.openSync(outPath, 'w'), errFd = fs.openSync(errPath, 'w'), inFd = fs.openSync(fx('closeout.c'), 'r');
  try {
    const module = decodeModule(new Uint8Array(fs.readFileSync(fx('closeout.wasm'))));
    const code = runWasiCommand(module, { args: ['closeout'], stdio: new NodeStdio(inFd, outFd, errFd) });
    assert.equal(code, 7, 'the guest saw its fds 1 and 2 closed (EBADF after close)');
    fs.writeSync(outFd, 'host still writes\n');
    fs.writeSync(errFd, 'stderr too\n');
  } finally {
    fs.closeSync(outFd); fs.closeSync(errFd); fs.closeSync(inFd);
  }
  assert.equal(fs.readFileSync(outPath, 'utf8'), 'before close\nhost still writes\n');
  assert.equal(fs.readFileSync(errPath, 'utf8'), 'stderr too\n');
  fs.rmSync(dir, { recursive: true, force: true });
});
