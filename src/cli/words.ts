/**
 * The words of a command line read straight from the options' declarations, as commander reads
 * them, for the ordinary case only: `--flag value`, `--flag=value`, `-x value`, `-xvalue`,
 * switches (`--grad`, `--no-header`, `-q`), stray words and negative numbers. Anything else
 * (help, the version, `--`, an unknown option, a group of short switches, a missing value) is
 * declined, and program.ts hands the whole line to commander, which then reports or prints it.
 *
 * Why: commander is a quarter of the bundle, and loading and setting it up was a fifth of
 * every start (bench/README.md, 2026-11-30); with this reader an ordinary command never loads
 * it. test/cli/words.test.ts checks with fast-check that whatever this reader accepts,
 * commander reads the same way.
 */
import {
  isSwitch,
  NEGATED_SWITCHES,
  type OptionName,
  type OptionSpec,
  specOf,
  VALUE_OPTIONS,
} from './options.js';

/** What a command's words set, as commander would hold it after parsing. */
export interface Words {
  /** Each option's value as typed: text, a list of texts (repeatable), or a switch's boolean. */
  readonly values: Readonly<Record<string, string | string[] | boolean | undefined>>;
  /** The options set by a word of the command line (not by a default). */
  readonly typed: ReadonlySet<OptionName>;
  /** The words that are not options nor their values, in order. */
  readonly operands: readonly string[];
}

interface Flag {
  readonly name: OptionName;
  readonly takesValue: boolean;
  /** `--no-x`: the switch `x`, which is true until this word. */
  readonly negated: boolean;
  readonly repeatable: boolean;
  /** An optional value (`[value]`) or a variadic one: commander's to read. */
  readonly commanders: boolean;
}

/** Commander's negative numbers: operands of a command, not options. */
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/**
 * The option of `names` whose declaration has `word` as one of its flags (`-a` and `--alpha`
 * → alpha). Looked up word by word: a command line names two or three of a command's forty
 * options, and splitting every declaration at each start cost about 0.3 million instructions
 * (bench/README.md, "Start-up on Node 20").
 */
function flagOf(names: readonly OptionName[], word: string): Flag | undefined {
  // A word with a space or a comma is never one flag, though it may be found in a declaration.
  if (word.includes(' ') || word.includes(',')) return undefined;
  for (const name of names) {
    const flags = specOf(name).flags;
    if (!hasWord(flags, word)) continue;
    const spec: OptionSpec<unknown> | undefined = isSwitch(name) ? undefined : VALUE_OPTIONS[name];
    return {
      name,
      takesValue: flags.includes(' <') || flags.includes(',<'),
      negated: word.startsWith('--no-'),
      repeatable: spec?.repeatable === true || spec?.many === true,
      commanders: flags.includes('[') || flags.includes('...>'),
    };
  }
  return undefined;
}

/** Whether `flag` is one of the words of a declaration (`-a, --alpha <list>`). */
function hasWord(flags: string, flag: string): boolean {
  for (let at = flags.indexOf(flag); at >= 0; at = flags.indexOf(flag, at + 1)) {
    const before = at === 0 ? ' ' : flags[at - 1];
    const after = flags[at + flag.length] ?? ' ';
    if ((before === ' ' || before === ',') && (after === ' ' || after === ',')) return true;
  }
  return false;
}

/**
 * Reads the words after the command's name, for a command whose options are `names`; undefined
 * when commander must read them (see above).
 */
export function readWords(
  names: readonly OptionName[],
  words: readonly string[],
): Words | undefined {
  const values: Record<string, string | string[] | boolean | undefined> = {};
  // Commander's default of a `--no-x` switch: true. Only those are looked at: reading each of
  // the command's forty declarations here cost 0.4 million instructions at every start
  // (bench/README.md, "Start-up: main's first-time work"). Likewise a declaration with an
  // optional value is found when typed (flagOf), as only then does commander read otherwise.
  for (const name of NEGATED_SWITCHES) if (names.includes(name)) values[name] = true;
  // Help and the version are options of the program, which commander finds in any word after
  // the command, even one that follows an option as its value (`--pt -h` prints help).
  // (Not a regular expression, which V8 would compile at every start.)
  const programOption = (word: string) =>
    word === '--' ||
    word.startsWith('-h') ||
    word.startsWith('-V') ||
    word.startsWith('--help') ||
    word.startsWith('--version');
  if (words.some(programOption)) return undefined;
  const typed = new Set<OptionName>();
  const operands: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i++] as string;
    if (word.length < 2 || word[0] !== '-') {
      operands.push(word);
      continue;
    }
    let flag = flagOf(names, word);
    let value: string | undefined;
    if (flag !== undefined) {
      if (flag.takesValue) {
        value = words[i++];
        if (value === undefined) return undefined; // commander's "argument missing"
      }
    } else if (word[1] !== '-' && word.length > 2) {
      // `-y0.5`: a short option's value attached; a group of switches (`-qx`) is commander's.
      flag = flagOf(names, word.slice(0, 2));
      if (flag === undefined) {
        if (NEGATIVE_NUMBER.test(word)) {
          operands.push(word);
          continue;
        }
        return undefined;
      }
      if (!flag.takesValue) return undefined;
      value = word.slice(2);
    } else if (/^--[^=]+=/.test(word)) {
      const at = word.indexOf('=');
      flag = flagOf(names, word.slice(0, at));
      if (flag === undefined || !flag.takesValue) return undefined;
      value = word.slice(at + 1);
    } else if (NEGATIVE_NUMBER.test(word)) {
      operands.push(word);
      continue;
    } else {
      return undefined; // an unknown option
    }
    if (flag.commanders) return undefined;
    typed.add(flag.name);
    if (!flag.takesValue) values[flag.name] = !flag.negated;
    else if (flag.repeatable) {
      const previous = values[flag.name];
      values[flag.name] = [...(Array.isArray(previous) ? previous : []), value as string];
    } else values[flag.name] = value;
  }
  return { values, typed, operands };
}
