// The decoder and validator against the official testsuite (through wabt's wast2json): every valid
// module accepted, every binary assert_malformed / assert_invalid refused with the expected message.
// Skipped when wast2json or the testsuite is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harnessAvailable, runHarness } from '../spec/decodeValidateHarness';

const available = harnessAvailable();

test('testsuite: decode + validate verdicts and messages', { skip: available ? false : 'wast2json or the testsuite is not installed' }, () => {
  const { total, failures } = runHarness();
  assert.deepEqual(failures.slice(0, 20), []);
  assert.equal(total.failures, 0);
  // the conversion really ran: the counts are in the thousands
  assert.ok(total.valid > 1500 && total.malformed > 700 && total.invalid > 2000, JSON.stringify(total));
});
