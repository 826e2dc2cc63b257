/**
 * Decimal numbers read straight from the bytes of a prediction file, correctly rounded.
 *
 * This is the hot path of `--input`: a 2,000,000-row file has 2,000,000 scores printed with 17
 * significant digits. `Number(text)` needs a string per field and costs about 130 ns each here
 * (bench/README.md); this reads the digits in place and rounds exactly, in about a third of
 * that. It returns the same double as `Number(text)` for every input of the grammar below (a
 * property test checks that), falling back to `Number` where its fast paths cannot decide.
 *
 * Grammar (ASCII, no spaces): [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
 * Anything else (`nan`, `inf`, `0x1`, `1_000`, empty) is not a number: the result is NaN.
 */
import { productLow } from '../core/exact.js';

const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** 10^k for k ≤ 22 is exact in a double; larger powers are not. */
const MAX_EXACT_POWER = 22;
/** Where a computed correction may be wrong by its own rounding, about 2⁻⁵²; with margin. */
const CORRECTION_SLACK = 2 ** -48;

function slowPath(bytes: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return Number(text);
}

/** Four ASCII digits, first in the lowest byte, as a number 0–9999; −1 if any is not a digit. */
function fourDigits(word: number): number {
  // Every byte 0x30–0x39: high nibble 3, and adding 6 does not carry into the high nibble.
  if ((word & 0xf0f0f0f0) !== 0x30303030 || ((word + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) {
    return -1;
  }
  const x = word - 0x30303030;
  // Bytes 0 and 2 become d0·10 + d1 and d2·10 + d3 (each ≤ 99: no carries between bytes).
  const pairs = x * 10 + (x >>> 8);
  return (pairs & 0xff) * 100 + ((pairs >>> 16) & 0xff);
}

/** Eight ASCII digits at `at` as a number below 10^8, or −1 if they are not all digits. */
function eightDigits(view: DataView, at: number): number {
  const high = fourDigits(view.getUint32(at, true));
  if (high < 0) return -1;
  const low = fourDigits(view.getUint32(at + 4, true));
  return low < 0 ? -1 : high * 10000 + low;
}

/**
 * Reads the longest number of the grammar starting at `start`, writes its value into
 * `out[slot]` and returns the index just past it; when no number starts there, it writes NaN
 * and returns `start`. It reads up to the end of `bytes` at most (pass a subarray to stop
 * earlier; a non-digit byte after the number, such as the 0 sentinel the scanner adds, saves
 * the bounds checks). `view`, a DataView of the same bytes, lets it read eight digits at a time.
 *
 * Why the value goes into the caller's array and the end is returned, not the other way round:
 * this function is too large for V8 to inline, and a double returned from a call that is not
 * inlined is boxed in a new heap object, one per field; an index is a small integer, never
 * boxed. The scanner passes the record's `values` and the field's slot: 5–9% less CPU time for
 * the scanner than returning the value with the end in a caller-owned object, or in a module
 * variable as before (bench/README.md, 2026-11-30).
 *
 * Method: up to 19 significant digits are gathered as small integers of at most 8 digits each
 * (integer arithmetic, no floating-point dependency chain per digit) and then joined into the
 * exact integer w, with value = w·10^e:
 * - at most 15 digits and |e| ≤ 22: w and 10^|e| are exact doubles and one multiplication or
 *   division rounds once (Clinger's fast path);
 * - 16 to 19 digits and −22 ≤ e < 0: w is held exactly as a double-double, q = w/10^|e| is
 *   rounded once, and the exact remainder gives a correction δ that is exact up to its own
 *   rounding; q + δ is then correctly rounded unless the two ends of δ's error interval round
 *   differently, where `Number` decides;
 * - anything else (more digits, larger exponents) goes to `Number`.
 */
export function readDecimal(
  bytes: Uint8Array,
  start: number,
  out: Float64Array,
  slot: number,
  view?: DataView,
): number {
  // Reading past the end gives undefined, and undefined − 48 is NaN: no digit.
  let i = start;
  let c = bytes[i] as number;
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    c = bytes[++i] as number;
  }
  // The significant digits: the first 8 in chunk0, the next 8 in chunk1, up to 3 in chunk2.
  let chunk0 = 0;
  let chunk1 = 0;
  let chunk2 = 0;
  let significant = 0;
  let exponent = 0;
  let tooLarge = false;
  const digitsStart = i;
  let d = c - 48;
  while (d === 0) d = (bytes[++i] as number) - 48;
  while (d >= 0 && d <= 9) {
    if (significant < 8) chunk0 = chunk0 * 10 + d;
    else if (significant < 16) chunk1 = chunk1 * 10 + d;
    else if (significant < 19) chunk2 = chunk2 * 10 + d;
    significant++;
    d = (bytes[++i] as number) - 48;
  }
  let digits = i - digitsStart;
  if (d === -2) {
    // A decimal point, then the fraction; its leading zeros only move the exponent.
    const fractionStart = ++i;
    d = (bytes[i] as number) - 48;
    if (significant === 0) {
      while (d === 0) {
        exponent--;
        d = (bytes[++i] as number) - 48;
      }
    }
    // Eight digits at a time where a whole chunk lies ahead (the long fractions of 17-digit
    // scores); then digit by digit.
    if (view !== undefined) {
      while ((significant === 0 || significant === 8) && i + 8 <= view.byteLength) {
        const eight = eightDigits(view, i);
        if (eight < 0) break;
        if (significant === 0) chunk0 = eight;
        else chunk1 = eight;
        significant += 8;
        exponent -= 8;
        i += 8;
      }
      d = (bytes[i] as number) - 48;
    }
    while (d >= 0 && d <= 9) {
      if (significant < 8) chunk0 = chunk0 * 10 + d;
      else if (significant < 16) chunk1 = chunk1 * 10 + d;
      else if (significant < 19) chunk2 = chunk2 * 10 + d;
      significant++;
      exponent--;
      d = (bytes[++i] as number) - 48;
    }
    digits += i - fractionStart;
  }
  if (digits === 0) {
    out[slot] = Number.NaN;
    return start;
  }
  if (d === 53 || d === 21) {
    // e or E: an exponent needs at least one digit; "1e" stops before the e.
    let j = i + 1;
    let e = bytes[j] as number;
    let sign = 1;
    if (e === 45 || e === 43) {
      sign = e === 45 ? -1 : 1;
      e = bytes[++j] as number;
    }
    let k = e - 48;
    if (k >= 0 && k <= 9) {
      let power = 0;
      while (k >= 0 && k <= 9) {
        // Beyond this the exponent is not held exactly: Number decides (below).
        if (power < 100_000) power = power * 10 + k;
        else tooLarge = true;
        k = (bytes[++j] as number) - 48;
      }
      exponent += sign * power;
      i = j;
    }
  }
  if (tooLarge) {
    out[slot] = slowPath(bytes, start, i);
    return i;
  }
  let value: number;
  if (significant === 0) {
    value = 0;
  } else if (significant <= 15) {
    const w =
      significant <= 8 ? chunk0 : chunk0 * (POWERS_OF_TEN[significant - 8] as number) + chunk1;
    if (exponent === 0) value = w;
    else if (exponent < 0 && exponent >= -MAX_EXACT_POWER)
      value = w / (POWERS_OF_TEN[-exponent] as number);
    else if (exponent > 0 && exponent <= MAX_EXACT_POWER && w <= 2 ** 53 / 10 ** exponent)
      value = w * (POWERS_OF_TEN[exponent] as number);
    else {
      out[slot] = slowPath(bytes, start, i);
      return i;
    }
  } else if (significant <= 19 && exponent < 0 && exponent >= -MAX_EXACT_POWER) {
    // w = chunk0·10^(s−8) + rest, exactly as wh + wl. chunk0·10^(s−8) is exact: it is
    // chunk0·5^(s−8) < 2^53 times a power of two; rest < 10^11 is exact too.
    const head = chunk0 * (POWERS_OF_TEN[significant - 8] as number);
    const rest = chunk1 * (POWERS_OF_TEN[significant - 16] as number) + chunk2;
    const wh = head + rest;
    const wl = rest - (wh - head);
    const divisor = POWERS_OF_TEN[-exponent] as number;
    const q = wh / divisor;
    // The remainder of a correctly rounded division is exact: wh − q·divisor.
    const qh = q * divisor;
    const remainder = wh - qh - productLow(q, divisor, qh) + wl;
    const delta = remainder / divisor;
    const below = q + delta * (1 - CORRECTION_SLACK);
    const above = q + delta * (1 + CORRECTION_SLACK);
    if (below !== above) {
      out[slot] = slowPath(bytes, start, i);
      return i;
    }
    value = below;
  } else {
    out[slot] = slowPath(bytes, start, i);
    return i;
  }
  out[slot] = negative ? -value : value;
  return i;
}

/** The number in exactly bytes[start, end), or NaN when they are not one number. */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  const out = new Float64Array(1);
  const stop = readDecimal(end === bytes.length ? bytes : bytes.subarray(0, end), start, out, 0);
  return stop === end ? (out[0] as number) : Number.NaN;
}

/**
 * Numbers that take every path of readDecimal (signs, leading zeros, 8 digits at a time, 16–19
 * digits, exponents, the fallback to `Number`, no number at all), each followed by a 0 byte as
 * in the scanner's buffer.
 */
const PRIMING = [
  '0',
  '1',
  '-1',
  '+0.5',
  '.5',
  '5.',
  '0.0022941800817191534',
  '0.000012345678901234567',
  '-0.99999999999999989',
  '0.1',
  '12.5e-3',
  '1E+5',
  '1e30',
  '1e999999',
  '9007199254740993.0',
  '123456789012345678901',
  '3.14159',
  '3.1415926535',
  '-123456789.25',
  '1e',
  'x',
  '',
  '-7.0000000000000000e-01',
  '0.30000000000000004',
];
let primed = false;

/**
 * Runs readDecimal over PRIMING before the first file, so that V8 has seen every path when it
 * optimizes it. Otherwise a path first met after that (an exponent, a rounding case for
 * `Number`) discards the optimized code and V8 compiles it anew: five times in a 1,250,000-row
 * shard (`node --trace-deopt`), 20 to 110 ms of compiling each, paid by every process and
 * worker thread (2 % of a shard's instructions; bench/README.md, issue 19).
 */
export function primeDecimal(): void {
  if (primed) return;
  primed = true;
  const text = `${PRIMING.join('\0')}\0`;
  const bytes = new Uint8Array(text.length + 8);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(1);
  // V8 keeps no feedback for a function's first few calls: several rounds.
  for (let round = 0; round < 3; round++) {
    for (let start = 0; start < text.length; start = bytes.indexOf(0, start) + 1) {
      readDecimal(bytes, start, out, 0, view);
    }
  }
}
