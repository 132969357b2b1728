"""Commands that change governance records. Each runs in one transaction and is audited here.

Views and management commands call these; they never save governance models themselves.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yjs import versioning
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Service

from . import checks, documents, plan_html, selectors, structure, template_builder
from .kpis import EngineSource, KpiSource, Results, StaticSource
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
    Plan.objects.select_for_update().get(pk=plan.pk)  # one annual update at a time: one number
    if plan.versions.filter(status=PlanVersion.Status.DRAFT).exists():
        raise ValidationError("The plan already has a draft: approve or delete it first")
    last = plan.versions.order_by("-number").first()
    version = PlanVersion.objects.create(plan=plan, number=last.number + 1, year=year)
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=s.key, narrative=s.narrative) for s in last.sections.all()
    )
    audit.record(actor, "create", version, description=f"Started {version}")
    return version


def ensure_draft(version: PlanVersion) -> None:
    """Only the draft being written changes; an approved or superseded version is a record."""
    if version.status != PlanVersion.Status.DRAFT:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()} and cannot be "
            "changed: only a draft can. Start an annual update for a new draft."
        )


@transaction.atomic
def save_section(
    version: PlanVersion, key: str, narrative: str, actor=None, expected_revision: int | None = None
) -> PlanSection:
    """Save a section's text; `expected_revision` is the one the author opened (0: not written
    yet), and a section saved by someone else since raises versioning.EditConflict."""
    if key not in structure.PART_BY_KEY:
        raise ValidationError(f"No section called {key!r}")
    ensure_draft(version)
    section, created = PlanSection.objects.get_or_create(version=version, key=key)
    if created:
        section.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        versioning.claim(section, actor, expected=expected_revision)
    before = section.narrative or ""
    section.narrative = narrative
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
    ensure_draft(version)
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
    return context, checks.check_plan(version.plan, context, version)


def context_for(version: PlanVersion, source: KpiSource | None = None) -> dict:
    """An approved version renders from the context frozen at approval, never live data."""
    if version.status != PlanVersion.Status.DRAFT and version.frozen_context:
        return version.frozen_context
    return selectors.plan_context(version, source)


@transaction.atomic
def approve(version: PlanVersion, actor=None, source: KpiSource | None = None) -> PlanVersion:
    """Freeze the plan as approved: refuses while any consistency check fails."""
    ensure_draft(version)
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
    # The template too: a later upload (or a new default) changes no approved document.
    template = template_bytes(version.plan.service) or template_builder.plan_template()
    version.template = template
    version.template_sha256 = documents.sha256(template)
    versioning.claim(version, actor)
    version.save()
    # The approved Word document is fixed now (exports reproduce it byte for byte): its hash
    # is recorded here, by this POST, so that downloading it later writes nothing but audit.
    version.refresh_from_db(fields=["frozen_context"])  # render exactly what exports will
    try:
        data = documents.render_plan_docx(
            version.frozen_context, template_for(version), _document_time(version)
        )
    except documents.RenderError as exc:
        raise ExportRefused(f"The plan cannot be approved: {exc}") from exc
    PlanExport.objects.create(
        version=version,
        format="docx",
        sha256=documents.sha256(data),
        snapshot_ref=version.snapshot_ref,
        created_by=version.approved_by,
    )
    audit.record(actor, "approve", version, description=f"Approved {version}")
    return version


def _document_time(version: PlanVersion) -> datetime.datetime:
    """The date written into the Word and PDF files (UTC): the approval's, so approved exports
    are identical; a draft's is the time of export."""
    when = version.approved_at or timezone.now()
    return when.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)


def template_bytes(service: Service) -> bytes | None:
    t = PlanTemplate.objects.filter(service=service).first()
    return bytes(t.content) if t else None


def template_for(version: PlanVersion) -> bytes | None:
    """The template frozen with an approved version; a draft uses the service's current one."""
    if version.status != PlanVersion.Status.DRAFT and version.template:
        return bytes(version.template)
    return template_bytes(version.plan.service)


def _sample_plan_context(service: Service) -> dict:
    """The documented context in full – every section written, every table and chart filled –
    for a made-up plan of a made-up copy of the service: built, then rolled back."""
    from . import sample

    with transaction.atomic():
        context = sample.plan_context(service.name)
        transaction.set_rollback(True)
    return context


@transaction.atomic
def set_template(service: Service, name: str, content: bytes, actor=None) -> PlanTemplate:
    """A service's own branded template. A template is code: it is stored only if it is a sound
    .docx that renders an empty plan in the sandbox using the documented names and nothing
    else, so a hostile template is refused here and never reaches an export."""
    name = name[:200]
    try:
        documents.check_plan_template(content, _sample_plan_context(service))
    except documents.RenderError as exc:
        raise ValidationError({"file": f"{name} was not accepted. {exc}"}) from exc
    digest = documents.sha256(content)
    before = PlanTemplate.objects.filter(service=service).first()
    t, created = PlanTemplate.objects.update_or_create(
        service=service, defaults={"name": name, "content": content, "sha256": digest}
    )
    audit.record(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        t,
        description=f"Uploaded plan template {name} (SHA-256 {digest})",
        changes={
            "name": [before.name if before else None, name],
            "sha256": [before.sha256 if before else None, digest],
        },
    )
    return t


def export(
    version: PlanVersion,
    fmt: str,
    actor=None,
    source: KpiSource | None = None,
    allow_problems: bool = True,
) -> tuple[bytes, list]:
    """Render the plan as docx, pdf or html. Writes nothing but the audit event (who, which
    version, which format, the file's hash): downloads are GETs.

    Drafts export with their problems listed (authors need the document to work on); an
    approved plan renders from its frozen context so the Word file is byte-identical each time.
    """
    if fmt not in ("docx", "pdf", "html"):
        raise ExportRefused(f"Unknown format {fmt!r}: use docx, pdf or html")
    context = context_for(version, source)
    problems = (
        checks.check_plan(version.plan, context, version) if version.status == "DRAFT" else []
    )
    if not allow_problems and checks.errors(problems):
        raise ExportRefused("; ".join(map(str, checks.errors(problems)[:5])))
    when = _document_time(version)
    if fmt == "html":
        # The page's partials over the same context: the web file and the Word file agree.
        data = plan_html.render_plan_html(context).encode()
    else:
        data = documents.render_plan_docx(context, template_for(version), when)
    if fmt == "pdf":
        # An approved plan's PDF carries the approval's date and a content-hash ID: the same
        # bytes on every export.
        data = documents.docx_to_pdf(data, when if version.approved_at else None)
    audit.record(
        actor,
        AuditEvent.Action.EXPORT,
        version,
        description=f"Exported {version} as {fmt}",
        changes={
            "format": fmt,
            "version": version.number,
            "sha256": documents.sha256(data),
            "snapshot_ref": context.get("snapshot_ref", ""),
        },
    )
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
    if isinstance(instance, versioning.Versioned):
        versioning.claim(instance, actor)  # EditConflict if someone saved it since it was opened
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
def delete_record(instance, actor=None, expected_revision: int | None = None) -> None:
    if isinstance(instance, versioning.Versioned):
        versioning.claim(instance, actor, expected=expected_revision)
    audit.record(
        actor,
        "delete",
        instance,
        description=f"Deleted {instance._meta.verbose_name}",
        changes={k: [v, None] for k, v in audit.field_values(instance).items()},
    )
    instance.delete()


@transaction.atomic
def record_attendance(
    meeting, rows: dict[str, dict], actor=None, expected_revision: int | None = None
) -> None:
    """One row per sector and meeting, as the KPI 7 dataset counts it.

    The attendance belongs to the meeting: saving it moves the meeting to its next version, so
    two people recording one meeting's attendance cannot overwrite each other.
    """
    from .models import BoardAttendance, BoardMember

    versioning.claim(meeting, actor, expected=expected_revision)

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


def board_pack_for(user, quarter, fmt: str, *, named: bool = False) -> dict:
    """The board pack's context as this user may receive it (the one output scope), audited."""
    from yjs.permissions import output_scope

    scope = output_scope(user)
    context = selectors.board_pack_context(user.service, quarter, named=named, scope=scope)
    audit.record(
        user,
        "EXPORT",
        description=f"Board pack {context['quarter']} ({fmt}, "
        f"{'named' if context['named'] else 'by reference'})",
    )
    return context


def draw_ahead(service: Service, snapshot) -> int:
    """Draw the Word charts that the latest quarter's board pack and each draft plan will
    show from a snapshot's figures, so that neither makes its reader wait for them. Run by the
    background refresh, over the quarters it computed; returns how many charts it drew or
    found."""
    from yjs.performance import live
    from yjs.performance.dashboard import default_period

    pack_quarter = default_period(timezone.localdate())
    drafts = PlanVersion.objects.filter(plan__service=service, status=PlanVersion.Status.DRAFT)
    quarters = {selectors.default_kpi_quarter(v) for v in drafts}
    computed = live.computed_quarters(snapshot)  # never run the engine for a chart
    quarters = {q for q in quarters if q.yjb_label in computed}
    results = Results(EngineSource(str(snapshot), service=service))
    charts = [
        chart
        for q in sorted(quarters, key=lambda q: q.start)
        for chart in selectors.kpi_trends(results, q, [])
    ]
    if pack_quarter.yjb_label in computed:
        # The latest pack's figures as at its quarter's end (`selectors.pack_source`): the
        # engine runs here, in the background, and keeps them beside the snapshot.
        pack = selectors.board_pack_context(
            service,
            pack_quarter,
            source=selectors.pack_source(service, pack_quarter, str(snapshot)),
        )
        charts += pack["charts"]
    for chart in charts:
        documents.chart_png(chart)
    documents.prune_charts()
    return len(charts)
