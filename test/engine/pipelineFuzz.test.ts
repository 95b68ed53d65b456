// Malformed and odd input through the whole pipeline: seeded byte mutations of real modules (the
// benchmark programs and the WASI corpus) go through decode, validate, instantiate and a bounded run of
// every exported function. Only the engine's typed errors may come out — never a TypeError, a
// RangeError (JS stack overflow), an unbounded hang, or anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type ExternValue } from '../../engine/runtime/store';
import { DecodeError, LinkError, Trap, ValidationError } from '../../engine/core/errors';
import { ValType, type FuncType } from '../../engine/core/types';
import type { Module } from '../../engine/core/module';
import { defaultValue } from '../../engine/runtime/values';

const root = join(__dirname, '..', '..', '..');
function wasmFiles(dir: string): Uint8Array[] {
  return readdirSync(join(root, dir)).filter((f) => f.endsWith('.wasm')).sort()
    .map((f) => new Uint8Array(readFileSync(join(root, dir, f))));
}
const bases = [...wasmFiles('test/bench/programs'), ...wasmFiles('test/fixtures/wasi').filter((b) => b.length < 200_000)];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** Any import is satisfied with something of the right shape (functions return zeros). */
function resolverFor(store: Store, m: Module) {
  return (mod: string, name: string): ExternValue | undefined => {
    const imp = m.imports.find((i) => i.module === mod && i.name === name);
    if (!imp) return undefined;
    const d = imp.desc;
    switch (d.kind) {
      case 'func': {
        const type: FuncType = m.types[d.typeIndex];
        return { kind: 'func', func: store.hostFunction(type, () => type.results.map(defaultValue), name) };
      }
      case 'memory': return { kind: 'memory', memory: store.createMemory(d.type) };
      case 'table': return { kind: 'table', table: store.createTable(d.type) };
      case 'global': return { kind: 'global', global: store.createGlobal(d.type, defaultValue(d.type.type)) };
    }
  };
}

const MUTATIONS = Number(process.env.PIPELINE_FUZZ ?? 600);
const BUDGET = 200_000;

test(`${MUTATIONS} mutated modules through decode, validate, instantiate and run`, () => {
  const next = rng(0xc0ffee);
  const outcomes = { malformed: 0, invalid: 0, unlinkable: 0, ran: 0, trapped: 0, startSkipped: 0 };
  const unexpected: string[] = [];
  for (let i = 0; i < MUTATIONS; i++) {
    const base = bases[next() % bases.length];
    const bytes = base.slice();
    const edits = 1 + (next() % 4);
    for (let k = 0; k < edits; k++) {
      const at = 8 + (next() % (bytes.length - 8));
      bytes[at] = next() % 3 === 0 ? bytes[at] ^ (1 << (next() % 8)) : next() & 0xff;
    }
    const t0 = performance.now();
    try {
      const m = decodeModule(bytes);
      validateModule(m);
      if (m.start !== null) { outcomes.startSkipped++; continue; } // a start function runs unbounded
      const store = new Store({ maxCallDepth: 2000 });
      const inst = store.instantiate(m, resolverFor(store, m));
      for (const exp of m.exports) {
        if (exp.kind !== 'func') continue;
        const ext = inst.exports.get(exp.name);
        if (!ext || ext.kind !== 'func') continue;
        const type = m.types[m.funcTypeIndices[exp.index]];
        if (type.params.some((p) => p === ValType.V128)) continue;
        if (exp.index < m.numImportedFuncs) continue;
        store.machine.start(ext.func, type.params.map(defaultValue));
        const st = store.machine.run(BUDGET);
        if (st === 'trap') outcomes.trapped++; else outcomes.ran++;
      }
    } catch (e) {
      if (e instanceof DecodeError) outcomes.malformed++;
      else if (e instanceof ValidationError) outcomes.invalid++;
      else if (e instanceof LinkError) outcomes.unlinkable++;
      else if (e instanceof Trap) outcomes.trapped++;
      else unexpected.push(`mutation ${i}: ${(e as Error)?.stack ?? String(e)}`);
    }
    const ms = performance.now() - t0;
    if (ms > 5000) unexpected.push(`mutation ${i}: took ${ms.toFixed(0)} ms`);
  }
  console.log('pipeline fuzz outcomes', outcomes);
  assert.deepEqual(unexpected.slice(0, 5), []);
  // The mutations must reach every stage, or the test proves little.
  assert.ok(outcomes.malformed > 0 && outcomes.invalid > 0 && outcomes.ran + outcomes.trapped > 0, JSON.stringify(outcomes));
});
