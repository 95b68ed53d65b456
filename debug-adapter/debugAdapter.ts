// Standalone debug adapter: DAP over stdin/stdout, or with --server=PORT over TCP on 127.0.0.1
// (one session per connection). Bundled to dist/debugAdapter.js.
import { createServer } from 'node:net';
import { WasmDebugSession } from './wasmDebugSession';

export { WasmDebugSession } from './wasmDebugSession';

function main(argv: string[]): void {
  const server = argv.map(a => /^--server=(\d+)$/.exec(a)).find(m => m !== null);
  if (server) {
    const port = Number(server[1]);
    createServer((socket) => {
      const session = new WasmDebugSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
    }).listen(port, '127.0.0.1', () => process.stderr.write(`wasm-rewind debug adapter listening on 127.0.0.1:${port}\n`));
    return;
  }
  const session = new WasmDebugSession({ exitOnShutdown: true });
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

// Run only as the program itself (bundled test files also contain this module).
if (require.main === module && /debugAdapter\.js$/.test(process.argv[1] ?? '')) main(process.argv.slice(2));
