""" "Known to the service before", as the board pack's first-time entrant review says it.

Five children get their first caution or conviction in 2025-26 Q1 (April to June 2025), each for
an offence committed on 1 April 2025 (Fay: 1 March). Hand-worked:

- Ann: referred by the police on 3 April for this offence. The referral is about the event
  itself, so she was NOT known before (the old rule counted it).
- Ben: a prevention programme from January to 20 March 2025, ended before the offence: known
  ("intervention").
- Cal: a Turnaround programme from February 2025, still running on 1 April: it has not ended,
  so it does not count; NOT known.
- Dee: a community resolution on 10 October 2024: known ("earlier outcome"). Her bail support
  starting 2 April (for this offence) does not count.
- Eve: a referral received on 5 May 2024 for something else: known ("referral").
- Fay: offences on 1 March and 1 April 2025, sentenced together; a referral on 15 March (after
  her first offence) does not count: NOT known.
- Gus: the Police National Computer shows an earlier caution elsewhere: no first-time entrant.

So 6 first-time entrants, 3 known before (Ben, Dee, Eve).
"""

import datetime as dt

from tests.conftest import make_child
from yjs.casework.models import Intervention, Offence, Outcome, Referral
from yjs.governance import selectors
from yjs.performance import statements
from yjs.periods import parse_quarter

D = dt.date
OFFENCE = D(2025, 4, 1)
SENTENCED = D(2025, 5, 20)


def _fte(child, offence_dates=(OFFENCE,), on=SENTENCED):
    outcome = Outcome.objects.create(child=child, code="YOUTH_CAUTION", outcome_date=on)
    for d in offence_dates:
        offence = Offence.objects.create(
            child=child, offence_date=d, description="Theft", category="THEFT_AND_HANDLING"
        )
        outcome.offences.add(offence)
    return outcome


def _referral(child, on):
    Referral.objects.create(
        child=child, received_on=on, source="POLICE", pathway="OOCD", reason="Arrested"
    )


def _programme(child, kind, start, end=None):
    Intervention.objects.create(
        child=child, kind=kind, start_date=start, end_date=end, team=child.team
    )


def test_known_before_counts_only_contact_ended_before_the_offence(northshire, people):
    team = people["alice"].team
    ann, ben, cal, dee, eve, fay, gus = (
        make_child(northshire, team, first=n, last="Test")
        for n in ("Ann", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus")
    )
    _referral(ann, D(2025, 4, 3))
    _programme(ben, "PREVENTION", D(2025, 1, 6), D(2025, 3, 20))
    _programme(cal, "TURNAROUND", D(2025, 2, 3))
    Outcome.objects.create(child=dee, code="COMMUNITY_RESOLUTION", outcome_date=D(2024, 10, 10))
    _programme(dee, "BAIL_SUPPORT", D(2025, 4, 2), D(2025, 5, 20))
    _referral(eve, D(2024, 5, 5))
    _referral(fay, D(2025, 3, 15))
    gus.previous_substantive_outcome = True
    gus.save()
    outcomes = {c.first_name: _fte(c) for c in (ann, ben, cal, dee, eve, gus)}
    outcomes["Fay"] = _fte(fay, (D(2025, 3, 1), OFFENCE))

    assert statements.event_start(outcomes["Fay"]) == D(2025, 3, 1)
    found = {name: statements.known_before(o.child, o) for name, o in outcomes.items()}
    assert found["Ann"] == [] and found["Cal"] == [] and found["Fay"] == []
    assert found["Ben"] == ["intervention"]
    assert found["Dee"] == ["earlier outcome"]
    assert found["Eve"] == ["referral"]

    review = selectors.first_time_entrants(northshire, parse_quarter("2025-26Q1"), named=True)
    assert review["count"] == 6  # Gus is no first-time entrant
    assert review["known"] == 3
    by_name = {r["child"].split()[0]: r["known_before"] for r in review["rows"]}
    assert by_name == {
        "Ann": "No",
        "Ben": "Yes: intervention",
        "Cal": "No",
        "Dee": "Yes: earlier outcome",
        "Eve": "Yes: referral",
        "Fay": "No",
    }


def _row(measure, value, numerator, denominator, suppressed=False, q="2025-26 Q1"):
    return {
        "kpi": "reoffending",
        "measure": measure,
        "period": q,
        "dimension": "all",
        "category": "all",
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "suppressed": suppressed,
        "unit": "percent",
        "label": dict(binary_3m="Reoffenders, 3-month cohort (%)").get(
            measure, "Reoffenders, aggregated 12-month cohort (%)"
        ),
    }


def test_a_suppressed_reoffending_rate_gives_way_to_the_12_month_cohort():
    """3 of 4 children in the 3-month cohort reoffended: suppressed, never printed. The
    aggregated 12-month cohort, 9 of 27 = 33.3%, is what the document prints, named."""
    from yjs.governance.kpis import Results, StaticSource

    rows = [_row("binary_3m", 75.0, 3, 4, suppressed=True), _row("binary_12m", 33.3, 9, 27)]
    results = Results(StaticSource(rows))
    figure = results.reported("2025-26Q1", "reoffending")
    assert (figure.measure, figure.text, figure.counts_text) == ("binary_12m", "33.3%", "9 of 27")
    assert "aggregated 12-month cohort" in figure.label
    table = selectors.kpi_rows(results, parse_quarter("2025-26Q1"), None, [])
    assert [r["latest"] for r in table if r["kpi"] == "reoffending"] == ["33.3% (9 of 27)"]
    # A 3-month rate that may be published is the headline, as before.
    rows = [_row("binary_3m", 40.0, 4, 10), _row("binary_12m", 33.3, 9, 27)]
    assert Results(StaticSource(rows)).reported("2025-26Q1", "reoffending").measure == "binary_3m"
    # Both suppressed: the headline stays, printed as "*".
    rows = [_row("binary_3m", 75.0, 3, 4, True), _row("binary_12m", 50.0, 2, 4, True)]
    assert Results(StaticSource(rows)).reported("2025-26Q1", "reoffending").text == "*"
