"""Local indicators (KPIS.md §5, seed 000 closed-cohort figures) and the relative rate index
(§6.1 example 7)."""

import datetime as dt

import pytest

from tests.performance.builders import Data, link, offence, status
from yjs.performance.disproportionality import rri_with_ci
from yjs.performance.engine import run


def _o(d, cid, oid, code, date, **extra):
    d.add("outcomes", {"outcome_id": oid, "child_id": cid, "outcome_date": date,
                       "outcome_code": code, "residence": extra.pop("residence", "LOCAL"),
                       **extra})


def _child(d, cid, dob="2007-01-01", **extra):
    d.add("children", {"child_id": cid, "date_of_birth": dob, **extra})


def test_rri_formula_worked_example():
    rri, se, low, high = rri_with_ci(10, 1_000, 50, 20_000)
    assert round(rri, 2) == 4.00 and round(se, 4) == 0.3449
    assert (round(low, 2), round(high, 2)) == (2.03, 7.86)


def test_rri_from_the_dataset_black_vs_white_court_sentences(dataset_dir):
    d = Data(population_groups=[
        {"year": 2021, "dimension": "ETHNICITY_GROUP", "category": "WHITE", "population": 20_000},
        {"year": 2021, "dimension": "ETHNICITY_GROUP", "category": "BLACK", "population": 1_000},
        {"year": 2021, "dimension": "ETHNICITY_GROUP", "category": "ASIAN", "population": 2_000},
        {"year": 2021, "dimension": "ETHNICITY_GROUP", "category": "MIXED", "population": 900}])
    groups = [("W", "WHITE_BRITISH", 50), ("B", "BLACK_CARIBBEAN", 10), ("A", "ASIAN_INDIAN", 3)]
    for prefix, ethnicity, n in groups:
        for i in range(n):
            cid = f"{prefix}{i:02d}"
            _child(d, cid, ethnicity=ethnicity)
            _o(d, cid, f"O{cid}", "YRO", "2023-09-01")
    r = run(dataset_dir(**d), "2023-24 Q2", kpis=["disproportionality"])
    black = r.get("disproportionality", "rri_court", "ethnicity_group", "BLACK")
    assert (black.numerator, black.denominator, black.value) == (10, 1_000, 4.00)
    assert (black.extra["ci_low"], black.extra["ci_high"]) == (2.03, 7.86)
    assert black.extra["disproportionate"] and black.extra["direction"] == "over-represented"
    white = r.get("disproportionality", "rri_court", "ethnicity_group", "WHITE")
    assert white.value == 1.00 and white.extra["is_reference"]
    assert "ci_low" not in white.extra and not white.extra["disproportionate"]
    asian = r.get("disproportionality", "rri_court", "ethnicity_group", "ASIAN")
    assert asian.numerator == 3 and asian.suppressed and asian.value is None
    mixed = r.get("disproportionality", "rri_court", "ethnicity_group", "MIXED")
    assert mixed.numerator == 0 and mixed.value is None  # no events: no RRI
    # the same 63 children are also first time entrants in the window
    assert r.get("disproportionality", "rri_fte", "ethnicity_group", "BLACK").value == 4.00


def test_secure_remand_rate(dataset_dir):
    d = Data()
    _child(d, "A")
    for n, (decision, date) in enumerate([
            ("REMAND_IN_CUSTODY", "2023-07-01"), ("COURT_ORDERED_SECURE_REMAND", "2023-08-01"),
            ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_TAG", "2023-08-02"),
            ("CONDITIONAL_BAIL", "2023-08-03"), ("UNCONDITIONAL_BAIL", "2023-09-30"),
            ("REMAND_IN_CUSTODY", "2023-10-01")]):
        d.add("remands", {"remand_id": f"R{n}", "child_id": "A", "decision_date": date,
                          "decision": decision})
    res = run(dataset_dir(**d), "2023-24 Q2", kpis=["secure_remands"]).headline("secure_remands")
    assert (res.numerator, res.denominator, res.value) == (2, 5, 40.0)


def test_referral_order_panel_within_20_working_days(dataset_dir):
    d = Data()
    for cid in ("ONTIME", "LATE", "NOTYET"):
        _child(d, cid)
        _o(d, cid, f"O{cid}", "REFERRAL_ORDER", "2024-05-01")
    # 6 May and 27 May 2024 are bank holidays: working day 20 after 1 May is Friday 31 May
    d.add("referral_order_panels",
          {"panel_id": "P1", "child_id": "ONTIME", "outcome_id": "OONTIME",
           "panel_type": "INITIAL", "panel_date": "2024-05-31"},
          {"panel_id": "P2", "child_id": "LATE", "outcome_id": "OLATE",
           "panel_type": "INITIAL", "panel_date": "2024-06-03"},
          {"panel_id": "P3", "child_id": "LATE", "outcome_id": "OLATE",
           "panel_type": "REVIEW", "panel_date": "2024-06-20"},
          {"panel_id": "P4", "child_id": "NOTYET", "outcome_id": "ONOTYET",
           "panel_type": "INITIAL", "panel_date": None})
    res = run(dataset_dir(**d), "2024-25 Q1", kpis=["ro_panels"]).headline("ro_panels")
    assert (res.numerator, res.denominator, res.value) == (1, 2, 50.0)
    assert res.numerator_child_ids == ["ONTIME"]


def test_custody_as_share_of_court_sentences(dataset_dir):
    d = Data()
    for cid, code in [("A", "DTO"), ("B", "YRO"), ("C", "REFERRAL_ORDER"), ("D", "FINE"),
                      ("E", "YOUTH_CAUTION")]:
        _child(d, cid)
        _o(d, cid, f"O{cid}", code, "2023-06-01")
    res = run(dataset_dir(**d), "2023-24 Q2", kpis=["custody_share"]).headline("custody_share")
    assert (res.numerator, res.denominator, res.value) == (1, 4, 25.0)


def test_children_in_care_who_offend(dataset_dir):
    d = Data()
    for cid in ("LAC_YC", "LAC_NONE", "LAC_SHORT", "LAC_CR"):
        _child(d, cid)
    d.add("care_status",
          status("care_status", "LAC_YC", "2020-01-01", None, status="LOOKED_AFTER"),
          status("care_status", "LAC_NONE", "2021-06-01", None, status="LOOKED_AFTER"),
          status("care_status", "LAC_SHORT", "2023-10-01", None, status="LOOKED_AFTER"),
          status("care_status", "LAC_CR", "2020-01-01", None, status="LOOKED_AFTER"))
    _o(d, "LAC_YC", "O1", "YOUTH_CAUTION", "2023-09-01")
    _o(d, "LAC_SHORT", "O2", "YOUTH_CAUTION", "2023-12-01")
    _o(d, "LAC_CR", "O3", "COMMUNITY_RESOLUTION", "2023-09-01")
    res = run(dataset_dir(**d), "2023-24 Q4", kpis=["children_in_care"]).headline(
        "children_in_care")
    assert (res.numerator, res.denominator, res.value) == (1, 3, 33.3)


def closed_cohort_2021_22():
    """Seed 000: 370 closed in 2021-22; reached 302/198/97/13; offended 25/12/11/2."""
    d = Data()
    groups = [("2021-05-01", 13, 2, 12), ("2021-08-01", 84, 11, 9),
              ("2021-11-01", 101, 12, 6), ("2022-02-01", 104, 25, 3), ("2022-03-01", 68, 0, 0)]
    for closed, size, offenders, _checkpoint in groups:
        for n in range(size):
            cid = f"K{closed}-{n:03d}"
            _child(d, cid)
            _o(d, cid, f"{cid}-o", "REFERRAL_ORDER", "2020-10-01")
            d.add("interventions", {"intervention_id": f"{cid}-i", "child_id": cid,
                                    "outcome_id": f"{cid}-o", "start_date": "2020-10-01",
                                    "end_date": closed})
            if n < offenders:
                d.add("offences", offence(cid, f"{cid}-f", "2022-03-15"))
                _o(d, cid, f"{cid}-p", "YOUTH_CAUTION", "2022-04-01")
                d.add("outcome_offences", link(f"{cid}-p", f"{cid}-f"))
    return d


def test_closed_cohort_reproduces_seed_000(dataset_dir):
    r = run(dataset_dir(**closed_cohort_2021_22()), "2021-22 Q4", as_at=dt.date(2022, 5, 15),
            kpis=["closed_cohort"])
    got = {c: (r.get("closed_cohort", "reached", "checkpoint", c).numerator,
               r.get("closed_cohort", "offended", "checkpoint", c).numerator,
               r.get("closed_cohort", "offended", "checkpoint", c).value)
           for c in ("3 months", "6 months", "9 months", "12 months")}
    assert got == {"3 months": (302, 25, 8.3), "6 months": (198, 12, 6.1),
                   "9 months": (97, 11, 11.3), "12 months": (13, 2, 15.4)}
    any_ = r.get("closed_cohort", "offended_any")
    assert (any_.numerator, any_.denominator) == (50, 370)


@pytest.mark.parametrize("offenders,expected", [((5, 6, 3, 2), 29.1)])
def test_closed_cohort_16_of_55_is_29_percent(dataset_dir, offenders, expected):
    d = Data()
    closed = dt.date(2021, 4, 15)
    months = (2, 5, 8, 11)  # one offence in each checkpoint interval
    n = 0
    for count, month in zip(offenders, months, strict=True):
        for _ in range(count):
            cid = f"C{n:02d}"
            d.add("offences", offence(cid, f"F{n}", (closed + dt.timedelta(days=30 * month))
                                      .isoformat()))
            _o(d, cid, f"P{n}", "YOUTH_CAUTION", "2022-05-01")
            d.add("outcome_offences", link(f"P{n}", f"F{n}"))
            n += 1
    for i in range(55):
        cid = f"C{i:02d}"
        _child(d, cid)
        _o(d, cid, f"{cid}-o", "YRO", "2020-10-01")
        d.add("interventions", {"intervention_id": f"{cid}-i", "child_id": cid,
                                "outcome_id": f"{cid}-o", "start_date": "2020-10-01",
                                "end_date": closed.isoformat()})
    r = run(dataset_dir(**d), "2021-22 Q4", as_at=dt.date(2022, 6, 30), kpis=["closed_cohort"])
    res = r.get("closed_cohort", "offended_any")
    assert (res.numerator, res.denominator, res.value) == (16, 55, expected)
    assert [r.get("closed_cohort", "offended", "checkpoint", c).numerator
            for c in ("3 months", "6 months", "9 months", "12 months")] == list(offenders)
