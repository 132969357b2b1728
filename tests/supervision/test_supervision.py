"""Supervising an order: requirements, appointments, warnings and breach, with hand-worked
compliance figures, alerts, counts per worker and team, and who may see or record them."""

import datetime
import re

import pytest

from tests.conftest import PASSWORD, date_fields, make_child
from yjs.casework.models import Child, Offence, Outcome
from yjs.casework.selectors import alerts
from yjs.organisation.models import Role, Service, Team, User
from yjs.supervision import selectors, services
from yjs.supervision.models import Appointment, Breach, Requirement, Warning

D = datetime.date
A = Appointment.Attendance
ORDER_DATE = D(2026, 3, 2)
FIRST_APPOINTMENT = D(2026, 4, 1)


def _order(child, code="YRO", on=ORDER_DATE, months=12, **extra):
    offence = Offence.objects.create(
        child=child,
        offence_date=on - datetime.timedelta(days=60),
        description="Theft",
        category="THEFT_AND_HANDLING",
    )
    order = Outcome.objects.create(
        child=child,
        code=code,
        outcome_date=on,
        length_months=months,
        appeal_status="NONE",
        residence="LOCAL",
        **extra,
    )
    order.offences.set([offence])
    return order


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert "govuk-error-summary" in page
    return re.findall(
        r'govuk-error-message">\s*<span[^>]*>Error:</span>\s*(.*?)\s*</p>', page, re.S
    )


def _post_requirement(client, child, order, **extra):
    data = {
        "order": order.pk,
        "kind": "ACTIVITY",
        "unit": "DAYS",
        "ordered": 30,
        "completed": 0,
        **date_fields("start_date", D(2026, 3, 2)),
        **date_fields("planned_end_date", D(2026, 9, 1)),
    }
    for key, value in extra.items():
        if isinstance(value, datetime.date):
            data.update(date_fields(key, value))
        else:
            data[key] = value
    return client.post(f"/children/{child.pk}/requirements/new/", data)


def test_a_requirement_is_recorded_and_bad_ones_are_refused(client, jay):
    yro = _order(jay)  # 2 March 2026 for 12 months: ends 2 March 2027
    client.login(username="alice", password=PASSWORD)
    assert _post_requirement(client, jay, yro).status_code == 302
    req = Requirement.objects.get()
    assert (req.kind, req.ordered, req.child) == ("ACTIVITY", 30, jay)

    r = _post_requirement(client, jay, yro, completed=31)
    assert _errors(r) == [
        "Number completed must be the same as or less than the number ordered (30)"
    ]
    r = _post_requirement(client, jay, yro, planned_end_date=D(2027, 3, 3))
    assert _errors(r) == [
        "Date the requirement ends must be the same as or before the end of the order "
        "(2 March 2027)"
    ]
    r = _post_requirement(client, jay, yro, start_date=D(2026, 3, 1))
    assert (
        "Date the requirement starts must be the same as or after the date of the order"
        in (_errors(r)[0])
    )
    r = _post_requirement(client, jay, yro, kind="CURFEW", unit="", ordered="")
    assert _errors(r) == ["Enter how many hours a day the curfew lasts"]
    r = _post_requirement(client, jay, yro, kind="UNPAID_WORK", unit="HOURS", ordered=60)
    assert _errors(r) == [
        "Unpaid work is only for a child aged 16 or 17 when sentenced (this child was 15)"
    ]
    r = _post_requirement(client, jay, yro, kind="REPARATION")
    assert _errors(r)[0].startswith("Select a youth rehabilitation order requirement")
    # a caution is no order with requirements: it is not offered, and refused if posted
    caution = _order(jay, code="YOUTH_CAUTION", months=None)
    assert _errors(_post_requirement(client, jay, caution)) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Requirement.objects.count() == 1


def test_a_variation_extends_the_dates_a_requirement_may_have(client, jay):
    yro = _order(jay)  # ends 2 March 2027
    variation = Outcome.objects.create(
        child=jay,
        code="YRO",
        outcome_date=D(2026, 9, 1),
        length_months=18,
        appeal_status="NONE",
        residence="LOCAL",
        varies=yro,
        is_variation=True,
    )
    assert services.order_end(yro) == D(2027, 9, 2)
    client.login(username="alice", password=PASSWORD)
    assert _post_requirement(client, jay, yro, planned_end_date=D(2027, 9, 2)).status_code == 302
    assert _errors(_post_requirement(client, jay, yro, planned_end_date=D(2027, 9, 3)))
    # the variation itself carries no requirements: they belong to the order it varies
    assert services.order_problem(variation, jay) == (
        "Select a youth rehabilitation order or a referral order"
    )


def _appointments(child, order, *attendance, start=FIRST_APPOINTMENT):
    return [
        Appointment.objects.create(
            child=child,
            order=order,
            appointment_date=start + datetime.timedelta(days=7 * i),
            kind="SUPERVISION",
            attendance=a,
        )
        for i, a in enumerate(attendance)
    ]


def test_compliance_figures_worked_by_hand(jay, people):
    yro = _order(jay)
    Requirement.objects.create(
        child=jay,
        order=yro,
        kind="CURFEW",
        curfew_hours=12,
        start_date=D(2026, 3, 2),
        planned_end_date=D(2026, 6, 1),
    )
    Requirement.objects.create(
        child=jay,
        order=yro,
        kind="ACTIVITY",
        unit="DAYS",
        ordered=30,
        completed=12,
        start_date=D(2026, 3, 2),
        planned_end_date=D(2026, 9, 1),
    )
    # 6 kept, 1 acceptable absence, 2 unacceptable: kept 6 of the 8 due = 75%
    appts = _appointments(jay, yro, *[A.KEPT] * 6, A.ACCEPTABLE, A.UNACCEPTABLE, A.UNACCEPTABLE)
    voided = _appointments(jay, yro, A.UNACCEPTABLE)[0]
    voided.voided_at = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    voided.save()
    alice = people["alice"]
    # warnings on 20 May 2026 and 27 May 2026; on 20 May 2027 only the second is within 12 months
    for appt in appts[-2:]:
        Warning.objects.create(
            child=jay,
            order=yro,
            appointment=appt,
            warned_on=appt.appointment_date,
            reason="Missed without reason",
            given_by=alice,
        )
    [row] = selectors.compliance(jay, D(2026, 12, 1))
    assert (row.kept, row.acceptable, row.unacceptable, row.kept_percent) == (6, 1, 2, 75)
    assert row.warnings_12_months == 2 and row.at_threshold
    assert [(r.kind, r.completed, r.ordered) for r in row.requirements] == [
        ("CURFEW", 0, None),
        ("ACTIVITY", 12, 30),
    ]
    assert row.end == D(2027, 3, 2) and row.breach_state == "No breach"
    assert selectors.compliance(jay, D(2027, 5, 21))[0].warnings_12_months == 1
    Breach.objects.create(
        child=jay, order=yro, breach_date=D(2026, 7, 1), proceedings="COURT", reason="Missed"
    )
    [row] = selectors.compliance(jay, D(2026, 12, 1))
    assert row.breach_state == "Breach pending since 1 July 2026"
    # Taken back to court after the latest warning (27 May): no longer "must be taken back", as
    # the alert (warning_threshold_alerts) says.
    assert row.warnings_12_months == 2 and not row.at_threshold


def _kinds(on):
    return sorted((a.child.first_name, a.kind) for a in alerts(Child.objects.all(), on))


def test_alerts_breach_pending_warning_threshold_and_requirements_ending(jay, kim, people):
    yro = _order(jay)
    warnings = [
        Warning.objects.create(
            child=jay, order=yro, warned_on=d, reason="Missed", given_by=people["alice"]
        )
        for d in (D(2026, 4, 1), D(2026, 5, 1))
    ]
    assert _kinds(D(2026, 4, 30)) == []  # one warning: below the threshold
    assert _kinds(D(2026, 5, 1)) == [("Jay", "warnings")]
    assert _kinds(D(2027, 4, 1)) == []  # the first is more than 12 months old
    breach = Breach.objects.create(
        child=jay, order=yro, breach_date=D(2026, 5, 10), proceedings="COURT", reason="Missed"
    )
    # back to court after the latest warning: no warning alert, the breach waits for its result
    assert _kinds(D(2026, 5, 12)) == [("Jay", "breach")]
    breach.result, breach.result_date = "CONTINUED", D(2026, 6, 1)
    breach.save()
    assert _kinds(D(2026, 6, 2)) == []
    assert warnings
    # a referral order of kim's: its contract element ends on 15 June 2026, 10 hours short
    ro = _order(kim, code="REFERRAL_ORDER", on=D(2026, 3, 2), months=6)
    Requirement.objects.create(
        child=kim,
        order=ro,
        kind="REPARATION",
        unit="HOURS",
        ordered=20,
        completed=10,
        start_date=D(2026, 3, 2),
        planned_end_date=D(2026, 6, 15),
    )
    assert _kinds(D(2026, 5, 31)) == []  # 15 days ahead
    assert _kinds(D(2026, 6, 1)) == [("Kim", "requirement")]  # 14 days ahead
    assert _kinds(D(2026, 6, 16)) == []  # ended
    Requirement.objects.update(completed=20)
    assert _kinds(D(2026, 6, 1)) == []  # all the hours done


def test_alerts_counted_per_worker_and_team_on_the_managers_page(client, northshire, people):
    """Hand count (today is the real date; every alert below is open today):
    alice's jay: a pending breach and two warnings in the last 12 months (2 alerts);
    mo's lee (North): a pending breach (1); North's sam with no worker: a pending breach (1);
    bob's kim (South): a pending breach (1), not on mo's page but on hana's.
    mo (North) sees alice 2, mo 1, no worker 1, team North 4; hana sees South 1 too."""
    today = services.casework.today()
    north, south = northshire.teams.get(name="North"), northshire.teams.get(name="South")
    jay = make_child(northshire, north, worker=people["alice"])
    lee = make_child(northshire, north, first="Lee", worker=people["mo"])
    sam = make_child(northshire, north, first="Sam")
    kim = make_child(northshire, south, first="Kim", worker=people["bob"])
    on = today - datetime.timedelta(days=30)
    for child in (jay, lee, sam, kim):
        order = _order(child, on=on)
        Breach.objects.create(
            child=child, order=order, breach_date=on, proceedings="COURT", reason="Missed"
        )
    jay_order = jay.outcomes.get()
    for days in (5, 3):  # after the breach: the threshold alert stands
        Warning.objects.create(
            child=jay,
            order=jay_order,
            warned_on=today - datetime.timedelta(days=days),
            reason="Missed",
            given_by=people["alice"],
        )
    client.login(username="mo", password=PASSWORD)
    page = client.get("/casework/workers/").content.decode()
    cells = re.findall(
        r'data-label="Worker"><a class="govuk-link"[^>]*>([^<]+)</a>.*?'
        r'data-label="Open alerts">(\d+)<',
        page,
        re.S,
    )
    assert dict(cells) == {"Alice Archer": "2", "Mo Morgan": "1"}
    assert re.findall(r'<td class="govuk-table__cell">(\w+)</td><td[^>]*>(\d+)<', page) == [
        ("North", "4")
    ]
    assert "1 of them on cases with no worker" in page
    client.login(username="hana", password=PASSWORD)
    page = client.get("/casework/workers/").content.decode()
    assert re.findall(r'<td class="govuk-table__cell">(\w+)</td><td[^>]*>(\d+)<', page) == [
        ("North", "4"),
        ("South", "1"),
    ]


def test_appointment_and_its_warning_are_one_change(client, jay):
    yro = _order(jay)
    client.login(username="alice", password=PASSWORD)
    data = {
        "order": yro.pk,
        "kind": "SUPERVISION",
        "attendance": "KEPT",
        "warning_given": "on",
        "warning_reason": "",
        **date_fields("appointment_date", D(2026, 4, 1)),
    }
    r = client.post(f"/children/{jay.pk}/appointments/new/", data)
    assert _errors(r) == [
        "A warning is only given for an unacceptable absence",
        "Enter the reason for the warning",
    ]
    data.update(attendance="UNACCEPTABLE", warning_reason="Did not come, no reason given")
    assert client.post(f"/children/{jay.pk}/appointments/new/", data).status_code == 302
    warning = Warning.objects.get()
    assert warning.appointment == Appointment.objects.get() and warning.given_by.username == "alice"
    # a breach: a YRO goes to court, and a result needs its date
    r = client.post(
        f"/children/{jay.pk}/breaches/new/",
        {
            "order": yro.pk,
            "proceedings": "PANEL",
            "reason": "Two warnings then a third miss",
            "result": "CONTINUED",
            **date_fields("breach_date", D(2026, 5, 1)),
        },
    )
    assert _errors(r) == [
        "A youth rehabilitation order is taken back to court, not a panel",
        "Select a result the panel can give for a referral back to the panel, and one the court "
        "can give for a court",
        "Enter the date of the result",
    ]
    assert not Breach.objects.exists()


def test_record_page_shows_compliance_and_the_records_have_pages(client, jay, people):
    yro = _order(jay)
    req = Requirement.objects.create(
        child=jay,
        order=yro,
        kind="ACTIVITY",
        unit="DAYS",
        ordered=30,
        completed=12,
        start_date=D(2026, 3, 2),
        planned_end_date=D(2026, 9, 1),
    )
    _appointments(jay, yro, A.KEPT, A.KEPT, A.KEPT, A.UNACCEPTABLE)
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/?show=all").content.decode()
    assert "Supervising the order" in page and "12 of 30 days" in page
    assert "75% (3 of 4)" in page
    assert "Supervision session missed" in page  # the timeline
    assert f"/children/{jay.pk}/requirements/new/" in page  # the record link
    record = client.get(f"/children/{jay.pk}/records/requirement/{req.pk}/")
    assert record.status_code == 200 and "Activity requirement" in record.content.decode()


@pytest.fixture
def elsewhere(db):
    service = Service.objects.create(name="Southshire Youth Justice Service", code="southshire")
    team = Team.objects.create(service=service, name="West")
    return User.objects.create_user(
        username="zed", password=PASSWORD, service=service, team=team, role=Role.PRACTITIONER
    )


@pytest.mark.parametrize("who", ["bob", "zed"])
def test_another_team_or_service_cannot_see_or_record(client, jay, people, elsewhere, who):
    yro = _order(jay)
    breach = Breach.objects.create(
        child=jay, order=yro, breach_date=D(2026, 5, 1), proceedings="COURT", reason="Missed"
    )
    client.login(username=who, password=PASSWORD)
    for url in ("requirements", "appointments", "order-warnings", "breaches"):
        assert client.get(f"/children/{jay.pk}/{url}/new/").status_code in (403, 404)
    r = client.post(f"/children/{jay.pk}/requirements/new/", {"order": yro.pk})
    assert r.status_code in (403, 404)
    assert client.get(f"/children/{jay.pk}/records/breach/{breach.pk}/").status_code in (403, 404)
    assert client.post(
        f"/children/{jay.pk}/records/breach/{breach.pk}/void/", {"reason": "x"}
    ).status_code in (403, 404)
    assert Requirement.objects.count() == 0 and not Breach.objects.get().voided


def test_an_order_with_live_requirements_or_variations_is_not_voided_first(jay, people):
    """Voiding an order others rest on names them; void them first (casework live_dependants
    finds every record kind that links to the order, of any app)."""
    from django.core.exceptions import ValidationError

    from yjs.casework import services as casework

    order = _order(jay)
    requirement = Requirement.objects.create(
        child=jay,
        order=order,
        kind="SUPERVISION",
        start_date=ORDER_DATE,
        planned_end_date=ORDER_DATE + datetime.timedelta(days=180),
    )
    variation = Outcome.objects.create(
        child=jay,
        code="YRO",
        outcome_date=ORDER_DATE + datetime.timedelta(days=60),
        length_months=18,
        appeal_status="NONE",
        residence="LOCAL",
        is_variation=True,
        varies=order,
    )
    with pytest.raises(ValidationError) as refused:
        casework.void_record(people["alice"], order, "Entered on the wrong child")
    message = str(refused.value)
    assert "Void the records that depend on this one first" in message
    assert "Supervision" in message and "Youth rehabilitation order" in message
    casework.void_record(people["alice"], requirement, "Wrong child")
    casework.void_record(people["alice"], variation, "Wrong child")
    casework.void_record(people["alice"], order, "Wrong child")
    assert Outcome.all_objects.get(pk=order.pk).voided_at
