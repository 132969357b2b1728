"""A worker's diary as an iCalendar (RFC 5545) feed, built with the `icalendar` library.

What may leave: a calendar app copies events to phones and to the council's mail servers, and
anyone who finds the address can read it, so each event carries only what the worker needs to
be in the right place at the right time: the child's initials and YJS reference (the worker
looks the child up in the system), the kind of appointment, the place and the times. Never the
child's name, address, with whom (it names family members), notes or the order. A home visit's
place is the child's home address, so its location is "Home visit" only. Times are in UTC,
which every calendar converts to local time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from . import selectors, services

PRODID = "-//Youth justice service platform//Diary//EN"


def uid(appointment) -> str:
    """A stable identifier, so a calendar updates an event rather than adding a copy."""
    host = getattr(settings, "YJS_CALENDAR_DOMAIN", "") or "yjs.invalid"
    return f"appointment-{appointment.pk}@{host}"


def summary(appointment) -> str:
    return (
        f"{appointment.get_kind_display()}: {selectors.initials(appointment.child)} "
        f"({appointment.child.reference})"
    )


def location(appointment) -> str:
    return "Home visit" if appointment.kind == "HOME_VISIT" else appointment.place


def calendar(worker, appointments) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Youth justice diary")
    stamp = datetime.datetime.now(datetime.UTC)
    for appt in appointments:
        event = Event()
        event.add("uid", uid(appt))
        event.add("dtstamp", stamp)
        event.add("dtstart", services.starts_at(appt).astimezone(datetime.UTC))
        event.add("dtend", services.ends_at(appt).astimezone(datetime.UTC))
        event.add("summary", summary(appt))
        event.add("location", location(appt))
        event.add("sequence", appt.revision)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
