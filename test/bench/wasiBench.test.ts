// Checks of the WASI benchmark on a small input: the committed program computes the right digest
// under this engine, the timing boundary sees every WASI call, and a one-run bench over all engines
// reports matching outputs. (Speed is not tested.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { decodeModule } from '../../engine/binary/decoder';
import { Store } from '../../engine/runtime/store';
import { BufferedStdio } from '../../engine/wasi/host';
import { runWasiCommand } from '../../engine/node/wasiRun';
import { TimingBoundary, makeInput, runWasiBench } from './wasiBench';

const wasm = join(__dirname, '..', '..', '..', 'test', 'bench', 'wasi', 'sha256file.wasm');

test('sha256file under the engine: digest on stdout and in the output file; every host call timed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-bench-test-'));
  try {
    const input = makeInput(40000 + 3); // not a multiple of the chunk or of 64
    writeFileSync(join(dir, 'in.bin'), input);
    const store = new Store();
    const timing = new TimingBoundary(store.boundary);
    store.boundary = timing;
    const stdio = new BufferedStdio();
    const code = runWasiCommand(decodeModule(new Uint8Array(readFileSync(wasm))),
      { args: ['sha256file', '/d/in.bin', '4096'], dirs: [`${dir}:/d`], stdio }, store);
    const expected = `${createHash('sha256').update(input).digest('hex')}  /d/in.bin\n`;
    assert.equal(code, 0, stdio.stderrText());
    assert.equal(stdio.stdoutText(), expected);
    assert.equal(readFileSync(join(dir, 'in.bin.sha256'), 'utf8'), expected);
    const per = Object.fromEntries(timing.perFunction);
    // ceil(40003 / 4096) = 10 reads with data, one more that sees end of file
    assert.equal(per.fd_read?.calls, 11);
    assert.equal(per.path_open?.calls, 2);
    assert.ok(per.fd_write && per.fd_write.calls >= 2);
    const sum = Object.values(per).reduce((n, v) => n + v.calls, 0);
    assert.equal(timing.calls, sum);
    assert.ok(timing.hostMs > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('makeInput is deterministic', () => {
  assert.equal(createHash('sha256').update(makeInput(1000)).digest('hex'),
    createHash('sha256').update(makeInput(1000)).digest('hex'));
  assert.notDeepEqual(makeInput(8).subarray(0, 4), makeInput(8).subarray(4, 8));
});

test('runWasiBench: one run on 64 KiB, every engine\'s outputs match', () => {
  const rep = runWasiBench({ runs: 1, sizeMb: 1 / 16, print: false, jsonPath: null, timeoutSec: 300 });
  assert.deepEqual(rep.errors, []);
  assert.equal(rep.results.engine.outputsOk, true, rep.results.engine.note);
  assert.equal(rep.results.nodeWasi.outputsOk, true, rep.results.nodeWasi.note);
  // wasmtime is optional (its Python package); when present its outputs must match too
  assert.notEqual(rep.results.wasmtime.outputsOk, false);
  assert.ok(rep.engine.hostCalls !== null && rep.engine.hostCalls >= 5);
  assert.ok(rep.engine.instructions !== null && rep.engine.instructions > 65536);
  assert.ok(rep.engine.hostSharePct !== null && rep.engine.hostSharePct > 0 && rep.engine.hostSharePct < 100);
});

test('wasiBench: a bad option fails with one line and exit status 2', () => {
  const r = spawnSync(process.execPath, [join(__dirname, 'wasiBench.js'), '--chunk', '10'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim(), "wasiBench: --chunk needs an integer in 4096..1048576, got '10'");
});
