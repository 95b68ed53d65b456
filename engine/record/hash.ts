// Checksums and digests for recordings, written for the engine (no node:crypto: the engine must run
// in a browser): SHA-256 (FIPS 180-4) of the module bytes, CRC-32 (IEEE 802.3, reflected polynomial
// 0xEDB88320) of every chunk of a .rewind file, and a fast 64-bit non-cryptographic state hash
// (two independent 32-bit multiply-rotate lanes) for checkpoint comparison.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 digest (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const n = data.length;
  // message + 0x80 + zero padding + 64-bit big-endian bit length, in 64-byte blocks
  const total = Math.ceil((n + 9) / 64) * 64;
  const tail = new Uint8Array(total - (n & ~63));
  tail.set(data.subarray(n & ~63));
  tail[n & 63] = 0x80;
  const bits = n * 8;
  const tdv = new DataView(tail.buffer);
  tdv.setUint32(tail.length - 8, Math.floor(bits / 0x100000000), false);
  tdv.setUint32(tail.length - 4, bits >>> 0, false);
  const ddv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const block = (dv: DataView, off: number): void => {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + 4 * i, false);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  };
  const full = n & ~63;
  for (let off = 0; off < full; off += 64) block(ddv, off);
  for (let off = 0; off < tail.length; off += 64) block(tdv, off);
  const out = new Uint8Array(32);
  const odv = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) odv.setUint32(4 * i, h[i], false);
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

let crcTable: Uint32Array | null = null;
/** CRC-32 (IEEE) of `data[start, end)`, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, start = 0, end = data.length, crc = 0): number {
  let t = crcTable;
  if (t === null) {
    t = crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[i] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Incremental 64-bit state hash over int32 words (not cryptographic; detects divergence). */
export class StateHasher {
  private a = 0x811c9dc5 | 0;
  private b = 0x27d4eb2f | 0;
  private n = 0;
  word(x: number): this {
    let a = this.a ^ x;
    a = Math.imul(a, 0x01000193);
    this.a = (a << 13) | (a >>> 19);
    let b = (this.b + x) | 0;
    b = Math.imul(b ^ (b >>> 15), 0x85ebca6b);
    this.b = b ^ (b >>> 13);
    this.n++;
    return this;
  }
  words(a: Int32Array, start = 0, end = a.length): this {
    this.word(end - start);
    for (let i = start; i < end; i++) this.word(a[i]);
    return this;
  }
  bytes(u: Uint8Array, start = 0, end = u.length): this {
    this.word(end - start);
    let i = start;
    for (; i + 4 <= end; i += 4) this.word(u[i] | (u[i + 1] << 8) | (u[i + 2] << 16) | (u[i + 3] << 24));
    for (; i < end; i++) this.word(u[i]);
    return this;
  }
  /** 16 hex digits. */
  digest(): string {
    const fin = (x: number): string => {
      x ^= x >>> 16; x = Math.imul(x, 0x7feb352d); x ^= x >>> 15; x = Math.imul(x, 0x846ca68b); x ^= x >>> 16;
      return (x >>> 0).toString(16).padStart(8, '0');
    };
    return fin(this.a ^ this.n) + fin(this.b);
  }
}
