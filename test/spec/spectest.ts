// The `spectest` host module every testsuite script may import from.
import type { Store } from '../../engine/runtime/store';
import type { ExternValue } from '../../engine/runtime/store';
import { ValType } from '../../engine/core/types';
import { f32, f64, i32, i64 } from '../../engine/runtime/values';

export function createSpectest(store: Store, print: (line: string) => void = () => {}): Map<string, ExternValue> {
  const m = new Map<string, ExternValue>();
  const fn = (name: string, params: ValType[]) => {
    m.set(name, {
      kind: 'func',
      func: store.hostFunction({ params, results: [] }, (args) => {
        print(`${name}(${args.map((a) => ('bits' in a ? String(a.bits) : '?')).join(', ')})`);
        return [];
      }, `spectest.${name}`),
    });
  };
  fn('print', []);
  fn('print_i32', [ValType.I32]);
  fn('print_i64', [ValType.I64]);
  fn('print_f32', [ValType.F32]);
  fn('print_f64', [ValType.F64]);
  fn('print_i32_f32', [ValType.I32, ValType.F32]);
  fn('print_f64_f64', [ValType.F64, ValType.F64]);
  m.set('global_i32', { kind: 'global', global: store.createGlobal({ type: ValType.I32, mutable: false }, i32(666)) });
  m.set('global_i64', { kind: 'global', global: store.createGlobal({ type: ValType.I64, mutable: false }, i64(666n)) });
  m.set('global_f32', { kind: 'global', global: store.createGlobal({ type: ValType.F32, mutable: false }, f32(666.6)) });
  m.set('global_f64', { kind: 'global', global: store.createGlobal({ type: ValType.F64, mutable: false }, f64(666.6)) });
  m.set('table', { kind: 'table', table: store.createTable({ elem: ValType.FuncRef, limits: { min: 10, max: 20 } }) });
  m.set('memory', { kind: 'memory', memory: store.createMemory({ limits: { min: 1, max: 2 } }) });
  return m;
}
