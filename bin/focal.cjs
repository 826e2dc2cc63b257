#!/usr/bin/env node
// The executable: a pipe guard, then the bundled CLI (dist/bundle/, made by `npm run build`).
// CommonJS, like the bundle: Node starts a CommonJS program without its ES module loader.
'use strict';

// When the reader of stdout goes away (`focal … | head -1`), stop at once and quietly: exit 0.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`focal: cannot write output: ${error.message}\n`);
  process.exit(1);
});

let cli;
try {
  cli = require('../dist/bundle/cli.cjs');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('cli.cjs')) throw error;
  process.stderr.write('focal: not built: run `npm run build` (npm ci runs it through prepare)\n');
  process.exit(1);
}
cli
  .main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    env: process.env,
  })
  .then((code) => {
    process.exitCode = code;
  });
