/**
 * The error kinds, as the CLI's modules import them: they live in the neutral `src/errors.ts`
 * (shared by every layer), so that `src/input` and `src/format` need nothing from `src/cli`.
 */
export { ReadError, showValue, UsageError } from '../errors.js';
