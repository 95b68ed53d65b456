// The `wasm-rewind` command line. Node-specific (file access), hence under engine/node/.
//   wasm-rewind run <module.wasm|module.wat> [--dir D] [--env K=V] [--invoke NAME [VALUES...]] [-- ARGS...]
//   wasm-rewind record | replay | info ...   (recordings: engine/node/rewindCli.ts)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { importsWasi, nodeWasi, runWasiCommand } from './wasiRun';
import { decodeModule } from '../binary/decoder';
import { validateModule } from '../validate/validator';
import { assembleWat } from '../wat/assembler';
import { Store } from '../runtime/store';
import { DecodeError, LinkError, ParseError, Trap, ValidationError, WasmError } from '../core/errors';
import { ValType, valTypeName, funcTypeToString, type FuncType } from '../core/types';
import { formatValue, f32, f64, i32, i64, type WasmValue } from '../runtime/values';
import { rewindMain, RECORD_USAGE } from './rewindCli';

const USAGE = `usage: wasm-rewind run <module.wasm|module.wat> [options] [-- ARGS...]

Runs a WebAssembly module in the Wasm Rewind engine.
  A WASI command (imports wasi_snapshot_preview1 or exports _start) runs _start with ARGS as its
  argv, streams stdout/stderr and exits with the program's exit code (134 on a trap).
  --invoke NAME [VALUES...]  call the exported function NAME with VALUES (decimal or 0x-hex integers,
                             floats, nan, inf) and print its results, one per line
  --dir HOST[:GUEST]         preopen a host directory (repeatable; none = no file system)
  --env KEY=VALUE            set an environment variable for the program (repeatable)
Without --invoke and without WASI, the module is instantiated, which runs its start function.

${RECORD_USAGE}`;

/** Exit status of a run that trapped (128 + SIGABRT, as native runtimes report an abort). */
export const TRAP_EXIT = 134;

export class UsageError extends Error {}

/** An integer literal (decimal or 0x-hex, optional sign and underscores) that fits `bits` bits as
 *  either a signed or an unsigned number. */
function parseInteger(s: string, bits: number): bigint {
  if (!/^[+-]?(0x[0-9a-f_]+|[0-9_]+)$/i.test(s)) throw new UsageError(`not an i${bits}: ${s}`);
  const neg = s.startsWith('-');
  const mag = BigInt(s.replace(/^[+-]/, '').replace(/_/g, ''));
  const v = neg ? -mag : mag;
  if (v < -(2n ** BigInt(bits - 1)) || v >= 2n ** BigInt(bits)) throw new UsageError(`i${bits} out of range: ${s}`);
  return v;
}

/** Parse one command-line argument as a value of type `t`. */
export function parseArg(text: string, t: ValType): WasmValue {
  const s = text.trim();
  switch (t) {
    case ValType.I32: return i32(Number(BigInt.asIntN(32, parseInteger(s, 32))));
    case ValType.I64: return i64(BigInt.asIntN(64, parseInteger(s, 64)));
    case ValType.F32: case ValType.F64: {
      const lower = s.toLowerCase();
      let x: number;
      if (/^[+-]?nan$/.test(lower)) x = NaN;
      else if (/^[+-]?inf(inity)?$/.test(lower)) x = lower.startsWith('-') ? -Infinity : Infinity;
      else {
        x = Number(s.replace(/_/g, ''));
        if (s === '' || Number.isNaN(x)) throw new UsageError(`not a ${valTypeName(t)}: ${text}`);
      }
      return t === ValType.F32 ? f32(x) : f64(x);
    }
    default:
      throw new UsageError(`cannot pass a ${valTypeName(t)} argument from the command line`);
  }
}

function loadModuleBytes(path: string): Uint8Array {
  const data = readFileSync(path);
  if (path.endsWith('.wat') || path.endsWith('.wast')) return assembleWat(data.toString('utf8')).binary;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

interface RunOptions {
  file: string;
  invoke: string | null;
  values: string[];
  dirs: string[];
  env: string[];
  programArgs: string[];
}

function parseRunArgs(rest: string[]): RunOptions {
  const file = rest[0];
  if (!file || file.startsWith('--')) throw new UsageError('run: missing module file');
  const o: RunOptions = { file, invoke: null, values: [], dirs: [], env: [], programArgs: [] };
  for (let i = 1; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v === '--') throw new UsageError(`run: ${a} needs a value`);
      return v;
    };
    if (a === '--') { o.programArgs = rest.slice(i + 1); break; }
    else if (a === '--dir') o.dirs.push(value());
    else if (a === '--env') {
      const kv = value();
      if (!/^[^=]+=/.test(kv)) throw new UsageError(`run: --env expects KEY=VALUE, got '${kv}'`);
      o.env.push(kv);
    } else if (a === '--invoke') {
      o.invoke = value();
      while (i + 1 < rest.length && !/^--[a-z]/.test(rest[i + 1]) && rest[i + 1] !== '--') o.values.push(rest[++i]);
    } else throw new UsageError(`run: unexpected argument '${a}'`);
  }
  return o;
}

/** Runs the CLI; returns the process exit code. */
export function main(argv: string[], io: CliIo): number {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') { (cmd ? io.out : io.err)(USAGE); return cmd ? 0 : 2; }
  if (cmd === 'record' || cmd === 'replay' || cmd === 'info') return rewindMain(cmd, rest, io);
  if (cmd !== 'run') { io.err(`wasm-rewind: unknown command '${cmd}'\n${USAGE}`); return 2; }
  let o: RunOptions;
  try { o = parseRunArgs(rest); } catch (e) { io.err(`wasm-rewind ${(e as Error).message}\n\n${USAGE}`); return 2; }
  const file = o.file;
  try {
    for (const d of o.dirs) {
      const host = d.includes(':') ? d.slice(0, d.indexOf(':')) : d;
      if (!existsSync(host) || !statSync(host).isDirectory()) throw new UsageError(`--dir ${d}: no such directory '${host}'`);
    }
    const bytes = loadModuleBytes(file);
    const module = decodeModule(bytes);
    validateModule(module);
    const store = new Store();
    const isCommand = importsWasi(module) || module.exports.some((e) => e.kind === 'func' && e.name === '_start');
    if (o.invoke === null && isCommand) {
      try {
        return runWasiCommand(module, { args: [file, ...o.programArgs], env: o.env, dirs: o.dirs }, store);
      } catch (e) {
        if (e instanceof Trap) { io.err(describeError(file, e)); return TRAP_EXIT; }
        throw e;
      }
    }
    const wasi = importsWasi(module) ? nodeWasi({ args: [file, ...o.programArgs], env: o.env, dirs: o.dirs }) : null;
    const instance = store.instantiate(module, wasi ? wasi.imports(store) : () => undefined);
    if (o.invoke !== null) {
      const ext = instance.exports.get(o.invoke);
      if (!ext || ext.kind !== 'func') {
        const names = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
        io.err(`wasm-rewind: no exported function '${o.invoke}' (exports: ${names.join(', ') || 'none'})`);
        return 1;
      }
      const exp = module.exports.find((e) => e.name === o.invoke)!;
      const type: FuncType = module.types[module.funcTypeIndices[exp.index]];
      if (o.values.length !== type.params.length) {
        io.err(`wasm-rewind: ${o.invoke} takes ${type.params.length} argument(s) ${funcTypeToString(type)}, got ${o.values.length}`);
        return 2;
      }
      const values = o.values.map((a, i) => parseArg(a, type.params[i]));
      let results: WasmValue[];
      try { results = store.invoke(ext.func, values); } catch (e) {
        if (e instanceof Trap) { io.err(describeError(file, e)); return TRAP_EXIT; }
        throw e;
      }
      for (const r of results) io.out(`${formatValue(r)}:${valTypeName(r.type)}`);
    }
    return 0;
  } catch (e) {
    io.err(describeError(file, e));
    if (e instanceof UsageError) return 2;
    return e instanceof Trap ? TRAP_EXIT : 1;
  }
}

export function describeError(file: string, e: unknown): string {
  if (e instanceof ParseError) return `${file}:${e.line}:${e.column}: error: ${e.message}`;
  if (e instanceof DecodeError) return `${file}: malformed module at byte 0x${e.offset.toString(16)}: ${e.message}`;
  if (e instanceof ValidationError) {
    const where = [e.funcIndex >= 0 ? `function ${e.funcIndex}` : '', e.offset >= 0 ? `byte 0x${e.offset.toString(16)}` : ''].filter(Boolean).join(', ');
    return `${file}: invalid module${where ? ` (${where})` : ''}: ${e.message}`;
  }
  if (e instanceof LinkError) return `${file}: link error: ${e.message}: "${e.module}" "${e.field}"${e.detail ? ` (${e.detail})` : ''}`;
  if (e instanceof Trap) return `${file}: trap: ${e.message}`;
  if (e instanceof UsageError) return `wasm-rewind: ${e.message}`;
  if (e instanceof WasmError) return `${file}: ${e.message}`;
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return `wasm-rewind: no such file: ${file}`;
  if (err && err.code === 'EISDIR') return `wasm-rewind: is a directory: ${file}`;
  return `wasm-rewind: internal error: ${err && err.stack ? err.stack : String(e)}`;
}
