// Oracle for test/engine/dwarf.test.ts: runs llvm-dwarfdump on a fixture and prints, as JSON, the
// line-table rows of the fixture's own source file and its subprograms / inlined subroutines /
// variables (name, DWARF address ranges, type name as llvm-dwarfdump shows it).
//   node scripts/dwarfdump-expect.mjs llvm-dwarfdump vars.O0.wasm > vars.O0.expect.json
import { execFileSync } from 'node:child_process';

const [dump, wasm] = process.argv.slice(2);
const base = wasm.replace(/\.O\d.*$/, '');
const run = (args) => execFileSync(dump, [...args, wasm], { encoding: 'utf8', maxBuffer: 1 << 30 });
const SRC = { vars: 'vars.c', classes: 'classes.cpp', rusty: 'rusty.rs' }[base.split('/').pop()];
const isOurs = (name) => name.split('/').pop() === SRC;
const isOurUnit = (name) => isOurs(name) || name.startsWith(`${SRC}/@/`); // rustc: "rusty.rs/@/rusty.<hash>-cgu.N"

// ---- line table: rows whose file is the fixture source
const rows = [];
let fileNames = new Map(), cur = null;
let lastName = null;
for (const line of run(['--debug-line']).split('\n')) {
  let m;
  if (line.startsWith('debug_line[')) { fileNames = new Map(); continue; }
  if ((m = /^file_names\[\s*(\d+)\]:/.exec(line))) { cur = Number(m[1]); continue; }
  if (cur !== null && (m = /^\s+name: "(.*)"/.exec(line))) { fileNames.set(cur, m[1]); lastName = m[1]; cur = null; continue; }
  if ((m = /^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s*(.*)$/.exec(line))) {
    const file = fileNames.get(Number(m[4])) ?? '';
    if (!isOurs(file)) continue;
    const flags = m[5].trim().split(/\s+/);
    rows.push({ address: parseInt(m[1], 16), line: Number(m[2]), column: Number(m[3]), isStmt: flags.includes('is_stmt'), end: flags.includes('end_sequence') });
  }
}
void lastName;

// ---- DIEs of the fixture's compile unit
const dies = [];
let inOurs = false, die = null;
const flush = () => { if (die && inOurs) dies.push(die); die = null; };
for (const line of run(['--debug-info']).split('\n')) {
  let m;
  if ((m = /^0x([0-9a-f]+):(\s+)(DW_TAG_\w+)/.exec(line))) {
    flush();
    const tag = m[3];
    die = { tag, depth: (m[2].length - 1) / 2, attrs: {} };
    if (tag === 'DW_TAG_compile_unit') inOurs = false;
    continue;
  }
  if (die && (m = /^\s+(DW_AT_\w+)\s+\((.*)\)$/.exec(line))) {
    die.attrs[m[1]] = m[2];
    if (die.tag === 'DW_TAG_compile_unit' && m[1] === 'DW_AT_name') inOurs = isOurUnit(m[2].replace(/^"|"$/g, ''));
  }
}
flush();
const str = (v) => (v === undefined ? undefined : (/"(.*)"$/.exec(v)?.[1] ?? v));
const num = (v) => (v === undefined ? undefined : parseInt(v, 16));
const functions = [], inlined = [], variables = [];
for (const d of dies) {
  const a = d.attrs;
  if (a.DW_AT_decl_file && !isOurs(str(a.DW_AT_decl_file))) continue; // std code inlined into the Rust unit
  if (d.tag === 'DW_TAG_subprogram' && a.DW_AT_low_pc && num(a.DW_AT_low_pc) > 0) {
    functions.push({ name: str(a.DW_AT_name) ?? str(a.DW_AT_specification) ?? str(a.DW_AT_abstract_origin), low: num(a.DW_AT_low_pc), high: num(a.DW_AT_high_pc) });
  } else if (d.tag === 'DW_TAG_inlined_subroutine') {
    inlined.push({ name: str(a.DW_AT_abstract_origin), low: num(a.DW_AT_low_pc), high: num(a.DW_AT_high_pc), callLine: Number(a.DW_AT_call_line ?? 0) });
  } else if ((d.tag === 'DW_TAG_variable' || d.tag === 'DW_TAG_formal_parameter') && a.DW_AT_name && a.DW_AT_type) {
    variables.push({ name: str(a.DW_AT_name), type: str(a.DW_AT_type) });
  }
}
process.stdout.write(JSON.stringify({ tool: run(['--version']).split('\n').find((l) => /version/i.test(l))?.trim(), rows, functions, inlined, variables }, null, 0) + '\n');
