// The wasi_snapshot_preview1 host: every import of the interface, over a `GuestMemory`, a set of
// preopened `WasiFileSystem`s, and the clock/random/stdio interfaces of ./host. Syscalls answer
// WASI errno values; nothing the guest passes (bad pointers, bad fds, hostile paths) makes the host
// throw, except `proc_exit`, which throws `WasiExit` to end the run.

import { Trap, TrapCode } from '../core/errors';
import type { HostContext, ImportResolver, Instance, Store, FuncHandle } from '../runtime/store';
import type { FuncType } from '../core/types';
import { ValType } from '../core/types';
import { i32, type WasmValue } from '../runtime/values';
import {
  Advice, Clockid, Errno, Eventtype, Fdflags, Filetype, Fstflags, Layout, Lookupflags, Oflags,
  RIGHTS_DIR, RIGHTS_FILE, RIGHTS_TTY, Rights, Subclockflags, WASI_MODULE, WASI_SIGNATURES, Whence,
} from './abi';
import {
  resolvePath, symlinkStaysInside, WasiError, type FileStat, type WasiFileHandle, type WasiFileSystem,
} from './fs';
import { BufferedStdio, PlatformClock, PlatformRandom, type WasiClock, type WasiRandom, type WasiStdio } from './host';
import { ContextGuestMemory, MemoryFault, type GuestMemory, type HostMemoryAccess } from './memory';

/** Thrown by `proc_exit`: ends execution with `exitCode`. A `Trap` (code ProcExit) so that the
 *  interpreter unwinds it like any trap; runners recognise it with `instanceof WasiExit` or by
 *  `TrapCode.ProcExit`. */
export class WasiExit extends Trap {
  constructor(readonly exitCode: number) {
    super(TrapCode.ProcExit, `exit ${exitCode}`);
  }
}

export interface Preopen {
  /** The directory name the guest sees (e.g. "/sandbox" or "."). */
  guestPath: string;
  /** The file system rooted at that directory. */
  fs: WasiFileSystem;
}

/** One completed syscall, for logging. `args` are the raw values (i32 as unsigned numbers, i64 as
 *  unsigned bigints). */
export interface WasiCallRecord {
  name: string;
  args: readonly (number | bigint)[];
  errno: number;
}

export interface WasiOptions {
  /** argv, the program name first. */
  args?: readonly string[];
  /** Environment as "KEY=VALUE" strings or a record. */
  env?: readonly string[] | Readonly<Record<string, string>>;
  preopens?: readonly Preopen[];
  stdio?: WasiStdio;
  clock?: WasiClock;
  random?: WasiRandom;
  /** Called after every syscall (not after proc_exit, which does not return). */
  trace?: (call: WasiCallRecord) => void;
}

interface FdBase { rightsBase: bigint; rightsInheriting: bigint; flags: number }
interface StdioFd extends FdBase { kind: 'stdio'; stream: 0 | 1 | 2 }
interface FileFd extends FdBase { kind: 'file'; fs: WasiFileSystem; path: string[]; handle: WasiFileHandle; offset: bigint }
interface DirFd extends FdBase { kind: 'dir'; fs: WasiFileSystem; path: string[]; preopen: Uint8Array | null }
type FdEntry = StdioFd | FileFd | DirFd;

type Arg = number | bigint;
type Syscall = (a: readonly Arg[]) => number;

/** A host function: its exact Wasm type and an implementation over tagged values. */
export interface WasiHostFunction {
  readonly name: string;
  readonly type: FuncType;
  /** With a host context (a runtime call), the syscall uses the caller's memory through it. */
  readonly impl: (args: WasmValue[], ctx?: HostMemoryAccess) => WasmValue[];
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const MAX_CHUNK = 1 << 20;
const U64_MAX = (1n << 64n) - 1n;

function lastComponent(p: string): string {
  const parts = p.split('/').filter(c => c !== '');
  return parts.length ? parts[parts.length - 1] : '';
}

export class Wasi {
  private mem: GuestMemory | null = null;
  private readonly fds = new Map<number, FdEntry>();
  private readonly argv: Uint8Array[];
  private readonly envv: Uint8Array[];
  private readonly stdio: WasiStdio;
  private readonly clock: WasiClock;
  private readonly random: WasiRandom;
  private readonly trace?: (call: WasiCallRecord) => void;
  private readonly syscalls: Record<string, Syscall>;
  /** Set by proc_exit. */
  exitCode: number | null = null;
  /** Unexpected host exceptions turned into EIO (should stay empty; kept for diagnosis). */
  readonly hostErrors: unknown[] = [];

  constructor(options: WasiOptions = {}) {
    this.argv = (options.args ?? []).map(s => enc.encode(s + '\0'));
    const env = options.env ?? [];
    const envList = Array.isArray(env) ? env as readonly string[] : Object.entries(env).map(([k, v]) => `${k}=${v}`);
    this.envv = envList.map(s => enc.encode(s + '\0'));
    this.stdio = options.stdio ?? new BufferedStdio();
    this.clock = options.clock ?? new PlatformClock();
    this.random = options.random ?? new PlatformRandom();
    this.trace = options.trace;
    this.fds.set(0, { kind: 'stdio', stream: 0, rightsBase: RIGHTS_TTY & ~Rights.FD_WRITE, rightsInheriting: 0n, flags: 0 });
    this.fds.set(1, { kind: 'stdio', stream: 1, rightsBase: RIGHTS_TTY & ~Rights.FD_READ, rightsInheriting: 0n, flags: Fdflags.APPEND });
    this.fds.set(2, { kind: 'stdio', stream: 2, rightsBase: RIGHTS_TTY & ~Rights.FD_READ, rightsInheriting: 0n, flags: Fdflags.APPEND });
    let fd = 3;
    for (const p of options.preopens ?? []) {
      this.fds.set(fd++, {
        kind: 'dir', fs: p.fs, path: [], preopen: enc.encode(p.guestPath),
        rightsBase: RIGHTS_DIR, rightsInheriting: RIGHTS_DIR | RIGHTS_FILE, flags: 0,
      });
    }
    this.syscalls = this.makeSyscalls();
  }

  /** Binds the guest memory the syscalls read and write (the instance's exported "memory"). */
  setMemory(mem: GuestMemory | null): void { this.mem = mem; }

  /** Names of all implemented imports. */
  static readonly functionNames: readonly string[] = Object.keys(WASI_SIGNATURES);

  /**
   * Performs syscall `name` with raw arguments (i32 as numbers, i64 as bigints; signedness does not
   * matter) and returns its errno. Throws only `WasiExit` (proc_exit) and, for an unknown name, Error.
   */
  call(name: string, args: readonly Arg[]): number {
    const f = this.syscalls[name];
    if (!f) throw new Error(`unknown WASI function ${name}`);
    const sig = WASI_SIGNATURES[name];
    const norm = args.map((a, i) => sig.params[i] === ValType.I64 ? BigInt.asUintN(64, BigInt(a)) : Number(a) >>> 0);
    let errno: number;
    try {
      errno = f(norm);
    } catch (e) {
      if (e instanceof WasiExit) throw e;
      if (e instanceof WasiError) errno = e.errno;
      else if (e instanceof MemoryFault) errno = Errno.FAULT;
      else { this.hostErrors.push(e); errno = Errno.IO; }
    }
    this.trace?.({ name, args: norm, errno });
    return errno;
  }

  /** Every import of "wasi_snapshot_preview1" as a host function over tagged values. */
  hostFunctions(): WasiHostFunction[] {
    return Wasi.functionNames.map(name => {
      const type = WASI_SIGNATURES[name];
      const impl = (args: WasmValue[], ctx?: HostMemoryAccess): WasmValue[] => {
        const raw = args.map(v => ('bits' in v ? v.bits : 0) as Arg);
        const saved = this.mem;
        if (ctx && ctx.memory) this.mem = new ContextGuestMemory(ctx);
        try {
          const r = this.call(name, raw);
          return type.results.length ? [i32(r)] : [];
        } finally {
          this.mem = saved;
        }
      };
      return { name, type, impl };
    });
  }

  /** The import module name. */
  static readonly moduleName = WASI_MODULE;

  private readonly storeFuncs = new WeakMap<Store, Map<string, FuncHandle>>();

  /**
   * An import resolver providing "wasi_snapshot_preview1" in `store` (other modules: undefined).
   * Host functions are created once per store with wasi-libc's exact types, so a module importing
   * one with another type fails to link ("incompatible import type").
   */
  imports(store: Store): ImportResolver {
    let made = this.storeFuncs.get(store);
    if (!made) {
      made = new Map();
      for (const f of this.hostFunctions()) {
        made.set(f.name, store.hostFunction(f.type, (args: WasmValue[], ctx: HostContext) => f.impl(args, ctx), `${WASI_MODULE}.${f.name}`));
      }
      this.storeFuncs.set(store, made);
    }
    const funcs = made;
    return (module: string, name: string) => {
      if (module !== WASI_MODULE) return undefined;
      const func = funcs.get(name);
      return func ? { kind: 'func', func } : undefined;
    };
  }

  /**
   * Runs a command instance: binds its exported "memory" (for calls made without a caller memory),
   * calls `_start` and returns the exit status: 0 when `_start` returns, the code given to
   * proc_exit otherwise. Traps other than proc_exit propagate (a `Trap`).
   */
  start(store: Store, instance: Instance): number {
    const mem = instance.exports.get('memory');
    if (mem && mem.kind === 'memory') this.setMemory(new ContextGuestMemory(store.hostContext(mem.memory)));
    const start = instance.exports.get('_start');
    if (!start || start.kind !== 'func') throw new Error('not a WASI command: no exported function _start');
    try {
      store.invoke(start.func, []);
      return 0;
    } catch (e) {
      if (e instanceof WasiExit) return e.exitCode;
      if (e instanceof Trap && e.code === TrapCode.ProcExit && this.exitCode !== null) return this.exitCode;
      throw e;
    }
  }

  // ---------------------------------------------------------------- helpers

  private memory(): GuestMemory {
    if (!this.mem) throw new WasiError(Errno.FAULT, 'no guest memory bound');
    return this.mem;
  }
  /** EFAULT unless [addr, addr+len) is inside guest memory. */
  private checkRange(addr: number, len: number): void {
    if (addr + len > this.memory().size()) throw new MemoryFault(addr, len);
  }
  private readString(ptr: number, len: number): string {
    const bytes = this.memory().read(ptr, len);
    try {
      return dec.decode(bytes);
    } catch {
      throw new WasiError(Errno.ILSEQ, 'path is not valid UTF-8');
    }
  }
  private entry(fd: number, rights: bigint = 0n): FdEntry {
    const e = this.fds.get(fd);
    if (!e) throw new WasiError(Errno.BADF);
    if ((e.rightsBase & rights) !== rights) throw new WasiError(Errno.NOTCAPABLE);
    return e;
  }
  private dirEntry(fd: number, rights: bigint): DirFd {
    const e = this.entry(fd);
    if (e.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    if ((e.rightsBase & rights) !== rights) throw new WasiError(Errno.NOTCAPABLE);
    return e;
  }
  private iovecs(ptr: number, count: number): { buf: number; len: number }[] {
    const m = this.memory();
    this.checkRange(ptr, count * Layout.iovec.size);
    const out: { buf: number; len: number }[] = [];
    for (let i = 0; i < count; i++) {
      const buf = m.u32(ptr + i * 8 + Layout.iovec.buf);
      const len = m.u32(ptr + i * 8 + Layout.iovec.bufLen);
      this.checkRange(buf, len);
      out.push({ buf, len });
    }
    return out;
  }
  private allocFd(e: FdEntry): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, e);
    return fd;
  }
  private filestatBytes(st: FileStat): Uint8Array {
    const b = new Uint8Array(Layout.filestat.size);
    const v = new DataView(b.buffer);
    const L = Layout.filestat;
    v.setBigUint64(L.dev, BigInt.asUintN(64, st.dev), true);
    v.setBigUint64(L.ino, BigInt.asUintN(64, st.ino), true);
    v.setUint8(L.filetype, st.filetype);
    v.setBigUint64(L.nlink, BigInt.asUintN(64, st.nlink), true);
    v.setBigUint64(L.size_, BigInt.asUintN(64, st.size), true);
    v.setBigUint64(L.atim, BigInt.asUintN(64, st.atim), true);
    v.setBigUint64(L.mtim, BigInt.asUintN(64, st.mtim), true);
    v.setBigUint64(L.ctim, BigInt.asUintN(64, st.ctim), true);
    return b;
  }
  private statOf(e: FdEntry): FileStat {
    switch (e.kind) {
      case 'stdio': return { dev: 0n, ino: 0n, filetype: Filetype.CHARACTER_DEVICE, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
      case 'file': return e.handle.stat();
      case 'dir': return e.fs.lstat(e.path);
    }
  }
  /** The times to set for `fstflags` (null = unchanged); EINVAL on contradictory flags. */
  private times(atim: bigint, mtim: bigint, fst: number): [bigint | null, bigint | null] {
    if ((fst & Fstflags.ATIM && fst & Fstflags.ATIM_NOW) || (fst & Fstflags.MTIM && fst & Fstflags.MTIM_NOW) ||
      (fst & ~0xf)) throw new WasiError(Errno.INVAL);
    const now = fst & (Fstflags.ATIM_NOW | Fstflags.MTIM_NOW) ? this.clock.now(Clockid.REALTIME) : 0n;
    const a = fst & Fstflags.ATIM ? atim : fst & Fstflags.ATIM_NOW ? now : null;
    const m = fst & Fstflags.MTIM ? mtim : fst & Fstflags.MTIM_NOW ? now : null;
    return [a, m];
  }
  private writeList(list: Uint8Array[], ptrsAt: number, bufAt: number): number {
    const m = this.memory();
    let total = 0;
    for (const s of list) total += s.length;
    this.checkRange(ptrsAt, list.length * 4);
    this.checkRange(bufAt, total);
    const ptrs = new Uint8Array(list.length * 4);
    const pv = new DataView(ptrs.buffer);
    const buf = new Uint8Array(total);
    let o = 0;
    list.forEach((s, i) => { pv.setUint32(i * 4, (bufAt + o) >>> 0, true); buf.set(s, o); o += s.length; });
    if (ptrs.length) m.write(ptrsAt, ptrs);
    if (buf.length) m.write(bufAt, buf);
    return Errno.SUCCESS;
  }
  private writeSizes(list: Uint8Array[], countAt: number, sizeAt: number): number {
    const m = this.memory();
    this.checkRange(countAt, 4);
    this.checkRange(sizeAt, 4);
    let total = 0;
    for (const s of list) total += s.length;
    m.setU32(countAt, list.length);
    m.setU32(sizeAt, total);
    return Errno.SUCCESS;
  }

  /** Reads from `e` into the iovecs; returns the byte count. `pos` null = current offset. */
  private readInto(e: FdEntry, iovs: { buf: number; len: number }[], pos: bigint | null): number {
    const m = this.memory();
    let total = 0;
    if (e.kind === 'stdio') {
      const want = iovs.reduce((s, v) => s + v.len, 0);
      if (want === 0) return 0;
      const data = this.stdio.readStdin(want);
      let o = 0;
      for (const v of iovs) {
        if (o >= data.length) break;
        const n = Math.min(v.len, data.length - o);
        m.write(v.buf, data.subarray(o, o + n));
        o += n;
      }
      return data.length;
    }
    if (e.kind !== 'file') throw new WasiError(Errno.ISDIR);
    let at = pos ?? e.offset;
    outer: for (const v of iovs) {
      let done = 0;
      while (done < v.len) {
        const chunk = new Uint8Array(Math.min(MAX_CHUNK, v.len - done));
        const n = e.handle.read(chunk, at);
        if (n > 0) m.write(v.buf + done, chunk.subarray(0, n));
        done += n;
        at += BigInt(n);
        total += n;
        if (n < chunk.length) break outer;
      }
    }
    if (pos === null) e.offset = at;
    return total;
  }
  /** Writes the iovecs' bytes to `e`; returns the byte count. `pos` null = current offset/append. */
  private writeFrom(e: FdEntry, iovs: { buf: number; len: number }[], pos: bigint | null): number {
    const m = this.memory();
    const total = iovs.reduce((s, v) => s + v.len, 0);
    if (e.kind === 'stdio') {
      const data = new Uint8Array(total);
      let o = 0;
      for (const v of iovs) { data.set(m.read(v.buf, v.len), o); o += v.len; }
      if (total > 0) {
        if (e.stream === 1) this.stdio.writeStdout(data);
        else this.stdio.writeStderr(data);
      }
      return total;
    }
    if (e.kind !== 'file') throw new WasiError(Errno.ISDIR);
    let at = pos ?? (e.flags & Fdflags.APPEND ? e.handle.stat().size : e.offset);
    let written = 0;
    for (const v of iovs) {
      for (let done = 0; done < v.len;) {
        const n = Math.min(MAX_CHUNK, v.len - done);
        const w = e.handle.write(m.read(v.buf + done, n), at);
        done += w;
        written += w;
        at += BigInt(w);
        if (w < n) break;
      }
    }
    if (pos === null) e.offset = at;
    return written;
  }

  // ---------------------------------------------------------------- syscalls

  private makeSyscalls(): Record<string, Syscall> {
    const n = (a: Arg) => a as number;
    const b = (a: Arg) => a as bigint;
    const S = Errno.SUCCESS;
    const notSock = (fd: number): number => { this.entry(fd); return Errno.NOTSOCK; };

    return {
      args_get: a => this.writeList(this.argv, n(a[0]), n(a[1])),
      args_sizes_get: a => this.writeSizes(this.argv, n(a[0]), n(a[1])),
      environ_get: a => this.writeList(this.envv, n(a[0]), n(a[1])),
      environ_sizes_get: a => this.writeSizes(this.envv, n(a[0]), n(a[1])),

      clock_res_get: a => {
        this.checkRange(n(a[1]), 8);
        this.memory().setU64(n(a[1]), this.clock.resolution(n(a[0])));
        return S;
      },
      clock_time_get: a => {
        this.checkRange(n(a[2]), 8);
        this.memory().setU64(n(a[2]), this.clock.now(n(a[0])));
        return S;
      },

      fd_advise: a => {
        this.entry(n(a[0]), Rights.FD_ADVISE);
        if (n(a[3]) > Advice.NOREUSE) return Errno.INVAL;
        return S;
      },
      fd_allocate: a => {
        const e = this.entry(n(a[0]), Rights.FD_ALLOCATE);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.ISDIR : Errno.INVAL;
        const end = b(a[1]) + b(a[2]);
        if (end > U64_MAX >> 1n) return Errno.FBIG;
        if (end > e.handle.stat().size) e.handle.truncate(end);
        return S;
      },
      fd_close: a => {
        const e = this.entry(n(a[0]));
        this.fds.delete(n(a[0]));
        if (e.kind === 'file') e.handle.close();
        return S;
      },
      fd_datasync: a => {
        const e = this.entry(n(a[0]), Rights.FD_DATASYNC);
        if (e.kind === 'file') e.handle.sync();
        return S;
      },
      fd_sync: a => {
        const e = this.entry(n(a[0]), Rights.FD_SYNC);
        if (e.kind === 'file') e.handle.sync();
        return S;
      },
      fd_fdstat_get: a => {
        const e = this.entry(n(a[0]));
        this.checkRange(n(a[1]), Layout.fdstat.size);
        const out = new Uint8Array(Layout.fdstat.size);
        const v = new DataView(out.buffer);
        const type = e.kind === 'stdio' ? Filetype.CHARACTER_DEVICE : e.kind === 'dir' ? Filetype.DIRECTORY : e.handle.stat().filetype;
        v.setUint8(Layout.fdstat.filetype, type);
        v.setUint16(Layout.fdstat.flags, e.flags, true);
        v.setBigUint64(Layout.fdstat.rightsBase, e.rightsBase, true);
        v.setBigUint64(Layout.fdstat.rightsInheriting, e.rightsInheriting, true);
        this.memory().write(n(a[1]), out);
        return S;
      },
      fd_fdstat_set_flags: a => {
        const e = this.entry(n(a[0]), Rights.FD_FDSTAT_SET_FLAGS);
        const f = n(a[1]);
        if (f & ~0x1f) return Errno.INVAL;
        e.flags = f;
        return S;
      },
      fd_fdstat_set_rights: a => {
        const e = this.entry(n(a[0]));
        const base = b(a[1]), inh = b(a[2]);
        if ((base & ~e.rightsBase) !== 0n || (inh & ~e.rightsInheriting) !== 0n) return Errno.NOTCAPABLE;
        e.rightsBase = base;
        e.rightsInheriting = inh;
        return S;
      },
      fd_filestat_get: a => {
        const e = this.entry(n(a[0]), Rights.FD_FILESTAT_GET);
        this.checkRange(n(a[1]), Layout.filestat.size);
        this.memory().write(n(a[1]), this.filestatBytes(this.statOf(e)));
        return S;
      },
      fd_filestat_set_size: a => {
        const e = this.entry(n(a[0]), Rights.FD_FILESTAT_SET_SIZE);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.ISDIR : Errno.INVAL;
        if (b(a[1]) > U64_MAX >> 1n) return Errno.FBIG;
        e.handle.truncate(b(a[1]));
        return S;
      },
      fd_filestat_set_times: a => {
        const e = this.entry(n(a[0]), Rights.FD_FILESTAT_SET_TIMES);
        const [at, mt] = this.times(b(a[1]), b(a[2]), n(a[3]));
        if (e.kind === 'file') e.handle.setTimes(at, mt);
        else if (e.kind === 'dir') e.fs.setTimes(e.path, at, mt);
        else return Errno.INVAL;
        return S;
      },
      fd_pread: a => {
        const e = this.entry(n(a[0]), Rights.FD_READ | Rights.FD_SEEK);
        const iovs = this.iovecs(n(a[1]), n(a[2]));
        this.checkRange(n(a[4]), 4);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.ISDIR : Errno.SPIPE;
        const count = this.readInto(e, iovs, b(a[3]));
        this.memory().setU32(n(a[4]), count);
        return S;
      },
      fd_pwrite: a => {
        const e = this.entry(n(a[0]), Rights.FD_WRITE | Rights.FD_SEEK);
        const iovs = this.iovecs(n(a[1]), n(a[2]));
        this.checkRange(n(a[4]), 4);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.ISDIR : Errno.SPIPE;
        const count = this.writeFrom(e, iovs, b(a[3]));
        this.memory().setU32(n(a[4]), count);
        return S;
      },
      fd_read: a => {
        const e = this.entry(n(a[0]), Rights.FD_READ);
        const iovs = this.iovecs(n(a[1]), n(a[2]));
        this.checkRange(n(a[3]), 4);
        const count = this.readInto(e, iovs, null);
        this.memory().setU32(n(a[3]), count);
        return S;
      },
      fd_write: a => {
        const e = this.entry(n(a[0]), Rights.FD_WRITE);
        const iovs = this.iovecs(n(a[1]), n(a[2]));
        this.checkRange(n(a[3]), 4);
        const count = this.writeFrom(e, iovs, null);
        this.memory().setU32(n(a[3]), count);
        return S;
      },
      fd_prestat_get: a => {
        const e = this.entry(n(a[0]));
        if (e.kind !== 'dir' || !e.preopen) return Errno.BADF;
        this.checkRange(n(a[1]), Layout.prestat.size);
        const out = new Uint8Array(Layout.prestat.size);
        new DataView(out.buffer).setUint32(Layout.prestat.nameLen, e.preopen.length, true);
        this.memory().write(n(a[1]), out);
        return S;
      },
      fd_prestat_dir_name: a => {
        const e = this.entry(n(a[0]));
        if (e.kind !== 'dir' || !e.preopen) return Errno.BADF;
        if (n(a[2]) < e.preopen.length) return Errno.NAMETOOLONG;
        this.checkRange(n(a[1]), e.preopen.length);
        this.memory().write(n(a[1]), e.preopen);
        return S;
      },
      fd_readdir: a => {
        const e = this.entry(n(a[0]), Rights.FD_READDIR);
        if (e.kind !== 'dir') return Errno.NOTDIR;
        const bufPtr = n(a[1]), bufLen = n(a[2]), cookie = b(a[3]), usedPtr = n(a[4]);
        this.checkRange(bufPtr, bufLen);
        this.checkRange(usedPtr, 4);
        const self = e.fs.lstat(e.path);
        const parentIno = e.path.length ? e.fs.lstat(e.path.slice(0, -1)).ino : self.ino;
        const list = [
          { name: '.', filetype: Filetype.DIRECTORY, ino: self.ino },
          { name: '..', filetype: Filetype.DIRECTORY, ino: parentIno },
          ...e.fs.readdir(e.path),
        ];
        const chunks: Uint8Array[] = [];
        let size = 0;
        for (let i = Number(cookie < BigInt(list.length) ? cookie : BigInt(list.length)); i < list.length && size < bufLen; i++) {
          const name = enc.encode(list[i].name);
          const d = new Uint8Array(Layout.dirent.size + name.length);
          const v = new DataView(d.buffer);
          v.setBigUint64(Layout.dirent.next, BigInt(i + 1), true);
          v.setBigUint64(Layout.dirent.ino, BigInt.asUintN(64, list[i].ino), true);
          v.setUint32(Layout.dirent.namlen, name.length, true);
          v.setUint8(Layout.dirent.type, list[i].filetype);
          d.set(name, Layout.dirent.size);
          chunks.push(d);
          size += d.length;
        }
        const used = Math.min(size, bufLen);
        const out = new Uint8Array(used);
        let o = 0;
        for (const c of chunks) {
          if (o >= used) break;
          out.set(c.subarray(0, Math.min(c.length, used - o)), o);
          o += c.length;
        }
        if (used) this.memory().write(bufPtr, out);
        this.memory().setU32(usedPtr, used);
        return S;
      },
      fd_renumber: a => {
        const from = n(a[0]), to = n(a[1]);
        const e = this.entry(from);
        const old = this.entry(to);
        if (from === to) return S;
        if (old.kind === 'file') old.handle.close();
        this.fds.set(to, e);
        this.fds.delete(from);
        return S;
      },
      fd_seek: a => {
        const fd = n(a[0]), delta = BigInt.asIntN(64, b(a[1])), whence = n(a[2]), outPtr = n(a[3]);
        const tellOnly = whence === Whence.CUR && delta === 0n;
        const e = this.entry(fd, tellOnly ? Rights.FD_TELL : Rights.FD_SEEK);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.BADF : Errno.SPIPE;
        this.checkRange(outPtr, 8);
        let base: bigint;
        if (whence === Whence.SET) base = 0n;
        else if (whence === Whence.CUR) base = e.offset;
        else if (whence === Whence.END) base = e.handle.stat().size;
        else return Errno.INVAL;
        const next = base + delta;
        if (next < 0n || next > U64_MAX >> 1n) return Errno.INVAL;
        e.offset = next;
        this.memory().setU64(outPtr, next);
        return S;
      },
      fd_tell: a => {
        const e = this.entry(n(a[0]), Rights.FD_TELL);
        if (e.kind !== 'file') return e.kind === 'dir' ? Errno.BADF : Errno.SPIPE;
        this.checkRange(n(a[1]), 8);
        this.memory().setU64(n(a[1]), e.offset);
        return S;
      },

      path_create_directory: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_CREATE_DIRECTORY);
        const p = this.readString(n(a[1]), n(a[2]));
        const r = resolvePath(d.fs, d.path, p, false);
        if (r.stat) return Errno.EXIST;
        d.fs.mkdir(r.path);
        return S;
      },
      path_filestat_get: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_FILESTAT_GET);
        const p = this.readString(n(a[2]), n(a[3]));
        this.checkRange(n(a[4]), Layout.filestat.size);
        const r = resolvePath(d.fs, d.path, p, (n(a[1]) & Lookupflags.SYMLINK_FOLLOW) !== 0);
        if (!r.stat) return Errno.NOENT;
        this.memory().write(n(a[4]), this.filestatBytes(r.stat));
        return S;
      },
      path_filestat_set_times: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_FILESTAT_SET_TIMES);
        const p = this.readString(n(a[2]), n(a[3]));
        const [at, mt] = this.times(b(a[4]), b(a[5]), n(a[6]));
        const r = resolvePath(d.fs, d.path, p, (n(a[1]) & Lookupflags.SYMLINK_FOLLOW) !== 0);
        if (!r.stat) return Errno.NOENT;
        d.fs.setTimes(r.path, at, mt);
        return S;
      },
      path_link: a => {
        const src = this.dirEntry(n(a[0]), Rights.PATH_LINK_SOURCE);
        const srcPath = this.readString(n(a[2]), n(a[3]));
        const dst = this.dirEntry(n(a[4]), Rights.PATH_LINK_TARGET);
        const dstPath = this.readString(n(a[5]), n(a[6]));
        const rs = resolvePath(src.fs, src.path, srcPath, (n(a[1]) & Lookupflags.SYMLINK_FOLLOW) !== 0);
        if (!rs.stat) return Errno.NOENT;
        if (rs.stat.filetype === Filetype.DIRECTORY) return Errno.PERM;
        const rd = resolvePath(dst.fs, dst.path, dstPath, false);
        if (rd.stat) return Errno.EXIST;
        if (src.fs !== dst.fs) return Errno.XDEV;
        src.fs.link(rs.path, rd.path);
        return S;
      },
      path_open: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_OPEN);
        const dirflags = n(a[1]);
        const p = this.readString(n(a[2]), n(a[3]));
        const oflags = n(a[4]);
        const reqBase = b(a[5]), reqInh = b(a[6]);
        const fdflags = n(a[7]);
        const outPtr = n(a[8]);
        this.checkRange(outPtr, 4);
        if (oflags & ~0xf || fdflags & ~0x1f) return Errno.INVAL;
        const create = (oflags & Oflags.CREAT) !== 0;
        const exclusive = create && (oflags & Oflags.EXCL) !== 0;
        const truncate = (oflags & Oflags.TRUNC) !== 0;
        if (create && (d.rightsBase & Rights.PATH_CREATE_FILE) === 0n) return Errno.NOTCAPABLE;
        if (truncate && (d.rightsBase & Rights.PATH_FILESTAT_SET_SIZE) === 0n) return Errno.NOTCAPABLE;
        const follow = (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0 && !exclusive;
        const r = resolvePath(d.fs, d.path, p, follow);
        const base = reqBase & d.rightsInheriting;
        const inh = reqInh & d.rightsInheriting;
        if (r.stat && r.stat.filetype === Filetype.DIRECTORY) {
          if (exclusive) return Errno.EXIST;
          if (truncate) return Errno.ISDIR; // requested file rights are just dropped (masked below)
          const fd = this.allocFd({
            kind: 'dir', fs: d.fs, path: r.path, preopen: null,
            rightsBase: base & RIGHTS_DIR, rightsInheriting: inh & (RIGHTS_DIR | RIGHTS_FILE), flags: fdflags,
          });
          this.memory().setU32(outPtr, fd);
          return S;
        }
        if (oflags & Oflags.DIRECTORY) return r.stat ? Errno.NOTDIR : create ? Errno.INVAL : Errno.NOENT;
        if (r.stat && r.stat.filetype === Filetype.SYMBOLIC_LINK) return exclusive ? Errno.EXIST : Errno.LOOP;
        if (!r.stat && !create) return Errno.NOENT;
        if (!r.stat && p.endsWith('/')) return Errno.ISDIR; // "new/" cannot be created as a file
        if (r.stat && exclusive) return Errno.EXIST;
        const read = (base & (Rights.FD_READ | Rights.FD_READDIR)) !== 0n;
        const write = truncate || (base & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) !== 0n;
        const handle = d.fs.open(r.path, { read, write, create, exclusive, truncate });
        const fd = this.allocFd({
          kind: 'file', fs: d.fs, path: r.path, handle, offset: 0n,
          rightsBase: base & RIGHTS_FILE, rightsInheriting: inh & RIGHTS_FILE, flags: fdflags,
        });
        this.memory().setU32(outPtr, fd);
        return S;
      },
      path_readlink: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_READLINK);
        const p = this.readString(n(a[1]), n(a[2]));
        const bufPtr = n(a[3]), bufLen = n(a[4]), usedPtr = n(a[5]);
        this.checkRange(bufPtr, bufLen);
        this.checkRange(usedPtr, 4);
        const r = resolvePath(d.fs, d.path, p, false);
        if (!r.stat) return Errno.NOENT;
        if (r.stat.filetype !== Filetype.SYMBOLIC_LINK) return Errno.INVAL;
        const target = enc.encode(d.fs.readlink(r.path));
        const used = Math.min(target.length, bufLen);
        if (used) this.memory().write(bufPtr, target.subarray(0, used));
        this.memory().setU32(usedPtr, used);
        return S;
      },
      path_remove_directory: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_REMOVE_DIRECTORY);
        const p = this.readString(n(a[1]), n(a[2]));
        const last = lastComponent(p);
        if (last === '.' || last === '') return Errno.INVAL;
        if (last === '..') return Errno.NOTEMPTY;
        const r = resolvePath(d.fs, d.path, p, false);
        if (!r.stat) return Errno.NOENT;
        if (r.stat.filetype !== Filetype.DIRECTORY) return Errno.NOTDIR;
        d.fs.rmdir(r.path);
        return S;
      },
      path_rename: a => {
        const src = this.dirEntry(n(a[0]), Rights.PATH_RENAME_SOURCE);
        const srcPath = this.readString(n(a[1]), n(a[2]));
        const dst = this.dirEntry(n(a[3]), Rights.PATH_RENAME_TARGET);
        const dstPath = this.readString(n(a[4]), n(a[5]));
        for (const last of [lastComponent(srcPath), lastComponent(dstPath)]) {
          if (last === '.' || last === '..' || last === '') return Errno.INVAL;
        }
        const rs = resolvePath(src.fs, src.path, srcPath, false);
        if (!rs.stat) return Errno.NOENT;
        const rd = resolvePath(dst.fs, dst.path, dstPath, false);
        if (src.fs !== dst.fs) return Errno.XDEV;
        src.fs.rename(rs.path, rd.path);
        return S;
      },
      path_symlink: a => {
        const target = this.readString(n(a[0]), n(a[1]));
        const d = this.dirEntry(n(a[2]), Rights.PATH_SYMLINK);
        const p = this.readString(n(a[3]), n(a[4]));
        const r = resolvePath(d.fs, d.path, p, false);
        if (r.stat) return Errno.EXIST;
        // Links that could lead out of the sandbox are refused (following them would be refused too):
        // absolute contents with EPERM, relative ones climbing above the preopen with ENOTCAPABLE.
        // The check is lexical: the guest can still build link chains that the *host OS* would
        // resolve outside (e.g. a -> b/c/../.. with b/c -> ..). Our resolver never follows them out;
        // host users following links inside a preopen should be aware of it.
        if (target.startsWith('/')) return Errno.PERM;
        if (!symlinkStaysInside([], r.path.slice(0, -1), target)) return Errno.NOTCAPABLE;
        d.fs.symlink(target, r.path);
        return S;
      },
      path_unlink_file: a => {
        const d = this.dirEntry(n(a[0]), Rights.PATH_UNLINK_FILE);
        const p = this.readString(n(a[1]), n(a[2]));
        const last = lastComponent(p);
        if (last === '.' || last === '..' || last === '') return Errno.ISDIR;
        const r = resolvePath(d.fs, d.path, p, false);
        if (!r.stat) return Errno.NOENT;
        if (r.stat.filetype === Filetype.DIRECTORY) return Errno.ISDIR;
        d.fs.unlink(r.path);
        return S;
      },

      poll_oneoff: a => this.pollOneoff(n(a[0]), n(a[1]), n(a[2]), n(a[3])),

      proc_exit: a => {
        this.exitCode = n(a[0]);
        throw new WasiExit(n(a[0]));
      },
      proc_raise: () => Errno.NOSYS,
      sched_yield: () => S,
      random_get: a => {
        const ptr = n(a[0]), len = n(a[1]);
        this.checkRange(ptr, len);
        const buf = new Uint8Array(len);
        this.random.fill(buf);
        if (len) this.memory().write(ptr, buf);
        return S;
      },

      sock_accept: a => notSock(n(a[0])),
      sock_recv: a => notSock(n(a[0])),
      sock_send: a => notSock(n(a[0])),
      sock_shutdown: a => notSock(n(a[0])),
    };
  }

  private pollOneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
    if (nsubs === 0) return Errno.INVAL;
    const m = this.memory();
    const L = Layout.subscription, E = Layout.event;
    this.checkRange(inPtr, nsubs * L.size);
    this.checkRange(outPtr, nsubs * E.size);
    this.checkRange(neventsPtr, 4);
    interface Ev { userdata: bigint; error: number; type: number; nbytes: bigint; flags: number }
    const ready: Ev[] = [];
    const clocks: { userdata: bigint; deadline: bigint; id: number }[] = [];
    for (let i = 0; i < nsubs; i++) {
      const s = inPtr + i * L.size;
      const userdata = m.u64(s + L.userdata);
      const tag = m.u8(s + L.tag);
      if (tag === Eventtype.CLOCK) {
        const id = m.u32(s + L.clockId);
        const timeout = m.u64(s + L.clockTimeout);
        const flags = m.u16(s + L.clockFlags);
        let now: bigint;
        try {
          if (id !== Clockid.REALTIME && id !== Clockid.MONOTONIC) throw new WasiError(Errno.INVAL);
          now = this.clock.now(id);
        } catch (e) {
          ready.push({ userdata, error: e instanceof WasiError ? e.errno : Errno.INVAL, type: tag, nbytes: 0n, flags: 0 });
          continue;
        }
        const deadline = flags & Subclockflags.ABSTIME ? timeout : now + timeout;
        clocks.push({ userdata, deadline: deadline - now, id });
      } else if (tag === Eventtype.FD_READ || tag === Eventtype.FD_WRITE) {
        const fd = m.u32(s + L.fd);
        const ev: Ev = { userdata, error: 0, type: tag, nbytes: 0n, flags: 0 };
        const e = this.fds.get(fd);
        if (!e) ev.error = Errno.BADF;
        else if ((e.rightsBase & Rights.POLL_FD_READWRITE) === 0n) ev.error = Errno.NOTCAPABLE;
        else if (e.kind === 'file' && tag === Eventtype.FD_READ) {
          const size = e.handle.stat().size;
          ev.nbytes = size > e.offset ? size - e.offset : 0n;
        } else if (e.kind === 'dir') ev.error = Errno.BADF;
        ready.push(ev);
      } else {
        return Errno.INVAL;
      }
    }
    if (ready.length === 0 && clocks.length > 0) {
      // Only timers: wait for the earliest (clocks are relative to the moment they were read).
      let wait = clocks[0].deadline;
      for (const c of clocks) if (c.deadline < wait) wait = c.deadline;
      if (wait > 0n) this.clock.sleep(wait);
      for (const c of clocks) {
        if (c.deadline <= wait) ready.push({ userdata: c.userdata, error: 0, type: Eventtype.CLOCK, nbytes: 0n, flags: 0 });
      }
    } else {
      for (const c of clocks) {
        if (c.deadline <= 0n) ready.push({ userdata: c.userdata, error: 0, type: Eventtype.CLOCK, nbytes: 0n, flags: 0 });
      }
    }
    const out = new Uint8Array(ready.length * E.size);
    const v = new DataView(out.buffer);
    ready.forEach((ev, i) => {
      const o = i * E.size;
      v.setBigUint64(o + E.userdata, ev.userdata, true);
      v.setUint16(o + E.error, ev.error, true);
      v.setUint8(o + E.type, ev.type);
      v.setBigUint64(o + E.nbytes, ev.nbytes, true);
      v.setUint16(o + E.flags, ev.flags, true);
    });
    if (out.length) m.write(outPtr, out);
    m.setU32(neventsPtr, ready.length);
    return Errno.SUCCESS;
  }
}

export function createWasi(options: WasiOptions = {}): Wasi {
  return new Wasi(options);
}
