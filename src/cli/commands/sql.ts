/**
 * `focal sql`: the query that computes `focal contribution --input`'s table inside a SQL engine
 * (DuckDB, PostgreSQL, Spark, BigQuery), for tables that never leave their warehouse. The query
 * builder (src/sql/contribution-sql.ts) is loaded only when this command runs.
 */
import { UsageError } from '../../errors.js';
import { command } from '../command.js';
import { alphaGamma } from '../sweep.js';

const SQL_OPTIONS = [
  'table',
  'scoreCol',
  'scoreKind',
  'labelCol',
  'balancedCe',
  'dialect',
  'cdf',
  'top',
  'weightCol',
  'posLabel',
] as const;

/** The kind of a score column told by its name, as `--input` tells it. */
const KIND_OF_NAME: Record<string, 'p' | 'logit'> = { p: 'p', prob: 'p', logit: 'logit' };

export const sqlCommand = command({
  name: 'sql',
  summary: 'the SQL query that computes the contribution table inside a database engine',
  question:
    'How do I get the table of focal contribution --input for a table that never leaves its warehouse?',
  options: SQL_OPTIONS,
  optionHelp: {
    scoreCol: { description: 'column of the scores', defaultText: 'p' },
    scoreKind: {
      description: 'what the score column holds: p (probability of the positive class) or logit',
      defaultText: 'from the column name: p, prob or logit',
    },
    labelCol: {
      description: 'column of the labels, 0 or 1 (other rows are left out; see --pos-label)',
      defaultText: 'y',
    },
    posLabel: {
      description:
        'the label of the positive class: a number, true/false or a word; every other label is negative',
      defaultText: 'the numbers 0 and 1',
    },
    format: { description: 'no effect: the query is printed as text', defaultText: 'none' },
  },
  examples: () => [
    {
      command: 'focal sql --table "read_parquet(\'preds.parquet\')" | duckdb',
      says: 'the contribution table of a Parquet file, computed by DuckDB',
    },
    {
      command:
        'focal sql --table eval.preds --score-col score --score-kind logit --label-col is_pos --dialect spark -g 0,2',
      says: 'a query to paste into spark.sql, for your own column names and two γ',
    },
    {
      command: 'focal sql --table "read_parquet(\'preds.parquet\')" --cdf --top 0.01,0.1 | duckdb',
      says: "the share of each group's loss its hardest 1% and 10% carry, as contribution --cdf",
    },
  ],
  async rows(o, context) {
    if (o.table === undefined) throw new UsageError('sql needs --table (the table to read)');
    const scoreCol = o.scoreCol ?? 'p';
    const scoreKind = o.scoreKind ?? KIND_OF_NAME[scoreCol.toLowerCase()];
    if (scoreKind === undefined) {
      throw new UsageError(
        `--score-kind: needed for the column ${scoreCol} (only p, prob and logit tell their kind)`,
      );
    }
    if (context.given.has('format'))
      context.note('--format has no effect: focal sql prints a query');
    const { contributionSql } = await import('../../sql/contribution-sql.js');
    const text = contributionSql({
      table: o.table,
      scoreCol,
      scoreKind,
      labelCol: o.labelCol ?? 'y',
      settings: [...alphaGamma(o.alpha, o.gamma)],
      lnBase: o.logBase.lnBase,
      balancedCe: o.balancedCe,
      dialect: o.dialect,
      ...(o.cdf ? { cdf: [...o.top] } : {}),
      ...(o.weightCol === undefined ? {} : { weightCol: o.weightCol }),
      ...(o.posLabel === undefined ? {} : { posLabel: o.posLabel }),
    });
    return { columns: [], rowCount: 0, rows: [], document: () => text };
  },
});
