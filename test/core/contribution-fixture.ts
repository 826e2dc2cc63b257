/** test/fixtures/contribution.json (made by generate.py): groups' losses, totals and shares. */
import type { Label } from '../../src/index.js';
import { fixture } from './oracle.js';

/** One loss of a case: per group, in the order of `groups`, as mpmath's decimal strings. */
export interface ContributionBlock {
  readonly per_example: string[];
  readonly total: string[];
  readonly share: string[];
}

/** Groups (name, count, p_t, label) at one (α, γ), under CE and FL. */
export interface ContributionCase {
  readonly alpha: number | null;
  readonly gamma: number;
  readonly groups: { name: string; count: number; pt: number; y: Label }[];
  readonly ce: ContributionBlock;
  readonly fl: ContributionBlock;
}

export const contributionCases = fixture<ContributionCase>('contribution.json').cases;
