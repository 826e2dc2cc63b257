/**
 * The options that describe the input file, for every command that reads a prediction file
 * (their relations, such as "needs --input", are declared in options.ts). Reading itself is in
 * input-reading.ts, loaded only when `--input` is given (it pulls in zlib, the file system and
 * worker threads, which other commands need not pay for at start-up).
 */
import type { OptionName } from './options.js';

/** How a file's text is laid out and its labels read, whatever is read from it. */
const LAYOUT_OPTIONS = [
  'inputHeader',
  'columns',
  'delimiter',
  'posLabel',
  'ignoreLabel',
  'skipInvalid',
  'labels',
  'weights',
  'scoreArray',
  'labelArray',
] as const satisfies readonly OptionName[];

/** The options that describe the input file, in help order. */
export const INPUT_OPTIONS = [
  'input',
  'scoreCol',
  'scoreKind',
  'labelCol',
  ...LAYOUT_OPTIONS,
] as const satisfies readonly OptionName[];

/**
 * The options of a file read for its labels only (`balance` and `bias-init --input`: counts
 * and the prior), in help order: no score column is read.
 */
export const LABEL_INPUT_OPTIONS = [
  'input',
  'labelCol',
  ...LAYOUT_OPTIONS,
  'weightCol',
] as const satisfies readonly OptionName[];

/** What `--input` reads (as options.ts says it), for the commands' own help of it. */
export const INPUT_FILE_HELP =
  'a prediction file: CSV, TSV or other delimited text, .npy (with --labels), .npz or Parquet, told by its first bytes (- for stdin; .gz read as such)';

/** `--input` where it is repeatable and takes globs (the commands with `manyInputs`). */
export const MANY_INPUTS_HELP = {
  description: `${INPUT_FILE_HELP}; repeatable, and a quoted glob ('shard-*.csv.gz') is expanded: the files are read as one`,
  defaultText: '',
};
