/**
 * `focal ARGS` run in-process through `main(argv, io)` with fake streams: the same stdout,
 * stderr and exit code as the binary gives on a pipe, without starting a process.
 */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface InProcessResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface InProcessOptions {
  /** Text for standard input (default: empty). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function focal(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await main(args, {
    stdout,
    stderr,
    stdin: () => Readable.from(options.input === undefined ? [] : [options.input]),
    env: options.env ?? {},
  });
  // Let the streams hand over what was written.
  await new Promise((resolve) => setImmediate(resolve));
  return { stdout: out, stderr: err, code };
}
