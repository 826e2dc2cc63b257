-- focal sql (postgres): the table of focal contribution --input … -f csv
WITH
settings (setting, alpha, gamma) AS (
  VALUES
    (1, CAST(0.25 AS DOUBLE PRECISION), CAST(2 AS DOUBLE PRECISION))
),
losses (loss_order, loss) AS (
  VALUES
    (1, 'ce'),
    (2, 'fl')
),
label_groups (y, grp) AS (
  VALUES
    (0, 'neg'),
    (1, 'pos')
),
labelled AS (
  SELECT CAST("p" AS DOUBLE PRECISION) AS v, CASE CAST("y" AS DOUBLE PRECISION) WHEN 1 THEN 1 WHEN 0 THEN 0 END AS y, CAST("w" AS DOUBLE PRECISION) AS w
  FROM preds
),
true_class AS (
  SELECT y, v, w,
    CASE WHEN y = 1 THEN v ELSE 1 - v END AS pt,
    CASE WHEN y = 1 THEN 1 - v ELSE v END AS omp,
    CASE WHEN y = 0 AND v < 1 THEN -v ELSE 0 END AS u
  FROM labelled
  WHERE y IS NOT NULL AND v IS NOT NULL AND v >= 0 AND v <= 1 AND w > 0 AND w < CAST('Infinity' AS DOUBLE PRECISION)
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
    SUM((CASE WHEN r.w = 0 OR r.pt = 0 OR LN(ABS(r.w)) + LN(ABS(r.pt)) > -745 THEN r.w * r.pt ELSE 0 END)) AS pt_sum,
    SUM((CASE WHEN r.w = 0 OR r.ce = 0 OR LN(ABS(r.w)) + LN(ABS(r.ce)) > -745 THEN r.w * r.ce ELSE 0 END)) AS ce_sum,
    SUM(CASE WHEN r.ce IS NULL THEN r.w ELSE 0 END) AS n_inf,
    SUM(CASE WHEN st.gamma = 0 THEN (CASE WHEN r.w = 0 OR r.ce = 0 OR LN(ABS(r.w)) + LN(ABS(r.ce)) > -745 THEN r.w * r.ce ELSE 0 END) ELSE (CASE WHEN (CASE WHEN r.omp = 0 THEN 0 ELSE (CASE WHEN (CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END) < -745 THEN 0 ELSE EXP((CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END)) END) END) = 0 OR (CASE WHEN r.w = 0 OR r.ce = 0 OR LN(ABS(r.w)) + LN(ABS(r.ce)) > -745 THEN r.w * r.ce ELSE 0 END) = 0 OR LN(ABS((CASE WHEN r.omp = 0 THEN 0 ELSE (CASE WHEN (CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END) < -745 THEN 0 ELSE EXP((CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END)) END) END))) + LN(ABS((CASE WHEN r.w = 0 OR r.ce = 0 OR LN(ABS(r.w)) + LN(ABS(r.ce)) > -745 THEN r.w * r.ce ELSE 0 END))) > -745 THEN (CASE WHEN r.omp = 0 THEN 0 ELSE (CASE WHEN (CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END) < -745 THEN 0 ELSE EXP((CASE WHEN st.gamma = 0 OR LN(r.omp) = 0 OR LN(ABS(st.gamma)) + LN(ABS(LN(r.omp))) > -745 THEN st.gamma * LN(r.omp) ELSE 0 END)) END) END) * (CASE WHEN r.w = 0 OR r.ce = 0 OR LN(ABS(r.w)) + LN(ABS(r.ce)) > -745 THEN r.w * r.ce ELSE 0 END) ELSE 0 END) END) AS fl_sum
  FROM per_row AS r CROSS JOIN settings AS st
  GROUP BY st.setting, r.y
),
figures AS (
  SELECT st.setting, st.alpha, st.gamma, l.loss_order, l.loss, g.grp, g.y,
    COALESCE(m.n, 0) AS n, m.pt_sum, COALESCE(m.n_inf, 0) AS n_inf,
    CASE WHEN l.loss = 'ce' OR st.alpha IS NULL THEN CAST(1 AS DOUBLE PRECISION)
      WHEN g.y = 1 THEN st.alpha ELSE 1 - st.alpha END AS factor,
    CASE WHEN l.loss = 'fl' THEN m.fl_sum ELSE m.ce_sum END AS natural_sum
  FROM settings AS st CROSS JOIN losses AS l CROSS JOIN label_groups AS g
  LEFT JOIN sums AS m ON m.setting = st.setting AND m.y = g.y
),
totals AS (
  SELECT f.*,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN 1 ELSE 0 END AS infinite,
    CASE WHEN f.factor <> 0 AND f.n_inf > 0 THEN CAST('Infinity' AS DOUBLE PRECISION)
      WHEN f.factor = 0 OR f.n = 0 THEN CAST(0 AS DOUBLE PRECISION)
      ELSE (CASE WHEN CAST(1 AS DOUBLE PRECISION) IS NULL THEN NULL WHEN (CASE WHEN f.factor = 0 OR f.natural_sum = 0 OR LN(ABS(f.factor)) + LN(ABS(f.natural_sum)) > -745 THEN f.factor * f.natural_sum ELSE 0 END) = 0 OR LN(ABS((CASE WHEN f.factor = 0 OR f.natural_sum = 0 OR LN(ABS(f.factor)) + LN(ABS(f.natural_sum)) > -745 THEN f.factor * f.natural_sum ELSE 0 END))) - LN(ABS(CAST(1 AS DOUBLE PRECISION))) > -745 THEN (CASE WHEN f.factor = 0 OR f.natural_sum = 0 OR LN(ABS(f.factor)) + LN(ABS(f.natural_sum)) > -745 THEN f.factor * f.natural_sum ELSE 0 END) / CAST(1 AS DOUBLE PRECISION) ELSE 0 END) END AS total
  FROM figures AS f
)
SELECT alpha, gamma, loss, grp AS "group", y, n AS "count",
  (CASE WHEN NULLIF(CAST(n AS DOUBLE PRECISION), 0) IS NULL THEN NULL WHEN pt_sum = 0 OR LN(ABS(pt_sum)) - LN(ABS(NULLIF(CAST(n AS DOUBLE PRECISION), 0))) > -745 THEN pt_sum / NULLIF(CAST(n AS DOUBLE PRECISION), 0) ELSE 0 END) AS pt,
  CASE WHEN n = 0 THEN NULL ELSE (CASE WHEN CAST(n AS DOUBLE PRECISION) IS NULL THEN NULL WHEN total = 0 OR LN(ABS(total)) - LN(ABS(CAST(n AS DOUBLE PRECISION))) > -745 THEN total / CAST(n AS DOUBLE PRECISION) ELSE 0 END) END AS per_example,
  total,
  CASE WHEN SUM(infinite) OVER (PARTITION BY setting, loss_order) > 0
    THEN CAST(infinite * n_inf AS DOUBLE PRECISION) / CAST(SUM(infinite * n_inf) OVER (PARTITION BY setting, loss_order) AS DOUBLE PRECISION)
    ELSE (CASE WHEN NULLIF(SUM(total) OVER (PARTITION BY setting, loss_order), 0) IS NULL THEN NULL WHEN total = 0 OR LN(ABS(total)) - LN(ABS(NULLIF(SUM(total) OVER (PARTITION BY setting, loss_order), 0))) > -745 THEN total / NULLIF(SUM(total) OVER (PARTITION BY setting, loss_order), 0) ELSE 0 END)
  END AS share
FROM totals
ORDER BY setting, loss_order, y;
