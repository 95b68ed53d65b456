// The WAT language server in-process: startServer() on a connection over a pair of in-memory
// streams, driven by a plain JSON-RPC client (vscode-jsonrpc; no VS Code, no language client).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { startServer } from '../../extension/server/server';

interface PublishParams { uri: string; version?: number; diagnostics: { range: Range; message: string; source: string; severity: number }[] }
interface Range { start: { line: number; character: number }; end: { line: number; character: number } }

const toServer = new PassThrough();
const toClient = new PassThrough();
startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
const published: PublishParams[] = [];
const waiters: ((p: PublishParams) => void)[] = [];
client.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
  published.push(p);
  for (const w of waiters.splice(0)) w(p);
});
client.listen();

function nextDiagnostics(uri: string): Promise<PublishParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no diagnostics within 5 s')), 5000);
    const w = (p: PublishParams): void => {
      if (p.uri === uri) { clearTimeout(timer); resolve(p); } else waiters.push(w);
    };
    waiters.push(w);
  });
}

const URI = 'file:///work/example.wat';
const TEXT = [
  '(module',                                   // 0
  '  (global $g (mut i32) (i32.const 0))',     // 1
  '  (func $inc (export "inc") (param $by i32)', // 2
  '    global.get $g',                         // 3
  '    local.get $by',                         // 4
  '    i32.add',                               // 5
  '    global.set $g))',                       // 6
].join('\n');

let initialized = false;
async function init(): Promise<void> {
  if (initialized) return;
  initialized = true;
  const r = await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }) as { capabilities: Record<string, unknown> };
  assert.equal(r.capabilities.hoverProvider, true);
  assert.equal(r.capabilities.definitionProvider, true);
  assert.equal(r.capabilities.referencesProvider, true);
  assert.equal(r.capabilities.documentSymbolProvider, true);
  await client.sendNotification('initialized', {});
}

after(() => { client.dispose(); toServer.end(); toClient.end(); });

test('open: valid document publishes no diagnostics; an edit with an error publishes its exact range', async () => {
  await init();
  const first = nextDiagnostics(URI);
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'wat', version: 1, text: TEXT } });
  assert.deepEqual((await first).diagnostics, []);
  // Replace `i32.add` (line 5, characters 4..11) by `i64.add`: a validation error at that instruction.
  const second = nextDiagnostics(URI);
  await client.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: 5, character: 4 }, end: { line: 5, character: 7 } }, text: 'i64' }],
  });
  const d = await second;
  assert.equal(d.version, 2);
  assert.equal(d.diagnostics.length, 1);
  assert.equal(d.diagnostics[0].message, 'type mismatch');
  assert.equal(d.diagnostics[0].source, 'wasm validator');
  assert.deepEqual(d.diagnostics[0].range, { start: { line: 5, character: 4 }, end: { line: 5, character: 11 } });
  // A syntax error: unknown instruction.
  const third = nextDiagnostics(URI);
  await client.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 3 },
    contentChanges: [{ range: { start: { line: 5, character: 4 }, end: { line: 5, character: 11 } }, text: 'i32.plus' }],
  });
  const e = await third;
  assert.equal(e.diagnostics.length, 1);
  assert.equal(e.diagnostics[0].source, 'wat');
  assert.deepEqual(e.diagnostics[0].range, { start: { line: 5, character: 4 }, end: { line: 5, character: 12 } });
  // Back to valid.
  const fourth = nextDiagnostics(URI);
  await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text: TEXT }] });
  assert.deepEqual((await fourth).diagnostics, []);
});

test('hover, definition, references, document symbols over the connection', async () => {
  await init();
  const doc = { uri: URI };
  const hover = await client.sendRequest('textDocument/hover', { textDocument: doc, position: { line: 5, character: 6 } }) as { contents: { kind: string; value: string }; range: Range };
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /i32\.add : \[i32 i32\] -> \[i32\]/);
  assert.deepEqual(hover.range, { start: { line: 5, character: 4 }, end: { line: 5, character: 11 } });

  const def = await client.sendRequest('textDocument/definition', { textDocument: doc, position: { line: 6, character: 16 } }) as { uri: string; range: Range };
  assert.equal(def.uri, URI);
  assert.deepEqual(def.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 12 } });

  const refs = await client.sendRequest('textDocument/references', { textDocument: doc, position: { line: 1, character: 11 }, context: { includeDeclaration: true } }) as { range: Range }[];
  assert.deepEqual(refs.map(r => r.range.start.line), [1, 3, 6]);

  const local = await client.sendRequest('textDocument/definition', { textDocument: doc, position: { line: 4, character: 15 } }) as { range: Range };
  assert.deepEqual(local.range.start, { line: 2, character: 35 });

  const syms = await client.sendRequest('textDocument/documentSymbol', { textDocument: doc }) as { name: string; kind: number; range: Range }[];
  assert.deepEqual(syms.map(s => s.name), ['$g', '$inc', '"inc"']);
  assert.equal(syms[1].kind, 12); // Function
  assert.deepEqual(syms[1].range, { start: { line: 2, character: 2 }, end: { line: 6, character: 18 } });

  const none = await client.sendRequest('textDocument/definition', { textDocument: doc, position: { line: 0, character: 2 } });
  assert.equal(none, null);
});

test('completion: instruction names, and $names in scope', async () => {
  await init();
  const items = await client.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 5, character: 4 } }) as { label: string }[];
  assert.ok(items.some(i => i.label === 'i32.add'));
  assert.ok(items.some(i => i.label === 'v128.load64_zero'));
  const uri2 = 'file:///work/c.wat';
  const text = '(module (global $gg i32 (i32.const 1)) (func $f (param $p i32) global.get $';
  const diag = nextDiagnostics(uri2);
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri2, languageId: 'wat', version: 1, text } });
  assert.equal((await diag).diagnostics.length, 1);
  const names = await client.sendRequest('textDocument/completion', { textDocument: { uri: uri2 }, position: { line: 0, character: text.length } }) as { label: string }[];
  assert.deepEqual(names.map(n => n.label).sort(), ['$f', '$gg', '$p']);
});
