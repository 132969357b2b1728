-- ============================================================================================
-- KPI 10 - Victims                                                Source: KPIS.md §4 KPI 10
-- ============================================================================================
-- Purpose: how the YJS engages victims of offences by children whose orders ended.
-- Unit: distinct victim, reached through the offences linked to the outcomes of every
--   (child, order) whose intervention ended in the quarter and passes §1.3 (the candidates before
--   the one-row-per-child rule, so a second order's victims are not lost). A victim linked to
--   several offences or children counts once: each of the victim's children has a row (the
--   child lists and the drill-down name every child), but only the first child's row (lowest
--   child_id) carries the victim as its unit; the others' unit_id is NULL, so the engine counts
--   rows, not distinct victims (a distinct count per breakdown was most of this file's time).
-- Headline (rj_engaged): victims with consent_to_contact = YES and rj_engaged = YES / victims with
--   consent = YES.
-- Sub-measures: victims (10a, count); children_with_victim = children with at least one identified
--   victim / children with an order ending (10b); rj_processes = victims engaged in RJ (10c,
--   count); view_sought / consenting (10d); progress_provided / progress_requested (10e) and
--   support_provided / support_requested (10f) - "requested" as the template and gov.uk wording
--   (to confirm: the case-level code uses consenting); contacted (contact date set) / consenting
--   (10g). No consent record: counted in 10a only.
-- Breakdown: victim type.
-- ============================================================================================
WITH child_offences AS (
    SELECT DISTINCT c.child_id, oo.offence_id
    FROM scope_candidates c
    JOIN raw.outcome_offences oo ON oo.outcome_id = c.outcome_id
),
victim_links AS MATERIALIZED (
    SELECT DISTINCT co.child_id, v.*
    FROM child_offences co
    JOIN raw.victim_offences vo ON vo.offence_id = co.offence_id
    JOIN raw.victims v ON v.victim_id = vo.victim_id
),
facts AS MATERIALIZED (
    SELECT *, coalesce(victim_type, 'NOT_KNOWN') AS vtype,
           row_number() OVER (PARTITION BY victim_id ORDER BY child_id) = 1 AS counted,
           consent_to_contact = 'YES' AS consenting,
           coalesce(contact_date <= getvariable('as_at'), FALSE) AS contacted,
           'victim ' || victim_id || ': consent ' || coalesce(consent_to_contact, '-') || ', RJ '
               || coalesce(rj_engaged, '-') AS detail
    FROM victim_links
)
SELECT m.measure, 'all' AS dimension, 'all' AS category,
       CASE WHEN f.counted THEN f.victim_id END AS unit_id, f.child_id,
       coalesce(m.in_num, FALSE) AS in_num, coalesce(m.in_den, FALSE) AS in_den, f.detail,
       coalesce(f.vtype, 'Unknown') AS by_victim_type, CAST(NULL AS VARCHAR) AS by_type_of_order,
       CAST(NULL AS VARCHAR) AS by_sex, CAST(NULL AS VARCHAR) AS by_ethnicity_group,
       CAST(NULL AS VARCHAR) AS by_age_band
FROM facts f,
     LATERAL (VALUES  -- a ratio's numerator is always inside its denominator
         ('rj_engaged', f.consenting AND f.rj_engaged = 'YES', f.consenting),
         ('victims', TRUE, FALSE),
         ('rj_processes', f.rj_engaged = 'YES', FALSE),
         ('view_sought', f.consenting AND f.view_sought = 'YES', f.consenting),
         ('progress_provided', f.progress_requested = 'YES' AND f.progress_provided = 'YES',
          f.progress_requested = 'YES'),
         ('support_provided', f.support_requested = 'YES' AND f.support_provided = 'YES',
          f.support_requested = 'YES'),
         ('contacted', f.consenting AND f.contacted, f.consenting)) AS m(measure, in_num, in_den)
WHERE coalesce(m.in_den, FALSE) OR coalesce(m.in_num, FALSE)
UNION ALL  -- IN, not a correlated EXISTS: Spark fails to plan that inside the contract check
SELECT 'children_with_victim', 'all', 'all', s.child_id, s.child_id,
       s.child_id IN (SELECT child_id FROM victim_links), TRUE,
       s.type_of_order || ' order ended ' || s.order_end, NULL,
       coalesce(s.type_of_order, 'Unknown') AS by_type_of_order,
       coalesce(s.sex, 'Unknown') AS by_sex,
       coalesce(s.ethnicity_group, 'Unknown') AS by_ethnicity_group,
       coalesce(s.age_band, 'Unknown') AS by_age_band
FROM scope_set s
