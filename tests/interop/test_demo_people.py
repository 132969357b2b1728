"""People and places in the demo (issue 11): every record passes the rules its form applies,
the addresses follow the accommodation records, and none of it reaches the snapshot."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
import pytest

from yjs.casework import models as cw
from yjs.people import selectors
from yjs.people.models import (
    Address,
    EtePlacement,
    GeneralPractitioner,
    Professional,
    RelatedPerson,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_people_and_places_pass_the_rules_their_forms_apply(full_demo, monkeypatch):
    from yjs.casework import services

    monkeypatch.setattr(services, "today", lambda: TODAY)
    checked = Counter()
    for model in (RelatedPerson, Address, EtePlacement, GeneralPractitioner, Professional):
        for record in model.objects.select_related("child", "child__service"):
            problems = services.record_problems(record)
            assert not problems, (model.__name__, record.pk, problems)
            record.full_clean()  # postcodes, phone numbers and emails in their formats
            checked[model.__name__] += 1
    children = cw.Child.objects.count()
    # Most children have their mother recorded, an address, a GP; some a school, a worker.
    assert checked["RelatedPerson"] > children and checked["Address"] >= 0.9 * children
    assert 0.8 * children < checked["GeneralPractitioner"] <= children
    assert checked["EtePlacement"] > 0.3 * children and checked["Professional"] > 0.2 * children
    assert RelatedPerson.objects.filter(may_contact=False).exists()
    assert RelatedPerson.objects.filter(interpreter_needed=True).exists()
    assert set(Address.objects.values_list("kind", flat=True)) == set(Address.Kind)


def test_addresses_follow_the_accommodation_records(full_demo):
    secure_stays = 0
    for child in cw.Child.objects.filter(custody_episodes__isnull=False).distinct()[:20]:
        secure = child.accommodation.filter(accommodation_type__in=("YOI", "STC", "SCH"))
        for record in secure:
            address = selectors.current_address(child, record.start_date)
            assert address.kind == Address.Kind.SECURE, child.pk
            secure_stays += 1
    assert secure_stays > 0
    in_care = Address.objects.filter(kind=Address.Kind.CARE_PLACEMENT, end_date__isnull=True)
    assert in_care.exists()
    for address in in_care[:20]:
        assert address.child.accommodation.filter(
            end_date__isnull=True,
            accommodation_type__in=(
                "FOSTER_CARE_LA",
                "FOSTER_CARE_PRIVATE",
                "RESIDENTIAL_UNIT_LA",
                "RESIDENTIAL_UNIT_PRIVATE",
            ),
        ).exists()


def test_the_snapshot_holds_none_of_it(full_demo):
    _, folder = full_demo
    phones = set(RelatedPerson.objects.values_list("phone", flat=True)[:50]) - {""}
    postcodes = set(Address.objects.values_list("postcode", flat=True)[:50]) - {""}
    text = "\n".join(str(pq.read_table(path).to_pylist()) for path in folder.glob("*.parquet"))
    assert "child_id" in text
    for value in phones | postcodes:
        assert value not in text, value
