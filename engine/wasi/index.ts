// Public surface of the WASI preview1 host (browser-safe; the Node file system, clock, random and
// stdio are in engine/node/nodeWasiFs.ts, a Node runner in engine/node/wasiRun.ts).
export { createWasi, Wasi, WasiExit, type Preopen, type WasiOptions, type WasiCallRecord, type WasiHostFunction } from './wasi';
export { ArrayGuestMemory, ContextGuestMemory, MemoryFault, type GuestMemory, type HostMemoryAccess, type MemoryWriteListener } from './memory';
export {
  WasiError, resolvePath, splitGuestPath, symlinkStaysInside, MAX_SYMLINKS,
  type WasiFileSystem, type WasiFileHandle, type FileStat, type DirEntry, type OpenOptions, type ResolvedPath,
} from './fs';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './memfs';
export { BufferedStdio, PlatformClock, PlatformRandom, SeededRandom, VirtualClock, type WasiClock, type WasiRandom, type WasiStdio } from './host';
export * from './abi';
