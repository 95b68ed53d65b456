// DWARF location expressions, evaluated against a paused wasm frame given as DwarfMachine.
// Values are 64-bit (bigint). The result is a list of pieces, each a memory address, a wasm
// local / global / operand-stack slot, or a computed value (DW_OP_stack_value / implicit_value).

import { DwarfError, DwarfReader } from './reader';

/** What the evaluator needs of the paused program. Raw bits: i32/f32 as unsigned 32-bit, i64/f64 as 64-bit. */
export interface DwarfMachine {
  /** Local `i` of the frame (parameters first), or null if there is no such local. */
  local(i: number): bigint | null;
  /** Global `i` of the module's instance. */
  global(i: number): bigint | null;
  /** Operand stack slot `i` of the frame, counted from the bottom of the frame's operand stack. */
  operand(i: number): bigint | null;
  /** `len` bytes of linear memory 0 at `addr`, or null if out of bounds. */
  readMemory(addr: number, len: number): Uint8Array | null;
}

export type LocationPiece =
  | { kind: 'memory'; address: number; size: number | null }
  | { kind: 'wasm'; space: 'local' | 'global' | 'operand'; index: number; size: number | null }
  | { kind: 'value'; value: bigint; size: number | null }
  | { kind: 'bytes'; bytes: Uint8Array; size: number | null }
  | { kind: 'undefined'; size: number | null };

export class LocationError extends DwarfError {
  constructor(message: string) { super(message); this.name = 'LocationError'; }
}

export interface EvalContext {
  machine: DwarfMachine;
  /** Evaluates the frame base (DW_AT_frame_base of the enclosing subprogram) as an address. */
  frameBase?: () => bigint;
  addrSize?: number;
  /** DW_OP_addrx: index into .debug_addr. */
  addrx?: (i: number) => number;
}

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & M64;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Reads a wasm slot's value. */
export function readSlot(m: DwarfMachine, space: 'local' | 'global' | 'operand', index: number): bigint {
  const v = space === 'local' ? m.local(index) : space === 'global' ? m.global(index) : m.operand(index);
  if (v === null) throw new LocationError(`no wasm ${space} ${index}`);
  return v;
}

/** Evaluates a location expression. An empty expression means "optimized out" (returns []). */
export function evaluateLocation(expr: Uint8Array, ctx: EvalContext): LocationPiece[] {
  const r = new DwarfReader(expr, 'location expression');
  const stack: bigint[] = [];
  const pieces: LocationPiece[] = [];
  let pending: LocationPiece | null = null; // a location described by the last op (register-like)
  const addrSize = ctx.addrSize ?? 4;
  const pop = (): bigint => {
    if (pending && pending.kind === 'wasm') { const p = pending; pending = null; return readSlot(ctx.machine, p.space, p.index); }
    const v = stack.pop();
    if (v === undefined) throw new LocationError('expression stack underflow');
    return v;
  };
  const push = (v: bigint): void => { if (stack.length > 1000) throw new LocationError('expression stack overflow'); stack.push(u64(v)); };
  let steps = 0;
  while (r.pos < r.end) {
    if (++steps > 10000) throw new LocationError('expression too long');
    const op = r.u8();
    if (op >= 0x30 && op <= 0x4f) { push(BigInt(op - 0x30)); continue; } // lit0..31
    if (op >= 0x50 && op <= 0x6f) throw new LocationError('DW_OP_reg* is not used in wasm');
    if (op >= 0x70 && op <= 0x8f) throw new LocationError('DW_OP_breg* is not used in wasm');
    switch (op) {
      case 0x03: push(BigInt(r.uN(addrSize))); break; // addr
      case 0x06: { // deref
        const a = Number(pop());
        const b = ctx.machine.readMemory(a, addrSize);
        if (!b) throw new LocationError(`cannot read memory at ${a}`);
        push(leToBig(b));
        break;
      }
      case 0x08: push(BigInt(r.u8())); break; // const1u
      case 0x09: push(BigInt((r.u8() << 24) >> 24)); break;
      case 0x0a: push(BigInt(r.u16())); break;
      case 0x0b: push(BigInt((r.u16() << 16) >> 16)); break;
      case 0x0c: push(BigInt(r.u32())); break;
      case 0x0d: push(BigInt(r.u32() | 0)); break;
      case 0x0e: push(r.u64big()); break;
      case 0x0f: push(r.u64big()); break;
      case 0x10: push(r.ulebBig()); break; // constu
      case 0x11: push(r.slebBig()); break; // consts
      case 0x12: { const v = pop(); push(v); push(v); break; } // dup
      case 0x13: pop(); break; // drop
      case 0x14: { if (stack.length < 2) throw new LocationError('expression stack underflow'); push(stack[stack.length - 2]); break; } // over
      case 0x15: { const i = r.u8(); if (i >= stack.length) throw new LocationError('pick out of range'); push(stack[stack.length - 1 - i]); break; }
      case 0x16: { const a = pop(), b = pop(); push(a); push(b); break; } // swap
      case 0x17: { const a = pop(), b = pop(), c = pop(); push(a); push(c); push(b); break; } // rot
      case 0x19: { const v = s64(pop()); push(v < 0n ? -v : v); break; } // abs
      case 0x1a: { const b = pop(), a = pop(); push(a & b); break; }
      case 0x1b: { const b = s64(pop()), a = s64(pop()); if (b === 0n) throw new LocationError('division by zero'); push(a / b); break; }
      case 0x1c: { const b = pop(), a = pop(); push(a - b); break; }
      case 0x1d: { const b = pop(), a = pop(); if (b === 0n) throw new LocationError('division by zero'); push(a % b); break; }
      case 0x1e: { const b = pop(), a = pop(); push(a * b); break; }
      case 0x1f: push(-pop()); break;
      case 0x20: push(~pop()); break;
      case 0x21: { const b = pop(), a = pop(); push(a | b); break; }
      case 0x22: { const b = pop(), a = pop(); push(a + b); break; }
      case 0x23: push(pop() + r.ulebBig()); break; // plus_uconst
      case 0x24: { const b = pop(), a = pop(); push(b >= 64n ? 0n : a << b); break; }
      case 0x25: { const b = pop(), a = pop(); push(b >= 64n ? 0n : a >> b); break; }
      case 0x26: { const b = pop(), a = s64(pop()); push(a >> (b > 63n ? 63n : b)); break; }
      case 0x27: { const b = pop(), a = pop(); push(a ^ b); break; }
      case 0x28: { const off = (r.u16() << 16) >> 16; if (pop() !== 0n) r.pos += off; if (r.pos < 0 || r.pos > r.end) throw new LocationError('branch out of range'); break; }
      case 0x29: { const b = pop(), a = pop(); push(a === b ? 1n : 0n); break; }
      case 0x2a: { const b = s64(pop()), a = s64(pop()); push(a >= b ? 1n : 0n); break; }
      case 0x2b: { const b = s64(pop()), a = s64(pop()); push(a > b ? 1n : 0n); break; }
      case 0x2c: { const b = s64(pop()), a = s64(pop()); push(a <= b ? 1n : 0n); break; }
      case 0x2d: { const b = s64(pop()), a = s64(pop()); push(a < b ? 1n : 0n); break; }
      case 0x2e: { const b = pop(), a = pop(); push(a !== b ? 1n : 0n); break; }
      case 0x2f: { const off = (r.u16() << 16) >> 16; r.pos += off; if (r.pos < 0 || r.pos > r.end) throw new LocationError('branch out of range'); break; }
      case 0x91: { // fbreg
        const off = r.slebBig();
        if (!ctx.frameBase) throw new LocationError('DW_OP_fbreg without a frame base');
        push(ctx.frameBase() + off);
        break;
      }
      case 0x93: { // piece
        const size = r.uleb();
        pieces.push(finishPiece(pending, stack, size));
        pending = null; stack.length = 0;
        break;
      }
      case 0x94: { // deref_size
        const n = r.u8();
        const a = Number(pop());
        const b = ctx.machine.readMemory(a, n);
        if (!b) throw new LocationError(`cannot read memory at ${a}`);
        push(leToBig(b));
        break;
      }
      case 0x96: break; // nop
      case 0x9c: throw new LocationError('DW_OP_call_frame_cfa is not supported in wasm');
      case 0x9e: { // implicit_value
        const n = r.uleb();
        pending = { kind: 'bytes', bytes: r.bytes(n), size: n };
        break;
      }
      case 0x9f: { // stack_value
        const v = stack.pop();
        if (v === undefined && !pending) throw new LocationError('expression stack underflow');
        if (v !== undefined) pending = { kind: 'value', value: v, size: null };
        else if (pending && pending.kind === 'wasm') pending = { kind: 'value', value: readSlot(ctx.machine, pending.space, pending.index), size: null };
        break;
      }
      case 0xa1: case 0xa2: { // addrx, constx (index into .debug_addr)
        const i = r.uleb();
        if (!ctx.addrx) throw new LocationError('DW_OP_addrx without .debug_addr');
        push(BigInt(ctx.addrx(i)));
        break;
      }
      case 0xa3: case 0xf3: throw new LocationError('entry value not available');
      case 0xe0: throw new LocationError('DW_OP_GNU_push_tls_address is not supported');
      case 0xed: { // DW_OP_WASM_location
        const kind = r.u8();
        let space: 'local' | 'global' | 'operand', index: number;
        switch (kind) {
          case 0: space = 'local'; index = r.uleb(); break;
          case 1: space = 'global'; index = r.uleb(); break;
          case 2: space = 'operand'; index = r.uleb(); break;
          case 3: space = 'global'; index = r.u32(); break;
          default: throw new LocationError(`unknown DW_OP_WASM_location kind ${kind}`);
        }
        pending = { kind: 'wasm', space, index, size: null };
        break;
      }
      case 0x02: case 0x0: throw new LocationError(`invalid DW_OP 0x${op.toString(16)}`);
      case 0xa0: case 0xf4: case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xa8: case 0xa9:
        throw new LocationError(`unsupported DW_OP 0x${op.toString(16)}`);
      case 0x18: throw new LocationError('DW_OP_xderef is not supported');
      case 0x90: case 0x92: throw new LocationError('DW_OP_regx/bregx is not used in wasm');
      case 0x95: throw new LocationError('DW_OP_xderef_size is not supported');
      case 0x97: throw new LocationError('DW_OP_push_object_address is not supported');
      case 0x98: case 0x99: case 0x9a: throw new LocationError('DW_OP_call* is not supported');
      case 0x9b: throw new LocationError('DW_OP_form_tls_address is not supported');
      case 0x9d: { r.uleb(); r.uleb(); throw new LocationError('DW_OP_bit_piece is not supported'); }
      case 0xe3: case 0xe2: throw new LocationError(`unsupported DW_OP 0x${op.toString(16)}`);
      default:
        if (op === 0xfb || op === 0xfc) { const i = r.uleb(); push(BigInt(ctx.addrx ? ctx.addrx(i) : 0)); break; }
        throw new LocationError(`unknown DW_OP 0x${op.toString(16)}`);
    }
  }
  if (pieces.length > 0) {
    if (pending || stack.length > 0) pieces.push(finishPiece(pending, stack, null));
    return pieces;
  }
  if (pending) return [pending];
  if (stack.length === 0) return [];
  return [{ kind: 'memory', address: Number(stack[stack.length - 1] & 0xffffffffn), size: null }];
}

function finishPiece(pending: LocationPiece | null, stack: bigint[], size: number | null): LocationPiece {
  if (pending) return { ...pending, size };
  if (stack.length === 0) return { kind: 'undefined', size };
  return { kind: 'memory', address: Number(stack[stack.length - 1] & 0xffffffffn), size };
}

export function leToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = Math.min(b.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export function bigToLe(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < n && i < 8; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}
