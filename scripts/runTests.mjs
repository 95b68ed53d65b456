// Runs every compiled test file (out/test/**/*.test.js) with Node's built-in test runner.
// Passing the directory to `node --test` would also run any .js under a `test/` folder (the bench,
// helpers), so the files are listed explicitly. Extra arguments are passed through as filters on
// the file path, e.g. `node scripts/runTests.mjs boundaries`.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function testFiles(dir) {
  const found = [];
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...testFiles(p));
    else if (name.endsWith('.test.js')) found.push(p);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = testFiles(join('out', 'test')).filter(f => filters.length === 0 || filters.some(s => f.includes(s)));
if (files.length === 0) {
  console.error('runTests: no test files found under out/test (did the build run?)');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
