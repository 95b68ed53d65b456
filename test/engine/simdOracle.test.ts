// Cross-check of engine/interp/simd.ts against V8's own WebAssembly SIMD, for every SIMD instruction
// (memory ones included). For each instruction a tiny module is built by hand: each exported function
// loads the operands from linear memory (v128.load / i32.load / ...), applies the instruction with one
// choice of immediate (lane index, shuffle pattern, constant), and stores the result back to memory.
// The same operand bytes are given to execSimd / execSimdMem and the results are compared bit for
// bit, except that NaN lanes produced by float arithmetic only have to be NaN on both sides (payloads
// may legitimately differ) and ours must be quiet (an arithmetic NaN).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPS, Imm, opByName, type OpInfo } from '../../engine/core/opcodes';
import { execSimd, execSimdMem, makeSimdViews } from '../../engine/interp/simd';

// ---- deterministic randomness -------------------------------------------------------------------
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

const I8 = [0, 1, -1, 2, -2, 64, 127, -128, -127, 0x55];
const I16 = [0, 1, -1, 255, 256, -256, 16384, 32767, -32768, -32767, 0x7f, -0x80];
const I32 = [0, 1, -1, 0x7fffffff, -0x80000000, 65535, 65536, -65536, 32767, -32768, 0x7fff8000];
const I64: Array<[number, number]> = [[0, 0], [-1, -1], [0, -0x80000000], [-1, 0x7fffffff], [1, 0], [-1, 0], [0, 1],
  [0x7fffffff, 0], [-0x80000000, -1]];
const F32 = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000,
  0x40600000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0xffb00001, 0x7f7fffff,
  0xff7fffff, 1, 0x80000001, 0x00800000, 0x4f000000, 0xcf000000, 0x4f800000, 0x4f7fffff, 0x4effffff, 0xceffffff,
  0x4b000000, 0x4b000001, 0xcb000001, 0x3effffff, 0x3f7fffff, 0x4b7fffff];
const F64 = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, -3.5, Infinity, -Infinity, NaN, 2 ** 52, 2 ** 52 + 1,
  -(2 ** 52) - 1, 2 ** 53 - 1, 0.49999999999999994, 2147483647, 2147483647.5, 2147483648, -2147483648,
  -2147483648.5, -2147483649, 4294967295, 4294967295.5, 4294967296, -0.9, 1e300, -1e-300, 5e-324,
  3.4028234663852886e38, 3.4028235677973366e38, 1.401298464324817e-45, 7e-46, 1.1754942106924411e-38];

/** Fill 16 bytes at `off` of `dv` with lanes of a random shape, mixing random bits and edge values. */
function fillVector(dv: DataView, off: number, next: () => number): void {
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length];
  const shape = next() % 7;
  for (let i = 0; i < 4; i++) dv.setUint32(off + 4 * i, next(), true);
  const edge = () => next() % 3 !== 0;
  switch (shape) {
    case 0: for (let i = 0; i < 16; i++) if (edge()) dv.setInt8(off + i, pick(I8)); break;
    case 1: for (let i = 0; i < 8; i++) if (edge()) dv.setInt16(off + 2 * i, pick(I16), true); break;
    case 2: for (let i = 0; i < 4; i++) if (edge()) dv.setInt32(off + 4 * i, pick(I32), true); break;
    case 3:
      for (let i = 0; i < 2; i++) if (edge()) {
        const [lo, hi] = pick(I64);
        dv.setInt32(off + 8 * i, lo, true); dv.setInt32(off + 8 * i + 4, hi, true);
      }
      break;
    case 4: for (let i = 0; i < 4; i++) if (edge()) dv.setUint32(off + 4 * i, pick(F32), true); break;
    case 5:
      for (let i = 0; i < 2; i++) if (edge()) {
        let v = pick(F64);
        if (next() & 1) v = -v;
        dv.setFloat64(off + 8 * i, v, true);
        if (v !== v && (next() & 1)) { // NaN with a random payload, quiet or signalling
          dv.setUint32(off + 8 * i, next() | 1, true);
          dv.setUint32(off + 8 * i + 4, (next() & 0x800fffff) | 0x7ff00000, true);
        }
      }
      break;
    default: break; // all random bits
  }
}

// ---- module building ----------------------------------------------------------------------------
function uleb(out: number[], v: number): void {
  v >>>= 0;
  do { let b = v & 0x7f; v >>>= 7; if (v !== 0) b |= 0x80; out.push(b); } while (v !== 0);
}
function sleb(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f; v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}
function opcode(out: number[], info: OpInfo): void {
  if (info.prefix !== 0) { out.push(info.prefix); uleb(out, info.code); } else out.push(info.code);
}
function named(name: string): OpInfo {
  const info = opByName(name);
  if (!info) throw new Error(`no opcode ${name}`);
  return info;
}
function emit(out: number[], name: string, ...immLeb: number[]): void {
  opcode(out, named(name));
  for (const v of immLeb) uleb(out, v);
}
function section(out: number[], id: number, body: number[]): void {
  out.push(id); uleb(out, body.length); out.push(...body);
}
function buildModule(bodies: number[][]): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(out, 1, [1, 0x60, 0, 0]);                       // type 0: [] -> []
  const funcs: number[] = []; uleb(funcs, bodies.length); for (let i = 0; i < bodies.length; i++) funcs.push(0);
  section(out, 3, funcs);
  section(out, 5, [1, 0, 1]);                             // memory 0: min 1 page
  const exps: number[] = []; uleb(exps, bodies.length + 1);
  exps.push(3, 0x6d, 0x65, 0x6d, 0x02, 0);                // "mem" -> memory 0
  bodies.forEach((_, i) => {
    const name = [...`f${i}`].map((ch) => ch.charCodeAt(0));
    exps.push(name.length, ...name, 0x00); uleb(exps, i);
  });
  section(out, 7, exps);
  const code: number[] = []; uleb(code, bodies.length);
  for (const b of bodies) { const body = [0, ...b, 0x0b]; uleb(code, body.length); code.push(...body); }
  section(out, 10, code);
  return new Uint8Array(out);
}

const LOAD: Record<string, [string, number]> = {
  i32: ['i32.load', 2], i64: ['i64.load', 3], f32: ['f32.load', 2], f64: ['f64.load', 3], v128: ['v128.load', 4],
};
const STORE: Record<string, [string, number]> = {
  i32: ['i32.store', 2], i64: ['i64.store', 3], f32: ['f32.store', 2], f64: ['f64.store', 3], v128: ['v128.store', 4],
};
const WIDTH: Record<string, number> = { i32: 4, i64: 8, f32: 4, f64: 8, v128: 16 };
const RES = 128;     // where the module stores a result
const LANE_MEM = 64; // effective address used by SIMD memory instructions (+ the memarg offset)

function laneCount(info: OpInfo): number {
  if (info.imm === Imm.MemArgLane) return 16 / info.width;
  const shape = info.name.slice(0, 5);
  return shape === 'i8x16' ? 16 : shape === 'i16x8' ? 8 : shape === 'i32x4' || shape === 'f32x4' ? 4 : 2;
}

/** One exported function: its body and the immediates to hand to our implementation. */
interface Variant { body: number[]; imm: Int32Array; lane: number; offset: number }

function variants(info: OpInfo, next: () => number): Variant[] {
  const vs: Variant[] = [];
  const params = info.params!, results = info.results!;
  const make = (lane: number, imm: Int32Array, offset: number) => {
    const b: number[] = [];
    if (results.length) { emit(b, 'i32.const'); sleb(b, RES); }
    params.forEach((p, j) => {
      if (j === 0 && (info.imm === Imm.MemArg || info.imm === Imm.MemArgLane)) {
        emit(b, 'i32.const'); sleb(b, LANE_MEM); // the address operand
        return;
      }
      emit(b, 'i32.const'); sleb(b, 0);
      emit(b, LOAD[p][0], LOAD[p][1], 16 * j);
    });
    opcode(b, info);
    switch (info.imm) {
      case Imm.None: break;
      case Imm.Lane: b.push(lane); break;
      case Imm.V128: case Imm.Shuffle:
        for (let i = 0; i < 16; i++) b.push((imm[i >> 2] >>> (8 * (i & 3))) & 0xff);
        break;
      case Imm.MemArg: uleb(b, info.align); uleb(b, offset); break;
      case Imm.MemArgLane: uleb(b, info.align); uleb(b, offset); b.push(lane); break;
      default: throw new Error(`unexpected immediate kind for ${info.name}`);
    }
    if (results.length) emit(b, STORE[results[0]][0], STORE[results[0]][1], 0);
    vs.push({ body: b, imm, lane, offset });
  };
  if (info.imm === Imm.Lane || info.imm === Imm.MemArgLane) {
    for (let l = 0; l < laneCount(info); l++) make(l, Int32Array.of(l, 0, 0, 0), info.imm === Imm.MemArgLane ? l * 3 : 0);
  } else if (info.imm === Imm.Shuffle || info.imm === Imm.V128) {
    for (let n = 0; n < 12; n++) {
      const imm = new Int32Array(4);
      for (let i = 0; i < 16; i++) {
        const byte = info.imm === Imm.Shuffle ? next() % 32 : next() & 0xff;
        imm[i >> 2] |= byte << (8 * (i & 3));
      }
      make(0, imm, 0);
    }
  } else if (info.imm === Imm.MemArg) {
    for (const off of [0, 1, 7]) make(0, new Int32Array(4), off);
  } else {
    make(0, new Int32Array(4), 0);
  }
  return vs;
}

/** Float arithmetic whose NaN results may carry any payload. */
function nanLanes(info: OpInfo): 0 | 4 | 8 {
  const m = /^(f32x4|f64x2)\.(add|sub|mul|div|min|max|sqrt|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4|convert_\w+)$/.exec(info.name);
  if (!m) return 0;
  return m[1] === 'f32x4' ? 4 : 8;
}

function sameBits(info: OpInfo, ours: Uint8Array, theirs: Uint8Array): string | null {
  const lanes = nanLanes(info);
  if (lanes === 0) {
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) return 'bits differ';
    return null;
  }
  const o = new DataView(ours.buffer, ours.byteOffset, ours.length);
  const t = new DataView(theirs.buffer, theirs.byteOffset, theirs.length);
  for (let i = 0; i < 16; i += lanes) {
    const on = lanes === 4 ? o.getFloat32(i, true) : o.getFloat64(i, true);
    const tn = lanes === 4 ? t.getFloat32(i, true) : t.getFloat64(i, true);
    if (on !== on && tn !== tn) {
      const quiet = lanes === 4 ? (o.getUint32(i, true) & 0x00400000) !== 0 : (o.getUint32(i + 4, true) & 0x00080000) !== 0;
      if (!quiet) return `lane at byte ${i}: our NaN is not quiet`;
      continue;
    }
    for (let j = i; j < i + lanes; j++) if (ours[j] !== theirs[j]) return `lane at byte ${i} differs`;
  }
  return null;
}

// Node's WebAssembly global (typed locally: the project's lib settings do not declare it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const hex = (u: Uint8Array) => [...u].map((x) => x.toString(16).padStart(2, '0')).join('');

const SIMD = OPS.filter((o) => o.prefix === 0xfd);
const ROUNDS = 300;

test('V8 oracle: every SIMD instruction agrees with V8 on random and edge-case operands', () => {
  let checks = 0;
  const failures: string[] = [];
  const stackBuf = new ArrayBuffer(256);
  const views = makeSimdViews(stackBuf);
  const stack = new Uint8Array(stackBuf);
  for (const info of SIMD) {
    const next = rng(0x5eed + info.id * 7919);
    const vs = variants(info, next);
    const inst = new WA.Instance(new WA.Module(buildModule(vs.map((v) => v.body))), {});
    const mem = new Uint8Array((inst.exports.mem as { buffer: ArrayBuffer }).buffer);
    const memDv = new DataView(mem.buffer);
    const isMem = info.imm === Imm.MemArg || info.imm === Imm.MemArgLane;
    const resW = info.results!.length ? WIDTH[info.results![0]] : 0;
    let opFailures = 0;
    for (let vi = 0; vi < vs.length && opFailures < 3; vi++) {
      const v = vs[vi];
      const f = inst.exports[`f${vi}`] as () => void;
      for (let r = 0; r < ROUNDS && opFailures < 3; r++) {
        mem.fill(0, 0, 512);
        fillVector(memDv, 0, next); fillVector(memDv, 16, next); fillVector(memDv, 32, next);
        fillVector(memDv, LANE_MEM, next); fillVector(memDv, LANE_MEM + 16, next);
        if (info.params!.length > 1 && info.params![1] === 'i32' && !isMem && (next() & 1)) {
          memDv.setInt32(16, next() % 3 === 0 ? next() : (next() % 140) - 4, true); // shift counts
        }
        const input = mem.slice(0, 512);
        f();
        // Ours, twice: into a separate destination, and in place (dst === first operand).
        for (const inPlace of [false, true]) {
          const myMem = input.slice();
          const myDv = new DataView(myMem.buffer);
          stack.fill(0xcc);
          stack.set(input.subarray(0, 48), 0);
          const dst = inPlace ? 0 : 64;
          if (isMem) {
            const addr = LANE_MEM + v.offset;
            const vecAt = 0; // the v128 operand of store/load_lane: params[1] was loaded from offset 16
            stack.set(input.subarray(16, 32), vecAt);
            execSimdMem(info.id, views, dst, vecAt, myMem, myDv, addr, v.lane);
          } else {
            execSimd(info.id, views, dst, 0, 16, 32, v.imm, 0);
          }
          checks++;
          let why: string | null;
          let ours: Uint8Array, theirs: Uint8Array;
          if (resW) {
            ours = stack.slice(dst, dst + resW); theirs = mem.slice(RES, RES + resW);
            why = sameBits(info, ours, theirs);
          } else {
            ours = myMem.slice(0, 512); theirs = mem.slice(0, 512);
            why = sameBits(info, ours, theirs);
          }
          if (why) {
            opFailures++;
            failures.push(`${info.name} (variant ${vi}, lane ${v.lane}, inPlace ${inPlace}): ${why}\n` +
              `  a=${hex(input.subarray(0, 16))} b=${hex(input.subarray(16, 32))} c=${hex(input.subarray(32, 48))}` +
              `\n  ours=${hex(resW ? ours : ours.subarray(LANE_MEM, LANE_MEM + 32))}` +
              `\n  v8  =${hex(resW ? theirs : theirs.subarray(LANE_MEM, LANE_MEM + 32))}`);
            break;
          }
        }
      }
    }
  }
  assert.equal(failures.length, 0, `${failures.length} disagreements (of ${checks} checks):\n${failures.slice(0, 40).join('\n')}`);
  assert.ok(checks > 100000, `only ${checks} checks ran`);
});
