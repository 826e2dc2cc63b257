/**
 * Parquet files as prediction files: the columns named as a CSV file's are (`scoreCol`,
 * `labelCol`, `weightCol`, or the defaults p/logit and y/label/…), read one row group at a time
 * by parquet-wasm (Rust's parquet crate in WebAssembly: snappy, gzip, zstd, brotli, lz4) and
 * turned into typed arrays by apache-arrow (bench/README.md says why these). Loaded only when an
 * input's first bytes are Parquet's magic `PAR1` (predictions.ts): the examples, checked by the
 * rules of a .npy file's (npy.ts), go to the same handler as a CSV file's rows.
 *
 * Memory: about one row group of the columns read (the footer says where each one is).
 * A column holds floats, integers or booleans; a null is an empty value (a malformed row).
 */
import { openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Data, Type, tableFromIPC } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { InputError, setting, showValue } from '../errors.js';
import { type ExampleArray, examples } from './npy.js';
import type {
  ChosenColumns,
  ColumnOptions,
  ExampleHandler,
  ReadSummary,
} from './prediction-types.js';
import { chooseColumns, isBinary } from './predictions.js';
import type { InputSource } from './source.js';

/** parquet-wasm's failure (a string or an Error) as one `focal:` line naming the file. */
function corrupt(name: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new InputError(`${name}: not a readable Parquet file (${why})`);
}

/** The values of one Arrow column chunk as doubles into `out` from `k`; a null is NaN. */
function decode(data: Data, out: Float64Array, k: number, column: string, name: string): void {
  const n = data.length;
  const type = data.type;
  const values = data.values as ArrayLike<number | bigint> & { BYTES_PER_ELEMENT?: number };
  const at = data.offset;
  if (type.typeId === Type.Bool) {
    const bits = data.values as Uint8Array;
    for (let i = 0; i < n; i++)
      out[k + i] = (bits[(at + i) >> 3] as number) & (1 << ((at + i) & 7)) ? 1 : 0;
  } else if (
    type.typeId === Type.Float &&
    (type as unknown as { precision: number }).precision === 0
  ) {
    for (let i = 0; i < n; i++) out[k + i] = half(values[at + i] as number);
  } else if (type.typeId === Type.Float || type.typeId === Type.Int) {
    if (
      typeof values[0] === 'bigint' ||
      values instanceof BigInt64Array ||
      values instanceof BigUint64Array
    ) {
      for (let i = 0; i < n; i++) out[k + i] = Number(values[at + i] as bigint);
    } else {
      out.set((values as Float64Array).subarray(at, at + n), k);
    }
  } else if (type.typeId === Type.Decimal) {
    // Decimal(precision, scale): a two's-complement integer of 128 or 256 bits, over 10^scale.
    // Exact integers below 2^53 over an exact power of ten: the quotient is correctly rounded,
    // the double that the decimal text gives (a CSV twin's).
    const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
    const words = data.values as Uint32Array;
    const step = bitWidth / 32;
    const divisor = 10 ** scale;
    for (let i = 0; i < n; i++) {
      const w = (at + i) * step;
      let value = 0;
      const negative = ((words[w + step - 1] as number) & 0x80000000) !== 0;
      for (let j = step - 1; j >= 0; j--) {
        const word = words[w + j] as number;
        value = value * 4294967296 + (negative ? ~word >>> 0 : word);
      }
      out[k + i] = (negative ? -(value + 1) : value) / divisor;
    }
  } else {
    throw new InputError(
      `${name}: column ${showValue(column)} holds ${String(type)}, not numbers (focal reads float, decimal, integer and boolean columns)`,
    );
  }
  if (data.nullCount > 0 && data.nullBitmap !== undefined) {
    const bits = data.nullBitmap;
    for (let i = 0; i < n; i++) {
      if (!((bits[(at + i) >> 3] as number) & (1 << ((at + i) & 7)))) out[k + i] = Number.NaN;
    }
  }
}

/** A half-precision float's bits → its value. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** The row groups of the chosen columns, one after another, as doubles. */
class RowGroups {
  private group = 0;
  /** Each column's row groups read and not yet taken (at most one ahead: they are read in step). */
  readonly queues: Float64Array[][];
  constructor(
    private readonly file: ParquetFile,
    private readonly name: string,
    private readonly columns: readonly string[],
    private readonly sizes: readonly number[],
  ) {
    this.queues = columns.map(() => []);
  }

  /** Reads the next row group into the queues; false after the last. */
  async next(): Promise<boolean> {
    if (this.group >= this.sizes.length) return false;
    const rows = this.sizes[this.group] as number;
    let table: ReturnType<typeof tableFromIPC>;
    try {
      const read = await this.file.read({
        rowGroups: [this.group],
        columns: [...this.columns],
        batchSize: Math.max(1, rows),
      });
      table = tableFromIPC(read.intoIPCStream());
    } catch (error) {
      throw corrupt(this.name, error);
    }
    for (const [c, column] of this.columns.entries()) {
      const vector = table.getChild(column);
      if (vector === null || vector.length !== rows) {
        throw new InputError(
          `${this.name}: not a readable Parquet file (row group ${this.group}: column ${showValue(column)} has ${vector?.length ?? 0} of its ${rows} rows)`,
        );
      }
      const out = new Float64Array(rows);
      let k = 0;
      for (const data of vector.data) {
        decode(data, out, k, column, this.name);
        k += data.length;
      }
      this.queues[c]?.push(out);
    }
    this.group++;
    return true;
  }
}

/** One column of the file, read in step with the others through `groups`. */
class ParquetColumn implements ExampleArray {
  read = 0;
  private values: Float64Array = new Float64Array(0);
  private at = 0;
  constructor(
    readonly name: string,
    readonly role: string,
    private readonly groups: RowGroups,
    private readonly index: number,
  ) {}

  async fill(out: Float64Array, count: number): Promise<number> {
    const queue = this.groups.queues[this.index] as Float64Array[];
    let k = 0;
    while (k < count) {
      if (this.at >= this.values.length) {
        if (queue.length === 0 && !(await this.groups.next())) break;
        this.values = queue.shift() as Float64Array;
        this.at = 0;
        continue;
      }
      const take = Math.min(count - k, this.values.length - this.at);
      out.set(this.values.subarray(this.at, this.at + take), k);
      k += take;
      this.at += take;
    }
    this.read += k;
    return k;
  }
}

/**
 * Reads a Parquet input (its first bytes `PAR1`), checking each example as a CSV row is checked,
 * and handing it to the handler; pauses after each chunk.
 */
export async function* streamParquet(
  source: InputSource,
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
): AsyncGenerator<void, ReadSummary> {
  const name = source.name;
  source.close();
  for (const other of ['labels', 'weights', 'scoreArray', 'labelArray', 'names'] as const) {
    if (options[other] !== undefined) {
      throw new InputError([
        setting(other),
        `: goes with a ${other === 'names' ? 'text file without a header' : other.endsWith('Array') ? '.npz' : '.npy'} input, and ${name} is a Parquet file (its columns have names)`,
      ]);
    }
  }
  if ((options.keepCols ?? []).length > 0) {
    throw new InputError([setting('keepCols'), `: not read from Parquet files yet (${name})`]);
  }
  if (source.size === undefined || name === 'stdin') {
    throw new InputError(
      `${name}: a Parquet file is read from a file (its directory is at its end), not from a pipe`,
    );
  }
  // The file itself, not its gunzipped bytes (openInput gunzips whatever starts with 1f 8b).
  const handle = await open(name, 'r');
  const magic = new Uint8Array(4);
  await handle.read(magic, 0, 4, 0);
  await handle.close();
  if (!isBinary(magic)) {
    throw new InputError(
      `${name}: a compressed Parquet file: decompress it first (Parquet compresses its own pages)`,
    );
  }
  let file: ParquetFile;
  let names: string[];
  let sizes: number[];
  try {
    file = await ParquetFile.fromFile(await openAsBlob(name));
    const metadata = file.metadata();
    names = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
    sizes = [];
    for (let g = 0; g < metadata.numRowGroups(); g++) sizes.push(metadata.rowGroup(g).numRows());
  } catch (error) {
    throw corrupt(name, error);
  }
  const chosen = chooseColumns(names, name, options);
  const labelsOnly = options.labelsOnly ?? false;
  const wanted = [
    chosen.label,
    ...(labelsOnly ? [] : [chosen.score]),
    ...(chosen.weight === undefined ? [] : [chosen.weight]),
  ];
  const groups = new RowGroups(file, name, wanted, sizes);
  const column = (i: number, role: string) =>
    new ParquetColumn(`${name}:${wanted[i]}`, role, groups, i);
  const labels = column(0, 'labels');
  const scores = labelsOnly ? undefined : column(1, 'scores');
  const weights = chosen.weight === undefined ? undefined : column(wanted.length - 1, 'weights');
  const onExample = handlerFor(chosen);
  try {
    return yield* examples(
      options,
      false,
      chosen,
      scores,
      labels,
      weights,
      sizes.reduce((a, b) => a + b, 0),
      onExample,
    );
  } finally {
    file.free();
  }
}
