/**
 * Which options go with `--input`, for every command that reads a prediction file. Reading
 * itself is in input-reading.ts, loaded only when `--input` is given (it pulls in zlib, the
 * file system and worker threads, which other commands need not pay for at start-up).
 */
import type { CommandContext } from './command.js';
import { longFlag, type OptionName } from './options.js';
import { UsageError } from './usage-error.js';

/** The options that describe the input file, in help order. */
export const INPUT_OPTIONS = [
  'input',
  'scoreCol',
  'scoreKind',
  'labelCol',
  'ignoreLabel',
  'skipInvalid',
] as const satisfies readonly OptionName[];

/** Options that mean something only with `--input`: an error without it. */
export function requireInputFor(names: readonly OptionName[], context: CommandContext): void {
  for (const name of names) {
    if (name !== 'input' && context.given.has(name)) {
      throw new UsageError(`${longFlag(name)} needs --input`);
    }
  }
}

/** Any of `names` typed by the user is an error: `--flag` followed by `why`. */
export function refuseGiven(
  names: readonly OptionName[],
  why: string,
  context: CommandContext,
): void {
  for (const name of names) {
    if (context.given.has(name)) throw new UsageError(`${longFlag(name)} ${why}`);
  }
}

/** Options the user typed that do not change this command's numbers: a note for each. */
export function noteGiven(
  names: readonly OptionName[],
  why: string,
  context: CommandContext,
): void {
  for (const name of names) {
    if (context.given.has(name)) context.note(`${longFlag(name)} ${why}`);
  }
}

/** Options that describe examples directly: an error with `--input`. */
export function excludeWithInput(names: readonly OptionName[], context: CommandContext): void {
  for (const name of names) {
    if (context.given.has(name)) {
      throw new UsageError(`--input and ${longFlag(name)} exclude each other (give one input)`);
    }
  }
}
