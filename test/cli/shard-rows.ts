/**
 * Rows for the tests of shards read as one (`--partial` and `focal merge`, many `--input`
 * files): random examples (weights, p at 0, 1 and the extremes), their CSV, and CSV output
 * compared figure by figure.
 */
import fc from 'fast-check';

export const EPS = 2 ** -52;

export interface Example {
  readonly p: number;
  readonly y: 0 | 1;
  readonly w: number;
}

/** A CSV of the examples: `p,y,w`. */
export function csv(rows: readonly Example[]): string {
  return `p,y,w\n${rows.map((r) => `${r.p},${r.y},${r.w}`).join('\n')}\n`;
}

/** CSV output as rows of fields. */
export function table(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/** a and b as numbers within `eps` relative (equal when not finite). */
export function close(a: string, b: string, eps: number): boolean {
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return Object.is(x, y) || a === b;
  return Math.abs(x - y) <= eps * Math.abs(y);
}

/** A random example: p mostly uniform, sometimes 0, 1 or extreme; a quarter positives. */
export const example = fc.record({
  p: fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 5e-324, 1e-300, 1 - 2 ** -53) },
  ),
  y: fc.constantFrom<0 | 1>(0, 0, 0, 1),
  w: fc.constantFrom(1, 1, 2, 0.5, 3),
});
