-- ============================================================================================
-- Local indicator: custody as a share of court sentences           Source: KPIS.md §3.3, §5; seed 002
-- ============================================================================================
-- Numerator: custodial sentences counted as for "use of custody" (local, under 18 at first
--   hearing, appeals and variations excluded, same child + day + code once).
--   Variations are excluded from both: outcome_local holds new outcomes only (_scope.sql).
-- Denominator: all court sentences (first-tier, community and custody outcomes) counted the same
--   way in the same window (12 months ending with the quarter).
-- Value: x 100, 1 d.p. (Leicestershire 2011/12: 10 custodial sentences = 2.3%).
-- ============================================================================================
WITH sentences AS (  -- one row per (child, date, code): the earliest first hearing gives the age
    SELECT child_id, outcome_date, outcome_code, custodial, sex, ethnicity_group,
           age_band(age_years(dob, min(first_hearing_date))) AS age_band
    FROM outcome_local
    WHERE court
      AND outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND age_years(dob, first_hearing_date) BETWEEN 10 AND 17
    GROUP BY child_id, outcome_date, outcome_code, custodial, sex, ethnicity_group, dob
)
SELECT 'custody_share' AS measure, 'all' AS dimension, 'all' AS category,
       s.child_id || '/' || s.outcome_date || '/' || s.outcome_code AS unit_id, s.child_id,
       s.custodial AS in_num, TRUE AS in_den, s.outcome_code || ' on ' || s.outcome_date AS detail,
       coalesce(s.sex, 'Unknown') AS by_sex,
       coalesce(s.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(s.age_band, 'Unknown') AS by_age_band
FROM sentences s
