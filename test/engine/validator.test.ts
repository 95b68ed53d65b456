import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../engine/binary/decoder';
import { ValidationError } from '../../engine/core/errors';
import { validateModule } from '../../engine/validate/validator';
import {
  body, code, EXTERNREF, F32, F64, FUNCREF, functype, I32, I64, oneFunc, S, s32, section, str, u32, V128, vec, wasm,
  type Bytes,
} from '../support/wasmBytes';

function valid(bytes: Uint8Array): void {
  validateModule(decodeModule(bytes));
}

function invalid(bytes: Uint8Array, message: string): ValidationError {
  const m = decodeModule(bytes);
  let err: unknown;
  try { validateModule(m); } catch (e) { err = e; }
  assert.ok(err instanceof ValidationError, `expected ValidationError "${message}", got ${String(err)}`);
  assert.equal(err.message, message);
  return err;
}

const mem1 = section(S.memory, vec([[0x00, 1]]));
const i32c = (n: number): Bytes => code('i32.const', s32(n));

test('plain instructions typed from the opcode table', () => {
  valid(oneFunc([I32, I32], [I32], [], code('local.get', [0], 'local.get', [1], 'i32.add', 'end')));
  invalid(oneFunc([I32, I64], [I32], [], code('local.get', [0], 'local.get', [1], 'i32.add', 'end')), 'type mismatch');
  invalid(oneFunc([], [I32], [], code('end')), 'type mismatch');
  invalid(oneFunc([], [], [], code(...i32c(1), 'end')), 'type mismatch');
  valid(oneFunc([F64], [I64], [], code('local.get', [0], 'i64.trunc_f64_s', 'end')));
});

test('error location: byte offset of the instruction and function index', () => {
  const bytes = oneFunc([], [I32], [], code('f32.const', [0, 0, 0, 0], 'i32.eqz', 'end'));
  const e = invalid(bytes, 'type mismatch');
  assert.equal(e.funcIndex, 0);
  assert.equal(bytes[e.offset], 0x45); // i32.eqz
});

test('unreachable code: the unknown type', () => {
  valid(oneFunc([], [I32], [], code('unreachable', 'i32.add', 'end')));
  valid(oneFunc([], [I32], [], code('unreachable', 'select', 'end')));
  valid(oneFunc([], [], [], code('block', [F64], 'block', [F32], 'unreachable', ...i32c(1), 'br_table', [2, 0, 1, 1], 'end', 'drop', ...i32c(0), 'f64.convert_i32_s', 'end', 'drop', 'end')));
  invalid(oneFunc([], [], [], code('unreachable', 'i64.const', [0], 'i32.add', 'drop', 'end')), 'type mismatch');
  invalid(oneFunc([], [], [], code('block', [0x40], 'unreachable', 'end', 'i32.add', 'drop', 'end')), 'type mismatch');
});

test('blocks with type indices and multi-value', () => {
  const bytes = wasm(
    section(S.type, vec([functype([], [I32, I64]), functype([I32, I64], [I64, I32])])),
    section(S.func, vec([u32(0)])),
    section(S.code, vec([body([], code(...i32c(1), 'i64.const', [2], 'block', [1], 'drop', 'drop', ...i32c(3), 'i64.const', [4], 'end', 'drop', 'i64.const', [5], 'end'))])),
  );
  // block type 1 consumes i32 i64 and yields i64 i32: drop the i32 → i64 left; this body is wrong on purpose below
  invalid(bytes, 'type mismatch');
  valid(wasm(
    section(S.type, vec([functype([], [I32, I64]), functype([I32, I64], [I32, I64])])),
    section(S.func, vec([u32(0)])),
    section(S.code, vec([body([], code(...i32c(1), 'i64.const', [2], 'loop', [1], 'end', 'end'))])),
  ));
  invalid(oneFunc([], [], [], code('block', [5], 'end', 'end')), 'unknown type 5');
  // if without else: params must equal results
  invalid(oneFunc([], [I32], [], code(...i32c(0), 'if', [I32], ...i32c(1), 'end', 'end')), 'type mismatch');
  valid(oneFunc([], [I32], [], code(...i32c(0), 'if', [I32], ...i32c(1), 'else', ...i32c(2), 'end', 'end')));
});

test('branches', () => {
  valid(oneFunc([], [I32], [], code('block', [I32], ...i32c(1), 'br', [0], 'end', 'end')));
  invalid(oneFunc([], [], [], code('br', [1], 'end')), 'unknown label 1');
  invalid(oneFunc([], [], [], code('block', [I32], 'br', [0], 'end', 'drop', 'end')), 'type mismatch');
  valid(oneFunc([], [I32], [], code('block', [I32], ...i32c(1), ...i32c(0), 'br_if', [0], 'end', 'end')));
  // br_table: all targets must have the same arity
  invalid(oneFunc([], [], [], code('block', [0x40], 'block', [I32], ...i32c(0), 'br_table', [1, 0, 1], 'end', 'drop', 'end', 'end')), 'type mismatch');
  valid(oneFunc([], [], [], code('block', [0x40], ...i32c(0), 'br_table', [2, 0, 0, 1], 'end', 'end')));
  // loop labels take the loop's parameters
  valid(oneFunc([], [], [], code('loop', [0x40], 'br', [0], 'end', 'end')));
  valid(oneFunc([], [I32], [], code(...i32c(1), 'return', 'end')));
});

test('calls, indirect calls and tail calls', () => {
  const types = section(S.type, vec([functype([I32], [I32]), functype([], [I64])]));
  const funcs = section(S.func, vec([u32(0), u32(1)]));
  const table = section(S.table, vec([[FUNCREF, 0x00, 1]]));
  valid(wasm(types, funcs, table, section(S.code, vec([
    body([], code('local.get', [0], 'call', [0], 'end')),
    body([], code(...i32c(1), ...i32c(0), 'call_indirect', [0, 0], 'drop', 'i64.const', [0], 'end')),
  ]))));
  invalid(wasm(types, funcs, section(S.code, vec([
    body([], code('local.get', [0], 'call', [9], 'end')), body([], code('i64.const', [0], 'end')),
  ]))), 'unknown function 9');
  invalid(wasm(types, funcs, section(S.code, vec([
    body([], code('local.get', [0], ...i32c(0), 'call_indirect', [0, 0], 'end')), body([], code('i64.const', [0], 'end')),
  ]))), 'unknown table 0');
  // return_call: callee results must be the caller's
  valid(wasm(types, funcs, section(S.code, vec([
    body([], code('local.get', [0], 'return_call', [0], 'end')), body([], code('return_call', [1], 'end')),
  ]))));
  invalid(wasm(types, funcs, section(S.code, vec([
    body([], code('return_call', [1], 'end')), body([], code('i64.const', [0], 'end')),
  ]))), 'type mismatch');
  invalid(wasm(types, funcs, table, section(S.code, vec([
    body([], code(...i32c(0), 'return_call_indirect', [1, 0], 'end')), body([], code('i64.const', [0], 'end')),
  ]))), 'type mismatch');
});

test('locals and globals', () => {
  invalid(oneFunc([I32], [], [[1, I64]], code('local.get', [2], 'drop', 'end')), 'unknown local 2');
  valid(oneFunc([I32], [I64], [[1, I64]], code('local.get', [1], 'local.tee', [1], 'end')));
  const globals = section(S.global, vec([
    [I32, 0x00, ...i32c(1), ...code('end')],
    [I64, 0x01, ...code('i64.const', [0], 'end')],
  ]));
  invalid(oneFunc([], [], [], code(...i32c(1), 'global.set', [0], 'end'), [globals]), 'global is immutable');
  valid(oneFunc([], [], [], code('i64.const', [1], 'global.set', [1], 'end'), [globals]));
  invalid(oneFunc([], [], [], code('global.get', [2], 'drop', 'end'), [globals]), 'unknown global 2');
});

test('select', () => {
  valid(oneFunc([], [F32], [], code('f32.const', [0, 0, 0, 0], 'f32.const', [0, 0, 0, 0], ...i32c(1), 'select', 'end')));
  invalid(oneFunc([], [], [], code('ref.null', [FUNCREF], 'ref.null', [FUNCREF], ...i32c(1), 'select', 'drop', 'end')), 'type mismatch');
  valid(oneFunc([], [], [], code('ref.null', [FUNCREF], 'ref.null', [FUNCREF], ...i32c(1), 'select_t', [1, FUNCREF], 'drop', 'end')));
  invalid(oneFunc([], [], [], code(...i32c(1), ...i32c(1), ...i32c(1), 'select_t', [0], 'drop', 'end')), 'invalid result arity');
});

test('references: ref.func needs a declaration outside function bodies', () => {
  invalid(oneFunc([], [], [], code('ref.func', [0], 'drop', 'end')), 'undeclared function reference');
  valid(oneFunc([], [], [], code('ref.func', [0], 'drop', 'end'), [section(S.export, vec([[...str('f'), 0, 0]]))]));
  valid(oneFunc([], [], [], code('ref.func', [0], 'drop', 'end'), [section(S.elem, vec([[0x03, 0x00, ...vec([u32(0)])]]))]));
  valid(oneFunc([], [I32], [], code('ref.null', [EXTERNREF], 'ref.is_null', 'end')));
  invalid(oneFunc([], [I32], [], code(...i32c(0), 'ref.is_null', 'end')), 'type mismatch');
});

test('tables', () => {
  const tables = section(S.table, vec([[FUNCREF, 0x00, 1], [EXTERNREF, 0x00, 1]]));
  valid(oneFunc([], [], [], code(...i32c(0), 'table.get', [1], 'drop', 'end'), [tables]));
  invalid(oneFunc([], [], [], code(...i32c(0), 'ref.null', [FUNCREF], 'table.set', [1], 'end'), [tables]), 'type mismatch');
  invalid(oneFunc([], [], [], code(...i32c(0), ...i32c(0), ...i32c(0), 'table.copy', [0, 1], 'end'), [tables]), 'type mismatch');
  invalid(oneFunc([], [], [], code('table.size', [2], 'drop', 'end'), [tables]), 'unknown table 2');
  valid(oneFunc([], [I32], [], code('ref.null', [EXTERNREF], ...i32c(2), 'table.grow', [1], 'end'), [tables]));
  invalid(oneFunc([], [], [], code('elem.drop', [0], 'end'), [tables]), 'unknown elem segment 0');
  const elems = section(S.elem, vec([[0x05, EXTERNREF, ...vec([])]]));
  valid(oneFunc([], [], [], code(...i32c(0), ...i32c(0), ...i32c(0), 'table.init', [0, 1], 'end'), [tables, elems]));
  invalid(oneFunc([], [], [], code(...i32c(0), ...i32c(0), ...i32c(0), 'table.init', [0, 0], 'end'), [tables, elems]), 'type mismatch');
});

test('memory: existence, alignment, lanes, data segments', () => {
  invalid(oneFunc([], [], [], code(...i32c(0), 'i32.load', [2, 0], 'drop', 'end')), 'unknown memory 0');
  valid(oneFunc([], [], [], code(...i32c(0), 'i32.load', [2, 0], 'drop', 'end'), [mem1]));
  invalid(oneFunc([], [], [], code(...i32c(0), 'i32.load', [3, 0], 'drop', 'end'), [mem1]), 'alignment must not be larger than natural');
  invalid(oneFunc([], [], [], code(...i32c(0), 'i64.load8_u', [1, 0], 'drop', 'end'), [mem1]), 'alignment must not be larger than natural');
  const v0 = code('v128.const', new Array(16).fill(0));
  valid(oneFunc([], [I32], [], code(...v0, 'i8x16.extract_lane_u', [15], 'end')));
  invalid(oneFunc([], [I32], [], code(...v0, 'i8x16.extract_lane_u', [16], 'end')), 'invalid lane index');
  invalid(oneFunc([], [I64], [], code(...v0, 'i64x2.extract_lane', [2], 'end')), 'invalid lane index');
  invalid(oneFunc([], [], [], code(...i32c(0), ...v0, 'v128.load32_lane', [2, 0, 4], 'drop', 'end'), [mem1]), 'invalid lane index');
  invalid(oneFunc([], [V128], [], code(...v0, ...v0, 'i8x16.shuffle', [...new Array(15).fill(0), 32], 'end')), 'invalid lane index');
  invalid(oneFunc([], [], [], code('data.drop', [0], 'end'), [mem1]), 'unknown data segment 0');
  invalid(oneFunc([], [], [], code('memory.size', [0], 'drop', 'end')), 'unknown memory 0');
});

test('module-level checks', () => {
  invalid(wasm(section(S.memory, vec([[0x00, 1], [0x00, 1]]))), 'multiple memories');
  invalid(wasm(section(S.import, vec([[...str('a'), ...str('m'), 0x02, 0x00, 1]])), section(S.memory, vec([[0x00, 1]]))), 'multiple memories');
  invalid(wasm(section(S.memory, vec([[0x00, ...u32(65537)]]))), 'memory size must be at most 65536 pages (4GiB)');
  invalid(wasm(section(S.memory, vec([[0x01, 2, 1]]))), 'size minimum must not be greater than maximum');
  invalid(wasm(section(S.table, vec([[FUNCREF, 0x01, 2, 1]]))), 'size minimum must not be greater than maximum');
  valid(wasm(section(S.memory, vec([[0x01, 0, ...u32(65536)]]))));
  const ft = section(S.type, vec([functype([], []), functype([I32], [])]));
  invalid(wasm(ft, section(S.func, vec([u32(0), u32(0)])), section(S.export, vec([[...str('a'), 0, 0], [...str('a'), 0, 1]])),
    section(S.code, vec([body([], code('end')), body([], code('end'))]))), 'duplicate export name');
  invalid(wasm(ft, section(S.export, vec([[...str('a'), 0, 0]]))), 'unknown function 0');
  invalid(wasm(ft, section(S.func, vec([u32(1)])), section(S.start, u32(0)), section(S.code, vec([body([], code('end'))]))), 'start function');
  invalid(wasm(ft, section(S.func, vec([u32(7)])), section(S.code, vec([body([], code('end'))]))), 'unknown type 7');
});

test('constant expressions (with extended-const arithmetic)', () => {
  const imp = section(S.import, vec([
    [...str('a'), ...str('g'), 0x03, I32, 0x00],
    [...str('a'), ...str('m'), 0x03, I32, 0x01],
  ]));
  const g = (type: number, init: Bytes): Bytes => section(S.global, vec([[type, 0x00, ...init, ...code('end')]]));
  valid(wasm(imp, g(I32, code('global.get', [0], ...i32c(2), 'i32.mul', ...i32c(1), 'i32.sub'))));
  valid(wasm(g(I64, code('i64.const', [1], 'i64.const', [2], 'i64.add'))));
  // a deep constant expression (the scratch stack grows)
  const deep: Bytes = [];
  for (let k = 0; k < 200; k++) deep.push(...i32c(k));
  for (let k = 0; k < 199; k++) deep.push(...code('i32.add'));
  valid(wasm(g(I32, deep)));
  invalid(wasm(g(I32, [...deep, ...i32c(1)])), 'type mismatch');
  invalid(wasm(g(I32, code(...i32c(1), 'i32.clz'))), 'constant expression required');
  invalid(wasm(imp, g(I32, code('global.get', [1]))), 'constant expression required');
  invalid(wasm(g(I32, code('f32.const', [0, 0, 0, 0]))), 'type mismatch');
  invalid(wasm(g(I32, code())), 'type mismatch');
  invalid(wasm(g(I32, code(...i32c(0), ...i32c(0)))), 'type mismatch');
  // defined globals are not visible in constant expressions (Wasm 2.0)
  invalid(wasm(section(S.global, vec([[I32, 0x00, ...i32c(0), ...code('end')], [I32, 0x00, ...code('global.get', [0], 'end')]]))), 'unknown global 0');
  // elem / data offsets
  invalid(wasm(section(S.memory, vec([[0x00, 1]])), section(S.data, vec([[0x00, ...code('i64.const', [0], 'end'), ...vec([])]]))), 'type mismatch');
  invalid(wasm(section(S.data, vec([[0x00, ...i32c(0), ...code('end'), ...vec([])]]))), 'unknown memory 0');
  invalid(wasm(section(S.table, vec([[EXTERNREF, 0x00, 1]])), section(S.elem, vec([[0x00, ...i32c(0), ...code('end'), ...vec([])]]))), 'type mismatch');
  invalid(wasm(section(S.elem, vec([[0x00, ...i32c(0), ...code('end'), ...vec([])]]))), 'unknown table 0');
  invalid(wasm(section(S.elem, vec([[0x05, FUNCREF, ...vec([code('ref.null', [EXTERNREF], 'end')])]]))), 'type mismatch');
  void I64; void F64;
});
