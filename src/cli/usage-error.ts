/**
 * Bad usage or bad input: printed as one `focal: …` line on stderr, exit code 2, and nothing on
 * stdout (cli-contract.md, "Errors and exit codes").
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How a user's value is shown in a message: as typed, quoted when it would not read clearly. */
export function showValue(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) && text.length <= 60
    ? text
    : JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** A read that failed in the middle of an input (an I/O error): exit 1, one `focal:` line. */
export class ReadError extends Error {
  override readonly name = 'ReadError';
}
