/**
 * The shapes of a wide prediction file's readers: the text reader (wide.ts) and the numpy one
 * (npy-wide.ts, which wide.ts loads only for a 2-D .npy or .npz input). Apart, so that each
 * imports them without importing the other (as prediction-types.ts for the long layout).
 */
import type { MessagePart } from '../errors.js';
import type { ColumnOptions, ScoreKind } from './prediction-types.js';

export type Activation = 'sigmoid' | 'softmax';

export interface WideOptions extends ColumnOptions {
  readonly classCols: string;
  readonly activation: Activation;
  /** The label value of rows of no class (RetinaNet's background): a number or a word. */
  readonly background?: string;
  /** Multi-hot targets: one 0/1 column per class, in the classes' order (sigmoid only). */
  readonly targetCols?: string;
}

export interface WideColumns {
  /** The classes' names: the part a glob's `*` matched, else the column names without their shared prefix. */
  readonly classes: readonly string[];
  /** The classes' column names, as the header spells them. */
  readonly classColumns: readonly string[];
  readonly label: string;
  /** The multi-hot target columns (`targetCols`), one per class; then `label` is ''. */
  readonly targetColumns?: readonly string[];
  readonly weight: string | undefined;
  readonly scoreKind: ScoreKind;
  /** The kept columns (`keepCols`), as the header spells them. */
  readonly keep: readonly string[];
}

/**
 * One row: its class scores (a buffer reused from row to row: copy what you keep), its class
 * (−1 for the background), its weight and line.
 */
export type WideHandler = (
  scores: Float64Array,
  target: number,
  weight: number,
  line: number,
  /** With `targetCols`: each class's 0/1 target (target is then −2). */
  hot: Float64Array | undefined,
  /** The text of the kept columns (`keepCols`), in their order. */
  kept: readonly string[],
) => void;

export interface WideSummary {
  readonly columns: WideColumns;
  readonly rows: number;
  readonly ignored: number;
  readonly invalid: number;
  readonly firstInvalid?: readonly MessagePart[];
}

/** How far from 1 a softmax row of probabilities may sum: this times the number of classes. */
export const SUM_TOLERANCE_PER_CLASS = 1e-6;
