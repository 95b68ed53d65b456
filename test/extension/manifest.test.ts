// Consistency of the extension manifest (package.json `contributes`) with the code: commands,
// menus, keybindings, grammar and language configuration files, the debugger's launch schema
// against the attributes the debug adapter reads, the bundles the manifest points at, and what the
// .vsix ships. Plus unit tests of the vscode-free debug configuration logic (extension/debugConfig.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveLaunchConfig, parseTime, CUSTOM_REQUESTS, DEBUG_TYPE, isDebuggableFile } from '../../extension/debugConfig';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const c = pkg.contributes;

interface Command { command: string; title?: string; category?: string; icon?: string }
interface MenuItem { command: string; when?: string; group?: string }

const commands: Command[] = c.commands;
const commandIds = new Set(commands.map(x => x.command));

test('every command has a title and a category; ids are unique', () => {
  assert.ok(commands.length >= 5);
  assert.equal(commandIds.size, commands.length);
  for (const cmd of commands) {
    assert.ok(cmd.title && cmd.title.trim(), `${cmd.command} has a title`);
    assert.equal(cmd.category, 'Wasm Rewind', cmd.command);
    assert.match(cmd.command, /^wasmRewind\.[a-zA-Z]+$/);
  }
  for (const title of ['Reverse Step In', 'Reverse Step Out', 'Go to Time…', 'Open Recording…']) {
    assert.ok(commands.some(x => x.title === title), title);
  }
});

test('menus and keybindings refer to declared commands; debug toolbar items are limited to wasm-rewind sessions', () => {
  for (const [menu, items] of Object.entries(c.menus as Record<string, MenuItem[]>)) {
    for (const item of items) assert.ok(commandIds.has(item.command), `${menu}: ${item.command} is declared`);
  }
  const toolbar: MenuItem[] = c.menus['debug/toolBar'];
  assert.deepEqual(toolbar.map(x => x.command).sort(), ['wasmRewind.goToTime', 'wasmRewind.reverseStepIn', 'wasmRewind.reverseStepOut']);
  for (const item of toolbar) assert.match(item.when ?? '', /\bdebugType == wasm-rewind\b/, item.command);
  for (const k of c.keybindings as { command: string; key: string; when: string }[]) {
    assert.ok(commandIds.has(k.command), k.command);
    assert.ok(k.key);
    assert.match(k.when, /\bdebugType == wasm-rewind\b/);
  }
  // Every command with an icon shown on the toolbar has one.
  for (const item of toolbar) assert.ok(commands.find(x => x.command === item.command)?.icon, item.command);
});

test('commands registered by extension.ts are exactly the declared ones', () => {
  const src = readFileSync(join(root, 'extension', 'extension.ts'), 'utf8');
  const registered = new Set([...src.matchAll(/registerCommand\(\s*'([^']+)'/g)].map(m => m[1]));
  assert.deepEqual([...registered].sort(), [...commandIds].sort());
  // custom request names used by the commands are the exported constants
  assert.match(src, /CUSTOM_REQUESTS\.reverseStepIn/);
  assert.match(src, /CUSTOM_REQUESTS\.reverseStepOut/);
  assert.match(src, /CUSTOM_REQUESTS\.goToTime/);
});

test('language, grammar and language configuration', () => {
  const [lang] = c.languages;
  assert.equal(lang.id, 'wat'); // shared with VS Code's built-in JavaScript debugger on purpose (README)
  assert.deepEqual(lang.extensions, ['.wat', '.wast']);
  assert.ok(!lang.extensions.includes('.wasm'), '.wasm is binary: not opened as text by us');
  const cfgPath = join(root, lang.configuration);
  assert.ok(existsSync(cfgPath), lang.configuration);
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  assert.equal(cfg.comments.lineComment, ';;');
  assert.deepEqual(cfg.comments.blockComment, ['(;', ';)']);
  const [g] = c.grammars;
  assert.equal(g.language, 'wat');
  const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
  assert.equal(grammar.scopeName, g.scopeName);
  assert.notEqual(g.scopeName, 'text.wat', 'own scope name, distinct from js-debug\'s basic grammar');
  assert.deepEqual(c.breakpoints.map((b: { language: string }) => b.language).sort(), ['c', 'cpp', 'rust', 'wat']);
});

/** Attribute names of the adapter's LaunchArguments interface, read from its source. */
function adapterLaunchAttributes(): string[] {
  const src = readFileSync(join(root, 'debug-adapter', 'wasmDebugSession.ts'), 'utf8');
  const m = /export interface LaunchArguments[^{]*\{([\s\S]*?)\n\}/.exec(src);
  assert.ok(m, 'LaunchArguments interface found');
  return [...m[1].replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').matchAll(/^\s*([A-Za-z_]\w*)\??\s*:/gm)].map(x => x[1]);
}

test('debugger: schema lists every attribute the adapter reads, and the planned recording ones', () => {
  const [dbg] = c.debuggers;
  assert.equal(dbg.type, DEBUG_TYPE);
  const props = dbg.configurationAttributes.launch.properties as Record<string, { description?: string; default?: unknown }>;
  const fromAdapter = adapterLaunchAttributes();
  assert.ok(fromAdapter.includes('program') && fromAdapter.length >= 5, fromAdapter.join());
  for (const a of fromAdapter) assert.ok(props[a], `launch attribute ${a} (read by the adapter) is in the schema`);
  for (const a of ['program', 'args', 'env', 'cwd', 'preopens', 'stopOnEntry', 'invoke', 'recording', 'intervalInstructions', 'bufferMb']) {
    assert.ok(props[a], a);
  }
  for (const [name, p] of Object.entries(props)) {
    assert.ok(p.description && p.description.length > 10, `${name} has a description`);
    assert.ok('default' in p, `${name} has a default`);
  }
  // initial configurations and snippets only use schema attributes
  const bodies = [...dbg.initialConfigurations, ...dbg.configurationSnippets.map((s: { body: unknown }) => s.body)] as Record<string, unknown>[];
  const labels = dbg.configurationSnippets.map((s: { label: string }) => s.label);
  assert.ok(labels.some((l: string) => /Debug WebAssembly file/.test(l)));
  assert.ok(labels.some((l: string) => /Open recording/.test(l)));
  for (const b of bodies) {
    assert.equal(b.type, DEBUG_TYPE);
    assert.equal(b.request, 'launch');
    for (const k of Object.keys(b)) if (!['type', 'request', 'name'].includes(k)) assert.ok(props[k], `${k} in schema`);
  }
});

test('custom editor for .rewind recordings is declared and registered', () => {
  assert.deepEqual(c.customEditors.map((e: { viewType: string }) => e.viewType), ['wasmRewind.recording']);
  assert.deepEqual(c.customEditors[0].selector, [{ filenamePattern: '*.rewind' }]);
  const src = readFileSync(join(root, 'extension', 'extension.ts'), 'utf8');
  assert.match(src, /registerCustomEditorProvider\(RECORDING_VIEW/);
  assert.match(src, /const RECORDING_VIEW = 'wasmRewind\.recording'/);
});

test('activation, main and shipped files', () => {
  assert.equal(pkg.main, './dist/extension.js');
  for (const ev of ['onLanguage:wat', 'onDebugResolve:wasm-rewind']) assert.ok(pkg.activationEvents.includes(ev), ev);
  const build = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
  assert.match(build, /'extension\/extension\.ts', 'dist\/extension\.js', \['vscode'\]/);
  assert.match(build, /'extension\/server\/server\.ts', 'dist\/server\.js'/);
  assert.match(build, /'debug-adapter\/debugAdapter\.ts', 'dist\/debugAdapter\.js'/);
  const ext = readFileSync(join(root, 'extension', 'extension.ts'), 'utf8');
  assert.match(ext, /asAbsolutePath\('dist\/server\.js'\)/);
  assert.match(ext, /asAbsolutePath\('dist\/debugAdapter\.js'\)/);
  // .vscodeignore must not drop the bundles or the grammar files
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  for (const bad of ['dist/**', 'dist/extension.js', 'dist/server.js', 'dist/debugAdapter.js', 'syntaxes/**', '**/*.json']) {
    assert.ok(!ignore.includes(bad), `.vscodeignore keeps ${bad}`);
  }
  assert.match(pkg.scripts.package, /vsce package --no-dependencies/);
  const setting = c.configuration.properties['wasmRewind.adapter'];
  assert.deepEqual(setting.enum, ['inline', 'executable']);
  assert.equal(setting.default, 'inline');
});

test('F5 resolution: empty config debugs the active .wat/.wasm, opens a .rewind, or explains', () => {
  assert.deepEqual(resolveLaunchConfig({}, { path: '/w/a.wat', languageId: 'wat' }),
    { type: 'wasm-rewind', request: 'launch', name: 'Debug WebAssembly file', program: '/w/a.wat', stopOnEntry: true });
  assert.deepEqual(resolveLaunchConfig({}, { path: '/w/b.WASM' }),
    { type: 'wasm-rewind', request: 'launch', name: 'Debug WebAssembly file', program: '/w/b.WASM', stopOnEntry: true });
  assert.deepEqual(resolveLaunchConfig({}, { path: '/w/run.rewind' }),
    { type: 'wasm-rewind', request: 'launch', name: 'Open recording', recording: '/w/run.rewind' });
  assert.equal(typeof resolveLaunchConfig({}, { path: '/w/x.js', languageId: 'javascript' }), 'string');
  assert.equal(typeof resolveLaunchConfig({}, undefined), 'string');
  // an untitled WAT buffer has language wat
  assert.ok(isDebuggableFile({ path: 'Untitled-1', languageId: 'wat' }));
  // explicit configurations are kept; a missing program is filled from the active file
  const explicit = { type: 'wasm-rewind', request: 'launch', name: 'x', program: '/p.wasm', args: ['a'] };
  assert.deepEqual(resolveLaunchConfig(explicit, { path: '/w/a.wat' }), explicit);
  assert.deepEqual(resolveLaunchConfig({ type: 'wasm-rewind', request: 'launch', name: 'y', invoke: 'f' }, { path: '/w/a.wat' }),
    { type: 'wasm-rewind', request: 'launch', name: 'y', invoke: 'f', program: '/w/a.wat' });
  assert.equal(typeof resolveLaunchConfig({ type: 'wasm-rewind', request: 'launch', name: 'z' }, undefined), 'string');
});

test('Go to Time input and custom request names', () => {
  assert.equal(parseTime('1234'), 1234);
  assert.equal(parseTime(' 1_000_000 '), 1_000_000);
  assert.equal(parseTime('1,000'), 1000);
  assert.equal(parseTime('0x10'), 16);
  assert.equal(parseTime('-1'), null);
  assert.equal(parseTime('1.5'), null);
  assert.equal(parseTime(''), null);
  assert.equal(parseTime('99999999999999999999'), null);
  assert.deepEqual(Object.values(CUSTOM_REQUESTS).sort(), ['gotoTime', 'reverseStepIn', 'reverseStepOut']);
});
