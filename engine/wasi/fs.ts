// The file-system side of WASI: the interface a host file system implements (in memory, Node's
// node:fs, ...) and the sandboxed path resolution that every path operation goes through.
//
// A `WasiFileSystem` is rooted at one preopened directory. It is only ever given *resolved* paths:
// arrays of plain components (no '', '.', '..', no '/') relative to its root, in which no component
// but possibly the last is a symbolic link. The resolution (`resolvePath`) is done here, component
// by component: `..` never climbs above the directory the lookup started from, absolute paths and
// symbolic links that are absolute or lead out are refused with ENOTCAPABLE, and link chains are
// bounded (ELOOP).

import { Errno, Filetype } from './abi';

/** A WASI error: the syscall answers `errno`. Thrown by file systems, caught by the WASI layer. */
export class WasiError extends Error {
  constructor(readonly errno: Errno, message = '') {
    super(message || `WASI errno ${errno}`);
    this.name = 'WasiError';
  }
}

export interface FileStat {
  dev: bigint;
  ino: bigint;
  filetype: Filetype;
  nlink: bigint;
  size: bigint;
  /** Nanoseconds since the Unix epoch. */
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface DirEntry {
  name: string;
  filetype: Filetype;
  ino: bigint;
}

export interface OpenOptions {
  read: boolean;
  write: boolean;
  create: boolean;
  /** With `create`: fail with EEXIST if the entry exists (a symlink included). */
  exclusive: boolean;
  truncate: boolean;
}

/** An open non-directory file. Positions are absolute (the WASI layer keeps the file offset). */
export interface WasiFileHandle {
  /** Reads up to `dst.length` bytes at `position`; returns the count (0 at end of file). */
  read(dst: Uint8Array, position: bigint): number;
  /** Writes all of `src` at `position`; returns the count written. */
  write(src: Uint8Array, position: bigint): number;
  stat(): FileStat;
  truncate(size: bigint): void;
  /** Sets the times (ns since the epoch); `null` leaves one unchanged. */
  setTimes(atim: bigint | null, mtim: bigint | null): void;
  sync(): void;
  close(): void;
}

/**
 * A file system rooted at one preopened directory. Paths are resolved component arrays (see the
 * file comment). Failures throw `WasiError` with the errno to answer. Implementations must not
 * follow a symbolic link in the last component unless an operation says so (none does: the
 * resolver already followed the ones it had to).
 */
export interface WasiFileSystem {
  /** Status of the entry itself (a symbolic link is not followed). */
  lstat(path: readonly string[]): FileStat;
  readlink(path: readonly string[]): string;
  /** Opens (maybe creates) a non-directory file. EISDIR on a directory, ELOOP on a symlink. */
  open(path: readonly string[], options: OpenOptions): WasiFileHandle;
  /** Entries of a directory, without '.' and '..', in a stable order. */
  readdir(path: readonly string[]): DirEntry[];
  mkdir(path: readonly string[]): void;
  rmdir(path: readonly string[]): void;
  /** Removes a non-directory entry (EISDIR on a directory). */
  unlink(path: readonly string[]): void;
  rename(from: readonly string[], to: readonly string[]): void;
  /** Creates a symbolic link at `path` whose content is `target` (already checked by the caller). */
  symlink(target: string, path: readonly string[]): void;
  /** Creates a hard link `to` to the existing non-directory `from`. */
  link(from: readonly string[], to: readonly string[]): void;
  /** Sets the times of the entry itself (ns since the epoch; `null` leaves one unchanged). */
  setTimes(path: readonly string[], atim: bigint | null, mtim: bigint | null): void;
}

/** Maximum number of symbolic links followed in one resolution (as Linux). */
export const MAX_SYMLINKS = 40;

export interface ResolvedPath {
  /** Components relative to the file-system root. */
  path: string[];
  /** Status of the resolved entry, or null if it does not exist. */
  stat: FileStat | null;
}

function tryLstat(fs: WasiFileSystem, path: readonly string[]): FileStat | null {
  try {
    return fs.lstat(path);
  } catch (e) {
    if (e instanceof WasiError && e.errno === Errno.NOENT) return null;
    throw e;
  }
}

/** Splits a guest path; refuses absolute paths (ENOTCAPABLE), empty ones (ENOENT), NUL (EINVAL). */
export function splitGuestPath(p: string): { parts: string[]; trailingSlash: boolean } {
  if (p.length === 0) throw new WasiError(Errno.NOENT, 'empty path');
  if (p.includes('\0')) throw new WasiError(Errno.INVAL, 'NUL in path');
  if (p.startsWith('/')) throw new WasiError(Errno.NOTCAPABLE, `absolute path ${p}`);
  return { parts: p.split('/'), trailingSlash: p.endsWith('/') || p.endsWith('/.') };
}

/**
 * Resolves `guestPath` relative to the directory `base` of `fs`, inside the sandbox whose root is
 * `base` itself. Intermediate symbolic links are always followed; the last one only if
 * `followLast` (or the path ends with '/'). Following a link restarts from the link's directory
 * with its content; absolute link contents are refused. The result never leaves `base`.
 */
export function resolvePath(fs: WasiFileSystem, base: readonly string[], guestPath: string,
  followLast: boolean): ResolvedPath {
  const { parts, trailingSlash } = splitGuestPath(guestPath);
  const follow = followLast || trailingSlash;
  const stack: string[] = [];
  const queue = parts.reverse(); // pop() takes the next component
  let links = 0;
  let stat: FileStat | null = null;
  let statValid = true; // `stat` describes base+stack (true initially: base is a directory we trust)
  while (queue.length > 0) {
    const comp = queue.pop()!;
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      if (stack.length === 0) throw new WasiError(Errno.NOTCAPABLE, `path ${guestPath} escapes its directory`);
      stack.pop();
      statValid = false;
      continue;
    }
    const isLast = !queue.some(c => c !== '' && c !== '.');
    const full = [...base, ...stack, comp];
    const st = tryLstat(fs, full);
    if (st && st.filetype === Filetype.SYMBOLIC_LINK && (!isLast || follow)) {
      if (++links > MAX_SYMLINKS) throw new WasiError(Errno.LOOP, `too many symbolic links in ${guestPath}`);
      const target = fs.readlink(full);
      if (target.length === 0) throw new WasiError(Errno.NOENT, 'empty symbolic link');
      if (target.startsWith('/')) throw new WasiError(Errno.NOTCAPABLE, `symbolic link to absolute path ${target}`);
      const more = target.split('/');
      for (let i = more.length - 1; i >= 0; i--) queue.push(more[i]);
      // A link ending in '/' (or a path continuing after it) must name a directory: the queue's
      // next components take care of that naturally.
      continue;
    }
    if (!isLast) {
      if (!st) throw new WasiError(Errno.NOENT, `no such directory ${comp}`);
      if (st.filetype !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR, `${comp} is not a directory`);
    }
    stack.push(comp);
    stat = st;
    statValid = true;
  }
  const path = [...base, ...stack];
  if (!statValid || stack.length === 0) stat = tryLstat(fs, path);
  if (trailingSlash && stat && stat.filetype !== Filetype.DIRECTORY) {
    throw new WasiError(Errno.NOTDIR, `${guestPath} is not a directory`);
  }
  return { path, stat };
}

/** True if a symbolic link with content `target`, created in directory `dir` (components below the
 *  root `base`), would stay inside `base` when followed lexically: not absolute, and its `..` never
 *  climb above `base`. */
export function symlinkStaysInside(base: readonly string[], dir: readonly string[], target: string): boolean {
  if (target.startsWith('/') || target.includes('\0')) return false;
  let depth = dir.length - base.length;
  if (depth < 0) return false;
  for (const c of target.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') { if (--depth < 0) return false; } else depth++;
  }
  return true;
}
