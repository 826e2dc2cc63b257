#!/usr/bin/env node
// The executable: a pipe guard, then the bundled CLI (dist/bundle/, made by `npm run build`).
// CommonJS, like the bundle: Node starts a CommonJS program without its ES module loader.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// When the reader of stdout goes away (`focal … | head -1`), stop at once and quietly: exit 0.
// Other write errors (a full disk) the CLI reports itself, as one line and exit 1.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
});
// A stderr that cannot be written (`2>/dev/full`) loses its lines, not the run's exit code.
process.stderr.on('error', () => {});

// Interrupted (Ctrl-C, kill): exit with the shell's codes, 130 and 143. Until the CLI is loaded
// at once; then as soon as what the reader has got ends with a whole row (the CLI writes rows
// in pieces a pipe takes whole or not at all, and yields often). A second signal exits at once.
let stopping = false;
let interrupt = () => Promise.resolve();
function onSignal(code) {
  return () => {
    if (stopping) process.exit(code);
    stopping = true;
    interrupt().then(() => process.exit(code));
  };
}
process.on('SIGINT', onSignal(130));
process.on('SIGTERM', onSignal(143));

/** Standard input, opened only when an option reads it; a directory or a closed one is refused. */
function stdin() {
  const { fstatSync } = require('node:fs');
  let stats;
  try {
    stats = fstatSync(0);
  } catch (error) {
    throw Object.assign(new Error('standard input is closed'), { code: error.code });
  }
  if (stats.isDirectory()) {
    throw Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' });
  }
  return process.stdin;
}

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
interrupt = cli.interrupt;
cli
  .main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin,
    env: process.env,
  })
  .then((code) => {
    process.exitCode = code;
  });
