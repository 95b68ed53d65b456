// Running a WASI command under Node with the real world: host standard streams, clocks, randomness,
// and the preopened directories given as `--dir HOST[:GUEST]`. For the CLI (`wasm-rewind run`).

import type { Module } from '../core/module';
import { Store } from '../runtime/store';
import { createWasi, type Wasi, type WasiOptions } from '../wasi/wasi';
import type { WasiStdio } from '../wasi/host';
import { NodeClock, NodeRandom, NodeStdio, nodePreopen } from './nodeWasiFs';

export interface NodeWasiRunOptions {
  /** argv, the program name first. */
  args: string[];
  /** "KEY=VALUE" entries. Nothing of the host environment is passed unless listed. */
  env?: string[];
  /** `HOST[:GUEST]` directory specs; none means no file system at all. */
  dirs?: string[];
  /** Default: the process's own fds 0, 1, 2. */
  stdio?: WasiStdio;
  trace?: WasiOptions['trace'];
}

/** Creates the WASI host for a Node run (exported for debuggers that drive the store themselves). */
export function nodeWasi(options: NodeWasiRunOptions): Wasi {
  return createWasi({
    args: options.args,
    env: options.env ?? [],
    preopens: (options.dirs ?? []).map(nodePreopen),
    stdio: options.stdio ?? new NodeStdio(),
    clock: new NodeClock(),
    random: new NodeRandom(),
    trace: options.trace,
  });
}

/** Instantiates a validated command module with WASI and runs `_start`. Returns the exit status;
 *  a trap propagates as `Trap`, a link failure as `LinkError`. */
export function runWasiCommand(module: Module, options: NodeWasiRunOptions, store = new Store()): number {
  const wasi = nodeWasi(options);
  const instance = store.instantiate(module, wasi.imports(store));
  return wasi.start(store, instance);
}

/** True if the module imports anything from wasi_snapshot_preview1 (then `run` should use WASI). */
export function importsWasi(module: Module): boolean {
  return module.imports.some(i => i.module === 'wasi_snapshot_preview1');
}
