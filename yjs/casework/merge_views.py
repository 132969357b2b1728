"""Merging a duplicate record into the surviving one, and reversing a merge (managers only).

Thin like the other casework pages: the rules are in `services.merge_children` and
`services.unmerge_children`, the permission in `casework.merge_children`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from . import forms, selectors, services
from .models import Child, ChildMerge
from .views import _child, _posted, _require


def merge(request, pk):
    """Choose the duplicate by its reference, then confirm with both records side by side."""
    survivor = _child(request, pk, "casework.merge_children")
    form = forms.MergeChooseForm(_posted(request))
    if request.method == "POST" and request.POST.get("confirm"):
        duplicate = get_object_or_404(Child, pk=_number(request.POST.get("duplicate")))
        _require(request, "casework.merge_children", (survivor, duplicate))
        try:
            done = services.merge_children(request.user, survivor, duplicate)
        except ValidationError as e:
            form = forms.MergeChooseForm({"reference": duplicate.reference})
            form.is_valid()
            form.add_error("reference", e.messages)
        else:
            messages.success(
                request,
                f"{duplicate.reference} merged into {survivor.reference}: "
                f"{done.record_count} records moved",
            )
            return redirect(survivor)
    elif request.method == "POST" and form.is_valid():
        duplicate = _duplicate(request, form, survivor)
        if duplicate:
            services.record_view(request.user, survivor, what="merge records")
            services.record_view(request.user, duplicate, what="merge records")
            return render(
                request,
                "casework/merge_confirm.html",
                {
                    "child": survivor,
                    "duplicate": duplicate,
                    "records": [(c, selectors.record_counts(c)) for c in (survivor, duplicate)],
                },
            )
    services.record_view(request.user, survivor, what="merge records")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": survivor,
            "title": "Merge a duplicate record into this one",
            "cancel": survivor.get_absolute_url(),
        },
    )


def _number(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _duplicate(request, form, survivor) -> Child | None:
    """The child the reference names, if it can be merged into the survivor by this user."""
    reference = form.cleaned_data["reference"]
    duplicate = Child.objects.filter(reference__iexact=reference).first()
    if duplicate is None:
        form.add_error("reference", f"No child has the reference {reference}")
        return None
    problem = services.merge_problem(survivor, duplicate)
    if problem:
        form.add_error("reference", problem)
        return None
    if not request.user.has_perm("casework.merge_children", (survivor, duplicate)):
        form.add_error("reference", f"You cannot merge {reference}: ask its team's manager")
        return None
    return duplicate


def unmerge(request, pk, merge_pk):
    """Reverse a merge exactly: what moved goes back to the duplicate record."""
    survivor = _child(request, pk, "casework.merge_children")
    merge = get_object_or_404(
        ChildMerge.objects.select_related("duplicate"), pk=merge_pk, survivor=survivor
    )
    _require(request, "casework.merge_children", (survivor, merge.duplicate))
    problem = ""
    if request.method == "POST":
        try:
            services.unmerge_children(request.user, merge)
        except ValidationError as e:
            problem = " ".join(e.messages)
        else:
            messages.success(
                request,
                f"Merge reversed: {merge.duplicate.reference} has its records back",
            )
            return redirect(merge.duplicate)
    services.record_view(request.user, survivor, what="reverse a merge")
    return render(
        request,
        "casework/unmerge.html",
        {"child": survivor, "merge": merge, "problem": problem},
    )
