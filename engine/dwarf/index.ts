// Source-level debugging information (DWARF 2-5 in wasm custom sections), in engine terms: module
// byte offsets in and out, no DAP types.
//
//   loadDwarf(module): DwarfInfo | null         null if the module has no .debug_info/.debug_abbrev
//   dwarf.lines: LineTable                       .lookup(offset) -> LineRow | null
//                                                .resolveLine(path, line) -> { line, offsets[] } | null
//                                                .sameLine(a, b) (stepping), .rangeAt(offset), .rows(), .files
//   dwarf.subprogramAt(offset): Die | null       the out-of-line function containing offset
//   dwarf.framesAt(offset): InlinedFrame[]       innermost first (inlined subroutines, then the function)
//   dwarf.variables(frame): Variable[]           parameters and locals in scope at the frame's offset
//   dwarf.globals(offset): Variable[]            globals of the compile unit containing offset
//   dwarf.locate(variable, offset, machine)      location pieces (memory / wasm local|global|operand / value)
//   new ValueFormatter(dwarf, machine).variable(v, offset): DisplayValue   { name, type, value, address, children() }
//   machineView(...)  (engineMachine.ts)         DwarfMachine over a paused engine Machine frame
//   dwarf.errors: DwarfError[]                   damage found so far (damaged parts read as empty)
//   dwarf.funcAt(offset)                         index into module.funcs (add numImportedFuncs for the
//                                                function index), -1 outside code
//   formatter.value(name, typeDie, { address } | { bytes })   any typed object (watch expressions)
//
// Addresses: wasm DWARF code addresses are offsets from the Code section's payload start
// (dwarf.codeBase); toOffset()/toAddress() convert. Every query takes and returns module offsets.
// DW_OP_WASM_location 2 N (operand stack) counts N from the bottom of the frame's operand stack, as
// LLVM's WebAssemblyDebugFixup assigns it; machineView reads machine.operands(frame) that way.

export { DwarfError } from './reader';
export { loadDwarf, DwarfInfo, type InlinedFrame, type Variable } from './dwarf';
export { LineTable, type LineRow } from './lines';
export { Die, Unit, type Attr } from './info';
export { evaluateLocation, LocationError, type DwarfMachine, type LocationPiece, type EvalContext } from './expr';
export { ValueFormatter, type DisplayValue, type FormatOptions, type ValueSource } from './format';
export { codeSectionBase, debugSections, hasDwarf, type DebugSections } from './sections';
export { machineView } from './engineMachine';
