// Runs WASI programs three ways for differential tests: under Node's own `node:wasi` (the oracle),
// under V8 with OUR WASI layer as the imports (checks the WASI layer alone), and under our engine's
// interpreter with our WASI layer (once engine/runtime/store.ts exists; see wasiEngineRunner.ts).
// Each run gets a fresh copy of a sandbox directory; the result carries stdout, stderr, the exit
// code or trap, and a snapshot of the sandbox afterwards.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WASI } from 'node:wasi';
import { createWasi, WasiExit, type Wasi } from '../../engine/wasi/wasi';
import { BufferedStdio, VirtualClock } from '../../engine/wasi/host';
import { ArrayGuestMemory } from '../../engine/wasi/memory';
import { NodeClock, NodeRandom, NodeWasiFileSystem } from '../../engine/node/nodeWasiFs';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store } from '../../engine/runtime/store';
import { Trap } from '../../engine/core/errors';

// The project's TypeScript lib set has no WebAssembly declarations: a minimal typed view of V8's.
interface V8Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: V8Wasm }).WebAssembly;

export interface WasiRunSpec {
  wasm: string;              // path of the .wasm file
  args?: string[];           // argv after the program name
  env?: Record<string, string>;
  stdin?: string;
  /** Files to create in the sandbox before the run (relative path → content; '…/' = directory). */
  sandbox?: Record<string, string>;
  /** Guest name of the sandbox preopen. */
  guestDir?: string;
  /** Use a deterministic virtual clock for our runs. */
  virtualClock?: boolean;
}

export interface WasiRunResult {
  stdout: string;
  stderr: string;
  /** Exit status (from proc_exit or a normal return), or null if it trapped. */
  exitCode: number | null;
  /** Trap message, if the program trapped. */
  trap: string | null;
  /** Sandbox contents afterwards: "path" → content, "dir/" → '', "link@" → target. */
  files: Record<string, string>;
}

export function makeSandbox(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-sandbox-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (rel.endsWith('/')) { fs.mkdirSync(p, { recursive: true }); continue; }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (rel.endsWith('@')) fs.symlinkSync(content, p.slice(0, -1));
    else fs.writeFileSync(p, content);
  }
  return dir;
}

export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out[`${prefix}${name}@`] = fs.readlinkSync(p);
      else if (st.isDirectory()) { out[`${prefix}${name}/`] = ''; walk(p, `${prefix}${name}/`); }
      else out[prefix + name] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

/** V8's trap messages in the official testsuite's words (as our engine reports them). */
export function specTrapText(message: string): string {
  if (/unreachable/.test(message)) return 'unreachable';
  if (/memory access out of bounds/.test(message)) return 'out of bounds memory access';
  if (/divide by zero/.test(message)) return 'integer divide by zero';
  if (/Maximum call stack|call stack/.test(message)) return 'call stack exhausted';
  return message;
}

function argv(spec: WasiRunSpec): string[] {
  return [path.basename(spec.wasm), ...(spec.args ?? [])];
}

/** Runs under Node's node:wasi (preview1). */
export function runNodeWasi(spec: WasiRunSpec): WasiRunResult {
  const sandbox = makeSandbox(spec.sandbox);
  const io = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-io-'));
  const inPath = path.join(io, 'stdin'), outPath = path.join(io, 'stdout'), errPath = path.join(io, 'stderr');
  fs.writeFileSync(inPath, spec.stdin ?? '');
  const fin = fs.openSync(inPath, 'r'), fout = fs.openSync(outPath, 'w'), ferr = fs.openSync(errPath, 'w');
  let exitCode: number | null = null;
  let trap: string | null = null;
  try {
    const wasi = new WASI({
      version: 'preview1', args: argv(spec), env: spec.env ?? {},
      preopens: { [spec.guestDir ?? '/sandbox']: sandbox }, stdin: fin, stdout: fout, stderr: ferr, returnOnExit: true,
    });
    const mod = new WA.Module(fs.readFileSync(spec.wasm));
    const inst = new WA.Instance(mod, wasi.getImportObject());
    try {
      exitCode = wasi.start(inst as never);
    } catch (e) {
      trap = specTrapText((e as Error).message);
    }
  } finally {
    fs.closeSync(fin); fs.closeSync(fout); fs.closeSync(ferr);
  }
  const result = {
    stdout: fs.readFileSync(outPath, 'utf8'), stderr: fs.readFileSync(errPath, 'utf8'), exitCode, trap,
    files: snapshotDir(sandbox),
  };
  fs.rmSync(io, { recursive: true, force: true });
  fs.rmSync(sandbox, { recursive: true, force: true });
  return result;
}

/** Builds our WASI for a spec over a fresh sandbox; returns it with the stdio and the dir. */
export function ourWasi(spec: WasiRunSpec): { wasi: Wasi; stdio: BufferedStdio; sandbox: string } {
  const sandbox = makeSandbox(spec.sandbox);
  const stdio = new BufferedStdio(spec.stdin ?? '');
  const wasi = createWasi({
    args: argv(spec), env: spec.env ?? {}, stdio,
    preopens: [{ guestPath: spec.guestDir ?? '/sandbox', fs: new NodeWasiFileSystem(sandbox) }],
    clock: spec.virtualClock ? new VirtualClock() : new NodeClock(), random: new NodeRandom(),
  });
  return { wasi, stdio, sandbox };
}

export function finish(wasi: Wasi, stdio: BufferedStdio, sandbox: string, exitCode: number | null, trap: string | null): WasiRunResult {
  const files = snapshotDir(sandbox);
  fs.rmSync(sandbox, { recursive: true, force: true });
  if (wasi.hostErrors.length) throw new Error(`WASI host errors: ${wasi.hostErrors.map(String).join('; ')}`);
  return { stdout: stdio.stdoutText(), stderr: stdio.stderrText(), exitCode, trap, files };
}

/** Runs under V8 with our WASI layer providing every import. */
export function runOurWasiOnV8(spec: WasiRunSpec): WasiRunResult {
  const { wasi, stdio, sandbox } = ourWasi(spec);
  const imports: Record<string, (...a: (number | bigint)[]) => number | undefined> = {};
  for (const f of wasi.hostFunctions()) {
    imports[f.name] = (...a) => {
      const r = wasi.call(f.name, a);
      return f.type.results.length ? r : undefined;
    };
  }
  const mod = new WA.Module(fs.readFileSync(spec.wasm));
  const inst = new WA.Instance(mod, { wasi_snapshot_preview1: imports });
  const memory = inst.exports.memory as { buffer: ArrayBuffer };
  wasi.setMemory(new ArrayGuestMemory(() => new Uint8Array(memory.buffer)));
  let exitCode: number | null = null;
  let trap: string | null = null;
  try {
    (inst.exports._start as () => void)();
    exitCode = 0;
  } catch (e) {
    if (e instanceof WasiExit) exitCode = e.exitCode;
    else trap = specTrapText((e as Error).message);
  }
  return finish(wasi, stdio, sandbox, exitCode, trap);
}

/** Runs in our engine (decoder, validator, interpreter) with our WASI layer. */
export function runOurWasiOnEngine(spec: WasiRunSpec): WasiRunResult {
  const { wasi, stdio, sandbox } = ourWasi(spec);
  const module = decodeModule(new Uint8Array(fs.readFileSync(spec.wasm)));
  validateModule(module);
  const store = new Store();
  let exitCode: number | null = null;
  let trap: string | null = null;
  try {
    const instance = store.instantiate(module, wasi.imports(store));
    exitCode = wasi.start(store, instance);
  } catch (e) {
    if (!(e instanceof Trap)) { fs.rmSync(sandbox, { recursive: true, force: true }); throw e; }
    trap = e.message;
  }
  return finish(wasi, stdio, sandbox, exitCode, trap);
}
