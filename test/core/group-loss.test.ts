/**
 * The loss groups carry (src/core/group-loss.ts): groups of identical examples, and the label
 * groups of a tallied stream, against the 1000-digit mpmath references of contribution.json
 * (test/fixtures/generate.py); the limit rule for infinite totals at its edges.
 */
import { describe, expect, test } from '@jest/globals';
import {
  alphaT,
  groupLosses,
  groupsAtProbability,
  LossTally,
  limitShares,
  NATURAL_LOG,
  tallyGroupLosses,
  trueClassFromPt,
} from '../../src/index.js';
import { type ContributionCase, contributionCases } from './contribution-fixture.js';
import { initialisation } from './initialisation-fixture.js';
import { type Check, exact, failures } from './oracle.js';

const cases = contributionCases;
const label = (c: ContributionCase) =>
  `alpha=${c.alpha} gamma=${c.gamma} groups=${JSON.stringify(c.groups)}`;

describe('groupLosses (groups of identical examples)', () => {
  test('per example and totals within 2(1 + γ) EPS, shares within 3(1 + γ) EPS of mpmath', () => {
    expect(cases.length).toBeGreaterThan(5);
    const bad = failures(
      cases,
      (c) =>
        (['ce', 'fl'] as const).flatMap((loss) => {
          const groups = c.groups.map((g) => ({
            count: g.count,
            y: g.y,
            trueClass: trueClassFromPt(g.pt),
          }));
          const ulps = 2 * (1 + c.gamma);
          return groupLosses(loss, groups, c.alpha, c.gamma).flatMap((f, i): Check[] => [
            [
              `${loss} per_example[${i}]`,
              f.perExample,
              exact(c[loss].per_example[i] as string),
              ulps,
            ],
            [`${loss} total[${i}]`, f.total, exact(c[loss].total[i] as string), ulps],
            [`${loss} share[${i}]`, f.share, exact(c[loss].share[i] as string), 1.5 * ulps],
          ]);
        }),
      label,
    );
    expect(bad).toEqual([]);
  });

  test('ce_alpha is α_t·CE of each group, and its shares are those of α_t-weighted totals', () => {
    const groups = [
      { count: 1e6, y: 0 as const, trueClass: trueClassFromPt(0.99) },
      { count: 10, y: 1 as const, trueClass: trueClassFromPt(0.01) },
    ];
    const ce = groupLosses('ce', groups, 0.25, 2);
    const balanced = groupLosses('ce_alpha', groups, 0.25, 2);
    for (const [i, g] of groups.entries()) {
      const at = alphaT(0.25, g.y);
      expect(balanced[i]?.perExample).toBeCloseTo((ce[i]?.perExample as number) * at, 15);
    }
    const [neg = 0, pos = 0] = groups.map((g, i) => (ce[i]?.total as number) * alphaT(0.25, g.y));
    expect(balanced[1]?.share).toBeCloseTo(pos / (neg + pos), 14);
  });

  test('infinite per-example losses (p_t = 0) share 1 by their counts; 0 × ∞ = 0', () => {
    const f = groupLosses(
      'ce',
      [
        { count: 3, y: 1, trueClass: trueClassFromPt(0) },
        { count: 1, y: 1, trueClass: trueClassFromPt(0) },
        { count: 1e9, y: 0, trueClass: trueClassFromPt(0.5) },
        { count: 0, y: 0, trueClass: trueClassFromPt(0) },
      ],
      null,
      2,
    );
    expect(f.map((g) => g.share)).toEqual([0.75, 0.25, 0, 0]);
    expect(f[3]?.total).toBe(0);
    expect(f[0]?.total).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('groupsAtProbability (the first step of a fresh classifier)', () => {
  test("its groups' losses at p = 0.5 and p = π are within 8 EPS of mpmath (initialisation.json)", () => {
    const cases = initialisation.first_step;
    expect(cases.length).toBeGreaterThan(20);
    const bad = failures(
      cases,
      (c) => {
        const groups = groupsAtProbability(c.neg, c.pos, c.init === 'zero' ? 0.5 : c.pi);
        const figures = groupLosses(c.loss as 'ce' | 'fl', groups, c.alpha, c.gamma);
        const f = figures[c.group === 'neg' ? 0 : 1];
        return [
          ['per_example', f?.perExample as number, exact(c.per_example), 8],
          ['total', f?.total as number, exact(c.total), 8],
          ['share', f?.share as number, exact(c.share), 8],
        ];
      },
      (c) => JSON.stringify(c),
    );
    expect(bad).toEqual([]);
  });
});

describe('tallyGroupLosses (the label groups of a stream)', () => {
  // The two-group cases with the negatives first: a tally of one weighted example per group.
  const pairs = cases.filter(
    (c) => c.groups.length === 2 && c.groups[0]?.y === 0 && c.groups[1]?.y === 1,
  );

  test('a tally of weighted examples gives the per-group figures of mpmath', () => {
    expect(pairs.length).toBeGreaterThan(5);
    const bad = failures(
      pairs,
      (c) => {
        const tally = new LossTally([c.gamma]);
        for (const g of c.groups) tally.add(trueClassFromPt(g.pt), g.y, g.count);
        return (['ce', 'fl'] as const).flatMap((loss) => {
          const ulps = 3 * (1 + c.gamma);
          return tallyGroupLosses(tally, 0, loss, c.alpha, NATURAL_LOG).flatMap((f, i): Check[] => [
            [`${loss} count[${i}]`, f.count, c.groups[i]?.count as number, 0],
            [`${loss} mean pt[${i}]`, f.meanPt as number, c.groups[i]?.pt as number, 1],
            [
              `${loss} per_example[${i}]`,
              f.perExample as number,
              exact(c[loss].per_example[i] as string),
              ulps,
            ],
            [`${loss} total[${i}]`, f.total, exact(c[loss].total[i] as string), ulps],
            [`${loss} share[${i}]`, f.share, exact(c[loss].share[i] as string), ulps],
          ]);
        });
      },
      label,
    );
    expect(bad).toEqual([]);
  });

  test('a group without examples has no mean; α_t = 0 carries nothing, even p_t = 0', () => {
    const tally = new LossTally([2]);
    tally.add(trueClassFromPt(0), 1, 4); // infinite CE
    const fl = tallyGroupLosses(tally, 0, 'fl', 0, NATURAL_LOG); // α = 0: positives weigh 0
    expect(fl[0]).toEqual({ count: 0, meanPt: null, perExample: null, total: 0, share: NaN });
    expect(fl[1]?.total).toBe(0);
    const ce = tallyGroupLosses(tally, 0, 'ce', 0, NATURAL_LOG);
    expect(ce[1]).toMatchObject({ total: Number.POSITIVE_INFINITY, share: 1 });
  });
});

describe('limitShares', () => {
  test('finite totals share by their size; all zero gives NaN', () => {
    expect(
      limitShares(
        [
          [1, 0],
          [3, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    ).toEqual([0.25, 0.75]);
    expect(limitShares([[0, 0]], [[0, 0]]).every(Number.isNaN)).toBe(true);
  });

  test('infinite totals share 1 by their infinite weights, finite ones get 0', () => {
    const INF = Number.POSITIVE_INFINITY;
    expect(
      limitShares(
        [
          [INF, 0],
          [1, 1000],
          [INF, 0],
        ],
        [
          [1, 0],
          [5, 0],
          [3, 0],
        ],
      ),
    ).toEqual([0.25, 0, 0.75]);
  });
});
