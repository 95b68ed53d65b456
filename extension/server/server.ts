// The WAT language server (bundled to dist/server.js; the extension starts it over Node IPC).
// Diagnostics come from the engine's assembler (ParseError with its exact range) and then its
// validator (ValidationError mapped back to text through the assembler's source map); hover, go to
// definition, find references and document symbols from watAnalysis.ts. No `vscode` import here.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity, SymbolKind,
  MarkupKind, CompletionItemKind,
  type Connection, type InitializeResult, type Diagnostic, type DocumentSymbol, type Location,
  type CompletionItem,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyze, diagnose, diagnoseScript, definitionAt, referencesAt, documentSymbols, hoverAt, allInstructionNames, describeInstruction,
  type WatAnalysis, type DocSymbolKind,
} from './watAnalysis';

const SYMBOL_KINDS: Record<DocSymbolKind, SymbolKind> = {
  function: SymbolKind.Function, global: SymbolKind.Variable, type: SymbolKind.Interface, memory: SymbolKind.Array,
  table: SymbolKind.Array, export: SymbolKind.Key, elem: SymbolKind.Struct, data: SymbolKind.Struct,
};

const VALIDATE_DELAY_MS = 150;

/** Wires the WAT language features to a connection and starts listening on it. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; analysis: WatAnalysis }>();

  function analysisOf(doc: TextDocument): WatAnalysis {
    const c = cache.get(doc.uri);
    if (c && c.version === doc.version) return c.analysis;
    const analysis = analyze(doc.getText());
    cache.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  function validate(doc: TextDocument): void {
    const script = /\.wast$/i.test(doc.uri);
    const diagnostics: Diagnostic[] = (script ? diagnoseScript : diagnose)(doc.getText()).map(d => ({
      range: { start: doc.positionAt(d.start), end: doc.positionAt(d.end) },
      message: d.message,
      severity: DiagnosticSeverity.Error,
      source: d.kind === 'validation' ? 'wasm validator' : 'wat',
      code: d.kind,
    }));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: ['$', '.'] },
    },
    serverInfo: { name: 'wasm-rewind WAT language server' },
  }));

  // Validation runs after a short pause in typing (large files take tens of milliseconds).
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  documents.onDidChangeContent(e => {
    clearTimeout(pending.get(e.document.uri));
    pending.set(e.document.uri, setTimeout(() => {
      pending.delete(e.document.uri);
      const doc = documents.get(e.document.uri);
      if (doc) validate(doc);
    }, VALIDATE_DELAY_MS));
  });
  documents.onDidClose(e => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(p => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const h = hoverAt(analysisOf(doc), doc.offsetAt(p.position));
    if (!h) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: h.markdown },
      range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) },
    };
  });

  connection.onDefinition(p => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const def = definitionAt(analysisOf(doc), doc.offsetAt(p.position));
    if (!def) return null;
    return { uri: doc.uri, range: { start: doc.positionAt(def.nameStart), end: doc.positionAt(def.nameEnd) } };
  });

  connection.onReferences(p => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return referencesAt(analysisOf(doc), doc.offsetAt(p.position), p.context.includeDeclaration).map((r): Location => ({
      uri: doc.uri, range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end) },
    }));
  });

  connection.onDocumentSymbol(p => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return documentSymbols(analysisOf(doc)).map((s): DocumentSymbol => ({
      name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind],
      range: { start: doc.positionAt(s.start), end: doc.positionAt(s.end) },
      selectionRange: { start: doc.positionAt(s.selStart), end: doc.positionAt(s.selEnd) },
    }));
  });

  connection.onCompletion(p => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const offset = doc.offsetAt(p.position);
    const text = doc.getText();
    let s = offset;
    while (s > 0 && /[^\s()";]/.test(text[s - 1])) s--;
    const prefix = text.slice(s, offset);
    if (prefix.startsWith('$')) {
      const an = analysisOf(doc);
      const seen = new Set<string>();
      const items: CompletionItem[] = [];
      for (const d of an.defs) {
        if (d.name === null || seen.has(`${d.space}${d.name}`)) continue;
        // locals and labels only inside their own function
        if (d.scope && !(d.scope.start <= offset && offset <= d.scope.end)) continue;
        seen.add(`${d.space}${d.name}`);
        items.push({ label: d.name, kind: d.space === 'func' ? CompletionItemKind.Function : CompletionItemKind.Variable, detail: `${d.space}: ${d.detail}` });
      }
      return items;
    }
    return allInstructionNames().map((name): CompletionItem => ({
      label: name, kind: CompletionItemKind.Keyword, detail: describeInstruction(name),
    }));
  });

  documents.listen(connection);
  connection.listen();
}

// Run only as the program itself (bundled test files also contain this module).
if (require.main === module && /server\.js$/.test(process.argv[1] ?? '')) {
  startServer(createConnection(ProposedFeatures.all));
}
