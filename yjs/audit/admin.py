"""Django admin: the audit trail read-only, and the mixins every app's admin uses.

No write may skip the services layer: casework and governance models are not in admin at all
(changes go through their audited services); what admin may still change (staff, services,
teams, reference data) is audited here with old and new values, and reading the audit trail
in admin is itself audited.
"""

from __future__ import annotations

from django.contrib import admin

from . import services as audit
from .models import AuditEvent

HIDDEN = "(hidden)"
SECRET_FIELDS = {"password"}


def snapshot(obj) -> dict:
    """Field values and many-to-many ids, secrets masked, for old-and-new diffs."""
    values = audit.field_values(obj)
    if obj.pk:
        for m2m in obj._meta.many_to_many:
            values[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return {k: (HIDDEN if k in SECRET_FIELDS and v else v) for k, v in values.items()}


def changes_between(before: dict, after: dict, obj) -> dict:
    """Old and new values; a new password shows as changed, never as its hash."""
    changes = audit.diff(before, after)
    if before and getattr(obj, "_secret_before", None) != getattr(obj, "password", None):
        changes["password"] = [HIDDEN, "(changed)"]
    return changes


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted through admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewAuditedAdminMixin:
    """Reading these pages writes a VIEW event naming the admin page."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", None) == 200:
            audit.record(
                request.user,
                "VIEW",
                description=f"Admin: list of {self.model._meta.verbose_name_plural}",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            audit.record(
                request.user,
                "VIEW",
                description=f"Admin: {self.model._meta.verbose_name} {object_id}"[:200],
            )
        return response


class AuditedAdminMixin:
    """Every add, change and delete through admin is audited with old and new values."""

    def save_model(self, request, obj, form, change):
        if change and obj.pk:
            stored = type(obj).objects.get(pk=obj.pk)
            obj._audit_before = snapshot(stored)
            obj._secret_before = getattr(stored, "password", None)
        else:
            obj._audit_before = {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", {})
        audit.record(
            request.user,
            "UPDATE" if change else "CREATE",
            obj,
            description=f"Admin: {'changed' if change else 'added'} {obj._meta.verbose_name}",
            changes=changes_between(before, snapshot(obj), obj),
        )

    def delete_model(self, request, obj):
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request, obj):
        audit.record(
            request.user,
            "DELETE",
            obj,
            description=f"Admin: deleted {obj._meta.verbose_name}",
            changes={k: [v, None] for k, v in snapshot(obj).items()},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ViewAuditedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, so an event can be neither forged nor edited here; the child by id only."""

    list_display = (
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "child_id",
        "description",
    )
    list_filter = ("action", "object_type")
    fields = (
        "at",
        "actor_username",
        "action",
        "child_id",
        "object_type",
        "object_id",
        "description",
        "changes",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        # The old and new values of a child's record are the child's data: not for admin.
        if obj is not None and obj.child_id:
            return [f for f in self.fields if f != "changes"]
        return self.fields
