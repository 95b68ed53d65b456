// `wasm-rewind record | replay | info`: recording WASI runs into .rewind files and replaying them.
//   wasm-rewind record prog.wasm [--buffer-mb N] [--always] [-o out.rewind] [--interval N] [--dir D] [--env K=V] [-- ARGS...]
//   wasm-rewind replay x.rewind [--module prog.wasm]
//   wasm-rewind info x.rewind [--module prog.wasm]
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeModule } from '../binary/decoder';
import { validateModule } from '../validate/validator';
import { Store } from '../runtime/store';
import { nodeWasi } from './wasiRun';
import { NodeStdio } from './nodeWasiFs';
import { nodeRecordingFiles } from './recordFiles';
import { recordWasiCommand, TailStdio } from '../record/wasiRecord';
import { decodeRecording, saveRecording, RecordingFormatError, type Recording } from '../record/format';
import { Replayer, ReplayDivergence } from '../record/recorder';
import { toHex } from '../record/hash';
import type { CliIo } from './cli';

export const RECORD_USAGE = `usage: wasm-rewind record <prog.wasm> [--buffer-mb N] [--always] [-o OUT.rewind] [--interval N]
                          [--dir HOST[:GUEST]] [--env KEY=VALUE] [-- ARGS...]
       wasm-rewind replay <x.rewind> [--module prog.wasm]
       wasm-rewind info <x.rewind> [--module prog.wasm]

record  runs a WASI command like 'run', recording it as a flight recorder: the most recent
        execution (about N MB of checkpoint intervals, default 64) is kept in memory, and written to
        OUT (default: <prog>.rewind) if the program traps, or always with --always.
        --interval N  instructions per checkpoint interval (default 1048576)
replay  re-executes a recording from its oldest checkpoint without calling the host and checks every
        interval; reports how the run ended (exit 0 = the replay matched the recording).
info    describes a recording.`;

const TRAP_EXIT = 134;

function readModuleFile(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function load(file: string, modulePath: string | null): Recording {
  const bytes = nodeRecordingFiles.readFile(file);
  return decodeRecording(bytes, modulePath ? { moduleBytes: readModuleFile(modulePath) } : {});
}

function fmtBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function record(rest: string[], io: CliIo): number {
  const file = rest[0];
  if (!file || file.startsWith('-')) { io.err(`wasm-rewind record: missing module file\n\n${RECORD_USAGE}`); return 2; }
  let bufferMb = 64, always = false, out: string | null = null, interval = 1 << 20;
  const dirs: string[] = [], env: string[] = [];
  let args: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v === '--') throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--') { args = rest.slice(i + 1); break; }
      else if (a === '--buffer-mb') { bufferMb = Number(value()); if (!(bufferMb > 0)) throw new Error('--buffer-mb expects a positive number'); }
      else if (a === '--always') always = true;
      else if (a === '-o') out = value();
      else if (a === '--interval') { interval = Number(value()); if (!Number.isSafeInteger(interval) || interval < 1) throw new Error('--interval expects a positive integer'); }
      else if (a === '--dir') dirs.push(value());
      else if (a === '--env') env.push(value());
      else throw new Error(`unexpected argument '${a}'`);
    } catch (e) { io.err(`wasm-rewind record: ${(e as Error).message}\n\n${RECORD_USAGE}`); return 2; }
  }
  if (!existsSync(file)) { io.err(`wasm-rewind: no such file: ${file}`); return 1; }
  const bytes = readModuleFile(file);
  const module = decodeModule(bytes);
  validateModule(module);
  const tails = new TailStdio(new NodeStdio());
  const argv = [file, ...args];
  const wasi = nodeWasi({ args: argv, env, dirs, stdio: tails });
  const r = recordWasiCommand(module, bytes, wasi, { intervalLength: interval, bufferBytes: bufferMb * (1 << 20), args: argv, tails, store: new Store() });
  const dest = out ?? `${basename(file).replace(/\.wasm$/, '')}.rewind`;
  const m = r.recorder.machine;
  if (r.status === 'trapped' || always) {
    const size = saveRecording(nodeRecordingFiles, dest, r.recording);
    const ivs = r.recording.intervals;
    const from = ivs.length ? ivs[0].start.time : 0;
    io.err(`wasm-rewind: ${r.status === 'trapped' ? `trap (${m.trap!.message}) at time ${m.count}; ` : ''}recording written to ${dest} ` +
      `(${fmtBytes(size)}, ${ivs.length} of ${r.recorder.totalIntervals} intervals, times ${from}..${m.count})`);
  }
  return r.status === 'trapped' ? TRAP_EXIT : r.exitCode ?? 0;
}

function optModule(rest: string[], cmd: string): { file: string; module: string | null } {
  const file = rest[0];
  if (!file || file.startsWith('-')) throw new Error(`${cmd}: missing .rewind file`);
  let module: string | null = null;
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] === '--module' && rest[i + 1] !== undefined) module = rest[++i];
    else throw new Error(`${cmd}: unexpected argument '${rest[i]}'`);
  }
  return { file, module };
}

function replay(rest: string[], io: CliIo): number {
  const { file, module } = optModule(rest, 'replay');
  const rec = load(file, module);
  const r = new Replayer(rec);
  const t0 = Date.now();
  const res = r.replayAll();
  const ms = Date.now() - t0;
  const first = rec.intervals.length ? rec.intervals[0].start.time : 0;
  io.out(`replayed ${res.intervals} interval(s), times ${first}..${res.time} (${res.time - first} instructions, ${ms} ms); every interval's state hash matched`);
  if (res.trap !== null) {
    if (res.exitCode !== null) io.out(`ended: proc_exit(${res.exitCode}) at time ${res.time}`);
    else {
      const t = rec.trap;
      io.out(`ended: trap '${res.trap.message}' at time ${res.time}` + (t && t.funcIndex >= 0 ? ` in function ${t.funcIndex} at byte 0x${t.offset.toString(16)}` : '') + ' (as recorded)');
    }
  } else io.out(`ended: ${res.status === 'done' ? 'returned from _start' : `still running at time ${res.time}`}`);
  const frames = r.machine.frameList();
  if (frames.length) io.out(`stack at the end: ${frames.map(f => `${f.func.name}${typeof f.offset === 'number' && f.offset >= 0 ? `@0x${f.offset.toString(16)}` : ''}`).join(' <- ')}`);
  io.out(`memory known from the logs: ${fmtBytes(r.hook.knownBytes())} of ${fmtBytes(r.memory.u8.length)} (the rest is unknown)`);
  return 0;
}

function info(rest: string[], io: CliIo): number {
  const { file, module } = optModule(rest, 'info');
  const rec = load(file, module);
  const h = rec.header;
  const ivs = rec.intervals;
  let loads = 0, calls = 0, written = 0;
  for (const iv of ivs) { loads += iv.loads.length * 4; calls += iv.host.length; for (const c of iv.host) for (const w of c.writes) written += w.bytes.length; }
  const lines = [
    `format version ${h.formatVersion} (needs reader ${h.requiredVersion})`,
    `recording id ${toHex(h.recordingId)}, created ${h.createdMs ? new Date(h.createdMs).toISOString() : 'unknown'}`,
    `time unit: ${h.timeUnit}`,
    `module: ${rec.modulePath ?? 'embedded'} (${fmtBytes(rec.module.length)}, sha256 ${toHex(h.moduleSha256)})`,
    `arguments: ${h.args.map(a => JSON.stringify(a)).join(' ') || '(none)'}`,
    `intervals: ${ivs.length}${rec.summary ? ` of ${rec.summary.totalIntervals}` : ''} (nominal length ${h.intervalLength}), times ${ivs.length ? `${ivs[0].start.time}..${ivs[ivs.length - 1].endTime}` : '-'}`,
    `logs: first-load ${fmtBytes(loads)}, ${calls} host call(s) writing ${fmtBytes(written)}`,
  ];
  if (rec.summary) lines.push(`outcome: ${rec.summary.status}${rec.summary.exitCode !== null ? ` (exit ${rec.summary.exitCode})` : ''} at time ${rec.summary.endTime}`);
  if (rec.trap) lines.push(`trap: ${rec.trap.message} at time ${rec.trap.time}${rec.trap.funcIndex >= 0 ? ` in function ${rec.trap.funcIndex} at byte 0x${rec.trap.offset.toString(16)}` : ''}`);
  const dec = new TextDecoder();
  if (rec.stdoutTail.length) lines.push(`stdout tail:\n${dec.decode(rec.stdoutTail).replace(/\n$/, '')}`);
  if (rec.stderrTail.length) lines.push(`stderr tail:\n${dec.decode(rec.stderrTail).replace(/\n$/, '')}`);
  for (const l of lines) io.out(l);
  return 0;
}

/** The record / replay / info subcommands; returns the exit code. */
export function rewindMain(cmd: 'record' | 'replay' | 'info', rest: string[], io: CliIo): number {
  try {
    if (cmd === 'record') return record(rest, io);
    if (cmd === 'replay') return replay(rest, io);
    return info(rest, io);
  } catch (e) {
    if (e instanceof RecordingFormatError) { io.err(`wasm-rewind ${cmd}: ${rest[0]}: ${e.message}`); return 1; }
    if (e instanceof ReplayDivergence) { io.err(`wasm-rewind ${cmd}: ${rest[0]}: ${e.message}`); return 1; }
    const err = e as NodeJS.ErrnoException;
    if (err && err.code === 'ENOENT') { io.err(`wasm-rewind: no such file: ${err.path ?? rest[0]}`); return 1; }
    if (err instanceof Error && /needs a value|unexpected argument|missing/.test(err.message)) { io.err(`wasm-rewind ${err.message}\n\n${RECORD_USAGE}`); return 2; }
    io.err(`wasm-rewind ${cmd}: ${err && err.message ? err.message : String(e)}`);
    return 1;
  }
}
