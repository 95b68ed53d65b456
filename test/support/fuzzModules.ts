// Random valid modules from binaryen's translate-to-fuzz (`wasm-opt -ttf`). Uses Debian's native
// wasm-opt when installed (fast), else the `binaryen` npm package's wasm-opt (same generator, slower).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Features our engine supports that V8 (Node 20) agrees on. Reference types are left out: Debian's
 *  binaryen 108 generates the pre-standard subtyping (funcref <: externref) that V8 rejects. */
export const FUZZ_FEATURES = [
  '--enable-simd', '--enable-bulk-memory', '--enable-sign-ext', '--enable-nontrapping-float-to-int',
  '--enable-multivalue', '--enable-tail-call',
];

function nativeWasmOpt(): string | null {
  for (const p of ['/usr/bin/wasm-opt', '/usr/local/bin/wasm-opt']) if (existsSync(p)) return p;
  return null;
}

export interface FuzzGenerator {
  readonly kind: 'native' | 'npm';
  generate(seed: number): Uint8Array;
  dispose(): void;
}

/** xorshift32 bytes: the seed fully determines the generator's input, hence the module. */
export function seededBytes(seed: number, n: number): Uint8Array {
  let x = (seed * 2654435761) >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function fuzzGenerator(): FuzzGenerator {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-fuzz-'));
  const native = nativeWasmOpt();
  const npmOpt = join(__dirname, '..', '..', '..', 'node_modules', 'binaryen', 'bin', 'wasm-opt');
  return {
    kind: native ? 'native' : 'npm',
    generate(seed: number): Uint8Array {
      const input = join(dir, `seed${seed}.bin`);
      const output = join(dir, `seed${seed}.wasm`);
      writeFileSync(input, seededBytes(seed, 3000 + (seed % 7) * 1000));
      const args = [input, '-ttf', ...FUZZ_FEATURES, '--denan', '-o', output];
      if (native) execFileSync(native, args, { stdio: 'ignore' });
      else execFileSync(process.execPath, [npmOpt, ...args], { stdio: 'ignore' });
      const bytes = readFileSync(output);
      rmSync(input); rmSync(output);
      return new Uint8Array(bytes);
    },
    dispose(): void { rmSync(dir, { recursive: true, force: true }); },
  };
}
