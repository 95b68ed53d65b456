// An in-memory `WasiFileSystem` (tests, the browser, replay). Deterministic: inode numbers are
// allocated in order, directory entries keep their insertion order, and timestamps come from the
// `now` function given at construction (0 by default).

import { Errno, Filetype } from './abi';
import { WasiError, type DirEntry, type FileStat, type OpenOptions, type WasiFileHandle, type WasiFileSystem } from './fs';

type Node = FileNode | DirNode | LinkNode;
interface NodeBase { ino: bigint; nlink: number; atim: bigint; mtim: bigint; ctim: bigint }
interface FileNode extends NodeBase { kind: 'file'; data: Uint8Array; size: number }
interface DirNode extends NodeBase { kind: 'dir'; entries: Map<string, Node>; parent: DirNode | null }
interface LinkNode extends NodeBase { kind: 'link'; target: string }

/** Largest file size accepted (keeps a typo'd ftruncate from allocating gigabytes). */
const MAX_FILE_SIZE = 1 << 30;

function filetypeOf(n: Node): Filetype {
  return n.kind === 'file' ? Filetype.REGULAR_FILE : n.kind === 'dir' ? Filetype.DIRECTORY : Filetype.SYMBOLIC_LINK;
}

export interface MemoryFileSystemOptions {
  /** Clock for timestamps (ns since the epoch). Default: always 0. */
  now?: () => bigint;
  /** Device number reported by stat. Default 1. */
  dev?: bigint;
}

export class MemoryFileSystem implements WasiFileSystem {
  private nextIno = 1n;
  private readonly now: () => bigint;
  private readonly dev: bigint;
  readonly root: DirNode;

  constructor(options: MemoryFileSystemOptions = {}) {
    this.now = options.now ?? (() => 0n);
    this.dev = options.dev ?? 1n;
    this.root = this.newDir(null);
  }

  private stamp(): Pick<NodeBase, 'atim' | 'mtim' | 'ctim'> {
    const t = this.now();
    return { atim: t, mtim: t, ctim: t };
  }
  private newDir(parent: DirNode | null): DirNode {
    return { kind: 'dir', ino: this.nextIno++, nlink: 1, entries: new Map(), parent, ...this.stamp() };
  }
  private newFile(): FileNode {
    return { kind: 'file', ino: this.nextIno++, nlink: 1, data: new Uint8Array(0), size: 0, ...this.stamp() };
  }

  /** The node at `path` (no symlink followed anywhere: resolved paths have none before the end). */
  private lookup(path: readonly string[]): Node {
    let n: Node = this.root;
    for (const c of path) {
      if (n.kind !== 'dir') throw new WasiError(n.kind === 'link' ? Errno.LOOP : Errno.NOTDIR);
      const next = n.entries.get(c);
      if (!next) throw new WasiError(Errno.NOENT);
      n = next;
    }
    return n;
  }
  private parentOf(path: readonly string[]): { dir: DirNode; name: string } {
    if (path.length === 0) throw new WasiError(Errno.BUSY, 'the root of a preopen');
    const dir = this.lookup(path.slice(0, -1));
    if (dir.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    return { dir, name: path[path.length - 1] };
  }
  private touchDir(dir: DirNode): void {
    const t = this.now();
    dir.mtim = t;
    dir.ctim = t;
  }
  private stat(n: Node): FileStat {
    return {
      dev: this.dev, ino: n.ino, filetype: filetypeOf(n), nlink: BigInt(n.nlink),
      size: BigInt(n.kind === 'file' ? n.size : n.kind === 'link' ? new TextEncoder().encode(n.target).length : 4096),
      atim: n.atim, mtim: n.mtim, ctim: n.ctim,
    };
  }

  lstat(path: readonly string[]): FileStat {
    return this.stat(this.lookup(path));
  }
  readlink(path: readonly string[]): string {
    const n = this.lookup(path);
    if (n.kind !== 'link') throw new WasiError(Errno.INVAL, 'not a symbolic link');
    return n.target;
  }
  open(path: readonly string[], o: OpenOptions): WasiFileHandle {
    let node: Node | undefined;
    const { dir, name } = this.parentOf(path);
    node = dir.entries.get(name);
    if (node && o.create && o.exclusive) throw new WasiError(Errno.EXIST);
    if (!node) {
      if (!o.create) throw new WasiError(Errno.NOENT);
      node = this.newFile();
      dir.entries.set(name, node);
      this.touchDir(dir);
    }
    if (node.kind === 'dir') throw new WasiError(Errno.ISDIR);
    if (node.kind === 'link') throw new WasiError(Errno.LOOP);
    if (o.truncate && node.size !== 0) {
      node.size = 0;
      node.data = new Uint8Array(0);
      node.mtim = node.ctim = this.now();
    }
    return new MemFileHandle(this, node, o.read, o.write);
  }
  readdir(path: readonly string[]): DirEntry[] {
    const n = this.lookup(path);
    if (n.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    return [...n.entries].map(([name, c]) => ({ name, filetype: filetypeOf(c), ino: c.ino }));
  }
  mkdir(path: readonly string[]): void {
    const { dir, name } = this.parentOf(path);
    if (dir.entries.has(name)) throw new WasiError(Errno.EXIST);
    dir.entries.set(name, this.newDir(dir));
    this.touchDir(dir);
  }
  rmdir(path: readonly string[]): void {
    const { dir, name } = this.parentOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new WasiError(Errno.NOENT);
    if (n.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    if (n.entries.size > 0) throw new WasiError(Errno.NOTEMPTY);
    dir.entries.delete(name);
    n.nlink = 0;
    this.touchDir(dir);
  }
  unlink(path: readonly string[]): void {
    const { dir, name } = this.parentOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new WasiError(Errno.NOENT);
    if (n.kind === 'dir') throw new WasiError(Errno.ISDIR);
    dir.entries.delete(name);
    n.nlink--;
    n.ctim = this.now();
    this.touchDir(dir);
  }
  rename(from: readonly string[], to: readonly string[]): void {
    const src = this.parentOf(from);
    const dst = this.parentOf(to);
    const n = src.dir.entries.get(src.name);
    if (!n) throw new WasiError(Errno.NOENT);
    const existing = dst.dir.entries.get(dst.name);
    if (existing === n) return;
    if (n.kind === 'dir') {
      // Refuse moving a directory into itself or below it.
      for (let d: DirNode | null = dst.dir; d; d = d.parent) if (d === n) throw new WasiError(Errno.INVAL);
    }
    if (existing) {
      if (n.kind === 'dir') {
        if (existing.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
        if (existing.entries.size > 0) throw new WasiError(Errno.NOTEMPTY);
      } else if (existing.kind === 'dir') {
        throw new WasiError(Errno.ISDIR);
      }
      existing.nlink--;
    }
    src.dir.entries.delete(src.name);
    dst.dir.entries.set(dst.name, n);
    if (n.kind === 'dir') n.parent = dst.dir;
    n.ctim = this.now();
    this.touchDir(src.dir);
    this.touchDir(dst.dir);
  }
  symlink(target: string, path: readonly string[]): void {
    const { dir, name } = this.parentOf(path);
    if (dir.entries.has(name)) throw new WasiError(Errno.EXIST);
    dir.entries.set(name, { kind: 'link', ino: this.nextIno++, nlink: 1, target, ...this.stamp() });
    this.touchDir(dir);
  }
  link(from: readonly string[], to: readonly string[]): void {
    const n = this.lookup(from);
    if (n.kind === 'dir') throw new WasiError(Errno.PERM);
    const { dir, name } = this.parentOf(to);
    if (dir.entries.has(name)) throw new WasiError(Errno.EXIST);
    dir.entries.set(name, n);
    n.nlink++;
    n.ctim = this.now();
    this.touchDir(dir);
  }
  setTimes(path: readonly string[], atim: bigint | null, mtim: bigint | null): void {
    this.setNodeTimes(this.lookup(path), atim, mtim);
  }
  /** @internal */
  setNodeTimes(n: Node, atim: bigint | null, mtim: bigint | null): void {
    if (atim !== null) n.atim = atim;
    if (mtim !== null) n.mtim = mtim;
    n.ctim = this.now();
  }
  /** @internal */
  statNode(n: Node): FileStat { return this.stat(n); }
  /** @internal */
  nowNs(): bigint { return this.now(); }

  // ---- Host-side helpers (no sandbox: for tests and for filling a browser file system) ----

  private hostParts(p: string): string[] {
    return p.split('/').filter(c => c !== '' && c !== '.');
  }
  /** Creates the directories of `p` (a '/'-separated path below the root) as needed. */
  mkdirp(p: string): void {
    let n: Node = this.root;
    for (const c of this.hostParts(p)) {
      if (n.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      let next: Node | undefined = n.entries.get(c);
      if (!next) { next = this.newDir(n); n.entries.set(c, next); }
      n = next;
    }
  }
  writeFile(p: string, data: Uint8Array | string): void {
    const parts = this.hostParts(p);
    this.mkdirp(parts.slice(0, -1).join('/'));
    const h = this.open(parts, { read: false, write: true, create: true, exclusive: false, truncate: true });
    h.write(typeof data === 'string' ? new TextEncoder().encode(data) : data, 0n);
    h.close();
  }
  readFile(p: string): Uint8Array {
    const n = this.lookup(this.hostParts(p));
    if (n.kind !== 'file') throw new WasiError(n.kind === 'dir' ? Errno.ISDIR : Errno.INVAL);
    return n.data.slice(0, n.size);
  }
  addSymlink(p: string, target: string): void {
    const parts = this.hostParts(p);
    this.mkdirp(parts.slice(0, -1).join('/'));
    this.symlink(target, parts);
  }
  exists(p: string): boolean {
    try { this.lookup(this.hostParts(p)); return true; } catch { return false; }
  }
  /** All paths below the root (directories end with '/', links show ' -> target'), sorted. */
  list(): string[] {
    const out: string[] = [];
    const walk = (d: DirNode, prefix: string) => {
      for (const [name, n] of d.entries) {
        const p = prefix + name;
        if (n.kind === 'dir') { out.push(p + '/'); walk(n, p + '/'); }
        else if (n.kind === 'link') out.push(`${p} -> ${n.target}`);
        else out.push(p);
      }
    };
    walk(this.root, '');
    return out.sort();
  }
}

class MemFileHandle implements WasiFileHandle {
  private closed = false;
  constructor(private readonly fs: MemoryFileSystem, private readonly node: FileNode,
    private readonly readable: boolean, private readonly writable: boolean) {}

  private live(): void { if (this.closed) throw new WasiError(Errno.BADF); }

  read(dst: Uint8Array, position: bigint): number {
    this.live();
    if (!this.readable) throw new WasiError(Errno.BADF);
    const n = this.node;
    if (position >= BigInt(n.size)) return 0;
    const p = Number(position);
    const count = Math.min(dst.length, n.size - p);
    dst.set(n.data.subarray(p, p + count));
    return count;
  }
  write(src: Uint8Array, position: bigint): number {
    this.live();
    if (!this.writable) throw new WasiError(Errno.BADF);
    const end = position + BigInt(src.length);
    if (end > BigInt(MAX_FILE_SIZE)) throw new WasiError(Errno.FBIG);
    this.ensure(Number(end));
    const n = this.node;
    n.data.set(src, Number(position));
    if (Number(end) > n.size) n.size = Number(end);
    n.mtim = n.ctim = this.fs.nowNs();
    return src.length;
  }
  private ensure(size: number): void {
    const n = this.node;
    if (size <= n.data.length) return;
    const grown = new Uint8Array(Math.max(size, n.data.length * 2, 64));
    grown.set(n.data.subarray(0, n.size));
    n.data = grown;
  }
  stat(): FileStat { this.live(); return this.fs.statNode(this.node); }
  truncate(size: bigint): void {
    this.live();
    if (!this.writable) throw new WasiError(Errno.BADF);
    if (size > BigInt(MAX_FILE_SIZE)) throw new WasiError(Errno.FBIG);
    const s = Number(size);
    const n = this.node;
    if (s > n.size) this.ensure(s);
    else n.data.fill(0, s, n.size); // keep the invariant: bytes past `size` are zero
    n.size = s;
    n.mtim = n.ctim = this.fs.nowNs();
  }
  setTimes(atim: bigint | null, mtim: bigint | null): void { this.live(); this.fs.setNodeTimes(this.node, atim, mtim); }
  sync(): void { this.live(); }
  close(): void { this.closed = true; }
}
