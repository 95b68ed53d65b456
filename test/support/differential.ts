// Differential execution: run one module in this engine and in Node's own WebAssembly (V8), calling
// every exported function in order the way binaryen's fuzz shell does, and compare what each side
// observed: host-call logs, results, traps (by category) and the final memory.
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store } from '../../engine/runtime/store';
import { Trap, TrapCode } from '../../engine/core/errors';
import { ValType, type FuncType } from '../../engine/core/types';
import type { Module } from '../../engine/core/module';
import { f32Value, f64Value, i32, i64, f32, f64, type WasmValue } from '../../engine/runtime/values';

export interface DiffOutcome {
  readonly status: 'same' | 'differ' | 'skipped';
  readonly detail: string;
  readonly engineLog: string[];
  readonly v8Log: string[];
}

function fmtNum(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function fmtEngineValue(v: WasmValue): string {
  switch (v.type) {
    case ValType.I32: return `i32:${v.bits}`;
    case ValType.I64: return `i64:${v.bits}`;
    case ValType.F32: return `f32:${fmtNum(f32Value(v.bits))}`;
    case ValType.F64: return `f64:${fmtNum(f64Value(v.bits))}`;
    default: return `${v.type}:?`;
  }
}
function fmtJsValue(t: ValType, x: unknown): string {
  switch (t) {
    case ValType.I32: return `i32:${(x as number) | 0}`;
    case ValType.I64: return `i64:${BigInt.asIntN(64, x as bigint)}`;
    case ValType.F32: return `f32:${fmtNum(Math.fround(x as number))}`;
    case ValType.F64: return `f64:${fmtNum(x as number)}`;
    default: return `${t}:?`;
  }
}

const JS_TYPES = new Set<number>([ValType.I32, ValType.I64, ValType.F32, ValType.F64]);
function jsCompatible(t: FuncType): boolean {
  return t.params.every((p) => JS_TYPES.has(p)) && t.results.every((r) => JS_TYPES.has(r));
}

/** Trap categories both engines can agree on. */
function engineTrapCategory(e: unknown): string {
  if (e instanceof Trap) {
    switch (e.code) {
      case TrapCode.IndirectCallTypeMismatch: case TrapCode.UndefinedElement: case TrapCode.UninitializedElement:
        return 'indirect-call';
      case TrapCode.IntegerDivideByZero: return 'div-zero';
      case TrapCode.CallStackExhausted: return 'stack';
      case TrapCode.HostError: return 'host';
      default: return e.message;
    }
  }
  return 'host';
}
function v8TrapCategory(e: unknown): string {
  if (e instanceof RangeError) return 'stack';
  if (e instanceof WebAssembly.RuntimeError) {
    const m = e.message;
    if (/unreachable/.test(m)) return 'unreachable';
    if (/memory access out of bounds/.test(m)) return 'out of bounds memory access';
    if (/by zero/.test(m)) return 'div-zero';
    // V8 says "float unrepresentable in integer range" for both NaN (spec: invalid conversion) and
    // out-of-range (spec: integer overflow) truncations; `sameEvent` accepts either for it.
    if (/float unrepresentable/.test(m)) return 'float-unrepresentable';
    if (/unrepresentable|integer overflow/.test(m)) return 'integer overflow';
    if (/table index|null function|signature mismatch|function signature/.test(m)) return 'indirect-call';
    if (/table/.test(m)) return 'out of bounds table access';
    return `v8:${m}`;
  }
  return 'host';
}

function zeroArgs(t: FuncType): WasmValue[] {
  return t.params.map((p) => (p === ValType.I32 ? i32(0) : p === ValType.I64 ? i64(0n) : p === ValType.F32 ? f32(0) : f64(0)));
}
function zeroJsArgs(t: FuncType): unknown[] {
  return t.params.map((p) => (p === ValType.I64 ? 0n : 0));
}

class HostThrow extends Error {}

function sameEvent(engine: string | undefined, v8: string | undefined): boolean {
  if (engine === v8) return true;
  return v8 === 'trap float-unrepresentable' &&
    (engine === 'trap integer overflow' || engine === 'trap invalid conversion to integer');
}

export function runDifferential(bytes: Uint8Array): DiffOutcome {
  const engineLog: string[] = [];
  const v8Log: string[] = [];
  let module: Module;
  try {
    module = decodeModule(bytes);
    validateModule(module);
  } catch (e) {
    return { status: 'differ', detail: `engine rejected a module V8 may accept: ${String(e)}`, engineLog, v8Log };
  }
  let v8Module: WebAssembly.Module;
  try {
    v8Module = new WebAssembly.Module(bytes);
  } catch (e) {
    return { status: 'skipped', detail: `V8 rejects: ${(e as Error).message}`, engineLog, v8Log };
  }

  // Host functions: the fuzzer's logging imports.
  const v8Imports: Record<string, Record<string, unknown>> = {};
  for (const imp of module.imports) {
    if (imp.desc.kind !== 'func') return { status: 'skipped', detail: `non-function import ${imp.module}.${imp.name}`, engineLog, v8Log };
    const type = module.types[imp.desc.typeIndex];
    const name = imp.name;
    (v8Imports[imp.module] ??= {})[name] = (...args: unknown[]) => {
      if (!jsCompatible(type)) throw new HostThrow('v128 at the JS boundary');
      v8Log.push(`${name}(${args.map((a, i) => fmtJsValue(type.params[i], a)).join(',')})`);
      if (type.results.length === 1) return type.results[0] === ValType.I64 ? 0n : 0;
      return undefined;
    };
  }
  const store = new Store();
  const resolver = (mod: string, name: string) => {
    const imp = module.imports.find((x) => x.module === mod && x.name === name);
    if (!imp || imp.desc.kind !== 'func') return undefined;
    const type = module.types[imp.desc.typeIndex];
    return {
      kind: 'func' as const,
      func: store.hostFunction(type, (args: WasmValue[]) => {
        if (!jsCompatible(type)) throw new HostThrow('v128 at the JS boundary');
        engineLog.push(`${name}(${args.map(fmtEngineValue).join(',')})`);
        return type.results.length === 1 ? zeroArgs({ params: type.results, results: [] }) : [];
      }, name),
    };
  };

  let v8Instance: WebAssembly.Instance | null = null;
  let engineInstance: ReturnType<Store['instantiate']> | null = null;
  try { v8Instance = new WebAssembly.Instance(v8Module, v8Imports as WebAssembly.Imports); }
  catch (e) { v8Log.push(`instantiate trap ${v8TrapCategory(e)}`); }
  try { engineInstance = store.instantiate(module, resolver); }
  catch (e) { engineLog.push(`instantiate trap ${engineTrapCategory(e)}`); }

  if (v8Instance && engineInstance) {
    const hangInit = module.exports.find((e) => e.kind === 'func' && e.name === 'hangLimitInitializer');
    for (const exp of module.exports) {
      if (exp.kind !== 'func' || exp.name === 'hangLimitInitializer') continue;
      const type = module.types[module.funcTypeIndices[exp.index]];
      if (!jsCompatible(type)) continue; // V8 cannot call it from JS
      const engineFunc = engineInstance.exports.get(exp.name);
      const v8Func = (v8Instance.exports as Record<string, (...a: unknown[]) => unknown>)[exp.name];
      if (hangInit) {
        (v8Instance.exports as Record<string, () => void>)['hangLimitInitializer']();
        const h = engineInstance.exports.get('hangLimitInitializer');
        if (h && h.kind === 'func') store.invoke(h.func, []);
      }
      v8Log.push(`call ${exp.name}`);
      engineLog.push(`call ${exp.name}`);
      try {
        const r = v8Func(...zeroJsArgs(type));
        const rs = type.results.length === 1 ? [r] : type.results.length === 0 ? [] : (r as unknown[]);
        v8Log.push(`=> ${rs.map((x, i) => fmtJsValue(type.results[i], x)).join(',')}`);
      } catch (e) {
        v8Log.push(`trap ${v8TrapCategory(e)}`);
      }
      try {
        if (!engineFunc || engineFunc.kind !== 'func') throw new Error(`export ${exp.name} missing`);
        const rs = store.invoke(engineFunc.func, zeroArgs(type));
        engineLog.push(`=> ${rs.map(fmtEngineValue).join(',')}`);
      } catch (e) {
        engineLog.push(`trap ${engineTrapCategory(e)}`);
      }
    }
    // Final memory.
    const memExport = module.exports.find((e) => e.kind === 'memory');
    if (memExport) {
      const a = new Uint8Array((v8Instance.exports[memExport.name] as WebAssembly.Memory).buffer);
      const m = engineInstance.exports.get(memExport.name);
      const b = m && m.kind === 'memory' ? m.memory.bytes() : new Uint8Array(0);
      let firstDiff = -1;
      if (a.length !== b.length) firstDiff = Math.min(a.length, b.length);
      else for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { firstDiff = i; break; }
      v8Log.push(`memory ${a.length}`);
      const window = (x: Uint8Array) => Array.from(x.subarray(Math.max(0, firstDiff - 4), firstDiff + 12), (v) => v.toString(16).padStart(2, '0')).join(' ');
      if (firstDiff >= 0) v8Log.push(`memory bytes from ${Math.max(0, firstDiff - 4)}: ${window(a)}`);
      engineLog.push(firstDiff < 0 ? `memory ${b.length}` : `memory ${b.length} differs at ${firstDiff}`);
      if (firstDiff >= 0) engineLog.push(`memory bytes from ${Math.max(0, firstDiff - 4)}: ${window(b)}`);
    }
  }
  const n = Math.max(engineLog.length, v8Log.length);
  for (let i = 0; i < n; i++) {
    if (!sameEvent(engineLog[i], v8Log[i])) {
      const more = engineLog[i]?.includes('differs at') ? `; engine ${engineLog[i + 1]}; V8 ${v8Log[i + 1]}` : '';
      return { status: 'differ', detail: `event ${i}: engine ${engineLog[i] ?? '<none>'} vs V8 ${v8Log[i] ?? '<none>'}${more}`, engineLog, v8Log };
    }
  }
  return { status: 'same', detail: `${engineLog.length} events`, engineLog, v8Log };
}
