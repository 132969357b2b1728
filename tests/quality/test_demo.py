"""The demo's quality assurance stream: through the services, its actions into the current
plan."""

from __future__ import annotations

import pytest

from yjs.governance.demo import create_demo_plans
from yjs.interop import demo
from yjs.organisation.models import Service
from yjs.quality.demo import add_quality
from yjs.quality.models import CaseAudit, QualityAction, SeriousIncident
from yjs.quality.services import is_late


@pytest.mark.django_db
def test_demo_quality_stream():
    summary = demo.load_demo(seed=5, children=60)
    service = Service.objects.get(code=demo.SERVICE_CODE)
    plan = create_demo_plans(service, today=summary.today)
    counts = add_quality(service, summary.today, seed=5)
    assert counts["CaseAudit"] == CaseAudit.objects.count() >= 6
    assert counts["Recommendation"] == 5 and counts["SeriousIncident"] == 2
    links = QualityAction.objects.select_related("action")
    assert links and all(q.action.plan_id == plan.pk for q in links)
    assert all(q.action.ref.startswith("QA") for q in links)
    # notified after 20 hours (in time) and after 30 hours (late)
    assert sorted(is_late(i) for i in SeriousIncident.objects.all()) == [False, True]
