/**
 * The base of the logarithm a loss is measured in.
 *
 * Frameworks use natural logs; the seed notes use base 10. A base only rescales every loss by
 * 1/ln b, so shares and ratios do not depend on it. Bases are restricted to b > 1 so that every
 * loss stays non-negative.
 */
export interface LogBase {
  /** How the base is written: `e`, `2`, `10` or the number given. */
  readonly name: string;
  /** The base b itself. */
  readonly value: number;
  /** ln b: a loss in nats is divided by it. */
  readonly lnBase: number;
  /** log_b(x) for x ≥ 0, computed directly where the runtime has a dedicated function. */
  log(x: number): number;
}

/** The natural logarithm, the base every framework uses. */
export const NATURAL_LOG: LogBase = { name: 'e', value: Math.E, lnBase: 1, log: Math.log };

/**
 * The log base `b` (`'e'` or a finite number > 1).
 *
 * Bases 2 and 10 use `Math.log2` and `Math.log10`, so that −log10(0.01) is exactly 2 as in the
 * seed notes; other bases divide the natural log by ln b.
 *
 * @throws RangeError when b is not finite or not greater than 1.
 */
export function logBase(b: number | 'e'): LogBase {
  if (b === 'e' || b === Math.E) return NATURAL_LOG;
  if (!(Number.isFinite(b) && b > 1)) {
    throw new RangeError(`log base must be a finite number > 1, got ${b}`);
  }
  const lnBase = Math.log(b);
  const name = String(b);
  if (b === 10) return { name, value: b, lnBase, log: Math.log10 };
  if (b === 2) return { name, value: b, lnBase, log: Math.log2 };
  return { name, value: b, lnBase, log: (x: number) => Math.log(x) / lnBase };
}
