// Micro-benchmark of the interpreter's dispatch: ns per retired wasm instruction on small loops (a sum
// loop, an xorshift loop, recursive fib), this engine vs Node's own WebAssembly in the same process.
// Medians of several runs; CPU time of this process (process.cpuUsage), which is less disturbed than
// wall time when other work shares the machine. A measurement, not a test.
//
// Usage: node out/test/bench/interpLoop.js [--runs N] [--n ITERATIONS]
import { assembleWat } from '../../engine/wat/assembler';
import { decodeModule } from '../../engine/binary/decoder';
import { Store } from '../../engine/runtime/store';
import { i32 } from '../../engine/runtime/values';
import { loadavg } from 'node:os';

const WAT = `(module
  (func (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func (export "xorshift") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 2463534242))
    (loop
      (local.set 1 (i32.xor (local.get 1) (i32.shl (local.get 1) (i32.const 13))))
      (local.set 1 (i32.xor (local.get 1) (i32.shr_u (local.get 1) (i32.const 17))))
      (local.set 1 (i32.xor (local.get 1) (i32.shl (local.get 1) (i32.const 5))))
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`;

function cpuNs(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) * 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
  const runs = opt('--runs', 5);
  const n = opt('--n', 1e7);
  const bytes = assembleWat(WAT).binary;
  const store = new Store();
  const inst = store.instantiate(decodeModule(bytes), () => undefined);
  const WA = (globalThis as unknown as { WebAssembly: { Instance: new (m: object) => { exports: Record<string, (x: number) => number> }; Module: new (b: Uint8Array) => object } }).WebAssembly;
  const v8 = new WA.Instance(new WA.Module(bytes)).exports;
  console.log(`interpLoop: ${runs} runs, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  // Machine-speed reference: one iteration of a trivial optimized JS loop (about 1 cycle when idle).
  const spin = (k: number) => { let x = 0; for (let j = 0; j < k; j++) x = (x + (j ^ 7)) | 0; return x; };
  spin(1e6);
  const cal = median(Array.from({ length: runs }, () => cpuNs(() => { spin(2e8); }))) / 2e8;
  console.log(`calibration: trivial JS loop ${cal.toFixed(3)} ns/iteration`);
  for (const [name, arg] of [['sum', n], ['xorshift', n], ['fib', 27]] as const) {
    const ext = inst.exports.get(name);
    if (!ext || ext.kind !== 'func') throw new Error(name);
    const te: number[] = [], tv: number[] = [];
    let instrs = 0;
    for (let r = 0; r < runs; r++) {
      let got = 0, want = 0;
      const c0 = store.instructionCount;
      te.push(cpuNs(() => { got = (store.invoke(ext.func, [i32(arg)])[0] as { bits: number }).bits; }));
      instrs = store.instructionCount - c0;
      tv.push(cpuNs(() => { want = v8[name](arg) | 0; }));
      if (got !== want) throw new Error(`${name}: engine ${got}, V8 ${want}`);
    }
    const e = median(te), v = median(tv);
    console.log(`${name.padEnd(9)} ${instrs} instructions: engine ${(e / instrs).toFixed(2)} ns/instr (${(e / 1e6).toFixed(0)} ms), ` +
      `V8 ${(v / instrs).toFixed(3)} ns/instr (${(v / 1e6).toFixed(1)} ms), engine/V8 ${(e / v).toFixed(0)}x, ` +
      `${(e / instrs / cal).toFixed(1)} calibration loops per instruction`);
  }
}
main();
