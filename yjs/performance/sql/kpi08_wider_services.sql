-- ============================================================================================
-- KPI 8 - Wider services (the YJB code calls it kpi7)            Source: KPIS.md §4 KPI 8, §1.5
-- ============================================================================================
-- Purpose: share of children on an order who are also supported by children's services.
-- Population: the scope set (children with an order ending in the quarter).
-- Headline (supported_during): children with any of LOOKED_AFTER, CHILD_PROTECTION_PLAN,
--   CHILD_IN_NEED, EARLY_HELP_PLAN relevant DURING the order (record overlaps the order) / all.
--   (An earlier YJB version used "in force at the end"; the current one uses "during".)
-- Sub-measures: status_at_start (8a) and status_during (8b) per status, each / all children
--   (a child with several statuses counts once per status); early_help_referral (8c): an
--   EARLY_HELP_REFERRAL relevant to the order that started before the order start ("Already
--   open") or on/after it ("Referred during order") / all children (date filter to confirm).
--   Breakdown by type of order of the headline is 8d.
-- ============================================================================================
WITH recs AS (
    SELECT s.child_id, c.status,
           is_relevant(c.start_date, c.end_date, s.order_start, s.order_end) AS during,
           at_start(c.start_date, c.end_date, s.order_start, s.order_end, s.start_point) AS at_start,
           c.start_date < s.order_start AS before_order
    FROM scope_set s
    JOIN raw.care_status c ON c.child_id = s.child_id
    WHERE c.start_date <= getvariable('as_at')
),
status_flags AS (  -- per child and status, so the status rows below need no grouping of their own
    SELECT child_id, status, bool_or(at_start) AS at_start, bool_or(during) AS during,
           bool_or(during AND before_order) AS open_before, bool_or(during AND NOT before_order)
               AS referred_during
    FROM recs
    GROUP BY child_id, status
),
per_child AS (
    SELECT s.child_id, s.type_of_order, s.sex, s.ethnicity_group, s.age_band, s.order_end,
           coalesce(bool_or(r.during AND r.status <> 'EARLY_HELP_REFERRAL'), FALSE) AS supported,
           string_agg(DISTINCT r.status, ', ') FILTER (WHERE r.during) AS statuses
    FROM scope_set s
    LEFT JOIN recs r ON r.child_id = s.child_id
    GROUP BY ALL
),
facts AS MATERIALIZED (
    SELECT *, type_of_order || ' order ended ' || order_end || '; statuses during the order: '
              || coalesce(statuses, 'none') AS detail
    FROM per_child
)
SELECT 'supported_during' AS measure, 'all' AS dimension, 'all' AS category,
       f.child_id AS unit_id,
       f.child_id, f.supported AS in_num, TRUE AS in_den, f.detail,
       coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
       coalesce(f.sex, 'Unknown') AS by_sex,
       coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(f.age_band, 'Unknown') AS by_age_band
FROM facts f
UNION ALL
SELECT m.measure, 'status', st.code, f.child_id, f.child_id,
       coalesce(CASE m.measure WHEN 'status_at_start' THEN sf.at_start ELSE sf.during END, FALSE),
       TRUE, f.detail, NULL, NULL, NULL, NULL
FROM facts f
CROSS JOIN ref_care_status st
CROSS JOIN (VALUES ('status_at_start'), ('status_during')) m(measure)
LEFT JOIN status_flags sf ON sf.child_id = f.child_id AND sf.status = st.code
UNION ALL
SELECT 'early_help_referral', 'early_help_referral', k.category, f.child_id, f.child_id,
       coalesce(CASE WHEN k.before THEN sf.open_before ELSE sf.referred_during END, FALSE), TRUE,
       f.detail, NULL, NULL, NULL, NULL
FROM facts f
CROSS JOIN (VALUES ('Already open', TRUE), ('Referred during order', FALSE)) k(category, before)
LEFT JOIN status_flags sf ON sf.child_id = f.child_id AND sf.status = 'EARLY_HELP_REFERRAL'
