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
WITH latest_closure AS (
    SELECT i.child_id, i.intervention_id, i.outcome_id, i.start_date, i.end_date AS closed
    FROM raw.interventions i
    JOIN child c ON c.child_id = i.child_id
    WHERE i.end_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND i.end_date <= getvariable('as_at')
    QUALIFY row_number() OVER (PARTITION BY i.child_id
                               ORDER BY i.end_date DESC, i.intervention_id) = 1
),
closures AS MATERIALIZED (  -- with the dates the measures compare offences with, computed
    -- once per child (month arithmetic on every offence row was a tenth of this file's time)
    SELECT *, start_date - INTERVAL 12 MONTH AS pre_start,
           closed + to_months(3) AS at_3, closed + to_months(6) AS at_6,
           closed + to_months(9) AS at_9, closed + to_months(12) AS at_12
    FROM latest_closure
),
recorded AS MATERIALIZED (  -- offences with a recorded outcome other than NFA, of the cohort,
    -- each with its child's closure (one per child)
    SELECT f.offence_id, f.child_id, f.offence_date,
           c.start_date, c.pre_start, c.closed, c.at_3, c.at_6, c.at_9, c.at_12,
           -- dealt with by the closing intervention's own outcome (not "pre-intervention")
           bool_or(oo.outcome_id = c.outcome_id) AS own
    FROM closures c
    JOIN offence f ON f.child_id = c.child_id
    JOIN raw.outcome_offences oo ON oo.offence_id = f.offence_id
    LEFT JOIN outcome_valid o ON o.outcome_id = oo.outcome_id
                             AND o.outcome_code <> 'NO_FURTHER_ACTION'
    -- only what a measure reads: from 12 months before the intervention started (pre) to
    -- the last checkpoint, 12 months after closure (least/greatest: dates out of order)
    WHERE f.offence_date >= least(c.pre_start, c.closed)
      AND f.offence_date <= greatest(c.at_12, c.start_date)
    GROUP BY ALL
    HAVING count(o.outcome_id) > 0
),
checkpoints AS (
    SELECT * FROM (VALUES (3, '3 months'), (6, '6 months'), (9, '9 months'),
                          (12, '12 months')) t(months, label)
),
after_closure AS (  -- each offence after closure, in the checkpoint interval it falls in
    -- (intervals: (closure + previous checkpoint, closure + N months], not overlapping)
    SELECT child_id, offence_id, offence_date, label,
           CASE months WHEN 3 THEN at_3 WHEN 6 THEN at_6 WHEN 9 THEN at_9 ELSE at_12 END
               <= getvariable('as_at') AS reached
    FROM (
        SELECT *, CASE WHEN offence_date <= at_3 THEN 3 WHEN offence_date <= at_6 THEN 6
                       WHEN offence_date <= at_9 THEN 9 ELSE 12 END AS months
        FROM recorded
        WHERE offence_date > closed AND offence_date <= at_12
    ) a
    JOIN checkpoints USING (months)
),
per_child AS MATERIALIZED (  -- each cohort child once: the flags and the offences per interval
    -- (one grouping by child, not a row per checkpoint joined to per-interval counts)
    SELECT c.child_id, c.closed, c.at_3, c.at_6, c.at_9, c.at_12,
           coalesce(bool_or(r.offence_date < c.start_date AND r.offence_date >= c.pre_start
                            AND NOT r.own), FALSE) AS pre,
           coalesce(bool_or(r.offence_date BETWEEN c.start_date AND c.closed), FALSE) AS during,
           count(r.offence_id) FILTER (WHERE r.offence_date > c.closed
                                         AND r.offence_date <= c.at_3) AS offences_3,
           count(r.offence_id) FILTER (WHERE r.offence_date > c.at_3
                                         AND r.offence_date <= c.at_6) AS offences_6,
           count(r.offence_id) FILTER (WHERE r.offence_date > c.at_6
                                         AND r.offence_date <= c.at_9) AS offences_9,
           count(r.offence_id) FILTER (WHERE r.offence_date > c.at_9
                                         AND r.offence_date <= c.at_12) AS offences_12
    FROM closures c
    LEFT JOIN recorded r ON r.child_id = c.child_id
    GROUP BY c.child_id, c.closed, c.at_3, c.at_6, c.at_9, c.at_12
),
tracked AS (  -- each child at each checkpoint
    SELECT p.child_id, p.closed, k.label,
           CASE k.months WHEN 3 THEN p.at_3 WHEN 6 THEN p.at_6 WHEN 9 THEN p.at_9 ELSE p.at_12 END
               <= getvariable('as_at') AS reached,
           CASE k.months WHEN 3 THEN p.offences_3 WHEN 6 THEN p.offences_6
                         WHEN 9 THEN p.offences_9 ELSE p.offences_12 END AS offences
    FROM per_child p CROSS JOIN checkpoints k
)
SELECT 'offended' AS measure, 'checkpoint' AS dimension, label AS category, child_id AS unit_id,
       child_id, offences > 0 AS in_num, TRUE AS in_den,
       'closed ' || closed || '; offences in interval: ' || offences AS detail
FROM tracked WHERE reached
UNION ALL
SELECT 'reached', 'checkpoint', label, child_id, child_id, TRUE, FALSE, 'closed ' || closed
FROM tracked WHERE reached
UNION ALL
SELECT 'offences', 'checkpoint', label, child_id || '/' || offence_id, child_id, TRUE,
       FALSE, 'offence ' || offence_id || ' on ' || offence_date
FROM after_closure
WHERE reached
UNION ALL
SELECT 'offended_any', 'all', 'all', child_id, child_id,
       (at_3 <= getvariable('as_at') AND offences_3 > 0)
       OR (at_6 <= getvariable('as_at') AND offences_6 > 0)
       OR (at_9 <= getvariable('as_at') AND offences_9 > 0)
       OR (at_12 <= getvariable('as_at') AND offences_12 > 0), TRUE, 'closed ' || closed
FROM per_child
UNION ALL
SELECT m.measure, 'all', 'all', p.child_id, p.child_id, m.in_num, TRUE, 'closed cohort'
FROM per_child p,
     LATERAL (VALUES ('pre_intervention', p.pre), ('during_intervention', p.during))
         AS m(measure, in_num)
