"""Northshire's quality assurance: a plan for the current year, three audited cases."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import make_child
from yjs.governance import services as governance
from yjs.quality import services
from yjs.quality.models import CaseAudit

D = datetime.date


@pytest.fixture
def plan(northshire, people):
    year = services.today().year if services.today().month >= 4 else services.today().year - 1
    return governance.create_plan(northshire, start_year=year, actor=people["hana"])


def audit(service, child, manager, on, ratings, works_well="Warm relationship", improve=""):
    a, p, d, r, o = ratings
    return services.save_case_audit(
        manager,
        CaseAudit(
            service=service,
            child=child,
            audited_on=on,
            assessment=a,
            planning=p,
            delivery=d,
            review=r,
            overall=o,
            works_well=works_well,
            to_improve=improve,
        ),
    )


OUT, GOOD, RI, INAD = "OUTSTANDING", "GOOD", "REQUIRES_IMPROVEMENT", "INADEQUATE"


@pytest.fixture
def three_audits(northshire, people, jay, kim):
    """jay twice, kim once, all in June 2025 (financial year 2025-26)."""
    dee = make_child(northshire, northshire.teams.get(name="North"), first="Dee", last="Lane")
    mo = people["mo"]
    return [
        audit(northshire, jay, mo, D(2025, 6, 2), (GOOD, RI, GOOD, GOOD, GOOD), improve="Plan"),
        audit(northshire, kim, mo, D(2025, 6, 9), (OUT, GOOD, OUT, GOOD, OUT)),
        audit(
            northshire,
            dee,
            people["hana"],
            D(2025, 6, 30),
            (RI, INAD, RI, INAD, INAD),
            improve="No plan was written with the child",
        ),
    ]
