/**
 * `contribution --input` and `loss --input` of a wide file (`--class-cols` with `--activation`),
 * loaded only then. Sigmoid: every (row, class) cell is a binary example, positive where the
 * row's class is that class (a background row is negative in every class). Softmax: a row is
 * one example whose p_t is the softmax probability of its class (core/softmax.ts, as --logits).
 */
import { type LossName, type TalliedGroupLoss, tallyGroupLosses } from '../core/group-loss.js';
import { type Alpha, alphaT, crossEntropy, focalLoss, modulatingWeight } from '../core/loss.js';
import { LossHistogram } from '../core/loss-histogram.js';
import { trueClassFromLogits, trueClassFromProbabilities } from '../core/softmax.js';
import { CompensatedSum } from '../core/sum.js';
import { LossTally } from '../core/tally.js';
import { type Label, type TrueClass, TrueClassSlot } from '../core/true-class.js';
import { InputError, UsageError } from '../errors.js';
import type { Column, Row, RowSet } from '../format/formats.js';
import { isGlob } from '../input/glob.js';
import type { InputSource } from '../input/source.js';
import {
  type Activation,
  streamWide,
  type WideColumns,
  type WideOptions,
  type WideSummary,
} from '../input/wide.js';
import type { CommandContext } from './command.js';
import { CDF_COLUMNS } from './group-columns.js';
import {
  columnOptions,
  firstStep,
  type InputOptions,
  noteSummary,
  openPredictions,
  refuseKeptClash,
  streamedBatches,
} from './input-reading.js';
import { columnsFor, LossReduction, lossRow, starOf, WEIGHTED_COLUMNS } from './loss-rows.js';
import type { Options } from './options.js';
import { alphaGamma, sweepRowCount } from './sweep.js';
import type { ValueList } from './values.js';

export type WideInputOptions = InputOptions & {
  readonly classCols: string;
  readonly activation: Activation;
  readonly background?: string | undefined;
  readonly targetCols?: string | undefined;
  /** One α per class (`--class-alpha`), in the classes' order. */
  readonly classAlpha?: ValueList<number> | undefined;
};

/** The classes' α (`--class-alpha`), checked against the classes the header names. */
function classAlphaOf(o: WideInputOptions, classes: readonly string[]): number[] | undefined {
  if (o.classAlpha === undefined) return undefined;
  const values = [...o.classAlpha];
  if (values.length !== classes.length) {
    throw new UsageError(
      `--class-alpha: ${values.length} values for ${classes.length} classes (${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''})`,
    );
  }
  return values;
}

export function wideOptions(o: WideInputOptions): WideOptions {
  if (o.activation === 'softmax' && o.background !== undefined) {
    throw new UsageError(
      '--background is for --activation sigmoid (a softmax row belongs to one of its classes; --ignore-label skips others)',
    );
  }
  if (o.activation === 'softmax' && o.targetCols !== undefined) {
    throw new UsageError(
      '--target-cols is for --activation sigmoid (a softmax row has one class: its label column)',
    );
  }
  return {
    ...columnOptions(o),
    targetCols: o.targetCols,
    classCols: o.classCols,
    activation: o.activation,
    background: o.background,
  };
}

/** What a read of many wide files keeps from one file to the next: the first's classes. */
export interface WideCarry {
  classes?: readonly string[];
  first?: string;
}

/**
 * The files of `--input` for a wide read: `[path]`, or every `--input` value with its globs
 * expanded (tally-files.ts), read one after another as the files concatenated.
 */
export async function widePaths(
  o: InputOptions,
  path: string,
  context: CommandContext,
): Promise<string[]> {
  if ((context.inputs?.length ?? 1) === 1 && !isGlob(path)) return [path];
  const { manyPaths } = await import('./tally-files.js');
  return manyPaths(o, path, context);
}

/** A later file of many must have the classes of the first (`focal: FILE: …` otherwise). */
export function sameClasses(
  carry: WideCarry | undefined,
  classes: readonly string[],
  name: string,
): void {
  if (carry === undefined) return;
  if (carry.classes === undefined) {
    carry.classes = classes;
    carry.first = name;
    return;
  }
  if (carry.classes.join('\u0000') === classes.join('\u0000')) return;
  const list = (cs: readonly string[]) =>
    `${cs.slice(0, 10).join(', ')}${cs.length > 10 ? ', …' : ''}`;
  throw new InputError([
    `${name}: its classes (${list(classes)}) differ from those of ${carry.first} (${list(carry.classes)}): many --input files are read as one`,
  ]);
}

/** Reads the whole file, handing each row to the handler made for its columns. */
export async function readAll(
  source: InputSource,
  options: WideOptions,
  handlerFor: Parameters<typeof streamWide>[2],
): Promise<WideSummary> {
  const chunks = streamWide(source, options, handlerFor);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
  }
}

/** A row's softmax TrueClass for its target. */
export function softmaxTrueClass(
  scores: Float64Array,
  target: number,
  probability: boolean,
): TrueClass {
  const vector = Array.from(scores);
  return probability
    ? trueClassFromProbabilities(vector, target)
    : trueClassFromLogits(vector, target);
}

/** Shares of a list of totals: t/Σt, or with infinite totals their infinite weights' shares. */
export function sharesOf(totals: readonly number[], infinite: readonly number[]): number[] {
  if (totals.some((t) => t === Number.POSITIVE_INFINITY)) {
    const sum = new CompensatedSum();
    totals.forEach((t, i) => {
      if (t === Number.POSITIVE_INFINITY) sum.add(infinite[i] as number);
    });
    return totals.map((t, i) =>
      t === Number.POSITIVE_INFINITY ? (infinite[i] as number) / sum.value : 0,
    );
  }
  const sum = new CompensatedSum();
  for (const t of totals) sum.add(t);
  return totals.map((t) => (sum.value > 0 ? t / sum.value : Number.NaN));
}

/**
 * The class with the fewest rows among those that have any (the first of equals), or −1: the
 * softmax summary's counterpart of the positives.
 */
export function rarestClass(counts: readonly number[]): number {
  let best = -1;
  for (const [k, n] of counts.entries()) {
    if (n > 0 && (best < 0 || n < (counts[best] as number))) best = k;
  }
  return best;
}

/**
 * The lines under a softmax table: per (α, γ), the share of the file's loss the rarest class
 * carries under each loss (the binary tables say the positives'), named with its count.
 */
function softmaxSummary(
  classes: readonly string[],
  tallies: readonly LossTally[],
  gammaIndex: (gamma: number) => number,
  base: Options<'logBase'>['logBase'],
  summaryOf: (share: (alpha: Alpha, gamma: number, loss: LossName) => number) => () => string[],
  weightCol: string | undefined,
): () => string[] {
  const counts = tallies.map(
    (t) => (tallyGroupLosses(t, 0, 'ce', null, base)[1] as TalliedGroupLoss).count,
  );
  const k = rarestClass(counts);
  if (k < 0) return () => [];
  const all = counts.reduce((s, n) => s + n, 0);
  const share = (alpha: Alpha, gamma: number, loss: LossName) => {
    const figures = tallies.map(
      (t) => tallyGroupLosses(t, gammaIndex(gamma), loss, alpha, base)[1] as TalliedGroupLoss,
    );
    const infinite = tallies.map((t) => {
      const [m, e] = t.scaledGroup(1).infiniteCount;
      return m * 2 ** e;
    });
    return sharesOf(
      figures.map((f) => f.total),
      infinite,
    )[k] as number;
  };
  const lines = summaryOf(share);
  const who = `: the rarest class, ${classes[k]} (${counts[k]} of ${all}${weightCol === undefined ? ' rows' : ' by weight'}): `;
  return () => lines().map((line) => line.replace(': positives: ', who));
}

/** What one pass over a wide file gives: per class a tally (and with `cdf` a histogram). */
export interface WideTallies {
  readonly classes: readonly string[];
  readonly tallies: readonly LossTally[];
  readonly histograms: readonly LossHistogram[] | undefined;
  readonly classAlpha: number[] | undefined;
}

/**
 * Reads a wide file, or many (`--input` repeated, or a glob) one after another into the same
 * tallies, into per-class tallies for the γ of `o` (and histograms with `cdf`).
 */
export async function readWide(
  o: WideInputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
  cdf: boolean,
): Promise<WideTallies> {
  const paths = await widePaths(o, path, context);
  if (paths.length === 1) return readWideFile(o, paths[0] as string, context, cdf);
  const carry: WideTalliesCarry = {};
  let read: WideTallies | undefined;
  for (const p of paths) read = await readWideFile(o, p, context, cdf, carry);
  return read as WideTallies;
}

interface WideTalliesCarry extends WideCarry {
  tallies?: LossTally[];
  histograms?: LossHistogram[] | undefined;
}

async function readWideFile(
  o: WideInputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
  cdf: boolean,
  carry?: WideTalliesCarry,
): Promise<WideTallies> {
  const options = wideOptions(o);
  const gammas = [...new Set(o.gamma)];
  const softmax = o.activation === 'softmax';
  const { source, done } = await openPredictions(path, context, gammas.length * 8);
  let tallies: LossTally[] = [];
  let histograms: LossHistogram[] | undefined;
  let classes: readonly string[] = [];
  let summary: WideSummary;
  let classAlpha: number[] | undefined;
  try {
    summary = await readAll(source, options, (chosen: WideColumns) => {
      classes = chosen.classes;
      sameClasses(carry, classes, source.name);
      classAlpha = classAlphaOf(o, classes);
      tallies = carry?.tallies ?? classes.map(() => new LossTally(gammas));
      const hs = carry?.tallies
        ? carry.histograms
        : cdf
          ? classes.map(() => new LossHistogram(gammas))
          : undefined;
      histograms = hs;
      if (carry !== undefined) {
        carry.tallies = tallies;
        carry.histograms = hs;
      }
      const probability = chosen.scoreKind === 'p';
      const tc = new TrueClassSlot();
      if (softmax) {
        return (scores, target, weight) => {
          const t = softmaxTrueClass(scores, target, probability);
          (tallies[target] as LossTally).add(t, 1, weight);
          hs?.[target]?.add(t, 1, weight);
        };
      }
      return (scores, target, weight, _line, hot) => {
        for (let k = 0; k < scores.length; k++) {
          const y: Label = hot ? (hot[k] as Label) : k === target ? 1 : 0;
          if (probability) tc.setProbability(scores[k] as number, y);
          else tc.setLogit(scores[k] as number, y);
          (tallies[k] as LossTally).add(tc, y, weight);
          hs?.[k]?.add(tc, y, weight);
        }
      };
    });
  } finally {
    done();
  }
  noteSummary(summary, source.name, context);
  return { classes, tallies, histograms, classAlpha };
}

/** The rows of `focal contribution --input FILE --class-cols …`. */
export async function contributionOfWide(
  o: WideInputOptions & Options<'alpha' | 'gamma' | 'logBase' | 'cdf' | 'top'>,
  path: string,
  context: CommandContext,
  losses: readonly LossName[],
  columns: readonly Column[],
  summaryOf: (
    positiveShare: (alpha: Alpha, gamma: number, loss: LossName) => number,
  ) => () => string[],
): Promise<RowSet> {
  const gammas = [...new Set(o.gamma)];
  const softmax = o.activation === 'softmax';
  const { tallies, histograms, classes, classAlpha } = await readWide(o, path, context, o.cdf);
  const all = new LossTally(gammas);
  for (const t of tallies) all.merge(t.state());
  const base = o.logBase;
  const gammaIndex = (gamma: number) => gammas.indexOf(gamma);
  const infiniteOf = (t: LossTally, y: Label) => {
    const [m, e] = t.scaledGroup(y).infiniteCount;
    return m * 2 ** e;
  };
  const labels: readonly Label[] = softmax ? [1] : [0, 1];
  const perClass = classAlpha;
  if (histograms !== undefined) {
    const hs = histograms;
    const whole = new LossHistogram(gammas);
    for (const h of hs) whole.merge(h.state());
    const alphaList: readonly Alpha[] = perClass ? [null] : [...o.alpha];
    const tops = [...o.top];
    const cdfRows = function* (): Generator<Row> {
      for (const alpha of alphaList) {
        for (const gamma of o.gamma) {
          for (const loss of losses) {
            const shape =
              loss === 'fl' ? ({ kind: 'fl', gamma } as const) : ({ kind: 'ce' } as const);
            const parts: [string, LossHistogram, Label, Alpha][] = [];
            for (const [k, name] of classes.entries()) {
              const a = perClass ? (perClass[k] as number) : alpha;
              for (const y of labels) {
                parts.push([
                  softmax ? name : `${name}:${y === 1 ? 'pos' : 'neg'}`,
                  hs[k] as LossHistogram,
                  y,
                  a,
                ]);
              }
            }
            for (const y of labels) {
              parts.push([
                softmax ? 'all' : `all:${y === 1 ? 'pos' : 'neg'}`,
                whole,
                y,
                perClass ? null : alpha,
              ]);
            }
            for (const [group, h, y, a] of parts) {
              // α_t = 0: no loss at all (with --class-alpha, the all groups mix the classes' α).
              const noWeight = loss !== 'ce' && a !== null && alphaT(a, y) === 0;
              for (const top of tops) {
                yield [
                  perClass ? (a === null ? perClass.join(',') : String(a)) : alpha,
                  gamma,
                  loss,
                  group,
                  top,
                  noWeight ? Number.NaN : h.topShare(y, shape, top),
                ];
              }
            }
          }
        }
      }
    };
    return {
      columns: perClass
        ? CDF_COLUMNS.map((c) => (c.name === 'alpha' ? { name: 'alpha', kind: 'text' } : c))
        : CDF_COLUMNS,
      rowCount: sweepRowCount(
        alphaList,
        o.gamma,
        losses.length * (classes.length + 1) * labels.length * tops.length,
      ),
      rows: cdfRows(),
    };
  }
  const alphas: readonly Alpha[] = perClass ? [null] : [...o.alpha];
  /** The alpha column: the setting, or with --class-alpha each class's α (and the list in all). */
  const shownAlpha = (alpha: Alpha, k: number): Alpha | string =>
    perClass ? (k < 0 ? perClass.join(',') : String(perClass[k])) : alpha;
  function* rows(): Generator<Row> {
    for (const [alpha, gamma] of alphas.flatMap((a) => [...o.gamma].map((g) => [a, g] as const))) {
      for (const loss of losses) {
        const g = gammaIndex(gamma);
        const figures = tallies.map((t, k) =>
          tallyGroupLosses(t, g, loss, perClass ? (perClass[k] as number) : alpha, base),
        );
        const own = figures.flatMap((f) => labels.map((y) => f[y] as TalliedGroupLoss));
        const infinite = tallies.flatMap((t) => labels.map((y) => infiniteOf(t, y)));
        const shares = sharesOf(
          own.map((f) => f.total),
          infinite,
        );
        let i = 0;
        for (const [k, name] of classes.entries()) {
          for (const y of labels) {
            const f = own[i] as TalliedGroupLoss;
            const group = softmax ? name : `${name}:${y === 1 ? 'pos' : 'neg'}`;
            yield [
              shownAlpha(alpha, k),
              gamma,
              loss,
              group,
              softmax ? k : y,
              f.count,
              f.meanPt,
              f.perExample,
              f.total,
              shares[i] as number,
            ];
            i++;
          }
        }
        let whole = tallyGroupLosses(all, g, loss, alpha, base);
        if (perClass) {
          // Each class its own α: the whole file's totals are the classes' totals summed.
          const totals = labels.map((y) => {
            const sum = new CompensatedSum();
            for (const f of figures) sum.add((f[y] as TalliedGroupLoss).total);
            return sum.value;
          });
          const byLabel = [0, 1].map((y) => {
            const at = labels.indexOf(y as Label);
            return at < 0 ? 0 : (totals[at] as number);
          });
          const allShares = sharesOf(
            byLabel,
            [0, 1].map((y) => infiniteOf(all, y as Label)),
          );
          whole = tallyGroupLosses(all, g, 'ce', null, base).map((f, y) => ({
            ...f,
            total: byLabel[y] as number,
            perExample: f.count > 0 ? (byLabel[y] as number) / f.count : null,
            share: allShares[y] as number,
          }));
        }
        if (softmax) {
          const f = whole[1] as TalliedGroupLoss;
          yield [
            shownAlpha(alpha, -1),
            gamma,
            loss,
            'all',
            null,
            f.count,
            f.meanPt,
            f.perExample,
            f.total,
            f.count > 0 ? 1 : Number.NaN,
          ];
        } else {
          for (const y of labels) {
            const f = whole[y] as TalliedGroupLoss;
            yield [
              shownAlpha(alpha, -1),
              gamma,
              loss,
              `all:${y === 1 ? 'pos' : 'neg'}`,
              y,
              f.count,
              f.meanPt,
              f.perExample,
              f.total,
              f.share,
            ];
          }
        }
      }
    }
  }
  const perBlock = classes.length * labels.length + (softmax ? 1 : 2);
  return {
    columns: perClass
      ? columns.map((c) => (c.name === 'alpha' ? { name: 'alpha', kind: 'text' } : c))
      : columns,
    rowCount: sweepRowCount(alphas, o.gamma, losses.length * perBlock),
    rows: rows(),
    ...(perClass
      ? {}
      : softmax
        ? {
            summary: softmaxSummary(
              classes,
              tallies,
              gammaIndex,
              base,
              summaryOf,
              o.weightCol ?? o.weights,
            ),
          }
        : {
            summary: summaryOf(
              (alpha, gamma, loss) =>
                (tallyGroupLosses(all, gammaIndex(gamma), loss, alpha, base)[1] as TalliedGroupLoss)
                  .share,
            ),
          }),
  };
}

const SOFTMAX_COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'target', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
  { name: 'weight', kind: 'real' },
];

/**
 * `focal loss --input FILE --class-cols …`: sigmoid, one row per (row, class) and (α, γ), led by
 * the class's name; softmax, one row per row and (α, γ), led by its class's name. Written chunk
 * by chunk as the file is read.
 */
export async function lossOfWide(
  o: WideLossOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  const paths = await widePaths(o, path, context);
  if (paths.length === 1) return lossOfWideFile(o, paths[0] as string, context);
  const many = await import('./tally-files.js');
  const quiet = many.onceNotes(context);
  if (o.reduce !== 'none') {
    return many.carriedRows<WideLossCarry>(paths, (p, carry) => lossOfWideFile(o, p, quiet, carry));
  }
  const carry: WideLossCarry = {};
  return many.chainedRows(paths, o.lineNumbers, (p) => lossOfWideFile(o, p, quiet, carry));
}

type WideLossOptions = WideInputOptions &
  Options<'alpha' | 'gamma' | 'logBase' | 'lineNumbers' | 'reduce' | 'grad' | 'star' | 'starBeta'>;

interface WideLossCarry extends WideCarry {
  reduction?: LossReduction;
  input?: 'p' | 'logit';
}

async function lossOfWideFile(
  o: WideLossOptions,
  path: string,
  context: CommandContext,
  carry?: WideLossCarry,
): Promise<RowSet> {
  const options = wideOptions(o);
  const softmax = o.activation === 'softmax';
  const base = o.logBase;
  const weighted = o.weightCol !== undefined || o.weights !== undefined;
  const grad = o.grad;
  const reduce = o.reduce === 'none' ? undefined : o.reduce;
  if (softmax && (o.grad || o.star)) {
    throw new UsageError(
      '--grad and --star are for --activation sigmoid (binary cells), not softmax rows',
    );
  }
  if (softmax && reduce === 'pos-mean') {
    throw new UsageError(
      '--reduce: pos-mean is for --activation sigmoid (it counts positive cells); use sum or mean',
    );
  }
  if (reduce !== undefined && o.classAlpha !== undefined) {
    throw new UsageError('--reduce with --class-alpha: reduce one α at a time (--alpha)');
  }
  const { source, done } = await openPredictions(path, context);
  let star: { beta: number } | undefined;
  let reduction: LossReduction | undefined;
  let pending: Row[] = [];
  let keptNames: readonly string[] = [];
  /** Where the losses a sample weight multiplies are, in a sigmoid row. */
  let weightedAt: number[] = [];
  let classes: readonly string[] = [];
  let input: 'p' | 'logit' = 'logit';
  let settings = [...alphaGamma(o.alpha, o.gamma)];
  const chunks = streamWide(source, options, (chosen) => {
    classes = chosen.classes;
    sameClasses(carry, classes, source.name);
    keptNames = chosen.keep;
    const perClass = classAlphaOf(o, classes);
    if (perClass) settings = [...o.gamma].map((gamma) => [null, gamma]);
    const alphaOf = (alpha: Alpha, k: number) => (perClass ? (perClass[k] as number) : alpha);
    input = chosen.scoreKind;
    star = softmax ? undefined : starOf(o, input);
    // After the class column: the losses a sample weight multiplies.
    weightedAt = columnsFor(input, grad, star !== undefined).flatMap((c, j) =>
      WEIGHTED_COLUMNS.has(c.name) ? [j + 1] : [],
    );
    if (reduce !== undefined) {
      if (carry?.input !== undefined && carry.input !== input && !softmax) {
        throw new InputError([
          `${source.name}: its scores are ${input === 'p' ? 'probabilities' : 'logits'}, and those of the files before it are not: --reduce sums the files as one`,
        ]);
      }
      reduction =
        carry?.reduction ?? new LossReduction(reduce, settings, softmax ? 'logit' : input, o, star);
      if (carry !== undefined) {
        carry.reduction = reduction;
        carry.input = input;
      }
    }
    const reducing = reduction;
    const probability = input === 'p';
    const tc = new TrueClassSlot();
    /** Cell k of a sigmoid row as a binary example, in tc; its label. */
    const cell = (x: number, k: number, target: number, hot: Float64Array | undefined) => {
      const y: Label = hot ? (hot[k] as Label) : k === target ? 1 : 0;
      if (probability) tc.setProbability(x, y);
      else tc.setLogit(x, y);
      return y;
    };
    return (scores, target, weight, line, hot, kept) => {
      if (reducing !== undefined) {
        if (softmax) {
          // α weighs every class alike: a softmax row is a positive of its own class (α_t = α).
          reducing.add(0, 1, softmaxTrueClass(scores, target, probability), weight);
          return;
        }
        for (let k = 0; k < scores.length; k++) {
          const x = scores[k] as number;
          reducing.add(x, cell(x, k, target, hot), tc, weight);
        }
        return;
      }
      const tail = (row: Row, at: readonly number[]): Row => {
        if (!weighted && !o.lineNumbers && kept.length === 0) return row;
        const out = [...row];
        if (weighted) {
          for (const j of at) out[j] = weight === 0 ? 0 : weight * (out[j] as number);
          out.push(weight);
        }
        if (o.lineNumbers) out.push(line);
        return kept.length === 0 ? out : [...kept, ...out];
      };
      if (softmax) {
        const t = softmaxTrueClass(scores, target, probability);
        for (const [setting, gamma] of settings) {
          const alpha = alphaOf(setting, target);
          const at = alpha ?? 1;
          const row: Row = [
            classes[target] as string,
            alpha,
            gamma,
            target,
            t.pt,
            crossEntropy(t, base),
            focalLoss(t, at, gamma, base),
            modulatingWeight(t, at, gamma),
          ];
          pending.push(tail(row, [5, 6]));
        }
        return;
      }
      for (let k = 0; k < scores.length; k++) {
        const x = scores[k] as number;
        const y = cell(x, k, target, hot);
        for (const [setting, gamma] of settings) {
          const alpha = alphaOf(setting, k);
          const row = lossRow({ alpha, gamma, y, input, x, tc, base, grad, star });
          pending.push(tail([classes[k] as string, ...row], weightedAt));
        }
      }
    };
  });
  let next: IteratorResult<void, WideSummary>;
  next = await firstStep(chunks, done);
  if (reduction !== undefined) {
    try {
      while (!next.done) next = await chunks.next();
      noteSummary(next.value, source.name, context);
    } finally {
      done();
    }
    const rows = reduction.rows();
    const columns = softmax
      ? reduction.columns.filter((c) => c.name !== 'n_pos')
      : reduction.columns;
    return {
      columns,
      rowCount: rows.length,
      rows: softmax ? rows.map((row) => row.filter((_, j) => j !== 4)) : rows,
    };
  }
  const take = () => {
    const rows = pending;
    pending = [];
    return rows;
  };
  const lead: Column[] = softmax
    ? [{ name: 'class', kind: 'text' }, ...SOFTMAX_COLUMNS]
    : [{ name: 'class', kind: 'text' }, ...columnsFor(input, grad, star !== undefined)];
  const columns: Column[] = [
    ...keptNames.map((name) => ({ name, kind: 'text' }) as const),
    ...lead,
    ...(weighted ? [{ name: 'sample_weight', kind: 'real' } as const] : []),
    ...(o.lineNumbers ? [{ name: 'line', kind: 'integer' } as const] : []),
  ];
  refuseKeptClash(keptNames, lead, () => {
    done();
    source.close();
  });
  return {
    columns,
    rowCount: undefined,
    rows: streamedBatches(next, chunks, take, source, context, done),
  };
}

/** One curve group of `plot cdf` on a wide file: its name, histogram, label and class α. */
export interface WideCdfGroup {
  readonly name: string;
  readonly histogram: LossHistogram;
  readonly y: Label;
  /** The class's α (`--class-alpha`); undefined: the sweep's α. */
  readonly alpha: number | undefined;
}

/**
 * The groups `plot cdf` draws from a wide file: for each class of `wanted` (names, as the
 * classes or their columns are named, in any case) CLASS:neg and CLASS:pos (softmax: CLASS);
 * without `wanted`, the all groups.
 */
export async function wideCdfGroups(
  o: WideInputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
  wanted: readonly string[] | undefined,
): Promise<WideCdfGroup[]> {
  const { classes, histograms, classAlpha } = await readWide(o, path, context, true);
  const hs = histograms as readonly LossHistogram[];
  const labels: readonly Label[] = o.activation === 'softmax' ? [1] : [0, 1];
  const suffix = (y: Label) => (labels.length === 1 ? '' : y === 1 ? ':pos' : ':neg');
  if (wanted === undefined) {
    const whole = new LossHistogram([...new Set(o.gamma)]);
    for (const h of hs) whole.merge(h.state());
    return labels.map((y) => ({ name: `all${suffix(y)}`, histogram: whole, y, alpha: undefined }));
  }
  const lower = classes.map((c) => c.toLowerCase());
  return wanted.flatMap((name) => {
    let k = classes.indexOf(name);
    if (k < 0) k = lower.indexOf(name.toLowerCase());
    if (k < 0) {
      throw new UsageError(
        `--classes: ${name} is not a class of ${path === '-' ? 'stdin' : path} (its classes: ${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''})`,
      );
    }
    return labels.map((y) => ({
      name: `${classes[k]}${suffix(y)}`,
      histogram: hs[k] as LossHistogram,
      y,
      alpha: classAlpha?.[k],
    }));
  });
}
