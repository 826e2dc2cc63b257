/** What `--input` means for every command that reads a prediction file. */
import type { ColumnOptions, ReadSummary } from '../input/predictions.js';
import { type InputSource, openInput } from '../input/source.js';
import type { CommandContext } from './command.js';
import { longFlag, type OptionName, type ParsedOptions } from './options.js';
import { showProgress } from './progress.js';
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

/** Options that describe examples directly: an error with `--input`. */
export function excludeWithInput(names: readonly OptionName[], context: CommandContext): void {
  for (const name of names) {
    if (context.given.has(name)) {
      throw new UsageError(`--input and ${longFlag(name)} exclude each other (give one input)`);
    }
  }
}

export function columnOptions(o: ParsedOptions): ColumnOptions {
  return {
    scoreCol: o.scoreCol,
    scoreKind: o.scoreKind,
    labelCol: o.labelCol,
    weightCol: o.weightCol,
    ignoreLabels: o.ignoreLabel ? [...o.ignoreLabel] : [],
    skipInvalid: o.skipInvalid,
  };
}

/** Opens the input, with a progress bar while it is read when a terminal is free for one. */
export async function openPredictions(
  o: ParsedOptions,
  context: CommandContext,
): Promise<{ source: InputSource; done: () => void }> {
  const source = await openInput(o.input as string, context.stdin);
  const done = context.progress ? showProgress(source, context.progress) : () => {};
  return { source, done };
}

/** Notes on what was read: rows skipped on purpose or for being malformed, or none at all. */
export function noteSummary(summary: ReadSummary, source: string, context: CommandContext): void {
  if (summary.ignored > 0) {
    context.note(
      `skipped ${summary.ignored} row${plural(summary.ignored)} with an ignored label (--ignore-label)`,
    );
  }
  if (summary.invalid > 0) {
    context.note(
      `skipped ${summary.invalid} malformed row${plural(summary.invalid)} (--skip-invalid)`,
    );
  }
  if (summary.rows === 0) context.note(`${source} has no rows to analyse`);
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
