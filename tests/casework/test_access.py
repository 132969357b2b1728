"""Every page refuses the anonymous and the wrong-role user (enumerated from the URL conf)."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PASSWORD
from yjs.casework.models import Intervention, Offence

# Open without signing in. The diary's calendar feed is fetched by calendar apps, which cannot
# sign in: its secret address is the key, and an unknown or revoked one is a 404
# (tests/diary/test_feed.py). A child's one-time feedback link is opened without an account:
# its token is the key, and a used, expired or unknown one is a 410 or 404
# (tests/voice/test_link.py).
OPEN = {"login", "healthz", "diary:feed", "voice:answer", "api:openapi-json"}
# The JSON API (/api/v1/) opens with a per-user token, not a session: without one it answers
# 401 problem+json, never a sign-in page (its OpenAPI document, open above, holds no data).
API_PREFIX = "/api/v1/"


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue
            ns = f"{p.namespace}:" if p.namespace else ""
            for name, route in _patterns(p, prefix + str(p.pattern)):
                yield (f"{ns}{name}" if name and ":" not in name else name), route
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def _url(route, ids):
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), m.group(0))), route)
    assert "<" not in path, f"no test value for {route}"
    return "/" + path


@pytest.fixture
def urls(jay, people, northshire):
    from yjs.governance.models import BoardMeeting, Plan, PlanVersion

    plan = Plan.objects.create(service=northshire, start_year=2025, years=1)
    PlanVersion.objects.create(plan=plan, number=1, year=2025)
    meeting = BoardMeeting.objects.create(
        service=northshire, meeting_date=datetime.date(2025, 6, 1)
    )
    intervention = Intervention.objects.create(
        child=jay,
        kind="REFERRAL_ORDER",
        start_date=datetime.date(2025, 1, 6),
        team=jay.team,
        worker=people["alice"],
    )
    offence = Offence.objects.create(
        child=jay,
        offence_date=datetime.date(2025, 1, 2),
        description="Shoplifting",
        category="THEFT_AND_HANDLING",
    )
    victim_pk = 1
    qa = _quality_records(northshire, jay, people, plan)
    found = []
    for name, route in _patterns():
        if name in OPEN or name is None:
            continue
        if route.startswith("^"):  # the API's catch-all for unknown endpoints
            found.append((name, "/api/v1/no-such-endpoint"))
            continue
        pk = intervention.pk if route.startswith("interventions/") else jay.pk
        if route.startswith("governance/plans/"):
            pk = plan.pk
        ids = {
            "pk": pk,
            "victim_pk": victim_pk,
            "kpi": "fte",
            "fmt": "csv",
            "number": 1,
            "key": "introduction",
            "kind": "actions",
            "obj": 1,
            "meeting_pk": meeting.pk,
            "record_type": "offence",
            "record_pk": offence.pk,
            "merge_pk": 1,
            "report_pk": 1,
            "attachment_pk": 1,
            "child_id": jay.pk,
            "record_id": offence.pk,
            "plan_id": plan.pk,
            "quarter": "2025-26Q1",
            **qa,
            "programme_pk": 1,
            "cohort_pk": 1,
            "session_pk": 1,
        }
        found.append((name, _url(route, ids)))
    return found


def _quality_records(service, child, people, plan) -> dict:
    """One of each quality assurance record of Northshire, so every page has one to show."""
    from django.utils import timezone

    from yjs.quality.models import (
        CaseAudit,
        Recommendation,
        SeriousIncident,
        SubStandardRating,
        ThemedAudit,
    )

    day = datetime.date(2025, 6, 2)
    themed = ThemedAudit.objects.create(
        service=service, theme="OOCD", period_start=day, period_end=day, sample_size=1, seed=1
    )
    themed.sample.create(child=child, position=1)
    audit = CaseAudit.objects.create(
        service=service,
        child=child,
        themed_audit=themed,
        auditor=people["mo"],
        audited_on=day,
        **dict.fromkeys(["assessment", "planning", "delivery", "review", "overall"], "GOOD"),
        works_well="Jay Smith's plan",
    )
    rec = Recommendation.objects.create(
        service=service, inspection="HMIP", inspection_date=day, number=1, text="t", owner="o"
    )
    known = timezone.make_aware(datetime.datetime(2025, 6, 2, 9))
    incident = SeriousIncident.objects.create(
        service=service, child=child, kind="OTHER", incident_date=day, known_at=known
    )
    SubStandardRating.objects.create(
        plan=plan, code="NS1.S", rating="GOOD", evidence="e", assessed_on=day
    )
    return {
        "audit_pk": audit.pk,
        "themed_pk": themed.pk,
        "rec_pk": rec.pk,
        "incident_pk": incident.pk,
        "code": "NS1.S",
    }


def test_every_page_needs_sign_in(client, urls):
    assert len(urls) > 15
    api = 0
    for name, url in urls:
        response = client.get(url)
        if url.startswith(API_PREFIX):
            # 405: a POST-only endpoint; 404: the API's root and unknown endpoints (no data)
            unknown = name in ("api:api-root", "no_such_endpoint")
            assert response.status_code in ((404,) if unknown else (401, 405)), name
            assert response["Content-Type"] == "application/problem+json", name
            api += 1
            continue
        assert response.status_code == 302, name
        assert response.url.startswith("/sign-in/"), name
    assert api >= 15


def _token(user) -> dict:
    from yjs.api.services import create_token

    return {"Authorization": f"Bearer {create_token(user, name='test', days=1)[1]}"}


API_CHILD_NAMES = ("api:child_record", "api:child_records", "api:child_record_one", "api:add_")
API_NAMED_LISTS = ("api:caseload", "api:search_children")


def test_api_child_urls_refuse_practitioner_of_other_team(client, urls, people):
    headers = _token(people["bob"])
    checked = 0
    for name, url in urls:
        if name.startswith(API_CHILD_NAMES):
            assert client.get(url, headers=headers).status_code in (403, 405), name
            response = client.post(url, "{}", content_type="application/json", headers=headers)
            assert response.status_code in (403, 405, 422), name
            checked += 1
    assert checked == 7


@pytest.mark.parametrize("username", ["bea", "ana"])
def test_api_gives_board_member_and_analyst_no_named_child(client, urls, people, username):
    headers = _token(people[username])
    checked = 0
    for name, url in urls:
        if name.startswith(API_CHILD_NAMES + API_NAMED_LISTS):
            status = client.get(url, headers=headers).status_code
            assert status in (403, 405), (username, name, status)
            checked += 1
    assert checked == 9


CHILD_PAGES = (
    "casework:child",
    "casework:add_offence",
    "casework:add_outcome",
    "casework:add_intervention",
    "casework:close_intervention",
    "casework:add_panel",
    "casework:add_assessment",
    "casework:add_contact",
    "casework:add_victim",
    "casework:add_oversight",
    "casework:add_plan",
    "casework:add_transition",
    "casework:add_remand",
    "casework:add_care_status",
    "casework:close_case",
    "casework:edit_victim",
    "casework:add_send",
    "casework:add_mental_health",
    "casework:add_substance_misuse",
    "casework:add_exploitation",
    "casework:add_custody",
    "casework:add_referral",
    "casework:allocate",
    "casework:add_transfer",
    "casework:record",
    "casework:record_edit",
    "casework:record_void",
    "casework:child_details",
    "casework:new_ethnicity",
    "casework:reopen_case",
    "casework:merge",
    "casework:unmerge",
    "documents:upload",
    "documents:download",
    "documents:write_letter",
    "documents:write_letter_kind",
    "voice:record_feedback",
    "voice:make_link",
)

# Pages for team managers and above only: a practitioner, even of the child's own team, is refused.
MANAGER_PAGES = ("casework:allocate", "casework:queue", "casework:workers")


GOVERNANCE_EDIT = ("new", "edit", "import", "sign_off", "approv", "annual_update")


@pytest.mark.parametrize("username", ["alice", "bea"])
def test_governance_editing_refuses_practitioner_and_board_member(client, urls, username):
    client.login(username=username, password=PASSWORD)
    checked = 0
    for name, url in urls:
        if name.startswith("governance:") and any(w in name for w in GOVERNANCE_EDIT):
            assert client.get(url).status_code == 403, (username, name, url)
            assert client.post(url, {}).status_code in (403, 404), (username, name)
            checked += 1
    assert checked >= 8


def test_board_member_cannot_drill_to_children(client, urls):
    client.login(username="bea", password=PASSWORD)
    drill = [url for name, url in urls if name == "performance:drill"]
    assert drill and client.get(drill[0]).status_code == 403


def test_child_pages_refuse_practitioner_of_other_team(client, urls):
    client.login(username="bob", password=PASSWORD)
    checked = 0
    for name, url in urls:
        if name in CHILD_PAGES:
            assert client.get(url).status_code == 403, name
            assert client.post(url, {}).status_code == 403, name
            checked += 1
    assert checked == len(CHILD_PAGES)


@pytest.mark.parametrize("username", ["bea", "ana"])
def test_board_member_and_analyst_see_no_child(client, urls, username):
    client.login(username=username, password=PASSWORD)
    for name, url in urls:
        if name.startswith("casework:"):
            assert client.get(url).status_code == 403, (username, name)


def test_practitioner_opens_own_team_child_and_manager_any(client, jay, kim, people):
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/").status_code == 200
    assert client.get(f"/children/{kim.pk}/").status_code == 403
    client.login(username="mo", password=PASSWORD)
    assert client.get(f"/children/{kim.pk}/").status_code == 200


def test_oversight_is_for_managers_only(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/oversight/new/").status_code == 403
    client.login(username="mo", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/oversight/new/").status_code == 200


def test_caseload_and_search_only_show_children_in_reach(client, jay, kim):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/caseload/?view=team").content.decode()
    assert "Jay Smith" in page and "Kim Jones" not in page
    found = client.get("/children/search/?q=Jones").content.decode()
    assert "Kim Jones" not in found
    client.login(username="hana", password=PASSWORD)
    page = client.get("/caseload/?view=team").content.decode()
    assert "Jay Smith" in page and "Kim Jones" in page


@pytest.mark.parametrize(
    ("username", "start"),
    [
        ("alice", "/caseload/"),
        ("hana", "/caseload/"),
        ("bea", "/performance/"),
        ("ana", "/performance/"),
    ],
)
def test_each_role_starts_on_its_own_page(client, people, username, start):
    client.login(username=username, password=PASSWORD)
    response = client.get("/")
    assert (response.status_code, response.url) == (302, start)


@pytest.mark.parametrize("role", ["HEAD_OF_SERVICE", "PRACTITIONER", "PERFORMANCE_ANALYST"])
def test_another_service_reaches_nothing_of_northshire(client, urls, jay, role, settings, tmp_path):
    """Every URL, read and posted, by each role of a second service: refused, not found, or a
    page of their own service that names nothing of Northshire's."""
    from yjs.organisation.models import Role, Service, Team, User

    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    team = Team.objects.create(service=south, name="Southvale")
    User.objects.create_user(
        "sol", password=PASSWORD, service=south, team=team, role=getattr(Role, role)
    )
    sol = User.objects.get(username="sol")
    client.login(username="sol", password=PASSWORD)
    markers = ("Jay Smith", jay.reference, "Northshire")
    for name, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {})
            allowed = (200, 302, 403, 404, 405) + ((401,) if url.startswith(API_PREFIX) else ())
            assert response.status_code in allowed, (role, name, method)
            body = response.content.decode(errors="replace")
            leaked = [m for m in markers if m in body]
            assert not leaked, (role, name, method, leaked)
    # ...and with an API token of their own: not found, refused, or their own empty service.
    headers = _token(sol)
    for name, url in urls:
        if not url.startswith(API_PREFIX):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(
                url,
                *([] if method == "get" else ["{}"]),
                **({} if method == "get" else {"content_type": "application/json"}),
                headers=headers,
            )
            assert response.status_code in (200, 403, 404, 405, 422), (role, name, method)
            body = response.content.decode(errors="replace")
            leaked = [m for m in markers if m in body]
            assert not leaked, (role, name, method, leaked)
            if response.status_code == 200 and "child" in name:
                assert '"items": []' in body or name == "api:search_children", (role, name)


AUDIT_PAGES = ("audit:events", "audit:export", "audit:child_access_log")


@pytest.fixture
def other_manager(db):
    """sam heads a second service, Southmoor: none of Northshire's trail is his."""
    from tests.conftest import _user
    from yjs.organisation.models import Role, Service

    southmoor = Service.objects.create(name="Southmoor Youth Justice Service", code="southmoor")
    return _user(southmoor, "sam", Role.HEAD_OF_SERVICE)


@pytest.mark.parametrize("username", ["alice", "ana", "bea", "sam"])
def test_audit_pages_refuse_all_but_the_services_managers(client, urls, other_manager, username):
    client.login(username=username, password=PASSWORD)
    checked = 0
    for name, url in urls:
        if name in AUDIT_PAGES:
            refused = name == "audit:child_access_log" or username != "sam"
            status = client.get(url).status_code
            assert status == 403 if refused else status == 200, (username, name, status)
            checked += 1
    assert checked == len(AUDIT_PAGES)


@pytest.mark.parametrize("username", ["mo", "hana"])
def test_audit_pages_open_to_the_services_managers(client, urls, username):
    client.login(username=username, password=PASSWORD)
    for name, url in urls:
        if name in AUDIT_PAGES:
            assert client.get(url).status_code == 200, (username, name)


@pytest.mark.parametrize("username", ["alice", "ana", "bea", "sol"])
def test_allocation_pages_refuse_all_but_the_services_managers(client, urls, username):
    from yjs.organisation.models import Role, Service, User

    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    User.objects.create_user("sol", password=PASSWORD, service=other, role=Role.HEAD_OF_SERVICE)
    client.login(username=username, password=PASSWORD)
    checked = 0
    for name, url in urls:
        if name in MANAGER_PAGES:
            status = client.get(url).status_code
            if username == "sol" and name != "casework:allocate":
                # their own service's (empty) queue and counts: nothing of Northshire's
                assert status == 200 and "Jay" not in client.get(url).content.decode(), name
            else:
                assert status == 403, (username, name, status)
                assert client.post(url, {}).status_code in (403, 405), (username, name)
            checked += 1
    assert checked == len(MANAGER_PAGES)


@pytest.mark.parametrize("username", ["mo", "hana"])
def test_allocation_pages_open_to_the_services_managers(client, urls, username):
    client.login(username=username, password=PASSWORD)
    for name, url in urls:
        if name in MANAGER_PAGES:
            assert client.get(url).status_code == 200, (username, name)


# Quality assurance (yjs/quality/rules.py): managers audit; analysts and board members see the
# counts page only; practitioners see nothing, not even audits of their own team's children.
QUALITY_COUNTS = ("quality:index",)


@pytest.mark.parametrize("username", ["alice", "ana", "bea"])
def test_quality_pages_refuse_all_but_managers(client, urls, username):
    client.login(username=username, password=PASSWORD)
    checked = 0
    for name, url in urls:
        if not name.startswith("quality:"):
            continue
        status = client.get(url).status_code
        if name in QUALITY_COUNTS and username != "alice":
            body = client.get(url).content.decode()
            assert status == 200 and "Jay" not in body, (username, name)
        else:
            assert status == 403, (username, name, status)
            assert client.post(url, {}).status_code == 403, (username, name)
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("username", ["mo", "hana"])
def test_quality_pages_open_to_the_services_managers(client, urls, username):
    client.login(username=username, password=PASSWORD)
    for name, url in urls:
        if name.startswith("quality:"):
            assert client.get(url).status_code in (200, 302), (username, name)
