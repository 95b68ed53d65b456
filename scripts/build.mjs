// Build: every TypeScript source to out/ (for tests, the spec runner and the benchmark), and the
// shipped entry points to dist/. Type checking is separate (`tsc --noEmit`, see `npm run build`).
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['engine', 'debug-adapter', 'extension', 'test'];
function tsFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Generated sources first (the interpreter loops, from engine/interp/loop.template).
await import('./genLoop.mjs');

// Every source file becomes its own bundle in out/ (same relative path), with npm packages left
// external. Bundling matters for speed, not just packaging: per-file transpiling turns every
// cross-module constant (opcode ids, const enums, tables) into a CommonJS getter call, which measured
// ~85% of decode time; bundled, esbuild scope-hoists modules and inlines const enums. Each output is
// self-contained, so tests must import engine code statically (not require() another out/ file).
const entryPoints = roots.flatMap(tsFiles);
await build({
  entryPoints,
  outdir: 'out',
  outbase: '.',
  bundle: true,
  packages: 'external',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Shipped bundles (only those whose entry exists yet).
const bundles = [
  ['engine/node/cli.ts', 'dist/cli.js', []],
  ['debug-adapter/debugAdapter.ts', 'dist/debugAdapter.js', []],
  ['extension/extension.ts', 'dist/extension.js', ['vscode']],
  ['extension/server/server.ts', 'dist/server.js', []],
];
for (const [entry, outfile, external] of bundles) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20',
    external, sourcemap: 'linked', logLevel: 'warning',
  });
}
