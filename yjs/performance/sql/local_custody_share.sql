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
    SELECT o.child_id, o.outcome_date, o.outcome_code, o.custodial, c.sex, c.ethnicity_group,
           age_band(age_years(c.dob, min(o.first_hearing_date))) AS age_band
    FROM outcome_local o
    JOIN child c ON c.child_id = o.child_id
    WHERE o.court
      AND o.outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND age_years(c.dob, o.first_hearing_date) BETWEEN 10 AND 17
    GROUP BY o.child_id, o.outcome_date, o.outcome_code, o.custodial, c.sex, c.ethnicity_group,
             c.dob
)
SELECT 'custody_share' AS measure, 'all' AS dimension, 'all' AS category,
       s.child_id || '/' || s.outcome_date || '/' || s.outcome_code AS unit_id, s.child_id,
       s.custodial AS in_num, TRUE AS in_den, s.outcome_code || ' on ' || s.outcome_date AS detail,
       coalesce(s.sex, 'Unknown') AS by_sex,
       coalesce(s.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(s.age_band, 'Unknown') AS by_age_band
FROM sentences s
