// The bundled adapter (dist/debugAdapter.js, built by `node scripts/build.mjs`) driven over stdio by
// DebugClient from @vscode/debugadapter-testsupport; and the --server=PORT mode on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const root = join(__dirname, '..', '..', '..');
const adapter = join(root, 'dist', 'debugAdapter.js');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'wat', name);
const FACT = fixture('fact.wat');

let dc: DebugClient;
before(async () => {
  assert.ok(existsSync(adapter), `${adapter} is missing: run node scripts/build.mjs`);
});

async function client(): Promise<DebugClient> {
  const c = new DebugClient(process.execPath, adapter, 'wasm-rewind');
  c.defaultTimeout = 10000;
  await c.start();
  return c;
}

after(async () => { await dc?.stop(); });

test('stdio: launch, hit a breakpoint, inspect, step, finish', async () => {
  dc = await client();
  try {
    await dc.hitBreakpoint({ program: FACT, invoke: 'main' }, { path: FACT, line: 19 });
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0].name, 'factIter');
    assert.equal(st.body.stackFrames[0].line, 19);
    assert.equal(st.body.stackFrames[1].name, 'main');
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
    const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    assert.deepEqual(locals.body.variables.map(v => `${v.name}=${v.value}:${v.type}`), ['$n=6:i32', '$acc=1:i64']);
    await dc.setBreakpointsRequest({ source: { path: FACT }, breakpoints: [] });
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { path: FACT, line: 20 })]);
    await Promise.all([dc.stepOutRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { path: FACT, line: 28 })]);
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.assertOutput('console', 'main returned 840:i32'), dc.waitForEvent('terminated')]);
  } finally {
    await dc.stop();
  }
});

test('stdio: a trap stops with an exception, exceptionInfo names it', async () => {
  dc = await client();
  try {
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ program: fixture('trap.wat') }),
      dc.assertStoppedLocation('exception', { path: fixture('trap.wat'), line: 4 }),
    ]);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'integer-divide-by-zero');
    assert.equal(info.body.description, 'integer divide by zero');
    assert.match(info.body.details!.stackTrace!, /at \$?divide[\s\S]*at \$?average/);
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('terminated')]);
  } finally {
    await dc.stop();
  }
});

test('stdio: WASI output events and exit code; pause of an infinite loop', async () => {
  dc = await client();
  try {
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ program: fixture('hello.wat') }),
      dc.assertOutput('stdout', 'hello, world\n'),
      dc.assertOutput('stderr', 'oops\n'),
      dc.waitForEvent('exited').then(e => assert.equal(e.body.exitCode, 3)),
      dc.waitForEvent('terminated'),
    ]);
  } finally {
    await dc.stop();
  }
  dc = await client();
  try {
    await Promise.all([dc.configurationSequence(), dc.launch({ program: fixture('trap.wat'), invoke: 'spin' })]);
    await new Promise(r => setTimeout(r, 100));
    await Promise.all([dc.pauseRequest({ threadId: 1 }), dc.assertStoppedLocation('pause', {})]);
    await dc.terminateRequest({});
    await dc.waitForEvent('terminated');
  } finally {
    await dc.stop();
  }
});

test('stdio: a bad program gives an error response', async () => {
  dc = await client();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: fixture('bad.wat') } as never), /bad\.wat:5:1/);
  } finally {
    await dc.stop();
  }
});

test('--server=PORT listens on 127.0.0.1 and speaks DAP', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(process.execPath, [adapter, `--server=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('server did not start')), 10000);
      child.stderr!.on('data', (d: Buffer) => { if (d.toString().includes(`127.0.0.1:${port}`)) { clearTimeout(t); resolve(); } });
    });
    const c = new DebugClient(process.execPath, adapter, 'wasm-rewind');
    await c.start(port);
    const init = await c.initializeRequest();
    assert.equal(init.body?.supportsConfigurationDoneRequest, true);
    await c.stop();
    // not reachable on other interfaces: the socket address is the loopback one
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => { assert.equal(s.remoteAddress, '127.0.0.1'); s.destroy(); resolve(); });
      s.on('error', reject);
    });
  } finally {
    child.kill();
  }
});
