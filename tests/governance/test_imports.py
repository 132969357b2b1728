"""XLSX import: every row checked first; one bad row and nothing is imported."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from yjs.governance import imports
from yjs.governance.models import Action, BudgetLine, StaffRecord


def workbook(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


STAFF_HEADINGS = ["Role", "Sex", "Ethnicity group", "Posts (FTE)", "Job title"]


def test_staffing_with_a_bad_row_imports_nothing_and_names_row_and_column(northshire):
    data = workbook(
        [
            STAFF_HEADINGS,
            ["Practitioners", "Female", "White", 1, "YJ officer"],
            ["Practitioners", "Woman", "White", 1, "YJ officer"],
            ["Administrative", "Male", "Asian", "lots", ""],
        ]
    )
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx("staffing", "staff.xlsx", data, northshire)
    problems = [(p.file, p.row, p.column) for p in failed.value.problems]
    assert problems == [("staff.xlsx", 3, "Sex"), ("staff.xlsx", 4, "Posts (FTE)")]
    assert "“Woman” is not one of: Male, Female" in str(failed.value.problems[0])
    assert StaffRecord.objects.count() == 0


def test_good_staffing_replaces_the_list(northshire):
    StaffRecord.objects.create(
        service=northshire, role_category="STUDENT", sex="MALE", ethnicity_group="WHITE"
    )
    data = workbook(
        [
            STAFF_HEADINGS,
            ["Practitioners", "Female", "Black", 0.5, ""],
            ["managers strategic", "Male", "NOT_KNOWN", 1, "Head of service"],
        ]
    )
    assert imports.import_xlsx("staffing", "staff.xlsx", data, northshire) == 2
    assert sorted(StaffRecord.objects.values_list("role_category", "fte_posts")) == [
        ("MANAGER_STRATEGIC", Decimal("1.00")),
        ("PRACTITIONER", Decimal("0.50")),
    ]


def test_budget_updates_the_agency_row(northshire):
    BudgetLine.objects.create(
        service=northshire, year=2024, agency="POLICE", payments_in_kind=Decimal(1)
    )
    data = workbook(
        [
            [
                "Financial year",
                "Agency",
                "Staffing costs",
                "Payments in kind",
                "Other delegated funds",
            ],
            ["2024-25", "Police", 0, "106,400", 0],
            ["2024-25", "Youth Justice Board", 0, 0, 511281],
        ]
    )
    assert imports.import_xlsx("budget", "b5.xlsx", data, northshire) == 2
    police = BudgetLine.objects.get(agency="POLICE")
    assert police.payments_in_kind == Decimal(106400)
    assert BudgetLine.objects.count() == 2


def test_missing_column_and_action_without_by_when(plan):
    data = workbook(
        [
            ["Ref", "Outcome needed", "Action", "Lead owner(s)", "RAG", "Source"],
            ["2.1", "Better ETE", "Commission tutoring", "ETE lead", "On track", "Board"],
        ]
    )
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx("actions", "actions.xlsx", data, plan)
    assert [(p.row, p.column) for p in failed.value.problems] == [(1, "By when")]

    data = workbook(
        [
            ["Ref", "Outcome needed", "Action", "Lead owner(s)", "By when", "RAG", "Source"],
            ["2.1", "Better ETE", "Commission tutoring", "ETE lead", "", "On track", "Board"],
            [
                "2.2",
                "Fewer remands",
                "Bail support",
                "Court team",
                "31/03/2025",
                "Off track",
                "HMIP recommendation",
            ],
        ]
    )
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx("actions", "actions.xlsx", data, plan)
    assert [(p.row, p.column) for p in failed.value.problems] == [(2, "By when")]
    assert not Action.objects.filter(ref__startswith="2.").exists()


def test_not_a_workbook(northshire):
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx("staffing", "staff.csv", b"role,sex\n", northshire)
    assert "is not an Excel (.xlsx) workbook" in str(failed.value.problems[0])


ACTION_HEADINGS = ["Ref", "Outcome needed", "Action", "Lead owner(s)", "By when", "RAG", "Source"]


def test_implausible_dates_years_and_control_characters_name_row_and_column(plan, northshire):
    """A due date in 1990 or 2099, a budget for 1990 and a NUL in a cell are each refused."""
    data = workbook(
        [
            ACTION_HEADINGS,
            ["3.1", "Better ETE", "Tutoring", "ETE lead", "31/03/1990", "On track", "Board"],
            ["3.2", "Better ETE", "Tutoring", "ETE lead", "31/03/2099", "On track", "Board"],
            ["3.3", "Better ETE", "Tutoring", "ETE lead", "31/03/2026", "On track", "Board"],
        ]
    )
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx("actions", "actions.xlsx", data, plan)
    problems = [str(p) for p in failed.value.problems]
    assert problems == [
        "actions.xlsx, row 2, column “By when”: The date must be on or after 1 January 2000 "
        "(“31/03/1990”)",
        "actions.xlsx, row 3, column “By when”: The date must be within 10 years from today "
        "(“31/03/2099”)",
    ]
    assert not Action.objects.filter(ref__startswith="3.").exists()

    data = workbook([["Financial year", "Agency", "Payments in kind"], ["1990-91", "Police", 1]])
    with pytest.raises(imports.ImportFailed, match="problem") as failed:
        imports.import_xlsx("budget", "b5.xlsx", data, northshire)
    assert "the financial year must be from 2000 to" in str(failed.value.problems[0])

    # openpyxl will not write a control character, but a hand-made workbook can hold one
    field = StaffRecord._meta.get_field("job_title")
    with pytest.raises(ValueError, match="characters that are not allowed"):
        imports._convert(field, "Head\x00of service")
