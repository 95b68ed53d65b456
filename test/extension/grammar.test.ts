// The WAT TextMate grammar: the committed file matches the generator (and so the opcode table), and
// representative lines tokenize as intended, through the same engine VS Code uses (vscode-textmate
// with the Oniguruma WebAssembly build shipped in the vscode-oniguruma package; no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { watGrammarText, instructionNames } from '../../extension/grammar/watGrammar';
import { OPS } from '../../engine/core/opcodes';

const root = join(__dirname, '..', '..', '..');
const grammarPath = join(root, 'syntaxes', 'wat.tmLanguage.json');

test('committed grammar is up to date with the opcode table (run node scripts/genGrammar.mjs)', () => {
  assert.equal(readFileSync(grammarPath, 'utf8'), watGrammarText());
});

test('grammar instruction list covers every opcode table name', () => {
  const { control, other } = instructionNames();
  const all = new Set([...control, ...other]);
  for (const op of OPS) if (op.name !== 'select_t') assert.ok(all.has(op.name), op.name);
  assert.ok(all.has('select'));
  assert.ok(!all.has('select_t'));
});

let grammarPromise: Promise<vsctm.IGrammar> | null = null;
function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => scopeName === 'source.wat'
        ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
    });
    const g = await registry.loadGrammar('source.wat');
    if (!g) throw new Error('grammar not loaded');
    return g;
  })();
  return grammarPromise;
}

/** Tokens of the given lines as [text, most specific scope] pairs (whitespace-only tokens dropped). */
async function tokens(...lines: string[]): Promise<[string, string][]> {
  const g = await loadGrammar();
  let stack = vsctm.INITIAL;
  const out: [string, string][] = [];
  for (const line of lines) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      if (text.trim() === '') continue;
      out.push([text, t.scopes[t.scopes.length - 1]]);
    }
    stack = r.ruleStack;
  }
  return out;
}
/** Scope of the first token whose text is `text`. */
function scopeOf(toks: [string, string][], text: string): string | undefined {
  return toks.find(t => t[0] === text)?.[1];
}

test('instructions: control vs other, every table name, no partial matches', async () => {
  const t = await tokens('(func $f (param $x i32) (result i32) local.get $x i32.const 1 i32.add br_if 0 call $f return_call_indirect (type $t) v128.load8_lane offset=4 align=1 1 i32x4.trunc_sat_f64x2_u_zero)');
  assert.deepEqual(t.slice(0, 3), [['(', 'punctuation.section.parens.begin.wat'], ['func', 'keyword.other.module.wat'], ['$f', 'entity.name.function.wat']]);
  assert.equal(scopeOf(t, 'param'), 'keyword.other.module.wat');
  assert.equal(scopeOf(t, '$x'), 'variable.other.definition.wat');
  assert.equal(scopeOf(t, 'i32'), 'storage.type.wat');
  assert.equal(scopeOf(t, 'local.get'), 'keyword.operator.instruction.wat');
  assert.equal(scopeOf(t, 'i32.const'), 'keyword.operator.instruction.wat');
  assert.equal(scopeOf(t, 'br_if'), 'keyword.control.wat');
  assert.equal(scopeOf(t, 'call'), 'keyword.control.wat');
  assert.equal(scopeOf(t, 'return_call_indirect'), 'keyword.control.wat');
  assert.equal(scopeOf(t, 'v128.load8_lane'), 'keyword.operator.instruction.wat');
  assert.equal(scopeOf(t, 'offset'), 'keyword.other.memarg.wat');
  assert.equal(scopeOf(t, '='), 'keyword.operator.assignment.wat');
  assert.equal(scopeOf(t, 'i32x4.trunc_sat_f64x2_u_zero'), 'keyword.operator.instruction.wat');
  // Not instructions: a longer token containing an instruction name, an unknown dotted name.
  const u = await tokens('i32.addx foo.i32.add i32.add;;c');
  assert.notEqual(scopeOf(u, 'i32.add'), undefined);
  assert.equal(u.find(x => x[0].startsWith('i32.addx'))?.[1] === 'keyword.operator.instruction.wat', false);
  assert.equal(u.some(x => x[0] === 'foo.i32.add' && x[1] === 'keyword.operator.instruction.wat'), false);
  assert.equal(scopeOf(u, ';;c'), 'comment.line.double-semicolon.wat');
});

test('every instruction name of the opcode table is highlighted as an instruction', async () => {
  const { control, other } = instructionNames();
  for (const name of [...control, ...other]) {
    const t = await tokens(`  ${name} `);
    assert.equal(t.length, 1, `${name}: ${JSON.stringify(t)}`);
    assert.equal(t[0][0], name);
    assert.match(t[0][1], control.includes(name) ? /^keyword\.control\.wat$/ : /^keyword\.operator\.instruction\.wat$/, name);
  }
});

test('block comments nest, across lines', async () => {
  const t = await tokens('(; outer (; inner ;) still comment', 'i32.add ;) i32.sub');
  const comment = t.filter(x => x[1].startsWith('comment') || x[1].startsWith('punctuation.definition.comment'));
  assert.ok(comment.some(x => x[0].includes('still comment')));
  assert.ok(t.some(x => x[0].includes('i32.add') && x[1] === 'comment.block.wat'), JSON.stringify(t));
  assert.equal(scopeOf(t, 'i32.sub'), 'keyword.operator.instruction.wat');
});

test('strings with escapes, invalid escapes', async () => {
  const t = await tokens('(export "a\\n\\"b\\u{1F600}\\ff\\q")');
  assert.equal(scopeOf(t, 'export'), 'keyword.other.module.wat');
  assert.equal(scopeOf(t, '\\n'), 'constant.character.escape.wat');
  assert.equal(scopeOf(t, '\\"'), 'constant.character.escape.wat');
  assert.equal(scopeOf(t, '\\u{1F600}'), 'constant.character.escape.wat');
  assert.equal(scopeOf(t, '\\ff'), 'constant.character.escape.wat');
  assert.equal(scopeOf(t, '\\q'), 'invalid.illegal.escape.wat');
  assert.equal(scopeOf(t, 'a'), 'string.quoted.double.wat');
  assert.equal(scopeOf(t, ')'), 'punctuation.section.parens.end.wat');
});

test('numbers: decimal, hex, floats, hex floats, inf, nan:0x, underscores', async () => {
  const cases: [string, string][] = [
    ['42', 'constant.numeric.integer.wat'], ['-1_000', 'constant.numeric.integer.wat'],
    ['0xFF_ff', 'constant.numeric.integer.hexadecimal.wat'], ['+0x1', 'constant.numeric.integer.hexadecimal.wat'],
    ['1.5', 'constant.numeric.float.wat'], ['1e10', 'constant.numeric.float.wat'], ['-1.5e-3', 'constant.numeric.float.wat'],
    ['1_0.0_1', 'constant.numeric.float.wat'], ['0x1.8p3', 'constant.numeric.float.hexadecimal.wat'],
    ['0x1p-1', 'constant.numeric.float.hexadecimal.wat'], ['-0x1.fffffep+127', 'constant.numeric.float.hexadecimal.wat'],
    ['inf', 'constant.numeric.float.wat'], ['-inf', 'constant.numeric.float.wat'], ['nan', 'constant.numeric.float.wat'],
    ['nan:0x7f_ffff', 'constant.numeric.float.wat'], ['-nan:0x1', 'constant.numeric.float.wat'],
  ];
  for (const [text, scope] of cases) {
    const t = await tokens(`f64.const ${text})`);
    assert.deepEqual(t[1], [text, scope], text);
  }
  // Not numbers: glued to other characters.
  const t = await tokens('12abc 0xg');
  assert.equal(t.some(x => x[1].startsWith('constant.numeric')), false, JSON.stringify(t));
});

test('module fields, types, names, annotations, wast commands', async () => {
  const t = await tokens('(module $m (type $t (func)) (memory $mem 1) (global $g (mut i64) (i64.const 0)) (@custom "x" (a)) (table 1 funcref))');
  assert.equal(scopeOf(t, 'module'), 'keyword.other.module.wat');
  assert.equal(scopeOf(t, '$t'), 'entity.name.type.wat');
  assert.equal(scopeOf(t, '$mem'), 'variable.other.definition.wat');
  assert.equal(scopeOf(t, '$g'), 'variable.other.definition.wat');
  assert.equal(scopeOf(t, 'mut'), 'keyword.other.module.wat');
  assert.equal(scopeOf(t, 'i64'), 'storage.type.wat');
  assert.equal(scopeOf(t, 'funcref'), 'storage.type.wat');
  assert.equal(scopeOf(t, '@custom'), 'storage.modifier.annotation.wat');
  const u = await tokens('(assert_return (invoke "f" (i32.const 1)) (i32.const 2)) (call $callee) (v128.const i32x4 1 2 3 4)');
  assert.equal(scopeOf(u, 'assert_return'), 'keyword.other.wast.wat');
  assert.equal(scopeOf(u, 'invoke'), 'keyword.other.wast.wat');
  assert.equal(scopeOf(u, '$callee'), 'variable.other.name.wat');
  assert.equal(scopeOf(u, 'i32x4'), 'storage.type.wat');
});
