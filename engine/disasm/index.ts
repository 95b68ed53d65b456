// Disassembler and module printer: WAT text from a decoded module, driven by the opcode table and
// reading code only through InstrReader.
//
//   disassembleFunction(m, funcIndex): DisasmLine[]   one line per instruction { offset, depth, text }
//                                                     (the body's final `end` included; [] for imports)
//   printModule(m): string                            the whole module as WAT (flat instructions)
//   printModuleWithMap(m): { text, lines }            plus the 1-based line of every instruction offset
//   lineForOffset(lines, offset), functionAtOffset(m, offset)   lookups for the debugger
//
// Names come from the name section ($name; invalid characters become `_`; clashes fall back to the
// index). Floats print as the shortest decimal that reads back exactly, `-0`, `inf`, `nan:0x...`.
export { disassembleFunction, functionAtOffset, InstrFormatter, type DisasmLine } from './disassembler';
export { printModule, printModuleWithMap, lineForOffset, bytesString, nameString, type PrintedModule, type OffsetLine } from './printer';
export { formatF32, formatF64, formatI64 } from './floats';
export { isValidIdName, sanitizeName, moduleNames, ModuleNames } from './names';
