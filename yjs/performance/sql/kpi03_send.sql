-- ============================================================================================
-- KPI 3 - Special educational needs and disabilities / additional learning needs
--                                                                 Source: KPIS.md §4 KPI 3
-- ============================================================================================
-- Purpose: of children with identified SEND (England) / ALN (Wales), the share with a formal plan
--   (EHCP / IDP).
-- Population: scope-set children with a SEND record identified = YES that is open at the order
--   end (record start <= order end, and end open or >= order end). Several records: the child
--   counts once; formal_plan = YES on any such record suffices.
-- Headline (formal_plan): identified with a plan / identified.
-- Sub-measures: identified = identified / all children with an order ending (3a; its breakdowns
--   by ethnicity group, sex, age band at intervention start are 3c and by type of order 3d);
--   identified_suitable_ete = identified children in suitable ETE at end (KPI 2 rule) /
--   identified (3b; the complement is "not").
-- ============================================================================================
WITH send_open AS (
    SELECT s.child_id, bool_or(d.formal_plan = 'YES') AS has_plan
    FROM scope_set s
    JOIN raw.send d ON d.child_id = s.child_id
    WHERE d.identified = 'YES'
      AND d.start_date <= s.order_end AND d.start_date <= getvariable('as_at')
      AND (d.end_date IS NULL OR d.end_date >= s.order_end)
    GROUP BY s.child_id
),
ete_end AS (
    SELECT s.child_id, count(*) > 0 AND bool_and(e.suitability = 'SUITABLE') AS suitable_end
    FROM scope_set s
    JOIN raw.ete e ON e.child_id = s.child_id
    WHERE at_end(e.start_date, e.end_date, s.order_start, s.order_end)
      AND e.start_date <= getvariable('as_at')
    GROUP BY s.child_id
),
facts AS MATERIALIZED (
    SELECT s.child_id, s.type_of_order, s.sex, s.ethnicity_group, s.age_band,
           so.child_id IS NOT NULL AS identified,
           coalesce(so.has_plan, FALSE) AS has_plan,
           coalesce(ee.suitable_end, FALSE) AS suitable_ete_end,
           s.type_of_order || ' order ended ' || s.order_end || '; SEND: '
               || CASE WHEN so.child_id IS NULL THEN 'not identified'
                       WHEN so.has_plan THEN 'identified, formal plan'
                       ELSE 'identified, no formal plan' END AS detail
    FROM scope_set s
    LEFT JOIN send_open so ON so.child_id = s.child_id
    LEFT JOIN ete_end ee ON ee.child_id = s.child_id
)
SELECT m.measure, 'all' AS dimension, 'all' AS category,
       f.child_id AS unit_id, f.child_id,
       m.in_num, m.in_den, f.detail,
       coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
       coalesce(f.sex, 'Unknown') AS by_sex,
       coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(f.age_band, 'Unknown') AS by_age_band
FROM facts f,
     LATERAL (VALUES ('formal_plan', f.has_plan, f.identified),
                     ('identified', f.identified, TRUE),
                     ('identified_suitable_ete', f.suitable_ete_end, f.identified))
         AS m(measure, in_num, in_den)
WHERE m.in_den
