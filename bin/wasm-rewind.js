#!/usr/bin/env node
'use strict';
// Thin launcher for the bundled CLI (built by `npm run build`).
const { main } = require('../dist/cli.js');
process.exitCode = main(process.argv.slice(2), {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
});
