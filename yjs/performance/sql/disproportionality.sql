-- ============================================================================================
-- Disproportionality: relative rate index (RRI)                    Source: KPIS.md §5, §1.2
-- ============================================================================================
-- Events per stage, children counted once per stage, in the 12 months ending with the quarter
--   (to confirm: FTE uses the same window here, not the lagged FTE window), local, appeals
--   excluded, aged 10-17 at the event. An extension or variation of an existing order
--   (is_variation) is no event at any stage: the outcome stages read outcome_local, which holds
--   new outcomes only (_scope.sql), and FTE follows fte.sql.
--   fte      first ever substantive outcome (as fte.sql)
--   oocd     an out-of-court disposal (community resolution, Outcome 20/21/22/23, YC, YCC)
--   court    a court sentence (first-tier, community or custody)
--   custody  a custodial sentence
--   remand   a remand decision that is not bail (secure or to local authority accommodation)
-- Groups: ethnicity group (population: population_groups ETHNICITY_GROUP, Census 2021 - to
--   confirm), sex and age band (ONS population table), care status at the event (LOOKED_AFTER
--   or NOT_LOOKED_AFTER; population: population_groups CARE_STATUS).
-- This file returns events and populations per group; the engine (disproportionality.py) then
--   computes RRI = (E_g / P_g) / (E_ref / P_ref), SE = sqrt(1/E_g - 1/P_g + 1/E_ref - 1/P_ref),
--   95% CI = exp(ln RRI +/- 1.96 SE), flags the group when the CI excludes 1, and suppresses
--   the RRI when E_g or E_ref < 5 (E = 0: no RRI). Reference groups: WHITE, Female, 10-14,
--   NOT_LOOKED_AFTER (to confirm).
-- ============================================================================================
WITH window_outcomes AS (
    SELECT * FROM outcome_local
    WHERE outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
),
firsts AS (  -- as fte.sql: the earliest substantive record, a variation included
    SELECT o.* FROM outcome_incl_variations o
    WHERE o.substantive  -- of the children who can be FTEs in the window (as fte.sql)
      AND o.outcome_date <= getvariable('period_end')
      AND o.child_id IN (SELECT child_id FROM window_outcomes WHERE substantive)
    QUALIFY row_number() OVER (PARTITION BY o.child_id
                               ORDER BY o.outcome_date, o.is_variation, o.rank NULLS LAST,
                                        o.outcome_id) = 1
),
events AS (
    SELECT 'fte' AS stage, f.child_id, f.outcome_date AS event_date
    FROM firsts f
    JOIN child c ON c.child_id = f.child_id
    WHERE NOT f.is_variation AND NOT c.previous_substantive_outcome
      AND is_local(f.residence)  -- so the first record is one of window_outcomes
      AND f.outcome_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
    UNION ALL
    SELECT 'oocd', child_id, outcome_date FROM window_outcomes WHERE oocd
    UNION ALL
    SELECT 'court', child_id, outcome_date FROM window_outcomes WHERE court
    UNION ALL
    SELECT 'custody', child_id, outcome_date FROM window_outcomes WHERE custodial
    UNION ALL
    SELECT 'remand', r.child_id, r.decision_date
    FROM raw.remands r JOIN ref_remand rr ON rr.code = r.decision
    WHERE NOT rr.bail
      AND r.decision_date BETWEEN getvariable('r12_start') AND getvariable('period_end')
      AND r.decision_date <= getvariable('as_at')
),
first_events AS MATERIALIZED (  -- one per child per stage: the first in the window
    SELECT e.stage, e.child_id, e.event_date, c.sex, c.ethnicity_group,
           age_band(age_years(c.dob, e.event_date)) AS age_band,
           CASE WHEN EXISTS (SELECT 1 FROM raw.care_status cs
                             WHERE cs.child_id = e.child_id AND cs.status = 'LOOKED_AFTER'
                               AND cs.start_date <= e.event_date
                               AND (cs.end_date IS NULL OR cs.end_date >= e.event_date))
                THEN 'LOOKED_AFTER' ELSE 'NOT_LOOKED_AFTER' END AS care_status
    FROM events e
    JOIN child c ON c.child_id = e.child_id
    WHERE age_years(c.dob, e.event_date) BETWEEN 10 AND 17
    QUALIFY row_number() OVER (PARTITION BY e.stage, e.child_id ORDER BY e.event_date) = 1
),
group_year AS (
    SELECT dimension, coalesce(max(year) FILTER (WHERE year <= getvariable('population_year')),
                               min(year)) AS year
    FROM raw.population_groups GROUP BY dimension
),
populations AS MATERIALIZED (
    SELECT 'sex' AS dimension, sex AS category, sum(population) AS pop
    FROM population_used GROUP BY sex
    UNION ALL
    SELECT 'age_band', age_band, sum(population) FROM population_used GROUP BY age_band
    UNION ALL
    SELECT CASE g.dimension WHEN 'ETHNICITY_GROUP' THEN 'ethnicity_group'
                ELSE 'care_status' END, g.category, sum(g.population)
    FROM raw.population_groups g
    JOIN group_year y ON y.dimension = g.dimension AND y.year = g.year
    GROUP BY ALL
),
stages AS (SELECT * FROM (VALUES ('fte'), ('oocd'), ('court'), ('custody'), ('remand')) s(stage)),
event_groups AS (
    SELECT fe.stage, b.dimension, b.category, fe.child_id,
           fe.stage || ' on ' || fe.event_date AS detail
    FROM first_events fe,
         LATERAL (VALUES ('ethnicity_group', fe.ethnicity_group), ('sex', fe.sex),
                         ('age_band', fe.age_band), ('care_status', fe.care_status))
             b(dimension, category)
)
-- The population of a group is on its own row (the second part) and the engine takes a group's
-- largest den_fixed, so the event rows need not carry it (joining it to every event row was a
-- tenth of this file's time nationally).
SELECT 'rri_' || eg.stage AS measure, eg.dimension, eg.category, eg.child_id AS unit_id,
       eg.child_id, TRUE AS in_num, FALSE AS in_den, CAST(NULL AS DOUBLE) AS den_fixed, eg.detail
FROM event_groups eg
UNION ALL  -- every population group appears, with or without events
SELECT 'rri_' || s.stage, p.dimension, p.category, NULL, NULL, FALSE, FALSE, p.pop, NULL
FROM stages s CROSS JOIN populations p
