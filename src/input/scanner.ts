/**
 * A byte-level reader of CSV/TSV records that parses only the numeric columns it is asked for.
 *
 * Why not csv-parse: on the benchmark's 2,000,000-row file it takes about 2.7 s to yield
 * records (bench/README.md) where this takes about 0.2 s with the numbers parsed; `--input`
 * must beat numpy's `loadtxt`. What it reads (RFC 4180 with the usual liberties):
 * - fields separated by the delimiter; records end with LF or CRLF; blank lines are skipped;
 * - a field that starts with `"` is quoted: `""` is a quote, delimiters and line breaks inside
 *   are data; anything but a delimiter or a line end after the closing quote is an error;
 * - spaces around a number are allowed; a record must have as many fields as the header.
 * Chunks are pushed in as they arrive; a record cut by a chunk edge is kept until the next one.
 */
import { primeDecimal, readDecimal } from './decimal.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;

/** The longest record accepted (cli-contract.md): longer means the file is not what we think. */
export const MAX_RECORD_BYTES = 1 << 20;
export const TOO_LONG = 'a line is longer than 1 MiB (is this a CSV/TSV file?)';

/** Input that cannot be read as records at all (a line over 1 MiB): the line, and what. */
export class RecordError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Splits one line of text (the header) into fields, honouring quotes. */
export function splitHeader(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new RecordError(1, 'the header has an unclosed quote');
        field += text.slice(i, close);
        i = close + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < text.length && text[i] !== delimiter) {
        throw new RecordError(1, 'the header has text after a closing quote');
      }
    } else {
      const next = text.indexOf(delimiter, i);
      field = text.slice(i, next < 0 ? text.length : next);
      i = next < 0 ? text.length : next;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the delimiter
  }
}

/**
 * Reads records after the header. `slots[k]` is where column k's number goes in `values`
 * (−1 for a column that is skipped). For every record, `onRecord(values, line)` is called;
 * a field that is not one number is NaN there, and `fieldText(slot)` gives its text. A record
 * that is malformed as CSV (wrong number of fields, stray quotes) goes to `onMalformed`, which
 * may throw; if it returns, the record is skipped.
 */
export class RecordScanner {
  /** The numbers of the current record, by slot. */
  readonly values: Float64Array;
  private readonly fieldStart: Int32Array;
  private readonly fieldEnd: Int32Array;
  private fieldBytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  /** The buffer records are read from; bytes [pendingStart, +pendingLength) await more. */
  private work = new Uint8Array(1 << 16);
  private view = new DataView(this.work.buffer);
  private pendingStart = 0;
  private pendingLength = 0;
  /** The unescaped text of the current record's wanted quoted fields, one after another. */
  private quoted = new Uint8Array(256);
  /** Bytes of `quoted` used by the current record's wanted quoted fields. */
  private quotedUsed = 0;
  /** 1 where the current record's field in a slot was quoted (its text is in `quoted`). */
  private readonly quotedSlots: Uint8Array;
  /** Line number (1-based) where the next record starts. */
  private line: number;
  /** What gives the number of fields, in the message of a record with another number. */
  shapeSource = 'the header';

  constructor(
    private readonly delimiter: number,
    private readonly slots: Int32Array,
    slotCount: number,
    firstLine: number,
    private readonly onRecord: (values: Float64Array, line: number) => void,
    private readonly onMalformed: (line: number, message: string) => void,
  ) {
    primeDecimal();
    this.values = new Float64Array(slotCount);
    this.fieldStart = new Int32Array(slotCount);
    this.fieldEnd = new Int32Array(slotCount);
    this.quotedSlots = new Uint8Array(slotCount);
    this.line = firstLine;
  }

  /** The text of the current record's field in `slot`, for error messages. */
  fieldText(slot: number): string {
    const bytes = this.quotedSlots[slot] ? this.quoted : this.fieldBytes;
    return Buffer.from(
      bytes.buffer,
      bytes.byteOffset + (this.fieldStart[slot] as number),
      (this.fieldEnd[slot] as number) - (this.fieldStart[slot] as number),
    ).toString('utf8');
  }

  /** Reads every complete record of `chunk` (after what was pending). */
  push(chunk: Uint8Array): void {
    // One copy into a reused buffer that ends in a 0 byte: number parsing stops at that
    // sentinel instead of checking bounds at every digit (decimal.ts), the cut-off record that
    // was pending is joined to the chunk, and no memory is allocated per chunk.
    const pending = this.pendingLength;
    const length = pending + chunk.length;
    if (length + 1 > this.work.length) {
      const larger = new Uint8Array(Math.max(length + 1, 2 * this.work.length));
      larger.set(this.work.subarray(this.pendingStart, this.pendingStart + pending), 0);
      this.work = larger;
      this.view = new DataView(larger.buffer);
    } else if (pending > 0) {
      this.work.copyWithin(0, this.pendingStart, this.pendingStart + pending);
    }
    const bytes = this.work;
    bytes.set(chunk, pending);
    bytes[length] = 0;
    // Only whole lines are scanned; what follows the last line feed waits for the next chunk.
    // Then a record cut by the chunk's edge is never met inside the scan, whose code for it
    // (a number that runs to the end of the bytes, a line end not yet seen) would otherwise
    // first run after V8 has optimized the scan without it: V8 discards that code and compiles
    // the scan twice more, ~20 ms of every process that reads a file (`node --trace-deopt`,
    // bench/README.md, issue 19). bytes[n] is then the next line's first byte, not the 0
    // sentinel, but a number never runs past the line feed before it. Only the new bytes are
    // searched: what was pending has no line feed that ends a record.
    const lastLineEnd = chunk.lastIndexOf(LF);
    const used = lastLineEnd < 0 ? 0 : this.scan(bytes, pending + lastLineEnd + 1, false);
    const rest = length - used;
    if (rest > MAX_RECORD_BYTES) {
      throw new RecordError(this.line, TOO_LONG);
    }
    this.pendingStart = used;
    this.pendingLength = rest;
  }

  /** Reads the last record, which may lack its line end. */
  end(): void {
    if (this.pendingLength > 0) {
      const bytes = this.work;
      bytes.copyWithin(0, this.pendingStart, this.pendingStart + this.pendingLength);
      bytes[this.pendingLength] = 0;
      this.scan(bytes, this.pendingLength, true);
    }
    this.pendingLength = 0;
  }

  /**
   * Reads records from the first `n` of `bytes` (bytes[n] is a 0 sentinel); returns how many
   * bytes it consumed (up to the start of a record that is cut off, unless `final`).
   */
  private scan(bytes: Uint8Array, n: number, final: boolean): number {
    const delimiter = this.delimiter;
    const slots = this.slots;
    const columns = slots.length;
    const values = this.values;
    this.fieldBytes = bytes;
    let pos = 0;
    while (pos < n) {
      const recordStart = pos;
      const recordLine = this.line;
      let lines = 0;
      let c = bytes[pos] as number;
      // A blank line (LF or CRLF alone) is no record.
      if (c === LF || (c === CR && bytes[pos + 1] === LF)) {
        pos += c === LF ? 1 : 2;
        this.line++;
        continue;
      }
      if (c === CR && pos + 1 >= n && !final) return recordStart;
      let field = 0;
      let complete = false;
      let malformed = false;
      this.quotedUsed = 0;
      for (;;) {
        const slot = field < columns ? (slots[field] as number) : -1;
        c = pos < n ? (bytes[pos] as number) : -1;
        if (c === QUOTE) {
          const close = this.readQuoted(bytes, n, pos + 1, slot, final);
          if (close < 0) {
            if (!final) return recordStart;
            this.line = recordLine + 1;
            this.onMalformed(recordLine, 'a quoted field is not closed');
            return n;
          }
          lines += countLineFeeds(bytes, pos + 1, close);
          pos = close;
          const next = pos < n ? (bytes[pos] as number) : -1;
          if (!(next === delimiter || next === LF || next === CR || next === -1)) {
            const skipped = skipLine(bytes, n, pos, final);
            if (skipped < 0) return recordStart;
            this.line = recordLine + lines + 1;
            this.onMalformed(recordLine, 'text after a closing quote');
            pos = skipped;
            malformed = true;
            break;
          }
        } else if (slot >= 0) {
          let start = pos;
          while (start < n && bytes[start] === SPACE) start++;
          let stop = readDecimal(bytes, start, values, slot, this.view);
          let end = stop;
          while (end < n && bytes[end] === SPACE) end++;
          const next = end < n ? (bytes[end] as number) : -1;
          if (!(next === delimiter || next === LF || next === CR || next === -1)) {
            // Not a number: find the end of the field for the message.
            while (end < n && bytes[end] !== delimiter && bytes[end] !== LF) end++;
            if (end < n && bytes[end] === LF && end > pos && bytes[end - 1] === CR) end--;
            values[slot] = Number.NaN;
            stop = end;
          }
          this.fieldStart[slot] = start;
          this.fieldEnd[slot] = stop;
          this.quotedSlots[slot] = 0;
          pos = end;
        } else {
          while (pos < n) {
            c = bytes[pos] as number;
            if (c === delimiter || c === LF) break;
            pos++;
          }
        }
        // pos is at a delimiter, a line end, or the end of the bytes.
        if (pos >= n) {
          if (!final) return recordStart;
          complete = true;
        } else {
          c = bytes[pos] as number;
          if (c === delimiter) {
            field++;
            pos++;
            continue;
          }
          if (c === CR) {
            if (pos + 1 >= n && !final) return recordStart;
            if (pos + 1 < n && bytes[pos + 1] !== LF) {
              const skipped = skipLine(bytes, n, pos, final);
              if (skipped < 0) return recordStart;
              this.line = recordLine + lines + 1;
              this.onMalformed(recordLine, 'a carriage return inside a field');
              pos = skipped;
              malformed = true;
              break;
            }
            pos++;
          }
          if (pos < n) pos++; // the LF
          lines++;
          complete = true;
        }
        if (complete) break;
      }
      if (pos - recordStart > MAX_RECORD_BYTES) {
        throw new RecordError(recordLine, TOO_LONG);
      }
      if (malformed) continue;
      this.line += lines;
      if (field + 1 !== columns) {
        this.onMalformed(
          recordLine,
          `${field + 1} field${field === 0 ? '' : 's'}, but ${this.shapeSource} has ${columns}`,
        );
        continue;
      }
      this.onRecord(values, recordLine);
    }
    return pos;
  }

  /**
   * Reads a quoted field whose content starts at `from`; returns the index after the closing
   * quote, or −1 if the bytes end first. A wanted field is unescaped into `quoted` and parsed,
   * its number and the place of its text written to the record's slot (as for other fields).
   */
  private readQuoted(
    bytes: Uint8Array,
    n: number,
    from: number,
    slot: number,
    final: boolean,
  ): number {
    let length = this.quotedUsed;
    const first = length;
    let i = from;
    for (;;) {
      if (i >= n) return -1;
      const c = bytes[i] as number;
      if (c === QUOTE) {
        // Whether this is "" or the closing quote, the next byte decides.
        if (i + 1 >= n && !final) return -1;
        if (bytes[i + 1] !== QUOTE) break;
        i++;
      }
      if (slot >= 0) {
        if (length === this.quoted.length) this.quoted = grow(this.quoted);
        this.quoted[length++] = c;
      }
      i++;
    }
    const after = i + 1;
    if (slot >= 0) {
      this.quotedUsed = length;
      let start = first;
      let end = length;
      while (start < end && this.quoted[start] === SPACE) start++;
      while (end > start && this.quoted[end - 1] === SPACE) end--;
      const stop = readDecimal(this.quoted.subarray(0, end), start, this.values, slot);
      if (stop !== end) this.values[slot] = Number.NaN;
      this.fieldStart[slot] = start;
      this.fieldEnd[slot] = end;
      this.quotedSlots[slot] = 1;
    }
    return after;
  }
}

/** How many LF bytes lie in bytes[from, to) (the line breaks inside a quoted field). */
function countLineFeeds(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === LF) count++;
  return count;
}

/** The index after the next LF from `from`, or −1 when there is none yet (unless final). */
function skipLine(bytes: Uint8Array, n: number, from: number, final: boolean): number {
  const lf = bytes.subarray(0, n).indexOf(LF, from);
  if (lf >= 0) return lf + 1;
  return final ? n : -1;
}

function grow(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(bytes.length * 2);
  larger.set(bytes);
  return larger;
}
