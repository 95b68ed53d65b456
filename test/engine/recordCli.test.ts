// wasm-rewind record / replay / info on the WASI corpus: a trapping program leaves a .rewind file that
// replays to the same trap; --always records a clean exit; damaged files give one clear error line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../engine/node/cli';

const root = join(__dirname, '..', '..', '..');
const fixture = (n: string): string => join(root, 'test', 'fixtures', 'wasi', n);

function cli(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  const code = main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('record a trapping program, then info and replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-rec-'));
  try {
    const file = join(dir, 'crash.rewind');
    const r = cli(['record', fixture('crash.wasm'), '--interval', '1000', '-o', file]);
    assert.equal(r.code, 134);
    assert.ok(existsSync(file));
    assert.match(r.err.join('\n'), /trap \(unreachable\) at time \d+; recording written to .*crash\.rewind/);
    assert.deepEqual(readdirSync(dir), ['crash.rewind'], 'no temporary file left');
    const i = cli(['info', file]);
    assert.equal(i.code, 0, i.err.join('\n'));
    const info = i.out.join('\n');
    assert.match(info, /time unit: wasm-instructions-retired/);
    assert.match(info, /trap: unreachable at time \d+ in function \d+/);
    const p = cli(['replay', file]);
    assert.equal(p.code, 0, p.err.join('\n'));
    assert.match(p.out.join('\n'), /every interval's state hash matched/);
    assert.match(p.out.join('\n'), /ended: trap 'unreachable' at time \d+ .*\(as recorded\)/);
    // damaged copies: one clear line, exit 1
    const bytes = readFileSync(file);
    const bad = Buffer.from(bytes); bad[bad.length - 40] ^= 0x55;
    writeFileSync(join(dir, 'bad.rewind'), bad);
    const b = cli(['replay', join(dir, 'bad.rewind')]);
    assert.equal(b.code, 1);
    assert.match(b.err.join('\n'), /corrupt \(CRC mismatch\) \(at byte \d+\)/);
    writeFileSync(join(dir, 'short.rewind'), bytes.subarray(0, 100));
    const s = cli(['info', join(dir, 'short.rewind')]);
    assert.equal(s.code, 1);
    assert.match(s.err.join('\n'), /truncated/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('record writes nothing for a clean exit unless --always', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-rec-'));
  try {
    const file = join(dir, 'exit3.rewind');
    assert.equal(cli(['record', fixture('exit3.wasm'), '-o', file]).code, 3);
    assert.ok(!existsSync(file));
    assert.equal(cli(['record', fixture('exit3.wasm'), '--always', '-o', file]).code, 3);
    const p = cli(['replay', file]);
    assert.equal(p.code, 0, p.err.join('\n'));
    assert.match(p.out.join('\n'), /ended: proc_exit\(3\)/);
    assert.equal(cli(['record', fixture('exit3.wasm'), '--buffer-mb', 'x']).code, 2);
    assert.equal(cli(['replay']).code, 2);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
