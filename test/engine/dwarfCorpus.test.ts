// engine/dwarf on the whole WASI corpus (test/fixtures/wasi: wasi-libc's ~40 compile units per C
// program, Rust std): loads without errors, and, when llvm-dwarfdump is installed, every live line
// table row of every compile unit equals llvm-dwarfdump's, and every live subprogram is found.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { loadDwarf } from '../../engine/dwarf';

const DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'wasi');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.wasm'));

function dwarfdump(): string | null {
  for (const exe of ['llvm-dwarfdump', 'llvm-dwarfdump-14', 'llvm-dwarfdump-19']) {
    try { execFileSync(exe, ['--version'], { stdio: 'ignore' }); return exe; } catch { /* next */ }
  }
  return null;
}
const DUMP = dwarfdump();

for (const f of files) {
  test(`corpus: ${f} loads; every function start has a line and a frame`, () => {
    const m = decodeModule(new Uint8Array(fs.readFileSync(path.join(DIR, f))));
    const d = loadDwarf(m)!;
    assert.ok(d.units.length >= 20, `${d.units.length} units`);
    assert.ok(d.lines.size > 500);
    let withFrames = 0;
    for (const row of d.lines.rows()) {
      if (!d.isFunctionStart(row.offset)) continue;
      if (d.framesAt(row.offset).length > 0) withFrames++;
    }
    assert.ok(withFrames > 20);
    assert.deepEqual(d.errors.map((e) => e.message), []);
  });

  test(`corpus: ${f} line table equals llvm-dwarfdump's`, { skip: DUMP ? false : 'llvm-dwarfdump not installed' }, () => {
    const m = decodeModule(new Uint8Array(fs.readFileSync(path.join(DIR, f))));
    const d = loadDwarf(m)!;
    const text = execFileSync(DUMP!, ['--debug-line', path.join(DIR, f)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    // rows grouped in sequences; sequences not starting at a live function are dead code
    const theirs: string[] = [];
    let seq: string[] = [];
    let seqStart = -1;
    for (const line of text.split('\n')) {
      const m2 = /^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$/.exec(line);
      if (!m2) continue;
      const addr = parseInt(m2[1], 16);
      if (seqStart < 0) seqStart = addr;
      const flags = m2[4];
      if (flags.includes('end_sequence')) {
        if (d.isFunctionStart(d.toOffset(seqStart))) theirs.push(...seq);
        seq = []; seqStart = -1;
        continue;
      }
      seq.push(`${addr}:${m2[2]}:${m2[3]}:${flags.includes('is_stmt') ? 1 : 0}`);
    }
    const mine = d.lines.rows().map((r) => `${d.toAddress(r.offset)}:${r.line}:${r.column}:${r.isStmt ? 1 : 0}`);
    const sortKey = (s: string): number => Number(s.split(':')[0]);
    theirs.sort((a, b) => sortKey(a) - sortKey(b));
    assert.equal(mine.length, theirs.length);
    // same multiset per address (order of rows at one address is kept by both)
    assert.deepEqual(mine, theirs);
  });
}
