// engine/debug/stepping.ts: stepping in engine terms (frames, byte offsets), without the adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleWat, SourceMapIndex } from '../../engine/wat/assembler';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store } from '../../engine/runtime/store';
import { BreakpointTable, StepRun, currentLocation, debugFrames, frameDepth, nextInstructionOffset, type CodeLocation } from '../../engine/debug/stepping';

const WAT = `(module
  (func $leaf (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 2)))
  (func $rec (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $leaf (local.get $n)) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "main") (result i32)
    (call $rec (i32.const 3))
    (call $leaf (i32.const 10))
    i32.add)
  (func (export "spin") (loop $l (br $l))))`;

function setup(entry = 'main') {
  const r = assembleWat(WAT);
  const map = new SourceMapIndex(r.sourceMap);
  const module = decodeModule(r.binary);
  validateModule(module);
  const store = new Store();
  const inst = store.instantiate(module, () => undefined);
  const f = inst.exports.get(entry);
  assert.ok(f && f.kind === 'func');
  store.machine.start(f.func, []);
  const table = new BreakpointTable(store);
  const line = (l: CodeLocation | null) => (l ? map.locate(l.offset)!.line : -1);
  const sameLine = (a: CodeLocation, b: CodeLocation) => map.locate(a.offset)!.line === map.locate(b.offset)!.line;
  const drive = (s: StepRun) => { let o; while ((o = s.advance(1000)) === null); return o; };
  return { store, module, map, table, line, sameLine, drive, m: store.machine };
}

test('step into and over by source line; depth and continuation', () => {
  const t = setup();
  assert.equal(t.line(currentLocation(t.m)), 9);
  assert.equal(frameDepth(t.m), 1);
  assert.equal(t.drive(new StepRun(t.store, t.table, 'into', t.sameLine)), 'step');
  assert.equal(frameDepth(t.m), 2);               // entered $rec
  assert.equal(t.line(currentLocation(t.m)), 5);
  const frames = debugFrames(t.m);
  assert.equal(frames.length, 2);
  assert.equal(t.line({ module: t.module, funcIndex: frames[1].funcIndex, offset: frames[1].offset }), 9); // caller at its call
  assert.equal(t.drive(new StepRun(t.store, t.table, 'out', t.sameLine)), 'step');
  assert.equal(frameDepth(t.m), 1);
  assert.equal(t.line(currentLocation(t.m)), 10);  // the instruction after the call is on line 10
  const before = t.m.count;
  assert.equal(t.drive(new StepRun(t.store, t.table, 'over', t.sameLine)), 'step');
  assert.equal(frameDepth(t.m), 1);
  assert.equal(t.line(currentLocation(t.m)), 11);
  assert.ok(t.m.count - before >= 4);
  assert.equal(t.drive(new StepRun(t.store, t.table, 'continue')), 'done');
  assert.equal((t.m.results![0] as { bits: number }).bits, 12 + 20);
});

test('instruction stepping retires exactly one instruction', () => {
  const t = setup();
  for (let i = 0; i < 20; i++) {
    const c = t.m.count;
    assert.equal(t.drive(new StepRun(t.store, t.table, 'into')), 'step');
    assert.equal(t.m.count, c + 1);
  }
});

test('user breakpoints stop continue and steps; temporary ones never remove them; recursion-safe step over', () => {
  const t = setup();
  const leafStart = t.module.funcs[0].codeStart;
  t.table.add(t.module, 0, leafStart);
  let hits = 0;
  const run = new StepRun(t.store, t.table, 'continue');
  for (;;) {
    const o = t.drive(run);
    if (o !== 'breakpoint') { assert.equal(o, 'done'); break; }
    hits++;
    assert.equal(currentLocation(t.m)!.offset, leafStart);
  }
  assert.equal(hits, 4);  // $leaf runs for n = 3, 2, 1 and once from main

  // step over a recursive call lands in the same frame, even with a breakpoint at the continuation
  const u = setup();
  const recCall = [...u.map.map.instructions].find(i => i.line === 7 && u.module.bytes[i.byteOffset] === 0x10 && i.column > 40)!;
  const cont = nextInstructionOffset(u.module, recCall.byteOffset);
  u.table.add(u.module, 1, recCall.byteOffset);
  assert.equal(u.drive(new StepRun(u.store, u.table, 'continue')), 'breakpoint');
  const depth = frameDepth(u.m);
  u.table.add(u.module, 1, cont); // user breakpoint at the continuation too
  const over = new StepRun(u.store, u.table, 'over');
  let o = u.drive(over);
  while (o === 'breakpoint' && frameDepth(u.m) !== depth) o = u.drive(over); // deeper hits of the same breakpoints
  assert.equal(frameDepth(u.m), depth);
  assert.equal(currentLocation(u.m)!.offset, cont);
  u.table.remove(u.module, 1, cont);
  u.table.remove(u.module, 1, recCall.byteOffset);
  assert.equal(u.drive(new StepRun(u.store, u.table, 'continue')), 'done');
});

test('an infinite loop advances slice by slice (budgeted) and can be abandoned', () => {
  const t = setup('spin');
  const run = new StepRun(t.store, t.table, 'continue');
  for (let i = 0; i < 5; i++) assert.equal(run.advance(10000), null);
  assert.ok(t.m.count >= 50000 && t.m.count < 60000, String(t.m.count));
  run.cancel();
  assert.equal(t.m.state, 'paused');
});

test('a custom forward runner (e.g. a recording session) executes every instruction of a step', () => {
  const t = setup();
  let calls = 0;
  const runner = { run: (budget: number) => { calls++; return t.m.run(budget); } };
  assert.equal(t.drive(new StepRun(t.store, t.table, 'over', t.sameLine, runner)), 'step');
  assert.ok(calls > 0);
  const before = calls;
  assert.equal(t.drive(new StepRun(t.store, t.table, 'continue', undefined, runner)), 'done');
  assert.ok(calls > before);
});
