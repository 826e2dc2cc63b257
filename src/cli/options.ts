/**
 * Every option of `focal`, declared once: flag, description, default and parser (with its
 * domain). Commander registration, validation, `--help` and the README's option tables are all
 * derived from these records (see `program.ts` and `reference.ts`).
 */
import { type GammaSchedule, gammaSchedule } from '../core/gamma-schedule.js';
import { type LogBase, logBase } from '../core/log-base.js';
import type { Label } from '../core/true-class.js';
import { showValue, UsageError } from '../errors.js';
import { FORMATS, type Format } from '../format/formats.js';
import type { Delimiter, ScoreKind } from '../input/predictions.js';
import type { Activation } from '../input/wide.js';
import { parseNumber } from './numbers.js';
import { type Domain, domain, type Interval, parseList, parseSingle, ValueList } from './values.js';

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
  /**
   * Typed any number of times (`--input a.csv --input 'b-*.csv'`), but the option's value is
   * the first: every value, in order, is in the command's context (`inputs`), for the commands
   * that read many (their declaration says `manyInputs`); the others refuse a second.
   */
  readonly many?: boolean;
  /**
   * What `-` means: `list`, the values are read from standard input (`seq … | focal weight
   * --pt -`); `file`, the option's file is standard input; `rows`, each line of standard input
   * is one value of a repeatable option (`--logits -`). Absent: `-` is an ordinary value.
   */
  readonly stdin?: 'list' | 'file' | 'rows';
  /** The value that means the option is off (`--reduce none`): relations do not count it. */
  readonly neutral?: string;
  /** Turns the text the user typed into the value, or throws UsageError naming the rule. */
  parse(text: string): T;
}

/** A boolean switch: present or not (`--balanced-ce`, `--no-color`). */
export interface SwitchSpec {
  readonly flags: string;
  readonly description: string;
  readonly defaultText?: string;
}

/** The domains of the numeric options, as bounds: each check and its error sentence derive from them. */
export const INTERVALS = {
  unit: { min: 0, max: 1 },
  alpha: { min: 0, max: 1, or: '"none"' },
  openUnit: { min: 0, minOpen: true, max: 1, maxOpen: true },
  gamma: { min: 0 },
  finite: {},
  count: { min: 0, noun: 'a count' },
  label: { min: 0, max: 1, whole: true, name: 'a label (0 or 1)' },
  softLabel: { min: 0, max: 1, name: 'a label (0 or 1) or a soft label in [0, 1]' },
  positive: { min: 0, minOpen: true, noun: 'a number' },
  betaUnit: { min: 0, max: 1, maxOpen: true },
  classIndex: { min: 0, max: 1_000_000, whole: true, name: 'a class index (a whole number ≥ 0)' },
  topFraction: { min: 0, minOpen: true, max: 1 },
  size: { min: 10, max: 10000, whole: true },
  nonNegative: { min: 0 },
  fanIn: { min: 1, max: Number.MAX_SAFE_INTEGER, whole: true, maxText: '2^53 − 1' },
  digits: { min: 1, max: 17, whole: true },
  epsilon: { min: -1 },
} as const satisfies Record<string, Interval>;

type DomainName = keyof typeof INTERVALS;
const domainsMade: Partial<Record<DomainName, Domain>> = {};

/**
 * The domain of a numeric option, made at its first use: making all seventeen at every start
 * cost about 0.7 million instructions, and a command uses a few (bench/README.md, "Start-up on
 * Node 20").
 */
function domainOf(name: DomainName): Domain {
  let made = domainsMade[name];
  if (made === undefined) {
    made = domain(INTERVALS[name]);
    domainsMade[name] = made;
  }
  return made;
}

function list(name: DomainName) {
  return (text: string) => parseList(text, domainOf(name));
}

/**
 * `--logits -` / `--probs -`: the examples are the lines of standard input (read by the command).
 * Told by a mark, not by identity: the bundle's lazily loaded files (loss-multiclass.cjs) each
 * hold their own copy of this module, and so of this object (scripts/bundle.mjs).
 */
const FROM_STDIN = Symbol.for('focal.vectorsFromStdin');
export const VECTORS_FROM_STDIN: ValueList<number> = Object.assign(new ValueList<number>([]), {
  [FROM_STDIN]: true,
});

/** Whether a `--logits`/`--probs` value is `-`, the lines of standard input. */
export function isVectorsFromStdin(list: ValueList<number>): boolean {
  return (list as ValueList<number> & { [FROM_STDIN]?: boolean })[FROM_STDIN] === true;
}

/** One example's values, or `-` for one example per line of standard input. */
function vectorOrStdin(name: DomainName) {
  return (text: string) =>
    text.trim() === '-' ? VECTORS_FROM_STDIN : parseList(text, domainOf(name));
}

/**
 * Labels: 0 or 1, or soft labels in [0, 1] (torchvision's and Keras's targets); the commands
 * that need hard labels check them (`weight`, `loss --pt`).
 */
function parseLabels(text: string): ValueList<number> {
  return parseList(text, domainOf('softLabel'));
}

/** A label value as a file writes it (`1`, `-1`, `True`, `cat`): any text but an empty one. */
function parseLabelValue(text: string): string {
  const value = text.trim();
  if (value === '') throw new UsageError('an empty value is not a label');
  return value;
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
    count: field('count', count, domainOf('count')),
    pt: field('pt', pt, domainOf('unit')),
    y: field('y', y, domainOf('label')) === 0 ? 0 : 1,
  };
}

function parseLogBase(text: string): LogBase {
  if (text.trim().toLowerCase() === 'e') return logBase('e'); // the default, at every start
  const broken = () => new UsageError(`${showValue(text)} is not e, 2, 10 or a number > 1`);
  let value: number;
  try {
    value = parseNumber(text).value;
  } catch {
    throw broken();
  }
  if (!(value > 1)) throw broken();
  return logBase(value);
}

/** A column name of the input file's header. */
function parseFileName(text: string): string {
  if (text === '') throw new UsageError('an empty file name');
  return text;
}

function parseColumnName(text: string): string {
  const name = text.trim();
  if (name === '') throw new UsageError('an empty value is not a column name');
  return name;
}

/** The names of a headerless file's columns: `p,y`, each one once. */
function parseColumnNames(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new UsageError(`${showValue(text)} has an empty column name`);
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new UsageError(`${showValue(text)} names ${twice} twice`);
  return names;
}

/** The words for a delimiter: the character, `tab`, or white space as pandas and numpy say it. */
const DELIMITER_WORDS: Record<string, Delimiter> = {
  auto: 'auto',
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '|': '|',
  pipe: '|',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  ' ': 'whitespace',
  space: 'whitespace',
  whitespace: 'whitespace',
  '\\s+': 'whitespace',
};

function parseDelimiter(text: string): Delimiter {
  const found = DELIMITER_WORDS[text.toLowerCase()] ?? DELIMITER_WORDS[text.trim().toLowerCase()];
  if (found === undefined) {
    throw new UsageError(`${showValue(text)} is not one of , ; | tab whitespace auto`);
  }
  return found;
}

/** `--activation`: sigmoid or softmax. */
function parseActivation(text: string): Activation {
  const word = text.trim().toLowerCase();
  if (word !== 'sigmoid' && word !== 'softmax') {
    throw new UsageError(`${showValue(text)} is not sigmoid or softmax`);
  }
  return word;
}

/** How `focal loss` reduces its examples (frameworks' `reduction`). */
export type Reduction = 'none' | 'sum' | 'mean' | 'pos-mean';
const REDUCTIONS: readonly Reduction[] = ['none', 'sum', 'mean', 'pos-mean'];

/**
 * One of `choices`, typed in any case (`-f JSON`, `--reduce MEAN`), or an error listing them
 * (worded only then: the defaults, `--reduce none`, are parsed at every start).
 */
function choice<T extends string>(text: string, choices: readonly T[]): T {
  const word = text.trim().toLowerCase();
  const found = choices.find((c) => c === word);
  if (found === undefined) {
    throw new UsageError(`${showValue(text)} is not one of ${choices.join(', ')}`);
  }
  return found;
}

function parseReduction(text: string): Reduction {
  return choice(text, REDUCTIONS);
}

/** The frameworks' words for a score column: `prob` is p, `logits` is logit. */
const SCORE_KIND_WORDS: Record<string, ScoreKind> = {
  p: 'p',
  prob: 'p',
  probs: 'p',
  probability: 'p',
  logit: 'logit',
  logits: 'logit',
};

function parseScoreKind(text: string): ScoreKind {
  const kind = SCORE_KIND_WORDS[text.trim().toLowerCase()];
  if (kind === undefined) throw new UsageError(`${showValue(text)} is not p or logit`);
  return kind;
}

/** α: a list in [0, 1] or `none`; torchvision's and fvcore's "α off", −1, points to `none`. */
function parseAlpha(text: string): ValueList<number | null> {
  try {
    return parseList(text, domainOf('alpha'), { none: true });
  } catch (error) {
    if (error instanceof UsageError && text.split(',').some((e) => Number(e) === -1)) {
      throw new UsageError(
        `${error.message}; torchvision's alpha=-1 (no α weighting) is -a none here`,
      );
    }
    throw error;
  }
}

function parseChartFile(text: string): string {
  if (!/\.(svg|png)$/i.test(text))
    throw new UsageError(`${showValue(text)} does not end in .svg or .png`);
  return text;
}

function parseFormat(text: string): Format {
  return choice(text, FORMATS);
}

/** The losses of the focal family that `--loss` names (issue 18). */
export const FAMILY_NAMES = [
  'ce',
  'fl',
  'asl',
  'poly1',
  'poly1-fl',
  'vfl',
  'qfl',
  'flsd',
  'cb-fl',
] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

/** `--loss ce,fl,asl`: names of the family, in any case, each once, in the order given. */
function parseFamily(text: string): readonly FamilyName[] {
  if (text.trim() === '') throw new UsageError('an empty value is not a list');
  const names: FamilyName[] = [];
  for (const element of text.split(',')) {
    if (element.trim() === '') throw new UsageError(`${showValue(text)} has an empty element`);
    const name = choice(element, FAMILY_NAMES);
    if (names.includes(name)) throw new UsageError(`${showValue(name)} is named twice`);
    names.push(name);
  }
  return names;
}

/** `5:0.2:3`: γ₀, then each threshold t_i and the γ_i from it on, as gamma-schedule.ts checks. */
function parseGammaSchedule(text: string): GammaSchedule {
  const parts = text.split(':');
  if (parts.length % 2 === 0) {
    throw new UsageError(`${showValue(text)} is not γ₀:t₁:γ₁… (an odd number of parts)`);
  }
  const numbers = parts.map((part, i) => {
    try {
      return parseSingle(part, domainOf('finite'));
    } catch (error) {
      const what = i % 2 === 0 ? 'γ' : 'threshold';
      throw new UsageError(`${showValue(text)}: ${what} ${(error as Error).message}`);
    }
  });
  try {
    return gammaSchedule(
      numbers.filter((_, i) => i % 2 === 1),
      numbers.filter((_, i) => i % 2 === 0),
    );
  } catch (error) {
    throw new UsageError(`${showValue(text)}: ${(error as Error).message}`);
  }
}

/** The dialects `focal sql` writes (src/sql/contribution-sql.ts). */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'spark', 'bigquery'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** `--table`: inserted into the query as written; only an empty one is refused. */
function parseTable(text: string): string {
  const table = text.trim();
  if (table === '') throw new UsageError('an empty value is not a table');
  return table;
}

/** The options that take a value. Keys are commander's attribute names. */
export const VALUE_OPTIONS = {
  alpha: {
    flags: '-a, --alpha <list>',
    description: 'class balance α in [0,1], or none (α_t = 1); a sweep',
    defaultValue: '0.25',
    stdin: 'list',
    parse: parseAlpha,
  } satisfies OptionSpec<ValueList<number | null>>,
  gamma: {
    flags: '-g, --gamma <list>',
    description: 'focusing parameter γ ≥ 0; a sweep',
    defaultValue: '2',
    stdin: 'list',
    parse: list('gamma'),
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
    parse: (text: string) => parseSingle(text, domainOf('digits')),
  } satisfies OptionSpec<number>,
  pt: {
    flags: '--pt <list>',
    description: 'probability of the true class p_t, in [0,1]; examples',
    stdin: 'list',
    parse: list('unit'),
  } satisfies OptionSpec<ValueList<number>>,
  p: {
    flags: '--p <list>',
    description: 'probability of the positive class p, in [0,1]; examples',
    stdin: 'list',
    parse: list('unit'),
  } satisfies OptionSpec<ValueList<number>>,
  logit: {
    flags: '--logit <list>',
    description: 'raw score of the positive class, any finite number; examples',
    stdin: 'list',
    parse: list('finite'),
  } satisfies OptionSpec<ValueList<number>>,
  y: {
    flags: '-y, --y <list>',
    description:
      'labels 0 or 1 (soft labels in [0,1] with --p or --logit): one for all examples, or one per example',
    defaultValue: '1',
    stdin: 'list',
    parse: parseLabels,
  } satisfies OptionSpec<ValueList<number>>,
  neg: {
    flags: '--neg <n>',
    description: 'number of negative examples (≥ 0; non-integers act as weights)',
    parse: (text: string) => parseSingle(text, domainOf('count')),
  } satisfies OptionSpec<number>,
  pos: {
    flags: '--pos <n>',
    description: 'number of positive examples (≥ 0)',
    parse: (text: string) => parseSingle(text, domainOf('count')),
  } satisfies OptionSpec<number>,
  negPt: {
    flags: '--neg-pt <p>',
    description: 'p_t of every negative, in [0,1]',
    defaultValue: '0.99',
    parse: (text: string) => parseSingle(text, domainOf('unit')),
  } satisfies OptionSpec<number>,
  posPt: {
    flags: '--pos-pt <p>',
    description: 'p_t of every positive, in [0,1]',
    defaultValue: '0.01',
    parse: (text: string) => parseSingle(text, domainOf('unit')),
  } satisfies OptionSpec<number>,
  group: {
    flags: '--group <name:count:pt:y>',
    description: 'a further group of examples; repeatable',
    repeatable: true,
    parse: parseGroup,
  } satisfies OptionSpec<GroupSpec>,
  input: {
    flags: '--input <file>',
    description:
      'a prediction file: CSV, TSV or other delimited text, .npy (with --labels), .npz or Parquet, told by its first bytes (- for stdin; .gz read as such)',
    stdin: 'file',
    many: true,
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
    description:
      'what the score column holds: p (probability of the positive class; also prob) or logit',
    defaultText: 'from the column name',
    parse: parseScoreKind,
  } satisfies OptionSpec<ScoreKind>,
  labelCol: {
    flags: '--label-col <name>',
    description: 'input column of the labels (0/1, true/false or soft; see --pos-label)',
    defaultText: 'y, label or target',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  weightCol: {
    flags: '--weight-col <name>',
    description: "input column of sample weights ≥ 0, multiplying a row's loss and count",
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  labels: {
    flags: '--labels <file>',
    description:
      "with a .npy --input: the .npy file of the labels (0/1, bool or soft; with --class-cols class indices, or 0/1 rows of the scores' shape), one per score (- for stdin)",
    parse: parseFileName,
  } satisfies OptionSpec<string>,
  weights: {
    flags: '--weights <file>',
    description:
      'with a .npy --input: a .npy file of sample weights ≥ 0 (as --weight-col; - for stdin)',
    parse: parseFileName,
  } satisfies OptionSpec<string>,
  scoreArray: {
    flags: '--score-array <name>',
    description: 'with a .npz --input: the array of the scores',
    defaultText: 'scores, logits or p',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  labelArray: {
    flags: '--label-array <name>',
    description: 'with a .npz --input: the array of the labels',
    defaultText: 'labels, y or targets',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  columns: {
    flags: '--columns <list>',
    description:
      "names of a headerless input's columns, e.g. p,y (implies --no-input-header, as pandas' names=)",
    parse: parseColumnNames,
  } satisfies OptionSpec<string[]>,
  delimiter: {
    flags: '--delimiter <d>',
    description:
      "input field delimiter: comma, semicolon, pipe, tab, or whitespace (runs of spaces and tabs, np.savetxt's files)",
    defaultText: 'auto: told by line 1',
    parse: parseDelimiter,
  } satisfies OptionSpec<Delimiter>,
  keepCol: {
    flags: '--keep-col <name>',
    description: 'an input column (an id) to copy into each output row; repeatable',
    repeatable: true,
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  posLabel: {
    flags: '--pos-label <value>',
    description:
      "the input's label of the positive class (scikit-learn's pos_label): a number, true/false or a word; every other label is negative",
    defaultText: '0/1, true/false or soft labels in [0,1]',
    parse: parseLabelValue,
  } satisfies OptionSpec<string>,
  labelSmoothing: {
    flags: '--label-smoothing <e>',
    description: "Keras's label smoothing ε in [0,1]: each label y is taken as y·(1 − ε) + ε/2",
    defaultValue: '0',
    parse: (text: string) => parseSingle(text, domainOf('unit')),
  } satisfies OptionSpec<number>,
  classCols: {
    flags: '--class-cols <list>',
    description:
      'a wide input: one score column per class, as names (a,b,c), a glob (logit_*) or positions from 0 (2:81, both ends included)',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  targetCols: {
    flags: '--target-cols <list>',
    description:
      'multi-hot targets for --activation sigmoid: one 0/1 column per class (named as --class-cols), instead of a label column',
    parse: parseColumnName,
  } satisfies OptionSpec<string>,
  classes: {
    flags: '--classes <list>',
    description:
      'plot cdf of a wide input (--class-cols): the classes to draw, by name (default: all cells together)',
    parse: parseColumnNames,
  } satisfies OptionSpec<string[]>,
  activation: {
    flags: '--activation <kind>',
    description:
      'how --class-cols scores become probabilities: sigmoid (one binary example per class) or softmax (one per row)',
    parse: parseActivation,
  } satisfies OptionSpec<Activation>,
  background: {
    flags: '--background <value>',
    description:
      'the label of rows of no class for --activation sigmoid (e.g. -1, or the number of classes as RetinaNet)',
    parse: parseLabelValue,
  } satisfies OptionSpec<string>,
  ignoreLabel: {
    flags: '--ignore-label <list>',
    description: 'labels whose input rows are skipped and counted, e.g. -1',
    stdin: 'list',
    parse: list('finite'),
  } satisfies OptionSpec<ValueList<number>>,
  top: {
    flags: '--top <list>',
    description: 'fractions of each group, hardest first, in (0,1]',
    defaultValue: '0.001,0.01,0.05,0.1,0.2,0.5,1',
    stdin: 'list',
    parse: list('topFraction'),
  } satisfies OptionSpec<ValueList<number>>,
  beta: {
    flags: '--beta <list>',
    description: 'β of the effective number of samples, in [0, 1); a sweep',
    defaultValue: '0.9,0.99,0.999,0.9999',
    stdin: 'list',
    parse: list('betaUnit'),
  } satisfies OptionSpec<ValueList<number>>,
  factor: {
    flags: '--factor <list>',
    description: 'at which p_t is FL this many times below CE? (k > 0); a sweep',
    stdin: 'list',
    parse: list('positive'),
  } satisfies OptionSpec<ValueList<number>>,
  logits: {
    flags: '--logits <list>',
    description:
      'the class logits of one multi-class example (softmax); repeat for more, or - for one per line of stdin',
    repeatable: true,
    stdin: 'rows',
    parse: vectorOrStdin('finite'),
  } satisfies OptionSpec<ValueList<number>>,
  probs: {
    flags: '--probs <list>',
    description:
      'the class probabilities of one example, summing to 1; repeat for more, or - for one per line of stdin',
    repeatable: true,
    stdin: 'rows',
    parse: vectorOrStdin('unit'),
  } satisfies OptionSpec<ValueList<number>>,
  target: {
    flags: '--target <list>',
    description: 'the target class index (from 0), one for all or one per example',
    stdin: 'list',
    parse: list('classIndex'),
  } satisfies OptionSpec<ValueList<number>>,
  classAlpha: {
    flags: '--class-alpha <list>',
    description: 'one α per class, in [0,1]',
    stdin: 'list',
    parse: list('unit'),
  } satisfies OptionSpec<ValueList<number>>,
  reduce: {
    flags: '--reduce <how>',
    description:
      'none (a row per example), or sum, mean, pos-mean (sum / max(1, positives), as torchvision RetinaNet; binary only) over the examples',
    defaultValue: 'none',
    neutral: 'none',
    parse: parseReduction,
  } satisfies OptionSpec<Reduction>,
  starBeta: {
    flags: '--star-beta <b>',
    description: 'the shift β of FL* = −α_t·ln σ(γ·x_t + β)/γ',
    defaultValue: '0',
    parse: (text: string) => parseSingle(text, domainOf('finite')),
  } satisfies OptionSpec<number>,
  width: {
    flags: '--width <n>',
    description: 'chart width: characters on a terminal, pixels with --out',
    defaultText: "the terminal's (else COLUMNS on a terminal, else 80); 720 px",
    parse: (text: string) => parseSingle(text, domainOf('size')),
  } satisfies OptionSpec<number>,
  height: {
    flags: '--height <n>',
    description: 'chart height: lines on a terminal, pixels with --out',
    defaultText: "the terminal's (else LINES on a terminal, else 24); 450 px",
    parse: (text: string) => parseSingle(text, domainOf('size')),
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
    stdin: 'list',
    parse: list('openUnit'),
  } satisfies OptionSpec<ValueList<number>>,
  fanIn: {
    flags: '--fan-in <n>',
    description:
      'inputs n of the final layer: adds the spread of the initial p (the exact law of wx, any n)',
    parse: (text: string) => parseSingle(text, domainOf('fanIn')),
  } satisfies OptionSpec<number>,
  weightStd: {
    flags: '--weight-std <s>',
    description: "standard deviation of the layer's initial weights (≥ 0)",
    defaultValue: '0.01',
    parse: (text: string) => parseSingle(text, domainOf('nonNegative')),
  } satisfies OptionSpec<number>,
  inputMean: {
    flags: '--input-mean <m>',
    description: "mean of the layer's inputs",
    defaultValue: '0',
    parse: (text: string) => parseSingle(text, domainOf('finite')),
  } satisfies OptionSpec<number>,
  inputStd: {
    flags: '--input-std <d>',
    description: "standard deviation of the layer's inputs (≥ 0)",
    defaultValue: '1',
    parse: (text: string) => parseSingle(text, domainOf('nonNegative')),
  } satisfies OptionSpec<number>,
  loss: {
    flags: '--loss <list>',
    description: `losses of the focal family to compute instead of CE and FL: ${FAMILY_NAMES.join(', ')}`,
    parse: parseFamily,
  } satisfies OptionSpec<readonly FamilyName[]>,
  gammaPos: {
    flags: '--gamma-pos <list>',
    description: 'asl: focusing γ₊ ≥ 0 of positives (Ridnik et al.); a sweep',
    defaultValue: '0',
    stdin: 'list',
    parse: list('gamma'),
  } satisfies OptionSpec<ValueList<number>>,
  gammaNeg: {
    flags: '--gamma-neg <list>',
    description: 'asl: focusing γ₋ ≥ 0 of negatives; a sweep',
    defaultValue: '4',
    stdin: 'list',
    parse: list('gamma'),
  } satisfies OptionSpec<ValueList<number>>,
  margin: {
    flags: '--margin <list>',
    description: 'asl: probability margin m in [0, 1), negatives at p_m = max(p − m, 0); a sweep',
    defaultValue: '0.05',
    stdin: 'list',
    parse: list('betaUnit'),
  } satisfies OptionSpec<ValueList<number>>,
  epsilon: {
    flags: '--epsilon <list>',
    description: 'poly1, poly1-fl: ε ≥ −1 of the first polynomial term ε(1 − p_t); a sweep',
    defaultValue: '1',
    stdin: 'list',
    parse: list('epsilon'),
  } satisfies OptionSpec<ValueList<number>>,
  vflAlpha: {
    flags: '--vfl-alpha <list>',
    description: 'vfl: weight α ≥ 0 of negatives, α·p^γ (Zhang et al.); a sweep',
    defaultValue: '0.75',
    stdin: 'list',
    parse: list('nonNegative'),
  } satisfies OptionSpec<ValueList<number>>,
  qflBeta: {
    flags: '--qfl-beta <list>',
    description: 'qfl: β ≥ 0, the power of the distance of p from the target (Li et al.); a sweep',
    defaultValue: '2',
    stdin: 'list',
    parse: list('gamma'),
  } satisfies OptionSpec<ValueList<number>>,
  cbBeta: {
    flags: '--cb-beta <list>',
    description: 'cb-fl: β in [0, 1) of the effective number (Cui et al.); a sweep',
    defaultValue: '0.9999',
    stdin: 'list',
    parse: list('betaUnit'),
  } satisfies OptionSpec<ValueList<number>>,
  gammaSchedule: {
    flags: '--gamma-schedule <g:t:g…>',
    description: 'flsd: γ₀:t₁:γ₁…, γ_i for p_t below t_(i+1) (Mukhoti et al.; 5:0.2:3 is FLSD-53)',
    defaultValue: '5:0.2:3',
    parse: parseGammaSchedule,
  } satisfies OptionSpec<GammaSchedule>,
  table: {
    flags: '--table <expr>',
    description:
      "the table the query reads (required): a name or any table expression of the engine, e.g. read_parquet('x.parquet')",
    parse: parseTable,
  } satisfies OptionSpec<string>,
  dialect: {
    flags: '--dialect <name>',
    description: `SQL dialect of the query: ${SQL_DIALECTS.join(', ')}`,
    defaultValue: 'duckdb',
    parse: (text: string) => choice(text, SQL_DIALECTS),
  } satisfies OptionSpec<SqlDialect>,
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
    description: "the share of each group's loss carried by its hardest examples",
  },
  skipInvalid: {
    flags: '--skip-invalid',
    description: 'skip malformed rows and count them, instead of stopping',
  },
  inputHeader: {
    flags: '--no-input-header',
    description:
      'the input has no header row: name its columns with --columns, or by number from 0',
  },
  lineNumbers: {
    flags: '--line-numbers',
    description:
      "add column line, each row's line in the file (to join results back); with many --input files, a column file before it",
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
  partial: {
    flags: '--partial',
    description:
      "write the run's whole state as one JSON document, for focal merge (a shard of a larger input)",
  },
} as const satisfies Record<string, SwitchSpec>;

export type ValueOptionName = keyof typeof VALUE_OPTIONS;
export type SwitchName = keyof typeof SWITCH_OPTIONS;
export type OptionName = ValueOptionName | SwitchName;

/** The switches declared `--no-x`, which commander makes true until they are typed. */
type NegatedSwitchName = {
  [K in SwitchName]: (typeof SWITCH_OPTIONS)[K]['flags'] extends
    | `--no-${string}`
    | `${string} --no-${string}`
    ? K
    : never;
}[SwitchName];

/**
 * Every switch declared `--no-x` (the types check each one; test/cli/words.test.ts that none is
 * missing): listed, so that a start need not read every declaration to find them.
 */
export const NEGATED_SWITCHES = [
  'inputHeader',
  'header',
  'color',
] as const satisfies readonly NegatedSwitchName[];

/** The list options that read their values from standard input when given as `-`. */
export type StdinListName = {
  [K in ValueOptionName]: (typeof VALUE_OPTIONS)[K] extends { stdin: 'list' } ? K : never;
}[ValueOptionName];

/** Whether `-` gives an option's values on standard input (its declaration says so). */
export function readsStdinList(name: ValueOptionName): name is StdinListName {
  const spec: OptionSpec<unknown> = VALUE_OPTIONS[name];
  return spec.stdin === 'list';
}

/** Whether an option is a switch (a boolean), not a value option. */
export function isSwitch(name: OptionName): name is SwitchName {
  return name in SWITCH_OPTIONS;
}

/** An option's declaration. */
export function specOf(name: OptionName): OptionSpec<unknown> | SwitchSpec {
  return isSwitch(name) ? SWITCH_OPTIONS[name] : VALUE_OPTIONS[name];
}

type Spec<K extends ValueOptionName> = (typeof VALUE_OPTIONS)[K];
type ValueOf<K extends ValueOptionName> = ReturnType<Spec<K>['parse']>;
/** A value option's validated value: repeatables as arrays. */
type Parsed<K extends ValueOptionName> =
  Spec<K> extends { repeatable: true } ? ValueOf<K>[] : ValueOf<K>;
/** The value options that always have a value: they are declared with a default. */
type Defaulted = {
  [K in ValueOptionName]: Spec<K> extends { defaultValue: string } ? K : never;
}[ValueOptionName];

/**
 * Validated options of a command that has the options `N` and its own defaults for `D`: each
 * switch a boolean, each value option with a default (the option's or the command's) present,
 * the others possibly absent. A command sees only its own options.
 */
export type Options<N extends OptionName, D extends OptionName = never> = {
  readonly [K in N & SwitchName]: boolean;
} & {
  readonly [K in N & ValueOptionName as K extends Defaulted | D ? K : never]: Parsed<K>;
} & {
  readonly [K in N & ValueOptionName as K extends Defaulted | D ? never : K]?: Parsed<K>;
};

/** The options every command takes, in help order (cli-contract.md). */
export const SHARED_OPTIONS = [
  'alpha',
  'gamma',
  'logBase',
  'format',
  'digits',
  'header',
  'color',
  'quiet',
] as const satisfies readonly OptionName[];
export type SharedName = (typeof SHARED_OPTIONS)[number];

/** What every command's options hold, whatever its own are. */
export type SharedOptions = Options<SharedName>;

/**
 * Options mean something only together with others, or not with others. Declared here (for an
 * option wherever it appears) or on a command (where they differ), checked by one function
 * before the command runs (relations.ts), and shown in `--help` and the README's tables.
 */
export interface Relation {
  /** The options the relation is about; it applies to each one the user typed. */
  readonly options: readonly OptionName[];
  /** One of these must be typed too: `--top needs --cdf`. */
  readonly requires?: readonly OptionName[];
  /** None of these may be typed too: `--input and --pt exclude each other`. */
  readonly conflicts?: readonly OptionName[];
  /** Why, in parentheses after the rule. */
  readonly why?: string;
  /** Words after the flag instead of the generated rule: `is for binary examples, …`. */
  readonly says?: string;
  /** The option is then ignored, with a note on stderr, not refused. */
  readonly note?: true;
}

/** Options that go together: at most one of them, or at least one, or all of them. */
export interface Group {
  readonly group: readonly OptionName[];
  /** At most one of them: `--pt and --p exclude each other (give one input)`. */
  readonly exclusive?: boolean;
  /** `any`: at least one is required; `all`: each one is. */
  readonly required?: 'any' | 'all';
  /** Nothing is required when one of these is typed (they give the examples otherwise). */
  readonly unless?: readonly OptionName[];
  /** What one of them is, in "needs at least one group: …". */
  readonly what?: string;
  /** Why they exclude each other (default: give one input). */
  readonly why?: string;
}

/** The options of a prediction file: they mean something only with `--input`. */
export const INPUT_ONLY = [
  'scoreCol',
  'scoreKind',
  'labelCol',
  'posLabel',
  'ignoreLabel',
  'skipInvalid',
  'weightCol',
  'cdf',
  'top',
  'lineNumbers',
  'inputHeader',
  'columns',
  'delimiter',
  'keepCol',
  'labels',
  'weights',
  'scoreArray',
  'labelArray',
  'classCols',
  'activation',
  'background',
  'targetCols',
  'classes',
] as const satisfies readonly OptionName[];

/** The parameters of the focal family's losses: they mean something only with `--loss`. */
export const FAMILY_PARAMETERS = [
  'gammaPos',
  'gammaNeg',
  'margin',
  'epsilon',
  'vflAlpha',
  'qflBeta',
  'cbBeta',
  'gammaSchedule',
] as const satisfies readonly OptionName[];

/** Relations of options wherever they appear; commands declare their own on top. */
export const OPTION_RELATIONS: readonly Relation[] = [
  { options: INPUT_ONLY, requires: ['input'] },
  { options: ['top'], requires: ['cdf'] },
  {
    options: ['labelSmoothing'],
    conflicts: ['cdf', 'grad', 'star', 'pt', 'logits', 'probs'],
    says: 'makes every label soft, which --cdf, --grad, --star, --pt and multi-class examples do not take',
  },
  { options: ['starBeta'], requires: ['star'] },
  { options: ['classCols'], requires: ['activation'], why: 'how the scores become probabilities' },
  { options: ['activation', 'background', 'targetCols', 'classes'], requires: ['classCols'] },
  {
    options: ['targetCols'],
    conflicts: ['labelCol', 'background', 'ignoreLabel'],
    why: 'the targets are in the --target-cols columns',
  },
  {
    options: ['classCols'],
    conflicts: ['scoreCol', 'posLabel', 'labelSmoothing'],
    says: 'reads a wide file, which these options do not take yet',
  },
  {
    options: ['weightStd', 'inputMean', 'inputStd'],
    requires: ['fanIn'],
    why: 'the spread of the initial p',
  },
  { options: ['target'], requires: ['logits', 'probs'] },
  { options: ['logits', 'probs'], requires: ['target'] },
  { options: FAMILY_PARAMETERS, requires: ['loss'], why: 'the parameters of the focal family' },
  {
    options: ['classAlpha'],
    conflicts: ['loss'],
    why: "the family's losses take --alpha, one α for every class",
  },
];

/** The long flag of an option, as users type it and as errors name it: `--alpha`. */
export function longFlag(name: OptionName): string {
  return /--[a-z-]+/.exec(specOf(name).flags)?.[0] ?? name;
}
