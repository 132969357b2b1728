-- ============================================================================================
-- Shared scope: the views and macros every KPI file reads.       Source: KPIS.md §1 (common)
-- ============================================================================================
-- Variables set by the engine (yjs/performance/engine.py) for each run:
--   period_start, period_end  the reporting quarter          as_at   ignore later-dated records
--   r12_start                 start of the 12 months ending with the quarter
--   fte_start, fte_end        FTE window (12 months ending with the previous quarter, §1.1)
--   kpi_start                 2023-04-01: the 2023 KPIs count orders ending on or after it
--   population_year, population   ONS mid-year used and the 10-17 total (§1.2)
-- "To confirm" defaults (override with the engine's params=):
--   keep_not_known_residence  TRUE: residence NOT_KNOWN is kept, only OTHER is excluded (§1.3)
-- ============================================================================================

-- Completed years; a 29 February birthday falls on 1 March in common years (§1.3).
CREATE OR REPLACE MACRO age_years(dob, d) AS
    year(d) - year(dob)
    - CASE WHEN month(d) * 100 + day(d) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END;

CREATE OR REPLACE MACRO age_band(a) AS
    CASE WHEN a BETWEEN 10 AND 14 THEN '10-14' WHEN a BETWEEN 15 AND 17 THEN '15-17'
         ELSE 'Other' END;

-- Last Friday of June of the school year (Sep-Aug) in which the child turns 16 (KPI 2).
CREATE OR REPLACE MACRO school_leaving_date(dob) AS
    make_date(year(dob) + 16 + CASE WHEN month(dob) >= 9 THEN 1 ELSE 0 END, 6, 30)
    - CAST((isodow(make_date(year(dob) + 16 + CASE WHEN month(dob) >= 9 THEN 1 ELSE 0 END, 6, 30))
            + 2) % 7 AS INTEGER);

-- Status records against an order (§1.5): relevant = overlaps the order.
CREATE OR REPLACE MACRO is_relevant(s, e, order_start, order_end) AS
    s <= order_end AND (e IS NULL OR e >= order_start);
CREATE OR REPLACE MACRO at_end(s, e, order_start, order_end) AS
    is_relevant(s, e, order_start, order_end) AND (e IS NULL OR e >= order_end);
CREATE OR REPLACE MACRO at_start(s, e, order_start, order_end, start_point) AS
    is_relevant(s, e, order_start, order_end) AND s <= start_point;
-- Release from custody: in force on the licence start (to confirm).
CREATE OR REPLACE MACRO at_release(s, e, order_start, order_end, release) AS
    release IS NOT NULL AND is_relevant(s, e, order_start, order_end)
    AND s <= release AND (e IS NULL OR e >= release);

-- Every result row is broken down the same four ways as well as in total (type of order, sex,
-- ethnicity group, age band): a file gives each total row the unit's categories as breakdown
-- columns (by_type_of_order, by_sex, ...; NULL: not broken down so) and the engine counts them
-- with GROUPING SETS (docs/kpis.md, "Result grain").

-- Working days after a up to and including b (weekends and E&W bank holidays excluded).
CREATE OR REPLACE MACRO working_days_between(a, b) AS
    (SELECT max(wd_index) FILTER (WHERE d = b) - max(wd_index) FILTER (WHERE d = a)
     FROM ref_calendar WHERE d IN (a, b));

-- The shared inputs below are materialised once per run (temp tables), since every KPI reads them.

-- Children: deleted records excluded (§1.3.5); sex with gender fallback (§2.6).
CREATE OR REPLACE TEMP TABLE child AS
SELECT c.child_id,
       c.date_of_birth AS dob,
       CASE WHEN c.sex = '1' THEN 'Male' WHEN c.sex = '2' THEN 'Female'
            WHEN c.gender = '1' THEN 'Male' WHEN c.gender = '2' THEN 'Female'
            ELSE 'Unknown' END AS sex,
       coalesce(e.ethnicity_group, 'NOT_KNOWN') AS ethnicity_group,
       coalesce(c.previous_substantive_outcome, FALSE) AS previous_substantive_outcome
FROM raw.children c
LEFT JOIN ref_ethnicity e ON e.code = c.ethnicity
WHERE NOT c.deleted;

-- Outcomes known at the as-at date, not quashed or changed on appeal (§1.3.2), any residence,
-- variations included: an extension or variation of an existing order (is_variation) is a
-- change to that order, not a new outcome. Only the order-end scope set below and the FTE
-- "first ever" test (fte.sql, disproportionality.sql) read this view directly.
-- A view, not a copy: copying all 2.6 M outcomes with their fifteen columns at national scale
-- cost more CPU than every reader's own scan of the columns it needs, and 200 MB of memory.
-- Without the child's columns: joining all 2.6 M outcomes to `child` costs more still. A
-- deleted child's outcomes are left out by id (every outcome's child is in raw.children: the
-- loader checks it); a reader that needs the child's sex, ethnicity group or date of birth
-- joins `child` itself, after its own filters.
CREATE OR REPLACE TEMP VIEW outcome_incl_variations AS
SELECT o.outcome_id, o.child_id, o.outcome_date, o.outcome_code,
       r.outcome_group, r.type_of_order, r.substantive, r.oocd, r.rank, r.court, r.custodial,
       coalesce(o.first_hearing_date, o.outcome_date) AS first_hearing_date,
       o.first_hearing_date AS first_hearing_recorded,
       o.residence, coalesce(o.is_variation, FALSE) AS is_variation
FROM raw.outcomes o
JOIN ref_outcome r ON r.code = o.outcome_code
WHERE o.outcome_date <= getvariable('as_at')
  AND o.appeal_status NOT IN ('CHANGED_ON_APPEAL', 'SUCCESSFUL')
  AND o.child_id NOT IN (SELECT child_id FROM raw.children WHERE deleted);

-- Residence on the outcome is the service's area (§1.3.1).
CREATE OR REPLACE MACRO is_local(residence) AS
    residence = 'LOCAL'
    OR (residence = 'NOT_KNOWN' AND coalesce(getvariable('keep_not_known_residence'), TRUE));

-- New outcomes: every file that counts outcomes reads these two, so a variation is never a
-- first time entrance, a reoffending index event or proven reoffence, a KPI 9 disposal, a
-- custodial or court sentence, or an RRI event (KPIS.md §3.3 excludes variations from custody;
-- the other definitions count decisions and sentences, which a variation is not).
CREATE OR REPLACE TEMP VIEW outcome_valid AS
SELECT * FROM outcome_incl_variations WHERE NOT is_variation;

-- ... and of a locally resident child (§1.3.1). A view, not a copy: every reader filters it
-- further (by dates or codes), and copying 2.5 M rows at national scale cost more than all the
-- filtered scans together.
CREATE OR REPLACE TEMP VIEW outcome_local AS
SELECT * FROM outcome_valid WHERE is_local(residence);

-- Offences known at the as-at date. A view, not a copy, and not joined to `child`: every
-- reader reaches offences through a child already in scope (a cohort member, a closed
-- intervention's child, a local outcome's child), so a deleted child's offences never count;
-- joining and copying all 3 M offences at national scale cost more than every reader's
-- filtered scan together. A new reader must keep to that (join it to a scoped child). The
-- category's flags (serious violence, breach) are in ref_offence_category, joined by the
-- readers that need them, after their own filters.
CREATE OR REPLACE TEMP VIEW offence AS
SELECT f.offence_id, f.child_id, f.offence_date, f.arrest_date, f.category, f.gravity_score
FROM raw.offences f
WHERE f.offence_date <= getvariable('as_at');

-- The quarter's new outcomes of local children (outcome_local) with each offence they dealt
-- with: KPI 9 and court timeliness both start here. Built once, since finding them is a probe
-- of every outcome-offence link and every offence (3 M each at national scale). The offence's
-- child is kept beside the outcome's: a reader that wants the child's own offences compares them.
CREATE OR REPLACE TEMP TABLE quarter_outcome_offences AS
SELECT o.outcome_id, o.child_id, o.outcome_date, o.outcome_code, o.outcome_group,
       o.type_of_order, o.rank, o.court, o.first_hearing_date, o.first_hearing_recorded,
       f.offence_id, f.child_id AS offence_child_id, f.offence_date, f.arrest_date, f.category,
       f.gravity_score
FROM outcome_local o
JOIN raw.outcome_offences oo ON oo.outcome_id = o.outcome_id
JOIN offence f ON f.offence_id = oo.offence_id
WHERE o.outcome_date BETWEEN getvariable('period_start') AND getvariable('period_end');

-- Candidate (child, order) rows for KPIs 1-8 and 10 (§1.4): the intervention programme ends in
-- the quarter (and on or after the KPI start, and by the as-at date), the outcome carries a
-- type of order, the child was 10-17 on the intervention start (DTO licence: sentence date).
-- The unit is the programme ending, not the outcome: a programme recorded against a variation
-- still carries out the (varied) order, so variations stay in scope here; the one-row-per-child
-- rule keeps a child once per quarter either way.
CREATE OR REPLACE TEMP TABLE scope_candidates AS
WITH ending AS MATERIALIZED (  -- the programmes first: DuckDB otherwise guesses them the larger
    -- side of the join and builds its hash table on all 2.6 M outcomes (half this statement)
    SELECT * FROM raw.interventions i
    WHERE i.start_date <= getvariable('as_at')
      AND i.end_date BETWEEN greatest(getvariable('period_start'), getvariable('kpi_start'))
                         AND least(getvariable('period_end'), getvariable('as_at'))
),
rows AS (
    SELECT i.intervention_id, i.child_id, o.outcome_id, o.outcome_code, o.type_of_order, o.rank,
           o.outcome_date, ch.sex, ch.ethnicity_group, ch.dob, o.first_hearing_date,
           i.start_date AS intervention_start, i.end_date AS order_end, i.is_licence,
           i.kpi6_completed,
           CASE WHEN i.is_licence THEN o.outcome_date - 1
                WHEN o.type_of_order = 'CUST' THEN i.start_date - 1
                ELSE i.start_date END AS order_start,
           CASE WHEN i.is_licence THEN o.outcome_date ELSE i.start_date END AS start_point
    FROM ending i
    JOIN outcome_incl_variations o ON o.outcome_id = i.outcome_id AND o.child_id = i.child_id
    JOIN child ch ON ch.child_id = i.child_id
    WHERE o.type_of_order IS NOT NULL
      AND is_local(o.residence)
)
SELECT r.*, age_years(r.dob, r.start_point) AS age,
       age_band(age_years(r.dob, r.start_point)) AS age_band,
       (SELECT min(ce.release_date) FROM raw.custody_episodes ce
        WHERE ce.outcome_id = r.outcome_id AND ce.release_date <= getvariable('as_at')) AS release_date
FROM rows r
WHERE age_years(r.dob, r.start_point) BETWEEN 10 AND 17;

-- The scope set: one row per child per quarter (§1.4): most serious (lowest rank), then latest
-- outcome, then latest intervention end, then smallest intervention id.
CREATE OR REPLACE TEMP TABLE scope_set AS
SELECT * FROM scope_candidates
QUALIFY row_number() OVER (PARTITION BY child_id
                           ORDER BY rank, outcome_date DESC, order_end DESC, intervention_id) = 1;

-- Population 10-17 by sex and single age for the population year (engine picks the year).
CREATE OR REPLACE TEMP VIEW population_used AS
SELECT age, CASE sex WHEN '1' THEN 'Male' ELSE 'Female' END AS sex, age_band(age) AS age_band,
       sum(population) AS population
FROM raw.population
WHERE year = getvariable('population_year') AND age BETWEEN 10 AND 17
GROUP BY ALL;
