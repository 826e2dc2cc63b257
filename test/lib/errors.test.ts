/**
 * src/errors.ts: the error kinds every layer shares. A lower layer's message names a setting as
 * the API does; the CLI writes the flag (main, through cli/setting-flag.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { flagOf } from '../../src/cli/setting-flag.js';
import { InputError, renderMessage, setting, UsageError } from '../../src/errors.js';
import { chooseColumns } from '../../src/input/predictions.js';

describe('messages that name settings', () => {
  test('read as the API names them, and as flags when the CLI renders them', () => {
    const error = new InputError([setting('scoreCol'), ': preds.csv has no column s']);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('scoreCol: preds.csv has no column s');
    expect(error.render(flagOf)).toBe('--score-col: preds.csv has no column s');
  });

  test('the input layer names ColumnOptions settings, which the CLI maps to their flags', () => {
    let caught: unknown;
    try {
      chooseColumns(['p', 'logit', 'y'], 'f.csv', {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.message).toBe(
      'f.csv:1: columns p and logit could each be the score; choose one with scoreCol',
    );
    expect(error.render(flagOf)).toBe(
      'f.csv:1: columns p and logit could each be the score; choose one with --score-col',
    );
  });

  test('every setting the lower layers name has a flag', () => {
    for (const name of [
      'input',
      'out',
      'scoreCol',
      'scoreKind',
      'labelCol',
      'weightCol',
      'ignoreLabels',
    ]) {
      expect(flagOf(name)).toMatch(/^--[a-z-]+$/);
    }
    expect(renderMessage(['a ', setting('ignoreLabels'), ' b'], flagOf)).toBe('a --ignore-label b');
  });

  test('a plain message is kept as it is', () => {
    expect(new UsageError('--x: bad').render(flagOf)).toBe('--x: bad');
  });
});
