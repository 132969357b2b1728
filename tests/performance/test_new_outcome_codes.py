"""The outcome codes of the new out-of-court framework (docs/kpis.md, "New outcome codes"):
Outcome 23 is a non-substantive out-of-court disposal, a youth diversion order a civil order.
Worked by hand: a child whose only outcome is Outcome 23 is no first time entrant and is in KPI 6;
a child whose only outcome is a youth diversion order is in neither."""

from tests.performance.builders import Data
from tests.performance.conftest import northshire_population
from yjs import codes
from yjs.performance.engine import run


def test_the_codes_as_decided():
    o23 = codes.OUTCOME_BY_CODE["OUTCOME_23"]
    assert (o23.group, o23.type_of_order, o23.substantive, o23.oocd) == (
        "PRE_COURT", "NS_OOCD", False, True)
    assert o23.rank == codes.OUTCOME_BY_CODE["OUTCOME_22_DEFERRED"].rank
    ydo = codes.OUTCOME_BY_CODE["YOUTH_DIVERSION_ORDER"]
    assert (ydo.group, ydo.type_of_order, ydo.substantive, ydo.oocd, ydo.rank) == (
        None, None, False, False, None)


def _data():
    d = Data(population=northshire_population(10_000, year=2022))
    # Each child's only outcome, on 1 May 2023, with the intervention that carries it out
    # ending 1 August 2023 (2023-24 Q2), completed.
    for cid, code in (("O23", "OUTCOME_23"), ("YDO", "YOUTH_DIVERSION_ORDER"),
                      ("YC", "YOUTH_CAUTION")):
        d.order(cid, 1, code, "2023-05-01", "2023-05-01", "2023-08-01", dob="2008-01-01",
                kpi6_completed="true")
    return d


def test_outcome_23_makes_no_first_time_entrant_and_a_ydo_neither(dataset_dir):
    # 2023-24 Q4 (one-quarter lag) covers January to December 2023: only the youth caution,
    # a substantive outcome, makes a first time entrant.
    r = run(dataset_dir(**_data()), "2023-24 Q4", kpis=["fte"])
    assert r.get("fte", "fte_count").numerator_child_ids == ["YC"]


def test_outcome_23_is_an_out_of_court_disposal_in_kpi6_and_a_ydo_is_not(dataset_dir):
    r = run(dataset_dir(**_data()), "2023-24 Q2", kpis=["kpi6"])
    head = r.headline("kpi6")
    # O23 (NS_OOCD) and YC (YC) ended in Q2 and were completed; the YDO carries no type of
    # order, so its intervention is outside the KPI scope altogether.
    assert head.numerator_child_ids == ["O23", "YC"]
    assert (head.denominator, head.value) == (2, 100.0)
    assert r.get("kpi6", "completed", "oocd_outcome", "OUTCOME_23").numerator == 1
    assert r.get("kpi6", "completed", "type_of_order", "NS_OOCD").numerator == 1
