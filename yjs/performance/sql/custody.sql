-- ============================================================================================
-- Use of custody                                                  Source: KPIS.md §3.3, §1.2
-- ============================================================================================
-- Purpose: rate of custodial sentencing of local children.
-- Unit: custodial sentence (not child). Window: rolling 12 months ending with the quarter.
-- Numerator: new CUST outcomes (S259_DETENTION, S250_DETENTION, DTO) dated in the window for
--   locally resident children aged under 18 (and 10+) at first hearing (outcome date when no
--   first hearing is recorded). The same custodial type for the same child on the same day
--   (concurrent or consecutive) counts once: de-duplicated on (child, outcome date, outcome code);
--   different types that day count separately (to confirm); its age band comes from the earliest
--   first hearing of the duplicates. Excluded: outcomes quashed or changed
--   on appeal, remands (never outcomes), extensions or variations of an existing order
--   (is_variation; outcome_local holds new outcomes only, _scope.sql). A variation of a
--   custodial sentence (e.g. a DTO licence extended) is not a new custodial sentence (§3.3
--   "exclude extensions or variations"); a child resentenced to custody (e.g. a YRO revoked for
--   breach and a DTO imposed) has a new outcome, not a variation, and counts.
-- Rate: numerator / 10-17 population x 1,000, 2 d.p. Population year as FTE (to confirm).
-- ============================================================================================
WITH sentences AS (  -- one row per (child, date, code): the earliest first hearing gives the age
    SELECT o.child_id, o.outcome_date, o.outcome_code, c.sex, c.ethnicity_group,
           age_band(age_years(c.dob, min(o.first_hearing_date))) AS age_band
    FROM outcome_local o
    JOIN child c ON c.child_id = o.child_id
    WHERE o.custodial
      AND o.outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND age_years(c.dob, o.first_hearing_date) BETWEEN 10 AND 17
    GROUP BY o.child_id, o.outcome_date, o.outcome_code, c.sex, c.ethnicity_group, c.dob
),
counted AS MATERIALIZED (
    SELECT *, child_id || '/' || outcome_date || '/' || outcome_code AS unit_id,
           outcome_code || ' on ' || outcome_date AS detail
    FROM sentences
)
SELECT 'custody_rate' AS measure, 'all' AS dimension, 'all' AS category, unit_id, child_id,
       TRUE AS in_num, FALSE AS in_den, CAST(getvariable('population') AS DOUBLE) AS den_fixed,
       detail, CAST(NULL AS VARCHAR) AS by_sex, CAST(NULL AS VARCHAR) AS by_ethnicity_group,
       CAST(NULL AS VARCHAR) AS by_age_band
FROM counted
UNION ALL
SELECT 'custody_rate', 'all', 'all', NULL, NULL, FALSE, FALSE, getvariable('population'),
       NULL, NULL, NULL, NULL
UNION ALL
SELECT 'custody_count', 'all', 'all',
       unit_id, child_id, TRUE, FALSE, NULL, detail,
       coalesce(c.sex, 'Unknown') AS by_sex,
       coalesce(c.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(c.age_band, 'Unknown') AS by_age_band
FROM counted c
