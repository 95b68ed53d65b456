// The official testsuite's expectations for the SIMD instructions, checked directly against
// engine/interp/simd.ts (no decoder/interpreter involved): every simd_*.wast is converted with wabt's
// wast2json; each module function whose body is just `local.get 0 .. local.get n-1` followed by ONE
// non-memory SIMD instruction is mapped to that instruction and its immediate, and every assert_return
// that invokes such a function is evaluated with execSimd and compared with the expected values
// (nan:canonical / nan:arithmetic lanes included). Skipped when wast2json or the testsuite is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPS, OP_BY_FD, Imm, opByName } from '../../engine/core/opcodes';
import { execSimd, makeSimdViews } from '../../engine/interp/simd';

const SUITE = '/work/shared/wasm-spec-testsuite';

function hasWast2json(): boolean {
  try { execFileSync('wast2json', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

// ---- a minimal reader for the modules wast2json writes ------------------------------------------
interface SimdFunc { op: number; imm: Int32Array; params: readonly string[] }

function readModule(bytes: Uint8Array): Map<string, SimdFunc> {
  let p = 8;
  const u = (): number => {
    let r = 0, shift = 0, b: number;
    do { b = bytes[p++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return r;
  };
  const name = (): string => { const n = u(); const s = new TextDecoder().decode(bytes.subarray(p, p + n)); p += n; return s; };
  const limits = () => { const f = u(); u(); if (f & 1) u(); };
  let importedFuncs = 0;
  const exports = new Map<string, number>();
  const bodies: Array<[number, number]> = [];
  const LOCAL_GET = opByName('local.get')!.code;
  const END = opByName('end')!.code;
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u();
    const end = p + size;
    if (id === 2) {
      for (let n = u(); n > 0; n--) {
        name(); name();
        const kind = bytes[p++];
        if (kind === 0) { u(); importedFuncs++; } else if (kind === 1) { p++; limits(); } else if (kind === 2) limits();
        else p += 2;
      }
    } else if (id === 7) {
      for (let n = u(); n > 0; n--) { const nm = name(); const kind = bytes[p++]; const idx = u(); if (kind === 0) exports.set(nm, idx); }
    } else if (id === 10) {
      for (let n = u(); n > 0; n--) { const sz = u(); bodies.push([p, p + sz]); p += sz; }
    }
    p = end;
  }
  const out = new Map<string, SimdFunc>();
  for (const [nm, fi] of exports) {
    const body = bodies[fi - importedFuncs];
    if (!body) continue;
    p = body[0];
    if (u() !== 0) continue; // no locals
    let gets = 0;
    while (bytes[p] === LOCAL_GET && bytes[p + 1] === gets) { p += 2; gets++; }
    if (bytes[p++] !== 0xfd) continue;
    const op = OP_BY_FD[u()];
    if (op < 0) continue;
    const info = OPS[op];
    if (info.params === null || info.params.length !== gets) continue;
    const imm = new Int32Array(4);
    if (info.imm === Imm.Lane) imm[0] = bytes[p++];
    else if (info.imm === Imm.V128 || info.imm === Imm.Shuffle) {
      for (let i = 0; i < 16; i++) imm[i >> 2] |= bytes[p++] << (8 * (i & 3));
    } else if (info.imm !== Imm.None) continue; // memory instructions: not handled here
    if (bytes[p] !== END || p + 1 !== body[1]) continue;
    out.set(nm, { op, imm, params: info.params });
  }
  return out;
}

// ---- values ---------------------------------------------------------------------------------------
interface JsonValue { type: string; lane_type?: string; value: string | string[] }
const LANE_BYTES: Record<string, number> = { i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };

function writeValue(dv: DataView, off: number, v: JsonValue): void {
  const put = (o: number, bytes: number, s: string) => {
    const x = BigInt.asUintN(bytes * 8, BigInt(s));
    for (let i = 0; i < bytes; i++) dv.setUint8(o + i, Number((x >> BigInt(8 * i)) & 0xffn));
  };
  if (v.type === 'v128') {
    const w = LANE_BYTES[v.lane_type!];
    (v.value as string[]).forEach((s, i) => put(off + i * w, w, s));
  } else {
    put(off, v.type === 'i64' || v.type === 'f64' ? 8 : 4, v.value as string);
  }
}

/** Compare one lane/scalar of `bytes` bytes at `off` with the expected text; null when it matches. */
function checkLane(dv: DataView, off: number, bytes: number, isFloat: boolean, want: string): string | null {
  let got = 0n;
  for (let i = bytes - 1; i >= 0; i--) got = (got << 8n) | BigInt(dv.getUint8(off + i));
  if (want.startsWith('nan:')) {
    const expBits = bytes === 4 ? 0x7f800000n : 0x7ff0000000000000n;
    const quiet = bytes === 4 ? 0x00400000n : 0x0008000000000000n;
    const payload = bytes === 4 ? 0x007fffffn : 0x000fffffffffffffn;
    if (!isFloat) return 'nan pattern on an integer lane';
    if ((got & expBits) !== expBits) return `got 0x${got.toString(16)}, want ${want}`;
    if (want === 'nan:canonical' ? (got & payload) !== quiet : (got & quiet) === 0n) return `got 0x${got.toString(16)}, want ${want}`;
    return null;
  }
  const w = BigInt.asUintN(bytes * 8, BigInt(want));
  return got === w ? null : `got 0x${got.toString(16)}, want 0x${w.toString(16)}`;
}

function checkValue(dv: DataView, off: number, v: JsonValue): string | null {
  if (v.type === 'v128') {
    const w = LANE_BYTES[v.lane_type!];
    const lanes = v.value as string[];
    for (let i = 0; i < lanes.length; i++) {
      const why = checkLane(dv, off + i * w, w, v.lane_type![0] === 'f', lanes[i]);
      if (why) return `lane ${i}: ${why}`;
    }
    return null;
  }
  return checkLane(dv, off, v.type === 'i64' || v.type === 'f64' ? 8 : 4, v.type[0] === 'f', v.value as string);
}

test('official simd_*.wast assert_return expectations for single-instruction functions', (t) => {
  if (!existsSync(SUITE) || !hasWast2json()) { t.skip('wast2json or the testsuite is not available'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'simdspec-'));
  const buf = new ArrayBuffer(256);
  const views = makeSimdViews(buf);
  const dv = new DataView(buf);
  const failures: string[] = [];
  const opsSeen = new Set<number>();
  let checked = 0, files = 0;
  try {
    for (const file of readdirSync(SUITE).filter((f) => /^simd_.*\.wast$/.test(f)).sort()) {
      const base = file.replace(/\.wast$/, '');
      try {
        execFileSync('wast2json', [join(SUITE, file), '-o', join(dir, `${base}.json`)], { stdio: 'ignore' });
      } catch { continue; } // wabt cannot read this file
      files++;
      const script = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8')) as {
        commands: Array<{ type: string; line: number; filename?: string; name?: string;
          action?: { type: string; module?: string; field: string; args: JsonValue[] }; expected?: JsonValue[] }>;
      };
      let funcs = new Map<string, SimdFunc>();
      for (const cmd of script.commands) {
        if (cmd.type === 'module') {
          funcs = cmd.filename ? readModule(new Uint8Array(readFileSync(join(dir, cmd.filename)))) : new Map();
          continue;
        }
        if (cmd.type !== 'assert_return' || !cmd.action || cmd.action.type !== 'invoke' || cmd.action.module) continue;
        const f = funcs.get(cmd.action.field);
        if (!f) continue;
        new Uint8Array(buf).fill(0xcc);
        cmd.action.args.forEach((arg, i) => writeValue(dv, 16 * i, arg));
        execSimd(f.op, views, 128, 0, 16, 32, f.imm, 0);
        checked++;
        opsSeen.add(f.op);
        const why = cmd.expected!.length === 1 ? checkValue(dv, 128, cmd.expected![0]) : 'multi-value';
        if (why) failures.push(`${file}:${cmd.line} ${OPS[f.op].name} (${cmd.action.field}): ${why}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.diagnostic(`${checked} assertions from ${files} files, ${opsSeen.size} distinct instructions`);
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} of ${checked} failed`);
  assert.ok(checked > 5000, `only ${checked} assertions were checked`);
  assert.ok(opsSeen.size > 150, `only ${opsSeen.size} instructions were exercised`);
});
