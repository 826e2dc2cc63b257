/** What a command is: its options, its help, and how validated options become rows. */
import type { Readable, Writable } from 'node:stream';
import type { RowSet } from '../format/formats.js';
import type { OptionName, ParsedOptions } from './options.js';

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

export interface CommandSpec {
  readonly name: string;
  /** Its positional word, if it takes one. */
  readonly argument?: ArgumentSpec;
  /** One line for `focal --help`. */
  readonly summary: string;
  /** The question it answers, for `focal <cmd> --help` and the README. */
  readonly question: string;
  /** Its own options, in help order; the shared options follow them. */
  readonly options: readonly OptionName[];
  /** Defaults of this command that differ from the option's own (as typed by a user). */
  readonly defaults?: Partial<Record<OptionName, string>>;
  /**
   * Help text of a shared option where it means something else here (plot's -f prints the
   * chart's data), without changing how the option parses.
   */
  readonly optionHelp?: Partial<
    Record<OptionName, { readonly description: string; readonly defaultText: string }>
  >;
  readonly examples: readonly Example[];
  /**
   * Validates what spans several options and returns the rows (computed lazily).
   * @throws UsageError for options that exclude each other, wrong lengths and the like.
   */
  rows(options: ParsedOptions, context: CommandContext): RowSet | Promise<RowSet>;
}
