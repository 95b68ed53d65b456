// Values for display and a small expression language for `evaluate`, breakpoint conditions and
// logpoint interpolation: numbers, locals and globals by name (`$n`, `n`, `local0`, `global0`),
// memory reads `i32[addr]` `u8[...]` `i8` `u16` `i16` `u32` `i64` `u64` `f32` `f64`, arithmetic
// + - * / % & | ^ << >>, comparisons == != < <= > >=, && || !, parentheses.

import { ValType, valTypeName } from '../engine/core/types';
import { f32Value, f64Value, type WasmValue } from '../engine/runtime/values';
import { formatF32, formatF64 } from '../engine/disasm/floats';

export class EvalError extends Error {}

export type Scalar = { kind: 'int'; v: bigint; type: 'i32' | 'i64' } | { kind: 'float'; v: number; type: 'f32' | 'f64' };

export interface EvalEnv {
  lookup(name: string): WasmValue | undefined;
  /** Memory 0's bytes, or null. */
  memory(): Uint8Array | null;
}

export function typeName(t: ValType): string {
  return valTypeName(t);
}

function hex(v: bigint, bits: number): string {
  const s = BigInt.asUintN(bits, v).toString(16);
  return '0x' + s.padStart(bits / 4, '0');
}

export function formatValue(v: WasmValue, asHex = false): string {
  switch (v.type) {
    case ValType.I32: return asHex ? hex(BigInt(v.bits), 32) : String(v.bits);
    case ValType.I64: return asHex ? hex(v.bits, 64) : String(v.bits);
    case ValType.F32: return asHex ? hex(BigInt(v.bits), 32) : formatF32(v.bits);
    case ValType.F64: return asHex ? hex(v.bits, 64) : formatF64(Number(BigInt.asIntN(32, v.bits)), Number(BigInt.asIntN(32, v.bits >> 32n)));
    case ValType.V128: {
      const dv = new DataView(v.bytes.buffer, v.bytes.byteOffset, 16);
      const lanes: string[] = [];
      for (let i = 0; i < 4; i++) lanes.push(hex(BigInt(dv.getUint32(4 * i, true)), 32));
      return `i32x4 ${lanes.join(' ')}`;
    }
    default: {
      const r = (v as { ref: { kind: string; addr?: number } | null }).ref;
      if (r === null) return 'null';
      return r.kind === 'func' ? `func@${r.addr}` : 'extern';
    }
  }
}

export function toScalar(v: WasmValue): Scalar {
  switch (v.type) {
    case ValType.I32: return { kind: 'int', v: BigInt(v.bits), type: 'i32' };
    case ValType.I64: return { kind: 'int', v: v.bits, type: 'i64' };
    case ValType.F32: return { kind: 'float', v: f32Value(v.bits), type: 'f32' };
    case ValType.F64: return { kind: 'float', v: f64Value(v.bits), type: 'f64' };
    default: throw new EvalError(`a ${typeName(v.type)} cannot be used in an expression`);
  }
}

export function formatScalar(s: Scalar, asHex = false): string {
  if (s.kind === 'int') return asHex ? hex(s.v, s.type === 'i32' ? 32 : 64) : String(s.v);
  if (Number.isNaN(s.v)) return 'nan';
  if (!Number.isFinite(s.v)) return s.v > 0 ? 'inf' : '-inf';
  return Object.is(s.v, -0) ? '-0' : String(s.v);
}

export function truthy(s: Scalar): boolean {
  return s.kind === 'int' ? s.v !== 0n : s.v !== 0 && !Number.isNaN(s.v);
}

const MEM_TYPES: Record<string, { size: number; read: (dv: DataView, a: number) => Scalar }> = {
  u8: { size: 1, read: (d, a) => ({ kind: 'int', v: BigInt(d.getUint8(a)), type: 'i32' }) },
  i8: { size: 1, read: (d, a) => ({ kind: 'int', v: BigInt(d.getInt8(a)), type: 'i32' }) },
  u16: { size: 2, read: (d, a) => ({ kind: 'int', v: BigInt(d.getUint16(a, true)), type: 'i32' }) },
  i16: { size: 2, read: (d, a) => ({ kind: 'int', v: BigInt(d.getInt16(a, true)), type: 'i32' }) },
  u32: { size: 4, read: (d, a) => ({ kind: 'int', v: BigInt(d.getUint32(a, true)), type: 'i64' }) },
  i32: { size: 4, read: (d, a) => ({ kind: 'int', v: BigInt(d.getInt32(a, true)), type: 'i32' }) },
  i64: { size: 8, read: (d, a) => ({ kind: 'int', v: d.getBigInt64(a, true), type: 'i64' }) },
  u64: { size: 8, read: (d, a) => ({ kind: 'int', v: d.getBigUint64(a, true), type: 'i64' }) },
  f32: { size: 4, read: (d, a) => ({ kind: 'float', v: d.getFloat32(a, true), type: 'f32' }) },
  f64: { size: 8, read: (d, a) => ({ kind: 'float', v: d.getFloat64(a, true), type: 'f64' }) },
};

type Tok = { k: 'num'; text: string } | { k: 'id'; text: string } | { k: 'op'; text: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(0x[0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?)|(\$?[A-Za-z_][\w.$]*|\$[\w.$]+)|(==|!=|<=|>=|&&|\|\||<<|>>|[-+*/%&|^<>!()[\]~]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new EvalError(`unexpected '${src.slice(pos).trim()[0]}' at column ${pos + 1}`);
    if (m[1] !== undefined) out.push({ k: 'num', text: m[1] });
    else if (m[2] !== undefined) out.push({ k: 'id', text: m[2] });
    else out.push({ k: 'op', text: m[3] });
    pos = re.lastIndex;
  }
  return out;
}

const BIN: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

function wrap(v: bigint, type: 'i32' | 'i64'): Scalar {
  return { kind: 'int', v: type === 'i32' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v), type };
}
function bool(b: boolean): Scalar { return { kind: 'int', v: b ? 1n : 0n, type: 'i32' }; }

function binary(op: string, a: Scalar, b: Scalar): Scalar {
  if (op === '&&') return bool(truthy(a) && truthy(b));
  if (op === '||') return bool(truthy(a) || truthy(b));
  if (a.kind === 'float' || b.kind === 'float') {
    const x = Number(a.v), y = Number(b.v);
    const t = a.type === 'f64' || b.type === 'f64' || a.kind === 'int' || b.kind === 'int' ? 'f64' : 'f32';
    switch (op) {
      case '+': return { kind: 'float', v: x + y, type: t };
      case '-': return { kind: 'float', v: x - y, type: t };
      case '*': return { kind: 'float', v: x * y, type: t };
      case '/': return { kind: 'float', v: x / y, type: t };
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '<': return bool(x < y);
      case '<=': return bool(x <= y);
      case '>': return bool(x > y);
      case '>=': return bool(x >= y);
      default: throw new EvalError(`'${op}' needs integer operands`);
    }
  }
  const x = a.v, y = b.v;
  const t = a.type === 'i64' || b.type === 'i64' ? 'i64' : 'i32';
  switch (op) {
    case '+': return wrap(x + y, t);
    case '-': return wrap(x - y, t);
    case '*': return wrap(x * y, t);
    case '/': if (y === 0n) throw new EvalError('division by zero'); return wrap(x / y, t);
    case '%': if (y === 0n) throw new EvalError('division by zero'); return wrap(x % y, t);
    case '&': return wrap(x & y, t);
    case '|': return wrap(x | y, t);
    case '^': return wrap(x ^ y, t);
    case '<<': return wrap(x << (y & 63n), t);
    case '>>': return wrap(x >> (y & 63n), t);
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
  }
  throw new EvalError(`unknown operator ${op}`);
}

/** Evaluates `src` in `env`. Throws EvalError with a readable message. */
export function evaluateExpression(src: string, env: EvalEnv): Scalar {
  const toks = tokenize(src);
  if (toks.length === 0) throw new EvalError('empty expression');
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const expectOp = (text: string): void => {
    const t = toks[i];
    if (!t || t.k !== 'op' || t.text !== text) throw new EvalError(`expected '${text}'${t ? ` before '${t.text}'` : ' at the end'}`);
    i++;
  };
  const primary = (): Scalar => {
    const t = toks[i++];
    if (!t) throw new EvalError('unexpected end of expression');
    if (t.k === 'num') {
      const s = t.text.replace(/_/g, '');
      if (/^0x/i.test(s) || /^\d+$/.test(s)) {
        const v = BigInt(s);
        return { kind: 'int', v: BigInt.asIntN(64, v), type: v > 0x7fffffffn ? 'i64' : 'i32' };
      }
      return { kind: 'float', v: Number(s), type: 'f64' };
    }
    if (t.k === 'op') {
      if (t.text === '(') { const v = expr(0); expectOp(')'); return v; }
      if (t.text === '-') { const v = primary(); return v.kind === 'int' ? wrap(-v.v, v.type) : { ...v, v: -v.v }; }
      if (t.text === '!') return bool(!truthy(primary()));
      if (t.text === '~') { const v = primary(); if (v.kind !== 'int') throw new EvalError("'~' needs an integer"); return wrap(~v.v, v.type); }
      throw new EvalError(`unexpected '${t.text}'`);
    }
    const nt = peek();
    if (MEM_TYPES[t.text] && nt && nt.k === 'op' && nt.text === '[') {
      i++;
      const addr = expr(0);
      expectOp(']');
      if (addr.kind !== 'int') throw new EvalError('a memory address must be an integer');
      const mem = env.memory();
      if (mem === null) throw new EvalError('the module has no memory');
      const a = Number(BigInt.asUintN(32, addr.v));
      const mt = MEM_TYPES[t.text];
      if (a + mt.size > mem.length) throw new EvalError(`address 0x${a.toString(16)} is out of bounds (memory size 0x${mem.length.toString(16)})`);
      return mt.read(new DataView(mem.buffer, mem.byteOffset, mem.byteLength), a);
    }
    const v = env.lookup(t.text);
    if (v === undefined) throw new EvalError(`unknown name '${t.text}'`);
    return toScalar(v);
  };
  const expr = (minPrec: number): Scalar => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (!t || t.k !== 'op') break;
      const p = BIN[t.text];
      if (p === undefined || p <= minPrec) break;
      i++;
      const right = expr(p);
      left = binary(t.text, left, right);
    }
    return left;
  };
  const v = expr(0);
  if (i < toks.length) throw new EvalError(`unexpected '${toks[i].text}'`);
  return v;
}

/** Parses text typed by the user as a value of type `t` (setVariable). */
export function parseValue(text: string, t: ValType): WasmValue {
  const s = text.trim().replace(/_/g, '');
  const int = (bits: number): bigint => {
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(s)) throw new EvalError(`'${text}' is not an integer`);
    const neg = s.startsWith('-');
    const mag = BigInt(neg ? s.slice(1) : s);
    const v = neg ? -mag : mag;
    if (v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits)) throw new EvalError(`'${text}' does not fit in ${bits} bits`);
    return v;
  };
  const float = (): number => {
    const l = s.toLowerCase();
    if (l === 'nan') return NaN;
    if (l === 'inf' || l === 'infinity') return Infinity;
    if (l === '-inf' || l === '-infinity') return -Infinity;
    const x = Number(s);
    if (s === '' || Number.isNaN(x)) throw new EvalError(`'${text}' is not a number`);
    return x;
  };
  switch (t) {
    case ValType.I32: return { type: t, bits: Number(BigInt.asIntN(32, int(32))) };
    case ValType.I64: return { type: t, bits: BigInt.asIntN(64, int(64)) };
    case ValType.F32: { const b = new Float32Array([float()]); return { type: t, bits: new Int32Array(b.buffer)[0] }; }
    case ValType.F64: { const b = new Float64Array([float()]); return { type: t, bits: new BigInt64Array(b.buffer)[0] }; }
    default: throw new EvalError(`cannot set a ${typeName(t)} value`);
  }
}
