// The read-only .rewind summary view (extension/recordingSummary.ts): fields shown for a recording,
// path recordings (module read through the callback), unreadable files, HTML escaping and CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeRecording, renderSummaryHtml, escapeHtml } from '../../extension/recordingSummary';
import { encodeRecording, makeHeader, type Recording } from '../../engine/record/format';
import type { Snapshot } from '../../engine/record/snapshot';

function snap(time: number): Snapshot {
  return {
    time, state: 'paused', cur: 0, pc: 0, fp2: 0, fsp: 0, fbase: 0, entry: 0, entryW: 0, skipBreak: -1,
    frames: new Int32Array(0), stack: new Int32Array(0), globals: new Int32Array(0), tables: [], memPages: [1], dropped: [],
  };
}
function recording(): Recording {
  const module = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  return {
    header: makeHeader(module, 5000, ['prog', 'a b']), module, modulePath: null,
    intervals: [
      { index: 3, start: snap(15000), startHash: 'a', endTime: 20000, endHash: 'b', loads: new Int32Array(0), host: [{ time: 15010, func: 0, results: new Int32Array(0), writes: [], trap: null }] },
      { index: 4, start: snap(20000), startHash: 'b', endTime: 21234, endHash: 'c', loads: new Int32Array(0), host: [] },
    ],
    trap: { code: 2, message: 'out of bounds memory access', funcIndex: 3, offset: 0x2a, time: 21234, exitCode: null },
    stdoutTail: new TextEncoder().encode('hello <world>\n'), stderrTail: new Uint8Array(0),
    summary: { status: 'trapped', endTime: 21234, exitCode: null, totalIntervals: 5 },
    layout: { hostFuncs: [{ name: 'wasi_snapshot_preview1.fd_write', params: [], results: [] }], imports: [0] },
  };
}

test('summary of an embedded-module recording', () => {
  const r = summarizeRecording(encodeRecording(recording()));
  assert.ok(r.ok, JSON.stringify(r));
  const rows = new Map(r.rows);
  assert.equal(rows.get('Module'), 'embedded, 8 bytes');
  assert.equal(rows.get('Outcome'), 'trapped');
  assert.equal(rows.get('Instructions executed'), '21,234');
  assert.equal(rows.get('Intervals'), '2 kept of 5 recorded');
  assert.equal(rows.get('Time range kept'), '15,000 … 21,234 (wasm-instructions-retired)');
  assert.equal(rows.get('Checkpoint interval'), '5,000 instructions');
  assert.equal(rows.get('Host calls recorded'), '1');
  assert.equal(rows.get('Trap'), 'out of bounds memory access in function 3 at byte 0x2a, at time 21,234');
  assert.equal(rows.get('Arguments'), '"prog" "a b"');
  assert.equal(rows.get('Host functions'), 'wasi_snapshot_preview1.fd_write');
  assert.match(rows.get('Module SHA-256')!, /^[0-9a-f]{64}$/);
  assert.equal(r.stdout, 'hello <world>\n');
});

test('path recording: the module is read through the callback, and must match', () => {
  const rec = recording();
  rec.modulePath = 'prog.wasm';
  const bytes = encodeRecording(rec, { embedModule: false });
  const missing = summarizeRecording(bytes);
  assert.equal(missing.ok, false);
  const asked: string[] = [];
  const r = summarizeRecording(bytes, p => { asked.push(p); return rec.module; });
  assert.deepEqual(asked, ['prog.wasm']);
  assert.ok(r.ok);
  assert.equal(new Map(r.rows).get('Module'), 'prog.wasm (not embedded)');
  const wrong = summarizeRecording(bytes, () => Uint8Array.from([1, 2, 3]));
  assert.equal(wrong.ok, false);
  assert.match((wrong as { error: string }).error, /SHA-256/);
});

test('unreadable files give an error, never an exception', () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode('(module)'), encodeRecording(recording()).slice(0, 40)]) {
    const r = summarizeRecording(bytes);
    assert.equal(r.ok, false);
  }
});

test('HTML: escaped content, nonce-only scripts, open button', () => {
  const r = summarizeRecording(encodeRecording(recording()));
  const html = renderSummaryHtml('x<y>.rewind', r, 'abc123', 'vscode-resource:');
  assert.match(html, /<title>x&lt;y&gt;\.rewind<\/title>/);
  assert.match(html, /hello &lt;world&gt;/);
  assert.match(html, /script-src 'nonce-abc123'/);
  assert.match(html, /default-src 'none'/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc123">/);
  assert.match(html, /id="open"/);
  const bad = renderSummaryHtml('f.rewind', { ok: false, error: 'bad <magic>' }, 'n', 'c');
  assert.match(bad, /bad &lt;magic&gt;/);
  assert.doesNotMatch(bad, /id="open"/);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
