/** test/fixtures/initialisation.json (made by generate_gradients.py): a fresh classifier. */
import { fixture } from './oracle.js';

/** The spread of σ(b + wx) for one (π, fan-in, S, M, D). */
export interface SpreadCase {
  readonly pi: number;
  readonly fan_in: number;
  readonly weight_std: number;
  readonly input_mean: number;
  readonly input_std: number;
  readonly wx_std: string;
  /** wx's exact 99% point (the 1% point is its negative). */
  readonly wx_q99: string;
  readonly p_q01: string;
  readonly p_median: string;
  readonly p_q99: string;
}

/** One row of the first-step loss (`bias-init --neg --pos`). */
export interface FirstStepCase {
  readonly neg: number;
  readonly pos: number;
  readonly pi: number;
  readonly alpha: number | null;
  readonly gamma: number;
  readonly init: string;
  readonly loss: string;
  readonly group: string;
  readonly per_example: string;
  readonly total: string;
  readonly share: string;
}

export const initialisation = fixture<never>('initialisation.json') as unknown as {
  /** Φ⁻¹(0.99) from mpmath. */
  readonly z99: string;
  readonly spread: readonly SpreadCase[];
  readonly first_step: readonly FirstStepCase[];
};
