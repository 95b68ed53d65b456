// Unit tests of the WAT language analysis (extension/server/watAnalysis.ts): diagnostics with exact
// ranges from the assembler and the validator, name resolution in every index space, references,
// document symbols and hovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyze, diagnose, diagnoseScript, definitionAt, referencesAt, documentSymbols, hoverAt, describeInstruction, instructionSignature,
  allInstructionNames, lexTolerant,
} from '../../extension/server/watAnalysis';
import { OPS, opByName } from '../../engine/core/opcodes';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Offset of the n-th (0-based) occurrence of `needle` in `text`, plus `delta`. */
function at(text: string, needle: string, n = 0, delta = 1): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`no occurrence ${n} of ${needle}`);
  }
  return i + delta;
}
function slice(text: string, r: { start: number; end: number } | { nameStart: number; nameEnd: number } | null): string | null {
  if (!r) return null;
  return 'nameStart' in r ? text.slice(r.nameStart, r.nameEnd) : text.slice(r.start, r.end);
}

const PROGRAM = `(module $m
  (type $bin (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (memory $mem 1)
  (table $tab 2 funcref)
  (global $counter (mut i32) (i32.const 0))
  (func $add (type $bin) (param $a i32) (param $b i32) (result i32)
    (local $tmp i32)
    local.get $a
    local.get $b
    i32.add
    local.tee $tmp
    call $log
    local.get $tmp)
  (func $loop (export "loop") (param $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        global.get $counter
        i32.const 1
        i32.add
        global.set $counter
        br $again)))
  (func $indirect (param i32) (result i32)
    (call_indirect $tab (type $bin) (i32.const 1) (i32.const 2) (local.get 0)))
  (elem (table $tab) (i32.const 0) func $add $add)
  (data (memory $mem) (i32.const 8) "hi")
  (export "add" (func $add))
  (export "mem" (memory $mem))
  (start $loop0))
`;

test('diagnostics: valid module has none', () => {
  assert.deepEqual(diagnose(PROGRAM.replace('$loop0', '$indirect2').replace('(start $indirect2)', '')), diagnose(PROGRAM.replace(/\s*\(start \$loop0\)/, '')));
  assert.deepEqual(diagnose(PROGRAM.replace(/\s*\(start \$loop0\)/, '')), []);
});

test('diagnostics: syntax error range is the offending token', () => {
  const text = '(module\n  (func (result i32)\n    i32.const 1\n    i32.bogus))\n';
  const d = diagnose(text);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'syntax');
  assert.equal(text.slice(d[0].start, d[0].end), 'i32.bogus');
  assert.match(d[0].message, /unknown operator|unexpected token|bogus/);
});

test('diagnostics: unknown name is reported at the name', () => {
  const text = '(module (func call $nowhere))';
  const d = diagnose(text);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'syntax');
  assert.equal(text.slice(d[0].start, d[0].end), '$nowhere');
});

test('diagnostics: validation error mapped back to the instruction through the source map', () => {
  const text = '(module\n  (func $f (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))\n';
  const d = diagnose(text);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'validation');
  assert.equal(d[0].message, 'type mismatch');
  assert.equal(text.slice(d[0].start, d[0].end), 'i32.add');
  // in a second function
  const t2 = '(module\n  (func $ok)\n  (func $bad (param i32) (result i64)\n    local.get 0))\n';
  const d2 = diagnose(t2);
  assert.equal(d2[0].kind, 'validation');
  assert.ok(d2[0].start >= t2.indexOf('(func $bad'), `${d2[0].start}`);
  // the error is found at the function's implicit `end`, which the source map puts at its `)`
  assert.equal(d2[0].start, t2.indexOf('0))') + 1);
  assert.equal(t2.slice(d2[0].start, d2[0].end), ')');
  // a module-level error (no function): on the module's first line
  const t3 = '(module\n  (func $f)\n  (export "a" (func $f))\n  (export "a" (func $f)))\n';
  const d3 = diagnose(t3);
  assert.equal(d3[0].kind, 'validation');
  assert.equal(d3[0].message, 'duplicate export name');
  assert.equal(d3[0].start, 0);
});

test('definitions and references in every index space', () => {
  const an = analyze(PROGRAM);
  const cases: [string, number, string, string][] = [
    // [reference text, occurrence, expected space, expected definition header start]
    ['$bin', 1, 'type', '(type $bin'],
    ['$log', 1, 'func', '(func $log'],
    ['$a', 1, 'local', '(param $a'],
    ['$tmp', 1, 'local', '(local $tmp'],
    ['$tmp', 2, 'local', '(local $tmp'],
    ['$done', 1, 'label', '(block $done'],
    ['$again', 1, 'label', '(loop $again'],
    ['$counter', 1, 'global', '(global $counter'],
    ['$tab', 1, 'table', '(table $tab'],
    ['$tab', 2, 'table', '(table $tab'],
    ['$add', 2, 'func', '(func $add'],
    ['$add', 3, 'func', '(func $add'],
    ['$mem', 1, 'memory', '(memory $mem'],
    ['$mem', 2, 'memory', '(memory $mem'],
    ['$n', 2, 'local', '(param $n'],
  ];
  for (const [needle, n, space, header] of cases) {
    const def = definitionAt(an, at(PROGRAM, needle, n));
    assert.ok(def, `${needle}#${n} resolves`);
    assert.equal(def.space, space, `${needle}#${n}`);
    assert.equal(PROGRAM.slice(def.start, def.start + header.length), header, `${needle}#${n}`);
    assert.equal(slice(PROGRAM, def), needle);
  }
  // numeric references resolve by index: local 0 of $indirect is its anonymous param
  const local0 = definitionAt(an, at(PROGRAM, 'local.get 0', 0, 'local.get '.length));
  assert.ok(local0);
  assert.equal(local0.space, 'local');
  assert.equal(local0.index, 0);
  assert.equal(local0.scope?.name, '$indirect');
  // an unknown name resolves to nothing
  assert.equal(definitionAt(an, at(PROGRAM, '$loop0')), null);
});

test('locals are scoped to their function; labels to their block', () => {
  const text = `(module
  (func $f (param $x i32) local.get $x drop
    block $l br $l end
    block $l (br_if $l (i32.const 0)) end)
  (func $g (param $y i32) (param $x i64) local.get $x drop))`;
  const an = analyze(text);
  const xg = definitionAt(an, at(text, 'local.get $x', 1, 'local.get '.length + 1));
  assert.equal(xg?.scope?.name, '$g');
  assert.equal(xg?.index, 1);
  const l1 = definitionAt(an, at(text, 'br $l', 0, 4));
  const l2 = definitionAt(an, at(text, 'br_if $l', 0, 7));
  assert.ok(l1 && l2);
  assert.notEqual(l1, l2);
  assert.equal(l1.nameStart, at(text, 'block $l', 0, 6));
  assert.equal(l2.nameStart, at(text, 'block $l', 1, 6));
  // numeric label depth
  const t2 = '(module (func block $outer block $inner br 1 end end))';
  const a2 = analyze(t2);
  assert.equal(definitionAt(a2, at(t2, 'br 1', 0, 3))?.name, '$outer');
});

test('find references: definition first, then every use, only of that symbol', () => {
  const an = analyze(PROGRAM);
  const refs = referencesAt(an, at(PROGRAM, '$add'));
  assert.deepEqual(refs.map(r => PROGRAM.slice(r.start, r.end)), ['$add', '$add', '$add', '$add']);
  assert.equal(refs[0].start, at(PROGRAM, '(func $add', 0, 6));
  const withoutDecl = referencesAt(an, at(PROGRAM, '$counter', 1), false);
  assert.equal(withoutDecl.length, 2);
  assert.ok(withoutDecl.every(r => PROGRAM.slice(r.start, r.end) === '$counter'));
  const tmp = referencesAt(an, at(PROGRAM, '$tmp'));
  assert.equal(tmp.length, 3);
});

test('document symbols: functions, globals, types, memories, tables, exports', () => {
  const syms = documentSymbols(analyze(PROGRAM));
  const summary = syms.map(s => `${s.kind} ${s.name}`);
  for (const want of ['type $bin', 'function $log', 'memory $mem', 'table $tab', 'global $counter', 'function $add',
    'function $loop', 'function $indirect', 'export "loop"', 'export "add"', 'export "mem"', 'elem elem[0]', 'data data[0]']) {
    assert.ok(summary.includes(want), `${want} in ${JSON.stringify(summary)}`);
  }
  const log = syms.find(s => s.name === '$log')!;
  assert.match(log.detail, /^imported /);
  const add = syms.find(s => s.name === '$add')!;
  assert.equal(PROGRAM.slice(add.selStart, add.selEnd), '$add');
  assert.ok(PROGRAM.slice(add.start, add.end).startsWith('(func $add') && PROGRAM.slice(add.start, add.end).endsWith('local.get $tmp)'));
  assert.equal(add.detail, '(func $add (type $bin) (param $a i32) (param $b i32) (result i32) (local $tmp i32) …');
  // sorted by position
  for (let i = 1; i < syms.length; i++) assert.ok(syms[i - 1].start <= syms[i].start);
});

test('hover: instruction signature, description and encoding; symbol definition', () => {
  const an = analyze(PROGRAM);
  const h = hoverAt(an, at(PROGRAM, 'i32.add'));
  assert.ok(h);
  assert.equal(PROGRAM.slice(h.start, h.end), 'i32.add');
  assert.match(h.markdown, /i32\.add : \[i32 i32\] -> \[i32\]/);
  assert.match(h.markdown, /Encoding: `0x6a`/);
  assert.match(h.markdown, /Addition \(wraps around\)/);
  const g = hoverAt(an, at(PROGRAM, 'global.get'));
  assert.match(g!.markdown, /global\.get globalidx : \[\] -> \[t\]/);
  const m = hoverAt(analyze('(memory.fill)'), 3);
  assert.match(m!.markdown, /Encoding: `0xfc 11`/);
  const s = hoverAt(an, at(PROGRAM, '$counter', 1));
  assert.match(s!.markdown, /\*\*global 0\*\* `\$counter`/);
  assert.match(s!.markdown, /\(global \$counter \(mut i32\) …/);
  const p = hoverAt(an, at(PROGRAM, '$a', 1));
  assert.match(p!.markdown, /\*\*parameter 0\*\*/);
  const load = hoverAt(analyze('i64.load32_u'), 2);
  assert.match(load!.markdown, /Accesses 4 bytes; natural alignment 4/);
});

test('every instruction of the opcode table has a description and a signature (control ones by hand)', () => {
  for (const op of OPS) {
    const d = describeInstruction(op.name === 'select_t' ? 'select' : op.name);
    assert.ok(d.length > 8 && d !== `${op.name}.`, `${op.name}: ${d}`);
    assert.ok(!/\$\d|\(\)|undefined/.test(d), `${op.name}: ${d}`);
    if (!['else', 'end'].includes(op.name)) assert.ok(instructionSignature(op).length > 0, op.name);
  }
  assert.equal(describeInstruction('i32.lt_u'), 'Pushes 1 if the first operand is less than the second (unsigned), else 0.');
  assert.equal(describeInstruction('i8x16.lt_u'), 'Lane-wise: all ones where the first operand is less than the second (unsigned), else zero.');
  assert.equal(describeInstruction('f32.min'), 'Minimum of the two operands.');
  assert.equal(describeInstruction('i8x16.min_s'), 'Lane-wise: minimum of the two operands (signed).');
  assert.equal(instructionSignature(opByName('i32.store8')!), '[i32 i32] -> []');
  assert.ok(allInstructionNames().includes('select'));
  assert.ok(!allInstructionNames().includes('select_t'));
});

test('tolerant: half-typed text still resolves names, comments and annotations are skipped', () => {
  const text = '(module (; a (; nested ;) comment $x ;) (@ann "x" (y)) (func $f (param $x i32) local.get $x ;; $x\n call $f';
  const toks = lexTolerant(text);
  assert.equal(toks.filter(t => t.text === '$x').length, 2);
  const an = analyze(text);
  assert.equal(definitionAt(an, at(text, 'local.get $x', 0, 11))?.name, '$x');
  assert.equal(definitionAt(an, at(text, 'call $f', 0, 6))?.name, '$f');
  assert.deepEqual(diagnose(text).map(d => d.kind), ['syntax']);
});

test('.wast scripts: names resolve within their own module', () => {
  const text = '(module (func $f)) (assert_invalid (module (func $f (call $f))) "x") (module (func $g) (func $f call $f))';
  const an = analyze(text);
  const d1 = definitionAt(an, at(text, 'call $f', 0, 6));
  assert.equal(d1?.nameStart, at(text, '(func $f', 1, 6));
  const d2 = definitionAt(an, at(text, 'call $f', 1, 6));
  assert.equal(d2?.nameStart, at(text, '(func $f', 2, 6));
  assert.equal(d2?.index, 1);
});

test('diagnostics: an error at the end of the text marks its last character', () => {
  const text = '(module\n  (func $f\n';
  const d = diagnose(text);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'syntax');
  assert.equal(d[0].end - d[0].start, 1);
  assert.equal(text.slice(d[0].start, d[0].end), 'f');
});

const SUITE = join(__dirname, '..', '..', '..', '..', 'shared', 'wasm-spec-testsuite');
test('official testsuite .wast files: analysis never throws, every $name resolves, no diagnostics', { skip: !existsSync(SUITE) && `no testsuite at ${SUITE}` }, () => {
  let files = 0, names = 0;
  for (const f of readdirSync(SUITE).filter(n => n.endsWith('.wast'))) {
    const text = readFileSync(join(SUITE, f), 'utf8');
    const an = analyze(text);
    files++;
    for (const r of an.refs) {
      if (!r.text.startsWith('$')) continue;
      names++;
      assert.ok(r.def, `${f}: ${r.space} ${r.text} at ${r.start} resolves`);
      assert.equal(r.def.space, r.space);
      assert.equal(r.def.name, r.text);
    }
    documentSymbols(an);
    // every top-level module of the testsuite assembles and validates
    assert.deepEqual(diagnoseScript(text), [], f);
  }
  assert.ok(files > 100 && names > 5000, `${files} files, ${names} names`);
});

test('.wast diagnostics: script syntax, then top-level modules validated in place; assertion modules left alone', () => {
  const text = '(module $a (func))\n(assert_invalid (module (func (result i32) i64.const 1)) "type mismatch")\n(module (func (result i32)\n  i64.const 1))\n';
  const d = diagnoseScript(text);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'validation');
  assert.ok(d[0].start > text.lastIndexOf('(module'), `${d[0].start}`);
  assert.deepEqual(diagnoseScript('(module (func))\n(assert_return (invoke "f") (i32.const 1))'), []);
  const bad = '(module (func))\n(assert_return (invoke "f" (i32.konst 1)))';
  const e = diagnoseScript(bad);
  assert.equal(e.length, 1);
  assert.equal(e[0].kind, 'syntax');
  assert.equal(bad.slice(e[0].start, e[0].end), 'i32.konst');
  // a script is not a module: diagnose() alone would complain about it
  assert.equal(diagnose('(module (func))\n(assert_return (invoke "f"))').length, 1);
});

test('locals of a function typed only by (type $t) are numbered after the type\'s parameters', () => {
  const text = '(module (func $f (type $sig) (local $l i64) local.get 0 drop local.get 2 drop local.get $l drop) (type $sig (func (param i32 f32))))';
  const an = analyze(text);
  assert.equal(definitionAt(an, at(text, 'local.get 0', 0, 10)), null); // a parameter without a name in the text
  const l = definitionAt(an, at(text, 'local.get 2', 0, 10));
  assert.equal(l?.name, '$l');
  assert.equal(l?.index, 2);
  assert.deepEqual(diagnose(text), []);
});
