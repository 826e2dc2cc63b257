/**
 * focal as a library: the numeric core, with types.
 *
 * @example
 * import { alphaT, focalLoss, trueClassFromLogit } from 'focal';
 * const example = trueClassFromLogit(2.5, 1);
 * focalLoss(example, alphaT(0.25, 1), 2); // FL of a positive with logit 2.5
 */
export * from './core/index.js';
