/**
 * The kinds of error every layer may throw, and nothing else: `src/input`, `src/format` and
 * `src/cli` import them from here, so no layer below the CLI imports from it. `main`
 * (src/cli/main.ts) maps each kind to its exit code and its one `focal: …` line:
 *
 * - UsageError (and InputError, its kind for bad input data): exit 2;
 * - ReadError (an I/O error in the middle of an input) and OutputError (writing failed): exit 1,
 *   except an OutputError EPIPE (the reader went away), which is exit 0.
 *
 * Messages of the lower layers say what is wrong with the data; where a setting of the caller
 * is concerned (the input's path, a column option) they name it as a Setting part, which the
 * CLI writes as its flag (`--score-col`) and a library user reads as the option's name
 * (`scoreCol`).
 */

/** A setting the caller chose, named as the API names it (`scoreCol`, `input`). */
export interface Setting {
  readonly setting: string;
}

/** A message in parts: text, and the settings it names (written by `render`). */
export type MessagePart = string | Setting;

/** Names a setting in a message: the CLI writes it as its flag. */
export function setting(name: string): Setting {
  return { setting: name };
}

/** A message in parts as text, each setting written by `name` (the CLI: its flag). */
export function renderMessage(
  parts: readonly MessagePart[],
  name: (setting: string) => string,
): string {
  return joined(parts, name);
}

function joined(parts: readonly MessagePart[], name: (setting: string) => string): string {
  return parts.map((part) => (typeof part === 'string' ? part : name(part.setting))).join('');
}

/**
 * The kinds an error is (`InputError`, `UsageError`), marked on it: `instanceof` asks the mark,
 * not the prototype, because each file of the CLI's bundle that is loaded only when needed
 * (scripts/bundle.mjs) has its own copy of these classes, and an error thrown by one copy is
 * caught and told apart by another (main's).
 */
const KINDS = Symbol.for('focal.errorKinds');

interface Kind {
  readonly kind: string;
}

function kindsOf(target: unknown): string[] {
  const kinds: string[] = [];
  for (let c = target as Kind | null; c !== null && Object.hasOwn(c, 'kind'); ) {
    kinds.push(c.kind);
    c = Object.getPrototypeOf(c) as Kind | null;
  }
  return kinds;
}

function isKind(value: unknown, kind: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const kinds = (value as { [KINDS]?: readonly string[] })[KINDS];
  return kinds?.includes(kind) === true;
}

/**
 * Bad usage or bad input: printed as one `focal: …` line on stderr, exit code 2, and nothing on
 * stdout (cli-contract.md, "Errors and exit codes").
 */
export class UsageError extends Error {
  static readonly kind: string = 'UsageError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the class asked (InputError inherits this)
    return isKind(value, this.kind);
  }
  readonly [KINDS] = kindsOf(this.constructor);
  override readonly name: string = 'UsageError';
  /** The message in parts; `message` names settings as the API does. */
  readonly parts: readonly MessagePart[];

  constructor(message: string | readonly MessagePart[]) {
    const parts = typeof message === 'string' ? [message] : message;
    super(joined(parts, (name) => name));
    this.parts = parts;
  }

  /** The message with each setting written by `name` (the CLI: its long flag). */
  render(name: (setting: string) => string): string {
    return joined(this.parts, name);
  }
}

/** Bad input data: it cannot be opened, or is not what it should be (exit 2, one line). */
export class InputError extends UsageError {
  static override readonly kind: string = 'InputError';
  override readonly name: string = 'InputError';
}

/** A read that failed in the middle of an input (an I/O error): exit 1, one `focal:` line. */
export class ReadError extends Error {
  static readonly kind: string = 'ReadError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isKind(value, ReadError.kind);
  }
  readonly [KINDS] = kindsOf(this.constructor);
  override readonly name = 'ReadError';
}

/** Writing the output failed; `code` is the system's (EPIPE: the reader went away). */
export class OutputError extends Error {
  static readonly kind: string = 'OutputError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isKind(value, OutputError.kind);
  }
  readonly [KINDS] = kindsOf(this.constructor);
  override readonly name = 'OutputError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** How a user's value is shown in a message: as typed, quoted when it would not read clearly. */
export function showValue(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) && text.length <= 60
    ? text
    : JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
