"""Subject access: Zephyrine's mother asks for her record; mo (her team's manager) downloads it.

The zip holds a readable page and the same data as JSON: every record of every kind about her,
her own words included, and who looked at her record; never her victims' names. alice (her
practitioner), the analyst, the board member and another service's head of service are refused.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import models

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.casework.models import Child
from yjs.organisation.models import Role, Service, User

from .records import FIRST, MARKERS, ONLY_VICTIM, SHARED_VICTIM, full_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeph(northshire, people, kim):
    north = northshire.teams.get(name="North")
    return full_record(northshire, north, people["alice"], people["mo"], other_child=kim)


def _download(client, child, username="mo"):
    client.login(username=username, password=PASSWORD)
    return client.get(f"/children/{child.pk}/subject-access.zip")


def _files(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_manager_downloads_a_readable_page_and_the_data(client, zeph):
    response = _download(client, zeph)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert f"subject-access-{zeph.reference}-" in response["Content-Disposition"]
    files = _files(response)
    assert set(files) == {"record.html", "record.json"}
    data = json.loads(files["record.json"])
    assert data["child"]["First name"] == FIRST
    for marker in MARKERS:  # her own records, in her own words, in both files
        assert marker in files["record.json"] and marker in files["record.html"], marker
    assert "<h2" in files["record.html"] and "Your youth justice record" in files["record.html"]


def test_victims_are_withheld(client, zeph):
    files = _files(_download(client, zeph))
    for content in files.values():
        assert ONLY_VICTIM not in content and SHARED_VICTIM not in content
        assert "the other child's offence" not in content  # Perry was Kim's victim too
    victims = json.loads(files["record.json"])["sections"]["casework.victim"]["rows"]
    assert len(victims) == 2
    for victim in victims:
        assert victim["Name"].startswith("[withheld")
        assert victim["Victim type"] == "Individual"


def test_every_model_with_a_foreign_key_to_the_child_is_exported(client, zeph):
    """Fails when a model about a child is left out (the export walks the relations)."""
    sections = json.loads(_files(_download(client, zeph))["record.json"])["sections"]
    about_a_child = [
        model
        for model in apps.get_models()
        if model._meta.app_label != "audit"
        and any(
            # a hidden link ("+": a merged duplicate's pointer, a merge's bookkeeping of
            # record ids) holds nothing about the child; the records it names are exported
            isinstance(f, models.ForeignKey)
            and f.related_model is Child
            and not f.remote_field.hidden
            for f in model._meta.fields
        )
    ]
    assert len(about_a_child) >= 19
    for model in about_a_child:
        section = sections.get(model._meta.label_lower)
        assert section is not None, f"{model._meta.label} is missing from the export"
        expected = model.objects.filter(
            **{f.name: zeph for f in model._meta.fields if f.related_model is Child}
        ).count()
        assert expected >= 1, f"the story has no {model._meta.label}: add one to records.py"
        assert len(section["rows"]) == expected, model._meta.label
    # What hangs from her records without a key to her: panels of her referral order.
    assert len(sections["casework.referralorderpanel"]["rows"]) == 1


def test_her_access_log_is_in_the_export_and_the_export_is_audited(client, zeph):
    client.login(username="alice", password=PASSWORD)
    client.get(f"/children/{zeph.pk}/")
    data = json.loads(_files(_download(client, zeph))["record.json"])
    viewed = [e for e in data["access_log"] if e["Action"] == "Viewed"]
    assert viewed and viewed[-1]["Who"] == "Alice Archer"
    assert viewed[-1]["Role"] == "Practitioner"
    export = AuditEvent.objects.get(child=zeph, action="EXPORT")
    assert export.actor.username == "mo" and "Subject access" in export.description


def test_the_head_of_service_may_export_too(client, zeph):
    assert _download(client, zeph, "hana").status_code == 200


@pytest.mark.parametrize("username", ["alice", "bob", "ana", "bea"])
def test_practitioners_analysts_and_board_members_are_refused(client, zeph, username):
    assert _download(client, zeph, username).status_code == 403
    assert not AuditEvent.objects.filter(child=zeph, action="EXPORT").exists()


def test_another_services_head_of_service_is_refused(client, zeph):
    southmoor = Service.objects.create(name="Southmoor YJS", code="southmoor")
    User.objects.create_user(
        username="sam", password=PASSWORD, service=southmoor, role=Role.HEAD_OF_SERVICE
    )
    assert _download(client, zeph, "sam").status_code == 403


def test_a_voided_record_is_still_exported_with_why_it_was_voided(client, zeph, people):
    """Voided records are still data held about her: the export shows them, marked."""
    from yjs.casework import services

    services.void_record(people["alice"], zeph.contacts.get(), "Entered on the wrong child")
    files = _files(_download(client, zeph))
    assert "contact-marker-8" in files["record.json"]
    assert "Entered on the wrong child" in files["record.json"]
    assert "Entered on the wrong child" in files["record.html"]
