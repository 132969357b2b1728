"""Pages of a child's documents: upload, download, write a letter; and a service's letter
templates. Thin: the scope rule (`yjs.permissions`) is asked first, `services` does the work and
the audit; a refusal is shown with the GOV.UK error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yjs.casework import services as casework
from yjs.casework.records import record_url
from yjs.casework.views import _apply, _child, _posted, _require, case_closed

from . import files, forms, letters, selectors, services, template_builder
from .models import Attachment, LetterKindCode

DOCX = files.DOCX


def upload(request, pk):
    child = _child(request, pk)
    title = "Upload a document"
    if child.closed_on:
        return case_closed(request, child, title)
    form = forms.UploadForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        saved = _apply(
            form,
            lambda: services.upload_document(
                request.user,
                child,
                kind=form.cleaned_data["kind"],
                document_date=form.cleaned_data["document_date"],
                description=form.cleaned_data["description"],
                name=upload.name,
                data=upload.read(),
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved.original_name} uploaded")
            return redirect(child)
    casework.record_view(request.user, child, what=title.lower())
    return render(
        request,
        "documents/upload.html",
        {"form": form, "child": child, "title": title, "cancel": child.get_absolute_url()},
    )


def download(request, pk, attachment_pk):
    """The file, to the user who may see the child, as a download (never shown inline, never
    from a public URL), audited."""
    child = _child(request, pk, "casework.view_child")
    attachment = get_object_or_404(Attachment.all_objects.filter(child=child), pk=attachment_pk)
    if not selectors.may_download(request.user, attachment):
        raise Http404("This document was voided")
    response = FileResponse(
        services.open_for_download(request.user, attachment),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --------------------------------------------------------------------------- letters


def write_letter(request, pk):
    """Which kind of letter: those with a record of the child to write from."""
    child = _child(request, pk)
    title = "Write a letter"
    if child.closed_on:
        return case_closed(request, child, title)
    casework.record_view(request.user, child, what=title.lower())
    return render(
        request,
        "documents/letter_kinds.html",
        {
            "child": child,
            "title": title,
            "offered": [
                (kind, reverse("documents:write_letter_kind", args=[child.pk, kind.code]))
                for kind, _records in letters.offered(child)
            ],
            "not_offered": [
                label
                for code, label in LetterKindCode.choices
                if code not in {k.code for k, _ in letters.offered(child)}
            ],
        },
    )


def write_letter_kind(request, pk, kind):
    child = _child(request, pk)
    letter_kind = letters.KINDS.get(kind)
    if letter_kind is None:
        raise Http404("No such kind of letter")
    title = letter_kind.label
    if child.closed_on:
        return case_closed(request, child, title)
    records = list(letter_kind.records(child))
    if not records:
        raise Http404("Nothing to write this letter from")
    people = letters.recipients(letter_kind, child, None) if letter_kind.recipients is None else []
    form = forms.LetterForm(
        _posted(request),
        kind=letter_kind,
        records=records,
        people=people,
        initial={"record": request.GET.get("record", "")},
    )
    if request.method == "POST" and form.is_valid():
        saved = _apply(form, lambda: _write(request, child, letter_kind, form))
        if saved is not None:
            messages.success(request, f"{letter_kind.label} saved to {child.display_name}'s record")
            return redirect(record_url(child, saved))
    casework.record_view(request.user, child, what=title.lower())
    return render(
        request,
        "documents/letter_form.html",
        {
            "form": form,
            "child": child,
            "title": title,
            "kind": letter_kind,
            "not_contactable": [p for p in people if not p["may_contact"]],
            "cancel": reverse("documents:write_letter", args=[child.pk]),
        },
    )


def _write(request, child, kind, form):
    record = form.chosen_record()
    recipient = form.chosen_recipient()
    if recipient is None:
        found = letters.recipients(kind, child, record)
        recipient = found[0]
        if not recipient["may_contact"]:
            raise ValidationError({"record": f"{recipient['name']} asked not to be contacted"})
    if form.cleaned_data["address"]:
        recipient["address_lines"] = form.cleaned_data["address"]
    return services.write_letter(request.user, child, kind.code, record, recipient)


# --------------------------------------------------------------------------- templates


def letter_templates(request):
    _require(request, "documents.change_letter_templates")
    return render(
        request,
        "documents/letter_templates.html",
        {"kinds": selectors.templates_of(request.user.service)},
    )


def letter_template(request, kind):
    _require(request, "documents.change_letter_templates")
    if kind not in LetterKindCode.values:
        raise Http404("No such kind of letter")
    label = LetterKindCode(kind).label
    service = request.user.service
    if request.GET.get("download"):
        data = (
            services.template_bytes(service, kind)
            if request.GET["download"] == "current"
            else template_builder.letter_template(kind)
        )
        response = HttpResponse(data, content_type=DOCX)
        name = files.safe_name(f"{label} template.docx")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if request.method == "POST" and request.POST.get("use_default"):
        services.use_default_template(service, kind, request.user)
        messages.success(request, f"The {label.lower()} uses the default template")
        return redirect("documents:letter_templates")
    form = forms.LetterTemplateForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if _apply(
            form,
            lambda: services.set_letter_template(
                service, kind, upload.name, upload.read(), request.user
            ),
        ):
            messages.success(request, f"The {label.lower()} now uses {upload.name}")
            return redirect("documents:letter_templates")
    return render(
        request,
        "documents/letter_template.html",
        {
            "form": form,
            "title": f"{label}: Word template",
            "label": label,
            "kind": kind,
            "fields": {**letters.BASE_FIELDS, **letters.fields_of(kind)},
            "own": service.letter_templates.filter(kind=kind).first(),
        },
    )
