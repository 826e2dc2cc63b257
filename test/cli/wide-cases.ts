/**
 * Random RetinaNet-like sigmoid files for the property tests of wide files (wide.test.ts,
 * wide-family.test.ts): a few classes of logits and a class-index label, −1 the background;
 * the same rows as a wide file and as the long binary file of its cells.
 */
import fc from 'fast-check';

export type SigmoidRows = [number, [number[], number][]];

/** 1 to `maxClasses` classes, 1 to `maxRows` rows of logits in [−30, 30] and a label. */
export function sigmoidRows(maxClasses: number, maxRows: number): fc.Arbitrary<SigmoidRows> {
  return fc.integer({ min: 1, max: maxClasses }).chain((classes) =>
    fc.tuple(
      fc.constant(classes),
      fc.array(
        fc.tuple(
          fc.array(fc.double({ min: -30, max: 30, noNaN: true }), {
            minLength: classes,
            maxLength: classes,
          }),
          fc.integer({ min: -1, max: classes - 1 }),
        ),
        { minLength: 1, maxLength: maxRows },
      ),
    ),
  );
}

/** The wide file: columns s0, s1, … and y, every logit with 17 digits. */
export function wideText([classes, rows]: SigmoidRows): string {
  const names = Array.from({ length: classes }, (_, k) => `s${k}`);
  return `${[
    `${names.join(',')},y`,
    ...rows.map(([z, t]) => `${z.map((v) => v.toPrecision(17)).join(',')},${t}`),
  ].join('\n')}\n`;
}

/** The long file of its cells: one `logit,y` row per (row, class), y = 1 for the row's class. */
export function longText([, rows]: SigmoidRows): string {
  return `${[
    'logit,y',
    ...rows.flatMap(([z, t]) => z.map((v, k) => `${v.toPrecision(17)},${k === t ? 1 : 0}`)),
  ].join('\n')}\n`;
}
