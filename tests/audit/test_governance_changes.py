"""Governance changes are audited with their old and new values, as casework changes are."""

from __future__ import annotations

import datetime
from decimal import Decimal

from yjs.audit.models import AuditEvent
from yjs.governance import services
from yjs.governance.models import BoardMeeting, BudgetLine, PlanVersion


def _last(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_hana_changes_a_budget_line_and_the_old_figure_is_kept(northshire, people):
    hana = people["hana"]
    line = services.save_record(
        BudgetLine(
            service=northshire,
            year=2025,
            agency="POLICE",
            staffing_costs=Decimal("1000.00"),
            payments_in_kind=Decimal("0"),
            other_delegated_funds=Decimal("0"),
        ),
        hana,
    )
    assert _last("CREATE").changes["staffing_costs"] == [None, "1000.00"]
    line.staffing_costs = Decimal("1500.00")
    services.save_record(line, hana)
    event = _last("UPDATE")
    assert event.actor_username == "hana"
    assert event.changes["staffing_costs"] == ["1000.00", "1500.00"]
    assert "payments_in_kind" not in event.changes  # unchanged, so not listed
    services.delete_record(line, hana)
    assert _last("DELETE").changes["staffing_costs"] == ["1500.00", None]


def test_a_plan_section_keeps_its_old_and_new_text(northshire, people):
    plan = services.create_plan(northshire, start_year=2025, actor=people["hana"])
    version = PlanVersion.objects.get(plan=plan)
    services.save_section(version, "introduction", "First words.", people["hana"])
    services.save_section(version, "introduction", "Better words.", people["hana"])
    assert _last("UPDATE").changes == {"narrative": ["First words.", "Better words."]}


def test_attendance_keeps_who_came_before_and_after(northshire, people):
    meeting = BoardMeeting.objects.create(
        service=northshire, meeting_date=datetime.date(2025, 6, 1)
    )
    services.record_attendance(meeting, {"POLICE": {"attendance": "DELEGATED"}}, people["hana"])
    services.record_attendance(meeting, {"POLICE": {"attendance": "NONE"}}, people["hana"])
    old, new = _last("UPDATE").changes["POLICE"]
    assert (old["attendance"], new["attendance"]) == ("DELEGATED", "NONE")
