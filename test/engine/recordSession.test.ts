// Time travel in live sessions: seek(t) reproduces the state (frames, stack, globals, tables, memory)
// of a fresh run of t instructions; reverse-step then step returns to the same state; reverse-continue
// finds the last breakpoint hit; reverse-to-write finds the last write (checked against single-stepping
// with a write watch). On the WASI corpus and binaryen fuzz modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type MemoryAccessHook } from '../../engine/runtime/store';
import type { Module } from '../../engine/core/module';
import { createWasi } from '../../engine/wasi/wasi';
import { BufferedStdio, VirtualClock, SeededRandom } from '../../engine/wasi/host';
import { startWasiCommand } from '../../engine/record/wasiRecord';
import { TimeTravelSession } from '../../engine/record/session';
import { stateHash } from '../../engine/record/snapshot';
import { Replayer } from '../../engine/record/recorder';
import { encodeRecording, decodeRecording } from '../../engine/record/format';

const root = join(__dirname, '..', '..', '..');
const wasiDir = join(root, 'test', 'fixtures', 'wasi');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

/** A deterministic WASI run, paused at _start. */
function started(module: Module): Store {
  const store = new Store();
  const wasi = createWasi({ args: ['prog', 'a1'], env: ['K=V'], stdio: new BufferedStdio('input\n'), clock: new VirtualClock(), random: new SeededRandom(5) });
  startWasiCommand(store, module, wasi);
  return store;
}

/** State after running a fresh copy t instructions. */
function freshHash(module: Module, t: number, trapAt = -1): string {
  const store = started(module);
  store.machine.run(t);
  // the trapping instruction does not retire: the trapped state has the same time as the one before
  if (t === trapAt && store.machine.state === 'paused') store.machine.run(1);
  return stateHash(store.machine, true);
}

const programs = readdirSync(wasiDir).filter(f => f.endsWith('.wasm')).sort();

for (const name of programs) {
  test(`seek, reverse-step, reverse-continue, reverse-to-write: ${name}`, () => {
    const module = decodeModule(new Uint8Array(readFileSync(join(wasiDir, name))));
    validateModule(module);
    const store = started(module);
    const s = new TimeTravelSession(store, { intervalLength: 5000 });
    const st = s.run();
    assert.ok(st === 'done' || st === 'trap', st);
    const end = s.frontier;
    const endHash = stateHash(store.machine, true);
    const r = lcg(name.length * 77 + end);
    const times = [0, 1, end - 1, end, 4999, 5000, 5001];
    for (let i = 0; i < 12; i++) times.push(r() % (end + 1));
    for (const t of times.filter(x => x >= 0 && x <= end)) {
      s.seek(t);
      assert.equal(s.now, t);
      assert.equal(stateHash(store.machine, true), freshHash(module, t, st === 'trap' ? end : -1), `${name}: state after seek(${t})`);
      if (t > 0 && t < end) {
        const h = stateHash(store.machine, true);
        assert.ok(s.reverseStep());
        assert.equal(s.now, t - 1);
        s.step();
        assert.equal(s.now, t);
        assert.equal(stateHash(store.machine, true), h, `${name}: reverse-step + step at ${t}`);
      }
    }
    // back to the end: same final state as the live run
    s.seek(end);
    assert.equal(stateHash(store.machine, true), endHash);

    // reverse-continue: breakpoint at the entry of some function that runs; compare with forward hits
    const mid = Math.floor(end * 0.7);
    s.seek(mid);
    const f = store.machine.frameList()[0];
    store.addBreakpoint(module, f.funcIndex, f.offset);
    const hits: number[] = [];
    {
      const fresh = started(module);
      fresh.addBreakpoint(module, f.funcIndex, f.offset);
      for (;;) { const x = fresh.machine.run(end + 1 - fresh.machine.count); if (x !== 'breakpoint') break; hits.push(fresh.machine.count); }
    }
    s.seek(end);
    let expectIdx = hits.length - 1;
    while (expectIdx >= 0 && hits[expectIdx] >= end) expectIdx--;
    for (let k = 0; k < 3; k++) {
      const got = s.reverseContinue();
      assert.equal(got, expectIdx >= 0 ? hits[expectIdx] : null, `${name}: reverse-continue #${k}`);
      if (got === null) break;
      expectIdx--;
    }
    store.removeBreakpoint(module, f.funcIndex, f.offset);

    // reverse-to-write on an 8-byte range of the shadow stack that the program writes
    const at = Math.floor(end * 0.6);
    s.seek(at);
    const g0 = store.globals[0] ? Number((store.globals[0].get() as { bits: number }).bits) >>> 0 : 1024;
    const addr = Math.max(0, g0 - 16);
    const got = s.reverseToWrite(addr, 8);
    // oracle: step a fresh run with a write watch
    const fresh = started(module);
    let lastWrite: number | null = null;
    let hit = false;
    const watch: MemoryAccessHook = { load() {}, store(a, n) { if (a < addr + 8 && addr < a + n) hit = true; } };
    while (fresh.machine.count < at && fresh.machine.state === 'paused') {
      const before = fresh.machine.count;
      hit = false;
      fresh.machine.rec = watch;
      fresh.machine.run(1);
      fresh.machine.rec = null;
      if (hit) lastWrite = before;
    }
    assert.equal(got, lastWrite, `${name}: reverse-to-write`);
    if (got !== null) assert.equal(stateHash(store.machine, true), freshHash(module, got));
  });
}

test('a session dump (bounded ring) replays to the trap', () => {
  const bytes = new Uint8Array(readFileSync(join(wasiDir, 'panic.wasm')));
  const module = decodeModule(bytes);
  const store = new Store();
  const wasi = createWasi({ args: ['prog'], stdio: new BufferedStdio(), clock: new VirtualClock(), random: new SeededRandom(5) });
  const inst = startWasiCommand(store, module, wasi);
  const s = new TimeTravelSession(store, { intervalLength: 3000, bufferBytes: 20000 });
  assert.equal(s.run(), 'trap');
  const end = s.frontier;
  s.seek(Math.floor(end / 2)); // moving around does not disturb the dump
  s.seek(end);
  const rec = s.toRecording(bytes, inst);
  assert.ok(rec.intervals[0].start.time > 0 && rec.intervals.length < (rec.summary?.totalIntervals ?? 0));
  const res = new Replayer(decodeRecording(encodeRecording(rec))).replayAll();
  assert.equal(res.time, end);
  assert.equal(res.trap?.message, 'unreachable');
});
