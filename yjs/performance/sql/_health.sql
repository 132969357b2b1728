-- ============================================================================================
-- Health needs: the one query behind KPI 4 (mental health and emotional wellbeing) and KPI 5
-- (substance misuse), which share every rule (KPIS.md §4 KPI 5: "same structure and rules as
-- KPI 4"). `health_kpi('mental_health')` and `health_kpi('substance_misuse')` return the
-- membership rows of kpi04_mental_health.sql and kpi05_substance_misuse.sql; the definitions and
-- counting rules are in those files' headers.
-- ============================================================================================
CREATE OR REPLACE MACRO health_kpi(area) AS TABLE
    WITH records AS (  -- the columns named, not UNION BY NAME: portable to Spark and Trino
        SELECT 'mental_health' AS need_area, child_id, intervention_type, need_identified_date,
               offered_date, attended_start_date, attended_end_date
        FROM raw.mental_health
        UNION ALL
        SELECT 'substance_misuse', child_id, intervention_type, need_identified_date,
               offered_date, attended_start_date, attended_end_date
        FROM raw.substance_misuse
    ),
    rec AS (
        SELECT s.child_id, s.order_start, s.order_end, s.start_point, r.intervention_type,
               CASE WHEN r.need_identified_date <= getvariable('as_at') THEN r.need_identified_date
               END AS need_date,
               CASE WHEN r.offered_date <= getvariable('as_at') THEN r.offered_date END AS offered,
               CASE WHEN r.attended_start_date <= getvariable('as_at') THEN r.attended_start_date
               END AS attended_start,
               CASE WHEN r.attended_end_date <= getvariable('as_at') THEN r.attended_end_date
               END AS attended_end
        FROM scope_set s
        JOIN records r ON r.child_id = s.child_id AND r.need_area = area
    ),
    rec_flags AS MATERIALIZED (
        SELECT *,
               need_date IS NOT NULL AND need_date <= order_end AS need_identified,
               attended_start IS NOT NULL AND attended_start <= start_point
                   AND (attended_end IS NULL OR attended_end >= order_start) AS in_treatment_at_start,
               intervention_type <> 'NO_INTERVENTION'
                   AND offered BETWEEN order_start AND order_end AS offered_in_order,
               intervention_type <> 'NO_INTERVENTION'
                   AND attended_start BETWEEN order_start AND order_end AS attended_in_order
        FROM rec
    ),
    per_child AS (
        SELECT s.child_id, s.type_of_order, s.sex, s.ethnicity_group, s.age_band, s.order_end,
               coalesce(bool_or(r.need_identified OR r.in_treatment_at_start), FALSE) AS need,
               coalesce(bool_or(r.in_treatment_at_start), FALSE) AS in_treatment,
               coalesce(bool_or(r.offered_in_order), FALSE) AS offered,
               coalesce(bool_or(r.attended_in_order OR r.in_treatment_at_start), FALSE) AS attended
        FROM scope_set s
        LEFT JOIN rec_flags r ON r.child_id = s.child_id
        GROUP BY ALL
    ),
    facts AS MATERIALIZED (
        SELECT *, type_of_order || ' order ended ' || order_end || '; need: ' || need
                  || ', in treatment at start: ' || in_treatment || ', offered: ' || offered
                  || ', attended: ' || attended AS detail
        FROM per_child
    ),
    by_type AS (  -- one row per child with need and intervention type offered or attended (4c / 5c)
        SELECT r.child_id, r.intervention_type,
               bool_or(r.offered_in_order) AS offered,
               bool_or(r.attended_in_order OR r.in_treatment_at_start) AS attended,
               bool_or(r.offered_in_order AND r.attended_start IS NULL) AS offered_not_attended
        FROM rec_flags r
        WHERE r.intervention_type <> 'NO_INTERVENTION'
        GROUP BY ALL
    ),
    headline AS (
        SELECT m.measure, 'all' AS dimension, 'all' AS category,
               f.child_id AS unit_id, f.child_id,
               m.in_num, m.in_den, f.detail,
               coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
               coalesce(f.sex, 'Unknown') AS by_sex,
               coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
               coalesce(f.age_band, 'Unknown') AS by_age_band
        FROM facts f,
             LATERAL (VALUES ('in_treatment_or_offered', f.in_treatment OR f.offered, f.need),
                             ('need_identified', f.need, TRUE),
                             ('in_treatment_at_start', f.in_treatment, f.need),
                             ('offered', f.offered, f.need),
                             ('attended', f.attended, f.need),
                             ('attended_of_offered', f.attended, f.need AND f.offered),
                             ('offered_not_attended', f.offered AND NOT f.attended,
                              f.need AND f.offered))
                 AS m(measure, in_num, in_den)
        WHERE m.in_den
    )
    SELECT * FROM headline
    UNION ALL
    SELECT m.measure, 'intervention_type', t.intervention_type, f.child_id, f.child_id,
           coalesce(m.in_num, FALSE), m.in_den, f.detail, NULL, NULL, NULL, NULL
    FROM facts f
    CROSS JOIN (SELECT DISTINCT intervention_type FROM rec_flags
                WHERE intervention_type <> 'NO_INTERVENTION') t
    LEFT JOIN by_type bt ON bt.child_id = f.child_id AND bt.intervention_type = t.intervention_type,
         LATERAL (VALUES ('offered', bt.offered, f.need),
                         ('attended', bt.attended, f.need),
                         ('attended_of_offered', bt.attended, f.need AND coalesce(bt.offered, FALSE)),
                         ('offered_not_attended', bt.offered_not_attended,
                          f.need AND coalesce(bt.offered, FALSE)))
             AS m(measure, in_num, in_den)
    WHERE m.in_den;
