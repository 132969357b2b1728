"""Managers, heads of service, administrators and superusers need a TOTP code after their
password: set up an app the first time, enter its code after that. Practitioners do not."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from yjs.organisation.models import User

from .conftest import current_code, sign_in

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/account/two-factor/"


@pytest.fixture
def mos_app(people):
    """mo has set up his authenticator app already."""
    return TOTPDevice.objects.create(user=people["mo"], name="Authenticator app", confirmed=True)


def test_mo_with_password_but_no_code_cannot_open_his_caseload(client, mos_app):
    assert sign_in(client, "mo").status_code == 302
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fcaseload%2F"
    assert client.get("/performance/").status_code == 302
    assert client.get("/staff/").status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Enter your security code" in page and "QR code" not in page
    assert 'href="/caseload/"' not in page and "Change password" not in page  # no way round


def test_a_wrong_code_is_refused_and_the_right_one_lets_mo_in(client, mos_app):
    sign_in(client, "mo")
    wrong = client.post(TWO_FACTOR, {"otp_token": "000000", "next": "/caseload/"})
    assert "The security code is not correct" in wrong.content.decode()
    assert client.get("/caseload/").status_code == 302
    time.sleep(1.1)  # django-otp waits 1 s after one wrong code (then 2 s, 4 s ...)

    right = client.post(
        TWO_FACTOR, {"otp_token": current_code(mos_app.bin_key), "next": "/caseload/"}
    )
    assert right.status_code == 302 and right["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200


def test_guessing_codes_is_throttled(client, mos_app):
    sign_in(client, "mo")
    client.post(TWO_FACTOR, {"otp_token": "000000"})
    # Straight after a wrong code even the right one is refused, with how long to wait.
    throttled = client.post(TWO_FACTOR, {"otp_token": current_code(mos_app.bin_key)})
    assert "Too many wrong codes. Wait" in throttled.content.decode()
    assert client.get("/caseload/").status_code == 302


def test_a_code_cannot_be_used_twice(client, mos_app):
    code = current_code(mos_app.bin_key)
    sign_in(client, "mo")
    client.post(TWO_FACTOR, {"otp_token": code})
    assert client.get("/caseload/").status_code == 200
    client.logout()
    sign_in(client, "mo")
    again = client.post(TWO_FACTOR, {"otp_token": code})
    assert "not correct or has expired" in again.content.decode()


def test_hana_sets_up_her_app_the_first_time(client, people):
    sign_in(client, "hana")
    page = client.get(TWO_FACTOR).content.decode()
    assert "Set up your authenticator app" in page
    assert 'src="data:image/svg+xml' in page  # the QR code, made here (no third party)
    secret = re.search(r'<code class="yjs-secret">([A-Z2-7 ]+)</code>', page).group(1)
    key = b32decode(secret.replace(" ", ""))
    assert TOTPDevice.objects.get(user=people["hana"]).confirmed is False
    # Reloading the page shows the same key (the half-made device is kept).
    assert secret in client.get(TWO_FACTOR).content.decode()

    client.post(TWO_FACTOR, {"otp_token": current_code(key)})
    assert client.get("/governance/").status_code == 200
    assert TOTPDevice.objects.get(user=people["hana"]).confirmed is True


def test_practitioners_analysts_and_board_members_are_not_asked(client, people):
    for name, page in (("alice", "/caseload/"), ("ana", "/performance/"), ("bea", "/governance/")):
        client.logout()
        sign_in(client, name)
        assert client.get(page).status_code == 200, name
        assert client.get(TWO_FACTOR).status_code == 302
    assert not TOTPDevice.objects.exists()


def test_a_superuser_needs_the_code_whatever_the_role(client, people):
    alice = people["alice"]
    alice.is_superuser = True
    alice.save()
    sign_in(client, "alice")
    assert client.get("/caseload/").status_code == 302


def test_an_htmx_request_is_sent_to_the_code_page_as_a_whole_page(client, mos_app):
    sign_in(client, "mo")
    response = client.get("/children/search/?q=Smith", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(TWO_FACTOR)


def test_sign_out_stays_reachable_before_the_code(client, mos_app):
    sign_in(client, "mo")
    assert client.post("/sign-out/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_setting_turns_the_requirement_off_outside_production(client, mos_app, settings):
    settings.YJS_REQUIRE_2FA = False
    sign_in(client, "mo")
    assert client.get("/caseload/").status_code == 200


def test_hana_resets_mos_app_and_mo_sets_up_a_new_one(client, people, mos_app):
    client.force_login(people["hana"])
    assert "Reset authenticator app" in client.get("/staff/").content.decode()
    client.post(f"/staff/{people['mo'].pk}/reset-two-factor/")
    assert not TOTPDevice.objects.filter(user=people["mo"], confirmed=True).exists()
    client.logout()
    sign_in(client, "mo")
    assert "Set up your authenticator app" in client.get(TWO_FACTOR).content.decode()
    assert User.objects.get(username="mo").check_password(PASSWORD)  # password untouched


def test_a_demo_manager_signs_in_with_the_documented_demo_key(client, settings, tmp_path):
    import datetime as dt

    from yjs.interop import demo

    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    demo.load_demo(seed=3, children=20, today=dt.date(2026, 11, 25))
    assert sign_in(client, "mo", demo.DEMO_PASSWORD).status_code == 302
    client.post(TWO_FACTOR, {"otp_token": current_code(b32decode(demo.DEMO_TOTP_KEY))})
    assert client.get("/caseload/").status_code == 200
    with_app = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    assert with_app == {"mo", "sam", "hana", "admin"}
