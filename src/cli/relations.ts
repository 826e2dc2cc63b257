/**
 * The one check of the relations between options (declared in options.ts and on each command),
 * and the notes that `--help` and the README's tables show for them, from the same records.
 */

import { UsageError } from '../errors.js';
import type { CommandSpec } from './command.js';
import {
  type Group,
  longFlag,
  OPTION_RELATIONS,
  type OptionName,
  type Relation,
  SHARED_OPTIONS,
} from './options.js';

/** `--a, --b or --c` (or `and`). */
function flagList(names: readonly OptionName[], word: 'or' | 'and'): string {
  const flags = names.map(longFlag);
  return flags.length < 2
    ? flags.join('')
    : `${flags.slice(0, -1).join(', ')} ${word} ${flags[flags.length - 1]}`;
}

const why = (text: string | undefined) => (text === undefined ? '' : ` (${text})`);

/**
 * The relations that hold in `command` (its own first, then the options' own), of those that
 * `wanted` keeps (all of them by default).
 */
export function relationsOf(
  command: CommandSpec,
  wanted: (relation: Relation) => boolean = () => true,
): readonly Relation[] {
  const own = (command.relations ?? []).filter(wanted);
  const general = OPTION_RELATIONS.filter(wanted);
  // The command's options are gathered only when needed: a start that types none of the
  // options these relations are about (the quick start) saved 0.2 million instructions
  // (bench/README.md, "Start-up: main's first-time work").
  if (general.length === 0) return own;
  const has = new Set<OptionName>([...command.options, ...SHARED_OPTIONS]);
  // An option's relation to options the command does not have (`--score-col` needs `--input`,
  // in `focal sql` that has `--table` instead) does not hold there.
  return own.concat(
    general.filter(
      (r) =>
        r.options.some((name) => has.has(name)) &&
        (r.requires === undefined || r.requires.some((name) => has.has(name))),
    ),
  );
}

/** A group's members that exclude each other, as a relation of each with the ones after it. */
function exclusions(group: Group): Relation[] {
  if (!group.exclusive) return [];
  return group.group.map((name, i) => ({
    options: [name],
    conflicts: group.group.slice(i + 1),
    why: group.why ?? 'give one input',
  }));
}

/**
 * Checks every relation of `command` against the options the user typed (`given`, without
 * those typed at their neutral value such as `--reduce none`): conflicts first, then what an
 * option requires, then the groups that must be given. Returns the notes of ignored options.
 * @throws UsageError naming the first relation broken, as one line.
 */
export function checkRelations(command: CommandSpec, given: ReadonlySet<OptionName>): string[] {
  const typed = (names: readonly OptionName[] | undefined) =>
    (names ?? []).filter((name) => given.has(name));
  // A relation says something only of options typed: the others are passed over at once.
  const concerns = (r: Relation) => r.options.some((name) => given.has(name));
  const groups = command.groups ?? [];
  const relations = relationsOf(command, concerns);
  const errors = relations.filter((r) => !r.note);
  for (const r of errors.concat(groups.flatMap(exclusions).filter(concerns))) {
    for (const name of typed(r.options)) {
      const [other] = typed(r.conflicts);
      if (other === undefined) continue;
      throw new UsageError(
        `${longFlag(name)} ${r.says ?? `and ${longFlag(other)} exclude each other${why(r.why)}`}`,
      );
    }
  }
  for (const r of errors) {
    if (r.requires === undefined) continue;
    for (const name of typed(r.options)) {
      if (typed(r.requires).length > 0) continue;
      throw new UsageError(
        `${longFlag(name)} ${r.says ?? `needs ${flagList(r.requires, 'or')}${why(r.why)}`}`,
      );
    }
  }
  for (const g of groups) {
    if (g.required === undefined || typed(g.unless).length > 0) continue;
    const present = typed(g.group);
    if (g.required === 'all' ? present.length === g.group.length : present.length > 0) continue;
    throw new UsageError(
      g.required === 'all'
        ? `${command.name} needs ${flagList(g.group, 'and')}`
        : g.what !== undefined
          ? `${command.name} needs at least one ${g.what}: ${flagList(g.group, 'or')}`
          : `${command.name} needs one of ${flagList(g.group, 'or')}`,
    );
  }
  const notes: string[] = [];
  for (const r of relations) {
    if (!r.note) continue;
    for (const name of typed(r.options)) {
      if (r.requires !== undefined && typed(r.requires).length > 0) continue;
      const rule =
        r.says ??
        (r.requires ? `has no effect without ${flagList(r.requires, 'or')}` : 'is ignored');
      notes.push(`${longFlag(name)} ${rule}`);
    }
  }
  return notes;
}

/**
 * What the relations say of one option in one command, for its help line and README row:
 * `with --input only`, `excludes --p, --logit`, `no effect without --neg`.
 */
export function relationNotes(command: CommandSpec, name: OptionName): string[] {
  const relations = relationsOf(command);
  const has = new Set<OptionName>([...command.options, ...SHARED_OPTIONS]);
  const ignored = relations
    .filter((r) => r.note && !r.requires && r.options.includes(name))
    .map((r) => r.says ?? 'ignored here');
  const requires = relations
    .filter((r) => r.requires && r.options.includes(name))
    .map(
      (r) =>
        `${r.note ? 'no effect without' : 'with'} ${flagList(r.requires ?? [], 'or')}${r.note ? '' : ' only'}`,
    );
  const excluded = new Set<OptionName>();
  for (const r of relations.concat((command.groups ?? []).flatMap(exclusions))) {
    if (r.note || r.conflicts === undefined) continue;
    if (r.options.includes(name)) for (const other of r.conflicts) excluded.add(other);
    if (r.conflicts.includes(name)) for (const other of r.options) excluded.add(other);
  }
  const excludes = [...excluded].filter((other) => other !== name && has.has(other));
  return [
    ...ignored,
    ...requires,
    ...(excludes.length > 0 ? [`excludes ${excludes.map(longFlag).join(', ')}`] : []),
  ];
}
