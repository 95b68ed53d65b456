// Smoke test of the shipped bundle dist/extension.js outside VS Code: `vscode` is replaced by a
// recording stand-in (any API not modelled below is an inert placeholder), activate() runs, and the
// registrations are checked: the commands of package.json, the wasm-rewind adapter factory (inline
// by default: its adapter answers a DAP initialize request; executable when the setting says so,
// pointing at dist/debugAdapter.js), the configuration provider, and the language client started on
// dist/server.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Module from 'node:module';
import type { ChildProcess } from 'node:child_process';

const root = join(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'extension.js');

/** A value that can be called, constructed, extended and read at any depth. */
function placeholder(name: string): unknown {
  const target = function () { /* placeholder */ } as unknown as Record<string | symbol, unknown>;
  const cache = new Map<string | symbol, unknown>();
  return new Proxy(target, {
    get(t, key) {
      if (key === 'prototype') return (t as unknown as { prototype: object }).prototype;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'then') return undefined; // not a thenable
      if (key === 'dispose') return () => undefined;
      if (!cache.has(key)) cache.set(key, placeholder(`${name}.${String(key)}`));
      return cache.get(key);
    },
    apply() { return placeholder(`${name}()`); },
    construct() { return placeholder(`new ${name}`) as object; },
  });
}

interface Registry {
  commands: Map<string, (...args: unknown[]) => unknown>;
  factories: Map<string, { createDebugAdapterDescriptor(session: unknown): unknown }>;
  providers: Map<string, { resolveDebugConfiguration(folder: unknown, config: Record<string, unknown>): unknown }>;
  settings: Record<string, unknown>;
  errors: string[];
  customRequests: { command: string; args: unknown }[];
  customEditors: Map<string, unknown>;
}

function fakeVscode(reg: Registry): unknown {
  class DebugAdapterInlineImplementation { constructor(readonly implementation: unknown) {} }
  class DebugAdapterExecutable { constructor(readonly command: string, readonly args: string[], readonly options?: unknown) {} }
  class Disposable { constructor(private readonly fn?: () => void) {} dispose(): void { this.fn?.(); } static from(): Disposable { return new Disposable(); } }
  const disposable = (): Disposable => new Disposable();
  const session = {
    type: 'wasm-rewind',
    customRequest: async (command: string, args: unknown) => { reg.customRequests.push({ command, args }); return {}; },
  };
  const api: Record<string, unknown> = {
    DebugAdapterInlineImplementation, DebugAdapterExecutable, Disposable, version: '1.90.0',
    debug: {
      registerDebugAdapterDescriptorFactory: (type: string, f: never) => { reg.factories.set(type, f); return disposable(); },
      registerDebugConfigurationProvider: (type: string, p: never) => { reg.providers.set(type, p); return disposable(); },
      activeDebugSession: session,
      activeStackItem: { session, threadId: 7 },
      startDebugging: async () => true,
    },
    commands: {
      registerCommand: (id: string, fn: never) => { reg.commands.set(id, fn); return disposable(); },
      executeCommand: async () => undefined,
    },
    workspace: new Proxy({
      getConfiguration: () => ({ get: (key: string, dflt: unknown) => (key in reg.settings ? reg.settings[key] : dflt) }),
    } as Record<string | symbol, unknown>, { get: (t, k) => (k in t ? t[k] : (placeholder(`workspace.${String(k)}`))) }),
    window: new Proxy({
      showErrorMessage: async (m: string) => { reg.errors.push(m); return undefined; },
      showWarningMessage: async (m: string) => { reg.errors.push(m); return undefined; },
      showInputBox: async () => '0x20',
      registerCustomEditorProvider: (viewType: string, p: unknown) => { reg.customEditors.set(viewType, p); return disposable(); },
      activeTextEditor: { document: { uri: { scheme: 'file', fsPath: '/w/prog.wat' }, languageId: 'wat' } },
    } as Record<string | symbol, unknown>, { get: (t, k) => (k in t ? t[k] : placeholder(`window.${String(k)}`)) }),
  };
  return new Proxy(api, { get: (t, k) => (k in t ? t[k as string] : placeholder(`vscode.${String(k)}`)) });
}

test('dist/extension.js activates: commands, debug adapter factory, configuration provider', { skip: !existsSync(bundle) && 'dist/extension.js not built' }, async () => {
  const reg: Registry = { commands: new Map(), factories: new Map(), providers: new Map(), settings: {}, errors: [], customRequests: [], customEditors: new Map() };
  const vscode = fakeVscode(reg);
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = M._load;
  // The language client forks the real dist/server.js: keep its processes to end them afterwards.
  const children: ChildProcess[] = [];
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscode;
    const real = load.call(this, request, parent, isMain);
    if (request === 'child_process' || request === 'node:child_process') {
      const cp = real as typeof import('node:child_process');
      return { ...cp, fork: (...a: Parameters<typeof cp.fork>) => { const c = cp.fork(...a); children.push(c); return c; } };
    }
    return real;
  };
  let ext: { activate(ctx: unknown): void; deactivate(): Promise<void> };
  try {
    ext = require(bundle);
  } finally {
    M._load = load;
  }
  const subscriptions: unknown[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => join(root, p), extensionPath: root };
  ext.activate(context);

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const declared = (pkg.contributes.commands as { command: string }[]).map(x => x.command).sort();
  assert.deepEqual([...reg.commands.keys()].sort(), declared);
  assert.ok(subscriptions.length >= declared.length + 2);
  assert.deepEqual([...reg.customEditors.keys()], ['wasmRewind.recording']);

  // Inline adapter by default: a real WasmDebugSession that answers initialize.
  const factory = reg.factories.get('wasm-rewind');
  assert.ok(factory);
  const inline = factory.createDebugAdapterDescriptor({}) as { implementation: { handleMessage(m: unknown): void; onDidSendMessage(cb: (m: unknown) => void): { dispose(): void }; dispose(): void } };
  assert.equal(inline.constructor.name, 'DebugAdapterInlineImplementation');
  const sent: { type: string; command?: string; success?: boolean; body?: Record<string, unknown> }[] = [];
  const sub = inline.implementation.onDidSendMessage(m => sent.push(m as never));
  inline.implementation.handleMessage({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'wasm-rewind', linesStartAt1: true, columnsStartAt1: true } });
  await new Promise(r => setTimeout(r, 50));
  const init = sent.find(m => m.type === 'response' && m.command === 'initialize');
  assert.ok(init?.success, JSON.stringify(sent));
  sub.dispose();
  inline.implementation.dispose();

  // Executable adapter when configured.
  reg.settings.adapter = 'executable';
  const exe = factory.createDebugAdapterDescriptor({}) as { command: string; args: string[]; options: { env: Record<string, string> } };
  assert.equal(exe.constructor.name, 'DebugAdapterExecutable');
  assert.deepEqual(exe.args, [join(root, 'dist/debugAdapter.js')]);
  assert.equal(exe.options.env.ELECTRON_RUN_AS_NODE, '1');

  // F5 without launch.json: the active .wat file.
  const provider = reg.providers.get('wasm-rewind');
  assert.ok(provider);
  assert.deepEqual(provider.resolveDebugConfiguration(undefined, {}),
    { type: 'wasm-rewind', request: 'launch', name: 'Debug WebAssembly file', program: '/w/prog.wat', stopOnEntry: true });

  // Reverse commands send custom requests to the active session with its thread.
  await reg.commands.get('wasmRewind.reverseStepIn')!();
  await reg.commands.get('wasmRewind.reverseStepOut')!();
  await reg.commands.get('wasmRewind.goToTime')!();
  assert.deepEqual(reg.customRequests, [
    { command: 'reverseStepIn', args: { threadId: 7 } },
    { command: 'reverseStepOut', args: { threadId: 7 } },
    { command: 'gotoTime', args: { threadId: 7, time: 32 } },
  ]);
  assert.deepEqual(reg.errors, []);
  // The language server process was started on the real bundle.
  await new Promise(r => setTimeout(r, 200));
  assert.equal(children.length, 1);
  assert.ok(children[0].spawnargs.some(a => a.endsWith(join('dist', 'server.js'))), children[0].spawnargs.join(' '));
  await Promise.race([ext.deactivate().catch(() => undefined), new Promise(r => setTimeout(r, 500))]);
  for (const c of children) { c.kill(); c.disconnect?.(); }
});
