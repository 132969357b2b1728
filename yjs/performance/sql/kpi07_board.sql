-- ============================================================================================
-- KPI 7 - Management board attendance (the YJB code calls it kpi8)
--                                                                 Source: KPIS.md §4 KPI 7
-- ============================================================================================
-- Purpose: whether senior leaders of the statutory partners attend the YJS management board.
-- Unit: YJS x quarter (board data, not child data); meetings held in the quarter.
-- Sectors (5): LA children's social care, LA education, police, probation, health. OTHER partners
--   are recorded but never counted.
-- Headline (senior_sectors): statutory sectors represented by a SENIOR partner at at least one
--   meeting in the quarter / 5 (to confirm: "at least one"; senior_every_meeting and the mean
--   senior_per_meeting are reported beside it). No meeting in the quarter: denominator 0 -> NULL.
-- Sub-measures: senior_attendance by sector (meetings with a senior partner / meetings, 7a);
--   delegated_sectors (sectors represented by a delegate at least once / 5, 7b);
--   delegated_attendance by sector (7c); new_partner (meetings with a new partner, by sector);
--   disproportionality_data (sectors that contributed disproportionality data).
-- ============================================================================================
WITH meetings AS (
    SELECT meeting_id FROM raw.board_meetings
    WHERE meeting_date BETWEEN getvariable('period_start') AND getvariable('period_end')
      AND meeting_date <= getvariable('as_at')
),
sectors AS (SELECT code AS sector FROM ref_board_sector WHERE statutory),
grid AS (  -- every statutory sector at every meeting, with what was recorded
    SELECT m.meeting_id, s.sector, coalesce(a.attendance, 'NONE') AS attendance,
           coalesce(a.new_partner, FALSE) AS new_partner,
           coalesce(a.disproportionality_data, FALSE) AS disproportionality_data
    FROM meetings m CROSS JOIN sectors s
    LEFT JOIN raw.board_attendance a ON a.meeting_id = m.meeting_id AND a.sector = s.sector
),
per_sector AS (
    SELECT sector, count(*) AS meetings,
           count(*) FILTER (WHERE attendance = 'SENIOR') AS senior,
           count(*) FILTER (WHERE attendance = 'DELEGATED') AS delegated,
           bool_or(disproportionality_data) AS disproportionality_data
    FROM grid GROUP BY sector
)
SELECT m.measure, 'all' AS dimension, 'all' AS category, p.sector AS unit_id,
       CAST(NULL AS VARCHAR) AS child_id, m.in_num, TRUE AS in_den,
       p.sector || ': senior at ' || p.senior || ' of ' || p.meetings || ' meetings, delegate at '
           || p.delegated AS detail
FROM per_sector p,
     LATERAL (VALUES ('senior_sectors', p.senior > 0),
                     ('senior_every_meeting', p.senior = p.meetings),
                     ('delegated_sectors', p.delegated > 0)) AS m(measure, in_num)
UNION ALL
SELECT 'disproportionality_data', 'all', 'all', sector, NULL, disproportionality_data, FALSE,
       sector
FROM per_sector
UNION ALL
SELECT 'senior_per_meeting', 'all', 'all', meeting_id || '/' || sector, NULL,
       attendance = 'SENIOR', FALSE, meeting_id
FROM grid
UNION ALL
SELECT 'senior_per_meeting', 'all', 'all', meeting_id, NULL, FALSE, TRUE, meeting_id
FROM meetings
UNION ALL
SELECT m.measure, 'sector', g.sector, g.meeting_id, NULL, m.in_num, m.in_den, g.meeting_id
FROM grid g,
     LATERAL (VALUES ('senior_attendance', g.attendance = 'SENIOR', TRUE),
                     ('delegated_attendance', g.attendance = 'DELEGATED', TRUE),
                     ('new_partner', g.new_partner, FALSE),
                     ('disproportionality_data', g.disproportionality_data, FALSE))
         AS m(measure, in_num, in_den)
