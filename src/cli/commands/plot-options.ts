/** `focal plot`'s options, which its declaration (plot.ts) and its charts (plot-rows.ts) share. */
import { INPUT_OPTIONS } from '../input.js';
import { FAMILY_PARAMETERS, type Options, type SharedName } from '../options.js';

export const PLOT_OPTIONS = [
  'width',
  'height',
  'out',
  'ascii',
  ...INPUT_OPTIONS,
  'weightCol',
  'classCols',
  'activation',
  'background',
  'targetCols',
  'classes',
  'loss',
  ...FAMILY_PARAMETERS,
  'y',
  'neg',
  'pos',
] as const;
export type PlotOptions = Options<(typeof PLOT_OPTIONS)[number] | SharedName>;
