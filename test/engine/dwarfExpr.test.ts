// The DWARF location expression evaluator, op by op, against a small fake machine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLocation, LocationError, DwarfError, type DwarfMachine } from '../../engine/dwarf';

const mem = new Uint8Array(256);
new DataView(mem.buffer).setUint32(16, 0x12345678, true);
new DataView(mem.buffer).setUint32(32, 200, true);
const machine: DwarfMachine = {
  local: (i) => (i < 4 ? BigInt(1000 + i) : null),
  global: (i) => (i === 0 ? 5000n : i === 7 ? 0xffffffffn : null),
  operand: (i) => (i < 2 ? BigInt(70 + i) : null),
  readMemory: (a, n) => (a >= 0 && a + n <= mem.length ? mem.slice(a, a + n) : null),
};
const ev = (bytes: number[], frameBase = 0n): ReturnType<typeof evaluateLocation> =>
  evaluateLocation(Uint8Array.from(bytes), { machine, frameBase: () => frameBase, addrSize: 4 });

test('memory locations: addr, fbreg, plus_uconst, consts, arithmetic, deref', () => {
  assert.deepEqual(ev([0x03, 0x10, 0, 0, 0]), [{ kind: 'memory', address: 16, size: null }]); // DW_OP_addr 16
  assert.deepEqual(ev([0x91, 0x0c], 100n), [{ kind: 'memory', address: 112, size: null }]); // fbreg +12
  assert.deepEqual(ev([0x91, 0x7c], 100n), [{ kind: 'memory', address: 96, size: null }]); // fbreg -4
  assert.deepEqual(ev([0x35, 0x23, 0x07]), [{ kind: 'memory', address: 12, size: null }]); // lit5 plus_uconst 7
  assert.deepEqual(ev([0x11, 0x7f, 0x35, 0x22]), [{ kind: 'memory', address: 4, size: null }]); // consts -1, lit5, plus
  assert.deepEqual(ev([0x08, 32, 0x06]), [{ kind: 'memory', address: 200, size: null }]); // const1u 32, deref -> mem[32]
  assert.deepEqual(ev([0x40, 0x94, 0x02, 0x9f]), [{ kind: 'value', value: 0x5678n, size: null }]); // lit16, deref_size 2
});

test('wasm locations: local, global (uleb and u32), operand stack; stack_value', () => {
  assert.deepEqual(ev([0xed, 0x00, 0x02]), [{ kind: 'wasm', space: 'local', index: 2, size: null }]);
  assert.deepEqual(ev([0xed, 0x01, 0x00]), [{ kind: 'wasm', space: 'global', index: 0, size: null }]);
  assert.deepEqual(ev([0xed, 0x03, 0x07, 0, 0, 0]), [{ kind: 'wasm', space: 'global', index: 7, size: null }]);
  assert.deepEqual(ev([0xed, 0x02, 0x01]), [{ kind: 'wasm', space: 'operand', index: 1, size: null }]);
  assert.deepEqual(ev([0xed, 0x00, 0x01, 0x9f]), [{ kind: 'value', value: 1001n, size: null }]);
  // a wasm location used as a value: local 3 + 4, then the memory there
  assert.deepEqual(ev([0xed, 0x00, 0x03, 0x23, 0x04]), [{ kind: 'memory', address: 1007, size: null }]);
  assert.deepEqual(ev([0x10, 0x2a, 0x9f]), [{ kind: 'value', value: 42n, size: null }]); // constu 42, stack_value
});

test('pieces, implicit values, branches, comparisons', () => {
  assert.deepEqual(ev([0xed, 0x00, 0x00, 0x93, 0x04, 0x03, 0x10, 0, 0, 0, 0x93, 0x04]), [
    { kind: 'wasm', space: 'local', index: 0, size: 4 }, { kind: 'memory', address: 16, size: 4 },
  ]);
  assert.deepEqual(ev([0x93, 0x04, 0x30, 0x9f, 0x93, 0x04]), [{ kind: 'undefined', size: 4 }, { kind: 'value', value: 0n, size: 4 }]);
  assert.deepEqual(ev([0x9e, 0x02, 0xab, 0xcd]), [{ kind: 'bytes', bytes: Uint8Array.from([0xab, 0xcd]), size: 2 }]);
  // lit1 bra +1 (skip lit7) lit9 -> 9 ; lit0 bra +1 lit7 lit9 -> 9 on top
  assert.deepEqual(ev([0x31, 0x28, 0x01, 0x00, 0x37, 0x39, 0x9f]), [{ kind: 'value', value: 9n, size: null }]);
  assert.deepEqual(ev([0x33, 0x35, 0x2d, 0x9f]), [{ kind: 'value', value: 1n, size: null }]); // 3 < 5
  assert.deepEqual(ev([0x11, 0x7d, 0x32, 0x26, 0x9f]), [{ kind: 'value', value: 0xffffffffffffffffn, size: null }]); // -3 >>a 2 = -1
  assert.deepEqual(ev([]), []);
});

test('bad expressions are DwarfError (LocationError or a truncated read), never anything else', () => {
  for (const bad of [[0x22], [0x06], [0xed, 0x09, 0x00], [0xed, 0x00, 0x09, 0x9f], [0x03, 0x01], [0xff], [0x2f, 0x00, 0x10], [0x40, 0x30, 0x1b], [0x90, 0x01], [0x9c]]) {
    assert.throws(() => ev(bad), (e: unknown) => e instanceof DwarfError, JSON.stringify(bad));
  }
  assert.throws(() => evaluateLocation(Uint8Array.from([0x91, 0x00]), { machine }), LocationError); // fbreg without a frame base
});
