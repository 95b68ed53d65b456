// Disassembler and module printer (WAT text from a decoded module).
export { disassembleFunction, functionAtOffset, InstrFormatter, type DisasmLine } from './disassembler';
export { printModule, printModuleWithMap, lineForOffset, bytesString, nameString, type PrintedModule, type OffsetLine } from './printer';
export { formatF32, formatF64, formatI64 } from './floats';
export { isValidIdName, sanitizeName, moduleNames, ModuleNames } from './names';
