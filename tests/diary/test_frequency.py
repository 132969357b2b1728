"""Contact frequency: the plan sets how often Jay is seen; each completed week or month is
checked against the contacts that saw him (in person or by video), worked by hand."""

import datetime

from tests.conftest import PASSWORD, date_fields
from yjs.casework.models import Contact
from yjs.casework.selectors import alerts
from yjs.diary import selectors, services
from yjs.diary.models import ContactFrequency

D = datetime.date


def _contact(child, on, *, mode="FACE_TO_FACE", attended=True):
    return Contact.objects.create(
        child=child,
        contact_date=on,
        contact_type="SUPERVISION",
        mode=mode,
        attended=attended,
    )


def _twice_a_week(jay, alice):
    return services.set_contact_frequency(
        alice,
        ContactFrequency(child=jay, contacts=2, per="WEEK", start_date=D(2026, 1, 5)),
    )


def _contacts(jay):
    _contact(jay, D(2026, 1, 6))  # week 1 (5-11 Jan): seen once...
    _contact(jay, D(2026, 1, 8), mode="PHONE")  # ...a phone call does not see him
    _contact(jay, D(2026, 1, 13))  # week 2 (12-18 Jan): seen twice
    _contact(jay, D(2026, 1, 15), mode="VIRTUAL")
    _contact(jay, D(2026, 1, 20), attended=False)  # week 3 (19-25 Jan): not seen at all


def test_each_completed_week_is_checked_by_hand(jay, people):
    _twice_a_week(jay, people["alice"])
    _contacts(jay)
    # On Sunday 25 January week 3 is not over: one shortfall, week 1.
    found = selectors.child_shortfalls(jay, D(2026, 1, 25))
    assert [(s.start, s.end, s.seen, s.required) for s in found] == [
        (D(2026, 1, 5), D(2026, 1, 11), 1, 2)
    ]
    # On Monday 26 January week 3 is over too.
    found = selectors.child_shortfalls(jay, D(2026, 1, 26))
    assert [(s.start, s.seen) for s in found] == [(D(2026, 1, 5), 1), (D(2026, 1, 19), 0)]
    assert found[1].message == (
        "Seen less often than the plan sets: 0 times from 19 January 2026 to 25 January "
        "2026, where the plan sets 2 a week"
    )


def test_a_newer_frequency_takes_over_and_months_are_calendar_months(jay, people):
    _twice_a_week(jay, people["alice"])
    _contacts(jay)
    # From 19 January the plan sets once a month: weeks 1 and 2 stay judged at twice a week,
    # then months 19 Jan-18 Feb (seen 0 times: short) and 19 Feb-18 Mar (seen once: enough).
    services.set_contact_frequency(
        people["alice"],
        ContactFrequency(child=jay, contacts=1, per="MONTH", start_date=D(2026, 1, 19)),
    )
    _contact(jay, D(2026, 3, 2))
    found = selectors.child_shortfalls(jay, D(2026, 3, 20))
    assert [(s.start, s.end, s.seen, s.required, s.per) for s in found] == [
        (D(2026, 1, 5), D(2026, 1, 11), 1, 2, "WEEK"),
        (D(2026, 1, 19), D(2026, 2, 18), 0, 1, "MONTH"),
    ]


def test_the_alert_is_for_the_latest_completed_period_only(jay, kim, people):
    _twice_a_week(jay, people["alice"])
    _contacts(jay)
    # Sunday 25 Jan: the latest completed week (12-18 Jan) was kept: no alert (week 1 is history)
    assert [a for a in selectors.seen_less_often_alerts([jay, kim], D(2026, 1, 25))] == []
    found = selectors.seen_less_often_alerts([jay, kim], D(2026, 1, 26))
    assert [(a.child, a.kind, a.due) for a in found] == [(jay, "seen", D(2026, 1, 25))]
    assert found[0].tag == "Seen too little"
    # the alert is registered: casework's alerts (the alerts page, My work) show it
    from yjs.casework.models import Child

    assert any(a.kind == "seen" for a in alerts(Child.objects.filter(pk=jay.pk), D(2026, 1, 26)))


def test_the_alert_reads_all_the_pages_children_in_one_query(
    jay, kim, people, django_assert_num_queries
):
    _twice_a_week(jay, people["alice"])
    services.set_contact_frequency(
        people["bob"],
        ContactFrequency(child=kim, contacts=1, per="WEEK", start_date=D(2026, 1, 5)),
    )
    _contacts(jay)
    _contact(kim, D(2026, 1, 21))
    with django_assert_num_queries(1):
        found = selectors.seen_less_often_alerts([jay, kim], D(2026, 1, 26))
    assert [a.child for a in found] == [jay]  # Kim was seen in her week 3


def test_the_frequency_form_refuses_too_many_a_week(client, jay):
    client.login(username="alice", password=PASSWORD)
    data = {"contacts": 8, "per": "WEEK", **date_fields("start_date", D(2026, 1, 5))}
    r = client.post(f"/children/{jay.pk}/contact-frequency/new/", data)
    assert "A child can be seen at most 7 times a week" in r.content.decode()
    data["contacts"] = 2
    assert client.post(f"/children/{jay.pk}/contact-frequency/new/", data).status_code == 302
    assert str(ContactFrequency.objects.get()) == "Seen 2 a week from 5 Jan 2026"
