/**
 * How the CLI names a setting that a lower layer's message names as its API does
 * (src/errors.ts): `scoreCol` (ColumnOptions) is `--score-col`, `input` is `--input`.
 */
import { longFlag, type OptionName, SWITCH_OPTIONS, VALUE_OPTIONS } from './options.js';

/** Settings of the lower layers whose option is named otherwise. */
const OPTION_OF: Readonly<Record<string, OptionName>> = {
  ignoreLabels: 'ignoreLabel',
  header: 'inputHeader',
  names: 'columns',
  keepCols: 'keepCol',
};

/** The flag of a setting (`--score-col`); a setting without an option keeps its name. */
export function flagOf(setting: string): string {
  const name = OPTION_OF[setting] ?? setting;
  return name in VALUE_OPTIONS || name in SWITCH_OPTIONS ? longFlag(name as OptionName) : name;
}
