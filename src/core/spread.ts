/**
 * The exact law of a fresh layer's pre-activation wx = Σ wᵢxᵢ (fan-in n, weights from
 * N(0, S²), inputs from N(M, D²), all independent), for the spread of the initial p (issue 13).
 *
 * Given the inputs, wx is N(0, S²·Σxᵢ²); Σxᵢ²/D² is a chi-square with n degrees of freedom,
 * noncentral (λ = n·M²/D²) when M ≠ 0. So wx = S·D·√V·Z with Z standard normal and, writing
 * the inputs along and across their mean, V = (δ + z)² + R² with δ = √n·M/D, z standard normal
 * and R a chi variable with n − 1 degrees of freedom. P(wx ≤ t) = E[Φ(τ/√V)], τ = t/(S·D):
 * a one-dimensional integral over R when M = 0 (then V = R² with n degrees of freedom), two
 * (over z and R) otherwise, by composite Gauss–Legendre rules with the densities normalised by
 * the same rules (no Gamma function is needed). The quantile is the root of P(wx ≤ t) = q.
 * With D = 0, wx = M·Σwᵢ is exactly normal; with S = 0 it is 0. Checked against mpmath (which
 * integrates the noncentral chi-square density with its Bessel function instead) to 1e−12.
 */
import { exactProduct } from './exact.js';

interface Rule {
  readonly nodes: readonly number[];
  readonly weights: readonly number[];
}

let rule: Rule | undefined;

/**
 * Nodes and weights of the 12-point Gauss–Legendre rule on [−1, 1], by Newton's method; made on
 * first use, not when the module loads (every command's start-up loads it: bench/README.md).
 */
function gaussLegendre(): Rule {
  if (rule !== undefined) return rule;
  const n = 12;
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-17) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * derivative * derivative));
  }
  rule = { nodes, weights };
  return rule;
}

/** How many halvings the panels next to a point where V can be 0 are graded by. */
const GRADING = 24;

/**
 * The nodes and weights of a composite rule over [a, b]: `panels` equal panels, except that
 * the panels touching `toward` (a point of [a, b] where Φ(τ/√V) is smooth but not analytic,
 * V = 0) are cut geometrically towards it, so the rule keeps its accuracy there.
 */
function composite(
  a: number,
  b: number,
  panels: number,
  toward?: number,
): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  const panel = (lo: number, hi: number) => {
    const mid = (lo + hi) / 2;
    const half = (hi - lo) / 2;
    const { nodes, weights } = gaussLegendre();
    for (let i = 0; i < nodes.length; i++) {
      x.push(mid + half * (nodes[i] as number));
      w.push(half * (weights[i] as number));
    }
  };
  /** Equal panels over [lo, hi], the one touching `end` cut geometrically towards it. */
  const stretch = (lo: number, hi: number, count: number, end?: number) => {
    const width = (hi - lo) / count;
    for (let p = 0; p < count; p++) {
      const from = lo + p * width;
      const to = p === count - 1 ? hi : from + width;
      const target = end === lo && p === 0 ? lo : end === hi && p === count - 1 ? hi : undefined;
      if (target === undefined) {
        panel(from, to);
        continue;
      }
      let far = target === lo ? to : from;
      for (let k = 1; k <= GRADING; k++) {
        const near = target + (far - target) / 2;
        panel(Math.min(far, near), Math.max(far, near));
        far = near;
      }
      panel(Math.min(far, target), Math.max(far, target));
    }
  };
  if (toward === undefined || toward <= a || toward >= b) {
    stretch(a, b, panels, toward);
  } else {
    // Split at the point, so that no panel straddles it or merely touches it ungraded.
    const left = Math.max(1, Math.round((panels * (toward - a)) / (b - a)));
    stretch(a, toward, left, toward);
    stretch(toward, b, Math.max(1, panels - left), toward);
  }
  return { x, w };
}

/** ln(1 + x) − x without cancellation for small x. */
function log1pMinusX(x: number): number {
  if (Math.abs(x) > 0.25) return Math.log1p(x) - x;
  let term = x;
  let sum = 0;
  for (let j = 2; j < 60; j++) {
    term *= -x;
    const next = term / j;
    sum += next;
    if (Math.abs(next) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * Nodes r and weights of the chi distribution with k ≥ 1 degrees of freedom (density
 * ∝ r^(k−1)·e^(−r²/2)), normalised so the weights sum to 1. The density is taken relative to
 * its mode m = √(k − 1) as (k − 1)·(log1p(d/m) − d/m) + d·(k − 1 − m²)/m − d²/2 with d = r − m,
 * which keeps its digits at a fan-in of millions.
 */
function chiRule(k: number): { x: number[]; w: number[] } {
  const m = Math.sqrt(k - 1);
  const [hi, lo] = exactProduct(m, m);
  const excess = m === 0 ? 0 : (k - 1 - hi - lo) / m;
  const a = Math.max(0, m - 14);
  const { x, w } = composite(a, m + 14, 16, a === 0 ? 0 : undefined);
  const density = x.map((r) => {
    const d = r - m;
    const logRatio = m === 0 ? (k - 1) * Math.log(r) : (k - 1) * log1pMinusX(d / m);
    return Math.exp(logRatio + d * excess - (d * d) / 2);
  });
  const weights = w.map((wi, i) => wi * (density[i] as number));
  const total = weights.reduce((s, v) => s + v, 0);
  return { x, w: weights.map((v) => v / total) };
}

/**
 * The standard normal's nodes and weights over [−12, 12], normalised; graded towards z = −δ
 * (where V = (δ + z)² + R² can be 0) when R can be near 0 (fan-in ≤ 3).
 */
function normalRule(toward?: number): { x: number[]; w: number[] } {
  const { x, w } = composite(-12, 12, 16, toward);
  const weights = w.map((wi, i) => wi * Math.exp(-((x[i] as number) * (x[i] as number)) / 2));
  const total = weights.reduce((s, v) => s + v, 0);
  return { x, w: weights.map((v) => v / total) };
}

/**
 * Φ(x) for x ≥ 0, to about 1e−16 absolute: 1/2 + erf(x/√2)/2, erf by its series of positive
 * terms erf(y) = (2/√π)·e^(−y²)·Σ 2^k·y^(2k+1)/(2k+1)!! (no cancellation).
 */
export function normalCdf(x: number): number {
  const y = x / Math.SQRT2;
  if (y > 6.5) return 1;
  let term = y;
  let sum = y;
  for (let k = 0; k < 400; k++) {
    term *= (2 * y * y) / (2 * k + 3);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return 0.5 + (sum * Math.exp(-y * y)) / Math.sqrt(Math.PI);
}

/** P(√V·Z ≤ τ) for τ ≥ 0, V = (δ + z)² + R², R chi with n − 1 degrees of freedom. */
function standardCdf(tau: number, n: number, delta: number): number {
  if (delta === 0) {
    const chi = chiRule(n);
    let sum = 0;
    for (let i = 0; i < chi.x.length; i++) {
      const r = chi.x[i] as number;
      sum += (chi.w[i] as number) * (r === 0 ? 1 : normalCdf(tau / r));
    }
    return sum;
  }
  const rest = n > 1 ? chiRule(n - 1) : { x: [0], w: [1] };
  const normal = normalRule(n <= 3 && delta < 12 ? -delta : undefined);
  let sum = 0;
  for (let i = 0; i < normal.x.length; i++) {
    const along = delta + (normal.x[i] as number);
    let inner = 0;
    for (let j = 0; j < rest.x.length; j++) {
      const v = Math.hypot(along, rest.x[j] as number);
      inner += (rest.w[j] as number) * (v === 0 ? 1 : normalCdf(tau / v));
    }
    sum += (normal.w[i] as number) * inner;
  }
  return sum;
}

/**
 * The root τ ≥ 0 of an increasing f with f(0) < 0 < f(∞): bracketed by doubling from `start`,
 * then bisection with secant steps (Illinois) to a relative 1e−15.
 */
function increasingRoot(f: (tau: number) => number, start: number): number {
  let a = 0;
  let fa = f(a);
  let b = start;
  let fb = f(b);
  while (fb < 0) {
    a = b;
    fa = fb;
    b *= 2;
    fb = f(b);
  }
  let side = 0;
  for (let iteration = 0; iteration < 200 && b - a > 1e-15 * b; iteration++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const fc = f(c);
    if (fc === 0) return c;
    if (fc < 0) {
      a = c;
      fa = fc;
      if (side === -1) fb /= 2;
      side = -1;
    } else {
      b = c;
      fb = fc;
      if (side === 1) fa /= 2;
      side = 1;
    }
  }
  return (a + b) / 2;
}

/** Φ⁻¹(q) for 1/2 < q < 1. */
export function normalQuantile(q: number): number {
  return increasingRoot((x) => normalCdf(x) - q, 2);
}

/** Quantiles of √V·Z already found, by (n, δ, q): a sweep over π or S solves once. */
const solved = new Map<string, number>();

/**
 * The q-quantile of wx = Σ wᵢxᵢ (0 < q < 1): fan-in n ≥ 1, weights N(0, S²), inputs N(M, D²).
 * Symmetric about 0 (q = 1/2 gives 0). Within 1e−12 relative of mpmath (test/fixtures/
 * initialisation.json); a few tenths of a second at most (fan-in ≤ 3 with M ≠ 0 is slowest).
 */
export function preActivationQuantile(
  fanIn: number,
  weightStd: number,
  inputMean: number,
  inputStd: number,
  q: number,
): number {
  if (q < 0.5) return -preActivationQuantile(fanIn, weightStd, inputMean, inputStd, 1 - q);
  if (q === 0.5 || weightStd === 0 || (inputStd === 0 && inputMean === 0)) return 0;
  if (inputStd === 0) {
    // wx = M·Σwᵢ, exactly N(0, n·S²·M²).
    return Math.sqrt(fanIn) * weightStd * Math.abs(inputMean) * normalQuantile(q);
  }
  const delta = (Math.sqrt(fanIn) * Math.abs(inputMean)) / inputStd;
  if (!(delta < 2 ** 27)) {
    // √V = δ + z + O(1/δ): wx is normal to within 1/δ² < 2⁻⁵⁴ (also where δ overflows).
    return Math.sqrt(fanIn) * weightStd * Math.hypot(inputStd, inputMean) * normalQuantile(q);
  }
  const key = `${fanIn} ${delta} ${q}`;
  let tau = solved.get(key);
  if (tau === undefined) {
    tau = increasingRoot(
      (t) => standardCdf(t, fanIn, delta) - q,
      Math.hypot(Math.sqrt(fanIn), delta),
    );
    if (solved.size > 1000) solved.clear();
    solved.set(key, tau);
  }
  return weightStd * inputStd * tau;
}
