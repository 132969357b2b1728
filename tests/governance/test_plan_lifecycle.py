"""A plan's life: a draft is written, approved, superseded; only the draft changes, and
downloading any version writes nothing but its audit event."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from yjs.audit.models import AuditEvent
from yjs.governance import documents, services
from yjs.governance.models import ApprovalStep, PlanExport, PlanSection, PlanVersion


@pytest.fixture(autouse=True)
def engine(monkeypatch, source):
    """Pages read KPI results through the engine; here, through the constructed rows."""
    monkeypatch.setattr("yjs.governance.selectors.EngineSource", lambda *a, **k: source)


@pytest.fixture
def approved(plan, people, source):
    """Version 1, approved by hana after the board's approval."""
    return services.approve(plan.versions.get(), people["hana"], source)


@pytest.fixture
def superseded(plan, people, approved):
    """Version 1 once version 2 (the 2025-26 update) is approved in its place."""
    draft = services.start_annual_update(plan, 2025, people["hana"])
    PlanVersion.objects.filter(pk=approved.pk).update(status=PlanVersion.Status.SUPERSEDED)
    PlanVersion.objects.filter(pk=draft.pk).update(status=PlanVersion.Status.APPROVED)
    approved.refresh_from_db()
    return approved


def every_row() -> dict[str, list]:
    """Every row of every table but the audit log and the sessions, to compare before/after."""
    skip = {"auditevent", "session"}
    return {
        m._meta.label: list(m.objects.order_by("pk").values())
        for m in apps.get_models()
        if m._meta.model_name not in skip and not m._meta.proxy
    }


@pytest.mark.parametrize("state", ["draft", "approved"])
def test_downloading_a_plan_writes_only_its_audit_event(client, plan, people, request, state):
    version = request.getfixturevalue("approved") if state == "approved" else plan.versions.get()
    client.force_login(people["bea"])
    before, events = every_row(), AuditEvent.objects.count()
    response = client.get(reverse("governance:export", args=[plan.pk, version.number, "docx"]))
    assert response.status_code == 200
    assert every_row() == before
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == AuditEvent.Action.EXPORT and event.actor == people["bea"]
    assert event.object_id == str(version.pk)
    assert event.changes["format"] == "docx" and event.changes["version"] == version.number
    assert event.changes["sha256"] == documents.sha256(response.content)


def test_approval_records_the_hash_every_download_reproduces(client, plan, people, approved):
    recorded = PlanExport.objects.get(version=approved)
    assert recorded.format == "docx" and recorded.created_by == people["hana"]
    client.force_login(people["bea"])
    url = reverse("governance:export", args=[plan.pk, approved.number, "docx"])
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    assert documents.sha256(first) == recorded.sha256


@pytest.mark.parametrize("state", ["approved", "superseded"])
def test_a_version_that_is_not_the_draft_cannot_be_changed(client, plan, people, request, state):
    version = request.getfixturevalue(state)
    client.force_login(people["hana"])
    page = reverse("governance:plan_version", args=[plan.pk, version.number])
    urls = {
        "section_edit": (
            reverse("governance:section_edit", args=[plan.pk, version.number, "voice"]),
            {"narrative": "Rewritten after approval"},
        ),
        "sign_off": (
            reverse("governance:sign_off", args=[plan.pk, version.number]),
            {"signed_off_by": "Someone Else", "signed_off_role": "Chair"},
        ),
        "approval_new": (
            reverse("governance:approval_new", args=[plan.pk, version.number]),
            {"body": "SCRUTINY", "decided_on_0": "1", "decided_on_1": "7", "decided_on_2": "2024"},
        ),
    }
    voice = PlanSection.objects.get(version=version, key="voice").narrative
    steps = ApprovalStep.objects.filter(version=version).count()
    for name, (url, data) in urls.items():
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"] == page, name
    approve = reverse("governance:approve", args=[plan.pk, version.number])
    assert client.post(approve)["Location"] == page
    shown = client.get(page).content.decode()
    assert f"Version 1 is {state} and cannot be changed" in shown
    version.refresh_from_db()
    assert PlanSection.objects.get(version=version, key="voice").narrative == voice
    assert version.signed_off_by != "Someone Else"
    assert ApprovalStep.objects.filter(version=version).count() == steps


def test_services_refuse_changes_to_an_approved_version(approved, people):
    with pytest.raises(ValidationError, match="approved and cannot be changed"):
        services.record_approval(approved, "SCRUTINY", datetime.date(2024, 7, 1), people["hana"])
    with pytest.raises(ValidationError, match="approved and cannot be changed"):
        services.save_section(approved, "voice", "Rewritten", people["hana"])


def test_an_error_is_shown_as_an_error_and_a_success_as_a_success(client, plan, people, approved):
    client.force_login(people["hana"])
    url = reverse("governance:section_edit", args=[plan.pk, approved.number, "voice"])
    page = client.get(url, follow=True).content.decode()
    assert "cannot be changed" in page
    assert 'class="govuk-error-summary"' in page and "There is a problem" in page
    assert "govuk-notification-banner--success" not in page and ">Success</h2>" not in page

    draft = services.start_annual_update(plan, 2025, people["hana"])
    url = reverse("governance:section_edit", args=[plan.pk, draft.number, "voice"])
    page = client.post(url, {"narrative": "Children said…"}, follow=True).content.decode()
    assert "govuk-notification-banner--success" in page and ">Success</h2>" in page
    assert "There is a problem" not in page
