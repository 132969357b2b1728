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


def test_one_row_per_child_keeps_the_most_serious_order():
    pass
