/**
 * The options that describe the input file, for every command that reads a prediction file
 * (their relations, such as "needs --input", are declared in options.ts). Reading itself is in
 * input-reading.ts, loaded only when `--input` is given (it pulls in zlib, the file system and
 * worker threads, which other commands need not pay for at start-up).
 */
import type { OptionName } from './options.js';

/** The options that describe the input file, in help order. */
export const INPUT_OPTIONS = [
  'input',
  'scoreCol',
  'scoreKind',
  'labelCol',
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
