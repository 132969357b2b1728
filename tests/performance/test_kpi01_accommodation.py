"""KPI 1 suitable accommodation: KPIS.md §6.1 example 1 and the §1.4 one-row-per-child rule."""

from yjs.performance.engine import drill, run

Q2 = "2023-24 Q2"  # Jul-Sep 2023


def child(cid, dob="2007-01-15", sex="1", ethnicity="WHITE_BRITISH"):
    return {"child_id": cid, "date_of_birth": dob, "sex": sex, "ethnicity": ethnicity}


def order(cid, n, code="YRO", outcome_date="2023-01-10", start="2023-01-10", end="2023-08-31",
          **extra):
    outcome = {"outcome_id": f"O{cid}{n}", "child_id": cid, "outcome_date": outcome_date,
               "outcome_code": code, "residence": extra.pop("residence", "LOCAL"),
               "appeal_status": extra.pop("appeal_status", "NONE")}
    intervention = {"intervention_id": f"I{cid}{n}", "child_id": cid,
                    "outcome_id": f"O{cid}{n}", "start_date": start, "end_date": end, **extra}
    return outcome, intervention


def accommodation(cid, n, suitability, start="2023-01-01", end=None, kind="LIVING_WITH_PARENTS"):
    return {"accommodation_id": f"A{cid}{n}", "child_id": cid, "accommodation_type": kind,
            "suitability": suitability, "start_date": start, "end_date": end}


def three_children(with_d=False):
    ids = ["A", "B", "C"] + (["D"] if with_d else [])
    orders = [order(c, 1) for c in ids]
    return dict(
        children=[child(c) for c in ids],
        outcomes=[o for o, _ in orders],
        interventions=[i for _, i in orders],
        accommodation=[
            accommodation("A", 1, "SUITABLE"),
            accommodation("B", 1, "SUITABLE"),
            accommodation("B", 2, "UNSUITABLE", start="2023-05-01", kind="FOSTER_CARE_LA"),
            accommodation("C", 1, "UNSUITABLE", end="2023-08-30"),  # ended the day before
            accommodation("C", 2, "SUITABLE", start="2023-08-30"),
        ],
    )


def test_worked_example_two_of_three_is_66_7(dataset_dir):
    res = run(dataset_dir(**three_children()), Q2, kpis=["kpi1"]).headline("kpi1")
    assert (res.numerator, res.denominator, res.value) == (2, 3, 66.7)
    assert res.numerator_child_ids == ["A", "C"]
    assert res.denominator_child_ids == ["A", "B", "C"]
    assert res.suppressed  # counts of 1-4


def test_child_without_a_record_stays_in_the_denominator_50_0(dataset_dir):
    res = run(dataset_dir(**three_children(with_d=True)), Q2, kpis=["kpi1"]).headline("kpi1")
    assert (res.numerator, res.denominator, res.value) == (2, 4, 50.0)


def test_drill_says_why(dataset_dir):
    rows = drill(dataset_dir(**three_children(with_d=True)), "kpi1", Q2)
    by_child = {r["child_id"]: r for r in rows}
    assert not by_child["B"]["in_numerator"] and by_child["B"]["in_denominator"]
    assert "UNSUITABLE" in by_child["B"]["why"]
    assert "no accommodation record" in by_child["D"]["why"]



# --- the one-row-per-child rule (§1.4, KPIS.md §6.1 example 2) and §1.3 filters -------------

from tests.performance.builders import Data, status  # noqa: E402


def test_one_row_per_child_keeps_the_yro_over_the_referral_order(dataset_dir):
    d = Data()
    d.order("X", 1, "YRO", "2023-02-01", "2023-02-01", "2023-08-10")
    d.order("X", 2, "REFERRAL_ORDER", "2023-03-01", "2023-03-01", "2023-09-20")
    d.add("accommodation", status("accommodation", "X", "2023-01-01", None,
                                  accommodation_type="AT_HOME", suitability="SUITABLE"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi1"])
    head = r.headline("kpi1")
    assert (head.numerator, head.denominator) == (1, 1)
    assert r.get("kpi1", "suitable_end", "type_of_order", "YRO").denominator == 1
    try:
        r.get("kpi1", "suitable_end", "type_of_order", "RO")
        raise AssertionError("the referral order must drop out")
    except KeyError:
        pass


def test_two_referral_orders_keep_the_later_outcome(dataset_dir):
    d = Data()
    d.order("X", 1, "REFERRAL_ORDER", "2023-01-01", "2023-01-05", "2023-09-30")
    d.order("X", 2, "REFERRAL_ORDER", "2023-02-01", "2023-02-05", "2023-07-30")
    rows = drill(dataset_dir(**d), "kpi1", Q2)
    assert len(rows) == 1 and "ended 2023-07-30" in rows[0]["why"]


def test_residence_other_appeals_and_age_filters(dataset_dir):
    d = Data()
    d.order("LOCAL", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("AWAY", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", residence="OTHER")
    d.order("UNSURE", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", residence="NOT_KNOWN")
    d.order("QUASHED", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", appeal="SUCCESSFUL")
    d.order("CHANGED", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01",
            appeal="CHANGED_ON_APPEAL")
    d.order("PENDING", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", appeal="PENDING")
    # 18 on the intervention start: out; 17 at start and 18 at the end: in
    d.order("ADULT", 1, "YRO", "2023-01-01", "2023-01-02", "2023-08-01", dob="2005-01-02")
    d.order("TURNS18", 1, "YRO", "2023-01-01", "2023-01-02", "2023-08-01", dob="2005-03-01")
    d.order("NINE", 1, "YRO", "2023-01-01", "2023-01-02", "2023-08-01", dob="2013-06-01")
    # no YJS intervention type (a fine) never enters KPIs 1-10
    d.order("FINED", 1, "FINE", "2023-01-01", "2023-01-01", "2023-08-01")
    res = run(dataset_dir(**d), Q2, kpis=["kpi1"]).headline("kpi1")
    assert res.denominator_child_ids == ["LOCAL", "PENDING", "TURNS18", "UNSURE"]


def test_overlapping_open_records_must_all_be_suitable(dataset_dir):
    d = Data()
    d.order("A", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("B", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.add("accommodation",
          status("accommodation", "A", "2022-01-01", None, accommodation_type="AT_HOME",
                 suitability="SUITABLE"),
          status("accommodation", "A", "2023-06-01", None, accommodation_type="FOSTER_CARE_LA",
                 suitability="SUITABLE"),
          status("accommodation", "B", "2022-01-01", None, accommodation_type="AT_HOME",
                 suitability="SUITABLE"),
          status("accommodation", "B", "2023-06-01", "2023-09-01", accommodation_type="AT_HOME",
                 suitability="UNKNOWN"))
    res = run(dataset_dir(**d), Q2, kpis=["kpi1"]).headline("kpi1")
    assert res.numerator_child_ids == ["A"] and res.denominator == 3 - 1


def test_bed_and_breakfast_is_never_suitable(dataset_dir):
    d = Data()
    d.order("A", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.add("accommodation", status("accommodation", "A", "2022-01-01", None,
                                  accommodation_type="BED_AND_BREAKFAST", suitability="SUITABLE"))
    assert run(dataset_dir(**d), Q2, kpis=["kpi1"]).headline("kpi1").numerator == 0


def test_as_at_and_kpi_start_and_zero_denominator(dataset_dir):
    import datetime as dt

    d = Data()
    d.order("A", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("OLD", 1, "YRO", "2022-01-01", "2022-01-01", "2023-03-31")
    data = dataset_dir(**d)
    # before the order ended (as at 31 July) nothing has ended yet: 0 / 0 -> NULL, not 0
    early = run(data, Q2, as_at=dt.date(2023, 7, 31), kpis=["kpi1"]).headline("kpi1")
    assert (early.numerator, early.denominator, early.value) == (0, 0, None)
    assert not early.suppressed
    # orders ending before 1 April 2023 are outside the 2023 KPIs
    q4 = run(data, "2022-23 Q4", kpis=["kpi1"]).headline("kpi1")
    assert q4.denominator == 0 and q4.value is None


def test_custodial_order_starts_the_day_before_and_release_is_tested(dataset_dir):
    d = Data()
    d.order("A", 1, "DTO", "2023-01-10", "2023-01-10", "2023-08-01")
    d.add("custody_episodes", {"custody_episode_id": "CE1", "child_id": "A",
                               "outcome_id": "OA-1", "start_date": "2023-01-10",
                               "release_date": "2023-04-10", "establishment": "YOI"})
    d.add("accommodation",
          status("accommodation", "A", "2023-01-09", "2023-04-10", accommodation_type="YOI",
                 suitability="SUITABLE"),
          status("accommodation", "A", "2023-04-10", None, accommodation_type="AT_HOME",
                 suitability="SUITABLE"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi1"])
    assert r.get("kpi1", "suitable_start").numerator == 1  # record from 9 Jan = order start
    assert r.get("kpi1", "suitable_release").numerator == 1
    assert r.get("kpi1", "suitable_end").numerator == 1


def test_remanded_four_weeks_then_non_custodial_outcome(dataset_dir):
    d = Data()
    d.order("R", 1, "YRO", "2023-03-01", "2023-03-01", "2023-08-01")
    d.order("SHORT", 1, "YRO", "2023-03-01", "2023-03-01", "2023-08-01")
    d["outcomes"][0]["first_hearing_date"] = "2023-01-20"  # 40 days before the outcome
    d["outcomes"][1]["first_hearing_date"] = "2023-02-20"  # 9 days: not 4+ weeks
    d.add("remands", {"remand_id": "RM1", "child_id": "R", "decision_date": "2023-01-20",
                      "decision": "REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION"},
          {"remand_id": "RM2", "child_id": "SHORT", "decision_date": "2023-02-20",
           "decision": "REMAND_IN_CUSTODY"})
    d.add("accommodation", status("accommodation", "R", "2023-01-20", None,
                                  accommodation_type="FOSTER_CARE_LA", suitability="SUITABLE"))
    res = run(dataset_dir(**d), Q2, kpis=["kpi1"]).get("kpi1", "suitable_after_remand")
    assert (res.numerator, res.denominator) == (1, 1)
    assert res.denominator_child_ids == ["R"]
