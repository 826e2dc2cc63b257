/**
 * What users bring from the frameworks: their parameter names, mapped to `focal`'s options in
 * one table, which suggestions for an unknown option and the README's framework section share.
 */
import { longFlag, type OptionName } from './options.js';

/** A framework's parameter name (as `--name`, `_` or `-` alike) and the option it is here. */
export interface FrameworkName {
  readonly names: readonly string[];
  readonly option: OptionName;
  /** Where the name comes from. */
  readonly from: string;
}

export const FRAMEWORK_NAMES: readonly FrameworkName[] = [
  { names: ['reduction'], option: 'reduce', from: 'PyTorch, torchvision, Keras, kornia, mmcv' },
  {
    names: ['prob', 'probability', 'pred', 'preds', 'y-pred', 'prediction', 'predictions'],
    option: 'p',
    from: 'Keras y_pred; probabilities of the positive class',
  },
  {
    names: ['inputs', 'from-logits'],
    option: 'logit',
    from: "torchvision's inputs, Keras from_logits=True",
  },
  {
    names: ['targets', 'label', 'y-true'],
    option: 'y',
    from: "torchvision's targets, Keras y_true (binary labels)",
  },
  {
    names: ['apply-class-balancing', 'class-weight'],
    option: 'alpha',
    from: 'Keras apply_class_balancing with alpha',
  },
  { names: ['ignore-index'], option: 'ignoreLabel', from: "PyTorch's ignore_index" },
  { names: ['prior-prob', 'prior'], option: 'pi', from: 'detectron2, mmdetection prior_prob' },
  {
    names: ['weight', 'sample-weight'],
    option: 'weightCol',
    from: 'PyTorch weight, Keras sample_weight (a column of --input)',
  },
  { names: ['sep', 'delim-whitespace'], option: 'delimiter', from: "pandas read_csv's sep" },
  { names: ['names'], option: 'columns', from: "pandas read_csv's names (no header)" },
  { names: ['index-col'], option: 'keepCol', from: 'pandas index_col (ids carried into rows)' },
];

/** `--Y_True=1` → `y-true`. */
function normalName(flag: string): string {
  return flag.replace(/^-+/, '').split('=')[0]?.toLowerCase().replaceAll('_', '-') ?? '';
}

/** The framework name a mistyped flag is, if any. */
export function frameworkName(flag: string): FrameworkName | undefined {
  const name = normalName(flag);
  return FRAMEWORK_NAMES.find((entry) => entry.names.includes(name));
}

/** The README's table of the frameworks' names. */
export function frameworkNamesTable(): string {
  const rows = FRAMEWORK_NAMES.map(
    (entry) =>
      `| ${entry.names.map((n) => `\`${n.replaceAll('-', '_')}\``).join(', ')} | \`${longFlag(entry.option)}\` | ${entry.from} |`,
  );
  return ['| their name | `focal` | from |', '| --- | --- | --- |', ...rows].join('\n');
}
