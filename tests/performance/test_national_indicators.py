"""FTE, use of custody and proven reoffending: KPIS.md §3, §6.1 examples 5-6 and the published
figures of §6.2 reproduced from their counts."""

import datetime as dt

import pytest

from tests.performance.builders import Data, link, offence
from tests.performance.conftest import northshire_population
from yjs.performance.engine import run
from yjs.periods import Quarter, add_months


def _o(d, cid, oid, code, date, **extra):
    d.add("outcomes", {"outcome_id": oid, "child_id": cid, "outcome_date": date,
                       "outcome_code": code, "residence": extra.pop("residence", "LOCAL"),
                       **extra})


# --- first time entrants ------------------------------------------------------------------

def test_fte_41_children_in_2022_give_229_per_100000(dataset_dir):
    d = Data(population=northshire_population(17_900, year=2021))
    for n in range(41):
        d.add("children", {"child_id": f"F{n:02d}", "date_of_birth": "2007-06-01", "sex": "1"})
        _o(d, f"F{n:02d}", f"O{n:02d}", "YOUTH_CAUTION", f"2022-{n % 12 + 1:02d}-15")
    # 2022-23 Q4 covers Jan-Dec 2022 (one-quarter lag); population mid-2021
    r = run(dataset_dir(**d), "2022-23 Q4", kpis=["fte"])
    rate = r.headline("fte")
    assert (rate.numerator, rate.denominator, rate.value) == (41, 17_900, 229.0)
    assert rate.population_year == 2021
    assert r.get("fte", "fte_count").value == 41


def test_fte_counts_the_first_ever_substantive_outcome_only(dataset_dir):
    d = Data(population=northshire_population(10_000, year=2021))
    kids = ["CR_THEN_YC", "EARLIER", "AWAY", "QUASHED_FIRST", "PNC", "TOO_OLD", "O22"]
    for cid in kids:
        dob = "2003-01-01" if cid == "TOO_OLD" else "2008-01-01"
        d.add("children", {"child_id": cid, "date_of_birth": dob, "sex": "2",
                           "previous_substantive_outcome": "true" if cid == "PNC" else ""})
    _o(d, "CR_THEN_YC", "A1", "COMMUNITY_RESOLUTION", "2021-06-01")  # never makes an FTE
    _o(d, "CR_THEN_YC", "A2", "YOUTH_CAUTION", "2022-03-01")          # first substantive: FTE
    _o(d, "EARLIER", "B1", "YOUTH_CAUTION", "2021-11-30")             # before the window
    _o(d, "EARLIER", "B2", "YRO", "2022-05-01")
    _o(d, "AWAY", "C1", "REFERRAL_ORDER", "2022-05-01", residence="OTHER")
    _o(d, "QUASHED_FIRST", "D1", "YRO", "2021-06-01", appeal_status="SUCCESSFUL")
    _o(d, "QUASHED_FIRST", "D2", "YOUTH_CAUTION", "2022-02-01")
    _o(d, "PNC", "E1", "YOUTH_CAUTION", "2022-02-01")
    _o(d, "TOO_OLD", "G1", "YOUTH_CAUTION", "2022-02-01")
    _o(d, "O22", "H1", "OUTCOME_22", "2022-02-01")
    r = run(dataset_dir(**d), "2022-23 Q4", kpis=["fte"])
    assert r.get("fte", "fte_count").numerator_child_ids == ["CR_THEN_YC", "QUASHED_FIRST"]
    assert r.get("fte", "fte_rate", "sex", "Female").numerator == 2
    # the lag: 2023-24 Q1 covers Apr 2022 - Mar 2023, so none of these children
    assert run(dataset_dir(**d), "2023-24 Q1", kpis=["fte"]).headline("fte").numerator == 0


# --- use of custody -------------------------------------------------------------------------

def custody_example():
    d = Data(population=northshire_population(17_900, year=2022))
    for cid in "ABCDE":
        d.add("children", {"child_id": cid, "date_of_birth": "2007-01-01", "sex": "1"})
    _o(d, "A", "A1", "DTO", "2023-05-10")
    _o(d, "A", "A2", "DTO", "2023-05-10")  # same type, same day: counts once
    _o(d, "B", "B1", "DTO", "2023-05-10")
    _o(d, "B", "B2", "S250_DETENTION", "2023-11-20")
    d.add("remands", {"remand_id": "R1", "child_id": "C", "decision_date": "2023-06-01",
                      "decision": "REMAND_IN_CUSTODY"})
    _o(d, "D", "D1", "DTO", "2023-06-01", appeal_status="SUCCESSFUL")
    _o(d, "E", "E1", "DTO", "2022-11-01")  # the original DTO, before the window
    _o(d, "E", "E2", "DTO", "2023-07-01", is_variation="true")  # licence extended
    return d


def test_custody_worked_example_3_sentences_is_0_17(dataset_dir):
    r = run(dataset_dir(**custody_example()), "2023-24 Q3", kpis=["custody"])  # Jan-Dec 2023
    res = r.headline("custody")
    assert (res.numerator, res.denominator, res.value) == (3, 17_900, 0.17)
    assert res.numerator_child_ids == ["A", "B"]


@pytest.mark.parametrize("sentences,expected", [(1, 0.06), (2, 0.11), (3, 0.17)])
def test_custody_published_rates_with_population_17900(dataset_dir, sentences, expected):
    d = Data(population=northshire_population(17_900, year=2022))
    for n in range(sentences):
        d.add("children", {"child_id": f"K{n}", "date_of_birth": "2007-01-01"})
        _o(d, f"K{n}", f"KO{n}", "DTO", "2023-09-01")
    assert run(dataset_dir(**d), "2023-24 Q3", kpis=["custody"]).headline("custody").value \
        == expected


def test_custody_counts_under_18_at_first_hearing(dataset_dir):
    d = Data(population=northshire_population(17_900, year=2022))
    d.add("children", {"child_id": "OLD", "date_of_birth": "2005-03-01"},
          {"child_id": "YOUNG", "date_of_birth": "2005-03-01"})
    _o(d, "OLD", "X1", "DTO", "2023-04-01", first_hearing_date="2023-03-01")  # 18 at hearing
    _o(d, "YOUNG", "X2", "DTO", "2023-04-01", first_hearing_date="2023-02-28")  # 17 at hearing
    res = run(dataset_dir(**d), "2023-24 Q3", kpis=["custody"]).headline("custody")
    assert res.numerator_child_ids == ["YOUNG"]


def test_custody_same_day_duplicates_count_once_in_every_breakdown(dataset_dir):
    # two DTOs the same day from cases first heard either side of the 15th birthday: one sentence,
    # aged 14 at the earliest first hearing, so once under 10-14 and never under 15-17
    d = Data(population=northshire_population(17_900, year=2022))
    d.add("children", {"child_id": "A", "date_of_birth": "2008-03-01"})
    _o(d, "A", "X1", "DTO", "2023-08-01", first_hearing_date="2023-02-27")
    _o(d, "A", "X2", "DTO", "2023-08-01", first_hearing_date="2023-03-02")
    r = run(dataset_dir(**d), "2023-24 Q2", kpis=["custody"])
    assert r.get("custody", "custody_count").numerator == 1
    assert r.get("custody", "custody_count", "age_band", "10-14").numerator == 1
    bands = [x for x in r.results if x.measure == "custody_count" and x.dimension == "age_band"]
    assert sum(x.numerator for x in bands) == 1


# --- proven reoffending ---------------------------------------------------------------------

def test_reoffending_worked_example_cohort_of_four(dataset_dir):
    """Apr-Jun 2021 cohort (reported in 2022-23 Q3): 25.0%, 0.50, 2.00."""
    d = Data()
    index = dt.date(2021, 5, 1)

    def month(n):
        return add_months(index, n).isoformat()

    for cid in ("C1", "C2", "C3", "C4"):
        d.add("children", {"child_id": cid, "date_of_birth": "2006-01-01"})
        _o(d, cid, f"{cid}-index", "YRO", index.isoformat())
    # C1: offences committed in months 3 and 7, both proven in month 10
    d.add("offences", offence("C1", "C1a", month(3)), offence("C1", "C1b", month(7)))
    _o(d, "C1", "C1-p", "REFERRAL_ORDER", month(10))
    d.add("outcome_offences", link("C1-p", "C1a"), link("C1-p", "C1b"))
    # C2: committed month 11, convicted month 19 (beyond the 6-month wait)
    d.add("offences", offence("C2", "C2a", month(11)))
    _o(d, "C2", "C2-p", "YRO", month(19))
    d.add("outcome_offences", link("C2-p", "C2a"))
    # C3: committed month 13, outside the follow-up year
    d.add("offences", offence("C3", "C3a", month(13)))
    _o(d, "C3", "C3-p", "YRO", month(14))
    d.add("outcome_offences", link("C3-p", "C3a"))
    # C4: an offence settled by a community resolution (not proven) and a breach (not new)
    d.add("offences", offence("C4", "C4a", month(2)),
          offence("C4", "C4b", month(2), category="BREACH_OF_STATUTORY_ORDER"))
    _o(d, "C4", "C4-cr", "COMMUNITY_RESOLUTION", month(3))
    _o(d, "C4", "C4-br", "YRO", month(3))
    d.add("outcome_offences", link("C4-cr", "C4a"), link("C4-br", "C4b"))
    r = run(dataset_dir(**d), "2022-23 Q3", kpis=["reoffending"])
    binary, freq, per = (r.get("reoffending", m) for m in
                         ("binary_3m", "frequency_3m", "per_reoffender_3m"))
    assert (binary.numerator, binary.denominator, binary.value) == (1, 4, 25.0)
    assert (freq.numerator, freq.denominator, freq.value) == (2, 4, 0.50)
    assert (per.numerator, per.denominator, per.value) == (2, 1, 2.00)
    assert binary.numerator_child_ids == ["C1"]
    assert "2021-22 Q1" in binary.window
    assert binary.extra["cohort_complete"]
    early = run(dataset_dir(**d), "2022-23 Q3", as_at=dt.date(2022, 12, 1), kpis=["reoffending"])
    assert not early.get("reoffending", "binary_3m").extra["cohort_complete"]


def cohorts_dataset(cohorts):
    """Children with a YRO in each cohort quarter; reoffenders share the reoffences."""
    d = Data()
    for q, (size, reoffenders, reoffences) in cohorts.items():
        index = q.start + dt.timedelta(days=5)
        per_child = [1] * reoffenders
        per_child[0] += reoffences - reoffenders
        for n in range(size):
            cid = f"{q.yjb_label}-{n:03d}"
            d.add("children", {"child_id": cid, "date_of_birth": f"{index.year - 15}-01-01"})
            _o(d, cid, f"{cid}-i", "YRO", index.isoformat())
            for k in range(per_child[n] if n < reoffenders else 0):
                fid = f"{cid}-f{k}"
                d.add("offences", offence(cid, fid, (index + dt.timedelta(days=10)).isoformat()))
                d.add("outcome_offences", link(f"{cid}-p", fid))
            if n < reoffenders:
                _o(d, cid, f"{cid}-p", "YRO", (index + dt.timedelta(days=30)).isoformat())
    return d


PORTSMOUTH = {Quarter(2020, 1): (15, 4, 15), Quarter(2020, 2): (36, 15, 54),
              Quarter(2020, 3): (36, 12, 46), Quarter(2020, 4): (30, 17, 86),
              Quarter(2021, 1): (30, 13, 90)}


def test_portsmouth_cohorts_reproduce_43_2_percent(dataset_dir):
    data = dataset_dir(**cohorts_dataset(PORTSMOUTH))
    r = run(data, "2022-23 Q3", kpis=["reoffending"])  # 3-month cohort Apr-Jun 2021
    got = {m: (x.numerator, x.denominator, x.value) for m in
           ("binary_3m", "frequency_3m", "per_reoffender_3m", "binary_12m", "frequency_12m",
            "per_reoffender_12m") for x in [r.get("reoffending", m)]}
    assert got["binary_3m"] == (13, 30, 43.3)
    assert got["frequency_3m"] == (90, 30, 3.00)
    assert got["per_reoffender_3m"] == (90, 13, 6.92)
    assert got["binary_12m"] == (57, 132, 43.2)
    assert got["frequency_12m"] == (276, 132, 2.09)
    assert got["per_reoffender_12m"] == (276, 57, 4.84)
    oct_dec = run(data, "2022-23 Q1", kpis=["reoffending"])  # 3-month cohort Oct-Dec 2020
    assert oct_dec.get("reoffending", "binary_3m").value == 33.3
    assert oct_dec.get("reoffending", "frequency_3m").value == 1.28
    assert oct_dec.get("reoffending", "per_reoffender_3m").value == 3.83


def test_leicestershire_2010_11_style_cohort(dataset_dir):
    data = dataset_dir(**cohorts_dataset({Quarter(2010, 1): (795, 221, 647)}))
    r = run(data, "2011-12 Q3", kpis=["reoffending"])
    assert r.get("reoffending", "binary_3m").value == 27.8
    assert r.get("reoffending", "frequency_3m").value == 0.81
    assert r.get("reoffending", "per_reoffender_3m").value == 2.93
