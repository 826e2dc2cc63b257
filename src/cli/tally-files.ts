/**
 * `contribution --input A --input 'shard-*.csv.gz'`: many prediction files read as one input.
 * The patterns are expanded (input/glob.ts), the files tallied, in parallel when they are large
 * enough (input/many-files.ts), and the tallies merged in the order given, so the result is
 * that of one read over the files concatenated.
 */
import { LossHistogram } from '../core/loss-histogram.js';
import { LossTally } from '../core/tally.js';
import { renderMessage, showValue, UsageError } from '../errors.js';
import { expandGlob, isGlob } from '../input/glob.js';
import { type FileResult, revive, tallyFiles } from '../input/many-files.js';
import type { ReadSummary } from '../input/predictions.js';
import type { CommandContext } from './command.js';
import { columnOptions, type InputOptions, noteSummary } from './input-reading.js';
import type { Options } from './options.js';
import { flagOf } from './setting-flag.js';

/** The files of the `--input` values, in order: each glob's matches sorted, as the shell does. */
export async function inputFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-' || !isGlob(input)) {
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

/** The name of a file in notes and errors. */
const nameOf = (path: string) => (path === '-' ? 'stdin' : path);

/** Reads every file and merges their tallies in order, as tallyFile does for one file. */
export async function tallyManyFiles(
  o: InputOptions & Options<'gamma'>,
  paths: readonly string[],
  context: CommandContext,
  cdf: boolean,
) {
  for (const name of ['labels', 'weights'] as const) {
    if (o[name] !== undefined) {
      throw new UsageError(
        `${flagOf(name)}: pairs its values with one .npy --input, and ${paths.length} files were given`,
      );
    }
  }
  const gammas = [...new Set(o.gamma)];
  const options = columnOptions(o);
  const results = await tallyFiles(paths, { options, gammas, cdf }, context.stdin, o.skipInvalid);
  const tally = new LossTally(gammas);
  const histogram = cdf ? new LossHistogram(gammas) : undefined;
  let summary: ReadSummary | undefined;
  let firstInvalid: { path: string; parts: ReadSummary['firstInvalid'] } | undefined;
  const failed: Extract<FileResult, { ok: false }>[] = [];
  const notes = new Set<string>();
  for (const [i, result] of results.entries()) {
    if (result === undefined) continue; // not read: an earlier file failed
    if (!result.ok) {
      if (!o.skipInvalid) throw revive(result.error);
      failed.push(result);
      continue;
    }
    tally.merge(result.tally);
    if (result.histogram) histogram?.merge(result.histogram);
    const s = result.summary;
    if (s.invalid > 0 && firstInvalid === undefined) {
      firstInvalid = { path: nameOf(paths[i] as string), parts: s.firstInvalid };
    }
    for (const note of s.notes ?? []) notes.add(renderMessage(note, flagOf));
    summary =
      summary === undefined
        ? s
        : {
            ...summary,
            rows: summary.rows + s.rows,
            ignored: summary.ignored + s.ignored,
            invalid: summary.invalid + s.invalid,
          };
  }
  if (summary === undefined) {
    // Every file failed (with --skip-invalid): the first one's error.
    throw revive((failed[0] as (typeof failed)[number]).error);
  }
  // The notes of one read, in their form: the first malformed row named by its file and line.
  noteSummary(
    { ...summary, rows: 1, firstInvalid: firstInvalid?.parts, notes: [] },
    firstInvalid?.path ?? '',
    context,
  );
  for (const note of notes) context.note(note);
  if (failed.length > 0) {
    const [first] = failed.map((f) => renderMessage(f.error.parts, flagOf));
    context.note(
      `skipped ${failed.length} file${failed.length === 1 ? '' : 's'} that could not be read (--skip-invalid); the first: ${first}`,
    );
  }
  if (summary.rows === 0) context.note(`the ${paths.length} input files have no rows to analyse`);
  return {
    tally,
    histogram,
    summary: { ...summary, firstInvalid: firstInvalid?.parts },
    gammaIndex: (gamma: number) => gammas.indexOf(gamma),
  };
}
