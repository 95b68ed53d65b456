// Loading a program for debugging: a .wat (assembled, with its source map) or a .wasm (decoded, with
// generated WAT text as its source). Errors become LaunchError with a message for the user.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeModule } from '../engine/binary/decoder';
import { validateModule } from '../engine/validate/validator';
import { assembleWat, SourceMapIndex } from '../engine/wat/assembler';
import { DecodeError, ParseError, ValidationError } from '../engine/core/errors';
import type { Module } from '../engine/core/module';
import { disassembleFunction, type DisasmLine } from '../engine/disasm/disassembler';
import { printModuleWithMap, lineForOffset } from '../engine/disasm/printer';

export class LaunchError extends Error {}

export interface Instruction extends DisasmLine {
  funcIndex: number;
}

/** A loaded program and its one source (the .wat file, or generated WAT for a .wasm). */
export class Program {
  /** Every instruction of every defined function, by ascending offset. */
  readonly instructions: Instruction[] = [];
  private readonly byOffset = new Map<number, number>();
  private readonly lineMap: SourceMapIndex | null;
  private readonly genLines: { offset: number; line: number }[] = [];
  private readonly offsetsByLine = new Map<number, number[]>();
  readonly sourceText: string;
  readonly lineCount: number;

  constructor(readonly path: string, readonly module: Module, watText: string | null, map: SourceMapIndex | null) {
    for (let i = 0; i < module.funcs.length; i++) {
      const fi = module.numImportedFuncs + i;
      for (const l of disassembleFunction(module, fi)) this.instructions.push({ ...l, funcIndex: fi });
    }
    this.instructions.sort((a, b) => a.offset - b.offset);
    this.instructions.forEach((ins, i) => this.byOffset.set(ins.offset, i));
    this.lineMap = map;
    if (watText !== null && map !== null) {
      this.sourceText = watText;
      for (const ins of this.instructions) {
        const loc = map.locate(ins.offset);
        if (loc && loc.byteOffset === ins.offset) this.addLine(loc.line, ins.offset);
      }
    } else {
      const printed = printModuleWithMap(module);
      this.sourceText = printed.text;
      this.genLines = printed.lines;
      for (const e of printed.lines) if (this.byOffset.has(e.offset)) this.addLine(e.line, e.offset);
    }
    this.lineCount = this.sourceText.split('\n').length;
  }

  private addLine(line: number, offset: number): void {
    let l = this.offsetsByLine.get(line);
    if (!l) this.offsetsByLine.set(line, (l = []));
    l.push(offset);
  }

  /** True when the source is generated WAT (shown through a sourceReference). */
  get generated(): boolean { return this.lineMap === null; }
  get sourceName(): string { return this.generated ? basename(this.path) + '.wat' : basename(this.path); }

  instructionIndex(offset: number): number | undefined { return this.byOffset.get(offset); }
  instructionAt(offset: number): Instruction | undefined {
    const i = this.byOffset.get(offset);
    return i === undefined ? undefined : this.instructions[i];
  }

  /** 1-based source line and column of an instruction. */
  location(offset: number): { line: number; column: number } | null {
    if (this.lineMap !== null) {
      const loc = this.lineMap.locate(offset);
      return loc ? { line: loc.line, column: loc.column } : null;
    }
    const line = lineForOffset(this.genLines, offset);
    return line === undefined ? null : { line, column: 1 };
  }

  /** The line with code nearest to `line` (at or after it first, then before), with the first
   *  instruction (lowest offset) on it. */
  resolveLine(line: number): { line: number; offset: number } | null {
    for (let l = Math.max(1, line); l <= this.lineCount; l++) {
      const offs = this.offsetsByLine.get(l);
      if (offs && offs.length) return { line: l, offset: Math.min(...offs) };
    }
    for (let l = line - 1; l >= 1; l--) {
      const offs = this.offsetsByLine.get(l);
      if (offs && offs.length) return { line: l, offset: Math.min(...offs) };
    }
    return null;
  }

  /** Function index of the defined function containing `offset`, or -1. */
  funcOf(offset: number): number {
    const i = this.instructionIndex(offset);
    if (i !== undefined) return this.instructions[i].funcIndex;
    const m = this.module;
    for (let k = 0; k < m.funcs.length; k++) {
      const b = m.funcs[k];
      if (b.codeStart <= offset && offset < b.codeEnd) return m.numImportedFuncs + k;
    }
    return -1;
  }

  /** Display name of a function: name section, else an export, else func[i]. */
  funcName(funcIndex: number): string {
    const n = this.module.names.funcNames.get(funcIndex);
    if (n !== undefined) return n;
    const e = this.module.exports.find(x => x.kind === 'func' && x.index === funcIndex);
    return e ? e.name : `func[${funcIndex}]`;
  }

  /** Function index named `name` (`$name`, name-section name, export name or a number). */
  findFunction(name: string): number {
    const bare = name.startsWith('$') ? name.slice(1) : name;
    for (const [i, n] of this.module.names.funcNames) if (n === bare || n === name) return i;
    const e = this.module.exports.find(x => x.kind === 'func' && (x.name === name || x.name === bare));
    if (e) return e.index;
    if (/^\d+$/.test(bare)) { const i = Number(bare); if (i < this.module.numImportedFuncs + this.module.funcs.length) return i; }
    return -1;
  }

  firstOffset(funcIndex: number): number {
    const k = funcIndex - this.module.numImportedFuncs;
    return k >= 0 && k < this.module.funcs.length ? this.module.funcs[k].codeStart : -1;
  }
}

/** Reads, assembles or decodes, and validates the program. */
export function loadProgram(path: string): Program {
  let data: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new LaunchError(`'program' is a directory, not a .wasm or .wat file: ${path}`);
    data = readFileSync(path);
  } catch (e) {
    if (e instanceof LaunchError) throw e;
    throw new LaunchError(`Cannot read 'program' ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const isWasm = data.length >= 4 && data[0] === 0 && data[1] === 0x61 && data[2] === 0x73 && data[3] === 0x6d;
  let module: Module;
  let text: string | null = null;
  let map: SourceMapIndex | null = null;
  if (isWasm) {
    try {
      module = decodeModule(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      if (e instanceof DecodeError) throw new LaunchError(`${path}: malformed module at byte 0x${e.offset.toString(16)}: ${e.message}`);
      throw e;
    }
  } else {
    if (!/\.(wat|wast)$/i.test(path)) throw new LaunchError(`${path} is not a WebAssembly module (no \\0asm header) nor a .wat text file`);
    text = data.toString('utf8');
    try {
      const r = assembleWat(text);
      map = new SourceMapIndex(r.sourceMap);
      module = decodeModule(r.binary);
    } catch (e) {
      if (e instanceof ParseError) throw new LaunchError(`${path}:${e.line}:${e.column}: ${e.message}`);
      if (e instanceof DecodeError) throw new LaunchError(`${path}: ${e.message}`);
      throw e;
    }
  }
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof ValidationError) {
      let where = '';
      if (map !== null && e.offset >= 0) { const loc = map.locate(e.offset); if (loc) where = `:${loc.line}:${loc.column}`; }
      else if (e.offset >= 0) where = ` (byte 0x${e.offset.toString(16)})`;
      throw new LaunchError(`${path}${where}: invalid module: ${e.message}`);
    }
    throw e;
  }
  return new Program(path, module, text, map);
}
