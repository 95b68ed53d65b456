import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../engine/core/errors';
import { opByName } from '../../engine/core/opcodes';
import { SourceMapIndex, assembleWat } from '../../engine/wat/assembler';

function run(text: string, imports: WebAssembly.Imports = {}): Record<string, any> {
  const bin = assembleWat(text).binary;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bin), imports);
  return inst.exports as Record<string, any>;
}

function parseError(text: string, message: string, line?: number, column?: number): ParseError {
  let err: ParseError | undefined;
  assert.throws(() => assembleWat(text), (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
    assert.ok(e.message.startsWith(message), `expected "${message}", got "${e.message}"`);
    if (line !== undefined) assert.equal(e.line, line, `line of "${message}"`);
    if (column !== undefined) assert.equal(e.column, column, `column of "${message}"`);
    err = e;
    return true;
  });
  return err!;
}

test('minimal module encodes to the expected bytes', () => {
  const bin = assembleWat('(module (func (export "f") (result i32) i32.const 42))', { names: false }).binary;
  assert.deepEqual(Array.from(bin), [
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 5, 1, 0x60, 0, 1, 0x7f, // type section
    3, 2, 1, 0, // function section
    7, 5, 1, 1, 0x66, 0, 0, // export "f" func 0
    10, 6, 1, 4, 0, 0x41, 42, 0x0b, // code
  ]);
});

test('folded and flat instructions, labels, br_table, if/else', () => {
  const e = run(`
    (module
      (func $fac (export "fac") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
      (func (export "sw") (param i32) (result i32)
        block $c block $b block $a
          local.get 0
          br_table $a $b $c
        end $a
        i32.const 10 return
        end $b
        i32.const 20 return
        end
        i32.const 30)
      (func (export "loop") (param $n i32) (result i32) (local $acc i32)
        loop $l
          local.get $acc local.get $n i32.add local.set $acc
          local.get $n i32.const 1 i32.sub local.tee $n
          br_if $l
        end
        local.get $acc)
      (func (export "flatif") (param i32) (result i32)
        local.get 0
        if $x (result i32)
          i32.const 1
        else $x
          i32.const 2
        end $x))`);
  assert.equal(e.fac(20n), 2432902008176640000n);
  assert.deepEqual([e.sw(0), e.sw(1), e.sw(2), e.sw(7)], [10, 20, 30, 30]);
  assert.equal(e.loop(10), 55);
  assert.deepEqual([e.flatif(1), e.flatif(0)], [1, 2]);
});

test('multi-value blocks via implicit types, select with result, call_indirect', () => {
  const text = `
    (module
      (type $bin (func (param i32 i32) (result i32)))
      (table funcref (elem $add $sub))
      (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
      (func $sub (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
      (func (export "swap") (param i32 i32) (result i32 i32)
        local.get 0 local.get 1
        (block (param i32 i32) (result i32 i32)
          (local.set 0) (local.set 1) (local.get 0) (local.get 1)))
      (func (export "pick") (param i32) (result i32)
        (select (result i32) (i32.const 5) (i32.const 6) (local.get 0)))
      (func (export "dispatch") (param i32 i32 i32) (result i32)
        (call_indirect (type $bin) (local.get 1) (local.get 2) (local.get 0))))`;
  const e = run(text);
  assert.deepEqual(e.swap(1, 2), [2, 1]);
  assert.deepEqual([e.pick(1), e.pick(0)], [5, 6]);
  assert.deepEqual([e.dispatch(0, 7, 3), e.dispatch(1, 7, 3)], [10, 4]);
  // `select (result i32)` is select_t (0x1c)
  const bin = assembleWat(text, { names: false }).binary;
  const i = bin.indexOf(opByName('select_t')!.code);
  assert.ok(i > 0);
  // implicit types are appended in order and shared: $bin (also used by $sub), swap's type (also the
  // block's), pick's, dispatch's
  assert.equal(bin[10], 4, 'four types');
});

test('imports, inline exports/imports, globals, memory data, start', () => {
  const log: number[] = [];
  const e = run(`
    (module $m
      (import "env" "log" (func $log (param i32)))
      (global $imp (import "env" "g") i32)
      (func $inl (import "env" "twice") (param i32) (result i32))
      (memory (export "mem") (data "hi\\00\\u{1F600}\\ff"))
      (global $counter (export "counter") (mut i32) (i32.const 0x10))
      (func $init (global.set $counter (i32.add (global.get $counter) (global.get $imp))))
      (start $init)
      (func (export "byte") (param i32) (result i32) (i32.load8_u offset=0 align=1 (local.get 0)))
      (func (export "call") (param i32) (result i32)
        (call $log (local.get 0))
        (call $inl (local.get 0))))`, {
    env: { log: (x: number) => log.push(x), g: 2, twice: (x: number) => x * 2 },
  });
  assert.equal(e.counter.value, 0x12);
  assert.deepEqual([0, 1, 2, 3, 6, 7].map((i) => e.byte(i)), [0x68, 0x69, 0, 0xf0, 0x80, 0xff]);
  assert.equal(e.call(21), 42);
  assert.deepEqual(log, [21]);
  assert.equal((e.mem as WebAssembly.Memory).buffer.byteLength, 65536);
});

test('element segments in all forms, bulk memory and table ops, data count section', () => {
  const text = `
    (module
      (table $t 4 funcref)
      (table $u 2 externref)
      (memory 1)
      (func $a (result i32) i32.const 1)
      (func $b (result i32) i32.const 2)
      (elem (i32.const 0) $a $b)
      (elem $p func $b $a)
      (elem $q funcref (item ref.func $a) (ref.null func) (item (ref.func $b)))
      (elem declare func $a)
      (elem (table $t) (offset (i32.const 2)) funcref (ref.func $b))
      (data $d "abcd")
      (func (export "get") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
      (func (export "init") (table.init $t $p (i32.const 0) (i32.const 0) (i32.const 2)) (elem.drop $p))
      (func (export "isnull") (result i32) (ref.is_null (ref.func $a)))
      (func (export "minit") (result i32)
        (memory.init $d (i32.const 100) (i32.const 1) (i32.const 2))
        (data.drop $d)
        (i32.load16_u (i32.const 100)))
      (func (export "size") (result i32) (table.size $u)))`;
  const e = run(text);
  assert.deepEqual([e.get(0), e.get(1), e.get(2)], [1, 2, 2]);
  e.init();
  assert.deepEqual([e.get(0), e.get(1)], [2, 1]);
  assert.equal(e.isnull(), 0);
  assert.equal(e.minit(), 0x6362);
  assert.equal(e.size(), 2);
  const bin = assembleWat(text, { names: false }).binary;
  assert.ok(hasSection(bin, 12), 'data count section present when memory.init is used');
  assert.ok(!hasSection(assembleWat('(module (memory 1) (data (i32.const 0) "x"))').binary, 12));
});

function sections(bin: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bin.length) {
    ids.push(bin[i]);
    let size = 0, shift = 0, j = i + 1;
    for (;;) { const b = bin[j++]; size |= (b & 0x7f) << shift; shift += 7; if (!(b & 0x80)) break; }
    i = j + size;
  }
  return ids;
}
function hasSection(bin: Uint8Array, id: number): boolean {
  return sections(bin).includes(id);
}

test('numeric literals: hex, underscores, floats with exact rounding, NaN payloads', () => {
  const e = run(`
    (module
      (func (export "i") (result i32) (i32.const -0x8000_0000))
      (func (export "u") (result i32) (i32.const 0xffff_ffff))
      (func (export "l") (result i64) (i64.const 18_446_744_073_709_551_615))
      (func (export "f1") (result i32) (i32.reinterpret_f32 (f32.const 0x1p-149)))
      (func (export "f2") (result i32) (i32.reinterpret_f32 (f32.const 1.000000059604644775390625)))
      (func (export "f3") (result i32) (i32.reinterpret_f32 (f32.const 1.00000005960464477539062500001)))
      (func (export "f4") (result i32) (i32.reinterpret_f32 (f32.const -nan:0x200000)))
      (func (export "f5") (result i32) (i32.reinterpret_f32 (f32.const inf)))
      (func (export "f6") (result i32) (i32.reinterpret_f32 (f32.const 0x1.fffffep127)))
      (func (export "d1") (result i64) (i64.reinterpret_f64 (f64.const nan)))
      (func (export "d2") (result i64) (i64.reinterpret_f64 (f64.const 0x1.8p+1)))
      (func (export "d3") (result i64) (i64.reinterpret_f64 (f64.const -1_000.5e-3)))
      (func (export "d4") (result i64) (i64.reinterpret_f64 (f64.const 4.9406564584124654e-324))))`);
  assert.equal(e.i(), -0x80000000);
  assert.equal(e.u(), -1);
  assert.equal(e.l(), -1n);
  assert.equal(e.f1(), 1);
  assert.equal(e.f2(), 0x3f800000, 'exact halfway rounds to even');
  assert.equal(e.f3(), 0x3f800001, 'just above halfway rounds up');
  assert.equal(e.f4() >>> 0, 0xffa00000);
  assert.equal(e.f5(), 0x7f800000);
  assert.equal(e.f6(), 0x7f7fffff);
  assert.equal(e.d1(), 0x7ff8000000000000n);
  assert.equal(e.d2(), 0x4008000000000000n);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, -1.0005);
  assert.equal(e.d3(), view.getBigInt64(0));
  assert.equal(e.d4(), 1n);
});

test('SIMD: v128.const shapes, shuffle, lanes, memarg lane', () => {
  const e = run(`
    (module (memory 1)
      (func (export "a") (result i32)
        (i32x4.extract_lane 2 (v128.const i32x4 1 -2 0xffff_ffff 4)))
      (func (export "b") (result i32)
        (i8x16.extract_lane_u 0
          (i8x16.shuffle 31 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14
            (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
            (v128.const i16x8 0 0 0 0 0 0 0 -1))))
      (func (export "flat") (result i32)
        v128.const i32x4 1 2 3 4 v128.const i32x4 10 20 30 40 i32x4.add i32x4.extract_lane 3)
      (func (export "c") (result f32)
        (f32x4.extract_lane 3 (v128.const f32x4 0 1 2 0x1.8p0)))
      (func (export "d") (result i64)
        (i64.store (i32.const 8) (i64.const 77))
        (i64x2.extract_lane 1 (v128.load64_lane offset=8 1 (i32.const 0) (v128.const i64x2 0 0)))))`);
  assert.equal(e.a(), -1);
  assert.equal(e.b(), 255);
  assert.equal(e.c(), 1.5);
  assert.equal(e.flat(), 44);
  assert.equal(e.d(), 77n);
});

test('tail calls and extended constant expressions assemble', () => {
  const bin = assembleWat(`
    (module
      (global $g i32 (i32.const 1))
      (global $h i32 (i32.add (global.get $g) (i32.mul (i32.const 2) (i32.const 3))))
      (table 2 funcref)
      (func $f (param i32) (result i32) (return_call $f (local.get 0)))
      (func (param i32) (result i32) (return_call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))`, { names: false }).binary;
  assert.ok(bin.includes(opByName('return_call')!.code));
  assert.ok(bin.includes(opByName('return_call_indirect')!.code));
});

test('comments and annotations are ignored', () => {
  const e = run(`(module (; block (; nested ;) comment ;)
    ;; line comment
    (@custom "x" (nested (annotation)))
    (func (export "f") (@name "y") (result i32) i32.const (;inline;) 7))`);
  assert.equal(e.f(), 7);
});

test('error messages, positions and ranges', () => {
  let e = parseError('(module\n  (func\n    i32.cosnt 1))', 'unknown operator', 3, 5);
  assert.equal(e.offset, 20);
  assert.equal(e.endOffset, 29);
  parseError('(module (func (br $nope)))', 'unknown label', 1, 19);
  parseError('(module (func block $a end $b))', 'mismatching label', 1, 28);
  parseError('(module (func $f) (func $f))', 'duplicate func', 1, 25);
  parseError('(module (func (param $x i32) (local $x i32)))', 'duplicate local');
  parseError('(module (func (call $g)))', 'unknown function');
  parseError('(module (func (type $t)))', 'unknown type');
  parseError('(module (type $t (func (param i32))) (func (type $t) (param i64)))', 'inline function type');
  parseError('(module (func (i32.const 0x1_0000_0000) drop))', 'constant out of range');
  parseError('(module (func (f32.const 1e39) drop))', 'constant out of range');
  parseError('(module (func (i64.const 1.5) drop))', 'unexpected token');
  parseError('(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))', 'alignment');
  parseError('(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))', 'i32 constant');
  parseError('(module (memory 0x1_0000_0000))', 'i32 constant out of range');
  parseError('(module (func) (import "a" "b" (func)))', 'import after function');
  parseError('(module (global i32 (i32.const 0)) (import "a" "b" (global i32)))', 'import after global');
  parseError('(module (func $f) (start $f) (start $f))', 'multiple start sections');
  parseError('(module (func (v128.const i32x4 1 2 3) drop))', 'wrong number of lane literals');
  parseError('(module (func (export "\\ff")))', 'malformed UTF-8 encoding');
  parseError('(module (func (nop)', 'unexpected end');
  parseError('(module (func (local i32) (nop) (local i32)))', 'unexpected token');
  parseError('(module (func i32.const 0x))', 'unknown operator');
  parseError('(module (func (result i32) (i8x16.extract_lane_s 256 (v128.const i64x2 0 0))))', 'malformed lane index');
  parseError('(module (func (i8x16.shuffle 0 1 2)))', 'invalid lane length');
  parseError('(module (data "a""b"))', 'unknown operator');
  parseError('(module (func) (; unclosed', 'unexpected end');
});

test('numeric indices pass through (the validator reports them)', () => {
  const bin = assembleWat('(module (func (call 7) (br 3) (local.get 9)))', { names: false }).binary;
  assert.ok(bin.length > 0);
});

test('source map: every instruction maps to its text and byte offset', () => {
  const text = `(module
  (global $g (mut i32) (i32.const 5))
  (func $f (export "f") (param i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (global.get $g)))
    block $b
      local.get 0
      br_if $b
    end
    (if (local.get 0) (then nop) (else (global.set $g (i32.const 1))))
    (v128.const i32x4 1 2 3 4) drop
    local.get 0)
  (func $g2 (result i64) i64.const 1))`;
  const r = assembleWat(text);
  const ins = r.sourceMap.instructions;
  assert.ok(ins.length >= 18);
  for (let k = 1; k < ins.length; k++) assert.ok(ins[k].byteOffset >= ins[k - 1].byteOffset, 'sorted by byte offset');
  for (const loc of ins) {
    const word = /^\(?([a-z0-9_.]+)/.exec(text.slice(loc.textOffset))?.[1] ?? '';
    const lines = text.slice(0, loc.textOffset).split('\n');
    assert.equal(loc.line, lines.length);
    assert.equal(loc.column, lines[lines.length - 1].length + 1);
    assert.ok(loc.endOffset > loc.textOffset);
    if (word === '') { // the closing paren of a folded block / function: `end`
      assert.equal(r.binary[loc.byteOffset], opByName('end')!.code);
      continue;
    }
    const info = opByName(word);
    assert.ok(info, `no opcode for "${word}" at ${loc.line}:${loc.column}`);
    assert.equal(r.binary[loc.byteOffset], info!.prefix || info!.code, `byte at ${loc.byteOffset} for ${word}`);
  }
  // the br_if on line 7 and the const expr of the global (line 2)
  const idx = new SourceMapIndex(r.sourceMap);
  const onLine7 = idx.offsetsOnLine(7);
  assert.equal(onLine7.length, 1);
  assert.equal(r.binary[onLine7[0]], opByName('br_if')!.code);
  assert.equal(idx.locate(onLine7[0] + 1)!.line, 7, 'an offset inside an instruction maps to it');
  assert.equal(idx.offsetsOnLine(2).length, 1);
  assert.deepEqual(r.sourceMap.funcs.map((f) => [f.funcIndex, f.name, f.line]), [[0, 'f', 3], [1, 'g2', 12]]);
  assert.equal(text.slice(r.sourceMap.funcs[1].textOffset, r.sourceMap.funcs[1].endOffset), '(func $g2 (result i64) i64.const 1)');
});

function readNameSection(bin: Uint8Array): Map<number, Uint8Array> {
  const mod = new WebAssembly.Module(bin);
  const [sec] = (WebAssembly.Module as unknown as { customSections(m: WebAssembly.Module, n: string): ArrayBuffer[] }).customSections(mod, 'name');
  const b = new Uint8Array(sec);
  const out = new Map<number, Uint8Array>();
  let i = 0;
  const leb = (): number => { let v = 0, s = 0; for (;;) { const x = b[i++]; v |= (x & 0x7f) << s; s += 7; if (!(x & 0x80)) return v >>> 0; } };
  while (i < b.length) {
    const id = b[i++];
    const size = leb();
    out.set(id, b.subarray(i, i + size));
    i += size;
  }
  return out;
}
function readNameMap(b: Uint8Array): Map<number, string> {
  let i = 0;
  const leb = (): number => { let v = 0, s = 0; for (;;) { const x = b[i++]; v |= (x & 0x7f) << s; s += 7; if (!(x & 0x80)) return v >>> 0; } };
  const m = new Map<number, string>();
  const n = leb();
  for (let k = 0; k < n; k++) {
    const idx = leb();
    const len = leb();
    m.set(idx, new TextDecoder().decode(b.subarray(i, i + len)));
    i += len;
  }
  return m;
}

test('name section: module, functions, locals, globals, types', () => {
  const bin = assembleWat(`(module $mod
    (type $sig (func))
    (import "e" "f" (func $imported))
    (global $gg i32 (i32.const 0))
    (memory $mem 1)
    (func $first (param $p i32) (local $l i64))
    (func)
    (func $third))`).binary;
  const subs = readNameSection(bin);
  assert.equal(new TextDecoder().decode(subs.get(0)!.subarray(1)), 'mod');
  assert.deepEqual([...readNameMap(subs.get(1)!)], [[0, 'imported'], [1, 'first'], [3, 'third']]);
  assert.deepEqual([...readNameMap(subs.get(4)!)], [[0, 'sig']]);
  assert.deepEqual([...readNameMap(subs.get(6)!)], [[0, 'mem']]);
  assert.deepEqual([...readNameMap(subs.get(7)!)], [[0, 'gg']]);
  // locals of function 1: p (0), l (1)
  const loc = subs.get(2)!;
  const text = new TextDecoder().decode(loc);
  assert.ok(text.includes('p') && text.includes('l'));
  // names off: no custom section
  assert.equal(sections(assembleWat('(module $x (func $f))', { names: false }).binary).includes(0), false);
});

test('a module may be given as bare fields', () => {
  const e = run('(func (export "f") (result i32) i32.const 3)');
  assert.equal(e.f(), 3);
});

test('line comments end at CR, LF or CR LF, and lines are counted as editors count them', () => {
  for (const nl of ['\n', '\r', '\r\n']) {
    const text = `(module${nl}  (func (export "f") (result i32)${nl}    (i32.const 1) ;; comment${nl}    (return (i32.const 2))))`;
    const { binary, sourceMap } = assembleWat(text);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(binary)) as unknown as { exports: { f(): number } };
    assert.equal(inst.exports.f(), 2, JSON.stringify(nl));
    const lines = sourceMap.instructions.map((i) => i.line);
    assert.deepEqual(lines.slice(0, 3), [3, 4, 4], JSON.stringify(nl));
  }
});
