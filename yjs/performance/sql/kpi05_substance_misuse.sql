-- ============================================================================================
-- KPI 5 - Substance misuse (same rules as KPI 4)            Source: KPIS.md §4 KPI 5
-- ============================================================================================
-- Purpose: whether children with an identified substance misuse need were
--   offered (or already had) an intervention, and attended.
-- Population: the scope set. Dates after the as-at date are treated as not yet happened.
-- Need: a record whose need-identified (screening) date is set and <= order end (no lower bound,
--   as the YJB code - to confirm), OR in treatment at the start of the order (attended start <=
--   start point and attended end open or >= order start).
-- Offered: offered date between order start and order end inclusive, intervention type not
--   NO_INTERVENTION. Attended: attended start within the order, or in treatment at start.
-- Headline (in_treatment_or_offered): children with need who were in treatment at start or were
--   offered an intervention / children with need.
-- Sub-measures: need_identified / all (5a; by type of order = 5d); in_treatment_at_start / need
--   (5b); by intervention type (5c): offered / need, attended / need, attended_of_offered =
--   attended / offered, offered_not_attended = offered without an attended date / offered.
--   Every sub-measure but need_identified is among children with need: a child offered an
--   intervention without an identified need is in none of the offered-based denominators.
-- Any qualifying record suffices; several records count the child once.
-- ============================================================================================
WITH rec AS (
    SELECT s.child_id, s.order_start, s.order_end, s.start_point, r.intervention_type,
           CASE WHEN r.need_identified_date <= getvariable('as_at') THEN r.need_identified_date
           END AS need_date,
           CASE WHEN r.offered_date <= getvariable('as_at') THEN r.offered_date END AS offered,
           CASE WHEN r.attended_start_date <= getvariable('as_at') THEN r.attended_start_date
           END AS attended_start,
           CASE WHEN r.attended_end_date <= getvariable('as_at') THEN r.attended_end_date
           END AS attended_end
    FROM scope_set s
    JOIN raw.substance_misuse r ON r.child_id = s.child_id
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
by_type AS (  -- one row per child with need and intervention type offered or attended (5c)
    SELECT r.child_id, r.intervention_type,
           bool_or(r.offered_in_order) AS offered,
           bool_or(r.attended_in_order OR r.in_treatment_at_start) AS attended,
           bool_or(r.offered_in_order AND r.attended_start IS NULL) AS offered_not_attended
    FROM rec_flags r
    WHERE r.intervention_type <> 'NO_INTERVENTION'
    GROUP BY ALL
),
headline AS (
    SELECT m.measure, b.dimension, b.category, f.child_id AS unit_id, f.child_id,
           m.in_num, m.in_den, f.detail
    FROM facts f,
         LATERAL (VALUES ('in_treatment_or_offered', f.in_treatment OR f.offered, f.need),
                         ('need_identified', f.need, TRUE),
                         ('in_treatment_at_start', f.in_treatment, f.need),
                         ('offered', f.offered, f.need),
                         ('attended', f.attended, f.need),
                         ('attended_of_offered', f.attended, f.need AND f.offered),
                         ('offered_not_attended', f.offered AND NOT f.attended,
                          f.need AND f.offered))
             AS m(measure, in_num, in_den),
         LATERAL (SELECT unnest(breakdowns(f.type_of_order, f.sex, f.ethnicity_group,
                                           f.age_band), recursive := true)) b
    WHERE m.in_den
)
SELECT * FROM headline
UNION ALL
SELECT m.measure, 'intervention_type', t.intervention_type, f.child_id, f.child_id,
       coalesce(m.in_num, FALSE), m.in_den, f.detail
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
WHERE m.in_den
