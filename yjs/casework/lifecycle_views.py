"""Data lifecycle pages: the retention review list, erasure and the subject access export.

Thin like the other casework views: check the rule, hand over to the selector or service.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from . import erasure, retention, services, subject_access
from .models import Child
from .views import _apply, _posted


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why are you erasing this child's personal data?",
        help_text="For example: retention period ended, reviewed on 3 March 2031",
        max_length=180,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are erasing this child's personal data",
            "max_length": "Reason must be 180 characters or fewer",
        },
    )


def _child(request, pk, perm) -> Child:
    child = get_object_or_404(Child.objects.select_related("service", "team"), pk=pk)
    if not request.user.has_perm(perm, child):
        raise PermissionDenied
    return child


@require_GET
def retention_list(request):
    if not request.user.has_perm("casework.review_retention"):
        raise PermissionDenied
    due = retention.review_list(request.user, request.user.service, services.today())
    return render(request, "casework/retention.html", {"due": due, "rule": retention.rule_text()})


def erase_child(request, pk):
    child = _child(request, pk, "casework.erase_child")
    form = ErasureForm(_posted(request))
    if request.method == "GET":
        services.record_view(request.user, child, what="erasure confirmation")
    if request.method == "POST" and form.is_valid():
        reference = child.reference
        done = _apply(
            form, lambda: erasure.erase_child(request.user, child, form.cleaned_data["reason"])
        )
        if done is not None:
            messages.success(request, f"Personal data erased for {reference}")
            return redirect("casework:retention")
    return render(
        request,
        "casework/erase.html",
        {
            "form": form,
            "child": child,
            "due_since": retention.due_since(child),
            "cancel": child.get_absolute_url(),
        },
    )


@require_GET
def subject_access_export(request, pk):
    child = _child(request, pk, "casework.export_subject_access")
    filename, content = subject_access.export(request.user, child)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
