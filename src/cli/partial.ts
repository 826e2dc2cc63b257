/**
 * `contribution --input SHARD --partial` and `focal merge`: a run's whole state as one JSON
 * document, and any number of them combined into the state of one run over all the shards.
 *
 * The document holds the tally's compensated sums (each slot's sum, compensation and power-of-
 * two exponent, core/tally.ts), the `--cdf` histogram's bins, the options that shaped them or
 * shape the rows printed from them, and a format version. Doubles are written in JavaScript's
 * shortest round-trip form, so that reading gives back every bit; −0, ±∞ and NaN, which JSON
 * has no numbers for, as the strings "-0", "Infinity", "-Infinity" and "NaN". Merging adds the
 * states slot by slot with the threads' merge (`LossTally.merge`, `LossHistogram.merge`), so
 * compensation is kept and any grouping or order gives the single run's totals to a few EPS.
 */

import type { LogBase } from '../core/log-base.js';
import { LossHistogram } from '../core/loss-histogram.js';
import { LossTally } from '../core/tally.js';
import { showValue, UsageError } from '../errors.js';
import type { ReadSummary } from '../input/predictions.js';

/** What a document says it is, and the version of its layout (a change refuses old ones). */
export const PARTIAL_KIND = 'focal contribution --partial';
export const PARTIAL_VERSION = 1;

/** The options a partial state keeps: those that shape the sums, or the rows printed from them. */
export interface PartialOptions {
  readonly alpha: readonly (number | null)[];
  readonly gamma: readonly number[];
  readonly logBase: string;
  readonly balancedCe: boolean;
  readonly cdf: boolean;
  readonly top: readonly number[];
  readonly posLabel: string | null;
  readonly ignoreLabel: readonly number[];
  readonly labelSmoothing: number;
  readonly weightCol: string | null;
  readonly scoreKind: string | null;
}

/** A partial state, read back. */
export interface PartialState {
  readonly options: PartialOptions;
  readonly rows: number;
  readonly ignored: number;
  readonly tally: LossTally;
  readonly histogram: LossHistogram | undefined;
}

/** A double as JSON: a number, or a string where JSON has none (−0, ±∞, NaN). */
function put(x: number): number | string {
  return Number.isFinite(x) && !Object.is(x, -0) ? x : String(x);
}

function putAll(xs: ArrayLike<number>): (number | string)[] {
  return Array.from(xs, put);
}

/** The options of the run as a partial state keeps them. */
export function partialOptions(o: {
  readonly alpha: Iterable<number | null>;
  readonly gamma: Iterable<number>;
  readonly logBase: LogBase;
  readonly balancedCe: boolean;
  readonly cdf: boolean;
  readonly top: Iterable<number>;
  readonly posLabel?: string | undefined;
  readonly ignoreLabel?: Iterable<number> | undefined;
  readonly labelSmoothing?: number | undefined;
  readonly weightCol?: string | undefined;
  readonly scoreKind?: string | undefined;
}): PartialOptions {
  return {
    alpha: [...o.alpha],
    gamma: [...o.gamma],
    logBase: o.logBase.name,
    balancedCe: o.balancedCe,
    cdf: o.cdf,
    top: o.cdf ? [...o.top] : [],
    posLabel: o.posLabel ?? null,
    ignoreLabel: [...(o.ignoreLabel ?? [])],
    labelSmoothing: o.labelSmoothing ?? 0,
    weightCol: o.weightCol ?? null,
    scoreKind: o.scoreKind ?? null,
  };
}

/** The JSON document of a run's state, on one line. */
export function partialDocument(
  o: Parameters<typeof partialOptions>[0],
  tallied: {
    readonly tally: LossTally;
    readonly histogram: LossHistogram | undefined;
    readonly summary: ReadSummary;
  },
): string {
  return stateDocument({
    options: partialOptions(o),
    rows: tallied.summary.rows,
    ignored: tallied.summary.ignored,
    tally: tallied.tally,
    histogram: tallied.histogram,
  });
}

/** The JSON document of a state (a run's, or merged ones: `merge --partial`), on one line. */
export function stateDocument(state: PartialState): string {
  const tally = state.tally.state();
  const histogram = state.histogram?.state();
  return `${JSON.stringify({
    focal: PARTIAL_KIND,
    version: PARTIAL_VERSION,
    options: state.options,
    rows: state.rows,
    ignored: state.ignored,
    tally: {
      gammas: tally.gammas.map(put),
      sums: putAll(tally.sums),
      compensations: putAll(tally.compensations),
      exponents: putAll(tally.exponents),
    },
    histogram:
      histogram === undefined
        ? null
        : {
            bins: putAll(histogram.bins),
            infinite: putAll(histogram.infinite),
            exponents: putAll(histogram.exponents),
          },
  })}\n`;
}

/** A document that is not a partial state: `where` names it (FILE, or FILE:LINE). */
function bad(where: string, rule: string): never {
  throw new UsageError(`${where}: ${rule}`);
}

function doubles(where: string, value: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(value) || value.length !== length) {
    bad(where, `${what} is not a list of ${length} numbers (not a focal --partial state?)`);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = value[i];
    const n = typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : Number.NaN;
    if (typeof x !== 'number' && !(typeof x === 'string' && (x === 'NaN' || !Number.isNaN(n)))) {
      bad(where, `${what}[${i}] is ${showValue(String(x))}, not a number`);
    }
    out[i] = n;
  }
  return out;
}

/** Reads one document; `where` names it in errors. */
export function readPartial(text: string, where: string): PartialState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    bad(where, 'not a JSON document (focal merge reads what contribution --partial writes)');
  }
  const doc = json as Record<string, unknown> | null;
  if (typeof doc !== 'object' || doc === null || doc.focal !== PARTIAL_KIND) {
    bad(where, 'not a focal contribution --partial state');
  }
  if (doc.version !== PARTIAL_VERSION) {
    bad(
      where,
      `format version ${showValue(String(doc.version))}, and this focal reads version ${PARTIAL_VERSION} (make the states with one focal)`,
    );
  }
  const options = doc.options as PartialOptions;
  if (typeof options !== 'object' || options === null || !Array.isArray(options.gamma)) {
    bad(where, 'has no options (not a focal contribution --partial state?)');
  }
  const gammas = Array.isArray(options?.gamma) ? [...new Set(options.gamma)] : [];
  const tallyDoc = (doc.tally ?? {}) as Record<string, unknown>;
  const tally = new LossTally(gammas);
  const size = tally.state().sums.length;
  tally.merge({
    gammas,
    sums: doubles(where, tallyDoc.sums, size, 'tally.sums'),
    compensations: doubles(where, tallyDoc.compensations, size, 'tally.compensations'),
    exponents: doubles(where, tallyDoc.exponents, size, 'tally.exponents'),
  });
  let histogram: LossHistogram | undefined;
  if (options.cdf) {
    const h = (doc.histogram ?? {}) as Record<string, unknown>;
    histogram = new LossHistogram(gammas);
    const shape = histogram.state();
    histogram.merge({
      bins: doubles(where, h.bins, shape.bins.length, 'histogram.bins'),
      infinite: doubles(where, h.infinite, shape.infinite.length, 'histogram.infinite'),
      exponents: doubles(where, h.exponents, shape.exponents.length, 'histogram.exponents'),
    });
  }
  const count = (x: unknown) => (typeof x === 'number' && x >= 0 ? x : 0);
  return { options, rows: count(doc.rows), ignored: count(doc.ignored), tally, histogram };
}

/** Labels of the options, as a user types them, for "what differs". */
const FLAGS: Record<keyof PartialOptions, string> = {
  alpha: '--alpha',
  gamma: '--gamma',
  logBase: '--log-base',
  balancedCe: '--balanced-ce',
  cdf: '--cdf',
  top: '--top',
  posLabel: '--pos-label',
  ignoreLabel: '--ignore-label',
  labelSmoothing: '--label-smoothing',
  weightCol: '--weight-col',
  scoreKind: '--score-kind',
};

function shown(value: unknown): string {
  if (value === null) return '(not given)';
  if (Array.isArray(value)) return value.map((v) => (v === null ? 'none' : String(v))).join(',');
  return String(value);
}

/**
 * Adds `next` (from `where`) into `into`, or refuses states made with different options.
 * @throws UsageError naming the first option that differs and both values.
 */
export function mergeInto(
  into: PartialState,
  next: PartialState,
  first: string,
  where: string,
): PartialState {
  for (const key of Object.keys(FLAGS) as (keyof PartialOptions)[]) {
    const a = JSON.stringify(into.options[key] ?? null);
    const b = JSON.stringify(next.options[key] ?? null);
    if (a !== b) {
      bad(
        where,
        `made with ${FLAGS[key]} ${shown(next.options[key])}, and ${first} with ${FLAGS[key]} ${shown(into.options[key])}: states merge only when made with the same options`,
      );
    }
  }
  into.tally.merge(next.tally.state());
  if (next.histogram) into.histogram?.merge(next.histogram.state());
  return { ...into, rows: into.rows + next.rows, ignored: into.ignored + next.ignored };
}
