// The official testsuite as part of `npm test`: every .wast file is one test. A file listed in
// known-failures.json may fail up to the recorded count (a ratchet: the list only ever shrinks, and
// the goal is an empty list); any other failure fails the test with the first failing commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUITE_DIR, suiteFiles, runWastFile } from './runSpec';

const knownPath = join(__dirname, '..', '..', '..', 'test', 'spec', 'known-failures.json');
const known: Record<string, { failed: number; why: string }> = existsSync(knownPath)
  ? JSON.parse(readFileSync(knownPath, 'utf8')) : {};

test('the official testsuite is present', () => {
  assert.ok(existsSync(SUITE_DIR), `expected the testsuite at ${SUITE_DIR}`);
  assert.ok(suiteFiles().length >= 150, 'expected at least 150 .wast files');
});

let totalPassed = 0;
let totalFailed = 0;
for (const file of suiteFiles()) {
  const name = file.slice(SUITE_DIR.length + 1);
  test(`spec ${name}`, () => {
    const r = runWastFile(file);
    totalPassed += r.passed;
    totalFailed += r.failed;
    const allowed = known[name]?.failed ?? 0;
    assert.ok(r.passed > 0, `${name}: nothing ran`);
    assert.ok(r.failed <= allowed, `${name}: ${r.failed} failed (allowed ${allowed}):\n  ${r.failures.slice(0, 15).join('\n  ')}`);
  });
}
test('spec totals', () => {
  console.log(`spec: ${totalPassed} passed, ${totalFailed} failed`);
});
