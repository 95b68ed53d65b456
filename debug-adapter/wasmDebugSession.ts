// The Debug Adapter Protocol server: translates DAP requests into engine calls (Store / Machine,
// engine/debug/stepping.ts) and engine state back into DAP responses and events. It holds no
// execution logic of its own. Runs inline (new WasmDebugSession(), then start(in, out)) or
// standalone through debugAdapter.ts.

import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath, isAbsolute } from 'node:path';
import {
  DebugSession, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ExitedEvent, Thread, StackFrame,
  Scope, Source, Handles, Breakpoint, Response,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Store, type FrameInfo, type Instance, type FuncHandle } from '../engine/runtime/store';
import { Trap, TrapCode, LinkError } from '../engine/core/errors';
import { ValType } from '../engine/core/types';
import type { WasmValue } from '../engine/runtime/values';
import { BreakpointTable, StepRun, currentLocation, debugFrames, type CodeLocation, type StepMode, type StepOutcome } from '../engine/debug/stepping';
import { createWasi, type Wasi } from '../engine/wasi/wasi';
import { ContextGuestMemory } from '../engine/wasi/memory';
import type { WasiStdio } from '../engine/wasi/host';
import { NodeClock, NodeRandom, NodeWasiFileSystem } from '../engine/node/nodeWasiFs';
import { parseArg } from '../engine/node/cli';
import { LaunchError, loadProgram, type Program } from './program';
import { EvalError, evaluateExpression, formatScalar, formatValue, parseValue, truthy, typeName, type EvalEnv } from './expressions';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  program: string;
  args?: string[];
  env?: Record<string, string> | string[];
  cwd?: string;
  /** Guest path -> host directory, or "HOST[:GUEST]" strings. */
  preopens?: Record<string, string> | string[];
  stopOnEntry?: boolean;
  /** Export to call when the module has no _start (or instead of it). */
  invoke?: string;
  invokeArgs?: (string | number)[];
  stdin?: string;
  /** Recording options (accepted; recording is not wired to the adapter yet). */
  record?: boolean | Record<string, unknown>;
  intervalInstructions?: number;
  bufferMb?: number;
  /** A saved recording to open instead of a program (not supported yet). */
  recording?: string;
}

type SessionState = 'new' | 'initialized' | 'launched' | 'running' | 'stopped' | 'terminated';

interface BpSpec {
  id: number;
  kind: 'source' | 'function' | 'instruction';
  funcIndex: number;
  offset: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
  verified: boolean;
}

type VarRef =
  | { kind: 'locals'; frame: FrameInfo }
  | { kind: 'operands'; frame: FrameInfo; innermost: boolean }
  | { kind: 'globals' }
  | { kind: 'memory' }
  | { kind: 'v128'; value: WasmValue };

const THREAD_ID = 1;
const SOURCE_REF = 1;
/** Instructions per slice before yielding to the event loop. */
const SLICE = 200_000;
const ROW = 16;

const TRAP_IDS: Record<number, string> = {
  [TrapCode.Unreachable]: 'unreachable', [TrapCode.MemoryOutOfBounds]: 'memory-out-of-bounds',
  [TrapCode.IntegerDivideByZero]: 'integer-divide-by-zero', [TrapCode.IntegerOverflow]: 'integer-overflow',
  [TrapCode.InvalidConversion]: 'invalid-conversion', [TrapCode.IndirectCallTypeMismatch]: 'indirect-call-type-mismatch',
  [TrapCode.UndefinedElement]: 'undefined-element', [TrapCode.UninitializedElement]: 'uninitialized-element',
  [TrapCode.TableOutOfBounds]: 'table-out-of-bounds', [TrapCode.CallStackExhausted]: 'call-stack-exhausted',
  [TrapCode.HostError]: 'host-error',
};

class RequestError extends Error {}

/** Requests this adapter implements (others get an error response). */
const SUPPORTED = new Set([
  'initialize', 'launch', 'disconnect', 'terminate', 'restart', 'configurationDone',
  'setBreakpoints', 'setFunctionBreakpoints', 'setInstructionBreakpoints', 'setExceptionBreakpoints', 'breakpointLocations',
  'continue', 'next', 'stepIn', 'stepOut', 'pause', 'stepBack', 'reverseContinue',
  'threads', 'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'exceptionInfo',
  'source', 'loadedSources', 'readMemory', 'disassemble',
]);

export class WasmDebugSession extends DebugSession {
  private state: SessionState = 'new';
  private launchArgs: LaunchArguments | null = null;
  private program: Program | null = null;
  private store: Store | null = null;
  private instance: Instance | null = null;
  private wasi: Wasi | null = null;
  private table: BreakpointTable | null = null;
  private entry: FuncHandle | null = null;
  private step: StepRun | null = null;
  private pauseRequested = false;
  private runToken = 0;
  private trapFilter = false;
  private stopReason = '';
  private lastTrap: Trap | null = null;
  private readonly handles = new Handles<VarRef>();
  private frames: FrameInfo[] = [];
  private nextBpId = 1;
  private sourceBps: BpSpec[] = [];
  private functionBps: BpSpec[] = [];
  private instructionBps: BpSpec[] = [];
  private readonly decoders = [new TextDecoder(), new TextDecoder()];

  /** `exitOnShutdown`: end the process when the client disconnects (standalone over stdio only). */
  constructor(private readonly options: { exitOnShutdown?: boolean } = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---------------------------------------------------------------- plumbing

  override shutdown(): void {
    this.cancelRun();
    if (this.options.exitOnShutdown) super.shutdown();
  }

  /** Runs a handler; exceptions become error responses (never a crash). */
  private guard(response: DebugProtocol.Response, f: () => void): void {
    try {
      f();
    } catch (e) {
      const msg = e instanceof RequestError || e instanceof EvalError || e instanceof LaunchError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
      this.sendErrorResponse(response, { id: 1001, format: msg, variables: {}, showUser: true });
    }
  }

  private requireStopped(): void {
    if (this.state !== 'stopped') throw new RequestError(this.state === 'running' ? 'The program is running; pause it first.' : 'No program is stopped.');
  }
  private requireLoaded(): Program {
    if (this.program === null || this.state === 'new' || this.state === 'initialized') throw new RequestError('No program is loaded (launch first).');
    if (this.state === 'terminated') throw new RequestError('The debug session has ended.');
    return this.program;
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    // Every request carries an object of arguments in practice; tolerate missing ones.
    if (request.arguments === undefined || request.arguments === null || typeof request.arguments !== 'object') {
      request.arguments = request.command === 'initialize' ? { adapterID: 'wasm-rewind', pathFormat: 'path' } : {};
    }
    if (request.command === 'initialize' && request.arguments.pathFormat === undefined) request.arguments.pathFormat = 'path';
    if (!SUPPORTED.has(request.command)) {
      // The library answers some requests it does not implement with success; refuse them instead.
      const response = new Response(request);
      this.sendErrorResponse(response, { id: 1004, format: `'${request.command}' is not supported by this debugger.`, variables: {}, showUser: false });
      return;
    }
    super.dispatchRequest(request);
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    if (this.state !== 'new') { this.sendErrorResponse(response, { id: 1002, format: 'already initialized', showUser: false }); return; }
    this.state = 'initialized';
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsInstructionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsValueFormattingOptions: true,
      supportsLoadedSourcesRequest: true,
      supportsReadMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsBreakpointLocationsRequest: true,
      supportsStepBack: false,
      exceptionBreakpointFilters: [
        { filter: 'traps', label: 'Traps', description: 'Stop when the program traps (unreachable, out-of-bounds access, division by zero...)', default: true },
      ],
    };
    this.trapFilter = true;
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.guard(response, () => {
      if (this.state === 'new') throw new RequestError('initialize must come before launch');
      if (this.state !== 'initialized') throw new RequestError('A program is already launched in this session.');
      this.launchArgs = args;
      this.load(args);
      this.state = 'launched';
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
    if (this.state === 'initialized' && response.success === false) {
      // A failed launch ends the session cleanly.
      this.state = 'terminated';
      this.sendEvent(new TerminatedEvent());
    }
  }

  /** Loads, instantiates and prepares the entry call. Throws LaunchError. */
  private load(args: LaunchArguments): void {
    if (args.recording !== undefined && (args.program === undefined || args.program === '')) throw new LaunchError('Opening a saved recording (.rewind) is not supported by this version of the debug adapter yet.');
    if (typeof args.program !== 'string' || args.program === '') throw new LaunchError("The launch configuration needs 'program' (a .wasm or .wat file).");
    if (args.args !== undefined && !Array.isArray(args.args)) throw new LaunchError("'args' must be a list of strings.");
    if (args.env !== undefined && (typeof args.env !== 'object' || args.env === null)) throw new LaunchError("'env' must be an object { NAME: value } or a list of \"NAME=value\" strings.");
    if (args.invoke !== undefined && typeof args.invoke !== 'string') throw new LaunchError("'invoke' must be the name of an exported function.");
    const cwd = typeof args.cwd === 'string' ? args.cwd : process.cwd();
    if (args.cwd !== undefined && (typeof args.cwd !== 'string' || !existsSync(args.cwd) || !statSync(args.cwd).isDirectory())) throw new LaunchError(`'cwd' is not a directory: ${String(args.cwd)}`);
    const path = isAbsolute(args.program) ? args.program : resolvePath(cwd, args.program);
    const program = loadProgram(path);
    const m = program.module;
    const preopens = this.preopens(args.preopens, cwd);
    const store = new Store();
    const needsWasi = m.imports.some(i => i.module === 'wasi_snapshot_preview1');
    let wasi: Wasi | null = null;
    if (needsWasi) {
      const env = Array.isArray(args.env) ? args.env.map(String) : Object.entries(args.env ?? {}).map(([k, v]) => `${k}=${v}`);
      wasi = createWasi({
        args: [program.sourceName.replace(/\.wat$/, ''), ...(args.args ?? []).map(String)], env, preopens,
        stdio: this.stdio(args.stdin ?? ''), clock: new NodeClock(), random: new NodeRandom(),
      });
    }
    const imports = wasi ? wasi.imports(store) : () => undefined;
    let instance: Instance;
    try {
      instance = store.instantiate(m, imports);
    } catch (e) {
      if (e instanceof LinkError) throw new LaunchError(`${path}: cannot link import "${e.module}" "${e.field}": ${e.message}${needsWasi ? '' : ' (only WASI imports are provided)'}`);
      if (e instanceof Trap) throw new LaunchError(`${path}: the module's start function trapped: ${e.message}`);
      throw e;
    }
    let entryName = args.invoke;
    if (entryName === undefined) {
      if (instance.exports.get('_start')?.kind === 'func') entryName = '_start';
      else throw new LaunchError(`${path} exports no _start function; set 'invoke' to the export to call (exports: ${[...instance.exports].filter(([, v]) => v.kind === 'func').map(([k]) => k).join(', ') || 'none'}).`);
    }
    const ex = instance.exports.get(String(entryName));
    if (!ex || ex.kind !== 'func') throw new LaunchError(`${path} has no exported function '${String(entryName)}'.`);
    const func = ex.func;
    if (func.host !== null) throw new LaunchError(`'${entryName}' is an imported host function; it cannot be debugged.`);
    const raw = args.invokeArgs ?? [];
    if (!Array.isArray(raw) || raw.length !== func.type.params.length) {
      throw new LaunchError(`'${entryName}' takes ${func.type.params.length} argument(s) (${func.type.params.map(typeName).join(', ')}); 'invokeArgs' gives ${Array.isArray(raw) ? raw.length : 'none'}.`);
    }
    let callArgs: WasmValue[];
    try {
      callArgs = raw.map((a, i) => parseArg(String(a), func.type.params[i]));
    } catch (e) {
      throw new LaunchError(`'invokeArgs': ${(e as Error).message}`);
    }
    if (wasi) {
      const mem = instance.exports.get('memory');
      if (mem && mem.kind === 'memory') wasi.setMemory(new ContextGuestMemory(store.hostContext(mem.memory)));
    }
    store.machine.start(func, callArgs);
    this.program = program; this.store = store; this.instance = instance; this.wasi = wasi; this.entry = func;
    this.table = new BreakpointTable(store);
    if (args.record) this.output('console', 'Recording is not available in this version of the adapter; debugging forward only.\n');
  }

  private preopens(spec: LaunchArguments['preopens'], cwd: string): { guestPath: string; fs: NodeWasiFileSystem }[] {
    if (spec === undefined) return [];
    const pairs: [string, string][] = [];
    if (Array.isArray(spec)) {
      for (const s of spec) {
        if (typeof s !== 'string') throw new LaunchError(`'preopens' entries must be "HOST[:GUEST]" strings, got ${JSON.stringify(s)}`);
        const i = s.indexOf(':');
        pairs.push(i < 0 ? [s, s] : [s.slice(i + 1), s.slice(0, i)]);
      }
    } else if (typeof spec === 'object' && spec !== null) {
      for (const [guest, host] of Object.entries(spec)) pairs.push([guest, String(host)]);
    } else throw new LaunchError("'preopens' must be an object { guestPath: hostDirectory } or a list of \"HOST[:GUEST]\"");
    return pairs.map(([guest, host]) => {
      const dir = isAbsolute(host) ? host : resolvePath(cwd, host);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new LaunchError(`preopen '${guest}': host directory does not exist: ${host}`);
      return { guestPath: guest, fs: new NodeWasiFileSystem(dir) };
    });
  }

  private stdio(stdin: string): WasiStdio {
    const input = new TextEncoder().encode(stdin);
    let pos = 0;
    return {
      readStdin: (max) => { const r = input.slice(pos, pos + max); pos += r.length; return r; },
      writeStdout: (b) => this.output('stdout', this.decoders[0].decode(b, { stream: true })),
      writeStderr: (b) => this.output('stderr', this.decoders[1].decode(b, { stream: true })),
    };
  }

  private output(category: string, text: string): void {
    if (text !== '') this.sendEvent(new OutputEvent(text, category));
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, () => {
      if (this.state !== 'launched') throw new RequestError(this.state === 'new' || this.state === 'initialized' ? 'configurationDone before launch' : 'configuration is already done');
      this.sendResponse(response);
      if (this.launchArgs?.stopOnEntry && !this.launchArgs.noDebug) this.stopped('entry');
      else this.resume('continue');
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.guard(response, () => {
      if (this.state === 'terminated') throw new RequestError('The debug session has already ended.');
      if (this.state === 'new' || this.state === 'initialized') throw new RequestError('Nothing to terminate (no program launched).');
      this.sendResponse(response);
      this.finish(null);
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.cancelRun();
    this.state = 'terminated';
    super.disconnectRequest(response, args, request);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.guard(response, () => {
      if (this.launchArgs === null || this.state === 'new' || this.state === 'initialized' || this.state === 'launched') throw new RequestError('Nothing to restart (the program is not running yet).');
      this.cancelRun();
      const la = (args?.arguments as LaunchArguments | undefined) ?? this.launchArgs;
      this.load(la);
      this.launchArgs = la;
      for (const b of [...this.sourceBps, ...this.functionBps, ...this.instructionBps]) {
        if (b.verified) this.table!.add(this.program!.module, b.funcIndex, b.offset);
        b.hits = 0;
      }
      this.decoders[0] = new TextDecoder(); this.decoders[1] = new TextDecoder();
      this.sendResponse(response);
      if (la.stopOnEntry) this.stopped('entry');
      else this.resume('continue');
    });
  }

  private cancelRun(): void {
    this.runToken++;
    if (this.step) { this.step.cancel(); this.step = null; }
    this.pauseRequested = false;
  }

  /** The program ended (exit code) or was terminated (null). */
  private finish(exitCode: number | null): void {
    if (this.state === 'terminated') return;
    this.cancelRun();
    for (const d of this.decoders) { const rest = d.decode(); if (rest) this.output('stdout', rest); }
    this.state = 'terminated';
    if (exitCode !== null) this.sendEvent(new ExitedEvent(exitCode));
    this.sendEvent(new TerminatedEvent());
  }

  // ---------------------------------------------------------------- running

  private stopped(reason: string, description?: string, hitIds?: number[]): void {
    this.state = 'stopped';
    this.stopReason = reason;
    this.handles.reset();
    this.frames = debugFrames(this.store!.machine);
    const ev = new StoppedEvent(reason, THREAD_ID, description) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    if (hitIds && hitIds.length) ev.body.hitBreakpointIds = hitIds;
    this.sendEvent(ev);
  }

  /** Starts a run in slices; the response has been sent already. */
  private resume(mode: StepMode, granularity?: DebugProtocol.SteppingGranularity): void {
    const store = this.store!;
    if (store.machine.state === 'trapped' || store.machine.state === 'done') {
      // After a trap (or the end) there is nothing more to execute.
      this.state = 'running';
      const token = ++this.runToken;
      setImmediate(() => {
        if (token !== this.runToken) return;
        try { this.ended(); } catch (e) { this.output('stderr', `internal error: ${String(e)}\n`); this.finish(1); }
      });
      return;
    }
    const program = this.program!;
    const same = granularity === 'instruction' ? undefined : (a: CodeLocation, b: CodeLocation): boolean => {
      const la = program.location(a.offset), lb = program.location(b.offset);
      return la !== null && lb !== null && la.line === lb.line;
    };
    this.step = new StepRun(store, this.table!, mode, same);
    this.state = 'running';
    this.pauseRequested = false;
    const token = ++this.runToken;
    const slice = (): void => {
      try {
        runSlice();
      } catch (e) {
        this.step = null;
        const m = this.store?.machine;
        if (m && m.state === 'trapped' && m.trap !== null && token === this.runToken) {
          // A host function failed: the machine stopped as trapped (host error); show it like a trap.
          try { this.ended(); return; } catch { /* fall through */ }
        }
        this.output('stderr', `internal error while running: ${(e as Error)?.stack ?? String(e)}\n`);
        this.finish(1);
      }
    };
    const runSlice = (): void => {
      if (token !== this.runToken || this.step === null) return;
      const outcome: StepOutcome | null = this.step.advance(SLICE);
      if (outcome === null) {
        if (this.pauseRequested) { this.step.cancel(); this.step = null; this.stopped('pause'); return; }
        setImmediate(slice);
        return;
      }
      if (outcome === 'breakpoint') {
        const hit = this.checkBreakpoints();
        if (hit === null) { setImmediate(slice); return; }
        this.step.cancel(); this.step = null;
        this.stopped(hit.reason, undefined, hit.ids);
        return;
      }
      this.step = null;
      if (outcome === 'step') { this.stopped('step'); return; }
      this.ended();
    };
    setImmediate(slice);
  }

  /** The machine finished or trapped. */
  private ended(): void {
    const m = this.store!.machine;
    if (m.state === 'done') {
      if (m.results && m.results.length && this.entry && this.launchArgs?.invoke !== undefined) {
        this.output('console', `${this.launchArgs.invoke} returned ${m.results.map(v => `${formatValue(v)}:${typeName(v.type)}`).join(', ')}\n`);
      }
      this.finish(0);
      return;
    }
    const trap = m.trap;
    if (trap === null) { this.finish(0); return; }
    if (trap.code === TrapCode.ProcExit) { this.finish(this.wasi?.exitCode ?? 0); return; }
    if (this.trapFilter && !this.launchArgs?.noDebug && this.lastTrap !== trap) {
      this.lastTrap = trap;
      this.stopped('exception', `Trap: ${trap.message}`);
      return;
    }
    this.lastTrap = trap;
    this.output('stderr', `wasm trap: ${trap.message}\n${this.stackText()}`);
    this.finish(134);
  }

  /** Evaluates the user breakpoints at the current instruction: null = keep running. */
  private checkBreakpoints(): { reason: string; ids: number[] } | null {
    if (this.launchArgs?.noDebug) return null;
    const loc = currentLocation(this.store!.machine);
    if (loc === null) return null;
    const all = [...this.sourceBps, ...this.functionBps, ...this.instructionBps].filter(b => b.verified && b.offset === loc.offset && b.funcIndex === loc.funcIndex);
    const ids: number[] = [];
    let reason = '';
    const frames = debugFrames(this.store!.machine);
    for (const b of all) {
      if (b.condition !== undefined && b.condition.trim() !== '') {
        try {
          if (!truthy(evaluateExpression(b.condition, this.env(frames[0])))) continue;
        } catch (e) {
          this.output('console', `Breakpoint condition '${b.condition}' failed: ${(e as Error).message}\n`);
        }
      }
      b.hits++;
      if (b.hitCondition !== undefined && b.hitCondition.trim() !== '' && !hitMatches(b.hitCondition, b.hits)) continue;
      if (b.logMessage !== undefined) {
        this.output('console', this.interpolate(b.logMessage, frames[0]) + '\n');
        continue;
      }
      ids.push(b.id);
      if (!reason) reason = b.kind === 'source' ? 'breakpoint' : b.kind === 'function' ? 'function breakpoint' : 'instruction breakpoint';
    }
    return ids.length ? { reason, ids } : null;
  }

  private interpolate(msg: string, frame: FrameInfo | undefined): string {
    return msg.replace(/\{([^{}]+)\}/g, (_, e: string) => {
      try {
        return formatScalar(evaluateExpression(e, this.env(frame)));
      } catch (err) {
        return `<${(err as Error).message}>`;
      }
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, () => {
      this.requireStopped();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      this.resume('continue');
    });
  }
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepRequest(response, 'over', args?.granularity);
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepRequest(response, 'into', args?.granularity);
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stepRequest(response, 'out', args?.granularity);
  }
  private stepRequest(response: DebugProtocol.Response, mode: StepMode, granularity?: DebugProtocol.SteppingGranularity): void {
    this.guard(response, () => {
      this.requireStopped();
      this.sendResponse(response);
      this.resume(mode, granularity);
    });
  }
  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      if (this.state !== 'running') throw new RequestError(this.state === 'stopped' ? 'The program is already paused.' : 'The program is not running.');
      this.pauseRequested = true;
      this.sendResponse(response);
    });
  }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendErrorResponse(response, { id: 1003, format: 'Stepping back is not available yet (no recording).', showUser: true });
  }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendErrorResponse(response, { id: 1003, format: 'Reverse continue is not available yet (no recording).', showUser: true });
  }

  // ---------------------------------------------------------------- breakpoints

  private sourceMatches(source: DebugProtocol.Source | undefined): boolean {
    const p = this.program!;
    if (!source) return false;
    if (p.generated) return source.sourceReference === SOURCE_REF || (typeof source.path === 'string' && resolvePath(source.path) === resolvePath(p.path + '.wat'));
    return typeof source.path === 'string' && resolvePath(source.path) === resolvePath(p.path);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      const requested: DebugProtocol.SourceBreakpoint[] = Array.isArray(args.breakpoints) ? args.breakpoints : (Array.isArray(args.lines) ? args.lines : []).map(line => ({ line }));
      const known = this.sourceMatches(args.source);
      for (const b of this.sourceBps) if (b.verified) this.table!.remove(p.module, b.funcIndex, b.offset);
      this.sourceBps = [];
      const out: DebugProtocol.Breakpoint[] = [];
      for (const r of requested) {
        const line = this.convertClientLineToDebugger(Number(r.line));
        const spec: BpSpec = { id: this.nextBpId++, kind: 'source', funcIndex: -1, offset: -1, condition: r.condition, hitCondition: r.hitCondition, logMessage: r.logMessage, hits: 0, verified: false };
        const bp = new Breakpoint(false) as DebugProtocol.Breakpoint;
        bp.id = spec.id;
        const res = known && Number.isFinite(line) ? p.resolveLine(line) : null;
        if (res !== null) {
          spec.offset = res.offset; spec.funcIndex = p.funcOf(res.offset); spec.verified = spec.funcIndex >= 0;
        }
        if (spec.verified) {
          this.table!.add(p.module, spec.funcIndex, spec.offset);
          bp.verified = true;
          bp.line = this.convertDebuggerLineToClient(res!.line);
          bp.source = this.source();
          bp.instructionReference = hex(spec.offset);
          this.sourceBps.push(spec);
        } else {
          bp.line = r.line;
          bp.message = known ? 'No code on or around this line.' : 'This file is not part of the debugged program.';
          bp.reason = 'failed';
        }
        out.push(bp);
      }
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      const out: DebugProtocol.BreakpointLocation[] = [];
      if (this.sourceMatches(args.source)) {
        const from = this.convertClientLineToDebugger(Number(args.line));
        const to = args.endLine !== undefined ? this.convertClientLineToDebugger(Number(args.endLine)) : from;
        const seen = new Set<string>();
        for (const ins of p.instructions) {
          const loc = p.location(ins.offset);
          if (!loc || loc.line < from || loc.line > to) continue;
          if (args.column !== undefined && loc.line === from && loc.column < args.column) continue;
          if (args.endColumn !== undefined && loc.line === to && loc.column > args.endColumn) continue;
          const key = `${loc.line}:${loc.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ line: this.convertDebuggerLineToClient(loc.line), column: this.convertDebuggerColumnToClient(loc.column) });
        }
        out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
      }
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      for (const b of this.functionBps) if (b.verified) this.table!.remove(p.module, b.funcIndex, b.offset);
      this.functionBps = [];
      const out: DebugProtocol.Breakpoint[] = [];
      for (const r of Array.isArray(args.breakpoints) ? args.breakpoints : []) {
        const fi = p.findFunction(String(r.name ?? ''));
        const off = fi >= 0 ? p.firstOffset(fi) : -1;
        const spec: BpSpec = { id: this.nextBpId++, kind: 'function', funcIndex: fi, offset: off, condition: r.condition, hitCondition: r.hitCondition, hits: 0, verified: off >= 0 };
        const bp = new Breakpoint(spec.verified) as DebugProtocol.Breakpoint;
        bp.id = spec.id;
        if (spec.verified) {
          this.table!.add(p.module, fi, off);
          this.functionBps.push(spec);
          const loc = p.location(off);
          if (loc) { bp.line = this.convertDebuggerLineToClient(loc.line); bp.source = this.source(); }
          bp.instructionReference = hex(off);
        } else {
          bp.message = fi >= 0 ? `'${r.name}' is an imported function.` : `No function named '${r.name}'.`;
          bp.reason = 'failed';
        }
        out.push(bp);
      }
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      for (const b of this.instructionBps) if (b.verified) this.table!.remove(p.module, b.funcIndex, b.offset);
      this.instructionBps = [];
      const out: DebugProtocol.Breakpoint[] = [];
      for (const r of Array.isArray(args.breakpoints) ? args.breakpoints : []) {
        const off = parseAddress(r.instructionReference) + (r.offset ?? 0);
        const ins = Number.isFinite(off) ? p.instructionAt(off) : undefined;
        const spec: BpSpec = { id: this.nextBpId++, kind: 'instruction', funcIndex: ins ? ins.funcIndex : -1, offset: off, condition: r.condition, hitCondition: r.hitCondition, hits: 0, verified: ins !== undefined };
        const bp = new Breakpoint(spec.verified) as DebugProtocol.Breakpoint;
        bp.id = spec.id;
        if (ins) {
          this.table!.add(p.module, ins.funcIndex, off);
          this.instructionBps.push(spec);
          bp.instructionReference = hex(off);
          const loc = p.location(off);
          if (loc) { bp.line = this.convertDebuggerLineToClient(loc.line); bp.source = this.source(); }
        } else {
          bp.message = `No instruction starts at ${String(r.instructionReference)}${r.offset ? ` + ${r.offset}` : ''}.`;
          bp.reason = 'failed';
        }
        out.push(bp);
      }
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const filters = Array.isArray(args.filters) ? args.filters : [];
      const options = Array.isArray(args.filterOptions) ? args.filterOptions : [];
      this.trapFilter = filters.includes('traps') || options.some(o => o?.filterId === 'traps');
      response.body = { breakpoints: [...filters, ...options.map(o => o?.filterId)].map(f => ({ verified: f === 'traps', message: f === 'traps' ? undefined : `unknown filter '${String(f)}'` })) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.guard(response, () => {
      this.requireStopped();
      const trap = this.store!.machine.trap;
      if (this.stopReason !== 'exception' || trap === null) throw new RequestError('The program is not stopped on a trap.');
      response.body = {
        exceptionId: TRAP_IDS[trap.code] ?? `trap-${trap.code}`,
        description: trap.message,
        breakMode: 'always',
        details: { message: trap.message, typeName: 'trap', stackTrace: this.stackText() },
      };
      this.sendResponse(response);
    });
  }

  // ---------------------------------------------------------------- inspection

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'main')] };
    this.sendResponse(response);
  }

  private source(): Source {
    const p = this.program!;
    if (p.generated) return new Source(p.sourceName, undefined, SOURCE_REF, 'wasm', 'generated');
    return new Source(p.sourceName, this.convertDebuggerPathToClient(p.path));
  }

  private stackText(): string {
    const p = this.program!;
    return debugFrames(this.store!.machine).map(f => {
      const loc = p.location(f.offset);
      return `    at ${p.funcName(f.funcIndex)} (${p.sourceName}${loc ? `:${loc.line}:${loc.column}` : ''}, ${hex(f.offset)})\n`;
    }).join('');
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const p = this.program!;
      const start = Math.max(0, args.startFrame ?? 0);
      const levels = args.levels && args.levels > 0 ? args.levels : this.frames.length;
      const list = this.frames.slice(start, start + levels).map((f, k) => {
        const i = start + k;
        const loc = p.location(f.offset);
        const sf = new StackFrame(i + 1, p.funcName(f.funcIndex), loc ? this.source() : undefined,
          loc ? this.convertDebuggerLineToClient(loc.line) : 0, loc ? this.convertDebuggerColumnToClient(loc.column) : 0) as DebugProtocol.StackFrame;
        sf.instructionPointerReference = hex(f.offset);
        return sf;
      });
      response.body = { stackFrames: list, totalFrames: this.frames.length };
      this.sendResponse(response);
    });
  }

  private frameById(id: number | undefined): FrameInfo {
    const f = id === undefined ? this.frames[0] : this.frames[id - 1];
    if (!f) throw new RequestError(`Unknown frame id ${String(id)}.`);
    return f;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const idx = args.frameId - 1;
      const frame = this.frameById(args.frameId);
      const scopes: DebugProtocol.Scope[] = [
        new Scope('Locals', this.handles.create({ kind: 'locals', frame }), false),
        new Scope('Operand Stack', this.handles.create({ kind: 'operands', frame, innermost: idx === 0 }), false),
        new Scope('Globals', this.handles.create({ kind: 'globals' }), false),
      ];
      const mem = this.instance!.mem0;
      if (mem) {
        const s = new Scope('Memory', this.handles.create({ kind: 'memory' }), true) as DebugProtocol.Scope;
        s.indexedVariables = Math.ceil(mem.u8.length / ROW);
        scopes.push(s);
      }
      response.body = { scopes };
      this.sendResponse(response);
    });
  }

  private localNames(frame: FrameInfo): string[] {
    const names = this.program!.module.names.localNames.get(frame.funcIndex);
    const n = frame.func.tr!.localTypes.length;
    const out: string[] = [];
    for (let i = 0; i < n; i++) { const nm = names?.get(i); out.push(nm !== undefined ? `$${nm}` : `local${i}`); }
    return out;
  }
  private globalNames(): string[] {
    const names = this.program!.module.names.globalNames;
    return this.instance!.globals.map((_, i) => { const nm = names.get(i); return nm !== undefined ? `$${nm}` : `global${i}`; });
  }

  /** A value as shown to the user (function references by name). */
  private display(v: WasmValue, asHex: boolean): string {
    if (v.type === ValType.FuncRef && v.ref !== null && v.ref.kind === 'func') {
      const f = this.store!.funcs[v.ref.addr];
      if (f && f.inst === this.instance) return `ref.func ${this.program!.funcName(f.funcIndex)}`;
      if (f) return `ref.func ${f.name}`;
    }
    return formatValue(v, asHex);
  }

  private variable(name: string, v: WasmValue, asHex: boolean, evaluateName?: string): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = { name, value: this.display(v, asHex), type: typeName(v.type), variablesReference: 0 };
    if (evaluateName) out.evaluateName = evaluateName;
    if (v.type === ValType.V128) out.variablesReference = this.handles.create({ kind: 'v128', value: v });
    return out;
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const ref = this.handles.get(args.variablesReference);
      if (!ref) throw new RequestError(`Unknown variablesReference ${args.variablesReference}.`);
      const asHex = args.format?.hex === true;
      const m = this.store!.machine;
      let vars: DebugProtocol.Variable[] = [];
      switch (ref.kind) {
        case 'locals': {
          const names = this.localNames(ref.frame);
          vars = m.locals(ref.frame).map((v, i) => this.variable(names[i], v, asHex, names[i]));
          break;
        }
        case 'operands':
          vars = m.operands(ref.frame, ref.innermost).map((v, i) => this.variable(`[${i}]`, v, asHex));
          break;
        case 'globals': {
          const names = this.globalNames();
          vars = this.instance!.globals.map((g, i) => this.variable(names[i], g.get(), asHex, names[i]));
          break;
        }
        case 'memory': {
          const u8 = this.instance!.mem0!.u8;
          const rows = Math.ceil(u8.length / ROW);
          const start = Math.max(0, args.start ?? 0);
          const count = args.count && args.count > 0 ? Math.min(args.count, rows - start) : Math.min(rows - start, 64);
          for (let r = start; r < start + count; r++) {
            const a = r * ROW;
            const bytes = [...u8.subarray(a, a + ROW)].map(b => b.toString(16).padStart(2, '0')).join(' ');
            vars.push({ name: hex(a), value: bytes, variablesReference: 0, memoryReference: hex(a) });
          }
          break;
        }
        case 'v128': {
          const v = ref.value as { bytes: Uint8Array };
          const dv = new DataView(v.bytes.buffer, v.bytes.byteOffset, 16);
          for (let i = 0; i < 4; i++) {
            const x = dv.getInt32(4 * i, true);
            vars.push({ name: `i32[${i}]`, value: asHex ? hex(x) : String(x), type: 'i32', variablesReference: 0 });
          }
          break;
        }
      }
      response.body = { variables: vars };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const m = this.store!.machine;
      if (m.state !== 'paused') throw new RequestError('Values can only be changed while the program is live (not after a trap).');
      const ref = this.handles.get(args.variablesReference);
      if (!ref) throw new RequestError(`Unknown variablesReference ${args.variablesReference}.`);
      const asHex = args.format?.hex === true;
      if (ref.kind === 'locals') {
        const names = this.localNames(ref.frame);
        const i = names.indexOf(args.name);
        if (i < 0) throw new RequestError(`No local named ${args.name}.`);
        const tr = ref.frame.func.tr!;
        const v = parseValue(String(args.value), tr.localTypes[i]);
        this.store!.writeValue(m.I32, 2 * (ref.frame.fp + tr.localSlot[i]), v);
        response.body = { value: formatValue(m.locals(ref.frame)[i], asHex), type: typeName(v.type) };
      } else if (ref.kind === 'globals') {
        const i = this.globalNames().indexOf(args.name);
        if (i < 0) throw new RequestError(`No global named ${args.name}.`);
        const g = this.instance!.globals[i];
        if (!g.type.mutable) throw new RequestError(`${args.name} is an immutable global.`);
        g.set(parseValue(String(args.value), g.type.type));
        response.body = { value: formatValue(g.get(), asHex), type: typeName(g.type.type) };
      } else throw new RequestError('Only locals and mutable globals can be changed.');
      this.sendResponse(response);
    });
  }

  private env(frame: FrameInfo | undefined): EvalEnv {
    const m = this.store!.machine;
    return {
      lookup: (name: string): WasmValue | undefined => {
        const cands = name.startsWith('$') ? [name] : [`$${name}`, name];
        if (frame) {
          const names = this.localNames(frame);
          for (const c of cands) { const i = names.indexOf(c); if (i >= 0) return m.locals(frame)[i]; }
        }
        const g = this.globalNames();
        for (const c of cands) { const i = g.indexOf(c); if (i >= 0) return this.instance!.globals[i].get(); }
        return undefined;
      },
      memory: () => this.instance!.mem0?.u8 ?? null,
    };
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const frame = args.frameId !== undefined ? this.frameById(args.frameId) : this.frames[0];
      const expr = String(args.expression ?? '').trim();
      const asHex = args.format?.hex === true;
      const env = this.env(frame);
      const named = /^\$?[A-Za-z_][\w.$]*$/.test(expr) ? env.lookup(expr) : undefined;
      if (named !== undefined && (named.type === ValType.V128 || named.type === ValType.FuncRef || named.type === ValType.ExternRef)) {
        const ref = named.type === ValType.V128 ? this.handles.create({ kind: 'v128', value: named }) : 0;
        response.body = { result: this.display(named, asHex), type: typeName(named.type), variablesReference: ref };
      } else {
        const v = evaluateExpression(expr, env);
        response.body = { result: formatScalar(v, asHex), type: v.type, variablesReference: 0 };
      }
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      this.requireLoaded();
      if (this.state === 'running') throw new RequestError('The program is running; pause it first.');
      const mem = this.instance!.mem0;
      if (!mem) throw new RequestError('The module has no memory.');
      const base = parseAddress(args.memoryReference) + (args.offset ?? 0);
      const count = Math.max(0, Math.floor(Number(args.count) || 0));
      if (!Number.isFinite(base)) throw new RequestError(`Bad memoryReference '${String(args.memoryReference)}'.`);
      const u8 = mem.u8;
      const from = Math.min(Math.max(base, 0), u8.length);
      const to = Math.min(Math.max(base + count, 0), u8.length);
      const bytes = u8.subarray(from, Math.max(from, to));
      response.body = { address: hex(from), data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - bytes.length };
      this.sendResponse(response);
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
      if (!Number.isFinite(addr)) throw new RequestError(`Bad memoryReference '${String(args.memoryReference)}'.`);
      const all = p.instructions;
      // index of the instruction at or after addr
      let base = all.findIndex(x => x.offset >= addr);
      if (base < 0) base = all.length;
      const first = base + (args.instructionOffset ?? 0);
      const count = Math.max(0, Math.min(Math.floor(Number(args.instructionCount) || 0), 10000));
      const out: DebugProtocol.DisassembledInstruction[] = [];
      let lastFunc = -1;
      for (let i = first; i < first + count; i++) {
        const ins = all[i];
        if (!ins) { out.push({ address: hex(i < 0 ? 0 : p.module.bytes.length), instruction: '', presentationHint: 'invalid' }); continue; }
        const d: DebugProtocol.DisassembledInstruction = {
          address: hex(ins.offset), instruction: '  '.repeat(ins.depth) + ins.text,
          instructionBytes: [...p.module.bytes.subarray(ins.offset, Math.min(ins.offset + 8, (all[i + 1]?.offset ?? ins.offset + 1)))].map(b => b.toString(16).padStart(2, '0')).join(' '),
        };
        if (ins.funcIndex !== lastFunc) { d.symbol = p.funcName(ins.funcIndex); lastFunc = ins.funcIndex; }
        const loc = p.location(ins.offset);
        if (loc) { d.location = this.source(); d.line = this.convertDebuggerLineToClient(loc.line); d.column = loc.column; }
        out.push(d);
      }
      response.body = { instructions: out };
      this.sendResponse(response);
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.guard(response, () => {
      this.requireLoaded();
      response.body = { sources: [this.source()] };
      this.sendResponse(response);
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.guard(response, () => {
      const p = this.requireLoaded();
      const ref = args.source?.sourceReference ?? args.sourceReference;
      if (ref === SOURCE_REF && p.generated) response.body = { content: p.sourceText, mimeType: 'text/x-wasm' };
      else if (args.source?.path && this.sourceMatches(args.source)) response.body = { content: p.sourceText, mimeType: 'text/x-wasm' };
      else throw new RequestError(`Unknown source ${ref ?? args.source?.path ?? ''}.`);
      this.sendResponse(response);
    });
  }

}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function parseAddress(ref: unknown): number {
  if (typeof ref === 'number') return ref;
  if (typeof ref !== 'string') return NaN;
  const s = ref.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  if (/^\d+$/.test(s)) return Number(s);
  if (s === 'memory' || s === 'memory0') return 0;
  return NaN;
}

function hitMatches(cond: string, hits: number): boolean {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=': return hits >= n;
    case '<=': return hits <= n;
    case '>': return hits > n;
    case '<': return hits < n;
    case '%': return n > 0 && hits % n === 0;
    case '==': case '=': return hits === n;
    default: return hits >= n;
  }
}
