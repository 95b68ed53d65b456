// Runs a WASI fixture in our engine up to a source line (breakpoints from the DWARF line table) and
// formats the variables in scope there: the harness of test/engine/dwarf*.test.ts.

import * as fs from 'node:fs';
import { decodeModule } from '../../engine/binary/decoder';
import type { Module } from '../../engine/core/module';
import { loadDwarf, machineView, ValueFormatter, type DisplayValue, type DwarfInfo } from '../../engine/dwarf';
import { Store } from '../../engine/runtime/store';
import { createWasi } from '../../engine/wasi/wasi';
import { BufferedStdio, VirtualClock, SeededRandom } from '../../engine/wasi/host';
import { ContextGuestMemory } from '../../engine/wasi/memory';

export interface Stop {
  module: Module;
  dwarf: DwarfInfo;
  store: Store;
  offset: number;
  /** Variables of the innermost frame, formatted, by name (last one wins for shadowed names). */
  vars: Map<string, DisplayValue>;
  /** Frame names, innermost first (inlined frames included). */
  frames: string[];
}

/** Source line of the first line of `src` containing `marker`. */
export function markerLine(src: string, marker: string): number {
  const i = src.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

/** Expands `v` to depth `depth` as plain data (for assertions). */
export function expand(v: DisplayValue, depth = 2): unknown {
  if (!v.children || depth === 0) return v.value;
  const out: Record<string, unknown> = { _: v.value };
  for (const c of v.children()) out[c.name] = expand(c, depth - 1);
  return out;
}

export function runToLine(wasmPath: string, file: string, line: number, hits = 1): Stop {
  const module = decodeModule(new Uint8Array(fs.readFileSync(wasmPath)));
  const dwarf = loadDwarf(module);
  if (!dwarf) throw new Error('no DWARF');
  const loc = dwarf.lines.resolveLine(file, line);
  if (!loc) throw new Error(`no code for ${file}:${line}`);
  const store = new Store();
  const wasi = createWasi({ args: ['prog'], stdio: new BufferedStdio(), clock: new VirtualClock(), random: new SeededRandom(1) });
  const inst = store.instantiate(module, wasi.imports(store));
  const mem = inst.exports.get('memory');
  if (mem && mem.kind === 'memory') wasi.setMemory(new ContextGuestMemory(store.hostContext(mem.memory)));
  for (const off of loc.offsets) {
    const fi = dwarf.funcAt(off);
    store.addBreakpoint(module, fi + module.numImportedFuncs, off);
  }
  const start = inst.exports.get('_start');
  if (!start || start.kind !== 'func') throw new Error('no _start');
  store.start(start.func, []);
  for (let h = 0; h < hits; h++) {
    const st = store.run();
    if (st !== 'breakpoint') throw new Error(`program ended (${st}) before ${file}:${line}`);
  }
  const frame = store.machine.frameList()[0];
  const offset = frame.offset;
  const machine = machineView(store.machine, frame);
  const fmt = new ValueFormatter(dwarf, machine);
  const frames = dwarf.framesAt(offset);
  const vars = new Map<string, DisplayValue>();
  if (frames.length) for (const v of dwarf.variables(frames[0])) vars.set(v.name, fmt.variable(v, offset));
  for (const g of dwarf.globals(offset)) if (!vars.has(g.name)) vars.set(g.name, fmt.variable(g, offset));
  return { module, dwarf, store, offset, vars, frames: frames.map((f) => f.name) };
}
