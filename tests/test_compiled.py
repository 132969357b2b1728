"""A read compiled once (yjs.compiled) gives what the prefetch it stands for gives."""

import datetime

import pytest
from django.db.models import Prefetch, prefetch_related_objects

from yjs.casework.models import Child, Contact, Intervention
from yjs.compiled import OneParentRead


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
