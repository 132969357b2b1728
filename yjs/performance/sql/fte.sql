-- ============================================================================================
-- First time entrants (FTE)                                       Source: KPIS.md §3.1, §1.1-1.2
-- ============================================================================================
-- Purpose: rate at which local children enter the formal youth justice system.
-- Unit: child. Window: rolling 12 months ending with the quarter BEFORE the reporting quarter
--   (the one-quarter lag: 2022-23 Q4 covers Jan-Dec 2022).
-- Numerator: children whose FIRST EVER substantive outcome (youth caution, YCC, any court
--   conviction; legacy reprimand / final warning) falls in the window, that outcome not quashed
--   or changed on appeal, the child resident locally on it (OTHER excluded; NOT_KNOWN kept - to
--   confirm) and aged 10-17 on its date. Community resolutions, Outcomes 20/21/22 and NFA never
--   make a child an FTE. A child counts once, ever: an earlier substantive outcome anywhere in
--   the data (even outside the area) means the child is not an FTE, and so does the
--   previous_substantive_outcome flag (the Police National Computer knows of one - to confirm).
--   An extension or variation of an existing order (is_variation) is never the first
--   substantive outcome: it changes an order made earlier. When a child's earliest substantive
--   record is a variation, the order it varies came first and is missing from the data (made
--   before the data starts or elsewhere), so the child is not an FTE then or later. A variation
--   on the same day as an order sorts after it.
-- Rate: numerator / 10-17 population x 100,000, whole number. Population: ONS mid-year for the
--   calendar year before the reference quarter's financial year (to confirm), stored with the rate.
-- Breakdowns: count by sex, ethnicity group, age band; rate by sex and age band (population of
--   that group). The engine figure is an estimate of the PNC-based national figure.
-- ============================================================================================
WITH firsts AS (  -- each child's earliest substantive record, a variation included
    SELECT o.*
    FROM outcome_incl_variations o
    WHERE o.substantive
      -- only children with a new local substantive outcome in the window can be FTEs: ranking
      -- every child's whole history (1.6 M records nationally) was most of this file's time;
      -- and such a child's first record is dated by the window's end, so later ones are not
      -- ranked either
      AND o.outcome_date <= getvariable('fte_end')
      AND o.child_id IN (SELECT child_id FROM outcome_local
                         WHERE substantive
                           AND outcome_date BETWEEN getvariable('fte_start')
                                                AND getvariable('fte_end'))
    QUALIFY row_number() OVER (PARTITION BY o.child_id
                               ORDER BY o.outcome_date, o.is_variation, o.rank NULLS LAST,
                                        o.outcome_id) = 1
),
fte AS (
    SELECT f.child_id, c.sex, c.ethnicity_group, age_band(age_years(c.dob, f.outcome_date)) AS age_band,
           'first substantive outcome ' || f.outcome_code || ' on ' || f.outcome_date AS detail
    FROM firsts f
    JOIN child c ON c.child_id = f.child_id
    WHERE NOT f.is_variation
      AND is_local(f.residence)  -- so the first record is one of outcome_local's
      AND f.outcome_date BETWEEN getvariable('fte_start') AND getvariable('fte_end')
      AND age_years(c.dob, f.outcome_date) BETWEEN 10 AND 17
      AND NOT c.previous_substantive_outcome
),
groups AS (  -- denominators for the rate: whole population, by sex, by age band
    SELECT 'all' AS dimension, 'all' AS category, CAST(getvariable('population') AS DOUBLE) AS pop
    UNION ALL SELECT 'sex', sex, sum(population) FROM population_used GROUP BY sex
    UNION ALL SELECT 'age_band', age_band, sum(population) FROM population_used GROUP BY age_band
)
SELECT 'fte_count' AS measure, 'all' AS dimension, 'all' AS category,
       f.child_id AS unit_id, f.child_id,
       TRUE AS in_num, FALSE AS in_den, CAST(NULL AS DOUBLE) AS den_fixed, f.detail,
       coalesce(f.sex, 'Unknown') AS by_sex,
       coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(f.age_band, 'Unknown') AS by_age_band
FROM fte f
UNION ALL
SELECT 'fte_rate', g.dimension, g.category, f.child_id, f.child_id, TRUE, FALSE, g.pop, f.detail,
       NULL, NULL, NULL
FROM groups g
JOIN fte f ON g.dimension = 'all'
           OR (g.dimension = 'sex' AND f.sex = g.category)
           OR (g.dimension = 'age_band' AND f.age_band = g.category)
UNION ALL  -- every rate row exists even with no FTE
SELECT 'fte_rate', dimension, category, NULL, NULL, FALSE, FALSE, pop, NULL, NULL, NULL, NULL
FROM groups
