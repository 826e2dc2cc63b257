/** What a command is: its options, its help, and how validated options become rows. */
import type { Readable, Writable } from 'node:stream';
import type { RowSet } from '../format/formats.js';
import type { Group, OptionName, Options, Relation, SharedName, SharedOptions } from './options.js';

export interface Example {
  /** The command line, starting with `focal`. */
  readonly command: string;
  /** What it answers. */
  readonly says: string;
}

/** Side information for a command: which options the user typed, and where notes go. */
export interface CommandContext {
  readonly given: ReadonlySet<OptionName>;
  /** Records a note for stderr (`focal: note: …`), unless --quiet. */
  note(text: string): void;
  /** Standard input, for `--input -` (opened by the call). */
  readonly stdin: () => Readable;
  /** The positional word, validated against the command's choices (or its default). */
  readonly argument: string | undefined;
  /** The FILE words of a command that takes them (`focal merge A B`), else empty. */
  readonly files: readonly string[];
  /** Every `--input` value, in order (`manyInputs` commands read them all); absent: o.input's. */
  readonly inputs?: readonly string[];
  /** A terminal to show reading progress on, when there is one free for it. */
  readonly progress: (Writable & { columns?: number }) | undefined;
}

/** A command's one positional word, chosen from a list (`focal plot weight`). */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly choices: readonly string[];
  readonly defaultValue: string;
}

/**
 * A command as declared: `N` its own options, `D` those it gives a default of its own. Its
 * `rows` sees exactly its options (and the shared ones), typed from their declarations.
 */
export interface CommandDeclaration<N extends OptionName, D extends N | SharedName = never> {
  readonly name: string;
  /** Its positional word, if it takes one. */
  readonly argument?: ArgumentSpec;
  /** Its FILE words, any number of them (`focal merge A B C`), if it takes them. */
  readonly files?: { readonly name: string; readonly description: string };
  /** Whether `--input` may be typed more than once, and be a glob (the files read as one). */
  readonly manyInputs?: boolean;
  /** One line for `focal --help`. */
  readonly summary: string;
  /** The question it answers, for `focal <cmd> --help` and the README. */
  readonly question: string;
  /** Its own options, in help order; the shared options follow them. */
  readonly options: readonly N[];
  /** Defaults of this command that differ from the option's own (as typed by a user). */
  readonly defaults?: { readonly [K in D]: string };
  /**
   * Help text of a shared option where it means something else here (plot's -f prints the
   * chart's data), without changing how the option parses.
   */
  readonly optionHelp?: Partial<
    Record<OptionName, { readonly description: string; readonly defaultText: string }>
  >;
  /** Relations between options that hold in this command (on top of the options' own). */
  readonly relations?: readonly Relation[];
  /** Groups of options: one of them, at least one, all of them. */
  readonly groups?: readonly Group[];
  /** Made when help asks (a function: start-up need not build the fifty of them). */
  readonly examples: () => readonly Example[];
  /**
   * Returns the rows (computed lazily), from options already checked against every declared
   * relation.
   * @throws UsageError for what depends on values (wrong lengths and the like).
   */
  rows(options: Options<N | SharedName, D>, context: CommandContext): RowSet | Promise<RowSet>;
}

/** Any command, as the program lists and runs them. */
export interface CommandSpec
  extends Omit<CommandDeclaration<OptionName>, 'rows' | 'defaults' | 'options'> {
  readonly options: readonly OptionName[];
  readonly defaults?: Partial<Record<OptionName, string>>;
  /** Runs the command on options that validate() made from this command's declarations. */
  rows(options: SharedOptions, context: CommandContext): RowSet | Promise<RowSet>;
}

/** A command from its declaration (its option types checked where it is written). */
export function command<const N extends OptionName, D extends N | SharedName = never>(
  declaration: CommandDeclaration<N, D>,
): CommandSpec {
  return {
    ...declaration,
    // validate() parses every option of `options` and the shared ones, by their declarations,
    // and fills each default: the object has the declared shape, which types cannot follow
    // through commander's string-keyed record.
    rows: (options, context) =>
      declaration.rows(options as unknown as Options<N | SharedName, D>, context),
  };
}
