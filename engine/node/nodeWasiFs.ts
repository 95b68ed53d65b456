// The real world for WASI under Node: a `WasiFileSystem` over node:fs rooted at a host directory,
// and Node clock, randomness and standard streams.
//
// Sandbox: paths reach this file already resolved by engine/wasi/fs.ts (no '..', no symlink before
// the last component). As defence in depth, every operation re-checks that each component is a
// plain name and that the real path of the parent directory is exactly the expected directory under
// the (real) root, i.e. no symbolic link or rename race moved it out; files are opened with
// O_NOFOLLOW, so a symbolic link swapped in at the last moment is not followed either.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { randomFillSync } from 'node:crypto';
import { Clockid, Errno, Filetype } from '../wasi/abi';
import { WasiError, type DirEntry, type FileStat, type OpenOptions, type WasiFileHandle, type WasiFileSystem } from '../wasi/fs';
import type { WasiClock, WasiRandom, WasiStdio } from '../wasi/host';
import type { Preopen } from '../wasi/wasi';

const NODE_ERRNO: Record<string, Errno> = {
  E2BIG: Errno.TOOBIG, EACCES: Errno.ACCES, EAGAIN: Errno.AGAIN, EBADF: Errno.BADF, EBUSY: Errno.BUSY,
  EEXIST: Errno.EXIST, EFAULT: Errno.FAULT, EFBIG: Errno.FBIG, EINTR: Errno.INTR, EINVAL: Errno.INVAL,
  EIO: Errno.IO, EISDIR: Errno.ISDIR, ELOOP: Errno.LOOP, EMFILE: Errno.MFILE, EMLINK: Errno.MLINK,
  ENAMETOOLONG: Errno.NAMETOOLONG, ENFILE: Errno.NFILE, ENODEV: Errno.NODEV, ENOENT: Errno.NOENT,
  ENOMEM: Errno.NOMEM, ENOSPC: Errno.NOSPC, ENOSYS: Errno.NOSYS, ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY, ENOTSUP: Errno.NOTSUP, EOPNOTSUPP: Errno.NOTSUP, ENXIO: Errno.NXIO,
  EOVERFLOW: Errno.OVERFLOW, EPERM: Errno.PERM, EPIPE: Errno.PIPE, EROFS: Errno.ROFS, ESPIPE: Errno.SPIPE,
  ETXTBSY: Errno.TXTBSY, EXDEV: Errno.XDEV, EDQUOT: Errno.DQUOT, ESTALE: Errno.STALE,
};

/** Runs `f`, turning Node's system errors into `WasiError`s. */
function sys<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasiError) throw e;
    const code = (e as { code?: string }).code;
    if (code && code in NODE_ERRNO) throw new WasiError(NODE_ERRNO[code], (e as Error).message);
    if (e instanceof TypeError || e instanceof RangeError) throw new WasiError(Errno.INVAL, e.message);
    throw new WasiError(Errno.IO, (e as Error)?.message ?? String(e));
  }
}

function filetypeOf(s: fs.BigIntStats | fs.Stats): Filetype {
  if (s.isFile()) return Filetype.REGULAR_FILE;
  if (s.isDirectory()) return Filetype.DIRECTORY;
  if (s.isSymbolicLink()) return Filetype.SYMBOLIC_LINK;
  if (s.isCharacterDevice()) return Filetype.CHARACTER_DEVICE;
  if (s.isBlockDevice()) return Filetype.BLOCK_DEVICE;
  if (s.isSocket()) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}
function toStat(s: fs.BigIntStats): FileStat {
  return {
    dev: s.dev, ino: s.ino, filetype: filetypeOf(s), nlink: s.nlink, size: s.size,
    atim: s.atimeNs, mtim: s.mtimeNs, ctim: s.ctimeNs,
  };
}
/** Node sets times from seconds as a double: sub-microsecond precision is lost. */
const seconds = (ns: bigint): number => Number(ns) / 1e9;

export class NodeWasiFileSystem implements WasiFileSystem {
  /** Real path of the root directory. */
  readonly root: string;

  constructor(hostDir: string) {
    const real = sys(() => fs.realpathSync(hostDir));
    if (!fs.statSync(real).isDirectory()) throw new Error(`preopen ${hostDir} is not a directory`);
    this.root = real;
  }

  /** Host path of resolved components, after checking they are plain names and that the parent
   *  directory really is where it should be (its real path equals the lexical one). */
  private host(path: readonly string[], checkSelf = false): string {
    for (const c of path) {
      if (c === '' || c === '.' || c === '..' || c.includes('/') || c.includes('\0')) {
        throw new WasiError(Errno.INVAL, `bad path component ${JSON.stringify(c)}`);
      }
    }
    const full = nodePath.join(this.root, ...path);
    const dir = checkSelf ? path : path.slice(0, -1);
    if (dir.length > 0) {
      const expected = nodePath.join(this.root, ...dir);
      const real = sys(() => fs.realpathSync(expected));
      if (real !== expected) throw new WasiError(Errno.NOTCAPABLE, `${expected} resolves elsewhere (${real})`);
    }
    return full;
  }

  lstat(path: readonly string[]): FileStat {
    const p = this.host(path);
    return sys(() => toStat(fs.lstatSync(p, { bigint: true })));
  }
  readlink(path: readonly string[]): string {
    const p = this.host(path);
    return sys(() => fs.readlinkSync(p, { encoding: 'utf8' }));
  }
  open(path: readonly string[], o: OpenOptions): WasiFileHandle {
    const p = this.host(path);
    const C = fs.constants;
    let flags = (o.read && o.write ? C.O_RDWR : o.write ? C.O_WRONLY : C.O_RDONLY) | (C.O_NOFOLLOW ?? 0);
    if (o.create) flags |= C.O_CREAT;
    if (o.exclusive) flags |= C.O_EXCL;
    if (o.truncate) flags |= C.O_TRUNC;
    // A FIFO would block the whole engine on open: open those non-blocking.
    const pre = (() => { try { return fs.lstatSync(p); } catch { return null; } })();
    if (pre && pre.isFIFO()) flags |= C.O_NONBLOCK ?? 0;
    if (pre && pre.isDirectory()) throw new WasiError(Errno.ISDIR);
    const fd = sys(() => fs.openSync(p, flags, 0o666));
    const st = sys(() => fs.fstatSync(fd));
    if (st.isDirectory()) { fs.closeSync(fd); throw new WasiError(Errno.ISDIR); }
    return new NodeFileHandle(fd, p);
  }
  readdir(path: readonly string[]): DirEntry[] {
    const p = this.host(path, true);
    const names = sys(() => fs.readdirSync(p)).sort();
    const out: DirEntry[] = [];
    for (const name of names) {
      try {
        const s = fs.lstatSync(nodePath.join(p, name), { bigint: true });
        out.push({ name, filetype: filetypeOf(s), ino: s.ino });
      } catch { /* vanished meanwhile */ }
    }
    return out;
  }
  mkdir(path: readonly string[]): void { const p = this.host(path); sys(() => fs.mkdirSync(p, 0o777)); }
  rmdir(path: readonly string[]): void { const p = this.host(path); sys(() => fs.rmdirSync(p)); }
  unlink(path: readonly string[]): void {
    const p = this.host(path);
    sys(() => {
      if (fs.lstatSync(p).isDirectory()) throw new WasiError(Errno.ISDIR);
      fs.unlinkSync(p);
    });
  }
  rename(from: readonly string[], to: readonly string[]): void {
    const a = this.host(from), b = this.host(to);
    sys(() => fs.renameSync(a, b));
  }
  symlink(target: string, path: readonly string[]): void {
    const p = this.host(path);
    sys(() => fs.symlinkSync(target, p));
  }
  link(from: readonly string[], to: readonly string[]): void {
    const a = this.host(from), b = this.host(to);
    sys(() => fs.linkSync(a, b));
  }
  setTimes(path: readonly string[], atim: bigint | null, mtim: bigint | null): void {
    const p = this.host(path);
    sys(() => {
      const s = fs.lstatSync(p, { bigint: true });
      fs.lutimesSync(p, seconds(atim ?? s.atimeNs), seconds(mtim ?? s.mtimeNs));
    });
  }
}

class NodeFileHandle implements WasiFileHandle {
  private fd: number | null;
  constructor(fd: number, readonly hostPath: string) { this.fd = fd; }
  private live(): number {
    if (this.fd === null) throw new WasiError(Errno.BADF);
    return this.fd;
  }
  read(dst: Uint8Array, position: bigint): number {
    const fd = this.live();
    return sys(() => fs.readSync(fd, dst, 0, dst.length, position));
  }
  write(src: Uint8Array, position: bigint): number {
    const fd = this.live();
    if (position > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.FBIG);
    return sys(() => fs.writeSync(fd, src, 0, src.length, Number(position)));
  }
  stat(): FileStat {
    const fd = this.live();
    return sys(() => toStat(fs.fstatSync(fd, { bigint: true })));
  }
  truncate(size: bigint): void {
    const fd = this.live();
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.FBIG);
    sys(() => fs.ftruncateSync(fd, Number(size)));
  }
  setTimes(atim: bigint | null, mtim: bigint | null): void {
    const fd = this.live();
    sys(() => {
      const s = fs.fstatSync(fd, { bigint: true });
      fs.futimesSync(fd, seconds(atim ?? s.atimeNs), seconds(mtim ?? s.mtimeNs));
    });
  }
  sync(): void { const fd = this.live(); sys(() => fs.fsyncSync(fd)); }
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    sys(() => fs.closeSync(fd));
  }
}

/** Parses a `--dir HOST[:GUEST]` option into a preopen (the guest name defaults to HOST). */
export function nodePreopen(spec: string): Preopen {
  const i = spec.indexOf(':');
  const hostDir = i < 0 ? spec : spec.slice(0, i);
  const guestPath = i < 0 ? spec : spec.slice(i + 1);
  return { guestPath, fs: new NodeWasiFileSystem(hostDir) };
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Node clocks: REALTIME anchored once to Date.now() and advanced with hrtime; MONOTONIC = hrtime;
 *  CPU-time clocks from process.cpuUsage(). `sleep` really blocks (Atomics.wait). */
export class NodeClock implements WasiClock {
  private readonly realBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  now(id: number): bigint {
    switch (id) {
      case Clockid.REALTIME: return this.realBase + process.hrtime.bigint();
      case Clockid.MONOTONIC: return process.hrtime.bigint();
      case Clockid.PROCESS_CPUTIME_ID:
      case Clockid.THREAD_CPUTIME_ID: {
        const u = process.cpuUsage();
        return BigInt(u.user + u.system) * 1000n;
      }
      default: throw new WasiError(Errno.INVAL, `unknown clock ${id}`);
    }
  }
  resolution(id: number): bigint {
    if (id === Clockid.REALTIME || id === Clockid.MONOTONIC) return 1n;
    if (id === Clockid.PROCESS_CPUTIME_ID || id === Clockid.THREAD_CPUTIME_ID) return 1000n;
    throw new WasiError(Errno.INVAL, `unknown clock ${id}`);
  }
  sleep(ns: bigint): void {
    if (ns <= 0n) return;
    const end = process.hrtime.bigint() + ns;
    for (;;) {
      const left = end - process.hrtime.bigint();
      if (left <= 0n) return;
      Atomics.wait(sleepCell, 0, 0, Math.max(1, Math.ceil(Number(left) / 1e6)));
    }
  }
}

export class NodeRandom implements WasiRandom {
  fill(buf: Uint8Array): void { randomFillSync(buf); }
}

/** Standard streams on host file descriptors (default 0, 1, 2). Closing the guest's fd 1 or 2 never
 *  reaches these: the guest's standard streams are virtual. */
export class NodeStdio implements WasiStdio {
  constructor(private readonly stdinFd = 0, private readonly stdoutFd = 1, private readonly stderrFd = 2) {}
  readStdin(max: number): Uint8Array {
    const buf = new Uint8Array(Math.min(max, 1 << 16));
    for (;;) {
      try {
        const n = fs.readSync(this.stdinFd, buf, 0, buf.length, null);
        return buf.subarray(0, n);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') { Atomics.wait(sleepCell, 0, 0, 5); continue; }
        if (code === 'EOF') return new Uint8Array(0);
        throw new WasiError(code && code in NODE_ERRNO ? NODE_ERRNO[code] : Errno.IO);
      }
    }
  }
  private writeAll(fd: number, bytes: Uint8Array): void {
    let o = 0;
    while (o < bytes.length) {
      try {
        o += fs.writeSync(fd, bytes, o, bytes.length - o);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') { Atomics.wait(sleepCell, 0, 0, 1); continue; }
        throw new WasiError(code && code in NODE_ERRNO ? NODE_ERRNO[code] : Errno.IO);
      }
    }
  }
  writeStdout(bytes: Uint8Array): void { this.writeAll(this.stdoutFd, bytes); }
  writeStderr(bytes: Uint8Array): void { this.writeAll(this.stderrFd, bytes); }
}
