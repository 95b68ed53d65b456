// Debug configuration logic of the extension, free of `vscode` so it can be unit tested: what F5
// does on an open file, which custom requests the reverse-debugging commands send, and how
// "Go to Time…" input is read. extension.ts wires these to the VS Code API.

export const DEBUG_TYPE = 'wasm-rewind';

/** Custom DAP requests the extension's commands send to the adapter (via
 *  `vscode.debug.activeDebugSession.customRequest`). The adapter answers them and reports the new
 *  position with a `stopped` event, like a step. */
export const CUSTOM_REQUESTS = {
  /** Step backwards into the previous call's last instruction, or back one instruction. Args: { threadId }. */
  reverseStepIn: 'reverseStepIn',
  /** Run backwards to just before the call of the current function. Args: { threadId }. */
  reverseStepOut: 'reverseStepOut',
  /** Jump to an absolute point of the execution, counted in executed instructions. Args: { threadId, time }. */
  goToTime: 'gotoTime', // the request name in the adapter's protocol (see the debugger issue)
} as const;

export interface LaunchConfig {
  type?: string;
  request?: string;
  name?: string;
  program?: string;
  recording?: string;
  stopOnEntry?: boolean;
  [key: string]: unknown;
}

export interface ActiveFile {
  /** Absolute file system path of the active editor's document (or of the file picked). */
  path: string;
  languageId?: string;
}

export function isDebuggableFile(f: ActiveFile | undefined): boolean {
  if (!f) return false;
  return f.languageId === 'wat' || /\.(wat|wasm)$/i.test(f.path);
}
export function isRecordingFile(f: ActiveFile | undefined): boolean {
  return !!f && /\.rewind$/i.test(f.path);
}

/** The configuration F5 runs. An empty configuration (no launch.json) debugs the active `.wat`/`.wasm`
 *  file, or opens the active `.rewind` recording; a configuration without `program` or `recording`
 *  gets the active file as its program. Returns a string (an error message for the user) when there
 *  is nothing to debug. */
export function resolveLaunchConfig(config: LaunchConfig, active: ActiveFile | undefined): LaunchConfig | string {
  const empty = !config.type && !config.request && !config.name;
  if (empty) {
    if (isRecordingFile(active)) {
      return { type: DEBUG_TYPE, request: 'launch', name: 'Open recording', recording: active!.path };
    }
    if (!isDebuggableFile(active)) {
      return 'Open a WebAssembly file (.wat or .wasm) or a recording (.rewind) to debug it, or add a "wasm-rewind" configuration to launch.json.';
    }
    return { type: DEBUG_TYPE, request: 'launch', name: 'Debug WebAssembly file', program: active!.path, stopOnEntry: true };
  }
  const out: LaunchConfig = { ...config };
  out.type ??= DEBUG_TYPE;
  out.request ??= 'launch';
  out.name ??= 'Debug WebAssembly file';
  if (!out.program && !out.recording) {
    if (isRecordingFile(active)) out.recording = active!.path;
    else if (isDebuggableFile(active)) out.program = active!.path;
    else return 'The launch configuration has no "program" (a .wat or .wasm file) and no "recording" (a .rewind file).';
  }
  return out;
}

/** Parses "Go to Time…" input: a non-negative instruction count, with optional `_`/`,` separators, or
 *  a hex number. Returns null when invalid. */
export function parseTime(input: string): number | null {
  const s = input.trim().replace(/[_,\s]/g, '');
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}
