// Adapter between the benchmark and this engine: decode, instantiate (no imports), invoke one
// export with no arguments. Kept tiny so the bench measures the engine, not the adapter.
import { decodeModule } from '../../engine/binary/decoder';
import { Store } from '../../engine/runtime/store';
import { ValType } from '../../engine/core/types';
import type { WasmValue } from '../../engine/runtime/values';

export interface EngineRun {
  /** The single result as `<type>:<signed decimal>`, e.g. `i64:-42` (the bench's common form). */
  result: string;
  /** Wasm instructions executed by this call (the store's counter, before and after). */
  instructions: number;
  /** Wall time of the invocation alone (decode and instantiate excluded), in milliseconds. */
  invokeMs: number;
}

export function runEngine(wasmBytes: Uint8Array, exportName: string): EngineRun {
  const module = decodeModule(wasmBytes);
  const store = new Store();
  const instance = store.instantiate(module, () => undefined);
  const ext = instance.exports.get(exportName);
  if (ext === undefined || ext.kind !== 'func') throw new Error(`no exported function '${exportName}'`);
  const before = store.instructionCount;
  const t0 = performance.now();
  const results = store.invoke(ext.func, []);
  const invokeMs = performance.now() - t0;
  return { result: resultText(results), instructions: store.instructionCount - before, invokeMs };
}

function resultText(results: WasmValue[]): string {
  if (results.length !== 1) return `${results.length} results`;
  const v = results[0];
  switch (v.type) {
    case ValType.I32: return `i32:${v.bits}`;
    case ValType.I64: return `i64:${v.bits}`;
    case ValType.F32: return `f32-bits:${v.bits}`;
    case ValType.F64: return `f64-bits:${v.bits}`;
    default: return `type ${v.type}`;
  }
}
