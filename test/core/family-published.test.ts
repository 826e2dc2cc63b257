/**
 * Values the family's reference implementations publish in their own tests (issue 18), as
 * test/cli/parity.test.ts does for focal loss. Where a reference publishes none, what it
 * states is reproduced instead, and the comment says so.
 */
import { describe, expect, test } from '@jest/globals';
import { ASL_PAPER, asymmetricLoss } from '../../src/core/asymmetric.js';
import { classBalancedWeights } from '../../src/core/class-balanced.js';
import {
  calibrationGamma,
  FLSD_53,
  gammaSchedule,
  scheduledGamma,
} from '../../src/core/gamma-schedule.js';
import { poly1CrossEntropy } from '../../src/core/poly.js';
import { QFL_BETA } from '../../src/core/quality-focal.js';
import { softTargetFromLogit } from '../../src/core/soft-target.js';
import { trueClassFromLogit, trueClassFromProbability } from '../../src/core/true-class.js';
import { VFL_DEFAULTS, varifocalLoss } from '../../src/core/varifocal.js';

/** torch.allclose's defaults: |a − b| ≤ 1e−8 + 1e−5·|b|. */
function allclose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

describe("VarifocalNet's tests (hyz-xmaster/VarifocalNet, tests/test_metrics/test_losses.py)", () => {
  test('pred [[100, −100]], target [[1, 0]], α 0.75, γ 2, mean: allclose to 0', () => {
    const positive = varifocalLoss(softTargetFromLogit(100, 1));
    const negative = varifocalLoss(softTargetFromLogit(-100, 0));
    const mean = (positive + negative) / 2;
    expect(allclose(mean, 0)).toBe(true);
    // Exactly: ln(1 + e^−100)/2 for the positive plus a negative of weight 0.75·σ(−100)².
    expect(mean).toBeCloseTo(Math.log1p(Math.exp(-100)) / 2, 60);
  });

  test('pred [[0, 100]], target [[1, 1]], weight [0, 1], mean: allclose to 0', () => {
    const first = 0 * varifocalLoss(softTargetFromLogit(0, 1));
    const second = 1 * varifocalLoss(softTargetFromLogit(100, 1));
    expect(allclose((first + second) / 2, 0)).toBe(true);
    // Without the zero weight the first element alone is ln 2: the weight is what makes it 0.
    expect(varifocalLoss(softTargetFromLogit(0, 1))).toBe(Math.LN2);
  });

  test('the defaults are those of the class: α = 0.75, γ = 2, iou_weighted', () => {
    expect(VFL_DEFAULTS).toEqual({ alpha: 0.75, gamma: 2, iouWeighted: true });
  });
});

describe("mmpretrain's tests of its AsymmetricLoss (open-mmlab/mmpretrain, tests/test_losses.py)", () => {
  // mmcls's asymmetric_loss is the authors' formula (xs_neg = (1 − p + clip).clamp(max=1)).
  // cls_score [[5, −5, 0], [5, −5, 0]], label [[1, 0, 1], [0, 1, 0]], γ₊ 1, γ₋ 4, mean of 6.
  const examples: [number, 0 | 1][] = [
    [5, 1],
    [-5, 0],
    [0, 1],
    [5, 0],
    [-5, 1],
    [0, 0],
  ];
  const mean = (margin: number, weights = [1, 1, 1, 1, 1, 1]) =>
    examples.reduce(
      (sum, [x, y], i) =>
        sum +
        (weights[i] ?? 1) *
          asymmetricLoss(trueClassFromLogit(x, y), y, { gammaPos: 1, gammaNeg: 4, margin }),
      0,
    ) / examples.length;

  test('clip 0.05: 3.80845 / 3', () => {
    expect(allclose(mean(0.05), 3.80845 / 3)).toBe(true);
  });

  test('clip 0.05, sample weights [0.5, 0.5]: 3.80845 / 6', () => {
    expect(allclose(mean(0.05, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), 3.80845 / 6)).toBe(true);
  });

  test('clip None (margin 0): 5.1186 / 3', () => {
    expect(allclose(mean(0), 5.1186 / 3)).toBe(true);
  });
});

describe("focal_calibration's get_gamma (Losses/focal_loss_adaptive_gamma.py)", () => {
  test('γ* at p₀ = 0.2 is 4.8506, which FLSD-53 rounds to 5; at 0.25 it is 3.07', () => {
    // get_gamma solves g(p, γ) = 1 by Lambert W (scipy's lambertw, k = −1) with −y + 1e−12
    // as its argument: evaluated at p = 0.2 that formula gives 4.8505544455422 (mpmath), the
    // exact root being 4.850554445506035. Agreement to the offset's effect (1e−10).
    expect(Math.abs(calibrationGamma(0.2) - 4.8505544455422)).toBeLessThan(1e-10);
    expect(Math.round(calibrationGamma(0.2))).toBe(5);
    expect(Math.round(calibrationGamma(0.25))).toBe(3);
    // At p₀ = 0.5, get_gamma's value is 3.4e−6 (the offset's artefact): there is no root.
    expect(calibrationGamma(0.5)).toBe(0);
  });
});

describe("the other references' stated settings (no numeric value published in their tests)", () => {
  test("ASL: train.py's AsymmetricLoss(gamma_neg=4, gamma_pos=0, clip=0.05), the paper's setting", () => {
    // The repository's tests/test_asl.py is auto-generated and its expectations leave out the
    // focusing weights, so they do not describe the code; only the setting is reproduced.
    expect(ASL_PAPER).toEqual({ gammaPos: 0, gammaNeg: 4, margin: 0.05 });
    // A negative at p = 0.05 + 1e−9 is just past the margin: (1e−9)^4·1e−9 ≈ 1e−45.
    const justPast = asymmetricLoss(trueClassFromProbability(0.050000001, 0), 0);
    expect(justPast).toBeGreaterThan(0);
    expect(justPast).toBeLessThan(1e-44);
  });

  test('QFL: β = 2 (mmdetection quality_focal_loss, GFL paper)', () => {
    expect(QFL_BETA).toBe(2);
  });

  test("FLSD-53: γ 5 below p_t = 0.2, 3 above (focal_calibration's gamma_dic {0.2: 5, 0.5: 3}, --gamma 3)", () => {
    const code = gammaSchedule([0.2, 0.5], [5, 3, 3]);
    for (const pt of [0.05, 0.2, 0.35, 0.5, 0.95]) {
      expect(scheduledGamma(pt, code)).toBe(scheduledGamma(pt, FLSD_53));
    }
  });

  test('Poly-1: ε = −1 is the least that keeps CE + ε(1 − p_t) ≥ 0 (the paper: "ε ≥ −1")', () => {
    expect(poly1CrossEntropy(trueClassFromProbability(0.9, 1), -1)).toBeGreaterThan(0);
    expect(poly1CrossEntropy(trueClassFromProbability(0.9, 1), -1.1)).toBeLessThan(0);
  });

  test('class-balanced: weights normalised to the number of classes, as the authors form them', () => {
    const weights = classBalancedWeights([1000, 10], 0.999);
    expect(weights.reduce((a, b) => a + b)).toBeCloseTo(2, 14);
  });
});

describe("the README's library example of the family", () => {
  test('ASL of an easy and a harder negative, VFL of a box of IoU 0.8', () => {
    expect(asymmetricLoss(trueClassFromProbability(0.01, 0), 0)).toBe(0);
    expect(asymmetricLoss(trueClassFromLogit(-2, 0), 0)).toBe(1.6447564453908354e-6);
    expect(varifocalLoss(softTargetFromLogit(1.5, 0.8))).toBe(0.4011306223862019);
  });
});
