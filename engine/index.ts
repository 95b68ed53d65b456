// Public entry point of the engine (browser-safe: no node:* imports).
export { Store, Instance, Machine, FuncInst, MemInst, TableInst, GlobalInst, PassThroughBoundary } from './runtime/store';
export type {
  FuncHandle, MemoryHandle, TableHandle, GlobalHandle, ExternValue, ImportResolver, HostContext, HostCallBoundary,
  HostImpl, RunStatus, MachineState, FrameInfo, StoreOptions,
} from './runtime/store';
