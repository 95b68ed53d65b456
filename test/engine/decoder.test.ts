import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../engine/binary/decoder';
import { DecodeError } from '../../engine/core/errors';
import { InstrReader } from '../../engine/core/instr';
import { Op } from '../../engine/core/opcodes';
import {
  body, code, custom, EXTERNREF, F32, FUNCREF, functype, I32, I64, oneFunc, s32, S, section, str, u32, vec, wasm,
} from '../support/wasmBytes';

function malformed(bytes: Uint8Array, message: string, offset?: number): void {
  assert.throws(() => decodeModule(bytes), (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.equal(e.message, message);
    if (offset !== undefined) assert.equal(e.offset, offset, `offset of "${message}"`);
    return true;
  });
}

test('empty module', () => {
  const m = decodeModule(wasm());
  assert.equal(m.types.length, 0);
  assert.equal(m.funcs.length, 0);
  assert.equal(m.start, null);
  assert.equal(m.dataCount, null);
});

test('header errors', () => {
  malformed(new Uint8Array([]), 'unexpected end', 0);
  malformed(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0]), 'unexpected end', 4);
  malformed(new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), 'magic header not detected', 0);
  malformed(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 'unknown binary version', 4);
  malformed(wasm([13, 0]), 'malformed section id', 8);
});

test('type, import, function, table, memory, global, export, start sections', () => {
  const bytes = wasm(
    section(S.type, vec([functype([I32, I64], [F32]), functype([], [])])),
    section(S.import, vec([
      [...str('env'), ...str('f'), 0x00, ...u32(0)],
      [...str('env'), ...str('t'), 0x01, FUNCREF, 0x01, ...u32(1), ...u32(10)],
      [...str('env'), ...str('m'), 0x02, 0x00, ...u32(2)],
      [...str('env'), ...str('g'), 0x03, I32, 0x00],
    ])),
    section(S.func, vec([u32(1), u32(0)])),
    section(S.table, vec([[EXTERNREF, 0x00, ...u32(3)]])),
    section(S.global, vec([[I64, 0x01, ...code('i64.const'), ...s32(-5), ...code('end')]])),
    section(S.export, vec([
      [...str('run'), 0x00, ...u32(1)],
      [...str('mem'), 0x02, ...u32(0)],
    ])),
    section(S.start, u32(1)),
    section(S.code, vec([
      body([], code('end')),
      body([[2, I32], [1, F32]], code('local.get', [0], 'drop', 'f32.const', [0, 0, 0, 0], 'end')),
    ])),
  );
  const m = decodeModule(bytes);
  assert.equal(m.types.length, 2);
  assert.deepEqual(m.types[0], { params: [I32, I64], results: [F32] });
  assert.equal(m.imports.length, 4);
  assert.deepEqual(m.imports[0].desc, { kind: 'func', typeIndex: 0 });
  assert.deepEqual(m.imports[1].desc, { kind: 'table', type: { elem: FUNCREF, limits: { min: 1, max: 10 } } });
  assert.deepEqual(m.imports[2].desc, { kind: 'memory', type: { limits: { min: 2, max: null } } });
  assert.deepEqual(m.imports[3].desc, { kind: 'global', type: { type: I32, mutable: false } });
  assert.equal(m.numImportedFuncs, 1);
  assert.equal(m.numImportedTables, 1);
  assert.equal(m.numImportedMemories, 1);
  assert.equal(m.numImportedGlobals, 1);
  assert.deepEqual(m.funcTypeIndices, [0, 1, 0]);
  assert.equal(m.allTables.length, 2);
  assert.equal(m.allTables[1].elem, EXTERNREF);
  assert.equal(m.allGlobals.length, 2);
  assert.deepEqual(m.globals[0].type, { type: I64, mutable: true });
  assert.equal(m.bytes[m.globals[0].init.end - 1], 0x0b);
  assert.deepEqual(m.exports.map((e) => [e.name, e.kind, e.index]), [['run', 'func', 1], ['mem', 'memory', 0]]);
  assert.equal(m.start, 1);
  assert.equal(m.funcs.length, 2);
  assert.deepEqual(m.funcs[1].locals, [I32, I32, F32]);
  // code ranges: the last byte is the function's `end`
  const f = m.funcs[1];
  assert.equal(m.bytes[f.codeEnd - 1], 0x0b);
  const r = new InstrReader(m.bytes, f.codeStart, f.codeEnd);
  r.next();
  assert.equal(r.op, Op.local_get);
  assert.equal(r.offset, f.codeStart);
});

test('element segments: all 8 encodings', () => {
  const offset = code('i32.const', [0], 'end');
  const refFunc = code('ref.func', [0], 'end');
  const nullExt = code('ref.null', [EXTERNREF], 'end');
  const segs = [
    [0x00, ...offset, ...vec([u32(0)])],
    [0x01, 0x00, ...vec([u32(0), u32(0)])],
    [0x02, ...u32(1), ...offset, 0x00, ...vec([u32(0)])],
    [0x03, 0x00, ...vec([u32(0)])],
    [0x04, ...offset, ...vec([refFunc])],
    [0x05, EXTERNREF, ...vec([nullExt, nullExt])],
    [0x06, ...u32(1), ...offset, FUNCREF, ...vec([refFunc])],
    [0x07, FUNCREF, ...vec([refFunc])],
  ];
  const m = decodeModule(wasm(
    section(S.type, vec([functype([], [])])),
    section(S.func, vec([u32(0)])),
    section(S.table, vec([[FUNCREF, 0x00, 1], [FUNCREF, 0x00, 1]])),
    section(S.elem, vec(segs)),
    section(S.code, vec([body([], code('end'))])),
  ));
  assert.deepEqual(m.elems.map((e) => e.mode), ['active', 'passive', 'active', 'declarative', 'active', 'passive', 'active', 'declarative']);
  assert.deepEqual(m.elems.map((e) => e.table), [0, 0, 1, 0, 0, 0, 1, 0]);
  assert.deepEqual(m.elems.map((e) => e.type), [FUNCREF, FUNCREF, FUNCREF, FUNCREF, FUNCREF, EXTERNREF, FUNCREF, FUNCREF]);
  assert.deepEqual(m.elems[1].items, [0, 0]);
  assert.equal(m.elems[1].offset, null);
  assert.ok(m.elems[0].offset !== null);
  const item = m.elems[4].items[0];
  assert.ok(typeof item === 'object');
  assert.equal(m.bytes[item.start], 0xd2);
  assert.equal(m.elems[5].items.length, 2);
  malformed(wasm(section(S.elem, vec([[0x08]]))), 'malformed elements segment kind');
  malformed(wasm(section(S.elem, vec([[0x01, 0x01, 0x00]]))), 'malformed element kind');
});

test('data segments (3 encodings) and data count', () => {
  const m = decodeModule(wasm(
    section(S.memory, vec([[0x00, 1]])),
    section(S.datacount, u32(3)),
    section(S.data, vec([
      [0x00, ...code('i32.const', [8], 'end'), ...vec([[1], [2]])],
      [0x01, ...vec([[3]])],
      [0x02, ...u32(0), ...code('i32.const', [0], 'end'), ...vec([])],
    ])),
  ));
  assert.equal(m.dataCount, 3);
  assert.deepEqual(m.datas.map((d) => d.mode), ['active', 'passive', 'active']);
  assert.deepEqual([...m.datas[0].data], [1, 2]);
  assert.deepEqual([...m.datas[1].data], [3]);
  assert.equal(m.datas[2].data.length, 0);
  malformed(wasm(section(S.datacount, u32(2)), section(S.data, vec([[0x01, 0]]))), 'data count and data section have inconsistent lengths');
  malformed(wasm(section(S.data, vec([[0x03]]))), 'malformed data segment kind');
});

test('memory.init / data.drop need the data count section when there are data segments', () => {
  const t = section(S.type, vec([functype([], [])]));
  const f = section(S.func, vec([u32(0)]));
  const mem = section(S.memory, vec([[0x00, 1]]));
  const c = section(S.code, vec([body([], code('data.drop', [0], 'end'))]));
  const d = section(S.data, vec([[0x01, ...vec([[1]])]]));
  malformed(wasm(t, f, mem, c, d), 'data count section required');
  decodeModule(wasm(t, f, mem, section(S.datacount, u32(1)), c, d));
});

test('custom sections and the name section', () => {
  const names = [
    ...section(0, str('mod')),
    ...section(1, vec([[...u32(0), ...str('main')], [...u32(1), ...str('helper')]])),
    ...section(2, vec([[...u32(0), ...vec([[...u32(0), ...str('x')], [...u32(1), ...str('y')]])]])),
    ...section(3, vec([[...u32(0), ...vec([[...u32(0), ...str('outer')]])]])),
    ...section(4, vec([[...u32(0), ...str('sig')]])),
    ...section(5, vec([[...u32(0), ...str('tab')]])),
    ...section(6, vec([[...u32(0), ...str('mem')]])),
    ...section(7, vec([[...u32(0), ...str('glob')]])),
    ...section(8, vec([[...u32(0), ...str('el')]])),
    ...section(9, vec([[...u32(0), ...str('dat')]])),
  ];
  const m = decodeModule(wasm(custom('producers', [1, 2, 3]), custom('name', names)));
  assert.equal(m.customs.length, 2);
  assert.equal(m.customs[0].name, 'producers');
  assert.deepEqual([...m.bytes.subarray(m.customs[0].start, m.customs[0].end)], [1, 2, 3]);
  const n = m.names;
  assert.equal(n.moduleName, 'mod');
  assert.equal(n.funcNames.get(1), 'helper');
  assert.equal(n.localNames.get(0)?.get(1), 'y');
  assert.equal(n.labelNames.get(0)?.get(0), 'outer');
  assert.equal(n.typeNames.get(0), 'sig');
  assert.equal(n.tableNames.get(0), 'tab');
  assert.equal(n.memoryNames.get(0), 'mem');
  assert.equal(n.globalNames.get(0), 'glob');
  assert.equal(n.elemNames.get(0), 'el');
  assert.equal(n.dataNames.get(0), 'dat');
});

test('a malformed name section does not fail decoding; names before the error are kept', () => {
  const names = [
    ...section(0, str('ok')),
    ...section(1, [...u32(2), ...u32(0), ...str('f0'), ...u32(1), 0x05, 0xff]), // truncated / bad UTF-8
  ];
  const m = decodeModule(wasm(custom('name', names)));
  assert.equal(m.names.moduleName, 'ok');
  assert.equal(m.names.funcNames.get(0), 'f0');
  assert.equal(m.names.funcNames.has(1), false);
  const m2 = decodeModule(wasm(custom('name', [0xff, 0xff, 0xff])));
  assert.equal(m2.names.moduleName, null);
});

test('custom section name must be valid UTF-8 and within the section', () => {
  malformed(wasm(section(0, [2, 0xc0, 0x80])), 'malformed UTF-8 encoding', 10);
  malformed(wasm(section(0, [5, 0x61])), 'length out of bounds', 10);
});

test('section order and uniqueness', () => {
  const t = section(S.type, vec([]));
  malformed(wasm(t, t), 'unexpected content after last section', 11);
  malformed(wasm(section(S.memory, vec([])), section(S.table, vec([]))), 'unexpected content after last section');
  // data count goes between element and code
  decodeModule(wasm(section(S.elem, vec([])), section(S.datacount, u32(0)), section(S.code, vec([]))));
  malformed(wasm(section(S.code, vec([])), section(S.datacount, u32(0))), 'unexpected content after last section');
  // custom sections anywhere
  decodeModule(wasm(custom('a', []), t, custom('b', []), section(S.code, vec([])), custom('c', [])));
});

test('section size mismatch and counts', () => {
  malformed(wasm([S.type, 3, 1, 0x60, 0, 0]), 'section size mismatch');
  malformed(wasm([S.type, 10, 1]), 'length out of bounds');
  malformed(wasm(section(S.type, vec([functype([], [])])), section(S.func, vec([u32(0)]))), 'function and code section have inconsistent lengths');
  malformed(wasm(section(S.type, vec([functype([], [])])), section(S.code, vec([body([], code('end'))]))), 'function and code section have inconsistent lengths', 8 + 6 + 2);
  malformed(wasm(section(S.datacount, u32(1))), 'data count and data section have inconsistent lengths', 10);
});

test('malformed field encodings', () => {
  malformed(wasm(section(S.import, vec([[...str('a'), ...str('b'), 0x04, 0]]))), 'malformed import kind');
  malformed(wasm(section(S.global, vec([[I32, 0x02, ...code('i32.const', [0], 'end')]]))), 'malformed mutability');
  malformed(wasm(section(S.table, vec([[0x7f, 0x00, 0]]))), 'malformed reference type');
  malformed(wasm(section(S.memory, vec([[0x02, 0]]))), 'integer too large');
  malformed(wasm(section(S.type, vec([[0x60, 1, 0x50, 0]]))), 'malformed value type');
  malformed(wasm(section(S.export, vec([[...str('x'), 0x04, 0]]))), 'malformed export kind');
});

test('function bodies: opcodes, immediates and structure', () => {
  malformed(oneFunc([], [], [], [0xff, 0x0b]), 'illegal opcode');
  malformed(oneFunc([], [], [], code('memory.size', [1], 'drop', 'end')), 'zero byte expected');
  malformed(oneFunc([], [], [], code('i32.const', [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'drop', 'end')), 'integer representation too long');
  // missing end, function followed by another in the section
  const t = section(S.type, vec([functype([], [])]));
  const f2 = section(S.func, vec([u32(0), u32(0)]));
  malformed(wasm(t, f2, section(S.code, vec([body([], code('nop')), body([], code('end'))]))), 'END opcode expected');
  // missing end at the end of the module
  malformed(oneFunc([], [], [], code('nop')), 'unexpected end of section or function');
  // else outside an if, a second else
  malformed(oneFunc([], [], [], code('block', [0x40], 'else', 'end', 'end')), 'END opcode expected');
  malformed(oneFunc([], [], [], code('i32.const', [0], 'if', [0x40], 'else', 'else', 'end', 'end')), 'END opcode expected');
  // content after the final end, inside the body
  malformed(oneFunc([], [], [], code('end', 'nop')), 'section size mismatch');
  // a well-nested body decodes
  const m = decodeModule(oneFunc([], [], [], code('block', [0x40], 'loop', [0x40], 'i32.const', [1], 'if', [0x40], 'else', 'end', 'end', 'end', 'end')));
  assert.equal(m.funcs.length, 1);
});

test('too many locals: counted before expanding', () => {
  malformed(oneFunc([], [], [[0xffffffff, I32], [2, I64]], code('end')), 'too many locals');
  malformed(oneFunc([], [], [[0x40000000, I32], [0x40000000, I64], [0x40000000, F32], [0x40000000, I32]], code('end')), 'too many locals');
  const m = decodeModule(oneFunc([], [], [[3, I32]], code('end')));
  assert.equal(m.funcs[0].locals.length, 3);
});

test('padded LEB128s are accepted', () => {
  const m = decodeModule(wasm(section(S.type, [0x81, 0x80, 0x80, 0x00, 0x60, 0x80, 0x00, 0x00])));
  assert.equal(m.types.length, 1);
});

test('error offsets point at the offending byte', () => {
  const bytes = oneFunc([], [], [], [0x01, 0xff, 0x0b]);
  try {
    decodeModule(bytes);
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof DecodeError);
    assert.equal(bytes[e.offset], 0xff);
  }
});
