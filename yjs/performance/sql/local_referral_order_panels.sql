-- ============================================================================================
-- Local indicator: referral order panel timeliness                 Source: KPIS.md §5; seed 003
-- ============================================================================================
-- Denominator: INITIAL youth offender panels held (panel date set) in the quarter, for referral
--   orders of local children not changed on appeal (to confirm: panels held, not orders made);
--   the order is a new outcome, not an extension or variation of an existing one.
-- Numerator: those held within 20 working days of the order (outcome) date. Working days exclude
--   weekends and England & Wales bank holidays; day 1 = the first working day after the order
--   date (to confirm), so a panel on working day 20 is in time.
-- Value: x 100, 1 d.p. (Portsmouth target 90%).
-- ============================================================================================
WITH params AS (
    SELECT coalesce(getvariable('ro_panel_working_days'), 20) AS working_days
),
panels AS (
    SELECT p.panel_id, p.child_id, p.panel_date, o.outcome_date, c.sex, c.ethnicity_group,
           age_band(age_years(c.dob, o.outcome_date)) AS age_band,
           (SELECT c2.wd_index FROM ref_calendar c2 WHERE c2.d = p.panel_date)
           - (SELECT c1.wd_index FROM ref_calendar c1 WHERE c1.d = o.outcome_date) AS working_days
    FROM raw.referral_order_panels p
    JOIN outcome_local o ON o.outcome_id = p.outcome_id
    JOIN child c ON c.child_id = o.child_id
    WHERE p.panel_type = 'INITIAL'
      AND o.outcome_code = 'REFERRAL_ORDER'
      AND p.panel_date BETWEEN getvariable('period_start') AND getvariable('period_end')
      AND p.panel_date <= getvariable('as_at')
)
SELECT 'within_20_working_days' AS measure, 'all' AS dimension, 'all' AS category,
       p.panel_id AS unit_id,
       p.child_id, p.working_days <= (SELECT working_days FROM params) AS in_num, TRUE AS in_den,
       'order ' || p.outcome_date || ', panel ' || p.panel_date || ' = working day '
           || p.working_days AS detail,
       coalesce(p.sex, 'Unknown') AS by_sex,
       coalesce(p.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(p.age_band, 'Unknown') AS by_age_band
FROM panels p
