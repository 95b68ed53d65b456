// Value types and the other small type descriptions of the module model.

export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
}

export function isValType(b: number): boolean {
  return b === 0x7f || b === 0x7e || b === 0x7d || b === 0x7c || b === 0x7b || b === 0x70 || b === 0x6f;
}
export function isRefType(t: number): boolean {
  return t === ValType.FuncRef || t === ValType.ExternRef;
}
export function isNumType(t: number): boolean {
  return t === ValType.I32 || t === ValType.I64 || t === ValType.F32 || t === ValType.F64;
}
export function valTypeName(t: number): string {
  switch (t) {
    case ValType.I32: return 'i32';
    case ValType.I64: return 'i64';
    case ValType.F32: return 'f32';
    case ValType.F64: return 'f64';
    case ValType.V128: return 'v128';
    case ValType.FuncRef: return 'funcref';
    case ValType.ExternRef: return 'externref';
    default: return `<type 0x${t.toString(16)}>`;
  }
}
const NAME_TO_TYPE: Record<string, ValType> = {
  i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, v128: ValType.V128,
  funcref: ValType.FuncRef, externref: ValType.ExternRef,
};
export function valTypeFromName(s: string): ValType | undefined {
  return NAME_TO_TYPE[s];
}
/** Number of 8-byte interpreter slots a value of this type occupies (v128 takes two). */
export function slotCount(t: number): number {
  return t === ValType.V128 ? 2 : 1;
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}
export function funcTypeEquals(a: FuncType, b: FuncType): boolean {
  if (a.params.length !== b.params.length || a.results.length !== b.results.length) return false;
  for (let i = 0; i < a.params.length; i++) if (a.params[i] !== b.params[i]) return false;
  for (let i = 0; i < a.results.length; i++) if (a.results[i] !== b.results[i]) return false;
  return true;
}
export function funcTypeToString(t: FuncType): string {
  return `[${t.params.map(valTypeName).join(' ')}] -> [${t.results.map(valTypeName).join(' ')}]`;
}

/** Limits in units of pages (memories) or elements (tables); `max` null when absent. u32 range. */
export interface Limits {
  readonly min: number;
  readonly max: number | null;
}
export interface TableType {
  readonly elem: ValType;
  readonly limits: Limits;
}
export interface MemType {
  readonly limits: Limits;
}
export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

export const PAGE_SIZE = 65536;
export const MAX_PAGES = 65536;
