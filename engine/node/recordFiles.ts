// Node file access for .rewind files (engine/record/format.ts takes it as an injected interface).
import { readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import type { RecordingFiles } from '../record/format';

export const nodeRecordingFiles: RecordingFiles = {
  readFile(path: string): Uint8Array { const b = readFileSync(path); return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); },
  writeFile(path: string, data: Uint8Array): void { writeFileSync(path, data); },
  rename(from: string, to: string): void { renameSync(from, to); },
  remove(path: string): void { rmSync(path, { force: true }); },
};
