/**
 * Compensated (Neumaier) summation: a million tiny losses next to a few large ones keep their
 * digits (math.md). The error is about 2 ulp of the sum, independent of the number of terms.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  /** Adds one term. */
  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) {
      this.compensation += this.sum - t + x;
    } else {
      this.compensation += x - t + this.sum;
    }
    this.sum = t;
  }

  /** The sum of the terms added so far. Infinite terms give an infinite (or NaN) sum. */
  get value(): number {
    const total = this.sum + this.compensation;
    // Once a term is infinite the compensation is NaN; the plain sum is then the answer.
    return Number.isFinite(this.sum) ? total : this.sum;
  }
}

/** The compensated sum of `values`. */
export function compensatedSum(values: Iterable<number>): number {
  const acc = new CompensatedSum();
  for (const v of values) acc.add(v);
  return acc.value;
}
