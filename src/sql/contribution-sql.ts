/**
 * `focal sql`: the query that computes `focal contribution --input`'s table inside a SQL engine
 * (issue 19, item 3). Pure text building: no engine, no CLI. Numerics as math.md asks: CE from a
 * logit as softplus(−x_t) = max(−x_t, 0) + log1p(e^−|x_t|), (1 − p_t)^γ as e^(−γ·softplus(x_t))
 * (never 1 − σ(x)), log1p where the engine lacks it by the rounding-exact form
 * `u·ln(1 + u)/((1 + u) − 1)`, p_t = 0 as an infinite CE counted apart (the limit rule shares
 * it), compensated sums where the engine has them (DuckDB's fsum).
 */

import { binOf } from '../core/loss-histogram.js';

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
  /**
   * The positive label (`--pos-label`): a number matches as a number, true/false in any case, a
   * word exactly (trimmed); every other label is negative.
   */
  readonly posLabel?: string;
  /** The column of sample weights (`--weight-col`): a row's weight multiplies its loss and count. */
  readonly weightCol?: string;
  /** With `--cdf`: the top fractions, in the order of the output (the query then gives those rows). */
  readonly cdf?: readonly number[];
}

export interface Syntax {
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
  /** log2(a) for a ≥ 1, and the integer type of bin numbers. */
  log2(a: string): string;
  integer: string;
  /** The text type, and a string literal. */
  text: string;
  string(value: string): string;
}

const doubledQuotes = (value: string) => `'${value.replaceAll("'", "''")}'`;
const backslashed = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

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

export const SYNTAX: Record<Dialect, Syntax> = {
  duckdb: {
    quote: (n) => `"${n.replaceAll('"', '""')}"`,
    double: 'DOUBLE',
    ln: 'LN',
    sum: 'FSUM',
    infinity: "CAST('inf' AS DOUBLE)",
    log1p: exactLog1p,
    values: valuesList,
    ...plain,
    log2: (a) => `LOG2(${a})`,
    integer: 'BIGINT',
    text: 'VARCHAR',
    string: doubledQuotes,
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
    log2: (a) => `(LN(${a}) / LN(2))`,
    integer: 'BIGINT',
    text: 'TEXT',
    string: doubledQuotes,
  },
  spark: {
    quote: (n) => `\`${n.replaceAll('`', '``')}\``,
    double: 'DOUBLE',
    ln: 'LN',
    sum: 'SUM',
    infinity: "CAST('Infinity' AS DOUBLE)",
    log1p: (u) => `LOG1P(${u})`,
    ...plain,
    log2: (a) => `LOG2(${a})`,
    integer: 'BIGINT',
    text: 'STRING',
    string: backslashed,
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
    log2: (a) => `LOG(${a}, 2)`,
    integer: 'INT64',
    text: 'STRING',
    string: backslashed,
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

/** y: 1, 0 or NULL (the row is left out), from the label column as focal reads it. */
function labelOf(q: ContributionQuery, s: Syntax): string {
  const column = s.quote(q.labelCol);
  const number = `CAST(${column} AS ${s.double})`;
  if (q.posLabel === undefined) return `CASE ${number} WHEN 1 THEN 1 WHEN 0 THEN 0 END`;
  const text = q.posLabel.trim();
  const value = Number(text);
  const lower = text.toLowerCase();
  const word = `TRIM(CAST(${column} AS ${s.text}))`;
  const positive = !Number.isNaN(value)
    ? `${number} = ${real(value, s)}`
    : lower === 'true' || lower === 'false'
      ? `LOWER(${word}) = ${s.string(lower)}`
      : `${word} = ${s.string(text)}`;
  return `CASE WHEN ${column} IS NULL THEN NULL WHEN ${positive} THEN 1 ELSE 0 END`;
}

/** The per-row columns y, pt, ce (natural; NULL when infinite) and the (1 − p_t)^γ factor. */
function perRow(
  q: ContributionQuery,
  s: Syntax,
): { rows: string; factor: (g: string) => string; xt: string } {
  const score = `CAST(${s.quote(q.scoreCol)} AS ${s.double})`;
  // With --weight-col: w, the row's weight; rows of weight 0, NULL, NaN, ∞ or below 0 are left out.
  const weighted = q.weightCol !== undefined;
  const weight = weighted ? `, CAST(${s.quote(q.weightCol as string)} AS ${s.double}) AS w` : '';
  const w = weighted ? ' w,' : '';
  const positive = weighted ? ` AND w > 0 AND w < ${s.infinity}` : '';
  const labelled = `  SELECT ${score} AS v, ${labelOf(q, s)} AS y${weight}\n  FROM ${q.table}`;
  if (q.scoreKind === 'logit') {
    // x_t = y'·x; u = e^−|x_t| in (0, 1]; softplus(±x_t) = max(±x_t, 0) + log1p(u).
    return {
      rows: [
        `labelled AS (\n${labelled}\n)`,
        `true_class AS (\n  SELECT y,${w} xt, ${s.exp('-ABS(xt)')} AS u\n  FROM (SELECT y,${w} CASE WHEN y = 1 THEN v ELSE -v END AS xt FROM labelled WHERE y IS NOT NULL AND v IS NOT NULL${positive}) AS l\n)`,
        `per_row AS (\n  SELECT y,${w}\n    CASE WHEN xt >= 0 THEN 1 / (1 + u) ELSE u / (1 + u) END AS pt,\n    GREATEST(-xt, 0) + ${s.log1p('u')} AS ce,\n    GREATEST(xt, 0) + ${s.log1p('u')} AS sp\n  FROM true_class\n)`,
      ].join(',\n'),
      // (1 − p_t)^γ = e^(−γ·softplus(x_t))
      factor: (g) => s.exp(`-${s.mul(g, 'r.sp')}`),
      // focal bins by ln p_t − ln(1 − p_t) = −CE + softplus(x_t), as it computes them.
      xt: 'r.sp - r.ce',
    };
  }
  // From p: y = 1: p_t = p, CE = −ln p; y = 0: p_t = 1 − p, CE = −log1p(−p), 1 − p_t = p.
  // p_t = 0 (CE = ∞) gives NULL, counted apart; the logarithms never see 0.
  return {
    rows: [
      `labelled AS (\n${labelled}\n)`,
      `true_class AS (\n  SELECT y, v,${w}\n    CASE WHEN y = 1 THEN v ELSE 1 - v END AS pt,\n    CASE WHEN y = 1 THEN 1 - v ELSE v END AS omp,\n    CASE WHEN y = 0 AND v < 1 THEN -v ELSE 0 END AS u\n  FROM labelled\n  WHERE y IS NOT NULL AND v IS NOT NULL AND v >= 0 AND v <= 1${positive}\n)`,
      `per_row AS (\n  SELECT y,${w} pt, omp,\n    CASE WHEN pt = 0 THEN NULL\n      WHEN y = 1 THEN -${s.ln}(CASE WHEN v = 0 THEN 1 ELSE v END)\n      ELSE -(${s.log1p('u')}) END AS ce${
        q.cdf === undefined
          ? ''
          : `,\n    CASE WHEN omp = 0 THEN NULL\n      WHEN y = 1 THEN ${s.log1p('-v')}\n      ELSE ${s.ln}(v) END AS l1m`
      }\n  FROM true_class\n)`,
    ].join(',\n'),
    factor: (g) =>
      q.dialect === 'postgres'
        ? `(CASE WHEN r.omp = 0 THEN 0 ELSE ${s.exp(s.mul(g, 'LN(r.omp)'))} END)`
        : `POWER(r.omp, ${g})`,
    // ln p_t − ln(1 − p_t) as focal bins it; NULL (+∞ there) where 1 − p_t = 0.
    xt: '-r.ce - r.l1m',
  };
}

/**
 * The query: columns alpha, gamma, loss, group, y, count, pt, per_example, total, share, as
 * `focal contribution --input FILE -f csv` prints them (α none and NaN as NULL).
 */
export function contributionSql(q: ContributionQuery): string {
  const s = SYNTAX[q.dialect];
  const { rows, factor, xt } = perRow(q, s);
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
  const t = tallying(q, s);
  const flTerm = `CASE WHEN st.gamma = 0 THEN ${t.times('r.ce')} ELSE ${s.mul(factor('st.gamma'), t.times('r.ce'))} END`;
  if (q.cdf !== undefined) {
    const tops = s.values(
      'tops',
      ['top_order', 'top_fraction'],
      q.cdf.map((t, i) => [String(i + 1), real(t, s)]),
    );
    return `-- focal sql --cdf (${q.dialect}): the table of focal contribution --input … --cdf -f csv
WITH
${[settings, losses, groups, tops, rows, cdfPart(s, xt, flTerm, t)].join(',\n')}
${CDF_SELECT(s)};
`;
  }
  const sums = `sums AS (
  SELECT st.setting, r.y,
    ${t.count} AS n,
    ${s.sum}(${t.times('r.pt')}) AS pt_sum,
    ${s.sum}(${t.times('r.ce')}) AS ce_sum,
    ${t.infinite} AS n_inf,
    ${s.sum}(${flTerm}) AS fl_sum
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

// focal's bins over the true-class logit (src/core/loss-histogram.ts, binOf): 1/256 wide for
// |x_t| ≤ 16, 1/64 of an octave of |x_t| up to 4096, one bin beyond on each side.
const CORE_LIMIT = 16;
const CORE_PER_UNIT = 256;
const TAIL_BINS = 64 * 8;
const CORE_BINS = 2 * CORE_LIMIT * CORE_PER_UNIT;
const LAST_BIN = 2 * TAIL_BINS + CORE_BINS - 1;

/** The double next to x > 0, upwards or downwards. */
function nextDouble(x: number, up: boolean): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (up ? 1n : -1n));
  return view.getFloat64(0);
}

let tailEdges: number[] | undefined;

/**
 * The tail bins' edges as focal draws them: for k in 0..511, the least |x_t| > 16 that focal's
 * binOf puts in tail bin k or further (16 for k = 0). An engine's log2 may differ from
 * Math.log2 in the last digit, which moves x_t next to an edge into the next bin; the query
 * takes log2's bin and corrects it by these edges, so every bin is focal's.
 */
function edgesOfTail(): number[] {
  if (tailEdges === undefined) {
    const k = (a: number) => binOf(a) - TAIL_BINS - CORE_BINS;
    tailEdges = [CORE_LIMIT];
    for (let i = 1; i < TAIL_BINS; i++) {
      let x = CORE_LIMIT * 2 ** (i / 64);
      while (k(x) >= i) x = nextDouble(x, false);
      while (k(x) < i) x = nextDouble(x, true);
      tailEdges.push(x);
    }
  }
  return tailEdges;
}

/**
 * The bin of x_t (NULL: +∞, the last bin) in SQL, as focal's binOf computes it, from x_t and
 * the tail index k0 (log2's, ±1) joined with its edges `e` (lo, hi).
 */
export function binSql(expression: string, s: Syntax): string {
  const x = `(${expression})`;
  const k = `(e.k + CASE WHEN e.hi IS NOT NULL AND ABS(${x}) >= e.hi THEN 1 WHEN ABS(${x}) < e.lo THEN -1 ELSE 0 END)`;
  return `CAST(CASE WHEN ${x} IS NULL THEN ${LAST_BIN}
      WHEN ${x} >= -${CORE_LIMIT} AND ${x} <= ${CORE_LIMIT}
        THEN ${TAIL_BINS} + LEAST(FLOOR((${x} + ${CORE_LIMIT}) * ${CORE_PER_UNIT}), ${CORE_BINS - 1})
      WHEN ${x} < 0 THEN ${TAIL_BINS - 1} - ${k}
      ELSE ${TAIL_BINS + CORE_BINS} + ${k} END AS ${s.integer})`;
}

/** log2's tail index of x_t (±1 from focal's), NULL in the core. */
export function tailIndexSql(expression: string, s: Syntax): string {
  const x = `(${expression})`;
  return `CASE WHEN ABS(${x}) > ${CORE_LIMIT} THEN CAST(GREATEST(0, LEAST(${TAIL_BINS - 1}, FLOOR(${s.log2(`ABS(${x}) / ${CORE_LIMIT}`)} * 64))) AS ${s.integer}) END`;
}

/** The CTE of the tail edges: k, lo (its least |x_t|), hi (the next one's; NULL for the last). */
export function tailEdgesSql(s: Syntax): string {
  const edges = edgesOfTail();
  const literal = (x: number) => `CAST('${String(x)}' AS ${s.double})`;
  return s.values(
    'tail_edges',
    ['k', 'lo', 'hi'],
    edges.map((lo, i) => {
      const hi = edges[i + 1];
      return [String(i), literal(lo), hi === undefined ? `CAST(NULL AS ${s.double})` : literal(hi)];
    }),
  );
}

/**
 * The CTEs of `--cdf`: each group's examples binned by x_t as focal bins them (counts and loss
 * sums per bin), running sums over the bins hardest first, and the bin where each top fraction
 * falls; p_t = 0 (CE = ∞) is counted apart, as focal does.
 */
function cdfPart(s: Syntax, xt: string, flTerm: string, t: Tallying): string {
  const d = s.double;
  const before = `PARTITION BY setting, loss_order, y ORDER BY bin ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING`;
  return [
    tailEdgesSql(s),
    `with_x AS (
  SELECT r.*, ${xt} AS x_t, ${tailIndexSql(xt, s)} AS k0
  FROM per_row AS r
  WHERE r.ce IS NOT NULL
)`,
    `binned AS (
  SELECT r.*, ${binSql('r.x_t', s)} AS bin
  FROM with_x AS r
  LEFT JOIN tail_edges AS e ON e.k = r.k0
)`,
    `infinite AS (
  SELECT r.y, ${t.infinite} AS n_inf
  FROM per_row AS r
  GROUP BY r.y
)`,
    `bins AS (
  SELECT st.setting, r.y, r.bin, ${t.count} AS n, ${s.sum}(${t.times('r.ce')}) AS ce_sum,
    ${s.sum}(${flTerm}) AS fl_sum
  FROM binned AS r CROSS JOIN settings AS st
  GROUP BY st.setting, r.y, r.bin
)`,
    `loss_bins AS (
  SELECT b.setting, l.loss_order, b.y, b.bin, CAST(b.n AS ${d}) AS n,
    CASE WHEN l.loss = 'fl' THEN b.fl_sum ELSE b.ce_sum END AS l
  FROM bins AS b CROSS JOIN losses AS l
)`,
    `running AS (
  SELECT setting, loss_order, y, bin, n, l,
    COALESCE(SUM(n) OVER (${before}), 0) AS seen,
    COALESCE(${s.sum}(l) OVER (${before}), 0) AS carried
  FROM loss_bins
)`,
    `group_totals AS (
  SELECT setting, loss_order, y, SUM(n) AS binned_n, ${s.sum}(l) AS loss_total
  FROM loss_bins
  GROUP BY setting, loss_order, y
)`,
    `targets AS (
  SELECT st.setting, st.alpha, st.gamma, l.loss_order, l.loss, g.grp, g.y, t.top_order,
    t.top_fraction,
    CASE WHEN l.loss <> 'ce' AND st.alpha IS NOT NULL
      AND (CASE WHEN g.y = 1 THEN st.alpha ELSE 1 - st.alpha END) = 0 THEN 1 ELSE 0 END AS no_weight,
    CAST(COALESCE(i.n_inf, 0) AS ${d}) AS n_inf,
    CAST(COALESCE(i.n_inf, 0) AS ${d}) + COALESCE(gt.binned_n, 0) AS n_all,
    COALESCE(gt.loss_total, 0) AS loss_total,
    t.top_fraction * (CAST(COALESCE(i.n_inf, 0) AS ${d}) + COALESCE(gt.binned_n, 0)) AS target
  FROM settings AS st CROSS JOIN losses AS l CROSS JOIN label_groups AS g CROSS JOIN tops AS t
  LEFT JOIN infinite AS i ON i.y = g.y
  LEFT JOIN group_totals AS gt
    ON gt.setting = st.setting AND gt.loss_order = l.loss_order AND gt.y = g.y
)`,
    `shares AS (
  SELECT tg.*, rn.seen, rn.carried, rn.n, rn.l,
    CASE WHEN tg.no_weight = 1 OR tg.n_all = 0 OR (tg.n_inf = 0 AND tg.loss_total = 0) THEN NULL
      WHEN tg.n_inf > 0 THEN LEAST(tg.target, tg.n_inf) / tg.n_inf
      WHEN tg.top_fraction >= 1 OR rn.n IS NULL THEN CAST(1 AS ${d})
      ELSE LEAST(CAST(1 AS ${d}), ${s.div(
        `(rn.carried + ${s.mul(`((tg.target - rn.seen) / rn.n)`, 'rn.l')})`,
        'tg.loss_total',
      )}) END AS loss_share
  FROM targets AS tg
  LEFT JOIN running AS rn
    ON rn.setting = tg.setting AND rn.loss_order = tg.loss_order AND rn.y = tg.y
    AND (rn.seen < tg.target OR rn.seen = 0) AND rn.seen + rn.n >= tg.target
)`,
  ].join(',\n');
}

const CDF_SELECT = (
  s: Syntax,
) => `SELECT alpha, gamma, loss, grp AS ${s.quote('group')}, top_fraction, loss_share
FROM shares
ORDER BY setting, loss_order, y, top_order`;

interface Tallying {
  /** The count of a group's rows r (the sum of their weights), and of those with CE = ∞. */
  readonly count: string;
  readonly infinite: string;
  /** A row's x times its weight (x itself unweighted). */
  times(x: string): string;
}

/** Counts and sums as plain counts, or weighted by the rows' w (`--weight-col`). */
function tallying(q: ContributionQuery, s: Syntax): Tallying {
  if (q.weightCol === undefined) {
    return { count: 'COUNT(*)', infinite: 'COUNT(*) - COUNT(r.ce)', times: (x) => x };
  }
  return {
    count: `${s.sum}(r.w)`,
    infinite: `${s.sum}(CASE WHEN r.ce IS NULL THEN r.w ELSE 0 END)`,
    times: (x) => s.mul('r.w', x),
  };
}
