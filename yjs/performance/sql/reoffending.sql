-- ============================================================================================
-- Proven reoffending (MoJ method, local live measure)             Source: KPIS.md §3.2, §1.1
-- ============================================================================================
-- Purpose: share and volume of proven reoffending by a cohort of children within a year.
-- Cohorts: for reporting quarter Q the 3-month cohort is the quarter six before it (Q-6), the
--   latest whose 12-month follow-up and 6-month waiting period end by the end of Q; the
--   aggregated 12-month cohort is the four quarters Q-9 .. Q-6 (to confirm).
-- Cohort member: a child aged 10-17 on the index date who in the cohort quarter received a youth
--   caution or YCC (legacy reprimand / final warning), a non-custodial court conviction, or was
--   released from a custodial sentence; local residence (on the outcome), appeals excluded.
--   Index event = the child's first qualifying event in the quarter (one per child per cohort).
--   An extension or variation of an existing order (is_variation) is no index event, and a
--   release from custody counts only from a custodial sentence that is a new outcome: a
--   variation alone never admits a child to a cohort (outcome_local and outcome_valid hold new
--   outcomes only, _scope.sql).
-- Proven reoffence: a distinct offence COMMITTED after the index date and within 12 months of it
--   (offence_date > index date - to confirm whether the index day itself counts) and PROVEN by a
--   substantive outcome (caution or conviction, any residence, not quashed) dated within 18
--   months of the index date (12 months + 6-month waiting period). Non-substantive outcomes and
--   variations of an existing order do not prove an offence (to confirm: a court may extend a
--   referral order on a further conviction; that conviction counts only if recorded as an
--   outcome of its own). Breaches are not new offences (parameter
--   reoffending_exclude_breaches, default TRUE - to confirm against the MoJ guide).
-- Measures (3-month and 12-month): binary = reoffenders / cohort x 100 (1 d.p.); frequency =
--   reoffences / cohort (2 d.p., "reoffences per child"); per_reoffender = reoffences /
--   reoffenders (2 d.p.). The 12-month cohort sums the four 3-month cohorts; a child may appear in
--   several (to confirm).
-- Breakdowns: sex, ethnicity group, age band, index disposal group.
-- ============================================================================================
WITH params AS (
    SELECT coalesce(getvariable('reoffending_exclude_breaches'), TRUE) AS exclude_breaches
),
quarters AS (
    SELECT CAST(q AS DATE) AS q_start,
           CAST(q + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS q_end,
           CAST(q AS DATE) = getvariable('cohort_start') AS is_3m
    FROM generate_series(CAST(getvariable('cohort12_start') AS TIMESTAMP),
                         CAST(getvariable('cohort_start') AS TIMESTAMP), INTERVAL 3 MONTH) g(q)
),
events AS (  -- in the four cohort quarters only (filtered here, before the join to child)
    SELECT child_id, outcome_date AS index_date, outcome_group AS disposal_group,
           outcome_code AS index_event
    FROM outcome_local
    WHERE (outcome_code IN ('YOUTH_CAUTION', 'YOUTH_CONDITIONAL_CAUTION', 'REPRIMAND',
                            'FINAL_WARNING')
           OR (court AND NOT custodial))
      AND outcome_date BETWEEN getvariable('cohort12_start') AND getvariable('cohort_end')
    UNION ALL
    SELECT ce.child_id, ce.release_date, 'CUSTODY', 'release from ' || o.outcome_code
    FROM raw.custody_episodes ce
    JOIN outcome_local o ON o.outcome_id = ce.outcome_id
    WHERE ce.release_date <= getvariable('as_at')
      AND ce.release_date BETWEEN getvariable('cohort12_start') AND getvariable('cohort_end')
),
cohort AS MATERIALIZED (
    SELECT q.q_start, q.is_3m, e.child_id, e.index_date, e.disposal_group, e.index_event,
           c.sex, c.ethnicity_group, age_band(age_years(c.dob, e.index_date)) AS age_band,
           strftime(q.q_start, '%Y-%m') || '/' || e.child_id AS member_id
    FROM events e
    JOIN quarters q ON e.index_date BETWEEN q.q_start AND q.q_end
    JOIN child c ON c.child_id = e.child_id
    WHERE age_years(c.dob, e.index_date) BETWEEN 10 AND 17
    QUALIFY row_number() OVER (PARTITION BY q.q_start, e.child_id
                               ORDER BY e.index_date, e.disposal_group, e.index_event) = 1
),
reoffences AS MATERIALIZED (
    SELECT DISTINCT c.member_id, c.member_id || '/' || f.offence_id AS reoffence_id
    FROM cohort c
    JOIN offence f ON f.child_id = c.child_id
                  AND f.offence_date > c.index_date
                  AND f.offence_date <= c.index_date + INTERVAL 12 MONTH
    JOIN raw.outcome_offences oo ON oo.offence_id = f.offence_id
    JOIN outcome_valid p ON p.outcome_id = oo.outcome_id
    LEFT JOIN ref_offence_category rc ON rc.code = f.category
    WHERE p.substantive
      AND p.outcome_date <= c.index_date + INTERVAL 18 MONTH
      AND NOT (coalesce(rc.breach, FALSE) AND (SELECT exclude_breaches FROM params))
),
counts AS (
    SELECT c.member_id, count(r.reoffence_id) AS reoffences
    FROM cohort c LEFT JOIN reoffences r ON r.member_id = c.member_id
    GROUP BY c.member_id
),
members AS MATERIALIZED (
    SELECT c.*, n.reoffences,
           c.index_event || ' on ' || c.index_date || '; proven reoffences: ' || n.reoffences
               AS detail
    FROM cohort c JOIN counts n ON n.member_id = c.member_id
),
member_rows AS MATERIALIZED (  -- each member under each cohort length it belongs to, with its
    -- breakdowns as columns (by_*): the engine counts each row once per breakdown (GROUPING
    -- SETS) rather than crossing the members with the dimensions (docs/kpis.md)
    SELECT m.member_id, m.child_id, m.reoffences, m.detail, len.suffix,
           m.sex AS by_sex, m.ethnicity_group AS by_ethnicity_group, m.age_band AS by_age_band,
           coalesce(m.disposal_group, 'Unknown') AS by_disposal_group
    FROM members m
    CROSS JOIN (VALUES ('_12m', FALSE), ('_3m', TRUE)) len(suffix, only_3m)
    WHERE m.is_3m OR NOT len.only_3m  -- every member is in the 12-month cohort
)
SELECT v.measure || suffix AS measure, 'all' AS dimension, 'all' AS category,
       member_id AS unit_id, child_id, v.in_num, v.in_den, detail,
       by_sex, by_ethnicity_group, by_age_band, by_disposal_group
FROM member_rows,  -- one pass for the four member measures
     LATERAL (VALUES ('binary', reoffences > 0, TRUE),
                     ('cohort', TRUE, FALSE),
                     ('frequency', FALSE, TRUE),
                     ('per_reoffender', FALSE, reoffences > 0)) v(measure, in_num, in_den)
WHERE v.in_num OR v.in_den
UNION ALL
SELECT m || suffix, 'all', 'all', r.reoffence_id, mr.child_id, TRUE, FALSE, mr.detail,
       by_sex, by_ethnicity_group, by_age_band, by_disposal_group
FROM member_rows mr
JOIN reoffences r ON r.member_id = mr.member_id,
     (VALUES ('frequency'), ('per_reoffender')) v(m)
