#!/usr/bin/env node
// The executable: a pipe guard, then the bundled CLI (dist/bundle/, made by `npm run build`).
// CommonJS, like the bundle: Node starts a CommonJS program without its ES module loader.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// When the reader of stdout goes away (`focal … | head -1`), stop at once and quietly: exit 0.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`focal: cannot write output: ${error.message}\n`);
  process.exit(1);
});

// Interrupted (Ctrl-C, kill): exit at once with the shell's codes. Output is written a whole
// chunk of rows per (synchronous) write, and the CLI yields between chunks, so this runs
// between writes and never leaves a partial row.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/**
 * Loads the bundle as require() would, with the V8 code cache made at build time when this
 * Node accepts it (same V8 version and flags; otherwise V8 compiles as usual).
 */
function load(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    Module.createRequire(file),
    module,
    file,
    dirname(file),
  );
  return module.exports;
}

let cli;
try {
  cli = load(join(__dirname, '../dist/bundle/cli.cjs'));
} catch (error) {
  if (error?.code !== 'ENOENT') throw error;
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
