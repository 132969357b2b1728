"""Django admin: nothing about children, the audit trail read-only, every staff edit audited."""

from __future__ import annotations

import pytest
from django.forms import MultiWidget

from tests.conftest import PASSWORD
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Role, User


@pytest.fixture
def root(client, db):
    """The platform's superuser, signed in to admin."""
    user = User.objects.create_superuser("root", "root@yjs.invalid", PASSWORD)
    client.login(username="root", password=PASSWORD)
    return user


def _posted(form) -> dict:
    """What the browser would post back for an unchanged admin form."""
    data = {}
    for bf in form:
        if bf.field.disabled:
            continue
        value = bf.value()
        if isinstance(bf.field.widget, MultiWidget):
            for i, part in enumerate(bf.field.widget.decompress(value)):
                data[f"{bf.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bf.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bf.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bf.html_name] = str(value)
    return data


def test_no_casework_model_is_in_admin(client, root, jay):
    assert client.get("/admin/casework/child/").status_code == 404
    assert client.get(f"/admin/casework/child/{jay.pk}/change/").status_code == 404
    assert "casework" not in client.get("/admin/").content.decode().lower()


def test_the_audit_trail_cannot_be_added_to_edited_or_deleted_in_admin(client, root, people):
    event = audit.record(people["mo"], "VIEW", description="Viewed something")
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    url = f"/admin/audit/auditevent/{event.pk}/change/"
    client.post(url, {"description": "Nothing to see"})
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    event.refresh_from_db()
    assert event.description == "Viewed something"


def test_reading_the_audit_trail_in_admin_is_audited(client, root, people):
    assert client.get("/admin/audit/auditevent/").status_code == 200
    event = AuditEvent.objects.filter(action="VIEW").latest("id")
    assert (event.actor_username, event.description) == ("root", "Admin: list of audit events")


def test_root_changes_alices_role_and_the_old_value_is_kept(client, root, people):
    alice = people["alice"]
    url = f"/admin/organisation/user/{alice.pk}/change/"
    data = _posted(client.get(url).context["adminform"].form)
    data["role"] = Role.TEAM_MANAGER
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.filter(action="UPDATE").latest("id")
    assert (event.actor_username, event.object_id) == ("root", str(alice.pk))
    assert event.changes["role"] == ["PRACTITIONER", "TEAM_MANAGER"]
    assert "password" not in event.changes and "groups" not in event.changes


def test_a_password_set_in_admin_is_audited_without_the_hash(client, root, people):
    alice = people["alice"]
    new = "a-much-longer-passphrase-42"
    response = client.post(
        f"/admin/organisation/user/{alice.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="UPDATE").latest("id")
    assert event.changes == {"password": ["(hidden)", "(changed)"]}
    alice.refresh_from_db()
    assert alice.password not in str(AuditEvent.objects.values_list("changes", flat=True))


def test_deleting_a_team_in_admin_keeps_what_it_was(client, root, northshire):
    team = northshire.teams.create(name="East")
    response = client.post(f"/admin/organisation/team/{team.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="DELETE").latest("id")
    assert event.changes["name"] == ["East", None]
