// NaN policy: moves keep NaN bits exactly; NaNs made up by arithmetic are the host's (what the CPU's
// default NaN and payload propagation give, as in V8's own wasm code). On one host the engine agrees with
// V8 bit for bit, which the differential fuzz test relies on (it found the SIMD min/max case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleWat } from '../../engine/wat/assembler';
import { decodeModule } from '../../engine/binary/decoder';
import { Store } from '../../engine/runtime/store';

const WAT = `(module (memory (export "m") 1)
  (func (export "t")
    ;; SIMD min/max with NaN lanes (negative NaNs with payloads in, two NaNs in one lane)
    (v128.store (i32.const 0) (f64x2.max (v128.const i32x4 0xffffff95 0x00010000 0x0fffffff 0xffff8001)
                                         (v128.const i32x4 0x0000ffc0 0x00010e5c 0x00010000 0xffff7d23)))
    (v128.store (i32.const 16) (f32x4.min (v128.const i32x4 0xffc00001 0x7f800001 0x7fc00000 0)
                                          (v128.const i32x4 0 0 0xff800002 0xffc00003)))
    (v128.store (i32.const 32) (f32x4.div (v128.const f32x4 0 1 -1 0) (v128.const f32x4 0 0 0 -0)))
    ;; scalar: NaN operands propagate, invalid operations give the default NaN
    (f64.store (i32.const 48) (f64.max (f64.const -nan:0x8000100000001) (f64.const 1)))
    (f64.store (i32.const 56) (f64.add (f64.const -nan:0x8000100000001) (f64.const 1)))
    (f32.store (i32.const 64) (f32.div (f32.const 0) (f32.const 0)))
    (f64.store (i32.const 72) (f64.sqrt (f64.const -1)))
    (f32.store (i32.const 80) (f32.min (f32.const nan:0x200000) (f32.const -0)))
    ;; moves and sign operations keep the payload, even of a signalling NaN
    (f32.store (i32.const 84) (f32.neg (f32.const nan:0x1)))
    (f64.store (i32.const 88) (f64.abs (f64.const -nan:0x1)))
    (f64.store (i32.const 96) (select (f64.const nan:0x2) (f64.const 0) (i32.const 1)))
    ;; SIMD max: a NaN lane is canonical with the OR of the operand signs on x86 (fuzz seed 20796)
    (v128.store (i32.const 104) (f64x2.max (v128.const f64x2 1 -nan:0x1234) (v128.const f64x2 nan:0x5 1)))
    (v128.store (i32.const 120) (f32x4.max (v128.const f32x4 1 -nan:0x1234 -1 nan:0x7) (v128.const f32x4 nan:0x5 1 nan:0x9 2)))
    ;; SIMD rounding quiets the input NaN (sign and payload kept), promote/demote convert it
    (v128.store (i32.const 136) (f64x2.floor (v128.const f64x2 nan:0x1 -nan:0x8000000000005)))
    (v128.store (i32.const 152) (f32x4.nearest (v128.const f32x4 nan:0x1 -nan:0x1 nan:0x400123 -nan:0x400005)))
    (v128.store (i32.const 168) (f64x2.promote_low_f32x4 (v128.const f32x4 nan:0x1 -nan:0x400123 0 0)))
    (v128.store (i32.const 184) (f32x4.demote_f64x2_zero (v128.const f64x2 nan:0x8000000001234 -nan:0x1)))
    ;; SIMD arithmetic with two NaN operands: the first one's, quieted
    (v128.store (i32.const 200) (f64x2.add (v128.const f64x2 nan:0x1 -nan:0x8000000000007) (v128.const f64x2 -nan:0x2 nan:0x3)))
    (v128.store (i32.const 216) (f32x4.mul (v128.const f32x4 nan:0x1 1 nan:0x1 -nan:0x400007) (v128.const f32x4 -1 -nan:0x3 -nan:0x2 nan:0x3)))
    ;; scalar: the same rules (rounding quiets the input NaN; two NaN operands give the first)
    (f64.store (i32.const 232) (f64.ceil (f64.const -nan:0x2)))
    (f64.store (i32.const 240) (f64.nearest (f64.const nan:0x800000000000f)))
    (f32.store (i32.const 248) (f32.nearest (f32.const nan:0x1)))
    (f32.store (i32.const 252) (f32.floor (f32.const -nan:0x400005)))
    (f64.store (i32.const 256) (f64.add (f64.const nan:0x1) (f64.const -nan:0x2)))
    (f64.store (i32.const 264) (f64.mul (f64.const -nan:0x2) (f64.const nan:0x1)))
    (f32.store (i32.const 272) (f32.add (f32.const nan:0x1) (f32.const -nan:0x2)))
    (f32.store (i32.const 276) (f32.mul (f32.const -nan:0x2) (f32.const nan:0x1)))))`;

test('arithmetic NaNs match V8 bit for bit; moves keep NaN payloads', () => {
  const { binary } = assembleWat(WAT);
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(binary)) as unknown as { exports: { t(): void; m: WebAssembly.Memory } };
  v8.exports.t();
  const expected = new Uint8Array(v8.exports.m.buffer, 0, 280);

  const store = new Store();
  const inst = store.instantiate(decodeModule(binary), () => undefined);
  const t = inst.exports.get('t');
  const m = inst.exports.get('m');
  assert.ok(t?.kind === 'func' && m?.kind === 'memory');
  store.invoke(t.func, []);
  const got = m.memory.u8.subarray(0, 280);
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').match(/.{16}/g)!.join(' ');
  assert.equal(hex(got), hex(expected));
  // Moves are exact by definition, independent of the host:
  const dv = new DataView(got.buffer, got.byteOffset);
  assert.equal(dv.getUint32(84, true), 0xff800001);
  assert.equal(dv.getBigUint64(88, true), 0x7ff0000000000001n);
  assert.equal(dv.getBigUint64(96, true), 0x7ff0000000000002n);
});
