// Measures engine/dwarf on the fixture corpus: load + line table, first stop (frames and variables
// of one function), parsing every compile unit, heap retained, and variable formatting latency at a
// breakpoint.  node --expose-gc out/test/bench/dwarfBench.js

import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { loadDwarf, ValueFormatter, type DisplayValue, type Die } from '../../engine/dwarf';
import { markerLine, runToLine } from '../support/dwarfRun';

const ROOT = path.join(__dirname, '..', '..', '..');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed; };
const ms = (t: number): string => (performance.now() - t).toFixed(1);

const files = [
  ...fs.readdirSync(path.join(ROOT, 'test/fixtures/wasi')).filter((f) => f.endsWith('.wasm')).map((f) => `test/fixtures/wasi/${f}`),
  ...fs.readdirSync(path.join(ROOT, 'test/fixtures/dwarf')).filter((f) => f.endsWith('.wasm')).map((f) => `test/fixtures/dwarf/${f}`),
];
console.log('module                              size KB  CUs  load+lines ms  rows   first-stop ms  all-CUs ms  DIEs     heap MB(lines)  heap MB(all)');
function measure(f: string): string {
  const bytes = new Uint8Array(fs.readFileSync(path.join(ROOT, f)));
  const m = decodeModule(bytes);
  const h0 = heap();
  let t = performance.now();
  const d = loadDwarf(m);
  if (!d) return `${f} no DWARF`;
  const rows = d.lines.size;
  const tLoad = ms(t);
  const h1 = heap();
  // first stop: frames and variables at the middle row of the line table
  t = performance.now();
  const off = d.lines.rows()[Math.floor(rows / 2)]?.offset ?? 0;
  const frames = d.framesAt(off);
  if (frames.length) d.variables(frames[0]);
  const tStop = ms(t);
  t = performance.now();
  let dies = 0;
  const count = (x: Die): number => { let n = 1; for (const c of x.children) n += count(c); return n; };
  for (const u of d.units) dies += count(u.tree());
  const tAll = ms(t);
  const h2 = heap();
  const line = `${f.padEnd(36)} ${String(Math.round(bytes.length / 1024)).padStart(7)} ${String(d.units.length).padStart(4)} ${tLoad.padStart(14)} ${String(rows).padStart(6)} ${tStop.padStart(15)} ${tAll.padStart(11)} ${String(dies).padStart(8)} ${((h1 - h0) / 1e6).toFixed(1).padStart(15)} ${((h2 - h0) / 1e6).toFixed(1).padStart(13)}  errors=${d.errors.length}`;
  return d.units.length >= 0 ? line : '';
}
for (const f of files) console.log(measure(f));

// variables latency at a breakpoint: format every variable in scope and expand two levels
const walk = (v: DisplayValue, depth: number): number => 1 + (v.children && depth > 0 ? v.children().reduce((a, c) => a + walk(c, depth - 1), 0) : 0);
for (const [wasm, src] of [['vars.O0', 'vars.c'], ['classes.O0', 'classes.cpp'], ['rusty.O0', 'rusty.rs']]) {
  const file = path.join(ROOT, 'test/fixtures/dwarf', `${wasm}.wasm`);
  const line = markerLine(fs.readFileSync(path.join(ROOT, 'test/fixtures/dwarf', src), 'utf8'), 'BREAK_MAIN');
  let t = performance.now();
  const s = runToLine(file, src, line);
  const tRun = ms(t);
  const { store, dwarf, offset } = s;
  const frame = store.machine.frameList()[0];
  const { machineView } = require('../../engine/dwarf') as typeof import('../../engine/dwarf');
  const times: number[] = [];
  let nodes = 0;
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    const fmt = new ValueFormatter(dwarf, machineView(store.machine, frame));
    const frames = dwarf.framesAt(offset);
    nodes = 0;
    for (const v of dwarf.variables(frames[0])) nodes += walk(fmt.variable(v, offset), 2);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${wasm}: run to BREAK_MAIN (load, resolve, execute, first format) ${tRun} ms; variables (${nodes} nodes, 2 levels): first ${times[times.length - 1].toFixed(2)} ms, median ${times[10].toFixed(2)} ms`);
}
