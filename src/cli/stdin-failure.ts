import { UsageError } from '../errors.js';

/** What reading standard input for `flag` failed with, as a usage error naming the flag. */
export function stdinFailure(flag: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new UsageError(`${flag} -: standard input is a directory`);
  return new UsageError(`${flag} -: cannot read standard input: ${(error as Error).message}`);
}
