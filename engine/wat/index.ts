// Public API of the WebAssembly text tools: the WAT assembler (with source map) and the .wast
// script parser.
export { assembleWat, SourceMapIndex, encodeV128 } from './assembler';
export type { WatResult, WatSourceMap, WatInstrLocation, WatFuncLocation, WatOptions } from './assembler';
export {
  parseWast, wastModuleBinary, matchWastPattern, formatWastValue, formatWastPattern, formatWastAction,
} from './wast';
export type { WastCommand, WastModule, WastAction, WastPattern, WastLanePattern } from './wast';
