"""The YJB case-level extract: hand-checked rows, every class of problem, the command's rules."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_child
from yjs.audit.models import AuditEvent
from yjs.casework import models as cw
from yjs.governance.models import BudgetLine
from yjs.interop import cld
from yjs.interop.pseudonyms import child_pseudonym
from yjs.periods import parse_quarter

D = dt.date
Q = parse_quarter("2024-25Q1")  # 1 April - 30 June 2024


@pytest.fixture
def tiny(northshire, people):
    """Jay (born 1 May 2010): shoplifting on 10 April 2024, a youth caution on 1 May and its
    programme from 2 May; a referral order on 20 June for a burglary of 1 March 2024, whose
    programme starts in July (after the quarter). Kim (born 3 March 2009): one offence and a
    community resolution in 2023, nothing open in the quarter."""
    north = northshire.teams.get(name="North")
    jay = make_child(northshire, north, dob=D(2010, 5, 1))
    kim = make_child(northshire, north, first="Kim", last="Jones", dob=D(2009, 3, 3))
    theft = cw.Offence.objects.create(
        child=jay,
        offence_date=D(2024, 4, 10),
        description="x",
        category="THEFT_AND_HANDLING",
        gravity_score=2,
        arrest_date=D(2024, 4, 11),
    )
    burglary = cw.Offence.objects.create(
        child=jay, offence_date=D(2024, 3, 1), description="y", category="BURGLARY", gravity_score=4
    )
    caution = cw.Outcome.objects.create(
        child=jay,
        code="YOUTH_CAUTION",
        outcome_date=D(2024, 5, 1),
        appeal_status="NONE",
        residence="LOCAL",
    )
    caution.offences.add(theft)
    order = cw.Outcome.objects.create(
        child=jay,
        code="REFERRAL_ORDER",
        length_months=6,
        outcome_date=D(2024, 6, 20),
        first_hearing_date=D(2024, 5, 30),
        appeal_status="NONE",
        residence="LOCAL",
    )
    order.offences.add(burglary)
    cw.Intervention.objects.create(
        child=jay,
        outcome=caution,
        kind="YOUTH_CAUTION",
        start_date=D(2024, 5, 2),
        end_date=D(2024, 8, 1),
        team=north,
    )
    cw.Intervention.objects.create(
        child=jay, outcome=order, kind="REFERRAL_ORDER", start_date=D(2024, 7, 3), team=north
    )
    old = cw.Offence.objects.create(
        child=kim,
        offence_date=D(2023, 2, 1),
        description="z",
        category="CRIMINAL_DAMAGE",
        gravity_score=2,
    )
    cr = cw.Outcome.objects.create(
        child=kim,
        code="COMMUNITY_RESOLUTION",
        outcome_date=D(2023, 3, 1),
        appeal_status="NONE",
        residence="LOCAL",
    )
    cr.offences.add(old)
    return {
        "jay": jay,
        "kim": kim,
        "theft": theft,
        "burglary": burglary,
        "caution": caution,
        "order": order,
    }


def test_hand_checked_rows_and_codes(tiny):
    extract = cld.build(cld.read_app(None), Q)
    jay = child_pseudonym(tiny["jay"].pk)
    t = extract.tables
    assert t["children"] == [
        {
            "child_id": jay,
            "date_of_birth": D(2010, 5, 1),
            "sex": "1",
            "gender": None,
            "ethnicity": "WHITE_BRITISH",
            "ethnicity_group": "WHITE",
            "age_at_quarter_end": 14,
            "previous_substantive_outcome": False,
        }
    ]  # Kim had no activity in the quarter
    offences = {o["offence_id"]: o for o in t["offences"]}
    theft, burglary = offences[f"O{tiny['theft'].pk}"], offences[f"O{tiny['burglary'].pk}"]
    assert (theft["offence_category"], theft["gravity_score"], theft["age_at_offence"]) == (
        "THEFT_AND_HANDLING",
        2,
        13,
    )
    assert burglary["age_at_offence"] == 13 and burglary["arrest_date"] is None
    outcomes = {o["outcome_code"]: o for o in t["outcomes"]}
    assert (
        outcomes["YOUTH_CAUTION"]["outcome_tier"],
        outcomes["YOUTH_CAUTION"]["type_of_order"],
        outcomes["YOUTH_CAUTION"]["first_hearing_date"],
    ) == ("PRE_COURT", "YC", None)
    assert (
        outcomes["REFERRAL_ORDER"]["outcome_tier"],
        outcomes["REFERRAL_ORDER"]["type_of_order"],
        outcomes["REFERRAL_ORDER"]["local_other_status"],
    ) == ("FIRST_TIER", "RO", "LOCAL")
    assert sorted((r["outcome_id"], r["offence_id"]) for r in t["outcome_offences"]) == sorted(
        [
            (f"OC{tiny['caution'].pk}", f"O{tiny['theft'].pk}"),
            (f"OC{tiny['order'].pk}", f"O{tiny['burglary'].pk}"),
        ]
    )
    # the referral order's programme starts after the quarter: left out; the caution's ends
    # after it: open at the quarter's end
    assert [(i["programme_type"], i["start_date"], i["end_date"]) for i in t["interventions"]] == [
        ("YC", D(2024, 5, 2), None)
    ]
    assert cld.validate(extract) == []


def _good() -> cld.Extract:
    """A valid one-child extract to break one way at a time."""
    child = {
        "child_id": "C1",
        "date_of_birth": D(2010, 1, 1),
        "sex": "2",
        "gender": None,
        "ethnicity": "BLACK_AFRICAN",
        "ethnicity_group": "BLACK",
        "age_at_quarter_end": 14,
        "previous_substantive_outcome": False,
    }
    offence = {
        "offence_id": "O1",
        "child_id": "C1",
        "offence_date": D(2024, 4, 2),
        "arrest_date": D(2024, 4, 3),
        "offence_category": "ROBBERY",
        "gravity_score": 5,
        "age_at_offence": 14,
    }
    outcome = {
        "outcome_id": "OC1",
        "child_id": "C1",
        "outcome_date": D(2024, 6, 1),
        "outcome_code": "YRO",
        "outcome_label": "Youth rehabilitation order",
        "outcome_tier": "COMMUNITY",
        "type_of_order": "YRO",
        "first_hearing_date": D(2024, 5, 1),
        "local_other_status": "LOCAL",
        "appeal_status": "NONE",
        "is_variation": False,
    }
    intervention = {
        "intervention_id": "I1",
        "child_id": "C1",
        "outcome_id": "OC1",
        "programme_type": "YRO",
        "start_date": D(2024, 6, 1),
        "end_date": None,
        "is_licence": False,
        "completed_successfully": None,
    }
    tables = {t.name: [] for t in cld.TABLES}
    tables.update(
        children=[child],
        offences=[offence],
        outcomes=[outcome],
        outcome_offences=[{"outcome_id": "OC1", "offence_id": "O1"}],
        interventions=[intervention],
        ete=[
            {
                "ete_id": "E1",
                "child_id": "C1",
                "provision": "SCHOOL_FULL_TIME",
                "suitability": "SUITABLE",
                "hours_offered": 25.0,
                "hours_attended": 20.0,
                "start_date": D(2023, 9, 1),
                "end_date": None,
            }
        ],
    )
    return cld.Extract(Q, tables)


def _set(table, item, value):
    def change(t):
        t[table][0][item] = value

    return change


CASES = [
    ("missing mandatory item", _set("children", "ethnicity", None), "children", "ethnicity"),
    ("missing gravity score", _set("offences", "gravity_score", None), "offences", "gravity_score"),
    ("invalid code", _set("outcomes", "outcome_code", "ASBO"), "outcomes", "outcome_code"),
    ("invalid sex code", _set("children", "sex", "M"), "children", "sex"),
    (
        "outcome before offence",
        _set("outcomes", "outcome_date", D(2024, 4, 1)),
        "outcomes",
        "outcome_date",
    ),
    ("aged 9 at offence", _set("offences", "age_at_offence", 9), "offences", "age_at_offence"),
    ("aged 18 at offence", _set("offences", "age_at_offence", 18), "offences", "age_at_offence"),
    ("end before start", _set("ete", "end_date", D(2023, 8, 1)), "ete", "end_date"),
    (
        "arrest before offence",
        _set("offences", "arrest_date", D(2024, 4, 1)),
        "offences",
        "arrest_date",
    ),
    (
        "court outcome without first hearing",
        _set("outcomes", "first_hearing_date", None),
        "outcomes",
        "first_hearing_date",
    ),
    ("outcome with no offence", lambda t: t["outcome_offences"].clear(), "outcomes", "outcome_id"),
    (
        "intervention before its outcome",
        _set("interventions", "start_date", D(2024, 5, 1)),
        "interventions",
        "start_date",
    ),
    (
        "intervention of a missing outcome",
        _set("interventions", "outcome_id", "OC9"),
        "interventions",
        "outcome_id",
    ),
    ("record before birth", _set("ete", "start_date", D(2009, 1, 1)), "ete", "start_date"),
    (
        "outcome not known",
        _set("outcomes", "outcome_code", "NOT_KNOWN"),
        "outcomes",
        "outcome_code",
    ),
]


def test_the_good_extract_has_no_problem():
    assert cld.validate(_good()) == []


@pytest.mark.parametrize(("what", "change", "table", "item"), CASES, ids=[c[0] for c in CASES])
def test_each_class_of_problem_is_an_error(what, change, table, item):
    extract = _good()
    change(extract.tables)
    problems = cld.validate(extract)
    assert (cld.ERROR, table, item) in {(p.severity, p.table, p.item) for p in problems}, problems


def test_warnings_do_not_stop_a_submission():
    extract = _good()
    extract.tables["children"][0]["ethnicity"] = "NOT_STATED"
    extract.tables["outcomes"][0]["local_other_status"] = "NOT_KNOWN"
    problems = cld.validate(extract)
    assert {(p.severity, p.item) for p in problems} == {
        (cld.WARNING, "ethnicity"),
        (cld.WARNING, "local_other_status"),
    }


def test_records_after_the_quarter_are_left_out_and_ends_cut():
    source = {t.name: [] for t in cld.TABLES}
    good = _good().tables
    source["children"] = [dict(good["children"][0], deleted=False)]
    source["offences"] = [
        {
            "offence_id": "O1",
            "child_id": "C1",
            "offence_date": D(2024, 4, 2),
            "arrest_date": None,
            "category": "ROBBERY",
            "gravity_score": 5,
            "voided": False,
        },
        {
            "offence_id": "O2",
            "child_id": "C1",
            "offence_date": D(2024, 7, 2),
            "arrest_date": None,
            "category": "ROBBERY",
            "gravity_score": 5,
            "voided": False,
        },
        {
            "offence_id": "O3",
            "child_id": "C1",
            "offence_date": D(2024, 4, 5),
            "arrest_date": None,
            "category": "ROBBERY",
            "gravity_score": 5,
            "voided": True,
        },
    ]
    source["accommodation"] = [
        {
            "accommodation_id": "A1",
            "child_id": "C1",
            "accommodation_type": "LIVING_WITH_PARENTS",
            "suitability": "SUITABLE",
            "start_date": D(2020, 1, 1),
            "end_date": D(2024, 9, 1),
            "voided": False,
        }
    ]
    extract = cld.build(source, Q)
    assert [o["offence_id"] for o in extract.tables["offences"]] == ["O1"]
    assert extract.tables["accommodation"][0]["end_date"] is None


def test_command_writes_files_report_summaries_and_audits(tiny, northshire, tmp_path):
    BudgetLine.objects.create(
        service=northshire,
        year=2024,
        agency="YJB",
        staffing_costs=100,
        payments_in_kind=0,
        other_delegated_funds=20,
    )
    out = tmp_path / "cld"
    call_command("cld", period="2024-25Q1", out=str(out))
    names = {p.name for p in out.iterdir()}
    assert {f"{t.name}.csv" for t in cld.TABLES} | {
        "b5_budget.csv",
        "b8_staffing.csv",
        "validation.csv",
        "validation.txt",
        "manifest.json",
    } == names
    with open(out / "children.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["child_id"] for r in rows] == [child_pseudonym(tiny["jay"].pk)]
    assert "Jay" not in "".join(p.read_text() for p in out.iterdir())
    budget = list(csv.reader(open(out / "b5_budget.csv")))
    assert budget[1] == ["2024-25", "Youth Justice Board", "100.00", "0.00", "20.00", "120.00"]
    assert budget[-1][1:] == ["Total", "100.00", "0.00", "20.00", "120.00"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["submittable"] and manifest["period"] == "2024Q1"
    assert "Ready to submit" in (out / "validation.txt").read_text()
    event = AuditEvent.objects.filter(action="EXPORT").latest("id")
    assert "case-level extract 2024-25 Q1: 1 children" in event.description


def test_strict_fails_only_when_there_are_errors(tiny, tmp_path):
    cw.Outcome.objects.filter(pk=tiny["order"].pk).update(first_hearing_date=None)
    out = tmp_path / "x"
    call_command("cld", period="2024-25Q1", out=str(out))  # files and report, exit 0
    rows = list(csv.DictReader(open(out / "validation.csv")))
    assert [(r["severity"], r["table"], r["item"]) for r in rows] == [
        ("error", "outcomes", "first_hearing_date")
    ]
    assert "NOT READY TO SUBMIT: 1 error(s)" in (out / "validation.txt").read_text()
    with pytest.raises(CommandError, match="1 error"):
        call_command("cld", period="2024-25Q1", out=str(out), strict=True)


def test_unfinished_and_bad_quarters_are_refused(northshire, tmp_path):
    from django.utils import timezone

    from yjs.periods import quarter_of

    current = quarter_of(timezone.localdate())
    out = tmp_path / "never"
    with pytest.raises(CommandError, match="has not ended"):
        call_command("cld", period=_label(current), out=str(out))
    with pytest.raises(CommandError, match="has not begun"):
        call_command("cld", period=_label(current.next()), out=str(out))
    with pytest.raises(CommandError, match="--period"):
        call_command("cld", period="2024Q9", out=str(out))
    assert not out.exists()


def _label(q) -> str:
    return q.label.replace(" ", "")


def test_docs_list_every_item():
    doc = Path(__file__).resolve().parents[2] / "docs" / "cld.md"
    assert cld.render_markdown() in doc.read_text()


def test_snapshot_folder_gives_the_same_extract(tiny, tmp_path):
    from yjs.interop.snapshot import take_snapshot

    folder = take_snapshot(tmp_path)
    from_app = cld.build(cld.read_app(None), Q).tables
    from_snapshot = cld.build(cld.read_snapshot(folder), Q).tables
    from_app = copy.deepcopy(from_app)
    from_app["assessments"] = []
    assert from_snapshot == from_app


def test_the_demo_service_can_submit_every_quarter_of_a_year(db):
    """The synthetic demo records what the YJB asks for: no errors in any quarter of 2024-25."""
    from yjs.interop.demo import load_demo

    load_demo(seed=2026, today=D(2026, 11, 25), children=40)
    source = cld.read_app(None)
    for q in ("2024-25Q1", "2024-25Q2", "2024-25Q3", "2024-25Q4"):
        extract = cld.build(source, parse_quarter(q))
        assert extract.count("children") > 0
        errors = [str(p) for p in cld.validate(extract) if p.severity == cld.ERROR]
        assert errors == [], (q, errors)


def test_a_broken_data_folder_is_one_readable_error(northshire, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "children.csv").write_text("child_id,date_of_birth\nC1,not a date\n")
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="--data"):
        call_command("cld", period="2024-25Q1", out=str(out), data=str(bad))
    assert not out.exists()
