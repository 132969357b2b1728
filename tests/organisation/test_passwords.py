"""Strong passwords; every user changes their own; an administrator gives a colleague of their
own service (only) a temporary password, which must be changed at the next sign-in."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Role, Service, User

from .conftest import sign_in

pytestmark = pytest.mark.django_db

NEW = "plum-orchard-lantern-41"


@pytest.mark.parametrize("weak", ["87654329", "password1234", "123456789012", "short-pw-1"])
def test_weak_passwords_are_refused(weak, people):
    with pytest.raises(ValidationError):
        validate_password(weak, people["alice"])


def test_a_password_like_the_users_details_is_refused(people):
    alice = people["alice"]
    alice.email = "alice.archer@northshire.example"
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("alice.archer@northshire", alice)
    validate_password("plum-orchard-lantern-41", people["alice"])


def test_alice_changes_her_password_from_the_header_link(client, people):
    sign_in(client, "alice")
    assert 'href="/account/password/"' in client.get("/caseload/").content.decode()
    weak = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "87654329", "new_password2": "87654329"},
    )
    assert "govuk-error-summary" in weak.content.decode()
    wrong = client.post(
        "/account/password/",
        {"old_password": "guess-guess-guess", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Your current password is not correct" in wrong.content.decode()

    done = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    assert client.get("/caseload/").status_code == 200  # still signed in here
    client.logout()
    assert sign_in(client, "alice").status_code == 200  # the old password is refused
    assert sign_in(client, "alice", NEW).status_code == 302


def test_hana_resets_alices_password_and_alice_must_choose_a_new_one(client, people):
    client.force_login(people["hana"])
    staff = client.get("/staff/").content.decode()
    assert "Alice Archer" in staff and "Reset password" in staff
    url = f"/staff/{people['alice'].pk}/reset-password/"
    assert (
        "govuk-error-summary"
        in client.post(
            url, {"new_password1": "87654329", "new_password2": "87654329"}
        ).content.decode()
    )
    temporary = "temporary-kettle-marsh-7"
    response = client.post(url, {"new_password1": temporary, "new_password2": temporary})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        actor=people["hana"], object_id=str(people["alice"].pk), description__contains="password"
    ).exists()

    client.logout()
    assert sign_in(client, "alice", temporary).status_code == 302
    for path in ("/caseload/", "/children/search/?q=Smith", "/performance/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/account/password/"
    forced = client.get("/account/password/").content.decode()
    assert "You signed in with a temporary password" in forced
    same = client.post(
        "/account/password/",
        {"old_password": temporary, "new_password1": temporary, "new_password2": temporary},
    )
    assert "must be different" in same.content.decode()
    client.post(
        "/account/password/",
        {"old_password": temporary, "new_password1": NEW, "new_password2": NEW},
    )
    assert client.get("/caseload/").status_code == 200
    assert not User.objects.get(username="alice").must_change_password


def test_only_heads_and_administrators_manage_staff_of_their_own_service(client, people):
    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    zoe = User.objects.create_user("zoe", password=PASSWORD, service=other, role=Role.ADMIN)
    yan = User.objects.create_user("yan", password=PASSWORD, service=other)

    # zoe, administrator of Southvale, cannot see or reset Northshire's alice.
    client.force_login(zoe)
    staff = client.get("/staff/").content.decode()
    assert "yan" in staff and "alice" not in staff
    url = f"/staff/{people['alice'].pk}/reset-password/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"new_password1": NEW, "new_password2": NEW}).status_code == 404
    assert client.post(f"/staff/{people['alice'].pk}/reset-two-factor/").status_code == 404
    assert User.objects.get(username="alice").check_password(PASSWORD)
    assert client.get(f"/staff/{yan.pk}/reset-password/").status_code == 200

    # Team managers, practitioners, analysts and board members manage nobody.
    for name in ("mo", "alice", "ana", "bea"):
        client.force_login(people[name])
        assert client.get("/staff/").status_code == 403
        assert client.get(f"/staff/{people['bob'].pk}/reset-password/").status_code == 403
        assert 'href="/staff/"' not in client.get("/account/password/").content.decode()
