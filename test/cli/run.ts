/**
 * Running focal in tests. `run()` calls the CLI's `main(argv, io)` in this process, on the built
 * bundle (dist/bundle/cli.cjs, or a quick command's own cli-contribution.cjs as src/launch.ts
 * chooses: the code users run), with fake streams: stdout and stderr are
 * captured (a pipe unless a test asks for a terminal), stdin is the given text, and the
 * environment is the controlled one below. `runProcess()` runs the built executable
 * (bin/focal.cjs) as a user would, for what needs a real process: signals, pipes, terminals,
 * closed or full streams, memory. Both give the same Result. Build first: `npm run build`.
 *
 * The environment: no NO_COLOR, FORCE_COLOR or FOCAL_DEBUG unless a test sets them, and no
 * NODE_OPTIONS (jest's --experimental-vm-modules must not leak into a child).
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startFile } from '../../src/launch.js';

export const BIN = fileURLToPath(new URL('../../bin/focal.cjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = process.execPath;
const FOLDER = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));
const BUNDLE = `${FOLDER}cli.cjs`;

if (!existsSync(BUNDLE)) {
  throw new Error('dist/bundle/ is missing: run `npm run build` before the CLI tests');
}

export interface Result {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export interface RunOptions {
  /** Variables to set (a value of undefined removes the variable). */
  readonly env?: Record<string, string | undefined>;
  /** Text for standard input (default: empty). */
  readonly input?: string | Buffer;
  /**
   * In-process only: stdout and stderr are one terminal of this size (default 80 × 24), whose
   * text (stderr's lines included) comes back as stdout, as `script` gives it but without its
   * CRLF line ends. Default: stdout and stderr are pipes.
   */
  readonly terminal?: {
    readonly columns?: number;
    readonly rows?: number;
    /**
     * Whether stderr is that terminal too (default); false: a pipe whose lines still come in
     * stdout, in order, but that shows no progress bar (a bar depends on how long a read takes).
     */
    readonly stderr?: boolean;
  };
}

/** The child's environment: the parent's without the variables that change focal's output. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'FOCAL_DEBUG', 'NODE_OPTIONS']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * A process's status as a shell's `$?` gives it: its exit code, or 128 + the number of the
 * signal that ended it (focal dies by the signal it stopped for, as Unix tools do: 130 after
 * SIGINT, 143 after SIGTERM, 129 after SIGHUP).
 */
export function shellStatus(code: number | null, signal: NodeJS.Signals | null): number | null {
  return code ?? (signal === null ? null : 128 + osConstants.signals[signal]);
}

function spawn(file: string, args: readonly string[], options: RunOptions): Result {
  const result = spawnSync(file, args, {
    cwd: ROOT,
    env: cleanEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return {
    stdout: result.stdout,
    stderr: result.stderr,
    code: shellStatus(result.status, result.signal),
  };
}

/** The CLI's entry point and its I/O (src/cli/main.ts), as the bundle exports them. */
interface Io {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly flatMemory?: boolean;
}
interface Cli {
  main(argv: readonly string[], io: Io): Promise<number>;
}

/**
 * The bundle's CLI file that src/launch.ts runs for `args` (its own choice): a quick command's
 * own (`cli-contribution.cjs`, which declares that command alone), else cli.cjs.
 */
function bundleFor(args: readonly string[]): string {
  return FOLDER + startFile({ folder: FOLDER }, args, existsSync).name;
}

/**
 * A file of the bundle, loaded by Node's own require, outside jest's module sandbox: code in
 * jest's vm context runs the file readers two to three times slower than Node does (its typed
 * arrays and Buffers come from different realms). Node keeps it loaded for the test files that
 * follow in the same worker; its module state is what one long-running process would have.
 */
function loadBundle(file: string): Cli {
  const nodeModule = process.getBuiltinModule?.('node:module') as
    | typeof import('node:module')
    | undefined;
  const require = (nodeModule ?? { createRequire }).createRequire(import.meta.url);
  return require(file) as Cli;
}

/** A stream that keeps what is written to it. */
class Capture extends Writable {
  isTTY?: boolean;
  columns?: number;
  rows?: number;

  /** `chunks`: where the text goes (two streams may share it, as on one terminal). */
  constructor(readonly chunks: Buffer[] = []) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * `focal ARGS` in this process: `main(argv, io)` with stdout and stderr captured (pipes, or
 * terminals with `options.terminal`), the text of `options.input` on stdin, and the controlled
 * environment. Relative paths are read from the package root, as runProcess() runs there.
 */
export async function run(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  if (process.cwd() !== ROOT.replace(/\/$/, '')) process.chdir(ROOT);
  const cli = loadBundle(bundleFor(args));
  const stdout = new Capture();
  // On a terminal stderr is the same terminal: its lines come in stdout, in order, as `script`
  // gives them.
  const { terminal } = options;
  const stderr =
    terminal === undefined
      ? new Capture()
      : terminal.stderr === false
        ? new Capture(stdout.chunks)
        : stdout;
  if (terminal !== undefined) {
    stdout.isTTY = true;
    stdout.columns = terminal.columns ?? 80;
    stdout.rows = terminal.rows ?? 24;
  }
  const stdin = () => {
    const stream = new PassThrough();
    stream.end(options.input ?? '');
    return stream;
  };
  // flatMemory false: a long output must not shrink the jest worker's young generation for
  // every test that follows (it made them up to 3× slower).
  const io = { stdout, stderr, stdin, env: cleanEnv(options.env), flatMemory: false };
  const code = await cli.main([...args], io);
  return { stdout: stdout.text(), stderr: terminal === undefined ? stderr.text() : '', code };
}

/** `focal ARGS` as a process (node bin/focal.cjs), stdout and stderr captured through pipes. */
export function runProcess(args: readonly string[], options: RunOptions = {}): Result {
  return spawn(NODE, [BIN, ...args], options);
}

/** Single-quotes a word for a POSIX shell. */
export function sh(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** The shell command that runs focal: `'node' 'bin/focal.cjs' ARGS…`. */
export function focalCommand(args: readonly string[]): string {
  return [NODE, BIN, ...args].map(sh).join(' ');
}

/** A bash script (`bash -c`), for pipes and redirections. */
export function bash(script: string, options: RunOptions = {}): Result {
  return spawn('/bin/bash', ['-c', script], options);
}

/**
 * A shell command run on a real pseudo-terminal by util-linux `script`: the command's stdout is
 * a terminal. Its output comes back with CRLF line ends (the terminal's).
 */
export function onTerminal(command: string, options: RunOptions = {}): Result {
  return spawn('/usr/bin/script', ['-qec', command, '/dev/null'], options);
}

/** The lines of a text, without the final empty one after the last LF. */
export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** A csv text with no quoted fields (what focal writes for numbers) as header and rows. */
export function parseSimpleCsv(
  text: string,
  separator = ',',
): { header: string[]; rows: string[][] } {
  const [head = '', ...rest] = lines(text);
  return { header: head.split(separator), rows: rest.map((line) => line.split(separator)) };
}

/** One column of a simple csv, as numbers. */
export function column(text: string, name: string): number[] {
  const { header, rows } = parseSimpleCsv(text);
  const index = header.indexOf(name);
  if (index < 0) throw new Error(`no column ${name} in ${header.join(',')}`);
  return rows.map((row) => Number(row[index]));
}

/** The rows of a simple csv as objects of strings keyed by the header. */
export function records(text: string): Record<string, string>[] {
  const { header, rows } = parseSimpleCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

/** Relative error of `actual` against `expected` (absolute when expected is 0). */
export function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/** The spacing of doubles at x (x finite, nonzero, normal). */
export function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
}

/** ESC [ : the start of an ANSI escape sequence. */
export const ANSI = '\x1b[';

/**
 * The contract's usage error: exit 2, nothing on stdout, exactly one stderr line starting
 * `focal: ` and containing each of `mentions`, and no stack trace.
 */
export function usageErrorProblems(result: Result, mentions: readonly string[] = []): string[] {
  const problems: string[] = [];
  if (result.code !== 2) problems.push(`exit code ${result.code}, not 2`);
  if (result.stdout !== '') problems.push(`stdout is not empty: ${JSON.stringify(result.stdout)}`);
  const stderrLines = lines(result.stderr);
  if (stderrLines.length !== 1 || !result.stderr.endsWith('\n')) {
    problems.push(`stderr is not exactly one line: ${JSON.stringify(result.stderr)}`);
  }
  if (!result.stderr.startsWith('focal: ')) problems.push('stderr does not start with "focal: "');
  if (/^\s+at /m.test(result.stderr)) problems.push('stderr has a stack trace');
  for (const text of mentions) {
    if (!result.stderr.includes(text))
      problems.push(`stderr does not mention ${JSON.stringify(text)}`);
  }
  return problems;
}
