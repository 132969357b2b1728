"""The calendar feed: a secret address per worker, read by a calendar library; only initials,
reference, kind, place and times leave; every fetch is audited; a revoked address is refused."""

import datetime
import re

from django.utils import timezone
from icalendar import Calendar

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.diary import services
from yjs.diary.models import CalendarFeed, PlannedAppointment

T = datetime.time


def _appointments(jay, alice):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    office = PlannedAppointment.objects.create(
        child=jay,
        worker=alice,
        date=monday,
        start_time=T(10),
        end_time=T(11, 15),
        place="Northshire youth justice office",
        with_whom="Jay and his mother",
        kind="SUPERVISION",
    )
    home = PlannedAppointment.objects.create(
        child=jay,
        worker=alice,
        date=monday + datetime.timedelta(days=1),
        start_time=T(16),
        end_time=T(17),
        place="12 Acacia Avenue, Northtown",
        kind="HOME_VISIT",
    )
    PlannedAppointment.objects.create(
        child=jay,
        worker=alice,
        date=monday + datetime.timedelta(days=2),
        start_time=T(9),
        end_time=T(10),
        place="Office",
        kind="SUPERVISION",
        status="CANCELLED",
    )
    return office, home


def _utc(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time)).astimezone(datetime.UTC)


def test_the_feed_is_read_by_a_calendar_library(client, jay, people):
    office, home = _appointments(jay, people["alice"])
    client.login(username="alice", password=PASSWORD)
    page = client.post("/diary/calendar-feed/", {"action": "new"}).content.decode()
    address = re.search(r'value="(http://testserver/diary/feed/[^"]+\.ics)"', page).group(1)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get().token_hash != token  # only the hash is kept
    client.logout()

    response = client.get(f"/diary/feed/{token}.ics")  # a calendar app: not signed in
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar"
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 2  # the cancelled one is not there
    first, second = events
    assert str(first["UID"]) == f"appointment-{office.pk}@yjs.invalid"
    assert first.decoded("DTSTART") == _utc(office.date, T(10))
    assert first.decoded("DTEND") == _utc(office.date, T(11, 15))
    assert str(first["SUMMARY"]) == f"Supervision session: J.S. ({jay.reference})"
    assert str(first["LOCATION"]) == "Northshire youth justice office"
    assert str(second["LOCATION"]) == "Home visit"  # never the home address
    text = response.content.decode()
    for private in ("Jay", "Smith", "mother", "Acacia"):
        assert private not in text, private
    assert AuditEvent.objects.filter(
        actor=people["alice"], action="EXPORT", description="Calendar feed fetched: 2 appointments"
    ).exists()
    assert AuditEvent.objects.filter(child=jay, description="Calendar feed").exists()

    # a new address revokes the old one; stopping the feed revokes it too
    client.login(username="alice", password=PASSWORD)
    client.post("/diary/calendar-feed/", {"action": "new"})
    client.logout()
    assert client.get(f"/diary/feed/{token}.ics").status_code == 404


def test_a_revoked_or_unknown_address_is_refused(client, jay, people):
    _appointments(jay, people["alice"])
    token = services.new_calendar_feed(people["alice"])
    assert client.get(f"/diary/feed/{token}.ics").status_code == 200
    client.login(username="alice", password=PASSWORD)
    client.post("/diary/calendar-feed/", {"action": "revoke"})
    client.logout()
    assert not CalendarFeed.objects.exists()
    assert client.get(f"/diary/feed/{token}.ics").status_code == 404
    assert client.get("/diary/feed/not-a-token.ics").status_code == 404


def test_a_feed_shows_only_children_in_the_workers_reach(client, jay, kim, people):
    """Jay moves to team South: alice's feed stops showing their appointments."""
    _appointments(jay, people["alice"])
    token = services.new_calendar_feed(people["alice"])
    jay.team = people["bob"].team
    jay.save()
    cal = Calendar.from_ical(client.get(f"/diary/feed/{token}.ics").content)
    assert cal.walk("VEVENT") == []
    # a worker who has left is no longer served
    people["alice"].is_active = False
    people["alice"].save()
    assert client.get(f"/diary/feed/{token}.ics").status_code == 404
