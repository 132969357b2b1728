"""Commands that change governance records. Each runs in one transaction and is audited here.

Views and management commands call these; they never save governance models themselves.
"""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from docxtpl import DocxTemplate

from yjs.audit import services as audit
from yjs.organisation.models import Service

from . import checks, documents, selectors, structure
from .kpis import KpiSource, StaticSource
from .models import (
    ApprovalStep,
    Plan,
    PlanExport,
    PlanSection,
    PlanTemplate,
    PlanVersion,
)


class ExportRefused(Exception):
    """The plan cannot be exported or approved as it stands (the message says why)."""


@transaction.atomic
def create_plan(
    service: Service,
    *,
    start_year: int,
    years: int = 1,
    actor=None,
    title: str = "Youth Justice Plan",
    service_lead: str = "",
    board_chair: str = "",
    previous: Plan | None = None,
) -> Plan:
    if not 1 <= years <= 3:
        raise ValidationError({"years": "A plan covers one to three years"})
    if previous is None:
        previous = (
            Plan.objects.filter(service=service, start_year__lt=start_year)
            .order_by("-start_year")
            .first()
        )
    plan = Plan.objects.create(
        service=service,
        title=title,
        start_year=start_year,
        years=years,
        service_lead=service_lead,
        board_chair=board_chair,
        previous=previous,
    )
    PlanVersion.objects.create(plan=plan, number=1, year=start_year)
    audit.record(actor, "create", plan, description=f"Created {plan}")
    return plan


@transaction.atomic
def start_annual_update(plan: Plan, year: int, actor=None) -> PlanVersion:
    """A new draft for the next year, carrying over the narrative to be revised."""
    if not plan.first_year.start_year <= year <= plan.last_year.start_year:
        raise ValidationError({"year": f"The plan covers {plan.period_label} only"})
    if plan.versions.filter(status=PlanVersion.Status.DRAFT).exists():
        raise ValidationError("The plan already has a draft: approve or delete it first")
    last = plan.versions.order_by("-number").first()
    version = PlanVersion.objects.create(plan=plan, number=last.number + 1, year=year)
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=s.key, narrative=s.narrative) for s in last.sections.all()
    )
    audit.record(actor, "create", version, description=f"Started {version}")
    return version


def _editable(version: PlanVersion) -> None:
    if version.status != PlanVersion.Status.DRAFT:
        raise ValidationError("Only a draft can be changed; start an annual update instead")


@transaction.atomic
def save_section(version: PlanVersion, key: str, narrative: str, actor=None) -> PlanSection:
    if key not in structure.PART_BY_KEY:
        raise ValidationError(f"No section called {key!r}")
    _editable(version)
    section, _ = PlanSection.objects.get_or_create(version=version, key=key)
    before = section.narrative or ""
    section.narrative = narrative
    section.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    section.save()
    audit.record(
        actor,
        "update",
        section,
        description=f"Edited {key} of {version}",
        changes=audit.diff({"narrative": before}, {"narrative": narrative}),
    )
    return section


@transaction.atomic
def record_approval(
    version: PlanVersion, body: str, decided_on: datetime.date, actor=None, notes: str = ""
) -> ApprovalStep:
    old = ApprovalStep.objects.filter(version=version, body=body).first()
    before = audit.field_values(old) if old else {}
    step, _ = ApprovalStep.objects.update_or_create(
        version=version, body=body, defaults={"decided_on": decided_on, "notes": notes}
    )
    audit.record(
        actor,
        "update",
        version,
        description=f"{step.get_body_display()} approved {version} on {decided_on:%d %B %Y}",
        changes=audit.diff(before, audit.field_values(step)),
    )
    return step


def review(version: PlanVersion, source: KpiSource | None = None) -> tuple[dict, list]:
    """The document context and the consistency problems the author must see."""
    context = context_for(version, source)
    return context, checks.check_plan(version.plan, context)


def context_for(version: PlanVersion, source: KpiSource | None = None) -> dict:
    """An approved version renders from the context frozen at approval, never live data."""
    if version.status != PlanVersion.Status.DRAFT and version.frozen_context:
        return version.frozen_context
    return selectors.plan_context(version, source)


@transaction.atomic
def approve(version: PlanVersion, actor=None, source: KpiSource | None = None) -> PlanVersion:
    """Freeze the plan as approved: refuses while any consistency check fails."""
    _editable(version)
    context, problems = review(version, source)
    blocking = checks.errors(problems)
    if blocking:
        raise ExportRefused("The plan cannot be approved: " + "; ".join(map(str, blocking[:5])))
    if not version.approvals.filter(body="BOARD").exists():
        raise ExportRefused("Record the management board's approval first")
    version.plan.versions.filter(status=PlanVersion.Status.APPROVED).update(
        status=PlanVersion.Status.SUPERSEDED
    )
    version.status = PlanVersion.Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    context["status"] = version.get_status_display()
    version.frozen_context = context
    version.snapshot_ref = context.get("snapshot_ref", "")
    version.save()
    audit.record(actor, "approve", version, description=f"Approved {version}")
    return version


def template_bytes(service: Service) -> bytes | None:
    t = PlanTemplate.objects.filter(service=service).first()
    return bytes(t.content) if t else None


@transaction.atomic
def set_template(service: Service, name: str, content: bytes, actor=None) -> PlanTemplate:
    """A service's own branded template; it must render the default context to be accepted."""
    try:
        DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except Exception as exc:
        raise ValidationError(f"{name} is not a Word template docxtpl can read: {exc}") from exc
    t, _ = PlanTemplate.objects.update_or_create(
        service=service, defaults={"name": name, "content": content}
    )
    audit.record(actor, "update", t, description=f"Uploaded plan template {name}")
    return t


def export(
    version: PlanVersion,
    fmt: str,
    actor=None,
    source: KpiSource | None = None,
    allow_problems: bool = True,
) -> tuple[bytes, list]:
    """Render the plan as docx or pdf and record what was produced from what.

    Drafts export with their problems listed (authors need the document to work on); an
    approved plan renders from its frozen context so the Word file is byte-identical each time.
    """
    if fmt not in ("docx", "pdf"):
        raise ExportRefused(f"Unknown format {fmt!r}: use docx or pdf")
    context = context_for(version, source)
    problems = checks.check_plan(version.plan, context) if version.status == "DRAFT" else []
    if not allow_problems and checks.errors(problems):
        raise ExportRefused("; ".join(map(str, checks.errors(problems)[:5])))
    when = (
        version.approved_at.replace(tzinfo=None, microsecond=0)
        if version.approved_at
        else datetime.datetime(2000, 1, 1)
    )
    data = documents.render_plan_docx(context, template_bytes(version.plan.service), when)
    if fmt == "pdf":
        data = documents.docx_to_pdf(data)
    PlanExport.objects.create(
        version=version,
        format=fmt,
        sha256=documents.sha256(data),
        snapshot_ref=context.get("snapshot_ref", ""),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, "export", version, description=f"Exported {version} as {fmt}")
    return data, problems


def frozen_source(version: PlanVersion) -> KpiSource:
    """For tests and re-renders: the figures an approved plan quoted, as a source."""
    rows = (version.frozen_context or {}).get("quoted", [])
    return StaticSource(rows, snapshot_ref=version.snapshot_ref)


@transaction.atomic
def save_record(instance, actor=None):
    """Save a budget line, staff record, action, risk… entered in the app, and audit it."""
    from django.db import IntegrityError

    created = instance.pk is None
    before = {} if created else audit.field_values(type(instance).objects.get(pk=instance.pk))
    try:
        instance.save()
    except IntegrityError:
        raise ValidationError("A record with these details already exists") from None
    audit.record(
        actor,
        "create" if created else "update",
        instance,
        description=f"{'Added' if created else 'Changed'} {instance._meta.verbose_name}",
        changes=audit.diff(before, audit.field_values(instance)),
    )
    return instance


@transaction.atomic
def delete_record(instance, actor=None) -> None:
    audit.record(
        actor,
        "delete",
        instance,
        description=f"Deleted {instance._meta.verbose_name}",
        changes={k: [v, None] for k, v in audit.field_values(instance).items()},
    )
    instance.delete()


@transaction.atomic
def record_attendance(meeting, rows: dict[str, dict], actor=None) -> None:
    """One row per sector and meeting, as the KPI 7 dataset counts it."""
    from .models import BoardAttendance, BoardMember

    def recorded():
        return {
            a.sector: {k: v for k, v in audit.field_values(a).items() if k != "meeting_id"}
            for a in BoardAttendance.objects.filter(meeting=meeting)
        }

    before = recorded()
    for sector, values in rows.items():
        member = BoardMember.objects.filter(
            service=meeting.service, sector=sector, left_on__isnull=True
        ).first()
        BoardAttendance.objects.update_or_create(
            meeting=meeting,
            sector=sector,
            defaults={**values, "member": member if values["attendance"] == "SENIOR" else None},
        )
    audit.record(
        actor,
        "update",
        meeting,
        description=f"Recorded attendance at {meeting}",
        changes=audit.diff(before, recorded()),
    )
