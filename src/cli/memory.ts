/**
 * Flat memory for long outputs. Under a steady stream of short-lived rows V8 lets its young
 * generation grow to 32 MiB or more (`focal weight --pt 0:1:1e-7 -f csv` peaked at 115 MiB);
 * kept small it peaks near 70 MiB, for ~20% more time in the scavenger. Applied only to long
 * outputs, after start-up, so that short commands keep their speed (V8 reads these flags when
 * the young generation would grow; a V8 without them ignores them).
 */

/** Outputs longer than this (or of unknown length) get the small young generation. */
export const LONG_OUTPUT_ROWS = 100_000;

let applied = false;

export function keepYoungGenerationSmall(): void {
  if (applied) return;
  applied = true;
  // node:v8 is loaded only here: it costs a millisecond and a half of every start-up. (Not
  // through node:module's createRequire: loading node:module loads Node's ES module loader.)
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--max-semi-space-size=4');
}
