/**
 * White-space-separated input (np.savetxt's default) is read as tab-separated bytes: runs of
 * spaces and tabs become one tab, none at a line's start or end (input/predictions.ts,
 * WhiteSpaceRuns). Checked against the regular expression that says so, for random lines cut
 * into chunks at random places (a run may span chunks).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { WhiteSpaceRuns } from '../../src/input/predictions.js';

/** What the runs mean, line by line (LF and CR kept where they are). */
function reference(text: string): string {
  return text
    .split(/(\r?\n|\r)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .trim()
            .split(/[ \t]+/)
            .join('\t'),
    )
    .join('');
}

function viaRuns(text: string, cuts: readonly number[]): string {
  const bytes = Buffer.from(text, 'latin1');
  const runs = new WhiteSpaceRuns();
  const points = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort(
    (a, b) => a - b,
  );
  let out = '';
  for (let k = 1; k < points.length; k++) {
    const chunk = bytes.subarray(points[k - 1], points[k]);
    // The output buffer is reused: read it before the next push.
    out += Buffer.from(runs.push(chunk)).toString('latin1');
  }
  return out;
}

describe('WhiteSpaceRuns', () => {
  test('examples: leading, trailing and mixed runs; CRLF; empty lines', () => {
    expect(viaRuns('  1.5e+00 \t 0  \n\n-2\t\t1\r\n', [3, 9])).toBe('1.5e+00\t0\n\n-2\t1\r\n');
  });

  test('property: any text, any chunk boundaries, as the regular expression says', () => {
    const token = fc.stringMatching(/^[0-9.eE+-]{1,6}$/);
    const gap = fc.stringMatching(/^[ \t]{1,4}$/);
    const line = fc
      .tuple(fc.option(gap), fc.array(fc.tuple(token, gap)), token, fc.option(gap))
      .map(([lead, pairs, last, trail]) =>
        [lead ?? '', ...pairs.flat(), last, trail ?? ''].join(''),
      );
    const text = fc
      .array(fc.tuple(fc.oneof(line, fc.constant('')), fc.constantFrom('\n', '\r\n')), {
        maxLength: 12,
      })
      .map((lines) => lines.map(([l, end]) => l + end).join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(400), { maxLength: 8 }), (t, cuts) => {
        expect(viaRuns(t, cuts)).toBe(reference(t));
      }),
      { numRuns: 500 },
    );
  });
});
