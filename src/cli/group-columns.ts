import type { Column } from '../format/formats.js';

/**
 * The columns of a group's line in `contribution`, after what names the loss and its setting
 * (α, γ and the loss; or the family's loss and parameters): its count, mean p_t, loss per
 * example, total and share.
 */
export const GROUP_COLUMNS: readonly Column[] = [
  { name: 'group', kind: 'text' },
  { name: 'y', kind: 'integer' },
  { name: 'count', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'per_example', kind: 'real' },
  { name: 'total', kind: 'real' },
  { name: 'share', kind: 'real' },
];

/**
 * The columns of `contribution --cdf`: for each loss and group, the share of its loss that its
 * hardest `top_fraction` carry (binary and wide files alike).
 */
export const CDF_COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'loss', kind: 'text' },
  { name: 'group', kind: 'text' },
  { name: 'top_fraction', kind: 'real' },
  { name: 'loss_share', kind: 'real' },
];
