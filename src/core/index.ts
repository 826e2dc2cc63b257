/**
 * The numeric core of `focal` as a library: pure functions, no I/O. This list is what the
 * package entry promises (README, "Library"): losses and their gradients, the
 * true-class constructors, group losses and shares, reductions, the prior, α heuristics, the
 * inverse weight and the focal family. Helpers of the implementation stay unexported: Dekker's
 * products (exact.ts), the histogram's bins, the state objects that threads exchange.
 * The formulas and how they keep their digits are in `docs/math.md` of the project.
 */

export {
  ASL_PAPER,
  type AsymmetricParameters,
  asymmetricLoss,
  asymmetricLossGradient,
} from './asymmetric.js';
export {
  effectiveNumber,
  effectiveNumberAlpha,
  inverseFrequencyAlpha,
  PAPER_ALPHA,
  sqrtInverseFrequencyAlpha,
} from './balance.js';
export {
  classBalancedFocalLoss,
  classBalancedFocalLossGradient,
  classBalancedWeight,
  classBalancedWeights,
} from './class-balanced.js';
export {
  calibrationGamma,
  FLSD_53,
  type GammaSchedule,
  gammaSchedule,
  gradientRatio,
  sampleDependentFocalLoss,
  sampleDependentFocalLossGradient,
  scheduledGamma,
} from './gamma-schedule.js';
export { crossEntropyGradient, focalLossGradient } from './gradient.js';
export {
  type GroupLoss,
  groupLosses,
  groupsAtProbability,
  type LossGroup,
  type LossName,
  type TalliedGroupLoss,
  tallyGroupLosses,
} from './group-loss.js';
export { ptForFactor } from './inverse.js';
export { type LogBase, logBase, NATURAL_LOG } from './log-base.js';
export {
  type Alpha,
  alphaT,
  balancedCrossEntropy,
  crossEntropy,
  focalLoss,
  focusingFactor,
  modulatingWeight,
} from './loss.js';
export { LossHistogram, type ShapeLoss } from './loss-histogram.js';
export {
  entropyExcess,
  poly1CrossEntropy,
  poly1CrossEntropyGradient,
  poly1FocalLoss,
  poly1FocalLossGradient,
  poly1MinimumEpsilon,
} from './poly.js';
export {
  initialProbability,
  initialProbabilityQuantile,
  NORMAL_Q99,
  preActivationStd,
  priorBias,
  shiftedPrior,
} from './prior.js';
export { QFL_BETA, qualityFocalLoss, qualityFocalLossGradient } from './quality-focal.js';
export { LossReducer, type Reduction, reduceLosses, reductionDivisor } from './reduction.js';
export {
  fromScaled,
  type Scaled,
  scaleBy,
  scaledExpOfProduct,
  scaledPower,
  scaledProduct,
  scaledProductOf,
  scaledQuotient,
  scaledShares,
  toScaled,
} from './scaled.js';
export {
  scaledBalancedCrossEntropy,
  scaledCrossEntropy,
  scaledFocalLoss,
  scaledFocusingFactor,
} from './scaled-loss.js';
export {
  groupTotal,
  type LossTerm,
  limitShares,
  lossShares,
  type ScaledLossTerm,
  scaledGroupTotal,
  scaledLossShares,
} from './shares.js';
export { logSigmoid, sigmoid, softplus } from './sigmoid.js';
export {
  isHardTarget,
  predictionGap,
  type SoftTarget,
  smoothLabel,
  softAlphaT,
  softBinaryCrossEntropy,
  softBinaryCrossEntropyGradient,
  softCrossEntropy,
  softFocalLoss,
  softModulatingWeight,
  softTargetFromLogit,
  softTargetFromProbability,
  softTrueClass,
} from './soft-target.js';
export {
  logSumExp,
  trueClassFromLogits,
  trueClassFromProbabilities,
} from './softmax.js';
export { normalCdf, normalQuantile, preActivationQuantile } from './spread.js';
export { focalLossStar, focalLossStarGradient } from './star.js';
export { CompensatedSum, compensatedSum } from './sum.js';
export {
  type GroupTotals,
  LossTally,
  type ScaledGroupTotals,
} from './tally.js';
export {
  type Label,
  type TrueClass,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from './true-class.js';
export {
  type VarifocalParameters,
  VFL_DEFAULTS,
  varifocalLoss,
  varifocalLossGradient,
} from './varifocal.js';
