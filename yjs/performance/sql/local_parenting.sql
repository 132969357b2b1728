-- ============================================================================================
-- Local indicator: parenting work                   Source: seed plans (Derbyshire: "Parenting
--   Orders: Number of Parenting Orders commenced during period"; Triple P parenting programmes
--   and parenting support practitioners elsewhere), issue 11
-- ============================================================================================
-- Unit: one parenting intervention (a row of `parenting`: a parenting order, a parenting
--   contract or voluntary parenting support) of a child in the dataset (not deleted) who lived
--   locally when it started: residence LOCAL, or NOT_KNOWN unless keep_not_known_residence is
--   FALSE (as for outcomes, §1.3.1). Rows voided in the case system were dropped by the loader.
--   No age limit: the work is with the parent (a parenting order can follow a child safety
--   order for a child under 10); such a child falls in age band 'Other'. Nothing dated after
--   the as-at date counts.
-- Measures (percent, 1 d.p.):
--   orders_commenced  denominator: parenting interventions that started in the quarter
--                     (start_date from the first to the last day of the quarter inclusive);
--                     numerator: those that are parenting orders (kind PARENTING_ORDER). The
--                     numerator is the seed's measure, the number of parenting orders
--                     commenced; the value is their share of all parenting work started.
--   completed         denominator: parenting interventions that ended in the quarter (end_date
--                     in the quarter, whenever they started); numerator: those completed
--                     successfully (completed TRUE). Completion not recorded (NULL) counts as
--                     not completed, as KPI 6 does; open work (no end date) is in neither.
-- Breakdowns: all, sex, ethnicity group, age band (age on the start date); `completed` also by
--   kind of parenting work (parenting_kind), which for orders_commenced is the numerator itself.
-- ============================================================================================
WITH work AS (
    SELECT p.parenting_id, p.child_id, p.kind, p.start_date, p.end_date, p.completed,
           c.sex, c.ethnicity_group, age_band(age_years(c.dob, p.start_date)) AS age_band
    FROM raw.parenting p
    JOIN child c ON c.child_id = p.child_id
    WHERE is_local(p.residence)
      AND p.start_date <= getvariable('as_at')
),
units AS (
    SELECT 'orders_commenced' AS measure, w.*, w.kind = 'PARENTING_ORDER' AS in_num,
           w.kind || ' started ' || w.start_date AS detail
    FROM work w
    WHERE w.start_date BETWEEN getvariable('period_start') AND getvariable('period_end')
    UNION ALL
    SELECT 'completed' AS measure, w.*, coalesce(w.completed, FALSE) AS in_num,
           w.kind || ' ' || w.start_date || ' to ' || w.end_date || ': '
               || CASE WHEN w.completed THEN 'completed successfully'
                       WHEN NOT w.completed THEN 'not completed'
                       ELSE 'completion not recorded' END AS detail
    FROM work w
    WHERE w.end_date BETWEEN getvariable('period_start')
                         AND least(getvariable('period_end'), getvariable('as_at'))
)
SELECT u.measure, 'all' AS dimension, 'all' AS category,
       u.parenting_id AS unit_id, u.child_id, u.in_num, TRUE AS in_den, u.detail,
       coalesce(u.sex, 'Unknown') AS by_sex,
       coalesce(u.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(u.age_band, 'Unknown') AS by_age_band
FROM units u
UNION ALL
SELECT u.measure, 'parenting_kind' AS dimension, u.kind AS category,
       u.parenting_id AS unit_id, u.child_id, u.in_num, TRUE AS in_den, u.detail, NULL, NULL, NULL
FROM units u
WHERE u.measure = 'completed'
