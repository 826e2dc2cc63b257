/**
 * `focal sql`: the query that computes `focal contribution --input`'s table inside a SQL engine
 * (issue 19, item 3). Pure text building: no engine, no CLI. Numerics as math.md asks: CE from a
 * logit as softplus(−x_t) = max(−x_t, 0) + log1p(e^−|x_t|), (1 − p_t)^γ as e^(−γ·softplus(x_t))
 * (never 1 − σ(x)), log1p where the engine lacks it by the rounding-exact form
 * `u·ln(1 + u)/((1 + u) − 1)`, p_t = 0 as an infinite CE counted apart (the limit rule shares
 * it), compensated sums where the engine has them (DuckDB's fsum).
 */

export type Dialect = 'duckdb' | 'postgres' | 'spark' | 'bigquery';
export const DIALECTS: readonly Dialect[] = ['duckdb', 'postgres', 'spark', 'bigquery'];

export interface ContributionQuery {
  /** A table name or any table expression the engine takes, inserted as written. */
  readonly table: string;
  readonly scoreCol: string;
  readonly scoreKind: 'p' | 'logit';
  readonly labelCol: string;
  /** α of each setting (null: none) with its γ, in the order of the output. */
  readonly settings: readonly (readonly [number | null, number])[];
  /** ln of the log base (1 for natural logarithms). */
  readonly lnBase: number;
  /** Also the α-balanced CE (loss ce_alpha). */
  readonly balancedCe: boolean;
  readonly dialect: Dialect;
}

interface Syntax {
  quote(name: string): string;
  double: string;
  ln: string;
  sum: string;
  infinity: string;
  log1p(u: string): string;
  /** A CTE holding literal rows. */
  values(name: string, columns: readonly string[], rows: readonly (readonly string[])[]): string;
  /** a·b, a/b and e^a where a result below the doubles is 0 (PostgreSQL raises an error there). */
  mul(a: string, b: string): string;
  div(a: string, b: string): string;
  exp(a: string): string;
}

const plain = {
  mul: (a: string, b: string) => `${a} * ${b}`,
  div: (a: string, b: string) => `${a} / ${b}`,
  exp: (a: string) => `EXP(${a})`,
};

const exactLog1p = (u: string) =>
  `CASE WHEN 1 + ${u} = 1 THEN ${u} ELSE LN(1 + ${u}) * ${u} / ((1 + ${u}) - 1) END`;

const valuesList = (
  name: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
) =>
  `${name} (${columns.join(', ')}) AS (\n  VALUES\n${rows.map((r) => `    (${r.join(', ')})`).join(',\n')}\n)`;

const SYNTAX: Record<Dialect, Syntax> = {
  duckdb: {
    quote: (n) => `"${n.replaceAll('"', '""')}"`,
    double: 'DOUBLE',
    ln: 'LN',
    sum: 'FSUM',
    infinity: "CAST('inf' AS DOUBLE)",
    log1p: exactLog1p,
    values: valuesList,
    ...plain,
  },
  postgres: {
    quote: (n) => `"${n.replaceAll('"', '""')}"`,
    double: 'DOUBLE PRECISION',
    ln: 'LN',
    sum: 'SUM',
    infinity: "CAST('Infinity' AS DOUBLE PRECISION)",
    log1p: exactLog1p,
    values: valuesList,
    // PostgreSQL's float8 arithmetic raises "value out of range: underflow" where a result
    // rounds to 0 from nonzero operands: below e^−745 the result is 0, as in the other engines.
    mul: (a, b) =>
      `(CASE WHEN ${a} = 0 OR ${b} = 0 OR LN(ABS(${a})) + LN(ABS(${b})) > -745 THEN ${a} * ${b} ELSE 0 END)`,
    div: (a, b) =>
      `(CASE WHEN ${b} IS NULL THEN NULL WHEN ${a} = 0 OR LN(ABS(${a})) - LN(ABS(${b})) > -745 THEN ${a} / ${b} ELSE 0 END)`,
    exp: (a) => `(CASE WHEN ${a} < -745 THEN 0 ELSE EXP(${a}) END)`,
  },
  spark: {
    quote: (n) => `\`${n.replaceAll('`', '``')}\``,
    double: 'DOUBLE',
    ln: 'LN',
    sum: 'SUM',
    infinity: "CAST('Infinity' AS DOUBLE)",
    log1p: (u) => `LOG1P(${u})`,
    ...plain,
    values: (name, columns, rows) =>
      `${name} AS (\n  SELECT * FROM VALUES\n${rows.map((r) => `    (${r.join(', ')})`).join(',\n')}\n  AS t(${columns.join(', ')})\n)`,
  },
  bigquery: {
    quote: (n) => `\`${n.replaceAll('`', '\\`')}\``,
    double: 'FLOAT64',
    ln: 'LN',
    sum: 'SUM',
    infinity: "CAST('inf' AS FLOAT64)",
    log1p: exactLog1p,
    ...plain,
    values: (name, columns, rows) =>
      `${name} AS (\n  SELECT * FROM UNNEST([\n${rows
        .map((r) => `    STRUCT(${r.map((v, i) => `${v} AS ${columns[i]}`).join(', ')})`)
        .join(',\n')}\n  ])\n)`,
  },
};

/** A double as a literal that reads back to the same double. */
function real(x: number | null, s: Syntax): string {
  return x === null ? `CAST(NULL AS ${s.double})` : `CAST(${String(x)} AS ${s.double})`;
}

/** The per-row columns y, pt, ce (natural; NULL when infinite) and the (1 − p_t)^γ factor. */
function perRow(q: ContributionQuery, s: Syntax): { rows: string; factor: (g: string) => string } {
  const score = `CAST(${s.quote(q.scoreCol)} AS ${s.double})`;
  const label = `CAST(${s.quote(q.labelCol)} AS ${s.double})`;
  const labelled = `  SELECT ${score} AS v, CASE ${label} WHEN 1 THEN 1 WHEN 0 THEN 0 END AS y\n  FROM ${q.table}`;
  if (q.scoreKind === 'logit') {
    // x_t = y'·x; u = e^−|x_t| in (0, 1]; softplus(±x_t) = max(±x_t, 0) + log1p(u).
    return {
      rows: [
        `labelled AS (\n${labelled}\n)`,
        `true_class AS (\n  SELECT y, xt, ${s.exp('-ABS(xt)')} AS u\n  FROM (SELECT y, CASE WHEN y = 1 THEN v ELSE -v END AS xt FROM labelled WHERE y IS NOT NULL AND v IS NOT NULL) AS l\n)`,
        `per_row AS (\n  SELECT y,\n    CASE WHEN xt >= 0 THEN 1 / (1 + u) ELSE u / (1 + u) END AS pt,\n    GREATEST(-xt, 0) + ${s.log1p('u')} AS ce,\n    GREATEST(xt, 0) + ${s.log1p('u')} AS sp\n  FROM true_class\n)`,
      ].join(',\n'),
      // (1 − p_t)^γ = e^(−γ·softplus(x_t))
      factor: (g) => s.exp(`-${s.mul(g, 'r.sp')}`),
    };
  }
  // From p: y = 1: p_t = p, CE = −ln p; y = 0: p_t = 1 − p, CE = −log1p(−p), 1 − p_t = p.
  // p_t = 0 (CE = ∞) gives NULL, counted apart; the logarithms never see 0.
  return {
    rows: [
      `labelled AS (\n${labelled}\n)`,
      `true_class AS (\n  SELECT y, v,\n    CASE WHEN y = 1 THEN v ELSE 1 - v END AS pt,\n    CASE WHEN y = 1 THEN 1 - v ELSE v END AS omp,\n    CASE WHEN y = 0 AND v < 1 THEN -v ELSE 0 END AS u\n  FROM labelled\n  WHERE y IS NOT NULL AND v IS NOT NULL AND v >= 0 AND v <= 1\n)`,
      `per_row AS (\n  SELECT y, pt, omp,\n    CASE WHEN pt = 0 THEN NULL\n      WHEN y = 1 THEN -${s.ln}(CASE WHEN v = 0 THEN 1 ELSE v END)\n      ELSE -(${s.log1p('u')}) END AS ce\n  FROM true_class\n)`,
    ].join(',\n'),
    factor: (g) =>
      q.dialect === 'postgres'
        ? `(CASE WHEN r.omp = 0 THEN 0 ELSE ${s.exp(s.mul(g, 'LN(r.omp)'))} END)`
        : `POWER(r.omp, ${g})`,
  };
}

/**
 * The query: columns alpha, gamma, loss, group, y, count, pt, per_example, total, share, as
 * `focal contribution --input FILE -f csv` prints them (α none and NaN as NULL).
 */
export function contributionSql(q: ContributionQuery): string {
  const s = SYNTAX[q.dialect];
  const { rows, factor } = perRow(q, s);
  const settings = s.values(
    'settings',
    ['setting', 'alpha', 'gamma'],
    q.settings.map(([a, g], i) => [String(i + 1), real(a, s), real(g, s)]),
  );
  const lossNames = q.balancedCe ? ['ce', 'ce_alpha', 'fl'] : ['ce', 'fl'];
  const losses = s.values(
    'losses',
    ['loss_order', 'loss'],
    lossNames.map((l, i) => [String(i + 1), `'${l}'`]),
  );
  const groups = s.values(
    'label_groups',
    ['y', 'grp'],
    [
      ['0', "'neg'"],
      ['1', "'pos'"],
    ],
  );
  const d = s.double;
  const sums = `sums AS (
  SELECT st.setting, r.y,
    COUNT(*) AS n,
    ${s.sum}(r.pt) AS pt_sum,
    ${s.sum}(r.ce) AS ce_sum,
    COUNT(*) - COUNT(r.ce) AS n_inf,
    ${s.sum}(CASE WHEN st.gamma = 0 THEN r.ce ELSE ${s.mul(factor('st.gamma'), 'r.ce')} END) AS fl_sum
  FROM per_row AS r CROSS JOIN settings AS st
  GROUP BY st.setting, r.y
)`;
  const figures = `figures AS (
  SELECT st.setting, st.alpha, st.gamma, l.loss_order, l.loss, g.grp, g.y,
    COALESCE(m.n, 0) AS n, m.pt_sum, COALESCE(m.n_inf, 0) AS n_inf,
    CASE WHEN l.loss = 'ce' OR st.alpha IS NULL THEN CAST(1 AS ${d})
      WHEN g.y = 1 THEN st.alpha ELSE 1 - st.alpha END AS factor,
    CASE WHEN l.loss = 'fl' THEN m.fl_sum ELSE m.ce_sum END AS natural_sum
  FROM settings AS st CROSS JOIN losses AS l CROSS JOIN label_groups AS g
  LEFT JOIN sums AS m ON m.setting = st.setting AND m.y = g.y
)`;
  const totals = `totals AS (
  SELECT f.*,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN 1 ELSE 0 END AS infinite,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN ${s.infinity}
      WHEN f.factor = 0 OR f.n = 0 THEN CAST(0 AS ${d})
      ELSE ${s.div(s.mul('f.factor', 'f.natural_sum'), real(q.lnBase, s))} END AS total
  FROM figures AS f
)`;
  const w = 'PARTITION BY setting, loss_order';
  const select = `SELECT alpha, gamma, loss, grp AS ${s.quote('group')}, y, n AS ${s.quote('count')},
  ${s.div('pt_sum', `NULLIF(CAST(n AS ${d}), 0)`)} AS pt,
  CASE WHEN n = 0 THEN NULL ELSE ${s.div('total', `CAST(n AS ${d})`)} END AS per_example,
  total,
  CASE WHEN SUM(infinite) OVER (${w}) > 0
    THEN CAST(infinite * n_inf AS ${d}) / CAST(SUM(infinite * n_inf) OVER (${w}) AS ${d})
    ELSE ${s.div('total', `NULLIF(SUM(total) OVER (${w}), 0)`)}
  END AS share
FROM totals
ORDER BY setting, loss_order, y`;
  return `-- focal sql (${q.dialect}): the table of focal contribution --input … -f csv
WITH
${[settings, losses, groups, rows, sums, figures, totals].join(',\n')}
${select};
`;
}
