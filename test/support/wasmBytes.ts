// A tiny helper to write binary modules by hand in tests: LEB128s, names, vectors and sections.
// Instruction bytes are looked up in the opcode table by name (`op('i32.add')`).

import { opByName } from '../../engine/core/opcodes';

export type Bytes = number[];

export function u32(n: number): Bytes {
  const out: Bytes = [];
  n >>>= 0;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function s32(n: number): Bytes {
  const out: Bytes = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

export function str(s: string): Bytes {
  const b = [...new TextEncoder().encode(s)];
  return [...u32(b.length), ...b];
}

export function vec(items: Bytes[]): Bytes {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, payload: Bytes): Bytes {
  return [id, ...u32(payload.length), ...payload];
}

export function custom(name: string, payload: Bytes): Bytes {
  return section(0, [...str(name), ...payload]);
}

/** The encoding of an instruction's opcode (prefix and LEB sub-opcode included). */
export function op(name: string): Bytes {
  const info = opByName(name);
  if (!info) throw new Error(`no opcode ${name}`);
  return info.prefix === 0 ? [info.code] : [info.prefix, ...u32(info.code)];
}

/** Instructions written as a list of opcode names, immediate byte arrays and single bytes. */
export function code(...parts: (string | Bytes | number)[]): Bytes {
  return parts.flatMap((p) => (typeof p === 'string' ? op(p) : p));
}

export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70, EXTERNREF = 0x6f;

export function functype(params: number[], results: number[]): Bytes {
  return [0x60, ...u32(params.length), ...params, ...u32(results.length), ...results];
}

/** A code-section entry: local groups [count, type] and the body (its final `end` included). */
export function body(locals: [number, number][], instrs: Bytes): Bytes {
  const b = [...u32(locals.length), ...locals.flatMap(([n, t]) => [...u32(n), t]), ...instrs];
  return [...u32(b.length), ...b];
}

export function wasm(...sections: Bytes[]): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

/** Section ids. */
export const S = { custom: 0, type: 1, import: 2, func: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, elem: 9, code: 10, data: 11, datacount: 12 } as const;

/** A module with one type [params]->[results], one function of that type, the given locals/body. */
export function oneFunc(params: number[], results: number[], locals: [number, number][], instrs: Bytes, extra: Bytes[] = []): Uint8Array {
  return wasm(
    section(S.type, vec([functype(params, results)])),
    section(S.func, vec([u32(0)])),
    ...extra,
    section(S.code, vec([body(locals, instrs)])),
  );
}
