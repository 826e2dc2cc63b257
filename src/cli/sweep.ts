/** Sweeps and pairing (cli-contract.md): every (α, γ) in order, and labels paired with examples. */
import type { Label } from '../core/true-class.js';
import { UsageError } from '../errors.js';
import { longFlag, type OptionName } from './options.js';
import type { ValueList } from './values.js';

/** Every combination of α and γ, α varying slowest. */
export function* alphaGamma(
  alphas: ValueList<number | null>,
  gammas: ValueList<number>,
): Generator<[alpha: number | null, gamma: number]> {
  for (const alpha of alphas) for (const gamma of gammas) yield [alpha, gamma];
}

/**
 * A paired option's value for each of `count` examples: it gives one value for all, or exactly
 * one per example.
 */
export function pairedLabels<L extends number = Label>(
  labels: ValueList<L>,
  count: number,
  name: OptionName,
  examples: OptionName,
  examplesDefault?: string,
): (index: number) => L {
  if (labels.length === 1) {
    const only = labels.at(0);
    return () => only;
  }
  if (labels.length !== count) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    throw new UsageError(
      `${longFlag(name)}: ${plural(labels.length, 'label')} for ${plural(count, 'example')} of ${longFlag(examples)}${examplesDefault ? ` (its default, ${examplesDefault})` : ''}; give one label, or one per example`,
    );
  }
  return (index) => labels.at(index);
}

/** The rows of one sweep times `perSetting` rows each; checked against limits before output. */
export function sweepRowCount(
  alphas: { length: number },
  gammas: { length: number },
  perSetting: number,
): number {
  return alphas.length * gammas.length * perSetting;
}
