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
import { isSwitch, type OptionName, type OptionSpec, specOf, VALUE_OPTIONS } from './options.js';

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
}

/** Commander's negative numbers: operands of a command, not options. */
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/** The flags of `names` (`-a` and `--alpha` → alpha), or undefined if one is not plain. */
function flagsOf(names: readonly OptionName[]): Map<string, Flag> | undefined {
  const flags = new Map<string, Flag>();
  for (const name of names) {
    const words = specOf(name).flags.split(/[ ,]+/);
    // An optional value (`[value]`) or a variadic one is commander's to read.
    if (words.some((word) => word.startsWith('[') || word.endsWith('...>'))) return undefined;
    const takesValue = words.some((word) => word.startsWith('<'));
    const spec: OptionSpec<unknown> | undefined = isSwitch(name) ? undefined : VALUE_OPTIONS[name];
    const repeatable = spec?.repeatable === true || spec?.many === true;
    for (const word of words) {
      if (!word.startsWith('-')) continue;
      flags.set(word, { name, takesValue, negated: word.startsWith('--no-'), repeatable });
    }
  }
  return flags;
}

/**
 * Reads the words after the command's name, for a command whose options are `names`; undefined
 * when commander must read them (see above).
 */
export function readWords(
  names: readonly OptionName[],
  words: readonly string[],
): Words | undefined {
  const flags = flagsOf(names);
  if (flags === undefined) return undefined;
  // Help and the version are options of the program, which commander finds in any word after
  // the command, even one that follows an option as its value (`--pt -h` prints help).
  if (words.some((word) => word === '--' || /^-[hV]|^--(help|version)/.test(word))) {
    return undefined;
  }
  const values: Record<string, string | string[] | boolean | undefined> = {};
  // Commander's default of a lone `--no-x` switch: true.
  for (const flag of flags.values()) if (flag.negated) values[flag.name] = true;
  const typed = new Set<OptionName>();
  const operands: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i++] as string;
    if (word.length < 2 || word[0] !== '-') {
      operands.push(word);
      continue;
    }
    let flag = flags.get(word);
    let value: string | undefined;
    if (flag !== undefined) {
      if (flag.takesValue) {
        value = words[i++];
        if (value === undefined) return undefined; // commander's "argument missing"
      }
    } else if (word[1] !== '-' && word.length > 2) {
      // `-y0.5`: a short option's value attached; a group of switches (`-qx`) is commander's.
      flag = flags.get(word.slice(0, 2));
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
      flag = flags.get(word.slice(0, at));
      if (flag === undefined || !flag.takesValue) return undefined;
      value = word.slice(at + 1);
    } else if (NEGATIVE_NUMBER.test(word)) {
      operands.push(word);
      continue;
    } else {
      return undefined; // an unknown option
    }
    typed.add(flag.name);
    if (!flag.takesValue) values[flag.name] = !flag.negated;
    else if (flag.repeatable) {
      const previous = values[flag.name];
      values[flag.name] = [...(Array.isArray(previous) ? previous : []), value as string];
    } else values[flag.name] = value;
  }
  return { values, typed, operands };
}
