/**
 * Every option of `focal`, declared once: flag, description, default and parser (with its zod
 * domain). Commander registration, validation, `--help` and the README's option tables are all
 * derived from these records (see `program.ts` and `reference.ts`).
 */
// Named imports, not the `z` namespace: the namespace keeps every locale in the bundle (≈ 420 KB).
import { gt, gte, lt, lte, number as zodNumber } from 'zod/mini';
import { type LogBase, logBase } from '../core/log-base.js';
import type { Label } from '../core/true-class.js';
import { FORMATS, type Format } from '../format/formats.js';
import type { ScoreKind } from '../input/predictions.js';
import { parseNumber } from './numbers.js';
import { showValue, UsageError } from './usage-error.js';
import { type Domain, parseList, parseSingle, type ValueList } from './values.js';

/** One option of the command line. `T` is its validated value. */
export interface OptionSpec<T> {
  /** Commander's flags, e.g. `-a, --alpha <list>`. */
  readonly flags: string;
  /** One line for `--help` and the README. */
  readonly description: string;
  /** The default, as a user would type it (parsed like user input), or absent. */
  readonly defaultValue?: string;
  /** How the default reads in help when it is not a literal value. */
  readonly defaultText?: string;
  /** Repeatable options collect every occurrence, in order. */
  readonly repeatable?: boolean;
  /** Turns the text the user typed into the value, or throws UsageError naming the rule. */
  parse(text: string): T;
}

/** A boolean switch: present or not (`--balanced-ce`, `--no-color`). */
export interface SwitchSpec {
  readonly flags: string;
  readonly description: string;
  readonly defaultText?: string;
}

const number = zodNumber();
const domains = {
  unit: { schema: number.check(gte(0), lte(1)), rule: 'is not in [0, 1]' },
  alpha: { schema: number.check(gte(0), lte(1)), rule: 'is not in [0, 1] (or "none")' },
  openUnit: { schema: number.check(gt(0), lt(1)), rule: 'is not in (0, 1)' },
  gamma: { schema: number.check(gte(0)), rule: 'is not ≥ 0' },
  finite: { schema: number, rule: 'is not a finite number' },
  count: { schema: number.check(gte(0)), rule: 'is not a count ≥ 0' },
  label: { schema: number.check(gte(0), lte(1)), rule: 'is not a label (0 or 1)', whole: true },
  positive: { schema: number.check(gt(0)), rule: 'is not a number > 0' },
  betaUnit: { schema: number.check(gte(0), lt(1)), rule: 'is not in [0, 1)' },
  classIndex: {
    schema: number.check(gte(0), lte(1_000_000)),
    rule: 'is not a class index (a whole number ≥ 0)',
    whole: true,
  },
  topFraction: { schema: number.check(gt(0), lte(1)), rule: 'is not in (0, 1]' },
  size: {
    schema: number.check(gte(10), lte(10000)),
    rule: 'is not a whole number from 10 to 10000',
    whole: true,
  },
  nonNegative: { schema: number.check(gte(0)), rule: 'is not ≥ 0' },
  fanIn: {
    schema: number.check(gte(1), lte(Number.MAX_SAFE_INTEGER)),
    rule: 'is not a whole number from 1 to 2^53 − 1',
    whole: true,
  },
  digits: {
    schema: number.check(gte(1), lte(17)),
    rule: 'is not a whole number from 1 to 17',
    whole: true,
  },
} satisfies Record<string, Domain>;

function list(domain: Domain) {
  return (text: string) => parseList(text, domain);
}

/** A further population group, `name:count:pt:y`. */
export interface GroupSpec {
  readonly name: string;
  readonly count: number;
  readonly pt: number;
  readonly y: Label;
}

function parseGroup(text: string): GroupSpec {
  const parts = text.split(':');
  if (parts.length !== 4) {
    throw new UsageError(`${showValue(text)} is not name:count:pt:y`);
  }
  const [name = '', count = '', pt = '', y = ''] = parts;
  if (name.trim() === '') throw new UsageError(`${showValue(text)} has an empty name`);
  if (/[\p{Cc}]/u.test(name)) {
    throw new UsageError(`${showValue(text)} needs a name without control characters`);
  }
  const field = (label: string, value: string, domain: Domain) => {
    try {
      return parseSingle(value, domain);
    } catch (error) {
      throw new UsageError(`${showValue(text)}: ${label} ${(error as Error).message}`);
    }
  };
  return {
    name: name.trim(),
    count: field('count', count, domains.count),
    pt: field('pt', pt, domains.unit),
    y: field('y', y, domains.label) as Label,
  };
}

function parseLogBase(text: string): LogBase {
  const rule = `${showValue(text)} is not e, 2, 10 or a number > 1`;
  if (text.trim() === 'e') return logBase('e');
  let value: number;
  try {
    value = parseNumber(text).value;
  } catch {
    throw new UsageError(rule);
  }
  if (!(value > 1)) throw new UsageError(rule);
  return logBase(value);
}

/** A column name of the input file's header. */
function parseColumnName(text: string): string {
  const name = text.trim();
  if (name === '') throw new UsageError('an empty value is not a column name');
  return name;
}

/** How `focal loss` reduces its examples (frameworks' `reduction`). */
export type Reduction = 'none' | 'sum' | 'mean' | 'pos-mean';
const REDUCTIONS: readonly Reduction[] = ['none', 'sum', 'mean', 'pos-mean'];

function parseReduction(text: string): Reduction {
  const how = text.trim() as Reduction;
  if (!REDUCTIONS.includes(how)) {
    throw new UsageError(`${showValue(text)} is not one of ${REDUCTIONS.join(', ')}`);
  }
  return how;
}

function parseScoreKind(text: string): ScoreKind {
  const kind = text.trim();
  if (kind !== 'p' && kind !== 'logit') {
    throw new UsageError(`${showValue(text)} is not p or logit`);
  }
  return kind;
}

function parseChartFile(text: string): string {
  if (!/\.(svg|png)$/i.test(text))
    throw new UsageError(`${showValue(text)} does not end in .svg or .png`);
  return text;
}

function parseFormat(text: string): Format {
  const format = text.trim() as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`${showValue(text)} is not one of ${FORMATS.join(', ')}`);
  }
  return format;
}

/** The options that take a value. Keys are commander's attribute names. */
export const VALUE_OPTIONS = {
  alpha: {
    flags: '-a, --alpha <list>',
    description: 'class balance α in [0,1], or none (α_t = 1); a sweep',
    defaultValue: '0.25',
    parse: (text: string) => parseList(text, domains.alpha, { none: true }),
  } satisfies OptionSpec<ValueList<number | null>>,
  gamma: {
    flags: '-g, --gamma <list>',
    description: 'focusing parameter γ ≥ 0; a sweep',
    defaultValue: '2',
    parse: list(domains.gamma),
  } satisfies OptionSpec<ValueList<number>>,
  logBase: {
    flags: '--log-base <b>',
    description: 'logarithm base of the losses: e, 2, 10 or a number > 1',
    defaultValue: 'e',
    parse: parseLogBase,
  } satisfies OptionSpec<LogBase>,
  format: {
    flags: '-f, --format <fmt>',
    description: `output format: ${FORMATS.join(', ')}`,
    defaultText: 'table on a terminal, else csv',
    parse: parseFormat,
  } satisfies OptionSpec<Format>,
  digits: {
    flags: '--digits <n>',
    description: 'significant digits, 1 to 17',
    defaultText: '6 in table/markdown, shortest exact in csv/tsv/json/ndjson',
    parse: (text: string) => parseSingle(text, domains.digits),
  } satisfies OptionSpec<number>,
  pt: {
    flags: '--pt <list>',
    description: 'probability of the true class p_t, in [0,1]; examples',
    parse: list(domains.unit),
  } satisfies OptionSpec<ValueList<number>>,
  p: {
    flags: '--p <list>',
    description: 'probability of the positive class p, in [0,1]; examples',
    parse: list(domains.unit),
  } satisfies OptionSpec<ValueList<number>>,
  logit: {
    flags: '--logit <list>',
    description: 'raw score of the positive class, any finite number; examples',
    parse: list(domains.finite),
  } satisfies OptionSpec<ValueList<number>>,
  y: {
    flags: '-y, --y <list>',
    description: 'labels 0 or 1: one for all examples, or one per example',
    defaultValue: '1',
    parse: list(domains.label),
  } satisfies OptionSpec<ValueList<number>>,
  neg: {
    flags: '--neg <n>',
    description: 'number of negative examples (≥ 0; non-integers act as weights)',
    parse: (text: string) => parseSingle(text, domains.count),
  } satisfies OptionSpec<number>,
  pos: {
    flags: '--pos <n>',
    description: 'number of positive examples (≥ 0)',
    parse: (text: string) => parseSingle(text, domains.count),
  } satisfies OptionSpec<number>,
  negPt: {
    flags: '--neg-pt <p>',
    description: 'p_t of every negative, in [0,1]',
    defaultValue: '0.99',
    parse: (text: string) => parseSingle(text, domains.unit),
  } satisfies OptionSpec<number>,
  posPt: {
    flags: '--pos-pt <p>',
    description: 'p_t of every positive, in [0,1]',
    defaultValue: '0.01',
    parse: (text: string) => parseSingle(text, domains.unit),
  } satisfies OptionSpec<number>,
  group: {
    flags: '--group <name:count:pt:y>',
    description: 'a further group of examples; repeatable',
    repeatable: true,
    parse: parseGroup,
  } satisfies OptionSpec<GroupSpec>,
  input: {
    flags: '--input <file>',
    description: 'CSV/TSV of predictions with a header (- for stdin; .gz read as such)',
    parse: (text: string) => {
      if (text === '') throw new UsageError('an empty file name (- reads stdin)');
      return text;
    },
  } satisfies OptionSpec<string>,
  scoreCol: {
    flags: '--score-col <name>',
    description: 'input column of the scores',
    defaultText: 'p or logit',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  scoreKind: {
    flags: '--score-kind <kind>',
    description: 'what the score column holds: p (probability of the positive class) or logit',
    defaultText: 'from the column name',
    parse: parseScoreKind,
  } satisfies OptionSpec<ScoreKind>,
  labelCol: {
    flags: '--label-col <name>',
    description: 'input column of the labels (0 or 1)',
    defaultText: 'y, label or target',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  weightCol: {
    flags: '--weight-col <name>',
    description: "input column of sample weights ≥ 0, multiplying a row's loss and count",
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  ignoreLabel: {
    flags: '--ignore-label <list>',
    description: 'labels whose input rows are skipped and counted, e.g. -1',
    parse: list(domains.finite),
  } satisfies OptionSpec<ValueList<number>>,
  top: {
    flags: '--top <list>',
    description: 'with --cdf: fractions of each group, hardest first, in (0,1]',
    defaultValue: '0.001,0.01,0.05,0.1,0.2,0.5,1',
    parse: list(domains.topFraction),
  } satisfies OptionSpec<ValueList<number>>,
  beta: {
    flags: '--beta <list>',
    description: 'β of the effective number of samples, in [0, 1); a sweep',
    defaultValue: '0.9,0.99,0.999,0.9999',
    parse: list(domains.betaUnit),
  } satisfies OptionSpec<ValueList<number>>,
  factor: {
    flags: '--factor <list>',
    description: 'at which p_t is FL this many times below CE? (k > 0; instead of --pt); a sweep',
    parse: list(domains.positive),
  } satisfies OptionSpec<ValueList<number>>,
  logits: {
    flags: '--logits <list>',
    description: 'the class logits of one multi-class example (softmax); repeat for more',
    repeatable: true,
    parse: list(domains.finite),
  } satisfies OptionSpec<ValueList<number>>,
  probs: {
    flags: '--probs <list>',
    description: 'the class probabilities of one example, summing to 1; repeat for more',
    repeatable: true,
    parse: list(domains.unit),
  } satisfies OptionSpec<ValueList<number>>,
  target: {
    flags: '--target <list>',
    description:
      'with --logits/--probs: the target class index (from 0), one for all or one per example',
    parse: list(domains.classIndex),
  } satisfies OptionSpec<ValueList<number>>,
  classAlpha: {
    flags: '--class-alpha <list>',
    description: 'with --logits/--probs: one α per class, in [0,1] (instead of --alpha)',
    parse: list(domains.unit),
  } satisfies OptionSpec<ValueList<number>>,
  reduce: {
    flags: '--reduce <how>',
    description:
      'none (a row per example), or sum, mean, pos-mean (sum / max(1, positives), as torchvision RetinaNet; binary only) over the examples',
    defaultValue: 'none',
    parse: parseReduction,
  } satisfies OptionSpec<Reduction>,
  starBeta: {
    flags: '--star-beta <b>',
    description: 'with --star: the shift β of FL* = −α_t·ln σ(γ·x_t + β)/γ',
    defaultValue: '0',
    parse: (text: string) => parseSingle(text, domains.finite),
  } satisfies OptionSpec<number>,
  width: {
    flags: '--width <n>',
    description: 'chart width: characters on a terminal, pixels with --out',
    defaultText: "the terminal's (else COLUMNS on a terminal, else 80); 720 px",
    parse: (text: string) => parseSingle(text, domains.size),
  } satisfies OptionSpec<number>,
  height: {
    flags: '--height <n>',
    description: 'chart height: lines on a terminal, pixels with --out',
    defaultText: "the terminal's (else LINES on a terminal, else 24); 450 px",
    parse: (text: string) => parseSingle(text, domains.size),
  } satisfies OptionSpec<number>,
  out: {
    flags: '--out <file>',
    description: 'write the chart to FILE.svg or FILE.png instead of drawing it on stdout',
    parse: parseChartFile,
  } satisfies OptionSpec<string>,
  pi: {
    flags: '--pi <list>',
    description: 'prior probability π of the positive class, in (0,1); a sweep',
    defaultValue: '0.01',
    parse: list(domains.openUnit),
  } satisfies OptionSpec<ValueList<number>>,
  fanIn: {
    flags: '--fan-in <n>',
    description:
      'inputs n of the final layer: adds the spread of the initial p (the exact law of wx, any n)',
    parse: (text: string) => parseSingle(text, domains.fanIn),
  } satisfies OptionSpec<number>,
  weightStd: {
    flags: '--weight-std <s>',
    description: "with --fan-in: standard deviation of the layer's initial weights (≥ 0)",
    defaultValue: '0.01',
    parse: (text: string) => parseSingle(text, domains.nonNegative),
  } satisfies OptionSpec<number>,
  inputMean: {
    flags: '--input-mean <m>',
    description: "with --fan-in: mean of the layer's inputs",
    defaultValue: '0',
    parse: (text: string) => parseSingle(text, domains.finite),
  } satisfies OptionSpec<number>,
  inputStd: {
    flags: '--input-std <d>',
    description: "with --fan-in: standard deviation of the layer's inputs (≥ 0)",
    defaultValue: '1',
    parse: (text: string) => parseSingle(text, domains.nonNegative),
  } satisfies OptionSpec<number>,
} as const;

/** The switches. Commander turns `--no-x` into an attribute `x` that defaults to true. */
export const SWITCH_OPTIONS = {
  balancedCe: {
    flags: '--balanced-ce',
    description: 'also report α-balanced cross-entropy (loss ce_alpha)',
  },
  grad: {
    flags: '--grad',
    description: 'also ce_grad and fl_grad, the derivatives with respect to the logit',
  },
  star: {
    flags: '--star',
    description: 'also fl_star, FL* of the paper (appendix A; fvcore); logits and γ > 0 only',
  },
  cdf: {
    flags: '--cdf',
    description: "with --input: the share of each group's loss carried by its hardest examples",
  },
  skipInvalid: {
    flags: '--skip-invalid',
    description: 'with --input: skip malformed rows and count them, instead of stopping',
  },
  lineNumbers: {
    flags: '--line-numbers',
    description:
      "loss --input: add column line, each row's line in the file (to join results back)",
  },
  ascii: {
    flags: '--ascii',
    description: 'draw the terminal chart in characters (a mark per cell), not braille dots',
    defaultText: 'braille when the locale (LC_ALL, else LC_CTYPE, else LANG) is UTF-8',
  },
  header: {
    flags: '--no-header',
    description: 'csv/tsv without the header row',
  },
  color: {
    flags: '--no-color',
    description: 'no ANSI colour (also NO_COLOR=1); FORCE_COLOR=1 forces it on a non-terminal',
    defaultText: 'colour only when stdout is a terminal',
  },
  quiet: {
    flags: '-q, --quiet',
    description: 'no notes on stderr (errors are still printed)',
  },
} as const satisfies Record<string, SwitchSpec>;

export type ValueOptionName = keyof typeof VALUE_OPTIONS;
export type SwitchName = keyof typeof SWITCH_OPTIONS;
export type OptionName = ValueOptionName | SwitchName;

type ValueOf<K extends ValueOptionName> = ReturnType<(typeof VALUE_OPTIONS)[K]['parse']>;

/** Validated options: each value option parsed (repeatables as arrays), each switch a boolean. */
export type ParsedOptions = {
  [K in ValueOptionName]?: (typeof VALUE_OPTIONS)[K] extends { repeatable: true }
    ? ValueOf<K>[]
    : ValueOf<K>;
} & { [K in SwitchName]: boolean };

/** The options every command takes, in help order (cli-contract.md). */
export const SHARED_OPTIONS: readonly OptionName[] = [
  'alpha',
  'gamma',
  'logBase',
  'format',
  'digits',
  'header',
  'color',
  'quiet',
];

/** The long flag of an option, as users type it and as errors name it: `--alpha`. */
export function longFlag(name: OptionName): string {
  const spec: { flags: string } =
    name in VALUE_OPTIONS
      ? VALUE_OPTIONS[name as ValueOptionName]
      : SWITCH_OPTIONS[name as SwitchName];
  return /--[a-z-]+/.exec(spec.flags)?.[0] ?? name;
}
