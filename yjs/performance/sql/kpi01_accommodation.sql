-- ============================================================================================
-- KPI 1 - Suitable accommodation                                  Source: KPIS.md §4 KPI 1, §1.4-1.5
-- ============================================================================================
-- Purpose: share of children in suitable accommodation when their order ends.
-- Population: the scope set (children with an order ending in the quarter, one row per child).
-- Headline (suitable_end): at least one accommodation record at the end of the order AND every
--   record at the end SUITABLE. BED_AND_BREAKFAST, NO_FIXED_ABODE and UNKNOWN types are always
--   unsuitable (enforced here, not in the loader - to confirm). No record at end: the child stays
--   in the denominator only.
-- Sub-measures: suitable_start (same test at the start point), unsuitable_end, became_suitable
--   (not suitable at start, suitable at end), became_unsuitable, suitable_release (custodial
--   orders with a release date: records in force on the licence start - to confirm),
--   accommodation_type_end (per accommodation group: suitable among children with that type at end),
--   suitable_after_remand (to confirm): children whose kept order is non-custodial, with more
--   than 27 days from first hearing to outcome and a remand (not bail) decision in that time:
--   every accommodation record in force on the outcome date (release from remand) SUITABLE.
-- Breakdowns: type of order, sex, ethnicity group, age band (at intervention start).
-- ============================================================================================
WITH recs AS (
    SELECT s.child_id, a.accommodation_type, ra.accommodation_group,
           a.suitability = 'SUITABLE' AND NOT ra.always_unsuitable AS ok,
           at_end(a.start_date, a.end_date, s.order_start, s.order_end) AS at_end,
           at_start(a.start_date, a.end_date, s.order_start, s.order_end, s.start_point) AS at_start,
           at_release(a.start_date, a.end_date, s.order_start, s.order_end, s.release_date)
               AS at_release
    FROM scope_set s
    JOIN raw.accommodation a ON a.child_id = s.child_id
    JOIN ref_accommodation ra ON ra.code = a.accommodation_type
    WHERE a.start_date <= getvariable('as_at')
),
remanded AS (  -- remanded 4+ weeks, then a non-custodial outcome: suitable on release?
    SELECT s.child_id,
           coalesce(bool_and(a.suitability = 'SUITABLE' AND NOT ra.always_unsuitable), FALSE)
               AS suitable
    FROM scope_set s
    LEFT JOIN raw.accommodation a
           ON a.child_id = s.child_id AND a.start_date <= s.outcome_date
          AND (a.end_date IS NULL OR a.end_date >= s.outcome_date)
    LEFT JOIN ref_accommodation ra ON ra.code = a.accommodation_type
    WHERE s.type_of_order <> 'CUST'
      AND date_diff('day', s.first_hearing_date, s.outcome_date) > 27  -- portable: not a - b
      AND EXISTS (SELECT 1 FROM raw.remands r JOIN ref_remand rr ON rr.code = r.decision
                  WHERE r.child_id = s.child_id AND NOT rr.bail
                    AND r.decision_date BETWEEN s.first_hearing_date AND s.outcome_date)
    GROUP BY s.child_id
),
per_child AS (
    SELECT s.child_id, s.type_of_order, s.sex, s.ethnicity_group, s.age_band, s.release_date,
           s.order_end,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_end), FALSE) AS suitable_end,
           coalesce(bool_or(NOT r.ok) FILTER (WHERE r.at_end), FALSE) AS unsuitable_end,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_start), FALSE) AS suitable_start,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_release), FALSE) AS suitable_release,
           string_agg(r.accommodation_type || ' ' ||
                      CASE WHEN r.ok THEN 'SUITABLE' ELSE 'UNSUITABLE' END, ', ')
               FILTER (WHERE r.at_end) AS end_records
    FROM scope_set s
    LEFT JOIN recs r ON r.child_id = s.child_id
    GROUP BY ALL
),
facts AS MATERIALIZED (
    SELECT *, type_of_order || ' order ended ' || order_end || '; at end: '
              || coalesce(end_records, 'no accommodation record') AS detail
    FROM per_child
),
headline AS (
    SELECT m.measure, 'all' AS dimension, 'all' AS category,
           f.child_id AS unit_id, f.child_id,
           m.in_num, TRUE AS in_den, f.detail,
           coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
           coalesce(f.sex, 'Unknown') AS by_sex,
           coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
           coalesce(f.age_band, 'Unknown') AS by_age_band
    FROM facts f,
         LATERAL (VALUES ('suitable_end', f.suitable_end),
                         ('suitable_start', f.suitable_start),
                         ('unsuitable_end', NOT f.suitable_end),
                         ('became_suitable', f.suitable_end AND NOT f.suitable_start),
                         ('became_unsuitable', f.suitable_start AND NOT f.suitable_end))
             AS m(measure, in_num)
)
SELECT * FROM headline
UNION ALL
SELECT 'suitable_release', 'all', 'all', child_id, child_id, suitable_release, TRUE, detail,
       NULL, NULL, NULL, NULL
FROM facts WHERE type_of_order = 'CUST' AND release_date IS NOT NULL
UNION ALL
SELECT 'suitable_after_remand', 'all', 'all', f.child_id, f.child_id, rm.suitable, TRUE,
       f.detail || '; remanded 4+ weeks before the outcome', NULL, NULL, NULL, NULL
FROM facts f JOIN remanded rm ON rm.child_id = f.child_id
UNION ALL
SELECT 'accommodation_type_end', 'accommodation_type', t.accommodation_group,
       f.child_id, f.child_id, f.suitable_end, TRUE, f.detail, NULL, NULL, NULL, NULL
FROM facts f  -- each child once per group (made distinct before the detail text is joined)
JOIN (SELECT DISTINCT child_id, accommodation_group FROM recs WHERE at_end) t
  ON t.child_id = f.child_id
