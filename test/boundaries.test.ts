// Import-boundary check: the layers of the repository may only depend downwards.
//  - engine/ never imports `vscode` or `@vscode/*`, and outside engine/node/ no Node built-in
//    (`node:*` or a bare name such as `fs`, `path`), so the engine runs in a browser;
//  - engine/ outside engine/node/ does not reach into engine/node/, and engine/ never reaches into
//    debug-adapter/ or extension/; debug-adapter/ never reaches into extension/;
//  - only extension/ imports `vscode`, and not its language server (extension/server/).
// Specifiers are found with regular expressions over the TypeScript sources after removing comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { builtinModules } from 'node:module';

export interface ImportRef { specifier: string; line: number }
export interface Violation { file: string; line: number; specifier: string; rule: string }

/** Replaces comments by spaces (keeping newlines, so positions and line numbers stay valid). */
export function stripComments(src: string): string {
  const out: string[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      while (i < n && src[i] !== '\n') { out.push(' '); i++; }
    } else if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) out.push(src[i] === '\n' ? '\n' : ' ');
    } else if (c === '\'' || c === '"' || c === '`') {
      // Copy a string or template literal verbatim (a `//` inside it is not a comment).
      out.push(c);
      i++;
      while (i < n && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < n) { out.push(src[i]); i++; }
        else if (c !== '`' && src[i] === '\n') break; // unterminated: stop at end of line
        out.push(src[i]);
        i++;
      }
      if (i < n) { out.push(src[i]); i++; }
    } else {
      out.push(c);
      i++;
    }
  }
  return out.join('');
}

const SPECIFIER_PATTERNS: RegExp[] = [
  // import x from '...';  import { a, b } from '...';  import type { T } from '...';  import * as m from '...'
  /\bimport\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // import '...';  (side effects only)
  /\bimport\s*(['"])([^'"\n]+)\1/g,
  // import('...')  (dynamic) and import x = require('...')
  /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  // export * from '...';  export * as ns from '...';  export { a } from '...';  export type { T } from '...'
  /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\1/g,
];

/** Every module specifier a TypeScript source imports, re-exports or requires, with its 1-based line. */
export function importSpecifiers(source: string): ImportRef[] {
  const text = stripComments(source);
  const found = new Map<number, ImportRef>();
  for (const re of SPECIFIER_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const at = m.index + m[0].lastIndexOf(m[2]);
      if (!found.has(at)) found.set(at, { specifier: m[2], line: lineOf(text, at) });
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const NODE_BUILTINS = new Set(builtinModules.filter(m => !m.startsWith('_')));

export function isNodeBuiltin(spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  return NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]);
}

function isVscode(spec: string): boolean {
  return spec === 'vscode' || spec.startsWith('vscode/');
}

function isAtVscode(spec: string): boolean {
  return spec.startsWith('@vscode/');
}

function under(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + '/');
}

/**
 * The rules, for one file given by its repository-relative POSIX path and its source text.
 * Relative specifiers are resolved against the file's folder to see which layer they reach.
 */
export function checkFile(file: string, source: string): Violation[] {
  const violations: Violation[] = [];
  const inEngine = under(file, 'engine');
  const inEngineNode = under(file, 'engine/node');
  for (const { specifier, line } of importSpecifiers(source)) {
    const flag = (rule: string) => violations.push({ file, line, specifier, rule });
    const target = specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), specifier)) : null;
    if (isVscode(specifier) && !under(file, 'extension')) flag('only extension/ may import vscode');
    if (isVscode(specifier) && under(file, 'extension/server')) flag('the language server must not import vscode');
    if (inEngine && isAtVscode(specifier)) flag('engine/ must not import @vscode/*');
    if (inEngine && !inEngineNode && isNodeBuiltin(specifier)) {
      flag('engine/ must not import Node built-ins outside engine/node/');
    }
    if (target !== null) {
      if (inEngine && !inEngineNode && under(target, 'engine/node')) flag('engine/ must not reach into engine/node/');
      if (inEngine && !under(target, 'engine')) flag('engine/ must not import from outside engine/');
      if (under(file, 'debug-adapter') && under(target, 'extension')) flag('debug-adapter/ must not import from extension/');
    }
  }
  return violations;
}

const LAYER_DIRS = ['engine', 'debug-adapter', 'extension', 'test', 'scripts'];

function sourceFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  const abs = join(root, dir);
  if (!existsSync(abs)) return files;
  for (const name of readdirSync(abs)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const rel = dir + '/' + name;
    if (statSync(join(root, rel)).isDirectory()) files.push(...sourceFiles(root, rel));
    else if (/\.(ts|mts|cts|tsx)$/.test(name) && !name.endsWith('.d.ts')) files.push(rel);
  }
  return files;
}

/** The repository root (this file runs as out/test/boundaries.test.js). */
const ROOT = join(__dirname, '..', '..');

test('no file crosses a layer boundary', () => {
  // This file is left out: its self-checks hold violating imports inside string literals.
  const files = LAYER_DIRS.flatMap(r => sourceFiles(ROOT, r)).filter(f => f !== 'test/boundaries.test.ts');
  assert.ok(files.some(f => under(f, 'engine')), 'expected engine sources under ' + ROOT);
  const violations = files.flatMap(f => checkFile(f, readFileSync(join(ROOT, f), 'utf8')));
  const report = violations.map(v => `${v.file}:${v.line}: '${v.specifier}': ${v.rule}`).join('\n');
  assert.equal(violations.length, 0, 'import-boundary violations:\n' + report);
});

test('the checker finds every form of import', () => {
  const src = [
    "import a from 'm1';",
    "import { b,",
    "  c } from \"m2\";",
    "import type { T } from 'm3';",
    "import * as ns from 'm4';",
    "import 'm5';",
    "const d = await import('m6');",
    "const e = require('m7');",
    "import f = require('m8');",
    "export * from 'm9';",
    "export { g } from 'm10';",
    "export * as h from 'm11';",
    "export type { U } from 'm12';",
    "// import x from 'commented1';",
    "/* require('commented2') */",
    "const s = 'http://example/'; import z from 'm13';",
  ].join('\n');
  const refs = importSpecifiers(src);
  assert.deepEqual(refs.map(r => r.specifier), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12', 'm13']);
  assert.equal(refs[1].line, 3);
  assert.equal(refs[12].line, 16);
});

test('the checker catches violations (negative self-check)', () => {
  const bad = [
    "import * as vscode from 'vscode';",
    "import { DebugSession } from '@vscode/debugadapter';",
    "import { readFileSync } from 'node:fs';",
    "const path = require('path');",
    "export * from 'fs/promises';",
    "import { host } from '../node/fileHost';",
    "import { x } from '../../extension/extension';",
  ].join('\n');
  const v = checkFile('engine/runtime/fake.ts', bad);
  const rules = v.map(x => `${x.line} ${x.specifier}: ${x.rule}`);
  assert.deepEqual(rules, [
    "1 vscode: only extension/ may import vscode",
    "2 @vscode/debugadapter: engine/ must not import @vscode/*",
    "3 node:fs: engine/ must not import Node built-ins outside engine/node/",
    "4 path: engine/ must not import Node built-ins outside engine/node/",
    "5 fs/promises: engine/ must not import Node built-ins outside engine/node/",
    "6 ../node/fileHost: engine/ must not reach into engine/node/",
    "7 ../../extension/extension: engine/ must not import from outside engine/",
  ]);
  assert.equal(checkFile('debug-adapter/session.ts', "import * as vscode from 'vscode';").length, 1);
  assert.equal(checkFile('extension/server/server.ts', "import * as vscode from 'vscode';").length, 1);
  assert.equal(checkFile('debug-adapter/session.ts', "import { x } from '../extension/extension';").length, 1);
});

test('the checker allows what the layers may use', () => {
  assert.deepEqual(checkFile('engine/node/fileHost.ts', "import { readFileSync } from 'node:fs';\nimport * as path from 'path';"), []);
  assert.deepEqual(checkFile('engine/runtime/store.ts', "import { Module } from '../core/module';"), []);
  assert.deepEqual(checkFile('extension/extension.ts', "import * as vscode from 'vscode';"), []);
  assert.deepEqual(checkFile('debug-adapter/session.ts', "import { DebugSession } from '@vscode/debugadapter';\nimport * as fs from 'node:fs';"), []);
  assert.deepEqual(checkFile('engine/core/doc.ts', "// import * as fs from 'fs';\n/* const v = require('vscode'); */\nconst url = 'a//b';"), []);
});
