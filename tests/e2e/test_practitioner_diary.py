"""A practitioner's diary and documents in a real browser (issue 11's judging scenario).

- alice (practitioner, North) adds Jay's mother and his social worker under "People and
  places", plans two appointments for next week, records the appointment of three days ago as
  missed (an unacceptable absence on his youth rehabilitation order, with a warning), writes
  the warning letter (a Word file that says "Dear Jay"), and uploads his court order (a PDF).
- mo (North's manager) sees the team's diary and alice's overdue task on My work, on a desk
  and on a 375 px phone.
- The two files are asked for as bob (team South), ana (analyst) and bea (board member): refused
  and never sent.
- alice makes a calendar address; a calendar library reads it without signing in and finds the
  appointments at their times, with Jay's initials and reference and no one's name.
"""

import datetime as dt
import io
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from icalendar import Calendar

from tests.conftest import make_child
from tests.documents.helpers import PDF
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.casework.models import Offence, Outcome
from yjs.diary import selectors, services
from yjs.diary.models import PlannedAppointment, Task
from yjs.documents.models import Attachment
from yjs.people.models import Professional, RelatedPerson
from yjs.supervision.models import Appointment as OrderAppointment
from yjs.supervision.models import Warning

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
T = dt.time
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
SHOTS = Path("/tmp/shots")
# A court order as a court's system would send it: a small PDF the upload's checks recognise.
COURT_ORDER = PDF + b"% Youth rehabilitation order, Northshire Youth Court\n"


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, name):
    _shot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a phone"


def _date(page, prefix, d):
    page.fill(f"#id_{prefix}_0", str(d.day))
    page.fill(f"#id_{prefix}_1", str(d.month))
    page.fill(f"#id_{prefix}_2", str(d.year))


def _save(page, button="Save"):
    page.click(f"main button:has-text('{button}')")
    page.wait_for_selector("h1")
    assert page.locator(".govuk-error-summary").count() == 0, page.inner_text("main")[:600]


def _yro(child, on):
    offence = Offence.objects.create(
        child=child,
        offence_date=on - dt.timedelta(days=60),
        description="Theft from a shop",
        category="THEFT_AND_HANDLING",
        gravity_score=3,
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


def _plan(page, base, child, day, start, end, with_whom):
    page.goto(f"{base}/children/{child.pk}/diary/plan/")
    _date(page, "date", day)
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.fill("#id_place", "Northshire youth justice office")
    page.fill("#id_with_whom", with_whom)
    page.select_option("#id_kind", "SUPERVISION")
    page.select_option("#id_order", index=1)  # his youth rehabilitation order
    _save(page)
    assert "Appointment planned" in page.inner_text(".govuk-notification-banner")


def _refused(client, url, secret):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (403, 404), (url, response.status_code)
    assert secret not in body


def test_a_practitioners_diary_and_documents(
    live_server, browser_page, northshire, people, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    alice = people["alice"]
    north = northshire.teams.get(name="North")
    jay = make_child(northshire, north, worker=alice)
    today = timezone.localdate()
    yro = _yro(jay, today - dt.timedelta(days=90))
    # The appointment of three days ago has begun, so its outcome can be recorded (the diary
    # refuses to plan one in the past: it is made here as if planned a week before).
    missed = PlannedAppointment.objects.create(
        child=jay,
        worker=alice,
        date=today - dt.timedelta(days=3),
        start_time=T(10),
        end_time=T(11),
        place="Northshire youth justice office",
        kind="SUPERVISION",
        order=yro,
    )
    overdue = Task.objects.create(
        owner=alice,
        child=jay,
        title="Send the court order to the school",
        kind=Task.Kind.OTHER,
        due_date=today - dt.timedelta(days=2),
        created_by=alice,
    )

    page = browser_page
    base = live_server.url
    sign_in(page, base, "alice")

    # People and places: his mother and his social worker.
    page.goto(f"{base}/children/{jay.pk}/people/new/")
    page.fill("#id_name", "Dana Smith")
    page.select_option("#id_relationship", "MOTHER")
    page.check("#id_parental_responsibility_0")
    page.check("#id_may_contact_0")
    page.fill("#id_phone", "07700 900123")
    _save(page)
    page.goto(f"{base}/children/{jay.pk}/professionals/new/")
    page.fill("#id_name", "Sam Patel")
    page.select_option("#id_role", "SOCIAL_WORKER")
    page.fill("#id_agency", "Northshire Children's Services")
    _save(page)
    assert RelatedPerson.objects.get(child=jay).name == "Dana Smith"
    assert Professional.objects.get(child=jay).role == "SOCIAL_WORKER"

    # Next week's appointments, planned in the browser.
    monday = selectors.week_of(today) + dt.timedelta(days=7)
    _plan(page, base, jay, monday + dt.timedelta(days=1), "10:00", "11:00", "Jay and Dana Smith")
    _plan(page, base, jay, monday + dt.timedelta(days=3), "14:30", "15:15", "Jay")
    planned = list(PlannedAppointment.objects.filter(date__gte=monday).order_by("date"))
    assert [(a.date, a.start_time, a.order_id) for a in planned] == [
        (monday + dt.timedelta(days=1), T(10), yro.pk),
        (monday + dt.timedelta(days=3), T(14, 30), yro.pk),
    ]
    page.goto(f"{base}/diary/?week={monday.isoformat()}")
    week = page.inner_text("main")
    assert "2 appointments" in week
    assert f"Week of {(monday + dt.timedelta(days=7)):%-d %B %Y}" in week  # the next week's link
    assert "10:00 to 11:00" in week and "14:30 to 15:15" in week
    _shot(page, "diary-week-desktop")
    check_accessibility(page, "diary-week")

    # The appointment of three days ago: missed, unacceptably, and a warning given.
    page.goto(f"{base}/diary/?week={missed.date.isoformat()}")
    page.click(f"a[href='/diary/appointments/{missed.pk}/outcome/']")
    page.wait_for_selector("h1:has-text('Record the outcome')")
    page.check("#id_attended_1")  # did not attend
    page.check("#id_absence_1")  # unacceptable absence
    page.fill("#id_warning_reason", "Missed his appointment and did not say why")
    _shot(page, "outcome-form")
    _save(page)
    assert "Outcome recorded" in page.inner_text(".govuk-notification-banner")
    missed.refresh_from_db()
    assert missed.status == PlannedAppointment.Status.NOT_ATTENDED
    assert missed.supervision_appointment.attendance == OrderAppointment.Attendance.UNACCEPTABLE
    warning = Warning.objects.get(child=jay)
    assert warning.reason == "Missed his appointment and did not say why"

    # The warning letter, to Jay, from the warning just given.
    page.goto(f"{base}/children/{jay.pk}/letters/new/")
    page.click("main a:has-text('Warning letter')")
    page.wait_for_selector("h1:has-text('Warning letter')")
    page.check("#id_record_0")
    page.get_by_label("Jay Smith (the child)").check()
    _shot(page, "letter-form")
    _save(page, "Write the letter")
    letter = Attachment.objects.get(child=jay, kind=Attachment.Kind.LETTER)
    with page.expect_download() as download:
        page.click("main a:has-text('Download the document')")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs
    )
    assert "Dear Jay" in text
    assert "Missed his appointment and did not say why" in text

    # The court order, uploaded.
    page.goto(f"{base}/children/{jay.pk}/documents/new/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "court-order.pdf", "mimeType": "application/pdf", "buffer": COURT_ORDER}],
    )
    page.check(f"input[name='kind'][value='{Attachment.Kind.COURT_ORDER}']")
    _date(page, "document_date", today - dt.timedelta(days=90))
    page.fill("#id_description", "Youth rehabilitation order, 12 months")
    _shot(page, "upload-form")
    _save(page, "Upload")
    assert "court-order.pdf uploaded" in page.inner_text(".govuk-notification-banner")
    order_pdf = Attachment.objects.get(child=jay, kind=Attachment.Kind.COURT_ORDER)
    main = page.inner_text("main")
    for seen in ("People and places", "Dana Smith", "Sam Patel", "Documents", "Court order"):
        assert seen in main, seen
    tasks = page.locator("h3:has-text('Open tasks') + ul").inner_text()
    assert overdue.title in tasks and "Overdue" in tasks
    page.locator("#people-and-places").scroll_into_view_if_needed()
    _shot(page, "child-record-desktop")

    # The files, to those who may see Jay, and to nobody else.
    court_order_url = f"/children/{jay.pk}/documents/{order_pdf.pk}/download/"
    letter_url = f"/children/{jay.pk}/documents/{letter.pk}/download/"
    own = Client()
    own.force_login(alice)
    response = own.get(court_order_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == COURT_ORDER
    for name in ("bob", "ana", "bea"):
        other = Client()
        other.force_login(people[name])
        _refused(other, court_order_url, b"Northshire Youth Court")
        _refused(other, letter_url, b"PK\x03\x04")

    # The calendar feed: read by a calendar library, without signing in.
    page.goto(f"{base}/diary/calendar-feed/")
    page.click("button:has-text('Make a calendar address')")
    page.wait_for_selector("#feed-address")
    address = page.input_value("#feed-address")
    _shot(page, "calendar-feed")
    assert address.startswith(f"{base}/diary/feed/") and address.endswith(".ics")
    with urllib.request.urlopen(address) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        ics = response.read()
    events = {
        e.decoded("dtstart"): str(e.get("summary")) for e in Calendar.from_ical(ics).walk("VEVENT")
    }
    for appt in planned:
        assert events[services.starts_at(appt)] == f"Supervision session: J.S. ({jay.reference})"
    assert b"Jay" not in ics and b"Smith" not in ics and b"Dana" not in ics

    # mo, North's manager: the team's diary and overdue tasks, at a desk and on a phone.
    page.context.clear_cookies()
    sign_in(page, base, "mo")
    page.goto(f"{base}/diary/team/?week={monday.isoformat()}")
    page.wait_for_selector("h1:has-text('Team diary: North')")
    team_week = page.inner_text("main")
    assert "2 appointments" in team_week and "Alice Archer" in team_week
    _shot(page, "team-diary-desktop")
    page.goto(f"{base}/my-work/")
    _shot(page, "my-work-desktop")
    team_tasks = page.locator("table", has_text="Overdue tasks of the team").inner_text()
    assert (
        overdue.title in team_tasks and "Alice Archer" in team_tasks and "Jay Smith" in team_tasks
    )

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/diary/team/?week={monday.isoformat()}")
    _fits(page, "team-diary-phone")
    page.goto(f"{base}/my-work/")
    _fits(page, "my-work-phone")
    check_accessibility(page, "my-work-phone")
    page.goto(f"{base}/children/{jay.pk}/")
    _fits(page, "child-record-phone")
    page.context.clear_cookies()
    sign_in(page, base, "alice")
    page.goto(f"{base}/diary/?week={monday.isoformat()}")
    _fits(page, "diary-week-phone")
    page.set_viewport_size(DESK)
