"""The diary: alice plans next week's appointments with Jay, records one as missed (a contact,
and on his youth rehabilitation order the absence and a warning), rearranges and cancels
others; mo, her team manager, sees the team's diary; nobody else sees any of it."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, date_fields
from yjs.audit.models import AuditEvent
from yjs.casework.models import Contact, Offence, Outcome
from yjs.diary import selectors, services
from yjs.diary.models import PlannedAppointment
from yjs.supervision.models import Appointment, Warning

S = PlannedAppointment.Status
D = datetime.date
T = datetime.time


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert "govuk-error-summary" in page, page[:2000]
    return re.findall(
        r'govuk-error-message">\s*<span[^>]*>Error:</span>\s*(.*?)\s*</p>', page, re.S
    )


def next_monday() -> D:
    return selectors.week_of(timezone.localdate()) + datetime.timedelta(days=7)


def _plan_data(people, day, **extra):
    data = {
        **date_fields("date", day),
        "start_time": "10:00",
        "end_time": "11:00",
        "place": "Northshire youth justice office",
        "with_whom": "Jay and his mother",
        "kind": "SUPERVISION",
        "mode": "FACE_TO_FACE",
        "worker": people["alice"].pk,
    }
    data.update(extra)
    return data


TEN, ELEVEN = T(10), T(11)


def _appointment(child, worker, day, *, start=TEN, end=ELEVEN, **extra):
    """An appointment as the diary keeps it (made directly: one in the past cannot be planned
    through the service any more)."""
    return PlannedAppointment.objects.create(
        child=child,
        worker=worker,
        date=day,
        start_time=start,
        end_time=end,
        place="Northshire youth justice office",
        with_whom="Jay and his mother",
        kind=extra.pop("kind", "SUPERVISION"),
        **extra,
    )


def _yro(child, on):
    offence = Offence.objects.create(
        child=child,
        offence_date=on - datetime.timedelta(days=60),
        description="Theft",
        category="THEFT_AND_HANDLING",
    )
    order = Outcome.objects.create(
        child=child,
        code="YRO",
        outcome_date=on,
        length_months=12,
        appeal_status="NONE",
        residence="LOCAL",
    )
    order.offences.set([offence])
    return order


def test_alice_plans_next_weeks_appointments_and_sees_them_in_her_diary(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    monday = next_monday()
    r = client.post(f"/children/{jay.pk}/diary/plan/", _plan_data(people, monday))
    assert r.status_code == 302
    r = client.post(
        f"/children/{jay.pk}/diary/plan/",
        _plan_data(
            people, monday + datetime.timedelta(days=3), start_time="14:30", end_time="15:15"
        ),
    )
    assert r.status_code == 302
    planned = list(PlannedAppointment.objects.order_by("date"))
    assert [(a.date, a.start_time, a.status) for a in planned] == [
        (monday, T(10), S.PLANNED),
        (monday + datetime.timedelta(days=3), T(14, 30), S.PLANNED),
    ]
    assert (
        AuditEvent.objects.filter(
            object_type="planned appointment", action="CREATE", child=jay
        ).count()
        == 2
    )

    page = client.get(f"/diary/?week={monday.isoformat()}").content.decode()
    assert "2 appointments" in page
    assert "10:00 to 11:00" in page and "14:30 to 15:15" in page
    assert "With Jay and his mother" in page
    assert f"?week={(monday - datetime.timedelta(days=7)).isoformat()}" in page  # previous
    assert f"?week={(monday + datetime.timedelta(days=7)).isoformat()}" in page  # next
    assert "Today" not in page  # next week has no today
    this_week = client.get("/diary/").content.decode()
    assert 'aria-current="date"' in this_week
    # the page's read is audited for the child it names
    assert AuditEvent.objects.filter(child=jay, description="My diary").exists()


def test_a_diary_entry_in_the_past_cannot_be_planned(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    r = client.post(f"/children/{jay.pk}/diary/plan/", _plan_data(people, yesterday))
    assert _errors(r) == [
        "A planned appointment must be in the future: record an appointment that has "
        "happened as a contact"
    ]
    r = client.post(
        f"/children/{jay.pk}/diary/plan/",
        _plan_data(people, next_monday(), start_time="11:00", end_time="10:30"),
    )
    assert _errors(r) == ["End time must be after the start time"]
    r = client.post(
        f"/children/{jay.pk}/diary/plan/", _plan_data(people, next_monday(), start_time="25:00")
    )
    assert _errors(r) == ["Enter the start time as hours and minutes, like 14:30"]
    # only the service's case workers keep a diary: not its performance analyst
    r = client.post(
        f"/children/{jay.pk}/diary/plan/",
        _plan_data(people, next_monday(), worker=people["ana"].pk),
    )
    assert "Select a valid choice" in _errors(r)[0]
    assert not PlannedAppointment.objects.exists()


def test_the_service_refuses_a_past_planned_appointment(jay, people):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    appt = PlannedAppointment(
        child=jay,
        worker=people["alice"],
        date=yesterday,
        start_time=T(10),
        end_time=T(11),
        place="Office",
        kind="SUPERVISION",
    )
    with pytest.raises(Exception, match="must be in the future"):
        services.plan_appointment(people["alice"], appt)


def test_a_missed_appointment_becomes_a_contact_not_attended(client, jay, people):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    appt = _appointment(jay, people["alice"], yesterday, kind="HOME_VISIT")
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/diary/appointments/{appt.pk}/outcome/").content.decode()
    assert "acceptable" not in page  # no order: no question about the absence
    r = client.post(
        f"/diary/appointments/{appt.pk}/outcome/",
        {"attended": "no", "notes": "Nobody answered the door", "revision": appt.revision},
    )
    assert r.status_code == 302
    appt.refresh_from_db()
    contact = Contact.objects.get()
    assert appt.status == S.NOT_ATTENDED and appt.contact == contact
    assert (contact.contact_date, contact.contact_type, contact.attended, contact.worker) == (
        yesterday,
        "HOME_VISIT",
        False,
        people["alice"],
    )
    assert contact.notes == "Nobody answered the door"
    # recorded once only: a second try is refused and nothing more is saved
    r = client.post(
        f"/diary/appointments/{appt.pk}/outcome/", {"attended": "yes", "revision": appt.revision}
    )
    assert r.status_code == 302 and Contact.objects.count() == 1


def test_an_appointment_not_started_has_no_outcome_yet(jay, people):
    appt = _appointment(jay, people["alice"], next_monday())
    with pytest.raises(Exception, match="has not started yet"):
        services.record_attendance(people["alice"], appt, attended=True)
    assert not Contact.objects.exists()


def test_on_a_youth_rehabilitation_order_the_absence_and_a_warning_are_recorded(
    client, jay, people
):
    today = timezone.localdate()
    order = _yro(jay, today - datetime.timedelta(days=20))
    yesterday = today - datetime.timedelta(days=1)
    appt = _appointment(jay, people["alice"], yesterday, order=order)
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/diary/appointments/{appt.pk}/outcome/", {"attended": "no", "revision": appt.revision}
    )
    assert _errors(r) == ["Select whether the absence was acceptable or unacceptable"]
    r = client.post(
        f"/diary/appointments/{appt.pk}/outcome/",
        {
            "attended": "no",
            "absence": "UNACCEPTABLE",
            "warning_reason": "Missed without a reason",
            "revision": appt.revision,
        },
    )
    assert r.status_code == 302
    appt.refresh_from_db()
    missed = Appointment.objects.get()
    assert (missed.order, missed.attendance, missed.appointment_date, missed.kind) == (
        order,
        "UNACCEPTABLE",
        yesterday,
        "SUPERVISION",
    )
    assert appt.supervision_appointment == missed and appt.contact.attended is False
    warning = Warning.objects.get()
    assert (warning.appointment, warning.given_by) == (missed, people["alice"])


def test_an_attended_appointment_on_an_order_is_kept(jay, people):
    today = timezone.localdate()
    order = _yro(jay, today - datetime.timedelta(days=20))
    appt = _appointment(jay, people["alice"], today - datetime.timedelta(days=2), order=order)
    services.record_attendance(people["alice"], appt, attended=True, notes="Good session")
    assert Appointment.objects.get().attendance == "KEPT"
    assert Contact.objects.get().attended is True


def test_rearranging_plans_the_new_appointment_linked_to_the_old(client, jay, people):
    monday = next_monday()
    appt = _appointment(jay, people["alice"], monday)
    client.login(username="alice", password=PASSWORD)
    thursday = monday + datetime.timedelta(days=3)
    r = client.post(
        f"/diary/appointments/{appt.pk}/rearrange/",
        {
            **date_fields("date", thursday),
            "start_time": "09:30",
            "end_time": "10:30",
            "reason": "Jay has a dentist appointment",
            "revision": appt.revision,
        },
    )
    assert r.status_code == 302
    appt.refresh_from_db()
    new = PlannedAppointment.objects.get(rearranged_from=appt)
    assert appt.status == S.REARRANGED and appt.status_reason == "Jay has a dentist appointment"
    assert (new.date, new.start_time, new.place, new.status) == (
        thursday,
        T(9, 30),
        appt.place,
        S.PLANNED,
    )
    # the new time must be in the future too
    r = client.post(
        f"/diary/appointments/{new.pk}/rearrange/",
        {
            **date_fields("date", timezone.localdate() - datetime.timedelta(days=1)),
            "start_time": "09:30",
            "end_time": "10:30",
            "revision": new.revision,
        },
    )
    assert "must be in the future" in r.content.decode()
    new.refresh_from_db()
    assert new.status == S.PLANNED


def test_cancelling_needs_a_reason_and_two_people_never_both_win(client, jay, people):
    appt = _appointment(jay, people["alice"], next_monday())
    client.login(username="alice", password=PASSWORD)
    r = client.post(f"/diary/appointments/{appt.pk}/cancel/", {"revision": appt.revision})
    assert _errors(r) == ["Enter why the appointment is cancelled"]
    stale = appt.revision
    services.rearrange(people["mo"], appt, date=next_monday(), start_time=T(15), end_time=T(16))
    r = client.post(f"/diary/appointments/{appt.pk}/cancel/", {"reason": "Ill", "revision": stale})
    assert r.status_code == 302  # already rearranged: the page says so, nothing changes
    appt.refresh_from_db()
    assert appt.status == S.REARRANGED


def test_team_diary_is_for_managers_and_shows_the_teams_appointments(client, jay, kim, people):
    monday = next_monday()
    _appointment(jay, people["alice"], monday)
    _appointment(kim, people["bob"], monday, start=T(13), end=T(14))
    client.login(username="mo", password=PASSWORD)
    page = client.get(f"/diary/team/?week={monday.isoformat()}").content.decode()
    assert "Jay Smith" in page and "Alice Archer" in page and "Kim Jones" not in page
    south = people["bob"].team
    page = client.get(f"/diary/team/?week={monday.isoformat()}&team={south.pk}").content.decode()
    assert "Kim Jones" in page and "Jay Smith" not in page
    client.login(username="alice", password=PASSWORD)
    assert client.get("/diary/team/").status_code == 403
    # bob's own diary never shows alice's appointment with Jay
    client.login(username="bob", password=PASSWORD)
    page = client.get(f"/diary/?week={monday.isoformat()}").content.decode()
    assert "Kim Jones" in page and "Jay Smith" not in page


@pytest.mark.parametrize("username", ["ana", "bea"])
def test_analyst_and_board_member_are_refused_every_diary_page(client, jay, people, username):
    appt = _appointment(jay, people["alice"], next_monday())
    client.login(username=username, password=PASSWORD)
    for url in (
        "/diary/",
        "/diary/team/",
        "/my-work/",
        "/my-work/tasks/new/",
        "/diary/calendar-feed/",
        f"/children/{jay.pk}/diary/plan/",
        f"/children/{jay.pk}/contact-frequency/new/",
        f"/diary/appointments/{appt.pk}/outcome/",
        f"/diary/appointments/{appt.pk}/rearrange/",
        f"/diary/appointments/{appt.pk}/cancel/",
    ):
        assert client.get(url).status_code == 403, url


def test_a_practitioner_of_another_team_cannot_touch_the_appointment(client, jay, people):
    appt = _appointment(jay, people["alice"], next_monday())
    client.login(username="bob", password=PASSWORD)
    for action in ("outcome", "rearrange", "cancel"):
        assert client.get(f"/diary/appointments/{appt.pk}/{action}/").status_code == 403
        assert client.post(f"/diary/appointments/{appt.pk}/{action}/", {}).status_code == 403
    assert client.get(f"/children/{jay.pk}/diary/plan/").status_code == 403


def test_appointment_letter_context(jay, people):
    appt = _appointment(jay, people["alice"], D(2026, 12, 14), start=T(14, 30), end=T(15, 30))
    assert selectors.appointment_letter_context(appt) == {
        "date": "14 December 2026",
        "day": "Monday",
        "time": "14:30",
        "end_time": "15:30",
        "place": "Northshire youth justice office",
        "with_whom": "Jay and his mother",
        "worker_name": "Alice Archer",
        "kind": "Supervision session",
    }


def test_the_childs_record_shows_the_diary_section(client, jay, people):
    _appointment(jay, people["alice"], next_monday())
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Diary and contact frequency" in page and "Plan an appointment" in page


@pytest.mark.django_db
def test_the_demo_gives_each_practitioner_a_diary_and_tasks():
    """A small demo (its own random stream, seed + 11): appointments this week and next, none
    planned in the past by the service's rule except those waiting for an outcome, rearranged
    ones followed a week later."""
    from django.db import transaction

    from yjs.interop.demo import load_demo

    today = D(2026, 11, 25)  # a Wednesday
    with transaction.atomic():
        summary = load_demo(seed=3, children=80, today=today)
        appointments = list(PlannedAppointment.objects.all())
        assert summary.counts["PlannedAppointment"] == len(appointments) > 0
        assert summary.counts["Task"] > 0
        for a in appointments:
            assert D(2026, 11, 23) <= a.date <= D(2026, 12, 11), a.date
            assert a.end_time > a.start_time
            assert a.child.allocated_worker_id == a.worker_id
            if a.date < today:
                assert a.status in (S.PLANNED, S.CANCELLED, S.REARRANGED)
            if a.status == S.REARRANGED:
                assert a.rearranged_to.get().date == a.date + datetime.timedelta(days=7)
        transaction.set_rollback(True)


def test_appointment_and_frequency_have_record_pages_and_are_voided_in_order(client, jay, people):
    appt = _appointment(jay, people["alice"], timezone.localdate() - datetime.timedelta(days=1))
    contact = services.record_attendance(people["alice"], appt, attended=True)
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/records/planned-appointment/{appt.pk}/")
    assert page.status_code == 200 and "Attended" in page.content.decode()
    assert (
        client.get(f"/children/{jay.pk}/records/planned-appointment/{appt.pk}/edit/").status_code
        == 404
    )
    # the contact rests under the appointment that became it: void the appointment first
    from yjs.casework import services as casework

    with pytest.raises(Exception, match="Void the records that depend on this one first"):
        casework.void_record(people["alice"], contact, "Entered twice")
    casework.void_record(people["alice"], appt, "Entered twice")
    casework.void_record(people["alice"], contact, "Entered twice")
    assert not PlannedAppointment.objects.exists() and not Contact.objects.exists()


def test_an_appointment_letter_is_written_from_a_planned_appointment(
    jay, people, settings, tmp_path
):
    """The diary's planned appointment fills the appointment letter (yjs.documents)."""
    from tests.documents.helpers import docx_text
    from yjs.documents import letters
    from yjs.documents import services as documents
    from yjs.documents.storage import document_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    day = next_monday() + datetime.timedelta(days=1)  # a Tuesday
    appointment = _appointment(jay, people["alice"], day)
    assert selectors.letter_appointments(jay) == [appointment]
    kind = letters.KINDS["APPOINTMENT"]
    to_jay = letters.recipients(kind, jay, appointment)[0]
    letter = documents.write_letter(people["alice"], jay, "APPOINTMENT", appointment, to_jay)
    with document_storage.open(letter.file.name, "rb") as f:
        text = docx_text(f.read())
    assert f"Tuesday {day.day} {day:%B %Y}" in text and "Northshire youth justice office" in text
    assert "10:00" in text and "a supervision session" in text
