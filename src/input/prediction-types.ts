/**
 * The shapes a prediction file's readers share: the text reader (predictions.ts) and the
 * binary one (npy.ts, which predictions.ts loads only for a .npy or .npz input). Apart, so
 * that each imports them without importing the other.
 */
import type { MessagePart } from '../errors.js';

export type ScoreKind = 'p' | 'logit';

/** How fields are separated: a character, runs of white space, or `auto` (told by line 1). */
export type Delimiter = 'auto' | ',' | '\t' | ';' | '|' | 'whitespace';

/** Which columns to read, as the options name them (all optional). */
export interface ColumnOptions {
  readonly scoreCol?: string;
  readonly scoreKind?: ScoreKind;
  readonly labelCol?: string;
  readonly weightCol?: string;
  /** Labels whose rows are skipped and counted (detectors use −1). */
  readonly ignoreLabels?: readonly number[];
  /** Skip malformed rows (and count them) instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** false: the file has no header row; its columns are `names`, or numbered from 0. */
  readonly header?: boolean;
  /** The names of a headerless file's columns (`--columns`), as many as its fields. */
  readonly names?: readonly string[];
  /** The field delimiter (default `auto`). */
  readonly delimiter?: Delimiter;
  /** Columns whose text is handed to each example (`--keep-col`: ids such as `image_id`). */
  readonly keepCols?: readonly string[];
  /**
   * Internal (input/parallel.ts): the first line of a headerless input only gives the columns;
   * it is not a row (the range's rows follow it).
   */
  readonly firstLineTemplate?: boolean;
  /**
   * Internal (input/parallel.ts): a Parquet input's row groups [from, to) only (the others are
   * read by the other thread).
   */
  readonly rowGroups?: readonly [from: number, to: number];
  /**
   * The label of the positive class (scikit-learn's pos_label): every other label is then
   * negative. A number matches numerically (`1` matches `1.0`), `true`/`false` in any case,
   * another word exactly (after trimming spaces). Absent: 0/1, `true`/`false`, or a soft
   * label in [0, 1].
   */
  readonly posLabel?: string;
  /** Keras's label smoothing ε: each label y is read as y·(1 − ε) + ε/2. */
  readonly labelSmoothing?: number;
  /** Read the labels (and weights) only: no score column is needed (balance, bias-init). */
  readonly labelsOnly?: boolean;
  /** A .npy input's labels: the path of a .npy file (input/npy.ts). */
  readonly labels?: string;
  /** A .npy input's sample weights: the path of a .npy file. */
  readonly weights?: string;
  /** A .npz input's array of scores (default scores, logits or p). */
  readonly scoreArray?: string;
  /** A .npz input's array of labels (default labels, y or targets). */
  readonly labelArray?: string;
}

/** What the header resolved to. */
export interface ChosenColumns {
  readonly score: string;
  readonly scoreKind: ScoreKind;
  readonly label: string;
  readonly weight: string | undefined;
  /** The kept columns (`keepCols`), as the header spells them. */
  readonly keep?: readonly string[];
}

/**
 * One validated row: the score, the label, the sample weight (1 without a weight column) and
 * the text of the kept columns (an empty array without `keepCols`). The label is 0 or 1, or a
 * soft target strictly between (a soft label in the file, or any label under labelSmoothing);
 * with labelsOnly the score is 0.
 */
export type ExampleHandler = (
  score: number,
  y: number,
  weight: number,
  line: number,
  kept: readonly string[],
) => void;

/**
 * What a handler may offer besides: a chunk of a binary input's examples at once (npy.ts
 * `examples`, for .npy, .npz and Parquet), each checked as a row is, with labels 0 and 1 only
 * and no weights (undefined) or weights ≥ 0: the same result as the handler called for each
 * of examples [from, to).
 */
export interface ExampleBatch {
  readonly batch?: (
    scores: Float64Array,
    labels: Float64Array,
    weights: Float64Array | undefined,
    from: number,
    to: number,
  ) => void;
}

/** Counts of the rows read, for notes on stderr. */
export interface ReadSummary {
  readonly columns: ChosenColumns;
  readonly rows: number;
  readonly ignored: number;
  readonly invalid: number;
  /** With skipInvalid: the first skipped row, `LINE: why`, so the note can show one. */
  readonly firstInvalid?: readonly MessagePart[];
  /** Other notes on what was read (input/npy.ts: scores that look like probabilities). */
  readonly notes?: readonly (readonly MessagePart[])[];
}
