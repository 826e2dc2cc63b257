/**
 * The process around the CLI: its signals, its standard streams, and the bundle's files loaded
 * with their V8 code caches. bin/focal.cjs compiles this file (dist/bundle/launch.cjs) from the
 * code cache the build made for it and calls launch(): the executable itself, which Node
 * compiles at every start, is then a few lines (issue 21: on Node 20, 1.0 million instructions
 * a start less, bench/README.md, "The executable's share").
 *
 * Not part of the library: it runs only inside the bundle, as bin/focal.cjs gives it.
 */
import type { Readable, Writable } from 'node:stream';
import type { Script } from 'node:vm';
import type * as Cli from './cli/main.js';

/** What bin/focal.cjs hands over. */
export interface Executable {
  /** The bundle's folder, ending with a slash. */
  readonly folder: string;
  /**
   * Node's options of this run (execArgv and NODE_OPTIONS): a code cache is valid only under the
   * flags that made it.
   */
  readonly flags: string;
  /** A file's bytes (the bin's reader, which spares the start Node's fs.readFileSync). */
  readonly readBytes: (file: string) => Uint8Array;
  /** This file, compiled: its code cache is written with the others' (saveCodeCache). */
  readonly script: Script;
}

type CliModule = typeof Cli;

interface Loaded {
  readonly module: { exports: unknown };
  readonly script: Script;
}

const fs = process.getBuiltinModule('node:fs');
const { Script: ScriptClass } = process.getBuiltinModule('node:vm');

// process.stdout and process.stderr are made only when used: the CLI writes a file, /dev/null,
// a terminal or (while it takes each piece at once) a pipe with write(2) (src/cli/output.ts),
// and making the stream would load Node's net, tty and stream modules, 3.5 ms of a 26 ms start
// on Node 20 (bench/README.md).
let stdoutStream: Writable | undefined;
function stdout(): Writable {
  if (stdoutStream === undefined) {
    stdoutStream = process.stdout;
    // When the reader of stdout goes away (`focal ... | head -1`), stop at once and quietly:
    // exit 0. Other write errors (a full disk) the CLI reports itself, as one line and exit 1.
    stdoutStream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
  }
  return stdoutStream;
}
let stderrStream: Writable | undefined;
function stderr(): Writable {
  if (stderrStream === undefined) {
    stderrStream = process.stderr;
    // A stderr that cannot be written (`2>/dev/full`) loses its lines, not the run's exit code.
    stderrStream.on('error', () => {});
  }
  return stderrStream;
}

/** Standard input, opened only when an option reads it; a directory or a closed one is refused. */
function stdin(): Readable {
  let stats: import('node:fs').Stats;
  try {
    stats = fs.fstatSync(0);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    throw Object.assign(new Error('standard input is closed'), { code });
  }
  if (stats.isDirectory()) {
    throw Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' });
  }
  return process.stdin;
}

// Interrupted (Ctrl-C, kill, hang-up): stop as soon as what the reader has got ends with a
// whole row (the CLI writes rows in pieces a pipe takes whole or not at all, and yields often;
// until the CLI is loaded, at once), then die by the same signal, as Unix tools do: the shell
// sees 130, 143 or 129 in $?, and a script that ran focal stops at a Ctrl-C as it would for
// any command (www.cons.org/cracauer/sigint.html). Not process.exit(): on Node 24 it can wait
// forever for a V8 compile thread that waits for a collection (nodejs/node#54918; about one
// Ctrl-C in a hundred during a Parquet read, bench/README.md), where the kernel ends every
// thread at once. A second signal dies at once. Until launch() installs these, a signal has
// its own action, which is the same: the process dies by it.
let stopping = false;
let interrupt = () => Promise.resolve();
function dieBy(signal: NodeJS.Signals, code: number): void {
  process.removeAllListeners(signal); // the signal's own action again: the process ends
  process.kill(process.pid, signal);
  // Only if the signal did not end it (blocked, or its action not restored): exit with its code.
  setTimeout(() => process.exit(code), 500);
}
function onSignal(signal: NodeJS.Signals, code: number): () => void {
  return () => {
    if (stopping) return dieBy(signal, code);
    stopping = true;
    interrupt().then(() => dieBy(signal, code));
  };
}

/** The bundle's files loaded so far, by name (`cli.cjs`): their exports and compiled scripts. */
const loaded = new Map<string, Loaded>();
/** Whether a file was compiled without a cache (none fitted the running V8): saveCodeCache. */
let compiled = false;

/**
 * Loads a file of the bundle (`cli.cjs`) as require() would, with a V8 code cache when the
 * running Node's V8 accepts it (same version and flags; otherwise V8 compiles as usual). The
 * build makes `cli.cjs.cache` and the others for its own Node; another Node (22 and 24 where the
 * build ran on 20) gets its own, `cli.cjs.v8-VERSION.cache`, made after its first run
 * (saveCodeCache). The bundle's own require() of a file next to it (`./commander.cjs`, loaded
 * only when needed) comes back here, so that those files start from a cache too. `startCache`,
 * where given, is a cache the build made for this start alone, read in place of the general one.
 */
function load(bin: Executable, name: string, startCache?: string): Loaded {
  const done = loaded.get(name);
  if (done !== undefined) return done;
  const file = bin.folder + name;
  const source = fs.readFileSync(file, 'utf8');
  // The build's caches only under the V8 that made them, which the file's first line names
  // (scripts/bundle.mjs): V8 checks its version number, not its build, and another Node of the
  // same V8 version (20.16 on 20.20's caches) accepted them and crashed. They are made without
  // options, under which V8 would reject them.
  const caches =
    bin.flags === '' && source.startsWith(`// V8 ${process.versions.v8}:`)
      ? [ownCache(bin, file), startCache, `${file}.cache`]
      : [ownCache(bin, file)];
  let cachedData: Uint8Array | undefined;
  for (const cache of caches) {
    // (existsSync first: a failed read makes an Error with its stack, ~0.3 ms of each start.)
    if (cache === undefined || !fs.existsSync(cache)) continue;
    try {
      cachedData = bin.readBytes(cache);
      break;
    } catch {
      cachedData = undefined;
    }
  }
  // The file is its own CommonJS wrapper (scripts/bundle.mjs): compiled as it is, with no copy
  // of its text, it gives back the function that require() would call.
  const script = new ScriptClass(source, { filename: file, cachedData });
  if (script.cachedDataRejected !== false) compiled = true;
  const entry: Loaded = { module: { exports: {} }, script };
  loaded.set(name, entry);
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body(entry.module.exports, (id: string) => requireHere(bin, id), entry.module, file, bin.folder);
  return entry;
}

/**
 * The bundle's require(): Node's modules (from process.getBuiltinModule, which spares a start
 * the compiling of require()'s own functions) and the files next to it (`./commander.cjs`);
 * anything else (none today) resolves from the bundle's folder.
 */
function requireHere(bin: Executable, id: string): unknown {
  if (id.startsWith('node:')) return process.getBuiltinModule(id);
  if (id.startsWith('./') && !id.includes('/', 2)) return load(bin, id.slice(2)).module.exports;
  return process.getBuiltinModule('node:module').createRequire(bin.folder)(id);
}

/** The code cache of the running V8 and flags, for a Node other than the build's. */
export function ownCache(bin: Pick<Executable, 'flags'>, file: string): string {
  // Flags (NODE_OPTIONS, node's own options) get a name of their own, so that runs with and
  // without them do not reject and rewrite each other's cache.
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < bin.flags.length; i++) {
    hash = Math.imul(hash ^ bin.flags.charCodeAt(i), 0x01000193);
  }
  const suffix = bin.flags === '' ? '' : `-${(hash >>> 0).toString(16)}`;
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
async function saveCodeCache(bin: Executable, name: string, cli: CliModule): Promise<void> {
  try {
    fs.accessSync(bin.folder, fs.constants.W_OK);
  } catch {
    return; // not writable: the next start compiles again
  }
  const stale = (script: Script) => script.cachedDataRejected !== false;
  const entry = loaded.get(name);
  if (entry !== undefined && stale(entry.script)) {
    await cli.warmUp();
    writeCodeCache(bin, bin.folder + name, entry.script);
    await cli.warmUpHelp();
  }
  for (const [other, { script }] of loaded) {
    if (other !== name && stale(script)) writeCodeCache(bin, bin.folder + other, script);
  }
}

function writeCodeCache(bin: Executable, file: string, script: Script): void {
  const target = ownCache(bin, file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, target);
  } catch {
    // Full: the next start compiles again.
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * The CLI file and cache a command line starts from. A quick command (QUICK_STARTS in
 * src/cli/main.ts) has a CLI file of its own, which declares that command alone
 * (`cli-contribution.cjs`, scripts/bundle.mjs): its start reads, deserialises and runs no other
 * command's code. The version and help, the whole program's, have caches of cli.cjs of their
 * own (`cli.version.cjs.cache`): each deserialises what it runs. A name is a word without a
 * slash, which keeps it in the folder (tested as a string: a regular expression compiles at
 * its first use).
 */
export function startFile(
  bin: Pick<Executable, 'folder'>,
  argv: readonly string[],
  exists: (file: string) => boolean,
): { readonly name: string; readonly startCache?: string } {
  const word = argv[0] ?? '';
  const long = word.startsWith('--');
  const named = word.length > (long ? 2 : 0) && !word.includes('/') && word[long ? 2 : 0] !== '-';
  if (named && long)
    return { name: 'cli.cjs', startCache: `${bin.folder}cli.${word.slice(2)}.cjs.cache` };
  const quick = `cli-${word}.cjs`;
  return { name: named && exists(bin.folder + quick) ? quick : 'cli.cjs' };
}

/** Runs the CLI in this process: bin/focal.cjs calls it once, with what it has. */
export function launch(bin: Executable): void {
  process.on('SIGINT', onSignal('SIGINT', 130));
  process.on('SIGTERM', onSignal('SIGTERM', 143));
  // A hang-up (the terminal closed) likewise. Installed last, and the only one of the three that
  // Node does not catch itself: tests and bench/signals.mjs read it in /proc/PID/status (SigCgt)
  // to know that focal's handlers are in place.
  process.on('SIGHUP', onSignal('SIGHUP', 129));
  // This file's cache is made with the others' where it was compiled: on another Node than
  // the build's. Not under options, where bin/focal.cjs reads none for it.
  if (bin.flags === '') {
    loaded.set('launch.cjs', { module: { exports: {} }, script: bin.script });
    if (bin.script.cachedDataRejected !== false) compiled = true;
  }
  const argv = process.argv.slice(2);
  const { name, startCache } = startFile(bin, argv, fs.existsSync);
  const cli = load(bin, name, startCache).module.exports as CliModule;
  interrupt = cli.interrupt;
  cli
    .main(argv, {
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
      if (compiled) return saveCodeCache(bin, name, cli);
    });
}
