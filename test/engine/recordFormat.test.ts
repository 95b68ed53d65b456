// The .rewind container: SHA-256 / CRC-32, round trip, compatibility rules, and a fuzz test over
// thousands of mutated and truncated files (every outcome is a decoded recording equal to the
// original or a RecordingFormatError; never another exception).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256, crc32, toHex } from '../../engine/record/hash';
import {
  encodeRecording, decodeRecording, saveRecording, makeHeader, RecordingFormatError, READER_VERSION, MAGIC,
  type Recording, type RecordingFiles, type IntervalRecord,
} from '../../engine/record/format';
import type { Snapshot } from '../../engine/record/snapshot';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

function snap(time: number, r: () => number): Snapshot {
  return {
    time, state: 'paused', cur: 3, pc: r() % 100, fp2: 8, fsp: 3, fbase: 0, entry: 2, entryW: 0, skipBreak: -1,
    frames: Int32Array.from([2, 17, 0]), stack: Int32Array.from({ length: 20 }, () => r() | 0),
    globals: Int32Array.from([1, 0, 0, 0, r() | 0, 0, 0, 0]), tables: [{ size: 2, elems: Int32Array.from([0, 4]) }],
    memPages: [2], dropped: [Uint8Array.from([0, 1])],
  };
}

function sample(seed = 1, intervals = 3): Recording {
  const r = lcg(seed);
  const module = Uint8Array.from({ length: 64 }, () => r() & 255);
  const ivs: IntervalRecord[] = [];
  let t = 0;
  for (let i = 0; i < intervals; i++) {
    const end = t + 1000 + (r() % 1000);
    ivs.push({
      index: i, start: snap(t, r), startHash: `h${i}`, endTime: end, endHash: `e${i}`,
      loads: Int32Array.from([5, 2, r() | 0, r() | 0, 100, 1, -1]),
      host: [{ time: t + 5, func: 1, results: Int32Array.from([0, 0]), writes: [{ mem: 0, addr: 64, bytes: Uint8Array.from([1, 2, 3]) }], trap: null },
        { time: t + 9, func: 0, results: new Int32Array(0), writes: [], trap: i === intervals - 1 ? { code: 12, message: 'exit 3', exitCode: 3 } : null }],
    });
    t = end;
  }
  return {
    header: makeHeader(module, 1000, ['prog', 'arg']), module, modulePath: null, intervals: ivs,
    trap: { code: 12, message: 'exit 3', funcIndex: 4, offset: 123, time: t, exitCode: 3 },
    stdoutTail: new TextEncoder().encode('hello\n'), stderrTail: new Uint8Array(0),
    summary: { status: 'exit', endTime: t, exitCode: 3, totalIntervals: intervals },
    layout: { hostFuncs: [{ name: 'h.a', params: [0x7f], results: [0x7f] }, { name: 'h.b', params: [], results: [] }], imports: [1, 0] },
  };
}

test('SHA-256 matches node:crypto; CRC-32 check value', () => {
  const r = lcg(7);
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65537]) {
    const b = Uint8Array.from({ length: n }, () => r() & 255);
    assert.equal(toHex(sha256(b)), createHash('sha256').update(b).digest('hex'), `length ${n}`);
  }
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('round trip: encode, decode, encode gives the same bytes', () => {
  for (let seed = 1; seed < 10; seed++) {
    const rec = sample(seed, seed % 4);
    const a = encodeRecording(rec);
    const d = decodeRecording(a);
    assert.deepEqual(encodeRecording(d), a);
    assert.equal(d.intervals.length, rec.intervals.length);
    assert.deepEqual(d.trap, rec.trap);
    assert.deepEqual(d.summary, rec.summary);
    assert.deepEqual(d.layout, rec.layout);
    assert.deepEqual(d.header.args, ['prog', 'arg']);
    if (rec.intervals.length) {
      assert.deepEqual(d.intervals[0].start.stack, rec.intervals[0].start.stack);
      assert.deepEqual(d.intervals[0].host, rec.intervals[0].host);
      assert.deepEqual(d.intervals[0].loads, rec.intervals[0].loads);
    }
  }
});

function expectFormatError(f: () => unknown, pattern?: RegExp): RecordingFormatError {
  try { f(); } catch (e) {
    assert.ok(e instanceof RecordingFormatError, `expected RecordingFormatError, got ${(e as Error)?.stack ?? e}`);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.fail('expected a RecordingFormatError');
}

test('refuses bad magic, future versions, wrong module, missing END_', () => {
  const good = encodeRecording(sample());
  const bad = good.slice(); bad[1] ^= 1;
  assert.equal(expectFormatError(() => decodeRecording(bad), /bad magic/).offset, 1);
  const fut = good.slice(); new DataView(fut.buffer).setUint16(MAGIC.length + 2, READER_VERSION + 1, true);
  new DataView(fut.buffer).setUint16(MAGIC.length, READER_VERSION + 1, true);
  assert.equal(expectFormatError(() => decodeRecording(fut), /needs a reader of format version 2/).offset, MAGIC.length + 2);
  // a newer writer that older readers can still read: accepted
  const newer = good.slice(); new DataView(newer.buffer).setUint16(MAGIC.length, 7, true);
  assert.equal(decodeRecording(newer).header.formatVersion, 7);
  expectFormatError(() => decodeRecording(good, { moduleBytes: new Uint8Array(10) }), /does not match/);
  expectFormatError(() => decodeRecording(good.subarray(0, good.length - 12)), /missing END_/);
  expectFormatError(() => decodeRecording(new Uint8Array(0)), /too short/);
});

test('module by path: bytes required and checked', () => {
  const rec = { ...sample(), modulePath: 'prog.wasm' };
  const f = encodeRecording(rec, { embedModule: false });
  expectFormatError(() => decodeRecording(f), /its bytes are needed/);
  expectFormatError(() => decodeRecording(f, { moduleBytes: Uint8Array.from([0, 97, 115, 109]) }), /does not match/);
  assert.equal(decodeRecording(f, { moduleBytes: rec.module }).modulePath, 'prog.wasm');
});

test('unknown chunks and unknown fields are skipped (forward compatibility)', () => {
  const good = encodeRecording(sample());
  // insert a chunk 'xtra' before the END_ chunk (last 12 bytes)
  const payload = Uint8Array.from([1, 2, 3]);
  const chunk = new Uint8Array(12 + payload.length);
  const dv = new DataView(chunk.buffer);
  chunk.set([120, 116, 114, 97]); dv.setUint32(4, payload.length, true); chunk.set(payload, 8);
  dv.setUint32(8 + payload.length, crc32(chunk, 0, 8 + payload.length), true);
  const out = new Uint8Array(good.length + chunk.length);
  out.set(good.subarray(0, good.length - 12)); out.set(chunk, good.length - 12); out.set(good.subarray(good.length - 12), good.length - 12 + chunk.length);
  assert.equal(decodeRecording(out).intervals.length, 3);
});

test('fuzz: mutated and truncated files never crash and never decode wrongly', () => {
  const r = lcg(99);
  const rec = sample(3, 2);
  const good = encodeRecording(rec);
  const canonical = (x: Recording): Uint8Array => encodeRecording({ ...x, header: { ...x.header, formatVersion: 1 } });
  const ref = canonical(decodeRecording(good));
  let errors = 0, same = 0;
  const check = (bytes: Uint8Array): void => {
    let d: Recording;
    try { d = decodeRecording(bytes); } catch (e) {
      assert.ok(e instanceof RecordingFormatError, `unexpected ${(e as Error)?.stack ?? e}`);
      assert.ok(e.offset >= -1 && e.offset <= bytes.length, `offset ${e.offset} of ${bytes.length}`);
      errors++;
      return;
    }
    assert.deepEqual(canonical(d), ref, 'a mutated file decoded to a different recording');
    same++;
  };
  for (let n = 0; n < good.length; n += Math.max(1, good.length >> 9)) check(good.subarray(0, n));
  for (let i = 0; i < 4000; i++) {
    const b = good.slice();
    const kind = r() % 4;
    if (kind === 0) b[r() % b.length] ^= 1 << (r() % 8);
    else if (kind === 1) b[r() % b.length] = r() & 255;
    else if (kind === 2) { const p = r() % (b.length - 4); new DataView(b.buffer).setUint32(p, r(), true); }
    else { for (let k = 0; k < 1 + (r() % 8); k++) b[r() % b.length] = r() & 255; }
    check(b);
  }
  assert.ok(errors > 3000, `errors ${errors}, same ${same}`);
});

test('saveRecording writes a temporary file and renames it; failure leaves nothing', () => {
  const files = new Map<string, Uint8Array>();
  const ops: string[] = [];
  let failRename = false;
  const fs: RecordingFiles = {
    readFile: (p) => { const b = files.get(p); if (!b) throw new Error('ENOENT'); return b; },
    writeFile: (p, d) => { ops.push(`write ${p}`); files.set(p, d.slice()); },
    rename: (a, b) => { ops.push(`rename ${a} ${b}`); if (failRename) throw new Error('EXDEV'); files.set(b, files.get(a)!); files.delete(a); },
    remove: (p) => { ops.push(`remove ${p}`); files.delete(p); },
  };
  const rec = sample();
  saveRecording(fs, 'out.rewind', rec);
  assert.deepEqual([...files.keys()], ['out.rewind']);
  assert.match(ops[0], /^write out\.rewind\.tmp-/);
  assert.match(ops[1], /^rename out\.rewind\.tmp-\S+ out\.rewind$/);
  assert.equal(decodeRecording(files.get('out.rewind')!).intervals.length, 3);
  failRename = true;
  assert.throws(() => saveRecording(fs, 'b.rewind', rec), /EXDEV/);
  assert.deepEqual([...files.keys()], ['out.rewind']);
});
