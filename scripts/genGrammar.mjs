// Writes syntaxes/wat.tmLanguage.json from the opcode table (engine/core/opcodes.ts) through
// extension/grammar/watGrammar.ts. Run after changing either: `node scripts/genGrammar.mjs`
// (`--check` exits 1 instead of writing when the committed file is out of date).
// test/extension/grammar.test.ts makes the same comparison, so a stale grammar fails `npm test`.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'extension/grammar/watGrammar.ts')],
  bundle: true, format: 'cjs', platform: 'node', target: 'node20', write: false, logLevel: 'warning',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', result.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
const text = mod.exports.watGrammarText();
const target = join(root, 'syntaxes/wat.tmLanguage.json');
const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('syntaxes/wat.tmLanguage.json is out of date: run node scripts/genGrammar.mjs');
    process.exit(1);
  }
  console.log('syntaxes/wat.tmLanguage.json is up to date');
} else if (current !== text) {
  writeFileSync(target, text);
  console.log('wrote syntaxes/wat.tmLanguage.json');
} else {
  console.log('syntaxes/wat.tmLanguage.json unchanged');
}
