/**
 * `contribution --input A --input 'shard-*.csv.gz'`: many prediction files read as one input.
 * The patterns are expanded (input/glob.ts), the files tallied, in parallel when they are large
 * enough (input/many-files.ts), and the tallies merged in the order given, so the result is
 * that of one read over the files concatenated.
 */
import { stat } from 'node:fs/promises';
import { LossHistogram } from '../core/loss-histogram.js';
import { LossTally } from '../core/tally.js';
import { InputError, renderMessage, showValue, UsageError } from '../errors.js';
import { type Row, type RowSet, rowBatches } from '../format/formats.js';
import { expandGlob, isGlob } from '../input/glob.js';
import { revive, type SentError, tallyFiles } from '../input/many-files.js';
import type { ReadSummary } from '../input/predictions.js';
import type { CommandContext } from './command.js';
import { columnOptions, type InputOptions, noteSummary } from './input-reading.js';
import type { Options } from './options.js';
import { flagOf } from './setting-flag.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The files of the `--input` values, in order: each glob's matches sorted, as the shell does. */
export async function inputFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    // A file whose name has glob characters (`run[1].csv`) is that file, not a pattern.
    if (input === '-' || !isGlob(input) || (await exists(input))) {
      files.push(input);
      continue;
    }
    const matched = await expandGlob(input);
    if (matched.length === 0) {
      throw new UsageError(`--input: no file matches ${showValue(input)}`);
    }
    files.push(...matched);
  }
  return files;
}

/** --labels and --weights pair their values with one .npy file: refused with many. */
export function onePair(o: InputOptions, files: number): void {
  for (const name of ['labels', 'weights'] as const) {
    if (o[name] !== undefined) {
      throw new UsageError(
        `${flagOf(name)}: pairs its values with one .npy --input, and ${files} files were given`,
      );
    }
  }
}

/** The name of a file in notes and errors. */
const nameOf = (path: string) => (path === '-' ? 'stdin' : path);

/** Reads every file and merges their tallies in order, as tallyFile does for one file. */
export async function tallyManyFiles(
  o: InputOptions & Options<'gamma'>,
  paths: readonly string[],
  context: CommandContext,
  cdf: boolean,
) {
  onePair(o, paths.length);
  const gammas = [...new Set(o.gamma)];
  const options = columnOptions(o);
  const tally = new LossTally(gammas);
  const histogram = cdf ? new LossHistogram(gammas) : undefined;
  const read: { path: string; summary: ReadSummary }[] = [];
  const failed: SentError[] = [];
  // In file order: each tally merged as soon as those before it are.
  await tallyFiles(paths, { options, gammas, cdf }, context.stdin, o.skipInvalid, (i, result) => {
    if (!result.ok) failed.push(result.error);
    else if (failed.length === 0 || o.skipInvalid) {
      tally.merge(result.tally);
      if (result.histogram) histogram?.merge(result.histogram);
      read.push({ path: paths[i] as string, summary: result.summary });
    }
  });
  if (failed.length > 0 && !o.skipInvalid) throw revive(failed[0] as SentError);
  const summary = noteFiles(read, failed, paths.length, context);
  return {
    tally,
    histogram,
    summary,
    gammaIndex: (gamma: number) => gammas.indexOf(gamma),
  };
}

/**
 * The summary of the files read (in order), with the notes of one read in their form: rows
 * skipped on purpose or malformed (one note, the first named by its file and line), files
 * that could not be read (--skip-invalid), none at all.
 * @throws the first failure when no file could be read.
 */
export function noteFiles(
  read: readonly { path: string; summary: ReadSummary }[],
  failed: readonly SentError[],
  count: number,
  context: CommandContext,
): ReadSummary {
  const [head] = read;
  if (head === undefined) throw revive(failed[0] as SentError); // every file failed
  let summary: ReadSummary = head.summary;
  for (const { summary: s } of read.slice(1)) {
    summary = {
      ...summary,
      rows: summary.rows + s.rows,
      ignored: summary.ignored + s.ignored,
      invalid: summary.invalid + s.invalid,
    };
  }
  const first = read.find((r) => r.summary.invalid > 0);
  const notes = new Set(
    read.flatMap((r) => (r.summary.notes ?? []).map((n) => renderMessage(n, flagOf))),
  );
  noteSummary(
    { ...summary, rows: 1, firstInvalid: first?.summary.firstInvalid, notes: [] },
    first === undefined ? '' : nameOf(first.path),
    context,
  );
  for (const note of notes) context.note(note);
  if (failed.length > 0) {
    context.note(
      `skipped ${failed.length} file${failed.length === 1 ? '' : 's'} that could not be read (--skip-invalid); the first: ${renderMessage((failed[0] as SentError).parts, flagOf)}`,
    );
  }
  if (summary.rows === 0) context.note(`the ${count} input files have no rows to analyse`);
  return { ...summary, firstInvalid: first?.summary.firstInvalid };
}

export { sendError } from '../input/many-files.js';

/**
 * The files to read for a command reading one input: `[path]` for one plain name, else every
 * `--input` value with its globs expanded (`loss --input A --input 'b-*.csv'`).
 */
export async function manyPaths(
  o: InputOptions,
  path: string,
  context: CommandContext,
): Promise<string[]> {
  const inputs = context.inputs ?? [path];
  if (inputs.length === 1 && !isGlob(path)) return [path];
  const paths = await inputFiles(inputs);
  if (paths.length > 1) onePair(o, paths.length);
  return paths;
}

/**
 * Rows of many files, read one after the other, as the files concatenated give them: each
 * file's rows (from `one`, the reader of one file) in file order. Every file must give the
 * same columns as the first (`focal: FILE: …` otherwise). With `--line-numbers`, a column
 * `file` before `line` says which file a line is in (as awk's FILENAME and FNR).
 */
export async function chainedRows(
  paths: readonly string[],
  lineNumbers: boolean,
  one: (path: string) => Promise<RowSet>,
): Promise<RowSet> {
  const first = await one(paths[0] as string);
  const names = first.columns.map((c) => c.name).join(',');
  const labelled = lineNumbers && first.columns.at(-1)?.name === 'line';
  const columns = labelled
    ? [
        ...first.columns.slice(0, -1),
        { name: 'file', kind: 'text' } as const,
        ...first.columns.slice(-1),
      ]
    : first.columns;
  async function* rows(): AsyncGenerator<Iterable<Row>> {
    for (const [i, path] of paths.entries()) {
      const set = i === 0 ? first : await one(path);
      const these = set.columns.map((c) => c.name).join(',');
      if (these !== names) {
        for await (const _ of rowBatches(set.rows)) break; // closes the file
        throw new InputError([
          `${nameOf(path)}: its columns (${these}) differ from those of ${nameOf(paths[0] as string)} (${names}): many --input files are read as one`,
        ]);
      }
      const name = nameOf(path);
      for await (const batch of rowBatches(set.rows)) {
        if (!labelled) yield batch;
        else yield withFile(batch, name);
      }
    }
  }
  return { columns, rowCount: undefined, rows: rows() };
}

function* withFile(batch: Iterable<Row>, name: string): Generator<Row> {
  for (const row of batch) yield [...row.slice(0, -1), name, row[row.length - 1] as Row[number]];
}

/**
 * A reduction over many files (`--reduce`, `contribution --loss`): `one` reads each file in
 * turn into the state it is given (the first call makes it); the last call's rows are the
 * result, as of one read over the files concatenated.
 */
export async function carriedRows<S extends object>(
  paths: readonly string[],
  one: (path: string, carry: Partial<S>) => Promise<RowSet>,
): Promise<RowSet> {
  const carry: Partial<S> = {};
  let set: RowSet | undefined;
  for (const path of paths) set = await one(path, carry);
  return set as RowSet;
}

/** The context for reading many files one after another: each distinct note said once. */
export function onceNotes(context: CommandContext): CommandContext {
  const said = new Set<string>();
  const quiet: CommandContext = Object.create(context);
  Object.defineProperty(quiet, 'note', {
    value: (text: string) => {
      if (said.has(text)) return;
      said.add(text);
      context.note(text);
    },
  });
  return quiet;
}
