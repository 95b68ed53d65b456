// Robustness: randomly mutated binaries must decode+validate or be refused with DecodeError /
// ValidationError — never another exception, never an internal error wrapped by the decoder's last-
// resort handler, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../engine/binary/decoder';
import { DecodeError, ValidationError } from '../../engine/core/errors';
import { validateModule } from '../../engine/validate/validator';
import {
  body, code, custom, EXTERNREF, F32, F64, FUNCREF, functype, I32, I64, S, s32, section, str, u32, vec, wasm,
} from '../support/wasmBytes';

/** xorshift32, seeded. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

const i32c = (n: number): number[] => code('i32.const', s32(n));

function seeds(): Uint8Array[] {
  const full = wasm(
    section(S.type, vec([functype([I32, I64], [I32]), functype([], []), functype([F32], [F64, I32])])),
    section(S.import, vec([
      [...str('env'), ...str('f'), 0x00, ...u32(1)],
      [...str('env'), ...str('g'), 0x03, I32, 0x00],
    ])),
    section(S.func, vec([u32(0), u32(1), u32(2), u32(1)])),
    section(S.table, vec([[FUNCREF, 0x01, 2, 10], [EXTERNREF, 0x00, 1]])),
    section(S.memory, vec([[0x01, 1, 2]])),
    section(S.global, vec([[I32, 0x01, ...code('global.get', [0], ...i32c(3), 'i32.add', 'end')]])),
    section(S.export, vec([[...str('a'), 0x00, 1], [...str('m'), 0x02, 0]])),
    section(S.start, u32(2)),
    section(S.elem, vec([
      [0x00, ...i32c(0), ...code('end'), ...vec([u32(1), u32(2)])],
      [0x05, FUNCREF, ...vec([code('ref.func', [3], 'end'), code('ref.null', [FUNCREF], 'end')])],
    ])),
    section(S.datacount, u32(2)),
    section(S.code, vec([
      body([[2, I32]], code('local.get', [0], 'local.get', [1], 'i32.wrap_i64', 'i32.add', 'local.tee', [2],
        'block', [I32], ...i32c(1), 'local.get', [2], 'br_if', [0], 'drop', ...i32c(5), 'end', 'i32.mul',
        'i32.const', [8], 'i32.load', [2, 4], 'i32.add', 'end')),
      body([], code('loop', [0x40], ...i32c(0), 'if', [0x40], 'br', [1], 'else', 'call', [0], 'end', 'end',
        ...i32c(0), ...i32c(0), ...i32c(1), 'memory.init', [1, 0], 'data.drop', [0], 'ref.func', [2], 'drop', 'end')),
      body([[1, F64]], code('local.get', [1], ...i32c(0), 'local.get', [0], 'f32.store', [2, 0],
        'v128.const', new Array(16).fill(7), 'i32x4.extract_lane', [3], 'i32.const', [1],
        'br_table', [2, 0, 0, 0], 'end')),
      body([], code(...i32c(0), 'table.get', [1], 'ref.is_null', 'drop', ...i32c(0), 'call_indirect', [1, 0], 'return_call', [0], 'end')),
    ])),
    section(S.data, vec([[0x00, ...i32c(16), ...code('end'), ...vec([[1], [2], [3]])], [0x01, ...vec([[9]])]])),
    custom('name', [...section(1, vec([[...u32(1), ...str('f1')]])), ...section(2, vec([[...u32(1), ...vec([[...u32(0), ...str('x')]])]]))]),
  );
  const small = wasm(
    section(S.type, vec([functype([], [I32])])),
    section(S.func, vec([u32(0)])),
    section(S.code, vec([body([], code(...i32c(1), ...i32c(2), 'i32.add', 'end'))])),
  );
  return [full, small];
}

test('the seed modules are valid', () => {
  for (const s of seeds()) validateModule(decodeModule(s));
});

test('mutated binaries: only DecodeError / ValidationError, no hang', () => {
  const rnd = prng(0xC0FFEE);
  const inputs = seeds();
  let decoded = 0, validated = 0, malformed = 0, invalid = 0;
  let slowest = 0;
  for (let iter = 0; iter < 4000; iter++) {
    const base = inputs[iter % inputs.length];
    let bytes = Array.from(base);
    const edits = 1 + (rnd() % 3);
    for (let k = 0; k < edits; k++) {
      const pos = 8 + (rnd() % Math.max(1, bytes.length - 8));
      switch (rnd() % 5) {
        case 0: case 1: bytes[pos] = rnd() & 0xff; break;
        case 2: bytes[pos] ^= 1 << (rnd() % 8); break;
        case 3: bytes.splice(pos, 1 + (rnd() % 4)); break;
        case 4: bytes.splice(pos, 0, rnd() & 0xff); break;
      }
      if (rnd() % 50 === 0) bytes = bytes.slice(0, pos);
    }
    const input = Uint8Array.from(bytes);
    const t0 = performance.now();
    try {
      const m = decodeModule(input);
      decoded++;
      validateModule(m);
      validated++;
    } catch (e) {
      if (e instanceof DecodeError) {
        assert.ok(!e.message.startsWith('malformed module ('), `internal error leaked at iteration ${iter}: ${e.message}`);
        assert.ok(e.offset >= 0 && e.offset <= input.length, `offset ${e.offset} out of range`);
        malformed++;
      } else if (e instanceof ValidationError) {
        assert.ok(!e.message.startsWith('unsupported instruction'), e.message);
        invalid++;
      } else {
        assert.fail(`iteration ${iter}: unexpected ${String(e)}\n${(e as Error).stack}\ninput: ${Buffer.from(input).toString('hex')}`);
      }
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  assert.ok(slowest < 1000, `a mutated module took ${slowest.toFixed(0)} ms`);
  // the mutations reach all outcomes
  assert.ok(malformed > 0 && invalid > 0 && validated > 0, `malformed ${malformed} invalid ${invalid} valid ${validated} (decoded ${decoded})`);
});
