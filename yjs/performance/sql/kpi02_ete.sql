-- ============================================================================================
-- KPI 2 - Education, training and employment (ETE)                Source: KPIS.md §4 KPI 2, §1.5
-- ============================================================================================
-- Purpose: share of children in suitable ETE when their order ends.
-- Population: the scope set (children with an order ending in the quarter, one row per child).
-- Headline (suitable_end): at least one ETE record at the end AND every record at end SUITABLE
--   (UNKNOWN = unsuitable). A NONE record marked SUITABLE counts as suitable and is reported in
--   none_recorded_suitable as a data-quality exception.
-- School age: up to and including the last Friday of June of the school year in which the child
--   turns 16 (to confirm against the YJB helper), tested at the start point and at the end.
-- Hours: summed over every record at the time point, offered and attended separately.
--   Full time >= 25 (school age) / >= 16 (above school age); part time 1+ below that; 0 = none
--   (to confirm: the YJB code counts 0 as part time at start only; we use 1+ throughout).
--   Bands: 0, 1-15, 16-24, 25+.
-- Sub-measures: suitable_start, suitable_release (custody), full_time_offered_end,
--   full_time_attended_end, hours_offered_band_end, hours_attended_band_end, provision_type_end
--   (suitable among children with that provision group at end), no_ete_end (a NONE record at end).
-- Breakdowns: type of order, sex, ethnicity group, age band, and school_age at end.
-- ============================================================================================
WITH recs AS (
    SELECT s.child_id, e.provision, rp.provision_group,
           e.suitability = 'SUITABLE' AS ok,
           coalesce(e.hours_offered, 0) AS hours_offered,
           coalesce(e.hours_attended, 0) AS hours_attended,
           at_end(e.start_date, e.end_date, s.order_start, s.order_end) AS at_end,
           at_start(e.start_date, e.end_date, s.order_start, s.order_end, s.start_point) AS at_start,
           at_release(e.start_date, e.end_date, s.order_start, s.order_end, s.release_date)
               AS at_release
    FROM scope_set s
    JOIN raw.ete e ON e.child_id = s.child_id
    JOIN ref_ete_provision rp ON rp.code = e.provision
    WHERE e.start_date <= getvariable('as_at')
),
per_child AS (
    SELECT s.child_id, s.type_of_order, s.sex, s.ethnicity_group, s.age_band, s.release_date,
           s.order_end,
           CASE WHEN s.order_end <= school_leaving_date(s.dob) THEN 'School age'
                ELSE 'Above school age' END AS school_age,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_end), FALSE) AS suitable_end,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_start), FALSE) AS suitable_start,
           coalesce(bool_and(r.ok) FILTER (WHERE r.at_release), FALSE) AS suitable_release,
           coalesce(sum(r.hours_offered) FILTER (WHERE r.at_end), 0) AS offered_end,
           coalesce(sum(r.hours_attended) FILTER (WHERE r.at_end), 0) AS attended_end,
           coalesce(bool_or(r.provision = 'NONE') FILTER (WHERE r.at_end), FALSE) AS none_end,
           coalesce(bool_or(r.provision = 'NONE' AND r.ok) FILTER (WHERE r.at_end), FALSE)
               AS none_suitable,
           string_agg(r.provision || ' ' || r.hours_offered || 'h '
                      || CASE WHEN r.ok THEN 'SUITABLE' ELSE 'UNSUITABLE' END, ', ')
               FILTER (WHERE r.at_end) AS end_records
    FROM scope_set s
    LEFT JOIN recs r ON r.child_id = s.child_id
    GROUP BY ALL
),
facts AS MATERIALIZED (
    SELECT *,
           CASE WHEN school_age = 'School age' THEN 25 ELSE 16 END AS full_time_hours,
           CASE WHEN offered_end <= 0 THEN '0' WHEN offered_end < 16 THEN '1-15'
                WHEN offered_end < 25 THEN '16-24' ELSE '25+' END AS offered_band,
           CASE WHEN attended_end <= 0 THEN '0' WHEN attended_end < 16 THEN '1-15'
                WHEN attended_end < 25 THEN '16-24' ELSE '25+' END AS attended_band,
           type_of_order || ' order ended ' || order_end || ' (' || school_age || '); at end: '
               || coalesce(end_records, 'no ETE record') AS detail
    FROM per_child
),
by_breakdown AS (
    SELECT m.measure, 'all' AS dimension, 'all' AS category,
           f.child_id AS unit_id, f.child_id, m.in_num, TRUE AS in_den, f.detail,
           coalesce(f.type_of_order, 'Unknown') AS by_type_of_order,
           coalesce(f.sex, 'Unknown') AS by_sex,
           coalesce(f.ethnicity_group, 'Unknown') AS by_ethnicity_group,
           coalesce(f.age_band, 'Unknown') AS by_age_band,
           coalesce(f.school_age, 'Unknown') AS by_school_age
    FROM facts f,
         LATERAL (VALUES ('suitable_end', f.suitable_end),
                         ('suitable_start', f.suitable_start),
                         ('full_time_offered_end', f.offered_end >= f.full_time_hours),
                         ('full_time_attended_end', f.attended_end >= f.full_time_hours),
                         ('no_ete_end', f.none_end)) AS m(measure, in_num)
)
SELECT * FROM by_breakdown
UNION ALL
SELECT 'suitable_release', 'all', 'all', child_id, child_id, suitable_release, TRUE, detail,
       NULL, NULL, NULL, NULL, NULL
FROM facts WHERE type_of_order = 'CUST' AND release_date IS NOT NULL
UNION ALL
SELECT 'hours_' || t.kind || '_band_end', 'hours_band', bands.band, f.child_id, f.child_id,
       CASE t.kind WHEN 'offered' THEN f.offered_band ELSE f.attended_band END = bands.band,
       TRUE, f.detail, NULL, NULL, NULL, NULL, NULL
FROM facts f,
     (VALUES ('offered'), ('attended')) t(kind),
     (VALUES ('0'), ('1-15'), ('16-24'), ('25+')) bands(band)
UNION ALL
SELECT 'provision_type_end', 'provision_type', t.provision_group, f.child_id, f.child_id,
       f.suitable_end, TRUE, f.detail, NULL, NULL, NULL, NULL, NULL
FROM facts f  -- each child once per group (made distinct before the detail text is joined)
JOIN (SELECT DISTINCT child_id, provision_group FROM recs WHERE at_end) t
  ON t.child_id = f.child_id
UNION ALL
SELECT 'none_recorded_suitable', 'all', 'all', child_id, child_id, none_suitable, FALSE, detail,
       NULL, NULL, NULL, NULL, NULL
FROM facts
