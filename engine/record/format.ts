// The `.rewind` container: a recording of a WebAssembly execution.
//
// Layout (all integers little-endian):
//   preamble  8 bytes magic 89 'W' 'R' 'W' 'D' 0D 0A 1A, u16 format version (the writer's),
//             u16 required reader version (a reader older than this refuses the file)
//   chunks    u32 type (4 ASCII bytes), u32 payload length, payload, u32 CRC-32 of type+length+payload
//     'HEAD'  first; a field list: 1 recording id (16 random bytes), 2 time unit, 3 module SHA-256,
//             4 creation time (ms since 1970), 5 nominal interval length, 6 program arguments
//     'MODL'  the module bytes, or 'MPTH' the module's path (then the reader needs the bytes and checks
//             them against the SHA-256)
//     'LAYT'  store layout (host functions in address order, import addresses), see StoreLayout
//     'INTV'  one checkpoint interval (field list): 1 index, 2 checkpoint (see snapshot.ts), 3 end time,
//             4 end-state hash, 5 first-load log, 6 host-call log, 7 start-state hash
//     'TRAP'  the trap that ended the run (field list)
//     'OUTP'  stdout / stderr tails (field list: 1 stdout, 2 stderr)
//     'SUMM'  summary (field list)
//     'END_'  last; nothing may follow
//   Unknown chunk types are skipped (checked by CRC); unknown fields in a field list are ignored and
//   missing fields take their defaults, so the format grows compatibly. A change older readers cannot
//   honour raises the required reader version.
//
// The reader never crashes and never returns a silently wrong recording: every defect raises a
// RecordingFormatError with the byte offset where it was found.
//
// API:
//   encodeRecording(rec: Recording, options?: { embedModule?: boolean }): Uint8Array
//   decodeRecording(bytes: Uint8Array, options?: { moduleBytes?: Uint8Array }): Recording
//   saveRecording(fs: RecordingFiles, path: string, rec: Recording, options?): void  (temp name + rename)
//   loadRecording(fs: RecordingFiles, path: string, options?): Recording
//   newRecordingId(): Uint8Array

import { BinReader, BinWriter, RecordingFormatError, fBytes, fStr, fUv } from './codec';
import { crc32, sha256, toHex } from './hash';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot';

export { RecordingFormatError } from './codec';

export const MAGIC = new Uint8Array([0x89, 0x57, 0x52, 0x57, 0x44, 0x0d, 0x0a, 0x1a]);
/** Version this code writes. */
export const FORMAT_VERSION = 1;
/** Highest required-reader version this code can read. */
export const READER_VERSION = 1;
export const TIME_UNIT = 'wasm-instructions-retired';

/** One host call of an interval. */
export interface HostCallRecord {
  /** Machine.count when the call was made (the call instruction not yet retired). */
  time: number;
  /** Store address of the host function. */
  func: number;
  /** Results as raw value-stack words (2 per i32/i64/f32/f64/ref, 4 per v128). */
  results: Int32Array;
  /** Bytes the host wrote into memory, in order. */
  writes: { mem: number; addr: number; bytes: Uint8Array }[];
  /** The call trapped (e.g. proc_exit): code, message, exit code (proc_exit) or null. */
  trap: { code: number; message: string; exitCode: number | null } | null;
}

export interface IntervalRecord {
  index: number;
  /** Checkpoint at the start of the interval (its `time` is the start time). */
  start: Snapshot;
  startHash: string;
  endTime: number;
  /** Hash of the register file at the end of the interval (snapshotHash). */
  endHash: string;
  /** First-load log: (memory index, word index, word count, words...)*. */
  loads: Int32Array;
  host: HostCallRecord[];
}

export interface TrapInfo {
  code: number;
  message: string;
  funcIndex: number;
  offset: number;
  time: number;
  exitCode: number | null;
}

export interface RecordingSummary {
  /** 'done' | 'trapped' | 'exit' | 'running' */
  status: string;
  endTime: number;
  exitCode: number | null;
  /** Intervals recorded in total (the file may retain fewer). */
  totalIntervals: number;
}

/** How the recorded store's function addresses were laid out, so a replay store reproduces them:
 *  host functions at addresses [0, hostFuncs.length) in order, then the instance's functions; each
 *  function import resolved to the store address in `imports`. */
export interface StoreLayout {
  hostFuncs: { name: string; params: number[]; results: number[] }[];
  imports: number[];
}

export interface RecordingHeader {
  formatVersion: number;
  requiredVersion: number;
  recordingId: Uint8Array;
  timeUnit: string;
  moduleSha256: Uint8Array;
  createdMs: number;
  intervalLength: number;
  args: string[];
}

export interface Recording {
  header: RecordingHeader;
  /** Module bytes (embedded, or supplied to the reader for a path recording). */
  module: Uint8Array;
  /** Module path when the file does not embed the bytes. */
  modulePath: string | null;
  intervals: IntervalRecord[];
  trap: TrapInfo | null;
  stdoutTail: Uint8Array;
  stderrTail: Uint8Array;
  summary: RecordingSummary | null;
  layout: StoreLayout | null;
}

/** Injected file access (the Node implementation is engine/node/recordFiles.ts). */
export interface RecordingFiles {
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array): void;
  /** Atomic replace. */
  rename(from: string, to: string): void;
  remove(path: string): void;
}

export function newRecordingId(): Uint8Array {
  const id = new Uint8Array(16);
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } }).crypto;
  if (c && c.getRandomValues) c.getRandomValues(id);
  else for (let i = 0; i < 16; i++) id[i] = Math.floor(Math.random() * 256);
  return id;
}

export function makeHeader(module: Uint8Array, intervalLength: number, args: string[] = []): RecordingHeader {
  return {
    formatVersion: FORMAT_VERSION, requiredVersion: READER_VERSION, recordingId: newRecordingId(), timeUnit: TIME_UNIT,
    moduleSha256: sha256(module), createdMs: Date.now(), intervalLength, args,
  };
}

// ---- writing ----------------------------------------------------------------------------------------

const te = new TextEncoder();
function tag(s: string): number { return s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24); }
function tagName(t: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) { const c = (t >>> (8 * i)) & 0xff; s += c >= 32 && c < 127 ? String.fromCharCode(c) : '?'; }
  return s;
}

export function encodeHostLog(calls: HostCallRecord[]): Uint8Array {
  const w = new BinWriter().uv(calls.length);
  for (const c of calls) {
    w.uv(c.time).uv(c.func).words(c.results).uv(c.writes.length);
    for (const x of c.writes) w.uv(x.mem).uv(x.addr).blob(x.bytes);
    if (c.trap === null) w.u8(0);
    else { w.u8(c.trap.exitCode === null ? 1 : 2).uv(c.trap.code).str(c.trap.message); if (c.trap.exitCode !== null) w.sv(c.trap.exitCode); }
  }
  return w.finish();
}

export function decodeHostLog(r: BinReader): HostCallRecord[] {
  const out: HostCallRecord[] = [];
  for (let n = r.count(r.left, 'host call count'); n > 0; n--) {
    const time = r.uv(), func = r.uv(), results = r.words();
    const writes: HostCallRecord['writes'] = [];
    for (let k = r.count(r.left, 'write count'); k > 0; k--) writes.push({ mem: r.uv(), addr: r.uv(), bytes: r.blob() });
    const at = r.pos;
    const t = r.u8();
    let trap: HostCallRecord['trap'] = null;
    if (t === 1 || t === 2) trap = { code: r.uv(), message: r.str(), exitCode: t === 2 ? r.sv() : null };
    else if (t !== 0) r.fail(`bad host-call outcome ${t}`, at);
    out.push({ time, func, results, writes, trap });
  }
  return out;
}

export function encodeInterval(iv: IntervalRecord): Uint8Array {
  return new BinWriter()
    .fieldUv(1, iv.index)
    .field(2, encodeSnapshot(iv.start))
    .fieldUv(3, iv.endTime)
    .fieldStr(4, iv.endHash)
    .field(5, new BinWriter().words(iv.loads).finish())
    .field(6, encodeHostLog(iv.host))
    .fieldStr(7, iv.startHash)
    .finish();
}

export function encodeRecording(rec: Recording, options: { embedModule?: boolean } = {}): Uint8Array {
  const embed = options.embedModule ?? true;
  const w = new BinWriter();
  w.bytes(MAGIC).u16(rec.header.formatVersion).u16(rec.header.requiredVersion);
  const chunk = (type: string, payload: Uint8Array): void => {
    const start = w.length;
    w.u32(tag(type)).u32(payload.length).bytes(payload);
    const all = w.finish();
    w.u32(crc32(all, start, all.length));
  };
  const h = rec.header;
  const args = new BinWriter().uv(h.args.length);
  for (const a of h.args) args.str(a);
  chunk('HEAD', new BinWriter()
    .field(1, h.recordingId).fieldStr(2, h.timeUnit).field(3, h.moduleSha256).fieldUv(4, h.createdMs)
    .fieldUv(5, h.intervalLength).field(6, args.finish()).finish());
  if (embed || rec.modulePath === null) chunk('MODL', rec.module);
  else chunk('MPTH', te.encode(rec.modulePath));
  if (rec.layout) {
    const hf = new BinWriter().uv(rec.layout.hostFuncs.length);
    for (const f of rec.layout.hostFuncs) hf.str(f.name).blob(Uint8Array.from(f.params)).blob(Uint8Array.from(f.results));
    const im = new BinWriter().uv(rec.layout.imports.length);
    for (const a of rec.layout.imports) im.uv(a);
    chunk('LAYT', new BinWriter().field(1, hf.finish()).field(2, im.finish()).finish());
  }
  for (const iv of rec.intervals) chunk('INTV', encodeInterval(iv));
  if (rec.trap) {
    const t = rec.trap;
    const f = new BinWriter().fieldUv(1, t.code).fieldStr(2, t.message).field(3, new BinWriter().sv(t.funcIndex).finish())
      .field(4, new BinWriter().sv(t.offset).finish()).fieldUv(5, t.time);
    if (t.exitCode !== null) f.field(6, new BinWriter().sv(t.exitCode).finish());
    chunk('TRAP', f.finish());
  }
  if (rec.stdoutTail.length || rec.stderrTail.length) chunk('OUTP', new BinWriter().field(1, rec.stdoutTail).field(2, rec.stderrTail).finish());
  if (rec.summary) {
    const s = rec.summary;
    const f = new BinWriter().fieldStr(1, s.status).fieldUv(2, s.endTime).fieldUv(4, s.totalIntervals);
    if (s.exitCode !== null) f.field(3, new BinWriter().sv(s.exitCode).finish());
    chunk('SUMM', f.finish());
  }
  chunk('END_', new Uint8Array(0));
  return w.finish();
}

// ---- reading ----------------------------------------------------------------------------------------

function fSv(f: Map<number, BinReader>, id: number, def: number): number {
  const r = f.get(id); if (!r) return def; const x = r.sv(); r.done('field'); return x;
}

function decodeInterval(r: BinReader): IntervalRecord {
  const f = r.fields();
  const need = (id: number, what: string): BinReader => { const x = f.get(id); if (!x) r.fail(`interval: missing ${what}`); return x; };
  const index = fUv(f, 1, 0);
  const start = decodeSnapshot(need(2, 'checkpoint'));
  const endTime = fUv(f, 3, -1);
  if (endTime < start.time) r.fail('interval: end time before start');
  const lr = need(5, 'first-load log');
  const loads = lr.words();
  lr.done('first-load log');
  const hr = need(6, 'host log');
  const host = decodeHostLog(hr);
  hr.done('host log');
  return { index, start, startHash: fStr(f, 7, ''), endTime, endHash: fStr(f, 4, ''), loads, host };
}

export interface DecodeOptions {
  /** The module's bytes, required for a recording that stores a path; when given for an embedded
   *  module they must match it too. */
  moduleBytes?: Uint8Array;
}

export function decodeRecording(bytes: Uint8Array, options: DecodeOptions = {}): Recording {
  const r: BinReader = new BinReader(bytes);
  if (bytes.length < MAGIC.length + 4) r.fail(`truncated: ${bytes.length} bytes is too short for a .rewind file`, 0);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) r.fail('not a .rewind file (bad magic)', i);
  r.pos = MAGIC.length;
  const formatVersion = r.u16();
  const requiredVersion = r.u16();
  if (requiredVersion > READER_VERSION) r.fail(`recording needs a reader of format version ${requiredVersion}; this reader supports up to ${READER_VERSION} (upgrade wasm-rewind)`, MAGIC.length + 2);
  if (requiredVersion > formatVersion || requiredVersion === 0) r.fail(`inconsistent versions (format ${formatVersion}, required ${requiredVersion})`, MAGIC.length);
  let header: RecordingHeader | null = null;
  let module: Uint8Array | null = null;
  let modulePath: string | null = null;
  const intervals: IntervalRecord[] = [];
  let trap: TrapInfo | null = null;
  let stdoutTail: Uint8Array = new Uint8Array(0), stderrTail: Uint8Array = new Uint8Array(0);
  let summary: RecordingSummary | null = null;
  let layout: StoreLayout | null = null;
  let ended = false;
  let moduleAt = 0;
  while (r.pos < bytes.length) {
    const at = r.pos;
    if (ended) r.fail('data after the END_ chunk', at);
    if (r.left < 12) r.fail('truncated chunk header', at);
    const type = r.u32();
    const len = r.u32();
    if (len > r.left - 4) r.fail(`truncated chunk '${tagName(type)}' (needs ${len} bytes, ${Math.max(0, r.left - 4)} left)`, at);
    const crc = new DataView(bytes.buffer, bytes.byteOffset + r.pos + len, 4).getUint32(0, true);
    if (crc32(bytes, at, r.pos + len) !== crc) r.fail(`chunk '${tagName(type)}' is corrupt (CRC mismatch)`, at);
    const body = new BinReader(bytes, 0, r.pos, r.pos + len);
    const name = tagName(type);
    if (header === null && name !== 'HEAD') r.fail(`first chunk must be HEAD, found '${name}'`, at);
    switch (name) {
      case 'HEAD': {
        if (header !== null) r.fail('second HEAD chunk', at);
        const f = body.fields();
        const id = fBytes(f, 1);
        const sha: Uint8Array = fBytes(f, 3) ?? new Uint8Array(0);
        if (sha.length !== 32) body.fail('HEAD: missing module SHA-256', at);
        const args: string[] = [];
        const ar = f.get(6);
        if (ar) { for (let n = ar.count(ar.left, 'argument count'); n > 0; n--) args.push(ar.str()); }
        const hd: RecordingHeader = {
          formatVersion, requiredVersion, recordingId: id ?? new Uint8Array(16), timeUnit: fStr(f, 2, TIME_UNIT),
          moduleSha256: sha, createdMs: fUv(f, 4, 0), intervalLength: fUv(f, 5, 0), args,
        };
        if (hd.timeUnit !== TIME_UNIT) r.fail(`unknown time unit '${hd.timeUnit}'`, at);
        header = hd;
        break;
      }
      case 'MODL': module = body.bytes(len); moduleAt = at; break;
      case 'MPTH': {
        try { modulePath = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes(len)); } catch { r.fail('MPTH: invalid UTF-8', at); }
        moduleAt = at;
        break;
      }
      case 'INTV': {
        const iv = decodeInterval(body);
        const prev = intervals[intervals.length - 1];
        if (prev && prev.endTime !== iv.start.time) r.fail(`interval ${iv.index} starts at ${iv.start.time}, previous ended at ${prev.endTime}`, at);
        intervals.push(iv);
        break;
      }
      case 'TRAP': {
        const f = body.fields();
        const ec = f.get(6);
        trap = { code: fUv(f, 1, 0), message: fStr(f, 2, 'trap'), funcIndex: fSv(f, 3, -1), offset: fSv(f, 4, -1), time: fUv(f, 5, 0), exitCode: ec ? ec.sv() : null };
        break;
      }
      case 'OUTP': { const f = body.fields(); stdoutTail = fBytes(f, 1) ?? stdoutTail; stderrTail = fBytes(f, 2) ?? stderrTail; break; }
      case 'SUMM': {
        const f = body.fields();
        const ec = f.get(3);
        summary = { status: fStr(f, 1, 'running'), endTime: fUv(f, 2, 0), exitCode: ec ? ec.sv() : null, totalIntervals: fUv(f, 4, 0) };
        break;
      }
      case 'LAYT': {
        const f = body.fields();
        const hostFuncs: StoreLayout['hostFuncs'] = [];
        const imports: number[] = [];
        const hf = f.get(1);
        if (hf) for (let n = hf.count(hf.left, 'host function count'); n > 0; n--) hostFuncs.push({ name: hf.str(), params: [...hf.blob()], results: [...hf.blob()] });
        const im = f.get(2);
        if (im) for (let n = im.count(im.left, 'import count'); n > 0; n--) imports.push(im.uv());
        layout = { hostFuncs, imports };
        break;
      }
      case 'END_': ended = true; break;
      default: break; // a chunk type from a newer writer: skipped
    }
    r.pos = at + 8 + len + 4;
  }
  const hdr = header as RecordingHeader | null;
  if (hdr === null) return r.fail('empty recording (no HEAD chunk)', r.pos);
  if (!ended) r.fail('truncated: missing END_ chunk', r.pos);
  if (module === null) {
    if (modulePath === null) r.fail('no module (neither MODL nor MPTH)', r.pos);
    if (!options.moduleBytes) throw new RecordingFormatError(`recording refers to module '${modulePath}': its bytes are needed`, moduleAt);
    module = options.moduleBytes;
  }
  if (toHex(sha256(module)) !== toHex(hdr.moduleSha256)) r.fail('module does not match the recording (SHA-256 differs)', moduleAt);
  if (options.moduleBytes && toHex(sha256(options.moduleBytes)) !== toHex(hdr.moduleSha256)) r.fail('given module does not match the recording (SHA-256 differs)', moduleAt);
  return { header: hdr, module, modulePath, intervals, trap, stdoutTail, stderrTail, summary, layout };
}

// ---- files ------------------------------------------------------------------------------------------

/** Writes to a temporary name next to `path`, then renames it over `path` (atomic on one file system). */
export function saveRecording(fs: RecordingFiles, path: string, rec: Recording, options: { embedModule?: boolean } = {}): number {
  const data = encodeRecording(rec, options);
  const tmp = `${path}.tmp-${toHex(newRecordingId()).slice(0, 8)}`;
  try {
    fs.writeFile(tmp, data);
    fs.rename(tmp, path);
  } catch (e) {
    try { fs.remove(tmp); } catch { /* already gone */ }
    throw e;
  }
  return data.length;
}

export function loadRecording(fs: RecordingFiles, path: string, options: DecodeOptions = {}): Recording {
  return decodeRecording(fs.readFile(path), options);
}
