/**
 * Parquet files as prediction files: the columns named as a CSV file's are (`scoreCol`,
 * `labelCol`, `weightCol`, or the defaults p/logit and y/label/…), read one row group at a time
 * by parquet-wasm (Rust's parquet crate in WebAssembly: snappy, gzip, zstd, brotli, lz4; why
 * this reader: bench/README.md), the values taken from its memory as doubles. parquet-wasm is an
 * optional dependency, required where it is installed (its WebAssembly is 1.6 MB gzipped, three
 * times focal's tarball): not bundled, as @resvg/resvg-js for PNG is not. Loaded only when an
 * input's first bytes are Parquet's magic `PAR1` (predictions.ts): the examples, checked by the
 * rules of a .npy file's (npy.ts), go to the same handler as a CSV file's rows.
 *
 * Memory: about one row group of the columns read (the footer says where each one is).
 * A column holds floats, integers or booleans; a null is an empty value (a malformed row).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ParquetFile } from 'parquet-wasm';
import { InputError, setting, showValue } from '../errors.js';
import { type ExampleArray, examples, half } from './npy.js';
import type {
  ChosenColumns,
  ColumnOptions,
  ExampleHandler,
  ReadSummary,
} from './prediction-types.js';
import type { InputSource } from './source.js';

type ParquetWasm = typeof import('parquet-wasm');
let wasmMemory: ParquetWasm['wasmMemory'];

/** parquet-wasm, from where it is installed. @throws InputError where it is not. */
function parquetWasm(name: string): ParquetWasm {
  let found: ParquetWasm;
  try {
    found = createRequire(import.meta.url)('parquet-wasm') as ParquetWasm;
  } catch {
    throw new InputError(
      `${name}: reading Parquet needs the optional package parquet-wasm, which is not installed here (npm install parquet-wasm next to focal, or give a CSV file)`,
    );
  }
  wasmMemory = found.wasmMemory;
  return found;
}

/**
 * Loads parquet-wasm (compiling its WebAssembly) ahead of a read: the worker of
 * input/parallel.ts does so while the main thread reads the file's footer.
 */
export function preloadParquet(): void {
  try {
    parquetWasm('');
  } catch {
    // The read names the problem.
  }
}

/** parquet-wasm's failure (a string or an Error) as one `focal:` line naming the file. */
function corrupt(name: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new InputError(`${name}: not a readable Parquet file (${why})`);
}

/*
 * The columns are read where parquet-wasm leaves them, in its WebAssembly memory, through the
 * Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html): a record
 * batch is a struct array whose children are the columns. The structs' fields in wasm32
 * (pointers of 4 bytes, int64 aligned to 8):
 */
/** ArrowSchema: format, name, n_children, children. */
const SCHEMA_FORMAT = 0;
const SCHEMA_NAME = 4;
const SCHEMA_N_CHILDREN = 24;
const SCHEMA_CHILDREN = 32;
/** ArrowArray: length, null_count, offset, buffers (validity, values), children. */
const ARRAY_LENGTH = 0;
const ARRAY_NULL_COUNT = 8;
const ARRAY_OFFSET = 16;
const ARRAY_BUFFERS = 40;
const ARRAY_CHILDREN = 44;

/** The NUL-terminated text at `at`. */
function cString(memory: Uint8Array, at: number): string {
  const end = memory.indexOf(0, at);
  return Buffer.from(memory.buffer, memory.byteOffset + at, end - at).toString('utf8');
}

/** A struct schema's children: each one's name and format (Arrow's type code). */
function children(view: DataView, bytes: Uint8Array, schema: number): [string, string][] {
  const n = Number(view.getBigInt64(schema + SCHEMA_N_CHILDREN, true));
  const list = view.getUint32(schema + SCHEMA_CHILDREN, true);
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const child = view.getUint32(list + 4 * i, true);
    out.push([
      cString(bytes, view.getUint32(child + SCHEMA_NAME, true)),
      cString(bytes, view.getUint32(child + SCHEMA_FORMAT, true)),
    ]);
  }
  return out;
}

/** The names of the formats focal reads, for messages. */
const FORMAT_NAMES: Record<string, string> = {
  u: 'text (utf8)',
  U: 'text (utf8)',
  z: 'binary',
  Z: 'binary',
  n: 'nulls only',
};

/** Arrow formats of numbers: the element's size in bytes and how to read one. */
const NUMERIC: Record<string, [size: number, kind: 'f' | 'i' | 'u']> = {
  e: [2, 'f'],
  f: [4, 'f'],
  g: [8, 'f'],
  c: [1, 'i'],
  C: [1, 'u'],
  s: [2, 'i'],
  S: [2, 'u'],
  i: [4, 'i'],
  I: [4, 'u'],
  l: [8, 'i'],
  L: [8, 'u'],
};

/** Whether an Arrow format is one focal reads as numbers (floats, integers, bool, decimals). */
function readable(format: string): boolean {
  return format in NUMERIC || format === 'b' || /^d:\d+,\d+(,(128|256))?$/.test(format);
}

function unsupported(name: string, column: string, format: string): InputError {
  return new InputError(
    `${name}: column ${showValue(column)} holds ${FORMAT_NAMES[format] ?? `Arrow type ${showValue(format)}`}, not numbers (focal reads float, decimal, integer and boolean columns)`,
  );
}

/** One column (an ArrowArray at `array`, of `format`) as doubles into `out` from `k`; a null is NaN. */
function decode(
  memory: ArrayBuffer,
  array: number,
  format: string,
  out: Float64Array,
  k: number,
): number {
  const view = new DataView(memory);
  const n = Number(view.getBigInt64(array + ARRAY_LENGTH, true));
  const nulls = Number(view.getBigInt64(array + ARRAY_NULL_COUNT, true));
  const at = Number(view.getBigInt64(array + ARRAY_OFFSET, true));
  const buffers = view.getUint32(array + ARRAY_BUFFERS, true);
  const validity = view.getUint32(buffers, true);
  const values = view.getUint32(buffers + 4, true);
  const numeric = NUMERIC[format];
  if (numeric !== undefined) {
    const [size, kind] = numeric;
    const start = values + at * size;
    if (size === 8 && kind === 'f' && start % 8 === 0) {
      out.set(new Float64Array(memory, start, n), k);
    } else if (size === 4 && kind === 'f' && start % 4 === 0) {
      out.set(new Float32Array(memory, start, n), k);
    } else if (size === 1) {
      out.set(kind === 'i' ? new Int8Array(memory, start, n) : new Uint8Array(memory, start, n), k);
    } else {
      for (let i = 0, p = start; i < n; i++, p += size) {
        out[k + i] =
          size === 2
            ? kind === 'f'
              ? half(view.getUint16(p, true))
              : kind === 'i'
                ? view.getInt16(p, true)
                : view.getUint16(p, true)
            : size === 4
              ? kind === 'f'
                ? view.getFloat32(p, true)
                : kind === 'i'
                  ? view.getInt32(p, true)
                  : view.getUint32(p, true)
              : kind === 'f'
                ? view.getFloat64(p, true)
                : kind === 'i'
                  ? Number(view.getBigInt64(p, true))
                  : Number(view.getBigUint64(p, true));
      }
    }
  } else if (format === 'b') {
    const bits = new Uint8Array(memory);
    for (let i = 0; i < n; i++) {
      const bit = at + i;
      out[k + i] = (bits[values + (bit >> 3)] as number) & (1 << (bit & 7)) ? 1 : 0;
    }
  } else {
    // Decimal d:PRECISION,SCALE[,BITS]: a two's-complement integer of 128 (or 256) bits, over
    // 10^scale. An exact integer below 2^53 over an exact power of ten: the quotient is
    // correctly rounded, the double that the decimal text gives (a CSV twin's).
    const [, scale, bits] = format.slice(2).split(',').map(Number) as [number, number, number?];
    const words = (bits ?? 128) / 32;
    const divisor = 10 ** scale;
    for (let i = 0; i < n; i++) {
      const p = values + (at + i) * words * 4;
      const negative = (view.getUint32(p + (words - 1) * 4, true) & 0x80000000) !== 0;
      let value = 0;
      for (let j = words - 1; j >= 0; j--) {
        const word = view.getUint32(p + 4 * j, true);
        value = value * 4294967296 + (negative ? ~word >>> 0 : word);
      }
      out[k + i] = (negative ? -(value + 1) : value) / divisor;
    }
  }
  if (nulls > 0 && validity !== 0) {
    const bits = new Uint8Array(memory);
    for (let i = 0; i < n; i++) {
      const bit = at + i;
      if (!((bits[validity + (bit >> 3)] as number) & (1 << (bit & 7)))) out[k + i] = Number.NaN;
    }
  }
  return n;
}

/** The row groups of the chosen columns, one after another, as doubles. */
class RowGroups {
  private group: number;
  /**
   * Each column's row groups read and not yet taken: the columns are read in step, but one
   * fill of 65,536 examples may cross several small row groups before the next column's fill.
   */
  readonly queues: Float64Array[][];
  /** Each column's arrays read to their end, for the next row groups (less garbage). */
  readonly spares: Float64Array[][];
  constructor(
    private readonly file: ParquetFile,
    private readonly name: string,
    private readonly columns: readonly string[],
    /** The file's row groups' sizes. */
    private readonly sizes: readonly number[],
    /** Row groups [first, end) are read (a part of the file: input/parallel.ts). */
    first: number,
    private readonly end: number,
    /** Called after each row group's read: the buffers of its slices may be read into again. */
    private readonly release: () => void = () => {},
  ) {
    this.group = first;
    this.queues = columns.map(() => []);
    this.spares = columns.map(() => []);
  }

  /** Reads the next row group into the queues; false after the last. */
  async next(): Promise<boolean> {
    if (this.group >= this.end) return false;
    const rows = this.sizes[this.group] as number;
    const outs = this.columns.map((_, c) => {
      const spare = this.spares[c]?.pop();
      return spare?.length === rows ? spare : new Float64Array(rows);
    });
    const filled = this.columns.map(() => 0);
    let table: Awaited<ReturnType<ParquetFile['read']>> | undefined;
    try {
      table = await this.file.read({
        rowGroups: [this.group],
        columns: [...this.columns],
        batchSize: Math.max(1, rows),
      });
      for (let b = 0; b < table.numBatches; b++) {
        const batch = table.recordBatch(b);
        if (batch === undefined) continue;
        const ffi = batch.intoFFI();
        try {
          const memory = wasmMemory().buffer as ArrayBuffer;
          const view = new DataView(memory);
          const found = children(view, new Uint8Array(memory), ffi.schemaAddr());
          const arrays = view.getUint32(ffi.arrayAddr() + ARRAY_CHILDREN, true);
          for (const [i, [column, format]] of found.entries()) {
            const c = this.columns.indexOf(column);
            if (c < 0) continue;
            if (!readable(format)) throw unsupported(this.name, column, format);
            const out = outs[c] as Float64Array;
            const array = view.getUint32(arrays + 4 * i, true);
            const length = Number(view.getBigInt64(array + ARRAY_LENGTH, true));
            if ((filled[c] as number) + length > rows) break;
            filled[c] =
              (filled[c] as number) + decode(memory, array, format, out, filled[c] as number);
          }
        } finally {
          ffi.free();
        }
      }
    } catch (error) {
      throw corrupt(this.name, error);
    } finally {
      table?.free();
      this.release();
    }
    for (const [c, column] of this.columns.entries()) {
      if (filled[c] !== rows) {
        throw new InputError(
          `${this.name}: not a readable Parquet file (row group ${this.group}: column ${showValue(column)} has ${filled[c]} of its ${rows} rows)`,
        );
      }
      this.queues[c]?.push(outs[c] as Float64Array);
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
        if (this.values.length > 0) this.groups.spares[this.index]?.push(this.values);
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
  /** The columns chosen among the file's (predictions.ts's chooseColumns: not imported, a cycle). */
  choose: (names: readonly string[]) => ChosenColumns,
): AsyncGenerator<void, ReadSummary> {
  const name = source.name;
  source.close();
  // Read at offsets by a handle of its own: the progress bar counts those bytes (source.ts).
  const counter = { bytes: 0 };
  source.readElsewhere?.(() => counter.bytes);
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
  let file: ParquetFile | undefined;
  try {
    const magic = new Uint8Array(4);
    await handle.read(magic, 0, 4, 0);
    if (!(magic[0] === 0x50 && magic[1] === 0x41 && magic[2] === 0x52 && magic[3] === 0x31)) {
      throw new InputError(
        `${name}: a compressed Parquet file: decompress it first (Parquet compresses its own pages)`,
      );
    }
    let names: string[];
    let sizes: number[];
    const blob = blobOf(handle, source.size, counter);
    try {
      file = await parquetWasm(name).ParquetFile.fromFile(blob as unknown as Blob);
      const metadata = file.metadata();
      const schema = file.schema().intoFFI();
      try {
        const memory = wasmMemory().buffer as ArrayBuffer;
        names = children(new DataView(memory), new Uint8Array(memory), schema.addr()).map(
          ([column]) => column,
        );
      } finally {
        schema.free();
      }
      sizes = [];
      for (let g = 0; g < metadata.numRowGroups(); g++) sizes.push(metadata.rowGroup(g).numRows());
    } catch (error) {
      throw corrupt(name, error);
    }
    return yield* read(file, name, choose(names), sizes, options, handlerFor, blob.release);
  } finally {
    file?.free();
    await handle.close();
  }
}

/**
 * The sizes of the row groups of the Parquet file open at `handle` (input/parallel.ts splits
 * them between two threads); undefined where they cannot be read (the one-thread read then
 * names the problem).
 */
export async function rowGroupSizes(
  handle: FileHandle,
  size: number,
  name: string,
): Promise<number[] | undefined> {
  let file: ParquetFile | undefined;
  try {
    file = await parquetWasm(name).ParquetFile.fromFile(blobOf(handle, size) as unknown as Blob);
    const metadata = file.metadata();
    const sizes: number[] = [];
    for (let g = 0; g < metadata.numRowGroups(); g++) sizes.push(metadata.rowGroup(g).numRows());
    return sizes;
  } catch {
    return undefined;
  } finally {
    file?.free();
  }
}

/** A resizable ArrayBuffer (ES2024, in Node 20's V8 already; not in this project's TS lib). */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(length: number): void;
}
const Resizable = ArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => ResizableBuffer;

/**
 * What parquet-wasm asks of a Blob (its size; a slice's bytes), read from the open file where
 * asked: Node's Blob of a file (fs.openAsBlob) costs about twice the CPU time of the whole read
 * in copying (measured 2026-11-30 on the 10M-row benchmark file).
 *
 * A slice's bytes are read into a buffer lent until `release` (after a row group's read, when
 * parquet-wasm has copied them into its memory), then read into again: a new buffer of a
 * megabyte per column chunk cost more than the read (the kernel's page faults on fresh memory:
 * 0.1 to 0.25 s of CPU time on the 10M-row file against 0.01 s; 2026-12-01). The buffers are
 * resizable, as parquet-wasm copies the whole of the ArrayBuffer it is given.
 */
function blobOf(handle: FileHandle, size: number, counter?: { bytes: number }) {
  const free: ResizableBuffer[] = [];
  const lent: ResizableBuffer[] = [];
  const take = (length: number): ResizableBuffer => {
    const at = free.findIndex((buffer) => buffer.maxByteLength >= length);
    if (at < 0) return new Resizable(length, { maxByteLength: Math.max(2 * length, 1 << 20) });
    const [buffer] = free.splice(at, 1) as [ResizableBuffer];
    buffer.resize(length);
    return buffer;
  };
  return {
    size,
    release: () => {
      free.push(...lent.splice(0));
    },
    slice(start = 0, end = size) {
      const from = Math.max(0, Math.min(size, start));
      const length = Math.max(0, Math.min(size, end) - from);
      return {
        async arrayBuffer(): Promise<ArrayBuffer> {
          const lend = take(length);
          lent.push(lend);
          const buffer = new Uint8Array(lend);
          let k = 0;
          while (k < length) {
            const { bytesRead } = await handle.read(buffer, k, length - k, from + k);
            if (bytesRead === 0) break;
            k += bytesRead;
          }
          if (counter) counter.bytes += k;
          return buffer.buffer;
        },
      };
    },
  };
}

/** The examples of the file's chosen columns, row group after row group. */
async function* read(
  file: ParquetFile,
  name: string,
  chosen: ChosenColumns,
  sizes: readonly number[],
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
  release?: () => void,
): AsyncGenerator<void, ReadSummary> {
  const labelsOnly = options.labelsOnly ?? false;
  const wanted = [
    chosen.label,
    ...(labelsOnly ? [] : [chosen.score]),
    ...(chosen.weight === undefined ? [] : [chosen.weight]),
  ];
  // Internal (input/parallel.ts): a part of the file's row groups, the rest read by a worker.
  const [first, end] = options.rowGroups ?? [0, sizes.length];
  const groups = new RowGroups(file, name, wanted, sizes, first, end, release);
  const column = (i: number, role: string) =>
    new ParquetColumn(`${name}:${wanted[i]}`, role, groups, i);
  const labels = column(0, 'labels');
  const scores = labelsOnly ? undefined : column(1, 'scores');
  const weights = chosen.weight === undefined ? undefined : column(wanted.length - 1, 'weights');
  const onExample = handlerFor(chosen);
  return yield* examples(
    options,
    false,
    chosen,
    scores,
    labels,
    weights,
    sizes.slice(first, end).reduce((a, b) => a + b, 0),
    onExample,
  );
}
