// Values as they cross the engine's API (arguments, results, globals, host calls). Inside the
// interpreter values are raw bits in typed arrays; these tagged forms keep the exact bits too
// (floats as bit patterns, so NaN payloads survive).

import { ValType } from '../core/types';

/** A reference: null, a function (store-wide function address), or an opaque host value. */
export type RefValue =
  | null
  | { readonly kind: 'func'; readonly addr: number }
  | { readonly kind: 'extern'; readonly value: unknown };

export type WasmValue =
  | { readonly type: ValType.I32; readonly bits: number }          // int32
  | { readonly type: ValType.I64; readonly bits: bigint }          // signed 64-bit
  | { readonly type: ValType.F32; readonly bits: number }          // IEEE bits as int32
  | { readonly type: ValType.F64; readonly bits: bigint }          // IEEE bits as signed 64-bit
  | { readonly type: ValType.V128; readonly bytes: Uint8Array }    // 16 bytes, little-endian lanes
  | { readonly type: ValType.FuncRef | ValType.ExternRef; readonly ref: RefValue };

const f32buf = new Float32Array(1);
const f32bits = new Int32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const f64bits = new BigInt64Array(f64buf.buffer);

export const i32 = (v: number): WasmValue => ({ type: ValType.I32, bits: v | 0 });
export const i64 = (v: bigint | number): WasmValue => ({ type: ValType.I64, bits: BigInt.asIntN(64, BigInt(v)) });
/** An f32 from a JS number (rounded to single precision). */
export const f32 = (v: number): WasmValue => { f32buf[0] = v; return { type: ValType.F32, bits: f32bits[0] }; };
export const f32Bits = (bits: number): WasmValue => ({ type: ValType.F32, bits: bits | 0 });
export const f64 = (v: number): WasmValue => { f64buf[0] = v; return { type: ValType.F64, bits: f64bits[0] }; };
export const f64Bits = (bits: bigint): WasmValue => ({ type: ValType.F64, bits: BigInt.asIntN(64, bits) });
export const v128 = (bytes: Uint8Array): WasmValue => ({ type: ValType.V128, bytes: Uint8Array.from(bytes) });
export const funcRef = (ref: RefValue): WasmValue => ({ type: ValType.FuncRef, ref });
export const externRef = (ref: RefValue): WasmValue => ({ type: ValType.ExternRef, ref });

export function f32Value(bits: number): number { f32bits[0] = bits; return f32buf[0]; }
export function f64Value(bits: bigint): number { f64bits[0] = bits; return f64buf[0]; }

/** The default (zero / null) value of a type. */
export function defaultValue(t: ValType): WasmValue {
  switch (t) {
    case ValType.I32: return i32(0);
    case ValType.I64: return i64(0n);
    case ValType.F32: return f32Bits(0);
    case ValType.F64: return f64Bits(0n);
    case ValType.V128: return v128(new Uint8Array(16));
    default: return { type: t, ref: null };
  }
}

/** Human-readable rendering (for the CLI and the debugger): decimal for integers, shortest round-trip
 *  for floats, NaN payloads shown. */
export function formatValue(v: WasmValue): string {
  switch (v.type) {
    case ValType.I32: return `${v.bits}`;
    case ValType.I64: return `${v.bits}`;
    case ValType.F32: {
      const x = f32Value(v.bits);
      if (Number.isNaN(x)) return nanText(v.bits < 0, v.bits & 0x7fffff, 0x400000);
      return Object.is(x, -0) ? '-0' : `${x}`;
    }
    case ValType.F64: {
      const x = f64Value(v.bits);
      if (Number.isNaN(x)) return nanText(v.bits < 0n, Number(v.bits & 0xfffffffffffffn), 2 ** 51);
      return Object.is(x, -0) ? '-0' : `${x}`;
    }
    case ValType.V128: return `i8x16 ${Array.from(v.bytes).join(' ')}`;
    default: {
      const r = v.ref;
      if (r === null) return 'null';
      return r.kind === 'func' ? `func#${r.addr}` : `extern(${String(r.value)})`;
    }
  }
}
function nanText(neg: boolean, payload: number, canonical: number): string {
  return `${neg ? '-' : ''}nan${payload === canonical ? '' : `:0x${payload.toString(16)}`}`;
}
