-- ============================================================================================
-- KPI 6 - Out-of-court disposals                                  Source: KPIS.md §4 KPI 6
-- ============================================================================================
-- Purpose: share of out-of-court disposal (OOCD) interventions completed successfully.
-- Population: children whose OOCD intervention (type of order NS_OOCD, YC or YCC) ended in the
--   quarter, passing §1.3 (local, not appealed, aged 10-17 at intervention start).
-- De-duplication (to confirm): parameter kpi6_dedupe_among_oocd_only, default TRUE = one row per
--   child among OOCDs only, so a child whose court order also ended keeps the OOCD here. FALSE =
--   the general §1.4 scope set, where the court order wins and the OOCD drops out.
-- Headline (completed): kpi6_completed = TRUE / population.
-- completion_unknown: flag not recorded (treated as not completed in the headline - to confirm).
-- Breakdowns: the OOCD outcomes (oocd_outcome: the six of KPIS.md and Outcome 23), type of order, sex, ethnicity group, age band.
-- ============================================================================================
WITH params AS (
    SELECT coalesce(getvariable('kpi6_dedupe_among_oocd_only'), TRUE) AS dedupe_among_oocd_only
),
oocd_only AS (
    SELECT * FROM scope_candidates
    WHERE type_of_order IN ('NS_OOCD', 'YC', 'YCC')
    QUALIFY row_number() OVER (PARTITION BY child_id
                               ORDER BY rank, outcome_date DESC, order_end DESC,
                                        intervention_id) = 1
),
population AS (
    SELECT * FROM oocd_only WHERE (SELECT dedupe_among_oocd_only FROM params)
    UNION ALL
    SELECT * FROM scope_set
    WHERE type_of_order IN ('NS_OOCD', 'YC', 'YCC')
      AND NOT (SELECT dedupe_among_oocd_only FROM params)
),
facts AS MATERIALIZED (
    SELECT *, coalesce(kpi6_completed, FALSE) AS completed, kpi6_completed IS NULL AS unknown,
           outcome_code || ' intervention ended ' || order_end || '; completed: '
               || coalesce(CAST(kpi6_completed AS VARCHAR), 'not recorded') AS detail
    FROM population
)
SELECT m.measure, 'all' AS dimension, 'all' AS category,
       f.child_id AS unit_id, f.child_id, m.in_num, TRUE AS in_den, f.detail,
       coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
       coalesce(f.sex, 'Unknown') AS by_sex,
       coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(f.age_band, 'Unknown') AS by_age_band,
       coalesce(f.outcome_code, 'Unknown') AS by_oocd_outcome
FROM facts f,
     LATERAL (VALUES ('completed', f.completed), ('completion_unknown', f.unknown))
         AS m(measure, in_num)
