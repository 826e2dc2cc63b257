/**
 * Whether the table may use ANSI colour (cli-contract.md, "Colour"): only when stdout is a
 * terminal, unless FORCE_COLOR (≥ 1) forces it on, or NO_COLOR (any non-empty value) or
 * `--no-color` turns it off; off wins. chalk's own detection ignores NO_COLOR, so this decides.
 */
import type { Format } from './formats.js';

export function colourEnabled(
  format: Format,
  flag: boolean,
  env: NodeJS.ProcessEnv,
  stdoutIsTerminal: boolean,
): boolean {
  if (format !== 'table' || !flag) return false;
  if ((env.NO_COLOR ?? '') !== '') return false;
  const force = env.FORCE_COLOR ?? '';
  // FORCE_COLOR=1 (2, 3, true) forces colour on; FORCE_COLOR=0 (false) turns it off, as in chalk.
  if (force === 'true' || Number(force) >= 1) return true;
  if (force === 'false' || force === '0') return false;
  return stdoutIsTerminal;
}
