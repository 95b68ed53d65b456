// The benchmark: each program in test/bench/programs/*.wasm (built from the .c beside it by
// scripts/build-bench.sh) exports `run(): i32|i64`, a deterministic checksum. It is run under
//   engine      this engine, through engineRunner.ts, in a child process (a crash or hang of the
//               engine under development cannot take the bench down), timing the invocation only;
//   wasm-interp wabt's interpreter, one process per run, timed from outside (so its start-up,
//               decoding and validation are included);
//   V8          Node's own WebAssembly, in-process, after one warm-up call;
//   wasmtime    its Python package, in-process in a Python driver, after one warm-up call.
// Each is measured N times; the median is reported, and every result is checked against V8's.
// Then the WASI benchmark (wasiBench.ts: a file-hashing WASI command under this engine, node:wasi and
// wasmtime, with the share of engine time spent in host calls) runs, unless --no-wasi, or --only
// does not list `wasi`.
// A measurement, not a test: no speed thresholds. The exit status is 1 only when a result differs.
//
// Usage: node out/test/bench/bench.js [--runs N] [--interp-runs N] [--only a,b] [--timeout SECONDS] [--no-wasi]
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

interface Options {
  runs: number;
  interpRuns: number;
  only: string[] | null;
  timeoutSec: number;
  wasi: boolean;
}

/** One engine's measurement of one program. `ms` is the median, null when not measured. */
interface Measure {
  ms: number | null;
  times: number[];
  result: string | null;
  note?: string;
  instructions?: number;
}

const PEERS = ['engine', 'wasm-interp', 'v8', 'wasmtime'] as const;
type Peer = typeof PEERS[number];

interface Row {
  program: string;
  results: Record<Peer, Measure>;
  ratios: { engineToWasmInterp: number | null; engineToV8: number | null; engineToWasmtime: number | null };
  engineMinstrPerSec: number | null;
  mismatches: string[];
}

// Minimal typing of the parts of the WebAssembly JS API used here (the project's lib has no DOM).
interface WasmJsApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;

/** The repository root (this file runs as out/test/bench/bench.js). */
const ROOT = join(__dirname, '..', '..', '..');

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { runs: 5, interpRuns: 3, only: null, timeoutSec: 900, wasi: true };
  let interpGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    const count = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${a} needs a positive integer, got '${v}'`);
      return n;
    };
    if (a === '--runs') opts.runs = count();
    else if (a === '--interp-runs') { opts.interpRuns = count(); interpGiven = true; }
    else if (a === '--only') opts.only = value().split(',').map(s => s.trim()).filter(Boolean);
    else if (a === '--timeout') opts.timeoutSec = count();
    else if (a === '--no-wasi') opts.wasi = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node out/test/bench/bench.js [--runs N (5)] [--interp-runs N (min(3, runs))] ' +
        '[--only prog1,prog2,wasi] [--timeout SECONDS per program and engine (900)] [--no-wasi]');
      process.exit(0);
    } else throw new Error(`bench: unknown option '${a}' (try --help)`);
  }
  if (!interpGiven) opts.interpRuns = Math.min(opts.interpRuns, opts.runs);
  return opts;
}

/** Results in one form for every engine: `i32:<signed>` or `i64:<signed>`. */
function v8ResultText(r: unknown): string {
  if (typeof r === 'bigint') return `i64:${r}`;
  if (typeof r === 'number' && Number.isInteger(r)) return `i32:${r}`;
  return `unsupported result ${String(r)}`;
}

function measureV8(bytes: Uint8Array, runs: number): Measure {
  const instance = new WA.Instance(new WA.Module(bytes), {});
  const run = instance.exports.run as () => unknown;
  let result = v8ResultText(run()); // warm-up (compiles the optimised tier)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = run();
    times.push(performance.now() - t0);
    result = v8ResultText(r);
  }
  return { ms: median(times), times, result };
}

/** One Measure from several single-run ones (the first failure, if any, wins). */
function combine(ms: Measure[]): Measure {
  const failed = ms.find((m) => m.ms === null);
  if (failed) return failed;
  const times = ms.flatMap((m) => m.times);
  return { ms: median(times), times, result: ms[ms.length - 1].result, instructions: ms[ms.length - 1].instructions };
}

function notMeasured(note: string): Measure {
  return { ms: null, times: [], result: null, note };
}

/** Runs this engine in a child process (`bench.js --engine-worker FILE RUNS`), see engineWorker(). */
function measureEngine(file: string, opts: Options): Measure {
  const child = spawnSync(process.execPath, [__filename, '--engine-worker', file, String(opts.runs)], {
    encoding: 'utf8', timeout: opts.timeoutSec * 1000, maxBuffer: 1 << 24,
  });
  if (child.error) return notMeasured(`engine: ${child.error.message}`);
  if (child.signal) return notMeasured(`engine: killed by ${child.signal} (timeout ${opts.timeoutSec}s?)`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as { error?: string; times?: number[]; result?: string; instructions?: number };
    if (r.error !== undefined) return notMeasured(`engine: ${r.error}`);
    const times = r.times ?? [];
    return { ms: median(times), times, result: r.result ?? null, instructions: r.instructions };
  } catch {
    const why = (child.stderr.trim().split('\n').find(l => /Error|error/.test(l)) ?? child.stderr.trim()).slice(0, 200);
    return notMeasured(`engine: worker exited ${child.status}: ${why || 'no output'}`);
  }
}

/** Child-process side of measureEngine: prints one JSON line. */
function engineWorker(file: string, runs: number): void {
  let runEngine: (bytes: Uint8Array, name: string) => { result: string; instructions: number; invokeMs?: number };
  try {
    // Loaded here, not at the top: the engine may not be built yet, and the bench must say so.
    runEngine = (require('./engineRunner') as { runEngine: typeof runEngine }).runEngine;
  } catch (e) {
    console.log(JSON.stringify({ error: `not available (${firstLine(e)})` }));
    return;
  }
  const bytes = new Uint8Array(readFileSync(file));
  const times: number[] = [];
  let result = '';
  let instructions = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = runEngine(bytes, 'run');
      times.push(r.invokeMs ?? performance.now() - t0);
      result = r.result;
      instructions = r.instructions;
    }
  } catch (e) {
    console.log(JSON.stringify({ error: `failed (${firstLine(e)})` }));
    return;
  }
  console.log(JSON.stringify({ times, result, instructions }));
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.split('\n')[0].slice(0, 200);
}

function toolVersion(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (r.stdout || r.stderr).trim().split('\n')[0];
}

function measureWasmInterp(file: string, opts: Options, available: boolean): Measure {
  if (!available) return notMeasured('wasm-interp: not installed (apt-get install -y wabt)');
  const times: number[] = [];
  let result: string | null = null;
  for (let i = 0; i < opts.interpRuns; i++) {
    const t0 = performance.now();
    const r = spawnSync('wasm-interp', ['--run-all-exports', file], { encoding: 'utf8', timeout: opts.timeoutSec * 1000 });
    const ms = performance.now() - t0;
    if (r.error || r.signal || r.status !== 0) {
      return notMeasured(`wasm-interp: ${r.error?.message ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}: ${r.stderr.trim().slice(0, 200)}`)}`);
    }
    // It prints `run() => i64:<unsigned decimal>`; normalise to the signed form.
    const m = /^run\(\) => (i32|i64):(\d+)/m.exec(r.stdout);
    if (!m) return notMeasured(`wasm-interp: unexpected output '${r.stdout.trim().slice(0, 100)}'`);
    result = m[1] === 'i32' ? `i32:${Number(m[2]) | 0}` : `i64:${BigInt.asIntN(64, BigInt(m[2]))}`;
    times.push(ms);
  }
  return { ms: median(times), times, result };
}

function measureWasmtime(file: string, opts: Options, driver: string, available: boolean): Measure {
  if (!available) return notMeasured('wasmtime: python3 package wasmtime not importable ' +
    '(pip install --no-index --find-links /opt/pypi-more/files wasmtime)');
  const r = spawnSync('python3', [driver, file, 'run', String(opts.runs)], {
    encoding: 'utf8', timeout: opts.timeoutSec * 1000,
  });
  if (r.error || r.signal) return notMeasured(`wasmtime: ${r.error?.message ?? `killed by ${r.signal}`}`);
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { error?: string; result?: string; times_ms?: number[] };
    if (j.error !== undefined) return notMeasured(`wasmtime: ${j.error}`);
    const times = j.times_ms ?? [];
    return { ms: median(times), times, result: j.result ?? null };
  } catch {
    return notMeasured(`wasmtime: driver exited ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  }
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function fmt(x: number | null, digits: number): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function printTable(rows: Row[]): void {
  const header = ['program', 'engine ms', 'wasm-interp ms', 'V8 ms', 'wasmtime ms',
    'engine/wasm-interp', 'engine/V8', 'engine/wasmtime', 'engine Minstr/s'];
  const lines = rows.map(r => [
    r.program,
    fmt(r.results.engine.ms, 1), fmt(r.results['wasm-interp'].ms, 1), fmt(r.results.v8.ms, 1), fmt(r.results.wasmtime.ms, 1),
    fmt(r.ratios.engineToWasmInterp, 2), fmt(r.ratios.engineToV8, 1), fmt(r.ratios.engineToWasmtime, 1),
    fmt(r.engineMinstrPerSec, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const show = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(show(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(show(l));
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--engine-worker') {
    engineWorker(argv[1], Number(argv[2]));
    return;
  }
  const opts = parseOptions(argv);
  const started = performance.now();
  const programDir = join(ROOT, 'test', 'bench', 'programs');
  const driver = join(ROOT, 'test', 'bench', 'wasmtimeRunner.py');
  let programs = readdirSync(programDir).filter(f => f.endsWith('.wasm')).map(f => f.slice(0, -5)).sort();
  if (opts.only) {
    opts.wasi &&= opts.only.includes('wasi');
    opts.only = opts.only.filter(p => p !== 'wasi');
    if (opts.only.length === 0) { if (opts.wasi) runWasi(opts); return; }
    const unknown = opts.only.filter(p => !programs.includes(p));
    if (unknown.length) throw new Error(`bench: unknown program(s) ${unknown.join(', ')}; have ${programs.join(', ')}`);
    programs = programs.filter(p => opts.only!.includes(p));
  }

  const interpVersion = toolVersion('wasm-interp', ['--version']);
  const wasmtimeProbe = spawnSync('python3', ['-c', 'import wasmtime'], { encoding: 'utf8' });
  const wasmtimeAvailable = !wasmtimeProbe.error && wasmtimeProbe.status === 0;
  console.error(`bench: ${programs.length} programs, ${opts.runs} runs each (wasm-interp ${opts.interpRuns}), ` +
    `node ${process.version}, wasm-interp ${interpVersion ?? 'absent'}, wasmtime ${wasmtimeAvailable ? 'present' : 'absent'}`);

  const rows: Row[] = [];
  const notes = new Set<string>();
  const errors: string[] = [];
  for (const program of programs) {
    const file = join(programDir, program + '.wasm');
    const bytes = new Uint8Array(readFileSync(file));
    const results = {} as Record<Peer, Measure>;
    results.v8 = measureV8(bytes, opts.runs);
    results.wasmtime = measureWasmtime(file, opts, driver, wasmtimeAvailable);
    // The two slow interpreters are measured in alternating rounds (one run of each per round), so
    // that load drifting on a busy machine hits both columns alike and their ratio stays meaningful.
    const engineRuns: Measure[] = [];
    const interpRuns: Measure[] = [];
    for (let round = 0; round < Math.max(opts.runs, opts.interpRuns); round++) {
      if (round < opts.runs) engineRuns.push(measureEngine(file, { ...opts, runs: 1 }));
      if (round < opts.interpRuns) interpRuns.push(measureWasmInterp(file, { ...opts, interpRuns: 1 }, interpVersion !== null));
    }
    results.engine = combine(engineRuns);
    results['wasm-interp'] = combine(interpRuns);
    const mismatches: string[] = [];
    for (const peer of PEERS) {
      const m = results[peer];
      if (m.note) notes.add(m.note);
      if (peer !== 'v8' && m.result !== null && m.result !== results.v8.result) {
        const msg = `ERROR: ${program}: ${peer} returned ${m.result}, V8 returned ${results.v8.result}`;
        mismatches.push(msg);
        errors.push(msg);
      }
    }
    const e = results.engine;
    const row: Row = {
      program,
      results,
      ratios: {
        engineToWasmInterp: ratio(e.ms, results['wasm-interp'].ms),
        engineToV8: ratio(e.ms, results.v8.ms),
        engineToWasmtime: ratio(e.ms, results.wasmtime.ms),
      },
      engineMinstrPerSec: e.ms !== null && e.instructions !== undefined && e.ms > 0 ? e.instructions / e.ms / 1000 : null,
      mismatches,
    };
    rows.push(row);
    console.error(`bench: ${program}: ` + PEERS.map(p => `${p} ${fmt(results[p].ms, 1)}`).join(', ') + ' ms' +
      (mismatches.length ? ' (RESULT MISMATCH)' : ''));
  }

  console.log('');
  printTable(rows);
  console.log('');
  console.log(`Medians of ${opts.runs} runs (wasm-interp: ${opts.interpRuns}), in ms. engine, V8 and wasmtime time the ` +
    'call of run() in-process (V8 and wasmtime after a warm-up call); wasm-interp is one process per run, ' +
    'start-up, decoding and validation included. Ratios above 1 mean this engine is slower.');
  for (const n of notes) console.log('note: ' + n);
  for (const e of errors) console.log(e);
  const elapsedSec = Math.round((performance.now() - started) / 1000);
  console.log(`Elapsed ${elapsedSec} s; load average at the end ${loadavg().map(x => x.toFixed(1)).join(' ')} ` +
    `on ${cpus().length} cores (other work on the machine slows every column).`);

  const outDir = join(ROOT, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage: loadavg(),
    elapsedSec,
    runs: opts.runs,
    interpRuns: opts.interpRuns,
    wasmInterp: interpVersion,
    wasmtime: wasmtimeAvailable,
    rows,
    notes: [...notes],
    errors,
  };
  const out = join(outDir, 'bench.json');
  writeFileSync(out, JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  console.log(`written ${resolve(out)}`);
  if (errors.length) process.exitCode = 1;
  if (opts.wasi) { console.log(''); runWasi(opts); }
}

/** The WASI benchmark (wasiBench.ts, loaded here like the engine: it may not be built). */
function runWasi(opts: Options): void {
  let wasiBench: typeof import('./wasiBench');
  try {
    wasiBench = require('./wasiBench') as typeof import('./wasiBench');
  } catch (e) {
    console.log(`note: WASI benchmark not available (${firstLine(e)})`);
    return;
  }
  const report = wasiBench.runWasiBench({ runs: opts.runs, timeoutSec: opts.timeoutSec });
  if (report.errors.length) process.exitCode = 1;
}

try {
  main();
} catch (e) {
  // Bad options and missing programs are reported as one line, not a stack trace.
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
}
