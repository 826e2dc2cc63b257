/**
 * Option values: lists of numbers and ranges (and `none` where α allows it), validated against
 * a domain rule before anything is computed (cli-contract.md, "Lists, ranges, sweeps").
 */
import { showValue, UsageError } from '../errors.js';
import {
  constantSequence,
  decimalRange,
  type NumberSequence,
  parseNumber,
  parseValue,
  type Sequence,
} from './numbers.js';

/** The values of one list option, in the order given, iterated lazily. */
export class ValueList<T> {
  readonly length: number;

  constructor(private readonly parts: readonly Sequence<T>[]) {
    this.length = parts.reduce((n, part) => n + part.length, 0);
  }

  /** The value at `index` (0-based). */
  at(index: number): T {
    let i = index;
    for (const part of this.parts) {
      if (i < part.length) return part.at(i);
      i -= part.length;
    }
    throw new RangeError(`index ${index} is past the end of a list of ${this.length}`);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++) yield part.at(i);
    }
  }
}

/**
 * The values an option accepts: a check of one number, the sentence that names the rule in an
 * error, and whether the values must be whole (checked on a range's start and step, so that a
 * range of a billion values is validated by its ends). Made by `domain()` from an interval, so
 * that the check and its sentence cannot drift apart.
 */
export interface Domain {
  /** Whether a number lies in the domain's bounds (wholeness apart). */
  readonly contains: (value: number) => boolean;
  readonly rule: string;
  readonly whole?: boolean;
}

/** A domain as bounds: `[min, max]`, either end open or absent, whole numbers or any. */
export interface Interval {
  readonly min?: number;
  readonly minOpen?: boolean;
  readonly max?: number;
  readonly maxOpen?: boolean;
  readonly whole?: boolean;
  /** How the upper bound reads when its digits would not (`2^53 − 1`). */
  readonly maxText?: string;
  /** What the values are, before a lower bound alone: `a count` ≥ 0. */
  readonly noun?: string;
  /** The domain's name when it is not told by its bounds: `a label (0 or 1)`. */
  readonly name?: string;
  /** A word also accepted, named after the rule: `"none"`. */
  readonly or?: string;
}

/** The sentence of an interval: `is not in [0, 1]`, `is not ≥ 0`, `is not a whole number from 1 to 17`. */
export function ruleOf(i: Interval): string {
  const or = i.or === undefined ? '' : ` (or ${i.or})`;
  if (i.name !== undefined) return `is not ${i.name}${or}`;
  const { min, max } = i;
  const maxText = i.maxText ?? String(max);
  let text: string;
  if (min !== undefined && max !== undefined) {
    text = i.whole
      ? `a whole number from ${min} to ${maxText}`
      : `in ${i.minOpen ? '(' : '['}${min}, ${maxText}${i.maxOpen ? ')' : ']'}`;
  } else if (min !== undefined) {
    text = `${i.noun ? `${i.noun} ` : ''}${i.minOpen ? '>' : '≥'} ${min}`;
  } else if (max !== undefined) {
    text = `${i.noun ? `${i.noun} ` : ''}${i.maxOpen ? '<' : '≤'} ${maxText}`;
  } else {
    text = 'a finite number';
  }
  return `is not ${text}${or}`;
}

/**
 * The domain of an interval: its check and its rule, from the same bounds. The check is the
 * comparisons themselves, not a zod schema: building the options' schemas and loading zod was
 * a fifth of every start (bench/README.md, 2026-11-30); test/parse/domains.test.ts checks with
 * fast-check that it accepts exactly what zod's schema of the same bounds accepts.
 */
export function domain(i: Interval): Domain {
  const { min, max, minOpen, maxOpen } = i;
  return {
    contains: (value) =>
      Number.isFinite(value) &&
      (min === undefined || (minOpen ? value > min : value >= min)) &&
      (max === undefined || (maxOpen ? value < max : value <= max)),
    rule: ruleOf(i),
    ...(i.whole ? { whole: true } : {}),
  };
}

function inDomain(domain: Domain, value: number): boolean {
  return domain.contains(value) && (!domain.whole || Number.isInteger(value));
}

function checkValue(domain: Domain, value: number, text: string): void {
  if (!inDomain(domain, value)) throw new UsageError(`${showValue(text.trim())} ${domain.rule}`);
}

/** One number (no list, no range) in `domain`. */
export function parseSingle(text: string, domain: Domain): number {
  const value = parseValue(text);
  checkValue(domain, value, text);
  return value;
}

/** `start:stop:step` in `domain`. */
function parseRange(text: string, domain: Domain): NumberSequence {
  const parts = text.split(':');
  if (parts.length !== 3) {
    throw new UsageError(`range ${showValue(text)} must have three parts, start:stop:step`);
  }
  const [start, stop, step] = parts.map((part) => {
    try {
      return parseNumber(part);
    } catch (error) {
      throw new UsageError(`range ${showValue(text)}: ${(error as Error).message}`);
    }
  }) as [
    ReturnType<typeof parseNumber>,
    ReturnType<typeof parseNumber>,
    ReturnType<typeof parseNumber>,
  ];
  const range = decimalRange(text, start.exact, stop.exact, step.exact);
  // Domains are intervals, so a range lies inside one when both its ends do.
  for (const end of [range.at(0), range.at(range.length - 1)]) {
    if (!inDomain(domain, end)) {
      throw new UsageError(`range ${showValue(text)} reaches ${end}, which ${domain.rule}`);
    }
  }
  if (domain.whole && range.length > 1 && !Number.isInteger(step.value)) {
    throw new UsageError(
      `range ${showValue(text)} has a step of ${step.value}, which ${domain.rule}`,
    );
  }
  return range;
}

/**
 * A comma-separated list of numbers and ranges, each in `domain`; with `none`, the word `none`
 * is also an element (it stands for α weighting off, null).
 */
export function parseList(text: string, domain: Domain): ValueList<number>;
export function parseList(
  text: string,
  domain: Domain,
  options: { none: true },
): ValueList<number | null>;
export function parseList(
  text: string,
  domain: Domain,
  options: { none?: boolean } = {},
): ValueList<number | null> {
  if (text.trim() === '') throw new UsageError('an empty value is not a list');
  const parts = text.split(',').map((element) => {
    if (element.trim() === '') throw new UsageError(`${showValue(text)} has an empty element`);
    // Any case: Python users write None (torchvision's alpha=None in some wrappers).
    if (options.none && element.trim().toLowerCase() === 'none') return constantSequence(null);
    if (element.includes(':')) return parseRange(element.trim(), domain);
    return constantSequence(parseSingle(element, domain));
  });
  return new ValueList(parts);
}
