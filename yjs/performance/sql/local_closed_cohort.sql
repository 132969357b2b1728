-- ============================================================================================
-- Local indicator: closed-cohort reoffending tracking              Source: KPIS.md §5; seed 000
-- ============================================================================================
-- Cohort: children whose intervention closed in the 12 months ending with the quarter (a Q4
--   period gives the financial-year cohort). Each child once, at their latest closure.
-- Checkpoints 3, 6, 9 and 12 months after closure. A child is REACHED at a checkpoint once
--   closure + N months <= the as-at date. Per checkpoint: children reached, children who offended
--   in the interval since the previous checkpoint (closure + previous, closure + N] (intervals do
--   not overlap), offences in that interval.
-- Offending (to confirm): an offence committed in the interval and recorded against an outcome
--   other than NO_FURTHER_ACTION that was not quashed on appeal and is not an extension or
--   variation of an existing order (the seed's tracker counts recorded reoffending, not only
--   convictions).
-- Measures: offended (by checkpoint) = offended / reached; offended_any = children offending in
--   any reached interval / cohort (seed 000: 16 of 55 = 29.1%); reached and offences (counts by
--   checkpoint); pre_intervention (an offence in the 12 months before the intervention started,
--   other than those the intervention's outcome dealt with) and during_intervention (an offence
--   committed between its start and closure), each / cohort.
-- ============================================================================================
WITH closures AS MATERIALIZED (
    SELECT i.child_id, i.intervention_id, i.outcome_id, i.start_date, i.end_date AS closed
    FROM raw.interventions i
    JOIN child c ON c.child_id = i.child_id
    WHERE i.end_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND i.end_date <= getvariable('as_at')
    QUALIFY row_number() OVER (PARTITION BY i.child_id
                               ORDER BY i.end_date DESC, i.intervention_id) = 1
),
recorded AS MATERIALIZED (  -- offences with a recorded outcome other than NFA, of the cohort
    SELECT f.offence_id, f.child_id, f.offence_date,
           -- dealt with by the closing intervention's own outcome (not "pre-intervention")
           bool_or(oo.outcome_id = c.outcome_id) AS own
    FROM closures c
    JOIN offence f ON f.child_id = c.child_id
    JOIN raw.outcome_offences oo ON oo.offence_id = f.offence_id
    LEFT JOIN outcome_valid o ON o.outcome_id = oo.outcome_id
                             AND o.outcome_code <> 'NO_FURTHER_ACTION'
    -- only what a measure reads: from 12 months before the intervention started (pre) to
    -- the last checkpoint, 12 months after closure (least/greatest: dates out of order)
    WHERE f.offence_date >= least(c.start_date - INTERVAL 12 MONTH, c.closed)
      AND f.offence_date <= greatest(c.closed + to_months(12), c.start_date)
    GROUP BY f.offence_id, f.child_id, f.offence_date
    HAVING count(o.outcome_id) > 0
),
checkpoints AS (
    SELECT * FROM (VALUES (3, 0, '3 months'), (6, 3, '6 months'), (9, 6, '9 months'),
                          (12, 9, '12 months')) t(months, previous, label)
),
after_closure AS MATERIALIZED (  -- each offence after closure in the checkpoint interval it falls in
    SELECT r.child_id, r.offence_id, r.offence_date, k.label
    FROM closures c
    JOIN recorded r ON r.child_id = c.child_id
                   AND r.offence_date > c.closed      -- the 12 months after closure first, so
                   AND r.offence_date <= c.closed + to_months(12)  -- only those meet the 4 rows
    JOIN checkpoints k ON r.offence_date > c.closed + to_months(k.previous)
                      AND r.offence_date <= c.closed + to_months(k.months)
),
interval_offences AS (  -- offences per child and checkpoint interval
    SELECT child_id, label, count(*) AS offences
    FROM after_closure
    GROUP BY ALL
),
tracked AS MATERIALIZED (
    SELECT c.child_id, c.closed, k.label,
           c.closed + to_months(k.months) <= getvariable('as_at') AS reached,
           coalesce(io.offences, 0) AS offences
    FROM closures c CROSS JOIN checkpoints k
    LEFT JOIN interval_offences io ON io.child_id = c.child_id AND io.label = k.label
),
flags AS (
    SELECT c.child_id,
           coalesce(bool_or(r.offence_date < c.start_date
                            AND r.offence_date >= c.start_date - INTERVAL 12 MONTH
                            AND NOT r.own), FALSE) AS pre,
           coalesce(bool_or(r.offence_date BETWEEN c.start_date AND c.closed), FALSE) AS during
    FROM closures c
    LEFT JOIN recorded r ON r.child_id = c.child_id
    GROUP BY c.child_id
)
SELECT 'offended' AS measure, 'checkpoint' AS dimension, label AS category, child_id AS unit_id,
       child_id, offences > 0 AS in_num, TRUE AS in_den,
       'closed ' || closed || '; offences in interval: ' || offences AS detail
FROM tracked WHERE reached
UNION ALL
SELECT 'reached', 'checkpoint', label, child_id, child_id, TRUE, FALSE, 'closed ' || closed
FROM tracked WHERE reached
UNION ALL
SELECT 'offences', 'checkpoint', t.label, t.child_id || '/' || a.offence_id, t.child_id, TRUE,
       FALSE, 'offence ' || a.offence_id || ' on ' || a.offence_date
FROM tracked t
JOIN after_closure a ON a.child_id = t.child_id AND a.label = t.label
WHERE t.reached
UNION ALL
SELECT 'offended_any', 'all', 'all', child_id, child_id,
       bool_or(reached AND offences > 0), TRUE, 'closed ' || any_value(closed)
FROM tracked GROUP BY child_id
UNION ALL
SELECT m.measure, 'all', 'all', f.child_id, f.child_id, m.in_num, TRUE, 'closed cohort'
FROM flags f,
     LATERAL (VALUES ('pre_intervention', f.pre), ('during_intervention', f.during))
         AS m(measure, in_num)
