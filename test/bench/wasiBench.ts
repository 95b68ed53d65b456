// The WASI benchmark: test/bench/wasi/sha256file.wasm (C + wasi-libc, built by
// scripts/build-bench-wasi.sh) reads an input file from a preopened directory with fread() in
// fixed-size chunks, hashes it with SHA-256 and writes "<hex>  <path>\n" to stdout and to
// <path>.sha256. The input (deterministic pseudo-random bytes) is generated into a temporary
// directory, preopened as /data. The program is run under
//   engine     this engine through runWasiCommand (engine/node/wasiRun.ts), in a child process, with a
//              timing HostCallBoundary that sums the wall time spent inside host (WASI) calls;
//   node:wasi  Node's WASI on V8, in-process, after one warm-up run;
//   wasmtime   its Python package (test/bench/wasmtimeWasi.py), after one warm-up run.
// Each time covers instantiation and `_start` (decoding / compiling excluded; every run needs a fresh
// instance, since a WASI command runs once). N runs each, medians reported; every run's exit status,
// stdout and output file are checked against Node's own SHA-256 of the input.
// A measurement, not a test: no speed thresholds. The exit status is 1 only when an output differs.
//
// Usage: node out/test/bench/wasiBench.js [--runs N] [--size-mb X] [--chunk BYTES] [--timeout SECONDS]
// Also called by bench.ts (`runWasiBench`). Results: test-results/bench-wasi.json.
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir, cpus, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { decodeModule } from '../../engine/binary/decoder';
import { validateModule } from '../../engine/validate/validator';
import { Store, type FuncHandle, type HostCallBoundary, type HostContext, type MemoryHandle } from '../../engine/runtime/store';
import type { WasmValue } from '../../engine/runtime/values';
import { BufferedStdio } from '../../engine/wasi/host';
import { runWasiCommand } from '../../engine/node/wasiRun';
import { isMain } from '../support/isMain';

/** The repository root (this file runs as out/test/bench/wasiBench.js, or bundled into bench.js). */
const ROOT = join(__dirname, '..', '..', '..');
const PROGRAM = 'sha256file';
const GUEST_DIR = '/data';
const INPUT_NAME = 'input.bin';

export interface WasiBenchOptions {
  /** Timed runs per engine (median reported). Default 5. */
  runs: number;
  /** Input size in MiB (fractions allowed). Default 4. */
  sizeMb: number;
  /** fread() chunk size in bytes, 4096..1048576. Default 16384. */
  chunk: number;
  /** Per-engine time limit for the engine and wasmtime child processes, in seconds. Default 900. */
  timeoutSec: number;
  /** Print progress (stderr) and the table (stdout). Default true. */
  print: boolean;
  /** Where to write the JSON results; null for nowhere. Default test-results/bench-wasi.json. */
  jsonPath: string | null;
}

/** One engine's measurement of instantiate + _start: medians of wall times (`ms`) and of the
 *  process's CPU times (`cpuMs`), null when not measured. CPU time is the steadier figure on a
 *  loaded machine (time spent waiting for a core is not in it). */
export interface WasiMeasure {
  ms: number | null;
  times: number[];
  cpuMs: number | null;
  cpuTimes: number[];
  /** Every run's outputs matched the expected ones (null when not measured). */
  outputsOk: boolean | null;
  note?: string;
  version?: string;
}

/** The engine's extra figures, from the timing boundary and the store's instruction counter. */
export interface EngineWasiFigures {
  /** Median over runs of the wall time inside host calls, ms. */
  hostMs: number | null;
  /** Median over runs of hostMs / run wall time, in percent. */
  hostSharePct: number | null;
  /** The same in CPU time (process.cpuUsage around each host call). */
  hostCpuMs: number | null;
  hostCpuSharePct: number | null;
  /** Host calls per run (the same every run for this program). */
  hostCalls: number | null;
  /** Calls and time per WASI function, of the last run. */
  perFunction: Record<string, { calls: number; ms: number }>;
  /** Wasm instructions retired per run. */
  instructions: number | null;
  /** Per second of wall time and of CPU time. */
  minstrPerSec: number | null;
  minstrPerCpuSec: number | null;
}

export interface WasiBenchReport {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  loadAverage: number[];
  elapsedSec: number;
  program: string;
  inputBytes: number;
  chunk: number;
  runs: number;
  expectedStdout: string;
  results: { engine: WasiMeasure; nodeWasi: WasiMeasure; wasmtime: WasiMeasure };
  engine: EngineWasiFigures;
  /** Ratios of wall-time medians. */
  ratios: { engineToNodeWasi: number | null; engineToWasmtime: number | null; wasmtimeToNodeWasi: number | null };
  /** Ratios of CPU-time medians. */
  cpuRatios: { engineToNodeWasi: number | null; engineToWasmtime: number | null; wasmtimeToNodeWasi: number | null };
  errors: string[];
}

/**
 * A HostCallBoundary that forwards to another one and sums the wall time and the process CPU time
 * spent inside each host call (wall time per function as well). Install with
 * `store.boundary = new TimingBoundary(store.boundary)`. Memory writes by the host happen inside
 * `call`, so their time is included there. Costs about two clock readings and one getrusage per call.
 */
export class TimingBoundary implements HostCallBoundary {
  hostMs = 0;
  hostCpuMs = 0;
  calls = 0;
  readonly perFunction = new Map<string, { calls: number; ms: number }>();
  constructor(private readonly inner: HostCallBoundary) {}

  call(func: FuncHandle, args: WasmValue[], ctx: HostContext): WasmValue[] {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      return this.inner.call(func, args, ctx);
    } finally {
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      this.hostMs += dt;
      this.hostCpuMs += (c.user + c.system) / 1000;
      this.calls++;
      const name = func.name.slice(func.name.lastIndexOf('.') + 1);
      const entry = this.perFunction.get(name);
      if (entry) { entry.calls++; entry.ms += dt; } else this.perFunction.set(name, { calls: 1, ms: dt });
    }
  }
  memoryWrite(memory: MemoryHandle, addr: number, bytes: Uint8Array): void {
    this.inner.memoryWrite(memory, addr, bytes);
  }
}

const DEFAULTS: WasiBenchOptions = {
  runs: 5, sizeMb: 4, chunk: 16384, timeoutSec: 900, print: true,
  jsonPath: join(ROOT, 'test-results', 'bench-wasi.json'),
};

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function fmt(x: number | null, digits: number): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.split('\n')[0].slice(0, 200);
}

/** Deterministic input: xorshift32 bytes (incompressible, so no engine can shortcut it). */
export function makeInput(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const words = new Uint32Array(out.buffer, 0, bytes >> 2);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < bytes; i++) out[i] = i & 0xff;
  return out;
}

function notMeasured(note: string): WasiMeasure {
  return { ms: null, times: [], cpuMs: null, cpuTimes: [], outputsOk: null, note };
}

/** CPU time of this process (all threads) in ms. */
function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

interface RunSetup {
  wasmFile: string;
  hostDir: string;
  inputGuest: string;
  outputHost: string;
  argv: string[];
  expected: string;
}

/** The output file's content, or a description of its absence; deletes it for the next run. */
function takeOutputFile(path: string): string {
  if (!existsSync(path)) return '<no output file>';
  const text = readFileSync(path, 'utf8');
  rmSync(path);
  return text;
}

function checkRun(label: string, run: number, exitCode: number, stdout: string, outFile: string, expected: string): string | null {
  if (exitCode !== 0) return `${label}: run ${run} exited ${exitCode}`;
  if (stdout !== expected) return `${label}: run ${run} printed ${JSON.stringify(stdout.slice(0, 120))}, expected ${JSON.stringify(expected)}`;
  if (outFile !== expected) return `${label}: run ${run} wrote ${JSON.stringify(outFile.slice(0, 120))} to the output file, expected ${JSON.stringify(expected)}`;
  return null;
}

// ---- node:wasi (V8), in-process ------------------------------------------------------------------

function measureNodeWasi(s: RunSetup, runs: number, errors: string[]): WasiMeasure {
  let module: WebAssembly.Module;
  let WASI: typeof import('node:wasi').WASI;
  try {
    // Loaded only here: importing node:wasi prints an ExperimentalWarning (Node 20).
    WASI = (require('node:wasi') as typeof import('node:wasi')).WASI;
    module = new WebAssembly.Module(readFileSync(s.wasmFile));
  } catch (e) {
    return notMeasured(`node:wasi: ${firstLine(e)}`);
  }
  const stdoutPath = join(s.hostDir, '..', `${PROGRAM}.node-stdout`);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let ok = true;
  for (let i = 0; i <= runs; i++) { // run 0 is the warm-up (tier-up of the module's code)
    const fd = openSync(stdoutPath, 'w');
    let code: number;
    let ms: number;
    let cpu: number;
    try {
      const wasi = new WASI({
        version: 'preview1', args: s.argv, env: {}, preopens: { [GUEST_DIR]: s.hostDir },
        stdout: fd, returnOnExit: true,
      });
      const c0 = cpuNow();
      const t0 = performance.now();
      const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
      code = wasi.start(instance);
      ms = performance.now() - t0;
      cpu = cpuNow() - c0;
    } catch (e) {
      closeSync(fd);
      return notMeasured(`node:wasi: run ${i} failed (${firstLine(e)})`);
    } finally {
      try { closeSync(fd); } catch { /* closed above */ }
    }
    const err = checkRun('node:wasi', i, code, readFileSync(stdoutPath, 'utf8'), takeOutputFile(s.outputHost), s.expected);
    if (err) { errors.push(`ERROR: ${err}`); ok = false; }
    if (i > 0) { times.push(ms); cpuTimes.push(cpu); }
  }
  rmSync(stdoutPath, { force: true });
  return { ms: median(times), times, cpuMs: median(cpuTimes), cpuTimes, outputsOk: ok, version: `node ${process.version}` };
}

// ---- wasmtime (Python package) -------------------------------------------------------------------

function measureWasmtime(s: RunSetup, opts: WasiBenchOptions, errors: string[]): WasiMeasure {
  const driver = join(ROOT, 'test', 'bench', 'wasmtimeWasi.py');
  const r = spawnSync('python3', [driver, s.wasmFile, s.hostDir, GUEST_DIR, String(opts.runs), s.outputHost, ...s.argv], {
    encoding: 'utf8', timeout: opts.timeoutSec * 1000, maxBuffer: 1 << 24,
  });
  if (r.error) return notMeasured(`wasmtime: ${r.error.message}`);
  if (r.signal) return notMeasured(`wasmtime: killed by ${r.signal} (timeout ${opts.timeoutSec}s?)`);
  let j: { error?: string; times_ms?: number[]; cpu_ms?: number[]; exit_codes?: number[]; stdout?: string; version?: string };
  try {
    j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as typeof j;
  } catch {
    return notMeasured(`wasmtime: driver exited ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  }
  if (j.error !== undefined) {
    return notMeasured(`wasmtime: ${j.error} (pip install --no-index --find-links /opt/pypi-more/files wasmtime)`);
  }
  const times = j.times_ms ?? [];
  // The driver deletes the output file before each run; the last run's file and stdout are checked.
  const codes = j.exit_codes ?? [];
  const err = checkRun('wasmtime', codes.length, codes.find(c => c !== 0) ?? 0, j.stdout ?? '', takeOutputFile(s.outputHost), s.expected);
  if (err) errors.push(`ERROR: ${err}`);
  const cpuTimes = j.cpu_ms ?? [];
  return { ms: median(times), times, cpuMs: median(cpuTimes), cpuTimes, outputsOk: err === null,
    version: `wasmtime ${j.version ?? '?'} (Python)` };
}

// ---- this engine, in a child process -------------------------------------------------------------

interface WorkerRun { ms: number; cpuMs: number; hostMs: number; hostCpuMs: number; hostCalls: number; instructions: number; exitCode: number; stdout: string; outFile: string }
interface WorkerReply { error?: string; runs?: WorkerRun[]; perFunction?: Record<string, { calls: number; ms: number }> }

/** Child side: runs the program `runs` times, each in a fresh Store; prints one JSON line. */
function engineWorker(s: RunSetup, runs: number): void {
  const reply: WorkerReply = { runs: [] };
  try {
    const module = decodeModule(new Uint8Array(readFileSync(s.wasmFile)));
    validateModule(module);
    for (let i = 0; i < runs; i++) {
      const store = new Store();
      const timing = new TimingBoundary(store.boundary);
      store.boundary = timing;
      const stdio = new BufferedStdio();
      const c0 = cpuNow();
      const t0 = performance.now();
      const exitCode = runWasiCommand(module, { args: s.argv, env: [], dirs: [`${s.hostDir}:${GUEST_DIR}`], stdio }, store);
      const ms = performance.now() - t0;
      const cpuMs = cpuNow() - c0;
      reply.runs!.push({
        ms, cpuMs, hostMs: timing.hostMs, hostCpuMs: timing.hostCpuMs, hostCalls: timing.calls, instructions: store.instructionCount, exitCode,
        stdout: stdio.stdoutText(), outFile: takeOutputFile(s.outputHost),
      });
      reply.perFunction = Object.fromEntries(timing.perFunction);
    }
  } catch (e) {
    reply.error = `failed (${firstLine(e)})`;
  }
  console.log(JSON.stringify(reply));
}

function measureEngine(s: RunSetup, opts: WasiBenchOptions, errors: string[]): { m: WasiMeasure; fig: EngineWasiFigures } {
  const fig: EngineWasiFigures = {
    hostMs: null, hostSharePct: null, hostCpuMs: null, hostCpuSharePct: null, hostCalls: null, perFunction: {},
    instructions: null, minstrPerSec: null, minstrPerCpuSec: null,
  };
  const worker = join(ROOT, 'out', 'test', 'bench', 'wasiBench.js');
  const child = spawnSync(process.execPath, [worker, '--engine-worker', JSON.stringify(s), String(opts.runs)], {
    encoding: 'utf8', timeout: opts.timeoutSec * 1000, maxBuffer: 1 << 24,
  });
  if (child.error) return { m: notMeasured(`engine: ${child.error.message}`), fig };
  if (child.signal) return { m: notMeasured(`engine: killed by ${child.signal} (timeout ${opts.timeoutSec}s?)`), fig };
  let r: WorkerReply;
  try {
    r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as WorkerReply;
  } catch {
    const why = (child.stderr.trim().split('\n').find(l => /Error|error/.test(l)) ?? child.stderr.trim()).slice(0, 200);
    return { m: notMeasured(`engine: worker exited ${child.status}: ${why || 'no output'}`), fig };
  }
  const runs = r.runs ?? [];
  let ok = true;
  runs.forEach((run, i) => {
    const err = checkRun('engine', i + 1, run.exitCode, run.stdout, run.outFile, s.expected);
    if (err) { errors.push(`ERROR: ${err}`); ok = false; }
  });
  if (r.error !== undefined) {
    return { m: { ...notMeasured(`engine: ${r.error}`), times: runs.map(x => x.ms), cpuTimes: runs.map(x => x.cpuMs) }, fig };
  }
  const times = runs.map(x => x.ms);
  const cpuTimes = runs.map(x => x.cpuMs);
  const ms = median(times);
  const cpuMs = median(cpuTimes);
  fig.hostMs = median(runs.map(x => x.hostMs));
  fig.hostSharePct = median(runs.map(x => (x.ms > 0 ? 100 * x.hostMs / x.ms : 0)));
  fig.hostCpuMs = median(runs.map(x => x.hostCpuMs));
  fig.hostCpuSharePct = median(runs.map(x => (x.cpuMs > 0 ? 100 * x.hostCpuMs / x.cpuMs : 0)));
  fig.hostCalls = runs.length ? runs[runs.length - 1].hostCalls : null;
  fig.perFunction = r.perFunction ?? {};
  fig.instructions = runs.length ? runs[runs.length - 1].instructions : null;
  fig.minstrPerSec = ms !== null && ms > 0 && fig.instructions !== null ? fig.instructions / ms / 1000 : null;
  fig.minstrPerCpuSec = cpuMs !== null && cpuMs > 0 && fig.instructions !== null ? fig.instructions / cpuMs / 1000 : null;
  return { m: { ms, times, cpuMs, cpuTimes, outputsOk: ok }, fig };
}

// ---- the benchmark -------------------------------------------------------------------------------

function printTable(rep: WasiBenchReport): void {
  const { engine, nodeWasi, wasmtime } = rep.results;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}%`);
  const header = [`${rep.program}, ${(rep.inputBytes / 1048576).toFixed(2)} MiB, ${rep.chunk / 1024} KiB reads`,
    'engine ms', 'node:wasi ms', 'wasmtime ms', 'engine/node:wasi', 'engine/wasmtime', 'engine Minstr/s',
    'host-call share', 'host calls'];
  const rows = [
    ['wall time', fmt(engine.ms, 1), fmt(nodeWasi.ms, 1), fmt(wasmtime.ms, 1),
      fmt(rep.ratios.engineToNodeWasi, 1), fmt(rep.ratios.engineToWasmtime, 1), fmt(rep.engine.minstrPerSec, 1),
      pct(rep.engine.hostSharePct), rep.engine.hostCalls === null ? 'n/a' : String(rep.engine.hostCalls)],
    ['CPU time', fmt(engine.cpuMs, 1), fmt(nodeWasi.cpuMs, 1), fmt(wasmtime.cpuMs, 1),
      fmt(rep.cpuRatios.engineToNodeWasi, 1), fmt(rep.cpuRatios.engineToWasmtime, 1), fmt(rep.engine.minstrPerCpuSec, 1),
      pct(rep.engine.hostCpuSharePct), ''],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const show = (cs: string[]) => '| ' + cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(show(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(show(r));
}

/** Runs the WASI benchmark, prints it (unless `print: false`) and returns the report. */
export function runWasiBench(options: Partial<WasiBenchOptions> = {}): WasiBenchReport {
  const opts: WasiBenchOptions = { ...DEFAULTS, ...options };
  const started = performance.now();
  const log = (msg: string) => { if (opts.print) console.error(msg); };
  const wasmFile = join(ROOT, 'test', 'bench', 'wasi', `${PROGRAM}.wasm`);
  if (!existsSync(wasmFile)) throw new Error(`wasiBench: ${wasmFile} missing (run scripts/build-bench-wasi.sh)`);

  const work = mkdtempSync(join(tmpdir(), 'wasi-bench-'));
  const hostDir = join(work, 'data');
  mkdirSync(hostDir);
  const errors: string[] = [];
  try {
    const inputBytes = Math.max(0, Math.round(opts.sizeMb * 1048576));
    const input = makeInput(inputBytes);
    writeFileSync(join(hostDir, INPUT_NAME), input);
    const inputGuest = `${GUEST_DIR}/${INPUT_NAME}`;
    const setup: RunSetup = {
      wasmFile, hostDir, inputGuest,
      outputHost: join(hostDir, `${INPUT_NAME}.sha256`),
      argv: [PROGRAM, inputGuest, String(opts.chunk)],
      expected: `${createHash('sha256').update(input).digest('hex')}  ${inputGuest}\n`,
    };
    log(`wasi bench: ${PROGRAM}, ${(inputBytes / 1048576).toFixed(2)} MiB input, ${opts.chunk}-byte reads, ` +
      `${opts.runs} runs each, node ${process.version}`);

    const nodeWasi = measureNodeWasi(setup, opts.runs, errors);
    log(`wasi bench: node:wasi ${fmt(nodeWasi.ms, 1)} ms, CPU ${fmt(nodeWasi.cpuMs, 1)} ms`);
    const eng = measureEngine(setup, opts, errors);
    log(`wasi bench: engine ${fmt(eng.m.ms, 1)} ms, CPU ${fmt(eng.m.cpuMs, 1)} ms (host calls ${fmt(eng.fig.hostSharePct, 2)}%)`);
    const wasmtime = measureWasmtime(setup, opts, errors);
    log(`wasi bench: wasmtime ${fmt(wasmtime.ms, 1)} ms, CPU ${fmt(wasmtime.cpuMs, 1)} ms`);

    const rep: WasiBenchReport = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      loadAverage: loadavg(),
      elapsedSec: Math.round((performance.now() - started) / 1000),
      program: PROGRAM,
      inputBytes,
      chunk: opts.chunk,
      runs: opts.runs,
      expectedStdout: setup.expected,
      results: { engine: eng.m, nodeWasi, wasmtime },
      engine: eng.fig,
      ratios: {
        engineToNodeWasi: ratio(eng.m.ms, nodeWasi.ms),
        engineToWasmtime: ratio(eng.m.ms, wasmtime.ms),
        wasmtimeToNodeWasi: ratio(wasmtime.ms, nodeWasi.ms),
      },
      cpuRatios: {
        engineToNodeWasi: ratio(eng.m.cpuMs, nodeWasi.cpuMs),
        engineToWasmtime: ratio(eng.m.cpuMs, wasmtime.cpuMs),
        wasmtimeToNodeWasi: ratio(wasmtime.cpuMs, nodeWasi.cpuMs),
      },
      errors,
    };

    if (opts.print) {
      console.log('');
      printTable(rep);
      console.log('');
      console.log(`Medians of ${opts.runs} runs, in ms, each timing instantiation and _start (node:wasi and wasmtime ` +
        'after a warm-up run; the engine in a child process); CPU time is the process\'s (all threads), the steadier ' +
        'figure on a loaded machine. "host-call share": median fraction of the engine\'s run time spent inside WASI ' +
        'host calls (timing HostCallBoundary). Ratios above 1 mean this engine is slower.');
      const per = Object.entries(rep.engine.perFunction).sort((a, b) => b[1].ms - a[1].ms)
        .map(([name, v]) => `${name} ${v.calls}x ${v.ms.toFixed(1)} ms`);
      if (per.length) console.log(`engine host calls (last run): ${per.join(', ')}`);
      for (const m of [eng.m, nodeWasi, wasmtime]) if (m.note) console.log('note: ' + m.note);
      for (const e of errors) console.log(e);
      console.log(`Elapsed ${rep.elapsedSec} s; load average at the end ${rep.loadAverage.map(x => x.toFixed(1)).join(' ')} ` +
        `on ${rep.cores} cores (other work on the machine slows every column).`);
    }
    if (opts.jsonPath !== null) {
      mkdirSync(join(opts.jsonPath, '..'), { recursive: true });
      writeFileSync(opts.jsonPath, JSON.stringify(rep, null, 2) + '\n');
      if (opts.print) console.log(`written ${resolve(opts.jsonPath)}`);
    }
    return rep;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseOptions(argv: string[]): Partial<WasiBenchOptions> {
  const opts: Partial<WasiBenchOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`wasiBench: ${a} needs a value`);
      return v;
    };
    const num = (min: number, max: number, integer: boolean): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        throw new Error(`wasiBench: ${a} needs ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got '${v}'`);
      }
      return n;
    };
    if (a === '--runs') opts.runs = num(1, 1000, true);
    else if (a === '--size-mb') opts.sizeMb = num(0, 1024, false);
    else if (a === '--chunk') opts.chunk = num(4096, 1048576, true);
    else if (a === '--timeout') opts.timeoutSec = num(1, 86400, true);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node out/test/bench/wasiBench.js [--runs N (5)] [--size-mb X (4)] ' +
        '[--chunk BYTES (16384)] [--timeout SECONDS per engine (900)]');
      process.exit(0);
    } else throw new Error(`wasiBench: unknown option '${a}' (try --help)`);
  }
  return opts;
}

if (isMain('wasiBench')) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--engine-worker') {
    engineWorker(JSON.parse(argv[1]) as RunSetup, Number(argv[2]));
  } else {
    try {
      const rep = runWasiBench(parseOptions(argv));
      if (rep.errors.length) process.exitCode = 1;
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 2;
    }
  }
}
