/** `focal bias-init`'s options, which its declaration and its rows (bias-init-rows.ts) share. */
import { LABEL_INPUT_OPTIONS } from '../input.js';
import type { Options, SharedName } from '../options.js';

export const BIAS_INIT_OPTIONS = [
  'pi',
  'neg',
  'pos',
  'fanIn',
  'weightStd',
  'inputMean',
  'inputStd',
  ...LABEL_INPUT_OPTIONS,
  'classCols',
  'activation',
  'background',
  'targetCols',
] as const;
export type BiasInitOptions = Options<(typeof BIAS_INIT_OPTIONS)[number] | SharedName>;
