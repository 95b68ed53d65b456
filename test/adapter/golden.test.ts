// Golden DAP transcripts: the adapter in-process over in-memory streams, one scenario per
// transcript in test/adapter/golden/ (RESET_RESULTS=1 rewrites them; a mismatch writes
// golden/<name>.actual). Fixtures: test/fixtures/wat/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { assembleWat } from '../../engine/wat/assembler';
import { DapClient, checkGolden, fixture, root, type Message } from './dapHarness';

const FACT = fixture('fact.wat');
const MEM = fixture('memory.wat');
const TRAP = fixture('trap.wat');
const T = { threadId: 1 };

async function until(c: DapClient, event: string, command: string, args?: unknown): Promise<Message> {
  const k = c.mark();
  const r = await c.request(command, args);
  assert.ok(r.success, `${command} failed: ${r.message}`);
  return c.event(event, k);
}
const stopAfter = (c: DapClient, command: string, args: unknown = T) => until(c, 'stopped', command, args);

async function scenario(name: string, body: (c: DapClient) => Promise<void>): Promise<void> {
  const c = new DapClient(name.length * 7919);
  try {
    await body(c);
  } finally {
    await c.close();
  }
  checkGolden(name, c.transcript);
}

async function inspectTop(c: DapClient, hex = false): Promise<void> {
  await c.request('stackTrace', { threadId: 1 });
  const s = await c.request('scopes', { frameId: 1 });
  for (const sc of s.body.scopes) {
    if (sc.name === 'Memory') continue;
    await c.request('variables', hex ? { variablesReference: sc.variablesReference, format: { hex: true } } : { variablesReference: sc.variablesReference });
  }
}

test('launch, line breakpoint (moved to code), stack, scopes, variables (also hex)', () => scenario('breakpoint-variables', async (c) => {
  await c.start({ program: FACT, invoke: 'main' });
  await c.request('breakpointLocations', { source: { path: FACT }, line: 9, endLine: 12 });
  await c.request('breakpointLocations', { source: { path: FACT }, line: 19, column: 20, endLine: 19, endColumn: 50 });
  await c.request('setBreakpoints', { source: { path: FACT }, breakpoints: [{ line: 12 }, { line: 19 }] });
  await stopAfter(c, 'configurationDone', {});
  await inspectTop(c);
  await stopAfter(c, 'continue');
  await inspectTop(c, true);
  await c.request('setBreakpoints', { source: { path: FACT }, breakpoints: [] });
  await until(c, 'terminated', 'continue', T);
}));

test('stepping over, in, out at line and instruction granularity', () => scenario('stepping', async (c) => {
  await c.start({ program: FACT, invoke: 'main', stopOnEntry: true });
  await stopAfter(c, 'configurationDone', {});
  await c.request('stackTrace', T);
  await stopAfter(c, 'next');            // over fact(5): to line 28
  await c.request('stackTrace', T);
  await stopAfter(c, 'stepIn');          // into factIter
  await c.request('stackTrace', T);
  await stopAfter(c, 'next');
  await stopAfter(c, 'next', { threadId: 1, granularity: 'instruction' });
  await c.request('stackTrace', T);
  await stopAfter(c, 'stepIn', { threadId: 1, granularity: 'instruction' });
  await c.request('stackTrace', T);
  await stopAfter(c, 'stepOut');         // back in main
  await c.request('stackTrace', T);
  await stopAfter(c, 'stepIn');
  await c.request('stackTrace', T);
  await until(c, 'terminated', 'stepOut', T); // out of main: the program ends
}));

test('function breakpoints by export and name-section name; recursion stack', () => scenario('function-breakpoints', async (c) => {
  await c.start({ program: FACT, invoke: 'main' });
  await c.request('setFunctionBreakpoints', { breakpoints: [{ name: '$fact', hitCondition: '== 3' }, { name: 'factIter' }, { name: 'nope' }] });
  await stopAfter(c, 'configurationDone', {});
  await c.request('stackTrace', T);
  await c.request('evaluate', { expression: '$n', frameId: 1 });
  await c.request('evaluate', { expression: 'n', frameId: 3 });
  await c.request('stackTrace', { threadId: 1, startFrame: 1, levels: 1 });
  await stopAfter(c, 'continue');
  await c.request('stackTrace', T);
  await until(c, 'terminated', 'continue', T);
}));

test('logpoints, conditions, hit counts', () => scenario('logpoints-conditions', async (c) => {
  await c.start({ program: FACT, invoke: 'main' });
  await c.request('setBreakpoints', {
    source: { path: FACT }, breakpoints: [
      { line: 5, logMessage: 'fact({$n}) calls={$calls} bad={nope}' },
      { line: 6, condition: '$n == 2' },
      { line: 20, hitCondition: '>= 4' },
      { line: 19, condition: '$n +' },
    ],
  });
  await stopAfter(c, 'configurationDone', {});
  await c.request('evaluate', { expression: '$n', frameId: 1 });
  await stopAfter(c, 'continue');
  await c.request('evaluate', { expression: '$n', frameId: 1 });
  await c.request('setBreakpoints', { source: { path: FACT }, breakpoints: [] });
  await until(c, 'terminated', 'continue', T);
}));

test('exception breakpoint on a trap, exceptionInfo, wasm stack', () => scenario('trap-exception', async (c) => {
  await c.start({ program: TRAP });
  await c.request('setExceptionBreakpoints', { filters: ['traps'] });
  const stop = await stopAfter(c, 'configurationDone', {});
  assert.equal(stop.body.reason, 'exception');
  await c.request('exceptionInfo', T);
  await inspectTop(c);
  await c.request('setVariable', { variablesReference: 1000, name: '$a', value: '1' });
  await c.request('next', T);
  await c.event('terminated');
}));

test('a trap without the exception filter ends the program with its message', () => scenario('trap-unfiltered', async (c) => {
  await c.start({ program: TRAP });
  await c.request('setExceptionBreakpoints', { filters: [] });
  await until(c, 'terminated', 'configurationDone', {});
}));

test('evaluate, memory reads, readMemory, Memory scope, setVariable', () => scenario('evaluate-memory', async (c) => {
  await c.start({ program: MEM });
  await c.request('setBreakpoints', { source: { path: MEM }, breakpoints: [{ line: 15, condition: '$i == 3' }] });
  await stopAfter(c, 'configurationDone', {});
  for (const e of ['$i', 'i', '$addr', 'base', 'i32[256 + 4*2]', 'i32[$addr]', 'u8[0]', 'i8[1] + 1', 'u16[0]', 'u32[256+8]',
    'i64[256]', 'f64[1024 + 8*2]', 'f32[0]', '$i * 1.5', '$i << 4 | 1', '$i >= 3 && $i < 4', '-($i)', 'i32[65535]', 'x[1]', 'nope', '1 +', '(1', '7 / 0']) {
    await c.request('evaluate', { expression: e, frameId: 1, context: 'watch' });
  }
  await c.request('evaluate', { expression: '$addr', frameId: 1, format: { hex: true } });
  await c.request('readMemory', { memoryReference: '0x00000000', count: 16 });
  await c.request('readMemory', { memoryReference: '0x00000100', offset: 4, count: 12 });
  await c.request('readMemory', { memoryReference: '0x0000fff8', count: 16 });
  const s = await c.request('scopes', { frameId: 1 });
  const memScope = s.body.scopes.find((x: { name: string }) => x.name === 'Memory');
  await c.request('variables', { variablesReference: memScope.variablesReference, start: 16, count: 2 });
  const loc = s.body.scopes[0].variablesReference;
  await c.request('setVariable', { variablesReference: loc, name: '$i', value: '8' });
  await c.request('setVariable', { variablesReference: loc, name: '$i', value: 'eight' });
  await c.request('setVariable', { variablesReference: s.body.scopes[2].variablesReference, name: '$base', value: '0' });
  await c.request('variables', { variablesReference: loc });
  await c.request('setBreakpoints', { source: { path: MEM }, breakpoints: [] });
  await until(c, 'terminated', 'continue', T);
}));

test('disassemble, instruction breakpoints, loadedSources, source', () => scenario('disassemble', async (c) => {
  await c.start({ program: FACT, invoke: 'main', stopOnEntry: true });
  await stopAfter(c, 'configurationDone', {});
  const st = await c.request('stackTrace', T);
  const ip = st.body.stackFrames[0].instructionPointerReference;
  await c.request('disassemble', { memoryReference: ip, instructionOffset: -2, instructionCount: 8, resolveSymbols: true });
  await c.request('disassemble', { memoryReference: '0x00000047', instructionCount: 3 });
  await c.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x0000004f' }, { instructionReference: '0x00000050' }, { instructionReference: ip, offset: 2 }] });
  await stopAfter(c, 'continue');
  await c.request('stackTrace', { threadId: 1, levels: 1 });
  await c.request('loadedSources', {});
  const src = await c.request('source', { source: { path: FACT }, sourceReference: 0 });
  assert.equal(src.body.content, readFileSync(FACT, 'utf8'));
  await c.request('setInstructionBreakpoints', { breakpoints: [] });
  await until(c, 'terminated', 'continue', T);
}));

test('bad launch configurations get an error the user understands and end the session', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rewind-dap-')));
  const notWasm = join(dir, 'notes.txt');
  writeFileSync(notWasm, 'hello');
  const badWasm = join(dir, 'bad.wasm');
  writeFileSync(badWasm, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 99]));
  const cases: [string, Record<string, unknown>][] = [
    ['no program', {}],
    ['missing file', { program: join(root, 'test/fixtures/wat/missing.wat') }],
    ['not wasm', { program: notWasm }],
    ['malformed wasm', { program: badWasm }],
    ['bad wat', { program: fixture('bad.wat') }],
    ['no _start', { program: FACT }],
    ['missing export', { program: FACT, invoke: 'nothere' }],
    ['wrong argument count', { program: FACT, invoke: 'fact' }],
    ['bad argument', { program: FACT, invoke: 'fact', invokeArgs: ['x'] }],
    ['bad preopen', { program: fixture('hello.wat'), preopens: { '/data': join(root, 'no-such-dir') } }],
    ['bad cwd', { program: 'fact.wat', cwd: join(root, 'no-such-dir') }],
    ['bad args', { program: fixture('hello.wat'), args: 'a b' }],
    ['bad env', { program: fixture('hello.wat'), env: 'X=1' }],
  ];
  const transcript: string[] = [];
  for (const [label, args] of cases) {
    const c = new DapClient(label.length);
    const r = await c.start(args);
    assert.equal(r.success, false, label);
    await c.event('terminated', 0);
    await c.request('threads', {});
    await c.close();
    transcript.push(`## ${label}`, ...c.transcript.slice(2).map(l => l.split(dir).join('<tmp>')));
  }
  checkGolden('bad-launch', transcript);
});

test('WASI program: stdout/stderr as output events, exit code', () => scenario('wasi-output', async (c) => {
  await c.start({ program: fixture('hello.wat'), args: ['a', 'b'], env: { X: '1' } });
  await until(c, 'terminated', 'configurationDone', {});
}));

test('pause an infinite loop, inspect, terminate', () => scenario('pause', async (c) => {
  await c.start({ program: TRAP, invoke: 'spin' });
  const k = c.mark();
  await c.request('configurationDone');
  await new Promise(r => setTimeout(r, 50));
  await c.request('stackTrace', T);     // running: error
  await c.request('pause', T);
  await c.event('stopped', k);
  const st = await c.request('stackTrace', T);
  assert.equal(st.body.stackFrames[0].name, 'spin');
  const s = await c.request('scopes', { frameId: 1 });
  const v = await c.request('variables', { variablesReference: s.body.scopes[0].variablesReference });
  assert.ok(Number(v.body.variables[0].value) > 1000, 'the loop ran');
  c.transcript.splice(c.transcript.length - 6); // counts depend on timing
  await c.request('pause', T);             // already paused: error
  await until(c, 'terminated', 'terminate', {});
  await c.request('continue', T);          // after the end: error
}));

test('a .wasm without sources: generated WAT through a sourceReference', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rewind-dap-')));
  const wasm = join(dir, 'memory.wasm');
  writeFileSync(wasm, assembleWat(readFileSync(MEM, 'utf8')).binary);
  const c = new DapClient(5);
  await c.start({ program: wasm });
  await c.request('setBreakpoints', { source: { name: 'memory.wasm.wat', sourceReference: 1 }, breakpoints: [{ line: 30 }] });
  await stopAfter(c, 'configurationDone', {});
  await c.request('stackTrace', T);
  await c.request('loadedSources', {});
  const src = await c.request('source', { source: { sourceReference: 1 }, sourceReference: 1 });
  assert.match(src.body.content, /\(func \$fill/);
  await stopAfter(c, 'next', T);
  await c.request('stackTrace', { threadId: 1, levels: 1 });
  await c.request('setBreakpoints', { source: { name: 'memory.wasm.wat', sourceReference: 1 }, breakpoints: [] });
  await until(c, 'terminated', 'continue', T);
  await c.close();
  checkGolden('generated-source', c.transcript.map(l => l.split(dir).join('<tmp>')));
});

test('requests in the wrong state get error responses', () => scenario('wrong-state', async (c) => {
  for (const cmd of ['stackTrace', 'continue', 'next', 'scopes', 'variables', 'evaluate', 'setBreakpoints', 'configurationDone', 'launch', 'readMemory', 'disassemble', 'stepBack', 'reverseContinue', 'gotoTime', 'attach', 'goto', 'setExpression']) {
    await c.request(cmd, {});
  }
  await c.start({ program: FACT, invoke: 'main', stopOnEntry: true });
  await c.request('launch', { program: FACT, invoke: 'main' });
  await c.request('continue', T);
  await c.request('exceptionInfo', T);
  await stopAfter(c, 'configurationDone', {});
  await c.request('exceptionInfo', T);
  await c.request('configurationDone', {});
  await c.request('scopes', { frameId: 99 });
  await c.request('variables', { variablesReference: 4242 });
  await c.request('initialize', { adapterID: 'x', pathFormat: 'path' });
  await until(c, 'terminated', 'terminate', {});
  await c.request('terminate', {});
  await c.request('next', T);
}));

test('restart runs the program again with the same breakpoints', () => scenario('restart', async (c) => {
  await c.start({ program: FACT, invoke: 'main' });
  await c.request('setBreakpoints', { source: { path: FACT }, breakpoints: [{ line: 28 }] });
  await stopAfter(c, 'configurationDone', {});
  await c.request('evaluate', { expression: '$a', frameId: 1 });
  await stopAfter(c, 'restart', {});
  await c.request('evaluate', { expression: '$a', frameId: 1 });
  await c.request('stackTrace', T);
  await until(c, 'terminated', 'terminate', {});
}));

test('noDebug runs to the end without stopping', () => scenario('no-debug', async (c) => {
  await c.start({ program: FACT, invoke: 'main', noDebug: true, stopOnEntry: true });
  await c.request('setBreakpoints', { source: { path: FACT }, breakpoints: [{ line: 19 }] });
  await until(c, 'terminated', 'configurationDone', {});
}));

test('values of every type: formatting, hex, v128 lanes, setVariable of floats and i64', () => scenario('values', async (c) => {
  const VALUES = fixture('values.wat');
  await c.start({ program: VALUES, invoke: 'values', invokeArgs: [-7, '0x1234567890'] });
  await c.request('setBreakpoints', { source: { path: VALUES }, breakpoints: [{ line: 15 }] });
  await stopAfter(c, 'configurationDone', {});
  const s = await c.request('scopes', { frameId: 1 });
  const locals = s.body.scopes[0].variablesReference;
  const v = await c.request('variables', { variablesReference: locals });
  await c.request('variables', { variablesReference: locals, format: { hex: true } });
  const vec = v.body.variables.find((x: { name: string }) => x.name === '$v');
  await c.request('variables', { variablesReference: vec.variablesReference });
  await c.request('variables', { variablesReference: s.body.scopes[2].variablesReference });
  await c.request('setVariable', { variablesReference: locals, name: '$y', value: '2.5' });
  await c.request('setVariable', { variablesReference: locals, name: '$b', value: '-1' });
  await c.request('setVariable', { variablesReference: locals, name: '$x', value: 'inf' });
  await c.request('setVariable', { variablesReference: locals, name: '$v', value: '1' });
  await c.request('setVariable', { variablesReference: locals, name: '$a', value: '0x100000000' });
  await c.request('setVariable', { variablesReference: s.body.scopes[2].variablesReference, name: '$fixed', value: '1' });
  await c.request('setVariable', { variablesReference: s.body.scopes[2].variablesReference, name: '$g64', value: '0x7fffffffffffffff' });
  await c.request('variables', { variablesReference: s.body.scopes[2].variablesReference });
  await c.request('evaluate', { expression: '$y + $b', frameId: 1 });
  await c.request('evaluate', { expression: '$v', frameId: 1 });
  await until(c, 'terminated', 'continue', T);
}));
