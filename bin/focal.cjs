#!/usr/bin/env node
// The executable: a pipe guard, then the bundled CLI (dist/bundle/, made by `npm run build`).
// CommonJS, like the bundle: Node starts a CommonJS program without its ES module loader.
'use strict';
const {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// process.stdout and process.stderr are made only when used: the CLI writes a file, /dev/null or
// a terminal with write(2) on the descriptor (src/cli/output.ts), and making the stream would
// load Node's net, tty and stream modules, up to 15% of a bare start on Node 24 (bench/README.md).
let stdoutStream;
function stdout() {
  if (stdoutStream === undefined) {
    stdoutStream = process.stdout;
    // When the reader of stdout goes away (`focal ... | head -1`), stop at once and quietly:
    // exit 0. Other write errors (a full disk) the CLI reports itself, as one line and exit 1.
    stdoutStream.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
  }
  return stdoutStream;
}
let stderrStream;
function stderr() {
  if (stderrStream === undefined) {
    stderrStream = process.stderr;
    // A stderr that cannot be written (`2>/dev/full`) loses its lines, not the run's exit code.
    stderrStream.on('error', () => {});
  }
  return stderrStream;
}

// Interrupted (Ctrl-C, kill, hang-up): stop as soon as what the reader has got ends with a
// whole row (the CLI writes rows in pieces a pipe takes whole or not at all, and yields often;
// until the CLI is loaded, at once), then die by the same signal, as Unix tools do: the shell
// sees 130, 143 or 129 in $?, and a script that ran focal stops at a Ctrl-C as it would for
// any command (www.cons.org/cracauer/sigint.html). Not process.exit(): on Node 24 it can wait
// forever for a V8 compile thread that waits for a collection (nodejs/node#54918; about one
// Ctrl-C in a hundred during a Parquet read, bench/README.md), where the kernel ends every
// thread at once. A second signal dies at once.
let stopping = false;
let interrupt = () => Promise.resolve();
function dieBy(signal, code) {
  process.removeAllListeners(signal); // the signal's own action again: the process ends
  process.kill(process.pid, signal);
  // Only if the signal did not end it (blocked, or its action not restored): exit with its code.
  setTimeout(() => process.exit(code), 500);
}
function onSignal(signal, code) {
  return () => {
    if (stopping) return dieBy(signal, code);
    stopping = true;
    interrupt().then(() => dieBy(signal, code));
  };
}
process.on('SIGINT', onSignal('SIGINT', 130));
process.on('SIGTERM', onSignal('SIGTERM', 143));
// A hang-up (the terminal closed) likewise. Installed last, and the only one of the three that
// Node does not catch itself: tests and bench/signals.mjs read it in /proc/PID/status (SigCgt)
// to know that focal's handlers are in place.
process.on('SIGHUP', onSignal('SIGHUP', 129));

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

/** The bundle's files loaded so far, by path: their exports and compiled scripts. */
const loaded = new Map();

/**
 * Loads a file of the bundle as require() would, with a V8 code cache when the running Node's
 * V8 accepts it (same version and flags; otherwise V8 compiles as usual). The build makes
 * `cli.cjs.cache` and the others for its own Node; another Node (22 and 24 where the build ran
 * on 20) gets its own, `cli.cjs.v8-VERSION.cache`, made after its first run (saveCodeCache).
 * The bundle's own require() of a file next to it (`./commander.cjs`, loaded only when needed)
 * comes back here, so that those files start from a cache too. `startCache`, where given, is a
 * cache the build made for this start alone, read in place of the build's general one.
 */
function load(file, startCache) {
  const done = loaded.get(file);
  if (done !== undefined) return done;
  const source = readFileSync(file, 'utf8');
  // The build's caches only under the V8 that made them, which the file's first line names
  // (scripts/bundle.mjs): V8 checks its version number, not its build, and another Node of the
  // same V8 version (20.16 on 20.20's caches) accepted them and crashed.
  const caches = source.startsWith(`// V8 ${process.versions.v8}:`)
    ? [ownCache(file), startCache, `${file}.cache`]
    : [ownCache(file)];
  let cachedData;
  for (const cache of caches) {
    // (existsSync first: a failed read makes an Error with its stack, ~0.3 ms of each start.)
    if (cache === undefined || !existsSync(cache)) continue;
    try {
      cachedData = readFileSync(cache);
      break;
    } catch {
      cachedData = undefined;
    }
  }
  // The file is its own CommonJS wrapper (scripts/bundle.mjs): compiled as it is, with no copy
  // of its text, it gives back the function that require() would call.
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  const entry = { module, script };
  loaded.set(file, entry);
  // The bundle requires Node's own modules, which this file's require() gives as well, and the
  // files next to it; anything else (none today) resolves from the bundle's folder.
  const requireHere = (id) => {
    if (/^\.\/[\w-]+\.cjs$/.test(id)) return load(join(dirname(file), id)).module.exports;
    if (id.startsWith('node:')) return require(id);
    return require('node:module').createRequire(file)(id);
  };
  script.runInThisContext()(module.exports, requireHere, module, file, dirname(file));
  return entry;
}

/** The code cache of the running V8, for a Node other than the build's. */
function ownCache(file) {
  // A cache is valid only for the V8 version and flags that made it: flags (NODE_OPTIONS,
  // node's own options) get a name of their own, so that runs with and without them do not
  // reject and rewrite each other's cache.
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.trim();
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < flags.length; i++) hash = Math.imul(hash ^ flags.charCodeAt(i), 0x01000193);
  const suffix = flags === '' ? '' : `-${(hash >>> 0).toString(16)}`;
  return `${file}.v8-${process.versions.v8}${suffix}.cache`;
}

/**
 * Where no cache fitted the running V8, writes one for it next to the bundle, inside the
 * package, once, like Python's __pycache__: the next starts skip compiling. Only where that
 * directory is writable (a global install owned by root stays as it is, and compiles each
 * time); written to a temporary file and renamed, so that a concurrent start never reads half
 * a cache. Nothing is written anywhere else, and any failure is ignored. The CLI's cache is
 * made after its warmUp() runs the commands the build's is made after (scripts/bundle.mjs),
 * their output discarded, so that it holds the same compiled functions as the build's; then
 * warmUpHelp() loads commander.cjs for help, whose cache is made with the other files'.
 */
async function saveCodeCache(file, cli) {
  const stale = ({ script }) => script.cachedDataRejected !== false;
  if (![...loaded.values()].some(stale)) return;
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return; // not writable: the next start compiles again
  }
  const entry = loaded.get(file);
  if (stale(entry)) {
    await cli.warmUp();
    writeCodeCache(file, entry.script);
    await cli.warmUpHelp();
  }
  for (const [path, other] of loaded)
    if (path !== file && stale(other)) writeCodeCache(path, other.script);
}

function writeCodeCache(file, script) {
  const target = ownCache(file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, target);
  } catch {
    // Full: the next start compiles again.
    rmSync(temporary, { force: true });
  }
}

const folder = join(__dirname, '../dist/bundle');
const bundle = `${folder}/cli.cjs`;

// A quick command (QUICK_STARTS in src/cli/main.ts) has a CLI file of its own, which declares
// that command alone (`cli-contribution.cjs`, scripts/bundle.mjs): its start reads, deserialises
// and runs no other command's code. The version and help, the whole program's, have caches of
// cli.cjs of their own (`cli.version.cjs.cache`): each deserialises what it runs.
const [, long, name] = /^(--)?([a-z][a-z-]*)$/.exec(process.argv[2] ?? '') ?? [];
const commandFile =
  name !== undefined && long === undefined ? `${folder}/cli-${name}.cjs` : undefined;
const file = commandFile !== undefined && existsSync(commandFile) ? commandFile : bundle;
const startCache = long !== undefined ? `${folder}/cli.${name}.cjs.cache` : undefined;
let cli;
try {
  cli = load(file, startCache).module.exports;
} catch (error) {
  if (error?.code !== 'ENOENT') throw error;
  stderr().write('focal: not built: run `npm run build` (npm ci runs it through prepare)\n');
  process.exit(1);
}
interrupt = cli.interrupt;
cli
  .main(process.argv.slice(2), {
    get stdout() {
      return stdout();
    },
    get stderr() {
      return stderr();
    },
    fds: { stdout: 1, stderr: 2 },
    stdin,
    env: process.env,
  })
  .then((code) => {
    process.exitCode = code;
    return saveCodeCache(file, cli);
  });
