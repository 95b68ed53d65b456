// Public surface of recording and reverse execution (browser-safe; Node file access for .rewind files
// is engine/node/recordFiles.ts, the CLI subcommands engine/node/rewindCli.ts).
//   format.ts     the .rewind container (encode/decode/save/load, RecordingFormatError)
//   snapshot.ts   register-file checkpoints and state hashes
//   memlog.ts     first-load logging / replay of memory (word epochs, O(1) interval start)
//   recorder.ts   Recorder (RECORD loop + host log), Replayer (no host, memory from the logs)
//   session.ts    TimeTravelSession: seek, reverse step / continue / to last write, live resume
//   wasiRecord.ts recording WASI commands (flight recorder with a bounded ring)
export {
  encodeRecording, decodeRecording, saveRecording, loadRecording, makeHeader, newRecordingId, RecordingFormatError,
  FORMAT_VERSION, READER_VERSION, TIME_UNIT,
  type Recording, type RecordingHeader, type IntervalRecord, type HostCallRecord, type TrapInfo, type RecordingSummary,
  type RecordingFiles, type StoreLayout, type DecodeOptions,
} from './format';
export { captureSnapshot, restoreSnapshot, stateHash, snapshotHash, pristineSegments, type Snapshot } from './snapshot';
export { ReplayDivergence } from './memlog';
export { Recorder, Replayer, recordRun, trapInfo, storeLayout, replayStore, type RecorderOptions, type ReplayResult } from './recorder';
export { TimeTravelSession } from './session';
export { recordWasiCommand, startWasiCommand, TailStdio, type WasiRecordOptions, type WasiRecordResult } from './wasiRecord';
export { sha256, crc32 } from './hash';
