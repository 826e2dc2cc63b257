/**
 * Numbers as a scientist types them, and exact decimal ranges (cli-contract.md, "Numbers" and
 * "Lists, ranges, sweeps and pairing").
 */
import { showValue, UsageError } from '../errors.js';

/** A decimal literal's parts as typed: `-1.5e3` is '-', '1', '5', '3'. */
export interface DecimalParts {
  readonly sign: string;
  readonly whole: string;
  /** The digits after the point ('' for `1.` and for `1`). */
  readonly fraction: string;
  /** The exponent after e or E, with its sign ('0' for none). */
  readonly exponent: string;
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/**
 * Decimal literals: `0.25`, `.5`, `1.`, `+1`, `1e6`, `1E-7`, not hex, `_`, `Infinity` or `NaN`:
 * `[+-]?` digits, `.` and digits (some before or after the point), then `[eE][+-]?` digits.
 * Read character by character, not by a regular expression: V8 compiles one at its first use
 * and again at its second, at every start (bench/README.md, "The executable's share, Node's
 * first calls, and pipes").
 */
export function decimalParts(text: string): DecimalParts | undefined {
  const digitsFrom = (start: number) => {
    let end = start;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    return end;
  };
  let at = text[0] === '+' || text[0] === '-' ? 1 : 0;
  const sign = text.slice(0, at);
  let end = digitsFrom(at);
  const whole = text.slice(at, end);
  let fraction = '';
  if (text[end] === '.') {
    at = end + 1;
    end = digitsFrom(at);
    fraction = text.slice(at, end);
  }
  if (whole === '' && fraction === '') return undefined;
  let exponent = '0';
  if (text[end] === 'e' || text[end] === 'E') {
    at = end + 1;
    const signed = text[at] === '+' || text[at] === '-' ? at + 1 : at;
    end = digitsFrom(signed);
    if (end === signed) return undefined;
    exponent = text.slice(at, end);
  }
  return end === text.length ? { sign, whole, fraction, exponent } : undefined;
}

/** A decimal held exactly: `mantissa × 10^exponent`. */
export interface ExactDecimal {
  readonly mantissa: bigint;
  readonly exponent: number;
}

/** A parsed number: its nearest double and its exact decimal value. */
export interface ParsedNumber {
  readonly value: number;
  readonly exact: ExactDecimal;
}

/** The decimal literal's parts and the double it stands for, or UsageError naming the rule. */
function matchNumber(text: string): { readonly parts: DecimalParts; readonly value: number } {
  const trimmed = text.trim();
  const parts = decimalParts(trimmed);
  if (parts === undefined) throw new UsageError(`${showValue(text)} is not a number`);
  // + 0 turns −0 into 0: a typed "-0" means zero (1/−0 would make a ratio −∞).
  const value = Number(trimmed) + 0;
  if (!Number.isFinite(value)) {
    throw new UsageError(`${showValue(text)} is too large (it overflows a double)`);
  }
  return { parts, value };
}

/**
 * Parses one number. Surrounding whitespace is trimmed; a literal that underflows is 0; one
 * that overflows to a non-finite double is rejected.
 *
 * @throws UsageError (without the option's name) for anything that is not such a number.
 */
export function parseNumber(text: string): ParsedNumber {
  const { parts, value } = matchNumber(text);
  const { sign, whole, fraction, exponent } = parts;
  if (value === 0) return { value, exact: { mantissa: 0n, exponent: 0 } };
  return {
    value,
    exact: {
      mantissa: BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}`),
      exponent: Number(exponent) - fraction.length,
    },
  };
}

/**
 * The double of a decimal number, checked as parseNumber checks it (the same rules and
 * messages), without its exact digits: no BigInt per value, for long lists.
 */
export function parseValue(text: string): number {
  return matchNumber(text).value;
}

/** A sequence that can be indexed and iterated without being held in memory. */
export interface Sequence<T> {
  readonly length: number;
  at(index: number): T;
}

export type NumberSequence = Sequence<number>;

/** Ranges longer than this are refused at once (cli-contract.md). */
export const MAX_RANGE_VALUES = 1_000_000_000;

const EXACT_INTEGER = 2n ** 53n;

/**
 * The range `start:stop:step`: the exact decimals start + i·step for i = 0…n,
 * n = floor((stop − start)/step), each converted to the nearest double.
 *
 * @throws UsageError for a zero step, a step that moves away from stop, or too many values.
 */
export function decimalRange(
  text: string,
  start: ExactDecimal,
  stop: ExactDecimal,
  step: ExactDecimal,
): NumberSequence {
  const scale = Math.min(start.exponent, stop.exponent, step.exponent);
  const align = (d: ExactDecimal) => d.mantissa * 10n ** BigInt(d.exponent - scale);
  const a = align(start);
  const b = align(stop);
  const c = align(step);
  const span = b - a;
  if (c === 0n) throw new UsageError(`range ${showValue(text)} has a step of zero`);
  if (span === 0n) return constantSequence(exactToNumber(a, scale), 1);
  if (span > 0n !== c > 0n) {
    throw new UsageError(`range ${showValue(text)} steps away from its stop`);
  }
  const n = span / c; // both have the same sign, so truncation is floor
  if (n + 1n > BigInt(MAX_RANGE_VALUES)) {
    throw new UsageError(
      `range ${showValue(text)} has ${n + 1n} values, more than ${MAX_RANGE_VALUES.toLocaleString('en-US')}`,
    );
  }
  const length = Number(n) + 1;
  const last = a + n * c;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  // Fast path: every a + i·c is an exact double integer and 10^|scale| is an exact double,
  // so one IEEE multiplication or division rounds correctly, as the decimal would.
  if (
    abs(a) <= EXACT_INTEGER &&
    abs(last) <= EXACT_INTEGER &&
    abs(last - a) <= EXACT_INTEGER &&
    Math.abs(scale) <= 22
  ) {
    const a0 = Number(a);
    const c0 = Number(c);
    const power = 10 ** Math.abs(scale);
    const at =
      scale < 0 ? (i: number) => (a0 + i * c0) / power : (i: number) => (a0 + i * c0) * power;
    return { length, at };
  }
  return { length, at: (i: number) => exactToNumber(a + BigInt(i) * c, scale) };
}

function exactToNumber(mantissa: bigint, exponent: number): number {
  return Number(`${mantissa}e${exponent}`);
}

/** `length` copies of `value`. */
export function constantSequence<T>(value: T, length = 1): Sequence<T> {
  return { length, at: () => value };
}
