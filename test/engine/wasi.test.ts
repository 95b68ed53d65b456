// Unit tests of the WASI preview1 host (engine/wasi/) against a plain byte-array GuestMemory and the
// in-memory file system: ABI layouts, errno values, the sandbox; plus a sandbox test on a real
// temporary directory with a sentinel file outside the preopen, spying on every node:fs call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeModule } from '../../engine/binary/decoder';
import { funcTypeEquals, funcTypeToString, ValType } from '../../engine/core/types';
import { Trap, TrapCode } from '../../engine/core/errors';
import { i32, i64 } from '../../engine/runtime/values';
import { Errno, Filetype, Layout, Rights, RIGHTS_TTY, WASI_SIGNATURES, errnoName } from '../../engine/wasi/abi';
import { MemoryFileSystem } from '../../engine/wasi/memfs';
import { ArrayGuestMemory, MemoryFault } from '../../engine/wasi/memory';
import { BufferedStdio, SeededRandom, VirtualClock } from '../../engine/wasi/host';
import { resolvePath, symlinkStaysInside, WasiError } from '../../engine/wasi/fs';
import { createWasi, Wasi, WasiExit, type WasiCallRecord, type WasiOptions } from '../../engine/wasi/wasi';
import { NodeWasiFileSystem } from '../../engine/node/nodeWasiFs';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'wasi');

// ---------------------------------------------------------------- a small guest "process"

const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const ALL = (1n << 30n) - 1n;
const enc = new TextEncoder();

class Guest {
  readonly bytes = new Uint8Array(65536);
  readonly mem = new ArrayGuestMemory(() => this.bytes);
  readonly stdio: BufferedStdio;
  readonly wasi: Wasi;
  readonly fs: MemoryFileSystem;
  readonly calls: WasiCallRecord[] = [];
  private heap = 0x8000;
  constructor(options: WasiOptions & { stdin?: string; noPreopen?: boolean } = {}) {
    this.stdio = new BufferedStdio(options.stdin ?? '');
    this.fs = new MemoryFileSystem({ now: () => 42n });
    this.wasi = createWasi({
      clock: new VirtualClock(), random: new SeededRandom(7), stdio: this.stdio,
      preopens: options.noPreopen ? [] : [{ guestPath: '/sandbox', fs: this.fs }],
      trace: c => this.calls.push(c), ...options,
    });
    this.wasi.setMemory(this.mem);
  }
  call(name: string, ...args: (number | bigint)[]): number { return this.wasi.call(name, args); }
  /** Places bytes in guest memory, returns [ptr, len]. */
  put(data: string | Uint8Array): [number, number] {
    const b = typeof data === 'string' ? enc.encode(data) : data;
    const p = this.heap;
    this.bytes.set(b, p);
    this.heap += (b.length + 7) & ~7;
    return [p, b.length];
  }
  alloc(n: number): number { const p = this.heap; this.heap += (n + 7) & ~7; return p; }
  u32(p: number): number { return this.mem.u32(p); }
  u64(p: number): bigint { return this.mem.u64(p); }
  str(p: number, n: number): string { return new TextDecoder().decode(this.bytes.subarray(p, p + n)); }
  /** path_open relative to fd 3; returns [errno, fd]. */
  open(p: string, oflags = 0, rights = ALL, lookup = 1, fdflags = 0, dirfd = 3): [number, number] {
    const [pp, pl] = this.put(p);
    const out = this.alloc(4);
    const e = this.call('path_open', dirfd, lookup, pp, pl, oflags, rights, ALL, fdflags, out);
    return [e, e === 0 ? this.u32(out) : -1];
  }
  write(fd: number, ...chunks: string[]): [number, number] {
    const iov = this.alloc(8 * chunks.length);
    chunks.forEach((c, i) => {
      const [p, l] = this.put(c);
      this.mem.setU32(iov + 8 * i, p);
      this.mem.setU32(iov + 8 * i + 4, l);
    });
    const out = this.alloc(4);
    const e = this.call('fd_write', fd, iov, chunks.length, out);
    return [e, this.u32(out)];
  }
  read(fd: number, ...sizes: number[]): [number, string] {
    const iov = this.alloc(8 * sizes.length);
    const bufs = sizes.map(s => this.alloc(s));
    sizes.forEach((s, i) => { this.mem.setU32(iov + 8 * i, bufs[i]); this.mem.setU32(iov + 8 * i + 4, s); });
    const out = this.alloc(4);
    const e = this.call('fd_read', fd, iov, sizes.length, out);
    let n = this.u32(out);
    let s = '';
    for (let i = 0; i < sizes.length && n > 0; i++) { const k = Math.min(n, sizes[i]); s += this.str(bufs[i], k); n -= k; }
    return [e, s];
  }
  pathCall(name: string, p: string, ...rest: (number | bigint)[]): number {
    const [pp, pl] = this.put(p);
    return this.call(name, 3, pp, pl, ...rest);
  }
  filestat(p: string, follow = true): [number, { filetype: number; size: bigint; ino: bigint; nlink: bigint; mtim: bigint; atim: bigint }] {
    const [pp, pl] = this.put(p);
    const out = this.alloc(64);
    const e = this.call('path_filestat_get', 3, follow ? 1 : 0, pp, pl, out);
    const L = Layout.filestat;
    return [e, { filetype: this.bytes[out + L.filetype], size: this.u64(out + L.size_), ino: this.u64(out + L.ino), nlink: this.u64(out + L.nlink), mtim: this.u64(out + L.mtim), atim: this.u64(out + L.atim) }];
  }
  symlink(target: string, at: string): number {
    const [tp, tl] = this.put(target);
    const [pp, pl] = this.put(at);
    return this.call('path_symlink', tp, tl, 3, pp, pl);
  }
  rename(from: string, to: string): number {
    const [a, al] = this.put(from);
    const [b, bl] = this.put(to);
    return this.call('path_rename', 3, a, al, 3, b, bl);
  }
}

// ---------------------------------------------------------------- ABI

test('import signatures: every wasi_snapshot_preview1 import of a wasi-libc program matches exactly', () => {
  const m = decodeModule(new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'abi.wasm'))));
  const wasiImports = m.imports.filter(im => im.module === 'wasi_snapshot_preview1');
  assert.equal(wasiImports.length, 45, 'abi.c calls every function wasi-libc declares');
  for (const im of wasiImports) {
    assert.equal(im.desc.kind, 'func');
    const ours = WASI_SIGNATURES[im.name];
    assert.ok(ours, `missing ${im.name}`);
    const theirs = m.types[(im.desc as { typeIndex: number }).typeIndex];
    assert.ok(funcTypeEquals(ours, theirs), `${im.name}: ours ${funcTypeToString(ours)} vs wasi-libc ${funcTypeToString(theirs)}`);
  }
  // The 46th, proc_raise, is no longer declared by wasi-libc; its witx type is (i32) -> i32.
  assert.deepEqual(Object.keys(WASI_SIGNATURES).length, 46);
  assert.ok(funcTypeEquals(WASI_SIGNATURES.proc_raise, { params: [ValType.I32], results: [ValType.I32] }));
  assert.equal(Wasi.functionNames.length, 46);
});

test('hostFunctions: typed wrappers, i32 bits taken as unsigned, i64 as u64', () => {
  const g = new Guest();
  const fns = g.wasi.hostFunctions();
  assert.equal(fns.length, 46);
  for (const f of fns) assert.ok(funcTypeEquals(f.type, WASI_SIGNATURES[f.name]));
  const fdWrite = fns.find(f => f.name === 'fd_write')!;
  const [p, l] = g.put('hi\n');
  const iov = g.alloc(8);
  g.mem.setU32(iov, p); g.mem.setU32(iov + 4, l);
  const out = g.alloc(4);
  assert.deepEqual(fdWrite.impl([i32(1), i32(iov), i32(1), i32(out)]), [i32(0)]);
  assert.equal(g.stdio.stdoutText(), 'hi\n');
  // A negative i32 is a large unsigned pointer: out of bounds, EFAULT (not a JS exception).
  assert.deepEqual(fdWrite.impl([i32(1), i32(-8), i32(1), i32(out)]), [i32(Errno.FAULT)]);
  const clock = fns.find(f => f.name === 'clock_time_get')!;
  assert.deepEqual(clock.impl([i32(1), i64(-1n), i32(out)]), [i32(0)]);
  const exit = fns.find(f => f.name === 'proc_exit')!;
  assert.throws(() => exit.impl([i32(-1)]), (e: unknown) => e instanceof WasiExit && e.exitCode === 0xffffffff);
});

test('errno values and names follow witx', () => {
  assert.equal(Errno.BADF, 8); assert.equal(Errno.FAULT, 21); assert.equal(Errno.INVAL, 28);
  assert.equal(Errno.NOENT, 44); assert.equal(Errno.NOSYS, 52); assert.equal(Errno.NOTCAPABLE, 76);
  assert.equal(errnoName(Errno.TOOBIG), 'E2BIG');
  assert.equal(errnoName(76), 'ENOTCAPABLE');
  assert.equal(Rights.FD_READ, 2n); assert.equal(Rights.SOCK_ACCEPT, 1n << 29n);
});

test('args and environ: sizes, pointer arrays and NUL-terminated strings', () => {
  const g = new Guest({ args: ['prog', 'a b', 'é'], env: { A: '1', EMPTY: '' } });
  const c = g.alloc(4), s = g.alloc(4);
  assert.equal(g.call('args_sizes_get', c, s), 0);
  assert.equal(g.u32(c), 3);
  assert.equal(g.u32(s), 5 + 4 + 3);
  const argv = g.alloc(12), buf = g.alloc(12);
  assert.equal(g.call('args_get', argv, buf), 0);
  assert.equal(g.u32(argv), buf);
  assert.equal(g.u32(argv + 4), buf + 5);
  assert.equal(g.u32(argv + 8), buf + 9);
  assert.equal(g.str(buf, 12), 'prog\0a b\0é\0');
  assert.equal(g.call('environ_sizes_get', c, s), 0);
  assert.deepEqual([g.u32(c), g.u32(s)], [2, 4 + 7]);
  const envp = g.alloc(8), ebuf = g.alloc(11);
  assert.equal(g.call('environ_get', envp, ebuf), 0);
  assert.equal(g.str(ebuf, 11), 'A=1\0EMPTY=\0');
  assert.equal(g.u32(envp + 4), ebuf + 4);
  // Out-of-bounds destinations: EFAULT, and nothing written.
  const before = g.bytes.slice();
  assert.equal(g.call('args_get', 65536 - 4, buf), Errno.FAULT);
  assert.equal(g.call('args_get', argv, 65536 - 3), Errno.FAULT);
  assert.deepEqual(g.bytes, before);
});

test('fd_fdstat_get layout on the standard streams; they look like ttys to wasi-libc', () => {
  const g = new Guest();
  const out = g.alloc(24);
  assert.equal(g.call('fd_fdstat_get', 1, out), 0);
  const L = Layout.fdstat;
  assert.equal(g.bytes[out + L.filetype], Filetype.CHARACTER_DEVICE);
  assert.equal(g.mem.u16(out + L.flags), 1 /* APPEND */);
  const base = g.u64(out + L.rightsBase);
  assert.equal(base & (Rights.FD_SEEK | Rights.FD_TELL), 0n);
  assert.equal(base & Rights.FD_WRITE, Rights.FD_WRITE);
  assert.equal(base, RIGHTS_TTY & ~Rights.FD_READ);
  assert.equal(g.call('fd_fdstat_get', 0, out), 0);
  assert.equal(g.u64(out + L.rightsBase) & Rights.FD_READ, Rights.FD_READ);
  assert.equal(g.call('fd_fdstat_get', 99, out), Errno.BADF);
  assert.equal(g.call('fd_fdstat_get', 1, 65530), Errno.FAULT);
});

test('prestat: tag 0 (dir), name length, dir name; EBADF past the preopens', () => {
  const g = new Guest();
  const out = g.alloc(8);
  assert.equal(g.call('fd_prestat_get', 3, out), 0);
  assert.equal(g.bytes[out + Layout.prestat.tag], 0);
  assert.equal(g.u32(out + Layout.prestat.nameLen), 8);
  const name = g.alloc(16);
  assert.equal(g.call('fd_prestat_dir_name', 3, name, 8), 0);
  assert.equal(g.str(name, 8), '/sandbox');
  assert.equal(g.call('fd_prestat_dir_name', 3, name, 7), Errno.NAMETOOLONG);
  assert.equal(g.call('fd_prestat_get', 4, out), Errno.BADF);
  assert.equal(g.call('fd_prestat_get', 1, out), Errno.BADF);
  // No preopen: no file system at all.
  const none = new Guest({ noPreopen: true });
  assert.equal(none.call('fd_prestat_get', 3, out), Errno.BADF);
  assert.equal(none.open('x', O.CREAT)[0], Errno.BADF);
});

test('stdio: gather writes, scatter reads, EOF; closing fd 1 never closes the host sink', () => {
  const g = new Guest({ stdin: 'hello world' });
  assert.deepEqual(g.write(1, 'a', '', 'bc'), [0, 3]);
  assert.deepEqual(g.write(2, 'err'), [0, 3]);
  assert.deepEqual(g.read(0, 3, 4), [0, 'hello w']);
  assert.deepEqual(g.read(0, 100), [0, 'orld']);
  assert.deepEqual(g.read(0, 100), [0, '']);
  assert.equal(g.write(0, 'x')[0], Errno.NOTCAPABLE);
  assert.equal(g.read(1, 4)[0], Errno.NOTCAPABLE);
  assert.equal(g.call('fd_seek', 1, 0n, 0, g.alloc(8)), Errno.NOTCAPABLE);
  assert.equal(g.call('fd_close', 1), 0);
  assert.equal(g.write(1, 'lost')[0], Errno.BADF);
  assert.equal(g.call('fd_close', 1), Errno.BADF);
  assert.equal(g.stdio.stdoutText(), 'abc');
  assert.equal(g.stdio.stderrText(), 'err');
  // The same sink keeps working for another guest fd (renumber stderr onto 1).
  assert.equal(g.call('fd_renumber', 2, 1), Errno.BADF);
  const [e, fd] = g.open('f', O.CREAT);
  assert.equal(e, 0);
  assert.equal(g.call('fd_renumber', 2, fd), 0);
  assert.deepEqual(g.write(fd, 'more'), [0, 4]);
  assert.equal(g.stdio.stderrText(), 'errmore');
});

test('iovecs out of bounds give EFAULT and write nothing', () => {
  const g = new Guest({ stdin: 'abc' });
  const iov = g.alloc(16);
  g.mem.setU32(iov, 65530); g.mem.setU32(iov + 4, 10);
  const out = g.alloc(4);
  assert.equal(g.call('fd_write', 1, iov, 1, out), Errno.FAULT);
  assert.equal(g.call('fd_read', 0, iov, 1, out), Errno.FAULT);
  assert.equal(g.call('fd_write', 1, 65532, 1, out), Errno.FAULT);
  assert.equal(g.call('fd_write', 1, iov, 0x20000000, out), Errno.FAULT);
  assert.equal(g.stdio.stdoutText(), '');
  assert.deepEqual(g.read(0, 3), [0, 'abc'], 'stdin was not consumed by the faulting read');
});

test('GuestMemory: bounds-checked, little-endian, every write reported', () => {
  const bytes = new Uint8Array(16);
  const m = new ArrayGuestMemory(() => bytes);
  const log: [number, number[]][] = [];
  m.onWrite = (a, b) => log.push([a, [...b]]);
  m.setU32(0, 0x11223344);
  m.setU64(8, 0x0102030405060708n);
  m.setU16(4, 0xbeef);
  assert.equal(m.u32(0), 0x11223344);
  assert.equal(m.u64(8), 0x0102030405060708n);
  assert.equal(m.u16(4), 0xbeef);
  assert.deepEqual(log, [[0, [0x44, 0x33, 0x22, 0x11]], [8, [8, 7, 6, 5, 4, 3, 2, 1]], [4, [0xef, 0xbe]]]);
  assert.throws(() => m.u32(13), MemoryFault);
  assert.throws(() => m.write(15, new Uint8Array(2)), MemoryFault);
  assert.throws(() => m.read(-1, 1), MemoryFault);
  assert.equal(log.length, 3);
});

test('WASI writes to guest memory only through GuestMemory.write (a recorder sees every byte)', () => {
  const g = new Guest({ args: ['p', 'q'], stdin: 'in' });
  g.fs.writeFile('file', 'content of the file');
  // Set up every argument first (direct writes by the test), then snapshot memory.
  const [fp, fl] = g.put('file');
  const fdOut = g.alloc(4), pos = g.alloc(8), argvP = g.alloc(8), argvB = g.alloc(8), rnd = g.alloc(32);
  const clk = g.alloc(8), st = g.alloc(64), dir = g.alloc(100), used = g.alloc(4), n = g.alloc(4);
  const bufs = [g.alloc(3), g.alloc(10)], iov = g.alloc(16);
  g.mem.setU32(iov, bufs[0]); g.mem.setU32(iov + 4, 3); g.mem.setU32(iov + 8, bufs[1]); g.mem.setU32(iov + 12, 10);
  const shadow = g.bytes.slice();
  let reported = 0;
  g.mem.onWrite = (a, b) => { shadow.set(b, a); reported += b.length; };
  assert.equal(g.call('path_open', 3, 1, fp, fl, 0, ALL, ALL, 0, fdOut), 0);
  const fd = g.u32(fdOut);
  assert.equal(g.call('fd_seek', fd, 2n, 0, pos), 0);
  assert.equal(g.call('fd_read', fd, iov, 2, n), 0);
  assert.equal(g.call('fd_read', 0, iov, 2, n), 0);
  assert.equal(g.call('args_get', argvP, argvB), 0);
  assert.equal(g.call('random_get', rnd, 32), 0);
  assert.equal(g.call('clock_time_get', 0, 0n, clk), 0);
  assert.equal(g.call('fd_filestat_get', fd, st), 0);
  assert.equal(g.call('fd_readdir', 3, dir, 100, 0n, used), 0);
  assert.deepEqual(g.bytes, shadow, 'every changed byte was reported through onWrite');
  assert.ok(reported >= 4 + 8 + 13 + 4 + 2 + 4 + 8 + 4 + 32 + 8 + 64 + 79 + 4, `${reported} bytes reported`);
});

// ---------------------------------------------------------------- files

test('files: create, write, append, seek/tell, pread/pwrite, truncate, filestat layout', () => {
  const g = new Guest();
  let [e, fd] = g.open('a.txt', O.CREAT | O.EXCL);
  assert.equal(e, 0);
  assert.ok(fd >= 4);
  assert.deepEqual(g.write(fd, 'hello ', 'world'), [0, 11]);
  const pos = g.alloc(8);
  assert.equal(g.call('fd_tell', fd, pos), 0);
  assert.equal(g.u64(pos), 11n);
  assert.equal(g.call('fd_seek', fd, -5n, 1, pos), 0);
  assert.equal(g.u64(pos), 6n);
  assert.deepEqual(g.read(fd, 3, 10), [0, 'world']);
  assert.equal(g.call('fd_seek', fd, -1n, 0, pos), Errno.INVAL);
  assert.equal(g.call('fd_seek', fd, 0n, 3, pos), Errno.INVAL);
  assert.equal(g.call('fd_seek', fd, 2n, 2, pos), 0);
  assert.equal(g.u64(pos), 13n);
  // pwrite/pread use their own offset.
  const iov = g.alloc(8);
  const [p, l] = g.put('HE');
  g.mem.setU32(iov, p); g.mem.setU32(iov + 4, l);
  const n = g.alloc(4);
  assert.equal(g.call('fd_pwrite', fd, iov, 1, 0n, n), 0);
  assert.equal(g.u32(n), 2);
  assert.equal(g.call('fd_tell', fd, pos), 0);
  assert.equal(g.u64(pos), 13n);
  assert.equal(new TextDecoder().decode(g.fs.readFile('a.txt')), 'HEllo world\0\0'.slice(0, 11));
  // Writing past the end leaves a zero-filled gap.
  assert.deepEqual(g.write(fd, '!'), [0, 1]);
  assert.deepEqual([...g.fs.readFile('a.txt').slice(10)], [100, 0, 0, 33]);
  // fd_filestat_get layout.
  const st = g.alloc(64);
  assert.equal(g.call('fd_filestat_get', fd, st), 0);
  const L = Layout.filestat;
  assert.equal(g.u64(st + L.dev), 1n);
  assert.equal(g.bytes[st + L.filetype], Filetype.REGULAR_FILE);
  assert.equal(g.u64(st + L.nlink), 1n);
  assert.equal(g.u64(st + L.size_), 14n);
  assert.equal(g.u64(st + L.mtim), 42n);
  assert.equal(g.call('fd_filestat_set_size', fd, 3n), 0);
  assert.equal(g.filestat('a.txt')[1].size, 3n);
  assert.equal(g.call('fd_allocate', fd, 0n, 10n), 0);
  assert.equal(g.filestat('a.txt')[1].size, 10n);
  assert.equal(g.call('fd_close', fd), 0);
  assert.equal(g.call('fd_close', fd), Errno.BADF);
  // Exclusive create of an existing file; truncate on open.
  assert.equal(g.open('a.txt', O.CREAT | O.EXCL)[0], Errno.EXIST);
  [e, fd] = g.open('a.txt', O.TRUNC);
  assert.equal(e, 0);
  assert.equal(g.filestat('a.txt')[1].size, 0n);
  assert.equal(g.open('missing.txt')[0], Errno.NOENT);
});

test('append mode writes at the end whatever the offset', () => {
  const g = new Guest();
  g.fs.writeFile('log', 'one\n');
  const [e, fd] = g.open('log', 0, ALL, 1, 1 /* APPEND */);
  assert.equal(e, 0);
  g.call('fd_seek', fd, 0n, 0, g.alloc(8));
  g.write(fd, 'two\n');
  assert.equal(new TextDecoder().decode(g.fs.readFile('log')), 'one\ntwo\n');
  const fst = g.alloc(24);
  assert.equal(g.call('fd_fdstat_get', fd, fst), 0);
  assert.equal(g.mem.u16(fst + 2), 1);
  assert.equal(g.call('fd_fdstat_set_flags', fd, 0), 0);
  g.call('fd_seek', fd, 0n, 0, g.alloc(8));
  g.write(fd, 'ONE');
  assert.equal(new TextDecoder().decode(g.fs.readFile('log')), 'ONE\ntwo\n');
});

test('rights: requested rights are intersected with the directory\'s; dropping rights sticks', () => {
  const g = new Guest();
  g.fs.writeFile('r.txt', 'data');
  const [e, fd] = g.open('r.txt', 0, Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL);
  assert.equal(e, 0);
  assert.equal(g.write(fd, 'x')[0], Errno.NOTCAPABLE);
  assert.deepEqual(g.read(fd, 10), [0, 'data']);
  assert.equal(g.call('fd_fdstat_set_rights', fd, Rights.FD_READ | Rights.FD_WRITE, 0n), Errno.NOTCAPABLE);
  assert.equal(g.call('fd_fdstat_set_rights', fd, Rights.FD_SEEK, 0n), 0);
  assert.equal(g.read(fd, 10)[0], Errno.NOTCAPABLE);
  const fst = g.alloc(24);
  g.call('fd_fdstat_get', fd, fst);
  assert.equal(g.u64(fst + 8), Rights.FD_SEEK);
  // A directory opened without PATH_CREATE_FILE cannot create files.
  g.fs.mkdirp('ro');
  const [e2, dfd] = g.open('ro', O.DIRECTORY, Rights.PATH_OPEN | Rights.FD_READDIR);
  assert.equal(e2, 0);
  assert.equal(g.open('new', O.CREAT, ALL, 1, 0, dfd)[0], Errno.NOTCAPABLE);
});

test('directories: mkdir, readdir (dirent layout, cookies, truncation), rmdir, unlink errors', () => {
  const g = new Guest();
  assert.equal(g.pathCall('path_create_directory', 'd'), 0);
  assert.equal(g.pathCall('path_create_directory', 'd'), Errno.EXIST);
  assert.equal(g.pathCall('path_create_directory', 'nope/d'), Errno.NOENT);
  g.fs.writeFile('d/file1', 'x');
  g.fs.writeFile('d/f2', 'yy');
  g.fs.mkdirp('d/sub');
  const [e, fd] = g.open('d', O.DIRECTORY);
  assert.equal(e, 0);
  const buf = g.alloc(512), used = g.alloc(4);
  assert.equal(g.call('fd_readdir', fd, buf, 512, 0n, used), 0);
  const entries: { next: bigint; ino: bigint; name: string; type: number }[] = [];
  for (let o = 0; o < g.u32(used);) {
    const D = Layout.dirent;
    const namlen = g.u32(buf + o + D.namlen);
    entries.push({ next: g.u64(buf + o + D.next), ino: g.u64(buf + o + D.ino), type: g.bytes[buf + o + D.type], name: g.str(buf + o + 24, namlen) });
    o += 24 + namlen;
  }
  assert.deepEqual(entries.map(x => x.name), ['.', '..', 'file1', 'f2', 'sub']);
  assert.deepEqual(entries.map(x => x.next), [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(entries.map(x => x.type), [3, 3, 4, 4, 3]);
  assert.equal(entries[2].ino, g.filestat('d/file1')[1].ino);
  assert.equal(g.u32(used), 5 * 24 + 1 + 2 + 5 + 2 + 3);
  // A small buffer is filled completely (the last entry truncated); the cookie resumes.
  assert.equal(g.call('fd_readdir', fd, buf, 30, 0n, used), 0);
  assert.equal(g.u32(used), 30);
  assert.equal(g.call('fd_readdir', fd, buf, 512, 4n, used), 0);
  assert.equal(g.u32(used), 24 + 3);
  assert.equal(g.str(buf + 24, 3), 'sub');
  assert.equal(g.call('fd_readdir', fd, buf, 512, 99n, used), 0);
  assert.equal(g.u32(used), 0);
  assert.equal(g.call('fd_readdir', 1, buf, 512, 0n, used), Errno.NOTCAPABLE);
  // rmdir / unlink errors.
  assert.equal(g.pathCall('path_remove_directory', 'd'), Errno.NOTEMPTY);
  assert.equal(g.pathCall('path_remove_directory', 'd/file1'), Errno.NOTDIR);
  assert.equal(g.pathCall('path_unlink_file', 'd/sub'), Errno.ISDIR);
  assert.equal(g.pathCall('path_unlink_file', 'd/file1/'), Errno.NOTDIR);
  assert.equal(g.pathCall('path_unlink_file', 'd/nothing'), Errno.NOENT);
  assert.equal(g.pathCall('path_remove_directory', '.'), Errno.INVAL);
  assert.equal(g.pathCall('path_unlink_file', 'd/file1'), 0);
  assert.equal(g.pathCall('path_unlink_file', 'd/f2'), 0);
  assert.equal(g.pathCall('path_remove_directory', 'd/sub/'), 0);
  assert.equal(g.pathCall('path_remove_directory', 'd'), 0);
  assert.deepEqual(g.fs.list(), []);
});

test('rename, hard links, symlinks and readlink inside the sandbox', () => {
  const g = new Guest();
  g.fs.writeFile('a', 'A');
  g.fs.mkdirp('dir');
  assert.equal(g.rename('a', 'dir/b'), 0);
  assert.deepEqual(g.fs.list(), ['dir/', 'dir/b']);
  assert.equal(g.rename('missing', 'x'), Errno.NOENT);
  assert.equal(g.rename('dir', 'dir/inside'), Errno.INVAL);
  const [op, ol] = g.put('dir/b');
  const [np, nl] = g.put('c');
  assert.equal(g.call('path_link', 3, 0, op, ol, 3, np, nl), 0);
  assert.equal(g.filestat('c')[1].nlink, 2n);
  assert.equal(g.symlink('dir/b', 'ln'), 0);
  assert.equal(g.symlink('dir/b', 'ln'), Errno.EXIST);
  assert.equal(g.filestat('ln', false)[1].filetype, Filetype.SYMBOLIC_LINK);
  assert.equal(g.filestat('ln', true)[1].filetype, Filetype.REGULAR_FILE);
  const [lp, ll] = g.put('ln');
  const buf = g.alloc(16), used = g.alloc(4);
  assert.equal(g.call('path_readlink', 3, lp, ll, buf, 16, used), 0);
  assert.equal(g.str(buf, g.u32(used)), 'dir/b');
  assert.equal(g.call('path_readlink', 3, lp, ll, buf, 3, used), 0);
  assert.equal(g.u32(used), 3);
  const [fp, fl] = g.put('c');
  assert.equal(g.call('path_readlink', 3, fp, fl, buf, 16, used), Errno.INVAL);
  // Through the link (followed) and not (ELOOP, as O_NOFOLLOW).
  const [e, fd] = g.open('ln');
  assert.equal(e, 0);
  assert.deepEqual(g.read(fd, 10), [0, 'A']);
  assert.equal(g.open('ln', 0, ALL, 0)[0], Errno.LOOP);
  // Links to directories, chains, and '..' inside link contents that stay inside.
  assert.equal(g.symlink('dir', 'dlink'), 0);
  assert.equal(g.symlink('../c', 'dir/up'), 0);
  assert.equal(g.open('dlink/up')[0], 0);
  assert.equal(g.filestat('dlink/up')[1].ino, g.filestat('c')[1].ino);
  // A loop.
  assert.equal(g.symlink('loop2', 'loop1'), 0);
  assert.equal(g.symlink('loop1', 'loop2'), 0);
  assert.equal(g.open('loop1')[0], Errno.LOOP);
  // Times.
  const [tp, tl] = g.put('c');
  assert.equal(g.call('path_filestat_set_times', 3, 1, tp, tl, 5n, 6n, 1 | 4), 0);
  assert.deepEqual([g.filestat('c')[1].atim, g.filestat('c')[1].mtim], [5n, 6n]);
  assert.equal(g.call('path_filestat_set_times', 3, 1, tp, tl, 5n, 6n, 1 | 2), Errno.INVAL);
  assert.equal(g.call('path_filestat_set_times', 3, 1, tp, tl, 0n, 0n, 8), 0);
  assert.ok(g.filestat('c')[1].mtim > 1_000_000_000_000_000_000n, 'MTIM_NOW takes the realtime clock');
});

// ---------------------------------------------------------------- sandbox

test('sandbox: .. cannot climb above the preopen, absolute paths refused (ENOTCAPABLE)', () => {
  const g = new Guest();
  g.fs.mkdirp('a/b');
  for (const p of ['..', '../x', 'a/../..', 'a/b/../../../x', './../x', '/etc/passwd', '/', '/sandbox/x']) {
    assert.equal(g.open(p, O.CREAT)[0], Errno.NOTCAPABLE, p);
    assert.equal(g.pathCall('path_create_directory', p), Errno.NOTCAPABLE, p);
  }
  assert.equal(g.open('a/b/../../x', O.CREAT)[0], 0, 'going down then up stays inside');
  assert.equal(g.open('', 0)[0], Errno.NOENT);
  assert.equal(g.rename('x', '../x'), Errno.NOTCAPABLE);
  // A directory fd is a capability of its own: '..' cannot climb above it either.
  const [, dfd] = g.open('a', O.DIRECTORY);
  assert.equal(g.open('../x', 0, ALL, 1, 0, dfd)[0], Errno.NOTCAPABLE);
  assert.equal(g.open('b/..', O.DIRECTORY, ALL, 1, 0, dfd)[0], 0);
  assert.deepEqual(g.fs.list(), ['a/', 'a/b/', 'x']);
});

test('sandbox: symbolic links that are absolute or lead out are refused', () => {
  const g = new Guest();
  g.fs.mkdirp('d');
  g.fs.addSymlink('abs', '/etc/passwd');
  g.fs.addSymlink('out', '../secret');
  g.fs.addSymlink('d/out2', '../../secret');
  g.fs.addSymlink('d/up', '..');
  g.fs.addSymlink('d/upup', 'up/..');
  for (const p of ['abs', 'out', 'd/out2', 'd/upup/x', 'd/up/../x']) {
    assert.equal(g.open(p, O.CREAT)[0], Errno.NOTCAPABLE, p);
    assert.equal(g.filestat(p)[0], Errno.NOTCAPABLE, p);
  }
  assert.equal(g.open('d/up/d', O.DIRECTORY)[0], 0, 'a link to .. that stays inside is fine');
  // Not following the last component: the link itself is reachable (lstat, readlink, unlink).
  assert.equal(g.filestat('abs', false)[0], 0);
  assert.equal(g.pathCall('path_unlink_file', 'abs'), 0);
  // Creating links that would lead out is refused.
  assert.equal(g.symlink('/etc/passwd', 'new1'), Errno.PERM);
  assert.equal(g.symlink('../x', 'new2'), Errno.NOTCAPABLE);
  assert.equal(g.symlink('../../x', 'd/new3'), Errno.NOTCAPABLE);
  assert.equal(g.symlink('../x', 'd/new4'), 0);
  assert.ok(!g.fs.exists('new1') && !g.fs.exists('new2'));
});

test('resolvePath and symlinkStaysInside directly', () => {
  const fs1 = new MemoryFileSystem();
  fs1.mkdirp('a/b');
  fs1.addSymlink('a/l', 'b');
  assert.deepEqual(resolvePath(fs1, [], 'a/l/', false).path, ['a', 'b']);
  assert.deepEqual(resolvePath(fs1, [], 'a/l', false).path, ['a', 'l']);
  assert.deepEqual(resolvePath(fs1, [], 'a/./l/../b', false).path, ['a', 'b']);
  assert.deepEqual(resolvePath(fs1, ['a'], 'l', true).path, ['a', 'b']);
  assert.throws(() => resolvePath(fs1, ['a'], '../a', true), (e: unknown) => e instanceof WasiError && e.errno === Errno.NOTCAPABLE);
  assert.throws(() => resolvePath(fs1, [], 'a\0b', true), (e: unknown) => e instanceof WasiError && e.errno === Errno.INVAL);
  assert.ok(symlinkStaysInside([], ['a'], '../x'));
  assert.ok(!symlinkStaysInside([], ['a'], '../../x'));
  assert.ok(!symlinkStaysInside([], [], '/x'));
});

test('invalid UTF-8 in a path is EILSEQ', () => {
  const g = new Guest();
  const [p] = g.put(new Uint8Array([0x61, 0xff, 0x62]));
  assert.equal(g.call('path_create_directory', 3, p, 3), Errno.ILSEQ);
});

// ---------------------------------------------------------------- clocks, random, poll, exit

test('clocks and random are deterministic with the virtual clock and seeded random', () => {
  const run = () => {
    const g = new Guest();
    const t = g.alloc(8), r = g.alloc(16);
    assert.equal(g.call('clock_time_get', 1, 0n, t), 0);
    const m1 = g.u64(t);
    assert.equal(g.call('clock_time_get', 0, 0n, t), 0);
    const real = g.u64(t);
    assert.equal(g.call('clock_res_get', 1, t), 0);
    assert.equal(g.u64(t), 1n);
    assert.equal(g.call('clock_time_get', 9, 0n, t), Errno.INVAL);
    assert.equal(g.call('random_get', r, 16), 0);
    assert.equal(g.call('random_get', 65530, 16), Errno.FAULT);
    return [m1, real, [...g.bytes.subarray(r, r + 16)]];
  };
  const a = run(), b = run();
  assert.deepEqual(a, b);
  assert.ok((a[1] as bigint) > 1_600_000_000_000_000_000n);
  assert.ok((a[2] as number[]).some(x => x !== 0));
});

test('poll_oneoff: subscription and event layouts, clock timeouts, fd readiness', () => {
  const g = new Guest();
  const S = Layout.subscription, E = Layout.event;
  const subs = g.alloc(48 * 3), evs = g.alloc(32 * 3), nev = g.alloc(4);
  const clockSub = (i: number, userdata: bigint, timeout: bigint) => {
    const s = subs + 48 * i;
    g.mem.setU64(s + S.userdata, userdata);
    g.mem.setU8(s + S.tag, 0);
    g.mem.setU32(s + S.clockId, 1);
    g.mem.setU64(s + S.clockTimeout, timeout);
    g.mem.setU64(s + S.clockPrecision, 0n);
    g.mem.setU16(s + S.clockFlags, 0);
  };
  clockSub(0, 111n, 5_000_000n);
  clockSub(1, 222n, 1_000_000n);
  const before = g.alloc(8);
  g.call('clock_time_get', 1, 0n, before);
  assert.equal(g.call('poll_oneoff', subs, evs, 2, nev), 0);
  assert.equal(g.u32(nev), 1);
  assert.equal(g.u64(evs + E.userdata), 222n);
  assert.equal(g.mem.u16(evs + E.error), 0);
  assert.equal(g.bytes[evs + E.type], 0);
  const after = g.alloc(8);
  g.call('clock_time_get', 1, 0n, after);
  assert.ok(g.u64(after) - g.u64(before) >= 1_000_000n, 'the virtual clock advanced by the timeout');
  // fd subscriptions are ready at once (no clock wait): a file with 5 unread bytes, stdout, a bad fd.
  g.fs.writeFile('f', '12345');
  const [, fd] = g.open('f');
  const fdSub = (i: number, userdata: bigint, tag: number, fdn: number) => {
    const s = subs + 48 * i;
    g.mem.setU64(s + S.userdata, userdata);
    g.mem.setU8(s + S.tag, tag);
    g.mem.setU32(s + S.fd, fdn);
  };
  clockSub(0, 1n, 1_000_000_000n);
  fdSub(1, 2n, 1, fd);
  fdSub(2, 3n, 2, 99);
  assert.equal(g.call('poll_oneoff', subs, evs, 3, nev), 0);
  assert.equal(g.u32(nev), 2);
  assert.equal(g.u64(evs + E.userdata), 2n);
  assert.equal(g.bytes[evs + E.type], 1);
  assert.equal(g.u64(evs + E.nbytes), 5n);
  assert.equal(g.u64(evs + 32 + E.userdata), 3n);
  assert.equal(g.mem.u16(evs + 32 + E.error), Errno.BADF);
  assert.equal(g.call('poll_oneoff', subs, evs, 0, nev), Errno.INVAL);
  assert.equal(g.call('poll_oneoff', 65500, evs, 3, nev), Errno.FAULT);
});

test('proc_exit throws WasiExit (a ProcExit trap); proc_raise, sockets and sched_yield answer cleanly', () => {
  const g = new Guest();
  assert.throws(() => g.call('proc_exit', 3), (e: unknown) =>
    e instanceof WasiExit && e instanceof Trap && e.code === TrapCode.ProcExit && e.exitCode === 3);
  assert.equal(g.wasi.exitCode, 3);
  assert.equal(g.call('proc_raise', 6), Errno.NOSYS);
  assert.equal(g.call('sched_yield'), 0);
  assert.equal(g.call('sock_accept', 3, 0, g.alloc(4)), Errno.NOTSOCK);
  assert.equal(g.call('sock_recv', 99, 0, 0, 0, 0, 0), Errno.BADF);
  assert.equal(g.call('sock_send', 1, 0, 0, 0, 0), Errno.NOTSOCK);
  assert.equal(g.call('sock_shutdown', 0, 1), Errno.NOTSOCK);
  assert.equal(g.call('fd_advise', 3, 0n, 0n, 9), Errno.INVAL);
  assert.equal(g.call('fd_sync', 3), 0);
  assert.ok(g.calls.some(c => c.name === 'proc_raise' && c.errno === Errno.NOSYS));
  assert.ok(!g.calls.some(c => c.name === 'proc_exit'));
});

test('no guest memory bound: EFAULT, not a crash; unknown function names are an error', () => {
  const w = createWasi({ stdio: new BufferedStdio() });
  assert.equal(w.call('fd_write', [1, 0, 1, 0]), Errno.FAULT);
  assert.equal(w.call('sched_yield', []), 0);
  assert.throws(() => w.call('fd_frobnicate', []), /unknown WASI function/);
});

test('a host file system failure becomes an errno; an unexpected exception is EIO and kept', () => {
  const mem = new MemoryFileSystem();
  const broken = Object.create(mem) as MemoryFileSystem;
  broken.mkdir = () => { throw new Error('disk on fire'); };
  const g = new Guest({ preopens: [{ guestPath: '/x', fs: broken }] });
  assert.equal(g.pathCall('path_create_directory', 'd'), Errno.IO);
  assert.equal(g.wasi.hostErrors.length, 1);
});

// ---------------------------------------------------------------- real directory sandbox

test('real directory: no file outside the preopen is read or written (sentinel + node:fs spy)', () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-sentinel-'));
  const sandbox = path.join(top, 'sandbox');
  fs.mkdirSync(sandbox);
  fs.mkdirSync(path.join(sandbox, 'sub'));
  const sentinel = path.join(top, 'sentinel.txt');
  fs.writeFileSync(sentinel, 'SECRET');
  fs.symlinkSync('../sentinel.txt', path.join(sandbox, 'planted'));
  fs.symlinkSync(sentinel, path.join(sandbox, 'abs'));
  fs.symlinkSync('..', path.join(sandbox, 'updir'));
  fs.symlinkSync('../..', path.join(sandbox, 'sub', 'upup'));
  const sentinelStat = fs.statSync(sentinel);
  const topListing = fs.readdirSync(top).sort();

  const root = fs.realpathSync(sandbox);
  const touched: string[] = [];
  const realFs = require('node:fs') as Record<string, unknown>;
  const spied = ['openSync', 'readSync', 'writeSync', 'lstatSync', 'statSync', 'readlinkSync', 'realpathSync',
    'readdirSync', 'mkdirSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'symlinkSync', 'linkSync', 'lutimesSync',
    'futimesSync', 'ftruncateSync', 'fstatSync'];
  const saved = new Map<string, unknown>();
  const nodeFs = new NodeWasiFileSystem(sandbox);
  try {
    for (const name of spied) {
      const orig = realFs[name] as (...a: unknown[]) => unknown;
      saved.set(name, orig);
      realFs[name] = function (this: unknown, ...a: unknown[]) {
        if (typeof a[0] === 'string') touched.push(a[0]);
        if (typeof a[1] === 'string' && (name === 'renameSync' || name === 'linkSync' || name === 'symlinkSync')) touched.push(a[1]);
        return orig.apply(this, a);
      };
    }
    const g = new Guest({ preopens: [{ guestPath: '/sandbox', fs: nodeFs }] });
    const refused = (e: number, what: string) => assert.ok(e === Errno.NOTCAPABLE || e === Errno.PERM || e === Errno.LOOP, `${what}: ${errnoName(e)}`);
    for (const p of ['../sentinel.txt', 'planted', 'abs', 'updir/sentinel.txt', 'sub/upup/sentinel.txt', 'sub/../../sentinel.txt', sentinel]) {
      refused(g.open(p)[0], `open ${p}`);
      refused(g.open(p, O.CREAT | O.TRUNC)[0], `create ${p}`);
      refused(g.filestat(p)[0], `stat ${p}`);
      refused(g.pathCall('path_unlink_file', p + '/x'), `unlink ${p}/x`);
      refused(g.pathCall('path_create_directory', p + '/x'), `mkdir ${p}/x`);
      refused(g.rename('sub', p + '/moved'), `rename into ${p}`);
      const [tp, tl] = g.put(p);
      refused(g.call('path_filestat_set_times', 3, 1, tp, tl, 0n, 0n, 4), `utimes ${p}`);
      const [np, nl] = g.put('hard');
      refused(g.call('path_link', 3, 1, tp, tl, 3, np, nl), `link ${p}`);
    }
    refused(g.open('updir', O.DIRECTORY)[0], 'open updir');
    refused(g.symlink('../sentinel.txt', 'evil'), 'symlink out');
    refused(g.symlink(sentinel, 'evil2'), 'symlink absolute');
    // Ordinary work inside still succeeds.
    const [e, fd] = g.open('sub/ok.txt', O.CREAT);
    assert.equal(e, 0);
    assert.deepEqual(g.write(fd, 'fine'), [0, 4]);
    assert.equal(fs.readFileSync(path.join(sandbox, 'sub', 'ok.txt'), 'utf8'), 'fine');
    assert.equal(g.wasi.hostErrors.length, 0);
  } finally {
    for (const [name, orig] of saved) realFs[name] = orig;
  }
  const outside = touched.filter(p => p !== root && !p.startsWith(root + path.sep));
  assert.deepEqual(outside, [], 'node:fs was only ever called on paths inside the preopen');
  assert.ok(touched.length > 20, 'the spy saw the file-system calls');
  assert.equal(fs.readFileSync(sentinel, 'utf8'), 'SECRET');
  const after = fs.statSync(sentinel);
  assert.equal(after.mtimeMs, sentinelStat.mtimeMs);
  assert.equal(after.ctimeMs, sentinelStat.ctimeMs);
  assert.deepEqual(fs.readdirSync(top).sort(), topListing);
  fs.rmSync(top, { recursive: true, force: true });
});

test('real directory: a parent swapped for a symlink after resolution is caught by the realpath check', () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-race-'));
  const sandbox = path.join(top, 'sandbox');
  fs.mkdirSync(path.join(sandbox, 'd'), { recursive: true });
  fs.mkdirSync(path.join(top, 'elsewhere'));
  const nfs = new NodeWasiFileSystem(sandbox);
  // The resolver saw 'd' as a directory; now it is replaced by a link out (a race).
  fs.rmdirSync(path.join(sandbox, 'd'));
  fs.symlinkSync(path.join(top, 'elsewhere'), path.join(sandbox, 'd'));
  assert.throws(() => nfs.open(['d', 'x'], { read: true, write: true, create: true, exclusive: false, truncate: false }),
    (e: unknown) => e instanceof WasiError && e.errno === Errno.NOTCAPABLE);
  assert.throws(() => nfs.mkdir(['d', 'y']), (e: unknown) => e instanceof WasiError && e.errno === Errno.NOTCAPABLE);
  assert.deepEqual(fs.readdirSync(path.join(top, 'elsewhere')), []);
  // O_NOFOLLOW: a last component that became a symlink is not followed.
  fs.writeFileSync(path.join(top, 'target'), 'T');
  fs.symlinkSync(path.join(top, 'target'), path.join(sandbox, 'f'));
  assert.throws(() => nfs.open(['f'], { read: true, write: false, create: false, exclusive: false, truncate: false }),
    (e: unknown) => e instanceof WasiError && e.errno === Errno.LOOP);
  assert.throws(() => nfs.lstat(['..']), (e: unknown) => e instanceof WasiError && e.errno === Errno.INVAL);
  fs.rmSync(top, { recursive: true, force: true });
});

test('sandbox property: 3000 random paths never resolve outside, never through a symlink; memfs and disk agree', () => {
  // The same tree in memory and on disk, with links of every kind.
  const layout: [string, string | null][] = [
    ['a/', null], ['a/b/', null], ['a/b/c/', null], ['a/f', 'file'], ['d/', null],
    ['a/l_up@', '..'], ['a/l_upup@', '../..'], ['a/b/l_abs@', '/etc'], ['l_a@', 'a'], ['a/b/l_sib@', '../f'],
    ['d/l_loop@', 'l_loop'], ['d/l_chain@', '../l_a/b'], ['a/b/c/l_out@', '../../../../x'], ['l_dangling@', 'nothing/here'],
  ];
  const mem = new MemoryFileSystem();
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-prop-'));
  const disk = path.join(top, 'root');
  fs.mkdirSync(disk);
  for (const [p, v] of layout) {
    if (p.endsWith('/')) { mem.mkdirp(p); fs.mkdirSync(path.join(disk, p), { recursive: true }); }
    else if (p.endsWith('@')) { mem.addSymlink(p.slice(0, -1), v!); fs.symlinkSync(v!, path.join(disk, p.slice(0, -1))); }
    else { mem.writeFile(p, v!); fs.writeFileSync(path.join(disk, p), v!); }
  }
  const nfs = new NodeWasiFileSystem(disk);
  const comps = ['a', 'b', 'c', 'd', 'f', '.', '..', '', 'l_up', 'l_upup', 'l_abs', 'l_a', 'l_sib', 'l_loop', 'l_chain', 'l_out', 'l_dangling', 'zz'];
  let seed = 12345;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; return Math.floor((seed / 0x80000000) * n); };
  const outcome = (f: () => { path: string[] }) => {
    try { return f().path.join('/'); } catch (e) { if (e instanceof WasiError) return `E${e.errno}`; throw e; }
  };
  let ok = 0;
  for (let i = 0; i < 3000; i++) {
    const n = 1 + rnd(5);
    const p = Array.from({ length: n }, () => comps[rnd(comps.length)]).join('/') || '.';
    const base = rnd(3) === 0 ? ['a'] : [];
    const follow = rnd(2) === 0;
    const m = outcome(() => resolvePath(mem, base, p, follow));
    const d = outcome(() => resolvePath(nfs, base, p, follow));
    assert.equal(d, m, `disk and memory disagree on ${p} (base ${base.join('/')}, follow ${follow})`);
    if (m.startsWith('E')) continue;
    ok++;
    const parts = m === '' ? [] : m.split('/');
    assert.deepEqual(parts.slice(0, base.length), base, `${p} resolved outside its base: ${m}`);
    for (let k = 1; k < parts.length; k++) {
      const st = mem.lstat(parts.slice(0, k));
      assert.equal(st.filetype, Filetype.DIRECTORY, `${p}: intermediate ${parts.slice(0, k).join('/')} is not a plain directory`);
    }
    assert.ok(!parts.includes('..') && !parts.includes('.') && !parts.includes(''));
  }
  console.log(`sandbox property: ${ok} of 3000 random paths resolved, the rest refused with the same errno on disk and in memory`);
  assert.ok(ok > 300, `${ok} paths resolved (enough successes to mean something)`);
  fs.rmSync(top, { recursive: true, force: true });
});

test('robustness: 20000 syscalls with random arguments never throw and never hit an unexpected host error', () => {
  const g = new Guest({ args: ['p', 'arg'], env: { K: 'V' }, stdin: 'some input' });
  g.fs.writeFile('f', 'file content');
  g.fs.mkdirp('d/e');
  g.fs.addSymlink('d/l', '../f');
  g.open('f');
  g.open('d', O.DIRECTORY);
  // Some memory holding plausible paths and iovecs, so that calls get past the first checks.
  const [pathPtr] = g.put('d/l');
  let seed = 99;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; return Math.floor((seed / 0x80000000) * n); };
  const pick = (): number | bigint => {
    switch (rnd(8)) {
      case 0: return rnd(8);                       // small: fds, flags, lengths
      case 1: return pathPtr;                      // a real string
      case 2: return 3;                            // the preopen
      case 3: return rnd(70000);                   // any pointer, sometimes out of bounds
      case 4: return 0xffffffff - rnd(16);         // near the top
      case 5: return BigInt(rnd(1 << 30)) * BigInt(rnd(1 << 30));
      case 6: return -1;
      default: return rnd(0x8000) + 0x7000;        // the test heap
    }
  };
  const names = Wasi.functionNames.filter(n => n !== 'proc_exit');
  const seen = new Set<number>();
  for (let i = 0; i < 20000; i++) {
    const name = names[rnd(names.length)];
    const sig = WASI_SIGNATURES[name];
    // Keep poll_oneoff's clock timeouts small (the virtual clock "sleeps" them anyway).
    const args = sig.params.map(t => t === ValType.I64 ? BigInt.asUintN(64, BigInt(pick())) : Number(BigInt.asUintN(32, BigInt(pick()))));
    const e = g.wasi.call(name, args);
    assert.ok(Number.isInteger(e) && e >= 0 && e <= 76, `${name} answered ${e}`);
    seen.add(e);
  }
  assert.deepEqual(g.wasi.hostErrors, []);
  console.log(`robustness: errnos seen ${[...seen].sort((a, b) => a - b).map(errnoName).join(' ')}`);
  assert.ok(seen.has(0) && seen.has(Errno.BADF) && seen.has(Errno.FAULT), `errnos seen: ${[...seen].join(',')}`);
});
