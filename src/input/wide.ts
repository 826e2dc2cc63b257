/**
 * A wide prediction file → one callback per row with all its class scores (issue 16, item 3):
 * one score column per class (`--class-cols`: names, a glob such as `logit_*`, or a range of
 * column positions such as `2:81`, both ends included), a label column holding the row's class
 * (its index from 0, or its name) or a declared background value, and an optional weight.
 * Read in one thread (the two-thread path of parallel.ts is for the long layout).
 */
import { InputError, type MessagePart, setting, showValue } from '../errors.js';
import {
  columnList,
  findColumn,
  isBinary,
  lineOne,
  scanText,
  WhiteSpaceRuns,
} from './predictions.js';
import { RecordScanner } from './scanner.js';
import type { InputSource } from './source.js';
import {
  SUM_TOLERANCE_PER_CLASS,
  type WideColumns,
  type WideHandler,
  type WideOptions,
  type WideSummary,
} from './wide-types.js';

export {
  type Activation,
  SUM_TOLERANCE_PER_CLASS,
  type WideColumns,
  type WideHandler,
  type WideOptions,
  type WideSummary,
} from './wide-types.js';

const LABEL_NAMES = ['y', 'label', 'target'];
const KEPT_NONE: readonly string[] = [];

/** Which columns `--class-cols` names, and the classes' names. @throws InputError */
export function classColumns(
  header: readonly string[],
  source: string,
  spec: string,
): { at: number[]; names: string[] } {
  const range = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(spec);
  const fail = (why: string): never => {
    throw new InputError([setting('classCols'), ` ${showValue(spec)}: ${why}`]);
  };
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (!(from <= to)) fail(`the range ${from}:${to} is empty (both ends are included)`);
    if (to >= header.length) {
      fail(`${source} has ${header.length} columns (positions 0 to ${header.length - 1})`);
    }
    const at = Array.from({ length: to - from + 1 }, (_, k) => from + k);
    return { at, names: withoutPrefix(at.map((i) => header[i] as string)) };
  }
  if (spec.includes('*')) {
    const pattern = spec.trim();
    const escaped = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.*)');
    const re = new RegExp(`^${escaped}$`, 'i');
    const at: number[] = [];
    const names: string[] = [];
    for (const [i, name] of header.entries()) {
      const m = re.exec(name);
      if (m) {
        at.push(i);
        names.push(m[1] === '' || m[1] === undefined ? name : m[1]);
      }
    }
    if (at.length === 0)
      fail(`no column of ${source} matches (its columns: ${columnList(header)})`);
    return { at, names };
  }
  const at = spec.split(',').map((wanted) => {
    const i = findColumn(header, source, wanted.trim(), true);
    if (i < 0) {
      fail(
        `${source} has no column ${showValue(wanted.trim())} (its columns: ${columnList(header)})`,
      );
    }
    return i;
  });
  return { at, names: withoutPrefix(at.map((i) => header[i] as string)) };
}

/**
 * Class names from column names: without the prefix they all share up to a `_`, `.`, `-` or
 * `:` (logit_cat, logit_dog → cat, dog), as a glob's `*` would give; as they are otherwise.
 */
function withoutPrefix(names: readonly string[]): string[] {
  if (names.length < 2) return [...names];
  let prefix = names[0] as string;
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(...['_', '.', '-', ':'].map((c) => prefix.lastIndexOf(c))) + 1;
  const names2 = names.map((name) => name.slice(cut));
  return names2.some((name) => name === '') ? [...names] : names2;
}

/** The columns of a wide file. @throws InputError naming what is missing or clashes. */
export function chooseWideColumns(
  header: readonly string[],
  source: string,
  options: WideOptions,
): WideColumns & {
  at: number[];
  labelAt: number;
  weightAt: number;
  hotAt: number[];
  keepAt: number[];
} {
  const { at, names } = classColumns(header, source, options.classCols);
  let hotAt: number[] = [];
  if (options.targetCols !== undefined) {
    hotAt = classColumns(header, source, options.targetCols).at;
    if (hotAt.length !== at.length) {
      throw new InputError([
        setting('targetCols'),
        ` ${showValue(options.targetCols)}: ${hotAt.length} columns for ${at.length} classes (${columnList(names)})`,
      ]);
    }
    const clash = hotAt.find((i) => at.includes(i));
    if (clash !== undefined) {
      throw new InputError([
        setting('targetCols'),
        `: column ${showValue(header[clash] ?? '')} is a class's score`,
      ]);
    }
  }
  const findOne = (wanted: string, option: 'labelCol' | 'weightCol') => {
    const i = findColumn(header, source, wanted, true);
    if (i < 0) {
      throw new InputError([
        setting(option),
        `: ${source} has no column ${showValue(wanted)} (its columns: ${columnList(header)}; or a number from 0)`,
      ]);
    }
    return i;
  };
  let labelAt: number;
  if (hotAt.length > 0) labelAt = -1;
  else if (options.labelCol !== undefined) labelAt = findOne(options.labelCol, 'labelCol');
  else {
    const present = LABEL_NAMES.map((n) => findColumn(header, source, n, false)).filter(
      (i) => i >= 0 && !at.includes(i),
    );
    if (present.length !== 1) {
      throw new InputError([
        `${source}:1: ${present.length === 0 ? 'no label column (y, label, target)' : 'several columns could be the label'}; name it with `,
        setting('labelCol'),
        ` (its columns: ${columnList(header)})`,
      ]);
    }
    labelAt = present[0] as number;
  }
  const weightAt = options.weightCol === undefined ? -1 : findOne(options.weightCol, 'weightCol');
  const label = labelAt < 0 ? '' : (header[labelAt] as string);
  for (const [role, i] of [
    ['label', labelAt],
    ['weight', weightAt],
  ] as const) {
    if (i >= 0 && at.includes(i)) {
      throw new InputError([
        setting('classCols'),
        `: column ${showValue(header[i] ?? '')} is the ${role}, not a class's score`,
      ]);
    }
  }
  if (weightAt >= 0 && weightAt === labelAt) {
    throw new InputError(
      `${source}: column ${showValue(label)} cannot be both the label and the weight`,
    );
  }
  const keepAt: number[] = [];
  for (const wanted of options.keepCols ?? []) {
    const i = findColumn(header, source, wanted, true);
    if (i < 0) {
      throw new InputError([
        setting('keepCols'),
        `: ${source} has no column ${showValue(wanted)} (its columns: ${columnList(header)}; or a number from 0)`,
      ]);
    }
    if (at.includes(i) || hotAt.includes(i) || i === labelAt || i === weightAt) {
      throw new InputError([
        setting('keepCols'),
        `: column ${showValue(header[i] ?? '')} is read already (a score, target, label or weight)`,
      ]);
    }
    if (!keepAt.includes(i)) keepAt.push(i);
  }
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice !== undefined) {
    throw new InputError([setting('classCols'), `: two classes are named ${showValue(twice)}`]);
  }
  return {
    classes: names,
    classColumns: at.map((i) => header[i] as string),
    label,
    ...(hotAt.length > 0 ? { targetColumns: hotAt.map((i) => header[i] as string) } : {}),
    hotAt,
    keepAt,
    keep: keepAt.map((i) => header[i] as string),
    weight: weightAt < 0 ? undefined : (header[weightAt] as string),
    scoreKind: options.scoreKind ?? 'logit',
    at,
    labelAt,
    weightAt,
  };
}

/**
 * Reads every row of a wide file, validating as it goes: each score a finite logit or a
 * probability in [0, 1] (a softmax row of probabilities summing to 1 within
 * SUM_TOLERANCE_PER_CLASS × classes), the label a class index, a class name or the background
 * (sigmoid only), the weight ≥ 0; the row as many fields as the header.
 */
export async function* streamWide(
  source: InputSource,
  options: WideOptions,
  handlerFor: (columns: WideColumns) => WideHandler,
): AsyncGenerator<void, WideSummary> {
  let scanner: RecordScanner | undefined;
  let columns: WideColumns | undefined;
  let rows = 0;
  let ignored = 0;
  let invalid = 0;
  let firstInvalid: readonly MessagePart[] | undefined;
  const skipInvalid = options.skipInvalid ?? false;
  const malformed = (line: number, problem: string | readonly MessagePart[]) => {
    const parts = typeof problem === 'string' ? [problem] : problem;
    if (!skipInvalid) throw new InputError([`${source.name}:${line}: `, ...parts]);
    invalid++;
    firstInvalid ??= [`${line}: `, ...parts];
  };
  const ignore = options.ignoreLabels ?? [];
  const headerless = options.header === false;
  let runs: WhiteSpaceRuns | undefined;
  const feed = (bytes: Uint8Array) =>
    (scanner as RecordScanner).push(runs ? runs.push(bytes) : bytes);
  const softmax = options.activation === 'softmax';
  const backgroundText = options.background?.trim();
  const backgroundNumber =
    backgroundText === undefined || backgroundText === '' ? Number.NaN : Number(backgroundText);

  function start(first: string): RecordScanner {
    const { names, delimiter, whitespace } = lineOne(first, source.name, options);
    if (whitespace) runs = new WhiteSpaceRuns();
    const chosen = chooseWideColumns(names, source.name, options);
    columns = chosen;
    const onRow = handlerFor(chosen);
    const count = chosen.at.length;
    const LABEL = count;
    const WEIGHT = count + 1;
    const slots = new Int32Array(names.length).fill(-1);
    for (const [k, i] of chosen.at.entries()) slots[i] = k;
    if (chosen.labelAt >= 0) slots[chosen.labelAt] = LABEL;
    const HOT = count + 2;
    for (const [k, i] of chosen.hotAt.entries()) slots[i] = HOT + k;
    const multiHot = chosen.hotAt.length > 0;
    const hot = multiHot ? new Float64Array(count) : undefined;
    const KEEP = HOT + chosen.hotAt.length;
    for (const [j, i] of chosen.keepAt.entries()) slots[i] = KEEP + j;
    const keeping = chosen.keepAt.length > 0;
    if (chosen.weightAt >= 0) slots[chosen.weightAt] = WEIGHT;
    const probability = chosen.scoreKind === 'p';
    const weighted = chosen.weightAt >= 0;
    const scores = new Float64Array(count);
    const lowerNames = chosen.classes.map((n) => n.toLowerCase());
    const lowerColumns = chosen.classColumns.map((n) => n.toLowerCase());
    const tolerance = SUM_TOLERANCE_PER_CLASS * count;
    const backgroundRule =
      backgroundText === undefined || softmax
        ? ''
        : [' or the background (', `--background ${backgroundText}`, ')'].join('');
    const reader: RecordScanner = new RecordScanner(
      delimiter.charCodeAt(0),
      slots,
      count + 2 + chosen.hotAt.length + chosen.keepAt.length,
      headerless ? 1 : 2,
      (values, line) => {
        const y = values[LABEL] as number;
        if (!multiHot && ignore.length > 0 && ignore.includes(y)) {
          ignored++;
          return;
        }
        let target: number;
        if (hot !== undefined) {
          target = -2;
          for (let k = 0; k < count; k++) {
            const t = values[HOT + k] as number;
            if (t !== 0 && t !== 1) {
              const text = reader.fieldText(HOT + k);
              malformed(
                line,
                `column ${showValue(chosen.targetColumns?.[k] ?? '')}: ${text === '' ? 'empty value' : `${showValue(text)} is not a target (0 or 1)`}`,
              );
              return;
            }
            hot[k] = t;
          }
        } else if (!Number.isNaN(backgroundNumber) && y === backgroundNumber && !softmax)
          target = -1;
        else if (Number.isInteger(y) && y >= 0 && y < count) target = y;
        else if (Number.isNaN(y)) {
          const text = reader.fieldText(LABEL).trim();
          const lower = text.toLowerCase();
          let k = chosen.classes.indexOf(text);
          if (k < 0) k = chosen.classColumns.indexOf(text);
          if (k < 0) k = lowerNames.indexOf(lower);
          if (k < 0) k = lowerColumns.indexOf(lower);
          if (k >= 0) target = k;
          else if (!softmax && backgroundText !== undefined && text === backgroundText) target = -1;
          else {
            malformed(
              line,
              `column ${showValue(chosen.label)}: ${text === '' ? 'empty value' : `${showValue(text)} is not one of the ${count} classes' names (${columnList(chosen.classes)})${backgroundRule}`}`,
            );
            return;
          }
        } else {
          malformed(line, [
            `column ${showValue(chosen.label)}: ${showValue(reader.fieldText(LABEL).trim())} is not a class index (0 to ${count - 1})${backgroundRule}`,
            ...(softmax || backgroundText !== undefined
              ? []
              : ['; name the value of rows of no class with ', setting('background')]),
          ]);
          return;
        }
        const weight = weighted ? (values[WEIGHT] as number) : 1;
        if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
          const text = reader.fieldText(WEIGHT);
          malformed(
            line,
            `column ${showValue(chosen.weight ?? '')}: ${text === '' ? 'empty value' : `${showValue(text)} is not a weight ≥ 0`}`,
          );
          return;
        }
        let sum = 0;
        for (let k = 0; k < count; k++) {
          const s = values[k] as number;
          if (probability ? !(s >= 0 && s <= 1) : !Number.isFinite(s)) {
            const text = reader.fieldText(k);
            const why = Number.isNaN(s)
              ? 'is not a number'
              : probability
                ? 'is not a probability in [0, 1]'
                : 'is not a finite number';
            malformed(
              line,
              `column ${showValue(chosen.classColumns[k] ?? '')}: ${text === '' ? 'empty value' : `${showValue(text)} ${why}`}`,
            );
            return;
          }
          scores[k] = s;
          sum += s;
        }
        if (softmax && probability && !(Math.abs(sum - 1) <= tolerance)) {
          malformed(
            line,
            `the ${count} class probabilities sum to ${sum}, not 1 (within ${tolerance}, ${SUM_TOLERANCE_PER_CLASS} per class)`,
          );
          return;
        }
        rows++;
        onRow(
          scores,
          target,
          weight,
          line,
          hot,
          keeping ? chosen.keepAt.map((_, j) => reader.fieldText(KEEP + j)) : KEPT_NONE,
        );
      },
      (line, message) => malformed(line, message),
    );
    if (headerless) reader.shapeSource = 'line 1';
    return reader;
  }

  const binary = yield* scanText(
    source,
    { headerless, firstIsRow: headerless },
    (line1) => {
      scanner = start(line1);
      return scanner;
    },
    feed,
    (head, rest) => {
      // A binary file (.npy, .npz, Parquet: told by its magic bytes) is no wide text file.
      if (!isBinary(head)) return undefined;
      if (head[0] === 0x93 || (head[0] === 0x50 && head[1] === 0x4b)) {
        // A 2-D .npy score array (or a .npz's): input/npy-wide.ts, loaded only for one.
        return (async function* () {
          const { streamWideBinary } = await import('./npy-wide.js');
          return yield* streamWideBinary(source, head, rest, options, handlerFor);
        })();
      }
      throw new InputError(
        `${source.name}: a binary file (Parquet); one score column per class is read from text, .npy and .npz files`,
      );
    },
  );
  if (binary !== undefined) return binary;
  return { columns: columns as WideColumns, rows, ignored, invalid, firstInvalid };
}
