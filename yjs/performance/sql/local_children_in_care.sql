-- ============================================================================================
-- Local indicator: children in care who offend                     Source: KPIS.md §5; seed 004
-- ============================================================================================
-- Cohort: looked-after children aged 10-17 at the end of the window who had been looked after
--   continuously for 12 months or more then (one LOOKED_AFTER record covering the whole 12
--   months - to confirm; the DfE measure is taken at 31 March, i.e. use a Q4 period).
-- Numerator: those convicted or given a youth caution / YCC (legacy final warning / reprimand),
--   i.e. any substantive outcome not quashed on appeal, dated in the window (12 months ending
--   with the quarter); an extension or variation of an existing order is not one. Residence is not applied: the authority stays responsible for children it
--   places elsewhere.
-- Value: numerator / cohort x 100, 1 d.p. (Derbyshire 1.1% in 2020, national 3.0%). The dataset
--   holds only children known to the YJS, so the cohort is the looked-after children it knows.
-- ============================================================================================
WITH cohort AS (
    SELECT DISTINCT c.child_id, c.sex, c.ethnicity_group,
           age_band(age_years(c.dob, getvariable('period_end'))) AS age_band
    FROM raw.care_status cs
    JOIN child c ON c.child_id = cs.child_id
    WHERE cs.status = 'LOOKED_AFTER'
      AND cs.start_date <= CAST(getvariable('period_end') - INTERVAL 12 MONTH AS DATE)
      AND (cs.end_date IS NULL OR cs.end_date >= getvariable('period_end'))
      AND age_years(c.dob, getvariable('period_end')) BETWEEN 10 AND 17
),
offended AS (
    SELECT child_id, string_agg(outcome_code || ' on ' || outcome_date, ', ') AS detail
    FROM outcome_valid
    WHERE substantive
      AND outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
    GROUP BY child_id
)
SELECT 'cla_offending' AS measure, 'all' AS dimension, 'all' AS category,
       c.child_id AS unit_id, c.child_id,
       o.child_id IS NOT NULL AS in_num, TRUE AS in_den,
       'looked after 12+ months; ' || coalesce(o.detail, 'no substantive outcome') AS detail,
       coalesce(c.sex, 'Unknown') AS by_sex,
       coalesce(c.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(c.age_band, 'Unknown') AS by_age_band
FROM cohort c
LEFT JOIN offended o ON o.child_id = c.child_id
