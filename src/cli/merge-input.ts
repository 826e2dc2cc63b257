/** `focal merge`'s work: reading the states, merging them, and the rows of the merged state. */
import { readFile } from 'node:fs/promises';
import { logBase } from '../core/log-base.js';
import { showValue, UsageError } from '../errors.js';
import type { RowSet } from '../format/formats.js';
import type { CommandContext } from './command.js';
import { COLUMNS, lossesOf, summaryOfSweep } from './commands/contribution.js';
import { contributionRows } from './commands/contribution-input.js';
import type { Options } from './options.js';
import { mergeInto, type PartialState, readPartial, stateDocument } from './partial.js';
import { ValueList } from './values.js';

/** A list as the options give it. */
function listOf<T>(values: readonly T[]): ValueList<T> {
  return new ValueList([{ length: values.length, at: (i: number) => values[i] as T }]);
}

/** Everything a stream holds, as text. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The documents of a file or of standard input: one per non-blank line. */
async function documentsOf(
  path: string,
  context: CommandContext,
): Promise<{ text: string; where: string }[]> {
  let text: string;
  try {
    text = path === '-' ? await readAll(context.stdin()) : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`merge: cannot read ${showValue(path)} (${code})`);
  }
  const name = path === '-' ? 'stdin' : path;
  const lines = text.split('\n');
  const documents: { text: string; where: string }[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() !== '') documents.push({ text: line, where: `${name}:${i + 1}` });
  }
  if (documents.length === 0) throw new UsageError(`${name}: no state in it (an empty file)`);
  return documents;
}

/** The merged state of every FILE, as `contribution --input` would print one run over them. */
export async function mergedRows(
  o: Options<'alpha' | 'gamma' | 'logBase' | 'partial'>,
  context: CommandContext,
): Promise<RowSet> {
  let merged: PartialState | undefined;
  let first = '';
  for (const path of context.files) {
    for (const { text, where } of await documentsOf(path, context)) {
      const state = readPartial(text, where);
      if (merged === undefined) {
        merged = state;
        first = where;
      } else merged = mergeInto(merged, state, first, where);
    }
  }
  const state = merged as PartialState;
  if (o.partial) {
    return { columns: [], rowCount: 0, rows: [], document: () => stateDocument(state) };
  }
  const options = state.options;
  const gammas = [...new Set(options.gamma)];
  const losses = lossesOf(options.balancedCe);
  if (state.ignored > 0) {
    context.note(
      `skipped ${state.ignored} row${state.ignored === 1 ? '' : 's'} with an ignored label (--ignore-label)`,
    );
  }
  if (state.rows === 0) context.note('the states have no rows to analyse');
  // α and the log base only weigh and rescale the sums: merge may choose them. γ must be kept.
  const alpha = context.given.has('alpha') ? o.alpha : listOf(options.alpha);
  const gamma = context.given.has('gamma') ? o.gamma : listOf(options.gamma);
  for (const g of gamma) {
    if (!gammas.includes(g)) {
      throw new UsageError(
        `--gamma: ${g} is not a γ of the states (${gammas.join(',')}); a state keeps the sums of the γ it was made with`,
      );
    }
  }
  const rowOptions = {
    alpha,
    gamma,
    logBase: context.given.has('logBase')
      ? o.logBase
      : logBase(options.logBase === 'e' ? 'e' : Number(options.logBase)),
    cdf: options.cdf,
    top: listOf(options.top),
  };
  return contributionRows(
    rowOptions,
    { tally: state.tally, histogram: state.histogram, gammaIndex: (g) => gammas.indexOf(g) },
    losses,
    COLUMNS,
    summaryOfSweep(alpha, gamma, losses),
  );
}
