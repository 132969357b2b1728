"""A record voided as entered in error counts nowhere: FTE, reoffending and custody are exactly
as if it had never been entered, whether it arrives as a dataset row with ``voided`` TRUE or
through a snapshot of a service that voided it.

Reported for 2022-23 Q3 (Oct-Dec 2022): the FTE window is Oct 2021 - Sep 2022 (one-quarter
lag), custody counts Jan - Dec 2022, the reoffending 3-month cohort is Apr - Jun 2021 and the
12-month cohort Jul 2020 - Jun 2021.

- Casey (born 1 Jan 2006) had a YRO on 1 May 2021: the cohort's only member. An offence of
  1 June 2021 was proven by a referral order on 1 September 2021: one reoffence. Wrongly
  entered: an offence of 15 January 2022 and a DTO of 1 March 2022 for it, with its custody
  episode. Counted, they would make two reoffences and one custodial sentence in 2022.
- Drew (born 1 Jan 2007) had a youth caution on 1 June 2022, his first substantive outcome: a
  first time entrant. Wrongly entered: a YRO of 1 July 2021, which, counted, would be his first
  substantive outcome, before the window, so he would not be an FTE.

By hand: FTE 1 (Drew); custody 0; reoffending 3-month and 12-month: 1 of 1 reoffended (100.0%),
1 reoffence per child (1.00), 1.00 per reoffender.
"""

from __future__ import annotations

import datetime as dt

from tests.performance.builders import Data, link, offence
from tests.performance.conftest import northshire_population
from yjs.performance.engine import run

QUARTER = "2022-23 Q3"
MEASURES = [
    ("fte", "fte_count"),
    ("custody", "custody_count"),
    ("reoffending", "binary_3m"),
    ("reoffending", "frequency_3m"),
    ("reoffending", "per_reoffender_3m"),
    ("reoffending", "binary_12m"),
    ("reoffending", "frequency_12m"),
]
BY_HAND = {
    ("fte", "fte_count"): (1, None, 1),
    ("custody", "custody_count"): (0, None, 0),
    ("reoffending", "binary_3m"): (1, 1, 100.0),
    ("reoffending", "frequency_3m"): (1, 1, 1.0),
    ("reoffending", "per_reoffender_3m"): (1, 1, 1.0),
    ("reoffending", "binary_12m"): (1, 1, 100.0),
    ("reoffending", "frequency_12m"): (1, 1, 1.0),
}


def figures(folder) -> dict:
    r = run(folder, QUARTER, kpis=["fte", "custody", "reoffending"])
    out = {}
    for kpi, measure in MEASURES:
        m = r.get(kpi, measure)
        den = m.denominator if kpi == "reoffending" else None
        out[(kpi, measure)] = (m.numerator, den, m.value)
    return out


def _o(cid, oid, code, date, **extra):
    return {"outcome_id": oid, "child_id": cid, "outcome_date": date, "outcome_code": code,
            "residence": "LOCAL", **extra}


def casey_and_drew(wrong: str) -> Data:
    """The two children; `wrong` is "absent", "voided" or "live" for the mis-entered rows."""
    d = Data(population=northshire_population(10_000, year=2021))
    d.add("children", {"child_id": "CASEY", "date_of_birth": "2006-01-01", "sex": "2"},
          {"child_id": "DREW", "date_of_birth": "2007-01-01", "sex": "1"})
    d.add("outcomes", _o("CASEY", "C-yro", "YRO", "2021-05-01"),
          _o("CASEY", "C-ro", "REFERRAL_ORDER", "2021-09-01"),
          _o("DREW", "D-yc", "YOUTH_CAUTION", "2022-06-01"))
    d.add("offences", offence("CASEY", "C-f1", "2021-06-01"))
    d.add("outcome_offences", link("C-ro", "C-f1"))
    if wrong != "absent":
        flag = {"voided": "true"} if wrong == "voided" else {}
        d.add("offences", {**offence("CASEY", "C-wrong-f", "2022-01-15"), **flag})
        d.add("outcomes", _o("CASEY", "C-wrong-dto", "DTO", "2022-03-01", **flag),
              _o("DREW", "D-wrong-yro", "YRO", "2021-07-01", **flag))
        d.add("outcome_offences", link("C-wrong-dto", "C-wrong-f"))
        # not flagged itself: it rests on the voided DTO, so it goes with it
        d.add("custody_episodes", {"custody_episode_id": "CE1", "child_id": "CASEY",
                                   "outcome_id": "C-wrong-dto", "start_date": "2022-03-01",
                                   "release_date": "2022-06-01"})
    for table in ("outcomes", "offences"):  # every row has the column (CSV needs one header)
        for row in d[table]:
            row.setdefault("voided", "")
    return d


def test_a_voided_row_in_the_dataset_changes_no_figure(dataset_dir, tmp_path):
    from tests.performance.conftest import write_dataset

    never = figures(write_dataset(tmp_path / "never", **casey_and_drew("absent")))
    voided = figures(write_dataset(tmp_path / "voided", **casey_and_drew("voided")))
    live = figures(write_dataset(tmp_path / "live", **casey_and_drew("live")))
    assert never == BY_HAND
    assert voided == never
    # the test could fail: counted, the wrong rows change every one of the three figures
    assert live[("fte", "fte_count")][0] == 0
    assert live[("custody", "custody_count")][0] == 1
    assert live[("reoffending", "frequency_3m")][0] == 2


# Through the casework services and the snapshot ----------------------------------------------


def test_voiding_through_the_services_leaves_the_snapshot_figures_unchanged(
    northshire, people, tmp_path, settings
):
    from tests.conftest import make_child
    from yjs.casework import services
    from yjs.casework.models import CustodyEpisode, Offence, Outcome
    from yjs.interop.snapshot import take_snapshot
    from yjs.organisation.models import PopulationEstimate

    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    alice = people["alice"]
    la = northshire.local_authorities.first()
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(local_authority=la, year=2021, age=age, sex=sex, count=625)
        for age in range(10, 18)
        for sex in ("1", "2")
    )  # 10,000 children aged 10-17
    north = northshire.teams.get(name="North")
    casey = make_child(northshire, north, first="Casey", dob=dt.date(2006, 1, 1))
    drew = make_child(northshire, north, first="Drew", dob=dt.date(2007, 1, 1))

    def offence_of(child, on):
        return services.record_offence(
            alice,
            Offence(child=child, offence_date=on, description="Theft",
                    category="THEFT_AND_HANDLING", gravity_score=2),
        )

    def outcome_of(child, code, on, offences):
        length = {"YRO": 12, "REFERRAL_ORDER": 6, "DTO": 12}.get(code)
        outcome = Outcome(child=child, code=code, outcome_date=on, length_months=length,
                          residence="LOCAL", appeal_status="NONE")
        return services.record_outcome(alice, outcome, offences)

    casey_yro_offence = offence_of(casey, dt.date(2021, 4, 1))
    outcome_of(casey, "YRO", dt.date(2021, 5, 1), [casey_yro_offence])
    reoffence = offence_of(casey, dt.date(2021, 6, 1))
    outcome_of(casey, "REFERRAL_ORDER", dt.date(2021, 9, 1), [reoffence])
    drew_offence = offence_of(drew, dt.date(2022, 5, 1))
    outcome_of(drew, "YOUTH_CAUTION", dt.date(2022, 6, 1), [drew_offence])

    def snapshot_figures():
        return figures(take_snapshot(tmp_path / "out", service=northshire))

    never = snapshot_figures()
    assert never == BY_HAND

    wrong_offence = offence_of(casey, dt.date(2022, 1, 15))
    wrong_dto = outcome_of(casey, "DTO", dt.date(2022, 3, 1), [wrong_offence])
    episode = services.save_record(
        alice,
        CustodyEpisode(child=casey, outcome=wrong_dto, establishment="YOI",
                       start_date=dt.date(2022, 3, 1), release_date=dt.date(2022, 6, 1)),
    )
    drew_wrong_offence = offence_of(drew, dt.date(2021, 6, 1))
    wrong_yro = outcome_of(drew, "YRO", dt.date(2021, 7, 1), [drew_wrong_offence])
    entered = snapshot_figures()
    assert entered != never  # the mis-entered records do count while they are live

    # what rests on a record is voided first (the service refuses otherwise)
    for record in (episode, wrong_dto, wrong_offence, wrong_yro, drew_wrong_offence):
        services.void_record(alice, record, "Entered in error")
    assert snapshot_figures() == never
