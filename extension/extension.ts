// The VS Code extension: a thin activate() that starts the WAT language client, registers the
// `wasm-rewind` debugger (inline adapter by default, or dist/debugAdapter.js as a separate process
// when the setting `wasmRewind.adapter` is "executable"), makes F5 on an open .wat/.wasm file work,
// and adds the reverse-debugging commands (sent to the adapter as custom requests).
//
// Language id: we contribute to the language id `wat`, the same id VS Code's built-in JavaScript
// debugger (js-debug) registers for its WebAssembly text views (extensions .wat/.wasm, mime
// text/wat, grammar scope text.wat). Sharing the id, rather than inventing another, keeps one
// "WebAssembly Text" entry in the language picker, lets files.associations and other WAT extensions
// keep working, and gives js-debug's disassembly views our richer grammar. The language server only
// attaches to `file:` and `untitled:` documents, so debugger-generated views (other schemes) get
// highlighting but no diagnostics. See README.md ("The `wat` language id").
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WasmDebugSession } from '../debug-adapter/wasmDebugSession';
import { CUSTOM_REQUESTS, DEBUG_TYPE, parseTime, resolveLaunchConfig, type LaunchConfig } from './debugConfig';
import { renderSummaryHtml, summarizeRecording } from './recordingSummary';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  startLanguageClient(context);

  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(context)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.commands.registerCommand('wasmRewind.reverseStepIn', () => sendCustom(CUSTOM_REQUESTS.reverseStepIn)),
    vscode.commands.registerCommand('wasmRewind.reverseStepOut', () => sendCustom(CUSTOM_REQUESTS.reverseStepOut)),
    vscode.commands.registerCommand('wasmRewind.goToTime', goToTime),
    vscode.commands.registerCommand('wasmRewind.openRecording', openRecording),
    vscode.commands.registerCommand('wasmRewind.debugFile', debugFile),
    vscode.window.registerCustomEditorProvider(RECORDING_VIEW, new RecordingEditorProvider(), {
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}

const RECORDING_VIEW = 'wasmRewind.recording';

/** Read-only summary of a .rewind file (header, outcome, intervals, output tails) with a button
 *  that opens it in the debugger. */
class RecordingEditorProvider implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }
  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    const bytes = await vscode.workspace.fs.readFile(document.uri);
    const dir = vscode.Uri.joinPath(document.uri, '..');
    const modules = new Map<string, Uint8Array>();
    // A recording that refers to its module by path: read it (relative to the recording) first.
    const first = summarizeRecording(bytes);
    const m = first.ok ? null : /refers to module '([^']*)'/.exec(first.error);
    if (m) {
      const target = /^([a-zA-Z]:)?[\\/]/.test(m[1]) ? vscode.Uri.file(m[1]) : vscode.Uri.joinPath(dir, m[1]);
      try { modules.set(m[1], await vscode.workspace.fs.readFile(target)); } catch { /* reported as unreadable */ }
    }
    const result = first.ok ? first : summarizeRecording(bytes, p => modules.get(p) ?? null);
    const nonce = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
    const name = document.uri.path.split('/').pop() ?? 'recording';
    panel.webview.html = renderSummaryHtml(name, result, nonce, panel.webview.cspSource);
    panel.webview.onDidReceiveMessage((msg: { command?: string }) => {
      if (msg?.command === 'open') void openRecording(document.uri);
    });
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}

function startLanguageClient(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'wat' }, { scheme: 'untitled', language: 'wat' }],
  };
  client = new LanguageClient('wasmRewindWat', 'Wasm Rewind: WAT', serverOptions, clientOptions);
  void client.start();
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const mode = vscode.workspace.getConfiguration('wasmRewind').get<string>('adapter', 'inline');
    if (mode === 'executable') {
      // VS Code's own executable runs as plain Node with ELECTRON_RUN_AS_NODE.
      return new vscode.DebugAdapterExecutable(process.execPath, [this.context.asAbsolutePath('dist/debugAdapter.js')], {
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
    }
    return new vscode.DebugAdapterInlineImplementation(new WasmDebugSession());
  }
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const r = resolveLaunchConfig(config as LaunchConfig, activeFile());
    if (typeof r === 'string') {
      void vscode.window.showErrorMessage(r);
      return undefined; // abort the launch
    }
    return r as vscode.DebugConfiguration;
  }
}

function activeFile(): { path: string; languageId: string } | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return { path: doc.uri.fsPath, languageId: doc.languageId };
  // A .wasm or .rewind file shown in a custom or binary editor has no text editor: use the active tab.
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
  if (input?.uri && input.uri.scheme === 'file') return { path: input.uri.fsPath, languageId: '' };
  return undefined;
}

async function sendCustom(command: string, extra: Record<string, unknown> = {}): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    void vscode.window.showWarningMessage('No Wasm Rewind debug session is active.');
    return;
  }
  const item = vscode.debug.activeStackItem;
  const threadId = item && item.session === session ? item.threadId : 1;
  try {
    await session.customRequest(command, { threadId, ...extra });
  } catch (e) {
    void vscode.window.showErrorMessage(`Wasm Rewind: ${(e as Error).message}`);
  }
}

async function goToTime(): Promise<void> {
  const input = await vscode.window.showInputBox({
    title: 'Go to Time',
    prompt: 'Instruction count to travel to (the number of instructions executed since the start)',
    validateInput: v => (parseTime(v) === null ? 'Enter a non-negative integer (decimal or 0x hex)' : undefined),
  });
  if (input === undefined) return;
  await sendCustom(CUSTOM_REQUESTS.goToTime, { time: parseTime(input) });
}

async function openRecording(uri?: vscode.Uri): Promise<void> {
  let target = uri;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false, openLabel: 'Open Recording', filters: { 'Wasm Rewind recordings': ['rewind'] },
    });
    target = picked?.[0];
  }
  if (!target) return;
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), {
    type: DEBUG_TYPE, request: 'launch', name: 'Open recording', recording: target.fsPath,
  });
}

async function debugFile(uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) return;
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), {
    type: DEBUG_TYPE, request: 'launch', name: 'Debug WebAssembly file', program: target.fsPath, stopOnEntry: true,
  });
}
