/**
 * A 2-D numpy score array as a wide input (issue 17, item 1): `--input scores.npy` of shape
 * (N, K), one column per class, read as a wide text file's class columns (wide.ts) with the
 * same options: `--class-cols` (positions `A:B`, `*` for all, or K names), `--activation`,
 * labels as class indices (`--labels FILE.npy`, 1-D, with `--background`/`--ignore-label`) or
 * a 2-D 0/1 array of shape (N, K) (multi-hot targets, sigmoid only), `--weights FILE.npy` (one
 * per row). C order is read in chunks as it comes; Fortran order (column after column) by
 * positional reads of each column's part of a file. A `.npz` input's arrays likewise (C order).
 * Loaded only when a wide read meets a .npy or .npz file (wide.ts).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { InputError, type MessagePart, setting, showValue } from '../errors.js';
import { now } from '../format/breathe.js';
import {
  CHUNK,
  decode,
  NpyArray,
  type NpyArray as NpyArrayType,
  openNpyFile,
  openNpz,
  refuseStdinTwice,
} from './npy.js';
import type { ScoreKind } from './prediction-types.js';
import type { InputSource } from './source.js';
import {
  SUM_TOLERANCE_PER_CLASS,
  type WideColumns,
  type WideHandler,
  type WideOptions,
  type WideSummary,
} from './wide-types.js';

/** Synchronous work between two turns of the event loop: about this long at most. */
const TURN_MS = 20;
const KEPT_NONE: readonly string[] = [];

/** Rows of a 2-D array in row-major blocks, whatever its order on disk. */
interface RowBlocks {
  readonly name: string;
  readonly columns: number;
  /** Fills `rows` rows (rows × columns values, row-major) into `out`; fewer only at the end. */
  fill(out: Float64Array, rows: number): Promise<number>;
}

/** A C-order array: its elements come row after row. */
function cOrder(array: NpyArrayType, columns: number): RowBlocks {
  return {
    name: array.name,
    columns,
    async fill(out, rows) {
      const got = await array.fill(out, rows * columns);
      return Math.floor(got / columns);
    },
  };
}

/** A Fortran-order array in a file: column k's rows r0… are at data + (k·N + r0)·size. */
function fortranOrder(
  handle: FileHandle,
  array: NpyArrayType,
  columns: number,
  blockRows: number,
  counter?: { bytes: number },
): RowBlocks {
  const { dtype, length } = array.header;
  const size = dtype.size;
  const bytes = new Uint8Array(blockRows * size);
  const column = new Float64Array(blockRows);
  let row = 0;
  return {
    name: array.name,
    columns,
    async fill(out, rows) {
      const n = Math.min(rows, length - row);
      for (let k = 0; k < columns; k++) {
        const position = array.dataOffset + (k * length + row) * size;
        const { bytesRead } = await handle.read(bytes, 0, n * size, position);
        if (bytesRead < n * size) return 0; // truncated: the caller says so
        if (counter !== undefined) counter.bytes += bytesRead;
        decode(dtype, bytes, 0, column, 0, n);
        for (let i = 0; i < n; i++) out[i * columns + k] = column[i] as number;
      }
      row += n;
      return n;
    },
  };
}

/**
 * Which columns `--class-cols` names in an array of `count` columns, and the classes' names:
 * positions (`A:B`, both ends included, or a list of numbers, named by position), `*` (every
 * column), or a name for each column.
 */
function arrayClasses(
  spec: string,
  count: number,
  name: string,
): { at: number[]; names: string[] } {
  const fail = (why: string): never => {
    throw new InputError([setting('classCols'), ` ${showValue(spec)}: ${why}`]);
  };
  const positions = `${name} has ${count} columns (positions 0 to ${count - 1})`;
  const range = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(spec);
  let at: number[];
  if (spec.trim() === '*') at = Array.from({ length: count }, (_, k) => k);
  else if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (!(from <= to)) fail(`the range ${from}:${to} is empty (both ends are included)`);
    if (to >= count) fail(positions);
    at = Array.from({ length: to - from + 1 }, (_, k) => from + k);
  } else {
    const list = spec.split(',').map((s) => s.trim());
    if (list.every((s) => /^\d+$/.test(s))) {
      at = list.map(Number);
      if (at.some((k) => k >= count)) fail(positions);
    } else {
      if (spec.includes('*')) {
        fail(
          `${name} has no column names: give * (every column), positions (0:${count - 1}) or a name per column`,
        );
      }
      if (list.length !== count) {
        fail(
          `${list.length} names for the ${count} columns of ${name}; name every column, or give positions (0:${count - 1}) or *`,
        );
      }
      const twice = list.find((n, k) => list.indexOf(n) !== k);
      if (twice !== undefined) fail(`two classes are named ${showValue(twice)}`);
      return { at: list.map((_, k) => k), names: list };
    }
  }
  const twice = at.find((k, i) => at.indexOf(k) !== i);
  if (twice !== undefined) fail(`column ${twice} is named twice`);
  return { at, names: at.map(String) };
}

/**
 * Reads a 2-D .npy (or .npz) score array as a wide input, checking each row as wide.ts checks a
 * text row (errors name `ARRAY[ROW]` or `ARRAY[ROW, COLUMN]`), and hands it to the handler.
 */
export async function* streamWideBinary(
  source: InputSource,
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  options: WideOptions,
  handlerFor: (columns: WideColumns) => WideHandler,
): AsyncGenerator<void, WideSummary> {
  for (const textOnly of [
    'labelCol',
    'weightCol',
    'keepCols',
    'names',
    'targetCols',
    'scoreCol',
  ] as const) {
    const value = options[textOnly];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      const instead =
        textOnly === 'weightCol'
          ? '--weights FILE.npy'
          : textOnly === 'targetCols'
            ? '--labels FILE.npy of shape (rows, classes)'
            : textOnly === 'labelCol'
              ? '--labels FILE.npy or --label-array'
              : textOnly === 'scoreCol'
                ? '--class-cols'
                : '--line-numbers gives each row its index';
      throw new InputError([
        setting(textOnly),
        `: ${source.name} is a numpy file, without named columns (${instead} instead)`,
      ]);
    }
  }
  refuseStdinTwice(options);
  const closers: (() => Promise<void> | void)[] = [];
  let scoreKind: ScoreKind = options.scoreKind ?? 'logit';
  try {
    let scoreArray: NpyArrayType;
    let labelArray: NpyArrayType;
    const isNpz = head[0] !== 0x93;
    if (!isNpz) {
      scoreArray = new NpyArray(source.name, 'scores', rest, head);
      await scoreArray.open(true);
      if (options.labels === undefined) {
        throw new InputError([
          `${source.name}: a .npy file holds one array, the scores: give the labels with `,
          setting('labels'),
          ' FILE.npy',
        ]);
      }
      labelArray = await openNpyFile(options.labels, 'labels', closers, true, source.stdin);
      if (options.scoreArray !== undefined || options.labelArray !== undefined) {
        throw new InputError([
          setting(options.scoreArray !== undefined ? 'scoreArray' : 'labelArray'),
          `: goes with a .npz input, and ${source.name} is a .npy file`,
        ]);
      }
    } else {
      const npz = await openNpz(source, options, closers, false, true);
      scoreArray = npz.scores as NpyArrayType;
      labelArray = npz.labels;
      if (npz.probabilities) scoreKind = 'p';
      for (const a of [scoreArray, labelArray]) {
        if (a.header.fortran === true && a.header.columns !== undefined) {
          throw new InputError(
            `${a.name}: a Fortran-order array in a .npz is read column after column; save it in C order (np.ascontiguousarray) or as a .npy file`,
          );
        }
      }
    }
    const weightArray =
      options.weights === undefined
        ? undefined
        : await openNpyFile(options.weights, 'weights', closers, false, source.stdin);
    const rows = scoreArray.header.length;
    const width = scoreArray.header.columns;
    if (width === undefined) {
      throw new InputError(
        `${scoreArray.name}: a 1-D array of ${rows} scores is not a wide input: --class-cols reads a 2-D array (rows, classes)`,
      );
    }
    const shape = (a: NpyArrayType) =>
      a.header.columns === undefined
        ? `(${a.header.length},)`
        : `(${a.header.length}, ${a.header.columns})`;
    for (const other of [labelArray, weightArray]) {
      if (other !== undefined && other.header.length !== rows) {
        throw new InputError(
          `${other.name}: shape ${shape(other)}, but ${scoreArray.name} has shape ${shape(scoreArray)}: one ${other.role === 'labels' ? 'label' : 'weight'} per row`,
        );
      }
    }
    const hotWidth = labelArray.header.columns;
    if (hotWidth !== undefined && hotWidth !== 1 && hotWidth !== width) {
      throw new InputError(
        `${labelArray.name}: shape ${shape(labelArray)}: multi-hot targets need one column per column of ${scoreArray.name} ${shape(scoreArray)}`,
      );
    }
    const multiHot = hotWidth !== undefined && hotWidth !== 1;
    const softmax = options.activation === 'softmax';
    if (multiHot && softmax) {
      throw new InputError(
        `${labelArray.name}: shape ${shape(labelArray)} holds multi-hot targets, for --activation sigmoid; a softmax row has one class: give its index (labels.argmax(1))`,
      );
    }
    if (multiHot && (options.ignoreLabels ?? []).length > 0) {
      throw new InputError([
        setting('ignoreLabels'),
        `: ${labelArray.name} holds multi-hot targets (0/1 per class), not class indices`,
      ]);
    }
    if (multiHot && options.background !== undefined) {
      throw new InputError([
        setting('background'),
        `: ${labelArray.name} holds multi-hot targets (0/1 per class), not class indices`,
      ]);
    }
    const { at, names } = arrayClasses(options.classCols, width, scoreArray.name);
    // Rows per block: CHUNK elements; at least 8192 rows when a Fortran array is read by columns.
    const fortran = [scoreArray, labelArray].some((a) => a.header.fortran === true);
    const blockRows = Math.max(fortran ? 8192 : 1, Math.floor(CHUNK / width));
    const blocksOf = async (a: NpyArrayType, columns: number): Promise<RowBlocks> => {
      if (a.header.fortran !== true || columns === 1) return cOrder(a, columns);
      // Column after column: positional reads of an uncompressed .npy file (not a pipe, not gzip).
      const refuse = () =>
        new InputError(
          `${a.name}: a Fortran-order array is read column after column, from an uncompressed .npy file, not from a pipe or gzip; save it in C order (np.ascontiguousarray)`,
        );
      if (a.name === 'stdin' || (a === scoreArray && source.size === undefined)) throw refuse();
      const h = await open(a.name, 'r');
      closers.push(() => h.close());
      const magic = new Uint8Array(6);
      await h.read(magic, 0, 6, 0);
      const isFile = (await h.stat()).isFile();
      if (!isFile || magic[0] !== 0x93 || magic[1] !== 0x4e || magic[5] !== 0x59) throw refuse();
      if (a !== scoreArray) return fortranOrder(h, a, columns, blockRows);
      // The scores' columns are read at their offsets: the progress bar counts those reads.
      const counter = { bytes: a.dataOffset };
      source.readElsewhere?.(() => counter.bytes);
      return fortranOrder(h, a, columns, blockRows, counter);
    };
    const scores = await blocksOf(scoreArray, width);
    const labels = await blocksOf(labelArray, multiHot ? width : 1);
    const columns: WideColumns = {
      classes: names,
      classColumns: names,
      label: labelArray.name,
      ...(multiHot ? { targetColumns: names } : {}),
      weight: weightArray?.name,
      scoreKind,
      keep: [],
    };
    const onRow = handlerFor(columns);
    return yield* wideRows(
      options,
      columns,
      scores,
      labels,
      multiHot,
      weightArray,
      rows,
      at,
      blockRows,
      onRow,
    );
  } finally {
    for (const close of closers) await close();
  }
}

/** Reads the arrays in step, checks each row as wide.ts does and hands it over. */
async function* wideRows(
  options: WideOptions,
  columns: WideColumns,
  scoreBlocks: RowBlocks,
  labelBlocks: RowBlocks,
  multiHot: boolean,
  weights: NpyArrayType | undefined,
  length: number,
  at: readonly number[],
  blockRows: number,
  onRow: WideHandler,
): AsyncGenerator<void, WideSummary> {
  const width = scoreBlocks.columns;
  const count = at.length;
  const s = new Float64Array(blockRows * width);
  const l = new Float64Array(blockRows * labelBlocks.columns);
  const w = new Float64Array(blockRows).fill(1);
  const scores = new Float64Array(count);
  const hot = multiHot ? new Float64Array(count) : undefined;
  const ignore = options.ignoreLabels ?? [];
  const skipInvalid = options.skipInvalid ?? false;
  const softmax = options.activation === 'softmax';
  const probability = columns.scoreKind === 'p';
  const tolerance = SUM_TOLERANCE_PER_CLASS * count;
  const backgroundText = options.background?.trim();
  const background =
    backgroundText === undefined || backgroundText === '' || softmax
      ? Number.NaN
      : Number(backgroundText);
  const backgroundRule = Number.isNaN(background)
    ? ''
    : ` or the background (--background ${backgroundText})`;
  let rows = 0;
  let ignored = 0;
  let invalid = 0;
  let firstInvalid: MessagePart[] | undefined;
  const malformed = (problem: MessagePart[]) => {
    if (!skipInvalid) throw new InputError(problem);
    invalid++;
    firstInvalid ??= [' ', ...problem];
  };
  let turn = now();
  for (let done = 0; done < length; ) {
    const want = Math.min(blockRows, length - done);
    for (const [blocks, out] of [
      [labelBlocks, l],
      [scoreBlocks, s],
    ] as const) {
      if ((await blocks.fill(out, want)) < want) {
        throw new InputError(`${blocks.name}: truncated: the header says ${length} rows`);
      }
    }
    if (weights !== undefined && (await weights.fill(w, want)) < want) {
      throw new InputError(`${weights.name}: truncated: the header says ${length} elements`);
    }
    rowLoop: for (let i = 0; i < want; i++) {
      if ((i & 1023) === 1023 && now() - turn >= TURN_MS) {
        yield;
        await new Promise((resolve) => setImmediate(resolve));
        turn = now();
      }
      const index = done + i;
      let target: number;
      if (hot !== undefined) {
        target = -2;
        for (const [k, j] of at.entries()) {
          const t = l[i * width + j] as number;
          if (t !== 0 && t !== 1) {
            malformed([`${labelBlocks.name}[${index}, ${j}]: ${t} is not a target (0 or 1)`]);
            continue rowLoop;
          }
          hot[k] = t;
        }
      } else {
        const y = l[i] as number;
        if (ignore.length > 0 && ignore.includes(y)) {
          ignored++;
          continue;
        }
        if (y === background) target = -1;
        else if (Number.isInteger(y) && y >= 0 && y < count) target = y;
        else {
          malformed([
            `${labelBlocks.name}[${index}]: ${y} is not a class index (0 to ${count - 1})${backgroundRule}`,
            ...(softmax || backgroundText !== undefined
              ? []
              : ['; name the value of rows of no class with ', setting('background')]),
          ]);
          continue;
        }
      }
      const weight = w[i] as number;
      if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
        malformed([`${weights?.name}[${index}]: ${weight} is not a weight ≥ 0`]);
        continue;
      }
      let sum = 0;
      for (const [k, j] of at.entries()) {
        const x = s[i * width + j] as number;
        if (probability ? !(x >= 0 && x <= 1) : !Number.isFinite(x)) {
          const why = Number.isNaN(x)
            ? 'is not a number'
            : probability
              ? 'is not a probability in [0, 1]'
              : 'is not a finite number';
          malformed([`${scoreBlocks.name}[${index}, ${j}]: ${x} ${why}`]);
          continue rowLoop;
        }
        scores[k] = x;
        sum += x;
      }
      if (softmax && probability && !(Math.abs(sum - 1) <= tolerance)) {
        malformed([
          `${scoreBlocks.name}[${index}]: the ${count} class probabilities sum to ${sum}, not 1 (within ${tolerance}, ${SUM_TOLERANCE_PER_CLASS} per class)`,
        ]);
        continue;
      }
      rows++;
      onRow(scores, target, weight, index, hot, KEPT_NONE);
    }
    done += want;
    yield;
    if (now() - turn >= TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = now();
    }
  }
  return { columns, rows, ignored, invalid, firstInvalid };
}
