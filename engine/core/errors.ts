// Typed errors of the engine. Messages use the official testsuite's texts where one exists, so the
// `.wast` runner can compare them; the extra context (offsets, function index) is in fields.

export class WasmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed binary: `offset` is the byte offset in the module where decoding failed. */
export class DecodeError extends WasmError {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
  override toString(): string {
    return `DecodeError at byte 0x${this.offset.toString(16)}: ${this.message}`;
  }
}

/** Malformed WebAssembly text. Positions are 0-based `offset` into the text, 1-based `line`/`column`. */
export class ParseError extends WasmError {
  constructor(message: string, readonly offset: number, readonly line: number, readonly column: number,
    readonly endOffset: number = offset) {
    super(message);
  }
  override toString(): string {
    return `${this.line}:${this.column}: ${this.message}`;
  }
}

/** A well-formed module that does not validate. `funcIndex` is the function (in the function index
 *  space) and `offset` the byte offset of the offending instruction or field, when known (-1 if not). */
export class ValidationError extends WasmError {
  constructor(message: string, readonly offset: number = -1, readonly funcIndex: number = -1) {
    super(message);
  }
  override toString(): string {
    const where = [this.funcIndex >= 0 ? `function ${this.funcIndex}` : '', this.offset >= 0 ? `byte 0x${this.offset.toString(16)}` : '']
      .filter(Boolean).join(', ');
    return `ValidationError${where ? ` (${where})` : ''}: ${this.message}`;
  }
}

/** An import could not be resolved: `message` is the spec text ("unknown import",
 *  "incompatible import type"), `detail` names the import. */
export class LinkError extends WasmError {
  constructor(message: string, readonly module: string, readonly field: string, readonly detail = '') {
    super(message);
  }
  override toString(): string {
    return `LinkError: ${this.message}: "${this.module}" "${this.field}"${this.detail ? ` (${this.detail})` : ''}`;
  }
}

/** Trap codes: small integers so the interpreter loop can set them without allocating. */
export const enum TrapCode {
  None = 0,
  Unreachable = 1,
  MemoryOutOfBounds = 2,
  IntegerDivideByZero = 3,
  IntegerOverflow = 4,
  InvalidConversion = 5,
  IndirectCallTypeMismatch = 6,
  UndefinedElement = 7,
  UninitializedElement = 8,
  TableOutOfBounds = 9,
  CallStackExhausted = 10,
  HostError = 11,
  ProcExit = 12,
}

export const TRAP_MESSAGES: Record<number, string> = {
  [TrapCode.Unreachable]: 'unreachable',
  [TrapCode.MemoryOutOfBounds]: 'out of bounds memory access',
  [TrapCode.IntegerDivideByZero]: 'integer divide by zero',
  [TrapCode.IntegerOverflow]: 'integer overflow',
  [TrapCode.InvalidConversion]: 'invalid conversion to integer',
  [TrapCode.IndirectCallTypeMismatch]: 'indirect call type mismatch',
  [TrapCode.UndefinedElement]: 'undefined element',
  [TrapCode.UninitializedElement]: 'uninitialized element',
  [TrapCode.TableOutOfBounds]: 'out of bounds table access',
  [TrapCode.CallStackExhausted]: 'call stack exhausted',
  [TrapCode.HostError]: 'host error',
  [TrapCode.ProcExit]: 'exit',
};

/** A WebAssembly trap. `funcIndex`/`offset` locate the trapping instruction when known. */
export class Trap extends WasmError {
  constructor(readonly code: TrapCode, message: string = TRAP_MESSAGES[code] ?? 'trap',
    readonly funcIndex: number = -1, readonly offset: number = -1) {
    super(message);
  }
}
