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

import { smoothLabel } from '../core/soft-target.js';
import { InputError, type MessagePart, setting, showValue } from '../errors.js';
import type {
  ChosenColumns,
  ColumnOptions,
  Delimiter,
  ExampleHandler,
  ReadSummary,
} from './prediction-types.js';
import { MAX_RECORD_BYTES, RecordError, RecordScanner, splitHeader, TOO_LONG } from './scanner.js';
import type { InputSource } from './source.js';

export type {
  ChosenColumns,
  ColumnOptions,
  Delimiter,
  ExampleHandler,
  ReadSummary,
  ScoreKind,
} from './prediction-types.js';

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
export function findColumn(
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
const LABEL_RULE = 'is not a label (0 or 1, or a soft label in [0, 1])';

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
export function columnList(header: readonly string[]): string {
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
  if (options.labelsOnly) return labelColumns(header, source, options);
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
  const { label, weight } = labelAndWeight(header, source, options);
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
export function looksNumeric(fields: readonly string[]): boolean {
  // pandas writes an unnamed DataFrame's header as 0,1,…: names, not a row.
  if (fields.every((f, i) => f === String(i))) return false;
  return fields.every((f) => f.trim() !== '' && Number.isFinite(Number(f.trim())));
}

/** The delimiter line 1 shows (quoted text aside), or an error when it could be several. */
export function detectDelimiter(line: string, source: string): Exclude<Delimiter, 'auto'> {
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

/** The label column (found or named) and the weight column (named only). */
function labelAndWeight(
  header: readonly string[],
  source: string,
  options: ColumnOptions,
): { label: string; weight: string | undefined } {
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
  return { label, weight };
}

/** The columns of a labels-only read: the label and the weight; the score is not read. */
function labelColumns(
  header: readonly string[],
  source: string,
  options: ColumnOptions,
): ChosenColumns {
  const { label, weight } = labelAndWeight(header, source, options);
  if (weight === label) {
    throw new InputError(
      `${source}: column ${showValue(label)} cannot be both the label and the weight`,
    );
  }
  return { score: '', scoreKind: 'p', label, weight };
}

/**
 * How the labels of a file are read: 0/1, true/false and soft labels, or, with a positive
 * label, that label against every other (scikit-learn's pos_label). Keeps what the messages
 * need: whether a 0 was seen (for the hint on a −1), and with a positive label whether it was
 * seen and the first few other labels.
 */
class LabelCoding {
  sawZero = false;
  sawPositive = false;
  readonly others: string[] = [];
  private readonly posNumber: number;
  private readonly posWord: string | undefined;

  constructor(readonly posLabel: string | undefined) {
    const text = posLabel?.trim() ?? '';
    const number = text === '' ? Number.NaN : Number(text);
    this.posNumber = number;
    const lower = text.toLowerCase();
    this.posWord = Number.isNaN(number)
      ? lower === 'true' || lower === 'false'
        ? lower
        : text
      : undefined;
  }

  /** Whether a label (its number, NaN if none, and its text) is the positive one. */
  isPositive(value: number, text: () => string): boolean {
    let positive: boolean;
    if (this.posWord === undefined) positive = value === this.posNumber;
    else {
      const word = text().trim();
      positive =
        word === this.posWord ||
        ((this.posWord === 'true' || this.posWord === 'false') &&
          word.toLowerCase() === this.posWord);
    }
    if (positive) this.sawPositive = true;
    else if (this.others.length < 10) {
      const shown = Number.isNaN(value) ? text().trim() : String(value);
      if (!this.others.includes(shown)) this.others.push(shown);
    }
    return positive;
  }
}

/** `true` → 1 and `false` → 0 in any case (spaces trimmed); NaN for any other text. */
function booleanLabel(text: string): number {
  const word = text.trim().toLowerCase();
  return word === 'true' ? 1 : word === 'false' ? 0 : Number.NaN;
}

/**
 * Whether the first bytes are a .npy (`\x93NUMPY`), .npz (a zip: `PK\x03\x04`) or Parquet
 * (`PAR1`) file's.
 */
export function isBinary(head: Uint8Array): boolean {
  if (isParquetHead(head)) return true;
  if (head[0] === 0x93 && head.length >= 6) {
    return (
      head[1] === 0x4e &&
      head[2] === 0x55 &&
      head[3] === 0x4d &&
      head[4] === 0x50 &&
      head[5] === 0x59
    );
  }
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
}

/** Whether the first bytes are a Parquet file's (`PAR1`). */
function isParquetHead(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
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
 * What line 1 of a text input says: its delimiter (white space is read as tabs, after
 * WhiteSpaceRuns) and the columns' names — the header's, or for a headerless input those of
 * `names` or the positions from 0. An np.savetxt header= line is read past its `#`
 * (np.genfromtxt(names=True) does so).
 * @throws InputError `FILE:1: …` for a header that cannot be split, a count of names that is
 *   not line 1's, or a header of numbers (it seems missing).
 */
export function lineOne(
  first: string,
  source: string,
  options: Pick<ColumnOptions, 'header' | 'delimiter' | 'names'>,
): { names: string[]; delimiter: string; whitespace: boolean } {
  const headerless = options.header === false;
  const header = headerless ? first : first.replace(/^#[ \t]+/, '');
  const found = options.delimiter ?? 'auto';
  const chosen = found === 'auto' ? detectDelimiter(header, source) : found;
  const whitespace = chosen === 'whitespace';
  const delimiter = whitespace ? '\t' : chosen;
  let names: string[];
  try {
    names = whitespace
      ? header.trim().split(/[ \t]+/)
      : splitHeader(header, delimiter).map((name) => name.trim());
  } catch (error) {
    throw new InputError(`${source}:1: ${(error as Error).message}`);
  }
  if (headerless) {
    const given = options.names;
    if (given !== undefined && given.length !== names.length) {
      throw new InputError([
        `${source}:1: ${names.length} field${names.length === 1 ? '' : 's'}, but `,
        setting('names'),
        ` names ${given.length}`,
      ]);
    }
    names = given ? [...given] : names.map((_, i) => String(i));
  } else if (looksNumeric(names)) {
    throw new InputError([
      `${source}:1: the header seems missing (line 1 is numbers: ${columnList(names)}); for a file without one, `,
      setting('header'),
      ' (with ',
      setting('names'),
      ', or columns by number from 0)',
    ]);
  }
  return { names, delimiter, whitespace };
}

/**
 * A text input read through a scanner, whatever its layout (predictions.ts, wide.ts): line 1
 * gives the scanner (`start`: from the header, or from a headerless input's first row, which
 * `firstIsRow` then feeds as a row too), and every chunk is fed to it (`feed`), with a pause
 * after each but the last. One chunk is read ahead, so that the last one's final record (which
 * may lack its line end) is read before the pause: a bad record in a one-chunk input fails
 * before output. `binary` may take over an input its first bytes tell apart (a .npy file): its
 * reading's result is returned. A record's error becomes `FILE:LINE: …`; the source is closed.
 */
export async function* scanText<R>(
  source: InputSource,
  layout: { readonly headerless: boolean; readonly firstIsRow: boolean },
  start: (line1: string) => RecordScanner,
  feed: (bytes: Uint8Array) => void,
  binary?: (
    head: Uint8Array,
    rest: AsyncIterator<Uint8Array>,
  ) => AsyncGenerator<void, R> | undefined,
): AsyncGenerator<void, R | undefined> {
  let head: Uint8Array = new Uint8Array(0);
  let scanner: RecordScanner | undefined;
  try {
    const reader = source.chunks()[Symbol.asyncIterator]();
    let next = await reader.next();
    while (!next.done) {
      const chunk = next.value;
      if (scanner) {
        feed(chunk);
      } else {
        head = head.length === 0 ? chunk.slice() : Buffer.concat([head, chunk]);
        const other = binary?.(head, reader);
        if (other !== undefined) return yield* other;
        const line = headerLine(head, false);
        if (line === undefined) {
          if (head.length > MAX_RECORD_BYTES) throw new InputError(`${source.name}:1: ${TOO_LONG}`);
        } else {
          if (line[1] > MAX_RECORD_BYTES) throw new InputError(`${source.name}:1: ${TOO_LONG}`);
          scanner = start(line[0]);
          feed(head.subarray(layout.firstIsRow ? line[2] : line[1]));
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
          `${source.name}: empty input (expected ${layout.headerless ? 'a row' : 'a header row'})`,
        );
      }
      scanner = start(line[0]);
      if (layout.firstIsRow) feed(head.subarray(line[2]));
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
  return undefined;
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
  let scanner: RecordScanner | undefined;
  let columns: ChosenColumns | undefined;
  let rows = 0;
  let ignored = 0;
  let invalid = 0;
  let firstInvalid: readonly MessagePart[] | undefined;
  const skipInvalid = options.skipInvalid ?? false;
  /** A malformed row: an error, or with skipInvalid counted (and the first kept). */
  const malformed = (line: number, problem: string | readonly MessagePart[]) => {
    if (pending !== undefined) return; // only looking for a 0 now
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
  const coding = new LabelCoding(options.posLabel);
  const smoothing = options.labelSmoothing ?? 0;
  const labelsOnly = options.labelsOnly ?? false;
  /**
   * A whole label other than 0 and 1 (a −1) stops the run only once the rest of the file has
   * said whether 0s appear: the hint depends on it (issue 16). Until then rows are checked for
   * a 0 only; with skipInvalid the first such row's hint is settled at the end.
   */
  let pending: { line: number; parts: MessagePart[]; label: number } | undefined;
  let firstInvalidLabel: number | undefined;
  const wholeLabelHint = (label: number): MessagePart[] =>
    coding.sawZero
      ? ['; ', setting('ignoreLabels'), ` ${label} skips such rows`]
      : label === -1
        ? [
            '; no row is labelled 0, so -1 seems to mark the negatives (a −1/1 coding): ',
            setting('posLabel'),
            ' 1 reads them so',
          ]
        : [
            '; no row is labelled 0: ',
            setting('posLabel'),
            ' VALUE names the positive label (every other label is then negative)',
          ];

  function start(first: string): RecordScanner {
    for (const binaryOnly of ['labels', 'weights', 'scoreArray', 'labelArray'] as const) {
      if (options[binaryOnly] !== undefined) {
        throw new InputError([
          setting(binaryOnly),
          `: goes with a .npy or .npz input, and ${source.name} is text`,
        ]);
      }
    }
    const { names, delimiter, whitespace } = lineOne(first, source.name, options);
    if (whitespace) runs = new WhiteSpaceRuns();
    const chosen = chooseColumns(names, source.name, options);
    columns = chosen;
    const onExample = handlerFor(chosen);
    const slots = new Int32Array(names.length).fill(-1);
    if (!labelsOnly) slots[names.indexOf(chosen.score)] = SCORE;
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
        let y = values[LABEL] as number;
        if (pending !== undefined) {
          // Only looking for a 0 now (see `pending`).
          if (y === 0 || (Number.isNaN(y) && booleanLabel(reader.fieldText(LABEL)) === 0)) {
            coding.sawZero = true;
          }
          if (coding.sawZero) throw pendingError(pending);
          return;
        }
        if (ignore.length > 0 && ignore.includes(y)) {
          ignored++;
          return;
        }
        const score = labelsOnly ? 0 : (values[SCORE] as number);
        const weight = weighted ? (values[WEIGHT] as number) : 1;
        let problem: string | MessagePart[] | undefined;
        if (coding.posLabel !== undefined) {
          const text = () => reader.fieldText(LABEL);
          if (Number.isNaN(y) && text().trim() === '') problem = [badLabel()];
          else y = coding.isPositive(y, text) ? 1 : 0;
        } else if (!(y === 0 || y === 1 || (y > 0 && y < 1))) {
          if (Number.isNaN(y)) y = booleanLabel(reader.fieldText(LABEL));
          if (Number.isNaN(y) || !(y >= 0 && y <= 1)) {
            const whole = Number.isInteger(y);
            problem = [badLabel()];
            if (whole) {
              // Settled once the rest of the file says whether it has 0s.
              if (!skipInvalid) {
                if (!coding.sawZero) {
                  pending = { line, parts: problem, label: y };
                  return;
                }
                problem.push(...wholeLabelHint(y));
              } else firstInvalidLabel ??= invalid === 0 ? y : undefined;
            } else if (Number.isNaN(values[LABEL] as number) && reader.fieldText(LABEL) !== '') {
              problem.push('; ', setting('posLabel'), ' VALUE names the positive label');
            }
          }
        }
        if (y === 0) coding.sawZero = true;
        if (problem !== undefined) {
          // The label's problem is the row's.
        } else if (
          !labelsOnly &&
          (isProbability ? !(score >= 0 && score <= 1) : !Number.isFinite(score))
        )
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
          smoothing === 0 ? y : smoothLabel(y, smoothing),
          weight,
          line,
          keep.length === 0 ? KEPT_NONE : keep.map((_, k) => reader.fieldText(WEIGHT + 1 + k)),
        );
      },
      (line, message) => malformed(line, message),
    );
    if (headerless) reader.shapeSource = 'line 1';
    function pendingError(p: { line: number; parts: MessagePart[]; label: number }) {
      return new InputError([`${source.name}:${p.line}: `, ...p.parts, ...wholeLabelHint(p.label)]);
    }
    function badLabel(): string {
      const text = reader.fieldText(LABEL);
      return `column ${showValue(chosen.label)}: ${text === '' ? 'empty value' : `${showValue(text)} ${LABEL_RULE}`}`;
    }
    function bad(slot: number, column: string, rule: string): string {
      const text = reader.fieldText(slot);
      const why = Number.isNaN(reader.values[slot]) ? 'is not a number' : rule;
      return `column ${showValue(column)}: ${text === '' ? 'empty value' : `${showValue(text)} ${why}`}`;
    }
    return reader;
  }

  const binary = yield* scanText(
    source,
    { headerless, firstIsRow },
    (line1) => {
      scanner = start(line1);
      return scanner;
    },
    feed,
    (head, rest) =>
      isParquetHead(head)
        ? (async function* () {
            // A Parquet file (told by its magic bytes): input/parquet.ts, loaded only for one.
            const { streamParquet } = await import('./parquet.js');
            return yield* streamParquet(source, options, handlerFor, (names) =>
              chooseColumns(names, source.name, options),
            );
          })()
        : isBinary(head)
          ? (async function* () {
              // A .npy or .npz file (told by its magic bytes): input/npy.ts, loaded only for one.
              const { streamBinary } = await import('./npy.js');
              return yield* streamBinary(source, head, rest, options, handlerFor);
            })()
          : undefined,
  );
  if (binary !== undefined) return binary;
  if (pending !== undefined) {
    throw new InputError([
      `${source.name}:${pending.line}: `,
      ...pending.parts,
      ...wholeLabelHint(pending.label),
    ]);
  }
  if (coding.posLabel !== undefined && rows > 0 && !coding.sawPositive) {
    const others = coding.others.map(showValue).join(', ');
    throw new InputError([
      setting('posLabel'),
      ` ${showValue(coding.posLabel)}: ${source.name} has no row with that label (its labels: ${others}${coding.others.length >= 10 ? ', …' : ''})`,
    ]);
  }
  if (firstInvalid !== undefined && firstInvalidLabel !== undefined) {
    firstInvalid = [...firstInvalid, ...wholeLabelHint(firstInvalidLabel)];
  }
  return { columns: columns as ChosenColumns, rows, ignored, invalid, firstInvalid };
}
