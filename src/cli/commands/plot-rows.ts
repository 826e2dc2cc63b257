/**
 * `focal plot`'s charts (its declaration is plot.ts; this file is loaded when it runs): the
 * paper's figures, drawn in the terminal or as SVG/PNG, or their data.
 * - loss (default): CE and FL against p_t, one curve per γ (γ = 0 is CE): Figure 1;
 * - weight: the modulating weight α_t(1 − p_t)^γ against p_t, one curve per (α, γ);
 * - cdf: the share of each group's loss carried by its hardest fraction of examples, for a
 *   prediction file (`--input`), one curve per γ and group: Figure 4;
 * - grad: dFL/dx against the true-class logit x_t, for a positive (the appendix figure).
 */
import { focalLossGradient } from '../../core/gradient.js';
import { type Alpha, alphaT, crossEntropy, focalLoss, modulatingWeight } from '../../core/loss.js';
import { trueClassFromLogit, trueClassFromPt } from '../../core/true-class.js';
import { UsageError } from '../../errors.js';
import {
  type Chart,
  markSameCurves,
  type Series,
  sampleXs,
  valueDomain,
} from '../../format/chart.js';
import { CHART_DATA_FORMATS, type Column, type Row, type RowSet } from '../../format/formats.js';
import type { CommandContext } from '../command.js';
import { constantSequence } from '../numbers.js';
import type { Options } from '../options.js';
import { alphaGamma } from '../sweep.js';
import { ValueList } from '../values.js';
import type { PlotOptions } from './plot-options.js';

const COLUMNS: readonly Column[] = [
  { name: 'series', kind: 'text' },
  { name: 'x', kind: 'real' },
  { name: 'value', kind: 'real' },
];

/** The data output samples each curve at 101 points across its x range. */
const DATA_POINTS = 100;

/** A series name: the settings that tell the curves apart (α only when it varies). */
function seriesName(alpha: Alpha, gamma: number, alphas: ValueList<Alpha>): string {
  return alphas.length > 1 ? `alpha=${alpha ?? 'none'},gamma=${gamma}` : `gamma=${gamma}`;
}

function alphaText(alphas: ValueList<Alpha>): string {
  return alphas.length === 1 ? `α = ${alphas.at(0) ?? 'none'}` : 'α as labelled';
}

/**
 * A chart before its curves are made: their number (known from the options, checked against
 * the limit of drawn charts before any work), the curves one by one (the data formats stream
 * them in flat memory), and the chart around them.
 */
interface Plan {
  readonly count: number;
  readonly xDomain: readonly [number, number];
  series(): Iterable<Series>;
  chart(series: readonly Series[]): Chart | Promise<Chart>;
}

/** Drawn charts (terminal, SVG, PNG) show at most this many curves; the data has no limit. */
export const MAX_DRAWN_SERIES = 100;

function* mapPairs<T>(
  alphas: ValueList<Alpha>,
  gammas: ValueList<number>,
  make: (alpha: Alpha, gamma: number) => T,
): Generator<T> {
  for (const [alpha, gamma] of alphaGamma(alphas, gammas)) yield make(alpha, gamma);
}

/** A chart of curves whose x and values all lie in [0, 1]: both axes fixed there, never clipping. */
function unitChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: readonly Series[],
): Chart {
  return { title, xLabel, yLabel, xDomain: [0, 1], yDomain: [0, 1], series };
}

function lossPlan(o: PlotOptions): Plan {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  // The paper's axis: up to 5 nats, about the CE at p_t = 0.01 (4.6); p_t = 0 is clipped there.
  // Only that steep start (p_t below about 0.01) reaches past it: FL ≤ CE, and α_t ≤ 1 lowers it.
  const top = Math.ceil(crossEntropy(trueClassFromPt(0.01), base));
  return {
    count: alphas.length * gammas.length,
    xDomain: [0, 1],
    series: () =>
      mapPairs(alphas, gammas, (alpha, gamma) => ({
        name: seriesName(alpha, gamma, alphas),
        // α_t of a positive example (y = 1): p_t is all the curve varies.
        value: (pt: number) => focalLoss(trueClassFromPt(pt), alphaT(alpha, 1), gamma, base),
      })),
    chart: (series) => ({
      title: `Focal loss against p_t (${alphaText(alphas)}; γ = 0 is cross-entropy)`,
      xLabel: 'probability of the true class p_t',
      yLabel: base.lnBase === 1 ? 'loss' : `loss (log base ${base.name})`,
      xDomain: [0, 1],
      yDomain: [0, top],
      series,
    }),
  };
}

function weightPlan(o: PlotOptions): Plan {
  const alphas = o.alpha;
  const gammas = o.gamma;
  return {
    count: alphas.length * gammas.length,
    xDomain: [0, 1],
    series: () =>
      mapPairs(alphas, gammas, (alpha, gamma) => ({
        name: alphas.length > 1 ? seriesName(alpha, gamma, alphas) : `gamma=${gamma}`,
        value: (pt: number) => modulatingWeight(trueClassFromPt(pt), alphaT(alpha, 1), gamma),
      })),
    // Every weight is in [0, α_t] (α_t ≤ 1, (1 − p_t)^γ ≤ 1): the y axis fits the curves drawn
    // (0 to 0.25 at the default α), as the issue asks of every chart, 0 kept in view.
    chart: async (series) => ({
      title: `Modulating weight α_t(1 − p_t)^γ against p_t (${alphaText(alphas)})`,
      xLabel: 'probability of the true class p_t',
      yLabel: 'weight = FL / CE',
      xDomain: [0, 1],
      yDomain: await valueDomain(series, [0, 1], [0]),
      series,
    }),
  };
}

/** dFL/dx against the true-class logit x_t (the paper's appendix figure), for a positive. */
function gradPlan(o: PlotOptions): Plan {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const xDomain: [number, number] = [-10, 10];
  return {
    count: alphas.length * gammas.length,
    xDomain,
    series: () =>
      mapPairs(alphas, gammas, (alpha, gamma) => ({
        name: seriesName(alpha, gamma, alphas),
        value: (xt: number) =>
          focalLossGradient(trueClassFromLogit(xt, 1), alphaT(alpha, 1), gamma, 1, base),
      })),
    chart: async (series) => ({
      title: `Gradient of focal loss against the logit x_t (${alphaText(alphas)}; γ = 0 is CE)`,
      xLabel: 'true-class logit x_t',
      yLabel: base.lnBase === 1 ? 'dFL/dx' : `dFL/dx (log base ${base.name})`,
      xDomain,
      // From the curves, not [−1, 0]: for γ > 0 the gradient dips below CE's −1 (to about −1.31
      // at γ = 5), and α and the log base scale it. 0, where every curve ends, is kept in view.
      yDomain: await valueDomain(series, xDomain, [0]),
      series,
    }),
  };
}

async function cdfPlan(o: PlotOptions, path: string, context: CommandContext): Promise<Plan> {
  const alphas = o.alpha;
  const gammas = o.gamma;
  if (o.classCols !== undefined && o.activation !== undefined) {
    return wideCdfPlan(
      o,
      { ...o, classCols: o.classCols, activation: o.activation },
      path,
      context,
    );
  }
  const count = alphas.length * gammas.length * 2;
  if (o.format === undefined) refuseTooMany(count);
  const { tallyFile } = await import('../tally-file.js');
  const { histogram } = await tallyFile(o, path, context, true);
  return {
    count,
    xDomain: [0, 1],
    *series() {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        for (const [group, y] of [
          ['neg', 0],
          ['pos', 1],
        ] as const) {
          // α_t = 0: the group carries no focal loss, so no share of it.
          const noLoss = alphaT(alpha, y) === 0;
          yield {
            name: `${group} ${seriesName(alpha, gamma, alphas)}`,
            value: (fraction: number) => {
              if (fraction === 0) return 0;
              if (noLoss || histogram === undefined) return Number.NaN;
              return histogram.topShare(y, { kind: 'fl', gamma }, fraction);
            },
          };
        }
      }
    },
    // A share of a group's loss is in [0, 1].
    chart: (series) =>
      unitChart(
        `Cumulative loss of the hardest examples (${alphaText(alphas)}; γ = 0 is CE)`,
        'fraction of the group, hardest first',
        'share of the group’s loss',
        series,
      ),
  };
}

/** `plot cdf` of a wide file (`--class-cols`): the all groups, or the classes of `--classes`. */
async function wideCdfPlan(
  o: PlotOptions,
  wide: import('../wide-input.js').WideInputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
): Promise<Plan> {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const wanted = o.classes;
  const perSetting = (wanted?.length ?? 1) * (o.activation === 'softmax' ? 1 : 2);
  const count = alphas.length * gammas.length * perSetting;
  if (o.format === undefined) refuseTooMany(count);
  const { wideCdfGroups } = await import('../wide-input.js');
  const groups = await wideCdfGroups(wide, path, context, wanted);
  return {
    count,
    xDomain: [0, 1],
    *series() {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        for (const group of groups) {
          // α_t = 0: the group carries no focal loss, so no share of it.
          const noLoss = alphaT(group.alpha ?? alpha, group.y) === 0;
          yield {
            name: `${group.name} ${seriesName(alpha, gamma, alphas)}`,
            value: (fraction: number) => {
              if (fraction === 0) return 0;
              if (noLoss) return Number.NaN;
              return group.histogram.topShare(group.y, { kind: 'fl', gamma }, fraction);
            },
          };
        }
      }
    },
    chart: (series) =>
      unitChart(
        `Cumulative loss of the hardest examples (${alphaText(alphas)}; γ = 0 is CE)`,
        'fraction of the group, hardest first',
        'share of the group’s loss',
        series,
      ),
  };
}

/**
 * `--loss LIST`: the family on one chart, one curve per loss, setting and label (`-y 0,1`):
 * the loss or its weight relative to CE against p_t, or its gradient against the true-class
 * logit x_t (x = x_t for a positive, −x_t for a negative). The loss chart keeps the paper's top
 * (CE at p_t = 0.01, rounded up) and goes below 0 where a curve does (Poly-1 with ε < −α_t).
 */
async function familyPlan(
  o: PlotOptions,
  chartName: string,
  context: CommandContext,
): Promise<Plan> {
  const names = o.loss ?? [];
  const grad = chartName === 'grad';
  const { familyMembers, familyExample, noteUnusedParameters, softTargetProblem } = await import(
    '../family.js'
  );
  const { countsOf } = await import('../family-rows.js');
  noteUnusedParameters(names, context.given, (text) => context.note(text));
  // Plot's γ sweep (0, 0.5, 1, 2, 5) draws Figure 1; beside the family, FL's γ = 2 unless typed.
  const gamma = context.given.has('gamma') ? o.gamma : new ValueList([constantSequence(2)]);
  const members = familyMembers(names, { ...o, gamma }, countsOf(o), (text) => context.note(text));
  const labels: number[] = [...o.y];
  for (const y of labels) {
    const problem = softTargetProblem(names, y);
    if (problem !== undefined) throw new UsageError(problem);
    // A soft target has no p_t: only the gradient chart (against the logit) takes it.
    if (y !== 0 && y !== 1 && !grad) {
      throw new UsageError(
        `-y ${y} is a soft target: plot ${chartName} is against p_t, plot grad takes it`,
      );
    }
  }
  const base = o.logBase;
  const xDomain: [number, number] = grad ? [-10, 10] : [0, 1];
  const labelled = labels.length > 1 || labels[0] === 0;
  const label = labelled ? `y = ${labels.join(', ')}` : 'positives';
  const logged = (text: string) => (base.lnBase === 1 ? text : `${text} (log base ${base.name})`);
  function* series(): Generator<Series> {
    for (const member of members) {
      for (const y of labels) {
        const name = [member.loss, member.params, labelled ? `y=${y}` : '']
          .filter((word) => word !== '')
          .join(' ');
        const value = grad
          ? (xt: number) => member.grad(familyExample('logit', y >= 0.5 ? xt : -xt, y))
          : chartName === 'weight'
            ? (pt: number) => member.weight(familyExample('pt', pt, y))
            : (pt: number) => member.value(familyExample('pt', pt, y));
        yield { name, value };
      }
    }
  }
  return {
    count: members.length * labels.length,
    xDomain,
    series,
    async chart(drawn) {
      const fitted = await valueDomain(drawn, xDomain, [0]);
      const what = grad ? 'Gradient' : chartName === 'weight' ? 'Weight relative to CE' : 'Loss';
      const against = grad ? 'the logit x_t' : 'p_t';
      const paperTop = Math.ceil(crossEntropy(trueClassFromPt(0.01), base));
      return {
        title: `${what} of the focal family against ${against} (${label})`,
        xLabel: grad ? 'true-class logit x_t' : 'probability of the true class p_t',
        yLabel: grad ? logged('dL/dx') : chartName === 'weight' ? 'loss / CE' : logged('loss'),
        xDomain,
        // The gradient and the weight fitted to the curves; the loss up to the paper's top
        // (CE is +∞ at p_t = 0), down to the lowest curve or 0.
        yDomain: grad || chartName === 'weight' ? fitted : [Math.min(0, fitted[0]), paperTop],
        series: drawn,
      };
    },
  };
}

function refuseTooMany(count: number): void {
  if (count > MAX_DRAWN_SERIES) {
    throw new UsageError(
      `${count} curves are too many to draw (at most ${MAX_DRAWN_SERIES}); -f csv or ndjson gives their data`,
    );
  }
}

/** The curves sampled at x = 0, 0.01, …, 1 (or across the x range): the data behind the picture. */
function dataRows(plan: Plan): Generator<Row> {
  const xs = sampleXs(plan, DATA_POINTS);
  return (function* () {
    for (const series of plan.series()) {
      for (const x of xs) yield [series.name, x, series.value(x)];
    }
  })();
}

/** The rows of `focal plot CHART` and, unless -f asks for the data, its chart. */
export async function plotRows(o: PlotOptions, context: CommandContext): Promise<RowSet> {
  const chartName = context.argument ?? 'loss';
  // Either the picture or its data: with both, one of them would be dropped without a word.
  // (-f table or markdown is refused for every chart, with or without --out.)
  if (o.out !== undefined && o.format !== undefined && CHART_DATA_FORMATS.includes(o.format)) {
    throw new UsageError(
      `--out and -f ${o.format} exclude each other (--out writes the chart; -f csv, tsv, json or ndjson prints its data)`,
    );
  }
  // The chart is the positional word, not an option: its relation to --input is checked here.
  const path = o.input;
  if (o.loss !== undefined && chartName === 'cdf') {
    throw new UsageError('--loss is for plot loss, weight and grad, not plot cdf');
  }
  if (chartName === 'cdf') {
    if (path === undefined) throw new UsageError('plot cdf needs --input FILE');
  } else if (path !== undefined) {
    throw new UsageError(`--input is for plot cdf, not plot ${chartName}`);
  }
  const plan =
    o.loss !== undefined
      ? await familyPlan(o, chartName, context)
      : path !== undefined
        ? await cdfPlan(o, path, context)
        : chartName === 'weight'
          ? weightPlan(o)
          : chartName === 'grad'
            ? gradPlan(o)
            : lossPlan(o);
  const rowCount = plan.count * (DATA_POINTS + 1);
  if (o.format !== undefined && !CHART_DATA_FORMATS.includes(o.format)) {
    throw new UsageError(
      `--format: plot draws a chart; -f csv, tsv, json or ndjson gives its data`,
    );
  }
  if (o.format !== undefined) return { columns: COLUMNS, rowCount, rows: dataRows(plan) };
  refuseTooMany(plan.count);
  // Curves that are the same everywhere are named so in every legend (the terminal's also
  // says which overlap at its size).
  const chart = await plan.chart(markSameCurves([...plan.series()], plan.xDomain));
  return { columns: COLUMNS, rowCount, rows: dataRows(plan), chart };
}
