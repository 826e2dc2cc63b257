/**
 * argv → the chosen command and its validated options. The words are read from the options'
 * declarations (words.ts), or by commander for help, the version and every line that reader
 * declines (commander is then loaded: start-up need not pay for it); every value is then parsed
 * and validated by its declaration in `options.ts`, so that an error names the option, the
 * value and the rule in one `focal:` line.
 */
import { readFileSync } from 'node:fs';
import type { Command, CommanderError } from 'commander';
import { showValue, UsageError } from '../errors.js';
import type { CommandSpec } from './command.js';
import { allCommands, COMMANDS } from './commands/index.js';
import { frameworkName } from './habits.js';
import {
  isSwitch,
  longFlag,
  type OptionName,
  type OptionSpec,
  readsStdinList,
  SHARED_OPTIONS,
  type SharedOptions,
  type StdinListName,
  SWITCH_OPTIONS,
  type SwitchSpec,
  specOf,
  VALUE_OPTIONS,
  type ValueOptionName,
} from './options.js';
import { checkRelations, relationNotes } from './relations.js';
import { readWords, type Words } from './words.js';

type Commander = typeof import('commander');

/** Set by the bundler (scripts/bundle.mjs); read from package.json when run from tsc's output. */
declare const __FOCAL_VERSION__: string | undefined;
/** Set by the bundler: the folder of help pages it rendered (see helpPage); absent elsewhere. */
declare const __FOCAL_HELP_FOLDER__: string | undefined;
const version =
  typeof __FOCAL_VERSION__ === 'string'
    ? __FOCAL_VERSION__
    : (
        JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;

/** What the command line asks for: a command to run, or help/version already printed. */
export type Invocation =
  | {
      readonly kind: 'run';
      readonly command: CommandSpec;
      readonly options: SharedOptions;
      readonly given: ReadonlySet<OptionName>;
      /** Notes of options the relations say are ignored here (`--log-base` in `weight`). */
      readonly notes: readonly string[];
      readonly argument: string | undefined;
      /** The FILE words of a command that takes them (`focal merge`). */
      readonly files: readonly string[];
      /** Every `--input` value, in order (a command with `manyInputs` reads them all). */
      readonly inputs?: readonly string[];
      /**
       * The list option given as `-`, whose values main reads from standard input (as a stream,
       * so that a signal is never lost while it waits); absent from `options` until then.
       */
      readonly stdinList?: StdinListName;
    }
  | { readonly kind: 'done' };

/** The options of a command, its own first, then the shared ones. */
export function optionsOf(command: CommandSpec): OptionName[] {
  return [...command.options, ...SHARED_OPTIONS];
}

/**
 * An option's one line of help in a command, with what its relations say there (`with --input
 * only`, `excludes --p`); `relations: false` leaves them out (the shared options' table, which
 * holds for every command).
 */
export function descriptionOf(command: CommandSpec, name: OptionName, relations = true): string {
  const description = command.optionHelp?.[name]?.description ?? specOf(name).description;
  const notes = relations ? relationNotes(command, name) : [];
  return [description, ...notes].join('; ');
}

/** The default of an option in a command, as typed, or how it reads in help. */
export function defaultOf(
  command: CommandSpec,
  name: OptionName,
): { value?: string; text?: string } {
  const helpText = command.optionHelp?.[name]?.defaultText;
  if (isSwitch(name)) {
    const declared: SwitchSpec = SWITCH_OPTIONS[name];
    return { text: helpText ?? declared.defaultText };
  }
  const spec: OptionSpec<unknown> = VALUE_OPTIONS[name];
  const value = command.defaults?.[name] ?? spec.defaultValue;
  return { value, text: helpText ?? value ?? spec.defaultText };
}

function valueSpec(name: ValueOptionName): OptionSpec<unknown> {
  return VALUE_OPTIONS[name];
}

function helpExamples(command: CommandSpec): string {
  const lines = command.examples().map((e) => `  # ${e.says}\n  $ ${e.command}`);
  return `\nExamples:\n${lines.join('\n\n')}\n`;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function buildProgram(
  { Command, Option }: Commander,
  commands: readonly CommandSpec[],
  writeOut: (text: string) => void,
  selected: (command: CommandSpec, cli: Command) => void,
  help: boolean,
  helpWidth: () => number | undefined,
): Command {
  const program = new Command('focal')
    .description('Focal loss versus cross-entropy, with numbers.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    // Errors are reformatted into one `focal:` line by parseCommandLine; help goes to stdout.
    .configureOutput({
      writeOut,
      writeErr: () => {},
      outputError: () => {},
      // Not commander's defaults, which ask process.stdout: making that stream loads Node's
      // stream modules, a tenth of a help's start when stdout is not a terminal (80 columns).
      getOutHelpWidth: () => helpWidth() ?? 80,
      getOutHasColors: () => false, // focal's help has no colours
    })
    .addHelpCommand(false)
    .addHelpText(
      'after',
      '\nRun focal help <command> (or focal <command> --help) for its options and examples.\n',
    );
  for (const spec of commands) {
    const cli = program
      .command(spec.name)
      .summary(spec.summary)
      .description(`${sentence(spec.summary)}\n${spec.question}`)
      .helpOption('-h, --help', 'show help')
      // Stray words are reported by validate(), after the options, as one focal: line.
      .allowExcessArguments(true)
      .addHelpText('after', helpExamples(spec))
      // The command object is the action's last parameter, whether or not it takes a word.
      .action((...args: unknown[]) => selected(spec, args[args.length - 1] as Command));
    if (spec.argument) {
      cli.argument(
        `[${spec.argument.name}]`,
        `${spec.argument.description}: ${spec.argument.choices.join(', ')} (default: ${spec.argument.defaultValue})`,
      );
    }
    if (spec.files) cli.argument(`[${spec.files.name}...]`, spec.files.description);
    // Without a command named, no command's options can matter (help lists the commands; a
    // mistyped command is suggested by name): one is declared, for commander's `[options]`
    // in the list of commands; declaring all with their relations cost a quarter of `focal
    // --help` (bench/README.md, 2026-11-30).
    const declared = optionsOf(spec);
    for (const name of commands.length > 1 ? declared.slice(0, 1) : declared) {
      const declared = specOf(name);
      // What the relations say is worked out only for help that will be printed (start-up).
      const description = descriptionOf(spec, name, help);
      const { text } = defaultOf(spec, name);
      const option = new Option(
        declared.flags,
        text ? `${description} (default: ${text})` : description,
      );
      if (!isSwitch(name) && (valueSpec(name).repeatable || valueSpec(name).many)) {
        option.argParser((value: string, previous: string[] | undefined) => [
          ...(previous ?? []),
          value,
        ]);
      }
      cli.addOption(option);
    }
  }
  return program;
}

/** Commander's own errors, as one `focal:` line. */
async function commanderMessage(error: CommanderError, argv: readonly string[]): Promise<string> {
  const commands = await allCommands();
  // Commander may add a suggestion on a second line ("(Did you mean --pt?)"): keep one line.
  const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const missing = /option '(.+?)' argument missing/.exec(message);
  if (missing) return `${/--[a-z-]+/.exec(missing[1] ?? '')?.[0] ?? missing[1]}: missing value`;
  const command = commands.find((c) => argv.includes(c.name));
  const help = `try focal ${command ? `${command.name} ` : ''}--help`;
  const unknown = /^unknown option '(.+?)'/.exec(message);
  const habit = unknown ? frameworkName(unknown[1] ?? '') : undefined;
  if (unknown && habit) {
    // A framework's parameter name: say which option it is here, not the nearest spelling.
    const flag = longFlag(habit.option);
    const where = commands.filter((c) => optionsOf(c).includes(habit.option)).map((c) => c.name);
    const offered = command === undefined || optionsOf(command).includes(habit.option);
    return offered
      ? `unknown option '${unknown[1]}' (did you mean ${flag}? ${help})`
      : `unknown option '${unknown[1]}' (the frameworks' name for ${flag}, an option of ${where.join(', ')}; ${help})`;
  }
  return `${message} (${help})`;
}

/** The option a flag (`-a`, `--alpha`, `--no-header`, `--pt=0.5`) declares, if any. */
function optionOfFlag(word: string): OptionName | undefined {
  const flag = word.split('=')[0] ?? '';
  const short = /^-[a-zA-Z]/.test(flag) && !flag.startsWith('--') ? flag.slice(0, 2) : flag;
  const names: OptionName[] = [...SHARED_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
  return names.find((name) =>
    specOf(name)
      .flags.split(/[ ,]+/)
      .some((f) => f === short),
  );
}

const SHARED: ReadonlySet<OptionName> = new Set(SHARED_OPTIONS);

/**
 * `focal --alpha 0.5 loss --pt 0.9` as `focal loss --alpha 0.5 --pt 0.9`: the options every
 * command shares may come before the command's name. Another option there is refused, naming
 * the command; anything else is left for commander to report.
 */
function commandFirst(argv: readonly string[]): readonly string[] {
  // No word names a command (`focal --version`): nothing to move. Said first because the loop
  // below looks each flag up in every command's declarations (1.3 M instructions for
  // `--version` on Node 20, bench/README.md, "Start-up: main's first-time work").
  if (!argv.some((word) => COMMANDS.some((c) => c.name === word))) return argv;
  const before: OptionName[] = [];
  let i = 0;
  while (
    i < argv.length &&
    (argv[i] ?? '').length > 1 &&
    argv[i]?.[0] === '-' &&
    argv[i] !== '--'
  ) {
    const word = argv[i] ?? '';
    const name = optionOfFlag(word);
    if (name === undefined) return argv;
    before.push(name);
    const attached = word.includes('=') || (!word.startsWith('--') && word.length > 2);
    i += !isSwitch(name) && !attached ? 2 : 1;
  }
  const command = COMMANDS.find((c) => c.name === argv[i]);
  if (i === 0 || command === undefined) return argv;
  for (const name of before) {
    if (SHARED.has(name)) continue;
    throw new UsageError(
      command.options.includes(name)
        ? `${longFlag(name)} goes after the command name: focal ${command.name} ${longFlag(name)} …`
        : `unknown option '${longFlag(name)}' for ${command.name} (try focal ${command.name} --help)`,
    );
  }
  return [command.name, ...argv.slice(0, i), ...argv.slice(i + 1)];
}

/**
 * Whether a word reads as a flag: `-` or `--` and a letter (`-5`, `-.5`, `-` and `--` are
 * values). Tested by its characters: a regular expression compiles at its first use.
 */
function looksLikeFlag(word: string): boolean {
  if (word[0] !== '-') return false;
  const c = word[1] === '-' ? word[2] : word[1];
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/** Whether the user typed `name`'s value attached (`--pt=-y`, `-y-1`): then it is a value. */
function attachedValue(argv: readonly string[], flags: string, text: string): boolean {
  return flags
    .split(/[ ,|]+/)
    .filter((flag) => flag.startsWith('-'))
    .some((flag) =>
      argv.some((word) =>
        flag.startsWith('--') ? word === `${flag}=${text}` : word === `${flag}${text}`,
      ),
    );
}

/** What commander read, as the word reader gives it. */
function wordsOf(command: CommandSpec, cli: Command): Words {
  return {
    values: cli.opts(),
    typed: new Set(optionsOf(command).filter((name) => cli.getOptionValueSource(name) === 'cli')),
    operands: cli.args,
  };
}

function validate(command: CommandSpec, read: Words, argv: readonly string[]): Invocation {
  const raw = read.values;
  const options: Record<string, unknown> = {};
  const given = new Set<OptionName>();
  // What the relations see: the options typed, less those typed at their neutral value.
  const active = new Set<OptionName>();
  let fromStdin: StdinListName | undefined;
  let fileFromStdin: ValueOptionName | undefined;
  let inputs: string[] | undefined;
  for (const name of optionsOf(command)) {
    if (isSwitch(name)) {
      options[name] = Boolean(raw[name]);
      if (read.typed.has(name)) {
        given.add(name);
        active.add(name);
      }
      continue;
    }
    const spec = valueSpec(name);
    const typed = raw[name];
    if (typeof typed === 'boolean') continue; // not from a value option's declaration
    if (typed !== undefined) {
      given.add(name);
      if (typeof typed !== 'string' || typed.trim() !== spec.neutral) active.add(name);
    }
    const text = typed ?? defaultOf(command, name).value;
    if (text === undefined) continue;
    if (typed === undefined && typeof text === 'string' && text !== '-' && !spec.many) {
      // A default is parsed when the command first reads it: a command reads few of its
      // sixteen (the family's parameters only with --loss), and parsing all of them cost a
      // quarter of a million instructions at every start (bench/README.md, "Start-up on Node
      // 20"). Every default parses (test/cli/defaults.test.ts).
      lazyValue(options, name, () => spec.parse(text));
      continue;
    }
    if (text === '-' && readsStdinList(name)) {
      if (fromStdin !== undefined) {
        throw new UsageError(
          `${longFlag(fromStdin)} and ${longFlag(name)} both read standard input (-): only one may`,
        );
      }
      fromStdin = name;
      continue;
    }
    if ([text].flat().includes('-') && (spec.stdin === 'file' || spec.stdin === 'rows')) {
      fileFromStdin = name;
    }
    // Commander gives a value option the next word even when it is an option (`--pt --alpha`);
    // a value attached to its flag (`--pt=-y`) is a value all the same.
    const swallowed = [text]
      .flat()
      .find((t) => looksLikeFlag(t) && !attachedValue(argv, spec.flags, t));
    if (swallowed !== undefined) {
      throw new UsageError(`${longFlag(name)}: missing value (${swallowed} is an option)`);
    }
    try {
      options[name] = Array.isArray(text) ? text.map((t) => spec.parse(t)) : spec.parse(text);
      if (spec.many) {
        inputs = manyValues(command, [options[name]].flat() as string[]);
        options[name] = inputs[0];
      }
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${longFlag(name)}: ${error.message}`);
      throw error;
    }
  }
  if (fromStdin !== undefined && fileFromStdin !== undefined) {
    throw new UsageError(
      `${longFlag(fileFromStdin)} and ${longFlag(fromStdin)} both read standard input (-): only one may`,
    );
  }
  let words = read.operands;
  let argument: string | undefined;
  if (command.argument) {
    const [word, ...rest] = words;
    // Choice words in any case, as the option values (`focal plot WEIGHT`).
    argument = word?.toLowerCase() ?? command.argument.defaultValue;
    if (!command.argument.choices.includes(argument)) {
      throw new UsageError(
        `${command.name}: ${showValue(argument)} is not one of ${command.argument.choices.join(', ')}`,
      );
    }
    words = rest;
  }
  let files: readonly string[] = [];
  if (command.files) {
    files = words;
    words = [];
  }
  const [extra] = words;
  if (extra !== undefined) {
    throw new UsageError(
      `unexpected argument ${showValue(extra)} (try focal ${command.name} --help)`,
    );
  }
  const notes = checkRelations(command, active);
  return {
    kind: 'run',
    command,
    // Every shared option was parsed above, each default filled: the declared shape.
    options: options as SharedOptions,
    given,
    notes,
    argument,
    files,
    ...(inputs !== undefined ? { inputs } : {}),
    ...(fromStdin !== undefined ? { stdinList: fromStdin } : {}),
  };
}

/** Sets `options[name]` to what `make` gives, made when first read. */
function lazyValue(options: Record<string, unknown>, name: string, make: () => unknown): void {
  // The value is kept by the accessor, not made a data property at its first read: redefining
  // the property changed the object's shape, ~0.35 M instructions a start on Node 20 over the
  // defaults a command reads (bench/README.md, "Start-up: main's first-time work").
  let value: unknown;
  let made = false;
  Object.defineProperty(options, name, {
    configurable: true,
    enumerable: true,
    get() {
      if (!made) {
        value = make();
        made = true;
      }
      return value;
    },
    set(given: unknown) {
      value = given;
      made = true;
    },
  });
}

/** The values of a `many` option (`--input`): more than one only where the command reads many. */
function manyValues(command: CommandSpec, values: string[]): string[] {
  if (values.length > 1 && !command.manyInputs) {
    throw new UsageError(
      `given ${values.length} times: ${command.name} reads one file (many files: loss, contribution, balance, bias-init, plot cdf)`,
    );
  }
  if (values.filter((v) => v === '-').length > 1) {
    throw new UsageError('- (standard input) given twice: it can be read once');
  }
  return values;
}

/**
 * `focal --help` and `focal CMD --help` off a terminal, as the build rendered them (commander,
 * 80 columns: scripts/bundle.mjs writes them to help/ next to the bundle, one file each): a
 * page then costs the read of its own text, not commander's loading and set-up, which made
 * `focal --help` take 1.4 times bare Node (bench/README.md, 2026-11-30); one file of all the
 * pages, parsed, took `--help` past V8's first scavenge. test/lib/help-pages.test.ts checks
 * that each page is what commander prints. On a terminal (its width), and where there is no
 * such file (tsc's output, the tests of the sources), commander renders the page.
 */
function helpPage(
  argv: readonly string[],
  named: CommandSpec | undefined,
  helpWidth: () => number | undefined,
): string | undefined {
  if (typeof __FOCAL_HELP_FOLDER__ !== 'string') return undefined;
  const topic = argv.length === 1 ? '' : argv.length === 2 && named ? named.name : undefined;
  const flag = argv[argv.length - 1];
  if (topic === undefined || (flag !== '--help' && flag !== '-h')) return undefined;
  if (helpWidth() !== undefined) return undefined;
  try {
    return readFileSync(`${__FOCAL_HELP_FOLDER__}${topic === '' ? 'focal' : topic}.txt`, 'utf8');
  } catch {
    return undefined; // not made yet (the build renders it with commander)
  }
}

/**
 * Reads the command line.
 * @throws UsageError for anything wrong with it, already worded for the user.
 */
export async function parseCommandLine(
  typed: readonly string[],
  writeOut: (text: string) => void = (text) => process.stdout.write(text),
  helpWidth: () => number | undefined = () => undefined,
): Promise<Invocation> {
  if (typed.length === 0) throw new UsageError('missing command (try focal --help)');
  const argv = commandFirst(typed);
  // `focal help` and `focal help CMD`, as git and npm read them: the same as --help.
  if (argv[0] === 'help') {
    const [topic, ...extra] = argv.slice(1);
    if (topic === undefined || ['help', '--help', '-h'].includes(topic)) {
      return parseCommandLine(['--help'], writeOut, helpWidth);
    }
    if (extra.length > 0) throw new UsageError('help: one command at most (focal help CMD)');
    if (!COMMANDS.some((c) => c.name === topic)) {
      throw new UsageError(`help: unknown command ${showValue(topic)} (try focal --help)`);
    }
    return parseCommandLine([topic, '--help'], writeOut, helpWidth);
  }
  const named = COMMANDS.find((c) => c.name === argv[0]);
  const page = helpPage(argv, named, helpWidth);
  if (page !== undefined) {
    writeOut(page);
    return { kind: 'done' };
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    writeOut(`${version}\n`); // as commander prints it
    return { kind: 'done' };
  }
  const read = named && readWords(optionsOf(named), argv.slice(1));
  if (named && read) return validate(named, read, argv);
  const byCommander = await readByCommander(argv, named, writeOut, helpWidth);
  if (byCommander === 'done') return { kind: 'done' }; // --help or --version, already printed
  return validate(byCommander.command, byCommander.words, argv);
}

/**
 * The command line as commander reads it: the chosen command and its words, or 'done' when
 * commander printed help or the version. Exported for the test that holds words.ts to it.
 * @throws UsageError for what commander refuses, as one line
 */
export async function readByCommander(
  argv: readonly string[],
  named: CommandSpec | undefined,
  writeOut: (text: string) => void,
  helpWidth: () => number | undefined = () => undefined,
): Promise<{ command: CommandSpec; words: Words } | 'done'> {
  const commander = await import('commander');
  let chosen: { command: CommandSpec; cli: Command } | undefined;
  // When the first word names a command, only that command's options are declared to
  // commander (help and errors for it read the same); otherwise all, for `focal --help` and
  // for suggestions after a mistyped command.
  const commands = named ? [named] : COMMANDS;
  const help = argv.some((word) => word === '--help' || word === '-h');
  const program = buildProgram(
    commander,
    commands,
    writeOut,
    (command, cli) => {
      chosen = { command, cli };
    },
    help,
    helpWidth,
  );
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof commander.CommanderError)) throw error;
    if (error.exitCode === 0) return 'done';
    throw new UsageError(await commanderMessage(error, argv));
  }
  if (!chosen) throw new UsageError('missing command (try focal --help)');
  return { command: chosen.command, words: wordsOf(chosen.command, chosen.cli) };
}
