/**
 * src/errors.ts: the error kinds every layer shares. A lower layer's message names a setting as
 * the API does; the CLI writes the flag (main, through cli/setting-flag.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { flagOf } from '../../src/cli/setting-flag.js';
import {
  InputError,
  OutputError,
  ReadError,
  renderMessage,
  setting,
  UsageError,
} from '../../src/errors.js';
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

describe('error kinds across copies of the classes', () => {
  // Each lazily loaded file of the CLI's bundle has its own copy of src/errors.ts: an error made
  // by another copy carries the same mark (Symbol.for), and instanceof reads the mark.
  const KINDS = Symbol.for('focal.errorKinds');
  const fromAnotherCopy = (kinds: string[]) => Object.assign(new Error('x'), { [KINDS]: kinds });

  test('an InputError of another copy is an InputError and a UsageError, nothing else', () => {
    const error = fromAnotherCopy(['InputError', 'UsageError']);
    expect([
      error instanceof InputError,
      error instanceof UsageError,
      error instanceof ReadError,
      error instanceof OutputError,
    ]).toEqual([true, true, false, false]);
  });

  test("this copy's errors carry the mark of each kind they are", () => {
    expect((new InputError('x') as unknown as Record<symbol, unknown>)[KINDS]).toEqual([
      'InputError',
      'UsageError',
    ]);
    expect(new UsageError('x') instanceof InputError).toBe(false);
    expect(new ReadError('x') instanceof ReadError).toBe(true);
    expect(new OutputError('x', 'EPIPE') instanceof UsageError).toBe(false);
    expect(new Error('x') instanceof UsageError).toBe(false);
  });
});
