// Recording and replay: every WASI corpus program is recorded in small intervals, written to bytes,
// read back and replayed without the host (state hash checked at every interval end; the end state,
// trap and exit code must match; every byte the replay knows must equal the recorded run's memory).
// Flight recorder: with a small ring the dump starts at a later checkpoint and still reaches the trap
// exactly, reporting unknown memory. Binaryen fuzz modules: record/replay and live-session seek.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type FuncHandle } from '../../engine/runtime/store';
import type { Module } from '../../engine/core/module';
import { ValType, type FuncType } from '../../engine/core/types';
import type { WasmValue } from '../../engine/runtime/values';
import { createWasi } from '../../engine/wasi/wasi';
import { BufferedStdio, VirtualClock, SeededRandom } from '../../engine/wasi/host';
import { recordWasiCommand, TailStdio } from '../../engine/record/wasiRecord';
import { encodeRecording, decodeRecording, makeHeader, type Recording } from '../../engine/record/format';
import { Recorder, recordRun, Replayer, storeLayout, trapInfo, ReplayDivergence } from '../../engine/record/recorder';
import { TimeTravelSession } from '../../engine/record/session';
import { captureSnapshot, snapshotHash, stateHash } from '../../engine/record/snapshot';
import { fuzzGenerator } from '../support/fuzzModules';

const root = join(__dirname, '..', '..', '..');
const wasiDir = join(root, 'test', 'fixtures', 'wasi');
const programs = readdirSync(wasiDir).filter(f => f.endsWith('.wasm')).sort();

function recordFixture(name: string, intervalLength: number, bufferBytes?: number) {
  const bytes = new Uint8Array(readFileSync(join(wasiDir, name)));
  const module = decodeModule(bytes);
  validateModule(module);
  const tails = new TailStdio(new BufferedStdio('input\n'), 256);
  const wasi = createWasi({ args: ['prog', 'x'], env: ['A=B'], stdio: tails, clock: new VirtualClock(), random: new SeededRandom(3) });
  const store = new Store();
  const r = recordWasiCommand(module, bytes, wasi, { intervalLength, bufferBytes, tails, store, args: ['prog', 'x'] });
  return { ...r, store, tails };
}

for (const name of programs) {
  test(`record and replay: ${name}`, () => {
    const r = recordFixture(name, 3000);
    const m = r.store.machine;
    const bytes = encodeRecording(r.recording);
    const rec = decodeRecording(bytes);
    const rep = new Replayer(rec);
    const res = rep.replayAll();
    assert.equal(res.time, m.count);
    assert.equal(rep.machine.state, m.state);
    assert.equal(res.intervals, r.recorder.totalIntervals);
    assert.equal(snapshotHash(captureSnapshot(rep.machine)), snapshotHash(captureSnapshot(m)));
    if (m.trap) { assert.equal(res.trap?.code, m.trap.code); assert.equal(res.trap?.message, m.trap.message); }
    assert.equal(res.exitCode, r.status === 'exit' ? r.exitCode : null);
    // every known byte is right
    const a = r.recorder.memory.u8, b = rep.memory.u8;
    assert.equal(a.length, b.length);
    let known = 0;
    for (let i = 0; i < a.length; i++) if (rep.hook.isKnown(i)) { known++; if (a[i] !== b[i]) assert.fail(`${name}: known byte ${i} is ${b[i]}, recorded ${a[i]}`); }
    assert.ok(known > 0);
  });
}

test('replay detects a first-load log or host log that does not fit the execution', () => {
  const r = recordFixture('hello.wasm', 1 << 20);
  const good = r.recording;
  const iv = good.intervals[0];
  const loads = iv.loads.slice();
  loads[0] += 1; // the word index of the first entry
  const bad1: Recording = { ...good, intervals: [{ ...iv, loads }] };
  assert.throws(() => new Replayer(bad1).replayAll(), ReplayDivergence);
  const host = iv.host.map(c => ({ ...c, results: c.results.map((x, i) => i === 0 ? x + 1 : x) as Int32Array }));
  const bad2: Recording = { ...good, intervals: [{ ...iv, host }] };
  assert.throws(() => new Replayer(bad2).replayAll(), ReplayDivergence);
});

test('flight recorder: a small ring keeps the last intervals; the dump replays to the trap exactly', () => {
  const full = recordFixture('panic.wasm', 2000);
  const r = recordFixture('panic.wasm', 2000, 4000);
  assert.ok(r.recording.intervals.length < r.recorder.totalIntervals, `${r.recording.intervals.length} of ${r.recorder.totalIntervals}`);
  assert.ok(r.recording.intervals[0].start.time > 0);
  assert.equal(r.status, 'trapped');
  assert.match(new TextDecoder().decode(r.recording.stderrTail), /panicked/);
  const dump = decodeRecording(encodeRecording(r.recording));
  assert.equal(dump.trap?.message, 'unreachable');
  const rep = new Replayer(dump);
  const res = rep.replayAll();
  assert.equal(res.time, full.store.machine.count);
  assert.equal(res.trap?.message, 'unreachable');
  assert.equal(snapshotHash(captureSnapshot(rep.machine)), snapshotHash(captureSnapshot(full.store.machine)));
  const frames = rep.machine.frameList();
  assert.deepEqual(frames.map(f => f.funcIndex), full.store.machine.frameList().map(f => f.funcIndex));
  // memory: what is known is right, and much is unknown
  const a = full.store.memories[0].u8;
  const mask = rep.known(0, a.length);
  let unknown = 0;
  for (let i = 0; i < a.length; i++) { if (mask.known[i]) assert.equal(mask.bytes[i], a[i], `byte ${i}`); else unknown++; }
  assert.ok(unknown > 0);
});

// ---- binaryen fuzz modules ---------------------------------------------------------------------------

function zeroValue(t: ValType): WasmValue {
  switch (t) {
    case ValType.I64: case ValType.F64: return { type: t, bits: 0n };
    case ValType.V128: return { type: t, bytes: new Uint8Array(16) };
    case ValType.FuncRef: case ValType.ExternRef: return { type: t, ref: null };
    default: return { type: t as ValType.I32, bits: 0 };
  }
}

/** Instantiates a fuzz module with zero-returning logging imports; runs hangLimitInitializer. */
function fuzzInstance(module: Module): { store: Store; entry: FuncHandle | null; args: WasmValue[]; inst: ReturnType<Store['instantiate']> } | null {
  const store = new Store({ valueStackSlots: 1 << 16, maxCallDepth: 2000 });
  let inst;
  try {
    inst = store.instantiate(module, (mod, name) => {
      const imp = module.imports.find(x => x.module === mod && x.name === name);
      if (!imp || imp.desc.kind !== 'func') return undefined;
      const type: FuncType = module.types[imp.desc.typeIndex];
      return { kind: 'func', func: store.hostFunction(type, () => type.results.map(zeroValue), name) };
    });
  } catch { return null; }
  const h = inst.exports.get('hangLimitInitializer');
  if (h && h.kind === 'func') store.invoke(h.func, []);
  for (const e of module.exports) {
    if (e.kind !== 'func' || e.name === 'hangLimitInitializer') continue;
    const ext = inst.exports.get(e.name);
    if (!ext || ext.kind !== 'func' || ext.func.host !== null) continue;
    return { store, entry: ext.func, args: ext.func.type.params.map(zeroValue), inst };
  }
  return null;
}

test('binaryen fuzz modules: record/replay and seek in a live session', (t) => {
  let gen;
  try { gen = fuzzGenerator(); gen.generate(1); } catch { t.skip('wasm-opt not available'); return; }
  let tested = 0;
  try {
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = gen.generate(seed);
      const module = decodeModule(bytes);
      try { validateModule(module); } catch { continue; }
      if (module.memories.length + module.imports.filter(i => i.desc.kind === 'memory').length > 1) continue;
      const a = fuzzInstance(module);
      if (!a || !a.entry) continue;
      a.store.machine.start(a.entry, a.args);
      // record
      const rec = new Recorder(a.store, { intervalLength: 500 });
      rec.attach();
      recordRun(rec, 200000);
      rec.detach();
      const m = a.store.machine;
      const status = m.state === 'paused' ? 'running' : m.state === 'done' ? 'done' : 'trapped';
      const recording: Recording = {
        header: makeHeader(bytes, 500), module: bytes, modulePath: null, intervals: rec.intervals, trap: trapInfo(m),
        stdoutTail: new Uint8Array(0), stderrTail: new Uint8Array(0), summary: { status, endTime: m.count, exitCode: null, totalIntervals: rec.totalIntervals },
        layout: storeLayout(a.store, a.inst),
      };
      const rep = new Replayer(decodeRecording(encodeRecording(recording)));
      const res = rep.replayAll();
      assert.equal(res.time, m.count, `seed ${seed}`);
      assert.equal(snapshotHash(captureSnapshot(rep.machine)), snapshotHash(captureSnapshot(m)), `seed ${seed}: end state`);
      // live session on a fresh instance: seek to random times and compare with fresh runs
      const b = fuzzInstance(module)!;
      b.store.machine.start(b.entry!, b.args);
      const s = new TimeTravelSession(b.store, { intervalLength: 300 });
      s.run(20000);
      const end = s.frontier;
      const trapped = b.store.machine.state === 'trapped';
      for (let k = 0; k < 6; k++) {
        const tt = s.start + Math.floor(((seed * 7919 + k * 104729) % 1000) / 1000 * (end - s.start + 1));
        s.seek(tt);
        const c = fuzzInstance(module)!;
        c.store.machine.start(c.entry!, c.args);
        c.store.machine.run(tt - c.store.machine.count);
        if (tt === end && trapped && c.store.machine.state === 'paused') c.store.machine.run(1);
        assert.equal(stateHash(b.store.machine, true), stateHash(c.store.machine, true), `seed ${seed}: seek(${tt}) of ${end}`);
      }
      tested++;
    }
  } finally { gen.dispose(); }
  assert.ok(tested >= 10, `only ${tested} fuzz modules tested`);
});
