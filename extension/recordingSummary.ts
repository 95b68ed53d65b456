// Read-only summary of a `.rewind` recording for the custom editor (extension.ts shows the HTML in
// a webview). Free of `vscode` so it can be unit tested. Decoding is the engine's
// (engine/record/format.ts); a recording that refers to its module by path gets the module's bytes
// through `readModule` (relative paths are resolved by the caller).
import { decodeRecording, type Recording } from '../engine/record/format';
import { toHex } from '../engine/record/hash';

export type SummaryResult =
  | { ok: true; rows: [string, string][]; stdout: string; stderr: string }
  | { ok: false; error: string };

const TRAP_STATUS: Record<string, string> = {
  done: 'finished normally', trapped: 'trapped', exit: 'exited', running: 'still running when saved',
};

export function summarizeRecording(bytes: Uint8Array, readModule?: (path: string) => Uint8Array | null): SummaryResult {
  let rec: Recording;
  try {
    rec = decodeRecording(bytes);
  } catch (e) {
    const m = /refers to module '([^']*)'/.exec((e as Error).message);
    const moduleBytes = m && readModule ? readModule(m[1]) : null;
    if (!moduleBytes) return { ok: false, error: (e as Error).message };
    try {
      rec = decodeRecording(bytes, { moduleBytes });
    } catch (e2) {
      return { ok: false, error: (e2 as Error).message };
    }
  }
  const h = rec.header;
  const rows: [string, string][] = [];
  rows.push(['Format version', `${h.formatVersion} (needs a reader of version ${h.requiredVersion})`]);
  rows.push(['Recorded', Number.isFinite(h.createdMs) && h.createdMs > 0 ? new Date(h.createdMs).toISOString() : 'unknown']);
  rows.push(['Module', rec.modulePath ? `${rec.modulePath} (not embedded)` : `embedded, ${rec.module.length} bytes`]);
  rows.push(['Module SHA-256', toHex(h.moduleSha256)]);
  if (h.args.length) rows.push(['Arguments', h.args.map(a => JSON.stringify(a)).join(' ')]);
  const s = rec.summary;
  if (s) {
    rows.push(['Outcome', `${TRAP_STATUS[s.status] ?? s.status}${s.exitCode !== null ? `, exit code ${s.exitCode}` : ''}`]);
    rows.push(['Instructions executed', s.endTime.toLocaleString('en-US')]);
    rows.push(['Intervals', `${rec.intervals.length} kept of ${s.totalIntervals} recorded`]);
  } else {
    rows.push(['Intervals', String(rec.intervals.length)]);
  }
  if (rec.intervals.length) {
    const first = rec.intervals[0], last = rec.intervals[rec.intervals.length - 1];
    rows.push(['Time range kept', `${first.start.time.toLocaleString('en-US')} … ${last.endTime.toLocaleString('en-US')} (${h.timeUnit})`]);
  }
  rows.push(['Checkpoint interval', `${h.intervalLength.toLocaleString('en-US')} instructions`]);
  const hostCalls = rec.intervals.reduce((n, iv) => n + iv.host.length, 0);
  rows.push(['Host calls recorded', String(hostCalls)]);
  if (rec.trap) {
    const where = rec.trap.funcIndex >= 0 ? ` in function ${rec.trap.funcIndex}${rec.trap.offset >= 0 ? ` at byte 0x${rec.trap.offset.toString(16)}` : ''}` : '';
    rows.push(['Trap', `${rec.trap.message}${where}, at time ${rec.trap.time.toLocaleString('en-US')}`]);
  }
  if (rec.layout) rows.push(['Host functions', rec.layout.hostFuncs.map(f => f.name).join(', ') || 'none']);
  const dec = new TextDecoder();
  return { ok: true, rows, stdout: dec.decode(rec.stdoutTail), stderr: dec.decode(rec.stderrTail) };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]!));
}

/** The webview page: a table of the summary, the output tails, and an "Open in Debugger" button that
 *  posts `{ command: 'open' }` (only script: inline, allowed by nonce). */
export function renderSummaryHtml(fileName: string, result: SummaryResult, nonce: string, cspSource: string): string {
  const body = result.ok
    ? `<table>${result.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${result.stdout ? `<h2>Standard output (tail)</h2><pre>${escapeHtml(result.stdout)}</pre>` : ''}
${result.stderr ? `<h2>Standard error (tail)</h2><pre>${escapeHtml(result.stderr)}</pre>` : ''}
<p><button id="open">Open in Debugger</button></p>`
    : `<p class="error">This file cannot be read as a recording: ${escapeHtml(result.error)}</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(fileName)}</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em; }
th { text-align: left; padding-right: 2em; font-weight: 600; vertical-align: top; }
td { font-family: var(--vscode-editor-font-family); }
pre { background: var(--vscode-textCodeBlock-background); padding: 0.5em; white-space: pre-wrap; }
.error { color: var(--vscode-errorForeground); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.4em 1em; cursor: pointer; }
</style></head>
<body><h1>${escapeHtml(fileName)}</h1>
${body}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const b = document.getElementById('open');
if (b) b.addEventListener('click', () => vscode.postMessage({ command: 'open' }));
</script></body></html>`;
}
