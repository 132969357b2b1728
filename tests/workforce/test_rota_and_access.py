"""The referral order panel rota's rules, the pages by role, and the audit of what they save.

Northshire (tests/conftest.py): alice practitioner (North), bob practitioner (South), mo team
manager, hana head of service, ana analyst, bea board member. jay is alice's child in North.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import PASSWORD, date_fields
from yjs.audit.models import AuditEvent
from yjs.casework.models import Intervention
from yjs.versioning import EditConflict
from yjs.workforce import models as m
from yjs.workforce import services

D = dt.date


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def order(jay):
    return Intervention.objects.create(
        child=jay, kind="REFERRAL_ORDER", start_date=D(2025, 1, 6), team=jay.team
    )


VETTED = D(2024, 1, 1)
RENEW_BY = D(2030, 1, 1)


def volunteer(service, name, vetted=VETTED, expires=RENEW_BY, role="PANEL_MEMBER"):
    return m.Volunteer.objects.create(
        service=service,
        name=name,
        role=role,
        started_on=D(2023, 1, 1),
        vetted_on=vetted,
        vetting_expires_on=expires,
    )


@pytest.fixture
def panel_members(northshire):
    return {
        "pat": volunteer(northshire, "Pat Price"),
        "ray": volunteer(northshire, "Ray Reed"),
        "sue": volunteer(northshire, "Sue Shaw"),
        # Her check must be renewed by 10 March 2025.
        "val": volunteer(northshire, "Val Vine", expires=D(2025, 3, 10)),
        "max": volunteer(northshire, "Max Mentor", role="MENTOR"),
    }


def book(people, northshire, order, one, two, starts, minutes=90):
    return services.save(
        people["mo"],
        m.PanelMeeting(
            service=northshire,
            intervention=order,
            kind="INITIAL",
            starts_at=starts,
            minutes=minutes,
            member_one=one,
            member_two=two,
        ),
    )


def test_vetting_expired_volunteer_is_refused(people, northshire, order, panel_members):
    v = panel_members
    # On the renewal date itself the check is still in date.
    book(people, northshire, order, v["val"], v["pat"], at(D(2025, 3, 10), 16))
    with pytest.raises(ValidationError) as refused:
        book(people, northshire, order, v["val"], v["ray"], at(D(2025, 3, 11), 16))
    assert "Val Vine's DBS check is not in date on 11 March 2025" in str(refused.value)
    with pytest.raises(ValidationError, match="not a referral order panel member"):
        book(people, northshire, order, v["max"], v["ray"], at(D(2025, 3, 12), 16))
    with pytest.raises(ValidationError, match="two different panel members"):
        book(people, northshire, order, v["ray"], v["ray"], at(D(2025, 3, 12), 16))


def test_double_booking_is_refused(people, northshire, order, panel_members):
    v = panel_members
    first = book(people, northshire, order, v["pat"], v["ray"], at(D(2025, 2, 3), 16))  # to 17:30
    with pytest.raises(
        ValidationError, match="Ray Reed is already on the rota for a panel at 16:00"
    ):
        book(people, northshire, order, v["sue"], v["ray"], at(D(2025, 2, 3), 17))
    # Starting as the other ends is no clash.
    book(people, northshire, order, v["sue"], v["ray"], at(D(2025, 2, 3), 17, 30))
    # A cancelled panel frees its members.
    services.cancel_panel(people["mo"], first)
    book(people, northshire, order, v["pat"], v["sue"], at(D(2025, 2, 3), 16))


def test_a_panel_is_for_a_referral_order_open_on_the_day(people, northshire, jay, panel_members):
    yro = Intervention.objects.create(
        child=jay, kind="YRO", start_date=D(2025, 1, 6), team=jay.team
    )
    v = panel_members
    with pytest.raises(ValidationError, match="Select a referral order"):
        book(people, northshire, yro, v["pat"], v["ray"], at(D(2025, 2, 3), 16))
    ro = Intervention.objects.create(
        child=jay,
        kind="REFERRAL_ORDER",
        start_date=D(2025, 1, 6),
        end_date=D(2025, 7, 5),
        team=jay.team,
    )
    with pytest.raises(ValidationError, match="choose a date within it"):
        book(people, northshire, ro, v["pat"], v["ray"], at(D(2025, 7, 6), 16))


def test_booking_a_panel_through_the_page(client, people, northshire, order, panel_members):
    v = panel_members
    day = timezone.localdate() + dt.timedelta(days=10)
    client.login(username="mo", password=PASSWORD)
    form = {
        "intervention": order.pk,
        "kind": "INITIAL",
        **date_fields("day", day),
        "time": "16:00",
        "minutes": "90",
        "venue": "Town hall",
        "member_one": v["val"].pk,
        "member_two": v["pat"].pk,
        "revision": "0",
    }
    page = client.post("/volunteers/panels/new/", form).content.decode()
    assert "There is a problem" in page and "DBS check is not in date" in page
    form["member_one"] = v["sue"].pk
    response = client.post("/volunteers/panels/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    panel = m.PanelMeeting.objects.get()
    assert timezone.localtime(panel.starts_at).hour == 16
    event = AuditEvent.objects.filter(object_type="referral order panel meeting").get()
    assert event.child_id == order.child_id and event.actor == people["mo"]
    rota = client.get("/volunteers/").content.decode()
    assert "Jay Smith" in rota and "Sue Shaw and Pat Price" in rota


def test_two_people_changing_a_vacancy_never_overwrite_each_other(people, northshire):
    vacancy = services.save(
        people["hana"],
        m.Vacancy(
            service=northshire,
            post="Case manager",
            role_category="PRACTITIONER",
            vacant_since=D(2025, 1, 1),
        ),
    )
    mine = m.Vacancy.objects.get(pk=vacancy.pk)
    theirs = m.Vacancy.objects.get(pk=vacancy.pk)
    theirs.filled_on = D(2025, 2, 1)
    services.save(people["mo"], theirs)
    mine.fte_posts = Decimal("0.5")
    with pytest.raises(EditConflict):
        services.save(people["hana"], mine)


# --------------------------------------------------------------------------- access by role

MANAGED = [
    "/workforce/courses/new/",
    "/workforce/training/new/",
    "/workforce/supervision/new/",
    "/workforce/vacancies/new/",
    "/volunteers/",
    "/volunteers/new/",
    "/volunteers/panels/new/",
    "/resources/remand-costs/new/",
    "/resources/reparation/new/",
    "/resources/reparation/sessions/new/",
]


@pytest.fixture
def records(northshire, people):
    course = m.Course.objects.create(
        service=northshire, name="Safeguarding", mandatory=True, renewal_months=12
    )
    m.TrainingAttendance.objects.create(
        course=course, person=people["alice"], attended_on=D(2025, 1, 1), expires_on=D(2026, 1, 1)
    )
    m.StaffSupervision.objects.create(
        staff=people["bob"], supervisor=people["mo"], held_on=D(2025, 1, 1), next_due=D(2025, 2, 1)
    )
    return course


@pytest.mark.parametrize("username", ["mo", "hana"])
def test_managers_manage(client, people, records, username):
    client.login(username=username, password=PASSWORD)
    for url in [*MANAGED, "/workforce/", "/resources/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/workforce/").content.decode()
    assert "Bob Baker" in page and "Overdue" in page  # names of staff, for managers


def test_practitioner_sees_only_their_own_training_and_supervision(client, people, records):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/workforce/me/").content.decode()
    assert "Safeguarding" in page and "1 January 2025" in page
    assert "No supervision recorded yet" in page  # bob's supervision is not hers
    for url in [*MANAGED, "/workforce/", "/resources/"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


@pytest.mark.parametrize("username", ["ana", "bea"])
def test_analyst_and_board_member_see_figures_only(client, people, records, username):
    client.login(username=username, password=PASSWORD)
    page = client.get("/workforce/").content.decode()
    assert "Mandatory training" in page and "Caseload" in page
    assert "Bob Baker" not in page and "Alice Archer" not in page
    assert client.get("/resources/").status_code == 200
    for url in MANAGED:
        assert client.get(url).status_code == 403, url
    assert client.get("/workforce/me/").status_code == 403


def test_a_second_service_sees_none_of_northshires_records(client, northshire, people, records):
    from yjs.organisation.models import Role, Service, User

    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    User.objects.create_user("sol", password=PASSWORD, service=south, role=Role.HEAD_OF_SERVICE)
    vacancy = m.Vacancy.objects.create(
        service=northshire,
        post="Case manager",
        role_category="PRACTITIONER",
        vacant_since=D(2025, 1, 1),
    )
    client.login(username="sol", password=PASSWORD)
    page = client.get("/workforce/").content.decode()
    assert "Safeguarding" not in page and "Case manager" not in page
    assert client.get(f"/workforce/vacancies/{vacancy.pk}/").status_code == 404
    form = client.get("/workforce/training/new/").content.decode()
    assert "Alice Archer" not in form and "Safeguarding" not in form


def test_a_held_panel_logs_its_members_hours(people, northshire, order, panel_members):
    v = panel_members
    panel = book(people, northshire, order, v["pat"], v["ray"], at(D(2025, 2, 3), 16))
    services.hold_panel(people["mo"], panel)
    assert m.PanelMeeting.objects.get().status == "HELD"
    logged = m.VolunteerHours.objects.order_by("volunteer__name")
    assert [(h.volunteer.name, h.given_on, h.hours) for h in logged] == [
        ("Pat Price", D(2025, 2, 3), Decimal("1.50")),
        ("Ray Reed", D(2025, 2, 3), Decimal("1.50")),
    ]
    with pytest.raises(ValidationError, match="Only a booked panel"):
        services.hold_panel(people["mo"], panel)


def test_erasing_a_child_removes_their_panels(people, northshire, jay, order, panel_members):
    from yjs.casework.erasure import erase_child

    v = panel_members
    book(people, northshire, order, v["pat"], v["ray"], at(D(2025, 2, 3), 16))
    jay.closed_on = D(2025, 6, 1)
    jay.closure_reason = "COMPLETED"
    jay.save()
    erase_child(people["hana"], jay, "Retention period over")
    assert not m.PanelMeeting.objects.exists()
    assert m.Volunteer.objects.count() == 5
