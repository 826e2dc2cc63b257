-- focal sql (bigquery): the table of focal contribution --input … -f csv
WITH
settings AS (
  SELECT * FROM UNNEST([
    STRUCT(1 AS setting, CAST(0.25 AS FLOAT64) AS alpha, CAST(2 AS FLOAT64) AS gamma)
  ])
),
losses AS (
  SELECT * FROM UNNEST([
    STRUCT(1 AS loss_order, 'ce' AS loss),
    STRUCT(2 AS loss_order, 'fl' AS loss)
  ])
),
label_groups AS (
  SELECT * FROM UNNEST([
    STRUCT(0 AS y, 'neg' AS grp),
    STRUCT(1 AS y, 'pos' AS grp)
  ])
),
labelled AS (
  SELECT CAST(`p` AS FLOAT64) AS v, CASE CAST(`y` AS FLOAT64) WHEN 1 THEN 1 WHEN 0 THEN 0 END AS y, CAST(`w` AS FLOAT64) AS w
  FROM preds
),
true_class AS (
  SELECT y, v, w,
    CASE WHEN y = 1 THEN v ELSE 1 - v END AS pt,
    CASE WHEN y = 1 THEN 1 - v ELSE v END AS omp,
    CASE WHEN y = 0 AND v < 1 THEN -v ELSE 0 END AS u
  FROM labelled
  WHERE y IS NOT NULL AND v IS NOT NULL AND v >= 0 AND v <= 1 AND w > 0 AND w < CAST('inf' AS FLOAT64)
),
per_row AS (
  SELECT y, w, pt, omp,
    CASE WHEN pt = 0 THEN NULL
      WHEN y = 1 THEN -LN(CASE WHEN v = 0 THEN 1 ELSE v END)
      ELSE -(CASE WHEN 1 + u = 1 THEN u ELSE LN(1 + u) * u / ((1 + u) - 1) END) END AS ce
  FROM true_class
),
sums AS (
  SELECT st.setting, r.y,
    SUM(r.w) AS n,
    SUM(r.w * r.pt) AS pt_sum,
    SUM(r.w * r.ce) AS ce_sum,
    SUM(CASE WHEN r.ce IS NULL THEN r.w ELSE 0 END) AS n_inf,
    SUM(CASE WHEN st.gamma = 0 THEN r.w * r.ce ELSE POWER(r.omp, st.gamma) * r.w * r.ce END) AS fl_sum
  FROM per_row AS r CROSS JOIN settings AS st
  GROUP BY st.setting, r.y
),
figures AS (
  SELECT st.setting, st.alpha, st.gamma, l.loss_order, l.loss, g.grp, g.y,
    COALESCE(m.n, 0) AS n, m.pt_sum, COALESCE(m.n_inf, 0) AS n_inf,
    CASE WHEN l.loss = 'ce' OR st.alpha IS NULL THEN CAST(1 AS FLOAT64)
      WHEN g.y = 1 THEN st.alpha ELSE 1 - st.alpha END AS factor,
    CASE WHEN l.loss = 'fl' THEN m.fl_sum ELSE m.ce_sum END AS natural_sum
  FROM settings AS st CROSS JOIN losses AS l CROSS JOIN label_groups AS g
  LEFT JOIN sums AS m ON m.setting = st.setting AND m.y = g.y
),
totals AS (
  SELECT f.*,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN 1 ELSE 0 END AS infinite,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN CAST('inf' AS FLOAT64)
      WHEN f.factor = 0 OR f.n = 0 THEN CAST(0 AS FLOAT64)
      ELSE f.factor * f.natural_sum / CAST(1 AS FLOAT64) END AS total
  FROM figures AS f
)
SELECT alpha, gamma, loss, grp AS `group`, y, n AS `count`,
  pt_sum / NULLIF(CAST(n AS FLOAT64), 0) AS pt,
  CASE WHEN n = 0 THEN NULL ELSE total / CAST(n AS FLOAT64) END AS per_example,
  total,
  CASE WHEN SUM(infinite) OVER (PARTITION BY setting, loss_order) > 0
    THEN CAST(infinite * n_inf AS FLOAT64) / CAST(SUM(infinite * n_inf) OVER (PARTITION BY setting, loss_order) AS FLOAT64)
    ELSE total / NULLIF(SUM(total) OVER (PARTITION BY setting, loss_order), 0)
  END AS share
FROM totals
ORDER BY setting, loss_order, y;
