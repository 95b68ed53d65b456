// The `wasm-rewind` command line. Node-specific (file access), hence under engine/node/.
//   wasm-rewind run <module.wasm|module.wat> [--invoke NAME [ARGS...]]
import { readFileSync } from 'node:fs';
import { decodeModule } from '../binary/decoder';
import { validateModule } from '../validate/validator';
import { assembleWat } from '../wat/assembler';
import { Store } from '../runtime/store';
import { DecodeError, LinkError, ParseError, Trap, ValidationError, WasmError } from '../core/errors';
import { ValType, valTypeName, funcTypeToString, type FuncType } from '../core/types';
import { formatValue, f32, f64, i32, i64, type WasmValue } from '../runtime/values';

const USAGE = `usage: wasm-rewind run <module.wasm|module.wat> [--invoke NAME [ARGS...]]

Runs a WebAssembly module in the Wasm Rewind engine (no WASI yet). With --invoke, calls the exported
function NAME with ARGS (decimal or 0x-hex integers, floats, nan, inf) and prints its results, one per
line; without it, instantiates the module, which runs its start function.`;

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

/** Runs the CLI; returns the process exit code. */
export function main(argv: string[], io: CliIo): number {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') { io.out(USAGE); return cmd ? 0 : 2; }
  if (cmd !== 'run') { io.err(`wasm-rewind: unknown command '${cmd}'\n${USAGE}`); return 2; }
  const file = rest[0];
  if (!file || file.startsWith('--')) { io.err(`wasm-rewind run: missing module file\n${USAGE}`); return 2; }
  let invoke: string | null = null;
  let args: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] === '--invoke') {
      invoke = rest[i + 1] ?? null;
      if (invoke === null) { io.err('wasm-rewind run: --invoke needs a function name'); return 2; }
      args = rest.slice(i + 2);
      break;
    }
    io.err(`wasm-rewind run: unexpected argument '${rest[i]}'`);
    return 2;
  }
  try {
    const bytes = loadModuleBytes(file);
    const module = decodeModule(bytes);
    validateModule(module);
    const store = new Store();
    const instance = store.instantiate(module, (mod, name) => {
      void mod; void name;
      return undefined; // no host modules yet: any import is a LinkError naming it
    });
    if (invoke !== null) {
      const ext = instance.exports.get(invoke);
      if (!ext || ext.kind !== 'func') {
        const names = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
        io.err(`wasm-rewind: no exported function '${invoke}' (exports: ${names.join(', ') || 'none'})`);
        return 1;
      }
      const exp = module.exports.find((e) => e.name === invoke)!;
      const type: FuncType = module.types[module.funcTypeIndices[exp.index]];
      if (args.length !== type.params.length) {
        io.err(`wasm-rewind: ${invoke} takes ${type.params.length} argument(s) ${funcTypeToString(type)}, got ${args.length}`);
        return 2;
      }
      const values = args.map((a, i) => parseArg(a, type.params[i]));
      const results = store.invoke(ext.func, values);
      for (const r of results) io.out(`${formatValue(r)}:${valTypeName(r.type)}`);
    }
    return 0;
  } catch (e) {
    io.err(describeError(file, e));
    return e instanceof UsageError ? 2 : 1;
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

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
  });
}
