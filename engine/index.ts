// Public entry point of the engine (browser-safe: no node:* imports).
export { Store, Instance, Machine, FuncInst, MemInst, TableInst, GlobalInst, PassThroughBoundary } from './runtime/store';
export type {
  FuncHandle, MemoryHandle, TableHandle, GlobalHandle, ExternValue, ImportResolver, HostContext, HostCallBoundary,
  HostImpl, RunStatus, MachineState, FrameInfo, StoreOptions,
} from './runtime/store';
export * from './runtime/values';
export * from './core/errors';
export * from './core/types';
export type * from './core/module';
export { OPS, Op, Imm, opByName, textName } from './core/opcodes';
export type { OpInfo } from './core/opcodes';
export { decodeModule } from './binary/decoder';
export { validateModule } from './validate/validator';
export * from './wat/index';
export * from './disasm/index';
export * from './wasi/index';
export * from './dwarf/index';
