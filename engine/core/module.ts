// The decoded module: what the decoder produces from a binary and everything downstream (validator,
// instantiation, translator, debugger) reads. Function bodies and constant expressions are kept as
// byte ranges into `bytes`, read with InstrReader, so every instruction keeps its byte offset in the
// original binary (the debugger's program counter).

import type { FuncType, GlobalType, MemType, TableType, ValType } from './types';

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemType }
  | { readonly kind: 'global'; readonly type: GlobalType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** Byte offset of the import entry. */
  readonly offset: number;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  readonly offset: number;
}

/** A constant expression: the instructions in bytes[start, end), `end` just past its `end` opcode. */
export interface ConstExpr {
  readonly start: number;
  readonly end: number;
}

/** A function defined in this module (not imported). */
export interface FuncBody {
  readonly typeIndex: number;
  /** Declared locals (not parameters), expanded: one entry per local. */
  readonly locals: readonly ValType[];
  /** Byte offset of the body's size field (the start of the code entry). */
  readonly entryOffset: number;
  /** Byte offset of the first instruction. */
  readonly codeStart: number;
  /** Byte offset just past the final `end`. */
  readonly codeEnd: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

/** An element segment item: a function index (legacy encoding) or a constant expression. */
export type ElemItem = number | ConstExpr;

export interface ElemSegment {
  readonly mode: SegmentMode;
  readonly table: number;
  readonly offset: ConstExpr | null;
  readonly type: ValType;
  readonly items: readonly ElemItem[];
  readonly byteOffset: number;
}

export interface DataSegment {
  readonly mode: 'active' | 'passive';
  readonly memory: number;
  readonly offset: ConstExpr | null;
  readonly data: Uint8Array;
  readonly byteOffset: number;
}

export interface CustomSection {
  readonly name: string;
  /** Payload (after the name), as offsets into the module bytes. */
  readonly start: number;
  readonly end: number;
}

export interface NameSection {
  moduleName: string | null;
  readonly funcNames: Map<number, string>;
  readonly localNames: Map<number, Map<number, string>>;
  readonly globalNames: Map<number, string>;
  readonly tableNames: Map<number, string>;
  readonly memoryNames: Map<number, string>;
  readonly typeNames: Map<number, string>;
  readonly labelNames: Map<number, Map<number, string>>;
  readonly elemNames: Map<number, string>;
  readonly dataNames: Map<number, string>;
}

export function emptyNames(): NameSection {
  return {
    moduleName: null, funcNames: new Map(), localNames: new Map(), globalNames: new Map(),
    tableNames: new Map(), memoryNames: new Map(), typeNames: new Map(), labelNames: new Map(),
    elemNames: new Map(), dataNames: new Map(),
  };
}

export interface Module {
  readonly bytes: Uint8Array;
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Defined functions only; function index = numImportedFuncs + i. */
  readonly funcs: readonly FuncBody[];
  /** Defined tables / memories / globals only (imported ones come first in each index space). */
  readonly tables: readonly TableType[];
  readonly memories: readonly MemType[];
  readonly globals: readonly Global[];
  readonly exports: readonly Export[];
  readonly start: number | null;
  readonly elems: readonly ElemSegment[];
  readonly datas: readonly DataSegment[];
  readonly dataCount: number | null;
  readonly customs: readonly CustomSection[];
  readonly names: NameSection;

  readonly numImportedFuncs: number;
  readonly numImportedTables: number;
  readonly numImportedMemories: number;
  readonly numImportedGlobals: number;
  /** Type index of every function in the function index space (imports first). */
  readonly funcTypeIndices: readonly number[];
  /** Type of every table / memory / global in its index space (imports first). */
  readonly allTables: readonly TableType[];
  readonly allMemories: readonly MemType[];
  readonly allGlobals: readonly GlobalType[];
}

export function funcType(m: Module, funcIndex: number): FuncType {
  return m.types[m.funcTypeIndices[funcIndex]];
}
