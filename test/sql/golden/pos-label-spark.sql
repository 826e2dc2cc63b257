-- focal sql (spark): the table of focal contribution --input … -f csv
WITH
settings AS (
  SELECT * FROM VALUES
    (1, CAST(0.25 AS DOUBLE), CAST(2 AS DOUBLE))
  AS t(setting, alpha, gamma)
),
losses AS (
  SELECT * FROM VALUES
    (1, 'ce'),
    (2, 'fl')
  AS t(loss_order, loss)
),
label_groups AS (
  SELECT * FROM VALUES
    (0, 'neg'),
    (1, 'pos')
  AS t(y, grp)
),
labelled AS (
  SELECT CAST(`p` AS DOUBLE) AS v, CASE WHEN `label` IS NULL THEN NULL WHEN TRIM(CAST(`label` AS STRING)) = 'it\'s' THEN 1 ELSE 0 END AS y
  FROM preds
),
true_class AS (
  SELECT y, v,
    CASE WHEN y = 1 THEN v ELSE 1 - v END AS pt,
    CASE WHEN y = 1 THEN 1 - v ELSE v END AS omp,
    CASE WHEN y = 0 AND v < 1 THEN -v ELSE 0 END AS u
  FROM labelled
  WHERE y IS NOT NULL AND v IS NOT NULL AND v >= 0 AND v <= 1
),
per_row AS (
  SELECT y, pt, omp,
    CASE WHEN pt = 0 THEN NULL
      WHEN y = 1 THEN -LN(CASE WHEN v = 0 THEN 1 ELSE v END)
      ELSE -(LOG1P(u)) END AS ce
  FROM true_class
),
sums AS (
  SELECT st.setting, r.y,
    COUNT(*) AS n,
    SUM(r.pt) AS pt_sum,
    SUM(r.ce) AS ce_sum,
    COUNT(*) - COUNT(r.ce) AS n_inf,
    SUM(CASE WHEN st.gamma = 0 THEN r.ce ELSE POWER(r.omp, st.gamma) * r.ce END) AS fl_sum
  FROM per_row AS r CROSS JOIN settings AS st
  GROUP BY st.setting, r.y
),
figures AS (
  SELECT st.setting, st.alpha, st.gamma, l.loss_order, l.loss, g.grp, g.y,
    COALESCE(m.n, 0) AS n, m.pt_sum, COALESCE(m.n_inf, 0) AS n_inf,
    CASE WHEN l.loss = 'ce' OR st.alpha IS NULL THEN CAST(1 AS DOUBLE)
      WHEN g.y = 1 THEN st.alpha ELSE 1 - st.alpha END AS factor,
    CASE WHEN l.loss = 'fl' THEN m.fl_sum ELSE m.ce_sum END AS natural_sum
  FROM settings AS st CROSS JOIN losses AS l CROSS JOIN label_groups AS g
  LEFT JOIN sums AS m ON m.setting = st.setting AND m.y = g.y
),
totals AS (
  SELECT f.*,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN 1 ELSE 0 END AS infinite,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN CAST('Infinity' AS DOUBLE)
      WHEN f.factor = 0 OR f.n = 0 THEN CAST(0 AS DOUBLE)
      ELSE f.factor * f.natural_sum / CAST(1 AS DOUBLE) END AS total
  FROM figures AS f
)
SELECT alpha, gamma, loss, grp AS `group`, y, n AS `count`,
  pt_sum / NULLIF(CAST(n AS DOUBLE), 0) AS pt,
  CASE WHEN n = 0 THEN NULL ELSE total / CAST(n AS DOUBLE) END AS per_example,
  total,
  CASE WHEN SUM(infinite) OVER (PARTITION BY setting, loss_order) > 0
    THEN CAST(infinite * n_inf AS DOUBLE) / CAST(SUM(infinite * n_inf) OVER (PARTITION BY setting, loss_order) AS DOUBLE)
    ELSE total / NULLIF(SUM(total) OVER (PARTITION BY setting, loss_order), 0)
  END AS share
FROM totals
ORDER BY setting, loss_order, y;
