-- ============================================================================================
-- Local indicator: secure remand rate                             Source: KPIS.md §5, §2.4; seed 002
-- ============================================================================================
-- Numerator: secure remand decisions (REMAND_IN_CUSTODY, COURT_ORDERED_SECURE_REMAND) dated in
--   the quarter. Denominator: all remand and bail decisions dated in the quarter (to confirm).
--   Unit: decision. Deleted children excluded.
-- Value: x 100, 1 d.p. (Leicestershire 10.8% -> 6.1%, 2009/10 -> Apr-Dec 2012).
-- Breakdowns: sex, ethnicity group, age band (age on the decision date).
-- ============================================================================================
WITH decisions AS (
    SELECT r.remand_id, r.child_id, rr.secure, r.decision, r.decision_date, c.sex,
           c.ethnicity_group, age_band(age_years(c.dob, r.decision_date)) AS age_band
    FROM raw.remands r
    JOIN ref_remand rr ON rr.code = r.decision
    JOIN child c ON c.child_id = r.child_id
    WHERE r.decision_date BETWEEN getvariable('period_start') AND getvariable('period_end')
      AND r.decision_date <= getvariable('as_at')
)
SELECT 'secure_share' AS measure, 'all' AS dimension, 'all' AS category,
       d.remand_id AS unit_id, d.child_id,
       d.secure AS in_num, TRUE AS in_den, d.decision || ' on ' || d.decision_date AS detail,
       coalesce(d.sex, 'Unknown') AS by_sex,
       coalesce(d.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(d.age_band, 'Unknown') AS by_age_band
FROM decisions d
