// Differential test: binaryen-generated random modules run in this engine and in V8 must agree on
// host-call logs, results, traps and final memory. FUZZ_SEEDS=N FUZZ_FIRST=K widen the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzGenerator } from '../support/fuzzModules';
import { runDifferential } from '../support/differential';

const gen = fuzzGenerator();
const first = Number(process.env.FUZZ_FIRST ?? 1);
// The npm build of wasm-opt takes ~1 s to start; fewer seeds there keep `npm test` fast.
const count = Number(process.env.FUZZ_SEEDS ?? (gen.kind === 'native' ? 200 : 25));

test(`differential vs V8 on ${count} translate-to-fuzz modules (${gen.kind} wasm-opt)`, () => {
  const failures: string[] = [];
  let same = 0;
  let skipped = 0;
  for (let seed = first; seed < first + count; seed++) {
    let bytes: Uint8Array;
    try { bytes = gen.generate(seed); } catch (e) { skipped++; continue; }
    const r = runDifferential(bytes);
    if (r.status === 'same') same++;
    else if (r.status === 'skipped') skipped++;
    else failures.push(`seed ${seed}: ${r.detail}`);
  }
  gen.dispose();
  console.log(`differential: ${same} same, ${skipped} skipped, ${failures.length} differ`);
  assert.deepEqual(failures, []);
  assert.ok(same >= count * 0.9, `too many skipped modules (${skipped})`);
});
