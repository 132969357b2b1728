-- ============================================================================================
-- Local indicator: offence to outcome timeliness                   Source: seed 003 (Portsmouth
--   plan 2.1 "improve offence to outcome timeliness"; Standards 1 and 2), issue 10
-- ============================================================================================
-- Unit: an outcome dated in the quarter (by the as-at date) of a locally resident child, not
--   changed on appeal, not an extension or variation of an existing order (outcome_local), with
--   an outcome tier (pre-court, first-tier, community, custody) and at least one linked offence.
-- Dates of an outcome (to confirm): offence = the earliest offence date of its offences; arrest
--   = the earliest arrest date recorded on them; first hearing = the outcome's own first hearing
--   date as recorded (court outcomes only: never defaulted to the outcome date here, unlike
--   _scope.sql), which the casework snapshot fills from the earliest hearing of its offences.
-- Measures (mean days, 1 d.p.; numerator = the sum of the units' days, num_weight):
--   offence_to_outcome        every unit: outcome date - offence date (the headline)
--   offence_to_arrest         units with an arrest date: arrest - offence
--   arrest_to_first_hearing   court units with both dates: first hearing - arrest
--   first_hearing_to_outcome  court units with a first hearing date: outcome - first hearing
--   A step with a negative number of days (dates out of order in loaded data) leaves the unit
--   out of that measure only.
-- Breakdowns: all, outcome tier (outcome_group).
-- ============================================================================================
WITH units AS (
    SELECT o.outcome_id, o.child_id, o.outcome_date, o.outcome_group, o.court,
           CASE WHEN o.court THEN min(o.first_hearing_recorded) END AS first_hearing_date,
           min(o.offence_date) AS offence_date,
           min(o.arrest_date) FILTER (WHERE o.arrest_date <= getvariable('as_at')) AS arrest_date
    FROM quarter_outcome_offences o  -- the quarter's outcomes with their offences (_scope.sql)
    WHERE o.outcome_group IS NOT NULL
    GROUP BY o.outcome_id, o.child_id, o.outcome_date, o.outcome_group, o.court
),
steps AS (
    SELECT u.*, s.measure, s.days,
           'offence ' || u.offence_date || ', arrest ' || coalesce(CAST(u.arrest_date AS VARCHAR), '-')
               || ', first hearing ' || coalesce(CAST(u.first_hearing_date AS VARCHAR), '-')
               || ', outcome ' || u.outcome_date || ' (' || u.outcome_group || ')' AS detail
    FROM units u,
         LATERAL (VALUES
             ('offence_to_outcome', date_diff('day', u.offence_date, u.outcome_date)),
             ('offence_to_arrest', date_diff('day', u.offence_date, u.arrest_date)),
             ('arrest_to_first_hearing', date_diff('day', u.arrest_date, u.first_hearing_date)),
             ('first_hearing_to_outcome', date_diff('day', u.first_hearing_date, u.outcome_date))
         ) s(measure, days)
    WHERE s.days >= 0
)
SELECT s.measure, b.dimension, b.category, s.outcome_id AS unit_id, s.child_id,
       TRUE AS in_num, TRUE AS in_den, s.days AS num_weight,
       s.detail || ': ' || s.days || ' days' AS detail
FROM steps s,
     LATERAL (VALUES ('all', 'all'), ('outcome_tier', s.outcome_group)) b(dimension, category)
