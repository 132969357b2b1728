"""A read compiled once (yjs.compiled) gives what the prefetch or query it stands for gives."""

import datetime

import pytest
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from yjs.casework.models import Child, Contact, Intervention, Offence, Outcome, ReferralOrderPanel
from yjs.compiled import (
    CompiledQuery,
    OneParentRead,
    _nested_read,
    fill_prefetch_cache,
    prefetch_nested,
)


def _contact(child, worker, day, notes=""):
    return Contact.objects.create(
        child=child,
        contact_date=datetime.date(2024, 3, day),
        contact_type="SUPERVISION",
        mode="FACE_TO_FACE",
        attended=True,
        worker=worker,
        notes=notes,
    )


def test_the_same_rows_in_the_same_order_as_a_prefetch_for_each_child(jay, kim, people):
    lookup = Prefetch("contacts", queryset=Contact.objects.select_related("worker"))
    read = OneParentRead(Child, lookup)  # compiled once, then run for two children
    for day in (3, 1, 2):
        _contact(jay, people["alice"], day, f"jay {day}")
    _contact(kim, people["bob"], 5, "kim")
    voided = _contact(jay, people["alice"], 4, "voided")
    Contact.all_objects.filter(pk=voided.pk).update(voided_at=datetime.datetime.now(datetime.UTC))

    for child in (jay, kim):
        expected = Child.objects.get(pk=child.pk)
        prefetch_related_objects([expected], lookup)
        got = Child.objects.get(pk=child.pk)
        rows = read.read(got)
        assert [c.notes for c in rows] == [c.notes for c in expected.contacts.all()]
        assert list(got.contacts.all()) == rows  # the prefetch cache is filled


def test_no_queries_for_what_was_read_with_it(jay, people, django_assert_num_queries):
    _contact(jay, people["alice"], 1)
    read = OneParentRead(
        Child, Prefetch("contacts", queryset=Contact.objects.select_related("worker"))
    )
    child = Child.objects.get(pk=jay.pk)
    with django_assert_num_queries(1):
        (contact,) = read.read(child)
    with django_assert_num_queries(0):
        assert contact.worker == people["alice"]  # select_related: built from the same row
        assert contact.child is child  # the parent itself, as a prefetch sets it
        assert list(child.contacts.all()) == [contact]


def test_nested_prefetches_still_run(jay, people):
    Intervention.objects.create(
        child=jay, kind="OOCD", team=jay.team, worker=people["alice"],
        start_date=datetime.date(2024, 2, 1),
    )  # fmt: skip
    lookup = Prefetch("interventions", queryset=Intervention.objects.prefetch_related("panels"))
    (intervention,) = OneParentRead(Child, lookup).read(jay)
    assert "panels" in intervention._prefetched_objects_cache


def test_only_reverse_foreign_keys(northshire):
    with pytest.raises(TypeError):
        OneParentRead(Child, "team")


# CompiledQuery ------------------------------------------------------------------------------


def _contacts_between(child_ids, since, until):
    return (
        Contact.objects.filter(child_id__in=child_ids, contact_date__gte=since)
        .filter(contact_date__lte=until)
        .select_related("worker")
        .order_by("contact_date", "id")
    )


def test_compiled_query_gives_the_rows_the_query_gives_for_any_arguments(jay, kim, people):
    for day in (1, 5, 9):
        _contact(jay, people["alice"], day, f"jay {day}")
        _contact(kim, people["bob"], day + 1, f"kim {day + 1}")
    compiled = CompiledQuery(_contacts_between, list, datetime.date, datetime.date)
    for ids, since, until in (
        ([jay.pk], datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)),
        ([jay.pk, kim.pk], datetime.date(2024, 3, 2), datetime.date(2024, 3, 9)),
        ([kim.pk, jay.pk], datetime.date(2024, 3, 5), datetime.date(2024, 3, 5)),  # one day
        ([kim.pk], datetime.date(2024, 4, 1), datetime.date(2024, 4, 30)),  # none
    ):
        expected = list(_contacts_between(ids, since, until))
        got = list(compiled(ids, since, until))
        assert [(c.pk, c.notes, c.worker.username) for c in got] == [
            (c.pk, c.notes, c.worker.username) for c in expected
        ]
    assert list(compiled([], datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))) == []


def test_compiled_query_reads_values_and_unions(jay, people):
    _contact(jay, people["alice"], 2)
    union = CompiledQuery(
        lambda child_id: (
            Contact.objects.filter(child_id=child_id)
            .order_by()
            .values_list("contact_date", flat=True)
            .union(Contact.objects.filter(child_id=child_id).order_by().values_list("contact_date"))
        ),
        int,
    )
    assert list(union(jay.pk)) == [datetime.date(2024, 3, 2)]
    assert list(union(jay.pk + 1000)) == []


def test_compiled_query_runs_one_query_each_time(jay, people, django_assert_num_queries):
    compiled = CompiledQuery(lambda child_id: Contact.objects.filter(child_id=child_id), int)
    for _ in range(2):  # compiled the first time, not run with the stand-ins
        with django_assert_num_queries(1):
            assert list(compiled(jay.pk)) == []


def test_compiled_query_runs_as_built_and_is_not_changed_after(jay, people):
    compiled = CompiledQuery(lambda child_id: Contact.objects.filter(child_id=child_id), int)
    with pytest.raises(TypeError):
        compiled(jay.pk).filter(attended=True)  # would run without the filter: refused
    with pytest.raises(TypeError):
        compiled(jay.pk).count()
    with pytest.raises(TypeError):
        compiled(jay.pk).exists()


def test_compiled_query_refuses_what_is_not_an_argument_as_given(northshire):
    """A value worked out from an argument, or one not used, would be compiled in for good."""
    a_week_before = CompiledQuery(
        lambda on: Contact.objects.filter(contact_date__gte=on - datetime.timedelta(7)),
        datetime.date,
    )
    with pytest.raises(ValueError):
        a_week_before(datetime.date(2024, 3, 1))
    unused = CompiledQuery(
        lambda child_id, on: Contact.objects.filter(child_id=child_id), int, datetime.date
    )
    with pytest.raises(ValueError):
        unused(1, datetime.date(2024, 3, 1))


def _state(qs):
    """What a queryset is: its model, database, SQL, hints, known related objects, cache."""
    sql, params = qs.query.sql_with_params()
    sticky = qs.query.filter_is_sticky, qs.query.used_aliases  # how a further filter joins
    return (qs.model, qs.db, sql, params, qs._hints, qs._known_related_objects, qs._result_cache,
            sticky)  # fmt: skip


def test_a_filled_prefetch_cache_holds_what_the_related_manager_would(jay, kim, people):
    """`fill_prefetch_cache` builds the reverse relation's queryset as its manager does."""
    _contact(jay, people["alice"], 3)
    for child, accessor in ((jay, "contacts"), (kim, "contacts"), (jay, "assessments")):
        expected = getattr(child, accessor).all()  # before any cache: the manager's own
        rows = list(expected)
        fill_prefetch_cache(child, accessor, rows)
        cached = child._prefetched_objects_cache[accessor]
        assert getattr(child, accessor).all() is cached
        assert _state(cached) == _state(expected)
        assert list(cached.filter(pk__gt=0)) == list(expected.filter(pk__gt=0))  # reads again
        fresh = Child.objects.get(pk=child.pk)
        assert cached.count() == len(rows) == getattr(fresh, accessor).count()
    fill_prefetch_cache(jay, "contacts", [])  # filled twice: the queryset already cached
    assert list(jay.contacts.all()) == []


def _offence(child, day):
    return Offence.objects.create(
        child=child, offence_date=datetime.date(2024, 1, day), description=f"offence {day}",
        category="ROBBERY", gravity_score=3,
    )  # fmt: skip


def _read_state(parents, accessor):
    """Each parent's cached rows, with everything on them, and its cached queryset."""
    found = []
    for p in parents:
        cached = p._prefetched_objects_cache[accessor]
        rows = [(type(o), {k: v for k, v in vars(o).items() if k != "_state"}) for o in cached]
        found.append((rows, _state(cached)))
    return found


def test_nested_reads_fill_what_a_prefetch_fills(jay, kim, people):
    """Each outcome's offences (many-to-many) and each intervention's panels (reverse foreign
    key), read by NestedRead: the same rows, in the same order, cached as a prefetch caches."""
    a, b, c, d, voided = (_offence(jay, 3), _offence(jay, 1), _offence(jay, 2), _offence(kim, 4),
                          _offence(jay, 5))  # fmt: skip
    outcomes = []
    for child, chosen in ((jay, [a, b, voided]), (jay, [b, c]), (jay, []), (kim, [d])):
        outcome = Outcome.objects.create(
            child=child, code="YRO", outcome_date=datetime.date(2024, 2, 1)
        )
        outcome.offences.set(chosen)
        outcomes.append(outcome)
    voided.voided_at = timezone.now()
    voided.save()
    for outcome in outcomes[:2]:
        intervention = Intervention.objects.create(
            child=jay, outcome=outcome, kind="REFERRAL_ORDER", team=jay.team,
            worker=people["alice"], start_date=datetime.date(2024, 2, 2),
        )  # fmt: skip
        for day in (9, 8):
            ReferralOrderPanel.objects.create(
                intervention=intervention, panel_type="INITIAL",
                panel_date=datetime.date(2024, 3, day),
            )  # fmt: skip
    Intervention.objects.create(
        child=kim,
        kind="OOCD",
        team=kim.team,
        worker=people["bob"],
        start_date=datetime.date(2024, 2, 2),
    )  # fmt: skip: an intervention without panels
    for model, accessor in ((Outcome, "offences"), (Intervention, "panels")):
        theirs = list(model.objects.order_by("pk"))
        prefetch_related_objects(theirs, accessor)
        ours = list(model.objects.order_by("pk"))
        prefetch_nested(ours, [accessor])
        assert _nested_read(model, accessor) is not None
        assert _read_state(ours, accessor) == _read_state(theirs, accessor)
        sizes = [len(p._prefetched_objects_cache[accessor]) for p in ours]
        assert 0 in sizes and max(sizes) == 2
    # A lookup through two relations, or with its own queryset, is left to Django.
    assert _nested_read(Outcome, "offences__outcomes") is None
    assert _nested_read(Outcome, Prefetch("offences")) is None
