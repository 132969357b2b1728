"""Governance pages. Thin: check permission, call `services` / `selectors`, render."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yjs import codes
from yjs.forms import REVISION_FIELD, reopen_after_conflict
from yjs.versioning import EditConflict

from . import (
    checks,
    commentary,
    documents,
    forms,
    imports,
    plan_html,
    selectors,
    services,
    structure,
)
from .models import BoardMeeting, Plan, PlanVersion

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# What each data block of the plan shows, in words a reader understands (and where, if anywhere,
# its records are entered).
BLOCK_LABELS = {
    "board": ("board membership and attendance", "members"),
    "previous_actions": ("progress on the previous plan's actions", None),
    "b5": ("budget costs and contributions by agency (table B5)", "budget"),
    "funding_streams": ("additional funding streams", "funding"),
    "targets": ("local target bands", "bands"),
    "kpi_table": ("the national key performance indicator table", None),
    "kpi_charts": ("charts of KPI trends", None),
    "priorities": ("the priorities", "priorities"),
    "standards": ("the National Standards self-assessment", "standards"),
    "staffing_summary": ("a summary of the staff", "staffing"),
    "action_summary": ("a summary of the action plan", "actions"),
    "risks": ("the challenges, risks and issues", "risks"),
    "sign_off": ("the sign-off and approvals", None),
    "board_members": ("the board members", "members"),
    "board_attendance": ("board attendance", "meetings"),
    "staff_by_role": ("staff by role", "staffing"),
    "b8": ("staffing by role, sex and ethnicity (table B8)", "staffing"),
    "actions": ("the service development and action plan", "actions"),
    "glossary": ("the glossary", None),
}


def _block_labels(names) -> str:
    return ", ".join(BLOCK_LABELS.get(n, (n.replace("_", " "), None))[0] for n in names)


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _plan(request, pk, perm="governance.view_plans") -> Plan:
    _require(request, perm)
    return get_object_or_404(Plan, pk=pk, service_id=request.user.service_id)


def _version(plan: Plan, number: int | None) -> PlanVersion:
    versions = plan.versions.order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404
    return version


def _download(data: bytes | str, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _apply(form, fn):
    try:
        return fn()
    except EditConflict:
        raise  # the view shows the record as it is now (reopen_after_conflict)
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            for field, errs in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            form.add_error(None, e)
        return None


def _draft_only(request, plan: Plan, version: PlanVersion):
    """Back to the version, with the reason, unless it is the draft being written."""
    try:
        services.ensure_draft(version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("governance:plan_version", plan.pk, version.number)
    return None


def _can_edit(request) -> bool:
    return request.user.has_perm("governance.change_plans")


def index(request):
    _require(request, "governance.view_plans")
    service = request.user.service
    plans = [(p, selectors.latest_version(p)) for p in selectors.plans_for(service)]
    return render(
        request,
        "governance/index.html",
        {
            "plans": plans,
            "can_edit": _can_edit(request),
            "can_change_template": request.user.has_perm("governance.change_template"),
            "board_pack_form": forms.BoardPackForm(),
            "service_kinds": [(k, v[3]) for k, v in forms.DATA_KINDS.items() if v[1] == "service"],
            "meetings": BoardMeeting.objects.filter(service=service).order_by("-meeting_date")[:8],
        },
    )


def plan_new(request):
    _require(request, "governance.change_plans")
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = _apply(
            form,
            lambda: services.create_plan(
                request.user.service, actor=request.user, **form.cleaned_data
            ),
        )
        if plan:
            messages.success(request, f"{plan} created")
            return redirect("governance:plan", plan.pk)
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": "Start a Youth Justice Plan",
            "cancel": reverse("governance:index"),
        },
    )


def _figures_as_at(version, context):
    """When the snapshot a draft quotes was taken; approved versions quote their frozen one."""
    from yjs.performance.live import snapshot_taken_at

    ref = context.get("snapshot_ref")
    if version.status != version.Status.DRAFT or not ref:
        return None
    return snapshot_taken_at(Path(ref))


def plan_detail(request, pk, number=None):
    plan = _plan(request, pk)
    version = _version(plan, number)
    context, problems = services.review(version)
    return render(
        request,
        "governance/plan.html",
        {
            "figures_as_at": _figures_as_at(version, context),
            "plan": plan,
            "version": version,
            "doc": context,
            "problems": problems,
            "blocking": checks.errors(problems),
            "can_edit": _can_edit(request),
            "can_approve": request.user.has_perm("governance.approve_plans"),
            "versions": plan.versions.order_by("-number"),
            "plan_kinds": [(k, v[3]) for k, v in forms.DATA_KINDS.items() if v[1] == "plan"],
            "exports": version.exports.all()[:5],
            # Each part as the document prints it: its text, then its tables and charts.
            "sections": [
                {**p, "data_labels": _block_labels(p["blocks"])}
                for p in plan_html.web_parts(context)
            ],
            "problem_links": _problem_links(problems, context),
        },
    )


def _problem_links(problems, context) -> list[tuple]:
    """Each consistency problem with the anchor of the part it is about, when there is one."""
    anchors = {p["heading"]: p["key"] for p in context["parts"]}
    anchors.update({p["title"]: p["key"] for p in context["parts"]})
    return [(p, anchors.get(p.where)) for p in problems]


def section_edit(request, pk, number, key):
    plan = _plan(request, pk, "governance.change_plans")
    version = _version(plan, number)
    part = structure.PART_BY_KEY.get(key)
    if part is None:
        raise Http404
    if refused := _draft_only(request, plan, version):
        return refused

    drafts = commentary.section_drafts(version, key)

    def section_form(data):
        section = version.sections.filter(key=key).first()
        narrative = section.narrative if section else ""
        if not narrative and request.GET.get("start") == "draft":
            # The author asked to start from the drafted commentary: theirs to edit and save.
            narrative = "\n\n".join(d.text for d in drafts)
        return forms.SectionForm(
            data,
            initial={"narrative": narrative},
            revision=section.revision if section else 0,
        )

    form = section_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _apply(
                form,
                lambda: services.save_section(
                    version, key, form.cleaned_data["narrative"], request.user, form.revision
                ),
            )
        except EditConflict as conflict:
            saved, form = None, reopen_after_conflict(form, conflict, section_form(None))
        if saved:
            messages.success(request, f"{part.title} saved")
            return redirect(
                reverse("governance:plan_version", args=[plan.pk, version.number]) + f"#{key}"
            )
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": part.title,
            "hint": part.guidance,
            "caption": str(plan),
            "cancel": reverse("governance:plan_version", args=[plan.pk, version.number]),
            "drafts": drafts,
        },
    )


def sign_off(request, pk, number):
    plan = _plan(request, pk, "governance.change_plans")
    version = _version(plan, number)
    if refused := _draft_only(request, plan, version):
        return refused
    form = forms.SignOffForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            if _apply(form, lambda: services.save_record(form.save(commit=False), request.user)):
                return redirect("governance:plan_version", plan.pk, version.number)
        except EditConflict as conflict:
            form = reopen_after_conflict(
                form, conflict, forms.SignOffForm(instance=conflict.current)
            )
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": "Sign-off and KPI quarter",
            "caption": str(plan),
            "cancel": reverse("governance:plan_version", args=[plan.pk, version.number]),
        },
    )


def approval_new(request, pk, number):
    plan = _plan(request, pk, "governance.change_plans")
    version = _version(plan, number)
    if refused := _draft_only(request, plan, version):
        return refused
    form = forms.ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, lambda: services.record_approval(version, actor=request.user, **form.cleaned_data)
        ):
            return redirect("governance:plan_version", plan.pk, version.number)
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": "Record an approval",
            "caption": str(plan),
            "cancel": reverse("governance:plan_version", args=[plan.pk, version.number]),
        },
    )


def approve(request, pk, number):
    _require(request, "governance.approve_plans")
    plan = _plan(request, pk, "governance.change_plans")
    version = _version(plan, number)
    if request.method != "POST":
        raise PermissionDenied
    try:
        services.approve(version, request.user)
        messages.success(request, f"{version} approved")
    except services.ExportRefused as exc:
        messages.error(request, str(exc))
    except EditConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:  # not the draft
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:plan_version", plan.pk, version.number)


def annual_update(request, pk):
    plan = _plan(request, pk, "governance.change_plans")
    if request.method != "POST":
        raise PermissionDenied
    last = _version(plan, None)
    try:
        version = services.start_annual_update(plan, last.year + 1, request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("governance:plan", plan.pk)
    return redirect("governance:plan_version", plan.pk, version.number)


def export(request, pk, number, fmt):
    plan = _plan(request, pk)
    version = _version(plan, number)
    try:
        data, _problems = services.export(version, fmt, request.user)
    except (services.ExportRefused, documents.RenderError) as exc:
        messages.error(request, str(exc))
        return redirect("governance:plan_version", plan.pk, version.number)
    name = f"{plan.title} {plan.period_label} v{version.number}.{fmt}".replace(" ", "-")
    return _download(data, name, fmt)


def plan_template(request):
    _require(request, "governance.change_template")
    from .template_builder import plan_template as default

    form = forms.TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if _apply(
            form,
            lambda: services.set_template(
                request.user.service, upload.name, upload.read(), request.user
            ),
        ):
            messages.success(request, f"Plans now use {upload.name}")
            return redirect("governance:index")
    if request.GET.get("download"):
        return _download(default(), "youth-justice-plan-template.docx", "docx")
    return render(
        request,
        "governance/upload.html",
        {
            "form": form,
            "title": "The plan's Word template",
            "download": reverse("governance:plan_template") + "?download=1",
            "download_text": "Download the default template",
            "cancel": reverse("governance:index"),
        },
    )


# --------------------------------------------------------------------------- data entry


def _kind(kind: str):
    if kind not in forms.DATA_KINDS:
        raise Http404
    return forms.DATA_KINDS[kind]


def _owner(request, kind, pk):
    model, scope, _fields, title = _kind(kind)
    if scope == "plan":
        if pk is None:
            raise Http404
        owner = _plan(request, pk)
    else:
        owner = request.user.service
    return model, scope, owner, title


def _data_url(kind, pk):
    return (
        reverse("governance:plan_data", args=[pk, kind])
        if pk
        else reverse("governance:data", args=[kind])
    )


# The columns each list shows (the form has them all): a page-wide table stays readable.
LIST_COLUMNS = {
    "actions": ["ref", "outcome", "action", "lead_owners", "by_when", "rag", "source"],
    "risks": ["kind", "description", "likelihood", "impact", "score", "owner", "review_date"],
    "staffing": ["job_title", "role_category", "sex", "ethnicity_group", "fte_posts", "left_on"],
    "members": ["name", "position", "organisation", "sector", "board_role"],
}
COLUMN_TITLES = {"by_when": "By when", "score": "Score"}
TAG_COLOURS = {
    "COMPLETED": "govuk-tag--green",
    "ON_TRACK": "govuk-tag--turquoise",
    "NOT_STARTED": "govuk-tag--grey",
    "OFF_TRACK": "govuk-tag--red",
    "GREEN": "govuk-tag--green",
    "AMBER": "govuk-tag--yellow",
    "RED": "govuk-tag--red",
}


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


def _sentence(label) -> str:
    label = str(label)
    return label[:1].upper() + label[1:]


def _cell(record, name) -> dict:
    """One table cell in words: dates as dates, choices by their label, RAG as a tag."""
    import datetime

    try:
        field = record._meta.get_field(name)
    except Exception:
        field = None
    value = getattr(record, name)
    if field is not None and field.choices:
        return {
            "text": getattr(record, f"get_{name}_display")(),
            "tag": TAG_COLOURS.get(value) if name == "rag" else None,
        }
    if isinstance(value, datetime.date):
        return {"text": _day(value)}
    if isinstance(value, bool):
        return {"text": "Yes" if value else "No"}
    if value is None:
        return {"text": ""}
    return {"text": str(value)}


def _heading(model, name) -> str:
    if name in COLUMN_TITLES:
        return COLUMN_TITLES[name]
    return _sentence(model._meta.get_field(name).verbose_name)


def data_list(request, kind, pk=None):
    _require(request, "governance.view_plans")
    model, scope, owner, title = _owner(request, kind, pk)
    records = model.objects.filter(**{scope: owner})
    columns = LIST_COLUMNS.get(kind, forms.DATA_KINDS[kind][2])
    rows = [(r, [_cell(r, f) for f in columns]) for r in records]
    return render(
        request,
        "governance/data_list.html",
        {
            "kind": kind,
            "title": title,
            "owner": owner,
            "plan_pk": pk,
            "rows": rows,
            "headings": [_heading(model, f) for f in columns],
            "can_edit": _can_edit(request),
            "importable": kind in forms.IMPORTABLE,
            "back": reverse("governance:plan", args=[pk]) if pk else reverse("governance:index"),
            "back_text": str(owner) if pk else "Plans and board",
        },
    )


def data_edit(request, kind, pk=None, obj=None):
    _require(request, "governance.change_plans")
    model, scope, owner, title = _owner(request, kind, pk)
    instance = (
        get_object_or_404(model, pk=obj, **{scope: owner}) if obj else model(**{scope: owner})
    )
    form_class = forms.form_for(kind)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST":
        try:
            if "delete" in request.POST and obj:
                if _apply(form, lambda: _delete(instance, request)):
                    return redirect(_data_url(kind, pk))
            elif form.is_valid() and _apply(
                form, lambda: services.save_record(form.save(commit=False), request.user)
            ):
                messages.success(request, f"{title}: saved")
                return redirect(_data_url(kind, pk))
        except EditConflict as conflict:
            form = reopen_after_conflict(form, conflict, form_class(instance=conflict.current))
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": title,
            "caption": str(owner),
            "can_delete": bool(obj),
            "cancel": _data_url(kind, pk),
        },
    )


def _delete(instance, request):
    """Delete a record, unless someone changed it after this user opened it."""
    try:
        expected = int(request.POST.get(REVISION_FIELD, ""))
    except ValueError:
        expected = None
    services.delete_record(instance, request.user, expected_revision=expected)
    return True


def data_import(request, kind, pk=None):
    _require(request, "governance.change_plans")
    if kind not in forms.IMPORTABLE:
        raise Http404
    _model, _scope, owner, title = _owner(request, kind, pk)
    if request.GET.get("template"):
        return _download(imports.template_workbook(kind), f"{kind}-template.xlsx", "xlsx")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = imports.import_xlsx(kind, upload.name, upload.read(), owner, request.user)
        except imports.ImportFailed as exc:
            problems = exc.problems
            form.add_error("file", f"{len(problems)} problem(s) were found; nothing was imported")
        except EditConflict as exc:  # a row was edited while the file was being read
            form.add_error("file", f"{exc.message}; nothing was imported")
        else:
            messages.success(request, f"Imported {count} rows from {upload.name}")
            return redirect(_data_url(kind, pk))
    return render(
        request,
        "governance/upload.html",
        {
            "form": form,
            "title": f"Import: {title}",
            "problems": problems,
            "download": request.path + "?template=1",
            "download_text": "Download the template",
            "cancel": _data_url(kind, pk),
        },
    )


def attendance(request, meeting_pk):
    _require(request, "governance.change_plans")
    meeting = get_object_or_404(BoardMeeting, pk=meeting_pk, service_id=request.user.service_id)
    form = forms.AttendanceForm(request.POST or None, meeting=meeting, revision=meeting.revision)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting, form.rows(), request.user, form.revision)
        except EditConflict as conflict:
            meeting = conflict.current
            form = reopen_after_conflict(
                form,
                conflict,
                forms.AttendanceForm(meeting=meeting, revision=meeting.revision),
            )
        else:
            messages.success(request, "Attendance saved")
            return redirect("governance:index")
    return render(
        request,
        "governance/attendance.html",
        {
            "form": form,
            "meeting": meeting,
            "sectors": [
                (
                    label,
                    form[f"{code}__attendance"],
                    form[f"{code}__new_partner"],
                    form[f"{code}__disproportionality_data"],
                )
                for code, label in codes.BOARD_SECTORS
            ],
            "title": f"Attendance: {meeting}",
            "hint": f"Papers due {_day(meeting.papers_due)}; minutes due "
            f"{_day(meeting.minutes_due)}.",
            "cancel": reverse("governance:index"),
        },
    )


# --------------------------------------------------------------------------- board pack


def board_pack(request):
    _require(request, "governance.view_plans")
    form = forms.BoardPackForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "governance/form.html",
            {
                "form": form,
                "title": "Board pack",
                "method": "get",
                "cancel": reverse("governance:index"),
            },
        )
    q, fmt = form.cleaned_data["quarter"], form.cleaned_data["format"]
    # Board members and analysts get aggregates; casework staff see the children in their
    # reach, by name if they ask for it.
    named = request.GET.get("named") == "1" and request.user.has_perm(
        "performance.view_named_children"
    )
    context = services.board_pack_for(request.user, q, fmt, named=named)
    name = f"board-pack-{q.label.replace(' ', '')}.{fmt}"
    try:
        if fmt == "html":
            # Read in the browser: a way back to the platform (not in the e-mailed file).
            return HttpResponse(
                documents.render_board_pack_html(
                    {**context, "back_url": reverse("governance:index")}
                )
            )
        data = documents.render_board_pack_docx(context)
        if fmt == "pdf":
            data = documents.docx_to_pdf(data)
    except documents.RenderError as exc:
        messages.error(request, str(exc))
        return redirect("governance:index")
    return _download(data, name, fmt)
