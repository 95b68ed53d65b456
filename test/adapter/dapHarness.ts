// An in-process DAP client for the adapter tests: the adapter (WasmDebugSession) runs in this
// process over in-memory streams; every message in both directions is kept as a normalised
// transcript (adapter seq numbers dropped, absolute paths replaced by <root>). Writes to the adapter
// are delayed by a few milliseconds (seeded) to shake out ordering races.
import { PassThrough } from 'node:stream';
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { WasmDebugSession } from '../../debug-adapter/wasmDebugSession';

export const root = join(__dirname, '..', '..', '..');
export const fixture = (name: string): string => join(root, 'test', 'fixtures', 'wat', name);
export const goldenDir = join(root, 'test', 'adapter', 'golden');

export interface Message { type: string; seq?: number; command?: string; event?: string; request_seq?: number; success?: boolean; body?: any; message?: string; arguments?: any }

export class DapClient {
  readonly session: WasmDebugSession;
  private readonly toAdapter = new PassThrough();
  private readonly fromAdapter = new PassThrough();
  private buffer = Buffer.alloc(0);
  private seq = 1;
  readonly transcript: string[] = [];
  readonly received: Message[] = [];
  private readonly waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void; from: number }[] = [];
  private rng: number;
  private lastWrite = Promise.resolve();

  constructor(seed = 1, private readonly maxDelayMs = 3) {
    this.rng = seed >>> 0 || 1;
    this.session = new WasmDebugSession();
    this.session.start(this.toAdapter, this.fromAdapter);
    this.fromAdapter.on('data', (d: Buffer) => this.onData(d));
  }

  private random(): number {
    this.rng = (Math.imul(this.rng, 1664525) + 1013904223) >>> 0;
    return this.rng / 2 ** 32;
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const m = /Content-Length: (\d+)/.exec(this.buffer.subarray(0, head).toString());
      if (!m) throw new Error('bad header from adapter');
      const len = Number(m[1]);
      if (this.buffer.length < head + 4 + len) return;
      const msg = JSON.parse(this.buffer.subarray(head + 4, head + 4 + len).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(head + 4 + len);
      this.received.push(msg);
      const copy: Message = { ...msg };
      delete copy.seq;
      this.transcript.push('<- ' + normalise(JSON.stringify(copy)));
      for (let i = 0; i < this.waiters.length; i++) {
        const w = this.waiters[i];
        if (w.pred(msg)) { this.waiters.splice(i--, 1); w.resolve(msg); }
      }
    }
  }

  /** Sends a request (after a small delay) and resolves with its response. */
  request(command: string, args?: unknown, record = true): Promise<Message> {
    const seq = this.seq++;
    const msg: Message = { seq, type: 'request', command, arguments: args };
    if (record) this.transcript.push('-> ' + normalise(JSON.stringify(msg)));
    const resp = this.wait(m => m.type === 'response' && m.request_seq === seq, 0);
    const delay = Math.floor(this.random() * (this.maxDelayMs + 1));
    this.lastWrite = this.lastWrite.then(() => new Promise<void>(r => setTimeout(() => {
      const json = Buffer.from(JSON.stringify(msg), 'utf8');
      this.toAdapter.write(`Content-Length: ${json.length}\r\n\r\n`);
      this.toAdapter.write(json);
      r();
    }, delay)));
    return resp;
  }

  /** Waits for a message matching `pred` received after index `from` of `received`. */
  wait(pred: (m: Message) => boolean, from = this.received.length, timeoutMs = 10000): Promise<Message> {
    const found = this.received.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timeout waiting; transcript:\n${this.transcript.join('\n')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); }, from });
    });
  }
  event(name: string, from?: number): Promise<Message> { return this.wait(m => m.type === 'event' && m.event === name, from); }
  mark(): number { return this.received.length; }

  /** Standard start: initialize, launch, wait for initialized. */
  async start(launch: Record<string, unknown>): Promise<Message> {
    await this.request('initialize', { adapterID: 'wasm-rewind', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const from = this.mark();
    const r = await this.request('launch', launch);
    if (r.success) await this.event('initialized', from);
    return r;
  }

  async close(): Promise<void> {
    await this.request('disconnect', {}, false);
    this.transcript.pop();
  }
}

export function normalise(s: string): string {
  return s.split(JSON.stringify(root).slice(1, -1)).join('<root>').split(root).join('<root>');
}

/** Compares a transcript with test/adapter/golden/<name>.txt (RESET_RESULTS=1 rewrites it; a
 *  mismatch writes <name>.actual next to it). */
export function checkGolden(name: string, transcript: string[]): void {
  const file = join(goldenDir, name + '.txt');
  const actual = transcript.join('\n') + '\n';
  if (process.env.RESET_RESULTS === '1' || !existsSync(file)) {
    writeFileSync(file, actual);
    if (existsSync(join(goldenDir, name + '.actual'))) unlinkSync(join(goldenDir, name + '.actual'));
    if (process.env.RESET_RESULTS !== '1') assert.fail(`golden transcript ${name}.txt did not exist; written (re-run to compare)`);
    return;
  }
  const expected = readFileSync(file, 'utf8');
  if (expected !== actual) {
    writeFileSync(join(goldenDir, name + '.actual'), actual);
    assert.equal(actual, expected, `transcript ${name} differs from the golden file (see golden/${name}.actual)`);
  } else if (existsSync(join(goldenDir, name + '.actual'))) unlinkSync(join(goldenDir, name + '.actual'));
}
