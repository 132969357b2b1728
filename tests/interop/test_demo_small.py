"""Small demo loads (150 children): determinism, "today", and the `yj demo` command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from yjs.casework import models as cw
from yjs.court.models import Hearing
from yjs.diversion.models import OutOfCourtPanel
from yjs.interop import demo
from yjs.supervision.models import Appointment

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _digest() -> str:
    """A fingerprint of the generated records that ignores database ids and timestamps."""
    ref = dict(cw.Child.objects.values_list("pk", "reference"))
    parts = [
        list(
            cw.Child.objects.order_by("reference").values_list(
                "reference",
                "first_name",
                "last_name",
                "date_of_birth",
                "sex",
                "team__name",
                "closed_on",
                "closure_reason",
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in cw.Offence.objects.values_list(
                "child_id", "offence_date", "category", "gravity_score"
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in cw.Outcome.objects.values_list(
                "child_id", "code", "outcome_date", "appeal_status"
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in cw.Intervention.objects.values_list(
                "child_id", "kind", "start_date", "end_date", "completed_successfully"
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in cw.Contact.objects.values_list("child_id", "contact_date", "attended")
        ),
        sorted(cw.Victim.objects.values_list("name", "consent_to_contact", "rj_engaged")),
        # issue 10: court work, panels and supervision are as deterministic
        sorted(
            (ref[c], *rest)
            for c, *rest in Hearing.objects.values_list(
                "child_id", "hearing_date", "hearing_type", "next_hearing_date", "bail_decision"
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in OutOfCourtPanel.objects.values_list(
                "child_id", "panel_date", "police_decision"
            )
        ),
        sorted(
            (ref[c], *rest)
            for c, *rest in Appointment.objects.values_list(
                "child_id", "appointment_date", "attendance"
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _load_and_digest(seed: int, children: int = 150) -> tuple[dict, str]:
    with transaction.atomic():
        summary = demo.load_demo(seed=seed, children=children, today=TODAY)
        result = summary.counts, _digest()
        transaction.set_rollback(True)
    return result


def test_same_seed_same_service_other_seed_another():
    counts_a, digest_a = _load_and_digest(seed=11)
    counts_b, digest_b = _load_and_digest(seed=11)
    counts_c, digest_c = _load_and_digest(seed=12)
    assert counts_a == counts_b and digest_a == digest_b
    assert counts_a["Child"] == counts_c["Child"] == 150
    assert digest_c != digest_a


def test_dates_stay_before_the_chosen_today():
    with transaction.atomic():
        demo.load_demo(seed=5, children=60, today=dt.date(2024, 6, 30))
        assert not cw.Contact.objects.filter(contact_date__gt=dt.date(2024, 6, 30)).exists()
        assert not cw.Outcome.objects.filter(outcome_date__gt=dt.date(2024, 6, 30)).exists()
        transaction.set_rollback(True)


def test_demo_command_prints_the_logins_and_if_empty_leaves_the_service_alone():
    out = StringIO()
    call_command("demo", "--children", "40", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "40 children" in text and demo.DEMO_PASSWORD in text
    for username in ("alice", "bob", "mo", "sam", "hana", "ana", "bea", "admin"):
        assert username in text
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()
    assert cw.Child.objects.count() == 40
    with pytest.raises(CommandError, match="already exists"):
        call_command("demo", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("demo", "--children", "0", stdout=StringIO())


def test_an_empty_database_snapshots_to_a_valid_empty_dataset(tmp_path):
    from yjs.interop.snapshot import take_snapshot
    from yjs.performance.loader import load_dataset

    loaded = load_dataset(take_snapshot(tmp_path, as_at=TODAY))
    try:
        assert set(loaded.row_counts.values()) == {0}
    finally:
        loaded.con.close()


def test_demo_refuses_a_database_whose_usernames_are_taken():
    from yjs.organisation.models import User

    User.objects.create_user(username="alice", password="x")
    with pytest.raises(CommandError, match="fresh database"):
        call_command("demo", "--children", "5", stdout=StringIO())
    assert not cw.Child.objects.exists()


def test_the_demo_plan_agrees_with_the_demo_board():
    """The chair, the board's approval meeting, the order of approvals and the funding streams
    of the demo plan agree with the demo's board records (checks.check_records)."""
    from yjs.governance import checks
    from yjs.governance.demo import create_demo_plans

    with transaction.atomic():
        demo.load_demo(seed=5, children=30, today=TODAY)
        service = demo.Service.objects.get(code=demo.SERVICE_CODE)
        plan = create_demo_plans(service, today=TODAY)
        assert checks.check_records(plan, plan.versions.get()) == []
        transaction.set_rollback(True)


def test_the_demo_plan_reads_like_a_finished_plan():
    """Issue 12: every section of the demo plan has narrative of a real plan's length, the
    author's form accepts it, every KPI figure and cross-reference it quotes resolves (figures
    come from the engine, never written in), and it says "children", never "offenders"."""
    from yjs.governance import selectors
    from yjs.governance.demo import create_demo_plans
    from yjs.governance.forms import SectionForm
    from yjs.governance.structure import SECTIONS

    with transaction.atomic():
        demo.load_demo(seed=5, children=30, today=TODAY)
        service = demo.Service.objects.get(code=demo.SERVICE_CODE)
        plan = create_demo_plans(service, today=TODAY)
        context = selectors.plan_context(plan.versions.get())
        raw = {s.key: s.narrative for s in plan.versions.get().sections.all()}
        transaction.set_rollback(True)
    assert context["unresolved"] == []
    parts = {p["key"]: p for p in context["parts"]}
    for part in SECTIONS:
        if not part.needs_narrative:
            continue
        words = len(parts[part.key]["narrative"].split())
        low = 100 if part.key == "risks" else 150
        assert low <= words <= 450, (part.key, words)
        form = SectionForm({"narrative": raw[part.key], "revision": 0})
        assert form.is_valid(), (part.key, form.errors)
        assert "[[" not in parts[part.key]["narrative"]
        assert "offender" not in raw[part.key].lower()
    assert "[[kpi:" in raw["kpis"]  # the commentary quotes the engine's figures
    entries = parts["priorities"]["blocks"]["priorities"]["entries"]
    assert len(entries) == 10
    for entry in entries:
        assert 60 <= len(entry["narrative"].split()) <= 250, (entry["title"], entry["narrative"])


def test_the_demo_loads_an_audit_trail_that_verifies():
    """The load builds its events before the children have ids; the chain must still verify."""
    from yjs.audit import services as audit

    with transaction.atomic():
        demo.load_demo(seed=5, children=30, today=TODAY)
        verdict = audit.verify()
        transaction.set_rollback(True)
    assert verdict.count >= 30 and verdict.intact, verdict.problem
