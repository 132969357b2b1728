"""The casework template filters that stand in for Django's on hot pages write the same."""

import datetime

from django.template.defaultfilters import date as django_date

from yjs.casework.templatetags.yjs_tags import short_date


def test_short_date_writes_what_djangos_date_filter_writes():
    days = [datetime.date(2024, month, day) for month in range(1, 13) for day in (1, 9, 28)]
    days += [datetime.date(1999, 12, 31), None, ""]
    for day in days:
        assert short_date(day) == django_date(day, "j M Y"), day
    assert short_date(datetime.date(2024, 9, 4)) == "4 Sep 2024"
