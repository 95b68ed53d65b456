// Randomized robustness: seeded sequences of valid-shaped DAP requests sent in random order and in
// every session state. Every request must get a response and the adapter must never throw out of
// its handlers (an uncaught exception fails the test process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DapClient, fixture } from './dapHarness';

const SEQUENCES = Number(process.env.DAP_FUZZ_SEQUENCES ?? 200);
const PROGRAMS = [
  { program: fixture('fact.wat'), invoke: 'main' },
  { program: fixture('fact.wat'), invoke: 'fact', invokeArgs: [7] },
  { program: fixture('memory.wat') },
  { program: fixture('trap.wat') },
  { program: fixture('trap.wat'), invoke: 'spin' },
  { program: fixture('hello.wat'), args: ['x'] },
  { program: fixture('bad.wat') },
  { program: fixture('missing.wasm') },
];

class Rng {
  constructor(private s: number) {}
  next(): number { this.s = (Math.imul(this.s ^ (this.s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0; return this.s / 2 ** 32; }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

function randomRequest(r: Rng, known: { refs: number[]; frames: number[]; ips: string[] }): [string, unknown] {
  const line = r.int(35);
  const num = () => r.pick([0, 1, 2, 3, 1000, 1001, 1002, 1003, 99999, -1, ...known.refs, ...known.frames]);
  const path = r.pick([fixture('fact.wat'), fixture('memory.wat'), fixture('trap.wat'), '/nowhere/x.wat']);
  const expr = r.pick(['$n', 'n', '$i', 'i32[$addr]', 'u8[0]', 'f64[1024]', '1 +', '$calls * 2', 'x[', '', '((1))', 'i32[-1]', 'global0', 'local0 >= 3']);
  const ip = r.pick(['0x00000048', '0x0', '0xffffffff', 'memory', 'zz', ...known.ips]);
  const granularity = r.pick([undefined, 'line', 'statement', 'instruction']);
  const table: [string, () => unknown][] = [
    ['initialize', () => ({ adapterID: 'fuzz', pathFormat: 'path' })],
    ['launch', () => ({ ...r.pick(PROGRAMS), stopOnEntry: r.next() < 0.5 })],
    ['configurationDone', () => ({})],
    ['setBreakpoints', () => ({ source: { path }, breakpoints: Array.from({ length: r.int(4) }, () => ({ line, condition: r.next() < 0.3 ? expr : undefined, hitCondition: r.next() < 0.2 ? r.pick(['2', '>= 3', '% 2', 'x']) : undefined, logMessage: r.next() < 0.2 ? `v={${expr}}` : undefined })) })],
    ['setBreakpoints', () => ({ source: { sourceReference: r.int(3) }, lines: [line] })],
    ['setFunctionBreakpoints', () => ({ breakpoints: [{ name: r.pick(['fact', '$fact', 'factIter', 'fill', 'spin', '_start', 'nope', '3']) }] })],
    ['setInstructionBreakpoints', () => ({ breakpoints: [{ instructionReference: ip, offset: r.int(5) }] })],
    ['setExceptionBreakpoints', () => ({ filters: r.pick([[], ['traps'], ['other']]) })],
    ['threads', () => ({})],
    ['continue', () => ({ threadId: 1 })],
    ['next', () => ({ threadId: 1, granularity })],
    ['stepIn', () => ({ threadId: 1, granularity })],
    ['stepOut', () => ({ threadId: 1, granularity })],
    ['pause', () => ({ threadId: 1 })],
    ['stackTrace', () => ({ threadId: 1, startFrame: r.int(3), levels: r.int(4) })],
    ['scopes', () => ({ frameId: num() })],
    ['variables', () => ({ variablesReference: num(), start: r.next() < 0.3 ? r.int(5000) : undefined, count: r.next() < 0.3 ? r.int(10) : undefined, format: { hex: r.next() < 0.5 } })],
    ['setVariable', () => ({ variablesReference: num(), name: r.pick(['$n', '$i', '$acc', '$calls', '$base', '[0]', 'x']), value: r.pick(['1', '-5', '0x10', 'nan', 'abc', '99999999999999999999']) })],
    ['evaluate', () => ({ expression: expr, frameId: r.next() < 0.7 ? num() : undefined, context: r.pick(['watch', 'hover', 'repl']) })],
    ['exceptionInfo', () => ({ threadId: 1 })],
    ['readMemory', () => ({ memoryReference: ip, offset: r.int(100) - 50, count: r.pick([0, 1, 16, 70000]) })],
    ['disassemble', () => ({ memoryReference: ip, instructionOffset: r.int(20) - 10, instructionCount: r.int(30) })],
    ['loadedSources', () => ({})],
    ['source', () => ({ source: r.next() < 0.5 ? { sourceReference: r.int(3) } : { path }, sourceReference: r.int(3) })],
    ['restart', () => ({})],
    ['terminate', () => ({})],
    ['stepBack', () => ({ threadId: 1 })],
    ['reverseContinue', () => ({ threadId: 1 })],
    ['gotoTime', () => ({ time: r.int(1000) })],
    ['completions', () => ({ text: '$', column: 1 })],
    ['modules', () => ({})],
    ['attach', () => ({})],
    ['goto', () => ({ threadId: 1, targetId: r.int(3) })],
  ];
  const [cmd, args] = r.pick(table);
  return [cmd, args()];
}

test(`${SEQUENCES} random request sequences: every request answered, the adapter survives`, async () => {
  let requests = 0, failures = 0;
  const onUncaught: unknown[] = [];
  const handler = (e: unknown) => { onUncaught.push(e); };
  process.on('uncaughtException', handler);
  try {
    for (let seqNo = 0; seqNo < SEQUENCES; seqNo++) {
      const r = new Rng(seqNo + 1);
      const c = new DapClient(seqNo + 1, 1);
      const known = { refs: [] as number[], frames: [] as number[], ips: [] as string[] };
      // Mostly start properly so later requests meet a live program.
      if (r.next() < 0.8) {
        await c.request('initialize', { adapterID: 'fuzz', pathFormat: 'path' });
        if (r.next() < 0.85) await c.request('launch', { ...r.pick(PROGRAMS), stopOnEntry: r.next() < 0.6 });
      }
      const n = 5 + r.int(20);
      for (let i = 0; i < n; i++) {
        const [cmd, args] = randomRequest(r, known);
        const resp = await Promise.race([
          c.request(cmd, args, false),
          new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no response to ${cmd} ${JSON.stringify(args)} (sequence ${seqNo})`)), 5000)),
        ]);
        requests++;
        assert.equal(resp.command, cmd);
        if (!resp.success) {
          failures++;
          assert.ok(typeof resp.message === 'string' && resp.message.length > 0, `error without message for ${cmd}`);
          assert.doesNotMatch(resp.message!, /internal error|TypeError|ReferenceError|undefined is not/, `sequence ${seqNo}: ${cmd} ${JSON.stringify(args)}`);
        }
        const b = resp.body as Record<string, any> | undefined;
        if (b?.stackFrames) for (const f of b.stackFrames) { known.frames.push(f.id); if (f.instructionPointerReference) known.ips.push(f.instructionPointerReference); }
        if (b?.scopes) for (const s of b.scopes) known.refs.push(s.variablesReference);
        if (r.next() < 0.3) await new Promise(res => setTimeout(res, r.int(3)));
      }
      await c.request('disconnect', {}, false);
      assert.deepEqual(onUncaught, [], `sequence ${seqNo}`);
    }
  } finally {
    process.off('uncaughtException', handler);
  }
  assert.ok(requests > SEQUENCES * 5, `${requests} requests`);
  assert.ok(failures > 0 && failures < requests, 'both successes and error responses were exercised');
});
