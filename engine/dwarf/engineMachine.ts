// A DwarfMachine over a frame of the engine's paused Machine: locals, operand stack, the instance's
// globals and memory 0, as raw bits.

import { ValType } from '../core/types';
import type { FrameInfo, Machine } from '../runtime/store';
import type { WasmValue } from '../runtime/values';
import type { DwarfMachine } from './expr';

function bits(v: WasmValue | undefined): bigint | null {
  if (!v) return null;
  switch (v.type) {
    case ValType.I32: case ValType.F32: return BigInt(v.bits >>> 0);
    case ValType.I64: case ValType.F64: return BigInt.asUintN(64, v.bits);
    default: return null;
  }
}

/** DWARF view of `frame` (one of machine.frameList()); `innermost` selects how the operand stack is read. */
export function machineView(machine: Machine, frame: FrameInfo, innermost = true): DwarfMachine {
  let locals: WasmValue[] | null = null;
  let operands: WasmValue[] | null = null;
  const inst = frame.instance;
  return {
    local: (i) => bits((locals ??= machine.locals(frame))[i]),
    operand: (i) => bits((operands ??= machine.operands(frame, innermost))[i]),
    global: (i) => bits(inst?.globals[i]?.get()),
    readMemory: (addr, len) => {
      const mem = inst?.mem0;
      if (!mem || addr < 0 || len < 0 || addr + len > mem.u8.length) return null;
      return mem.u8.slice(addr, addr + len);
    },
  };
}
