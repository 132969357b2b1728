-- ============================================================================================
-- KPI 9 - Serious violence                                        Source: KPIS.md §4 KPI 9, §2.3
-- ============================================================================================
-- Purpose: rate of proven serious violent offending by local children.
-- Unit: offence. Period: the quarter of the OUTCOME date (not the order end).
-- Scope: offences disposed of by an outcome dated in the quarter (on/after 2023-04-01) that
--   carries a type of order, child resident locally, appeals excluded, age 10-17 (pre-court:
--   age on the offence date, as the arrest date is not in the dataset; court: age at first
--   hearing). One row per (child, offence): most serious outcome (lowest rank), then latest.
--   An extension or variation of an existing order (is_variation) is not an outcome of the
--   offence: it neither brings the offence into the variation's quarter nor replaces the
--   original outcome (outcome_local holds new outcomes only, _scope.sql).
--   NS_OOCD outcomes are excluded (parameter kpi9_include_ns_oocd, default FALSE - to confirm:
--   the YJB template counts offences "resulting in a caution or sentence").
-- Serious violence (SV): category DRUGS, ROBBERY or VIOLENCE_AGAINST_THE_PERSON and gravity
--   score 5-8. A missing gravity score is never SV and is counted in missing_gravity.
-- Headline (sv_rate): SV offences / 10-17 population x 10,000, 2 d.p. (to confirm).
-- Sub-measures: sv_offences_share = SV / all scoped offences (9a; by type of order = 9e);
--   sv_children_share = children with SV / children with any scoped offence (9b; by sex,
--   ethnicity group, age band = 9f); sv_by_category (9c) and sv_by_gravity (9d) of all SV.
-- ============================================================================================
WITH params AS (
    SELECT coalesce(getvariable('kpi9_include_ns_oocd'), FALSE) AS include_ns_oocd
),
scoped AS MATERIALIZED (
    SELECT o.child_id, o.offence_id, o.category, o.gravity_score, o.outcome_code,
           o.type_of_order, c.sex, c.ethnicity_group,
           age_years(c.dob, CASE WHEN o.court THEN o.first_hearing_date ELSE o.offence_date END)
               AS age,
           coalesce(rc.serious_violence, FALSE) AND coalesce(o.gravity_score BETWEEN 5 AND 8, FALSE)
               AS sv
    FROM quarter_outcome_offences o  -- the quarter's outcomes with their offences (_scope.sql)
    JOIN child c ON c.child_id = o.child_id
    LEFT JOIN ref_offence_category rc ON rc.code = o.category
    WHERE o.offence_child_id = o.child_id  -- the child's own offences
      AND o.outcome_date >= getvariable('kpi_start')
      AND o.type_of_order IS NOT NULL
      AND (o.type_of_order <> 'NS_OOCD' OR (SELECT include_ns_oocd FROM params))
    QUALIFY row_number() OVER (PARTITION BY o.child_id, o.offence_id
                               ORDER BY o.rank, o.outcome_date DESC, o.outcome_id) = 1
),
offences AS MATERIALIZED (
    SELECT *, child_id || '/' || offence_id AS unit_id, age_band(age) AS age_band,
           offence_id || ' ' || category || ' gravity ' || coalesce(CAST(gravity_score AS VARCHAR), '?')
               || ' (' || outcome_code || ')' || CASE WHEN sv THEN ' SERIOUS VIOLENCE' ELSE '' END
               AS detail
    FROM scoped WHERE age BETWEEN 10 AND 17
),
children AS MATERIALIZED (
    SELECT child_id, bool_or(sv) AS sv, any_value(sex) AS sex,
           any_value(ethnicity_group) AS ethnicity_group, age_band(max(age)) AS age_band,
           string_agg(detail, '; ') AS detail
    FROM offences GROUP BY child_id
)
SELECT 'sv_rate' AS measure, 'all' AS dimension, 'all' AS category, unit_id, child_id,
       TRUE AS in_num, FALSE AS in_den, CAST(getvariable('population') AS DOUBLE) AS den_fixed,
       detail, CAST(NULL AS VARCHAR) AS by_type_of_order, CAST(NULL AS VARCHAR) AS by_sex,
       CAST(NULL AS VARCHAR) AS by_ethnicity_group, CAST(NULL AS VARCHAR) AS by_age_band
FROM offences WHERE sv
UNION ALL  -- the rate exists even with no SV offence
SELECT 'sv_rate', 'all', 'all', NULL, NULL, FALSE, FALSE, getvariable('population'),
       NULL, NULL, NULL, NULL, NULL
UNION ALL
SELECT 'sv_count', 'all', 'all', unit_id, child_id, TRUE, FALSE, NULL, detail,
       NULL, NULL, NULL, NULL
FROM offences WHERE sv
UNION ALL
SELECT 'missing_gravity', 'all', 'all', unit_id, child_id, TRUE, FALSE, NULL, detail,
       NULL, NULL, NULL, NULL
FROM offences WHERE gravity_score IS NULL
UNION ALL
SELECT 'sv_offences_share', 'all', 'all', o.unit_id, o.child_id, o.sv, TRUE, NULL, o.detail,
       coalesce(o.type_of_order, 'Unknown'), NULL, NULL, NULL
FROM offences o
UNION ALL
SELECT 'sv_children_share', 'all', 'all', c.child_id, c.child_id, c.sv, TRUE, NULL, c.detail,
       NULL, coalesce(c.sex, 'Unknown'), coalesce(c.ethnicity_group, 'Unknown'),
       coalesce(c.age_band, 'Unknown')
FROM children c
UNION ALL
SELECT 'sv_by_category', 'category', k.category, o.unit_id, o.child_id, o.category = k.category,
       TRUE, NULL, o.detail, NULL, NULL, NULL, NULL
FROM offences o CROSS JOIN (SELECT code AS category FROM ref_offence_category
                            WHERE serious_violence) k
WHERE o.sv
UNION ALL
SELECT 'sv_by_gravity', 'gravity_score', CAST(g.score AS VARCHAR), o.unit_id, o.child_id,
       o.gravity_score = g.score, TRUE, NULL, o.detail, NULL, NULL, NULL, NULL
FROM offences o CROSS JOIN (VALUES (5), (6), (7), (8)) g(score)
WHERE o.sv
