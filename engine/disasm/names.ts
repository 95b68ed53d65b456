// Symbolic names for the disassembler and module printer, taken from the module's name section.
// A name that is a valid WAT identifier is printed as `$name`; one with characters identifiers
// cannot hold (spaces, parentheses, non-ASCII: demangled C++ names, say) is printed with each such
// character replaced by `_`. Every id is unique in its index space (valid names first, then in
// index order); a name that would clash is dropped and the numeric index printed instead, so the
// text always assembles back to the same indices.

import type { Module } from '../core/module';

/** Characters allowed in a WAT identifier after `$` (printable ASCII minus space and `"'(),;[]{}`). */
const IDCHAR = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) IDCHAR[c] = 1;
for (const ch of '"\'(),;[]{}') IDCHAR[ch.charCodeAt(0)] = 0;

export function isValidIdName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || !IDCHAR[c]) return false;
  }
  return true;
}

/** A name with every character that cannot appear in an identifier replaced by `_` ('' for ''). */
export function sanitizeName(name: string): string {
  let s = '';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    s += c < 128 && IDCHAR[c] ? ch : '_';
  }
  return s;
}

/** An index space's printable ids: `ids[i]` is `$name` or undefined (print the index). */
function idTable(names: Map<number, string> | undefined, count: number): (string | undefined)[] {
  const ids: (string | undefined)[] = [];
  if (!names || names.size === 0) return ids;
  const taken = new Set<string>();
  const sorted = [...names.keys()].filter(i => i < count).sort((a, b) => a - b);
  for (const i of sorted) {
    const n = names.get(i)!;
    if (!isValidIdName(n) || taken.has(n)) continue;
    taken.add(n);
    ids[i] = '$' + n;
  }
  for (const i of sorted) {
    const n = names.get(i)!;
    if (isValidIdName(n)) continue;
    const s = sanitizeName(n);
    if (s === '' || taken.has(s)) continue;
    taken.add(s);
    ids[i] = '$' + s;
  }
  return ids;
}

export class ModuleNames {
  readonly func: (string | undefined)[];
  readonly global: (string | undefined)[];
  readonly table: (string | undefined)[];
  readonly memory: (string | undefined)[];
  readonly type: (string | undefined)[];
  readonly elem: (string | undefined)[];
  readonly data: (string | undefined)[];
  readonly module: string | undefined;
  private readonly locals = new Map<number, (string | undefined)[]>();
  private readonly labels = new Map<number, (string | undefined)[]>();

  constructor(readonly m: Module) {
    const n = m.names;
    this.func = idTable(n.funcNames, m.funcTypeIndices.length);
    this.global = idTable(n.globalNames, m.allGlobals.length);
    this.table = idTable(n.tableNames, m.allTables.length);
    this.memory = idTable(n.memoryNames, m.allMemories.length);
    this.type = idTable(n.typeNames, m.types.length);
    this.elem = idTable(n.elemNames, m.elems.length);
    this.data = idTable(n.dataNames, m.datas.length);
    this.module = n.moduleName ? '$' + sanitizeName(n.moduleName) : undefined;
  }

  /** Ids of a function's locals (parameters first). */
  localIds(funcIndex: number, count: number): (string | undefined)[] {
    let ids = this.locals.get(funcIndex);
    if (!ids) {
      ids = idTable(this.m.names.localNames.get(funcIndex), count);
      this.locals.set(funcIndex, ids);
    }
    return ids;
  }

  /** Names of a function's labels, by label number (order of block/loop/if in the body). Not
   *  deduplicated: shadowing is resolved where a branch is printed. */
  labelNames(funcIndex: number): (string | undefined)[] {
    let ids = this.labels.get(funcIndex);
    if (!ids) {
      ids = [];
      const map = this.m.names.labelNames.get(funcIndex);
      if (map) for (const [i, n] of map) if (n !== '') ids[i] = '$' + sanitizeName(n);
      this.labels.set(funcIndex, ids);
    }
    return ids;
  }
}

const cache = new WeakMap<Module, ModuleNames>();
export function moduleNames(m: Module): ModuleNames {
  let n = cache.get(m);
  if (!n) {
    n = new ModuleNames(m);
    cache.set(m, n);
  }
  return n;
}

/** `$name` or the index as text. */
export function ref(ids: (string | undefined)[], i: number): string {
  return ids[i] ?? String(i);
}
/** For a definition: `$name` or an index comment `(;i;)`. */
export function defId(ids: (string | undefined)[], i: number): string {
  return ids[i] ?? `(;${i};)`;
}
