/**
 * numpy's binary arrays as prediction files: a `.npy` file of scores with `labels` (and
 * `weights`) in `.npy` files of their own, or a `.npz` archive (np.savez, stored; or
 * np.savez_compressed, deflated) holding the arrays by name. Loaded only when the input's first
 * bytes are such a file's (predictions.ts): the same examples, checked by the same rules, go to
 * the same handler as a CSV file's rows.
 *
 * The arrays are read in chunks of CHUNK elements, in step, so memory stays flat for any length.
 * Each array is 1-D (or one column, n × 1); its dtype a float (2, 4 or 8 bytes), an integer
 * (1 to 8 bytes, signed or not) or a bool, in either byte order. Scores are logits unless
 * `scoreKind` says `p` (or a .npz array is named `p`): the arrays PyTorch and numpy users dump are
 * most often a model's raw outputs (what BCEWithLogitsLoss takes).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { smoothLabel } from '../core/soft-target.js';
import { InputError, type MessagePart, setting, showValue } from '../errors.js';
import { now } from '../format/breathe.js';
import type {
  ChosenColumns,
  ColumnOptions,
  ExampleBatch,
  ExampleHandler,
  ReadSummary,
  ScoreKind,
} from './prediction-types.js';
import { type InputSource, openInput, READ_CHUNK } from './source.js';

/** Elements read at a time from each array. */
export const CHUNK = 1 << 16;
/** Synchronous work between two turns of the event loop: about this long at most (source.ts). */
const TURN_MS = 20;
const KEPT_NONE: readonly string[] = [];
const LABEL_RULE = 'is not a label (0 or 1, or a soft label in [0, 1])';

/** A dtype focal reads: its kind (float, signed, unsigned, bool), size and byte order. */
export interface Dtype {
  readonly kind: 'f' | 'i' | 'u' | 'b';
  readonly size: number;
  readonly little: boolean;
  readonly text: string;
}

/** A parsed .npy header: the dtype, and how many elements the array holds. */
export interface NpyHeader {
  readonly dtype: Dtype;
  readonly length: number;
  /** A 2-D array read as a wide input (`parseHeaderText`'s `wide`): its columns, its order. */
  readonly columns?: number;
  readonly fortran?: boolean;
}

const SUPPORTED = 'float16/32/64, (u)int8/16/32/64 or bool';

/**
 * The dtype of a header's `descr`, or an error naming the rule.
 * @throws InputError for object arrays, structured arrays and other dtypes.
 */
export function parseDtype(descr: string, name: string): Dtype {
  const m = /^([<>|=]?)([fiub])(\d)$/.exec(descr);
  if (m === null || (m[2] === 'f' && !['2', '4', '8'].includes(m[3] as string))) {
    if (/^[|<>=]?O/.test(descr)) {
      throw new InputError(
        `${name}: an object array (dtype ${showValue(descr)}) holds pickled Python objects, not numbers: save a numeric array (e.g. np.asarray(a, dtype=np.float32))`,
      );
    }
    throw new InputError(`${name}: dtype ${showValue(descr)} is not supported (${SUPPORTED})`);
  }
  const kind = m[2] as Dtype['kind'];
  const size = Number(m[3]);
  if (![1, 2, 4, 8].includes(size) || (kind === 'b' && size !== 1)) {
    throw new InputError(`${name}: dtype ${showValue(descr)} is not supported (${SUPPORTED})`);
  }
  return { kind, size, little: m[1] !== '>', text: descr };
}

/**
 * Parses the header dictionary of a .npy file (after its magic, version and length).
 * @throws InputError when it is not such a header, or not an array focal reads.
 */
export function parseHeaderText(text: string, name: string, role: string, wide = false): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*(?:'([^']*)'|"([^"]*)"|(\[))/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (descr === null || fortran === null || shape === null) {
    throw new InputError(
      `${name}: not a valid .npy header (${showValue(text.trim().slice(0, 80))})`,
    );
  }
  if (descr[3] !== undefined) {
    throw new InputError(
      `${name}: a structured array (fields with names) is not supported: save each field as an array of its own`,
    );
  }
  const dtype = parseDtype(descr[1] ?? descr[2] ?? '', name);
  const dims = (shape[1] as string)
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) {
    throw new InputError(`${name}: not a valid .npy header (shape ${showValue(shape[1] ?? '')})`);
  }
  const sizes = dims.map(Number);
  if (wide && sizes.length === 2) {
    // A wide input (npy-wide.ts): rows × columns, in C or Fortran order.
    return {
      dtype,
      length: sizes[0] as number,
      columns: sizes[1] as number,
      fortran: fortran[1] === 'True',
    };
  }
  // A 1-D array, or one column (n × 1, as Keras's predict gives): the same bytes in C or F order.
  if (sizes.length === 1 || (sizes.length === 2 && sizes[1] === 1)) {
    return { dtype, length: sizes[0] as number };
  }
  const shown = `(${sizes.join(', ')}${sizes.length === 1 ? ',' : ''})`;
  if (sizes.length === 0) {
    throw new InputError(`${name}: a scalar (shape ()), not an array of ${role}`);
  }
  if (sizes.length === 2 && role === 'scores') {
    throw new InputError(
      `${name}: shape ${shown} is a wide array (one column per class): say which columns are the classes with --class-cols (e.g. 0:${(sizes[1] as number) - 1}) and --activation sigmoid|softmax, or give a 1-D array of binary scores`,
    );
  }
  throw new InputError(`${name}: shape ${shown}: the ${role} must be a 1-D array`);
}

/** A half-precision float's bits → its value. */
export function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** Whether this machine is little-endian (typed arrays read in its order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes `count` elements of `dtype` from `bytes` at `at` into `out` from `k`. */
export function decode(
  dtype: Dtype,
  bytes: Uint8Array,
  at: number,
  out: Float64Array,
  k: number,
  count: number,
): void {
  const offset = bytes.byteOffset + at;
  if (dtype.little && offset % dtype.size === 0) {
    // The machine's own byte order (little-endian: x86, ARM) and aligned: typed arrays convert.
    const native =
      dtype.kind === 'f'
        ? dtype.size === 4
          ? Float32Array
          : dtype.size === 8
            ? Float64Array
            : undefined
        : dtype.size === 1
          ? dtype.kind === 'i'
            ? Int8Array
            : Uint8Array
          : dtype.size === 2
            ? dtype.kind === 'i'
              ? Int16Array
              : Uint16Array
            : dtype.size === 4
              ? dtype.kind === 'i'
                ? Int32Array
                : Uint32Array
              : undefined;
    if (native !== undefined && LITTLE_ENDIAN) {
      out.set(new native(bytes.buffer as ArrayBuffer, offset, count), k);
      return;
    }
  }
  const view = new DataView(bytes.buffer, offset, count * dtype.size);
  const le = dtype.little;
  const end = k + count;
  switch (`${dtype.kind}${dtype.size}`) {
    case 'f4':
      for (let i = k, p = 0; i < end; i++, p += 4) out[i] = view.getFloat32(p, le);
      return;
    case 'f8':
      for (let i = k, p = 0; i < end; i++, p += 8) out[i] = view.getFloat64(p, le);
      return;
    case 'f2':
      for (let i = k, p = 0; i < end; i++, p += 2) out[i] = half(view.getUint16(p, le));
      return;
    case 'u1':
    case 'b1':
      for (let i = k, p = 0; i < end; i++, p++) out[i] = view.getUint8(p);
      return;
    case 'i1':
      for (let i = k, p = 0; i < end; i++, p++) out[i] = view.getInt8(p);
      return;
    case 'u2':
      for (let i = k, p = 0; i < end; i++, p += 2) out[i] = view.getUint16(p, le);
      return;
    case 'i2':
      for (let i = k, p = 0; i < end; i++, p += 2) out[i] = view.getInt16(p, le);
      return;
    case 'u4':
      for (let i = k, p = 0; i < end; i++, p += 4) out[i] = view.getUint32(p, le);
      return;
    case 'i4':
      for (let i = k, p = 0; i < end; i++, p += 4) out[i] = view.getInt32(p, le);
      return;
    case 'u8':
    case 'i8':
      // Two halves: exact up to 2^53, which is more than any label or weight needs.
      for (let i = k, p = 0; i < end; i++, p += 8) {
        const lo = view.getUint32(le ? p : p + 4, le);
        const hi =
          dtype.kind === 'i'
            ? view.getInt32(le ? p + 4 : p, le)
            : view.getUint32(le ? p + 4 : p, le);
        out[i] = hi * 4294967296 + lo;
      }
      return;
    default:
      throw new Error(`dtype ${dtype.text}`);
  }
}

/**
 * One array of examples' values read in step with the others (a .npy array; a Parquet column,
 * input/parquet.ts): its name in messages (`NAME[INDEX]`), its role, and its values in order.
 */
export interface ExampleArray {
  readonly name: string;
  readonly role: string;
  /** Elements read so far. */
  readonly read: number;
  /** Reads up to `count` elements into `out` as doubles; fewer only at the end of the data. */
  fill(out: Float64Array, count: number): Promise<number>;
}

/** One array of a .npy file (or .npz member), read from its chunks. */
export class NpyArray implements ExampleArray {
  header: NpyHeader = { dtype: { kind: 'f', size: 8, little: true, text: '<f8' }, length: 0 };
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly carry = new Uint8Array(8);
  private carried = 0;
  /** Elements read so far. */
  read = 0;
  /** The bytes before the data (magic, version, header): where the data starts. */
  dataOffset = 0;

  constructor(
    readonly name: string,
    readonly role: string,
    private readonly chunks: AsyncIterator<Uint8Array>,
    first?: Uint8Array,
  ) {
    if (first !== undefined) this.chunk = first;
  }

  /** The next `n` bytes (a copy), or fewer at the end of the data. */
  private async bytes(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let k = 0;
    while (k < n) {
      if (this.at >= this.chunk.length) {
        const next = await this.chunks.next();
        if (next.done) return out.subarray(0, k);
        this.chunk = next.value;
        this.at = 0;
      }
      const take = Math.min(n - k, this.chunk.length - this.at);
      out.set(this.chunk.subarray(this.at, this.at + take), k);
      k += take;
      this.at += take;
    }
    return out;
  }

  /** Reads and checks the header. @throws InputError for anything but a .npy array focal reads. */
  async open(wide = false): Promise<NpyHeader> {
    const name = this.name;
    const start = await this.bytes(10);
    const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
    if (start.length < 10 || !magic.every((b, i) => start[i] === b)) {
      throw new InputError(
        `${name}: not a .npy file (it does not start with numpy's magic bytes \\x93NUMPY)`,
      );
    }
    const major = start[6] as number;
    if (major < 1 || major > 3) {
      throw new InputError(
        `${name}: .npy format version ${major}.${start[7]} is not supported (1, 2 or 3)`,
      );
    }
    let length = (start[8] as number) | ((start[9] as number) << 8);
    if (major > 1) {
      const more = await this.bytes(2);
      length += ((more[0] ?? 0) << 16) + (more[1] ?? 0) * 2 ** 24;
      if (more.length < 2) length = Number.POSITIVE_INFINITY;
    }
    if (length > 1 << 20) throw new InputError(`${name}: not a valid .npy header (too long)`);
    const text = await this.bytes(length);
    if (text.length < length) throw new InputError(`${name}: truncated .npy header`);
    const decoded = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(text);
    this.dataOffset = (major > 1 ? 12 : 10) + length;
    this.header = parseHeaderText(decoded, name, this.role, wide);
    return this.header;
  }

  /** Reads up to `count` elements into `out` as doubles; fewer only at the end of the data. */
  async fill(out: Float64Array, count: number): Promise<number> {
    const { dtype } = this.header;
    const size = dtype.size;
    let k = 0;
    while (k < count) {
      if (this.at >= this.chunk.length) {
        const next = await this.chunks.next();
        if (next.done) break;
        this.chunk = next.value;
        this.at = 0;
        if (this.carried > 0) {
          // An element split between two chunks.
          const take = Math.min(size - this.carried, this.chunk.length);
          this.carry.set(this.chunk.subarray(0, take), this.carried);
          this.carried += take;
          this.at = take;
          if (this.carried < size) continue;
          decode(dtype, this.carry, 0, out, k, 1);
          k++;
          this.carried = 0;
          continue;
        }
      }
      const n = Math.min(Math.floor((this.chunk.length - this.at) / size), count - k);
      decode(dtype, this.chunk, this.at, out, k, n);
      k += n;
      this.at += n * size;
      const rest = this.chunk.length - this.at;
      if (k < count && rest > 0 && rest < size) {
        // The chunk's buffer is reused by the next read: keep the part of an element.
        this.carry.set(this.chunk.subarray(this.at), 0);
        this.carried = rest;
        this.at = this.chunk.length;
      }
    }
    this.read += k;
    return k;
  }
}

/**
 * Opens a .npy file of `role` (labels, weights) named by an option, and reads its header
 * (`wide`: a 2-D array is kept as rows × columns); its closer joins `closers`. `-` reads it
 * from standard input (`stdin`: the input's source's, when --input is a file), streamed as a
 * file is, its magic bytes checked.
 */
export async function openNpyFile(
  path: string,
  role: string,
  closers: (() => Promise<void> | void)[],
  wide = false,
  stdin?: () => Readable,
): Promise<NpyArray> {
  const opened = await openInput(
    path,
    stdin ??
      (() => {
        throw new InputError([
          setting(role),
          ': - (standard input) is --input - already; give this array as a file, or a pipe as <(command)',
        ]);
      }),
  );
  closers.push(() => opened.close());
  const array = new NpyArray(opened.name, role, opened.chunks()[Symbol.asyncIterator]());
  await array.open(wide);
  return array;
}

/** `--labels -` and `--weights -` together: standard input holds one array. */
export function refuseStdinTwice(options: ColumnOptions): void {
  if (options.labels === '-' && options.weights === '-') {
    throw new InputError([
      setting('weights'),
      ' -: standard input holds one array, and ',
      setting('labels'),
      ' - reads it; give the weights as a file, or a pipe as <(command)',
    ]);
  }
}

/** A .npz archive's member: where its data is, and how it is stored. */
interface Member {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly headerOffset: number;
}

const u16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number) => u16(b, at) + u16(b, at + 2) * 65536;
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 4294967296;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The members of a zip archive, from its central directory (zip64 too, as numpy writes). */
async function zipMembers(handle: FileHandle, name: string): Promise<Member[]> {
  const size = (await handle.stat()).size;
  const tailLength = Math.min(size, 65557);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  const corrupt = (why: string) =>
    new InputError(`${name}: not a readable .npz (zip) file: ${why}`);
  if (eocd < 0) throw corrupt('no end of central directory');
  let entries = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if ((entries === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) && eocd >= 20) {
    if (u32(tail, eocd - 20) === 0x07064b50) {
      const z = await readAt(handle, u64(tail, eocd - 12), 56);
      if (u32(z, 0) !== 0x06064b50) throw corrupt('bad zip64 end of central directory');
      entries = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
  }
  if (cdSize > 1 << 26) throw corrupt('central directory too large');
  const cd = await readAt(handle, cdOffset, cdSize);
  const members: Member[] = [];
  for (let at = 0, i = 0; i < entries; i++) {
    if (at + 46 > cd.length || u32(cd, at) !== 0x02014b50) throw corrupt('bad central directory');
    const flags = u16(cd, at + 8);
    const method = u16(cd, at + 10);
    let compressedSize = u32(cd, at + 20);
    let uncompressedSize = u32(cd, at + 24);
    const nameLength = u16(cd, at + 28);
    const extraLength = u16(cd, at + 30);
    const commentLength = u16(cd, at + 32);
    let headerOffset = u32(cd, at + 42);
    const memberName = Buffer.from(cd.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    // The zip64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(cd, e);
      const length = u16(cd, e + 2);
      if (id === 1) {
        let p = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = u64(cd, p);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(cd, p);
          p += 8;
        }
        if (headerOffset === 0xffffffff) headerOffset = u64(cd, p);
      }
      e += 4 + length;
    }
    if ((flags & 1) === 0) members.push({ name: memberName, method, compressedSize, headerOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** A member's uncompressed bytes, in chunks (inflated as they are read when deflated). */
async function memberChunks(
  handle: FileHandle,
  archive: string,
  member: Member,
  counter?: { bytes: number },
): Promise<AsyncIterator<Uint8Array>> {
  const local = await readAt(handle, member.headerOffset, 30);
  if (local.length < 30 || u32(local, 0) !== 0x04034b50) {
    throw new InputError(`${archive}: not a readable .npz (zip) file: bad local header`);
  }
  const from = member.headerOffset + 30 + u16(local, 26) + u16(local, 28);
  const to = from + member.compressedSize;
  async function* raw(): AsyncGenerator<Uint8Array> {
    for (let position = from; position < to; ) {
      const length = Math.min(READ_CHUNK, to - position);
      const chunk = await readAt(handle, position, length);
      if (chunk.length === 0) {
        throw new InputError(`${archive}: truncated: member ${showValue(member.name)} ends early`);
      }
      position += chunk.length;
      if (counter !== undefined) counter.bytes += chunk.length;
      yield chunk;
      // A turn of the event loop, so that a signal is handled.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (member.method === 0) return raw();
  if (member.method !== 8) {
    throw new InputError(
      `${archive}: member ${showValue(member.name)} is compressed by zip method ${member.method}; stored or deflated members are read (np.savez, np.savez_compressed)`,
    );
  }
  const inflated = Readable.from(raw()).pipe(createInflateRaw());
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of inflated) yield chunk as Uint8Array;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(
        `${archive}: member ${showValue(member.name)}: corrupt deflated data (${(error as Error).message})`,
      );
    }
  }
  return chunks();
}

/** The member named `wanted` (with or without `.npy`), or the first of `defaults` present. */
function chooseMember(
  members: readonly Member[],
  archive: string,
  wanted: string | undefined,
  option: 'scoreArray' | 'labelArray',
  defaults: readonly string[],
): Member | undefined {
  const arrays = members.filter((m) => m.name.endsWith('.npy'));
  const named = (n: string) => arrays.find((m) => m.name === `${n}.npy` || m.name === n);
  const list = arrays.map((m) => showValue(m.name.replace(/\.npy$/, ''))).join(', ');
  if (wanted !== undefined) {
    const found = named(wanted);
    if (found === undefined) {
      throw new InputError([
        setting(option),
        `: ${archive} has no array ${showValue(wanted)} (its arrays: ${list})`,
      ]);
    }
    return found;
  }
  const present = defaults.flatMap((n) => named(n) ?? []);
  if (present.length > 1) {
    throw new InputError([
      `${archive}: arrays ${present.map((m) => m.name.replace(/\.npy$/, '')).join(' and ')} could each be meant; choose one with `,
      setting(option),
    ]);
  }
  if (present.length === 0) {
    throw new InputError([
      `${archive}: no array named ${defaults.join(', ')}; name one with `,
      setting(option),
      ` (its arrays: ${list})`,
    ]);
  }
  return present[0];
}

/** How labels are coded: a positive label (a number, or true/false for bool arrays), or none. */
function positiveOf(posLabel: string | undefined, name: string): number | undefined {
  if (posLabel === undefined) return undefined;
  const text = posLabel.trim().toLowerCase();
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) {
    throw new InputError([
      setting('posLabel'),
      ` ${showValue(posLabel)}: the labels of ${name} are numbers; name a number (or true/false)`,
    ]);
  }
  return value;
}

/**
 * A .npz input's arrays: the scores (unless `labelsOnly`) and labels members, chosen by
 * --score-array/--label-array or their defaults, their headers read (`wide`: 2-D kept), and
 * read at their offsets (counted for the progress bar); `probabilities` when the scores'
 * array is named `p` or `probs` and --score-kind is not given.
 * @throws InputError for a pipe, --labels, or arrays missing or ambiguous.
 */
export async function openNpz(
  source: InputSource,
  options: ColumnOptions,
  closers: (() => Promise<void> | void)[],
  labelsOnly: boolean,
  wide: boolean,
): Promise<{ scores: NpyArray | undefined; labels: NpyArray; probabilities: boolean }> {
  if (source.name === 'stdin' || source.size === undefined) {
    throw new InputError(
      `${source.name}: a .npz file is read from a file (its directory is at its end), not from a pipe`,
    );
  }
  if (options.labels !== undefined) {
    throw new InputError([
      setting('labels'),
      `: ${source.name} is a .npz file: name its array of labels with `,
      setting('labelArray'),
    ]);
  }
  const handle = await open(source.name, 'r');
  closers.push(() => handle.close());
  const members = await zipMembers(handle, source.name);
  // The members are read at their offsets: the progress bar counts those reads.
  const counter = { bytes: 0 };
  source.readElsewhere?.(() => counter.bytes);
  const array = async (member: Member, role: string) => {
    const a = new NpyArray(
      `${source.name}:${member.name.replace(/\.npy$/, '')}`,
      role,
      await memberChunks(handle, source.name, member, counter),
    );
    await a.open(wide);
    return a;
  };
  let scores: NpyArray | undefined;
  let probabilities = false;
  if (!labelsOnly) {
    const member = chooseMember(members, source.name, options.scoreArray, 'scoreArray', [
      'scores',
      'logits',
      'p',
    ]) as Member;
    scores = await array(member, 'scores');
    probabilities = options.scoreKind === undefined && /^(p|probs?)(\.npy)?$/.test(member.name);
  }
  const labelMember = chooseMember(members, source.name, options.labelArray, 'labelArray', [
    'labels',
    'y',
    'targets',
  ]) as Member;
  return { scores, labels: await array(labelMember, 'labels'), probabilities };
}

/**
 * Reads a .npy or .npz input (whose first bytes are `head`, and the rest `rest`), checking each
 * example as a CSV row is checked, and handing it to the handler; pauses after each chunk.
 */
export async function* streamBinary(
  source: InputSource,
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
): AsyncGenerator<void, ReadSummary> {
  for (const textOnly of ['scoreCol', 'labelCol', 'weightCol', 'keepCols', 'names'] as const) {
    const value = options[textOnly];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      const instead =
        textOnly === 'weightCol'
          ? '--weights FILE.npy'
          : textOnly === 'labelCol'
            ? '--labels FILE.npy or --label-array'
            : '--score-array';
      throw new InputError([
        setting(textOnly),
        `: ${source.name} is a numpy file, without named columns (${instead} instead)`,
      ]);
    }
  }
  const labelsOnly = options.labelsOnly ?? false;
  const closers: (() => Promise<void> | void)[] = [];
  let scores: NpyArray | undefined;
  let labels: NpyArray;
  let weights: NpyArray | undefined;
  let scoreKind: ScoreKind = options.scoreKind ?? 'logit';
  refuseStdinTwice(options);
  const openNpy = (path: string, role: string) =>
    openNpyFile(path, role, closers, false, source.stdin);
  try {
    if (head[0] === 0x93) {
      const main = new NpyArray(source.name, labelsOnly ? 'labels' : 'scores', rest, head);
      await main.open();
      if (labelsOnly) labels = main;
      else {
        scores = main;
        if (options.labels === undefined) {
          throw new InputError([
            `${source.name}: a .npy file holds one array, the scores: give the labels with `,
            setting('labels'),
            ' FILE.npy',
          ]);
        }
        labels = await openNpy(options.labels, 'labels');
      }
      if (options.scoreArray !== undefined || options.labelArray !== undefined) {
        throw new InputError([
          setting(options.scoreArray !== undefined ? 'scoreArray' : 'labelArray'),
          `: goes with a .npz input, and ${source.name} is a .npy file`,
        ]);
      }
    } else {
      const npz = await openNpz(source, options, closers, labelsOnly, false);
      scores = npz.scores;
      labels = npz.labels;
      if (npz.probabilities) scoreKind = 'p';
    }
    if (options.weights !== undefined) weights = await openNpy(options.weights, 'weights');
    const length = labels.header.length;
    for (const other of [scores, weights]) {
      if (other !== undefined && other.header.length !== length) {
        throw new InputError(
          `${other.name}: ${other.header.length} ${other.role}, but ${labels.name} holds ${length} labels: the arrays must have one element per example`,
        );
      }
    }
    const columns: ChosenColumns = {
      score: scores?.name ?? '',
      scoreKind: labelsOnly ? 'p' : scoreKind,
      label: labels.name,
      weight: weights?.name,
      keep: [],
    };
    const onExample = handlerFor(columns);
    return yield* examples(
      options,
      !labelsOnly && scoreKind === 'logit' && options.scoreKind === undefined,
      columns,
      scores,
      labels,
      weights,
      length,
      onExample,
    );
  } finally {
    for (const close of closers) await close();
  }
}

/** Examples handed to a handler's batch at a time, between looks at the clock (TURN_MS). */
const BATCH = 2048;
/** `plainChunk`'s answers, as bits. */
const PLAIN = 1;
const SAW_ZERO = 2;
const OUTSIDE_UNIT = 4;

/**
 * Whether the first `n` examples are each a plain one that `examples` would hand over as it
 * is (a label 0 or 1, a finite score or a probability in [0, 1], a weight ≥ 0): PLAIN; and
 * whether a label is 0 (SAW_ZERO) or a score outside [0, 1] (OUTSIDE_UNIT). A function of its
 * own, small, so that the loop is optimised apart from the generator.
 */
function plainChunk(
  s: Float64Array,
  l: Float64Array,
  w: Float64Array,
  n: number,
  isProbability: boolean,
): number {
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const y = l[i] as number;
    const score = s[i] as number;
    const weight = w[i] as number;
    if (
      !(
        (y === 0 || y === 1) &&
        (isProbability ? score >= 0 && score <= 1 : score - score === 0) &&
        weight >= 0 &&
        weight < Number.POSITIVE_INFINITY
      )
    ) {
      return 0;
    }
    if (y === 0) seen |= SAW_ZERO;
    if (score < 0 || score > 1) seen |= OUTSIDE_UNIT;
  }
  return seen | PLAIN;
}

/**
 * Reads the arrays in step, checks each example as a CSV row is checked and hands it over; a
 * pause after each chunk. Also Parquet's columns (input/parquet.ts).
 */
export async function* examples(
  options: ColumnOptions,
  logitByDefault: boolean,
  columns: ChosenColumns,
  scores: ExampleArray | undefined,
  labels: ExampleArray,
  weights: ExampleArray | undefined,
  length: number,
  onExample: ExampleHandler,
  firstIndex = 0,
): AsyncGenerator<void, ReadSummary> {
  const s = new Float64Array(CHUNK);
  const l = new Float64Array(CHUNK);
  const w = new Float64Array(CHUNK).fill(1);
  const ignore = options.ignoreLabels ?? [];
  const skipInvalid = options.skipInvalid ?? false;
  const smoothing = options.labelSmoothing ?? 0;
  const positive = positiveOf(options.posLabel, labels.name);
  const isProbability = columns.scoreKind === 'p';
  let rows = 0;
  let ignored = 0;
  let invalid = 0;
  let firstInvalid: MessagePart[] | undefined;
  let sawZero = false;
  let sawPositive = false;
  /** Whether every score lies in [0, 1]: probabilities read as logits by default, it may be. */
  let inUnit = true;
  const others: number[] = [];
  /** A whole label other than 0 and 1: an error once the rest says whether 0s appear. */
  let pending: { index: number; label: number } | undefined;
  const hint = (label: number): MessagePart[] =>
    sawZero
      ? ['; ', setting('ignoreLabels'), ` ${label} skips such elements`]
      : label === -1
        ? [
            '; no label is 0, so -1 seems to mark the negatives (a −1/1 coding): ',
            setting('posLabel'),
            ' 1 reads them so',
          ]
        : [
            '; no label is 0: ',
            setting('posLabel'),
            ' VALUE names the positive label (every other label is then negative)',
          ];
  const pendingError = (p: { index: number; label: number }) =>
    new InputError([`${labels.name}[${p.index}]: ${p.label} ${LABEL_RULE}`, ...hint(p.label)]);
  // The handler's batch, where each element would only be checked and handed over.
  const batch =
    scores !== undefined && positive === undefined && ignore.length === 0 && smoothing === 0
      ? (onExample as ExampleHandler & ExampleBatch).batch
      : undefined;
  let turn = now();
  for (let done = 0; done < length; ) {
    const want = Math.min(CHUNK, length - done);
    const got = await labels.fill(l, want);
    const truncated = (a: ExampleArray) =>
      new InputError(
        `${a.name}: truncated: the header says ${length} elements, the data holds ${a.read}`,
      );
    if (got < want) throw truncated(labels);
    if (scores !== undefined && (await scores.fill(s, want)) < want) throw truncated(scores);
    if (weights !== undefined && (await weights.fill(w, want)) < want) throw truncated(weights);
    // Plain labels, scores and weights: the whole chunk at once (the handler's batch), in
    // pieces with a turn of the event loop between them as element by element (many γ:
    // signals); anything else, the chunk element by element below, which names it.
    const seen =
      batch !== undefined && pending === undefined ? plainChunk(s, l, w, want, isProbability) : 0;
    if (seen & PLAIN) {
      if (seen & SAW_ZERO) sawZero = true;
      if (seen & OUTSIDE_UNIT) inUnit = false;
      for (let at = 0; at < want; at += BATCH) {
        const end = Math.min(want, at + BATCH);
        batch?.(s, l, weights === undefined ? undefined : w, at, end);
        rows += end - at;
        if (end < want && now() - turn >= TURN_MS) {
          yield;
          await new Promise((resolve) => setImmediate(resolve));
          turn = now();
        }
      }
    }
    // (A chunk handed over whole above has nothing left for this loop.)
    for (let i = seen & PLAIN ? want : 0; i < want; i++) {
      if ((i & 1023) === 1023 && now() - turn >= TURN_MS) {
        // Costly rows (many γ, --cdf): a pause and a turn of the event loop, for signals.
        yield;
        await new Promise((resolve) => setImmediate(resolve));
        turn = now();
      }
      let y = l[i] as number;
      if (pending !== undefined) {
        if (y === 0) {
          sawZero = true;
          throw pendingError(pending);
        }
        continue;
      }
      if (ignore.length > 0 && ignore.includes(y)) {
        ignored++;
        continue;
      }
      const index = firstIndex + done + i;
      let problem: MessagePart[] | undefined;
      if (positive !== undefined) {
        if (y === positive) {
          y = 1;
          sawPositive = true;
        } else {
          if (others.length < 10 && !others.includes(y)) others.push(y);
          y = 0;
        }
      } else if (!(y === 0 || y === 1 || (y > 0 && y < 1))) {
        problem = [`${labels.name}[${index}]: ${y} ${LABEL_RULE}`];
        if (Number.isInteger(y)) {
          if (!skipInvalid) {
            if (!sawZero) {
              pending = { index, label: y };
              continue;
            }
            problem.push(...hint(y));
          }
        }
      }
      if (y === 0) sawZero = true;
      const score = scores === undefined ? 0 : (s[i] as number);
      const weight = w[i] as number;
      if (problem === undefined && scores !== undefined) {
        if (isProbability ? !(score >= 0 && score <= 1) : !Number.isFinite(score)) {
          problem = [
            `${scores.name}[${index}]: ${score} ${isProbability ? 'is not a probability in [0, 1]' : 'is not a finite number'}`,
          ];
          if (isProbability && Number.isFinite(score)) {
            problem.push(' (logits? say ', setting('scoreKind'), ' logit)');
          }
        }
      }
      if (problem === undefined && !(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
        problem = [`${weights?.name}[${index}]: ${weight} is not a weight ≥ 0`];
      }
      if (problem !== undefined) {
        if (!skipInvalid) throw new InputError(problem);
        invalid++;
        firstInvalid ??= problem;
        continue;
      }
      rows++;
      if (score < 0 || score > 1) inUnit = false;
      onExample(score, smoothing === 0 ? y : smoothLabel(y, smoothing), weight, index, KEPT_NONE);
    }
    done += want;
    yield;
    if (now() - turn >= TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = now();
    }
  }
  if (pending !== undefined) throw pendingError(pending);
  if (positive !== undefined && rows > 0 && !sawPositive) {
    throw new InputError([
      setting('posLabel'),
      ` ${showValue(options.posLabel ?? '')}: ${labels.name} has no element with that label (its labels: ${others.join(', ')}${others.length >= 10 ? ', …' : ''})`,
    ]);
  }
  return {
    columns,
    rows,
    ignored,
    invalid,
    // noteSummary writes `${source}:${first}`: the element's array and index say where.
    firstInvalid: firstInvalid === undefined ? undefined : [' ', ...firstInvalid],
    notes:
      logitByDefault && inUnit && rows > 0 && scores !== undefined
        ? [
            [
              `every score in ${scores.name} lies in [0, 1], and was read as a logit (the default for numpy arrays); for probabilities, say `,
              setting('scoreKind'),
              ' p',
            ],
          ]
        : undefined,
  };
}

/**
 * Elements [from, to) of a .npy file of scores and its `labels` (and `weights`) .npy files,
 * checked and handed over as `streamBinary` does the whole arrays (messages name the elements by
 * their own index): a part of a large file, read on a thread of its own (parallel.ts). Each
 * file is read from its header, then from its element `from` on; `progress` is told the bytes
 * of scores read.
 */
export async function* streamNpyRange(
  path: string,
  options: ColumnOptions,
  handlerFor: (columns: ChosenColumns) => ExampleHandler,
  from: number,
  to: number,
  progress: (bytes: number) => void = () => {},
): AsyncGenerator<void, ReadSummary> {
  const closers: (() => Promise<void>)[] = [];
  const arrayAt = async (file: string, role: string, onBytes?: (bytes: number) => void) => {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch {
      throw new InputError(`${file}: cannot be opened`); // the one-thread read says why
    }
    closers.push(() => handle.close());
    const start = await readAt(handle, 0, 12);
    if (start.length < 12) throw new InputError(`${file}: not a .npy file`);
    const headerBytes = start[6] === 1 ? 10 + u16(start, 8) : 12 + u32(start, 8);
    let array: NpyArray | undefined;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield await readAt(handle, 0, Math.min(headerBytes, 1 << 21));
      const size = (array as NpyArray).header.dtype.size;
      const end = headerBytes + to * size;
      // One buffer, read into again and again: NpyArray copies what it keeps of a chunk.
      const buffer = new Uint8Array(READ_CHUNK);
      for (let position = headerBytes + from * size; position < end; ) {
        const length = Math.min(READ_CHUNK, end - position);
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        const chunk = buffer.subarray(0, bytesRead);
        if (chunk.length === 0) return;
        position += chunk.length;
        onBytes?.(chunk.length);
        yield chunk;
      }
    }
    array = new NpyArray(file, role, chunks());
    await array.open();
    return array;
  };
  try {
    // What the one-thread read refuses or reads otherwise: left to it.
    const { scoreCol, labelCol, weightCol, keepCols, names, scoreArray, labelArray } = options;
    const texts = [scoreCol, labelCol, weightCol, names, keepCols, scoreArray, labelArray];
    const given = (value: unknown) =>
      value !== undefined && !(Array.isArray(value) && value.length === 0);
    if (options.labels === undefined || options.labelsOnly || texts.some(given)) {
      throw new InputError(`${path}: not a plain .npy file of scores with --labels`);
    }
    const scores = await arrayAt(path, 'scores', progress);
    const labels = await arrayAt(options.labels, 'labels');
    const weights =
      options.weights === undefined ? undefined : await arrayAt(options.weights, 'weights');
    for (const array of [scores, labels, weights]) {
      if (array !== undefined && array.header.length !== scores.header.length) {
        throw new InputError(`${array.name}: not as long as ${scores.name}`);
      }
    }
    const scoreKind = options.scoreKind ?? 'logit';
    const columns: ChosenColumns = {
      score: scores.name,
      scoreKind,
      label: labels.name,
      weight: weights?.name,
      keep: [],
    };
    return yield* examples(
      options,
      options.scoreKind === undefined,
      columns,
      scores,
      labels,
      weights,
      to - from,
      handlerFor(columns),
      from,
    );
  } finally {
    for (const close of closers) await close();
  }
}
