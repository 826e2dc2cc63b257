/**
 * Long `loss` and `weight` outputs as columns (issue 17, item 4): the rows of `loss --input`
 * and of long `loss`/`weight` lists and ranges, computed into the formatter's Float64Arrays
 * (format/formats.ts, ColumnBatch) instead of an array of boxed numbers a row. The arithmetic
 * is lossRow's and weight's, called the same way on the same values, so the bytes are the same;
 * an example the fast path does not take (a soft label, FL*) is made by lossRow itself and
 * copied. Loaded only for `--input` and for outputs longer than BYTE_ROWS: start-up reads none
 * of it.
 */
import { crossEntropyGradient, focalLossGradient } from '../core/gradient.js';
import type { LogBase } from '../core/log-base.js';
import { type Alpha, alphaT, crossEntropy, focalLoss, modulatingWeight } from '../core/loss.js';
import { isHardTarget } from '../core/soft-target.js';
import { type Label, TrueClassSlot } from '../core/true-class.js';
import type { ColumnBatch, Row } from '../format/formats.js';
import { type ExampleInput, lossRow, TRUE_CLASS } from './loss-rows.js';

/** The examples of a batch, by index: a score (p_t, p or a logit) and a label. */
export interface Examples {
  readonly length: number;
  score(index: number): number;
  label(index: number): number;
  /** Called once every row has been filled into columns: the examples are not read again. */
  release?(): void;
}

/**
 * A chunk's examples as they are read (`loss --input`): scores and labels in Float64Arrays,
 * off the JS heap, grown by doubling. An array of numbers pushed row by row left its copies in
 * the old generation until a full collection, several MiB of memory over a long run (issue 17).
 * A batch taken is given back (release) once its rows are in columns, and its arrays are reused.
 */
export class ExampleColumns implements Examples {
  scores: Float64Array;
  labels: Float64Array;
  length = 0;
  /** Arrays given back by a batch taken, for the chunk after the next. */
  private spare: [Float64Array, Float64Array] | undefined;
  /** The reader's, for a batch taken (release). */
  private owner: ExampleColumns | undefined;

  constructor(capacity = 1 << 14) {
    this.scores = new Float64Array(capacity);
    this.labels = new Float64Array(capacity);
  }

  push(score: number, label: number): void {
    if (this.length === this.scores.length) this.grow();
    this.scores[this.length] = score;
    this.labels[this.length++] = label;
  }

  score(index: number): number {
    return this.scores[index] as number;
  }

  label(index: number): number {
    return this.labels[index] as number;
  }

  /** Forgets the examples (their arrays are reused). */
  clear(): void {
    this.length = 0;
  }

  /**
   * The examples so far, handed over: those read next go into other arrays of the same size
   * (those a batch gave back, or new ones).
   */
  take(): ExampleColumns {
    const taken = new ExampleColumns(0);
    taken.scores = this.scores;
    taken.labels = this.labels;
    taken.length = this.length;
    taken.owner = this;
    const spare = this.spare;
    this.spare = undefined;
    if (spare !== undefined && spare[0].length === this.scores.length) {
      [this.scores, this.labels] = spare;
    } else {
      this.scores = new Float64Array(this.scores.length);
      this.labels = new Float64Array(this.labels.length);
    }
    this.length = 0;
    return taken;
  }

  /** A batch taken: its arrays go back to the reader (they are not read again). */
  release(): void {
    const owner = this.owner;
    if (owner === undefined) return;
    this.owner = undefined;
    owner.spare = [this.scores, this.labels];
    this.length = 0;
  }

  private grow(): void {
    const scores = new Float64Array(Math.max(1024, 2 * this.scores.length));
    const labels = new Float64Array(scores.length);
    scores.set(this.scores);
    labels.set(this.labels);
    this.scores = scores;
    this.labels = labels;
  }
}

/** How the rows of a batch are made. */
export interface LossColumnsSpec {
  readonly examples: Examples;
  /** Every (α, γ), in order. */
  readonly settings: readonly (readonly [Alpha, number])[];
  /**
   * `example`: an example's rows for every setting, then the next example's (`loss --input`);
   * `setting`: every example at a setting, then the next setting (lists and ranges).
   */
  readonly order: 'example' | 'setting';
  readonly input: ExampleInput;
  readonly base: LogBase | undefined;
  readonly grad: boolean;
  readonly star: { beta: number } | undefined;
  /** ColumnBatch.workerFits: the command's memory leaves room for the formatting thread. */
  readonly workerFits?: boolean;
}

/** The rows of `loss`'s columns (columnsFor) as a ColumnBatch; `rows()` gives them as arrays. */
export function lossColumnBatch(spec: LossColumnsSpec, rows: () => Iterable<Row>): ColumnBatch {
  const { examples, settings, order, input, base, grad, star } = spec;
  const count = examples.length;
  const total = count * settings.length;
  const alphas = Float64Array.from(settings, ([alpha]) => (alpha === null ? Number.NaN : alpha));
  const gammas = Float64Array.from(settings, ([, gamma]) => gamma);
  const slot = new TrueClassSlot();
  const toTrueClass = TRUE_CLASS[input];
  const scoreColumn = input === 'pt' ? -1 : 3;
  const first = input === 'pt' ? 3 : 4;
  let next = 0;
  /** The example whose p_t the slot holds (−1: none). */
  let held = -1;
  return {
    workerFits: spec.workerFits === true,
    [Symbol.iterator]: () => rows()[Symbol.iterator](),
    fillColumns(columns: Float64Array[]): number {
      const room = (columns[0] as Float64Array).length;
      let n = 0;
      for (; n < room && next < total; n++, next++) {
        const i = order === 'example' ? Math.floor(next / settings.length) : next % count;
        const k = order === 'example' ? next - i * settings.length : Math.floor(next / count);
        const x = examples.score(i);
        const y = examples.label(i);
        const setting = settings[k] as readonly [Alpha, number];
        if (star !== undefined || !isHardTarget(y)) {
          const tc = toTrueClass(x, y);
          const made = lossRow({
            alpha: setting[0],
            gamma: setting[1],
            y,
            input,
            x,
            tc,
            base,
            grad,
            star,
          });
          for (let c = 0; c < made.length; c++) {
            const cell = made[c];
            (columns[c] as Float64Array)[n] = typeof cell === 'number' ? cell : Number.NaN;
          }
          held = -1;
          continue;
        }
        if (held !== i) {
          if (input === 'pt') slot.setPt(x);
          else if (input === 'p') slot.setProbability(x, y);
          else slot.setLogit(x, y);
          held = i;
        }
        const gamma = gammas[k] as number;
        const at = alphaT(setting[0], y);
        (columns[0] as Float64Array)[n] = alphas[k] as number;
        (columns[1] as Float64Array)[n] = gamma;
        (columns[2] as Float64Array)[n] = y;
        if (scoreColumn > 0) (columns[scoreColumn] as Float64Array)[n] = x;
        (columns[first] as Float64Array)[n] = slot.pt;
        (columns[first + 1] as Float64Array)[n] = crossEntropy(slot, base);
        (columns[first + 2] as Float64Array)[n] = focalLoss(slot, at, gamma, base);
        (columns[first + 3] as Float64Array)[n] = modulatingWeight(slot, at, gamma);
        if (grad) {
          (columns[first + 4] as Float64Array)[n] = crossEntropyGradient(slot, y as Label, base);
          (columns[first + 5] as Float64Array)[n] = focalLossGradient(
            slot,
            at,
            gamma,
            y as Label,
            base,
          );
        }
      }
      if (next >= total && n < room) examples.release?.();
      return n;
    },
  };
}

/**
 * The rows of `weight` (alpha, gamma, y, pt, weight, ce_over_fl) as a ColumnBatch, every p_t at
 * a setting, then the next setting; `rows()` gives them as arrays.
 */
export function weightColumnBatch(
  settings: readonly (readonly [Alpha, number])[],
  examples: { readonly length: number; at(index: number): number },
  labelOf: (index: number) => Label,
  rows: () => Iterable<Row>,
): ColumnBatch {
  const count = examples.length;
  const total = count * settings.length;
  const slot = new TrueClassSlot();
  let next = 0;
  return {
    [Symbol.iterator]: () => rows()[Symbol.iterator](),
    fillColumns(columns: Float64Array[]): number {
      const room = (columns[0] as Float64Array).length;
      let n = 0;
      for (; n < room && next < total; n++, next++) {
        const k = Math.floor(next / count);
        const i = next - k * count;
        const [alpha, gamma] = settings[k] as readonly [Alpha, number];
        const pt = examples.at(i);
        const y = labelOf(i);
        const weight = modulatingWeight(slot.setPt(pt), alphaT(alpha, y), gamma);
        (columns[0] as Float64Array)[n] = alpha === null ? Number.NaN : alpha;
        (columns[1] as Float64Array)[n] = gamma;
        (columns[2] as Float64Array)[n] = y;
        (columns[3] as Float64Array)[n] = pt;
        (columns[4] as Float64Array)[n] = weight;
        (columns[5] as Float64Array)[n] = 1 / weight;
      }
      return n;
    },
  };
}
