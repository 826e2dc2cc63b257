/**
 * A prediction file → validated labelled examples, one callback per row, in file order.
 *
 * The header names the columns: the score is `p` (probability of the positive class) or
 * `logit`, the label `y`, `label` or `target`; options name others. Names match in any case;
 * a whole number that is no column's name is a column's position from 0 (numpy's and pandas'
 * `usecols`). Without a header (`header: false`) the columns are named by `names` or by their
 * positions. The delimiter is told by the first line unless given: a tab, else the one of
 * `,` `;` `|` that it holds, else runs of white space (`np.savetxt`'s files, read as
 * `np.loadtxt` does, without quoting). A header line starting with `# ` (`np.savetxt`'s
 * `header=`, which `np.genfromtxt(names=True)` reads) is read without it. A UTF-8 byte-order
 * mark is dropped.
 */

import type { Label } from '../core/true-class.js';
import { InputError, type MessagePart, setting, showValue } from '../errors.js';
import { MAX_RECORD_BYTES, RecordError, RecordScanner, splitHeader, TOO_LONG } from './scanner.js';
import type { InputSource } from './source.js';

export type ScoreKind = 'p' | 'logit';

/** How fields are separated: a character, runs of white space, or `auto` (told by line 1). */
export type Delimiter = 'auto' | ',' | '\t' | ';' | '|' | 'whitespace';

/** Which columns to read, as the options name them (all optional). */
export interface ColumnOptions {
  readonly scoreCol?: string;
  readonly scoreKind?: ScoreKind;
  readonly labelCol?: string;
  readonly weightCol?: string;
  /** Labels whose rows are skipped and counted (detectors use −1). */
  readonly ignoreLabels?: readonly number[];
  /** Skip malformed rows (and count them) instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** false: the file has no header row; its columns are `names`, or numbered from 0. */
  readonly header?: boolean;
  /** The names of a headerless file's columns (`--columns`), as many as its fields. */
  readonly names?: readonly string[];
  /** The field delimiter (default `auto`). */
  readonly delimiter?: Delimiter;
  /** Columns whose text is handed to each example (`--keep-col`: ids such as `image_id`). */
  readonly keepCols?: readonly string[];
  /**
   * Internal (input/parallel.ts): the first line of a headerless input only gives the columns;
   * it is not a row (the range's rows follow it).
   */
  readonly firstLineTemplate?: boolean;
}

/** What the header resolved to. */
export interface ChosenColumns {
  readonly score: string;
  readonly scoreKind: ScoreKind;
  readonly label: string;
  readonly weight: string | undefined;
  /** The kept columns (`keepCols`), as the header spells them. */
  readonly keep?: readonly string[];
}

/**
 * One validated row: the score, the label, the sample weight (1 without a weight column) and
 * the text of the kept columns (an empty array without `keepCols`).
 */
export type ExampleHandler = (
  score: number,
  y: Label,
  weight: number,
  line: number,
  kept: readonly string[],
) => void;

/** Counts of the rows read, for notes on stderr. */
export interface ReadSummary {
  readonly columns: ChosenColumns;
  readonly rows: number;
  readonly ignored: number;
  readonly invalid: number;
  /** With skipInvalid: the first skipped row, `LINE: why`, so the note can show one. */
  readonly firstInvalid?: readonly MessagePart[];
}

const SCORE = 0;
const LABEL = 1;
const WEIGHT = 2;
const LABEL_NAMES = ['y', 'label', 'target'];
const KEPT_NONE: readonly string[] = [];

/**
 * Where column `wanted` is: its exact name, else its name in any case (when only one column
 * has it), else (`positions`) a whole number from 0 that is no column's name; −1 if none.
 * @throws InputError when several columns have the name in different cases.
 */
function findColumn(
  header: readonly string[],
  source: string,
  wanted: string,
  positions: boolean,
): number {
  const exact = header.indexOf(wanted);
  if (exact >= 0) return exact;
  const lower = wanted.toLowerCase();
  const alike = header.flatMap((name, i) => (name.toLowerCase() === lower ? [i] : []));
  if (alike.length > 1) {
    throw new InputError(
      `${source}:1: columns ${alike.map((i) => showValue(header[i] ?? '')).join(' and ')} both match ${showValue(wanted)}: name one as spelled`,
    );
  }
  if (alike.length === 1) return alike[0] as number;
  if (positions && /^\d+$/.test(wanted) && Number(wanted) < header.length) return Number(wanted);
  return -1;
}

function pick(
  header: readonly string[],
  source: string,
  wanted: string | undefined,
  option: keyof ColumnOptions,
  defaults: readonly string[],
  what: string,
): string | undefined {
  if (wanted !== undefined) {
    const at = findColumn(header, source, wanted, true);
    if (at < 0) {
      throw new InputError([
        setting(option),
        `: ${source} has no column ${showValue(wanted)} (its columns: ${columnList(header)}; or a number from 0)`,
      ]);
    }
    return header[at] as string;
  }
  const present = defaults.flatMap((name) => {
    const at = findColumn(header, source, name, false);
    return at < 0 ? [] : [header[at] as string];
  });
  if (present.length > 1) {
    throw new InputError([
      `${source}:1: columns ${present.join(' and ')} could each be the ${what}; choose one with `,
      setting(option),
    ]);
  }
  return present[0];
}

/** A header's columns for a message: the first ten, then how many more (a wide file is one line). */
function columnList(header: readonly string[]): string {
  const shown = header.slice(0, 10).map(showValue).join(', ');
  return header.length > 10 ? `${shown} and ${header.length - 10} more` : shown;
}

/** Resolves the columns from the header. @throws InputError naming what is missing. */
export function chooseColumns(
  header: readonly string[],
  source: string,
  options: ColumnOptions,
): ChosenColumns {
  const scoreDefaults = options.scoreKind ? [options.scoreKind] : ['p', 'logit'];
  const score = pick(header, source, options.scoreCol, 'scoreCol', scoreDefaults, 'score');
  if (score === undefined) {
    throw new InputError([
      `${source}:1: no score column (${scoreDefaults.join(' or ')}); name it with `,
      setting('scoreCol'),
      ' and ',
      setting('scoreKind'),
      ` (its columns: ${columnList(header)})`,
    ]);
  }
  const scoreName = score.toLowerCase();
  const scoreKind =
    options.scoreKind ?? (scoreName === 'p' || scoreName === 'logit' ? scoreName : undefined);
  if (scoreKind === undefined) {
    throw new InputError([
      setting('scoreKind'),
      `: say whether column ${showValue(score)} holds probabilities (p) or logits (logit)`,
    ]);
  }
  const label = pick(header, source, options.labelCol, 'labelCol', LABEL_NAMES, 'label');
  if (label === undefined) {
    throw new InputError([
      `${source}:1: no label column (${LABEL_NAMES.join(', ')}); name it with `,
      setting('labelCol'),
      ` (its columns: ${columnList(header)})`,
    ]);
  }
  const weight =
    options.weightCol === undefined
      ? undefined
      : pick(header, source, options.weightCol, 'weightCol', [], 'weight');
  const chosen = [score, label, ...(weight === undefined ? [] : [weight])];
  for (const name of chosen) {
    if (header.indexOf(name) !== header.lastIndexOf(name)) {
      throw new InputError(`${source}:1: the header has two columns named ${showValue(name)}`);
    }
  }
  const roles = [
    ['score', score],
    ['label', label],
    ['weight', weight],
  ] as const;
  for (const [i, [role, name]] of roles.entries()) {
    const again = roles.slice(i + 1).find(([, other]) => other !== undefined && other === name);
    if (again) {
      throw new InputError(
        `${source}: column ${showValue(name ?? '')} cannot be both the ${role} and the ${again[0]}`,
      );
    }
  }
  const keep: string[] = [];
  for (const wanted of options.keepCols ?? []) {
    const name = pick(header, source, wanted, 'keepCols', [], 'kept column') as string;
    if (name === score || name === label || name === weight) {
      throw new InputError([
        setting('keepCols'),
        `: column ${showValue(name)} is the ${name === score ? 'score' : name === label ? 'label' : 'weight'}, in each row already`,
      ]);
    }
    if (header.indexOf(name) !== header.lastIndexOf(name)) {
      throw new InputError(`${source}:1: the header has two columns named ${showValue(name)}`);
    }
    if (!keep.includes(name)) keep.push(name);
  }
  return { score, scoreKind, label, weight, keep };
}

/** Whether every field of line 1 is a number: then it is most likely a row, not a header. */
function looksNumeric(fields: readonly string[]): boolean {
  // pandas writes an unnamed DataFrame's header as 0,1,…: names, not a row.
  if (fields.every((f, i) => f === String(i))) return false;
  return fields.every((f) => f.trim() !== '' && Number.isFinite(Number(f.trim())));
}

/** The delimiter line 1 shows (quoted text aside), or an error when it could be several. */
function detectDelimiter(line: string, source: string): Exclude<Delimiter, 'auto'> {
  const bare = line.replace(/"(?:[^"]|"")*"/g, '');
  if (bare.includes('\t')) return '\t';
  const found = ([',', ';', '|'] as const).filter((d) => bare.includes(d));
  if (found.length > 1) {
    throw new InputError([
      `${source}:1: fields could be separated by ${found.map((d) => `'${d}'`).join(' or ')}; say which with `,
      setting('delimiter'),
    ]);
  }
  if (found.length === 1) return found[0] as ',' | ';' | '|';
  return /\S[ ]+\S/.test(bare.trim()) ? 'whitespace' : ',';
}

/**
 * Runs of spaces and tabs → one tab, none at a line's start or end: white-space-separated
 * bytes as tab-separated ones, chunk by chunk (a run may span two chunks). Into a reused buffer:
 * the scanner copies what it keeps.
 */
export class WhiteSpaceRuns {
  private lineStart = true;
  private pending = false;
  private out = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array {
    if (this.out.length < chunk.length + 1) this.out = new Uint8Array(chunk.length + 1);
    const out = this.out;
    let n = 0;
    let lineStart = this.lineStart;
    let pending = this.pending;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (c === 32 || c === 9) {
        if (!lineStart) pending = true;
      } else if (c === 10 || c === 13) {
        pending = false;
        out[n++] = c;
        lineStart = true;
      } else {
        if (pending) out[n++] = 9;
        pending = false;
        lineStart = false;
        out[n++] = c;
      }
    }
    this.lineStart = lineStart;
    this.pending = pending;
    return out.subarray(0, n);
  }
}

/**
 * Splits the first line off the first bytes (and says where it starts, after a byte-order mark);
 * undefined until a line end is seen.
 */
function headerLine(
  bytes: Uint8Array,
  final: boolean,
): [text: string, rest: number, start: number] | undefined {
  const lf = bytes.indexOf(10);
  if (lf < 0 && !final) return undefined;
  let end = lf < 0 ? bytes.length : lf;
  if (end > 0 && bytes[end - 1] === 13) end--;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + bom, end - bom).toString('utf8');
  return [text, lf < 0 ? bytes.length : lf + 1, bom];
}

/**
 * Reads every row of `source`, validating as it goes, and hands each example to the handler
 * made for the columns the header names (before the first row).
 * @throws InputError for an unreadable input, a bad header or (unless skipInvalid) a bad row.
 */
export async function readPredictions(
  source: InputSource,
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
): Promise<ReadSummary> {
  const chunks = streamPredictions(source, options, handlerFor);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
  }
}

/**
 * As `readPredictions`, pausing after each chunk of input (about 1 MiB) so that a consumer can
 * write what that chunk gave before more is read: flat memory for any size of input.
 */
export async function* streamPredictions(
  source: InputSource,
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
): AsyncGenerator<void, ReadSummary> {
  let head: Uint8Array = new Uint8Array(0);
  let scanner: RecordScanner | undefined;
  let columns: ChosenColumns | undefined;
  let rows = 0;
  let ignored = 0;
  let invalid = 0;
  let firstInvalid: readonly MessagePart[] | undefined;
  const skipInvalid = options.skipInvalid ?? false;
  /** A malformed row: an error, or with skipInvalid counted (and the first kept). */
  const malformed = (line: number, problem: string | readonly MessagePart[]) => {
    const parts = typeof problem === 'string' ? [problem] : problem;
    if (!skipInvalid) throw new InputError([`${source.name}:${line}: `, ...parts]);
    invalid++;
    firstInvalid ??= [`${line}: `, ...parts];
  };
  const ignore = options.ignoreLabels ?? [];
  const headerless = options.header === false;
  /** Line 1 is a row too: a headerless input, not a range's template (parallel.ts). */
  const firstIsRow = headerless && options.firstLineTemplate !== true;
  /** With white space as the delimiter: its runs, as tabs. */
  let runs: WhiteSpaceRuns | undefined;
  const feed = (bytes: Uint8Array) =>
    (scanner as RecordScanner).push(runs ? runs.push(bytes) : bytes);

  function start(first: string): RecordScanner {
    // np.savetxt's header= line (np.genfromtxt(names=True) reads past its '#').
    const header = headerless ? first : first.replace(/^#[ \t]+/, '');
    const found = options.delimiter ?? 'auto';
    const chosenDelimiter = found === 'auto' ? detectDelimiter(header, source.name) : found;
    if (chosenDelimiter === 'whitespace') runs = new WhiteSpaceRuns();
    const delimiter = chosenDelimiter === 'whitespace' ? '\t' : chosenDelimiter;
    let names: string[];
    try {
      names =
        chosenDelimiter === 'whitespace'
          ? header.trim().split(/[ \t]+/)
          : splitHeader(header, delimiter).map((name) => name.trim());
    } catch (error) {
      throw new InputError(`${source.name}:1: ${(error as Error).message}`);
    }
    if (headerless) {
      const given = options.names;
      if (given !== undefined && given.length !== names.length) {
        throw new InputError([
          `${source.name}:1: ${names.length} field${names.length === 1 ? '' : 's'}, but `,
          setting('names'),
          ` names ${given.length}`,
        ]);
      }
      names = given ? [...given] : names.map((_, i) => String(i));
    } else if (looksNumeric(names)) {
      throw new InputError([
        `${source.name}:1: the header seems missing (line 1 is numbers: ${columnList(names)}); for a file without one, `,
        setting('header'),
        ' (with ',
        setting('names'),
        ', or columns by number from 0)',
      ]);
    }
    const chosen = chooseColumns(names, source.name, options);
    columns = chosen;
    const onExample = handlerFor(chosen);
    const slots = new Int32Array(names.length).fill(-1);
    slots[names.indexOf(chosen.score)] = SCORE;
    slots[names.indexOf(chosen.label)] = LABEL;
    if (chosen.weight !== undefined) slots[names.indexOf(chosen.weight)] = WEIGHT;
    const keep = chosen.keep ?? [];
    for (const [k, name] of keep.entries()) slots[names.indexOf(name)] = WEIGHT + 1 + k;
    const isProbability = chosen.scoreKind === 'p';
    const weighted = chosen.weight !== undefined;
    const reader: RecordScanner = new RecordScanner(
      delimiter.charCodeAt(0),
      slots,
      WEIGHT + 1 + keep.length,
      firstIsRow ? 1 : 2,
      (values, line) => {
        const y = values[LABEL] as number;
        if (ignore.length > 0 && ignore.includes(y)) {
          ignored++;
          return;
        }
        const score = values[SCORE] as number;
        const weight = weighted ? (values[WEIGHT] as number) : 1;
        let problem: string | MessagePart[] | undefined;
        if (y !== 0 && y !== 1) {
          // A whole number is most likely a convention (detectors mark ignored anchors −1).
          const hint = Number.isInteger(y)
            ? ['; ', setting('ignoreLabels'), ` ${y} skips such rows`]
            : [];
          problem = [bad(LABEL, chosen.label, 'is not a label (0 or 1)'), ...hint];
        } else if (isProbability ? !(score >= 0 && score <= 1) : !Number.isFinite(score))
          problem = bad(
            SCORE,
            chosen.score,
            isProbability ? 'is not a probability in [0, 1]' : 'is not a finite number',
          );
        else if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY))
          problem = bad(WEIGHT, chosen.weight ?? '', 'is not a weight ≥ 0');
        if (problem !== undefined) {
          malformed(line, problem);
          return;
        }
        rows++;
        onExample(
          score,
          y as Label,
          weight,
          line,
          keep.length === 0 ? KEPT_NONE : keep.map((_, k) => reader.fieldText(WEIGHT + 1 + k)),
        );
      },
      (line, message) => malformed(line, message),
    );
    if (headerless) reader.shapeSource = 'line 1';
    function bad(slot: number, column: string, rule: string): string {
      const text = reader.fieldText(slot);
      const why = Number.isNaN(reader.values[slot]) ? 'is not a number' : rule;
      return `column ${showValue(column)}: ${text === '' ? 'empty value' : `${showValue(text)} ${why}`}`;
    }
    return reader;
  }

  try {
    // One chunk is read ahead, so that the last one's final record (which may lack its line
    // end) is read before the pause: a bad record in a one-chunk input fails before output.
    const reader = source.chunks()[Symbol.asyncIterator]();
    let next = await reader.next();
    while (!next.done) {
      const chunk = next.value;
      if (scanner) {
        feed(chunk);
      } else {
        head = head.length === 0 ? chunk.slice() : Buffer.concat([head, chunk]);
        const line = headerLine(head, false);
        if (line === undefined) {
          if (head.length > MAX_RECORD_BYTES) throw new InputError(`${source.name}:1: ${TOO_LONG}`);
        } else {
          if (line[1] > MAX_RECORD_BYTES) throw new InputError(`${source.name}:1: ${TOO_LONG}`);
          scanner = start(line[0]);
          feed(head.subarray(firstIsRow ? line[2] : line[1]));
        }
      }
      // The scanner has copied what it keeps of the chunk, so the read buffer may be reused.
      next = await reader.next();
      if (next.done) break;
      if (scanner) yield;
    }
    if (!scanner) {
      const line = headerLine(head, true);
      if (line === undefined || head.length === 0) {
        throw new InputError(
          `${source.name}: empty input (expected ${headerless ? 'a row' : 'a header row'})`,
        );
      }
      scanner = start(line[0]);
      if (firstIsRow) feed(head.subarray(line[2]));
    }
    scanner.end();
  } catch (error) {
    if (error instanceof RecordError) {
      throw new InputError(`${source.name}:${error.line}: ${error.message}`);
    }
    throw error;
  } finally {
    source.close();
  }
  return { columns: columns as ChosenColumns, rows, ignored, invalid, firstInvalid };
}
