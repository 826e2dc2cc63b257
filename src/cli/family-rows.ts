/**
 * The rows of `--loss` (issue 18) in `loss`, `weight` and `contribution`: one row per loss of
 * the family, setting of its parameters and example (or group), in that order (the loss
 * slowest, like α then γ). Loaded only when `--loss` is given.
 */
import { LossReducer } from '../core/reduction.js';
import type { Label } from '../core/true-class.js';
import { UsageError } from '../errors.js';
import type { Column, Row, RowSet } from '../format/formats.js';
import {
  type ClassCounts,
  FAMILY_LEAD,
  type FamilyExample,
  type FamilyMember,
  type FamilyOptions,
  familyExample,
  familyMembers,
  noteUnusedParameters,
  softTargetProblem,
} from './family.js';
import { GROUP_COLUMNS } from './group-columns.js';
import type { ExampleInput } from './loss-rows.js';
import type { FamilyName, GroupSpec, Reduction } from './options.js';
import type { ValueList } from './values.js';

/** What a command tells the family: its notes and the options the user typed. */
interface Context {
  readonly given: ReadonlySet<string>;
  note(text: string): void;
}

/** --neg and --pos as the class counts of cb-fl, when both are given. */
export function countsOf(o: { neg?: number; pos?: number }): ClassCounts | undefined {
  return o.neg !== undefined && o.pos !== undefined ? { neg: o.neg, pos: o.pos } : undefined;
}

function membersOf(
  names: readonly FamilyName[],
  o: FamilyOptions,
  counts: ClassCounts | undefined,
  context: Context,
): FamilyMember[] {
  noteUnusedParameters(names, context.given, (text) => context.note(text));
  return familyMembers(names, o, counts, (text) => context.note(text));
}

/**
 * Soft targets, before any row: each one must be for losses that take it, from p or a logit.
 * (The labels are one for all examples or one per example: at most as many as the examples.)
 */
function checkTargets(
  names: readonly FamilyName[],
  input: ExampleInput,
  count: number,
  labelOf: (index: number) => number,
): void {
  for (let i = 0; i < count; i++) {
    const target = labelOf(i);
    if (target === 0 || target === 1) continue;
    const problem = softTargetProblem(names, target);
    if (problem !== undefined) throw new UsageError(problem);
    familyExample(input, 0.5, target); // p_t cannot take it: the error says so
    return;
  }
}

/** The columns of `--reduce` under `--loss`: one row per member, its count and its value. */
export function familyReduceColumns(grad: boolean): Column[] {
  return [
    ...FAMILY_LEAD,
    { name: 'reduce', kind: 'text' },
    { name: 'n', kind: 'integer' },
    { name: 'n_pos', kind: 'integer' },
    { name: 'value', kind: 'real' },
    ...(grad ? [{ name: 'grad', kind: 'real' } as const] : []),
  ];
}

/** The columns of `loss --loss`: loss, params, y, the score as given, p_t, value, weight, grad. */
export function familyLossColumns(input: ExampleInput, grad: boolean): Column[] {
  return [
    ...FAMILY_LEAD,
    { name: 'y', kind: 'integer' },
    ...(input === 'pt' ? [] : [{ name: input, kind: 'real' } as const]),
    { name: 'pt', kind: 'real' },
    { name: 'value', kind: 'real' },
    { name: 'weight', kind: 'real' },
    ...(grad ? [{ name: 'grad', kind: 'real' } as const] : []),
  ];
}

/**
 * Where a sample weight multiplies a `loss --loss` row (`value`, `grad`), as WEIGHTED_COLUMNS
 * does the default columns (torch's `weight` of BCE); `weight` stays the loss over CE.
 */
export function familyWeightedAt(columns: readonly Column[]): number[] {
  return columns.flatMap((c, j) => (c.name === 'value' || c.name === 'grad' ? [j] : []));
}

/**
 * `row` multiplied at `at` by the sample weight `w` (0 times an infinite loss is 0, as in
 * `contribution`), with `w` appended: the column `sample_weight`.
 */
export function weighRow(row: Row, at: readonly number[], w: number): Row {
  const out = [...row, w];
  for (const j of at) out[j] = w === 0 ? 0 : w * (out[j] as number);
  return out;
}

/** A soft target's p_t as the default columns give it: p·q + (1 − p)(1 − q). */
function softPt(e: FamilyExample): number {
  const { positive, negative, target: q } = e.soft;
  return positive.pt * q + negative.pt * (1 - q);
}

/** One row of `loss --loss`: `member` on the example `e`, given as `x` (and `y`). */
export function familyLossRow(
  member: FamilyMember,
  e: FamilyExample,
  input: ExampleInput,
  x: number,
  y: number,
  grad: boolean,
): Row {
  return [
    member.loss,
    member.params,
    y,
    ...(input === 'pt' ? [] : [x]),
    e.hard ? e.tc.pt : softPt(e),
    member.value(e),
    member.weight(e),
    ...(grad ? [member.grad(e)] : []),
  ];
}

/** `focal loss --loss LIST` on lists of examples, per example or reduced. */
export function familyLossRows(
  names: readonly FamilyName[],
  o: FamilyOptions & { grad: boolean; reduce: Reduction; neg?: number; pos?: number },
  input: ExampleInput,
  examples: ValueList<number>,
  labelOf: (index: number) => number,
  context: Context,
): RowSet {
  const members = membersOf(names, o, countsOf(o), context);
  checkTargets(names, input, examples.length, labelOf);
  const grad = o.grad;
  if (o.reduce !== 'none') {
    const how = o.reduce;
    const width = grad ? 2 : 1;
    function* reduced(): Generator<Row> {
      for (const member of members) {
        const reducer = new LossReducer(width);
        const values = new Float64Array(width);
        let index = 0;
        for (const x of examples) {
          const y = labelOf(index++);
          const e = familyExample(input, x, y);
          values[0] = member.value(e);
          if (grad) values[1] = member.grad(e);
          reducer.add(values, e.y);
        }
        yield [
          member.loss,
          member.params,
          how,
          reducer.n,
          reducer.positives,
          ...reducer.reduced(how),
        ];
      }
    }
    return {
      columns: familyReduceColumns(grad),
      rowCount: members.length,
      rows: reduced(),
    };
  }
  function* rows(): Generator<Row> {
    for (const member of members) {
      let index = 0;
      for (const x of examples) {
        const y = labelOf(index++);
        yield familyLossRow(member, familyExample(input, x, y), input, x, y, grad);
      }
    }
  }
  return {
    columns: familyLossColumns(input, grad),
    rowCount: members.length * examples.length,
    rows: rows(),
  };
}

const WEIGHT_COLUMNS: readonly Column[] = [
  ...FAMILY_LEAD,
  { name: 'y', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'weight', kind: 'real' },
  { name: 'ce_over_loss', kind: 'real' },
];

/** `focal weight --loss LIST`: each loss relative to CE at each p_t, and CE over it. */
export function familyWeightRows(
  names: readonly FamilyName[],
  o: FamilyOptions & { neg?: number; pos?: number },
  examples: ValueList<number>,
  labelOf: (index: number) => number,
  context: Context,
): RowSet {
  const members = membersOf(names, o, countsOf(o), context);
  checkTargets(names, 'pt', examples.length, labelOf);
  function* rows(): Generator<Row> {
    for (const member of members) {
      let index = 0;
      for (const pt of examples) {
        const y = labelOf(index++);
        const weight = member.weight(familyExample('pt', pt, y));
        yield [member.loss, member.params, y, pt, weight, 1 / weight];
      }
    }
  }
  return { columns: WEIGHT_COLUMNS, rowCount: members.length * examples.length, rows: rows() };
}

const CONTRIBUTION_COLUMNS: readonly Column[] = [...FAMILY_LEAD, ...GROUP_COLUMNS];

function percent(share: number): string {
  return Number.isNaN(share) ? 'undefined (no loss)' : `${(share * 100).toFixed(2)}%`;
}

/**
 * Each group's total (count × per example, 0 × ∞ = 0) and share of the summed totals. Shares
 * follow the limit rule for infinite totals: the infinite groups share by their counts; NaN
 * where nothing carries loss. (Plain doubles: the family's groups are few, and a count × loss
 * past 1.8e308 is out of reach of any population this command describes.)
 */
function shares(
  groups: readonly GroupSpec[],
  perExample: readonly number[],
): { total: number; share: number }[] {
  const totals = groups.map((g, i) => {
    const per = perExample[i] as number;
    return g.count === 0 ? 0 : g.count * per;
  });
  const infinite = totals.map((t) => t === Number.POSITIVE_INFINITY);
  if (infinite.some(Boolean)) {
    const weight = groups.reduce((sum, g, i) => (infinite[i] ? sum + g.count : sum), 0);
    return totals.map((total, i) => ({
      total,
      share: infinite[i] ? (groups[i] as GroupSpec).count / weight : 0,
    }));
  }
  const sum = totals.reduce((a, b) => a + b, 0);
  return totals.map((total) => ({ total, share: sum === 0 ? Number.NaN : total / sum }));
}

/**
 * `focal contribution --loss LIST`: every group's loss under each loss of the family and
 * setting. cb-fl takes n_y from the groups (the sum of the counts of each label), unless the
 * population has none of a label, where w_y is not needed.
 */
export function familyContributionRows(
  names: readonly FamilyName[],
  o: FamilyOptions,
  groups: readonly GroupSpec[],
  context: Context,
): RowSet {
  const counted = (y: Label) => groups.reduce((n, g) => (g.y === y ? n + g.count : n), 0);
  const counts = { neg: counted(0), pos: counted(1) };
  const members = membersOf(names, o, counts, context);
  const examples = groups.map((g) => familyExample('pt', g.pt, g.y));
  const blocks = () =>
    members.map((member) => {
      const perExample = examples.map((e) => member.value(e));
      return { member, perExample, figures: shares(groups, perExample) };
    });
  function* rows(): Generator<Row> {
    for (const { member, perExample, figures } of blocks()) {
      for (const [i, g] of groups.entries()) {
        const { total, share } = figures[i] as { total: number; share: number };
        yield [
          member.loss,
          member.params,
          g.name,
          g.y,
          g.count,
          g.pt,
          perExample[i] as number,
          total,
          share,
        ];
      }
    }
  }
  return {
    columns: CONTRIBUTION_COLUMNS,
    rowCount: members.length * groups.length,
    rows: rows(),
    summary: () =>
      blocks().map(({ member, figures }) => {
        const share = figures.reduce(
          (sum, f, i) => ((groups[i] as GroupSpec).y === 1 ? sum + f.share : sum),
          0,
        );
        const setting = member.params === '' ? '' : ` (${member.params})`;
        return `${member.loss}${setting}: positives carry ${percent(share)}`;
      }),
  };
}
